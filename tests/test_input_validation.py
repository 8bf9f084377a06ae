"""Characters that must never be published, names that are not what they seem, the URL a site is
published at, and XML that stays well-formed whatever the titles hold."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from policygen.characters import IN_TEXT, check_name, first_forbidden
from policygen.errors import printable

from .conftest import PRIVACY_EN, SITE_YAML, SiteFactory, build_site, problems_of

PRIVACY = "content/privacy/2024-01-01/en.md"
COOKIES_EN = "---\ntitle: Cookies Policy\neffective: 2024-01-01\n---\n## 1. Cookies\n\nNone.\n"
BASE = {PRIVACY: PRIVACY_EN, "content/cookies/2024-01-01/en.md": COOKIES_EN}
CONTROL = "an invisible control character"
DELETE = "delete it (an editor that shows invisible characters helps find it)"
STAND_IN = "a private-use character (U+E000) that policygen uses to mark the words it puts into pages itself"

CHARACTERS = {
    "escape character in the text": (
        {PRIVACY: PRIVACY_EN.replace("We are", "We\x1b[2J are")},
        [f"{PRIVACY}:8:3: error: this text holds {CONTROL} (U+001B): {DELETE}"],
    ),
    "noncharacter in the text": (
        {PRIVACY: PRIVACY_EN.replace("Cookies\n", "Cook\ufffeies\n", 1)},
        [
            f"{PRIVACY}:10:11: error: this text holds a noncharacter (U+FFFE), a code point that is never text: {DELETE}"
        ],
    ),
    "noncharacter beyond the first plane": (
        {PRIVACY: PRIVACY_EN.replace("We are", "We \U0010ffff are")},
        [
            f"{PRIVACY}:8:4: error: this text holds a noncharacter (U+10FFFF), a code point that is never text: {DELETE}"
        ],
    ),
    "tag characters hiding a sentence": (
        {
            PRIVACY: PRIVACY_EN.replace(
                "We are", "We are" + "".join(chr(0xE0000 + ord(c)) for c in " We sell it.")
            )
        },
        [
            f"{PRIVACY}:8:7: error: this text holds 12 invisible tag characters (U+E0020 to U+E002E), which hide ' We sell it.' from readers: {DELETE}"
        ],
    ),
    "tag character written as a YAML escape": (
        {PRIVACY: PRIVACY_EN.replace("title: Privacy Policy", 'title: "Privacy\\U000E0041"')},
        [
            f"{PRIVACY}:2:8: error: an escape in this value writes an invisible tag character (U+E0041), which hides text from readers: remove it"
        ],
    ),
    "tag character written as a character reference": (
        {PRIVACY: PRIVACY_EN.replace("We are", "We &#xE0041; are")},
        [
            f"{PRIVACY}:8:4: error: '&#xE0041;' writes an invisible tag character (U+E0041), which hides text from readers: remove it"
        ],
    ),
    "the character that starts policygen's stand-ins for words": (
        # "\ue000deleted\ue001" showed as the word "deleted", a word its source.md does not hold.
        {PRIVACY: PRIVACY_EN.replace("We are", "We \ue000deleted\ue001 are")},
        [f"{PRIVACY}:8:4: error: this text holds {STAND_IN}: {DELETE}"],
    ),
    "that character written as a character reference": (
        {PRIVACY: PRIVACY_EN.replace("We are", "We <b>&#57344;inserted&#xE001;</b> are")},
        [f"{PRIVACY}:8:7: error: '&#57344;' writes {STAND_IN}: remove it"],
    ),
    "that character in a catalog": (
        {"locales/fr/LC_MESSAGES/messages.po": 'msgid "Changes"\nmsgstr "\ue000deleted\ue001"\n'},
        [f"locales/fr/LC_MESSAGES/messages.po:2:9: error: this text holds {STAND_IN}: {DELETE}"],
    ),
    "C1 control character in the front matter": (
        {PRIVACY: PRIVACY_EN.replace("First version.", "First\x85version.")},
        [f"{PRIVACY}:4:15: error: this text holds {CONTROL} (U+0085): {DELETE}"],
    ),
    "control character written as a YAML escape": (
        {PRIVACY: PRIVACY_EN.replace("title: Privacy Policy", 'title: "Privacy\\aPolicy"')},
        [f"{PRIVACY}:2:8: error: an escape in this value writes {CONTROL} (U+0007): remove it"],
    ),
    "lone surrogate written as a YAML escape": (
        {PRIVACY: PRIVACY_EN.replace("First version.", '"First \\ud800 version."')},
        [
            f"{PRIVACY}:4:10: error: an escape in this value writes a lone surrogate (U+D800), half of a character that cannot be written as UTF-8: remove it"
        ],
    ),
    "noncharacter written as a YAML escape inside extra": (
        {PRIVACY: PRIVACY_EN.replace("summary:", 'extra: {note: ["\\uFDD0"]}\nsummary:')},
        [
            f"{PRIVACY}:4:16: error: an escape in this value writes a noncharacter (U+FDD0), a code point that is never text: remove it"
        ],
    ),
    "control character in site.yaml": (
        {"site.yaml": SITE_YAML.replace("Example Policies", "Example\x7fPolicies")},
        [f"site.yaml:1:20: error: this text holds {CONTROL} (U+007F): {DELETE}"],
    ),
    "escape in policy.yaml": (
        {"content/privacy/policy.yaml": 'title: "Privacy\\x00"\n'},
        [
            f"content/privacy/policy.yaml:1:8: error: an escape in this value writes {CONTROL} (U+0000): remove it"
        ],
    ),
    "control character in a catalog": (
        {"locales/fr/LC_MESSAGES/messages.po": 'msgid "Changes"\nmsgstr "Modif\x08ications"\n'},
        [
            f"locales/fr/LC_MESSAGES/messages.po:2:14: error: this text holds {CONTROL} (U+0008): {DELETE}"
        ],
    ),
    "control character in policies.lock": (
        {"policies.lock": "# lock\x0c\n"},
        [f"policies.lock:1:7: error: this text holds {CONTROL} (U+000C): {DELETE}"],
    ),
    "character reference in Markdown": (
        {PRIVACY: PRIVACY_EN.replace("We are", "We &#12; are")},
        [f"{PRIVACY}:8:4: error: '&#12;' writes {CONTROL} (U+000C): remove it"],
    ),
    "character reference in a raw HTML attribute": (
        {PRIVACY: PRIVACY_EN.replace("We are", "We <abbr title='&#x1;&#xFFFF'>are</abbr>")},
        [
            f"{PRIVACY}:8:17: error: '&#x1;' writes {CONTROL} (U+0001): remove it",
            f"{PRIVACY}:8:22: error: '&#xFFFF' writes a noncharacter (U+FFFF), a code point that is never text: remove it",
        ],
    ),
    "control character in a file name": (
        {"content/privacy/2024-01-01/en\x1b.md": PRIVACY_EN},
        [
            "content/privacy/2024-01-01/en\\x1b.md: error: this name holds an invisible control character (U+001B): rename it"
        ],
    ),
    "control character in a folder name": (
        {"content/privacy/2024-02\t01/en.md": PRIVACY_EN},
        [
            "content/privacy/2024-02\\x0901: error: this name holds an invisible control character (U+0009): rename it"
        ],
    ),
}


@pytest.mark.parametrize("files, expected", CHARACTERS.values(), ids=CHARACTERS.keys())
def test_characters_that_must_not_be_published_are_errors_at_their_place(
    site_factory: SiteFactory, files: dict[str, str], expected: list[str]
) -> None:
    assert problems_of(site_factory({**BASE, **files})) == expected


def test_a_file_name_that_is_not_utf8_is_named_by_its_bytes(site_factory: SiteFactory) -> None:
    site = site_factory(BASE)
    (site / "content/privacy/2024-01-01").joinpath(b"caf\xe9.md".decode("utf-8", "surrogateescape"))
    name = b"caf\xe9.md".decode("utf-8", "surrogateescape")
    (site / "content/privacy/2024-01-01" / name).write_text(PRIVACY_EN)
    assert problems_of(site) == [
        "content/privacy/2024-01-01/caf\\xe9.md: error: this name is not UTF-8: rename it"
    ]


def test_a_binary_file_gets_ten_problems_and_a_summary(site_factory: SiteFactory) -> None:
    site = site_factory({**BASE, PRIVACY: "---\n" + "\x01\n" * 50})
    problems = problems_of(site)
    assert len(problems) == 11
    assert problems[-1] == (
        f"{PRIVACY}:12:1: error: more characters of these kinds follow: is this file text at all?"
    )


def test_forbidden_characters_never_reach_the_output(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    """Tab, line feed, carriage return and every other character (C1 look-alikes such as
    &#128;, which HTML reads as €) are published as written."""
    text = PRIVACY_EN.replace(
        "We are",
        'We\t<abbr title="&#128;">are</abbr> \u2028 \u202e\u200f 😀 \U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f',
    ).replace("\n", "\r\n")
    out = tmp_path / "out"
    build_site(site_factory({**BASE, PRIVACY: text}), out)
    page = (out / "en/global/privacy/2024-01-01/index.html").read_text(encoding="utf-8")
    wales = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"
    assert f'We\t<abbr title="€">are</abbr> \u2028 \u202e\u200f 😀 {wales}' in page


@pytest.mark.parametrize(
    "name, expected",
    [
        ("en.md", None),
        ("日本語.md", None),
        ("a\x00b", "this name holds an invisible control character (U+0000): rename it"),
        ("a\ufdefb", "this name holds a noncharacter (U+FDEF), a code point that is never text: rename it"),
        ("a\udcffb", "this name is not UTF-8: rename it"),
    ],
)  # fmt: skip
def test_names_are_checked_and_shown_safely(name: str, expected: str | None) -> None:
    assert check_name(name) == expected
    assert printable(name).isprintable()


SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
"""The flag of Scotland: a black flag, the tags "gbsct" and a cancel tag."""


@pytest.mark.parametrize(
    "char",
    [
        "\x00", "\x08", "\t", "\n", "\x0b", "\r", "\x1f", " ", "~", "\x7f", "\x9f", "\xa0",
        "\ud7ff", "\ud800", "\udfff", "\ue000", "\ufdcf", "\ufdd0", "\ufdef", "\ufdf0", "\ufffd",
        "\ufffe", "\uffff", "\U00010000", "\U0001f600", "\U0001fffd", "\U0001fffe",
        "\U0001ffff", "\U00020000", "\U0002a6d6", "\U0002fffe", "\U0003ffff", "\U000e0001",
        "\U000e0067", "\U000e007f", "\U000e0080", "\U0010fffd", "\U0010fffe", "\U0010ffff",
        SCOTLAND, "\U0001f3f4", SCOTLAND[:-1], SCOTLAND[1:], SCOTLAND + "\U000e0067",
    ],
)  # fmt: skip
def test_the_first_forbidden_character_of_a_text_is_found_wherever_it_is(char: str) -> None:
    def expected(text: str) -> str | None:
        return next((m.group(2) for m in IN_TEXT.finditer(text) if m.group(2)), None)

    for text in (
        char,
        f"今日は {char} text",
        f"{'a' * 50}{char}",
        f"\U00020000{char}",
        f"{SCOTLAND}{char}\x07",
        f"\U0001f3f4{char}",
    ):
        assert first_forbidden(text) == expected(text), (char, text)


# --- Names in content/ -----------------------------------------------------------------------

HIDDEN = "starts with a dot, which hides it in file browsers, so policygen does not skip it silently: rename it or delete it (only .DS_Store, Thumbs.db, desktop.ini, .gitkeep, .gitignore and editors' backup files are skipped)"


@pytest.mark.parametrize(
    "path, expected",
    [
        ("content/privacy/.2021-01-01/en.md", f"content/privacy/.2021-01-01: error: '.2021-01-01' {HIDDEN}"),
        ("content/.drafts/2024-01-01/en.md", f"content/.drafts: error: '.drafts' {HIDDEN}"),
        ("content/privacy/2024-01-01/.fr.md", f"content/privacy/2024-01-01/.fr.md: error: '.fr.md' {HIDDEN}"),
        ("content/privacy/.policy.yaml", f"content/privacy/.policy.yaml: error: '.policy.yaml' {HIDDEN}"),
    ],
)  # fmt: skip
def test_hidden_names_in_content_are_errors(
    site_factory: SiteFactory, path: str, expected: str
) -> None:
    assert problems_of(site_factory({**BASE, path: PRIVACY_EN})) == [expected]


@pytest.mark.parametrize(
    "path",
    [
        "content/.DS_Store",
        "content/privacy/.DS_Store",
        "content/privacy/2024-01-01/.DS_Store",
        "content/privacy/2024-01-01/._en.md",
        "content/privacy/2024-01-01/Thumbs.db",
        "content/privacy/desktop.ini",
        "content/privacy/.gitkeep",
        "content/.gitignore",
        "content/privacy/2024-01-01/en.md~",
        "content/privacy/2024-01-01/.en.md.swp",
        "content/privacy/2024-01-01/#en.md#",
        "content/privacy/2024-01-01/.#en.md",
        "locales/.tx/config",
    ],
)
def test_what_systems_and_editors_leave_behind_is_skipped(
    site_factory: SiteFactory, path: str
) -> None:
    assert problems_of(site_factory({**BASE, path: "\x00\x01 not text"})) == []


# --- The URL a site is published at --------------------------------------------------------

BAD_URLS = {
    "javascript:alert(1)": "",
    "/policies/": "",
    "https://example.org/a b/": " (write spaces and characters beyond ASCII as %-escapes, and hosts in their ASCII (xn--) form)",
    "https://例え.jp/": " (write spaces and characters beyond ASCII as %-escapes, and hosts in their ASCII (xn--) form)",
    'https://example.org/"><script>': " (write spaces and characters beyond ASCII as %-escapes, and hosts in their ASCII (xn--) form)",
    "https://example.org/?lang=en": " (it must not have a query ('?') or a fragment ('#'))",
    "https://user:secret@example.org/": " (it must not hold a user name or password: the URL is published)",
    "https://example.org:99999/": " (its port must be a number from 1 to 65535)",
    "https://[::1/": "",
}  # fmt: skip


@pytest.mark.parametrize("url, reason", BAD_URLS.items(), ids=BAD_URLS.keys())
def test_base_url_is_refused_alike_in_site_yaml_and_on_the_command_line(
    site_factory: SiteFactory, cli: object, url: str, reason: str
) -> None:
    message = f"must be an absolute http(s) URL such as https://example.org/policies/, not '{url}'{reason}"
    site = site_factory(
        {**BASE, "site.yaml": SITE_YAML.replace("https://policies.example.org/", json.dumps(url))}
    )
    assert problems_of(site) == [f"site.yaml:2:11: error: base_url {message}"]
    run = cli("build", str(site_factory(BASE)), "--base-url", url)  # type: ignore[operator]
    assert run.code == 2
    assert run.err.endswith(f"error: argument --base-url: --base-url {message}\n")


def test_base_url_is_written_alike_from_site_yaml_and_the_command_line(
    site_factory: SiteFactory, cli: object, tmp_path: Path
) -> None:
    url = "HTTPS://Policies.Example.ORG/legal"
    site = site_factory(BASE)
    run = cli("build", str(site), "-o", str(tmp_path / "a"), "--base-url", url)  # type: ignore[operator]
    assert run.code == 0, run.err
    (site / "site.yaml").write_text(
        SITE_YAML.replace("https://policies.example.org/", url), encoding="utf-8"
    )
    run = cli("build", str(site), "-o", str(tmp_path / "b"))  # type: ignore[operator]
    assert run.code == 0, run.err
    for folder in ("a", "b"):
        manifest = json.loads((tmp_path / folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["base_url"] == "https://policies.example.org/legal/"
        schema = json.loads((tmp_path / folder / "manifest.schema.json").read_text())
        jsonschema.Draft202012Validator(schema).validate(manifest)


# --- Well-formed XML -------------------------------------------------------------------------

ODD = "Ünïcode & <b>\"quotes\"</b> 'single' ]]> \u200f\u202bעברית\u202c 😀 &amp; &#1;"


def test_every_xml_output_is_well_formed_whatever_titles_and_summaries_hold(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    odd_yaml = json.dumps(ODD, ensure_ascii=False)
    files = {
        "site.yaml": SITE_YAML.replace("Example Policies", odd_yaml).replace(
            "Everywhere else", json.dumps("Else & <elsewhere>")
        ),
        PRIVACY: PRIVACY_EN.replace("Privacy Policy", odd_yaml)
        .replace("First version.", odd_yaml)
        .replace("(policy:cookies)", "(policy:cookies)"),
        "content/privacy/2024-06-01/en.md": PRIVACY_EN.replace(
            "effective: 2024-01-01", "effective: 2024-06-01"
        ).replace("First version.", odd_yaml),
        "content/privacy/2024-06-01/fr.md": "---\ntitle: "
        + odd_yaml
        + "\nsummary: '<&>'\n---\nTexte.\n",
        "content/cookies/2024-01-01/en.md": COOKIES_EN,
    }
    out = tmp_path / "out"
    build_site(site_factory(files), out)
    xml_files = sorted(out.rglob("*.xml"))
    assert {p.name for p in xml_files} == {"feed.xml", "sitemap.xml"}
    for path in xml_files:
        ElementTree.fromstring(path.read_bytes())  # expat: raises on anything ill-formed
    feed = ElementTree.fromstring((out / "en/global/feed.xml").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = [element.text for element in feed.iter(f"{atom}summary")]
    assert ODD in summaries
    titles = [element.text or "" for element in feed.iter(f"{atom}title")]
    assert any(title.startswith(ODD) for title in titles)


def test_a_catalog_translation_is_text_in_pages_and_feeds(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    odd = "<abbr title='t'>Modifs</abbr> & \"co\""
    catalog = f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Changes"\nmsgstr {json.dumps(odd)}\n'
    files = {
        **BASE,
        "content/privacy/2024-06-01/en.md": PRIVACY_EN.replace("2024-01-01", "2024-06-01"),
        "locales/fr/LC_MESSAGES/messages.po": catalog,
    }
    out = tmp_path / "out"
    build_site(site_factory(files), out)
    feed = ElementTree.fromstring((out / "fr/global/feed.xml").read_bytes())
    related = [
        link.get("title") for link in feed.iter("{http://www.w3.org/2005/Atom}link")
        if link.get("rel") == "related"
    ]  # fmt: skip
    assert related == [odd]
    pages = [path.read_text(encoding="utf-8") for path in sorted((out / "fr").rglob("*.html"))]
    assert any(
        "&lt;abbr title=&#39;t&#39;&gt;Modifs&lt;/abbr&gt; &amp; &#34;co&#34;" in p for p in pages
    )
    assert not any("<abbr title='t'>" in page for page in pages)


def test_a_catalog_translation_is_text_whichever_gettext_function_asks_for_it(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    # Jinja's own ngettext, pgettext and npgettext mark a translation as markup: a catalog
    # put a script in every page of its language through a site's template that asked for
    # a plural or a message in context.
    catalog = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "%(num)s version"\nmsgid_plural "%(num)s versions"\n'
        'msgstr[0] "%(num)s <script>one()</script>"\nmsgstr[1] "%(num)s <script>two()</script>"\n\n'
        'msgid "%(count)s change"\nmsgid_plural "%(count)s changes"\n'
        'msgstr[0] "%(count)s <b>x</b> & y"\nmsgstr[1] "%(count)s <b>xs</b> & y"\n\n'
        'msgctxt "label"\nmsgid "Policy"\nmsgstr "<img src=x onerror=three()>"\n\n'
        'msgctxt "label"\nmsgid "%(num)s policy"\nmsgid_plural "%(num)s policies"\n'
        'msgstr[0] "%(num)s <i>four</i>"\nmsgstr[1] "%(num)s <i>fours</i>"\n'
    )
    words = (
        '<p id="words">{{ ngettext("%(num)s version", "%(num)s versions", 2) }}'
        "|{% trans count=1 %}{{ count }} change{% pluralize %}{{ count }} changes{% endtrans %}"
        '|{{ pgettext("label", "Policy") }}'
        '|{{ npgettext("label", "%(num)s policy", "%(num)s policies", 3) }}'
        '|{{ ngettext("<b>%(num)s</b> day", "<b>%(num)s</b> days", 2) }}</p>'
    )
    files = {
        **BASE,
        "locales/fr/LC_MESSAGES/messages.po": catalog,
        "templates/history.html": '{% extends "theme/history.html" %}'
        "{% block main %}" + words + "{{ super() }}{% endblock %}",
    }
    out = tmp_path / "out"
    build_site(site_factory(files), out)
    page = (out / "fr/global/privacy/history/index.html").read_text(encoding="utf-8")
    shown = page.split('<p id="words">', 1)[1].split("</p>", 1)[0]
    assert shown == (
        "2 &lt;script&gt;two()&lt;/script&gt;"
        "|1 &lt;b&gt;x&lt;/b&gt; &amp; y"
        "|&lt;img src=x onerror=three()&gt;"
        "|3 &lt;i&gt;fours&lt;/i&gt;"
        # A message written as markup in the template, which the catalog does not translate.
        "|<b>2</b> days"
    )


def test_theme_names_the_themes_template_whatever_the_site_holds(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A site's templates/theme/history.html is not the theme's history.html: a site's own
    history.html that extends "theme/history.html" extends policygen's."""
    files = {
        **BASE,
        "templates/theme/history.html": "<p>Not the theme's.</p>",
        "templates/history.html": '{% extends "theme/history.html" %}'
        '{% block main %}<p id="own">Own.</p>{{ super() }}{% endblock %}',
    }
    out = tmp_path / "out"
    build_site(site_factory(files), out)
    page = (out / "en/global/privacy/history/index.html").read_text(encoding="utf-8")
    assert '<p id="own">Own.</p>' in page
    assert "Not the theme's." not in page
    assert "<html" in page
