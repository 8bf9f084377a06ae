"""A folder written aside → in place of the output folder in one atomic step, the previous
output removed or kept as a spare; what killed builds left beside an output folder → removed
(I/O: the output folder's parent, and the spare's place in the cache folder).

A build writes its output into a staging folder beside OUT, named
`.OUT.policygen-new-PID`, and then exchanges the two in one system call: `renameat2`
with RENAME_EXCHANGE on Linux, `renamex_np` with RENAME_SWAP on macOS. There is never a
moment without OUT, and a build killed at any moment leaves OUT complete, as it was before
or as the build made it. The previous output, now under the staging name, is removed, or,
with a cache folder on the same file system, moved there as the spare that the next build
takes as its staging folder and brings up to date (output.Spare).

Where neither call exists, or the file system refuses it (some network and FUSE file
systems), the exchange is two renames: OUT to `.OUT.policygen-old-PID`, then the staging
folder to OUT. A build killed between the two leaves no OUT, but its previous content is
whole under the `old` name, and the next build of OUT (or `policygen serve`) puts it back
before anything else, even when that build then fails.

Only complete outputs ever bear an `old` name; a `new` name holds a staging folder or an
output being removed, never one to restore. A build holds a lock (flock) on its staging
folder, so that another build removes only what a killed one left.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

STAGING = "new"
"""The kind of leftover that is a staging folder, or a previous output being removed."""
RETIRED = "old"
"""The kind of leftover that is a complete previous output, in the two-rename fallback."""
TWIN = "twin"
"""The kind of leftover that is a staging folder's twin: the same files, linked, to be kept
as the spare (output.Output)."""


def leftover_name(out: Path, kind: str, process: int) -> Path:
    """Where a build of process `process` keeps a folder of `kind` beside `out`."""
    return out.with_name(f".{out.name}.policygen-{kind}-{process}")


def _leftovers(out: Path) -> list[tuple[str, Path]]:
    """(kind, path) of every folder beside `out` that a build of `out` left, in name order.

    The names of earlier versions of policygen (`.OUT.new-PID`, `.OUT.old-PID`) are theirs too.
    """
    kinds = f"{STAGING}|{RETIRED}|{TWIN}"
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:policygen-)?({kinds})-\d+\Z")
    found = []
    with os.scandir(out.parent) as entries:
        for entry in entries:
            if (match := pattern.match(entry.name)) and entry.is_dir(follow_symlinks=False):
                found.append((match.group(1), out.parent / entry.name))
    return sorted(found)


def recover(out: Path) -> None:
    """Put back the previous output where a build was killed between the two renames of the
    fallback, leaving no `out`."""
    if os.path.lexists(out):
        return
    retired = [path for kind, path in _leftovers(out) if kind == RETIRED]
    if retired:
        # Several only if several builds were killed so, with nothing built in between:
        # the last one renamed is the latest output.
        os.rename(max(retired, key=lambda path: path.lstat().st_ctime_ns), out)


def remove_leftovers(out: Path) -> None:
    """Remove what killed builds of `out` left beside it (never what a running build holds)."""
    own = {leftover_name(out, kind, os.getpid()) for kind in (STAGING, RETIRED, TWIN)}
    for _, path in _leftovers(out):
        if path in own:
            # Left by a process that had this one's number: this build is about to use
            # these names, so they must be gone first.
            shutil.rmtree(path, ignore_errors=True)
        elif not _is_held(path):
            delete_in_background(path)


def make_staging(out: Path, kind: str = STAGING) -> tuple[Path, int]:
    """A new, empty staging folder (or its twin) beside `out` for this process, and the
    descriptor that holds its lock until `release`."""
    staging = leftover_name(out, kind, os.getpid())
    # A process of the same number may have left one before.
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    descriptor = os.open(staging, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return staging, descriptor


def take_spare(spare: Path, out: Path) -> tuple[Path, int] | None:
    """The folder `spare` moved beside `out` as this process's staging folder, and the
    descriptor that holds its lock until `release`; None where it cannot be (none there, a
    link, another file system)."""
    staging = leftover_name(out, STAGING, os.getpid())
    shutil.rmtree(staging, ignore_errors=True)
    try:
        os.rename(spare, staging)
    except OSError:
        return None
    try:
        # Never a link moved in its place: only a folder is taken.
        descriptor = os.open(staging, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        os.unlink(staging)
        return None
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return staging, descriptor


def keep_as_spare(previous: Path, spare: Path | None) -> bool:
    """Move the previous output `previous` to `spare`, in place of what lies there, or remove
    it (`spare` None, or on another file system); whether it was kept."""
    if spare is not None:
        with contextlib.suppress(OSError):
            _remove_left_aside(spare)
        if os.path.lexists(spare):
            _remove_aside(spare)
        try:
            os.rename(previous, spare)
            return True
        except OSError:
            pass
    delete_in_background(previous)
    return False


def _remove_left_aside(folder: Path) -> None:
    """Remove what was renamed aside from `folder` (by `_remove_aside`) and is not being
    removed: its removal was killed."""
    left = re.compile(rf"\.{re.escape(folder.name)}\.removed-\d+-\d+\Z")
    with os.scandir(folder.parent) as entries:
        for entry in entries:
            if left.match(entry.name) and not _is_held(Path(entry.path)):
                delete_in_background(Path(entry.path))


def _remove_aside(folder: Path) -> None:
    """Remove `folder` in the background, first renamed so that its name is free at once."""
    # A name of its own: an earlier one may still be being removed.
    aside = folder.with_name(f".{folder.name}.removed-{os.getpid()}-{time.time_ns()}")
    try:
        os.rename(folder, aside)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    delete_in_background(aside)


def release(descriptor: int) -> None:
    """Let go of a staging folder's lock."""
    os.close(descriptor)


def replace(out: Path, staging: Path, spare: Path | None = None) -> bool:
    """Put `staging` in place of `out` in one step, and move the previous output to `spare`
    (None: remove it); whether a previous output was kept there."""
    if not os.path.lexists(out):
        os.rename(staging, out)
        return False
    if _exchange is not None and _exchange(staging, out):
        return keep_as_spare(staging, spare)  # the previous output, under the staging name
    retired = leftover_name(out, RETIRED, os.getpid())
    os.rename(out, retired)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(retired, out)
        raise
    # Removed under a name that is never restored: a build killed while removing it leaves
    # a part of it, which must not come back as an output.
    os.rename(retired, staging)
    return keep_as_spare(staging, spare)


def is_running(process: int) -> bool:
    """Whether a process of this number runs (another user's counts as running)."""
    try:
        os.kill(process, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _is_held(folder: Path) -> bool:
    """Whether a running build holds this folder (its lock)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def _find_exchange() -> Callable[[Path, Path], bool] | None:
    """The system call that exchanges two paths in one step, where the system has one: a
    function that returns False, having changed nothing, when the file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        renameat2.argtypes += [ctypes.c_uint]
        renameat2.restype = ctypes.c_int
        at_fdcwd, rename_exchange = -100, 2  # <fcntl.h>, <linux/fs.h>

        def call(first: bytes, second: bytes) -> int:
            return int(renameat2(at_fdcwd, first, at_fdcwd, second, rename_exchange))

    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        renamex_np = libc.renamex_np
        renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        renamex_np.restype = ctypes.c_int
        rename_swap = 2  # <stdio.h>

        def call(first: bytes, second: bytes) -> int:
            return int(renamex_np(first, second, rename_swap))

    else:
        return None

    def exchange(first: Path, second: Path) -> bool:
        if call(os.fsencode(first), os.fsencode(second)) == 0:
            return True
        code = ctypes.get_errno()
        # The kernel or the file system does not know the call, or this use of it.
        if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), str(first), None, str(second))

    return exchange


_exchange = _find_exchange()


def exchange(first: Path, second: Path) -> bool:
    """Exchange two paths in one step; False, having changed nothing, where the system or the
    file system cannot."""
    return _exchange is not None and _exchange(first, second)


_DELETIONS: list[subprocess.Popen[bytes] | threading.Thread] = []
IN_ANOTHER_PROCESS = True
"""Whether folders are removed by a process of their own (else by a thread of this one)."""
_REMOVE = (
    "import sys; sys.path.insert(0, sys.argv[2]);"
    " from policygen.replacement import remove_unless_held; remove_unless_held(sys.argv[1])"
)
"""What the process that removes a folder runs: the folder, and where policygen is."""
_PACKAGES = str(Path(__file__).resolve().parent.parent)


def remove_unless_held(folder: str) -> None:
    """Remove `folder`, holding its lock until it is gone, unless another process holds it:
    one that removes it already, or a build that uses it. A link is not followed."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return  # gone already, or not a folder
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        shutil.rmtree(folder, ignore_errors=True)
    except BlockingIOError:
        pass
    finally:
        os.close(descriptor)


def delete_in_background(folder: Path) -> None:
    """Remove a folder in a process of its own, which goes on once this one has ended: a
    command does not wait for the previous output to be deleted. The process holds the
    folder's lock, so that the builds that follow leave it to it. (If it is killed, what it
    left is removed by the next build, as a killed build's folders are.)"""
    # Those that ended are reaped: a long-running process (serve) leaves none behind.
    _DELETIONS[:] = [
        deletion
        for deletion in _DELETIONS
        if (
            deletion.is_alive()
            if isinstance(deletion, threading.Thread)
            else deletion.poll() is None
        )
    ]
    try:
        if not IN_ANOTHER_PROCESS:
            raise ValueError("in this process")
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", _REMOVE, str(folder), _PACKAGES],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not interrupted with the command (Ctrl-C)
        )
    except (OSError, ValueError):  # no Python to run (or asked to): a thread of this one
        thread = threading.Thread(target=remove_unless_held, args=(str(folder),), daemon=False)
        thread.start()
        _DELETIONS.append(thread)
        return
    _DELETIONS.append(process)


def wait_for_deletions() -> None:
    """Wait until every folder being removed is gone."""
    while _DELETIONS:
        deletion = _DELETIONS.pop()
        if isinstance(deletion, threading.Thread):
            deletion.join()
        else:
            deletion.wait()
