"""The anchors GitHub and Python-Markdown give headings, and the aliases made of them."""

from __future__ import annotations

import re

import pytest

from policygen.anchors import (
    HeadingName,
    github_slug,
    github_slugs,
    heading_aliases,
    run_together_slugs,
    toc_slug,
    toc_unique,
    unnumbered_slugs,
)
from policygen.canonical import CanonicalText
from policygen.errors import SourceLocation
from policygen.markdown import render_markdown


# From github-slugger's own fixtures (test/fixtures.json), which follow github.com.
@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("alpha", "alpha"),
        ("bravoCharlieDelta", "bravocharliedelta"),
        ("__proto__", "__proto__"),
        ("heading with a - dash", "heading-with-a---dash"),
        ("heading with an _ underscore", "heading-with-an-_-underscore"),
        ("heading with a period.txt", "heading-with-a-periodtxt"),
        (
            "exchange.bind_headers(exchange, routing [, bindCallback])",
            "exchangebind_headersexchange-routing--bindcallback",
        ),
        (" a ", "-a-"),
        ("apostrophe’s should be trimmed", "apostrophes-should-be-trimmed"),
        ("I ♥ unicode", "i--unicode"),
        ("en–dash", "endash"),
        ("😄 unicode emoji", "-unicode-emoji"),
        ("😄_😄 unicode emoji", "_-unicode-emoji"),
        (":smile: - a gemoji", "smile---a-gemoji"),
        ("Привет non-latin 你好", "привет-non-latin-你好"),
        ("a« ‘ ‛ “ ‟ ‹ ⸂ ⸄ ⸉ ⸌ ⸜ ⸠b", "a-----------b"),
        ("a$ ¢ £ ¤ ¥b", "a----b"),
        ("aⅠ Ⅱb", "aⅰ-ⅱb"),
        ("aⒶ ⓩb", "aⓐ-ⓩb"),
        # As policies write them.
        ("1. Account Controls", "1-account-controls"),
        ("A. Definitions", "a-definitions"),
        ("U.S. Privacy Rights", "us-privacy-rights"),
        ("4. クッキー", "4-クッキー"),
        ("Ç'est la «vie»", "çest-la-vie"),
    ],
)
def test_github_slugs_match_github(heading: str, slug: str) -> None:
    assert github_slug(heading) == slug


def test_github_numbers_repeated_slugs_as_github_slugger_does() -> None:
    headings = ["echo", "echo", "echo 1", "echo-1", "echo", "foxtrot-1", "foxtrot", "foxtrot"]
    assert github_slugs(headings) == [
        "echo",
        "echo-1",
        "echo-1-1",
        "echo-1-2",
        "echo-2",
        "foxtrot-1",
        "foxtrot",
        "foxtrot-2",
    ]


# Python-Markdown's toc extension with its default slugify (markdown.extensions.toc).
@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Header 1", "header-1"),
        ("1. Account Controls", "1-account-controls"),
        ("Some   spaces --- and dashes", "some-spaces-and-dashes"),
        ("Déjà vu: l'été", "deja-vu-lete"),
        ("Straße & Co.", "strae-co"),
        ("U.S. Privacy Rights", "us-privacy-rights"),
        ("snake_case heading", "snake_case-heading"),
        ("4. クッキー", "4"),
        ("個人情報", ""),
        ("  trailing  ", "trailing"),
    ],
)
def test_toc_slugs_match_python_markdown(heading: str, slug: str) -> None:
    assert toc_slug(heading) == slug


def test_toc_numbers_repeated_slugs_as_python_markdown_does() -> None:
    used, numbered = {"taken", "a_3"}, {}
    slugs = ["a", "a", "a", "a", "taken", "b_1", "b_1", "", "a_1"]
    assert [toc_unique(slug, used, numbered) for slug in slugs] == [
        "a",
        "a_1",
        "a_2",
        "a_4",
        "taken_1",
        "b_1",
        "b_2",
        "_1",
        "a_5",
    ]


class _CountedSet(set[str]):
    """A set that counts how often it is asked whether it holds a value."""

    asked = 0

    def __contains__(self, value: object) -> bool:
        type(self).asked += 1
        return super().__contains__(value)


def test_toc_numbers_thousands_of_equal_slugs_trying_each_number_once() -> None:
    # Each heading tried every number the ones before it took: 3,000 equal headings took
    # 4.5 million tries, a text of them seconds.
    used, numbered = _CountedSet(), {}
    slugs = [toc_unique("a", used, numbered) for _ in range(3000)]
    assert slugs == ["a", *(f"a_{n}" for n in range(1, 3000))]
    assert _CountedSet.asked < 3 * 3000


def test_equal_headings_get_numbered_anchors() -> None:
    text = "".join("## A\n\nWords.\n\n" for _ in range(3000))
    lines = tuple(range(1, text.count("\n") + 2))
    html = render_markdown(CanonicalText(text, lines), SourceLocation("x.md")).html
    ids = re.findall(r'<h2 id="([^"]+)"', html)
    assert ids == ["a", *(f"a-{n}" for n in range(2, 3001))]


def test_toc_numbers_repeated_slugs_as_python_markdown_does_one_at_a_time() -> None:
    used = {"taken"}
    assert [toc_unique(slug, used, {}) for slug in ["a", "a", "a", "taken", "b_1", "b_1", ""]] == [
        "a",
        "a_1",
        "a_2",
        "taken_1",
        "b_1",
        "b_2",
        "_1",
    ]


def test_aliases_are_the_other_renderers_anchors_that_collide_with_nothing() -> None:
    headings = [
        HeadingName("section-1", "1. Account Controls", False),
        HeadingName("section-2", "2. Required Information", False),
        HeadingName("contact", "Contact us", True),
        HeadingName("who-we-are", "Who we are", False),
        HeadingName("h-pg-main", "PG Main", False),
        HeadingName("note", "Note", False),
    ]
    taken = {
        "section-1",
        "section-2",
        "contact",
        "who-we-are",
        "h-pg-main",
        "note",
        "2-required-information",
    }
    assert heading_aliases(headings, taken) == {
        "1-account-controls": "section-1",
        "contact-us": "contact",  # GitHub ignores {#id}; toc keeps the written id
    }


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("1. Personal Information We May Collect", "personal-information-we-may-collect"),
        ("8. Children’s Privacy", "childrens-privacy"),
        ("3. Services Provided.", "services-provided"),
        ("4.2 Analytics", "analytics"),
        ("§ 7. Security", "security"),
        ("2a. Personal Information", ""),
        ("Who we are", ""),
        ("33", ""),
    ],
)
def test_unnumbered_slugs_are_githubs_of_the_words_after_the_number(
    heading: str, slug: str
) -> None:
    assert unnumbered_slugs(heading)[:1] == ((slug,) if slug else ())


@pytest.mark.parametrize(
    ("heading", "slugs"),
    [
        (
            "1. Identité du responsable de traitement",
            (
                "identité-du-responsable-de-traitement",
                "identite-du-responsable-de-traitement",
            ),
        ),
        ("3.2. Sécurité des paiements", ("sécurité-des-paiements", "securite-des-paiements")),
        ("4. Offres commerciales", ("offres-commerciales", "offres-commerciales")),
        ("Généralités", ()),
    ],
)
def test_unnumbered_slugs_are_also_the_words_without_their_accents(
    heading: str, slugs: tuple[str, ...]
) -> None:
    # French web pages make their anchors of the words with their accents dropped, as
    # Python-Markdown's toc does: Vertbaudet's `#identite-du-responsable-de-traitement`.
    assert unnumbered_slugs(heading) == slugs


def test_the_anchor_of_a_headings_words_is_an_alias_only_where_a_link_of_the_text_uses_it() -> None:
    # Buffer's Privacy Policy lists its sections as links to the anchors of its web page,
    # which leave the numbers out: `#personal-information-we-may-collect` for "1. Personal
    # Information We May Collect".
    headings = [
        HeadingName("section-1", "1. Personal Information We May Collect", False),
        HeadingName("section-8", "8. Children’s Privacy", False),
        HeadingName("data", "Data", False),
    ]
    linked = frozenset({"childrens-privacy", "data"})
    aliases = heading_aliases(headings, {"section-1", "section-8", "data"}, linked)
    assert aliases == {
        "1-personal-information-we-may-collect": "section-1",
        "8-childrens-privacy": "section-8",
        "childrens-privacy": "section-8",
    }


def test_the_words_of_a_heading_run_together_are_an_alias_where_a_link_uses_them() -> None:
    # TikTok's Privacy Policy links to the anchors of its web page, the words of a heading
    # run together: `[Information We Collect](#informationwecollect)` for its heading
    # "Information We Collect" (Open Terms Archive, vlopses-us-versions, commit 431787a).
    headings = [
        HeadingName("information-we-collect", "Information We Collect", False),
        HeadingName("section-4", "4. Contact Us", False),
        HeadingName("cookies", "Cookies", False),
    ]
    taken = {"information-we-collect", "section-4", "cookies"}
    linked = frozenset({"informationwecollect", "contactus", "yourchoices"})
    aliases = heading_aliases(headings, taken, linked)
    assert aliases["informationwecollect"] == "information-we-collect"
    assert aliases["contactus"] == "section-4"
    assert "yourchoices" not in aliases
    assert "informationwecollect" not in heading_aliases(headings, taken)
    assert run_together_slugs("Cookies") == ()
    assert run_together_slugs("2.1 Données d’usage") == (
        "21donnéesdusage",
        "2_1_données_d_usage",
        "donnéesdusage",
        "données_d_usage",
    )


def test_an_anchor_of_a_heading_in_other_capitals_is_an_alias_where_a_link_uses_it() -> None:
    # CoronaCheck's terms of use for the Scanner app (minvws/nl-covid19-coronacheck-website,
    # en/gebruikersvoorwaarden.md, 2021 to 2022) list their sections as links such as
    # `[For whom is the CoronaCheck Scanner app intended?](#for-whom-is-the-CoronaCheck-Scanner-app-intended)`:
    # anchors are written in lowercase, and a fragment leads only to an id written alike.
    headings = [
        HeadingName(
            "for-whom-is-the-coronacheck-scanner-app-intended",
            "For whom is the CoronaCheck Scanner app intended?",
            False,
        ),
        HeadingName("section-2", "2. Why use CoronaCheck Scanner", False),
        HeadingName("fees", "Fees", True),
    ]
    taken = {heading.id for heading in headings}
    linked = frozenset(
        {
            "for-whom-is-the-CoronaCheck-Scanner-app-intended",
            "why-use-CoronaCheck-Scanner",
            "2-Why-Use-CoronaCheck-Scanner",
            "Fees",
            "For-whom-else",
        }
    )
    aliases = heading_aliases(headings, taken, linked)
    assert {alias: aliases[alias] for alias in linked if alias in aliases} == {
        "for-whom-is-the-CoronaCheck-Scanner-app-intended": (
            "for-whom-is-the-coronacheck-scanner-app-intended"
        ),
        "why-use-CoronaCheck-Scanner": "section-2",
        "2-Why-Use-CoronaCheck-Scanner": "section-2",
        "Fees": "fees",
    }
    assert "why-use-CoronaCheck-Scanner" not in heading_aliases(headings, taken)


def test_the_words_of_a_heading_joined_by_underscores_are_an_alias_where_a_link_uses_them() -> None:
    # Temu's Privacy Policy links to `#contact_us` and `#your_rights_and_choices` (Open Terms
    # Archive, vlopses-us-versions, commit 192e2be).
    headings = [
        HeadingName("your-rights-and-choices", "Your Rights and Choices", False),
        HeadingName("contact-us", "Contact Us", False),
    ]
    linked = frozenset({"contact_us", "your_rights_and_choices"})
    aliases = heading_aliases(headings, {"your-rights-and-choices", "contact-us"}, linked)
    assert aliases == {
        "your_rights_and_choices": "your-rights-and-choices",
        "contact_us": "contact-us",
    }
