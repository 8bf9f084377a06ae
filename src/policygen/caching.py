"""The build cache folder ↔ BuildCache: what one build keeps for the next (I/O: that folder only).

The cache makes a build that follows another render only what changed. It is keyed by
hashes of every input and of policygen's own code, so a cache made by another version is
ignored, and deleting the folder only makes the next build slower. It holds pickled
objects: treat it like the site's own files, and never restore one from an untrusted place.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

from .pipeline import BuildCache
from .sources import read_code_digest

CACHE_FOLDER = ".policygen-cache"
"""Where `policygen build` keeps its cache, in the site folder."""
CACHE_FILE = "build.pickle"
FORMAT = b"policygen build cache 1"
CACHEDIR_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n# policygen's build cache: safe to delete.\n"
)
"""Tells backup and archiving tools that the folder can be left out (bford.info/cachedir)."""


def load_cache(folder: Path) -> BuildCache:
    """The cache kept in `folder`; an empty one when there is none, or one made by other code."""
    try:
        with (folder / CACHE_FILE).open("rb") as file:
            # The header is read as bytes, so that a cache of other code is never unpickled.
            if file.readline() != _header():
                return BuildCache()
            cache = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return BuildCache()
    return cache if isinstance(cache, BuildCache) else BuildCache()


def save_cache(folder: Path, cache: BuildCache) -> None:
    """Keep `cache` in `folder` for the next build (written aside, then renamed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in ((".gitignore", b"*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        if not (folder / name).exists():
            (folder / name).write_bytes(content)
    staging = folder / f".{CACHE_FILE}.new-{os.getpid()}"
    try:
        with staging.open("wb") as file:
            file.write(_header())
            # Compiled templates compile again in a moment, and redlines are computed again
            # only for the diff pages that are made again: neither is worth its size on disk.
            kept = dataclasses.replace(cache, templates={}, redlines={})
            pickle.dump(kept, file, protocol=pickle.HIGHEST_PROTOCOL)
        staging.replace(folder / CACHE_FILE)
    finally:
        staging.unlink(missing_ok=True)


def cache_state(cache: BuildCache) -> tuple[object, ...]:
    """What `save_cache` would keep, in short: a build that leaves it equal needs no saving."""
    return (
        cache.output,
        dict(cache.files),
        dict(cache.parts),
        frozenset(cache.texts),
        frozenset(cache.manifest),
        frozenset(cache.assembly.policies),
        frozenset(cache.assembly.documents),
        frozenset(cache.part_keys),
    )


def _header() -> bytes:
    return FORMAT + b" " + read_code_digest().encode() + b"\n"
