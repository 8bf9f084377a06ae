"""Sitemap entries → sitemap.xml with hreflang alternates (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import quoteattr

from .views import SitemapEntry


def render_sitemap(entries: Iterable[SitemapEntry]) -> bytes:
    """The sitemap of the pages search engines should find."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for entry in sorted(entries, key=lambda e: e.url):
        lines.append(f"  <url>\n    <loc>{_escape(entry.url)}</loc>")
        for alternate in entry.alternates:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(alternate.hreflang or "")} href={quoteattr(alternate.url)}/>'
            )
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
