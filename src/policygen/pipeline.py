"""build(): read everything, then render, then write — the only place the stage order is written."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

import jinja2
from babel.support import NullTranslations

from .assembly import AssemblyMemo, assemble_site
from .config import parse_base_url
from .diffing import STAND_INS, Redline, diff_texts
from .errors import BuildFailed, Problem, SourceLocation, error
from .hosting import plan_header_rules, render_headers_file
from .i18n import (
    compile_catalog,
    find_catalogs,
    merge_translations,
    parse_language,
    validate_catalog_coverage,
)
from .incremental.environment import environment_key
from .locking import LOCK_FILE, LockEntry, check_lock, parse_lock, settled_revisions
from .manifest import (
    PolicyMemo,
    build_manifest,
    build_reader_answers,
    manifest_json,
    memo_key,
    to_json,
)
from .markdown import RenderedText, render_markdown
from .model import Document, Site
from .output import Output, ReadBack, Written, check_paths, prepare_output_folder
from .pages import PAGE_TEMPLATES, PageSpec, Planner
from .parts import Part, PartsMemo, plan_parts, redline_pair, redline_pairs
from .sitemap import render_sitemap
from .sources import SiteSources, SourceFile, ThemeFiles, read_code_digest, read_site, read_theme
from .templates import SCHEMAS, THEME, Templates, make_templates, template_problem
from .urls import HEADERS_FILE, MANIFEST_FILE, SITEMAP_FILE
from .validation import validate_site

PARALLEL_FROM = 64
"""Fewer pages to make than this are made in-process: starting workers would cost more."""
T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


@dataclass(slots=True)
class BuildCache:
    """What a build keeps for the next, by hashes of inputs: serve holds it in memory,
    `policygen build` in its cache folder. Deleting it only makes the next build slower."""

    key: str = ""
    """The policygen, Python and libraries it was made with (`environment_key`): a build
    with others starts from an empty cache."""
    assembly: AssemblyMemo = field(default_factory=AssemblyMemo)
    texts: dict[tuple[str, str, int], RenderedText] = field(default_factory=dict)
    """Rendered texts by SHA-256 of the canonical text and where it is (for its problems)."""
    redlines: dict[tuple[str, str], Redline] = field(default_factory=dict)
    """Redlines computed in the build process (worker processes drop theirs)."""
    manifest: PolicyMemo = field(default_factory=dict)
    """Each policy's part of the manifest, by its inputs."""
    templates: dict[str, tuple[Templates, list[Problem]]] = field(default_factory=dict)
    """The templates of the last build, by a hash of the templates, catalogs and languages."""
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The paths each part of the site wrote, by `Part.key`."""
    part_keys: PartsMemo = field(default_factory=dict)
    """Each policy's parts, keyed, by a hash of its inputs and the site's."""
    files: dict[str, Written] = field(default_factory=dict)
    """Every file of the output folder, as the last build left it."""
    output: str = ""
    """The output folder `parts` and `files` describe."""
    is_output_own: bool = False
    """Whether this process itself left `files` in the output (serve's rebuilds), rather than
    a cache file saying so: only then are they not read back before they are kept."""

    def keep_only_for(self, key: str) -> None:
        """Empty the cache unless it was made with the policygen, Python and libraries of `key`."""
        if self.key != key:
            empty = BuildCache(key)
            for kept in dataclasses.fields(self):
                setattr(self, kept.name, getattr(empty, kept.name))


@dataclass(frozen=True, slots=True)
class MadePart:
    """The files of a part of the site as one build made or kept them."""

    files: Mapping[str, Written | None]
    """By output path (None when the build writes nothing)."""
    problems: tuple[Problem, ...]
    rendered: int
    """HTML pages rendered (0 when the part was kept)."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a successful build or check did."""

    site: Site
    warnings: tuple[Problem, ...]
    pages: int
    """HTML pages in the output."""
    files: int
    """Files in the output, pages included."""
    lock: dict[tuple[str, str, str, str], LockEntry]
    """The entries of policies.lock."""
    rendered: int
    """HTML pages rendered (the others were kept from the previous build)."""


def _without_cyclic_collection(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cyclic garbage collector paused.

    A build allocates millions of objects that live until it ends (the model, texts,
    redlines): the collector would scan them again and again and find nothing to free.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_without_cyclic_collection
def build(
    site_dir: Path,
    out: Path | None,
    *,
    now: dt.datetime,
    as_of: dt.date | None = None,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    in_place: bool = False,
    rewriting_lock: bool = False,
    jobs: int = 1,
) -> BuildResult:
    """Build the site at `site_dir` into `out` (None: check only, write nothing); raises BuildFailed.

    With a `cache` (kept by serve between builds, or loaded from the cache folder), nothing
    whose inputs did not change is made again: policies, texts, redlines, and the pages and
    files of each part of the site. Only files whose bytes changed are written. `in_place`
    (serve's rebuilds) updates `out` itself instead of swapping in a new folder. `rewriting_lock`
    (for `policygen lock`) passes over lines of policies.lock that cannot be read and entries
    locked ahead of their revision's date, since they are about to be written anew; every
    other lock check still applies.
    """
    if out is not None:
        prepare_output_folder(out, site_dir)
    is_kept = cache is not None
    cache = cache if cache is not None else BuildCache()
    if is_kept:
        cache.keep_only_for(environment_key())
    sources, problems = read_site(site_dir)
    theme = read_theme(THEME, SCHEMAS)
    site, site_problems = assemble_site(sources, as_of, now, cache.assembly)
    problems += site_problems
    if site is None or any(p.is_error for p in problems):
        raise BuildFailed(problems)
    if base_url is not None:
        try:
            url = parse_base_url(base_url, "--base-url")
        except ValueError as exc:
            raise BuildFailed([error(SourceLocation("--base-url"), "bad-url", str(exc))]) from None
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=url))

    # Links are checked against the anchors of other documents, so every text is rendered first.
    rendered = render_texts(site, cache, jobs)
    previous = cache.files if out is not None and cache.output == str(out.resolve()) else {}
    is_own = in_place and bool(previous) and cache.is_output_own
    # The previous output is read back in threads while the site is checked and its files
    # are kept (no process is forked until then); serve's own output needs not be.
    read_back = ReadBack(out, previous) if out is not None and previous and not is_own else None
    try:
        lock, lock_problems = _check_lock(sources, site)
        # Rewriting the lock may replace unreadable lines and entries locked ahead of their date.
        rewritable = ("bad-lock", "locked-ahead-changed") if rewriting_lock else ()
        problems += [p for p in lock_problems if p.code not in rewritable]
        problems += validate_site(site, rendered, settled_revisions(site, lock))
        fingerprint = _fingerprint(sources, theme)
        # Templates compile on first use: environments kept from the last build stay compiled.
        templates_key = f"{fingerprint}\0{site.config.languages}"
        if templates_key not in cache.templates:
            cache.templates = {templates_key: _load_templates(sources, theme, site)}
        templates, catalog_problems = cache.templates[templates_key]
        problems += catalog_problems
        catalog_folders = [_catalog_language(c) for c in (*sources.catalogs, *theme.catalogs)]
        problems += validate_catalog_coverage(site.config.language_locations, catalog_folders)
        if any(p.is_error for p in problems):
            raise BuildFailed(problems)
    except BaseException:
        if read_back is not None:
            read_back.finish()
        raise

    # Only the redlines of diff pages made again are computed, each once, where it is shown.
    cache.redlines = {
        pair: cache.redlines[pair] for pair in redline_pairs(site) & cache.redlines.keys()
    }
    redlines = Redlines(site, cache.redlines)
    planner = Planner(site, rendered, redlines)
    parts = plan_parts(planner, fingerprint, cache.part_keys)
    output = (
        Output(out, in_place=in_place and bool(previous), is_own=is_own)
        if out is not None
        else None
    )
    keys = {memo_key(site, policy) for policy in site.policies}
    cache.manifest = {key: cache.manifest[key] for key in keys & cache.manifest.keys()}
    work = _Work(
        planner,
        redlines,
        templates,
        theme,
        output,
        previous,
        read_back,
        os.getpid(),
        cache.manifest,
        is_kept,
    )
    try:
        # Files changed in place are held until the end by the process that made them.
        made = _make_parts(work, parts, cache.parts, 1 if output and output.in_place else jobs)
        paths = [path for part in parts for path in made[part.key].files]
        check_paths(paths)
        for part in parts:
            for problem in made[part.key].problems:
                if problem not in problems:
                    problems.append(problem)
        if any(p.is_error for p in problems):
            raise BuildFailed(problems)
    except BaseException:
        if read_back is not None:
            read_back.finish()
        if output is not None:
            output.abandon()
        raise
    if output is not None:
        assert out is not None
        written = {path: record for part in parts for path, record in made[part.key].files.items()}
        cache.files = output.finish(written, previous)  # type: ignore[arg-type]
        cache.output = str(out.resolve())
        cache.parts = {part.key: tuple(made[part.key].files) for part in parts}
        cache.is_output_own = True
    warnings = tuple(sorted((p for p in problems if not p.is_error), key=Problem.sort_key))
    html_pages = sum(path.endswith(".html") for path in paths)
    rendered_pages = sum(made[part.key].rendered for part in parts)
    return BuildResult(site, warnings, html_pages, len(paths), lock, rendered_pages)


def _check_lock(
    sources: SiteSources, site: Site
) -> tuple[dict[tuple[str, str, str, str], LockEntry], list[Problem]]:
    if sources.lock is None:
        return {}, check_lock(site, {}, SourceLocation(LOCK_FILE))
    entries, problems = parse_lock(sources.lock.text, sources.lock.location)
    return entries, problems + check_lock(site, entries, sources.lock.location)


def render_texts(
    site: Site, cache: BuildCache | None = None, jobs: int = 1
) -> dict[str, RenderedText]:
    """Every distinct text of the site rendered once, by the SHA-256 of its canonical Markdown."""
    texts = cache.texts if cache is not None else {}
    keys: dict[str, tuple[str, str, int]] = {}
    missing: dict[tuple[str, str, int], Document] = {}
    for policy in site.policies:
        for revision in policy.all_revisions:
            for document in revision.documents.values():
                if document.sha256 in keys:
                    continue
                # The same text at other lines or in another file reports its problems there.
                key = (
                    document.sha256,
                    document.source.location.path,
                    hash(document.canonical.file_lines),
                )
                keys[document.sha256] = key
                if key not in texts:
                    missing[key] = document
    global _TEXTS
    _TEXTS = list(missing.values())
    try:
        # One run of texts per worker, in policy order: a policy's texts share most sections.
        jobs = jobs if len(_TEXTS) >= PARALLEL_FROM else 1
        chunk = -(-len(_TEXTS) // jobs)
        texts.update(zip(missing, _map(_render_text, range(len(_TEXTS)), jobs, chunk), strict=True))
    finally:
        _TEXTS = []
    used = {key: texts[key] for key in keys.values()}
    if cache is not None:
        cache.texts = used  # texts no document has any more are dropped
    return {sha256: used[key] for sha256, key in keys.items()}


_TEXTS: list[Document] = []
"""The texts being rendered, inherited by forked workers."""


def _render_text(index: int) -> RenderedText:
    document = _TEXTS[index]
    return render_markdown(document.canonical, document.source.location)


class Redlines(Mapping[tuple[str, str], Redline]):
    """Redlines by the SHA-256 of the previous and of the new text, each computed when a page
    first asks for it."""

    def __init__(self, site: Site, known: dict[tuple[str, str], Redline]) -> None:
        self.texts = {
            document.sha256: document.canonical.text
            for policy in site.policies
            for revision in policy.revisions
            for document in revision.documents.values()
        }
        self.known = known

    def __getitem__(self, pair: tuple[str, str]) -> Redline:
        if pair not in self.known:
            old, new = self.texts[pair[0]], self.texts[pair[1]]
            self.known[pair] = diff_texts(old, new, STAND_INS)
        return self.known[pair]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def _map(
    function: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    chunk: int | None = None,
    meanwhile: Callable[[], object] = lambda: None,
) -> list[R]:
    """function over items, in order, in `jobs` forked worker processes (items sent `chunk`
    at a time, by default an eighth of a worker's share), calling `meanwhile` here."""
    if jobs <= 1 or len(items) < 2:
        results = [function(item) for item in items]
        meanwhile()
        return results
    # fork: workers inherit what is loaded (templates, pages) instead of receiving it pickled.
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        chunksize = chunk or max(1, len(items) // (jobs * 8))
        pending = pool.map_async(function, items, chunksize=chunksize)
        meanwhile()
        return pending.get()


def _fingerprint(sources: SiteSources, theme: ThemeFiles) -> str:
    """A hash of everything pages are made from besides the model: policygen's own code, the
    templates, the catalogs and the theme's files."""
    digest = hashlib.sha256(read_code_digest().encode())
    for name, content in (*theme.static, *theme.schemas):
        digest.update(name.encode() + b"\0" + content + b"\0")
    for name, content in (*sources.template_files, *theme.templates):
        digest.update(name.encode() + b"\0" + content + b"\0")
    for catalog in (*sources.catalogs, *theme.catalogs):
        digest.update(catalog.path.encode() + b"\0" + catalog.text.encode() + b"\0")
    return digest.hexdigest()


def _load_templates(
    sources: SiteSources, theme: ThemeFiles, site: Site
) -> tuple[Templates, list[Problem]]:
    """Each site language's templates, with the catalogs CLDR's fallback finds for it: the
    site's first (a site may retranslate any string of the theme), then the theme's."""
    problems: list[Problem] = []
    languages = site.config.languages
    site_catalogs: dict[str, SourceFile] = {}
    for catalog in sources.catalogs:
        folder = _catalog_language(catalog)
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
    theme_catalogs = {_catalog_language(catalog): catalog for catalog in theme.catalogs}
    merged: dict[str, NullTranslations] = {}
    for language in languages:
        layers: list[NullTranslations] = []
        for catalogs in (site_catalogs, theme_catalogs):
            for tag in find_catalogs(language, catalogs):
                catalog = catalogs[tag]
                # Compiled for each language it serves: merging chains the layers together.
                compiled, catalog_problems = compile_catalog(catalog.text, catalog.location, tag)
                problems += [p for p in catalog_problems if p not in problems]
                if compiled is not None:
                    layers.append(compiled)
        merged[language] = merge_translations(layers)
    site_templates = {name: content.decode("utf-8") for name, content in sources.template_files}
    theme_templates = {name: content.decode("utf-8") for name, content in theme.templates}
    return make_templates(site_templates, theme_templates, merged), problems


def _catalog_language(catalog: SourceFile) -> str:
    """The language folder of a catalog, locales/<language>/LC_MESSAGES/messages.po."""
    return catalog.path.split("/")[-3]


@dataclass(frozen=True, slots=True)
class _Work:
    """What making any part needs: shared by forked workers rather than sent to them."""

    planner: Planner
    redlines: Redlines
    templates: Templates
    theme: ThemeFiles
    output: Output | None
    previous: Mapping[str, Written]
    """The files of the output as the previous build left them."""
    read_back: ReadBack | None
    """Those files, being read back (None: serve's own, or none)."""
    process: int
    """The build's own process (the others are forked workers)."""
    manifest: PolicyMemo
    is_kept: bool
    """Whether the cache is kept for another build (by serve, or in the cache folder)."""


def _make_parts(
    work: _Work, parts: list[Part], made_before: Mapping[str, tuple[str, ...]], jobs: int
) -> dict[str, MadePart]:
    """Every part's files, kept from the previous build where its key and files are unchanged."""
    made: dict[str, MadePart] = {}
    to_make = []
    for part in parts:
        before = made_before.get(part.key)
        if (
            before is not None
            and work.output is not None
            and all(
                path in work.previous and work.output.is_intact(path, work.read_back)
                for path in before
            )
        ):
            kept = {path: work.output.keep(path, work.previous[path]) for path in before}
            made[part.key] = MadePart(kept, (), 0)
        else:
            to_make.append(part)
    if work.read_back is not None:
        work.read_back.finish()  # no thread may run while processes are forked
    # Parts showing the same redline are made together, so that it is computed once.
    units: dict[object, list[Part]] = {}
    for part in to_make:
        units.setdefault(redline_pair(work.planner.site, part) or part.key, []).append(part)
    global _WORK
    _WORK = work
    try:
        # Forking pays only for enough pages: a part has two of them.
        jobs = jobs if 2 * len(to_make) >= PARALLEL_FROM else 1
        if jobs > 1:
            # Compiled once here rather than in each worker; a template's errors are
            # reported where a page renders it.
            with contextlib.suppress(jinja2.TemplateError):
                work.templates.compile(PAGE_TEMPLATES)
        # With a cache kept for the next build, the site's files (manifest, answers) are made
        # here while the workers make pages, so that the manifest's memo stays; otherwise
        # a worker makes them, and this process stays small.
        here = [unit for unit in units.values() if work.is_kept and unit[0].kind == "site files"]
        elsewhere = [unit for unit in units.values() if unit not in here]
        made_here: list[list[MadePart]] = []
        made_elsewhere = _map(
            _make_unit,
            elsewhere,
            jobs,
            meanwhile=lambda: made_here.extend(map(_make_unit, here)),
        )
        pairs = [*zip(elsewhere, made_elsewhere, strict=True), *zip(here, made_here, strict=True)]
        for unit, results in pairs:
            made.update((part.key, result) for part, result in zip(unit, results, strict=True))
    finally:
        _WORK = None
    return made


def _make_unit(parts: list[Part]) -> list[MadePart]:
    assert _WORK is not None
    made = [_make_part(part) for part in parts]
    if os.getpid() != _WORK.process:
        # A worker's redlines go nowhere: no other unit shows them.
        _WORK.redlines.known.clear()
    return made


_WORK: _Work | None = None
"""The build under way, inherited by forked workers."""


def _make_part(part: Part) -> MadePart:
    assert _WORK is not None
    work = _WORK
    site = work.planner.site
    policy = site.policy(part.policy)
    pages: list[PageSpec] = []
    files: list[tuple[str, bytes]] = []
    if part.kind == "site files":
        sitemap = work.planner.plan_sitemap()
        files = [*work.theme.static, *work.theme.schemas, (SITEMAP_FILE, render_sitemap(sitemap))]
        manifest = build_manifest(site, work.manifest)
        files.append((MANIFEST_FILE, manifest_json(site, manifest, work.manifest)))
        answers = build_reader_answers(site, manifest)
        files += [(path, to_json(answer)) for path, answer in answers.items()]
        files.append((HEADERS_FILE, render_headers_file(plan_header_rules(site))))
    elif part.kind == "site pages":
        pages = work.planner.plan_site_pages()
    elif part.kind == "policy" and policy is not None:
        pages = work.planner.plan_policy_pages(policy, part.language, part.region)
    elif policy is not None:
        revision = policy.revision(part.revision)
        pages, sources = work.planner.plan_revision_pages(
            policy, revision, part.language, part.region
        )
        files = [(f.path, f.content) for f in sources]
    problems: list[Problem] = []
    written: dict[str, Written | None] = {}
    for path, content in files:
        written[path] = _put(work, path, content)
    rendered = 0
    for page in pages:
        try:
            html = work.templates.render(page.template, page.language, dict(page.context))
        except Exception as exc:
            # Whatever a template does wrong (a syntax error, an undefined name, something
            # the sandbox forbids, a division by zero) is the template's problem.
            problem = template_problem(exc, page.template)
            if problem is None:
                raise
            if problem not in problems:
                problems.append(problem)
            continue
        written[page.path] = _put(work, page.path, html.encode("utf-8"))
        rendered += page.path.endswith(".html")
    return MadePart(written, tuple(problems), rendered)


def _put(work: _Work, path: str, content: bytes) -> Written | None:
    if work.output is None:
        return None
    return work.output.write(path, content, work.previous.get(path))
