"""The versions of a Markdown file in a git history → one revision each: which to keep, their
dates and summaries, and why the others were skipped (pure; `read_versions` runs git).

git runs as a subprocess that only reads (log, cat-file), with the settings through which a
repository's own configuration could run a program turned off: the repository may be a
stranger's, and nothing in it is ever run.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import os
import posixpath
import re
import secrets
import subprocess
import tempfile
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from ..characters import STRAY_CONTROLS, describe, find_forbidden, without_forbidden
from ..errors import SourceLocation, excerpt, printable
from ..frontmatter import split_front_matter
from ..i18n import locale
from ..yamldoc import EARLIEST, LATEST, parse_yaml
from .markdown import TOML_FENCE, NotImportable, normalized, toml_values

DateFrom = Literal["commit", "text"]
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>[^\W\d_]{3,12})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?P<year>\d{4})"
_OF = r"(?:\s+(?:de|del)\b)?"
""""24 de marzo de 2026", "4 de maio de 2026": Spanish and Portuguese write the month and
the year after "de"."""
DATE_FORMS = (
    re.compile(r"(?P<year>\d{4})-(?P<number>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_DAY}{_OF}\s+{_MONTH},?{_OF}\s+{_YEAR}\b"),
)
DATE_LINE = re.compile(
    r"\b(effective|last\s+updated|last\s+modified|last\s+revised|updated|revised|version|date"
    # A machine-readable date: `{: datetime="2026-03-24" }`, `<time datetime="2026-03-24">`.
    r"|datetime="
    r"|vigente|vigor|vigencia|vigência|vigore|actualizad[oa]|actualización|última\s+modificación|atualizad[oa]|atualização|aggiornat[oa]|aggiornamento"
    r"|obowiązuje|obowiązywania|wejścia\s+w\s+życie|aktualizacji|ingangsdatum|bijgewerkt|gäller|uppdaterad|účinnost[ií]?|platnost[ií]?|aktualizace|fecha)",
    re.IGNORECASE,
)
"""A line that states a text's date: "Effective date: September 1, 2022", "Last updated: …",
"Vigente desde el 24 de marzo de 2026", "Data wejścia w życie: 4 maja 2026 r.", or a date
written for machines beside the words."""
SAFE_GIT = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.pager=cat",
    "-c",
    "log.showSignature=false",
    "-c",
    "core.hooksPath=/dev/null",
    # A repository that says it is a partial clone makes git fetch each object it lacks
    # from its "promisor" remote, through any program its config names (core.sshCommand).
    "-c",
    "protocol.allow=never",
    # A repository's config may ask for its messages in UTF-16, whose every other byte is a
    # NUL: the separator of the fields policygen asks git for.
    "-c",
    "i18n.logOutputEncoding=UTF-8",
    "--no-pager",
)
"""Settings a repository's config could use to make git run a program, or write its output
otherwise than policygen reads it, turned off."""


NO_TEXT = "the commit removed the file, or left no text file there (a folder, a symbolic link, a submodule)"
"""Why a version without a text is skipped."""


NO_DATE = "its commit states no date that git can read, or one after the year 9998"
"""Why a version whose commit date cannot be read is skipped."""
MAX_TEXT_BYTES = 8 * 1024 * 1024
"""The largest file read as a text: a policy of a hundred pages is some 300 KB, and a
repository of a few megabytes can hold a file of gigabytes (a text repeated, which git
compresses to almost nothing)."""


class GitError(Exception):
    """git could not read the repository, or the file."""


@dataclass(frozen=True, slots=True)
class FileVersion:
    """The file as one commit of the first-parent history left it."""

    commit: str
    committed_at: dt.datetime | None
    """The committer date (in UTC); None when git cannot read it, or it is after 9998."""
    subject: str
    """The commit message's first line."""
    text: str | None
    """None when the commit removed the file, or left no text file there, or one that cannot
    be imported (see `problem`)."""
    path: str
    """Where the file was in this commit: the path asked for, or the one it had before it was
    renamed."""
    added: tuple[str, ...] = ()
    """When the commit removed the file: the files of its kind it added, one of which may be
    the same text under a new name (too rewritten for git to call it a rename)."""
    problem: str | None = None
    """Why the version cannot be imported, though the commit left a file there (a file too
    large to be a text, or not UTF-8; a commit without a date it can have); its text is then
    None."""
    included: tuple[str, ...] = ()
    """The files whose words stand in the text where it includes them (Jekyll's
    `{% include privacy-text.md %}`), as the commit left them."""


@dataclass(frozen=True, slots=True)
class PlannedRevision:
    """A version kept as a revision."""

    version: FileVersion
    effective: dt.date
    published: dt.date


@dataclass(frozen=True, slots=True)
class Skipped:
    """A version left out, and why."""

    commit: str
    reason: str
    kind: str | None = None
    """What versions left out for reasons of one kind share, said once for many of them
    (`SAME_DAY`); None for a reason said as it is."""


SAME_DAY = "a later commit of the same day has a text, and the later one was kept"
"""The kind of a version left out for a later one of the same day."""


def find_text_date(text: str, language: str = "en") -> dt.date | None:
    """The date a text in `language` states for itself, on a line such as "Effective date:
    September 1, 2022", "Last updated: 2023-04-20", "*Last updated: 20 April 2023*" or
    "Vigente desde el 24 de marzo de 2026"; None when it states none."""
    months = month_names(language)
    for line in text.split("\n"):
        if not DATE_LINE.search(line):
            continue
        for form in DATE_FORMS:
            for match in form.finditer(line):
                parts = match.groupdict()
                month = (
                    int(parts["number"])
                    if parts.get("number")
                    else months.get(parts["month"].lower())
                )
                if month is None:
                    continue
                try:
                    return dt.date(int(parts["year"]), month, int(parts["day"]))
                except ValueError:
                    continue
    return None


@functools.cache
def month_names(language: str) -> dict[str, int]:
    """The names of the months a date in `language` may be written with (in English too), as
    Babel knows them: whole and abbreviated, as in a date and standing alone ("4 maja",
    "maj"), lowercase and without a final dot."""
    names = dict(MONTHS)
    try:
        calendar = locale(language).months
    except (ValueError, LookupError):
        return names
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in calendar[context][width].items():
                names.setdefault(name.lower().rstrip("."), number)
    return names


def plan_history(
    versions: Sequence[FileVersion],
    date_from: DateFrom,
    timezone: str,
    taken: frozenset[dt.date] = frozenset(),
    reads_as: Callable[[str], object] = lambda text: text,
    language: str = "en",
) -> tuple[list[PlannedRevision], list[Skipped]]:
    """The versions to import, oldest first, and the ones skipped with the reason.

    `versions` are newest first, as git log gives them; `taken` are the effective dates of
    the policy's revisions already on the site; `language` is the texts' own, whose dates
    `date_from="text"` reads. A version that `reads_as` the one before
    (once imported: its byte order mark, line endings or spacing aside) is no new revision,
    nor is the last version of a day that `reads_as` the revision before that day.
    """
    zone = zoneinfo.ZoneInfo(timezone)
    skipped: list[Skipped] = []
    by_date: dict[dt.date, PlannedRevision] = {}
    previous: FileVersion | None = None
    unloaded = _unloaded_pages(list(reversed(versions)))
    unloaded.update(_doubled_pages(list(reversed(versions))))
    for version in reversed(versions):
        short = version.commit[:7]
        if version.problem is not None:
            skipped.append(Skipped(short, f"it is left out: {version.problem}"))
            continue
        if version.text is None or version.committed_at is None:
            skipped.append(Skipped(short, NO_TEXT + _maybe_moved(version.added)))
            continue
        problem = unpublishable(version.text)
        if problem is not None:
            skipped.append(Skipped(short, f"its text is left out: {problem}"))
            continue
        if version.commit in unloaded:
            skipped.append(Skipped(short, unloaded[version.commit]))
            continue
        if previous is not None and previous.text == version.text:
            skipped.append(Skipped(short, f"the same text as commit {previous.commit[:7]}"))
            continue
        if (
            previous is not None
            and previous.text is not None
            and reads_as(previous.text) == reads_as(version.text)
        ):
            skipped.append(
                Skipped(
                    short,
                    f"the same text as commit {previous.commit[:7]} once imported: {_how_they_differ(previous.text, version.text)}",
                )
            )
            continue
        previous = version
        committed = version.committed_at.astimezone(zone).date()
        if date_from == "text":
            stated = find_text_date(version.text, language)
            if stated is None:
                skipped.append(
                    Skipped(
                        short,
                        "no line of the text states a date (such as 'Effective date: September 1, 2022')",
                    )
                )
                continue
            if not EARLIEST <= stated <= LATEST:
                skipped.append(
                    Skipped(
                        short,
                        f"its text states the date {stated}, not one from {EARLIEST} to {LATEST}, the days policygen works with",
                    )
                )
                continue
            effective = stated
        else:
            effective = committed
        if effective in taken:
            skipped.append(
                Skipped(short, f"the policy has a revision effective {effective} already")
            )
            continue
        earlier = by_date.get(effective)
        if earlier is not None:
            skipped.append(
                Skipped(
                    earlier.version.commit[:7],
                    f"commit {short}, later, has a text for the same date ({effective}): the later one was kept",
                    SAME_DAY,
                )
            )
        by_date[effective] = PlannedRevision(version, effective, min(committed, effective))
    # A day whose changes were undone by its last text ends as the day before it ended
    # (WhatsApp's page went back and forth twice a day): no change, so no revision.
    planned: list[PlannedRevision] = []
    for revision in sorted(by_date.values(), key=lambda r: r.effective):
        last = planned[-1].version if planned else None
        text = revision.version.text
        if (
            last is not None
            and last.text is not None
            and text is not None
            and (last.text == text or reads_as(last.text) == reads_as(text))
        ):
            skipped.append(
                Skipped(
                    revision.version.commit[:7],
                    f"the same text as commit {last.commit[:7]} ({planned[-1].effective}): the day's earlier changes were undone",
                )
            )
            continue
        planned.append(revision)
    return planned, skipped


STUB_LONGEST = 200
"""The most characters (spaces aside) of a text that may be a web page recorded before it
had loaded: 'Chargement en cours ...', 'Please enable JavaScript'."""
STUB_SHARE = 20
"""How many times longer the versions around such a text are."""


def _unloaded_pages(chronological: Sequence[FileVersion]) -> dict[str, str]:
    """The versions that hold a web page recorded before it had loaded, by commit, with why.

    Open Terms Archive recorded the Privacy Policy of Mon espace santé as
    'Chargement en cours ...' ('Loading…') every few days for weeks, between versions of
    18,000 characters: each came in as a revision that removed the whole text, and the next
    as one that added it again. Such a version is a few words on at most three lines, no
    heading, and the versions just before and after it are twenty times longer or more."""
    sizes = [
        len("".join(version.text.split())) if version.text is not None else None
        for version in chronological
    ]
    found = {}
    for index, version in enumerate(chronological):
        size, text = sizes[index], version.text
        if size is None or text is None or size > STUB_LONGEST:
            continue
        lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
        if len(lines) > 3 or any(line.startswith("#") for line in lines):
            continue
        before = next((s for s in reversed(sizes[:index]) if s is not None), None)
        after = next((s for s in sizes[index + 1 :] if s is not None), None)
        if before is None or after is None or min(before, after) < STUB_SHARE * max(size, 1):
            continue
        words = " ".join(" ".join(lines).split())
        found[version.commit] = (
            f"its text is only {excerpt(words)!r}, where the versions before and after it have "
            f"{before:,} and {after:,} characters: a web page recorded before it had loaded, "
            "not a text of the policy"
        )
    return found


DOUBLED_SHARE = 0.95
"""The share of another version's paragraphs a text must hold twice over to be that text
shown twice by its web page."""
DOUBLED_FEWEST = 10
"""The fewest paragraphs of a text whose doubling is looked for: a short text may well say
a thing twice."""


def _doubled_pages(chronological: Sequence[FileVersion]) -> dict[str, str]:
    """The versions that hold a web page that showed its text twice, by commit, with why.

    Open Terms Archive recorded Boulanger's Conditions Générales de Vente Partenaire
    (p2b-compliance-versions, September 2022 to August 2024) as its text, 35,000 characters,
    and as that text twice over (its page showed it twice as it loaded), back and forth, in
    1,039 commits: 255 revisions that removed the text's second copy or added it back.

    Versions one after the other of about the same length make a run. A run between two runs
    of about half its length is such a page when it holds, nearly paragraph for paragraph,
    the text of the version just before it or just after it twice over; a text that stays
    twice as long (the page's new form, whatever it shows) is the policy's."""
    paragraphs = {
        index: counted
        for index, version in enumerate(chronological)
        if version.text is not None
        and (counted := Counter(k for b in version.text.split("\n\n") if (k := "".join(b.split()))))
    }
    sizes = {
        index: sum(len(k) * n for k, n in counted.items()) for index, counted in paragraphs.items()
    }
    runs: list[list[int]] = []
    for index in sorted(paragraphs):
        if runs and 0.8 <= sizes[index] / sizes[runs[-1][-1]] <= 1.25:
            runs[-1].append(index)
        else:
            runs.append([index])
    found = {}
    for before, run, after in zip(runs, runs[1:], runs[2:], strict=False):
        halves = [before[-1], after[0]]
        if not all(1.8 <= sizes[run[0]] / sizes[half] <= 2.2 for half in halves):
            continue
        for index in run:
            if any(_holds_twice(paragraphs[index], paragraphs[half]) for half in halves):
                found[chronological[index].commit] = (
                    "its text is that of the version before or after it twice over, nearly "
                    "paragraph for paragraph: a web page that showed its text twice, not a "
                    "text of the policy"
                )
    return found


def _holds_twice(own: Counter[str], half: Counter[str]) -> bool:
    """Whether a text's paragraphs hold nearly every paragraph of another twice over."""
    if len(half) < DOUBLED_FEWEST:
        return False
    return sum(1 for key in half if own[key] >= 2 * half[key]) >= DOUBLED_SHARE * len(half)


def translation_ends(
    versions: Sequence[FileVersion],
    planned: Sequence[PlannedRevision],
    reads_as: Callable[[str], object] = lambda text: text,
) -> dict[str, str]:
    """Where the translations of each planned revision are read, by its commit: just before
    the source text next changed (the parent of its next version with another text), or at
    HEAD for the last text.

    Translations often land days after their source text, in commits of their own: what a
    translation file says just before its source changes again is the translation of the
    source text up to then. `versions` are newest first, as `read_versions` gives them.
    """
    chronological = list(reversed(versions))
    position = {version.commit: index for index, version in enumerate(chronological)}
    ends = {}
    for revision in planned:
        source = revision.version
        reading = reads_as(source.text) if source.text is not None else None
        later = (
            version
            for version in chronological[position[source.commit] + 1 :]
            if version.text is None or reads_as(version.text) != reading
        )
        change = next(later, None)
        ends[source.commit] = f"{change.commit}^" if change is not None else "HEAD"
    return ends


def unpublishable(text: str) -> str | None:
    """Why a version's text cannot be imported (a character policygen does not publish,
    such as a NUL byte, that is not a stray control character the import leaves out), or
    None."""
    found = next(find_forbidden(STRAY_CONTROLS.sub("", text)), None)
    if found is None:
        return None
    line, _, char = found
    return f"line {line} holds {describe(char)}, which no page may show"


@dataclass(frozen=True, slots=True)
class FoundTranslations:
    """The translations of one version of the source text."""

    texts: list[tuple[str, str, str]]
    """(language, path, text) of each translation to import."""
    skipped: list[Skipped]
    later: dict[tuple[str, dt.datetime], list[str]]
    """The languages translated in commits after the source text's, by commit and its date."""
    removed: dict[tuple[str, dt.datetime], list[str]] = field(default_factory=dict)
    """The languages whose file a commit after the source text's removed before the source
    changed again, by that commit and its date: their text until then is imported."""


class TranslationReader:
    """Reads the translations of each version of a source text in turn, oldest first, each
    where `translation_ends` says; a translation that reads as the one taken for the version
    before is left out, so that readers get the source text with a notice rather than an
    outdated translation."""

    def __init__(
        self,
        repository: Path,
        pattern: str,
        languages: Sequence[str],
        source_language: str,
        reads_as: Callable[[str], object],
        history: Sequence[FileVersion],
    ) -> None:
        self.repository = repository
        self.pattern = pattern
        """Where the translations are: `{language}` stands for each language."""
        self.languages = languages
        self.source_language = source_language
        self.reads_as = reads_as
        self.last: dict[str, object] = {}
        """What each language's last translation taken reads as once imported."""
        self.history = history
        """Every version of the source text, imported or not."""
        self.sources: dict[object, int] | None = None
        """What each version of the source text reads as once imported, and the place (see
        `_place`) of the first commit that wrote it (read at the first translation found)."""
        self.paths: dict[str, str] = {}
        """Each language's path, once found (see `path_of`)."""
        self.histories: dict[str, list[FileVersion]] = {}
        """Each language's versions, newest first, through the renames its file went through
        (Mozilla moved `mozilla_privacy_policy/ar.md` to `ar/mozilla_privacy_policy.md` with
        its source text)."""
        self.order: dict[str, int] = {}
        """Each commit of the first-parent history of HEAD by its place, 0 for HEAD."""

    def path_of(self, language: str) -> str:
        """Where `language`'s translation is: the pattern with its tag as written, or as the
        repository writes it (`zh-tw`, `pt_BR`: a language tag's case does not matter), the
        first that has a history."""
        if language not in self.paths:
            tags = dict.fromkeys(
                (
                    language,
                    language.lower(),
                    language.replace("-", "_"),
                    language.lower().replace("-", "_"),
                )
            )
            paths = [self.pattern.replace("{language}", tag) for tag in tags]
            self.paths[language] = next(
                (path for path in paths if has_history(self.repository, path)), paths[0]
            )
        return self.paths[language]

    def _place(self, revision: str) -> int:
        """Where `revision` (a commit, `HEAD` or `commit^`) is in the first-parent history of
        HEAD: 0 for HEAD, one more for each commit before."""
        if not self.order:
            listed = _git(self.repository, "rev-list", "--first-parent", "HEAD").split()
            self.order = {commit.decode("ascii"): place for place, commit in enumerate(listed)}
        if revision not in self.order:
            commit = _git(self.repository, "rev-parse", "--verify", f"{revision}^{{commit}}")
            self.order[revision] = self.order[commit.decode("ascii").strip()]
        return self.order[revision]

    def _version_at(self, language: str, revision: str) -> FileVersion | None:
        """`language`'s translation as the history stood at `revision`: the version of the last
        commit up to it that changed the file (under any of its names), or None."""
        if language not in self.histories:
            self.histories[language] = read_versions(self.repository, self.path_of(language))
        place = self._place(revision)
        return next((v for v in self.histories[language] if self._place(v.commit) >= place), None)

    def _written(self, language: str, version: FileVersion, reading: object) -> FileVersion:
        """The commit that wrote what `version` reads as: the oldest of the versions up to it
        that read so, not a later one that only moved the file."""
        history = self.histories[language]
        index = history.index(version)
        while (
            index + 1 < len(history)
            and (older := history[index + 1].text) is not None
            and history[index + 1].committed_at is not None
            and self.reads_as(older) == reading
        ):
            index += 1
        return history[index]

    def _reads_so_at(self, language: str, commit: str, reading: object) -> bool:
        """Whether the translation read as `reading` at `commit` already: one that was only
        written anew later (Hackers' Pub formatted its five languages' texts) was not
        translated later."""
        version = self._version_at(language, commit)
        return (
            version is not None
            and version.text is not None
            and (self.reads_as(version.text) == reading)
        )

    def read(self, source: FileVersion, end: str) -> FoundTranslations:
        """The translations of `source`, as the history stands at `end`; raises GitError."""
        short = source.commit[:7]
        found = FoundTranslations([], [], {})
        missing: list[str] = []
        stale: list[str] = []
        copies: list[str] = []
        for language in self.languages:
            version = self._version_at(language, end)
            removal: tuple[str, dt.datetime] | None = None  # its commit and date
            if (
                version is not None
                and version.text is None
                and version.problem is None
                and (removed_at := version.committed_at) is not None
                and self._place(version.commit) < self._place(source.commit)
                and (until := self._version_at(language, f"{version.commit}^")) is not None
                and until.text is not None
            ):
                # Removed after this source text, before the next (Mozilla stopped
                # publishing its privacy policy in Arabic in 2022): the translation it had
                # until then was this text's, published for as long.
                removal, version = (version.commit, removed_at), until
            path = version.path if version is not None else self.path_of(language)
            if version is not None and version.problem is not None:
                found.skipped.append(
                    Skipped(short, f"{printable(path)} is left out: {version.problem}")
                )
            elif version is None or version.text is None or version.committed_at is None:
                missing.append(language)
            elif (problem := unpublishable(version.text)) is not None:
                found.skipped.append(Skipped(short, f"{printable(path)} is left out: {problem}"))
            elif self._is_copy(language, version, reading := self.reads_as(version.text)):
                copies.append(language)
            elif self.last.get(language) == reading:
                stale.append(language)
            else:
                self.last[language] = reading
                found.texts.append((language, path, version.text))
                if (
                    version.commit != source.commit
                    and source.committed_at is not None
                    and version.committed_at > source.committed_at
                    and not self._reads_so_at(language, source.commit, reading)
                ):
                    written = self._written(language, version, reading)
                    # `_written` passes over versions without a date.
                    key = (written.commit, written.committed_at or version.committed_at)
                    found.later.setdefault(key, []).append(language)
                if removal is not None:
                    found.removed.setdefault(removal, []).append(language)
        source_language = self.source_language
        notice = f"readers get the {source_language} text with a notice"
        if missing:
            found.skipped.append(Skipped(short, f"no {self._at(missing)}: {notice}"))
        for languages, one, many, why in (
            (copies, "is", "are", f"a copy of the {source_language} text, not a translation"),
            (stale, "was", "were", f"not updated with the {source_language} text"),
        ):
            if languages:
                verb = one if len(languages) == 1 else many
                found.skipped.append(
                    Skipped(short, f"the {self._at(languages)} {verb} {why}: {notice}")
                )
        return found

    def _is_copy(self, language: str, version: FileVersion, reading: object) -> bool:
        """Whether `language`'s `version` is a copy of the source text, to translate later
        (Delta Chat copied its English privacy policy to the folders of eighteen languages):
        it reads as a version of the source text written before it or with it. Of any
        version, imported or not: one replaced later the same day is imported under no date,
        but its copy is its words still. A source text that reads as a translation written
        before it (the translation pasted in its place) leaves the translation one."""
        if self.sources is None:
            self.sources = {}
            for source in self.history:
                if source.text is not None:
                    place = self._place(source.commit)
                    key = self.reads_as(source.text)
                    self.sources[key] = max(place, self.sources.get(key, place))
        first = self.sources.get(reading)
        return first is not None and first >= self._place(
            self._written(language, version, reading).commit
        )

    def _at(self, languages: Sequence[str]) -> str:
        """'ja text at Policies/ja/privacy.md', or 'de, fr texts at Policies/{language}/…'."""
        if len(languages) == 1:
            return f"{languages[0]} text at {self.path_of(languages[0])}"
        return f"{', '.join(languages)} texts at {self.pattern}"


def _git_command(repository: Path, args: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """The command line and the environment of a git command that only reads the repository."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("GIT_")
    } | {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_LITERAL_PATHSPECS": "1",  # a path is a file's, never a pattern
        "GIT_NO_LAZY_FETCH": "1",  # an object a partial clone lacks is not fetched (git 2.45)
        "LC_ALL": "C",
    }
    where = str(repository.resolve())
    return ["git", "-C", where, "-c", f"safe.directory={where}", *SAFE_GIT, *args], environment


def _git_failed(args: Sequence[str], stderr: bytes) -> GitError:
    message = stderr.decode("utf-8", "replace").strip().splitlines()
    return GitError(message[-1] if message else f"git {args[0]} failed")


def _git(repository: Path, *args: str) -> bytes:
    """The output of a git command that only reads the repository."""
    command, environment = _git_command(repository, args)
    try:
        done = subprocess.run(command, capture_output=True, env=environment, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (policygen runs it to read the history)") from None
    if done.returncode != 0:
        raise _git_failed(args, done.stderr)
    return done.stdout


MAX_RECORD_BYTES = 65_536
"""The most bytes of each commit's record from `git log` that are kept (its hash, its date
and the start of its message): a summary keeps 300 characters of a message, and a
stranger's commit can have a message of a gigabyte, which was read whole, several times
over, into the memory."""


def _git_records(repository: Path, mark: bytes, *args: str, given: bytes = b"") -> list[bytes]:
    """The output of a git command cut into records at each `mark`, each record cut at
    `MAX_RECORD_BYTES`: read a part at a time, never whole. `given` is its input."""
    command, environment = _git_command(repository, args)
    records: list[bytes] = []
    record, carried = bytearray(), b""

    def keep(data: bytes) -> None:
        record.extend(data[: max(0, MAX_RECORD_BYTES - len(record))])

    # git's input and messages are files, not pipes: a pipe one side did not read would
    # fill and stop the other.
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as stdin:
        stdin.write(given)
        stdin.seek(0)
        try:
            git = subprocess.Popen(
                command, stdin=stdin, stdout=subprocess.PIPE, stderr=errors, env=environment
            )
        except FileNotFoundError:
            raise GitError("git is not installed (policygen runs it to read the history)") from None
        with git:
            assert git.stdout is not None
            while chunk := git.stdout.read(1 << 20):
                pieces = (carried + chunk).split(mark)
                # The end of a part may be the start of a mark, which the next part ends.
                carried = pieces[-1][-(len(mark) - 1) :]
                pieces[-1] = pieces[-1][: len(pieces[-1]) - len(carried)]
                keep(pieces[0])
                for piece in pieces[1:]:
                    records.append(bytes(record))
                    record.clear()
                    keep(piece)
        keep(carried)
        records.append(bytes(record))
        if git.returncode != 0:
            errors.seek(0)
            raise _git_failed(args, errors.read(MAX_RECORD_BYTES))
    return records[1:]


def _maybe_moved(added: Sequence[str]) -> str:
    if not added:
        return ""
    names = ", ".join(printable(name) for name in added)
    return f"; it added {names}: if the text went on there, import that file's history too"


def _commits(
    repository: Path, *log: str, paths: Sequence[str] = ()
) -> list[tuple[str, str, str, str]]:
    """Each commit `git log` lists with the arguments `log`, and that changed one of `paths`
    if any are given: its hash, its date as `%ct`, its subject and the rest of its message."""
    # Paths are given on git's input, not its command line: a text's includes can have
    # names of thousands of characters, and the versions of a history of many of them made
    # a command line longer than the system runs.
    if paths:
        log = (*log, "--stdin")
    given = "--\n" + "".join(f"{path}\n" for path in paths) if paths else ""
    # Each commit's record starts with a mark no message can hold (it is drawn anew each
    # time), so that a NUL a message may hold once re-encoded misplaces no field.
    mark = secrets.token_hex(16)
    records = [
        record.decode("utf-8", "replace")
        for record in _git_records(
            repository,
            mark.encode("ascii"),
            log[0],
            f"--format={mark}%H%x00%ct%x00%s%x00%b",
            *log[1:],
            given=given.encode("utf-8", "surrogateescape"),
        )
    ]
    return [
        (commit, when, subject, body)
        for record in records
        for commit, when, subject, body in [
            tuple(field.strip("\n") for field in (record.split("\0", 3) + ["", "", ""])[:4])
        ]
    ]


def read_versions(repository: Path, path: str) -> list[FileVersion]:
    """Every version of `path` in the first-parent history of HEAD, newest first, through the
    renames it went through (a file moved to `privacy.en.md` and back is one text)."""
    _refuse_borrowed_objects(repository)
    _refuse_linked_git_files(repository)
    _refuse_git_folder_elsewhere(repository)
    follow = ("log", "--first-parent", "--follow")
    records = _commits(repository, *follow, "--", path)
    # The file's path at each commit: each commit's hash, then the names it changed, each
    # ended by NUL, the first after a line break.
    paths: dict[str, str] = {}
    commit = ""
    for token in _git(repository, *follow, "--name-only", "-z", "--format=%H", "--", path).split(
        b"\0"
    ):
        if token.startswith(b"\n"):
            paths.setdefault(commit, token[1:].decode("utf-8", "surrogateescape"))
        elif token:
            commit = token.decode("ascii", "replace")
    # git reads a folder's path as each file in it: each version would be another file, which
    # a stranger's history can hold where the text is, at a commit of its choosing.
    folder = _in_tree(repository, path)
    inside = [name for name in paths.values() if folder == "." or name.startswith(folder + "/")]
    if inside and len(inside) == len(paths):
        raise GitError(
            f"{printable(path)} is a folder of the repository, not a file: name the text's file, "
            f"such as {printable(inside[0])}"
        )
    records = _before_copy(repository, records, paths, path)
    versions = []
    lookups = _IncludeLookups()
    for commit, when, subject, body in records:
        where = paths.get(commit, path)
        if where in inside:
            where = path  # a folder there: no text
        committed_at = commit_date(when)
        text, problem = (
            read_text(repository, commit, where) if committed_at is not None else (None, NO_DATE)
        )
        is_removed = text is None and problem is None
        included: tuple[str, ...] = ()
        if text is not None:
            text, included, problem = _with_includes(repository, commit, where, text, lookups)
        versions.append(
            FileVersion(
                commit,
                committed_at,
                summary_of(subject, body),
                text,
                where,
                _added_beside(repository, commit, where) if is_removed else (),
                problem,
                included,
            )
        )
    includes = sorted({name for version in versions for name in version.included})
    if not includes:
        return versions
    return _with_include_changes(repository, versions, includes, lookups)


def _before_copy(
    repository: Path,
    records: list[tuple[str, str, str, str]],
    paths: Mapping[str, str],
    path: str,
) -> list[tuple[str, str, str, str]]:
    """The commits of a file's history (newest first) back to the one that made it as a copy
    of another file, which stayed where it was: `git log --follow` goes on through copies as
    through renames, and Delta Chat's Chinese FAQ, first a copy of the English one in 2021,
    took the English text's four years before as its own, each published as a Chinese
    translation. A file renamed (its earlier name gone) is followed on, and so is one moved
    with a few words left in its place ("Moved to en/privacy.md"), which git reads as a copy
    too: the history before the move was left out, and no one told."""
    for index in range(len(records) - 1):
        newer, older = records[index][0], records[index + 1][0]
        earlier = paths.get(older, path)
        if (
            earlier != paths.get(newer, path)
            and _git(repository, "ls-tree", "-z", "--name-only", newer, "--", earlier)
            and _stayed(repository, newer, earlier)
        ):
            return records[: index + 1]
    return records


def _refuse_git_folder_elsewhere(repository: Path) -> None:
    """Refuse a repository whose git folder, or the folder its history is shared from (a
    worktree's `commondir`), is outside the folder given: a stranger's `.git` file
    (`gitdir: /elsewhere`) or `commondir` could name any repository of the machine, whose
    texts would be imported as the stranger's."""
    top = repository.resolve()
    named = _git(repository, "rev-parse", "--absolute-git-dir", "--git-common-dir").splitlines()
    git_folder, common = (os.path.realpath(top / os.fsdecode(line)) for line in named[:2])
    for folder in (git_folder, common):
        if os.path.commonpath([top, folder]) == str(top):
            continue
        if folder == common and git_folder != common:
            why = f"its git folder reads its history from {folder}, which {git_folder}/commondir names"
        elif (top / ".git").is_file():
            why = f"its .git file names a git folder elsewhere ({folder}), as a worktree's or a submodule's does"
        else:
            why = f"it is not the top of a git repository: git found {folder} above it"
        raise GitError(
            f"{why}; policygen reads only the repository inside the folder it is given, "
            "where a stranger's could name any repository of the machine: import the "
            "repository's own folder, or a clone of it (`git clone`)"
        )


def _stayed(repository: Path, commit: str, path: str) -> bool:
    """Whether the file at `path` is still the text it was before `commit`: at least half of
    its lines (blank ones aside) are still there, or it could not be read either time."""
    before = read_text(repository, f"{commit}^", path)[0]
    after = read_text(repository, commit, path)[0]
    if before is None or after is None:
        return True
    lines = {line.strip() for line in before.splitlines()} - {""}
    kept = lines & {line.strip() for line in after.splitlines()}
    return 2 * len(kept) >= len(lines)


def _refuse_borrowed_objects(repository: Path) -> None:
    """Refuse a repository that reads objects from another (`objects/info/alternates`): a
    stranger's repository could name any repository on the machine there, and its history
    be the other's, whose texts would be imported as the stranger's."""
    named = _git(repository, "rev-parse", "--git-path", "objects/info/alternates")
    alternates = repository.resolve() / os.fsdecode(named.rstrip(b"\n"))
    if not os.path.lexists(alternates):
        return
    # Read only when a short regular file (a link to a device or a pipe would never end): an
    # empty file, or one of blank lines, names no repository.
    is_empty = (
        alternates.is_file()
        and not alternates.is_symlink()
        and alternates.stat().st_size <= 4096
        and not alternates.read_bytes().strip()
    )
    if not is_empty:
        raise GitError(
            f"the repository reads objects from another ({alternates} names it): policygen "
            "reads only the repository it is given; make it whole with `git repack -a -d`, "
            "then delete that file"
        )


def _refuse_linked_git_files(repository: Path) -> None:
    """Refuse a repository whose git folder holds a symbolic link (but for its hooks, which
    git does not run here): its `objects` and `refs` linked to another repository's make
    its history the other's, as `objects/info/alternates` does."""
    folders = _git(repository, "rev-parse", "--absolute-git-dir", "--git-common-dir")
    top = repository.resolve()
    for named in dict.fromkeys(os.fsdecode(line) for line in folders.splitlines() if line):
        git_folder = os.path.normpath(top / named)
        links = [] if os.path.realpath(git_folder) == git_folder else [git_folder]
        for folder, subfolders, files in os.walk(git_folder):
            if folder == git_folder:
                subfolders[:] = [name for name in subfolders if name != "hooks"]
            links += [
                os.path.join(folder, name)
                for name in [*subfolders, *files]
                if os.path.islink(os.path.join(folder, name))
            ]
            if links:
                raise GitError(
                    f"{links[0]} is a symbolic link: policygen reads only the repository it "
                    "is given, never what a link in its git folder leads to (another "
                    "repository's history); import the repository it leads to, if you mean to"
                )


INCLUDE = re.compile(
    r"[ \t]{0,3}\{%-?[ \t]*(include|include_relative)[ \t]+([\w.-]+(?:/[\w.-]+)*)[ \t]*-?%\}[ \t]*\r?"
)
"""A Jekyll include alone on its line, of a file named as it is (no parameters, no
placeholder): `{% include privacy-text.md %}`."""
INLINE_INCLUDE = re.compile(
    r"\{%-?[ \t]*(include|include_relative)[ \t]+([\w.-]+(?:/[\w.-]+)*)[ \t]*-?%\}"
)
"""A Jekyll include within a line: `[Standards]({% include standards-url %})`."""
MAX_INCLUDE_DEPTH = 4
"""How deep includes within included files are followed."""
RAW = re.compile(r"\{%-?[ \t]*raw[ \t]*-?%\}")
"""Liquid's `{% raw %}`, which keeps the tags after it from running: a text that has it is
read as it is written."""
MAX_INCLUDES = 64
"""How many includes of a text are followed, at every depth together: a stranger's
repository could include a file that includes another many times over, and so on."""
MAX_INCLUDE_LOOKUPS = 256
"""How many places a text's includes are looked for, found or not, at every depth together:
each is a run of git, and an include is looked for in each folder above the text. A text of
thousands of includes of files the repository has not, a hundred folders deep, ran git for
hours."""


def _include_paths(path: str, kind: str, name: str) -> list[str]:
    """Where a text at `path` finds the file it includes: next to it (`include_relative`), or
    in the `_includes` folder of the site it is in, the nearest of its folders first."""
    if ".." in name.split("/"):
        return []
    folder = posixpath.dirname(path)
    if kind == "include_relative":
        return [posixpath.join(folder, name)]
    folders = [folder]
    while folder:
        folder = posixpath.dirname(folder)
        folders.append(folder)
    return [posixpath.join(folder, "_includes", name) for folder in folders]


TOO_LARGE_WITH_INCLUDES = (
    f"the text, with the files it includes in its place, has more than the {MAX_TEXT_BYTES:,} "
    "bytes a text may have (a policy of a hundred pages has some 300,000)"
)
"""Why a version whose includes make it too large is skipped: a text can include a file of
megabytes many times over, and a repository of kilobytes made a text of 300 MB."""
MAX_HISTORY_INCLUDE_LOOKUPS = 16_384
"""How many places the includes of a history's versions are looked for, found or not, in
every version together (some fifty seconds of git): each commit that changes a text or a
file it includes is a version whose includes are looked for anew, and a stranger's history
of thousands of commits, each looking in `MAX_INCLUDE_LOOKUPS` places, ran git for hours."""
INCLUDES_NOT_READ = (
    f"the files its text includes were not all looked for: policygen looks for them in "
    f"{MAX_HISTORY_INCLUDE_LOOKUPS:,} places at most in a history's versions together, and "
    "the versions read before this one took them all (a history whose commits each look in "
    "hundreds of places would run git for hours)"
)
"""Why a version is skipped when the history's include lookups ran out before its own."""


class _IncludeLookups:
    """How many more places the includes of a history's versions may be looked for."""

    def __init__(self) -> None:
        self.left = MAX_HISTORY_INCLUDE_LOOKUPS


def _with_includes(
    repository: Path, commit: str, path: str, text: str, lookups: _IncludeLookups
) -> tuple[str | None, tuple[str, ...], str | None]:
    """The text with the words of the files it includes in place of its Jekyll includes (the
    CoronaMelder app's privacy statement was `{% include privacy-text.md %}` for its first
    months, its words in `_includes/privacy-text.md`; Delta Chat's FAQ links to
    `({% include standards-url %})`, an address in a file of one line), as `commit` left them,
    and those files, and why the text is None: it is made larger than `MAX_TEXT_BYTES` so,
    or `lookups` ran out before its includes were all looked for. An include within a line
    of a file of more than one line, an include of a file the commit has not, or past
    `MAX_INCLUDE_DEPTH`, `MAX_INCLUDES` or `MAX_INCLUDE_LOOKUPS`, and the includes of a text
    with `{% raw %}`, are left as they are."""
    included: list[str] = []
    budget = [MAX_INCLUDES]
    size = [len(text.encode("utf-8", "surrogateescape"))]
    found: dict[str, str | None] = {}  # each place looked at, and the text there

    is_cut = [False]

    def read(candidate: str) -> str | None:
        if candidate not in found and len(found) < MAX_INCLUDE_LOOKUPS:
            if lookups.left <= 0:
                is_cut[0] = True
                return None
            lookups.left -= 1
            found[candidate] = read_text(repository, commit, candidate)[0]
        return found.get(candidate)

    def expanded(path: str, text: str, depth: int) -> str:
        if "include" not in text or depth >= MAX_INCLUDE_DEPTH or RAW.search(text):
            return text

        def within_line(match: re.Match[str]) -> str:
            # Only a file of one line, as Jekyll puts it there: a block of words inside a
            # line (a list in a link's target) would read as nothing Jekyll made. A carriage
            # return ends a line as a line feed does: "x\r\r## Heading" is three lines.
            for candidate in _include_paths(path, match[1], match[2]):
                words = read(candidate)
                if words is None:
                    continue
                line = words.removesuffix("\n").removesuffix("\r")
                if "\n" in line or "\r" in line or "{%" in line or budget[0] <= 0:
                    return match[0]
                budget[0] -= 1
                size[0] += len(line.encode("utf-8"))
                included.append(candidate)
                return line if size[0] <= MAX_TEXT_BYTES else match[0]
            return match[0]

        lines = text.split("\n")
        for index, line in enumerate(lines):
            match = INCLUDE.fullmatch(line)
            if budget[0] <= 0 or size[0] > MAX_TEXT_BYTES:
                continue
            if match is None:
                if "{%" in line:
                    lines[index] = INLINE_INCLUDE.sub(within_line, line)
                continue
            for candidate in _include_paths(path, match[1], match[2]):
                words = read(candidate)
                if words is not None:
                    budget[0] -= 1
                    # Each include is a copy of the file's words in the text.
                    size[0] += len(words.encode("utf-8"))
                    included.append(candidate)
                    if size[0] <= MAX_TEXT_BYTES:
                        lines[index] = expanded(candidate, words, depth + 1).removesuffix("\n")
                    break
        return "\n".join(lines)

    # Jekyll runs no Liquid in a page's front matter: its title is the one written.
    head = _front_matter_end(text)
    whole = text[:head] + expanded(path, text[head:], 0)
    files = tuple(dict.fromkeys(included))
    if is_cut[0]:
        return None, files, INCLUDES_NOT_READ
    if size[0] > MAX_TEXT_BYTES:
        return None, files, TOO_LARGE_WITH_INCLUDES
    return whole, files, None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
"""A line and its end, as the import reads lines (a carriage return alone ends one)."""


def _front_matter_end(text: str) -> int:
    """Where a text's front matter (YAML or TOML, as the import reads it) ends, 0 for a text
    without one: an include written in it ('title: {% include title.txt %}', or an include
    alone on a line of it) is no include Jekyll follows, and would set what the text's front
    matter says."""
    lines = _LINE.finditer(text, 1 if text.startswith("\ufeff") else 0)
    fence = next(lines)[0].rstrip()
    if fence not in ("---", TOML_FENCE):
        return 0
    ends = (fence, "...") if fence == "---" else (fence,)
    for line in lines:
        if not line[0]:
            break
        if line[0].rstrip() in ends:
            return line.end()
    return 0


def _with_include_changes(
    repository: Path,
    versions: list[FileVersion],
    includes: Sequence[str],
    lookups: _IncludeLookups | None = None,
) -> list[FileVersion]:
    """`versions` (newest first), and a version for each commit that changed a file the text
    included, but not the text: its words changed there, as its readers saw them."""
    lookups = lookups if lookups is not None else _IncludeLookups()
    listed = _git(repository, "rev-list", "--first-parent", "HEAD").split()
    order = {commit.decode("ascii"): place for place, commit in enumerate(listed)}
    known = {version.commit for version in versions}
    # The versions by their place, oldest first, so that the one standing at each commit is
    # found by bisection: a scan of every version for each of thousands of commits took a
    # time growing with their product.
    placed = sorted(
        (-order[version.commit], index)
        for index, version in enumerate(versions)
        if version.commit in order
    )
    found = list(versions)
    # A line of git's input is a path: a name with a line break is left out.
    named = [name for name in includes if "\n" not in name]
    for commit, when, subject, body in (
        _commits(repository, "log", "--first-parent", paths=named) if named else ()
    ):
        committed_at = commit_date(when)
        if commit in known or commit not in order or committed_at is None:
            continue
        # The newest version at or before the commit: the first whose place is not smaller.
        at = bisect.bisect_right(placed, (-order[commit], len(versions)))
        standing = versions[placed[at - 1][1]] if at else None
        # A text made too large by its includes is there: a change to them may make it
        # smaller (and one whose includes were not read is there too).
        if standing is None or (
            standing.text is None
            and standing.problem not in (TOO_LARGE_WITH_INCLUDES, INCLUDES_NOT_READ)
        ):
            continue
        if lookups.left <= 0:
            # Its includes would not be looked for: not even its text is read.
            found.append(
                FileVersion(
                    commit,
                    committed_at,
                    summary_of(subject, body),
                    None,
                    standing.path,
                    problem=INCLUDES_NOT_READ,
                )
            )
            continue
        text, _ = read_text(repository, commit, standing.path)
        if text is None:
            continue
        text, included, problem = _with_includes(repository, commit, standing.path, text, lookups)
        if included or problem == INCLUDES_NOT_READ:
            found.append(
                FileVersion(
                    commit,
                    committed_at,
                    summary_of(subject, body),
                    text,
                    standing.path,
                    problem=problem,
                    included=included,
                )
            )
    return sorted(found, key=lambda version: order.get(version.commit, len(order)))


def _in_tree(repository: Path, path: str) -> str:
    """`path` as the repository's tree names it: from its top folder, without `.` or `//`."""
    if posixpath.isabs(path):
        for top in (repository.resolve(), repository.absolute()):
            try:
                return Path(os.path.normpath(path)).relative_to(top).as_posix()
            except ValueError:
                continue
    return posixpath.normpath(path)


def commit_date(seconds: str) -> dt.datetime | None:
    """A commit's date from git's `%ct` (seconds since 1970, empty when git cannot read it),
    in UTC; None when it is none Python can write in every time zone (after 9998).

    The seconds, not `%cI`: git writes the offset a commit states, which may be of 99 hours
    (`+9959`), and no time zone has one; the instant is the same."""
    try:
        when = dt.datetime.fromtimestamp(int(seconds), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    # A day's margin, so that the date is one in every time zone.
    return when if dt.MINYEAR < when.year < dt.MAXYEAR else None


MAX_ADDED_SHOWN = 3
"""How many files a commit that removed the text added are named, at most."""


def _added_beside(repository: Path, commit: str, path: str) -> tuple[str, ...]:
    """The files with `path`'s extension that `commit` added, if it removed `path`."""
    try:
        names = _git(
            repository, "diff", "--name-only", "--diff-filter=A", "-z", f"{commit}^", commit
        ).split(b"\0")
    except GitError:  # a first commit, or a commit git cannot read
        return ()
    suffix = Path(path).suffix.lower()
    added = [name.decode("utf-8", "surrogateescape") for name in names if name]
    return tuple(name for name in added if Path(name).suffix.lower() == suffix)[:MAX_ADDED_SHOWN]


def has_history(repository: Path, path: str) -> bool:
    """Whether a commit of the first-parent history of HEAD changed `path`."""
    return bool(_git(repository, "log", "--first-parent", "-1", "--format=%H", "--", path).strip())


MERGE_SUBJECT = re.compile(r"Merge (pull request|branch|remote-tracking branch) ")
TRAILER = re.compile(r"(?:Signed-off-by|Co-authored-by|Reviewed-by|Acked-by|Change-Id): ", re.I)
"""A git trailer, which says who wrote or agreed to a commit, not what it changed."""
COMMIT_TYPE = re.compile(
    r"(?:build|chore|ci|docs|feat|fix|perf|refactor|revert|style|test|update)"
    r"(?:\([\w./ -]{1,40}\))?!?: +(?=\S)"
)
"""A Conventional Commits type before a subject ("docs: ", "fix(privacy)!: "): words for
the project's developers, not for a policy's readers."""


def _how_they_differ(old: str, new: str) -> str:
    """What differs between two versions that read the same once imported."""
    old_front, new_front = _front_values(old), _front_values(new)
    keys = [
        key
        for key in dict.fromkeys([*old_front, *new_front])
        if old_front.get(key) != new_front.get(key)
    ]
    if not keys:
        if " ".join(normalized(old).split()) == " ".join(normalized(new).split()):
            return "they differ only in spacing, line endings or a byte order mark"
        return (
            "their pages read the same: they differ only in how their Markdown is written "
            "(such as the spaces after a list's marks, or where a paragraph's lines break) or "
            "in images, which policy pages do not show"
        )
    names = ", ".join(f"'{key}'" for key in keys)
    return f"only front matter that is not part of the text changed ({names})"


def _front_values(text: str) -> dict[str, str]:
    """A text's front matter, each key with its value as written: compared as text, so that
    aliases of aliases are never written out (a stranger's repository may hold them)."""
    parts = split_front_matter(normalized(text))
    if parts is None:
        toml = split_front_matter(normalized(text), TOML_FENCE)
        try:
            values = toml_values(toml[0]) if toml else {}
        except NotImportable:
            return {}
        return {key: repr(value) for key, value in values.items()}
    yaml_text = parts[0]
    node, problems = parse_yaml(yaml_text, SourceLocation(""))
    if problems or not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): yaml_text[value.start_mark.index : value.end_mark.index]
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def _merge_body_lines(body: str) -> Iterator[str]:
    """The lines of a merge commit's message body that may name what it merged: not the
    files git listed as in conflict ('# Conflicts:' and the paths after it, as comments or,
    from older versions of git, not), nor trailers such as 'Signed-off-by:'."""
    is_conflicts = False
    for line in body.split("\n"):
        words = line.strip()
        if words.lstrip("#").strip() == "Conflicts:":
            is_conflicts = True
            continue
        if is_conflicts and line.lstrip("#").startswith("\t"):
            continue
        is_conflicts = False
        is_comment = words == "#" or line.startswith(("# ", "#\t"))
        if words and not is_comment and not TRAILER.match(words):
            yield words


def summary_of(subject: str, body: str) -> str:
    """What a commit says it changed: its subject, or for a merge the title of what it merged
    (the first line of the message's body, where GitHub and GitLab write it); without the
    control characters a message may hold, which no page shows, and without a Conventional
    Commits type ("docs!: Update privacy policy" says "Update privacy policy")."""
    if MERGE_SUBJECT.match(subject):
        first = next((line.strip() for line in _merge_body_lines(body)), "")
        if first:
            subject = first
    summary = without_forbidden(subject)
    typed = COMMIT_TYPE.match(summary)
    if typed is not None:
        rest = summary[typed.end() :]
        summary = rest[0].upper() + rest[1:]
    if len(summary) <= LONGEST_SUMMARY:
        return summary
    # Every page of the policy's history and its feed show each revision's summary.
    cut = summary[:LONGEST_SUMMARY]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + "…"


LONGEST_SUMMARY = 300
"""The most characters of a commit's subject a summary keeps: a subject is a line of some
fifty (git's own advice), and a stranger's may be of megabytes, which every page of the
policy's history would show."""


def read_text(repository: Path, commit: str, path: str) -> tuple[str | None, str | None]:
    """The file as `commit` left it, and why it cannot be imported though it is there (it is
    too large to be a text, or not UTF-8). Its text is None when it is not there, is not a
    file (a symbolic link's blob is the path it points to; a submodule has none), or cannot
    be imported."""
    try:
        entry = _git(repository, "ls-tree", "-z", "--long", commit, "--", path).split(b"\0")[0]
        mode, kind, blob, size = entry.split(b"\t", 1)[0].split()
        if kind != b"blob" or mode not in (b"100644", b"100755"):
            return None, None
        if int(size) > MAX_TEXT_BYTES:
            # Read before it is unpacked: a file of gigabytes would fill the memory.
            return None, (
                f"the file has {int(size):,} bytes, more than the {MAX_TEXT_BYTES:,} a text may "
                "have (a policy of a hundred pages has some 300,000)"
            )
        data = _git(repository, "cat-file", "blob", blob.decode("ascii"))
    except (GitError, ValueError):
        return None, None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, not_utf8(data, exc.start)


def not_utf8(data: bytes, start: int) -> str:
    """Why a file whose bytes are not UTF-8 from `start` on is no text policygen reads: a
    version saved in Latin-1 was said to be a file removed, or a folder, or a link."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", "replace")) + 1
    return (
        f"the file is not UTF-8 text: its byte 0x{data[start]:02X} at line {line}, column "
        f"{column} is no UTF-8 character (the file was saved in another encoding, such as "
        "Windows-1252, which policygen does not guess)"
    )
