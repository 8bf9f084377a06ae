"""A text's Markdown tokens → the raw HTML in them that would hide text, and its `policy:` links.

Raw HTML goes to a browser's HTML parser (html5ever, inside the nh3 sanitizer), which does not
stop where Markdown thinks a block ends: an unclosed comment, `<style>`, `<template>` or
attribute value takes everything after it, and the page loses text that source.md (and its
SHA-256) still holds. So the raw HTML of a text is read here as that parser reads it — the
states of the WHATWG tokenizer that can swallow text (comments, raw text and script data,
unfinished tags) and the elements whose content is never shown (`<template>`, `<svg>`,
`<math>`) — and Markdown must find the parser back in plain data wherever its own content
resumes, and at the end of the text.

What raw HTML holds inside itself is not text Markdown shows: a comment closed where it was
opened (editors' notes, a commented-out section) and a closed `<script>` or `<style>` are
removed by the sanitizer, as every Markdown viewer hides them too.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from markdown_it.common.normalize_url import validateLink
from markdown_it.token import Token

from .errors import Problem, SourceLocation, error, excerpt, warning

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel", "policy"})
"""The addresses with a scheme that a link on a page may lead to (the sanitizer drops the
others); an address without one is the site's own."""
_SCHEME = re.compile(r"[\x00-\x20]*([A-Za-z][A-Za-z0-9+.-]*):")


def unpublished_link(href: str) -> str | None:
    """Why a link to `href` cannot be published, and what to do (the page shows its words
    without the link), or None."""
    found = _SCHEME.match(href)
    if found is None or found[1].lower() in LINK_SCHEMES:
        return None
    if not validateLink(href):
        return "which a policy page cannot lead to (pages run no script and open no file): its words show without a link; link to a page (https://…), or write what the link did in words"
    return f"an address of a kind policy pages do not link to ({found[1].lower()}:; they link to http:, https:, mailto:, tel: and policy: addresses): its words show without a link; link to a web page (https://…), or write the address in the text"


_LINK_END = re.compile(r"\s*</a\s*>", re.IGNORECASE)
"""The end of a link right after its start: a link with no words."""
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
RAW_TEXT = frozenset({"xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"})
"""Elements whose content the parser reads as plain characters up to their end tag (raw text
and RCDATA; html5ever parses with scripting enabled, so `<noscript>` is one of them): the
sanitizer drops the element and keeps those characters, so Markdown inside shows as markup."""
DRAWING_NAMES = {
    "animate", "circle", "defs", "desc", "discard", "ellipse", "filter", "g", "line",
    "marker", "mask", "metadata", "mpath", "path", "pattern", "polygon", "polyline", "rect",
    "set", "stop", "switch", "symbol", "text", "tspan", "use", "view", "abs", "and",
    "annotation", "annotation-xml", "apply", "approx", "arccos", "arccosh", "arccot",
    "arccoth", "arccsc", "arccsch", "arcsec", "arcsech", "arcsin", "arcsinh", "arctan",
    "arctanh", "arg", "bind", "bvar", "card", "cartesianproduct", "cbytes", "ceiling",
    "cerror", "ci", "cn", "codomain", "complexes", "compose", "condition", "conjugate", "cos",
    "cosh", "cot", "coth", "cs", "csc", "csch", "csymbol", "curl", "declare", "degree",
    "determinant", "diff", "divergence", "divide", "domain", "domainofapplication",
    "emptyset", "eq", "equivalent", "eulergamma", "exists", "exp", "exponentiale",
    "factorial", "factorof", "false", "floor", "fn", "forall", "gcd", "geq", "grad", "gt",
    "ident", "imaginary", "imaginaryi", "implies", "in", "infinity", "int", "integers",
    "intersect", "interval", "inverse", "lambda", "laplacian", "lcm", "leq", "limit", "list",
    "ln", "log", "logbase", "lowlimit", "lt", "maction", "maligngroup", "malignmark",
    "matrix", "matrixrow", "max", "mean", "median", "menclose", "merror", "mfenced", "mfrac",
    "mglyph", "mi", "min", "minus", "mlabeledtr", "mlongdiv", "mmultiscripts", "mn", "mo",
    "mode", "moment", "momentabout", "mover", "mpadded", "mphantom", "mprescripts", "mroot",
    "mrow", "ms", "mscarries", "mscarry", "msgroup", "msline", "mspace", "msqrt", "msrow",
    "mstack", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder",
    "munderover", "naturalnumbers", "neq", "none", "not", "notanumber", "notin",
    "notprsubset", "notsubset", "or", "otherwise", "outerproduct", "partialdiff", "pi",
    "piece", "piecewise", "plus", "power", "primes", "product", "prsubset", "quotient",
    "rationals", "real", "reals", "reln", "rem", "root", "scalarproduct", "sdev", "sec",
    "sech", "selector", "semantics", "sep", "setdiff", "share", "sin", "sinh", "subset",
    "sum", "tan", "tanh", "tendsto", "times", "transpose", "true", "union", "uplimit",
    "variance", "vector", "vectorproduct", "xor",
}  # fmt: skip
"""Names of SVG and MathML elements (lowercase ones: the parser lowercases HTML tag names):
the sanitizer removes an HTML element of such a name with all it holds, lest it be read as a
drawing or formula element somewhere else. (`<title>`, `<style>`, `<a>`, `<font>`, `<span>`
and `<script>` are HTML elements too, and `<image>` is read as `<img>`.)"""

PARAGRAPH_ENDERS = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol",
    "p", "plaintext", "pre", "search", "section", "summary", "table", "ul", "xmp",
}  # fmt: skip
"""Elements whose start tag ends an open paragraph, as browsers parse HTML."""
START_TAG = re.compile(r"<(/?)([A-Za-z][^\t\n\f />]*)")
TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f />]*")
SPACE_OR_SLASH = re.compile(r"[\t\n\f /]*")
SPACE = re.compile(r"[\t\n\f ]*")
ATTRIBUTE_NAME = re.compile(r"[^\t\n\f />][^\t\n\f />=]*")
UNQUOTED_VALUE = re.compile(r"[^\t\n\f >]*")
COMMENT_END = re.compile(r"--!?>")
SCRIPT_MARKS = re.compile(r"<!--|-->|</?script(?=[\t\n\f />])", re.IGNORECASE)


HTML_ELEMENTS = frozenset(
    {
        "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b",
        "base", "basefont", "bdi", "bdo", "bgsound", "big", "blink", "blockquote", "body", "br",
        "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data",
        "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em",
        "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame",
        "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr",
        "html", "i", "iframe", "image", "img", "input", "ins", "isindex", "kbd", "keygen",
        "label", "legend", "li", "link", "listing", "main", "map", "mark", "marquee", "math",
        "menu", "menuitem", "meta", "meter", "multicol", "nav", "nextid", "nobr", "noembed",
        "noframes", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param",
        "picture", "plaintext", "pre", "progress", "q", "rb", "rp", "rt", "rtc", "ruby", "s",
        "samp", "script", "search", "section", "select", "slot", "small", "source", "spacer",
        "span", "strike", "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody",
        "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track",
        "tt", "u", "ul", "var", "video", "wbr", "xmp",
    }
)  # fmt: skip
"""Every element HTML has had (WHATWG's, with the obsolete ones browsers still parse)."""
MOST_TAGS = 10
"""Tags read as words reported per text: a text of thousands is not HTML at all."""
TABLE_NAMES = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "col", "colgroup"})
MOST_SPANNED = {"colspan": 100, "rowspan": 1000}
"""The columns and rows a cell of a table may span. Browsers let a cell span 1,000 columns
and 65,534 rows, and each row of a table with such a cell is laid out that wide: a PDF of a
page of 800 short rows, each spanning 1,000 columns, took 35 seconds and 600 MB. The
tables of policies are a few columns wide."""
_DIGITS = re.compile(r"[\t\n\f\r ]*\+?([0-9]+)")
"""The number an attribute such as colspan holds, as browsers read it (what follows its
digits is ignored)."""
MOST_TABLE_CELLS = 20_000
"""The cells a table may have as laid out: its rows times its columns, counting the rows and
columns its cells span. Within the limits of MOST_SPANNED, a staircase of rowspans (each row's
cell spanning every row below) lays a table of 1,000 short rows out 1,000 columns wide: its
PDF took 20 to 40 seconds. A list of sub-processors of 500 rows and 10 columns has 5,000."""
MOST_TEXT_TABLE_CELLS = 100_000
"""The cells all tables of a text may have together, as laid out (many tables, each within
MOST_TABLE_CELLS, add up)."""
MOST_ATTRIBUTES = 1000
"""Attributes a tag of a text may have. The sanitizer's parser compares each attribute's name
with those before it in the tag: 80,000 take it 1.5 s, and four times as many sixteen times
as long."""


@dataclass(frozen=True, slots=True)
class RawHtmlFindings:
    """What the raw HTML of a text does to it."""

    problems: tuple[Problem, ...]
    links: tuple[tuple[str, int | None], ...]
    """(href, file line) of each `<a href="policy:…">` written in raw HTML."""


class _OpenElements(list["_Opened"]):
    """The elements open (<template>, <svg>, <math>…), outermost first, with how many of each
    name: a text of thousands of nested tags is read in linear time."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()

    def open(self, element: _Opened) -> None:
        self.append(element)
        self.counts[element.name] += 1

    def close(self, name: str) -> None:
        """Close the innermost `name` and every element inside it (none, if none is open)."""
        if not self.counts[name]:
            return
        while (element := self.pop()).name != name:
            self.counts[element.name] -= 1
        self.counts[name] -= 1

    @property
    def is_foreign(self) -> bool:
        """Whether a drawing or formula is open."""
        return bool(self.counts["svg"] or self.counts["math"])


@dataclass(frozen=True, slots=True)
class _Opened:
    """Something raw HTML opened, that must be closed before Markdown's own content resumes."""

    position: int
    """Offset in the run of raw HTML (-1: not known yet)."""
    what: str
    """Plain words for what it is."""
    fix: str
    """How to close it."""
    name: str = ""
    """The element's name, for an element."""
    is_shown_as_markup: bool = False
    """Whether what it swallows is shown as characters (markup and all) rather than hidden."""
    hides: str = ""
    """What it hides, when it is closed but too late (else: what comes after it)."""
    code: str = "unclosed-html"


@dataclass(slots=True)
class _Piece:
    start: int
    """Offset of the piece in its run."""
    line: int
    """Index of the canonical line the piece starts on."""
    text: str


@dataclass(slots=True)
class _Run:
    """Raw HTML written with nothing of Markdown's own between (whitespace aside)."""

    pieces: list[_Piece] = field(default_factory=list)
    size: int = 0

    def add(self, text: str, line: int) -> None:
        self.pieces.append(_Piece(self.size, line, text))
        self.size += len(text)

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)


def _piece_start(piece: _Piece) -> int:
    return piece.start


def find_raw_html_problems(
    tokens: list[Token], text: str, file_lines: tuple[int, ...], where: SourceLocation
) -> RawHtmlFindings:
    """The problems of a text's raw HTML (each at the line and column of what was left open)
    and the `policy:` links it writes."""
    if not any(
        token.type == "html_block"
        or any(child.type == "html_inline" for child in token.children or ())
        for token in tokens
    ):
        return RawHtmlFindings((), ())
    scanner = _Scanner(text.split("\n"), file_lines, where)
    run = _Run()
    in_paragraph = False
    for token in tokens:
        if token.type in ("paragraph_open", "paragraph_close"):
            in_paragraph = token.type == "paragraph_open" and not token.hidden
        if token.level == 0 and token.nesting >= 0:
            # What the parser makes of the rest of a block after a problem is anyone's guess:
            # the next problem is looked for from the next block on.
            scanner.is_quiet = False
        if token.type == "html_block" and token.map:
            run.add(token.content, token.map[0])
        elif token.type == "inline" and token.map:
            line = token.map[0]
            for child in token.children or ():
                if child.type == "html_inline":
                    if in_paragraph:
                        scanner.check_in_paragraph(child.content, line)
                    run.add(child.content, line)
                elif child.type in ("softbreak", "text") and not child.content.strip():
                    run.add(child.content or "\n", line)
                else:
                    scanner.scan(run, resumes=True)
                    run = _Run()
                line += child.content.count("\n") + (child.type in ("softbreak", "hardbreak"))
        elif not token.hidden:
            scanner.scan(run, resumes=True)
            run = _Run()
    scanner.scan(run, resumes=False)
    problems = [*scanner.problems, *find_tags_read_as_words(tokens, file_lines, where)]
    return RawHtmlFindings(tuple(problems), tuple(scanner.links))


def find_tags_read_as_words(
    tokens: list[Token], file_lines: tuple[int, ...], where: SourceLocation
) -> list[Problem]:
    """An error for each tag of a name no HTML element has that the text never closes:
    `<Company Name>` or `<your email>`, a placeholder in angle brackets, reads as an element
    (with an attribute) and shows nothing, so readers find a gap where the words were. A
    tag the text closes shows what it holds (`<o:p></o:p>` of a Word page holds nothing)."""
    opened: dict[str, tuple[str, int]] = {}
    closed: set[str] = set()
    for token in tokens:
        if not token.map:
            continue
        pieces = (
            [(token.content, token.map[0])]
            if token.type == "html_block"
            else _inline_html(token)
            if token.type == "inline"
            else []
        )
        for content, line in pieces:
            counted = 0  # lines are counted from the tag before: a run of tags is read once
            for tag in START_TAG.finditer(content):
                name = tag[2].lower()
                if name in HTML_ELEMENTS or name in DRAWING_NAMES:
                    continue
                if tag[1]:
                    closed.add(name)
                elif name not in opened:
                    line += content.count("\n", counted, tag.start())
                    counted = tag.start()
                    end = content.find(">", tag.end(), tag.end() + 80)
                    written = content[tag.start() : end + 1] if end >= 0 else tag[0]
                    opened[name] = (written, line)
    unclosed = [(name, *found) for name, found in opened.items() if name not in closed]
    return [
        error(
            where.at(file_lines[line] if line < len(file_lines) else None),
            "tag-as-words",
            f"'{written}' reads as an HTML tag, though no HTML element is called '{name}', and shows nothing: readers find a gap where it stands; to show it as written, put a backslash before its '<' (\\{written})"
            + (
                f" ({len(unclosed) - MOST_TAGS} more such tags follow)"
                if index == MOST_TAGS - 1 and len(unclosed) > MOST_TAGS
                else ""
            ),
        )
        for index, (name, written, line) in enumerate(unclosed[:MOST_TAGS])
    ]


def _inline_html(token: Token) -> list[tuple[str, int]]:
    """The raw HTML of a paragraph, heading or cell, each piece with its line."""
    assert token.map is not None
    found = []
    line = token.map[0]
    for child in token.children or ():
        if child.type == "html_inline":
            found.append((child.content, line))
        line += child.content.count("\n") + (child.type in ("softbreak", "hardbreak"))
    return found


@dataclass(slots=True)
class _Table:
    """A raw-HTML table as the HTML table model lays it out, as far as it has been read."""

    line: int | None
    column: int | None
    rows: int = 0
    """Rows begun."""
    width: int = 0
    """Columns: the most any row reaches (with the cells that span it from above), or its
    `<col>` elements."""
    declared: int = 0
    """Its <col> and <colgroup> elements."""
    cell_column: int = 0
    """The column the next cell of the current row is laid at, if free."""
    is_in_row: bool = False
    covered_until: list[int] = field(default_factory=list)
    """Per column, the first row (from 0) that no cell spanning down from above covers."""
    counted: int = 0
    """The cells it lays out, as already added to the text's count."""
    is_reported: bool = False

    @property
    def cells(self) -> int:
        return self.rows * self.width

    def begin_row(self) -> None:
        self.rows += 1
        self.cell_column = 0
        self.is_in_row = True

    def end_row_group(self) -> None:
        """Cells span no further down than their row group (<thead>, <tbody>, <tfoot>)."""
        self.covered_until.clear()
        self.is_in_row = False

    def add_cell(self, columns: int, rows: int) -> None:
        """Lay out a cell spanning `columns` and `rows` (0: to the end of its row group)."""
        if not self.is_in_row:
            self.begin_row()
        row = self.rows - 1
        covered = self.covered_until
        while self.cell_column < len(covered) and covered[self.cell_column] > row:
            self.cell_column += 1
        first, self.cell_column = self.cell_column, self.cell_column + columns
        self.width = max(self.width, self.cell_column)
        if rows != 1:
            until = row + (rows or 65534)
            if len(covered) < self.cell_column:
                covered.extend([0] * (self.cell_column - len(covered)))
            for column in range(first, self.cell_column):
                covered[column] = max(covered[column], until)


def _span(attributes: dict[str, str], name: str, most: int, empty: int) -> int:
    """The columns or rows a cell spans, as browsers read its colspan or rowspan."""
    return read_span(html.unescape(attributes.get(name, "")), most, empty)


def read_span(value: str, most: int, empty: int) -> int:
    """The columns or rows a cell spans, as browsers read its colspan or rowspan (`value`,
    its character references read): the digits after spaces and a `+`, at most `most`;
    `empty` for 0 (a rowspan of 0 spans the rest of its row group); 1 for no digits."""
    digits = _span_digits(value)
    if digits is None:
        return 1
    if not digits:
        return empty
    return min(int(digits), most) if len(digits) <= _MOST_DIGITS else most


def _span_digits(value: str) -> str | None:
    """The digits of a colspan or rowspan as browsers read them, without leading zeros (""
    for 0); None for none. Python reads no number of more than 4,300 digits."""
    found = _DIGITS.match(value)
    return None if found is None else found[1].lstrip("0")


_MOST_DIGITS = 9
"""More digits than a span can usefully have: a number of more is more than any limit."""


@dataclass(slots=True)
class _Scanner:
    """Reads runs of raw HTML as the parser does, reporting what each leaves open."""

    lines: list[str]
    """The canonical text's lines."""
    file_lines: tuple[int, ...]
    where: SourceLocation
    problems: list[Problem] = field(default_factory=list)
    links: list[tuple[str, int | None]] = field(default_factory=list)
    is_quiet: bool = False
    """A problem was reported in the current block."""
    spans_reported: int = 0
    """Cells reported for spanning too many columns or rows (a text of thousands needs one
    fix, said a few times)."""
    tables: list[_Table] = field(default_factory=list)
    """The tables open, outermost first (a table may hold Markdown, and so span runs)."""
    table_cells: int = 0
    """The cells of the text's tables so far, as laid out."""
    tables_reported: int = 0
    is_over_total: bool = False
    """The text's tables were reported for their cells together (once is enough)."""

    def scan(self, run: _Run, *, resumes: bool) -> None:
        """Read a run of raw HTML; Markdown's own content (`resumes`) or the end of the text
        comes next, so anything the run leaves open would swallow it."""
        if not run.pieces or self.is_quiet:
            return
        source = run.text
        elements = _OpenElements()
        position = 0
        while (start := source.find("<", position)) >= 0:
            left_open, position = self._markup(source, start, elements, run)
            if left_open is not None:
                self._report(run, left_open, resumes)
                return
        if elements:
            self._report(run, elements[0], resumes)

    def check_in_paragraph(self, tag: str, line: int) -> None:
        """Report raw HTML that breaks the paragraph it is written in: the page would show
        the paragraph cut in two, and a redline could not mark it."""
        found = START_TAG.match(tag)
        if found is None or self.is_quiet:
            return
        is_end, name = found.group(1), found.group(2).lower()
        if is_end and name == "p":
            message = "'</p>' inside a paragraph ends it where Markdown does not: remove it (an empty line ends a paragraph)"
        elif not is_end and name in PARAGRAPH_ENDERS:
            message = f"'<{name}>' cannot stand inside a paragraph: browsers end the paragraph before it, so the page would not show the text as written; put the HTML on lines of its own, with an empty line before and after"
        else:
            return
        column = self.lines[line].find(tag) + 1 if line < len(self.lines) else 0
        file_line = self.file_lines[line] if line < len(self.file_lines) else None
        self.problems.append(
            error(self.where.at(file_line, column or None), "html-in-paragraph", message)
        )
        self.is_quiet = True

    def _markup(
        self, source: str, start: int, elements: _OpenElements, run: _Run
    ) -> tuple[_Opened | None, int]:
        """Read the markup at `start` (a '<'): what it leaves open to the end of the run, or
        where reading goes on."""
        after = source[start + 1 : start + 9]
        if after.startswith("!--"):
            if after[3:4] == ">" or after[3:5] == "->":  # <!--> and <!---> are empty comments
                return None, source.index(">", start) + 1
            comment = _Opened(start, "the comment opened with '<!--'", "end it with '-->'")
            comment_end = COMMENT_END.search(source, start + 4)
            if comment_end is None:
                return comment, 0
            # A second '<!--' before the end: the first was left open (HTML calls it an error).
            if (nested := source.find("<!--", start + 4, comment_end.end())) >= 0:
                return self._too_late(comment, "another '<!--'", run, nested), 0
            return None, comment_end.end()
        if after.startswith("![CDATA[") and elements.is_foreign:
            end_at = source.find("]]>", start)
            if end_at < 0:
                return _Opened(start, "'<![CDATA['", "end it with ']]>'"), 0
            return None, end_at + 3
        if after[:1] in ("!", "?") or (after[:1] == "/" and not _is_letter(after[1:2])):
            if after.startswith("/>"):
                return None, start + 3  # '</>' is dropped
            end_at = source.find(">", start)
            shown = (source[start : start + 10].split() or ["<"])[0]
            bogus = _Opened(
                start,
                f"'{shown}' (browsers read it as a hidden comment up to the next '>')",
                "write '\\<' (or '&lt;') for a '<' that is text",
            )
            if end_at < 0:
                return bogus, 0
            if "\n" in source[start:end_at]:
                # Not a comment anyone writes: a '>' lines away is some later tag's.
                line = self._place(run, end_at)[0]
                return _Opened(
                    start,
                    bogus.what,
                    bogus.fix,
                    hides=f"ends only on line {line}, hiding the text between from readers",
                ), 0
            return None, end_at + 1
        is_end = after.startswith("/")
        name_match = TAG_NAME.match(source, start + 1 + is_end)
        if name_match is None:
            return None, start + 1  # a '<' that is text
        name = name_match.group().lower()
        tag = _read_tag(source, name_match.end())
        if isinstance(tag, _Opened):
            what = tag.what.replace("TAG", f"'{source[start : name_match.end()]}'")
            return _Opened(start if tag.position < 0 else tag.position, what, tag.fix), 0
        end, attributes, is_self_closing = tag
        if len(attributes) > MOST_ATTRIBUTES:
            return _Opened(
                start,
                f"the tag '{source[start : name_match.end()]}'",
                "write the words it holds as text",
                hides=f"has {len(attributes):,} attributes, where HTML of a policy has a few: the time the sanitizer takes to read them grows with the square of their number, and the tag shows nothing",
                code="overfull-tag",
            ), 0
        if name in ("td", "th") and not is_end:
            self._check_spans(run, start, attributes)
        if not elements.is_foreign and name in TABLE_NAMES:
            self._lay_out(run, start, name, is_end, attributes)
        later = bisect.bisect_right(run.pieces, start, key=_piece_start)
        if later < len(run.pieces) and run.pieces[later].start < end:
            # A tag that only a later HTML block ends, past a blank line: its '>' is another's.
            what = f"the tag '{source[start : name_match.end()]}'"
            return _Opened(start, what, "end it with '>' on its own lines"), 0
        if is_end:
            elements.close(name)
            return None, end
        if name == "a" and not elements and "href" in attributes:
            href = html.unescape(attributes["href"]).lstrip()
            if _LINK_END.match(source, end):
                line, column = self._place(run, start)
                self.problems.append(
                    warning(
                        self.where.at(line, column),
                        "empty-link",
                        f"a link with no words, to '{excerpt(href)}': readers see nothing of it, and screen readers read out its address; write its words before its '</a>', or remove it",
                    )
                )
            if href[:7].lower() == "policy:":
                self.links.append((href, self._place(run, start)[0]))
            elif (why := unpublished_link(href)) is not None:
                line, column = self._place(run, start)
                written = source[start:end]
                self.problems.append(
                    warning(
                        self.where.at(line, column),
                        "script-link",
                        f"the link '{excerpt(written)}' leads to '{excerpt(href)}', {why}",
                    )
                )
        if name in ("svg", "math"):
            if not is_self_closing:
                elements.open(
                    _Opened(
                        start,
                        f"'<{name}>'",
                        f"close it with '</{name}>' (drawings and formulas are not published)",
                        name,
                    )
                )
            return None, end
        if elements.is_foreign:
            return None, end  # in a drawing or formula, no element reads its content as text
        # In HTML, '/>' closes no element: <style/> opens a <style> as <style> does.
        if name == "template":
            elements.open(
                _Opened(
                    start,
                    "'<template>'",
                    "close it with '</template>' (what a template holds is never shown)",
                    name,
                )
            )
            return None, end
        if name in DRAWING_NAMES:
            fix = f"close it with '</{name}>' ('{name}' names an SVG or MathML element: what it holds is not published)"
            elements.open(_Opened(start, f"'<{name}>'", fix, name))
            return None, end
        if name == "plaintext":
            return _Opened(start, "'<plaintext>'", "remove it: nothing closes it", name, True), 0
        if name == "script" or name == "style" or name in RAW_TEXT:
            if name == "script":
                fix = "close it with '</script>' (scripts are not published)"
                closing_at = _script_end(source, end)
            else:
                if name == "style":
                    fix = "close it with '</style>' (styles are not published)"
                else:
                    fix = f"close it with '</{name}>' (Markdown is not read inside it)"
                closing = re.compile(rf"</{name}(?=[\t\n\f />])", re.IGNORECASE).search(source, end)
                closing_at = closing.start() if closing is not None else None
            element = _Opened(start, f"'<{name}>'", fix, name, name in RAW_TEXT)
            if closing_at is None:
                return element, 0
            # Its own start tag before its end: the first was left open.
            again = re.compile(rf"<{name}(?=[\t\n\f />])", re.IGNORECASE).search(
                source, end, closing_at
            )
            if again is not None and name != "script":
                return self._too_late(element, f"another '<{name}'", run, again.start()), 0
            # Closed only after a blank line, where Markdown would have begun another block:
            # what looks like paragraphs is inside it (its end may even be hidden in an
            # attribute), and nothing of it is published.
            blank = _BLANK_LINE.search(source, end, closing_at)
            if blank is not None:
                lines = self._place(run, blank.start() + 1)[0], self._place(run, closing_at)[0]
                hides = f"holds a blank line (line {lines[0]}) before its end (line {lines[1]}): what looks like text after it would be hidden from readers, though source.md holds it"
                return _Opened(start, element.what, element.fix, name, hides=hides), 0
            return None, closing_at
        return None, end

    def _lay_out(
        self, run: _Run, start: int, name: str, is_end: bool, attributes: dict[str, str]
    ) -> None:
        """Follow a tag of a table, reporting a table that lays out too many cells."""
        if self.is_over_total or self.tables_reported >= MOST_TAGS:
            return  # the build fails: laying out more tables would only take time
        if name == "table":
            if not is_end:
                self.tables.append(_Table(*self._place(run, start)))
            elif self.tables:
                self.tables.pop()
            return
        if not self.tables:
            return  # outside a table, browsers drop it
        table = self.tables[-1]
        if table.is_reported:
            return
        if name in ("thead", "tbody", "tfoot"):
            table.end_row_group()
        elif name == "tr":
            if is_end:
                table.is_in_row = False
            else:
                table.begin_row()
        elif name in ("td", "th"):
            if not is_end:
                columns = _span(attributes, "colspan", 1000, 1)
                table.add_cell(columns, _span(attributes, "rowspan", 65534, 0))
        elif not is_end:  # <col> or <colgroup>: a column each, at most
            table.declared += 1
            table.width = max(table.width, table.declared)
        self.table_cells += table.cells - table.counted
        table.counted = table.cells
        if table.cells > MOST_TABLE_CELLS:
            limit = f"more than the {MOST_TABLE_CELLS:,} cells a table may have"
        elif self.table_cells > MOST_TEXT_TABLE_CELLS and not self.is_over_total:
            self.is_over_total = True
            limit = f"which brings the cells of this text's tables to more than the {MOST_TEXT_TABLE_CELLS:,} they may have together"
        else:
            return
        table.is_reported = True
        self.tables_reported += 1
        self.problems.append(
            error(
                self.where.at(table.line, table.column),
                "overfull-table",
                f"this table is laid out at least {table.rows:,} rows by {table.width:,} columns ({table.cells:,} cells, counting the rows and columns its cells span), {limit}: each row is laid out that wide, which can make a PDF of the page take minutes; split it into smaller tables, or check the rowspan and colspan of its cells",
            )
        )

    def _check_spans(self, run: _Run, start: int, attributes: dict[str, str]) -> None:
        """Report a table cell that spans more columns or rows than any table of a policy."""
        for attribute, most in MOST_SPANNED.items():
            digits = _span_digits(html.unescape(attributes.get(attribute, ""))) or "0"
            is_over = len(digits) > _MOST_DIGITS or int(digits) > most
            if is_over and self.spans_reported < MOST_TAGS:
                self.spans_reported += 1
                line, column = self._place(run, start)
                kind = "columns" if attribute == "colspan" else "rows"
                spans = (
                    f"{int(digits):,}"
                    if len(digits) <= _MOST_DIGITS
                    else f"a number of {len(digits):,} digits of"
                )
                self.problems.append(
                    error(
                        self.where.at(line, column),
                        "overfull-tag",
                        f'this cell spans {spans} {kind} ({attribute}="{excerpt(attributes[attribute])}"), more than the {most:,} a cell of a table may span: its table is laid out that large, row by row, which can make a PDF of the page take minutes; write the number of {kind} it spans',
                    )
                )

    def _too_late(self, opened: _Opened, other: str, run: _Run, position: int) -> _Opened:
        """What is closed only where something of the same kind, opened after it, ends."""
        line = self._place(run, position)[0]
        hides = f"holds {other} (line {line}) before it ends: it is probably never closed, and would hide the text up to where the other ends from readers"
        return _Opened(opened.position, opened.what, opened.fix, opened.name, hides=hides)

    def _report(self, run: _Run, opened: _Opened, resumes: bool) -> None:
        line, column = self._place(run, opened.position)
        if opened.hides:
            consequence = opened.hides
        elif resumes and opened.name and self._is_closed_later(run, opened):
            # Closed in the same paragraph, around Markdown's own text: it holds that text.
            name = opened.name
            consequence = (
                f"holds the text up to its '</{name}>', where Markdown is not read: readers would see its formatting as raw markup"
                if opened.is_shown_as_markup
                else f"hides the text up to its '</{name}>' from readers, though source.md holds it"
            )
            message = (
                f"{opened.what} {consequence}; write that text without '<{name}>' and '</{name}>'"
            )
            self.problems.append(error(self.where.at(line, column), opened.code, message))
            self.is_quiet = True
            return
        elif resumes and opened.is_shown_as_markup:
            consequence = "is not closed before the text that follows it: readers would see that text as raw markup"
        elif resumes:
            consequence = "is not closed before the text that follows it: readers would not see that text, though source.md holds it"
        elif opened.is_shown_as_markup:
            consequence = "is never closed: readers would see the rest of the text as raw markup"
        else:
            consequence = "is never closed: it would hide the rest of the text from readers, though source.md holds it"
        message = f"{opened.what} {consequence}; {opened.fix}"
        self.problems.append(error(self.where.at(line, column), opened.code, message))
        self.is_quiet = True

    def _is_closed_later(self, run: _Run, opened: _Opened) -> bool:
        """Whether the element `opened` is closed after its start tag, in the same block
        (around Markdown's own text). A script's end is read as browsers read it, in the
        run: one that is not found there is not closed."""
        if opened.name == "script":
            return False
        index = bisect.bisect_right(run.pieces, opened.position, key=_piece_start) - 1
        piece = run.pieces[index]
        offset = opened.position - piece.start
        line = piece.line + piece.text.count("\n", 0, offset)
        if line >= len(self.lines):
            return False
        # The start tag's own line, from the tag on (as written in the run), then the next.
        line_start = piece.text.rfind("\n", 0, offset) + 1
        written = piece.text[line_start:offset]
        column = self.lines[line].find(written) if written else 0
        closing = re.compile(rf"</{re.escape(opened.name)}(?=[\t\n\f />])", re.IGNORECASE)
        first = self.lines[line][max(column, 0) + len(written) :]
        for text in itertools.chain([first], self.lines[line + 1 :]):
            if closing.search(text):
                return True
            if not text.strip():
                return False
        return False

    def _place(self, run: _Run, position: int) -> tuple[int | None, int | None]:
        """File line and column of an offset in a run."""
        index = bisect.bisect_right(run.pieces, position, key=_piece_start) - 1
        piece = run.pieces[index]
        offset = position - piece.start
        line = piece.line + piece.text.count("\n", 0, offset)
        line_start = piece.text.rfind("\n", 0, offset) + 1
        line_end = piece.text.find("\n", offset)
        written = piece.text[line_start : line_end if line_end >= 0 else None]
        found = self.lines[line].find(written) if line < len(self.lines) else -1
        column = found + offset - line_start + 1 if found >= 0 else None
        return (self.file_lines[line] if line < len(self.file_lines) else None), column


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _read_tag(source: str, position: int) -> tuple[int, dict[str, str], bool] | _Opened:
    """The end of a tag whose name ends at `position`, its attributes and whether it is
    written self-closing; or what is left open when the run ends inside it."""
    attributes: dict[str, str] = {}
    self_closing = False
    while True:
        spaces = SPACE_OR_SLASH.match(source, position)
        assert spaces is not None
        self_closing = spaces.group().endswith("/")
        position = spaces.end()
        if position >= len(source):
            return _Opened(-1, "the tag TAG", "end it with '>'")
        if source[position] == ">":
            return position + 1, attributes, self_closing
        name = ATTRIBUTE_NAME.match(source, position)
        assert name is not None
        position = SPACE.match(source, name.end()).end()  # type: ignore[union-attr]
        value = ""
        if source.startswith("=", position):
            position = SPACE.match(source, position + 1).end()  # type: ignore[union-attr]
            quote = source[position : position + 1]
            if quote in ("'", '"'):
                closing = source.find(quote, position + 1)
                if closing < 0:
                    return _Opened(
                        position,
                        f"the attribute value opened with {quote} in the tag TAG",
                        f"close it with {quote}",
                    )
                value = source[position + 1 : closing]
                position = closing + 1
            else:
                unquoted = UNQUOTED_VALUE.match(source, position)
                assert unquoted is not None
                value = unquoted.group()
                position = unquoted.end()
        attributes.setdefault(name.group().lower(), value)


def without_overfull_tags(markup: str) -> str:
    """`markup` with each tag of more than MOST_ATTRIBUTES attributes written as text, for the
    sanitizer to read in a time in proportion to it (the text has an error at such a tag, so
    no page shows this)."""
    if len(markup) < 2 * MOST_ATTRIBUTES:
        return markup  # too short to hold such a tag
    kept: list[str] = []
    written = looked = 0
    while (found := START_TAG.search(markup, looked)) is not None:
        tag = _read_tag(markup, found.end())
        if isinstance(tag, _Opened):
            break
        end, attributes, _ = tag
        if len(attributes) > MOST_ATTRIBUTES:
            kept += [markup[written : found.start()], html.escape(markup[found.start() : end])]
            written = end
        looked = end
    return "".join([*kept, markup[written:]]) if kept else markup


def _script_end(source: str, position: int) -> int | None:
    """Where the end tag of a `<script>` whose content starts at `position` starts, as the
    parser finds it (a comment inside a script can hide a first `</script>`)."""
    state = "data"
    for mark in SCRIPT_MARKS.finditer(source, position):
        token = mark.group().lower()
        if token == "<!--" and state == "data":
            state = "escaped"
        elif token == "-->":
            state = "data"
        elif token == "<script" and state == "escaped":
            state = "double"
        elif token == "</script":
            if state == "double":
                state = "escaped"
            else:
                return mark.start()
    return None
