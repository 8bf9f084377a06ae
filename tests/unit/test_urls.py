"""The layout of the output: where each file is, the URLs between them, the instants written."""

from __future__ import annotations

import datetime as dt
import itertools
import posixpath
import zoneinfo

import pytest

from policygen import urls
from policygen.urls import relative

FOLDERS = ["", "en/", "en/global/", "en/global/privacy/", "en/global/privacy/2022-07-07/diff/"]
FOLDERS += ["ja/", "ja/europe/privacy/", "en/global/cookies/", "static/"]
TARGETS = [*FOLDERS, "static/policygen.css", "en/global/feed.xml", "en/global/privacy/a/source.md"]


@pytest.mark.parametrize(
    ("here", "to", "url"),
    [
        ("", "", "./"),
        ("en/", "", "../"),
        ("", "en/", "en/"),
        ("en/global/privacy/", "en/global/privacy/history/", "history/"),
        ("en/global/privacy/history/", "en/global/privacy/", "../"),
        ("en/global/privacy/", "ja/global/privacy/", "../../../ja/global/privacy/"),
        ("en/global/privacy/a/", "en/global/privacy/a/source.md", "source.md"),
        ("en/global/", "static/policygen.css", "../../static/policygen.css"),
    ],
)
def test_relative_url_between_folders(here: str, to: str, url: str) -> None:
    assert relative(here, to) == url


@pytest.mark.parametrize(("here", "to"), list(itertools.product(FOLDERS, TARGETS)))
def test_relative_url_resolves_to_the_target(here: str, to: str) -> None:
    resolved = posixpath.normpath(posixpath.join("/" + here, relative(here, to)))
    assert resolved == posixpath.normpath("/" + to)
    assert relative(here, to).endswith("/") == (to == "" or to.endswith("/"))


def test_every_file_of_a_revision_is_in_its_folder() -> None:
    args = ("ja", "europe", "privacy", "2024-05-01")
    assert urls.revision_dir(*args) == "ja/europe/privacy/2024-05-01/"
    assert urls.page_path(urls.revision_dir(*args)) == "ja/europe/privacy/2024-05-01/index.html"
    assert urls.diff_dir(*args) == "ja/europe/privacy/2024-05-01/diff/"
    assert urls.source_path(*args) == "ja/europe/privacy/2024-05-01/source.md"
    assert urls.revision_file(*args, "terms.pdf") == "ja/europe/privacy/2024-05-01/terms.pdf"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (urls.page_path(""), "index.html"),
        (urls.page_path(urls.language_dir("en")), "en/index.html"),
        (urls.feed_path("en", "global"), "en/global/feed.xml"),
        (
            urls.page_path(urls.policy_dir("en", "global", "cookies")),
            "en/global/cookies/index.html",
        ),
        (
            urls.page_path(urls.history_dir("en", "global", "cookies")),
            "en/global/cookies/history/index.html",
        ),
        (urls.reader_answer_path("cookies", "europe", "fr"), "api/cookies/europe/fr.json"),
        (urls.READER_SCHEMA, "api/reader.schema.json"),
        (urls.MANIFEST_FILE, "manifest.json"),
        (urls.MANIFEST_SCHEMA, "manifest.schema.json"),
        (urls.SITEMAP_FILE, "sitemap.xml"),
        (urls.NOT_FOUND_FILE, "404.html"),
        (urls.HEADERS_FILE, "_headers"),
        (urls.STYLESHEET, "static/policygen.css"),
    ],
)
def test_the_layout_of_the_output(path: str, expected: str) -> None:
    assert path == expected


def test_the_schemas_are_published_where_the_files_that_name_them_say() -> None:
    assert set(urls.SCHEMA_FILES.values()) == {urls.MANIFEST_SCHEMA, urls.READER_SCHEMA}


def test_absolute_urls_start_at_the_base_url() -> None:
    base = "https://example.org/legal/"
    assert urls.absolute(base, "") == base
    assert urls.absolute(base, urls.diff_dir("en", "global", "privacy", "a")) == (
        "https://example.org/legal/en/global/privacy/a/diff/"
    )


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2024, 5, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), "2024-04-30T22:00:00Z"),
        (dt.datetime(2024, 5, 1, 9, 30, 15, 999, tzinfo=dt.UTC), "2024-05-01T09:30:15Z"),
        # RFC 3339 writes four digits of year, where strftime("%Y") would write "1".
        (dt.datetime(1, 1, 2, tzinfo=dt.UTC), "0001-01-02T00:00:00Z"),
    ],
)
def test_instants_are_written_in_utc_to_the_second(moment: dt.datetime, text: str) -> None:
    assert urls.rfc3339(moment) == text
    assert urls.parse_rfc3339(text) == moment.replace(microsecond=0)


def test_an_instant_with_an_offset_is_read_as_that_instant() -> None:
    read = urls.parse_rfc3339("2024-05-01T09:00:00+09:00")
    assert read == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    assert read.tzinfo is not None
