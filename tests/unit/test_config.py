"""site.yaml → SiteConfig, and each mistake in it at its line."""

from __future__ import annotations

import pytest

from policygen.config import Translatable, parse_config
from policygen.errors import SourceLocation

WHERE = SourceLocation("site.yaml")
VALID = """\
title: {en: Policies, ja: ポリシー}
base_url: https://example.org/legal
default_language: ja
languages: [en, ja, pt-BR, zh-Hant, ar]
timezone: Asia/Tokyo
notice_days: 30
regions:
  europe: {name: Europe, countries: [FR, NO, GB]}
  global: {default: true}
"""


def test_reads_every_setting() -> None:
    config, problems = parse_config(VALID, WHERE)
    assert problems == []
    assert config is not None
    assert config.languages == ("ja", "en", "pt-BR", "zh-Hant", "ar")
    assert config.default_language == "ja"
    assert config.base_url == "https://example.org/legal/"
    assert config.notice_days == 30
    assert config.region_ids == ("global", "europe")
    assert config.region("europe").countries == ("FR", "GB", "NO")
    assert config.title.get("ja", "ja") == "ポリシー"
    assert config.title.get("ar", "ja") == "ポリシー"


def test_language_tags_are_compared_regardless_of_case_and_kept_in_their_canonical_case() -> None:
    text = (
        VALID.replace(
            "languages: [en, ja, pt-BR, zh-Hant, ar]",
            "languages: [EN, ja, pt-br, ZH-hant-tw, es-419, sr-latn, zh-CN, en-GB]",
        )
        .replace("default_language: ja", "default_language: JA")
        .replace("ja: ポリシー", "JA: ポリシー")
    )
    config, problems = parse_config(text, WHERE)
    assert problems == []
    assert config is not None
    assert config.default_language == "ja"
    assert config.languages == (
        "ja",
        "en",
        "pt-BR",
        "zh-Hant-TW",
        "es-419",
        "sr-Latn",
        "zh-CN",
        "en-GB",
    )
    assert config.title.get("ja", "ja") == "ポリシー"


def test_a_language_known_by_another_code_is_warned_about_and_kept() -> None:
    text = VALID.replace(
        "languages: [en, ja, pt-BR, zh-Hant, ar]", "languages: [en, ja, iw, glg-ES]"
    )
    config, problems = parse_config(text, WHERE)
    assert config is not None and config.languages == ("ja", "en", "iw", "glg-ES")
    assert [str(p) for p in problems] == [
        "site.yaml:4:21: warning: 'iw' is another code for עברית: browsers, screen readers and search engines know it as 'he'; write 'he' (the pages' addresses change with it)",
        "site.yaml:4:25: warning: 'glg-ES' is another code for Galego (España): browsers, screen readers and search engines know it as 'gl-ES'; write 'gl-ES' (the pages' addresses change with it)",
    ]


def test_knows_where_each_language_is_listed() -> None:
    text = VALID.replace("languages: [en, ja, pt-BR, zh-Hant, ar]", "languages:\n  - en\n  - ja\n")
    config, _ = parse_config(text, WHERE)
    assert config is not None
    assert config.language_locations == (
        ("en", SourceLocation("site.yaml", 5, 5)),
        ("ja", SourceLocation("site.yaml", 6, 5)),
    )
    moved, _ = parse_config("\n" + text, WHERE)
    assert moved == config  # where a language is listed changes no page


def test_reads_norway_as_a_country_not_as_false() -> None:
    config, _ = parse_config(VALID, WHERE)
    assert config is not None and "NO" in config.region("europe").countries


def test_translatable_prefers_the_language_then_the_default() -> None:
    text = Translatable((("en", "Hello"), ("fr", "Bonjour")))
    assert text.get("fr", "en") == "Bonjour"
    assert text.get("de", "en") == "Hello"
    assert Translatable.plain("Same").get("de", "en") == "Same"


REGIONS = "regions:\n  global: {default: true}\n"
CASES = {
    "country in two regions": (
        "languages: [en]\ndefault_language: en\nregions:\n  global: {default: true, countries: [FR]}\n  eu: {countries: [DE, FR]}\n",
        [
            "site.yaml:5:24: error: country FR is already in region 'global': a country may belong to one region only"
        ],
    ),
    "unknown country": (
        "languages: [en]\ndefault_language: en\nregions:\n  global: {default: true, countries: [XX, fr]}\n",
        [
            "site.yaml:4:39: error: 'XX' is not an ISO 3166-1 alpha-2 country code (such as FR or JP)",
            "site.yaml:4:43: error: 'fr' is not an ISO 3166-1 alpha-2 country code (such as FR or JP)",
        ],
    ),
    "no default region": (
        "languages: [en]\ndefault_language: en\nregions:\n  global: {}\n  eu: {}\n",
        ["site.yaml:4:3: error: exactly one region must have 'default: true' (found: none)"],
    ),
    "two default regions": (
        "languages: [en]\ndefault_language: en\nregions:\n  a: {default: true}\n  b: {default: true}\n",
        ["site.yaml:4:3: error: exactly one region must have 'default: true' (found: a, b)"],
    ),
    "unknown language": (
        "languages: [en, xx-QQ]\ndefault_language: en\n" + REGIONS,
        [
            "site.yaml:1:17: error: 'xx-QQ' is not a language tag policygen knows (write BCP 47 tags such as en, ja, pt-BR, zh-Hant)"
        ],
    ),
    "language listed twice": (
        "languages: [en, ja, en]\ndefault_language: en\n" + REGIONS,
        ["site.yaml:1:21: error: language 'en' is listed twice"],
    ),
    "language listed twice in another case": (
        "languages: [en, ja, EN]\ndefault_language: en\n" + REGIONS,
        [
            "site.yaml:1:21: error: language 'EN' is listed twice ('en' and 'EN': case does not matter)"
        ],
    ),
    "language written with an underscore": (
        "languages: [en, zh_Hant]\ndefault_language: en\n" + REGIONS,
        [
            "site.yaml:1:17: error: 'zh_Hant' is not a language tag policygen knows (did you mean 'zh-Hant'?) (write BCP 47 tags such as en, ja, pt-BR, zh-Hant)"
        ],
    ),
    "two texts for one language": (
        "languages: [en]\ndefault_language: en\ntitle: {en: A, EN: B}\n" + REGIONS,
        [
            "site.yaml:3:16: error: title has two texts for 'en' ('en' and 'EN': case does not matter in language tags)"
        ],
    ),
    "default language not listed": (
        "languages: [en]\ndefault_language: fr\n" + REGIONS,
        ["site.yaml:2:19: error: default_language 'fr' must be one of languages (en)"],
    ),
    "unknown key": (
        "languages: [en]\ndefault_language: en\nnotice_day: 3\n" + REGIONS,
        [
            "site.yaml:3:1: error: unknown key 'notice_day' in site.yaml (did you mean 'notice_days'?)"
        ],
    ),
    "bad time zone": (
        "languages: [en]\ndefault_language: en\ntimezone: Tokyo\n" + REGIONS,
        [
            "site.yaml:3:11: error: timezone 'Tokyo' is not a time zone name such as Europe/Paris or Asia/Tokyo"
        ],
    ),
    "a computer's own time zone": (
        "languages: [en]\ndefault_language: en\ntimezone: localtime\n" + REGIONS,
        [
            "site.yaml:3:11: error: timezone 'localtime' names no place: it is what a computer's own settings make of it, so another computer would publish other instants; name a zone such as Europe/Paris or Asia/Tokyo"
        ],
    ),
    "a time zone counting leap seconds": (
        "languages: [en]\ndefault_language: en\ntimezone: right/Asia/Tokyo\n" + REGIONS,
        [
            "site.yaml:3:11: error: timezone 'right/Asia/Tokyo' names a copy of a zone that only some computers' time zone databases hold (those under right/ count leap seconds): write the zone's own name, such as Asia/Tokyo"
        ],
    ),
    "relative base_url": (
        "languages: [en]\ndefault_language: en\nbase_url: /policies/\n" + REGIONS,
        [
            "site.yaml:3:11: error: base_url must be an absolute http(s) URL such as https://example.org/policies/, not '/policies/'"
        ],
    ),
    "missing regions": (
        "languages: [en]\ndefault_language: en\n",
        ["site.yaml:1:1: error: site.yaml must set 'regions'"],
    ),
    "malformed YAML": (
        "languages: [en\ndefault_language: en\n",
        ["site.yaml:2:17: error: this YAML is malformed: expected ',' or ']', but got ':'"],
    ),
    "translation for an unknown language": (
        "languages: [en]\ndefault_language: en\ntitle: {en: A, de: B}\n" + REGIONS,
        ["site.yaml:3:16: error: title has a text for 'de', which is not a site language (en)"],
    ),
    "negative notice period": (
        "languages: [en]\ndefault_language: en\nnotice_days: -3\n" + REGIONS,
        ["site.yaml:3:14: error: notice_days must be a whole number from 0 to 999999999"],
    ),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_rejects_mistakes_in_site_settings(text: str, expected: list[str]) -> None:
    if "base_url" not in text:
        text += "base_url: https://example.org/\n"
    config, problems = parse_config(text, WHERE)
    assert config is None
    assert [str(p) for p in problems] == expected


def test_base_url_is_required() -> None:
    config, problems = parse_config("languages: [en]\ndefault_language: en\n" + REGIONS, WHERE)
    assert config is None
    assert [str(p) for p in problems] == ["site.yaml:1:1: error: site.yaml must set 'base_url'"]


def test_codes_of_groups_are_not_countries() -> None:
    text = "languages: [en]\ndefault_language: en\nbase_url: https://example.org/\nregions:\n  global: {default: true, countries: [EU]}\n"
    _, problems = parse_config(text, WHERE)
    assert [p.code for p in problems] == ["unknown-country"]
