"""The theme's catalogs: every string translated, placeholders intact, plural forms as CLDR
says, each in the folder of its language."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from policygen.errors import SourceLocation
from policygen.i18n import THEME_LANGUAGE, canonical_tag, compile_catalog, locale, parse_language
from policygen.templates import THEME

from .conftest import ROOT

LOCALES = THEME / "locales"
TEMPLATE = LOCALES / "messages.pot"
CATALOGS = sorted(path.parent.parent.name for path in LOCALES.glob("*/LC_MESSAGES/messages.po"))
"""The language folders of the shipped catalogs, whoever added them."""
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[a-z]|%%|\{[A-Za-z_]\w*\}|</?[A-Za-z][^>]*>")
"""What a translation must keep as its msgid has it: `%(date)s`, `{name}`, HTML tags."""
INTEGERS = (*range(0, 1000), 1001, 1011, 1021, 10_000, 100_000, 1_000_000, 2_000_000, 10**7)
"""Enough integers to meet every plural category CLDR gives integers in any language."""


def read_catalog(path: Path) -> Catalog:
    with path.open(encoding="utf-8") as file:
        return read_po(file)


def catalog_path(tag: str) -> Path:
    return LOCALES / tag / "LC_MESSAGES" / "messages.po"


def header_field(tag: str, name: str) -> str | None:
    """A header field as the file writes it (Babel rewrites some when it reads them)."""
    text = catalog_path(tag).read_text(encoding="utf-8")
    header = re.search(r'^msgid ""\nmsgstr ""\n((?:".*"\n)+)', text, re.MULTILINE)
    if header is None:
        return None
    joined = "".join(line[1:-1] for line in header.group(1).splitlines())
    fields = dict(field.partition(": ")[::2] for field in joined.split("\\n") if field)
    return fields.get(name)


TEMPLATE_IDS = [message.id for message in read_catalog(TEMPLATE) if message.id]


def test_the_template_lists_every_string_of_the_templates_and_no_other() -> None:
    found = extract_from_dir(
        str(THEME),
        [("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2")],
        options_map={"**": {"extensions": "jinja2.ext.i18n"}},
    )
    wanted = {str(message) for _, _, message, _, _ in found}
    assert set(TEMPLATE_IDS) == wanted, (
        "messages.pot is out of date: in src/policygen/themes/default, run "
        "pybabel extract -F babel.cfg --no-location --omit-header -o locales/messages.pot ."
    )


EU_LANGUAGES = "bg cs da de el es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv"
"""The official languages of the European Union besides English, the theme's own."""
OTHERS = "ar he fa hi th vi id ms tr ru uk ja ko zh-Hans zh-Hant pt-BR es-419"


def test_catalogs_ship_for_the_languages_sites_use() -> None:
    assert set(EU_LANGUAGES.split()) | set(OTHERS.split()) <= set(CATALOGS)


@pytest.mark.parametrize("tag", CATALOGS)
def test_a_catalog_folder_is_named_by_a_language_tag_in_its_canonical_case(tag: str) -> None:
    assert parse_language(tag) == tag
    assert locale(tag).language != THEME_LANGUAGE  # the theme's strings are English already


@pytest.mark.parametrize("tag", CATALOGS)
def test_a_catalog_translates_every_string_of_the_template_and_no_other(tag: str) -> None:
    catalog = read_catalog(catalog_path(tag))
    messages = {message.id: message for message in catalog if message.id}
    untranslated = [id for id in TEMPLATE_IDS if id not in messages or not messages[id].string]
    fuzzy = [id for id, message in messages.items() if message.fuzzy]
    unknown = [id for id in messages if id not in TEMPLATE_IDS]
    obsolete = list(catalog.obsolete)
    assert (untranslated, fuzzy, unknown, obsolete) == ([], [], [], [])
    assert not catalog.fuzzy, "the header is marked fuzzy: the whole catalog would be ignored"


@pytest.mark.parametrize("tag", CATALOGS)
def test_a_translation_keeps_the_placeholders_of_its_msgid(tag: str) -> None:
    broken = []
    for message in read_catalog(catalog_path(tag)):
        if not message.id or not isinstance(message.id, str):
            continue
        assert isinstance(message.string, str)
        wanted = sorted(PLACEHOLDER.findall(message.id))
        if sorted(PLACEHOLDER.findall(message.string)) != wanted:
            broken.append((message.id, message.string))
            continue
        # Templates format every translation (a lone "%" would fail on every page).
        names = {name: "x" for name in re.findall(r"%\((\w+)\)", message.id)}
        try:
            message.string % names
        except (ValueError, TypeError, KeyError):
            broken.append((message.id, message.string))
    assert broken == []


@pytest.mark.parametrize("tag", CATALOGS)
def test_the_plural_forms_of_a_catalog_are_cldrs(tag: str) -> None:
    plural_forms = header_field(tag, "Plural-Forms")
    assert plural_forms is not None, "the catalog has no Plural-Forms header"
    found = re.fullmatch(r"nplurals=(\d+); *plural=(.+?);?", plural_forms.strip())
    assert found is not None, f"Plural-Forms cannot be read: {plural_forms}"
    count, expression = int(found.group(1)), gettext.c2py(found.group(2))
    cldr = locale(tag).plural_form
    # One form per CLDR category, those only decimals fall in ("many" in Czech) included.
    assert count == len(cldr.tags | {"other"})
    # Integers of one CLDR category take one form, and integers of two categories two.
    pairs = {(cldr(n), expression(n)) for n in INTEGERS}
    categories = {category for category, _ in pairs}
    forms = {form for _, form in pairs}
    assert len(pairs) == len(categories) == len(forms), sorted(pairs)
    assert forms <= set(range(count))


@pytest.mark.parametrize("tag", CATALOGS)
def test_the_language_header_of_a_catalog_names_its_folder(tag: str) -> None:
    # Tools write "pt_BR" as often as "pt-BR".
    language = header_field(tag, "Language")
    assert language is not None and canonical_tag(language.replace("_", "-")) == tag


@pytest.mark.parametrize("tag", CATALOGS)
def test_a_catalog_lists_its_strings_in_the_order_of_the_template(tag: str) -> None:
    # Reviewers compare catalogs side by side, and `pybabel update` keeps this order.
    ids = [message.id for message in read_catalog(catalog_path(tag)) if message.id]
    assert ids == TEMPLATE_IDS


def test_the_guide_lists_every_shipped_catalog() -> None:
    guide = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    table = guide.split("<!-- The list of the theme's catalogs")[1].split("\n\n")[0]
    assert re.findall(r"^\| `([^`]+)` \|", table, re.MULTILINE) == CATALOGS
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"translated into {len(CATALOGS)} languages" in readme


@pytest.mark.parametrize("tag", CATALOGS)
def test_a_shipped_catalog_compiles_without_a_warning(tag: str) -> None:
    # A warning of the theme's own catalog would be printed by every site in its language:
    # no translation holds a hidden character, or numbers its original does not.
    translations, problems = compile_catalog(
        catalog_path(tag).read_text(encoding="utf-8"), SourceLocation(str(tag)), tag
    )
    assert translations is not None
    assert [str(problem) for problem in problems] == []
