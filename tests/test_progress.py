"""On a terminal, a build shows its progress on one line that it rewrites; redirected or in
CI, it prints its summary line only."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from policygen.progress import ProgressLine, is_interactive

from .conftest import Run, copy_example

CLI = Callable[..., Run]

# The example builds in well under a second: the progress is shown from the start here.
BUILD = """
import sys
import policygen.progress
policygen.progress.SHOWN_AFTER = 0.0
policygen.progress.EVERY = 0.0
from policygen.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _build_on_a_terminal(site: Path, out: Path, **environ: str) -> str:
    """What `policygen build` writes to a pseudo-terminal, its stderr."""
    main, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TERM")}
    env.update(TERM="xterm", **environ)
    command = [sys.executable, "-c", BUILD, "build", str(site), "-o", str(out), "--no-cache"]
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal, env=env
    )
    os.close(terminal)
    written = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        written += chunk
    os.close(main)
    assert process.wait(timeout=120) == 0
    return written.decode("utf-8").replace("\r\n", "\n")


def test_a_build_on_a_terminal_shows_its_progress_on_one_line(tmp_path: Path) -> None:
    written = _build_on_a_terminal(copy_example(tmp_path / "site"), tmp_path / "out")
    progress, _, summary = written.rpartition("\r\x1b[K")
    assert re.fullmatch(r"policygen: built (\d+) pages .*\n", summary)
    pages = int(re.match(r"policygen: built (\d+)", summary).group(1))  # type: ignore[union-attr]
    # Every update rewrites the same line: none ends it.
    assert progress.startswith("\r") and "\n" not in progress
    updates = [update.removesuffix("\x1b[K") for update in progress.split("\r")[1:]]
    assert updates[0] == "policygen: checking the site"
    made = [update for update in updates if update.startswith("policygen: making pages ")]
    counts = [tuple(map(int, re.findall(r"[\d,]+", m)[-2:])) for m in made]
    assert counts == sorted(counts) and counts[-1] == (pages, pages)


def test_a_build_in_ci_prints_its_summary_line_only(tmp_path: Path) -> None:
    written = _build_on_a_terminal(copy_example(tmp_path / "site"), tmp_path / "out", CI="true")
    assert re.fullmatch(r"policygen: built \d+ pages .*\n", written)


def test_a_build_whose_output_is_redirected_prints_its_summary_line_only(
    cli: CLI, tmp_path: Path
) -> None:
    site = copy_example(tmp_path / "site")
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--no-cache")
    assert run.code == 0
    assert re.fullmatch(r"policygen: built \d+ pages .*\n", run.err)


def test_the_progress_line_waits_a_second_and_is_cleared() -> None:
    stream = io.StringIO()
    now = [0.0]
    line = ProgressLine(stream, clock=lambda: now[0])
    line("making pages", 1, 10)
    line.clear()
    assert stream.getvalue() == ""  # a build quicker than a second shows nothing
    now[0] = 1.5
    line("making pages", 2, 10)
    now[0] = 1.52
    line("making pages", 3, 10)  # too soon after the last update
    line("making pages", 10, 10)  # but the last one is always shown
    line.clear()
    assert stream.getvalue() == (
        "\rpolicygen: making pages 2 of 10\x1b[K\rpolicygen: making pages 10 of 10\x1b[K\r\x1b[K"
    )


def test_progress_is_shown_only_to_a_terminal_outside_ci() -> None:
    main, terminal = pty.openpty()
    with open(terminal, "w") as stream:
        assert is_interactive(stream, {"TERM": "xterm"})
        assert not is_interactive(stream, {"TERM": "xterm", "CI": "true"})
        assert not is_interactive(stream, {"TERM": "dumb"})
    os.close(main)
    assert not is_interactive(io.StringIO(), {})
