"""A cached build equals a build from nothing, byte for byte, whatever was edited before it.

A state machine edits a copy of the example site at random (source texts, policy.yaml files,
the template, a catalog, site.yaml, the date, the lock, the versions of the libraries) and,
after each edit, builds it three ways: `policygen build` with its cache, a rebuild of serve
(which keeps its cache in memory), and `policygen build --no-cache`. The three output folders
must be the same, file for file and byte for byte; when the site has errors, all three must
fail alike, and so must `policygen check` with the cache the last build left.

The examples are few, so that the suite stays fast: POLICYGEN_CACHE_PROFILE=cache-equivalence-long
runs many more.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from policygen.cli import main
from policygen.incremental import environment
from policygen.replacement import wait_for_deletions
from policygen.serving import Preview

from .conftest import EXAMPLE_AS_OF, copy_example, read_tree

settings.register_profile(
    "cache-equivalence",
    max_examples=5,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "cache-equivalence-long",
    parent=settings.get_profile("cache-equivalence"),
    max_examples=200,
    stateful_step_count=25,
)
PROFILE = os.environ.get("POLICYGEN_CACHE_PROFILE", "cache-equivalence")

TEXTS = [
    "content/cookies/2022-07-07/en.md",
    "content/cookies/2025-04-01/ja.md",
    "content/privacy/2021-04-01/en.md",
    "content/privacy/2022-07-07/en.europe.md",
    "content/privacy/2022-07-07/ja.md",
    "content/privacy/2027-01-01/en.md",
]
"""Texts of superseded, in-force and upcoming revisions, translations and a region's own text."""
INSERTIONS = [
    "A new sentence.",
    "## 9. A new section",
    "::: region europe\nOnly in Europe.\n:::",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "See the [cookies policy](policy:cookies).",
    "<details><summary>More</summary>Hidden</details>",
]
DATES = [
    dt.date(2021, 4, 1),
    dt.date(2022, 7, 6),
    dt.date(2022, 7, 7),
    dt.date(2026, 11, 15),
    EXAMPLE_AS_OF,
    dt.date(2027, 1, 1),
    dt.date(2030, 1, 1),
]
"""Dates around the revisions' published and effective dates."""
THEME_STRINGS = ["History", "Effective", "Language", "All policies"]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzあいう", min_size=1, max_size=8)
BUILT = re.compile(r"built (\d+) pages.*?(?:; (\d+) pages were unchanged and kept)?$", re.M)


def run(*args: str) -> tuple[int, str]:
    """The command line, in this process: its exit status and what it printed on stderr."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(list(args))
    finally:
        # As the process of a command ends: once the replaced output folder is removed.
        wait_for_deletions()
    return code, err.getvalue()


def _problems(printed: str) -> list[str]:
    return sorted(line for line in printed.splitlines() if ": error: " in line)


class CacheEquivalence(RuleBasedStateMachine):
    """Random edits of a site, each followed by a cached, a served and a clean build."""

    def __init__(self, workspace: Path) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(dir=workspace))
        self.site = copy_example(self.root / "site")
        # Without policies.lock, an edited text in effect is a warning, not an error: most
        # edits leave a site that builds. A rule writes the lock.
        (self.site / "policies.lock").unlink()
        self.as_of = EXAMPLE_AS_OF
        self.versions = dict(environment.library_versions())
        self.stand_in: Callable[[], dict[str, str]] = lambda: self.versions
        environment.library_versions = self.stand_in
        self.preview = Preview(self.site, self.root / "served", self.as_of)
        self.built = 0
        self.is_upgraded = False
        self.last_good: dict[str, bytes] | None = None

    def teardown(self) -> None:
        environment.library_versions = _LIBRARY_VERSIONS
        shutil.rmtree(self.root, ignore_errors=True)

    def _edit(self, path: str, change: Callable[[str], str]) -> None:
        file = self.site / path
        if file.is_file():
            file.write_text(change(file.read_text("utf-8")), "utf-8")

    @rule(
        path=st.sampled_from(TEXTS),
        insertion=st.sampled_from(INSERTIONS),
        where=st.integers(0, 200),
    )
    def insert_into_a_text(self, path: str, insertion: str, where: int) -> None:
        def change(text: str) -> str:
            front, _, body = text.partition("\n---\n")
            blocks = body.split("\n\n")
            blocks.insert(where % (len(blocks) + 1), insertion)
            return front + "\n---\n" + "\n\n".join(blocks)

        self._edit(path, change)

    @rule(path=st.sampled_from(TEXTS), word=WORDS)
    def change_a_word(self, path: str, word: str) -> None:
        self._edit(path, lambda text: re.sub(r"\b[a-z]{7,}\b", word, text, count=1))

    @rule(path=st.sampled_from(TEXTS), key=st.sampled_from(["summary", "title"]), word=WORDS)
    def change_the_front_matter(self, path: str, key: str, word: str) -> None:
        self._edit(
            path, lambda text: re.sub(rf"^{key}: .*$", f"{key}: {word}", text, count=1, flags=re.M)
        )

    @rule(path=st.sampled_from(TEXTS))
    def remove_a_text(self, path: str) -> None:
        (self.site / path).unlink(missing_ok=True)

    @rule(
        policy=st.sampled_from(["cookies", "privacy"]),
        regions=st.sampled_from(["", "regions: [europe]\n", "regions: [global, europe]\n"]),
        word=WORDS,
    )
    def change_a_policys_settings(self, policy: str, regions: str, word: str) -> None:
        (self.site / "content" / policy / "policy.yaml").write_text(
            f"title: {{en: {word}, ja: {word}}}\n{regions}", "utf-8"
        )

    @rule(word=WORDS, is_broken=st.booleans())
    def edit_the_template(self, word: str, is_broken: bool) -> None:
        inserted = f"<p>{word}</p>" + ("{% if %}" if is_broken else "")
        self._edit(
            "templates/document.html",
            lambda text: text.replace("{{ super() }}", "{{ super() }}" + inserted, 1),
        )

    @rule(msgid=st.sampled_from(THEME_STRINGS), word=WORDS)
    def translate_a_theme_string(self, msgid: str, word: str) -> None:
        self._edit(
            "locales/ja/LC_MESSAGES/messages.po",
            lambda text: (
                re.sub(rf'\nmsgid "{msgid}"\nmsgstr ".*"\n', "\n", text)
                + f'\nmsgid "{msgid}"\nmsgstr "{word}"\n'
            ),
        )

    @rule(word=WORDS)
    def retitle_the_site(self, word: str) -> None:
        self._edit(
            "site.yaml",
            lambda text: re.sub(r"^  en: .*$", f"  en: {word}", text, count=1, flags=re.M),
        )

    @rule(days=st.integers(0, 60))
    def change_notice_days(self, days: int) -> None:
        self._edit(
            "site.yaml",
            lambda text: re.sub(r"^notice_days: .*$", f"notice_days: {days}", text, flags=re.M),
        )

    @rule(path=st.sampled_from(["policies/", "legal/", ""]))
    def move_the_site(self, path: str) -> None:
        self._edit(
            "site.yaml",
            lambda text: re.sub(
                r"^(base_url: https://www\.example\.org/).*$", rf"\g<1>{path}", text, flags=re.M
            ),
        )

    @rule(date=st.sampled_from(DATES))
    def change_the_date(self, date: dt.date) -> None:
        self.as_of = self.preview.as_of = date

    @rule()
    def lock(self) -> None:
        run("lock", str(self.site), "--as-of", self.as_of.isoformat())

    @rule(
        name=st.sampled_from(["library nh3", "library jinja2", "cldr", "tz database"]), word=WORDS
    )
    def upgrade_a_library(self, name: str, word: str) -> None:
        self.versions[name] = f"{self.versions[name]}+{word}"
        self.is_upgraded = True

    @invariant()
    def a_cached_build_equals_a_build_from_nothing(self) -> None:
        date = ("--as-of", self.as_of.isoformat())
        out, clean, cache = (str(self.root / name) for name in ("out", "clean", "cache"))
        # A check with the cache the last build left finds what a build from nothing finds.
        checked = run("check", str(self.site), "--cache-dir", cache, *date)
        cached = run("build", str(self.site), "-o", out, "--cache-dir", cache, *date)
        self.preview.rebuild()
        shutil.rmtree(clean, ignore_errors=True)
        fresh = run("build", str(self.site), "-o", clean, "--no-cache", *date)
        assert cached[0] == fresh[0] == checked[0], (cached, fresh, checked)
        assert _problems(cached[1]) == _problems(fresh[1]) == _problems(checked[1])
        assert self.preview.failed == (fresh[0] != 0)
        if fresh[0] == 0:
            self.last_good = read_tree(Path(clean))
            built = BUILT.search(cached[1])
            assert built is not None, cached[1]
            if self.is_upgraded:
                # Nothing made with other libraries is kept.
                assert built.group(2) is None, cached[1]
                assert self.preview.rendered == int(built.group(1))
            self.is_upgraded = False
        if self.last_good is not None:
            assert read_tree(Path(out)) == self.last_good
            assert read_tree(self.preview.out) == self.last_good


_LIBRARY_VERSIONS = environment.library_versions


def test_a_cached_build_equals_a_build_from_nothing_after_any_edits(tmp_path: Path) -> None:
    run_state_machine_as_test(
        lambda: CacheEquivalence(tmp_path), settings=settings.get_profile(PROFILE)
    )


def test_the_cache_keeps_what_did_not_change(tmp_path: Path) -> None:
    """The state machine's builds do use the cache: a build after no edit keeps every page."""
    machine = CacheEquivalence(tmp_path)
    try:
        machine.a_cached_build_equals_a_build_from_nothing()
        code, printed = run(
            "build", str(machine.site), "-o", str(machine.root / "out"),
            "--cache-dir", str(machine.root / "cache"), "--as-of", machine.as_of.isoformat(),
        )  # fmt: skip
        machine.preview.rebuild()
        built = BUILT.search(printed)
        assert code == 0 and built is not None and built.group(1) == built.group(2)
        assert machine.preview.rendered == 0
    finally:
        machine.teardown()
