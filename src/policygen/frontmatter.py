"""A document file's text → its typed front matter and its Markdown body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from .characters import describe_hidden_words
from .errors import Problem, SourceLocation, error, warning
from .yamldoc import NodeReader, parse_yaml

FRONT_MATTER_KEYS = (
    "title",
    "effective",
    "published",
    "summary",
    "material",
    "corrections",
    "untranslated",
    "extra",
)
CORRECTION_KEYS = ("date", "note")


@dataclass(frozen=True, slots=True)
class Correction:
    """A recorded change to the text of a revision already in effect."""

    date: dt.date
    """When the text was corrected."""
    note: str
    """What was corrected, in the language of the file."""


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The settings at the top of one document file."""

    title: str | None = None
    """Title of the policy in this language."""
    effective: dt.date | None = None
    """Date the revision takes effect (revision-level)."""
    published: dt.date | None = None
    """Date the revision was announced (revision-level)."""
    summary: str | None = None
    """What changed, in this language."""
    material: bool | None = None
    """Whether the change asks for renewed consent (revision-level)."""
    corrections: tuple[Correction, ...] = ()
    """Corrections made after the revision took effect."""
    untranslated: tuple[str, ...] = ()
    """Segments of a translation still in the source language (`translate import --partial`),
    by key."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form values for templates; never validated."""
    lines: dict[str, int] = field(default_factory=dict)
    """File line of each key that was set."""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A document file split into front matter and body."""

    front_matter: FrontMatter
    body: str
    """The Markdown after the front matter."""
    body_line: int
    """File line of the body's first line."""


def split_front_matter(text: str, fence: str = "---") -> tuple[str, str, int] | None:
    """(YAML, body, body's first line), or None when the text has no front matter block
    (`fence`: "+++" finds the TOML front matter of a Hugo site's page instead)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != fence:
        return None
    ends = (fence, "...") if fence == "---" else (fence,)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ends:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def parse_document_file(
    text: str, where: SourceLocation
) -> tuple[ParsedFile | None, list[Problem]]:
    """Read a document file's front matter; None with problems when it has mistakes."""
    parts = split_front_matter(text)
    if parts is None:
        return None, [
            error(
                where.at(1),
                "no-front-matter",
                "the file must start with front matter: a line '---', settings such as 'title:', and a closing '---'",
            )
        ]
    yaml_text, body, body_line = parts
    root, problems = parse_yaml(yaml_text, where, first_line=2)
    if problems:
        return None, problems
    reader = NodeReader(where, first_line=2, problems=problems)
    if root is None:
        return ParsedFile(FrontMatter(), body, body_line), problems
    entries = reader.mapping(root, "the front matter")
    if entries is None:
        return None, problems
    reader.check_keys(entries, FRONT_MATTER_KEYS, "the front matter")
    values: dict[str, Any] = {}
    for key in ("title", "summary"):
        if key in entries and not _is_blank(entries[key][1]):
            values[key] = reader.text(entries[key][1], key)
            if isinstance(values[key], str):
                line = reader.line(entries[key][1])
                problems += [
                    warning(where.at(line), code, f"its {key} holds {found}")
                    for code, found in describe_hidden_words(values[key])
                ]
    for key in ("effective", "published"):
        if key in entries:
            values[key] = reader.date(entries[key][1], key)
    if "material" in entries:
        values["material"] = reader.boolean(entries["material"][1], "material")
    if "corrections" in entries:
        values["corrections"] = tuple(_read_corrections(reader, entries["corrections"][1]))
    if "untranslated" in entries:
        values["untranslated"] = tuple(
            key for key, _ in reader.text_list(entries["untranslated"][1], "untranslated")
        )
    if "extra" in entries:
        node = entries["extra"][1]
        if isinstance(node, yaml.MappingNode):
            values["extra"] = reader.plain(node, "extra")
        else:
            reader.fail(node, "type", "extra must be a mapping of keys to values")
    if any(p.is_error for p in problems):
        return None, problems
    lines = {key: reader.line(key_node) for key, (key_node, _) in entries.items()}
    return ParsedFile(FrontMatter(**values, lines=lines), body, body_line), problems


def _is_blank(node: yaml.Node) -> bool:
    """`summary:` left empty (as `policygen new` writes it) counts as not written yet."""
    return isinstance(node, yaml.ScalarNode) and (
        node.tag == "tag:yaml.org,2002:null" or not str(node.value).strip()
    )


def _read_corrections(reader: NodeReader, node: yaml.Node) -> list[Correction]:
    corrections = []
    for item in reader.sequence(node, "corrections") or []:
        fields = reader.mapping(item, "a correction")
        if fields is None:
            continue
        reader.check_keys(fields, CORRECTION_KEYS, "a correction")
        for key in CORRECTION_KEYS:
            if key not in fields:
                reader.fail(
                    item,
                    "missing-key",
                    f"a correction needs '{key}' (write {{date: YYYY-MM-DD, note: what was corrected}})",
                )
        if any(key not in fields for key in CORRECTION_KEYS):
            continue
        when = reader.date(fields["date"][1], "the date of a correction")
        note = reader.text(fields["note"][1], "the note of a correction")
        if note is not None:
            assert reader.problems is not None
            line = reader.line(fields["note"][1])
            reader.problems += [
                warning(reader.where.at(line), code, f"the note of a correction holds {found}")
                for code, found in describe_hidden_words(note)
            ]
        if when is not None and note is not None:
            corrections.append(Correction(when, note))
    return sorted(corrections, key=lambda c: c.date)
