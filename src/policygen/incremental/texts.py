"""Rendered texts' HTML ↔ files of the build cache folder named by their SHA-256 (I/O: that
folder's `texts` only).

The HTML is the bulk of what a build keeps: kept apart from the cache file, it is read only
for the pages a build makes again, by the process that makes them, and written by the
process that rendered it. A file is its HTML's UTF-8 bytes and nothing else, so that its
name says what it must hold: a file whose bytes do not have the SHA-256 of its name, or are
not UTF-8, is treated as absent (its text is rendered again), as is one that is not a
regular file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, replace

from ..markdown import RenderedText
from ..rendering import TextKey

TEXTS_FOLDER = "texts"
"""The cache folder's folder of HTML files."""
NAME = re.compile(r"[0-9a-f]{64}\Z")
OWN_NAME = re.compile(r"[0-9a-f]{64}(?:\.new-[0-9]+)?\Z")
"""The names of the files `HtmlFolder` writes: nothing else in the folder is removed."""
LARGEST = 2**30
"""Bytes of the largest file read: a text's HTML is far smaller."""


class HtmlFolder:
    """The HTML files of a build cache folder."""

    def __init__(self, folder: str) -> None:
        self.folder = os.path.join(folder, TEXTS_FOLDER)

    def put(self, html: str) -> str | None:
        """Keep `html`; returns its name (None: it cannot be kept, not being Unicode)."""
        try:
            data = html.encode()
        except UnicodeEncodeError:  # a lone surrogate
            return None
        name = hashlib.sha256(data).hexdigest()
        target = os.path.join(self.folder, name)
        staging = f"{target}.new-{os.getpid()}"
        try:
            os.makedirs(self.folder, exist_ok=True)
            with open(staging, "wb") as file:
                file.write(data)
            os.replace(staging, target)
        except OSError:
            # A folder that cannot be written keeps nothing: the next build renders the text.
            _unlink(staging)
            return None
        return name

    def get(self, name: str) -> str | None:
        """The HTML of the file `name`, if it holds HTML with that SHA-256."""
        if not NAME.match(name):
            return None
        try:
            descriptor = os.open(os.path.join(self.folder, name), os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            found = os.fstat(descriptor)
            if not stat.S_ISREG(found.st_mode) or found.st_size > LARGEST:
                return None
            data = bytearray()
            while chunk := os.read(descriptor, max(found.st_size + 1 - len(data), 2**16)):
                data += chunk
                if len(data) > found.st_size:
                    return None  # grown while read
            if hashlib.sha256(data).hexdigest() != name:
                return None
            return data.decode()
        except (OSError, UnicodeDecodeError):
            return None
        finally:
            os.close(descriptor)

    def remove_unused(self, used: Container[str]) -> None:
        """Remove the files no kept text names, and what a killed build left aside."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name not in used and OWN_NAME.match(entry.name):
                _unlink(entry.path)


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):  # a folder, or one removed meanwhile
        os.unlink(path)


@dataclass(frozen=True, slots=True)
class KnownTexts(Mapping[TextKey, RenderedText]):
    """The texts a build cache holds, whole: their HTML read from `folder` as they are
    asked for (a text whose file is missing or damaged is not known)."""

    texts: Mapping[TextKey, RenderedText]
    """Each text without its HTML."""
    html: Mapping[TextKey, str]
    """The name of each text's HTML file."""
    folder: HtmlFolder

    def __getitem__(self, key: TextKey) -> RenderedText:
        text = self.texts[key]
        html = self.folder.get(self.html[key])
        if html is None:
            raise KeyError(key)
        return replace(text, html=html)

    def __contains__(self, key: object) -> bool:
        return key in self.html

    def __iter__(self) -> Iterator[TextKey]:
        return iter(self.html)

    def __len__(self) -> int:
        return len(self.html)
