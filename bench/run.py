"""Corpus size → one table: cold build, a rendering floor, Hugo on the same texts, serve's
rebuilds, `policygen build` with its cache, diff timings; or, for two or more sizes, how the
time and memory of a cold build grow with the site.

Run: .venv/bin/python bench/run.py --size tiny|small|medium|large [--runs N] [--keep DIR]
     .venv/bin/python bench/run.py --size xl      # cold builds of large and xl, and the ratios
     .venv/bin/python bench/run.py --size xxl     # large, xl and xxl
     .venv/bin/python bench/run.py --scale medium large   # any sizes, the first is the reference

Each measurement runs in a child process of its own (this script again, with the hidden
--child argument), which prints its results as one line of JSON: its wall and CPU time
(CPU time counts a build's worker processes too), its peak memory, and its ru_maxrss
(getrusage(RUSAGE_SELF), and RUSAGE_CHILDREN for the workers, read as it ends). A child's
ru_maxrss starts from its parent's RSS (fork and exec carry it over), so this process stays
small: it loads neither policygen nor any text, and bench/corpus.py loads policygen only to
write the lock.

Peak memory is the highest sum of the Pss of the measured process and all its descendants
(a build's workers; for Hugo, the hugo process alone), read from /proc/PID/smaps_rollup by a
thread of the child every 20 ms or more (bench/memory.py says why Pss, and how often). Its
CPU time is taken out of the CPU column. --no-sampler leaves it out, to time without it.

- cold build: policygen.pipeline.build() into a fresh output folder, with one worker process
  per core, as `policygen build --no-cache` does;
- floor: every revision page's text (the source.md files of the cold build's output) rendered
  with plain markdown-it-py into a minimal Jinja2 page and written, with nothing cached;
- Hugo: when `hugo` is on PATH (or --hugo names it), the same texts as a Hugo site
  (bench/hugo.py), built by `hugo --quiet --ignoreCache` into a fresh folder;
- serve: a serving.Preview (what `policygen serve` keeps) rebuilds once to warm up, then
  again with nothing changed, then after a word of one source file is changed;
- build with its cache: the `policygen build` command line (policygen.cli.main, in the child
  process), with its cache wherever it keeps it: the first build, which fills the cache, then
  a build with nothing changed, then one after a word of one source file is changed;
- diff: policygen.diffing.diff_texts on bench/diff.py's 50 KB and 500 KB pairs, if it has them,
  once per child process, so that no run finds the texts in a cache of the one before.

Times are the best of a few runs (wall clock; CPU time of the same run beside it); memory is
the highest of all runs.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib.util
import io
import json
import os
import platform
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, redirect_stderr
from pathlib import Path
from typing import Any, TypeVar

from corpus import AS_OF, POLICIES, SIZES, CorpusSize, write_corpus
from memory import PeakMemory

BENCH = Path(__file__).resolve().parent
RUNS = {"tiny": 3, "small": 3, "medium": 3, "large": 2, "xl": 2, "xxl": 1}
"""How many times each measurement is repeated; the best run is shown."""
DIFF_SIZES = (50_000, 500_000)
"""Sizes in bytes of the text pairs diff_texts is timed on."""
EDIT_WORDS = ("carefully", "formally", "promptly")
LATER_EDIT_WORDS = ("plainly", "clearly", "openly", "fairly", "briefly", "gladly")
"""The words of the edits that follow: two that settle, then those that are timed."""
SETTLING_EDITS = 2
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
    "hugo": "≤ 1.0×",
    "cli noop": "≤ 0.5 s",
    "cli edit": "≤ 1.0 s",
}
"""Targets for the large corpus on 2 cores (docs/performance.md)."""
SCALE_SIZES = {"xl": ("large", "xl"), "xxl": ("large", "xl", "xxl")}
"""--size xl and xxl: how a cold build grows from the large corpus to these."""
TIME_GOAL, MEMORY_GOAL = 1.1, 1.3
"""Scaling goals: time ratio ≤ 1.1 × the ratio of revision pages; peak memory ratio ≤ 1.3."""
HUGO_INSTALL = (
    "apt-get install hugo (Debian, Ubuntu), brew install hugo, or https://gohugo.io/installation/"
)

Result = dict[str, Any]
T = TypeVar("T")


SAMPLING = True
"""Whether children sample peak memory (--no-sampler: not); a child learns it from its request."""


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark policygen on a generated corpus.")
    parser.add_argument(
        "--size",
        choices=SIZES,
        default="small",
        help="the corpus; xl and xxl compare cold builds with the large corpus's (as --scale)",
    )
    parser.add_argument(
        "--scale",
        nargs="+",
        choices=SIZES,
        metavar="SIZE",
        help="cold builds of these sizes, and how their time and memory grow from the first",
    )
    parser.add_argument("--runs", type=int, help="runs of each measurement (default: by size)")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep the corpus and outputs"
    )
    parser.add_argument(
        "--hugo",
        default="hugo",
        metavar="COMMAND",
        help="the hugo to time (default: hugo on PATH; the Hugo rows are skipped without it)",
    )
    parser.add_argument(
        "--no-sampler",
        action="store_true",
        help="do not sample peak memory (to time without the sampler thread)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    global SAMPLING
    if args.child:
        request = json.loads(args.child)
        SAMPLING = request.pop("sampling")
        result = CHILDREN[request.pop("kind")](**request)
        print(json.dumps({**result, **_peak_rss_mb()}))
        return
    SAMPLING = not args.no_sampler
    scale = args.scale or SCALE_SIZES.get(args.size)
    if scale is not None and len(scale) < 2:
        parser.error("--scale needs two sizes or more")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be 1 or more")
    before = (_revision(), os.getloadavg()[0])
    with _workspace(args.keep) as folder:
        if scale is not None:
            runs = {size: args.runs or RUNS[size] for size in scale}
            print(_scale_table(_measure_scale(folder, runs), runs, before))
        else:
            runs = args.runs or RUNS[args.size]
            hugo = shutil.which(args.hugo)
            found = _measure(folder, args.size, runs, hugo)
            print(_table(args.size, SIZES[args.size], runs, found, before, args.hugo))


def _measure(folder: Path, size: str, runs: int, hugo: str | None) -> dict[str, Result]:
    """Every measurement, each in child processes of its own, in the order they depend on."""
    site, public, floor, serve = (folder / name for name in ("site", "public", "floor", "serve"))
    results = {"corpus": _child("corpus", site=str(site), size=size)}
    # The floor and Hugo render the texts the cold build wrote: the last cold output is kept.
    results["cold"] = _best(
        [_child("cold", site=str(site), out=str(_fresh(public))) for _ in range(runs)]
    )
    results["floor"] = _best(
        [_child("floor", source=str(public), out=str(_fresh(floor))) for _ in range(runs)]
    )
    if hugo is not None:
        results |= _measure_hugo(folder, public, size, runs, hugo)
    # `policygen build` keeps its cache in a folder of the benchmark's, empty before the first build.
    cached, cache = _fresh(folder / "cached"), _fresh(folder / "cache")
    cli = {"site": str(site), "out": str(cached), "cache": str(cache)}
    results["cli first"] = _child("cli", **cli)
    # The build right after the one that wrote the output, then builds that follow builds
    # that changed nothing: they differ if the first must learn what the cache lacks.
    results["cli second"] = _child("cli", **cli)
    results["cli noop"] = _best([_child("cli", **cli) for _ in range(runs)])
    results["cli edit"] = _best([_child("cli", **cli, word=word) for word in EDIT_WORDS[:runs]])
    # Edits that follow edits: the builds above wrote or linked (and the first few after
    # them read back and hash) every file of the output; its files' stamps are trusted once
    # unchanged for output.SETTLED since, and then only the files of the edit are touched.
    for word in LATER_EDIT_WORDS[:SETTLING_EDITS]:
        _child("cli", **cli, word=word)
    later = LATER_EDIT_WORDS[SETTLING_EDITS : SETTLING_EDITS + runs]
    results["cli later edit"] = _best([_child("cli", **cli, word=word) for word in later])
    # Serve last: its edits change the edited file's times, which a build right after would
    # see as an edit (a file changed less than two seconds before a build is not trusted).
    results["serve"] = _child("serve", site=str(site), out=str(_fresh(serve)), runs=runs)
    if (BENCH / "diff.py").is_file():
        try:
            results |= {
                f"diff {size}": _best([_child("diff", size=size) for _ in range(runs)])
                for size in DIFF_SIZES
            }
        except ChildFailed as failed:
            results["diff error"] = {"line": failed.last_line}
    return results


def _measure_hugo(folder: Path, public: Path, size: str, runs: int, hugo: str) -> dict[str, Result]:
    """Hugo on the texts of the cold build's output, or why it could not be timed."""
    site, out = folder / "hugo-site", folder / "hugo-public"
    try:
        written = _child("hugo site", output=str(public), folder=str(_fresh(site)), size=size)
        timed = _best(
            [_child("hugo", hugo=hugo, site=str(site), out=str(_fresh(out))) for _ in range(runs)]
        )
    except ChildFailed as failed:
        return {"hugo error": {"line": failed.last_line}}
    return {"hugo": {**timed, "texts": written["texts"]}}


def _measure_scale(folder: Path, runs: dict[str, int]) -> dict[str, Result]:
    """The best cold build of each size's corpus, for the scaling table."""
    for size in runs:
        _child("corpus", site=str(folder / size / "site"), size=size)
    # Sizes take turns (large, xl, large, xl…), so that a change in the machine's load
    # during the run weighs on every size alike.
    builds: dict[str, list[Result]] = {size: [] for size in runs}
    for turn in range(max(runs.values())):
        for size in (size for size, count in runs.items() if turn < count):
            site, public = folder / size / "site", _fresh(folder / size / "public")
            builds[size].append(_child("cold", site=str(site), out=str(public)))
    return {size: _best(found) for size, found in builds.items()}


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
    request = json.dumps({"kind": kind, "sampling": SAMPLING, **params})
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
    """The fastest run, with the highest memory of all runs."""
    best = min(runs, key=lambda run: run["wall"])
    most = max(runs, key=lambda run: run.get("pss_mb") or 0)
    return {
        **best,
        **{key: most[key] for key in MEMORY_KEYS if key in most},
        "rss_mb": max(run["rss_mb"] for run in runs),
        "workers_rss_mb": max(run["workers_rss_mb"] for run in runs),
    }


# Children: each returns what it measured, as JSON values.

MEMORY_KEYS = ("pss_mb", "private_mb", "processes", "samples", "interval_ms", "sampler_cpu")
"""What a child reports of its peak memory (bench/memory.py's Peak)."""


def _timed(action: Callable[[], T], *, watch: str = "tree") -> tuple[T, Result]:
    """The action's value, its wall and CPU time, and, unless `watch` is "", the peak memory of
    this process and its descendants ("tree") or of its descendants alone ("descendants")."""
    sampler = PeakMemory(os.getpid(), include_root=watch == "tree") if SAMPLING and watch else None
    with sampler or nullcontext():
        wall, cpu = time.perf_counter(), _cpu_seconds()
        value = action()
        wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
    return value, {"wall": wall, "cpu": cpu - _sampler_cpu(sampler), **_memory(sampler)}


def _memory(sampler: PeakMemory | None) -> Result:
    peak = sampler.peak if sampler is not None else None
    if peak is None:
        return {}
    return {
        "pss_mb": peak.pss_mb,
        "private_mb": peak.private_mb,
        "processes": peak.processes,
        "samples": peak.samples,
        "interval_ms": peak.interval_ms,
        "sampler_cpu": peak.cpu,
    }


def _sampler_cpu(sampler: PeakMemory | None) -> float:
    """The sampler thread's CPU time: it is in this process's, and is not the work measured."""
    peak = sampler.peak if sampler is not None else None
    return peak.cpu if peak is not None else 0.0


def _cpu_seconds() -> float:
    """CPU time of this process and of its ended children: a build's worker processes count."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def _peak_rss_mb() -> dict[str, float]:
    """Peak RSS of this process, and of the largest of its ended child processes (0 if none)."""
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
    from policygen.cli import main as policygen

    edited = _edited_file(site)
    original = edited.read_text("utf-8")
    if word:
        edited.write_text(_with_word_changed(original, word), encoding="utf-8")
    arguments = ["build", site, "--output", out, "--as-of", AS_OF.isoformat(), "--cache-dir", cache]
    said = io.StringIO()
    try:
        with redirect_stderr(said):
            status, timing = _timed(lambda: policygen(arguments))
    finally:
        if word:  # a build with nothing changed leaves the file as it was, times included
            edited.write_text(original, encoding="utf-8")
    if status != 0:
        raise RuntimeError(
            f"policygen {' '.join(arguments)} exited with {status}:\n{said.getvalue()}"
        )
    pages, rendered = _built_pages(said.getvalue(), Path(out))
    return {**timing, "pages": pages, "rendered": rendered, **_cache_bytes(Path(cache), Path(out))}


def _cache_bytes(cache: Path, out: Path) -> dict[str, int]:
    """The bytes of the cache folder: its own, and those the spare (the output before last)
    takes besides the files it shares with the output. A spare being removed (renamed aside,
    and removed by a process of its own while this runs) is not counted."""
    output = {inode for _, inode, _ in _files(out)}
    spare = cache / "spare"
    cache_bytes = spare_bytes = 0
    for path, inode, size in _files(cache):
        if not path.is_relative_to(spare):
            cache_bytes += size
        elif inode not in output:
            spare_bytes += size
    return {"cache_bytes": cache_bytes, "spare_bytes": spare_bytes}


def _files(folder: Path) -> list[tuple[Path, int, int]]:
    """(path, inode, size) of each file below `folder`, but those of folders set aside to be
    removed (they may vanish while they are listed)."""
    found = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if ".removed-" not in name]
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                info = os.lstat(os.path.join(root, name))
                if stat.S_ISREG(info.st_mode):
                    found.append((Path(root, name), info.st_ino, info.st_size))
    return found


def _built_pages(said: str, out: Path) -> tuple[int, int | None]:
    """Pages built and pages rendered, as the command's summary says; None where it does not."""
    built = re.search(r"built (\d+) pages", said)
    if built is None:
        return sum(1 for _ in out.rglob("*.html")), None
    kept = re.search(r"(\d+) pages were unchanged", said)
    return int(built[1]), int(built[1]) - (int(kept[1]) if kept else 0)


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
        for text in sorted(Path(source).rglob("source.md")):
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


def _hugo_site(output: str, folder: str, size: str) -> Result:
    from hugo import write_hugo_site

    return {"texts": write_hugo_site(Path(output), Path(folder), SIZES[size])}


def _hugo(hugo: str, site: str, out: str) -> Result:
    # A cold build: a fresh destination, and no resources cache (nor one left for the next run).
    command = [hugo, "--quiet", "--source", site, "--destination", out, "--ignoreCache"]
    command += ["--cacheDir", str(Path(out).with_name(Path(out).name + "-cache"))]
    done, timing = _timed(
        lambda: subprocess.run(command, capture_output=True, text=True, check=False),
        watch="descendants",
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}:\n{done.stderr}")
    version = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
    return {
        **timing,
        "pages": sum(1 for _ in Path(out).rglob("*.html")),
        "version": version.stdout.split(" ")[1] if version.stdout.count(" ") else "?",
    }


def _serve(site: str, out: str, runs: int) -> Result:
    from policygen.serving import Preview

    preview = Preview(Path(site), Path(out), AS_OF)

    def rebuild() -> Result:
        _, timing = _timed(preview.rebuild, watch="")
        if preview.failed:
            raise RuntimeError("\n".join(str(p) for p in preview.problems) or "rebuild failed")
        return {**timing, "rendered": preview.rendered}

    # Memory is sampled through the warm-up build (which forks workers), then once after each
    # timed rebuild, not during it: the rebuilds take a tenth of a second, and the sampler
    # would take a share of that.
    watch = PeakMemory(os.getpid()) if SAMPLING else None
    with watch or nullcontext():
        warm = rebuild()
    noop_runs = [_sampled(watch, rebuild()) for _ in range(runs)]
    # The latest revision is upcoming: the text editors work on (it may change until in effect).
    edited = _edited_file(site)
    original = edited.read_text("utf-8")
    edits = []
    try:
        for word in EDIT_WORDS[:runs]:
            edited.write_text(_with_word_changed(original, word), encoding="utf-8")
            edits.append(_sampled(watch, rebuild()))
    finally:
        edited.write_text(original, encoding="utf-8")
    return {
        "warm": warm,
        "noop": _best_timing(noop_runs),
        "edit": _best_timing(edits),
        "edited": str(edited.relative_to(site)),
        **_memory(watch),
    }


def _sampled(watch: PeakMemory | None, result: Result) -> Result:
    if watch is not None:
        watch.sample()
    return result


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
    _, timing = _timed(functools.partial(diff_texts, old, new))
    return {**timing, "bytes": len(new.encode("utf-8"))}


CHILDREN: dict[str, Callable[..., Result]] = {
    "corpus": _write_corpus,
    "cold": _cold_build,
    "floor": _floor,
    "hugo site": _hugo_site,
    "hugo": _hugo,
    "serve": _serve,
    "cli": _cli_build,
    "diff": _diff,
}

# The table.


def _table(
    name: str,
    size: CorpusSize,
    runs: int,
    results: dict[str, Result],
    before: tuple[str, float],
    hugo_command: str,
) -> str:
    corpus, cold, floor, serve = (results[k] for k in ("corpus", "cold", "floor", "serve"))
    pages = cold["pages"]
    rows = [
        ("cold build", _s(cold["wall"]), _s(cold["cpu"]), _pss(cold), _mb(cold["rss_mb"]),
         f"{pages:,} HTML pages into a fresh folder; "
         + (f"{cold['jobs']} worker processes, ru_maxrss each at most {_mb(cold['workers_rss_mb'])}"
            if cold["workers_rss_mb"] else "one process") + _summed(cold), TARGETS["cold"]),
        ("pages per second", f"{pages / cold['wall']:,.0f}", f"{pages / cold['cpu']:,.0f}", "", "",
         "HTML pages of the cold build ÷ its time", ""),
        ("floor", _s(floor["wall"]), _s(floor["cpu"]), _pss(floor), _mb(floor["rss_mb"]),
         f"{floor['pages']:,} revision pages: markdown-it-py + Jinja2 + write", ""),
        ("cold build ÷ floor", f"{cold['wall'] / floor['wall']:.2f}×",
         f"{cold['cpu'] / floor['cpu']:.2f}×", "", "", "", TARGETS["ratio"]),
    ]  # fmt: skip
    footer = []
    if "hugo" in results:
        hugo = results["hugo"]
        rows += [
            ("Hugo, same corpus", _s(hugo["wall"]), _s(hugo["cpu"]), _pss(hugo),
             _mb(hugo["workers_rss_mb"]), f"{hugo['pages']:,} HTML pages (policygen: {pages:,})"
             f" from the same {hugo['texts']:,} revision texts; hugo {hugo['version']}, cold", ""),
            ("policygen ÷ Hugo", f"{cold['wall'] / hugo['wall']:.2f}×",
             f"{cold['cpu'] / hugo['cpu']:.2f}×", _ratio(cold, hugo, "pss_mb"), "",
             "cold build ÷ Hugo, same run; Hugo makes no redlines, manifest or feeds",
             TARGETS["hugo"]),
        ]  # fmt: skip
    elif "hugo error" in results:
        footer.append(f"Hugo rows left out: Hugo failed ({results['hugo error']['line']})")
    else:
        footer.append(
            f"Hugo rows skipped: {hugo_command} is not on PATH; to compare with Hugo on the"
            f" same corpus, install it ({HUGO_INSTALL}) or name one with --hugo"
        )
    rows += [
        ("no-op rebuild (serve)", _s(serve["noop"]["wall"]), _s(serve["noop"]["cpu"]),
         _pss(serve), _mb(serve["rss_mb"]),
         f"{serve['noop']['rendered']:,} of {pages:,} pages rendered", TARGETS["noop"]),
        ("rebuild after editing one file (serve)", _s(serve["edit"]["wall"]),
         _s(serve["edit"]["cpu"]), "", "",
         f"{serve['edit']['rendered']:,} pages rendered; a word of {serve['edited']}",
         TARGETS["edit"]),
    ]  # fmt: skip
    first, second, noop, edit, later = (
        results[f"cli {step}"] for step in ("first", "second", "noop", "edit", "later edit")
    )
    rows += [
        ("policygen build, first build (fills the cache)", _s(first["wall"]), _s(first["cpu"]),
         _pss(first), _mb(first["rss_mb"]), f"{_count(first['rendered'])} pages rendered;"
         f" cache {first['cache_bytes'] / 1e6:,.0f} MB" + _summed(first), ""),
        ("policygen build, nothing changed, right after the first", _s(second["wall"]),
         _s(second["cpu"]), _pss(second), _mb(second["rss_mb"]),
         f"{_count(second['rendered'])} pages rendered", TARGETS["cli noop"]),
        ("policygen build, nothing changed, after a build that changed nothing",
         _s(noop["wall"]), _s(noop["cpu"]), _pss(noop), _mb(noop["rss_mb"]),
         f"{_count(noop['rendered'])} pages rendered", TARGETS["cli noop"]),
        ("policygen build, after editing one file", _s(edit["wall"]), _s(edit["cpu"]),
         _pss(edit), _mb(edit["rss_mb"]),
         f"{_count(edit['rendered'])} pages rendered; the same edit as serve's; the output"
         f" before last, kept to be brought up to date, takes {edit['spare_bytes'] / 1e6:,.0f} MB"
         " besides the files it shares with the output", TARGETS["cli edit"]),
        ("policygen build, after editing one file, edits later", _s(later["wall"]),
         _s(later["cpu"]), _pss(later), _mb(later["rss_mb"]),
         f"{_count(later['rendered'])} pages rendered; the same file edited, after"
         f" {len(EDIT_WORDS[:runs]) + SETTLING_EDITS} edits and their builds",
         TARGETS["cli edit"]),
    ]  # fmt: skip
    if "diff error" in results:
        footer.append(f"diff rows left out: bench/diff.py failed ({results['diff error']['line']})")
    elif f"diff {DIFF_SIZES[0]}" not in results:
        footer.append("diff rows left out: bench/diff.py does not exist")
    else:
        rows += [
            (f"diff_texts, {size // 1000} KB pair", _s(d["wall"]), _s(d["cpu"]), _pss(d),
             _mb(d["rss_mb"]), f"bench/diff.py make_pair({size:_}): {d['bytes'] / 1000:,.0f} KB",
             "")
            for size in DIFF_SIZES for d in [results[f"diff {size}"]]
        ]  # fmt: skip
    header = (
        "measurement", "wall", "CPU", "peak memory", "ru_maxrss", "notes",
        "target (large, 2 cores)",
    )  # fmt: skip
    lines = [
        f"policygen benchmark, size {name}: {size.policies} policies × {size.languages} languages"
        f" × {size.regions} regions × {size.revisions} revisions",
        "",
        "| " + " | ".join(header) + " |",
        "|---|--:|--:|--:|--:|---|---|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        f"- corpus: {corpus['documents']:,} documents (.md files, {corpus['text_bytes'] / corpus['documents'] / 1000:.1f} KB"
        f" on average), {size.revision_pages:,} revision pages; output: {pages:,} HTML pages,"
        f" {cold['files']:,} files, {cold['bytes'] / 1e6:.1f} MB; {cold['warnings']} warnings",
        _machine(before),
        f"- best of {runs} runs, each measurement in a child process of its own; wall and CPU"
        " time of the measured call only (imports excluded; CPU includes worker processes;"
        " `policygen build` is its command line run in the child process)",
        _memory_note({"cold build": cold}),
        "- ru_maxrss: getrusage(RUSAGE_SELF) of the measuring child process alone, shared pages"
        " counted in full (Hugo: RUSAGE_CHILDREN, the hugo process); serve: the whole session,"
        " warm-up build included, its peak memory sampled through the warm-up and after each"
        " rebuild",
        f"- serve's warm-up build (its first build, as `policygen serve` starts): {_s(serve['warm']['wall'])}"
        f" wall, {_s(serve['warm']['cpu'])} CPU",
        *(f"- {line}" for line in footer),
    ]
    return "\n".join(lines)


def _scale_table(
    results: dict[str, Result], runs: dict[str, int], before: tuple[str, float]
) -> str:
    """Cold builds of two sizes or more, and how time and memory grow from the first."""
    sizes = list(results)
    reference, base = sizes[0], results[sizes[0]]
    rows = [
        (name, f"{SIZES[name].policies} × {SIZES[name].languages} × {SIZES[name].regions}"
         f" × {SIZES[name].revisions}", f"{SIZES[name].revision_pages:,}", f"{r['pages']:,}",
         _s(r["wall"]), _s(r["cpu"]), f"{r['pages'] / r['wall']:,.0f}", _pss(r),
         _mb(r["rss_mb"]), str(runs[name]))
        for name, r in results.items()
    ]  # fmt: skip
    header = (
        "size", "policies × languages × regions × revisions", "revision pages", "HTML pages",
        "wall", "CPU", "pages per second", "peak memory", "ru_maxrss", "runs",
    )  # fmt: skip
    ratios = [f"{name} ÷ {reference}" for name in sizes[1:]]
    ratio_rows = []
    for label, key in (("revision pages", ""), ("HTML pages", "pages"), ("time (wall)", "wall"),
                       ("time (CPU)", "cpu"), ("peak memory", "pss_mb"),
                       ("ru_maxrss", "rss_mb")):  # fmt: skip
        cells = [
            f"{SIZES[name].revision_pages / SIZES[reference].revision_pages:.2f}×"
            if not key
            else _ratio(results[name], base, key)
            for name in sizes[1:]
        ]
        goal = {
            "wall": f"≤ {TIME_GOAL} × the revision pages' ratio",
            "pss_mb": f"≤ {MEMORY_GOAL}×",
        }.get(key, "")
        ratio_rows.append((label, *cells, goal))
    verdicts = []
    for name in sizes[1:]:
        pages_ratio = SIZES[name].revision_pages / SIZES[reference].revision_pages
        time_ratio = results[name]["wall"] / base["wall"]
        verdicts.append(
            f"- time({name}) / time({reference}) = {time_ratio:.2f} (goal ≤ {TIME_GOAL * pages_ratio:.2f}:"
            f" {'met' if time_ratio <= TIME_GOAL * pages_ratio else 'not met'})"
        )
        if "pss_mb" in results[name] and "pss_mb" in base:
            memory_ratio = results[name]["pss_mb"] / base["pss_mb"]
            verdicts.append(
                f"- peak memory({name}) / peak memory({reference}) = {memory_ratio:.2f}"
                f" (goal ≤ {MEMORY_GOAL}: {'met' if memory_ratio <= MEMORY_GOAL else 'not met'})"
            )
    lines = [
        "policygen scaling: cold builds (policygen.pipeline.build, no cache, one worker process"
        f" per core) of sizes {', '.join(sizes)}",
        "",
        "| " + " | ".join(header) + " |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        "| ratio | " + " | ".join(ratios) + " | goal |",
        "|---|" + "--:|" * len(ratios) + "---|",
        *("| " + " | ".join(row) + " |" for row in ratio_rows),
        "",
        *verdicts,
        _machine(before),
        "- each build in a child process of its own; the fastest of its runs, and the highest"
        " memory of its runs; wall and CPU time of the build call only (CPU includes workers)",
        _memory_note({f"{name} build": result for name, result in results.items()}),
        "- ru_maxrss: getrusage(RUSAGE_SELF) of the build process alone, shared pages counted"
        " in full, workers left out",
    ]
    return "\n".join(lines)


def _pss(result: Result) -> str:
    return _mb(result["pss_mb"]) if "pss_mb" in result else "—"


def _summed(result: Result) -> str:
    """What the peak memory of a build adds up."""
    if "pss_mb" not in result:
        return ""
    return (
        f"; peak memory of {result['processes']} process{'es' if result['processes'] > 1 else ''}"
        " together, of it"
        f" {_mb(result['private_mb'])} private"
    )


def _ratio(result: Result, other: Result, key: str) -> str:
    if key not in result or key not in other or not other[key]:
        return "—"
    return f"{result[key] / other[key]:.2f}×"


def _count(number: int | None) -> str:
    return "?" if number is None else f"{number:,}"


def _memory_note(results: dict[str, Result]) -> str:
    sampled = {what: result for what, result in results.items() if "pss_mb" in result}
    if not sampled:
        return "- peak memory: not sampled (--no-sampler, or no /proc on this system)"
    return (
        "- peak memory: the highest sum of Pss (private pages, plus shared pages divided among"
        " the processes that share them) of the measuring process and its workers (Hugo: the"
        " hugo process), read from /proc/PID/smaps_rollup by a thread of that process; "
        + "; ".join(
            f"{what}: {r['samples']} samples, one every {r['interval_ms']:.0f} ms on average,"
            f" {_s(r['sampler_cpu'])} of CPU"
            for what, r in sampled.items()
        )
        + " (the CPU column leaves the sampler's out)"
    )


def _machine(before: tuple[str, float]) -> str:
    return (
        f"- policygen {_code_measured(before[0])}; machine: {os.cpu_count()} cores,"
        f" {platform.python_implementation()} {platform.python_version()},"
        f" {platform.system()} {platform.machine()}; load average {before[1]:.2f} before,"
        f" {os.getloadavg()[0]:.2f} after"
    )


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
