"""policies.lock text ⇄ the SHA-256 of every published text, and the check that none in effect changed silently (pure).

A policy in effect is a legal record (SPEC §7): readers, regulators and consent records refer
to its exact text. The lock file records, for every document, the hash of its text, a hash of
its settings (dates, `material`, title, summary) and the number of corrections its file
recorded. Once the revision is in effect, a change to either hash is accepted only together
with a new entry under `corrections:`. Upcoming revisions may be locked ahead of their date,
so that the build on the day they take effect passes `check --strict`; they stay editable
until then.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import Problem, SourceLocation, error, warning
from .i18n import canonical_tag
from .model import Document, Revision, Site

LOCK_FILE = "policies.lock"
HEADER = """\
# policies.lock: the SHA-256 of the text and of the settings of every policy document, written
# by `policygen lock`. Once a revision is in effect, a change to its locked text or settings
# fails the build unless the text's front matter records it under `corrections:`.
# Review changes to this file like changes to the policies.
"""
ENTRY = re.compile(
    r"(\S+) (\S+) (\S+) (\S+) effective=(\d{4}-\d{2}-\d{2}) sha256=([0-9a-f]{64})"
    r" settings=([0-9a-f]{16}) corrections=(\d+) state=(upcoming|announced|in-effect)\Z"
)

Key = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class LockEntry:
    """The locked state of one document."""

    policy: str
    revision: str
    language: str
    region: str
    effective: dt.date
    sha256: str
    """SHA-256 of the canonical text (source.md)."""
    settings: str
    """Short hash of the revision's dates and `material`, and the document's title and summary."""
    corrections: int
    """How many corrections its file recorded when it was locked."""
    is_in_effect: bool
    """Whether the revision was in effect when it was locked: only then is the entry a record."""
    is_announced: bool
    """Whether the revision was on the site (announced or in effect) when it was locked: its
    text as readers and the services that read the manifest were told of it."""
    line: int

    @property
    def key(self) -> Key:
        return (self.policy, self.revision, self.language, self.region)


def settings_hash(revision: Revision, document: Document) -> str:
    """What besides the words a reader or a consent record relies on."""
    # The file's own title and summary: one inherited from another file is locked with that file.
    source = document.source
    return _settings_hash(
        revision.effective, revision.published, revision.material, source.title, source.summary
    )


@functools.lru_cache(maxsize=65536)
def _settings_hash(*fields: object) -> str:
    return hashlib.sha256("\0".join(map(str, fields)).encode()).hexdigest()[:16]


def parse_lock(text: str, where: SourceLocation) -> tuple[dict[Key, LockEntry], list[Problem]]:
    """Read policies.lock."""
    entries: dict[Key, LockEntry] = {}
    problems = []
    names: dict[tuple[str, str], str] = {}
    dates: dict[str, dt.date] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = ENTRY.match(" ".join(line.split()))
        if match is None:
            problems.append(
                error(
                    where.at(number),
                    "bad-lock",
                    "this line of policies.lock cannot be read: run `policygen lock` to write the file again",
                )
            )
            continue
        policy, revision, language, region, effective, digest, settings, corrections, state = (
            match.groups()
        )
        if effective not in dates:
            dates[effective] = dt.date.fromisoformat(effective)
        entry = LockEntry(
            # Names repeated on many lines are held once.
            names.setdefault(("policy", policy), policy),
            names.setdefault(("revision", revision), revision),
            # Written before tags were put in their canonical case:
            names.setdefault(("language", language), canonical_tag(language)),
            names.setdefault(("region", region), region),
            dates[effective],
            digest,
            settings,
            int(corrections),
            state == "in-effect",
            state != "upcoming",
            number,
        )
        entries[entry.key] = entry
    return entries, problems


def lockable_documents(site: Site) -> Iterator[tuple[Revision, Document]]:
    """Every written (not fallback) text of every revision, with its revision."""
    for policy in site.policies:
        for revision in policy.all_revisions:
            for key in sorted(revision.documents):
                document = revision.documents[key]
                if not document.is_fallback:
                    yield revision, document


def render_lock(site: Site) -> str:
    """The text of policies.lock for the site as it is."""
    lines = sorted(
        f"{d.policy_id} {d.revision_id} {d.language} {d.region} effective={r.effective} "
        f"sha256={d.sha256} settings={settings_hash(r, d)} corrections={len(d.corrections)} "
        f"state={_state(r, site.as_of)}"
        for r, d in lockable_documents(site)
    )
    return HEADER + "".join(line + "\n" for line in lines)


def _state(revision: Revision, as_of: dt.date) -> str:
    """What a revision is on the day it is locked: `upcoming` (not on the site yet, or not
    announced), `announced` (on the site, to take effect), `in-effect`."""
    if revision.effective <= as_of:
        return "in-effect"
    return "announced" if revision.published <= as_of else "upcoming"


def _key(document: Document) -> Key:
    return (document.policy_id, document.revision_id, document.language, document.region)


def _is_unchanged(revision: Revision, document: Document, entry: LockEntry) -> bool:
    return entry.sha256 == document.sha256 and entry.settings == settings_hash(revision, document)


def _changed(revision: Revision, document: Document, entry: LockEntry) -> str:
    """What changed of a document since it was locked, as a message names it."""
    if entry.sha256 != document.sha256:
        return "text"
    return "settings (dates, material, title or summary)"


def _is_accepted(revision: Revision, document: Document, entry: LockEntry) -> bool:
    """Whether the document is as locked, or changed with a correction recorded since."""
    return _is_unchanged(revision, document, entry) or len(document.corrections) > entry.corrections


def unlocked_documents(
    site: Site, entries: dict[Key, LockEntry]
) -> dict[tuple[str, str], list[Document]]:
    """Texts in effect that `policygen lock` would record anew, by (policy, revision)."""
    unlocked: dict[tuple[str, str], list[Document]] = {}
    for revision, document in lockable_documents(site):
        entry = entries.get(_key(document))
        if revision.effective > site.as_of:
            continue
        if entry is None or (entry.sha256, entry.settings, entry.corrections) != (
            document.sha256,
            settings_hash(revision, document),
            len(document.corrections),
        ):
            unlocked.setdefault((document.policy_id, document.revision_id), []).append(document)
    return unlocked


def settled_revisions(site: Site, entries: dict[Key, LockEntry]) -> frozenset[tuple[str, str]]:
    """(policy, revision) of the revisions in effect whose every text is locked as it is: history."""
    unlocked = unlocked_documents(site, entries)
    return frozenset(
        (policy.id, revision.id)
        for policy in site.policies
        for revision in policy.revisions
        if revision.status != "upcoming" and (policy.id, revision.id) not in unlocked
    )


def check_lock(site: Site, entries: dict[Key, LockEntry], where: SourceLocation) -> list[Problem]:
    """Errors for texts in effect that changed or vanished; a warning per revision in effect not locked."""
    problems: dict[tuple[str, str], Problem] = {}
    current = {_key(d): (r, d) for r, d in lockable_documents(site)}
    for key, entry in sorted(entries.items()):
        found = current.get(key)
        if found is None:
            if entry.effective <= site.as_of:
                problems[(where.path, str(entry.line))] = error(
                    where.at(entry.line),
                    "locked-text-gone",
                    f"the {entry.language} text of revision '{entry.revision}' of policy '{entry.policy}' for region '{entry.region}' is locked, but its source is gone: a text in effect must stay published. Restore it; if it must really go, remove line {entry.line} from policies.lock and say why in the pull request",
                )
            elif entry.is_announced:
                problems[(where.path, str(entry.line))] = warning(
                    where.at(entry.line),
                    "announced-text-gone",
                    f"the {entry.language} text of revision '{entry.revision}' of policy '{entry.policy}' for region '{entry.region}' was announced and locked, but its source is gone: readers and the services that fetch the manifest were told it takes effect on {entry.effective}. If the revision is withdrawn, run `policygen lock` to record it, and tell them",
                )
            continue
        revision, document = found
        if revision.effective > site.as_of:
            # Still editable: locking ahead spares the day it takes effect. But a text
            # locked once announced was read as it is locked, by readers and by the services
            # that fetch the manifest.
            if entry.is_announced and not _is_unchanged(revision, document, entry):
                file = document.source.location
                what = _changed(revision, document, entry)
                problems.setdefault(
                    (file.path, "announced"),
                    warning(
                        file.at(1),
                        "announced-text-changed",
                        f"this text was announced on {revision.published} and locked (policies.lock line {entry.line}), and its {what} changed since: readers and the services that fetch the manifest were told of the text as locked. Run `policygen lock` to record the change; if readers must hear of it before {revision.effective}, announce the revision again (published: {site.as_of})",
                    ),
                )
            continue
        file = document.source.location
        if not entry.is_in_effect and not _is_accepted(revision, document, entry):
            problems.setdefault(
                (file.path, "changed"),
                error(
                    file.at(1),
                    "locked-ahead-changed",
                    f"this text was locked before it took effect (policies.lock line {entry.line}) and has changed since: if it changed before {revision.effective}, run `policygen lock` again; if it changed after, it must not change silently: undo the change, or record it under corrections: and run `policygen lock`",
                ),
            )
            continue
        if len(document.corrections) < entry.corrections:
            problems.setdefault(
                (file.path, "corrections"),
                error(
                    file.at(1),
                    "locked-text-changed",
                    f"a correction recorded for this text in effect was removed (policies.lock line {entry.line} counts {entry.corrections}): corrections are part of the record; restore it",
                ),
            )
        elif not _is_accepted(revision, document, entry):
            what = _changed(revision, document, entry)
            problems.setdefault(
                (file.path, "changed"),
                error(
                    file.at(1),
                    "locked-text-changed",
                    f"this text is in effect and locked (policies.lock line {entry.line}), but its {what} changed: a published policy must not change silently. If this is a correction, record it in the front matter (corrections: [{{date: {site.as_of}, note: what was corrected}}]) and run `policygen lock`; otherwise undo the change and start a new revision with `policygen new`",
                ),
            )
    erroneous = {path for path, kind in problems if kind in ("changed", "corrections")}
    revisions = {(r.policy_id, r.id): r for r, _ in lockable_documents(site)}
    for (policy, revision_id), unlocked in sorted(unlocked_documents(site, entries).items()):
        documents = [
            d for d in unlocked if d.source.location.path not in erroneous
        ]  # errors say it already
        if not documents:
            continue
        languages = ", ".join(sorted({f"{d.language}/{d.region}" for d in documents}))
        # One warning per revision, at the file that states its dates (the source language's
        # general text), whichever of its files are new: `policygen lock` locks them together.
        problems[(policy, revision_id)] = warning(
            revisions[(policy, revision_id)].location.at(1),
            "not-locked",
            f"revision '{revision_id}' of policy '{policy}' is in effect, but its text ({languages}) is not locked: run `policygen lock` and commit policies.lock",
        )
    return list(problems.values())
