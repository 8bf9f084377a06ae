"""Atom feeds of revisions per language and region, read back with feedparser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser

from .conftest import build_site, copy_example


def test_feed_lists_published_revisions_newest_first(example: Path) -> None:
    feed = feedparser.parse((example / "en/global/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.language == "en"
    assert feed.feed.title == "JASSO Study in Japan Virtual Fair · All other regions"
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Privacy Policy: Version effective January 1, 2027",
        "Cookies Policy: Version effective April 1, 2025",
        "Cookies Policy: Version effective July 7, 2022",
        "Privacy Policy: Version effective July 7, 2022",
        "Privacy Policy: Version effective April 1, 2021",
    ]
    first = feed.entries[0]
    assert first.link == "https://www.example.org/policies/en/global/privacy/2027-01-01/"
    assert [link.href for link in first.links if link.rel == "related"] == [
        "https://www.example.org/policies/en/global/privacy/2027-01-01/diff/"
    ]
    assert first.summary.startswith("Adds a retention section")
    assert first.published == "2026-11-14T15:00:00Z"


def test_feed_is_localized(example: Path) -> None:
    feed = feedparser.parse((example / "ja/global/feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.entries[1].title == "クッキーポリシー：2025年4月1日施行の版"


def test_a_revision_not_yet_announced_is_left_out(tmp_path: Path) -> None:
    site = tmp_path / "site"
    copy_example(site)
    build_site(site, tmp_path / "out", as_of=dt.date(2026, 11, 1))
    feed = feedparser.parse((tmp_path / "out/en/global/feed.xml").read_bytes())
    assert "2027-01-01" not in " ".join(entry.link for entry in feed.entries)


def test_entry_ids_do_not_depend_on_where_the_site_is_hosted(example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    copy_example(site)
    build_site(
        site,
        tmp_path / "moved",
        as_of=dt.date(2026, 11, 29),
        base_url="https://policies.example.net/",
    )
    ids = [e.id for e in feedparser.parse((example / "en/europe/feed.xml").read_bytes()).entries]
    moved = feedparser.parse((tmp_path / "moved/en/europe/feed.xml").read_bytes())
    assert [e.id for e in moved.entries] == ids
    assert len(set(ids)) == len(ids)
    assert moved.entries[0].link.startswith("https://policies.example.net/")


def test_pages_link_their_feed(example: Path) -> None:
    html = (example / "ja/europe/privacy/2021-04-01/index.html").read_text()
    assert (
        '<link rel="alternate" type="application/atom+xml" href="../../feed.xml" title="ポリシーの変更">'
        in html
    )
