"""The Site model, the theme and the code → the key of each part of the output (pure).

A part's key changes when anything its files are made from changes, and only then: a build
that finds a key it made before keeps that part's files as they are.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from ..model import Document, Policy, Site
from ..pages import Planner
from ..parts import Part
from ..sources import SiteSources, ThemeFiles, read_code_digest
from ..urls import pdf_path
from .cache import PartsMemo


def fingerprint(sources: SiteSources, theme: ThemeFiles) -> str:
    """A hash of everything pages are made from besides the model: policygen's own code, the
    templates, the catalogs and the theme's files."""
    digest = hashlib.sha256(read_code_digest().encode())
    for name, content in (*theme.static, *theme.schemas):
        digest.update(name.encode() + b"\0" + content + b"\0")
    for name, content in (*sources.template_files, *theme.templates):
        digest.update(name.encode() + b"\0" + content + b"\0")
    for catalog in (*sources.catalogs, *theme.catalogs):
        digest.update(catalog.path.encode() + b"\0" + catalog.text.encode() + b"\0")
    return digest.hexdigest()


def key_parts(
    planner: Planner, fingerprint: str, known: PartsMemo
) -> tuple[dict[Part, str], PartsMemo]:
    """The key of every part of the site (`known`: each policy's, from the last build), and
    each policy's parts and keys for the next build."""
    site = planner.site
    # Every page reads the settings, the date, and of other policies where they exist and
    # which revisions they have from which day: a policy: link leads to the revision it
    # refers to (`model.Timelines.referenced`).
    common = hashlib.sha256(
        f"{fingerprint}\0{site.config!r}\0{site.as_of}\0".encode()
        + repr([(p.id, p.regions, _timeline(p)) for p in site.policies]).encode()
    )
    keys: dict[Part, str] = {}
    used = {}
    views = []
    for policy in site.policies:
        if policy.revisions:
            key = common.hexdigest() + policy.inputs
            used[key] = known[key] if key in known else _policy_parts(planner, policy, common)
            keys.update(used[key][0])
            views.append(used[key][1])
    # The indexes and feeds show policies only through their titles and revisions' views;
    # the manifest and sitemap show everything.
    keys[Part("site pages")] = _digest(common, ["site pages", *views])
    every_policy = [p.inputs for p in site.policies]
    keys[Part("site files")] = _digest(common, ["site files", *every_policy])
    return keys, used


def _timeline(policy: Policy) -> list[tuple[str, str]]:
    return [(revision.id, revision.effective.isoformat()) for revision in policy.revisions]


def _policy_parts(
    planner: Planner, policy: Policy, common: Any
) -> tuple[list[tuple[Part, str]], str]:
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
                shown = _shown(revision.document(language, region))
                inputs: list[object] = [*shared, revision.id, shown, views[revision.id]]
                inputs += [revision is in_force]
                inputs += [_shown(previous.document(language, region)) if previous else None]
                inputs.append(views[previous.id if previous else None])
                part = Part("revision", policy.id, revision.id, language, region)
                parts.append((part, _digest(common, inputs)))
            inputs = [*shared, _shown(in_force.document(language, region)), list(views.values())]
            part = Part("policy", policy.id, "", language, region)
            parts.append((part, _digest(common, inputs)))
            every_view.update(repr(shared + list(views.values())).encode())
    return parts, every_view.hexdigest()


def key_pdfs(site: Site, fingerprint: str, environment: str) -> dict[Part, dict[str, str]]:
    """The key of each revision's PDFs by output path, by the part planning them.

    A PDF shows its revision's text and what never changes about it (see `PdfView`), set by
    WeasyPrint with the fonts of the machine (`environment`): its key holds neither the date
    nor whether its revision is in force, so that a PDF is made once and kept by every later
    build, even one that makes its revision's pages again.
    """
    # As a page, a PDF reads the settings, and of other policies whether they exist and where.
    common = hashlib.sha256(
        f"{fingerprint}\0{environment}\0{site.config!r}\0".encode()
        + repr([(p.id, p.regions, bool(p.revisions)) for p in site.policies]).encode()
    )
    keys = {}
    for policy in site.policies:
        for revision in policy.revisions:
            # Its document, with its policy's settings and its revision's dates; its version
            # is its place among the policy's revisions.
            shown: list[object] = [
                policy.id,
                policy.title,
                policy.regions,
                revision.id,
                revision.version,
            ]
            shown += [revision.effective, revision.published]
            for language in site.config.languages:
                for region in policy.regions:
                    part = Part("revision", policy.id, revision.id, language, region)
                    path = pdf_path(language, region, policy.id, revision.id)
                    document = _shown(revision.document(language, region))
                    keys[part] = {path: _digest(common, [*shown, document])}
    return keys


def _shown(document: Document) -> tuple[object, ...]:
    """What the pages of a document are made from: each of its fields, its text by its
    SHA-256 (its source file gives it nothing else a page shows).

    A page in one language and region shows that document of its revisions and no other:
    a translation edited, or another region's text, leaves its parts as they are.
    """
    return tuple(
        getattr(document, field.name)
        for field in dataclasses.fields(document)
        if field.name not in ("canonical", "source")
    )


def _digest(common: Any, inputs: list[object]) -> str:
    digest = common.copy()
    digest.update(repr(inputs).encode())
    return str(digest.hexdigest())
