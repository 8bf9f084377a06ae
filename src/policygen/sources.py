"""A site folder → the text of every source file policygen reads (the only reader of content)."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from . import __version__
from .characters import check_name, check_text
from .errors import BuildFailed, Problem, SourceLocation, error, printable
from .spool import spooled
from .urls import NAMES_TAKEN, SCHEMA_FILES, STATIC_FOLDER

SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
LEFTOVERS = re.compile(
    r"(\.DS_Store|\._.*|Thumbs\.db|desktop\.ini|\.gitkeep|\.keep|\.gitignore|\.gitattributes"
    r"|.*~|\..*\.sw[a-p]|\.#.*|#.*#)\Z"
)
"""Files that operating systems, git and editors leave in folders, which nobody means as
content: skipped. Any other name that starts with a dot is an error in content/, since
file browsers hide it and whatever it holds would be left out without anyone seeing."""
SKIPPED = ".DS_Store, Thumbs.db, desktop.ini, .gitkeep, .gitignore and editors' backup files"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The text of one file of the site."""

    path: str
    """Path relative to the site folder, with forward slashes."""
    text: str
    """Decoded UTF-8, line endings made LF, without a byte order mark."""
    digest: bytes
    """SHA-256 of the bytes it was read from."""

    @property
    def location(self) -> SourceLocation:
        return SourceLocation(self.path)


class Status(NamedTuple):
    """What the system says of a file that changes whenever its bytes do."""

    device: int
    inode: int
    size: int
    modified_ns: int
    """When its bytes last changed."""
    changed_ns: int
    """When its status last changed (its bytes, its name, its permissions): no program can
    set it back."""


SETTLED_NS = 2_000_000_000
"""How long before a reading a file must have last changed for its status to be trusted:
a file's times are kept to a clock tick, and one written twice within a tick, its size the
same, keeps its status."""


@dataclass(slots=True)
class CheckedTexts:
    """What an earlier reading of the site found, so that this one does less.

    The files found to hold no character that must not be published, by the SHA-256 of their
    bytes: a file with the same bytes is not searched again. And the files read earlier in
    this process, with their status: a file whose status is the same is not read again (serve
    reads the site on every change, where one file changed).
    """

    known: frozenset[bytes] = frozenset()
    files: Mapping[str, tuple[Status, SourceFile]] = field(default_factory=dict)
    found: set[bytes] = field(default_factory=set)
    """The SHA-256 of the files read now, found to hold no such character: what the next
    reading knows."""
    found_files: dict[str, tuple[Status, SourceFile]] = field(default_factory=dict)
    """The files read now whose status settled before they were read."""
    started: int = field(default_factory=time.time_ns)

    def check(self, digest: bytes, text: str, where: SourceLocation) -> list[Problem]:
        """`check_text` of a file's `text`, unless its bytes (whose SHA-256 is `digest`) are
        known."""
        problems = [] if digest in self.known else check_text(text, where)
        if not problems:
            self.found.add(digest)
        return problems

    def read_before(self, relative: str, status: Status) -> SourceFile | None:
        """The file as read before, if its status is the same."""
        earlier = self.files.get(relative)
        if earlier is None or earlier[0] != status:
            return None
        self.found.add(earlier[1].digest)
        self.found_files[relative] = earlier
        return earlier[1]

    def remember(self, source: SourceFile, status: Status) -> None:
        if max(status.modified_ns, status.changed_ns) < self.started - SETTLED_NS:
            self.found_files[source.path] = (status, source)


@dataclass(frozen=True, slots=True)
class SiteSources:
    """Everything read from a site folder."""

    root: Path
    """The site folder, resolved."""
    config: SourceFile | None
    """site.yaml, when present."""
    policy_settings: tuple[SourceFile, ...]
    """content/<policy>/policy.yaml files."""
    documents: tuple[SourceFile, ...]
    """content/<policy>/<revision>/*.md files."""
    revision_folders: tuple[str, ...]
    """content/<policy>/<revision> folders, including empty ones."""
    catalogs: tuple[SourceFile, ...]
    """locales/<lang>/LC_MESSAGES/messages.po files."""
    unreadable: frozenset[str]
    """Files that could not be read (already reported), so that nothing else is said of them."""
    lock: SourceFile | None = None
    """policies.lock, when present."""
    template_files: tuple[tuple[str, bytes], ...] = ()
    """(name, content) of the files in templates/ (UTF-8 text), name relative to that folder."""


def read_site(root: Path, checked: CheckedTexts | None = None) -> tuple[SiteSources, list[Problem]]:
    """Read every source file of the site at `root`, reporting unreadable or misplaced files
    (a file `checked` knows is not searched for forbidden characters again)."""
    root = root.resolve()
    problems: list[Problem] = []
    reader = _Reader(root, problems, checked)
    config = reader.read_named_file(root / "site.yaml")
    if config is None and not os.path.lexists(root / "site.yaml"):
        problems.append(
            error(
                SourceLocation("site.yaml"),
                "missing-file",
                f"no site.yaml in {root}: is this a policygen site folder?",
            )
        )

    policy_settings: list[SourceFile] = []
    documents: list[SourceFile] = []
    revision_folders: list[str] = []
    content = root / "content"
    for policy_dir in reader.entries(content, is_content=True):
        if not reader.expect_folder(policy_dir, "policy"):
            continue
        for entry in reader.entries(policy_dir, is_content=True):
            if entry.name == "policy.yaml" and entry.is_file():
                if (source := reader.read(entry)) is not None:
                    policy_settings.append(source)
            elif reader.expect_folder(entry, "revision", also="or the file policy.yaml"):
                revision_folders.append(reader.relative(entry))
                for file in reader.entries(entry, is_content=True):
                    status = _status(file)
                    if file.suffix != ".md" or (status is None and file.is_dir()):
                        reader.misplaced(
                            file,
                            "a revision folder holds only Markdown files named <language>.md or <language>.<region>.md",
                        )
                    elif status is None:
                        reader.misplaced(
                            file,
                            "this is not a file that can be read (a link that leads to no file, a pipe or a device): a revision folder holds only Markdown files",
                        )
                    elif (source := reader.read(file, status)) is not None:
                        documents.append(source)

    catalogs: list[SourceFile] = []
    locales = root / "locales"
    for language_dir in reader.entries(locales, is_content=False):
        catalog = language_dir / "LC_MESSAGES" / "messages.po"
        if not language_dir.is_dir() or not os.path.lexists(catalog):
            reader.misplaced(
                language_dir,
                "locales/ holds a folder for each language, with its catalog in LC_MESSAGES/messages.po",
            )
        elif (source := reader.read_named_file(catalog)) is not None:
            catalogs.append(source)

    templates = root / "templates"
    template_files = tuple(
        (reader.relative(path).removeprefix("templates/"), content)
        for path, content in reader.read_tree(templates, "templates")
    )
    lock = reader.read_named_file(root / "policies.lock")
    sources = SiteSources(
        root=root,
        config=config,
        policy_settings=tuple(policy_settings),
        documents=tuple(documents),
        revision_folders=tuple(revision_folders),
        catalogs=tuple(catalogs),
        unreadable=frozenset(reader.unreadable),
        lock=lock,
        template_files=template_files,
    )
    return sources, problems


@dataclass(slots=True)
class _Reader:
    root: Path
    problems: list[Problem]
    checked: CheckedTexts | None = None
    unreadable: list[str] = field(default_factory=list)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def is_inside(self, path: Path) -> bool:
        """Whether a path, links followed, stays inside the site folder."""
        try:
            return path.resolve().is_relative_to(self.root)
        except (OSError, RuntimeError):  # a link that leads to itself, in a circle
            return False

    def is_reachable(self, path: Path) -> bool:
        """Whether `path` can be read without leaving the site folder, reporting the first
        link on the way that leads out of it."""
        current = self.root
        for part in path.relative_to(self.root).parts:
            current = current / part
            if current.is_symlink() and not self.is_inside(current):
                self._outside(current)
                return False
        return True

    def entries(self, folder: Path, *, is_content: bool) -> list[Path]:
        """A folder's entries in a stable order, leaving out leftovers (in content/, refusing
        other hidden names) and refusing links out and names that are not text."""
        if not os.path.lexists(folder) or not self.is_reachable(folder):
            return []
        if not folder.is_dir():
            self.problems.append(
                error(
                    SourceLocation(self.relative(folder)),
                    "not-a-folder",
                    f"{folder.name} must be a folder",
                )
            )
            return []
        found = []
        with os.scandir(folder) as scan:
            listed = sorted((item.name, item.is_symlink()) for item in scan)
        for name, is_link in listed:
            if LEFTOVERS.match(name) or (name.startswith(".") and not is_content):
                continue
            entry = folder / name
            if (wrong := check_name(name)) is not None:
                self.problems.append(
                    error(SourceLocation(printable(self.relative(entry))), "bad-name", wrong)
                )
                continue
            if name.startswith("."):
                self.problems.append(
                    error(
                        SourceLocation(self.relative(entry)),
                        "hidden-name",
                        f"'{name}' starts with a dot, which hides it in file browsers, so policygen does not skip it silently: rename it or delete it (only {SKIPPED} are skipped)",
                    )
                )
                continue
            # The folders walked are inside already: only a link can lead out.
            if is_link and not self.is_inside(entry):
                self._outside(entry)
                continue
            found.append(entry)
        return found

    def _outside(self, path: Path) -> None:
        try:
            path.resolve()
            why = "this links to a place outside the site folder, which policygen never reads"
        except (OSError, RuntimeError):
            why = "this link leads back to itself: it leads to no file"
        self.problems.append(error(SourceLocation(self.relative(path)), "outside-site", why))

    def expect_folder(
        self, path: Path, what: Literal["policy", "revision"], also: str = ""
    ) -> bool:
        """Whether `path` is a folder named as a slug, reporting it otherwise."""
        if not path.is_dir():
            self.misplaced(
                path, f"only folders, one for a {what}{' ' + also if also else ''}, belong here"
            )
            return False
        if not SLUG.match(path.name):
            self.problems.append(
                error(
                    SourceLocation(self.relative(path)),
                    "bad-name",
                    f"'{path.name}' cannot name a {what}: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
                )
            )
            return False
        if (taken := NAMES_TAKEN[what].get(path.name)) is not None:
            self.problems.append(
                error(
                    SourceLocation(self.relative(path)),
                    "name-taken",
                    f"'{path.name}' cannot name a {what}: {taken}; rename the folder",
                )
            )
            return False
        return True

    def misplaced(self, path: Path, why: str) -> None:
        self.problems.append(
            error(SourceLocation(self.relative(path)), "misplaced-file", f"unexpected file: {why}")
        )

    def read_tree(
        self, folder: Path, what: str, within: frozenset[Path] = frozenset()
    ) -> list[tuple[Path, bytes]]:
        """Every file below a folder that is UTF-8 text, as bytes, in a stable order."""
        found = []
        within = within | {folder.resolve()}
        for entry in self.entries(folder, is_content=False):
            if entry.is_dir():
                if entry.resolve() in within:
                    self.problems.append(
                        error(
                            SourceLocation(self.relative(entry)),
                            "link-loop",
                            "this is a link to a folder that contains it: policygen would read it without end",
                        )
                    )
                    continue
                found += self.read_tree(entry, what, within)
            elif entry.is_file() and (data := self.read_bytes(entry)) is not None:
                found.append((entry, data))
        return found

    def read_named_file(self, path: Path) -> SourceFile | None:
        """The file at a place whose name is fixed (site.yaml, a catalog), when there is one."""
        if not os.path.lexists(path) or not self.is_reachable(path):
            return None
        if not path.is_file():
            self.problems.append(
                error(
                    SourceLocation(self.relative(path)),
                    "not-a-file",
                    f"{path.name} must be a file",
                )
            )
            return None
        return self.read(path)

    def read_bytes(self, path: Path) -> bytes | None:
        """A file's bytes, when they are UTF-8 text (reported otherwise)."""
        data = self._read(path)
        if data is None:
            return None
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._not_utf8(path, data, exc)
            return None
        return data

    def _not_utf8(self, path: Path, data: bytes, exc: UnicodeDecodeError) -> None:
        relative = self.relative(path)
        line = data[: exc.start].count(b"\n") + 1
        self.unreadable.append(relative)
        self.problems.append(
            error(
                SourceLocation(relative, line),
                "not-utf8",
                "this file is not UTF-8 text: save it with the UTF-8 encoding",
            )
        )

    def _read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError as exc:  # permissions, or a file removed while the site is read
            relative = self.relative(path)
            self.unreadable.append(relative)
            self.problems.append(
                error(
                    SourceLocation(relative),
                    "unreadable",
                    f"this file cannot be read: {exc.strerror or exc}",
                )
            )
            return None

    def read(self, path: Path, status: Status | None = None) -> SourceFile | None:
        """The file at `path` (whose `status`, when given, was taken just before)."""
        relative = self.relative(path)
        checked = self.checked
        # Its status before its bytes: a file changed meanwhile is read again next time.
        if status is None and checked is not None:
            status = _status(path)
        earlier = checked.read_before(relative, status) if checked and status else None
        if earlier is not None:
            return earlier
        data = self._read(path)
        if data is None:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._not_utf8(path, data, exc)
            return None
        text = text.removeprefix("\ufeff")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        where = SourceLocation(relative)
        digest = hashlib.sha256(data).digest()
        if problems := (
            checked.check(digest, text, where) if checked is not None else check_text(text, where)
        ):
            self.unreadable.append(relative)
            self.problems.extend(problems)
            return None
        source = spooled(SourceFile(relative, text, digest), text=text)
        if status is not None and checked is not None:
            checked.remember(source, status)
        return source


def _status(path: Path) -> Status | None:
    try:
        found = os.stat(path)
    except OSError:
        return None  # said when it is read
    if not stat.S_ISREG(found.st_mode):
        return None
    return Status(found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


@dataclass(frozen=True, slots=True)
class ThemeFiles:
    """The files of the built-in theme that are not templates."""

    static: tuple[tuple[str, bytes], ...]
    """(output path, content) of the theme's static files."""
    catalogs: tuple[SourceFile, ...]
    """The theme's translation catalogs, locales/<lang>/LC_MESSAGES/messages.po."""
    schemas: tuple[tuple[str, bytes], ...]
    """(output path, content) of the JSON Schemas of the manifest and the per-reader answers."""
    templates: tuple[tuple[str, bytes], ...]
    """(name, content) of the theme's templates."""


def read_theme(theme: Path, schemas: Path) -> ThemeFiles:
    """Read the theme and the schemas shipped in the package (raises BuildFailed for a link
    out of the theme's folder: policygen publishes nothing from elsewhere, its own files included)."""
    files = _read_tree(theme, theme)
    static = tuple((name, content) for name, content in files if name.startswith(STATIC_FOLDER))
    catalogs = tuple(
        SourceFile(name, content.decode("utf-8"), hashlib.sha256(content).digest())
        for name, content in files
        if re.fullmatch(r"locales/[^/]+/LC_MESSAGES/messages\.po", name)
    )
    schema_files = tuple(
        (path, content)
        for name, content in _read_tree(schemas, schemas)
        if (path := SCHEMA_FILES.get(name)) is not None
    )
    templates = tuple(
        (name.removeprefix("templates/"), content)
        for name, content in files
        if name.startswith("templates/")
    )
    return ThemeFiles(static, catalogs, schema_files, templates)


@functools.cache
def read_code_digest() -> str:
    """SHA-256 of policygen's own modules and version: what a build cache is only valid for."""
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read_tree(folder: Path, within: Path) -> tuple[tuple[str, bytes], ...]:
    """The files below `folder` by path relative to it; a link out of `within` is refused."""
    files = []
    for path in sorted(folder.rglob("*")):
        if not path.resolve().is_relative_to(within.resolve()):
            shown = f"(theme) {path.relative_to(within).as_posix()}"
            why = "this links to a place outside policygen's theme, which policygen never reads"
            raise BuildFailed([error(SourceLocation(shown), "outside-site", why)])
        if path.is_file():
            files.append((path.relative_to(folder).as_posix(), path.read_bytes()))
    return tuple(files)
