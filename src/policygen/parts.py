"""The Site model → the parts the output is made in, each keyed by a hash of its inputs (pure).

A part's key changes when anything its files are made from changes, and only then: a build
that finds a key it made before keeps that part's files as they are.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from .model import Policy, Site
from .pages import Planner

PartKind = Literal["revision", "policy", "site pages", "site files"]


@dataclass(frozen=True, slots=True)
class Part:
    """Files made together, and keyed together by a hash of their inputs."""

    key: str
    """SHA-256 of everything its files are made from: equal keys, equal files."""
    kind: PartKind
    """revision: a revision's page, diff page and source.md in one language and region;
    policy: a policy's current page and history in one language and region; site pages:
    the indexes, feeds and 404 page; site files: manifest, answers, sitemap, _headers, theme
    files."""
    policy: str = ""
    revision: str = ""
    language: str = ""
    region: str = ""


PartsMemo = dict[str, tuple[list[Part], str]]
"""The parts of each policy and a hash of its views, by a hash of the policy's and the site's inputs."""


def plan_parts(planner: Planner, fingerprint: str, memo: PartsMemo) -> list[Part]:
    """The parts of the site, each keyed by a hash of its inputs (`memo`: by policy, from the
    last build)."""
    site = planner.site
    # Every page reads the settings, the date, and of other policies only whether they exist
    # and where (to resolve policy: links).
    common = hashlib.sha256(
        f"{fingerprint}\0{site.config!r}\0{site.as_of}\0".encode()
        + repr([(p.id, p.regions, bool(p.revisions)) for p in site.policies]).encode()
    )
    parts = []
    used = {}
    views = []
    for policy in site.policies:
        if policy.revisions:
            key = common.hexdigest() + policy.inputs
            used[key] = memo[key] if key in memo else _policy_parts(planner, policy, common)
            parts += used[key][0]
            views.append(used[key][1])
    memo.clear()
    memo.update(used)
    # The indexes and feeds show policies only through their titles and revisions' views;
    # the manifest and sitemap show everything.
    parts.append(Part(_digest(common, ["site pages", *views]), "site pages"))
    every_policy = [p.inputs for p in site.policies]
    parts.append(Part(_digest(common, ["site files", *every_policy]), "site files"))
    return parts


def _policy_parts(planner: Planner, policy: Policy, common: Any) -> tuple[list[Part], str]:
    # A revision's pages show its own text and the previous one's (diff), and of other
    # revisions only what their views hold: the current one's on every page, the next one's
    # on the page in force. The policy's own pages show the text in force and every view.
    in_force = policy.current or policy.revisions[0]
    upcoming = policy.upcoming[0] if policy.upcoming else None
    parts = []
    every_view = hashlib.sha256(f"{policy.id}\0{policy.regions}".encode())
    for language in planner.config.languages:
        for region in policy.regions:
            # Each view is written out once, for every part that shows it.
            views: dict[str | None, str] = {None: ""}
            for revision in policy.revisions:
                view = planner.describe_revision(policy, revision, language, region)
                views[revision.id] = repr(view)
            shared: list[object] = [
                policy.id,
                language,
                region,
                policy.title,
                policy.regions,
                planner.policy_title(policy, language),
                views[policy.current.id if policy.current else None],
                views[upcoming.id if upcoming else None],
            ]
            for revision in policy.revisions:
                previous = policy.previous(revision)
                inputs: list[object] = [*shared, revision.id, revision.inputs, views[revision.id]]
                inputs += [revision is in_force, previous.inputs if previous else None]
                inputs.append(views[previous.id if previous else None])
                parts.append(
                    Part(
                        _digest(common, inputs),
                        "revision",
                        policy.id,
                        revision.id,
                        language,
                        region,
                    )
                )
            inputs = [*shared, in_force.inputs, list(views.values())]
            parts.append(Part(_digest(common, inputs), "policy", policy.id, "", language, region))
            every_view.update(repr(shared + list(views.values())).encode())
    return parts, every_view.hexdigest()


def _digest(common: Any, inputs: list[object]) -> str:
    digest = common.copy()
    digest.update(repr(inputs).encode())
    return str(digest.hexdigest())


def redline_pairs(site: Site) -> set[tuple[str, str]]:
    """The pairs of texts the site's diff pages compare."""
    return {
        (previous.documents[key].sha256, revision.documents[key].sha256)
        for policy in site.policies
        for previous, revision in zip(policy.revisions, policy.revisions[1:], strict=False)
        for key in revision.documents
    }


def redline_pair(site: Site, part: Part) -> tuple[str, str] | None:
    """The texts a part's diff page compares (None: it has none)."""
    policy = site.policy(part.policy)
    if part.kind != "revision" or policy is None:
        return None
    revision = policy.revision(part.revision)
    previous = policy.previous(revision)
    if previous is None:
        return None
    key = (part.language, part.region)
    return previous.documents[key].sha256, revision.documents[key].sha256
