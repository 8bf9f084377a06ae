"""build(): read everything, then render, then write — the only place the stage order is written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from babel.support import NullTranslations

from .assembly import assemble_site
from .config import parse_config
from .errors import BuildFailed, Problem, error
from .i18n import compile_catalog, merge_translations
from .manifest import build_manifest, build_reader_answers, to_json
from .markdown import RenderedText, render_markdown
from .model import Site
from .output import check_output_folder, write_output
from .pages import PageSpec, plan_site
from .sitemap import render_sitemap
from .sources import SiteSources, ThemeFiles, read_site, read_theme
from .templates import SCHEMAS, THEME, Templates, make_templates, template_problem
from .validation import validate_site


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a successful build or check did."""

    site: Site
    warnings: tuple[Problem, ...]
    pages: int
    """HTML pages rendered."""
    files: int
    """Files in the output, pages included."""


def default_as_of(timezone: str, now: dt.datetime) -> dt.date:
    """The date `now` falls on in the site's time zone."""
    return now.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def build(
    site_dir: Path,
    out: Path | None,
    *,
    now: dt.datetime,
    as_of: dt.date | None = None,
    base_url: str | None = None,
) -> BuildResult:
    """Build the site at `site_dir` into `out` (None: check only, write nothing); raises BuildFailed."""
    if out is not None:
        check_output_folder(out, site_dir)
    sources, problems = read_site(site_dir)
    theme = read_theme(THEME, SCHEMAS)
    site, site_problems = assemble_site(sources, as_of or _as_of_for(sources, now))
    problems += site_problems
    if site is None or any(p.is_error for p in problems):
        raise BuildFailed(problems)
    if base_url is not None:
        site = dataclasses.replace(
            site, config=dataclasses.replace(site.config, base_url=base_url.rstrip("/") + "/")
        )

    # Links are checked against the anchors of other documents, so every text is rendered first.
    rendered = render_texts(site)
    problems += validate_site(site, rendered)
    templates, catalog_problems = _load_templates(sources, theme, site)
    problems += catalog_problems
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)

    pages, files, sitemap = plan_site(site, rendered)
    outputs = list(_render_pages(pages, templates, problems))
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)
    outputs += [(f.path, f.content) for f in files]
    outputs += [*theme.static, *theme.schemas, ("sitemap.xml", render_sitemap(sitemap))]
    outputs.append(("manifest.json", to_json(build_manifest(site))))
    outputs += [(path, to_json(answer)) for path, answer in build_reader_answers(site).items()]
    if out is not None:
        write_output(sorted(outputs), out)
    warnings = tuple(sorted((p for p in problems if not p.is_error), key=Problem.sort_key))
    html_pages = sum(page.path.endswith(".html") for page in pages)
    return BuildResult(site, warnings, html_pages, len(outputs))


def _as_of_for(sources: SiteSources, now: dt.datetime) -> dt.date:
    if sources.config is not None:
        config, _ = parse_config(sources.config.text, sources.config.location)
        if config is not None:
            return default_as_of(config.timezone, now)
    return now.date()


def render_texts(site: Site) -> dict[str, RenderedText]:
    """Every distinct text of the site rendered once, by the SHA-256 of its canonical Markdown."""
    rendered: dict[str, RenderedText] = {}
    for policy in site.policies:
        for revision in policy.revisions:
            for document in revision.documents.values():
                if document.sha256 not in rendered:
                    rendered[document.sha256] = render_markdown(
                        document.canonical, document.source.location
                    )
    return rendered


def _load_templates(
    sources: SiteSources, theme: ThemeFiles, site: Site
) -> tuple[Templates, list[Problem]]:
    problems: list[Problem] = []
    layers: dict[str, list[NullTranslations]] = {language: [] for language in site.config.languages}
    # The site's catalogs come first: a site may retranslate any string of the theme.
    for catalog in (*sources.catalogs, *theme.catalogs):
        language = catalog.path.split("/")[-3]
        if language not in layers:
            if catalog in sources.catalogs:
                problems.append(
                    error(
                        catalog.location,
                        "unknown-language",
                        f"catalog for '{language}', which is not a site language ({', '.join(site.config.languages)})",
                    )
                )
            continue
        compiled, catalog_problems = compile_catalog(catalog.text, catalog.location, language)
        problems += catalog_problems
        if compiled is not None:
            layers[language].append(compiled)
    merged = {language: merge_translations(found) for language, found in layers.items()}
    return make_templates(sources.templates, merged), problems


def _render_pages(
    pages: list[PageSpec], templates: Templates, problems: list[Problem]
) -> Iterator[tuple[str, bytes]]:
    for page in pages:
        try:
            html = templates.render(page.template, page.language, dict(page.context))
        except jinja2.TemplateError as exc:
            problem = template_problem(exc, templates, page.template)
            if problem not in problems:
                problems.append(problem)
            continue
        yield page.path, html.encode("utf-8")
