"""An output spec (what one file of the output holds) → its bytes: one type per kind of output.

Adding a kind of output is one spec type here, its maker in `make`, and its URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .pdf import render_pdf
from .templates import Templates


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """A page rendered with a template of the theme (the HTML pages, and the feeds)."""

    path: str
    """Output path, e.g. "en/global/privacy/index.html"."""
    template: str
    language: str
    context: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class RawFile:
    """A file written as it is."""

    path: str
    content: bytes


@dataclass(frozen=True, slots=True)
class PdfFile:
    """A revision's PDF: a print page rendered with a template of the theme, typeset."""

    path: str
    """Output path, e.g. "en/global/privacy/2024-01-01/privacy-2024-01-01-en-global.pdf"."""
    template: str
    language: str
    context: Mapping[str, object]
    base_url: str
    """The site's address: the print page's relative links are read from the PDF's folder
    there, and the theme's files are served there."""
    theme: Mapping[str, bytes] = field(repr=False, compare=False)
    """The theme's static files by path (all a PDF may load)."""


Spec = HtmlPage | RawFile | PdfFile


def make(spec: Spec, templates: Templates) -> bytes:
    """The bytes of the file `spec` describes; raises what a template raises."""
    match spec:
        case HtmlPage():
            html = templates.render(spec.template, spec.language, dict(spec.context))
            return html.encode("utf-8")
        case RawFile():
            return spec.content
        case PdfFile():
            html = templates.render(spec.template, spec.language, dict(spec.context))
            page_url = spec.base_url + spec.path.rpartition("/")[0] + "/"
            return render_pdf(html, page_url, spec.base_url, spec.theme)
