"""The build cache folder ↔ BuildCache: where it lies, reading it, keeping it (I/O: that folder only).

The cache makes a build that follows another render only what changed. It lies outside the
site folder, in the user's cache folder, where a pull request cannot put one: a cache folder
inside the site is never used. It holds data only (incremental.store), checked before use,
and made with the same policygen, Python and libraries; deleting it only makes the next
build slower. Beside the cache file lie the rendered texts' HTML (incremental.texts) and the
output before last, which the next build brings up to date rather than writing every file
anew (output.Spare).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from ..replacement import exchange, is_running
from .cache import BuildCache
from .environment import environment_key
from .store import CacheRefused, read_cache, write_cache
from .texts import HtmlFolder

CACHE_FILE = "build.cache"
RECYCLED = f".{CACHE_FILE}.recycled"
"""The cache file a save replaced, whose blocks the next save writes into."""
CACHEDIR_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n# policygen's build cache: safe to delete.\n"
)
"""Tells backup and archiving tools that the folder can be left out (bford.info/cachedir)."""


class CacheFolderError(Exception):
    """A cache folder policygen will not use."""


def default_cache_folder(site: Path, environ: Mapping[str, str]) -> Path:
    """policygen/<SHA-256 of the site folder's resolved path> in the user's cache folder:
    $XDG_CACHE_HOME, else ~/.cache."""
    base = Path(environ.get("XDG_CACHE_HOME", ""))
    if not base.is_absolute():  # the XDG specification: a relative path is to be ignored
        base = Path.home() / ".cache"
    return base / "policygen" / hashlib.sha256(str(site.resolve()).encode()).hexdigest()


def check_cache_folder(folder: Path, site: Path) -> None:
    """Refuse a cache folder inside the site folder, which a pull request could fill; one
    that holds the site folder; and one that holds anything but a build cache: a cache tags
    its folder for backup tools to leave out (CACHEDIR.TAG), and replaces what its `spare/`
    holds (`--cache-dir ~` would have a backup leave out the whole home folder)."""
    try:
        resolved, site_folder = folder.resolve(), site.resolve()
        is_foreign = resolved.is_dir() and any(resolved.iterdir()) and not _holds_a_cache(resolved)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        raise CacheFolderError(f"the cache folder {folder} cannot be used ({exc})") from None
    if resolved.is_relative_to(site_folder):
        raise CacheFolderError(
            f"the cache folder {folder} is inside the site folder, where a pull request could put a cache: choose one outside it"
        )
    if site_folder.is_relative_to(resolved):
        raise CacheFolderError(
            f"the cache folder {folder} holds the site folder: choose a folder of its own for the cache"
        )
    if is_foreign:
        raise CacheFolderError(
            f"the cache folder {folder} holds files that are not a policygen build cache: choose an empty or new folder (a cache tags its folder for backup tools to leave out)"
        )


def tag_cache_folder(folder: Path) -> None:
    """Make `folder` a cache folder, tagged as one, before anything is kept there: `serve`
    keeps its texts' HTML and a spare output there, and saves no cache file, and a folder
    holding them untagged was refused by every later build as not a cache's."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "CACHEDIR.TAG").exists():
        (folder / "CACHEDIR.TAG").write_bytes(CACHEDIR_TAG)


def _holds_a_cache(folder: Path) -> bool:
    """Whether a folder is one a build cache was kept in: its tag, or its cache file."""
    tag = folder / "CACHEDIR.TAG"
    if tag.is_file() and not tag.is_symlink():
        with tag.open("rb") as file:
            if file.read(len(CACHEDIR_TAG) + 1) == CACHEDIR_TAG:
                return True
    return (folder / CACHE_FILE).exists()


def load_cache(folder: Path) -> tuple[BuildCache, str | None]:
    """The cache kept in `folder` (an empty one when there is none), and when a cache file
    is there but not used, a one-line notice saying why (the command says what follows)."""
    key = environment_key()
    path = folder / CACHE_FILE
    try:
        with path.open("rb") as file:
            cache = read_cache(file, key)
        cache.folder = str(folder)
        return cache, None
    except FileNotFoundError:
        return BuildCache(key, folder=str(folder)), None
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror or exc})"
    except CacheRefused as refused:
        reason = str(refused)
    notice = f"policygen: the build cache at {path} {reason} and is ignored"
    return BuildCache(key, folder=str(folder)), notice


def save_cache(folder: Path, cache: BuildCache, recycling: bool = False) -> None:
    """Keep `cache` in `folder` for the next build (written aside, then put in place in one
    step), and remove the HTML files of texts it no longer holds. `recycling` (for a cache
    that more builds follow) keeps the file replaced, for the next save to write into."""
    tag_cache_folder(folder)
    _remove_left_aside(folder)
    if not (recycling and _rewrite_recycled(folder, cache)):
        _write_anew(folder, cache, recycling)
    if not recycling:
        (folder / RECYCLED).unlink(missing_ok=True)
    HtmlFolder(str(folder)).remove_unused(frozenset(cache.html.values()))


def _write_anew(folder: Path, cache: BuildCache, recycling: bool) -> None:
    """Write the cache file as a new file, renamed in place of the one there."""
    staging = folder / f".{CACHE_FILE}.new-{os.getpid()}"
    aside = folder / f".{CACHE_FILE}.old-{os.getpid()}"
    try:
        with staging.open("wb") as file:
            write_cache(cache, file)
        # Renamed where no file is: a file renamed over another is first written out to the
        # disk by ext4 (20 to 30 ms for 50 MB), which the cache does not need: a file a crash
        # left cut short fails its CRC-32 and is ignored. A build meanwhile finds no cache.
        with contextlib.suppress(FileNotFoundError):
            os.rename(folder / CACHE_FILE, aside)
        os.rename(staging, folder / CACHE_FILE)
        if recycling:
            with contextlib.suppress(FileNotFoundError):
                os.rename(aside, folder / RECYCLED)
    finally:
        staging.unlink(missing_ok=True)
        aside.unlink(missing_ok=True)


def _rewrite_recycled(folder: Path, cache: BuildCache) -> bool:
    """Write the cache into the file the last save replaced, then exchange it with the cache
    file in one step; False where there is none, or the file system cannot exchange them.

    Writing into a file's blocks costs a tenth of writing a new file (on ext4, 8 ms against
    130 ms for 55 MB), whose blocks are found as it is written. A build reading the cache
    file the save after next writes into may find it changed: it fails its CRC-32 and is
    ignored.
    """
    recycled = folder / RECYCLED
    try:
        descriptor = os.open(recycled, os.O_WRONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        # Another build saving at the same moment writes a new file instead.
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with os.fdopen(os.dup(descriptor), "wb") as file:
            write_cache(cache, file)
            file.flush()
            os.ftruncate(descriptor, file.tell())
        return exchange(recycled, folder / CACHE_FILE)
    except OSError:  # held, or no cache file to exchange it with
        return False
    finally:
        os.close(descriptor)


def _remove_left_aside(folder: Path) -> None:
    """Remove the cache files that saving processes no longer running left aside."""
    for path in folder.glob(f".{CACHE_FILE}.*-*"):
        kind, _, process = path.name.rpartition("-")
        if kind.endswith((".new", ".old")) and process.isdigit() and not is_running(int(process)):
            path.unlink(missing_ok=True)


def cache_state(cache: BuildCache) -> tuple[object, ...]:
    """What `save_cache` would keep, in short: a build that leaves it equal needs no saving."""
    return (
        cache.key,
        cache.output,
        dict(cache.files),
        dict(cache.folders),
        dict(cache.spare_files),
        dict(cache.spare_folders),
        dict(cache.parts),
        frozenset(cache.texts),
        dict(cache.html),
        frozenset(cache.manifest),
        frozenset(cache.assembly.policies),
        frozenset(cache.assembly.documents),
        frozenset(cache.part_keys),
    )
