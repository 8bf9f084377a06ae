"""`policy:` links of a text lead to the other policy as it stands when that text takes
effect: the text in force to the other policy's own page, a superseded or announced text to
the revision of the other policy in force on its effective date, and are checked there."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from .conftest import Run, SiteFactory, build_site, problems_of, read_tree

AS_OF = dt.date(2026, 6, 1)


def cookies(effective: str, *sections: str, published: str = "") -> str:
    dates = f"effective: {effective}\n" + (f"published: {published}\n" if published else "")
    body = "".join(f"## {section}\n\nWords of section {section[0]}.\n\n" for section in sections)
    return f"---\ntitle: Cookies Policy\n{dates}summary: Sections.\n---\n{body}"


def privacy(effective: str, link: str, published: str = "") -> str:
    dates = f"effective: {effective}\n" + (f"published: {published}\n" if published else "")
    return (
        f"---\ntitle: Privacy Policy\n{dates}summary: The link.\n---\n"
        f"## 1. Cookies\n\nSee [the Cookies Policy]({link}).\n"
    )


FILES = {
    # Cookies: section 2 folded into section 1 in 2025; a section 3 announced for 2027.
    "content/cookies/2024-01-01/en.md": cookies("2024-01-01", "1. What", "2. Which"),
    "content/cookies/2025-01-01/en.md": cookies("2025-01-01", "1. What and which"),
    "content/cookies/2027-01-01/en.md": cookies(
        "2027-01-01", "1. What and which", "3. Choices", published="2026-05-01"
    ),
    # Privacy: each revision links the section of the Cookies Policy of its own day.
    "content/privacy/2024-01-01/en.md": privacy("2024-01-01", "policy:cookies#section-2"),
    "content/privacy/2025-01-01/en.md": privacy("2025-01-01", "policy:cookies#section-1"),
    "content/privacy/2027-01-01/en.md": privacy(
        "2027-01-01", "policy:cookies#section-3", published="2026-05-01"
    ),
}


def link_of(out: Path, page: str) -> str:
    html = (out / page).read_text(encoding="utf-8")
    found = re.search(r'<a href="([^"]*)">the Cookies Policy</a>', html)
    assert found is not None, page
    return found[1]


def test_each_revision_links_the_other_policy_of_its_day(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory(FILES)
    out = tmp_path / "out"
    build_site(site, out, as_of=AS_OF)
    # Superseded: the Cookies Policy of 2024, whose section 2 is gone since.
    assert link_of(out, "en/global/privacy/2024-01-01/index.html") == (
        "../../cookies/2024-01-01/#section-2"
    )
    # In force: the Cookies Policy's own page, on this revision's page and the policy's.
    assert link_of(out, "en/global/privacy/2025-01-01/index.html") == "../../cookies/#section-1"
    assert link_of(out, "en/global/privacy/index.html") == "../cookies/#section-1"
    # Announced: the Cookies Policy announced for the same day, with its new section 3; the
    # page of its changes leads there too.
    assert link_of(out, "en/global/privacy/2027-01-01/index.html") == (
        "../../cookies/2027-01-01/#section-3"
    )
    assert link_of(out, "en/global/privacy/2027-01-01/diff/index.html") == (
        "../../../cookies/2027-01-01/#section-3"
    )
    # In every language and region: French readers in Europe get the French pages there.
    assert link_of(out, "fr/eu/privacy/2024-01-01/index.html") == (
        "../../cookies/2024-01-01/#section-2"
    )


def test_links_are_checked_against_the_revision_they_lead_to(site_factory: SiteFactory) -> None:
    site = site_factory(FILES)
    # Checked against the Cookies Policy in force today, both the superseded link to section 2
    # and the announced one to section 3 would be errors no edit of a locked text could fix.
    assert problems_of(site, AS_OF) == []
    (site / "content/privacy/2024-01-01/en.md").write_text(
        privacy("2024-01-01", "policy:cookies#section-3"), encoding="utf-8"
    )
    assert problems_of(site, AS_OF) == [
        "content/privacy/2024-01-01/en.md:8: error: policy 'cookies' has no section '#section-3' in its revision '2024-01-01', the one in force on 2024-01-01, the effective date of this text (its anchors then: section-1, section-2)"
    ]
    # Once the announced revisions are in force, their links are checked as today's.
    (site / "content/privacy/2024-01-01/en.md").write_text(
        FILES["content/privacy/2024-01-01/en.md"], encoding="utf-8"
    )
    assert problems_of(site, dt.date(2027, 1, 1)) == []


def test_a_cached_build_follows_the_revisions_of_the_policies_it_links(
    cli: Callable[..., Run], site_factory: SiteFactory, tmp_path: Path
) -> None:
    """A new revision of the Cookies Policy changes where the superseded privacy text's link
    leads, though no file of that text changed."""
    site = site_factory(
        {
            "content/cookies/2024-01-01/en.md": FILES["content/cookies/2024-01-01/en.md"],
            "content/privacy/2024-01-01/en.md": FILES["content/privacy/2024-01-01/en.md"],
            "content/privacy/2025-01-01/en.md": privacy("2025-01-01", "policy:cookies#section-2"),
        }
    )
    later = site / "content/cookies/2025-01-01"
    current = site / "content/privacy/2025-01-01/en.md"

    def add_a_revision() -> None:
        later.mkdir()
        (later / "en.md").write_text(FILES["content/cookies/2025-01-01/en.md"], "utf-8")
        current.write_text(privacy("2025-01-01", "policy:cookies#section-1"), "utf-8")

    def remove_it() -> None:
        shutil.rmtree(later)
        current.write_text(privacy("2025-01-01", "policy:cookies#section-2"), "utf-8")

    out, fresh = tmp_path / "out", tmp_path / "fresh"
    dates = ("--as-of", AS_OF.isoformat())
    steps: list[tuple[str, Callable[[], None], str]] = [
        ("as it is", lambda: None, "../../cookies/#section-2"),
        ("with a new revision", add_a_revision, "../../cookies/2024-01-01/#section-2"),
        ("without it again", remove_it, "../../cookies/#section-2"),
    ]
    for step, change, expected in steps:
        change()
        assert cli("build", str(site), "-o", str(out), *dates).code == 0, step
        shutil.rmtree(fresh, ignore_errors=True)
        assert cli("build", str(site), "-o", str(fresh), "--no-cache", *dates).code == 0, step
        assert read_tree(out) == read_tree(fresh), step
        assert link_of(out, "en/global/privacy/2024-01-01/index.html") == expected, step


def test_a_link_a_revision_to_come_will_break_is_warned_of_before_that_day(
    cli: Callable[..., Run], site_factory: SiteFactory
) -> None:
    """The text in force links to the Cookies Policy's own page, which will show the
    announced revision from its effective date: a section that revision lacks would fail
    every build from that day. Its editors hear of it now, though the text is locked."""
    site = site_factory(
        {
            "content/cookies/2024-01-01/en.md": cookies("2024-01-01", "1. What", "2. Which"),
            "content/cookies/2027-01-01/en.md": cookies(
                "2027-01-01", "1. What and which", published="2026-05-01"
            ),
            "content/privacy/2024-01-01/en.md": privacy("2024-01-01", "policy:cookies#section-2"),
        }
    )
    assert cli("lock", str(site), "--as-of", AS_OF.isoformat()).code == 0
    ahead = [
        "content/privacy/2024-01-01/en.md:8: warning: on 2027-01-01, when revision '2027-01-01' of policy 'cookies' takes effect, this link will lead nowhere: it has no section '#section-2' (its anchors then: section-1), and the build will fail from that day. Start a revision of this policy that takes effect that day with the link changed (policygen new privacy --effective 2027-01-01)"
    ]
    assert problems_of(site, AS_OF, severity="warning") == ahead
    assert problems_of(site, dt.date(2027, 1, 1)) == [
        "content/privacy/2024-01-01/en.md:8: error: policy 'cookies' has no section '#section-2' (its anchors: section-1)"
    ]
    # A revision that takes effect that day, with the link changed, is what mends it: the
    # text in force until then links the section it has until then.
    (site / "content/privacy/2027-01-01").mkdir()
    (site / "content/privacy/2027-01-01/en.md").write_text(
        privacy("2027-01-01", "policy:cookies#section-1", published="2026-05-01"), "utf-8"
    )
    assert problems_of(site, AS_OF, severity="warning") == []
    assert (
        problems_of(site, dt.date(2027, 1, 1), severity="warning", code="link-breaks-ahead") == []
    )
    assert problems_of(site, dt.date(2027, 1, 1)) == []


def test_only_the_revisions_to_come_while_the_text_is_in_force_are_looked_at(
    site_factory: SiteFactory,
) -> None:
    """Of two announced revisions of the Cookies Policy, the later one drops section 2: the
    text in force is warned of it, unless a revision of its own takes over before that day."""
    site = site_factory(
        {
            "content/cookies/2024-01-01/en.md": cookies("2024-01-01", "1. What", "2. Which"),
            "content/cookies/2027-01-01/en.md": cookies(
                "2027-01-01", "1. What", "2. Which", published="2026-05-01"
            ),
            "content/cookies/2028-01-01/en.md": cookies(
                "2028-01-01", "1. What and which", published="2026-05-01"
            ),
            "content/privacy/2024-01-01/en.md": privacy("2024-01-01", "policy:cookies#section-2"),
        }
    )
    ahead = problems_of(site, AS_OF, severity="warning", code="link-breaks-ahead")
    assert len(ahead) == 1
    assert "on 2028-01-01, when revision '2028-01-01' of policy 'cookies' takes effect" in ahead[0]
    (site / "content/privacy/2027-06-01").mkdir()
    (site / "content/privacy/2027-06-01/en.md").write_text(
        privacy("2027-06-01", "policy:cookies#section-1", published="2026-05-01"), "utf-8"
    )
    assert problems_of(site, AS_OF, severity="warning", code="link-breaks-ahead") == []
