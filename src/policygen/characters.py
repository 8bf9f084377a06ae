"""Text → the characters in it that must not be published, each at its line and column.

Control characters (other than tab and line breaks) are invisible, make XML ill-formed
(feed.xml, sitemap.xml) and can drive a terminal that prints a message; lone surrogates are
halves of characters that cannot be written as UTF-8; noncharacters are reserved for
programs' own use; tag characters are invisible, and can hide a whole sentence in a text
that looks unchanged (outside the emoji flags of England, Scotland and Wales, whose tags
spell the region). None of them is ever meant as text, so each is an error where it is
written: in a file, in a YAML value (where escapes such as "\\x07" can write one), in a file
or folder name, or as an HTML character reference.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

from bidi import get_display  # type: ignore[import-untyped]

from .errors import Problem, SourceLocation, error

FORBIDDEN = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue001-\ufdcf\ufdf0-\ufffd"
    + "".join(f"{chr(plane * 0x10000)}-{chr(plane * 0x10000 + 0xFFFD)}" for plane in range(1, 14))
    + "\U000e0080-\U000efffd\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)
"""Tab, line feed and carriage return are the only control characters text may hold; no
lone surrogate, no noncharacter (U+FDD0 to U+FDEF, and the last two code points of each
plane), no tag character (U+E0000 to U+E007F), and not U+E000, a private-use character that
starts the stand-ins policygen writes for words a page gets in its own language (see
`templates.put_words`). Written as the ranges that are allowed: a
search through them is ten times quicker than through a class listing each noncharacter of
the other planes."""
IN_TEXT = re.compile(
    "(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|([\U000e0000-\U000e007f]+|"
    + FORBIDDEN.pattern
    + ")"
)
"""What text may not hold (group 2: a run of tag characters is one match), and the emoji tag
sequences it may (group 1: a black flag, tags, a cancel tag)."""
_MAY_BE_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
)
"""FORBIDDEN with every code point from U+1FFFE on (the last two of each plane, the tag
characters) in one range: fewer ranges than FORBIDDEN, so that text with none of them is
ruled out in one quick pass."""
IN_NAMES = re.compile(f"[\t\n\r]|{FORBIDDEN.pattern}")
"""A file name holds no control character at all: a line break in a name would break the
`path:line: message` lines problems are printed as."""
REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,8})|([0-9]{1,10}));?")
"""A numeric character reference, as HTML reads one (the semicolon may be left out)."""
UNREAD = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
"""The code points from 0x80 to 0x9F that HTML does not read as the windows-1252 character of
that byte (&#128; is €), leaving them control characters."""
MAX_REPORTED = 10
"""Problems reported per file: a binary file saved as text would give thousands."""


OVERRIDE = re.compile("([\u202d\u202e])([^\u202c\n]*)")
"""A bidirectional override, and what it reorders: up to the character that ends it
(U+202C) or the end of the line."""


DIRECTION_REFERENCE = re.compile(
    r"&(?:#[xX]0*(?:202[a-eA-E]|206[6-9]|200[eEfF]|61[cC])|#0*(?:823[4-8]|829[4-7]|820[67]|1564)|[lr]lm);?"
)
"""A character reference that writes a direction control (`&#x202E;`, `&#8295;`, `&rlm;`):
HTML and Markdown read it as the character."""


def describe_override(text: str, *, is_markup: bool = True) -> str | None:
    """The first bidirectional override of `text`, and what it makes readers see, for a
    warning (None when it holds none).

    An override makes a page show the characters after it in another order than they are
    written: `RLO ton PDF` shows as "not", while the text, what its SHA-256 records and what
    translators read say "ton". Marks are fine, and so are isolates and embeddings around
    words of a right-to-left script, or around words written left to right that they leave in
    order, which only place them (see `_describe_embedding`); pages give each language its
    direction themselves. In HTML or Markdown (`is_markup`), an element set right to left
    (`dir="rtl"`) is such an isolate, and a character reference (`&#x202E;`) is the character
    it writes; code shows them as written."""
    if is_markup and "&" in text:
        text = DIRECTION_REFERENCE.sub(lambda reference: html.unescape(reference[0]), text)
    found = OVERRIDE.search(text)
    if found is None:
        found_embedding = _describe_embedding(text)
        if found_embedding is None and is_markup:
            return describe_right_to_left_element(text)
        return found_embedding
    run, is_right_to_left = found[2], found[1] == "\u202e"
    name = "right-to-left" if is_right_to_left else "left-to-right"
    seen = ""
    if is_right_to_left and not any(unicodedata.bidirectional(char) in ("R", "AL") for char in run):
        seen = f": readers see '{_short(run[::-1])}' where the text holds '{_short(run)}'"
    return f"a {name} override (U+{ord(found[1]):04X}), which shows the characters after it in another order than they are written{seen}; delete it (the page gives each language its direction)"


EXPLICIT = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""The characters that open or close an embedding, override or isolate."""
_CLOSES = {"\u202b": "\u202c", "\u2067": "\u2069"}
"""What ends a right-to-left embedding (U+202B) or isolate (U+2067): U+202C, U+2069."""


def _describe_embedding(text: str) -> str | None:
    """The first right-to-left embedding or isolate of `text` that shows words written left to
    right in another order than they are written, for a warning (None when it holds none).

    Around Hebrew or Arabic words, one places them; around a run of English words, a name
    (`RLI Google Analytics PDI`), it places the run and leaves its words in order; around
    words and numbers it can lay out as separate runs, it shows them in reverse order:
    `RLI 14 30 PDI` shows as "30 14". A run that holds other direction controls is not
    vouched for."""
    if "\u202b" not in text and "\u2067" not in text:
        return None
    for opening in re.finditer("[\u202b\u2067]", text):
        start = opening.end()
        closing = EXPLICIT.search(text, start)
        # Unclosed, it lasts to the end of the paragraph.
        run = text[start : closing.start() if closing else len(text)]
        if any(
            unicodedata.bidirectional(char) in ("R", "AL")
            and unicodedata.category(char).startswith("L")
            for char in run
        ):
            continue  # words of a right-to-left script: the run is theirs
        name = "embedding" if opening[0] == "\u202b" else "isolate"
        code = f"U+{ord(opening[0]):04X}"
        if closing is not None and closing[0] != _CLOSES[opening[0]]:
            return f"a right-to-left {name} ({code}) with other direction controls in it (U+{ord(closing[0]):04X}), which can show the words and numbers in it in another order than they are written; delete them (the page gives each language its direction)"
        seen = _right_to_left_layout(run)
        if seen is not None:
            return f"a right-to-left {name} ({code}) around words written left to right, which shows them in another order than they are written: readers see '{_shown(seen)}' where the text holds '{_shown(run)}'; delete it (the page gives each language its direction)"
    return None


RIGHT_TO_LEFT_ELEMENT = re.compile(
    r"""<([a-zA-Z][a-zA-Z0-9]*)(?=[\s/])(?:[^>"']|"[^"]*"|'[^']*')*?\sdir\s*=\s*["']?\s*rtl\b\s*["']?(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.IGNORECASE,
)
"""An HTML element that sets its words right to left (`<span dir="rtl">`): for its words,
a right-to-left isolate."""
TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
PARAGRAPH_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
     "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
     "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
     "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)  # fmt: skip
"""Elements whose words are paragraphs of their own, laid out apart (a line break too)."""
MOST_ELEMENTS = 20
"""Elements set right to left looked into in one text: each is read to its end, so that
a text of thousands, none closed, would take a time that grows with its square."""


def describe_right_to_left_element(text: str, opened_before: int | None = None) -> str | None:
    """The first HTML element of `text` (opened before `opened_before`, when given) set
    right to left (`dir="rtl"`) around words written left to right that it shows in another
    order, for a warning (None when it holds none): `<span dir="rtl">14 30</span>` shows as
    "30 14", as an isolate would. A blank line parts paragraphs, as in Markdown."""
    if "dir" not in text and "DIR" not in text.upper():
        return None
    for count, found in enumerate(RIGHT_TO_LEFT_ELEMENT.finditer(text)):
        if opened_before is not None and found.start() >= opened_before:
            break
        if count == MOST_ELEMENTS:
            return f'more than {MOST_ELEMENTS} elements set right to left (dir="rtl"), which can show words and numbers in another order than they are written; remove dir="rtl" (the page gives each language its direction)'
        name, depth, end = found[1].lower(), 1, len(text)
        for tag in TAG.finditer(text, found.end()):
            if tag[2].lower() == name:
                depth += -1 if tag[1] else 1
                if depth == 0:
                    end = tag.start()
                    break
        inner = text[found.end() : end]
        paragraphs = [""]
        has_own_direction, last = False, 0
        for inner_tag in TAG.finditer(inner):
            paragraphs[-1] += html.unescape(inner[last : inner_tag.start()])
            last = inner_tag.end()
            if inner_tag[2].lower() in PARAGRAPH_TAGS:
                paragraphs.append("")
            if re.search(r"\sdir\s*=", inner_tag[0], re.IGNORECASE):
                has_own_direction = True
        paragraphs[-1] += html.unescape(inner[last:])
        paragraphs = [part for paragraph in paragraphs for part in paragraph.split("\n\n")]
        words = " ".join(paragraphs)
        if any(
            unicodedata.bidirectional(char) in ("R", "AL")
            and unicodedata.category(char).startswith("L")
            for char in words
        ):
            continue
        if has_own_direction or EXPLICIT.search(words):
            return f'an element set right to left (dir="rtl") around words written left to right (\'{_shown(words)}\') and other directions, which can show the words and numbers in it in another order than they are written; remove dir="rtl" (the page gives each language its direction)'
        for paragraph in paragraphs:
            seen = _right_to_left_layout(paragraph)
            if seen is not None:
                return f"an element set right to left (dir=\"rtl\") around words written left to right, which shows them in another order than they are written: readers see '{_shown(seen)}' where the text holds '{_shown(paragraph)}'; remove dir=\"rtl\" (the page gives each language its direction)"
    return None


def _right_to_left_layout(run: str) -> str | None:
    """How `run`, which holds no right-to-left letter and no direction control, shows in a
    right-to-left isolate or embedding, when that puts its letters and digits in another
    order than they are written (None when it keeps them in order): laid out by the Unicode
    Bidirectional Algorithm, as browsers lay it out (python-bidi)."""
    # A page runs a text's tabs and line breaks together into a space.
    line = run.replace("\t", " ").replace("\n", " ")
    seen: str = get_display(line, base_dir="R")
    if [char for char in seen if char.isalnum()] == [char for char in line if char.isalnum()]:
        return None
    return seen


def _shown(text: str) -> str:
    """`text` as a page shows it, for a message: without invisible characters, its spaces run
    together."""
    return _short(" ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split()))


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def describe(char: str) -> str:
    """Plain words for a forbidden character, with its code point (or a run of tag
    characters, with the text they hide)."""
    code = f"U+{ord(char[0]):04X}"
    if len(char) > 1:
        hidden = "".join(chr(ord(tag) - 0xE0000) for tag in char)
        return f"{len(char)} invisible tag characters ({code} to U+{ord(char[-1]):04X}), which hide {hidden!r} from readers"
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate ({code}), half of a character that cannot be written as UTF-8"
    if unicodedata.category(char) == "Cc":
        return f"an invisible control character ({code})"
    if "\U000e0000" <= char <= "\U000e007f":
        return f"an invisible tag character ({code}), which hides text from readers"
    if char == "\ue000":
        return f"a private-use character ({code}) that policygen uses to mark the words it puts into pages itself"
    return f"a noncharacter ({code}), a code point that is never text"


def may_hold_forbidden(text: str) -> bool:
    """Whether `text` may hold a character that must not be published: False when
    `first_forbidden` finds none for sure, in one quick pass (a text is held in parts: when
    no part may, the whole does not)."""
    return _MAY_BE_FORBIDDEN.search(text) is not None


def first_forbidden(text: str) -> str | None:
    """The first character of `text` that must not be published, or None."""
    candidate = _MAY_BE_FORBIDDEN.search(text)
    if candidate is None:
        return None
    # Nothing before the candidate can match, but the black flag of a flag's tags.
    start = max(candidate.start() - 1, 0)
    return next((match.group(2) for match in _forbidden_in(text, start)), None)


def find_forbidden(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, character) of each forbidden character, both counted from 1."""
    if not _MAY_BE_FORBIDDEN.search(text):
        return
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _forbidden_in(line):
            yield number, match.start() + 1, match.group(2)


def without_forbidden(text: str) -> str:
    """`text` without the characters that must not be published (for a line policygen
    writes from elsewhere, such as a commit's subject)."""
    if not _MAY_BE_FORBIDDEN.search(text):
        return text
    return IN_TEXT.sub(lambda match: match.group(1) or "", text)


STRAY_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters a text made elsewhere may hold by mistake, which show nothing: the
leftovers of a character decoded in the wrong encoding (`"https"\x9d`), a form feed. Not
NUL, which only a file that is no text holds."""


def describe_left_out(found: list[str]) -> str:
    """What an import says of the stray control characters it left out of one line or
    paragraph: how many, and which."""
    names = ", ".join(dict.fromkeys(f"U+{ord(char):04X}" for char in found))
    count = (
        "an invisible control character"
        if len(found) == 1
        else f"{len(found)} invisible control characters"
    )
    return f"left out {count} ({names}), which showed nothing"


def _forbidden_in(text: str, start: int = 0) -> Iterator[re.Match[str]]:
    return (match for match in IN_TEXT.finditer(text, start) if match.group(2))


def check_text(text: str, where: SourceLocation, first_line: int = 1) -> list[Problem]:
    """An error for each forbidden character of a file's text (`first_line`: the file line
    of the text's first line), the first MAX_REPORTED of them."""
    problems = []
    for count, (line, column, char) in enumerate(find_forbidden(text)):
        if count == MAX_REPORTED:
            problems.append(
                error(
                    where.at(first_line + line - 1, column),
                    "bad-character",
                    "more characters of these kinds follow: is this file text at all?",
                )
            )
            break
        problems.append(
            error(
                where.at(first_line + line - 1, column),
                "bad-character",
                f"this text holds {describe(char)}: delete it (an editor that shows invisible characters helps find it)",
            )
        )
    return problems


def _writes_forbidden(reference: re.Match[str]) -> bool:
    """Whether a numeric character reference writes a forbidden character, as HTML reads it."""
    hexadecimal, decimal = reference.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    # HTML reads 0, surrogates and what lies beyond Unicode as U+FFFD.
    return bool(
        0 < code <= 0x10FFFF
        and not 0xD800 <= code <= 0xDFFF
        and (not 0x80 <= code <= 0x9F or code in UNREAD)
        and FORBIDDEN.match(chr(code))
    )


def first_forbidden_reference(text: str) -> str | None:
    """What the first character reference of `text` that writes a forbidden character
    (`&#7;`) writes, or None."""
    for reference in REFERENCE.finditer(text) if "&#" in text else ():
        if _writes_forbidden(reference):
            hexadecimal, decimal = reference.groups()
            code = int(hexadecimal, 16) if hexadecimal else int(decimal)
            return f"'{reference.group()}', which writes {describe(chr(code))}"
    return None


def check_references(
    html: str, text: str, file_lines: tuple[int, ...], where: SourceLocation
) -> list[Problem]:
    """An error for each character reference (`&#7;`) of a text that writes a forbidden
    character, when its rendered `html` holds one: Markdown turns most of them into U+FFFD,
    raw HTML keeps them, and code shows them as written."""
    # Only a reference can write what the text does not hold (`REFERENCE` starts so).
    if "&#" not in text or first_forbidden(html) is None:
        return []
    problems = []
    for index, line in enumerate(text.split("\n")):
        for reference in REFERENCE.finditer(line):
            hexadecimal, decimal = reference.groups()
            code = int(hexadecimal, 16) if hexadecimal else int(decimal)
            if _writes_forbidden(reference):
                problems.append(
                    error(
                        where.at(
                            file_lines[index] if index < len(file_lines) else None,
                            reference.start() + 1,
                        ),
                        "bad-character",
                        f"'{reference.group()}' writes {describe(chr(code))}: remove it",
                    )
                )
    return problems


def check_name(name: str) -> str | None:
    """What is wrong with a file or folder name's characters, or None."""
    found = IN_NAMES.search(name)
    if found is None:
        return None
    if any("\udc80" <= char <= "\udcff" for char in name):
        return "this name is not UTF-8: rename it"
    return f"this name holds {describe(found.group())}: rename it"


INVISIBLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064\u206a-\u206f"
    "\u2800\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb\uffa0\U0001d173-\U0001d17a\U000e0100-\U000e01ef]+"
)
"""Characters that show nothing, or a blank, and may split a word or hide text: a run of them
is one match. Each has a use in some text, or none (see `_why_invisible`)."""
_SPACELESS = re.compile(
    "[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u1a20-\u1aaf\u1b00-\u1b7f"
    "\u2e80-\u2fdf\u3000-\u9fff\ua980-\ua9ff\uaa60-\uaa7f\uf900-\ufaff\uff00-\uffef"
    "\U00020000-\U0003ffff]"
)
"""Letters of scripts written without spaces between words (Thai, Lao, Tibetan, Myanmar,
Khmer, Balinese, Javanese, Chinese, Japanese), where a zero width space says where a line
may break."""
_UNJOINED = re.compile(
    "[0-9A-Za-z\u00b2\u00b3\u00b9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u036f\u0370-\u058f"
    "\u10a0-\u10ff\u1e00-\u1fff\u2c60-\u2c7f\ua720-\ua7ff]"
)
"""Letters and digits of Latin, Greek, Cyrillic, Armenian and Georgian, scripts whose letters
never join: a zero width joiner or non-joiner between two of them does nothing."""
_VARIED = re.compile(
    "[\u1000-\u109f\u1800-\u18af\u2e80-\u2fdf\u3000-\u9fff\ua840-\ua87f\ua9e0-\ua9ff"
    "\uaa60-\uaa7f\uf900-\ufaff\U00020000-\U0003ffff]"
)
"""Letters a variation selector may choose the look of: ideographs, Mongolian, Myanmar and
Phags-pa letters (besides symbols and emoji, which are not letters)."""
MONGOLIAN = re.compile("[\u1800-\u18af]")
_VARIATION_SELECTORS = re.compile("[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_WORD_SPLITTERS = frozenset("\u200b\u200c\u200d\u2060\u034f")


def find_invisible(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, what it is) of each invisible character of `text` that has no use
    where it stands: one that splits a word of a script written with spaces, a blank letter,
    a byte order mark past the start, a run of soft hyphens, a variation selector on a
    letter or after another. Both counted from 1; a run of them is said once."""
    if not INVISIBLE.search(text):
        return
    for number, line in enumerate(text.split("\n"), start=1):
        for found in INVISIBLE.finditer(line):
            why = _why_invisible(line, found.start(), found.end())
            if why is not None:
                yield number, found.start() + 1, why


def first_invisible(text: str) -> str | None:
    """What the first invisible character of `text` with no use where it stands is, or None."""
    return next((why for _, _, why in find_invisible(text)), None)


def _name(char: str) -> str:
    return f"{unicodedata.name(char, 'invisible character').lower()} (U+{ord(char):04X})"


def _why_invisible(line: str, start: int, end: int) -> str | None:
    run = line[start:end]
    before = line[start - 1] if start > 0 else ""
    after = line[end] if end < len(line) else ""
    for offset, char in enumerate(run):
        if char in "\ufeff\u3164\uffa0\u2061\u2062\u2063\u2064\u17b4\u17b5" or (
            "\u206a" <= char <= "\u206f"
            or "\ufff9" <= char <= "\ufffb"
            or "\U0001d173" <= char <= "\U0001d17a"
        ):
            return f"an invisible {_name(char)}, which shows nothing, or a blank, where it stands: delete it"
        if char in "\u115f\u1160" and not (
            "\u1100" <= (run[offset + 1] if offset + 1 < len(run) else after) <= "\u11ff"
            or "\u1100" <= (run[offset - 1] if offset else before) <= "\u11ff"
        ):
            return f"a blank {_name(char)} outside a Hangul syllable, which shows as a space but is no space: delete it"
        if char == "\u2800" and not (
            "\u2801" <= before <= "\u28ff" or "\u2801" <= after <= "\u28ff"
        ):
            return f"a {_name(char)} outside braille, which shows as a space but is no space: delete it"
    word = _word_around(line, start, end)
    inside_word = bool(before and after) and before.isalnum() and after.isalnum()
    splitters = [char for char in run if char in _WORD_SPLITTERS]
    if splitters and inside_word:
        if any(c in "\u200b\u2060\u034f" for c in splitters) and not (
            _SPACELESS.match(before) or _SPACELESS.match(after)
        ):
            char = next(c for c in splitters if c in "\u200b\u2060\u034f")
            return f"an invisible {_name(char)} inside the word '{word}', which readers see whole while a search for it finds nothing: delete it"
        if _UNJOINED.match(before) and _UNJOINED.match(after):
            return f"an invisible {_name(splitters[0])} inside the word '{word}', which joins or parts no letters of this script, while a search for the word finds nothing: delete it"
    hyphens = run.count("\u00ad")
    if hyphens > 1:
        return f"{hyphens} soft hyphens (U+00AD) in a row in '{word}', which show nothing: one between two letters says where a word may break; delete the others"
    if hyphens and not (before.isalpha() and after.isalpha()):
        return f"a soft hyphen (U+00AD) that is not between two letters, in '{word}', which shows nothing: delete it"
    if "\u180e" in run and not (MONGOLIAN.match(before) and after in "\u1820\u1821" and after):
        return f"an invisible {_name(chr(0x180E))} outside a Mongolian word, which shows nothing: delete it"
    selectors = [char for char in run if _VARIATION_SELECTORS.match(char)]
    if len(selectors) > 1:
        return f"{len(selectors)} variation selectors in a row ({_name(selectors[0])} and others), which show nothing and can carry hidden text: keep at most one, after the emoji or ideograph whose look it chooses"
    if selectors and run.index(selectors[0]) == 0:
        base = before
        if not base or base.isspace():
            return f"a {_name(selectors[0])} after no character, which shows nothing: delete it"
        category = unicodedata.category(base)
        is_keycap = base in "0123456789#*" and after == "\u20e3"
        if category[0] in "LMN" and not _VARIED.match(base) and not is_keycap:
            return f"a {_name(selectors[0])} after '{base}', which shows nothing: it chooses the look of an emoji, an ideograph or a symbol, not of a letter or digit; delete it"
    elif selectors:
        return f"a {_name(selectors[0])} after another invisible character, which shows nothing: delete it"
    return None


def _word_around(line: str, start: int, end: int) -> str:
    """The word around the invisible characters at `line[start:end]`, as readers see it."""
    left = start
    while (
        left > 0
        and (line[left - 1].isalnum() or INVISIBLE.match(line[left - 1]))
        and start - left < 40
    ):
        left -= 1
    right = end
    while (
        right < len(line)
        and (line[right].isalnum() or INVISIBLE.match(line[right]))
        and right - end < 40
    ):
        right += 1
    return INVISIBLE.sub("", line[left:right]) or line[left:right]


_LOOK_ALIKE = (
    "\u0370-\u03ff\u0400-\u052f\u0531-\u058f\u13a0-\u13ff\u1c80-\u1c8f\u1f00-\u1fff"
    "\ua640-\ua69f\uab70-\uabbf\ufb13-\ufb17\U0001d400-\U0001d7ff"
)
_NOT_LATIN = re.compile(f"[{_LOOK_ALIKE}]")
"""Letters of the scripts with letters that look like Latin ones (see _SCRIPTS)."""
WORD = re.compile(r"[^\W\d_]+")
"""A run of letters."""
_SCRIPTS = (
    (
        "Latin",
        re.compile(
            "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uff21-\uff3a\uff41-\uff5a]"
        ),
    ),
    ("Greek", re.compile("[\u0370-\u03ff\u1f00-\u1fff]")),
    ("Cyrillic", re.compile("[\u0400-\u052f\u1c80-\u1c8f\ua640-\ua69f]")),
    # 'sօld' with an Armenian օ, 'ᎪLL' with a Cherokee Ꭺ, 's𝐞ll' with a bold 𝐞.
    ("Armenian", re.compile("[\u0531-\u058f\ufb13-\ufb17]")),
    ("Cherokee", re.compile("[\u13a0-\u13ff\uab70-\uabbf]")),
    ("mathematical", re.compile("[\U0001d400-\U0001d7ff]")),
)
UNIT_LETTERS = frozenset("\u03bc\u03a9\u00b5")
"""Greek letters written in units beside Latin ones: μg, kΩ."""


def find_mixed_scripts(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, what it is) of each word that mixes Latin letters with Greek,
    Cyrillic, Armenian, Cherokee or mathematical ones, many of which look alike ('sеll' with a Cyrillic е reads 'sell', and a
    search for 'sell' does not find it). Both counted from 1."""
    if not _NOT_LATIN.search(text):
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not _NOT_LATIN.search(line):
            continue
        for word in WORD.finditer(line):
            if not (_NOT_LATIN.search(word[0]) and _SCRIPTS[0][1].search(word[0])):
                continue  # nearly every word, looked at in two quick searches
            if (why := describe_mixed_scripts(word[0])) is not None:
                yield number, word.start() + 1, why


def describe_mixed_scripts(word: str, written: str | None = None) -> str | None:
    """What is wrong with a word whose letters are of Latin and of Greek or Cyrillic, or None
    (`written`: the word as written, with character references)."""
    found = {name: [c for c in word if pattern.match(c)] for name, pattern in _SCRIPTS}
    found = {name: letters for name, letters in found.items() if letters}
    if len(found) < 2 or (
        "Greek" in found
        and len(found) == 2
        and "Latin" in found
        and set(found["Greek"]) <= UNIT_LETTERS
    ):
        return None
    fewest = min(found, key=lambda name: len(found[name]))
    odd = found[fewest][0]
    names = " and ".join(sorted(found))
    as_written = f" (written '{_short(written)}')" if written is not None else ""
    return f"the word '{_short(word)}'{as_written}, which mixes {names} letters, many of which look alike: its '{odd}' is the {_name(odd)}, so that readers see a word a search for it does not find; write it in one script"


_ANY_REFERENCE = re.compile(
    r"&(?:#[xX][0-9A-Fa-f]{1,8};?|#[0-9]{1,10};?|[A-Za-z][A-Za-z0-9]{1,31};?)"
)
"""A character reference, numeric or named, as HTML and Markdown read one."""


def find_mixed_scripts_in_references(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, what it is) of each word that mixes scripts once its character
    references are read (`s&#x435;ll` reads 'sеll', with a Cyrillic е), where a word written
    with the characters themselves is found by `find_mixed_scripts`. Both counted from 1."""
    if "&" not in text:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if "&" not in line:
            continue
        decoded: list[str] = []
        starts: list[int] = []
        last = 0
        for reference in _ANY_REFERENCE.finditer(line):
            char = html.unescape(reference[0])
            if len(char) != 1 or not char.isalpha():
                continue
            decoded.append(line[last : reference.start()])
            starts.extend(range(last, reference.start()))
            decoded.append(char)
            starts.append(reference.start())
            last = reference.end()
        if last == 0:
            continue  # no reference to a letter
        decoded.append(line[last:])
        starts.extend(range(last, len(line) + 1))
        written = "".join(decoded)
        if not _NOT_LATIN.search(written):
            continue
        for word in WORD.finditer(written):
            start, end = starts[word.start()], starts[word.end()]
            if end - start == len(word[0]):
                continue  # no reference in it: `find_mixed_scripts` looks at it
            if (why := describe_mixed_scripts(word[0], line[start:end])) is not None:
                yield number, start + 1, why


def find_invisible_references(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, what it is) of each character reference (`&#8203;`, `&shy;`) that
    writes an invisible character `find_invisible` would report, had it been written as a
    character: readers see no more of it than of the character. Both counted from 1."""
    if "&" not in text:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if "&" not in line:
            continue
        decoded, columns, last, length = [], [], 0, 0
        for reference in _ANY_REFERENCE.finditer(line):
            char = html.unescape(reference[0])
            if len(char) != 1 or not INVISIBLE.match(char):
                continue
            decoded.append(line[last : reference.start()])
            length += reference.start() - last
            columns.append((length, reference))
            decoded.append(char)
            length += 1
            last = reference.end()
        if not columns:
            continue
        decoded.append(line[last:])
        written = "".join(decoded)
        at = dict(columns)
        for found in INVISIBLE.finditer(written):
            references = [at[i] for i in range(found.start(), found.end()) if i in at]
            if references and (why := _why_invisible(written, found.start(), found.end())):
                yield number, references[0].start() + 1, f"'{references[0][0]}', which writes {why}"


def describe_hidden_words(value: str) -> list[tuple[str, str]]:
    """(warning code, what it is) of what makes a value shown as text (a title, a summary, a
    note) show otherwise than it is written: a bidirectional control that reorders it, an
    invisible character out of place, a word of mixed scripts; the first of each kind."""
    found = []
    if override := describe_override(value, is_markup=False):
        found.append(("bidi-override", override))
    if invisible := first_invisible(value):
        found.append(("invisible-character", invisible))
    if mixed := next(find_mixed_scripts(value), None):
        found.append(("mixed-scripts", mixed[2]))
    return found
