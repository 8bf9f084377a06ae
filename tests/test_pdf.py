"""PDFs of revisions (`pdf: true`, `build --pdf`): what they show, in which fonts, the same bytes
for the same text, made once, listed in the manifest, and loading nothing from elsewhere."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from policygen import pdf
from policygen.errors import BuildFailed
from policygen.incremental.folder import load_cache, save_cache
from policygen.pipeline import BuildCache

from .conftest import NOW, Run, SiteFactory, build_site
from .test_manifest import validator

try:
    pdf.load_weasyprint()
    import pypdf
except (pdf.PdfUnavailable, ImportError) as exc:
    pytest.skip(
        f"PDFs need WeasyPrint and Pango (bash tests/browser/setup.sh, pip install -e '.[test]'): {exc}",
        allow_module_level=True,
    )
if shutil.which("pdftotext") is None:
    pytest.skip("pdftotext is missing: bash tests/browser/setup.sh", allow_module_level=True)

SITE_YAML = """\
title: {en: Example Policies, ja: ポリシー, ar: السياسات, th: นโยบาย}
base_url: https://policies.example.org/
default_language: en
languages: [en, ja, ar, th]
timezone: UTC
regions:
  global: {default: true, name: {en: Everywhere, ja: 全地域, ar: كل المناطق, th: ทุกภูมิภาค}}
"""
# Long enough for several pages: the margins are checked on each of them.
FILLER = "\n\n".join(
    f"## {n}. Section {n}\n\n" + " ".join(["We keep your data safe and tell you how."] * 30)
    for n in range(2, 9)
)


def text(title: str, effective: str, body: str, published: str | None = None) -> str:
    dates = f"effective: {effective}\n" if effective else ""
    if published:
        dates += f"published: {published}\n"
    return f"---\ntitle: {title}\n{dates}---\n{body}\n"


SITE = {
    "site.yaml": SITE_YAML,
    "content/privacy/2024-01-01/en.md": text(
        "Privacy Policy", "2024-01-01", f"## 1. Who we are\n\nWe are Example.\n\n{FILLER}"
    ),
    "content/privacy/2024-01-01/ja.md": text(
        "プライバシーポリシー", "", "## 1. 私たちについて\n\n個人情報の保護に関する方針を定めます。"
    ),
    "content/privacy/2024-01-01/ar.md": text(
        "سياسة الخصوصية", "", "## 1. من نحن\n\nنحن نحمي بياناتك الشخصية بعناية."
    ),
    "content/privacy/2024-01-01/th.md": text(
        "นโยบายความเป็นส่วนตัว", "", "## 1. เกี่ยวกับเรา\n\nเราคุ้มครองข้อมูลส่วนบุคคลของคุณ"
    ),
    # Upcoming on the first build's date, in force on the second's.
    "content/privacy/2026-06-01/en.md": text(
        "Privacy Policy",
        "2026-06-01",
        "## 1. Who we are\n\nWe are Example, now in Lyon.",
        published="2025-12-01",
    ),
}
FIRST = dt.date(2026, 1, 1)
LATER = dt.date(2026, 11, 29)
PDFS = [
    f"{language}/global/privacy/{revision}/privacy-{revision}-{language}-global.pdf"
    for revision in ("2024-01-01", "2026-06-01")
    for language in ("en", "ja", "ar", "th")
]
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def write_site(root: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(content, encoding="utf-8")
    return root


class Built:
    """The site built with PDFs as of FIRST, keeping its cache for the rebuilds."""

    def __init__(self, root: Path) -> None:
        self.site = write_site(root / "site", SITE)
        self.out = root / "public"
        self.cache = BuildCache()
        self.result = build_site(self.site, self.out, as_of=FIRST, pdf=True, cache=self.cache)
        self.pdfs = {path: (self.out / path).read_bytes() for path in PDFS}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("pdf"))


def pdf_text(content: bytes, page: int | None = None) -> str:
    """The text of a PDF (or of one page, from 1) as pdftotext reads it, without the marks
    of writing direction it adds around right-to-left runs."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    found = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return BIDI_CONTROLS.sub("", found)


def font_names(content: bytes) -> set[str]:
    """The fonts a PDF uses, without their subset tags ("ABCDEF+"); each must be embedded."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"]
                assert {"/FontFile2", "/FontFile3"} & set(descriptor.keys()), name
            names.add(name)
    return names


def test_every_revision_page_has_its_pdf_beside_it(built: Built) -> None:
    assert built.result.typeset == len(PDFS)
    for path in PDFS:
        assert built.pdfs[path].startswith(b"%PDF-1.7")
    page = (built.out / "ja/global/privacy/2024-01-01/index.html").read_text(encoding="utf-8")
    assert (
        '<a href="privacy-2024-01-01-ja-global.pdf" type="application/pdf">この版のテキスト（PDF）</a>'
        in page
    )
    current = (built.out / "en/global/privacy/index.html").read_text(encoding="utf-8")
    assert (
        '<a href="2024-01-01/privacy-2024-01-01-en-global.pdf" type="application/pdf">' in current
    )


def test_every_page_of_a_pdf_names_the_revision_and_the_hash_of_its_text(built: Built) -> None:
    content = built.pdfs["en/global/privacy/2024-01-01/privacy-2024-01-01-en-global.pdf"]
    sha256 = hashlib.sha256(
        (built.out / "en/global/privacy/2024-01-01/source.md").read_bytes()
    ).hexdigest()
    pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
    assert pages >= 3
    for number in range(1, pages + 1):
        shown = pdf_text(content, number)
        assert "Privacy Policy · Version 1 (2024-01-01) · Effective January 1, 2024" in shown
        assert "Language: English" in shown
        assert f"SHA-256 (source.md): {sha256}" in shown
        assert f"{number} / {pages}" in shown


@pytest.mark.parametrize(
    ("language", "words", "fonts"),
    [
        ("ja", ["プライバシーポリシー", "1. 私たちについて", "個人情報の保護に関する方針を定めます。"], {"Noto-Sans-CJK-JP"}),
        ("ar", ["سياسة الخصوصية", "من نحن", "نحن نحمي بياناتك الشخصية بعناية."], {"Noto-Naskh-Arabic"}),
        ("th", ["นโยบายความเป็นส่วนตัว", "1. เกี่ยวกับเรา", "เราคุ้มครองข้อมูลส่วนบุคคลของคุณ"], {"Noto-Sans-Thai"}),
    ],
)  # fmt: skip
def test_japanese_arabic_and_thai_are_set_in_their_fonts_in_reading_order(
    built: Built, language: str, words: list[str], fonts: set[str]
) -> None:
    content = built.pdfs[
        f"{language}/global/privacy/2024-01-01/privacy-2024-01-01-{language}-global.pdf"
    ]
    shown = pdf_text(content)
    # Every character comes back, in reading order: no glyph is missing (a .notdef glyph,
    # "tofu", has no character), and right-to-left text is not reversed.
    positions = [shown.index(word) for word in words]
    assert positions == sorted(positions)
    embedded = font_names(content)
    assert fonts <= {name.removesuffix("-Bold") for name in embedded}
    assert not any("notdef" in name.lower() for name in embedded)


def test_a_pdf_is_pdf_a_and_dated_by_its_revision(built: Built) -> None:
    content = built.pdfs["en/global/privacy/2026-06-01/privacy-2026-06-01-en-global.pdf"]
    reader = pypdf.PdfReader(io.BytesIO(content))
    metadata = reader.xmp_metadata
    assert metadata is not None
    xml = metadata.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xml and 'pdfaid:conformance="U"' in xml
    assert reader.metadata is not None
    # Its published date, not the day of the build.
    assert reader.metadata["/CreationDate"].startswith("D:20251201")
    assert reader.metadata["/ModDate"].startswith("D:20251201")
    assert reader.metadata["/Title"] == "Privacy Policy · Example Policies"


def test_the_manifest_lists_each_pdf_with_its_hash_and_validates(built: Built) -> None:
    manifest = json.loads((built.out / "manifest.json").read_text(encoding="utf-8"))
    validator("manifest.schema.json").validate(manifest)
    listed = _listed_pdfs(manifest)
    assert listed == {path: hashlib.sha256(built.pdfs[path]).hexdigest() for path in PDFS}


def _listed_pdfs(manifest: dict[str, Any]) -> dict[str, str]:
    """The SHA-256 the manifest lists for each PDF of the privacy policy, by output path."""
    listed = {}
    for revision in manifest["policies"]["privacy"]["revisions"]:
        for regions in revision["documents"].values():
            for document in regions.values():
                path = document["pdf_url"].removeprefix("https://policies.example.org/")
                listed[path] = document["pdf_sha256"]
    return listed


def test_a_build_without_a_cache_lists_each_pdf_with_its_hash(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_site(built.site, out, as_of=FIRST, pdf=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = _listed_pdfs(manifest)
    assert listed == {path: hashlib.sha256((out / path).read_bytes()).hexdigest() for path in PDFS}


def test_a_manifest_without_pdfs_has_no_pdf_fields(site_factory: SiteFactory) -> None:
    site = write_site(site_factory({}), {k: v for k, v in SITE.items() if "/en.md" in k})
    build_site(site, site / "public", as_of=FIRST)
    manifest = (site / "public/manifest.json").read_text(encoding="utf-8")
    assert "pdf_" not in manifest
    assert not list((site / "public").rglob("*.pdf"))
    page = (site / "public/en/global/privacy/2024-01-01/index.html").read_text(encoding="utf-8")
    assert ".pdf" not in page


def test_the_same_text_makes_the_same_bytes_and_a_rebuild_makes_none_again(
    built: Built, tmp_path: Path
) -> None:
    # Another build from nothing, on a later day, when the first revision is superseded and
    # the second in force: a revision's PDF never says which, so not one byte differs.
    site = write_site(tmp_path / "site", SITE)
    again = build_site(site, tmp_path / "public", as_of=LATER, pdf=True, cache=BuildCache())
    assert again.typeset == len(PDFS)
    for path in PDFS:
        assert (tmp_path / "public" / path).read_bytes() == built.pdfs[path], path

    kept = build_site(built.site, built.out, as_of=LATER, pdf=True, cache=built.cache)
    assert kept.typeset == 0
    for path in PDFS:
        assert (built.out / path).read_bytes() == built.pdfs[path], path

    # A changed text makes its own PDF again, and only it.
    changed = built.site / "content/privacy/2026-06-01/en.md"
    changed.write_text(
        text(
            "Privacy Policy",
            "2026-06-01",
            "## 1. Who we are\n\nWe are Example, in Paris.",
            "2025-12-01",
        ),
        encoding="utf-8",
    )
    try:
        edited = build_site(built.site, built.out, as_of=LATER, pdf=True, cache=built.cache)
    finally:
        changed.write_text(SITE["content/privacy/2026-06-01/en.md"], encoding="utf-8")
    # The English text, and the other languages' pages that show it untranslated.
    assert edited.typeset == 4
    assert "in Paris." in pdf_text(
        (built.out / "en/global/privacy/2026-06-01/privacy-2026-06-01-en-global.pdf").read_bytes()
    )


def test_workers_make_the_same_pdfs_and_a_saved_cache_keeps_them(tmp_path: Path) -> None:
    # Two processes; then the cache saved in its folder and read back by the next build, a
    # later day's, which makes every page of a revision again but not its PDFs.
    site = write_site(tmp_path / "site", SITE)
    out = tmp_path / "public"
    cache = BuildCache()
    made = build_site(site, out, as_of=FIRST, pdf=True, cache=cache, jobs=2)
    assert made.typeset == len(PDFS)
    assert {path: (out / path).read_bytes() for path in PDFS} == built_pdfs(tmp_path)
    save_cache(tmp_path / "cache", cache)
    saved, _ = load_cache(tmp_path / "cache")
    kept = build_site(site, out, as_of=LATER, pdf=True, cache=saved, jobs=2)
    assert kept.typeset == 0
    assert kept.rendered > 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    document = manifest["policies"]["privacy"]["revisions"][0]["documents"]["ja"]["global"]
    assert document["pdf_sha256"] == hashlib.sha256((out / PDFS[1]).read_bytes()).hexdigest()


def built_pdfs(root: Path) -> dict[str, bytes]:
    """The PDFs of a one-process build of the site from nothing."""
    site = write_site(root / "alone", SITE)
    build_site(site, root / "alone-public", as_of=FIRST, pdf=True, jobs=1)
    return {path: (root / "alone-public" / path).read_bytes() for path in PDFS}


EVIL_CSS = 'body::before { content: "LEAKED FROM OUTSIDE"; }'


def evil_template(css: Path, image: Path) -> str:
    """A site's pdf.html that tries to load a stylesheet and an image from the machine and
    from the network."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="file://{css}">'
        '<link rel="stylesheet" href="https://evil.example/steal.css">'
        f"<style>@import url('file://{css}');</style>"
        f'</head><body><p>Text {{{{ pdf.title }}}}</p><img src="file://{image}" alt="">'
        '<img src="file:///etc/passwd" alt=""></body></html>\n'
    )


def test_a_pdf_loads_nothing_from_outside_the_theme(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    css = tmp_path / "outside.css"
    css.write_text(EVIL_CSS, encoding="utf-8")
    image = tmp_path / "outside.png"
    image.write_bytes(TINY_PNG)
    template = evil_template(css, image)
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": SITE["content/privacy/2024-01-01/en.md"],
            "templates/pdf.html": template,
        }
    )
    build_site(site, site / "public", as_of=FIRST, pdf=True)
    content = (
        site / "public/en/global/privacy/2024-01-01/privacy-2024-01-01-en-global.pdf"
    ).read_bytes()
    assert "Text Privacy Policy" in pdf_text(content)
    assert "LEAKED" not in pdf_text(content)
    assert b"/Image" not in content

    # What the template asks for would be loaded by WeasyPrint's own fetcher.
    weasyprint = pdf.load_weasyprint()
    html = template.replace("{{ pdf.title }}", "Privacy Policy")
    unguarded = weasyprint.HTML(string=html, base_url="https://policies.example.org/").write_pdf()
    assert "LEAKED" in pdf_text(unguarded)
    assert b"/Image" in unguarded


TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f80f0000010101005e1b6f2b0000000049454e44ae426082"
)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://evil.example/static/policygen.css",
        "https://policies.example.org/static/other.css",
        "https://policies.example.org/en/global/privacy/2024-01-01/source.md",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_all_but_the_theme_files(url: str) -> None:
    fetch = pdf.theme_fetcher("https://policies.example.org/", {"static/policygen.css": b"p{}"})
    with pytest.raises(pdf.RefusedFetch, match="a PDF loads nothing from elsewhere"):
        fetch.fetch(url)


def test_the_fetcher_serves_the_theme_files() -> None:
    fetch = pdf.theme_fetcher("https://policies.example.org/", {"static/policygen.css": b"p{}"})
    response = fetch.fetch("https://policies.example.org/static/policygen.css")
    assert response.read() == b"p{}"
    assert response.headers["Content-Type"].startswith("text/css")


def test_pdf_true_in_site_yaml_makes_pdfs(site_factory: SiteFactory) -> None:
    site = site_factory(
        {
            "site.yaml": SITE_YAML.replace("timezone: UTC", "timezone: UTC\npdf: true"),
            "content/privacy/2024-01-01/en.md": text("Privacy Policy", "2024-01-01", "Hello."),
        }
    )
    result = build_site(site, site / "public", as_of=FIRST)
    assert result.typeset == 4
    # A check makes no PDF, and needs no WeasyPrint.
    assert build_site(site, None, as_of=FIRST).typeset == 0


def test_a_pdf_holds_every_word_of_long_lines_of_code_and_wide_tables(
    site_factory: SiteFactory,
) -> None:
    # A page scrolls a code block, or a table, wider than the screen; paper does not: the
    # PDF cut the line where its box, or the page, ended, and the words after were in no
    # copy of the text but source.md.
    word = "averyverylongidentifierwithoutanyplacetobreakit" * 2 + "_never_shared"
    body = (
        "```\nWe will sell your data." + " " * 150 + "Just kidding: we will never sell it.\n```\n\n"
        "    We keep it for one year"
        + "\u00a0"
        * 10
        + "then delete it, but backups are kept forever.\n\n"
        f"| Data | Kept |\n|---|---|\n| `{word}` | one year |\n"
    )
    site = site_factory(
        {
            "site.yaml": SITE_YAML,
            "content/privacy/2024-01-01/en.md": text("Privacy Policy", "2024-01-01", body),
        }
    )
    build_site(site, site / "public", as_of=FIRST, pdf=True)
    pdf_file = "en/global/privacy/2024-01-01/privacy-2024-01-01-en-global.pdf"
    # Broken where they reach the margin: compared without the spaces and line ends, a line
    # at a time (pdftotext reads the lines of a block of code in an order of its own).
    shown = "".join(pdf_text((site / "public" / pdf_file).read_bytes()).split())
    for words in (
        "Just kidding: we will never sell it.",
        "but backups are kept",
        "forever.",
        word,
        "one year",
    ):
        assert "".join(words.split()) in shown, words


def test_a_pdf_numbers_lists_as_their_page_does(site_factory: SiteFactory) -> None:
    # WeasyPrint reads neither `start`, nor `reversed`, nor `type`: every list of a PDF
    # counted 1, 2, 3, and the clause a text numbers "3." was "1." in its PDF.
    body = (
        "1. First\n2. Second\n\nWords between.\n\n3. Third\n4. Fourth\n\n"
        "7) Seventh\n\n"
        "<ol reversed><li>Alpha</li><li>Beta<ol><li>Inner</li></ol></li><li>Gamma</li></ol>\n\n"
        '<ol start="5" type="a"><li>Delta</li></ol>\n\n'
        '<ol type="I" start=" +04x"><li>Zeta</li></ol>\n\n'
        '<ol title="a>b" reversed start="10"><li>Eta</li><li>Theta</li></ol>\n'
    )
    site = site_factory(
        {
            "site.yaml": SITE_YAML,
            "content/privacy/2024-01-01/en.md": text("Privacy Policy", "2024-01-01", body),
        }
    )
    build_site(site, site / "public", as_of=FIRST, pdf=True)
    pdf_file = "en/global/privacy/2024-01-01/privacy-2024-01-01-en-global.pdf"
    lines = [
        " ".join(line.split())
        for line in pdf_text((site / "public" / pdf_file).read_bytes()).splitlines()
    ]
    numbered = [line for line in lines if re.match(r"\(?[0-9a-zIV]+[.)] [A-Z]", line)]
    assert numbered == [
        "1. First",
        "2. Second",
        "3. Third",
        "4. Fourth",
        "(7) Seventh",
        "3. Alpha",
        "2. Beta",
        "1. Inner",
        "1. Gamma",
        "e. Delta",
        "IV. Zeta",
        "10. Eta",
        "9. Theta",
    ]


def test_a_reading_in_ruby_is_set_apart_from_its_words(site_factory: SiteFactory) -> None:
    # WeasyPrint lays no reading out above its words: "個人情報こじんじょうほう" ran on as one
    # word, where the page shows the reading over "個人情報".
    body = "<ruby>個人情報<rt>こじんじょうほう</rt></ruby>と<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>。"
    site = site_factory(
        {
            "site.yaml": SITE_YAML,
            "content/privacy/2024-01-01/en.md": text("Privacy Policy", "2024-01-01", "Text."),
            "content/privacy/2024-01-01/ja.md": text("プライバシーポリシー", "", body),
        }
    )
    build_site(site, site / "public", as_of=FIRST, pdf=True)
    pdf_file = "ja/global/privacy/2024-01-01/privacy-2024-01-01-ja-global.pdf"
    shown = "".join(pdf_text((site / "public" / pdf_file).read_bytes()).split())
    assert "個人情報(こじんじょうほう)と漢字(かんじ)。" in shown


def test_a_text_in_error_is_not_typeset(
    site_factory: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build fails on the text's errors without making its PDF, the slowest file to make:
    a table laid out a thousand columns wide took WeasyPrint 20 to 40 seconds to typeset
    before the build reported it."""
    staircase = "".join('<tr><td rowspan="1000">x</td></tr>\n' for _ in range(200))
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": text(
                "Privacy Policy", "2024-01-01", f"<table>\n{staircase}</table>"
            ),
        }
    )

    def typeset(*args: object) -> bytes:
        raise AssertionError("a PDF was typeset")

    monkeypatch.setattr("policygen.specs.render_pdf", typeset)
    with pytest.raises(BuildFailed) as failed:
        build_site(site, site / "public", as_of=FIRST, pdf=True)
    assert [p.code for p in failed.value.problems if p.is_error] == ["overfull-table"]


def test_pdf_in_site_yaml_must_be_true_or_false(
    site_factory: SiteFactory, cli: Callable[..., Run]
) -> None:
    site = site_factory(
        {
            "site.yaml": SITE_YAML + "pdf: always\n",
            "content/privacy/2024-01-01/en.md": text("Privacy Policy", "2024-01-01", "Hello."),
        }
    )
    run = cli("check", str(site), "--as-of", "2026-01-01")
    assert run.code == 1
    assert run.err == "site.yaml:8:6: error: pdf must be true or false\npolicygen: 1 error\n"


@pytest.fixture
def without_weasyprint(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """WeasyPrint as a machine without it has it: an import that fails."""
    pdf.load_weasyprint.cache_clear()
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    yield
    monkeypatch.undo()
    pdf.load_weasyprint.cache_clear()


@pytest.mark.parametrize("how", ["--pdf", "site.yaml"])
def test_pdfs_without_weasyprint_are_one_line_and_exit_1(
    site_factory: SiteFactory, cli: Callable[..., Run], without_weasyprint: None, how: str
) -> None:
    site = site_factory(
        {
            "site.yaml": SITE_YAML + ("pdf: true\n" if how == "site.yaml" else ""),
            "content/privacy/2024-01-01/en.md": text("Privacy Policy", "2024-01-01", "Hello."),
        }
    )
    run = cli("build", str(site), "--as-of", "2026-01-01", *(["--pdf"] if how == "--pdf" else []))
    assert run.code == 1
    assert run.err == (
        "policygen: PDFs are made with WeasyPrint, which is not installed here (pip install"
        " 'policygen[pdf]', and Pango from the system's packages: see the README):"
        " import of weasyprint halted; None in sys.modules\n"
    )
    assert not (site / "public").exists()
    # Checking needs no PDF.
    assert cli("check", str(site), "--as-of", "2026-01-01").code == 0


def test_build_date_does_not_come_from_the_clock(built: Built) -> None:
    # The first build ran on NOW; nothing in a PDF says so.
    for content in built.pdfs.values():
        assert NOW.strftime("D:%Y%m%d").encode() not in content


def _svg_image(url: str) -> str:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="{url}" width="9" height="9"/></svg>'
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


READERS_OF_FILES = {
    "an attachment <link>": ('<link rel="attachment" href="{secret}">', b"/EmbeddedFile"),
    "an attachment <a>": ('<a rel="attachment" href="{secret}">a</a>', b"/EmbeddedFile"),
    "an attachment under <base>": (
        '<base href="{folder}/"><a rel="attachment" href="secret.txt">a</a>',
        b"/EmbeddedFile",
    ),
    "an SVG image in a data: URL": ('<img src="{svg}" alt="">', b"/Image"),
    "an SVG drawn in the page": (
        '<svg width="9" height="9"><image href="{png}" width="9" height="9"/></svg>',
        b"/Image",
    ),
    "an @page background": ("<style>@page { background: url({png}) }</style>", b"/Image"),
    "a style attribute": ('<div style="background: url({png})">x</div>', b"/Image"),
    "an <object>": ('<object data="{png}" type="image/png"></object>', b"/Image"),
    "an <embed>": ('<embed src="{png}">', b"/Image"),
    "generated content": ("<style>body::before { content: url({png}) }</style>", b"/Image"),
    "a list's marker": (
        "<style>li { list-style-image: url({png}) }</style><ul><li>x</li></ul>",
        b"/Image",
    ),
}


@pytest.mark.parametrize("way", list(READERS_OF_FILES))
def test_no_way_of_writing_html_makes_a_pdf_read_a_file(way: str, tmp_path: Path) -> None:
    """What a site's template writes (or raw HTML that got past the sanitizer) names a file of
    the machine in each way WeasyPrint reads one: embedded files, SVG, CSS, objects."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    png = tmp_path / "outside.png"
    png.write_bytes(TINY_PNG)
    markup, sign = READERS_OF_FILES[way]
    body = (
        markup.replace("{secret}", secret.as_uri())
        .replace("{folder}", tmp_path.as_uri())
        .replace("{png}", png.as_uri())
        .replace("{svg}", _svg_image(png.as_uri()))
    )
    html = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body><p>Text</p>{body}</body></html>'
    guarded = pdf.render_pdf(html, "https://p.example/en/", "https://p.example/", {})
    assert sign not in guarded and b"SECRET" not in guarded
    # WeasyPrint's own fetcher reads it: the way is a real one.
    weasyprint = pdf.load_weasyprint()
    assert sign in weasyprint.HTML(string=html, base_url="https://p.example/en/").write_pdf()


def test_a_list_keeps_its_own_style_where_it_is_numbered() -> None:
    # A template's `<ol style="...">` that policygen numbered got a second `style`, and
    # WeasyPrint keeps the first of two: the template's own style was dropped in the PDF.
    html = (
        '<ol start="3" style="color: red; list-style-type: upper-roman">'
        "<li>Third</li></ol>"
        "<ol reversed><li style='margin: 0 \"x\"'>One</li></ol>"
    )
    assert pdf.numbered_as_browsers_do(html) == (
        '<ol style="counter-reset: list-item 2; color: red; list-style-type: upper-roman"'
        ' start="3" style="color: red; list-style-type: upper-roman"><li>Third</li></ol>'
        '<ol style="counter-reset: list-item 2" reversed>'
        '<li style="counter-increment: list-item -1; margin: 0 &quot;x&quot;"'
        " style='margin: 0 \"x\"'>One</li></ol>"
    )
