"""A site and an output folder exactly as the last build left them → that build's report,
without building.

After a successful `policygen build` with a cache folder, `remember` writes LAST_BUILD
there: what the build read (every file and folder policygen reads in the site folder, by its
stamp: device, inode, size, modification and change times, taken before the build read
them), what it was asked (the output folder, the date, the base URL, PDFs, the running
policygen's environment key), what it left (every file of the output by its stamp, as the
build cache records it) and what it printed (its warnings and counts).

`replay` finds the same: the same entries with the same stamps in the site folder, the
output folder holding exactly the same files with the same stamps, the same date. The build
would then read the same bytes, make the same bytes and print the same words: it is not run.
No change to a file keeps its change time (see `output.Written.stamp`), so a file that has
its stamp has its bytes; a file changed less than two seconds before it was stamped could
keep its stamp through a change in the same tick of the clock, so a listing holding one is
not remembered. What is remembered is only a shortcut: anything that does not match exactly
(a file, the date, an option, the version of policygen or of a library, a damaged record)
means a build as usual.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..output import SETTLED, Written, stamp_of

LAST_BUILD = "last-build.json"
SOURCE_FOLDERS = ("content", "locales", "templates")
"""The folders of a site that policygen reads, besides site.yaml and policies.lock."""
SOURCE_FILES = ("site.yaml", "policies.lock")


@dataclass(frozen=True, slots=True)
class Asked:
    """What a build was asked to do, besides reading the site."""

    key: str
    """The environment key of the running policygen, Python and libraries."""
    site: str
    out: str
    as_of: str | None
    """--as-of, when given."""
    base_url: str | None
    pdf: bool


@dataclass(frozen=True, slots=True)
class LastBuild:
    """A successful build, as `replay` compares it with the present."""

    asked: Asked
    sources: str
    """SHA-256 of the site's entries and their stamps (see `list_sources`)."""
    output: str
    """SHA-256 of the output's files and their stamps (see `list_output`)."""
    as_of: str
    """The date the build was made as of."""
    timezone: str
    """The site's time zone, in which today is the date without --as-of."""
    warnings: list[str]
    pages: int
    files: int


def list_sources(site: Path, now_ns: int) -> str | None:
    """SHA-256 of every entry policygen reads in `site` (site.yaml, policies.lock, and all
    that content/, locales/ and templates/ hold) with its stamp; None when one changed less
    than two seconds before `now_ns`, which a stamp does not tell apart from the same tick."""
    digest = hashlib.sha256()
    try:
        entries = list(_site_entries(site))
    except OSError:
        return None  # a folder that cannot be read: the build says why
    for relative, found in entries:
        if found is None:
            digest.update(f"{relative}\0absent\n".encode("utf-8", "surrogateescape"))
            continue
        if found.st_ctime_ns > now_ns - SETTLED:
            return None
        digest.update(f"{relative}\0{stamp_of(found)}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def list_output(out: Path) -> tuple[str, int] | None:
    """SHA-256 of every file of the output folder with its stamp, and how many there are;
    None when it holds anything but folders and regular files."""
    records: dict[str, tuple[int, ...]] = {}
    try:
        for relative, found in _walk(out, ""):
            if found.st_mode & 0o170000 == 0o040000:
                continue
            if found.st_mode & 0o170000 != 0o100000:
                return None
            records[relative] = stamp_of(found)
    except OSError:
        return None
    return _digest_of(records), len(records)


def output_of(files: Mapping[str, Written]) -> tuple[str, int] | None:
    """What `list_output` finds in an output holding `files` (None: one was not stamped)."""
    if not all(record.stamp for record in files.values()):
        return None
    return _digest_of({path: record.stamp for path, record in files.items()}), len(files)


def remember(folder: Path, last: LastBuild) -> None:
    """Keep `last` in the cache folder (written aside, then renamed)."""
    staging = folder / f".{LAST_BUILD}.new-{os.getpid()}"
    try:
        staging.write_text(json.dumps(asdict(last), sort_keys=True), encoding="utf-8")
        staging.replace(folder / LAST_BUILD)
    finally:
        staging.unlink(missing_ok=True)


def forget(folder: Path) -> None:
    """Remove what `remember` kept: the next build is a build."""
    with contextlib.suppress(OSError):
        (folder / LAST_BUILD).unlink(missing_ok=True)


def replay(folder: Path, asked: Asked, now: dt.datetime) -> LastBuild | None:
    """The last build, when the site, the output and what is asked are all as it left them."""
    last = _read(folder / LAST_BUILD)
    if last is None or last.asked != asked:
        return None
    if asked.as_of is None:
        try:
            today = now.astimezone(zoneinfo.ZoneInfo(last.timezone)).date().isoformat()
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            return None
        if today != last.as_of:
            return None
    now_ns = int(now.timestamp() * 1e9)
    if list_sources(Path(asked.site), now_ns) != last.sources:
        return None
    if list_output(Path(asked.out)) != (last.output, last.files):
        return None
    return last


def _read(path: Path) -> LastBuild | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        asked = Asked(**data.pop("asked"))
        last = LastBuild(asked=asked, **data)
    except (OSError, ValueError, TypeError, AttributeError):
        return None  # absent, damaged or of another version: a build as usual
    fields: Sequence[tuple[object, type]] = [
        (asked.key, str),
        (asked.site, str),
        (asked.out, str),
        (asked.pdf, bool),
        (last.sources, str),
        (last.output, str),
        (last.as_of, str),
        (last.timezone, str),
        (last.pages, int),
        (last.files, int),
        (last.warnings, list),
    ]
    if not all(type(value) is kind for value, kind in fields):
        return None
    if not all(type(line) is str for line in last.warnings):
        return None
    return last


def _site_entries(site: Path) -> Iterator[tuple[str, os.stat_result | None]]:
    for name in SOURCE_FILES:
        try:
            yield name, os.lstat(site / name)
        except FileNotFoundError:
            yield name, None
    for name in SOURCE_FOLDERS:
        try:
            found = os.lstat(site / name)
        except FileNotFoundError:
            yield name, None
            continue
        yield name, found
        if found.st_mode & 0o170000 == 0o040000:
            yield from _walk(site / name, f"{name}/")


def _walk(folder: Path, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    """Every entry under `folder`, sorted, by its path relative to the walk's start; folders
    are entered, links are not followed."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        found = entry.stat(follow_symlinks=False)
        yield prefix + entry.name, found
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), f"{prefix}{entry.name}/")


def _digest_of(records: Mapping[str, tuple[int, ...]]) -> str:
    digest = hashlib.sha256()
    for path in sorted(records):
        digest.update(f"{path}\0{records[path]}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
