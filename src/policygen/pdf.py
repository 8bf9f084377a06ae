"""A revision's print page (HTML) and the theme's files → the bytes of its PDF (WeasyPrint).

Pure but for WeasyPrint itself, which reads the fonts fontconfig finds on the machine: the
same HTML, fonts and libraries give the same bytes (the PDF's dates are the revision's, taken
from its `dcterms` meta elements, never the clock). A site folder is untrusted input (SPEC §6):
its templates write this HTML, so nothing is loaded from anywhere but the theme's own files.
"""

from __future__ import annotations

import functools
import importlib
import logging
import warnings
from collections.abc import Mapping
from types import ModuleType
from typing import Any

PDF_VARIANT = "pdf/a-3u"
"""PDF/A-3 level U: the archival form, with every character's Unicode value, so that the
text can be searched and copied in any script."""
INSTALL_HINT = (
    "PDFs are made with WeasyPrint, which is not installed here"
    " (pip install 'policygen[pdf]', and Pango from the system's packages: see the README)"
)


class PdfUnavailable(Exception):
    """WeasyPrint, or the system libraries it binds, cannot be loaded."""


class RefusedFetch(Exception):
    """A PDF asked for something other than the theme's files."""


@functools.cache
def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported; raises PdfUnavailable when it or Pango cannot be loaded."""
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError) as exc:
        # OSError: WeasyPrint is installed but Pango is not ("cannot load library …").
        raise PdfUnavailable(f"{INSTALL_HINT}: {exc}") from None


def theme_fetcher(base_url: str, files: Mapping[str, bytes]) -> Any:
    """A WeasyPrint URL fetcher that serves `files` (theme paths such as
    "static/policygen.css") at `base_url` + path, and refuses every other URL: no network,
    no file of the machine, not even one of the site folder."""
    urls = load_weasyprint().urls
    base: Any = urls.URLFetcher

    class ThemeFetcher(base):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> Any:
            path = url[len(base_url) :] if url.startswith(base_url) else None
            if path is None or path not in files:
                raise RefusedFetch(f"a PDF loads nothing from elsewhere: {url}")
            kind = (
                "text/css; charset=utf-8" if path.endswith(".css") else "application/octet-stream"
            )
            return urls.URLFetcherResponse(url, files[path], {"Content-Type": kind})

    return ThemeFetcher()


def render_pdf(html: str, page_url: str, base_url: str, files: Mapping[str, bytes]) -> bytes:
    """The PDF of a print page whose address is `page_url` (its relative links are read from
    there), with `files` of the theme served at `base_url`."""
    weasyprint = load_weasyprint()
    logger = logging.getLogger("weasyprint")
    # What was refused is said by the refusal itself; WeasyPrint would print each one.
    was_disabled = logger.disabled
    logger.disabled = True
    try:
        with warnings.catch_warnings():
            # WeasyPrint reads the colour profile PDF/A needs from a file it leaves to be
            # closed when dropped, which Python warns about: that file is WeasyPrint's own.
            warnings.simplefilter("ignore", ResourceWarning)
            document = weasyprint.HTML(
                string=html, base_url=page_url, url_fetcher=theme_fetcher(base_url, files)
            )
            content: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        logger.disabled = was_disabled
    return content
