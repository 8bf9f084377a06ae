"""A TranslationFile ⇄ the text of an XLIFF 2.0 document (pure).

What policygen writes is XLIFF 2.0 core, valid against its schema, for translation tools
that read XLIFF rather than PO (memoQ, Trados, Crowdin, Weblate): a `<file>` per source
file, a `<unit>` per segment named by the segment's key, placeholders as inline codes
(`<pc>` around text, `<ph/>` standing alone) whose original data is the source's markup.
A translation memory match is a segment in state `translated`; a similar one is in state
`initial` with a target and the sub-state `policygen:fuzzy`, its previous source in a note.
Reading takes the target of every unit back to the placeholder form of PO files, so one
set of rules checks both formats. Documents with a DTD are refused: nothing a translation
file declares is expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from ..errors import Problem, SourceLocation, error
from .catalog import HEADER_NOTE, Entry, TranslationFile
from .segments import PLACEHOLDER

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
FUZZY = "policygen:fuzzy"
HEADER = ("policy", "revision", "source-sha256", "sources")
DONE = frozenset({"translated", "reviewed", "final"})
"""The states of an XLIFF 2.0 segment whose translation is done."""


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def write_xliff(file: TranslationFile) -> str:
    """The XLIFF 2.0 text of a translators' file."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff xmlns="{NAMESPACE}" version="2.0" srcLang="{_escape(file.source_language, True)}" '
        f'trgLang="{_escape(file.language, True)}">',
    ]
    header = {
        "policy": file.policy,
        "revision": file.revision,
        "source-sha256": file.source_sha256,
        "sources": " ".join(file.sources),
        "memory": file.summary,
        "placeholders": HEADER_NOTE,
    }
    unit_number = 0
    for index, source in enumerate(file.sources, start=1):
        out.append(f'  <file id="f{index}" original="{_escape(source, True)}" canResegment="no">')
        if index == 1:
            out.append("    <notes>")
            out += [
                f'      <note id="{key}" category="policygen">{_escape(value)}</note>'
                for key, value in header.items()
            ]
            out.append("    </notes>")
        for entry in (e for e in file.entries if e.file == source):
            unit_number += 1
            out += _unit(entry, unit_number)
        out.append("  </file>")
    out.append("</xliff>")
    return "\n".join(out) + "\n"


def _unit(entry: Entry, number: int) -> list[str]:
    anchor = f" #{entry.anchor}" if entry.anchor else ""
    notes = [("location", f"{entry.file}:{entry.line}{anchor}")]
    notes += [("description", note) for note in entry.notes]
    if entry.is_fuzzy and entry.previous is not None:
        notes.append(("previous-source", entry.previous))
    out = [
        f'    <unit id="u{number}" name="{_escape(entry.key, True)}" xml:space="preserve">',
        "      <notes>",
        *(
            f'        <note category="{category}">{_escape(text)}</note>'
            for category, text in notes
        ),
        "      </notes>",
    ]
    if entry.markup:
        out.append("      <originalData>")
        for code, (opening, closing) in enumerate(entry.markup, start=1):
            if closing is None:
                out.append(f'        <data id="d{code}">{_escape(opening)}</data>')
            else:
                out.append(f'        <data id="d{code}s">{_escape(opening)}</data>')
                out.append(f'        <data id="d{code}e">{_escape(closing)}</data>')
        out.append("      </originalData>")
    paired = {n for n, (_, closing) in enumerate(entry.markup, start=1) if closing is not None}
    state = ""
    if entry.translation:
        state = f' state="initial" subState="{FUZZY}"' if entry.is_fuzzy else ' state="translated"'
    out.append(f"      <segment{state}>")
    out.append(f"        <source>{_inline(entry.source, paired, len(entry.markup))}</source>")
    if entry.translation:
        out.append(
            f"        <target>{_inline(entry.translation, paired, len(entry.markup))}</target>"
        )
    out += ["      </segment>", "    </unit>"]
    return out


def _inline(text: str, paired: set[int], codes: int) -> str:
    """Text with placeholders as XLIFF inline codes: `<pc>` where pairs nest, else `<sc/>`
    and `<ec/>`; a placeholder the source does not have is kept as text."""
    marks = list(PLACEHOLDER.finditer(text))
    is_nested = _is_nested(marks)
    out = []
    position = 0
    for mark in marks:
        out.append(_escape(text[position : mark.start()]))
        position = mark.end()
        number = int(mark[1] or mark[2] or mark[3])
        if number > codes or (mark[3] is not None) == (number in paired):
            out.append(_escape(mark[0]))
        elif mark[1] and is_nested:
            out.append(f'<pc id="{number}" dataRefStart="d{number}s" dataRefEnd="d{number}e">')
        elif mark[1]:
            out.append(f'<sc id="{number}" dataRef="d{number}s"/>')
        elif mark[2] and is_nested:
            out.append("</pc>")
        elif mark[2]:
            out.append(f'<ec startRef="{number}" dataRef="d{number}e"/>')
        else:
            out.append(f'<ph id="{number}" dataRef="d{number}"/>')
    out.append(_escape(text[position:]))
    return "".join(out)


def _is_nested(marks: list[re.Match[str]]) -> bool:
    opened: list[str] = []
    for mark in marks:
        if mark[1]:
            if mark[1] in opened:
                return False
            opened.append(mark[1])
        elif mark[2] and (not opened or opened.pop() != mark[2]):
            return False
    return not opened


# Reading.


@dataclass(slots=True)
class _Element:
    tag: str
    """Local name (namespace dropped)."""
    namespace: str
    attributes: dict[str, str]
    line: int
    children: list[_Element | str] = field(default_factory=list)

    def elements(self, tag: str) -> list[_Element]:
        return [c for c in self.children if isinstance(c, _Element) and c.tag == tag]


DEEPEST = 100
"""How deeply a file's elements may nest: policygen writes them five to ten levels deep, and
reads each level with a nested call."""


class _Refused(Exception):
    pass


class _TooDeep(Exception):
    pass


def _parse(text: str, where: SourceLocation) -> tuple[_Element | None, list[Problem]]:
    parser = expat.ParserCreate(namespace_separator=" ")
    root: list[_Element] = []
    stack: list[_Element] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _, tag = name.rpartition(" ")
        element = _Element(tag, namespace, attributes, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)
        if len(stack) > DEEPEST:
            raise _TooDeep

    def end(name: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].children.append(data)

    def refuse(*_: object) -> None:
        raise _Refused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        # Text, not bytes: expat then reads the characters the file was decoded to, whatever
        # encoding its XML declaration names (as bytes, "ISO-8859-1" read é as Ã©).
        parser.Parse(text, True)
    except _Refused:
        return None, [
            error(
                where.at(parser.CurrentLineNumber),
                "xliff-doctype",
                "this XLIFF file declares a document type: policygen reads XLIFF without one",
            )
        ]
    except _TooDeep:
        return None, [
            error(
                where.at(parser.CurrentLineNumber),
                "xliff-syntax",
                f"this XLIFF file nests its elements more than {DEEPEST} levels deep: policygen reads files nested as it writes them",
            )
        ]
    except expat.ExpatError as exc:
        return None, [
            error(
                where.at(exc.lineno),
                "xliff-syntax",
                f"this is not well-formed XML: {expat.ErrorString(exc.code)}",
            )
        ]
    return (root[0] if root else None), []


def read_xliff(text: str, path: str) -> tuple[TranslationFile | None, list[Problem]]:
    """Read an XLIFF 2.0 file that policygen wrote (and a translator filled)."""
    where = SourceLocation(path)
    root, problems = _parse(text, where)
    if root is None or problems:
        return None, problems
    if (
        root.tag != "xliff"
        or root.namespace != NAMESPACE
        or not root.attributes.get("version", "").startswith("2.")
    ):
        return None, [
            error(
                where.at(root.line),
                "xliff-version",
                "this is not an XLIFF 2 file: policygen reads the XLIFF 2.0 files it writes",
            )
        ]
    files = root.elements("file")
    header: dict[str, str] = {}
    lines: dict[str, int] = {}
    for notes in files[0].elements("notes") if files else []:
        for note in notes.elements("note"):
            key = note.attributes.get("id", "")
            header[key] = _text(note)
            lines[key] = note.line
    missing = [key for key in HEADER if not header.get(key)]
    if missing or not root.attributes.get("trgLang"):
        return None, [
            error(
                where.at(files[0].line if files else root.line),
                "xliff-header",
                f"this file lacks its policygen notes ({', '.join(missing) or 'trgLang'}): translate a file that `policygen translate export --format xliff` wrote",
            )
        ]
    entries: list[Entry] = []
    keys: dict[str, int] = {}
    for file in files:
        for unit in _units(file):
            key = unit.attributes.get("name", "")
            segments = unit.elements("segment")
            if not key or not segments:
                problems.append(
                    error(
                        where.at(unit.line),
                        "xliff-unit",
                        "this unit has no name or no segment: units are as policygen wrote them",
                    )
                )
                continue
            if key in keys:
                problems.append(
                    error(
                        where.at(unit.line),
                        "xliff-unit",
                        f"the unit '{key}' is here twice (first on line {keys[key]})",
                    )
                )
                continue
            keys[key] = unit.line
            sources = [s for segment in segments for s in segment.elements("source")]
            targets = [t for segment in segments for t in segment.elements("target")]
            foreign = next((f for t in targets if (f := _foreign(t)) is not None), None)
            if foreign is not None:
                problems.append(
                    error(
                        where.at(foreign.line),
                        "xliff-unit",
                        f"the translation of '{key}' holds <{foreign.tag}>, which XLIFF 2.0 does not allow in a translation and policygen would leave out, its words with it: write them as text",
                    )
                )
                continue
            translation = "".join(_placeholders(t) for t in targets)
            # Done when every segment of the unit is: a second segment still `initial`, or
            # without a target, leaves the whole translation to check.
            is_done = all(
                segment.attributes.get("state") in DONE and segment.elements("target")
                for segment in segments
            )
            previous = next(
                (
                    _text(note)
                    for notes in unit.elements("notes")
                    for note in notes.elements("note")
                    if note.attributes.get("category") == "previous-source"
                ),
                None,
            )
            entries.append(
                Entry(
                    key=key,
                    source="".join(_placeholders(s) for s in sources),
                    translation=translation,
                    is_fuzzy=bool(translation) and not is_done,
                    previous=previous,
                    file=file.attributes.get("original", ""),
                    markup=_markup(unit),
                    at=(targets[0].line if targets else segments[0].line),
                )
            )
    read = TranslationFile(
        policy=header["policy"],
        revision=header["revision"],
        language=root.attributes["trgLang"],
        source_language=root.attributes.get("srcLang", ""),
        source_sha256=header["source-sha256"],
        sources=tuple(header["sources"].split()),
        entries=tuple(entries),
        path=path,
        header_lines={
            "policy": lines["policy"],
            "revision": lines["revision"],
            "source_sha256": lines["source-sha256"],
            "language": root.line,
        },
    )
    return read, problems


INLINE = frozenset({"cp", "ph", "pc", "sc", "ec", "mrk", "sm", "em"})
"""The elements XLIFF 2.0 allows in a source or a target."""


def _foreign(element: _Element) -> _Element | None:
    """The first element in a target that XLIFF 2.0 does not allow there: its words were
    left out of the translation imported (`We do <b>not</b> sell` read `We do  sell`)."""
    for child in element.children:
        if isinstance(child, _Element):
            if child.namespace != NAMESPACE or child.tag not in INLINE:
                return child
            if (found := _foreign(child)) is not None:
                return found
    return None


def _markup(unit: _Element) -> tuple[tuple[str, str | None], ...]:
    """What the placeholders of a unit stand for, from its original data."""
    data = {
        item.attributes.get("id", ""): _text(item)
        for original in unit.elements("originalData")
        for item in original.elements("data")
    }
    markup: list[tuple[str, str | None]] = []
    while True:
        number = len(markup) + 1
        if f"d{number}" in data:
            markup.append((data[f"d{number}"], None))
        elif f"d{number}s" in data:
            markup.append((data[f"d{number}s"], data.get(f"d{number}e", "")))
        else:
            return tuple(markup)


def _units(element: _Element) -> list[_Element]:
    """The units of a file, in groups too."""
    found = []
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag == "unit":
                found.append(child)
            elif child.tag == "group":
                found += _units(child)
    return found


def _text(element: _Element) -> str:
    return "".join(c if isinstance(c, str) else _text(c) for c in element.children)


def _placeholders(element: _Element) -> str:
    """Inline content in the placeholder form: `<1>…</1>`, `{2}`."""
    out = []
    for child in element.children:
        if isinstance(child, str):
            out.append(child)
        elif child.tag == "pc":
            number = child.attributes.get("id", "")
            out.append(f"<{number}>{_placeholders(child)}</{number}>")
        elif child.tag == "ph":
            out.append(f"{{{child.attributes.get('id', '')}}}")
        elif child.tag == "sc":
            out.append(f"<{child.attributes.get('id', '')}>")
        elif child.tag == "ec":
            out.append(f"</{child.attributes.get('startRef', child.attributes.get('id', ''))}>")
        elif child.tag == "cp" and re.fullmatch(
            r"[0-9A-Fa-f]{1,6}", child.attributes.get("hex", "")
        ):
            code_point = int(child.attributes["hex"], 16)
            out.append(chr(code_point) if code_point <= 0x10FFFF else "")
        elif child.tag == "mrk":
            out.append(_placeholders(child))
    return "".join(out)
