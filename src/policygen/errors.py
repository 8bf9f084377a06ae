"""Problems found in a site's sources: where they are and what is wrong; and how the other
kinds of failure (of the machine, of policygen itself) are told."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in a site's sources that a problem points at."""

    path: str
    """Path relative to the site folder, with forward slashes, e.g. "content/privacy/x/en.md"."""
    line: int | None = None
    """1-based line number, when known."""
    column: int | None = None
    """1-based column, when known."""

    def at(self, line: int | None, column: int | None = None) -> SourceLocation:
        """The same file at another line."""
        return SourceLocation(self.path, line, column)

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in the sources, or one thing that deserves a look."""

    location: SourceLocation
    """Where it is."""
    severity: Severity
    """"error" stops the build; "warning" is reported only."""
    code: str
    """Stable machine-readable kind, e.g. "unknown-key"."""
    message: str
    """Plain words for an editor."""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order of reporting: by file, then line, then column."""
        loc = self.location
        return (loc.path, loc.line or 0, loc.column or 0, self.severity, self.message)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {printable(self.message)}"


def excerpt(line: str) -> str:
    """A line, or its first words up to about 40 characters, for a message to quote."""
    if len(line) <= 40:
        return line
    cut = line[:40]
    return (cut[: cut.rindex(" ")] if " " in cut[20:] else cut) + "…"


def printable(text: str) -> str:
    """Text as a terminal shows it: a character that shows nothing and is no space (a control
    character, a zero-width space, a direction mark), which a message may quote from a text,
    written as an escape (`\\u200b`) that says it is there; a byte of a name that is not
    UTF-8 (which Python decodes as a lone surrogate) as that byte (`\\xff`)."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or unicodedata.category(char) == "Zs" else _escape(char)
        for char in text
    )


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as Python decoded it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def error(location: SourceLocation, code: str, message: str) -> Problem:
    """A problem that stops the build."""
    return Problem(location, "error", code, message)


def warning(location: SourceLocation, code: str, message: str) -> Problem:
    """A problem that is reported but lets the build go on."""
    return Problem(location, "warning", code, message)


class BuildFailed(Exception):
    """Raised when the sources have errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{sum(p.is_error for p in problems)} error(s)")
        self.problems = sorted(problems, key=Problem.sort_key)

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a forked worker, it is sent back pickled: with its problems, not its message.
        return (type(self), (self.problems,), self.__dict__)


BUG = (
    "this is a bug in policygen, not a mistake in the site; please report it. "
    "Run the same command again with --debug to see the details (a Python traceback)."
)
"""What is said of an error no input explains: policygen's own."""


def describe_os_error(exc: OSError) -> str:
    """A problem of the machine in one line: the path, and what the system said of it."""
    paths = [str(path) for path in (exc.filename, exc.filename2) if path is not None]
    what = exc.strerror or str(exc)
    return f"{' → '.join(paths)}: {what}" if paths else what
