"""Rendered files → the output folder, written aside and put in place whole (the only writer)."""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from . import replacement
from .errors import describe_os_error
from .urls import NOT_FOUND_FILE, SITEMAP_FILE

OUTPUT_MARKERS = (NOT_FOUND_FILE, SITEMAP_FILE)
"""Files every policygen output has: a folder without them is not replaced."""


class OutputError(Exception):
    """The output folder cannot be written safely, or cannot be written at all."""


F = TypeVar("F", bound=Callable[..., Any])


def _writing(method: F) -> F:
    """A method of Output whose failures of the machine (a disk full, a name too long, a folder
    that cannot be written) are told as one OutputError naming the output folder."""

    @functools.wraps(method)
    def wrapped(self: Output, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except OSError as exc:
            raise _machine_error(self.out, exc) from exc

    return wrapped  # type: ignore[return-value]


def _machine_error(out: Path, exc: OSError) -> OutputError:
    if exc.filename is not None and Path(os.fsdecode(exc.filename)) in (out, out.absolute()):
        exc = OSError(exc.errno, exc.strerror)  # the path is said once
    return OutputError(f"cannot write the output folder {out}: {describe_os_error(exc)}")


def prepare_output_folder(out: Path, site: Path) -> None:
    """Refuse output folders whose replacement would destroy something that is not an output,
    a link in the site folder that would lead the output out of it, and folders that cannot be;
    then put back an output a killed build left aside, and remove what killed builds left."""
    try:
        _prepare_output_folder(out, site)
    except OSError as exc:
        raise _machine_error(out, exc) from exc


def _prepare_output_folder(out: Path, site: Path) -> None:
    _check_no_link_out(out, site)
    out, site = out.resolve(), site.resolve()
    # Before anything is done in or beside it (the root folder, `-o /`, contains them all).
    if out == site or site.is_relative_to(out):
        raise OutputError(
            f"the output folder {out} contains the site's sources: choose another with -o"
        )
    parent = next(folder for folder in out.parents if folder.exists())
    if not parent.is_dir():
        raise OutputError(f"cannot make the output folder {out}: {parent} is a file")
    if out.parent.is_dir():
        # Before anything else: even a build that fails must not leave the site without
        # the output a killed build left aside.
        replacement.recover(out)
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
    if out.parent.is_dir():
        replacement.remove_leftovers(out)


def _check_no_link_out(out: Path, site: Path) -> None:
    """A site folder may come from anyone: a link in it (`public` committed as a link) must
    not send the output elsewhere on the machine that builds it."""
    written, folder = (
        Path(os.path.normpath(out.absolute())),
        Path(os.path.normpath(site.absolute())),
    )
    if not written.is_relative_to(folder):
        return
    inside = site.resolve()
    for part in written.relative_to(folder).parts:
        folder = folder / part
        if folder.is_symlink() and not folder.resolve().is_relative_to(inside):
            raise OutputError(
                f"{folder} is a link to a place outside the site folder: policygen does not write through it (name the folder itself with -o)"
            )


@dataclass(frozen=True, slots=True)
class Written:
    """A file as a build left it in the output: enough to tell later that it is still there, unchanged."""

    digest: str
    """SHA-256 of its bytes."""
    size: int
    stamp: tuple[int, ...] = ()
    """Its device, inode, size, modification and change times when it was known to hold
    `digest`: when the build wrote it, or when its bytes were read back (empty: not known
    for long enough). No change to a file keeps its change time (not `touch`, not a copy,
    not an archive): a file that still has this stamp still has those bytes."""

    @property
    def unstamped(self) -> Written:
        """The record without its stamp."""
        return Written(self.digest, self.size) if self.stamp else self


SETTLED = 2_000_000_000
"""Nanoseconds a file must have been left unchanged before its stamp is trusted: a change
within the same tick of the file system's clock as the reading would keep it."""


def stamp_of(found: os.stat_result) -> tuple[int, ...]:
    """What `Written.stamp` compares."""
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def settled_by(written: Mapping[str, Written], moment: int) -> dict[str, Written]:
    """The records of `written`, without the stamps of files changed within SETTLED
    nanoseconds before `moment` (a change in the same tick of the clock would keep them)."""
    limit = moment - SETTLED
    return {
        path: record if not record.stamp or record.stamp[-1] <= limit else record.unstamped
        for path, record in written.items()
    }


def settled_folders(
    folders: Mapping[str, tuple[int, ...]], moment: int
) -> dict[str, tuple[int, ...]]:
    """The stamps of `folders`, empty for those changed within SETTLED before `moment`."""
    limit = moment - SETTLED
    return {path: stamp if stamp and stamp[-1] <= limit else () for path, stamp in folders.items()}


@dataclass(frozen=True, slots=True)
class Spare:
    """The output before the current one, kept for the next build to bring up to date
    rather than write every file anew: files it holds with the bytes a page needs stay.

    Nothing in it is trusted because of where it lies: a file is used only while it has
    the stamp it was recorded with; a folder's names are trusted while it has its stamp
    (adding, removing or renaming a name in a folder changes it), and otherwise listed,
    anything that is not recorded removed.
    """

    folder: Path
    """Where it lies (in the cache folder), and where the next one is kept."""
    files: Mapping[str, Written]
    """Its files (empty: none is kept there now)."""
    folders: Mapping[str, tuple[int, ...]]
    """The stamp of each of its folders, by path (the folder itself is always listed)."""


@dataclass(frozen=True, slots=True)
class Finished:
    """What the output folder holds once a build put it in place."""

    files: dict[str, Written]
    folders: dict[str, tuple[int, ...]]
    """The stamps of its folders (none when the files are not stamped)."""
    spare: Spare | None
    """The output it replaced, if kept."""


class Output:
    """Where a build writes its files, each stamped as it is written (see `finish`).

    By default into a fresh folder beside `out` (made by `open`), put in place of `out` whole
    by `finish`, so that a failed build leaves the previous output untouched; a build that
    changes nothing opens none, and leaves `out` as it is. Files that did not change since
    the previous build are linked into it rather than written again, once their bytes are
    read back and found to be those the previous build wrote. With a `spare` (a copy of the
    output before last), the folder written into is the spare, brought up to date: only the
    files whose bytes differ are written, and the replaced output becomes the next spare.
    With `twin` (where the output replaced cannot be the next spare: no build recorded its
    files), every file is linked into a second folder as it is written, kept as the spare.
    With `in_place` (serve's rebuilds) the changed files are held until `finish` and then
    written into `out` itself; `is_own` says that the previous files are those this process
    wrote there, so that they need not be read back.
    """

    @_writing
    def __init__(
        self,
        out: Path,
        *,
        in_place: bool = False,
        is_own: bool = False,
        is_stamped: bool = True,
        spare: Spare | None = None,
        twin: bool = False,
    ) -> None:
        self.out = out.resolve()
        self.spare = spare if not in_place else None
        self.twin: str | None = None
        """The folder every file written is linked into too, to be kept as the spare."""
        self.is_twinned = twin and is_stamped and self.spare is not None
        self.reused: Mapping[str, Written] | None = None
        """The files of the spare, once it is the folder written into."""
        self.buffer: bytearray | None = None
        """What files of the spare are read back into."""
        self.settled_before = time.time_ns() - SETTLED
        """Files changed since are not stamped when read back."""
        self.is_stamped = is_stamped
        """Whether files are stamped as they are written (not when no cache keeps the stamps)."""
        self.in_place = in_place
        self.is_own = in_place and is_own
        self.pending: dict[str, bytes] = {}
        self.folders: set[str] = set()
        self.is_whole = all((self.out / name).is_file() for name in OUTPUT_MARKERS)
        self.lock: int | None = None
        self.twin_lock: int | None = None
        self.folder = self.out
        self.is_open = in_place
        self.in_spare: dict[str, Written] = {}
        """Files of the spare found to hold what the output holds (by `is_intact`)."""
        self.trusted: dict[str, tuple[int, ...]] = {}
        """The spare's folders found with their stamps, by path."""
        self.emptied: set[str] = set()
        """Folders of the spare whose files were removed."""
        if self.spare is not None and self.spare.files and os.path.lexists(self.out):
            self._take_spare(self.spare)

    def _take_spare(self, spare: Spare) -> None:
        """Move the spare beside `out` to be written into (where it can be), and check it."""
        taken = replacement.take_spare(spare.folder, self.out)
        if taken is not None:
            self.folder, self.lock = taken
            self.reused = spare.files
            self._check_spare_folders(spare)

    @_writing
    def open(self) -> None:
        """Make the folder the files are written into (before `write` or `keep`)."""
        if self.is_open:
            return
        self.is_open = True
        if self.reused is None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.folder, self.lock = replacement.make_staging(self.out)
            if self.is_twinned and self._is_beside_spare():
                twin, self.twin_lock = replacement.make_staging(self.out, replacement.TWIN)
                self.twin = str(twin)

    def _is_beside_spare(self) -> bool:
        """Whether the spare's place is on the output's file system (files link there)."""
        assert self.spare is not None
        # The cache folder itself is made when the build saves the cache, if it is not yet.
        place = next(folder for folder in self.spare.folder.parents if folder.exists())
        try:
            return place.is_dir() and os.stat(place).st_dev == os.stat(self.folder).st_dev
        except OSError:
            return False

    def _check_spare_folders(self, spare: Spare) -> None:
        """Know the spare's folders, each listed unless it has its stamp, and remove what
        they hold that the spare's record does not."""
        # Each folder after the one holding it: none is reached through a link.
        for path, stamp in [("", ()), *sorted(spare.folders.items())]:
            folder = f"{self.folder}/{path}" if path else str(self.folder)
            try:
                found = os.lstat(folder)
            except OSError:  # gone, or in a folder that is not one
                continue
            if not stat.S_ISDIR(found.st_mode):
                _remove(folder, found)
                continue
            self.folders.add(folder)
            if stamp and stamp_of(found) == stamp:
                self.trusted[path] = stamp
                continue
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = f"{path}/{entry.name}" if path else entry.name
                    if (
                        name in spare.folders
                        if entry.is_dir(follow_symlinks=False)
                        else entry.is_file(follow_symlinks=False) and name in spare.files
                    ):
                        continue
                    _remove(entry.path, entry.stat(follow_symlinks=False))

    def _spare_holds(self, path: str, digest: str) -> Written | None:
        """The spare's record of `path`, stamped anew, if the file there holds the bytes of
        SHA-256 `digest`: found by its stamp, or read back."""
        assert self.reused is not None
        record = self.reused.get(path)
        if record is None or record.digest != digest:
            return None
        return self._stamped(f"{self.folder}/{path}", record)

    def is_intact(self, path: str, read_back: ReadBack | None, previous: Written) -> bool:
        """Whether the bytes the previous build wrote at `path` (`previous`) can be kept: `out`
        still holds them (read back by `read_back`), or the spare does."""
        if self.is_own:
            # Serve's own folder, which only it writes to; unless the folder itself was
            # removed (checked once, when the build starts).
            return self.is_whole
        if self.reused is None:
            return read_back is not None and read_back.holds(path)
        if path in self.in_spare:
            return True
        if (record := self._spare_holds(path, previous.digest)) is not None:
            self.in_spare[path] = record
            return True
        return self._read_back(path, previous) is not None

    def _read_back(self, path: str, previous: Written) -> Written | None:
        """The record of `out`'s file at `path`, if it holds the bytes of `previous`."""
        return self._stamped(f"{self.out}/{path}", previous)

    def _stamped(self, target: str, record: Written) -> Written | None:
        """`record`, stamped anew, if the file at `target` holds its bytes: found by its
        stamp (the record itself, then), or read back."""
        if self.buffer is None:
            self.buffer = bytearray(2**20)
        stamp = read_stamp(target, record, self.buffer)
        if stamp is None:
            return None
        if stamp == record.stamp:
            return record
        return Written(record.digest, record.size, stamp if stamp[-1] < self.settled_before else ())

    def records_of_out(
        self, previous: Mapping[str, Written], read_back: ReadBack | None
    ) -> dict[str, Written] | None:
        """The records of `out`'s files, stamped anew, if it holds every file the previous
        build wrote (those `is_intact` found)."""
        if read_back is not None:
            return {path: read_back.record(path) for path in previous}
        records = {}
        for path, record in previous.items():
            if (found := self._read_back(path, record)) is None:
                return None
            records[path] = found
        return records

    def _holds(self, path: str, content: bytes) -> bool:
        """Whether `out` holds `content` at `path`, as a regular file."""
        try:
            descriptor = os.open(f"{self.out}/{path}", os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return False
        try:
            found = os.fstat(descriptor)
            if not stat.S_ISREG(found.st_mode) or found.st_size != len(content):
                return False
            return os.read(descriptor, len(content) + 1) == content
        except OSError:
            return False
        finally:
            os.close(descriptor)

    @_writing
    def write(self, path: str, content: bytes, previous: Written | None = None) -> Written:
        """Put `content` at `path`: written, or kept from the previous output if it is the same."""
        _check_path(path, ())
        digest = hashlib.sha256(content).hexdigest()
        if self.reused is not None:
            return self._spare_holds(path, digest) or self._put(path, content, digest)
        if (
            previous is not None
            and previous.digest == digest
            and (self.is_whole if self.is_own else self._holds(path, content))
        ):
            return self.keep(path, previous)
        if self.in_place:
            self.pending[path] = content
            return Written(digest, len(content))
        return self._put(path, content, digest)

    def _put(self, path: str, content: bytes, digest: str) -> Written:
        """Write `content` at `path` in the folder written into, as a new file."""
        target = f"{self.folder}/{path}"
        self._make_folder(target.rpartition("/")[0])
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        if self.reused is not None:
            # A new file, never the one there: it may be linked from the current output.
            _remove_file(target)
            flags |= os.O_EXCL | os.O_NOFOLLOW
        descriptor = os.open(target, flags, 0o666)
        try:
            unwritten = memoryview(content)
            while unwritten:
                unwritten = unwritten[os.write(descriptor, unwritten) :]
            if self.twin is not None:
                self._link_twin(target, path)
            # A new file in a folder only this build writes to until `finish` puts it in place.
            if not self.is_stamped:
                return Written(digest, len(content))
            return Written(digest, len(content), stamp_of(os.fstat(descriptor)))
        finally:
            os.close(descriptor)

    @_writing
    def keep(self, path: str, previous: Written) -> Written:
        """Keep the previous build's file at `path` (found intact by `is_intact` or `write`)."""
        _check_path(path, ())
        if self.in_place:
            return previous
        if self.reused is not None:
            found = self.keep_held(path, previous)
            if found is None:
                raise OutputError(f"{self.out}/{path} was changed while policygen was building")
            return found
        target = f"{self.folder}/{path}"
        self._make_folder(target.rpartition("/")[0])
        try:
            os.link(f"{self.out}/{path}", target)
        except OSError:  # a file system without hard links
            shutil.copy2(f"{self.out}/{path}", target)
        if self.twin is not None:
            self._link_twin(target, path)
        # Linking changes its change time, and so does removing the previous output's name
        # for it once the new output is in place: the next build reads it back.
        return previous.unstamped

    @_writing
    def keep_held(self, path: str, previous: Written) -> Written | None:
        """Keep in the spare the previous build's file at `path`, as it holds it or copied
        from `out`; None if neither holds its bytes any more (its part is made again)."""
        assert self.reused is not None
        _check_path(path, ())
        found = self.in_spare.get(path) or self._spare_holds(path, previous.digest)
        return found or self._copy(path, previous)

    def _copy(self, path: str, previous: Written) -> Written | None:
        """Copy the current output's file at `path` into the spare, if it holds the bytes of
        `previous`."""
        try:
            descriptor = os.open(f"{self.out}/{path}", os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return None
            content = file.read()
        digest = hashlib.sha256(content).hexdigest()
        return self._put(path, content, digest) if digest == previous.digest else None

    def _link_twin(self, target: str, path: str) -> None:
        """Link the file just put at `target` into the twin at `path`. A file missing there
        costs the next build a copy, no more (the spare's files are checked as they are
        taken): a failure is let go."""
        assert self.twin is not None
        twin = f"{self.twin}/{path}"
        with contextlib.suppress(OSError):
            self._make_folder(twin.rpartition("/")[0], self.twin)
            os.link(target, twin)

    def _make_folder(self, folder: str, root: str | None = None) -> None:
        """Make `folder`, in the folder written into (or in `root`) and known to this build."""
        if folder in self.folders:
            return
        if self.reused is not None:
            # The spare's folders are known (`_check_spare_folders`): any other name on the
            # way is made, never followed.
            parent = folder.rpartition("/")[0]
            self._make_folder(parent)
            try:
                os.mkdir(folder)
            except FileExistsError:
                # Made by another process of this build since, or a file of the spare.
                if not stat.S_ISDIR(os.lstat(folder).st_mode):
                    _remove_file(folder)
                    os.mkdir(folder)
            self.folders.add(folder)
            return
        parent = folder.rpartition("/")[0]
        if parent in self.folders:
            # One call for the usual folder (a page's, in its revision's or language's made
            # just before), rather than makedirs' look at its parent first.
            try:
                os.mkdir(folder)
            except FileExistsError:
                if not os.path.isdir(folder):
                    raise
        else:
            os.makedirs(folder, exist_ok=True)
            while parent.startswith(f"{root or self.folder}/") and parent not in self.folders:
                self.folders.add(parent)
                parent = parent.rpartition("/")[0]
        self.folders.add(folder)

    @_writing
    def finish(
        self,
        written: Mapping[str, Written],
        previous: Mapping[str, Written],
        previous_folders: Mapping[str, tuple[int, ...]] = {},  # noqa: B006 (never changed)
    ) -> Finished:
        """Put the output in place; returns what it holds now (`previous`: the files it held,
        `previous_folders` the stamps of its folders)."""
        if not self.is_open:
            # Nothing changed: `out` is left as it is, and the spare as it was.
            self._put_back()
            return Finished(dict(written), dict(previous_folders), self.spare)
        if not self.in_place:
            if self.reused is not None:
                self._remove_unwritten(written)
            folders = self._folder_stamps(written) if self.is_stamped else {}
            twin_folders = self._twin_folder_stamps(folders)
            # Until now no one else knew the files: one changed later is changed at least
            # SETTLED after those whose stamps are kept, in another tick of the clock.
            moment = time.time_ns()
            spare = self.spare.folder if self.spare is not None and self.is_stamped else None
            try:
                if self.twin is None:
                    kept = replacement.replace(self.out, self.folder, spare)
                else:
                    # The twin holds the output's files, the output replaced none recorded:
                    # the twin is the next spare, and the output replaced is removed.
                    replacement.replace(self.out, self.folder)
                    if spare is not None:
                        with contextlib.suppress(OSError):  # then it is not kept
                            spare.parent.mkdir(parents=True, exist_ok=True)
                    kept = replacement.keep_as_spare(Path(self.twin), spare)
            finally:
                self._release()
            files = settled_by(written, moment)
            left = None
            if spare and kept and self.twin is not None:
                left = Spare(spare, files, settled_folders(twin_folders, moment))
            elif spare and kept:
                left = Spare(spare, dict(previous), dict(previous_folders))
            return Finished(files, settled_folders(folders, moment), left)
        # The output folder is updated while it is served, and may have changed since the
        # last build (a branch checked out that holds `public/`): a link in it is replaced,
        # never written or removed through.
        for path, content in sorted(self.pending.items()):
            _write_inside(self.out, path, content)
        for path in sorted(set(previous) - set(written), reverse=True):
            _remove_inside(self.out, path)
        return Finished(dict(written), {}, None)

    def _remove_unwritten(self, written: Mapping[str, Written]) -> None:
        """Remove the spare's files that this build did not write or keep, and the folders
        left empty."""
        assert self.reused is not None
        for path in sorted(self.reused.keys() - written.keys(), reverse=True):
            target = f"{self.folder}/{path}"
            _remove_file(target)
            self.emptied.add(path.rpartition("/")[0])
            folder = target.rpartition("/")[0]
            while folder != str(self.folder) and folder in self.folders:
                try:
                    os.rmdir(folder)
                except OSError:  # not empty
                    break
                self.folders.discard(folder)
                folder = folder.rpartition("/")[0]

    def _folder_stamps(self, written: Mapping[str, Written]) -> dict[str, tuple[int, ...]]:
        """The stamp of each folder holding the `written` files, by path (the processes
        that wrote them made some of them): the spare's folders found with their stamps
        keep them, unless a name was added to them or removed."""
        folders: dict[str, tuple[int, ...]] = {}
        for path in written:
            folder = path.rpartition("/")[0]
            while folder and folder not in folders:
                folders[folder] = ()
                folder = folder.rpartition("/")[0]
        changed = set(self.emptied)
        kept = self.reused or {}
        for path, record in written.items():
            before = kept.get(path)
            # A file written anew is a new name in its folder (a stamp not vouched for may
            # be one too).
            if before is None or not before.stamp or record.stamp != before.stamp:
                changed.add(path.rpartition("/")[0])
        changed.update(
            folder.rpartition("/")[0] for folder in folders if folder not in self.trusted
        )
        return {
            folder: self.trusted[folder]
            if folder in self.trusted and folder not in changed
            else stamp_of(os.lstat(f"{self.folder}/{folder}"))
            for folder in folders
        }

    def _twin_folder_stamps(
        self, folders: Mapping[str, tuple[int, ...]]
    ) -> dict[str, tuple[int, ...]]:
        """The stamp of each of the twin's folders, by path: those of the output's `folders`
        that it holds."""
        if self.twin is None:
            return {}
        stamps = {}
        for folder in folders:
            with contextlib.suppress(OSError):
                stamps[folder] = stamp_of(os.lstat(f"{self.twin}/{folder}"))
        return stamps

    def abandon(self) -> None:
        """Drop what this build wrote: the previous output stays as it was."""
        self.pending.clear()
        if not self.is_open:
            self._put_back()
        elif not self.in_place:
            # Let go first: the process that removes the folder takes its lock.
            self._release()
            if self.reused is not None:
                # Large, and partly brought up to date: removed while the command ends.
                replacement.delete_in_background(self.folder)
            else:
                shutil.rmtree(self.folder, ignore_errors=True)
            if self.twin is not None:
                shutil.rmtree(self.twin, ignore_errors=True)

    def _put_back(self) -> None:
        """Put the spare, taken but not written into, back where it was."""
        if self.reused is None or self.spare is None:
            return
        self._release()  # first: a process that would remove the folder takes its lock
        replacement.keep_as_spare(self.folder, self.spare.folder)
        self.reused = None
        self.folder = self.out

    def _release(self) -> None:
        if self.lock is not None:
            replacement.release(self.lock)
            self.lock = None
        if self.twin_lock is not None:
            replacement.release(self.twin_lock)
            self.twin_lock = None


def _open_folder(out: Path, folder: str, *, is_made: bool) -> int | None:
    """A descriptor of `folder` (a path in `out`), reached without following a link: where
    one of its folders is a link or a file, that is removed and a folder made in its place
    (`is_made`), or None is returned, as it is when a folder is missing."""
    descriptor = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for name in folder.split("/") if folder else ():
            try:
                inner = os.open(name, _FOLDER_FLAGS, dir_fd=descriptor)
            except OSError as exc:
                if exc.errno not in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR):
                    raise
                if not is_made:
                    os.close(descriptor)
                    return None
                if exc.errno != errno.ENOENT:
                    os.unlink(name, dir_fd=descriptor)  # the link itself, or a file
                os.mkdir(name, dir_fd=descriptor)
                inner = os.open(name, _FOLDER_FLAGS, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def _write_inside(out: Path, path: str, content: bytes) -> None:
    """Put `content` at `path` in `out` as a new file, in one step: whatever lies there (a
    link, a file linked from elsewhere) is replaced, never written through."""
    folder, _, name = path.rpartition("/")
    descriptor = _open_folder(out, folder, is_made=True)
    assert descriptor is not None
    try:
        written = f".{name}.policygen-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(written, dir_fd=descriptor)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        file = os.open(written, flags, 0o666, dir_fd=descriptor)
        try:
            unwritten = memoryview(content)
            while unwritten:
                unwritten = unwritten[os.write(file, unwritten) :]
        finally:
            os.close(file)
        os.rename(written, name, src_dir_fd=descriptor, dst_dir_fd=descriptor)
    finally:
        os.close(descriptor)


def _remove_inside(out: Path, path: str) -> None:
    """Remove the file at `path` in `out`, and the folders it leaves empty, never through a
    link: a folder of the path that is a link is left as it is, and what lies beyond it."""
    parts = path.split("/")
    for depth in range(len(parts), 0, -1):
        folder, name = "/".join(parts[: depth - 1]), parts[depth - 1]
        descriptor = _open_folder(out, folder, is_made=False)
        if descriptor is None:
            return
        try:
            if depth == len(parts):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=descriptor)
            else:
                try:
                    os.rmdir(name, dir_fd=descriptor)
                except OSError:  # not empty, or not a folder (a link)
                    return
        finally:
            os.close(descriptor)


def _remove(path: str, found: os.stat_result) -> None:
    """Remove what lies at `path` (as `lstat` found it), never following a link."""
    if stat.S_ISDIR(found.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _remove_file(path: str) -> None:
    """Remove what lies at `path`, if anything."""
    with contextlib.suppress(FileNotFoundError):
        _remove(path, os.lstat(path))


class ReadBack:
    """The files of a previous output, read back and hashed in threads while a build goes on
    (reading and hashing release the interpreter), in the order the previous build wrote
    them, which is the order the build keeps them in.

    A file is kept only if its bytes still have the SHA-256 the previous build recorded: a
    size and a modification time can be kept by a change (a copy, an archive, `touch`), the
    bytes cannot. A file found so once, and not changed for a while before, is stamped with
    its inode and change time, which no change keeps: while it keeps its stamp, it is not
    read again.
    """

    def __init__(self, out: Path, previous: Mapping[str, Written]) -> None:
        self.out = str(out.resolve())
        self.files = list(previous.items())
        self.order = {path: index for index, (path, _) in enumerate(self.files)}
        self.jobs = min(os.cpu_count() or 1, len(self.files) // 64 + 1)
        self.is_found = bytearray(len(self.files))
        self.stamps: list[tuple[int, ...]] = [()] * len(self.files)
        self.settled_before = time.time_ns() - SETTLED
        self.done = [0] * self.jobs
        """How many of its files each thread has read."""
        self.progress = threading.Condition()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._read, args=(n,)) for n in range(self.jobs)]
        for thread in self.threads:
            thread.start()

    def holds(self, path: str) -> bool:
        """Whether `out` holds at `path` the bytes the previous build wrote there (waits until
        that file is read)."""
        index = self.order.get(path)
        if index is None:
            return False
        share, position = index % self.jobs, index // self.jobs
        if self.done[share] <= position:
            with self.progress:
                self.progress.wait_for(lambda: self.done[share] > position)
        return bool(self.is_found[index])

    def record(self, path: str) -> Written:
        """The record of a file found intact by `holds`, with its stamp."""
        index = self.order[path]
        previous = self.files[index][1]
        return Written(previous.digest, previous.size, self.stamps[index])

    def finish(self) -> None:
        """Stop reading, and wait until every thread ended: before a process is forked, or
        when the build fails. Files not read yet are not intact."""
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def _read(self, share: int) -> None:
        # Each file is read into the same buffer: allocating one for each costs more than
        # hashing it.
        buffer = bytearray(2**20)
        view = memoryview(buffer)
        indexes = range(share, len(self.files), self.jobs)
        try:
            for count, index in enumerate(indexes, 1):
                if self.stop.is_set():
                    return
                path, previous = self.files[index]
                stamp = _read_stamp(f"{self.out}/{path}", previous, buffer, view)
                if stamp is not None:
                    self.is_found[index] = 1
                    self.stamps[index] = stamp if stamp[-1] < self.settled_before else ()
                self.done[share] = count
                if count % 16 == 0:
                    with self.progress:
                        self.progress.notify_all()
        finally:
            with self.progress:
                self.done[share] = len(indexes)
                self.progress.notify_all()


def read_stamp(path: str, record: Written, buffer: bytearray) -> tuple[int, ...] | None:
    """The stamp of the file at `path` if it holds the bytes of `record` (None if not): read
    and hashed, unless `record` has a stamp the file still has. `buffer` is read into."""
    return _read_stamp(path, record, buffer, memoryview(buffer))


def _read_stamp(
    path: str, previous: Written, buffer: bytearray, view: memoryview
) -> tuple[int, ...] | None:
    """The stamp of `path` if it is a regular file with the size and SHA-256 of `previous`
    (None if not): read and hashed, unless it still has the stamp of `previous`."""
    if previous.stamp:
        try:
            found = os.lstat(path)
        except OSError:
            return None
        if stat.S_ISREG(found.st_mode) and stamp_of(found) == previous.stamp:
            return previous.stamp
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        kind = os.fstat(descriptor)
        if not stat.S_ISREG(kind.st_mode) or kind.st_size != previous.size:
            return None
        digest = hashlib.sha256()
        while read := os.readv(descriptor, [buffer]):
            digest.update(view[:read])
        if digest.hexdigest() != previous.digest:
            return None
        # Taken after the bytes were read: a change while they were read changes it.
        return stamp_of(os.fstat(descriptor))
    except OSError:
        return None
    finally:
        os.close(descriptor)


def holds_only(out: Path, paths: Container[str]) -> bool:
    """Whether the folder `out` holds regular files and folders only, and no file but
    `paths` (which it is known to hold): no link, nothing added."""
    waiting = [""]
    while waiting:
        folder = waiting.pop()
        try:
            entries = list(os.scandir(f"{out}/{folder}" if folder else out))
        except OSError:
            return False
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                waiting.append(f"{folder}{entry.name}/")
            elif not entry.is_file(follow_symlinks=False) or f"{folder}{entry.name}" not in paths:
                return False
    return True


def check_paths(paths: Iterable[str]) -> None:
    """Refuse a path given twice (two pages would overwrite each other)."""
    seen: set[str] = set()
    for path in paths:
        _check_path(path, seen)
        seen.add(path)


def _check_path(path: str, seen: Container[str]) -> None:
    if path in seen:
        raise OutputError(f"two pages want the same path {path}")
    if path.startswith("/") or ".." in path.split("/"):
        raise OutputError(f"refusing to write {path} outside the output folder")


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
