"""The code stays lint-clean, formatted and strictly typed (ruff, mypy) — checked with the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "src", "tests", "bench", "build.py"],
        ["ruff", "format", "--check", "src", "tests", "bench", "build.py"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_code_is_clean(command: list[str]) -> None:
    tool = shutil.which(command[0]) or shutil.which(command[0], path=str(ROOT / ".venv/bin"))
    executable = [tool] if tool else [sys.executable, "-m", command[0]]
    result = subprocess.run(
        [*executable, *command[1:]], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
