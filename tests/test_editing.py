"""Editors' commands: lock and the §7 check, new, status; and the warnings of SPEC §6."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SITE_YAML, Run, SiteFactory, build_site, problems_of

CLI = Callable[..., Run]
EN = "---\ntitle: Terms\neffective: 2024-01-01\nsummary: First.\n---\n## 1. Terms\n\nBe nice.\n"
FR = "---\ntitle: Conditions\n---\n## 1. Conditions\n\nSoyez gentils.\n"
SITE = {"content/terms/2024-01-01/en.md": EN, "content/terms/2024-01-01/fr.md": FR}


def test_lock_records_every_text_in_effect_sorted(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory(
        {**SITE, "content/terms/2030-01-01/en.md": EN.replace("2024-01-01", "2030-01-01")}
    )
    run = cli("lock", str(site), "--as-of", "2026-01-01")
    assert run.code == 0
    lines = [
        line
        for line in (site / "policies.lock").read_text().splitlines()
        if not line.startswith("#")
    ]
    assert [line.split()[:4] for line in lines] == [
        ["terms", "2024-01-01", "en", "eu"],
        ["terms", "2024-01-01", "en", "global"],
        ["terms", "2024-01-01", "fr", "eu"],
        ["terms", "2024-01-01", "fr", "global"],
        ["terms", "2030-01-01", "en", "eu"],
        ["terms", "2030-01-01", "en", "global"],
    ]
    assert all(line.endswith("corrections=0 state=in-effect") for line in lines[:4])
    assert all(line.endswith("corrections=0 state=upcoming") for line in lines[4:])
    assert (
        cli("lock", str(site), "--as-of", "2026-01-01").err
        == "policygen: policies.lock is up to date\n"
    )


def test_a_revision_in_effect_that_is_not_locked_is_a_warning(site_factory: SiteFactory) -> None:
    site = site_factory(SITE)
    assert problems_of(site, severity="warning") == [
        "content/terms/2024-01-01/en.md:1: warning: revision '2024-01-01' of policy 'terms' is in effect, but its text (en/eu, en/global, fr/eu, fr/global) is not locked: run `policygen lock` and commit policies.lock"
    ]


def test_a_locked_text_may_not_change_silently(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    site = site_factory(SITE)
    cli("lock", str(site))
    source = site / "content/terms/2024-01-01/fr.md"
    source.write_text(FR.replace("gentils", "aimables"))
    assert problems_of(site) == [
        "content/terms/2024-01-01/fr.md:1: error: this text is in effect and locked (policies.lock line 7), but its text changed: a published policy must not change silently. If this is a correction, record it in the front matter (corrections: [{date: 2026-11-29, note: what was corrected}]) and run `policygen lock`; otherwise undo the change and start a new revision with `policygen new`"
    ]
    build = cli("build", str(site), "-o", str(tmp_path / "out"))
    assert build.code == 1 and not (tmp_path / "out").exists()
    assert cli("lock", str(site)).code == 1, "lock must not accept a silent change"

    source.write_text(
        FR.replace("gentils", "aimables").replace(
            "---\n## 1", "corrections:\n  - {date: 2026-11-28, note: Mot corrigé.}\n---\n## 1"
        )
    )
    assert problems_of(site) == []
    assert problems_of(site, severity="warning", code="not-locked") != []
    assert cli("lock", str(site)).code == 0
    assert problems_of(site, severity="warning") == []
    assert "corrections=1" in (site / "policies.lock").read_text()
    assert cli("build", str(site), "-o", str(tmp_path / "out")).code == 0
    page = (tmp_path / "out/fr/global/terms/index.html").read_text()
    assert "Corrigé le 28 novembre 2026 : Mot corrigé." in " ".join(page.split())
    manifest = json.loads((tmp_path / "out/manifest.json").read_text())
    fr = manifest["policies"]["terms"]["revisions"][0]["documents"]["fr"]["global"]
    assert fr["corrections"] == [{"date": "2026-11-28", "note": "Mot corrigé."}]


def test_a_locked_text_that_vanished_fails(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory(SITE)
    cli("lock", str(site))
    (site / "content/terms/2024-01-01/fr.md").unlink()
    assert problems_of(site)[0] == (
        "policies.lock:7: error: the fr text of revision '2024-01-01' of policy 'terms' for region 'eu' is locked, but its source is gone: a text in effect must stay published. Restore it; if it must really go, remove line 7 from policies.lock and say why in the pull request"
    )


def test_a_broken_lock_file_is_reported(site_factory: SiteFactory) -> None:
    site = site_factory({**SITE, "policies.lock": "# header\nterms 2024-01-01 en\n"})
    assert problems_of(site) == [
        "policies.lock:2: error: this line of policies.lock cannot be read: run `policygen lock` to write the file again"
    ]


def test_new_starts_the_next_revision_from_the_source_text(
    site_factory: SiteFactory, cli: CLI
) -> None:
    site = site_factory(
        {**SITE, "content/terms/2024-01-01/en.eu.md": "---\n---\n## 1. Terms\n\nEU.\n"}
    )
    run = cli("new", "terms", "--effective", "2027-02-01", "--published", "2026-12-01", str(site))
    assert run.code == 0, run.err
    folder = site / "content/terms/2027-02-01"
    assert sorted(p.name for p in folder.iterdir()) == ["en.eu.md", "en.md"]
    assert (folder / "en.md").read_text() == (
        "---\ntitle: Terms\neffective: 2027-02-01\npublished: 2026-12-01\nsummary:   # what changed, in a sentence or two\n"
        "material: true\n---\n## 1. Terms\n\nBe nice.\n"
    )
    assert (folder / "en.eu.md").read_text() == "---\n---\n## 1. Terms\n\nEU.\n"
    assert "Next: edit the text" in run.err
    assert problems_of(site) == []
    assert (
        "content/terms/2027-02-01/en.md:1: warning: this revision has no summary: say in a sentence what changed (summary: …); pages, the history and the feed show it"
        in problems_of(site, severity="warning")
    )


def test_new_refuses_a_date_that_is_not_after_the_latest_revision(
    site_factory: SiteFactory, cli: CLI
) -> None:
    site = site_factory(SITE)
    run = cli("new", "terms", str(site), "--effective", "2024-01-01")
    assert run.code == 1
    assert (
        "the new revision must take effect after the latest one, '2024-01-01' (effective 2024-01-01); 2024-01-01 is not after it"
        in run.err
    )
    assert cli("new", "No Thing", str(site), "--effective", "2027-01-01").code == 1


def test_new_never_overwrites(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory({**SITE, "content/terms/2027-01-01/notes.txt": "mine"})
    run = cli("new", "terms", str(site), "--effective", "2027-01-01")
    assert run.code == 1  # the folder holds a stray file, which check reports first
    assert (site / "content/terms/2027-01-01/notes.txt").read_text() == "mine"


def test_status_lists_the_missing_texts_of_the_revisions_in_force_or_to_come_together(
    site_factory: SiteFactory, cli: CLI
) -> None:
    site = site_factory(
        {
            "site.yaml": SITE_YAML.replace("languages: [en, fr]", "languages: [en, fr, de, ja]"),
            "content/terms/2020-01-01/en.md": EN.replace("2024-01-01", "2020-01-01"),
            **SITE,
            "content/terms/2024-01-01/fr.eu.md": "---\n---\nUE.\n",
        }
    )
    run = cli("status", str(site), "--as-of", "2026-01-01")
    assert run.code == 0
    notes = [line for line in run.out.splitlines() if ": no " in line]
    # Languages missing in the same regions are one line; the superseded revision's missing
    # texts are in its row only.
    assert notes == [
        "  2024-01-01: no de, ja texts for global, eu: readers there get the source text with a notice"
    ]
    assert (
        "  2020-01-01  2020-01-01  superseded  done  MISSING      MISSING  MISSING  NO" in run.out
    )
    assert "  2020-01-01  fr" not in run.out  # nor its segments


def test_status_shows_the_translation_matrix(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory(
        {
            **SITE,
            "content/terms/2030-01-01/en.md": EN.replace("2024-01-01", "2030-01-01"),
            "content/terms/2024-01-01/en.eu.md": "---\n---\nEU.\n",
        }
    )
    cli("lock", str(site), "--as-of", "2026-01-01")
    run = cli("status", str(site), "--as-of", "2026-01-01")
    assert run.code == 0
    assert run.out.splitlines()[:6] == [
        "as of 2026-01-01",
        "",
        "terms",
        "  revision    effective   status     en           fr       locked",
        "  2024-01-01  2024-01-01  current    done+region  MISSING  yes",
        "  2030-01-01  2030-01-01  scheduled  done         MISSING  -",
    ]
    assert (
        "  2024-01-01: no fr text for eu: readers there get the source text with a notice"
        in run.out
    )
    assert (
        "  2030-01-01: published on 2030-01-01: not on the site before then; takes effect on 2030-01-01"
        in run.out
    )
    report = json.loads(cli("status", str(site), "--as-of", "2026-01-01", "--format", "json").out)
    assert report[0]["revisions"][1]["languages"] == {"en": "translated", "fr": "missing"}


def test_status_of_many_languages_fits_the_terminal(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    languages = "[en, fr, de, es, it, ja, ko, nl, pl, pt]"
    site = site_factory(
        {**SITE, "site.yaml": SITE_YAML.replace("languages: [en, fr]", f"languages: {languages}")}
    )
    monkeypatch.setenv("COLUMNS", "72")
    run = cli("status", str(site), "--as-of", "2026-01-01")
    assert run.code == 0
    # Each table repeats the revision's columns, and is at most 72 characters wide.
    assert run.out.splitlines()[2:13] == [
        "terms",
        "  revision    effective   status   en    fr    de       es       it",
        "  2024-01-01  2024-01-01  current  done  done  MISSING  MISSING  MISSING",
        "",
        "  revision    effective   status   ja       ko       nl       pl",
        "  2024-01-01  2024-01-01  current  MISSING  MISSING  MISSING  MISSING",
        "",
        "  revision    effective   status   pt       locked",
        "  2024-01-01  2024-01-01  current  MISSING  NO",
        "  2024-01-01: no de, es, it, ja, ko, nl, pl, pt texts for global, eu: readers there get the source text with a notice",
        "",
    ]


def test_short_notice_is_a_warning(site_factory: SiteFactory) -> None:
    site = site_factory(
        {
            **SITE,
            "content/terms/2024-06-01/en.md": "---\neffective: 2024-06-01\npublished: 2024-05-25\nsummary: x\n---\nT\n",
        }
    )
    site.joinpath("site.yaml").write_text(
        site.joinpath("site.yaml").read_text() + "notice_days: 30\n"
    )
    assert problems_of(site, severity="warning", code="short-notice") == [
        "content/terms/2024-06-01/en.md:3: warning: this material revision is published 7 days before it takes effect; notice_days in site.yaml asks for at least 30"
    ]


def test_a_translation_left_behind_is_a_warning(site_factory: SiteFactory) -> None:
    site = site_factory(
        {
            **SITE,
            "content/terms/2024-06-01/en.md": EN.replace("2024-01-01", "2024-06-01").replace(
                "nice", "kind"
            ),
            "content/terms/2024-06-01/fr.md": FR,
        }
    )
    assert problems_of(site, severity="warning", code="stale-translation") == [
        "content/terms/2024-06-01/fr.md:1: warning: this translation is the same as in revision '2024-01-01', but the en text changed: was it updated?"
    ]


def test_a_regional_fallback_takes_the_title_of_the_text_it_serves(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(
        {**SITE, "content/terms/2024-01-01/en.eu.md": "---\ntitle: Terms for the EU\n---\nEU.\n"}
    )
    build_site(site, tmp_path / "out")
    page = (tmp_path / "out/fr/eu/terms/index.html").read_text()
    assert '<h1 id="pg-title">Terms for the EU</h1>' in page
    assert (
        '<h1 id="pg-title">Conditions</h1>'
        in (tmp_path / "out/fr/global/terms/index.html").read_text()
    )


def test_an_upcoming_revision_can_be_locked_ahead_and_edited_until_it_takes_effect(
    site_factory: SiteFactory, cli: CLI
) -> None:
    upcoming = "---\ntitle: Terms\neffective: 2027-01-01\npublished: 2026-11-01\nsummary: Next.\n---\n## 1. Terms\n\nBe kind.\n"
    site = site_factory({**SITE, "content/terms/2027-01-01/en.md": upcoming})
    assert cli("lock", str(site), "--as-of", "2026-11-29").code == 0
    assert "terms 2027-01-01 en global effective=2027-01-01" in (site / "policies.lock").read_text()
    assert problems_of(site, dt.date(2027, 1, 1), severity="warning") == [], (
        "locked ahead: its day passes --strict"
    )
    (site / "content/terms/2027-01-01/en.md").write_text(upcoming.replace("kind", "very kind"))
    assert problems_of(site, dt.date(2026, 12, 1)) == [], "an upcoming revision stays editable"
    assert problems_of(site, dt.date(2027, 1, 1)) == [
        "content/terms/2027-01-01/en.md:1: error: this text was locked before it took effect (policies.lock line 9) and has changed since: if it changed before 2027-01-01, run `policygen lock` again; if it changed after, it must not change silently: undo the change, or record it under corrections: and run `policygen lock`"
    ]
    assert cli("lock", str(site), "--as-of", "2027-01-01").code == 0, (
        "lock accepts an edit made before the date"
    )
    assert problems_of(site, dt.date(2027, 1, 1), severity="warning") == []


def test_an_announced_text_changed_since_it_was_locked_is_a_warning(
    site_factory: SiteFactory, cli: CLI
) -> None:
    """Readers and the services that read the manifest were told of an announced text as it
    was locked: a change before it takes effect is allowed, but said."""
    upcoming = "---\ntitle: Terms\neffective: 2027-01-01\npublished: 2026-11-01\nsummary: Next.\n---\n## 1. Terms\n\nBe kind.\n"
    site = site_factory({**SITE, "content/terms/2027-01-01/en.md": upcoming})
    assert cli("lock", str(site), "--as-of", "2026-11-29").code == 0
    assert "corrections=0 state=announced" in (site / "policies.lock").read_text()
    changed = site / "content/terms/2027-01-01/en.md"
    changed.write_text(upcoming.replace("kind", "very kind"))
    assert problems_of(site, dt.date(2026, 12, 1), severity="warning") == [
        "content/terms/2027-01-01/en.md:1: warning: this text was announced on 2026-11-01 and locked (policies.lock line 9), and its text changed since: readers and the services that fetch the manifest were told of the text as locked. Run `policygen lock` to record the change; if readers must hear of it before 2027-01-01, announce the revision again (published: 2026-12-01)"
    ]
    assert cli("lock", str(site), "--as-of", "2026-12-01").code == 0
    assert problems_of(site, dt.date(2026, 12, 1), severity="warning") == []
    # Its dates are read by readers too: postponed, it is said the same way.
    changed.write_text(upcoming.replace("kind", "very kind").replace("2027-01-01", "2027-02-01"))
    assert "and its settings (dates, material, title or summary) changed since" in "".join(
        problems_of(site, dt.date(2026, 12, 1), severity="warning")
    )


def test_an_announced_revision_withdrawn_is_a_warning(site_factory: SiteFactory, cli: CLI) -> None:
    upcoming = "---\ntitle: Terms\neffective: 2027-01-01\npublished: 2026-11-01\nsummary: Next.\n---\n## 1. Terms\n\nBe kind.\n"
    site = site_factory({**SITE, "content/terms/2027-01-01/en.md": upcoming})
    assert cli("lock", str(site), "--as-of", "2026-11-29").code == 0
    (site / "content/terms/2027-01-01/en.md").unlink()
    (site / "content/terms/2027-01-01").rmdir()
    assert problems_of(site, dt.date(2026, 12, 1), severity="warning") == [
        "policies.lock:9: warning: the en text of revision '2027-01-01' of policy 'terms' for region 'eu' was announced and locked, but its source is gone: readers and the services that fetch the manifest were told it takes effect on 2027-01-01. If the revision is withdrawn, run `policygen lock` to record it, and tell them",
        "policies.lock:10: warning: the en text of revision '2027-01-01' of policy 'terms' for region 'global' was announced and locked, but its source is gone: readers and the services that fetch the manifest were told it takes effect on 2027-01-01. If the revision is withdrawn, run `policygen lock` to record it, and tell them",
    ]
    assert cli("lock", str(site), "--as-of", "2026-12-01").code == 0
    assert problems_of(site, dt.date(2026, 12, 1), severity="warning") == []


def test_a_text_locked_before_it_was_announced_may_change_until_then(
    site_factory: SiteFactory, cli: CLI
) -> None:
    scheduled = "---\ntitle: Terms\neffective: 2027-01-01\npublished: 2026-12-15\nsummary: Next.\n---\n## 1. Terms\n\nBe kind.\n"
    site = site_factory({**SITE, "content/terms/2027-01-01/en.md": scheduled})
    assert cli("lock", str(site), "--as-of", "2026-12-01").code == 0
    assert "corrections=0 state=upcoming" in (site / "policies.lock").read_text()
    (site / "content/terms/2027-01-01/en.md").write_text(scheduled.replace("kind", "very kind"))
    assert problems_of(site, dt.date(2026, 12, 20), severity="warning") == []


def test_locked_settings_may_not_change_silently(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory(SITE)
    cli("lock", str(site))
    source = site / "content/terms/2024-01-01/en.md"
    source.write_text(EN.replace("summary: First.\n", "summary: First.\nmaterial: false\n"))
    assert problems_of(site)[:1] == [
        "content/terms/2024-01-01/en.md:1: error: this text is in effect and locked (policies.lock line 5), but its settings (dates, material, title or summary) changed: a published policy must not change silently. If this is a correction, record it in the front matter (corrections: [{date: 2026-11-29, note: what was corrected}]) and run `policygen lock`; otherwise undo the change and start a new revision with `policygen new`"
    ]


def test_a_recorded_correction_may_not_be_removed(site_factory: SiteFactory, cli: CLI) -> None:
    corrected = FR.replace(
        "---\n## 1", "corrections:\n  - {date: 2026-11-28, note: Mot corrigé.}\n---\n## 1"
    )
    site = site_factory({**SITE, "content/terms/2024-01-01/fr.md": corrected})
    cli("lock", str(site))
    (site / "content/terms/2024-01-01/fr.md").write_text(FR)
    assert problems_of(site) == [
        "content/terms/2024-01-01/fr.md:1: error: a correction recorded for this text in effect was removed (policies.lock line 7 counts 1): corrections are part of the record; restore it"
    ]
