"""Footnotes (`text[^1]` … `[^1]: the note`) → a superscript mark linking to its note, and
the notes as a numbered list at the end of the text, each linking back (pure).

The syntax is that of GitHub, Python-Markdown and pandoc, read by mdit-py-plugins' footnote
plugin. What is ours: the notes are numbered in the order of their first mark, and a note
with no mark is still shown (after the others, and reported), never dropped, so that a page
shows every word of its `source.md`; a label written twice is an error, as the plugin would
keep only the last note. Labels are never written into the page: marks, notes and their ids
are numbered, so a label of any length or characters changes nothing but which note a mark
leads to. The words a reader sees are numbers and "↩", the same in every language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_ref

from .anchors import RESERVED_PREFIX
from .errors import Problem, error, excerpt, warning

NOTE_ID = RESERVED_PREFIX + "fn-"
"""A note's id is this and its number (`pg-fn-1`): ids starting with `pg-` are none an author
can write, so no heading, attribute list or raw HTML takes them."""
MARK_ID = RESERVED_PREFIX + "fnref-"
"""A mark's id is this and its note's number (`pg-fnref-1`), then `-2`, `-3`… for the second
and later marks of one note (`pg-fnref-1-2`)."""
BACK = "\u21a9\ufe0e"
"""The back link's arrow, drawn as text (not as an emoji, which iOS would draw)."""
NOTES_CLASS = "footnotes"
"""Class of the `<section>` that holds the notes (the theme sets them smaller)."""
MARK_CLASS = "footnote-ref"
"""Class of the `<sup>` of a mark."""
BACK_CLASS = "footnote-backref"
"""Class of a note's link back to its mark."""
OWN = "\ue000"
"""What the renderer writes before each class it gives an element, and the sanitizer takes
off (`markdown._kept_classes`): no text may hold U+E000, so the same class written in a
text's raw HTML (`<section class="footnotes">`, `<a class="footnote-backref">`) is dropped,
and no words of a text are read as a footnote's, or left out of a redline as a back link."""


def use_footnotes(md: MarkdownIt) -> None:
    """Read footnotes in `md` and write them as marks and a list of notes.

    Only the `[^label]` form: pandoc's inline notes (`^[…]`) are not read, as neither GitHub
    nor Python-Markdown reads them, and a text written for those shows `^[` as written.
    """
    footnote_plugin(md, inline=False)
    md.inline.ruler.at("footnote_ref", read_mark)
    md.core.ruler.at("footnote_tail", gather_notes)
    md.add_render_rule("footnote_ref", _render_mark)
    md.add_render_rule("footnote_block_open", _render_notes_open)
    md.add_render_rule("footnote_block_close", _render_notes_close)
    md.add_render_rule("footnote_open", _render_note_open)
    md.add_render_rule("footnote_close", _render_note_close)
    md.add_render_rule("footnote_anchor", _render_back_link)


BACK_LINK = re.compile(
    f' <a href="#{MARK_ID}[0-9]+(?:-[0-9]+)?" class="{BACK_CLASS}">{BACK}[0-9]+(?:<sup>[0-9]+</sup>)?</a>'
)
"""A note's link back to a mark, as sanitized HTML has it: its words are a number, nothing else."""


def without_back_links(html: str) -> str:
    """Sanitized HTML without the notes' links back to their marks: a way about the page, not
    words of the text (a redline compares the notes' words, and the marks in the text)."""
    return BACK_LINK.sub("", html) if BACK_CLASS in html else html


def mark_id(number: int, occurrence: int) -> str:
    """The id of the mark of note `number` that is its `occurrence`-th (from 0)."""
    return f"{MARK_ID}{number}" + (f"-{occurrence + 1}" if occurrence else "")


def note_id(number: int) -> str:
    """The id of note `number` (from 1)."""
    return f"{NOTE_ID}{number}"


_LABEL_END = re.compile(r"[ \n\]]")
"""What ends a mark's label: its `]`, or a space or line break that makes it no mark."""


def read_mark(state: StateInline, silent: bool) -> bool:
    """A footnote's mark (`[^label]`) whose note the text writes: the plugin's rule, in a time
    in proportion to the line. The plugin looks for the end of a label from every `[^`, and a
    line of 20,000 of them, with one note in the text, took over a minute; here the end found
    from one `[^` serves every `[^` before it."""
    start = state.pos
    if state.src[start : start + 2] != "[^":
        return False
    data = state.env.get("footnotes")
    if not data or not data["refs"]:
        return False
    end = _label_end(state, start + 2)
    if end >= state.posMax or state.src[end] != "]" or end == start + 2:
        return False
    # Only a label as long as one the text writes is looked up: each `[^` of a line of them
    # closed by one `]` is a label up to that `]`, and copying each took a time in
    # proportion to the square of the line (a line of 400 kB, 24 seconds).
    if end - start - 2 not in _label_lengths(state.env, data["refs"]):
        return False
    if ":" + state.src[start + 2 : end] not in data["refs"]:
        return False
    return footnote_ref(state, silent)


def _label_lengths(env: Any, refs: dict[str, Any]) -> frozenset[int]:
    """The lengths of the labels of the notes the text writes."""
    cached = env.get("footnote_label_lengths")
    if cached is None or cached[0] is not refs or cached[1] != len(refs):
        cached = (refs, len(refs), frozenset(len(key) - 1 for key in refs))
        env["footnote_label_lengths"] = cached
    lengths: frozenset[int] = cached[2]
    return lengths


def _label_end(state: StateInline, position: int) -> int:
    """Where the label that starts at `position` ends (`len(src)`: nowhere)."""
    cached = state.env.get("footnote_label_end")
    if cached is not None and cached[0] is state.src and cached[1] <= position <= cached[2]:
        return int(cached[2])
    found = _LABEL_END.search(state.src, position)
    end = found.start() if found else len(state.src)
    state.env["footnote_label_end"] = (state.src, position, end)
    return end


def gather_notes(state: StateCore) -> None:
    """Move the notes to the end of the text, numbered by their first mark; a note with no
    mark after the others (an empty one left out). Reports a label written twice (error) and
    a note with no mark (warning) to `env["problems"]`; records the ids it makes, with their
    lines, in `env["note_ids"]`, and the labels in the order of their numbers in
    `env["note_labels"]`.

    In place of the plugin's `footnote_tail`, which drops a note with no mark silently and
    keeps the last of two notes of one label.
    """
    env = state.env
    if "footnotes" not in env:
        return
    data = env["footnotes"]
    problems: list[Problem] = env.setdefault("problems", [])
    notes: dict[str, tuple[Token, list[Token]]] = {}
    kept: list[Token] = []
    # A note may hold another's definition (indented under it): each goes to its own list.
    open_notes: list[list[Token]] = []
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            label = token.meta["label"]
            open_notes.append([])
            if label in notes:
                first = notes[label][0]
                problems.append(
                    error(
                        _where(env, token),
                        "duplicate-footnote",
                        f"the note '[^{excerpt(label)}]' is already written on line {_line(env, first)}: each note needs a label of its own",
                    )
                )
            else:
                notes[label] = (token, open_notes[-1])
        elif token.type == "footnote_reference_close":
            open_notes.pop()
        elif open_notes:
            open_notes[-1].append(token)
        else:
            kept.append(token)
    state.tokens = kept
    if not notes:
        return
    listed: dict[int, dict[str, Any]] = dict(data["list"])
    referenced = {note["label"] for note in listed.values()}
    for label, (opening, body) in notes.items():
        if label in referenced:
            continue
        if not any(token.content.strip() for token in body):
            problems.append(
                warning(
                    _where(env, opening),
                    "unreferenced-footnote",
                    f"the note '[^{excerpt(label)}]' is empty and has no mark in the text: readers see nothing of it; remove it",
                )
            )
            continue
        problems.append(
            warning(
                _where(env, opening),
                "unreferenced-footnote",
                f"the note '[^{excerpt(label)}]' has no mark in the text: it is shown at the end, with no mark that leads to it; write '[^{excerpt(label)}]' where it belongs, or remove the note",
            )
        )
        listed[len(listed)] = {"label": label, "count": 0}
    if not listed:
        return
    env["note_labels"] = tuple(note["label"] for note in listed.values())
    ids: list[tuple[str, int | None]] = env.setdefault("note_ids", [])
    state.tokens.append(Token("footnote_block_open", "", 1))
    for index, note in listed.items():
        opening, body = notes[note["label"]]
        number = index + 1
        ids.append((note_id(number), _line(env, opening)))
        ids += ((mark_id(number, occurrence), None) for occurrence in range(note["count"]))
        token = Token("footnote_open", "", 1)
        token.meta = {"id": index, "label": note["label"]}
        token.map = opening.map
        state.tokens.append(token)
        state.tokens += body
        closing = state.tokens.pop() if body and body[-1].type == "paragraph_close" else None
        for occurrence in range(note["count"]):
            anchor = Token("footnote_anchor", "", 0)
            anchor.meta = {"id": index, "subId": occurrence, "label": note["label"]}
            state.tokens.append(anchor)
        if closing is not None:
            state.tokens.append(closing)
        state.tokens.append(Token("footnote_close", "", -1))
    state.tokens.append(Token("footnote_block_close", "", -1))


def _where(env: Any, token: Token) -> Any:
    return env["where"].at(_line(env, token))


def _line(env: Any, token: Token) -> int | None:
    lines = env.get("file_lines", ())
    return lines[token.map[0]] if token.map and token.map[0] < len(lines) else None


def _render_mark(renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    meta = tokens[index].meta
    number = meta["id"] + 1
    return (
        f'<sup class="{OWN}{MARK_CLASS}"><a href="#{note_id(number)}" '
        f'id="{mark_id(number, meta["subId"])}">[{number}]</a></sup>'
    )


def _render_notes_open(
    renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    return f'<section class="{OWN}{NOTES_CLASS}">\n<hr>\n<ol>\n'


def _render_notes_close(
    renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    return "</ol>\n</section>\n"


def _render_note_open(
    renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    return f'<li id="{note_id(tokens[index].meta["id"] + 1)}">'


def _render_note_close(
    renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    return "</li>\n"


def _render_back_link(
    renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    meta = tokens[index].meta
    number = meta["id"] + 1
    occurrence = meta["subId"]
    which = f"<sup>{occurrence + 1}</sup>" if occurrence else ""
    return f' <a href="#{mark_id(number, occurrence)}" class="{OWN}{BACK_CLASS}">{BACK}{number}{which}</a>'
