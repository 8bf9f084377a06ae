"""Languages → Babel locales, gettext catalogs, localized dates and names (pure)."""

from __future__ import annotations

import datetime as dt
import functools
import io
from typing import Literal

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from .errors import Problem, SourceLocation, error


@functools.cache
def locale(tag: str) -> Locale:
    """The Babel locale of a BCP 47 tag such as "pt-BR"."""
    return Locale.parse(tag, sep="-")


def text_direction(tag: str) -> Literal["ltr", "rtl"]:
    """Writing direction of a language, for `<html dir>`."""
    return "rtl" if locale(tag).text_direction == "rtl" else "ltr"


@functools.cache
def language_name(tag: str) -> str:
    """A language's name in that language, e.g. "日本語" for ja, "Português (Brasil)" for pt-BR."""
    name = locale(tag).get_display_name(locale(tag)) or tag
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=4096)
def format_day(day: dt.date, tag: str) -> str:
    """A date as that language writes it in full, e.g. "July 7, 2022" or "2022年7月7日"."""
    return format_date(day, format="long", locale=locale(tag))


def compile_catalog(
    text: str, where: SourceLocation, language: str
) -> tuple[NullTranslations | None, list[Problem]]:
    """Compile a .po catalog in memory (no .mo files on disk or in git)."""
    try:
        catalog = read_po(io.StringIO(text), locale=locale(language), abort_invalid=True)
    except PoFileError as exc:
        line = exc.lineno + 1  # Babel counts lines from 0
        message = str(exc).removesuffix(f" on {exc.lineno}")
        return None, [
            error(
                where.at(line), "bad-catalog", f"this translation catalog cannot be read: {message}"
            )
        ]
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer), []


def merge_translations(layers: list[NullTranslations]) -> NullTranslations:
    """One set of translations: the first layer that has a message wins."""
    if not layers:
        return NullTranslations()
    first, *rest = layers
    for layer in rest:
        first.add_fallback(layer)
    return first
