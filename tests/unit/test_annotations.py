"""Problems as GitHub Actions annotations: where they point, and what survives the format."""

from __future__ import annotations

import pytest

from policygen.annotations import github_annotation
from policygen.errors import SourceLocation, error, warning


@pytest.mark.parametrize(
    ("problem", "site", "line"),
    [
        (
            error(SourceLocation("content/p/1/en.md", 3, 1), "unknown-key", "unknown key 'x'"),
            "",
            "::error file=content/p/1/en.md,line=3,col=1,title=policygen%3A unknown-key::unknown key 'x'",
        ),
        (
            warning(SourceLocation("site.yaml"), "not-locked", "lock it"),
            "docs/policies",
            "::warning file=docs/policies/site.yaml,title=policygen%3A not-locked::lock it",
        ),
        (
            error(SourceLocation("a,b:c.md", 2), "x", "100% sure\nsecond line\r"),
            "./s",
            "::error file=s/a%2Cb%3Ac.md,line=2,title=policygen%3A x::100%25 sure%0Asecond line%0D",
        ),
    ],
)
def test_github_annotation(problem: object, site: str, line: str) -> None:
    assert github_annotation(problem, site) == line  # type: ignore[arg-type]
