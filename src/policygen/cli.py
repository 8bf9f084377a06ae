"""argv → build or check; prints problems as path:line: message and sets the exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import BuildFailed, Problem
from .output import OutputError
from .pipeline import build

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the policygen command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        now = _now()
    except ValueError as exc:
        print(f"policygen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "build":
        return _build(args, now)
    return _check(args, now)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policygen",
        description="Publish versioned, multilingual legal policies as a static site.",
    )
    parser.add_argument("--version", action="version", version=f"policygen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "site",
            nargs="?",
            type=Path,
            default=Path("."),
            metavar="SITE",
            help="the site folder (default: the current folder)",
        )
        command.add_argument(
            "--as-of",
            type=_date,
            metavar="YYYY-MM-DD",
            help="the date that decides which revision is in force (default: today in the site's time zone, or SOURCE_DATE_EPOCH)",
        )
        command.add_argument("--debug", action="store_true", help="show Python tracebacks")

    build_command = commands.add_parser(
        "build", help="build the site into a folder of static files"
    )
    common(build_command)
    build_command.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="output folder (default: SITE/public)"
    )
    build_command.add_argument(
        "--base-url",
        metavar="URL",
        help="the URL the site is published at (default: base_url in site.yaml)",
    )

    check_command = commands.add_parser("check", help="validate the site without writing anything")
    common(check_command)
    check_command.add_argument(
        "--format", choices=("text", "json"), default="text", help="how to print problems"
    )
    check_command.add_argument("--strict", action="store_true", help="fail on warnings too")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _now() -> dt.datetime:
    """The build's clock: SOURCE_DATE_EPOCH when set, so that builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        if not epoch.isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'")
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _count(problems: Sequence[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def _build(args: argparse.Namespace, now: dt.datetime) -> int:
    out = args.output if args.output is not None else args.site / "public"
    started = time.perf_counter()
    try:
        result = build(args.site, out, now=now, as_of=args.as_of, base_url=args.base_url)
    except BuildFailed as failed:
        _print_problems(failed.problems)
        print(
            f"policygen: build failed with {_count(failed.problems)}; {out} was left as it was",
            file=sys.stderr,
        )
        if args.debug:
            raise
        return EXIT_PROBLEMS
    except OutputError as exc:
        print(f"policygen: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    _print_problems(result.warnings)
    seconds = time.perf_counter() - started
    print(
        f"policygen: built {result.pages} pages ({result.files} files) as of {result.site.as_of} in {seconds:.2f} s into {out}",
        file=sys.stderr,
    )
    return EXIT_OK


def _check(args: argparse.Namespace, now: dt.datetime) -> int:
    try:
        result = build(args.site, None, now=now, as_of=args.as_of)
        problems: Sequence[Problem] = result.warnings
    except BuildFailed as failed:
        problems = failed.problems
    failing = [p for p in problems if p.is_error or args.strict]
    if args.format == "json":
        print(json.dumps([_as_json(p) for p in problems], ensure_ascii=False, indent=2))
    else:
        _print_problems(problems)
        verdict = f"{_count(problems)}" if problems else "no problems"
        print(f"policygen: {verdict}", file=sys.stderr)
    return EXIT_PROBLEMS if failing else EXIT_OK


def _as_json(problem: Problem) -> dict[str, object]:
    return {
        "path": problem.location.path,
        "line": problem.location.line,
        "column": problem.location.column,
        "severity": problem.severity,
        "code": problem.code,
        "message": problem.message,
    }


if __name__ == "__main__":
    sys.exit(main())
