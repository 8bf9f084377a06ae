"""forking.map_forked: results in order, each run of items in a process of its own, a worker's
exception raised in the caller, and a worker that dies told as such."""

from __future__ import annotations

import os
import signal

import pytest

from policygen.errors import BuildFailed, SourceLocation, error
from policygen.forking import WorkerFailed, map_forked


def _pid_and_square(offset: int, item: int) -> tuple[int, int]:
    return os.getpid(), item * item + offset


def test_results_come_back_in_order_each_task_in_a_fresh_process() -> None:
    seen: list[tuple[int, int]] = []
    results = map_forked(
        _pid_and_square, 1, list(range(10)), jobs=2, chunk=3, on_result=seen.append
    )
    assert [value for _, value in results] == [i * i + 1 for i in range(10)]
    assert sorted(seen) == sorted(results)
    pids = [pid for pid, _ in results]
    # Four tasks (3, 3, 3 and 1 items), each in a process forked for it alone, none here.
    tasks = [pids[0:3], pids[3:6], pids[6:9], pids[9:]]
    assert all(len(set(task)) == 1 for task in tasks)
    assert len({task[0] for task in tasks}) == 4
    assert os.getpid() not in pids


def test_one_job_works_here() -> None:
    results = map_forked(_pid_and_square, 0, [1, 2, 3], jobs=1)
    assert results == [(os.getpid(), 1), (os.getpid(), 4), (os.getpid(), 9)]


def test_meanwhile_runs_here_while_the_workers_work() -> None:
    here: list[int] = []
    map_forked(
        _pid_and_square,
        0,
        [1, 2, 3, 4],
        jobs=2,
        chunk=1,
        meanwhile=lambda: here.append(os.getpid()),
    )
    assert here == [os.getpid()]


def _fail_on_three(_: None, item: int) -> int:
    if item == 3:
        raise ValueError(f"no {item}")
    return item


def test_a_workers_exception_is_raised_with_its_traceback() -> None:
    with pytest.raises(ValueError, match="no 3") as raised:
        map_forked(_fail_on_three, None, [1, 2, 3, 4, 5, 6], jobs=2, chunk=1)
    assert "_fail_on_three" in "".join(raised.value.__notes__)


def _die_on_two(_: None, item: int) -> int:
    if item == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def test_a_worker_killed_is_told_not_waited_for() -> None:
    with pytest.raises(WorkerFailed, match="ended before it sent its results back"):
        map_forked(_die_on_two, None, [1, 2, 3, 4], jobs=2, chunk=1)


class _Unpicklable:
    def __reduce__(self) -> object:
        raise TypeError("not sent")


def _unpicklable(_: None, item: int) -> object:
    return _Unpicklable()


def test_a_result_that_cannot_be_sent_is_a_bug_told_as_such() -> None:
    with pytest.raises(RuntimeError, match="could not be sent back"):
        map_forked(_unpicklable, None, [1, 2], jobs=2, chunk=1)


def _fail_on_three_with_a_problem(_: None, item: int) -> int:
    if item == 3:
        raise BuildFailed([error(SourceLocation("templates/base.html", 2), "template", "slow")])
    return item


def test_problems_a_worker_raises_come_back_with_the_exception() -> None:
    """A page over its budget in a worker stops the build with its problem, not its message."""
    with pytest.raises(BuildFailed) as failed:
        map_forked(_fail_on_three_with_a_problem, None, list(range(8)), jobs=2, chunk=2)
    assert [str(problem) for problem in failed.value.problems] == [
        "templates/base.html:2: error: slow"
    ]
