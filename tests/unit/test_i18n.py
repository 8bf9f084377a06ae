"""Locales, dates, language names and catalogs."""

from __future__ import annotations

import datetime as dt

import pytest

from policygen.errors import SourceLocation
from policygen.i18n import (
    compile_catalog,
    format_day,
    language_name,
    merge_translations,
    text_direction,
)


@pytest.mark.parametrize(
    "tag, date, text",
    [
        ("en", dt.date(2022, 7, 7), "July 7, 2022"),
        ("ja", dt.date(2022, 7, 7), "2022年7月7日"),
        ("fr", dt.date(2022, 7, 7), "7 juillet 2022"),
        ("ar", dt.date(2022, 7, 7), "7 يوليو 2022"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(tag: str, date: dt.date, text: str) -> None:
    assert format_day(date, tag) == text


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
    ],
)
def test_language_names_are_written_in_their_own_language(tag: str, name: str) -> None:
    assert language_name(tag) == name


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
