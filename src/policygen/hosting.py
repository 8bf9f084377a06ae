"""The Site model → the HTTP headers each kind of file of the output is served with, as the
rules of `_headers`, the file Netlify and Cloudflare Pages read (pure).

Caching follows what can still change. A superseded revision's pages and source.md stay as
they are (only a recorded correction or a new theme changes them), so they are cached for a
year. The text of the revision in force changes only by a recorded correction, so its
source.md is too, but not its page: that page says the revision is in force and announces the
next one. A revision's PDFs are as settled as its source.md. Everything else (current pages, histories, indexes, feeds, the manifest and the
answers) is revalidated on every use, so that a revision comes into force everywhere the
moment the build of its day is published. Both hosts send `REVALIDATE` by default; the rules
name it for the files other services fetch, and never give a path two Cache-Control values.

A rule's path is matched differently by the two hosts: on Netlify `:name` and `*` may also
match a path one trailing slash longer or shorter, and a `*` standing for a whole segment makes
the slash before it optional. Only a `*` inside a segment (`2021*`) and whole literal paths
match alike on both, so those are what overlapping kinds of files are told apart with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Policy, Revision, Site
from .urls import (
    API_FOLDER,
    MANIFEST_FILE,
    MANIFEST_SCHEMA,
    PAGE_FILE,
    SITEMAP_FILE,
    STATIC_FOLDER,
    diff_dir,
    feed_path,
    history_dir,
    pdf_path,
    policy_dir,
    reader_answer_path,
    revision_dir,
    source_path,
)

IMMUTABLE = "public, max-age=31536000, immutable"
"""What never changes again: cached for a year, never revalidated."""
REVALIDATE = "public, max-age=0, must-revalidate"
"""Stored, but checked with the host (a 304 when unchanged) before every use."""
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""Pages run no script and load only the site's own stylesheet (img-src: the browser's
favicon request). Nothing may frame them, post a form from them or change their base URL."""
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), geolocation=(), microphone=(), payment=(), usb=()"),
)
"""Sent with every file."""
CROSS_ORIGIN: tuple[tuple[str, str], ...] = (("Access-Control-Allow-Origin", "*"),)
"""Consent banners on other sites fetch the manifest and the answers: a plain GET, without
credentials or headers of its own, needs nothing else (no preflight)."""
MARKDOWN_TYPE = "text/markdown; charset=utf-8"
RULE_LIMIT = 100
"""Cloudflare Pages reads at most this many rules."""


@dataclass(frozen=True, slots=True)
class HeaderRule:
    """Headers for the paths one pattern matches."""

    path: str
    """From the root of the output, starting with "/": `:name` stands for one segment, `*` for
    any text."""
    headers: tuple[tuple[str, str], ...]
    why: str
    """The comment that precedes it in `_headers`."""


def plan_header_rules(site: Site) -> list[HeaderRule]:
    """The rules of `_headers` for the site as built."""
    cross_origin = (
        (("Cache-Control", REVALIDATE), *CROSS_ORIGIN),
        "Read by consent banners and services on other sites; revalidated on every use.",
    )
    rules = [
        HeaderRule(
            "/*",
            SECURITY_HEADERS,
            "Every file: pages need no script and load nothing from elsewhere.",
        ),
        HeaderRule("/" + MANIFEST_FILE, *cross_origin),
        HeaderRule("/" + MANIFEST_SCHEMA, *cross_origin),
        HeaderRule("/" + API_FOLDER + "*", *cross_origin),
        _revalidated("/" + SITEMAP_FILE),
        _revalidated("/" + feed_path(":lang", ":region")),
        _revalidated("/" + STATIC_FOLDER + "*"),
        HeaderRule(
            "/" + source_path(":lang", ":region", ":policy", ":revision"),
            (("Content-Type", MARKDOWN_TYPE),),
            "The text of each revision's page.",
        ),
    ]
    return rules + _settled_rules(site)


def _revalidated(path: str) -> HeaderRule:
    return HeaderRule(path, (("Cache-Control", REVALIDATE),), "Revalidated on every use.")


def _settled_rules(site: Site) -> list[HeaderRule]:
    """Year-long caching for superseded revisions (their whole folder) and the source.md of
    the revision in force.

    A superseded revision's folder is named by the shortest beginning of its id that no
    other name at that place begins with: on Netlify `…/2021/*` also matches `…/2021-b/`, and
    `…/h/*` the history. A beginning that holds for every policy makes one rule for all of
    them; otherwise one for the policy; a revision whose whole id begins another name there
    gets its files named one by one.
    """
    published = [policy for policy in site.policies if policy.revisions]
    # What else is at a revision's place: a policy's page and history, and, where a region
    # has a policy's id, the answers in every language.
    beside = {
        _name_under(
            policy_dir(":lang", ":region", ":policy"), history_dir(":lang", ":region", ":policy")
        ),
        PAGE_FILE,
    }
    beside |= {
        reader_answer_path(":policy", ":region", language).rsplit("/", 1)[1]
        for language in site.config.languages
    }
    changing = {
        policy.id: beside | {r.id for r in policy.all_revisions if r.status != "superseded"}
        for policy in published
    }
    everywhere = set().union(*changing.values())
    shared: set[str] = set()
    own: list[HeaderRule] = []
    for policy in published:
        prefixes: set[str] = set()
        for revision in policy.revisions:
            if revision.status != "superseded":
                continue
            prefix = _distinct_prefix(revision.id, everywhere)
            if prefix is not None:
                shared.add(prefix)
            elif (prefix := _distinct_prefix(revision.id, changing[policy.id])) is not None:
                prefixes.add(prefix)
            else:
                own += _files_of(policy, revision)
        own += [
            HeaderRule(
                "/" + policy_dir(":lang", ":region", policy.id) + prefix + "*",
                (("Cache-Control", IMMUTABLE),),
                f"Superseded revisions of {policy.id}: they never change again.",
            )
            for prefix in _shortest(prefixes)
        ]
        if policy.current is not None:
            own.append(
                HeaderRule(
                    "/" + source_path(":lang", ":region", policy.id, policy.current.id),
                    (("Cache-Control", IMMUTABLE),),
                    f"The text in force of {policy.id}: it changes only by a recorded correction.",
                )
            )
        if site.config.pdf and policy.current is not None:
            own.append(_pdf_rule(policy, policy.current))
    every = [
        HeaderRule(
            "/" + policy_dir(":lang", ":region", ":policy") + prefix + "*",
            (("Cache-Control", IMMUTABLE),),
            "Superseded revisions of every policy: they never change again.",
        )
        for prefix in _shortest(shared)
    ]
    return every + own


def _files_of(policy: Policy, revision: Revision) -> list[HeaderRule]:
    folder = revision_dir(":lang", ":region", policy.id, revision.id)
    paths = [folder, source_path(":lang", ":region", policy.id, revision.id)]
    if policy.previous(revision) is not None:
        paths.append(diff_dir(":lang", ":region", policy.id, revision.id))
    why = f"Superseded revision {revision.id} of {policy.id}: it never changes again."
    return [HeaderRule("/" + path, (("Cache-Control", IMMUTABLE),), why) for path in paths]


def _pdf_rule(policy: Policy, revision: Revision) -> HeaderRule:
    """The PDFs of the revision in force, settled as its source.md is: their name up to the
    language is the same in every language and region, and begins no other name there."""
    path = pdf_path(":lang", ":region", policy.id, revision.id)
    return HeaderRule(
        "/" + path[: path.rindex(":lang")] + "*",
        (("Cache-Control", IMMUTABLE),),
        f"The PDFs of the text in force of {policy.id}: they change only with it.",
    )


def _name_under(folder: str, path: str) -> str:
    """The first segment of `path` below `folder`."""
    return path[len(folder) :].split("/", 1)[0]


def _distinct_prefix(name: str, others: Iterable[str]) -> str | None:
    """The shortest beginning of `name` that begins none of `others` (None: there is none)."""
    others = list(others)
    for length in range(1, len(name) + 1):
        if not any(other.startswith(name[:length]) for other in others):
            return name[:length]
    return None


def _shortest(prefixes: set[str]) -> list[str]:
    """The prefixes that no other of them begins, sorted."""
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def render_headers_file(rules: Sequence[HeaderRule]) -> bytes:
    """`_headers` as Netlify and Cloudflare Pages read it."""
    lines = [
        "# How Netlify and Cloudflare Pages serve this site; written by policygen with every",
        "# build, since what may be cached for a year depends on the day. Paths start at this",
        "# folder, wherever it is published. Other hosts: see policygen's docs/hosting.md.",
        f"# Files no rule gives a Cache-Control get the hosts' default, {REVALIDATE}:",
        "# revalidated on every use, so a revision comes into force everywhere on its day.",
    ]
    for rule in rules:
        lines += ["", f"# {rule.why}", rule.path]
        lines += [f"  {name}: {value}" for name, value in rule.headers]
    return ("\n".join(lines) + "\n").encode("utf-8")
