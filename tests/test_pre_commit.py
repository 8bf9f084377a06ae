"""The pre-commit hook (.pre-commit-hooks.yaml), as pre-commit reads and runs it.

`pre-commit try-repo` would install policygen into a fresh environment from the package
index, which a test cannot count on: the hook is validated against pre-commit's own schema,
and its entry run the way pre-commit runs it (no file names, from the repository's root).
"""

from __future__ import annotations

import calendar
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from pre_commit.clientlib import load_manifest

from .conftest import EXAMPLE_AS_OF, ROOT, copy_example

[HOOK] = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))


def test_the_hook_is_valid_for_pre_commit_and_checks_the_whole_site() -> None:
    assert HOOK["id"] == "policygen-check"
    assert HOOK["language"] == "python"
    assert shlex.split(HOOK["entry"]) == ["policygen", "check"]
    assert HOOK["pass_filenames"] is False
    assert HOOK["args"] == []


@pytest.mark.parametrize(
    ("path", "is_checked"),
    [
        ("content/privacy/2024-01-01/en.md", True),
        ("content/privacy/2024-01-01/en.europe.md", True),
        ("content/privacy/policy.yaml", True),
        ("site.yaml", True),
        ("policies.lock", True),
        ("locales/ja/LC_MESSAGES/messages.po", True),
        ("templates/document.html", True),
        ("README.md", False),
        ("docs/editors.md", False),
        ("src/policygen/cli.py", False),
        ("public/en/index.html", False),
        ("tests/sites/basic/content/terms/2025-03-01/en.md", False),
    ],
)
def test_the_hook_runs_when_a_commit_changes_the_sites_sources(path: str, is_checked: bool) -> None:
    assert bool(re.search(HOOK["files"], path)) is is_checked
    assert not re.search(HOOK["exclude"], path)


def run_hook(site: Path) -> subprocess.CompletedProcess[str]:
    """The hook's entry as pre-commit runs it: from the repository's root, without file names,
    with the hook's environment's scripts first on PATH."""
    scripts = Path(sys.executable).parent
    return subprocess.run(
        [*shlex.split(HOOK["entry"]), *HOOK["args"]],
        cwd=site,
        env={
            **os.environ,
            "PATH": f"{scripts}:{os.environ['PATH']}",
            "SOURCE_DATE_EPOCH": str(calendar.timegm(EXAMPLE_AS_OF.timetuple())),
        },
        capture_output=True,
        text=True,
    )


def test_the_hook_passes_a_good_site_and_stops_a_commit_with_a_mistake(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    good = run_hook(site)
    assert (good.returncode, good.stderr) == (0, "policygen: no problems\n")
    text = site / "content/privacy/2022-07-07/ja.md"
    text.write_text(text.read_text(encoding="utf-8").replace("title:", "titel:", 1), "utf-8")
    broken = run_hook(site)
    assert broken.returncode == 1
    assert broken.stderr.startswith(
        "content/privacy/2022-07-07/ja.md:2:1: error: unknown key 'titel' in the front matter"
    )
