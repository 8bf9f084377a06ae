"""A Markdown file, with or without front matter → policygen Markdown: its front matter in
policygen's keys, its title out of its body, its headings from level 2 (pure)."""

from __future__ import annotations

import bisect
import datetime as dt
import posixpath
import re
import tomllib
from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..anchors import github_slug, run_together_slugs, toc_slug, unnumbered_slugs
from ..canonical import CanonicalText
from ..directions import VOID
from ..drafting import render_front
from ..errors import SourceLocation, excerpt
from ..frontmatter import FRONT_MATTER_KEYS, parse_document_file, split_front_matter
from ..markdown import (
    TABLE_DASHES_WITH_WORDS,
    heading_anchor,
    heading_attributes,
    plain_text,
    render_markdown,
)
from ..rawhtml import DRAWING_NAMES, HTML_ELEMENTS
from ..yamldoc import MAX_DEPTH, NodeReader, parse_yaml
from . import Converted, Note
from .escaping import stops_marks

TEMPLATE_TAG = re.compile(r"\{%[^{}\n]*%\}|\{\{[^{}\n]*\}\}|%\{[A-Za-z_][\w.]{0,63}\}s?")
"""Liquid or Jinja tags (Jekyll sites' policies have them), or a Ruby program's placeholder
(Mastodon's privacy policy says `%{domain}s` for its server's name): policygen runs no
template."""
LINK_TAG = re.compile(
    r"\]\(\s*(?:\{\{-?\s*site\.baseurl\s*-?\}\})?"
    r"\{%-?\s*link\s+([^\s%{}()]+)\s*-?%\}\s*\)"
)
"""A Jekyll link to another file of the site as a link's target: `[Privacy]({% link
_en/privacy.md %})`. Left as it is, the link would show as written, tag and all."""
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
TOML_FENCE = "+++"
"""The line around a Hugo page's TOML front matter."""
_TOO_DEEP = f"its front matter nests lists or tables more than {MAX_DEPTH} levels deep"


class NotImportable(ValueError):
    """The file cannot be read as Markdown with front matter."""


def convert_markdown(text: str, heading_shift: int = 0, path: str | None = None) -> Converted:
    """A Markdown text → policygen Markdown, with its front matter in policygen's keys.

    Its headings move down as many levels as it takes for the highest to be of level 2 (its
    title aside), or `heading_shift` levels if that is more: the versions of a history move
    by as many levels as one of them needs, so that a first-level heading added to one
    version changes no other heading's level. `path`, where the text is in the repository
    it comes from, tells the addresses of its own page on the site made from it."""
    text = normalized(text)
    notes: list[Note] = []
    values, body, body_line = _front_matter(text, notes)
    front = _front(values, notes)
    body = _page_variables_filled(body, values, body_line, notes)
    body = _untagged_links(body, body_line, notes)
    body = _cards_unwrapped(body, body_line, notes)
    body = _admonitions_as_quotes(body, body_line, notes)
    body = _indented_admonitions_as_quotes(body, body_line, notes)
    body = _definitions_as_paragraphs(body, body_line, notes)
    body = _hints_as_quotes(body, body_line, notes)
    body = _underlines_joined(body, body_line, notes)
    body = _wide_items_indented(body, body_line, notes)
    body = _clauses_indented_as_text(body, body_line, notes)
    body = _underlined_items_as_headings(body, body_line, notes)
    lines = body.split("\n")
    tokens = PARSER.parse(body)
    headings = [
        (index, token)
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.map is not None
    ]
    headings = _without_empty_headings(headings, lines, body_line, notes)
    title = None
    firsts = [(i, t) for i, t in headings if t.tag == "h1"]
    if firsts:
        index, first = firsts[0]
        inline = plain_text(tokens[index + 1]).strip()
        is_first_thing = index == 0
        if len(firsts) == 1 or (
            is_first_thing and not heading_anchor(inline).startswith("section-")
        ):
            # A first heading without words ("#") shows nothing, and names nothing.
            title = inline or None
            assert first.map is not None
            start, end = first.map
            lines[start:end] = [""] * (end - start)
            headings = [(i, t) for i, t in headings if t is not first]
            if (
                title is not None
                and TEMPLATE_TAG.fullmatch(title)
                and not isinstance(front.get("title"), str)
            ):
                notes.append(
                    Note(
                        f"left out the first heading, {title!r}: it is a template tag, which policygen does not fill in, so the policy's title is the page's",
                        line=body_line + start,
                    )
                )
                title = None
    shift = max(2 - min((int(t.tag[1]) for _, t in headings), default=2), heading_shift)
    if shift > 0:
        for _, token in headings:
            assert token.map is not None
            start, end = token.map
            level = min(6, int(token.tag[1]) + shift)
            if token.markup.startswith("#"):
                # A heading in a list item or a quote (`1.  #### What We Collect`) starts after
                # the item's number or the quote's mark, where its first `#` is.
                at = lines[start].index("#")
                marks = lines[start][:at] if lines[start][:at].strip() else ""
                rest = lines[start][at + len(token.markup) :]
                lines[start] = marks + "#" * level + rest
            else:  # a setext heading: its text, then a line of = or -
                lines[start:end] = [
                    "#" * level + " " + " ".join(line.strip() for line in lines[start : end - 1])
                ] + [""] * (end - start - 1)
    _numbered_lines_as_headings(tokens, lines, max(shift, 0), body_line, notes)
    in_code = _code_lines(tokens)
    _icon_codes_left_out(lines, in_code, body_line, notes)
    _drawings_left_out(lines, in_code, body_line, notes)
    _links_without_words(lines, headings, in_code, body_line, notes)
    for number, line in enumerate(lines, body_line):
        tag = TEMPLATE_TAG.search(line)
        if tag is not None:
            notes.append(
                Note(
                    f"left as it is: {tag.group(0)!r} is a template tag, and policygen shows it as text",
                    line=number,
                )
            )
        if re.search(r"!\[[^\]]*\]\(", line):
            notes.append(
                Note("an image: policy pages show no images; describe it in words", line=number)
            )
    _captions_out_of_tables(lines, in_code, body_line, notes)
    _table_heads_widened(lines, in_code, body_line, notes)
    _bold_over_paragraphs(lines, in_code, body_line, notes)
    _bold_mended(lines, in_code)
    _strong_as_html(lines, in_code)
    _emphasized_marks_as_html(lines, in_code)
    _empty_emphasis_as_anchors(lines, in_code, body_line, notes)
    _script_links(lines, in_code, body_line, notes)
    _tag_names_as_text(tokens, lines, body_line, notes)
    _links_to_own_sections(lines, in_code, body_line, notes)
    if path is not None:
        _links_to_own_page(lines, in_code, body_line, notes, path)
        _links_to_own_file(lines, in_code, body_line, notes, path)
    _links_to_named_headings(lines, body_line, notes)
    # Last, as it adds lines: every step before finds its lines where the parse left them.
    _restarted_lists_apart(tokens, lines, body_line, notes)
    result = "\n".join(lines).strip("\n")
    result = re.sub(r"\n{3,}", "\n\n", result)
    if isinstance(front_title := front.get("title"), str) and front_title.strip():
        if title is not None and title != front_title:
            notes.append(
                Note(
                    f"left out the first heading, '{title}': the front matter's title, '{front['title']}', is the page's title",
                    line=body_line,
                )
            )
        title = str(front["title"])
    return Converted(
        result + "\n" if result else "", title, tuple(notes), front, heading_shift=max(shift, 0)
    )


_IMAGE_WITHOUT_WORDS = (
    r"!\[\s*\]\(\s*[^\s()]*(?:\([^\s()]*\)[^\s()]*)*(?:\s+\"[^\"]*\"|\s+'[^']*')?\s*\)"
)
LINKED_IMAGES_WITHOUT_WORDS = re.compile(
    rf"(?<![!\\])\[(?:\s*{_IMAGE_WITHOUT_WORDS})+\s*\]\(\s*([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+\"[^\"]*\"|\s+'[^']*')?\s*\)"
)
"""A link around images with no description and nothing else: `[![](logo.png)](/wiki/File:logo.svg)`."""
EMPTY_LINK = re.compile(
    r"(?<![!\\])\[([\s¶#§🔗]*)\]\(\s*([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+\"[^\"]*\"|\s+'[^']*')?\s*\)"
)
"""A link with no words (`[](#1-einleitung)`), or with a mark alone (`[¶](#terms)`): its
words, then its target."""
ANCHOR_NAME = re.compile(r"[^\W_][\w.:-]*")
"""An anchor a heading's attribute list can give it (`{#nutzungsbedingungen-fur-telegram-sterne}`)."""
IN_PAGE_TARGET = re.compile(r"(\]\(\s*)#([^\s()]+)(?=\s|\))")
"""The target of a link to an anchor of the text: `](#1-4-ewr-vertreter)`."""


def _links_without_words(
    lines: list[str],
    headings: list[tuple[int, Token]],
    in_code: set[int],
    body_line: int,
    notes: list[Note],
) -> None:
    """Links with no words left out: readers see nothing of them, and screen readers read
    out their address. One in a heading is the web page's link of the heading to itself
    (converters write `### [](#1-4-ewr-vertreter)1.4. EWR-Vertreter`, or Sphinx's `¶`), and
    the page's links to it now lead to the anchor policygen gives the heading: the page's
    anchors are its own (Telegram's make the number's dots hyphens, drop accents and stop at
    64 characters), and no other renderer's rule finds them."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for _, token in headings:
        assert token.map is not None
        start = token.map[0]
        if start in in_code or "`" in lines[start]:
            continue
        names: list[str] = []

        def dropped(match: re.Match[str], names: list[str] = names) -> str:
            if match[2].startswith("#"):
                names.append(match[2][1:])
            return ""

        line = EMPTY_LINK.sub(dropped, lines[start])
        if line == lines[start]:
            continue
        lines[start] = line = line.rstrip()
        if not names:
            continue
        inline = PARSER.parse(line)[1]
        if heading_attributes(inline.content) is not None:
            continue  # its id is written: links to the page's anchor are left as they are
        anchor = heading_anchor(plain_text(inline))
        is_numbered = anchor.startswith("section-") and anchor not in used
        used.add(anchor)
        if not is_numbered and ANCHOR_NAME.fullmatch(names[0]):
            # A setext heading's attribute list ends its last line of words.
            last = start if line.lstrip().startswith("#") else token.map[1] - 2
            lines[last] = f"{lines[last].rstrip()} {{#{names[0]}}}"
            anchor = names[0]
        for name in names:
            anchors.setdefault(name, anchor)
    for index, line in enumerate(lines):
        if index in in_code or "`" in line or "](" not in line:
            continue
        for match in LINKED_IMAGES_WITHOUT_WORDS.finditer(line):
            notes.append(
                Note(
                    f"left out a link to '{match[1]}' around an image with no description: policy pages show no images, and readers could not see it",
                    line=body_line + index,
                )
            )
        line = LINKED_IMAGES_WITHOUT_WORDS.sub("", line)
        for match in EMPTY_LINK.finditer(line):
            if not match[1].strip():
                notes.append(
                    Note(
                        f"left out a link with no words, to '{match[2]}': readers could not see it",
                        line=body_line + index,
                    )
                )
        line = EMPTY_LINK.sub(lambda match: match[0] if match[1].strip() else "", line)
        lines[index] = IN_PAGE_TARGET.sub(
            lambda match: f"{match[1]}#{anchors.get(match[2], match[2])}", line
        )


BOLD_RUNS = re.compile(r"\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*")
"""Two bold runs right against each other: `**Remov****ing Your Content**`."""
HARD_BREAK = ("  ", "\\")
"""How a line that ends in a line break ends."""
BEFORE_BOLD = " \t\u200d"
"""What may stand before the `**` that opens a line of a list item or of a web page's text:
the item's indentation, and a zero width joiner a page's editor left (Chayn's `‍**We…`)."""


BOLD_PARAGRAPHS = 40
"""The most paragraphs that bold words a converter cut across paragraphs are looked for in."""


def _bold_over_paragraphs(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note]
) -> None:
    """Bold words over several paragraphs: a web page's `<b>` around paragraphs, which a
    converter opens with `**` in the first and closes in the last (Wargaming's Terms of
    Service make their instructions on withdrawal bold, from `**Member States of the
    European Union; United Kingdom` to `…right of withdrawal.**` 13 paragraphs on;
    Cdiscount's Commercial Terms close theirs with `**` alone on a line of the next
    paragraph). Markdown reads no bold across paragraphs, and readers saw both `**`. Each
    of the paragraphs is made bold on its own, up to the line before such a `**`."""
    paragraphs: list[list[int]] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if paragraphs and paragraphs[-1][-1] == index - 1:
            paragraphs[-1].append(index)
        else:
            paragraphs.append([index])
    marks = [_bold_marks(lines, paragraph, in_code) for paragraph in paragraphs]
    number = 0
    while number < len(paragraphs):
        opening = paragraphs[number]
        if marks[number] % 2 == 0 or lines[opening[-1]].rstrip(" \\").endswith("**"):
            number += 1
            continue
        for closing in range(number + 1, min(number + BOLD_PARAGRAPHS, len(paragraphs))):
            if marks[closing] < 0:
                break
            if marks[closing] % 2:
                break
        else:
            number += 1
            continue
        last = paragraphs[closing]
        alone = [index for index in last[1:] if lines[index].strip(" \\\u00a0") == "**"]
        if (
            marks[closing] < 0
            or lines[last[0]].lstrip().startswith("**")
            or (closing == number + 1 and not alone)
        ):
            number += 1
            continue
        ends = next(index for index in last if BOLD_MARK.search(lines[index]))
        _bold_ends(lines, opening[-1])
        for paragraph in paragraphs[number + 1 : closing]:
            _bold_opens(lines, paragraph[0])
            _bold_ends(lines, paragraph[-1])
        _bold_opens(lines, last[0])
        if alone:
            # `**` alone on a line of the last paragraph: the bold ends on the line before.
            lines[alone[0]] = ""
            _bold_ends(lines, alone[0] - 1)
        notes.append(
            Note(
                f"bold words ran over {closing - number + 1} paragraphs, to line {body_line + ends}, which Markdown reads as no bold, '**' and all: each paragraph is now bold on its own",
                line=body_line + opening[0],
            )
        )
        number = closing + 1


def _bold_marks(lines: list[str], paragraph: list[int], in_code: set[int]) -> int:
    """How many `**` a paragraph holds, or -1 for a paragraph bold cannot run over: code, a
    heading, a table's row, a quote, an item of a list."""
    first = lines[paragraph[0]].lstrip()
    if (
        any(index in in_code or "`" in lines[index] for index in paragraph)
        or first.startswith(("#", "|", ">", "- ", "+ ", "* "))
        or re.match(r"\d{1,9}[.)][ \t]", first)
        or SETEXT_LINE.fullmatch(lines[paragraph[-1]])
    ):
        return -1
    return sum(len(BOLD_MARK.findall(lines[index])) for index in paragraph)


def _bold_opens(lines: list[str], index: int) -> None:
    """Bold that opens at the start of the words of a line."""
    line = lines[index]
    indent = line[: len(line) - len(line.lstrip())]
    lines[index] = f"{indent}**{line.lstrip()}"


def _bold_ends(lines: list[str], index: int) -> None:
    """Bold that ends at the end of the words of a line, before its line break."""
    line = lines[index]
    words = line.rstrip(" \\\u00a0")
    lines[index] = f"{words}**{line[len(words) :]}"


def _bold_mended(lines: list[str], in_code: set[int]) -> None:
    """Bold words as a converter of web pages cut them, made bold words Markdown reads.

    Two bold runs against each other (`**Remov****ing Your Content**`, `**Taxes.****"Taxes"**`,
    where the page had two `<b>` in a row) are one: Markdown shows the four asterisks. Bold
    words that end in a line break (YouTube's `**Introduction  ` then `**Thank you…` on the
    next line, where the page had `<b>Introduction<br></b>`; Hetzner's in list items, the
    next line indented; Yahoo's `**YOUR RELATIONSHIP WITH YAHOO  `, a line of spaces, then
    `**` alone) end before it: Markdown shows both pairs of asterisks; bold that holds only a line break (WordPress.com's `below.**\\`
    then `**`) is left out, and bold that opens with one (Cityscoot's `**` then `ARTICLE 11 …
    DÉLITS**`, a heading) opens on the next line. Spaces at the edges of bold words are
    moved out of them."""
    for index, line in enumerate(lines):
        if index in in_code or "`" in line:
            continue
        if "****" in line:
            joined = BOLD_RUNS.sub(r"**\1\2**", line)
            while joined != line:
                line, joined = joined, BOLD_RUNS.sub(r"**\1\2**", joined)
            lines[index] = line
        after = lines[index + 1] if index + 1 < len(lines) else ""
        breaks = line.endswith(HARD_BREAK) and index + 1 not in in_code and line.count("**") % 2
        if breaks and line.rstrip(" \\").endswith("**") and after.strip() == "**":
            lines[index], lines[index + 1] = line.rstrip(" \\")[:-2], ""
        elif breaks and _opens_bold_alone(line) and _goes_on_bold(line, after):
            # Bold that opens with a line break: it opens on the next line.
            indent = line[: len(line) - len(line.lstrip())]
            lines[index], lines[index + 1] = "", f"{indent}**{after[len(indent) :]}"
        elif breaks and after.lstrip(BEFORE_BOLD).startswith("**") and after.count("**") % 2:
            # In a list item the next line is indented as the item's text is.
            words = line.rstrip(" \\")
            indent = after[: len(after) - len(after.lstrip(BEFORE_BOLD))]
            if not words.endswith("*") and not words[-1:].isspace():
                lines[index] = f"{words}**{line[len(words) :]}"
                lines[index + 1] = indent + after.lstrip(BEFORE_BOLD)[2:]
        elif (
            breaks
            and not after.strip()
            and (next_words := _next_words(lines, index + 1)) is not None
            and _closes_bold(lines, next_words, in_code)
        ):
            # Bold words that end in two line breaks or more, the second a line of spaces,
            # which ends the paragraph: they end before the first.
            words = line.rstrip(" \\")
            if not words.endswith("*") and not words[-1:].isspace():
                later = lines[next_words]
                rest = later.lstrip(BEFORE_BOLD)[2:]
                lines[index] = f"{words}**"
                lines[next_words] = (
                    later[: len(later) - len(later.lstrip(BEFORE_BOLD))] + rest
                    if rest.strip()
                    else ""
                )
        if any(edge in lines[index] for edge in ("** ", " **", "**\u00a0", "\u00a0**")):
            lines[index] = _spaces_out_of_bold(lines[index])
        if lines[index].rstrip().endswith("****"):
            lines[index] = _without_empty_bold_at_end(lines[index])


def _opens_bold_alone(line: str) -> bool:
    """Whether a line is `**` alone, indented or not, then a line break."""
    return line.lstrip().rstrip(" \\") == "**"


def _goes_on_bold(line: str, after: str) -> bool:
    """Whether the line after a line of `**` alone holds the words its bold opens: indented
    as it is, and ending those words with the first of the odd number of `**` it holds
    (`You can’t artificially inflate your own or others’ followers or engagement.** This
    includes:`)."""
    indent = line[: len(line) - len(line.lstrip())]
    words = after.removeprefix(indent)
    if not after.startswith(indent) or words[:1].isspace() or after.count("**") % 2 == 0:
        return False
    return not words.startswith("**") and not words.split("**")[0].endswith(" ")


BLANK_LINES_IN_BOLD = 3
"""The most lines of spaces that bold words ending in line breaks are closed after."""


def _next_words(lines: list[str], index: int) -> int | None:
    """The first line with words after the line at `index`, a line of spaces or no more
    than `BLANK_LINES_IN_BOLD` lines of spaces on from it."""
    for later in range(index + 1, min(index + 1 + BLANK_LINES_IN_BOLD, len(lines))):
        if lines[later].strip():
            return later
    return None


def _closes_bold(lines: list[str], index: int, in_code: set[int]) -> bool:
    """Whether the line at `index` starts by closing bold words opened above it: with `**`
    (`**We prohibit…`, or `**` alone), and an odd number of them. `**` alone then a line
    break opens the next bold words instead (Chayn's Privacy Policy)."""
    if index >= len(lines) or index in in_code:
        return False
    line = lines[index]
    words = line.lstrip(BEFORE_BOLD)
    if not words.startswith("**") or words.startswith("***") or not line.count("**") % 2:
        return False
    return not (words.rstrip() == "**" and line.endswith(HARD_BREAK))


EMPTY_BOLD_AT_END = re.compile(r"(?<=[^\s*]{2})\*\*\*\*(?=[ \t]*$)")
"""Bold around nothing that ends a line, right after a word (`Laws****`; not a letter
and the asterisks that hide the rest of a word, `s****`)."""


def _without_empty_bold_at_end(line: str) -> str:
    """A line without the bold around nothing that ends it, when Markdown shows it as four
    asterisks. A web page's heading that ended in an empty `<b></b>` (Dailymotion's Privacy
    Policy: `**8.6.1.a. **Personal Data Processing Information under the California Privacy
    Laws****`) reads as bold nested in bold; once the space after its number is moved out of
    the first bold words, the four asterisks at its end stand alone, and readers see them.
    Asterisks that close bold words (`****Analytics****`), or that stand for a word's letters
    on a line with no bold words, stay."""
    empty = EMPTY_BOLD_AT_END.search(line)
    if empty is None:
        return line
    without = line[: empty.start()] + line[empty.end() :]
    mended = PARSER.renderInline(without)
    # Bold words before them tell a page's bold cut short from letters a word hides (`s****`).
    if "****" in PARSER.renderInline(line) and "**" not in mended and "<strong>" in mended:
        return without
    return line


BOLD_MARK = re.compile(r"(?<!\*)\*\*(?!\*)")
"""`**` alone, not part of `***` or `****`."""
SENTENCE_STOPS = tuple(".:;,!?)")
"""What ends bold words a space after them left outside (`**Extensions. **The`)."""
BOLD_MENDED_LONGEST = 100
"""How many characters the bold words of a line may hold, to have their spaces moved out
(a lead-in or a sentence): two marks farther apart are not taken for a pair."""


def _spaces_out_of_bold(line: str) -> str:
    """A line's bold words with the spaces at their edges moved out of them.

    A web page's editor puts the space after bold words inside them
    (`<strong>Automatic Renewal. </strong>By`, in WordPress.com's Terms of Service), which
    Markdown writes `**Automatic Renewal. **By`: a `**` against a space makes nothing bold,
    and readers see the asterisks. The marks are paired as they come, and a pair is mended
    only when one of its marks touches the words and the space to move out follows a
    sentence's stop (`Renewal. **`, `questions.** If`), so that asterisks written apart from
    any word (`2 ** 3`) and a bold that opens again later (`**Prohibited Uses. You may not …
    our **[User Guidelines]`) stay as they are."""
    marks = [match.start() for match in BOLD_MARK.finditer(line)]
    if len(marks) < 2 or len(marks) % 2:
        return line
    pieces, done = [], 0
    for opening, closing in zip(marks[::2], marks[1::2], strict=True):
        words = line[opening + 2 : closing]
        if not words.strip() or (words[0].isspace() and words[-1].isspace()):
            continue
        if not words[0].isspace() and not words[-1].isspace():
            continue
        stop = words.rstrip()[-1] if words[-1].isspace() else line[opening - 1 : opening]
        # A no-break space no one types between asterisks that are no bold (`2 ** 3`).
        is_no_break = (words[-1] if words[-1].isspace() else words[0]) == "\u00a0"
        if len(words.strip()) > BOLD_MENDED_LONGEST or (
            stop not in SENTENCE_STOPS and not is_no_break
        ):
            continue
        lead = words[: len(words) - len(words.lstrip())]
        trail = words[len(words.rstrip()) :]
        pieces += [line[done:opening], lead, "**", words.strip(), "**", trail]
        done = closing + 2
    return "".join(pieces) + line[done:]


STRONG = re.compile(r"\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*")
"""Words between `**` and `**`, in one line."""


def _strong_as_html(lines: list[str], in_code: set[int]) -> None:
    """Bold words whose `**` Markdown reads as asterisks, a punctuation mark at their edge
    right against a letter outside them (`**4.9.**Conformément`, as BlaBlaCar's policy
    numbers its paragraphs), are written as HTML, as import writes them from a web page."""

    def written(match: re.Match[str]) -> str:
        words, line = match[1], match.string
        before, after = line[match.start() - 1 : match.start()], line[match.end() :][:1]
        if stops_marks(words[-1], after) or stops_marks(words[0], before):
            return f"<strong>{words}</strong>"
        return match[0]

    for index, line in enumerate(lines):
        if "**" in line and "`" not in line and index not in in_code:
            lines[index] = STRONG.sub(written, line)


EMPHASIZED_MARKS = re.compile(r"(?<=[^\W_])_([^\w\s`*_\\\[\]()<>]{1,3})_(?=\s|$|[^\w`*_\\\[\]<>])")
"""Punctuation marks in italics, `_._`, right after a letter or digit and before a space or
another mark: Markdown reads no emphasis in a word, and shows the underscores."""


def _emphasized_marks_as_html(lines: list[str], in_code: set[int]) -> None:
    """Punctuation marks a web page showed in italics right after a word (`13_._ Opłata
    Progowa` in OTOMOTO's Regulamin, `Pro_»_)` in Rakuten's terms for sellers, as Open Terms
    Archive records them) are written as HTML: Markdown reads `_` within a word as an
    underscore, and readers saw `13_._`. Marks in a link's address or a code span stay."""

    def written(match: re.Match[str], spans: list[tuple[int, int]]) -> str:
        if any(start <= match.start() < end for start, end in spans):
            return match[0]
        return f"<em>{match[1]}</em>"

    for index, line in enumerate(lines):
        if "_" not in line or index in in_code or "`" in line:
            continue
        spans = [m.span() for m in ADDRESSES.finditer(line)]
        lines[index] = EMPHASIZED_MARKS.sub(partial(written, spans=spans), line)


ADDRESSES = re.compile(r"\]\([^)\s]*\)?|<[^<>\s]*>|https?://\S+")
"""Where a line holds addresses: a link's target, an autolink, a bare web address."""


EMPTY_EMPHASIS_ANCHOR = re.compile(
    r"(?<![*_\\])(\*\*|__|\*|_)[ \t]+\1\{:?[ \t]*#([^\W_][\w.:-]*)[ \t]*\}"
)
"""Bold or italic marks around spaces alone, with an id (`** **{: #referraltracking }`):
Python-Markdown makes it an empty element that holds the id, which links lead to."""


def _empty_emphasis_as_anchors(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note]
) -> None:
    """Empty emphasis that holds an id written as the anchor it is (`<a id="…"></a>`):
    CommonMark reads no emphasis around spaces, and readers saw `** **{: #referraltracking }`
    (Mozilla's Firefox Privacy Notice, 2017), where links to #referraltracking led nowhere."""
    for index, line in enumerate(lines):
        if index in in_code or "{" not in line or "`" in line:
            continue
        for match in EMPTY_EMPHASIS_ANCHOR.finditer(line):
            notes.append(
                Note(
                    f"{match[0]!r}, marks around nothing that hold the id '#{match[2]}', is now the anchor <a id=\"{match[2]}\"></a>",
                    line=body_line + index,
                )
            )
        lines[index] = EMPTY_EMPHASIS_ANCHOR.sub(lambda m: f'<a id="{m[2]}"></a>', line)


NUMBERED_LINE = re.compile(
    r"(?P<number>\d{1,3}\.(?:\d{1,3}\.?)*|\d{1,3}(?:\.\d{1,3})+|[IVX]{1,5}\.)[ \t]+(?P<title>.+)"
)
"""A clause number with at least one dot ("1.", "3.1", "IV.") and words after it, as read."""
NUMBERED_LINE_LONGEST = 100
"""A numbered line's words are at most this long to be a title: longer, it is a sentence."""
CLAUSE_NUMBER = re.compile(r"\A(?:\d{1,3}\.)+(?:\d{1,3})?[ \t]+")
"""The number that opens a clause, "12.1.1. " (its words go on a sentence cut before it:
"12.1. LOVOO is only liable where damages", then "12.1.1. have been caused")."""
LETTERED_CLAUSE = re.compile(r"\(?[a-z]{1,4}[.)]\s")
"""A clause lettered in lowercase, "a. Please read" or "(iv) any", which a heading may have
right after it."""
CUT_LINES_SHARE = 10
"""A text in which one paragraph in this many goes on in the next (it ends in a letter or a
digit, and the next starts in lowercase, not as a lettered clause does) holds the lines of a page made paragraphs."""
NUMBERED_LINE_ENDS = (".", ":", ";", ",", "!", "?", "#")
"""How a line that is a sentence, or introduces one, ends (or a line whose `#` a heading
would read as its closing marks): no title does."""


def _numbered_lines_as_headings(
    tokens: list[Token], lines: list[str], shift: int, body_line: int, notes: list[Note]
) -> None:
    """Lines that a web page showed as numbered headings, and that came in as paragraphs
    (Open Terms Archive records Snapchat's `1\\. Who Can Use the Services`), made headings.

    A line is made a heading when it is, as read, a clause number with a dot and a title: a
    paragraph of one line outside lists and quotes (or a list of that one item alone), "1.
    Who Can Use the Services", "3.1 Service trial" or "IV. Disputes" (bold or not), whose
    words start with a capital letter, are at most 100 characters long, hold no link and no
    sentence (". ") and do not end as a sentence does. Text must follow it, not in lowercase
    (the rest of a sentence, after a clause number or not), and the block right before or
    after it must not be a numbered paragraph of the same kind and depth (numbered lines
    one after the other are a list or contents, not headings), unless the line is bold as a
    whole and that paragraph is a clause, not a title (`**1\\. Postanowienia wstępne**`
    then `1\\. Regulamin określa…`). A line not bold that is the first line of a clause cut
    by the page (`_is_cut_clause`) stays a paragraph. A text needs two such lines
    for any to be made headings, and none is made in a text of a page's lines made
    paragraphs (one paragraph in ten goes on in the next, in lowercase: the first line of a
    clause stands alone there). Each is a heading one level below the text's last heading
    before it (level 2 when there is none), one more for each number of its clause number
    after the first ("3.1" below "3."), but none below the one before it numbered the same
    way ("3." after the sub-sections of "2." is a level of its own)."""
    blocks = [
        index
        for index, token in enumerate(tokens)
        if token.level == 0 and token.nesting >= 0 and token.map is not None
    ]
    inlines = {
        index: inline for index in blocks if (inline := _block_inline(tokens, index)) is not None
    }
    words = {index: _block_words(tokens, index, inline) for index, inline in inlines.items()}
    goes_on = {
        index
        for index, after in zip(blocks, blocks[1:], strict=False)
        if words.get(index, "")[-1:].isalnum()
        and (rest := CLAUSE_NUMBER.sub("", words.get(after, ""), count=1))[:1].islower()
        and not LETTERED_CLAUSE.match(rest)
    }
    if len(goes_on) * CUT_LINES_SHARE >= len(words):
        return  # lines of a page (a PDF's) made paragraphs: a clause's first line stands alone
    numbered = {
        index: _clause_kind(match)
        for index, text in words.items()
        if (match := NUMBERED_LINE.fullmatch(text)) is not None
    }
    titles = {index for index in numbered if _is_title_line(inlines[index], words[index])}

    def is_apart(index: int, neighbour: int) -> bool:
        """Whether a numbered line stands apart from the block next to it: a block numbered
        otherwise, or (for a line bold as a whole) a clause numbered alike that is no title,
        as `**1\\. Postanowienia wstępne**` is followed by `1\\. Regulamin określa…`."""
        if numbered.get(neighbour) != numbered[index]:
            return True
        return _is_bold_line(inlines[index]) and neighbour not in titles

    chosen = {
        index
        for position, index in enumerate(blocks)
        if index in titles
        and index not in goes_on
        and position + 1 < len(blocks)
        and is_apart(index, blocks[position + 1])
        and (position == 0 or is_apart(index, blocks[position - 1]))
        and (
            _is_bold_line(inlines[index])
            or not _is_cut_clause(tokens, blocks, position, words, numbered, titles)
        )
    }
    if len(chosen) < 2:
        return
    level = 1
    section = ""
    """The number the last heading starts with: '6' of '6) Avec quels tiers…'."""
    siblings: dict[tuple[bool, int], tuple[int]] = {}
    made: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            level = min(6, int(token.tag[1]) + shift)
            number = re.match(r"\W*(\d+)", words.get(index) or _heading_words(tokens, index))
            section = number[1] if number else ""
        elif index in chosen:
            assert token.map is not None
            start = token.map[0]
            is_roman, numbers = numbered[index]
            # '6.1.' under the heading '6)' is one level below it, as under a made '6.'.
            is_under = not is_roman and words[index].split(".")[0].strip("*_ ") == section
            below = numbers - 1 if is_under else numbers
            heading_level = min(6, level + below, *siblings.get(numbered[index], ()))
            siblings[numbered[index]] = (heading_level,)
            lines[start] = "#" * heading_level + " " + lines[start].strip()
            made.append((start, index))
    start, index = made[0]
    notes.append(
        Note(
            f"made headings of the numbered lines standing alone, such as {words[index]!r} "
            "here: numbered as clauses are, each with text after it, they read as a web page's "
            "headings that came in as paragraphs",
            line=body_line + start,
        )
    )


def _is_bold_line(inline: Token) -> bool:
    """Whether a block's words are bold as a whole (`**2\\. Definicje**`)."""
    children = [child for child in inline.children or () if child.type != "text" or child.content]
    return (
        len(children) >= 3
        and children[0].type == "strong_open"
        and children[-1].type == "strong_close"
        and sum(child.type == "strong_open" for child in children) == 1
    )


def _is_cut_clause(
    tokens: list[Token],
    blocks: list[int],
    position: int,
    words: dict[int, str],
    numbered: dict[int, tuple[bool, int]],
    titles: set[int],
) -> bool:
    """Whether the numbered line at `blocks[position]` is the first line of a clause whose
    sentence a web page cut before a capitalised word: "6\\. W przypadku zmiany ceny …
    od momentu aktywacji", then "Ogłoszenia skutkującej:" (OTOMOTO's Regulamin). The rest
    of its sentence follows, shorter than the line and ending as a sentence or its
    introduction does, and the last block numbered alike since the last heading is a clause
    that is no title, numbered one less ("5\\. W przypadku … skutkującej:"). A heading
    numbered after such clauses ("6.4 Bitcode Submissions" after the clause "6.3 If") has
    text after it longer than itself."""
    index = blocks[position]
    is_roman, _ = numbered[index]
    after = blocks[position + 1]
    rest = words.get(after, "")
    if (
        is_roman
        or after in numbered
        or not rest.endswith(NUMBERED_LINE_ENDS)
        or len(rest.split()) >= len(words[index].split())
    ):
        return False
    for before in reversed(blocks[:position]):
        if tokens[before].type == "heading_open":
            return False
        if numbered.get(before) != numbered[index]:
            continue
        if before in titles:
            return False
        own, previous = _clause_numbers(words[index]), _clause_numbers(words[before])
        return own[:-1] == previous[:-1] and own[-1] == previous[-1] + 1
    return False


def _clause_numbers(words: str) -> tuple[int, ...]:
    """The numbers of a numbered line's clause number: (3, 1) of "3.1 Service trial"."""
    match = NUMBERED_LINE.fullmatch(words)
    assert match is not None
    return tuple(int(number) for number in re.findall(r"\d+", match["number"]))


def _heading_words(tokens: list[Token], index: int) -> str:
    """The words of the heading that opens at `tokens[index]`, as read."""
    return plain_text(tokens[index + 1]) if index + 1 < len(tokens) else ""


def _clause_kind(match: re.Match[str]) -> tuple[bool, int]:
    """Whether a clause number is in Roman numerals, and how many numbers it has ("3.1": 2;
    "IV.": 1): "5. Refunds" is no list with the "I. You may" under it."""
    return match["number"][0] in "IVX", len(re.findall(r"\d+", match["number"])) or 1


def _block_inline(tokens: list[Token], index: int) -> Token | None:
    """The inline token of a paragraph, or of a list of one numbered item that is a
    paragraph (`20. Arbitration, Class-Action Waiver, and Jury Waiver`, which Open Terms
    Archive wrote so once for what it wrote `20\\. Arbitration…` before and after)."""
    token = tokens[index]
    if token.type == "paragraph_open":
        return tokens[index + 1]
    if token.type != "ordered_list_open" or token.markup != ".":
        return None
    types = [t.type for t in tokens[index + 1 : index + 7]]
    if types != [
        "list_item_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "list_item_close",
        "ordered_list_close",
    ]:
        return None
    return tokens[index + 3]


def _block_words(tokens: list[Token], index: int, inline: Token) -> str:
    """The words of a block `_block_inline` found, as read, with the number of its item."""
    number = f"{tokens[index + 1].info}. " if tokens[index].type == "ordered_list_open" else ""
    return number + plain_text(inline).strip()


def _is_title_line(inline: Token, words: str) -> bool:
    """Whether a block is one line, a clause number and a title."""
    if inline.map is None or inline.map[1] - inline.map[0] != 1:
        return False
    if any(child.type in ("link_open", "image", "html_inline") for child in inline.children or ()):
        return False
    match = NUMBERED_LINE.fullmatch(words)
    if match is None:
        return False
    title = match["title"].strip()
    return not (
        len(title) > NUMBERED_LINE_LONGEST
        or not title[0].isalpha()
        or title[0].islower()
        or ". " in title
        or ".." in title
        or title.endswith(NUMBERED_LINE_ENDS)
    )


def _heading_texts(body: str) -> list[str]:
    """The text of each heading of a Markdown body, as read, without its attribute list."""
    texts = []
    tokens = PARSER.parse(body)
    for opening, token in zip(tokens, tokens[1:], strict=False):
        if opening.type == "heading_open":
            inline = token
            attributes = heading_attributes(token.content)
            if attributes is not None:
                inline = PARSER.parseInline(token.content[: attributes.start()])[0]
            texts.append(plain_text(inline).strip())
    return texts


SCRIPT_LINK = re.compile(
    r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?\s*javascript:[^\s()<>]*(?:\([^\s()]*\))?>?\s*\)",
    re.IGNORECASE,
)
"""A link that runs a script of its page: `[**1\\. GENERAL >**](javascript:;)`."""
POINTERS = " \t>›»→▸▶"
"""What a page writes after the words of a link of its contents: `1. GENERAL >`."""


def _script_links(lines: list[str], in_code: set[int], body_line: int, notes: list[Note]) -> None:
    """Links that ran a script of their web page (Shein's contents: `[**1\\. GENERAL
    >**](javascript:;)`, which scrolled to the section) lead to the heading they name, when
    their words (an arrow or `>` after them aside) are a heading's, in any case; other such
    links are their words alone. A policy page runs no script: such a link would show as
    words, and check would warn at each."""
    if not any("javascript:" in line.lower() for line in lines):
        return
    slugs: dict[str, str] = {}
    for text in _heading_texts("\n".join(lines)):
        slugs.setdefault(_link_key(text), github_slug(text))
    led: list[tuple[int, str]] = []
    unlinked: list[tuple[int, str]] = []

    def replaced(match: re.Match[str], index: int) -> str:
        words = plain_text(PARSER.parseInline(match[1])[0]).strip()
        slug = slugs.get(_link_key(words))
        if slug:
            led.append((index, words))
            return f"[{match[1]}](#{slug})"
        unlinked.append((index, words))
        return match[1]

    for index, line in enumerate(lines):
        if index not in in_code and "`" not in line and "javascript:" in line.lower():
            lines[index] = SCRIPT_LINK.sub(partial(replaced, index=index), line)
    if led:
        notes.append(
            Note(
                f"links that ran a script of the web page, such as {led[0][1]!r} here, now lead "
                "to the heading their words name: a policy page runs no script",
                line=body_line + led[0][0],
            )
        )
    if unlinked:
        notes.append(
            Note(
                f"links that ran a script of the web page, such as {unlinked[0][1]!r} here, are "
                "now their words alone: a policy page runs no script, and no heading has their "
                "words",
                line=body_line + unlinked[0][0],
            )
        )


IN_PAGE_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*#([^\s()]+)\s*\)")
"""A link to a place on its own page, with its words: `[Artikel 1 - Definities](#artikel-1)`."""
DASHES = str.maketrans("‐‑‒–—―", "------")


def _links_to_named_headings(lines: list[str], body_line: int, notes: list[Note]) -> None:
    """In-page links to an anchor that nothing on the page has, whose words are a heading's
    as written (spaces and dashes of any length alike, in any case, its number aside: Tinder's
    `[How We Use Information](#how-we-use-info)` for `### 4\\. How We Use Information`), lead
    to that heading: the first after
    the first link to that anchor whose words name a heading, else the last before it; every
    link to that anchor then leads there, as it did on the web page. The contents of bol.com's
    terms for its sellers, as Open Terms Archive records them, link `[Artikel 1 -
    Definities](#artikel-1)`, an id of its web page that the conversion left out, and 43 links
    of each version led nowhere (the terms' annex has its own contents, and articles of the
    same names after it)."""
    if not any("](#" in line for line in lines):
        return
    body = "\n".join(lines)
    rendered = render_markdown(
        CanonicalText(body, tuple(range(1, len(lines) + 1))), SourceLocation("imported.md")
    )
    dangling = {
        (link.line - 1, link.href[1:])
        for link in rendered.links
        if link.href.startswith("#") and unquote(link.href[1:]) not in rendered.ids
    }
    if not dangling:
        return
    named: dict[str, list[tuple[int, str]]] = {}
    for heading in rendered.headings:
        numbered = NUMBERED_LINE.fullmatch(heading.text)
        texts = {heading.text, numbered["title"]} if numbered else {heading.text}
        for text in texts:
            named.setdefault(_heading_key(text), []).append((heading.line - 1, heading.id))
    chosen: dict[str, str] = {}
    for index in sorted({index for index, _ in dangling}):
        for match in IN_PAGE_LINK.finditer(lines[index]):
            if (index, match[2]) not in dangling or match[2] in chosen:
                continue
            words = plain_text(PARSER.parseInline(match[1])[0]).strip()
            headings = named.get(_heading_key(words), [])
            after = [anchor for line, anchor in headings if line > index]
            before = [anchor for line, anchor in headings if line < index]
            if after or before:
                chosen[match[2]] = after[0] if after else before[-1]
    led: list[tuple[int, str, str]] = []

    def replaced(match: re.Match[str], index: int) -> str:
        if (index, match[2]) not in dangling or match[2] not in chosen:
            return match[0]
        words = plain_text(PARSER.parseInline(match[1])[0]).strip()
        if _heading_key(words) in named:
            led.append((index, words, match[2]))
        return f"[{match[1]}](#{chosen[match[2]]})"

    for index in sorted({index for index, _ in dangling}):
        lines[index] = IN_PAGE_LINK.sub(partial(replaced, index=index), lines[index])
    if led:
        index, words, anchor = led[0]
        notes.append(
            Note(
                f"links whose words name a heading, such as {words!r} here, now lead to it: "
                f"the anchors they led to ('#{anchor}') were their web page's, and nothing on "
                "this page has them",
                line=body_line + index,
            )
        )


def _heading_key(words: str) -> str:
    """Words as a link and the heading it names both read: spaces made one, dashes alike,
    in any case (Tinder's contents link `[How To Contact Us]` to "How to Contact Us")."""
    return " ".join(words.translate(DASHES).casefold().split())


def _link_key(words: str) -> str:
    """Words as a link and a heading that name the same section both read: in any case, an
    arrow after them aside, spaces made one."""
    return " ".join(words.rstrip(POINTERS).casefold().split())


ADDRESS_WITH_FRAGMENT = re.compile(r"(\]\(\s*)(https?://[^\s()<>#]+)#([^\s()<>]+)(?=[\s)])")
"""A link's target that is a web address with a fragment: `](https://x.example/terms#fees)`."""
WRITTEN_ID = re.compile(r"\{[^{}\n]*#([^\s{}]+)[^{}\n]*\}|\bid=\"([^\"]+)\"")
"""An id written in the text: an attribute list's `{#fees}`, or raw HTML's `id="fees"`."""
OWN_SECTIONS_LEAST = 2
"""How many sections of a text an address's links must lead to for it to be the text's own."""


def _links_to_own_sections(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note]
) -> None:
    """Links to sections of the web page a text was recorded from, written with the page's
    own address (TikTok's Privacy Policy writes `[Information We Collect](https://www.tiktok.com/legal/page/us/privacy-policy/en#informationwecollect)`
    where it wrote `(#informationwecollect)` a version before), lead to those sections of the
    text: a reader stays on the page, and a redline does not show every such link changed.

    An address is the page's own when its links, with their fragments, lead to at least two
    sections of the text (a heading's anchor, as policygen, GitHub or Python-Markdown make
    it, of its words after its number or run together, or an id written in the text); its
    links to a fragment the text has no section for still lead to the page."""
    if not any("](http" in line and "#" in line for line in lines):
        return
    names = _section_names(lines)
    sections: dict[str, set[str]] = {}
    for index, line in enumerate(lines):
        if index not in in_code and "`" not in line:
            for match in ADDRESS_WITH_FRAGMENT.finditer(line):
                if unquote(match[3]) in names:
                    sections.setdefault(match[2], set()).add(match[3])
    own = {address for address, linked in sections.items() if len(linked) >= OWN_SECTIONS_LEAST}
    if not own:
        return
    made: dict[str, list[int]] = {}

    for index, line in enumerate(lines):
        if index not in in_code and "`" not in line and "](http" in line:
            parts = []
            last = 0
            for match in ADDRESS_WITH_FRAGMENT.finditer(line):
                if match[2] in own and unquote(match[3]) in names:
                    parts.append(f"{line[last : match.start()]}{match[1]}#{match[3]}")
                    last = match.end()
                    made.setdefault(match[2], []).append(index)
            lines[index] = "".join(parts) + line[last:]
    for address, indexes in sorted(made.items(), key=lambda item: item[1][0]):
        # No count in the words: import git says a note once for all versions that have it.
        notes.append(
            Note(
                f"links to sections of '{address}', the address of the page this text was "
                "recorded from, now lead to those sections on this page, from here on",
                line=body_line + indexes[0],
            )
        )


def _section_names(lines: list[str]) -> set[str]:
    """The anchors a link may lead to a section of the text by: a heading's, as policygen,
    GitHub or Python-Markdown make it, of its words after its number or run together, or an
    id written in the text."""
    body = "\n".join(lines)
    names = {name for match in WRITTEN_ID.finditer(body) for name in match.groups() if name}
    for text in _heading_texts(body):
        names.update((heading_anchor(text), github_slug(text), toc_slug(text)))
        names.update(unnumbered_slugs(text) + run_together_slugs(text))
    return names


PATH_WITH_FRAGMENT = re.compile(r"(\]\(\s*)(/[^\s()<>#]*)#([^\s()<>]+)(?=[\s)])")
"""A link's target that is a path from a site's root with a fragment: `](/nl/privacy#fees)`."""
SOURCE_SUFFIX = re.compile(r"\.(?:md|markdown|txt)$", re.IGNORECASE)


def _own_page_paths(path: str) -> set[str]:
    """The paths from its site's root of the page a site generator made of the text at `path`
    in its repository: `/nl/privacy`, `/nl/privacy.html`, `/nl/privacy/` for `nl/privacy.md`."""
    page = "/" + SOURCE_SUFFIX.sub("", path.strip("/"))
    return {page, page + ".html", page + "/"}


def _links_to_own_page(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note], path: str
) -> None:
    """Links to sections of the text's own page on the site its repository made, written with
    that page's path from the site's root (CoronaCheck's privacy statement, `nl/privacy.md`,
    links to `/nl/privacy#overzicht-van-verwerkte-persoonsgegevens`), lead to those sections
    of the text: on a policygen site that path is no page, and the reader stays on this one.
    A link to a fragment the text has no section for is left as it is, for check to say."""
    if not any("](/" in line and "#" in line for line in lines):
        return
    own = _own_page_paths(path)
    names = _section_names(lines)
    first = None
    for index, line in enumerate(lines):
        if index in in_code or "`" in line or "](/" not in line:
            continue
        parts = []
        last = 0
        for match in PATH_WITH_FRAGMENT.finditer(line):
            if match[2] in own and unquote(match[3]) in names:
                parts.append(f"{line[last : match.start()]}{match[1]}#{match[3]}")
                last = match.end()
                first = (match[2], index) if first is None else first
        lines[index] = "".join(parts) + line[last:]
    if first is not None:
        notes.append(
            Note(
                f"links to sections of '{first[0]}', the page made of this text on the site it came from, now lead to those sections on this page, from here on",
                line=body_line + first[1],
            )
        )


RELATIVE_TARGET = re.compile(
    r"(\]\(\s*|^ {0,3}\[[^\[\]\n]+\]:[ \t]*)(<[^<>\n]*>|[^\s()<>]+)(?=[\s)]|$)"
)
"""A link's target, inline (`](./privacy.md#fees)`) or in a reference definition
(`[fees]: ./privacy.md#fees`), in angle brackets or not."""
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _is_own_file(target: str, path: str) -> bool:
    """Whether `target`, a link's target without its fragment, written relative to the file
    at `path` in its repository, leads to that file or the page made of it."""
    if not target or target.startswith(("/", "\\")) or SCHEME.match(target):
        return False
    folder = posixpath.dirname(path.strip("/"))
    led = posixpath.normpath(posixpath.join(folder, unquote(target)))
    own = path.strip("/")
    page = SOURCE_SUFFIX.sub("", own)
    return led in {own, page, page + ".html"} or (target.endswith("/") and led == page)


def _links_to_own_file(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note], path: str
) -> None:
    """Links to sections of the text's own file, written relative to it as a repository's
    readers follow them (the WHATWG's `Workstream Policy.md` defines `[Editor]:
    ./Workstream%20Policy.md#editor`), lead to those sections of the text: on a policygen
    site that file is no page, and the reader stays on this one. A link to a fragment the
    text has no section for is left as it is, for check to say."""
    if not any("#" in line for line in lines):
        return
    names = _section_names(lines)
    first = None
    for index, line in enumerate(lines):
        if index in in_code or "`" in line or "#" not in line:
            continue
        parts = []
        last = 0
        for match in RELATIVE_TARGET.finditer(line):
            target = match[2].removeprefix("<").removesuffix(">")
            file, hash_, fragment = target.partition("#")
            if hash_ and _is_own_file(file, path) and unquote(fragment) in names:
                parts.append(f"{line[last : match.start()]}{match[1]}#{fragment}")
                last = match.end()
                first = (file, index) if first is None else first
        lines[index] = "".join(parts) + line[last:]
    if first is not None:
        notes.append(
            Note(
                f"links to sections of '{first[0]}', this text's own file, now lead to those sections on this page, from here on",
                line=body_line + first[1],
            )
        )


ICON_CODE = (
    r":(?:material|fontawesome-(?:brands|regular|solid)|octicons|simple)-[a-z0-9]+(?:-[a-z0-9]+)*:"
)
"""An icon as MkDocs' Material theme writes one (`:material-open-in-new:`,
`:fontawesome-brands-github:`, `:octicons-link-external-16:`, `:simple-python:`)."""
ICON_CODE_WITH_SPACE = re.compile(rf"(?<=\S)[ \t]*{ICON_CODE}|{ICON_CODE}[ \t]*")
"""An icon's code with the spaces that set it apart: those before it, or after it at the
start of the words."""


def _icon_codes_left_out(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note]
) -> None:
    """MkDocs' icon codes (AlesInfiny Maris' terms of use end each link to another site with
    `:material-open-in-new:`) show as written on policygen's pages, which show no icons: they
    are left out with the spaces that set them apart, code aside."""
    for index, line in enumerate(lines):
        if index in in_code or ":" not in line:
            continue
        spans = [match.span() for match in CODE_SPAN.finditer(line)]
        codes = [
            match
            for match in ICON_CODE_WITH_SPACE.finditer(line)
            if not any(start <= match.start() < end for start, end in spans)
        ]
        for match in reversed(codes):
            line = line[: match.start()] + line[match.end() :]
        lines[index] = line
        if codes:
            named = ", ".join(f"'{code}'" for code in dict.fromkeys(m[0].strip() for m in codes))
            notes.append(
                Note(
                    f"left out the icon code {named} ({len(codes)} here): an icon of MkDocs' Material theme, which policygen's pages would show as written",
                    line=body_line + index,
                )
            )


DRAWING_LINE = re.compile(r"[ \t]*`([^`\w]*)`[ \t\\]*")
"""A line that is a code span of no letters or digits: `` `..:::-----------*%%*-:` ``."""
DRAWING_LINES = 5
"""The fewest lines of characters without words that make a drawing."""


def _drawings_left_out(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note]
) -> None:
    """Pictures drawn with characters, a line of code each (Le Chat's Terms of Service end
    with Mistral AI's logo drawn in 34 lines such as `` `::---*%%%%#` ``, from its web page's
    footer): no words of the text, and a screen reader reads out each character. Five lines
    or more of code spans with no letter or digit, one after the other, are left out."""
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and end not in in_code and DRAWING_LINE.fullmatch(lines[end]):
            end += 1
        if end - index >= DRAWING_LINES:
            lines[index:end] = [""] * (end - index)
            notes.append(
                Note(
                    f"left out {end - index} lines of code that hold no letter or digit, to line {body_line + end - 1}: a picture drawn with characters (a web page's logo), not words of the text",
                    line=body_line + index,
                )
            )
        index = max(end, index + 1)


EMPTY_ROW = re.compile(r"[ \t]*\|(?:[ \t]*\|)+[ \t]*")
"""A table row of empty cells: `|     |     |`."""


def _captions_out_of_tables(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note]
) -> None:
    """A row of empty cells with words after its line of dashes makes no table: converters
    of web pages to Markdown write a table's caption there (`|  |  |`, then `| --- | --- |2023
    Terms of Use`), and readers would see the pipes and dashes. The words are made a
    paragraph of their own, in place."""
    for index in range(1, len(lines)):
        dashes = TABLE_DASHES_WITH_WORDS.fullmatch(lines[index].strip())
        if dashes is None or not EMPTY_ROW.fullmatch(lines[index - 1]) or index in in_code:
            continue
        words = dashes[1].strip()
        lines[index - 1] = ""
        is_followed = index + 1 < len(lines) and lines[index + 1].strip()
        lines[index] = words + ("\n" if is_followed else "")
        notes.append(
            Note(
                f"{words!r} stood after a row of empty cells and its line of dashes, which made no table (a web page's table caption, as converters write it): the words are now a paragraph of their own, the row and dashes gone",
                line=body_line + index,
            )
        )


TABLE_DASHES = re.compile(r"\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?)?[ \t]*")
"""A table's line of dashes: `| --- | :--: |`, `---|---`."""


def _table_heads_widened(
    lines: list[str], in_code: set[int], body_line: int, notes: list[Note]
) -> None:
    """A table's head with fewer cells than its line of dashes makes no table: readers see
    it and every row under it as written, pipes and dashes and all. Web pages' tables head
    columns with a cell that spans several (Perplexity's Privacy Policy heads its table of
    recipients with `| Category of Personal Information | Category of Recipients |` over
    `| --- | --- | --- |`, the second cell over two columns); converters write it once. The
    head gets the empty cells it lacks, at its end, when that makes the lines a table."""
    for index in range(1, len(lines)):
        dashes = lines[index].strip()
        head = lines[index - 1].rstrip()
        if index in in_code or "|" not in head or not TABLE_DASHES.fullmatch(dashes):
            continue
        columns = _cell_count(dashes)
        cells = _cell_count(head.strip())
        if cells >= columns:
            continue
        wider = head + (" |" if not head.endswith("|") else "") + " |" * (columns - cells)
        if not any(t.type == "table_open" for t in PARSER.parse(wider + "\n" + dashes + "\n")):
            continue
        lines[index - 1] = wider
        said = f"its head ends in {columns - cells} empty cell{'s' if columns - cells > 1 else ''}"
        names = lines[index + 1].rstrip() if index + 1 < len(lines) else ""
        if "|" in names and _cell_count(names.strip()) == columns - cells + 1:
            # The names of the columns the last header cell spanned, as the first row.
            at = len(names) - len(names.lstrip())
            opening = "|" if names[at:].startswith("|") else "| "
            lines[index + 1] = names[:at] + "| " * (cells - 1) + opening + names[at:].lstrip("|")
            said += "; the first row, which names the columns its last cell spans, moves under them"
        notes.append(
            Note(
                f"the head of this table had {cells} cell{'s' if cells > 1 else ''} over {columns} columns of dashes, which made no table (a web page's header cell that spans columns, as converters write it): the table shows, and {said}",
                line=body_line + index - 1,
            )
        )


def _cell_count(row: str) -> int:
    """How many cells a table's row has, as Markdown cuts it: at each `|` not escaped, the
    `|` at its ends aside."""
    cells = re.split(r"(?<!\\)\|", row)
    if cells and not cells[0].strip():
        cells.pop(0)
    if cells and not cells[-1].strip():
        cells.pop()
    return len(cells)


UNDERLINE = re.compile(r"-{3,}|={3,}")
"""The line under a heading's words (`---` or `===`), that a converter wrote apart from them."""
UNDERLINE_LONGER = 6
"""How many more characters than the heading's words its line may have: converters make it
as long as the heading's HTML text, its line breaks counted (`<br>Snap Terms<br>`)."""


def _underlines_joined(body: str, body_line: int, notes: list[Note]) -> str:
    """A heading a converter of web pages wrote with empty lines between its words and the
    line under them (`Snap Inc. Terms of Service`, two empty lines, thirty dashes: the heading
    held line breaks), which Markdown reads as a paragraph and a rule, made a heading again.

    The words are one line after an empty one (or the first); one to four empty lines follow
    them, then a line of `-` or of `=` alone, as long as the words or up to six characters
    longer, then an empty line or the end. The words are moved down to the line above the
    underline, so that every other line keeps its number."""
    if "\n\n-" not in body and "\n\n=" not in body:
        return body
    lines = body.split("\n")
    moved = []
    for index, line in enumerate(lines):
        if not UNDERLINE.fullmatch(line) or (index + 1 < len(lines) and lines[index + 1].strip()):
            continue
        words = index - 1
        while words >= 0 and not lines[words].strip():
            words -= 1
        text = lines[words].rstrip() if words >= 0 else ""
        if (
            not 1 <= index - words - 1 <= 4
            or (words > 0 and lines[words - 1].strip())
            or not text
            or text != text.lstrip()
            or UNDERLINE.fullmatch(text)
            or not len(text) <= len(line) <= len(text) + UNDERLINE_LONGER
            or PARSER.parse(text)[0].type != "paragraph_open"
        ):
            continue
        moved.append((words, index, text))
    if moved:
        in_code = _code_lines(PARSER.parse(body))
        moved = [(words, index, text) for words, index, text in moved if index not in in_code]
    for words, index, text in moved:
        lines[words], lines[index - 1] = "", text
    if moved:
        words, _, text = moved[0]
        notes.append(
            Note(
                f"made headings of lines underlined apart from their words, such as {text!r} "
                "here: a converter of web pages wrote headings so, and Markdown reads a "
                "paragraph and a rule",
                line=body_line + words,
            )
        )
    return "\n".join(lines)


def _code_lines(tokens: list[Token]) -> set[int]:
    """The lines of a parsed body that hold code or raw HTML, which import leaves as written."""
    return {
        line
        for token in tokens
        if token.type in ("fence", "code_block", "html_block") and token.map is not None
        for line in range(*token.map)
    }


NAMED_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:[ \t]+[a-zA-Z][a-zA-Z0-9-]*)*)>")
"""A start tag without attributes, or with words alone after its name: as a word of a
sentence, the name of an element; or a placeholder in angle brackets (`<not allowed>`,
`<INSERT VERSION>`)."""
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
"""A code span of one line, where a tag is shown as written."""


def _tag_names_as_text(
    tokens: list[Token], lines: list[str], body_line: int, notes: list[Note]
) -> None:
    """A start tag written as a word of a sentence and never closed in its paragraph
    ("other websites with <iframe> or similar methods", Kyle Mitchell's website terms of
    service) is the name of an element, not markup: its `<` is escaped, so that readers see
    it as written, where the browser would have made it an element that holds (or hides) the
    rest of the paragraph. So is a placeholder of words in angle brackets, within a line or
    alone on it, that nothing closes (`3. <not allowed>` in the U.S. Federal PKI's Certificate
    Policy, which opened a MathML element that hid the rest of the text; LINE's Privacy
    Policy heads each representative's address with `<EU Representative>`). A name that no
    element has is escaped after a word too (`ttcsid\\_<pixelID>`, a cookie's name in
    ChatGPT's Trackers Policy)."""
    whole = "\n".join(lines)
    for token in tokens:
        if token.type == "html_block" and token.map is not None:
            # The tag alone on the block's first line: lines of words may follow it, up to
            # an empty line (`<EU Representative>  `, then the representative's address).
            first = token.content.strip().split("\n", 1)[0].strip()
            alone = NAMED_TAG.fullmatch(first)
            if alone is None or not alone[2] or f"</{alone[1].lower()}" in whole.lower():
                continue
            raw, content = [first], whole
        elif token.type == "inline" and token.map is not None:
            raw = [c.content for c in token.children or () if c.type == "html_inline"]
            content = token.content
        else:
            continue
        named = {
            (m[1].lower(), re.sub(r"[ \t]+", " ", m[2]).lower())
            for tag in raw
            if (m := NAMED_TAG.fullmatch(tag)) and not (m[1].lower() in VOID and not m[2])
        }
        for name, words in sorted(named):
            if re.search(rf"</{name}\s*>", content, re.IGNORECASE):
                continue
            written = name + "".join(rf"[ \t]+{re.escape(word)}" for word in words.split())
            # A name no element has is text after any word (`ttcsid\_<pixelID>`).
            is_element = name in HTML_ELEMENTS or name in DRAWING_NAMES
            before = r"(?<![\\\w`])" if is_element or words else r"(?<![\\`])"
            for index in range(*token.map):
                line = lines[index]
                spans = [m.span() for m in CODE_SPAN.finditer(line)]
                found = [
                    m
                    for m in re.finditer(rf"{before}<{written}>(?=[\s.,;:)]|$)", line, re.I)
                    if not any(start <= m.start() < end for start, end in spans)
                ]
                for match in reversed(found):
                    line = line[: match.start()] + "\\" + line[match.start() :]
                    why = (
                        "it is a placeholder in angle brackets"
                        if words
                        else "it names an element in a sentence"
                        if is_element
                        else "no HTML element has that name"
                    )
                    notes.append(
                        Note(
                            f"'{match[0]}' is written as text: {why}, and the page would have read it as an element, never closed",
                            line=body_line + index,
                        )
                    )
                lines[index] = line


UNDERLINED_ITEM = re.compile(r"(\d{1,3})([.)])([ \t]+\S.*)")
"""A numbered line that Markdown reads as a list item: `1) Introduction`, `1. 소개`."""


def _underlined_items_as_headings(body: str, body_line: int, notes: list[Note]) -> str:
    """Numbered lines underlined as headings are (`1) Introduction` then a line of dashes),
    made the headings their writers meant: Markdown reads such a line as a list of one item
    and the dashes as a rule, and the pages of Livi's Privacy Policy and of Hackers' Pub's
    showed each section's title as a list item over a rule, and not in their contents.

    The line stands alone after an empty line (or first), the underline of `-` or `=` comes
    right after it; its number is escaped (`1\\) Introduction`), so that the underline makes
    it a heading. Lines keep their numbers."""
    lines = body.split("\n")
    items = [
        (index, item)
        for index in range(len(lines) - 1)
        if (item := UNDERLINED_ITEM.fullmatch(lines[index])) is not None
        and not (index > 0 and lines[index - 1].strip())
        and UNDERLINE.fullmatch(lines[index + 1].rstrip())
    ]
    if items:
        in_code = _code_lines(PARSER.parse(body))
        items = [(index, item) for index, item in items if index not in in_code]
    first: tuple[int, str] | None = None
    for index, item in items:
        lines[index] = f"{item[1]}\\{item[2]}{item[3]}"
        first = first or (index, lines[index].replace("\\", "", 1))
    if first is not None:
        notes.append(
            Note(
                f"made headings of numbered lines underlined as headings are, such as "
                f"{excerpt(first[1])!r} here: Markdown reads such a line as a list, and the "
                "line under it as a rule",
                line=body_line + first[0],
            )
        )
    return "\n".join(lines)


WIDE_ITEM = re.compile(r"( *)(\d{2,9}[.)])( {1,4})(?=\S)")
"""A list item whose number and the spaces after it take more than four characters:
`10.  ### Article 10`."""
CONVERTER_INDENT = 4
"""How far converters of web pages (Turndown, which Open Terms Archive uses among them)
indent what a list item holds, whatever its number."""


def _wide_items_indented(body: str, body_line: int, notes: list[Note]) -> str:
    """What a list item numbered 10 or more holds, indented by as many spaces as its number
    and the spaces after it take, where a converter of web pages indented it four.

    Turndown writes `10.  ### Article 10`, then the article's clauses as `    1.  …`, as
    under the items before: Markdown reads what is indented less than the item's text as
    outside it, and so as code, its lines as written in a box. What follows such an item
    indented four spaces or more, but less than its text, is moved right as one, until a
    line indented less than four; lines keep their numbers."""
    lines = body.split("\n")
    fence = ""
    first: tuple[int, str] | None = None
    for index, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if fence:
            fence = "" if stripped.startswith(fence) else fence
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        item = WIDE_ITEM.match(line)
        if item is None:
            continue
        indent = len(item.group(1))
        text_at = indent + len(item.group(2)) + len(item.group(3))
        end = index + 1
        while end < len(lines) and (
            not lines[end].strip()
            or len(lines[end]) - len(lines[end].lstrip(" ")) >= indent + CONVERTER_INDENT
        ):
            end += 1
        held = [i for i in range(index + 1, end) if lines[i].strip()]
        if not held:
            continue
        least = min(len(lines[i]) - len(lines[i].lstrip(" ")) for i in held)
        if least >= text_at:
            continue
        for i in held:
            lines[i] = " " * (text_at - indent - CONVERTER_INDENT) + lines[i]
        if first is None:
            first = (index, stripped)
    if first is None:
        return body
    index, stripped = first
    notes.append(
        Note(
            "moved what list items numbered 10 and on hold as far right as their text, such "
            f"as '{excerpt(stripped)}' here: a converter of web pages indented it four "
            "spaces, as under the items before, and Markdown read it as code, its lines as "
            "written",
            line=body_line + index,
        )
    )
    return "\n".join(lines)


CLAUSE_LABEL = re.compile(
    r"(?:\(?(?:[ivxlcdm]+|[a-z]|\d+(?:\.\d+)*)[.)]|\((?:[ivxlcdm]+|[a-z]|\d+)\))\s",
    re.IGNORECASE,
)
"""A clause's label at the start of its line: 'i.', 'iv)', 'a.', '(b)', '2.1.'."""


_ITEM_MARKER = re.compile(r" *(?:\d{1,9}[.)]|[-+*])(?: {1,4}(?=\S)| (?= {4}))")
"""The start of a list item's line, up to its text."""


def _clauses_indented_as_text(body: str, body_line: int, notes: list[Note]) -> str:
    """Clauses under a list item's paragraph, indented four spaces or more past it, moved
    left to stand as far right as that paragraph: Markdown read them as code, shown in a
    box, their lines as written, raw HTML and all.

    Common Paper's Data Processing Agreement writes its clause 3.2(c)'s points ('i. The
    optional docking clause…') twelve spaces in, under '        c. For each module…' in
    item '    2. Ex-EEA Transfers': its own site shows them as clauses. Only a block whose
    every paragraph starts with a clause's label ('i.', '(a)', '2.1.') is moved; lines
    keep their numbers."""
    lines = body.split("\n")
    tokens = PARSER.parse(body)
    first: tuple[int, str] | None = None
    opening: Token | None = None
    """The last paragraph opened."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open":
            opening = token
        if (
            token.type != "code_block"
            or token.map is None
            or token.level == 0
            or tokens[index - 1].type != "paragraph_close"
            or opening is None
            or opening.map is None
        ):
            continue
        start, end = token.map
        held = [i for i in range(start, end) if lines[i].strip()]
        starts = [i for i in held if i == start or not lines[i - 1].strip()]
        if not held or not all(CLAUSE_LABEL.match(lines[i].lstrip(" ")) for i in starts):
            continue
        paragraph = lines[opening.map[0]]
        marker = _ITEM_MARKER.match(paragraph)
        # The paragraph's text starts after its item's number, when it is the item's first.
        text_at = len(marker.group()) if marker else len(paragraph) - len(paragraph.lstrip(" "))
        least = min(len(lines[i]) - len(lines[i].lstrip(" ")) for i in held)
        for i in held:
            lines[i] = " " * text_at + lines[i][least:]
        if first is None:
            first = (start, lines[start].strip())
    if first is None:
        return body
    index, stripped = first
    notes.append(
        Note(
            f"moved clauses such as '{excerpt(stripped)}' here left, as far right as the "
            "paragraph above them: indented four spaces or more past it, Markdown read them "
            "as code, their lines as written",
            line=body_line + index,
        )
    )
    return "\n".join(lines)


LIST_OF_ITS_OWN = "<!-- a list of its own, numbered as written -->"
"""Between two numbered lists that meet, so that the second starts at its own number."""


def _restarted_lists_apart(
    tokens: list[Token], lines: list[str], body_line: int, notes: list[Note]
) -> None:
    """A numbered list that starts again after another (`9.` then `1.`), kept apart from it.

    Markdown reads items that follow each other as one list, numbered from its first, so
    that a converter of web pages that wrote two lists one under the other (a contract's
    definitions, numbered 1 to 9, then its articles from 1) had `Article 1` shown as 10.
    A line readers do not see is put between them."""
    starts: list[int] = []
    for index, token in enumerate(tokens):
        if token.type != "ordered_list_open":
            continue
        before: int | None = None
        for item in tokens[index + 1 :]:
            if item.level <= token.level:
                break
            if item.type != "list_item_open" or item.level != token.level + 1:
                continue
            number = int(item.info) if item.info.isdigit() else None
            if (
                before is not None
                and number is not None
                and number < before
                and item.map
                and re.match(r" *\d", lines[item.map[0]])
            ):
                starts.append(item.map[0])
            before = number
    for start in sorted(starts, reverse=True):
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip(" "))]
        lines[start:start] = ["", indent + LIST_OF_ITS_OWN, ""]
    if starts:
        start = min(starts)
        notes.append(
            Note(
                "kept apart numbered lists that meet, such as the one that starts again at "
                f"'{excerpt(lines[start + 3].strip())}' here, by a line `{LIST_OF_ITS_OWN}`, "
                "which readers do not see: Markdown reads them as one list, and numbered "
                "the second on from the first",
                line=body_line + start,
            )
        )


def _untagged_links(body: str, body_line: int, notes: list[Note]) -> str:
    """Links whose target is a Jekyll `{% link … %}` tag, linked to the file the tag names."""
    if "link" not in body or "{%" not in body:
        return body
    lines = body.split("\n")
    for index, line in enumerate(lines):
        for tag in LINK_TAG.finditer(line):
            notes.append(
                Note(
                    f"the link to '{tag.group()[2:-1].strip()}' now leads to '{tag.group(1)}': policygen runs no template; write policy:ID for another policy, or its full address",
                    line=body_line + index,
                )
            )
        lines[index] = LINK_TAG.sub(r"](\1)", line)
    return "\n".join(lines)


CARD_TARGET = re.compile(r"\]\(([^\s()<>]+(?:\([^\s()<>]*\)[^\s()<>]*)*)\)")
"""The end of a link and its target, `](https://docs.base.org/use-cases/go-gasless)`."""
CARD_HEADING = re.compile(r"(#{1,6}[ \t]+)(\S.*?)[ \t]*")
"""A heading's line in a card, `### Onboard anyone`: its marks, then its words."""
SETEXT_LINE = re.compile(r"[ \t]{0,3}(?:=+|-+)[ \t]*")
CARD_LINES = 40
"""The most lines a card's link goes around: a web page's card is a heading, a date, a few
paragraphs."""
SPACES = " \t\u00a0\u202f"
"""The spaces between a card and the words beside it on its line, which it moves apart from."""


def _cards_unwrapped(body: str, body_line: int, notes: list[Note]) -> str:
    """Links around several blocks: web pages link whole "cards" (a heading, a date, a
    paragraph), and converters write one link around them all (`[### Onboard anyone`, an
    empty line, `Let users sign up….](https://docs.base.org/use-cases/onboard-any-user)`,
    the next card's `[` after its `)`). Markdown reads no link across an empty line or a
    heading, and readers saw `[###` and `](https://…)` as text. The blocks come in as they
    are, each card apart, the link on the card's heading (or its first line of words)."""
    if "](" not in body or "[" not in body:
        return body
    code = _code_lines(PARSER.parse(body))
    breaks = [at for at, char in enumerate(body) if char == "\n"]
    cards: list[tuple[int, int, str, str]] = []
    after_last = 0
    for start, close in _bracket_pairs(body):
        line = bisect.bisect(breaks, start)
        if start < after_last or line == len(breaks) or breaks[line] > close:
            continue  # inside a card, or on one line
        card = _card(body, start, close, line, code)
        if card is not None:
            cards.append(card)
            after_last = card[1]
    for start, _, inner, target in cards:
        notes.append(
            Note(
                f"a link to '{target}' went around {inner.count(chr(10)) + 1} lines (a web page's card, as converters write it), which Markdown reads as text, brackets and all: the lines come in as they are, the link on '{excerpt(_card_words(inner))}'",
                line=body_line + bisect.bisect(breaks, start),
            )
        )
    for start, end, inner, _ in reversed(cards):
        before = body[:start].rstrip(SPACES)
        after = body[end:].lstrip(SPACES)
        body = before + _apart(before, at_end=True) + inner + _apart(after, at_end=False) + after
    return body


def _apart(text: str, *, at_end: bool) -> str:
    """The line breaks that set a card apart from `text`, before it (`at_end`, the text's
    end meets the card) or after it: an empty line, less those the text has there."""
    edge = text[-2:] if at_end else text[:2]
    if not text or edge == "\n\n":
        return ""
    return "\n" if "\n" in edge else "\n\n"


def _bracket_pairs(body: str) -> list[tuple[int, int]]:
    """Where each `[` of `body` that is closed, no `\\` before it, is, and where its `]` is,
    in the order of the `[`s."""
    pairs: list[tuple[int, int]] = []
    opened: list[int] = []
    escaped = False
    for at, char in enumerate(body):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            opened.append(at)
        elif char == "]" and opened:
            pairs.append((opened.pop(), at))
    return sorted(pairs)


def _card(
    body: str, start: int, at: int, first: int, code: set[int]
) -> tuple[int, int, str, str] | None:
    """The card whose link opens at `start` and closes at `at`, on the `first` line of
    `body` (counted from 0): where it starts and ends in `body`, its lines with the link on
    its heading, and its target; or None if it is no link around several blocks."""
    if (start and body[start - 1] == "!") or first in code:
        return None
    target = CARD_TARGET.match(body, at)
    inner = body[start + 1 : at]
    lines = inner.split("\n")
    if target is None or len(lines) < 2 or len(lines) > CARD_LINES:
        return None
    if any(first + offset in code for offset in range(len(lines))):
        return None
    is_blocks = any(not line.strip() for line in lines) or any(
        CARD_HEADING.fullmatch(line) or SETEXT_LINE.fullmatch(line) for line in lines[1:]
    )
    if not is_blocks:
        return None
    for offset, line in enumerate(lines):
        heading = CARD_HEADING.fullmatch(line)
        is_setext = offset + 1 < len(lines) and SETEXT_LINE.fullmatch(lines[offset + 1])
        if heading and "[" not in heading[2]:
            lines[offset] = f"{heading[1]}[{heading[2]}]({target[1]})"
            break
        if is_setext and line.strip() and "[" not in line:
            lines[offset] = f"[{line.strip()}]({target[1]})"
            break
    else:
        for offset, line in enumerate(lines):
            if line.strip() and "[" not in line and not line.lstrip().startswith(("#", "|", ">")):
                lines[offset] = f"[{line.strip()}]({target[1]})"
                break
        else:
            return None
    return start, target.end(), "\n".join(lines), target[1]


def _card_words(inner: str) -> str:
    """The words a card's link is on, after its lines came in."""
    match = re.search(r"(?<!!)\[([^\[\]]+)\]\(", inner)
    return match[1] if match else ""


ADMONITION = re.compile(r"(:{3,})[ \t]*([A-Za-z][\w-]*)[ \t]*(?:\[(.*)\]|(.*))$")
"""The first line of a Docusaurus or VitePress admonition (`:::note`, `:::info Last updated`,
`:::tip[Title]`), which goes on to a line of as many colons."""
FENCE_LINE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")


def _fence_after(line: str, fence: str) -> str:
    """The fence of code a line leaves open, given the one open before it ("" for none)."""
    fenced = FENCE_LINE.match(line)
    if fenced is not None and (not fence or fenced[1].startswith(fence)):
        return "" if fence else fenced[1]
    return fence


def _next_line(lines: list[int], index: int) -> int | None:
    """The first of `lines` (in order) after `index`: looked up, not searched for from each
    opening of a block, which took time growing with the square of a text of many openings
    never closed."""
    after = bisect.bisect_right(lines, index)
    return lines[after] if after < len(lines) else None


def _admonitions_as_quotes(body: str, body_line: int, notes: list[Note]) -> str:
    """Docusaurus and VitePress admonitions (Retool's legal pages open with `:::note`
    "Applicable to customers on any plan."), which policygen's Markdown does not have, written
    as quotes under their title in bold, as those sites set them apart under it: the words
    stay, and `:::` is left to policygen's region blocks."""
    if ":::" not in body:
        return body
    lines = body.split("\n")
    closings: dict[str, list[int]] = {}  # each run of colons alone on a line → its lines
    for k, line in enumerate(lines):
        if line.strip().strip(":") == "" and ":::" in line:
            closings.setdefault(line.strip(), []).append(k)
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _fence_after(line, fence)
        opening = ADMONITION.match(line) if not fence else None
        if opening is None or opening[2] == "region":
            index += 1
            continue
        colons = opening[1]
        end = _next_line(closings.get(colons, []), index)
        if end is None:
            index += 1
            continue
        title = (opening[3] or opening[4] or "").strip() or opening[2].capitalize()
        # A hard break after the title where the words follow on the next line, which would
        # otherwise run on from it in one paragraph.
        is_run_on = index + 1 < end and bool(lines[index + 1].strip())
        lines[index] = f"> **{title}**" + ("\\" if is_run_on else "")
        for k in range(index + 1, end):
            lines[k] = f"> {lines[k]}" if lines[k].strip() else ">"
        lines[end] = ""
        notes.append(
            Note(
                f"the '{colons}{opening[2]}' block (to line {body_line + end}) is written as a quote under its title, '{title}': policygen's Markdown has no such block",
                line=body_line + index,
            )
        )
        index = end + 1
    return "\n".join(lines)


INDENTED_ADMONITION = re.compile(
    r'([ \t]*)(!!!|\?\?\?\+?)[ \t]*([A-Za-z][\w-]*)(?:[ \t]+[\w-]+)*[ \t]*(?:"(.*)")?[ \t]*'
)
"""The first line of an admonition as MkDocs and Python-Markdown write it (`!!! note`,
`!!! warning "Before you start"`, or `??? quote "Full text"` for one shown folded), whose
words follow on lines indented four spaces further."""


def _indented_admonitions_as_quotes(body: str, body_line: int, notes: list[Note]) -> str:
    """MkDocs admonitions (AlesInfiny Maris' terms of use give the licences' full text under
    `??? quote "Apache License, Version 2.0 本文"`), which policygen's Markdown read as a
    paragraph of their first line and code of the words under it, written as quotes under
    their title in bold, as MkDocs sets them apart under it. An empty title (`!!! note ""`)
    gives a quote with none; code, and an opening with no words under it, stay as they are."""
    if "!!!" not in body and "???" not in body:
        return body
    lines = body.split("\n")
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _fence_after(line, fence)
        opening = INDENTED_ADMONITION.fullmatch(line) if not fence else None
        if opening is None or (index > 0 and lines[index - 1].strip()):
            index += 1
            continue
        indent = opening[1]
        inner = indent + "    "
        end = index + 1
        while end < len(lines) and (lines[end].startswith(inner) or not lines[end].strip()):
            end += 1
        while end > index + 1 and not lines[end - 1].strip():
            end -= 1
        if end == index + 1:
            index += 1
            continue
        title = opening[3].capitalize() if opening[4] is None else opening[4].strip()
        lines[index] = f"{indent}> **{title}**" if title else ""
        for k in range(index + 1, end):
            words = lines[k][len(inner) :]
            lines[k] = f"{indent}> {words}" if words.strip() else f"{indent}>"
        notes.append(
            Note(
                f"the '{opening[2]} {opening[3]}' block (to line {body_line + end - 1}) is written as a quote"
                + (f" under its title, '{title}'" if title else "")
                + ": policygen's Markdown has no such block, and showed its words as code",
                line=body_line + index,
            )
        )
        index = end
    return "\n".join(lines)


DEFINITION = re.compile(r" {0,3}:[ \t]+(\S.*)")
"""The first line of a definition in a definition list as Python-Markdown, PHP Markdown
Extra and Pandoc write it, under its term: `:   The documents of this site.`"""
NOT_A_TERM = re.compile(r" {0,3}(?:[-+*>#|]|\d{1,9}[.)]|`{3}|~{3}|<)")
"""How a line that no definition list's term is opens: a list item, a quote, a heading, a
table's row, code or HTML."""


def _definitions_as_paragraphs(body: str, body_line: int, notes: list[Note]) -> str:
    """Definition lists (AlesInfiny Maris' terms of use define its words so: `` `サンプル
    アプリケーション` ``, then `:   本サイトからダウンロードできる…`), which policygen's
    Markdown showed as a paragraph of the term and one of the definition opening with ':',
    written as the term in bold, then its definition as paragraphs: every line keeps its
    number. A term right above its definition ends in a line break."""
    if ":" not in body:
        return body
    lines = body.split("\n")
    fence = ""
    first = None
    after_definition = False
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _fence_after(line, fence)
        definition = DEFINITION.fullmatch(line) if not fence else None
        if definition is None:
            if line.strip() and not line.startswith("    "):
                after_definition = False
            index += 1
            continue
        end = index - 1 if index > 0 and not lines[index - 1].strip() else index
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        terms = range(start, end) if end > start else range(0)
        if not after_definition and (
            not terms
            or any(NOT_A_TERM.match(lines[k]) or DEFINITION.fullmatch(lines[k]) for k in terms)
        ):
            index += 1
            continue
        if not after_definition:
            for k in terms:
                term = lines[k].strip().removesuffix("\\").rstrip()
                bold = term if term.startswith("**") and term.endswith("**") else f"**{term}**"
                lines[k] = bold + ("\\" if k == index - 1 else "")
        lines[index] = definition[1]
        index += 1
        while (
            index < len(lines) and lines[index].strip() and not DEFINITION.fullmatch(lines[index])
        ):
            lines[index] = lines[index].removeprefix("    ")
            index += 1
        while index < len(lines) and (not lines[index].strip() or lines[index].startswith("    ")):
            lines[index] = lines[index].removeprefix("    ")
            index += 1
        first = first if first is not None else start if terms else index
        after_definition = True
    if first is not None:
        notes.append(
            Note(
                "definition lists (the first here) are written as each term in bold, then its definition as paragraphs: policygen's Markdown has no definition lists, and showed each definition as a paragraph opening with ':'",
                line=body_line + first,
            )
        )
    return "\n".join(lines)


PAGE_VARIABLE = re.compile(r"\{\{-?[ \t]*page\.([A-Za-z_][\w-]*)[ \t]*-?\}\}")
"""A Jekyll placeholder of a value of the page's own front matter: `{{ page.lang }}`."""


def _page_variables_filled(
    body: str, values: Mapping[str, object], body_line: int, notes: list[Note]
) -> str:
    """Jekyll placeholders of the page's own front matter (CoronaMelder's privacy statement
    links to `https://coronamelder.nl/{{ page.lang }}/faq/…`, its front matter saying `lang:
    en`) filled in with their values, as Jekyll filled them in: the link leads where it led,
    and no placeholder shows as written. A value that is not a word or a number (a date,
    which Jekyll writes its own way, a list), and a text that keeps Liquid from running
    (`{% raw %}`), are left as they are."""
    if "page." not in body or "{% raw" in body.replace("{%-", "{%"):
        return body
    filled: dict[str, tuple[str, int]] = {}

    def value_of(match: re.Match[str], index: int) -> str:
        value = values.get(match[1])
        if isinstance(value, bool) or not isinstance(value, str | int) or "\n" in str(value):
            return match[0]
        filled.setdefault(match[1], (match[0], index))
        return str(value)

    lines = body.split("\n")
    for index, line in enumerate(lines):
        if "page." in line:
            lines[index] = PAGE_VARIABLE.sub(partial(value_of, index=index), line)
    for name, (placeholder, index) in filled.items():
        notes.append(
            Note(
                f"{placeholder!r} is filled in with {str(values[name])!r}, the value the text's front matter gives it, as Jekyll filled it in",
                line=body_line + index,
            )
        )
    return "\n".join(lines)


def _without_empty_headings(
    headings: list[tuple[int, Token]], lines: list[str], body_line: int, notes: list[Note]
) -> list[tuple[int, Token]]:
    """Headings with no words, `##` alone on its line (DecisionRules' Terms and Conditions,
    kept in GitBook, ended with one), left out: each showed as an empty line, and as an
    entry with nothing to read in the page's contents. Their lines are left empty."""
    kept = []
    for index, token in headings:
        assert token.map is not None
        start = token.map[0]
        if not token.markup.startswith("#") or lines[start].strip().strip("#").strip():
            kept.append((index, token))
            continue
        lines[start] = ""
        notes.append(
            Note(
                f"left out '{token.markup}', a heading with no words: it showed as an empty line, and as an entry of the page's contents with nothing to read",
                line=body_line + start,
            )
        )
    return kept


HINT_OPENING = re.compile(r"([ \t]*)\{%-?[ \t]*hint\b[^{}\n]*%\}[ \t]*")
"""The first line of a GitBook hint, `{% hint style="info" %}`, alone on its line."""
HINT_CLOSING = re.compile(r"[ \t]*\{%-?[ \t]*endhint[ \t]*-?%\}[ \t]*")
"""The last line of a GitBook hint, `{% endhint %}`."""


def _hints_as_quotes(body: str, body_line: int, notes: list[Note]) -> str:
    """GitBook hints (DecisionRules' SLAs open with `{% hint style="info" %}` "Other SLA:
    Community Support and Custom SLA." `{% endhint %}`), which policygen's Markdown shows as
    text, tags and all, written as quotes: GitBook sets their words apart in a box, under no
    title. The tags' lines are left empty, so that every other line keeps its number."""
    if "endhint" not in body:
        return body
    lines = body.split("\n")
    closings = [k for k, line in enumerate(lines) if HINT_CLOSING.fullmatch(line)]
    fence = ""
    first = None
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _fence_after(line, fence)
        opening = HINT_OPENING.fullmatch(line) if not fence else None
        end = _next_line(closings, index) if opening is not None else None
        if opening is None or end is None:
            index += 1
            continue
        indent = opening[1]
        for k in range(index + 1, end):
            words = lines[k].removeprefix(indent) if lines[k].startswith(indent) else lines[k]
            lines[k] = f"{indent}> {words}" if words.strip() else f"{indent}>"
        lines[index] = lines[end] = ""
        if first is None:
            first = (index, line.strip())
        index = end + 1
    if first is not None:
        notes.append(
            Note(
                f"GitBook hints ({first[1]!r} to '{{% endhint %}}', the first here) are written as quotes: policygen's Markdown has no such block, and would show their tags as text",
                line=body_line + first[0],
            )
        )
    return "\n".join(lines)


def normalized(text: str) -> str:
    """A text without its byte order mark, its lines ended by LF alone."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _front_matter(text: str, notes: list[Note]) -> tuple[Mapping[str, object], str, int]:
    """(front matter values, body, body's first line) of a text with YAML front matter (Jekyll,
    MkDocs, Hugo), TOML front matter (Hugo), metadata lines (Pelican, MultiMarkdown) or none."""
    parts = split_front_matter(text)
    if parts is not None:
        yaml_text, body, body_line = parts
        return _yaml_values(yaml_text), body, body_line
    parts = split_front_matter(text, TOML_FENCE)
    if parts is not None:
        toml_text, body, body_line = parts
        return toml_values(toml_text), body, body_line
    metadata = _metadata(text)
    if metadata is not None:
        values, body, body_line = metadata
        notes.append(
            Note(
                f"the lines before line {body_line} were read as the text's settings ('Title: …' and the like, as Pelican and MultiMarkdown write them), not as its words",
                line=1,
            )
        )
        title = values.pop("title")
        return {"title": title, **({"extra": values} if values else {})}, body, body_line
    return {}, text, 1


METADATA_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]{0,39}):[ \t]*(.*)")
"""A line of metadata at the top of a Pelican or MultiMarkdown text: `Title: Privacy Policy`."""


def _metadata(text: str) -> tuple[dict[str, object], str, int] | None:
    """(metadata, body, body's first line) of a text whose first line is `Title: …` and whose
    lines up to the first empty one are all `Key: value` (or carry on the value above, indented);
    None for any other text, such as one opening `Title: …` and then its words."""
    lines = text.split("\n")
    first = METADATA_LINE.fullmatch(lines[0])
    if first is None or first[1].lower() != "title":
        return None
    values: dict[str, str] = {}
    key = ""
    for index, line in enumerate(lines):
        if not line.strip():
            return dict(values), "\n".join(lines[index + 1 :]), index + 2
        match = METADATA_LINE.fullmatch(line)
        if match is not None:
            key = match[1].lower()
            values[key] = match[2].strip()
        elif line[:1] in (" ", "\t"):
            values[key] = f"{values[key]} {line.strip()}"
        else:
            return None
    return dict(values), "", len(lines) + 1


def _yaml_values(yaml_text: str) -> Mapping[str, object]:
    """Read as policygen reads its own front matter: no tags, and no aliases standing for
    more values than a page could show (a file from anyone's repository may hold them)."""
    where = SourceLocation("")
    root, problems = parse_yaml(yaml_text, where, first_line=2)
    reader = NodeReader(where, first_line=2, problems=problems)
    values = reader.plain(root, "its front matter") if root is not None and not problems else None
    if reader.problems:
        first = reader.problems[0]
        if first.message.startswith("this YAML is malformed"):
            raise NotImportable(f"its front matter is not valid YAML at line {first.location.line}")
        raise NotImportable(f"{first.message} (line {first.location.line})")
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise NotImportable("its front matter is not a mapping of keys to values")
    return values


def toml_values(toml_text: str) -> dict[str, object]:
    """TOML front matter's values, a time of day as text (YAML has no such value)."""
    try:
        values = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        where = f" at line {int(line.group(1)) + 1}" if line else ""
        raise NotImportable(f"its front matter is not valid TOML{where}") from None
    except RecursionError:
        raise NotImportable(_TOO_DEEP) from None
    return {key: _with_times_as_text(value, 1) for key, value in values.items()}


def _with_times_as_text(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise NotImportable(_TOO_DEEP)
    if isinstance(value, dict):
        return {key: _with_times_as_text(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_times_as_text(item, depth + 1) for item in value]
    return value.isoformat() if isinstance(value, dt.time) else value


def _front(values: Mapping[str, object], notes: list[Note]) -> dict[str, object]:
    """policygen's front matter: its own keys whose values mean what policygen means by them,
    and the rest under `extra:` (Jekyll's `published: false`, a translation platform's
    `untranslated: 1`)."""
    front: dict[str, object] = {}
    moved: list[str] = []
    given = values.get("extra")
    extra: dict[str, object] = dict(given) if isinstance(given, Mapping) else {}
    for key, value in values.items():
        key = str(key)
        if key == "extra":
            continue
        why_not = _why_not_policygens(key, value) if key in FRONT_MATTER_KEYS else ""
        if why_not is None:
            front[key] = value
        else:
            extra[key] = value
            moved.append(f"'{key}'{f' ({why_not})' if why_not else ''}")
    if moved:
        notes.append(
            Note(
                f"front matter that is not policygen's was kept under 'extra:': {', '.join(moved)}",
                line=1,
            )
        )
    if extra:
        front["extra"] = extra
    return front


def _why_not_policygens(key: str, value: object) -> str | None:
    """None when a value reads as policygen's setting of that name, else why it does not."""
    parsed, problems = parse_document_file(
        f"---\n{render_front({key: value})}---\n", SourceLocation("")
    )
    errors = [problem.message for problem in problems if problem.is_error]
    return f"in policygen, {errors[0]}" if errors or parsed is None else None
