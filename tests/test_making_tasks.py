"""How the pages to make are shared between worker processes: a unit of work per process
for a large build (a worker holds one unit at a time), one task per worker for a build
after an edit (the fewest processes forked)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

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
    # Every unit of the example site is a task of its own when the work is large.
    few_tasks_until = making.FEW_TASKS_UNTIL
    monkeypatch.setattr(making, "FEW_TASKS_UNTIL", 0)
    assert cli(*build, "--jobs", "2").code == 0
    assert tasks[-1] > 2
    monkeypatch.setattr(making, "FEW_TASKS_UNTIL", few_tasks_until)
    # The policy's title: its pages in every language.
    settings = site / "content/privacy/policy.yaml"
    settings.write_text(settings.read_text("utf-8").replace("Privacy Policy", "Privacy Notice"))
    assert cli(*build, "--jobs", "2").code == 0
    assert 1 <= tasks[-1] <= 2
