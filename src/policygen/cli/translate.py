"""translate export and translate import: translators' files (PO, XLIFF) of a site's revisions."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, SourceLocation, describe_os_error, error
from ..model import Site
from ..output import write_text_file
from ..pipeline import CheckedSite
from ..sources import SiteSources
from .arguments import add_as_of, add_debug, add_site, language_option
from .reporting import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, checked, count_problems, print_problems

if TYPE_CHECKING:
    from ..translation.exchange import ImportedText, Texts


def add_translate_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    about = "translators' files: PO or XLIFF of a revision, filled from the site's translations"
    translate = commands.add_parser("translate", help=about, description=about)
    actions = translate.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write the file to translate of each revision whose translation is missing or partial",
        description="Write one PO file (or XLIFF 2.0) per revision to translate into LANGUAGE: "
        "every segment of the source text, filled from the site's own translations.",
    )
    add_site(export)
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
        add_as_of(sub, "the date that decides which revision is in force (default: today)")
        add_debug(sub)


def run_translate(args: argparse.Namespace, now: dt.datetime) -> int:
    from ..translation.exchange import Texts

    if args.action == "import":
        # [SITE] FILE...: the site is the first path when it is a folder.
        paths = list(args.paths)
        args.site = paths.pop(0) if paths[0].is_dir() else Path(".")
        if not paths:
            print("policygen translate import: name the files to import", file=sys.stderr)
            return EXIT_USAGE
        args.files = paths
    result = checked(args, now)
    if result is None:
        return EXIT_PROBLEMS
    texts = Texts(result.site, result.sources, result.rendered)
    if args.action == "export":
        return _translate_export(args, result.site, texts)
    return _translate_import(args, result, result.sources, texts)


def _translate_export(args: argparse.Namespace, site: Site, texts: Texts) -> int:
    from ..translation.exchange import export_revisions, plan_export, site_memory, source_files
    from ..translation.memory import Comparing, comparing_note
    from ..translation.po import write_po
    from ..translation.xliff import write_xliff

    language = language_option(args.language, site.config)
    revisions, problems = export_revisions(site, language, args.policy, args.revision)
    # Only the source text is exported: a translation that cannot be cut gives the memory
    # less, and is no reason to refuse this export.
    default, regions = site.config.default_language, site.config.region_ids
    cut = [
        p
        for revision in revisions
        for source in source_files(revision, default, regions)
        for p in texts.of(source).problems
    ]
    if problems or cut:
        print_problems([*problems, *cut])
        return EXIT_PROBLEMS
    if not revisions:
        print(
            f"policygen: every revision in force or to come is translated into {language}; name one with --revision to export it anyway",
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
    # One memory for every revision exported: it is the site's, whatever the revision.
    memory = site_memory(site, texts, language)
    comparing = Comparing()
    for revision in revisions:
        file = plan_export(site, texts, memory, revision, language, comparing)
        text = write_po(file) if args.format == "po" else write_xliff(file)
        name = f"{file.policy}-{file.revision}-{file.language}.{extension}"
        path = output / name if is_folder else output
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_file(path, text)
        print(f"policygen: wrote {path}: {file.summary}", file=sys.stderr)
    if comparing.cut:
        print(f"policygen: {comparing_note(comparing.cut)}", file=sys.stderr)
    return EXIT_OK


_DECLARED = re.compile(rb"""(?:charset=|encoding=["'])([A-Za-z0-9._:-]{1,40})""")


def _not_utf8(path: str, data: bytes, exc: UnicodeDecodeError) -> Problem:
    """A translators' file that is not UTF-8, at the line of its first byte that is not."""
    line = data[: exc.start].count(b"\n") + 1
    declared = _DECLARED.search(data)
    says = (
        f" (it says it is {declared[1].decode('ascii')}; policygen reads translators' files as UTF-8, as it writes them)"
        if declared and declared[1].lower().replace(b"-", b"") != b"utf8"
        else ""
    )
    return error(
        SourceLocation(path, line),
        "not-utf8",
        f"this file is not UTF-8 text{says}: save it with the UTF-8 encoding",
    )


def _translate_import(
    args: argparse.Namespace, result: CheckedSite, sources: SiteSources, texts: Texts
) -> int:
    from ..translation.exchange import plan_translation_import
    from ..translation.po import read_po
    from ..translation.xliff import read_xliff

    problems: list[Problem] = []
    planned: list[ImportedText] = []
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"policygen: {describe_os_error(exc)}", file=sys.stderr)
            return EXIT_PROBLEMS
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            problems.append(_not_utf8(str(path), data, exc))
            continue
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
