"""A build's progress (stage, work done of how much) → one line on a terminal, updated in
place (I/O: the terminal it is given)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

Progress = Callable[[str, int, int], None]
"""Told a stage's name, how much of it is done, and of how much, as a build goes on."""

SHOWN_AFTER = 1.0
"""Seconds a build runs before its progress is shown: a quick build prints its summary only."""
EVERY = 0.1
"""Seconds between two updates of the line."""


def no_progress(stage: str, done: int, total: int) -> None:
    """Progress told to no one."""


def is_interactive(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Whether `stream` is a terminal someone watches: not redirected, not CI, not a dumb terminal."""
    try:
        is_terminal = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return is_terminal and not environ.get("CI") and environ.get("TERM") != "dumb"


class ProgressLine:
    """One line on a terminal saying what a build is doing, rewritten in place: shown once
    the build has taken a second, cleared before the build's summary."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.shown_at: float | None = None
        self.width = _width(stream)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < SHOWN_AFTER:
            return
        if self.shown_at is not None and now - self.shown_at < EVERY and done < total:
            return
        text = f"policygen: {stage} {done:,} of {total:,}" if total else f"policygen: {stage}"
        self.stream.write("\r" + text[: self.width - 1] + "\x1b[K")
        self.stream.flush()
        self.shown_at = now

    def clear(self) -> None:
        """Take the line away (before the build's summary or its problems are printed)."""
        if self.shown_at is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown_at = None


def _width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80
