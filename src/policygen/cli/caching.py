"""The build cache a command reads: which folder holds it, and what it holds."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..incremental.cache import BuildCache
from ..incremental.folder import (
    CacheFolderError,
    check_cache_folder,
    default_cache_folder,
    load_cache,
)


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
