"""`policygen build` with nothing changed since the last build prints that build's report
without building again, and builds as usual as soon as anything it depends on changed."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import policygen.cli.build
import policygen.incremental.unchanged
import policygen.output

from .conftest import Run, SiteFactory

CLI = Callable[..., Run]

TEXT = "content/privacy/2024-01-01/en.md"
SOURCES = {
    TEXT: "---\neffective: 2024-01-01\n---\n# Privacy\n\nSee [there](#nowhere).\n",
    "content/privacy/2025-01-01/en.md": "---\neffective: 2025-01-01\n---\n# Privacy\n\nNew.\n",
}


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Files are trusted by their stamps at once, rather than two seconds after they changed.
    monkeypatch.setattr(policygen.output, "SETTLED", 0)
    monkeypatch.setattr(policygen.incremental.unchanged, "SETTLED", 0)


@pytest.fixture
def builds(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path, settled_at_once: None
) -> Callable[..., tuple[int, str, bool]]:
    """Build the site: its exit status, what it printed, and whether it built."""
    site = site_factory(SOURCES)
    out, cache = tmp_path / "out", tmp_path / "cache"

    def build(*more: str) -> tuple[int, str, bool]:
        built = []
        real = policygen.cli.build.build

        def counted(*args: object, **kwargs: object) -> object:
            built.append(True)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        policygen.cli.build.build = counted  # type: ignore[assignment]
        try:
            run = cli("build", str(site), "-o", str(out), "--cache-dir", str(cache), *more)
        finally:
            policygen.cli.build.build = real
        return run.code, run.err, bool(built)

    return build


def test_a_build_with_nothing_changed_replays_the_last_report(
    builds: Callable[..., tuple[int, str, bool]], tmp_path: Path
) -> None:
    code, first, built = builds()
    assert code == 0 and built and "dead-link" not in first and "#nowhere" in first
    while built:  # until every file of the output is stamped
        code, again, built = builds()
        assert code == 0
    assert again.splitlines()[:-1] == first.splitlines()[:-1]  # the same warnings
    assert again.splitlines()[-1].endswith(
        f"into {tmp_path / 'out'}; 24 pages were unchanged and kept"
    )
    assert (tmp_path / "cache" / "last-build.json").is_file()


def _settle(builds: Callable[..., tuple[int, str, bool]]) -> None:
    built = True
    while built:
        _, _, built = builds()


@pytest.mark.parametrize(
    "change",
    [
        "edit a text",
        "edit a text, keeping its size and times",
        "add a file to content",
        "add a template",
        "remove the lock",
        "change an output file",
        "add a file to the output",
        "remove a file of the output",
    ],
)
def test_any_change_to_what_a_build_reads_or_leaves_means_a_build(
    builds: Callable[..., tuple[int, str, bool]], tmp_path: Path, change: str
) -> None:
    _settle(builds)
    site, out = tmp_path / "site", tmp_path / "out"
    text = site / TEXT
    if change == "edit a text":
        text.write_text(text.read_text() + "\nMore.\n")
    elif change == "edit a text, keeping its size and times":
        found = text.stat()
        text.write_text(text.read_text().replace("New", "Old"))
        os.utime(text, ns=(found.st_atime_ns, found.st_mtime_ns))
    elif change == "add a file to content":
        (site / "content/privacy/2024-01-01/fr.md").write_text("---\n---\nTexte.\n")
    elif change == "add a template":
        (site / "templates").mkdir(exist_ok=True)
        (site / "templates/extra.html").write_text("x")
    elif change == "remove the lock":
        (site / "policies.lock").unlink(missing_ok=True)
        (site / "policies.lock").write_text("")
    elif change == "change an output file":
        page = next(out.glob("**/index.html"))
        found = page.stat()
        page.write_bytes(page.read_bytes().replace(b"<", b"[", 1))
        os.utime(page, ns=(found.st_atime_ns, found.st_mtime_ns))
    elif change == "add a file to the output":
        (out / "extra.txt").write_text("x")
    elif change == "remove a file of the output":
        next(out.glob("**/source.md")).unlink()
    _, _, built = builds()
    assert built


def test_another_date_option_or_version_means_a_build(
    builds: Callable[..., tuple[int, str, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _settle(builds)
    assert builds("--as-of", "2025-06-01")[2]
    _settle(builds)
    assert builds("--base-url", "https://elsewhere.example/")[2]
    _settle(builds)
    monkeypatch.setattr(policygen.cli.build, "environment_key", lambda: "another policygen")
    assert builds()[2]
    _settle(builds)
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(tomorrow.timestamp())))
    assert builds()[2]  # the date pages are made as of is another


def test_a_damaged_record_means_a_build(
    builds: Callable[..., tuple[int, str, bool]], tmp_path: Path
) -> None:
    _settle(builds)
    record = tmp_path / "cache" / "last-build.json"
    for damaged in (
        "",
        "{",
        '{"asked": 1}',
        json.dumps({**json.loads(record.read_text()), "pages": "4"}),
    ):
        record.write_text(damaged)
        code, _, built = builds()
        assert code == 0 and built
        _settle(builds)


def test_a_failed_build_forgets_the_last(
    builds: Callable[..., tuple[int, str, bool]], tmp_path: Path
) -> None:
    _settle(builds)
    text = tmp_path / "site" / TEXT
    original = text.read_text()
    text.write_text("---\neffective: not a date\n---\nText.\n")
    assert builds()[0] == 1
    assert not (tmp_path / "cache" / "last-build.json").exists()
    text.write_text(original)
    assert builds()[2]


def test_a_file_changed_within_two_seconds_of_the_listing_is_not_trusted(
    tmp_path: Path,
) -> None:
    from policygen.incremental.unchanged import list_sources

    (tmp_path / "site.yaml").write_text("title: x\n")
    now = (tmp_path / "site.yaml").stat().st_ctime_ns
    assert list_sources(tmp_path, now + 1_000_000_000) is None
    assert list_sources(tmp_path, now + 3_000_000_000) is not None


def test_files_too_recent_to_be_stamped_are_known_by_their_bytes(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The build stamps no file of the output (as for those it writes in its last two
    # seconds); the site's files, and the output's once read back whole, are trusted at once.
    monkeypatch.setattr(policygen.output, "SETTLED", 10**15)
    monkeypatch.setattr(policygen.incremental.unchanged, "SETTLED", 0)
    site = site_factory(SOURCES)
    out, cache = tmp_path / "out", tmp_path / "cache"
    arguments = ["build", str(site), "-o", str(out), "--cache-dir", str(cache)]
    built: list[bool] = []
    real = policygen.cli.build.build
    monkeypatch.setattr(
        policygen.cli.build, "build", lambda *a, **k: built.append(True) or real(*a, **k)
    )

    def record() -> dict[str, list[object]]:
        kept: dict[str, list[object]] = json.loads((cache / "last-build.json").read_text())[
            "output"
        ]
        return kept

    assert cli(*arguments).code == 0 and built
    assert len(record()["fresh"]) == 46  # every file, known by its bytes
    page = next(out.glob("**/index.html"))
    found = page.stat()
    page.write_bytes(page.read_bytes().replace(b"<", b"[", 1))
    os.utime(page, ns=(found.st_atime_ns, found.st_mtime_ns))
    built.clear()
    assert cli(*arguments).code == 0 and built  # its bytes changed: built again
    built.clear()
    assert cli(*arguments).code == 0 and not built  # every file read back and found whole
    assert record()["fresh"] == []  # and now known by their stamps
    assert cli(*arguments).code == 0 and not built
