"""Relative URLs between the pages of a site."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from policygen.pages import relative

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
