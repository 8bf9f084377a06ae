"""Fixture sites under tests/sites/ built and compared with tests/golden/, file by file."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest

from .conftest import build_site, read_tree

HERE = Path(__file__).parent
SITES = {
    "basic": dt.date(2026, 1, 1),
    "converted": dt.date(2026, 1, 1),
    "regional": dt.date(2026, 12, 1),
}


@pytest.mark.parametrize("name", sorted(SITES))
def test_fixture_site_matches_its_golden_output(
    name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    out = tmp_path / "out"
    build_site(HERE / "sites" / name, out, as_of=SITES[name])
    golden = HERE / "golden" / name
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(out, golden)
        pytest.skip(f"rewrote {golden}: review it with git diff")
    built, expected = read_tree(out), read_tree(golden)
    assert sorted(built) == sorted(expected), "the output has other files than tests/golden/" + name
    for path in sorted(built):
        if built[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode().splitlines(),
                built[path].decode().splitlines(),
                f"golden/{path}",
                f"built/{path}",
                lineterm="",
            )
            pytest.fail("\n".join(diff) + "\n(run pytest --update-goldens on purpose to accept)")
