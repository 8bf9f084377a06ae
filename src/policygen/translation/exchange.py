"""The Site model and its source files → translators' files to send (export), translated
files → the Markdown files to write (import), and how far each translation is (pure).

Every revision is cut into segments (`segments`); the site's own translations are its
translation memory (`memory`). The command line reads the site and the files, and writes
what these functions return.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ..assembly import assemble_site
from ..attributes import parse_attribute_list
from ..canonical import parse_region_blocks
from ..characters import (
    describe,
    describe_override,
    find_invisible_references,
    find_mixed_scripts,
    find_mixed_scripts_in_references,
    first_forbidden,
    first_forbidden_reference,
    first_invisible,
)
from ..errors import Problem, SourceLocation, error
from ..frontmatter import parse_document_file
from ..locking import LOCK_FILE, LockEntry, settings_hash
from ..markdown import RenderedText, render_markdown
from ..model import Document, Revision, Site, SourceText
from ..rendering import distinct_texts, text_key
from ..sources import SiteSources, SourceFile
from .catalog import Entry, TranslationFile
from .memory import Comparing, Match, Memory, align, build_memory, recall, translation_unit
from .segments import (
    Segment,
    check_placeholders,
    describe_codes,
    fill_body,
    plain_segment,
    segment_body,
    structure_change,
)


@dataclass(frozen=True, slots=True)
class SegmentedText:
    """A document file cut into segments."""

    source: SourceText
    segments: tuple[Segment, ...]
    """The title, the summary, then the body's segments in text order."""
    problems: tuple[Problem, ...]
    """Blocks that could not be cut into segments."""

    @property
    def body_segments(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.span is not None)


class Texts:
    """The document files of a site, each cut into segments when first asked for: an export
    reads two languages of forty, and a file it does not read cannot stop it."""

    def __init__(
        self,
        site: Site,
        sources: SiteSources,
        rendered: Mapping[str, RenderedText] | None = None,
    ) -> None:
        """`rendered`: the site's texts rendered already, by SHA-256 (else each file's are
        rendered for its headings' anchors when it is cut)."""
        self._rendered = rendered or {}
        self._rendered_as = (
            {sha256: key for sha256, (key, _) in distinct_texts(site).items()} if rendered else {}
        )
        self._regions = site.config.region_ids
        self._files = {file.path: file for file in sources.documents}
        self._documents: dict[str, list[Document]] = {}
        for policy in site.policies:
            for revision in policy.all_revisions:
                for document in revision.documents.values():
                    if not document.is_fallback:
                        path = document.source.location.path
                        self._documents.setdefault(path, []).append(document)
        self._cut: dict[str, SegmentedText] = {}

    def of(self, source: SourceText) -> SegmentedText:
        path = source.location.path
        if path not in self._cut:
            file = self._files.get(path)
            self._cut[path] = segment_text(source, file, self._regions, self._anchors(path))
        return self._cut[path]

    def _anchors(self, path: str) -> dict[int, str]:
        """The anchor of every heading of a file, by file line: as its pages give them."""
        anchors: dict[int, str] = {}
        for document in self._documents.get(path, ()):
            # A text rendered already from this file (another file's has other lines).
            if self._rendered_as.get(document.sha256) == text_key(document):
                rendered = self._rendered[document.sha256]
            else:
                rendered = render_markdown(document.canonical, document.source.location)
            for heading in rendered.headings:
                anchors.setdefault(heading.line, heading.id)
        return anchors


def segment_text(
    source: SourceText,
    file: SourceFile | None,
    regions: tuple[str, ...],
    anchors: Mapping[int, str],
) -> SegmentedText:
    """A document file's segments: its title and summary, then its body's."""
    where = source.location
    lines: dict[str, int] = {}
    if file is not None:
        parsed, _ = parse_document_file(file.text, where)
        lines = parsed.front_matter.lines if parsed is not None else {}
    path = where.path
    prefix = f"[{source.region}] " if source.region else ""
    front = []
    if source.title:
        front.append(
            plain_segment(
                prefix + "title", "title", source.title, path, lines.get("title", 1), source.region
            )
        )
    if source.summary:
        front.append(
            plain_segment(
                prefix + "summary",
                "summary",
                source.summary,
                path,
                lines.get("summary", 1),
                source.region,
            )
        )
    blocks, _ = parse_region_blocks(source.body, where, source.body_line, regions)
    body, errors = segment_body(source.body, source.body_line, blocks, path, anchors, source.region)
    problems = tuple(
        error(where.at(e.line), "cannot-segment", e.message + " (policygen translate export)")
        for e in errors
    )
    return SegmentedText(source, (*front, *body), problems)


def source_digest(revision: Revision, language: str) -> str:
    """SHA-256 of what a revision's translators' file is made from: the source language's
    files, their titles, summaries and bodies."""
    digest = hashlib.sha256()
    for source in sorted(revision.sources, key=lambda s: s.location.path):
        if source.language == language:
            for part in (source.location.path, source.title, source.summary, source.body):
                digest.update(f"{part or ''}\0".encode())
    return digest.hexdigest()


def source_files(
    revision: Revision, language: str, region_order: Sequence[str]
) -> list[SourceText]:
    """A revision's files in one language: the general text first, then each region's."""
    files = [s for s in revision.sources if s.language == language]
    return sorted(files, key=lambda s: -1 if s.region is None else region_order.index(s.region))


def target_path(source: SourceText, language: str) -> str:
    """Where the translation of a source file is: `…/ja.md`, `…/ja.europe.md`."""
    folder = source.location.path.rsplit("/", 1)[0]
    return f"{folder}/{language}{'.' + source.region if source.region else ''}.md"


def _counterpart(revision: Revision, source: SourceText, language: str) -> SourceText | None:
    return next(
        (s for s in revision.sources if s.language == language and s.region == source.region),
        None,
    )


def site_memory(site: Site, texts: Texts, language: str) -> Memory:
    """Every translation of the site into `language`, aligned with its source."""
    units = []
    default = site.config.default_language
    for policy in site.policies:
        for revision in policy.all_revisions:
            for source in revision.sources:
                target = _counterpart(revision, source, language)
                if source.language != default or target is None:
                    continue
                skipped = set(target.untranslated)
                for mine, theirs in align(texts.of(source).segments, texts.of(target).segments):
                    if mine.key in skipped:
                        continue
                    unit = translation_unit(mine, theirs, revision.effective)
                    if unit is not None:
                        units.append(unit)
    return build_memory(units)


# Export.


def export_revisions(
    site: Site, language: str, policy_id: str | None, revision_id: str | None
) -> tuple[list[Revision], list[Problem]]:
    """The revisions to export: the one asked for, else those in force or to come whose
    text in `language` is missing or partial."""
    where = SourceLocation(".")
    if language not in site.config.languages:
        return [], [
            error(
                where,
                "unknown-language",
                f"'{language}' is not one of the site's languages ({', '.join(site.config.languages)})",
            )
        ]
    policies = list(site.policies)
    if policy_id is not None:
        policy = site.policy(policy_id)
        if policy is None:
            known = ", ".join(p.id for p in site.policies)
            return [], [
                error(
                    where, "unknown-policy", f"there is no policy '{policy_id}' (policies: {known})"
                )
            ]
        policies = [policy]
    if revision_id is not None:
        found = [r for p in policies for r in p.all_revisions if r.id == revision_id]
        if not found:
            known = ", ".join(r.id for p in policies for r in p.all_revisions)
            return [], [
                error(
                    where,
                    "unknown-revision",
                    f"there is no revision '{revision_id}' (revisions: {known})",
                )
            ]
        return found, []
    return [
        revision
        for policy in policies
        for revision in policy.all_revisions
        if revision.effective >= (policy.current or revision).effective
        and _is_incomplete(revision, language, site.config.default_language)
    ], []


def _is_incomplete(revision: Revision, language: str, default: str) -> bool:
    if language == default:
        return False
    for source in revision.sources:
        if source.language != default:
            continue
        target = _counterpart(revision, source, language)
        if target is None or target.untranslated:
            return True
    return False


def plan_export(
    site: Site,
    texts: Texts,
    memory: Memory,
    revision: Revision,
    language: str,
    comparing: Comparing | None = None,
) -> TranslationFile:
    """The translators' file of a revision in a language, filled from translation memory
    (`site_memory` of that language), its fuzzy translations looked for while `comparing`
    has some left."""
    comparing = comparing if comparing is not None else Comparing()
    default = site.config.default_language
    files = source_files(revision, default, site.config.region_ids)
    entries = [
        _entry(
            segment,
            recall(
                memory, segment.text, revision.effective, target_path(source, language), comparing
            ),
        )
        for source in files
        for segment in texts.of(source).segments
    ]
    return TranslationFile(
        policy=revision.policy_id,
        revision=revision.id,
        language=language,
        source_language=default,
        source_sha256=source_digest(revision, default),
        sources=tuple(s.location.path for s in files),
        entries=tuple(entries),
        exported=site.as_of.isoformat(),
    )


def _entry(segment: Segment, match: Match | None) -> Entry:
    what = segment.kind + (f", {segment.detail}" if segment.detail else "")
    if segment.region:
        what += f", for region {segment.region}"
    notes = [what]
    if segment.codes:
        notes.append("placeholders: " + describe_codes(segment))
    translation, is_fuzzy, previous = "", False, None
    if match is not None:
        translation = match.unit.target
        is_fuzzy = match.kind == "fuzzy"
        if is_fuzzy:
            previous = match.unit.source
            notes.append(
                f"similar ({round(match.similarity * 100)}%) to the source of {match.unit.origin}"
                if match.similarity < 1
                else f"from {match.unit.origin}, whose translation lacks some of the markup"
            )
        else:
            notes.append(f"from translation memory: {match.unit.origin}")
    return Entry(
        key=segment.key,
        source=segment.text,
        translation=translation,
        is_fuzzy=is_fuzzy,
        previous=previous,
        file=segment.path,
        line=segment.line,
        anchor=segment.anchor,
        markup=tuple((code.opening, code.closing) for code in segment.codes),
        notes=tuple(notes),
    )


# Import.


@dataclass(frozen=True, slots=True)
class ImportedText:
    """A document file an import writes."""

    path: str
    text: str
    untranslated: int
    """Segments left in the source language (`--partial`)."""
    is_unchanged: bool
    """The file exists with exactly this text."""


def plan_translation_import(
    site: Site,
    sources: SiteSources,
    texts: Texts,
    lock: Mapping[tuple[str, str, str, str], LockEntry],
    file: TranslationFile,
    *,
    is_partial: bool,
) -> tuple[list[ImportedText], list[Problem]]:
    """The files a translated file gives, or the problems that refuse it: each entry not
    translated, fuzzy, with broken placeholders or changing the text's structure; a source
    changed since the export; a locked text changed without a correction."""
    where = SourceLocation(file.path)
    header = file.header_lines
    policy = site.policy(file.policy)
    revision = (
        next((r for r in policy.all_revisions if r.id == file.revision), None) if policy else None
    )
    if revision is None:
        return [], [
            error(
                where.at(header.get("revision")),
                "unknown-revision",
                f"this file is for revision '{file.revision}' of policy '{file.policy}', which the site does not have",
            )
        ]
    default = site.config.default_language
    language = next(
        (lang for lang in site.config.languages if lang.lower() == file.language.lower()), None
    )
    if language is None or file.source_language != default:
        return [], [
            error(
                where.at(header.get("language")),
                "unknown-language",
                f"this file translates {file.source_language} into {file.language}; the site translates {default} into {', '.join(site.config.languages)}",
            )
        ]
    if source_digest(revision, default) != file.source_sha256:
        paths = ", ".join(
            s.location.path for s in source_files(revision, default, site.config.region_ids)
        )
        return [], [
            error(
                where.at(header.get("source_sha256")),
                "source-changed",
                f"the source text changed since this file was exported ({paths}): export the revision again "
                f"(policygen translate export --language {language} --policy {revision.policy_id} --revision {revision.id}) "
                "and translate the new file; a translation tool with its own memory (Poedit, Weblate) fills it from this one",
            )
        ]
    problems: list[Problem] = []
    entries = {entry.key: entry for entry in file.entries}
    files = [texts.of(source) for source in source_files(revision, default, site.config.region_ids)]
    known = {segment.key for text in files for segment in text.segments}
    for entry in file.entries:
        if entry.key not in known:
            problems.append(
                error(
                    where.at(entry.at),
                    "unknown-entry",
                    f"the source text has no segment '{entry.key}': this entry does not belong to this file",
                )
            )
    translations: dict[str, str] = {}
    at: dict[str, int] = {}
    for text in files:
        for segment in text.segments:
            found = entries.get(segment.key)
            problems += _check_entry(segment, found, where, is_partial)
            if found is not None and found.state == "done":
                translations[segment.key] = found.translation
                at[segment.key] = found.at
    if is_partial and not translations and not problems:
        problems.append(
            error(
                where.at(1),
                "nothing-translated",
                "no entry of this file is translated: there is nothing to import",
            )
        )
    if any(p.is_error for p in problems):
        return [], problems
    raw = {f.path: f.text for f in sources.documents}
    imported = []
    for text in files:
        written, written_problems = _imported_text(
            text, translations, at, where, language, revision, raw, site
        )
        problems += written_problems
        if written is not None:
            imported.append(written)
    if not problems:
        problems += _check_locks(
            site, sources, lock, revision, imported, where.at(header.get("revision"))
        )
    return ([] if problems else imported), problems


def _check_entry(
    segment: Segment, entry: Entry | None, where: SourceLocation, is_partial: bool
) -> list[Problem]:
    if entry is None:
        if is_partial:
            return []
        return [
            error(
                where.at(1),
                "missing-entry",
                f"the file has no entry for '{segment.key}' ({segment.path}:{segment.line}): export the revision again",
            )
        ]
    at = where.at(entry.at)
    if entry.source not in (segment.text, segment.spaced_text):
        return [
            error(
                at,
                "changed-entry",
                f"the msgid of '{entry.key}' is not the source text: translate in msgstr, and leave msgid as it is",
            )
        ]
    if entry.state == "to do":
        return (
            []
            if is_partial
            else [
                error(
                    at,
                    "untranslated",
                    f"'{entry.key}' is not translated yet (or import what is done with --partial)",
                )
            ]
        )
    if entry.state == "fuzzy" and not is_partial:
        return [
            error(
                at,
                "fuzzy",
                f"'{entry.key}' is marked fuzzy: check its translation against the source, then remove the fuzzy mark",
            )
        ]
    if entry.state == "fuzzy":
        return []
    forbidden = first_forbidden(entry.translation)
    if forbidden is not None:
        return [
            error(
                at,
                "control-character",
                f"the translation of '{entry.key}' has {describe(forbidden)}: remove it",
            )
        ]
    if (written := first_forbidden_reference(entry.translation)) is not None:
        # Markdown reads a character reference as the character it writes.
        message = f"the translation of '{entry.key}' has {written}: remove it"
        return [error(at, "control-character", message)]
    override = describe_override(entry.translation)
    if override is not None:
        # `check` warns of it in a text; a translator's tool does not show it at all.
        return [error(at, "bidi-override", f"the translation of '{entry.key}' has {override}")]
    invisible = first_invisible(entry.translation) or next(
        (why for _, _, why in find_invisible_references(entry.translation)), None
    )
    if invisible is not None:
        # `check` warns of it in a text; a translator's tool may not show it at all.
        return [
            error(at, "invisible-character", f"the translation of '{entry.key}' has {invisible}")
        ]
    mixed = next(find_mixed_scripts(entry.translation), None) or next(
        find_mixed_scripts_in_references(entry.translation), None
    )
    if mixed is not None:
        return [error(at, "mixed-scripts", f"the translation of '{entry.key}' has {mixed[2]}")]
    if (written := new_attribute_list(segment, entry.translation)) is not None:
        return [
            error(
                at,
                "structure",
                f"the translation of '{entry.key}' has the attribute list '{written}', which Markdown reads as markup: it would give what it ends an id of the translation's choosing. Write a backslash before '{{' when it is text",
            )
        ]
    return [
        error(at, "placeholder", f"'{entry.key}': {message}")
        for message in check_placeholders(segment, entry.translation)
    ]


ATTRIBUTE_LIST = re.compile(r"(?<!\\)\{[^{}\n]*\}")
"""What may be an attribute list (`{#id}`, `{: .class }`), unless a backslash escapes it."""


def new_attribute_list(segment: Segment, translation: str) -> str | None:
    """An attribute list a translation writes that its source's text does not: it would set
    an id, which no placeholder shows and the structure of the text does not change."""
    for found in ATTRIBUTE_LIST.finditer(translation):
        if parse_attribute_list(found[0]) is not None and found[0] not in segment.text:
            return found[0]
    return None


def _imported_text(
    text: SegmentedText,
    translations: Mapping[str, str],
    at: Mapping[str, int],
    where: SourceLocation,
    language: str,
    revision: Revision,
    raw: Mapping[str, str],
    site: Site,
) -> tuple[ImportedText | None, list[Problem]]:
    source = text.source
    body = fill_body(source.body, text.body_segments, translations)
    blocks, regions = parse_region_blocks(
        body, source.location, source.body_line, site.config.region_ids
    )
    found, _ = segment_body(body, source.body_line, blocks, source.location.path, {}, source.region)
    change = structure_change(text.body_segments, translations, found)
    if change is None and regions and text.body_segments:
        # A translation that starts with ':::' opens or closes a region block, which the
        # segments alone do not show: the line it starts on says whose translation it is.
        line = regions[0].location.line or 0
        index = max((i for i, s in enumerate(found) if s.line <= line), default=0)
        segment = text.body_segments[min(index, len(text.body_segments) - 1)]
        change = segment, "it opens or closes a region block (:::)"
    if change is not None:
        segment, what = change
        return None, [
            error(
                where.at(at.get(segment.key, 1)),
                "structure",
                f"the translation of '{segment.key}' changes the structure of the text: {what}. Markdown reads some characters as markup "
                "(* _ ` [ ] < | and, at the start, # or a number and a dot): write a backslash before such a character (\\*) when it is text",
            )
        ]
    untranslated = [s.key for s in text.segments if s.key not in translations]
    path = target_path(source, language)
    existing = next((s for s in revision.sources if s.location.path == path), None)
    titles = {
        s.kind: translations[s.key]
        for s in text.segments
        if s.span is None and s.key in translations
    }
    if language == site.config.default_language:
        # A file in the source language gives its text back unchanged, or nothing: a
        # translator's file whose language was changed to it would rewrite the original.
        problems = [
            error(
                where.at(at.get(s.key, 1)),
                "source-changed-by-import",
                f"'{s.key}' of a text in the source language is changed in the file itself ({path}), not by an import",
            )
            for s in text.segments
            if translations.get(s.key, s.text) != s.text
        ]
        original = raw.get(path, "")
        new = original[: len(original) - len(source.body)] + body
        return (None if problems else ImportedText(path, new, 0, new == original)), problems
    front: dict[str, Any] = {}
    for kind in ("title", "summary"):
        if kind in titles:
            front[kind] = " ".join(titles[kind].split())
    if untranslated:
        front["untranslated"] = untranslated
    if (
        existing is not None
        and (existing.title, existing.summary, existing.untranslated)
        == (front.get("title"), front.get("summary"), tuple(untranslated))
        and path in raw
    ):
        # The same settings: the file's own front matter stays as it is written.
        original = raw[path]
        new = original[: len(original) - len(existing.body)] + body
        return ImportedText(path, new, len(untranslated), new == original), []
    if existing is not None and existing.corrections:
        front["corrections"] = [{"date": c.date, "note": c.note} for c in existing.corrections]
    extra = existing.extra if existing is not None else source.extra
    if extra:
        front["extra"] = dict(extra)
    header = (
        yaml.safe_dump(
            front, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
        )
        if front
        else ""
    )
    new = f"---\n{header}---\n{body}"
    return ImportedText(path, new, len(untranslated), raw.get(path) == new), []


def _check_locks(
    site: Site,
    sources: SiteSources,
    lock: Mapping[tuple[str, str, str, str], LockEntry],
    revision: Revision,
    imported: Sequence[ImportedText],
    where: SourceLocation,
) -> list[Problem]:
    """An import never changes a locked text in effect without a correction (SPEC §7)."""
    if revision.effective > site.as_of or all(t.is_unchanged for t in imported):
        return []
    written = {t.path: t.text for t in imported}
    documents = [f for f in sources.documents if f.path not in written]
    documents += [
        SourceFile(path, text, hashlib.sha256(text.encode("utf-8")).digest())
        for path, text in written.items()
    ]
    changed = dataclasses.replace(sources, documents=tuple(sorted(documents, key=lambda f: f.path)))
    now = dt.datetime.combine(site.as_of, dt.time(12), tzinfo=dt.UTC)
    new_site, _ = assemble_site(changed, site.as_of, now)
    policy = new_site.policy(revision.policy_id) if new_site is not None else None
    if policy is None:
        return []
    new_revision = next(r for r in policy.all_revisions if r.id == revision.id)
    problems = []
    for document in new_revision.documents.values():
        entry = lock.get(
            (document.policy_id, document.revision_id, document.language, document.region)
        )
        path = document.source.location.path
        if entry is None or path not in written or document.is_fallback:
            continue
        unchanged = entry.sha256 == document.sha256 and entry.settings == settings_hash(
            new_revision, document
        )
        if not unchanged and len(document.corrections) <= entry.corrections:
            problems.append(
                error(
                    where,
                    "locked",
                    f"importing would change {path}, which is in effect and locked ({LOCK_FILE} line {entry.line}): a published text changes only with a correction. "
                    f"Record it in {path} first (corrections: [{{date: {site.as_of}, note: what was corrected}}]), then import again",
                )
            )
            break
    return problems


# Progress.


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the translation of a revision into one language is, in segments."""

    segments: int
    translated: int
    """Translated in the language's own files."""
    carried_over: int
    """Not translated yet, but translation memory has the same text translated."""
    fuzzy: int
    """Not translated yet; memory has a similar text translated."""
    to_do: int


def translation_progress(
    site: Site, texts: Texts, comparing: Comparing | None = None
) -> dict[tuple[str, str, str], Progress]:
    """Progress of every revision in every language but the source language, its fuzzy
    translations looked for while `comparing` has some left."""
    comparing = comparing if comparing is not None else Comparing()
    default = site.config.default_language
    progress = {}
    for language in site.config.languages:
        if language == default:
            continue
        memory = site_memory(site, texts, language)
        for policy in site.policies:
            for revision in policy.all_revisions:
                counts = {"translated": 0, "exact": 0, "fuzzy": 0, "to do": 0}
                total = 0
                for source in source_files(revision, default, site.config.region_ids):
                    segments = texts.of(source).segments
                    total += len(segments)
                    target = _counterpart(revision, source, language)
                    remaining: Iterable[Segment] = segments
                    if target is not None:
                        left = set(target.untranslated)
                        remaining = [s for s in segments if s.key in left]
                        counts["translated"] += len(segments) - len(remaining)
                    own = target_path(source, language)
                    for segment in remaining:
                        match = recall(memory, segment.text, revision.effective, own, comparing)
                        counts["to do" if match is None else match.kind] += 1
                progress[(policy.id, revision.id, language)] = Progress(
                    total, counts["translated"], counts["exact"], counts["fuzzy"], counts["to do"]
                )
    return progress
