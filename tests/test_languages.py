"""Language tags as sites write them, and the page's own words in every shipped language."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from policygen import theming
from policygen.errors import SourceLocation
from policygen.i18n import format_day, language_name
from policygen.templates import THEME

from .conftest import Run, SiteFactory, build_site, problems_of
from .test_catalogs import CATALOGS, TEMPLATE_IDS, catalog_path

CLI = Callable[..., Run]
RTL = frozenset({"ar", "he", "fa", "ur"})
"""Languages written right to left, among those a catalog may ship for."""


def site_yaml(languages: str, default: str = "en", extra: str = "") -> str:
    return (
        f"base_url: https://example.org/\nlanguages: {languages}\ndefault_language: {default}\n"
        f"{extra}regions:\n  global: {{default: true}}\n"
    )


def text(effective: str = "", body: str = "## 1. Lorem\n\nIpsum dolor sit amet.\n") -> str:
    front = f"effective: {effective}\n" if effective else "title: Lorem\n"
    return f"---\n{front}---\n{body}"


def test_tags_as_the_world_writes_them_are_published_in_their_canonical_case(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "site.yaml": site_yaml(
                "[EN, zh-cn, ZH-hant-tw, es-419, pt-br, sr-latn, en-GB]",
                default="en",
                extra="title: {en: Policies, PT-BR: Políticas}\n",
            ),
            "content/privacy/2024-01-01/en.md": text("2024-01-01"),
            # File names are compared regardless of case too.
            "content/privacy/2024-01-01/PT-br.md": text(body="## 1. Texto\n"),
            "content/privacy/2024-01-01/zh-hant-TW.md": text(body="## 1. 文字\n"),
        }
    )
    out = tmp_path / "out"
    build_site(site, out)
    canonical = ["en", "zh-CN", "zh-Hant-TW", "es-419", "pt-BR", "sr-Latn", "en-GB"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["languages"] == canonical
    documents = manifest["policies"]["privacy"]["revisions"][0]["documents"]
    assert list(documents) == sorted(canonical)
    assert documents["pt-BR"]["global"]["fallback"] is False
    assert documents["zh-Hant-TW"]["global"]["fallback"] is False
    assert documents["zh-CN"]["global"]["fallback"] is True
    for tag in canonical:
        html = (out / tag / "global/privacy/index.html").read_text()
        assert html.startswith(f'<!DOCTYPE html>\n<html lang="{tag}" dir="ltr">')
        for other in canonical:
            assert f'hreflang="{other}"' in html
    brazilian = (out / "pt-BR/global/privacy/index.html").read_text()
    assert "1. Texto</h2>" in brazilian
    assert "Políticas" in brazilian
    assert 'hreflang="zh-Hant-TW"' in (out / "sitemap.xml").read_text()


@pytest.mark.parametrize(
    "tag, date, name",
    [
        ("zh-CN", "2022年7月7日", "中文 (简体, 中国)"),
        ("zh-Hant-TW", "2022年7月7日", "中文 (繁體, 台灣)"),
        ("zh-HK", "2022年7月7日", "中文 (繁體字, 中國香港特別行政區)"),
        ("es-419", "7 de julio de 2022", "Español (Latinoamérica)"),
        ("pt-BR", "7 de julho de 2022", "Português (Brasil)"),
        ("pt-PT", "7 de julho de 2022", "Português (Portugal)"),
        ("sr-Latn", "7. jul 2022.", "Srpski (latinica)"),
        ("en-GB", "7 July 2022", "English (United Kingdom)"),
    ],
)
def test_a_tag_gets_its_own_cldr_dates_and_name(tag: str, date: str, name: str) -> None:
    assert format_day(dt.date(2022, 7, 7), tag) == date
    assert language_name(tag) == name


CASES = {
    "a language listed twice in another case": (
        {"site.yaml": site_yaml("[en, ja, EN]")},
        [
            "site.yaml:2:21: error: language 'EN' is listed twice ('en' and 'EN': case does not matter)"
        ],
    ),
    "an underscore for a hyphen": (
        {"site.yaml": site_yaml("[en, pt_BR]")},
        [
            "site.yaml:2:17: error: 'pt_BR' is not a language tag policygen knows (did you mean 'pt-BR'?) (write BCP 47 tags such as en, ja, pt-BR, zh-Hant)"
        ],
    ),
    "CLDR's root locale and 'undetermined', which name no language": (
        {"site.yaml": site_yaml("[en, root, und]")},
        [
            "site.yaml:2:17: error: 'root' is not a language tag policygen knows (write BCP 47 tags such as en, ja, pt-BR, zh-Hant)",
            "site.yaml:2:23: error: 'und' is not a language tag policygen knows (write BCP 47 tags such as en, ja, pt-BR, zh-Hant)",
        ],
    ),
    "a title given twice for one language": (
        {"site.yaml": site_yaml("[en, ja]", extra="title: {en: A, EN: B}\n")},
        [
            "site.yaml:4:16: error: title has two texts for 'en' ('en' and 'EN': case does not matter in language tags)"
        ],
    ),
    "two files of one language, in two cases": (
        {
            "content/privacy/2024-01-01/pt-BR.md": text(),
            "content/privacy/2024-01-01/pt-br.md": text(),
        },
        [
            "content/privacy/2024-01-01/pt-br.md: error: pt-BR.md and pt-br.md are both the pt-BR text of this revision (case does not matter in language tags): keep one"
        ],
    ),
    "a file with an underscore": (
        {"content/privacy/2024-01-01/pt_BR.md": text()},
        [
            "content/privacy/2024-01-01/pt_BR.md: error: 'pt_BR' is not one of the site's languages (en, pt-BR) (did you mean 'pt-BR'?): rename the file or add the language to site.yaml"
        ],
    ),
    "a catalog for no site language": (
        {"locales/de/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n'},
        [
            "locales/de/LC_MESSAGES/messages.po: error: catalog for 'de', which serves none of the site's languages (en, pt-BR)"
        ],
    ),
    "a catalog folder that is not a language": (
        {"locales/portuguese/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n'},
        [
            "locales/portuguese/LC_MESSAGES/messages.po: error: 'portuguese' is not a language tag policygen knows: name the folder after a site language (en, pt-BR)"
        ],
    ),
    "a catalog folder written with an underscore": (
        {"locales/pt_BR/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n'},
        [
            "locales/pt_BR/LC_MESSAGES/messages.po: error: 'pt_BR' is not a language tag policygen knows (did you mean 'pt-BR'?): name the folder after a site language (en, pt-BR)"
        ],
    ),
    "two catalogs of one language, in two cases": (
        {
            "locales/pt-BR/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n',
            "locales/pt-br/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n',
        },
        [
            "locales/pt-br/LC_MESSAGES/messages.po: error: locales/pt-BR/LC_MESSAGES/messages.po is already the catalog for 'pt-BR' (case does not matter in language tags): keep one"
        ],
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_with_a_language_tag_is_reported_at_its_place(
    site_factory: SiteFactory, files: dict[str, str], expected: list[str]
) -> None:
    site = site_factory(
        {
            "site.yaml": site_yaml("[en, pt-BR]"),
            "content/privacy/2024-01-01/en.md": text("2024-01-01"),
            **files,
        }
    )
    assert problems_of(site) == expected


def build_pages(site: Path, out: Path) -> dict[str, str]:
    build_site(site, out)
    return {
        path.relative_to(out).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(out.rglob("*"))
        if path.suffix in (".html", ".xml")
    }


@pytest.mark.parametrize(
    "tag, catalog, words",
    [
        ("de-AT", "de", "Gültig ab"),
        ("de-CH", "de", "Gültig ab"),
        ("fr-CA", "fr", "Entrée en vigueur"),
        ("es-ES", "es", "Entrada en vigor"),
        ("pt-PT", "pt", "Entrada em vigor"),
        ("pt-AO", "pt", "Entrada em vigor"),
        ("nl-BE", "nl", "Geldig vanaf"),
        ("sv-FI", "sv", "Gäller från"),
        ("ja-JP", "ja", "施行日"),
    ],
)
def test_a_language_gets_the_theme_catalog_of_its_cldr_parent(
    site_factory: SiteFactory, tmp_path: Path, tag: str, catalog: str, words: str
) -> None:
    site = site_factory(
        {
            "site.yaml": site_yaml(f"[en, {tag}]"),
            "content/privacy/2024-01-01/en.md": text("2024-01-01"),
        }
    )
    html = build_pages(site, tmp_path / "out")[f"{tag}/global/privacy/index.html"]
    assert f"<dt>{words}</dt>" in html
    assert problems_of(site, severity="warning", code="no-catalog") == []


def test_a_sites_catalog_serves_the_languages_it_is_the_parent_of(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "site.yaml": site_yaml("[en, es-MX, es-AR, es-ES]"),
            "content/privacy/2024-01-01/en.md": text("2024-01-01"),
            # The site rewords one string for every Spanish reader; the theme has the rest.
            "locales/es/LC_MESSAGES/messages.po": 'msgid "Effective"\nmsgstr "Vigente desde"\n',
        }
    )
    pages = build_pages(site, tmp_path / "out")
    for tag in ("es-MX", "es-AR", "es-ES"):
        html = pages[f"{tag}/global/privacy/index.html"]
        assert "<dt>Vigente desde</dt>" in html
        assert "<dt>Publicación</dt>" in html


def test_a_catalog_is_compiled_once_however_many_languages_it_serves(
    site_factory: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A catalog was compiled again for each language it serves: a site catalog of 4 MB for
    # `es`, serving twenty Spanish languages, took 13 seconds of every build and check.
    compiled: list[tuple[str, str]] = []
    compile_catalog = theming.compile_catalog

    def counted(text: str, where: SourceLocation, language: str) -> Any:
        compiled.append((where.path, language))
        return compile_catalog(text, where, language)

    monkeypatch.setattr(theming, "compile_catalog", counted)
    site = site_factory(
        {
            "site.yaml": site_yaml("[en, es-MX, es-AR, es-ES]"),
            "content/privacy/2024-01-01/en.md": text("2024-01-01"),
            "locales/es/LC_MESSAGES/messages.po": 'msgid "Effective"\nmsgstr "Vigente desde"\n',
        }
    )
    pages = build_pages(site, tmp_path / "out")
    # The site's `es`, and the theme's `es-419` and `es`; not each for each language.
    assert sorted(compiled) == [
        ("locales/es-419/LC_MESSAGES/messages.po", "es-419"),
        ("locales/es/LC_MESSAGES/messages.po", "es"),
        ("locales/es/LC_MESSAGES/messages.po", "es"),
    ]
    for tag in ("es-MX", "es-AR", "es-ES"):
        html = pages[f"{tag}/global/privacy/index.html"]
        assert "<dt>Vigente desde</dt>" in html
        assert "<dt>Publicación</dt>" in html


@pytest.mark.parametrize(
    "tag, colon, all_versions, changes",
    [
        ("fr", "\u00a0: ", "Toutes les versions", "Modifications"),
        ("ja", "：", "すべての版", "変更点"),
        ("de", ": ", "Alle Fassungen", "Änderungen"),
        ("en", ": ", "All versions", "Changes"),
    ],
)
def test_a_label_and_what_it_names_are_joined_as_the_language_writes_a_colon(
    site_factory: SiteFactory, tmp_path: Path, tag: str, colon: str, all_versions: str, changes: str
) -> None:
    # French sets a no-break space before a colon: "Toutes les versions: Politique" read as
    # a typo to French readers, at the head of every history page.
    files = {"site.yaml": site_yaml(f"[{tag}]", default=tag)}
    for effective in ("2024-01-01", "2025-01-01"):
        files[f"content/privacy/{effective}/{tag}.md"] = text(effective).replace(
            "---\n", "---\ntitle: Politique\n", 1
        )
    pages = build_pages(site_factory(files), tmp_path / "out")
    history = pages[f"{tag}/global/privacy/history/index.html"]
    assert f"<h1>{all_versions}{colon}Politique</h1>" in history
    assert f"<title>{all_versions}{colon}Politique · " in history
    diff = pages[f"{tag}/global/privacy/2025-01-01/diff/index.html"]
    assert f"<title>{changes}{colon}Politique · " in diff
    assert f"<title>Politique{colon}" in pages[f"{tag}/global/feed.xml"]


def test_the_dates_of_a_french_page_are_labelled_with_a_no_break_space_before_the_colon() -> None:
    # The stylesheet writes the colon after "Entrée en vigueur", "Publication", "Version".
    css = (THEME / "static" / "policygen.css").read_text(encoding="utf-8")
    assert '.policy__dates:lang(fr) dt::after { content: "\\a0:"; }' in css


def test_a_language_without_a_catalog_is_reported_at_its_line(
    site_factory: SiteFactory, cli: CLI
) -> None:
    site = site_factory(
        {
            "site.yaml": site_yaml("\n  - en\n  - sw\n  - en-AU\n  - ja"),
            "content/privacy/2024-01-01/en.md": text("2024-01-01"),
        }
    )
    assert problems_of(site, severity="warning", code="no-catalog") == [
        "site.yaml:4:5: warning: policygen ships no translation of the page's own words (labels such as 'Effective', notices, links) into Kiswahili ('sw'), and the site has none: "
        "readers of the sw pages will see them in English. "
        "Add locales/sw/LC_MESSAGES/messages.po, translating the theme's strings (listed in policygen/themes/default/locales/messages.pot, in the policygen package)"
    ]
    assert cli("check", str(site), "--strict").code == 1
    (site / "locales/sw/LC_MESSAGES").mkdir(parents=True)
    (site / "locales/sw/LC_MESSAGES/messages.po").write_text(
        'msgid "Effective"\nmsgstr "Inaanza kutumika"\n', encoding="utf-8"
    )
    assert problems_of(site, severity="warning", code="no-catalog") == []


def test_a_case_variant_of_a_site_language_is_that_language(site_factory: SiteFactory) -> None:
    site = site_factory(
        {
            "site.yaml": site_yaml("[en, pt-BR]"),
            "content/privacy/2024-01-01/en.md": text("2024-01-01"),
            "content/privacy/2024-01-01/PT-BR.md": text(),
            "locales/pt-br/LC_MESSAGES/messages.po": 'msgid "Effective"\nmsgstr "Vigente"\n',
        }
    )
    result = build_site(site, None)
    assert result.site.config.languages == ("en", "pt-BR")
    revision = result.site.policy("privacy").revisions[0]  # type: ignore[union-attr]
    assert not revision.document("pt-BR", "global").is_fallback


class _Words(HTMLParser):
    """The words a reader meets on a page: its text and the labels read out for it."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.html: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html = {name: value or "" for name, value in attrs}
        self.words += [value for name, value in attrs if name in ("aria-label", "title") and value]

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def chrome_in_english(tag: str) -> list[tuple[str, re.Pattern[str]]]:
    """The English words of each string the catalog translates differently, as patterns."""
    with catalog_path(tag).open(encoding="utf-8") as file:
        catalog = read_po(file)
    found = []
    for message in catalog:
        if not message.id or message.string == message.id:
            continue
        for part in re.split(r"%\(\w+\)s", str(message.id)):
            words = part.strip(" .:,")
            if sum(c.isalpha() for c in words) >= 3:
                found.append((str(message.id), re.compile(rf"(?<!\w){re.escape(words)}(?!\w)")))
    return found


def test_no_page_of_a_shipped_language_shows_the_theme_strings_in_english(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    # Every language's text exists for two revisions and is missing from the two others, so
    # that the pages show every kind of notice: superseded, upcoming, fallbacks, corrections.
    body = "## 1. Lorem\n\nIpsum dolor sit amet.\n\n| Lorem | Ipsum |\n|---|---|\n| a | b |\n"
    files = {"site.yaml": site_yaml(f"[en, {', '.join(CATALOGS)}]")}
    for revision, effective in (("a", "2024-01-01"), ("b", "2025-01-01"), ("c", "2026-01-01")):
        files[f"content/privacy/{revision}/en.md"] = text(effective, body + f"\n{revision}\n")
    files["content/privacy/d/en.md"] = text("2027-01-01", body + "\nd\n").replace(
        "---\n", "---\npublished: 2026-11-01\nsummary: Lorem.\n", 1
    )
    for tag in CATALOGS:
        for revision in ("a", "c"):
            corrections = "corrections:\n  - {date: 2024-02-01, note: Lorem.}\n"
            files[f"content/privacy/{revision}/{tag}.md"] = text(
                body=body + f"\n{revision}\n"
            ).replace("---\n", f"---\n{corrections if revision == 'a' else ''}", 1)
    site = site_factory(files)
    result = build_site(site, tmp_path / "out")
    assert [str(p) for p in result.warnings if p.code == "no-catalog"] == []
    pages = build_pages(site, tmp_path / "out")

    for tag in CATALOGS:
        english = chrome_in_english(tag)
        assert len(english) >= len(TEMPLATE_IDS) // 2, f"{tag}: most strings are translated"
        own = {path: html for path, html in pages.items() if path.startswith(f"{tag}/")}
        assert len(own) == 11  # index, feed, history, policy, 4 revisions, 3 diffs
        for path, html in own.items():
            words = _Words()
            words.feed(html)
            shown = "\n".join(words.words)
            left = sorted({id for id, pattern in english if pattern.search(shown)})
            assert left == [], f"{path} shows in English: {left}"
            if path.endswith(".html"):
                direction = "rtl" if tag.split("-")[0] in RTL else "ltr"
                assert words.html == {"lang": tag, "dir": direction}, path


def test_init_says_which_languages_the_page_words_are_not_translated_into(
    cli: CLI, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    run = cli("init", str(site), "--language", "en", "--language", "pt-br", "--language", "sw")
    assert run.code == 0
    notes = [line for line in run.err.splitlines() if "ships no translation" in line]
    assert notes == [
        "policygen ships no translation of the page's own words (labels such as 'Effective', notices) into Kiswahili ('sw'): "
        "until locales/sw/LC_MESSAGES/messages.po translates them, the pages show them in English and "
        "`policygen check --strict` fails (docs/content-format.md, section 12)."
    ]
    assert cli("check", str(site), "--strict").code == 1
    translated = tmp_path / "translated"
    run = cli("init", str(translated), "--language", "en", "--language", "de-AT")
    assert "ships no translation" not in run.err
    assert cli("check", str(translated), "--strict").code == 0
