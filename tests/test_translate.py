"""policygen translate export and import, and the translation progress in policygen status."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from policygen.translation import memory
from policygen.translation.po import read_po, write_po
from policygen.translation.xliff import read_xliff, write_xliff

from .conftest import EXAMPLE_AS_OF, SITE_YAML, Run, SiteFactory, copy_example
from .unit.test_translation_files import assert_valid_xliff, babel_check, msgfmt_check

CLI = Callable[..., Run]
AS_OF = "2026-11-29"

EN_2024 = """\
---
title: Privacy Policy
effective: 2024-01-01
summary: First version.
---
## 1. Who we are

We are *Example*.

## 2. Cookies

See the [Cookies Policy](policy:cookies).

::: region eu
Rights under the GDPR.
:::
"""
FR_2024 = """\
---
title: Politique de confidentialité
summary: Première version.
---
## 1. Qui nous sommes

Nous sommes *Example*.

## 2. Cookies

Voir la [politique des cookies](policy:cookies).

::: region eu
Droits selon le RGPD.
:::
"""
EN_2027 = (
    EN_2024.replace("2024-01-01", "2027-01-01")
    .replace("First version.", "Adds a contact section.")
    .replace("We are *Example*.", "We are *Example*, a company.")
    + "\n## 3. Contact\n\nWrite to us.\n"
)
COOKIES = "---\ntitle: Cookies\neffective: 2024-01-01\n---\n## 1. Cookies\n\nNone.\n"
SITE = {
    "content/privacy/2024-01-01/en.md": EN_2024,
    "content/privacy/2024-01-01/fr.md": FR_2024,
    "content/privacy/2027-01-01/en.md": EN_2027,
    "content/cookies/2024-01-01/en.md": COOKIES,
    "content/cookies/2024-01-01/fr.md": COOKIES.replace("None.", "Aucun."),
}


@pytest.fixture
def site(site_factory: SiteFactory, cli: CLI) -> Path:
    made = site_factory(SITE)
    assert cli("lock", str(made), "--as-of", AS_OF).code == 0
    return made


def export(cli: CLI, site: Path, out: Path | str, *options: str) -> Run:
    return cli("translate", "export", str(site), "--as-of", AS_OF, "-o", str(out), *options)


def translated(path: Path, translations: dict[str, str], *, unfuzzy: bool = True) -> Path:
    """The exported file at `path`, with translations written in (as a translator would)."""
    file, problems = read_po(path.read_text(encoding="utf-8"), str(path))
    assert file is not None and not problems
    entries = tuple(
        dataclasses.replace(
            entry,
            translation=translations.get(entry.key, entry.translation),
            is_fuzzy=entry.is_fuzzy and not unfuzzy,
        )
        for entry in file.entries
    )
    path.write_text(write_po(dataclasses.replace(file, entries=entries)), encoding="utf-8")
    return path


def msgstr_line(path: Path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f'msgctxt "{key}"')
    return next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr")) + 1


FRENCH = {
    "summary": "Ajoute une section de contact.",
    "#section-1 1": "Nous sommes <1>Example</1>, une société.",
    "#section-3": "3. Contact",
    "#section-3 1": "Écrivez-nous.",
}


def test_export_fills_entries_from_the_sites_own_translations(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    run = export(cli, site, f"{tmp_path}/out/", "--language", "fr")
    path = tmp_path / "out/privacy-2027-01-01-fr.po"
    assert (run.code, run.err) == (
        0,
        f"policygen: wrote {path}: 9 entries: 5 carried over from translation memory, 1 fuzzy (to check), 3 to do\n",
    )
    text = path.read_text(encoding="utf-8")
    assert (
        "\n".join(
            [
                "#. heading, level 2",
                "#. from translation memory: content/privacy/2024-01-01/fr.md:9",
                "#: content/privacy/2027-01-01/en.md:10 #section-2",
                'msgctxt "#section-2"',
                'msgid "2. Cookies"',
                'msgstr "2. Cookies"',
            ]
        )
        in text
    )
    assert (
        "\n".join(
            [
                "#. paragraph",
                "#. placeholders: <1>…</1> emphasis *…*",
                "#. similar (80%) to the source of content/privacy/2024-01-01/fr.md:7",
                "#: content/privacy/2027-01-01/en.md:8 #section-1",
                "#, fuzzy",
                '#| msgid "We are <1>Example</1>."',
                'msgctxt "#section-1 1"',
                'msgid "We are <1>Example</1>, a company."',
                'msgstr "Nous sommes <1>Example</1>."',
            ]
        )
        in text
    )
    assert (
        'msgctxt "#section-2 2 [region eu]"\nmsgid "Rights under the GDPR."\nmsgstr "Droits selon le RGPD."'
        in text
    )
    babel_check(path)
    msgfmt_check(path)


def test_fuzzy_translations_are_looked_for_only_so_long(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each segment is compared with every text of memory: paragraphs each made of the
    words of every text of memory in another order pass every quick bound, and are compared
    in full, each with each. 400 took 7 seconds, 3,000 would take hours: the comparing of
    one command is counted, and the segments past it said."""
    words = [f"word{n}" for n in range(24)]

    def paragraph(n: int) -> str:
        return " ".join(words[n % 24 :] + words[: n % 24][::-1]) + "."

    old = "\n\n".join(paragraph(n) for n in range(0, 80, 2))
    new = "\n\n".join(paragraph(n) for n in range(1, 80, 2))
    site = site_factory(
        {
            "site.yaml": "title: T\nbase_url: https://x.example/\ndefault_language: en\n"
            "languages: [en, ja]\nregions:\n  global: {default: true}\n",
            "content/privacy/2024-01-01/en.md": f"---\ntitle: Privacy\neffective: 2024-01-01\n---\n{old}\n",
            "content/privacy/2024-01-01/ja.md": "---\ntitle: プライバシー\neffective: 2024-01-01\n---\n"
            + "\n\n".join(f"訳 {paragraph(n)}" for n in range(0, 80, 2))
            + "\n",
            "content/privacy/2025-01-01/en.md": f"---\ntitle: Privacy\neffective: 2025-01-01\n---\n{new}\n",
        }
    )
    monkeypatch.setattr(memory, "MAX_COMPARING", 100_000)
    run = cli(
        "translate", "export", "--language", "ja", "--as-of", "2025-06-01",
        "-o", str(tmp_path / "out"), str(site),
    )  # fmt: skip
    assert run.code == 0, run.err
    note = re.search(r"policygen: ([\d,]+) segments were compared with only part", run.err)
    assert note is not None, run.err
    assert 0 < int(note[1]) <= 40
    assert run.err.endswith(
        "segments were compared with only part of translation memory, or none, for a fuzzy "
        "translation: a command compares texts for some ten seconds at most (texts of "
        "thousands of segments, each like thousands of others, would take hours)\n"
    )
    run = cli("status", "--as-of", "2025-06-01", str(site))
    assert "segments were compared with only part of translation memory" in run.err


def test_export_writes_only_what_is_left_to_translate(site: Path, cli: CLI, tmp_path: Path) -> None:
    run = export(cli, site, tmp_path, "--language", "fr")
    assert [p.name for p in tmp_path.glob("*.po")] == ["privacy-2027-01-01-fr.po"]
    run = export(cli, site, tmp_path / "cookies.po", "--language", "fr", "--policy", "cookies")
    assert (run.code, run.err) == (
        0,
        "policygen: every revision in force or to come is translated into fr; name one with --revision to export it anyway\n",
    )
    run = export(
        cli,
        site,
        tmp_path / "c.po",
        "--language",
        "fr",
        "--policy",
        "cookies",
        "--revision",
        "2024-01-01",
    )
    assert run.code == 0 and "3 entries: 3 carried over" in run.err


def test_another_languages_text_that_cannot_be_cut_does_not_stop_an_export(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    # A German text of the same revision, with a block the segmenter cannot read: only the
    # English text is exported.
    german = FR_2024.replace("Nous sommes *Example*.", "<div><![x Wir</div>")
    made = site_factory(
        {
            **SITE,
            "site.yaml": SITE_YAML.replace("[en, fr]", "[en, fr, de]"),
            "content/privacy/2027-01-01/de.md": german,
        }
    )
    run = export(cli, made, tmp_path, "--language", "fr")
    assert (run.code, run.err) == (
        0,
        f"policygen: wrote {tmp_path}/privacy-2027-01-01-fr.po: 9 entries: 5 carried over from translation memory, 1 fuzzy (to check), 3 to do\n",
    )


@pytest.mark.parametrize("written", ["FR", "fr"])
def test_a_language_is_named_in_any_case(
    site: Path, cli: CLI, tmp_path: Path, written: str
) -> None:
    run = export(cli, site, tmp_path, "--language", written)
    assert run.code == 0, run.err
    assert [p.name for p in tmp_path.glob("*.po")] == ["privacy-2027-01-01-fr.po"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--language", "de"], ".: error: 'de' is not one of the site's languages (en, fr)"),
        (["--language", "fr", "--policy", "terms"], ".: error: there is no policy 'terms' (policies: cookies, privacy)"),
        (["--language", "fr", "--revision", "2030-01-01"], ".: error: there is no revision '2030-01-01' (revisions: 2024-01-01, 2024-01-01, 2027-01-01)"),
    ],
)  # fmt: skip
def test_export_names_what_does_not_exist(
    site: Path, cli: CLI, tmp_path: Path, options: list[str], message: str
) -> None:
    run = export(cli, site, tmp_path, *options)
    assert (run.code, run.err) == (1, message + "\n")


def test_a_finished_file_is_imported_as_markdown_with_the_source_structure(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "privacy-2027-01-01-fr.po", FRENCH)
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err) == (0, "policygen: wrote content/privacy/2027-01-01/fr.md\n")
    assert (site / "content/privacy/2027-01-01/fr.md").read_text(encoding="utf-8") == (
        "---\n"
        "title: Politique de confidentialité\n"
        "summary: Ajoute une section de contact.\n"
        "---\n"
        "## 1. Qui nous sommes\n\n"
        "Nous sommes *Example*, une société.\n\n"
        "## 2. Cookies\n\n"
        "Voir la [politique des cookies](policy:cookies).\n\n"
        "::: region eu\n"
        "Droits selon le RGPD.\n"
        ":::\n\n"
        "## 3. Contact\n\n"
        "Écrivez-nous.\n"
    )
    assert cli("check", str(site), "--strict", "--as-of", AS_OF).code == 0
    again = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert again.err == "policygen: content/privacy/2027-01-01/fr.md is unchanged\n"


def test_a_file_with_work_left_is_refused_entry_by_entry(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po",
        {"#section-3": "3. Contact {1}", "#section-3 1": "Écrivez-nous."},
        unfuzzy=False,
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.code == 1
    assert run.err.splitlines() == [
        f"{path}:{msgstr_line(path, 'summary')}: error: 'summary' is not translated yet (or import what is done with --partial)",
        f"{path}:{msgstr_line(path, '#section-1 1')}: error: '#section-1 1' is marked fuzzy: check its translation against the source, then remove the fuzzy mark",
        f"{path}:{msgstr_line(path, '#section-3')}: error: '#section-3': the translation has the placeholder {{1}}, which the source text does not have (it has none)",
        "policygen: nothing was imported: 3 errors",
    ]
    assert not (site / "content/privacy/2027-01-01/fr.md").exists()


def test_a_translation_that_reads_as_markup_is_refused(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po", {**FRENCH, "#section-3 1": "- Écrivez-nous."}
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.err.splitlines()[0] == (
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: the translation of '#section-3 1' changes the structure of the text: "
        "it is no longer read as a paragraph. Markdown reads some characters as markup (* _ ` [ ] < | and, at the start, # or a number and a dot): "
        "write a backslash before such a character (\\*) when it is text"
    )
    escaped = translated(path, {"#section-3 1": "\\- Écrivez-nous."})
    assert cli("translate", "import", str(site), str(escaped), "--as-of", AS_OF).code == 0


def test_a_file_made_from_an_older_source_is_refused(site: Path, cli: CLI, tmp_path: Path) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "privacy-2027-01-01-fr.po", FRENCH)
    source = site / "content/privacy/2027-01-01/en.md"
    source.write_text(source.read_text().replace("Write to us.", "Write to us today."))
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    line = (
        path.read_text()
        .split("\n")
        .index(next(line for line in path.read_text().split("\n") if "Source-SHA256" in line))
        + 1
    )
    assert run.err.splitlines()[0] == (
        f"{path}:{line}: error: the source text changed since this file was exported (content/privacy/2027-01-01/en.md): "
        "export the revision again (policygen translate export --language fr --policy privacy --revision 2027-01-01) "
        "and translate the new file; a translation tool with its own memory (Poedit, Weblate) fills it from this one"
    )


def test_an_import_never_changes_a_locked_text_without_a_correction(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    export(
        cli,
        site,
        tmp_path / "fr.po",
        "--language",
        "fr",
        "--policy",
        "privacy",
        "--revision",
        "2024-01-01",
    )
    path = translated(tmp_path / "fr.po", {"#section-1 1": "Nous sommes <1>Exemple</1>."})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    lock_line = 1 + (site / "policies.lock").read_text().split("\n").index(
        next(
            line
            for line in (site / "policies.lock").read_text().split("\n")
            if line.startswith("privacy 2024-01-01 fr global")
        )
    )
    revision_line = 1 + path.read_text().split("\n").index('"X-Policygen-Revision: 2024-01-01\\n"')
    assert run.err.splitlines()[0] == (
        f"{path}:{revision_line}: error: importing would change content/privacy/2024-01-01/fr.md, which is in effect and locked "
        f"(policies.lock line {lock_line}): a published text changes only with a correction. Record it in "
        "content/privacy/2024-01-01/fr.md first (corrections: [{date: 2026-11-29, note: what was corrected}]), then import again"
    )
    french = site / "content/privacy/2024-01-01/fr.md"
    french.write_text(
        FR_2024.replace(
            "---\n## 1.", "corrections: [{date: 2026-11-29, note: Company name.}]\n---\n## 1."
        )
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.code == 0
    assert "Nous sommes *Exemple*." in french.read_text()
    assert "corrections: [{date: 2026-11-29, note: Company name.}]" in french.read_text()


def test_a_partial_import_leaves_the_rest_in_the_source_language_and_says_so(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po", {"#section-3": "3. Contact"}, unfuzzy=False
    )
    run = cli("translate", "import", str(site), str(path), "--partial", "--as-of", AS_OF)
    assert (run.code, run.err) == (
        0,
        "policygen: wrote content/privacy/2027-01-01/fr.md; 3 segments left in en\n",
    )
    text = (site / "content/privacy/2027-01-01/fr.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\ntitle: Politique de confidentialité\nuntranslated:\n- summary\n- '#section-1 1'\n- '#section-3 1'\n---\n"
    )
    assert "We are *Example*, a company." in text and "## 3. Contact\n\nWrite to us.\n" in text
    check = cli("check", str(site), "--as-of", AS_OF)
    assert (check.code, check.err) == (
        0,
        "content/privacy/2027-01-01/fr.md:3: warning: this translation is partial: 3 segments are still in en (see `policygen status`); translate them and import the file again\n"
        "policygen: 1 warning\n",
    )
    status = json.loads(cli("status", str(site), "--as-of", AS_OF, "--format", "json").out)
    privacy = next(p for p in status if p["id"] == "privacy")
    assert privacy["revisions"][1]["segments"] == {
        "fr": {"segments": 9, "translated": 6, "carried_over": 0, "fuzzy": 1, "to_do": 2}
    }
    again = export(cli, site, tmp_path / "again.po", "--language", "fr")
    assert (
        "9 entries: 6 carried over from translation memory, 1 fuzzy (to check), 2 to do"
        in again.err
    )


def test_status_shows_segments_per_revision_and_language(site: Path, cli: CLI) -> None:
    run = cli("status", str(site), "--as-of", AS_OF)
    assert run.out.split("privacy\n")[1].split("\n\n")[1].splitlines() == [
        "  segments    language  total  translated  carried over  fuzzy  to do",
        "  2024-01-01  fr        7      7           0             0      0",
        "  2027-01-01  fr        9      0           5             1      3",
    ]


def test_exporting_the_source_language_and_importing_it_gives_it_back(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    before = (site / "content/privacy/2027-01-01/en.md").read_bytes()
    for form in ("po", "xliff"):
        out = tmp_path / f"en.{form}"
        assert (
            export(
                cli, site, out, "--language", "en", "--revision", "2027-01-01", "--format", form
            ).code
            == 0
        )
        run = cli("translate", "import", str(site), str(out), "--as-of", AS_OF)
        assert (run.code, run.err) == (
            0,
            "policygen: content/privacy/2027-01-01/en.md is unchanged\n",
        )
    assert (site / "content/privacy/2027-01-01/en.md").read_bytes() == before


def test_a_file_made_for_a_translation_never_changes_the_source_text(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    # A French file whose language is changed to English, its title and summary given back
    # in English: before, the import rewrote the English text with what it held.
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po",
        {
            **FRENCH,
            "title": "Privacy Policy",
            "summary": "Adds a contact section.",
            "#section-3 1": "We sell your data.",
        },
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"Language: fr\\n"', '"Language: en\\n"'), encoding="utf-8")
    before = (site / "content/privacy/2027-01-01/en.md").read_bytes()
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.code == 1
    assert (
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: '#section-3 1' of a text in the source language is changed in the file itself (content/privacy/2027-01-01/en.md), not by an import\n"
        in run.err
    )
    assert run.err.endswith("policygen: nothing was imported: 5 errors\n")
    assert (site / "content/privacy/2027-01-01/en.md").read_bytes() == before


def test_an_xliff_file_goes_the_same_way(site: Path, cli: CLI, tmp_path: Path) -> None:
    out = tmp_path / "fr.xlf"
    assert export(cli, site, out, "--language", "fr", "--format", "xliff").code == 0
    assert_valid_xliff(out.read_text(encoding="utf-8"))
    file, _ = read_xliff(out.read_text(encoding="utf-8"), str(out))
    assert file is not None
    entries = tuple(
        dataclasses.replace(e, translation=FRENCH.get(e.key, e.translation), is_fuzzy=False)
        for e in file.entries
    )
    out.write_text(write_xliff(dataclasses.replace(file, entries=entries)), encoding="utf-8")
    run = cli("translate", "import", str(site), str(out), "--as-of", AS_OF)
    assert (run.code, run.err) == (0, "policygen: wrote content/privacy/2027-01-01/fr.md\n")


def translated_xliff(cli: CLI, site: Path, out: Path, translations: dict[str, str]) -> Path:
    """The exported XLIFF file of the upcoming revision, with translations written in."""
    assert export(cli, site, out, "--language", "fr", "--format", "xliff").code == 0
    file, _ = read_xliff(out.read_text(encoding="utf-8"), str(out))
    assert file is not None
    entries = tuple(
        dataclasses.replace(e, translation=translations.get(e.key, e.translation), is_fuzzy=False)
        for e in file.entries
    )
    out.write_text(write_xliff(dataclasses.replace(file, entries=entries)), encoding="utf-8")
    return out


def test_an_xliff_file_is_read_as_the_utf_8_it_is_whatever_its_declaration_says(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    # Before, expat decoded the UTF-8 bytes as the declaration said: "Écrivez-nous" was
    # imported as "Ã‰crivez-nous", or refused for a control character of that reading.
    out = translated_xliff(cli, site, tmp_path / "fr.xlf", FRENCH)
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), encoding="utf-8")
    run = cli("translate", "import", str(site), str(out), "--as-of", AS_OF)
    assert (run.code, run.err) == (0, "policygen: wrote content/privacy/2027-01-01/fr.md\n")
    written = (site / "content/privacy/2027-01-01/fr.md").read_text(encoding="utf-8")
    assert "Écrivez-nous." in written and "une société" in written


def test_a_file_that_is_not_utf_8_is_refused_at_its_line(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "privacy-2027-01-01-fr.po", FRENCH)
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    line = text[: text.index("é")].count("\n") + 1
    other = translated_xliff(cli, site, tmp_path / "fr.xlf", {})
    run = cli("translate", "import", str(site), str(path), str(other), "--as-of", AS_OF)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"{path}:{line}: error: this file is not UTF-8 text (it says it is ISO-8859-1; policygen reads translators' files as UTF-8, as it writes them): save it with the UTF-8 encoding"
    )
    # The other file is read all the same, and its problems reported with it.
    assert f"{other}:" in run.err and "is not translated yet" in run.err
    assert not (site / "content/privacy/2027-01-01/fr.md").exists()


# The example site.


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "site")


def test_the_upcoming_revision_in_japanese_is_mostly_carried_over(
    example_site: Path, cli: CLI, tmp_path: Path
) -> None:
    run = cli(
        "translate", "export", str(example_site), "--language", "ja", "-o", f"{tmp_path}/ja/",
        "--as-of", EXAMPLE_AS_OF.isoformat(),
    )  # fmt: skip
    path = tmp_path / "ja/privacy-2027-01-01-ja.po"
    assert run.err == (
        f"policygen: wrote {path}: 153 entries: 132 carried over from translation memory, 11 fuzzy (to check), 10 to do\n"
    )
    babel_check(path)
    msgfmt_check(path)
    file, _ = read_po(path.read_text(encoding="utf-8"), str(path))
    assert file is not None
    # Whatever memory did not fill is "translated" into 字: placeholders have no letters.
    translated(
        path, {e.key: e.translation or re.sub(r"[A-Za-z]", "字", e.source) for e in file.entries}
    )
    run = cli(
        "translate", "import", str(example_site), str(path), "--as-of", EXAMPLE_AS_OF.isoformat()
    )
    assert run.err == (
        "policygen: wrote content/privacy/2027-01-01/ja.md\n"
        "policygen: wrote content/privacy/2027-01-01/ja.europe.md\n"
    )
    check = cli("check", str(example_site), "--strict", "--as-of", EXAMPLE_AS_OF.isoformat())
    assert (check.code, check.err) == (0, "policygen: no problems\n")
    status = json.loads(
        cli(
            "status", str(example_site), "--as-of", EXAMPLE_AS_OF.isoformat(), "--format", "json"
        ).out
    )
    privacy = next(p for p in status if p["id"] == "privacy")
    assert privacy["revisions"][2]["languages"]["ja"] == "region"
    assert privacy["revisions"][2]["segments"]["ja"]["translated"] == 153


def test_every_translation_of_the_example_site_goes_back_unchanged(
    example_site: Path, cli: CLI, tmp_path: Path
) -> None:
    as_of = EXAMPLE_AS_OF.isoformat()
    for policy, revision in (
        ("privacy", "2021-04-01"),
        ("privacy", "2022-07-07"),
        ("cookies", "2025-04-01"),
    ):
        out = tmp_path / f"{policy}-{revision}.po"
        cli("translate", "export", str(example_site), "--language", "ja", "--policy", policy, "--revision", revision, "-o", str(out), "--as-of", as_of)  # fmt: skip
        babel_check(out)
        msgfmt_check(out)
        run = cli("translate", "import", str(example_site), str(out), "--as-of", as_of)
        assert run.code == 0 and "wrote" not in run.err, run.err


def test_a_control_character_in_a_translation_is_refused(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po", {**FRENCH, "#section-3 1": "Écrivez\x07-nous."}
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.err.splitlines()[0] == (
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: the translation of '#section-3 1' has an invisible control character (U+0007): remove it"
    )


def test_a_control_character_written_as_a_reference_in_a_translation_is_refused(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    """Markdown reads '&#xE0041;' as the tag character it writes: the import wrote it, and
    `policygen check` then refused the text it had written."""
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po",
        {**FRENCH, "#section-3 1": "Écrivez-nous &#xE0041;&#7;."},
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err.splitlines()[0]) == (
        1,
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: the translation of '#section-3 1' has '&#xE0041;', which writes an invisible tag character (U+E0041), which hides text from readers: remove it",
    )
    assert not (site / "content/privacy/2027-01-01/fr.md").exists()


def test_a_bidirectional_override_in_a_translation_is_refused(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    # Before, the import wrote it, and only `policygen check` warned of it afterwards.
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po",
        {**FRENCH, "#section-3 1": "Nous \u202ene\u202c vendons rien."},
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err) == (
        1,
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: the translation of '#section-3 1' has a right-to-left override (U+202E), which shows the characters after it in another order than they are written: readers see 'en' where the text holds 'ne'; delete it (the page gives each language its direction)\n"
        "policygen: nothing was imported: 1 error\n",
    )
    assert not (site / "content/privacy/2027-01-01/fr.md").exists()


ARABIC = {
    "title": "سياسة \u2067Cookies\u2069",
    "#section-1": "1. ملفات \u2067Cookies\u2069",
    "#section-1 1": "لا شيء لدى \u202bExample Inc.\u202c منذ \u20672024/05/14\u2069.",
}


def arabic_file(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, form: str, translations: dict[str, str]
) -> tuple[Path, Path]:
    """A site with Arabic among its languages, and the translator's file of its Cookies
    Policy in Arabic (PO or XLIFF), translated."""
    made = site_factory({**SITE, "site.yaml": SITE_YAML.replace("[en, fr]", "[en, fr, ar]")})
    out = tmp_path / f"ar.{form}"
    options = ("--policy", "cookies", "--revision", "2024-01-01", "--format", form)
    assert export(cli, made, out, "--language", "ar", *options).code == 0
    read = read_po if form == "po" else read_xliff
    file, _ = read(out.read_text(encoding="utf-8"), str(out))
    assert file is not None
    entries = tuple(
        dataclasses.replace(e, translation=translations[e.key], is_fuzzy=False)
        for e in file.entries
    )
    write = write_po if form == "po" else write_xliff
    out.write_text(write(dataclasses.replace(file, entries=entries)), encoding="utf-8")
    return made, out


@pytest.mark.parametrize("form", ["po", "xliff"])
def test_a_right_to_left_isolate_around_a_latin_name_in_a_translation_is_imported(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, form: str
) -> None:
    """Arabic and Hebrew translators set English names, dates and versions apart in an
    isolate or embedding: their words show in the order they are written. Before, the
    import refused them all as if they reordered the text."""
    made, path = arabic_file(site_factory, cli, tmp_path, form, ARABIC)
    run = cli("translate", "import", str(made), str(path), "--as-of", AS_OF)
    assert (run.code, run.err) == (0, "policygen: wrote content/cookies/2024-01-01/ar.md\n")
    text = (made / "content/cookies/2024-01-01/ar.md").read_text(encoding="utf-8")
    assert "\u202bExample Inc.\u202c" in text and "\u2067Cookies\u2069" in text
    check = cli("check", str(made), "--as-of", AS_OF)
    assert check.code == 0 and "bidi-override" not in check.err and "U+20" not in check.err


@pytest.mark.parametrize("form", ["po", "xliff"])
def test_a_right_to_left_isolate_that_reverses_numbers_in_a_translation_is_refused(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, form: str
) -> None:
    hostile = {**ARABIC, "#section-1 1": "نحتفظ بها \u202b14 30\u202c يوما."}
    made, path = arabic_file(site_factory, cli, tmp_path, form, hostile)
    run = cli("translate", "import", str(made), str(path), "--as-of", AS_OF)
    assert run.code == 1
    assert run.err.splitlines()[0].endswith(
        ": error: the translation of '#section-1 1' has a right-to-left embedding (U+202B) around words written left to right, which shows them in another order than they are written: readers see '30 14' where the text holds '14 30'; delete it (the page gives each language its direction)"
    )
    assert not (made / "content/cookies/2024-01-01/ar.md").exists()


def test_an_invisible_character_that_splits_a_word_in_a_translation_is_refused(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    """A translator's tool shows no zero width space: `check` would warn of it only after the
    import wrote it. A soft hyphen between two letters says where a word may break, and is
    imported."""
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po",
        {**FRENCH, "#section-3 1": "Nous ne ven\u200bdons rien."},
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err) == (
        1,
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: the translation of '#section-3 1' has an invisible zero width space (U+200B) inside the word 'vendons', which readers see whole while a search for it finds nothing: delete it\n"
        "policygen: nothing was imported: 1 error\n",
    )
    # Written as a character reference, which Markdown reads as the character.
    path = translated(path, {**FRENCH, "#section-3 1": "Nous ne ven&#8203;dons rien."})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.err.splitlines()[0] == (
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: the translation of '#section-3 1' has '&#8203;', which writes an invisible zero width space (U+200B) inside the word 'vendons', which readers see whole while a search for it finds nothing: delete it"
    )
    # A Cyrillic е in a French word reads the same, and no search finds the word.
    path = translated(path, {**FRENCH, "#section-3 1": "Nous ne v\u0435ndons rien."})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.err.splitlines()[0] == (
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: the translation of '#section-3 1' has the word 'v\u0435ndons', which mixes Cyrillic and Latin letters, many of which look alike: its '\u0435' is the cyrillic small letter ie (U+0435), so that readers see a word a search for it does not find; write it in one script"
    )
    path = translated(path, {**FRENCH, "#section-3 1": "Nous ne v&#x435;ndons rien."})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.err.splitlines()[0] == (
        f"{path}:{msgstr_line(path, '#section-3 1')}: error: the translation of '#section-3 1' has the word 'v\u0435ndons' (written 'v&#x435;ndons'), which mixes Cyrillic and Latin letters, many of which look alike: its '\u0435' is the cyrillic small letter ie (U+0435), so that readers see a word a search for it does not find; write it in one script"
    )
    path = translated(path, {**FRENCH, "#section-3 1": "Nous ne ven\u00addons rien."})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err) == (0, "policygen: wrote content/privacy/2027-01-01/fr.md\n")


def test_several_revisions_are_exported_into_a_folder(site: Path, cli: CLI, tmp_path: Path) -> None:
    run = export(cli, site, tmp_path / "all.po", "--language", "fr", "--revision", "2024-01-01")
    assert (run.code, run.err) == (
        2,
        f"policygen translate export: 2 revisions to export, one file each: -o names a folder, not {tmp_path / 'all.po'}\n",
    )
    run = export(cli, site, f"{tmp_path}/fr/", "--language", "fr", "--revision", "2024-01-01")
    assert run.code == 0
    assert sorted(p.name for p in (tmp_path / "fr").iterdir()) == [
        "cookies-2024-01-01-fr.po",
        "privacy-2024-01-01-fr.po",
    ]


@pytest.mark.parametrize(
    ("key", "translation"),
    [
        ("#section-3 1", "::: region eu"),
        ("#section-3 1", ":::"),
        ("#section-2 2 [region eu]", ":::"),
    ],
)
def test_a_translation_that_opens_or_closes_a_region_block_is_refused(
    site: Path, cli: CLI, tmp_path: Path, key: str, translation: str
) -> None:
    # Before, the translation was written, and `policygen check` then failed on the text.
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "privacy-2027-01-01-fr.po", {**FRENCH, key: translation})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err.splitlines()[0]) == (
        1,
        f"{path}:{msgstr_line(path, key)}: error: the translation of '{key}' changes the structure of the text: "
        "it opens or closes a region block (:::). Markdown reads some characters as markup (* _ ` [ ] < | and, at the start, # or a number and a dot): "
        "write a backslash before such a character (\\*) when it is text",
    )
    assert not (site / "content/privacy/2027-01-01/fr.md").exists()
    escaped = translated(path, {key: "\\" + translation})
    assert cli("translate", "import", str(site), str(escaped), "--as-of", AS_OF).code == 0
    assert cli("check", str(site), "--strict", "--as-of", AS_OF).code == 0


@pytest.mark.parametrize(
    ("key", "translation", "written"),
    [
        ("#section-3", "3. Contact {#cookies}", "{#cookies}"),
        ("#section-3 1", "Écrivez-nous. {: #consent }", "{: #consent }"),
        ("#section-1 1", "Nous sommes <1>Example</1>{: #x }, une société.", "{: #x }"),
    ],
)
def test_a_translation_that_writes_an_attribute_list_is_refused(
    site: Path, cli: CLI, tmp_path: Path, key: str, translation: str, written: str
) -> None:
    """An attribute list gives what it ends an id: the structure of the text stays the
    source's, and no placeholder shows it."""
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "privacy-2027-01-01-fr.po", {**FRENCH, key: translation})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err.splitlines()[0]) == (
        1,
        f"{path}:{msgstr_line(path, key)}: error: the translation of '{key}' has the attribute list '{written}', which Markdown reads as markup: "
        "it would give what it ends an id of the translation's choosing. Write a backslash before '{' when it is text",
    )
    assert not (site / "content/privacy/2027-01-01/fr.md").exists()
    escaped = translated(path, {key: translation.replace("{", "\\{")})
    assert cli("translate", "import", str(site), str(escaped), "--as-of", AS_OF).code == 0
    assert cli("check", str(site), "--strict", "--as-of", AS_OF).code == 0


@pytest.mark.parametrize(
    ("key", "translation"),
    [
        ("#section-3 1", "<script>alert(1)</script>"),
        ("#section-3 1", '<a href="javascript:alert(1)">Écrivez</a>-nous.'),
        ("#section-3 1", "Écrivez <img src=x onerror=alert(1)>"),
        ("#section-3 1", "<https://evil.example>"),
        ("#section-3 1", "![Écrivez](https://evil.example/x.png)"),
        ("#section-3 1", "[Écrivez](policy:cookies)-nous."),
        ("#section-3 1", "<!-- Écrivez-nous."),
        ("#section-1 1", "Nous sommes <1>Example</1>, <1>une</1> société."),
    ],
)
def test_markup_a_translator_writes_never_reaches_the_text(
    site: Path, cli: CLI, tmp_path: Path, key: str, translation: str
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "privacy-2027-01-01-fr.po", {**FRENCH, key: translation})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.code == 1
    assert run.err.splitlines()[-1].startswith("policygen: nothing was imported: ")
    assert not (site / "content/privacy/2027-01-01/fr.md").exists()


@pytest.mark.parametrize(
    "translation",
    [
        "[Écrivez](javascript:alert(1))-nous.",
        "<javascript:alert(1)>",
        "{{ contact }} {% x %}",
        # Not a placeholder: one of 5,000 digits crashed the import.
        "Écrivez-nous {" + "1" * 5000 + "} <" + "2" * 5000 + ">.",
    ],
)
def test_what_markdown_reads_as_text_is_written_and_shown_as_text(
    site: Path, cli: CLI, tmp_path: Path, translation: str
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po", {**FRENCH, "#section-3 1": translation}
    )
    assert cli("translate", "import", str(site), str(path), "--as-of", AS_OF).code == 0
    assert cli("check", str(site), "--as-of", AS_OF).code == 0
    out = tmp_path / "out"
    assert cli("build", str(site), "-o", str(out), "--as-of", AS_OF).code == 0
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("fr/**/*.html")]
    assert pages and not any('href="javascript:' in page for page in pages)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "X-Policygen-Policy: privacy",
            "X-Policygen-Policy: ../../etc",
            18,
            "this file is for revision '2027-01-01' of policy '../../etc', which the site does not have",
        ),
        (
            "X-Policygen-Revision: 2027-01-01",
            "X-Policygen-Revision: 2030-01-01",
            18,
            "this file is for revision '2030-01-01' of policy 'privacy', which the site does not have",
        ),
        (
            '"Language: fr\\n"',
            '"Language: ../fr\\n"',
            13,
            "this file translates en into ../fr; the site translates en into en, fr",
        ),
        (
            "X-Policygen-Source-Language: en",
            "X-Policygen-Source-Language: fr",
            13,
            "this file translates fr into fr; the site translates en into en, fr",
        ),
    ],
)
def test_a_file_written_for_another_policy_revision_or_language_is_refused(
    site: Path, cli: CLI, tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "privacy-2027-01-01-fr.po", FRENCH)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err) == (
        1,
        f"{path}:{line}: error: {message}\npolicygen: nothing was imported: 1 error\n",
    )
    assert sorted(p.name for p in (site / "content/privacy/2027-01-01").iterdir()) == ["en.md"]


def test_an_entry_for_a_section_the_source_does_not_have_is_refused(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "privacy-2027-01-01-fr.po", FRENCH)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + '\nmsgctxt "#section-9 1"\nmsgid "Nothing."\nmsgstr "<b>Rien.</b>"\n',
        encoding="utf-8",
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    end = len(text.split("\n")) + 3
    assert (run.code, run.err) == (
        1,
        f"{path}:{end}: error: the source text has no segment '#section-9 1': this entry does not belong to this file\n"
        "policygen: nothing was imported: 1 error\n",
    )


def test_a_carriage_return_in_a_translation_is_a_line_break(
    site: Path, cli: CLI, tmp_path: Path
) -> None:
    # Before, "\r" (a PO escape, or "&#13;" in XLIFF) made the import fail as a bug in
    # policygen, or refused a translation that only broke a line.
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(
        tmp_path / "privacy-2027-01-01-fr.po",
        {**FRENCH, "#section-3 1": "Écrivez-\r\nnous\rvite.", "#section-3": "3.\r\rContact"},
    )
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.code == 0, run.err
    text = (site / "content/privacy/2027-01-01/fr.md").read_bytes().decode("utf-8")
    assert text.endswith("\n\n## 3. Contact\n\nÉcrivez- nous vite.\n")
    assert cli("check", str(site), "--strict", "--as-of", AS_OF).code == 0
    markup = translated(path, {"#section-3 1": "Écrivez-nous.\r\r<script>alert(1)</script>"})
    run = cli("translate", "import", str(site), str(markup), "--as-of", AS_OF)
    assert run.code == 1 and "nothing was imported: 1 error" in run.err, run.err


JA_SITE = {
    "site.yaml": "title: {ja: 規約, en: Policies}\nbase_url: https://policies.example.org/\n"
    "default_language: ja\nlanguages: [ja, en]\ntimezone: Asia/Tokyo\n"
    "regions:\n  global: {default: true, name: {ja: 全世界, en: Everywhere}}\n",
    "content/privacy/2024-01-01/ja.md": "---\ntitle: プライバシーポリシー\n"
    "effective: 2024-01-01\n---\n## 1. 目的\n\n当社は、個人情報の\n取扱いについて定めます。\n",
}


def test_a_line_break_inside_a_japanese_sentence_is_no_space_for_the_translator(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    site = site_factory(JA_SITE, with_defaults=False)
    assert cli("lock", str(site), "--as-of", AS_OF).code == 0
    assert export(cli, site, f"{tmp_path}/out/", "--language", "en").code == 0
    path = tmp_path / "out/privacy-2024-01-01-en.po"
    assert 'msgid "当社は、個人情報の取扱いについて定めます。"' in path.read_text("utf-8")
    # A file exported before such line breaks were joined names the segment as it was then.
    path.write_text(
        path.read_text("utf-8").replace("個人情報の取扱い", "個人情報の 取扱い"), "utf-8"
    )
    words = {"title": "Privacy Policy", "#section-1": "1. Purpose"}
    translated(path, {**words, "#section-1 1": "We set out how we handle it."})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.code == 0, run.err
    assert "We set out how we handle it." in (site / "content/privacy/2024-01-01/en.md").read_text(
        "utf-8"
    )
    # Other words in a msgid are still refused.
    path.write_text(path.read_text("utf-8").replace("個人情報の 取扱い", "個人情報の扱い"), "utf-8")
    (site / "content/privacy/2024-01-01/en.md").unlink()
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert run.code == 1 and "is not the source text" in run.err


TABLE_EN = """\
---
title: Cookies
effective: 2027-01-01
---
## 1. Cookies

| Name | Purpose |
| --- | --- |
| sid | Session |
"""
TABLE_FR = {
    "title": "Cookies",
    "#section-1": "1. Cookies",
    "#section-1 1": "Nom",
    "#section-1 2": "Finalité",
    "#section-1 3": "sid",
    "#section-1 4": "Séance",
}


@pytest.mark.parametrize(
    ("translations", "key", "shown"),
    [
        # A '|' ends a cell: 'x' was shown as the next cell, and its translation dropped.
        ({"#section-1 3": "sid | x", "#section-1 4": "Séance"}, "#section-1 3", "sid"),
        # Past the header's cells, a row's cells are not shown at all.
        ({"#section-1 4": "Séance | nous vendons vos données"}, "#section-1 4", "Séance"),
        # A heading's closing '#'s are not shown.
        ({"#section-1": "1. Cookies ###"}, "#section-1", "1. Cookies"),
    ],
)
def test_a_translation_that_markdown_shows_only_part_of_is_refused(
    site_factory: SiteFactory,
    cli: CLI,
    tmp_path: Path,
    translations: dict[str, str],
    key: str,
    shown: str,
) -> None:
    site = site_factory({"content/cookies/2027-01-01/en.md": TABLE_EN})
    export(cli, site, tmp_path, "--language", "fr")
    path = translated(tmp_path / "cookies-2027-01-01-fr.po", {**TABLE_FR, **translations})
    run = cli("translate", "import", str(site), str(path), "--as-of", AS_OF)
    assert (run.code, run.err.splitlines()[0]) == (
        1,
        f"{path}:{msgstr_line(path, key)}: error: the translation of '{key}' changes the structure of the text: "
        f"Markdown reads only '{shown}' of it as its words. Markdown reads some characters as markup "
        "(* _ ` [ ] < | and, at the start, # or a number and a dot): write a backslash before such a character (\\*) when it is text",
    )
    assert not (site / "content/cookies/2027-01-01/fr.md").exists()
    escaped = translated(
        path, {k: v.replace("|", "\\|").replace("#", "\\#") for k, v in translations.items()}
    )
    assert cli("translate", "import", str(site), str(escaped), "--as-of", AS_OF).code == 0
    assert cli("check", str(site), "--strict", "--as-of", AS_OF).code == 0
