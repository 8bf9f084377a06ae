"""A built site → every link in it that does not land: a page or file that is not in the
output, or an anchor that is not on the page.

It reads every kind of output that links: HTML pages (relative links, and the absolute
canonical and alternate links), Atom feeds, sitemap.xml, manifest.json and the api answers.
Absolute URLs under the site's base URL must land in the output like relative ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

XML_LINK = re.compile(r"""(?:href=["']([^"']+)["']|<loc>([^<]+)</loc>)""")
OUTSIDE = ("mailto", "tel")
"""Schemes of links that leave the web."""


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(str(values[name]))


def _page(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _json_urls(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_urls(item)
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        yield value


def links_of(out: Path) -> Iterator[tuple[str, str]]:
    """(file, link) for every link of every file of the output that can hold links."""
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if path.suffix == ".html":
            for link in _page(path).links:
                yield name, link
        elif path.suffix == ".xml":
            for match in XML_LINK.finditer(path.read_text(encoding="utf-8")):
                yield name, (match.group(1) or match.group(2)).replace("&amp;", "&")
        elif path.suffix == ".json" and not name.endswith("schema.json"):
            for url in _json_urls(json.loads(path.read_text(encoding="utf-8"))):
                yield name, url


def broken_links(out: Path, base_url: str) -> tuple[list[str], int]:
    """Every link of the output that does not land, as "file: link (why)", and how many
    links were followed. The 404 page links from the host's root, so it is left out."""
    broken: list[str] = []
    followed = 0
    ids: dict[Path, set[str]] = {}
    base_path = urlsplit(base_url).path
    for name, link in links_of(out):
        if name == "404.html":
            continue
        parts = urlsplit(link)
        if parts.scheme in OUTSIDE:
            continue
        if parts.scheme or parts.netloc:
            if not link.startswith(base_url):
                # A policy's text may link out; what policygen itself writes stays in the site.
                if not name.endswith(".html"):
                    broken.append(f"{name}: {link} (outside the site)")
                continue
            target = out / unquote(parts.path).removeprefix(base_path)
        elif link.startswith("/"):
            broken.append(f"{name}: {link} (not relative)")
            continue
        elif parts.path:
            target = out / str(PurePosixPath(name).parent / unquote(parts.path))
        else:
            target = out / name
        if target.is_dir():
            target = target / "index.html"
        followed += 1
        if not target.resolve().is_relative_to(out.resolve()) or not target.is_file():
            broken.append(f"{name}: {link} (leads nowhere)")
            continue
        if parts.fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = _page(target).ids
            if unquote(parts.fragment) not in ids[target]:
                broken.append(f"{name}: {link} (no such anchor)")
    return broken, followed
