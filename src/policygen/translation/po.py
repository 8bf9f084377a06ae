"""A TranslationFile ⇄ the text of a gettext PO file (pure).

What policygen writes, gettext's `msgfmt --check`, Babel, Poedit and Weblate read: one entry
per segment, the segment's key as `msgctxt` (keys are unique, texts need not be), its file
and line and its section's anchor as references (`#: content/…/en.md:42 #section-4`), notes
for the translator as extracted comments (`#.`), `#, fuzzy` with the previous source
(`#| msgid`) for translations carried over from a similar segment. The header records what
the file was made from, so that it is imported where it belongs, and only while that source
is unchanged.
"""

from __future__ import annotations

import re

from ..errors import Problem, SourceLocation, error
from .catalog import HEADER_NOTE, Entry, TranslationFile

FIELDS = {
    "policy": "X-Policygen-Policy",
    "revision": "X-Policygen-Revision",
    "source_language": "X-Policygen-Source-Language",
    "source_sha256": "X-Policygen-Source-SHA256",
    "sources": "X-Policygen-Sources",
    "language": "Language",
}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}  # fmt: skip


def write_po(file: TranslationFile) -> str:
    """The PO text of a translators' file."""
    out = [
        f"# Revision {file.revision} of policy '{file.policy}', from {file.source_language} into {file.language}: written by policygen.",
        f"# {file.summary}.",
        *(f"# {line}" for line in _wrap(HEADER_NOTE, 78)),
        'msgid ""',
        'msgstr ""',
    ]
    header = {
        "Project-Id-Version": f"{file.policy} {file.revision}",
        "PO-Revision-Date": f"{file.exported} 00:00+0000" if file.exported else "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": file.language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        FIELDS["policy"]: file.policy,
        FIELDS["revision"]: file.revision,
        FIELDS["source_language"]: file.source_language,
        FIELDS["sources"]: " ".join(file.sources),
        FIELDS["source_sha256"]: file.source_sha256,
        "X-Policygen-Memory": f"{file.count('done')} carried over, {file.count('fuzzy')} fuzzy, {file.count('to do')} to do",
    }
    out += [_quote(f"{key}: {value}\n") for key, value in header.items()]
    for entry in file.entries:
        out.append("")
        out += [f"#. {note}" for note in entry.notes]
        anchor = f" #{entry.anchor}" if entry.anchor else ""
        out.append(f"#: {entry.file}:{entry.line}{anchor}")
        if entry.is_fuzzy:
            out.append("#, fuzzy")
            if entry.previous is not None:
                out += _field("#| msgid", entry.previous)
        out += _field("msgctxt", entry.key)
        out += _field("msgid", entry.source)
        out += _field("msgstr", entry.translation)
    return "\n".join(out) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(char, char) for char in text) + '"'


def _field(keyword: str, text: str) -> list[str]:
    """A keyword and its string, one quoted line per line of the text."""
    if "\n" not in text.rstrip("\n"):
        return [f"{keyword} {_quote(text)}"]
    prefix = "#| " if keyword.startswith("#|") else ""
    parts = text.splitlines(keepends=True)
    return [f'{keyword} ""', *(prefix + _quote(part) for part in parts)]


_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*)\Z')


def read_po(text: str, path: str) -> tuple[TranslationFile | None, list[Problem]]:
    """Read a PO file that policygen wrote (and a translator filled)."""
    where = SourceLocation(path)
    problems: list[Problem] = []
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    field_name: str | None = None

    def finish() -> None:
        nonlocal current, field_name
        if any(key in current for key in ("msgid", "msgctxt", "msgstr")):
            entries.append(current)
        current, field_name = {}, None

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            finish()
            continue
        if stripped.startswith("#~"):
            continue  # an obsolete entry, which tools keep for reference
        if stripped.startswith("#"):
            if "msgid" in current or "msgctxt" in current:
                finish()
            if stripped.startswith("#,"):
                flags = {flag.strip() for flag in stripped[2:].split(",")}
                current["fuzzy"] = "fuzzy" in flags
            elif stripped.startswith("#|"):
                previous = stripped[2:].strip()
                match = _KEYWORD.match(previous)
                if match is not None:
                    field_name = "previous " + match[1]
                    value = _unquote(match[2], where.at(number), problems)
                    current[field_name] = value
                elif previous.startswith('"') and field_name and field_name.startswith("previous"):
                    current[field_name] = str(current[field_name]) + _unquote(
                        previous, where.at(number), problems
                    )
            continue
        match = _KEYWORD.match(stripped)
        if match is not None:
            keyword = match[1]
            if keyword == "msgid_plural" or keyword.startswith("msgstr["):
                problems.append(
                    error(
                        where.at(number),
                        "po-plural",
                        "plural forms have no place in a policy text: translate the entry's msgid in its msgstr",
                    )
                )
                continue
            if keyword in current or (keyword != "msgstr" and "msgstr" in current):
                finish()
            field_name = keyword
            current[keyword] = _unquote(match[2], where.at(number), problems)
            current[keyword + " line"] = number
            continue
        if stripped.startswith('"') and field_name is not None:
            current[field_name] = str(current[field_name]) + _unquote(
                stripped, where.at(number), problems
            )
            continue
        problems.append(
            error(
                where.at(number),
                "po-syntax",
                "this line is not PO: entries are msgctxt, msgid and msgstr lines with quoted text, and comments starting with #",
            )
        )
    finish()
    return _translation_file(entries, path, problems)


def _unquote(text: str, at: SourceLocation, problems: list[Problem]) -> str:
    if len(text) < 2 or not text.endswith('"') or not text.startswith('"'):
        problems.append(error(at, "po-syntax", "a PO string is written between double quotes"))
        return ""
    out = []
    body = text[1:-1]
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body) and body[index + 1] in _UNESCAPES:
            out.append(_UNESCAPES[body[index + 1]])
            index += 2
        elif char == "\\" or char == '"':
            problems.append(
                error(
                    at,
                    "po-syntax",
                    f"'{char}' in a PO string is written with a backslash before it",
                )
            )
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _translation_file(
    entries: list[dict[str, object]], path: str, problems: list[Problem]
) -> tuple[TranslationFile | None, list[Problem]]:
    where = SourceLocation(path)
    header = next((e for e in entries if e.get("msgid") == "" and "msgctxt" not in e), None)
    if header is None:
        problems.append(
            error(
                where.at(1),
                "po-header",
                'this PO file has no header (msgid ""): translate a file that `policygen translate export` wrote',
            )
        )
        return None, problems
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    header_line = int(str(header.get("msgstr line", 1)))
    for offset, field_line in enumerate(str(header.get("msgstr", "")).split("\n")):
        key, _, value = field_line.partition(":")
        values[key.strip()] = value.strip()
        lines[key.strip()] = header_line + offset + 1
    missing = [name for name in FIELDS.values() if not values.get(name)]
    if missing:
        problems.append(
            error(
                where.at(header_line),
                "po-header",
                f"the header lacks {', '.join(missing)}: this is not a file `policygen translate export` wrote, or its header was edited",
            )
        )
        return None, problems
    read: list[Entry] = []
    keys: dict[str, int] = {}
    for item in entries:
        if item is header:
            continue
        at = int(str(item.get("msgstr line", item.get("msgid line", 0))))
        if "msgctxt" not in item or "msgid" not in item or "msgstr" not in item:
            problems.append(
                error(
                    where.at(at),
                    "po-entry",
                    "this entry lacks its msgctxt, msgid or msgstr: every entry of the file has the three",
                )
            )
            continue
        key = str(item["msgctxt"])
        if key in keys:
            problems.append(
                error(
                    where.at(at),
                    "po-entry",
                    f"the entry '{key}' is here twice (first on line {keys[key]})",
                )
            )
            continue
        keys[key] = at
        previous = item.get("previous msgid")
        read.append(
            Entry(
                key=key,
                source=str(item["msgid"]),
                translation=str(item["msgstr"]),
                is_fuzzy=bool(item.get("fuzzy", False)),
                previous=None if previous is None else str(previous),
                at=at,
            )
        )
    file = TranslationFile(
        policy=values[FIELDS["policy"]],
        revision=values[FIELDS["revision"]],
        language=values[FIELDS["language"]],
        source_language=values[FIELDS["source_language"]],
        source_sha256=values[FIELDS["source_sha256"]],
        sources=tuple(values[FIELDS["sources"]].split()),
        entries=tuple(read),
        path=path,
        header_lines={name: lines.get(value, header_line) for name, value in FIELDS.items()},
    )
    return file, problems
