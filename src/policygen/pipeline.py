"""build(): read everything, then render, then write — the only place the stage order is written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar, cast

from .assembly import forget_parsed_files
from .errors import BuildFailed, Problem
from .incremental.cache import BuildCache
from .incremental.layer import Incremental
from .loading import LoadedSite, check_lock_file, check_site
from .locking import LockEntry, settled_revisions
from .making import MadePart, Work, make_part, make_parts
from .markdown import RenderedText
from .model import Site
from .output import (
    Output,
    ReadBack,
    Written,
    check_paths,
    holds_only,
    prepare_output_folder,
)
from .pages import Planner
from .parts import MAX_PAGES, Part, check_page_count, plan_parts
from .pdf import load_weasyprint
from .progress import Progress, no_progress
from .rendering import distinct_texts
from .sources import SiteSources
from .templates import Templates
from .theming import check_catalog_coverage, load_templates
from .validation import validate_site

__all__ = ["BuildCache", "BuildResult", "CheckedSite", "build", "check_sources"]

R = TypeVar("R")
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a successful build or check did."""

    site: Site
    warnings: tuple[Problem, ...]
    pages: int
    """HTML pages in the output."""
    files: int
    """Files in the output, pages included."""
    rendered: int
    """HTML pages rendered (the others were kept from the previous build)."""
    typeset: int = 0
    """PDFs made (the others were kept from the previous build)."""


@dataclass(frozen=True, slots=True)
class CheckedSite:
    """A site's model, checked without making its pages."""

    site: Site
    warnings: tuple[Problem, ...]
    lock: dict[tuple[str, str, str, str], LockEntry]
    """The entries of policies.lock."""
    sources: SiteSources
    """What was read from the site folder."""
    rendered: Mapping[str, RenderedText]
    """Every distinct text rendered, by the SHA-256 of its canonical Markdown."""


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
    pdf: bool = False,
    spare_ahead: bool = False,
    progress: Progress = no_progress,
) -> BuildResult:
    """Build the site at `site_dir` into `out` (None: check only, write nothing); raises BuildFailed.

    With a `cache` (kept by serve between builds, or loaded from the cache folder), nothing
    whose inputs did not change is made again: policies, texts, redlines, and the pages and
    files of each part of the site. Only files whose bytes changed are written. `in_place`
    (serve's rebuilds) updates `out` itself instead of swapping in a new folder. `rewriting_lock`
    (for `policygen lock`) passes over lines of policies.lock that cannot be read and entries
    locked ahead of their revision's date, since they are about to be written anew; every
    other lock check still applies. `pdf` makes PDFs as `pdf: true` in site.yaml does; raises
    PdfUnavailable when they are to be made and WeasyPrint cannot be loaded. `spare_ahead`
    (for a build that more builds of the same output follow): where the cache folder holds
    no output for the next build to bring up to date, every file is linked there too as it
    is written, so that it has one. `progress` is told how the build goes on.
    """
    if out is not None:
        prepare_output_folder(out, site_dir)
    # A check (no `out`) only reads the cache: it takes what the last build made, and keeps
    # nothing for the next.
    layer = Incremental(
        cache if cache is not None else BuildCache(),
        is_kept=cache is not None,
        is_read_only=cache is not None and out is None,
    )
    loaded = layer.load(site_dir, now=now, as_of=as_of, base_url=base_url, pdf=pdf)
    if not in_place:
        forget_parsed_files()  # only serve, which builds in place, reads the site again
    site = loaded.site
    too_many = check_page_count(site, page_limit())
    if too_many is not None:
        raise BuildFailed([*loaded.problems, too_many])
    is_pdf = out is not None and site.config.pdf  # a check makes no PDF
    if is_pdf:
        load_weasyprint()  # before any work, and before workers are forked: they inherit it
    progress("checking the site", 0, 0)
    previous = layer.previous_files(out)
    is_own = in_place and bool(previous) and layer.cache.is_output_own
    output = None
    if out is not None:
        output = Output(
            out,
            in_place=in_place and bool(previous),
            is_own=is_own,
            is_stamped=layer.is_kept,  # the stamps are kept only by a cache
            spare=layer.spare(out),
            # No output recorded that could be the next build's spare: a twin of this one.
            twin=spare_ahead and not previous,
        )
    # The previous output is read back in threads while the site is checked and its files
    # are kept (no process is forked until then); serve's own output needs not be, nor an
    # output brought up to date from the spare, where only what the spare lacks is read.
    read_back = (
        ReadBack(out, previous)
        if out is not None and previous and not is_own and output and output.reused is None
        else None
    )
    try:
        checked = _check(layer, loaded, rewriting_lock, jobs)
        # Only the redlines of diff pages made again are computed, each once, where shown.
        redlines = layer.redlines(site)
        planner = Planner(site, {}, redlines)
        keys = layer.key_parts(planner, checked.fingerprint, is_pdf)

        def is_intact(path: str) -> bool:
            # A check has no output: a part the last build made is as good as made.
            return output is None or output.is_intact(path, read_back, previous[path])

        # Brought up to date from a spare, the output keeps a part's files from the spare, or
        # copies them from `out`: that is checked while the pages are made, and a part whose
        # files neither holds any more is made afterwards.
        is_checked_later = output is not None and output.reused is not None
        parts = plan_parts(site)
        kept, to_make = layer.keep_parts(
            parts, keys, previous, (lambda path: True) if is_checked_later else is_intact
        )
        is_kept_meanwhile = is_checked_later and bool(to_make)
        unchanged = _unchanged_output(output, kept, to_make, previous, read_back)
        kept_files = unchanged if unchanged is not None else {}
        lost: list[Part] = []

        def keep_files() -> None:
            assert output is not None
            files, lost_parts = _keep_files(output, kept, previous)
            kept_files.update(files)
            lost.extend(lost_parts)

        if output is not None and unchanged is None:
            output.open()
            if not is_kept_meanwhile:
                keep_files()
                to_make += lost
                lost.clear()
        # The PDFs of the parts made again whose own key did not change.
        kept_pdfs = layer.keep_pdfs(previous, is_intact)
        if read_back is not None:
            read_back.finish()  # no thread may run while processes are forked
        texts = distinct_texts(site)
        work = Work(
            planner,
            redlines,
            checked.templates,
            loaded.theme,
            output,
            previous,
            texts,
            layer.known_texts(),
            layer.manifest_entry(site),
            os.getpid(),
            layer.is_whole_kept,
            kept_pdfs,
            keep_html=layer.keep_html(),
            is_recorded=layer.is_kept,
        )
        # The manifest lists every PDF's SHA-256: with PDFs, the site's files are made last.
        last = [part for part in to_make if is_pdf and part.kind == "site files"]
        # Texts are rendered where their pages are made, and the pages written and dropped
        # there; the links are checked afterwards, before anything is published.
        # With a cache kept for the next build, the site's files (manifest, answers) are made
        # here while the workers make pages, so that the manifest's memo stays; otherwise
        # a worker makes them, and this process stays small.
        made, new_texts, new_html = make_parts(
            work,
            [part for part in to_make if part not in last],
            # Files changed in place are held until the end by the process that made them.
            1 if output and output.in_place else jobs,
            lambda part: layer.is_kept and part.kind == "site files",
            progress,
            meanwhile=keep_files if is_kept_meanwhile else None,
        )
        last += [part for part in lost if is_pdf and part.kind == "site files"]
        if lost := [part for part in lost if part not in last]:
            more, more_texts, more_html = make_parts(work, lost, 1)
            made.update(more)
            new_texts.update(more_texts)
            new_html.update(more_html)
        problems = checked.with_links(layer.keep_texts(texts, new_texts, new_html))
        if any(p.is_error for p in problems):
            raise BuildFailed(problems)
        made.update((part, MadePart(files, (), 0)) for part, files in kept_files.items())
        if last:
            with_pdfs = dataclasses.replace(work, pdfs=_pdf_digests(made))
            made.update((part, make_part(with_pdfs, planner, part)) for part in last)
        paths = [path for part in parts for path in made[part].files]
        check_paths(paths)
        for part in parts:
            problems += [p for p in made[part].problems if p not in problems]
        if any(p.is_error for p in problems):
            raise BuildFailed(problems)
    except BaseException:
        if read_back is not None:
            read_back.finish()
        if output is not None:
            output.abandon()
        raise
    if output is not None and not layer.is_kept:
        output.finish({}, previous)  # no record of the files came back: nothing keeps them
    elif output is not None:
        assert out is not None
        # A build that writes and keeps its records records every file: none is None.
        files = {part: cast(Mapping[str, Written], made[part].files) for part in parts}
        written = {path: record for part in parts for path, record in files[part].items()}
        finished = output.finish(written, previous, layer.cache.folders if previous else {})
        layer.remember_output(out, keys, files, finished)
    warnings = tuple(sorted((p for p in problems if not p.is_error), key=Problem.sort_key))
    html_pages = sum(path.endswith(".html") for path in paths)
    rendered_pages = sum(made[part].rendered for part in parts)
    typeset = sum(made[part].typeset for part in parts)
    return BuildResult(site, warnings, html_pages, len(paths), rendered_pages, typeset)


def page_limit() -> int:
    """The most pages a build makes: `POLICYGEN_MAX_PAGES` where the site is built (a CI
    job's settings, which a pull request does not change), else MAX_PAGES; raises
    ValueError when it is set to anything but a whole number."""
    given = os.environ.get("POLICYGEN_MAX_PAGES", "")
    if not given:
        return MAX_PAGES
    digits = given.strip().replace("_", "")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
        raise ValueError(f"POLICYGEN_MAX_PAGES must be a whole number of pages, not '{given}'")
    return int(digits)


def _pdf_digests(made: Mapping[Part, MadePart]) -> dict[str, str]:
    """The SHA-256 of every PDF made or kept, by its output path."""
    return {
        path: record.digest
        for result in made.values()
        for path, record in result.files.items()
        if record is not None and path.endswith(".pdf")
    }


@dataclass(frozen=True, slots=True)
class _Checked:
    """A site checked before its pages are made: all but its links."""

    loaded: LoadedSite
    settled: frozenset[tuple[str, str]]
    """The revisions whose every text is locked as it is (see `settled_revisions`): the
    lock's entries themselves are not held while the pages are made."""
    lock_problems: list[Problem]
    templates: Templates
    catalog_problems: list[Problem]
    fingerprint: str

    def with_links(self, rendered: Mapping[str, RenderedText]) -> list[Problem]:
        """Every problem of the site, in the order they are told, its links checked against
        the `rendered` texts."""
        site = self.loaded.site
        text_problems = validate_site(site, rendered, self.settled)
        return [*self.loaded.problems, *self.lock_problems, *text_problems, *self.catalog_problems]


def _check(layer: Incremental, loaded: LoadedSite, rewriting_lock: bool, jobs: int) -> _Checked:
    """The lock, the templates and their catalogs; raises BuildFailed with every problem of
    the site (its links too) if any is an error."""
    lock, lock_problems = check_lock_file(
        loaded, rewriting_lock=rewriting_lock, parse=layer.parse_lock
    )
    templates, catalog_problems, fingerprint = layer.templates(loaded)
    catalog_problems += check_catalog_coverage(loaded.sources, loaded.theme, loaded.site)
    settled = settled_revisions(loaded.site, lock)
    checked = _Checked(loaded, settled, lock_problems, templates, catalog_problems, fingerprint)
    if any(p.is_error for p in [*loaded.problems, *lock_problems, *catalog_problems]):
        raise BuildFailed(checked.with_links(layer.render_texts(loaded.site, jobs)))
    return checked


def _unchanged_output(
    output: Output | None,
    kept: Mapping[Part, tuple[str, ...]],
    to_make: list[Part],
    previous: Mapping[str, Written],
    read_back: ReadBack | None,
) -> dict[Part, dict[str, Written]] | None:
    """The files of the parts kept, where they are left as they are: when there is no output
    (a check), in serve's own output, or when the output stays the same (every file kept, nothing else
    in the folder); None when they are to be kept in a new output."""
    if output is None or output.in_place:
        # Serve's rebuilds leave the files kept where they are, as they were.
        return {part: {path: previous[path] for path in paths} for part, paths in kept.items()}
    if (
        previous
        and not to_make
        and sum(map(len, kept.values())) == len(previous)
        and holds_only(output.out, previous)
        and (records := output.records_of_out(previous, read_back)) is not None
    ):
        return {part: {path: records[path] for path in paths} for part, paths in kept.items()}
    return None


def _keep_files(
    output: Output, kept: Mapping[Part, tuple[str, ...]], previous: Mapping[str, Written]
) -> tuple[dict[Part, dict[str, Written]], list[Part]]:
    """The files of the parts kept, kept in the new output; and the parts whose files could
    not be, which are to be made (only an output brought up to date from a spare has any)."""
    files: dict[Part, dict[str, Written]] = {}
    lost = []
    for part, paths in kept.items():
        if output.reused is None:
            files[part] = {path: output.keep(path, previous[path]) for path in paths}
            continue
        records = {path: output.keep_held(path, previous[path]) for path in paths}
        if all(records.values()):
            files[part] = cast(dict[str, Written], records)
        else:
            lost.append(part)
    return files, lost


@_without_cyclic_collection
def check_sources(
    site_dir: Path,
    *,
    now: dt.datetime,
    as_of: dt.date | None = None,
    rewriting_lock: bool = False,
    jobs: int = 1,
    cache: BuildCache | None = None,
) -> CheckedSite:
    """The model of the site at `site_dir`, with every check but those only making the pages
    finds (a template's errors); raises BuildFailed. Renders the texts (their links are
    checked), not the pages: those a `cache` holds are taken from it, without their HTML,
    and the cache is only read."""
    layer = Incremental(cache or BuildCache(), is_kept=False, is_read_only=cache is not None)
    loaded = layer.load(site_dir, now=now, as_of=as_of, base_url=None)
    rendered = layer.render_texts(loaded.site, jobs)
    lock, problems = check_site(loaded, rendered, rewriting_lock=rewriting_lock)
    _, catalog_problems = load_templates(loaded.sources, loaded.theme, loaded.site)
    problems = [*loaded.problems, *problems, *catalog_problems]
    problems += check_catalog_coverage(loaded.sources, loaded.theme, loaded.site)
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)
    warnings = tuple(sorted(problems, key=Problem.sort_key))
    return CheckedSite(loaded.site, warnings, lock, loaded.sources, rendered)
