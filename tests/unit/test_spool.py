"""spool: the model's texts kept in a temporary file, read back as the same values."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from policygen.canonical import CanonicalText
from policygen.loading import load_site
from policygen.sources import SourceFile
from policygen.spool import SMALLEST, keep_in_memory, spooled, stored

from ..conftest import SiteFactory


@pytest.fixture(autouse=True)
def spooling() -> Iterator[None]:
    # A preview made by another test of this process keeps texts in memory from then on.
    keep_in_memory(False)
    yield
    keep_in_memory(False)


TEXT = "# Privacy\n\n" + "We keep your data safe — 個人情報を守ります.\n\n" * 40
DIGEST = hashlib.sha256(TEXT.encode()).digest()


def test_a_spooled_value_reads_as_the_value_it_stands_for() -> None:
    lines = tuple(range(70_000, 70_200))
    plain = CanonicalText(TEXT, lines)
    kept = spooled(plain, text=plain.text, file_lines=plain.file_lines)
    assert stored(kept, "text") is not None and stored(kept, "file_lines") is not None
    assert stored(plain, "text") is None
    assert isinstance(kept, CanonicalText)
    assert (kept.text, kept.file_lines) == (TEXT, lines)
    assert kept == plain and plain == kept and hash(kept) == hash(plain)
    assert kept != CanonicalText(TEXT + "\n", lines)
    assert repr(kept) == repr(plain).replace("CanonicalText(", "SpooledCanonicalText(", 1)


def test_a_spooled_value_is_sent_and_stored_as_the_plain_value() -> None:
    kept = spooled(SourceFile("content/privacy/2024-01-01/en.md", TEXT, DIGEST), text=TEXT)
    copy = pickle.loads(pickle.dumps(kept))
    assert type(copy) is SourceFile and copy == kept
    encoded = msgspec.msgpack.encode(kept)
    assert msgspec.msgpack.decode(encoded, type=SourceFile) == SourceFile(kept.path, TEXT, DIGEST)


def test_one_text_is_written_once_for_two_values() -> None:
    first = spooled(CanonicalText(TEXT, (1,)), text=TEXT)
    where = stored(first, "text")
    assert where is not None and stored(first, "file_lines") is None  # too few to be worth it
    second = spooled(SourceFile("en.md", "ignored", DIGEST), text=where)
    assert stored(second, "text") == where and second.text == TEXT
    assert spooled(first, text="other") is first  # already spooled


def test_a_preview_keeps_its_texts_in_memory(tmp_path: Path) -> None:
    from policygen.serving import Preview

    Preview(tmp_path, tmp_path / "out", None)
    plain = CanonicalText(TEXT, (1,))
    assert spooled(plain, text=TEXT) is plain


def test_short_texts_stay_in_memory() -> None:
    short = "x" * (SMALLEST - 1)
    plain = CanonicalText(short, (1,))
    assert spooled(plain, text=short) is plain


def test_a_forked_process_reads_the_spool_but_keeps_its_own_texts_in_memory() -> None:
    kept = spooled(CanonicalText(TEXT, (1,)), text=TEXT)
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            own = CanonicalText(TEXT + "more\n", (1,))
            fine = kept.text == TEXT and spooled(own, text=own.text) is own
            os.write(writing, b"y" if fine else b"n")
        finally:
            os._exit(0)
    os.close(writing)
    answer = os.read(reading, 1)
    os.waitpid(pid, 0)
    assert answer == b"y"
    assert kept.text == TEXT  # nothing the child did reached the file


def test_the_model_of_a_site_holds_its_texts_in_the_spool(site_factory: SiteFactory) -> None:
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": f"---\neffective: 2024-01-01\n---\n{TEXT}"}
    )
    loaded = load_site(site, now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    document = loaded.site.policies[0].revisions[0].documents[("en", "global")]
    assert stored(document.canonical, "text") is not None
    assert stored(document.source, "body") is not None
    assert document.canonical.text.startswith("# Privacy\n")
    assert document.source.body == TEXT
    assert all(stored(file, "text") is not None for file in loaded.sources.documents)
