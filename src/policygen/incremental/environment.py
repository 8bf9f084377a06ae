"""The running policygen, Python and libraries → the key a kept build cache is valid for.

A cached page is only the page a build would make if it was made by the same code: the same
policygen, the same Python, and the same libraries, down to the data they ship (Babel's CLDR,
the time zone database). The key is a hash of all of their versions.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import re
import sys
import zoneinfo
from pathlib import Path

import babel.core

from .. import __version__
from ..sources import read_code_digest

REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def environment_key() -> str:
    """SHA-256 of everything besides the site that a build's output depends on."""
    described = {
        "policygen": __version__,
        "code": read_code_digest(),
        "python": [sys.version, sys.implementation.name, sys.implementation.cache_tag],
        "libraries": library_versions(),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


@functools.cache
def library_versions() -> dict[str, str]:
    """The version of every library policygen runs with, and of the data they read.

    The libraries are those policygen requires and, in turn, theirs, as installed (a
    library that is not installed is "absent"), so that a new requirement is covered
    without being listed here. Read once per process: the code that runs is the code that
    was imported.
    """
    versions = {
        "cldr": babel.core.get_cldr_version(),
        "tz database": _tz_database_version(),
    }
    waiting = ["policygen"]
    while waiting:
        name = _normalized(waiting.pop())
        if f"library {name}" in versions:
            continue
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            versions[f"library {name}"] = "absent"
            continue
        versions[f"library {name}"] = distribution.version
        for requirement in distribution.requires or ():
            # Optional features (test tools) are not what builds run with.
            if "extra ==" not in requirement and (found := REQUIREMENT_NAME.match(requirement)):
                waiting.append(found.group())
    return versions


def _normalized(name: str) -> str:
    """A distribution's name as packaging compares names (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _tz_database_version() -> str:
    """The version of the time zone databases zoneinfo reads: the system's first, then tzdata's."""
    found = []
    for folder in map(Path, zoneinfo.TZPATH):
        if folder.is_dir():
            try:
                with (folder / "tzdata.zi").open(encoding="ascii", errors="replace") as file:
                    found.append(f"{folder}: {file.readline().strip()}")
            except OSError:
                found.append(f"{folder}: no version")
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        found.append(f"tzdata {importlib.metadata.version('tzdata')}")
    return "; ".join(found) or "absent"
