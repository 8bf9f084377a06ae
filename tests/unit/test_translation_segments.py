"""Segments: a body cut into what translators translate, placeholders, and the way back."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygen.assembly import assemble_site
from policygen.canonical import canonicalize, parse_region_blocks
from policygen.errors import SourceLocation
from policygen.sources import read_site
from policygen.translation.catalog import Entry, TranslationFile
from policygen.translation.po import read_po, write_po
from policygen.translation.segments import (
    Segment,
    check_placeholders,
    expand,
    fill_body,
    segment_body,
    split_blocks,
    structure_change,
)

from ..conftest import EXAMPLE_AS_OF, NOW, ROOT

REGIONS = ("global", "europe")


def segments_of(body: str) -> list[Segment]:
    blocks, problems = parse_region_blocks(body, SourceLocation("en.md"), 1, REGIONS)
    assert not problems
    segments, errors = segment_body(body, 1, blocks, "en.md", {})
    assert errors == []
    return segments


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("## 4. Cookies\n", [("#section-4", "heading", "level 2", "4. Cookies")]),
        (
            "## Who we are {#who}\n\nWe are *Example*.\n",
            [
                ("#who-we-are", "heading", "level 2", "Who we are"),
                ("#who-we-are 1", "paragraph", "", "We are <1>Example</1>."),
            ],
        ),
        (
            "Read [the policy](policy:cookies#section-2){: #link } or `code`.\n",
            [("1", "paragraph", "", "Read <1>the policy</1> or {2}.")],
        ),
        (
            # Mozilla's Firefox Privacy Notice (2017): an anchor on the title of an item.
            "* **Referral and Campaign Tracking**{: #thirdparty } To help us.\n",
            [("1", "list item", "", "<1>Referral and Campaign Tracking</1> To help us.")],
        ),
        (
            "- one\n- two **bold**\n  - nested\n\n1) first\n2) second\n",
            [
                ("1", "list item", "", "one"),
                ("2", "list item", "", "two <1>bold</1>"),
                ("3", "list item", "", "nested"),
                ("4", "list item", "", "first"),
                ("5", "list item", "", "second"),
            ],
        ),
        (
            "| Data | Kept \\| for |\n|---|---|\n| `id` | 30 *days* |\n",
            [
                ("1", "table cell", "row 1, column 1", "Data"),
                ("2", "table cell", "row 1, column 2", "Kept \\| for"),
                ("3", "table cell", "row 2, column 2", "30 <1>days</1>"),
            ],
        ),
        (
            '<table>\n<tr><th scope="col">Name</th><td>Kept <b>30</b> days<br>then &amp; deleted</td></tr>\n</table>\n',
            [
                ("1", "table cell", "<th>", "Name"),
                ("2", "table cell", "<td>", "Kept <1>30</1> days{2}then &amp; deleted"),
            ],
        ),
        (
            "Line one\\\nline two, and a\nsoft break.\n",
            [("1", "paragraph", "", "Line one{1}\nline two, and a soft break.")],
        ),
        (
            "::: region europe\nOnly in Europe.\n:::\n\n::: region not europe\nElsewhere.\n:::\n",
            [
                ("1 [region europe]", "paragraph", "", "Only in Europe."),
                ("2 [region not europe]", "paragraph", "", "Elsewhere."),
            ],
        ),
        (
            # A tab in a continuation line's indentation is read as spaces to the tab stop.
            "- one\n- two and\n\tthree\n\n1. first\n \t second\n",
            [
                ("1", "list item", "", "one"),
                ("2", "list item", "", "two and three"),
                ("3", "list item", "", "first second"),
            ],
        ),
        ("> Quoted <kbd>text</kbd> {1}.\n", [("1", "quote", "", "Quoted <1>text</1> {2}.")]),
        ("A paragraph.\n{: #kept }\n", [("1", "paragraph", "", "A paragraph.")]),
        (
            "個人情報の**取扱い**について\n",
            [("1", "paragraph", "", "個人情報の<1>取扱い</1>について")],
        ),
        (
            # A line break between two Chinese or Japanese characters is nothing, as on the
            # page (across emphasis too); elsewhere, and in Korean, a space.
            "個人情報の取扱い\nについて。*個人\n情報*\nPolicy の\n改定\n\n개인정보\n처리방침\n",
            [
                ("1", "paragraph", "", "個人情報の取扱いについて。<1>個人情報</1> Policy の改定"),
                ("2", "paragraph", "", "개인정보 처리방침"),
            ],
        ),
        ("![a picture](x.png)\n\n`only code`\n", []),
        (
            # A footnote's mark is a placeholder; its note is a paragraph, where it is written.
            "We keep it.[^1] Twice.[^long label]\n\n[^1]: For *a month*.\n\nAfter.\n\n"
            "[^long label]: Not a note: a label has no space.\n",
            [
                ("1", "paragraph", "", "We keep it.{1} Twice.[^long label]"),
                ("2", "paragraph", "footnote [^1]", "For <1>a month</1>."),
                ("3", "paragraph", "", "After."),
                ("4", "paragraph", "", "[^long label]: Not a note: a label has no space."),
            ],
        ),
    ],
)
def test_cuts_a_body_into_segments(body: str, expected: list[tuple[str, str, str, str]]) -> None:
    segments = segments_of(body)
    assert [(s.key, s.kind, s.detail, s.text) for s in segments] == expected
    assert fill_body(body, segments, {}) == body


def test_keys_are_unique_and_name_the_section() -> None:
    body = "## 1. A\n\nSame.\n\nSame.\n\n## 1. A\n\nSame.\n"
    keys = [s.key for s in segments_of(body)]
    assert keys == [
        "#section-1",
        "#section-1 1",
        "#section-1 2",
        "#section-1 ~2",
        "#section-1 1 ~2",
    ]


def test_placeholders_stand_for_the_source_markup() -> None:
    (segment,) = segments_of("See [the *cookies* policy](policy:cookies) now.\n")
    assert segment.text == "See <1>the <2>cookies</2> policy</1> now."
    assert expand(segment, "<1><2>クッキー</2>ポリシー</1>をご覧ください。") == (
        "[*クッキー*ポリシー](policy:cookies)をご覧ください。"
    )
    assert expand(segment, segment.text) == segment.source


@pytest.mark.parametrize(
    ("translation", "problems"),
    [
        ("<1>a</1> {2}", []),
        ("{2} <1>a</1>", []),
        (
            "<1>a</1>",
            [
                "the translation lacks the placeholder {2} (code `x`): keep every placeholder, where the translation needs it"
            ],
        ),
        (
            "<1>a</1> {2} {3}",
            [
                "the translation has the placeholder {3}, which the source text does not have (it has <1>…</1>, {2})"
            ],
        ),
        ("<1>a</1> {2} {2}", ["the placeholder {2} is written twice: keep it once"]),
        ("<1>a</1> {2} {2} {2}", ["the placeholder {2} is written twice: keep it once"]),
        (
            "<1>a</1> {2}" + " {3}" * 100_000 + "</1>" * 100_000,
            [
                "the translation has the placeholder {3}, which the source text does not have (it has <1>…</1>, {2})",
                "the placeholder </1> is written twice: keep it once",
            ],
        ),
        (
            "</1>a<1> {2}",
            ["the placeholder </1> comes before <1>: write <1>…</1> around the words it marks"],
        ),
        (
            "{1} <2>a</2>",
            [
                "the translation has the placeholder {1}, which the source text does not have (it has <1>…</1>, {2})",
                "the translation has the placeholder <2>, which the source text does not have (it has <1>…</1>, {2})",
                "the translation has the placeholder </2>, which the source text does not have (it has <1>…</1>, {2})",
                "the translation lacks the placeholder <1>…</1> (link […](u)): keep every placeholder, where the translation needs it",
                "the translation lacks the placeholder {2} (code `x`): keep every placeholder, where the translation needs it",
            ],
        ),
    ],
)
def test_placeholders_may_move_but_not_break(translation: str, problems: list[str]) -> None:
    (segment,) = segments_of("[a](u) `x`\n")
    assert check_placeholders(segment, translation) == problems


def test_a_translation_that_drops_or_adds_a_footnote_mark_is_refused() -> None:
    body = "We keep it.[^1]\n\n[^1]: For a month.\n"
    segment = segments_of(body)[0]
    assert segment.text == "We keep it.{1}"
    assert check_placeholders(segment, "Nous le gardons.") == [
        "the translation lacks the placeholder {1} (footnote [^1]): keep every placeholder, where the translation needs it"
    ]
    assert check_placeholders(segment, "Nous le gardons.{1}{2}") == [
        "the translation has the placeholder {2}, which the source text does not have (it has {1})"
    ]
    assert fill_body(body, segments_of(body), {"1": "Nous{1} le gardons."}) == (
        "Nous[^1] le gardons.\n\n[^1]: For a month.\n"
    )


def test_crossing_pairs_are_refused() -> None:
    (segment,) = segments_of("*a **b** c*\n")
    assert check_placeholders(segment, "<1>a <2>b</1> c</2>") == [
        "the placeholders <1>…</1> and <2>…</2> cross: close <2> before </1>, or open it after"
    ]


def test_a_translation_that_makes_markup_changes_the_structure() -> None:
    body = "## 1. Cookies\n\n- Plain text.\n"
    segments = segments_of(body)
    translations = {"#section-1 1": "Texte *en gras*"}
    filled = fill_body(body, segments, translations)
    change = structure_change(segments, translations, segments_of(filled))
    assert change is not None and change[0].key == "#section-1 1"
    escaped = {"#section-1 1": "Texte \\*en gras\\*"}
    filled = fill_body(body, segments, escaped)
    assert structure_change(segments, escaped, segments_of(filled)) is None


def test_an_address_written_bare_is_a_placeholder() -> None:
    # It is a link on the page, as an autolink is: a translation keeps it as the source
    # writes it, and one that writes an address of its own makes a link the source does not have.
    body = "## 1. Contact\n\nWrite to privacy@example.org or see https://example.org/privacy.\n"
    segments = segments_of(body)
    assert segments[-1].text == "Write to {1} or see {2}."
    translations = {segments[-1].key: "Écrivez à {1} ou voyez {2}."}
    filled = fill_body(body, segments, translations)
    assert filled.endswith("Écrivez à privacy@example.org ou voyez https://example.org/privacy.\n")
    assert structure_change(segments, translations, segments_of(filled)) is None
    added = {segments[-1].key: "Écrivez à {1} ou voyez {2} et https://evil.example.org."}
    filled = fill_body(body, segments, added)
    change = structure_change(segments, added, segments_of(filled))
    assert change is not None and change[0].key == segments[-1].key


def _grows_in_proportion(work: Callable[[int], object]) -> bool:
    """Whether `work(n)` takes about four times as long for 4n as for n, not sixteen."""

    def seconds(size: int) -> float:
        started = time.perf_counter()
        work(size)
        return time.perf_counter() - started

    return seconds(20_000) < 8 * seconds(5_000) + 0.05


def test_a_long_run_of_spaces_in_a_translation_takes_time_in_proportion_to_it() -> None:
    # Each space of a run was the start of a search for a line break after the run: a
    # translation with 200,000 spaces took seven minutes to import.
    (segment,) = segments_of("Write to us.\n")
    assert expand(segment, "a \t \n \n b") == "a b"
    assert _grows_in_proportion(lambda size: expand(segment, "a" + " " * size + "b"))


def test_a_long_run_of_spaces_in_raw_html_takes_time_in_proportion_to_it() -> None:
    (segment,) = segments_of("<div>\nWrite  to\n  us.\n</div>\n")
    assert segment.text == "Write  to us."
    assert _grows_in_proportion(lambda size: segments_of(f"<div>\na{' ' * size}b\n</div>\n"))


# Round trip over random Markdown.

WORDS = st.sampled_from(
    [
        "policy",
        "data",
        "JASSO",
        "個人情報",
        "取扱い",
        "Cookie",
        "4.2",
        "e-mail",
        "(1)",
        "über",
        "données",
    ]
)
INLINE_MARKUP = st.sampled_from(
    [
        "*{}*",
        "**{}**",
        "~~{}~~",
        "`{}`",
        "[{}](policy:cookies)",
        '[{}](https://example.org/a_b "t")',
        "[{}](#x){{: #link-id }}",
        "**{}**{{: #strong-id }}",
        "*{}*{{: #em-id }}",
        "[{}][ref]",
        "<span>{}</span>",
        "<{}@example.org>",
        "\\*{}",
        "{} &amp;",
        "4\\. {}",
        "{{2}} {}",
    ]
)


@st.composite
def inline_text(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        word = draw(WORDS)
        if draw(st.booleans()):
            word = draw(INLINE_MARKUP).format(word)
        parts.append(word)
    return " ".join(parts)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(["heading", "paragraph", "bullets", "numbers", "table", "html", "attrs"])
    )
    text = draw(inline_text())
    if kind == "heading":
        suffix = draw(st.sampled_from(["", " {#h-id}", " {: #h2-id }"]))
        return "#" * draw(st.integers(1, 4)) + " " + text + suffix
    if kind == "paragraph":
        lines = [text, *(draw(inline_text()) for _ in range(draw(st.integers(0, 2))))]
        breaks = draw(
            st.lists(
                st.sampled_from(["\n", "\\\n", "  \n"]),
                min_size=len(lines) - 1,
                max_size=len(lines) - 1,
            )
        )
        return "".join(line + end for line, end in zip(lines, [*breaks, ""], strict=True))
    if kind in ("bullets", "numbers"):
        marker = "-" if kind == "bullets" else draw(st.sampled_from(["1.", "1)"]))
        items = [f"{marker} {draw(inline_text())}" for _ in range(draw(st.integers(1, 3)))]
        if draw(st.booleans()):
            items.insert(1, "   - " + draw(inline_text()))
        return "\n".join(items)
    if kind == "table":
        cells = [draw(inline_text()).replace("|", "\\|") for _ in range(4)]
        return f"| {cells[0]} | {cells[1]} |\n|---|:--|\n| {cells[2]} | {cells[3]} |"
    if kind == "html":
        return draw(
            st.sampled_from(
                [
                    "<table>\n<tr><td>{}</td><td><b>{}</b> &amp; more</td></tr>\n</table>",
                    "<div>\n<p>{} <em>{}</em></p>\n</div>",
                    "<ul>\n  <li>{}</li>\n  <li>{}<br>\n  next</li>\n</ul>",
                ]
            )
        ).format(draw(WORDS), draw(WORDS))
    return (
        draw(st.sampled_from(["{#b-id}\n", ""]))
        + text
        + draw(st.sampled_from(["\n{: #p-id }", ""]))
    )


@st.composite
def document(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        content = draw(block())
        if draw(st.integers(0, 4)) == 0:
            region = draw(st.sampled_from(["europe", "not europe"]))
            content = f"::: region {region}\n{content}\n:::"
        blocks.append(content)
    return (
        "\n"
        + "\n\n".join(blocks)
        + "\n\nMarked.[^n]\n\n[^n]: A *note*\n    on two lines.\n\n[ref]: https://example.org/ref\n"
    )


def _as_translation(text: str) -> str:
    """Letters replaced by a Japanese character, placeholders kept: a translation."""
    out, position = [], 0
    for mark in re.finditer(r"<(\d+)>|</(\d+)>|\{(\d+)\}", text):
        out.append(re.sub(r"[A-Za-zü]", "字", text[position : mark.start()]))
        out.append(mark[0])
        position = mark.end()
    out.append(re.sub(r"[A-Za-zü]", "字", text[position:]))
    return "".join(out)


def _canonical(body: str, region: str) -> str:
    blocks, _ = parse_region_blocks(body, SourceLocation("en.md"), 1, REGIONS)
    return canonicalize(body, 1, blocks, region).text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_exporting_the_source_and_importing_it_gives_it_back(body: str) -> None:
    segments = segments_of(body)
    exported = TranslationFile(
        "privacy", "2027-01-01", "en", "en", "0" * 64, ("en.md",),
        tuple(Entry(s.key, s.text, s.text, file="en.md", line=s.line) for s in segments),
    )  # fmt: skip
    read, problems = read_po(write_po(exported), "en.po")
    assert problems == [] and read is not None
    translations = {entry.key: entry.translation for entry in read.entries}
    filled = fill_body(body, segments, translations)
    assert filled == body
    for region in REGIONS:
        assert _canonical(filled, region) == _canonical(body, region)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_a_translation_keeps_the_structure_of_its_source(body: str) -> None:
    segments = segments_of(body)
    translations = {s.key: _as_translation(s.text) for s in segments}
    for segment in segments:
        assert check_placeholders(segment, translations[segment.key]) == []
    filled = fill_body(body, segments, translations)
    found = segments_of(filled)
    assert structure_change(segments, translations, found) is None
    assert [s.text for s in found] == [translations[s.key] for s in segments]


PIECES = st.sampled_from(
    [*"ab *_`[]()<>{}#:|-!\\&;\n\t 1.)=~\"/", "::: region europe\n", ":::\n", "<td>", "</td>",
     "<b>", "</b>", "<![", "&amp;", "字", "\n\n", "    ", "{: #x }", "[r]: /u\n", "> ",
     "[^1]", "[^1]: "]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=60).map("".join))
def test_any_text_is_cut_into_segments_that_tile_it(body: str) -> None:
    try:
        blocks, _ = parse_region_blocks(body, SourceLocation("en.md"), 1, REGIONS)
    except IndexError:
        blocks = []  # the region-block reader's own limits are not what this test is about
    segments, _ = segment_body(body, 1, blocks, "en.md", {})
    assert fill_body(body, segments, {s.key: s.text for s in segments}) == body
    for segment in segments:
        assert segment.span is not None
        assert segment.source == body[segment.span[0] : segment.span[1]]


# A body is cut a part at a time, each distinct part once (as rendering is by sections): the
# segments must be exactly those of cutting the whole body, keys, lines, offsets and errors.
def _inline_html_only(block: str) -> str:
    """A block whose lines start with a word: a raw HTML block (a line that starts with '<')
    is read only with the whole text, and most texts have none."""
    return re.sub(r"^( {0,3})<", r"\1A <", block, flags=re.MULTILINE)


SECTION_BLOCKS = st.one_of(
    block().map(_inline_html_only),
    st.sampled_from(
        [
            "- an item\n\n    <div>\n    <p>Raw <b>HTML</b> in an item</p>\n    </div>",
            "- an item\n\n    <div>\n    <![ a section the HTML reader refuses\n    </div>",
            "> quoted\n> words\n\n> and more",
            "1. first\n\n   ## a heading in an item\n\n2. second",
            "Intro {: #intro }\n\n## 2. Data",
            "    indented code\n\n    ## not a heading",
            "## Same heading\n\nSame words.",
            "## Same heading\n\nSame words.",
            "Same words.",
            "#\tTab heading\n\nwords\twith\ttabs",
            "A line\\\n## right after a hard break",
            "- a loose\n\n- list\n\n  going on\n\n-\n\n- after an empty item",
            "1. a loose\n\n2) list, and another\n\n10. ten",
            "- an item\n\n***\n\n* * *\n\n---",
            "Words\n\n{: #alone }\n\n{#before}\n- a list",
            "2022 in review\n\n3.5 percent\n\n-1 degrees",
            "> a quote\n\n> another\n>\n> > nested",
            "Words\n   \nafter a line of spaces\n\t\n\ttabbed code",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |",
            "Term\n\n===\n\nTitle\n---",
        ]
    ),
)


@st.composite
def sectioned_document(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        content = "\n\n".join(draw(st.lists(SECTION_BLOCKS, min_size=1, max_size=3)))
        if draw(st.integers(0, 3)) == 0:
            region = draw(st.sampled_from(["europe", "not europe"]))
            content = f"::: region {region}\n{content}\n:::"
        parts.append(content)
    # A link reference definition (which serves the whole text) or a raw HTML block, now and
    # then: such a text is cut whole.
    ending = draw(
        st.sampled_from(
            ["\n", "\n", "\n", "", "\n\n[ref]: https://example.org/ref\n", "\n\n<div>\nA</div>\n"]
        )
    )
    return draw(st.sampled_from(["", "\n", "Intro.\n\n"])) + "\n\n".join(parts) + ending


def _both_ways(body: str, body_line: int) -> None:
    blocks, _ = parse_region_blocks(body, SourceLocation("en.md"), body_line, REGIONS)
    anchors = {body_line + 2: "given-anchor"}
    for region_file in (None, "europe"):
        whole = segment_body(body, body_line, blocks, "en.md", anchors, region_file, by_parts=False)
        assert segment_body(body, body_line, blocks, "en.md", anchors, region_file) == whole


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sectioned_document(), sectioned_document())
def test_cutting_a_body_by_sections_equals_cutting_it_whole(body: str, before: str) -> None:
    _both_ways(body, 4)
    # The same sections again, elsewhere in another body: read once, placed where they are.
    _both_ways(before + "\n\n" + body, 1)


def test_a_body_with_headings_after_empty_lines_is_cut_by_sections() -> None:
    body = "## 1. A\n\nSame.\n\n::: region europe\n## 2. B\n\nOther.\n:::\n\n## 1. A\n\nSame.\n"
    assert split_blocks(body) is not None
    _both_ways(body, 3)


def test_the_example_texts_are_cut_the_same_by_sections() -> None:
    sources, _ = read_site(ROOT)
    site, _ = assemble_site(sources, EXAMPLE_AS_OF, NOW)
    assert site is not None
    texts = [
        source
        for policy in site.policies
        for revision in policy.all_revisions
        for source in revision.sources
    ]
    assert len(texts) > 5
    for source in texts:
        where = source.location
        blocks, _ = parse_region_blocks(
            source.body, where, source.body_line, site.config.region_ids
        )
        assert split_blocks(source.body) is not None
        arguments = (source.body, source.body_line, blocks, where.path, {}, source.region)
        assert segment_body(*arguments) == segment_body(*arguments, by_parts=False)


def test_an_escaped_brace_ending_a_heading_is_words_to_translate() -> None:
    # Pages show `\{#cookies}` as words, not as an attribute list: the translator sees them
    # whole, where `#cookies}` was left out of the segment.
    (heading, _) = segments_of("## 3. Contact \\{#cookies}\n\nText.\n")
    assert heading.text == "3. Contact \\{#cookies}"
    (heading, _) = segments_of("## 3. Contact {#cookies}\n\nText.\n")
    assert heading.text == "3. Contact"
