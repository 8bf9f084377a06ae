"""Corpus size → one table: cold build, serve's rebuilds, a rendering floor and diff timings.

Run: .venv/bin/python bench/run.py --size small|medium|large [--keep DIR]

Each measurement runs in a child process of its own (this script again, with the hidden
--child argument), which prints its results as one line of JSON: its wall and CPU time
(CPU time counts a build's worker processes too) and its peak RSS (ru_maxrss of
getrusage(RUSAGE_SELF), and of RUSAGE_CHILDREN for the workers, read as it ends). A child's
ru_maxrss starts from its parent's RSS (fork and exec carry it over), so this process stays
small: it loads neither policygen nor any text, and bench/corpus.py loads policygen only to
write the lock.

- cold build: policygen.pipeline.build() into a fresh output folder, with one worker process
  per core, as `policygen build` does by default;
- floor: every revision page's text (the source.md files of the cold build's output) rendered
  with plain markdown-it-py into a minimal Jinja2 page and written, with nothing cached;
- serve: a serving.Preview (what `policygen serve` keeps) rebuilds once to warm up, then
  again with nothing changed, then after a word of one source file is changed;
- build with its cache: what `policygen build` does in a process of its own, cache folder
  included (loading it, building, saving it): the first build, which fills the cache, then
  a build with nothing changed, then one after a word of one source file is changed;
- diff: policygen.diffing.diff_texts on bench/diff.py's 50 KB and 500 KB pairs, if it has them,
  once per child process, so that no run finds the texts in a cache of the one before.

Times are the best of a few runs (wall clock; CPU time of the same run beside it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib.util
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from corpus import AS_OF, POLICIES, SIZES, CorpusSize, write_corpus

BENCH = Path(__file__).resolve().parent
RUNS = {"tiny": 3, "small": 3, "medium": 3, "large": 2}
"""How many times each measurement is repeated; the best run is shown."""
DIFF_SIZES = (50_000, 500_000)
"""Sizes in bytes of the text pairs diff_texts is timed on."""
EDIT_WORDS = ("carefully", "formally", "promptly")
"""The words serve's edit puts in place of another, one per run: each run is a new text."""
FLOOR_PAGE = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>{{ body | safe }}</body></html>
"""
TARGETS = {
    "cold": "≤ 250 MB peak RSS",
    "ratio": "≤ 0.5×",
    "noop": "≤ 0.3 s",
    "edit": "≤ 0.5 s",
}
"""Targets for the large corpus on 2 cores (docs/performance.md)."""

Result = dict[str, Any]
T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark policygen on a generated corpus.")
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep the corpus and outputs"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        request = json.loads(args.child)
        result = CHILDREN[request.pop("kind")](**request)
        print(json.dumps({**result, **_peak_rss_mb()}))
        return
    before = (_revision(), os.getloadavg()[0])
    with _workspace(args.keep) as folder:
        results = _measure(folder, args.size, RUNS[args.size])
    print(_table(args.size, SIZES[args.size], RUNS[args.size], results, before))


def _measure(folder: Path, size: str, runs: int) -> dict[str, Result]:
    """Every measurement, each in child processes of its own, in the order they depend on."""
    site, public, floor, serve = (folder / name for name in ("site", "public", "floor", "serve"))
    results = {"corpus": _child("corpus", site=str(site), size=size)}
    # The floor renders the texts the cold build wrote: the last cold output is kept for it.
    results["cold"] = _best(
        [_child("cold", site=str(site), out=str(_fresh(public))) for _ in range(runs)]
    )
    results["floor"] = _best(
        [_child("floor", source=str(public), out=str(_fresh(floor))) for _ in range(runs)]
    )
    results["serve"] = _child("serve", site=str(site), out=str(_fresh(serve)), runs=runs)
    cached, cache = folder / "cached", folder / "cache"
    _fresh(cached), _fresh(cache)
    results["cli first"] = _child("cli", site=str(site), out=str(cached), cache=str(cache))
    results["cli noop"] = _best(
        [_child("cli", site=str(site), out=str(cached), cache=str(cache)) for _ in range(runs)]
    )
    results["cli edit"] = _best(
        [
            _child("cli", site=str(site), out=str(cached), cache=str(cache), word=word)
            for word in EDIT_WORDS[:runs]
        ]
    )
    if (BENCH / "diff.py").is_file():
        try:
            results |= {
                f"diff {size}": _best([_child("diff", size=size) for _ in range(runs)])
                for size in DIFF_SIZES
            }
        except ChildFailed as failed:
            results["diff error"] = {"line": failed.last_line}
    return results


@contextmanager
def _workspace(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="policygen-bench-") as folder:
        yield Path(folder)


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


class ChildFailed(Exception):
    """A measurement's child process ended with an error."""

    def __init__(self, kind: str, stderr: str) -> None:
        super().__init__(f"the {kind} measurement failed:\n{stderr}")
        self.last_line = (stderr.strip().splitlines() or ["no output"])[-1]


def _child(kind: str, **params: object) -> Result:
    request = json.dumps({"kind": kind, **params})
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", request],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ChildFailed(kind, done.stderr)
    result: Result = json.loads(done.stdout.splitlines()[-1])
    return result


def _best(runs: list[Result]) -> Result:
    """The fastest run, with the highest peak RSS of all runs."""
    best = min(runs, key=lambda run: run["wall"])
    return {
        **best,
        "rss_mb": max(run["rss_mb"] for run in runs),
        "workers_rss_mb": max(run["workers_rss_mb"] for run in runs),
    }


# Children: each returns what it measured, as JSON values.


def _timed(action: Callable[[], T]) -> tuple[T, Result]:
    wall, cpu = time.perf_counter(), _cpu_seconds()
    value = action()
    return value, {"wall": time.perf_counter() - wall, "cpu": _cpu_seconds() - cpu}


def _cpu_seconds() -> float:
    """CPU time of this process and of its ended children: a build's worker processes count."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def _peak_rss_mb() -> dict[str, float]:
    """Peak RSS of this process, and of the largest of its worker processes (0 if none)."""
    unit = 2**20 if sys.platform == "darwin" else 2**10
    return {
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / unit,
        "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / unit,
    }


def _write_corpus(site: str, size: str) -> Result:
    documents = write_corpus(Path(site), SIZES[size])
    text_bytes = sum(path.stat().st_size for path in Path(site).rglob("*.md"))
    return {"documents": documents, "text_bytes": text_bytes}


def _cold_build(site: str, out: str) -> Result:
    from policygen.pipeline import build

    # As `policygen build` does by default: one worker process per core.
    jobs = os.cpu_count() or 1
    built, timing = _timed(
        lambda: build(Path(site), Path(out), now=dt.datetime.now(dt.UTC), as_of=AS_OF, jobs=jobs)
    )
    files = [path for path in Path(out).rglob("*") if path.is_file()]
    return {
        **timing,
        "pages": built.pages,
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "warnings": len(built.warnings),
        "jobs": jobs,
    }


def _cli_build(site: str, out: str, cache: str, word: str = "") -> Result:
    from policygen.caching import load_cache, save_cache
    from policygen.pipeline import build

    jobs = os.cpu_count() or 1
    edited = _edited_file(site)
    original = edited.read_text("utf-8")
    if word:
        edited.write_text(_with_word_changed(original, word), encoding="utf-8")

    def build_with_cache() -> tuple[int, int]:
        kept, _ = load_cache(Path(cache))
        built = build(
            Path(site), Path(out), now=dt.datetime.now(dt.UTC), as_of=AS_OF, jobs=jobs, cache=kept
        )
        save_cache(Path(cache), kept)
        return built.pages, built.rendered

    try:
        (pages, rendered), timing = _timed(build_with_cache)
    finally:
        edited.write_text(original, encoding="utf-8")
    cache_bytes = sum(path.stat().st_size for path in Path(cache).iterdir())
    return {**timing, "pages": pages, "rendered": rendered, "cache_bytes": cache_bytes}


def _edited_file(site: str) -> Path:
    """The upcoming revision's English text of the first policy: the text editors work on."""
    policy = Path(site, "content", POLICIES[0][0])
    return sorted(p for p in policy.iterdir() if p.is_dir())[-1] / "en.md"


def _floor(source: str, out: str) -> Result:
    import jinja2
    from markdown_it import MarkdownIt

    def render_every_revision_page() -> int:
        markdown = MarkdownIt("commonmark").enable("table")
        page = jinja2.Environment(autoescape=True).from_string(FLOOR_PAGE)
        pages = 0
        for text in sorted(Path(source).glob("*/*/*/*/source.md")):
            folder = text.parent.relative_to(source)
            html = page.render(
                title=" / ".join(folder.parts), body=markdown.render(text.read_text("utf-8"))
            )
            target = Path(out, folder, "index.html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            pages += 1
        return pages

    pages, timing = _timed(render_every_revision_page)
    return {**timing, "pages": pages}


def _serve(site: str, out: str, runs: int) -> Result:
    from policygen.serving import Preview

    preview = Preview(Path(site), Path(out), AS_OF)

    def rebuild() -> Result:
        _, timing = _timed(preview.rebuild)
        if preview.failed:
            raise RuntimeError("\n".join(str(p) for p in preview.problems) or "rebuild failed")
        return {**timing, "rendered": preview.rendered}

    warm = rebuild()
    noop = _best_timing([rebuild() for _ in range(runs)])
    # The latest revision is upcoming: the text editors work on (it may change until in effect).
    edited = _edited_file(site)
    original = edited.read_text("utf-8")
    edits = []
    try:
        for word in EDIT_WORDS[:runs]:
            edited.write_text(_with_word_changed(original, word), encoding="utf-8")
            edits.append(rebuild())
    finally:
        edited.write_text(original, encoding="utf-8")
    return {
        "warm": warm,
        "noop": noop,
        "edit": _best_timing(edits),
        "edited": str(edited.relative_to(site)),
    }


def _best_timing(runs: list[Result]) -> Result:
    return min(runs, key=lambda run: run["wall"])


def _with_word_changed(text: str, word: str) -> str:
    """The text with the first long word of its body replaced by `word`."""
    front, body = text.split("\n---\n", 1)
    return front + "\n---\n" + re.sub(r"\b[a-z]{8,}\b", word, body, count=1)


def _diff(size: int) -> Result:
    from policygen.diffing import diff_texts

    spec = importlib.util.spec_from_file_location("bench_diff", BENCH / "diff.py")
    if spec is None or spec.loader is None:
        raise ImportError("bench/diff.py cannot be loaded")
    pairs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pairs)
    old, new = pairs.make_pair(size)
    _, timing = _timed(functools.partial(diff_texts, old, new, "en"))
    return {**timing, "bytes": len(new.encode("utf-8"))}


CHILDREN: dict[str, Callable[..., Result]] = {
    "corpus": _write_corpus,
    "cold": _cold_build,
    "floor": _floor,
    "serve": _serve,
    "cli": _cli_build,
    "diff": _diff,
}

# The table.


def _table(
    name: str, size: CorpusSize, runs: int, results: dict[str, Result], before: tuple[str, float]
) -> str:
    corpus, cold, floor, serve = (results[k] for k in ("corpus", "cold", "floor", "serve"))
    pages = cold["pages"]
    rows = [
        ("cold build", _s(cold["wall"]), _s(cold["cpu"]), _mb(cold["rss_mb"]),
         f"{pages:,} HTML pages into a fresh folder; "
         + (f"{cold['jobs']} worker processes, each at most {_mb(cold['workers_rss_mb'])}"
            if cold["workers_rss_mb"] else "one process"), TARGETS["cold"]),
        ("pages per second", f"{pages / cold['wall']:,.0f}", f"{pages / cold['cpu']:,.0f}", "",
         "HTML pages of the cold build ÷ its time", ""),
        ("floor", _s(floor["wall"]), _s(floor["cpu"]), _mb(floor["rss_mb"]),
         f"{floor['pages']:,} revision pages: markdown-it-py + Jinja2 + write", ""),
        ("cold build ÷ floor", f"{cold['wall'] / floor['wall']:.2f}×",
         f"{cold['cpu'] / floor['cpu']:.2f}×", "", "", TARGETS["ratio"]),
        ("no-op rebuild (serve)", _s(serve["noop"]["wall"]), _s(serve["noop"]["cpu"]),
         _mb(serve["rss_mb"]), f"{serve['noop']['rendered']:,} of {pages:,} pages rendered",
         TARGETS["noop"]),
        ("rebuild after editing one file (serve)", _s(serve["edit"]["wall"]),
         _s(serve["edit"]["cpu"]), "",
         f"{serve['edit']['rendered']:,} pages rendered; a word of {serve['edited']}",
         TARGETS["edit"]),
    ]  # fmt: skip
    first, noop, edit = (results[f"cli {step}"] for step in ("first", "noop", "edit"))
    rows += [
        ("policygen build, first build (fills the cache)", _s(first["wall"]), _s(first["cpu"]),
         _mb(first["rss_mb"]), f"{first['rendered']:,} pages rendered; cache folder"
         f" {first['cache_bytes'] / 1e6:,.0f} MB", ""),
        ("policygen build, nothing changed", _s(noop["wall"]), _s(noop["cpu"]),
         _mb(noop["rss_mb"]), f"{noop['rendered']:,} pages rendered", ""),
        ("policygen build, after editing one file", _s(edit["wall"]), _s(edit["cpu"]),
         _mb(edit["rss_mb"]), f"{edit['rendered']:,} pages rendered; the same edit as serve's", ""),
    ]  # fmt: skip
    footer = []
    if "diff error" in results:
        footer.append(f"diff rows left out: bench/diff.py failed ({results['diff error']['line']})")
    elif f"diff {DIFF_SIZES[0]}" not in results:
        footer.append("diff rows left out: bench/diff.py does not exist")
    else:
        rows += [
            (f"diff_texts, {size // 1000} KB pair", _s(d["wall"]), _s(d["cpu"]), _mb(d["rss_mb"]),
             f"bench/diff.py make_pair({size:_}): {d['bytes'] / 1000:,.0f} KB", "")
            for size in DIFF_SIZES for d in [results[f"diff {size}"]]
        ]  # fmt: skip
    header = ("measurement", "wall", "CPU", "peak RSS", "notes", "target (large, 2 cores)")
    lines = [
        f"policygen benchmark, size {name}: {size.policies} policies × {size.languages} languages"
        f" × {size.regions} regions × {size.revisions} revisions",
        "",
        "| " + " | ".join(header) + " |",
        "|---|--:|--:|--:|---|---|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        f"- corpus: {corpus['documents']:,} documents (.md files, {corpus['text_bytes'] / corpus['documents'] / 1000:.1f} KB"
        f" on average), {size.revision_pages:,} revision pages; output: {pages:,} HTML pages,"
        f" {cold['files']:,} files, {cold['bytes'] / 1e6:.1f} MB; {cold['warnings']} warnings",
        f"- policygen {_code_measured(before[0])}; machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()},"
        f" {platform.system()} {platform.machine()}; load average {before[1]:.2f} before, {os.getloadavg()[0]:.2f} after",
        f"- best of {runs} runs, each measurement in a child process of its own; wall and CPU"
        " time of the measured call only (imports excluded; CPU includes worker processes);"
        " peak RSS of that child process (serve: the whole session, warm-up build included)",
        f"- serve's warm-up build (its first build, as `policygen serve` starts): {_s(serve['warm']['wall'])}"
        f" wall, {_s(serve['warm']['cpu'])} CPU",
        *(f"- {line}" for line in footer),
    ]
    return "\n".join(lines)


def _revision() -> str:
    """The commit of the code measured, "-dirty" when it has changes not committed."""
    described = subprocess.run(
        ["git", "-C", str(BENCH), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return described.stdout.strip() or "(not a git checkout)"


def _code_measured(revision_before: str) -> str:
    after = _revision()
    if after == revision_before:
        return revision_before
    return f"{revision_before}, then {after}: the code changed during the run, figures may mix both"


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds:.3f} s"


def _mb(megabytes: float) -> str:
    return f"{megabytes:,.0f} MB"


if __name__ == "__main__":
    main()
