"""Markdown → safe HTML: anchors, lists, tables, and hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from policygen.assembly import assemble_site
from policygen.canonical import CanonicalText
from policygen.errors import SourceLocation
from policygen.markdown import (
    _RECENT_SECTIONS,
    TABLE_SCROLL_OPEN,
    RenderedText,
    heading_anchor,
    present_text,
    read_title,
    render_markdown,
    render_whole,
    rendered_sections,
    resolve_policy_links,
    split_sections,
)
from policygen.sources import read_site

from ..conftest import EXAMPLE_AS_OF, NOW, ROOT

SPANISH = Path(__file__).parent.parent / "fixtures" / "spanish"
ENGLISH = Path(__file__).parent.parent / "fixtures" / "english"
"""Excerpts of Spanish policy texts (see its README)."""


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
        ("## Cookies {#4-cookies}\n", '<h2 id="4-cookies"><span id="cookies"></span>Cookies</h2>'),
        ("## Cookies {: #cookies .no_toc }\n", '<h2 id="cookies">Cookies</h2>'),
        ("## Cookies {: .no_toc }\n", '<h2 id="cookies">Cookies</h2>'),
        ("## Cookies \\{#cookies}\n", '<h2 id="cookies-cookies">Cookies {#cookies}</h2>'),
        (
            "## 4. Cookies {#custom}\n",
            '<h2 id="custom"><span id="4-cookies"></span>4. Cookies</h2>',
        ),
        (
            "## 4. A\n\n## 4. B\n",
            '<h2 id="section-4"><span id="4-a"></span>4. A</h2>\n<h2 id="4-b">4. B</h2>',
        ),
        (
            "## Cookies\n\n## More {#cookies}\n",
            '<h2 id="cookies-2"><span id="cookies_1"></span>Cookies</h2>\n'
            '<h2 id="cookies"><span id="more"></span>More</h2>',
        ),
        (
            "## Same\n\n## Same\n",
            '<h2 id="same">Same</h2>\n'
            '<h2 id="same-2"><span id="same-1"></span><span id="same_1"></span>Same</h2>',
        ),
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
    assert '<td class="align-right">2 years</td>' in html
    assert "style=" not in html, "alignment is a class: pages carry no inline style"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('<td style="text-align: center">x</td>', '<td class="align-center">x</td>'),
        (
            '<td style="text-align:RIGHT" colspan="2">x</td>',
            '<td colspan="2" class="align-right">x</td>',
        ),
        ('<th scope="col" style="color: red">x</th>', '<th scope="col">x</th>'),
        ('<td style="text-align: center; color: red">x</td>', '<td class="align-center">x</td>'),
        ('<td style="text-align:inherit">x</td>', "<td>x</td>"),
        (
            '<td title="a>b" style="text-align:left">x</td>',
            '<td title="a&gt;b" class="align-left">x</td>',
        ),
    ],
)
def test_raw_html_cells_keep_their_alignment_as_a_class(cell: str, shown: str) -> None:
    html = render(f"<table><tr>{cell}</tr></table>\n")
    assert shown in html
    assert "style=" not in html


@pytest.mark.parametrize(
    "raw, shown",
    [
        ('<div class="note">\n\nText.\n\n</div>', "<div>\n<p>Text.</p>\n</div>"),
        ('Go <a class="button" href="#x">here</a>.', '<p>Go <a href="#x">here</a>.</p>'),
        (
            '<sup class="tm">TM</sup> <ol class="parens fancy">\n<li>x</li>\n</ol>',
            '<ol class="parens">',
        ),
        # Words that read like an attribute are words.
        ('Write class="" in it.', '<p>Write class="" in it.</p>'),
    ],
)
def test_a_texts_own_classes_are_dropped_with_their_attribute(raw: str, shown: str) -> None:
    # The sanitizer left `class=""` on an element whose classes it dropped.
    html = render(raw + "\n")
    assert shown in html
    assert 'class=""' not in html.replace('Write class="" in it.', "")


def test_hard_line_breaks_and_autolinks() -> None:
    html = render("Tokyo\\\nJapan <info@example.org>\n")
    assert "Tokyo<br>" in html
    assert '<a href="mailto:info@example.org">info@example.org</a>' in html


@pytest.mark.parametrize(
    "text, html",
    [
        (
            "Write to privacy@example.org or see https://example.org/privacy.",
            '<p>Write to <a href="mailto:privacy@example.org">privacy@example.org</a> or see'
            ' <a href="https://example.org/privacy">https://example.org/privacy</a>.</p>\n',
        ),
        (
            "See www.example.org/terms, (https://example.org/a_b_) and mailto:a@example.org.",
            '<p>See <a href="http://www.example.org/terms">www.example.org/terms</a>,'
            ' (<a href="https://example.org/a_b_">https://example.org/a_b_</a>) and'
            ' <a href="mailto:a@example.org">mailto:a@example.org</a>.</p>\n',
        ),
        # Japanese, Chinese and Korean put no space after an address: it ends where their
        # words or punctuation start (JASSO's policy: "infoja@jasso.go.jpまで").
        (
            "詳しくはhttps://www.jasso.go.jp/about/をご覧ください。infoja@jasso.go.jpまで。",
            '<p>詳しくは<a href="https://www.jasso.go.jp/about/">https://www.jasso.go.jp/about/</a>'
            'をご覧ください。<a href="mailto:infoja@jasso.go.jp">infoja@jasso.go.jp</a>まで。</p>\n',
        ),
        (
            "자세한 내용은 privacy@example.kr으로 문의하십시오.",
            '<p>자세한 내용은 <a href="mailto:privacy@example.kr">privacy@example.kr</a>'
            "으로 문의하십시오.</p>\n",
        ),
        (
            "Voir « https://example.fr/cgu », https://example.fr/vie-privée»",
            '<p>Voir « <a href="https://example.fr/cgu">https://example.fr/cgu</a> »,'
            ' <a href="https://example.fr/vie-priv%C3%A9e">https://example.fr/vie-privée</a>»</p>\n',
        ),
        # Words written right before an email address, with no space, are no part of it:
        # Open Terms Archive's records of OLX Portugal's terms of service and happn's
        # (p2b-compliance-versions, dating-versions) linked to 'mailto:E-mail:…'.
        (
            "E-mail:juridico@centroarbitragemlisboa.pt",
            '<p>E-mail:<a href="mailto:juridico@centroarbitragemlisboa.pt">'
            "juridico@centroarbitragemlisboa.pt</a></p>\n",
        ),
        (
            "at the following address:dispute@happn.com.",
            '<p>at the following address:<a href="mailto:dispute@happn.com">dispute@happn.com</a>.'
            "</p>\n",
        ),
        (
            "To: a;b,c@example.org",
            '<p>To: a;b,<a href="mailto:c@example.org">c@example.org</a></p>\n',
        ),
        ("Write to:@example.org", "<p>Write to:@example.org</p>\n"),
        # The words are the address as written, not decoded.
        (
            "https://example.org/a%20b",
            '<p><a href="https://example.org/a%20b">https://example.org/a%20b</a></p>\n',
        ),
    ],
)
def test_bare_addresses_are_links(text: str, html: str) -> None:
    result = rendered(text + "\n")
    assert result.html == html
    assert result.problems == ()


@pytest.mark.parametrize(
    "text",
    [
        # A host's name alone is words: file names end as some countries' domains do.
        "Write en.md and site.yaml, or see example.com.",
        "`https://example.org/code` and <code>https://example.org/raw</code>",
        # An address the sanitizer would not publish stays words, without a warning.
        "ftp://ftp.example.org/terms.txt and //example.org/terms",
        "javascript:alert(1) and file:///etc/passwd",
        # A host named in Japanese is not cut into a link to part of it.
        "http://例え.jp/ です",
    ],
)
def test_words_that_are_not_addresses_stay_words(text: str) -> None:
    result = rendered(text + "\n")
    assert "href" not in result.html.replace('href="https://example.org/raw"', "")
    assert result.problems == ()


def test_a_bare_address_inside_a_link_is_not_linked_again() -> None:
    result = rendered(
        "[https://example.org](https://example.org/terms) and"
        ' <a href="https://example.org/a">https://example.org/b</a>\n'
    )
    assert result.html.count("<a ") == 2
    assert 'href="https://example.org/b"' not in result.html


@pytest.mark.parametrize(
    "text, html",
    [
        # A browser reads a backslash in an address as `/`: these words name good.example,
        # and a link to the whole of them (`%5C@`) would lead to evil.example.
        (
            "See https://good.example\\@evil.example now.",
            '<p>See <a href="https://good.example">https://good.example</a>@evil.example'
            " now.</p>\n",
        ),
        (
            "https://good.example\\x@evil.example/terms",
            '<p><a href="https://good.example">https://good.example</a>\\x@evil.example/terms'
            "</p>\n",
        ),
    ],
)
def test_a_bare_address_ends_before_a_backslash(text: str, html: str) -> None:
    assert rendered(text + "\n").html == html


def test_a_bare_address_with_look_alike_letters_is_said() -> None:
    result = rendered("See https://p\u0430ypal.com/terms\n")
    assert [problem.code for problem in result.problems] == ["mixed-scripts"]


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
    # Open, so that no word of the policy is folded away where a reader, a printer or its
    # PDF would not see it.
    assert '<details open=""><summary>More</summary>Hidden text</details>' in html
    assert "<img" not in html, "no images: another site would see who reads the policy"


def test_a_reading_in_ruby_stays_above_its_words() -> None:
    # Without <ruby> and <rt>, the reading would run on after the words: "個人情報こじんじょうほう".
    html = render(
        "<ruby>個人情報<rp>(</rp><rt>こじんじょうほう</rt><rp>)</rp></ruby>を守ります。\n"
    )
    assert (
        html
        == "<p><ruby>個人情報<rp>(</rp><rt>こじんじょうほう</rt><rp>)</rp></ruby>を守ります。</p>\n"
    )


SHRUNK = "stands inside more than 3 elements that each set words smaller ('<small>', '<sub>', '<sup>', '<rt>'): readers see a dot or nothing where source.md holds words; write them at the size of the text around them"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # Chromium shows 'not' at 0.17 px, and the nested <sub>s put 'never' 60 px below
        # its line: the page read "We will sell" and "We will share".
        (
            "We will " + "<small>" * 25 + "not" + "</small>" * 25 + " sell your data.\n",
            "x.md:1: error: 'not' " + SHRUNK,
        ),
        (
            "We will " + "<sub>" * 4 + "never" + "</sub>" * 4 + " share it.\n",
            "x.md:1: error: 'never' " + SHRUNK,
        ),
        (
            "A\n\n| a | b |\n|---|---|\n| <sup><sup><sub><small>never</small></sub></sup></sup> | x |\n",
            "x.md:5: error: 'never' " + SHRUNK,
        ),
        # Opened in HTML blocks, they hold the paragraphs after them.
        (
            "<small>\n<small>\n<sub>\n<sup>\n\nWe will not sell.\n\n</sup>\n</sub>\n</small>\n</small>\n",
            "x.md:6: error: 'We will not sell.' " + SHRUNK,
        ),
        (
            '<div><small><!-- <small> --><small><sub title="x"><sup>not</sup></sub></small></small></div>\n',
            "x.md:1: error: 'not' " + SHRUNK,
        ),
        # A paragraph's end closes a <sub> or a <sup>, never a <small>.
        (
            "<small><small><small><small>\n\nWe will not share it.\n",
            "x.md:3: error: 'We will not share it.' " + SHRUNK,
        ),
        ("<sup><sup><sup><sup>\n\nWe will share it.\n", None),
        # As many as words need.
        (
            "H<sub>2</sub>O, Brand<sup><small>TM</small></sup>, "
            "<small><ruby>漢<rt>かん</rt></ruby></small>, "
            "<small><small><small>three</small></small></small>, "
            "`<small><small><small><small>code`.\n",
            None,
        ),
    ],
)
def test_words_set_too_small_to_read_are_an_error(text: str, problem: str | None) -> None:
    assert [str(p) for p in rendered(text).problems if p.code == "shrunk-words"] == (
        [problem] if problem else []
    )


DROPPED = "this row has more cells than its table's header: readers see nothing of '{}', though source.md holds it; give the table a column for it, or write \\| for a '|' that is text"


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        # GitHub's cookie policy (github/site-policy at 3c3deca): a row of LinkedIn's
        # cookies ends with an address in a fifth cell, under four headings.
        (
            "Provider | Cookie | Use | Kept\n--- | --- | --- | ---\n"
            "[LinkedIn](https://www.linkedin.com/legal/privacy-policy) | `li_giant` | "
            "Conversion tracking. | 7 Days | https://www.linkedin.com/legal/privacy-policy\n",
            ["x.md:3: warning: " + DROPPED.format("https://www.linkedin.com/legal/privacy-p…")],
        ),
        (
            "> | a | b |\n> |---|---|\n> | x | y | z |\n",
            ["x.md:3: warning: " + DROPPED.format("z")],
        ),
        (
            "- item\n\n  | a | b |\n  |---|---|\n  | x | y | z |\n",
            ["x.md:5: warning: " + DROPPED.format("z")],
        ),
        # Cells the page shows: fewer than the header's (made empty), an empty one past
        # them, and a '|' that is text.
        ("| a | b |\n|---|---|\n| x |\n| x | y | |\n| x | y \\| z |\n", []),
    ],
)
def test_cells_past_the_header_of_a_table_are_warned_of(text: str, problems: list[str]) -> None:
    assert [str(p) for p in rendered(text).problems if p.code == "dropped-cells"] == problems


UNLIKE = "so it makes no table: readers see both as written, '|' and '---' and all; write as many columns of dashes as the row above has cells, or give it as many cells (an empty cell is '| |')"


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "| Name | Use |\n| --- | --- | --- |\n| a | b | c |\n",
            [
                "x.md:2: warning: this line of dashes has 3 columns and the row above it 2 cells, "
                + UNLIKE
            ],
        ),
        # Perplexity's privacy policy, as Open Terms Archive records it: a wide header cell.
        (
            "| Recipients | Purpose |\n| --- | --- | --- |\n",
            [
                "x.md:2: warning: this line of dashes has 3 columns and the row above it 2 cells, "
                + UNLIKE
            ],
        ),
        (
            "Name | Use | Kept\n--- | ---\n",
            [
                "x.md:2: warning: this line of dashes has 2 columns and the row above it 3 cells, "
                + UNLIKE
            ],
        ),
        # Tables, a heading underlined, and a '|' that is text: nothing to say.
        ("| a | b |\n| --- | :-: |\n| x | y |\n\na | b\n--- | ---\n\nx | y\n---\n", []),
        ("| a \\| b | c |\n| --- | --- |\n", []),
    ],
)
def test_a_header_row_unlike_its_dashes_is_warned_of(text: str, problems: list[str]) -> None:
    assert [str(p) for p in rendered(text).problems if p.code == "table-not-read"] == problems


UNSHOWN = "shows nothing on the page: readers never see '{}', though source.md holds it (policygen keeps only an attribute list's #id); write the words in the text, or remove them"


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "We keep your name.\n{: We sell it to anyone }\n",
            [
                "x.md:2: warning: the attribute list '{: We sell it to anyone }' "
                + UNSHOWN.format("We sell it to anyone")
            ],
        ),
        (
            '## 1. Sharing {: #sharing title="We sell your data" }\n',
            [
                "x.md:1: warning: the attribute list '{: #sharing title=\"We sell your data\" }' "
                + UNSHOWN.format("We sell your data")
            ],
        ),
        (
            "We keep it {: title='for ever and ever' }\n",
            [
                "x.md:1: warning: the attribute list '{: title='for ever and ever' }' "
                + UNSHOWN.format("for ever and ever")
            ],
        ),
        (
            'Text.\n\nA [link](https://x.example/){: title="We sell data"} and **it**{: We sell }.\n',
            [
                "x.md:3: warning: the attribute list '{: title=\"We sell data\"}' "
                + UNSHOWN.format("We sell data"),
                "x.md:3: warning: the attribute list '{: We sell }' " + UNSHOWN.format("We sell"),
            ],
        ),
        (
            "{:ref: We sell everything}\n\nText\n",
            [
                "x.md:1: warning: the attribute list '{:ref: We sell everything}' "
                + UNSHOWN.format("We sell everything")
            ],
        ),
        # Shown as written, in code or after marks that close nothing; words of no one.
        ("```\n{: We sell everything }\n```\n\n2 ** 3{: We sell it }\n", []),
        (
            'Text\n{: #id .lead .no_toc target="_blank" style="color: red; margin: 0" }\n\n- a\n{:toc}\n',
            [],
        ),
    ],
)
def test_words_an_attribute_list_holds_are_warned_of(text: str, problems: list[str]) -> None:
    found = [str(p) for p in rendered(text).problems if p.code == "unshown-attributes"]
    assert sorted(found) == sorted(problems)


TAKEN = "links to that section lead here instead; choose another id, or write it on that heading"


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        # Links to section 1 led to the clause on selling, and the heading of section 1 was
        # given the anchor "#1-sharing", without a word.
        (
            "## 1. Sharing\n\nWe never share.\n\n## 2. Selling {#section-1}\n\nWe sell.\n",
            [
                "x.md:5: warning: the id '#section-1' is the anchor of the heading '1. Sharing' (line 1): "
                + TAKEN
            ],
        ),
        (
            '## 1. Sharing\n\n## 2. Selling\n\nText.\n\n<div id="section-2">Other words</div>\n',
            [
                "x.md:7: warning: the id '#section-2' is the anchor of the heading '2. Selling' (line 3): "
                + TAKEN
            ],
        ),
        (
            "## 4.2 Keeping\n\nKept {: #section-4-2 }\n",
            [
                "x.md:3: warning: the id '#section-4-2' is the anchor of the heading '4.2 Keeping' (line 1): "
                + TAKEN
            ],
        ),
        # In another section of the text, which is read apart from this one.
        (
            "## 1. Sharing\n\nA.\n\n## 2. Selling {#selling}\n\nB.\n\n## 3. Other\n\n"
            '<div id="section-2">Other words</div>\n',
            [
                "x.md:11: warning: the id '#section-2' is the anchor of the heading '2. Selling' (line 5): "
                + TAKEN
            ],
        ),
        # The same place: on the heading itself, or an anchor right before it.
        ("## 1. Sharing {#section-1}\n\n## 2. Selling\n", []),
        (
            '<a id="section-1"></a>\n\n## 1. Sharing\n\n<a name="section-2"></a>\n## 2. Selling\n',
            [],
        ),
        # An id of a section no heading is numbered with.
        ('## 1. Sharing\n\n<div id="section-9">Nine</div>\n', []),
    ],
)
def test_an_id_that_is_the_anchor_of_another_section_is_warned_of(
    text: str, problems: list[str]
) -> None:
    found = [str(p) for p in rendered(text).problems if p.code == "section-anchor-taken"]
    assert found == problems


def test_policy_links_resolve_per_page() -> None:
    html = render(
        '[Cookies](policy:cookies#section-2 "More") and [the *terms*](policy:terms)\n\n'
        '<p>Or <a title="x" href="policy:cookies">here</a>, <a href="policy:terms">there</a>.</p>\n'
    )
    resolved = resolve_policy_links(
        html, lambda policy, fragment: f"../{policy}/{fragment}" if policy == "cookies" else None
    )
    assert '<a href="../cookies/#section-2" title="More">Cookies</a>' in resolved
    assert '<a title="x" href="../cookies/">here</a>' in resolved
    # A policy with no page yet (all its revisions scheduled): its words, never a dead link.
    assert "and the <em>terms</em></p>" in resolved
    assert "here</a>, there.</p>" in resolved


def test_links_and_headings_carry_file_lines() -> None:
    text = "## 1. A\n\nSee [x](#section-1).\n"
    rendered = render_markdown(CanonicalText(text, (10, 11, 12)), SourceLocation("x.md"))
    assert [(h.id, h.line) for h in rendered.headings] == [("section-1", 10)]
    assert [(link.href, link.line) for link in rendered.links] == [("#section-1", 12)]


def test_ids_of_the_page_around_the_text_are_reserved() -> None:
    rendered = render_markdown(
        CanonicalText("## PG Main\n\n## X {#pg-title}\n", (5, 6, 7)), SourceLocation("x.md")
    )
    assert [h.id for h in rendered.headings] == ["h-pg-main", "pg-title"]
    assert [str(p) for p in rendered.problems] == [
        "x.md:7: error: ids starting with 'pg-' are reserved for the page around the text: choose another than '#pg-title'"
    ]


def test_images_are_shown_as_their_descriptions_and_reported() -> None:
    # Wikimedia's Terms of Use, as Open Terms Archive records them, write an address with
    # images for its '@' and '.': dropped whole, they left 'infowikimediaorg'.
    text = (
        "Logo:\n\n![Logo](https://cdn.example/logo.png)\n\n"
        "Write to info![@](at.png)wikimedia![.](dot.png)org.\n\n"
        "| Sold | [![Yes](tick.png)](#why) ![](rule.png) |\n|---|---|\n"
    )
    rendered = render_markdown(
        CanonicalText(text, tuple(range(4, text.count("\n") + 5))), SourceLocation("x.md")
    )
    assert "<img" not in rendered.html
    assert "<p>Logo</p>" in rendered.html
    assert "<p>Write to info@wikimedia.org.</p>" in rendered.html
    assert '<th><a href="#why">Yes</a> </th>' in rendered.html
    shown = "is shown in its place: check that it says what the image shows"
    assert [str(p) for p in rendered.problems] == [
        f"x.md:6: warning: images are not published ('https://cdn.example/logo.png'): policy pages load nothing from elsewhere; its description, 'Logo', {shown}",
        f"x.md:8: warning: images are not published ('at.png'): policy pages load nothing from elsewhere; its description, '@', {shown}",
        f"x.md:8: warning: images are not published ('dot.png'): policy pages load nothing from elsewhere; its description, '.', {shown}",
        "x.md:10: warning: images are not published ('rule.png'): policy pages load nothing from elsewhere; describe it in words",
        f"x.md:10: warning: images are not published ('tick.png'): policy pages load nothing from elsewhere; its description, 'Yes', {shown}",
    ]


def test_html_images_are_shown_as_their_descriptions_and_reported() -> None:
    # An HTML <img> reads as its alt text, as a Markdown image does; its description is text
    # however it is written, and an image in a comment stays hidden with it.
    text = (
        'Write to info<img src="at.png" alt="@">example.org.\n\n'
        '<p>A <IMG SRC=x ALT=\'<b>bold</b> &amp; "q"\' onerror=alert(1)> B <img src="rule.png"></p>\n\n'
        "| Sold |\n|---|\n| <img alt=Yes src=tick.png/> |\n\n"
        'C <!-- <img alt="hidden"> --> D\n'
    )
    rendered = render_markdown(
        CanonicalText(text, tuple(range(1, text.count("\n") + 2))), SourceLocation("x.md")
    )
    assert "<img" not in rendered.html and "<b>" not in rendered.html
    assert "<p>Write to info@example.org.</p>" in rendered.html
    assert '<p>A &lt;b&gt;bold&lt;/b&gt; &amp; "q" B </p>' in rendered.html
    assert "<td>Yes</td>" in rendered.html
    assert "<p>C  D</p>" in rendered.html
    shown = "is shown in its place: check that it says what the image shows"
    unpublished = "images are not published ('<img>'): policy pages load nothing from elsewhere"
    assert sorted(str(p) for p in rendered.problems) == [
        f"x.md:1: warning: {unpublished}; its description, '@', {shown}",
        f"x.md:3: warning: {unpublished}; describe it in words",
        f"x.md:3: warning: {unpublished}; its description, '<b>bold</b> & \"q\"', {shown}",
        f"x.md:7: warning: {unpublished}; its description, 'Yes', {shown}",
    ]


def test_asterisks_that_make_nothing_bold_are_reported() -> None:
    # Automattic's privacy policy: "**Basic account information: **We ask…" shows its
    # asterisks, on GitHub as here: a closing ** must touch the word before it.
    text = (
        "- **Basic account information: **We ask for your name.\n"
        "- **Public profile:** Your profile is public.\n\n"
        "| What | Why |\n|---|---|\n| **Email: **to write | \\*\\*escaped\\*\\* |\n\n"
        "See <https://example.org/**path**> and `**code**`, and ***Woo** Services*.\n"
    )
    rendered = render_markdown(
        CanonicalText(text, tuple(range(10, 10 + text.count("\n") + 1))), SourceLocation("x.md")
    )
    assert "**Basic account information: **We" in rendered.html
    advice = "and makes nothing bold: ** goes right against the words it makes bold, **like this** (or write \\*\\* for the asterisks themselves)"
    assert [str(p) for p in rendered.problems] == [
        f"x.md:10: warning: '**' shows as written in '**Basic account information: **We', {advice}",
        f"x.md:15: warning: '**' shows as written in '**Email: **to', {advice}",
    ]


def test_lines_meant_as_headings_or_list_items_without_their_space_are_reported() -> None:
    # From Mozilla's legal-docs: a zh-TW heading with no space after ###, an es-ES one with a
    # no-break space after ##, and a ja list written 1.Mozilla…, 2.Mozilla….
    text = (
        "###為所有使用者增強安全性\n\n"
        "##\u00a0Legislación aplicable\n\n"
        "権利:\n1.Mozilla があなたに関する\n2.Mozilla が持っている\n\n"
        "2.5 million people, #1 in trust.\n#1 priority and 3.2 percent.\n\n"
        "As said in Section\n1.A of the Agreement, wrapped\n#hashtags stay words.\n\n"
        "    ##code is code\n"
    )
    rendered = render_markdown(
        CanonicalText(text, tuple(range(1, text.count("\n") + 2))), SourceLocation("x.md")
    )
    assert "<h3" not in rendered.html and "<ol" not in rendered.html
    assert [str(p) for p in rendered.problems] == [
        "x.md:1: warning: '###' has no space after it, so this line is no heading: readers see '###為所有使用者增強安全性' as written, in the paragraph around it; put a plain space after ###",
        "x.md:3: warning: '##' has a no-break space after it, so this line is no heading: readers see '##\u00a0Legislación aplicable' as written, in the paragraph around it; put a plain space after ## instead",
        "x.md:6: warning: '1.' has no space after it, so this line starts no list item: readers see '1.Mozilla があなたに関する' as written, in the paragraph around it; put a space after 1.",
    ]


def test_a_list_indented_into_code_is_reported() -> None:
    # Apache's code of conduct indents a list seven spaces into an item of three: Markdown
    # reads it as code. Code that is no list is left alone.
    text = (
        "5. **Be careful.** This includes:\n\n"
        "       * Violent threats or language directed against another person.\n"
        "       * Sexist jokes.\n\n"
        "6. **Be concise.**\n\n"
        "       12) numbered too\n\n"
        "Text.\n\n    a quotation, indented\n    - and a dash\n"
    )
    rendered = render_markdown(
        CanonicalText(text, tuple(range(1, text.count("\n") + 2))), SourceLocation("x.md")
    )
    assert rendered.html.count("<pre>") == 3
    advice = "indent it less, as far as the text of the item it belongs to, or not at all"
    assert [str(p) for p in rendered.problems] == [
        f"x.md:3: warning: this list is indented 4 spaces or more past the text before it, so readers see it as code, its lines as written ('* Violent threats or language directed…'): {advice}",
        f"x.md:8: warning: this list is indented 4 spaces or more past the text before it, so readers see it as code, its lines as written ('12) numbered too'): {advice}",
    ]


# Texts are rendered a section at a time, each distinct section once: the result must be
# exactly that of rendering the whole text, problems and their lines included.
RAW_HTML_LEFT_OPEN = "Raw HTML left open: <b>bold on, <i>and italic"
SECTION_SNIPPETS = [
    "## 1. Who we are\n\nWe are Example.",
    "## 1. Who we are\n\nThe same number again.",
    "## 2. Data {#data}\n\n- one\n- two\n\n  still two",
    "## Data {#data}\n\nAn explicit id used twice.",
    "## pg-main {#pg-main}\n\nA reserved id.",
    "### 2.1 Lists\n\n1) first\n2) second",
    "## Terms\n\n- **Account: **asterisks that show",
    "## Rights\n\nYour rights:\n1.To know",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "> quoted\n> text",
    "Setext heading\n--------------",
    "#hashtag is not a heading",
    "#### Deep heading\nright after it a paragraph",
    "![logo](logo.png) an image",
    "See [the policy](policy:cookies#section-2) and [x](#data).",
    "    indented code\n\n    ## not a heading",
    "1. item\n\n       * a list read as code",
    "A footnote.[^1]\n\n[^1]: Its note.",
    "## 3. Notes\n\nMarked twice.[^1] Two marks.[^1][^2] No note.[^9]",
    "[^2]: A note\n\n    of two paragraphs.",
    "```\n## inside a fence\n\n## still inside\n```",
    "<div>\n\n## inside HTML\n\n</div>",
    "[ref]: https://example.org\n\nA [link][ref].",
    "Uses [a reference][ref] defined elsewhere.",
    "- [ref]: https://example.org/in-a-list\n\nA [ref] to it.",
    "> [ref]: https://example.org/in-a-quote",
    "[two\nlines]: https://example.org\n\n[two lines]",
    "- item\n\n## Heading right after a list",
    "* [ ] not a task list\n\n#  Two spaces",
    "#",
    "We collect data.\n{: #data }",
    "{: #who }",
    "{#who}\n- a list\n- with an id before it",
    "## 1. Who we are\n{: #who }",
    "- one\n- two\n{: #list }",
    'A raw <a name="data"></a> anchor and <a id="who"></a>.',
    "See [who](#1-who-we-are), [data](#data-1) and [us](#1-who-we-are-1).",
    "### 1\\. Escaped",
    RAW_HTML_LEFT_OPEN,
    "Raw HTML closed: <kbd>Ctrl</kbd> and <span>a span</span>.",
    "A tag character written as a reference: &#xE0041;.",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SECTION_SNIPPETS), min_size=1, max_size=8))
# Raw HTML left open: the sanitizer's parser opens it again in the next section's heading.
@example(snippets=[RAW_HTML_LEFT_OPEN, SECTION_SNIPPETS[0]])
# A link reference defined in a list, used in a later section.
@example(snippets=["- [ref]: https://example.org/in-a-list", SECTION_SNIPPETS[0], "A [ref]."])
def test_rendering_by_sections_equals_rendering_the_whole_text(snippets: list[str]) -> None:
    text = "\n\n".join(snippets) + "\n"
    canonical = CanonicalText(text, tuple(range(3, text.count("\n") + 4)))
    where = SourceLocation("content/p/r/en.md")
    whole = render_whole(canonical, where)
    assert render_markdown(canonical, where) == whole
    # What rendering the text kept of its sections for its redlines, and what reading them
    # again gives.
    sections = rendered_sections(text)
    _RECENT_SECTIONS.htmls.clear()
    assert rendered_sections(text) == sections
    assert sections is None or "".join(sections) == whole.html


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
        ("[c]: https://example.org\n\nA [b][c]\n\n## d\n", None),
        ("A\n   <div>\n\n## d\n\n</div>\n", None),
        ("A\n    <div>\n\n## d\n", [(0, "A\n    <div>\n"), (3, "## d\n")]),
        ("- [c]: https://example.org\n\n## d\n\nA [c]\n", None),
        ("> [c]: https://example.org\n\n## d\n\nA [c]\n", None),
        ("[c\nd]: https://example.org\n\n## d\n\nA [c d]\n", None),
    ],
)
def test_texts_are_cut_before_headings_that_follow_an_empty_line(
    text: str, parts: list[tuple[int, str]] | None
) -> None:
    assert split_sections(text) == parts


def rendered(text: str) -> RenderedText:
    return render_markdown(
        CanonicalText(text, tuple(range(1, text.count("\n") + 2))), SourceLocation("x.md")
    )


# Attribute lists as policy repositories write them: Python-Markdown's attr_list (on the last
# line of a paragraph or list item), kramdown's block lists (alone on the line after a block,
# or before one), and markdown-it's attrs_block (the line before).
@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("We collect data.\n{: #personal-info }\n", '<p id="personal-info">We collect data.</p>'),
        ("We collect data.\n{:#personal-info}\n", '<p id="personal-info">We collect data.</p>'),
        ("We collect\ndata.\n{#personal-info}\n", '<p id="personal-info">We collect\ndata.</p>'),
        ("{#personal-info}\nWe collect data.\n", '<p id="personal-info">We collect data.</p>'),
        ("{: #personal-info}\nWe collect data.\n", '<p id="personal-info">We collect data.</p>'),
        ("{#personal-info}\n\nWe collect data.\n", '<p id="personal-info">We collect data.</p>'),
        (
            "- Name\n- E-mail\n  {: #email }\n",
            '<ul>\n<li>Name</li>\n<li id="email">E-mail</li>\n</ul>',
        ),
        (
            "1. Name\n   {: #name }\n2. E-mail\n",
            '<ol>\n<li id="name">Name</li>\n<li>E-mail</li>\n</ol>',
        ),
        (
            "- Name\n\n- E-mail\n  {: #email }\n",
            '<ul>\n<li>\n<p>Name</p>\n</li>\n<li>\n<p id="email">E-mail</p>\n</li>\n</ul>',
        ),
        (
            "- [1. Introduction](#introduction)\n- [2. Data](#data)\n{: #toc .toc-list}\n",
            '<ul id="toc">\n<li><a href="#introduction">1. Introduction</a></li>\n'
            '<li><a href="#data">2. Data</a></li>\n</ul>',
        ),
        ("> Quoted.\n{: #quote }\n", '<blockquote id="quote">\n<p>Quoted.</p>\n</blockquote>'),
        ("> Quoted.\n> {: #quote }\n", '<blockquote>\n<p id="quote">Quoted.</p>\n</blockquote>'),
        (
            "## 2. Information We Collect\n{: #information-we-collect}\n",
            '<h2 id="information-we-collect"><span id="2-information-we-collect"></span>2. Information We Collect</h2>',
        ),
        (
            "## Keys\n{: #key-names}\n{: faq}\n",
            '<h2 id="key-names"><span id="keys"></span>Keys</h2>',
        ),
        ("***\n{: #rule }\n", '<hr id="rule">'),
        ("{:shortdesc: .shortdesc}\nShort.\n{: shortdesc}\n", "<p>Short.</p>"),
        ("A paragraph.\n{: .lead title=\"Lead\" target='_blank' }\n", "<p>A paragraph.</p>"),
        (
            'See [the FAQ](https://example.org/faq){:target="_blank"}.\n',
            '<p>See <a href="https://example.org/faq">the FAQ</a>.</p>',
        ),
        (
            "See [us](#us){: #back } and `ga`{#ga}.\n",
            '<p>See <a href="#us" id="back">us</a> and <code id="ga">ga</code>.</p>',
        ),
        # Right after emphasis, as Python-Markdown reads it: Mozilla's Firefox Privacy Notice
        # of 2017 gave a list item's title its anchors so, and showed '{: #thirdparty }'.
        (
            "* **Referral and Campaign Tracking**{: #thirdparty }\n",
            '<ul>\n<li><strong id="thirdparty">Referral and Campaign Tracking</strong></li>\n</ul>',
        ),
        ("An *opt-out*{: #opt-out } link.\n", '<p>An <em id="opt-out">opt-out</em> link.</p>'),
        (
            "__Telemetry__{:#telemetry} data.\n",
            '<p><strong id="telemetry">Telemetry</strong> data.</p>',
        ),
        (
            "***Both***{: #both }\n",
            '<p><em id="both"><strong>Both</strong></em></p>',
        ),
        ("**Lead**{: .lead }: text.\n", "<p><strong>Lead</strong>: text.</p>"),
        # Classes chained as kramdown reads them: the Italian Department for Digital
        # Transformation's privacy notices (github.com/teamdigitale/innovazione.gov.it-site,
        # 2019-2020) put '{:.mt-5.max-w-40}' over each heading, and showed it 8 times a page.
        (
            "{:.mt-5.max-w-40}\n## Titolare del trattamento\n",
            '<h2 id="titolare-del-trattamento">Titolare del trattamento</h2>',
        ),
        ("{:.lead#keep}\nWe keep it.\n", '<p id="keep">We keep it.</p>'),
        ("We keep it.\n{: #keep.lead .wide }\n", '<p id="keep.lead">We keep it.</p>'),
        # At the end of a paragraph's last line, as at the end of a heading: Mozilla's Common
        # Voice privacy notice and terms showed '{: datetime="2025-10-31" }' after their date.
        (
            'Effective October 31, 2025 {: datetime="2025-10-31" }\n',
            "<p>Effective October 31, 2025</p>",
        ),
        ("We keep it.\nFor a year. {: #keep }\n", '<p id="keep">We keep it.\nFor a year.</p>'),
        ("- Alpha {: #alpha }\n- Beta\n", '<ul>\n<li id="alpha">Alpha</li>\n<li>Beta</li>\n</ul>'),
        ("Ends with {Company}\n", "<p>Ends with {Company}</p>"),
        ("Ends with {a=b}\n", "<p>Ends with {a=b}</p>"),
        # Not attribute lists: text.
        ("2 ** 3{: #power }\n", "<p>2 ** 3{: #power }</p>"),
        ("A **b**c*{: #x }\n", "<p>A <strong>b</strong>c*{: #x }</p>"),
        ("{Company} shares nothing.\n", "<p>{Company} shares nothing.</p>"),
        ("Braces {#inside} a line.\n", "<p>Braces {#inside} a line.</p>"),
        ("{}\n", "<p>{}</p>"),
        ("    {: #code }\n", "<pre><code>{: #code }\n</code></pre>"),
        ("{#_under}\nText.\n", "<p>{#_under}\nText.</p>"),
        ("{:.lead.}\nText.\n", "<p>{:.lead.}\nText.</p>"),
    ],
)
def test_attribute_lists_set_ids_and_never_show(markdown: str, html: str) -> None:
    assert rendered(markdown).html.strip() == html


def test_an_attribute_list_at_the_margin_of_a_list_item_leaves_its_text_in_the_item() -> None:
    """Mozilla's Aviso de privacidad de Firefox (see tests/fixtures/spanish): a list item's
    id on its last line, at the margin, and its text going on in paragraphs indented by four
    spaces, as Python-Markdown reads them; they showed as code, their Markdown as written."""
    text = rendered((SPANISH / "item-attribute-list.md").read_text(encoding="utf-8"))
    assert (
        '<li>\n<p id="referraltracking"><strong>Datos de campaña y de referencia</strong>:'
        in text.html
    )
    assert "<p><em>En ordenadores de escritorio</em>: Firefox envía" in text.html
    assert "<p><em>En dispositivos iOS y Android</em>: Firefox envía" in text.html
    assert "<pre" not in text.html and "_En" not in text.html
    assert '<ul id="thirdparty">' in text.html and text.html.count("<ul") == 2
    assert not text.problems


def test_an_attribute_list_at_the_margin_of_an_ordered_item_keeps_the_list_open() -> None:
    assert rendered("1. One.\n{: #one }\n\n   On.\n2. Two.\n").html.startswith(
        '<ol>\n<li>\n<p id="one">One.</p>\n<p>On.</p>\n</li>\n<li>\n<p>Two.</p>'
    )


def test_an_attribute_list_after_a_table_sets_its_id() -> None:
    text = rendered("| Cookie | Duration |\n|---|---|\n| _ga | 2 years |\n{: #cookie-table }\n")
    assert TABLE_SCROLL_OPEN + '<table id="cookie-table">' in text.html
    assert "{:" not in text.html and "cookie-table" in text.ids


def test_an_attribute_list_that_belongs_to_no_block_is_reported() -> None:
    text = rendered("- one\n\n  {: #stray }\n\nNext.\n")
    assert [str(p) for p in text.problems] == [
        "x.md:3: warning: the attribute list '{: #stray }' belongs to no block, so nothing gets the id '#stray': write it on the line right after the block (or right before it)"
    ]
    assert "stray" not in text.html and "stray" not in text.ids


def test_raw_html_anchors_are_ids_of_the_page() -> None:
    text = rendered(
        '* <a name="public-account-data"></a>\n  **Public account data**\n\n'
        '<p><a id="contact"></a>Contact</p>\n\n'
        '<a name="has space"></a> <script id="gone"></script> <a id="kept" name="other">x</a>\n'
    )
    assert '<a id="public-account-data"></a>' in text.html
    assert '<a id="contact"></a>' in text.html
    assert '<a id="kept">x</a>' in text.html and "has space" not in text.html
    assert text.ids == {"public-account-data", "contact", "kept"}


def test_every_id_of_a_text_is_unique() -> None:
    text = rendered('## Data {#data}\n\nWe keep it.\n{: #data }\n\n<a id="data"></a>\n\n## Data\n')
    assert [str(p) for p in text.problems] == [
        "x.md:4: error: the id '#data' is already used on line 1: every id on a page must be unique",
        "x.md:6: error: the id '#data' is already used on line 1: every id on a page must be unique",
    ]
    assert text.headings[1].id == "data-2", "an anchor made from the text makes way"


@pytest.mark.parametrize(
    "heading",
    [
        "### 1\\. Defined Terms",
        "## **1.** Defined Terms",
        "## [1. Defined Terms](#x)",
        "## *1. Defined* Terms",
        "## `1.` Defined Terms",
        "## 1&#46; Defined Terms",
        "1\\. Defined Terms\n-----------------",
        "1\\. Defined Terms\n=================",
    ],
)
def test_section_numbers_are_read_from_the_heading_as_shown(heading: str) -> None:
    text = rendered(heading + "\n")
    assert [(h.id, h.text) for h in text.headings] == [("section-1", "1. Defined Terms")]


def test_links_written_for_github_or_python_markdown_lead_to_the_heading() -> None:
    text = rendered(
        "- [Account controls](#1-account-controls)\n- [Terms](#terms_1)\n"
        "- [US rights](#us-privacy-rights)\n- [Nowhere](#nowhere)\n\n"
        "## Terms\n\n### 1. Account Controls\n\n## Terms\n\n## U.S. Privacy Rights\n"
    )
    assert [h.id for h in text.headings] == ["terms", "section-1", "terms-2", "u-s-privacy-rights"]
    assert '<a href="#section-1">Account controls</a>' in text.html
    assert '<a href="#terms-2">Terms</a>' in text.html
    assert '<a href="#u-s-privacy-rights">US rights</a>' in text.html
    assert '<a href="#nowhere">Nowhere</a>' in text.html
    # Links from other sites, written for the same anchors, land too.
    assert '<h3 id="section-1"><span id="1-account-controls"></span>' in text.html
    assert '<h2 id="terms-2"><span id="terms-1"></span><span id="terms_1"></span>' in text.html
    assert {"1-account-controls", "terms-1", "terms_1", "us-privacy-rights"} <= text.ids


def test_an_alias_never_takes_an_id_the_text_has() -> None:
    text = rendered("## 1. Scope\n\nIntro.\n{: #1-scope }\n")
    assert '<h2 id="section-1">1. Scope</h2>' in text.html
    assert '<p id="1-scope">' in text.html and not text.problems


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# Privacy Policy\n\n## 1. Scope\n", "Privacy Policy"),
        ("# Privacy *Policy* {#top}\n\nText.\n", "Privacy Policy"),
        ("Privacy Policy\n==============\n\nText.\n", "Privacy Policy"),
        ("# 1\\. Terms\n", "1. Terms"),
        ("## Privacy Policy\n", None),
        ("Last updated: today.\n\n# Privacy Policy\n", None),
        ("# Part A\n\nText.\n\n# Part B\n", None),
        ("# Part A\n\nPart B\n======\n", None),
    ],
)
def test_a_text_titles_itself_with_its_only_level_one_heading(text: str, title: str | None) -> None:
    assert read_title(text) == title


@pytest.mark.parametrize(
    ("text", "title", "html", "toc"),
    [
        (
            "# Privacy Policy\n\n## 1. Scope\n\nText.\n",
            "Privacy Policy",
            '<span id="privacy-policy"></span><h2 id="section-1"><span id="1-scope"></span>1. Scope</h2>\n<p>Text.</p>\n',
            ["section-1"],
        ),
        (
            "## privacy  policy\n\n## 1. Scope\n",
            "Privacy Policy",
            '<span id="privacy-policy"></span><span id="privacy--policy"></span>'
            '<h2 id="section-1"><span id="1-scope"></span>1. Scope</h2>\n',
            ["section-1"],
        ),
        (
            "# Acme Privacy Notice\n\n## 1. Scope\n",
            "Privacy Policy",
            '<h2 id="acme-privacy-notice">Acme Privacy Notice</h2>\n<h3 id="section-1"><span id="1-scope"></span>1. Scope</h3>\n',
            ["section-1"],
        ),
        (
            "# 1. One\n\n# 2. Two\n\n###### Deep\n",
            "Terms",
            '<h2 id="section-1"><span id="1-one"></span>1. One</h2>\n<h2 id="section-2"><span id="2-two"></span>2. Two</h2>\n<h6 id="deep">Deep</h6>\n',
            ["section-1", "section-2", "deep"],
        ),
        (
            "## 1. Scope\n",
            "Terms",
            '<h2 id="section-1"><span id="1-scope"></span>1. Scope</h2>\n',
            ["section-1"],
        ),
    ],
)
def test_a_page_shows_one_level_one_heading_its_title(
    text: str, title: str, html: str, toc: list[str]
) -> None:
    body, headings = present_text(rendered(text), title)
    assert body == html
    assert [h.id for h in headings] == toc


def test_headings_and_lists_a_table_cell_holds_after_line_breaks_are_shown_as_such() -> None:
    # From Buffer's Terms of Service, converted from its web page: the cells of its table
    # held headings, paragraphs and lists, which the converter wrote on one line, parted by
    # <br>. Their marks must not show; an escaped number stays words.
    text = (
        "| Legal language | Summary |\n| --- | --- |\n"
        "| #### Buffer, Inc Terms of Use<br><br>Welcome, and thank you. | By using Buffer. |\n"
        "| **8.3 Terms Specific to Buffer Creator**<br><br>the following terms of OpenAI:<br><br>"
        "*   a. OpenAI Terms of Service<br>*   **b.** OpenAI Sharing Policy<br><br>"
        "We may impose limits. | x |\n"
        "| **11.3 Procedure**<br><br>3.  an electronic or physical signature;<br>"
        "4.  a description | **1\\. SERVICE**<br><br>Yes<br>  <br>No |\n"
    )
    html = render(text)
    assert "<td><h4>Buffer, Inc Terms of Use</h4>Welcome, and thank you.</td>" in html
    assert (
        "<td><strong>8.3 Terms Specific to Buffer Creator</strong><br><br>the following terms"
        " of OpenAI:<ul><li>a. OpenAI Terms of Service</li><li><strong>b.</strong> OpenAI"
        " Sharing Policy</li></ul>We may impose limits.</td>"
    ) in html
    assert (
        '<td><strong>11.3 Procedure</strong><ol start="3"><li>an electronic or physical'
        " signature;</li><li>a description</li></ol></td>"
    ) in html
    assert "<td><strong>1. SERVICE</strong><br><br>Yes<br>  <br>No</td>" in html


def test_a_cell_of_one_item_in_a_table_of_cell_lists_is_a_list() -> None:
    # Anthropic's Privacy Policy as Open Terms Archive recorded it (genai-eu-versions, commit
    # 15d9e40): each row's legal bases are a list, "*   Contract" alone where there is one,
    # with no line break: readers saw "*   Contract" beside lists.
    html = render((ENGLISH / "anthropic-legal-bases.md").read_text(encoding="utf-8"))
    assert html.count("<td><ul><li>Contract</li></ul></td>") == 3
    assert "*" not in html
    assert (
        "<td><ul><li>Legitimate interests</li><li>Legal obligation</li></ul>It is in our"
    ) in html


@pytest.mark.parametrize(
    "row",
    [
        "| # of days<br>at most | - none |",
        "| - | 1. the first |",
        "| #### not after a break | x<br>2022. A year |",
        "| x<br>#hashtag<br>-5 % | y |",
        "| - | * one |\n| a<br>b | c<br>d |",
    ],
)
def test_table_cells_without_a_block_after_a_line_break_are_left_as_written(row: str) -> None:
    html = render(f"| a | b |\n| --- | --- |\n{row}\n")
    assert not re.search(r"<(h[1-6]|ul|ol|li)[ >]", html)


def test_a_line_of_dashes_with_words_after_it_is_reported_as_no_table() -> None:
    # Buffer's Terms of Service and Privacy Policy, converted from their web pages: a table's
    # caption written after an empty row's line of dashes. Markdown reads no table there.
    text = (
        "|     |     |\n| --- | --- |2023 Terms of Use\n"
        "| Legal language | Summary |\n| --- | --- |\n| The following sets forth. | Short. |\n\n"
        "| Cookie | Duration |\n|:--|--:|Cookies we set\n\n"
        "Prices | --- | words, and\n| a line |\n"
    )
    rendered = render_markdown(
        CanonicalText(text, tuple(range(1, text.count("\n") + 2))), SourceLocation("x.md")
    )
    what = "words follow the last '|' of this line of dashes, so it makes no table: readers see it and the row above it as written, '|' and '---' and all"
    assert [str(p) for p in rendered.problems] == [
        f"x.md:2: warning: {what}; remove it and the row of empty cells above it, and keep '2023 Terms of Use' as a paragraph of its own",
        f"x.md:8: warning: {what}; end it at its last '|' (|:--|--:|) and put 'Cookies we set' on a line of its own, after an empty line",
    ]


def test_a_link_to_a_numbered_headings_anchor_without_its_number_leads_to_it() -> None:
    # Buffer's Privacy Policy, converted from its web page: its list of sections links to the
    # page's anchors, which leave the headings' numbers out.
    text = (
        "*   [1\\. Personal Information We May Collect](#personal-information-we-may-collect)\n"
        "*   [8\\. Children’s Privacy](#childrens-privacy)\n\n"
        "### 1\\. Personal Information We May Collect\n\nWe collect.\n\n"
        "### 8\\. Children’s Privacy\n\nNot for children.\n\n"
        "### 9\\. Updates to this Policy\n\nWe update it.\n"
    )
    result = rendered(text)
    assert '<a href="#section-1">1. Personal Information We May Collect</a>' in result.html
    assert '<a href="#section-8">8. Children’s Privacy</a>' in result.html
    assert {"personal-information-we-may-collect", "childrens-privacy"} <= result.ids
    assert "updates-to-this-policy" not in result.ids, "no link uses it: no alias"
    assert result.html.count("<span id=") == 2 + 3  # GitHub's anchors and the two of the words


@pytest.mark.parametrize(
    "text",
    [
        "Pour modifier votre consentement, [cliquez-ici](javascript:openAxeptioCookies())\n",
        "Pour modifier votre consentement, [cliquez-ici][js]\n\n[js]: javascript:x()\n",
        "Pour modifier votre consentement, [cliquez-ici](JavaScript&#58;x())\n",
        "Pour modifier votre consentement, [cliquez-ici](file:///C:/cookies.html)\n",
        # The sanitizer keeps http:, https:, mailto:, tel: and policy: addresses only.
        "Pour modifier votre consentement, [cliquez-ici](ftp://ftp.example.org/cookies.txt)\n",
        "Pour modifier votre consentement, [cliquez-ici](data:image/png;base64,AAAA)\n",
        'Pour modifier votre consentement, <a href="javascript:x()">cliquez-ici</a>\n',
        'Pour modifier votre consentement, <a href=" FTP://x.org/a">cliquez-ici</a>\n',
    ],
)
def test_a_link_to_a_script_shows_its_words_without_a_link(text: str) -> None:
    # Vertbaudet's privacy policy, copied from its web page, showed
    # "[cliquez-ici](javascript:openAxeptioCookies())" as written.
    result = rendered(text)
    assert result.html.replace("<a>", "").replace("</a>", "") == (
        "<p>Pour modifier votre consentement, cliquez-ici</p>\n"
    )
    assert [problem.code for problem in result.problems] == ["script-link"]


def test_a_ruby_fallback_that_holds_words_is_an_error() -> None:
    # Browsers that show ruby hide what an <rp> holds: it is for a reading's parentheses.
    fine = rendered("<ruby>個人情報<rp>（</rp><rt>こじんじょうほう</rt><rp>)</rp></ruby>を守る。\n")
    assert fine.problems == ()
    hiding = rendered("<ruby>Data<rp>We may sell it.</rp><rt>d</rt></ruby> is safe.\n")
    assert [(p.code, p.message) for p in hiding.problems] == [
        (
            "unclosed-html",
            "'<rp>' holds words ('We may sell it.'), which browsers that show ruby hide: it is for the parentheses around a reading, such as '('; write the words outside it",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        "See [](#scope) the scope.\n",
        "See [ ](https://example.org/terms) the terms.\n",
        'See <a href="https://example.org/terms"></a> the terms.\n',
        '<p>See <a id="x" href="#scope"> </A> the scope.</p>\n',
    ],
)
def test_a_link_with_no_words_is_said(text: str) -> None:
    assert [p.code for p in rendered(text).problems] == ["empty-link"]


def test_links_a_page_may_hold_are_kept_without_a_warning() -> None:
    result = rendered(
        "[a](https://example.org) [b](HTTP://example.org) [c](mailto:a@example.org)"
        " [d](tel:+33123456789) [e](#top) [f](/terms) [g](terms#javascript:x)"
        ' <a href="https://example.org">h</a> <a href="MAILTO:a@example.org">i</a>\n'
    )
    assert result.html.count("<a href=") == 9
    assert [problem.code for problem in result.problems if problem.code == "script-link"] == []


def test_a_link_to_a_script_is_told_as_written() -> None:
    # Vertbaudet's other link to a script: "[" and "'" are not told as %5B and %27.
    result = rendered("[veuillez cliquer ici](javascript:window._uxa.push(['optout']);).\n")
    assert result.html == "<p>veuillez cliquer ici.</p>\n"
    assert "leads to 'javascript:window._uxa.push(['optout']);'" in str(result.problems[0])


def test_a_link_to_a_numbered_headings_words_without_their_accents_leads_to_it() -> None:
    # Vertbaudet's privacy policy, converted from its web page, lists its sections as links
    # to the page's anchors: the words after the number, accents dropped.
    text = (ROOT / "tests" / "fixtures" / "french" / "accented-contents.md").read_text()
    result = rendered(text)
    assert '<a href="#section-1">1. Identité du responsable de traitement</a>' in result.html
    assert '<a href="#section-3-2">3. Sécurité des données</a>' in result.html
    assert '<a href="#section-4">4. Offres commerciales</a>' in result.html
    assert result.problems == ()


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "Hackers' Pub は、ソフトウェアエンジニアおよびテクノロジー愛好家のための\n"
            "招待制ソーシャルネットワークであり、[ActivityPub](https://www.w3.org/TR/activitypub/)\n"
            "フェデレーションプロトコルを基盤としています。",
            "<p>Hackers' Pub は、ソフトウェアエンジニアおよびテクノロジー愛好家のための"
            '招待制ソーシャルネットワークであり、<a href="https://www.w3.org/TR/activitypub/">'
            "ActivityPub</a>\nフェデレーションプロトコルを基盤としています。</p>\n",
        ),
        (
            "我们不会出售\n**您的**个人数据。",
            "<p>我们不会出售<strong>您的</strong>个人数据。</p>\n",
        ),
        # Korean puts spaces between words, as English does: its line break stays one.
        (
            "개인정보를 의도적으로\n수집하지 않습니다.",
            "<p>개인정보를 의도적으로\n수집하지 않습니다.</p>\n",
        ),
        ("データ\nand data", "<p>データ\nand data</p>\n"),
    ],
    ids=["japanese", "chinese", "korean", "mixed"],
)
def test_a_line_break_between_two_chinese_or_japanese_characters_is_no_space(
    text: str, html: str
) -> None:
    """Hackers' Pub's Privacy Policy in Japanese and Chinese (github.com/hackers-pub/
    hackerspub, PRIVACY_POLICY.ja.md, 2026) is wrapped at a width: browsers showed a space
    in the middle of a sentence at each of its line breaks."""
    assert render(text + "\n") == html


def test_headings_sharing_an_id_give_its_aliases_to_the_first_alone() -> None:
    # Thousands of headings with the same id (an error) each took every alias of that id:
    # millions of elements, and 'check' took seconds per 30 KB of such a text.
    rendered = render_markdown(
        CanonicalText("## A {#same}\n\nWords.\n\n" * 2000, tuple(range(1, 6002))),
        SourceLocation("x.md"),
    )
    assert rendered.html.count('<h2 id="same"><span id="a"></span>') == 1
    assert rendered.html.count("<span id=") < 2 * 2000
    assert sum(problem.code == "duplicate-anchor" for problem in rendered.problems) == 1999


def test_an_id_set_at_the_end_of_a_list_items_line_is_one_of_the_page() -> None:
    text = rendered("- Alpha {: #dup }\n- Beta\n\n## Dup {#dup}\n")
    assert [str(p).split(": ", 2)[-1] for p in text.problems] == [
        "the id '#dup' is already used on line 1: every id on a page must be unique"
    ]
