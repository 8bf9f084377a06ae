"""The parts of the site → their files in the output: each part's specs planned, made and
written, in forked workers for large sites (the files' records and problems come back)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import jinja2

from . import forking
from .errors import Problem
from .hosting import plan_header_rules, render_headers_file
from .manifest import (
    EntryMaker,
    build_manifest,
    build_reader_answers,
    manifest_json,
    policy_entry,
    to_json,
)
from .output import Output, Written
from .pages import PAGE_TEMPLATES, Planner
from .parts import Part, count_pages, redline_pair
from .progress import Progress, no_progress
from .rendering import Redlines
from .sitemap import render_sitemap
from .sources import ThemeFiles
from .specs import HtmlPage, RawFile, Spec, make
from .templates import Templates, template_problem
from .urls import HEADERS_FILE, MANIFEST_FILE, SITEMAP_FILE


@dataclass(frozen=True, slots=True)
class Work:
    """What making any part needs: shared by forked workers rather than sent to them."""

    planner: Planner
    redlines: Redlines
    templates: Templates
    theme: ThemeFiles
    output: Output | None
    """Where the files go (None: a check, which writes nothing)."""
    previous: Mapping[str, Written]
    """The files of the output as the previous build left them."""
    entry: EntryMaker = policy_entry
    """How a policy's part of the manifest is made."""
    process: int = 0
    """The build's own process (the others are forked workers)."""


@dataclass(frozen=True, slots=True)
class MadePart:
    """The files of a part of the site as one build made or kept them."""

    files: Mapping[str, Written | None]
    """By output path (None when the build writes nothing)."""
    problems: tuple[Problem, ...]
    rendered: int
    """HTML pages rendered (0 when the part was kept)."""


def make_parts(
    work: Work,
    parts: list[Part],
    jobs: int,
    is_here: Callable[[Part], bool] = lambda part: False,
    progress: Progress = no_progress,
) -> dict[Part, MadePart]:
    """Every part's files, in `jobs` forked workers when there are enough of them; the parts
    `is_here` picks are made in this process meanwhile."""
    total = sum(count_pages(work.planner.site, part) for part in parts)
    done = [0]

    def count(made: list[MadePart]) -> None:
        done[0] += sum(part.rendered for part in made)
        progress("making pages", done[0], total)

    # Parts showing the same redline are made together, so that it is computed once.
    units: dict[object, list[Part]] = {}
    for part in parts:
        units.setdefault(redline_pair(work.planner.site, part) or part, []).append(part)
    # Forking pays only for enough pages: a part has two of them.
    jobs = jobs if 2 * len(parts) >= forking.PARALLEL_FROM else 1
    if jobs > 1:
        # Compiled once here rather than in each worker; a template's errors are
        # reported where a page renders it.
        with contextlib.suppress(jinja2.TemplateError):
            work.templates.compile(PAGE_TEMPLATES)
    here = [unit for unit in units.values() if is_here(unit[0])]
    elsewhere = [unit for unit in units.values() if not is_here(unit[0])]
    made_here: list[list[MadePart]] = []
    made_elsewhere = forking.map_forked(
        _make_unit,
        work,
        elsewhere,
        jobs,
        meanwhile=lambda: made_here.extend(_make_unit(work, unit) for unit in here),
        on_result=count,
    )
    made: dict[Part, MadePart] = {}
    pairs = [*zip(elsewhere, made_elsewhere, strict=True), *zip(here, made_here, strict=True)]
    for unit, results in pairs:
        made.update(zip(unit, results, strict=True))
    return made


def _make_unit(work: Work, parts: list[Part]) -> list[MadePart]:
    made = [make_part(work, part) for part in parts]
    if os.getpid() != work.process:
        # A worker's redlines go nowhere: no other unit shows them.
        work.redlines.known.clear()
    return made


def plan_specs(work: Work, part: Part) -> list[Spec]:
    """What a part's files hold."""
    planner, site = work.planner, work.planner.site
    policy = site.policy(part.policy)
    specs: list[Spec] = []
    if part.kind == "site files":
        theme = [
            RawFile(path, content) for path, content in (*work.theme.static, *work.theme.schemas)
        ]
        specs += theme
        specs.append(RawFile(SITEMAP_FILE, render_sitemap(planner.plan_sitemap())))
        manifest = build_manifest(site, work.entry)
        specs.append(RawFile(MANIFEST_FILE, manifest_json(site, manifest, work.entry)))
        answers = build_reader_answers(site, manifest)
        specs += [RawFile(path, to_json(answer)) for path, answer in answers.items()]
        specs.append(RawFile(HEADERS_FILE, render_headers_file(plan_header_rules(site))))
    elif part.kind == "site pages":
        specs += planner.plan_site_pages()
    elif policy is not None and part.kind == "policy":
        specs += planner.plan_policy_pages(policy, part.language, part.region)
    elif policy is not None:
        revision = policy.revision(part.revision)
        pages, sources = planner.plan_revision_pages(policy, revision, part.language, part.region)
        specs += [*sources, *pages]
    return specs


def make_part(work: Work, part: Part) -> MadePart:
    """A part's files, made and written (its problems: the template errors its pages meet)."""
    problems: list[Problem] = []
    written: dict[str, Written | None] = {}
    rendered = 0
    for spec in plan_specs(work, part):
        try:
            content = make(spec, work.templates)
        except Exception as exc:
            # Whatever a template does wrong (a syntax error, an undefined name, something
            # the sandbox forbids, a division by zero) is the template's problem.
            problem = template_problem(exc, spec.template) if isinstance(spec, HtmlPage) else None
            if problem is None:
                raise
            if problem not in problems:
                problems.append(problem)
            continue
        if work.output is not None:
            written[spec.path] = work.output.write(spec.path, content, work.previous.get(spec.path))
        else:
            written[spec.path] = None
        rendered += isinstance(spec, HtmlPage) and spec.path.endswith(".html")
    return MadePart(written, tuple(problems), rendered)
