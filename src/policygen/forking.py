"""A function over items → its results, each run of items in a process forked for it alone.

Workers are forked rather than spawned so that they inherit the model, the rendered texts
and the compiled templates instead of receiving them pickled: what a function needs besides
its item is handed to `map_forked` as `shared`, and reaches the function in every process.

Each run of items (a task) gets a process of its own, forked from the calling thread when a
core is free, which sends its results back and ends. So whatever a task builds up (its
rendered texts, redlines, memos) is given back whole when it ends, and a build's memory is
what the calling process holds plus one task per core, however large the site; and no
process is ever forked from a thread other than the one that holds the work.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar, cast

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 64
"""Fewer items of work than this are not shared among workers: starting them would cost more
than it saves (one worker may still do them while the calling process does other work)."""


class WorkerFailed(Exception):
    """A forked worker ended without sending its results: killed, or out of memory."""


def map_forked(
    function: Callable[[S, T], R],
    shared: S,
    items: Sequence[T],
    jobs: int,
    chunk: int | None = None,
    meanwhile: Callable[[], object] = lambda: None,
    on_result: Callable[[R], object] = lambda result: None,
) -> list[R]:
    """`function(shared, item)` for each item, in order, in up to `jobs` forked processes at a
    time, each given `chunk` items (by default an eighth of a worker's share) and then ended;
    calling `meanwhile` in this process while they work, and `on_result` with each result as
    it comes back. An exception a worker raises is raised here."""
    if jobs <= 1 or not items:
        results = []
        for item in items:
            results.append(function(shared, item))
            on_result(results[-1])
        meanwhile()
        return results
    size = chunk or max(1, len(items) // (jobs * 8))
    tasks = [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    done: dict[int, list[R]] = {}
    running: dict[Connection, tuple[int, multiprocessing.process.BaseProcess]] = {}
    context = multiprocessing.get_context("fork")
    waiting = iter(enumerate(tasks))

    def start_next() -> None:
        for index, task in waiting:
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(
                target=_run, args=(function, shared, [items[i] for i in task], sending)
            )
            process.start()
            sending.close()
            running[receiving] = (index, process)
            return

    try:
        for _ in range(jobs):
            start_next()
        meanwhile()
        while running:
            for ready in wait(list(running)):
                connection = cast(Connection, ready)
                index, process = running.pop(connection)
                outcome = _receive(connection)
                # The next task starts before this one's process is waited for: a process
                # takes a while to give its memory back as it ends.
                try:
                    start_next()
                finally:
                    process.join()
                if isinstance(outcome, BaseException):
                    raise outcome
                done[index] = outcome
                for result in outcome:
                    on_result(result)
    finally:
        for connection, (_, process) in running.items():
            process.kill()
            process.join()
            connection.close()
    return [result for index in range(len(tasks)) for result in done[index]]


def _run(
    function: Callable[[Any, Any], Any], shared: Any, items: list[Any], sending: Connection
) -> None:
    try:
        outcome: Any = [function(shared, item) for item in items]
    except BaseException as exc:
        # The worker's traceback goes with its exception, for --debug to show.
        exc.add_note("".join(traceback.format_exception(exc)).rstrip())
        outcome = exc
    try:
        sending.send(outcome)
    except Exception as exc:  # results or an exception that cannot be pickled: a bug
        sending.send(RuntimeError(f"a worker's outcome could not be sent back: {exc!r}"))
    sending.close()


def _receive(connection: Connection) -> Any:
    try:
        return connection.recv()
    except EOFError:
        raise WorkerFailed(
            "a worker process of the build ended before it sent its results back (was it killed, or out of memory?)"
        ) from None
    finally:
        connection.close()
