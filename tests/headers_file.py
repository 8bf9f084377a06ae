"""`_headers` read and applied as Netlify and as Cloudflare Pages do, for the tests' web servers.

Written from the hosts' documentation and from the matchers they publish: Netlify's
`@netlify/headers-parser` (`getForRegExp`: segments matched case-insensitively, a trailing
slash optional, a `*` standing for a segment makes the slash before it optional) and
Cloudflare's asset worker (`generateRuleRegExp`: the path matched exactly, `*` any text,
`:name` one segment). A header set by several matching rules gets their values joined with
", " on both (Cloudflare documents it; for Netlify it is the careful assumption).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Dialect = Literal["netlify", "cloudflare"]
DIALECTS: tuple[Dialect, ...] = ("netlify", "cloudflare")
HOST_CACHE_CONTROL = "public, max-age=0, must-revalidate"
"""What both hosts send when no rule gives a Cache-Control."""
RULE_LIMIT = 100
LINE_LIMIT = 2000
"""Cloudflare Pages' limits: rules in a file, characters in a line."""


class HeadersFileError(ValueError):
    """A `_headers` file a host would refuse or misread."""


@dataclass(frozen=True)
class Rule:
    path: str
    headers: tuple[tuple[str, str], ...]
    line: int


def parse_headers_file(text: str) -> list[Rule]:
    """The rules of a `_headers` file, refusing what either host would not read as meant."""
    rules: list[Rule] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if len(raw) > LINE_LIMIT:
            raise HeadersFileError(f"line {number}: longer than {LINE_LIMIT} characters")
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/"):
            if raw != line:
                raise HeadersFileError(f"line {number}: a path must not be indented")
            rules.append(Rule(line, (), number))
            continue
        if raw == line:
            raise HeadersFileError(f"line {number}: a header must be indented under its path")
        if line.startswith("!"):
            raise HeadersFileError(f"line {number}: Netlify has no detached headers")
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise HeadersFileError(f"line {number}: not 'Name: value'")
        if not rules:
            raise HeadersFileError(f"line {number}: a header before any path")
        last = rules[-1]
        rules[-1] = Rule(last.path, (*last.headers, (name.strip(), value.strip())), last.line)
    if len(rules) > RULE_LIMIT:
        raise HeadersFileError(f"{len(rules)} rules: Cloudflare Pages reads {RULE_LIMIT}")
    for rule in rules:
        if rule.path.count("*") > 1:
            raise HeadersFileError(f"line {rule.line}: Cloudflare allows one * in a path")
        if not rule.headers:
            raise HeadersFileError(f"line {rule.line}: a path without headers")
    return rules


def matches(pattern: str, path: str, dialect: Dialect) -> bool:
    """Whether a rule's path pattern matches a request's path on a host."""
    return _regex(pattern, dialect).match(path) is not None


def _regex(pattern: str, dialect: Dialect) -> re.Pattern[str]:
    if dialect == "netlify":
        parts = [_netlify_part(part.rstrip()) for part in pattern.split("/") if part.rstrip()]
        return re.compile("^/" + "/".join(parts) + "/?$", re.IGNORECASE)
    escaped = "(?P<splat>.*)".join(_cloudflare_escape(part) for part in pattern.split("*"))
    return re.compile("^" + re.sub(r":([A-Za-z]\w*)", r"(?P<\1>[^/]+)", escaped) + "$")


def _netlify_part(part: str) -> str:
    if part.startswith(":"):
        return "([^/]+)"
    if part == "*":
        return "?(.*)"
    if "*" in part:
        return part.replace("*", "(.*)")  # as Netlify does: the rest is not escaped
    return re.escape(part)


def _cloudflare_escape(text: str) -> str:
    return re.sub(r"[-/\\^$*+?.()|[\]{}]", lambda m: "\\" + m[0], text)


def headers_for(rules: Sequence[Rule], path: str, dialect: Dialect) -> dict[str, str]:
    """The headers a host adds to the response for `path`, by lowercase name."""
    found: dict[str, str] = {}
    for rule in rules:
        if matches(rule.path, path, dialect):
            for name, value in rule.headers:
                key = name.lower()
                found[key] = f"{found[key]}, {value}" if key in found else value
    found.setdefault("cache-control", HOST_CACHE_CONTROL)
    return found
