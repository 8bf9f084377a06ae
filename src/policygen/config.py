"""site.yaml text → SiteConfig, with a located problem for each mistake."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml
from babel import Locale

from .characters import describe_hidden_words
from .errors import Problem, SourceLocation, printable, warning
from .i18n import is_same_language, language_name, parse_language, preferred_tag
from .urls import NAMES_TAKEN
from .yamldoc import Node, NodeReader, parse_yaml

SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")


def policy_id_problem(policy_id: str) -> str | None:
    """Why `policy_id` cannot name a new policy's folder, or None."""
    if not SLUG.match(policy_id):
        return f"'{policy_id}' cannot be a policy id: use lowercase letters, digits, '.', '_' or '-' (such as privacy, cookies, terms)"
    if (taken := NAMES_TAKEN["policy"].get(policy_id)) is not None:
        return f"'{policy_id}' cannot be a policy id: {taken}"
    return None


COUNTRY = re.compile(r"[A-Z]{2}\Z")
SITE_KEYS = (
    "title",
    "base_url",
    "default_language",
    "languages",
    "timezone",
    "notice_days",
    "regions",
    "index_all_revisions",
    "pdf",
)
REGION_KEYS = ("default", "name", "countries")
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ"})
"""Codes Babel knows as territories that are not countries (the EU, the eurozone, the UN…)."""


@dataclass(frozen=True, slots=True)
class Translatable:
    """A text given once for all languages, or per language."""

    texts: tuple[tuple[str, str], ...]
    """(language, text) pairs; language "" is the text for every language."""

    @classmethod
    def plain(cls, text: str) -> Translatable:
        return cls((("", text),))

    def get(self, language: str, default_language: str) -> str:
        """The text in `language`, else in the default language, else any."""
        found = dict(self.texts)
        for key in (language, "", default_language):
            if key in found:
                return found[key]
        return self.texts[0][1]


@dataclass(frozen=True, slots=True)
class RegionConfig:
    """A region readers are served a policy text for."""

    id: str
    """Slug used in URLs and file names, e.g. "europe"."""
    is_default: bool
    """Served where no other region applies."""
    name: Translatable
    """Name shown in the region switcher."""
    countries: tuple[str, ...]
    """ISO 3166-1 alpha-2 codes of the countries in this region, sorted."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The settings of one policy site (site.yaml)."""

    title: Translatable
    """Name of the site, shown on every page."""
    base_url: str
    """Absolute URL the site is published at, ending with "/"."""
    default_language: str
    """The source language: every revision is written in it first, and its text prevails."""
    languages: tuple[str, ...]
    """Every language the site is published in, the default language first."""
    timezone: str
    """IANA zone in which effective dates start at 00:00."""
    notice_days: int | None
    """Days a material revision should be published before it takes effect."""
    regions: tuple[RegionConfig, ...]
    """Every region, the default region first, then by id."""
    index_all_revisions: bool
    """Let search engines index superseded, upcoming and diff pages too."""
    pdf: bool = False
    """Make a PDF of every revision page (SPEC §9)."""
    language_locations: tuple[tuple[str, SourceLocation], ...] = field(
        default=(), repr=False, compare=False
    )
    """Where site.yaml lists each language, for problems about it (not part of what pages are
    made from: moving a line of site.yaml changes no page)."""

    @property
    def default_region(self) -> str:
        return self.regions[0].id

    @property
    def region_ids(self) -> tuple[str, ...]:
        return tuple(region.id for region in self.regions)

    def region(self, region_id: str) -> RegionConfig:
        return next(region for region in self.regions if region.id == region_id)


def is_known_language(tag: str) -> bool:
    """Whether Babel has locale data for a BCP 47 tag such as "pt-BR", in any case."""
    return parse_language(tag) is not None


def site_language(written: str, languages: tuple[str, ...]) -> str | None:
    """The site language a tag names, whatever its case ("pt-br" → "pt-BR"), else None."""
    return next((tag for tag in languages if is_same_language(tag, written)), None)


def known_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes Babel knows."""
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if COUNTRY.match(code) and code not in NOT_COUNTRIES)


def read_translatable(
    reader: NodeReader, node: Node, what: str, languages: tuple[str, ...]
) -> Translatable | None:
    """A text, or a mapping of language to text."""
    if isinstance(node, yaml.MappingNode):
        entries = reader.mapping(node, what) or {}
        texts: list[tuple[str, str]] = []
        written: dict[str, str] = {}
        for key, (key_node, value_node) in entries.items():
            language = site_language(key, languages) if languages else parse_language(key)
            if language is None:
                listed = ", ".join(languages)
                reader.fail(
                    key_node,
                    "unknown-language",
                    f"{what} has a text for '{key}', which is not a site language ({listed})",
                )
                continue
            if language in written:
                reader.fail(
                    key_node,
                    "duplicate-key",
                    f"{what} has two texts for '{language}' ('{written[language]}' and '{key}': case does not matter in language tags)",
                )
                continue
            written[language] = key
            value = reader.text(value_node, f"{what} in '{language}'")
            if value is not None:
                _warn_of_hidden_words(reader, value_node, f"{what} in '{language}'", value)
                texts.append((language, value))
        if not texts:
            if entries:
                return None
            reader.fail(node, "empty", f"{what} must not be empty")
            return None
        return Translatable(tuple(texts))
    value = reader.text(node, what)
    if value is not None:
        _warn_of_hidden_words(reader, node, what, value)
    return Translatable.plain(value) if value is not None else None


def _warn_of_hidden_words(reader: NodeReader, node: Node, what: str, value: str) -> None:
    """A warning for a title or name that shows otherwise than it is written, as a text's
    title gets one: it is shown on pages as a text's title is."""
    assert reader.problems is not None
    reader.problems += [
        warning(reader.where.at(reader.line(node)), code, f"{what} holds {found}")
        for code, found in describe_hidden_words(value)
    ]


def parse_config(text: str, where: SourceLocation) -> tuple[SiteConfig | None, list[Problem]]:
    """Read site.yaml; None with problems when it has mistakes."""
    root, problems = parse_yaml(text, where)
    if problems:
        return None, problems
    reader = NodeReader(where, problems=problems)
    if root is None:
        reader.fail(
            None, "missing-key", "site.yaml is empty: it needs at least 'languages' and 'regions'"
        )
        return None, problems
    entries = reader.mapping(root, "site.yaml")
    if entries is None:
        return None, problems
    reader.check_keys(entries, SITE_KEYS, "site.yaml")

    def required(key: str) -> Node | None:
        if key not in entries:
            reader.fail(root, "missing-key", f"site.yaml must set '{key}'")
            return None
        return entries[key][1]

    listed = _read_languages(reader, required("languages"))
    languages = tuple(tag for tag, _ in listed)
    default_language = _read_default_language(reader, required("default_language"), languages)
    if default_language and default_language in languages:
        languages = (default_language, *(lang for lang in languages if lang != default_language))

    title = (
        read_translatable(reader, entries["title"][1], "title", languages)
        if "title" in entries
        else None
    )
    base_url = _read_base_url(reader, required("base_url"))
    timezone = _read_timezone(reader, entries.get("timezone"))
    notice_days = (
        reader.integer(entries["notice_days"][1], "notice_days")
        if "notice_days" in entries
        else None
    )
    index_all = False
    if "index_all_revisions" in entries:
        index_all = bool(reader.boolean(entries["index_all_revisions"][1], "index_all_revisions"))
    is_pdf = False
    if "pdf" in entries:
        is_pdf = bool(reader.boolean(entries["pdf"][1], "pdf"))
    regions = _read_regions(reader, required("regions"), languages)

    if any(p.is_error for p in problems) or default_language is None or regions is None:
        return None, problems
    return (
        SiteConfig(
            title=title or Translatable.plain("Policies"),
            base_url=base_url,
            default_language=default_language,
            languages=languages,
            timezone=timezone,
            notice_days=notice_days,
            regions=regions,
            index_all_revisions=index_all,
            pdf=is_pdf,
            language_locations=tuple(listed),
        ),
        problems,
    )


def _read_languages(reader: NodeReader, node: Node | None) -> list[tuple[str, SourceLocation]]:
    """Each language's canonical tag, with where it is listed."""
    if node is None:
        return []
    languages: dict[str, tuple[str, SourceLocation]] = {}
    for written, item in reader.text_list(node, "languages"):
        tag = parse_language(written)
        where = reader.where.at(reader.line(item), item.start_mark.column + 1)
        if tag is None:
            hyphens = parse_language(written.replace("_", "-"))
            hint = f" (did you mean '{hyphens}'?)" if hyphens else ""
            reader.fail(
                item,
                "unknown-language",
                f"'{written}' is not a language tag policygen knows{hint} (write BCP 47 tags such as en, ja, pt-BR, zh-Hant)",
            )
        elif tag in languages:
            first = languages[tag][0]
            why = "" if first == written else f" ('{first}' and '{written}': case does not matter)"
            reader.fail(item, "duplicate", f"language '{written}' is listed twice{why}")
        else:
            languages[tag] = (written, where)
            preferred = preferred_tag(tag)
            if preferred is not None:
                assert reader.problems is not None
                reader.problems.append(
                    warning(
                        where,
                        "language-alias",
                        f"'{written}' is another code for {language_name(tag)}: browsers, screen readers and search engines know it as '{preferred}'; write '{preferred}' (the pages' addresses change with it)",
                    )
                )
    if not languages and isinstance(node, yaml.SequenceNode):
        reader.fail(node, "empty", "languages must list at least one language")
    return [(tag, where) for tag, (_, where) in languages.items()]


def _read_default_language(
    reader: NodeReader, node: Node | None, languages: tuple[str, ...]
) -> str | None:
    if node is None:
        return None
    written = reader.text(node, "default_language")
    if written is None:
        return None
    tag = site_language(written, languages)
    if tag is None and languages:
        reader.fail(
            node,
            "unknown-language",
            f"default_language '{written}' must be one of languages ({', '.join(languages)})",
        )
        return None
    return tag or written


def _read_base_url(reader: NodeReader, node: Node | None) -> str:
    # Required: canonical links, hreflang alternates, the sitemap and the manifest are absolute.
    if node is None:
        return "/"
    url = reader.text(node, "base_url")
    if url is None:
        return "/"
    try:
        return parse_base_url(url, "base_url")
    except ValueError as exc:
        reader.fail(node, "bad-url", str(exc))
        return "/"


URL_CHARACTERS = re.compile(r"(?:[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*\Z")
"""What RFC 3986 lets a URL hold, percent escapes included (no spaces, no quotes, no '<',
nothing beyond ASCII)."""


def parse_base_url(url: str, what: str) -> str:
    """The URL a site is published at, as site.yaml's base_url or the command line's
    --base-url (`what`) gives it: scheme and host in lowercase, ending with "/".
    Raises ValueError saying what is wrong with it."""
    problem = _base_url_problem(url)
    if problem is not None:
        reason = f" ({problem})" if problem else ""
        raise ValueError(
            f"{what} must be an absolute http(s) URL such as https://example.org/policies/, not '{printable(url)}'{reason}"
        )
    parts = urlsplit(url)
    host = parts.netloc.lower()
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme.lower()}://{host}{path}"


def _base_url_problem(url: str) -> str | None:
    """What is wrong with a base URL ("" when the message says it all), or None."""
    if not URL_CHARACTERS.match(url):
        return "write spaces and characters beyond ASCII as %-escapes, and hosts in their ASCII (xn--) form"
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    if "?" in url or "#" in url:
        return "it must not have a query ('?') or a fragment ('#')"
    if "@" in parts.netloc:
        return "it must not hold a user name or password: the URL is published"
    try:
        if parts.port == 0:
            raise ValueError
    except ValueError:
        return "its port must be a number from 1 to 65535"
    return None


def _read_timezone(reader: NodeReader, entry: tuple[Node, Node] | None) -> str:
    if entry is None:
        return "UTC"
    name = reader.text(entry[1], "timezone")
    if name is None:
        return "UTC"
    if (wrong := timezone_problem(name)) is not None:
        reader.fail(entry[1], "bad-timezone", f"timezone {wrong}")
        return "UTC"
    return name


MACHINE_ZONES = frozenset({"localtime", "posixrules", "Factory"})
"""Names the time zone database of a computer may hold that name no place: the computer's
own zone (and a default derived from it), or a zone meaning "not set"."""


def timezone_problem(name: str) -> str | None:
    """Why `name` is not the name of a time zone (a message that starts with the name,
    quoted), or None."""
    # The same site would take effect at other instants on another computer.
    if name in MACHINE_ZONES:
        return f"'{name}' names no place: it is what a computer's own settings make of it, so another computer would publish other instants; name a zone such as Europe/Paris or Asia/Tokyo"
    if name.startswith(("posix/", "right/")):
        return f"'{name}' names a copy of a zone that only some computers' time zone databases hold (those under right/ count leap seconds): write the zone's own name, such as {name.partition('/')[2] or 'Europe/Paris'}"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"'{name}' is not a time zone name such as Europe/Paris or Asia/Tokyo"
    return None


def _read_regions(
    reader: NodeReader, node: Node | None, languages: tuple[str, ...]
) -> tuple[RegionConfig, ...] | None:
    if node is None:
        return None
    entries = reader.mapping(node, "regions")
    if entries is None:
        return None
    if not entries:
        reader.fail(node, "empty", "regions must declare at least one region")
        return None
    countries_known = known_countries()
    owner: dict[str, str] = {}
    regions: list[RegionConfig] = []
    for region_id, (key_node, value_node) in entries.items():
        if not SLUG.match(region_id):
            reader.fail(
                key_node,
                "bad-id",
                f"region id '{region_id}' must be lowercase letters, digits, '.', '_' or '-'",
            )
            continue
        if (taken := NAMES_TAKEN["region"].get(region_id)) is not None:
            reader.fail(
                key_node,
                "name-taken",
                f"region id '{region_id}' cannot be used: {taken}",
            )
            continue
        fields = reader.mapping(value_node, f"region '{region_id}'")
        if fields is None:
            continue
        reader.check_keys(fields, REGION_KEYS, f"region '{region_id}'")
        is_default = (
            bool(reader.boolean(fields["default"][1], "default")) if "default" in fields else False
        )
        name = (
            read_translatable(reader, fields["name"][1], f"name of region '{region_id}'", languages)
            if "name" in fields
            else None
        )
        countries: list[str] = []
        if "countries" in fields:
            for code, item in reader.text_list(
                fields["countries"][1], f"countries of region '{region_id}'"
            ):
                if not COUNTRY.match(code) or code not in countries_known:
                    reader.fail(
                        item,
                        "unknown-country",
                        f"'{code}' is not an ISO 3166-1 alpha-2 country code (such as FR or JP)",
                    )
                elif code in owner:
                    reader.fail(
                        item,
                        "country-in-two-regions",
                        f"country {code} is already in region '{owner[code]}': a country may belong to one region only",
                    )
                else:
                    owner[code] = region_id
                    countries.append(code)
        regions.append(
            RegionConfig(
                region_id,
                is_default,
                name or Translatable.plain(region_id),
                tuple(sorted(countries)),
            )
        )
    defaults = [region for region in regions if region.is_default]
    if len(defaults) != 1 and len(regions) == len(entries):
        found = ", ".join(r.id for r in defaults) or "none"
        reader.fail(
            node, "default-region", f"exactly one region must have 'default: true' (found: {found})"
        )
        return None
    regions.sort(key=lambda region: (not region.is_default, region.id))
    return tuple(regions)
