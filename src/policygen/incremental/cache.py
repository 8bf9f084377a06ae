"""BuildCache: what a build keeps for the next, by hashes of inputs (data only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..diffing import Redline
from ..errors import Problem
from ..loading import LockEntries
from ..manifest import PolicyEntry
from ..markdown import RenderedText
from ..model import Document, Policy
from ..output import Written
from ..parts import Part
from ..sources import SourceFile, Status, ThemeFiles
from ..templates import Templates


@dataclass(slots=True)
class AssemblyMemo:
    """What the last assembly made, by hashes of its inputs."""

    policies: dict[str, tuple[Policy, tuple[Problem, ...]]] = field(default_factory=dict)
    """Policies and their problems, by `Policy.inputs`."""
    documents: dict[str, Mapping[tuple[str, str], Document]] = field(default_factory=dict)
    """A revision's documents, by a hash of its files, its policy's settings and site.yaml."""


SPARE_FOLDER = "spare"
"""The folder of the cache folder that holds the output before last (see output.Spare)."""

PartsMemo = dict[str, tuple[list[tuple[Part, str]], str]]
"""The parts of each policy with their keys, and a hash of its views, by a hash of the
policy's and the site's inputs."""
ManifestMemo = dict[str, PolicyEntry]
"""Each policy's part of the manifest and its JSON, by the policy's inputs and the site's URL."""


@dataclass(slots=True)
class BuildCache:
    """What a build keeps for the next, by hashes of inputs: serve holds it in memory,
    `policygen build` in its cache folder. Deleting it only makes the next build slower."""

    key: str = ""
    """The policygen, Python and libraries it was made with (`environment_key`): a build
    with others starts from an empty cache."""
    assembly: AssemblyMemo = field(default_factory=AssemblyMemo)
    texts: dict[tuple[str, str, int], RenderedText] = field(default_factory=dict)
    """Rendered texts by SHA-256 of the canonical text and where it is (for its problems):
    whole when the cache is held in memory (serve), else without their HTML, which `html`
    names in `folder`."""
    html: dict[tuple[str, str, int], str] = field(default_factory=dict)
    """The name of each text's HTML file in `folder` (see incremental.texts)."""
    folder: str = ""
    """The cache folder the cache is kept in (empty: held in memory only)."""
    checked_files: frozenset[bytes] = frozenset()
    """The SHA-256 of each file of the site the last build read and found to hold no
    character that must not be published (see sources.CheckedTexts)."""
    read_files: dict[str, tuple[Status, SourceFile]] = field(default_factory=dict)
    """The files of the site this process read in the last build, with their status (see
    sources.CheckedTexts); not kept in a cache folder."""
    theme: ThemeFiles | None = None
    """The built-in theme, as this process read it; not kept in a cache folder."""
    lock: tuple[bytes, LockEntries, list[Problem]] | None = None
    """The entries of policies.lock and the problems of its lines, with the SHA-256 of the
    bytes they were read from; not kept in a cache folder."""
    encoded_policies: dict[str, tuple[Policy, bytes]] = field(default_factory=dict)
    """Each policy read from the cache file, by its inputs, with the bytes it was read from:
    saving the cache writes them again rather than encoding the same policy anew."""
    redlines: dict[tuple[str, str], Redline] = field(default_factory=dict)
    """Redlines computed in the build process (worker processes drop theirs)."""
    manifest: ManifestMemo = field(default_factory=dict)
    """Each policy's part of the manifest, by its inputs."""
    templates: dict[str, tuple[Templates, list[Problem]]] = field(default_factory=dict)
    """The templates of the last build, by a hash of the templates, catalogs and languages."""
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The paths each part of the site wrote, by its key."""
    part_keys: PartsMemo = field(default_factory=dict)
    """Each policy's parts, keyed, by a hash of its inputs and the site's."""
    files: dict[str, Written] = field(default_factory=dict)
    """Every file of the output folder, as the last build left it."""
    folders: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """The stamps of the output folder's folders, as the last build left them."""
    spare_files: dict[str, Written] = field(default_factory=dict)
    """The files of the output before last, kept in the cache folder as `spare` (see
    output.Spare); empty when none is kept."""
    spare_folders: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """The stamps of its folders."""
    output: str = ""
    """The output folder `parts`, `files`, `folders` and the spare describe."""
    is_output_own: bool = False
    """Whether this process itself left `files` in the output (serve's rebuilds), rather than
    a cache file saying so: only then are they not read back before they are kept."""

    def keep_only_for(self, key: str) -> None:
        """Empty the cache unless it was made with the policygen, Python and libraries of `key`."""
        if self.key != key:
            empty = BuildCache(key, folder=self.folder)
            for kept in dataclasses.fields(self):
                setattr(self, kept.name, getattr(empty, kept.name))
