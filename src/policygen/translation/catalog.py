"""A translators' file as policygen reads and writes it, whatever its format: one revision
in one language, its entries and what they were made from (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntryState = Literal["done", "fuzzy", "to do"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One segment to translate."""

    key: str
    """The segment's key (PO msgctxt, XLIFF unit name): unique in the file."""
    source: str
    """The segment's text, with placeholders."""
    translation: str = ""
    """Empty while it is not translated."""
    is_fuzzy: bool = False
    """Filled from a similar segment: to check before it counts as translated."""
    previous: str | None = None
    """For a fuzzy entry, the source text its translation was made for."""
    file: str = ""
    """The source file of the segment."""
    line: int = 0
    """The segment's line in its source file."""
    anchor: str | None = None
    """The anchor of the section it is in."""
    markup: tuple[tuple[str, str | None], ...] = ()
    """What each placeholder stands for, by number from 1: (opening, closing or None); in a
    file made here (XLIFF keeps it as the units' original data)."""
    notes: tuple[str, ...] = ()
    """For the translator: what the segment is, what its placeholders stand for, where its
    translation came from."""
    at: int = 0
    """In a file read back: the line of its translation (0 in a file made here)."""

    @property
    def state(self) -> EntryState:
        if not self.translation:
            return "to do"
        return "fuzzy" if self.is_fuzzy else "done"


@dataclass(frozen=True, slots=True)
class TranslationFile:
    """The translators' file of one revision in one language."""

    policy: str
    revision: str
    language: str
    """The language translated into."""
    source_language: str
    source_sha256: str
    """SHA-256 of the source texts the file was made from (see `exchange.source_digest`)."""
    sources: tuple[str, ...]
    """The source files, in the site."""
    entries: tuple[Entry, ...]
    exported: str = ""
    """The date it was exported as of (`YYYY-MM-DD`), for the PO header; empty in a file read back."""
    path: str = ""
    """Where it was read from (for problems)."""
    header_lines: dict[str, int] = field(default_factory=dict)
    """Where each header value is, in a file read back."""

    def count(self, state: EntryState) -> int:
        return sum(entry.state == state for entry in self.entries)

    @property
    def summary(self) -> str:
        """How much translation memory filled: for the file's header and the command line."""
        return (
            f"{len(self.entries)} entries: {self.count('done')} carried over from translation memory, "
            f"{self.count('fuzzy')} fuzzy (to check), {self.count('to do')} to do"
        )


HEADER_NOTE = (
    "Placeholders: <1>…</1> and {2} stand for markup (links, emphasis, code, raw HTML, line "
    "breaks). Keep each one, and put it where the translation needs it: <1>…</1> around the "
    "words it marks, {2} where it stands. A line break shown after {n} belongs to it."
)
