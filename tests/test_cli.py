"""The policygen command line: exit codes, problem lines, JSON, the build's clock."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import PRIVACY_EN, Run, SiteFactory

COOKIES = "---\ntitle: Cookies\neffective: 2024-01-01\n---\n## 1. Cookies\n"
GOOD = {"content/privacy/2024-01-01/en.md": PRIVACY_EN, "content/cookies/2024-01-01/en.md": COOKIES}
BROKEN = {
    **GOOD,
    "content/privacy/2024-06-01/en.md": "---\nefective: 2024-06-01\n---\nSee [x](policy:nowhere).\n",
    "content/privacy/2024-06-01/fr.md": "---\ntitle: [\n---\n",
}
CLI = Callable[..., Run]


def test_build_writes_the_site_and_says_what_it_did(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    site = site_factory(GOOD)
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--as-of", "2026-01-01")
    assert run.code == 0
    assert (tmp_path / "out/en/global/privacy/index.html").exists()
    assert "policygen: built 28 pages" in run.err and "as of 2026-01-01" in run.err


def test_build_reports_every_problem_and_publishes_nothing(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    site = site_factory(BROKEN)
    out = tmp_path / "out"
    run = cli("build", str(site), "-o", str(out))
    assert run.code == 1
    assert run.err.splitlines() == [
        "content/privacy/2024-06-01/en.md:2:1: error: unknown key 'efective' in the front matter (did you mean 'effective'?)",
        "content/privacy/2024-06-01/fr.md:2:9: error: this YAML is malformed: expected the node content, but found '<stream end>'",
        f"policygen: build failed with 2 errors; {out} was left as it was",
    ]
    assert not out.exists()


def test_check_writes_nothing(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory(GOOD)
    assert cli("lock", str(site)).code == 0
    run = cli("check", str(site))
    assert (run.code, run.err) == (0, "policygen: no problems\n")
    assert not (site / "public").exists()


def test_check_json_lists_problems_for_ci_annotations(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory(BROKEN)
    run = cli("check", str(site), "--format", "json")
    assert run.code == 1
    problems = json.loads(run.out)
    assert problems[0] == {
        "path": "content/privacy/2024-06-01/en.md",
        "line": 2,
        "column": 1,
        "severity": "error",
        "code": "unknown-key",
        "message": "unknown key 'efective' in the front matter (did you mean 'effective'?)",
    }


def test_check_github_annotates_each_problem_at_its_line_in_the_repository(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_factory(BROKEN)
    monkeypatch.chdir(site.parent)
    run = cli("check", site.name, "--format", "github")
    assert run.code == 1
    assert run.out.splitlines() == [
        "::error file=site/content/privacy/2024-06-01/en.md,line=2,col=1,title=policygen%3A unknown-key::unknown key 'efective' in the front matter (did you mean 'effective'?)",
        "::error file=site/content/privacy/2024-06-01/fr.md,line=2,col=9,title=policygen%3A yaml::this YAML is malformed: expected the node content, but found '<stream end>'",
    ]
    assert run.err == "policygen: 2 errors\n"


def test_check_github_annotates_warnings_and_fails_on_them_when_strict(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_factory(
        {**GOOD, "content/cookies/2024-01-01/en.md": COOKIES + "\nSee [above](#nowhere).\n"}
    )
    # Locked, the cookie policy's text would be history, no longer warned about.
    assert cli("lock", str(site)).code == 0
    monkeypatch.chdir(site)
    lock = site.joinpath("policies.lock")
    lock.write_text(
        "".join(line for line in lock.read_text().splitlines(True) if "cookies" not in line)
    )
    annotation = "::warning file=content/cookies/2024-01-01/en.md,line=7,title=policygen%3A unknown-anchor::link to '#nowhere', but nothing on this page has that id (anchors: section-1)\n"
    run = cli("check", "--format", "github")
    assert run.code == 0
    assert [line.split("::")[1] for line in run.out.splitlines()] == [
        "warning file=content/cookies/2024-01-01/en.md,line=1,title=policygen%3A not-locked",
        "warning file=content/cookies/2024-01-01/en.md,line=7,title=policygen%3A unknown-anchor",
    ]
    assert annotation in run.out
    strict = cli("check", "--format", "github", "--strict")
    assert (strict.code, strict.out) == (1, run.out)


def test_strict_check_fails_on_warnings(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory(
        {**GOOD, "content/cookies/2024-01-01/en.md": COOKIES + "\nSee [above](#nowhere).\n"}
    )
    assert cli("check", str(site)).code == 0
    strict = cli("check", str(site), "--strict")
    assert strict.code == 1
    assert (
        "content/cookies/2024-01-01/en.md:7: warning: link to '#nowhere', but nothing on this page has that id (anchors: section-1)"
        in strict.err
    )


def test_source_date_epoch_sets_the_date(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_factory(
        {
            **GOOD,
            "content/cookies/2025-01-01/en.md": "---\neffective: 2025-01-01\npublished: 2024-10-01\n---\n## 1. New cookies\n",
        }
    )
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", "1735686000"
    )  # 2024-12-31T23:00:00Z, already 2025-01-01 in Paris
    run = cli("build", str(site), "-o", str(tmp_path / "out"))
    assert "as of 2025-01-01" in run.err
    assert "New cookies" in (tmp_path / "out/en/global/cookies/index.html").read_text()


@pytest.mark.parametrize("args", [["build", "--as-of", "July 1"], ["frobnicate"], []])
def test_usage_errors_exit_2(cli: CLI, args: list[str]) -> None:
    assert cli(*args).code == 2


def test_missing_site_is_a_clear_error(cli: CLI, tmp_path: Path) -> None:
    run = cli("check", str(tmp_path))
    assert run.code == 1
    assert (
        f"site.yaml: error: no site.yaml in {tmp_path}: is this a policygen site folder?" in run.err
    )


@pytest.mark.parametrize("module", ["policygen", "policygen.cli"])
def test_python_m_runs_the_command_line(module: str, site_factory: SiteFactory) -> None:
    site = site_factory(BROKEN)
    ran = subprocess.run(
        [sys.executable, "-m", module, "check", str(site), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 1
    assert any(p["message"].startswith("unknown key 'efective'") for p in json.loads(ran.stdout))
