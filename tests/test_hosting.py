"""OUT/_headers: what Netlify and Cloudflare Pages send with each kind of file of a built site."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from policygen.assembly import assemble_site
from policygen.hosting import (
    CONTENT_SECURITY_POLICY,
    IMMUTABLE,
    MARKDOWN_TYPE,
    REVALIDATE,
    SECURITY_HEADERS,
    plan_header_rules,
    render_headers_file,
)
from policygen.model import Site
from policygen.sources import read_site

from .browser.static_host import StaticHost
from .conftest import NOW, ROOT, SITE_YAML, SiteFactory, build_site
from .headers_file import (
    DIALECTS,
    Dialect,
    HeadersFileError,
    headers_for,
    matches,
    parse_headers_file,
)

AS_OF = dt.date(2026, 11, 29)


def text(title: str, effective: str, body: str = "We are Example.") -> str:
    # Upcoming revisions are announced a month before: published, not only scheduled.
    published = min(effective, "2026-11-01")
    return (
        f"---\ntitle: {title}\neffective: {effective}\npublished: {published}\n"
        f"summary: Changes.\n---\n## 1. Who we are\n\n{body}\n"
    )


# privacy: two superseded revisions (the second with a diff page), one in force, one upcoming.
# cookies: in force since a date that is a superseded revision of privacy.
SITE = {
    "content/privacy/2023-01-01/en.md": text("Privacy", "2023-01-01", "First."),
    "content/privacy/2024-01-01/en.md": text("Privacy", "2024-01-01", "Second."),
    "content/privacy/2025-01-01/en.md": text("Privacy", "2025-01-01", "Third."),
    "content/privacy/2027-01-01/en.md": text("Privacy", "2027-01-01", "Fourth."),
    "content/cookies/2024-01-01/en.md": text("Cookies", "2024-01-01"),
}


@pytest.fixture(scope="module")
def site_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hosting")
    site = root / "site"
    for relative, content in {"site.yaml": SITE_YAML, **SITE}.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(content, encoding="utf-8")
    build_site(site, root / "public", as_of=AS_OF)
    return root / "public"


@pytest.fixture(scope="module", params=DIALECTS)
def host(request: pytest.FixtureRequest, site_out: Path) -> Iterator[StaticHost]:
    """The built site served at /policies/ by a server that applies _headers as one host does."""
    server = StaticHost(site_out, "/policies/", headers=request.param)
    yield server
    server.stop()


def fetch(host: StaticHost, path: str) -> tuple[int, dict[str, str]]:
    """Status and headers (by lowercase name; a header sent twice fails the test)."""
    try:
        response = urllib.request.urlopen(host.url + path)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        names = [name.lower() for name in response.headers]
        assert len(names) == len(set(names)), f"{path}: a header sent twice: {names}"
        return response.status, {name.lower(): value for name, value in response.headers.items()}


CORS = "access-control-allow-origin"
KINDS = [
    # path, Cache-Control, readable from other sites
    ("", REVALIDATE, False),
    ("index.html", REVALIDATE, False),
    ("en/", REVALIDATE, False),
    ("en/global/privacy/", REVALIDATE, False),
    ("en/global/privacy/history/", REVALIDATE, False),
    ("en/global/privacy/2023-01-01/", IMMUTABLE, False),
    ("en/global/privacy/2023-01-01/source.md", IMMUTABLE, False),
    ("fr/eu/privacy/2024-01-01/", IMMUTABLE, False),
    ("fr/eu/privacy/2024-01-01/diff/", IMMUTABLE, False),
    ("fr/eu/privacy/2024-01-01/source.md", IMMUTABLE, False),
    # In force: its page says so and announces the next one; its text is settled.
    ("en/global/privacy/2025-01-01/", REVALIDATE, False),
    ("en/global/privacy/2025-01-01/diff/", REVALIDATE, False),
    ("en/global/privacy/2025-01-01/source.md", IMMUTABLE, False),
    ("en/eu/cookies/2024-01-01/", REVALIDATE, False),
    ("en/eu/cookies/2024-01-01/source.md", IMMUTABLE, False),
    # Upcoming: its text may still change before it takes effect.
    ("en/global/privacy/2027-01-01/", REVALIDATE, False),
    ("en/global/privacy/2027-01-01/diff/", REVALIDATE, False),
    ("en/global/privacy/2027-01-01/source.md", REVALIDATE, False),
    ("en/global/feed.xml", REVALIDATE, False),
    ("sitemap.xml", REVALIDATE, False),
    ("static/policygen.css", REVALIDATE, False),
    ("manifest.json", REVALIDATE, True),
    ("manifest.schema.json", REVALIDATE, True),
    ("api/privacy/global/en.json", REVALIDATE, True),
    ("api/reader.schema.json", REVALIDATE, True),
]


@pytest.mark.parametrize(("path", "cache", "is_cross_origin"), KINDS)
def test_each_kind_of_file_gets_its_headers_from_both_hosts(
    host: StaticHost, path: str, cache: str, is_cross_origin: bool
) -> None:
    status, headers = fetch(host, path)
    assert status == 200
    assert headers["cache-control"] == cache
    assert headers.get(CORS) == ("*" if is_cross_origin else None)
    for name, value in SECURITY_HEADERS:
        assert headers[name.lower()] == value
    if path.endswith("source.md"):
        assert headers["content-type"] == MARKDOWN_TYPE


def test_a_missing_page_gets_the_security_headers_too(host: StaticHost) -> None:
    status, headers = fetch(host, "en/global/no-such-policy/")
    assert status == 404
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["cache-control"] == REVALIDATE


def expected_cache(out: Path) -> dict[str, str]:
    """What may be cached for a year, from the manifest alone: every file of a superseded
    revision's pages, and the source.md and PDFs of the revision in force."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    base = manifest["base_url"]
    settled: set[str] = set()
    for policy in manifest["policies"].values():
        for revision in policy["revisions"]:
            for regions in revision["documents"].values():
                for document in regions.values():
                    if revision["status"] == "superseded":
                        folder = document["url"].removeprefix(base)
                        settled |= {p for p in _urls(out) if p.startswith(folder)}
                    elif revision["status"] == "current":
                        settled.add(document["source_url"].removeprefix(base))
                    if revision["status"] == "current" and "pdf_url" in document:
                        settled.add(document["pdf_url"].removeprefix(base))
    return {path: IMMUTABLE if path in settled else REVALIDATE for path in _urls(out)}


def _urls(out: Path) -> list[str]:
    """Every address of the output: each file, and each folder that has a page."""
    paths = []
    for file in sorted(out.rglob("*")):
        if file.is_file() and file.name != "_headers":
            relative = file.relative_to(out).as_posix()
            paths.append(relative)
            if file.name == "index.html":
                paths.append(relative.removesuffix("index.html"))
    return paths


def check_every_address(out: Path) -> None:
    """Every address of the output, on both hosts: one Cache-Control, the right one; the
    security headers once; CORS on the manifest and the answers only."""
    rules = parse_headers_file((out / "_headers").read_text(encoding="utf-8"))
    expected = expected_cache(out)
    assert expected
    for dialect in DIALECTS:
        for path, cache in expected.items():
            headers = headers_for(rules, "/" + path, dialect)
            where = f"{dialect}: /{path}"
            if path.endswith("index.html"):
                # Links name the folder; its page by name may be revalidated all the same.
                folder = expected[path.removesuffix("index.html")]
                assert headers["cache-control"] in (folder, REVALIDATE), where
            else:
                assert headers["cache-control"] == cache, where
            for name, value in SECURITY_HEADERS:
                assert headers[name.lower()] == value, where
            is_cross_origin = path.startswith("api/") or path.startswith("manifest.")
            assert headers.get(CORS) == ("*" if is_cross_origin else None), where
            if path.endswith("/source.md"):
                assert headers["content-type"] == MARKDOWN_TYPE, where
            else:
                assert "content-type" not in headers, where


def test_every_address_of_the_example_site_gets_one_cache_policy(example: Path) -> None:
    check_every_address(example)


def test_the_pdfs_of_settled_texts_are_cached_for_a_year(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", exc_type=ImportError)
    site = tmp_path / "site"
    for relative, content in {"site.yaml": SITE_YAML, **SITE}.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(content, encoding="utf-8")
    build_site(site, tmp_path / "public", as_of=AS_OF, pdf=True)
    pdfs = sorted((tmp_path / "public").rglob("*.pdf"))
    assert len(pdfs) == (4 + 1) * 2 * 2  # revisions, languages, regions
    expected = expected_cache(tmp_path / "public")
    assert expected["en/global/privacy/2025-01-01/privacy-2025-01-01-en-global.pdf"] == IMMUTABLE
    assert expected["fr/eu/privacy/2023-01-01/privacy-2023-01-01-fr-eu.pdf"] == IMMUTABLE
    # Upcoming: its text may still change before it takes effect.
    assert expected["en/global/privacy/2027-01-01/privacy-2027-01-01-en-global.pdf"] == REVALIDATE
    check_every_address(tmp_path / "public")


def test_every_address_of_a_site_with_overlapping_revision_ids(site_out: Path) -> None:
    check_every_address(site_out)


def test_revision_ids_that_begin_other_names_are_named_whole(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    # On Netlify `…/h/*` would match the history and `…/v1/*` the revision v10 in force.
    site = site_factory(
        {
            "content/privacy/h/en.md": text("Privacy", "2020-01-01", "First."),
            "content/privacy/v1/en.md": text("Privacy", "2021-01-01", "Second."),
            "content/privacy/v10/en.md": text("Privacy", "2022-01-01", "Third."),
            "content/privacy/en/en.md": text("Privacy", "2027-01-01", "Fourth."),
        }
    )
    build_site(site, tmp_path / "out", as_of=AS_OF)
    check_every_address(tmp_path / "out")
    paths = [r.path for r in plan_header_rules(_site(site))]
    assert "/:lang/:region/privacy/h/" in paths
    assert "/:lang/:region/privacy/v1/diff/" in paths
    assert not any(path.endswith(("/h*", "/v*", "/v1*")) for path in paths)


def _site(folder: Path) -> Site:
    sources, problems = read_site(folder)
    site, more = assemble_site(sources, AS_OF, NOW)
    assert site is not None and not [p for p in problems + more if p.is_error]
    return site


def test_a_long_history_stays_within_what_cloudflare_reads(site_factory: SiteFactory) -> None:
    files = {}
    for number in range(12):
        policy = f"policy-{number}"
        for year in range(2010, 2027):
            effective = f"{year}-{number % 12 + 1:02}-{number + 1:02}"
            files[f"content/{policy}/{effective}/en.md"] = text(policy, effective, str(year))
    rules = plan_header_rules(_site(site_factory(files)))
    parsed = parse_headers_file(render_headers_file(rules).decode("utf-8"))
    assert len(parsed) == len(rules) < 40


def test_headers_file_names_each_rule_once_in_the_hosts_format(site_out: Path) -> None:
    text = (site_out / "_headers").read_text(encoding="utf-8")
    rules = parse_headers_file(text)
    assert rules[0].path == "/*"
    assert len({rule.path for rule in rules}) == len(rules)
    assert "/:lang/:region/:policy/2023*" in text
    # 2024-01-01 is in force for cookies: privacy's is named for privacy alone.
    assert "/:lang/:region/privacy/2024*" in text
    assert "/:lang/:region/:policy/2024" not in text


FORBIDDEN = [
    (re.compile(r"<script\b", re.I), "a script"),
    (re.compile(r"<style\b", re.I), "a style element"),
    (re.compile(r"\sstyle=", re.I), "an inline style"),
    (re.compile(r"\son[a-z]+=", re.I), "an event handler"),
    (re.compile(r"<(?:img|iframe|object|embed|form|video|audio)\b", re.I), "active content"),
    (
        re.compile(r'\s(?:src|href)="(?:https?:)?//[^"]*\.(?:css|js)"', re.I),
        "a resource from elsewhere",
    ),
]


@pytest.mark.parametrize("site", ["example", "basic"])
def test_pages_need_nothing_the_content_security_policy_forbids(
    site: str, example: Path, tmp_path: Path
) -> None:
    out = example
    if site != "example":
        out = tmp_path / "out"
        build_site(ROOT / "tests/sites" / site, out)
    pages = sorted(out.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for pattern, what in FORBIDDEN:
            assert not pattern.search(html), f"{page.relative_to(out)} has {what}"


@pytest.mark.parametrize(
    ("pattern", "path", "netlify", "cloudflare"),
    [
        ("/:lang/", "/en/", True, True),
        ("/:lang/", "/manifest.json", True, False),
        ("/api/*", "/api", True, False),
        ("/api/*", "/api/privacy/global/en.json", True, True),
        ("/:a/:b/:c/2021*", "/en/global/privacy/2021-04-01/diff/", True, True),
        ("/:a/:b/:c/v1/*", "/en/global/privacy/v10/", True, False),
        ("/:a/:b/:c/h/*", "/en/global/privacy/history/", True, False),
        ("/:a/:b/privacy/", "/en/global/privacy", True, False),
    ],
)
def test_the_hosts_match_paths_as_they_document(
    pattern: str, path: str, netlify: bool, cloudflare: bool
) -> None:
    dialects: dict[Dialect, bool] = {"netlify": netlify, "cloudflare": cloudflare}
    for dialect, expected in dialects.items():
        assert matches(pattern, path, dialect) is expected, dialect


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  X-A: b\n", "line 1: a header before any path"),
        ("/a\nX-A: b\n", "line 2: a header must be indented under its path"),
        ("/a\n  ! X-A\n", "line 2: Netlify has no detached headers"),
        ("/a*/b*\n  X-A: b\n", "line 1: Cloudflare allows one * in a path"),
        ("/a\n", "line 1: a path without headers"),
    ],
)
def test_a_headers_file_the_hosts_would_misread_is_refused(text: str, message: str) -> None:
    with pytest.raises(HeadersFileError, match=re.escape(message)):
        parse_headers_file(text)


def docs_script(marker: str, out: Path) -> str:
    """The shell block of docs/hosting.md that holds `marker`, run on the output `out`."""
    text = (ROOT / "docs/hosting.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    [block] = [block for block in blocks if marker in block]
    return block.replace("public/", f"{out}/")


def run_bash(script: str, tmp_path: Path) -> None:
    subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"},
    )


def test_the_nginx_map_of_the_docs_caches_what_headers_does(example: Path, tmp_path: Path) -> None:
    map_file = tmp_path / "policygen-immutable.map"
    script = docs_script("policygen-immutable.map", example)
    script = "\n".join(
        line for line in script.splitlines() if not line.startswith(("rsync", "nginx"))
    ).replace("/etc/nginx/policygen-immutable.map", str(map_file))
    run_bash(script, tmp_path)
    entries = re.findall(r'^~(\S+) "([^"]*)";$', map_file.read_text(encoding="utf-8"), re.M)
    assert entries and all(value == IMMUTABLE for _, value in entries)
    for path, cache in expected_cache(example).items():
        served = "/policies/" + path
        nginx = IMMUTABLE if any(re.search(rx, served) for rx, _ in entries) else REVALIDATE
        if path.endswith("index.html"):
            assert nginx in (expected_cache(example)[path.removesuffix("index.html")], REVALIDATE)
        else:
            assert nginx == cache, path


FAKE_AWS = """#!/usr/bin/env python3
import json, sys
with open(sys.argv[0] + ".calls", "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


@pytest.mark.parametrize("name", ["example", "overlapping"])
def test_the_s3_uploads_of_the_docs_cache_what_headers_does(
    name: str, example: Path, site_out: Path, tmp_path: Path
) -> None:
    out = example if name == "example" else site_out
    aws = tmp_path / "aws"
    aws.write_text(FAKE_AWS, encoding="utf-8")
    aws.chmod(0o755)
    run_bash(docs_script('--include "$texts"', out), tmp_path)
    uploaded: dict[str, tuple[str, str | None]] = {}
    for line in (tmp_path / "aws.calls").read_text(encoding="utf-8").splitlines():
        call = json.loads(line)
        assert call[:2] == ["s3", "cp"] and "--recursive" in call
        options = {flag: value for flag, value in zip(call, call[1:], strict=False)}
        for file in _urls(out):
            if file.endswith("/") or file == "":
                continue
            included = True
            for flag, pattern in zip(call, call[1:], strict=False):
                if flag in ("--exclude", "--include") and fnmatch.fnmatchcase(file, pattern):
                    included = flag == "--include"
            if included:
                uploaded[file] = (options["--cache-control"], options.get("--content-type"))
    expected = {
        path: (IMMUTABLE, MARKDOWN_TYPE if path.endswith("source.md") else None)
        for path, cache in expected_cache(out).items()
        if cache == IMMUTABLE and not path.endswith("/")
    }
    assert {p: v for p, v in uploaded.items() if not p.endswith("index.html")} == {
        p: v for p, v in expected.items() if not p.endswith("index.html")
    }
