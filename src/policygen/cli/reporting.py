"""Problems → stderr, and the exit statuses every command returns."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import BuildFailed, Problem
from ..incremental.cache import BuildCache
from ..pipeline import CheckedSite, check_sources
from .caching import loaded_cache, with_cache

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def print_problems(problems: Sequence[Problem]) -> None:
    """One line per problem on stderr: path:line:column: severity: message."""
    for problem in problems:
        print(problem, file=sys.stderr)


def count_problems(problems: Sequence[Problem]) -> str:
    """ "2 errors, 1 warning"."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) or "no problems"


def checked(
    args: argparse.Namespace,
    now: dt.datetime,
    rewriting_lock: bool = False,
    cache_folder: Path | None = None,
) -> CheckedSite | None:
    """A check of the site that makes no page; prints its problems and returns None when it
    has errors. The texts the build cache in `cache_folder` holds are not rendered again."""

    def check_with(cache: BuildCache | None) -> CheckedSite:
        return check_sources(
            args.site,
            now=now,
            as_of=getattr(args, "as_of", None),
            rewriting_lock=rewriting_lock,
            jobs=os.cpu_count() or 1,
            cache=cache,
        )

    cache = loaded_cache(cache_folder, "every text is rendered") if cache_folder else None
    try:
        result, _ = with_cache(check_with, cache, cache_folder, "every text is rendered")
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"policygen: {count_problems(failed.problems)}", file=sys.stderr)
        return None
    return result
