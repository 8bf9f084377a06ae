"""build, check, lock and status: the commands that read the whole site."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..annotations import github_annotation
from ..errors import BuildFailed, Problem
from ..incremental.environment import environment_key
from ..incremental.folder import (
    cache_state,
    save_cache,
)
from ..incremental.unchanged import (
    Asked,
    LastBuild,
    forget,
    list_sources,
    output_of,
    remember,
    replay,
)
from ..locking import LOCK_FILE, render_lock
from ..output import write_text_file
from ..pipeline import BuildCache, BuildResult, build
from ..progress import ProgressLine, is_interactive, no_progress
from .arguments import add_cache_arguments, add_output, as_base_url, as_jobs
from .caching import cache_folder_of, loaded_cache, with_cache
from .reporting import EXIT_OK, EXIT_PROBLEMS, checked, count_problems, print_problems

BUILD_HELP = "build the site into a folder of static files"
CHECK_HELP = "report every problem a build would find, writing nothing"
LOCK_HELP = f"record the SHA-256 of every text and of its settings in {LOCK_FILE}"
READ_CACHE_DIR_HELP = (
    "read the build cache from DIR, where `policygen build --cache-dir DIR` keeps it"
)
STATUS_HELP = "show which translations each revision has, and what is upcoming or not locked"


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    add_output(parser)
    parser.add_argument(
        "-j",
        "--jobs",
        type=as_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes to render with (default: every core); the output is the same",
    )
    add_cache_arguments(parser, "render everything, and neither read nor write the build cache")
    parser.add_argument(
        "--base-url",
        type=as_base_url,
        metavar="URL",
        help="the URL the site is published at (default: base_url in site.yaml)",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="make a PDF of every revision page, as `pdf: true` in site.yaml does (needs WeasyPrint)",
    )


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    add_cache_arguments(
        parser,
        "render every page, without reading the build cache",
        READ_CACHE_DIR_HELP,
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="how to print problems (json: records for tools; github: annotations in GitHub Actions)",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def add_status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_lock_arguments(parser)


def add_lock_arguments(parser: argparse.ArgumentParser) -> None:
    add_cache_arguments(
        parser,
        "render every text, without reading the build cache",
        READ_CACHE_DIR_HELP,
    )


def _report(
    pages: int, files: int, as_of: str, started: float, out: Path, unchanged: int, typeset: int = 0
) -> None:
    seconds = time.perf_counter() - started
    print(
        f"policygen: built {pages} pages ({files} files) as of {as_of} in {seconds:.2f} s into {out}"
        + (f"; {unchanged} pages were unchanged and kept" if unchanged else "")
        + (f"; {typeset} PDFs were made" if typeset else ""),
        file=sys.stderr,
    )


def run_build(args: argparse.Namespace, now: dt.datetime) -> int:
    out = args.output if args.output is not None else args.site / "public"
    started = time.perf_counter()
    # The command ends with the build: what the build made lives until then, and a scan of
    # its millions of objects for cycles (after the build, as it saves the cache) would only
    # take time.
    gc.disable()
    cache_folder = cache_folder_of(args)
    asked, sources = None, None
    if cache_folder is not None:  # what the last build did is kept beside the cache
        asked = Asked(
            environment_key(),
            str(args.site.resolve()),
            str(out.resolve()),
            args.as_of.isoformat() if args.as_of is not None else None,
            args.base_url,
            args.pdf,
        )
        if (last := replay(cache_folder, asked, now)) is not None:
            # Everything as the last build left it: its report, without building again.
            for warning in last.warnings:
                print(warning, file=sys.stderr)
            _report(last.pages, last.files, last.as_of, started, out, last.pages)
            return EXIT_OK
        # Taken before the build reads the site: a file changed meanwhile is found changed
        # next time.
        sources = list_sources(args.site.resolve(), time.time_ns())
    # Without a cache folder (--no-cache), nothing is kept for a next build: the build holds
    # no more than it needs.
    cache = loaded_cache(cache_folder) if cache_folder is not None else None
    loaded = cache_state(cache) if cache is not None else None
    # On a terminal, a build that takes more than a second shows how it goes on one line.
    line = ProgressLine(sys.stderr) if is_interactive(sys.stderr, os.environ) else None
    # Whether more builds of this output follow: not in a CI job, which builds once (what is
    # kept for a next build, a spare output and the file a save replaced, would only swell
    # a cache carried from job to job).
    is_followed = not os.environ.get("CI")

    def build_with(cache: BuildCache | None) -> BuildResult:
        return build(
            args.site,
            out,
            now=now,
            as_of=args.as_of,
            base_url=args.base_url,
            jobs=args.jobs,
            cache=cache,
            pdf=args.pdf,
            spare_ahead=is_followed,
            progress=line or no_progress,
        )

    try:
        try:
            result, cache = with_cache(
                build_with,
                cache,
                cache_folder,
                "this build makes every page",
                lambda: BuildCache(environment_key(), folder=str(cache_folder)),
            )
        finally:
            if line is not None:
                line.clear()  # before the problems, or the summary
    except BuildFailed as failed:
        if cache_folder is not None:
            forget(cache_folder)
        print_problems(failed.problems)
        print(
            f"policygen: build failed with {count_problems(failed.problems)}; {out} was left as it was",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print_problems(result.warnings)
    if cache_folder is not None and cache is not None and cache_state(cache) != loaded:
        try:
            save_cache(cache_folder, cache, recycling=is_followed)
        except OSError as exc:
            print(f"policygen: the build cache could not be saved: {exc}", file=sys.stderr)
    if cache_folder is not None and cache is not None:
        if asked is not None and sources is not None and cache.output == asked.out:
            last = LastBuild(
                asked,
                sources,
                output_of(cache.files),
                result.site.as_of.isoformat(),
                result.site.config.timezone,
                [str(warning) for warning in result.warnings],
                result.pages,
                result.files,
            )
            try:
                remember(cache_folder, last)
            except OSError:
                forget(cache_folder)
        else:
            forget(cache_folder)
    _report(
        result.pages,
        result.files,
        result.site.as_of.isoformat(),
        started,
        out,
        result.pages - result.rendered,
        result.typeset,
    )
    return EXIT_OK


def run_check(args: argparse.Namespace, now: dt.datetime) -> int:
    cache_folder = cache_folder_of(args, "check")
    cache = (
        loaded_cache(cache_folder, "this check renders every page")
        if cache_folder is not None
        else None
    )

    def check_with(cache: BuildCache | None) -> BuildResult:
        # Every page is rendered too, for the errors only rendering finds, on every core; but
        # a part of the site the last build made from the same inputs is not made again.
        return build(
            args.site, None, now=now, as_of=args.as_of, jobs=os.cpu_count() or 1, cache=cache
        )

    try:
        checked, _ = with_cache(check_with, cache, cache_folder, "this check renders every page")
        problems: Sequence[Problem] = checked.warnings
    except BuildFailed as failed:
        problems = failed.problems
    if args.format == "json":
        print(json.dumps([_as_json(p) for p in problems], ensure_ascii=False, indent=2))
    elif args.format == "github":
        site = os.path.relpath(args.site).replace(os.sep, "/")
        for problem in problems:
            print(github_annotation(problem, "" if site == "." else site))
        print(f"policygen: {count_problems(problems)}", file=sys.stderr)
    else:
        print_problems(problems)
        print(f"policygen: {count_problems(problems)}", file=sys.stderr)
    return EXIT_PROBLEMS if any(p.is_error or args.strict for p in problems) else EXIT_OK


def run_lock(args: argparse.Namespace, now: dt.datetime) -> int:
    result = checked(args, now, rewriting_lock=True, cache_folder=cache_folder_of(args, "lock"))
    if result is None:
        print(f"policygen: {LOCK_FILE} was not written: fix the errors first", file=sys.stderr)
        return EXIT_PROBLEMS
    text = render_lock(result.site)
    path = args.site / LOCK_FILE
    before = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text == before:
        print(f"policygen: {LOCK_FILE} is up to date", file=sys.stderr)
        return EXIT_OK
    write_text_file(path, text)
    entries = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    print(
        f"policygen: wrote {path} ({entries} texts); review and commit it",
        file=sys.stderr,
    )
    return EXIT_OK


def run_status(args: argparse.Namespace, now: dt.datetime) -> int:
    from ..status import build_status, render_status, status_as_json
    from ..translation.exchange import Texts, translation_progress
    from ..translation.memory import Comparing, comparing_note

    result = checked(args, now, cache_folder=cache_folder_of(args, "status"))
    if result is None:
        return EXIT_PROBLEMS
    texts = Texts(result.site, result.sources, result.rendered)
    comparing = Comparing()
    progress = translation_progress(result.site, texts, comparing)
    if comparing.cut:
        print(f"policygen: {comparing_note(comparing.cut)}", file=sys.stderr)
    report = build_status(result.site, result.lock, progress)
    if args.format == "json":
        print(json.dumps(status_as_json(report), ensure_ascii=False, indent=2))
    else:
        print(f"as of {result.site.as_of}\n")
        width = shutil.get_terminal_size((100, 24)).columns
        print(render_status(report, result.site.config.languages, width))
    return EXIT_OK


def _as_json(problem: Problem) -> dict[str, object]:
    return {
        "path": problem.location.path,
        "line": problem.location.line,
        "column": problem.location.column,
        "severity": problem.severity,
        "code": problem.code,
        "message": problem.message,
    }
