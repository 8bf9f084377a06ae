"""The parts of the site → their files in the output: each part's specs planned, made and
written, in forked workers for large sites (the files' records and problems come back)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import jinja2

from . import forking
from .errors import BuildFailed, Problem
from .hosting import plan_header_rules, render_headers_file
from .i18n import take_page_data
from .manifest import (
    EntryMaker,
    build_reader_answers,
    manifest_json,
    policy_entry,
    to_json,
)
from .markdown import RenderedText, for_link_checks
from .model import Document, Site
from .output import Output, Written
from .pages import PAGE_TEMPLATES, Planner
from .parts import Part, count_pages, redline_pair
from .progress import Progress, no_progress
from .rendering import Redlines, TextKey, render_document
from .sandbox import OverBudget
from .sitemap import render_sitemap
from .sources import ThemeFiles
from .specs import HtmlPage, PdfFile, RawFile, Spec, make
from .templates import Templates, template_problem
from .urls import HEADERS_FILE, MANIFEST_FILE, SITEMAP_FILE, pdf_path

PDF_COST = 32
"""How many pages' time typesetting a PDF takes, when deciding whether to fork workers."""
FEW_TASKS_UNTIL = 2_000
"""Work of less cost than this (pages and texts) is shared in one task for each worker."""
TASK_COST = 400
"""The least cost of a task of a large build: units that cost less are taken together. Each
task is a process forked for it (about 25 ms of CPU to start and end: its pages written
anew), so a worker makes a few hundred pages rather than one small unit, and holds no more."""


@dataclass(frozen=True, slots=True)
class Work:
    """What making any part needs: shared by forked workers rather than sent to them."""

    planner: Planner
    """The site's planner, without texts (each unit of work has its own)."""
    redlines: Redlines
    templates: Templates
    theme: ThemeFiles
    output: Output | None
    """Where the files go (None: a check, which writes nothing)."""
    previous: Mapping[str, Written]
    """The files of the output as the previous build left them."""
    texts: Mapping[str, tuple[TextKey, Document]]
    """Each distinct text of the site by its SHA-256 (see `distinct_texts`)."""
    known: Mapping[TextKey, RenderedText]
    """Texts rendered before (by the build cache): not rendered again."""
    entry: EntryMaker = policy_entry
    """How a policy's part of the manifest is made."""
    process: int = 0
    """The build's own process (the others are forked workers)."""
    is_whole_kept: bool = False
    """Whether the texts a unit renders come back whole (for the build cache held in memory),
    rather than without their HTML (all the link checks need)."""
    kept: Mapping[str, Written] = field(default_factory=dict)
    """Files of the previous output kept as they are by the parts made again (the PDFs
    whose own key did not change)."""
    pdfs: Mapping[str, str] = field(default_factory=dict)
    """The SHA-256 of every PDF by output path, once they are made (for the manifest)."""
    keep_html: Callable[[str], str | None] | None = None
    """Where the process that renders a text keeps its HTML for the next build (the build
    cache's folder): returns the name it is kept under (None: not kept)."""
    is_recorded: bool = True
    """Whether the records of the files written come back (for the build cache); else only
    the PDFs' (the manifest lists their SHA-256), and the others' paths."""


@dataclass(frozen=True, slots=True)
class MadePart:
    """The files of a part of the site as one build made or kept them."""

    files: Mapping[str, Written | None]
    """By output path (None when the build writes nothing, or keeps no record of the file:
    see `Work.is_recorded`)."""
    problems: tuple[Problem, ...]
    rendered: int
    """HTML pages rendered (0 when the part was kept)."""
    typeset: int = 0
    """PDFs made (0 when the part was kept)."""


@dataclass(frozen=True, slots=True)
class _Unit:
    """Work done in one process: a policy's texts, and its parts made from them."""

    parts: tuple[Part, ...]
    texts: tuple[str, ...]
    """The texts its pages show, by SHA-256."""
    reported: tuple[str, ...]
    """The texts whose rendering it sends back (each text is sent back by one unit)."""


@dataclass(frozen=True, slots=True)
class _Made:
    parts: list[MadePart]
    texts: dict[TextKey, RenderedText]
    html: dict[TextKey, str]
    """Where `keep_html` kept the texts' HTML."""


def make_parts(
    work: Work,
    parts: list[Part],
    jobs: int,
    is_here: Callable[[Part], bool] = lambda part: False,
    progress: Progress = no_progress,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[dict[Part, MadePart], dict[TextKey, RenderedText], dict[TextKey, str]]:
    """Every part's files, every text of the site rendered that was not known before (whole
    if the build cache holds it, else without its HTML), and where `keep_html` kept theirs.
    In `jobs` forked workers when there is enough to do (in one, when there is little but
    this process has work of its own), a policy at a time (its texts rendered once, however
    many of its pages show each), its pages made, written and dropped; the parts `is_here`
    picks are made in this process meanwhile, and then `meanwhile` is called.
    """
    site = work.planner.site
    units = _plan_units(work, parts)
    # Forking pays only for enough work: a part has two pages, a text is about one, a PDF
    # takes as long as PDF_COST pages.
    to_render = sum(len(unit.reported) for unit in units)
    to_typeset = _count_pdfs(work, parts)
    cost = 2 * len(parts) + to_render + PDF_COST * to_typeset
    here = [unit for unit in units if unit.parts and is_here(unit.parts[0])]
    elsewhere = [unit for unit in units if unit not in here]
    is_busy_here = bool(here) or meanwhile is not None
    if cost < forking.PARALLEL_FROM:
        # Little work (a build after an edit): one task, for a worker while this process
        # does its own work, if it has any.
        tasks = [elsewhere] if elsewhere else []
    elif cost < FEW_TASKS_UNTIL:
        # Some work: one task for each worker costs the fewest processes.
        tasks = _shared(elsewhere, jobs)
    else:
        # A worker's memory is that of one task: a unit, or a few small ones.
        tasks = _grouped(elsewhere, TASK_COST)
    if len(tasks) < 2 and not is_busy_here:
        jobs = 1  # a worker would only be waited for
    if jobs > 1 and len(tasks) > jobs:
        # Compiled once here rather than in each worker; a template's errors are
        # reported where a page renders it.
        with contextlib.suppress(jinja2.TemplateError):
            work.templates.compile(PAGE_TEMPLATES)
        # What pages read of CLDR's data for the site's languages, taken once here, rather
        # than the whole of it loaded in each worker (or here, and shared).
        take_page_data(site.config.languages)
    total = sum(count_pages(site, part) for part in parts)
    done = [0]
    same: dict[object, object] = {}

    def received(made_units: list[_Made]) -> None:
        # Read as each task comes back, while the workers go on: what the link checks need
        # of each text, held once here however many units sent the same.
        if not (work.is_whole_kept or work.keep_html is not None):
            for made in made_units:
                for key, text in made.texts.items():
                    made.texts[key] = for_link_checks(text, same)
        done[0] += sum(part.rendered for made in made_units for part in made.parts)
        progress("making pages", done[0], total)

    made_here: list[_Made] = []

    def here_then_meanwhile() -> None:
        made_here.extend(_make_unit(work, unit) for unit in here)
        received(made_here)
        if meanwhile is not None:
            meanwhile()

    made_tasks = forking.map_forked(
        _make_units, work, tasks, jobs, chunk=1, meanwhile=here_then_meanwhile, on_result=received
    )
    # In the order of the units, whatever task made them.
    by_unit = {
        id(unit): made
        for task, made_task in zip(tasks, made_tasks, strict=True)
        for unit, made in zip(task, made_task, strict=True)
    }
    made_elsewhere = [by_unit[id(unit)] for unit in elsewhere]
    made: dict[Part, MadePart] = {}
    texts: dict[TextKey, RenderedText] = {}
    html: dict[TextKey, str] = {}
    pairs = [*zip(elsewhere, made_elsewhere, strict=True), *zip(here, made_here, strict=True)]
    for unit, result in pairs:
        made.update(zip(unit.parts, result.parts, strict=True))
        texts.update(result.texts)
        html.update(result.html)
    return made, texts, html


def _shared(units: list[_Unit], jobs: int) -> list[list[_Unit]]:
    """The units in at most `jobs` tasks of about the same cost, the costliest first."""
    tasks: list[list[_Unit]] = [[] for _ in range(min(jobs, len(units)))]
    costs = [0] * len(tasks)
    for unit in sorted(units, key=_cost, reverse=True):
        least = costs.index(min(costs))
        tasks[least].append(unit)
        costs[least] += _cost(unit)
    return tasks


def _grouped(units: list[_Unit], least: int) -> list[list[_Unit]]:
    """The units in order, in tasks of at least `least` cost (but the last)."""
    tasks: list[list[_Unit]] = []
    cost = least
    for unit in units:
        if cost >= least:
            tasks.append([])
            cost = 0
        tasks[-1].append(unit)
        cost += _cost(unit)
    return tasks


def _cost(unit: _Unit) -> int:
    """About how long a unit takes: its parts (two pages each) and the texts they show."""
    return 2 * len(unit.parts) + len(unit.texts)


def _make_units(work: Work, units: list[_Unit]) -> list[_Made]:
    return [_make_unit(work, unit) for unit in units]


def _count_pdfs(work: Work, parts: list[Part]) -> int:
    """The PDFs the `parts` will make (none are made by a check)."""
    if work.output is None or not work.planner.config.pdf:
        return 0
    return sum(
        part.kind == "revision"
        and pdf_path(part.language, part.region, part.policy, part.revision) not in work.kept
        for part in parts
    )


def _plan_units(work: Work, parts: list[Part]) -> list[_Unit]:
    """The units of work: each policy's parts whose texts are in one language (with the
    texts they show), then the site's parts.

    A unit is a policy's texts in one language rather than a whole policy, so that what a
    worker holds at once (the unit's rendered texts and redlines) does not grow with the
    number of languages, and the work is shared evenly between workers; a text shown in
    several languages (where a translation is missing) is still rendered once.
    """
    site = work.planner.site
    by_unit: dict[tuple[str, str], list[Part]] = {}
    needed: dict[tuple[str, str], dict[str, None]] = {}
    for part in parts:
        shows = _texts_shown(site, part)
        # The site's pages and the site's files are units of their own.
        key = (part.policy, shows[0].text_language) if shows else (part.kind, "")
        by_unit.setdefault(key, []).append(part)
        needed.setdefault(key, {}).update((document.sha256, None) for document in shows)
    # Each text is sent back by the unit of the first document showing it, as a text's
    # problems are told where that document is.
    reported: dict[tuple[str, str], list[str]] = {}
    for sha256, (_, document) in work.texts.items():
        if _is_unknown(work, sha256):
            reported.setdefault((document.policy_id, document.text_language), []).append(sha256)
    units = []
    for key in dict.fromkeys([*by_unit, *reported]):
        sent = reported.get(key, [])
        # A unit shows a text it does not send back only to make pages.
        texts = {**needed.get(key, {}), **dict.fromkeys(sent)}
        units.append(_Unit(tuple(by_unit.get(key, ())), tuple(texts), tuple(sent)))
    return units


def _texts_shown(site: Site, part: Part) -> list[Document]:
    """The documents whose texts a part's pages show, its own first: a revision's (and on its
    diff page, the previous revision's), or a policy's current one."""
    policy = site.policy(part.policy)
    if policy is None or part.kind not in ("revision", "policy"):
        return []
    key = (part.language, part.region)
    if part.kind == "policy":
        return [(policy.current or policy.revisions[0]).documents[key]]
    revision = policy.revision(part.revision)
    previous = policy.previous(revision)
    return [revision.documents[key], *([previous.documents[key]] if previous else [])]


def _is_unknown(work: Work, sha256: str) -> bool:
    return work.texts[sha256][0] not in work.known


def _make_unit(work: Work, unit: _Unit) -> _Made:
    rendered = {}
    for sha256 in unit.texts:
        key, document = work.texts[sha256]
        known = work.known.get(key)
        rendered[sha256] = known or render_document(document)
    planner = dataclasses.replace(work.planner, rendered=rendered)
    results: dict[Part, MadePart] = {}
    is_worker = os.getpid() != work.process
    shown: object = None
    # Parts showing the same redline follow each other, in the order of their first (a
    # policy's revisions in order): it is computed once, then dropped.
    together: dict[object, list[Part]] = {}
    for part in unit.parts:
        together.setdefault(redline_pair(planner.site, part) or part, []).append(part)
    for pair, parts in together.items():
        if is_worker and pair != shown:
            work.redlines.known.clear()  # a worker's redlines go nowhere: no other unit shows them
            shown = pair
        for part in parts:
            results[part] = make_part(work, planner, part)
    if is_worker:
        work.redlines.known.clear()
    texts = {}
    html = {}
    same: dict[object, object] = {}
    for sha256 in unit.reported:
        key = work.texts[sha256][0]
        text = rendered[sha256]
        if work.is_whole_kept:
            texts[key] = text
        elif work.keep_html is not None:
            texts[key] = dataclasses.replace(text, html="")
        else:
            texts[key] = for_link_checks(text, same)  # nothing of it is kept for a next build
        if work.keep_html is not None and (name := work.keep_html(text.html)) is not None:
            html[key] = name
    return _Made([results[part] for part in unit.parts], texts, html)


def plan_specs(work: Work, planner: Planner, part: Part) -> Iterator[Spec]:
    """What a part's files hold, one file at a time: each is made and written before the
    next is planned, so that a part of many large files (the site's) holds one at once."""
    site = planner.site
    policy = site.policy(part.policy)
    if part.kind == "site files":
        for path, content in (*work.theme.static, *work.theme.schemas):
            yield RawFile(path, content)
        yield RawFile(SITEMAP_FILE, render_sitemap(planner.plan_sitemap()))
        manifest, consent = manifest_json(site, work.entry, work.pdfs)
        yield RawFile(MANIFEST_FILE, manifest)
        del manifest
        for path, answer in build_reader_answers(site, consent).items():
            yield RawFile(path, to_json(answer))
        yield RawFile(HEADERS_FILE, render_headers_file(plan_header_rules(site)))
    elif part.kind == "site pages":
        yield from planner.plan_site_pages()
    elif policy is not None and part.kind == "policy":
        yield from planner.plan_policy_pages(policy, part.language, part.region)
    elif policy is not None:
        revision = policy.revision(part.revision)
        pages, sources = planner.plan_revision_pages(policy, revision, part.language, part.region)
        yield from sources
        yield from pages
        # A check makes no PDF, nor does a build that fails on the text's errors: a PDF is
        # the slowest file to make, and a text in error may be made to be slow to typeset.
        document = revision.document(part.language, part.region)
        is_in_error = any(p.is_error for p in planner.rendered[document.sha256].problems)
        if work.output is not None and site.config.pdf and not is_in_error:
            files = dict(work.theme.static)
            yield planner.plan_revision_pdf(policy, revision, part.language, part.region, files)


def make_part(work: Work, planner: Planner, part: Part) -> MadePart:
    """A part's files, made and written (its problems: the template errors its pages meet)."""
    problems: list[Problem] = []
    written: dict[str, Written | None] = {}
    rendered = typeset = 0
    for spec in plan_specs(work, planner, part):
        if spec.path in work.kept and work.output is not None:
            written[spec.path] = work.output.keep(spec.path, work.kept[spec.path])
            continue
        try:
            content = make(spec, work.templates)
        except Exception as exc:
            # Whatever a template does wrong (a syntax error, an undefined name, something
            # the sandbox forbids, a division by zero) is the template's problem.
            problem = (
                template_problem(exc, spec.template)
                if isinstance(spec, HtmlPage | PdfFile)
                else None
            )
            if problem is None:
                raise
            if isinstance(exc, OverBudget):
                # Every other page the template makes would take as long to fail: the
                # build stops at the first.
                raise BuildFailed([problem]) from exc
            if problem not in problems:
                problems.append(problem)
            continue
        if work.output is not None:
            record = work.output.write(spec.path, content, work.previous.get(spec.path))
            # Thirty thousand records are megabytes held by the build process to its end.
            is_kept = work.is_recorded or isinstance(spec, PdfFile)
            written[spec.path] = record if is_kept else None
        else:
            written[spec.path] = None
        rendered += isinstance(spec, HtmlPage) and spec.path.endswith(".html")
        typeset += isinstance(spec, PdfFile)
    return MadePart(written, tuple(problems), rendered, typeset)
