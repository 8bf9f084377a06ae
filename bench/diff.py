"""Policy-like text pairs of 50 KB and 500 KB → how long diff_texts takes (best of 5).

Run: .venv/bin/python bench/diff.py

The old text has numbered H2 sections of paragraphs, lists and tables; the new one has a word
changed in some paragraphs, a section inserted (so every later section is renumbered), a list
item removed and a table cell edited: the edits of a real revision. The "parse" column is
the part of the time spent in markdown-it parsing both texts, for comparison.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import partial

from markdown_it.token import Token

from policygen.diffing import diff_texts
from policygen.diffing.blocks import read_blocks
from policygen.errors import SourceLocation
from policygen.markdown import MARKDOWN

WORDS = (
    "we", "collect", "process", "store", "share", "personal", "data", "information", "about",
    "you", "your", "account", "services", "cookies", "analytics", "partners", "providers",
    "purposes", "legal", "basis", "consent", "contract", "legitimate", "interests", "retention",
    "period", "request", "access", "rectify", "erase", "object", "portability", "security",
    "measures", "transfer", "countries", "safeguards", "children", "contact", "controller",
    "processor", "may", "will", "when", "where", "which", "including", "such", "as", "for",
    "and", "or", "the", "of", "to", "in", "on", "with", "by",
)  # fmt: skip
TOPICS = (
    "Who we are",
    "Data we collect",
    "How we use data",
    "Cookies",
    "Sharing",
    "International transfers",
    "Retention",
    "Your rights",
    "Security",
    "Children",
    "Changes",
    "Contact",
)


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
    # Wrap as authors do, so that the texts have soft line breaks.
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > 78:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def section(rng: random.Random, number: int) -> list[str]:
    blocks = [f"## {number}. {TOPICS[number % len(TOPICS)]}"]
    for _ in range(rng.randint(2, 4)):
        blocks.append(paragraph(rng))
    if rng.random() < 0.6:
        blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 6))))
    if rng.random() < 0.25:
        rows = [f"| {rng.choice(WORDS)} | {sentence(rng)} |" for _ in range(rng.randint(2, 5))]
        blocks.append("\n".join(["| Purpose | Legal basis |", "|---|---|", *rows]))
    return blocks


def make_pair(size: int, seed: int = 7) -> tuple[str, str]:
    """An old text of about `size` bytes and its revision."""
    rng = random.Random(seed)
    sections: list[list[str]] = []
    while sum(len("\n\n".join(blocks)) for blocks in sections) < size:
        sections.append(section(rng, len(sections) + 1))
    old = "\n\n".join("\n\n".join(blocks) for blocks in sections) + "\n"
    edited = [list(blocks) for blocks in sections]
    for blocks in edited:
        for index, block in enumerate(blocks):
            if block[0].isalpha() and rng.random() < 0.2:
                words = block.split(" ")
                words[rng.randrange(len(words))] = rng.choice(WORDS)
                blocks[index] = " ".join(words)
            elif block.startswith("- ") and rng.random() < 0.2:
                items = block.split("\n")
                del items[rng.randrange(len(items))]
                blocks[index] = "\n".join(items)
            elif block.startswith("| Purpose") and rng.random() < 0.5:
                blocks[index] = block.replace(" |\n", " (updated) |\n", 1)
    edited.insert(len(edited) // 3, section(rng, 0))
    for number, blocks in enumerate(edited, start=1):
        title = blocks[0].split(". ", 1)[1]
        blocks[0] = f"## {number}. {title}"
    new = "\n\n".join("\n\n".join(blocks) for blocks in edited) + "\n"
    return old, new


def parse_text(text: str) -> list[Token]:
    """The tokens of a text, as markdown-it reads it for rendering."""
    lines = tuple(range(1, text.count("\n") + 2))
    env = {"problems": [], "file_lines": lines, "where": SourceLocation(""), "targets": []}
    return MARKDOWN.parse(text, env)


def parse_both(old: str, new: str) -> None:
    parse_text(old)
    parse_text(new)


def cold_diff(old: str, new: str) -> None:
    """diff_texts without the blocks its small cache kept from the run before."""
    read_blocks.cache_clear()
    diff_texts(old, new)


def best_of(runs: int, function: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print(
        f"{'size':>8}  {'blocks':>6}  {'sections':>8}  {'changed':>7}  {'seconds':>8}  {'parse':>8}"
    )
    for size in (50_000, 500_000):
        old, new = make_pair(size)
        redline = diff_texts(old, new)
        blocks = sum(1 for token in parse_text(new) if token.type == "inline")
        seconds = best_of(5, partial(cold_diff, old, new))
        parse = best_of(5, partial(parse_both, old, new))
        print(
            f"{len(new.encode()) // 1000:>6}KB  {blocks:>6}  {len(redline.sections):>8}"
            f"  {len(redline.changed_sections):>7}  {seconds:>8.3f}  {parse:>8.3f}"
        )


if __name__ == "__main__":
    main()
