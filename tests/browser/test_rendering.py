"""What readers see: no sideways scrolling at 320 px, clean printouts, screenshots for review."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import DIFF_PAGES, PAGES, SITES, BuiltSite, PageCase, open_case, require

if TYPE_CHECKING:
    from playwright.sync_api import Page

NARROW = {"width": 320, "height": 640}
SCROLL_WIDTH = "document.scrollingElement.scrollWidth"


@pytest.mark.parametrize("case", PAGES, ids=str)
def test_page_does_not_scroll_sideways_at_320px(
    page: Page, built_sites: dict[str, BuiltSite], case: PageCase
) -> None:
    page.set_viewport_size(NARROW)
    open_case(page, built_sites, case)
    assert page.evaluate(SCROLL_WIDTH) <= NARROW["width"]


@pytest.mark.parametrize("site", sorted(SITES))
def test_diff_pages_do_not_scroll_sideways_at_320px(
    page: Page, built_sites: dict[str, BuiltSite], site: str
) -> None:
    diff_pages = built_sites[site].diff_pages()
    if not diff_pages:
        pytest.skip(f"the {site} site's build has no diff pages (*/diff/index.html) yet")
    page.set_viewport_size(NARROW)
    too_wide = {}
    for path in diff_pages:
        page.goto(built_sites[site].url(path))
        width = page.evaluate(SCROLL_WIDTH)
        if width > NARROW["width"]:
            too_wide[path] = width
    assert not too_wide, f"pages wider than 320 px: {too_wide}"


# Text extraction from PDF: pdftotext (poppler), not pypdf. pypdf returns CJK text as Kangxi
# radicals and Arabic as presentation forms, puts spaces between scripts and numbers in
# visual order; poppler's reading order is the one readers of the PDF get when they copy.
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), " "
)
ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670]")
RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")

PRINTED_BLOCKS = """() => [...document.querySelectorAll(
    'article.policy :is(h1, h2, h3, h4, p, li, th, td, dt, dd)')]
  .filter(element => !element.closest('nav'))
  .map(element => ({text: element.innerText, direction: getComputedStyle(element).direction}))"""

NAVIGATION = """() => [...document.querySelectorAll(
    '.skip-link, .site-header, nav, .site-footer')]
  .map(element => ({html: element.outerHTML.slice(0, 80), isShown: element.checkVisibility(),
                    texts: [...element.querySelectorAll('a, .switcher__label, .toc__title')]
                      .map(part => part.textContent.trim()).concat(
                        element.matches('a') ? [element.textContent.trim()] : [])}))"""


def pdf_text(pdf: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def normal(text: str) -> str:
    """Unicode-normalized, without bidi controls and Arabic vowel marks (extractors move them)."""
    return ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS))


def squeezed(text: str) -> str:
    """Without spaces and hyphens: line breaks and hyphenation differ between page and PDF."""
    return re.sub(r"[\s\-\u00ad]", "", normal(text))


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", normal(text)))


def as_pdftotext_writes(text: str) -> str:
    """pdftotext gives the lam-alef ligature (لا) in visual order (ال)."""
    return re.sub("ل([اأإآ])", r"\1ل", text)


PRINT_PAGES = [
    case
    for case in PAGES
    if (case.site, case.kind, case.language)
    in {
        ("example", "current", "en"),
        ("example", "current", "ja"),
        ("example", "current-table", "en"),
        ("arabic", "current", "ar"),
        ("arabic", "current-region", "en"),
    }
]


@pytest.mark.parametrize("case", PRINT_PAGES, ids=str)
def test_printout_has_the_whole_policy_and_no_navigation(
    page: Page, built_sites: dict[str, BuiltSite], artifacts: Path, case: PageCase
) -> None:
    require("pdftotext")
    open_case(page, built_sites, case)
    blocks = page.evaluate(PRINTED_BLOCKS)
    navigation = page.evaluate(NAVIGATION)
    pdf = artifacts / "print" / f"{case}.pdf"
    pdf.parent.mkdir(exist_ok=True)
    # The margins of Chromium's print dialog; page.pdf() has none of its own.
    margin = dict.fromkeys(("top", "right", "bottom", "left"), "1cm")
    page.pdf(path=str(pdf), format="A4", print_background=True, margin=margin)
    in_reading_order, in_logical_order = pdf_text(pdf, "-raw"), pdf_text(pdf)

    # Left-to-right text keeps its order in the PDF; right-to-left text is checked word by word,
    # since extracted bidi text puts numbers and neutral characters in other places.
    is_rtl = [b["direction"] == "rtl" or RIGHT_TO_LEFT.search(b["text"]) for b in blocks]
    missing = [
        block["text"]
        for block, rtl in zip(blocks, is_rtl, strict=True)
        if not rtl and squeezed(block["text"]) not in squeezed(in_reading_order)
    ]
    expected_words = sum(
        (
            words(as_pdftotext_writes(b["text"]))
            for b, rtl in zip(blocks, is_rtl, strict=True)
            if rtl
        ),
        Counter(),
    )
    missing_words = expected_words - words(in_logical_order)
    assert not missing and not missing_words, f"not in {pdf}: {missing} {dict(missing_words)}"

    page.emulate_media(media="print")
    printed_navigation = [part["html"] for part in page.evaluate(NAVIGATION) if part["isShown"]]
    assert not printed_navigation, f"navigation is printed: {printed_navigation}"
    body = squeezed(" ".join(block["text"] for block in blocks))
    printed = squeezed(in_reading_order)
    for text in {text for part in navigation for text in part["texts"] if text}:
        assert printed.count(squeezed(text)) <= body.count(squeezed(text)), f"{text!r} is printed"


SCREENSHOT_PAGES = [case for case in PAGES if case.kind == "current"] + DIFF_PAGES


@pytest.mark.parametrize("case", SCREENSHOT_PAGES, ids=str)
def test_screenshot_of_the_current_and_diff_pages(
    page: Page, built_sites: dict[str, BuiltSite], artifacts: Path, case: PageCase
) -> None:
    open_case(page, built_sites, case)
    save_screenshots(page, artifacts, str(case))


def save_screenshots(page: Page, artifacts: Path, name: str) -> None:
    """The whole page at desktop width and at 320 px, for people to look at."""
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    page.set_viewport_size(NARROW)
    page.screenshot(path=str(folder / f"{name}-320px.png"), full_page=True)
    assert (folder / f"{name}.png").stat().st_size > 0


CHANGE_BARS = """() => [...document.querySelectorAll(
    '#pg-redline :is(.redline-block-inserted, .redline-block-deleted)')]
  .map(block => {
    const style = getComputedStyle(block);
    const left = parseFloat(style.borderLeftWidth), right = parseFloat(style.borderRightWidth);
    return [block.textContent.trim().slice(0, 40), style.direction,
            left > right ? 'left' : right > left ? 'right' : 'none'];
  })"""


def test_a_redline_of_a_translation_and_its_original_bars_each_block_where_its_words_start(
    page: Page, built_sites: dict[str, BuiltSite]
) -> None:
    """The English page of the Cookies Policy compares its English translation with the
    Arabic original of the next version: an Arabic paragraph or table reads from the right,
    with its change bar on the right; an English one from the left, its bar on the left."""
    page.goto(built_sites["arabic"].url("en/global/cookies/2027-03-01/diff/"))
    bars = page.evaluate(CHANGE_BARS)
    assert bars
    for text, direction, side in bars:
        is_arabic = bool(RIGHT_TO_LEFT.search(text.split(": ", 1)[-1][:1] or text))
        expected = ("rtl", "right") if is_arabic else ("ltr", "left")
        assert (direction, side) == expected, text
    assert {direction for _, direction, _ in bars} == {"ltr", "rtl"}
