"""argv → build, check, lock, new, status or serve; prints problems as path:line: message; exit code."""

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
from .caching import CACHE_FOLDER, cache_state, load_cache, save_cache
from .drafting import plan_new_revision
from .errors import BuildFailed, Problem
from .locking import LOCK_FILE, render_lock
from .output import OutputError, write_new_files, write_text_file
from .pipeline import BuildCache, BuildResult, build
from .status import build_status, render_status, status_as_json

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the policygen command line; returns the exit status."""
    parser = _parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["new"]:
        # POLICY, options, then SITE: only intermixed parsing takes a positional after options.
        new_parser = argparse.ArgumentParser(prog="policygen new", description=NEW_HELP)
        _new_arguments(new_parser)
        new_parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
        args = new_parser.parse_intermixed_args(words[1:])
        args.command = "new"
    else:
        args = parser.parse_args(words)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        now = _now()
    except ValueError as exc:
        print(f"policygen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    commands = {
        "build": _build,
        "check": _check,
        "lock": _lock,
        "new": _new,
        "status": _status,
        "serve": _serve,
    }
    try:
        return commands[args.command](args, now)
    except OutputError as exc:
        print(f"policygen: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policygen",
        description="Publish versioned, multilingual legal policies as a static site.",
    )
    parser.add_argument("--version", action="version", version=f"policygen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str, *, as_of: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        if name != "new":
            sub.add_argument(
                "site",
                nargs="?",
                type=Path,
                default=Path("."),
                metavar="SITE",
                help="the site folder (default: the current folder)",
            )
        if as_of:
            sub.add_argument(
                "--as-of",
                type=_date,
                metavar="YYYY-MM-DD",
                help="the date that decides which revision is in force (default: today in the site's time zone, or SOURCE_DATE_EPOCH)",
            )
        sub.add_argument("--debug", action="store_true", help="show Python tracebacks")
        return sub

    build_command = command("build", "build the site into a folder of static files")
    build_command.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="output folder (default: SITE/public)"
    )
    build_command.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes to render with (default: every core); the output is the same",
    )
    build_command.add_argument(
        "--no-cache",
        action="store_true",
        help=f"render everything, and neither read nor write the build cache (SITE/{CACHE_FOLDER})",
    )
    build_command.add_argument(
        "--base-url",
        metavar="URL",
        help="the URL the site is published at (default: base_url in site.yaml)",
    )

    check_command = command("check", "report every problem a build would find, writing nothing")
    check_command.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="how to print problems (json: for CI annotations)",
    )
    check_command.add_argument("--strict", action="store_true", help="fail on warnings too")

    command("lock", f"record the SHA-256 of every text and of its settings in {LOCK_FILE}")

    _new_arguments(command("new", NEW_HELP, as_of=False))

    status_command = command(
        "status", "show which translations each revision has, and what is upcoming or not locked"
    )
    status_command.add_argument("--format", choices=("text", "json"), default="text")

    serve_command = command(
        "serve", "build, serve on this computer, rebuild on every change and reload the browser"
    )
    serve_command.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    serve_command.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve_command.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="output folder (default: SITE/public)"
    )
    return parser


NEW_HELP = "start the next revision of a policy from its latest source-language text"


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("policy", metavar="POLICY", help="the policy id, e.g. privacy")
    parser.add_argument(
        "site",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="SITE",
        help="the site folder (default: the current folder)",
    )
    parser.add_argument(
        "--effective",
        type=_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the date the new revision takes effect",
    )
    parser.add_argument(
        "--published",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date it is announced (default: today)",
    )


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return int(text)


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


def _checked(
    args: argparse.Namespace, now: dt.datetime, rewriting_lock: bool = False
) -> BuildResult | None:
    """A check of the site; prints its problems and returns None when it has errors."""
    try:
        result = build(
            args.site,
            None,
            now=now,
            as_of=getattr(args, "as_of", None),
            rewriting_lock=rewriting_lock,
            jobs=os.cpu_count() or 1,
        )
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"policygen: {count_problems(failed.problems)}", file=sys.stderr)
        return None
    return result


def _build(args: argparse.Namespace, now: dt.datetime) -> int:
    out = args.output if args.output is not None else args.site / "public"
    started = time.perf_counter()
    cache_folder = args.site / CACHE_FOLDER
    cache = BuildCache() if args.no_cache else load_cache(cache_folder)
    loaded = cache_state(cache)
    try:
        result = build(
            args.site,
            out,
            now=now,
            as_of=args.as_of,
            base_url=args.base_url,
            jobs=args.jobs,
            cache=cache,
        )
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(
            f"policygen: build failed with {count_problems(failed.problems)}; {out} was left as it was",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print_problems(result.warnings)
    if not args.no_cache and cache_state(cache) != loaded:
        try:
            save_cache(cache_folder, cache)
        except OSError as exc:
            print(f"policygen: the build cache could not be saved: {exc}", file=sys.stderr)
    seconds = time.perf_counter() - started
    unchanged = result.pages - result.rendered
    print(
        f"policygen: built {result.pages} pages ({result.files} files) as of {result.site.as_of} in {seconds:.2f} s into {out}"
        + (f"; {unchanged} pages were unchanged and kept" if unchanged else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def _check(args: argparse.Namespace, now: dt.datetime) -> int:
    try:
        # Every page is rendered too, for the errors only rendering finds: on every core.
        checked = build(args.site, None, now=now, as_of=args.as_of, jobs=os.cpu_count() or 1)
        problems: Sequence[Problem] = checked.warnings
    except BuildFailed as failed:
        problems = failed.problems
    if args.format == "json":
        print(json.dumps([_as_json(p) for p in problems], ensure_ascii=False, indent=2))
    else:
        print_problems(problems)
        print(f"policygen: {count_problems(problems)}", file=sys.stderr)
    return EXIT_PROBLEMS if any(p.is_error or args.strict for p in problems) else EXIT_OK


def _lock(args: argparse.Namespace, now: dt.datetime) -> int:
    result = _checked(args, now, rewriting_lock=True)
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


def _new(args: argparse.Namespace, now: dt.datetime) -> int:
    result = _checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    files, problems = plan_new_revision(result.site, args.policy, args.effective, args.published)
    if problems:
        print_problems(problems)
        return EXIT_PROBLEMS
    write_new_files(args.site, [(f.path, f.text) for f in files])
    print(f"policygen: started revision {args.effective} of '{args.policy}':", file=sys.stderr)
    for file in files:
        print(f"  {file.path}", file=sys.stderr)
    print(
        "Next: edit the text; write in 'summary:' what changed; set 'material: false' if readers need not consent again;\n"
        "add the translations (copy them from the previous revision and update them); preview with `policygen serve`;\n"
        "check with `policygen check`. Translations you do not add are shown in the source language, with a notice.",
        file=sys.stderr,
    )
    return EXIT_OK


def _status(args: argparse.Namespace, now: dt.datetime) -> int:
    result = _checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    report = build_status(result.site, result.lock)
    if args.format == "json":
        print(json.dumps(status_as_json(report), ensure_ascii=False, indent=2))
    else:
        print(f"as of {result.site.as_of}\n")
        print(render_status(report, result.site.config.languages))
    return EXIT_OK


def _serve(args: argparse.Namespace, now: dt.datetime) -> int:
    from .serving import serve

    out = args.output if args.output is not None else args.site / "public"
    # The last build's cache lets serve start without rendering what that build did.
    cache = load_cache(args.site / CACHE_FOLDER)
    return serve(args.site, out, host=args.host, port=args.port, as_of=args.as_of, cache=cache)


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
