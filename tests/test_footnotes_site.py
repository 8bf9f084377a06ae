"""The footnotes fixture site (tests/sites/footnotes, see its README) built and read: marks,
notes, ids and links of its pages, its redline and its translation."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import html5lib
import pytest

from .conftest import build_site

SITE = Path(__file__).parent / "sites" / "footnotes"
AS_OF = dt.date(2024, 7, 1)


class Page(HTMLParser):
    """A built page, read for its ids, in-page links, marks and notes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.fragments: list[str] = []
        self.marks: list[tuple[str, str]] = []
        """(the note a mark links to, its text)."""
        self.notes: list[str] = []
        """The text of each note, in order, back links included."""
        self.toc: list[str] = []
        self._in: list[str] = []
        self._mark: str | None = None
        self._note: list[str] | None = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.fragments.append(href[1:])
        if tag == "nav" and values.get("class") == "toc":
            self._in.append("toc")
        if tag == "a" and self._in[-1:] == ["sup"]:
            self._mark = href[1:]
        if tag == "sup" and values.get("class") == "footnote-ref":
            self._in.append("sup")
        if tag == "li" and str(values.get("id", "")).startswith("pg-fn-"):
            self._note = []
            self._depth = 0
        if tag == "li" and self._note is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in[-1:] == ["toc"]:
            self._in.pop()
        if tag == "sup" and self._in[-1:] == ["sup"]:
            self._in.pop()
        if tag == "li" and self._note is not None:
            self._depth -= 1
            if self._depth == 0:
                self.notes.append(" ".join("".join(self._note).split()))
                self._note = None

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self.marks.append((self._mark, data))
            self._mark = None
        if self._note is not None:
            self._note.append(data)
        if self._in[-1:] == ["toc"] and data.strip():
            self.toc.append(data.strip())


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("footnotes") / "out"
    result = build_site(SITE, folder, as_of=AS_OF)
    assert [str(p) for p in result.warnings] == []
    return folder


def page(out: Path, path: str) -> tuple[str, Page]:
    html = (out / path / "index.html").read_text(encoding="utf-8")
    return html, Page(html)


@pytest.mark.parametrize(
    "path",
    [
        "en/global/support/2024-01-01",
        "en/global/support/2024-06-01",
        "fr/global/support/2024-06-01",
        "en/global/support/2024-06-01/diff",
        "fr/global/support/2024-06-01/diff",
    ],
)
def test_every_page_is_valid_with_unique_ids_and_every_in_page_link_lands(
    out: Path, path: str
) -> None:
    html, read = page(out, path)
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html)
    assert len(read.ids) == len(set(read.ids))
    assert set(read.fragments) <= set(read.ids)


def test_the_marks_link_to_numbered_notes_that_link_back(out: Path) -> None:
    _, read = page(out, "en/global/support/2024-06-01")
    assert read.marks == [
        ("pg-fn-1", "[1]"),  # the sentence before the table
        ("pg-fn-2", "[2]"),  # the table's heading cell
        ("pg-fn-3", "[3]"),  # a cell of the last row
    ]
    assert [note.split(" ")[:2] for note in read.notes] == [
        ['"Target', "Response"],
        ["Customer", "will"],
        ["Saturdays,", "Sundays"],
    ]
    assert [note.rsplit(" ", 1)[1] for note in read.notes] == ["↩︎1", "↩︎2", "↩︎3"]
    # The notes, written before section 2, come at the end; the contents do not list them.
    assert read.toc == ["Contents", "1. Priority Level Descriptions; Target Response Times",
                        "2. Customer Responsibilities"]  # fmt: skip


def test_the_translation_has_its_own_notes_under_the_same_numbers(out: Path) -> None:
    html, read = page(out, "fr/global/support/2024-06-01")
    assert read.marks == [("pg-fn-1", "[1]"), ("pg-fn-2", "[2]"), ("pg-fn-3", "[3]")]
    assert read.notes[0].startswith("Le « délai de réponse visé »")
    assert read.notes[2].startswith("Les samedis, dimanches")
    assert "Notes" not in html and "Back" not in html  # no words that need translating


def test_the_redline_shows_each_note_compared_with_itself(out: Path) -> None:
    html, _ = page(out, "en/global/support/2024-06-01/diff")
    changes = re.findall(
        r'<li><a href="#([^"]*)">([^<]*)</a> <span class="change change--(\w+)">', html
    )
    assert [(anchor, change) for anchor, _, change in changes] == [
        ("section-1", "modified"),
        ("pg-fn-1", "reformatted"),  # renumbered 2 → 1: its mark moved before note 1's
        ("pg-fn-2", "modified"),
        ("pg-fn-3", "added"),
    ]
    assert changes[2][1].startswith("[2] Customer will have the ability")
    assert "follows criteria set forth in the table above<ins>" in html
    assert "> and that the Provider tells Customer why</ins>." in html
    # The moved mark: struck in the heading cell (linking nowhere: note [1] of the redline
    # is another note), inserted in the sentence.
    assert re.search(
        r'target response times<ins><span [^>]*>[^<]*</span><sup class="footnote-ref"><a href="#pg-fn-1" id="pg-fnref-1">\[1\]',
        html,
    )
    assert re.search(
        r'Priority Level<del><span [^>]*>[^<]*</span><sup class="footnote-ref"><a>\[1\]</a></sup></del>',
        html,
    )
