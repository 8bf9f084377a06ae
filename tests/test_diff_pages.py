"""Diff pages of the example site: what changed, where, in every language and region."""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from .conftest import ROOT

THEME = ROOT / "src/policygen/themes/default"


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_every_revision_after_the_first_has_a_diff_page(example: Path) -> None:
    diffs = sorted(
        str(p.relative_to(example).parent.parent) for p in example.rglob("diff/index.html")
    )
    expected = sorted(
        f"{lang}/{region}/{policy}/{rev}"
        for lang in ("en", "ja")
        for region in ("global", "europe")
        for policy, rev in (
            ("privacy", "2022-07-07"),
            ("privacy", "2027-01-01"),
            ("cookies", "2025-04-01"),
        )
    )
    assert diffs == expected


def test_diff_page_lists_the_changed_sections_and_marks_the_words(example: Path) -> None:
    html = read(example, "en/global/privacy/2022-07-07/diff/index.html")
    assert '<h1 id="pg-title">Changes in the version effective July 7, 2022</h1>' in html
    changes = re.search(r'<ul class="redline__changes">(.*?)</ul>', html, re.S)
    assert changes is not None
    listed = re.findall(
        r'<a href="#([^"]+)">([^<]+)</a> <span class="change change--(\w+)">', changes.group(1)
    )
    assert ("section-10", "10. Note", "added") in listed
    assert (
        "section-5",
        "5. Placement of Advertisements on Third-Party Distributors",
        "modified",
    ) in listed
    assert all(anchor != "section-1" for anchor, _, _ in listed), (
        "unchanged sections are not listed"
    )
    assert '<ins><span class="visually-hidden">inserted: </span>, TikTok</ins>' in html
    assert '<a href="../../2021-04-01/">Version effective April 1, 2021</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert re.search(r'<details class="redline__unchanged">\s*<summary>1\. Basic Concept', html)


def test_japanese_changes_are_marked_by_character(example: Path) -> None:
    html = read(example, "ja/global/privacy/2022-07-07/diff/index.html")
    assert '<ins><span class="visually-hidden">挿入: </span>、TikTok</ins>' in html
    assert "2022年7月7日施行の版における変更点" in html


def test_a_diff_with_an_untranslated_side_says_so(example: Path) -> None:
    html = read(example, "ja/global/privacy/2027-01-01/diff/index.html")
    assert (
        "この版はまだ翻訳されていないため、原文（English）を前の版の翻訳と比較しています。" in html
    )


def test_policy_links_in_a_redline_resolve(example: Path) -> None:
    html = read(example, "en/global/privacy/2022-07-07/diff/index.html")
    assert '<a href="../../../cookies/">Cookies Policy</a>' in html
    assert "policy:" not in html


def test_revision_and_history_pages_link_their_changes(example: Path) -> None:
    assert '<a href="diff/">Compare with the previous version</a>' in read(
        example, "en/global/privacy/2022-07-07/index.html"
    )
    assert "Compare with the previous version" not in read(
        example, "en/global/privacy/2021-04-01/index.html"
    )
    history = read(example, "en/global/privacy/history/index.html")
    assert '<a href="../2027-01-01/diff/">Compare with the previous version</a>' in history


def test_manifest_diff_urls_lead_to_diff_pages(example: Path) -> None:
    manifest = json.loads(read(example, "manifest.json"))
    base = manifest["base_url"]
    for policy in manifest["policies"].values():
        for revision in policy["revisions"]:
            for regions in revision["documents"].values():
                for document in regions.values():
                    if document["diff_url"] is not None:
                        assert (
                            example / document["diff_url"].removeprefix(base) / "index.html"
                        ).exists()


def test_diff_pages_stay_out_of_the_sitemap(example: Path) -> None:
    assert "/diff/" not in read(example, "sitemap.xml")


def test_the_theme_catalogs_translate_every_string_of_the_templates() -> None:
    found = extract_from_dir(
        str(THEME),
        [("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2")],
        options_map={"**": {"extensions": "jinja2.ext.i18n"}},
    )
    wanted = {message for _, _, message, _, _ in found}
    for path in sorted(THEME.glob("locales/**/messages.po*")):
        with path.open(encoding="utf-8") as file:
            catalog = read_po(file)
        if path.suffix == ".pot":
            translated = {m.id for m in catalog if m.id}
        else:
            translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        missing = sorted(str(w) for w in wanted - translated)
        assert not missing, f"{path.relative_to(THEME)} lacks: {missing}"
