"""Fixtures: mini-sites written from one dict, builds, and the command line."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from policygen.cli import main
from policygen.errors import BuildFailed
from policygen.pipeline import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)

SITE_YAML = """\
title: {en: Example Policies, fr: Politiques d'exemple}
base_url: https://policies.example.org/
default_language: en
languages: [en, fr]
timezone: Europe/Paris
regions:
  global: {default: true, name: {en: Everywhere else, fr: Ailleurs}}
  eu: {name: {en: European Union, fr: Union européenne}, countries: [FR, DE]}
"""

PRIVACY_EN = """\
---
title: Privacy Policy
effective: 2024-01-01
summary: First version.
---
## 1. Who we are

We are Example.

## 2. Cookies

See the [Cookies Policy](policy:cookies).
"""


settings.register_profile("default", derandomize=True, database=None)
settings.register_profile(
    "explore",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(ROOT / ".hypothesis" / "examples"),
)
settings.load_profile("default")
"""The property tests try the same examples on every run, so that a run fails because of
what changed, not by chance; `pytest --hypothesis-profile=explore` tries new ones each time
(and keeps those that fail in .hypothesis/, to try them first the next time)."""


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(10)
)
"""Eleven lines of YAML mappings that stand for ten billion values (a stranger's file may
hold them)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/golden/ from the current output",
    )


@pytest.fixture(autouse=True)
def user_cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The user's cache folder ($XDG_CACHE_HOME) of each test: builds keep their cache there,
    not in the cache folder of whoever runs the tests."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds run as on an editor's computer, in CI too (a build in CI keeps no spare output
    for a next build: see `policygen.pipeline.build`'s `spare_ahead`)."""
    monkeypatch.delenv("CI", raising=False)


@dataclass
class Run:
    """The outcome of one command line run."""

    code: int
    out: str
    err: str


SiteFactory = Callable[..., Path]


@pytest.fixture
def site_factory(tmp_path: Path) -> SiteFactory:
    """Write a mini-site: {relative path: text}; site.yaml defaults to SITE_YAML."""

    def make(files: dict[str, str | bytes], *, with_defaults: bool = True) -> Path:
        root = tmp_path / "site"
        contents: dict[str, str | bytes] = {}
        if with_defaults:
            contents["site.yaml"] = SITE_YAML
        contents.update(files)
        for relative, content in contents.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(
                    textwrap.dedent(content) if content.startswith("\n") else content,
                    encoding="utf-8",
                )
        root.mkdir(exist_ok=True)
        return root

    return make


def build_site(
    site: Path,
    out: Path | None = None,
    *,
    as_of: dt.date | None = dt.date(2026, 11, 29),
    **options: object,
) -> BuildResult:
    """Build a site (or only check it when `out` is None)."""
    return build(site, out, now=NOW, as_of=as_of, **options)  # type: ignore[arg-type]


def problems_of(
    site: Path,
    as_of: dt.date = dt.date(2026, 11, 29),
    *,
    severity: str = "error",
    code: str | None = None,
) -> list[str]:
    """The problems of one severity (and code) that a check of the site reports, as printed."""
    try:
        problems = build_site(site, None, as_of=as_of).warnings
    except BuildFailed as failed:
        problems = tuple(failed.problems)
    return [str(p) for p in problems if p.severity == severity and code in (None, p.code)]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the policygen command line in-process."""

    def run(*args: str) -> Run:
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse usage errors
            code = int(exit.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


EXAMPLE_AS_OF = dt.date(2026, 11, 29)
EXAMPLE_PARTS = ("site.yaml", "policies.lock", "content", "templates", "locales")


def copy_example(destination: Path) -> Path:
    """A copy of the example site at the repository root (its sources only)."""
    destination.mkdir(parents=True)
    for name in EXAMPLE_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built once as of EXAMPLE_AS_OF: its output folder."""
    site = copy_example(tmp_path_factory.mktemp("example") / "site")
    build_site(site, site / "public", as_of=EXAMPLE_AS_OF)
    return site / "public"


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
