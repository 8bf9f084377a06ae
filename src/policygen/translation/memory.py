"""Source segments and their translations in the site's own files → a translation memory,
and a segment → the best translation memory has for it (pure).

The memory of a policy site is its own translations: every translated text of every
revision of every policy, aligned with its source-language text. Texts are aligned by their
structure: a translation that has the shape of its source (the same headings, paragraphs,
list items and cells, in the same order) is paired segment by segment. When the shapes
differ (a translator merged two paragraphs, a list has an item more), the texts are paired
section by section (by position when both have as many sections, else by anchor: numbered
headings have the same anchor in every language), and a section whose shapes differ gives
only its heading. Nothing is guessed: a segment that cannot be paired is not in memory.

A segment whose text is in memory is filled with its translation, ready ("exact"). Else the
most similar text in memory, if it is at least 75% similar, gives a translation to check
("fuzzy"). Similarity is difflib's ratio over the words, numbers and punctuation marks of
the texts as translators see them: by characters, "11. Retention of Personal Information"
would be 84% like "2. Collection of Personal Information", a heading of another section.
Only segments without an exact match are compared, with the texts of one site, so the
standard library's matcher is fast enough (rapidfuzz would only be faster).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .segments import Code, Segment, render_pieces

SIMILAR = 0.75
"""How similar a text must be to give a fuzzy translation."""
MAX_COMPARING = 200_000_000
"""How much one command may compare texts to find fuzzy translations (some ten seconds),
counted as the words it goes through: each text of memory a segment is compared with (its
words, once), and each pair of words of a full comparison. Each segment is compared with
every text of memory, and a text of a few thousand segments, each made of the words of
thousands of texts of memory in another order, took hours: no quick bound tells them apart."""


def comparing_note(cut: int) -> str:
    """What a command says of the segments `Comparing` was not enough for."""
    return (
        f"{cut:,} segments were compared with only part of translation memory, or none, for "
        "a fuzzy translation: a command compares texts for some ten seconds at most (texts of "
        "thousands of segments, each like thousands of others, would take hours)"
    )


class Comparing:
    """What is left to compare, in one command, and the segments it has not been enough for."""

    def __init__(self) -> None:
        self.left = MAX_COMPARING
        self.cut = 0
        """Segments whose fuzzy translation was looked for in part of memory, or none."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A source text and its translation."""

    source: str
    target: str
    """Its placeholders numbered as the source's."""
    origin: str
    """Where the translation is: `content/privacy/2022-07-07/ja.md:45`."""
    path: str
    """The file it is in."""
    effective: dt.date
    """When the revision it comes from takes effect: the latest translation is preferred."""
    is_complete: bool
    """Whether it has every placeholder of the source (one that dropped markup is only fuzzy)."""


@dataclass(frozen=True, slots=True)
class Match:
    """What memory gives a segment."""

    kind: Literal["exact", "fuzzy"]
    unit: Unit
    similarity: float


@dataclass(frozen=True, slots=True)
class Memory:
    """Every translation of a site into one language."""

    units: tuple[Unit, ...]
    """Newest first."""
    by_source: dict[str, tuple[Unit, ...]]
    words: dict[str, tuple[str, ...]]
    """The words of each source text (see `words`)."""


_WORD = re.compile(r"</?\d+>|\{\d+\}|\w+|[^\w\s]")


def words(text: str) -> tuple[str, ...]:
    """What similarity is measured on: words, numbers, punctuation marks and placeholders."""
    return tuple(_WORD.findall(text))


def align(source: Sequence[Segment], target: Sequence[Segment]) -> list[tuple[Segment, Segment]]:
    """Pairs of a source text's segments and its translation's, by structure."""
    pairs = [
        (s, t)
        for kind in ("title", "summary")
        for s in source
        if s.kind == kind
        for t in target
        if t.kind == kind
    ]
    body = [s for s in source if s.span is not None]
    translated = [t for t in target if t.span is not None]
    if [s.shape for s in body] == [t.shape for t in translated]:
        return pairs + list(zip(body, translated, strict=True))
    sections, other_sections = _sections(body), _sections(translated)
    if len(sections) == len(other_sections):
        matched = list(zip(sections, other_sections, strict=True))
    else:
        by_anchor = {s[0].anchor: s for s in other_sections if s and s[0].kind == "heading"}
        matched = [(s, by_anchor[s[0].anchor]) for s in sections if s[0].anchor in by_anchor]
    for mine, theirs in matched:
        if [s.shape for s in mine] == [t.shape for t in theirs]:
            pairs += zip(mine, theirs, strict=True)
        elif mine[0].kind == theirs[0].kind == "heading" and mine[0].shape == theirs[0].shape:
            pairs.append((mine[0], theirs[0]))
    return pairs


def _sections(segments: Sequence[Segment]) -> list[list[Segment]]:
    sections: list[list[Segment]] = [[]]
    for segment in segments:
        if segment.kind == "heading":
            sections.append([])
        sections[-1].append(segment)
    return [section for section in sections if section]


def translation_unit(source: Segment, target: Segment, effective: dt.date) -> Unit | None:
    """A source segment and its translation as memory keeps them; None when the
    translation's markup is not the source's (it could not be put back in place)."""
    taken: set[int] = set()
    numbers: dict[int, int] = {}
    for code in target.codes:
        match = _counterpart(code, source.codes, taken)
        if match is None:
            return None
        numbers[code.number] = match.number
        taken.add(match.number)
    pieces = [
        replace(piece, number=numbers[piece.number])
        if piece.kind not in ("text", "space")
        else piece
        for piece in target.pieces
    ]
    return Unit(
        source.text,
        render_pieces(pieces, source.codes),
        f"{target.path}:{target.line}",
        target.path,
        effective,
        len(taken) == len(source.codes),
    )


def _counterpart(code: Code, codes: Sequence[Code], taken: set[int]) -> Code | None:
    """The source's markup a translation's stands for: the same markup, else the same kind."""
    free = [c for c in codes if c.number not in taken]
    return next(
        (c for c in free if (c.opening, c.closing) == (code.opening, code.closing)),
        next((c for c in free if c.what == code.what and c.is_pair == code.is_pair), None),
    )


def build_memory(units: Iterable[Unit]) -> Memory:
    """Memory from translation units, newest first."""
    ordered = sorted(units, key=lambda u: (-u.effective.toordinal(), u.origin))
    by_source: dict[str, list[Unit]] = {}
    for unit in ordered:
        by_source.setdefault(unit.source, []).append(unit)
    return Memory(
        tuple(ordered),
        {k: tuple(v) for k, v in by_source.items()},
        {k: words(k) for k in by_source},
    )


def recall(
    memory: Memory,
    text: str,
    until: dt.date,
    own: str = "",
    comparing: Comparing | None = None,
) -> Match | None:
    """The best translation in memory for a source text, from revisions in effect by `until`;
    the one in the file `own` (the translation being made, when it exists) comes first, as a
    text may be translated differently in two places (the general text and a region's). A
    fuzzy translation is looked for only while `comparing` has some left."""
    exact = sorted(
        (u for u in memory.by_source.get(text, ()) if u.effective <= until),
        key=lambda u: u.path != own,
    )
    ready = next((u for u in exact if u.is_complete), None)
    if ready is not None:
        return Match("exact", ready, 1.0)
    if exact:
        return Match("fuzzy", exact[0], 1.0)
    comparing = comparing if comparing is not None else Comparing()
    best: Match | None = None
    mine = words(text)
    matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(mine)
    # A text translated in many revisions is in memory many times: it is compared once, as
    # its later units could not be more similar than its first.
    compared: set[str] = set()
    for unit in memory.units:
        if unit.effective > until or unit.source in compared:
            continue
        if comparing.left <= 0:
            comparing.cut += 1
            break
        compared.add(unit.source)
        theirs = memory.words[unit.source]
        total = len(theirs) + len(mine)
        floor = best.similarity if best is not None else SIMILAR
        comparing.left -= 1
        if total == 0 or 2 * min(len(theirs), len(mine)) / total < floor:
            continue
        comparing.left -= len(theirs)
        matcher.set_seq1(theirs)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        comparing.left -= len(theirs) * len(mine)
        similarity = matcher.ratio()
        if similarity >= floor and (best is None or similarity > best.similarity):
            best = Match("fuzzy", unit, similarity)
    return best
