"""The arguments several commands take, each defined once (SITE, --as-of, --debug, -o OUT,
the cache's), and the types that read argument values: a wrong value is a usage error."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..config import SiteConfig, parse_base_url, site_language
from ..yamldoc import EARLIEST, LATEST

MAX_JOBS = 1024
"""More processes than this would only exhaust the machine."""


DEBUG_HELP = "show a Python traceback when policygen fails by a bug of its own or of the machine"
AS_OF_HELP = "the date that decides which revision is in force (default: today in the site's time zone, or SOURCE_DATE_EPOCH)"


def add_site(parser: argparse.ArgumentParser) -> None:
    """SITE: the site folder, the current one unless given."""
    parser.add_argument(
        "site",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="SITE",
        help="the site folder (default: the current folder)",
    )


def add_as_of(parser: argparse.ArgumentParser, help: str = AS_OF_HELP) -> None:
    parser.add_argument("--as-of", type=as_date, metavar="YYYY-MM-DD", help=help)


def add_debug(parser: argparse.ArgumentParser, *, is_command: bool = True) -> None:
    """--debug, before the command or among its own arguments."""
    if is_command:
        # SUPPRESS: a command's default must not undo `policygen --debug COMMAND`.
        parser.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
        )
    else:
        parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="output folder (default: SITE/public)"
    )


def add_cache_arguments(
    parser: argparse.ArgumentParser,
    no_cache_help: str,
    cache_dir_help: str = "keep the build cache in DIR, outside the site",
) -> None:
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help=f"{cache_dir_help} (default: policygen/<hash of SITE's path> in $XDG_CACHE_HOME, else ~/.cache)",
    )
    choice.add_argument("--no-cache", action="store_true", help=no_cache_help)


def as_jobs(text: str) -> int:
    return _number(text, 1, MAX_JOBS, "a number of processes")


def as_port(text: str) -> int:
    return _number(text, 0, 65535, "a port")


def _number(text: str, least: int, most: int, what: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(most))) or not (
        least <= int(text) <= most
    ):
        raise argparse.ArgumentTypeError(f"'{text}' is not {what} ({least} to {most})")
    return int(text)


def as_base_url(text: str) -> str:
    # A usage error (exit 2), as any other argument that is wrong before the site is read;
    # the rules are site.yaml's.
    try:
        return parse_base_url(text, "--base-url")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def as_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None
    if not EARLIEST <= day <= LATEST:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date from {EARLIEST} to {LATEST}")
    return day


def language_option(written: str | None, config: SiteConfig) -> str:
    """The site language --language names, written in any case or with '_' ("pt_br" names
    pt-BR): the source language when it is not given, and the value as written when the
    site has no such language, for the command to say so."""
    if written is None:
        return config.default_language
    return site_language(written.replace("_", "-"), config.languages) or written
