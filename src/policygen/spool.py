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

import abc
import array
import dataclasses
import functools
import os
import tempfile
import threading
from typing import IO, Any, TypeVar

T = TypeVar("T")

SMALLEST = 512
"""Texts shorter than this stay in memory: a handle and a read would cost more."""


class Elsewhere(abc.ABC):
    """A value kept out of the model, and read each time it is asked for: in the spool file
    (`Stored`), or in a build cache file."""

    __slots__ = ()

    @abc.abstractmethod
    def read(self) -> Any:
        """The value."""


@dataclasses.dataclass(frozen=True, slots=True)
class Stored(Elsewhere):
    """Where a text, or a sequence of numbers, is in the spool file."""

    offset: int
    size: int
    """In bytes."""
    is_text: bool
    """A text (UTF-8), or line numbers (unsigned 32-bit integers)."""

    def read(self) -> str | tuple[int, ...]:
        data = _SPOOL.read(self)
        if self.is_text:
            return data.decode("utf-8", "surrogatepass")
        return tuple(array.array(_NUMBERS, data))


_NUMBERS = "I" if array.array("I").itemsize == 4 else "L"


class _Spool:
    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._owner = 0
        self._end = 0
        self._lock = threading.Lock()
        self._broken = False
        self.is_off = False

    def write(self, data: bytes, is_text: bool) -> Stored | None:
        """Where `data` was written, or None where it stays in memory."""
        if self._broken or self.is_off:
            return None
        with self._lock:
            try:
                if self._file is None or self._owner != os.getpid():
                    if self._file is not None:
                        return None  # a forked worker: the file is its parent's
                    # Open while the process lives: it is removed when closed.
                    self._file = tempfile.TemporaryFile(prefix="policygen-")  # noqa: SIM115
                    self._owner = os.getpid()
                offset = self._end
                written = 0
                while written < len(data):
                    written += os.pwrite(self._file.fileno(), data[written:], offset + written)
            except OSError:
                # No temporary file, or a full disk: the texts stay in memory.
                self._broken = True
                return None
            self._end += len(data)
        return Stored(offset, len(data), is_text)

    def read(self, stored: Stored) -> bytes:
        assert self._file is not None  # a Stored is made only once the file exists
        data = os.pread(self._file.fileno(), stored.size, stored.offset)
        while len(data) < stored.size:
            more = os.pread(self._file.fileno(), stored.size - len(data), stored.offset + len(data))
            if not more:
                raise OSError("the temporary file of the build's texts was cut short")
            data += more
        return data


_SPOOL = _Spool()


def keep_in_memory(is_kept: bool = True) -> None:
    """Keep texts in memory from now on (or, with False, in the spool file again), in this
    process: one that reads the site again and again (`policygen serve`) would add the whole
    site to the spool file at each reading."""
    _SPOOL.is_off = is_kept


def spooled(value: T, **fields: str | tuple[int, ...] | Elsewhere) -> T:
    """`value` (a frozen dataclass with slots) with the given fields (texts, or tuples of
    line numbers) kept in the spool file (or where such a value already is: `Elsewhere`);
    `value` itself when they stay in memory (it is spooled already, the values are short,
    or there is no spool file)."""
    if type(value) in _SPOOLED:
        return value
    kept: dict[str, Elsewhere] = {}
    for name, field in fields.items():
        if isinstance(field, Elsewhere):
            kept[name] = field
        elif isinstance(field, str) and len(field) >= SMALLEST:
            stored = _SPOOL.write(field.encode("utf-8", "surrogatepass"), True)
            if stored is not None:
                kept[name] = stored
        elif isinstance(field, tuple) and len(field) >= SMALLEST // 8:
            stored = _SPOOL.write(array.array(_NUMBERS, field).tobytes(), False)
            if stored is not None:
                kept[name] = stored
    if not kept:
        return value
    kind = _spooled_class(type(value), tuple(kept))  # type: ignore[arg-type]
    copy = object.__new__(kind)
    for each in dataclasses.fields(value):  # type: ignore[arg-type]
        if each.name not in kept:
            object.__setattr__(copy, each.name, getattr(value, each.name))
    object.__setattr__(copy, "_stored", tuple(kept.values()))
    return copy  # type: ignore[no-any-return]


def stored(value: object, field: str) -> Elsewhere | None:
    """Where the spooled `field` of `value` is (None: it is not spooled)."""
    names = _SPOOLED.get(type(value), ())
    return value._stored[names.index(field)] if field in names else None  # type: ignore[attr-defined]


@functools.cache
def _spooled_class(model: type[Any], spooled_fields: tuple[str, ...]) -> type[Any]:
    names = [each.name for each in dataclasses.fields(model)]

    def reader(index: int) -> property:
        return property(lambda self: self._stored[index].read())

    def values(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)

    def equals(self: Any, other: object) -> Any:
        if not isinstance(other, model):
            return NotImplemented
        return values(self) == tuple(getattr(other, name) for name in names)

    def reduce(self: Any) -> tuple[Any, ...]:
        # Sent to another process (pickled) as the plain value, its texts in it.
        return (model, values(self))

    kind = type(
        f"Spooled{model.__name__}",
        (model,),
        {
            "__slots__": ("_stored",),
            "__doc__": f"A {model.__name__} whose {', '.join(spooled_fields)} are read where they are kept.",
            **{name: reader(index) for index, name in enumerate(spooled_fields)},
            "__eq__": equals,
            "__hash__": lambda self: hash(values(self)),
            "__reduce__": reduce,
        },
    )
    _SPOOLED[kind] = spooled_fields
    return kind


_SPOOLED: dict[type[Any], tuple[str, ...]] = {}
"""The classes `spooled` made, and the fields each reads from the spool file."""
