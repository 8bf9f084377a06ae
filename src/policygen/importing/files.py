"""A file's kind and bytes → its converted text: the one place that picks the converter."""

from __future__ import annotations

import codecs
import dataclasses
from typing import Literal

from bs4.dammit import UnicodeDammit

from ..characters import STRAY_CONTROLS, describe_left_out
from . import Converted, Note
from .docx import NotADocx, convert_docx
from .html import convert_html_page
from .markdown import NotImportable, convert_markdown
from .text import convert_text, is_markdown

Kind = Literal["docx", "html", "markdown", "text"]
UTF_16 = ["utf-16", "utf-16le", "utf-16be", "utf-16-le", "utf-16-be", "utf16"]

__all__ = ["Kind", "NotImportable", "convert_file", "convert_source", "convert_text_file"]


def convert_source(
    text: str, kind: Literal["markdown", "text"], heading_shift: int = 0, path: str | None = None
) -> Converted:
    """A Markdown or .txt text as policygen Markdown, its stray control characters left out
    (and said: see `_without_stray_controls`); `heading_shift` and `path` as
    `convert_markdown` takes them."""
    kept, notes = _without_stray_controls(text)
    if kind == "text":
        converted = convert_text_file(kept, heading_shift, path)
    else:
        converted = convert_markdown(kept, heading_shift, path)
    return _with_notes(converted, notes)


def _without_stray_controls(text: str) -> tuple[str, list[Note]]:
    """The text without its stray control characters, and a note for each line that had
    some: the page or file it came from showed nothing of them, and a policy's text may not
    hold them (policygen check refuses it)."""
    if STRAY_CONTROLS.search(text) is None:
        return text, []
    notes = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        found = STRAY_CONTROLS.findall(line)
        if found:
            notes.append(Note(describe_left_out(found), line=number))
            lines[number - 1] = STRAY_CONTROLS.sub("", line)
    return "\n".join(lines), notes


def _with_notes(converted: Converted, notes: list[Note]) -> Converted:
    if not notes:
        return converted
    told = sorted([*notes, *converted.notes], key=Note.sort_key)
    return dataclasses.replace(converted, notes=tuple(told))


def convert_file(kind: str, data: bytes) -> Converted:
    """The text of a .docx, .html, .md or .txt file's bytes, as policygen Markdown."""
    if kind == "docx":
        try:
            return convert_docx(data)
        except NotADocx as exc:
            raise NotImportable(str(exc)) from None
    if kind == "html":
        # A saved page says its encoding in a <meta>, or is UTF-8: UnicodeDammit reads both.
        # A <meta> naming UTF-16 is a lie (the <meta> itself is read as ASCII), which browsers
        # take as UTF-8 (the WHATWG's encoding sniffing); a UTF-16 page starts with a BOM.
        lies = [] if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else UTF_16
        text = UnicodeDammit(data, ["utf-8"], is_html=True, exclude_encodings=lies).unicode_markup
        if text is None:
            raise NotImportable("its characters cannot be read in any encoding it declares")
        kept, notes = _without_stray_controls(text)
        return _with_notes(convert_html_page(kept), notes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotImportable(f"it is not UTF-8 text (byte {exc.start + 1} is not)") from None
    return convert_source(text, "text" if kind == "text" else "markdown")


def convert_text_file(text: str, heading_shift: int = 0, path: str | None = None) -> Converted:
    """A .txt file's text: plain text, or Markdown when it is written in Markdown."""
    return convert_markdown(text, heading_shift, path) if is_markdown(text) else convert_text(text)
