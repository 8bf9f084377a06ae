"""BuildCache ↔ a cache file: typed MessagePack frames behind a CRC-32 (data only).

The file holds everything but the rendered texts' HTML, which lies beside it in files of
their own, named by their SHA-256 (incremental.texts): the file names them.

A cache file may be damaged, cut short, or written by someone else, so reading one never
runs code: it is MessagePack, which msgspec decodes into the cache's own dataclasses, every
field's type checked (no pickle, and no class is ever named by the data). Its key must be
that of the running policygen, Python and libraries; the CRC-32 at its end, that of its
bytes (as a zip or PNG file carries one: it finds a damaged or cut file, at a fifth of the
time a SHA-256 of 50 MB takes); and its items must hold together (output paths inside the
output folder, each policy filed under its own inputs, each document's text with its
SHA-256, which is what the manifest and the lock publish). A file that fails any of these is
refused whole: a cache only saves time, so nothing of a doubtful one is worth using.

The file is written and read as a stream of frames, each a batch of items, so that neither
holds more than one frame's bytes besides the cache itself:

    policygen build cache\n
    FORMAT KEY\n
    frames: a 4-byte big-endian length, then that many bytes of MessagePack
    a frame of length 0
    the CRC-32 of everything from KEY's line to the frame of length 0, in 8 hex digits
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import typing
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Any, BinaryIO, cast

import msgspec

from ..canonical import CanonicalText
from ..errors import Problem
from ..markdown import RenderedText
from ..model import Document, Policy, Revision
from ..output import Written
from ..parts import Part
from ..spool import Elsewhere, spooled
from ..spool import stored as stored_in
from .cache import AssemblyMemo, BuildCache

MAGIC = b"policygen build cache\n"
"""The first line of every cache file."""
FORMAT = 10
"""The version of the layout: a file of another is refused as made by other code."""
BATCH = 256
"""Items in a frame (one policy, which holds all of its texts, is a frame of its own)."""
SHA256 = re.compile(r"[0-9a-f]{64}\Z")
OUTPUT_PATH = re.compile(r"(?:(?!\.\.?/)[^/\\\0]+/)*(?!\.\.?\Z)[^/\\\0]+\Z")
"""A relative path of names, none of them empty, `.` or `..`, without a backslash or NUL."""
Index = Annotated[int, msgspec.Meta(ge=0)]
V = typing.TypeVar("V")


class CacheRefused(Exception):
    """A cache file that is not used, and why, in words that follow "the build cache at PATH"."""


class CacheDamaged(Exception):
    """A text of a cache file, read as a build asks for it, found not to be what the file
    says (which only a file written by someone else can hold: its CRC-32 was right)."""


def write_cache(cache: BuildCache, file: BinaryIO) -> None:
    """Write a cache file holding `cache` (redlines and compiled templates left out: they
    are made again for what a build makes again, and are not worth their size; the texts
    without their HTML, kept only if `cache.html` names a file for it).

    An item that cannot be kept exactly (a policy whose front matter holds values
    MessagePack does not tell apart, text that is not Unicode) is left out: the next build
    makes it again.
    """
    check = 0

    def put(chunk: bytes) -> None:
        nonlocal check
        file.write(chunk)
        check = zlib.crc32(chunk, check)

    file.write(MAGIC)
    put(f"{FORMAT} {cache.key}\n".encode())
    for frame in _frames(cache):
        if isinstance(frame, bytes):
            encoded = [frame]
        else:
            try:
                encoded = [_ENCODER.encode(frame)]
            except _UNENCODABLE:
                encoded = list(_one_by_one(frame))
        for data in encoded:
            put(len(data).to_bytes(4, "big"))
            put(data)
    put(bytes(4))
    file.write(f"{check:08x}".encode())


def read_cache(file: BinaryIO, key: str) -> BuildCache:
    """The cache a cache file holds, if it was made with `key`; raises CacheRefused."""
    if file.read(len(MAGIC)) != MAGIC:
        raise CacheRefused("is not a policygen build cache")
    made_with = file.readline(len(f"{FORMAT} {key}\n") + 1)
    if made_with != f"{FORMAT} {key}\n".encode():
        raise CacheRefused("was made by another version of policygen, Python or a library")
    check = zlib.crc32(made_with)
    frames = []
    policies: dict[str, bytes] = {}
    try:
        while True:
            length = file.read(4)
            if len(length) != 4:
                raise ValueError("cut short")
            check = zlib.crc32(length, check)
            if not (size := int.from_bytes(length, "big")):
                break
            data = file.read(size)
            if len(data) != size:
                raise ValueError("cut short")
            check = zlib.crc32(data, check)
            frames.append(_DECODER.decode(data))
            if isinstance(frames[-1], _Policies) and len(frames[-1].items) == 1:
                policies[next(iter(frames[-1].items))] = data
        if file.read(9) != f"{check:08x}".encode():
            raise ValueError("not the CRC-32 of its content")
        cache = _load(frames, key)
        cache.encoded_policies = {
            digest: (cache.assembly.policies[digest][0], data) for digest, data in policies.items()
        }
        return cache
    except (msgspec.DecodeError, LookupError, ValueError, RecursionError) as exc:
        raise CacheRefused("was damaged") from exc


# What a policy is kept as. A policy's documents share their texts: each revision's source
# files and canonical texts are kept once, and its documents point at them by index. The
# canonical texts, the bulk of a cache file, are read out of it only when a build asks for
# one (see `_KeptTexts`): most builds make the pages of a few texts.


def _stored_shape(
    model: type[Any], changed: Mapping[str, Any], added: Iterable[tuple[str, Any]] = ()
) -> type[msgspec.Struct]:
    """A Struct with the fields of the dataclass `model` (some of their types `changed`)."""
    hints = typing.get_type_hints(model)
    fields = [(f.name, changed.get(f.name, hints[f.name])) for f in dataclasses.fields(model)]
    return msgspec.defstruct(
        f"Stored{model.__name__}",
        [*fields, *added],
        array_like=True,
        forbid_unknown_fields=True,
        frozen=True,
    )


_StoredDocument = _stored_shape(Document, {"source": Index, "canonical": Index})
"""A Document, its source file and canonical text as indexes into its revision's."""
_StoredRevision = _stored_shape(
    Revision,
    {"documents": tuple[tuple[tuple[str, str], _StoredDocument], ...]},  # type: ignore[valid-type]
    [
        ("canonical_lines", tuple[tuple[int, ...], ...]),
        ("canonical_texts", msgspec.Raw),
        # The MessagePack of the canonical texts' tuple[str, ...], read when one is asked for.
    ],
)
_StoredPolicy = _stored_shape(
    Policy,
    {
        "revisions": tuple[_StoredRevision, ...],  # type: ignore[valid-type]
        "scheduled": tuple[_StoredRevision, ...],  # type: ignore[valid-type]
    },
)


_FIELDS = {
    model: tuple(f.name for f in dataclasses.fields(model))
    for model in (Policy, Revision, Document)
}


def _fields(value: Any, model: type[Any]) -> dict[str, Any]:
    """The values of `model`'s fields in `value` (a `model`, or a Struct of its shape)."""
    return {name: getattr(value, name) for name in _FIELDS[model]}


def _store_policy(policy: Policy) -> Any:
    """The policy as kept, or None when it cannot be kept exactly."""
    revisions = [_store_revision(r) for r in (*policy.revisions, *policy.scheduled)]
    if any(revision is None for revision in revisions):
        return None
    published = len(policy.revisions)
    fields = _fields(policy, Policy)
    fields.update(revisions=tuple(revisions[:published]), scheduled=tuple(revisions[published:]))
    return _StoredPolicy(**fields)


def _store_revision(revision: Revision) -> Any:
    if not all(_is_plain(source.extra) for source in revision.sources):
        return None
    sources = {id(source): index for index, source in enumerate(revision.sources)}
    # A revision whose documents were kept from the last build (its files unchanged) holds
    # the same source texts as they do, read anew: equal, not the same objects.
    by_place = {source.location: index for index, source in enumerate(revision.sources)}
    # A document's extra is usually its source file's: checked once.
    plain = {id(source.extra) for source in revision.sources}
    canonicals: dict[int, int] = {}
    texts: list[CanonicalText] = []
    documents = []
    for key, document in revision.documents.items():
        if id(document.source) not in sources:
            index = by_place.get(document.source.location)
            if index is None or revision.sources[index] != document.source:
                return None
            sources[id(document.source)] = index
        if id(document.extra) not in plain and not _is_plain(document.extra):
            return None
        if id(document.canonical) not in canonicals:
            canonicals[id(document.canonical)] = len(texts)
            texts.append(document.canonical)
        fields = _fields(document, Document)
        fields["source"] = sources[id(document.source)]
        fields["canonical"] = canonicals[id(document.canonical)]
        documents.append((key, _StoredDocument(**fields)))
    fields = _fields(revision, Revision)
    fields["documents"] = tuple(documents)
    encoded = _kept_as_they_were(texts)
    if encoded is None:
        try:
            encoded = msgspec.Raw(_ENCODER.encode(tuple(text.text for text in texts)))
        except _UNENCODABLE:  # a lone surrogate is not UTF-8
            return None
    return _StoredRevision(
        **fields,
        canonical_lines=tuple(text.file_lines for text in texts),
        canonical_texts=encoded,
    )


def _kept_as_they_were(texts: list[CanonicalText]) -> msgspec.Raw | None:
    """The bytes `texts` were read from, when they are all a revision's texts of a cache file,
    in their order there (a revision whose files did not change): kept as they were."""
    kept = [stored_in(text, "text") for text in texts]
    first = kept[0] if kept else None
    if not isinstance(first, _KeptText) or len(kept) != len(first.texts.digests):
        return None
    if all(
        isinstance(each, _KeptText) and each.texts is first.texts and each.index == index
        for index, each in enumerate(kept)
    ):
        return first.texts.data
    return None


class _KeptTexts:
    """A revision's canonical texts in a cache file, read out of it once one is asked for."""

    __slots__ = ("data", "digests", "texts")
    _DECODER = msgspec.msgpack.Decoder(tuple[str, ...])

    def __init__(self, data: msgspec.Raw, digests: list[str]) -> None:
        self.data = data
        self.digests = digests
        """The SHA-256 each text must have: its documents'."""
        self.texts: tuple[str, ...] = ()

    def text(self, index: int) -> str:
        if not self.texts:
            try:
                texts = self._DECODER.decode(self.data)
            except msgspec.DecodeError as exc:
                raise CacheDamaged("holds a text that cannot be read") from exc
            # The SHA-256 of a text is what the manifest and the lock publish for it: a cache
            # never pairs a text with another's.
            if len(texts) != len(self.digests) or any(
                hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() != digest
                for text, digest in zip(texts, self.digests, strict=False)
            ):
                raise CacheDamaged("holds a text that does not have its SHA-256")
            self.texts = texts
        return self.texts[index]


class _KeptText(Elsewhere):
    """One of a revision's canonical texts in a cache file."""

    __slots__ = ("index", "texts")

    def __init__(self, texts: _KeptTexts, index: int) -> None:
        self.texts = texts
        self.index = index

    def read(self) -> str:
        return self.texts.text(self.index)


def _load_policy(stored: Any) -> Policy:
    fields = _fields(stored, Policy)
    fields["revisions"] = tuple(map(_load_revision, stored.revisions))
    fields["scheduled"] = tuple(map(_load_revision, stored.scheduled))
    return Policy(**fields)


def _load_revision(stored: Any) -> Revision:
    count = len(stored.canonical_lines)
    digests: list[str | None] = [None] * count
    for _, kept in stored.documents:
        if digests[kept.canonical] not in (None, kept.sha256):
            raise ValueError("two documents of one text have different SHA-256s")
        digests[kept.canonical] = kept.sha256
    if None in digests:
        raise ValueError("a canonical text that no document shows")
    texts = _KeptTexts(stored.canonical_texts, cast(list[str], digests))
    canonicals = [
        spooled(CanonicalText("", lines), text=_KeptText(texts, index))
        for index, lines in enumerate(stored.canonical_lines)
    ]
    documents = {}
    for key, kept in stored.documents:
        fields = _fields(kept, Document)
        fields["source"] = stored.sources[kept.source]
        fields["canonical"] = canonicals[kept.canonical]
        documents[key] = Document(**fields)
    fields = _fields(stored, Revision)
    fields["documents"] = documents
    return Revision(**fields)


def _is_plain(value: object) -> bool:
    """Whether MessagePack gives `value` back exactly: no dates, tuples, sets or other keys
    than text, which front matter's `extra` may hold."""
    if value is None or type(value) in (str, bool, float):
        return True
    if type(value) is int:
        return -(2**63) <= value < 2**64
    if type(value) is list:
        return all(map(_is_plain, value))
    if type(value) is dict:
        return all(type(k) is str and _is_plain(v) for k, v in value.items())
    return False


# The frames.


class _Frame(msgspec.Struct, array_like=True, forbid_unknown_fields=True, frozen=True, tag=True):
    pass


class _Output(_Frame, frozen=True):
    path: str
    """The output folder the files and parts describe."""


class _Files(_Frame, frozen=True):
    items: dict[str, Written]


class _Folders(_Frame, frozen=True):
    items: dict[str, tuple[int, ...]]


class _SpareFiles(_Frame, frozen=True):
    items: dict[str, Written | None]
    """The spare's files where they differ from the output's (None: not in the spare)."""


class _SpareFolders(_Frame, frozen=True):
    items: dict[str, tuple[int, ...] | None]
    """The spare's folders where they differ from the output's (None: not in the spare)."""


class _Parts(_Frame, frozen=True):
    items: dict[str, tuple[str, ...]]


class _PartKeys(_Frame, frozen=True):
    items: dict[str, tuple[tuple[tuple[Part, str], ...], str]]


class _Texts(_Frame, frozen=True):
    items: dict[tuple[str, str, int], tuple[RenderedText, str]]
    """Each text without its HTML, and the name of its HTML's file."""


class _Manifest(_Frame, frozen=True):
    items: dict[str, tuple[dict[str, Any], str]]


class _Policies(_Frame, frozen=True):
    items: dict[str, tuple[_StoredPolicy, tuple[Problem, ...]]]  # type: ignore[valid-type]


class _CheckedFiles(_Frame, frozen=True):
    items: dict[Annotated[bytes, msgspec.Meta(min_length=32, max_length=32)], None]
    """The SHA-256 of each file of the site found to hold no forbidden character."""


class _Documents(_Frame, frozen=True):
    items: dict[str, tuple[str, str]]
    """Each revision's documents in the assembly memo: the policy's digest, the revision's id."""


_ItemFrame = (
    _Files
    | _Folders
    | _SpareFiles
    | _SpareFolders
    | _Parts
    | _PartKeys
    | _Texts
    | _Manifest
    | _Policies
    | _Documents
    | _CheckedFiles
)
_DECODER = msgspec.msgpack.Decoder(_Output | _ItemFrame)
_ENCODER = msgspec.msgpack.Encoder()
_UNENCODABLE = (msgspec.EncodeError, TypeError, ValueError, OverflowError)


def _frames(cache: BuildCache) -> Iterator[_Output | _ItemFrame | bytes]:
    yield _Output(cache.output)
    yield from _batches(_Files, cache.files)
    yield from _batches(_Folders, cache.folders)
    # The spare is the output before last: mostly the same files, often linked.
    yield from _batches(_SpareFiles, _differences(cache.spare_files, cache.files))
    yield from _batches(_SpareFolders, _differences(cache.spare_folders, cache.folders))
    yield from _batches(_Parts, cache.parts)
    part_keys = {key: (tuple(parts), views) for key, (parts, views) in cache.part_keys.items()}
    yield from _batches(_PartKeys, part_keys)
    texts = {
        key: (dataclasses.replace(text, html="") if text.html else text, cache.html[key])
        for key, text in cache.texts.items()
        if key in cache.html
    }
    yield from _batches(_Texts, texts)
    manifest = {key: item for key, item in cache.manifest.items() if _is_plain(item[0])}
    yield from _batches(_Manifest, manifest)
    kept = set()
    for digest, (policy, problems) in cache.assembly.policies.items():
        read, data = cache.encoded_policies.get(digest, (None, b""))
        if read is policy:
            # The policy read from these bytes (their CRC-32 checked): written again as it was.
            kept.add(digest)
            yield data
        elif (stored := _store_policy(policy)) is not None:
            kept.add(digest)
            yield _Policies({digest: (stored, problems)})
    # Each revision's documents are the memo's by identity: kept as the revision they are.
    revisions = {
        id(revision.documents): (digest, revision.id)
        for digest, (policy, _) in cache.assembly.policies.items()
        if digest in kept
        for revision in policy.all_revisions
    }
    documents = {
        key: revisions[id(documents)]
        for key, documents in cache.assembly.documents.items()
        if id(documents) in revisions
    }
    yield from _batches(_Documents, documents)
    yield from _batches(_CheckedFiles, dict.fromkeys(sorted(cache.checked_files)))


def _differences(kept: Mapping[str, V], other: Mapping[str, V]) -> dict[str, V | None]:
    """What turns `other` into `kept`: its items that differ, and None for those it lacks."""
    changed: dict[str, V | None] = {k: v for k, v in kept.items() if other.get(k) != v}
    changed.update((k, None) for k in other.keys() - kept.keys())
    return changed


def _with_differences(other: Mapping[str, V], changes: Mapping[str, V | None]) -> dict[str, V]:
    """`other` turned by `changes` (from `_differences`)."""
    kept = {k: v for k, v in other.items() if k not in changes}
    kept.update((k, v) for k, v in changes.items() if v is not None)
    return kept


def _batches(frame: type[_ItemFrame], items: Mapping[Any, Any]) -> Iterator[_ItemFrame]:
    batch: dict[Any, Any] = {}
    for key, value in items.items():
        batch[key] = value
        if len(batch) == BATCH:
            yield frame(batch)
            batch = {}
    if batch:
        yield frame(batch)


def _one_by_one(frame: _Output | _ItemFrame) -> Iterator[bytes]:
    """The items of a frame that cannot be encoded whole, each in a frame of its own, but
    those that cannot be encoded (text that is not Unicode: a lone surrogate is not UTF-8)."""
    if isinstance(frame, _Output):
        return
    items: Mapping[Any, Any] = frame.items
    for key, value in items.items():
        try:
            yield _ENCODER.encode(type(frame)({key: value}))
        except _UNENCODABLE:
            continue


def _load(frames: list[_Output | _ItemFrame], key: str) -> BuildCache:
    """The cache the frames hold; raises ValueError where its items do not hold together."""
    cache = BuildCache(key)
    stored: dict[type[_Frame], dict[Any, Any]] = {}
    for frame in frames:
        if isinstance(frame, _Output):
            cache.output = frame.path
        else:
            stored.setdefault(type(frame), {}).update(frame.items)
    cache.files = _checked_files(stored.get(_Files, {}))
    spare_files = stored.get(_SpareFiles, {})
    _checked_files({path: file for path, file in spare_files.items() if file is not None})
    cache.spare_files = _with_differences(cache.files, spare_files)
    cache.folders = stored.get(_Folders, {})
    spare_folders = stored.get(_SpareFolders, {})
    if not all(map(_is_output_path, [*cache.folders, *spare_folders])):
        raise ValueError("bad output folder")
    cache.spare_folders = _with_differences(cache.folders, spare_folders)
    cache.parts = stored.get(_Parts, {})
    for paths in cache.parts.values():
        if not all(path in cache.files for path in paths):
            raise ValueError("a part's file is not in the output")
    cache.part_keys = {k: (list(p), v) for k, (p, v) in stored.get(_PartKeys, {}).items()}
    for parts, _ in cache.part_keys.values():
        if not all(SHA256.match(key) for _, key in parts):
            raise ValueError("a part's key is not a SHA-256")
    texts = stored.get(_Texts, {})
    cache.texts = {key: text for key, (text, _) in texts.items()}
    cache.html = {key: name for key, (_, name) in texts.items()}
    for text in cache.texts.values():
        if text.html:
            raise ValueError("a text's HTML is in the cache file")
    if not all(map(SHA256.match, cache.html.values())):
        raise ValueError("a text's HTML file is not named by a SHA-256")
    cache.manifest = stored.get(_Manifest, {})
    policies = {}
    for digest, (kept, problems) in stored.get(_Policies, {}).items():
        policy = _load_policy(kept)
        if policy.inputs != digest:
            raise ValueError("a policy is filed under other inputs")
        policies[digest] = (policy, problems)
    documents = {}
    for memo_key, (digest, revision_id) in stored.get(_Documents, {}).items():
        found = [r for r in policies[digest][0].all_revisions if r.id == revision_id]
        if len(found) != 1:
            raise ValueError("a revision's documents are not in its policy")
        documents[memo_key] = found[0].documents
    cache.assembly = AssemblyMemo(policies, documents)
    cache.checked_files = frozenset(stored.get(_CheckedFiles, {}))
    return cache


def _checked_files(files: dict[str, Written]) -> dict[str, Written]:
    """`files`, if each is a file inside the output folder with a SHA-256 and a size."""
    for path, file in files.items():
        if not _is_output_path(path) or not SHA256.match(file.digest) or file.size < 0:
            raise ValueError(f"bad output file {path!r}")
    return files


def _is_output_path(path: str) -> bool:
    """Whether `path` names a file inside the output folder, as the output writes them."""
    return OUTPUT_PATH.match(path) is not None
