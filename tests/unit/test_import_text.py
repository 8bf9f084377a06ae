"""Plain text files → policygen Markdown: paragraphs as written, numbered lines made headings,
addresses linked, and nothing else read as Markdown."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.canonical import CanonicalText
from policygen.errors import SourceLocation
from policygen.importing.text import convert_text, is_markdown
from policygen.markdown import render_markdown

TUMBLR_2017 = """\
Hello! Welcome to Tumblr's Terms of Service. Please read this carefully before
using our site, services, or products.

1. Accepting the Terms of Service

  Please read these Terms of Service and our Community Guidelines (collectively,
  the "Agreement") carefully before using tumblr.com (the "Site").

    We're just letting you know, here, that Tumblr is now part of Oath.

2. Modifications to this Agreement

  Tumblr reserves the right to modify this Agreement by (1) posting a revised
  Agreement and (2) providing notice to you.
"""

# Its title line ends with a space, as Tumblr's does.
TUMBLR_2024 = (
    "TERMS OF SERVICE \n"
    + """\
Last Modified: 2024-09-06
Tumblr is a U.S. company and subject to U.S. laws and jurisdiction. The original version of these Terms of Service are written in English, and the English version controls.


1. ACCEPTING THE TERMS OF SERVICE

Please read these Terms of Service and our User Guidelines (https://www.tumblr.com/policy/user-guidelines) carefully before using tumblr.com.

ELIGIBILITY:

You may not use the Services if you are under the Minimum Age.
"""
)


def test_wrapped_and_indented_paragraphs_are_paragraphs_not_code() -> None:
    converted = convert_text(TUMBLR_2017)
    assert converted.title is None
    assert converted.body == (
        "Hello! Welcome to Tumblr's Terms of Service. Please read this carefully before using our site, services, or products.\n\n"
        "## 1. Accepting the Terms of Service\n\n"
        'Please read these Terms of Service and our Community Guidelines (collectively, the "Agreement") carefully before using tumblr.com (the "Site").\n\n'
        "We're just letting you know, here, that Tumblr is now part of Oath.\n\n"
        "## 2. Modifications to this Agreement\n\n"
        "Tumblr reserves the right to modify this Agreement by (1) posting a revised Agreement and (2) providing notice to you.\n"
    )
    assert "<pre>" not in _html(converted.body)


def test_a_paragraph_on_each_line_stays_one_and_the_first_line_is_the_title() -> None:
    converted = convert_text(TUMBLR_2024)
    assert converted.title == "TERMS OF SERVICE"
    assert converted.body == (
        "Last Modified: 2024-09-06\n\n"
        "Tumblr is a U.S. company and subject to U.S. laws and jurisdiction. The original version of these Terms of Service are written in English, and the English version controls.\n\n"
        "## 1. ACCEPTING THE TERMS OF SERVICE\n\n"
        "Please read these Terms of Service and our User Guidelines (<https://www.tumblr.com/policy/user-guidelines>) carefully before using tumblr.com.\n\n"
        "ELIGIBILITY:\n\n"
        "You may not use the Services if you are under the Minimum Age.\n"
    )


@pytest.mark.parametrize(
    "first", ["Last Modified: 2012-03-02", "Last modified: September 12, 2018"]
)
def test_a_first_line_that_states_a_date_is_no_title(first: str) -> None:
    """Tumblr's terms (2012) and API license agreement (2018): the first line says when they
    were last modified."""
    converted = convert_text(f"{first}\n\nHi and welcome!\n")
    assert converted.title is None
    assert converted.body == f"{first}\n\nHi and welcome!\n"


def test_a_line_in_capitals_standing_alone_is_a_heading() -> None:
    """Tumblr's privacy policy: its sections are named in capitals; with numbered sections
    (its terms), capitals name their parts."""
    converted = convert_text(
        "PRIVACY POLICY\n\nWHAT WE COLLECT AND HOW WE USE IT\n\nYour account.\n\n"
        "NOT A HEADING:\n\nTHIS IS A SENTENCE IN CAPITALS.\n\nSECTION #1 ##\n\n"
        "PRIVACY POLICY LAST MODIFIED: 2019-12-26\n"
    )
    assert converted.title == "PRIVACY POLICY"
    assert converted.body == (
        "## WHAT WE COLLECT AND HOW WE USE IT\n\nYour account.\n\n"
        "NOT A HEADING:\n\nTHIS IS A SENTENCE IN CAPITALS.\n\n## SECTION \\#1 \\#\\#\n\n"
        "PRIVACY POLICY LAST MODIFIED: 2019-12-26\n"
    )
    numbered = convert_text("Intro.\n\n1. TERMS\n\nELIGIBILITY\n\nYou must be 13.\n")
    assert numbered.body == "Intro.\n\n## 1. TERMS\n\n### ELIGIBILITY\n\nYou must be 13.\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Tumblr's privacy policy since 2023, still privacy-policy.txt.
        ('Tumblr, Inc. ("**Tumblr,**") takes your privacy seriously.\n', True),
        ("See [Automattic](https://automattic.com/).\n", True),
        ("Intro.\n\n### Summary of Information We Collect\n", True),
        # Plain text that only looks a little like it.
        ("Feel free to [email us]. Rated ** out of five.\n#hashtag\n", False),
        ("1. ACCEPTING THE TERMS\n\n- a dash\n", False),
    ],
)
def test_a_text_file_written_in_markdown_is_told_apart(text: str, expected: bool) -> None:
    assert is_markdown(text) is expected


def test_short_lines_are_kept_as_lines() -> None:
    """Tumblr's terms, 2012: the copyright agent's address."""
    converted = convert_text(
        "Our designated agent is:\n\n    Tumblr, Inc.\n    Attn: Copyright Agent\n"
        "    Email: [dmca@tumblr.com]\n"
    )
    assert converted.body == (
        "Our designated agent is:\n\n"
        "Tumblr, Inc.\\\nAttn: Copyright Agent\\\nEmail: \\[<dmca@tumblr.com>\\]\n"
    )
    assert "Tumblr, Inc.<br>\nAttn: Copyright Agent<br>" in _html(converted.body)


def test_what_markdown_would_read_is_shown_as_written() -> None:
    text = (
        "Intro.\n\n"
        "1. This clause is a sentence, not a heading.\n\n"
        "- not a list\n\n"
        "# not a heading\n\n"
        "#hashtag\n\n"
        "::: region europe\n\n"
        "---\n\n"
        "> not a quote\n\n"
        "Your URL is [username].tumblr.com, *not* <b>bold</b> &amp; {: #id } a_b | c ~~d~~ `e` \\f\n\n"
        "[1]: https://example.org\n\n"
        "Write to legal@example.org or see https://example.org/terms_of_service.\n"
    )
    converted = convert_text(text)
    assert _shown(_html(converted.body)) == text.split()
    assert '<a href="mailto:legal@example.org">' in _html(converted.body)
    assert '<a href="https://example.org/terms_of_service">' in _html(converted.body)
    assert "<h2" not in _html(converted.body)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(
                alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                min_size=1,
                max_size=60,
            ),
            min_size=1,
            max_size=3,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_plain_text_reads_as_written(blocks: list[list[str]]) -> None:
    """Whatever the characters, a reader reads the words of the file, in its order."""
    text = "\n\n".join("\n".join(lines) for lines in blocks)
    converted = convert_text(text)
    expected = text.split()
    if converted.title is not None:
        expected = expected[len(converted.title.split()) :]
    assert _shown(_html(converted.body)) == expected


def _html(body: str) -> str:
    lines = tuple(range(1, body.count("\n") + 2))
    return render_markdown(CanonicalText(body, lines), SourceLocation("")).html


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _shown(page_html: str) -> list[str]:
    """The words a reader reads on the page."""
    reader = _Text()
    reader.feed(page_html)
    return "".join(reader.parts).split()


@pytest.mark.parametrize("unit", ["a", "[", "a@", "http://.:", "{%"])
def test_a_long_line_is_read_in_a_time_in_proportion_to_it(unit: str) -> None:
    """Not a speed check: 400 KB of one word took minutes when an address was looked for from
    every character; now a fraction of a second."""
    text = unit * (400_000 // len(unit))
    started = time.perf_counter()
    convert_text(text)
    is_markdown(text)
    assert time.perf_counter() - started < 30
