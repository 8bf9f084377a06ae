"""A document file's Markdown body + a region → the canonical Markdown served as source.md.

The canonical form (SPEC §5) is what `sha256` in the manifest hashes, so it must change only
when the text a reader sees changes: region blocks resolved (fence lines dropped, the text
of a block kept or dropped whole), no leading blank lines, whitespace-only lines made
empty, runs of empty lines collapsed to one, exactly one final newline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from .errors import Problem, SourceLocation, error


@dataclass(frozen=True, slots=True)
class RegionBlock:
    """A `::: region …` block of a document file."""

    regions: frozenset[str]
    """The regions named on the fence line."""
    is_negated: bool
    """`::: region not …`: shown everywhere but in the named regions."""
    lines: tuple[int, int]
    """0-based body lines of the opening and closing fences."""

    def is_shown_in(self, region: str) -> bool:
        return (region in self.regions) != self.is_negated


@dataclass(frozen=True, slots=True)
class CanonicalText:
    """The canonical Markdown of a document, with where each of its lines came from."""

    text: str
    """Canonical Markdown (section 5 of the SPEC)."""
    file_lines: tuple[int, ...]
    """For each line of `text`, the 1-based line of the source file it comes from."""


def _fence_parser() -> MarkdownIt:
    # Every ':::' fence is accepted here, so that a misspelt one is reported rather than shown.
    # Only the blocks matter: the text inside them is not parsed.
    parser = MarkdownIt("commonmark").use(container_plugin, "region", validate=lambda *_: True)
    return parser.disable("inline")


_PARSER = _fence_parser()


FENCE_LINE = re.compile(r"^(:{3,})(.*)$")
LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])\s")
CONTEXT_LINE = r"^ {0,3}(?:```|~~~|<|\[[^\]\n]*\]:)"
"""A line that opens fenced code or an HTML block, or defines a link reference: what makes
other lines read differently (code, HTML, or a link) than they would alone."""
_AMBIGUOUS_LINE = CONTEXT_LINE.removeprefix("^") + r"|(?!:::)[^\n]*:::"
AMBIGUOUS = re.compile(f"^(?:{_AMBIGUOUS_LINE})", re.MULTILINE)
"""What only a Markdown parser can tell: fenced code and HTML blocks (':::' inside them is
text), link reference definitions, and ':::' anywhere but at the start of a line (in a
quote, a list, an indented block, or the text)."""


def parse_region_blocks(
    body: str, where: SourceLocation, body_line: int, known_regions: tuple[str, ...]
) -> tuple[list[RegionBlock], list[Problem]]:
    """Find the region blocks of a body, reporting malformed ones and unknown regions."""
    fences = _scan_fences(body)
    if fences is None:
        # The container plugin reads past the end of a text whose last line is a quote's or a
        # list's empty continuation ('>') when no line break ends it.
        tokens = _PARSER.parse(body if body.endswith("\n") else body + "\n")
        lines = body.split("\n")
        fences = [
            (token.map[0], token.map[1], token.info, _is_closed(tokens, index, lines))
            for index, token in enumerate(tokens)
            if token.type == "container_region_open" and token.map is not None
        ]
    blocks: list[RegionBlock] = []
    problems: list[Problem] = []
    for start, end, info, is_closed in fences:
        at = where.at(body_line + start)
        words = info.split()
        if not words or words[0] != "region":
            problems.append(
                error(
                    at,
                    "unknown-block",
                    f"unknown block '::: {' '.join(words)}': the only block policygen knows is '::: region <region>'",
                )
            )
            continue
        if not is_closed:
            problems.append(
                error(
                    at,
                    "unclosed-region",
                    "this region block is never closed: end it with a line ':::'",
                )
            )
            continue
        names = words[1:]
        is_negated = bool(names) and names[0] == "not"
        if is_negated:
            names = names[1:]
        if not names:
            problems.append(
                error(
                    at,
                    "bad-region-block",
                    "a region block names at least one region: '::: region europe' or '::: region not europe'",
                )
            )
            continue
        unknown = [name for name in names if name not in known_regions]
        for name in unknown:
            problems.append(
                error(
                    at,
                    "unknown-region",
                    f"region block names unknown region '{name}' (regions: {', '.join(known_regions)})",
                )
            )
        if not unknown:
            blocks.append(RegionBlock(frozenset(names), is_negated, (start, end)))
    return blocks, problems


_AMBIGUOUS_FIRST = re.compile(f"(?:{_AMBIGUOUS_LINE})")
_AMBIGUOUS_LATER = re.compile(f"\n(?:{_AMBIGUOUS_LINE})")
"""AMBIGUOUS as two searches that the regular expression engine runs much faster: on the
first line, then after each line break (found by a fast scan, rather than trying every
character for the start of a line)."""


def _is_ambiguous(body: str) -> bool:
    """Whether AMBIGUOUS finds something in `body`."""
    return bool(_AMBIGUOUS_FIRST.match(body) or _AMBIGUOUS_LATER.search(body))


def _is_closed(tokens: list[Token], index: int, lines: list[str]) -> bool:
    # The block ends at the line its opening token's map ends on: a closing fence there, or
    # the end of the text or of the quote or list around it. The closing token's markup does
    # not tell them apart when that end comes right after the opening line.
    lines_of = tokens[index].map
    assert lines_of is not None
    end = lines_of[1]
    if end >= len(lines) or not _is_closing_fence(lines[end]):
        return False
    depth = 0
    for token in tokens[index:]:
        depth += token.nesting if token.type.startswith("container_region") else 0
        if depth == 0:
            return bool(token.markup)
    return False


def _is_closing_fence(line: str) -> bool:
    """Whether a line is ':::' inside the quotes and list items it may be written in."""
    rest = line.lstrip(" \t>")
    if marker := LIST_MARKER.match(rest):
        rest = rest[marker.end() :].lstrip(" \t>")
    return rest.rstrip().startswith(":::") and not rest.rstrip().strip(":")


def _scan_fences(body: str) -> list[tuple[int, int, str, bool]] | None:
    """The region fences of a body whose fences a line scan reads as the parser does: each
    block opened and closed at the start of a line, none inside another, nothing ambiguous.
    None for any other body, which the parser reads."""
    if ":::" not in body:
        return []
    if _is_ambiguous(body):
        return None
    fences = []
    opened: tuple[int, str, str] | None = None
    for number, line in enumerate(body.split("\n")):
        fence = FENCE_LINE.match(line)
        if fence is None:
            continue
        colons, info = fence.groups()
        if opened is None:
            if not info.strip():
                return None  # a fence line with nothing open: the parser opens an empty block
            opened = (number, colons, info)
        elif not info and len(colons) >= len(opened[1]):
            fences.append((opened[0], number, opened[2], True))
            opened = None
        else:
            return None  # a block inside a block, or a closing line with more on it
    return None if opened is not None else fences


def canonicalize(
    body: str, body_line: int, blocks: Sequence[RegionBlock], region: str
) -> CanonicalText:
    """Resolve region blocks for `region` and bring the text into canonical form."""
    dropped: set[int] = set()
    for block in blocks:
        start, end = block.lines
        dropped.update((start, end))
        if not block.is_shown_in(region):
            dropped.update(range(start, end + 1))
    lines: list[str] = []
    file_lines: list[int] = []
    for number, line in enumerate(body.split("\n")):
        if number in dropped:
            continue
        if not line.strip():
            if not lines or not lines[-1]:
                continue
            line = ""
        lines.append(line)
        file_lines.append(body_line + number)
    while lines and not lines[-1]:
        lines.pop()
        file_lines.pop()
    return CanonicalText("\n".join(lines) + "\n", tuple(file_lines))
