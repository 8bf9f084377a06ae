"""Names of the site → the path of every file of the output and the URLs between them (pure).

The layout of the output (SPEC §4) is written here and nowhere else:

    index.html  404.html  sitemap.xml  manifest.json  manifest.schema.json  _headers
    static/…                                   the theme's files
    api/reader.schema.json
    api/<policy>/<region>/<lang>.json          the answer for one reader
    <lang>/index.html                          the policies in a language
    <lang>/<region>/feed.xml
    <lang>/<region>/<policy>/index.html        the revision in force
    <lang>/<region>/<policy>/history/index.html
    <lang>/<region>/<policy>/<revision>/index.html
    <lang>/<region>/<policy>/<revision>/diff/index.html
    <lang>/<region>/<policy>/<revision>/source.md
    <lang>/<region>/<policy>/<revision>/<policy>-<revision>-<lang>-<region>.pdf   (pdf: true)

A path is relative to the output's root: a folder ends in "/" ("" is the root itself), a
file does not. A file of a revision (source.md, or any other made from its text, such as a
PDF) sits in the revision's folder and is named by `revision_file`. The same functions make
the patterns of `_headers` when given ":lang"-like names.

The instants the output writes (feeds, manifest, answers) are RFC 3339 in UTC, also made here.
"""

from __future__ import annotations

import datetime as dt

PAGE_FILE = "index.html"
"""A folder's page."""
NOT_FOUND_FILE = "404.html"
SITEMAP_FILE = "sitemap.xml"
HEADERS_FILE = "_headers"
"""How Netlify and Cloudflare Pages serve the site."""
MANIFEST_FILE = "manifest.json"
MANIFEST_SCHEMA = "manifest.schema.json"
API_FOLDER = "api/"
"""Where the per-reader answers are, with their schema."""
READER_SCHEMA = API_FOLDER + "reader.schema.json"
STATIC_FOLDER = "static/"
"""The theme's files (stylesheet, fonts, images)."""
STYLESHEET = STATIC_FOLDER + "policygen.css"
FEED_FILE = "feed.xml"
HISTORY_FOLDER = "history/"
DIFF_FOLDER = "diff/"
SOURCE_FILE = "source.md"
"""The resolved Markdown text of a revision's page, beside it."""
SCHEMA_FILES = {
    "manifest.schema.json": MANIFEST_SCHEMA,
    "reader.schema.json": READER_SCHEMA,
}
"""Where each JSON Schema shipped with policygen is published, by its file name."""

NAMES_TAKEN = {
    "region": {PAGE_FILE: "each language's page of policies is published under that name"},
    "policy": {
        PAGE_FILE: "web servers take what has that name in a folder for the folder's page, and this one would stand in each region's folder",
        FEED_FILE: "each region's feed of changes is published under that name",
        READER_SCHEMA.removeprefix(
            API_FOLDER
        ): f"the schema of the readers' answers ({READER_SCHEMA}) is published under that name",
    },
    "revision": {
        PAGE_FILE: "the policy's page is published under that name",
        HISTORY_FOLDER.removesuffix("/"): "the policy's history page is published under that name",
    },
}
"""Names a region, a policy or a revision cannot have, as a file of the layout has its place:
why, in words."""


def page_path(folder: str) -> str:
    """The file of the page of a folder."""
    return folder + PAGE_FILE


def language_dir(language: str) -> str:
    """The index of the policies in a language."""
    return f"{language}/"


def region_dir(language: str, region: str) -> str:
    return f"{language}/{region}/"


def feed_path(language: str, region: str) -> str:
    """The Atom feed of changes for a language and region."""
    return region_dir(language, region) + FEED_FILE


def policy_dir(language: str, region: str, policy_id: str) -> str:
    """A policy's page: the revision in force (the first one while none is)."""
    return f"{region_dir(language, region)}{policy_id}/"


def history_dir(language: str, region: str, policy_id: str) -> str:
    return policy_dir(language, region, policy_id) + HISTORY_FOLDER


def revision_dir(language: str, region: str, policy_id: str, revision_id: str) -> str:
    """The permanent page of one revision."""
    return f"{policy_dir(language, region, policy_id)}{revision_id}/"


def diff_dir(language: str, region: str, policy_id: str, revision_id: str) -> str:
    """A revision's changes from the revision before it."""
    return revision_dir(language, region, policy_id, revision_id) + DIFF_FOLDER


def revision_file(language: str, region: str, policy_id: str, revision_id: str, name: str) -> str:
    """A file made from a revision's text, beside its page."""
    return revision_dir(language, region, policy_id, revision_id) + name


def source_path(language: str, region: str, policy_id: str, revision_id: str) -> str:
    return revision_file(language, region, policy_id, revision_id, SOURCE_FILE)


def pdf_path(language: str, region: str, policy_id: str, revision_id: str) -> str:
    """A revision's PDF; its name says what it is wherever it is saved."""
    name = f"{policy_id}-{revision_id}-{language}-{region}.pdf"
    return revision_file(language, region, policy_id, revision_id, name)


def reader_answer_path(policy_id: str, region: str, language: str) -> str:
    """Where the answer for one reader of a policy is."""
    return f"{API_FOLDER}{policy_id}/{region}/{language}.json"


def absolute(base_url: str, path: str) -> str:
    """The URL of a path of the site published at `base_url` (which ends in "/")."""
    return base_url + path


def relative(from_dir: str, to: str) -> str:
    """Relative URL from one page folder ("en/global/", "" for the root) to a path of the site
    (a folder ending in "/", "" for the root, or a file)."""
    if to == from_dir:
        return "./"
    if not to.startswith(from_dir[: from_dir.find("/") + 1]):
        # Another first folder (another language's page: every page links each language's):
        # nothing in common but the root.
        return "../" * from_dir.count("/") + to
    here = from_dir.split("/")[:-1]
    there = to.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


def rfc3339(moment: dt.datetime) -> str:
    """An aware instant as the output writes it: UTC, to the second ("2024-05-01T22:00:00Z")."""
    # isoformat, not strftime: "%Y" writes year 1 as "1", where RFC 3339 wants "0001".
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def parse_rfc3339(text: str) -> dt.datetime:
    """An instant written by `rfc3339` (or any RFC 3339 text), as an aware datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
