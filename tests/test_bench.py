"""The benchmark corpus (bench/corpus.py) is the same bytes every time, and policygen builds it cleanly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from policygen.pipeline import build

from .conftest import NOW, ROOT


def _load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_corpus_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    corpus.write_corpus(tmp_path / "first", corpus.SIZES["tiny"])
    corpus.write_corpus(tmp_path / "second", corpus.SIZES["tiny"])

    first = _files(tmp_path / "first")
    assert "policies.lock" in first
    assert first == _files(tmp_path / "second")


def test_policygen_builds_the_corpus_without_problems(tmp_path: Path) -> None:
    site, size = tmp_path / "site", corpus.SIZES["tiny"]
    corpus.write_corpus(site, size)

    result = build(site, tmp_path / "public", now=NOW, as_of=corpus.AS_OF)

    assert result.warnings == ()
    assert len(list((tmp_path / "public").glob("*/*/*/*/source.md"))) == size.revision_pages
    documents = [
        document
        for policy in result.site.policies
        for revision in policy.revisions
        for document in revision.documents.values()
    ]
    assert any(document.is_fallback for document in documents), "a missing translation"
    assert any(document.source.region for document in documents), "a <lang>.<region>.md file"
