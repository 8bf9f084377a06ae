"""argv → build, check, lock, new, status, translate or serve; prints problems as path:line: message; exit code.

Each command is in the module of its kind (build, authoring, translate, serve); the
arguments several take are in arguments.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from collections.abc import Sequence

from .. import __version__
from ..errors import BUG, describe_os_error
from ..forking import WorkerFailed
from ..incremental.folder import CacheFolderError
from ..output import OutputError
from ..pdf import PdfUnavailable
from ..pipeline import page_limit
from ..yamldoc import LATEST
from .arguments import add_as_of, add_debug, add_site
from .authoring import (
    IMPORT_HELP,
    INIT_HELP,
    NEW_HELP,
    add_import_file_arguments,
    add_init_arguments,
    add_new_arguments,
    import_parser,
    run_import,
    run_init,
    run_new,
)
from .build import (
    BUILD_HELP,
    CHECK_HELP,
    LOCK_HELP,
    STATUS_HELP,
    add_build_arguments,
    add_check_arguments,
    add_lock_arguments,
    add_status_arguments,
    run_build,
    run_check,
    run_lock,
    run_status,
)
from .reporting import EXIT_BUG, EXIT_PROBLEMS, EXIT_USAGE
from .serve import SERVE_HELP, add_serve_arguments, run_serve
from .translate import add_translate_arguments, run_translate

UNIX_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


EXIT_INTERRUPTED = 130
"""What shells report for a command stopped with Ctrl+C."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the policygen command line; returns the exit status."""
    parser = _parser()
    words = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in words[: words.index("--")] if "--" in words else "--debug" in words
    try:
        return _run(parser, words)
    except KeyboardInterrupt:
        print("policygen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # What reads the output stopped reading (`policygen status | head`): as Python's
        # documentation advises, say nothing, and let nothing else be written there.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEMS
    except OutputError as exc:
        # A problem of the machine rather than of the site: one line naming the path.
        print(f"policygen: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except CacheFolderError as exc:
        print(f"policygen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PdfUnavailable as exc:
        # A library missing from the machine, not a mistake in the site: one line, as for a
        # folder that cannot be written.
        print(f"policygen: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        if debug:
            traceback.print_exc()
        print(f"policygen: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except WorkerFailed as exc:
        # A worker killed by the machine (its memory limit) or by someone: not the site's fault.
        print(f"policygen: {exc}; nothing was published", file=sys.stderr)
        return EXIT_PROBLEMS
    except MemoryError:
        # The machine's limit, not a bug: nothing was published, and the site may be fine.
        if debug:
            traceback.print_exc()
        print(
            "policygen: the machine ran out of memory; nothing was published. Give the command "
            "more memory, or look for a text or template that makes a page enormous",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except Exception:
        # No input, however broken, shows a traceback: what is left is policygen's own bug.
        if debug:
            traceback.print_exc()
        print(f"policygen: {BUG}", file=sys.stderr)
        return EXIT_BUG


def _run(parser: argparse.ArgumentParser, words: list[str]) -> int:
    if words[:1] == ["--debug"] and words[1:2] in (["import"], ["new"]):
        words = [*words[1:], "--debug"]
    if words[:1] == ["import"]:
        args = import_parser(words[1:2] == ["git"]).parse_intermixed_args(words[1:])
        args.command = "import"
    elif words[:1] == ["new"]:
        # POLICY, options, then SITE: only intermixed parsing takes a positional after options.
        new_parser = argparse.ArgumentParser(prog="policygen new", description=NEW_HELP)
        add_new_arguments(new_parser)
        add_debug(new_parser, is_command=False)
        args = new_parser.parse_intermixed_args(words[1:])
        args.command = "new"
    else:
        args = parser.parse_args(words)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        now = _now()
        page_limit()  # a wrong setting is told before any work
    except ValueError as exc:
        print(f"policygen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    commands = {
        "build": run_build,
        "check": run_check,
        "init": run_init,
        "import": run_import,
        "lock": run_lock,
        "new": run_new,
        "status": run_status,
        "serve": run_serve,
        "translate": run_translate,
    }
    return commands[args.command](args, now)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policygen",
        description="Publish versioned, multilingual legal policies as a static site.",
    )
    parser.add_argument("--version", action="version", version=f"policygen {__version__}")
    add_debug(parser, is_command=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        name: str, help: str, *, site: bool = True, as_of: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        if site:
            add_site(sub)
        if as_of:
            add_as_of(sub)
        add_debug(sub)
        return sub

    add_build_arguments(command("build", BUILD_HELP))
    add_check_arguments(command("check", CHECK_HELP))
    add_lock_arguments(command("lock", LOCK_HELP))
    # POLICY comes before SITE.
    add_new_arguments(command("new", NEW_HELP, site=False, as_of=False))
    add_init_arguments(commands.add_parser("init", help=INIT_HELP, description=INIT_HELP))
    import_command = commands.add_parser("import", help=IMPORT_HELP, description=IMPORT_HELP)
    add_import_file_arguments(import_command)
    add_status_arguments(command("status", STATUS_HELP))
    add_serve_arguments(command("serve", SERVE_HELP))
    add_translate_arguments(commands)
    return parser


def _now() -> dt.datetime:
    """The build's clock: SOURCE_DATE_EPOCH when set, so that builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime.now(dt.UTC)
    wrong = f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 that gives a date from 1970-01-01 to {LATEST}, not '{epoch}'"
    seconds = int(epoch) if epoch.isascii() and epoch.isdigit() and len(epoch) <= 20 else -1
    if not 0 <= seconds <= (LATEST - UNIX_EPOCH.date()).days * 86400 + 86399:
        raise ValueError(wrong)
    return UNIX_EPOCH + dt.timedelta(seconds=seconds)
