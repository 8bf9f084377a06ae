"""Texts a hostile contributor could write to make a build slow → how the time of `policygen
check` grows with each, from half the size to the full size.

Run: .venv/bin/python bench/pathological.py [--size N] [--limit R]

Each text is one revision of one policy: a long run of one construct (nested tags, open
brackets, emphasis marks, attribute lists, long lines of spaces…) of about N characters.
Doubling a text doubles the time of a reader whose cost grows with the text (less, with the
fixed cost of a check), and quadruples that of one whose cost grows with its square, which
takes minutes at the default size. The script prints each construct's time at both sizes
and their ratio, and exits 1 when a ratio passes the limit.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

SITE_YAML = """\
title: Pathological
base_url: https://policies.example.org/
default_language: en
languages: [en]
timezone: UTC
regions:
  global: {default: true}
"""


def texts(size: int) -> dict[str, str]:
    """Each construct repeated to about `size` characters."""
    lines = max(1, size // 100)
    return {
        "plain text": ("Plain words of a policy. " * (size // 25)),
        "long line of spaces": " " * size + "x",
        "quote marks": ">" * size,
        "quote marks and spaces": "> " * (size // 2) + "x",
        "open brackets": "[" * size,
        "brackets opened then closed": "[" * (size // 2) + "]" * (size // 2),
        "emphasis marks": "*a " * (size // 3),
        "underscores": "_" * size + "x",
        "less-than signs": "<" * size,
        "unfinished comments": "<!-" * (size // 3),
        "attribute list openers": "{: " * (size // 3),
        "colons": ":" * size,
        "pipes": "|" * size,
        "character reference openers": "&#" * (size // 2),
        "backslashes": "\\" * size,
        "nested spans": "<span>" * (size // 6) + "x",
        "nested templates": "<template>" * (size // 10) + "x",
        "nested drawings": "<svg>" * (size // 5) + "x",
        "end tags of nothing open": "</span>" * (size // 7),
        "tags on lines of their own": "<span>\n" * (size // 7),
        "links to policies": '<a href="policy:p">' * (size // 19),
        "in-page links": "".join(f"[x](#a{i}) " for i in range(size // 10)),
        "headings": "".join(f"## {i}. Heading\n\n" for i in range(lines)),
        "attribute lists": "".join(f"Words.\n{{: #p{i} }}\n\n" for i in range(lines)),
        "nested lists": "".join("  " * i + "- x\n" for i in range(min(lines, 300))),
        "template placeholder openers": "{%" * (size // 2),
        "a heading with a run of spaces": "## a" + " " * size + "b",
        "a heading with a run of wide spaces": "## a" + "\u3000" * size + "b",
        "hashes without spaces": "".join(f"##x{i}\n" for i in range(size // 8)),
        "asterisk pairs": "** a " * (size // 5),
        "numbers without spaces": "".join(f"{i}.x\n" for i in range(size // 8)),
        "scissors lines": "--8<--\n" * (size // 7),
        "a tag of many attributes": "<div "
        + " ".join(f"a{i}" for i in range(size // 8))
        + ">\nx\n</div>",
        "placeholders in angle brackets": "".join(f"<name{i} here> " for i in range(size // 14)),
        "links to scripts": "[x](javascript:a) " * (size // 18),
        "HTML links to scripts": '<a href="javascript:a">x</a> ' * (size // 29),
        "templates around words": "<template>x</template> " * (size // 23),
    }


def check_time(folder: Path, body: str) -> tuple[float, int]:
    """Seconds `policygen check` takes on a site whose one text has `body`, and its exit status."""
    from policygen.cli import main as policygen

    text = folder / "content/p/2024-01-01/en.md"
    text.parent.mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    text.write_text(f"---\ntitle: P\neffective: 2024-01-01\n---\n## 1. A\n\n{body}\n", "utf-8")
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        status = policygen(["check", str(folder)])
    return time.perf_counter() - started, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=120_000, help="characters per text")
    parser.add_argument("--limit", type=float, default=3.0, help="the largest growth allowed")
    args = parser.parse_args()
    failed = []
    with tempfile.TemporaryDirectory() as scratch:
        check_time(Path(scratch) / "warm-up", "Words.")
        halves = texts(args.size // 2)
        for name, body in texts(args.size).items():
            folder = Path(scratch) / name.replace(" ", "-")
            half, _ = check_time(folder, halves[name])
            seconds, status = check_time(folder, body)
            growth = seconds / half
            print(
                f"{name:30} {len(body):>9,} chars  {half:6.2f} s → {seconds:6.2f} s  {growth:4.1f}×  exit {status}"
            )
            if growth > args.limit or status not in (0, 1):
                failed.append(name)
    if failed:
        print(f"grew more than {args.limit}× from half the size, or failed: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
