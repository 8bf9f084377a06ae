"""The Site model → its rendered texts, each distinct text once; and its redlines, each when
first asked for (pure, but for the worker processes rendering forks)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence

from . import forking
from .diffing import STAND_INS, Redline, diff_texts
from .markdown import RenderedText, render_markdown
from .model import Document, Site
from .progress import Progress, no_progress

TextKey = tuple[str, str, int]
"""A text's SHA-256, the file it is in and a hash of its file lines: the same text at other
lines or in another file reports its problems there."""


def distinct_texts(site: Site) -> dict[str, tuple[TextKey, Document]]:
    """Each distinct text of the site by its SHA-256, with its key and the first document
    that shows it."""
    texts: dict[str, tuple[TextKey, Document]] = {}
    for policy in site.policies:
        for revision in policy.all_revisions:
            for document in revision.documents.values():
                if document.sha256 not in texts:
                    texts[document.sha256] = text_key(document), document
    return texts


def text_key(document: Document) -> TextKey:
    """What a document's text is rendered from: its text, and where it is (its problems and
    its headings' lines say where)."""
    where = document.source.location.path
    return document.sha256, where, hash(document.canonical.file_lines)


def render_documents(
    documents: Sequence[Document], jobs: int = 1, progress: Progress = no_progress
) -> list[RenderedText]:
    """The texts of `documents`, rendered in `jobs` forked workers when there are enough."""
    # One run of texts per worker, in policy order: a policy's texts share most sections.
    jobs = jobs if len(documents) >= forking.PARALLEL_FROM else 1
    chunk = -(-len(documents) // jobs)
    done = itertools.count(1)
    return forking.map_forked(
        _render,
        documents,
        range(len(documents)),
        jobs,
        chunk,
        on_result=lambda _: progress("rendering texts", next(done), len(documents)),
    )


def _render(documents: Sequence[Document], index: int) -> RenderedText:
    return render_document(documents[index])


def render_document(document: Document) -> RenderedText:
    """A document's text rendered, its problems told in its file."""
    return render_markdown(document.canonical, document.source.location)


def render_texts(site: Site, jobs: int = 1) -> dict[str, RenderedText]:
    """Every distinct text of the site rendered once, by the SHA-256 of its canonical Markdown."""
    texts = distinct_texts(site)
    rendered = render_documents([document for _, document in texts.values()], jobs)
    return dict(zip(texts, rendered, strict=True))


class Redlines(Mapping[tuple[str, str], Redline]):
    """Redlines by the SHA-256 of the previous and of the new text, each computed when a page
    first asks for it (and kept in `known` until the build drops it)."""

    def __init__(self, site: Site, known: dict[tuple[str, str], Redline] | None = None) -> None:
        self.texts = {
            document.sha256: document.canonical
            for policy in site.policies
            for revision in policy.revisions
            for document in revision.documents.values()
        }
        self.known = {} if known is None else known

    def __getitem__(self, pair: tuple[str, str]) -> Redline:
        if pair not in self.known:
            old, new = self.texts[pair[0]], self.texts[pair[1]]
            self.known[pair] = diff_texts(old.text, new.text, STAND_INS)
        return self.known[pair]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)
