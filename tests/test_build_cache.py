"""The build cache: where it lies, that reading it runs no code, and that a damaged, foreign or
outdated one, or an output changed behind its back, never makes a page other than a build
from nothing would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import io
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

import policygen.assembly
import policygen.errors
import policygen.output
import policygen.rendering
import policygen.serving
import policygen.sources
from policygen import __version__
from policygen.canonical import CanonicalText
from policygen.incremental import environment
from policygen.incremental.cache import SPARE_FOLDER, BuildCache
from policygen.incremental.folder import (
    CACHE_FILE,
    CACHEDIR_TAG,
    RECYCLED,
    load_cache,
    save_cache,
)
from policygen.incremental.store import MAGIC, CacheRefused, read_cache, write_cache
from policygen.incremental.texts import TEXTS_FOLDER
from policygen.markdown import RenderedText
from policygen.model import Document
from policygen.output import Written
from policygen.pipeline import BuildResult, build
from policygen.progress import Progress, no_progress
from policygen.serving import Preview
from policygen.sources import read_code_digest

from .conftest import EXAMPLE_AS_OF, Run, copy_example, read_tree

CLI = Callable[..., Run]
AS_OF = ("--as-of", EXAMPLE_AS_OF.isoformat())
EVERY_PAGE = "this build makes every page"
KEPT = re.compile(r"; (\d+) pages were unchanged and kept")


pytestmark = pytest.mark.usefixtures("outside_ci")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "site")


@pytest.fixture
def clean(cli: CLI, site: Path, tmp_path: Path) -> dict[str, bytes]:
    """The example site's output as a build from nothing makes it."""
    assert cli("build", str(site), "-o", str(tmp_path / "clean"), "--no-cache", *AS_OF).code == 0
    return read_tree(tmp_path / "clean")


def cache_file_of(site: Path, user_cache: Path) -> Path:
    digest = hashlib.sha256(str(site.resolve()).encode()).hexdigest()
    return user_cache / "policygen" / digest / CACHE_FILE


def kept_pages(run: Run) -> int:
    found = KEPT.search(run.err)
    return int(found.group(1)) if found else 0


# Where it lies.


def test_the_cache_lies_in_the_users_cache_folder_by_the_sites_path(
    cli: CLI, site: Path, tmp_path: Path, user_cache_folder: Path
) -> None:
    before = read_tree(site)
    assert cli("build", str(site), "-o", str(tmp_path / "out"), *AS_OF).code == 0
    kept = cache_file_of(site, user_cache_folder)
    assert kept.read_bytes().startswith(MAGIC)
    assert (kept.parent / "CACHEDIR.TAG").read_bytes() == CACHEDIR_TAG
    # The output's twin is the spare the next build brings up to date.
    assert sorted(p.name for p in kept.parent.iterdir()) == sorted(
        ["CACHEDIR.TAG", CACHE_FILE, SPARE_FOLDER, "texts"]
    )
    assert read_tree(site) == before, "the build wrote into the site folder"
    run = cli("build", str(site), "-o", str(tmp_path / "out"), *AS_OF)
    assert kept_pages(run) == 52


def test_without_xdg_cache_home_the_cache_lies_in_dot_cache(
    cli: CLI, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cli("build", str(site), "-o", str(tmp_path / "out"), *AS_OF).code == 0
    assert cache_file_of(site, tmp_path / "home/.cache").is_file()


def test_cache_dir_keeps_the_cache_in_that_folder(
    cli: CLI, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")  # where it is kept from job to job: no spare output
    cache = tmp_path / "ci-cache"
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0
    assert sorted(p.name for p in cache.iterdir()) == ["CACHEDIR.TAG", CACHE_FILE, "texts"]
    # Moved, as a CI cache is restored into another checkout, the cache still serves.
    moved = copy_example(tmp_path / "elsewhere")
    run = cli("build", str(moved), "-o", str(tmp_path / "out2"), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0 and "unchanged" not in run.err  # another output folder
    run = cli("build", str(moved), "-o", str(tmp_path / "out2"), "--cache-dir", str(cache), *AS_OF)
    assert kept_pages(run) == 52


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_cache_dir_inside_the_site_is_refused(
    cli: CLI, site: Path, tmp_path: Path, command: str
) -> None:
    run = cli(command, str(site), "--cache-dir", str(site / "cache"), *AS_OF)
    assert run.code == 2
    assert run.err == (
        f"policygen: the cache folder {site / 'cache'} is inside the site folder, where a pull"
        " request could put a cache: choose one outside it\n"
    )
    assert not (site / "cache").exists()


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_a_cache_dir_that_holds_other_files_or_the_site_is_refused(
    cli: CLI, site: Path, tmp_path: Path, command: str
) -> None:
    # A cache tags its folder for backup tools to leave out, and replaces its `spare/`.
    home = tmp_path / "home"
    (home / "spare").mkdir(parents=True)
    (home / "spare/thesis.txt").write_text("years of work")
    run = cli(command, str(site), "--cache-dir", str(home), *AS_OF)
    assert (run.code, run.err) == (
        2,
        f"policygen: the cache folder {home} holds files that are not a policygen build cache:"
        " choose an empty or new folder (a cache tags its folder for backup tools to leave out)\n",
    )
    assert sorted(p.name for p in home.rglob("*")) == ["spare", "thesis.txt"]
    run = cli(command, str(site), "--cache-dir", str(site.parent), *AS_OF)
    assert (run.code, run.err) == (
        2,
        f"policygen: the cache folder {site.parent} holds the site folder: choose a folder of its own for the cache\n",
    )


def test_a_cache_folder_a_build_kept_is_used_again(cli: CLI, site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    out = ("-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    assert cli("build", str(site), *out).code == 0
    assert (cache / "CACHEDIR.TAG").is_file()
    (cache / CACHE_FILE).unlink()  # its tag alone says whose folder it is
    assert cli("build", str(site), *out).code == 0


def test_a_cache_dir_that_cannot_be_resolved_is_refused(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    run = cli("build", str(site), "--cache-dir", str(tmp_path / "loop"), *AS_OF)
    assert run.code == 2
    assert run.err.startswith(f"policygen: the cache folder {tmp_path / 'loop'} cannot be used (")
    assert len(run.err.splitlines()) == 1


def test_a_user_cache_folder_inside_the_site_is_not_used(
    cli: CLI, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(site / ".cache"))
    run = cli("build", str(site), "-o", str(tmp_path / "out"), *AS_OF)
    assert run.code == 0
    folder = site / ".cache/policygen" / hashlib.sha256(str(site.resolve()).encode()).hexdigest()
    assert run.err.splitlines()[0] == (
        f"policygen: the cache folder {folder} is inside the site folder, where a pull request"
        " could put a cache: choose one outside it; this build uses no cache"
    )
    assert not (site / ".cache").exists()


def test_no_cache_neither_reads_nor_writes_the_cache(
    cli: CLI, site: Path, tmp_path: Path, user_cache_folder: Path
) -> None:
    cache = tmp_path / "cache"
    cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    saved = (cache / CACHE_FILE).read_bytes()
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--no-cache", *AS_OF)
    assert run.code == 0 and "unchanged" not in run.err
    assert (cache / CACHE_FILE).read_bytes() == saved
    assert not any(user_cache_folder.iterdir())


def test_a_cache_that_cannot_be_saved_does_not_fail_the_build(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    (tmp_path / "cache").write_text("not a folder")
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"), *AS_OF)  # fmt: skip
    assert run.code == 0
    assert "policygen: the build cache could not be saved:" in run.err
    assert (tmp_path / "out/index.html").is_file()


def test_the_cache_is_saved_again_only_when_it_changed(
    cli: CLI, site: Path, tmp_path: Path, settled: None
) -> None:
    out, cache = tmp_path / "out", ("--cache-dir", str(tmp_path / "cache"))
    kept = tmp_path / "cache" / CACHE_FILE
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    # The files were stamped as they were written: the next build learns nothing new.
    saved = kept.read_bytes(), kept.stat().st_mtime_ns
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    assert (kept.read_bytes(), kept.stat().st_mtime_ns) == saved
    (site / "locales/ja/LC_MESSAGES/messages.po").write_text(
        (site / "locales/ja/LC_MESSAGES/messages.po")
        .read_text("utf-8")
        .replace("作成した例示であり", "作成した例であり"),
        "utf-8",
    )
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    assert kept.read_bytes() != saved[0]


def test_saving_the_cache_leaves_nothing_aside_and_removes_what_killed_builds_left(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    out, folder = tmp_path / "out", tmp_path / "cache"
    cli("build", str(site), "-o", str(out), "--cache-dir", str(folder), *AS_OF)
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(ended.stdout)
    left = [folder / f".{CACHE_FILE}.new-{dead}", folder / f".{CACHE_FILE}.old-{dead}"]
    for path in left:
        path.write_bytes(b"left by a killed build")
    (site / "content/privacy/2027-01-01/en.md").write_text(
        (site / "content/privacy/2027-01-01/en.md")
        .read_text("utf-8")
        .replace("to respecting", "to fully respecting"),
        "utf-8",
    )
    assert cli("build", str(site), "-o", str(out), "--cache-dir", str(folder), *AS_OF).code == 0
    assert not any(path.exists() for path in left)
    # Only the file the save replaced, kept for the next save to write into.
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [RECYCLED]
    assert load_cache(folder)[1] is None


def _edit_and_build(cli: CLI, site: Path, out: Path, folder: Path, word: str) -> None:
    text = site / "content/privacy/2027-01-01/en.md"
    text.write_text(text.read_text("utf-8").replace("respecting", word, 1), "utf-8")
    assert cli("build", str(site), "-o", str(out), "--cache-dir", str(folder), *AS_OF).code == 0


def test_a_save_writes_into_the_cache_file_the_last_one_replaced(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    out, folder = tmp_path / "out", tmp_path / "cache"
    assert cli("build", str(site), "-o", str(out), "--cache-dir", str(folder), *AS_OF).code == 0
    assert not (folder / RECYCLED).exists()  # no file replaced yet
    replaced = (folder / CACHE_FILE).stat().st_ino
    _edit_and_build(cli, site, out, folder, "fully respecting")
    assert (folder / RECYCLED).stat().st_ino == replaced
    now = (folder / CACHE_FILE).stat().st_ino
    _edit_and_build(cli, site, out, folder, "truly respecting")
    # Written into, then exchanged with the cache file: the two files swap names.
    assert (folder / CACHE_FILE).stat().st_ino == replaced
    assert (folder / RECYCLED).stat().st_ino == now
    cache, notice = load_cache(folder)
    assert notice is None
    run = cli("build", str(site), "-o", str(out), "--cache-dir", str(folder), *AS_OF)
    assert "unchanged" in run.err


def test_a_build_in_ci_keeps_no_replaced_cache_file(
    cli: CLI, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, folder = tmp_path / "out", tmp_path / "cache"
    for word in ("fully respecting", "truly respecting"):
        _edit_and_build(cli, site, out, folder, word)
    assert (folder / RECYCLED).exists()
    monkeypatch.setenv("CI", "true")
    _edit_and_build(cli, site, out, folder, "always respecting")
    assert not (folder / RECYCLED).exists()
    assert load_cache(folder)[1] is None


def test_a_replaced_cache_file_that_is_a_link_is_not_written_through(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    out, folder = tmp_path / "out", tmp_path / "cache"
    for word in ("fully respecting", "truly respecting"):
        _edit_and_build(cli, site, out, folder, word)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"not policygen's")
    (folder / RECYCLED).unlink()
    (folder / RECYCLED).symlink_to(elsewhere)
    _edit_and_build(cli, site, out, folder, "always respecting")
    assert elsewhere.read_bytes() == b"not policygen's"
    assert load_cache(folder)[1] is None


# Reading it runs no code.


class _RunsCode:
    """What unpickling makes: a call of Path.write_text, creating `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "code from the site folder ran"))


def _plant_pickles(site: Path, marker: Path) -> None:
    """Pickles that run code, where earlier versions of policygen read their cache."""
    payload = pickle.dumps(_RunsCode(marker), protocol=pickle.HIGHEST_PROTOCOL)
    # As earlier versions checked it: a header anyone can compute from the public source.
    header = b"policygen build cache 1 " + read_code_digest().encode() + b"\n"
    folder = site / ".policygen-cache"
    folder.mkdir()
    for name in ("build.pickle", CACHE_FILE):
        (folder / name).write_bytes(header + payload)
    # The pickle does run code when unpickled: so the test below can fail.
    pickle.loads(payload)
    assert marker.read_text() == "code from the site folder ran"
    marker.unlink()


@pytest.fixture
def serve_once(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Preview]]:
    """`policygen serve` as the command line starts it, building once instead of serving."""
    previews: list[Preview] = []

    def build_once(site: Path, out: Path, **options: object) -> int:
        preview = Preview(site, out, options["as_of"], options["cache"])  # type: ignore[arg-type]
        preview.rebuild()
        previews.append(preview)
        return 0

    monkeypatch.setattr(policygen.serving, "serve", build_once)
    yield previews


def test_a_pickle_in_the_site_folder_is_never_loaded(
    cli: CLI, site: Path, tmp_path: Path, serve_once: list[Preview], clean: dict[str, bytes]
) -> None:
    marker = tmp_path / "marker"
    _plant_pickles(site, marker)
    for _ in range(2):
        assert cli("build", str(site), "-o", str(tmp_path / "out"), *AS_OF).code == 0
        assert not marker.exists()
    assert cli("serve", str(site), "-o", str(tmp_path / "served"), *AS_OF).code == 0
    assert not serve_once[0].failed
    assert not marker.exists()
    assert read_tree(tmp_path / "out") == read_tree(tmp_path / "served") == clean


def test_a_cache_copied_into_the_site_folder_is_not_read(
    cli: CLI, site: Path, tmp_path: Path, user_cache_folder: Path
) -> None:
    out = tmp_path / "out"
    cli("build", str(site), "-o", str(out), *AS_OF)
    kept = cache_file_of(site, user_cache_folder)
    (site / ".policygen-cache").mkdir()
    kept.rename(site / ".policygen-cache" / CACHE_FILE)
    run = cli("build", str(site), "-o", str(out), *AS_OF)
    assert run.code == 0 and kept_pages(run) == 0


# A cache that is not used, and why.


def _flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def _foreign_key(data: bytes) -> bytes:
    head, made_with, rest = data.split(b"\n", 2)
    return b"\n".join((head, made_with.split(b" ")[0] + b" " + b"0" * 64, rest))


DAMAGE = {
    "one byte changed": (_flip_a_byte, "was damaged"),
    "cut short": (lambda data: data[: len(data) * 2 // 3], "was damaged"),
    "its checksum changed": (lambda data: data[:-8] + b"0" * 8, "was damaged"),
    "with bytes after its checksum": (lambda data: data + b"\n", "was damaged"),
    "empty": (lambda data: b"", "is not a policygen build cache"),
    "another file": (lambda data: b"\x80\x05garbage", "is not a policygen build cache"),
    "made by other code": (
        _foreign_key,
        "was made by another version of policygen, Python or a library",
    ),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_or_foreign_cache_is_ignored_with_one_line(
    cli: CLI, site: Path, tmp_path: Path, damage: str, clean: dict[str, bytes]
) -> None:
    change, reason = DAMAGE[damage]
    out, cache = tmp_path / "out", tmp_path / "cache"
    cli("build", str(site), "-o", str(out), "--cache-dir", str(cache), *AS_OF)
    kept = cache / CACHE_FILE
    kept.write_bytes(change(kept.read_bytes()))
    # Into another folder: a build of the same one, with nothing changed since two seconds
    # or more (a slow machine), repeats the last build's report without reading the cache.
    other = tmp_path / "other"
    run = cli("build", str(site), "-o", str(other), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0
    notice, built = run.err.splitlines()
    assert notice == f"policygen: the build cache at {kept} {reason} and is ignored; {EVERY_PAGE}"
    assert built.startswith("policygen: built 52 pages") and "unchanged" not in built
    assert read_tree(other) == clean
    assert load_cache(cache)[1] is None, "the cache was not replaced by a good one"


def test_an_unreadable_cache_is_ignored_with_one_line(
    cli: CLI, site: Path, tmp_path: Path, clean: dict[str, bytes]
) -> None:
    cache = tmp_path / "cache"
    (cache / CACHE_FILE).mkdir(parents=True)
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0
    assert run.err.splitlines()[0] == (
        f"policygen: the build cache at {cache / CACHE_FILE} cannot be read (Is a directory)"
        f" and is ignored; {EVERY_PAGE}"
    )
    assert read_tree(tmp_path / "out") == clean


def test_serve_ignores_a_damaged_cache_with_one_line(
    cli: CLI, site: Path, tmp_path: Path, serve_once: list[Preview], clean: dict[str, bytes]
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    cli("build", str(site), "-o", str(out), "--cache-dir", str(cache), *AS_OF)
    (cache / CACHE_FILE).write_bytes(_flip_a_byte((cache / CACHE_FILE).read_bytes()))
    run = cli("serve", str(site), "-o", str(out), "--cache-dir", str(cache), *AS_OF)
    assert run.err.splitlines()[0] == (
        f"policygen: the build cache at {cache / CACHE_FILE} was damaged and is ignored; {EVERY_PAGE}"
    )
    assert serve_once[0].rendered == 52
    assert read_tree(out) == clean


def _forged(site: Path, tmp_path: Path, cli: CLI, change: Callable[[BuildCache], None]) -> Path:
    """A cache folder holding a cache of the site, changed, with a checksum that matches."""
    cache = tmp_path / "forged"
    cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    kept, _ = load_cache(cache)
    change(kept)
    save_cache(cache, kept)
    return cache


def _change_a_text(cache: BuildCache) -> None:
    digest, (policy, problems) = next(iter(cache.assembly.policies.items()))
    revision = policy.revisions[0]
    key, document = next(iter(revision.documents.items()))
    # A new value: the text kept is read out of the cache file when it is asked for.
    canonical = CanonicalText(document.canonical.text + "Added.\n", document.canonical.file_lines)
    documents = {**revision.documents, key: dataclasses.replace(document, canonical=canonical)}
    revisions = (dataclasses.replace(revision, documents=documents), *policy.revisions[1:])
    cache.assembly.policies[digest] = (dataclasses.replace(policy, revisions=revisions), problems)


FORGERIES: dict[str, Callable[[BuildCache], None]] = {
    "a file outside the output": lambda cache: cache.files.update(
        {"../outside.html": Written("0" * 64, 0)}
    ),
    "an absolute path": lambda cache: cache.files.update({"/etc/passwd": Written("0" * 64, 0)}),
    "a part's file not in the output": lambda cache: cache.parts.update({"x": ("nowhere.html",)}),
    "a digest that is not one": lambda cache: cache.files.update(
        {"index.html": Written("not a digest", 1)}
    ),
    "a policy under other inputs": lambda cache: cache.assembly.policies.update(
        {"0" * 64: next(iter(cache.assembly.policies.values()))}
    ),
}


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
def test_a_cache_whose_items_do_not_hold_together_is_ignored(
    cli: CLI, site: Path, tmp_path: Path, forgery: str, clean: dict[str, bytes]
) -> None:
    cache = _forged(site, tmp_path, cli, FORGERIES[forgery])
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0
    assert run.err.splitlines()[0] == (
        f"policygen: the build cache at {cache / CACHE_FILE} was damaged and is ignored; {EVERY_PAGE}"
    )
    assert read_tree(tmp_path / "out") == clean


def test_a_text_that_is_not_the_one_its_sha256_names_is_never_published(
    cli: CLI, site: Path, tmp_path: Path, clean: dict[str, bytes]
) -> None:
    cache = _forged(site, tmp_path, cli, _change_a_text)
    # Into another folder: every page is made again, from the texts the cache holds. The
    # forged one is found as it is read, and the build starts again without the cache.
    run = cli("build", str(site), "-o", str(tmp_path / "other"), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0 and "Traceback" not in run.err
    assert run.err.splitlines()[0] == (
        f"policygen: the build cache at {cache / CACHE_FILE} holds a text that does not have its SHA-256 and is ignored; {EVERY_PAGE}"
    )
    assert read_tree(tmp_path / "other") == clean
    # The cache it saved instead holds the texts as they are.
    run = cli("build", str(site), "-o", str(tmp_path / "third"), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0 and run.err.count("\n") == 1
    assert read_tree(tmp_path / "third") == clean


def test_serve_never_publishes_a_text_that_is_not_the_one_its_sha256_names(
    cli: CLI, site: Path, tmp_path: Path, serve_once: list[Preview], clean: dict[str, bytes]
) -> None:
    cache = _forged(site, tmp_path, cli, _change_a_text)
    out = tmp_path / "served"
    run = cli("serve", str(site), "-o", str(out), "--cache-dir", str(cache), *AS_OF)
    assert run.err.splitlines()[0] == (
        f"policygen serve: the build cache holds a text that does not have its SHA-256 and is ignored; {EVERY_PAGE}"
    )
    assert not serve_once[0].failed and serve_once[0].rendered == 52
    assert read_tree(out) == clean


# The texts' HTML, kept in files of their own.


def _html_files(cache: Path) -> list[Path]:
    return sorted((cache / TEXTS_FOLDER).iterdir())


def _swap_two(files: list[Path]) -> None:
    first, second = files[0].read_bytes(), files[1].read_bytes()
    files[0].write_bytes(second)
    files[1].write_bytes(first)


def _link_elsewhere(files: list[Path]) -> None:
    for file in files:
        elsewhere = file.with_name("elsewhere")
        elsewhere.write_bytes(file.read_bytes())
        file.unlink()
        file.symlink_to(elsewhere)


HTML_DAMAGE: dict[str, Callable[[list[Path]], None]] = {
    "one byte changed": lambda files: [f.write_bytes(_flip_a_byte(f.read_bytes())) for f in files],
    "cut short": lambda files: [f.write_bytes(f.read_bytes()[:-1]) for f in files],
    "removed": lambda files: [f.unlink() for f in files],
    "another text's under its name": _swap_two,
    "not UTF-8": lambda files: [f.write_bytes(b"\xff\xfe" + f.read_bytes()) for f in files],
    "a link to a file outside": _link_elsewhere,
}


@pytest.mark.parametrize("damage", HTML_DAMAGE, ids=list(HTML_DAMAGE))
def test_a_damaged_html_file_is_rendered_again(
    cli: CLI, site: Path, tmp_path: Path, damage: str, clean: dict[str, bytes]
) -> None:
    cache = ("--cache-dir", str(tmp_path / "cache"))
    assert cli("build", str(site), "-o", str(tmp_path / "out"), *cache, *AS_OF).code == 0
    HTML_DAMAGE[damage](_html_files(tmp_path / "cache"))
    # Into another folder: every page is made again, from the texts the cache holds.
    run = cli("build", str(site), "-o", str(tmp_path / "other"), *cache, *AS_OF)
    assert run.code == 0 and run.err.count("\n") == 1 and "Traceback" not in run.err
    assert read_tree(tmp_path / "other") == clean


def test_the_cache_file_holds_no_html_and_the_build_process_none_of_it(
    site: Path, tmp_path: Path
) -> None:
    from policygen.pipeline import build

    from .conftest import NOW

    cache, _ = load_cache(tmp_path / "cache")
    build(site, tmp_path / "out", now=NOW, as_of=EXAMPLE_AS_OF, cache=cache, jobs=2)
    assert cache.texts and not any(text.html for text in cache.texts.values())
    files = _html_files(tmp_path / "cache")
    assert {file.name for file in files} == set(cache.html.values())
    assert all(hashlib.sha256(file.read_bytes()).hexdigest() == file.name for file in files)
    save_cache(tmp_path / "cache", cache)
    assert b"<p>" not in (tmp_path / "cache" / CACHE_FILE).read_bytes()


def test_html_files_no_text_names_any_more_are_removed(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    cache = ("--cache-dir", str(tmp_path / "cache"))
    assert cli("build", str(site), "-o", str(tmp_path / "out"), *cache, *AS_OF).code == 0
    kept = {file.name for file in _html_files(tmp_path / "cache")}
    (tmp_path / "cache" / TEXTS_FOLDER / ("0" * 64)).write_text("<p>a text gone</p>")
    (tmp_path / "cache" / TEXTS_FOLDER / f"{'1' * 64}.new-123").write_text("<p>left aside</p>")
    (tmp_path / "cache" / TEXTS_FOLDER / "notes.txt").write_text("not policygen's")
    # Into another folder, so that the cache is saved again.
    assert cli("build", str(site), "-o", str(tmp_path / "other"), *cache, *AS_OF).code == 0
    assert {file.name for file in _html_files(tmp_path / "cache")} == kept | {"notes.txt"}


# The output a build keeps is what the previous build wrote.


def _change_keeping_size_and_time(file: Path) -> None:
    """Change a file's bytes, keeping its size and modification time (as a copy or an
    archive can)."""
    stat = file.stat()
    data = file.read_bytes()
    changed = data.replace(b"<title>", b"<title>X", 1)[: len(data)]
    assert changed != data and len(changed) == len(data)
    file.write_bytes(changed)
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_kept_file_whose_bytes_changed_is_made_again(
    cli: CLI, site: Path, tmp_path: Path, clean: dict[str, bytes]
) -> None:
    out, cache = tmp_path / "out", ("--cache-dir", str(tmp_path / "cache"))
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    _change_keeping_size_and_time(out / "ja/europe/privacy/history/index.html")
    run = cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    # The page is made again with the other page of its part: the policy's page in force.
    assert run.code == 0 and kept_pages(run) == 50
    assert read_tree(out) == clean


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as unchanged for long enough to be stamped as soon as they are read back."""
    monkeypatch.setattr(policygen.output, "SETTLED", 0)


def _states(out: Path) -> dict[str, tuple[int, int, int]]:
    """Each file's and folder's inode, change time and number of links."""
    found = {}
    for path in [out, *sorted(out.rglob("*"))]:
        stat = path.lstat()
        found[str(path.relative_to(out))] = stat.st_ino, stat.st_ctime_ns, stat.st_nlink
    return found


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every file of the output read back (by its descriptor)."""
    read: list[int] = []
    readv = os.readv

    def counted(descriptor: int, buffers: list[bytearray]) -> int:
        read.append(descriptor)
        return readv(descriptor, buffers)

    monkeypatch.setattr(os, "readv", counted)
    return read


def test_a_build_that_changes_nothing_leaves_the_output_untouched(
    cli: CLI, site: Path, tmp_path: Path, clean: dict[str, bytes], settled: None, reads: list[int]
) -> None:
    out, cache = tmp_path / "out", ("--cache-dir", str(tmp_path / "cache"))
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    before = _states(out)
    # The files were stamped as they were written: the build after reads none back.
    run = cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    assert run.code == 0 and kept_pages(run) == 52 and not reads
    assert _states(out) == before, "a file was written, linked or replaced"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "clean", "out", "site"]
    assert read_tree(out) == clean


# A check reads the cache the last build left, and writes nothing.


def _check(site: Path, cache: Path) -> BuildResult:
    """`policygen check` of the site with the cache in `cache`, as the command runs it."""
    kept, notice = load_cache(cache)
    assert notice is None
    return build(site, None, now=dt.datetime.now(dt.UTC), as_of=EXAMPLE_AS_OF, cache=kept)


def _folder_state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_check_after_a_build_makes_again_only_the_pages_whose_inputs_changed(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    assert _check(site, cache).rendered == 0
    _edit_upcoming(site, cli)
    # What the next build makes again: the upcoming English revision's page and diff page in
    # each region (the current page, which announces it, did not change).
    checked = _check(site, cache)
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    assert checked.rendered == 52 - kept_pages(run) == 4
    # Without the cache, every page.
    assert build(site, None, now=dt.datetime.now(dt.UTC), as_of=EXAMPLE_AS_OF).rendered == 52


def test_a_check_writes_nothing_in_the_cache_folder(cli: CLI, site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    before = _folder_state(cache)
    _edit_upcoming(site, cli)  # a text the cache does not hold is rendered
    run = cli("check", str(site), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0 and run.err == "policygen: no problems\n"
    assert _folder_state(cache) == before


def test_a_check_after_a_build_finds_a_template_error_and_a_link_to_nowhere(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    cache = ("--cache-dir", str(tmp_path / "cache"))
    cli("build", str(site), "-o", str(tmp_path / "out"), *cache, *AS_OF)
    template = site / "templates/document.html"
    good = template.read_text("utf-8")
    template.write_text(good.replace("{{ super() }}", "{{ super() }}{{ 1 / 0 }}", 1), "utf-8")
    run = cli("check", str(site), *cache, *AS_OF)
    assert run.code == 1
    assert "templates/document.html:" in run.err and "template error" in run.err
    template.write_text(good, "utf-8")
    text = site / "content/privacy/2027-01-01/en.md"
    text.write_text(text.read_text("utf-8") + "\nSee [nowhere](#no-such-section).\n", "utf-8")
    run = cli("check", str(site), *cache, *AS_OF)
    assert run.code == 0 and "en.md:123: warning: link to '#no-such-section'" in run.err
    assert cli("check", str(site), *cache, "--strict", *AS_OF).code == 1
    assert run.err == cli("check", str(site), "--no-cache", *AS_OF).err


def test_a_check_ignores_a_cache_holding_a_text_that_is_not_the_one_its_sha256_names(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    cache = _forged(site, tmp_path, cli, _change_a_text)
    # The site's template changed: every page is made again, from the texts the cache holds.
    template = site / "templates/document.html"
    template.write_text(template.read_text("utf-8") + "\n", "utf-8")
    run = cli("check", str(site), "--cache-dir", str(cache), *AS_OF)
    assert run.code == 0 and "Traceback" not in run.err
    assert run.err.splitlines() == [
        f"policygen: the build cache at {cache / CACHE_FILE} holds a text that does not have its SHA-256 and is ignored; this check renders every page",
        "policygen: no problems",
    ]


@pytest.mark.parametrize("command", ["lock", "status"])
def test_lock_and_status_after_a_build_render_only_the_texts_the_cache_lacks(
    cli: CLI, site: Path, tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cli("build", str(site), "-o", str(tmp_path / "out"), "--cache-dir", str(cache), *AS_OF)
    before = _folder_state(cache)
    rendered: list[int] = []
    render_documents = policygen.rendering.render_documents

    def counted(
        documents: Sequence[Document], jobs: int = 1, progress: Progress = no_progress
    ) -> list[RenderedText]:
        rendered.append(len(documents))
        return render_documents(documents, jobs, progress)

    monkeypatch.setattr(policygen.rendering, "render_documents", counted)
    assert cli(command, str(site), "--cache-dir", str(cache), *AS_OF).code == 0
    assert rendered == [0]
    _edit_upcoming(site, cli)
    rendered.clear()
    assert cli(command, str(site), "--cache-dir", str(cache), *AS_OF).code == 0
    assert rendered == [1], "only the edited text"
    assert cli(command, str(site), "--no-cache", *AS_OF).code == 0
    assert rendered[1] > 1
    assert _folder_state(cache) == before


def _edit_upcoming(site: Path, cli: CLI) -> None:
    """A change to the pages of one text: the upcoming revision's English text, locked again."""
    upcoming = site / "content/privacy/2027-01-01/en.md"
    text = upcoming.read_text("utf-8")
    upcoming.write_text(text.replace("to respecting", "to fully respecting", 1), "utf-8")
    assert cli("lock", str(site), *AS_OF).code == 0


SECOND = 1_000_000_000


@pytest.mark.parametrize(
    ("changed_before", "is_kept"),
    [(3 * SECOND, True), (2 * SECOND, True), (2 * SECOND - 1, False), (0, False)],
)
def test_a_stamp_is_kept_only_for_a_file_unchanged_two_seconds_before_the_output_is_in_place(
    changed_before: int, is_kept: bool
) -> None:
    moment = 1_700_000_000 * SECOND
    stamp = (1, 2, 3, moment - 5 * SECOND, moment - changed_before)
    found = policygen.output.settled_by({"a.html": Written("0" * 64, 3, stamp)}, moment)
    assert found["a.html"] == Written("0" * 64, 3, stamp if is_kept else ())


def test_a_file_is_stamped_as_it_is_written(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    output = policygen.output.Output(tmp_path / "out")
    output.open()
    record = output.write("en/index.html", b"<p>page</p>")
    written = output.folder / "en/index.html"
    assert record.stamp == policygen.output.stamp_of(written.lstat())
    output.abandon()


# A file changed behind a stamp: after the build that wrote it, after the build that
# linked it into a new output, and after the build that left the output as it was.
STAMPED_BY = {
    "written": [],
    "linked": [_edit_upcoming],
    "left as it was": [lambda site, cli: None],
}


@pytest.mark.parametrize("stamped_by", STAMPED_BY, ids=list(STAMPED_BY))
def test_a_kept_file_whose_bytes_changed_behind_its_stamp_is_made_again(
    cli: CLI, site: Path, tmp_path: Path, settled: None, stamped_by: str
) -> None:
    out, cache = tmp_path / "out", ("--cache-dir", str(tmp_path / "cache"))
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    for change in STAMPED_BY[stamped_by]:
        change(site, cli)
        cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    assert cli("build", str(site), "-o", str(tmp_path / "clean"), "--no-cache", *AS_OF).code == 0
    # Changed in place: where the output before last is kept, it holds the same file.
    _change_keeping_size_and_time(out / "ja/europe/privacy/history/index.html")
    run = cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    assert run.code == 0 and kept_pages(run) == 50
    assert read_tree(out) == read_tree(tmp_path / "clean")


def test_a_file_added_to_an_unchanged_output_is_taken_away(
    cli: CLI, site: Path, tmp_path: Path, clean: dict[str, bytes], settled: None
) -> None:
    out, cache = tmp_path / "out", ("--cache-dir", str(tmp_path / "cache"))
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    (out / "en/stray.html").write_text("not policygen's")
    (out / "en/global/elsewhere").symlink_to(tmp_path / "site")
    run = cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    assert run.code == 0 and kept_pages(run) == 52
    assert read_tree(out) == clean
    assert not (out / "en/global/elsewhere").is_symlink()


def test_a_kept_file_replaced_by_a_link_is_made_again(
    cli: CLI, site: Path, tmp_path: Path, clean: dict[str, bytes]
) -> None:
    out, cache = tmp_path / "out", ("--cache-dir", str(tmp_path / "cache"))
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    page = out / "ja/europe/privacy/history/index.html"
    (tmp_path / "elsewhere.html").write_bytes(page.read_bytes())
    page.unlink()
    page.symlink_to(tmp_path / "elsewhere.html")
    assert cli("build", str(site), "-o", str(out), *cache, *AS_OF).code == 0
    assert not page.is_symlink()
    assert read_tree(out) == clean


def test_serve_starting_from_the_cache_makes_again_a_file_whose_bytes_changed(
    cli: CLI, site: Path, tmp_path: Path, serve_once: list[Preview], clean: dict[str, bytes]
) -> None:
    out, cache = tmp_path / "out", ("--cache-dir", str(tmp_path / "cache"))
    cli("build", str(site), "-o", str(out), *cache, *AS_OF)
    _change_keeping_size_and_time(out / "ja/europe/privacy/history/index.html")
    assert cli("serve", str(site), "-o", str(out), *cache, *AS_OF).code == 0
    assert serve_once[0].rendered == 2
    assert read_tree(out) == clean


# Other versions of what builds.


@pytest.fixture
def library_versions(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Stand-ins for the versions of the libraries policygen runs with: change one to change
    what every kept build is valid for."""
    versions = dict(environment.library_versions())
    monkeypatch.setattr(environment, "library_versions", lambda: versions)
    return versions


def test_the_key_covers_every_library_that_shapes_output() -> None:
    versions = environment.library_versions()
    for name in (
        "jinja2",
        "markupsafe",
        "markdown-it-py",
        "mdit-py-plugins",
        "mdurl",
        "babel",
        "nh3",
        "pyyaml",
        "msgspec",
    ):
        assert versions[f"library {name}"] == importlib.metadata.version(name)
    assert versions["library policygen"] == __version__
    assert versions["cldr"].isdigit()
    assert versions["tz database"]


def test_a_library_upgrade_makes_every_page_again(
    cli: CLI, site: Path, tmp_path: Path, library_versions: dict[str, str], user_cache_folder: Path
) -> None:
    out = tmp_path / "out"
    cli("build", str(site), "-o", str(out), *AS_OF)
    library_versions["library nh3"] += ".post1"
    run = cli("build", str(site), "-o", str(out), *AS_OF)
    kept = cache_file_of(site, user_cache_folder)
    assert run.err.splitlines()[0] == (
        f"policygen: the build cache at {kept} was made by another version of policygen,"
        f" Python or a library and is ignored; {EVERY_PAGE}"
    )
    assert kept_pages(run) == 0
    assert kept_pages(cli("build", str(site), "-o", str(out), *AS_OF)) == 52


def test_serve_after_a_library_upgrade_makes_every_page_again(
    site: Path, tmp_path: Path, library_versions: dict[str, str]
) -> None:
    preview = Preview(site, tmp_path / "out", EXAMPLE_AS_OF)
    preview.rebuild()
    preview.rebuild()
    assert preview.rendered == 0
    library_versions["cldr"] = "0"
    preview.rebuild()
    assert preview.rendered == 52


@pytest.mark.parametrize(
    "change",
    [
        lambda versions: versions.update({"library jinja2": "0.0"}),
        lambda versions: versions.update({"tz database": "2099z"}),
        lambda versions: versions.pop("library markupsafe"),
    ],
    ids=["a library", "the time zone database", "a library gone"],
)
def test_the_environment_key_changes_with_any_version(
    library_versions: dict[str, str], change: Callable[[dict[str, str]], object]
) -> None:
    before = environment.environment_key()
    change(library_versions)
    assert environment.environment_key() != before


def test_a_cache_of_another_environment_is_refused(library_versions: dict[str, str]) -> None:
    kept = io.BytesIO()
    write_cache(BuildCache(environment.environment_key()), kept)
    kept.seek(0)
    assert read_cache(kept, environment.environment_key()) == BuildCache(
        environment.environment_key()
    )
    library_versions["library pyyaml"] = "7"
    kept.seek(0)
    with pytest.raises(CacheRefused, match="another version"):
        read_cache(kept, environment.environment_key())


def test_a_parallel_build_keeps_each_policys_manifest_and_texts_for_the_next(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import policygen.forking
    from policygen.pipeline import build

    from .conftest import NOW

    monkeypatch.setattr(policygen.forking, "PARALLEL_FROM", 2)  # so that the example forks
    cache = BuildCache()
    build(site, tmp_path / "out", now=NOW, as_of=EXAMPLE_AS_OF, cache=cache, jobs=2)
    assert len(cache.manifest) == 2  # made in the build process, while workers made pages
    assert cache.texts and all(text.html for text in cache.texts.values())


# What is not done again.


def test_a_file_read_before_is_not_searched_for_forbidden_characters_again(
    cli: CLI, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = str(tmp_path / "out")
    assert cli("build", str(site), "-o", out, *AS_OF).code == 0
    searched: list[str] = []
    search = policygen.sources.check_text

    def counted(text: str, where: policygen.errors.SourceLocation) -> list[object]:
        searched.append(where.path)
        return search(text, where)

    monkeypatch.setattr(policygen.sources, "check_text", counted)
    edited = site / "content/privacy/2027-01-01/en.md"
    edited.write_text(edited.read_text("utf-8").replace("respecting", "fully respecting", 1))
    assert cli("build", str(site), "-o", out, *AS_OF).code == 0
    assert searched == ["content/privacy/2027-01-01/en.md"]
    # Bytes it holds now, which were never found clean, are searched whatever the cache says.
    edited.write_text(edited.read_text("utf-8").replace("fully", "fully\u0007", 1))
    run = cli("build", str(site), "-o", out, *AS_OF)
    assert run.code == 1
    assert "content/privacy/2027-01-01/en.md:12:" in run.err
    assert "invisible control character (U+0007)" in run.err


def test_only_the_revision_whose_files_changed_is_read_again(
    cli: CLI, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean: dict[str, bytes]
) -> None:
    out = str(tmp_path / "out")
    assert cli("build", str(site), "-o", out, *AS_OF).code == 0
    read: list[str] = []
    assemble = policygen.assembly._assemble_revision

    def counted(folder: str, *args: object) -> object:
        read.append(folder)
        return assemble(folder, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(policygen.assembly, "_assemble_revision", counted)
    edited = site / "content/privacy/2027-01-01/en.md"
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("respecting", "fully respecting", 1))
    assert cli("build", str(site), "-o", out, *AS_OF).code == 0
    # The other revisions of the policy are taken as the last build made them.
    assert read == ["content/privacy/2027-01-01"]
    edited.write_text(text)
    assert cli("build", str(site), "-o", out, *AS_OF).code == 0
    assert read_tree(Path(out)) == clean
