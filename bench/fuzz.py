"""Random whole sites → `policygen build` → what must hold of any site, however broken.

Run: .venv/bin/python bench/fuzz.py [--examples N] [--minutes M] [--seed S]

Hypothesis writes sites — site.yaml (languages, regions, time zone), policy names, revision
folders, front matter (titles, dates out to years 1 and 9999, summaries, extra), Markdown
with headings, lists, tables, raw HTML closed and unclosed, attribute lists, region blocks,
policy: links and odd Unicode, catalogs, names that are not slugs, bytes that are not
UTF-8 — and builds each through the command line, policygen.cli.main, as a user would. Of
every build it asserts:

- the exit status is 0 or 1, and nothing printed is a Python traceback;
- a failed build says why, as `path[:line[:column]]: error: message` lines, and publishes
  nothing;
- a build that succeeds publishes pages that parse as HTML (strictly, with html5lib, for
  the pages that show texts), XML that is well-formed, a manifest valid against its schema,
  and a SHA-256 for every document that is the SHA-256 of its source.md.

The test suite runs a few hundred examples (tests/test_fuzz.py); this script runs many and
prints how many it ran, the failures found, and each failing site shrunk to its smallest.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import re
import shutil
import sys
import tempfile
import time
import traceback
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import html5lib
import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as example_seed
from hypothesis import strategies as st

from policygen.cli import main

AS_OF = "2026-11-29"
Site = dict[str, bytes]

# --- Sites ------------------------------------------------------------------------------------

LANGUAGES = ["en", "fr", "ja", "ar", "pt-BR", "zh-Hant", "de"]
ODD_LANGUAGES = ["EN", "xx", "en_US", "", "en-", "i-klingon"]
REGIONS = ["global", "eu", "asia", "us.ca", "x_1"]
ODD_REGIONS = ["Europe", "eu rope", "-eu", ""]
ZONES = [
    "UTC",
    "Asia/Tokyo",
    "Europe/Paris",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "America/St_Johns",
]
ODD_ZONES = ["Mars/Olympus", "JST", "../../etc/passwd", ""]
COUNTRIES = ["FR", "DE", "JP", "US", "GB", "TH", "BR"]
POLICIES = ["privacy", "cookies", "terms", "a", "x.y_z-1"]
ODD_NAMES = [".hidden", "Privacy", "two words", "é", "-x", ".DS_Store", "x~"]
DATES = [
    "0001-01-02",
    "9999-12-30",
    "2020-01-01",
    "2024-02-29",
    "2026-11-29",
    "2026-11-30",
    "2027-01-01",
    "2022-07-07",
]
ODD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "2023-02-29",
    "2024-13-01",
    "24-01-01",
    "June 1",
    "2024-1-1",
]
WORDS = ["policy", "data", "we", "you", "cookies", "personal", "information", "shall", "may"]
UNICODE = [
    "データ", "個人情報", "بيانات", "עברית", "\u200f", "\u202e", "😀", "👩‍👩‍👧", "é", "e\u0301",
    "\u00a0", "\u2028", "\ufeff", "\u200b", "Ω", "ǅ", "ß", "İ", "&", "<", ">", '"', "'", "\\",
    "*", "_", "`", "|", "#", "[", "]", "{", "}", ":::", "---", "\t",
]  # fmt: skip
FORBIDDEN = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe", "\ufdd0", "\U0010ffff"]
RAW_HTML = [
    "<b>bold</b>", "<!-- note -->", "<br>", '<a href="https://example.org">x</a>',
    '<a href="policy:privacy">p</a>', '<a href="policy:nope#x">n</a>', "<abbr title='t'>A</abbr>",
    "<table><tr><td>cell</td></tr></table>", "<details><summary>s</summary>d</details>",
    "<style>p{}</style>", "<script>x()</script>", "<span id=\"s\">s</span>",
    "<!--", "-->", "<style>", "<script>", "<template>", "<textarea>", "<title>", "<iframe>",
    "<noscript>", "<xmp>", "<plaintext>", "<![CDATA[", "<?php", "<!X", '<div title="',
    "<div", "<svg>", "<math>", "<text>", "</div>", "</span>", "<p>", "&#1;", "&#x7f;",
    "&#12;", "&#xFFFE;", "&#128;", "&amp;", "&nbsp;", "&bogus;",
]  # fmt: skip
CLOSED_HTML = [
    "<b>bold</b>", "<!-- note -->", "<br>", '<a href="https://example.org">x</a>',
    "<abbr title='t'>A</abbr>", "<table><tr><td>cell</td></tr></table>",
    "<details><summary>s</summary>d</details>", "<span>s</span>", "&#128;", "&amp;", "&nbsp;",
    "&bogus;", "<kbd>", "</kbd>",
]  # fmt: skip
"""What a sound site writes: raw HTML that hides nothing and links nowhere unknown."""
ATTRIBUTES = [
    "{#custom}",
    "{: #custom }",
    "{#x .y}",
    "{: .parens }",
    "{#}",
    "{: #pg-main }",
    "{#a b}",
]


def _words(draw: st.DrawFn, odd: bool = True) -> str:
    """A few words; with `odd`, now and then odd Unicode, raw HTML or (rarely) a character
    that must not be published."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        roll = draw(st.integers(0, 99)) if odd else 0
        if roll < 70:
            parts.append(draw(st.sampled_from(WORDS)))
        elif roll < 88:
            parts.append(draw(st.sampled_from(UNICODE)))
        elif roll < 99 or SOUND[-1]:
            parts.append(draw(st.sampled_from(CLOSED_HTML if SOUND[-1] else RAW_HTML)))
        else:
            parts.append(draw(st.sampled_from(FORBIDDEN)))
    return " ".join(parts)


@st.composite
def inline_text(draw: st.DrawFn, policies: list[str]) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["words", "words", "em", "code", "link", "policy", "auto"]))
        text = _words(draw, odd=draw(st.booleans()))
        if kind == "em":
            pieces.append(f"*{text}*")
        elif kind == "code":
            pieces.append(f"`{text}`")
        elif kind == "link":
            target = draw(
                st.sampled_from(
                    [
                        "#section-1",
                        "#nope",
                        "https://example.org/",
                        "javascript:x",
                        "mailto:a@b.c",
                        "",
                    ]
                )
            )
            pieces.append(f"[{text}]({target})")
        elif kind == "policy":
            target = draw(
                st.sampled_from([*policies, "nope", "PRIVACY"] if _odd(draw, 3) else policies[:1])
            )
            anchor = draw(
                st.sampled_from(["", "#section-9", "#custom", "#"] if _odd(draw, 3) else [""])
            )
            pieces.append(f"[{text}](policy:{target}{anchor})")
        elif kind == "auto":
            pieces.append(
                draw(
                    st.sampled_from(
                        ["<https://example.org>", "<info@example.org>", "https://bare.example"]
                    )
                )
            )
        else:
            pieces.append(text)
    return " ".join(pieces)


@st.composite
def markdown_body(draw: st.DrawFn, policies: list[str], regions: list[str]) -> str:
    blocks = []
    for number in range(1, draw(st.integers(0, 6)) + 1):
        kind = draw(
            st.sampled_from(
                [
                    "heading",
                    "paragraph",
                    "paragraph",
                    "list",
                    "table",
                    "raw",
                    "region",
                    "attribute",
                    "code",
                    "quote",
                ]
            )
        )
        text = draw(inline_text(policies))
        if kind == "heading":
            level = "#" * draw(st.integers(1, 4))
            numbering = draw(st.sampled_from([f"{number}. ", f"{number}.1 ", "", "４．", "§ 3 "]))
            attributes = (
                ATTRIBUTES if _odd(draw, 2) else [f"{{#id-{number}}}", f"{{: #id-{number} }}"]
            )
            suffix = draw(st.sampled_from(["", "", *attributes]))
            blocks.append(f"{level} {numbering}{text} {suffix}".rstrip())
        elif kind == "list":
            marker = draw(st.sampled_from(["-", "1.", "1)", "*"]))
            items = draw(st.lists(inline_text(policies), min_size=1, max_size=3))
            blocks.append("\n".join(f"{marker} {item}" for item in items))
        elif kind == "table":
            cells = draw(st.lists(inline_text(policies), min_size=1, max_size=2))
            header = " | ".join(f"h{i}" for i in range(len(cells)))
            blocks.append(f"| {header} |\n|{'---|' * len(cells)}\n| {' | '.join(cells)} |")
        elif kind == "raw":
            raw = draw(st.sampled_from(CLOSED_HTML if SOUND[-1] else RAW_HTML))
            blocks.append(raw + draw(st.sampled_from(["", "\n" + text])))
        elif kind == "region":
            names = draw(
                st.lists(
                    st.sampled_from([*regions, "mars"] if _odd(draw, 3) else regions),
                    min_size=not _odd(draw, 4),
                    max_size=2,
                )
            )
            negated = draw(st.sampled_from(["", "not "]))
            closing = draw(st.sampled_from([":::", "", "::::"] if _odd(draw, 3) else [":::"]))
            blocks.append(f"::: region {negated}{' '.join(names)}\n{text}\n{closing}")
        elif kind == "attribute":
            attributes = ATTRIBUTES if _odd(draw, 2) else [f"{{: #block-{number} }}"]
            blocks.append(f"{text}\n{draw(st.sampled_from(attributes))}")
        elif kind == "code":
            blocks.append(f"```\n{text}\n```")
        elif kind == "quote":
            blocks.append(f"> {text}")
        else:
            blocks.append(text)
    return "\n\n".join(blocks) + draw(st.sampled_from(["\n", "", "\n\n\n", "  \n"]))


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


@st.composite
def front_matter(draw: st.DrawFn, revision: tuple[str, str, str], is_source: bool) -> str:
    """Front matter; the source-language file states the revision's (effective, published,
    material), others do in a broken site only."""
    effective, published, material = revision
    lines = []
    if draw(st.booleans()):
        lines.append(f"title: {_yaml(_words(draw))}")
    if is_source or _odd(draw, 4):
        if _odd(draw, 4):
            effective = draw(st.sampled_from(DATES + ODD_DATES))
        lines.append(f"effective: {effective}")
        if published != effective or _odd(draw, 4):
            lines.append(
                f"published: {draw(st.sampled_from(DATES + ODD_DATES)) if _odd(draw, 4) else published}"
            )
        if material != "true" or _odd(draw, 4):
            lines.append(
                f"material: {draw(st.sampled_from(['yes', '1', 'false'])) if _odd(draw, 4) else material}"
            )
    if draw(st.booleans()):
        lines.append(f"summary: {_yaml(_words(draw))}")
    if draw(st.integers(0, 5)) == 0:
        lines.append(
            f"corrections:\n  - {{date: {draw(st.sampled_from(DATES + (ODD_DATES if _odd(draw, 3) else [])))}, note: {_yaml(_words(draw))}}}"
        )
    if draw(st.integers(0, 4)) == 0 and not SOUND[-1]:
        lines.append(
            "extra: "
            + draw(
                st.sampled_from(
                    [
                        "{a: 1}", "{when: 2024-13-01}", "{when: 0001-01-01}", "{x: !!binary aGVsbG8=}",
                        "{x: !!python/object:os.system [id]}", "{x: !custom y}", "[1, 2]", "{a: &x [*x]}",
                        '{s: "\\ud800"}', "{n: .nan}", "{t: 2024-01-01 10:00:00}", "{big: 1e999}",
                    ]
                )
            )
        )  # fmt: skip
    if _odd(draw, 12):
        lines.append(
            draw(
                st.sampled_from(
                    ["efective: 2024-01-01", "title: [unclosed", "- a list", "title:\n  nested: x"]
                )
            )
        )
    return "---\n" + "\n".join(lines) + "\n---\n"


def _odd(draw: st.DrawFn, one_in: int) -> bool:
    """Whether to break something here: never in a sound site, else once in `one_in`."""
    return not SOUND[-1] and draw(st.integers(0, one_in - 1)) == 0


REGION_ONLY_SKIPPED = False
SOUND: list[bool] = [False]
"""Whether the site being drawn is to be sound (the last item)."""


@st.composite
def sites(draw: st.DrawFn) -> Site:
    """A small site: half of them sound (odd Unicode and closed raw HTML at most), the others
    broken in a few of the ways editors break a site."""
    SOUND.append(draw(st.booleans()))
    files: Site = {}
    languages = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True))
    if _odd(draw, 6):
        languages.append(draw(st.sampled_from([*ODD_LANGUAGES, languages[0]])))
    default = languages[0] if not _odd(draw, 8) else draw(st.sampled_from(LANGUAGES))
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True))
    if _odd(draw, 8):
        regions.append(draw(st.sampled_from(ODD_REGIONS)))
    zone = draw(st.sampled_from(ZONES)) if not _odd(draw, 8) else draw(st.sampled_from(ODD_ZONES))
    base_url = draw(
        st.sampled_from(
            ["https://example.org/", "http://x.example/a/b", "https://example.org:8443/p"]
        )
    )
    title = draw(st.sampled_from(["plain", "translated", "odd"]))
    site_title = (
        _yaml(_words(draw))
        if title != "translated"
        else "{" + ", ".join(f"{_yaml(lang)}: {_yaml(_words(draw))}" for lang in languages) + "}"
    )
    region_lines = []
    defaults = {regions[0]} if not _odd(draw, 8) else set(regions[: draw(st.integers(0, 2))])
    countries = list(COUNTRIES)
    for region in regions:
        owned = draw(st.lists(st.sampled_from(countries), max_size=2, unique=True))
        if not _odd(draw, 8):
            countries = [c for c in countries if c not in owned] or ["IS"]
        fields = [
            f"default: {'true' if region in defaults else 'false'}",
            f"countries: [{', '.join(owned)}]",
        ]
        if draw(st.booleans()):
            fields.append(f"name: {_yaml(_words(draw, odd=False))}")
        region_lines.append(f"  {_yaml(region)}: {{{', '.join(fields)}}}")
    site_yaml = (
        f"title: {site_title}\nbase_url: {base_url}\ndefault_language: {_yaml(default)}\n"
        f"languages: [{', '.join(_yaml(lang) for lang in languages)}]\ntimezone: {_yaml(zone)}\n"
        + (
            f"notice_days: {draw(st.sampled_from(['0', '30', '-1', 'x'] if _odd(draw, 2) else ['0', '30']))}\n"
            if draw(st.booleans())
            else ""
        )
        + "regions:\n"
        + "\n".join(region_lines)
        + "\n"
    )
    files["site.yaml"] = site_yaml.encode()
    policies = draw(st.lists(st.sampled_from(POLICIES), min_size=1, max_size=2, unique=True))
    names = [*policies]
    if _odd(draw, 6):
        names.append(draw(st.sampled_from(ODD_NAMES)))
    for policy in names:
        policy_regions = regions
        if draw(st.integers(0, 4)) == 0:
            chosen = draw(
                st.lists(
                    st.sampled_from([*regions, "mars"] if _odd(draw, 4) else regions),
                    min_size=not _odd(draw, 4),
                    max_size=2,
                    unique=True,
                )
            )
            if REGION_ONLY_SKIPPED and regions[0] not in chosen:
                chosen.append(regions[0])
            files[f"content/{policy}/policy.yaml"] = (
                f"title: {_yaml(_words(draw))}\nregions: [{', '.join(_yaml(r) for r in chosen)}]\n"
            ).encode()
            policy_regions = [region for region in regions if region in chosen] or regions
        revisions = draw(
            st.lists(st.sampled_from(DATES + ["first", "v2"]), min_size=1, max_size=3, unique=True)
        )
        if _odd(draw, 8):
            revisions.append(draw(st.sampled_from(ODD_NAMES)))
        effective_dates = draw(
            st.lists(
                st.sampled_from(DATES),
                min_size=len(revisions),
                max_size=len(revisions),
                unique=not _odd(draw, 6),
            )
        )
        for revision, effective in zip(revisions, effective_dates, strict=True):
            # A sound site publishes no revision after the build's date (a scheduled one).
            latest = effective if not SOUND[-1] else min(effective, AS_OF)
            earlier = [d for d in DATES if d <= latest] or [latest]
            dates = (
                effective,
                draw(st.sampled_from(earlier)),
                draw(st.sampled_from(["true", "false"])),
            )
            written = [default] + draw(
                st.lists(st.sampled_from(languages), max_size=2, unique=True)
            )
            for language in dict.fromkeys(written):
                stems = [language]
                if draw(st.integers(0, 3)) == 0:
                    stems.append(
                        f"{language}.{draw(st.sampled_from([*regions, 'mars'] if _odd(draw, 4) else policy_regions))}"
                    )
                if _odd(draw, 12):
                    stems.append(
                        draw(
                            st.sampled_from(
                                [language.upper(), f"{language}.", f"{language}.md", f".{language}"]
                            )
                        )
                    )
                for stem in stems:
                    body = draw(front_matter(dates, stem == default)) + draw(
                        markdown_body([policy, *names], regions)
                    )
                    encoding = draw(
                        st.sampled_from(
                            ["utf-8", "utf-8-sig", "crlf", *(["latin-1"] if _odd(draw, 8) else [])]
                        )
                    )
                    if encoding == "crlf":
                        data = body.replace("\n", "\r\n").encode()
                    else:
                        data = body.encode(
                            encoding, errors="replace" if encoding == "latin-1" else "surrogatepass"
                        )
                    files[f"content/{policy}/{revision}/{stem}.md"] = data
    if draw(st.integers(0, 6)) == 0:
        language = draw(st.sampled_from([*languages, "xx"] if _odd(draw, 3) else languages))
        msgstr = _words(draw)
        files[f"locales/{language}/LC_MESSAGES/messages.po"] = (
            f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f'msgid "Changes"\nmsgstr {json.dumps(msgstr, ensure_ascii=False)}\n'
        ).encode("utf-8", errors="surrogatepass")
    if _odd(draw, 6):
        files["policies.lock"] = draw(
            st.sampled_from([b"# empty\n", b"garbage line\n", b"\xff\xfe"])
        )
    return files


# --- What must hold of any build -------------------------------------------------------------

PROBLEM = re.compile(r"[^\s:][^:]*(?::\d+(?::\d+)?)?: (?:error|warning): \S.*")
SCHEMAS = Path(__file__).resolve().parent.parent / "src" / "policygen" / "schemas"
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Build:
    """One run of `policygen build` on a site."""

    code: int
    out: str
    err: str
    folder: Path


def write_site(site: Site, folder: Path) -> None:
    for relative, data in site.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def run_build(site: Site, folder: Path) -> Build:
    """`policygen build` of a site written into `folder`, as the command line runs it."""
    source = folder / "site"
    write_site(site, source)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(
                [
                    "build",
                    str(source),
                    "-o",
                    str(folder / "out"),
                    "--as-of",
                    AS_OF,
                    "--no-cache",
                    "-j",
                    "1",
                ]
            )
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 2
        except Exception:  # what the console script would print as a traceback  # noqa: BLE001
            traceback.print_exc()
            code = -1
    return Build(code, out.getvalue(), err.getvalue(), folder / "out")


class _StrictHTML(HTMLParser):
    """Every element closed in order, no attribute twice, no id twice, no '<' left as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"<{tag}> repeats an attribute: {names}")
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.errors.append(f"id {value!r} twice")
                self.ids.add(value or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self.errors.append(f"'<' as text: {data[:60]!r}")


def html_problems(html: str, *, strictly: bool) -> list[str]:
    """What is wrong with a page: balance and ids; with `strictly`, every parse error html5lib
    (the WHATWG parsing algorithm) finds."""
    checker = _StrictHTML()
    checker.feed(html)
    checker.close()
    if checker.stack != []:
        checker.errors.append(f"left open: {checker.stack}")
    if not html.startswith("<!DOCTYPE html>"):
        checker.errors.append("no doctype")
    if strictly:
        parser = html5lib.HTMLParser(strict=True)
        try:
            parser.parse(html)
        except html5lib.html5parser.ParseError as exc:
            checker.errors.append(f"html5lib: {exc}")
    return checker.errors


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _documents(manifest: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for policy in manifest["policies"].values():
        for revision in policy["revisions"]:
            for regions in revision["documents"].values():
                yield from regions.values()


def check_build(build: Build) -> list[str]:
    """Everything that does not hold of a build (empty when all does)."""
    failures = []
    printed = build.out + build.err
    if build.code not in (0, 1):
        failures.append(f"exit status {build.code}")
    if "Traceback" in printed:
        failures.append("a traceback was printed: " + printed.rstrip().splitlines()[-1])
    # Spaces of every width show as spaces; anything else that shows nothing is escaped.
    if any(
        not char.isprintable() and char not in "\n\t" and unicodedata.category(char) != "Zs"
        for char in printed
    ):
        failures.append("an unprintable character was printed")
    if build.code != 0:
        if build.folder.exists():
            failures.append("a failed build published its output")
        problems = [line for line in build.err.splitlines() if not line.startswith("policygen: ")]
        if build.code == 1 and not any(": error: " in line for line in problems):
            failures.append("a failed build named no error")
        failures += [
            f"not a problem line: {line!r}" for line in problems if not PROBLEM.fullmatch(line)
        ]
        return failures
    out = build.folder
    for path in sorted(out.rglob("*.html")):
        relative = path.relative_to(out).as_posix()
        # Pages that show a text are read by html5lib; the theme's other pages are the same
        # every time, and html5lib is slow.
        strictly = relative.count("/") >= 4 and relative.split("/")[3] != "history"
        for problem in html_problems(path.read_text(encoding="utf-8"), strictly=strictly):
            failures.append(f"{relative}: {problem}")
    for path in sorted(out.rglob("*.xml")):
        try:
            ElementTree.fromstring(path.read_bytes())
        except ElementTree.ParseError as exc:
            failures.append(f"{path.relative_to(out)}: XML {exc}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for error in _validator("manifest.schema.json").iter_errors(manifest):
        failures.append(f"manifest.json: {error.message} at {list(error.absolute_path)}")
    for path in sorted((out / "api").rglob("*.json")):
        if path.name != "reader.schema.json":
            answer = json.loads(path.read_text(encoding="utf-8"))
            for error in _validator("reader.schema.json").iter_errors(answer):
                failures.append(f"{path.relative_to(out)}: {error.message}")
    base = manifest["base_url"]
    for document in _documents(manifest):
        source = out / document["source_url"].removeprefix(base)
        if not source.is_file():
            failures.append(f"no {document['source_url']}")
        elif hashlib.sha256(source.read_bytes()).hexdigest() != document["sha256"]:
            failures.append(f"the sha256 of {document['source_url']} is not that of its bytes")
    return failures


ERRORS: dict[str, int] = {}
"""How many times each kind of error was reported."""
EXITS: dict[int, int] = {}
"""How many builds ended with each exit status."""


def check_site(site: Site) -> list[str]:
    """Build a site in a folder of its own, and say what does not hold."""
    folder = Path(tempfile.mkdtemp(prefix="policygen-fuzz-"))
    try:
        build = run_build(site, folder)
        EXITS[build.code] = EXITS.get(build.code, 0) + 1
        for line in build.err.splitlines():
            if ": error: " in line:
                kind = re.sub(r"'[^']*'|\([^)]*\)|\d+", "…", line.split(": error: ")[1])[:70]
                kind = ("sound: " if SOUND[-1] else "") + kind
                ERRORS[kind] = ERRORS.get(kind, 0) + 1
        return check_build(build)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def describe(site: Site) -> str:
    """A site as text, to paste into a test."""
    return (
        "{\n" + "".join(f"    {path!r}: {data!r},\n" for path, data in sorted(site.items())) + "}"
    )


# --- The long run ----------------------------------------------------------------------------


def main_run(examples: int, seed: int | None, minutes: float | None = None) -> int:
    """Build `examples` random sites (or as many as `minutes` allow); print the figures and
    each failure, shrunk."""
    ran = 0
    found: list[tuple[list[str], Site]] = []
    started = time.perf_counter()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=True,
    )
    @given(sites())
    @example_seed(seed)
    def fuzz(site: Site) -> None:
        nonlocal ran
        if minutes is not None and time.perf_counter() - started > minutes * 60 and not found:
            return  # time is up: the remaining examples pass at once
        ran += 1
        failures = check_site(site)
        if failures:
            found.append((failures, site))
            raise AssertionError("\n".join(failures))

    with contextlib.suppress(Exception):  # the failing examples are printed below
        fuzz()
    seconds = time.perf_counter() - started
    # Hypothesis tries the shrunk failing examples last: the last failure of each kind.
    kinds: dict[str, tuple[list[str], Site]] = {}
    for failures, site in found:
        kind = re.sub(r"\d+|'[^']*'", "…", failures[0])
        if kind not in kinds or sum(map(len, site.values())) < sum(
            map(len, kinds[kind][1].values())
        ):
            kinds[kind] = (failures, site)
    statuses = ", ".join(f"{count} exited {code}" for code, count in sorted(EXITS.items()))
    print(f"examples run: {ran} in {seconds:.0f} s ({statuses})")
    common = sorted(ERRORS.items(), key=lambda item: -item[1])[:12]
    print("errors reported most: " + "; ".join(f"{count}× {kind}" for kind, count in common))
    print(f"failures found: {len(kinds)} kind(s) ({len(found)} failing runs while shrinking)")
    for failures, site in kinds.values():
        print("\n" + "\n".join(failures[:10]))
        print(describe(site))
    return 1 if kinds else 0


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument(
        "--examples", type=int, default=1000, help="sites to build (default 1000)"
    )
    arguments.add_argument("--seed", type=int, help="the same sites each run (derandomized)")
    arguments.add_argument("--minutes", type=float, help="stop building new sites after this long")
    options = arguments.parse_args()
    sys.exit(main_run(options.examples, options.seed, options.minutes))
