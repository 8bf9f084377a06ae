"""A converted text + where it goes (policy, revision date, language, region) → the files
of a policygen revision, or the problems that keep it out (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..config import policy_id_problem
from ..drafting import NewFile, first_title, render_front
from ..errors import Problem, SourceLocation, error
from ..model import Site
from . import Converted

SUMMARY_HINT = "# what changed, in a sentence or two"
REVISION_KEYS = ("effective", "published", "material")
"""Front matter a translation or a region's text takes from the source-language text."""


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an imported text goes."""

    policy_id: str
    effective: dt.date
    """The revision's effective date; its folder is named after it."""
    language: str
    region: str | None = None
    published: dt.date | None = None
    """Default: the effective date, or today when that is still to come."""
    summary: str | None = None
    title: str | None = None
    """Default: the text's own title, else the policy's."""


def plan_import(
    site: Site, converted: Converted, to: Destination, *, with_source: bool = False
) -> tuple[list[NewFile], list[Problem]]:
    """The files that bring `converted` in as `to`: the document, and a new policy's policy.yaml
    (`with_source`: the revision's source text is imported with it)."""
    where = SourceLocation(f"content/{to.policy_id}")
    config = site.config
    problems = _check_destination(site, to, where)
    if problems:
        return [], problems
    policy = site.policy(to.policy_id)
    revisions = list(policy.all_revisions) if policy else []
    same_date = next((r for r in revisions if r.effective == to.effective), None)
    folder = same_date.id if same_date else to.effective.isoformat()
    name = f"{to.language}.{to.region}.md" if to.region else f"{to.language}.md"
    path = f"content/{to.policy_id}/{folder}/{name}"
    is_source = to.language == config.default_language and to.region is None
    if same_date is not None and is_source:
        return [], [
            error(
                same_date.location,
                "exists",
                f"policy '{to.policy_id}' has a revision effective {to.effective} already ('{same_date.id}'): import into it a translation or a region's text, or choose another date",
            )
        ]
    if same_date is None and not is_source and not with_source:
        return [], [
            error(
                where,
                "no-source-text",
                f"policy '{to.policy_id}' has no revision effective {to.effective}: import its {config.default_language} text first (without --region), then its translations and regions' texts",
            )
        ]
    if same_date is not None and any(s.location.path == path for s in same_date.sources):
        return [], [
            error(
                SourceLocation(path),
                "exists",
                f"{path} exists already: policygen never overwrites a text (remove it first to import it again)",
            )
        ]
    published = to.published or min(site.as_of, to.effective)
    if same_date is not None:
        published = same_date.published
    if published > to.effective:
        return [], [
            error(
                where,
                "published-after-effective",
                f"published ({published}) is after effective ({to.effective})",
            )
        ]
    policy_title = (
        policy.title.get(to.language, config.default_language) if policy and policy.title else None
    )
    title = to.title or converted.title or policy_title or first_title(to.policy_id)
    front = _front(converted.front, title, to, published, is_source)
    files = []
    if policy is None:
        files.append(NewFile(f"content/{to.policy_id}/policy.yaml", render_front({"title": title})))
    header = render_front(front, summary_hint=SUMMARY_HINT)
    files.append(NewFile(path, f"---\n{header}---\n{converted.body}"))
    return files, []


def _check_destination(site: Site, to: Destination, where: SourceLocation) -> list[Problem]:
    config = site.config
    problems = []
    if (wrong := policy_id_problem(to.policy_id)) is not None:
        problems.append(error(where, "bad-id", wrong))
    if to.language not in config.languages:
        problems.append(
            error(
                SourceLocation("site.yaml"),
                "unknown-language",
                f"'{to.language}' is not a language of the site ({', '.join(config.languages)}): add it to 'languages' in site.yaml first",
            )
        )
    if to.region is not None and to.region not in config.region_ids:
        problems.append(
            error(
                SourceLocation("site.yaml"),
                "unknown-region",
                f"'{to.region}' is not a region of the site ({', '.join(config.region_ids)}): add it to 'regions' in site.yaml first",
            )
        )
    return problems


def _front(
    found: Mapping[str, object],
    title: str,
    to: Destination,
    published: dt.date,
    is_source: bool,
) -> dict[str, object]:
    """The document's front matter: what the text brought, with the import's values over it."""
    front: dict[str, object] = {"title": title}
    if is_source:
        front |= {"effective": to.effective, "published": published}
    front["summary"] = to.summary or found.get("summary") or None
    for key, value in found.items():
        if key not in front and (is_source or key not in REVISION_KEYS) and key != "title":
            front[key] = value
    return front
