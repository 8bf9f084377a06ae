"""yamldoc's composer: libyaml where it can, giving the nodes PyYAML gives, and PyYAML for
every mistake and for texts too long to be composed safely in C."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from policygen import yamldoc
from policygen.errors import SourceLocation
from policygen.frontmatter import split_front_matter

ROOT = Path(__file__).resolve().parents[2]
WHERE = SourceLocation("en.md")


def _shape(node: Any) -> Any:
    """What policygen reads of a node: tags, values, and where each starts (libyaml ends a
    text's last mapping a line further when the text has no final line break)."""
    marks = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, *marks)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, *marks, [_shape(item) for item in node.value])
    return (node.tag, *marks, [(_shape(k), _shape(v)) for k, v in node.value])


def _yaml_texts() -> list[str]:
    texts = []
    for path in sorted([*ROOT.glob("tests/**/*.md"), *ROOT.glob("content/**/*.md")]):
        parts = split_front_matter(path.read_text("utf-8", errors="replace"))
        if parts is not None:
            texts.append(parts[0])
    texts += [p.read_text("utf-8") for p in sorted(ROOT.glob("tests/sites/**/*.yaml"))]
    return texts


@pytest.mark.skipif(yamldoc._C_LOADER is None, reason="PyYAML without libyaml")
def test_libyaml_gives_the_nodes_pyyaml_gives_for_every_file_of_the_test_sites() -> None:
    texts = _yaml_texts()
    assert len(texts) > 50
    for text in texts:
        try:
            expected = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            continue
        if expected is None or len(text) > yamldoc.C_LOADER_UNTIL:
            continue
        assert _shape(yaml.compose(text, Loader=yamldoc._C_LOADER)) == _shape(expected), text


@pytest.mark.parametrize(
    "text",
    [
        "title: [a, b\n",
        "title: a\n  b: c\n",
        "a: 1\na: 2\n\tb: 3\n",
        "key: 'unclosed\n",
        "- a\nb: c\n",
    ],
)
def test_a_mistake_is_told_as_pyyaml_tells_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    told = yamldoc.parse_yaml(text, WHERE, first_line=2)
    monkeypatch.setattr(yamldoc, "_C_LOADER", None)
    assert told == yamldoc.parse_yaml(text, WHERE, first_line=2)


def test_a_text_nested_deeper_than_the_stack_is_an_error_not_a_crash() -> None:
    deep = "a: " + "[" * 200_000 + "]" * 200_000 + "\n"
    node, problems = yamldoc.parse_yaml(deep, WHERE, first_line=2)
    assert node is None and [p.message for p in problems] == [yamldoc._TOO_DEEP]


@pytest.mark.parametrize("depth", [99, 100, 101, 500, 1200])
@pytest.mark.parametrize("kind", ["{a: %s}", "[%s]", "{a: %s, b: [1, {c: 2}]}"])
def test_a_text_nested_too_deep_is_told_the_same_with_or_without_libyaml(
    kind: str, depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    nested = "1"
    for _ in range(depth):
        nested = kind % nested
    text = f"title: T\nextra: {nested}\n"
    told = yamldoc.parse_yaml(text, WHERE, first_line=2)
    monkeypatch.setattr(yamldoc, "_C_LOADER", None)
    without = yamldoc.parse_yaml(text, WHERE, first_line=2)
    assert told[1] == without[1]
    assert (told[0] is None) == (without[0] is None)
