"""The inline HTML of two versions of a block → one redline of it, word by word.

Words in space-separated scripts, characters in Chinese, Japanese, Korean and Thai. Only the
visible text is compared: a word whose text stayed but whose link or emphasis changed is
kept, and marked as a change of form rather than struck and inserted again. Whitespace never
counts as a change.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import unescape
from typing import Literal, NamedTuple

from markupsafe import escape

from ..footnotes import MARK_CLASS
from .blocks import _ATTRIBUTE, _TAG, VOID_ELEMENTS, start_tag
from .matching import Opcode, match_around_anchors

InlineChange = Literal["equal", "reformatted", "modified"]
"""Nothing marked; only changes of form marked; words inserted or deleted."""
Form = Literal[
    "link",
    "formatting",
    "heading level",
    "renumbered",
    "paragraph split",
    "paragraphs joined",
    "item split",
    "items joined",
    "paragraph break moved",
]
"""What a change of a part is besides its words, as its list of changes names it: a link's
target, emphasis, a heading's level or number, or where its paragraphs (or items) break."""
Forms = frozenset[Form]
NO_FORMS: Forms = frozenset()

HIDDEN_LABEL_CLASS = "visually-hidden"
"""Class of the localized "inserted: " / "deleted: " label at the start of each mark."""
FORM_CLASS = "redline-form"
"""Class of what changed in form only: a link's target, emphasis, a heading's level."""
BREAK_CLASS = "redline-break"
"""Class of the mark of a paragraph break inserted (a paragraph split) or deleted (joined)."""
BREAK_SIGN = "\u00b6"
"""What shows a paragraph break inserted or deleted, as word processors show it: a pilcrow."""
LINE_BREAK_SIGN = "\u21b5"
"""What shows a line break (`<br>`) inserted or deleted: a return arrow."""
_LINE_BREAK = "\x00br"
"""The key of a line break's atom."""
INLINE_BUDGET = 250_000
"""Old × new tokens in the middle of an edited block above which difflib skips frequent tokens."""

_CHARACTER_SCRIPTS = (
    "\u0e00-\u0e7f"  # Thai
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK and Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u318f"  # Bopomofo, Hangul compatibility Jamo
    "\u31a0-\u4dbf"  # Bopomofo extended … CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7ff"  # Hangul syllables, Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # half-width and full-width forms
    "\U00020000-\U0003ffff"  # CJK extensions B and later
)
_COMBINING = "\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u200c\u200d\u3099\u309a\ufe00-\ufe0f"
_PUNCTUATION = (
    "!\"#$%&'()*+,./:;<=>?@\\[\\]^`{|}~\\-"
    "\u00a1\u00a7\u00ab\u00b6\u00b7\u00bb\u00bf"
    "\u055c-\u055f\u0589\u05be\u05c0\u05c3\u05f3\u05f4"
    "\u060c\u061b\u061f\u066a-\u066d\u06d4\u0964\u0965"
    "\u2010-\u2027\u2030-\u205e\u2e00-\u2e7f"
)
_WORD = f"[^\\s{_PUNCTUATION}{_CHARACTER_SCRIPTS}]"
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    rf"|(?P<char>[{_CHARACTER_SCRIPTS}][{_COMBINING}]*)"
    # "4.2", "e-mail", "don't", "1,000" and "10:30" are one word each.
    rf"|(?P<word>{_WORD}+(?:[.,'\u2019:/@-]{_WORD}+)*)"
    r"|(?P<other>.)",
    re.DOTALL,
)
"""Whitespace; one CJK or Thai character (with its combining marks); a word; one punctuation mark."""
_VISIBLE_TOKEN = re.compile(
    rf"(?!\s)(?:[{_CHARACTER_SCRIPTS}][{_COMBINING}]*|{_WORD}+(?:[.,'\u2019:/@-]{_WORD}+)*|.)",
    re.DOTALL,
)
"""The tokens of _TOKEN but whitespace, found by `findall` with no match object made for each."""
_GLUE = "\x01"
"""What the key of a word joined to the next (after it) or the one before (before it) across
an element's edge holds besides its text: no text holds it (control characters are errors)."""
_HREF = re.compile(r' href="([^"]*)"')
_MARK_TAG = start_tag("sup", [("class", MARK_CLASS)])
"""A footnote's mark, its start tag as the reader writes it."""
_NOTE_MARK = "\x00fn"
"""What the key of a footnote's mark starts with: no word is one."""
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})
"""What `markupsafe.escape` writes for each character it escapes (a token is escaped by
`str.translate`, without making a Markup of every word)."""


def words_of(text: str) -> tuple[str, ...]:
    """The tokens of a plain text, whitespace left out."""
    return tuple(_VISIBLE_TOKEN.findall(text))


@dataclass(frozen=True, slots=True)
class RedlineLabels:
    """The words of a redline's hidden labels and tooltips, in the language of its page."""

    inserted: str = "inserted"
    deleted: str = "deleted"
    link_changed: str = "link changed"
    link_added: str = "link added"
    link_removed: str = "link removed"
    formatting_changed: str = "formatting changed"
    heading_level_changed: str = "heading level changed"
    renumbered: str = "renumbered"
    paragraph_break_inserted: str = "paragraph break inserted"
    paragraphs_joined: str = "paragraphs joined"
    paragraph_break_moved: str = "paragraph break moved"
    moved: str = "moved"
    moved_and_changed: str = "moved · changed"


@dataclass(frozen=True, slots=True)
class Marks:
    """How marks open: <ins> and <del> with their hidden label, and changes of form."""

    labels: RedlineLabels
    ins: str
    dels: str

    @classmethod
    def of(cls, labels: RedlineLabels) -> Marks:
        return cls(
            labels,
            f'<ins><span class="{HIDDEN_LABEL_CLASS}">{escape(labels.inserted)}: </span>',
            f'<del><span class="{HIDDEN_LABEL_CLASS}">{escape(labels.deleted)}: </span>',
        )

    def wrap(self, mark: Literal["ins", "del"], html: str) -> str:
        """Mark the whole of a block's content (nothing to mark in an empty block)."""
        opening = self.ins if mark == "ins" else self.dels
        return f"{opening}{html}</{mark}>" if html.strip() else html

    def paragraph_break(self, mark: Literal["ins", "del"], *, is_moved: bool = False) -> str:
        """A paragraph break inserted or deleted (or moved: deleted in one place, inserted in
        another, the words between them the same): a pilcrow, marked, named for screen readers
        (which read the label, not the sign) and in a tooltip."""
        labels = self.labels
        label = escape(
            labels.paragraph_break_moved
            if is_moved
            else labels.paragraph_break_inserted
            if mark == "ins"
            else labels.paragraphs_joined
        )
        return (
            f'<{mark} class="{BREAK_CLASS}" title="{label}">'
            f'<span class="{HIDDEN_LABEL_CLASS}"> {label} </span>'
            f'<span aria-hidden="true">{BREAK_SIGN}</span></{mark}>'
        )

    def form(self, label: str) -> str:
        """The opening of a change of form: its label in a tooltip and for screen readers."""
        return (
            f'<span class="{FORM_CLASS}" title="{escape(label)}">'
            f'<span class="{HIDDEN_LABEL_CLASS}">{escape(label)}: </span>'
        )


_Mark = tuple[str, str]
"""A mark as written: the element that closes it ("ins", "del" or "span") and its opening."""
_Context = tuple[tuple[str, str, str], ...]
"""The inline elements around an atom, outermost first: (name, start tag, start tag without id)."""


class _Atom(NamedTuple):
    """A token of a block's inline content: a word, a CJK/Thai character, a mark or a line break
    (a tuple, quicker to make than a frozen dataclass: there is one for every token read)."""

    key: str
    """What is compared: its visible text (a line break is one)."""
    html: str
    """Escaped text, or a line break's tag."""
    space: str
    """The whitespace before it, which is kept but never compared."""
    context: _Context
    size: int
    """Length in characters."""
    lead: str = ""
    """Elements with no text just before it (an empty `<a id>`): kept, never compared."""

    @property
    def form(self) -> tuple[str, ...]:
        """Its elements as a reader sees them: ids are not seen."""
        return tuple(form for _, _, form in self.context)


def _read_atoms(html: str, *, keep_ids: bool) -> tuple[tuple[_Atom, ...], str]:
    """Sanitized inline HTML → its atoms, and the elements with no text after the last one.

    The older side of a redline is read without ids: they are the newer side's to use.
    """
    atoms: list[_Atom] = []
    context: list[tuple[str, str, str]] = []
    around: _Context = ()
    """`context` as each atom keeps it."""
    opened: list[tuple[int, int]] = []  # atoms and pending elements when each element opened
    pending: list[str] = []
    space = ""
    after_word = False
    """Whether the last atom read is a word, with no whitespace read since."""

    def add(key: str, text_html: str, size: int) -> None:
        nonlocal space
        lead = ""
        if pending:  # (while none is pending, every element opened counts none)
            lead = "".join(pending)
            pending.clear()
            opened[:] = [(count, 0) for count, _ in opened]
        atoms.append(_Atom(key, text_html, space, around, size, lead))
        space = ""

    def add_text(text: str) -> None:
        nonlocal space, after_word
        if around and around[-1][0] == "a" and _MARK_TAG in (t for _, _, t in around):
            # A footnote's mark ("[12]") is one number: changed, it is struck and written
            # whole, never "[" kept and "1" struck inside it.
            words = unescape(text)
            space += words[: len(words) - len(words.lstrip())]
            if words.strip():
                # Its number and the note it leads to (`notes._marks_to_new_notes`).
                add(
                    _NOTE_MARK + words.strip() + "\x00" + _href(around[-1][2]),
                    words.strip().translate(_ESCAPES),
                    len(words.strip()),
                )
            space += words[len(words.rstrip()) :] if words.strip() else ""
            after_word = False
            return
        for match in _TOKEN.finditer(unescape(text)):
            token = match.group()
            kind = match.lastgroup
            if kind == "space":
                space += token
                after_word = False
                continue
            key = token
            if kind == "word" and after_word:
                # A word that an element's edge alone parts from the word before it
                # ('<em>Agreement</em>and') reads as one word with it, as it would in plain
                # text: a space put between them later changes what is read.
                last = atoms[-1]
                atoms[-1] = last._replace(key=last.key.rstrip(_GLUE) + _GLUE)
                key = _GLUE + token
            add(key, token.translate(_ESCAPES), len(token))
            after_word = kind == "word"

    position = 0
    for match in _TAG.finditer(html):
        if match.start() > position:
            add_text(html[position : match.start()])
        position = match.end()
        tag = match.group(2).lower()
        if match.group(1):
            depth = next((d for d in range(len(context) - 1, -1, -1) if context[d][0] == tag), None)
            while depth is not None and len(context) > depth:
                name, start, _ = context.pop()
                count, first_pending = opened.pop()
                if count == len(atoms):
                    pending[first_pending:] = [start, *pending[first_pending:], f"</{name}>"]
            around = tuple(context)
            continue
        attrs = [(name.lower(), unescape(value)) for name, value in _ATTRIBUTE.findall(match[3])]
        form = start_tag(tag, [(name, value) for name, value in attrs if name != "id"])
        start = start_tag(tag, attrs) if keep_ids else form
        if tag in VOID_ELEMENTS:
            add("\x00" + tag, start, 1)
            after_word = False
        else:
            context.append((tag, start, form))
            around = tuple(context)
            opened.append((len(atoms), len(pending)))
    if position < len(html):
        add_text(html[position:])
    return tuple(atoms), "".join(pending)


class _Step(NamedTuple):
    """An atom as written in the redline, with the whitespace around it placed (a tuple, as
    `_Atom`)."""

    mark: _Mark | None
    atom: _Atom
    outer: str
    """Whitespace before it, outside its mark: read in both texts."""
    inner: str = ""
    """Whitespace before it, inside its mark: read only in its own text."""
    after: str = ""
    """Whitespace after it, inside its mark (the last atom of a mark)."""
    lead: str = ""
    """Elements with no text to write before it (the newer side's only)."""


# An edit to a paragraph usually shows in several pairs of texts: each region's, and each
# language's that falls back to the same text.
@functools.lru_cache(maxsize=8192)
def diff_inline(old_html: str, new_html: str, marks: Marks) -> tuple[str, InlineChange, Forms]:
    """Inline HTML of an edited block → its redline, what it marks, and the changes of form
    among its marks."""
    old, _ = _read_atoms(old_html, keep_ids=False)
    new, tail = _read_atoms(new_html, keep_ids=True)
    opcodes = match_sequences([atom.key for atom in old], [atom.key for atom in new])
    insertion: _Mark = ("ins", marks.ins)
    deletion: _Mark = ("del", marks.dels)
    steps: list[_Step] = []
    forms: set[Form] = set()
    next_outer: str | None = None
    for tag, i1, i2, j1, j2 in _merge_short_equalities(opcodes, old, new):
        if tag == "equal":
            for k, (before, atom) in enumerate(zip(old[i1:i2], new[j1:j2], strict=True)):
                outer = next_outer if k == 0 and next_outer is not None else atom.space
                mark = None
                if before.form != atom.form:
                    label, changed = _form_label(before, atom, marks.labels)
                    mark = ("span", marks.form(label))
                    forms.update(changed)
                steps.append(_Step(mark, atom, outer, lead=atom.lead))
            next_outer = None
            continue
        end_old = old[i2].space if i2 < len(old) else ""
        end_new = new[j2].space if j2 < len(new) else ""
        spaces = _edit_spaces(
            (old[i1].space if i1 < i2 else None, end_old),
            (new[j1].space if j1 < j2 else None, end_new),
        )
        # The new text's elements with no text (an anchor) go before the whole edit.
        lead = "".join(atom.lead for atom in new[j1:j2])
        first = len(steps)
        steps.extend(_marked_steps(deletion, old[i1:i2], spaces.outer_start, spaces.old))
        outer = "" if i1 < i2 else spaces.outer_start
        steps.extend(_marked_steps(insertion, new[j1:j2], outer, spaces.new))
        if lead:
            steps[first] = steps[first]._replace(lead=lead)
        next_outer = spaces.outer_end
    if any(step.mark is not None and step.mark[0] != "span" for step in steps):
        return _write_atoms(steps) + tail, "modified", frozenset(forms)
    if any(step.mark is not None for step in steps):
        return _write_atoms(steps) + tail, "reformatted", frozenset(forms)
    return new_html, "equal", NO_FORMS


@functools.lru_cache(maxsize=1024)
def cut_inline(html: str, parts: tuple[str, ...], *, keep_ids: bool = False) -> tuple[str, ...]:
    """Inline HTML → its pieces, one for each of `parts`: the texts it was cut into (or
    joined from), in order, each piece the words that became (or came from) that part.

    The words of `html` are matched with those of the parts one after the other; each cut
    falls where a part ends, or, in an edited run of words, as far into it as that part's
    words go. Words of `html` alone where a part ends go to the next piece: what changes at
    a break is more often the start of a paragraph (its number, "Moreover,") than its end.
    Each piece after the first keeps the whitespace before it; its elements are closed at
    its end and opened again in the next.
    """
    atoms, tail = _read_atoms(html, keep_ids=keep_ids)
    keys: list[str] = []
    ends: list[int] = []
    for part in parts:
        keys.extend(atom.key for atom in _read_atoms(part, keep_ids=False)[0])
        ends.append(len(keys))
    opcodes = match_sequences([atom.key for atom in atoms], keys)
    cuts = [0]
    for end in ends[:-1]:
        cut = next(
            (
                i1 + min(end - j1, i2 - i1)
                for _, i1, i2, j1, j2 in opcodes
                if j1 <= end < j2 or j1 == j2 == end
            ),
            len(atoms),
        )
        cuts.append(max(cut, cuts[-1]))
    cuts.append(len(atoms))
    pieces = [
        _write_atoms([_Step(None, atom, atom.space, lead=atom.lead) for atom in atoms[a:b]])
        for a, b in zip(cuts, cuts[1:], strict=False)
    ]
    pieces[-1] += tail
    return tuple(pieces)


class Recut(NamedTuple):
    """Paragraphs cut elsewhere in the same words."""

    pieces: tuple[tuple[tuple[int, str], ...], ...]
    """For each new paragraph, the pieces of the old paragraphs its words came from, in
    order: (the old paragraph's index, the piece's HTML)."""
    old_moved: tuple[bool, ...]
    """For each old break (after old paragraph k), whether it moved to a new one; else the
    new text has none there or near it: the paragraphs were joined."""
    new_moved: tuple[bool, ...]
    """For each new break (after new paragraph k), whether an old one moved there; else it
    is a new one: the paragraph was split."""


class _Joined(NamedTuple):
    """Paragraphs read as one text, and another such text, word by word."""

    old_atoms: list[tuple[tuple[_Atom, ...], str]]
    old_lengths: list[int]
    new_lengths: list[int]
    opcodes: list[Opcode]


@functools.lru_cache(maxsize=256)
def _joined(olds: tuple[str, ...], news: tuple[str, ...]) -> _Joined:
    old_atoms = [_read_atoms(html, keep_ids=False) for html in olds]
    new_keys = [[atom.key for atom in _read_atoms(html, keep_ids=False)[0]] for html in news]
    whole_old = [atom.key for atoms, _ in old_atoms for atom in atoms]
    whole_new = [key for keys in new_keys for key in keys]
    return _Joined(
        old_atoms,
        [len(atoms) for atoms, _ in old_atoms],
        [len(keys) for keys in new_keys],
        match_sequences(whole_old, whole_new),
    )


def marked_tokens(olds: tuple[str, ...], news: tuple[str, ...]) -> int:
    """How many words (and marks, characters of CJK and Thai) the inline HTML of paragraphs
    `news`, read as one text, marks inserted or deleted against `olds` read as one."""
    opcodes = _joined(olds, news).opcodes
    return sum(i2 - i1 + j2 - j1 for tag, i1, i2, j1, j2 in opcodes if tag != "equal")


@functools.lru_cache(maxsize=1024)
def recut_inline(olds: tuple[str, ...], news: tuple[str, ...]) -> Recut | None:
    """The inline HTML of paragraphs, and of new ones cut elsewhere in the same words → the
    pieces of the old paragraphs each new one holds, and which breaks moved; None where a
    new paragraph holds none of their words, or a new break falls where an old one was (each
    side of it is then a group of its own: a paragraph split, paragraphs joined, if anything),
    or the words of the paragraphs, or those between an old break and the new one it moved
    to, are not mostly the same in both texts.

    A sentence moved from the end of one paragraph to the start of the next keeps its words;
    diffed paragraph by paragraph, it reads as deleted from one and inserted in the other.
    Each new break falls in the old words as `cut_inline` places it. Where the new text has
    fewer paragraphs (or more), each break of the side with fewer is taken to have moved to
    the nearest of the other side's, in order (`_moves`); the others were removed (or added).
    """
    old_atoms, old_lengths, new_lengths, opcodes = _joined(olds, news)
    if 2 * marked_tokens(olds, news) >= sum(old_lengths) + sum(new_lengths):
        return None  # mostly other words: a rewrite, however its breaks fall
    old_ends = list(itertools.accumulate(old_lengths, initial=0))
    cuts = [0]
    ops = iter(opcodes)
    op = next(ops, None)
    # (Each in order: the opcodes, and the new breaks, as places in the new words.)
    for end in itertools.accumulate(new_lengths[:-1]):
        while op is not None and not (op[3] <= end < op[4] or op[3] == op[4] == end):
            op = next(ops, None)
        cut = old_ends[-1] if op is None else op[1] + min(end - op[3], op[2] - op[1])
        if cut <= cuts[-1]:
            return None
        cuts.append(cut)
    cuts.append(old_ends[-1])
    if not set(cuts[1:-1]).isdisjoint(old_ends):
        return None
    # The words between each old break and the new one must be mostly the same words: moved
    # across the break, not deleted on one side of it and others inserted on the other.
    moves = _moves(old_ends[1:-1], cuts[1:-1])
    crossed = [sorted((old_ends[a + 1], cuts[b + 1])) for a, b in moves]
    equal = [(i1, i2) for tag, i1, i2, _, _ in opcodes if tag == "equal"]
    kept_before = list(itertools.accumulate((i2 - i1 for i1, i2 in equal), initial=0))

    def kept_until(place: int) -> int:
        """How many old words before `place` both texts keep."""
        k = bisect.bisect_right(equal, (place, place))
        # (The run before it may hold `place`: only its words before `place` count.)
        if k and equal[k - 1][1] > place:
            return kept_before[k - 1] + place - equal[k - 1][0]
        return kept_before[k]

    kept = sum(kept_until(stop) - kept_until(start) for start, stop in crossed)
    if 2 * kept < sum(stop - start for start, stop in crossed):
        return None
    recut: list[tuple[tuple[int, str], ...]] = []
    first = 0  # the first old paragraph the next new one may hold words of
    for start, stop in itertools.pairwise(cuts):
        pieces = []
        for index in range(first, len(old_atoms)):
            if old_ends[index] >= stop:
                break
            atoms, tail = old_atoms[index]
            a = max(start, old_ends[index]) - old_ends[index]
            b = min(stop, old_ends[index + 1]) - old_ends[index]
            if a < b:
                html = _write_atoms(
                    [_Step(None, atom, atom.space, lead=atom.lead) for atom in atoms[a:b]]
                )
                pieces.append((index, html + (tail if b == len(atoms) else "")))
            if old_ends[index + 1] <= stop:
                first = index + 1
        recut.append(tuple(pieces))
    moved_old, moved_new = {a for a, _ in moves}, {b for _, b in moves}
    return Recut(
        tuple(recut),
        tuple(k in moved_old for k in range(len(olds) - 1)),
        tuple(k in moved_new for k in range(len(news) - 1)),
    )


def _moves(old_breaks: Sequence[int], new_breaks: Sequence[int]) -> list[tuple[int, int]]:
    """Breaks of two texts, as places in the same words → which old break moved to which new
    one: each break of the side with fewer paired with one of the other side's, in order, the
    words moved across them fewest (as many breaks on each side: the first with the first)."""
    if len(old_breaks) == len(new_breaks):
        return [(k, k) for k in range(len(old_breaks))]
    short, long = (
        (old_breaks, new_breaks) if len(old_breaks) < len(new_breaks) else (new_breaks, old_breaks)
    )
    spare = len(long) - len(short)
    # cost[i][d]: the fewest words moved pairing the first i short breaks with i of the
    # first i + d long ones (the other d left alone), d from 0 to `spare`.
    inf = float("inf")
    cost = [[0.0] * (spare + 1)] + [[inf] * (spare + 1) for _ in short]
    for i, place in enumerate(short, 1):
        for d in range(spare + 1):
            paired = cost[i - 1][d] + abs(place - long[i + d - 1])
            cost[i][d] = min(paired, cost[i][d - 1]) if d else paired
    pairs: list[tuple[int, int]] = []
    i, d = len(short), spare
    while i:
        if d and cost[i][d] == cost[i][d - 1]:
            d -= 1
        else:
            pairs.append((i - 1, i + d - 1))
            i -= 1
    pairs.reverse()
    return pairs if short is old_breaks else [(a, b) for b, a in pairs]


def _form_label(old: _Atom, new: _Atom, labels: RedlineLabels) -> tuple[str, list[Form]]:
    """What changed in the form of a word: its link, its other elements, or both (its label,
    and the changes of form it names)."""
    old_links = [_href(form) for form in old.form if form.startswith("<a ")]
    new_links = [_href(form) for form in new.form if form.startswith("<a ")]
    parts = []
    forms: list[Form] = []
    if old_links != new_links:
        forms.append("link")
        if old_links and new_links:
            parts.append(f"{labels.link_changed}: {old_links[-1]} → {new_links[-1]}")
        elif new_links:
            parts.append(f"{labels.link_added}: {new_links[-1]}")
        else:
            parts.append(f"{labels.link_removed}: {old_links[-1]}")
    if [form for form in old.form if not form.startswith("<a ")] != [
        form for form in new.form if not form.startswith("<a ")
    ]:
        # Words in a title (`<abbr title="…">`) show only where a reader points at them:
        # a change of them is said, as a link's is, not hidden as formatting.
        old_titles = [_title(form) for form in old.form if not form.startswith("<a ")]
        new_titles = [_title(form) for form in new.form if not form.startswith("<a ")]
        said = [f"'{a}' → '{b}'" for a, b in zip(old_titles, new_titles, strict=False) if a != b]
        if len(old_titles) != len(new_titles):
            said = [f"'{' '.join(old_titles).strip()}' → '{' '.join(new_titles).strip()}'"]
        said = [text for text in said if text != "'' → ''"]
        parts.append(
            f"{labels.formatting_changed}: {'; '.join(said)}" if said else labels.formatting_changed
        )
        forms.append("formatting")
    return "; ".join(parts), forms


_TITLE = re.compile(r' title="([^"]*)"')


def _title(start: str) -> str:
    match = _TITLE.search(start)
    return unescape(match.group(1)) if match else ""


def _href(start: str) -> str:
    match = _HREF.search(start)
    return unescape(match.group(1)) if match else ""


@dataclass(frozen=True, slots=True)
class _EditSpaces:
    """Where the whitespace around an edit goes, so that each text reads with its own spacing."""

    outer_start: str
    outer_end: str
    old: tuple[str, str]
    """Whitespace inside the deletion, at its start and its end."""
    new: tuple[str, str]
    """Whitespace inside the insertion, at its start and its end."""


def _edit_spaces(old: tuple[str | None, str], new: tuple[str | None, str]) -> _EditSpaces:
    """Place the whitespace before and after an edit.

    Each side is (whitespace before its first edited atom, or None when it has none; whitespace
    before the atom after the edit). Whitespace both texts have at an edge goes outside the
    marks, where both read it (HTML collapses the doubled space this can leave in one of them);
    whitespace only one text has goes inside that text's mark. A side with no atoms has one gap.
    """
    old_start, old_end = old[0] if old[0] is not None else old[1], old[1]
    new_start, new_end = new[0] if new[0] is not None else new[1], new[1]
    if old[0] is not None and new[0] is not None:
        outer_start = new_start if old_start and new_start else ""
        outer_end = new_end if old_end and new_end else ""
    else:
        # Only one side has atoms. The other side's single gap goes outside at each edge where
        # the side with atoms has whitespace too; if it has none, at the end anyway: that side
        # then reads one space too many, which only a mark of nothing but a space could avoid.
        gap, edges = (
            (old_start, (new_start, new_end))
            if new[0] is not None
            else (new_start, (old_start, old_end))
        )
        outer_start = gap if edges[0] else ""
        outer_end = gap if edges[1] or (gap and not edges[0]) else ""
    return _EditSpaces(
        outer_start,
        outer_end,
        ("" if outer_start else old_start, "" if outer_end else old_end),
        ("" if outer_start else new_start, "" if outer_end else new_end),
    )


def _marked_steps(
    mark: _Mark, atoms: Sequence[_Atom], outer: str, spaces: tuple[str, str]
) -> list[_Step]:
    last = len(atoms) - 1
    return [
        _Step(
            mark,
            _shown_line_break(atom, mark[0]) if atom.key == _LINE_BREAK else atom,
            outer if k == 0 else "",
            spaces[0] if k == 0 else atom.space,
            spaces[1] if k == last else "",
        )
        for k, atom in enumerate(atoms)
    ]


def _shown_line_break(atom: _Atom, mark: str) -> _Atom:
    """A line break inserted or deleted, as a reader can see it: a mark with nothing in it
    but a break (or, deleted, the break the page no longer has) shows nothing at all, so a
    section would be listed as changed with no change to be found in it."""
    sign = f'<span class="{BREAK_CLASS}" aria-hidden="true">{LINE_BREAK_SIGN}</span>'
    return atom._replace(html=sign if mark == "del" else sign + atom.html)


def match_sequences(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """difflib opcodes turning `old` into `new`, in about linear time for local edits (of
    the words of a block, or of the cells of a table row).

    The common head and tail are cut off first (an edit is usually somewhere in the middle
    of a block). difflib is quadratic on a long middle made of a few tokens repeated (a
    rewritten paragraph; CJK characters), and on one edited in many places (a cell of
    100,000 lines, a word changed in every hundred), so past `INLINE_BUDGET` the middle is
    matched around the tokens found once in each (see `match_around_anchors`), and frequent
    tokens anchor nothing: such an edit is a rewrite anyway.
    """
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    middle_old, middle_new = old[head : len(old) - tail], new[head : len(new) - tail]
    middle: list[Opcode]
    if len(middle_old) * len(middle_new) > INLINE_BUDGET:
        middle = match_around_anchors(middle_old, middle_new)
    else:
        middle = list(SequenceMatcher(None, middle_old, middle_new, autojunk=False).get_opcodes())
    # The middle starts and ends with a difference, so no equal run of it touches head or tail.
    opcodes: list[Opcode] = [("equal", 0, head, 0, head)] if head else []
    opcodes.extend(
        (tag, head + i1, head + i2, head + j1, head + j2) for tag, i1, i2, j1, j2 in middle
    )
    if tail:
        opcodes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return opcodes


def _merge_short_equalities(
    opcodes: Iterable[Opcode], old: Sequence[_Atom], new: Sequence[_Atom]
) -> list[Opcode]:
    """Fold into the edit around it an equal run no longer than the edits on both of its sides.

    The rule of diff-match-patch's semantic cleanup: a rewritten sentence reads as one deletion
    and one insertion, not as shreds around the odd word or character the two happen to share.
    """

    def size(atoms: Sequence[_Atom], start: int, end: int) -> int:
        return sum(atom.size for atom in atoms[start:end])

    def edit_size(op: Opcode) -> int:
        return max(size(old, op[1], op[2]), size(new, op[3], op[4]))

    ops = list(opcodes)
    k = 1
    while k < len(ops) - 1:
        tag, i1, i2, _, _ = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if (
            tag == "equal"
            and size(old, i1, i2) <= edit_size(before)
            and size(old, i1, i2) <= edit_size(after)
        ):
            ops[k - 1 : k + 2] = [("replace", before[1], after[2], before[3], after[4])]
            # The merged edit is larger now: the equal run before it may fold in too.
            k = max(1, k - 2)
        else:
            k += 1
    return ops


def _write_atoms(steps: Sequence[_Step]) -> str:
    """Steps → HTML, reopening inline elements as they change and marks inside them.

    A mark stays open across atoms in deeper elements, so "<ins><em>a</em> b</ins>" is one
    insertion; it closes before any element it is inside of closes, so nesting stays valid.
    """
    parts: list[str] = []
    stack: list[tuple[_Mark | None, str, str]] = []  # (mark, or None for an element; name; start)
    for step in steps:
        context = step.atom.context
        keep, depth, has_mark = 0, 0, False
        for frame_mark, name, start in stack:
            if frame_mark is not None and frame_mark == step.mark:
                has_mark = True
            elif not (
                frame_mark is None and depth < len(context) and context[depth][:2] == (name, start)
            ):
                break
            else:
                depth += 1
            keep += 1
        while len(stack) > keep:
            frame_mark, name, _ = stack.pop()
            parts.append(f"</{name}>")
        parts.append(step.outer)
        # Elements with no text (an anchor) go before a mark: they are not what it marks.
        parts.append(step.lead)
        if step.mark is not None and not has_mark:
            parts.append(step.mark[1])
            stack.append((step.mark, step.mark[0], ""))
        parts.append(step.inner)
        for name, start, _ in context[depth:]:
            parts.append(start)
            stack.append((None, name, start))
        parts.append(step.atom.html)
        parts.append(step.after)
    while stack:
        _, name, _ = stack.pop()
        parts.append(f"</{name}>")
    return "".join(parts)
