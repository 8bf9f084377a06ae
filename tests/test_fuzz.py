"""Random whole sites built through the command line: exit 0 or 1, never a traceback, and a
published site that parses, validates and hashes right (bench/fuzz.py; run it there for long)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from hypothesis import HealthCheck, given, settings

from .conftest import ROOT


def _load_fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_fuzz", ROOT / "bench" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(fuzz.sites())
def test_any_site_builds_or_fails_cleanly(site: dict[str, bytes]) -> None:
    failures = fuzz.check_site(site)
    assert not failures, "\n".join(failures[:20]) + "\n" + fuzz.describe(site)


REGRESSIONS = {
    "an invalid date inside extra": {
        "site.yaml": b"base_url: https://example.org/\ndefault_language: en\nlanguages: [en]\nregions:\n  global: {default: true}\n",
        "content/privacy/2024-01-01/en.md": b"---\neffective: 2024-01-01\nextra: {when: 2024-13-01, tag: !!python/object:os.system [id]}\n---\nText.\n",
    },
    "the first day of year 1 in a zone ahead of UTC": {
        "site.yaml": b"base_url: https://example.org/\ndefault_language: en\nlanguages: [en]\ntimezone: Etc/GMT-14\nregions:\n  global: {default: true}\n",
        "content/privacy/first/en.md": b"---\neffective: 0001-01-02\n---\nText.\n",
        "content/privacy/last/en.md": b"---\neffective: 9999-12-30\npublished: 0001-01-02\n---\nText.\n",
    },
    "a warning that quotes a zero-width space": {
        "site.yaml": b"base_url: https://example.org/\ndefault_language: en\nlanguages: [en]\nregions:\n  global: {default: true}\n",
        "content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\n*\u200b we **\n".encode(),
    },
    "a tag that a later HTML block ends": {
        "site.yaml": b"base_url: https://example.org/\ndefault_language: en\nlanguages: [en]\nregions:\n  global: {default: true}\n",
        "content/privacy/2024-01-01/en.md": b"---\neffective: 2024-01-01\n---\n<div\ttitle=x hidden\n\n<!-- c --> shown\n",
    },
}


def test_sites_that_once_failed_build_or_fail_cleanly() -> None:
    for name, site in REGRESSIONS.items():
        assert fuzz.check_site(site) == [], name
