"""A function over items → its results, in forked worker processes that inherit what the build holds.

Workers are forked rather than spawned so that they inherit the model, the rendered texts
and the compiled templates instead of receiving them pickled: what a function needs besides
its item is handed to `map_forked` as `shared`, and reaches the function in every process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 64
"""Fewer items of work than this are done in-process: starting workers would cost more."""

_SHARED: list[Any] = []
"""What the functions under way share, set before the workers are forked (they inherit it)."""


def map_forked(
    function: Callable[[S, T], R],
    shared: S,
    items: Sequence[T],
    jobs: int,
    chunk: int | None = None,
    meanwhile: Callable[[], object] = lambda: None,
    on_result: Callable[[R], object] = lambda result: None,
) -> list[R]:
    """`function(shared, item)` for each item, in order, in `jobs` forked worker processes
    (items sent `chunk` at a time, by default an eighth of a worker's share), calling
    `meanwhile` in this process while they work, and `on_result` with each result as it
    comes back."""
    results = []
    if jobs <= 1 or len(items) < 2:
        for item in items:
            results.append(function(shared, item))
            on_result(results[-1])
        meanwhile()
        return results
    _SHARED.append((function, shared))
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            chunksize = chunk or max(1, len(items) // (jobs * 8))
            pending = pool.imap(_call, items, chunksize=chunksize)
            meanwhile()
            for result in pending:
                results.append(result)
                on_result(result)
            return results
    finally:
        _SHARED.pop()


def _call(item: Any) -> Any:
    function, shared = _SHARED[-1]
    return function(shared, item)
