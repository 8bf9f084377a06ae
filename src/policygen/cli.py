"""argv → build, check, lock, new, status, translate or serve; prints problems as path:line: message; exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .annotations import github_annotation
from .caching import (
    CacheFolderError,
    cache_state,
    check_cache_folder,
    default_cache_folder,
    load_cache,
    save_cache,
)
from .config import parse_base_url
from .drafting import NewFile, plan_new_revision
from .errors import BUG, BuildFailed, Problem, describe_os_error
from .i18n import language_name, languages_without_catalog, parse_language
from .importing import Converted
from .importing.files import NotImportable, convert_file
from .importing.git import (
    GitError,
    PlannedRevision,
    Skipped,
    plan_history,
    read_text,
    read_versions,
)
from .importing.markdown import convert_markdown
from .importing.writer import Destination, plan_import
from .locking import LOCK_FILE, render_lock
from .model import Site
from .output import OutputError, write_new_files, write_text_file
from .pipeline import BuildCache, BuildResult, build
from .scaffold import (
    DEFAULT_LANGUAGE,
    DEFAULT_REGION,
    DEFAULT_TITLE,
    PREVIEW_URL,
    WORKFLOW,
    SiteSettings,
    is_empty_folder,
    machine_timezone,
    plan_site,
    settings_problems,
)
from .sources import SiteSources, read_site
from .status import build_status, render_status, status_as_json
from .templates import THEME
from .translation.exchange import (
    ImportedText,
    Texts,
    export_revisions,
    plan_export,
    plan_translation_import,
    segment_site,
    translation_progress,
)
from .translation.po import read_po, write_po
from .translation.xliff import read_xliff, write_xliff
from .yamldoc import EARLIEST, LATEST

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
UNIX_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MAX_JOBS = 1024
"""More processes than this would only exhaust the machine."""
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
    except OSError as exc:
        if debug:
            traceback.print_exc()
        print(f"policygen: {describe_os_error(exc)}", file=sys.stderr)
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
        args = _import_parser(words[1:2] == ["git"]).parse_intermixed_args(words[1:])
        args.command = "import"
    elif words[:1] == ["new"]:
        # POLICY, options, then SITE: only intermixed parsing takes a positional after options.
        new_parser = argparse.ArgumentParser(prog="policygen new", description=NEW_HELP)
        _new_arguments(new_parser)
        new_parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
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
        "init": _init,
        "import": _import,
        "lock": _lock,
        "new": _new,
        "status": _status,
        "serve": _serve,
        "translate": _translate,
    }
    return commands[args.command](args, now)


DEBUG_HELP = "show a Python traceback when policygen fails by a bug of its own or of the machine"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policygen",
        description="Publish versioned, multilingual legal policies as a static site.",
    )
    parser.add_argument("--version", action="version", version=f"policygen {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
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
        # SUPPRESS: a command's default must not undo `policygen --debug COMMAND`.
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
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
    _cache_arguments(build_command, "render everything, and neither read nor write the build cache")
    build_command.add_argument(
        "--base-url",
        type=_base_url,
        metavar="URL",
        help="the URL the site is published at (default: base_url in site.yaml)",
    )

    check_command = command("check", "report every problem a build would find, writing nothing")
    check_command.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="how to print problems (json: records for tools; github: annotations in GitHub Actions)",
    )
    check_command.add_argument("--strict", action="store_true", help="fail on warnings too")

    command("lock", f"record the SHA-256 of every text and of its settings in {LOCK_FILE}")

    _new_arguments(command("new", NEW_HELP, as_of=False))

    init_command = commands.add_parser("init", help=INIT_HELP, description=INIT_HELP)
    _init_arguments(init_command)
    import_command = commands.add_parser("import", help=IMPORT_HELP, description=IMPORT_HELP)
    _import_file_arguments(import_command)

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
    serve_command.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve_command.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="output folder (default: SITE/public)"
    )
    _cache_arguments(serve_command, "render everything at the start, without the build cache")
    _translate_arguments(commands)
    return parser


def _translate_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    about = "translators' files: PO or XLIFF of a revision, filled from the site's translations"
    translate = commands.add_parser("translate", help=about, description=about)
    actions = translate.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write the file to translate of each revision whose translation is missing or partial",
        description="Write one PO file (or XLIFF 2.0) per revision to translate into LANGUAGE: "
        "every segment of the source text, filled from the site's own translations.",
    )
    export.add_argument("site", nargs="?", type=Path, default=Path("."), metavar="SITE")
    export.add_argument(
        "--language", required=True, metavar="LANGUAGE", help="the language to translate into"
    )
    export.add_argument("--policy", metavar="POLICY", help="only this policy")
    export.add_argument(
        "--revision",
        metavar="REVISION",
        help="this revision, whatever its translation (default: those in force or to come whose translation is missing or partial)",
    )
    export.add_argument(
        "--format", choices=("po", "xliff"), default="po", help="file format (default: po)"
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE_OR_DIR",
        help="the file to write, or a folder for one file per revision (default: the current folder)",
    )
    importing = actions.add_parser(
        "import",
        help="write the translated texts of translated files into the site",
        description="Write V/LANGUAGE.md (and V/LANGUAGE.REGION.md) from translated PO or XLIFF files.",
    )
    importing.add_argument("paths", nargs="+", type=Path, metavar="[SITE] FILE")
    importing.add_argument(
        "--partial",
        action="store_true",
        help="write what is translated and leave the rest in the source language (the status shows it)",
    )
    for sub in (export, importing):
        sub.add_argument(
            "--as-of",
            type=_date,
            metavar="YYYY-MM-DD",
            help="the date that decides which revision is in force (default: today)",
        )
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)


def _cache_arguments(parser: argparse.ArgumentParser, no_cache_help: str) -> None:
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="keep the build cache in DIR, outside the site (default: policygen/<hash of SITE's path> in $XDG_CACHE_HOME, else ~/.cache)",
    )
    choice.add_argument("--no-cache", action="store_true", help=no_cache_help)


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
    parser.add_argument(
        "--title",
        metavar="TITLE",
        help="the title of a new policy (default: from its id, e.g. privacy → Privacy Policy)",
    )


def _jobs(text: str) -> int:
    return _number(text, 1, MAX_JOBS, "a number of processes")


def _port(text: str) -> int:
    return _number(text, 0, 65535, "a port")


def _number(text: str, least: int, most: int, what: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(most))) or not (
        least <= int(text) <= most
    ):
        raise argparse.ArgumentTypeError(f"'{text}' is not {what} ({least} to {most})")
    return int(text)


def _base_url(text: str) -> str:
    # A usage error (exit 2), as any other argument that is wrong before the site is read;
    # the rules are site.yaml's.
    try:
        return parse_base_url(text, "--base-url")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None
    if not EARLIEST <= day <= LATEST:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date from {EARLIEST} to {LATEST}")
    return day


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


def _cache_folder(args: argparse.Namespace) -> Path | None:
    """The cache folder the command reads and keeps (None: no cache); raises CacheFolderError."""
    if args.no_cache:
        return None
    if args.cache_dir is not None:
        check_cache_folder(args.cache_dir, args.site)
        return Path(args.cache_dir)
    try:
        folder = default_cache_folder(args.site, os.environ)
        check_cache_folder(folder, args.site)
    except (RuntimeError, CacheFolderError) as exc:  # RuntimeError: no home folder
        print(f"policygen: {exc}; this build uses no cache", file=sys.stderr)
        return None
    return folder


def _loaded_cache(folder: Path | None) -> BuildCache:
    if folder is None:
        return BuildCache()
    cache, notice = load_cache(folder)
    if notice is not None:
        print(notice, file=sys.stderr)
    return cache


def _build(args: argparse.Namespace, now: dt.datetime) -> int:
    out = args.output if args.output is not None else args.site / "public"
    started = time.perf_counter()
    cache_folder = _cache_folder(args)
    cache = _loaded_cache(cache_folder)
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
    if cache_folder is not None and cache_state(cache) != loaded:
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
    elif args.format == "github":
        site = os.path.relpath(args.site).replace(os.sep, "/")
        for problem in problems:
            print(github_annotation(problem, "" if site == "." else site))
        print(f"policygen: {count_problems(problems)}", file=sys.stderr)
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
    files, problems = plan_new_revision(
        result.site, args.policy, args.effective, args.published, args.title
    )
    if problems:
        print_problems(problems)
        return EXIT_PROBLEMS
    policy = result.site.policy(args.policy)
    write_new_files(args.site, [(f.path, f.text) for f in files])
    if policy is None or not policy.all_revisions:
        print(f"policygen: created policy '{args.policy}':", file=sys.stderr)
        for file in files:
            print(f"  {file.path}", file=sys.stderr)
        print(
            "Next: replace the line of text with the policy (`policygen import FILE` brings in a Word file,\n"
            "a web page or Markdown instead); preview with `policygen serve`; check with `policygen check`;\n"
            "when the text is final, run `policygen lock` and commit policies.lock with it.",
            file=sys.stderr,
        )
        return EXIT_OK
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


INIT_HELP = "create a new policy site that builds and passes `policygen check --strict` at once"


def _init_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the folder to create the site in (default: the current folder)",
    )
    parser.add_argument(
        "--language",
        action="append",
        metavar="L",
        help="a language of the site, e.g. en or pt-BR; give it once per language, the source language first (default: en)",
    )
    parser.add_argument(
        "--region",
        action="append",
        metavar="ID",
        help="a region readers get their own text for; once per region, the default region first (default: global)",
    )
    parser.add_argument(
        "--timezone",
        metavar="TZ",
        help="the time zone effective dates start in, e.g. Europe/Paris (default: this computer's)",
    )
    parser.add_argument("--title", metavar="T", help=f"the site's title (default: {DEFAULT_TITLE})")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the address the site will be published at (default: {PREVIEW_URL}, where `policygen serve` shows it)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="add the files that are missing to a folder that is not empty (an existing file is never overwritten)",
    )
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)


def _ask(question: str, default: str) -> str:
    answer = input(f"{question} [{default}]: ").strip()
    return answer or default


def _init(args: argparse.Namespace, now: dt.datetime) -> int:
    folder: Path = args.folder
    if folder.exists() and not folder.is_dir():
        print(f"policygen: {folder} is a file, not a folder", file=sys.stderr)
        return EXIT_PROBLEMS
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    if not is_empty_folder(names) and not args.force:
        print(
            f"policygen: {folder} is not empty ({', '.join(names[:3])}{', …' if len(names) > 3 else ''}): "
            "policygen init makes a new site in an empty folder; --force adds the files that are missing, and never overwrites one",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    link = Path("/etc/localtime")
    machine_zone = machine_timezone(
        os.readlink(link) if link.is_symlink() else None, os.environ.get("TZ")
    )
    asking = sys.stdin is not None and sys.stdin.isatty()

    def given(value: str | None, question: str, default: str) -> str:
        if value is not None:
            return value
        return _ask(question, default) if asking else default

    def given_list(values: list[str] | None, question: str, default: str) -> tuple[str, ...]:
        if values:
            return tuple(values)
        answer = _ask(question, default) if asking else default
        return tuple(answer.replace(",", " ").split()) or (default,)

    settings = SiteSettings(
        title=given(args.title, "Title of the site", DEFAULT_TITLE),
        base_url=given(args.base_url, "Address it will be published at", PREVIEW_URL),
        languages=given_list(
            args.language, "Languages, the source language first", DEFAULT_LANGUAGE
        ),
        regions=given_list(args.region, "Regions, the default one first", DEFAULT_REGION),
        timezone=given(args.timezone, "Time zone effective dates start in", machine_zone),
    )
    problems = settings_problems(settings)
    if problems:
        for problem in problems:
            print(f"policygen init: {problem}", file=sys.stderr)
        return EXIT_USAGE
    files = plan_site(settings, now.year)
    kept = [f.path for f in files if (folder / f.path).exists() or (folder / f.path).is_symlink()]
    write_new_files(folder, [(f.path, f.text) for f in files if f.path not in kept])
    print(f"policygen: created a policy site in {folder}:", file=sys.stderr)
    for file in files:
        if file.path not in kept:
            print(f"  {file.path}", file=sys.stderr)
    for path in kept:
        print(f"  {path}: exists already, left as it was", file=sys.stderr)
    today = now.date()
    effective = today + dt.timedelta(days=30)
    steps = [f"cd {folder}"] if folder != Path(".") else []
    steps += [
        f"policygen new privacy --effective {effective}",
        f"   or: policygen import privacy.docx --policy privacy --effective {effective}",
        "policygen serve",
    ]
    print("Next:", *(f"  {step}" for step in steps), sep="\n", file=sys.stderr)
    if settings.base_url == PREVIEW_URL:
        print(
            f"base_url in site.yaml is {PREVIEW_URL}, where `policygen serve` shows the site: "
            "set it to the address the site will be published at.",
            file=sys.stderr,
        )
    if WORKFLOW not in kept:
        print(
            f"{WORKFLOW} checks and publishes the site on GitHub: make its `pip install` line "
            "install policygen the way your organisation does.",
            file=sys.stderr,
        )
    shipped = [path.parent.parent.name for path in THEME.glob("locales/*/LC_MESSAGES/messages.po")]
    languages = [parse_language(tag) or tag for tag in settings.languages]
    for tag in languages_without_catalog(languages, shipped):
        print(
            f"policygen ships no translation of the page's own words (labels such as 'Effective', "
            f"notices) into {language_name(tag)} ('{tag}'): until locales/{tag}/LC_MESSAGES/"
            "messages.po translates them, the pages show them in English and `policygen check "
            "--strict` fails (docs/content-format.md, section 12).",
            file=sys.stderr,
        )
    return EXIT_OK


IMPORT_HELP = (
    "bring an existing text in as a revision: a Word .docx file, a saved web page (.html) or "
    "Markdown; or, with `import git REPO PATH`, every version of a Markdown file in a git history"
)
IMPORTABLE = {
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}


def _import_file_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="a .docx, .html or .md file")
    parser.add_argument(
        "site",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="SITE",
        help="the site folder (default: the current folder)",
    )
    parser.add_argument("--policy", required=True, metavar="P", help="the policy id, e.g. privacy")
    parser.add_argument(
        "--effective",
        type=_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the date the text takes effect (for a translation: its revision's)",
    )
    _import_options(parser)
    parser.add_argument(
        "--published",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date it was announced (default: the effective date, or today if that is to come)",
    )
    parser.add_argument("--summary", metavar="TEXT", help="what changed, in a sentence")
    parser.add_argument("--title", metavar="TEXT", help="the title (default: the text's own)")
    parser.add_argument(
        "--accept-changes",
        action="store_true",
        help="import a Word file that has tracked changes as if all were accepted",
    )


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--language",
        metavar="L",
        help="the language of the text (default: the site's source language)",
    )
    parser.add_argument("--region", metavar="R", help="the region the text is for (default: all)")
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)


def _import_parser(is_git: bool) -> argparse.ArgumentParser:
    if not is_git:
        parser = argparse.ArgumentParser(prog="policygen import", description=IMPORT_HELP)
        _import_file_arguments(parser)
        return parser
    parser = argparse.ArgumentParser(
        prog="policygen import git",
        description="bring in every version of a Markdown file in a git repository's history, one revision each",
    )
    parser.add_argument("git", choices=["git"], help=argparse.SUPPRESS)
    parser.add_argument("repository", type=Path, metavar="REPO", help="the git repository")
    parser.add_argument("path", metavar="PATH", help="the Markdown file's path in the repository")
    parser.add_argument(
        "site",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="SITE",
        help="the site folder (default: the current folder)",
    )
    parser.add_argument("--policy", required=True, metavar="P", help="the policy id, e.g. privacy")
    _import_options(parser)
    parser.add_argument(
        "--date-from",
        choices=("commit", "text"),
        default="commit",
        help="where each revision's effective date comes from: the commit's date (in the site's time zone) or a date line in the text such as 'Effective date: September 1, 2022' (default: commit)",
    )
    parser.add_argument(
        "--translations",
        metavar="PATTERN",
        help="where the file's translations are, e.g. 'Policies/{language}/privacy.md'",
    )
    return parser


def _import(args: argparse.Namespace, now: dt.datetime) -> int:
    if getattr(args, "git", None):
        return _import_git(args, now)
    result = _checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    site = result.site
    name = str(args.file)
    kind = IMPORTABLE.get(args.file.suffix.lower())
    if kind is None:
        print(
            f"policygen: {name}: policygen imports Word (.docx), web pages (.html) and Markdown (.md), not '{args.file.suffix or args.file.name}' files",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"policygen: {name} cannot be read: {exc.strerror}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        converted = convert_file(kind, data)
    except NotImportable as exc:
        print(f"policygen: {name}: {exc}; nothing was imported", file=sys.stderr)
        return EXIT_PROBLEMS
    if converted.tracked_changes and not args.accept_changes:
        for note in converted.tracked_changes:
            print(note.render(name), file=sys.stderr)
        count = len(converted.tracked_changes)
        print(
            f"policygen: {name} has {count} tracked change{'s' if count != 1 else ''} not yet accepted or rejected, so its text is not final: nothing was imported. "
            "Accept or reject them in Word and import the file again, or import it with --accept-changes to take the text as if every change were accepted",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    destination = Destination(
        policy_id=args.policy,
        effective=args.effective,
        language=args.language or site.config.default_language,
        region=args.region,
        published=args.published,
        summary=args.summary,
        title=args.title,
    )
    files, problems = plan_import(site, converted, destination)
    if problems:
        print_problems(problems)
        return EXIT_PROBLEMS
    if not _write_checked(args.site, files, now):
        return EXIT_PROBLEMS
    print(
        f"policygen: imported {name} as the {destination.language}{' ' + destination.region if destination.region else ''} text of revision {files[-1].path.split('/')[2]} of '{args.policy}':",
        file=sys.stderr,
    )
    for file in files:
        print(f"  {file.path}", file=sys.stderr)
    _print_notes(name, converted)
    print(
        "Next: read the new text against the original; write in 'summary:' what changed; preview with `policygen serve`;\n"
        "check with `policygen check`; when the text is final, run `policygen lock` and commit policies.lock with it.",
        file=sys.stderr,
    )
    return EXIT_OK


def _import_git(args: argparse.Namespace, now: dt.datetime) -> int:
    result = _checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    site = result.site
    language = args.language or site.config.default_language
    policy = site.policy(args.policy)
    taken = frozenset(r.effective for r in policy.all_revisions) if policy else frozenset()
    try:
        versions = read_versions(args.repository, args.path)
    except GitError as exc:
        print(f"policygen: {args.repository}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if not versions:
        print(
            f"policygen: {args.path} has no version in the first-parent history of {args.repository}: nothing was imported",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    planned, skipped = plan_history(versions, args.date_from, site.config.timezone, taken)
    files: dict[str, NewFile] = {}
    notes: list[str] = []
    imported: list[tuple[PlannedRevision, str]] = []
    translations = (
        [lang for lang in site.config.languages if lang != language] if args.translations else []
    )
    last_translation: dict[str, str] = {}
    for revision in planned:
        version = revision.version
        short = version.commit[:7]
        texts = [(language, args.path, version.text)]
        for other in translations:
            other_path = args.translations.replace("{language}", other)
            text = read_text(args.repository, version.commit, other_path)
            if text is None:
                skipped.append(Skipped(short, f"no {other} text at {other_path} in this commit"))
            elif last_translation.get(other) == text:
                skipped.append(
                    Skipped(
                        short,
                        f"the {other} text at {other_path} was not updated with the {language} text: readers get the {language} text with a notice",
                    )
                )
            else:
                last_translation[other] = text
                texts.append((other, other_path, text))
        for text_language, path, text in texts:
            assert text is not None
            try:
                converted = convert_markdown(text)
            except NotImportable as exc:
                skipped.append(Skipped(short, f"{path}: {exc}"))
                continue
            destination = Destination(
                policy_id=args.policy,
                effective=revision.effective,
                language=text_language,
                region=args.region,
                published=revision.published,
                summary=version.subject if text_language == language else None,
            )
            planned_files, problems = plan_import(site, converted, destination, with_source=True)
            if problems:
                print_problems(problems)
                return EXIT_PROBLEMS
            for file in planned_files:
                files.setdefault(file.path, file)
            notes.extend(note.render(f"{short}:{path}") for note in converted.notes)
            if text_language == language:
                imported.append((revision, planned_files[-1].path))
    if not imported:
        for skip in skipped:
            print(f"  {skip.commit}: {skip.reason}", file=sys.stderr)
        print(f"policygen: no version of {args.path} was left to import", file=sys.stderr)
        return EXIT_PROBLEMS
    if not _write_checked(args.site, list(files.values()), now):
        return EXIT_PROBLEMS
    print(
        f"policygen: imported {len(imported)} revision{'s' if len(imported) != 1 else ''} of '{args.policy}' from {args.path} ({len(files)} files):",
        file=sys.stderr,
    )
    for revision, _ in imported:
        print(
            f"  {revision.effective}  {revision.version.commit[:7]}  {revision.version.subject}",
            file=sys.stderr,
        )
    if skipped:
        print(f"Skipped ({len(skipped)}):", file=sys.stderr)
        for skip in skipped:
            print(f"  {skip.commit}: {skip.reason}", file=sys.stderr)
    if notes:
        print(f"Not carried over as it was ({len(notes)}):", file=sys.stderr)
        for note in notes:
            print(f"  {note}", file=sys.stderr)
    print(
        "Next: read the texts; preview with `policygen serve`; check with `policygen check`;\n"
        "then run `policygen lock` and commit policies.lock with them.",
        file=sys.stderr,
    )
    return EXIT_OK


def _print_notes(name: str, converted: Converted) -> None:
    if converted.tracked_changes:
        count = len(converted.tracked_changes)
        print(f"Tracked changes taken as accepted ({count}):", file=sys.stderr)
        for note in converted.tracked_changes:
            print(f"  {note.render(name)}", file=sys.stderr)
    if converted.notes:
        print(f"Not carried over as it was ({len(converted.notes)}):", file=sys.stderr)
        for note in converted.notes:
            print(f"  {note.render(name)}", file=sys.stderr)


def _write_checked(site: Path, files: Sequence[NewFile], now: dt.datetime) -> bool:
    """Write new source files, and take them back out if the site then has errors: what
    import writes always passes `policygen check`."""
    targets = [site.joinpath(f.path) for f in files]
    new_folders = {folder for target in targets for folder in target.parents if not folder.exists()}
    write_new_files(site, [(f.path, f.text) for f in files])
    try:
        checked = build(site, None, now=now, jobs=os.cpu_count() or 1)
    except BuildFailed as failed:
        print_problems(failed.problems)
        for target in targets:
            target.unlink()
        for folder in sorted(new_folders, key=lambda f: len(f.parts), reverse=True):
            folder.rmdir()
        print("policygen: the imported text has errors: nothing was imported", file=sys.stderr)
        return False
    print_problems([p for p in checked.warnings if p.code != "not-locked"])
    return True


def _status(args: argparse.Namespace, now: dt.datetime) -> int:
    result = _checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    sources, _ = read_site(args.site)
    progress = translation_progress(result.site, segment_site(result.site, sources))
    report = build_status(result.site, result.lock, progress)
    if args.format == "json":
        print(json.dumps(status_as_json(report), ensure_ascii=False, indent=2))
    else:
        print(f"as of {result.site.as_of}\n")
        print(render_status(report, result.site.config.languages))
    return EXIT_OK


def _translate(args: argparse.Namespace, now: dt.datetime) -> int:
    if args.action == "import":
        # [SITE] FILE...: the site is the first path when it is a folder.
        paths = list(args.paths)
        args.site = paths.pop(0) if paths[0].is_dir() else Path(".")
        if not paths:
            print("policygen translate import: name the files to import", file=sys.stderr)
            return EXIT_USAGE
        args.files = paths
    result = _checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    sources, _ = read_site(args.site)
    texts = segment_site(result.site, sources)
    if args.action == "export":
        return _translate_export(args, result.site, texts)
    return _translate_import(args, result, sources, texts)


def _translate_export(args: argparse.Namespace, site: Site, texts: Texts) -> int:
    revisions, problems = export_revisions(site, args.language, args.policy, args.revision)
    cut = [p for r in revisions for s in r.sources for p in texts.of(s).problems]
    if problems or cut:
        print_problems([*problems, *cut])
        return EXIT_PROBLEMS
    if not revisions:
        print(
            f"policygen: every revision in force or to come is translated into {args.language}; name one with --revision to export it anyway",
            file=sys.stderr,
        )
        return EXIT_OK
    extension = "po" if args.format == "po" else "xlf"
    if len(revisions) > 1 and Path(args.output or ".").suffix.lower() in (".po", ".xlf", ".xliff"):
        print(
            f"policygen translate export: {len(revisions)} revisions to export, one file each: -o names a folder, not {args.output}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    output = Path(args.output or ".")
    is_folder = (
        args.output is None
        or args.output.endswith(("/", os.sep))
        or output.is_dir()
        or len(revisions) > 1
    )
    for revision in revisions:
        file = plan_export(site, texts, revision, args.language)
        text = write_po(file) if args.format == "po" else write_xliff(file)
        name = f"{file.policy}-{file.revision}-{file.language}.{extension}"
        path = output / name if is_folder else output
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_file(path, text)
        print(f"policygen: wrote {path}: {file.summary}", file=sys.stderr)
    return EXIT_OK


def _translate_import(
    args: argparse.Namespace, result: BuildResult, sources: SiteSources, texts: Texts
) -> int:
    problems: list[Problem] = []
    planned: list[ImportedText] = []
    for path in args.files:
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"policygen: {path}: cannot be read as UTF-8 text: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        is_xliff = path.suffix.lower() in (".xlf", ".xliff") or text.lstrip().startswith("<")
        file, read_problems = (read_xliff if is_xliff else read_po)(text, str(path))
        problems += read_problems
        if file is None:
            continue
        files, import_problems = plan_translation_import(
            result.site, sources, texts, result.lock, file, is_partial=args.partial
        )
        problems += import_problems
        planned += files
    if any(p.is_error for p in problems):
        print_problems(problems)
        print(f"policygen: nothing was imported: {count_problems(problems)}", file=sys.stderr)
        return EXIT_PROBLEMS
    for imported in planned:
        if imported.is_unchanged:
            print(f"policygen: {imported.path} is unchanged", file=sys.stderr)
            continue
        write_text_file(args.site / imported.path, imported.text)
        left = (
            f"; {imported.untranslated} segments left in {result.site.config.default_language}"
            if imported.untranslated
            else ""
        )
        print(f"policygen: wrote {imported.path}{left}", file=sys.stderr)
    return EXIT_OK


def _serve(args: argparse.Namespace, now: dt.datetime) -> int:
    from .serving import serve

    out = args.output if args.output is not None else args.site / "public"
    # The last build's cache lets serve start without rendering what that build did.
    cache = _loaded_cache(_cache_folder(args))
    return serve(
        args.site,
        out,
        host=args.host,
        port=args.port,
        as_of=args.as_of,
        cache=cache,
        debug=getattr(args, "debug", False),
    )


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
