"""policies.lock text ⇄ the SHA-256 of every text in effect, and the check that none changed silently (pure).

A policy in effect is a legal record (SPEC §7): readers, regulators and consent records refer
to its exact text. The lock file records the hash of every document in effect, with the
number of corrections its file recorded then; a later change to such a text is accepted
only together with a new entry under `corrections:`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import Problem, SourceLocation, error, warning
from .model import Document, Site

LOCK_FILE = "policies.lock"
HEADER = """\
# policies.lock: the SHA-256 of the text of every policy document in effect, written by
# `policygen lock`. A change to a locked text fails the build unless the text's front matter
# records it under `corrections:`. Review changes to this file like changes to the policies.
# policy revision language region sha256 corrections
"""
ENTRY = re.compile(r"(\S+) (\S+) (\S+) (\S+) ([0-9a-f]{64}) corrections=(\d+)\Z")


@dataclass(frozen=True, slots=True)
class LockEntry:
    """The locked state of one document."""

    policy: str
    revision: str
    language: str
    region: str
    sha256: str
    corrections: int
    """How many corrections its file recorded when it was locked."""
    line: int

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.policy, self.revision, self.language, self.region)


def parse_lock(
    text: str, where: SourceLocation
) -> tuple[dict[tuple[str, str, str, str], LockEntry], list[Problem]]:
    """Read policies.lock."""
    entries: dict[tuple[str, str, str, str], LockEntry] = {}
    problems = []
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
        policy, revision, language, region, digest, corrections = match.groups()
        entry = LockEntry(policy, revision, language, region, digest, int(corrections), number)
        entries[entry.key] = entry
    return entries, problems


def locked_documents(site: Site) -> Iterator[Document]:
    """The documents a lock records: every written (not fallback) text of every revision in effect."""
    for policy in site.policies:
        for revision in policy.revisions:
            if revision.status == "upcoming":
                continue
            for key in sorted(revision.documents):
                document = revision.documents[key]
                if not document.is_fallback:
                    yield document


def render_lock(site: Site) -> str:
    """The text of policies.lock for the site as it is."""
    lines = sorted(
        f"{d.policy_id} {d.revision_id} {d.language} {d.region} {d.sha256} corrections={len(d.corrections)}"
        for d in locked_documents(site)
    )
    return HEADER + "".join(line + "\n" for line in lines)


def unlocked_documents(
    site: Site, entries: dict[tuple[str, str, str, str], LockEntry]
) -> dict[tuple[str, str], list[Document]]:
    """Texts in effect that `policygen lock` would record anew, by (policy, revision)."""
    unlocked: dict[tuple[str, str], list[Document]] = {}
    for document in locked_documents(site):
        entry = entries.get(
            (document.policy_id, document.revision_id, document.language, document.region)
        )
        if entry is None or (
            entry.sha256 != document.sha256 and len(document.corrections) > entry.corrections
        ):
            unlocked.setdefault((document.policy_id, document.revision_id), []).append(document)
    return unlocked


def check_lock(
    site: Site, entries: dict[tuple[str, str, str, str], LockEntry], where: SourceLocation
) -> list[Problem]:
    """Errors for locked texts that changed or vanished; a warning for each revision in effect not locked yet."""
    problems: dict[tuple[str, str], Problem] = {}
    current = {
        (d.policy_id, d.revision_id, d.language, d.region): d for d in locked_documents(site)
    }
    for key, entry in sorted(entries.items()):
        document = current.get(key)
        if document is None:
            problems[(str(where), str(entry.line))] = error(
                where.at(entry.line),
                "locked-text-gone",
                f"the {entry.language} text of revision '{entry.revision}' of policy '{entry.policy}' for region '{entry.region}' is locked, but its source is gone: a text in effect must stay published. Restore it; if it must really go, remove line {entry.line} from policies.lock and say why in the pull request",
            )
        elif document.sha256 != entry.sha256 and len(document.corrections) <= entry.corrections:
            file = document.source.location
            problems.setdefault(
                (file.path, "changed"),
                error(
                    file.at(1),
                    "locked-text-changed",
                    f"this text is in effect and locked (policies.lock line {entry.line}), but it changed: a published policy must not change silently. If this is a correction, record it in the front matter (corrections: [{{date: {site.as_of}, note: what was corrected}}]) and run `policygen lock`; otherwise undo the change and start a new revision with `policygen new`",
                ),
            )
    for (policy, revision), documents in sorted(unlocked_documents(site, entries).items()):
        first = documents[0].source.location
        languages = ", ".join(sorted({f"{d.language}/{d.region}" for d in documents}))
        problems[(policy, revision)] = warning(
            first.at(1),
            "not-locked",
            f"revision '{revision}' of policy '{policy}' is in effect, but its text ({languages}) is not locked: run `policygen lock` and commit policies.lock",
        )
    return list(problems.values())
