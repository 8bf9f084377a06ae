"""policygen import: Word, saved web pages and Markdown brought in as revisions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ALIAS_BOMB, Run, SiteFactory, problems_of
from .fixtures.word import make_stray_controls_docx, write_policy_docx

CLI = Callable[..., Run]
FIXTURES = Path(__file__).parent / "fixtures"
SITE_YAML = """\
title: Example
base_url: https://policies.example.org/
default_language: en
languages: [en, fr]
timezone: Europe/Dublin
regions:
  global: {default: true}
  eu: {countries: [FR, IE]}
"""
DOCX_BODY = """\
Example Ltd (**we**) respects your privacy. This policy says what we collect and why.

## 1. Who we are

Example Ltd, 1 Main Street, Dublin, Ireland. Write to *privacy@example.org*.

## 2. What we collect

We collect your name, your email address and the pages you read.[^1]

1. To answer your messages.
2. To keep our service secure.
3. To meet the law.

- Email address
- Browser type

## 3. Who we share it with

| Recipient | Purpose | Country |
| --- | --- | --- |
| Mailer Inc. | Sending email | United States |
| Hosting Ltd | Keeping the site online | Ireland |

## 4. Your rights

You may ask for a copy of your data; see [your rights](https://www.example.org/rights).

[^1]: As the law of Ireland defines it.
"""


@pytest.fixture
def site(site_factory: SiteFactory) -> Path:
    return site_factory({"site.yaml": SITE_YAML})


def test_a_word_file_with_tracked_changes_is_refused(cli: CLI, site: Path, tmp_path: Path) -> None:
    docx = write_policy_docx(tmp_path / "privacy.docx")
    run = cli("import", str(docx), "--policy", "privacy", "--effective", "2026-01-01", str(site))
    assert run.code == 1
    assert run.err == (
        f'{docx}: paragraph 6: tracked insertion by Alice Martin on 2026-03-02: "your name,"\n'
        f'{docx}: paragraph 6: tracked deletion by Alice Martin on 2026-03-02: "your shoe size,"\n'
        f"policygen: {docx} has 2 tracked changes not yet accepted or rejected, so its text is not final: nothing was imported. "
        "Accept or reject them in Word and import the file again, or import it with --accept-changes to take the text as if every change were accepted\n"
    )
    assert not (site / "content").exists()


def test_a_word_file_becomes_a_first_revision(cli: CLI, site: Path, tmp_path: Path) -> None:
    docx = write_policy_docx(tmp_path / "privacy.docx")
    run = cli(
        "import",
        str(docx),
        "--policy",
        "privacy",
        "--effective",
        "2026-01-01",
        "--accept-changes",
        str(site),
    )
    assert run.code == 0, run.err
    assert (site / "content/privacy/policy.yaml").read_text() == "title: Privacy Policy\n"
    assert (site / "content/privacy/2026-01-01/en.md").read_text() == (
        "---\ntitle: Privacy Policy\neffective: 2026-01-01\npublished: 2026-01-01\n"
        "summary:   # what changed, in a sentence or two\n---\n" + DOCX_BODY
    )
    lines = run.err.splitlines()
    assert lines[:3] == [
        "policygen: imported " + str(docx) + " as the en text of revision 2026-01-01 of 'privacy':",
        "  content/privacy/policy.yaml",
        "  content/privacy/2026-01-01/en.md",
    ]
    assert lines[lines.index("Tracked changes taken as accepted (2):") + 1 :][:8] == [
        f'  {docx}: paragraph 6: tracked insertion by Alice Martin on 2026-03-02: "your name,"',
        f'  {docx}: paragraph 6: tracked deletion by Alice Martin on 2026-03-02: "your shoe size,"',
        "Not carried over as it was (2):",
        f'  {docx}: paragraph 4: left out a comment by Bob: "Check the address with Legal."',
        f'  {docx}: paragraph 22: left out an image after "Ireland": policy pages show no images; describe it in words',
        "Next: read the new text against the original; write in 'summary:' what changed; preview with `policygen serve`;",
        "check with `policygen check`; when the text is final, run `policygen lock` and commit policies.lock with it.",
    ]
    assert problems_of(site) == []
    assert cli("lock", str(site)).code == 0
    assert cli("check", "--strict", str(site)).code == 0
    out = tmp_path / "out"
    assert cli("build", str(site), "-o", str(out)).code == 0
    page = (out / "en/global/privacy/index.html").read_text()
    assert '<h2 id="section-2">' in page and "2. What we collect" in page
    assert "<ol>\n<li>To answer your messages.</li>" in page
    assert "<td>Mailer Inc.</td>" in page


def test_a_word_file_without_tracked_changes_needs_no_option(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    docx = write_policy_docx(
        tmp_path / "p.docx", tracked=False, comment=False, footnote=False, image=False
    )
    run = cli("import", str(docx), "--policy", "privacy", "--effective", "2026-01-01", str(site))
    assert run.code == 0, run.err
    assert "Not carried over" not in run.err and "Tracked changes" not in run.err


def test_the_next_revision_and_a_translation_are_imported_beside_the_first(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    first = tmp_path / "v1.md"
    first.write_text("# Privacy\n\n## 1. Data\n\nWe keep nothing.\n")
    second = tmp_path / "v2.md"
    second.write_text("# Privacy\n\n## 1. Data\n\nWe keep your email.\n")
    french = tmp_path / "fr.md"
    french.write_text("# Confidentialité\n\n## 1. Données\n\nNous gardons votre adresse.\n")
    assert (
        cli(
            "import", str(first), "--policy", "privacy", "--effective", "2025-01-01", str(site)
        ).code
        == 0
    )
    run = cli(
        "import", str(second), "--policy", "privacy", "--effective", "2026-01-01",
        "--published", "2025-11-01", "--summary", "We keep your email.", str(site),
    )  # fmt: skip
    assert run.code == 0, run.err
    assert (site / "content/privacy/2026-01-01/en.md").read_text() == (
        "---\ntitle: Privacy\neffective: 2026-01-01\npublished: 2025-11-01\nsummary: We keep your email.\n"
        "---\n## 1. Data\n\nWe keep your email.\n"
    )
    run = cli(
        "import",
        str(french),
        "--policy",
        "privacy",
        "--effective",
        "2026-01-01",
        "--language",
        "fr",
        str(site),
    )
    assert run.code == 0, run.err
    assert (site / "content/privacy/2026-01-01/fr.md").read_text() == (
        "---\ntitle: Confidentialité\nsummary:   # what changed, in a sentence or two\n"
        "---\n## 1. Données\n\nNous gardons votre adresse.\n"
    )
    assert problems_of(site) == []


def test_stray_control_characters_are_left_out_and_said(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    text = tmp_path / "terms.md"
    text.write_text('# Terms\n\nLinks start with "https"\x9d.\n\fPage two\x07.\n', "utf-8")
    run = cli("import", str(text), "--policy", "terms", "--effective", "2026-01-01", str(site))
    assert run.code == 0, run.err
    assert (
        f"  {text}:3: left out an invisible control character (U+009D), which showed nothing"
        in run.err.splitlines()
    )
    assert (
        f"  {text}:4: left out 2 invisible control characters (U+000C, U+0007), which showed nothing"
        in run.err.splitlines()
    )
    body = (site / "content/terms/2026-01-01/en.md").read_text()
    assert 'Links start with "https".\nPage two.\n' in body


def test_stray_control_characters_of_a_word_file_are_left_out_and_said(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    """Word keeps the C1 control characters of text pasted from a page decoded in the wrong
    encoding: import refused the whole file (the check found them in the text it wrote),
    where a text file's are left out with a note."""
    docx = tmp_path / "terms.docx"
    docx.write_bytes(make_stray_controls_docx())
    run = cli("import", str(docx), "--policy", "terms", "--effective", "2026-01-01", str(site))
    assert run.code == 0, run.err
    lines = run.err.splitlines()
    assert lines[lines.index("Not carried over as it was (3):") + 1 :][:3] == [
        f"  {docx}: left out an invisible control character (U+009D), which showed nothing, in its notes or links",
        f"  {docx}: paragraph 2: left out an invisible control character (U+009D), which showed nothing",
        f"  {docx}: paragraph 3: left out 2 invisible control characters (U+0085, U+007F), which showed nothing",
    ]
    body = (site / "content/terms/2026-01-01/en.md").read_text()
    assert body.endswith('---\nLinks start with "https".\n\nPage two.[^1]\n\n[^1]: As defined.\n')
    assert problems_of(site) == []


def test_a_word_file_with_tag_characters_is_still_refused(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    """Tag characters hide words from readers; they are no stray control character."""
    docx = tmp_path / "terms.docx"
    docx.write_bytes(make_stray_controls_docx(hidden="\U000e0041\U000e0042"))
    run = cli("import", str(docx), "--policy", "terms", "--effective", "2026-01-01", str(site))
    assert run.code == 1
    assert run.err == (
        "content/terms/2026-01-01/en.md:11:17: error: this text holds 2 invisible tag characters (U+E0041 to U+E0042), which hide 'AB' from readers: delete it (an editor that shows invisible characters helps find it)\n"
        "policygen: the imported text has errors: nothing was imported\n"
    )
    assert not (site / "content").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--effective", "2025-01-01"],
            "content/privacy/2025-01-01/en.md:3: error: policy 'privacy' has a revision effective 2025-01-01 already ('2025-01-01'): import into it a translation or a region's text, or choose another date",
        ),
        (
            ["--effective", "2026-06-01", "--language", "fr"],
            "content/privacy: error: policy 'privacy' has no revision effective 2026-06-01: import its en text first (without --region), then its translations and regions' texts",
        ),
        (
            ["--effective", "2025-01-01", "--language", "de"],
            "site.yaml: error: 'de' is not a language of the site (en, fr): add it to 'languages' in site.yaml first",
        ),
        (
            ["--effective", "2025-01-01", "--region", "asia"],
            "site.yaml: error: 'asia' is not a region of the site (global, eu): add it to 'regions' in site.yaml first",
        ),
        (
            ["--effective", "2026-06-01", "--published", "2026-07-01"],
            "content/privacy: error: published (2026-07-01) is after effective (2026-06-01)",
        ),
    ],
)
def test_import_refuses_a_destination_that_does_not_fit(
    cli: CLI, site: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    text = tmp_path / "p.md"
    text.write_text("# Privacy\n\nText.\n")
    assert (
        cli("import", str(text), "--policy", "privacy", "--effective", "2025-01-01", str(site)).code
        == 0
    )
    run = cli("import", str(text), "--policy", "privacy", *options, str(site))
    assert (run.code, run.err) == (1, message + "\n")


@pytest.mark.parametrize("written", ["FR", "Fr"])
def test_a_language_is_named_in_any_case(
    cli: CLI, site: Path, tmp_path: Path, written: str
) -> None:
    text = tmp_path / "p.md"
    text.write_text("# Privacy\n\nText.\n")
    args = ["--policy", "privacy", "--effective", "2025-01-01", str(site)]
    assert cli("import", str(text), *args).code == 0
    run = cli("import", str(text), "--language", written, *args)
    assert run.code == 0, run.err
    assert "as the fr text of revision 2025-01-01" in run.err
    assert sorted(p.name for p in (site / "content/privacy/2025-01-01").iterdir()) == [
        "en.md",
        "fr.md",
    ]


def test_import_shows_the_warnings_of_what_it_wrote_and_counts_the_others(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory({"site.yaml": SITE_YAML.replace("[en, fr]", "[en, kn]")})
    text = tmp_path / "p.md"
    text.write_text("# Privacy\n\n#\u00a0Data\n\nText.\n")
    run = cli("import", str(text), "--policy", "privacy", "--effective", "2025-01-01", str(site))
    assert run.code == 0, run.err
    problems = [line for line in run.err.splitlines() if ": warning: " in line]
    assert len(problems) == 1 and problems[0].startswith(
        "content/privacy/2025-01-01/en.md:7: warning: '#' has a no-break space after it"
    )
    assert "policygen: the site has 1 other warning: `policygen check` lists them" in run.err


def test_an_import_that_fails_shows_its_errors_not_the_sites_warnings(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Privacy Guides' Persian privacy policy (privacyguides/i18n, 2023-10-12) holds a stray
    '</p>' from its translation tool: importing it into a site of a few revisions printed
    every warning of the site, 27 lines, and the one error that refused it in the middle."""
    site = site_factory({"site.yaml": SITE_YAML.replace("[en, fr]", "[en, fa]")})
    english = tmp_path / "privacy.md"
    english.write_text("# Privacy Policy\n\nSee [statistics](statistics.md).\n")
    args = ["--policy", "privacy", "--effective", "2023-10-12", str(site)]
    assert cli("import", str(english), *args).code == 0
    persian = tmp_path / "fa.md"
    persian.write_text(
        "# حریم خصوصی\n\nPrivacy Guides یک پروژه اجتماعی است.\n"
        "[در GitHub قابل مشاهده](https://github.com/orgs/privacyguides/people) است.</p>\n"
    )
    run = cli("import", str(persian), "--language", "fa", *args)
    assert run.code == 1
    assert run.err == (
        "content/privacy/2023-10-12/fa.md:6:75: error: '</p>' inside a paragraph ends it where "
        "Markdown does not: remove it (an empty line ends a paragraph)\n"
        "policygen: the site has 1 other warning: `policygen check` lists them\n"
        "policygen: the imported text has errors: nothing was imported\n"
    )
    assert not (site / "content/privacy/2023-10-12/fa.md").exists()


def test_import_never_overwrites_a_text(cli: CLI, site: Path, tmp_path: Path) -> None:
    text = tmp_path / "p.md"
    text.write_text("# Privacy\n\nText.\n")
    args = ["--policy", "privacy", "--effective", "2025-01-01", "--region", "eu", str(site)]
    (site / "content/privacy/2025-01-01").mkdir(parents=True)
    (site / "content/privacy/2025-01-01/en.md").write_text(
        "---\neffective: 2025-01-01\n---\nMine.\n"
    )
    assert cli("import", str(text), *args).code == 0
    run = cli("import", str(text), *args)
    assert (run.code, run.err) == (
        1,
        "content/privacy/2025-01-01/en.eu.md: error: content/privacy/2025-01-01/en.eu.md exists already: policygen never overwrites a text (remove it first to import it again)\n",
    )


def test_a_saved_web_page_keeps_its_main_text(cli: CLI, site: Path, tmp_path: Path) -> None:
    page = FIXTURES / "privacy.html"
    run = cli("import", str(page), "--policy", "privacy", "--effective", "2022-09-01", str(site))
    assert run.code == 0, run.err
    text = (site / "content/privacy/2022-09-01/en.md").read_text()
    assert text == (FIXTURES / "privacy.expected.md").read_text()
    assert [line.strip() for line in run.err.splitlines() if line.startswith(f"  {page}")] == [
        f'{page}:9: left out the page\'s <header>: "Example Shop Products About us"',
        f'{page}:20: left out <img> (its text: "A chart of data flows"): policy pages show no images or embedded content; describe it in words',
        f"{page}:32: the link to '#cookie-list' (a <p>) now goes to the start of its section, \"Cookies\": policygen gives anchors to headings",
        f"{page}:32: removed the link 'javascript:void(0)' from \"more\": policy pages link only to web addresses",
        f'{page}:36: left out the page\'s <footer>: "© 2022 Example Shop Terms"',
    ]
    assert problems_of(site) == []
    assert problems_of(site, severity="warning", code="broken-anchor") == []
    out = tmp_path / "out"
    assert cli("build", str(site), "-o", str(out)).code == 0
    html = (out / "en/global/privacy/index.html").read_text()
    assert '<th colspan="2">Recipients</th>' in html
    assert '<ol start="3">' in html
    assert '<a href="#section-3">your rights</a>' in html
    assert '<h2 id="cookies">' in html
    assert "alert(1)" not in html and "tracking" not in html and "About us" not in html


def test_a_plain_text_file_is_read_as_plain_text(cli: CLI, site: Path, tmp_path: Path) -> None:
    """Tumblr's terms, 2017: wrapped at 80 columns, indented; read as Markdown, the indented
    annotations would be code."""
    source = tmp_path / "terms.txt"
    source.write_text(
        "TERMS OF SERVICE\n\n1. Accepting the Terms\n\n  By using or accessing the Services, you agree to be\n"
        "  bound by these terms.\n\n    We're letting you know, *here*.\n"
    )
    run = cli("import", str(source), "--policy", "terms", "--effective", "2017-09-26", str(site))
    assert run.code == 0, run.err
    assert (site / "content/terms/2017-09-26/en.md").read_text().split("---\n", 2)[2] == (
        "## 1. Accepting the Terms\n\nBy using or accessing the Services, you agree to be bound by these terms.\n\n"
        "We're letting you know, \\*here\\*.\n"
    )
    assert (
        "Read as plain text: lines joined into paragraphs, numbered lines and lines in capitals standing alone made headings, web and email addresses made links."
        in run.err.splitlines()
    )
    assert problems_of(site) == []


def test_a_title_made_from_the_policy_id_is_pointed_out(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    source = tmp_path / "sa.md"
    source.write_text("You agree to these terms.\n")
    run = cli("import", str(source), "--policy", "sa", "--effective", "2022-09-21", str(site))
    assert run.code == 0, run.err
    assert (site / "content/sa/policy.yaml").read_text() == "title: Sa\n"
    assert (
        "The text gives itself no title (it has no first heading): its title is Sa, made from the policy id; give another with --title, or in 'title:' of the files written"
        in run.err.splitlines()
    )
    # The next revision takes the policy's title, and says nothing of it.
    run = cli("import", str(source), "--policy", "sa", "--effective", "2023-01-01", str(site))
    assert run.code == 0, run.err
    assert "no title" not in run.err


def test_a_text_file_written_in_markdown_is_read_as_markdown(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    source = tmp_path / "privacy.txt"
    source.write_text("## What we collect\n\n**Account Information:** your name.\n")
    run = cli("import", str(source), "--policy", "privacy", "--effective", "2023-06-08", str(site))
    assert run.code == 0, run.err
    assert (
        (site / "content/privacy/2023-06-08/en.md")
        .read_text()
        .endswith("## What we collect\n\n**Account Information:** your name.\n")
    )
    assert (
        "Written in Markdown (its links, bold words or headings show it), so read as Markdown."
        in run.err.splitlines()
    )


def test_a_markdown_file_keeps_its_front_matter(cli: CLI, site: Path, tmp_path: Path) -> None:
    source = tmp_path / "privacy.md"
    source.write_text(
        "---\ntitle: Privacy Statement\nlayout: page\nredirect_from: [/privacy]\n---\n"
        "# Privacy Statement\n\nEffective date: {{ site.date }}\n\n# 1. Data\n\nText.\n"
    )
    run = cli("import", str(source), "--policy", "privacy", "--effective", "2022-09-01", str(site))
    assert run.code == 0, run.err
    assert (site / "content/privacy/2022-09-01/en.md").read_text() == (
        "---\ntitle: Privacy Statement\neffective: 2022-09-01\npublished: 2022-09-01\n"
        "summary:   # what changed, in a sentence or two\n"
        "extra:\n  layout: page\n  redirect_from:\n  - /privacy\n---\n"
        "Effective date: {{ site.date }}\n\n## 1. Data\n\nText.\n"
    )
    assert (
        f"  {source}:1: front matter that is not policygen's was kept under 'extra:': 'layout', 'redirect_from'"
        in run.err
    )
    assert (
        f"  {source}:8: left as it is: '{{{{ site.date }}}}' is a template tag, and policygen shows it as text"
        in run.err
    )


def test_a_hugo_page_keeps_its_toml_front_matter(cli: CLI, site: Path, tmp_path: Path) -> None:
    source = tmp_path / "code_of_conduct.md"
    source.write_text(
        '+++\nversion = "2.1"\naliases = ["/version/2/1"]\nsummary = "Adds caste."\n'
        "reviewed = 07:32:00\n[params]\nweight = 3\n+++\n\n"
        "# Contributor Covenant Code of Conduct\n\n## Our Pledge\n\nWe pledge.\n"
    )
    run = cli("import", str(source), "--policy", "conduct", "--effective", "2021-09-15", str(site))
    assert run.code == 0, run.err
    assert (site / "content/conduct/2021-09-15/en.md").read_text() == (
        "---\ntitle: Contributor Covenant Code of Conduct\neffective: 2021-09-15\n"
        "published: 2021-09-15\nsummary: Adds caste.\nextra:\n  version: '2.1'\n"
        "  aliases:\n  - /version/2/1\n  reviewed: 07:32:00\n  params:\n    weight: 3\n---\n"
        "## Our Pledge\n\nWe pledge.\n"
    )
    assert (
        f"  {source}:1: front matter that is not policygen's was kept under 'extra:': 'version', 'aliases', 'reviewed', 'params'"
        in run.err
    )
    assert problems_of(site) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "policy.pdf",
            b"%PDF",
            "policygen: {file}: policygen imports Word (.docx), web pages (.html), Markdown (.md) and plain text (.txt), not '.pdf' files",
        ),
        (
            "policy.docx",
            b"not a zip",
            "policygen: {file}: it is not a Word document (.docx): it is not a zip archive; nothing was imported",
        ),
        (
            "policy.md",
            b"\xff\xfe text",
            "policygen: {file}: it is not UTF-8 text (byte 1 is not); nothing was imported",
        ),
        (
            "policy.md",
            b"---\ntitle: [unclosed\n---\nText\n",
            "policygen: {file}: its front matter is not valid YAML at line 2; nothing was imported",
        ),
        (
            "policy.md",
            f"---\ntitle: Privacy\n{ALIAS_BOMB}---\nText\n".encode(),
            "policygen: {file}: its front matter holds more than 100,000 values once its aliases are written out: write the values out, or fewer of them (line 2); nothing was imported",
        ),
        (
            "policy.md",
            b"---\ntitle: !!python/object:os.system echo\n---\nText\n",
            "policygen: {file}: YAML tags such as '!!python/object:os.system' are not allowed: write the value alone (line 2); nothing was imported",
        ),
        (
            "policy.md",
            b'+++\ntitle = "Privacy"\nversion = 2.1.0\n+++\nText\n',
            "policygen: {file}: its front matter is not valid TOML at line 3; nothing was imported",
        ),
        (
            "policy.md",
            b"+++\nx = " + b"[" * 150 + b"]" * 150 + b"\n+++\nText\n",
            "policygen: {file}: its front matter nests lists or tables more than 100 levels deep; nothing was imported",
        ),
    ],
)
def test_import_refuses_a_file_it_cannot_read(
    cli: CLI, site: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    run = cli("import", str(file), "--policy", "privacy", "--effective", "2025-01-01", str(site))
    assert (run.code, run.err) == (1, message.format(file=file) + "\n")
    assert not (site / "content").exists()


def test_import_takes_back_a_text_the_check_rejects(cli: CLI, site: Path, tmp_path: Path) -> None:
    source = tmp_path / "p.md"
    source.write_text("Text\n\n<!-- never closed\n\nMore.\n")
    run = cli("import", str(source), "--policy", "privacy", "--effective", "2025-01-01", str(site))
    assert run.code == 1
    assert run.err.endswith(
        "content/privacy/2025-01-01/en.md:9:1: error: the comment opened with '<!--' is never closed: it would hide the rest of the text from readers, though source.md holds it; end it with '-->'\n"
        "policygen: the imported text has errors: nothing was imported\n"
    )
    assert not (site / "content").exists()


def test_front_matter_that_means_something_else_is_kept_under_extra(
    cli: CLI, site: Path, tmp_path: Path
) -> None:
    """Jekyll's `published: false` hides a draft; a translation platform's `untranslated: 1`
    marks a page not translated yet: neither is policygen's setting of that name."""
    source = tmp_path / "p.md"
    source.write_text("---\nmaterial: perhaps\npublished: true\nuntranslated: 1\n---\nText\n")
    run = cli("import", str(source), "--policy", "privacy", "--effective", "2025-01-01", str(site))
    assert run.code == 0, run.err
    assert (
        (site / "content/privacy/2025-01-01/en.md")
        .read_text()
        .endswith("extra:\n  material: perhaps\n  published: true\n  untranslated: 1\n---\nText\n")
    )
    assert (
        f"  {source}:1: front matter that is not policygen's was kept under 'extra:': "
        "'material' (in policygen, material must be true or false), "
        "'published' (in policygen, published must be a date written YYYY-MM-DD, not 'true'), "
        "'untranslated' (in policygen, untranslated must be a list, e.g. [a, b])"
    ) in run.err.splitlines()


def test_a_missing_file_is_one_line(cli: CLI, site: Path, tmp_path: Path) -> None:
    run = cli(
        "import",
        str(tmp_path / "nope.docx"),
        "--policy",
        "p",
        "--effective",
        "2025-01-01",
        str(site),
    )
    assert (run.code, run.err) == (
        1,
        f"policygen: {tmp_path / 'nope.docx'} cannot be read: No such file or directory\n",
    )
