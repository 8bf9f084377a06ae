"""Locales, dates, language names and catalogs."""

from __future__ import annotations

import datetime as dt

import babel.localedata
import pytest
from babel.dates import format_date

from policygen.errors import SourceLocation
from policygen.i18n import (
    canonical_tag,
    catalog_candidates,
    compile_catalog,
    find_catalogs,
    format_day,
    language_name,
    locale,
    merge_translations,
    parse_language,
    preferred_tag,
    take_page_data,
    text_direction,
    validate_catalog_coverage,
)


@pytest.mark.parametrize(
    "tag, date, text",
    [
        ("en", dt.date(2022, 7, 7), "July 7, 2022"),
        ("ja", dt.date(2022, 7, 7), "2022年7月7日"),
        ("fr", dt.date(2022, 7, 7), "7 juillet 2022"),
        ("ar", dt.date(2022, 7, 7), "7 يوليو 2022"),
        # CLDR writes "1 janvier 2024"; French writes "1er janvier 2024", as every French
        # policy dates itself ("Version applicable à compter du 1er janvier 2023").
        ("fr", dt.date(2024, 1, 1), "1er janvier 2024"),
        ("fr-CA", dt.date(2025, 3, 1), "1er mars 2025"),
        ("fr", dt.date(2024, 1, 11), "11 janvier 2024"),
        ("en-GB", dt.date(2024, 1, 1), "1 January 2024"),
        ("es", dt.date(2024, 1, 1), "1 de enero de 2024"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(tag: str, date: dt.date, text: str) -> None:
    assert format_day(date, tag) == text


DAYS = [dt.date(1, 1, 1), dt.date(5, 2, 9), dt.date(99, 12, 31), dt.date(2022, 7, 7)]


@pytest.mark.parametrize(
    "tag", ["en", "ja", "th", "pl", "ru", "ko", "zh-Hant-TW", "cy", "fa", "hu", "pt-BR"]
)
def test_dates_are_written_as_babel_writes_them(tag: str) -> None:
    # Thai writes its era (G), Polish and Russian a month's name as a date has it, Welsh
    # and Persian their own months; years of one and two digits are padded as Babel pads them.
    for day in DAYS:
        assert format_day.__wrapped__(day, tag) == format_date(day, "long", locale=locale(tag))


def test_pages_read_no_cldr_data_once_it_is_taken() -> None:
    take_page_data(["en", "th", "ar", "zh-Hant-TW"])
    for tag in ["en", "th", "ar", "zh-Hant-TW"]:
        format_day.__wrapped__(dt.date(2024, 2, 29), tag)
        language_name(tag)
        text_direction(tag)
    assert not babel.localedata._cache
    assert format_day(dt.date(2024, 2, 29), "th") == "29 กุมภาพันธ์ ค.ศ. 2024"


@pytest.mark.parametrize(
    "tag, direction", [("en", "ltr"), ("ja", "ltr"), ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl")]
)
def test_text_direction(tag: str, direction: str) -> None:
    assert text_direction(tag) == direction


@pytest.mark.parametrize(
    "tag, name",
    [
        ("en", "English"),
        ("ja", "日本語"),
        ("pt-BR", "Português (Brasil)"),
        ("zh-Hant", "中文 (繁體)"),
        ("zh-CN", "中文 (简体, 中国)"),
        ("iw", "עברית"),
        ("iw-IL", "עברית (ישראל)"),
        ("glg", "Galego"),
        ("cmn", "中文"),
    ],
)
def test_language_names_are_written_in_their_own_language(tag: str, name: str) -> None:
    assert language_name(tag) == name


@pytest.mark.parametrize(
    ("tag", "preferred"),
    [("iw", "he"), ("iw-IL", "he-IL"), ("glg", "gl"), ("in", "id"), ("he", None), ("en", None), ("pt-BR", None), ("zh-Hant", None)],
)  # fmt: skip
def test_a_language_known_by_another_code_is_given_its_usual_one(
    tag: str, preferred: str | None
) -> None:
    assert preferred_tag(tag) == preferred


PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Contents"
msgstr "目次"

#, fuzzy
msgid "Version"
msgstr "版"
"""


def test_catalogs_compile_in_memory_and_skip_fuzzy_entries() -> None:
    translations, problems = compile_catalog(PO, SourceLocation("messages.po"), "ja")
    assert problems == [] and translations is not None
    assert translations.gettext("Contents") == "目次"
    assert translations.gettext("Version") == "Version"


def test_site_catalog_wins_over_the_theme() -> None:
    site, _ = compile_catalog(PO.replace("目次", "もくじ"), SourceLocation("site.po"), "ja")
    theme, _ = compile_catalog(PO.replace("#, fuzzy\n", ""), SourceLocation("theme.po"), "ja")
    assert site is not None and theme is not None
    merged = merge_translations([site, theme])
    assert merged.gettext("Contents") == "もくじ"
    assert merged.gettext("Version") == "版"


def test_broken_catalog_is_reported() -> None:
    translations, problems = compile_catalog(
        'msgid "a"\nmsgstr "b"\ngarbage\n', SourceLocation("messages.po"), "ja"
    )
    assert translations is None
    assert [str(p) for p in problems] == [
        "messages.po:3: error: this translation catalog cannot be read: Unknown or misformatted keyword"
    ]


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("en", "en"),
        ("EN", "en"),
        ("pt-br", "pt-BR"),
        ("ZH-HANT-TW", "zh-Hant-TW"),
        ("sr-latn", "sr-Latn"),
        ("es-419", "es-419"),
        ("de-ch-1996", "de-CH-1996"),
        ("en-US-u-CA-gregory", "en-US-u-ca-gregory"),
    ],
)
def test_tags_are_written_in_their_canonical_case(written: str, canonical: str) -> None:
    assert canonical_tag(written) == canonical


@pytest.mark.parametrize(
    "written, tag",
    [
        ("zh-CN", "zh-CN"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("PT-BR", "pt-BR"),
        ("sr-Latn", "sr-Latn"),
        ("es-419", "es-419"),
        ("en-gb", "en-GB"),
        ("pt_BR", None),
        ("en-XX", None),
        ("xx", None),
        ("english", None),
        ("", None),
    ],
)
def test_tags_babel_knows_are_read_in_their_canonical_case(written: str, tag: str | None) -> None:
    assert parse_language(written) == tag


@pytest.mark.parametrize(
    "tag, script, direction",
    [("zh-CN", "Hans", "ltr"), ("zh-TW", "Hant", "ltr"), ("zh-HK", "Hant", "ltr")],
)
def test_a_chinese_tag_is_read_with_its_likely_script(
    tag: str, script: str, direction: str
) -> None:
    assert locale(tag).script == script
    assert text_direction(tag) == direction


@pytest.mark.parametrize("tag", ["ar-EG", "he-IL", "fa-IR", "ur-PK"])
def test_a_tag_with_a_country_keeps_the_direction_of_its_language(tag: str) -> None:
    assert text_direction(tag) == "rtl"


SHIPPED = ["de", "es", "es-419", "fr", "ja", "pt", "pt-BR", "sr-Latn", "zh-Hans", "zh-Hant"]


@pytest.mark.parametrize(
    "tag, catalogs",
    [
        ("de", ["de"]),
        ("de-AT", ["de"]),
        ("de-CH-1996", ["de"]),
        ("zh-CN", ["zh-Hans"]),
        ("zh-SG", ["zh-Hans"]),
        ("zh", ["zh-Hans"]),
        ("zh-TW", ["zh-Hant"]),
        ("zh-HK", ["zh-Hant"]),
        ("zh-Hant-TW", ["zh-Hant"]),
        ("zh-Hant-MO", ["zh-Hant"]),
        ("pt-PT", ["pt"]),
        ("pt-AO", ["pt"]),
        ("pt-BR", ["pt-BR", "pt"]),
        ("pt", ["pt", "pt-BR"]),
        ("es-MX", ["es-419", "es"]),
        ("es-AR", ["es-419", "es"]),
        ("es-419", ["es-419", "es"]),
        ("es-ES", ["es"]),
        ("sr-Latn", ["sr-Latn"]),
        ("sr-Latn-RS", ["sr-Latn"]),
        ("sr", []),  # Cyrillic: never served by a catalog in the Latin alphabet
        ("ja-JP", ["ja"]),
        ("ko", []),
    ],
)
def test_the_catalogs_of_a_language_are_found_by_cldr_fallback(
    tag: str, catalogs: list[str]
) -> None:
    assert find_catalogs(tag, SHIPPED) == catalogs


def test_catalog_folders_are_compared_regardless_of_case() -> None:
    assert find_catalogs("pt-BR", ["PT-br", "pt"]) == ["PT-br", "pt"]
    assert find_catalogs("zh-TW", ["zh-hant"]) == ["zh-hant"]


@pytest.mark.parametrize(
    "tag, candidates",
    [
        ("zh-CN", ("zh-CN", "zh-Hans-CN", "zh-Hans", "zh")),
        ("zh-TW", ("zh-TW", "zh-Hant-TW", "zh-Hant")),
        ("zh-Hant-TW", ("zh-Hant-TW", "zh-TW", "zh-Hant")),
        ("es-MX", ("es-MX", "es-Latn-MX", "es-Latn-419", "es-419", "es-Latn", "es")),
        ("pt-PT", ("pt-PT", "pt-Latn-PT", "pt-Latn", "pt")),
        ("sr-Latn", ("sr-Latn", "sr-Latn-RS")),
        ("nb", ("nb", "nb-Latn-NO", "nb-NO", "nb-Latn", "no-Latn", "no")),
    ],
)
def test_catalog_candidates_follow_cldr_inheritance(tag: str, candidates: tuple[str, ...]) -> None:
    assert catalog_candidates(tag) == candidates


def test_a_language_with_no_catalog_is_reported_where_site_yaml_lists_it() -> None:
    at = SourceLocation("site.yaml", 3)
    languages = [("en", at), ("en-AU", at), ("de-AT", at), ("zh-TW", at.at(4, 7))]
    problems = validate_catalog_coverage(languages, ["de", "zh-Hans"])
    assert [str(p) for p in problems] == [
        "site.yaml:4:7: warning: policygen ships no translation of the page's own words (labels such as 'Effective', notices, links) into 中文 (繁體, 台灣) ('zh-TW'), and the site has none: "
        "readers of the zh-TW pages will see them in English. "
        "Add locales/zh-TW/LC_MESSAGES/messages.po, translating the theme's strings (listed in policygen/themes/default/locales/messages.pot, in the policygen package)"
    ]
    assert [p.code for p in problems] == ["no-catalog"]
