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
import dataclasses
import datetime as dt
import hashlib
import json
import os
import stat
import time
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..output import SETTLED, Written, read_stamp, stamp_of

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
class OutputFiles:
    """The files of an output folder as a build left them."""

    stamped: str
    """SHA-256 of the paths and stamps of the files that have a stamp."""
    fresh: list[tuple[str, str, int]]
    """(path, SHA-256, size) of the others, changed too recently to be known by their
    stamp when the build ended: known by their bytes instead."""


@dataclass(frozen=True, slots=True)
class LastBuild:
    """A successful build, as `replay` compares it with the present."""

    asked: Asked
    sources: str
    """SHA-256 of the site's entries and their stamps (see `list_sources`)."""
    output: OutputFiles
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


def check_output(out: Path, last: OutputFiles, now_ns: int) -> OutputFiles | None:
    """None when the output folder does not hold exactly the files of `last`: the stamped
    ones with their stamps, the others with their bytes (read and hashed), and nothing but
    folders besides. Else `last` as it is now: those of the others that have not changed
    for two seconds before `now_ns` are stamped."""
    fresh = {path: Written(digest, size) for path, digest, size in last.fresh}
    stamped: dict[str, tuple[int, ...]] = {}
    settled: dict[str, tuple[int, ...]] = {}
    still: list[tuple[str, str, int]] = []
    buffer = bytearray(2**20)
    try:
        for relative, found in _walk(out, ""):
            if stat.S_ISDIR(found.st_mode):
                continue
            if not stat.S_ISREG(found.st_mode):
                return None
            record = fresh.pop(relative, None)
            if record is None:
                stamped[relative] = stamp_of(found)
                continue
            stamp = read_stamp(str(out / relative), record, buffer)
            if stamp is None:
                return None  # not the bytes the build wrote
            if stamp[-1] <= now_ns - SETTLED:
                settled[relative] = stamp
            else:
                still.append((relative, record.digest, record.size))
    except OSError:
        return None
    if fresh or _digest_of(stamped) != last.stamped:
        return None  # a file missing, added, or changed
    return OutputFiles(_digest_of({**stamped, **settled}), still)


def output_of(files: Mapping[str, Written]) -> OutputFiles:
    """What `check_output` compares an output folder holding `files` with."""
    stamped = {path: record.stamp for path, record in files.items() if record.stamp}
    fresh = [(path, r.digest, r.size) for path, r in sorted(files.items()) if not r.stamp]
    return OutputFiles(_digest_of(stamped), fresh)


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
    """The last build, when the site, the output and what is asked are all as it left them
    (kept again if files of the output are now known by their stamps)."""
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
    now_ns = time.time_ns()
    if list_sources(Path(asked.site), now_ns) != last.sources:
        return None
    output = check_output(Path(asked.out), last.output, now_ns)
    if output is None:
        return None
    if output != last.output:
        with contextlib.suppress(OSError):
            remember(folder, dataclasses.replace(last, output=output))
    return last


def _read(path: Path) -> LastBuild | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        asked = Asked(**data.pop("asked"))
        kept = data.pop("output")
        fresh = [(str(p), str(d), int(n)) for p, d, n in kept.pop("fresh")]
        output = OutputFiles(fresh=fresh, **kept)
        last = LastBuild(asked=asked, output=output, **data)
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return None  # absent, damaged or of another version: a build as usual
    fields: Sequence[tuple[object, type]] = [
        (asked.key, str),
        (asked.site, str),
        (asked.out, str),
        (asked.pdf, bool),
        (last.sources, str),
        (output.stamped, str),
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
