"""Texts a hostile contributor could write to make a build slow → how the time of `policygen
check` grows with each, from half the size to the full size; and revisions that change a text
all through in one way → how the time of their redline grows.

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
import gc
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
        "the same heading": "## A\n\nWords.\n\n" * (size // 17),
        "the same heading id": "## A {#same}\n\nWords.\n\n" * (size // 24),
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
        "a right-to-left isolate around spaces": "\u2067" + " " * size + "1 2",
        "a right-to-left isolate around brackets": "\u2067" + "(a) " * (size // 4),
        "elements set right to left, none closed": '<span dir="rtl">1 ' * (size // 18),
        "blocks set right to left, none closed": '<div dir="rtl">\n\n1 2\n\n' * (size // 22),
        "words split by invisible characters": "a\u200bb " * (size // 4),
        "invisible characters as references": "a&#8203;b &amp; " * (size // 16),
        "words of mixed scripts": "s\u0435ll " * (size // 5),
        "web addresses": "https://example.org/a " * (size // 22),
        "schemes without spaces": "http://" * (size // 7),
        "web addresses before Japanese": "https://example.org/を" * (size // 21),
        "email addresses on lines of their own": "a@example.org\n" * (size // 14),
        "footnote mark openers, one note": "[^1]: A note.\n\nx[^1] " + "[^" * (size // 2),
        "footnote mark openers closed once": "[^1]: A note.\n\nx[^1] " + "[^" * (size // 2) + "]",
        "footnotes": "".join(f"x[^{i}] " for i in range(size // 24))
        + "\n\n"
        + "".join(f"[^{i}]: A note.\n" for i in range(size // 24)),
        "one footnote marked many times": "x[^1] " * (size // 6) + "\n\n[^1]: A note.\n",
        "footnotes with no mark": "".join(f"[^{i}]: A note.\n" for i in range(size // 16)),
        "a footnote with a long label": f"x[^{'a' * size}]\n\n[^{'a' * size}]: A note.\n",
    }


def redline_pairs(size: int, stem: str) -> dict[str, tuple[str, str]]:
    """Two revisions of about `size` characters each, the second changing the first all
    through in one way (words named after `stem`, so that no cache of a run serves another)."""
    count = max(2, size // 80)  # paragraphs of twelve words
    old = [[f"{stem}{n}" for n in range(k * 12, k * 12 + 12)] for k in range(count)]
    moved = [old[0]]
    for paragraph in old[1:]:
        moved[-1] = moved[-1] + paragraph[:3]
        moved.append(paragraph[3:])
    halves = [part for paragraph in old for part in (paragraph[:6], paragraph[6:])]
    edited = [[*paragraph[:5], "changed", *paragraph[6:]] for paragraph in old]

    def paragraphs(text: list[list[str]]) -> str:
        return "\n\n".join(" ".join(words) for words in text) + "\n"

    def items(text: list[list[str]]) -> str:
        return "".join(f"- {' '.join(words)}\n" for words in text)

    def rows(text: list[list[str]]) -> str:
        return "| a | b |\n|---|---|\n" + "".join(
            f"| {' '.join(words[:6])} | {' '.join(words[6:])} |\n" for words in text
        )

    def noted(text: list[list[str]]) -> str:
        """Each paragraph's first word marked with a note whose words are the paragraph's."""
        marks = "\n\n".join(f"{words[0]}[^{k}]" for k, words in enumerate(text))
        return (
            marks + "\n\n" + "".join(f"[^{k}]: {' '.join(words)}\n" for k, words in enumerate(text))
        )

    def shared(text: list[list[str]], grown: int = -1) -> str:
        """A table of raw HTML whose every row shares a cell with the next: one group."""
        return (
            "<table>\n"
            + "".join(
                f"<tr><td>{' '.join(words[:6])}</td>"
                f'<td rowspan="{3 if k == grown else 2}">{" ".join(words[6:])}</td></tr>\n'
                for k, words in enumerate(text)
            )
            + "</table>\n"
        )

    def sections(text: list[list[str]], *, is_titled: bool = True) -> str:
        """Each paragraph a section, headed by its first word (or every one by one heading)."""
        return "".join(
            f"## {words[0] if is_titled else 'A'}\n\n{' '.join(words)}\n\n" for words in text
        )

    # The first half of the sections put after the second, each edited.
    reordered = [*old[count // 2 :], *edited[: count // 2]]

    return {
        "every paragraph edited": (paragraphs(old), paragraphs(edited)),
        "every paragraph break moved": (paragraphs(old), paragraphs(moved)),
        "every paragraph split": (paragraphs(old), paragraphs(halves)),
        "paragraphs joined in pairs": (
            paragraphs(old),
            paragraphs([a + b for a, b in zip(old[::2], old[1::2], strict=False)]),
        ),
        "all paragraphs joined in one": (paragraphs(old), paragraphs([sum(old, [])])),
        "every list item split": (items(old), items(halves)),
        "every list item's words moved": (items(old), items(moved)),
        "every table row edited": (rows(old), rows(edited)),
        "rows sharing cells, every row edited": (shared(old), shared(edited)),
        "rows sharing cells, one spanning one more": (shared(old), shared(old, count // 2)),
        "paragraphs reversed": (paragraphs(old), paragraphs(old[::-1])),
        "every footnote edited": (noted(old), noted(edited)),
        "footnotes reversed": (noted(old), noted(old[::-1])),
        "the same heading, text edited": (
            "".join(f"## A\n\n{' '.join(words)}\n\n" for words in old),
            "".join(f"## A\n\n{' '.join(words)}\n\n" for words in edited),
        ),
        "sections moved and edited": (sections(old), sections(reordered)),
        "the same heading, moved and edited": (
            sections(old, is_titled=False),
            sections(reordered, is_titled=False),
        ),
        "one paragraph repeated, edited": (  # (a short paragraph: twice as many)
            paragraphs([old[0]] * (2 * count)),
            paragraphs([edited[0] if k % 2 else old[0] for k in range(2 * count)]),
        ),
    }


def redline_time(old: str, new: str) -> float:
    """Seconds the redline of `old` → `new` takes to compute, from texts not read before:
    what a redline reads is kept for the next (the blocks of each text, its sections), and
    pairs share texts, so that a pair's time would depend on the pairs before it."""
    from policygen import markdown
    from policygen.diffing import diff_texts

    for module in [m for name, m in sys.modules.items() if name.startswith("policygen")]:
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    markdown._RECENT_SECTIONS.htmls.clear()
    gc.collect()
    started = time.perf_counter()
    diff_texts(old, new)
    return time.perf_counter() - started


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
        redline_time("Words.\n", "Other words.\n")
        halves_of_pairs = redline_pairs(args.size // 2, "a")
        for name, (old, new) in redline_pairs(args.size, "b").items():
            half = redline_time(*halves_of_pairs[name])
            seconds = redline_time(old, new)
            growth = seconds / half
            label = f"redline: {name}"
            print(
                f"{label:30} {len(old):>9,} chars  {half:6.2f} s → {seconds:6.2f} s  {growth:4.1f}×"
            )
            if growth > args.limit:
                failed.append(label)
    if failed:
        print(f"grew more than {args.limit}× from half the size, or failed: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
