"""The pure stages of a build, wrapped so that what a BuildCache holds is taken from it and
what a build makes is kept in it for the next one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .. import assembly, rendering
from ..config import SiteConfig
from ..errors import Problem
from ..loading import LoadedSite, LockEntries, load_site, parse_lock_file
from ..manifest import EntryMaker, PolicyEntry, policy_entry
from ..markdown import RenderedText
from ..model import Document, Policy, Revision, Site
from ..output import Finished, Spare, Written
from ..pages import Planner
from ..parts import Part, redline_pairs
from ..progress import Progress, no_progress
from ..rendering import TextKey
from ..sources import CheckedTexts, SourceFile
from ..templates import Templates
from ..theming import load_templates
from .cache import SPARE_FOLDER, BuildCache
from .environment import environment_key, pdf_environment_key
from .keys import fingerprint, key_parts, key_pdfs
from .texts import HtmlFolder, KnownTexts


class Incremental:
    """A build's view of its BuildCache."""

    def __init__(self, cache: BuildCache, *, is_kept: bool, is_read_only: bool = False) -> None:
        self.cache = cache
        self.is_kept = is_kept and not is_read_only
        """Whether the cache is kept for another build (by serve, or in the cache folder)."""
        self.is_read = is_kept or is_read_only
        """Whether what the cache holds is taken from it: a cache kept, or one only read (by
        a check, which takes what the last build made and keeps nothing)."""
        if self.is_read:
            cache.keep_only_for(environment_key())
        self.pdf_keys: dict[Part, dict[str, str]] = {}
        """The key of each PDF by output path, by the part planning it (none without PDFs)."""
        self.html_folder = HtmlFolder(cache.folder) if self.is_read and cache.folder else None
        """Where the texts' HTML is kept (None: in `cache.texts`, or nowhere)."""

    def load(
        self,
        site_dir: Path,
        *,
        now: dt.datetime,
        as_of: dt.date | None,
        base_url: str | None,
        pdf: bool = False,
    ) -> LoadedSite:
        """`load_site`, taking each policy whose inputs did not change from the cache."""
        memo = self.cache.assembly
        policies: dict[str, tuple[Policy, tuple[Problem, ...]]] = {}
        documents: dict[str, Mapping[tuple[str, str], Document]] = {}
        settings_digests: dict[int, str] = {}

        def documents_key(
            revision_inputs: str, settings: assembly.PolicySettings, config: SiteConfig
        ) -> str:
            # A revision's documents are made from its files, its policy's settings and the
            # site's settings (not the date).
            if id(config) not in settings_digests:
                settings_digests[id(config)] = hashlib.sha256(repr(config).encode()).hexdigest()
            return f"{settings_digests[id(config)]}\0{revision_inputs}\0{settings!r}"

        def make_documents(
            policy_id: str,
            draft: assembly.RevisionDraft,
            settings: assembly.PolicySettings,
            config: SiteConfig,
        ) -> Mapping[tuple[str, str], Document]:
            key = documents_key(draft.inputs, settings, config)
            made = memo.documents.get(key) or assembly.make_documents(
                policy_id, draft, settings, config
            )
            documents[key] = made
            return made

        # The policies of the last build by id, those without a problem: a revision of one
        # whose files did not change is taken as it was.
        earlier = {policy.id: policy for policy, problems in memo.policies.values() if not problems}

        def assemble(
            inputs: assembly.PolicyInputs, digest: str, config: SiteConfig, as_of: dt.date
        ) -> tuple[Policy, tuple[Problem, ...]]:
            if digest in memo.policies:
                policy, problems = memo.policies[digest]
                settings = assembly.PolicySettings(policy.title, policy.regions)
                for revision in policy.all_revisions:
                    key = documents_key(revision.inputs, settings, config)
                    documents[key] = revision.documents
            else:

                def keep(
                    folder: str, files: str, settings: assembly.PolicySettings
                ) -> Revision | None:
                    made = memo.documents.get(key := documents_key(files, settings, config))
                    policy = earlier.get(inputs.id)
                    if made is None or policy is None:
                        return None
                    found = [r for r in policy.all_revisions if r.documents is made]
                    if len(found) != 1 or found[0].id != folder.rsplit("/", 1)[-1]:
                        return None
                    documents[key] = made
                    return found[0]

                policy, problems = assembly.assemble_policy(
                    inputs, digest, config, as_of, make_documents, keep
                )
            policies[digest] = policy, problems
            return policy, problems

        # Without a cache read, nothing found here would be of use.
        checked = (
            CheckedTexts(self.cache.checked_files, self.cache.read_files) if self.is_read else None
        )
        try:
            loaded = load_site(
                site_dir,
                now=now,
                as_of=as_of,
                base_url=base_url,
                pdf=pdf,
                assemble=assemble,
                checked=checked,
                theme=self.cache.theme,
            )
        finally:
            if checked is not None:
                self.cache.checked_files = frozenset(checked.found)
                self.cache.read_files = checked.found_files
            if policies:
                memo.policies, memo.documents = policies, documents
        self.cache.theme = loaded.theme
        return loaded

    def parse_lock(self, lock: SourceFile) -> tuple[LockEntries, list[Problem]]:
        """`parse_lock_file`, its answer kept while the file's bytes stay the same."""
        known = self.cache.lock
        if known is None or known[0] != lock.digest:
            known = self.cache.lock = (lock.digest, *parse_lock_file(lock))
        return known[1], list(known[2])

    def render_texts(
        self, site: Site, jobs: int, progress: Progress = no_progress
    ) -> dict[str, RenderedText]:
        """`rendering.render_texts`, rendering only the texts the cache does not hold (those
        it holds in its folder come without their HTML: their links, anchors and problems are
        what a link check reads)."""
        texts = rendering.distinct_texts(site)
        known = self.cache.texts
        missing = {key: document for key, document in texts.values() if key not in known}
        made = rendering.render_documents(list(missing.values()), jobs, progress)
        used = {key: known[key] for key, _ in texts.values() if key in known}
        used.update(zip(missing, made, strict=True))
        if not self.is_kept:
            return {sha256: used[key] for sha256, (key, _) in texts.items()}
        html = {}
        if self.html_folder is not None:
            for key, text in zip(missing, made, strict=True):
                if (name := self.html_folder.put(text.html)) is not None:
                    html[key] = name
        self._keep_texts(used, html)
        return {sha256: used[key] for sha256, (key, _) in texts.items()}

    def _keep_texts(self, used: dict[TextKey, RenderedText], html: Mapping[TextKey, str]) -> None:
        """Keep the texts `used` (texts no document has any more are dropped); with a cache
        folder, without their HTML, those whose HTML is in a file (`html`, or as before)."""
        if self.html_folder is None:
            self.cache.texts = used
            return
        names = {k: html.get(k) or self.cache.html.get(k) for k in used}
        self.cache.html = {key: name for key, name in names.items() if name is not None}
        self.cache.texts = {
            key: dataclasses.replace(text, html="") if text.html else text
            for key, text in used.items()
            if key in self.cache.html
        }

    def known_texts(self) -> Mapping[TextKey, RenderedText]:
        """The texts the cache holds, whole (their HTML read from the cache folder as a page
        needs it)."""
        if self.html_folder is None:
            return self.cache.texts
        return KnownTexts(self.cache.texts, self.cache.html, self.html_folder)

    def keep_html(self) -> Callable[[str], str | None] | None:
        """How the process rendering a text keeps its HTML in the cache folder (None: it
        comes back whole, or is not kept)."""
        return None if self.html_folder is None or not self.is_kept else self.html_folder.put

    @property
    def is_whole_kept(self) -> bool:
        """Whether the texts a build renders are kept whole in memory (by serve)."""
        return self.is_kept and self.html_folder is None

    def keep_texts(
        self,
        texts: Mapping[str, tuple[TextKey, Document]],
        made: Mapping[TextKey, RenderedText],
        html: Mapping[TextKey, str],
    ) -> dict[str, RenderedText]:
        """Every text of the site by SHA-256, from those the cache holds and those just `made`
        (whose HTML files `html` names); the cache keeps the texts of the site when it is kept."""
        known = self.cache.texts
        rendered = {sha256: known.get(key) or made[key] for sha256, (key, _) in texts.items()}
        if self.is_kept:
            self._keep_texts({key: known.get(key) or made[key] for key, _ in texts.values()}, html)
        return rendered

    def templates(self, loaded: LoadedSite) -> tuple[Templates, list[Problem], str]:
        """`load_templates`, compiled templates kept while the theme, the catalogs and the
        languages stay the same; and the fingerprint of the code and the theme."""
        site_fingerprint = fingerprint(loaded.sources, loaded.theme)
        key = f"{site_fingerprint}\0{loaded.site.config.languages}"
        if key not in self.cache.templates:
            self.cache.templates = {key: load_templates(loaded.sources, loaded.theme, loaded.site)}
        templates, problems = self.cache.templates[key]
        return templates, problems, site_fingerprint

    def redlines(self, site: Site) -> rendering.Redlines:
        """The site's redlines, those the cache holds included (others are dropped)."""
        known = self.cache.redlines
        self.cache.redlines = {pair: known[pair] for pair in redline_pairs(site) & known.keys()}
        return rendering.Redlines(site, self.cache.redlines)

    def manifest_entry(self, site: Site) -> EntryMaker:
        """`policy_entry`, taken from the cache for a policy whose inputs did not change."""
        if not self.is_kept:
            return policy_entry  # nothing is kept: a policy's part is dropped once encoded
        # A policy's part lists its PDFs' SHA-256: the same keys make the same PDFs.
        pdf_keys: dict[str, list[str]] = {}
        for part, keys_by_path in self.pdf_keys.items():
            pdf_keys.setdefault(part.policy, []).extend(keys_by_path.values())
        keys = {_entry_key(site, policy, pdf_keys.get(policy.id, [])) for policy in site.policies}
        memo = self.cache.manifest = {
            k: self.cache.manifest[k] for k in keys & self.cache.manifest.keys()
        }

        def entry(site: Site, policy: Policy, pdfs: Mapping[str, str]) -> PolicyEntry:
            key = _entry_key(site, policy, pdf_keys.get(policy.id, []))
            if key not in memo:
                memo[key] = policy_entry(site, policy, pdfs)
            return memo[key]

        return entry

    def key_parts(self, planner: Planner, site_fingerprint: str, is_pdf: bool) -> dict[Part, str]:
        """Every part's key (see `keys.key_parts`); with PDFs (`is_pdf`), a revision's part
        is keyed by its PDFs' keys too, and the site's files by every PDF's (the manifest
        lists their SHA-256). None when the cache is not read, or only read and holds no
        part: no part of this build is kept for another, and it has none of a build before
        (the keys would cost the dates of every page in every language, computed and held
        here)."""
        if not self.is_read or (not self.is_kept and not self.cache.parts):
            return {}
        keys, self.cache.part_keys = key_parts(planner, site_fingerprint, self.cache.part_keys)
        if not is_pdf:
            return keys
        self.pdf_keys = key_pdfs(planner.site, site_fingerprint, pdf_environment_key())
        every: list[str] = []
        for part, keys_by_path in self.pdf_keys.items():
            every += keys_by_path.values()
            keys[part] = _rekeyed(keys[part], keys_by_path.values())
        keys[Part("site files")] = _rekeyed(keys[Part("site files")], every)
        return keys

    def previous_files(self, out: Path | None) -> dict[str, Written]:
        """The files the last build left in `out`, if it built into `out`; for a check (`out`
        None), those the last build made wherever it wrote them: a part it made whose key
        holds is found again, its pages as they were, without its template errors."""
        if out is None:
            return self.cache.files if self.is_read and not self.is_kept else {}
        if self.cache.output != str(out.resolve()):
            return {}
        return self.cache.files

    def spare(self, out: Path) -> Spare | None:
        """The output before last of `out`, kept in the cache folder (None: no cache folder)."""
        if not self.cache.folder:
            return None
        folder = Path(self.cache.folder, SPARE_FOLDER)
        if self.cache.output != str(out.resolve()):
            # Another output's: none is kept for this one, and its next is kept there.
            return Spare(folder, {}, {})
        return Spare(folder, self.cache.spare_files, self.cache.spare_folders)

    def keep_parts(
        self,
        parts: Iterable[Part],
        keys: Mapping[Part, str],
        previous: Mapping[str, Written],
        is_intact: Callable[[str], bool],
    ) -> tuple[dict[Part, tuple[str, ...]], list[Part]]:
        """Of the `parts`, those whose key the last build made and whose files are intact,
        with their files; and the parts to make (every part without a key)."""
        kept: dict[Part, tuple[str, ...]] = {}
        to_make = []
        for part in parts:
            key = keys.get(part)
            before = self.cache.parts.get(key) if key is not None else None
            if before is not None and all(p in previous and is_intact(p) for p in before):
                kept[part] = before
            else:
                to_make.append(part)
        return kept, to_make

    def keep_pdfs(
        self, previous: Mapping[str, Written], is_intact: Callable[[str], bool]
    ) -> dict[str, Written]:
        """The PDFs whose key the last build made and whose files are intact: a part made
        again keeps them as they are."""
        return {
            path: previous[path]
            for keys_by_path in self.pdf_keys.values()
            for path, key in keys_by_path.items()
            if self.cache.parts.get(key) == (path,) and path in previous and is_intact(path)
        }

    def remember_output(
        self,
        out: Path,
        keys: Mapping[Part, str],
        files: Mapping[Part, Mapping[str, Written]],
        now_held: Finished,
    ) -> None:
        """Record what the output folder holds now, which part made which files, and the
        output it replaced, if kept."""
        self.cache.files = now_held.files
        self.cache.folders = now_held.folders
        spare = now_held.spare
        self.cache.spare_files = dict(spare.files) if spare is not None else {}
        self.cache.spare_folders = dict(spare.folders) if spare is not None else {}
        self.cache.output = str(out.resolve())
        self.cache.parts = {keys[part]: tuple(files[part]) for part in keys}
        # Each PDF is kept by its own key too, when the part that made it is made again.
        self.cache.parts.update(
            (key, (path,))
            for part, keys_by_path in self.pdf_keys.items()
            for path, key in keys_by_path.items()
            if path in files[part]
        )
        self.cache.is_output_own = True


def _entry_key(site: Site, policy: Policy, pdf_keys: list[str]) -> str:
    """What a policy's part of the manifest is made from (its PDFs' keys: their SHA-256)."""
    return f"{policy.inputs}\0{site.config.base_url}\0{pdf_keys}"


def _rekeyed(key: str, more: Iterable[str]) -> str:
    return hashlib.sha256("\0".join([key, *more]).encode()).hexdigest()
