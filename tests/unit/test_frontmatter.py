"""Front matter: split from the body, typed, with lines."""

from __future__ import annotations

import datetime as dt

from policygen.errors import SourceLocation
from policygen.frontmatter import Correction, parse_document_file, split_front_matter

WHERE = SourceLocation("en.md")


def test_splits_front_matter_from_the_body() -> None:
    assert split_front_matter("---\ntitle: A\n---\nBody\n") == ("title: A", "Body\n", 4)
    assert split_front_matter("title: A\n") is None
    assert split_front_matter("---\ntitle: A\n") is None


def test_reads_every_key() -> None:
    text = (
        "---\ntitle: Privacy\neffective: 2024-05-01\npublished: 2024-04-01\nsummary: What changed.\n"
        "material: false\ncorrections:\n  - {date: 2024-06-01, note: Typo.}\nextra: {illustrative: true}\n---\nBody\n"
    )
    parsed, problems = parse_document_file(text, WHERE)
    assert problems == [] and parsed is not None
    front = parsed.front_matter
    assert (front.title, front.summary, front.material) == ("Privacy", "What changed.", False)
    assert (front.effective, front.published) == (dt.date(2024, 5, 1), dt.date(2024, 4, 1))
    assert front.corrections == (Correction(dt.date(2024, 6, 1), "Typo."),)
    assert front.extra == {"illustrative": True}
    assert front.lines["effective"] == 3
    assert parsed.body_line == 11


def test_titles_stay_text_whatever_yaml_thinks() -> None:
    parsed, _ = parse_document_file("---\ntitle: 2024\nsummary: yes\n---\n", WHERE)
    assert parsed is not None
    assert (parsed.front_matter.title, parsed.front_matter.summary) == ("2024", "yes")


def test_empty_front_matter_is_allowed_for_translations() -> None:
    parsed, problems = parse_document_file("---\n---\nTexte\n", WHERE)
    assert problems == [] and parsed is not None and parsed.front_matter.title is None


def test_an_override_in_the_title_or_summary_is_a_warning() -> None:
    parsed, problems = parse_document_file(
        '---\ntitle: Terms\nsummary: "We \\u202eton\\u202c sell data."\n---\nText.\n',
        SourceLocation("en.md"),
    )
    assert parsed is not None and parsed.front_matter.summary == "We \u202eton\u202c sell data."
    assert [str(problem) for problem in problems] == [
        "en.md:3: warning: its summary holds a right-to-left override (U+202E), which shows the characters after it in another order than they are written: readers see 'not' where the text holds 'ton'; delete it (the page gives each language its direction)"
    ]
