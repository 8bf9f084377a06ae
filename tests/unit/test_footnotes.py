"""Footnotes: marks, the list of notes, their ids, hostile labels and notes, and their time."""

from __future__ import annotations

import re
import time

import pytest

from policygen.canonical import CanonicalText
from policygen.errors import SourceLocation
from policygen.markdown import RenderedText, present_text, render_markdown

from ..timing import assert_in_proportion

MARK = '<sup class="footnote-ref"><a href="#pg-fn-{n}" id="pg-fnref-{id}">[{n}]</a></sup>'


def rendered(text: str) -> RenderedText:
    return render_markdown(
        CanonicalText(text, tuple(range(1, text.count("\n") + 2))), SourceLocation("x.md")
    )


def problems(text: str) -> list[str]:
    return [str(problem) for problem in rendered(text).problems]


def test_a_mark_links_to_its_note_and_the_note_links_back() -> None:
    html = rendered(
        "## 1. Data\n\nWe keep your address[^addr] for a year.[^2]\n\n"
        "[^addr]: As you give it, *postal* or email.\n[^2]: From your last order.\n"
    ).html
    assert (
        "We keep your address" + MARK.format(n=1, id=1) + " for a year." + MARK.format(n=2, id=2)
    ) in html
    assert html.endswith(
        '<section class="footnotes">\n<hr>\n<ol>\n'
        '<li id="pg-fn-1"><p>As you give it, <em>postal</em> or email. '
        '<a href="#pg-fnref-1" class="footnote-backref">↩︎1</a></p>\n</li>\n'
        '<li id="pg-fn-2"><p>From your last order. '
        '<a href="#pg-fnref-2" class="footnote-backref">↩︎2</a></p>\n</li>\n'
        "</ol>\n</section>\n"
    )


def test_notes_are_numbered_by_their_first_mark_whatever_their_labels() -> None:
    html = rendered("A.[^z] B.[^a] C.[^z]\n\n[^a]: First written.\n[^z]: Second written.\n").html
    assert MARK.format(n=1, id=1) in html and MARK.format(n=2, id=2) in html
    assert MARK.format(n=1, id="1-2") in html
    assert re.findall(r'<li id="([^"]*)"><p>(\w+)', html) == [
        ("pg-fn-1", "Second"),
        ("pg-fn-2", "First"),
    ]
    # Each mark of a note has its own way back.
    assert '<a href="#pg-fnref-1-2" class="footnote-backref">↩︎1<sup>2</sup></a>' in html


def test_a_note_of_several_paragraphs_keeps_them_with_the_back_link_at_its_end() -> None:
    html = rendered("A.[^1]\n\n[^1]: First paragraph.\n\n    Second paragraph.\n").html
    assert (
        '<li id="pg-fn-1"><p>First paragraph.</p>\n<p>Second paragraph. '
        '<a href="#pg-fnref-1" class="footnote-backref">↩︎1</a></p>'
    ) in html


def test_the_ids_of_notes_are_unique_and_none_an_author_can_write() -> None:
    text = (
        "## Notes\n\n## fn-1\n\n## pg-fn-1\n\nA.[^1] B.[^1]\n{: #fn1 }\n\n"
        '<a id="fnref-1"></a>\n\n[^1]: A note.\n'
    )
    result = rendered(text)
    ids = re.findall(r' id="([^"]*)"', result.html)
    assert len(ids) == len(set(ids))
    assert {"notes", "fn-1", "h-pg-fn-1", "fn1", "fnref-1"} <= set(ids)
    assert {"pg-fn-1", "pg-fnref-1", "pg-fnref-1-2"} <= result.ids
    assert result.problems == ()
    # An author who writes the notes' ids is told they are reserved.
    assert problems("A.[^1]\n\n[^1]: A note.\n\nB.\n{: #pg-fn-2 }\n") == [
        "x.md:6: error: ids starting with 'pg-' are reserved for the page around the text: choose another than '#pg-fn-2'"
    ]


def test_the_table_of_contents_does_not_list_the_notes() -> None:
    result = rendered("## 1. Data\n\nA.[^1]\n\n[^1]: A note.\n\n    ## A heading in the note\n")
    _, headings = present_text(result, "Privacy")
    assert [heading.text for heading in headings] == ["1. Data"]


@pytest.mark.parametrize(
    "label",
    [
        '"><script>alert(1)</script>',
        "javascript:alert(1)",
        "%2F..%2F#x?y&z",
        "é漢字😀",
        "a" * 10_000,
        "<!--",
        "x&amp;y",
    ],
)
def test_a_label_of_any_characters_or_length_never_reaches_the_page(label: str) -> None:
    result = rendered(f"Words.[^{label}]\n\n[^{label}]: The note.\n")
    assert MARK.format(n=1, id=1) in result.html
    assert label not in result.html
    assert result.problems == ()


def test_a_note_is_sanitized_as_any_text() -> None:
    html = rendered(
        'A.[^1]\n\n[^1]: <script>alert(1)</script> [x](javascript:alert(1)) <b onclick="x">b</b>\n'
    ).html
    assert "<script" not in html and 'href="javascript' not in html and "onclick" not in html


def test_a_note_with_no_mark_is_shown_and_reported() -> None:
    text = "A.[^1]\n\n[^1]: Marked.\n[^lost]: Not marked.\n"
    html = rendered(text).html
    assert '<li id="pg-fn-2"><p>Not marked.</p>\n</li>' in html
    assert problems(text) == [
        "x.md:4: warning: the note '[^lost]' has no mark in the text: it is shown at the end, with no mark that leads to it; write '[^lost]' where it belongs, or remove the note"
    ]


def test_an_empty_note_with_no_mark_is_not_shown_and_is_reported() -> None:
    """As the end of a page of DecisionRules' documentation has it: `[^1]: ` and nothing."""
    text = "Words.\n\n[^1]: \n"
    assert rendered(text).html == "<p>Words.</p>\n"
    assert problems(text) == [
        "x.md:3: warning: the note '[^1]' is empty and has no mark in the text: readers see nothing of it; remove it"
    ]


def test_a_label_written_twice_is_an_error() -> None:
    assert problems("A.[^1]\n\n[^1]: One note.\n\n[^1]: Another.\n") == [
        "x.md:5: error: the note '[^1]' is already written on line 3: each note needs a label of its own"
    ]


def test_a_mark_with_no_note_shows_as_written_and_is_reported() -> None:
    text = "A.[^1] B.[^2]\n\n[^1]: A note.\n"
    assert "B.[^2]" in rendered(text).html
    assert problems(text) == [
        "x.md:1: warning: '[^2]' shows as written: the text has no note '[^2]: …' for it; write the note (on a line of its own, after an empty line), or remove the mark"
    ]


def test_pandoc_inline_notes_are_not_read() -> None:
    assert "<p>A.^[inline] B.[^1]</p>" in rendered("A.^[inline] B.[^1]\n\n[^x]: A note.\n").html


def test_raw_html_that_imitates_the_notes_is_no_footnote() -> None:
    """The classes of marks, notes and back links are the renderer's alone: written in a
    text's raw HTML they are dropped, as any class a text writes."""
    html = rendered(
        'We sell nothing <a href="#x" class="footnote-backref">↩︎1</a>.'
        '<sup class="footnote-ref tm"><a href="#x">[1]</a></sup>[^1]\n\n'
        '<section class="footnotes"><ol><li>We sell your data.</li></ol></section>\n\n'
        "[^1]: A note.\n"
    ).html
    assert (
        '<p>We sell nothing <a href="#x">↩︎1</a>.<sup><a href="#x">[1]</a></sup>'
        + MARK.format(n=1, id=1)
    ) in html
    assert "<section><ol><li>We sell your data.</li></ol></section>" in html
    assert html.count("footnote-backref") == html.count("footnotes") == 1
    assert html.count("footnote-ref") == 1


def test_a_line_of_mark_openers_closed_once_takes_a_time_in_proportion_to_it() -> None:
    """Each `[^` of a line of them closed by one `]` reads as the start of a label up to that
    `]`: each was copied to be looked up, and a line of 400 kB took 24 seconds."""
    assert_in_proportion(
        lambda n: rendered("[^1]: A note.\n\nx[^1] " + "[^" * n + "]"),
        5_000,
        100_000,
        factor=32,
        slack=0.5,
    )


def seconds(text: str) -> float:
    started = time.perf_counter()
    rendered(text)
    return time.perf_counter() - started


@pytest.mark.parametrize(
    "make",
    [
        # The plugin looked for a label's end from every "[^": minutes for a line of them.
        lambda n: "[^1]: A note.\n\nx[^1] " + "[^" * (5 * n),
        lambda n: (
            "".join(f"x[^{i}] " for i in range(n))
            + "\n\n"
            + "".join(f"[^{i}]: A note.\n" for i in range(n))
        ),
        lambda n: "x[^1] " * (2 * n) + "\n\n[^1]: A note.\n",
        lambda n: "".join(f"[^{i}]: A note.\n" for i in range(n)),
    ],
    ids=["mark openers", "many notes", "one note marked many times", "notes with no mark"],
)
def test_footnotes_take_a_time_in_proportion_to_them(make: object) -> None:
    """Not a speed check: four times the notes take about four times as long."""
    assert callable(make)
    seconds(make(100))
    assert seconds(make(8_000)) < 8 * seconds(make(2_000)) + 0.5
