"""status, new, lock and translate check the site without making a page; check and build
make every page, for the errors only a page finds (a template's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import policygen.making

from .conftest import PRIVACY_EN, Run, SiteFactory

CLI = Callable[..., Run]
COOKIES = "---\ntitle: Cookies\neffective: 2024-01-01\n---\n## 1. Cookies\n"
SITE = {"content/privacy/2024-01-01/en.md": PRIVACY_EN, "content/cookies/2024-01-01/en.md": COOKIES}


@pytest.fixture
def no_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise AssertionError("a page was made")

    monkeypatch.setattr(policygen.making, "make_part", refused)


def test_lock_status_and_new_make_no_page(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, no_page: None
) -> None:
    site = site_factory(SITE)
    assert cli("lock", str(site)).code == 0
    assert (site / "policies.lock").is_file()
    assert cli("status", str(site)).code == 0
    new = cli("new", "privacy", str(site), "--effective", "2027-02-01", "--published", "2026-12-01")
    assert new.code == 0
    assert (site / "content/privacy/2027-02-01/en.md").is_file()
    # check and build do make pages (so the refusal above could fail).
    assert cli("check", str(site)).code == 3


def test_lock_still_refuses_a_site_whose_links_lead_nowhere(
    site_factory: SiteFactory, cli: CLI, no_page: None
) -> None:
    nowhere = COOKIES + "\nSee [x](policy:nowhere).\n"
    site = site_factory({**SITE, "content/cookies/2024-01-01/en.md": nowhere})
    run = cli("lock", str(site))
    assert run.code == 1
    assert "content/cookies/2024-01-01/en.md:7: error: " in run.err
    assert not (site / "policies.lock").exists()


def test_a_template_error_is_found_by_check_not_by_lock(
    site_factory: SiteFactory, cli: CLI
) -> None:
    site = site_factory({**SITE, "templates/history.html": "{{ nothing.here }}"})
    assert cli("lock", str(site)).code == 0
    run = cli("check", str(site))
    assert run.code == 1
    assert "templates/history.html" in run.err
