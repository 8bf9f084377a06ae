"""Two canonical texts → a redline: sections, word and character marks, valid and safe HTML."""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import html5lib
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from policygen.canonical import CanonicalText
from policygen.diffing import Redline, RedlineLabels, diff_texts, with_own_directions
from policygen.diffing import alignment as alignment_module
from policygen.diffing import blocks as blocks_module
from policygen.diffing import words as words_module
from policygen.errors import SourceLocation
from policygen.footnotes import without_back_links
from policygen.markdown import TABLE_SCROLL_OPEN, render_markdown

from ..timing import assert_in_proportion
from .test_markdown import RAW_HTML_LEFT_OPEN, SECTION_SNIPPETS

INS = '<ins><span class="visually-hidden">inserted: </span>'
DEL = '<del><span class="visually-hidden">deleted: </span>'


def html_of(redline: Redline) -> str:
    return "".join(part.html for part in redline.parts)


def section_html(redline: Redline, index: int) -> str:
    """The HTML of one section of a text cut at its headings: from its heading to the next."""
    sections = redline.sections
    html = html_of(redline)

    def start(k: int) -> int:
        if k >= len(sections):
            return len(html)
        if not sections[k].anchor:
            return 0
        return html.rindex("<", 0, html.index(f' id="{sections[k].anchor}"'))

    return html[start(index) : start(index + 1)]


def moved_here(redline: Redline) -> list[int]:
    """The sections moved and edited, where they now stand: shown with their edits marked."""
    return [
        index
        for index, section in enumerate(redline.sections)
        if section.is_moved and section.change not in ("added", "removed")
    ]


def old_side_html(redline: Redline) -> str:
    """The redline's HTML but the sections moved and edited where they now stand: their old
    words are read where they stood, deleted."""
    html = html_of(redline)
    for index in reversed(moved_here(redline)):
        section = section_html(redline, index)
        # (Containers opened after it, the list of notes after the last section, are kept.)
        section = re.sub(r"(?:<[a-z][^>]*>\s*)+$", "", section)
        start = html.index(section)
        html = html[:start] + html[start + len(section) :]
    return html


def assert_moves_read_as_their_old_and_new_sections(redline: Redline) -> None:
    """Each section moved and edited, read as the older text, is a section the redline shows
    removed (as moved) where it stood: every word of it deleted there is deleted or kept here."""
    here = moved_here(redline)
    if not here:
        return
    away = Counter(
        tuple(without_spacing_in_cjk(block_texts(section_html(redline, index), skip="ins")))
        for index, section in enumerate(redline.sections)
        if section.is_moved and section.change == "removed"
    )
    for index in here:
        section = section_html(redline, index)
        old_words = tuple(without_spacing_in_cjk(block_texts(section, skip="ins")))
        assert away[old_words] > 0, (old_words, away)
        away[old_words] -= 1
        assert "<del>" in section or "<ins>" in section or "redline-" in section


def assert_reads_as_old_and_new(redline: Redline, old: str, new: str) -> None:
    """The redline read without its insertions is the old text, without its deletions the new.

    A section moved and edited shows its old words twice: deleted where it stood, and with
    its edits where it now stands. The old text is read where it stood, and each such
    section's old words where it now stands are those deleted where it stood."""
    old_reading = block_texts(old_side_html(redline), skip="ins")
    new_reading = block_texts(html_of(redline), skip="del")
    assert without_spacing_in_cjk(old_reading) == without_spacing_in_cjk(block_texts(render(old)))
    assert without_spacing_in_cjk(new_reading) == without_spacing_in_cjk(block_texts(render(new)))
    is_cut_at_headings = all(s.kind in ("heading", "intro") for s in redline.sections)
    assert not moved_here(redline) or is_cut_at_headings
    assert_moves_read_as_their_old_and_new_sections(redline)


def outline(redline: Redline) -> list[tuple[str, str]]:
    return [(section.anchor, section.change) for section in redline.sections]


def render(text: str) -> str:
    lines = tuple(range(1, text.count("\n") + 2))
    return render_markdown(CanonicalText(text, lines), SourceLocation("x.md")).html


# --- Reading redlines back ----------------------------------------------------------------

VOID = {"br", "hr", "img", "wbr", "col"}
BLOCKS = {"p", "li", "ul", "ol", "td", "th", "tr", "table", "thead", "tbody", "blockquote"}
BLOCKS |= {"pre", "div", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
ONLY_CHILDREN = {
    "ul": {"li"},
    "ol": {"li"},
    "table": {"thead", "tbody", "tr"},
    "thead": {"tr"},
    "tbody": {"tr"},
    "tr": {"td", "th"},
}
PHRASING_ONLY = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "a", "em", "strong", "code"}


class BlockTexts(HTMLParser):
    """HTML → the text of each block, leaving out the hidden labels and <ins> or <del> text.

    Read as the older text (`skip="ins"`), a block ended by a paragraph break marked inserted
    (a split) reads on into the next block, and one marked deleted (a join) ends a block.
    """

    def __init__(self, skip: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = skip
        self.stack: list[tuple[str, bool]] = []
        self.blocks: list[str] = []
        self.text: list[str] = []
        self.glued: str | None = None
        """The element of a block a break this text does not have ended: it reads on into
        the next such element."""
        self.glued_ends = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.flush()
        # Read in the older text: a break inserted (at a block's end) was not there, a break
        # deleted (inside a block) was.
        if ("class", "redline-break") in attrs and self.skip == "ins":
            if tag == "ins":
                self.glued = next(name for name, _ in reversed(self.stack) if name in BLOCKS)
                self.glued_ends = 0
            else:  # (even in a block read on into: a break moved from after its first words)
                self.glued = None
                self.flush()
        if tag not in VOID:
            # A table's head shown again where a collapsed run cut the table is read once; a
            # moved section's label is not its words.
            is_hidden = tag == self.skip or any(
                ("class", name) in attrs
                for name in (
                    "visually-hidden",
                    "redline-repeated",
                    "redline-break",
                    "redline-moved",
                )
            )
            self.stack.append((tag, is_hidden))

    def handle_endtag(self, tag: str) -> None:
        if tag == self.glued:
            self.glued_ends += 1
            if self.glued_ends == 2:  # the end of the block after the break
                self.glued = None
        if tag in BLOCKS:
            self.flush()
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not any(is_hidden for _, is_hidden in self.stack):
            self.text.append(data)

    def flush(self) -> None:
        if self.glued:
            self.text.append(" ")
            return
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append(text)
        self.text = []


def block_texts(html: str, skip: str | None = None) -> list[str]:
    reader = BlockTexts(skip)
    reader.feed(html)
    reader.close()
    reader.flush()
    return reader.blocks


class WellFormed(HTMLParser):
    """Every element closed in order, and tables, lists and paragraphs holding only what they may."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent in ONLY_CHILDREN and tag not in ONLY_CHILDREN[parent]:
            self.errors.append(f"<{tag}> in <{parent}>")
        if tag in BLOCKS and any(open_tag in PHRASING_ONLY for open_tag in self.stack):
            self.errors.append(f"<{tag}> in phrasing content {self.stack}")
        if tag in {"ins", "del"} and any(open_tag in {"ins", "del"} for open_tag in self.stack):
            self.errors.append(f"<{tag}> in a mark")
        self.ids.extend(value or "" for name, value in attrs if name == "id")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent in ONLY_CHILDREN and data.strip():
            self.errors.append(f"text {data!r} in <{parent}>")


def check_well_formed(html: str) -> list[str]:
    checker = WellFormed()
    checker.feed(html)
    checker.close()
    if checker.stack:
        checker.errors.append(f"left open: {checker.stack}")
    if len(set(checker.ids)) != len(checker.ids):
        checker.errors.append(f"duplicate ids: {checker.ids}")
    return checker.errors


# --- Examples -----------------------------------------------------------------------------


def test_one_word_edit_marks_only_that_word() -> None:
    old = "## 1. Data\n\nWe collect your name and\naddress.\n\n## 2. Use\n\nWe use it.\n"
    new = "## 1. Data\n\nWe collect your name and\ne-mail.\n\n## 2. Use\n\nWe use it.\n"
    redline = diff_texts(old, new)
    assert outline(redline) == [("section-1", "modified"), ("section-2", "unchanged")]
    assert redline.parts[0].html == (
        '<h2 id="section-1"><span id="1-data"></span>1. Data</h2>\n'
        f"<p>We collect your name and\n{DEL}address</del>{INS}e-mail</ins>.</p>\n"
    )
    assert redline.parts[1].html == (
        '<h2 id="section-2"><span id="2-use"></span>2. Use</h2>\n<p>We use it.</p>\n'
    )
    assert redline.parts[1].is_unchanged and not redline.parts[0].is_unchanged
    assert redline.has_changes
    assert redline.changed_sections == (redline.sections[0],)


def test_inserted_word_keeps_spaces_outside_the_mark() -> None:
    html = html_of(diff_texts("We collect your name.\n", "We collect your full name.\n"))
    assert html == f"<p>We collect your {INS}full</ins> name.</p>\n"


def test_deleted_words_keep_the_reading_of_both_texts() -> None:
    assert html_of(diff_texts("a b c\n", "a c\n")) == f"<p>a {DEL}b</del> c</p>\n"
    assert html_of(diff_texts("x a\n", "a\n")) == f"<p>{DEL}x </del>a</p>\n"


@pytest.mark.parametrize(
    "old, new",
    [
        ("We collect data.", "We collect data we use."),
        ("We collect data we use.", "We collect data."),
        ("a, b", "a b"),
        ("a b", "ab"),
        ("data!", "data we"),
        ("data we", "data!"),
        ("x a", "a"),
        ("a", "x a"),
        ("We use it.", "We use it"),
        ("個人情報を収集します", "個人情報は収集しません"),
        ("個人情報を収集します", "個人情報 data を収集します"),
    ],
)
def test_each_text_reads_with_its_own_spacing(old: str, new: str) -> None:
    html = html_of(diff_texts(old + "\n", new + "\n"))
    assert block_texts(html, skip="ins") == [old]
    assert block_texts(html, skip="del") == [new]


@pytest.mark.parametrize(
    "old, new",
    [
        ("AT&T rules", "AT & T rules"),
        ("data個人情報", "data 個人情報"),
        ("data 個人", "data個人です"),
    ],
)
def test_spacing_between_unchanged_tokens_is_the_new_texts(old: str, new: str) -> None:
    # Whitespace is never a change: where only spacing differs, the redline spaces as the new text.
    html = html_of(diff_texts(old + "\n", new + "\n"))
    assert block_texts(html, skip="del") == [new]
    assert block_texts(html, skip="ins") == [new.replace("です", "")]


def test_inserted_section_is_one_insertion_listed_as_added() -> None:
    old = "## 1. Scope\n\nAll services.\n\n## 2. Contact\n\nWrite to us.\n"
    new = (
        "## 1. Scope\n\nAll services.\n\n## 2. Cookies\n\nWe use cookies.\n\n"
        "- strictly necessary\n- analytics\n\n## 3. Contact\n\nWrite to us.\n"
    )
    redline = diff_texts(old, new)
    assert outline(redline) == [
        ("section-1", "unchanged"),
        ("section-2", "added"),
        ("section-3", "modified"),
    ]
    added = redline.sections[1]
    assert (added.title, added.is_moved) == ("2. Cookies", False)
    assert section_html(redline, 1) == (
        f'<h2 id="section-2" class="redline-block-inserted">{INS}<span id="2-cookies"></span>2. Cookies</ins></h2>\n'
        f'<p class="redline-block-inserted">{INS}We use cookies.</ins></p>\n'
        '<ul class="redline-block-inserted">\n'
        f"<li>{INS}strictly necessary</ins></li>\n"
        f"<li>{INS}analytics</ins></li>\n"
        "</ul>\n"
    )
    assert section_html(redline, 2) == (
        f'<h2 id="section-3"><span id="3-contact"></span>{DEL}2</del>{INS}3</ins>. Contact</h2>\n<p>Write to us.</p>\n'
    )


def test_removed_section_keeps_its_old_anchor_unless_the_new_text_uses_it() -> None:
    old = "## 1. A\n\nx\n\n## 2. B\n\ny\n\n## Annex {#annex}\n\nz\n"
    new = "## 1. A\n\nx\n\n## Annex {#annex}\n\nz\n"
    redline = diff_texts(old, new)
    assert outline(redline) == [
        ("section-1", "unchanged"),
        ("section-2", "removed"),
        ("annex", "unchanged"),
    ]
    assert section_html(redline, 1) == (
        f'<h2 id="section-2" class="redline-block-deleted">{DEL}2. B</del></h2>\n'
        f'<p class="redline-block-deleted">{DEL}y</del></p>\n'
    )
    renumbered = diff_texts(
        old.replace("## Annex {#annex}", "## 3. C"), "## 1. A\n\nx\n\n## 2. C\n\nz\n"
    )
    assert outline(renumbered) == [
        ("section-1", "unchanged"),
        ("section-2-removed", "removed"),
        ("section-2", "modified"),
    ]
    assert renumbered.sections[1].title == "2. B"


def test_renumbered_sections_after_an_insertion_mark_only_their_numbers() -> None:
    topics = ["Scope", "Data", "Use", "Sharing", "Rights", "Contact"]
    old = "".join(f"## {n}. {t}\n\nAbout {t.lower()}.\n\n" for n, t in enumerate(topics, 1))
    new_topics = ["Scope", "Cookies", *topics[1:]]
    new = "".join(f"## {n}. {t}\n\nAbout {t.lower()}.\n\n" for n, t in enumerate(new_topics, 1))
    redline = diff_texts(old.rstrip() + "\n", new.rstrip() + "\n")
    assert [section.change for section in redline.sections] == [
        "unchanged",
        "added",
        *["modified"] * 5,
    ]
    for number, section in enumerate(redline.sections[2:], start=3):
        assert section.anchor == f"section-{number}"
        html = section_html(redline, number - 1)
        assert html.count("<ins>") == html.count("<del>") == 1
        assert f"{DEL}{number - 1}</del>{INS}{number}</ins>." in html


def test_renamed_section_with_the_same_number_is_modified() -> None:
    old = "## 1. A\n\nx\n\n## 2. Cookies\n\nWe use cookies.\n"
    new = "## 1. A\n\nx\n\n## 2. Tracking technologies\n\nWe use cookies.\n"
    redline = diff_texts(old, new)
    assert outline(redline) == [("section-1", "unchanged"), ("section-2", "modified")]
    assert redline.sections[1].title == "2. Tracking technologies"


def test_a_heading_reworded_in_another_case_is_that_heading_modified() -> None:
    # Mozilla's Firefox Privacy Notice, May 2026: "Improve security" became "To improve
    # security"; the words are paired whatever their case, and compared as written.
    old = "## Data\n\nx\n\n### Improve security\n\nWe update Firefox.\n"
    new = "## Data\n\nx\n\n### To improve security\n\nWe update Firefox.\n"
    redline = diff_texts(old, new)
    assert outline(redline) == [
        ("data", "unchanged"),
        ("to-improve-security", "modified"),
    ]
    assert redline.parts[1].html == (
        f'<h3 id="to-improve-security">{DEL}Improve</del>{INS}To improve</ins> security</h3>\n'
        "<p>We update Firefox.</p>\n"
    )


def test_moved_section_reads_as_removed_and_added_without_noise() -> None:
    body = {t: f"Text about {t} in several words." for t in ("a", "b", "c", "d")}
    old = "".join(f"## {t.upper()} {{#{t}}}\n\n{body[t]}\n\n" for t in "abcd").rstrip() + "\n"
    new = "".join(f"## {t.upper()} {{#{t}}}\n\n{body[t]}\n\n" for t in "acdb").rstrip() + "\n"
    redline = diff_texts(old, new)
    assert [(s.anchor, s.change, s.is_moved) for s in redline.sections] == [
        ("a", "unchanged", False),
        ("b-removed", "removed", True),
        ("c", "unchanged", False),
        ("d", "unchanged", False),
        ("b", "added", True),
    ]
    # Each place is labelled so, the label a link to the other.
    html = html_of(redline)
    assert (
        f'<h2 id="b-removed" class="redline-block-deleted">{DEL}B</del>'
        ' <a class="redline-moved" href="#b">moved</a></h2>'
    ) in html
    assert (
        f'<h2 id="b" class="redline-block-inserted">{INS}B</ins>'
        ' <a class="redline-moved" href="#b-removed">moved</a></h2>'
    ) in html


COOKIES = (
    "We use cookies to keep you signed in and to measure how our services are used.\n\n"
    "- strictly necessary cookies\n- analytics cookies\n"
)
SHARING = "We share data with processors only.\n"


def test_a_section_moved_and_edited_shows_its_edits_where_it_now_stands() -> None:
    """An editor puts "Cookies" after "Sharing" and changes a few words of it: the redline
    shows those words changed where the section now stands, not all of it deleted there and
    inserted here; and the section removed where it stood, as a section moved is."""
    old = f"## 1. Scope\n\nAll services.\n\n## 2. Cookies\n\n{COOKIES}\n## 3. Sharing\n\n{SHARING}"
    edited = COOKIES.replace("measure", "count").replace(
        "analytics cookies", "analytics cookies, if you agree"
    )
    new = f"## 1. Scope\n\nAll services.\n\n## 2. Sharing\n\n{SHARING}\n## 3. Cookies\n\n{edited}"
    redline = diff_texts(old, new)
    assert [(s.anchor, s.title, s.change, s.is_moved) for s in redline.sections] == [
        ("section-1", "1. Scope", "unchanged", False),
        ("section-2-removed", "2. Cookies", "removed", True),
        ("section-2", "2. Sharing", "modified", False),
        ("section-3", "3. Cookies", "modified", True),
    ]
    assert section_html(redline, 1) == (
        f'<h2 id="section-2-removed" class="redline-block-deleted">{DEL}2. Cookies</del>'
        ' <a class="redline-moved" href="#section-3">moved</a></h2>\n'
        f'<p class="redline-block-deleted">{DEL}We use cookies to keep you signed in and to '
        "measure how our services are used.</del></p>\n"
        '<ul class="redline-block-deleted">\n'
        f"<li>{DEL}strictly necessary cookies</del></li>\n"
        f"<li>{DEL}analytics cookies</del></li>\n"
        "</ul>\n"
    )
    assert section_html(redline, 3) == (
        f'<h2 id="section-3"><span id="3-cookies"></span>{DEL}2</del>{INS}3</ins>. Cookies'
        ' <a class="redline-moved" href="#section-2-removed">moved · changed</a></h2>\n'
        "<p>We use cookies to keep you signed in and to "
        f"{DEL}measure</del>{INS}count</ins> how our services are used.</p>\n"
        "<ul>\n"
        "<li>strictly necessary cookies</li>\n"
        f"<li>analytics cookies{INS}, if you agree</ins></li>\n"
        "</ul>\n"
    )
    assert_reads_as_old_and_new(redline, old, new)


def test_a_section_moved_and_edited_is_labelled_in_the_language_of_the_page() -> None:
    rest = f"## Sharing\n\n{SHARING}\n## Contact\n\nWrite to us.\n"
    old = f"## Cookies\n\n{COOKIES}\n{rest}"
    new = f"{rest}\n## Cookies\n\n{COOKIES.replace('measure', 'count')}"
    labels = RedlineLabels(moved="déplacé<", moved_and_changed="déplacé & modifié")
    html = html_of(diff_texts(old, new, labels))
    assert '<a class="redline-moved" href="#cookies">déplacé&lt;</a></h2>' in html
    assert '<a class="redline-moved" href="#cookies-removed">déplacé &amp; modifié</a></h2>' in html


RETENTION = "We keep invoices for ten years, as the tax law requires, then erase them."
LOGS = "We keep logs for thirty days, then erase them, unless the law requires more."
ACCOUNTS = "Your account data is deleted a month after you close your account."
CLOSING = "Write to privacy@example.com with any question about this section."


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (  # the same heading, other words
            f"## Retention\n\n{RETENTION}\n\n## Sharing\n\n{SHARING}",
            f"## Sharing\n\n{SHARING}\n## Retention\n\n{ACCOUNTS}\n",
        ),
        (  # the same words, another heading
            f"## Retention\n\n{RETENTION}\n\n## Sharing\n\n{SHARING}",
            f"## Sharing\n\n{SHARING}\n## Invoices\n\n{RETENTION.replace('ten', 'six')}\n",
        ),
        (  # the same heading, and a closing sentence every section has
            f"## Retention\n\n{RETENTION}\n\n{CLOSING}\n\n## Sharing\n\n{SHARING}",
            f"## Sharing\n\n{SHARING}\n## Retention\n\n{ACCOUNTS}\n\n{CLOSING}\n",
        ),
    ],
    ids=["heading", "words", "boilerplate"],
)
def test_sections_sharing_only_a_heading_or_some_words_are_not_one_section_moved(
    old: str, new: str
) -> None:
    redline = diff_texts(old, new)
    assert [(s.change, s.is_moved) for s in redline.changed_sections] == [
        ("removed", False),
        ("added", False),
    ]
    assert "redline-moved" not in html_of(redline)


def test_a_section_moved_and_edited_is_paired_with_the_likest_of_those_of_its_heading() -> None:
    old = (
        f"## Scope\n\nAll.\n\n## Retention\n\n{RETENTION}\n\n## Sharing\n\n{SHARING}\n"
        f"## Retention\n\n{LOGS}\n\n## End\n\nBye.\n"
    )
    new = (
        f"## Scope\n\nAll.\n\n## Sharing\n\n{SHARING}\n## End\n\nBye.\n\n"
        f"## Retention\n\n{LOGS.replace('thirty', 'sixty')}\n"
    )
    redline = diff_texts(old, new)
    assert [(s.anchor, s.change, s.is_moved) for s in redline.sections] == [
        ("scope", "unchanged", False),
        ("retention-removed", "removed", False),
        ("sharing", "unchanged", False),
        ("retention-2", "removed", True),
        ("end", "unchanged", False),
        ("retention", "modified", True),
    ]
    assert f"{DEL}thirty</del>{INS}sixty</ins>" in section_html(redline, 5)
    assert_reads_as_old_and_new(redline, old, new)


def test_a_section_moved_and_edited_whose_old_heading_the_new_text_keeps_is_marked_alone() -> None:
    """Three sections of one heading, the second's last words edited: the first, removed and
    moved to the end, has a heading written alike in both texts (one block, read once). The
    section kept at the top was labelled moved too, both labels led to one place, and the
    redline read as the old text lacked the old second section."""
    old = "## 1. x\n\nWe keep it one.\n\n## 2. x\n\nWe keep it one.\n\n## 3. x\n\nWe keep it two.\n"
    new = old.replace("it one.\n\n## 3", "it two.\n\n## 3")
    redline = diff_texts(old, new)
    headings = re.findall(r'<h2 id="([^"]*)"(.*?)</h2>', html_of(redline))
    assert [(anchor, re.findall(r'href="#([^"]*)"', rest)) for anchor, rest in headings] == [
        ("section-1-removed", ["section-3"]),
        ("section-1", []),
        ("section-2", []),
        ("section-3", ["section-1-removed"]),
    ]
    assert_reads_as_old_and_new(redline, old, new)


def test_sections_moved_and_edited_are_paired_in_a_time_in_proportion_to_them() -> None:
    """Not a speed check: each removed section is compared with the added ones of its
    heading only, and those of a heading every section has not each with each."""

    def text(count: int, edit: str, *, is_same_heading: bool) -> str:
        # Every section moved after the notes and edited.
        parts = [
            f"## Part{'' if is_same_heading else f' {k}'}\n\nText {k} of {count} about {k}"
            f" things and more{edit}.\n\n"
            for k in range(count)
        ]
        notes = [f"## Note {k}\n\nNote {k} of {count}.\n\n" for k in range(count)]
        return "".join(notes + parts if edit else parts + notes)

    def compare(count: int, *, is_same_heading: bool) -> None:
        old = text(count, "", is_same_heading=is_same_heading)
        new = text(count, " changed", is_same_heading=is_same_heading)
        redline = diff_texts(old, new)
        moved = [s.change for s in redline.sections if s.is_moved]
        assert moved == ["removed"] * count + ["modified"] * count

    for is_same_heading in (False, True):
        assert_in_proportion(
            lambda count: compare(count, is_same_heading=is_same_heading),  # noqa: B023
            200,
            1_600,
            factor=16,
            slack=1,
        )


TOPICS = ["Scope", "Data", "Cookies", "Use", "Sharing", "Rights", "Contact"]


def sections_ending_alike(topics: list[str]) -> str:
    """A text where every section ends with the same list item."""
    return (
        "\n\n".join(
            f"## {n}. {t}\n\nAbout {t.lower()}.\n\n- on {t.lower()}\n- ask us"
            for n, t in enumerate(topics, start=1)
        )
        + "\n"
    )


@pytest.mark.parametrize(
    "topics, expected",
    [
        (
            ["Scope", "Data", "Use", "Sharing", "Rights", "Contact", "Cookies"],
            "1. Scope unchanged, 2. Data unchanged, 3. Cookies removed, 3. Use modified, "
            "4. Sharing modified, 5. Rights modified, 6. Contact modified, 7. Cookies added",
        ),
        (
            ["Scope", "Data", "Cookies", "Security", "Use", "Sharing", "Rights", "Contact"],
            "1. Scope unchanged, 2. Data unchanged, 3. Cookies unchanged, 4. Security added, "
            "5. Use modified, 6. Sharing modified, 7. Rights modified, 8. Contact modified",
        ),
        (
            ["Scope", "Data", "Use", "Sharing", "Rights", "Contact"],
            "1. Scope unchanged, 2. Data unchanged, 3. Cookies removed, 3. Use modified, "
            "4. Sharing modified, 5. Rights modified, 6. Contact modified",
        ),
    ],
    ids=["moved", "inserted", "removed"],
)
def test_sections_ending_alike_change_as_whole_sections(topics: list[str], expected: str) -> None:
    # Any of the repeated "ask us" items could anchor the edit: it still reads as whole sections.
    redline = diff_texts(sections_ending_alike(TOPICS), sections_ending_alike(topics))
    assert ", ".join(f"{s.title} {s.change}" for s in redline.sections) == expected
    for index, section in enumerate(redline.sections):
        if section.change == "modified":  # renumbered only
            html = section_html(redline, index)
            assert html.count("<ins>") == html.count("<del>") == 1


def test_list_items_added_and_removed() -> None:
    redline = diff_texts("- a\n- b\n- c\n", "- a\n- c\n- d\n")
    # Each changed item is listed, and linked: an item is a part of a text with no heading.
    assert html_of(redline) == (
        "<ul>\n<li>a</li>\n"
        f'<li id="pg-part-2" class="redline-block-deleted">{DEL}b</del></li>\n'
        "<li>c</li>\n"
        f'<li id="pg-part-4" class="redline-block-inserted">{INS}d</ins></li>\n'
        "</ul>\n"
    )
    assert [(s.kind, s.number, s.title, s.change, s.anchor) for s in redline.sections] == [
        ("item", 1, "a", "unchanged", ""),
        ("item", 2, "b", "removed", "pg-part-2"),
        ("item", 2, "c", "unchanged", ""),
        ("item", 3, "d", "added", "pg-part-4"),
    ]


def test_nested_list_item_stays_in_its_list() -> None:
    old = "1) Data:\n   - name\n   - address\n2) Use\n"
    new = "1) Data:\n   - name\n   - e-mail address\n2) Use\n"
    assert html_of(diff_texts(old, new)) == (
        '<ol class="parens">\n<li>Data:<ul>\n<li>name</li>\n'
        f"<li>{INS}e-mail </ins>address</li>\n</ul>\n</li>\n<li>Use</li>\n</ol>\n"
    )


def test_table_row_and_cell_edits() -> None:
    old = "| Purpose | Basis |\n|:--|--:|\n| Ads | Consent |\n| Billing | Contract |\n"
    new = (
        "| Purpose | Basis |\n|:--|--:|\n| Ads | Legitimate interest |\n"
        "| Billing | Contract |\n| Fraud | Law |\n"
    )
    assert html_of(diff_texts(old, new)) == (
        f"{TABLE_SCROLL_OPEN}<table>\n<thead>\n"
        '<tr><th class="align-left">Purpose</th><th class="align-right">Basis</th></tr>\n'
        "</thead>\n<tbody>\n"
        '<tr id="pg-part-2"><td class="align-left">Ads</td>'
        f'<td class="align-right">{DEL}Consent</del>{INS}Legitimate interest</ins></td></tr>\n'
        '<tr><td class="align-left">Billing</td><td class="align-right">Contract</td></tr>\n'
        '<tr id="pg-part-4" class="redline-block-inserted">'
        f'<td class="align-left">{INS}Fraud</ins></td>'
        f'<td class="align-right">{INS}Law</ins></td></tr>\n'
        "</tbody>\n</table></div>\n"
    )


def test_table_column_added() -> None:
    old = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    new = "| a | x | b |\n|---|---|---|\n| 1 | 9 | 2 |\n"
    html = html_of(diff_texts(old, new))
    assert f'<td class="redline-block-inserted">{INS}9</ins></td>' in html
    assert f'<th class="redline-block-inserted">{INS}x</ins></th>' in html
    assert check_well_formed(html) == []


def test_japanese_changes_one_character_not_the_sentence() -> None:
    redline = diff_texts("当社は個人情報を収集します。\n", "当社は個人情報を徴集します。\n")
    assert html_of(redline) == f"<p>当社は個人情報を{DEL}収</del>{INS}徴</ins>集します。</p>\n"


def test_japanese_rewritten_phrase_is_one_edit_not_shreds() -> None:
    html = html_of(diff_texts("個人情報を第三者に提供します。\n", "個人データを共有しません。\n"))
    assert html.count("<del>") == html.count("<ins>") == 1


def test_thai_changes_characters_and_keeps_marks_on_their_letter() -> None:
    redline = diff_texts("เราเก็บข้อมูลของคุณ\n", "เราใช้ข้อมูลของคุณ\n")
    assert html_of(redline) == f"<p>เรา{DEL}เก็บ</del>{INS}ใช้</ins>ข้อมูลของคุณ</p>\n"
    # A tone mark or vowel sign never starts a mark without its consonant.
    redline = diff_texts("ข้อมูล\n", "ข้อมู\n")
    assert html_of(redline) == f"<p>ข้อมู{DEL}ล</del></p>\n"


def test_arabic_changes_words() -> None:
    redline = diff_texts("نحن نَجمع بياناتك الشخصية.\n", "نحن نستخدم بياناتك الشخصية.\n")
    assert html_of(redline) == (f"<p>نحن {DEL}نَجمع</del>{INS}نستخدم</ins> بياناتك الشخصية.</p>\n")


def test_english_fallback_on_a_japanese_page_changes_words() -> None:
    redline = diff_texts("We collect your name.\n", "We collect your address.\n")
    assert html_of(redline) == f"<p>We collect your {DEL}name</del>{INS}address</ins>.</p>\n"


def test_mixed_english_and_japanese_text() -> None:
    redline = diff_texts("Cookie（クッキー）を使います。\n", "Cookies（クッキー）を使います。\n")
    assert (
        html_of(redline) == f"<p>{DEL}Cookie</del>{INS}Cookies</ins>（クッキー）を使います。</p>\n"
    )


@pytest.mark.parametrize(
    "old, new",
    [
        ("We collect your name\nand address.\n", "We collect\nyour name and address.\n"),
        ("We  collect your name.\n", "We collect your name.\n"),
        ("- a b\n- c\n", "- a\n  b\n- c\n"),
        ("個人情報を\n収集します。\n", "個人情報を収集します。\n"),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", "|a|b|\n|-|-|\n|1|2|\n"),
    ],
    ids=["rewrap", "spaces", "list-rewrap", "japanese-rewrap", "table-spacing"],
)
def test_whitespace_only_change_has_no_marks(old: str, new: str) -> None:
    redline = diff_texts(old, new)
    assert not redline.has_changes
    assert "<ins" not in html_of(redline) and "<del" not in html_of(redline)


@pytest.mark.parametrize(
    "old, new",
    [
        (
            # Common Paper's Data Processing Agreement (github.com/CommonPaper/DPA), section
            # 10.1, before and after its version 1.1 put the missing spaces in.
            "1. Term\n\n    1. This DPA will start when the parties sign or electronically"
            ' accept the <span class="keyterms_link">Agreement</span>and will continue until'
            ' the <span class="keyterms_link">Agreement</span>expires or is terminated.\n',
            "1. Term\n\n    1. This DPA will start when the parties sign or electronically"
            ' accept the <span class="keyterms_link">Agreement</span> and will continue until'
            ' the <span class="keyterms_link">Agreement</span> expires or is terminated.\n',
        ),
        ("Sign the **Agreement**and return it.\n", "Sign the **Agreement** and return it.\n"),
        ("Sign the **Agreement** and return it.\n", "Sign the **Agreement**and return it.\n"),
    ],
    ids=["raw-span", "emphasis", "space-removed"],
)
def test_a_space_between_words_an_element_parted_is_a_change(old: str, new: str) -> None:
    """'Agreementand' and 'Agreement and' read differently: the redline shows the change."""
    redline = diff_texts(old, new)
    assert redline.has_changes
    assert redline.changed_sections
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html_of(redline))
    assert "<del" in html and "<ins" in html
    deleted = "".join(re.findall(r"<del>(.*?)</del>", html))
    inserted = "".join(re.findall(r"<ins>(.*?)</ins>", html))
    assert re.sub(r"<[^>]*>", "", deleted) != re.sub(r"<[^>]*>", "", inserted)


def test_identical_texts_have_no_changes() -> None:
    text = "Intro.\n\n## 1. A\n\n- x\n- y\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## 2. B\n\n> q\n"
    redline = diff_texts(text, text)
    assert [s.change for s in redline.sections] == ["unchanged"] * 3
    assert redline.changed_sections == ()
    assert block_texts(html_of(redline)) == block_texts(render(text))


def test_inline_markup_survives_in_edited_blocks() -> None:
    old = "Read our [cookie policy](policy:cookies) **now**.\n"
    new = "Read our [cookie policy](policy:cookies) **today**.\n"
    assert html_of(diff_texts(old, new)) == (
        '<p>Read our <a href="policy:cookies">cookie policy</a> '
        f"{DEL}<strong>now</strong></del>{INS}<strong>today</strong></ins>.</p>\n"
    )


def test_a_reading_in_ruby_is_diffed_where_it_stands() -> None:
    old = "<ruby>個人情報<rp>(</rp><rt>こじんじょうほう</rt><rp>)</rp></ruby>を守ります。\n"
    new = "<ruby>個人データ<rp>(</rp><rt>こじんデータ</rt><rp>)</rp></ruby>を守ります。\n"
    assert html_of(diff_texts(old, new)) == (
        f"<p><ruby>個人{DEL}情報</del>{INS}データ</ins><rp>(</rp>"
        f"<rt>こじん{DEL}じょうほう</del>{INS}データ</ins></rt><rp>)</rp></ruby>を守ります。</p>\n"
    )


def form(label: str) -> str:
    return (
        f'<span class="redline-form" title="{label}"><span class="visually-hidden">{label}: </span>'
    )


def test_changed_link_target_is_a_change_of_form_not_of_words() -> None:
    old = "See [the policy](https://a.example/).\n"
    new = "See [the policy](https://b.example/).\n"
    redline = diff_texts(old, new)
    assert html_of(redline) == (
        f"<p>See {form('link changed: https://a.example/ → https://b.example/')}"
        '<a href="https://b.example/">the policy</a></span>.</p>\n'
    )
    assert [s.change for s in redline.sections] == ["reformatted"]
    assert redline.has_changes


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "Read [the terms](/terms) now.\n",
            "Read the terms now.\n",
            f"<p>Read {form('link removed: /terms')}the terms</span> now.</p>\n",
        ),
        (
            "Read the terms now.\n",
            "Read [the terms](/terms) now.\n",
            f'<p>Read {form("link added: /terms")}<a href="/terms">the terms</a></span> now.</p>\n',
        ),
        (
            "We **never** sell data.\n",
            "We never sell data.\n",
            f"<p>We {form('formatting changed')}never</span> sell data.</p>\n",
        ),
        (
            "We never sell data.\n",
            "We *never* sell `data`.\n",
            f"<p>We {form('formatting changed')}<em>never</em></span> sell "
            f"{form('formatting changed')}<code>data</code></span>.</p>\n",
        ),
    ],
    ids=["link-removed", "link-added", "emphasis-removed", "emphasis-added"],
)
def test_changes_of_form_keep_their_words(old: str, new: str, expected: str) -> None:
    redline = diff_texts(old, new)
    assert html_of(redline) == expected
    assert [s.change for s in redline.sections] == ["reformatted"]


def test_a_changed_title_is_said_with_its_words() -> None:
    """Words in a title show only where a reader points at them, and not in print: a change
    of them was 'formatting changed', which hid what the text now says."""
    redline = diff_texts(
        'We keep it <abbr title="for one year">a while</abbr>.\n',
        'We keep it <abbr title="forever">a while</abbr>.\n',
    )
    label = "formatting changed: &#39;for one year&#39; → &#39;forever&#39;"
    assert f"We keep it {form(label)}" in html_of(redline)
    assert [s.change for s in redline.sections] == ["reformatted"]


def test_a_link_whose_words_and_target_changed_marks_both() -> None:
    html = html_of(diff_texts("See [the policy](/a).\n", "See [our policy](/b).\n"))
    assert (
        f'See {DEL}<a href="/a">the</a></del>{INS}<a href="/b">our</a></ins> '
        f'{form("link changed: /a → /b")}<a href="/b">policy</a></span>.'
    ) in html


def test_a_bare_address_changed_shows_both_addresses_linked() -> None:
    html = html_of(
        diff_texts(
            "Write to privacy@example.org, or see the terms.\n",
            "Write to legal@example.org, or see the terms.\n",
        )
    )
    assert html == (
        f'<p>Write to {DEL}<a href="mailto:privacy@example.org">privacy@example.org</a></del>'
        f'{INS}<a href="mailto:legal@example.org">legal@example.org</a></ins>, or see the terms.</p>\n'
    )


def test_a_bare_address_written_as_a_link_is_no_change() -> None:
    redline = diff_texts("See https://example.org/terms.\n", "See <https://example.org/terms>.\n")
    assert not redline.has_changes


def test_heading_that_changed_level_is_a_change_of_form() -> None:
    old = "## Cookies\n\nWe use cookies.\n\n## Contact\n\nWrite.\n"
    new = "## Cookies\n\nWe use cookies.\n\n### Contact\n\nWrite.\n"
    redline = diff_texts(old, new)
    assert [(s.anchor, s.change) for s in redline.sections] == [
        ("cookies", "unchanged"),
        ("contact", "reformatted"),
    ]
    assert redline.parts[1].html == (
        '<h3 id="contact" title="heading level changed: 2 → 3" class="redline-form">'
        '<span class="visually-hidden">heading level changed: 2 → 3: </span>Contact</h3>\n'
        "<p>Write.</p>\n"
    )


def test_heading_wrapped_in_a_link_keeps_its_words() -> None:
    # As a real terms page did: headings that linked to other policies, then did not.
    old = (
        "## [DMCA Takedown Policy](/dmca)\n\nThe DMCA Takedown Policy can be used to report"
        " content.\n\n## Trademark Policy\n\nThe Trademark Policy can be used.\n"
    )
    new = (
        "## DMCA Takedown Policy\n\nThe [DMCA Takedown Policy](/dmca) can be used to report"
        " content.\n\n## Trademark Policy\n\nThe Trademark Policy can be used.\n"
    )
    redline = diff_texts(old, new)
    html = html_of(redline)
    assert "<ins" not in html and "<del" not in html
    assert (
        f'<h2 id="dmca-takedown-policy">{form("link removed: /dmca")}'
        "DMCA Takedown Policy</span></h2>"
    ) in html
    assert f'The {form("link added: /dmca")}<a href="/dmca">DMCA Takedown Policy</a></span>' in html
    assert [s.change for s in redline.sections] == ["reformatted", "unchanged"]


def test_rewritten_paragraph_is_one_deletion_and_one_insertion() -> None:
    old = "We keep your data for as long as the law requires.\n"
    new = "Your records are erased after thirty days unless you object.\n"
    assert html_of(diff_texts(old, new)) == (
        f'<p class="redline-block-deleted">{DEL}We keep your data for as long as the law requires.</del></p>\n'
        f'<p id="pg-part-2" class="redline-block-inserted">{INS}Your records are erased after thirty days unless you object.</ins></p>\n'
    )


COLLECTS = "The company collects your name and address when you register."
KEEPS = "It keeps them for five years after you leave the service."
ERASES = "You may ask us to erase them at any time by writing to us."
BREAK_INSERTED = (
    '<ins class="redline-break" title="paragraph break inserted">'
    '<span class="visually-hidden"> paragraph break inserted </span>'
    '<span aria-hidden="true">¶</span></ins>'
)
PARAGRAPHS_JOINED = (
    '<del class="redline-break" title="paragraphs joined">'
    '<span class="visually-hidden"> paragraphs joined </span>'
    '<span aria-hidden="true">¶</span></del>'
)


def test_a_paragraph_split_in_two_marks_only_the_break() -> None:
    redline = diff_texts(f"{COLLECTS} {KEEPS}\n", f"{COLLECTS}\n\n{KEEPS}\n")
    assert html_of(redline) == f"<p>{COLLECTS}{BREAK_INSERTED}</p>\n<p>{KEEPS}</p>\n"
    assert [s.change for s in redline.sections] == ["reformatted", "unchanged"]


def test_two_paragraphs_joined_mark_only_the_join() -> None:
    redline = diff_texts(f"{COLLECTS}\n\n{KEEPS}\n", f"{COLLECTS} {KEEPS}\n")
    assert html_of(redline) == f"<p>{COLLECTS}{PARAGRAPHS_JOINED} {KEEPS}</p>\n"
    assert [s.change for s in redline.sections] == ["reformatted"]


def test_a_paragraph_split_in_three_and_three_joined_mark_each_break() -> None:
    one, three = f"{COLLECTS} {KEEPS} {ERASES}\n", f"{COLLECTS}\n\n{KEEPS}\n\n{ERASES}\n"
    assert html_of(diff_texts(one, three)) == (
        f"<p>{COLLECTS}{BREAK_INSERTED}</p>\n"
        f'<p id="pg-part-2">{KEEPS}{BREAK_INSERTED}</p>\n'
        f"<p>{ERASES}</p>\n"
    )
    assert html_of(diff_texts(three, one)) == (
        f"<p>{COLLECTS}{PARAGRAPHS_JOINED} {KEEPS}{PARAGRAPHS_JOINED} {ERASES}</p>\n"
    )


def test_a_split_with_words_edited_marks_the_words_where_they_are() -> None:
    new = f"{COLLECTS.replace('your', 'your full')}\n\n{KEEPS.replace('five', 'three')}\n"
    redline = diff_texts(f"{COLLECTS} {KEEPS}\n", new)
    assert html_of(redline) == (
        f"<p>The company collects your {INS}full</ins> name and address when you register."
        f"{BREAK_INSERTED}</p>\n"
        f'<p id="pg-part-2">It keeps them for {DEL}five</del>{INS}three</ins> years after you'
        " leave the service.</p>\n"
    )
    assert [s.change for s in redline.sections] == ["modified", "modified"]


def test_a_join_with_words_edited_marks_the_words_where_they_are() -> None:
    new = f"{COLLECTS} {KEEPS.replace('It keeps them', 'They are kept')}\n"
    assert html_of(diff_texts(f"{COLLECTS}\n\n{KEEPS}\n", new)) == (
        f"<p>{COLLECTS}{PARAGRAPHS_JOINED} {DEL}It keeps them</del>{INS}They are kept</ins>"
        " for five years after you leave the service.</p>\n"
    )


def test_a_list_item_split_in_two_items_marks_only_the_break() -> None:
    old = f"1. {COLLECTS} {KEEPS}\n2. {ERASES}\n"
    new = f"1. {COLLECTS}\n2. {KEEPS}\n3. {ERASES}\n"
    # The item after them is renumbered, as it is.
    moved = '<li id="pg-part-3" title="renumbered: 2 → 3" class="redline-form">'
    moved += '<span class="visually-hidden">renumbered: 2 → 3: </span>'
    assert html_of(diff_texts(old, new)) == (
        f"<ol>\n<li>{COLLECTS}{BREAK_INSERTED}</li>\n<li>{KEEPS}</li>\n{moved}{ERASES}</li>\n"
        "</ol>\n"
    )
    back = '<li id="pg-part-2" title="renumbered: 3 → 2" class="redline-form">'
    back += '<span class="visually-hidden">renumbered: 3 → 2: </span>'
    assert html_of(diff_texts(new, old)) == (
        f"<ol>\n<li>{COLLECTS}{PARAGRAPHS_JOINED} {KEEPS}</li>\n{back}{ERASES}</li>\n</ol>\n"
    )


def test_a_paragraph_and_a_new_one_after_it_are_not_a_split() -> None:
    new = f"{COLLECTS}\n\nWe sell nothing to anyone, ever, for any reason at all.\n"
    html = html_of(diff_texts(f"{COLLECTS} {KEEPS}\n", new))
    assert "redline-break" not in html
    assert f'<p id="pg-part-2" class="redline-block-inserted">{INS}We sell' in html


def test_paragraphs_in_other_containers_are_not_joined() -> None:
    html = html_of(diff_texts(f"{COLLECTS}\n\n> {KEEPS}\n", f"{COLLECTS} {KEEPS}\n"))
    assert "redline-break" not in html


def test_the_labels_of_a_break_are_localized_and_escaped() -> None:
    labels = RedlineLabels(paragraph_break_inserted="段落<分割>", paragraphs_joined="段落&結合")
    html = html_of(diff_texts(f"{COLLECTS} {KEEPS}\n", f"{COLLECTS}\n\n{KEEPS}\n", labels))
    assert '<ins class="redline-break" title="段落&lt;分割&gt;">' in html
    assert '<span class="visually-hidden"> 段落&lt;分割&gt; </span>' in html
    html = html_of(diff_texts(f"{COLLECTS}\n\n{KEEPS}\n", f"{COLLECTS} {KEEPS}\n", labels))
    assert '<del class="redline-break" title="段落&amp;結合">' in html


BREAK_MOVED_HERE = (
    '<ins class="redline-break" title="paragraph break moved">'
    '<span class="visually-hidden"> paragraph break moved </span>'
    '<span aria-hidden="true">¶</span></ins>'
)
BREAK_MOVED_AWAY = BREAK_MOVED_HERE.replace("<ins", "<del").replace("</ins>", "</del>")


def test_a_sentence_moved_to_the_start_of_the_next_paragraph_marks_only_the_breaks() -> None:
    # The words are the same: shown deleted from one paragraph and inserted in the next, the
    # sentence would read as rewritten.
    redline = diff_texts(f"{COLLECTS} {KEEPS}\n\n{ERASES}\n", f"{COLLECTS}\n\n{KEEPS} {ERASES}\n")
    assert html_of(redline) == (
        f"<p>{COLLECTS}{BREAK_MOVED_HERE}</p>\n"
        f'<p id="pg-part-2">{KEEPS}{BREAK_MOVED_AWAY} {ERASES}</p>\n'
    )
    assert [(s.change, s.forms) for s in redline.sections] == [
        ("reformatted", ("paragraph break moved",)),
        ("reformatted", ("paragraph break moved",)),
    ]


@pytest.mark.parametrize(
    ("old_cuts", "new_cuts"),
    [
        ((3, 6, 9, 12), (6, 16)),  # the words between go with the group after them
        ((28, 31, 34, 37), (24, 34)),  # ... with the group before them
        ((24, 34), (28, 31, 34, 37)),
        ((6, 16), (3, 6, 9, 12)),
    ],
)
def test_paragraphs_joined_beside_others_joined_and_recut_mark_only_the_breaks(
    old_cuts: tuple[int, ...], new_cuts: tuple[int, ...]
) -> None:
    """Five paragraphs became three: the first two joined, the next two joined with the
    first words of the fifth (and the like, and the other way round). The first new break
    falls where an old one was; the words between the two groups were shown deleted and
    inserted whole, some of them twice."""
    words = [f"w{k}" for k in range(40)]

    def text(cuts: tuple[int, ...]) -> str:
        bounds = (0, *cuts, len(words))
        return "\n\n".join(" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)) + "\n"

    old, new = text(old_cuts), text(new_cuts)
    html = html_of(diff_texts(old, new))
    assert block_texts(html, skip="del") == block_texts(render(new))
    assert block_texts(html, skip="ins") == block_texts(render(old))
    assert "<ins><span" not in html
    assert "<del><span" not in html


def test_a_sentence_moved_to_the_end_of_the_paragraph_before_marks_only_the_breaks() -> None:
    old = f"## A\n\n{COLLECTS}\n\n{KEEPS} {ERASES}\n\n## B\n\nx\n"
    new = f"## A\n\n{COLLECTS} {KEEPS}\n\n{ERASES}\n\n## B\n\nx\n"
    redline = diff_texts(old, new)
    assert redline.parts[0].html == (
        '<h2 id="a">A</h2>\n'
        f"<p>{COLLECTS}{BREAK_MOVED_AWAY} {KEEPS}{BREAK_MOVED_HERE}</p>\n"
        f"<p>{ERASES}</p>\n"
    )
    assert [(s.change, s.forms) for s in redline.sections] == [
        ("reformatted", ("paragraph break moved",)),
        ("unchanged", ()),
    ]


def test_a_sentence_moved_and_edited_marks_its_edit_and_the_breaks() -> None:
    new = f"{COLLECTS}\n\n{KEEPS.replace('five', 'three')} {ERASES}\n"
    redline = diff_texts(f"{COLLECTS} {KEEPS}\n\n{ERASES}\n", new)
    assert html_of(redline) == (
        f"<p>{COLLECTS}{BREAK_MOVED_HERE}</p>\n"
        f'<p id="pg-part-2">It keeps them for {DEL}five</del>{INS}three</ins> years after you'
        f" leave the service.{BREAK_MOVED_AWAY} {ERASES}</p>\n"
    )
    assert [(s.change, s.forms) for s in redline.sections] == [
        ("reformatted", ("paragraph break moved",)),
        ("modified", ("paragraph break moved",)),
    ]


def test_a_sentence_moved_and_reworded_in_a_real_revision_keeps_its_words() -> None:
    """Aegean Airlines' Privacy Policy in French, as Open Terms Archive recorded it on 20 May
    2025 (OpenTermsArchive/france-versions, 2bf4ca4628): the sentence on asking for your
    data to be erased ended the paragraph before, reworded, where it started the next; it
    was shown deleted from one and inserted in the other, among the other edits."""
    old = (
        "Les détails relatifs aux périodes de rétention pour différents aspects de vos données"
        " personnelles sont disponibles dans notre police de rétention, que vous pouvez nous"
        " demander en prenant contact avec nous.\n\n"
        "Dans certains cas, vous pouvez nous demander de supprimer vos données : cf. Demande de"
        " suppression ci-après pour plus d'informations. Dans certains cas, nous pouvons rendre"
        " anonymes vos données personnelles (pour qu'elles ne vous soient plus associées) à des"
        " fins de recherche ou statistiques, auquel cas nous pouvons utiliser ces informations"
        " indéfiniment sans autre avis à votre adresse.\n"
    )
    new = (
        "Les détails relatifs aux périodes de conservation pour différents aspects de vos"
        " données personnelles sont disponibles dans notre politique de conservation, que vous"
        " pouvez demander en nous contactant. Dans certains cas, vous pouvez nous demander de"
        ' supprimer vos données : voir "Demande d\'effacement" ci-dessous, pour plus'
        " d'informations.\n\n"
        "À l’issue de la période de conservation susmentionnée, nous pouvons soit supprimer soit"
        " anonymiser vos données personnelles (de sorte qu'elles ne puissent plus être associées"
        " à vous) à des fins de recherche ou de statistiques, auquel cas nous pouvons utiliser"
        " ces informations indéfiniment sans autre préavis.\n"
    )
    redline = diff_texts(old, new)
    html = html_of(redline)
    assert (
        f"{INS}nous contactant</ins>.{BREAK_MOVED_AWAY} Dans certains cas, vous pouvez nous"
        f" demander de supprimer vos données : {DEL}cf. </del>{INS}voir &#34;</ins>Demande"
        f" {DEL}de suppression ci-après</del>{INS}d&#39;effacement&#34; ci-dessous,</ins> pour"
        f" plus d&#39;informations.{BREAK_MOVED_HERE}</p>"
    ) in html
    assert block_texts(html, skip="del") == block_texts(render(new))
    assert block_texts(html, skip="ins") == block_texts(render(old))
    assert [(s.change, s.forms) for s in redline.sections] == [
        ("modified", ("paragraph break moved",)),
        ("modified", ()),
    ]


SENDS = "It sends you receipts for what you buy."


def test_three_paragraphs_wrapped_into_two_mark_only_the_breaks() -> None:
    # A sentence moved to the next paragraph, which was joined with the one after it: no
    # word changed, and none reads as deleted or inserted.
    old = f"{COLLECTS} {SENDS}\n\n{KEEPS}\n\n{ERASES}\n"
    redline = diff_texts(old, f"{COLLECTS}\n\n{SENDS} {KEEPS} {ERASES}\n")
    assert html_of(redline) == (
        f"<p>{COLLECTS}{BREAK_MOVED_HERE}</p>\n"
        f'<p id="pg-part-2">{SENDS}{BREAK_MOVED_AWAY} {KEEPS}{PARAGRAPHS_JOINED} {ERASES}</p>\n'
    )
    assert [(s.change, s.forms) for s in redline.sections] == [
        ("reformatted", ("paragraph break moved",)),
        ("reformatted", ("paragraphs joined", "paragraph break moved")),
    ]


def test_two_paragraphs_wrapped_into_three_mark_only_the_breaks() -> None:
    old = f"{COLLECTS} {SENDS} {KEEPS}\n\n{ERASES} It answers within a month.\n"
    new = f"{COLLECTS}\n\n{SENDS} {KEEPS} {ERASES}\n\nIt answers within a month.\n"
    redline = diff_texts(old, new)
    assert html_of(redline) == (
        f"<p>{COLLECTS}{BREAK_INSERTED}</p>\n"
        f'<p id="pg-part-2">{SENDS} {KEEPS}{BREAK_MOVED_AWAY} {ERASES}{BREAK_MOVED_HERE}</p>\n'
        "<p>It answers within a month.</p>\n"
    )
    assert [(s.change, s.forms) for s in redline.sections] == [
        ("reformatted", ("paragraph split",)),
        ("reformatted", ("paragraph break moved",)),
        ("unchanged", ()),
    ]


def test_paragraphs_wrapped_anew_around_one_that_matches_none_mark_only_the_breaks() -> None:
    # The middle paragraphs resemble none of the other side's enough to be paired with it.
    old = "w0 w1 w2 w3 w4 w5 w6 w7\n\nw8 w9 w10\n\nw11 w12 w13 w14 w15 w16\n"
    new = "w0 w1 w2\n\nw3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13\n\nw14 w15 w16\n"
    html = html_of(diff_texts(old, new))
    assert INS not in html and DEL not in html
    assert html.count(BREAK_MOVED_HERE) == 2 and html.count(BREAK_MOVED_AWAY) == 2


LINE_BREAK_SIGN = '<span class="redline-break" aria-hidden="true">\u21b5</span>'
LINE_BREAK_INSERTED = LINE_BREAK_SIGN + "<br>"


@pytest.mark.parametrize("deleted", [True, False], ids=["deleted", "inserted"])
def test_a_line_break_inserted_or_deleted_shows_a_sign(deleted: bool) -> None:
    """The Italian Department for Digital Transformation's privacy notice
    (github.com/teamdigitale/innovazione.gov.it-site, May 2020) dropped the two spaces that
    broke a line after 'Internet.': its section was listed as changed, and its redline held
    `<del><br></del>`, which shows the old break and nothing marked."""
    with_break = (
        "### a) Dati di navigazione\n\nI sistemi informatici acquisiscono alcuni dati personali"
        " la cui trasmissione è implicita nell’uso dei protocolli di comunicazione di"
        " Internet.  \nIn questa categoria di dati rientrano gli indirizzi IP.\n"
    )
    without = with_break.replace("Internet.  \n", "Internet.\n")
    redline = diff_texts(with_break, without) if deleted else diff_texts(without, with_break)
    html = html_of(redline)
    assert [s.change for s in redline.changed_sections] == ["modified"]
    if deleted:
        assert f"Internet.{DEL}{LINE_BREAK_SIGN}</del>" in html
        assert "<br>" not in html
    else:
        assert f"Internet.{INS}{LINE_BREAK_INSERTED}</ins>" in html


def test_address_lines_made_one_paragraph_show_their_breaks_not_the_address_again() -> None:
    # LOVESCOUT24's privacy policy (Open Terms Archive), 2024: its address, a paragraph a
    # line, became one paragraph of lines. It read as the whole address deleted and
    # inserted again.
    lines = ["FriendScout24 GmbH", "LOVESCOUT24", "c/o WeWork", "Neuturmstraße 5", "80331 München"]
    old = "## 1. Wer wir sind\n\n" + "\n\n".join(lines) + "\n"
    new = "## 1. Wer wir sind\n\n" + "  \n".join(lines) + "\n"
    redline = diff_texts(old, new)
    html = html_of(redline)
    # Only line breaks are inserted, and only paragraph breaks deleted.
    assert DEL not in html
    assert (
        re.findall(f"{re.escape(INS)}(.*?)</ins>", html, re.S) == [LINE_BREAK_INSERTED + "\n"] * 4
    )
    assert html.count(PARAGRAPHS_JOINED) == 4
    assert [(s.change, s.forms) for s in redline.sections] == [
        ("unchanged", ()),
        ("modified", ("paragraphs joined",)),
    ]


def test_a_long_text_wrapped_anew_throughout_is_read_a_few_times_per_paragraph() -> None:
    # Each paragraph's last words moved to the start of the next: every break moved. Asking
    # of each whether the words moved, with all the paragraphs merged before it, read the
    # text again for each paragraph: 400 paragraphs took 24 s, 800 would take minutes.
    paragraphs = [[f"w{n}" for n in range(k * 12, k * 12 + 12)] for k in range(400)]
    moved = [paragraphs[0]]
    for paragraph in paragraphs[1:]:
        moved[-1] = moved[-1] + paragraph[:3]
        moved.append(paragraph[3:])
    old, new = ("\n\n".join(map(" ".join, text)) + "\n" for text in (paragraphs, moved))
    words_module.recut_inline.cache_clear()
    words_module.diff_inline.cache_clear()
    with mock.patch.object(words_module, "_read_atoms", wraps=words_module._read_atoms) as read:
        html = html_of(diff_texts(old, new))
    assert INS not in html and DEL not in html
    assert html.count(BREAK_MOVED_HERE) == 399
    assert read.call_count < 20 * 400


def test_paragraphs_edited_at_their_ends_keep_their_breaks() -> None:
    old = f"{COLLECTS} It keeps it.\n\n{ERASES}\n"
    new = f"{COLLECTS} It keeps them.\n\nSo: {ERASES}\n"
    html = html_of(diff_texts(old, new))
    assert "redline-break" not in html
    assert f'<p id="pg-part-2">{INS}So: </ins>{ERASES}</p>' in html


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (f"{COLLECTS} {KEEPS}\n", f"{COLLECTS}\n\n{KEEPS}\n", ("reformatted", "paragraph split")),
        (f"{COLLECTS}\n\n{KEEPS}\n", f"{COLLECTS} {KEEPS}\n", ("reformatted", "paragraphs joined")),
        (
            f"- {COLLECTS} {KEEPS}\n- {ERASES}\n",
            f"- {COLLECTS}\n- {KEEPS}\n- {ERASES}\n",
            ("reformatted", "item split"),
        ),
        (
            f"- {COLLECTS}\n- {KEEPS}\n- {ERASES}\n",
            f"- {COLLECTS} {KEEPS}\n- {ERASES}\n",
            ("reformatted", "items joined"),
        ),
        (
            f"{COLLECTS} {KEEPS}\n",
            f"{COLLECTS.replace('your', 'your full')}\n\n{KEEPS}\n",
            ("modified", "paragraph split"),
        ),
        (
            f"## A\n\n{COLLECTS} See [the policy](/a).\n\n## B\n\nx\n",
            f"## A\n\n{COLLECTS}\n\nSee [the policy](/b).\n\n## B\n\nx\n",
            ("reformatted", "link", "paragraph split"),
        ),
        ("See [the policy](/a).\n", "See [the policy](/b).\n", ("reformatted", "link")),
        ("See [the policy](/a).\n", "See the policy.\n", ("reformatted", "link")),
        ("We **never** sell data.\n", "We never sell data.\n", ("reformatted", "formatting")),
        (
            "We never sell [data](/a).\n",
            "We *never* sell [data](/b).\n",
            ("reformatted", "link", "formatting"),
        ),
        (
            "## 1. A\n\nx\n\n## Cookies\n\nWe use cookies.\n",
            "## 1. A\n\nx\n\n### Cookies\n\nWe use cookies.\n",
            ("reformatted", "heading level"),
        ),
        (
            "## 1. A\n\nx\n\n## 2. Cookies\n\nWe use cookies.\n",
            "## 1. A\n\nx\n\n## 3. Cookies\n\nWe use cookies.\n",
            ("modified", "renumbered"),
        ),
        (
            "## 1. A\n\nx\n\n## 2. Cookies\n\nWe use [cookies](/a).\n",
            "## 1. A\n\nx\n\n## 3. Cookies\n\nWe use [cookies](/b).\n",
            ("modified", "link", "renumbered"),
        ),
        (
            "## 1. A\n\nx\n\n## 2. Cookies\n\nWe use cookies.\n",
            "## 1. A\n\nx\n\n## 3. Cookies\n\nWe use no cookies.\n",
            ("modified",),
        ),
        (
            "## 1. A\n\nx\n\n## 2. Cookies\n\nWe use cookies.\n",
            "## 1. A\n\nx\n\n## 2. Tracking\n\nWe use cookies.\n",
            ("modified",),
        ),
        (
            "| a | b |\n|---|---|\n| x | See [it](/a). |\n",
            "| a | b |\n|---|---|\n| x | See [it](/b). |\n",
            ("reformatted", "link"),
        ),
    ],
    ids=[
        "paragraph-split",
        "paragraphs-joined",
        "item-split",
        "items-joined",
        "split-and-words-changed",
        "split-and-link-changed",
        "link-changed",
        "link-removed",
        "emphasis-removed",
        "link-and-emphasis",
        "heading-level",
        "renumbered",
        "renumbered-and-link-changed",
        "renumbered-and-words-changed",
        "renamed",
        "link-in-a-row",
    ],
)
def test_the_list_of_changes_names_what_changed_besides_words(
    old: str, new: str, expected: tuple[str, ...]
) -> None:
    # A lawyer reading the list must tell a paragraph split, a heading renumbered or a link
    # retargeted from a change of words: each was listed as "link or formatting changed".
    changed = diff_texts(old, new).changed_sections
    assert [(s.change, *s.forms) for s in changed][:1] == [expected]


@pytest.mark.parametrize(
    "html, parts, expected",
    [
        ("a b. c d.", ("a b.", "c d."), ("a b.", " c d.")),
        ("a b. c d. e.", ("a b.", "c d.", "e."), ("a b.", " c d.", " e.")),
        # An edited word is cut as far into the run as the part's words go.
        ("a x. c d.", ("a b.", "c d."), ("a x.", " c d.")),
        # Words the parts do not have go to the part after the cut.
        ("a b. gone. c d.", ("a b.", "c d."), ("a b.", " gone. c d.")),
        ("a b.<br> 2. c d.", ("a b.", "c d."), ("a b.", "<br> 2. c d.")),
        # Elements open across a cut close before it and open again after it.
        ("<em>a b. c</em> d.", ("a b.", "c d."), ("<em>a b.</em>", " <em>c</em> d.")),
        ('<a id="x"></a>a b. c d.', ("a b.", "c d."), ('<a id="x"></a>a b.', " c d.")),
        ("日本。東京。", ("日本。", "東京。"), ("日本。", "東京。")),
    ],
)
def test_inline_html_is_cut_where_each_part_ends(
    html: str, parts: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert words_module.cut_inline(html, parts, keep_ids=True) == expected


def test_code_block_edit() -> None:
    html = html_of(diff_texts("```\nkeep a\nline b\n```\n", "```\nkeep a\nline c\n```\n"))
    assert html == f"<pre><code>keep a\nline {DEL}b</del>{INS}c</ins></code></pre>\n"


def test_labels_are_localized_and_escaped() -> None:
    labels = RedlineLabels(inserted="挿入<b>", deleted="削除&", link_changed="リンク<変更>")
    html = html_of(diff_texts("a\n", "b\n", labels))
    assert '<span class="visually-hidden">挿入&lt;b&gt;: </span>' in html
    assert '<span class="visually-hidden">削除&amp;: </span>' in html
    html = html_of(diff_texts("[a](/x)\n", "[a](/y)\n", labels))
    assert 'title="リンク&lt;変更&gt;: /x → /y"' in html
    assert '<span class="visually-hidden">リンク&lt;変更&gt;: /x → /y: </span>' in html


@pytest.mark.parametrize(
    "new",
    [
        "Text <script>alert(1)</script> here.\n",
        "<script>alert(1)</script>\n",
        '<img src="x" onerror="alert(1)">\n',
        "[click](javascript:alert(1))\n",
        'Hello <a href="javascript:alert(1)" onclick="x()">there</a>.\n',
        "<div><p>unclosed\n",
    ],
)
def test_redline_html_is_sanitized(new: str) -> None:
    html = html_of(diff_texts("Text here.\n", new))
    assert "<script" not in html and 'href="javascript:' not in html
    assert "onerror" not in html and "onclick" not in html
    assert check_well_formed(html) == []


def test_headings_of_every_level_keep_their_ids_and_make_sections() -> None:
    old = "## Cookies {#cookies}\n\nx\n\n### 4.2 Analytics\n\ny\n\n### 4.3 Ads\n\nz\n"
    new = "## Cookies {#cookies}\n\nx!\n\n### 4.2 Analytics tools\n\ny\n\n### 4.3 Ads\n\nz\n"
    redline = diff_texts(old, new)
    assert [(s.anchor, s.change, s.level) for s in redline.sections] == [
        ("cookies", "modified", 2),
        ("section-4-2", "modified", 3),
        ("section-4-3", "unchanged", 3),
    ]
    assert '<h3 id="section-4-2"><span id="42-analytics-tools"></span>4.2 Analytics' in html_of(
        redline
    )


def test_text_before_the_first_heading_is_a_section_without_anchor() -> None:
    old = "Intro.\n\n## 1. A\n\nx\n\n## 2. B\n\ny\n"
    redline = diff_texts(old, old.replace("Intro.", "Introduction."))
    assert [(s.anchor, s.title, s.change, s.kind) for s in redline.sections] == [
        ("", "", "modified", "intro"),
        ("section-1", "1. A", "unchanged", "heading"),
        ("section-2", "2. B", "unchanged", "heading"),
    ]


def test_a_title_heading_is_a_section_of_its_own() -> None:
    old = "# Privacy Policy\n\n## 1. A\n\nx\n\n## 2. B\n\ny\n"
    redline = diff_texts(old, old.replace("\n\ny\n", "\n\nz\n"))
    assert outline(redline) == [
        ("privacy-policy", "unchanged"),
        ("section-1", "unchanged"),
        ("section-2", "modified"),
    ]
    # Unchanged sections side by side collapse as one.
    assert [[s.anchor for s in part.sections] for part in redline.parts] == [
        ["privacy-policy", "section-1"],
        ["section-2"],
    ]


def test_deleted_paragraph_between_list_items_reopens_the_list() -> None:
    html = html_of(diff_texts("- a\n\nText.\n\n- b\n", "- a\n- b\n"))
    assert check_well_formed(html) == []
    assert block_texts(html, skip="ins") == ["a", "Text.", "b"]


def test_empty_texts() -> None:
    assert diff_texts("", "").sections == ()
    assert outline(diff_texts("", "New.\n")) == [("", "added")]
    assert outline(diff_texts("Old.\n", "")) == [("", "removed")]


# --- Raw HTML ------------------------------------------------------------------------------


LAWFUL_BASES = """\
<table>
<thead><tr><th>Purpose</th><th>Lawful basis</th></tr></thead>
<tbody>
<tr><td>Billing</td><td>Contractual necessity</td></tr>
<tr id="security"><td>Security</td><td><p>Legitimate interests:</p><ul><li>securing our Services</li><li>protecting users</li></ul></td></tr>
<tr><td>Marketing</td><td>Consent, which you may withdraw at any time</td></tr>
</tbody>
</table>
"""


def test_a_raw_html_table_is_compared_cell_by_cell_and_word_by_word() -> None:
    new = LAWFUL_BASES.replace("withdraw at any time", "withdraw in your settings at any time")
    redline = diff_texts(LAWFUL_BASES, new)
    html = html_of(redline)
    assert html.count("<ins>") == 1 and "<del>" not in html
    assert "redline-block" not in html, "no row or table is shown deleted and inserted whole"
    assert (
        f"<td>Consent, which you may withdraw {INS}in your settings</ins> at any time</td>" in html
    )
    assert "<tr><td>Billing</td><td>Contractual necessity</td></tr>" in html
    assert check_well_formed(html) == []
    # A text with no heading: its rows are the parts, the changed one listed by its number.
    assert [(s.kind, s.number, s.title) for s in redline.changed_sections] == [
        ("row", 3, "Marketing · Consent, which you may withdraw in…")
    ]


def test_words_inside_lists_inside_cells_are_diffed() -> None:
    new = LAWFUL_BASES.replace("<li>protecting users</li>", "<li>protecting our users</li>")
    html = html_of(diff_texts(LAWFUL_BASES, new))
    assert f"<li>protecting {INS}our</ins> users</li>" in html
    assert html.count("<ins>") == 1 and "<del>" not in html
    assert check_well_formed(html) == []


def test_a_raw_html_table_with_nothing_the_same_is_replaced_whole() -> None:
    other = "<table>\n<tr><td>Retention</td><td>Thirty days</td></tr>\n</table>\n"
    html = html_of(diff_texts(LAWFUL_BASES, other))
    assert f'<table class="{DELETED}">' in html and f'<table class="{INSERTED}">' in html


DELETED, INSERTED = "redline-block-deleted", "redline-block-inserted"

RETENTION = """\
<table>
<tr><th>Data</th><th>Kept</th></tr>
<tr><td>Account</td><td>While it is open</td></tr>
<tr><td>Name</td><td rowspan="2">One year</td></tr>
<tr><td>Email</td></tr>
<tr><td>Address</td><td>Two years</td></tr>
<tr><td>Phone</td><td>Three years</td></tr>
</table>
"""


def _rows(html: str) -> list[tuple[str, str]]:
    """Each row of a redline's table: its class, and its cells' words with their spans."""
    return [
        (
            (re.search(r'class="([^"]+)"', attrs) or [None, ""])[1],
            " | ".join(
                re.sub(
                    r"<[^>]+>", "", re.sub(r'<span class="visually-hidden">[^<]*</span>', "", cell)
                )
                + (f" ({span})" if span else "")
                for span, cell in re.findall(
                    r'<t[dh](?: rowspan="(\d+)")?[^>]*>(.*?)</t[dh]>', cells
                )
            ),
        )
        for attrs, cells in re.findall(r"<tr([^>]*)>(.*?)</tr>", html)
    ]


def test_rows_whose_cells_are_laid_out_anew_are_shown_deleted_then_inserted() -> None:
    # A cell made to span one more row: compared row by row, the row it now spans showed its
    # old cell deleted in a third column, and nothing said the span changed.
    new = RETENTION.replace('rowspan="2">One year', 'rowspan="3">One year').replace(
        "<td>Address</td><td>Two years</td>", "<td>Address</td>"
    )
    html = html_of(diff_texts(RETENTION, new))
    assert _rows(html) == [
        ("", "Data | Kept"),
        ("", "Account | While it is open"),
        (DELETED, "Name | One year (2)"),
        (DELETED, "Email"),
        (DELETED, "Address | Two years"),
        (INSERTED, "Name | One year (3)"),
        (INSERTED, "Email"),
        (INSERTED, "Address"),
        ("", "Phone | Three years"),
    ]
    assert check_well_formed(html) == []


@pytest.mark.parametrize(("old_span", "new_span"), [("+2", "+3"), ("\t2", "3 rows"), ("2", "0")])
def test_rows_laid_out_anew_are_found_however_their_rowspans_are_written(
    old_span: str, new_span: str
) -> None:
    # Browsers read `+3` as 3, and `0` as the rest of the row group: read as one row, the
    # redline showed no row laid out anew, the new rowspan on the old rows, and "Two years"
    # deleted in a third column.
    old = RETENTION.replace('rowspan="2"', f'rowspan="{old_span}"')
    new = old.replace(f'rowspan="{old_span}">One year', f'rowspan="{new_span}">One year')
    new = new.replace("<td>Address</td><td>Two years</td>", "<td>Address</td>")
    if new_span == "0":
        new = new.replace("<td>Phone</td><td>Three years</td>", "<td>Phone</td>")
    html = html_of(diff_texts(old, new))
    rows = [(DELETED, "Name | One year (2)"), (DELETED, "Email")]
    rows += [(DELETED, "Address | Two years")]
    if new_span == "0":
        rows += [(DELETED, "Phone | Three years"), (INSERTED, "Name | One year (4)")]
        rows += [(INSERTED, "Email"), (INSERTED, "Address"), (INSERTED, "Phone")]
    else:
        rows += [(INSERTED, "Name | One year (3)"), (INSERTED, "Email"), (INSERTED, "Address")]
        rows += [("", "Phone | Three years")]
    assert _rows(html)[2:] == rows
    assert check_well_formed(html) == []


def test_a_rowspan_past_its_row_group_spans_no_row_inserted_after_it() -> None:
    # A cell of the last rows spanning more rows than are left spans only those; on the
    # redline, the rows inserted after them are in the same group, and it spanned them.
    old = RETENTION.replace("<td>Phone</td><td>Three years</td>", "<td>Phone</td>").replace(
        "<td>Address</td><td>Two years</td>", '<td>Address</td><td rowspan="50">Two years</td>'
    )
    new = old.replace('rowspan="50">Two years', 'rowspan="0">Two years').replace(
        "<tr><td>Phone</td></tr>", "<tr><td>Phone</td></tr><tr><td>Fax</td></tr>"
    )
    assert _rows(html_of(diff_texts(old, new)))[-5:] == [
        (DELETED, "Address | Two years (2)"),
        (DELETED, "Phone"),
        (INSERTED, "Address | Two years (3)"),
        (INSERTED, "Phone"),
        (INSERTED, "Fax"),
    ]


def test_rows_sharing_a_cell_are_kept_together_or_shown_deleted_then_inserted() -> None:
    # "Email" rewritten past pairing, in a group laid out as before: the kept "Name" row's
    # cell spanned the deleted row, and the inserted row's one cell stood in its column.
    new = RETENTION.replace("<td>Email</td>", "<td>Postal and electronic mail</td>")
    html = html_of(diff_texts(RETENTION, new))
    assert _rows(html)[2:5] == [
        (DELETED, "Name | One year (2)"),
        (DELETED, "Email"),
        (INSERTED, "Name | One year (2)"),
    ]
    assert _rows(html)[5:] == [
        (INSERTED, "Postal and electronic mail"),
        ("", "Address | Two years"),
        ("", "Phone | Three years"),
    ]
    assert _widest_row(html) == 2
    assert check_well_formed(html) == []


def test_rows_laid_out_alike_are_compared_cell_by_cell() -> None:
    new = RETENTION.replace("One year", "One full year").replace("Phone", "Mobile phone")
    html = html_of(diff_texts(RETENTION, new))
    assert f'<td rowspan="2">One {INS}full</ins> year</td>' in html
    assert DELETED not in html and INSERTED not in html


def test_rows_sharing_cells_carry_a_layout_of_a_size_that_does_not_grow_with_them() -> None:
    # Each row of a group of thousands carried the layout of the whole group in the
    # signature it is aligned by: a redline of the table took time growing with its square.
    rows = "".join(f'<tr><td>{n}</td><td rowspan="2">{n}</td></tr>\n' for n in range(3000))
    text = f"<table>\n{rows}</table>\n"
    signatures = [block.signature for block in blocks_module.read_blocks(text)]
    assert len(set(signatures)) == 3000  # each row's place in its group is its own
    assert max(len(signature) for signature in signatures) < 100


def _widest_row(html: str) -> int:
    """The most columns a row of a table in `html` takes, its cells laid out as browsers lay
    them out, each below the cells that span rows into it."""
    taken: set[tuple[int, int]] = set()
    for row, cells in enumerate(re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)):
        column = 0
        for span in re.findall(r'<t[dh](?: rowspan="(\d+)")?', cells):
            while (row, column) in taken:
                column += 1
            taken.update((row + k, column) for k in range(int(span or 1)))
    return max(column for _, column in taken) + 1


def test_a_row_pairs_only_with_the_row_at_its_place_in_a_group_laid_out_alike() -> None:
    # The second row of one group paired with the first row of another laid out alike (two
    # words alike): its cell stood beside the cell that spanned it, in a third column.
    old = (
        "<table>\n<tr><td>theta zeta</td><td>delta theta</td></tr>\n"
        '<tr><td rowspan="2">gamma theta</td><td>theta eps</td></tr>\n'
        "<tr><td>eps beta</td></tr>\n</table>\n"
    )
    new = (
        '<table>\n<tr><td rowspan="2">kappa beta</td><td>alpha eps</td></tr>\n'
        "<tr><td>eta delta</td></tr>\n</table>\n"
    )
    assert _widest_row(html_of(diff_texts(old, new))) == 2


def test_a_row_whose_cell_spans_columns_anew_is_shown_deleted_then_inserted() -> None:
    new = RETENTION.replace(
        "<td>Phone</td><td>Three years</td>", '<td colspan="2">Phone: three years</td>'
    )
    assert _rows(html_of(diff_texts(RETENTION, new)))[-2:] == [
        (DELETED, "Phone | Three years"),
        (INSERTED, "Phone: three years"),
    ]


@pytest.mark.parametrize(
    "old, new",
    [
        (LAWFUL_BASES, LAWFUL_BASES.replace("<td>Security</td>", "<td>Safety</td>")),
        (LAWFUL_BASES, LAWFUL_BASES.replace('<tr id="security">', '<tr id="security"><td>x</td>')),
        (LAWFUL_BASES, LAWFUL_BASES.replace("<tr><td>Billing", '<tr id="security"><td>Billing')),
        ("## Cookies {#c}\n\nText.\n", "## Tracking {#c}\n\nOther.\n"),
        ('<div id="a"><p>One</p></div>\n', '<div id="a"><p>Two</p></div>\n'),
        ('Intro <a id="here"></a>one.\n', 'Intro <a id="here"></a>two, <a id="there">three</a>.\n'),
        ("<ul><li id='x'>a b c</li></ul>\n", "<ol><li id='x'>d e f</li></ol>\n"),
    ],
)
def test_every_id_on_a_redline_is_unique_and_the_new_texts(old: str, new: str) -> None:
    html = html_of(diff_texts(old, new))
    ids = re.findall(r' id="([^"]*)"', html)
    assert len(ids) == len(set(ids))
    new_ids = set(re.findall(r' id="([^"]*)"', render(new)))
    assert new_ids <= set(ids), "the new text's ids are kept"
    assert check_well_formed(html) == []


def test_an_empty_anchor_element_of_the_new_text_stays_where_it_is() -> None:
    html = html_of(diff_texts('See <a id="x"></a>one.\n', 'See <a id="x"></a>two.\n'))
    assert html == f'<p>See <a id="x"></a>{DEL}one</del>{INS}two</ins>.</p>\n'


def test_an_ordered_list_cut_by_a_collapsed_run_numbers_on() -> None:
    items = [
        f"Item number {n} of a long list, with enough words to be collapsed." for n in range(1, 13)
    ]
    old = "".join(f"{n}. {item}\n" for n, item in enumerate(items, start=1))
    new = old.replace("number 2 of", "number two of").replace("number 11 of", "number eleven of")
    redline = diff_texts(old, new)
    # Short unchanged items next to changed ones are shown; the long run between collapses.
    assert [part.is_unchanged for part in redline.parts] == [False, True, False]
    html = html_of(redline)
    assert '<ol start="11">' in html
    assert [s.number for s in redline.changed_sections] == [2, 11]
    assert check_well_formed(html) == []


def test_a_table_cut_by_a_collapsed_run_shows_its_head_again() -> None:
    rows = "".join(
        f"| {n} | Row number {n} with words enough to be worth collapsing |\n" for n in range(1, 14)
    )
    old = "| # | What |\n|---|---|\n" + rows
    new = old.replace("Row number 12 with", "Row number twelve with")
    redline = diff_texts(old, new)
    changed = [part for part in redline.parts if not part.is_unchanged]
    assert len(changed) == 1
    assert (
        '<thead class="redline-repeated">\n<tr><th>#</th><th>What</th></tr>\n</thead>'
        in changed[0].html
    )
    assert [(s.kind, s.number) for s in redline.changed_sections] == [("row", 12)]


# --- Texts as real policies write them (tests/sites/redlines, see its SOURCES.md) -----------

REDLINE_SITE = Path(__file__).parent.parent / "sites" / "redlines" / "content"


def redline_of(policy: str) -> Redline:
    """The redline of the two revisions of a policy of the redlines fixture site."""
    old, new = sorted((REDLINE_SITE / policy).iterdir())
    return diff_texts(*(body_of(folder / "en.md") for folder in (old, new)))


def body_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("\n---\n", 4) + 5 :]


def changes(redline: Redline) -> list[tuple[str, int, str, str]]:
    return [(s.kind, s.number, s.title, s.change) for s in redline.changed_sections]


@pytest.mark.parametrize("policy", sorted(p.name for p in REDLINE_SITE.iterdir()))
def test_real_redlines_are_valid_and_link_every_change(policy: str) -> None:
    redline = redline_of(policy)
    html = html_of(redline)
    assert check_well_formed(html) == []
    ids = re.findall(r' id="([^"]*)"', html)
    for section in redline.changed_sections:
        assert section.anchor == "" or section.anchor in ids
    assert any(not part.is_unchanged for part in redline.parts)
    assert any(part.is_unchanged for part in redline.parts), "unchanged parts collapse"


def test_a_word_inserted_in_a_raw_html_table_of_a_terms_page_is_all_that_is_marked() -> None:
    html = html_of(redline_of("terms-tables"))
    assert html.count("<ins>") == 1 and "<del>" not in html
    assert f"You are uploading Content you did not create or {INS}don&#39;t</ins> own." in html


def test_a_raw_html_lawful_bases_table_edited_by_a_few_words() -> None:
    redline = redline_of("lawful-bases")
    html = html_of(redline)
    assert "<del>" not in html and "redline-block" not in html
    assert (
        f"Legitimate Interests: keeping our Services {INS}secure, available and</ins> working"
        f" for everyone{INS} who relies on them</ins>."
    ) in html
    changed = [part for part in redline.parts if not part.is_unchanged]
    assert changed[0].html.count("<tr") == 12, "the table stays whole, its rows unmarked"


def test_a_section_moved_and_reworded_in_a_username_policy_shows_its_edits_there() -> None:
    """GitHub moved its "Name Squatting Policy" after the "Trademark Policy" and reworded it
    (commit 16132a4): where it now stands, the words kept are not marked, and the sentence
    replaced and the paragraphs joined are."""
    redline = redline_of("username")
    assert [(s.anchor, s.change, s.is_moved) for s in redline.sections] == [
        ("", "modified", False),
        ("name-squatting-policy-removed", "removed", True),
        ("requesting-a-username", "removed", False),
        ("what-if-the-username-i-want-is-already-taken", "added", False),
        ("trademark-policy", "unchanged", False),
        ("name-squatting-policy", "modified", True),
    ]
    here = section_html(redline, 5)
    assert here.startswith(
        '<h4 id="name-squatting-policy">Name Squatting Policy'
        ' <a class="redline-moved" href="#name-squatting-policy-removed">moved · changed</a>'
        "</h4>\n<p>GitHub prohibits account name squatting, and account names may not be "
        f"{INS}reserved or</ins> inactively held for future use. {DEL}Inactive accounts"
    )
    assert here.endswith(
        "</del> Attempts to sell, buy, or solicit other forms of payment in exchange for "
        "account names are prohibited and may result in permanent account suspension.</p>\n"
    )
    old_text, new_text = (
        body_of(folder / "en.md") for folder in sorted((REDLINE_SITE / "username").iterdir())
    )
    assert_reads_as_old_and_new(redline, old_text, new_text)


def test_link_targets_changed_in_a_privacy_statement_change_no_words() -> None:
    redline = redline_of("privacy")
    html = html_of(redline)
    assert "<ins" not in html and "<del" not in html
    assert {s.change for s in redline.changed_sections} == {"reformatted"}
    assert (
        'title="link changed: https://help.github.com/en/github/site-policy/'
        "github-terms-of-service#e-private-repositories → https://help.github.com/github/"
        'site-policy/github-terms-of-service#e-private-repositories"'
    ) in html


def test_links_moved_out_of_headings_change_no_words() -> None:
    redline = redline_of("content-removal")
    html = html_of(redline)
    assert "<ins" not in html and "<del" not in html
    assert [(s.title, s.change) for s in redline.changed_sections] == [
        ("DMCA Takedown Policy", "reformatted"),
        ("GitHub Trademark Policy", "reformatted"),
        ("GitHub Private Information Removal Policy", "reformatted"),
    ]


def test_a_clause_whose_heading_changed_level_is_reformatted() -> None:
    redline = redline_of("data-protection")
    assert [(s.title, s.change) for s in redline.changed_sections] == [
        ("Clause 8", "modified"),
        ("Clause 9", "reformatted"),
    ]
    assert '<h5 id="clause-9" title="heading level changed: 4 → 5" class="redline-form">' in (
        html_of(redline)
    )


def test_a_terms_page_laid_out_in_a_table_is_cut_at_its_headings() -> None:
    redline = redline_of("terms-layout")
    assert [s.title for s in redline.sections] == [
        "The GitHub Terms of Service",
        "Important Preliminaries",
        "One-row, two-cell tables",
        "About collapsible texts",
        "‘:collapsible:’ texts",
        "Section titles and summaries",
        "Tridented texts",
    ]
    assert changes(redline) == [("heading", 0, "Tridented texts", "modified")]


def test_a_table_whose_cells_hold_a_heading_and_a_list_lists_its_changed_rows() -> None:
    # Buffer's Terms of Service as converted from its web page: a table of two columns
    # ("Legal language | Summary") whose cells hold a heading and lists after line breaks.
    # Its head names its columns: it is a table of rows, not one laid out around headings.
    head = "| Legal language | Summary |\n| --- | --- |\n"
    first = (
        "| #### Buffer, Inc Terms of Use<br><br>Welcome to Buffer, Inc. and our website at"
        " buffer.com, along with our applications{} and other services. | By using Buffer"
        " Services, you agree. |\n"
    )
    second = (
        "| **8.3 Terms Specific to Buffer Creator**<br><br>you agree to the following terms"
        " of OpenAI:<br><br>*   a. OpenAI Terms of Service<br>*   b. OpenAI Sharing Policy{}"
        " | We may impose limits. |\n"
    )
    redline = diff_texts(
        head + first.format("") + second.format(""),
        head + first.format(", API") + second.format("<br>*   c. OpenAI Usage Policies"),
    )
    assert changes(redline) == [
        ("row", 1, "Buffer, Inc Terms of Use Welcome to Buffer,…", "modified"),
        ("row", 2, "8.3 Terms Specific to Buffer Creator you agree…", "modified"),
    ]
    html = html_of(redline)
    assert html.count("<table>") == 1
    assert "<td><h4>Buffer, Inc Terms of Use</h4>\nWelcome" in html
    assert f"our applications{INS}, API</ins> and other" in html
    assert f'<li class="redline-block-inserted">{INS}c. OpenAI Usage Policies</ins></li>' in html
    assert check_well_formed(html) == []


def test_a_text_with_no_heading_lists_its_changed_items() -> None:
    redline = redline_of("developer-agreement")
    # Item 4 inserted makes items 4 to 21 items 5 to 22: those whose words are the same are
    # listed as renumbered.
    renumbered = [5, 6, *range(10, 23)]
    assert [c for c in changes(redline) if c[1] not in renumbered] == [
        ("item", 2, "Program Terms", "modified"),
        ("item", 4, "Account Authorization Services", "added"),
        ("item", 7, "Confidentiality; Pre-Release Materials", "modified"),
        ("item", 8, "Fees and Payment", "modified"),
        ("item", 9, "Term and Termination", "modified"),
    ]
    assert [(s.number, s.change, s.forms) for s in redline.changed_sections if s.forms] == [
        (number, "reformatted", ("renumbered",)) for number in renumbered
    ]


def test_a_text_under_a_single_heading_lists_its_changed_rows() -> None:
    redline = redline_of("cookies")
    assert [
        (kind, number, title.split(" · ")[1]) for kind, number, title, _ in changes(redline)
    ] == [
        ("row", 5, "enterprise_trial_redirect_to"),
        ("row", 25, "social_csrf_token"),
        ("row", 28, "HockeyStack_Website_Tracking_Fingerprint"),
    ]
    assert [s.change for s in redline.changed_sections] == ["removed", "added", "added"]
    assert redline.sections[0].kind == "heading"


def test_a_terms_page_written_as_one_table_lists_its_rows() -> None:
    redline = redline_of("terms-contents")
    assert [
        (number, title.split(" · ")[0].rstrip("…"), change)
        for _, number, title, change in changes(redline)
    ] == [
        (9, "I. Additional Product Terms", "modified"),
        (10, "J. Third Party Applications", "removed"),
        (11, "K. Advertising on GitHub", "removed"),
        (10, "J. Beta Previews", "added"),
        (11, "K. Payment", "modified"),
        (12, "L. Cancellation and Termination", "modified"),
        (13, "M. Communications with GitHub", "modified"),
        (14, "N. Disclaimer of Warranties", "modified"),
        (15, "O. Limitation of Liability", "modified"),
        (16, "P. Release and Indemnification", "modified"),
        (17, "Q. Changes to these Terms of Service", "modified"),
        (18, "R. Miscellaneous", "modified"),
    ]


# --- Properties ---------------------------------------------------------------------------

VOCABULARY = (
    "we", "collect", "use", "share", "data", "your", "personal", "information", "cookies",
    "third-party", "e-mail", "2024", "4.2", "(a)", "data.", "data!", "rights,", "AT&T", "1<2",
    "**important**", "_note_", "`code`", "[policy](https://example.com/p)", "個人情報", "を", "収集",
    "します。", "個人情報を収集します", "ข้อมูล", "ส่วนบุคคล", "เราเก็บข้อมูล", "البيانات", "الشخصية",
)  # fmt: skip


@dataclass
class Block:
    """A block of a generated text: "p", "quote", "ul", "ol", "table" (two columns), or a list
    or a table written in raw HTML: "html-ul", "html-table"."""

    kind: str
    items: list[list[str]]
    """The words of the paragraph (one item), of each list item, or of each cell, row by row."""


@dataclass
class Section:
    title: list[str]
    blocks: list[Block]
    level: int = 2
    link: str = ""
    """The target of a link around the heading's words, if any."""


@dataclass
class Document:
    lead: list[Block]
    """Blocks before the first heading."""
    sections: list[Section]

    def word_lists(self) -> list[list[str]]:
        titles = [section.title for section in self.sections]
        return titles + [item for block in self.blocks() for item in block.items if item]

    def blocks(self) -> list[Block]:
        return [block for home in self.homes() for block in home]

    def homes(self) -> list[list[Block]]:
        return [self.lead, *(section.blocks for section in self.sections)]

    def markdown(self, width: int) -> str:
        parts = [markdown_of(block, width) for block in self.lead]
        for number, section in enumerate(self.sections, start=1):
            title = f"{number}. " + " ".join(section.title)
            if section.link:
                title = f"[{title}]({section.link})"
            parts.append("#" * section.level + " " + title)
            parts.extend(markdown_of(block, width) for block in section.blocks)
        return "\n\n".join(parts) + "\n" if parts else ""


def wrap(words: list[str], width: int) -> list[str]:
    lines = [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return lines


def markdown_of(block: Block, width: int) -> str:
    # Raw HTML as authors write it, one element a line; Markdown inside it is only text.
    if block.kind == "html-ul":
        items = ["<li>" + "\n".join(wrap(item, width)) + "</li>" for item in block.items]
        return "\n".join(["<ul>", *items, "</ul>"])
    if block.kind == "html-table":
        cells = ["<td>" + "\n".join(wrap(cell, width)) + "</td>" for cell in block.items]
        rows = [f"<tr>{cells[k]}{cells[k + 1]}</tr>" for k in range(0, len(cells), 2)]
        return "\n".join(["<table>", *rows, "</table>"])
    if block.kind == "p":
        return "\n".join(wrap(block.items[0], width))
    if block.kind == "quote":
        return "\n".join("> " + line for line in wrap(block.items[0], width))
    if block.kind in ("ul", "ol"):
        markers = ["-"] * len(block.items) if block.kind == "ul" else ["1.", "2.", "3.", "4.", "5."]
        return "\n".join(
            f"{marker} " + "\n  ".join(wrap(item, width))
            for marker, item in zip(markers, block.items, strict=False)
        )
    cells = [" ".join(cell) for cell in block.items]
    rows = [f"| {cells[k]} | {cells[k + 1]} |" for k in range(0, len(cells), 2)]
    return "\n".join([rows[0], "|---|---|", *rows[1:]])


words = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=7)
cells = st.lists(st.sampled_from(VOCABULARY), max_size=2)
blocks = st.one_of(
    # The same block in many sections, where difflib could align any of them.
    st.just(Block("p", [["Contact", "us", "with", "questions."]])).map(copy.deepcopy),
    st.just(Block("ul", [["yes"], ["no"]])).map(copy.deepcopy),
    st.builds(Block, st.sampled_from(["p", "quote"]), st.lists(words, min_size=1, max_size=1)),
    st.builds(Block, st.sampled_from(["ul", "ol"]), st.lists(words, min_size=1, max_size=4)),
    st.builds(
        Block,
        st.sampled_from(["table", "html-table"]),
        st.lists(st.tuples(cells, cells), min_size=2, max_size=4).map(
            lambda rows: [cell for row in rows for cell in row]
        ),
    ),
    st.builds(Block, st.just("html-ul"), st.lists(words, min_size=1, max_size=4)),
)
sections = st.builds(Section, words, st.lists(blocks, max_size=3))
documents = st.builds(Document, st.lists(blocks, max_size=2), st.lists(sections, max_size=5))


@st.composite
def revisions(draw: st.DrawFn) -> tuple[str, str, bool]:
    """An old text, a new text made from it by a few edits, and whether only wrapping differs."""
    old = draw(documents)
    new = copy.deepcopy(old)
    for edit in draw(st.lists(st.sampled_from(EDITS), max_size=4)):
        edit(draw, new)
    old_text = old.markdown(draw(st.integers(12, 70)))
    new_text = new.markdown(draw(st.integers(12, 70)))
    return old_text, new_text, old == new


def edit_words(draw: st.DrawFn, document: Document) -> None:
    targets = document.word_lists()
    if not targets:
        return
    target = draw(st.sampled_from(targets))
    position = draw(st.integers(0, len(target) - 1))
    action = draw(st.sampled_from(["insert", "delete", "replace"]))
    if action == "insert":
        target.insert(position, draw(st.sampled_from(VOCABULARY)))
    elif action == "delete" and len(target) > 1:
        del target[position]
    else:
        target[position] = draw(st.sampled_from(VOCABULARY))


def edit_blocks(draw: st.DrawFn, document: Document) -> None:
    home = draw(st.sampled_from(document.homes()))
    is_deletion = draw(st.booleans())
    if home and is_deletion:
        del home[draw(st.integers(0, len(home) - 1))]
    else:
        home.insert(draw(st.integers(0, len(home))), draw(blocks))


def edit_items(draw: st.DrawFn, document: Document) -> None:
    """Add or remove a list item or a table row."""
    lists = [block for block in document.blocks() if block.kind not in ("p", "quote")]
    if not lists:
        return
    block = draw(st.sampled_from(lists))
    size = 2 if block.kind.endswith("table") else 1  # a table row is two cells
    count = len(block.items) // size
    if count > 2 and draw(st.booleans()):
        position = draw(st.integers(1, count - 1)) * size
        del block.items[position : position + size]
    else:
        position = draw(st.integers(1 if size == 2 else 0, count)) * size
        block.items[position:position] = [draw(words) for _ in range(size)]


def edit_sections(draw: st.DrawFn, document: Document) -> None:
    body = document.sections
    action = draw(st.sampled_from(["insert", "delete", "move"]))
    if action == "insert" or not body:
        body.insert(draw(st.integers(0, len(body))), draw(sections))
    elif action == "delete":
        del body[draw(st.integers(0, len(body) - 1))]
    else:
        section = body.pop(draw(st.integers(0, len(body) - 1)))
        body.insert(draw(st.integers(0, len(body))), section)


def split_or_join_paragraphs(draw: st.DrawFn, document: Document) -> None:
    """Cut a paragraph in two, or join a paragraph and the one after it."""
    places = [
        (home, k)
        for home in document.homes()
        for k, block in enumerate(home)
        if block.kind == "p" and len(block.items[0]) > 1
    ]
    if not places:
        return
    home, k = draw(st.sampled_from(places))
    words = home[k].items[0]
    if k + 1 < len(home) and home[k + 1].kind == "p" and draw(st.booleans()):
        home[k : k + 2] = [Block("p", [words + home[k + 1].items[0]])]
    else:
        cut = draw(st.integers(1, len(words) - 1))
        home[k : k + 1] = [Block("p", [words[:cut]]), Block("p", [words[cut:]])]


def split_or_join_items(draw: st.DrawFn, document: Document) -> None:
    """Cut a list item in two items, or join an item and the one after it."""
    places = [
        (block, k)
        for block in document.blocks()
        if block.kind in ("ul", "ol", "html-ul")
        for k, item in enumerate(block.items)
        if len(item) > 1
    ]
    if not places:
        return
    block, k = draw(st.sampled_from(places))
    words = block.items[k]
    if k + 1 < len(block.items) and draw(st.booleans()):
        block.items[k : k + 2] = [words + block.items[k + 1]]
    else:
        cut = draw(st.integers(1, len(words) - 1))
        block.items[k : k + 1] = [words[:cut], words[cut:]]


def move_words_across_a_break(draw: st.DrawFn, document: Document) -> None:
    """Move the last words of a paragraph to the start of the next, or the other way round."""
    places = [
        (home, k)
        for home in document.homes()
        for k, block in enumerate(home[:-1])
        if block.kind == home[k + 1].kind == "p"
    ]
    if not places:
        return
    home, k = draw(st.sampled_from(places))
    first, second = home[k].items[0], home[k + 1].items[0]
    if draw(st.booleans()) and len(first) > 1:
        cut = draw(st.integers(1, len(first) - 1))
        home[k].items[0], home[k + 1].items[0] = first[:cut], first[cut:] + second
    elif len(second) > 1:
        cut = draw(st.integers(1, len(second) - 1))
        home[k].items[0], home[k + 1].items[0] = first + second[:cut], second[cut:]


EDITS = [edit_words, edit_words, edit_blocks, edit_items, edit_sections, split_or_join_paragraphs]


CJK_OR_THAI = "[\u0e00-\u0e7f\u3000-\u30ff\u4e00-\u9fff]"
SPACE_IN_CJK_OR_THAI = re.compile(f"(?<={CJK_OR_THAI})\\s+(?={CJK_OR_THAI})")


def without_spacing_in_cjk(texts: list[str]) -> list[str]:
    """Spacing between two CJK or Thai characters: "個人情報 を" and "個人情報を" are the same
    characters, so the redline shows them once, spaced as in the new text."""
    return [SPACE_IN_CJK_OR_THAI.sub("", text) for text in texts]


@settings(max_examples=300, deadline=None)
@given(revisions())
def test_redline_reads_as_old_without_insertions_and_as_new_without_deletions(
    pair: tuple[str, str, bool],
) -> None:
    old, new, is_same = pair
    redline = diff_texts(old, new)
    html = html_of(redline)
    assert check_well_formed(html) == []
    assert_reads_as_old_and_new(redline, old, new)
    is_cut_at_headings = all(s.kind in ("heading", "intro") for s in redline.sections)
    for index, section in enumerate(redline.sections if is_cut_at_headings else ()):
        # An empty block (a table of empty cells) has nothing to mark, only its class.
        piece = section_html(redline, index)
        has_marks = (
            re.search(r"<ins>|<del>|redline-block|redline-form|redline-break", piece) is not None
        )
        assert has_marks == (section.change != "unchanged")
        assert not (section.change == "added" and "<del>" in piece)
        assert not (section.change == "removed" and "<ins>" in piece)
    for part in redline.parts:
        has_marks = (
            re.search(r"<ins>|<del>|redline-block|redline-form|redline-break", part.html)
            is not None
        )
        assert has_marks == (not part.is_unchanged)
        assert part.is_unchanged == all(s.change == "unchanged" for s in part.sections)
    # The list of changed sections links into the redline.
    ids = set(re.findall(r' id="([^"]*)"', html))
    assert {section.anchor for section in redline.sections} - {""} <= ids
    kept_ids = set(re.findall(r' id="([^"]*)"', render(new)))
    kept_ids.add("")
    # Ids are the new text's, or made for parts whose element has none.
    kept = {s.anchor for s in redline.sections if s.change in ("added", "unchanged")}
    assert {anchor for anchor in kept if not anchor.startswith("pg-part-")} <= kept_ids
    if is_same:
        assert not redline.has_changes
        assert "<ins" not in html and "<del" not in html


@st.composite
def sections_moved_and_edited(draw: st.DrawFn) -> tuple[str, str, str]:
    """A text of sections, and the same text with one of them moved elsewhere and a few of
    its words edited; and that section's heading."""
    document = draw(documents.filter(lambda document: len(document.sections) >= 2))
    for k, section in enumerate(document.sections):
        section.title = [*section.title, f"topic{k}"]  # (headings of their own)
    home = draw(st.integers(0, len(document.sections) - 1))
    # Words enough that two edits, even of a word for a dozen CJK or Thai characters, keep
    # most of them.
    latin = [word for word in VOCABULARY if word.isascii()]
    body = draw(st.lists(st.sampled_from(latin), min_size=40, max_size=50))
    moved_section = document.sections[home]
    moved_section.blocks.insert(draw(st.integers(0, len(moved_section.blocks))), Block("p", [body]))
    new = copy.deepcopy(document)
    section = new.sections.pop(home)
    there = draw(st.integers(0, len(new.sections)).filter(lambda place: place != home))
    new.sections.insert(there, section)
    alone = Document(section.blocks, [])
    for _ in range(draw(st.integers(1, 2))):
        edit_words(draw, alone)
    width = draw(st.integers(12, 70))
    return document.markdown(width), new.markdown(width), " ".join(section.title)


@settings(max_examples=200, deadline=None)
@given(sections_moved_and_edited())
def test_a_section_moved_and_edited_reads_as_both_texts_and_is_never_removed_and_added(
    case: tuple[str, str, str],
) -> None:
    old, new, title = case
    redline = diff_texts(old, new)
    assert check_well_formed(html_of(redline)) == []
    assert_reads_as_old_and_new(redline, old, new)
    # Where it is not aligned as edited in place (the sections it passed moved instead), it
    # is moved: never a section removed here and the same one added there, unmarked.
    changes = {
        (section.change, section.is_moved)
        for section in redline.sections
        if section.title.endswith(title)
    }
    assert not {("removed", False), ("added", False)} <= changes


paragraphs = st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=12).map(
    lambda words: Block("p", [words])
)
lists = st.builds(
    Block,
    st.sampled_from(["ul", "ol", "html-ul"]),
    st.lists(st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=8), min_size=1, max_size=4),
)


@st.composite
def regroupings(draw: st.DrawFn) -> tuple[str, str]:
    """An old text of paragraphs and lists, and a new one with some paragraphs or items split
    or joined, words moved across a paragraph break, and words edited."""
    old = Document(draw(st.lists(st.one_of(paragraphs, lists), min_size=1, max_size=5)), [])
    new = copy.deepcopy(old)
    edits = [split_or_join_paragraphs, split_or_join_items, move_words_across_a_break, edit_words]
    for edit in draw(st.lists(st.sampled_from(edits), min_size=1, max_size=4)):
        edit(draw, new)
    return old.markdown(draw(st.integers(12, 70))), new.markdown(draw(st.integers(12, 70)))


@settings(max_examples=300, deadline=None)
@given(regroupings())
def test_paragraphs_split_or_joined_read_as_the_old_text_and_as_the_new(
    pair: tuple[str, str],
) -> None:
    old, new = pair
    redline = diff_texts(old, new)
    html = html_of(redline)
    assert check_well_formed(html) == []
    assert block_texts(html, skip="del") == block_texts(render(new))
    # A paragraph split shows the old one's words in two, without the space at the cut.
    old_reading = [" ".join(text.split()) for text in block_texts(html, skip="ins")]
    assert [text.replace(" ", "") for text in old_reading] == [
        text.replace(" ", "") for text in block_texts(render(old))
    ]
    is_regrouped = block_texts(render(old)) != block_texts(render(new))
    assert ("redline-break" in html) <= is_regrouped


@st.composite
def sentences_moved(draw: st.DrawFn) -> tuple[str, str]:
    """Paragraphs of words found once in the text, and the same paragraphs with their last
    words moved to the start of the next, or their first words to the end of the one before
    (a third of a paragraph at most: a sentence or two), one to three times."""
    sizes = draw(st.lists(st.integers(4, 14), min_size=2, max_size=5))
    words = iter(f"w{n}" for n in range(100))
    paragraphs = [[next(words) for _ in range(size)] for size in sizes]
    old = Document([Block("p", [words]) for words in paragraphs], [])
    new = copy.deepcopy(old)
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(sizes) - 2))
        first, second = new.lead[k].items[0], new.lead[k + 1].items[0]
        if draw(st.booleans()) and len(first) >= 3:
            cut = len(first) - draw(st.integers(1, len(first) // 3))
            new.lead[k].items[0], new.lead[k + 1].items[0] = first[:cut], first[cut:] + second
        elif len(second) >= 3:
            cut = draw(st.integers(1, len(second) // 3))
            new.lead[k].items[0], new.lead[k + 1].items[0] = first + second[:cut], second[cut:]
    return old.markdown(draw(st.integers(12, 70))), new.markdown(draw(st.integers(12, 70)))


@st.composite
def paragraphs_wrapped_anew(draw: st.DrawFn) -> tuple[str, str]:
    """Paragraphs of words found once in the text, and the same words in paragraphs cut
    anew: some breaks kept, some removed, some moved by a few words, and one more perhaps
    (every paragraph of three words or more)."""
    size = draw(st.integers(10, 50))
    words = [f"w{n}" for n in range(size)]
    old = sorted(draw(st.sets(st.integers(3, size - 3), min_size=1, max_size=max(1, size // 10))))
    new = set()
    for cut in old:
        action = draw(st.sampled_from(["keep", "remove", "move"]))
        if action != "remove":
            new.add(cut + (draw(st.integers(-4, 4)) if action == "move" else 0))
    if draw(st.booleans()):
        new.add(draw(st.integers(3, size - 3)))
    cuts = [sorted(old), sorted(new)]
    assume(cuts[1] != cuts[0])
    texts = []
    for places in cuts:
        bounds = [0, *places, size]
        assume(all(b - a >= 3 for a, b in zip(bounds, bounds[1:], strict=False)))
        texts.append(
            "\n\n".join(" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))
        )
    return texts[0] + "\n", texts[1] + "\n"


@settings(max_examples=600, deadline=None)
@given(st.one_of(sentences_moved(), paragraphs_wrapped_anew()))
def test_words_moved_across_paragraph_breaks_are_not_marked_as_changed(
    pair: tuple[str, str],
) -> None:
    old, new = pair
    redline = diff_texts(old, new)
    html = html_of(redline)
    assert INS not in html and DEL not in html
    assert {s.change for s in redline.sections} <= {"unchanged", "reformatted"}
    assert block_texts(html, skip="del") == block_texts(render(new))
    assert block_texts(html, skip="ins") == block_texts(render(old))


def restyle_words(draw: st.DrawFn, document: Document) -> None:
    """Change how some words look, not what they say: emphasis, code, links and their targets."""
    targets = [section.title for section in document.sections] + [
        item for block in document.blocks() for item in block.items if item
    ]
    if not targets:
        return
    target = draw(st.sampled_from(targets))
    position = draw(st.integers(0, len(target) - 1))
    is_html = any(
        target is item
        for block in document.blocks()
        if block.kind.startswith("html")
        for item in block.items
    )
    word = target[position]
    plain = re.sub(r"^\*\*(.*)\*\*$|^_(.*)_$|^`(.*)`$|^\[(.*)\]\(.*\)$", r"\1\2\3\4", word)
    if is_html:
        plain = re.sub(r"^<(?:em|a [^>]*)>(.*)</(?:em|a)>$", r"\1", word)
        styles = [
            plain,
            f"<em>{plain}</em>",
            f'<a href="https://example.com/{position}">{plain}</a>',
        ]
    elif re.fullmatch(r"[\w.,!()&<-]+", plain):
        styles = [plain, f"**{plain}**", f"_{plain}_", f"`{plain}`"]
        if not any(target is section.title for section in document.sections):
            # (A heading's words are linked whole, by restyle_headings: links do not nest.)
            styles += [f"[{plain}](https://example.com/{n})" for n in range(2)]
    else:
        return
    target[position] = draw(st.sampled_from(styles))


def restyle_headings(draw: st.DrawFn, document: Document) -> None:
    """Change a heading's level, or wrap its words in a link (or unwrap them)."""
    if not document.sections:
        return
    section = draw(st.sampled_from(document.sections))
    if draw(st.booleans()) or any("](" in word for word in section.title):
        section.level = draw(st.sampled_from([2, 3, 4]))
    else:
        section.link = draw(st.sampled_from(["", "#top", "https://example.com/terms"]))


@st.composite
def restylings(draw: st.DrawFn) -> tuple[str, str]:
    """An old text, and the same words restyled, rewrapped, relinked."""
    old = draw(documents)
    new = copy.deepcopy(old)
    for edit in draw(st.lists(st.sampled_from([restyle_words, restyle_headings]), max_size=5)):
        edit(draw, new)
    return old.markdown(draw(st.integers(12, 70))), new.markdown(draw(st.integers(12, 70)))


@settings(max_examples=300, deadline=None)
@given(restylings())
@example(
    (
        "> we 個人情報 we we\n> we 個人情報 個人情報\n\n> we 個人情報 we we\n> we 個人情報 個人情報\n",
        "> **we** 個人情報\n> we we we 個人情報\n> 個人情報\n\n> we 個人情報 we we\n> we 個人情報 個人情報\n",
    )
)
def test_texts_with_the_same_visible_words_have_no_insertions_or_deletions(
    pair: tuple[str, str],
) -> None:
    old, new = pair
    assert without_spacing_in_cjk(block_texts(render(old))) == without_spacing_in_cjk(
        block_texts(render(new))
    ), "the generator changed only the form"
    redline = diff_texts(old, new)
    html = html_of(redline)
    assert "<ins" not in html and "<del" not in html and "redline-block" not in html
    assert {s.change for s in redline.sections} <= {"unchanged", "reformatted"}
    assert check_well_formed(html) == []
    assert without_spacing_in_cjk(block_texts(html)) == without_spacing_in_cjk(
        block_texts(render(new))
    )


def _shape(blocks: tuple[blocks_module.Block, ...]) -> list[tuple[object, ...]]:
    """Blocks with their containers numbered in order of appearance (they compare by identity)."""
    numbers: dict[int, int] = {}

    def number(frame: blocks_module.Frame) -> tuple[object, ...]:
        numbers.setdefault(id(frame), len(numbers))
        parent = number(frame.parent) if frame.parent is not None else None
        return (numbers[id(frame)], frame.kind, frame.tag, frame.attrs, frame.number, parent)

    return [
        (block._replace(path=()), tuple(number(frame) for frame in block.path)) for block in blocks
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SECTION_SNIPPETS), min_size=1, max_size=8))
# Raw HTML left open: the sanitizer's parser opens it again in the next section's heading.
@example(snippets=[RAW_HTML_LEFT_OPEN, SECTION_SNIPPETS[0]])
def test_reading_blocks_by_sections_equals_reading_the_whole_text(snippets: list[str]) -> None:
    text = "\n\n".join(snippets) + "\n"
    assert _shape(blocks_module.read_blocks(text)) == _shape(blocks_module.parse_blocks(text))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(SECTION_SNIPPETS), min_size=1, max_size=6),
    st.lists(st.sampled_from(SECTION_SNIPPETS), min_size=1, max_size=6),
)
# Empty headings in two sections: GitHub's "" and "-1" were counted across the whole text only.
@example(
    old=["## 1. Who we are\n\nWe are Example."],
    new=["#", "## 1. Who we are\n\nWe are Example.", "{: #who }", "#"],
)
# A section with a list, moved: read once, its list was both texts', and the deleted copy's
# list was classed as inserted.
@example(
    old=["## 1. Who we are\n\nWe are Example.", "## Terms\n\n- **Account: **asterisks that show"],
    new=["## Terms\n\n- **Account: **asterisks that show", "## 1. Who we are\n\nWe are Example."],
)
def test_a_redline_from_sections_equals_one_from_whole_texts(
    old: list[str], new: list[str]
) -> None:
    old_text, new_text = "\n\n".join(old) + "\n", "\n\n".join(new) + "\n"
    by_sections = diff_texts(old_text, new_text)
    blocks_module.read_blocks.cache_clear()
    with mock.patch.object(blocks_module, "rendered_sections", return_value=None):
        whole = diff_texts(old_text, new_text)
    blocks_module.read_blocks.cache_clear()
    assert by_sections == whole


@given(
    st.text(
        st.sampled_from(
            "ab1.,'\u2019:/@- \t\n\u3000\u00a0\u2028あア漢한ไ\u0e31\u0301\u200d_!§«😀\U00020000"
        )
    )
)
def test_the_words_of_a_text_are_its_tokens_but_whitespace(text: str) -> None:
    tokens = [m.group() for m in words_module._TOKEN.finditer(text) if m.lastgroup != "space"]
    assert words_module.words_of(text) == tuple(tokens)


@given(st.lists(st.sampled_from("abcdef")), st.lists(st.sampled_from("abcdefgh")))
def test_the_words_two_blocks_share_are_counted_as_a_multiset(a: list[str], b: list[str]) -> None:
    shared = sum((Counter(a) & Counter(b)).values())
    assert alignment_module._common(Counter(a), Counter(b)) == shared
    assert alignment_module._common(Counter(b), Counter(a)) == shared


@pytest.mark.parametrize("tag", ["kbd", "span", "b", "a"])
def test_a_phrasing_element_left_open_around_paragraphs_is_a_container(tag: str) -> None:
    """`<kbd>` on a line of its own, never closed: the sanitizer keeps the paragraphs after it
    inside it, so the redline must not put it, paragraphs and all, inside a paragraph."""
    html = html_of(diff_texts(f"<{tag}>\n\nWords.\n", "Other words.\n"))
    parser = html5lib.HTMLParser()
    parser.parseFragment(html, container="div")
    assert [error[1] for error in parser.errors] == []
    assert f"<{tag}" in html and f"{DEL}Words.</del>" in html


def test_a_row_of_many_cells_alike_is_compared_in_a_time_in_proportion_to_it() -> None:
    """Not a speed check: each cell of an edited row was matched against every cell alike
    (a row of 5,000 cells, most of them "–", took 30 s; 10,000, minutes)."""

    def redline(cells: int) -> None:
        head = "|" + " c |" * cells + "\n|" + "---|" * cells + "\n"
        redline = diff_texts(
            head + "| a |" + " – |" * (cells - 1) + "\n",
            head + "| b |" + " – |" * (cells - 1) + "\n",
        )
        assert changes(redline) == [("row", 1, "b · – · – · –…", "modified")]

    assert_in_proportion(redline, 1_000, 4_000, factor=8, slack=0.5)


def test_a_long_text_edited_in_every_other_block_is_aligned_in_a_time_in_proportion_to_it() -> None:
    """Not a speed check: difflib matched the unchanged headings one at a time, each through
    the rest of the text (10,000 sections whose every paragraph changed took 33 s)."""

    def text(sections: int, edit: str) -> str:
        # Each size its own words: no section of one is read again, from a cache, in the other.
        return "".join(f"## Part {i}\n\nText {i} of {sections}{edit}.\n\n" for i in range(sections))

    def compare(sections: int) -> None:
        redline = diff_texts(text(sections, ""), text(sections, " changed"))
        assert [s.change for s in redline.changed_sections] == ["modified"] * sections
        assert html_of(redline).count(f"{INS} changed</ins>") == sections

    assert_in_proportion(compare, 1_000, 8_000, factor=16, slack=1)


def test_a_long_text_is_aligned_as_a_short_one_would_be() -> None:
    # Past the size difflib matches whole, blocks found once in each text anchor the rest:
    # sections added, removed and renamed, among blocks repeated in every one, read as in a
    # short text.
    def text(parts: list[str]) -> str:
        return "".join(f"## {part}\n\nText of {part}.\n\nSame.\n\n" for part in parts)

    def edited(count: int) -> list[tuple[str, int, str, str]]:
        old = [f"Part {i}" for i in range(count)]
        new = [*old[:10], "New part", *old[10 : count // 2], *old[count // 2 + 1 :]]
        new[count - 20] += " renamed"
        return changes(diff_texts(text(old), text(new)))

    assert edited(1_200) == [
        ("heading", 0, "New part", "added"),
        ("heading", 0, "Part 600", "removed"),
        ("heading", 0, "Part 1180 renamed", "modified"),
    ]
    assert edited(120) == [
        ("heading", 0, "New part", "added"),
        ("heading", 0, "Part 60", "removed"),
        ("heading", 0, "Part 100 renamed", "modified"),
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("abcdefgh"), max_size=40),
    st.lists(st.sampled_from("abcdefgh"), max_size=40),
)
def test_blocks_matched_around_anchors_make_valid_opcodes(old: list[str], new: list[str]) -> None:
    with mock.patch.object(alignment_module, "FULL_MATCHING_CELLS", 0):
        opcodes = alignment_module.match_blocks(old, new)
    i = j = 0
    for tag, i1, i2, j1, j2 in opcodes:
        assert (i1, j1) == (i, j), "each opcode starts where the one before it ended"
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
        else:
            assert tag == {(True, True): "replace", (True, False): "delete"}.get(
                (i2 > i1, j2 > j1), "insert"
            )
            assert i2 > i1 or j2 > j1
        i, j = i2, j2
    assert (i, j) == (len(old), len(new))
    # Every key found once in each, in the same order in both, is kept.
    once = [key for key in old if old.count(key) == 1 and new.count(key) == 1]
    if once == [key for key in new if key in once]:
        kept = {key for tag, i1, i2, _, _ in opcodes if tag == "equal" for key in old[i1:i2]}
        assert set(once) <= kept


def test_a_long_block_edited_in_many_places_is_compared_in_a_time_in_proportion_to_it() -> None:
    """Not a speed check: difflib matched the words between two edits one run at a time,
    each through the rest of the block (a table cell of 100,000 lines, one word in a
    thousand changed, took 17 s)."""

    def text(words: int, edit: str) -> str:
        return "<br>".join(f"w{words}-{i}{edit if i % 100 == 0 else ''}" for i in range(words))

    def compare(words: int) -> None:
        redline = diff_texts(text(words, "") + "\n", text(words, "x") + "\n")
        assert html_of(redline).count(f"{INS}w{words}-100x</ins>") == 1

    assert_in_proportion(compare, 10_000, 80_000, factor=16, slack=1)


def test_each_outermost_block_of_a_redline_can_be_set_in_the_direction_of_its_words() -> None:
    html = (
        '<h2 id="scope"><del><span class="visually-hidden">deleted: </span>Scope</del></h2>\n'
        '<p dir="rtl">حوزه</p>\n'
        '<ul class="redline-block-deleted">\n<li><p>English only</p></li>\n</ul>\n'
        f"{TABLE_SCROLL_OPEN}<table>\n<tr><th>نام</th></tr>\n</table></div>\n"
        '<p><a title="<p>" href="#x">x</a><span class="other">y</span></p>\n'
    )
    assert with_own_directions(html) == (
        '<h2 id="scope" dir="auto"><del><span class="visually-hidden" dir="auto">deleted: '
        "</span>Scope</del></h2>\n"
        # A direction the text names is its own; what a list or a table holds reads in its
        # direction (a block with `dir` is left out of the words `auto` reads).
        '<p dir="rtl">حوزه</p>\n'
        '<ul class="redline-block-deleted" dir="auto">\n<li><p>English only</p></li>\n</ul>\n'
        f'{TABLE_SCROLL_OPEN}<table dir="auto">\n<tr><th>نام</th></tr>\n</table></div>\n'
        # A tag in an attribute's value is not a tag.
        '<p dir="auto"><a title="<p>" href="#x">x</a><span class="other">y</span></p>\n'
    )


@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab")))
def test_collapsing_whitespace_reads_the_runs_a_regular_expression_reads(text: str) -> None:
    assert blocks_module.collapse(text) == re.sub(r"\s+", " ", text).strip()


def test_a_table_head_row_without_words_starts_no_part() -> None:
    """AliExpress's Privacy Policy (Open Terms Archive, commit d231e5a, 30 July 2026) added a
    table whose head row is empty, as converters of web pages write a table without one: the
    list of changes named that row 'Introduction', added, though no introduction was."""
    old = "You can click here to exercise your rights.\n"
    new = (
        old
        + "\n|     |     |\n| --- | --- |\n| Jurisdictions | Representative |\n"
        + "| Korea | AliExpress Korea Co., Ltd. |\n"
    )
    redline = diff_texts(old, new)
    assert changes(redline) == [
        ("row", 1, "Jurisdictions · Representative", "added"),
        ("row", 2, "Korea · AliExpress Korea Co., Ltd.", "added"),
    ]


def test_a_heading_replaced_at_its_place_is_a_section_renamed_not_one_removed() -> None:
    """Skroutz's Terms for merchants (Open Terms Archive, p2b-compliance-versions, 1 February
    2023) renumbered and named their articles: 'Άρθρο 9' became 'Άρθρο 10 - Σύστημα
    Διαχείρισης Καταγγελιών', its clauses the same. The list of changes said 'Άρθρο 9:
    removed' and 'Άρθρο 10 - …: changed', though no clause of article 9 was removed."""
    complaints = (
        "Η Πάροχος Εταιρεία θέτει στη διάθεση του Αποδέκτη σύστημα διαχείρισης καταγγελιών."
    )
    final = "Οποιαδήποτε διάταξη της παρούσας κριθεί αντίθετη προς το νόμο παύει να ισχύει."
    old = render(
        f"## Άρθρο 8\n\nΠαλαιός όρος.\n\n## Άρθρο 9\n\n{complaints}\n\n## Άρθρο 10\n\n{final}\n"
    )
    new = render(
        "## Άρθρο 8\n\nΠαλαιός όρος.\n\n"
        f"## Άρθρο 10 - Σύστημα Διαχείρισης Καταγγελιών\n\n{complaints}\n\n"
        f"## Άρθρο 11 - Τελικές Διατάξεις\n\n{final}\n"
    )
    redline = diff_texts(old, new)
    assert [(s.anchor, s.title, s.change) for s in redline.changed_sections] == [
        (
            "άρθρο-10-σύστημα-διαχείρισης-καταγγελιών",
            "Άρθρο 10 - Σύστημα Διαχείρισης Καταγγελιών",
            "modified",
        ),
        ("άρθρο-11-τελικές-διατάξεις", "Άρθρο 11 - Τελικές Διατάξεις", "modified"),
    ]
    html = html_of(redline)
    assert f'<h2 class="{DELETED}">{DEL}Άρθρο 9</del></h2>' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert check_well_formed(html) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "We keep your data for one year.\n\nWe keep your data for one year.\n",
            "We keep your data for two years.\n\nWe keep your data for one year.\n",
            "<p>We keep your data for <del>one year</del><ins>two years</ins>.</p>\n"
            "<p>We keep your data for one year.</p>",
        ),
        (
            "- None.\n- None.\n",
            "- None at all.\n- None.\n",
            "<ul>\n<li>None<ins> at all</ins>.</li>\n<li>None.</li>\n</ul>",
        ),
        (
            "We keep your data for two years.\n\nWe keep your data for one year.\n",
            "We keep your data for one year.\n\nWe keep your data for one year.\n",
            "<p>We keep your data for <del>two years</del><ins>one year</ins>.</p>\n"
            "<p>We keep your data for one year.</p>",
        ),
    ],
)
def test_the_first_of_two_copies_of_a_block_edited_is_shown_edited(
    old: str, new: str, expected: str
) -> None:
    # difflib matched the unchanged copy with the first old one: the edited copy read as a
    # block inserted before it, and the second old copy as deleted after it.
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html_of(diff_texts(old, new)))
    assert html.strip() == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "Intro.\n\nMore details about our practices\n\nWe collect data.\n",
            "Intro.\n\n## More details about our practices\n\nWe collect data.\n",
            '<p>Intro.</p>\n<h2 id="more-details-about-our-practices" title="formatting changed"'
            ' class="redline-form">More details about our practices</h2>\n<p>We collect data.</p>',
        ),
        (
            "Intro.\n\n## More details\n\nWe collect data.\n",
            "Intro.\n\nMore details\n\nWe collect data.\n",
            '<p>Intro.</p>\n<p id="pg-part-2" title="formatting changed" class="redline-form">'
            "More details</p>\n<p>We collect data.</p>",
        ),
        (
            "Intro.\n\n1. **What is this?** The Agreement.\n\n**Why is this?** Because.\n",
            "Intro.\n\n**What is this?** The Agreement.\n\n**Why is this?** Because.\n",
            '<p>Intro.</p>\n<p id="pg-part-2" title="formatting changed" class="redline-form">'
            "<strong>What is this?</strong> The Agreement.</p>\n"
            "<p><strong>Why is this?</strong> Because.</p>",
        ),
        (
            "Intro.\n\nWe collect your name.\n\nMore.\n",
            "Intro.\n\n- We collect your name.\n\nMore.\n",
            '<p>Intro.</p>\n<ul>\n<li id="pg-part-2"><span title="formatting changed"'
            ' class="redline-form">We collect your name.</span></li>\n</ul>\n<p>More.</p>',
        ),
        (
            "- Name.\n- Address.\n  - Postal code.\n",
            "- Name.\n- Address.\n- Postal code.\n",
            '<ul>\n<li>Name.</li>\n<li>Address.</li>\n<li id="pg-part-3"><span title="formatting'
            ' changed" class="redline-form">Postal code.</span></li>\n</ul>',
        ),
        (
            "Intro.\n\nWe keep your data\nfor one year.\n\nEnd.\n",
            "Intro.\n\n> We keep your data\n> for one year.\n\nEnd.\n",
            '<p>Intro.</p>\n<blockquote>\n<p id="pg-part-2" title="formatting changed"'
            ' class="redline-form">We keep your data\nfor one year.</p>\n</blockquote>\n<p>End.</p>',
        ),
        (
            "Intro.\n\n> - We keep your data.\n\nEnd.\n",
            "Intro.\n\nWe keep your data.\n\nEnd.\n",
            '<p>Intro.</p>\n<p id="pg-part-2" title="formatting changed" class="redline-form">'
            "We keep your data.</p>\n<p>End.</p>",
        ),
        (
            "Intro.\n\n    We keep your data for one year.\n\nEnd.\n",
            "Intro.\n\n> We keep your data for one year.\n\nEnd.\n",
            '<p>Intro.</p>\n<blockquote>\n<p id="pg-part-2"><span class="redline-form"'
            ' title="formatting changed">We keep your data for one year.</span></p>\n'
            "</blockquote>\n<p>End.</p>",
        ),
    ],
)
def test_a_block_given_another_form_its_words_kept_is_a_change_of_form(
    old: str, new: str, expected: str
) -> None:
    # Firefox's privacy notice (2025-12-17) made a heading of a paragraph, and Common Voice's
    # Hebrew notice a paragraph of a heading; GitHub's Balanced Employee IP Agreement
    # (2017-02-01) took its first recital, '1. **What is this?** …', out of its numbered
    # list: each read as a part removed and one added, its words the same. So did a
    # paragraph made a quotation, or a block of code made a paragraph or a quotation.
    redline = diff_texts(old, new)
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html_of(redline))
    assert html.strip() == expected
    assert [(s.change, s.forms) for s in redline.sections if s.change != "unchanged"] == [
        ("reformatted", ("formatting",))
    ]


def test_a_section_removed_where_the_one_before_gained_a_paragraph_is_listed_removed() -> None:
    # CoronaCheck's privacy statement (2021-06-24) removed its section 7 and added words at
    # the end of section 6: the new words were written after the removed section, which
    # was listed as changed, under the number of the section after it.
    old = (
        "## 6. Security\n\nWe protect data.\n\n## 7. Retention\n\nWe keep it a year.\n\n"
        "## 8. Contact\n\nWrite to us.\n"
    )
    new = (
        "## 6. Security\n\nWe protect data.\n\nEncryption guards every copy in transit.\n\n"
        "## 7. Contact\n\nWrite to us.\n"
    )
    redline = diff_texts(old, new)
    assert [(s.title, s.change) for s in redline.sections] == [
        ("6. Security", "modified"),
        ("7. Retention", "removed"),
        ("7. Contact", "modified"),
    ]
    html = html_of(redline)
    assert html.index("Encryption guards") < html.index("7. Retention")


def test_a_heading_made_a_paragraph_still_names_its_part_in_the_list_of_changes() -> None:
    # Cityscoot's terms (Open Terms Archive) turned their article headings into paragraphs:
    # each article's changes were listed under the one before it, its heading as removed.
    old = "## Alpha\n\nOne.\n\n## Beta\n\nTwo.\n\n## Gamma\n\nThree.\n"
    new = "## Alpha\n\nOne.\n\nBeta\n\nTwo, now.\n\n## Gamma\n\nThree.\n"
    sections = [(s.title, s.change, s.forms) for s in diff_texts(old, new).sections]
    assert sections == [
        ("Alpha", "unchanged", ()),
        ("Beta", "modified", ()),
        ("Gamma", "unchanged", ()),
    ]


def test_items_of_an_ordered_list_renumbered_are_a_change_of_form() -> None:
    # GitHub's Balanced Employee IP Agreement (github.com/github/balanced-employee-ip-agreement,
    # 2017-02-01, "start numbering after recitals") made its clauses 2 to 9 clauses 1 to 8,
    # their words kept: the redline showed them unchanged, and listed nothing.
    old = (
        "## Agreement\n\nCool? Then you agree to the following:\n\n"
        "2. **What the Company owns.** Company IP.\n\n"
        "3. **What the Company doesn't own.** Your IP.\n\n## Signature\n\nSign here.\n"
    )
    new = (
        "## Agreement\n\nCool? Then you agree to the following:\n\n"
        "1. **What the Company owns.** Company IP.\n\n"
        "2. **What the Company doesn't own.** Your IP.\n\n## Signature\n\nSign here.\n"
    )
    redline = diff_texts(old, new)
    html = html_of(redline)
    assert '<ol>\n<li title="renumbered: 2 → 1" class="redline-form">' in html
    assert '<span class="visually-hidden">renumbered: 3 → 2: </span>' in html
    assert [(s.title, s.change, s.forms) for s in redline.sections] == [
        ("Agreement", "reformatted", ("renumbered",)),
        ("Signature", "unchanged", ()),
    ]


@pytest.mark.parametrize(
    "old_list, new_list, labels",
    [
        # Counted down: clause 1 shows as ii, clause 2 as i.
        ('<ol type="i">', '<ol reversed type="i">', ["i → ii", "ii → i"]),
        ("<ol>", '<ol type="a">', ["1 → a", "2 → b"]),
        ("<ol reversed>", '<ol reversed start="3">', ["2 → 3", "1 → 2"]),
    ],
)
def test_items_of_a_list_of_raw_html_numbered_otherwise_are_a_change_of_form(
    old_list: str, new_list: str, labels: list[str]
) -> None:
    """A list made to count down, or in letters, shows its items with other numbers: a
    reference to "clause (ii)" reads another clause, though no word changed."""
    text = "## Sharing\n\nWe share data only:\n\n{}<li>never sold;</li><li>never kept.</li></ol>\n"
    redline = diff_texts(text.format(old_list), text.format(new_list))
    html = html_of(redline)
    assert re.findall(r'title="renumbered: ([^"]*)"', html) == labels
    assert [(s.title, s.change, s.forms) for s in redline.sections[2:]] == [
        ("never sold;", "reformatted", ("renumbered",)),
        ("never kept.", "reformatted", ("renumbered",)),
    ]


def test_an_item_inserted_marks_the_items_after_it_renumbered_and_no_other() -> None:
    old = "1. Alpha.\n2. Beta.\n3. Gamma.\n"
    new = "1. Alpha.\n2. New.\n3. Beta.\n4. Gamma.\n"
    redline = diff_texts(old, new)
    assert [(s.change, s.number, s.forms) for s in redline.sections] == [
        ("unchanged", 1, ()),
        ("added", 2, ()),
        ("reformatted", 3, ("renumbered",)),
        ("reformatted", 4, ("renumbered",)),
    ]
    # An unordered list has no numbers to change.
    unordered = diff_texts(re.sub(r"\d\.", "-", old), re.sub(r"\d\.", "-", new))
    assert [s.change for s in unordered.sections] == [
        "unchanged",
        "added",
        "unchanged",
        "unchanged",
    ]
    assert "renumbered" not in html_of(unordered)


def test_an_item_renumbered_with_its_words_changed_is_listed_as_changed() -> None:
    redline = diff_texts("2. Alpha beta.\n", "1. Alpha gamma.\n")
    assert [(s.change, s.forms) for s in redline.sections] == [("modified", ())]
    assert 'title="renumbered: 2 → 1"' in html_of(redline)


def test_a_paragraph_made_a_list_item_with_its_words_changed_reads_as_before() -> None:
    redline = diff_texts(
        "Intro.\n\nWe collect your name.\n", "Intro.\n\n- We collect your email.\n"
    )
    assert [s.change for s in redline.sections] == ["unchanged", "removed", "added"]


def test_numbered_paragraphs_renumbered_after_an_insertion_are_listed_as_renumbered() -> None:
    # As sections whose headings are renumbered: a text with no heading numbers its clauses
    # in paragraphs ("3\. We keep …"), and an inserted clause renumbers those after it.
    old = "1\\. We collect data.\n\n2\\. We keep data.\n\n3\\. We erase data.\n"
    new = "1\\. We collect data.\n\n2\\. We share data.\n\n3\\. We keep data.\n\n4\\. We erase data.\n"
    redline = diff_texts(old, new)
    assert [(s.number or s.title[:2], s.change, s.forms) for s in redline.sections] == [
        ("1.", "unchanged", ()),
        ("2.", "added", ()),
        ("3.", "modified", ("renumbered",)),
        ("4.", "modified", ("renumbered",)),
    ]
    assert f"{DEL}2</del>{INS}3</ins>. We keep data." in html_of(redline)
    # A paragraph whose words changed with its number is changed.
    edited = diff_texts(
        "3\\. We keep your data for five years.\n", "4\\. We keep your data for six years.\n"
    )
    assert [(s.change, s.forms) for s in edited.sections] == [("modified", ())]


def test_the_items_of_a_numbered_list_show_their_own_numbers_around_a_deleted_one() -> None:
    # fortrabbit's privacy statement (github.com/fortrabbit/legal, 2021-08-05) deleted item 3
    # of a list of five: the redline numbered the items written, 1 to 5, so that the new
    # items 3 and 4 showed 4 and 5, their old numbers, beside 'renumbered: 4 → 3'.
    old = "1. Alpha one.\n2. Beta two.\n3. Gamma three.\n4. Delta four.\n5. Epsilon five.\n"
    new = "1. Alpha one.\n2. Beta two.\n3. Delta four.\n4. Epsilon five.\n"
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html_of(diff_texts(old, new)))
    assert re.findall(r"<li[^>]*>", html) == [
        "<li>",
        "<li>",
        '<li id="pg-part-3" class="redline-block-deleted">',
        '<li id="pg-part-4" value="3" title="renumbered: 4 → 3" class="redline-form">',
        '<li id="pg-part-5" title="renumbered: 5 → 4" class="redline-form">',
    ]


@pytest.mark.parametrize(
    ("old", "new", "marks"),
    [
        (("1. ", "2. "), ("- ", "- "), [("1", "•"), ("2", "•")]),
        (("- ", "- "), ("1. ", "2. "), [("•", "1"), ("•", "2")]),
        (("1. ", "2. "), ("1) ", "2) "), [("1", "(1)"), ("2", "(2)")]),
        (("- ", "- "), ("* ", "* "), []),
    ],
)
def test_items_whose_numbers_become_bullets_are_marked(
    old: tuple[str, str], new: tuple[str, str], marks: list[tuple[str, str]]
) -> None:
    """Kyle Mitchell's plain website terms of service (commit 5adb92c) made the numbered
    conditions and rules ("1. You must be at least thirteen years old.") bullets: their
    numbers, which readers saw and which clauses cite, were gone, and the redline called the
    list unchanged."""
    items = ("You must be at least thirteen years old.", "You may not break the law.")

    def text(marks: tuple[str, str]) -> str:
        return (
            "## Conditions\n\nYour permission is subject to the following conditions:\n\n"
            f"{marks[0]}{items[0]}\n{marks[1]}{items[1]}\n\n## Contact\n\nWrite to us.\n"
        )

    redline = diff_texts(text(old), text(new))
    labels = re.findall(r'<li[^>]* title="renumbered: ([^"]*) → ([^"]*)"', html_of(redline))
    assert labels == marks
    assert [section.change for section in redline.sections] == [
        "reformatted" if marks else "unchanged",
        "unchanged",
    ]


# --- Footnotes ------------------------------------------------------------------------------

NOTED = (
    "## 1. Data\n\nWe keep your address[^a] for a year.[^b]\n\n## 2. Sharing\n\n"
    "We share nothing.[^a]\n\n[^a]: As you give it.\n[^b]: From your last order.\n"
)


def footnote_redline(new: str, old: str = NOTED) -> tuple[Redline, str]:
    """The redline of two texts with footnotes, checked: it reads as the new text without
    its deletions, and as the old text without its insertions, the old notes in the new
    text's order; neither with the notes' links back to their marks (no words of the text)."""
    redline = diff_texts(old, new)
    html = html_of(redline)
    assert check_well_formed(html) == []

    def reading(html: str, skip: str | None = None) -> tuple[list[str], list[str]]:
        notes = re.compile(r'<section class="footnotes.*?</section>', re.DOTALL)
        html = without_back_links(html)
        text, inside = notes.sub("", html), "".join(notes.findall(html))
        return block_texts(text, skip), sorted(block_texts(inside, skip))

    assert reading(old_side_html(redline), skip="ins") == reading(render(old))
    assert block_texts(html, skip="del") == block_texts(without_back_links(render(new)))
    return redline, html


def test_a_note_edited_is_a_change_of_that_note_not_of_the_section_above() -> None:
    redline, html = footnote_redline(NOTED.replace("As you give it.", "As you give it to us."))
    assert changes(redline) == [("paragraph", 1, "[1] As you give it to us.", "modified")]
    assert f'<li id="pg-fn-1"><p>As you give it{INS} to us</ins>.' in html
    assert outline(redline)[:2] == [("section-1", "unchanged"), ("section-2", "unchanged")]


def test_a_note_added_shows_its_mark_and_its_note_inserted() -> None:
    new = NOTED.replace("We share nothing.[^a]", "We share nothing.[^a][^c]") + "[^c]: Ever.\n"
    redline, html = footnote_redline(new)
    assert ("paragraph", 3, "[3] Ever.", "added") in changes(redline)
    assert f'[1]</a>{INS}<a href="#pg-fn-3" id="pg-fnref-3">[3]</a></ins></sup>' in html
    assert re.search(r'<li id="pg-fn-3"[^>]*class="redline-block-inserted"><p><ins>', html)


def test_a_note_removed_shows_its_mark_and_its_note_deleted() -> None:
    new = NOTED.replace("[^b]: From your last order.\n", "").replace(
        " for a year.[^b]", " for a year."
    )
    redline, html = footnote_redline(new)
    assert f"for a year.{DEL}" in html
    assert re.search(r'<li id="pg-part-[0-9]+" class="redline-block-deleted"><p><del>', html)
    assert ("paragraph", 2, "[2] From your last order.", "removed") in changes(redline)


@pytest.mark.parametrize("direction", ["removed", "added"])
def test_the_last_notes_removed_or_the_first_added_change_no_section_above_them(
    direction: str,
) -> None:
    """The U.S. Federal PKI's Certificate Policy (uspki/policies, certificate-policy.md, 31
    August to 14 September 2017) removed its only footnote and its marks: the redline listed
    its last section, '9.17 Other provisions', empty and unchanged, as changed, and showed it
    open, for the rule above the notes, removed with them, was counted as its."""
    noted = (
        "## 1. Data\n\nWe keep your address[^a] for a year.[^b]\n\n## 2. Sharing\n\n"
        "We share nothing.\n\n[^a]: As you give it.\n[^b]: From your last order.\n"
    )
    unnoted = (
        "## 1. Data\n\nWe keep your address for a year.\n\n## 2. Sharing\n\nWe share nothing.\n"
    )
    old, new = (noted, unnoted) if direction == "removed" else (unnoted, noted)
    redline, _ = footnote_redline(new, old)
    assert outline(redline)[:2] == [("section-1", "modified"), ("section-2", "unchanged")]
    assert [(title, change) for _, _, title, change in changes(redline)] == [
        ("1. Data", "modified"),
        ("[1] As you give it.", direction),
        ("[2] From your last order.", direction),
    ]
    assert [part.is_unchanged for part in redline.parts] == [False, True, False]


def test_a_mark_moved_to_another_sentence_shows() -> None:
    redline, html = footnote_redline(
        NOTED.replace("address[^a] for a year.", "address for a year.[^a]")
    )
    assert outline(redline)[0] == ("section-1", "modified")
    assert html.count(DEL) >= 1 and html.count(INS) >= 1


def test_notes_that_exchange_their_words_are_changes_of_both() -> None:
    """Mark [1] now leads to the words of note [2], and the other way round: each note's words
    are replaced, never the same note "renumbered" because its words are found elsewhere."""
    new = NOTED.replace("As you give it.", "TMP").replace(
        "From your last order.", "As you give it."
    )
    redline, _ = footnote_redline(new.replace("TMP", "From your last order."))
    assert changes(redline) == [
        ("paragraph", 1, "[1] As you give it.", "removed"),
        ("paragraph", 2, "[2] From your last order.", "removed"),
        ("paragraph", 1, "[1] From your last order.", "added"),
        ("paragraph", 2, "[2] As you give it.", "added"),
    ]


def test_a_note_renumbered_by_a_mark_moved_and_edited_shows_its_edit() -> None:
    """The mark of note b moved before note a's first mark: b is note 1 now, a note 2. Each
    is compared with itself: a's words marked, both notes renumbered, no note removed."""
    new = NOTED.replace("We keep your address[^a] for a year.[^b]", "We keep[^b] your address[^a].")
    redline, html = footnote_redline(new.replace("As you give it.", "As you give it to us."))
    assert changes(redline) == [
        ("heading", 0, "1. Data", "modified"),
        ("heading", 0, "2. Sharing", "modified"),  # its mark of note a is [2] now
        ("paragraph", 1, "[1] From your last order.", "reformatted"),
        ("paragraph", 2, "[2] As you give it to us.", "modified"),
    ]
    assert f"<p>As you give it{INS} to us</ins>.</p>" in html
    assert "renumbered: 2 → 1" in html and "renumbered: 1 → 2" in html
    # A mark renumbered is struck and written whole, never "[" kept and "1" struck; struck,
    # it links nowhere: note [1] of the redline is another note.
    assert f'your address{DEL}<sup class="footnote-ref"><a>[1]</a></sup> for a year.' in html
    assert (
        f'{INS}<sup class="footnote-ref"><a href="#pg-fn-2" id="pg-fnref-2">[2]</a></sup>.</ins>'
        in html
    )


def test_marks_that_exchange_their_notes_are_changes_of_their_sentences() -> None:
    """Each sentence now leads to the other's note, under the same numbers: the section was
    called unchanged, and the notes only renumbered, though what the text says changed."""
    new = NOTED.replace("address[^a] for a year.[^b]", "address[^b] for a year.[^a]")
    redline, html = footnote_redline(new)
    assert outline(redline)[0] == ("section-1", "modified")
    assert (
        f'address{DEL}<sup class="footnote-ref"><a>[1]</a></sup></del>'
        f'{INS}<sup class="footnote-ref"><a href="#pg-fn-1" id="pg-fnref-1">[1]</a></sup></ins>'
    ) in html
    # A mark of a note that kept its number, and leads to it still, is unchanged.
    unchanged = footnote_redline(NOTED.replace("We share nothing.", "We share little."))[1]
    assert "address<sup" in unchanged and "<del><sup" not in unchanged


def test_raw_html_that_imitates_a_back_link_is_words_of_the_text() -> None:
    """Written in a text, a link like a note's way back to its mark was left out of the
    redline: the page showed "↩︎7" where it had shown "↩︎1", the redline nothing changed."""
    old = NOTED.replace(
        "We share nothing.", 'We share nothing <a href="#x" class="footnote-backref">↩︎1</a>.'
    )
    redline, html = footnote_redline(old.replace("↩︎1", "↩︎7"), old)
    assert changes(redline) == [("heading", 0, "2. Sharing", "modified")]
    assert f'{DEL}<a href="#x">↩︎1</a></del>{INS}<a href="#x">↩︎7</a></ins>' in html


def test_raw_html_that_imitates_the_notes_is_a_change_of_its_section() -> None:
    """Words of a text in a `<section class="footnotes">` of its own were listed as a change
    of footnote [1], and the section that holds them as unchanged."""
    old = NOTED.replace(
        "We share nothing.[^a]\n\n",
        "We share nothing.[^a]\n\n"
        '<section class="footnotes"><ol><li>We may share it.</li></ol></section>\n\n',
    )
    redline, _ = footnote_redline(old.replace("may share", "share"), old)
    assert changes(redline) == [("heading", 0, "2. Sharing", "modified")]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["x", "y", "z"])), max_size=6),
    st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["x", "y", "z"])), max_size=6),
    st.lists(
        st.sampled_from(["One note.", "Two words.", "One note, longer."]), min_size=3, max_size=3
    ),
    st.lists(
        st.sampled_from(["One note.", "Two words.", "One note, longer."]), min_size=3, max_size=3
    ),
    st.sets(st.sampled_from("abc")),
    st.sets(st.sampled_from("abc")),
)
def test_a_redline_of_footnotes_reads_as_both_texts(
    old_marks: list[tuple[str, str]],
    new_marks: list[tuple[str, str]],
    old_notes: list[str],
    new_notes: list[str],
    old_written: set[str],
    new_written: set[str],
) -> None:
    """Marks placed in any sentence, notes of any words written or not: never a change
    unmarked, never a mark where nothing changed."""

    def text(marks: list[tuple[str, str]], notes: list[str], written: set[str]) -> str:
        words = {"x": "We keep it", "y": "We share it", "z": "We delete it"}
        body = "".join(
            f"## {k}. {w}\n\n{words[w]}.[^{label}]\n\n" for k, (label, w) in enumerate(marks, 1)
        )
        return (body or "Words.\n\n") + "".join(
            f"[^{label}]: {note}\n"
            for label, note in zip("abc", notes, strict=True)
            if label in written
        )

    old, new = text(old_marks, old_notes, old_written), text(new_marks, new_notes, new_written)
    redline, html = footnote_redline(new, old)
    for part in redline.parts:
        has_marks = re.search(r"<ins>|<del>|redline-block|redline-form|redline-break", part.html)
        assert (has_marks is not None) == (not part.is_unchanged)
    if old == new:
        assert not redline.has_changes
