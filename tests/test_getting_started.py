"""docs/getting-started.md, followed command by command with the Word file of the tests."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ROOT, Run
from .fixtures.word import write_policy_docx

CLI = Callable[..., Run]
GUIDE = ROOT / "docs/getting-started.md"


def _steps(guide: str) -> list[tuple[str, list[str]]]:
    """Every `$ command` of the guide's console blocks, with the output shown under it."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", guide, re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
    return steps


def _shape(line: str) -> str:
    """A line with its numbers and dates made alike: they differ from day to day."""
    return re.sub(r"\d+(\.\d+)?", "N", line)


def test_the_getting_started_guide_reaches_a_site_that_passes_a_strict_check(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_policy_docx(tmp_path / "privacy.docx")
    monkeypatch.chdir(tmp_path)
    steps = _steps(GUIDE.read_text(encoding="utf-8"))
    assert len(steps) >= 9
    for command, shown in steps:
        words = shlex.split(command)
        if words[0] == "cd":
            monkeypatch.chdir(Path.cwd() / words[1])
            continue
        assert words[0] == "policygen", command
        run = cli(*words[1:])
        fails = any(
            "nothing was imported" in line or re.match(r"policygen: \d+ (error|warning)", line)
            for line in shown
        )
        assert run.code == (1 if fails else 0), (command, run.err)
        printed = (run.out + run.err).rstrip("\n").splitlines()
        assert [_shape(line) for line in printed] == [_shape(line) for line in shown], command
    assert cli("check", "--strict").code == 0
    assert (Path.cwd() / "public/en/global/privacy/index.html").is_file()
