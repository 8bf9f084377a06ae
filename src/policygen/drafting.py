"""The Site model + a policy and dates → the files that start its next revision (pure)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from .config import policy_id_problem
from .errors import Problem, SourceLocation, error
from .model import Policy, Site


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file to create (never to overwrite)."""

    path: str
    """Relative to the site folder."""
    text: str


FIRST_BODY = "Replace this line with the text of the policy.\n"
"""The body of a new policy's first revision: one line, to replace."""


def plan_new_revision(
    site: Site,
    policy_id: str,
    effective: dt.date,
    published: dt.date | None,
    title: str | None = None,
) -> tuple[list[NewFile], list[Problem]]:
    """Copies of the latest revision's source-language files, with fresh front matter; for a
    policy without revisions, its policy.yaml (when missing) and a first source-language file.

    Translations are not copied: a copy would silently present the old translation as the
    new one. Translators add them, and until then readers get the source text with a notice.
    """
    policy = site.policy(policy_id)
    where = SourceLocation(f"content/{policy_id}")
    every = list(policy.all_revisions) if policy else []
    if not every:
        return plan_first_revision(site, policy, policy_id, effective, published, title)
    latest = every[-1]
    if effective <= latest.effective:
        return [], [
            error(
                latest.location,
                "bad-date",
                f"the new revision must take effect after the latest one, '{latest.id}' (effective {latest.effective}); {effective} is not after it",
            )
        ]
    published = published or site.as_of
    if published > effective:
        return [], [
            error(
                where,
                "published-after-effective",
                f"published ({published}) is after effective ({effective})",
            )
        ]
    folder = f"content/{policy_id}/{effective.isoformat()}"
    files = []
    for source in sorted(latest.sources, key=lambda s: s.location.path):
        if source.language != site.config.default_language:
            continue
        name = source.location.path.rsplit("/", 1)[1]
        front: dict[str, object] = {"title": source.title} if source.title else {}
        if source.region is None:
            front |= {
                "effective": effective,
                "published": published,
                "summary": None,
                "material": True,
            }
        elif source.summary:
            front["summary"] = None  # the region's own summary, to write anew
        if source.extra:
            front["extra"] = dict(source.extra)
        header = (
            ""
            if not front
            else yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000).replace(
                "summary: null", "summary:   # what changed, in a sentence or two"
            )
        )
        files.append(NewFile(f"{folder}/{name}", f"---\n{header}---\n{source.body}"))
    return files, []


def plan_first_revision(
    site: Site,
    policy: Policy | None,
    policy_id: str,
    effective: dt.date,
    published: dt.date | None,
    title: str | None,
) -> tuple[list[NewFile], list[Problem]]:
    """A new policy: its policy.yaml (unless it has one) and its first revision's source text."""
    where = SourceLocation(f"content/{policy_id}")
    if (wrong := policy_id_problem(policy_id)) is not None:
        return [], [error(where, "bad-id", wrong)]
    published = published or min(site.as_of, effective)
    if published > effective:
        return [], [
            error(
                where,
                "published-after-effective",
                f"published ({published}) is after effective ({effective})",
            )
        ]
    language = site.config.default_language
    if policy is not None and policy.title is not None:
        title = policy.title.get(language, language)
    title = title or first_title(policy_id)
    files = []
    if policy is None:
        files.append(NewFile(f"content/{policy_id}/policy.yaml", render_front({"title": title})))
    front = {"title": title, "effective": effective, "published": published, "summary": None}
    text = f"---\n{render_front(front, summary_hint=FIRST_SUMMARY_HINT)}---\n{FIRST_BODY}"
    files.append(NewFile(f"content/{policy_id}/{effective.isoformat()}/{language}.md", text))
    return files, []


FIRST_SUMMARY_HINT = "# optional for a first revision: what this text is, in a sentence"
POLICY_TITLES = {
    "privacy": "Privacy Policy",
    "cookies": "Cookie Policy",
    "cookie": "Cookie Policy",
    "terms": "Terms of Service",
}


def first_title(policy_id: str) -> str:
    """A first title for a new policy, from its id: "privacy" → "Privacy Policy"."""
    if policy_id in POLICY_TITLES:
        return POLICY_TITLES[policy_id]
    return " ".join(re.split(r"[._-]+", policy_id)).strip().capitalize()


class _FrontDumper(yaml.SafeDumper):
    """Writes a date given twice (effective and published) twice, not as &id001 and *id001."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def render_front(values: dict[str, object], summary_hint: str | None = None) -> str:
    """YAML front matter lines for `values`, in their order; an empty summary gets a hint."""
    text = yaml.dump(values, Dumper=_FrontDumper, allow_unicode=True, sort_keys=False, width=1000)
    if summary_hint:
        text = text.replace("summary: null", f"summary:   {summary_hint}")
    return text
