"""The output before last, kept in the cache folder as a spare: the next build brings it up to
date (writing only the files whose bytes differ) and puts it in place, and nothing in it is
trusted because of where it lies."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import policygen.output
from policygen import replacement
from policygen.incremental.cache import SPARE_FOLDER

from .conftest import Run, copy_example, read_tree
from .test_build_cache import AS_OF, kept_pages

CLI = Callable[..., Run]
UPCOMING = "content/privacy/2027-01-01/en.md"
EDITS = ("to respecting", "to fully respecting", "to truly respecting", "to always respecting")


pytestmark = pytest.mark.usefixtures("outside_ci")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "site")


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as unchanged for long enough to be stamped as soon as they are written."""
    monkeypatch.setattr(policygen.output, "SETTLED", 0)


class Builds:
    """Builds of one site into one output with one cache folder, each after an edit of the
    upcoming revision's English text, and the output a build from nothing makes of it."""

    def __init__(self, cli: CLI, site: Path, tmp_path: Path) -> None:
        self.cli, self.site, self.root = cli, site, tmp_path
        self.out, self.cache = tmp_path / "out", tmp_path / "cache"
        self.edits = 0

    @property
    def spare(self) -> Path:
        return self.cache / SPARE_FOLDER

    def edit(self) -> None:
        upcoming = self.site / UPCOMING
        text = upcoming.read_text("utf-8")
        self.edits += 1
        changed = text.replace(EDITS[self.edits - 1], EDITS[self.edits], 1)
        assert changed != text
        upcoming.write_text(changed, "utf-8")

    def build(self, *more: str) -> Run:
        run = self.cli(
            "build",
            str(self.site),
            "-o",
            str(self.out),
            "--cache-dir",
            str(self.cache),
            *AS_OF,
            *more,
        )
        assert run.code == 0, run.err
        return run

    def clean(self) -> dict[str, bytes]:
        clean = self.root / "clean"
        assert self.cli("build", str(self.site), "-o", str(clean), "--no-cache", *AS_OF).code == 0
        return read_tree(clean)

    def with_spare(self) -> None:
        """Two builds: after the second, the first's output is the spare."""
        self.build()
        self.edit()
        self.build()
        assert self.spare.is_dir()


@pytest.fixture
def builds(cli: CLI, site: Path, tmp_path: Path) -> Builds:
    return Builds(cli, site, tmp_path)


@pytest.fixture
def made_folders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every folder made (by this process: the example site is built by one)."""
    made: list[str] = []
    mkdir = os.mkdir

    def counted(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        made.append(os.fspath(path))
        mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "mkdir", counted)
    yield made


def test_a_build_brings_the_output_before_last_up_to_date(
    builds: Builds, made_folders: list[str]
) -> None:
    builds.with_spare()
    before_last = {path: (builds.spare / path).stat().st_ino for path in read_tree(builds.spare)}
    builds.edit()
    made_folders.clear()
    run = builds.build()
    # All but the upcoming revision's page and diff page in en and ja, global.
    assert kept_pages(run) == 48
    # The spare became the output: no folder was made in it, and the files whose bytes are
    # the same are those of the output before last.
    assert [folder for folder in made_folders if ".out.policygen-" in folder] == []
    inodes = {path: (builds.out / path).stat().st_ino for path in read_tree(builds.out)}
    same = [path for path, inode in inodes.items() if before_last.get(path) == inode]
    assert len(same) > len(inodes) - 10
    assert read_tree(builds.out) == builds.clean()
    # The output it replaced is the next spare.
    assert builds.spare.is_dir()


def _inodes(folder: Path) -> dict[str, tuple[int, int]]:
    """The inode and change time of each file in `folder`, by path."""
    return {
        path: ((folder / path).stat().st_ino, (folder / path).stat().st_ctime_ns)
        for path in read_tree(folder)
    }


def test_the_first_build_keeps_a_twin_of_its_output_as_the_spare(
    builds: Builds, made_folders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    builds.build()
    # The same files, linked: no file is written twice, and none is linked afterwards.
    first = _inodes(builds.out)
    assert _inodes(builds.spare) == first
    assert [p.name for p in builds.root.iterdir() if p.name.startswith(".")] == []
    builds.edit()
    made_folders.clear()
    hashed: list[int] = []
    readv = os.readv

    def counted(descriptor: int, buffers: list[bytearray]) -> int:
        hashed.append(descriptor)
        return readv(descriptor, buffers)

    monkeypatch.setattr(os, "readv", counted)
    run = builds.build()
    assert kept_pages(run) == 48
    # The twin became the output: no folder was made, the files whose bytes are the same
    # are those the first build wrote, untouched since; the first output is the next spare.
    assert [folder for folder in made_folders if ".out.policygen-" in folder] == []
    now = _inodes(builds.out)
    assert len([path for path in now if now[path] == first.get(path)]) > len(now) - 10
    # (The files made again were unlinked from the twin: their change time moved.)
    assert {path: inode for path, (inode, _) in _inodes(builds.spare).items()} == {
        path: inode for path, (inode, _) in first.items()
    }
    assert read_tree(builds.out) == builds.clean()
    # Every file of the twin was known by its stamp: none was read back and hashed.
    assert hashed == []


def test_a_build_in_ci_keeps_no_twin(builds: Builds, monkeypatch: pytest.MonkeyPatch) -> None:
    # A CI job builds once, and may keep its cache folder for the next job: the spare
    # would only swell it.
    monkeypatch.setenv("CI", "true")
    builds.build()
    assert not builds.spare.exists()
    assert sorted(p.name for p in builds.root.iterdir()) == ["cache", "out", "site"]


def test_a_first_build_that_fails_leaves_no_twin(builds: Builds) -> None:
    upcoming = builds.site / UPCOMING
    upcoming.write_text(upcoming.read_text("utf-8") + "\n[a link](policy:nowhere)\n", "utf-8")
    run = builds.cli(
        "build", str(builds.site), "-o", str(builds.out), "--cache-dir", str(builds.cache), *AS_OF
    )
    assert run.code == 1
    replacement.wait_for_deletions()
    assert sorted(p.name for p in builds.root.iterdir()) == ["cache", "site"]
    assert not builds.spare.exists()


def test_the_output_a_first_build_replaces_is_removed_and_its_twin_kept(
    builds: Builds, cli: CLI
) -> None:
    # An output no build with this cache recorded: it cannot be a spare.
    assert cli("build", str(builds.site), "-o", str(builds.out), "--no-cache", *AS_OF).code == 0
    before = _inodes(builds.out)
    builds.build()
    replacement.wait_for_deletions()
    assert sorted(p.name for p in builds.root.iterdir()) == ["cache", "out", "site"]
    assert _inodes(builds.spare) == _inodes(builds.out)
    assert not set(before.values()) & set(_inodes(builds.spare).values())


def test_every_build_after_edits_equals_a_build_from_nothing(builds: Builds) -> None:
    builds.build()
    for _ in range(3):
        builds.edit()
        builds.build()
        assert read_tree(builds.out) == builds.clean()


def test_a_file_added_to_the_spare_is_not_published(builds: Builds) -> None:
    builds.with_spare()
    (builds.spare / "en/stray.html").write_text("not policygen's")
    (builds.spare / "en/global/elsewhere").symlink_to(builds.site)
    builds.edit()
    builds.build()
    assert read_tree(builds.out) == builds.clean()
    assert not (builds.out / "en/global/elsewhere").is_symlink()


def test_a_file_of_the_spare_changed_behind_its_stamp_is_written_again(builds: Builds) -> None:
    builds.with_spare()
    page = builds.spare / "ja/europe/privacy/history/index.html"
    stat = page.stat()
    data = page.read_bytes()
    # A file of its own (the current output holds the same file as the spare's, linked).
    page.unlink()
    page.write_bytes(data.replace(b"<title>", b"<title>X", 1)[: len(data)])
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    builds.edit()
    builds.build()
    assert read_tree(builds.out) == builds.clean()


def test_a_folder_of_the_spare_replaced_by_a_link_is_not_written_through(
    builds: Builds, tmp_path: Path
) -> None:
    builds.with_spare()
    elsewhere = tmp_path / "elsewhere"
    (builds.spare / "en/global").rename(elsewhere)
    (builds.spare / "en/global").symlink_to(elsewhere)
    untouched = {path: (elsewhere / path).stat().st_mtime_ns for path in read_tree(elsewhere)}
    builds.edit()
    builds.build()
    assert read_tree(builds.out) == builds.clean()
    assert not (builds.out / "en/global").is_symlink()
    assert {
        path: (elsewhere / path).stat().st_mtime_ns for path in read_tree(elsewhere)
    } == untouched


def test_a_spare_replaced_by_a_link_is_not_taken(builds: Builds, tmp_path: Path) -> None:
    builds.with_spare()
    elsewhere = tmp_path / "elsewhere"
    builds.spare.rename(elsewhere)
    builds.spare.symlink_to(elsewhere)
    untouched = read_tree(elsewhere)
    builds.edit()
    builds.build()
    assert read_tree(builds.out) == builds.clean()
    assert not builds.out.is_symlink()
    assert read_tree(elsewhere) == untouched


def test_a_file_of_the_current_output_linked_into_the_spare_is_never_changed(
    builds: Builds,
) -> None:
    # The second build linked the files it kept from the first output into the new one:
    # bringing the first up to date must not write into the files both hold.
    builds.with_spare()
    current = read_tree(builds.out)
    builds.edit()
    builds.build()
    assert read_tree(builds.spare) == current


def test_a_spare_of_another_output_is_not_used(builds: Builds, cli: CLI, tmp_path: Path) -> None:
    builds.with_spare()
    other = tmp_path / "other"
    for _ in range(2):
        builds.edit()
        run = cli(
            "build", str(builds.site), "-o", str(other), "--cache-dir", str(builds.cache), *AS_OF
        )
        assert run.code == 0
    assert read_tree(other) == builds.clean()


def test_a_build_without_a_cache_keeps_no_spare(builds: Builds, cli: CLI) -> None:
    for _ in range(2):
        builds.edit()
        run = cli("build", str(builds.site), "-o", str(builds.out), "--no-cache", *AS_OF)
        assert run.code == 0
    replacement.wait_for_deletions()
    assert sorted(p.name for p in builds.root.iterdir()) == ["out", "site"]


def test_a_build_that_fails_leaves_no_spare_to_be_trusted(builds: Builds) -> None:
    builds.with_spare()
    upcoming = builds.site / UPCOMING
    text = upcoming.read_text("utf-8")
    upcoming.write_text(text + "\n[a link](policy:nowhere)\n", "utf-8")
    run = builds.cli(
        "build", str(builds.site), "-o", str(builds.out), "--cache-dir", str(builds.cache), *AS_OF
    )
    assert run.code == 1
    upcoming.write_text(text, "utf-8")
    builds.edit()
    builds.build()
    assert read_tree(builds.out) == builds.clean()


def test_a_file_of_the_output_changed_is_taken_from_the_spare(builds: Builds) -> None:
    builds.with_spare()
    _change_as_a_new_file(builds.out / "ja/europe/privacy/history/index.html")
    run = builds.build()
    assert kept_pages(run) == 52
    assert read_tree(builds.out) == builds.clean()


def _change_as_a_new_file(page: Path) -> None:
    data = page.read_bytes()
    page.unlink()
    page.write_bytes(data.replace(b"<title>", b"<title>X", 1))


def test_a_kept_part_whose_files_neither_the_spare_nor_the_output_holds_is_made(
    builds: Builds,
) -> None:
    builds.with_spare()
    for folder in (builds.spare, builds.out):
        _change_as_a_new_file(folder / "ja/europe/privacy/history/index.html")
    builds.edit()
    run = builds.build()
    # Checked while the pages of the edit were made; its part (two pages) made afterwards.
    assert kept_pages(run) == 46
    assert read_tree(builds.out) == builds.clean()


def test_a_cache_folder_on_another_file_system_keeps_no_spare(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    rename = os.rename

    def across_file_systems(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        # Between the cache folder and the output's folder, as across two mounts.
        if (str(builds.cache) in str(source)) != (str(builds.cache) in str(target)):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        rename(source, target)

    monkeypatch.setattr(os, "rename", across_file_systems)
    builds.build()
    for _ in range(2):
        builds.edit()
        builds.build()
        assert read_tree(builds.out) == builds.clean()
    replacement.wait_for_deletions()
    assert not builds.spare.exists()
    assert sorted(p.name for p in builds.root.iterdir()) == ["cache", "clean", "out", "site"]


def _ended_process() -> int:
    """The number of a process that has ended."""
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(ended.stdout)


def test_a_spare_whose_removal_was_killed_is_removed_by_the_next_build(builds: Builds) -> None:
    builds.with_spare()
    left = builds.cache / f".{SPARE_FOLDER}.removed-{_ended_process()}-1"
    shutil.copytree(builds.spare, left)
    builds.edit()
    builds.build()
    replacement.wait_for_deletions()
    assert not left.exists()
    assert builds.spare.is_dir()


def test_a_spare_being_removed_is_left_to_the_process_removing_it(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds.with_spare()
    # Left aside by a build that has ended, its removal still going on in a process of its
    # own, which holds the folder's lock (here, this test does).
    left = builds.cache / f".{SPARE_FOLDER}.removed-{_ended_process()}-1"
    shutil.copytree(builds.spare, left)
    removing = os.open(left, os.O_RDONLY)
    fcntl.flock(removing, fcntl.LOCK_EX)
    removals: list[Path] = []
    monkeypatch.setattr(replacement, "delete_in_background", removals.append)
    try:
        builds.edit()
        builds.build()
        # Every build that follows while it is being removed leaves it alone: a second
        # process removing the same folder would only slow the first.
        assert left not in removals and left.is_dir()
        # And a removal asked for all the same gives way to the one going on.
        replacement.remove_unless_held(str(left))
        assert left.is_dir()
    finally:
        os.close(removing)
    replacement.remove_unless_held(str(left))
    assert not left.exists()


def test_a_removal_never_follows_a_link(tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "file").write_text("kept")
    (tmp_path / "link").symlink_to(kept, target_is_directory=True)
    replacement.remove_unless_held(str(tmp_path / "link"))
    assert (kept / "file").read_text() == "kept"
