"""What a build holds while its pages are made: nothing a build without a cache would never
read (part keys, records of the files written), nothing of the sources once the model is
made (parsed files, the lock's entries), and one of a part's files at a time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import policygen.incremental.layer
import policygen.making
import policygen.pipeline
from policygen import assembly
from policygen.incremental.cache import BuildCache
from policygen.making import MadePart
from policygen.output import Output, Written
from policygen.pages import Planner
from policygen.parts import Part
from policygen.serving import Preview

from .conftest import EXAMPLE_AS_OF, build_site, copy_example


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "site")


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[Part, MadePart]]]:
    """What each build's make_parts gives back to the build process."""
    found: list[dict[Part, MadePart]] = []
    make_parts = policygen.pipeline.make_parts

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = make_parts(*args, **kwargs)
        found.append(result[0])
        return result

    monkeypatch.setattr(policygen.pipeline, "make_parts", spy)
    yield found


def records(made: Mapping[Part, MadePart]) -> list[Written | None]:
    return [record for part in made.values() for record in part.files.values()]


def test_a_build_without_a_cache_gets_back_the_paths_of_its_files_not_their_records(
    site: Path, tmp_path: Path, made: list[dict[Part, MadePart]]
) -> None:
    result = build_site(site, tmp_path / "out", as_of=EXAMPLE_AS_OF)
    assert len(records(made[0])) == result.files
    assert set(records(made[0])) == {None}


def test_a_build_with_a_cache_gets_back_the_record_of_every_file(
    site: Path, tmp_path: Path, made: list[dict[Part, MadePart]]
) -> None:
    result = build_site(site, tmp_path / "out", as_of=EXAMPLE_AS_OF, cache=BuildCache())
    assert len(records(made[0])) == result.files
    assert all(isinstance(record, Written) for record in records(made[0]))


def test_a_build_without_a_cache_computes_no_part_keys(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    key_parts = policygen.incremental.layer.key_parts

    def spy(*args: Any) -> Any:
        calls.append(args)
        return key_parts(*args)

    monkeypatch.setattr(policygen.incremental.layer, "key_parts", spy)
    first = build_site(site, tmp_path / "a", as_of=EXAMPLE_AS_OF)
    assert calls == []
    second = build_site(site, tmp_path / "b", as_of=EXAMPLE_AS_OF, cache=BuildCache())
    assert len(calls) == 1
    assert (first.pages, first.files) == (second.pages, second.files)


def test_only_serve_keeps_the_parsed_source_files(site: Path, tmp_path: Path) -> None:
    build_site(site, tmp_path / "out", as_of=EXAMPLE_AS_OF)
    assert assembly._parse_file.cache_info().currsize == 0
    preview = Preview(site, tmp_path / "served", EXAMPLE_AS_OF)
    preview.rebuild()
    preview.rebuild()  # serve's rebuilds build in place, and read the site again
    assert assembly._parse_file.cache_info().currsize > 0
    assembly.forget_parsed_files()


def test_the_site_files_are_made_one_at_a_time(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    write = Output.write

    def spy(self: Output, path: str, content: bytes, previous: Written | None = None) -> Written:
        written.append(path)
        return write(self, path, content, previous)

    manifest_json = policygen.making.manifest_json

    def manifest_after_the_sitemap(*args: Any) -> Any:
        assert "sitemap.xml" in written, "the sitemap is written before the manifest is made"
        return manifest_json(*args)

    feed = Planner._feed
    feeds_planned: list[int] = []

    def feed_after_the_page_before(self: Planner, language: str, region: str) -> Any:
        feeds_planned.append(len(written))
        return feed(self, language, region)

    monkeypatch.setattr(Output, "write", spy)
    monkeypatch.setattr(policygen.making, "manifest_json", manifest_after_the_sitemap)
    monkeypatch.setattr(Planner, "_feed", feed_after_the_page_before)
    build_site(site, tmp_path / "out", as_of=EXAMPLE_AS_OF, jobs=1)
    assert "manifest.json" in written
    # Each feed is planned once the page planned before it is written.
    assert len(feeds_planned) > 1
    assert all(a < b for a, b in zip(feeds_planned, feeds_planned[1:], strict=False))
