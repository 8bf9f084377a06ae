"""Texts of the model → a temporary file, and back when they are read.

A build holds the model of the whole site while its pages are made, but only ever reads a
few of its texts at a time. So the big texts of the model (each source file's text and
body, each canonical text) are written to one unnamed temporary file as they are read, and
the model keeps where each is: its memory is then the site's structure, not its words, and
a site ten times larger needs little more of it. A text is read back (from the operating
system's file cache, usually) each time it is asked for.

A value whose text is spooled is an instance of a subclass of its own frozen dataclass, in
which that field is a property: code that reads it sees the same type and fields.
The file belongs to the process that made it. A process forked from it reads it, but what
it would write there is kept in memory instead, since several processes writing to one
file would overwrite each other's texts. Where no temporary file can be made, texts stay in
memory too: the build is the same, only larger.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tempfile
import threading
from typing import IO, Any, TypeVar

T = TypeVar("T")

SMALLEST = 512
"""Texts shorter than this stay in memory: a handle and a read would cost more."""


@dataclasses.dataclass(frozen=True, slots=True)
class StoredText:
    """Where a text is in the spool file."""

    offset: int
    size: int
    """In bytes of UTF-8."""

    def read(self) -> str:
        return _SPOOL.read(self)


class _Spool:
    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._owner = 0
        self._end = 0
        self._lock = threading.Lock()
        self._broken = False

    def write(self, text: str) -> StoredText | None:
        """Where `text` was written, or None where it stays in memory."""
        if self._broken or len(text) < SMALLEST:
            return None
        data = text.encode("utf-8", "surrogatepass")
        with self._lock:
            try:
                if self._file is None or self._owner != os.getpid():
                    if self._file is not None:
                        return None  # a forked worker: the file is its parent's
                    # Open while the process lives: it is removed when closed.
                    self._file = tempfile.TemporaryFile(prefix="policygen-")  # noqa: SIM115
                    self._owner = os.getpid()
                offset = self._end
                written = os.pwrite(self._file.fileno(), data, offset)
                while written < len(data):
                    written += os.pwrite(self._file.fileno(), data[written:], offset + written)
            except OSError:
                # No temporary file, or a full disk: the texts stay in memory.
                self._broken = True
                return None
            self._end += len(data)
        return StoredText(offset, len(data))

    def read(self, stored: StoredText) -> str:
        assert self._file is not None  # a StoredText is made only once the file exists
        data = os.pread(self._file.fileno(), stored.size, stored.offset)
        while len(data) < stored.size:
            more = os.pread(self._file.fileno(), stored.size - len(data), stored.offset + len(data))
            if not more:
                raise OSError(
                    f"the temporary file of the build's texts was cut short at {stored.offset + len(data)}"
                )
            data += more
        return data.decode("utf-8", "surrogatepass")


_SPOOL = _Spool()


def spooled(value: T, field: str, text: str | StoredText) -> T:
    """`value` (a frozen dataclass with slots) with its text field `field` kept in the spool
    file (`text`: that field's text, or where a text already spooled is); `value` itself when
    the text stays in memory."""
    if stored_text(value) is not None:
        return value
    stored = text if isinstance(text, StoredText) else _SPOOL.write(text)
    if stored is None:
        return value
    kind = _spooled_class(type(value), field)  # type: ignore[arg-type]
    copy = object.__new__(kind)
    for each in dataclasses.fields(value):  # type: ignore[arg-type]
        if each.name != field:
            object.__setattr__(copy, each.name, getattr(value, each.name))
    object.__setattr__(copy, "_stored", stored)
    return copy  # type: ignore[no-any-return]


def stored_text(value: object) -> StoredText | None:
    """Where the spooled text of `value` is (None: it is not spooled)."""
    return getattr(value, "_stored", None) if type(value) in _SPOOLED else None


@functools.cache
def _spooled_class(model: type[Any], field: str) -> type[Any]:
    names = [each.name for each in dataclasses.fields(model)]

    def read(self: Any) -> str:
        return _SPOOL.read(self._stored)

    def values(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)

    def equals(self: Any, other: object) -> Any:
        if not isinstance(other, model):
            return NotImplemented
        return values(self) == tuple(getattr(other, name) for name in names)

    def reduce(self: Any) -> tuple[Any, ...]:
        # Sent to another process (pickled) as the plain value, its text in it.
        return (model, values(self))

    kind = type(
        f"Spooled{model.__name__}",
        (model,),
        {
            "__slots__": ("_stored",),
            "__doc__": f"A {model.__name__} whose {field} is read from the spool file.",
            field: property(read),
            "__eq__": equals,
            "__hash__": lambda self: hash(values(self)),
            "__reduce__": reduce,
        },
    )
    _SPOOLED.add(kind)
    return kind


_SPOOLED: set[type[Any]] = set()
"""The classes `spooled` made."""
