"""build(): read everything, then render, then write — the only place the stage order is written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import jinja2
from babel.support import NullTranslations

from . import __version__
from .assembly import assemble_site
from .diffing import Redline, diff_texts
from .errors import BuildFailed, Problem, SourceLocation, error
from .i18n import compile_catalog, merge_translations
from .locking import LOCK_FILE, LockEntry, check_lock, parse_lock, settled_revisions
from .manifest import build_manifest, build_reader_answers, to_json
from .markdown import MARKS, RenderedText, render_markdown
from .model import Site
from .output import check_output_folder, sync_output, write_output
from .pages import PageSpec, plan_site
from .sitemap import render_sitemap
from .sources import SiteSources, ThemeFiles, read_site, read_theme
from .templates import SCHEMAS, THEME, Templates, make_templates, template_problem
from .validation import validate_site

PARALLEL_FROM = 64
"""Fewer items than this are done in-process: starting workers would cost more than it saves."""
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a successful build or check did."""

    site: Site
    warnings: tuple[Problem, ...]
    pages: int
    """HTML pages rendered."""
    files: int
    """Files in the output, pages included."""
    lock: dict[tuple[str, str, str, str], LockEntry]
    """The entries of policies.lock."""


def build(
    site_dir: Path,
    out: Path | None,
    *,
    now: dt.datetime,
    as_of: dt.date | None = None,
    base_url: str | None = None,
    cache: RenderCache | None = None,
    rewriting_lock: bool = False,
    jobs: int = 1,
) -> BuildResult:
    """Build the site at `site_dir` into `out` (None: check only, write nothing); raises BuildFailed.

    With a `cache` (kept by `serve` between builds), pages whose inputs did not change are
    not rendered again, and only files whose bytes changed are written. `rewriting_lock`
    (for `policygen lock`) passes over lines of policies.lock that cannot be read and entries
    locked ahead of their revision's date, since they are about to be written anew; every
    other lock check still applies.
    """
    if out is not None:
        check_output_folder(out, site_dir)
    sources, problems = read_site(site_dir)
    theme = read_theme(THEME, SCHEMAS)
    site, site_problems = assemble_site(sources, as_of, now)
    problems += site_problems
    if site is None or any(p.is_error for p in problems):
        raise BuildFailed(problems)
    if base_url is not None:
        site = dataclasses.replace(
            site, config=dataclasses.replace(site.config, base_url=base_url.rstrip("/") + "/")
        )

    # Links are checked against the anchors of other documents, so every text is rendered first.
    rendered = render_texts(site, cache)
    lock, lock_problems = _check_lock(sources, site)
    # Rewriting the lock may replace unreadable lines and entries locked ahead of their date.
    rewritable = ("bad-lock", "locked-ahead-changed") if rewriting_lock else ()
    problems += [p for p in lock_problems if p.code not in rewritable]
    problems += validate_site(site, rendered, settled_revisions(site, lock))
    templates, catalog_problems = _load_templates(sources, theme, site)
    problems += catalog_problems
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)

    # Worker processes share nothing with serve's cache: a cached build renders in-process.
    jobs = 1 if cache is not None else max(1, jobs)
    pages, files, sitemap = plan_site(site, rendered, compute_redlines(site, cache, jobs))
    if jobs > 1:
        rendered_pages = _render_pages_in_parallel(pages, templates, problems, jobs)
    else:
        rendered_pages = _render_pages(
            pages, templates, problems, cache, _fingerprint(sources, theme)
        )
    others = [(f.path, f.content) for f in files]
    others += [*theme.static, *theme.schemas, ("sitemap.xml", render_sitemap(sitemap))]
    others.append(("manifest.json", to_json(build_manifest(site))))
    others += [(path, to_json(answer)) for path, answer in build_reader_answers(site).items()]

    def everything() -> Iterator[tuple[str, bytes]]:
        # Pages are written as they are rendered, not held: memory stays bounded. Template
        # errors show only while pages render, so they stop the build before the swap.
        yield from others
        yield from rendered_pages
        if any(p.is_error for p in problems):
            raise BuildFailed(problems)

    if out is None:
        count = sum(1 for _ in everything())
    elif cache is not None:
        count = sync_output(everything(), out)
    else:
        count = write_output(everything(), out)
    warnings = tuple(sorted((p for p in problems if not p.is_error), key=Problem.sort_key))
    html_pages = sum(page.path.endswith(".html") for page in pages)
    return BuildResult(site, warnings, html_pages, count, lock)


def _check_lock(
    sources: SiteSources, site: Site
) -> tuple[dict[tuple[str, str, str, str], LockEntry], list[Problem]]:
    if sources.lock is None:
        return {}, check_lock(site, {}, SourceLocation(LOCK_FILE))
    entries, problems = parse_lock(sources.lock.text, sources.lock.location)
    return entries, problems + check_lock(site, entries, sources.lock.location)


@dataclass(slots=True)
class RenderCache:
    """What one process (serve) keeps between builds: rendered texts and pages by a hash of their inputs."""

    texts: dict[tuple[str, str, int], RenderedText] = field(default_factory=dict)
    redlines: dict[tuple[str, str], Redline] = field(default_factory=dict)
    pages: dict[str, bytes] = field(default_factory=dict)
    rendered: int = 0
    """Pages rendered by the last build (the others came from the cache)."""


def render_texts(site: Site, cache: RenderCache | None = None) -> dict[str, RenderedText]:
    """Every distinct text of the site rendered once, by the SHA-256 of its canonical Markdown."""
    rendered: dict[str, RenderedText] = {}
    texts = cache.texts if cache is not None else {}
    for policy in site.policies:
        for revision in policy.all_revisions:
            for document in revision.documents.values():
                if document.sha256 in rendered:
                    continue
                # The same text at other lines or in another file reports its problems there.
                key = (
                    document.sha256,
                    document.source.location.path,
                    hash(document.canonical.file_lines),
                )
                if key not in texts:
                    texts[key] = render_markdown(document.canonical, document.source.location)
                rendered[document.sha256] = texts[key]
    return rendered


def compute_redlines(
    site: Site, cache: RenderCache | None = None, jobs: int = 1
) -> dict[tuple[str, str], Redline]:
    """The redline of every pair of consecutive texts, computed once however many pages show it."""
    redlines = cache.redlines if cache is not None else {}
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    for policy in site.policies:
        if not policy.revisions:
            continue
        # Revisions innermost: each text is the new side of one pair, then the old of the next.
        for key in sorted(policy.revisions[0].documents):
            for previous, revision in zip(policy.revisions, policy.revisions[1:], strict=False):
                before, after = previous.documents[key], revision.documents[key]
                pairs.setdefault(
                    (before.sha256, after.sha256), (before.canonical.text, after.canonical.text)
                )
    missing = [pair for pair in pairs if pair not in redlines]
    for pair, redline in zip(
        missing, _map(_diff_pair, [pairs[p] for p in missing], jobs), strict=True
    ):
        redlines[pair] = redline
    return {pair: redlines[pair] for pair in pairs}


def _diff_pair(texts: tuple[str, str]) -> Redline:
    return diff_texts(texts[0], texts[1], MARKS.inserted, MARKS.deleted)


def _map(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """function over items, in order, in `jobs` forked worker processes when that pays."""
    if jobs <= 1 or len(items) < PARALLEL_FROM:
        return [function(item) for item in items]
    # fork: workers inherit what is loaded (templates, pages) instead of receiving it pickled.
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(function, items, chunksize=max(1, len(items) // (jobs * 8)))


def _fingerprint(sources: SiteSources, theme: ThemeFiles) -> str:
    """A hash of everything templates read besides their context: the templates and catalogs."""
    digest = hashlib.sha256(__version__.encode())
    for name, content in (*sources.template_files, *theme.templates):
        digest.update(name.encode() + b"\0" + content + b"\0")
    for catalog in (*sources.catalogs, *theme.catalogs):
        digest.update(catalog.path.encode() + b"\0" + catalog.text.encode() + b"\0")
    return digest.hexdigest()


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


_SHARED: tuple[list[PageSpec], Templates] | None = None
"""The pages and templates of the build under way, inherited by forked workers."""


def _render_pages_in_parallel(
    pages: list[PageSpec], templates: Templates, problems: list[Problem], jobs: int
) -> Iterator[tuple[str, bytes]]:
    """Every page rendered in `jobs` processes, in order; the same bytes as rendering in one."""
    global _SHARED
    _SHARED = (pages, templates)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            chunk = max(1, len(pages) // (jobs * 8))
            results = pool.imap(_render_page_at, range(len(pages)), chunksize=chunk)
            for page, (html, problem) in zip(pages, results, strict=True):
                if problem is not None and problem not in problems:
                    problems.append(problem)
                elif html is not None:
                    yield page.path, html
    finally:
        _SHARED = None


def _render_page_at(index: int) -> tuple[bytes | None, Problem | None]:
    assert _SHARED is not None
    pages, templates = _SHARED
    page = pages[index]
    try:
        return templates.render(page.template, page.language, dict(page.context)).encode(
            "utf-8"
        ), None
    except jinja2.TemplateError as exc:
        return None, template_problem(exc, templates, page.template)


def _render_pages(
    pages: list[PageSpec],
    templates: Templates,
    problems: list[Problem],
    cache: RenderCache | None,
    fingerprint: str,
) -> Iterator[tuple[str, bytes]]:
    if cache is not None:
        cache.rendered = 0
    for page in pages:
        key = ""
        if cache is not None:
            # View objects are frozen dataclasses: their repr is their whole content.
            inputs = f"{fingerprint}\0{page.template}\0{page.language}\0{page.context!r}"
            key = hashlib.sha256(inputs.encode()).hexdigest()
            if key in cache.pages:
                yield page.path, cache.pages[key]
                continue
        try:
            html = templates.render(page.template, page.language, dict(page.context)).encode(
                "utf-8"
            )
        except jinja2.TemplateError as exc:
            problem = template_problem(exc, templates, page.template)
            if problem not in problems:
                problems.append(problem)
            continue
        if cache is not None:
            cache.pages[key] = html
            cache.rendered += page.path.endswith(".html")
        yield page.path, html
