"""YAML text → located nodes, read into typed values with a problem for each mistake.

Settings and front matter are read from PyYAML's node tree rather than from the
loaded Python values, so that every value keeps its line, and so that YAML 1.1's
surprises (`NO` for Norway read as false, `1.10` read as a float) cannot change
what an editor wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .characters import describe, first_forbidden
from .errors import Problem, SourceLocation, error

Node = yaml.Node
EARLIEST, LATEST = dt.date(1, 1, 2), dt.date(9999, 12, 30)
"""The dates policygen works with: a day starts in a time zone up to a day away from UTC, and
the first and last days of the calendar would start or end outside it."""
MAX_DIGITS = 9
"""The longest whole number in settings (notice_days): a billion days is more than enough."""
MAX_DEPTH = 100
"""How deeply YAML lists and mappings may nest: no setting needs more than a few levels."""
MAX_VALUES = 100_000
"""How many values a free-form value (`extra`) may hold once its aliases are written out:
eleven lines of aliases of aliases can stand for billions of them, which every page, the
manifest and the cache would have to write."""


def parse_yaml(
    text: str, where: SourceLocation, first_line: int = 1
) -> tuple[Node | None, list[Problem]]:
    """Parse YAML text into a node tree; `first_line` is the file line of the text's first line."""
    try:
        tags = _find_tags(text, where, first_line)
        if tags:
            return None, tags
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else None
        column = mark.column + 1 if mark else None
        what = exc.problem or exc.context or "cannot be read"
        return None, [error(where.at(line, column), "yaml", f"this YAML is malformed: {what}")]
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        return None, [error(where.at(first_line), "yaml", f"this YAML is malformed: {exc}")]
    except RecursionError:
        return None, [error(where.at(first_line), "yaml", _TOO_DEEP)]
    return node, _check_characters(node, where, first_line)


def _compose(text: str) -> Node | None:
    """The node tree of `text`: composed by libyaml where it is installed and the text short
    enough (ten times quicker, and the same nodes), else by PyYAML in Python, which also tells
    every mistake, as policygen reports them."""
    if _C_LOADER is not None and len(text) <= C_LOADER_UNTIL:
        with contextlib.suppress(yaml.YAMLError):
            node = yaml.compose(text, Loader=_C_LOADER)
            # A text nested too deep is an error however composed: told as PyYAML tells it.
            if not _is_deeper(node, MAX_DEPTH):
                return node
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _is_deeper(root: Node | None, depth: int) -> bool:
    """Whether lists and mappings nest more than `depth` levels in `root`."""
    stack = [(root, 0)] if isinstance(root, yaml.CollectionNode) else []
    seen: set[int] = set()  # aliases share nodes
    while stack:
        node, level = stack.pop()
        if level > depth:
            return True
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = (
            node.value
            if isinstance(node, yaml.SequenceNode)
            else [i for p in node.value for i in p]
        )
        stack.extend((item, level + 1) for item in items if isinstance(item, yaml.CollectionNode))
    return False


_C_LOADER = getattr(yaml, "CSafeLoader", None)
C_LOADER_UNTIL = 4_000
"""The longest YAML text libyaml composes: its composer recurses in C, which no recursion
limit stops, and a text this short cannot nest deep enough to exhaust the stack."""


def _check_characters(root: Node | None, where: SourceLocation, first_line: int) -> list[Problem]:
    """An error for each value that escapes (such as "\\x07" or "\\ud800") write a character
    that must not be published with: the file's own characters were checked as it was read."""
    problems = []
    stack = [root] if root is not None else []
    seen: set[int] = set()  # aliases share nodes, and may make a node its own child
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            found = first_forbidden(str(node.value)) or first_forbidden(node.tag)
            if found is not None:
                mark = node.start_mark
                problems.append(
                    error(
                        where.at(first_line + mark.line, mark.column + 1),
                        "bad-character",
                        f"an escape in this value writes {describe(found)}: remove it",
                    )
                )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return sorted(problems, key=Problem.sort_key)


_TOO_DEEP = f"this YAML nests lists or mappings more than {MAX_DEPTH} levels deep"


def _find_tags(text: str, where: SourceLocation, first_line: int) -> list[Problem]:
    """An error for each YAML tag (`!!python/object`, `!foo`, `!!binary`): policygen's files
    hold plain text, numbers, dates, lists and mappings, and a tag can only make a value
    something else (PyYAML's unsafe loaders even run code for some)."""
    if "!" not in text:
        return []
    problems = []
    depth = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            depth += 1
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            depth -= 1
        if depth > MAX_DEPTH:
            return [error(where.at(first_line), "yaml", _TOO_DEEP)]
        if isinstance(token, yaml.TagToken):
            handle, suffix = token.value
            mark = token.start_mark
            problems.append(
                error(
                    where.at(first_line + mark.line, mark.column + 1),
                    "yaml-tag",
                    f"YAML tags such as '{handle or ''}{suffix}' are not allowed: write the value alone",
                )
            )
    return problems


@dataclass(slots=True)
class NodeReader:
    """Reads nodes of one file into typed values, collecting problems as it goes."""

    where: SourceLocation
    """The file being read."""
    first_line: int = 1
    """File line of the YAML text's first line (front matter starts on line 2)."""
    problems: list[Problem] | None = None

    def __post_init__(self) -> None:
        if self.problems is None:
            self.problems = []

    def line(self, node: Node) -> int:
        """File line of a node."""
        return self.first_line + node.start_mark.line

    def fail(self, node: Node | None, code: str, message: str) -> None:
        """Record an error at a node (or at the top of the YAML)."""
        line = self.line(node) if node is not None else self.first_line
        column = node.start_mark.column + 1 if node is not None else None
        assert self.problems is not None
        self.problems.append(error(self.where.at(line, column), code, message))

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        """A mapping's entries by key, each with its key node and value node."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "type", f"{what} must be a mapping of keys to values")
            return None
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "type", f"a key in {what} must be plain text")
                continue
            key = str(key_node.value)
            if key in entries:
                self.fail(key_node, "duplicate-key", f"key '{key}' appears twice in {what}")
                continue
            entries[key] = (key_node, value_node)
        return entries

    def check_keys(
        self, entries: dict[str, tuple[Node, Node]], allowed: Iterable[str], what: str
    ) -> None:
        """Report every key that is not allowed, with a suggestion for likely typos."""
        allowed = list(allowed)
        for key, (key_node, _) in entries.items():
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = (
                f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
            )
            self.fail(key_node, "unknown-key", f"unknown key '{key}' in {what}{hint}")

    def text(self, node: Node, what: str) -> str | None:
        """A scalar as the text the editor wrote (never a YAML 1.1 boolean or number)."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.fail(node, "type", f"{what} must be text")
            return None
        value = str(node.value)
        if not value.strip():
            self.fail(node, "empty", f"{what} must not be empty")
            return None
        return value

    def date(self, node: Node, what: str) -> dt.date | None:
        """A date written YYYY-MM-DD."""
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        try:
            if not isinstance(raw, str) or len(raw) != 10:
                raise ValueError
            day = dt.date.fromisoformat(raw)
        except ValueError:
            shown = f"'{raw}'" if isinstance(raw, str) else "this value"
            self.fail(node, "bad-date", f"{what} must be a date written YYYY-MM-DD, not {shown}")
            return None
        if not EARLIEST <= day <= LATEST:
            self.fail(node, "bad-date", f"{what} must be a date from {EARLIEST} to {LATEST}")
            return None
        return day

    def boolean(self, node: Node, what: str) -> bool | None:
        """true or false."""
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        if isinstance(raw, str) and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        self.fail(node, "type", f"{what} must be true or false")
        return None

    def integer(self, node: Node, what: str, minimum: int = 0) -> int | None:
        """A whole number of at least `minimum`."""
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        if (
            isinstance(raw, str)
            and raw.isascii()
            and raw.isdigit()
            and len(raw) <= MAX_DIGITS
            and int(raw) >= minimum
        ):
            return int(raw)
        self.fail(
            node,
            "type",
            f"{what} must be a whole number from {minimum} to {'9' * MAX_DIGITS}",
        )
        return None

    def plain(self, node: Node, what: str) -> Any:
        """Free-form values (text, numbers, true/false, dates, lists, mappings) as YAML reads
        them, each value that cannot be read reported at its place."""
        values = _PlainValues(self, what)
        value = values.read(node, 0)
        if values.cycle is not None:
            self.fail(
                values.cycle,
                "yaml",
                f"this value of {what} contains itself through an alias: write the value out instead",
            )
            return None
        if not values.is_too_deep and _expanded_size(node, {}) > MAX_VALUES:
            self.fail(
                node,
                "yaml",
                f"{what} holds more than {MAX_VALUES:,} values once its aliases are written out: write the values out, or fewer of them",
            )
            return None
        return value

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        """The items of a list."""
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "type", f"{what} must be a list, e.g. [a, b]")
            return None
        return list(node.value)

    def text_list(self, node: Node, what: str) -> list[tuple[str, Node]]:
        """A list of texts, each with its node."""
        items = self.sequence(node, what) or []
        texts = ((self.text(item, f"each item of {what}"), item) for item in items)
        return [(value, item) for value, item in texts if value is not None]


@dataclass(slots=True)
class _PlainValues:
    """Reads a node tree into plain values without PyYAML's constructors of objects."""

    reader: NodeReader
    what: str
    made: dict[int, Any] = field(default_factory=dict)
    """Values by node: an alias shares its anchor's value, as YAML means (and a
    self-referring anchor cannot make reading endless)."""
    reading: set[int] = field(default_factory=set)
    """The lists and mappings being read, outermost to innermost."""
    cycle: Node | None = None
    """A list or mapping found inside itself."""
    is_too_deep: bool = False

    def read(self, node: Node, depth: int) -> Any:
        if id(node) in self.reading:
            self.cycle = self.cycle or node
            return None
        if id(node) in self.made:
            return self.made[id(node)]
        if depth > MAX_DEPTH:
            self.reader.fail(node, "yaml", _TOO_DEEP)
            self.is_too_deep = True
            return None
        if isinstance(node, yaml.CollectionNode):
            self.reading.add(id(node))
            try:
                return self._read_collection(node, depth)
            finally:
                self.reading.discard(id(node))
        return self._read_scalar(node)

    def _read_collection(self, node: yaml.CollectionNode, depth: int) -> Any:
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.made[id(node)] = items
            items.extend(self.read(item, depth + 1) for item in node.value)
            return items
        if isinstance(node, yaml.MappingNode):
            entries: dict[str, Any] = {}
            self.made[id(node)] = entries
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    self.reader.fail(key, "type", f"a key in {self.what} must be plain text")
                    continue
                entries[str(key.value)] = self.read(value, depth + 1)
            return entries
        return self._read_scalar(node)

    def _read_scalar(self, node: Node) -> Any:
        try:
            value = yaml.SafeLoader("").construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            # What YAML reads as a date, but is none: 2024-13-45, an offset beyond a day; or
            # as a number, but is none: 0x_, a hexadecimal number of no digits.
            kind = "number" if node.tag.endswith((":int", ":float")) else "date"
            self.reader.fail(
                node,
                "bad-value",
                f"'{node.value}' in {self.what} looks like a {kind} but is not one ({exc}): put it in quotes to keep it as text",
            )
            return None
        self.made[id(node)] = value
        return value


def _expanded_size(node: Node, sizes: dict[int, int]) -> int:
    """How many values a node of a tree without cycles holds, each alias counted as the
    values it stands for (`sizes`: by node, so that each is counted once)."""
    if id(node) not in sizes:
        children = (
            (item for pair in node.value for item in pair)
            if isinstance(node, yaml.MappingNode)
            else node.value
            if isinstance(node, yaml.SequenceNode)
            else ()
        )
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[id(node)]
