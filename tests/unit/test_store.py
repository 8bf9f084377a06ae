"""incremental.store: a BuildCache → bytes → the same BuildCache, and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import typing
from pathlib import Path
from typing import Any

import pytest

from policygen.canonical import CanonicalText
from policygen.errors import SourceLocation, warning
from policygen.incremental.cache import BuildCache
from policygen.incremental.environment import environment_key
from policygen.incremental.store import CacheRefused, read_cache, write_cache
from policygen.incremental.texts import HtmlFolder
from policygen.markdown import RenderedText, render_markdown
from policygen.model import Policy
from policygen.output import Written
from policygen.pipeline import build

from ..conftest import EXAMPLE_AS_OF, NOW, SiteFactory, copy_example

KEY = "1" * 64


def encode_cache(cache: BuildCache) -> bytes:
    file = io.BytesIO()
    write_cache(cache, file)
    return file.getvalue()


def decode_cache(data: bytes, key: str) -> BuildCache:
    return read_cache(io.BytesIO(data), key)


def _built(site: Path, out: Path, as_of: dt.date = EXAMPLE_AS_OF) -> BuildCache:
    cache = BuildCache(KEY, folder=str(out.with_name("cache")))
    build(site, out, now=NOW, as_of=as_of, cache=cache, jobs=1)
    cache.key = KEY
    return cache


def test_a_cache_comes_back_as_it_was_kept(tmp_path: Path) -> None:
    cache = _built(copy_example(tmp_path / "site"), tmp_path / "out")
    back = decode_cache(encode_cache(cache), KEY)
    assert cache.texts and cache.html.keys() == cache.texts.keys()
    for name in ("files", "parts", "part_keys", "texts", "html", "manifest", "output", "key"):
        assert getattr(back, name) == getattr(cache, name), name
    assert back.assembly.policies == cache.assembly.policies
    assert back.assembly.documents == cache.assembly.documents
    assert back.assembly.documents  # each revision's documents, as the revision holds them:
    kept = {id(r.documents) for p, _ in back.assembly.policies.values() for r in p.all_revisions}
    assert {id(documents) for documents in back.assembly.documents.values()} <= kept
    assert (back.redlines, back.templates, back.is_output_own) == ({}, {}, False)


def test_documents_share_their_texts_as_they_did(tmp_path: Path) -> None:
    cache = _built(copy_example(tmp_path / "site"), tmp_path / "out")
    back = decode_cache(encode_cache(cache), KEY)
    for digest, (policy, _) in cache.assembly.policies.items():
        for before, after in zip(
            policy.all_revisions, back.assembly.policies[digest][0].all_revisions, strict=True
        ):
            assert len({id(d.canonical) for d in after.documents.values()}) == len(
                {id(d.canonical) for d in before.documents.values()}
            )
            assert all(
                any(d.source is source for source in after.sources)
                for d in after.documents.values()
            )


def test_a_policy_whose_extra_msgpack_cannot_keep_exactly_is_left_out(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\nextra: {since: 2020-01-01}\n---\nText.\n",
            "content/terms/2024-01-01/en.md": "---\neffective: 2024-01-01\nextra: {n: 1, tags: [a]}\n---\nText.\n",
        }
    )
    cache = _built(site, tmp_path / "out")
    back = decode_cache(encode_cache(cache), KEY)
    assert sorted(p.id for p, _ in back.assembly.policies.values()) == ["terms"]
    assert back.texts == cache.texts


def test_an_item_that_is_not_unicode_is_left_out(tmp_path: Path) -> None:
    fine = render_markdown(CanonicalText("fine\n", (1,)), SourceLocation("en.md"))
    folder = HtmlFolder(str(tmp_path))
    assert folder.put("<p>\ud800</p>") is None
    cache = BuildCache(KEY)
    name = folder.put(fine.html)
    assert name is not None and folder.get(name) == fine.html
    cache.texts = {
        ("a" * 64, "en.md", 1): dataclasses.replace(fine, html=""),
        ("b" * 64, "en.md", 1): dataclasses.replace(fine, html="", ids=frozenset({"\ud800"})),
        ("c" * 64, "en.md", 1): dataclasses.replace(fine, html=""),
    }
    cache.html = {("a" * 64, "en.md", 1): name, ("b" * 64, "en.md", 1): name}
    # c has no HTML file: it is not kept either.
    assert list(decode_cache(encode_cache(cache), KEY).texts) == [("a" * 64, "en.md", 1)]


@pytest.mark.parametrize(
    "path",
    [
        "../x.html",
        "/x.html",
        "a/../../x.html",
        "a//x.html",
        "./x.html",
        "a\\x.html",
        "",
        "a/",
        "a/..",
        "..",
        "a\0b",
    ],
)
def test_a_cache_naming_a_file_outside_the_output_is_refused(path: str) -> None:
    cache = BuildCache(KEY)
    cache.files = {"index.html": Written("0" * 64, 1), path: Written("0" * 64, 1)}
    with pytest.raises(CacheRefused, match="was damaged"):
        decode_cache(encode_cache(cache), KEY)


def test_a_cache_with_a_field_of_another_type_is_refused() -> None:
    cache = BuildCache(KEY)
    cache.files = {"index.html": Written("0" * 64, "12")}  # type: ignore[arg-type]
    with pytest.raises(CacheRefused, match="was damaged"):
        decode_cache(encode_cache(cache), KEY)


def _any_fields(model: type[Any], seen: set[type[Any]]) -> set[str]:
    """The fields of `model` and of the dataclasses it holds typed `Any`."""
    found = set()
    seen.add(model)
    for name, hint in typing.get_type_hints(model).items():
        pending = [hint]
        while pending:
            kind = pending.pop()
            if kind is Any:
                found.add(f"{model.__name__}.{name}")
            elif dataclasses.is_dataclass(kind) and kind not in seen:
                found |= _any_fields(kind, seen)  # type: ignore[arg-type]
            pending += typing.get_args(kind)
    return found


def test_only_front_matter_extra_holds_values_of_any_type() -> None:
    """The store keeps exactly what its types say; `extra` alone is checked value by value."""
    assert _any_fields(Policy, set()) == {"SourceText.extra", "Document.extra"}
    assert _any_fields(RenderedText, set()) == set()


def test_items_of_many_frames_come_back() -> None:
    cache = BuildCache(KEY)
    cache.files = {
        f"page-{number}.html": Written(f"{number:064x}", number) for number in range(600)
    }
    cache.parts = {"part": tuple(cache.files)}
    assert decode_cache(encode_cache(cache), KEY) == cache


def test_the_spare_comes_back_as_it_was_kept_only_its_differences_written() -> None:
    cache = BuildCache(KEY)
    stamp = (1, 2, 3, 4, 5)
    cache.files = {f"p{n}/index.html": Written(f"{n:064x}", n, stamp) for n in range(600)}
    cache.folders = {f"p{n}": stamp for n in range(600)}
    cache.spare_files = {
        **cache.files,
        "p0/index.html": Written("f" * 64, 1),
        "new.html": Written("e" * 64, 2),
    }
    del cache.spare_files["p1/index.html"]
    cache.spare_folders = {**cache.folders, "p0": (9,)}
    del cache.spare_folders["p1"]
    data = encode_cache(cache)
    assert decode_cache(data, KEY) == cache
    alone = BuildCache(KEY)
    alone.files, alone.folders = cache.files, cache.folders
    # The spare's 600 records and folders cost only what differs.
    assert len(data) - len(encode_cache(alone)) < 600


@pytest.mark.parametrize("path", ["../x.html", "/x.html", "a//x.html"])
def test_a_cache_naming_a_spare_file_or_folder_outside_the_output_is_refused(path: str) -> None:
    for field in ("spare_files", "spare_folders"):
        cache = BuildCache(KEY)
        cache.files = {"index.html": Written("0" * 64, 1)}
        setattr(cache, field, {path: Written("0" * 64, 1) if field == "spare_files" else (1,)})
        with pytest.raises(CacheRefused, match="was damaged"):
            decode_cache(encode_cache(cache), KEY)


def test_a_policy_whose_other_revisions_were_kept_from_the_last_build_is_kept(
    tmp_path: Path,
) -> None:
    site, out, key = copy_example(tmp_path / "site"), tmp_path / "out", environment_key()
    cache = BuildCache(key, folder=str(tmp_path / "cache"))
    build(site, out, now=NOW, as_of=EXAMPLE_AS_OF, cache=cache, jobs=1)
    cache = decode_cache(encode_cache(cache), key)
    cache.folder = str(tmp_path / "cache")
    # A revision is taken whole from a policy the last build made without a problem: with
    # one, the policy is read again, though its revisions' documents are the last build's.
    policies = cache.assembly.policies
    digest = next(digest for digest, (p, _) in policies.items() if p.id == "privacy")
    problem = warning(SourceLocation("content/privacy/2021-04-01/en.md"), "test", "a problem")
    policies[digest] = (policies[digest][0], (problem,))
    upcoming = site / "content/privacy/2027-01-01/en.md"
    upcoming.write_text(upcoming.read_text("utf-8").replace("to respecting", "to fully respecting"))
    build(site, out, now=NOW, as_of=EXAMPLE_AS_OF, cache=cache, jobs=1)
    # Its earlier revisions' documents are the last build's, their source texts read anew.
    privacy = next(p for p, _ in cache.assembly.policies.values() if p.id == "privacy")
    first = privacy.revisions[0]
    assert not {id(d.source) for d in first.documents.values()} & set(map(id, first.sources))
    back = decode_cache(encode_cache(cache), key)
    assert back.assembly.policies.keys() == cache.assembly.policies.keys()
    assert back.assembly.policies == cache.assembly.policies
