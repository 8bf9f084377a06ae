"""policygen import git: one revision per version of a file in a git history."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from policygen.importing import git as git_module
from policygen.importing.git import (
    MAX_INCLUDE_LOOKUPS,
    MAX_INCLUDES,
    NO_TEXT,
    SAME_DAY,
    FileVersion,
    Skipped,
    find_text_date,
    plan_history,
    read_versions,
    summary_of,
    translation_ends,
)
from policygen.importing.markdown import convert_markdown

from .conftest import ALIAS_BOMB, Run, SiteFactory, problems_of

CLI = Callable[..., Run]
SPANISH = Path(__file__).parent / "fixtures" / "spanish"
"""Excerpts of Spanish policy texts (see its README)."""
SITE_YAML = """\
title: Example
base_url: https://policies.example.org/
default_language: en
languages: [en, ja]
timezone: Asia/Tokyo
regions:
  global: {default: true}
"""


def _commit(repo: Path, when: str, message: str, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    environment = os.environ | {
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "Legal",
        "GIT_AUTHOR_EMAIL": "legal@example.org",
        "GIT_COMMITTER_NAME": "Legal",
        "GIT_COMMITTER_EMAIL": "legal@example.org",
    }
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=environment)
    subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", message],
        check=True,
        env=environment,
    )


def _new_repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    return repo


def _import_with_translations(cli: CLI, repo: Path, site: Path) -> Run:
    """en/privacy.md's history, its translations at {language}/privacy.md."""
    return cli(
        "import", "git", str(repo), "en/privacy.md", "--policy", "privacy",
        "--translations", "{language}/privacy.md", str(site),
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A policy repository: four versions of privacy.md with their Japanese translation."""
    repo = _new_repository(tmp_path)
    en, ja = "Policies/en/privacy.md", "Policies/ja/privacy.md"
    _commit(
        repo,
        "2021-03-31T20:00:00+00:00",  # 1 April in Tokyo
        "First privacy policy",
        {en: "# Privacy\n\nEffective date: April 1, 2021\n\n## 1. Data\n\nNone.\n",
         ja: "# プライバシー\n\n## 1. データ\n\nなし。\n"},
    )  # fmt: skip
    _commit(repo, "2021-05-01T10:00:00+09:00", "Add a README", {"README.md": "Policies\n"})
    _commit(
        repo,
        "2022-09-01T09:00:00+09:00",
        "Collect email addresses",
        {en: "# Privacy\n\nEffective date: September 1, 2022\n\n## 1. Data\n\nYour email.\n"},
    )
    _commit(
        repo,
        "2022-09-01T18:00:00+09:00",
        "Fix a typo",
        {en: "# Privacy\n\nEffective date: September 1, 2022\n\n## 1. Data\n\nYour email address.\n",
         ja: "# プライバシー\n\n## 1. データ\n\nメールアドレス。\n"},
    )  # fmt: skip
    _commit(
        repo,
        "2023-01-10T12:00:00+09:00",
        "Say when it was last updated",
        {en: "# Privacy\n\nLast updated: 10 January 2023\n\n## 1. Data\n\nYour email address.\n"},
    )
    return repo


def test_every_version_becomes_a_revision_dated_by_its_commit(
    cli: CLI, site_factory: SiteFactory, repo: Path
) -> None:
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli(
        "import", "git", str(repo), "Policies/en/privacy.md", "--policy", "privacy",
        "--translations", "Policies/{language}/privacy.md", str(site),
    )  # fmt: skip
    assert run.code == 0, run.err
    folders = sorted(p.name for p in (site / "content/privacy").iterdir() if p.is_dir())
    assert folders == ["2021-04-01", "2022-09-01", "2023-01-10"]
    assert sorted(p.name for p in (site / "content/privacy/2022-09-01").iterdir()) == [
        "en.md",
        "ja.md",
    ]
    assert sorted(p.name for p in (site / "content/privacy/2023-01-10").iterdir()) == ["en.md"]
    assert (site / "content/privacy/2022-09-01/en.md").read_text() == (
        "---\ntitle: Privacy\neffective: 2022-09-01\npublished: 2022-09-01\nsummary: Fix a typo\n"
        "---\nEffective date: September 1, 2022\n\n## 1. Data\n\nYour email address.\n"
    )
    assert (site / "content/privacy/2022-09-01/ja.md").read_text() == (
        "---\ntitle: プライバシー\nsummary:   # what changed, in a sentence or two\n"
        "---\n## 1. データ\n\nメールアドレス。\n"
    )
    lines = run.err.splitlines()
    start = lines.index(
        "policygen: imported 3 revisions of 'privacy' from Policies/en/privacy.md (6 files):"
    )
    hashes = _hashes(repo)
    assert lines[start + 1 : start + 9] == [
        f"  2021-04-01  {hashes['First privacy policy']}  First privacy policy",
        f"  2022-09-01  {hashes['Fix a typo']}  Fix a typo",
        f"  2023-01-10  {hashes['Say when it was last updated']}  Say when it was last updated",
        "Skipped (2):",
        f"  {hashes['Collect email addresses']}: commit {hashes['Fix a typo']}, later, has a text for the same date (2022-09-01): the later one was kept",
        f"  {hashes['Say when it was last updated']}: the ja text at Policies/ja/privacy.md was not updated with the en text: readers get the en text with a notice",
        "Next: read the texts; preview with `policygen serve`; check with `policygen check`;",
        "then run `policygen lock` and commit policies.lock with them.",
    ]
    assert problems_of(site) == []


SITE_YAML_3 = SITE_YAML.replace("languages: [en, ja]", "languages: [en, ja, fr]")


def test_a_translation_begun_as_a_copy_of_another_file_has_no_earlier_history(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Delta Chat's Chinese FAQ (github.com/deltachat/deltachat-pages, `zh_CN/help.md`) was
    made a copy of the English one (`en/help.md`) in commit 3a42f277 (January 2021): `git
    log --follow` goes on through a copy as through a rename, and import took the English
    file's history of 2017 to 2020 for the Chinese file's, each text published as a Chinese
    translation. A file made as a copy of another, which stays where it was (here the
    Japanese terms), has no history before it: the privacy policy of 2019 has no Japanese
    text, not the terms of 2019."""
    repo = _new_repository(tmp_path)
    en, ja, terms = "en/privacy.md", "ja/privacy.md", "ja/terms.md"
    japanese = (
        "# 利用規約\n\n## 第1条\n\n本規約は、本サービスの利用に関する条件を定めるものです。\n\n"
    )
    japanese += "## 第2条\n\n利用者は、本規約に従って本サービスを利用するものとします。\n"
    _commit(
        repo,
        "2019-01-10T12:00:00+09:00",
        "First",
        {en: "# Privacy\n\nWe keep your email address.\n", terms: japanese},
    )
    _commit(repo, "2020-01-10T12:00:00+09:00", "Second", {en: "# Privacy\n\nWe keep less.\n"})
    _commit(
        repo,
        "2021-01-20T12:00:00+09:00",
        "Start the Japanese privacy policy from the terms",
        {ja: japanese.replace("利用規約", "プライバシー")},
    )
    _commit(repo, "2021-02-01T12:00:00+09:00", "Third", {en: "# Privacy\n\nNothing.\n"})
    _commit(repo, "2021-02-02T12:00:00+09:00", "Translate", {ja: "# プライバシー\n\nなし。\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in (content / "2019-01-10").iterdir()) == ["en.md"]
    assert (content / "2021-02-01/ja.md").read_text().endswith("---\nなし。\n")
    hashes = _hashes(repo)
    assert (
        f"  {hashes['First']}: no ja text at ja/privacy.md: readers get the en text with a notice"
    ) in run.err.splitlines()


def test_a_copy_of_the_source_text_in_a_translations_place_is_no_translation(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Delta Chat copied its English privacy policy (github.com/deltachat/deltachat-pages,
    `en/gdpr.md`) to the folders of eighteen other languages, to translate later (commit
    f447ad68, "copied english version to other languages", November 2021): `fa/gdpr.md`
    is the English text still. Imported, each was published as a translation, the English
    words on a Persian page with no notice that they are not Persian. A text that reads as a
    version of the source text does is no translation, whenever it was copied."""
    repo = _new_repository(tmp_path)
    en, ja = "en/gdpr.md", "ja/gdpr.md"
    first = "---\ntitle: Privacy Policy\n---\n\n## Summary\n\nNo Delta Chat servers.\n"
    second = first.replace("servers.", "servers, no processing of personal data.")
    _commit(repo, "2021-11-09T12:00:00+09:00", "New privacy policy", {en: first})
    _commit(
        repo,
        "2021-11-10T12:00:00+09:00",
        "copied english version to other languages",
        {ja: first.replace("---\n\n", "lang: ja\n---\n\n")},
    )
    _commit(repo, "2021-11-17T12:00:00+09:00", "Update", {en: second})
    _commit(repo, "2022-03-01T12:00:00+09:00", "Clarify", {en: second + "\nSee below.\n"})
    _commit(
        repo,
        "2022-03-02T12:00:00+09:00",
        "Translate",
        {ja: "---\ntitle: プライバシーポリシー\n---\n\n## 概要\n\nサーバーなし。\n"},
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli(
        "import", "git", str(repo), en, "--policy", "privacy",
        "--translations", "{language}/gdpr.md", str(site),
    )  # fmt: skip
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in (content / "2021-11-09").iterdir()) == ["en.md"]
    assert sorted(p.name for p in (content / "2021-11-17").iterdir()) == ["en.md"]
    assert (content / "2022-03-01/ja.md").read_text().endswith("## 概要\n\nサーバーなし。\n")
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    assert (
        f"  {hashes['New privacy policy']}: the ja text at ja/gdpr.md is a copy of the en text, "
        "not a translation: readers get the en text with a notice"
    ) in lines
    assert (
        f"  {hashes['Update']}: the ja text at ja/gdpr.md is a copy of the en text, "
        "not a translation: readers get the en text with a notice"
    ) in lines


def test_a_text_moved_with_a_note_left_in_its_place_keeps_its_history(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A file moved to another folder, a line saying where left at its old path: git reads
    the move as a copy, and the import stopped there, leaving out every earlier version
    with no word of it. The old file, rewritten, is no text the new one was copied from."""
    repo = _new_repository(tmp_path)
    text = "---\ntitle: Privacy\n---\n\n## 1. Data\n\nWe keep little.\n"
    _commit(repo, "2020-01-01T12:00:00+09:00", "First", {"policy.md": text})
    _commit(repo, "2021-01-01T12:00:00+09:00", "Second", {"policy.md": text + "\nNothing.\n"})
    subprocess.run(["git", "-C", str(repo), "mv", "policy.md", "en.md"], check=True)
    _commit(repo, "2022-01-01T12:00:00+09:00", "Move", {"policy.md": "Moved to en.md.\n"})
    _commit(repo, "2023-01-01T12:00:00+09:00", "Third", {"en.md": text + "\nAt all.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "en.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    folders = sorted(p.name for p in (site / "content/privacy").iterdir() if p.is_dir())
    assert folders == ["2020-01-01", "2021-01-01", "2023-01-01"]


def test_a_copy_of_a_source_text_replaced_the_same_day_is_no_translation(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A copy of a version of the source text that a later one of its day replaced was
    published as the translation: English words no page of the source text has, on the
    Japanese page, with no notice."""
    repo = _new_repository(tmp_path)
    en, ja = "en/gdpr.md", "ja/gdpr.md"
    first = "---\ntitle: Privacy Policy\n---\n\n## Summary\n\nNo Delta Chat servers.\n"
    second = first.replace("servers.", "servers, no processing of personal data.")
    _commit(repo, "2021-11-09T09:00:00+09:00", "New privacy policy", {en: first})
    _commit(repo, "2021-11-09T12:00:00+09:00", "copied to ja", {ja: first})
    _commit(repo, "2021-11-09T18:00:00+09:00", "Update", {en: second})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli(
        "import", "git", str(repo), en, "--policy", "privacy",
        "--translations", "{language}/gdpr.md", str(site),
    )  # fmt: skip
    assert run.code == 0, run.err
    assert sorted(p.name for p in (site / "content/privacy/2021-11-09").iterdir()) == ["en.md"]
    hashes = _hashes(repo)
    assert (
        f"  {hashes['Update']}: the ja text at ja/gdpr.md is a copy of the en text, "
        "not a translation: readers get the en text with a notice"
    ) in run.err.splitlines()


def test_a_version_in_another_encoding_is_said_to_be_one(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A version saved in Latin-1 ("Datenschutzerkl\\xe4rung") was said to be a file the
    commit removed, or a folder, a link, a submodule or another encoding, as a removal is:
    its editors could not tell which. It is said to be not UTF-8, where."""
    repo = _new_repository(tmp_path)
    _commit(repo, "2020-01-01T12:00:00+09:00", "First", {"de.md": "# Datenschutz\n\nNichts.\n"})
    (repo / "de.md").write_bytes("# Datenschutzerklärung\n\nWenig.\n".encode("latin-1"))
    _commit(repo, "2020-02-01T12:00:00+09:00", "Latin-1", {})
    _commit(repo, "2020-03-01T12:00:00+09:00", "Removed", {"de.md": None})
    _commit(repo, "2020-04-01T12:00:00+09:00", "Back", {"de.md": "# Datenschutz\n\nAlles.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "de.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    assert (
        f"  {hashes['Latin-1']}: it is left out: the file is not UTF-8 text: its byte 0xE4 at "
        "line 1, column 18 is no UTF-8 character (the file was saved in another encoding, such "
        "as Windows-1252, which policygen does not guess)"
    ) in lines
    assert f"  {hashes['Removed']}: {NO_TEXT}" in lines


def test_versions_replaced_by_a_later_one_of_their_day_are_listed_together(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Delta Chat's FAQ (github.com/deltachat/deltachat-pages, `en/help.md`) has 409
    commits, 170 of them followed by another the same day: import listed 170 lines, each
    naming the commit kept, which the list of revisions names too. Past two, they are said
    once, with every commit left out (two are said each, as before)."""
    repo = _new_repository(tmp_path)
    for hour, words in enumerate(["One", "Two", "Three", "Four"], start=10):
        _commit(repo, f"2024-01-10T{hour}:00:00+09:00", words, {"privacy.md": f"# P\n\n{words}.\n"})
    for hour, words in enumerate(["Five", "Six"], start=10):
        _commit(repo, f"2024-02-10T{hour}:00:00+09:00", words, {"privacy.md": f"# P\n\n{words}.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "privacy.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    start = lines.index("Skipped (4):")
    assert lines[start + 1 : start + 4] == [
        "  4 versions: a later commit of the same day has a text, and the later one was kept:",
        f"    {hashes['One']}, {hashes['Two']}, {hashes['Three']}, {hashes['Five']}",
        "Next: read the texts; preview with `policygen serve`; check with `policygen check`;",
    ]


def test_a_translation_missing_from_many_versions_is_said_once(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Delta Chat's FAQ (github.com/deltachat/deltachat-pages, `en/help.md`) was translated
    into Persian (`fa/help.md`) in July 2026, after 155 versions in English: import listed
    155 lines, one a version, each saying it had no Persian text. A reason shared by more
    than two versions is said once, with their number, the first and the last; one shared
    by two is said for each."""
    repo = _new_repository(tmp_path)
    en, ja, fr = "en/privacy.md", "ja/privacy.md", "fr/privacy.md"
    _commit(
        repo,
        "2024-01-10T12:00:00+09:00",
        "One",
        {en: "# Privacy\n\nOne.\n", fr: "# Vie privée\n\nUn.\n"},
    )
    _commit(repo, "2024-01-11T12:00:00+09:00", "Two", {en: "# Privacy\n\nTwo.\n"})
    _commit(repo, "2024-01-12T12:00:00+09:00", "Three", {en: "# Privacy\n\nThree.\n"})
    _commit(
        repo,
        "2024-01-13T12:00:00+09:00",
        "Four",
        {en: "# Privacy\n\nFour.\n", fr: "# Vie privée\n\nQuatre.\n"},
    )
    _commit(repo, "2024-01-13T18:00:00+09:00", "Japanese", {ja: "# プライバシー\n\n四。\n"})
    site = site_factory({"site.yaml": SITE_YAML_3})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    start = lines.index("Skipped (5):")
    assert lines[start + 1 : start + 5] == [
        f"  3 versions, {hashes['One']} to {hashes['Three']}: no ja text at ja/privacy.md: readers get the en text with a notice",
        f"  {hashes['Two']}: the fr text at fr/privacy.md was not updated with the en text: readers get the en text with a notice",
        f"  {hashes['Three']}: the fr text at fr/privacy.md was not updated with the en text: readers get the en text with a notice",
        "Next: read the texts; preview with `policygen serve`; check with `policygen check`;",
    ]


def test_translations_committed_after_their_source_text_are_its_translations(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """As in most repositories of translated policies: the source text changes first, and
    each translation follows days later in a commit of its own."""
    repo = _new_repository(tmp_path)
    en, ja, fr = "en/privacy.md", "ja/privacy.md", "fr/privacy.md"
    _commit(repo, "2024-01-10T12:00:00+09:00", "First", {en: "# Privacy\n\nOne.\n"})
    _commit(repo, "2024-01-15T12:00:00+09:00", "Japanese", {ja: "# プライバシー\n\n一。\n"})
    _commit(repo, "2024-01-20T12:00:00+09:00", "Fix Japanese", {ja: "# プライバシー\n\n一つ。\n"})
    _commit(repo, "2024-03-01T12:00:00+09:00", "Second", {en: "# Privacy\n\nTwo.\n"})
    _commit(repo, "2024-03-02T12:00:00+09:00", "README", {"README.md": "Policies\n"})
    _commit(
        repo,
        "2024-03-09T12:00:00+09:00",
        "Translate the second",
        {ja: "# プライバシー\n\n二。\n", fr: "# Confidentialité\n\nDeux.\n"},
    )
    _commit(repo, "2024-06-01T12:00:00+09:00", "Third", {en: "# Privacy\n\nThree.\n"})
    site = site_factory({"site.yaml": SITE_YAML_3})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    content = site / "content/privacy"
    # The Japanese text as it stood when the English changed again, its fix included.
    assert (content / "2024-01-10/ja.md").read_text().endswith("---\n一つ。\n")
    assert not (content / "2024-01-10/fr.md").exists()
    assert (content / "2024-03-01/ja.md").read_text().endswith("---\n二。\n")
    assert (content / "2024-03-01/fr.md").read_text().endswith("---\nDeux.\n")
    # Not translated since: readers get the English text.
    assert sorted(p.name for p in (content / "2024-06-01").iterdir()) == ["en.md"]
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    start = lines.index(
        "policygen: imported 3 revisions of 'privacy' from en/privacy.md (7 files):"
    )
    assert lines[start + 1 : start + 10] == [
        f"  2024-01-10  {hashes['First']}  First",
        f"              ja: translated later, in {hashes['Fix Japanese']} (2024-01-20)",
        f"  2024-03-01  {hashes['Second']}  Second",
        f"              ja, fr: translated later, in {hashes['Translate the second']} (2024-03-09)",
        f"  2024-06-01  {hashes['Third']}  Third",
        "Skipped (2):",
        f"  {hashes['First']}: no fr text at fr/privacy.md: readers get the en text with a notice",
        f"  {hashes['Third']}: the ja, fr texts at {{language}}/privacy.md were not updated with the en text: readers get the en text with a notice",
        "Next: read the texts; preview with `policygen serve`; check with `policygen check`;",
    ]
    assert problems_of(site) == []


def test_a_file_is_followed_through_its_renames(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Privacy Guides' privacy policy was privacy-policy.en.md for a year, then
    privacy-policy.md again: six revisions of its text were made under the other name."""
    repo = _new_repository(tmp_path)
    text = "# Privacy\n\n## Data\n\nWe collect {}.\n\n## Contact\n\nWrite to us at the address below.\n"
    _commit(repo, "2022-04-05T12:00:00+00:00", "First", {"privacy.md": text.format("nothing")})
    _commit(
        repo,
        "2022-04-13T12:00:00+00:00",
        "Localization",
        {"privacy.md": None, "privacy\x01 en.md": text.format("nothing")},
    )
    _commit(
        repo, "2022-04-27T12:00:00+00:00", "Analytics", {"privacy\x01 en.md": text.format("visits")}
    )
    _commit(
        repo,
        "2023-03-01T12:00:00+00:00",
        "No more localization",
        {"privacy\x01 en.md": None, "privacy.md": text.format("visits")},
    )
    _commit(
        repo,
        "2023-10-12T12:00:00+00:00",
        "No analytics",
        {"privacy.md": text.format("nothing at all")},
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "privacy.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in content.iterdir() if p.is_dir()) == [
        "2022-04-05",
        "2022-04-27",
        "2023-10-12",
    ]
    assert "We collect visits." in (content / "2022-04-27/en.md").read_text()
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    # The name it had is said with its control characters escaped, never sent to the terminal.
    assert f"  2022-04-27  {hashes['Analytics']}  Analytics  (as privacy\\x01 en.md)" in lines
    assert f"  {hashes['Localization']}: the same text as commit {hashes['First']}" in lines
    assert problems_of(site) == []


def test_a_plain_text_history_is_read_as_plain_text(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Tumblr's terms of service, a .txt file since 2010: indented paragraphs are paragraphs."""
    repo = _new_repository(tmp_path)
    text = (
        "1. Accepting the Terms\n\n  By using or accessing the Services, you agree to be\n"
        "  bound by these terms{}.\n\n    We mean it.\n"
    )
    _commit(repo, "2014-01-24T12:00:00+00:00", "First", {"terms.txt": text.format("")})
    _commit(repo, "2017-09-26T12:00:00+00:00", "Second", {"terms.txt": text.format(", *all*")})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "terms.txt", "--policy", "terms", str(site))
    assert run.code == 0, run.err
    assert (site / "content/terms/2017-09-26/en.md").read_text().split("---\n", 2)[2] == (
        "## 1. Accepting the Terms\n\n"
        "By using or accessing the Services, you agree to be bound by these terms, \\*all\\*.\n\n"
        "We mean it.\n"
    )
    # Said once for the whole history, not for each version.
    assert run.err.count("Read as plain text") == 1
    assert problems_of(site) == []


def test_the_versions_of_a_text_file_written_in_markdown_are_read_as_markdown(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Tumblr's privacy policy: plain text until 2023, then Markdown in the same .txt file."""
    repo = _new_repository(tmp_path)
    _commit(
        repo,
        "2022-01-19T12:00:00+00:00",
        "Plain",
        {"privacy.txt": "PRIVACY POLICY\n\nWHAT WE COLLECT\n\nYour *name*.\n"},
    )
    _commit(
        repo,
        "2023-06-08T12:00:00+00:00",
        "Markdown",
        {"privacy.txt": "## What we collect\n\n**Account Information:** your name.\n"},
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "privacy.txt", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert (
        (content / "2022-01-19/en.md")
        .read_text()
        .endswith("## WHAT WE COLLECT\n\nYour \\*name\\*.\n")
    )
    assert (
        (content / "2023-06-08/en.md")
        .read_text()
        .endswith("## What we collect\n\n**Account Information:** your name.\n")
    )
    hashes = _hashes(repo)
    assert (
        f"Written in Markdown (its links, bold words or headings show it), so read as Markdown: {hashes['Markdown']}"
        in run.err.splitlines()
    )
    assert problems_of(site) == []


def test_a_text_rewritten_under_a_new_name_is_pointed_at(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Privacy Guides, March 2025: the privacy policy was removed and a new one, rewritten, added
    as docs/privacy.md in the same commit: too different for git to call it a rename."""
    repo = _new_repository(tmp_path)
    _commit(repo, "2024-11-04T12:00:00+00:00", "Old", {"about/privacy-policy.md": "# P\n\nOld.\n"})
    _commit(
        repo,
        "2025-03-03T12:00:00+00:00",
        "New",
        {
            "about/privacy-policy.md": None,
            "privacy.md": "# Privacy\n\nEverything new, and much longer than before.\n",
            "privacy.css": "p {}\n",
        },
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli(
        "import", "git", str(repo), "about/privacy-policy.md", "--policy", "privacy", str(site)
    )
    assert run.code == 0, run.err
    assert (
        f"  {_hashes(repo)['New']}: {NO_TEXT}; it added privacy.md: if the text went on there, import that file's history too"
        in run.err.splitlines()
    )


def test_what_import_prints_shows_every_character(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A summary may hold a zero-width space, which the page keeps; the terminal is told of it."""
    repo = _new_repository(tmp_path)
    _commit(repo, "2024-01-10T12:00:00+00:00", "Zero\u200bwidth", {"privacy.md": "# P\n\nOne.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "privacy.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    subject = "Zero\u200bwidth"
    assert f"  2024-01-10  {_hashes(repo)[subject]}  Zero\\u200bwidth" in run.err.splitlines()
    assert "summary: Zero\u200bwidth" in (site / "content/privacy/2024-01-10/en.md").read_text()


def test_a_translation_is_found_whatever_the_case_of_its_language_tag(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """The CNCF's code of conduct: its Traditional Chinese text is code-of-conduct-languages/
    zh-tw.md, for the site's zh-TW; gettext-style repositories write pt_BR."""
    repo = _new_repository(tmp_path)
    _commit(
        repo,
        "2024-01-10T12:00:00+00:00",
        "First",
        {
            "coc/en.md": "# Code of Conduct\n\nBe kind.\n",
            "coc/zh-tw.md": "# 行為準則\n\n友善待人。\n",
            "coc/pt_BR.md": "# Código de Conduta\n\nSeja gentil.\n",
        },
    )
    site = site_factory(
        {"site.yaml": SITE_YAML.replace("languages: [en, ja]", "languages: [en, zh-TW, pt-BR, ja]")}
    )
    run = cli(
        "import", "git", str(repo), "coc/en.md", "--policy", "coc",
        "--translations", "coc/{language}.md", str(site),
    )  # fmt: skip
    assert run.code == 0, run.err
    assert sorted(p.name for p in (site / "content/coc/2024-01-10").iterdir()) == [
        "en.md",
        "pt-BR.md",
        "zh-TW.md",
    ]
    assert "友善待人。" in (site / "content/coc/2024-01-10/zh-TW.md").read_text()
    assert (
        f"  {_hashes(repo)['First']}: no ja text at coc/ja.md: readers get the en text with a notice"
        in run.err.splitlines()
    )


def test_translations_are_followed_where_they_moved_and_kept_when_removed_later(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Mozilla's legal-docs: its privacy policy was mozilla_privacy_policy/en-US.md, its
    Arabic translation mozilla_privacy_policy/ar.md (2015, updated 2020-12-17) until every
    file moved to <language>/mozilla_privacy_policy.md (2021-02-03); the Arabic text was
    removed in 2022 ("Remove Mozilla PN for smaller locales"), before the English changed
    again. Imported from the files' names of today, no Arabic text was found for any revision,
    though it was published for seven years."""
    repo = _new_repository(tmp_path)
    old_en, old_ar = "mozilla_privacy_policy/en-US.md", "mozilla_privacy_policy/ar.md"
    en, ar = "en/mozilla_privacy_policy.md", "ar/mozilla_privacy_policy.md"
    english = "# Mozilla Privacy Policy\n\n## What do we mean by personal information?\n\n"
    arabic = "# سياسة خصوصية Mozilla\n\n## ماذا نعني بمصطلح معلومات شخصية؟\n\n"
    _commit(repo, "2014-09-17T12:00:00+00:00", "HTTPS everything", {old_en: english + "One.\n"})
    _commit(repo, "2015-05-05T12:00:00+00:00", "Arabic", {old_ar: arabic + "واحد.\n"})
    _commit(repo, "2020-09-09T12:00:00+00:00", "Two", {old_en: english + "Two.\n"})
    _commit(repo, "2020-12-17T12:00:00+00:00", "Update ar.md", {old_ar: arabic + "اثنان.\n"})
    _commit(
        repo,
        "2021-02-03T12:00:00+00:00",
        "Restructure the repo to use locale directories",
        {old_en: None, old_ar: None, en: english + "Two.\n", ar: arabic + "اثنان.\n"},
    )
    _commit(repo, "2022-04-18T12:00:00+00:00", "Remove Mozilla PN for smaller locales", {ar: None})
    _commit(repo, "2023-01-20T12:00:00+00:00", "Three", {en: english + "Three.\n"})
    site = site_factory(
        {"site.yaml": SITE_YAML.replace("languages: [en, ja]", "languages: [en, ar]")}
    )
    run = cli(
        "import", "git", str(repo), en, "--policy", "privacy",
        "--translations", "{language}/mozilla_privacy_policy.md", str(site),
    )  # fmt: skip
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert (
        (content / "2014-09-17/ar.md")
        .read_text()
        .endswith("---\n## ماذا نعني بمصطلح معلومات شخصية؟\n\nواحد.\n")
    )
    assert (content / "2020-09-09/ar.md").read_text().endswith("\n\nاثنان.\n")
    # Removed before the English text changed again: its readers get the English text.
    assert sorted(p.name for p in (content / "2023-01-20").iterdir()) == ["en.md"]
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    start = lines.index(
        f"  2014-09-17  {hashes['HTTPS everything']}  HTTPS everything  (as {old_en})"
    )
    assert lines[start : start + 6] == [
        f"  2014-09-17  {hashes['HTTPS everything']}  HTTPS everything  (as {old_en})",
        f"              ar: translated later, in {hashes['Arabic']} (2015-05-05)",
        f"  2020-09-09  {hashes['Two']}  Two  (as {old_en})",
        # Where it was translated, not where it was moved.
        f"              ar: translated later, in {hashes['Update ar.md']} (2020-12-17)",
        f"              ar: removed later, in {hashes['Remove Mozilla PN for smaller locales']}"
        " (2022-04-18): the text until then is imported",
        f"  2023-01-20  {hashes['Three']}  Three",
    ]


def test_a_version_that_only_normalizes_its_bytes_is_no_new_revision(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Mozilla's legal-docs, December 2025: every file lost its byte order mark and its CRLF
    line endings in one commit; nothing a reader reads changed, in any language."""
    repo = _new_repository(tmp_path)
    en, ja = "en/privacy.md", "ja/privacy.md"
    _commit(
        repo,
        "2024-01-10T12:00:00+09:00",
        "First",
        {en: "\ufeff# Privacy\r\n\r\nOne.\r\n", ja: "\ufeff# プライバシー\r\n\r\n一。\r\n"},
    )
    _commit(repo, "2024-02-01T12:00:00+09:00", "Second", {en: "\ufeff# Privacy\r\n\r\nTwo.\r\n"})
    _commit(
        repo,
        "2024-03-01T12:00:00+09:00",
        "Normalize files",
        {en: "# Privacy\n\nTwo.\n", ja: "# プライバシー\n\n一。\n"},
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in content.iterdir() if p.is_dir()) == ["2024-01-10", "2024-02-01"]
    # The Japanese text normalized is still the translation of the first English text.
    assert sorted(p.name for p in (content / "2024-02-01").iterdir()) == ["en.md"]
    hashes = _hashes(repo)
    assert (
        f"  {hashes['Normalize files']}: the same text as commit {hashes['Second']} once imported: they differ only in spacing, line endings or a byte order mark"
        in run.err.splitlines()
    )
    assert (
        f"  {hashes['Second']}: the ja text at ja/privacy.md was not updated with the en text: readers get the en text with a notice"
        in run.err.splitlines()
    )


def test_a_stray_control_character_is_left_out_not_the_version(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Mozilla's Aviso de privacidad de Firefox held '"https"\\x9d', the leftover of a
    character decoded in the wrong encoding, in 14 versions: each was left out whole."""
    repo = _new_repository(tmp_path)
    _commit(repo, "2024-01-10T12:00:00+09:00", "First", {"en/privacy.md": "# Privacy\n\nOne.\n"})
    text = '# Privacy\n\nOne.\n\nLinks start with "https"\x9d.\n'
    _commit(repo, "2024-02-01T12:00:00+09:00", "Second", {"en/privacy.md": text})
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    written = (site / "content/privacy/2024-02-01/en.md").read_text()
    assert 'Links start with "https".\n' in written
    hashes = _hashes(repo)
    assert (
        f"  {hashes['Second']}:en/privacy.md:5: left out an invisible control character (U+009D), which showed nothing"
        in run.err.splitlines()
    )
    assert problems_of(site, severity="error") == []


def test_a_hostile_history_imports_only_texts_and_safe_summaries(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A stranger's repository: a translation that is a symbolic link to a file outside it,
    a version with a NUL byte, and commit messages with control characters and front matter."""
    repo = _new_repository(tmp_path)
    en = "en/privacy.md"
    _commit(
        repo,
        "2024-01-10T12:00:00+09:00",
        "summary: injected\n---\ntitle: <script>alert(1)</script>",
        {en: "# Privacy\n\nOne.\n"},
    )
    (repo / "ja").mkdir()
    (repo / "ja/privacy.md").symlink_to("/etc/passwd")
    _commit(repo, "2024-02-01T12:00:00+09:00", "Ring \x07 the bell", {en: "# Privacy\n\nTwo.\n"})
    _commit(repo, "2024-03-01T12:00:00+09:00", "NUL", {en: "# Privacy\n\nThree \x00.\n"})
    bomb = f"---\ntitle: Privacy\n{ALIAS_BOMB}---\nFour.\n"
    _commit(repo, "2024-04-01T12:00:00+09:00", "Aliases", {en: bomb})
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in content.iterdir()) == ["2024-01-10", "2024-02-01", "policy.yaml"]
    assert not (content / "2024-02-01/ja.md").exists()  # a link is no text
    assert (
        "summary: 'summary: injected --- title: <script>alert(1)</script>'\n"
        in (content / "2024-01-10/en.md").read_text()
    )
    assert "summary: Ring  the bell\n" in (content / "2024-02-01/en.md").read_text()
    hashes = _hashes(repo)
    assert (
        f"  {hashes['NUL']}: its text is left out: line 3 holds an invisible control character (U+0000), which no page may show"
        in run.err.splitlines()
    )
    assert (
        f"  {hashes['Aliases']}: en/privacy.md: its front matter holds more than 100,000 values once its aliases are written out: write the values out, or fewer of them (line 2): the version is left out"
        in run.err.splitlines()
    )
    assert problems_of(site, severity="error") == []


def test_a_file_of_front_matter_alone_is_no_text(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Let's Encrypt's site marks a page not translated yet with a file of front matter alone
    (`untranslated: 1`): imported, it would publish a policy page without the policy."""
    repo = _new_repository(tmp_path)
    en, ja = "en/privacy.md", "ja/privacy.md"
    marker = "---\nslug: privacy\nuntranslated: 1\n---\n"
    _commit(repo, "2024-01-10T12:00:00+09:00", "First", {en: "# Privacy\n\nOne.\n", ja: marker})
    _commit(repo, "2024-01-20T12:00:00+09:00", "Comment", {ja: "<!-- to translate -->\n"})
    _commit(repo, "2024-02-01T12:00:00+09:00", "Emptied", {en: "---\ntitle: Privacy\n---\n\n"})
    _commit(repo, "2024-03-01T12:00:00+09:00", "Third", {en: "# Privacy\n\nThree.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.relative_to(content).as_posix() for p in content.glob("*/*.md")) == [
        "2024-01-10/en.md",
        "2024-03-01/en.md",
    ]
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    assert (
        f"  {hashes['First']}: ja/privacy.md: it has no text: readers get the en text with a notice"
        in lines
    )
    assert f"  {hashes['Emptied']}: en/privacy.md: it has no text: the version is left out" in lines
    assert problems_of(site, severity="error") == []


def test_translations_are_read_where_the_source_text_next_changes() -> None:
    def version(commit: str, day: int, text: str | None) -> FileVersion:
        return FileVersion(commit, dt.datetime(2024, 1, day, tzinfo=dt.UTC), commit, text, "p.md")

    # Newest first: "c" removed the file, "b" left it as "a" had it, "d" is the last text.
    versions = [
        version("d", 4, "D"),
        version("c", 3, None),
        version("b", 2, "A"),
        version("a", 1, "A"),
    ]
    planned, _ = plan_history(versions, "commit", "UTC")
    assert translation_ends(versions, planned) == {"a": "c^", "d": "HEAD"}


def test_dates_can_come_from_the_text(cli: CLI, site_factory: SiteFactory, repo: Path) -> None:
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli(
        "import", "git", str(repo), "Policies/en/privacy.md", "--policy", "privacy",
        "--date-from", "text", str(site),
    )  # fmt: skip
    assert run.code == 0, run.err
    folders = sorted(p.name for p in (site / "content/privacy").iterdir() if p.is_dir())
    assert folders == ["2021-04-01", "2022-09-01", "2023-01-10"]
    assert (
        (site / "content/privacy/2021-04-01/en.md")
        .read_text()
        .startswith("---\ntitle: Privacy\neffective: 2021-04-01\npublished: 2021-04-01\n")
    )


def test_a_second_import_skips_the_dates_the_policy_has(
    cli: CLI, site_factory: SiteFactory, repo: Path
) -> None:
    site = site_factory({"site.yaml": SITE_YAML})
    args = ("import", "git", str(repo), "Policies/en/privacy.md", "--policy", "privacy", str(site))
    assert cli(*args).code == 0
    run = cli(*args)
    assert run.code == 1
    hashes = _hashes(repo)
    assert (
        run.err.splitlines()[-1]
        == "policygen: no version of Policies/en/privacy.md was left to import"
    )
    assert (
        f"  {hashes['First privacy policy']}: the policy has a revision effective 2021-04-01 already"
        in run.err
    )


def test_a_file_without_history_and_a_folder_without_git(
    cli: CLI, site_factory: SiteFactory, repo: Path, tmp_path: Path
) -> None:
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "terms.md", "--policy", "terms", str(site))
    assert (run.code, run.err) == (
        1,
        f"policygen: terms.md has no version in the first-parent history of {repo}: nothing was imported\n",
    )
    # A path is a file's, never a pattern matching others.
    run = cli("import", "git", str(repo), "Policies/en/*.md", "--policy", "terms", str(site))
    assert (run.code, run.err) == (
        1,
        f"policygen: Policies/en/*.md has no version in the first-parent history of {repo}: nothing was imported\n",
    )
    # A translations pattern that leads out of the repository is git's error, and nothing is
    # imported.
    run = cli(
        "import", "git", str(repo), "Policies/en/privacy.md", "--policy", "privacy",
        "--translations", "../../{language}/privacy.md", str(site),
    )  # fmt: skip
    assert run.code == 1
    assert "'../../ja/privacy.md' is outside repository" in run.err
    assert not (site / "content").exists()
    (tmp_path / "plain").mkdir()
    run = cli("import", "git", str(tmp_path / "plain"), "terms.md", "--policy", "terms", str(site))
    assert run.code == 1
    assert run.err.startswith(f"policygen: {tmp_path / 'plain'}: fatal: not a git repository")


def test_git_runs_nothing_the_repository_configures(
    cli: CLI, site_factory: SiteFactory, repo: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "hook.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    for key in ("core.fsmonitor", "core.pager", "gpg.program"):
        subprocess.run(["git", "-C", str(repo), "config", key, str(script)], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "log.showSignature", "true"], check=True)
    site = site_factory({"site.yaml": SITE_YAML})
    assert (
        cli("import", "git", str(repo), "Policies/en/privacy.md", "--policy", "p", str(site)).code
        == 0
    )
    assert not marker.exists()


@pytest.mark.parametrize("link", [False, True])
def test_a_repository_that_reads_another_s_objects_is_refused(
    cli: CLI, site_factory: SiteFactory, repo: Path, tmp_path: Path, link: bool
) -> None:
    # A stranger's repository whose `objects/info/alternates` names a repository of the
    # machine, and whose branch is that one's commit: its texts were imported as the
    # stranger's.
    stranger = tmp_path / "stranger"
    subprocess.run(["git", "init", "-q", str(stranger)], check=True)
    alternates = stranger / ".git" / "objects" / "info" / "alternates"
    if link:
        (tmp_path / "named").write_text(f"{repo / '.git' / 'objects'}\n")
        alternates.symlink_to(tmp_path / "named")
    else:
        alternates.write_text(f"{repo / '.git' / 'objects'}\n")
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(["git", "-C", str(stranger), "update-ref", "HEAD", head], check=True)
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(stranger), "Policies/en/privacy.md", "--policy", "p", str(site))
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"policygen: {stranger}: the repository reads objects from another ({alternates} names "
        "it): policygen reads only the repository it is given; make it whole with "
        "`git repack -a -d`, then delete that file\n"
    )
    assert not (site / "content").exists()
    # Made whole, it is read.
    subprocess.run(["git", "-C", str(stranger), "repack", "-q", "-a", "-d"], check=True)
    alternates.unlink()
    alternates.write_text("\n")
    run = cli("import", "git", str(stranger), "Policies/en/privacy.md", "--policy", "p", str(site))
    assert run.code == 0, run.err


def test_a_commit_message_of_many_megabytes_is_not_read_whole(tmp_path: Path) -> None:
    # A stranger's commit can have a message of a gigabyte: `git log`'s output was read
    # whole, then copied as text and cut, several times its size in memory. Messages of
    # 100 kB around it put the marks between records across the parts the output is read in.
    repo = _new_repository(tmp_path)
    messages = [f"Update {n}\n\n" + "words " * 20_000 for n in range(12)]
    messages[5] = "Update 5 " + "x" * 20_000_000 + "\n\n" + "y" * 10_000_000
    environment = os.environ | {
        "GIT_AUTHOR_NAME": "Legal",
        "GIT_AUTHOR_EMAIL": "legal@example.org",
        "GIT_COMMITTER_NAME": "Legal",
        "GIT_COMMITTER_EMAIL": "legal@example.org",
    }
    for n, message in enumerate(messages):
        (repo / "terms.md").write_text(f"# Terms\n\nVersion {n}.\n")
        (tmp_path / "message").write_text(message)
        for command in (["add", "-A"], ["commit", "-q", "-F", str(tmp_path / "message")]):
            subprocess.run(["git", "-C", str(repo), *command], check=True, env=environment)
    tracemalloc.start()
    try:
        versions = read_versions(repo, "terms.md")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [version.subject for version in versions] == [
        "Update 5…" if n == 5 else f"Update {n}" for n in reversed(range(12))
    ]
    assert [version.text for version in versions] == [
        f"# Terms\n\nVersion {n}.\n" for n in reversed(range(12))
    ]
    assert peak < 8_000_000


@pytest.mark.parametrize("linked", [".git/objects .git/refs", ".git"])
def test_a_repository_whose_git_folder_links_to_another_is_refused(
    cli: CLI, site_factory: SiteFactory, repo: Path, tmp_path: Path, linked: str
) -> None:
    # Its objects and refs (or its whole git folder) linked to a repository of the machine:
    # that repository's texts were imported as the stranger's.
    stranger = tmp_path / "stranger"
    subprocess.run(["git", "init", "-q", str(stranger)], check=True)
    for name in linked.split():
        shutil.rmtree(stranger / name)
        (stranger / name).symlink_to(repo / name)
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(stranger), "Policies/en/privacy.md", "--policy", "p", str(site))
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"policygen: {stranger}: {stranger / linked.split()[0]} is a symbolic link: policygen "
        "reads only the repository it is given, never what a link in its git folder leads to "
        "(another repository's history); import the repository it leads to, if you mean to\n"
    )
    assert not (site / "content").exists()


@pytest.mark.parametrize("how", ["git file", "commondir", "subfolder"])
def test_a_repository_whose_git_folder_is_elsewhere_is_refused(
    cli: CLI, site_factory: SiteFactory, repo: Path, tmp_path: Path, how: str
) -> None:
    # A `.git` file (`gitdir: …`, as a worktree's or a submodule's) or a `commondir` naming a
    # repository of the machine: that repository's texts were imported as the stranger's.
    stranger = tmp_path / "stranger"
    if how == "git file":
        stranger.mkdir()
        (stranger / ".git").write_text(f"gitdir: {repo / '.git'}\n")
        why = (
            f"its .git file names a git folder elsewhere ({repo / '.git'}), as a worktree's "
            "or a submodule's does"
        )
    elif how == "commondir":
        subprocess.run(["git", "init", "-q", str(stranger)], check=True)
        (stranger / ".git" / "commondir").write_text(f"{repo / '.git'}\n")
        (stranger / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        why = (
            f"its git folder reads its history from {repo / '.git'}, which "
            f"{stranger / '.git'}/commondir names"
        )
    else:
        stranger = repo / "Policies"
        why = f"it is not the top of a git repository: git found {repo / '.git'} above it"
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(stranger), "Policies/en/privacy.md", "--policy", "p", str(site))
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"policygen: {stranger}: {why}; policygen reads only the repository inside the folder "
        "it is given, where a stranger's could name any repository of the machine: import the "
        "repository's own folder, or a clone of it (`git clone`)\n"
    )
    assert not (site / "content").exists()


def test_a_git_file_naming_a_folder_inside_the_repository_is_followed(
    cli: CLI, site_factory: SiteFactory, repo: Path
) -> None:
    (repo / ".git").rename(repo / "history")
    (repo / ".git").write_text("gitdir: history\n")
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "Policies/en/privacy.md", "--policy", "p", str(site))
    assert run.code == 0, run.err


def test_links_among_a_repository_s_hooks_are_no_matter(
    cli: CLI, site_factory: SiteFactory, repo: Path, tmp_path: Path
) -> None:
    (repo / ".git" / "hooks" / "pre-commit").symlink_to(tmp_path / "anywhere")
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "Policies/en/privacy.md", "--policy", "p", str(site))
    assert run.code == 0, run.err


def _hashes(repo: Path) -> dict[str, str]:
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%h %s", "--abbrev=7"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {line[8:]: line[:7] for line in log.splitlines()}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Effective date: September 1, 2022\n", dt.date(2022, 9, 1)),
        ("*Last updated: April 20, 2023*", dt.date(2023, 4, 20)),
        ("Last updated: 20 April 2023", dt.date(2023, 4, 20)),
        ("Updated Sept. 3rd, 2021", dt.date(2021, 9, 3)),
        ("Version: 2024-02-29", dt.date(2024, 2, 29)),
        ("Date: February 30, 2024", None),
        ("We were founded on May 1, 2010.", None),
        ("# Privacy\n\nNo date here.", None),
    ],
)
def test_a_text_states_its_date(text: str, date: dt.date | None) -> None:
    assert find_text_date(text) == date


@pytest.mark.parametrize(
    ("text", "language", "date"),
    [
        ("Vigente desde el 24 de marzo de 2026\n", "es-ES", dt.date(2026, 3, 24)),
        ("Última actualización: 3 de enero de 2024.", "es", dt.date(2024, 1, 3)),
        ("Fecha de entrada en vigor: 1 de julio del 2025", "es", dt.date(2025, 7, 1)),
        ('23 de junio de 2016\n{: datetime="2016-06-23" }\n', "es-ES", dt.date(2016, 6, 23)),
        ("Data wejścia w życie: 4 maja 2026 r.", "pl", dt.date(2026, 5, 4)),
        ("In vigore dal lunedì 4 maggio 2026", "it", dt.date(2026, 5, 4)),
        ("Data de vigência: segunda-feira, 4 de maio de 2026", "pt-BR", dt.date(2026, 5, 4)),
        ("Účinnost od 4. března 2026", "cs", dt.date(2026, 3, 4)),
        ("Ingangsdatum: 1 januari 2025", "nl", dt.date(2025, 1, 1)),
        ("Effective date: September 1, 2022", "es", dt.date(2022, 9, 1)),
        ("Nos fundamos el 1 de mayo de 2010.", "es", None),
    ],
)
def test_a_text_states_its_date_in_its_language(
    text: str, language: str, date: dt.date | None
) -> None:
    assert find_text_date(text, language) == date


def test_a_spanish_history_takes_the_dates_its_texts_state() -> None:
    """Mozilla's Condiciones del servicio (see tests/fixtures/spanish) take effect a day after
    their commit; a Spanish text's date was never found, and every version was skipped."""
    text = (SPANISH / "vigente-desde.md").read_text(encoding="utf-8")
    committed = dt.datetime(2026, 3, 23, 12, tzinfo=dt.UTC)
    versions = [FileVersion("a" * 40, committed, "Update validity date", text, "es-ES.md")]
    planned, skipped = plan_history(versions, "text", "Europe/Madrid", language="es-ES")
    assert skipped == []
    assert [(r.effective, r.published) for r in planned] == [
        (dt.date(2026, 3, 24), dt.date(2026, 3, 23))
    ]


def test_merge_commits_are_summarised_by_what_they_merged() -> None:
    assert (
        summary_of("Merge pull request #582 from github/x", "\nPrivacy updates\n")
        == "Privacy updates"
    )
    assert summary_of("Merge branch 'x'", "") == "Merge branch 'x'"
    assert summary_of("Fix a typo", "Merge pull request") == "Fix a typo"


@pytest.mark.parametrize(
    "body",
    [
        # fortrabbit's legal documents (github.com/fortrabbit/legal), commit 267ad13: the
        # files git listed as in conflict, which its editor wrote as comments, were kept.
        "\n# Conflicts:\n#\tprivacy-statement.md\n#\tterms.md\n",
        # As older versions of git wrote them, and with only trailers besides.
        "\nConflicts:\n\tterms.md\n\tprivacy.md\n",
        "\nSigned-off-by: Legal <legal@example.org>\nCo-authored-by: Ann <ann@example.org>\n",
    ],
)
def test_a_merge_whose_message_names_nothing_merged_is_summarised_by_its_subject(
    body: str,
) -> None:
    subject = "Merge remote-tracking branch 'legal-new/main'"
    assert summary_of(subject, body) == subject
    assert summary_of(subject, body + "\nPrivacy updates\n") == "Privacy updates"


@pytest.mark.parametrize(
    ("subject", "summary"),
    [
        # Privacy Guides' privacy notice, 2025-2026: Conventional Commits subjects.
        ("docs!: Update privacy policy (#2914)", "Update privacy policy (#2914)"),
        ("style!: Make minor changes across pages", "Make minor changes across pages"),
        ("fix(privacy): correct the retention period", "Correct the retention period"),
        # A capitalized word before a colon is the summary's own, and a colon needs its space.
        ("Update: a new section on cookies", "Update: a new section on cookies"),
        ("Note: retention periods", "Note: retention periods"),
        ("feat:x", "feat:x"),
        ("privacy: a new retention period", "privacy: a new retention period"),
    ],
)
def test_a_commit_type_is_no_part_of_the_summary(subject: str, summary: str) -> None:
    assert summary_of(subject, "") == summary


def test_a_version_whose_front_matter_alone_changed_is_no_new_revision() -> None:
    """Privacy Guides, September 2024: a commit gave every page a description for search
    engines; the privacy policy's text did not change."""
    before = "---\ntitle: Privacy Policy\n---\nWe collect nothing.\n"
    after = "---\ntitle: Privacy Policy\ndescription: We sell nothing.\n---\nWe collect nothing.\n"
    versions = [
        FileVersion(
            "b" * 40, dt.datetime(2024, 9, 22, tzinfo=dt.UTC), "Descriptions", after, "p.md"
        ),
        FileVersion("a" * 40, dt.datetime(2024, 4, 2, tzinfo=dt.UTC), "First", before, "p.md"),
    ]

    def reads_as(text: str) -> object:
        converted = convert_markdown(text)
        return converted.title, converted.body

    planned, skipped = plan_history(versions, "commit", "UTC", reads_as=reads_as)
    assert [revision.version.commit for revision in planned] == ["a" * 40]
    assert skipped == [
        Skipped(
            "bbbbbbb",
            "the same text as commit aaaaaaa once imported: only front matter that is not part of the text changed ('description')",
        )
    ]


def test_a_version_whose_toml_front_matter_alone_changed_is_no_new_revision() -> None:
    before = '+++\ntitle = "Code of Conduct"\nweight = 1\n+++\nBe kind.\n'
    after = '+++\ntitle = "Code of Conduct"\nweight = 2\n+++\nBe kind.\n'
    versions = [
        FileVersion("b" * 40, dt.datetime(2024, 9, 22, tzinfo=dt.UTC), "Weight", after, "c.md"),
        FileVersion("a" * 40, dt.datetime(2024, 4, 2, tzinfo=dt.UTC), "First", before, "c.md"),
    ]

    def reads_as(text: str) -> object:
        converted = convert_markdown(text)
        return converted.title, converted.body

    _, skipped = plan_history(versions, "commit", "UTC", reads_as=reads_as)
    assert skipped == [
        Skipped(
            "bbbbbbb",
            "the same text as commit aaaaaaa once imported: only front matter that is not part of the text changed ('weight')",
        )
    ]


def test_front_matter_of_aliases_of_aliases_is_compared_as_written() -> None:
    """A stranger's repository: eleven levels of aliases stand for billions of values, which
    comparing the two versions' values would walk."""
    before = f"---\ntitle: Privacy\n{ALIAS_BOMB}---\nText.\n"
    after = f"---\ntitle: Privacy\n{ALIAS_BOMB}description: new\n---\nText.\n"
    versions = [
        FileVersion("b" * 40, dt.datetime(2024, 9, 22, tzinfo=dt.UTC), "Later", after, "p.md"),
        FileVersion("a" * 40, dt.datetime(2024, 4, 2, tzinfo=dt.UTC), "First", before, "p.md"),
    ]
    _, skipped = plan_history(
        versions, "commit", "UTC", reads_as=lambda text: text.split("---\n")[-1]
    )
    assert skipped == [
        Skipped(
            "bbbbbbb",
            "the same text as commit aaaaaaa once imported: only front matter that is not part of the text changed ('description')",
        )
    ]


def test_removed_and_unchanged_versions_are_skipped() -> None:
    def version(commit: str, day: int, text: str | None) -> FileVersion:
        return FileVersion(
            commit * 7, dt.datetime(2024, 1, day, 12, tzinfo=dt.UTC), commit, text, "p.md"
        )

    planned, skipped = plan_history(
        [version("d", 4, "B"), version("c", 3, None), version("b", 2, "A"), version("a", 1, "A")],
        "commit",
        "UTC",
    )
    assert [(r.version.commit[0], r.effective) for r in planned] == [
        ("a", dt.date(2024, 1, 1)),
        ("d", dt.date(2024, 1, 4)),
    ]
    assert [(s.commit, s.reason) for s in skipped] == [
        ("bbbbbbb", "the same text as commit aaaaaaa"),
        ("ccccccc", NO_TEXT),
    ]


def test_what_every_version_had_alike_is_said_once(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Buffer's Privacy Policy, as a web page archive records it: the same table captions in
    each of seven versions were told seven times each."""
    repo = _new_repository(tmp_path)
    caption = "|  |  |\n| --- | --- |Sub-processors\n| Name | Purpose |\n| --- | --- |\n"
    for day, words in (("2023-01-10", "one"), ("2023-02-10", "two"), ("2023-03-10", "three")):
        text = f"# Privacy Policy\n\nWe keep {words} thing.\n\n{caption}| A | B |\n"
        _commit(
            repo, f"{day}T12:00:00+09:00", f"Record {words}", {"Buffer/Privacy Policy.md": text}
        )
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli(
        "import", "git", str(repo), "Buffer/Privacy Policy.md", "--policy", "privacy", str(site)
    )
    assert run.code == 0, run.err
    told = run.err[run.err.index("Not carried over") : run.err.index("Next:")].splitlines()
    assert len(told) == 2, run.err
    assert told[0] == "Not carried over as it was (1):"
    assert told[1].endswith(
        ":Buffer/Privacy Policy.md:6: 'Sub-processors' stood after a row of empty cells and its line of dashes, which made no table (a web page's table caption, as converters write it): the words are now a paragraph of their own, the row and dashes gone (also in 2 earlier versions)"
    )
    assert (
        (site / "content/privacy/2023-03-10/en.md")
        .read_text()
        .endswith(
            "We keep three thing.\n\nSub-processors\n\n| Name | Purpose |\n| --- | --- |\n| A | B |\n"
        )
    )


def test_a_day_whose_changes_were_undone_is_no_new_revision() -> None:
    """Open Terms Archive recorded WhatsApp's Privacy Policy going back and forth twice a
    day: on 26 February 2026, commit 84daa5a changed the text of 3 February and 4b14474
    changed it back. The day kept its last text, the same as the revision before: a
    revision whose redline showed nothing."""

    def version(commit: str, day: int, hour: int, text: str) -> FileVersion:
        when = dt.datetime(2026, 2, day, hour, tzinfo=dt.UTC)
        return FileVersion(commit * 40, when, commit, text, "p.md")

    versions = [
        version("d", 27, 13, "Meta Platforms, Inc.\n"),
        version("c", 26, 13, "WhatsApp LLC\n"),
        version("b", 26, 1, "Meta Platforms, Inc.\n"),
        version("a", 3, 1, "WhatsApp LLC\n"),
    ]
    planned, skipped = plan_history(versions, "commit", "UTC")
    assert [(revision.version.commit[0], revision.effective.day) for revision in planned] == [
        ("a", 3),
        ("d", 27),
    ]
    assert skipped == [
        Skipped(
            "bbbbbbb",
            "commit ccccccc, later, has a text for the same date (2026-02-26): the later one was kept",
            SAME_DAY,
        ),
        Skipped(
            "ccccccc",
            "the same text as commit aaaaaaa (2026-02-03): the day's earlier changes were undone",
        ),
    ]


def test_a_first_level_heading_added_to_a_version_moves_no_heading_of_the_others(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """LinkedIn's Privacy Policy as Open Terms Archive recorded it: on 1 October 2025 (commit
    60ff95e) a section under a first-level heading of its own was added after the policy
    (its title being the first). Every heading of that version moved one level down to make
    room, and the redline marked each of its 190 headings as changed."""
    repo = _new_repository(tmp_path)
    first = "# Privacy Policy\n\n## Introduction\n\nWe are LinkedIn.\n\n### Services\n\nAll.\n"
    second = first + "\n# Targeted advertising\n\n## Your choices\n\nOpt out.\n"
    _commit(repo, "2025-09-28T10:00:00+00:00", "First", {"privacy.md": first})
    _commit(repo, "2025-10-01T10:00:00+00:00", "Annex", {"privacy.md": second})
    _commit(repo, "2025-11-04T10:00:00+00:00", "Choices", {"privacy.md": first})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "privacy.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    texts = {
        path.parent.name: path.read_text().split("---\n", 2)[2]
        for path in (site / "content" / "privacy").glob("*/en.md")
    }
    assert texts["2025-09-28"] == "### Introduction\n\nWe are LinkedIn.\n\n#### Services\n\nAll.\n"
    assert texts["2025-11-04"] == texts["2025-09-28"]
    assert texts["2025-10-01"] == (
        texts["2025-09-28"] + "\n## Targeted advertising\n\n### Your choices\n\nOpt out.\n"
    )


def test_a_version_whose_page_reads_the_same_is_no_new_revision(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Open Terms Archive's 'technical upgrade' of September 2025 wrote every list of the
    texts it records with three spaces after the mark (`*   **You must be 13**`), and Google
    Play's terms changed only the addresses of their images, which policy pages do not show:
    each made a revision whose redline showed nothing (seven of the eleven histories)."""
    repo = _new_repository(tmp_path)
    first = "# Terms\n\n* **You must be 13**: or older.\n* **Be kind**.\n\n![](//x.example/1.png)\n"
    spaced = first.replace("* **", "*   **")
    imaged = spaced.replace("1.png", "2.png")
    changed = imaged.replace("or older", "or 16")
    commits = [("First", first), ("Upgrade", spaced), ("Images", imaged), ("Age", changed)]
    for day, (message, text) in enumerate(commits, 1):
        _commit(repo, f"2025-09-0{day}T10:00:00+00:00", message, {"terms.md": text})
    hashes = _hashes(repo)
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "terms.md", "--policy", "terms", str(site))
    assert run.code == 0, run.err
    assert sorted(path.name for path in (site / "content" / "terms").iterdir()) == [
        "2025-09-01",
        "2025-09-04",
        "policy.yaml",
    ]
    reads_the_same = (
        "their pages read the same: they differ only in how their Markdown is written (such as "
        "the spaces after a list's marks, or where a paragraph's lines break) or in images, "
        "which policy pages do not show"
    )
    assert (
        f"  {hashes['Upgrade']}: the same text as commit {hashes['First']} once imported: "
        "they differ only in spacing, line endings or a byte order mark" in run.err.splitlines()
    )
    assert (
        f"  {hashes['Images']}: the same text as commit {hashes['First']} once imported: "
        f"{reads_the_same}" in run.err.splitlines()
    )


def test_a_version_whose_paragraphs_break_their_lines_elsewhere_is_no_new_revision(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Hackers' Pub's Privacy Policy (github.com/hackers-pub/hackerspub, commit 89657ec,
    'Apply Hongdown to format Markdown files') broke the lines of its paragraphs elsewhere,
    in Korean and in its four translations: each became a revision whose redline showed
    nothing. Code keeps its line breaks: a version that changes them is a revision."""
    repo = _new_repository(tmp_path)
    first = (
        "# 개인정보 보호정책\n\n아동으로부터 개인정보를 의도적으로 수집하지 않습니다. "
        "아동이 개인 데이터를 제공한\n것으로 판단되면 연락 주시기 바랍니다.\n\n"
        "    code  kept\n    as written\n"
    )
    rewrapped = first.replace("제공한\n것으로", "제공한 것으로").replace(
        "않습니다. ", "않습니다.\n"
    )
    recoded = rewrapped.replace("code  kept", "code kept")
    commits = [("First", first), ("Hongdown", rewrapped), ("Code", recoded)]
    for day, (message, text) in enumerate(commits, 1):
        _commit(repo, f"2026-05-2{day}T10:00:00+00:00", message, {"p.md": text})
    hashes = _hashes(repo)
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "p.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    assert sorted(path.name for path in (site / "content" / "privacy").iterdir()) == [
        "2026-05-21",
        "2026-05-23",
        "policy.yaml",
    ]
    assert (
        f"  {hashes['Hongdown']}: the same text as commit {hashes['First']} once imported: "
        "they differ only in spacing, line endings or a byte order mark" in run.err.splitlines()
    )


def test_a_history_with_translations_names_its_policy_in_each_language(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Hackers' Pub's Privacy Policy (github.com/hackers-pub/hackerspub), in Korean and four
    translations: policy.yaml named the policy by its first Korean text's title alone, and
    every page in Japanese showed 'Hackers' Pub 개인정보 보호정책' above its Japanese text."""
    repo = _new_repository(tmp_path)
    _commit(
        repo,
        "2026-04-03T10:00:00+09:00",
        "Add privacy policy page",
        {
            "en/privacy.md": "# Privacy\n\nWe collect little.\n",
            "ja/privacy.md": "# 個人情報\n\n収集は最小限です。\n",
        },
    )
    _commit(
        repo,
        "2026-05-26T10:00:00+09:00",
        "Web Push",
        {
            "en/privacy.md": "# Privacy Policy\n\nWe collect push tokens.\n",
            "ja/privacy.md": "# プライバシーポリシー\n\nプッシュ通知の送信先を収集します。\n",
        },
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    assert (site / "content/privacy/policy.yaml").read_text() == (
        "title:\n  en: Privacy Policy\n  ja: プライバシーポリシー\n"
    )


def test_a_history_in_one_language_names_its_policy_by_its_latest_title(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """GitHub's Balanced Employee IP Agreement (github.com/github/balanced-employee-ip-agreement)
    named its version in its title, '# Balanced Employee Intellectual Property Agreement 1.0.0'
    then '… 2.0.0': policy.yaml took the first text's title, and every page of the policy, the
    2.0.0 text's too, was headed 'Balanced Employee Intellectual Property Agreement 1.0.0'."""
    repo = _new_repository(tmp_path)
    _commit(
        repo,
        "2017-01-30T10:00:00+09:00",
        "versioning/version 1.0.0",
        {"Agreement.md": "# Agreement 1.0.0\n\nThe Company owns any IP.\n"},
    )
    _commit(
        repo,
        "2020-12-14T10:00:00+09:00",
        "Potential v2",
        {"Agreement.md": "# Agreement 2.0.0\n\nThe Company owns some IP.\n"},
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "Agreement.md", "--policy", "ip", str(site))
    assert run.code == 0, run.err
    assert (site / "content/ip/policy.yaml").read_text() == "title: Agreement 2.0.0\n"


def test_translations_only_written_anew_later_are_not_said_translated_later(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Hackers' Pub formatted its Privacy Policy in its five languages anew (commit 89657ec),
    its words the same: import said the first revision's four translations were 'translated
    later, in 89657ec', though they were written with it."""
    repo = _new_repository(tmp_path)
    english, japanese = "# Privacy\n\nWe collect\nlittle.\n", "# 個人情報\n\n収集は\n最小限です。\n"
    _commit(
        repo,
        "2026-04-03T10:00:00+09:00",
        "Add privacy policy page",
        {"en/privacy.md": english, "ja/privacy.md": japanese},
    )
    _commit(
        repo,
        "2026-05-22T10:00:00+09:00",
        "Format Markdown files",
        {
            "en/privacy.md": english.replace("collect\n", "collect "),
            "ja/privacy.md": japanese.replace("収集は\n", "収集は"),
        },
    )
    _commit(
        repo,
        "2026-05-26T10:00:00+09:00",
        "Web Push",
        {"en/privacy.md": "# Privacy\n\nWe collect push tokens.\n"},
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    assert "translated later" not in run.err
    assert (site / "content/privacy/2026-04-03/ja.md").exists()


def test_a_web_page_recorded_before_it_had_loaded_is_no_revision(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Open Terms Archive recorded the Privacy Policy of Mon espace santé
    (sante-numerique-france-versions, August 2025) as 'Chargement en cours ...' every few
    days, between versions of 18,000 characters: sixteen of its seventeen revisions removed
    the whole text or added it back. A short text that stays, the last one, is a revision."""
    repo = _new_repository(tmp_path)
    full = "# Politique de confidentialité\n\n" + "Nous traitons vos données de santé. " * 30
    loading = "Chargement en cours ...\n"
    commits = [
        ("First", full),
        ("Loading", loading),
        ("Back", full),
        ("Changed", full.replace("santé", "santé avec soin", 1)),
        ("Withdrawn", "Cette politique a été retirée.\n"),
    ]
    for day, (message, text) in enumerate(commits, 1):
        _commit(repo, f"2025-08-0{day}T10:00:00+02:00", message, {"p.md": text})
    hashes = _hashes(repo)
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "p.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    assert sorted(path.name for path in (site / "content" / "privacy").iterdir()) == [
        "2025-08-01",
        "2025-08-04",
        "2025-08-05",
        "policy.yaml",
    ]
    assert (
        f"  {hashes['Loading']}: its text is only 'Chargement en cours ...', where the "
        "versions before and after it have 927 and 927 characters: a web page recorded "
        "before it had loaded, not a text of the policy" in run.err.splitlines()
    )


def test_a_web_page_that_showed_its_text_twice_is_no_revision(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Open Terms Archive recorded Boulanger's Conditions Générales de Vente Partenaire
    (p2b-compliance-versions, September 2022 to August 2024) as its text and as its text
    twice over (its page showed it twice as it loaded), back and forth, in 1,039 commits:
    255 revisions removed the second copy of the text or added it back. A text that grows
    to twice its length with new paragraphs is a revision, and so is a text that stays twice
    over, no version half as long after it (the page's new form)."""
    repo = _new_repository(tmp_path)
    articles = [f"ARTICLE {n}\n\nLe Marchand s'engage au point {n}." for n in range(1, 13)]
    full = "Version n°5 en vigueur au 30 septembre 2021\n\n" + "\n\n".join(articles) + "\n"
    twice = (
        "Version n°5 en vigueur au 30 septembre 2021Version n°5 en vigueur au 30 septembre "
        "2021\n\n" + "\n\n".join(articles + articles) + "\n"
    )
    changed = full.replace("point 3.", "point 3 bis.")
    longer = changed + "\n".join(
        f"\nANNEXE {n}\n\nLe Client garde le bien {n}." for n in range(1, 13)
    )
    commits = [
        ("First", full),
        ("Twice", twice),
        ("Once", full),
        ("Twice again", twice),
        ("Changed", changed),
        ("Changed twice", twice.replace("point 3.", "point 3 bis.")),
        ("Changed again", changed),
        ("Annexes", longer),
        ("Twice for good", longer + "\n" + longer),
    ]
    for day, (message, text) in enumerate(commits, 1):
        _commit(repo, f"2022-09-0{day}T10:00:00+02:00", message, {"p.md": text})
    hashes = _hashes(repo)
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "p.md", "--policy", "cgv", str(site))
    assert run.code == 0, run.err
    assert sorted(path.name for path in (site / "content" / "cgv").iterdir()) == [
        "2022-09-01",
        "2022-09-05",
        "2022-09-08",
        "2022-09-09",
        "policy.yaml",
    ]
    assert (
        f"  3 versions, {hashes['Twice']} to {hashes['Changed twice']}: its text is that of the "
        "version before or after it twice over, nearly paragraph for paragraph: a web page "
        "that showed its text twice, not a text of the policy" in run.err.splitlines()
    )


@pytest.mark.parametrize("title", [None, "TikTok Privacy Policy"])
def test_a_history_whose_texts_have_no_title_takes_one(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path, title: str | None
) -> None:
    """Open Terms Archive records TikTok's Privacy Policy without a first heading: import git
    named it 'Tiktok privacy', from its id, without a word, and offered no --title as the
    import of one file does."""
    repo = _new_repository(tmp_path)
    _commit(repo, "2025-09-13T10:00:00+00:00", "First", {"p.md": "U.S.\n\nWe collect.\n"})
    _commit(repo, "2025-09-17T10:00:00+00:00", "Second", {"p.md": "U.S.\n\nWe share.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    given = ["--title", title] if title else []
    run = cli("import", "git", str(repo), "p.md", "--policy", "tiktok-privacy", *given, str(site))
    assert run.code == 0, run.err
    texts = [
        path.read_text() for path in sorted((site / "content" / "tiktok-privacy").glob("*/en.md"))
    ]
    notice = (
        "The texts give themselves no title (they have no first heading): their title is "
        "Tiktok privacy, made from the policy id; give another with --title, or in 'title:' "
        "of the files written"
    )
    if title is None:
        assert notice in run.err.splitlines()
        assert all("\ntitle: Tiktok privacy\n" in text for text in texts)
    else:
        assert "no title" not in run.err
        assert all("\ntitle: TikTok Privacy Policy\n" in text for text in texts)


def test_the_words_of_a_file_a_text_includes_are_its_words(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """The CoronaMelder app's privacy statement (minvws/nl-covid19-notification-app-website,
    commits ceb0c82f to c2c9038c, August to October 2020) was `{% include privacy-text.md %}`
    in nl/privacy.md, its words in _includes/privacy-text.md, which changed four times before
    they moved into nl/privacy.md: imported, its first revisions showed the include tag and
    nothing else, and the changes to its words were no revisions. An include of a file the
    commit has not stays as it is."""
    repo = _new_repository(tmp_path)
    text, words = "nl/privacy.md", "_includes/privacy-text.md"
    front = "---\nlayout: content\ntitle: Privacyverklaring\n---\n"
    _commit(
        repo,
        "2020-08-12T12:00:00+02:00",
        "Restructured languages files",
        {text: front + "{% include privacy-text.md %}\n", words: "## Over CoronaMelder\n\nEen app.\n"},
    )  # fmt: skip
    _commit(
        repo,
        "2020-08-15T12:00:00+02:00",
        "To production",
        {words: "## Over CoronaMelder\n\nEen technisch hulpmiddel.\n"},
    )
    _commit(
        repo,
        "2020-09-01T12:00:00+02:00",
        "Moved the text",
        {
            text: front + "## Over CoronaMelder\n\nEen technisch hulpmiddel.\n\n"
            "{% include contact.md %}\n",
            words: None,
        },
    )
    site = site_factory({"site.yaml": SITE_YAML.replace("languages: [en, ja]", "languages: [nl]")
                         .replace("default_language: en", "default_language: nl")})  # fmt: skip
    run = cli("import", "git", str(repo), text, "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    folders = sorted(p.name for p in (site / "content/privacy").iterdir() if p.is_dir())
    assert folders == ["2020-08-12", "2020-08-15", "2020-09-01"]
    body = (site / "content/privacy/2020-08-15/nl.md").read_text().split("---\n", 2)[2]
    assert body == "## Over CoronaMelder\n\nEen technisch hulpmiddel.\n"
    last = (site / "content/privacy/2020-09-01/nl.md").read_text()
    assert last.endswith("Een technisch hulpmiddel.\n\n{% include contact.md %}\n")
    hashes = _hashes(repo)
    assert (
        f"  2020-08-15  {hashes['To production']}  To production  (its words from "
        "_includes/privacy-text.md, which it includes)"
    ) in run.err.splitlines()


def test_an_include_within_a_line_is_the_one_line_of_its_file(tmp_path: Path) -> None:
    """Delta Chat's FAQ (github.com/deltachat/deltachat-pages, `en/help.md` at commit
    20d975b, July 2026) links to `[Internet Standards]({% include standards-url %})`, the
    address in `_includes/standards-url`: imported, its readers saw the brackets, the tag and
    all, where the site showed a link. An include within a line of a file of more than one
    line, or of a file the commit has not, stays as it is."""
    repo = _new_repository(tmp_path)
    _commit(
        repo,
        "2026-07-20T12:00:00+02:00",
        "adapt relay removal",
        {
            "en/help.md": "## What is Delta Chat?\n\n"
            "- Free and Open Source software,\n"
            "  built on [Internet Standards]({% include standards-url %}).\n\n"
            "See {% include two-lines.md %} and [more]({% include missing-url %}).\n",
            "_includes/standards-url": "https://github.com/chatmail/core/blob/main/standards.md\n",
            "_includes/two-lines.md": "One.\n\nTwo.\n",
        },
    )
    (version,) = read_versions(repo, "en/help.md")
    assert version.text == (
        "## What is Delta Chat?\n\n"
        "- Free and Open Source software,\n"
        "  built on [Internet Standards](https://github.com/chatmail/core/blob/main/standards.md).\n\n"
        "See {% include two-lines.md %} and [more]({% include missing-url %}).\n"
    )
    assert version.included == ("_includes/standards-url",)


def test_an_include_within_a_line_of_a_file_of_lines_ended_by_carriage_returns(
    tmp_path: Path,
) -> None:
    """A file whose lines end with a carriage return alone has no line feed: it was put
    within a link's line, and a heading and a paragraph of its own came out of the link."""
    repo = _new_repository(tmp_path)
    line = "Write to [us]({% include contact %}).\n"
    _commit(
        repo,
        "2024-01-01T12:00:00+00:00",
        "First",
        {
            "privacy.md": line,
            "_includes/contact": "mailto:a@example.org)\r\r## 2. Sale\r\rWe sell it. [x](x\r\n",
        },
    )
    (version,) = read_versions(repo, "privacy.md")
    assert (version.text, version.included) == (line, ())


def test_no_include_is_followed_in_the_front_matter(tmp_path: Path) -> None:
    """Jekyll runs no Liquid in a page's front matter: its title was the words written, but
    an include there was followed, and an included file set the title, or the revision's
    dates, of the text imported."""
    repo = _new_repository(tmp_path)
    texts = {
        "yaml.md": "---\ntitle: '{% include t %}'\n{% include dates.yml %}\n---\n\nWords.\n",
        "cr.md": "---\rtitle: '{% include t %}'\r---\r\rSee {% include t %}.\r",
        "toml.md": "\ufeff+++\ntitle = '{% include t %}'\n+++\n\nSee {% include t %}.\n",
    }
    _commit(
        repo,
        "2024-01-01T12:00:00+00:00",
        "First",
        {
            **texts,
            "_includes/t": "Harmless\n",
            "_includes/dates.yml": "effective: 2001-01-01\nmaterial: false\n",
        },
    )
    (yaml_version,) = read_versions(repo, "yaml.md")
    assert (yaml_version.text, yaml_version.included) == (texts["yaml.md"], ())
    (cr,) = read_versions(repo, "cr.md")
    assert cr.text == texts["cr.md"].replace("See {% include t %}", "See Harmless")
    (toml,) = read_versions(repo, "toml.md")
    assert toml.text == texts["toml.md"].replace("See {% include t %}", "See Harmless")


def test_includes_are_followed_only_so_far(tmp_path: Path) -> None:
    """A stranger's repository whose text includes a file a hundred times, which includes
    another a hundred times, and so on, is read with at most MAX_INCLUDES includes followed;
    a name that leaves the repository's folders is never followed, nor an include after
    Liquid's `{% raw %}`."""
    repo = _new_repository(tmp_path)
    many = "{% include a.md %}\n" * 100
    _commit(
        repo,
        "2024-01-01T12:00:00+00:00",
        "Bomb",
        {
            "privacy.md": many + "{% include_relative ../secret.md %}\n",
            "raw.md": "{% raw %}\n{% include a.md %}\n{% endraw %}\n",
            "_includes/a.md": many.replace("a.md", "b.md"),
            "_includes/b.md": "Words.\n",
        },
    )
    (version,) = read_versions(repo, "privacy.md")
    assert version.text is not None
    assert version.text.count("Words.") + version.text.count("{% include") <= 200
    assert version.text.count("Words.") < MAX_INCLUDES
    assert version.included == ("_includes/a.md", "_includes/b.md")
    assert version.text.endswith("{% include_relative ../secret.md %}\n")
    (raw,) = read_versions(repo, "raw.md")
    assert raw.text == "{% raw %}\n{% include a.md %}\n{% endraw %}\n"
    assert raw.included == ()


def test_a_text_its_includes_make_larger_than_a_text_may_be_is_left_out(tmp_path: Path) -> None:
    """A file of a few hundred kilobytes included many times over: a repository of 220 kB
    made a text of 300 MB, held several times in memory. The version is left out with the
    reason, and the includes past the limit are not read."""
    repo = _new_repository(tmp_path)
    words = "Words of the policy, repeated.\n\n" * 6000
    _commit(
        repo,
        "2024-01-01T12:00:00+00:00",
        "Large",
        {"privacy.md": "# Privacy\n\n" + "{% include a.md %}\n" * 48, "_includes/a.md": words},
    )
    _commit(repo, "2024-02-01T12:00:00+00:00", "Small", {"_includes/a.md": "Words.\n"})
    small, large = read_versions(repo, "privacy.md")
    assert small.text == "# Privacy\n\n" + "Words.\n" * 48
    assert (large.text, large.problem) == (
        None,
        "the text, with the files it includes in its place, has more than the 8,388,608 bytes a "
        "text may have (a policy of a hundred pages has some 300,000)",
    )


def test_includes_of_files_the_repository_has_not_are_looked_for_only_so_far(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each include is looked for in each folder above the text, with a run of git each, and
    one not found counted for nothing: thousands of them, a hundred folders deep, ran git
    for hours."""
    repo = _new_repository(tmp_path)
    path = "a/b/c/d/e/f/g/h/i/j/privacy.md"
    includes = "".join(f"{{% include missing-{n}.md %}}\n" for n in range(300))
    _commit(
        repo,
        "2024-01-01T12:00:00+00:00",
        "Many",
        {path: "# Privacy\n\n{% include a.md %}\n" + includes, "_includes/a.md": "Words.\n"},
    )
    reads: list[str] = []
    real_read_text = git_module.read_text

    def counted(repository: Path, commit: str, name: str) -> tuple[str | None, str | None]:
        reads.append(name)
        return real_read_text(repository, commit, name)

    monkeypatch.setattr(git_module, "read_text", counted)
    (version,) = read_versions(repo, path)
    assert version.text is not None and version.text.startswith("# Privacy\n\nWords.\n")
    assert len(reads) <= MAX_INCLUDE_LOOKUPS + 1


def test_a_history_whose_every_commit_looks_for_many_includes_is_read_only_so_far(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stranger's history of thousands of commits, each changing a file the text includes
    and each looking for its includes in hundreds of places, ran git for hours: the places
    looked in are counted over every version, and the versions past the count are left out
    with the reason, without their includes looked for."""
    repo = _new_repository(tmp_path)
    path = "a/b/c/d/e/privacy.md"
    includes = "".join(f"{{% include missing-{n}.md %}}\n" for n in range(10))
    text = "# Privacy\n\n{% include a.md %}\n" + includes
    _commit(repo, "2024-01-01T12:00:00+00:00", "Text", {path: text, "_includes/a.md": "0\n"})
    for day in range(2, 22):
        _commit(
            repo, f"2024-01-{day:02}T12:00:00+00:00", f"Words {day}", {"_includes/a.md": f"{day}\n"}
        )
    monkeypatch.setattr(git_module, "MAX_HISTORY_INCLUDE_LOOKUPS", 200)
    reads: list[str] = []
    real_read_text = git_module.read_text

    def counted(repository: Path, commit: str, name: str) -> tuple[str | None, str | None]:
        reads.append(name)
        return real_read_text(repository, commit, name)

    monkeypatch.setattr(git_module, "read_text", counted)
    versions = read_versions(repo, path)
    # Each version looks in 6 places for a.md and 6 for each missing file: 66.
    assert len(reads) <= 200 + 2 * 21
    assert [version.subject for version in versions] == [
        *(f"Words {day}" for day in reversed(range(2, 22))),
        "Text",
    ]
    # The text's own versions are read first, then the commits that changed its includes,
    # newest first.
    words = [version.text.split("\n")[2] if version.text else None for version in versions]
    assert words == ["21", "20", *[None] * 18, "0"]
    assert {version.problem for version in versions[2:-1]} == {git_module.INCLUDES_NOT_READ}
    assert git_module.INCLUDES_NOT_READ == (
        "the files its text includes were not all looked for: policygen looks for them in "
        "16,384 places at most in a history's versions together, and the versions read before "
        "this one took them all (a history whose commits each look in hundreds of places "
        "would run git for hours)"
    )


def test_a_history_of_many_long_includes_is_read(tmp_path: Path) -> None:
    """The files a history's versions include were named on git's command line: 64 of
    names of thousands of characters in each version, a few dozen versions, made one longer
    than the system runs, and the import crashed."""
    repo = _new_repository(tmp_path)
    _commit(repo, "2024-01-01T12:00:00+00:00", "Terms", {"privacy.md": "# Privacy\n"})
    versions = read_versions(repo, "privacy.md")
    includes = [f"_includes/{'d' * 3000}/{n}.md" for n in range(1000)]
    assert git_module._with_include_changes(repo, versions, includes) == versions


def test_links_to_sections_of_the_texts_own_page_lead_to_its_sections(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """CoronaCheck's privacy statement (minvws/nl-covid19-coronacheck-website, nl/privacy.md
    at commit be4f91a, May 2022) links to its overview of the data it processes as
    `/nl/privacy#overzicht-van-verwerkte-persoonsgegevens`, the path of its page on the
    CoronaCheck website: imported, the link led to no page of the policygen site. Links to
    another page of that site, or to a section the text has not, are left as they are."""
    repo = _new_repository(tmp_path)
    text = "nl/privacy.md"
    _commit(
        repo,
        "2022-05-18T12:00:00+02:00",
        "Update privacy statement",
        {
            text: "---\ntitle: Privacyverklaring CoronaCheck\n---\n"
            "## 1. Welke persoonsgegevens worden er verwerkt?\n\n"
            "Als je graag precies wilt weten [welke andere gegevens worden verwerkt, klik "
            "hier](/nl/privacy#overzicht-van-verwerkte-persoonsgegevens). Zie ook de "
            "[vragen](/nl/faq#overzicht-van-verwerkte-persoonsgegevens), "
            "[de bewaartermijn](/nl/privacy.html#bewaartermijn) en "
            "[de tabel](/nl/privacy/#section-1).\n\n"
            "## Overzicht van verwerkte persoonsgegevens\n\nNaam.\n"
        },
    )
    site = site_factory({"site.yaml": SITE_YAML.replace("languages: [en, ja]", "languages: [nl]")
                         .replace("default_language: en", "default_language: nl")})  # fmt: skip
    run = cli("import", "git", str(repo), text, "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    written = (site / "content/privacy/2022-05-18/nl.md").read_text()
    assert (
        "[welke andere gegevens worden verwerkt, klik hier](#overzicht-van-verwerkte-persoonsgegevens). "
        "Zie ook de [vragen](/nl/faq#overzicht-van-verwerkte-persoonsgegevens), "
        "[de bewaartermijn](/nl/privacy.html#bewaartermijn) en [de tabel](#section-1).\n"
    ) in written
    assert (
        f"  {_hashes(repo)['Update privacy statement']}:nl/privacy.md:6: links to sections of "
        "'/nl/privacy', the page made of this text on the site it came from, now lead to those "
        "sections on this page, from here on"
    ) in run.err.splitlines()


def test_links_to_sections_of_the_texts_own_file_lead_to_its_sections(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """The WHATWG's Workstream Policy (github.com/whatwg/sg, `Workstream Policy.md` at commit
    c8579b7, June 2024) defines its terms by reference links to its own file, as GitHub's
    readers follow them: `[Editor]: ./Workstream%20Policy.md#editor`. Imported, every
    defined term on the page led to `./Workstream%20Policy.md`, no page of the policygen
    site. Links to another file of the repository, or to a section the text has not, are
    left as they are."""
    repo = _new_repository(tmp_path)
    text = "Workstream Policy.md"
    _commit(
        repo,
        "2024-06-19T12:00:00+02:00",
        "Add Trivial Contributions to Workstream Policy",
        {
            text: "# WHATWG Workstream Policy\n\n"
            "If this Workstream Policy conflicts with the [Intellectual Property Rights "
            "Policy](./IPR%20Policy.md#1-scope), the IPR Policy controls.\n\n"
            "## Definitions\n\n"
            '1. "<a id="editor">**Editor**</a>" means a person designated by the Steering '
            "Group as having authority to modify a [Living Standard].\n\n"
            '2. "<a id="living-standard">**Living Standard**</a>" means a single, unified '
            "technical specification, as modified by its [Editor](<Workstream Policy.md#editor>).\n\n"
            "## Workstreams\n\n"
            "[Editors][Editor] update [Living Standards][Living Standard]; see "
            "[the notices](./Workstream%20Policy.md#notices).\n\n"
            "[Editor]: ./Workstream%20Policy.md#editor\n"
            "[Living Standard]: <./Workstream Policy.md#living-standard>\n"
        },
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), text, "--policy", "workstream", str(site))
    assert run.code == 0, run.err
    written = (site / "content/workstream/2024-06-19/en.md").read_text()
    assert "[Intellectual Property Rights Policy](./IPR%20Policy.md#1-scope)" in written
    assert "as modified by its [Editor](#editor).\n" in written
    assert "[the notices](./Workstream%20Policy.md#notices)." in written
    assert "[Editor]: #editor\n[Living Standard]: #living-standard\n" in written
    hash_ = _hashes(repo)["Add Trivial Contributions to Workstream Policy"]
    assert (
        f"  {hash_}:Workstream Policy.md:9: links to sections of 'Workstream Policy.md', this "
        "text's own file, now lead to those sections on this page, from here on"
    ) in run.err.splitlines()


HOSTILE_GIT = Path(__file__).parent / "fixtures" / "hostile-git"
"""Commit objects and settings `git commit` would not write (see its README)."""


def _write_commit_object(repo: Path, fixture: str, files: dict[str, str]) -> None:
    """Commit `files` with the commit object of `fixture`, written as it is."""
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)

    def git(*args: str, given: str | None = None) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], input=given, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip

    tree, parent = git("write-tree"), git("rev-parse", "HEAD")
    text = (HOSTILE_GIT / fixture).read_text().format(tree=tree, parent=parent)
    commit = git("hash-object", "-t", "commit", "--literally", "-w", "--stdin", given=text)
    git("update-ref", "refs/heads/main", commit)


@pytest.mark.parametrize(
    ("fixture", "folders"),
    [
        # No time zone is 99 hours ahead; the instant is still the one the commit states.
        ("offset-of-99-hours.commit", ["2024-01-10", "2024-01-23", "2024-03-01"]),
        ("year-31690708.commit", ["2024-01-10", "2024-03-01"]),
        ("before-1970.commit", ["2024-01-10", "2024-03-01"]),
        ("last-hour-of-9999.commit", ["2024-01-10", "2024-03-01"]),
        ("no-committer.commit", ["2024-01-10", "2024-03-01"]),
    ],
)
def test_a_commit_dated_out_of_any_calendar_is_skipped(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path, fixture: str, folders: list[str]
) -> None:
    repo = _new_repository(tmp_path)
    en = "en/privacy.md"
    _commit(repo, "2024-01-10T12:00:00+09:00", "First", {en: "# Privacy\n\nOne.\n"})
    _write_commit_object(repo, fixture, {en: "# Privacy\n\nTwo.\n"})
    _commit(repo, "2024-03-01T12:00:00+09:00", "Third", {en: "# Privacy\n\nThree.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), en, "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in content.iterdir() if p.is_dir()) == folders
    if len(folders) == 2:
        second = _hashes(repo)["Second"]
        assert (
            f"  {second}: it is left out: its commit states no date that git can read, or one after the year 9998"
            in run.err.splitlines()
        )
    assert problems_of(site, severity="error") == []


def test_a_repository_that_asks_for_its_messages_in_utf_16_is_read(
    cli: CLI, site_factory: SiteFactory, repo: Path
) -> None:
    """UTF-16 puts a NUL in every other byte, and NUL separates what policygen reads."""
    with (repo / ".git/config").open("a") as config:
        config.write((HOSTILE_GIT / "utf-16.gitconfig").read_text())
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "Policies/en/privacy.md", "--policy", "p", str(site))
    assert run.code == 0, run.err
    assert "summary: Say when it was last updated\n" in (
        site / "content/p/2023-01-10/en.md"
    ).read_text(encoding="utf-8")


def test_a_file_too_large_to_be_a_text_is_skipped_unread(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A file of gigabytes takes a few megabytes in git: it is left out before it is read."""
    repo = _new_repository(tmp_path)
    en, ja = "en/privacy.md", "ja/privacy.md"
    _commit(repo, "2024-01-10T12:00:00+09:00", "First", {en: "# Privacy\n\nOne.\n"})
    huge = "# Privacy\n\n" + "All work and no play makes Jack a dull boy.\n" * 200_000
    _commit(repo, "2024-02-01T12:00:00+09:00", "Huge", {en: huge, ja: huge})
    _commit(repo, "2024-03-01T12:00:00+09:00", "Third", {en: "# Privacy\n\nThree.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in content.iterdir() if p.is_dir()) == ["2024-01-10", "2024-03-01"]
    assert not (content / "2024-03-01/ja.md").exists()
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    too_large = "the file has 8,800,011 bytes, more than the 8,388,608 a text may have (a policy of a hundred pages has some 300,000)"
    assert f"  {hashes['Huge']}: it is left out: {too_large}" in lines
    assert f"  {hashes['Third']}: ja/privacy.md is left out: {too_large}" in lines


def test_a_pattern_of_translations_without_a_language_is_refused(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """`--translations ja/privacy.md` (the language's tag written in, not `{language}`) read
    that one file as the text of every language: the Japanese text was published as the
    French one, with no notice that it is no French."""
    repo = _new_repository(tmp_path)
    _commit(
        repo,
        "2024-01-10T12:00:00+09:00",
        "First",
        {"en/privacy.md": "# Privacy\n\nOne.\n", "ja/privacy.md": "# プライバシー\n\n一。\n"},
    )
    site = site_factory({"site.yaml": SITE_YAML_3})
    run = cli(
        "import", "git", str(repo), "en/privacy.md", "--policy", "privacy",
        "--translations", "ja/privacy.md", str(site),
    )  # fmt: skip
    assert run.code == 2
    assert run.err.startswith("policygen: --translations ja/privacy.md names one file")
    assert not (site / "content").exists()


def test_a_translation_left_out_is_named_as_printable(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A file name may hold an escape sequence, which would recolour or clear the terminal."""
    repo = _new_repository(tmp_path)
    en, hidden = "en/privacy.md", "ja/\x1b[2Jprivacy.md"
    _commit(
        repo,
        "2024-01-10T12:00:00+09:00",
        "First",
        {en: "# Privacy\n\nOne.\n", hidden: "# プライバシー\n\n一\x00。\n"},
    )
    subprocess.run(["git", "-C", str(repo), "mv", hidden, "ja/privacy.md"], check=True)
    _commit(repo, "2024-02-01T12:00:00+09:00", "Second", {en: "# Privacy\n\nTwo.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    assert "\x1b" not in run.err
    assert (
        f"  {_hashes(repo)['First']}: ja/\\x1b[2Jprivacy.md is left out: line 3 holds an invisible control character (U+0000), which no page may show"
        in run.err.splitlines()
    )


@pytest.mark.parametrize(
    "path", ["Policies/en", "Policies/en/", "./Policies", ".", "{repo}/Policies"]
)
def test_a_path_that_names_a_folder_is_refused(
    cli: CLI, site_factory: SiteFactory, repo: Path, path: str
) -> None:
    """git reads a folder's path as each file in it: each version would be another file."""
    site = site_factory({"site.yaml": SITE_YAML})
    path = path.format(repo=repo)
    run = cli("import", "git", str(repo), path, "--policy", "privacy", str(site))
    assert (run.code, run.err) == (
        1,
        f"policygen: {repo}: {path} is a folder of the repository, not a file: name the text's file, such as Policies/en/privacy.md\n",
    )
    assert not (site / "content").exists()


def test_a_folder_where_the_text_is_in_another_commit_is_no_version_of_it(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A stranger's history that held a folder where the text is later: its files are no
    versions of the text."""
    repo = _new_repository(tmp_path)
    en = "en/privacy.md"
    folder = {f"{en}/terms.md": "# Terms\n\nWe may sell your data.\n"}
    _commit(repo, "2024-01-10T12:00:00+09:00", "Folder", folder)
    subprocess.run(["git", "-C", str(repo), "rm", "-rq", en], check=True)
    _commit(repo, "2024-02-01T12:00:00+09:00", "First", {en: "# Privacy\n\nOne.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), en, "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in content.iterdir() if p.is_dir()) == ["2024-02-01"]
    assert f"  {_hashes(repo)['Folder']}: {NO_TEXT}" in run.err.splitlines()


def test_a_subject_of_a_hundred_thousand_characters_is_cut_to_a_summary(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Every page of the policy's history, and its feed, shows each revision's summary."""
    repo = _new_repository(tmp_path)
    subject = "Update the privacy policy " + "and then some more " * 5_000
    _commit(repo, "2024-01-10T12:00:00+09:00", subject, {"en/privacy.md": "# Privacy\n\nOne.\n"})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "en/privacy.md", "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    summary = subject[:300].rsplit(" ", 1)[0] + "…"
    assert len(summary) <= 301
    written = (site / "content/privacy/2024-01-10/en.md").read_text(encoding="utf-8")
    assert f"\nsummary: {summary}\n" in written
    assert len(run.err) < 1_000


def test_git_fetches_nothing_a_repository_lacks(
    cli: CLI, site_factory: SiteFactory, repo: Path, tmp_path: Path
) -> None:
    """A repository that says it is a partial clone made git fetch the objects it lacks from
    its remote, through the program its config names."""
    marker = tmp_path / "ran"
    script = tmp_path / "ssh.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    git = ["git", "-C", str(repo)]
    blob = subprocess.run(
        [*git, "rev-parse", "HEAD:Policies/en/privacy.md"], capture_output=True, text=True,
        check=True,
    ).stdout.strip()  # fmt: skip
    (repo / ".git/objects" / blob[:2] / blob[2:]).unlink()
    config = (HOSTILE_GIT / "promisor.gitconfig").read_text().format(program=script)
    with (repo / ".git/config").open("a") as file:
        file.write(config)
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), "Policies/en/privacy.md", "--policy", "p", str(site))
    assert not marker.exists()
    assert run.code == 0, run.err
    assert sorted(p.name for p in (site / "content/p").iterdir() if p.is_dir()) == [
        "2021-04-01",
        "2022-09-01",
    ]


def test_a_text_that_states_a_day_policygen_does_not_work_with_is_skipped(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """One version dated 9999-12-31 by its text made the whole import fail."""
    repo = _new_repository(tmp_path)
    en = "en/privacy.md"
    for when, stated in [
        ("2024-01-10T12:00:00+09:00", "9999-12-31"),
        ("2024-02-10T12:00:00+09:00", "0001-01-01"),
        ("2024-03-10T12:00:00+09:00", "2024-03-01"),
    ]:
        text = f"# Privacy\n\nEffective date: {stated}\n\nThe text of {stated}.\n"
        _commit(repo, when, stated, {en: text})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli(
        "import", "git", str(repo), en, "--policy", "privacy", "--date-from", "text", str(site)
    )  # fmt: skip
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.name for p in content.iterdir() if p.is_dir()) == ["2024-03-01"]
    hashes = _hashes(repo)
    for stated in ("9999-12-31", "0001-01-01"):
        assert (
            f"  {hashes[stated]}: its text states the date {stated}, not one from 0001-01-02 to 9999-12-30, the days policygen works with"
            in run.err.splitlines()
        )


def test_a_version_whose_text_has_errors_is_left_out_not_the_history(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """One version the site refuses made the whole history fail to import."""
    repo = _new_repository(tmp_path)
    en, ja = "en/privacy.md", "ja/privacy.md"

    def fixture(name: str) -> str:
        return (HOSTILE_GIT / name).read_text(encoding="utf-8")

    _commit(repo, "2024-01-10T12:00:00+09:00", "First", {en: "# Privacy\n\nOne.\n"})
    _commit(repo, "2024-02-10T12:00:00+09:00", "Region", {en: fixture("unknown-region.md")})
    _commit(repo, "2024-03-10T12:00:00+09:00", "Comment", {en: fixture("unclosed-comment.md")})
    _commit(
        repo,
        "2024-04-10T12:00:00+09:00",
        "Fourth",
        {en: "# Privacy\n\nFour.\n", ja: fixture("duplicate-id.ja.md")},
    )
    # A version and its translation that the site both refuse.
    _commit(
        repo,
        "2024-05-10T12:00:00+09:00",
        "Both",
        {
            en: fixture("unknown-region.md") + "\nFive.\n",
            ja: fixture("duplicate-id.ja.md") + "\n五。\n",
        },
    )
    site = site_factory({"site.yaml": SITE_YAML})
    run = _import_with_translations(cli, repo, site)
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert sorted(p.relative_to(content).as_posix() for p in content.glob("*/*.md")) == [
        "2024-01-10/en.md",
        "2024-04-10/en.md",
    ]
    hashes = _hashes(repo)
    lines = run.err.splitlines()
    assert (
        f"  {hashes['Region']}: its text has errors once imported (content/privacy/2024-02-10/en.md:9: error: region block names unknown region 'eu' (regions: global)): the version is left out"
        in lines
    )
    assert any(
        line.startswith(
            f"  {hashes['Comment']}: its text has errors once imported (content/privacy/2024-03-10/en.md:9:1: error: the comment opened with '<!--' is never closed"
        )
        for line in lines
    )
    assert (
        f"  {hashes['Fourth']}: its text has errors once imported (content/privacy/2024-04-10/ja.md:9: error: the id '#same' is already used on line 5: every id on a page must be unique): readers get the source text with a notice"
        in lines
    )
    assert [line for line in lines if line.startswith(f"  {hashes['Both']}: its text")] == [
        f"  {hashes['Both']}: its text has errors once imported (content/privacy/2024-05-10/en.md:9: error: region block names unknown region 'eu' (regions: global)): the version is left out"
    ]
    assert problems_of(site, severity="error") == []


def test_a_first_heading_without_words_is_no_title(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """An empty title named the policy, and the site refused the whole history."""
    repo = _new_repository(tmp_path)
    en = "en/privacy.md"
    _commit(repo, "2024-01-10T12:00:00+09:00", "First", {en: "# Privacy\n\nOne.\n"})
    second = (HOSTILE_GIT / "empty-first-heading.md").read_text(encoding="utf-8")
    _commit(repo, "2024-02-10T12:00:00+09:00", "Second", {en: second})
    site = site_factory({"site.yaml": SITE_YAML})
    run = cli("import", "git", str(repo), en, "--policy", "privacy", str(site))
    assert run.code == 0, run.err
    content = site / "content/privacy"
    assert (content / "policy.yaml").read_text(encoding="utf-8") == "title: Privacy\n"
    assert (
        (content / "2024-02-10/en.md")
        .read_text(encoding="utf-8")
        .endswith("summary: Second\n---\nWe collect your email address.\n")
    )
