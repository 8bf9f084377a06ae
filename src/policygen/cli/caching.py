"""The build cache a command reads: which folder holds it, and what it holds."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..incremental.cache import BuildCache
from ..incremental.folder import (
    CACHE_FILE,
    CacheFolderError,
    check_cache_folder,
    default_cache_folder,
    load_cache,
)
from ..incremental.store import CacheDamaged

R = TypeVar("R")


def cache_folder_of(args: argparse.Namespace, command: str = "build") -> Path | None:
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
        print(f"policygen: {exc}; this {command} uses no cache", file=sys.stderr)
        return None
    return folder


def loaded_cache(folder: Path | None, without: str = "this build makes every page") -> BuildCache:
    """The cache kept in `folder` (an empty one for None); a cache file that cannot be used
    is told in one line, which ends by what the command does `without` it."""
    if folder is None:
        return BuildCache()
    cache, notice = load_cache(folder)
    if notice is not None:
        print(f"{notice}; {without}", file=sys.stderr)
    return cache


def with_cache(
    run: Callable[[BuildCache | None], R],
    cache: BuildCache | None,
    folder: Path | None,
    without: str,
    anew: Callable[[], BuildCache | None] = lambda: None,
) -> tuple[R, BuildCache | None]:
    """`run(cache)`, and the cache it ran with. A text the cache holds that is not the one
    its SHA-256 names (found as it is read) is told in one line, which ends by what the
    command does `without` the cache, and `run` starts again with `anew()`."""
    try:
        return run(cache), cache
    except CacheDamaged as damaged:
        assert folder is not None  # only a cache file's texts are read so
        print(
            f"policygen: the build cache at {folder / CACHE_FILE} {damaged} and is ignored; {without}",
            file=sys.stderr,
        )
        cache = anew()
        return run(cache), cache
