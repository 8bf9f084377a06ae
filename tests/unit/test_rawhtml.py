"""Raw HTML never hides text: what is left open is an error at its place, and what a page shows
is every word Markdown shows as text."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from policygen.canonical import CanonicalText
from policygen.errors import SourceLocation
from policygen.markdown import RenderedText, render_markdown, render_whole

HIDES = (
    "is never closed: it would hide the rest of the text from readers, though source.md holds it"
)
HIDES_NEXT = "is not closed before the text that follows it: readers would not see that text, though source.md holds it"
GARBLES_NEXT = (
    "is not closed before the text that follows it: readers would see that text as raw markup"
)
AS_TEXT = "write '\\<' (or '&lt;') for a '<' that is text"


def rendered(text: str, first_line: int = 1) -> RenderedText:
    lines = tuple(range(first_line, first_line + text.count("\n") + 1))
    return render_markdown(CanonicalText(text, lines), SourceLocation("en.md"))


def errors(text: str, first_line: int = 1) -> list[str]:
    return [str(p) for p in rendered(text, first_line).problems if p.is_error]


SWALLOWERS = {
    "unclosed comment": (
        "Intro.\n\n<!-- a note\n\n## 2. Sharing\n\nWe share nothing.\n",
        f"en.md:3:1: error: the comment opened with '<!--' {HIDES}; end it with '-->'",
    ),
    "unclosed comment in a list": (
        "- one\n- <!-- two\n\nAfter.\n",
        f"en.md:2:3: error: the comment opened with '<!--' {HIDES_NEXT}; end it with '-->'",
    ),
    "style block": (
        "<style>\n\n## 2. Sharing\n",
        f"en.md:1:1: error: '<style>' {HIDES}; close it with '</style>' (styles are not published)",
    ),
    "style closed in an attribute after paragraphs": (
        'Intro.\n\n<style>\n\n We share nothing.\n\n<p title="</style>"> Next.\n',
        "en.md:3:1: error: '<style>' holds a blank line (line 4) before its end (line 7): what looks like text after it would be hidden from readers, though source.md holds it; close it with '</style>' (styles are not published)",
    ),
    "style written inline": (
        "We do not use <style> sheets.\n\nNext paragraph.\n",
        f"en.md:1:15: error: '<style>' {HIDES_NEXT}; close it with '</style>' (styles are not published)",
    ),
    "self-closing style": (
        "A <style/> B\n",
        f"en.md:1:3: error: '<style>' {HIDES_NEXT}; close it with '</style>' (styles are not published)",
    ),
    "style in capitals": (
        "<STYLE>\n",
        f"en.md:1:1: error: '<style>' {HIDES}; close it with '</style>' (styles are not published)",
    ),
    "script": (
        "<script>\n\nText.\n",
        f"en.md:1:1: error: '<script>' {HIDES}; close it with '</script>' (scripts are not published)",
    ),
    "a script that a comment inside keeps open": (
        "<script><!--<script></script>\n\nText.\n",
        f"en.md:1:1: error: '<script>' {HIDES_NEXT}; close it with '</script>' (scripts are not published)",
    ),
    "template": (
        "<template>\n\nText.\n",
        f"en.md:1:1: error: '<template>' {HIDES_NEXT}; close it with '</template>' (what a template holds is never shown)",
    ),
    "template around Markdown text": (
        "A <template>hidden words</template> B\n",
        "en.md:1:3: error: '<template>' hides the text up to its '</template>' from readers, though source.md holds it; write that text without '<template>' and '</template>'",
    ),
    "template around Markdown text, closed on the next line": (
        "A <template>hidden\nwords</template> B\n",
        "en.md:1:3: error: '<template>' hides the text up to its '</template>' from readers, though source.md holds it; write that text without '<template>' and '</template>'",
    ),
    "noscript around Markdown text": (
        "A <noscript>**bold** words</noscript> B\n",
        "en.md:1:3: error: '<noscript>' holds the text up to its '</noscript>', where Markdown is not read: readers would see its formatting as raw markup; write that text without '<noscript>' and '</noscript>'",
    ),
    "template closed only after a blank line": (
        "A <template>hidden\n\nwords</template> B\n",
        f"en.md:1:3: error: '<template>' {HIDES_NEXT}; close it with '</template>' (what a template holds is never shown)",
    ),
    "textarea": (
        "<textarea>\n\nText.\n",
        "en.md:1:1: error: '<textarea>' is never closed: readers would see the rest of the text as raw markup; close it with '</textarea>' (Markdown is not read inside it)",
    ),
    "title": (
        "<title>\n\nText.\n",
        f"en.md:1:1: error: '<title>' {GARBLES_NEXT}; close it with '</title>' (Markdown is not read inside it)",
    ),
    "iframe": (
        "<iframe>\n\nText.\n",
        f"en.md:1:1: error: '<iframe>' {GARBLES_NEXT}; close it with '</iframe>' (Markdown is not read inside it)",
    ),
    "noscript": (
        "<noscript>\n\nText.\n",
        f"en.md:1:1: error: '<noscript>' {GARBLES_NEXT}; close it with '</noscript>' (Markdown is not read inside it)",
    ),
    "noembed": (
        "<noembed>\n\nText.\n",
        f"en.md:1:1: error: '<noembed>' {GARBLES_NEXT}; close it with '</noembed>' (Markdown is not read inside it)",
    ),
    "noframes": (
        "<noframes>\n\nText.\n",
        f"en.md:1:1: error: '<noframes>' {GARBLES_NEXT}; close it with '</noframes>' (Markdown is not read inside it)",
    ),
    "xmp": (
        "<xmp>\n\nText.\n",
        f"en.md:1:1: error: '<xmp>' {GARBLES_NEXT}; close it with '</xmp>' (Markdown is not read inside it)",
    ),
    "plaintext": (
        "<plaintext>\n\nText.\n",
        f"en.md:1:1: error: '<plaintext>' {GARBLES_NEXT}; remove it: nothing closes it",
    ),
    "CDATA": (
        "<![CDATA[ legal text\n\nText.\n",
        f"en.md:1:1: error: '<![CDATA[' (browsers read it as a hidden comment up to the next '>') {HIDES}; {AS_TEXT}",
    ),
    "processing instruction": (
        "<?php\n\nText.\n",
        f"en.md:1:1: error: '<?php' (browsers read it as a hidden comment up to the next '>') {HIDES}; {AS_TEXT}",
    ),
    "declaration": (
        "<!X\n\nText.\n",
        f"en.md:1:1: error: '<!X' (browsers read it as a hidden comment up to the next '>') {HIDES}; {AS_TEXT}",
    ),
    "attribute value": (
        'Intro.\n\n<div title="a\n\nText.\n',
        f"en.md:3:12: error: the attribute value opened with \" in the tag '<div' {HIDES_NEXT}; close it with \"",
    ),
    "tag": (
        "<div\n\nText.\n",
        f"en.md:1:1: error: the tag '<div' {HIDES_NEXT}; end it with '>'",
    ),
    "svg": (
        "<svg><desc>\n\nText.\n",
        f"en.md:1:1: error: '<svg>' {HIDES_NEXT}; close it with '</svg>' (drawings and formulas are not published)",
    ),
    "math": (
        "A <math><mi>x</mi></math> B\n",
        "en.md:1:3: error: '<math>' hides the text up to its '</math>' from readers, though source.md holds it; write that text without '<math>' and '</math>'",
    ),
    "an element named as an SVG element": (
        "Replace <text> with your name.\n",
        f"en.md:1:9: error: '<text>' {HIDES_NEXT}; close it with '</text>' ('text' names an SVG or MathML element: what it holds is not published)",
    ),
    "in a quote": (
        "> Quoted.\n>\n> <!-- a note\n> more\n\nText.\n",
        f"en.md:3:3: error: the comment opened with '<!--' {HIDES_NEXT}; end it with '-->'",
    ),
    "another comment before the end": (
        "<!-- a note\n\nLegal text.\n\n<!-- another note -->\n",
        "en.md:1:1: error: the comment opened with '<!--' holds another '<!--' (line 5) before it ends: it is probably never closed, and would hide the text up to where the other ends from readers; end it with '-->'",
    ),
    "another style before the end": (
        "<style>\n\nLegal text.\n\n<style>td {}</style>\n",
        "en.md:1:1: error: '<style>' holds another '<style' (line 5) before it ends: it is probably never closed, and would hide the text up to where the other ends from readers; close it with '</style>' (styles are not published)",
    ),
    "a tag that a later block ends": (
        "<div\ttitle=x Legal text.\n\n<!-- note --> More.\n",
        f"en.md:1:1: error: the tag '<div' {HIDES}; end it with '>' on its own lines",
    ),
    "a declaration that a later line ends": (
        "<!X\n\nLegal text <b>bold</b>.\n",
        f"en.md:1:1: error: '<!X' (browsers read it as a hidden comment up to the next '>') ends only on line 3, hiding the text between from readers; {AS_TEXT}",
    ),
}


@pytest.mark.parametrize("text, expected", SWALLOWERS.values(), ids=SWALLOWERS.keys())
def test_raw_html_left_open_is_an_error_at_its_place(text: str, expected: str) -> None:
    assert errors(text) == [expected]


IN_PARAGRAPH = "cannot stand inside a paragraph: browsers end the paragraph before it, so the page would not show the text as written; put the HTML on lines of its own, with an empty line before and after"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Intro.\n\nWords <div>boxed</div> more.\n", f"en.md:3:7: error: '<div>' {IN_PARAGRAPH}"),
        ("A\nB <details><summary>s</summary>d</details>\n", f"en.md:2:3: error: '<details>' {IN_PARAGRAPH}"),
        ("A <TABLE><tr><td>c</td></tr></TABLE>\n", f"en.md:1:3: error: '<table>' {IN_PARAGRAPH}"),
        ("A <hr> B\n", f"en.md:1:3: error: '<hr>' {IN_PARAGRAPH}"),
        ("A </p> B\n", "en.md:1:3: error: '</p>' inside a paragraph ends it where Markdown does not: remove it (an empty line ends a paragraph)"),
    ],
)  # fmt: skip
def test_html_that_breaks_its_paragraph_is_an_error(text: str, expected: str) -> None:
    assert errors(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "<div>\nA block of its own.\n</div>\n",
        "- a list item <div>may hold</div> a div\n",
        "| a |\n|---|\n| a cell <div>may</div> too |\n",
        "A <span>span</span>, <b>b</b>, <br> and <abbr title='x'>abbr</abbr>.\n",
    ],
)
def test_html_that_a_paragraph_may_hold_or_outside_paragraphs_is_no_error(text: str) -> None:
    assert errors(text) == []


def test_the_place_is_a_file_line() -> None:
    assert errors("Intro.\n\n<style>\n", first_line=7) == [
        f"en.md:9:1: error: '<style>' {HIDES}; close it with '</style>' (styles are not published)"
    ]


def test_one_problem_per_block_then_the_next_block_is_read_afresh() -> None:
    text = "A <style> b <template> c\n\n## 2. Next\n\nD <xmp> e\n"
    assert [p.split(": error: ")[0] for p in errors(text)] == ["en.md:1:3", "en.md:5:3"]


CLOSED = {
    "comment": "Intro.\n\n<!--\n## 5. Withdrawn section\n\nOld text.\n-->\n\nAfter.\n",
    "inline comment": "A <!-- note for translators --> B\n",
    "empty comments": "A <!--> B <!---> C\n",
    "style block": "<style>\ntd { color: red }\n</style>\n\nAfter.\n",
    "script block": "<script>\nalert(1)\n</script>\n\nAfter.\n",
    "script with a comment": "<script><!--</script>\n\nAfter.\n",
    "style and script inline": "A <style></style> B <script></script> C\n",
    "template block": "<template>\n<p>x</p>\n</template>\n\nAfter.\n",
    "svg block": '<svg viewBox="0 0 1 1">\n<text>Logo</text>\n</svg>\n\nAfter.\n',
    "self-closing svg": "A <svg/> B\n",
    "doctype and CDATA": "<!DOCTYPE html>\n<![CDATA[ x ]]>\n\nAfter.\n",
    "a quoted '>'": '<div title="a > b">\n\nAfter.\n\n</div>\n',
    "a '<' that is text": "A < B and C <3 D, and `<style>` in code.\n\n    <template>\n",
    "an HTML table": "<table>\n<tr><td>A</td></tr>\n</table>\n\nAfter.\n",
    "details around Markdown": "<details>\n<summary>More</summary>\n\nMarkdown *inside*.\n\n</details>\n",
    "autolinks": "Write to <info@example.org> or <https://example.org>.\n",
}


@pytest.mark.parametrize("text", CLOSED.values(), ids=CLOSED.keys())
def test_closed_raw_html_is_no_error(text: str) -> None:
    assert errors(text) == []


def test_closed_comments_scripts_and_styles_are_removed() -> None:
    html = rendered(CLOSED["comment"] + CLOSED["style block"] + CLOSED["script block"]).html
    assert "Withdrawn" not in html and "color" not in html and "alert" not in html
    assert html.count("After.") == 3


def test_policy_links_in_raw_html_are_found_with_their_lines() -> None:
    text = (
        'Intro.\n\n<p>See <a href="policy:cookies#section-2">cookies</a>,\n'
        "<a href='POLICY:terms'>terms</a>, <a href=\" policy&#58;faq\">faq</a>\n"
        '<a href="https://example.org/policy:x">elsewhere</a></p>\n'
    )
    assert [(link.href, link.line) for link in rendered(text).links] == [
        ("policy:cookies#section-2", 3),
        ("POLICY:terms", 4),
        ("policy:faq", 4),
    ]


def test_sections_and_the_whole_text_find_the_same_problems() -> None:
    text = "## 1. A\n\nA <style> b\n\n## 2. B\n\nC <!-- c --> d <xmp>\n"
    lines = tuple(range(3, 3 + text.count("\n") + 1))
    canonical = CanonicalText(text, lines)
    where = SourceLocation("en.md")
    assert render_markdown(canonical, where).problems == render_whole(canonical, where).problems
    assert len(render_markdown(canonical, where).problems) == 2


# --- The invariant -------------------------------------------------------------------------

COMMONMARK = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
]
RAW = [
    "<!--", "-->", "<!-- note -->", "<!-->", "<!--->", "--!>", "<style>", "</style>", "<STYLE>",
    "</style >", "<style/>", "<script>", "</script>", "<script><!--", "<script><!--<script>",
    "<template>", "</template>", "<template/>", "<textarea>", "</textarea>", "<title>",
    "</title>", "<iframe>", "</iframe>", "<noscript>", "</noscript>", "<noembed>", "<noframes>",
    "<xmp>", "</xmp>", "<plaintext>", "<![CDATA[", "]]>", "<?", "?>", "<!X", "<!DOCTYPE html>",
    ">", '<div title="', '"', "<div", "<a title='", "'", "<x y=\"", "<div\ttitle=x", "<x a=`",
    "<span>", "</span>", "<b>", "</b>", "<div>", "</div>", "<p>", "</p>", "<details>",
    "</details>", "<svg>", "</svg>", "<svg/>", "<svg><desc>", "<svg><a>", "<math>", "</math>",
    "<math><mi>", "<text>", "</text>", "<list>", "<g>", "<in>", "</in>", "<set/>",
    "<table>", "<tr><td>", "</td></tr>", "</table>", "<select>", "</select>", "<object>",
    '<a href="policy:x">', "</a>", '<p title="</style>">', "</ x", "<br/>", "&lt;", "\\<",
    "<annotation-xml encoding='text/html'>", "<mglyph>", "<foreignObject>", "<image>",
]  # fmt: skip
SEPARATORS = [
    " ", "\n", "\n\n", "\n\n## ", "\n\n- ", "\n\n1. ", "\n\n> ", "\n    ", "\n\n```\n",
    "\n```\n", "*", "**", "`", "\n\n| a | b |\n|---|---|\n| ", " | ",
]  # fmt: skip


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_text(html: str) -> str:
    parser = _PageText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def shown_words(text: str) -> Counter[str]:
    """The words CommonMark shows as text: its text, code spans and code blocks (not what raw
    HTML holds, not an image's description)."""
    words: Counter[str] = Counter()
    for token in COMMONMARK.parse(text):
        if token.type in ("code_block", "fence"):
            words.update(re.findall(r"\w+", token.content))
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.update(re.findall(r"\w+", child.content))
    return words


def canonical(text: str) -> CanonicalText:
    lines: list[str] = []
    for line in text.split("\n"):
        line = line if line.strip() else ""
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    text = "\n".join(lines) + "\n"
    return CanonicalText(text, tuple(range(1, len(lines) + 2)))


MIXED = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(RAW), st.sampled_from(SEPARATORS)),
    max_size=24,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MIXED)
def test_raw_html_hides_no_word_markdown_shows(parts: list[str]) -> None:
    """For random Markdown with raw HTML mixed in: an error, or every word the canonical source
    shows as text appears in the text of the page."""
    text = canonical(" ".join(parts))
    result = render_markdown(text, SourceLocation("en.md"))
    if any(p.code in ("unclosed-html", "html-in-paragraph") for p in result.problems):
        return
    shown = page_text(result.html)
    missing = {w: n for w, n in shown_words(text.text).items() if shown.count(w) < n}
    assert not missing, (text.text, result.html)


CLOSERS = ("-->", "--!>", "]]>", "?>", ">", '"', "'")
OPENERS = [r for r in RAW if not r.startswith("</") and r not in CLOSERS]


@st.composite
def texts_with_openers(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Markdown blocks of words, with raw HTML that is either closed where it is written
    (holding no word of the text) or only opened; and the words written as text."""
    blocks = []
    written: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["paragraph", "heading", "item", "quote", "opener"]))
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
        inline = draw(st.sampled_from(["", *OPENERS, "<b>x</b>", "<!-- c -->", "<style>s</style>"]))
        if kind == "opener":
            blocks.append(draw(st.sampled_from(OPENERS)))
            continue
        written += words
        marker = {"paragraph": "", "heading": "## ", "item": "- ", "quote": "> "}[kind]
        position = draw(st.integers(0, len(words)))
        blocks.append(marker + " ".join([*words[:position], inline, *words[position:]]))
    return "\n\n".join(blocks), written


@settings(max_examples=300, deadline=None)
@given(texts_with_openers())
def test_an_opener_that_hides_words_is_reported(case: tuple[str, list[str]]) -> None:
    text, written = case
    result = render_markdown(canonical(text), SourceLocation("en.md"))
    if any(p.code in ("unclosed-html", "html-in-paragraph") for p in result.problems):
        return
    shown = page_text(result.html)
    missing = Counter(written) - Counter({w: shown.count(w) for w in WORDS})
    assert not missing, (text, result.html)
