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
import os
import re
import sys
import zoneinfo
from pathlib import Path

import babel.core

from .. import __version__
from ..sources import read_code_digest

REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
"""Where fontconfig finds fonts on Debian and most other systems."""


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
    versions.update(_distribution_versions("policygen"))
    return versions


@functools.cache
def pdf_environment_key() -> str:
    """SHA-256 of what a PDF depends on besides its HTML: WeasyPrint and the libraries it
    requires (policygen requires it only with `policygen[pdf]`, so `library_versions` does
    not list it), and the fonts installed, since a font added or updated may set a text anew."""
    described = {"libraries": _distribution_versions("weasyprint"), "fonts": _font_files()}
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def _distribution_versions(root: str) -> dict[str, str]:
    """The version of a distribution and, in turn, of every one it requires."""
    versions: dict[str, str] = {}
    waiting = [root]
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


def _font_files() -> list[tuple[str, int, int]]:
    """Every font file fontconfig may choose from, with its size and modification time."""
    found = []
    for folder in FONT_FOLDERS:
        for parent, _, names in os.walk(Path(folder).expanduser()):
            for name in names:
                path = os.path.join(parent, name)
                with contextlib.suppress(OSError):
                    status = os.stat(path)
                    found.append((path, status.st_size, status.st_mtime_ns))
    return sorted(found)


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
