"""The benchmark (bench/): its corpus is the same bytes every time and builds cleanly at every
size; its memory sampler sums a process tree's memory counting shared pages once; its Hugo
site holds the same texts; bench/run.py prints every row, with Hugo or saying why not."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from policygen.pipeline import build

from .conftest import NOW, ROOT

BENCH = ROOT / "bench"


def _load(name: str) -> ModuleType:
    # The bench modules import each other by name, as bench/run.py does run as a script.
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load("corpus")
memory = _load("memory")
hugo = _load("hugo")
run = _load("run")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_corpus_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    corpus.write_corpus(tmp_path / "first", corpus.SIZES["tiny"])
    corpus.write_corpus(tmp_path / "second", corpus.SIZES["tiny"])

    first = _files(tmp_path / "first")
    assert "policies.lock" in first
    assert first == _files(tmp_path / "second")


def test_policygen_builds_the_corpus_without_problems(tmp_path: Path) -> None:
    site, size = tmp_path / "site", corpus.SIZES["tiny"]
    corpus.write_corpus(site, size)

    result = build(site, tmp_path / "public", now=NOW, as_of=corpus.AS_OF)

    assert result.warnings == ()
    assert len(list((tmp_path / "public").glob("*/*/*/*/source.md"))) == size.revision_pages
    documents = [
        document
        for policy in result.site.policies
        for revision in policy.revisions
        for document in revision.documents.values()
    ]
    assert any(document.is_fallback for document in documents), "a missing translation"
    assert any(document.source.region for document in documents), "a <lang>.<region>.md file"


def test_the_largest_sizes_have_the_policies_and_languages_they_need() -> None:
    assert corpus.SIZES["xl"].revision_pages == 9_600
    assert corpus.SIZES["xxl"].revision_pages > corpus.SIZES["xl"].revision_pages
    sizes = corpus.SIZES.values()
    assert len(corpus.POLICIES) >= max(size.policies for size in sizes)
    assert len(corpus.LANGUAGES) >= max(size.languages for size in sizes)
    assert len({policy[0] for policy in corpus.POLICIES}) == len(corpus.POLICIES)
    assert set(corpus.LANGUAGES) - {"en", "ja"} == set(corpus.PSEUDO_TRANSLATIONS)


def test_policygen_builds_every_policy_in_every_language_without_problems(
    tmp_path: Path,
) -> None:
    # Every policy and language of the xxl corpus, with one region and one revision each.
    size = corpus.CorpusSize(
        policies=len(corpus.POLICIES), languages=len(corpus.LANGUAGES), regions=1, revisions=1
    )
    corpus.write_corpus(tmp_path / "site", size)

    result = build(tmp_path / "site", tmp_path / "public", now=NOW, as_of=corpus.AS_OF)

    assert result.warnings == ()
    public = tmp_path / "public"
    assert len(list(public.glob("*/*/*/*/source.md"))) == size.revision_pages
    assert {path.parent.name.casefold() for path in public.glob("*/global")} >= {
        language.casefold() for language in corpus.LANGUAGES
    }
    assert {path.name for path in public.glob("en/global/*") if path.is_dir()} == {
        policy[0] for policy in corpus.POLICIES
    }


def test_the_sampler_counts_a_forked_process_s_shared_pages_once(tmp_path: Path) -> None:
    # A process that fills 200 MB, then forks: the two share those pages, copy on write.
    script = textwrap.dedent(
        f"""
        import json, os, sys, time
        sys.path.insert(0, {str(BENCH)!r})
        from memory import PeakMemory, read_usage
        data = bytearray(200 << 20)
        for i in range(0, len(data), 4096):
            data[i] = 1
        alone = read_usage(os.getpid())
        watch = PeakMemory(os.getpid())
        child = os.fork()
        if child == 0:
            time.sleep(2)
            os._exit(0)
        time.sleep(0.3)
        watch.sample()
        os.waitpid(child, 0)
        peak = watch.peak
        print(json.dumps({{"alone": alone.pss_kb / 1024, "pss": peak.pss_mb,
                          "private": peak.private_mb, "processes": peak.processes}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    measured = json.loads(done.stdout)

    assert measured["alone"] > 200
    assert measured["processes"] == 2
    # Counted once (split between the two), not twice as RSS would count it...
    assert measured["pss"] == pytest.approx(measured["alone"], abs=20)
    # ...and not zero times, as the sum of private pages does.
    assert measured["private"] < 50


def test_the_sampler_finds_the_memory_of_descendants() -> None:
    # In a process of its own, which has no other descendants than the one it starts.
    script = textwrap.dedent(
        f"""
        import json, os, subprocess, sys
        sys.path.insert(0, {str(BENCH)!r})
        from memory import PeakMemory
        holder = "b = bytearray(96 << 20); b[::4096] = b'1' * len(b[::4096]); import time; time.sleep(3)"
        with PeakMemory(os.getpid(), include_root=False) as watch:
            subprocess.run([sys.executable, "-c", holder], check=True)
        peak = watch.peak
        print(json.dumps({{"pss": peak.pss_mb, "processes": peak.processes, "samples": peak.samples}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    measured = json.loads(done.stdout)

    assert measured["processes"] == 1
    assert measured["pss"] > 96
    assert measured["samples"] >= 3


def test_the_sampler_measures_a_tiny_build_as_it_runs(tmp_path: Path) -> None:
    corpus.write_corpus(tmp_path / "site", corpus.SIZES["tiny"])

    with memory.PeakMemory(os.getpid()) as watch:
        build(tmp_path / "site", tmp_path / "public", now=NOW, as_of=corpus.AS_OF, jobs=2)

    peak = watch.peak
    assert peak is not None
    assert peak.samples >= 2
    assert peak.processes >= 1
    assert 10 < peak.private_mb <= peak.pss_mb
    assert peak.cpu > 0


def test_the_hugo_site_holds_each_revision_page_s_text(tmp_path: Path) -> None:
    size = corpus.SIZES["tiny"]
    corpus.write_corpus(tmp_path / "site", size)
    build(tmp_path / "site", tmp_path / "public", now=NOW, as_of=corpus.AS_OF)

    texts = hugo.write_hugo_site(tmp_path / "public", tmp_path / "hugo", size)

    assert texts == size.revision_pages
    written = _files(tmp_path / "hugo")
    config = written["hugo.toml"].decode()
    assert '[languages."en"]\ncontentDir = "content/en"' in config
    assert '[languages."ja"]\ncontentDir = "content/ja"' in config
    revision = "content/ja/europe/privacy/2027-01-18.md"
    source = (tmp_path / "public/ja/europe/privacy/2027-01-18/source.md").read_bytes()
    assert written[revision].endswith(source)
    assert written[revision].startswith(
        '---\ntitle: "プライバシーポリシー"\ndate: 2027-01-18\n'.encode()
    )
    assert written["content/ja/europe/_index.md"] == '---\ntitle: "欧州・英国"\n---\n'.encode()


@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed")
def test_hugo_builds_the_same_corpus(tmp_path: Path) -> None:
    size = corpus.SIZES["tiny"]
    corpus.write_corpus(tmp_path / "site", size)
    build(tmp_path / "site", tmp_path / "public", now=NOW, as_of=corpus.AS_OF)
    hugo.write_hugo_site(tmp_path / "public", tmp_path / "hugo", size)

    timed = run._hugo(shutil.which("hugo"), str(tmp_path / "hugo"), str(tmp_path / "out"))

    # Revision pages, a list per policy and region, per region, a home per language, and
    # the redirect from the root to the default language.
    policies_lists = size.policies * size.regions * size.languages
    expected = size.revision_pages + policies_lists + size.regions * size.languages + 2 + 1
    assert timed["pages"] == expected
    assert timed["pss_mb"] > 10
    page = (tmp_path / "out/ja/europe/privacy/2027-01-18/index.html").read_text("utf-8")
    assert (
        'hreflang="en" href="https://www.example.org/policies/en/europe/privacy/2027-01-18/"'
        in page
    )
    assert '<a href="/policies/ja/global/privacy/2027-01-18/">その他の地域</a>' in page
    assert '<a href="/policies/ja/europe/privacy/2026-09-10/">Previous version</a>' in page


def test_the_scaling_table_says_whether_the_goals_are_met() -> None:
    results = {
        "large": {"pages": 6_570, "wall": 10.0, "cpu": 18.0, "rss_mb": 240.0, "pss_mb": 500.0},
        "xl": {"pages": 19_700, "wall": 34.0, "cpu": 60.0, "rss_mb": 700.0, "pss_mb": 600.0},
    }
    for result in results.values():
        result |= {
            "private_mb": 1.0,
            "processes": 3,
            "samples": 10,
            "interval_ms": 20.0,
            "sampler_cpu": 0.1,
        }

    table = run._scale_table(results, {"large": 2, "xl": 2}, ("abc1234", 0.5))

    assert "| time (wall) | 3.40× | ≤ 1.1 × the revision pages' ratio |" in table
    assert "| peak memory | 1.20× | ≤ 1.3× |" in table
    assert "- time(xl) / time(large) = 3.40 (goal ≤ 3.30: not met)" in table
    assert "- peak memory(xl) / peak memory(large) = 1.20 (goal ≤ 1.3: met)" in table


def _bench(*arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_benchmark_prints_every_row_and_says_why_hugo_is_missing() -> None:
    table = _bench("--size", "tiny", "--runs", "1", "--hugo", "policygen-bench-no-such-hugo")

    rows = [line.split(" | ")[0].lstrip("| ") for line in table.splitlines() if line[:2] == "| "]
    assert rows == [
        "measurement",
        "cold build",
        "pages per second",
        "floor",
        "cold build ÷ floor",
        "no-op rebuild (serve)",
        "rebuild after editing one file (serve)",
        "policygen build, first build (fills the cache)",
        "policygen build, nothing changed, right after the first",
        "policygen build, nothing changed, after a build that changed nothing",
        "policygen build, after editing one file",
        "policygen build, after editing one file, edits later",
        "diff_texts, 50 KB pair",
        "diff_texts, 500 KB pair",
    ]
    assert "- Hugo rows skipped: policygen-bench-no-such-hugo is not on PATH" in table
    cold = next(line for line in table.splitlines() if line.startswith("| cold build |"))
    assert cold.split(" | ")[3].endswith(" MB"), "peak memory sampled"
    assert "| policygen build, nothing changed, right after the first |" in table
    assert "| 0 pages rendered |" in table


def test_the_benchmark_compares_two_sizes() -> None:
    table = _bench("--scale", "tiny", "small", "--runs", "1")

    assert "| tiny | 1 × 2 × 2 × 2 | 8 |" in table
    assert "| small | 2 × 2 × 2 × 3 | 24 |" in table
    assert "| revision pages | 3.00× |" in table
    assert "- time(small) / time(tiny) = " in table
    assert "- peak memory(small) / peak memory(tiny) = " in table
