"""The pure parts of import: HTML → Markdown, and what it notes."""

from __future__ import annotations

import re
import time
from html import escape as escape_html
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from policygen.canonical import CanonicalText
from policygen.errors import SourceLocation
from policygen.importing.docx import convert_docx
from policygen.importing.escaping import escape_line_starts
from policygen.importing.html import (
    convert_html_page,
    is_plain_table,
    raw_html,
)
from policygen.importing.markdown import convert_markdown
from policygen.importing.wordlists import renumber_lists
from policygen.markdown import TABLE_DASHES_WITH_WORDS, render_markdown

from ..fixtures.word import (
    make_bold_sections_docx,
    make_bylaw_styles_docx,
    make_contents_docx,
    make_hidden_text_docx,
    make_list_style_docx,
    make_numbered_headings_docx,
    make_numbered_lists_docx,
    make_numbers_docx,
    make_outline_levels_docx,
    make_paragraph_break_changes_docx,
    make_subtitle_docx,
)
from ..timing import assert_in_proportion

FRENCH = Path(__file__).parent.parent / "fixtures" / "french"
"""Excerpts of French policy texts, as recorded from their web pages (see its README)."""
GERMAN = Path(__file__).parent.parent / "fixtures" / "german"
"""Excerpts of German policy texts, as recorded from their web pages (see its README)."""
ENGLISH = Path(__file__).parent.parent / "fixtures" / "english"
"""Excerpts of English policy texts, as recorded from their web pages (see its README)."""
GREEK = Path(__file__).parent.parent / "fixtures" / "greek"
"""Excerpts of Greek policy texts, as recorded from their web pages (see its README)."""
POLISH = Path(__file__).parent.parent / "fixtures" / "polish"
"""Excerpts of Polish policy texts, as recorded from their web pages (see its README)."""
DUTCH = Path(__file__).parent.parent / "fixtures" / "dutch"
"""Excerpts of Dutch policy texts, as recorded from their web pages (see its README)."""
JAPANESE = Path(__file__).parent.parent / "fixtures" / "japanese"
"""Excerpts of Japanese policy texts, as kept in their repositories (see its README)."""


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("1. Not a list", "1\\. Not a list"),
        ("2) Nor this", "2\\) Nor this"),
        ("- nor this", "\\- nor this"),
        ("# nor a heading", "\\# nor a heading"),
        ("> nor a quote", "\\> nor a quote"),
        ("line\\\n1. after a break", "line\\\n1\\. after a break"),
        ("2024. A year", "2024\\. A year"),
        ("In 2024. A year", "In 2024. A year"),
        ("1.5 percent", "1.5 percent"),
        ("::: region europe", "\\::: region europe"),
    ],
)
def test_text_that_would_start_a_block_is_escaped(text: str, escaped: str) -> None:
    assert escape_line_starts(text) == escaped


def _table(html: str) -> Tag:
    table = BeautifulSoup(html, "html.parser").table
    assert table is not None
    return table


@pytest.mark.parametrize(
    ("html", "is_plain"),
    [
        ("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>", True),
        ("<table><tr><td><p>one paragraph</p></td></tr></table>", True),
        ("<table><tr><td colspan='2'>a</td></tr><tr><td>1</td><td>2</td></tr></table>", False),
        ("<table><tr><td rowspan='2'>a</td><td>b</td></tr><tr><td>2</td></tr></table>", False),
        ("<table><tr><td><p>one</p><p>two</p></td></tr></table>", False),
        ("<table><tr><td><ul><li>x</li></ul></td></tr></table>", False),
        ("<table><tr><td>a<br>b</td></tr></table>", False),
    ],
)
def test_a_pipe_table_holds_only_simple_tables(html: str, is_plain: bool) -> None:
    assert is_plain_table(_table(html)) is is_plain


def test_raw_html_keeps_only_what_the_sanitizer_keeps() -> None:
    table = _table(
        '<table class="x" onclick="evil()">\n  <tr style="color:red"><td colspan="2" data-x="1">'
        '<a href="javascript:alert(1)">a</a> <a href="https://e.org">b</a> &lt;c&gt;</td></tr>\n</table>'
    )
    assert raw_html(table) == (
        '<table><tr><td colspan="2"><a>a</a> <a href="https://e.org">b</a> &lt;c&gt;</td></tr>\n</table>'
    )


def test_a_page_without_main_keeps_its_largest_text_block() -> None:
    page = (
        "<html><head><title>Terms – Shop</title></head><body>"
        "<div id='top'><nav>Home | Shop</nav></div>"
        "<div id='wrap'><div id='content'><h2>1. Use</h2><p>"
        + "Use the shop kindly. "
        * 20
        + "</p><p>See <a href='/help'>help</a>.</p></div>"
        "<div class='side'>Offers</div></div></body></html>"
    )
    converted = convert_html_page(page)
    assert converted.title == "Terms"
    assert converted.body.startswith("## 1. Use\n\nUse the shop kindly.")
    assert [(n.line, n.message) for n in converted.notes] == [
        (None, "the title 'Terms' was taken from the page's <title>"),
        (1, 'left out the page\'s <nav>: "Home | Shop"'),
        (1, 'left out the page\'s <div>: "Offers"'),
        (
            1,
            "the link '/help' on \"help\" is relative to the page it came from and will not work from the policy site: write the whole address",
        ),
    ]


def test_markdown_headings_start_at_level_two() -> None:
    converted = convert_markdown(
        "Intro\n=====\n\nText.\n\n# 1. One\n\n## 1.1 Sub\n\nSetext\n------\n"
    )
    assert converted.title == "Intro", "the first thing, unnumbered: the title"
    assert converted.body == "Text.\n\n## 1. One\n\n### 1.1 Sub\n\n### Setext\n"


def test_a_table_caption_written_after_the_dashes_of_an_empty_row_is_its_own_paragraph() -> None:
    """Buffer's Terms of Service and Privacy Policy, as converted from their web pages: each
    table's caption after the dashes of an empty first row, which made no table, so readers
    saw the pipes and dashes. The caption's words are kept, the empty row goes."""
    converted = convert_markdown(
        "Intro.\n\n|     |     |\n| --- | --- |2023 Terms of Use\n"
        "| Legal language | Summary |\n| --- | --- |\n| The following. | Short. |\n\n"
        "|  |  |  |\n| --- | --- | --- |Sub-processors\n\n"
        "| a | b |\n| --- | --- |Not a caption: the row above has words\n"
    )
    assert converted.body == (
        "Intro.\n\n2023 Terms of Use\n\n"
        "| Legal language | Summary |\n| --- | --- |\n| The following. | Short. |\n\n"
        "Sub-processors\n\n"
        "| a | b |\n| --- | --- |Not a caption: the row above has words\n"
    )
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            4,
            "'2023 Terms of Use' stood after a row of empty cells and its line of dashes, which made no table (a web page's table caption, as converters write it): the words are now a paragraph of their own, the row and dashes gone",
        ),
        (
            10,
            "'Sub-processors' stood after a row of empty cells and its line of dashes, which made no table (a web page's table caption, as converters write it): the words are now a paragraph of their own, the row and dashes gone",
        ),
    ]
    rendered = render_markdown(
        CanonicalText(converted.body, tuple(range(1, converted.body.count("\n") + 2))),
        SourceLocation("x.md"),
    )
    # Only the line whose row has words is still reported, for its writer to mend.
    assert [(p.location.line, p.code) for p in rendered.problems] == [(12, "table-not-read")]


def test_a_table_whose_first_row_is_empty_comes_in_whole() -> None:
    """BlaBlaCar's Politique de confidentialité opens its tables with a row of empty cells, its
    headings in bold in the next row: a table all the same. It came in with its line of dashes
    taken for a caption, `--- |` made a paragraph and every row shown as written, pipes and all."""
    text = (FRENCH / "empty-header-table.md").read_text(encoding="utf-8")
    converted = convert_markdown(text)
    assert converted.body == text
    assert converted.notes == ()
    rendered = render_markdown(
        CanonicalText(text, tuple(range(1, text.count("\n") + 2))), SourceLocation("fr.md")
    )
    assert "<td><strong>FINALITES</strong></td>" in rendered.html
    assert "|" not in rendered.html
    assert rendered.problems == ()


def test_a_headings_link_to_itself_goes_and_links_to_its_anchor_lead_to_the_heading() -> None:
    """Telegram's Datenschutzerklärung, as recorded from its web page, opens each heading with
    an empty link to the page's anchor (`[](#8-4-ubersetzung-von-nachrichten-auf-wunsch-des-nutzers)`),
    and its contents and list of changes link to those anchors, which no renderer's rule makes
    (dots made hyphens, accents dropped, cut at 64 characters): 68 empty links on each page,
    and every link of its contents leading nowhere, in all 18 versions."""
    converted = convert_markdown((GERMAN / "telegram-permalinks.md").read_text(encoding="utf-8"))
    body = converted.body
    assert "[]" not in body
    assert "### 1\\. Einleitung\n" in body
    assert "(#section-2)" in body
    assert "[deine Rechte bezüglich deiner personenbezogenen Daten.](#section-9)" in body
    assert "[8.4](#section-8-4) und [1.4](#section-1-4) aktualisiert." in body
    # A heading without a number keeps the page's anchor, as its own.
    assert (
        "Nutzungsbedingungen für Telegram Sterne {#nutzungsbedingungen-fur-telegram-sterne}\n---"
        in body
    )
    assert "[Telegram Sterne](#nutzungsbedingungen-fur-telegram-sterne)" in body
    assert "unter **[https://telegram.org/tos/de](https://telegram.org/tos/de)** verfügbar" in body
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            6,
            "left out a link with no words, to 'https://telegram.org/tos/de': readers could not see it",
        )
    ]
    rendered = render_markdown(
        CanonicalText(body, tuple(range(1, body.count("\n") + 2))), SourceLocation("de.md")
    )
    assert re.search(r"<a [^>]*></a>", rendered.html) is None
    assert '<h4 id="section-8-4">' in rendered.html
    assert 'id="nutzungsbedingungen-fur-telegram-sterne"' in rendered.html
    assert rendered.problems == ()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("## [¶](#terms)Terms\n\n[See](#terms).\n", "## Terms {#terms}\n\n[See](#terms).\n"),
        # Its id is written: the page's anchor is not made another.
        ("## [](#a)1. Terms {#terms}\n\n[See](#a).\n", "## 1. Terms {#terms}\n\n[See](#a).\n"),
        # A second "1." gets no section anchor in policygen: it keeps the page's.
        (
            "## [](#a)1. A\n\n## [](#b)1. B\n\n[A](#a), [B](#b).\n",
            "## 1. A\n\n## 1. B {#b}\n\n[A](#section-1), [B](#b).\n",
        ),
        ("## Terms[](https://example.com/)\n", "## Terms\n"),
        ("Words [¶](#x), `[](#x)` and ![](#x).\n", "Words [¶](#x), `[](#x)` and ![](#x).\n"),
        ("    [](#x)\n\n## [](#x)1. X\n", "    [](#x)\n\n## 1. X\n"),
    ],
)
def test_links_with_no_words_go_and_what_has_words_stays(text: str, kept: str) -> None:
    assert convert_markdown(text).body == kept


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # LoveScout24's Datenschutzbestimmungen, from 2018 to 2023.
        (
            "**UNSERE VERPFLICHTUNG IHNEN GEGENÜBER**\n========================================\n\nText.\n",
            "UNSERE VERPFLICHTUNG IHNEN GEGENÜBER",
        ),
        ("# Terms of *Service*\n\nText.\n", "Terms of Service"),
        ("# [](#t)Nutzungsbedingungen für `Premium`\n\nText.\n", "Nutzungsbedingungen für Premium"),
        ("# AT\\&T Privacy\n\nText.\n", "AT&T Privacy"),
    ],
)
def test_a_title_comes_in_as_it_reads_without_its_markdown(text: str, title: str) -> None:
    assert convert_markdown(text).title == title


@pytest.mark.parametrize(
    ("line", "written"),
    [
        # OTOMOTO's Regulamin dla Klientów Biznesowych, definition 13 (Open Terms Archive).
        ("13_._ Opłata Progowa - opłata", "13<em>.</em> Opłata Progowa - opłata"),
        # Rakuten's Conditions Particulières Pro (Open Terms Archive).
        (
            "(ci-après « Conditions Particulières Pro_»_)",
            "(ci-après « Conditions Particulières Pro<em>»</em>)",
        ),
        # Underscores Markdown reads as such, and addresses, stay as they are.
        ("a snake_case_name and _italics_.", "a snake_case_name and _italics_."),
        (
            "[PDF](https://a.example/Drivers_-_Ireland__PDF_.pdf).",
            "[PDF](https://a.example/Drivers_-_Ireland__PDF_.pdf).",
        ),
        ("see https://a.example/a_._b here", "see https://a.example/a_._b here"),
        ("`13_._` here", "`13_._` here"),
    ],
)
def test_marks_in_italics_markdown_would_show_as_underscores_come_in_as_html(
    line: str, written: str
) -> None:
    """Readers of OTOMOTO's Regulamin saw '13_._ Opłata Progowa': the web page showed the
    definition's dot in italics, and Markdown reads no emphasis within a word."""
    converted = convert_markdown(f"Texte.\n\n{line}\n")
    assert converted.body == f"Texte.\n\n{written}\n"
    if line != written:
        rendered = render_markdown(
            CanonicalText(converted.body, (1, 2, 3)), SourceLocation("pl.md")
        )
        assert "<em>" in rendered.html
        assert "_" not in rendered.html


@pytest.mark.parametrize(
    ("line", "written"),
    [
        # BlaBlaCar's Politique de confidentialité numbers a paragraph so (14 versions).
        (
            "**4.9.**Conformément à la réglementation applicable, les paiements sont traités",
            "<strong>4.9.</strong>Conformément à la réglementation applicable, les paiements sont traités",
        ),
        ("voir l’article**(3)** ci-dessous", "voir l’article<strong>(3)</strong> ci-dessous"),
        # Markdown reads these as bold: left as they are.
        ("**4.9.** Conformément, **3.1** exécuter", "**4.9.** Conformément, **3.1** exécuter"),
        ("**Client :** désigne", "**Client :** désigne"),
        ("**«** guillemets **»**.", "**«** guillemets **»**."),
        ("`**4.9.**Conformément`", "`**4.9.**Conformément`"),
        ("MINUTES****PAYANTES", "MINUTES****PAYANTES"),
    ],
)
def test_bold_words_markdown_would_show_as_asterisks_come_in_as_html(
    line: str, written: str
) -> None:
    converted = convert_markdown(f"Texte.\n\n{line}\n\n    **4.9.**Conformément\n")
    assert converted.body == f"Texte.\n\n{written}\n\n    **4.9.**Conformément\n"
    assert converted.notes == ()


@pytest.mark.parametrize(
    ("line", "written"),
    [
        # Mozilla's Firefox Privacy Notice (2017 to 2018, eight versions): an anchor for the
        # links to #referraltracking, in marks around a space, which Python-Markdown makes
        # an empty <strong> and CommonMark shows as written.
        (
            "* **Referral and Campaign Tracking**{: #thirdparty } ** **{: #referraltracking }",
            '* **Referral and Campaign Tracking**{: #thirdparty } <a id="referraltracking"></a>',
        ),
        ("Text _ _{:#here} more.", 'Text <a id="here"></a> more.'),
        # Not empty, or not an id: left as written.
        ("2 ** 3 **{: .x }", "2 ** 3 **{: .x }"),
        ("`** **{: #code }`", "`** **{: #code }`"),
        ("\\** **{: #escaped }", "\\** **{: #escaped }"),
    ],
)
def test_empty_emphasis_holding_an_id_comes_in_as_an_anchor(line: str, written: str) -> None:
    converted = convert_markdown(f"Texte.\n\n{line}\n")
    assert converted.body == f"Texte.\n\n{written}\n"
    assert len(converted.notes) == (line != written)


@pytest.mark.parametrize(
    "line",
    ["| --- | --- |", "| --- | ---", "|:---|---:|", "| --- | --- |   "],
)
def test_a_line_of_dashes_alone_has_no_words_after_it(line: str) -> None:
    assert TABLE_DASHES_WITH_WORDS.fullmatch(line) is None
    fenced = "```\n|  |  |\n| --- | --- |Code\n```\n"
    assert convert_markdown(fenced).body == fenced


def test_headings_word_numbers_itself_keep_their_numbers() -> None:
    """The numbers are written into the headings, where they give the sections' anchors."""
    assert convert_docx(make_numbered_headings_docx()).body == (
        "## 1. Definitions\n\nWords.\n\n### 1.1 Terms\n\nWords.\n\n### 1.2 More terms\n\nWords.\n\n"
        "## 2. Your rights\n\nWords.\n\n### 2.1 Access\n\nWords.\n\n#### 2.1.1 Copies\n\nWords.\n"
    )


def test_bold_numbered_paragraphs_of_a_text_without_heading_styles_are_headings() -> None:
    """Let's Encrypt's Subscriber Agreement: written in Word without Heading styles, it was
    imported with no heading, so its pages had no contents and its redlines no sections, and
    with the policy id as its title."""
    converted = convert_docx(make_bold_sections_docx())
    assert converted.title == "Example Corp Subscriber Agreement"
    assert converted.body == (
        "This agreement is between you and us.\n\n"
        "## 1. Definitions and Terms\n\nWords mean what they say.\n\n"
        "## 2. Term and Survival\n\n### 2.1 Term\n\nIt lasts a year.\n\n### 2.2. Survival\n\n"
        # Bold words that end as a sentence does are words in bold.
        "**PLEASE READ THIS CAREFULLY:**\n\n**3. You accept these terms by using the service.**\n"
    )
    assert [note.message for note in converted.notes] == [
        "4 bold paragraphs that start with a section number (the first: '1. Definitions and Terms') were made headings, as the document has no Heading style, and its first bold words, 'Example Corp Subscriber Agreement', its title"
    ]


def test_a_text_with_heading_styles_keeps_its_bold_paragraphs() -> None:
    converted = convert_docx(make_bold_sections_docx(heading_style=True))
    assert converted.title is None
    assert "**1. Definitions and Terms**" in converted.body
    assert "## 4. Notices" in converted.body
    assert converted.notes == ()


@pytest.mark.parametrize("bold_in_runs", [False, True])
def test_paragraphs_in_a_bold_style_of_the_documents_own_are_headings(bold_in_runs: bool) -> None:
    """The University of Toronto Engineering Society's bylaws write chapters and sections in
    styles of their own, bold through the style: they came in as plain paragraphs, so the
    pages had no sections, no contents and no anchors. What is no heading stays as it was:
    a clause that opens with bold words, a sentence in the sections' style that turns bold
    off, a paragraph in the sections' style in a table."""
    converted = convert_docx(make_bylaw_styles_docx(bold_in_runs=bold_in_runs))
    assert converted.title == "BYLAW 1 THE CONSTITUTION"
    assert converted.body == (
        "ADOPTED: March 29, 2016\n\n"
        "## CHAPTER 0 - GENERAL\n\n### 0.0. General\n\n"
        "0.0.1. The name of the Corporation shall be “the Society.”\n\n"
        "## CHAPTER 1 - MEMBERSHIP AND FEES\n\n### 1.0. Quorum\n\n"
        "1.0.1. **Quorum.** Fifty Members shall be a quorum at a General Meeting.\n\n"
        "1.1. Amended Bylaw 1 as per March 2017 BoD decision.\n\n"
        "| 1.2. Fees |\n| --- |\n"
    )
    assert [note.message for note in converted.notes] == [
        "Word's paragraph style 'Bylaw (3)' means nothing to policygen: its text was imported as plain text",
        "2 paragraphs in Word's style 'Bylaw (1)', shown bold as a whole, were made headings (the first: 'CHAPTER 0 - GENERAL')",
        "2 paragraphs in Word's style 'Bylaw (2)', shown bold as a whole, were made headings (the first: '0.0. General')",
        "its first bold words, 'BYLAW 1 THE CONSTITUTION', were made its title",
    ]


def test_a_text_with_heading_styles_keeps_the_paragraphs_of_its_bold_styles() -> None:
    """Their level beside Word's Heading styles cannot be told."""
    converted = convert_docx(make_bylaw_styles_docx(heading_style=True))
    assert converted.title is None
    assert converted.body.startswith("**BYLAW 1**\n\n**THE CONSTITUTION**\n\n")
    assert "\n\nCHAPTER 0 - GENERAL\n\n0.0. General\n\n" in converted.body
    assert converted.body.endswith("## Amendments\n")


def test_paragraphs_word_gives_an_outline_level_are_headings_of_that_level() -> None:
    """An outline level makes a paragraph a heading in Word's navigation pane, whatever its
    style; a whole clause in such a style is no heading, and keeps its number."""
    converted = convert_docx(make_outline_levels_docx())
    assert converted.body == (
        "## 1. Definitions\n\nWords mean what they say.\n\n### Scope\n\nIt covers everything.\n\n"
        "2. Either party may end this agreement by writing to the other.\n\n## 3. Termination\n"
    )
    assert [note.message for note in converted.notes] == [
        "2 paragraphs in Word's style 'Article', with outline level 1, were made headings (the first: '1. Definitions')",
        "1 paragraph in Word's style 'Normal', with outline level 2, was made a heading (the first: 'Scope')",
    ]


def test_a_subtitle_under_the_title_is_joined_to_it() -> None:
    """Carnegie Mellon University's Student Senate Bylaws: the Subtitle "Student Senate Bylaws"
    came in as the text's first paragraph, shown below the dates and the contents, and the
    policy was named "Carnegie Mellon University" alone."""
    converted = convert_docx(make_subtitle_docx("Student Senate Bylaws"))
    assert converted.title == "Carnegie Mellon University: Student Senate Bylaws"
    assert converted.body.startswith("Adopted: April 1st, 2010.\n\n## Article I.")
    assert [note.message for note in converted.notes] == [
        "its subtitle was joined to its title: 'Carnegie Mellon University: Student Senate Bylaws'"
    ]


@pytest.mark.parametrize(
    ("subtitles", "title", "starts"),
    [
        # A date or a version: the page shows the revision's own, and the title stays the same.
        (
            ("Last updated 12 May 2017",),
            "Carnegie Mellon University",
            "Last updated 12 May 2017\n\n",
        ),
        (
            ("Read this before you vote.",),
            "Carnegie Mellon University",
            "Read this before you vote.\n\n",
        ),
        (
            ("Student Senate", "Bylaws"),
            "Carnegie Mellon University: Student Senate: Bylaws",
            "Adopted",
        ),
        (("Bylaws", "Version 2"), "Carnegie Mellon University: Bylaws", "Version 2\n\n"),
    ],
)
def test_a_subtitle_that_names_nothing_stays_the_first_paragraph(
    subtitles: tuple[str, ...], title: str, starts: str
) -> None:
    converted = convert_docx(make_subtitle_docx(*subtitles))
    assert converted.title == title
    assert converted.body.startswith(starts)


def test_a_subtitle_without_a_title_is_a_paragraph() -> None:
    converted = convert_docx(make_subtitle_docx("Student Senate Bylaws", title=None))
    assert converted.body.startswith("Student Senate Bylaws\n\nAdopted")
    assert converted.notes == ()


@pytest.mark.parametrize("filled", [True, False])
def test_words_table_of_contents_and_the_lines_of_its_title_page_are_read_as_a_reader_does(
    filled: bool,
) -> None:
    """The OpenChain Project's guides: a logo in the Title style made the title empty, the
    name's two Title lines and its Subtitle came in as two headings and a paragraph, Word's
    table of contents as a heading and a link for each entry with its page number
    ("Introduction 5"), each noted as a link that goes to the start of its section, and an
    empty line in the Heading 1 style as an empty heading."""
    converted = convert_docx(make_contents_docx(filled=filled))
    assert converted.title == (
        "Artificial Intelligence System Bill of Materials: Compliance Management Guide for the Supply Chain"
    )
    assert converted.body == (
        "Version 1.0\n\n## Introduction\n\nThis guide defines a program.\n\n"
        "## 1. Scope\n\nIt covers the supply chain.\n"
    )
    assert [note.message for note in converted.notes][:2] == [
        "its subtitle was joined to its title: 'Artificial Intelligence System Bill of Materials: Compliance Management Guide for the Supply Chain'",
        "left out Word's table of contents ('Table of Contents'), 3 entries with their page numbers: the page shows contents of its own"
        if filled
        else "left out the heading of Word's table of contents ('Table of Contents'), which Word had not filled in: the page shows contents of its own",
    ]


def _cloudflare(text: str, key: int = 0x5A) -> str:
    """`text` as Cloudflare's email obfuscation writes it into a page."""
    return bytes([key, *(byte ^ key for byte in text.encode())]).hex()


def test_email_addresses_a_page_hid_behind_cloudflare_are_written_out() -> None:
    """Open Collective's terms, saved from the web: "contact us at [email protected]" named
    no address; the link led to /cdn-cgi/l/email-protection#…."""
    hidden = '<span class="__cf_email__" data-cfemail="{}">[email&#160;protected]</span>'
    page = (
        "<main><h1>Terms</h1>"
        f'<p>Write to <a href="/cdn-cgi/l/email-protection#{_cloudflare("legal@example.org", 0x13)}">'
        f"{hidden.format(_cloudflare('legal@example.org'))}</a>.</p>"
        # The text and the link may hide two addresses; the link's may be written in entities.
        f'<p>Or to <a href="/cdn-cgi/l/email-protection#{_cloudflare("&#x64;po@example.org")}">'
        f"{hidden.format(_cloudflare('privacy@example.org'))}</a>, "
        f'<a class="__cf_email__" href="/cdn-cgi/l/email-protection" data-cfemail="{_cloudflare("legal@example.org")}">[email&#160;protected]</a>'
        f" or {hidden.format('5a')}.</p></main>"
    )
    converted = convert_html_page(page)
    assert converted.body == (
        "Write to [legal@example.org](mailto:legal@example.org).\n\n"
        "Or to [privacy@example.org](mailto:dpo@example.org), "
        "[legal@example.org](mailto:legal@example.org) or \\[email\u00a0protected\\].\n"
    )
    assert [note.message for note in converted.notes] == [
        "the email address 'legal@example.org', which the page hid as '[email protected]' until a script of the page showed it, is written out (and 1 more times)",
        "the email address 'privacy@example.org', which the page hid as '[email protected]' until a script of the page showed it, is written out",
    ]


def test_the_links_of_headings_to_themselves_are_left_out() -> None:
    """GitHub's docs link each heading's words to it; Sphinx and MkDocs end it with a "¶"
    linked to it; GitHub's rendered Markdown puts a link icon beside it. Imported, GitHub's
    terms had '## [Summary](#summary)', and a Sphinx page 'B. Definitions¶'."""
    page = (
        '<main><h1>Terms</h1><h2 id="summary"><a href="#summary">Summary<svg></svg></a></h2>'
        "<p>One.</p>"
        '<h2 id="b">B. Definitions<a class="headerlink" href="#b" title="Permalink">¶</a></h2>'
        '<div class="markdown-heading"><h2>C. Use</h2><a class="anchor" href="#c-use">'
        '<svg class="octicon"><path d="M0"/></svg></a></div>'
        # Links elsewhere stay links, in a heading or not.
        '<p>See <a href="#summary">the summary</a>.</p><h2 id="d">D. See <a href="#b">B</a></h2>'
        "</main>"
    )
    converted = convert_html_page(page)
    assert converted.body == (
        "## Summary {#summary}\n\nOne.\n\n## B. Definitions {#b}\n\n## C. Use\n\n"
        "See [the summary](#summary).\n\n## D. See [B](#b)\n"
    )
    assert converted.notes == ()


def test_the_heading_of_contents_left_out_goes_with_them() -> None:
    """GitHub's docs head their contents with "In this article": imported, the heading stayed
    over the terms' first paragraph. A heading elsewhere that names a <nav> stays."""
    page = (
        '<main><h1 id="t">Terms</h1><h2 id="in">In this article</h2>'
        '<nav aria-labelledby="in"><ul><li><a href="#a">A. Use</a></li></ul></nav>'
        '<p>Thank you.</p><h2 id="a">A. Use</h2><p>Be nice.</p>'
        '<nav aria-labelledby="t"><a href="#a">A. Use</a></nav></main>'
    )
    converted = convert_html_page(page)
    assert converted.title == "Terms"
    assert converted.body == "Thank you.\n\n## A. Use\n\nBe nice.\n"
    assert [note.message for note in converted.notes] == [
        "left out <nav> and its heading 'In this article': \"A. Use\"",
        'left out <nav>: "A. Use"',
    ]


def test_a_link_to_a_section_that_opens_with_its_heading_goes_to_that_heading() -> None:
    """UptimeRobot's terms: each link of their contents leads to a <section id> that opens with
    its heading. Imported, each led to the heading before it: "2. Responsibility of
    Contributors" to section 1."""
    page = (
        "<main><h1>Terms</h1><ol>"
        '<li><a href="#account">Account</a></li><li><a href="#duties">Duties</a></li>'
        '<li><a href="#fees">Fees</a></li><li><a href="#refunds">Refunds</a></li></ol>'
        '<section id="account"><h2><strong>1. Account.</strong></h2><p>Keep it safe.</p></section>'
        '<section id="duties"> <h2>2. Duties.</h2><p>Be nice.</p>'
        '<p id="refunds">Refunds are made in 30 days.</p></section>'
        '<a id="fees"></a>\n<h2>3. Fees.</h2><p>Pay.</p></main>'
    )
    converted = convert_html_page(page)
    assert converted.body.startswith(
        "1. [Account](#section-1)\n2. [Duties](#section-2)\n3. [Fees](#section-3)\n"
        "4. [Refunds](#section-2)\n"
    )
    # Only the link to a paragraph inside a section is said to go elsewhere than it did.
    assert [note.message for note in converted.notes] == [
        "the link to '#refunds' (a <p>) now goes to the start of its section, \"2. Duties.\": policygen gives anchors to headings"
    ]


def test_notes_alike_at_one_place_are_said_once() -> None:
    """Buffer's terms, saved on one line, put eleven icons there: eleven notes alike."""
    icon = '<svg><path d="M0"/></svg>'
    page = f"<main><h1>Terms</h1><p>Read {icon} this {icon}.</p>\n<p>And {icon} this.</p></main>"
    notes = [(note.line, note.message) for note in convert_html_page(page).notes]
    assert notes == [
        (
            1,
            "left out <svg>: policy pages show no images or embedded content; describe it in words (2 times)",
        ),
        (
            2,
            "left out <svg>: policy pages show no images or embedded content; describe it in words",
        ),
    ]


def test_links_whose_words_are_their_address_tell_where_the_page_came_from() -> None:
    """npm's terms, saved without a canonical link: "/policies/privacy", linked from the words
    "https://docs.npmjs.com/policies/privacy", led nowhere from the policy site."""
    page = (
        "<main><h1>Terms</h1><p>See "
        '<a href="/policies/privacy">https://docs.npmjs.com/policies/privacy</a>, our '
        '<a href="/policies/conduct">Code of Conduct</a> and <a href="scripts">scripts</a>.</p>'
        "</main>"
    )
    converted = convert_html_page(page)
    assert converted.body == (
        "See <https://docs.npmjs.com/policies/privacy>, our "
        "[Code of Conduct](https://docs.npmjs.com/policies/conduct) and [scripts](scripts).\n"
    )
    assert [note.message for note in converted.notes][0] == (
        "the page says no address of its own, but links whose words are their address show it came from https://docs.npmjs.com/: its links that start with '/' lead there"
    )
    # Links that name two sites tell nothing.
    other = page.replace("<main>", '<main><a href="/x">https://example.org/x</a>')
    assert "[Code of Conduct](/policies/conduct)" in convert_html_page(other).body


@pytest.mark.parametrize(
    "said",
    [
        # Chrome's "Save page as…"
        "<!-- saved from url=(0034)https://example.org/legal/privacy -->\n<html><body>",
        # The SingleFile extension
        "<!DOCTYPE html> <html><!--\n Page saved with SingleFile \n url: https://example.org/legal/privacy \n saved date: Mon Nov 30 2026\n--><body>",
    ],
)
def test_a_page_saved_by_a_browser_says_its_address_in_a_comment(said: str) -> None:
    """Saved with no canonical link, its relative links led nowhere from the policy site."""
    page = said + '<main><h1>P</h1><p>See <a href="../terms">terms</a>.</p></main></body></html>'
    assert convert_html_page(page).body == "See [terms](https://example.org/terms).\n"


def test_a_link_whose_words_are_its_target_keeps_its_words() -> None:
    """Written `<scripts>` (markdownify's short form), Markdown read such a link as an HTML
    tag, and its words vanished from the page: "Run  or ."."""
    page = (
        '<main><h1>T</h1><p>Run <a href="scripts">scripts</a> or <a href="/x">/x</a>, see '
        '<a href="https://example.org/p">https://example.org/p</a>.</p></main>'
    )
    assert convert_html_page(page).body == (
        "Run [scripts](scripts) or [/x](/x), see <https://example.org/p>.\n"
    )


def test_bold_and_italic_words_come_in_as_markdown_reads_them_back() -> None:
    """UptimeRobot's privacy policy, saved from the web: `<strong>Stripe:&nbsp;</strong>for`
    came in as `**Stripe:**for`, which shows its asterisks and no bold."""
    page = (
        "<main><h1>T</h1><ul><li><strong>Stripe:\u00a0</strong>for payments.</li></ul>"
        "<p><b>A:</b>for x, x<em>(b)</em> and <i> c </i>d, <strong>bold</strong>.</p></main>"
    )
    body = convert_html_page(page).body
    assert body == (
        "- **Stripe:**\u00a0for payments.\n\n"
        "<strong>A:</strong>for x, x<em>(b)</em> and  *c* d, **bold**.\n"
    )
    html = render_markdown(
        CanonicalText(body, tuple(range(1, body.count("\n") + 2))), SourceLocation("x.md")
    ).html
    assert "*" not in html
    assert html.count("<strong>") == 3 and html.count("<em>") == 2


def test_a_jekyll_link_tag_as_a_links_target_becomes_the_file_it_names() -> None:
    """login.gov's rules of use: `[Privacy Policy]({% link _en/policy/index.md %})` would show
    as written, tag and all; linked to the file, the check says how to link it."""
    converted = convert_markdown(
        "---\ntitle: Rules of use\n---\nSee our [Privacy Policy]({% link _en/policy/index.md %})"
        " and [contact]({{ site.baseurl }}{% link _en/contact.md %}).\n\n{% link _en/x.md %}\n"
    )
    assert converted.body == (
        "See our [Privacy Policy](_en/policy/index.md) and [contact](_en/contact.md).\n\n"
        "{% link _en/x.md %}\n"
    )
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            4,
            "the link to '{% link _en/policy/index.md %}' now leads to '_en/policy/index.md': policygen runs no template; write policy:ID for another policy, or its full address",
        ),
        (
            4,
            "the link to '{{ site.baseurl }}{% link _en/contact.md %}' now leads to '_en/contact.md': policygen runs no template; write policy:ID for another policy, or its full address",
        ),
        # A tag outside a link is left as it is, and said so.
        (
            6,
            "left as it is: '{% link _en/x.md %}' is a template tag, and policygen shows it as text",
        ),
    ]


@pytest.mark.parametrize("numbered_heading", [False, True])
def test_word_lists_keep_the_numbers_word_shows(numbered_heading: bool) -> None:
    # Rackspace's model IP policy: mammoth numbered section 3 "1." (a paragraph came before
    # it) and section 4 "5." (it followed a list of four lettered points).
    converted = convert_docx(make_numbered_lists_docx(numbered_heading=numbered_heading))
    assert converted.title == ("1. Agreement" if numbered_heading else None)
    assert converted.body == (
        "1. Definitions\n\nWords mean what they say.\n\n"
        "2. Ownership\n\nWhat you made before stays yours.\n\n"
        '<ol type="a"><li>Prior work</li>\n<li>Outside work</li>\n</ol>\n\n'
        "3. Termination\n\n<!-- a list of its own, numbered as in Word -->\n\n"
        "1. First step\n2. Second step\n\nEither of us may end this agreement.\n\n"
        "1. A new list\n2. Its second item\n"
    )


def test_word_numbers_that_a_list_cannot_show_are_written_as_word_writes_them() -> None:
    """The University of Toronto Engineering Society's Bylaw 1 numbers its clauses through a
    list style: it came in as lists nested four deep, each numbered 1., 2., 3. ("CHAPTER 0 -
    GENERAL" as "1. GENERAL", "0.1.1." as "1.", its lettered definitions as "1.", "2."), so
    that "as specified in Chapter 1" and "Section 1.2" led to the wrong clauses."""
    converted = convert_docx(make_list_style_docx())
    assert converted.body == (
        "CHAPTER 0 - GENERAL\n\n0.0. Interpretation\n\n0.0.1. In this document:\n\n"
        '<ol type="a"><li>“Members” shall mean members of the Society, as specified in Chapter 1;</li>\n'
        "<li>“Officers” shall mean the Officers of the Society.</li>\n</ol>\n\n"
        "0.0.2. All other words carry their common meaning.\n\n"
        "CHAPTER 1 - MEMBERSHIP\n\n1.0. General\n\n1.0.1. There shall be two types of Members:\n\n"
        "(i) Full Time Members\n\n(ii) Part Time Members\n"
    )
    assert converted.notes == ()


def test_a_tracked_change_of_a_paragraph_break_is_a_tracked_change() -> None:
    """A reviewer of OpenChain's guide for procurement departments deleted the break after
    "…in this regard.": import took its text as final, the two paragraphs run into one
    ("…in this regard.Also for…") without --accept-changes and without a word."""
    converted = convert_docx(make_paragraph_break_changes_docx())
    assert [(note.paragraph, note.message) for note in converted.tracked_changes] == [
        (
            1,
            'tracked deletion by Marcel Scholze on 2020-04-22 of the paragraph break after "The customer can rely on the certificat…"',
        ),
        (
            3,
            'tracked insertion by Marcel Scholze on 2020-04-22 of the paragraph break after "Help is at hand."',
        ),
    ]


def test_text_word_hides_is_left_out_and_said() -> None:
    """Text formatted hidden is neither shown nor printed by Word: "We sell it to anyone."
    was published after "We keep your data.", though no one reading the document saw it."""
    converted = convert_docx(make_hidden_text_docx())
    assert converted.body == (
        "We keep your data. For a year.[^1]\n\nShown all the same.\n\n| Logs |  |\n| --- | --- |\n"
        "\n[^1]: Kept a year.\n"
    )
    hidden = [(n.paragraph, n.message) for n in converted.notes if "hidden text" in n.message]
    assert hidden == [
        (
            paragraph,
            f'left out hidden text{where}, which Word neither shows nor prints: "{words}"; to publish it, unhide it in Word (Font, Hidden) and import the file again',
        )
        for paragraph, where, words in (
            (None, " of a note", "And then sold."),
            (2, "", "We sell it to anyone."),
            (2, "", "Secret words."),
            (3, "", "A note for editors."),
            (5, "", "Sold"),
        )
    ]


def test_the_numbers_of_word_lists_are_those_a_page_shows() -> None:
    body = convert_docx(make_numbered_lists_docx()).body
    html = render_markdown(
        CanonicalText(body, tuple(range(1, body.count("\n") + 2))), SourceLocation("x.md")
    ).html
    starts = re.findall(r"<ol(?: [^>]*)?>\s*<li>(?:<p>)?([^<]*)", html)
    assert re.findall(r"<ol[^>]*>", html) == [
        "<ol>",
        '<ol start="2">',
        '<ol type="a">',
        '<ol start="3">',
        "<ol>",
        "<ol>",
    ]
    assert starts == [
        "Definitions",
        "Ownership",
        "Prior work",
        "Termination",
        "First step",
        "A new list",
    ]


def test_lists_cut_into_many_take_a_time_in_proportion_to_them() -> None:
    """Not a speed check: a stranger's Word file may number each item on a list of its own,
    and cutting the list at each, moving the rest along, took a time growing with the square
    of its length."""

    def renumber(items: int) -> None:
        # Items numbered 1, 1, 2, 2, 3, 3…: two lists taking turns, each item a run of its own.
        marked = "".join(f"<li>\ue000{1 + i // 2} 1\ue001Item.</li>" for i in range(items))
        soup = BeautifulSoup(f"<ol>{marked}</ol>", "html.parser")
        renumber_lists(soup, is_faithful=True)
        assert len(soup.find_all("ol")) == items // 2 + 1

    assert_in_proportion(renumber, 2_000, 20_000, factor=25, slack=1)


def test_a_line_break_at_the_end_of_bold_words_leaves_them_bold() -> None:
    # Word's "<strong>Note:<br></strong>": the break written inside, as a backslash, would
    # have taken the closing ** for an asterisk to show.
    page = "<html><body><main><p><strong>Note:<br></strong>Text <em><br>after</em>.</p></main></body></html>"
    assert convert_html_page(page).body == "**Note:**\\\nText \\\n*after*.\n"


def test_metadata_lines_of_pelican_or_multimarkdown_are_settings() -> None:
    """The Apache Software Foundation's policies open with `Title:` lines, then `# {{title}}`."""
    converted = convert_markdown(
        "Title:     Code of Conduct\nlicense: https://www.apache.org/licenses/LICENSE-2.0\n"
        "  (Apache 2.0)\n\n# {{title}}\n\n## Introduction\n\nBe kind.\n"
    )
    assert converted.title == "Code of Conduct"
    assert converted.front == {
        "title": "Code of Conduct",
        "extra": {"license": "https://www.apache.org/licenses/LICENSE-2.0 (Apache 2.0)"},
    }
    assert converted.body == "## Introduction\n\nBe kind.\n"
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            1,
            "the lines before line 5 were read as the text's settings ('Title: …' and the like, as Pelican and MultiMarkdown write them), not as its words",
        ),
        (
            5,
            "left out the first heading, '{{title}}': the front matter's title, 'Code of Conduct', is the page's title",
        ),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Title: Privacy Policy\nThis policy says what we collect.\n",
        "Title: Privacy Policy\nLast updated: May 1, 2020\n\nText.\n",
        "Effective: 2020-05-01\nTitle: Privacy\n\nText.\n",
    ],
)
def test_words_that_look_like_metadata_are_words(text: str) -> None:
    converted = convert_markdown(text)
    assert converted.front == {} and converted.body == text


def test_a_template_tag_is_no_title() -> None:
    converted = convert_markdown("# {{ page.title }}\n\n## 1. Data\n\nNone.\n")
    assert converted.title is None
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            1,
            "left out the first heading, '{{ page.title }}': it is a template tag, which policygen does not fill in, so the policy's title is the page's",
        )
    ]


def test_a_placeholder_of_another_program_is_pointed_out() -> None:
    converted = convert_markdown(
        'This privacy policy describes how %{domain}s ("%{domain}s", "we", "us") collects.\n\n'
        "# What information do we collect?\n\nYour 100%{ of it} and 50% {of that}.\n"
    )
    assert [(note.line, note.message) for note in converted.notes] == [
        (1, "left as it is: '%{domain}s' is a template tag, and policygen shows it as text")
    ]


def test_a_page_title_with_a_long_run_of_spaces_is_read_in_proportion_to_it() -> None:
    """Not a speed check: splitting a <title> at its separators took minutes when a run of
    200,000 spaces, followed by no separator, was tried from each of its spaces."""
    page = f"<html><head><title>Terms{' ' * 200_000}of Service | Shop</title></head><body><p>Text.</p></body></html>"
    started = time.perf_counter()
    converted = convert_html_page(page)
    assert time.perf_counter() - started < 30
    assert converted.title == "Terms of Service"


def test_numbered_lines_a_web_page_showed_as_headings_are_headings() -> None:
    """Open Terms Archive records Snapchat's Terms of Service with its numbered headings as
    paragraphs (`1\\. Who Can Use the Services`), so that 127 sections of the page had no
    heading, no anchor and no entry in the contents, and its redlines no sections."""
    converted = convert_markdown(
        (ENGLISH / "snapchat-numbered-lines.md").read_text(encoding="utf-8")
    )
    headings = [line for line in converted.body.split("\n") if line.startswith("#")]
    assert headings == [
        "## 1\\. Who Can Use the Services",
        "## 2\\. Rights You Grant Us",
        "## **1\\. Introduction**",
        "## **2\\. Your purchase and payment**",
    ]
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            3,
            "made headings of the numbered lines standing alone, such as '1. Who Can Use the "
            "Services' here: numbered as clauses are, each with text after it, they read as a "
            "web page's headings that came in as paragraphs",
        )
    ]
    rendered = render_markdown(
        CanonicalText(converted.body, tuple(range(1, converted.body.count("\n") + 2))),
        SourceLocation("en.md"),
    )
    assert '<h2 id="section-1">' in rendered.html


def test_bold_numbered_sections_followed_by_clauses_numbered_alike_are_headings() -> None:
    """OTOMOTO's Regulamin dla Klientów Biznesowych, as Open Terms Archive records it, numbers
    its sections in bold lines (`**1\\. Postanowienia wstępne**`), each followed by clauses
    numbered the same way (`1\\. Regulamin określa…`): taken for a list, none of its 16
    sections was a heading. And the first line of its clause 6, cut by the web page before a
    capitalised noun, was made a heading between clauses 5 and 7."""
    converted = convert_markdown(
        (POLISH / "otomoto-numbered-sections.md").read_text(encoding="utf-8")
    )
    headings = [line for line in converted.body.split("\n") if line.startswith("#")]
    assert headings == [
        "## **1\\. Postanowienia wstępne**",
        "## **2\\. Definicje**",
        "## **3\\. Ogólne warunki korzystania z Serwisu OTOMOTO**",
        "## **I. Opłata Progowa**",
        "## **II. Pakiety**",
    ]
    assert (
        "\n\n6\\. W przypadku zmiany ceny Przedmiotu Ogłoszenia po upływie 24 godzin"
        in converted.body
    )
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            6,
            "made headings of the numbered lines standing alone, such as '1. Postanowienia "
            "wstępne' here: numbered as clauses are, each with text after it, they read as a "
            "web page's headings that came in as paragraphs",
        )
    ]


def test_numbered_lines_one_after_the_other_stay_paragraphs() -> None:
    """Temu's Return and Refund Policy lists its sections as numbered lines, one after the
    other, before its title: they are contents, not headings; its sections' headings, one
    followed by clauses numbered in Roman numerals, are."""
    converted = convert_markdown((ENGLISH / "temu-contents.md").read_text(encoding="utf-8"))
    headings = [line for line in converted.body.split("\n") if line.startswith("#")]
    assert headings == ["## 5\\. Refunds", "## 6\\. Refund timeline"]
    assert "\n1\\. How do I make a return?\n" in converted.body
    assert "\n5\\. Refunds\n\n6\\. Refund timeline\n" in converted.body


@pytest.mark.parametrize(
    "text",
    [
        "1\\. Open the app\n\n2\\. Tap Settings\n\n3\\. Tap Privacy\n\nThat is all.\n",
        "Intro.\n\n1\\. Open\n\nText.\n",
        "8 October 2025\n\nText.\n\n1 hour\n\nText.\n",
        "1\\. Data we collect.\n\nText.\n\n2\\. Data we share.\n\nText.\n",
        "1\\. [Scope](#scope)\n\nText.\n\n2\\. [Rights](#rights)\n\nText.\n",
        "4.1 To ensure and manage compliance, the SRS Management System adopts\n\n"
        "the principles.\n\n4.2 With the launch of the SRS Information System, SHEIN has\n\n"
        "introduced tools.\n",
        "1\\. Tightly controlling the attack surface;\n\n"
        "2\\. Employing intelligent detection controls at data entry points; and\n\n"
        "3\\. Employing technologies that remedy dangerous situations.\n\n"
        "4\\. Something Else\n\nText.\n",
    ],
    ids=[
        "steps",
        "one-line",
        "no-dot",
        "sentences",
        "links",
        "cut-lines",
        "list-items",
    ],
)
def test_numbered_lines_that_are_no_headings_stay_paragraphs(text: str) -> None:
    converted = convert_markdown(text)
    assert not any(line.startswith("#") for line in converted.body.split("\n"))
    assert converted.notes == ()


def test_links_to_sections_written_with_the_pages_own_address_lead_to_the_sections() -> None:
    """TikTok's Privacy Policy linked to its sections as `(#informationwecollect)`, then, from
    15 July 2026, with the page's whole address: 29 links leaving the page for TikTok's, and
    the redline showed each as a link changed."""
    converted = convert_markdown((ENGLISH / "tiktok-own-address.md").read_text(encoding="utf-8"))
    body = converted.body
    assert "We use the [Information We Collect](#informationwecollect) for" in body
    assert "“[Contact Us](#contactus)” section below" in body
    # No section of the text has the anchor: the link still leads to the page.
    assert "(https://www.tiktok.com/legal/page/us/privacy-policy/en#yourchoices)" in body
    assert "(https://www.tiktok.com/legal/report/privacy)" in body
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            12,
            "links to sections of 'https://www.tiktok.com/legal/page/us/privacy-policy/en', "
            "the address of the page this text was recorded from, now lead to those sections "
            "on this page, from here on",
        )
    ]
    rendered = render_markdown(
        CanonicalText(body, tuple(range(1, body.count("\n") + 2))), SourceLocation("en.md")
    )
    assert '<a href="#information-we-collect">Information We Collect</a>' in rendered.html
    assert '<a href="#contact-us">Contact Us</a>' in rendered.html
    assert rendered.problems == ()


def test_links_to_anchors_of_the_web_page_lead_to_the_headings_their_words_name() -> None:
    """bol.com's terms for its sellers, as Open Terms Archive records them, link their
    contents to ids of the web page (`[Artikel 1 - Definities](#artikel-1)`) that the
    conversion left out: 43 links of each of 12 versions led nowhere. Each now leads to the
    first heading after it with its words; the annex's contents to the annex's articles."""
    converted = convert_markdown((DUTCH / "bol-contents.md").read_text(encoding="utf-8"))
    links = re.findall(r"\]\((#[^)]*)\)", converted.body)
    assert links == [
        "#artikel-1-definities",
        "#artikel-2-verkoopaccount",
        "#bijlage-1",
        "#artikel-1-definities-2",
        "#bijlage-artikel-2",
    ]
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            9,
            "links whose words name a heading, such as 'Artikel 1 - Definities' here, now lead "
            "to it: the anchors they led to ('#artikel-1') were their web page's, and nothing "
            "on this page has them",
        )
    ]
    rendered = render_markdown(
        CanonicalText(converted.body, tuple(range(1, converted.body.count("\n") + 2))),
        SourceLocation("nl.md"),
    )
    assert {link.href[1:] for link in rendered.links} - rendered.ids == {
        "bijlage-1",
        "bijlage-artikel-2",
    }


@pytest.mark.parametrize(
    "links",
    [
        # One section alone: the page may be another with a section of that name.
        "See [Cookies](https://example.com/cookies#cookies) and [terms](https://example.com/terms).",
        # Two addresses, one section each.
        "See [Cookies](https://example.com/a#cookies) and [Contact](https://example.com/b#contact-us).",
    ],
)
def test_links_to_another_page_stay_links_to_it(links: str) -> None:
    text = f"## Cookies\n\nText.\n\n## Contact Us\n\n{links}\n"
    assert convert_markdown(text).body == text


def test_a_heading_underlined_apart_from_its_words_is_a_heading() -> None:
    """Open Terms Archive records the headings of Snapchat's terms that held line breaks with
    two empty lines between their words and their dashes: 'Snap Inc. Terms of Service' came
    in as a paragraph and a rule, and the terms of its page ran together under no heading."""
    converted = convert_markdown(
        (ENGLISH / "snapchat-underlines-apart.md").read_text(encoding="utf-8")
    )
    body = converted.body
    assert "\n\nSnap Terms of Service\n-------------------------\n\n* * *\n" in body
    assert "\n\nSnap Inc. Terms of Service\n------------------------------\n\nEffective:" in body
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            3,
            "made headings of lines underlined apart from their words, such as 'Snap Terms of "
            "Service' here: a converter of web pages wrote headings so, and Markdown reads a "
            "paragraph and a rule",
        )
    ]
    rendered = render_markdown(
        CanonicalText(body, tuple(range(1, body.count("\n") + 2))), SourceLocation("en.md")
    )
    assert re.findall(r"<h2[^>]*>([^<]*)</h2>", rendered.html) == [
        "Snap Terms of Service",
        "Snap Inc. Terms of Service",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Text.\n\n×\n\n\n------------------------------\n\nText.\n",
        "Text.\n\nTwo lines\nof words\n\n-----------\n\nText.\n",
        "Text.\n\nWords\n\n-----\nText.\n",
        "Text.\n\nWords\n\n\n\n\n\n-----\n\nText.\n",
    ],
    ids=["far-longer", "two-lines", "text-after", "far-below"],
)
def test_a_rule_apart_from_the_words_before_it_stays_a_rule(text: str) -> None:
    converted = convert_markdown(text)
    assert converted.body == re.sub(r"\n{3,}", "\n\n", text)
    assert converted.notes == ()


@pytest.mark.parametrize(
    ("line", "mended"),
    [
        ("**Remov****ing Your Content**", "**Removing Your Content**"),
        (
            '**Taxes.****"Taxes"** means any duties, customs fees, levies or taxes',
            '**Taxes."Taxes"** means any duties, customs fees, levies or taxes',
        ),
        (
            "**Know and Access****:** You have the right to request to know",
            "**Know and Access:** You have the right to request to know",
        ),
        ("**a****b****c** d", "**abc** d"),
        # Asterisks that stand for letters are no bold runs.
        ("They wrote f****k and s****t.", "They wrote f****k and s****t."),
    ],
)
def test_bold_runs_against_each_other_are_one(line: str, mended: str) -> None:
    """Open Terms Archive's records of web pages that had two `<b>` in a row: YouTube's Terms
    of Service (commit cca590e), Google Play's (b0940d3), AliExpress's Privacy Policy
    (d231e5a). Markdown showed the four asterisks, and check warned at each."""
    assert convert_markdown(f"Text.\n\n{line}\n").body == f"Text.\n\n{mended}\n"


def test_headings_in_list_items_move_down_with_the_rest() -> None:
    """Starlink's Privacy Policy as Open Terms Archive recorded it (contrib-versions, commit
    839c4a8) puts each numbered section's heading in its list item, `1.  #### What Personal
    Information Do We Collect?`, and has two first-level headings, so that every heading
    moves down a level: the item's number was written over with `#`, and readers saw
    '######### What Personal Information Do We Collect?' as a paragraph, the list gone."""
    converted = convert_markdown(
        (ENGLISH / "starlink-list-headings.md").read_text(encoding="utf-8")
    )
    assert "#######" not in converted.body
    assert "1.  ##### What Personal Information Do We Collect?\n" in converted.body
    assert "2.  ##### How Do We Collect Your Personal Information?\n" in converted.body
    assert "## EEA+ Privacy Notice\n" in converted.body
    lines = tuple(range(1, converted.body.count("\n") + 2))
    html = render_markdown(CanonicalText(converted.body, lines), SourceLocation("en.md")).html
    soup = BeautifulSoup(html, "html.parser")
    assert [h.get_text() for h in soup.select("ol > li > h5")] == [
        "What Personal Information Do We Collect?",
        "How Do We Collect Your Personal Information?",
        "WHO IS THE DATA CONTROLLER?",
    ]


def test_a_link_around_an_image_with_no_description_is_left_out() -> None:
    """Wikimedia Foundation's Privacy Policy as Open Terms Archive recorded it (contrib-
    versions, commit 7d13aa5) has the Foundation's logo, with no description, linked to its
    file's page: policy pages show no images, so readers saw nothing, screen readers read
    out the address, and check warned of a link with no words in 207 versions. A linked
    image with a description shows its words in its place, and stays."""
    converted = convert_markdown((ENGLISH / "wikimedia-logo-link.md").read_text(encoding="utf-8"))
    assert "[![Wikimedia Foundation mark](//upload.wikimedia.org/" in converted.body
    assert "120px-Wikimedia-logo_black" not in converted.body
    assert re.search(
        r"\|\n\nWikimedia Foundation Privacy Policy\n+This is a \[summary\]", converted.body
    )
    [note] = [note for note in converted.notes if "no description" in note.message]
    assert note.line == 10
    assert "'https://foundation.wikimedia.org/wiki/File:Wikimedia-logo_black.svg'" in note.message
    assert [note.line for note in converted.notes if note.message.startswith("an image")] == [6]


def test_links_to_lost_ids_lead_to_the_heading_they_name_its_number_aside() -> None:
    """Tinder's Privacy Policy as Open Terms Archive recorded it (dating-versions, commit
    873c39e) lists its sections as links to the ids the web page gave its headings, which
    its Markdown lost; the link's words are the heading's without its number, in another
    case ('How To Contact Us' for "12. How to Contact Us"): '#how-we-use-info' led nowhere,
    in 29 versions, and check warned at each. A link that leads to a heading already, or
    whose words are no heading's, stays."""
    converted = convert_markdown((ENGLISH / "tinder-contents.md").read_text(encoding="utf-8"))
    links = re.findall(r"\[([^\]]*)\]\(([^)]*)\)", converted.body)
    assert links == [
        ("Who We Are", "#who-we-are"),
        ("Where This Privacy Policy Applies", "#section-2"),
        ("Information We Collect", "#information-we-collect"),
        ("How We Use Information", "#section-4"),
        ("How We Share Information", "#how-we-share-info"),
        ("Cross-Border Data Transfers", "#cross-border-data"),
        ("Your Rights", "#your-rights"),
        ("How Long We Retain Your Information", "#how-long-we-retain"),
        ("Children's Privacy", "#childrens-privacy"),
        ("Job Candidates, Contractors and Vendor Representatives", "#job-candidates"),
        ("Privacy Policy Changes", "#policy-changes"),
        ("How To Contact Us", "#section-12"),
    ]
    [note] = [note for note in converted.notes if "name a heading" in note.message]
    assert note.line == 6
    assert "'#where-this-applies'" in note.message
    lines = tuple(range(1, converted.body.count("\n") + 2))
    html = render_markdown(CanonicalText(converted.body, lines), SourceLocation("en.md")).html
    ids = {str(element["id"]) for element in BeautifulSoup(html, "html.parser").find_all(id=True)}
    assert {"section-2", "section-4", "section-12"} <= ids


@pytest.mark.parametrize(
    ("line", "mended"),
    [
        (
            "##### **8.6.1.a. **Personal Data Processing Information under the California "
            "Privacy Laws****",
            "##### **8.6.1.a.** Personal Data Processing Information under the California "
            "Privacy Laws",
        ),
        ("#### **8.7.1. **일반사항****", "#### **8.7.1.** 일반사항"),
        # Bold in bold, as Markdown reads it, with no asterisks shown: left as it is.
        ("**11.7 **Research Respondent****", "**11.7 **Research Respondent****"),
        ("****Analytics****", "****Analytics****"),
        # Asterisks that hide a word's letters.
        ("**Banned:** the word s****", "**Banned:** the word s****"),
        ("They wrote f****", "They wrote f****"),
    ],
)
def test_empty_bold_that_ends_a_line_is_left_out(line: str, mended: str) -> None:
    """Dailymotion's Privacy Policy as Open Terms Archive recorded it (contrib-versions,
    commit da60aeb) ends two headings in an empty `<b></b>`: once the space after their
    number was moved out of its bold, the headings ended in four asterisks, on every page
    of 16 versions, and check warned at each."""
    assert convert_markdown(f"Text.\n\n{line}\n").body == f"Text.\n\n{mended}\n"


def test_bold_words_that_end_in_a_line_break_end_before_it() -> None:
    """YouTube's Terms of Service (commit cca590e) as recorded from `<b>Introduction<br></b>`:
    both pairs of asterisks showed, and 'Thank you…' was not bold where it should not be."""
    text = (
        "**Introduction  \n"
        "**Thank you for using the YouTube platform and the products, services and features we "
        "make available to you as part of the platform (collectively, the “Service”).\n"
    )
    converted = convert_markdown(text)
    assert converted.body == (
        "**Introduction**  \n"
        "Thank you for using the YouTube platform and the products, services and features we "
        "make available to you as part of the platform (collectively, the “Service”).\n"
    )
    rendered = render_markdown(CanonicalText(converted.body, (1, 2, 3)), SourceLocation("en.md"))
    assert rendered.html.startswith("<p><strong>Introduction</strong><br>\nThank you")


@pytest.mark.parametrize(
    ("text", "mended", "shown"),
    [
        # Hetzner's Privacy Policy (commit 7180839): in list items, the words after the line
        # break are indented as the item's text.
        (
            "*   **Right of access:  \n"
            "    **You can request information at any time about whether and which personal "
            "data we process about you.\n",
            "*   **Right of access:**  \n"
            "    You can request information at any time about whether and which personal "
            "data we process about you.\n",
            "<li><strong>Right of access:</strong><br>\nYou can request",
        ),
        # Yahoo's Terms of Service (commit 5c500ee): two line breaks, the second a line of
        # spaces that ends the paragraph, then `**` alone.
        (
            "1.  **YOUR RELATIONSHIP WITH YAHOO  \n      \n    **\n    1.  Welcome to Yahoo.\n",
            "1.  **YOUR RELATIONSHIP WITH YAHOO**\n      \n\n    1.  Welcome to Yahoo.\n",
            "<li>\n<p><strong>YOUR RELATIONSHIP WITH YAHOO</strong></p>\n<ol>",
        ),
    ],
)
def test_bold_words_that_end_in_line_breaks_in_list_items_end_before_them(
    text: str, mended: str, shown: str
) -> None:
    """Open Terms Archive's records of bold words that end in a line break in a list item
    (`<li><b>Right of access:<br></b>You can…`): the asterisks showed on both lines, and
    check warned at each (34 times in Yahoo's Terms of Service)."""
    converted = convert_markdown(f"Text.\n\n{text}")
    assert converted.body == f"Text.\n\n{mended}"
    lines = tuple(range(1, converted.body.count("\n") + 2))
    rendered = render_markdown(CanonicalText(converted.body, lines), SourceLocation("en.md"))
    assert shown in rendered.html
    assert "*" not in rendered.html


@pytest.mark.parametrize(
    ("text", "mended"),
    [
        # Twitter's Community Guidelines on hate speech (commit 3f9230c): `<b>Hateful
        # references<br><br></b>We prohibit…`, the second break a line of spaces.
        (
            "**Hateful references  \n  \n**We prohibit targeting individuals or groups.\n",
            "**Hateful references**\n  \nWe prohibit targeting individuals or groups.\n",
        ),
        # Cdiscount's Commercial Terms (commit 91bac12): three line breaks, two lines of
        # spaces.
        (
            "**3.1 Disponibilité des produits et services  \n  \n  \n"
            "**Nos offres de produits et de services sont valables dans la limite des stocks.\n",
            "**3.1 Disponibilité des produits et services**\n  \n  \n"
            "Nos offres de produits et de services sont valables dans la limite des stocks.\n",
        ),
        # Chayn's Privacy Policy (commit 4951af4): a zero width joiner before the `**`.
        (
            "**International transfers  \n\u200d**In managing our business we may transfer your "
            "personal data.  \n  \n**How we protect the personal data we collect  \n"
            "\u200d**We implement technical measures.\n",
            "**International transfers**  \n\u200dIn managing our business we may transfer your "
            "personal data.  \n  \n**How we protect the personal data we collect**  \n"
            "\u200dWe implement technical measures.\n",
        ),
    ],
)
def test_bold_words_that_end_in_two_line_breaks_end_before_them(text: str, mended: str) -> None:
    """Bold words whose page ended them after two line breaks, or after one with a zero
    width joiner before the `**` that ends them: both pairs of asterisks showed."""
    converted = convert_markdown(f"Text.\n\n{text}")
    assert converted.body == f"Text.\n\n{mended}"
    lines = tuple(range(1, converted.body.count("\n") + 2))
    rendered = render_markdown(CanonicalText(converted.body, lines), SourceLocation("en.md"))
    assert "*" not in rendered.html


@pytest.mark.parametrize(
    ("text", "mended"),
    [
        # Twitter's Community Guidelines on spam (commit a313b3f): words go on after the bold.
        (
            "**  \nYou can’t artificially inflate your own or others’ followers or engagement.**"
            " This includes:\n",
            "**You can’t artificially inflate your own or others’ followers or engagement.**"
            " This includes:\n",
        ),
        # In a list item, indented as its text.
        (
            "*   Item.\n\n    **  \n    Facebook cookies.**\n",
            "*   Item.\n\n    **Facebook cookies.**\n",
        ),
        # Upscrolled's Privacy Policy (pga-versions): more bold words after it on the line.
        (
            "**  \nAccount Deletion**. You may request deletion through **Account → Settings**.\n",
            "**Account Deletion**. You may request deletion through **Account → Settings**.\n",
        ),
        # `**` alone that closes nothing on the next line, or a next line indented further.
        ("**  \nNo bold here.\n", "**  \nNo bold here.\n"),
        ("**  \n    Code?**\n", "**  \n    Code?**\n"),
    ],
)
def test_bold_that_opens_with_a_line_break_opens_after_it_wherever_it_ends(
    text: str, mended: str
) -> None:
    """Bold words that open with a line break (`<b><br>You can’t…</b> This includes:`) and
    end before the end of the next line, or in a list item: the asterisks showed on both
    lines, and check warned at each."""
    assert convert_markdown(f"Text.\n\n{text}").body == f"Text.\n\n{mended}"


@pytest.mark.parametrize(
    ("line", "mended"),
    [
        # Yahoo's Terms of Service (contrib-versions, commit 75355bf), line 13.
        (
            "**THESE TERMS CONTAIN LIMITATIONS OF** **OUR\u00a0** **LIABILITY IN\u00a0** "
            "**SECTION 9** **.**",
            "**THESE TERMS CONTAIN LIMITATIONS OF** **OUR**\u00a0 **LIABILITY IN**\u00a0 "
            "**SECTION 9** **.**",
        ),
        ("YOU AND **WE\u00a0**AGREE", "YOU AND **WE**\u00a0AGREE"),
        ("IN **\u00a0BELOW, WHICH**", "IN \u00a0**BELOW, WHICH**"),
        # Asterisks apart from any word stay.
        ("2 ** 3 ** 4", "2 ** 3 ** 4"),
    ],
)
def test_a_no_break_space_at_the_edge_of_bold_words_is_moved_out(line: str, mended: str) -> None:
    """A page's editor left a no-break space inside bold words (`<b>OUR&nbsp;</b>`), after
    no sentence's stop: Markdown showed the asterisks, in 11 versions of Yahoo's terms."""
    assert convert_markdown(f"Text.\n\n{line}\n").body == f"Text.\n\n{mended}\n"


def test_a_line_break_and_bold_after_a_line_of_spaces_open_the_next_bold_words() -> None:
    """Chayn's Privacy Policy (Open Terms Archive, commit 4951af4): `**` then a line
    break after a line of spaces opens the bold heading that follows; it is not the end of
    the bold words before."""
    text = "Text.\n\n**Kept for longer.  \n  \n**  \nRights with respect to your data  \n**You can"
    assert convert_markdown(text).body.startswith("Text.\n\n**Kept for longer.  \n  \n**  \n")


def test_bold_words_that_open_with_a_line_break_open_after_it() -> None:
    """Cityscoot's Terms of Use in French (Open Terms Archive) as recorded from
    `<b><br>ARTICLE 11 …</b>`: the heading showed its asterisks, in the page and in every
    redline's list of changes."""
    text = "Avant.\n\n**  \nARTICLE 11 PÉAGES – AMENDES – DÉLITS**\n" + "-" * 40 + "\n\nTexte.\n"
    converted = convert_markdown(text)
    assert "**ARTICLE 11 PÉAGES – AMENDES – DÉLITS**" in converted.body
    lines = tuple(range(1, converted.body.count("\n") + 2))
    rendered = render_markdown(CanonicalText(converted.body, lines), SourceLocation("fr.md"))
    assert "<strong>ARTICLE 11 PÉAGES – AMENDES – DÉLITS</strong></h2>" in rendered.html
    assert "*" not in rendered.html


def test_a_numbered_heading_written_as_a_list_of_one_item_is_a_heading() -> None:
    """Snapchat's Terms of Service as Open Terms Archive recorded them on 24 June 2026 (commit
    57e5455) write section 20's heading as a list of one item, where the versions before and
    after write `20\\.`: the redline showed the heading deleted and inserted whole."""
    text = (
        "19\\. Limitation of Liability\n\n"
        "TO THE MAXIMUM EXTENT PERMITTED BY LAW, WE AND OUR AFFILIATES WILL NOT BE LIABLE.\n\n"
        "20. Arbitration, Class-Action Waiver, and Jury Waiver\n\n"
        "PLEASE READ THE FOLLOWING PARAGRAPHS CAREFULLY.\n"
    )
    headings = [line for line in convert_markdown(text).body.split("\n") if line.startswith("#")]
    assert headings == [
        "## 19\\. Limitation of Liability",
        "## 20. Arbitration, Class-Action Waiver, and Jury Waiver",
    ]


def test_links_that_ran_a_script_lead_to_the_heading_they_name() -> None:
    """Shein's Terms of Service as Open Terms Archive recorded them on 30 April 2026 (commit
    a7719ee) open with contents whose links ran a script of the page (`javascript:;`): each
    showed as words, and check warned at every one, in every version."""
    text = (
        "*   [**1\\. GENERAL >**](javascript:;)\n"
        "*   [**2\\. USE OF OUR SERVICES >**](javascript:;)\n"
        "*   [**8\\. ADDITIONAL APP TERMS >**](JavaScript:void(0))\n\n"
        "1\\. GENERAL\n\n"
        "**1.1 Services.** The Site and the App are provided by SHEIN US Services, LLC.\n\n"
        "2\\. USE OF OUR SERVICES\n\n"
        "**2.1 Use of Services.** Subject to the terms and conditions of this Agreement.\n\n"
        "8\\. ADDITIONAL APP TERMS.\n\n"
        "**8.1 Mobile Applications.** We make available the App.\n"
    )
    converted = convert_markdown(text)
    assert converted.body.startswith(
        "*   [**1\\. GENERAL >**](#1-general)\n"
        "*   [**2\\. USE OF OUR SERVICES >**](#2-use-of-our-services)\n"
        "*   **8\\. ADDITIONAL APP TERMS >**\n\n"
        "## 1\\. GENERAL\n"
    )
    assert [(note.line, note.message) for note in converted.notes][1:] == [
        (
            1,
            "links that ran a script of the web page, such as '1. GENERAL >' here, now lead to "
            "the heading their words name: a policy page runs no script",
        ),
        (
            3,
            "links that ran a script of the web page, such as '8. ADDITIONAL APP TERMS >' here, "
            "are now their words alone: a policy page runs no script, and no heading has their "
            "words",
        ),
    ]
    rendered = render_markdown(
        CanonicalText(converted.body, tuple(range(1, converted.body.count("\n") + 2))),
        SourceLocation("en.md"),
    )
    assert '<a href="#section-1"><strong>1. GENERAL &gt;</strong></a>' in rendered.html
    assert rendered.problems == ()


def test_a_heading_of_level_six_stays_a_heading_when_headings_move_down() -> None:
    """A text with two first-level headings moves every heading one level down; one of level
    six became `####### Deep`, a paragraph showing its marks."""
    converted = convert_markdown("x\n\n# A\n\nx\n\n# B\n\n##### Five\n\n###### Deep\n\ny\n")
    assert converted.body == ("x\n\n## A\n\nx\n\n## B\n\n###### Five\n\n###### Deep\n\ny\n")


def test_a_numbered_line_whose_sentence_goes_on_after_a_clause_number_stays_a_paragraph() -> None:
    """LOVOO's Terms of Service (Open Terms Archive, dating-versions, commit e9fe491) cut a
    sentence before the clauses that end it: '12.1. Irrespective of the legal grounds, LOVOO
    is only liable where damages', then '12.1.1. have been caused by…'."""
    body = "".join(f"Paragraph {n} of the terms.\n\n" for n in range(12))
    text = (
        "12\\. Liability\n\n"
        + body
        + "12.1. Irrespective of the legal grounds, LOVOO is only liable where damages\n\n"
        "12.1.1. have been caused by culpable breach of one of the cardinal duties;\n\n"
        "12.2. Limitation of claims\n\n" + body
    )
    headings = [line for line in convert_markdown(text).body.split("\n") if line.startswith("#")]
    assert headings == ["## 12\\. Liability", "### 12.2. Limitation of claims"]


def test_a_converters_lists_come_in_as_the_web_page_showed_them() -> None:
    """Skroutz's Terms for merchants as Open Terms Archive recorded them (p2b-compliance-
    versions, commit 15323a0): 'Άρθρο 1' showed as item 10, after the nine definitions, and
    the clauses of 'Άρθρο 10' showed as code, their numbers and spaces as written."""
    text = (GREEK / "skroutz-articles.md").read_text(encoding="utf-8")
    converted = convert_markdown(text)
    assert "\n\n<!-- a list of its own, numbered as written -->\n\n1.  ### Άρθρο 1\n" in (
        converted.body
    )
    assert "10.  ### Άρθρο 10\n    \n     1.  Οποιαδήποτε διάταξη" in converted.body
    assert sorted((note.line, note.message) for note in converted.notes) == [
        (
            15,
            "kept apart numbered lists that meet, such as the one that starts again at "
            "'1.  ### Άρθρο 1' here, by a line `<!-- a list of its own, numbered as written "
            "-->`, which readers do not see: Markdown reads them as one list, and numbered the "
            "second on from the first",
        ),
        (
            24,
            "moved what list items numbered 10 and on hold as far right as their text, such as "
            "'10.  ### Άρθρο 10' here: a converter of web pages indented it four spaces, as "
            "under the items before, and Markdown read it as code, its lines as written",
        ),
    ]
    rendered = render_markdown(
        CanonicalText(converted.body, tuple(range(1, converted.body.count("\n") + 2))),
        SourceLocation("el.md"),
    )
    assert rendered.problems == ()
    assert "<pre" not in rendered.html
    articles = rendered.html[rendered.html.index("Express Παράδοση") :]
    assert "</ol>" in articles[: articles.index("Άρθρο 1<")]
    tenth = articles[articles.index("Άρθρο 10<") :]
    assert re.match(r"Άρθρο 10</h3>\n<ol>\n<li>Οποιαδήποτε διάταξη", tenth)


def test_items_numbered_10_and_on_keep_what_is_indented_as_far_as_their_text() -> None:
    text = "10. Ten.\n\n    Held by ten.\n\n11.  Eleven.\n\n     Held by eleven.\n"
    assert convert_markdown(text).body == text
    assert convert_markdown(text).notes == ()


@pytest.mark.parametrize(
    "text",
    [
        "1. One.\n2. Two.\n\n2. Two again.\n",
        "1. One.\n1. One too.\n\n1. One again.\n",
        "3. Three.\n4. Four.\n\n- a point\n\n1. One.\n",
    ],
    ids=["same-number", "all-ones", "apart-already"],
)
def test_lists_that_go_on_in_their_numbers_stay_one(text: str) -> None:
    assert convert_markdown(text).body == text


@pytest.mark.parametrize(
    ("line", "mended"),
    [
        (
            "**Automatic Renewal. **By enrolling in a subscription, you authorize us to charge.",
            "**Automatic Renewal.** By enrolling in a subscription, you authorize us to charge.",
        ),
        (
            "*   **VIP Service. **VIP Hosting/Support and VIP Support services are provided.",
            "*   **VIP Service.** VIP Hosting/Support and VIP Support services are provided.",
        ),
        (
            "Please read them carefully and reach out to us if you have any questions.** If you "
            "don’t agree to these Terms, don’t use our services.**",
            "Please read them carefully and reach out to us if you have any questions. **If you "
            "don’t agree to these Terms, don’t use our services.**",
        ),
        # Asterisks apart from any word, and a bold that opens again, are no pair to mend.
        ("We compute 2 ** 3 and 4 ** 2.", "We compute 2 ** 3 and 4 ** 2."),
        (
            "**Prohibited Uses. You may not use Ecommerce Features for any unlawful purposes. If "
            "your store is on WordPress.com, you must not violate our **[User Guidelines]"
            "(https://en.support.wordpress.com/user-guidelines/).",
            "**Prohibited Uses. You may not use Ecommerce Features for any unlawful purposes. If "
            "your store is on WordPress.com, you must not violate our **[User Guidelines]"
            "(https://en.support.wordpress.com/user-guidelines/).",
        ),
    ],
)
def test_spaces_a_web_page_kept_inside_bold_words_are_moved_out(line: str, mended: str) -> None:
    """WordPress.com's Terms of Service (github.com/Automattic/legalmattic, 'Terms of
    Service/WordPress.com/EN-Terms-of-Service.md', 2015 to 2026) write the space after bold
    words inside them, as the site's editor did: readers saw the asterisks in every one of
    the 83 revisions, and once the revisions were locked check no longer said so."""
    assert convert_markdown(f"Text.\n\n{line}\n").body == f"Text.\n\n{mended}\n"


def test_bold_that_holds_only_a_line_break_is_left_out() -> None:
    """WordPress.com's Terms of Service (as above, 13 April 2026): `below.**\\` then `**`."""
    text = (
        "If you are a user in countries located in the European Economic Area, some special "
        "terms apply to you as mentioned below.**\\\n**\n\nWe’ve made these Terms available.\n"
    )
    assert convert_markdown(text).body == (
        "If you are a user in countries located in the European Economic Area, some special "
        "terms apply to you as mentioned below.\n\nWe’ve made these Terms available.\n"
    )


@pytest.mark.parametrize(
    "code",
    [
        "```\nconfig\n\n1. step one\n---\n```\n",
        "```\nx\n\nTitle\n\n-----\n\n```\n",
        "    config\n\n    Title\n\n    -----\n",
    ],
    ids=["numbered line in a fence", "underlined apart in a fence", "indented code"],
)
def test_code_that_looks_like_an_underlined_heading_stays_as_written(code: str) -> None:
    converted = convert_markdown(f"# Terms\n\nRun:\n\n{code}")
    assert converted.body == f"Run:\n\n{code}"
    assert converted.notes == ()


def test_numbered_lines_underlined_as_headings_are_headings() -> None:
    """Hackers' Pub's Privacy Policy in Korean (github.com/hackers-pub/hackerspub,
    PRIVACY_POLICY.ko.md, commit 706260a) and Livi's in French (Open Terms Archive,
    sante-numerique-france-versions, 2025) underline their numbered headings, which Markdown
    reads as a list of one item and a rule: each section's title showed as a list item
    over a rule, and not in the page's contents."""
    text = (
        "Hackers' Pub 개인정보 보호정책\n==============================\n\n"
        "*최종 업데이트: 2026년 5월 25일*\n\n\n"
        "1. 소개\n-------\n\n"
        "Hackers' Pub은 소프트웨어 엔지니어와 기술 애호가를 위한 초대 전용 소셜 네트워크입니다.\n\n\n"
        "2. 수집하는 정보\n----------------\n\n"
        "### 계정 정보\n\n계정을 만들 때 다음 정보를 수집합니다.\n\n\n"
        "3) Les services\n---------------\n\nLes services sont des outils numériques.\n\n"
        "1. One item\n2. Then a rule\n---\n"
    )
    converted = convert_markdown(text)
    body = converted.body
    rendered = render_markdown(
        CanonicalText(body, tuple(range(1, body.count("\n") + 2))), SourceLocation("ko.md")
    )
    headings = re.findall(r"<(h\d)[^>]*>(.*?)</h\d>", rendered.html)
    assert [(tag, re.sub(r"<[^>]*>", "", words)) for tag, words in headings] == [
        ("h2", "1. 소개"),
        ("h2", "2. 수집하는 정보"),
        ("h3", "계정 정보"),
        ("h2", "3) Les services"),
    ]
    assert rendered.html.count("<hr") == 1, "a list of two items and a rule stay so"
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            7,
            "made headings of numbered lines underlined as headings are, such as '1. 소개' "
            "here: Markdown reads such a line as a list, and the line under it as a rule",
        )
    ]


def test_a_numbered_line_made_a_heading_is_no_lower_than_the_one_numbered_as_it_before() -> None:
    """Hackers' Pub's Privacy Policy (as above), its numbers escaped: '3. 정보의 활용', after
    the sub-sections of '2.', came in as a heading of level 4."""
    text = (
        "1\\. 소개\n\nHackers' Pub은 초대 전용 소셜 네트워크입니다.\n\n"
        "2\\. 수집하는 정보\n\n### 계정 정보\n\n계정을 만들 때 다음 정보를 수집합니다.\n\n"
        "3\\. 정보의 활용\n\n수집한 정보는 다음 목적으로 사용합니다.\n"
    )
    headings = [line for line in convert_markdown(text).body.split("\n") if line.startswith("#")]
    assert headings == [
        "## 1\\. 소개",
        "## 2\\. 수집하는 정보",
        "### 계정 정보",
        "## 3\\. 정보의 활용",
    ]


def test_a_clause_numbered_under_a_heading_of_its_number_is_one_level_below_it() -> None:
    """Livi's Privacy Policy (Open Terms Archive, sante-numerique-france-versions, 2025):
    '6.1. Prestataires de services', under the heading '6) Avec quels tiers…' of level 2,
    came in as a heading of level 4, as if a heading '6.' stood between them."""
    text = (
        "**6) Avec quels tiers vos données personnelles sont-elles partagées ?**\n"
        "-----------------------------------------------------------------------------\n\n"
        "Le fournisseur de soins est tenu à une obligation de confidentialité.\n\n"
        "6.1. Prestataires de services\n\nNous engageons des prestataires de services.\n\n"
        "6.3. Autres responsables de traitement\n\nIls décident des finalités.\n\n"
        "6.3.1. Autorités publiques\n\nNous pouvons être tenus de partager vos données.\n"
    )
    headings = [line for line in convert_markdown(text).body.split("\n") if line.startswith("#")]
    assert headings == [
        "### 6.1. Prestataires de services",
        "### 6.3. Autres responsables de traitement",
        "#### 6.3.1. Autorités publiques",
    ]


@pytest.mark.parametrize(
    ("line", "imported"),
    [
        (
            "- You may not show any part of the website on other websites with <iframe> or similar methods.",
            "- You may not show any part of the website on other websites with \\<iframe> or similar methods.",
        ),
        ("Written `<iframe>` here, <iframe> there.", "Written `<iframe>` here, \\<iframe> there."),
        ("Some <b>bold</b> words, and a <br> break.", "Some <b>bold</b> words, and a <br> break."),
        ("A frame: <iframe> shown </iframe>.", "A frame: <iframe> shown </iframe>."),
        ("3. <not allowed>", "3. \\<not allowed>"),
        ("Version <INSERT VERSION> of it.", "Version \\<INSERT VERSION> of it."),
        ("An <abbr title>ok</abbr> one.", "An <abbr title>ok</abbr> one."),
    ],
)
def test_a_tag_named_in_a_sentence_is_text(line: str, imported: str) -> None:
    """Kyle Mitchell's plain website terms of service (commit 5cb8de4, terms.md line 45) name
    `<iframe>` in a sentence: as Markdown it opened an element never closed, which check
    refused, so the history could not be imported. A tag that is closed stays markup.

    So did a placeholder of words in angle brackets: the U.S. Federal PKI's Certificate
    Policy (uspki/policies, certificate-policy.md, commit 36ae2d7, line 509) lists '3. <not
    allowed>', which opened a MathML element `not` that hid the rest of the text, and that
    version was left out of the history."""
    converted = convert_markdown(f"{line}\n")
    assert converted.body == f"{imported}\n"
    assert bool(converted.notes) == (line != imported)
    rendered = render_markdown(CanonicalText(converted.body, (1,)), SourceLocation("en.md"))
    if line != imported:
        assert rendered.problems == ()
        written = re.search(r"<[^>]*>", line)
        assert written is not None
        assert escape_html(written[0], quote=False) in rendered.html


def test_admonitions_are_quotes_under_their_title() -> None:
    """Retool's legal pages (tryretool/legal, pages/agreements/master-subscription-agreement.md
    at commit 24680b8; security.md at 509f26d) open with Docusaurus admonitions, which
    policygen's Markdown reads as unknown blocks: check refused every version, and nothing of
    the history could be imported. A region block stays what it is, and so does code."""
    text = (
        "---\ntitle: Master Subscription Agreement\nslug: /master-subscription-agreement\n---\n\n"
        ":::note\n\nApplicable to customers on the Enterprise plan.\n\n:::\n\n"
        ":::info Last updated\nAugust 14, 2023\n:::\n\n"
        ":::tip[Ask us]\nWrite to privacy@example.org.\n:::\n\n"
        "::: region eu\nThe EU text.\n:::\n\n"
        "```\n:::note\n:::\n```\n"
    )
    converted = convert_markdown(text)
    assert converted.body == (
        "> **Note**\n>\n> Applicable to customers on the Enterprise plan.\n>\n\n"
        "> **Last updated**\\\n> August 14, 2023\n\n"
        "> **Ask us**\\\n> Write to privacy@example.org.\n\n"
        "::: region eu\nThe EU text.\n:::\n\n"
        "```\n:::note\n:::\n```\n"
    )
    quotes = [note for note in converted.notes if "quote" in note.message]
    assert [note.line for note in quotes] == [6, 12, 16]
    assert "'Last updated'" in quotes[1].message
    lines = tuple(range(1, converted.body.count("\n") + 2))
    rendered = render_markdown(CanonicalText(converted.body, lines), SourceLocation("en.md"))
    assert rendered.html.startswith("<blockquote>\n<p><strong>Note</strong></p>\n<p>Applicable")


def test_mkdocs_admonitions_are_quotes_under_their_title() -> None:
    """AlesInfiny Maris' terms of use (AlesInfiny/maris, documents/contents/about-maris/
    terms.md at commit eb9e013) give the full text of both licences in MkDocs admonitions,
    `??? quote "…"` over words indented four spaces: the page showed '??? quote' and a
    paragraph of its title, then the whole Creative Commons licence as code, Markdown and
    all."""
    converted = convert_markdown((JAPANESE / "maris-terms-quotes.md").read_text(encoding="utf-8"))
    body = converted.body
    assert "???" not in body
    assert "> **クリエイティブ・コモンズ表示 4.0 国際ライセンス本文(日本語訳版)**\n>\n" in body
    assert (
        ">  **クリエイティブ・コモンズ表示 4.0 国際**\n>\n> クリエイティブ・コモンズ・コーポレーション"
        in body
    )
    assert (
        '> **Apache License, Version 2.0 本文**\n>\n> ```text linenums="0"\n'
        ">                               Apache License\n"
    ) in body
    assert "> limitations under the License.\n> ```\n\n## 免責事項" in body
    quotes = [note for note in converted.notes if "'??? quote'" in note.message]
    assert [(note.line, note.message.split(")")[0]) for note in quotes] == [
        (14, "the '??? quote' block (to line 21"),
        (28, "the '??? quote' block (to line 38"),
    ]
    lines = tuple(range(1, body.count("\n") + 2))
    html = render_markdown(CanonicalText(body, lines), SourceLocation("ja.md")).html
    soup = BeautifulSoup(html, "html.parser")
    quote = soup.find_all("blockquote")[0]
    assert (
        quote.find("strong").get_text()
        == "クリエイティブ・コモンズ表示 4.0 国際ライセンス本文(日本語訳版)"
    )
    assert [pre.get_text().split("\n")[0].strip() for pre in soup.find_all("pre")] == [
        "Apache License"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!!! note\n    Read this first.\n", "> **Note**\n> Read this first.\n"),
        ('!!! warning ""\n    No title.\n', "> No title.\n"),
        (
            '- An item.\n\n    !!! tip inline end "Ask us"\n        Write to us.\n',
            "- An item.\n\n    > **Ask us**\n    > Write to us.\n",
        ),
        ("Words.\n!!! note\n    More words.\n", "Words.\n!!! note\n    More words.\n"),
        ("```\n!!! note\n    Code.\n```\n", "```\n!!! note\n    Code.\n```\n"),
        ("!!! note\n\nNo words under it.\n", "!!! note\n\nNo words under it.\n"),
    ],
)
def test_mkdocs_admonitions_stay_what_they_were_around_them(text: str, expected: str) -> None:
    """An admonition's title is its own, its kind's name, or none (`""`), and one in a list
    item stays in it; a line in a paragraph, in code, or with no words indented under it is
    no admonition, and stays as it is."""
    assert convert_markdown(text).body == expected


def test_definition_lists_are_terms_in_bold_over_their_definitions() -> None:
    """AlesInfiny Maris' terms of use (AlesInfiny/maris, documents/contents/about-maris/
    terms.md at commit eb9e013) define their words in a definition list: each definition
    showed as a paragraph opening with ': ', and its term as a paragraph of its own."""
    converted = convert_markdown(
        (JAPANESE / "maris-terms-definitions.md").read_text(encoding="utf-8")
    )
    body = converted.body
    assert "\n:" not in body
    assert (
        "**`サンプルアプリケーション`**\n\n本サイトからダウンロードできる、ソースコード一式を指します。\n"
        "ただし、本サイトのドキュメントに直接記載されたソースコードは含みません。\n"
    ) in body
    [note] = [note for note in converted.notes if "definition lists" in note.message]
    assert note.line == 16
    lines = tuple(range(1, body.count("\n") + 2))
    html = render_markdown(CanonicalText(body, lines), SourceLocation("ja.md")).html
    soup = BeautifulSoup(html, "html.parser")
    terms = [strong.get_text() for strong in soup.select("p > strong:only-child")]
    assert terms == [
        "各種ドキュメント",
        "サンプルアプリケーション",
        "ドキュメント内に記載されたソースコード",
    ]
    assert not any(p.get_text().startswith(":") for p in soup.find_all("p"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Term\n:   Its definition.\n", "**Term**\\\nIts definition.\n"),
        (
            "Term\n\n:   First.\n\n:   Second,\n    on two lines.\n\n    More of it.\n\nAfter.\n",
            "**Term**\n\nFirst.\n\nSecond,\non two lines.\n\nMore of it.\n\nAfter.\n",
        ),
        # No term above it, or a line that opens a list, a heading or code: no definition.
        (":   Alone.\n", ":   Alone.\n"),
        ("- An item\n:   Not a definition.\n", "- An item\n:   Not a definition.\n"),
        ("```\nTerm\n:   Code.\n```\n", "```\nTerm\n:   Code.\n```\n"),
    ],
)
def test_definition_lists_and_lines_that_are_none(text: str, expected: str) -> None:
    """A term right above its definition ends in a line break, so that every line keeps its
    number; a term may have several definitions, each of several paragraphs."""
    assert convert_markdown(text).body == expected


def test_hints_never_closed_take_a_time_in_proportion_to_them() -> None:
    """Not a speed check: each opening of a hint or an admonition looked for its closing
    line from where it was, so that a stranger's text of many never closed took a time
    growing with the square of their number."""

    def seconds(hints: int, opening: str, closing: str) -> float:
        text = f"{closing}\n" + f"{opening}\nWords.\n" * hints
        started = time.perf_counter()
        assert "> Words." not in convert_markdown(text).body
        return time.perf_counter() - started

    # GitBook's hints, and Docusaurus' admonitions
    for opening, closing in [('{% hint style="info" %}', "{% endhint %}"), (":::note", ":::")]:
        assert seconds(20_000, opening, closing) < 25 * seconds(2_000, opening, closing) + 1


def test_gitbook_hints_are_quotes() -> None:
    """DecisionRules' SLAs (decisionrules/documentation, terms-and-conditions/sla/standard-
    cloud.md at commit 21d638e) open and end with GitBook hints, which policygen showed as
    text, tags and all: '{% hint style="info" %}' above the words and '{% endhint %}' below.
    A hint in a list item stays in it; one in code, or never closed, is left as it is."""
    text = (
        "---\ndescription: DecisionRules offers different types of SLA.\n---\n\n"
        '{% hint style="info" %}\n'
        "Other SLA: [Community Support](community-support-and-standard-cloud.md).\n"
        "{% endhint %}\n\n"
        "1. **Critical (priority 1)**\n\n"
        '   {% hint style="warning" %}\n'
        "   The list of examples is only for better orientation.\n\n"
        "   Of what belongs to which category.\n"
        "   {% endhint %}\n\n"
        '```\n{% hint style="info" %}\n{% endhint %}\n```\n\n'
        '{% hint style="danger" %}\nNever closed.\n'
    )
    converted = convert_markdown(text)
    assert converted.body == (
        "> Other SLA: [Community Support](community-support-and-standard-cloud.md).\n\n"
        "1. **Critical (priority 1)**\n\n"
        "   > The list of examples is only for better orientation.\n"
        "   >\n"
        "   > Of what belongs to which category.\n\n"
        '```\n{% hint style="info" %}\n{% endhint %}\n```\n\n'
        '{% hint style="danger" %}\nNever closed.\n'
    )
    hints = [note for note in converted.notes if "GitBook" in note.message]
    assert [note.line for note in hints] == [5]
    lines = tuple(range(1, converted.body.count("\n") + 2))
    rendered = render_markdown(CanonicalText(converted.body, lines), SourceLocation("en.md"))
    assert rendered.html.startswith("<blockquote>\n<p>Other SLA:")
    assert "<li>\n<p><strong>Critical (priority 1)</strong></p>\n<blockquote>" in rendered.html


def test_a_heading_with_no_words_is_left_out() -> None:
    """DecisionRules' Terms and Conditions (decisionrules/documentation, terms-and-conditions/
    terms-and-conditions.md at commit 1e378a4) ended with '##' alone: the page showed an empty
    line and its contents an entry with nothing to read, and the redline of the next version,
    which had none, listed that section as removed. A heading whose words are markup, or
    an id alone, is kept, for check to say."""
    text = (
        "# Terms and Conditions\n\n## Contact Us\n\n* By email: sales@decisionrules.io\n\n##\n\n"
        "### ###\n\n## {#fees}\n\n## \\#\n"
    )
    converted = convert_markdown(text)
    assert converted.body == (
        "## Contact Us\n\n* By email: sales@decisionrules.io\n\n## {#fees}\n\n## \\#\n"
    )
    left_out = [note for note in converted.notes if "no words" in note.message]
    assert [note.line for note in left_out] == [7, 9]
    assert left_out[1].message.startswith("left out '###', a heading with no words")


def test_jekyll_placeholders_of_the_pages_front_matter_are_filled_in() -> None:
    """CoronaMelder's privacy statement (minvws/nl-covid19-notification-app-website,
    en/privacy.md at commit 457dd6f6, 8 April 2022) links to its FAQ with Jekyll's
    `{{ page.lang }}` in the address, its front matter saying `lang: en`: imported, the link
    led to `https://coronamelder.nl/{{ page.lang }}/faq/…`. A value that is no word or number
    (a date, a list), a name the front matter has not, a filter, and a text that keeps
    Liquid from running, are left as they are."""
    text = (
        "---\nlayout: content\nlang: en\nshowBreadCrumbs: true\n"
        "title: CoronaMelder Privacy Statement\nupdated: 2022-04-08\n---\n"
        "An up-to-date overview of the participating countries can be found in the section "
        "[CoronaMelder and abroad](https://coronamelder.nl/{{ page.lang }}/faq/1-7) in the FAQ.\n\n"
        "Language: {{page.lang}}; updated {{ page.updated }}; {{ page.nope }}; "
        "{{ page.title | upcase }}.\n"
    )
    converted = convert_markdown(text)
    assert converted.body == (
        "An up-to-date overview of the participating countries can be found in the section "
        "[CoronaMelder and abroad](https://coronamelder.nl/en/faq/1-7) in the FAQ.\n\n"
        "Language: en; updated {{ page.updated }}; {{ page.nope }}; "
        "{{ page.title | upcase }}.\n"
    )
    filled = [note for note in converted.notes if "filled in" in note.message]
    assert [(note.line, note.message[:32]) for note in filled] == [
        (8, "'{{ page.lang }}' is filled in w")
    ]
    raw = text.replace("---\nAn", "---\n{% raw %}\nAn")
    assert "{{ page.lang }}" in convert_markdown(raw).body


def test_clauses_indented_past_an_items_paragraph_come_in_as_text_not_code() -> None:
    """Common Paper's Data Processing Agreement (github.com/CommonPaper/DPA, DPA.md) writes
    the points of its clause 3.2(c) twelve spaces in: they showed as code, in a box, their
    raw HTML ('<span class="keyterms_link">Governing Member State</span>') as written."""
    text = (
        "3. Restricted Transfers\n\n"
        "    2. Ex-EEA Transfers. Any such transfer is made pursuant to the EEA SCCs:\n\n"
        "        c. For each module, the following applies (when applicable):    \n\n"
        "            i. The optional docking clause in Clause 7 does not apply;\n\n"
        "            v. In Clause 17 (Option 1), the EEA SCCs will be governed by the laws"
        ' of <span class="keyterms_link">Governing Member State</span>;\n\n'
        "    3. Ex-UK Transfers.\n"
    )
    converted = convert_markdown(text)
    assert converted.body == text.replace("            ", "        ")
    assert [(note.line, note.message) for note in converted.notes] == [
        (
            7,
            "moved clauses such as 'i. The optional docking clause in…' here left, as far "
            "right as the paragraph above them: indented four spaces or more past it, "
            "Markdown read them as code, their lines as written",
        )
    ]
    rendered = render_markdown(
        CanonicalText(converted.body, tuple(range(1, converted.body.count("\n") + 2))),
        SourceLocation("en.md"),
    )
    assert "<pre" not in rendered.html
    assert "<p>v. In Clause 17 (Option 1)" in rendered.html
    assert "&lt;span" not in rendered.html


def test_clauses_under_an_items_first_paragraph_stand_as_far_right_as_its_text() -> None:
    text = "1. Intro.\n\n    2. Transfers, as follows:\n\n               i. A clause;\n\n    3. Next.\n"
    body = convert_markdown(text).body
    assert body == text.replace("               i.", "       i.")
    rendered = render_markdown(
        CanonicalText(body, tuple(range(1, body.count("\n") + 2))), SourceLocation("en.md")
    )
    assert "<p>Transfers, as follows:</p>\n<p>i. A clause;</p>" in rendered.html


@pytest.mark.parametrize(
    "text",
    [
        # Code under a paragraph of an item that is not made of clauses stays code.
        "1. Run this:\n\n           pip install policygen\n",
        # So is a block of clauses at the margin, under no list item, or in a quote.
        "- > Text:\n  >\n  >         i. A clause.\n",
        "Text:\n\n    i. A clause.\n",
    ],
)
def test_code_that_is_no_clauses_stays_code(text: str) -> None:
    assert convert_markdown(text).body == text


@pytest.mark.parametrize(
    ("outline", "start", "number_format", "body"),
    [
        # `str.isdigit` is true of "²", which `int` does not read, and of 5,000 digits, more
        # than Python reads: either stopped the import.
        ("²", "2", "lowerLetter", "Scope\n\n(b) Item 0.\n\n(c) Item 1.\n"),
        ("1" * 5000, "²", "decimal", "Scope\n\n(0) Item 0.\n\n(1) Item 1.\n"),
        # Written in letters, each item of a list started at 100,000,000 was 3.8 MB: a
        # file of a few kilobytes filled the memory.
        (
            "0",
            "100000000",
            "lowerLetter",
            "(100000000) Item 0.\n\n(100000001) Item 1.\n",
        ),
    ],
)
def test_numbers_a_document_writes_as_no_word_document_does_are_read_as_what_they_are(
    outline: str, start: str, number_format: str, body: str
) -> None:
    converted = convert_docx(make_numbers_docx(outline, start, number_format, 2))
    assert converted.body == body


@pytest.mark.parametrize(
    ("start", "first"), [("\u00bd", 1), ("\u0663", 1), ("1" * 5000, 1), (" +7", 7), ("12abc", 12)]
)
def test_a_list_starts_where_browsers_start_it(start: str, first: int) -> None:
    page = f'<html><body><h1>T</h1><ol start="{start}"><li>One</li><li>Two</li></ol></body></html>'
    assert convert_html_page(page).body == f"{first}. One\n{first + 1}. Two\n"


def test_word_footnotes_and_endnotes_become_markdown_footnotes() -> None:
    """They were moved to the end as paragraphs after a line, "[1]" marks as text."""
    from ..fixtures.word import make_footnotes_docx

    converted = convert_docx(
        make_footnotes_docx(
            [["As *defined* [here]."], ["First.", "Second paragraph."], ["An endnote."]],
            endnote=True,
        )
    )
    assert converted.body == (
        "Sentence footnote 1.[^1]\n\nSentence footnote 2.[^2]\n\nSentence endnote 1.[^e1]\n\n"
        "[^1]: As \\*defined\\* \\[here\\].\n\n[^2]: First.\n\n    Second paragraph.\n\n"
        "[^e1]: An endnote.\n"
    )
    assert converted.notes == ()
    text = CanonicalText(converted.body, tuple(range(1, converted.body.count("\n") + 2)))
    rendered = render_markdown(text, SourceLocation("en.md"))
    assert rendered.problems == ()
    assert re.findall(r'<li id="(pg-fn-\d)"><p>([^<]*)', rendered.html) == [
        ("pg-fn-1", "As *defined* [here]. "),
        ("pg-fn-2", "First."),
        ("pg-fn-3", "An endnote. "),
    ]


def test_many_word_footnotes_take_a_time_in_proportion_to_them() -> None:
    """Not a speed check."""
    from ..fixtures.word import make_footnotes_docx

    def seconds(count: int) -> float:
        data = make_footnotes_docx([[f"Note {k}."] for k in range(count)])
        started = time.perf_counter()
        body = convert_docx(data).body
        assert body.count("[^") == 2 * count
        return time.perf_counter() - started

    seconds(10)
    assert seconds(2_000) < 8 * seconds(500) + 0.5


def test_a_table_head_with_fewer_cells_than_its_dashes_is_widened() -> None:
    """Perplexity's Privacy Policy as Open Terms Archive recorded it (genai-eu-versions,
    commit e4ae311) heads its table of recipients with two cells over three columns of
    dashes, the web page's second header cell spanning two columns: Markdown reads no table
    there, and readers saw every row as written, pipes, dashes and `*   ` and all. The head
    gets the empty cells it lacks, at its end, the row under it that names the columns its
    last cell spans moves under them, and the note says so."""
    converted = convert_markdown(
        (ENGLISH / "perplexity-recipients-head.md").read_text(encoding="utf-8")
    )
    assert "| Category of Personal Information | Category of Recipients | |\n" in converted.body
    lines = tuple(range(1, converted.body.count("\n") + 2))
    html = render_markdown(CanonicalText(converted.body, lines), SourceLocation("en.md")).html
    soup = BeautifulSoup(html, "html.parser")
    assert [th.get_text() for th in soup.select("thead th")] == [
        "Category of Personal Information",
        "Category of Recipients",
        "",
    ]
    rows = soup.select("tbody tr")
    assert len(rows) == 3
    assert [td.get_text() for td in rows[0].select("td")] == [
        "",
        "Disclosures for a Business Purpose",
        "Sharing for Targeted Advertising",
    ]
    assert "|" not in soup.get_text()
    [note] = [note for note in converted.notes if "table" in note.message]
    assert note.line == 3
    assert "2 cells" in note.message and "3 columns" in note.message


@pytest.mark.parametrize(
    "text",
    [
        "| a | b |\n| --- | --- |\n| c | d |\n",  # a table already
        "```\n| a |\n| --- | --- |\n```\n",  # code
        "| a | b | c |\n| --- | --- |\n",  # more cells than dashes: cells not to be dropped
    ],
)
def test_table_heads_that_need_no_cells_are_left_as_written(text: str) -> None:
    converted = convert_markdown(text)
    assert converted.body == text
    assert not [note for note in converted.notes if "table" in note.message]


def test_mkdocs_icon_codes_are_left_out() -> None:
    """AlesInfiny Maris' terms of use (AlesInfiny/maris, commit eb9e013) end the link to the
    Creative Commons licence with `:material-open-in-new:`, the MkDocs icon of a link to
    another site, as they do 62 files of the site: readers saw the code, colons and all."""
    converted = convert_markdown((JAPANESE / "maris-terms-quotes.md").read_text(encoding="utf-8"))
    assert ":material" not in converted.body
    assert (
        "[クリエイティブ・コモンズ表示 4.0 国際ライセンス](https://creativecommons.org/licenses/by/4.0/)"
        in converted.body
    )
    [note] = [note for note in converted.notes if "icon" in note.message]
    assert note.line == 12
    assert "':material-open-in-new:' (1 here)" in note.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- :material-check: Yes\n", "- Yes\n"),
        ("Go :fontawesome-brands-github: there :octicons-link-external-16:.\n", "Go there.\n"),
        (
            "Write `:material-open-in-new:` after it.\n",
            "Write `:material-open-in-new:` after it.\n",
        ),
        ("```\n:material-check:\n```\n", "```\n:material-check:\n```\n"),
        ("At 10:30: material-x: no icon.\n", "At 10:30: material-x: no icon.\n"),
    ],
)
def test_icon_codes_outside_code_are_left_out(text: str, expected: str) -> None:
    assert convert_markdown(text).body == expected


def test_links_around_cards_go_on_their_headings() -> None:
    """Base's Privacy Policy as Open Terms Archive recorded it (contrib-versions, commit
    aa8865b) links each card of its web page, a heading and a paragraph, with one link
    around both: Markdown reads no link across an empty line, and readers saw `[###
    Onboard anyone` and `…world.](https://docs.base.org/…)[### Accept crypto payments`."""
    converted = convert_markdown((ENGLISH / "base-cards.md").read_text(encoding="utf-8"))
    body = converted.body
    assert "](https://docs.base.org/use-cases/onboard-any-user)\n" in body
    assert (
        "### [Onboard anyone](https://docs.base.org/use-cases/onboard-any-user)\n\n"
        "Let users sign up and sign in with Smart Wallet — the universal account for the"
        " onchain world.\n\n### [Accept crypto payments]("
    ) in body
    lines = tuple(range(1, body.count("\n") + 2))
    html = render_markdown(CanonicalText(body, lines), SourceLocation("en.md")).html
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("h3 > a[href^='https://docs.base.org/use-cases/']")) == 6
    assert "](" not in soup.get_text() and "[" not in soup.get_text()
    cards = [note for note in converted.notes if "card" in note.message]
    assert [note.line for note in cards] == [6, 8, 10, 12, 14, 16]
    assert "the link on 'Onboard anyone'" in cards[0].message


def test_links_around_a_heading_or_an_image_go_on_the_heading() -> None:
    """BankID's Terms of Service as Open Terms Archive recorded them (contrib-versions,
    commit 00f38fb) end in news cards linked around an image, a heading, a date and a
    paragraph, and a heading whose dashes end in the link's target."""
    converted = convert_markdown((ENGLISH / "bankid-cards.md").read_text(encoding="utf-8"))
    body = converted.body
    assert "[Latest from us](https://www.bankid.com/en/news-press/news)\n------" in body
    assert (
        "#### [Secure summer](https://www.bankid.com/en/about-us/news/secure-summer)\n\n"
        "2026-06-26\n\nStay safe when you're using BankID during summer. Follow our tips.\n"
    ) in body
    assert "autumn.\n\n![](" in body
    lines = tuple(range(1, body.count("\n") + 2))
    html = render_markdown(CanonicalText(body, lines), SourceLocation("en.md")).html
    assert "](" not in BeautifulSoup(html, "html.parser").get_text()
    cards = [note for note in converted.notes if "card" in note.message]
    assert [excerpt for note in cards for excerpt in [note.message.rsplit("'", 2)[1]]] == [
        "Latest from us",
        "Facial recognition as an extra control",
        "Digital ID card at the voting location",
        "Secure summer",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[one\nline](https://example.com) goes on.\n",  # a link over two lines of a paragraph
        "```\n[### In code\n\nwords](https://example.com)\n```\n",
        "[Not closed\n\nwords] and (more)\n",
        "\\[### Escaped\n\nwords](https://example.com)\n",
    ],
)
def test_links_that_are_no_cards_are_left_as_written(text: str) -> None:
    converted = convert_markdown(text)
    assert converted.body == text
    assert not [note for note in converted.notes if "card" in note.message]


def test_bold_over_several_paragraphs_is_bold_in_each() -> None:
    """Wargaming's Terms of Service as Open Terms Archive recorded them (contrib-versions,
    commit 2cb21ff) make their instructions on withdrawal bold, from `**Member States of
    the European Union; United Kingdom` to `…**` 13 paragraphs on: Markdown reads no bold
    across paragraphs, and readers saw both pairs of asterisks, the words plain."""
    converted = convert_markdown(
        (ENGLISH / "wargaming-bold-withdrawal.md").read_text(encoding="utf-8")
    )
    body = converted.body
    assert "**Member States of the European Union; United Kingdom**  \n" in body
    assert "**Wargaming Group Limited  \n105 Agion" in body
    assert "(https://wargaming.net/support/),**  \n" in body
    assert "\n\nBased on the aforesaid" in body
    lines = tuple(range(1, body.count("\n") + 2))
    html = render_markdown(CanonicalText(body, lines), SourceLocation("en.md")).html
    soup = BeautifulSoup(html, "html.parser")
    assert "**" not in soup.get_text()
    assert len(soup.select("p > strong:only-child")) == 13
    [note] = [note for note in converted.notes if "bold" in note.message]
    assert (note.line, "13 paragraphs, to line 33") == (3, note.message.split("over ")[1][:25])


@pytest.mark.parametrize(
    "text",
    [
        "**Bold  \n  \n**\n",  # ends in two line breaks, closed on a line of its own
        "**One\n\n**Two\n",  # the closing `**` opens the last paragraph
        "**One\n\n## Heading\n\nthree**\n",  # a heading between
        "**One\n\n```\ncode\n```\n\nthree**\n",  # code between
        "Two ** apart\n\nand ** here.\n",  # the next paragraph
    ],
)
def test_bold_that_runs_over_no_plain_paragraphs_is_left_alone(text: str) -> None:
    converted = convert_markdown(text)
    assert not [note for note in converted.notes if "paragraphs" in note.message]


def test_bold_closed_alone_in_the_next_paragraph_ends_on_the_line_before() -> None:
    """Cdiscount's Commercial Terms as Open Terms Archive recorded them (contrib-versions,
    commit 91bac12) make two headings bold, a line of spaces between them, and close the
    bold with `**` alone on the line after the second, in the paragraph it heads: readers
    saw `**2.2 Prix de référence` and a line `**`."""
    text = (
        "\u00a0\u00a0**2.2 Prix de référence  \n  \n"
        '2.2.1 Les "annonces de réductions de prix"  \n**  \n'
        "Pour toute annonce de réduction de prix d’un produit proposé sur le Site, …\n"
    )
    converted = convert_markdown(text)
    assert converted.body == (
        "\u00a0\u00a0**2.2 Prix de référence**  \n  \n"
        '**2.2.1 Les "annonces de réductions de prix"**  \n\n'
        "Pour toute annonce de réduction de prix d’un produit proposé sur le Site, …\n"
    )
    [note] = [note for note in converted.notes if "bold" in note.message]
    assert (note.line, "2 paragraphs, to line 4") == (1, note.message.split("over ")[1][:23])


def test_a_logo_drawn_in_lines_of_code_is_left_out() -> None:
    """Le Chat's Terms of Service as Open Terms Archive recorded them (genai-eu-versions,
    commit bcbbe56) end with Mistral AI's logo from the web page's footer, drawn in 35 lines
    of code spans of dots, dashes and `%`: readers saw them under the host's address, and
    screen readers read out each character."""
    converted = convert_markdown((ENGLISH / "lechat-drawn-logo.md").read_text(encoding="utf-8"))
    assert "`" not in converted.body
    assert converted.body.endswith("San Francisco, CA 94105.\u00a0\n")
    [note] = [note for note in converted.notes if "picture" in note.message]
    assert note.line == 10
    assert note.message.startswith("left out 35 lines of code that hold no letter or digit")


@pytest.mark.parametrize(
    "text",
    [
        "`--`  \n`==`  \n`**`  \n`%%`  \n",  # four lines
        "`--`  \n`==`  \n`**`  \n`%%`  \n`a-b`  \n",  # a word in one
        "`--`  \n`==`  \n\n`**`  \n`%%`  \n`##`  \n",  # not one after the other
        "```\n`--`\n`==`\n`**`\n`%%`\n`##`\n```\n",  # in code
    ],
)
def test_few_or_wordy_lines_of_code_are_no_drawing(text: str) -> None:
    converted = convert_markdown(text)
    assert converted.body == text


def test_a_tag_no_element_has_after_a_word_is_written_as_text() -> None:
    """ChatGPT's Trackers Policy as Open Terms Archive recorded it (genai-eu-versions,
    from commit 353292a on) names a cookie `ttcsid\\_<pixelID>` in its table: the page
    would have read `<pixelID>` as a tag and shown nothing, and import refused every
    version with that error."""
    text = (
        "| Provider | Cookie | Duration |\n| --- | --- | --- |\n"
        "| TikTok | ttcsid\\_<pixelID> | 30 minutes |\n"
    )
    converted = convert_markdown(text)
    assert "| ttcsid\\_\\<pixelID> |" in converted.body
    [note] = [note for note in converted.notes if "pixelID" in note.message]
    assert note.line == 3
    assert "no HTML element has that name" in note.message
    assert convert_markdown("Run a<b>bold</b> test.\n").body == "Run a<b>bold</b> test.\n"


def test_a_placeholder_over_lines_of_words_is_written_as_text() -> None:
    """LINE's Privacy Policy as Open Terms Archive recorded it (pga-versions, from commit
    c370e4d on) heads each representative's address with `<EU Representative>` and a line
    break: Markdown read the tag and the address under it as HTML, and import refused all
    its versions."""
    text = (
        "Our representatives:\n\n"
        "<EU Representative>  \nPLANIT // LEGAL  \nAttn: LY Corporation EU Representative\n\n"
        "<UK Representative>  \nPLANIT // LEGAL (UK)\n"
    )
    converted = convert_markdown(text)
    assert "\n\\<EU Representative>  \nPLANIT // LEGAL  \n" in converted.body
    assert "\n\\<UK Representative>  \nPLANIT // LEGAL (UK)\n" in converted.body
    assert [note.line for note in converted.notes if "placeholder" in note.message] == [3, 7]
