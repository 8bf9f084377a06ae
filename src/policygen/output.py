"""Rendered files → the output folder, written aside and swapped in whole (the only writer)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Container, Iterable
from pathlib import Path, PurePosixPath

OUTPUT_MARKERS = ("404.html", "sitemap.xml")
"""Files every policygen output has: a folder without them is not replaced."""


class OutputError(Exception):
    """The output folder cannot be written safely."""


def check_output_folder(out: Path, site: Path) -> None:
    """Refuse output folders whose replacement would destroy something that is not an output."""
    out, site = out.resolve(), site.resolve()
    if out == site or site.is_relative_to(out):
        raise OutputError(
            f"the output folder {out} contains the site's sources: choose another with -o"
        )
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output {out} is a file, not a folder")
    if (
        out.is_dir()
        and any(out.iterdir())
        and not all((out / name).exists() for name in OUTPUT_MARKERS)
    ):
        raise OutputError(
            f"{out} is not empty and was not written by policygen: policygen replaces its output folder whole, so it will not use this one"
        )


def _checked(files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """The files by path, refusing a path given twice or leading out of the output folder."""
    wanted: dict[str, bytes] = {}
    for path, content in files:
        _check_path(path, wanted)
        wanted[path] = content
    return wanted


def _check_path(path: str, seen: Container[str]) -> None:
    if path in seen:
        raise OutputError(f"two pages want the same path {path}")
    if PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts:
        raise OutputError(f"refusing to write {path} outside the output folder")


def sync_output(files: Iterable[tuple[str, bytes]], out: Path) -> int:
    """Bring `out` in line with `files` in place, writing only what changed (for serve's rebuilds)."""
    out = out.resolve()
    wanted = _checked(files)
    for path, content in wanted.items():
        target = out.joinpath(*PurePosixPath(path).parts)
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    for stale in sorted(out.rglob("*"), reverse=True):
        relative = stale.relative_to(out).as_posix()
        if stale.is_file() and relative not in wanted:
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()
    return len(wanted)


def write_output(files: Iterable[tuple[str, bytes]], out: Path) -> int:
    """Write every file under a fresh folder beside `out`, then put it in place of `out`."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.new-{os.getpid()}")
    retired = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        written: set[str] = set()
        for path, content in files:  # as they come: a build does not hold every page
            _check_path(path, written)
            written.add(path)
            target = staging.joinpath(*PurePosixPath(path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if out.exists():
            out.rename(retired)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out.exists():
            retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return len(written)


def write_text_file(path: Path, text: str) -> None:
    """Replace one file of the site (policies.lock) whole: written aside, then renamed."""
    staging = path.with_name(f".{path.name}.new-{os.getpid()}")
    staging.write_text(text, encoding="utf-8", newline="\n")
    staging.replace(path)


def write_new_files(site: Path, files: Iterable[tuple[str, str]]) -> None:
    """Create source files in the site folder, refusing to overwrite any."""
    site = site.resolve()
    targets = [(site.joinpath(*PurePosixPath(path).parts), text) for path, text in files]
    for target, _ in targets:
        if not target.resolve().is_relative_to(site):
            raise OutputError(f"refusing to write {target} outside the site folder")
        if target.exists():
            raise OutputError(f"{target} exists already: policygen never overwrites a source file")
    for target, text in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
