"""Rebuilds: a build that follows another renders only what changed, and its output is the
same, byte for byte, as a build from nothing. Each text is rendered once, each redline
computed once, and the templates and catalogs load once, however many pages use them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import policygen.rendering
import policygen.sources
import policygen.theming
from policygen.incremental.folder import CACHE_FILE
from policygen.serving import Preview

from .conftest import (
    EXAMPLE_AS_OF,
    PRIVACY_EN,
    Run,
    SiteFactory,
    build_site,
    copy_example,
    read_tree,
)

CLI = Callable[..., Run]
AS_OF = ("--as-of", EXAMPLE_AS_OF.isoformat())
UPCOMING = "content/privacy/2027-01-01/en.md"


def _replace(site: Path, path: str, old: str, new: str) -> None:
    file = site / path
    text = file.read_text("utf-8")
    assert old in text, f"{path} does not contain {old!r}"
    file.write_text(text.replace(old, new, 1), "utf-8")


def edit_source(site: Path, cli: CLI) -> None:
    _replace(site, UPCOMING, "committed to respecting", "committed to fully respecting")
    # The upcoming revision is locked ahead: an editor locks it again after changing it.
    assert cli("lock", str(site), *AS_OF).code == 0


def edit_template(site: Path, cli: CLI) -> None:
    _replace(
        site, "templates/document.html", '<div class="notice', '<div data-edited class="notice'
    )


def edit_catalog(site: Path, cli: CLI) -> None:
    _replace(site, "locales/ja/LC_MESSAGES/messages.po", "作成した例示であり", "作成した例であり")


def edit_settings(site: Path, cli: CLI) -> None:
    _replace(site, "site.yaml", "en: JASSO Study in Japan Virtual Fair", "en: JASSO Virtual Fair")


def add_revision(site: Path, cli: CLI) -> None:
    assert cli("new", "cookies", "--effective", "2027-03-01", str(site)).code == 0
    draft = site / "content/cookies/2027-03-01/en.md"
    text = draft.read_text("utf-8").replace("\n---\n", "\n---\n\nA new first paragraph.\n", 1)
    draft.write_text(text, "utf-8")


EDITS = [edit_source, edit_template, edit_catalog, edit_settings, add_revision]


def test_each_cached_build_equals_a_build_from_nothing(cli: CLI, tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    out, cache = tmp_path / "out", ("--cache-dir", str(tmp_path / "cache"))
    assert cli("build", str(site), "-o", str(out), *cache, *AS_OF).code == 0
    assert (tmp_path / "cache" / CACHE_FILE).is_file()
    for number, edit in enumerate(EDITS):
        edit(site, cli)
        run = cli("build", str(site), "-o", str(out), *cache, *AS_OF)
        assert run.code == 0, run.err
        fresh = tmp_path / f"fresh-{number}"
        assert cli("build", str(site), "-o", str(fresh), "--no-cache", *AS_OF).code == 0
        assert read_tree(out) == read_tree(fresh), f"after {edit.__name__}"


def test_a_cached_build_renders_and_writes_only_what_changed(cli: CLI, tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    out = tmp_path / "out"
    cli("build", str(site), "-o", str(out), *AS_OF)
    unrelated = out / "ja/global/cookies/index.html"
    changed = out / "en/global/privacy/2027-01-01/index.html"
    before = {path: path.stat().st_ino for path in (unrelated, changed)}

    run = cli("build", str(site), "-o", str(out), *AS_OF)
    assert "52 pages (90 files)" in run.err
    assert "52 pages were unchanged and kept" in run.err

    edit_source(site, cli)
    run = cli("build", str(site), "-o", str(out), *AS_OF)
    assert "pages were unchanged and kept" in run.err
    assert unrelated.stat().st_ino == before[unrelated], "an unchanged file was written again"
    assert changed.stat().st_ino != before[changed]
    assert "fully respecting" in changed.read_text("utf-8")


def test_a_file_removed_from_the_output_is_made_again(cli: CLI, tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    out = tmp_path / "out"
    cli("build", str(site), "-o", str(out), *AS_OF)
    expected = read_tree(out)
    (out / "ja/europe/privacy/history/index.html").unlink()
    (out / "manifest.json").write_text("{}")
    assert cli("build", str(site), "-o", str(out), *AS_OF).code == 0
    assert read_tree(out) == expected


@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_each_rebuild_of_serve_equals_a_build_from_nothing(
    cli: CLI, tmp_path: Path, edit: Callable[[Path, CLI], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every file's status is trusted at once, so that the rebuild reads only the files whose
    # status changed, as it does where they were written more than a moment before.
    monkeypatch.setattr(policygen.sources, "SETTLED_NS", -(10**12))
    site = copy_example(tmp_path / "site")
    preview = Preview(site, tmp_path / "out", EXAMPLE_AS_OF)
    preview.rebuild()
    preview.rebuild()
    assert preview.rendered == 0
    edit(site, cli)
    preview.rebuild()
    assert not preview.failed, preview.problems
    build_site(site, tmp_path / "fresh", as_of=EXAMPLE_AS_OF)
    assert read_tree(tmp_path / "out") == read_tree(tmp_path / "fresh")


def test_a_rebuild_after_editing_a_draft_renders_only_its_pages(cli: CLI, tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    preview = Preview(site, tmp_path / "out", EXAMPLE_AS_OF)
    preview.rebuild()
    edit_source(site, cli)
    preview.rebuild()
    # The English text serves en and ja readers (no ja translation yet) in the global region
    # (europe has a text of its own, which did not change): each shows it on the revision's
    # page and its diff page. No other page shows it.
    assert preview.rendered == 2 * 2


def test_each_text_is_rendered_and_each_redline_computed_once(
    site_factory: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No region blocks and no French text: all four pages of a revision show one text.
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": PRIVACY_EN,
            "content/privacy/2025-01-01/en.md": PRIVACY_EN.replace("2024", "2025").replace(
                "We are", "We are still"
            ),
            "content/cookies/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\nFew.\n",
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n',
        }
    )
    rendered: list[str] = []
    diffed: list[tuple[str, str]] = []
    catalogs: list[str] = []
    render, diff, compile_catalog = (
        policygen.rendering.render_markdown,
        policygen.rendering.diff_texts,
        policygen.theming.compile_catalog,
    )
    monkeypatch.setattr(
        policygen.rendering,
        "render_markdown",
        lambda text, where: rendered.append(text.text) or render(text, where),
    )
    monkeypatch.setattr(
        policygen.rendering,
        "diff_texts",
        lambda old, new, *labels: diffed.append((old, new)) or diff(old, new, *labels),
    )
    monkeypatch.setattr(
        policygen.theming,
        "compile_catalog",
        lambda text, where, language: (
            catalogs.append(where.path) or compile_catalog(text, where, language)
        ),
    )
    out = tmp_path / "out"
    build_site(site, out, jobs=1)
    assert len(rendered) == 3  # for 3 revisions x 2 languages x 2 regions
    assert len(diffed) == 1  # for 4 diff pages
    assert len(list(out.glob("*/*/privacy/2025-01-01/diff/index.html"))) == 4
    # For every French page: the site's catalog, then the theme's (at the same path in the theme).
    assert catalogs == ["locales/fr/LC_MESSAGES/messages.po"] * 2
