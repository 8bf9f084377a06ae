"""Region blocks and the canonical form of source.md."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen import canonical
from policygen.canonical import canonicalize, parse_region_blocks
from policygen.errors import SourceLocation

WHERE = SourceLocation("en.md")
REGIONS = ("global", "eu", "uk")
BODY = """\
Intro.

::: region eu uk
European text.
:::

::: region not eu
Not in the EU.
:::

```
::: region eu
code, not a block
```
"""


def resolved(body: str, region: str) -> str:
    blocks, problems = parse_region_blocks(body, WHERE, 5, REGIONS)
    assert problems == []
    return canonicalize(body, 5, blocks, region).text


@pytest.mark.parametrize(
    "region, shown, hidden",
    [
        ("eu", ["European text."], ["Not in the EU."]),
        ("uk", ["European text.", "Not in the EU."], []),
        ("global", ["Not in the EU."], ["European text."]),
    ],
)
def test_region_blocks_show_their_text_only_where_they_apply(
    region: str, shown: list[str], hidden: list[str]
) -> None:
    text = resolved(BODY, region)
    assert all(line in text for line in shown)
    assert not any(line in text for line in hidden)
    assert "::: region eu uk" not in text and "::: region not eu" not in text
    assert "::: region eu\ncode, not a block" in text


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Text.", "Text.\n"),
        ("\n\n  \nText.\n\n\n\nMore.\n\n\n", "Text.\n\nMore.\n"),
        ("Text.\n \t \nMore.\n", "Text.\n\nMore.\n"),
        ("Line with trailing space  \nnext\n", "Line with trailing space  \nnext\n"),
        ("", "\n"),
    ],
)
def test_canonical_form(body: str, expected: str) -> None:
    assert resolved(body, "global") == expected


def test_fence_lines_go_and_the_text_keeps_its_place() -> None:
    body = "A\n\n::: region eu\nB\n:::\n\nC\n"
    assert resolved(body, "eu") == "A\n\nB\n\nC\n"
    assert resolved(body, "global") == "A\n\nC\n"


def test_canonical_lines_map_back_to_file_lines() -> None:
    body = "A\n\n::: region eu\nB\n:::\n\nC\n"
    blocks, _ = parse_region_blocks(body, WHERE, 10, REGIONS)
    canonical = canonicalize(body, 10, blocks, "eu")
    assert canonical.text.split("\n")[2] == "B"
    assert canonical.file_lines[2] == 13
    assert canonical.file_lines[4] == 16


def test_reports_every_malformed_block() -> None:
    body = "::: region\nA\n:::\n\n::: region mars venus\nB\n:::\n"
    _, problems = parse_region_blocks(body, WHERE, 4, REGIONS)
    assert [str(p) for p in problems] == [
        "en.md:4: error: a region block names at least one region: '::: region europe' or '::: region not europe'",
        "en.md:8: error: region block names unknown region 'mars' (regions: global, eu, uk)",
        "en.md:8: error: region block names unknown region 'venus' (regions: global, eu, uk)",
    ]


@pytest.mark.parametrize(
    ("body", "closed"),
    [
        (">::: region eu\n>", False),  # the container plugin read past the end of this text
        (">::: region eu", False),
        (">::: region eu\n", False),
        (">::: region eu\n\nAfter the quote.\n", False),
        ("> ::: region eu\n> Text.\n\nAfter the quote.\n", False),
        ("> ::: region eu\n> Text.\n> :::\n", True),
        ("> ::: region eu\n> :::", True),
        ("- ::: region eu\n  Text.\n  :::\n", True),
    ],
)
def test_a_block_in_a_quote_or_list_is_closed_only_by_a_fence(body: str, closed: bool) -> None:
    blocks, problems = parse_region_blocks(body, WHERE, 1, REGIONS)
    if closed:
        assert (len(blocks), problems) == (1, [])
    else:
        assert blocks == []
        assert [str(p) for p in problems] == [
            "en.md:1: error: this region block is never closed: end it with a line ':::'"
        ]


FENCE_SNIPPETS = [
    "::: region europe",
    "::: region not europe",
    "::: region europe global",
    "::: region mars",
    "::: note",
    ":::",
    "::::",
    "::: ",
    ":::: region europe",
    "Text for everyone.",
    "- a list item\n- another",
    "  ::: region europe",
    "> ::: region europe",
    "```\n::: region europe\n```",
    "<div>\n::: region europe\n</div>",
    "see ::: here",
    "## 2. A heading",
    "",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FENCE_SNIPPETS), min_size=1, max_size=10))
def test_fences_found_by_lines_are_those_the_parser_finds(lines: list[str]) -> None:
    body = "\n".join(lines) + "\n"
    where = SourceLocation("content/p/r/en.md")
    regions = ("global", "europe")
    found = canonical.parse_region_blocks(body, where, 5, regions)
    with mock.patch.object(canonical, "_scan_fences", return_value=None):
        parsed = canonical.parse_region_blocks(body, where, 5, regions)
    assert found == parsed


@settings(max_examples=2000)
@given(
    st.lists(
        st.sampled_from(["\n", " ", "   ", ":", ":::", "```", "~~~", "<", "[", "]:", "a", "x y"]),
        max_size=30,
    ).map("".join)
)
def test_the_fast_search_for_what_only_a_parser_tells_finds_what_the_plain_one_finds(
    body: str,
) -> None:
    from policygen.canonical import AMBIGUOUS, _is_ambiguous

    assert _is_ambiguous(body) == bool(AMBIGUOUS.search(body))
