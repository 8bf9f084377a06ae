"""Rendered files → the output folder, written aside and swapped in whole (the only writer)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
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


def write_output(files: Iterable[tuple[str, bytes]], out: Path) -> int:
    """Write every file under a fresh folder beside `out`, then put it in place of `out`."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.new-{os.getpid()}")
    retired = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    written: set[str] = set()
    try:
        for path, content in files:
            if path in written:
                raise OutputError(f"two pages want the same path {path}")
            parts = PurePosixPath(path).parts
            if PurePosixPath(path).is_absolute() or ".." in parts:
                raise OutputError(f"refusing to write {path} outside the output folder")
            written.add(path)
            target = staging.joinpath(*parts)
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
