"""Texts written elsewhere (Word, a saved web page, Markdown, a git history) → policygen
Markdown documents, with a note for everything that could not be carried over as it was."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Note:
    """Something of the imported text that was not carried over as it was."""

    message: str
    line: int | None = None
    """Line of the HTML or Markdown file it is on."""
    paragraph: int | None = None
    """Paragraph of the Word document it is in, counted from 1 as Word's body holds them."""

    def sort_key(self) -> tuple[int, int]:
        """Text order: by line or paragraph; notes of the whole file first."""
        return (self.line or self.paragraph or 0, 0)

    def render(self, name: str) -> str:
        """`name:line: message`, or `name: paragraph N: message`."""
        if self.line is not None:
            return f"{name}:{self.line}: {self.message}"
        if self.paragraph is not None:
            return f"{name}: paragraph {self.paragraph}: {self.message}"
        return f"{name}: {self.message}"


@dataclass(frozen=True, slots=True)
class Converted:
    """A text made into policygen Markdown."""

    body: str
    """Markdown, ending with exactly one newline; its headings start at level 2."""
    title: str | None
    """The title the text gives itself (a first heading, a <title>, front matter)."""
    notes: tuple[Note, ...] = ()
    """What was left out or changed, in text order."""
    front: Mapping[str, object] = field(default_factory=dict)
    """Front matter the text brings (Markdown files only), already in policygen's keys."""
    tracked_changes: tuple[Note, ...] = ()
    """Word's insertions and deletions not yet accepted or rejected."""
    heading_shift: int = 0
    """How many levels a Markdown text's headings were moved down (see `convert_markdown`)."""
