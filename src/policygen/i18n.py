"""Languages → Babel locales, gettext catalogs, localized dates and names (pure)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal, NamedTuple

import babel.localedata
from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.dates import format_date, format_skeleton, get_era_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, PoFileParser
from babel.support import NullTranslations, Translations

from .characters import describe_hidden_words
from .errors import Problem, SourceLocation, error, excerpt, warning

THEME_LANGUAGE = "en"
"""The language the theme's own strings are written in: its pages need no catalog."""
THEME_TEMPLATE = "policygen/themes/default/locales/messages.pot"
"""Where the list of the theme's strings is, for people writing a catalog."""


def canonical_tag(tag: str) -> str:
    """A BCP 47 tag in its canonical case (RFC 5646 §2.1.1): "pt-BR", "zh-Hant-TW", "es-419".

    Only the case changes: the language in lower case, a four-letter script in title case, a
    two-letter region in upper case, anything after a singleton ("-u-", "-x-") in lower case.
    """
    first, *rest = tag.split("-")
    subtags = [first.lower()]
    extension = len(first) == 1
    for subtag in rest:
        extension = extension or len(subtag) == 1
        if not extension and len(subtag) == 2 and subtag.isalpha():
            subtags.append(subtag.upper())
        elif not extension and len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())
        else:
            subtags.append(subtag.lower())
    return "-".join(subtags)


NO_LANGUAGE = frozenset({"root", "und"})
"""Names Babel has data for that name no language: CLDR's root, the data every locale
inherits, and BCP 47's "undetermined". A site of `languages: [en, root]` published pages
of `lang="root"`, which no browser, screen reader or search engine reads as a language."""


def parse_language(text: str) -> str | None:
    """The canonical tag of a language Babel has data for ("PT-br" → "pt-BR"), else None."""
    tag = canonical_tag(text)
    if not tag or "_" in tag or tag.partition("-")[0].lower() in NO_LANGUAGE:
        return None
    try:
        locale(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return tag


def is_same_language(a: str, b: str) -> bool:
    """Whether two tags name the same language: tags are compared regardless of case."""
    return a.lower() == b.lower()


KEPT_LOCALES = 1024
"""How many languages' Babel locales and fallbacks are kept once made, and (four times as
many) the names Babel is asked whether it has data for: a site has a few languages, while a
service that looks readers up (`policygen.lookup`) meets tags of any variant or region
(`de-DE-abcdefgh`), as many as readers choose to send. Kept for good, each reader's tags
held some 30 kB for as long as the service ran."""


@functools.lru_cache(maxsize=KEPT_LOCALES)
def locale(tag: str) -> Locale:
    """The Babel locale of a BCP 47 tag such as "pt-BR" (CLDR's likely script added for
    "zh-CN" or "zh-TW", so that dates and names come from zh_Hans_CN or zh_Hant_TW)."""
    exists = babel.localedata.exists
    if hasattr(exists, "cache_clear") and exists.cache_info().currsize >= 4 * KEPT_LOCALES:
        exists.cache_clear()  # Babel keeps the answer for every name it was asked about
    return Locale.parse(tag, sep="-")


class _Subtags(NamedTuple):
    """The parts of a tag CLDR's inheritance looks at."""

    language: str
    script: str | None
    region: str | None
    variant: str | None = None

    @property
    def tag(self) -> str:
        return canonical_tag("-".join(p for p in self if p))

    def without_script(self) -> _Subtags:
        return self._replace(script=None)


def _subtags(tag: str) -> _Subtags:
    parsed = locale(tag)
    # Babel reads the language, script and region (an alias such as "iw" as "he"); the
    # variants are taken from the tag, as written.
    rest = tag.split("-")[1:]
    while rest and (_is_region(rest[0]) or (len(rest[0]) == 4 and rest[0].isalpha())):
        rest.pop(0)
    return _Subtags(parsed.language, parsed.script, parsed.territory, "-".join(rest) or None)


def _maximized(subtags: _Subtags) -> _Subtags:
    """The subtags with CLDR's likely script and region added ("zh-TW" → zh-Hant-TW)."""
    likely: Mapping[str, str] = get_global("likely_subtags")
    language, script, region, variant = subtags
    keys = [
        "_".join(p for p in (language, script, region) if p),
        *([f"{language}_{region}"] if region else []),
        *([f"{language}_{script}"] if script else []),
        language,
    ]
    for key in keys:
        if key in likely:
            _, likely_region, likely_script, *_ = parse_locale(likely[key])
            return _Subtags(language, script or likely_script, region or likely_region, variant)
    return subtags


def _is_likely_script(subtags: _Subtags) -> bool:
    """Whether the script goes without saying for the language (and region): Latn for pt-PT,
    Hant for zh-TW, but not Latn for sr, whose likely script is Cyrillic."""
    return _maximized(subtags.without_script()).script == subtags.script


def _parent(subtags: _Subtags) -> _Subtags | None:
    """The locale CLDR inherits from (es-MX → es-419 → es; zh-Hant → none: never across scripts)."""
    language, script, region, variant = subtags
    if variant:
        return subtags._replace(variant=None)
    exceptions: Mapping[str, str] = get_global("parent_exceptions")
    keys = ["_".join(p for p in (language, script, region) if p)]
    if _is_likely_script(subtags):
        keys.append("_".join(p for p in (language, region) if p))
    for key in keys:
        if key in exceptions:
            parent = exceptions[key]
            if parent == "root":
                return None
            parent_language, parent_region, parent_script, *_ = parse_locale(parent)
            written = _Subtags(parent_language, parent_script, parent_region)
            return written._replace(script=_maximized(written).script)
    if region:
        return subtags._replace(region=None)
    if script and _is_likely_script(subtags):
        return _Subtags(language, None, None)
    return None


@functools.lru_cache(maxsize=KEPT_LOCALES)
def catalog_candidates(tag: str) -> tuple[str, ...]:
    """The catalogs that may hold a language's page strings, best first, by CLDR's fallback.

    The tag itself; then each step of CLDR's inheritance from the tag with its likely
    subtags added, written with its script and, where the script goes without saying,
    without it: zh-CN → zh-Hans-CN, zh-Hans, zh; zh-TW → zh-Hant-TW, zh-Hant (never zh, which
    is written in Simplified characters); es-MX → es-419, es; pt-PT → pt; sr-Latn → sr-Latn.
    """
    found = [tag]
    step: _Subtags | None = _maximized(_subtags(tag))
    seen: set[_Subtags] = set()
    while step is not None and step not in seen:
        seen.add(step)
        found.append(step.tag)
        if _is_likely_script(step):
            found.append(step.without_script().tag)
        step = _parent(step)
    return tuple(dict.fromkeys(found))


def likely_script(tag: str) -> str | None:
    """The script a language is written in, stated or likely: "zh-TW" → Hant, "sr" → Cyrl."""
    return _maximized(_subtags(tag)).script


def find_catalogs(tag: str, available: Iterable[str]) -> list[str]:
    """Those of the `available` catalog folders that serve a language, best first."""
    by_tag: dict[str, str] = {}
    for name in available:
        by_tag.setdefault(name.lower(), name)
    return [by_tag[c.lower()] for c in catalog_candidates(tag) if c.lower() in by_tag]


def languages_without_catalog(languages: Iterable[str], catalogs: Iterable[str]) -> list[str]:
    """The languages no catalog translates the theme's strings into (English needs none)."""
    available = list(catalogs)
    return [
        tag
        for tag in languages
        if locale(tag).language != THEME_LANGUAGE and not find_catalogs(tag, available)
    ]


def validate_catalog_coverage(
    languages: Sequence[tuple[str, SourceLocation]], catalogs: Iterable[str]
) -> list[Problem]:
    """A warning for each site language no catalog translates the theme's strings into."""
    where = dict(languages)
    return [
        warning(
            where[tag],
            "no-catalog",
            f"policygen ships no translation of the page's own words (labels such as 'Effective', notices, links) into {language_name(tag)} ('{tag}'), and the site has none: "
            f"readers of the {tag} pages will see them in English. "
            f"Add locales/{tag}/LC_MESSAGES/messages.po, translating the theme's strings (listed in {THEME_TEMPLATE}, in the policygen package)",
        )
        for tag in languages_without_catalog(where, catalogs)
    ]


@functools.cache
def text_direction(tag: str) -> Literal["ltr", "rtl"]:
    """Writing direction of a language, for `<html dir>`."""
    return "rtl" if locale(tag).text_direction == "rtl" else "ltr"


@functools.cache
def language_name(tag: str) -> str:
    """A language's name in that language, e.g. "日本語" for ja, "Português (Brasil)" for pt-BR;
    a country only when the tag names one ("iw", Hebrew's former code, is "עברית", not
    "עברית (ישראל)" as Babel reads the alias)."""
    shown = locale(tag)
    written = tag.split("-")[1:]
    if shown.territory and not any(_is_region(subtag) for subtag in written):
        names_script = any(len(subtag) == 4 and subtag.isalpha() for subtag in written)
        shown = Locale(shown.language, script=shown.script if names_script else None)
    name = shown.get_display_name(shown) or tag
    return name[:1].upper() + name[1:]


def _is_region(subtag: str) -> bool:
    """Whether a subtag names a country ("BR") or a region of the world ("419")."""
    return (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit())


def preferred_tag(tag: str) -> str | None:
    """The tag CLDR writes for a language known by another code ("iw", Hebrew's former code,
    → "he"; "glg", Galician's three-letter code, → "gl"; "iw-IL" → "he-IL"), else None."""
    first, _, rest = tag.partition("-")
    alias = get_global("language_aliases").get(first.lower())
    if alias is None or "_" in alias:
        return None
    preferred = canonical_tag("-".join(p for p in (alias, rest) if p))
    return preferred if parse_language(preferred) else None


def take_page_data(tags: Iterable[str]) -> None:
    """Take from CLDR what pages read of these languages (their names, writing direction and
    long dates), and let the rest of CLDR's data go.

    CLDR's data for a language is about a megabyte (names of every language, territory,
    currency and time zone), held by every process that reads any of it; what pages read of
    a language is a few hundred bytes. Whatever else is asked afterwards is loaded again.
    """
    for tag in tags:
        language_name(tag)
        text_direction(tag)
        _long_dates(tag)
    babel.localedata.clear_caches()
    locale.cache_clear()  # a Locale keeps the data it loaded


@functools.lru_cache(maxsize=4096)
def format_day(day: dt.date, tag: str) -> str:
    """A date as that language writes it in full, e.g. "July 7, 2022" or "2022年7月7日"."""
    dates = _long_dates(tag)
    if dates is None:
        return format_date(day, format="long", locale=locale(tag))
    return dates.format % _DayFields(day, dates)


@functools.lru_cache(maxsize=1024)
def format_year(day: dt.date, tag: str) -> str:
    """The year of a date as that language writes it alone, e.g. "2022" or "2022年"."""
    return format_skeleton("y", day, locale=locale(tag))


FIRST_DAYS: Mapping[str, str] = {"fr": "1er"}
"""The first day of a month where a language writes it as an ordinal in its dates, which CLDR
does not say: French policies take effect on the "1er janvier", never the "1 janvier"."""


class _LongDates(NamedTuple):
    """What a language's long dates are written with: CLDR's pattern, as a %-format of its
    fields ("%(MMMM)s %(d)s, %(y)s"), and the names its fields of names show (months, era)."""

    format: str
    names: Mapping[str, Mapping[int, str]]
    """By field ("MMMM", "G"): the names by month, or by era."""
    first_day: str
    """The first day of a month, as the language writes it in a date: "1", or "1er"."""


NAME_WIDTHS: Mapping[int, Literal["abbreviated", "wide", "narrow"]] = {
    3: "abbreviated",
    4: "wide",
    5: "narrow",
}
"""The width of the names a field shows, by the number of its letters (an era's name is
abbreviated below three, as Babel reads it)."""


@functools.cache
def _long_dates(tag: str) -> _LongDates | None:
    """A language's long dates (None where they have a field other than a year, a month, a
    day or an era: Babel formats them)."""
    found = locale(tag)
    pattern = found.date_formats["long"]
    names: dict[str, Mapping[int, str]] = {}
    for field in re.findall(r"%\((\w+)\)s", pattern.format):
        letter, width = field[0], len(field)
        if letter in "yd" or (letter in "ML" and width <= 2):
            continue
        if letter == "M" and width <= 5:
            names[field] = dict(get_month_names(NAME_WIDTHS[width], "format", found))
        elif letter == "L" and width <= 5:
            names[field] = dict(get_month_names(NAME_WIDTHS[width], "stand-alone", found))
        elif letter == "G" and width <= 5:
            names[field] = dict(get_era_names(NAME_WIDTHS[max(3, width)], found))
        else:
            return None
    return _LongDates(pattern.format, names, FIRST_DAYS.get(found.language, "1"))


class _DayFields:
    """The fields of one day's long date, as Babel's DateTimeFormat gives them."""

    def __init__(self, day: dt.date, dates: _LongDates) -> None:
        self.day = day
        self.names = dates.names
        self.first_day = dates.first_day

    def __getitem__(self, field: str) -> str:
        letter, width = field[0], len(field)
        if letter == "y":
            year = f"{self.day.year:0{width}d}"
            return year[-2:] if width == 2 else year
        if letter == "d":
            return (
                self.first_day if self.day.day == 1 and width == 1 else f"{self.day.day:0{width}d}"
            )
        if letter == "G":
            return self.names[field][int(self.day.year >= 0)]
        if width <= 2:  # a month, as a number
            return f"{self.day.month:0{width}d}"
        return self.names[field][self.day.month]


MOST_PLURAL_FORMS = 6
"""No language has more plural forms (CLDR's zero, one, two, few, many and other)."""


class _Catalog(Catalog):
    """A catalog whose header may not ask for more plural forms than a language has: Babel
    makes room for `nplurals` translations of every message with plural forms, so that
    `nplurals=300000000` would fill the memory of the machine before anything is read."""

    @property
    def num_plurals(self) -> int:
        count = super().num_plurals
        if not 1 <= count <= MOST_PLURAL_FORMS:
            raise ValueError(
                f"nplurals={count} in Plural-Forms: a language has from 1 to {MOST_PLURAL_FORMS} plural forms"
            )
        return count


def compile_catalog(
    text: str, where: SourceLocation, language: str
) -> tuple[NullTranslations | None, list[Problem]]:
    """Compile a .po catalog in memory (no .mo files on disk or in git)."""
    try:
        catalog = _Catalog(locale=locale(language))
        PoFileParser(catalog, abort_invalid=True).parse(io.StringIO(text))
        problems = [
            error(
                where.at(message.lineno),
                "bad-catalog",
                f"the translation of '{_original(message.id)}' cannot be used: {problem}",
            )
            for message in catalog
            if message.id and (problem := _format_problem(message.id, message.string)) is not None
        ]
        if problems:
            return None, problems
        warnings = [
            warning(
                where.at(message.lineno),
                code,
                f"the translation of '{_original(message.id)}' holds {found}",
            )
            for message in catalog
            if message.id
            for text in _texts(message.string)
            for code, found in describe_hidden_words(text)
        ]
        warnings += [
            warning(
                where.at(message.lineno),
                "catalog-numbers",
                f"the translation of '{_original(message.id)}' writes numbers its original does not ('{excerpt(numbered)}'): every page of its language shows them as policygen's own words, which no text holds (a date where a label was); write what the original says, its values as %(name)s",
            )
            for message in catalog
            if message.id and (numbered := _adds_numbers(message.id, message.string)) is not None
        ]
        # The file was read as UTF-8 whatever its header says: so it is written.
        catalog.charset = "utf-8"
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        translations = Translations(fp=buffer)
        _check_plural_rule(translations.plural)
        return translations, warnings
    except PoFileError as exc:
        line = exc.lineno + 1  # Babel counts lines from 0
        message = str(exc).removesuffix(f" on {exc.lineno}")
        return None, [
            error(
                where.at(line), "bad-catalog", f"this translation catalog cannot be read: {message}"
            )
        ]
    except (ValueError, LookupError, SyntaxError) as exc:
        # The header's Plural-Forms or charset, which Babel and gettext read as they go.
        return None, [
            error(
                where.at(1),
                "bad-catalog",
                f"the header of this translation catalog cannot be used: {exc}",
            )
        ]


PLURAL_TRIED = range(1001)
"""The numbers a catalog's plural rule is worked out for before it is used."""


def _check_plural_rule(plural: Callable[[int], int]) -> None:
    """Raise ValueError if the plural rule cannot be worked out for a number of PLURAL_TRIED:
    gettext works it out for 1 for each message the catalog lacks, so that a rule such as
    `n/0` was an error of every template, never of the catalog that holds it."""
    for number in PLURAL_TRIED:
        try:
            plural(number)
        except ArithmeticError:
            raise ValueError(f"its plural rule divides by zero when n is {number}") from None


def _format_problem(original: object, translation: object) -> str | None:
    """What keeps a translation from being filled in as pages fill in every string (with the
    original's %(name)s values), or None."""
    originals = original if isinstance(original, (tuple, list)) else (original,)
    translations = translation if isinstance(translation, (tuple, list)) else (translation,)
    names = {name for text in originals if text for name in PLACEHOLDER.findall(str(text))}
    for text in translations:
        if not text:
            continue
        # Checked before the translation is tried: "%(date)1000000000s" makes a gigabyte.
        if padded := PADDED.search(str(text)):
            return f"it gives a value a width or precision ({padded['conversion']}), which makes it take as much room as it says: write %(name)s alone"
        try:
            str(text) % dict.fromkeys(names, "")
        except KeyError as exc:
            return f"it names %({exc.args[0]})s, which the original does not have"
        except (ValueError, TypeError):
            return "it has a '%' that is not followed by (name)s: write '%%' for a percent sign"
        # A plural form may say its number in words ("one version"); any other translation
        # that leaves a value out hides it from every page (a date, a policy's title).
        if len(originals) == 1 and (left_out := names - set(PLACEHOLDER.findall(str(text)))):
            name = sorted(left_out)[0]
            return f"it leaves out %({name})s, which pages fill in with what the words are about (a date, a title): write it where the language puts it"
    return None


def _texts(translation: object) -> list[str]:
    """The texts of a message's translation: one, or one per plural form."""
    translations = translation if isinstance(translation, (tuple, list)) else (translation,)
    return [str(text) for text in translations if text]


def _adds_numbers(original: object, translation: object) -> str | None:
    """The first form of a translation that writes more digits than its original does (its
    %(name)s values aside): "Effective" translated "En vigueur le 1er janvier 2019" puts a
    date on every page of its language, which no text holds."""
    originals = original if isinstance(original, (tuple, list)) else (original,)
    allowed = max(_digits(str(text)) for text in originals)
    return next((text for text in _texts(translation) if _digits(text) > allowed), None)


def _digits(text: str) -> int:
    """The digits of a text, in any script, but those of its %(name)s values."""
    return sum(char.isdecimal() for char in PLACEHOLDER_WHOLE.sub("", text))


def _original(message_id: object) -> str:
    """A message as its translators know it: the singular of one with plural forms."""
    return str(message_id[0] if isinstance(message_id, (tuple, list)) else message_id)


PLACEHOLDER = re.compile(r"%\((\w+)\)")
PLACEHOLDER_WHOLE = re.compile(r"%\(\w+\)s")
PADDED = re.compile(
    r"(?<!%)(?:%%)*(?P<conversion>%(?:\(\w*\))?[-#0 +]*(?:[*\d]+\.?[*\d]*|\.[*\d]*))"
)
"""A conversion given a width or a precision (`%(date)20s`, `%.3s`, `%*s`)."""


def merge_translations(layers: list[NullTranslations]) -> NullTranslations:
    """One set of translations: the first layer that has a message wins."""
    if not layers:
        return NullTranslations()
    first, *rest = layers
    for layer in rest:
        first.add_fallback(layer)
    return first
