"""Markdown → safe HTML: anchors, lists, tables, and hostile input."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.assembly import assemble_site
from policygen.canonical import CanonicalText
from policygen.errors import SourceLocation
from policygen.markdown import (
    TABLE_SCROLL_OPEN,
    heading_anchor,
    render_markdown,
    render_whole,
    resolve_policy_links,
    split_sections,
)
from policygen.sources import read_site

from ..conftest import EXAMPLE_AS_OF, NOW, ROOT


def render(text: str) -> str:
    return render_markdown(
        CanonicalText(text, tuple(range(1, text.count("\n") + 2))), SourceLocation("x.md")
    ).html


@pytest.mark.parametrize(
    "heading, anchor",
    [
        ("4. Cookies", "section-4"),
        ("4.2 Analytics", "section-4-2"),
        ("12. Contact Information", "section-12"),
        ("4. クッキー", "section-4"),
        ("４．２ 全角の番号", "section-4-2"),
        ("4.個人情報", "section-4"),
        ("４．個人情報", "section-4"),
        ("4.2", "section-4-2"),
        ("§ 7. Security", "section-7"),
        ("Who we are", "who-we-are"),
        ("(1) Our services", "1-our-services"),
        ("2022 in review", "2022-in-review"),
        ("4 Cookies", "4-cookies"),
        ("4.2. Analytics", "section-4-2"),
        ("個人情報", "個人情報"),
        ("!!!", "section"),
    ],
)
def test_heading_anchors(heading: str, anchor: str) -> None:
    assert heading_anchor(heading) == anchor


@pytest.mark.parametrize(
    "markdown, html",
    [
        ("## Cookies {#cookies}\n", '<h2 id="cookies">Cookies</h2>'),
        ("## Cookies {: #cookies }\n", '<h2 id="cookies">Cookies</h2>'),
        ("## Cookies {#4-cookies}\n", '<h2 id="4-cookies">Cookies</h2>'),
        ("## 4. Cookies {#custom}\n", '<h2 id="custom">4. Cookies</h2>'),
        ("## 4. A\n\n## 4. B\n", '<h2 id="section-4">4. A</h2>\n<h2 id="4-b">4. B</h2>'),
        ("## Same\n\n## Same\n", '<h2 id="same">Same</h2>\n<h2 id="same-2">Same</h2>'),
    ],
)
def test_heading_ids(markdown: str, html: str) -> None:
    assert render(markdown).strip() == html


def test_parenthesized_lists_are_marked_for_their_numbering() -> None:
    assert '<ol class="parens">' in render("1) First\n2) Second\n")
    assert "<ol>" in render("1. First\n2. Second\n")


def test_tables_survive_with_alignment_and_scroll() -> None:
    html = render("| Cookie | Duration |\n|:--|--:|\n| _ga | 2 years |\n")
    assert TABLE_SCROLL_OPEN + "<table>" in html and html.rstrip().endswith("</table></div>")
    assert 'tabindex="0" role="region"' in TABLE_SCROLL_OPEN, "the keyboard can scroll it"
    assert '<td style="text-align:right">2 years</td>' in html


def test_hard_line_breaks_and_autolinks() -> None:
    html = render("Tokyo\\\nJapan <info@example.org>\n")
    assert "Tokyo<br>" in html
    assert '<a href="mailto:info@example.org">info@example.org</a>' in html


HOSTILE = """\
<script>alert('script')</script>
<style>body { display: none }</style>
<iframe src="https://evil.example"></iframe>
<form action="https://evil.example"><input name="card"></form>
<img src="x.png" onerror="alert('onerror')">
<a href="javascript:alert('href')">click</a>
<a href="JaVaScRiPt:alert('mixed case')">click</a>
<a href="data:text/html,<script>alert('data')</script>">data</a>
<div onclick="alert('onclick')" style="position:fixed">div</div>
<object data="evil.swf"></object><embed src="evil.swf">
<svg onload="alert('svg')"><circle r="1"/></svg>
<math><mi xlink:href="javascript:alert('math')">x</mi></math>
<meta http-equiv="refresh" content="0;url=https://evil.example">
<link rel="stylesheet" href="https://evil.example/x.css">
<base href="https://evil.example/">
<!-- <script>alert('comment')</script> -->

[markdown link](javascript:alert('md'))
[vbscript](vbscript:msgbox)
![image](javascript:alert('img'))

<table><tr><th>Kept</th><td><b>bold</b> and <sup>1</sup></td></tr></table>
<details><summary>More</summary>Hidden text</details>
"""


def test_hostile_markdown_never_reaches_a_page() -> None:
    html = render(HOSTILE).lower()
    for tag in (
        "script",
        "style",
        "iframe",
        "form",
        "input",
        "object",
        "embed",
        "svg",
        "math",
        "meta",
        "link",
        "base",
    ):
        assert f"<{tag}" not in html, tag
    assert not re.search(r"\son\w+=", html), "event handler attribute"
    assert not re.search(r"(href|src|action)=\"\s*(javascript|vbscript|data):", html), "unsafe URL"
    assert "position" not in html and "evil.example" not in html


def test_structural_html_survives_sanitizing() -> None:
    html = render(HOSTILE)
    assert (
        "<table><tbody><tr><th>Kept</th><td><b>bold</b> and <sup>1</sup></td></tr></tbody></table>"
        in html
    )
    assert "<details><summary>More</summary>Hidden text</details>" in html
    assert "<img" not in html, "no images: another site would see who reads the policy"


def test_policy_links_resolve_per_page() -> None:
    html = render("[Cookies](policy:cookies#section-2) and [terms](policy:terms)\n")
    resolved = resolve_policy_links(
        html, lambda policy, fragment: f"../{policy}/{fragment}" if policy == "cookies" else None
    )
    assert '<a href="../cookies/#section-2">Cookies</a>' in resolved
    assert '<a href="#">terms</a>' in resolved


def test_links_and_headings_carry_file_lines() -> None:
    text = "## 1. A\n\nSee [x](#section-1).\n"
    rendered = render_markdown(CanonicalText(text, (10, 11, 12)), SourceLocation("x.md"))
    assert [(h.id, h.line) for h in rendered.headings] == [("section-1", 10)]
    assert [(link.href, link.line) for link in rendered.links] == [("#section-1", 12)]


def test_ids_of_the_page_around_the_text_are_reserved() -> None:
    rendered = render_markdown(
        CanonicalText("## PG Main\n\n## X {#pg-title}\n", (5, 6, 7)), SourceLocation("x.md")
    )
    assert [h.id for h in rendered.headings] == ["h-pg-main", "h-pg-title"]
    assert [str(p) for p in rendered.problems] == [
        "x.md:7: error: ids starting with 'pg-' are reserved for the page around the text: choose another than '#pg-title'"
    ]


def test_images_are_reported_not_silently_dropped() -> None:
    rendered = render_markdown(
        CanonicalText("Logo:\n\n![Logo](https://cdn.example/logo.png)\n", (4, 5, 6)),
        SourceLocation("x.md"),
    )
    assert "<img" not in rendered.html
    assert [str(p) for p in rendered.problems] == [
        "x.md:6: warning: images are not published ('https://cdn.example/logo.png'): policy pages load nothing from elsewhere; describe it in words"
    ]


# Texts are rendered a section at a time, each distinct section once: the result must be
# exactly that of rendering the whole text, problems and their lines included.
SECTION_SNIPPETS = [
    "## 1. Who we are\n\nWe are Example.",
    "## 1. Who we are\n\nThe same number again.",
    "## 2. Data {#data}\n\n- one\n- two\n\n  still two",
    "## Data {#data}\n\nAn explicit id used twice.",
    "## pg-main {#pg-main}\n\nA reserved id.",
    "### 2.1 Lists\n\n1) first\n2) second",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "> quoted\n> text",
    "Setext heading\n--------------",
    "#hashtag is not a heading",
    "#### Deep heading\nright after it a paragraph",
    "![logo](logo.png) an image",
    "See [the policy](policy:cookies#section-2) and [x](#data).",
    "    indented code\n\n    ## not a heading",
    "```\n## inside a fence\n\n## still inside\n```",
    "<div>\n\n## inside HTML\n\n</div>",
    "[ref]: https://example.org\n\nA [link][ref].",
    "Uses [a reference][ref] defined elsewhere.",
    "- item\n\n## Heading right after a list",
    "* [ ] not a task list\n\n#  Two spaces",
    "#",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SECTION_SNIPPETS), min_size=1, max_size=8))
def test_rendering_by_sections_equals_rendering_the_whole_text(snippets: list[str]) -> None:
    text = "\n\n".join(snippets) + "\n"
    canonical = CanonicalText(text, tuple(range(3, text.count("\n") + 4)))
    where = SourceLocation("content/p/r/en.md")
    assert render_markdown(canonical, where) == render_whole(canonical, where)


def test_the_example_texts_render_the_same_by_sections() -> None:
    sources, _ = read_site(ROOT)
    site, _ = assemble_site(sources, EXAMPLE_AS_OF, NOW)
    assert site is not None
    where = SourceLocation("x.md")
    texts = {
        document.sha256: document.canonical
        for policy in site.policies
        for revision in policy.all_revisions
        for document in revision.documents.values()
    }
    assert len(texts) > 10
    for canonical in texts.values():
        assert split_sections(canonical.text) is not None
        assert render_markdown(canonical, where) == render_whole(canonical, where)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "Intro\n\n## 1. A\n\nText\n\n## 2. B\n",
            [(0, "Intro\n"), (2, "## 1. A\n\nText\n"), (6, "## 2. B\n")],
        ),
        ("## 1. A\n### 1.1 Sub\n", [(0, "## 1. A\n### 1.1 Sub\n")]),
        ("A\n\n```\n\n## x\n```\n", None),
        ("A [b][c]\n\n## d\n\n[c]: https://example.org\n", None),
    ],
)
def test_texts_are_cut_before_headings_that_follow_an_empty_line(
    text: str, parts: list[tuple[int, str]] | None
) -> None:
    assert split_sections(text) == parts
