"""Whole builds: the example site's pages, determinism, atomic output, dates and links."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

from policygen.errors import BuildFailed
from policygen.output import Output, OutputError, check_paths
from policygen.replacement import wait_for_deletions

from .conftest import (
    EXAMPLE_AS_OF,
    PRIVACY_EN,
    Run,
    SiteFactory,
    build_site,
    copy_example,
    read_tree,
)
from .test_import_git import SITE_YAML as SITE_YAML_JA

REVISIONS = {
    "privacy": ["2021-04-01", "2022-07-07", "2027-01-01"],
    "cookies": ["2022-07-07", "2025-04-01"],
}


def page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_example_site_has_every_page(example: Path) -> None:
    expected = {
        "index.html",
        "404.html",
        "sitemap.xml",
        "static/policygen.css",
        "manifest.json",
        "manifest.schema.json",
        "_headers",
    }
    expected.add("api/reader.schema.json")
    for language in ("en", "ja"):
        expected.add(f"{language}/index.html")
        for region in ("global", "europe"):
            expected.add(f"{language}/{region}/feed.xml")
            for policy, revisions in REVISIONS.items():
                folder = f"{language}/{region}/{policy}"
                expected.add(f"api/{policy}/{region}/{language}.json")
                expected |= {f"{folder}/index.html", f"{folder}/history/index.html"}
                for revision in revisions:
                    expected |= {
                        f"{folder}/{revision}/index.html",
                        f"{folder}/{revision}/source.md",
                    }
                    if revision != revisions[0]:
                        expected.add(f"{folder}/{revision}/diff/index.html")
    assert set(read_tree(example)) == expected


def test_builds_are_byte_identical(site_factory: SiteFactory, tmp_path: Path) -> None:
    site = tmp_path / "example"
    copy_example(site)
    build_site(site, tmp_path / "one", as_of=EXAMPLE_AS_OF)
    build_site(site, tmp_path / "two", as_of=EXAMPLE_AS_OF)
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


def test_failed_build_leaves_the_previous_output(site_factory: SiteFactory, tmp_path: Path) -> None:
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": PRIVACY_EN.replace("(policy:cookies)", "(#section-1)")}
    )
    out = tmp_path / "out"
    build_site(site, out)
    before = read_tree(out)
    (site / "content/privacy/2024-06-01").mkdir()
    (site / "content/privacy/2024-06-01/en.md").write_text(
        "---\neffective: 2024-06-01\nefective: x\n---\nNew.\n"
    )
    with pytest.raises(BuildFailed):
        build_site(site, out)
    assert read_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_writer_refuses_to_write_one_path_twice() -> None:
    with pytest.raises(OutputError, match="two pages want the same path a.html"):
        check_paths(["a.html", "b/index.html", "a.html"])


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd"])
def test_writer_refuses_paths_outside_the_output(tmp_path: Path, path: str) -> None:
    output = Output(tmp_path / "out")
    with pytest.raises(OutputError, match="outside the output folder"):
        output.write(path, b"x")
    output.abandon()
    assert list(tmp_path.iterdir()) == []


def test_refuses_an_output_folder_it_did_not_write(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\nText.\n"}
    )
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(OutputError, match="was not written by policygen"):
        build_site(site, precious)
    with pytest.raises(OutputError, match="contains the site's sources"):
        build_site(site, site.parent)
    assert (precious / "thesis.txt").read_text() == "years of work"


def test_the_root_folder_is_refused_as_the_output(
    cli: Callable[..., Run], site_factory: SiteFactory
) -> None:
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\nText.\n"}
    )
    # The root has no parent folder to make it in, nor to keep a replaced output beside.
    run = cli("build", str(site), "-o", "/", "--no-cache")
    assert (run.code, run.err) == (
        1,
        "policygen: the output folder / contains the site's sources: choose another with -o\n",
    )


def test_pages_state_both_dates_in_their_language(example: Path) -> None:
    en = page(example, "en/global/privacy/index.html")
    ja = page(example, "ja/global/privacy/index.html")
    assert '<time datetime="2022-07-07">July 7, 2022</time>' in en
    assert '<time datetime="2022-07-07">2022年7月7日</time>' in ja
    assert "施行日" in ja and "公表日" in ja


def test_html_lang_and_dir_are_right(
    example: Path, site_factory: SiteFactory, tmp_path: Path
) -> None:
    assert page(example, "ja/global/privacy/index.html").startswith(
        '<!DOCTYPE html>\n<html lang="ja" dir="ltr">'
    )
    site = site_factory(
        {
            "site.yaml": "base_url: https://example.org/\nlanguages: [en, ar]\ndefault_language: en\nregions:\n  global: {default: true}\n",
            "content/terms/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\n## 1. Terms\n",
            "content/terms/2024-01-01/ar.md": "---\ntitle: الشروط\n---\n## 1. الشروط\n",
        }
    )
    build_site(site, tmp_path / "out")
    arabic = (tmp_path / "out/ar/global/terms/index.html").read_text()
    assert arabic.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    assert (
        '<h2 id="section-1"><span id="1-الشروط"></span><span id="1"></span>1. الشروط</h2>' in arabic
    )


def test_a_revision_id_reads_left_to_right_on_pages_written_right_to_left(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Mozilla's Arabic privacy policy (mozilla/legal-docs, 2015): its revision's id written
    bare after Arabic words showed as '(17-09-2014)', the digits that follow Arabic letters
    being Arabic numbers, which a hyphen does not join."""
    site = site_factory(
        {
            "site.yaml": "base_url: https://example.org/\nlanguages: [en, ar]\ndefault_language: en\nregions:\n  global: {default: true}\n",
            "content/privacy/2014-09-17/en.md": "---\ntitle: Mozilla Privacy Policy\neffective: 2014-09-17\n---\nApril 15, 2014\n",
            "content/privacy/2014-09-17/ar.md": "---\ntitle: سياسة خصوصية Mozilla\n---\n15 أبريل 2014\n",
        }
    )
    build_site(site, tmp_path / "out")
    revision = (tmp_path / "out/ar/global/privacy/2014-09-17/index.html").read_text()
    assert (
        '<dt>الإصدار</dt><dd>1 <bdi class="policy__revision-id" dir="ltr">(2014-09-17)</bdi></dd>'
        in revision
    )
    history = (tmp_path / "out/ar/global/privacy/history/index.html").read_text()
    assert 'الإصدار 1 <bdi dir="ltr">(2014-09-17)</bdi>' in history


def test_a_paragraph_left_in_english_on_a_hebrew_page_reads_left_to_right(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Privacy Guides' privacy policy in Hebrew (privacyguides/i18n, 2024-11-04) holds the
    sentences its translation tool had not translated yet, in English: set right to left,
    they read '.public list of team members can be found on our forum'."""
    site = site_factory(
        {
            "site.yaml": "base_url: https://example.org/\nlanguages: [en, he]\ndefault_language: en\nregions:\n  global: {default: true}\n",
            "content/privacy/2024-11-04/en.md": "---\ntitle: Privacy Policy\neffective: 2024-11-04\n---\n"
            "Privacy Guides is a community project.\n\n## Data We Collect From Visitors\n\n"
            "- No personal information is stored\n- No information is sold\n",
            "content/privacy/2024-11-04/he.md": "---\ntitle: מדיניות פרטיות\n---\n"
            "Privacy Guides is a community project.\n\n## נתונים שאנו אוספים ממבקרים\n\n"
            "- No personal information is stored\n- שום מידע אינו משותף עם, נשלח או נמכר לצדדים שלישיים\n\n"
            "## Contacting Us\n\nJonah Aragon.\n",
        }
    )
    build_site(site, tmp_path / "out")
    hebrew = (tmp_path / "out/he/global/privacy/index.html").read_text()
    assert '<p dir="ltr">Privacy Guides is a community project.</p>' in hebrew
    assert '<li dir="ltr">No personal information is stored</li>\n<li>שום מידע' in hebrew
    assert '<h2 id="נתונים-שאנו-אוספים-ממבקרים">' in hebrew
    assert '<h2 id="contacting-us" dir="ltr">Contacting Us</h2>' in hebrew
    # Its table of contents too.
    assert '<li><a href="#נתונים-שאנו-אוספים-ממבקרים">' in hebrew
    assert '<li dir="ltr"><a href="#contacting-us">Contacting Us</a></li>' in hebrew
    english = (tmp_path / "out/en/global/privacy/index.html").read_text()
    assert 'dir="ltr"' not in english.split('class="policy__body"')[1]


def test_pages_not_in_force_say_so_and_link_the_current_one(example: Path) -> None:
    superseded = page(example, "en/global/privacy/2021-04-01/index.html")
    assert "This is not the version in force." in superseded
    assert "It was replaced by the version effective July 7, 2022." in superseded
    assert '<a href="../2022-07-07/">Read the version in force</a>' in superseded
    assert '<meta name="robots" content="noindex">' in superseded

    upcoming = page(example, "en/global/privacy/2027-01-01/index.html")
    assert "This version takes effect on January 1, 2027." in upcoming
    assert '<meta name="robots" content="noindex">' in upcoming

    current = page(example, "en/global/privacy/index.html")
    assert "A new version takes effect on January 1, 2027." in current
    assert '<a href="2027-01-01/">Read the new version</a>' in current
    index = page(example, "en/index.html")
    # Two sentences, two paragraphs: no language's way of spacing sentences is assumed.
    assert (
        "<p>In force since July 7, 2022.</p>\n    <p>A new version takes effect on January 1, 2027.</p>"
        in index
    )
    assert "noindex" not in current
    permalink = page(example, "en/global/privacy/2022-07-07/index.html")
    assert (
        '<link rel="canonical" href="https://www.example.org/policies/en/global/privacy/">'
        in permalink
    )


def test_missing_translation_shows_the_source_text_with_a_notice(example: Path) -> None:
    fallback = page(example, "ja/global/privacy/2027-01-01/index.html")
    assert "この版はまだ翻訳されていません。原文（English）で表示しています。" in fallback
    assert '<div class="policy__body" lang="en" dir="auto">' in fallback
    assert '<html lang="ja"' in fallback
    translated = page(example, "ja/global/privacy/index.html")
    assert "まだ翻訳されていません" not in translated
    assert '<div class="policy__body">' in translated


def test_region_text_is_resolved_per_region(example: Path) -> None:
    europe = (example / "en/europe/privacy/2021-04-01/source.md").read_text()
    other = (example / "en/global/privacy/2021-04-01/source.md").read_text()
    assert ":::" not in europe + other
    assert "If you are in the European Economic Area" in europe
    assert "If you are in the European Economic Area" not in other


def test_source_md_is_canonical(example: Path) -> None:
    for source in example.rglob("source.md"):
        text = source.read_text(encoding="utf-8")
        assert not text.startswith(("---", "\n"))
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "\n\n\n" not in text and "\r" not in text
        assert all(line.strip() or not line for line in text.split("\n"))


def test_policy_links_resolve_in_the_same_language_and_region(example: Path) -> None:
    assert '<a href="../cookies/">Cookies Policy</a>' in page(
        example, "en/global/privacy/index.html"
    )
    assert '<a href="../../cookies/">' in page(example, "ja/europe/privacy/2021-04-01/index.html")


def test_switchers_keep_the_reader_on_the_same_revision(example: Path) -> None:
    html = page(example, "en/global/privacy/2021-04-01/index.html")
    assert (
        '<a href="../../../../ja/global/privacy/2021-04-01/" hreflang="ja" lang="ja">日本語</a>'
        in html
    )
    assert '<a href="../../../europe/privacy/2021-04-01/">Europe, U.K. and Thailand</a>' in html
    assert (
        '<link rel="alternate" hreflang="ja" href="https://www.example.org/policies/ja/global/privacy/2021-04-01/">'
        in html
    )


def test_sitemap_lists_only_pages_for_search_engines(example: Path) -> None:
    sitemap = page(example, "sitemap.xml")
    assert "<loc>https://www.example.org/policies/ja/europe/cookies/</loc>" in sitemap
    assert 'hreflang="ja" href="https://www.example.org/policies/ja/global/privacy/"' in sitemap
    assert "2021-04-01" not in sitemap and "2027-01-01" not in sitemap


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "link" and values.get("rel") in ("canonical", "alternate"):
            return
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(str(values[name]))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_link_between_pages_is_relative_and_lands(example: Path) -> None:
    """Relative links make the output work under any sub-path; each must reach a page and its anchor."""
    checked = 0
    for html in example.rglob("*.html"):
        if html.name == "404.html":
            continue
        here = PurePosixPath(html.relative_to(example).as_posix()).parent
        for link in _parse(html).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "tel"):
                continue
            assert not link.startswith("/"), f"{html}: {link} is not relative"
            target = example / str(PurePosixPath(here, unquote(parts.path))) if parts.path else html
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{html}: {link} leads nowhere"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in _parse(target).ids, f"{html}: {link} has no anchor"
            checked += 1
    assert checked > 500


def test_404_page_links_from_the_site_root(example: Path) -> None:
    html = page(example, "404.html")
    assert 'href="/policies/static/policygen.css"' in html
    assert '<a href="/policies/ja/" hreflang="ja" lang="ja">日本語</a>' in html


def test_base_url_can_be_overridden(site_factory: SiteFactory, tmp_path: Path) -> None:
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\nText.\n"}
    )
    build_site(site, tmp_path / "out", base_url="https://staging.example.net/p")
    html = (tmp_path / "out/en/global/privacy/index.html").read_text()
    assert '<link rel="canonical" href="https://staging.example.net/p/en/global/privacy/">' in html


def test_as_of_decides_which_revision_is_in_force(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "content/privacy/a/en.md": "---\neffective: 2024-01-01\n---\nFirst text.\n",
            "content/privacy/b/en.md": "---\neffective: 2025-01-01\npublished: 2024-11-01\n---\nSecond text.\n",
        }
    )
    build_site(site, tmp_path / "before", as_of=dt.date(2024, 12, 31))
    build_site(site, tmp_path / "after", as_of=dt.date(2025, 1, 1))
    assert "First text." in (tmp_path / "before/en/global/privacy/index.html").read_text()
    assert "Second text." in (tmp_path / "after/en/global/privacy/index.html").read_text()


def test_site_before_its_first_revision_shows_the_upcoming_text(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "content/privacy/a/en.md": "---\neffective: 2030-01-01\npublished: 2026-11-01\n---\nLater.\n"
        }
    )
    build_site(site, tmp_path / "out")
    html = (tmp_path / "out/en/global/privacy/index.html").read_text()
    assert "This version takes effect on January 1, 2030." in html


def test_corrections_are_shown_on_the_revision_page(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "content/privacy/a/en.md": "---\neffective: 2024-01-01\ncorrections:\n  - {date: 2024-02-03, note: Fixed the postal code.}\n---\nText.\n"
        }
    )
    build_site(site, tmp_path / "out")
    html = (tmp_path / "out/en/global/privacy/a/index.html").read_text()
    assert "Corrected on February 3, 2024: Fixed the postal code." in re.sub(r"\s+", " ", html)


def test_a_general_translation_never_stands_in_for_a_regions_own_text(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "content/privacy/a/en.md": "---\neffective: 2024-01-01\n---\nGeneral text.\n",
            "content/privacy/a/en.eu.md": "---\n---\nEuropean text.\n",
            "content/privacy/a/fr.md": "---\n---\nTexte général.\n",
        }
    )
    build_site(site, tmp_path / "out")
    european = (tmp_path / "out/fr/eu/privacy/index.html").read_text()
    assert "European text." in european and "Texte général." not in european
    assert "Cette version n’a pas encore été traduite" in european
    assert '<div class="policy__body" lang="en" dir="auto">' in european
    assert "Texte général." in (tmp_path / "out/fr/global/privacy/index.html").read_text()


def test_title_and_summary_fall_back_per_language(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "content/privacy/policy.yaml": "title: {en: Privacy, fr: Confidentialité}\n",
            "content/privacy/a/en.md": "---\neffective: 2024-01-01\nsummary: New.\n---\nText.\n",
            "content/privacy/a/fr.md": "---\n---\nTexte.\n",
        }
    )
    build_site(site, tmp_path / "out")
    html = (tmp_path / "out/fr/global/privacy/index.html").read_text()
    assert '<h1 id="pg-title">Confidentialité</h1>' in html
    assert '<span lang="en" dir="auto">New.</span>' in html


def test_a_revision_is_not_published_before_its_published_date(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {
            "content/privacy/a/en.md": "---\neffective: 2024-01-01\n---\nIn force.\n",
            "content/privacy/b/en.md": "---\neffective: 2027-03-01\npublished: 2027-01-15\nsummary: Next.\n---\nNext text.\n",
        }
    )
    build_site(site, tmp_path / "before", as_of=dt.date(2027, 1, 14))
    assert not (tmp_path / "before/en/global/privacy/b").exists()
    assert "takes effect" not in (tmp_path / "before/en/global/privacy/index.html").read_text()
    build_site(site, tmp_path / "after", as_of=dt.date(2027, 1, 15))
    assert (
        "A new version takes effect on March 1, 2027."
        in (tmp_path / "after/en/global/privacy/index.html").read_text()
    )


def test_a_parallel_build_is_byte_identical_to_a_one_process_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import policygen.forking

    monkeypatch.setattr(policygen.forking, "PARALLEL_FROM", 2)  # so that the small example forks
    site = copy_example(tmp_path / "site")
    build_site(site, tmp_path / "one", as_of=EXAMPLE_AS_OF, jobs=1)
    build_site(site, tmp_path / "two", as_of=EXAMPLE_AS_OF, jobs=2)
    assert read_tree(tmp_path / "two") == read_tree(tmp_path / "one")


def test_a_template_error_while_pages_are_written_leaves_the_previous_output(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\nText.\n"}
    )
    out = tmp_path / "out"
    build_site(site, out)
    before = read_tree(out)
    (site / "templates").mkdir()
    (site / "templates/history.html").write_text(
        '{% extends "theme/history.html" %}\n{% block main %}{{ nothing.here }}{% endblock %}\n'
    )
    with pytest.raises(BuildFailed) as failed:
        build_site(site, out)
    assert [str(p) for p in failed.value.problems if p.is_error] == [
        "templates/history.html:2: error: template error: 'nothing' is undefined"
    ]
    assert read_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_the_replaced_output_is_removed_after_the_swap(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\nText.\n"}
    )
    out = tmp_path / "out"
    build_site(site, out)
    (tmp_path / ".out.old-1").mkdir()  # left by a build that was interrupted
    (tmp_path / ".out.old-1/index.html").write_text("old")
    build_site(site, out)
    wait_for_deletions()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_no_heading_is_set_smaller_than_the_text() -> None:
    """Sula kommune's privacy statements (github.com/mbsuk/sula-personvern) head each part
    with '#####' ('Formål', 'Behandlingsgrunnlag'): browsers set h5 at 0.83 of the text's size
    and h6 at 0.67, so their headings read smaller than the sentences under them."""
    css = (
        Path(__file__).parents[1] / "src/policygen/themes/default/static/policygen.css"
    ).read_text(encoding="utf-8")
    sizes: dict[str, str] = {}
    for selectors, size in re.findall(r"^([^{@]+)\{[^}]*font-size: ([^;]+);", css, re.M):
        for selector in selectors.split(","):
            sizes.setdefault(selector.strip(), size.strip())
    for level in range(2, 7):
        assert sizes.get(f"h{level}", "0") in ("1rem", "1.125rem", "1.375rem"), f"h{level}"


def test_a_long_history_is_listed_by_year(site_factory: SiteFactory, tmp_path: Path) -> None:
    """Delta Chat's FAQ (github.com/deltachat/deltachat-pages, `en/help.md`) has 156
    versions since 2017: its history page was one list some twenty screens long, with no
    way to the versions of a year but scrolling. A history of ten revisions or more, over
    more than one year, is listed by year, the years linked at its top; a shorter one is
    one list."""
    days = ["2016-03-01", "2017-05-02", *(f"{year}-01-15" for year in range(2018, 2026))]
    days += ["2025-07-01"]
    files = {
        f"content/faq/{day}/en.md": f"---\neffective: {day}\nsummary: Change {n}.\n---\nText {n}.\n"
        for n, day in enumerate(days, start=1)
    }
    files["content/short/2024-01-01/en.md"] = "---\neffective: 2024-01-01\n---\nOne.\n"
    files["content/short/2025-01-01/en.md"] = "---\neffective: 2025-01-01\n---\nTwo.\n"
    site = site_factory(
        {"site.yaml": SITE_YAML_JA, **files},
    )
    build_site(site, tmp_path / "out")
    history = page(tmp_path / "out", "en/global/faq/history/index.html")
    years = re.findall(r'<li><a href="#year-(\d{4})">(\d{4})</a></li>', history)
    assert years == [(str(y), str(y)) for y in range(2025, 2015, -1)]
    assert '<h2 id="year-2025" class="history-year__title">2025</h2>' in history
    assert '<ol class="history" reversed start="11">' in history
    assert '<ol class="history" reversed start="1">' in history
    assert history.count('<h3 class="history__title">') == 11
    assert history.index("Change 11.") < history.index("Change 10.") < history.index("Change 1.")
    japanese = page(tmp_path / "out", "ja/global/faq/history/index.html")
    assert '<h2 id="year-2016" class="history-year__title">2016年</h2>' in japanese
    short = page(tmp_path / "out", "en/global/short/history/index.html")
    assert "year-" not in short
    assert short.count('<h2 class="history__title">') == 2
