"""How the pages to make are shared between worker processes: for a large build, units of
work taken together up to a few hundred pages per process (a worker holds one such task at a
time); one task per worker for some work (the fewest processes forked); and for a build after
an edit one task, in one worker while the build process keeps the other files."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import policygen.output
from policygen import forking, making
from policygen.parts import Part

from .conftest import EXAMPLE_AS_OF, Run, copy_example

CLI = Callable[..., Run]


def _unit(parts: int, texts: int) -> Any:
    return making._Unit(
        tuple(Part("revision", "p", str(n)) for n in range(parts)),
        tuple(str(n) for n in range(texts)),
        (),
    )


def test_units_of_a_large_build_are_taken_together_until_a_task_costs_enough() -> None:
    units = [_unit(100, 20), _unit(100, 21), _unit(300, 0), _unit(1, 1), _unit(150, 0)]
    tasks = making._grouped(units, 400)
    # Costs 220 + 221; 600; 3 + 300.
    assert [[units.index(unit) for unit in task] for task in tasks] == [[0, 1], [2], [3, 4]]
    assert making._grouped(units[:1], 400) == [[units[0]]]
    assert making._grouped([], 400) == []
    assert making._grouped(units, 0) == [[unit] for unit in units]


def test_units_are_shared_evenly_between_the_workers_costliest_first() -> None:
    units = [_unit(1, 1), _unit(8, 2), _unit(3, 0), _unit(4, 2), _unit(2, 1)]
    tasks = making._shared(units, 2)
    assert sorted(id(unit) for task in tasks for unit in task) == sorted(map(id, units))
    costs = [sum(map(making._cost, task)) for task in tasks]
    assert costs == [21, 21]
    assert making._shared(units[:1], 4) == [[units[0]]]
    assert making._shared([], 2) == []


@pytest.fixture
def tasks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many tasks each making of pages was given."""
    given: list[int] = []
    map_forked = forking.map_forked

    def counted(function: Any, shared: Any, items: Sequence[Any], jobs: int, **kwargs: Any) -> Any:
        if function is making._make_units:
            given.append(len(items))
        return map_forked(function, shared, items, jobs, **kwargs)

    monkeypatch.setattr(forking, "map_forked", counted)
    return given


def test_a_build_after_an_edit_makes_its_pages_in_one_task_per_worker(
    cli: CLI, tmp_path: Path, tasks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_example(tmp_path / "site")
    out, cache = str(tmp_path / "out"), str(tmp_path / "cache")
    build = (
        "build",
        str(site),
        "-o",
        out,
        "--cache-dir",
        cache,
        "--as-of",
        EXAMPLE_AS_OF.isoformat(),
    )
    # Every unit of the example site is a task of its own when the work is large, and its
    # units cost as much as a task.
    few_tasks_until, task_cost = making.FEW_TASKS_UNTIL, making.TASK_COST
    monkeypatch.setattr(making, "FEW_TASKS_UNTIL", 0)
    monkeypatch.setattr(making, "TASK_COST", 0)
    assert cli(*build, "--jobs", "2").code == 0
    assert tasks[-1] > 2
    monkeypatch.setattr(making, "FEW_TASKS_UNTIL", few_tasks_until)
    monkeypatch.setattr(making, "TASK_COST", task_cost)
    # The policy's title: its pages in every language.
    settings = site / "content/privacy/policy.yaml"
    settings.write_text(settings.read_text("utf-8").replace("Privacy Policy", "Privacy Notice"))
    assert cli(*build, "--jobs", "2").code == 0
    assert 1 <= tasks[-1] <= 2


def test_a_build_after_an_edit_makes_its_pages_in_a_worker_while_it_keeps_the_other_files(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_example(tmp_path / "site")
    out, cache = str(tmp_path / "out"), str(tmp_path / "cache")
    build = ("build", str(site), "-o", out, "--cache-dir", cache, "--jobs", "2")
    build += ("--as-of", EXAMPLE_AS_OF.isoformat())
    edited = site / "content/privacy/2027-01-01/en.md"
    text = edited.read_text("utf-8")
    for word in ("respecting", "fully respecting"):
        edited.write_text(text.replace("respecting", word, 1), "utf-8")
        assert cli(*build).code == 0  # the second leaves the first output as the spare
    make_units = making._make_units

    def recorded(work: Any, units: Any) -> Any:
        (tmp_path / "made_by").write_text(str(os.getpid()))
        return make_units(work, units)

    monkeypatch.setattr(making, "_make_units", recorded)
    kept_by: list[int] = []
    keep_held = policygen.output.Output.keep_held

    def kept(self: Any, path: str, previous: Any) -> Any:
        kept_by.append(os.getpid())
        return keep_held(self, path, previous)

    monkeypatch.setattr(policygen.output.Output, "keep_held", kept)
    edited.write_text(text.replace("respecting", "truly respecting", 1), "utf-8")
    assert cli(*build).code == 0
    # Little to make: one task, in one worker; this process keeps the spare's files meanwhile.
    assert int((tmp_path / "made_by").read_text()) != os.getpid()
    assert kept_by and set(kept_by) == {os.getpid()}
