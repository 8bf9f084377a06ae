"""new, init and import: the commands that write a site's sources (a new revision, a new
site, a text brought in from Word, a web page, Markdown or a git history)."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..assembly import has_text
from ..drafting import NewFile, first_title, plan_new_revision, render_front
from ..errors import BuildFailed, Problem, printable
from ..i18n import language_name, languages_without_catalog, parse_language
from ..output import write_new_files
from ..pipeline import build
from ..scaffold import (
    ACTION_PLACEHOLDER,
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
from ..templates import THEME
from .arguments import add_debug, add_site, as_date, language_option
from .reporting import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, checked, print_problems

if TYPE_CHECKING:
    from ..importing import Converted
    from ..importing.files import NotImportable
    from ..importing.git import Skipped

NEW_HELP = "start the next revision of a policy from its latest source-language text"


def add_new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("policy", metavar="POLICY", help="the policy id, e.g. privacy")
    add_site(parser)
    parser.add_argument(
        "--effective",
        type=as_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the date the new revision takes effect",
    )
    parser.add_argument(
        "--published",
        type=as_date,
        metavar="YYYY-MM-DD",
        help="the date it is announced (default: today)",
    )
    parser.add_argument(
        "--title",
        metavar="TITLE",
        help="the title of a new policy (default: from its id, e.g. privacy → Privacy Policy)",
    )


def run_new(args: argparse.Namespace, now: dt.datetime) -> int:
    result = checked(args, now)
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


def add_init_arguments(parser: argparse.ArgumentParser) -> None:
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
        "--action",
        metavar="OWNER/REPO@REF",
        default=ACTION_PLACEHOLDER,
        help="where the workflow finds policygen's GitHub Action: the repository you install policygen from, at a tag or commit (default: a placeholder to replace)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="add the files that are missing to a folder that is not empty (an existing file is never overwritten)",
    )
    add_debug(parser)


def _ask(question: str, default: str) -> str:
    answer = input(f"{question} [{default}]: ").strip()
    return answer or default


def run_init(args: argparse.Namespace, now: dt.datetime) -> int:
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
        action=args.action,
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
    if WORKFLOW not in kept and settings.action == ACTION_PLACEHOLDER:
        print(
            f"{WORKFLOW} checks and publishes the site on GitHub with policygen's action: "
            f"replace {ACTION_PLACEHOLDER} in it with the repository you install policygen from "
            "and a tag or commit of it (or run init with --action).",
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
    "bring an existing text in as a revision: a Word .docx file, a saved web page (.html), "
    "Markdown or plain text (.txt); or, with `import git REPO PATH`, every version of a Markdown "
    "or plain text file in a git history"
)


IMPORTABLE = {
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}


def add_import_file_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="a .docx, .html, .md or .txt file")
    add_site(parser)
    parser.add_argument("--policy", required=True, metavar="P", help="the policy id, e.g. privacy")
    parser.add_argument(
        "--effective",
        type=as_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the date the text takes effect (for a translation: its revision's)",
    )
    _import_options(parser)
    parser.add_argument(
        "--published",
        type=as_date,
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
    add_debug(parser)


def import_parser(is_git: bool) -> argparse.ArgumentParser:
    if not is_git:
        parser = argparse.ArgumentParser(prog="policygen import", description=IMPORT_HELP)
        add_import_file_arguments(parser)
        return parser
    parser = argparse.ArgumentParser(
        prog="policygen import git",
        description="bring in every version of a Markdown file in a git repository's history, one revision each",
    )
    parser.add_argument("git", choices=["git"], help=argparse.SUPPRESS)
    parser.add_argument("repository", type=Path, metavar="REPO", help="the git repository")
    parser.add_argument("path", metavar="PATH", help="the Markdown file's path in the repository")
    add_site(parser)
    parser.add_argument("--policy", required=True, metavar="P", help="the policy id, e.g. privacy")
    _import_options(parser)
    parser.add_argument(
        "--date-from",
        choices=("commit", "text"),
        default="commit",
        help="where each revision's effective date comes from: the commit's date (in the site's time zone) or a date line in the text, in its language, such as 'Effective date: September 1, 2022' or 'Vigente desde el 24 de marzo de 2026' (default: commit)",
    )
    parser.add_argument(
        "--translations",
        metavar="PATTERN",
        help="where the file's translations are, e.g. 'Policies/{language}/privacy.md'",
    )
    parser.add_argument(
        "--title",
        metavar="TEXT",
        help="the title of every version (default: each version's own; for versions without "
        "one, the policy's, made from its id)",
    )
    return parser


def run_import(args: argparse.Namespace, now: dt.datetime) -> int:
    # Imported here: the readers of Word and web pages are for this command alone.
    from ..importing.files import NotImportable, convert_file
    from ..importing.writer import Destination, plan_import

    if getattr(args, "git", None):
        return _import_git(args, now)
    result = checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    site = result.site
    name = str(args.file)
    kind = IMPORTABLE.get(args.file.suffix.lower())
    if kind is None:
        print(
            f"policygen: {name}: policygen imports Word (.docx), web pages (.html), Markdown (.md) and plain text (.txt), not '{args.file.suffix or args.file.name}' files",
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
        language=language_option(args.language, site.config),
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
    if args.title is None and converted.title is None and files[0].path.endswith("/policy.yaml"):
        print(
            f"The text gives itself no title (it has no first heading): its title is {first_title(args.policy)}, made from the policy id; give another with --title, or in 'title:' of the files written",
            file=sys.stderr,
        )
    if kind == "text":
        _print_reading([data.decode("utf-8")])
    print(
        "Next: read the new text against the original; write in 'summary:' what changed; preview with `policygen serve`;\n"
        "check with `policygen check`; when the text is final, run `policygen lock` and commit policies.lock with it.",
        file=sys.stderr,
    )
    return EXIT_OK


def _import_git(args: argparse.Namespace, now: dt.datetime) -> int:
    from ..importing.files import NotImportable
    from ..importing.git import (
        GitError,
        PlannedRevision,
        Skipped,
        TranslationReader,
        plan_history,
        read_versions,
        translation_ends,
    )
    from ..importing.writer import Destination, plan_import

    if args.translations is not None and "{language}" not in args.translations:
        # One file for every language: each would be published as every language's text.
        print(
            f"policygen: --translations {printable(args.translations)} names one file, not one "
            "for each language: write '{language}' where the language's tag is in its path, "
            "e.g. 'Policies/{language}/privacy.md'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    result = checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    site = result.site
    language = language_option(args.language, site.config)
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
    # Each version's text converted once: to compare versions, then to write it. A .txt
    # file's history is plain text, any other Markdown.
    is_plain = args.path.lower().endswith(".txt")
    converted_text = functools.cache(functools.partial(_converted, is_plain=is_plain))

    @functools.cache
    def reads_as(text: str) -> object:
        """What a text's readers get once it is imported: its title and its body's HTML, as a
        policy page shows it (itself if it cannot be imported). Open Terms Archive's records
        change how lists are written (`* ` to `*   `) or an image's address, which no page
        shows, and a formatter that breaks a paragraph's lines elsewhere changes no word a
        browser shows: such a version is no new revision."""
        converted = converted_text(text)
        if isinstance(converted, NotImportable):
            return text
        return converted.title, _as_shown(rendered_html(converted.body))

    planned, skipped = plan_history(
        versions, args.date_from, site.config.timezone, taken, reads_as, language
    )
    # The headings of every version move down as far as those of the one that moves most, so
    # that a first-level heading added to one version moves no other heading of its redline.
    shift = max(
        (
            converted.heading_shift
            for revision in planned
            if revision.version.text is not None
            and not isinstance(converted := converted_text(revision.version.text), NotImportable)
        ),
        default=0,
    )

    def converted_for_history(text: str, path: str) -> Converted | NotImportable:
        """The text as it is written, its headings moved as far as the history's, its links
        to its own page on the site it came from (`path`) made links to its sections."""
        converted = converted_text(text)
        if isinstance(converted, NotImportable):
            return converted
        return _converted(text, is_plain, max(shift, converted.heading_shift), path)

    files: dict[str, NewFile] = {}
    documents: dict[str, tuple[str, bool]] = {}
    """Each document's path → its commit, and whether it is a source text."""
    notes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    """(path, message) → (commit, note as printed), oldest version first."""
    imported: list[tuple[PlannedRevision, str]] = []
    translations = (
        [lang for lang in site.config.languages if lang != language] if args.translations else []
    )
    ends = translation_ends(versions, planned, reads_as) if translations else {}
    reader = TranslationReader(
        args.repository, args.translations or "", translations, language, reads_as, versions
    )
    later: dict[str, dict[tuple[str, dt.datetime], list[str]]] = {}
    removed: dict[str, dict[tuple[str, dt.datetime], list[str]]] = {}
    is_untitled = True
    """No version gives itself a title."""
    titles: dict[str, str] = {}
    """Each language's title, as the latest revision with a text in it gives it."""
    for revision in planned:
        version = revision.version
        short = version.commit[:7]
        texts = [(language, version.path, version.text)]
        if translations:
            try:
                found = reader.read(version, ends[version.commit])
            except GitError as exc:
                print(f"policygen: {args.repository}: {exc}", file=sys.stderr)
                return EXIT_PROBLEMS
            texts += found.texts
            skipped += found.skipped
            later[version.commit] = found.later
            removed[version.commit] = found.removed
        for text_language, path, text in texts:
            assert text is not None
            converted = converted_for_history(text, path)
            is_source = text_language == language
            if isinstance(converted, NotImportable) or not has_text(converted.body):
                # Front matter alone: how some sites mark a page not translated yet.
                why = converted if isinstance(converted, NotImportable) else "it has no text"
                then = (
                    "the version is left out"
                    if is_source
                    else f"readers get the {language} text with a notice"
                )
                skipped.append(Skipped(short, f"{printable(path)}: {why}: {then}"))
                if is_source:
                    break  # its translations would be a revision without its source text
                continue
            destination = Destination(
                policy_id=args.policy,
                effective=revision.effective,
                language=text_language,
                region=args.region,
                published=revision.published,
                summary=version.subject if is_source else None,
                title=args.title if is_source else None,
            )
            if is_source and converted.title is not None:
                is_untitled = False
            if (title := destination.title or converted.title) is not None:
                titles[text_language] = title
            planned_files, problems = plan_import(site, converted, destination, with_source=True)
            if problems:
                print_problems(problems)
                return EXIT_PROBLEMS
            for file in planned_files:
                files.setdefault(file.path, file)
            for note in converted.notes:
                told = note.render(f"{short}:{printable(path)}")
                notes.setdefault((path, note.message), []).append((short, told))
            documents[planned_files[-1].path] = (short, is_source)
            if is_source:
                imported.append((revision, planned_files[-1].path))
    if not imported:
        for skip in skipped:
            print(f"  {skip.commit}: {skip.reason}", file=sys.stderr)
        print(f"policygen: no version of {args.path} was left to import", file=sys.stderr)
        return EXIT_PROBLEMS
    policy_file = f"content/{args.policy}/policy.yaml"
    if policy_file in files and titles:
        # The policy's name in each language is its latest text's title, as the pages around
        # its texts show it: the first source text's title alone named the policy in Korean on
        # its Japanese pages, and 'Agreement 1.0.0' on the pages of its 2.0.0 text.
        named = {lang: titles[lang] for lang in site.config.languages if lang in titles}
        one: object = named if len(set(named.values())) > 1 else next(iter(named.values()))
        files[policy_file] = NewFile(policy_file, render_front({"title": one}))
    left_out = _write_history(args.site, files, documents, now)
    if left_out is None:
        return EXIT_PROBLEMS
    skipped += left_out
    imported = [(revision, path) for revision, path in imported if path in files]
    print(
        f"policygen: imported {len(imported)} revision{'s' if len(imported) != 1 else ''} of '{args.policy}' from {args.path} ({len(files)} files):",
        file=sys.stderr,
    )
    zone = ZoneInfo(site.config.timezone)
    for revision, _ in imported:
        version = revision.version
        where = f"  (as {printable(version.path)})" if version.path != args.path else ""
        if version.included:
            names = ", ".join(printable(name) for name in version.included)
            where += f"  (its words from {names}, which it includes)"
        print(
            f"  {revision.effective}  {version.commit[:7]}  {printable(version.subject)}{where}",
            file=sys.stderr,
        )
        for (commit, committed_at), languages in later.get(revision.version.commit, {}).items():
            when = committed_at.astimezone(zone).date()
            print(
                f"              {', '.join(languages)}: translated later, in {commit[:7]} ({when})",
                file=sys.stderr,
            )
        for (commit, committed_at), languages in removed.get(revision.version.commit, {}).items():
            when = committed_at.astimezone(zone).date()
            print(
                f"              {', '.join(languages)}: removed later, in {commit[:7]} ({when}): the text until then is imported",
                file=sys.stderr,
            )
    if skipped:
        print(f"Skipped ({len(skipped)}):", file=sys.stderr)
        for line in _skipped_lines(skipped):
            print(line, file=sys.stderr)
    if notes:
        latest = _latest_notes(notes.values())
        print(f"Not carried over as it was ({len(latest)}):", file=sys.stderr)
        for line in latest:
            print(f"  {printable(line)}", file=sys.stderr)
    if args.title is None and is_untitled and any(p.endswith("/policy.yaml") for p in files):
        print(
            f"The texts give themselves no title (they have no first heading): their title is {first_title(args.policy)}, made from the policy id; give another with --title, or in 'title:' of the files written",
            file=sys.stderr,
        )
    if is_plain:
        versions_read = [revision.version for revision, _ in imported]
        _print_reading(
            [version.text or "" for version in versions_read],
            [version.commit[:7] for version in versions_read],
        )
    print(
        "Next: read the texts; preview with `policygen serve`; check with `policygen check`;\n"
        "then run `policygen lock` and commit policies.lock with them.",
        file=sys.stderr,
    )
    return EXIT_OK


REPEATS_LISTED = 2
"""How many versions a reason is listed with one by one; for more, it is said once."""
COMMITS_A_LINE = 8
"""How many commits a line names where a kind of reason is said once for many."""


def _skipped_lines(skipped: Sequence[Skipped]) -> list[str]:
    """The lines that list what import git left out: a reason shared by more than
    `REPEATS_LISTED` versions said once, where the first of them stood, with how many they
    are and the first and last: Delta Chat's FAQ was translated into Persian in the last of
    its 156 versions, and the list said 155 times that a version had no Persian text. The
    reasons of a kind (a version replaced by a later one of the same day, 170 times in its
    409 commits) are said once, with every commit they left out."""
    commits: dict[str, list[str]] = {}
    for skip in skipped:
        commits.setdefault(skip.kind or skip.reason, []).append(skip.commit)
    lines = []
    said: set[str] = set()
    for skip in skipped:
        key = skip.kind or skip.reason
        shared = commits[key]
        if len(shared) <= REPEATS_LISTED:
            lines.append(f"  {skip.commit}: {skip.reason}")
        elif key in said:
            continue
        elif skip.kind is not None:
            said.add(key)
            lines.append(f"  {len(shared)} versions: {skip.kind}:")
            for start in range(0, len(shared), COMMITS_A_LINE):
                lines.append("    " + ", ".join(shared[start : start + COMMITS_A_LINE]))
        else:
            said.add(key)
            lines.append(f"  {len(shared)} versions, {shared[0]} to {shared[-1]}: {skip.reason}")
    return lines


PREFORMATTED = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)


def _as_shown(html: str) -> str:
    """HTML with each run of spaces and line breaks one space, as a browser shows it, but in
    code, which keeps them: Hackers' Pub's policies were formatted anew, their paragraphs'
    lines broken elsewhere, and every version of the five languages became a revision."""
    pieces = PREFORMATTED.split(html)
    return "".join(p if i % 2 else re.sub(r"\s+", " ", p) for i, p in enumerate(pieces))


def rendered_html(body: str) -> str:
    """The HTML a policy page shows of an imported text's body."""
    from ..canonical import CanonicalText
    from ..errors import SourceLocation
    from ..markdown import render_markdown

    lines = tuple(range(1, body.count("\n") + 2))
    return render_markdown(CanonicalText(body, lines), SourceLocation("")).html


def _converted(
    text: str, is_plain: bool, heading_shift: int = 0, path: str | None = None
) -> Converted | NotImportable:
    """A Markdown (or .txt) text converted for import, or why it cannot be; `path`, where it
    is in its repository, as `convert_markdown` takes it."""
    from ..importing.files import NotImportable, convert_source

    try:
        return convert_source(text, "text" if is_plain else "markdown", heading_shift, path)
    except NotImportable as exc:
        return exc


def _print_reading(texts: Sequence[str], names: Sequence[str] = ()) -> None:
    """How .txt texts were read: as plain text, or as Markdown (naming those texts, when
    `names` names them)."""
    from ..importing.text import MARKDOWN_READING, READING, is_markdown

    in_markdown = [index for index, text in enumerate(texts) if is_markdown(text)]
    if len(in_markdown) < len(texts):
        print(READING, file=sys.stderr)
    if in_markdown and names:
        print(f"{MARKDOWN_READING}: {', '.join(names[i] for i in in_markdown)}", file=sys.stderr)
    elif in_markdown:
        print(f"{MARKDOWN_READING}.", file=sys.stderr)


def _latest_notes(alike: Iterable[list[tuple[str, str]]]) -> list[str]:
    """Each note once, as the latest version that has it gives it, counting the earlier
    versions that had it too: an archive of a web page repeats its oddities in every version
    (seven versions of a text, four notes each, made twenty-eight lines of four notes)."""
    told = []
    for found in alike:
        last = found[-1][0]
        earlier = len({commit for commit, _ in found} - {last})
        also = (
            f" (also in {earlier} earlier version{'s' if earlier > 1 else ''})" if earlier else ""
        )
        told += [note + also for commit, note in found if commit == last]
    return told


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
    errors = _write_if_checked(site, files, now)
    if errors:
        _print_import_problems(errors, {f.path for f in files})
        print("policygen: the imported text has errors: nothing was imported", file=sys.stderr)
        return False
    return True


def _write_if_checked(site: Path, files: Sequence[NewFile], now: dt.datetime) -> list[Problem]:
    """Write new source files and print their warnings, or, if the site then has errors,
    take them back out and return the problems."""
    targets = [site.joinpath(f.path) for f in files]
    new_folders = {folder for target in targets for folder in target.parents if not folder.exists()}
    write_new_files(site, [(f.path, f.text) for f in files])
    written = {f.path for f in files}
    try:
        checked = build(site, None, now=now, jobs=os.cpu_count() or 1)
    except BuildFailed as failed:
        for target in targets:
            target.unlink()
        for folder in sorted(new_folders, key=lambda f: len(f.parts), reverse=True):
            folder.rmdir()
        return list(failed.problems)
    _print_import_problems(checked.warnings, written)
    return []


MOST_TRIES = 3
"""How many times an import of a history checks what it would write, leaving out the texts
the check before found errors in."""


def _write_history(
    site: Path,
    files: dict[str, NewFile],
    texts: Mapping[str, tuple[str, bool]],
    now: dt.datetime,
) -> list[Skipped] | None:
    """Write a history's files, leaving out each text the check finds errors in (with its
    revision, for a source text) rather than the whole history: a stranger's repository may
    hold one version that names a region the site does not have. `texts` gives each
    document's commit and whether it is a source text; `files` loses what is left out.
    The versions left out, or None when nothing was written."""
    from ..importing.git import Skipped

    skipped: list[Skipped] = []
    for attempt in range(1, MOST_TRIES + 1):
        errors = _write_if_checked(site, list(files.values()), now)
        if not errors:
            return skipped
        failing = dict.fromkeys(p.location.path for p in errors if p.is_error)
        if attempt == MOST_TRIES or not all(path in texts for path in failing):
            break  # or an error of the site, or of a file that is no text (policy.yaml)
        # Source texts first: a translation of a version left out goes with it.
        for path in sorted(failing, key=lambda path: (not texts[path][1], path)):
            commit, is_source = texts[path]
            if path not in files:
                continue
            first = next(p for p in errors if p.location.path == path and p.is_error)
            if is_source:
                folder = path.rsplit("/", 1)[0] + "/"
                for name in [name for name in files if name.startswith(folder)]:
                    del files[name]
                then = "the version is left out"
            else:
                del files[path]
                then = "readers get the source text with a notice"
            skipped.append(Skipped(commit, f"its text has errors once imported ({first}): {then}"))
        if not any(is_source for path, (_, is_source) in texts.items() if path in files):
            break
    _print_import_problems(errors, set(files))
    print("policygen: the imported texts have errors: nothing was imported", file=sys.stderr)
    return None


def _print_import_problems(problems: Sequence[Problem], written: set[str]) -> None:
    """Every error, and the warnings of the files an import wrote: the rest of the site's
    warnings were there before it, and would be printed again by every import of a series
    (or bury the one error that made an import fail among a hundred lines)."""
    warnings = [p for p in problems if not p.is_error and p.code != "not-locked"]
    shown = [p for p in warnings if p.location.path in written]
    print_problems(sorted([p for p in problems if p.is_error] + shown, key=Problem.sort_key))
    elsewhere = len(warnings) - len(shown)
    if elsewhere:
        print(
            f"policygen: the site has {elsewhere} other warning{'s' if elsewhere != 1 else ''}: `policygen check` lists them",
            file=sys.stderr,
        )
