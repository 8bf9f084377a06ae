"""A site folder → its sources, the built-in theme and the Site model, checked (reads files;
renders nothing)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .assembly import PolicyAssembler, assemble_site
from .config import parse_base_url
from .errors import BuildFailed, Problem, SourceLocation, error
from .locking import LOCK_FILE, LockEntry, check_lock, parse_lock, settled_revisions
from .markdown import RenderedText
from .model import Site
from .sources import CheckedTexts, SiteSources, SourceFile, ThemeFiles, read_site, read_theme
from .templates import SCHEMAS, THEME
from .validation import validate_site

LockEntries = dict[tuple[str, str, str, str], LockEntry]


@dataclass(frozen=True, slots=True)
class LoadedSite:
    """A site's sources and its model, with the problems found making it."""

    sources: SiteSources
    theme: ThemeFiles
    site: Site
    problems: tuple[Problem, ...]
    """Warnings only: a site with errors is not loaded."""


def load_site(
    site_dir: Path,
    *,
    now: dt.datetime,
    as_of: dt.date | None = None,
    base_url: str | None = None,
    pdf: bool = False,
    assemble: PolicyAssembler | None = None,
    checked: CheckedTexts | None = None,
    theme: ThemeFiles | None = None,
) -> LoadedSite:
    """Read the site at `site_dir` and make its model as of a date (default: today in the
    site's time zone), its URL replaced by `base_url`, making PDFs if `pdf` (as `pdf: true`
    in site.yaml does); raises BuildFailed.

    Each policy is made by `assemble` (see `assemble_site`); a file `checked` knows is not
    searched for forbidden characters again. `theme` is the built-in theme as read already
    in this process (its files do not change while policygen runs).
    """
    sources, problems = read_site(site_dir, checked)
    theme = theme or read_theme(THEME, SCHEMAS)
    site, site_problems = assemble_site(sources, as_of, now, assemble)
    problems += site_problems
    if site is None or any(p.is_error for p in problems):
        raise BuildFailed(problems)
    if base_url is not None:
        try:
            url = parse_base_url(base_url, "--base-url")
        except ValueError as exc:
            raise BuildFailed([error(SourceLocation("--base-url"), "bad-url", str(exc))]) from None
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=url))
    if pdf:
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, pdf=True))
    return LoadedSite(sources, theme, site, tuple(problems))


LockParser = Callable[[SourceFile], tuple[LockEntries, list[Problem]]]
"""What reads policies.lock into its entries and the problems of its lines."""


def check_lock_file(
    loaded: LoadedSite, *, rewriting_lock: bool = False, parse: LockParser | None = None
) -> tuple[LockEntries, list[Problem]]:
    """The entries of policies.lock, and its problems.

    `rewriting_lock` (for `policygen lock`) passes over lines of policies.lock that cannot be
    read and entries locked ahead of their revision's date, since they are about to be
    written anew; every other lock check still applies. The file is read by `parse` (by
    default `parse_lock_file`).
    """
    sources, site = loaded.sources, loaded.site
    if sources.lock is None:
        return {}, check_lock(site, {}, SourceLocation(LOCK_FILE))
    lock, problems = (parse or parse_lock_file)(sources.lock)
    problems += check_lock(site, lock, sources.lock.location)
    rewritable = ("bad-lock", "locked-ahead-changed") if rewriting_lock else ()
    return lock, [p for p in problems if p.code not in rewritable]


def parse_lock_file(lock: SourceFile) -> tuple[LockEntries, list[Problem]]:
    """`parse_lock` of policies.lock as read."""
    return parse_lock(lock.text, lock.location)


def check_site(
    loaded: LoadedSite, rendered: Mapping[str, RenderedText], *, rewriting_lock: bool = False
) -> tuple[LockEntries, list[Problem]]:
    """The entries of policies.lock, and the problems of the lock and of the rules that span
    documents (links are checked against the rendered texts' anchors)."""
    lock, problems = check_lock_file(loaded, rewriting_lock=rewriting_lock)
    problems += validate_site(loaded.site, rendered, settled_revisions(loaded.site, lock))
    return lock, problems
