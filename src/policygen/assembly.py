"""Source files → the typed Site model, with a located problem for each inconsistency."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .canonical import CanonicalText, RegionBlock, canonicalize, parse_region_blocks
from .config import (
    SLUG,
    SiteConfig,
    Translatable,
    parse_config,
    read_translatable,
    site_language,
)
from .errors import Problem, SourceLocation, error, warning
from .frontmatter import ParsedFile, parse_document_file
from .markdown import read_title
from .model import Document, Policy, Revision, Site, SourceText, Status
from .sources import SiteSources, SourceFile
from .spool import spooled, stored
from .yamldoc import NodeReader, parse_yaml

POLICY_KEYS = ("title", "regions")


@dataclass(frozen=True, slots=True)
class PolicySettings:
    """What a policy's policy.yaml says."""

    title: Translatable | None
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _File:
    """A parsed document file of a revision."""

    source: SourceText
    parsed: ParsedFile
    blocks: tuple[RegionBlock, ...]


DocumentsMaker = Callable[
    [str, "RevisionDraft", PolicySettings, SiteConfig], Mapping[tuple[str, str], Document]
]
"""Makes a revision's documents: `make_documents`, or a function giving what it gives."""
RevisionKeeper = Callable[[str, str, PolicySettings], "Revision | None"]
"""The revision of a folder (its id, the SHA-256 of its files, its policy's settings) as
the last build made it, when it is the same, with no problem: its files are not read again."""
PolicyAssembler = Callable[
    ["PolicyInputs", str, SiteConfig, dt.date], tuple[Policy, tuple[Problem, ...]]
]
"""Makes a policy from its inputs and their digest: `assemble_policy`, or a function giving
what it gives."""


def assemble_site(
    sources: SiteSources,
    as_of: dt.date | None,
    now: dt.datetime,
    assemble: PolicyAssembler | None = None,
) -> tuple[Site | None, list[Problem]]:
    """Build the model of the whole site as of a date (default: the day `now` falls on in
    the site's time zone); None when the settings cannot be read.

    Each policy is made by `assemble` (by default `assemble_policy`; the build cache passes
    one that takes a policy whose inputs did not change from the last build).
    """
    if sources.config is None:
        return None, []
    config, problems = parse_config(sources.config.text, sources.config.location)
    if config is None:
        return None, problems
    if as_of is None:
        as_of = now.astimezone(zoneinfo.ZoneInfo(config.timezone)).date()
    settings = {file.path.split("/")[1]: file for file in sources.policy_settings}
    files_by_revision: dict[str, list[SourceFile]] = defaultdict(list)
    for file in sources.documents:
        files_by_revision["/".join(file.path.split("/")[:3])].append(file)

    by_policy: dict[str, list[str]] = defaultdict(list)
    for folder in sources.revision_folders:
        by_policy[folder.split("/")[1]].append(folder)
    for policy_id in settings:
        by_policy.setdefault(policy_id, [])

    site_inputs = hashlib.sha256(sources.config.text.encode())
    site_inputs.update(f"\0{as_of.isoformat()}".encode())
    policies = []
    for policy_id in sorted(by_policy):
        inputs = PolicyInputs(
            policy_id,
            settings.get(policy_id),
            {folder: files_by_revision[folder] for folder in sorted(by_policy[policy_id])},
            tuple(sorted(p for p in sources.unreadable if p.startswith(f"content/{policy_id}/"))),
        )
        digest = inputs.digest(site_inputs.copy())
        policy, policy_problems = (assemble or assemble_policy)(inputs, digest, config, as_of)
        policies.append(policy)
        problems.extend(policy_problems)
    return Site(config, tuple(policies), as_of), problems


@dataclass(frozen=True, slots=True)
class PolicyInputs:
    """Everything a policy's model is made from, besides site.yaml and the date."""

    id: str
    settings: SourceFile | None
    """Its policy.yaml."""
    folders: dict[str, list[SourceFile]]
    """Document files by revision folder, in folder order."""
    unreadable: tuple[str, ...]

    def digest(self, site_inputs: Any) -> str:
        """SHA-256 of these inputs, continuing a hash of site.yaml and the date."""
        site_inputs.update(f"{self.id}\0{self.unreadable}\0".encode())
        if self.settings is not None:
            site_inputs.update(f"{self.settings.text}\0".encode())
        for folder, files in self.folders.items():
            site_inputs.update(f"{folder}\0".encode())
            for file in files:
                site_inputs.update(f"{file.path}\0".encode() + file.digest)
        return str(site_inputs.hexdigest())


def assemble_policy(
    inputs: PolicyInputs,
    digest: str,
    config: SiteConfig,
    as_of: dt.date,
    make: DocumentsMaker | None = None,
    keep: RevisionKeeper | None = None,
) -> tuple[Policy, tuple[Problem, ...]]:
    """A policy's model and its problems (`digest`: of its inputs, site.yaml and the date).

    Each revision's documents are made by `make` (by default `make_documents`), but those of
    a revision `keep` gives, which is taken as it is.
    """
    problems: list[Problem] = []
    policy_settings = _read_policy_settings(inputs.settings, config, problems)
    revisions = []
    for folder, files in inputs.folders.items():
        if any(path.startswith(folder + "/") for path in inputs.unreadable):
            continue  # reported already; its other files could only add confusing follow-ups
        files_digest = _digest_files(files)
        kept = keep(folder, files_digest, policy_settings) if keep else None
        revision = (
            _kept_draft(kept)
            if kept is not None
            else _assemble_revision(folder, files, files_digest, policy_settings, config, problems)
        )
        if revision is not None:
            revisions.append(revision)
    if not inputs.folders:
        where = (
            inputs.settings.location if inputs.settings else SourceLocation(f"content/{inputs.id}")
        )
        problems.append(
            error(
                where,
                "no-revisions",
                f"policy '{inputs.id}' has no revision folder yet (content/{inputs.id}/<revision>/{config.default_language}.md)",
            )
        )
    policy = _order_revisions(
        inputs.id, policy_settings, revisions, config, as_of, make or make_documents, problems
    )
    return dataclasses.replace(policy, inputs=digest), tuple(problems)


def _read_policy_settings(
    file: SourceFile | None, config: SiteConfig, problems: list[Problem]
) -> PolicySettings:
    every_region = PolicySettings(None, config.region_ids)
    if file is None:
        return every_region
    root, yaml_problems = parse_yaml(file.text, file.location)
    problems.extend(yaml_problems)
    if root is None:
        return every_region
    reader = NodeReader(file.location, problems=problems)
    entries = reader.mapping(root, "policy.yaml")
    if entries is None:
        return every_region
    reader.check_keys(entries, POLICY_KEYS, "policy.yaml")
    title = (
        read_translatable(reader, entries["title"][1], "title", config.languages)
        if "title" in entries
        else None
    )
    regions = config.region_ids
    if "regions" in entries:
        named = []
        for region, item in reader.text_list(entries["regions"][1], "regions"):
            if region not in config.region_ids:
                reader.fail(
                    item,
                    "unknown-region",
                    f"unknown region '{region}' (regions in site.yaml: {', '.join(config.region_ids)})",
                )
            else:
                named.append(region)
        if named:
            regions = tuple(r for r in config.region_ids if r in named)
        elif isinstance(entries["regions"][1], yaml.SequenceNode):
            reader.fail(entries["regions"][1], "empty", "regions must name at least one region")
    return PolicySettings(title, regions)


def _parse_file_name(
    file: SourceFile, config: SiteConfig, settings: PolicySettings, problems: list[Problem]
) -> tuple[str, str | None] | None:
    stem = file.path.rsplit("/", 1)[1].removesuffix(".md")
    language, _, region = stem.partition(".")
    where = file.location
    # Tags are compared regardless of case: pt-br.md is the pt-BR text.
    tag = site_language(language, config.languages)
    if tag is None:
        close = site_language(language.replace("_", "-"), config.languages)
        hint = f" (did you mean '{close}'?)" if close else ""
        problems.append(
            error(
                where,
                "unknown-language",
                f"'{language}' is not one of the site's languages ({', '.join(config.languages)}){hint}: rename the file or add the language to site.yaml",
            )
        )
        return None
    language = tag
    if not region:
        return language, None
    if not SLUG.match(region) or region not in config.region_ids:
        problems.append(
            error(
                where,
                "unknown-region",
                f"'{region}' is not a region of site.yaml ({', '.join(config.region_ids)}): name the file <language>.md or <language>.<region>.md",
            )
        )
        return None
    if region not in settings.regions:
        problems.append(
            error(
                where,
                "unknown-region",
                f"this policy is not published in region '{region}' (its policy.yaml lists {', '.join(settings.regions)})",
            )
        )
        return None
    return language, region


def _read_file(
    file: SourceFile, config: SiteConfig, settings: PolicySettings, problems: list[Problem]
) -> _File | None:
    name = _parse_file_name(file, config, settings, problems)
    parsed, blocks, file_problems = _parse_file(file, config.region_ids)
    problems.extend(file_problems)
    if name is None or parsed is None:
        return None
    front = parsed.front_matter
    source = SourceText(
        location=file.location,
        language=name[0],
        region=name[1],
        title=front.title,
        summary=front.summary,
        corrections=front.corrections,
        extra=front.extra,
        body=parsed.body,
        body_line=parsed.body_line,
        untranslated=front.untranslated,
    )
    # The body is kept in the spool file once, for the parsed file and its source text.
    source = spooled(source, body=stored(parsed, "body") or source.body)
    if front.untranslated:
        problems.append(_partial_translation(source, config, front.lines["untranslated"]))
    if not has_text(parsed.body):
        problems.append(_empty_text(source, config, parsed.body_line))
    return _File(source, parsed, blocks)


def has_text(body: str) -> bool:
    """Whether a body holds anything but spaces and HTML comments (`<!-- to translate -->`
    alone shows readers nothing); an unclosed comment is an error of its own."""
    start = 0
    while True:
        opening = body.find("<!--", start)
        if body[start : opening if opening >= 0 else len(body)].strip():
            return True
        if opening < 0:
            return False
        closing = body.find("-->", opening + 4)
        if closing < 0:
            return True  # what the unclosed comment hides is said at its line
        start = closing + 3


def _empty_text(source: SourceText, config: SiteConfig, line: int) -> Problem:
    """A file with front matter and no text would publish a policy page without its text
    (some sites mark a page not translated yet with such a file)."""
    where = source.location.at(line)
    default = config.default_language
    if source.language == default:
        return error(
            where,
            "empty-text",
            "this file has no text after its front matter (nothing but spaces or comments): write the policy's text there",
        )
    return error(
        where,
        "empty-text",
        f"this translation has no text after its front matter (nothing but spaces or comments), so {source.language} readers would get a page without the policy: write the translation there, or remove the file and they get the {default} text with a notice",
    )


def _partial_translation(source: SourceText, config: SiteConfig, line: int) -> Problem:
    """A translation imported with `translate import --partial` is published with text in
    the source language: worth a warning, which `check --strict` makes an error."""
    where = source.location.at(line)
    if source.language == config.default_language:
        return error(
            where,
            "untranslated",
            "'untranslated' lists the parts of a translation still in the source language: a text in the source language has none",
        )
    count = len(source.untranslated)
    return warning(
        where,
        "untranslated",
        f"this translation is partial: {count} segment{'s are' if count != 1 else ' is'} still in {config.default_language} (see `policygen status`); translate {'them' if count != 1 else 'it'} and import the file again",
    )


@functools.lru_cache(maxsize=4096)
def _parse_file(
    file: SourceFile, regions: tuple[str, ...]
) -> tuple[ParsedFile | None, tuple[RegionBlock, ...], tuple[Problem, ...]]:
    """A document file's front matter and region blocks, parsed once per file and text
    (serve reparses only the files that changed); its body kept in the spool file."""
    where = file.location
    parsed, problems = parse_document_file(file.text, where)
    if parsed is None:
        return None, (), tuple(problems)
    blocks, block_problems = parse_region_blocks(parsed.body, where, parsed.body_line, regions)
    return spooled(parsed, body=parsed.body), tuple(blocks), (*problems, *block_problems)


def forget_parsed_files() -> None:
    """Drop what `_parse_file` keeps of every file read: a process that reads the site once
    (not serve) has no use for it once the model is made."""
    _parse_file.cache_clear()


@dataclass(frozen=True, slots=True)
class RevisionDraft:
    """A revision before its place among the others is known."""

    id: str
    effective: dt.date
    published: dt.date
    material: bool
    files: tuple[_File, ...]
    effective_where: SourceLocation
    published_where: SourceLocation
    inputs: str
    kept: Revision | None = None
    """The revision as the last build made it from the same files (its `files` unread)."""


def _assemble_revision(
    folder: str,
    files: list[SourceFile],
    inputs: str,
    settings: PolicySettings,
    config: SiteConfig,
    problems: list[Problem],
) -> RevisionDraft | None:
    read = [
        f for f in (_read_file(file, config, settings, problems) for file in files) if f is not None
    ]
    if len(read) != len(files):
        return None
    names: dict[tuple[str, str | None], str] = {}
    for file in read:
        text_of = (file.source.language, file.source.region)
        name = file.source.location.path.rsplit("/", 1)[1]
        if text_of in names:
            # Only names that differ in case can say the same: pt-br.md and pt-BR.md.
            for_region = f" for region {text_of[1]}" if text_of[1] else ""
            problems.append(
                error(
                    file.source.location,
                    "duplicate-language",
                    f"{names[text_of]} and {name} are both the {text_of[0]} text{for_region} of this revision (case does not matter in language tags): keep one",
                )
            )
        else:
            names[text_of] = name
    if len(names) != len(read):
        return None
    source_files = [f for f in read if f.source.language == config.default_language]
    default = config.default_language
    if not source_files:
        problems.append(
            error(
                SourceLocation(folder),
                "no-source-file",
                f"this revision has no text in the source language: add {default}.md (translations alone are not enough)",
            )
        )
        return None
    uncovered = [
        r for r in settings.regions if not any(f.source.region in (None, r) for f in source_files)
    ]
    if uncovered:
        problems.append(
            error(
                SourceLocation(folder),
                "no-source-file",
                f"this revision has no {default} text for region {', '.join(uncovered)}: add {default}.md",
            )
        )
        return None
    primary = min(source_files, key=lambda f: f.source.region is not None)
    front = primary.parsed.front_matter
    where = primary.source.location
    if front.effective is None:
        problems.append(
            error(
                where.at(1),
                "missing-key",
                "the front matter must state 'effective: YYYY-MM-DD', the date this revision takes effect",
            )
        )
        return None
    revision_fields: dict[str, object] = {
        "effective": front.effective,
        "published": front.published or front.effective,
        "material": front.material if front.material is not None else True,
    }
    for other in read:
        if other is primary:
            continue
        for key, value in revision_fields.items():
            theirs = getattr(other.parsed.front_matter, key)
            if theirs is not None and theirs != value:
                stated = f"'{_show(value)}'" + (
                    " (the default)" if getattr(front, key) is None else ""
                )
                problems.append(
                    error(
                        other.source.location.at(other.parsed.front_matter.lines[key]),
                        "revision-field-mismatch",
                        f"'{key}: {_show(theirs)}' disagrees with {where.path}, which states {stated}: '{key}' belongs to the whole revision, so state it once in {where.path}, or state the same value",
                    )
                )
    published = front.published or front.effective
    if published > front.effective:
        problems.append(
            error(
                where.at(front.lines.get("published")),
                "published-after-effective",
                f"published ({published}) is after effective ({front.effective}): a revision is announced before, or on, the day it takes effect",
            )
        )
    return RevisionDraft(
        id=folder.rsplit("/", 1)[1],
        effective=front.effective,
        published=published,
        material=front.material if front.material is not None else True,
        files=tuple(read),
        effective_where=where.at(front.lines.get("effective")),
        published_where=where.at(front.lines.get("published", front.lines.get("effective"))),
        inputs=inputs,
    )


def _digest_files(files: list[SourceFile]) -> str:
    """The SHA-256 of a revision's files: `Revision.inputs`."""
    return hashlib.sha256(
        "".join(f"{file.path}\0{file.text}\0" for file in files).encode()
    ).hexdigest()


def _kept_draft(kept: Revision) -> RevisionDraft:
    """A revision made before from the same files, as a draft: its place among the others
    and its status are found again."""
    return RevisionDraft(
        id=kept.id,
        effective=kept.effective,
        published=kept.published,
        material=kept.material,
        files=(),
        effective_where=kept.location,
        published_where=kept.published_location,
        inputs=kept.inputs,
        kept=kept,
    )


def _show(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _order_revisions(
    policy_id: str,
    settings: PolicySettings,
    drafts: list[RevisionDraft],
    config: SiteConfig,
    as_of: dt.date,
    make: DocumentsMaker,
    problems: list[Problem],
) -> Policy:
    drafts.sort(key=lambda d: (d.effective, d.id))
    for earlier, later in zip(drafts, drafts[1:], strict=False):
        if earlier.effective == later.effective:
            problems.append(
                error(
                    later.effective_where,
                    "duplicate-effective",
                    f"revisions '{earlier.id}' and '{later.id}' both take effect on {later.effective}: each revision needs its own effective date",
                )
            )
    zone = zoneinfo.ZoneInfo(config.timezone)
    current_index = max((i for i, d in enumerate(drafts) if d.effective <= as_of), default=None)
    # A revision announced after as_of is scheduled: the site shows it from its published date.
    announced = [d for d in drafts if d.published <= as_of]
    revisions = []
    for index, draft in enumerate(drafts):
        status: Status = (
            "current"
            if index == current_index
            else ("upcoming" if draft.effective > as_of else "superseded")
        )
        start = dt.datetime.combine(draft.effective, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        documents = draft.kept.documents if draft.kept else make(policy_id, draft, settings, config)
        revisions.append(
            Revision(
                policy_id=policy_id,
                id=draft.id,
                version=(announced.index(draft) if draft in announced else index) + 1,
                effective=draft.effective,
                effective_at=start,
                published=draft.published,
                material=draft.material,
                status=status,
                location=draft.effective_where,
                published_location=draft.published_where,
                sources=draft.kept.sources if draft.kept else tuple(f.source for f in draft.files),
                documents=documents,
                inputs=draft.inputs,
            )
        )
    return Policy(
        policy_id,
        settings.title,
        settings.regions,
        tuple(r for r in revisions if r.published <= as_of),
        tuple(r for r in revisions if r.published > as_of),
    )


def make_documents(
    policy_id: str, draft: RevisionDraft, settings: PolicySettings, config: SiteConfig
) -> dict[tuple[str, str], Document]:
    """A revision's document in each language and region, falling back where none is written."""
    files = {(f.source.language, f.source.region): f for f in draft.files}
    default = config.default_language
    canonical_cache: dict[Any, tuple[CanonicalText, str]] = {}
    documents: dict[tuple[str, str], Document] = {}
    for language in config.languages:
        for region in settings.regions:
            # A translation of the general text never stands in for a region's own text:
            # where the source language has one (en.europe.md), only ja.europe.md translates it.
            own = files.get((language, region)) or (
                files.get((language, None)) if (default, region) not in files else None
            )
            text_file = own or files.get((default, region)) or files[(default, None)]
            canonical, digest = _canonical(text_file, region, canonical_cache)
            # Title and summary describe the text served: where a region's own source text is
            # served as a fallback, the translation of the general text does not describe it.
            described = {k: f for k, f in files.items() if own is not None or k[0] != language}
            summary = _first(described, "summary", region, (language,))
            summary_language = language
            if summary is None:
                summary, summary_language = (
                    _first(described, "summary", region, (default,)),
                    default,
                )
            documents[(language, region)] = Document(
                policy_id=policy_id,
                revision_id=draft.id,
                language=language,
                region=region,
                text_language=text_file.source.language,
                source=text_file.source,
                canonical=canonical,
                sha256=digest,
                title=_title(
                    policy_id,
                    settings,
                    described,
                    language,
                    region,
                    default,
                    None if text_file.source.title else read_title(canonical.text),
                ),
                summary=summary,
                summary_language=summary_language,
                corrections=text_file.source.corrections,
                extra=text_file.source.extra,
            )
    return documents


def _canonical(
    file: _File, region: str, cache: dict[Any, tuple[CanonicalText, str]]
) -> tuple[CanonicalText, str]:
    """The canonical text of a file for a region and its SHA-256, computed once per file and region."""
    key = (id(file), region)
    if key not in cache:
        source = file.source
        canonical = canonicalize(source.body, source.body_line, file.blocks, region)
        digest = hashlib.sha256(canonical.text.encode("utf-8")).hexdigest()
        canonical = spooled(canonical, text=canonical.text, file_lines=canonical.file_lines)
        # Regions whose blocks leave the same text share it: the model holds each text once.
        same = (digest, canonical.file_lines)
        cache[key] = cache.setdefault(same, (canonical, digest))
    return cache[key]


def _first(
    files: dict[tuple[str, str | None], _File], field: str, region: str, languages: tuple[str, ...]
) -> str | None:
    """A per-language front matter value from the first of `languages` that states it, region file first."""
    for lang in languages:
        for key in ((lang, region), (lang, None)):
            if key in files and (value := getattr(files[key].source, field)):
                return str(value)
    return None


def _title(
    policy_id: str,
    settings: PolicySettings,
    files: dict[tuple[str, str | None], _File],
    language: str,
    region: str,
    default: str,
    text_title: str | None,
) -> str:
    """The title a file gives in the reader's language, else policy.yaml's in that language,
    else the one the text served gives itself (`text_title`, its opening `# heading`), else
    policy.yaml's in the source language, else the source language's, else the folder name."""
    titles = dict(settings.title.texts) if settings.title else {}
    return (
        _first(files, "title", region, (language,))
        or titles.get(language)
        or titles.get("")
        or text_title
        or (settings.title.get(language, default) if settings.title else None)
        or _first(files, "title", region, (default,))
        or policy_id
    )
