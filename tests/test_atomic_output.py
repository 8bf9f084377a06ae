"""The output folder is replaced in one atomic step: a build killed at any step of the
replacement leaves it complete (the previous output or the new one), and the next build
removes what the killed one left, and puts back an output it left aside."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from policygen import replacement
from policygen.errors import BuildFailed
from policygen.replacement import wait_for_deletions

from .conftest import ROOT, build_site, read_tree

SITE_YAML = """\
title: Example
base_url: https://policies.example.org/
default_language: en
languages: [en]
timezone: UTC
regions:
  global: {default: true, name: Everywhere}
"""
TEXT = "content/privacy/2024-01-01/en.md"
DRIVER = ROOT / "tests" / "kill_build.py"


def write_text(site: Path, words: str) -> None:
    (site / TEXT).write_text(f"---\neffective: 2024-01-01\n---\n{words}\n")


@pytest.fixture
def outputs(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """(site, OUT, the previous output, the new one): OUT holds the previous output, and the
    site now makes the new one."""
    site = tmp_path / "work" / "site"
    (site / TEXT).parent.mkdir(parents=True)
    (site / "site.yaml").write_text(SITE_YAML)
    write_text(site, "The new text.")
    build_site(site, tmp_path / "new")
    write_text(site, "The previous text.")
    out = tmp_path / "work" / "out"
    build_site(site, out)
    write_text(site, "The new text.")
    return site, out, read_tree(out), read_tree(tmp_path / "new")


def run_driver(site: Path, out: Path, stop: int, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DRIVER), str(site), str(out), str(stop), *options],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def kill_points(steps: list[str]) -> dict[str, int]:
    """Where to kill a build, by what it was about to do: before each step that renames or
    exchanges, and before the first, a middle and the last step removing the previous output."""
    points = {}
    removals = []
    for number, step in enumerate(steps, start=1):
        name = step.split()[1]
        if name in ("unlink", "rmdir"):
            removals.append(number)
        else:
            points[f"step {number}: {step.split(' ', 1)[1]}"] = number
    for label, number in (
        ("first removal", removals[0]),
        ("a middle removal", removals[len(removals) // 2]),
        ("last removal", removals[-1]),
    ):
        points[f"step {number}: {label}"] = number
    return points


@pytest.mark.parametrize("options", [(), ("--without-exchange",)], ids=["exchange", "two renames"])
def test_a_build_killed_at_any_step_of_the_replacement_leaves_the_output_complete(
    outputs: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], options: tuple[str, ...]
) -> None:
    if not options and replacement._exchange is None:
        pytest.skip("this system has no call that exchanges two folders")
    site, out, previous, new = outputs
    pristine = out.with_name("pristine")
    subprocess.run(["cp", "-a", str(out), str(pristine)], check=True)
    uninterrupted = run_driver(site, out, 0, *options)
    assert uninterrupted.returncode == 0, uninterrupted.stderr
    assert read_tree(out) == new
    steps = uninterrupted.stdout.splitlines()
    names = [step.split()[1] for step in steps if step.split()[1] not in ("unlink", "rmdir")]
    assert names == (["rename"] * 3 if options else ["exchange"])
    subprocess.run(["rm", "-rf", str(out)], check=True)

    for label, stop in kill_points(steps).items():
        subprocess.run(["cp", "-a", str(pristine), str(out)], check=True)
        killed = run_driver(site, out, stop, *options)
        assert killed.returncode == -9, (label, killed.stderr)
        assert killed.stdout.splitlines()[-1].startswith(f"{stop} "), label

        left = read_tree(out) if out.exists() else None
        if left is None:
            # Only the fallback has this instant, between its two renames: the previous
            # output is whole, aside, for the next build to put back.
            assert options and stop == 2, label
            (aside,) = [p for p in out.parent.iterdir() if ".policygen-old-" in p.name]
            assert read_tree(aside) == previous, label
        else:
            assert left in (previous, new), label

        # The next build, even one that fails, puts back what was aside and removes the rest.
        (site / TEXT).write_text("no front matter\n")
        with pytest.raises(BuildFailed):
            build_site(site, out)
        wait_for_deletions()
        assert read_tree(out) in (previous, new), label
        assert sorted(p.name for p in out.parent.iterdir()) == ["out", "pristine", "site"], label

        write_text(site, "The new text.")
        build_site(site, out)
        wait_for_deletions()
        assert read_tree(out) == new, label
        assert sorted(p.name for p in out.parent.iterdir()) == ["out", "pristine", "site"], label
        subprocess.run(["rm", "-rf", str(out)], check=True)


def test_the_fallback_leaves_no_output_only_between_its_two_renames_and_the_next_build_restores_it(
    outputs: tuple[Path, Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    site, out, previous, _ = outputs
    killed = run_driver(site, out, 2, "--without-exchange")
    assert killed.returncode == -9
    assert not out.exists()
    # A killed build of the next one, before it could put the output back, changes nothing.
    assert run_driver(site, out, 1, "--without-exchange").returncode == -9
    assert not out.exists()
    (site / TEXT).write_text("no front matter\n")
    with pytest.raises(BuildFailed):
        build_site(site, out)
    assert read_tree(out) == previous


LEFTOVERS: dict[str, Callable[[Path], Path]] = {
    "a staging folder": lambda out: replacement.leftover_name(out, "new", 999_999_999),
    "a previous output set aside": lambda out: replacement.leftover_name(out, "old", 999_999_999),
    "a staging folder's twin": lambda out: replacement.leftover_name(out, "twin", 999_999_999),
    "a staging folder of an earlier version": lambda out: out.with_name(".out.new-1"),
    "a previous output of an earlier version": lambda out: out.with_name(".out.old-1"),
}


@pytest.mark.parametrize("name", LEFTOVERS.values(), ids=LEFTOVERS.keys())
def test_the_next_build_removes_what_killed_builds_left(
    outputs: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], name: Callable[[Path], Path]
) -> None:
    site, out, _, new = outputs
    leftover = name(out)
    (leftover / "en").mkdir(parents=True)
    (leftover / "en/index.html").write_text("left by a killed build")
    build_site(site, out)
    wait_for_deletions()
    assert read_tree(out) == new
    assert sorted(p.name for p in out.parent.iterdir()) == ["out", "site"]


def test_a_folder_a_running_build_holds_is_not_removed(
    outputs: tuple[Path, Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    site, out, _, _ = outputs
    running = replacement.leftover_name(out, "new", 999_999_999)
    running.mkdir()
    held = os.open(running, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        build_site(site, out)
        wait_for_deletions()
        assert running.is_dir()
    finally:
        os.close(held)
    build_site(site, out)
    wait_for_deletions()
    assert not running.exists()


def test_other_folders_beside_the_output_are_left_alone(
    outputs: tuple[Path, Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    site, out, _, _ = outputs
    others = [".out.policygen-new-x", ".outside.policygen-new-1", ".out.backup", "out-old"]
    for other in others:
        (out.parent / other).mkdir()
    build_site(site, out)
    wait_for_deletions()
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([*others, "out", "site"])


def test_the_previous_output_is_removed_by_a_process_of_its_own(
    outputs: tuple[Path, Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    site, out, _, new = outputs
    build_site(site, out)
    # The build has returned; a process of its own removes the previous output meanwhile.
    removing = [d for d in replacement._DELETIONS if isinstance(d, subprocess.Popen)]
    assert removing and all(process.pid != os.getpid() for process in removing)
    wait_for_deletions()
    assert read_tree(out) == new
    assert sorted(path.name for path in out.parent.iterdir() if "policygen" in path.name) == []
