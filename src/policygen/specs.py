"""An output spec (what one file of the output holds) → its bytes: one type per kind of output.

Adding a kind of output is one spec type here, its maker in `make`, and its URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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


Spec = HtmlPage | RawFile


def make(spec: Spec, templates: Templates) -> bytes:
    """The bytes of the file `spec` describes; raises what a template raises."""
    match spec:
        case HtmlPage():
            html = templates.render(spec.template, spec.language, dict(spec.context))
            return html.encode("utf-8")
        case RawFile():
            return spec.content
