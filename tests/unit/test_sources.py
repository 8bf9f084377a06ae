"""Reading a site folder again: a file whose status did not change is not read again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from policygen.sources import CheckedTexts, SourceFile, read_site

from ..conftest import SiteFactory

TEXT = "---\ntitle: Privacy\n---\n\nWe keep your data safe.\n"
FILES = {"content/privacy/2024-01-01/en.md": TEXT}
LATER = 10**12
"""A reading that starts this many nanoseconds from now trusts every file written until then."""


def _read_again(root: Path, earlier: CheckedTexts, started: int) -> CheckedTexts:
    again = CheckedTexts(frozenset(earlier.found), earlier.found_files, started=started)
    sources, problems = read_site(root, again)
    assert problems == []
    return again


def _document(checked: CheckedTexts) -> SourceFile:
    return checked.found_files["content/privacy/2024-01-01/en.md"][1]


def test_a_file_whose_status_stayed_is_not_read_again(
    site_factory: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = site_factory(FILES)
    first = _read_again(root, CheckedTexts(), time.time_ns() + LATER)
    read: list[Path] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path) or original(path))
    second = _read_again(root, first, time.time_ns() + LATER)
    assert read == []
    assert _document(second) is _document(first)
    assert second.found == first.found


def test_a_file_rewritten_with_its_size_and_time_kept_is_read_again(
    site_factory: SiteFactory,
) -> None:
    root = site_factory(FILES)
    first = _read_again(root, CheckedTexts(), time.time_ns() + LATER)
    path = root / "content/privacy/2024-01-01/en.md"
    before = path.stat()
    time.sleep(0.05)  # more than a tick of the clock that stamps files
    path.write_text(TEXT.replace("safe", "SAFE"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time moves on
    second = _read_again(root, first, time.time_ns() + LATER)
    assert "SAFE" in _document(second).text


def test_a_file_changed_just_before_it_is_read_is_read_again_next_time(
    site_factory: SiteFactory,
) -> None:
    root = site_factory(FILES)
    # Written within a tick of the reading, it could be written again with the same status.
    first = _read_again(root, CheckedTexts(), time.time_ns())
    assert "content/privacy/2024-01-01/en.md" not in first.found_files
    assert "site.yaml" not in first.found_files
