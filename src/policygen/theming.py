"""The site's and the theme's templates and catalogs → the templates of each site language,
and the problems of the catalogs (pure)."""

from __future__ import annotations

import copy

from babel.support import NullTranslations

from .errors import Problem, error
from .i18n import (
    compile_catalog,
    find_catalogs,
    merge_translations,
    parse_language,
    validate_catalog_coverage,
)
from .model import Site
from .sources import SiteSources, SourceFile, ThemeFiles
from .templates import Templates, make_templates


def check_catalog_coverage(sources: SiteSources, theme: ThemeFiles, site: Site) -> list[Problem]:
    """Site languages no catalog serves, and strings a catalog leaves out."""
    folders = [catalog_language(c) for c in (*sources.catalogs, *theme.catalogs)]
    return validate_catalog_coverage(site.config.language_locations, folders)


def load_templates(
    sources: SiteSources, theme: ThemeFiles, site: Site
) -> tuple[Templates, list[Problem]]:
    """Each site language's templates, with the catalogs CLDR's fallback finds for it: the
    site's first (a site may retranslate any string of the theme), then the theme's; and
    the problems of the catalogs."""
    problems: list[Problem] = []
    languages = site.config.languages
    site_catalogs: dict[str, SourceFile] = {}
    for catalog in sources.catalogs:
        folder = catalog_language(catalog)
        tag = parse_language(folder)
        if tag is None:
            hyphens = parse_language(folder.replace("_", "-"))
            hint = f" (did you mean '{hyphens}'?)" if hyphens else ""
            problems.append(
                error(
                    catalog.location,
                    "unknown-language",
                    f"'{folder}' is not a language tag policygen knows{hint}: name the folder after a site language ({', '.join(languages)})",
                )
            )
        elif tag in site_catalogs:
            problems.append(
                error(
                    catalog.location,
                    "duplicate-language",
                    f"{site_catalogs[tag].path} is already the catalog for '{tag}' (case does not matter in language tags): keep one",
                )
            )
        elif not any(find_catalogs(language, [tag]) for language in languages):
            problems.append(
                error(
                    catalog.location,
                    "unknown-language",
                    f"catalog for '{folder}', which serves none of the site's languages ({', '.join(languages)})",
                )
            )
        else:
            site_catalogs[tag] = catalog
    theme_catalogs = {catalog_language(catalog): catalog for catalog in theme.catalogs}
    merged: dict[str, NullTranslations] = {}
    # Each catalog is compiled once, however many languages it serves (`es` serves es-MX,
    # es-AR and a dozen more): a catalog of megabytes was compiled again for each.
    compiled: dict[tuple[int, str], tuple[NullTranslations | None, list[Problem]]] = {}
    for language in languages:
        layers: list[NullTranslations] = []
        for origin, catalogs in enumerate((site_catalogs, theme_catalogs)):
            for tag in find_catalogs(language, catalogs):
                catalog = catalogs[tag]
                if (origin, tag) not in compiled:
                    compiled[origin, tag] = compile_catalog(catalog.text, catalog.location, tag)
                translations, catalog_problems = compiled[origin, tag]
                problems += [p for p in catalog_problems if p not in problems]
                if translations is not None:
                    # A copy for each language it serves: merging chains each language's
                    # layers together, through the first's fallback.
                    layers.append(copy.copy(translations))
        merged[language] = merge_translations(layers)
    site_templates = {name: content.decode("utf-8") for name, content in sources.template_files}
    theme_templates = {name: content.decode("utf-8") for name, content in theme.templates}
    return make_templates(site_templates, theme_templates, merged), problems


def catalog_language(catalog: SourceFile) -> str:
    """The language folder of a catalog, locales/<language>/LC_MESSAGES/messages.po."""
    return catalog.path.split("/")[-3]
