"""A site folder is untrusted input: its templates run sandboxed, and nothing outside it is read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run, SiteFactory

CLI = Callable[..., Run]
TEXT = {"content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\nText.\n"}


def errors(run: Run) -> list[str]:
    """The error lines a run printed."""
    return [line for line in run.err.splitlines() if ": error: " in line]


def history_template(body: str) -> str:
    """A site's history.html whose main block is `body` (its line 2)."""
    return '{% extends "theme/history.html" %}\n{% block main %}' + body + "{% endblock %}\n"


ESCAPES = {
    "the class of a string": (
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "access to attribute '__class__' of 'str' object is unsafe",
    ),
    "a function's globals": (
        "{{ cycler.__init__.__globals__.os.system('touch {marker}') }}",
        "access to attribute '__init__' of 'type' object is unsafe",
    ),
    "a module reached from a global": (
        "{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}",
        "access to attribute '__globals__' of 'function' object is unsafe",
    ),
    "the template's context": (
        "{{ self._TemplateReference__context }}",
        "access to attribute '_TemplateReference__context' of 'TemplateReference' object is unsafe",
    ),
    "a format string": (
        "{{ '{0.__class__}'.format(1) }}",
        "access to attribute '__class__' of 'int' object is unsafe",
    ),
    "the attr filter": (
        "{{ ''|attr('__class__') }}",
        "access to attribute '__class__' of 'str' object is unsafe",
    ),
    "changing a value": (
        "{% set names = [] %}{{ names.append('x') }}",
        "access to attribute 'append' of 'list' object is unsafe",
    ),
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("body, refused", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_template_cannot_reach_out_of_the_sandbox(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, command: str, body: str, refused: str
) -> None:
    marker = tmp_path / "ran"
    site = site_factory(
        {**TEXT, "templates/history.html": history_template(body.replace("{marker}", str(marker)))}
    )
    out = tmp_path / "out"
    run = cli(command, str(site), *(["-o", str(out)] if command == "build" else []))
    assert run.code == 1
    assert errors(run) == [
        "templates/history.html:2: error: template error: "
        f"templates may only show the values policygen gives them ({refused})"
    ]
    assert "Traceback" not in run.err
    assert not marker.exists()
    assert not out.exists()


TEMPLATE_ERRORS = {
    "a syntax error": (
        history_template("\n\n{% if %}"),
        "templates/history.html:4: error: template error: Expected an expression, got 'end of statement block'",
    ),
    "an undefined name": (
        history_template("\n{{ nothing.here }}"),
        "templates/history.html:3: error: template error: 'nothing' is undefined",
    ),
    "a division by zero": (
        history_template("\n{{ 1 // 0 }}"),
        "templates/history.html:3: error: template error: integer division or modulo by zero",
    ),
    "a missing template": (
        history_template("\n{% include 'nowhere.html' %}"),
        "templates/history.html:3: error: template error: there is no template 'nowhere.html'",
    ),
    "a huge range": (
        history_template("{% for i in range(10**9) %}{% endfor %}"),
        "templates/history.html:2: error: template error: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
    ),
    "endless recursion": (
        history_template("{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}"),
        "templates/history.html:2: error: template error: the template calls itself without end",
    ),
    "a missing key": (
        history_template("{{ '%(name)s' % {} }}"),
        "templates/history.html:2: error: template error: no value named 'name'",
    ),
    "a theme template used without what it needs": (
        history_template("\n{% import 'theme/base.html' as base %}{{ base }}"),
        "templates/history.html:3: error: template error: 'page' is undefined",
    ),
    "a template that is not UTF-8": (
        history_template("\n\n{{ 'caf\xe9' }}").encode("latin-1"),
        "templates/history.html:4: error: this file is not UTF-8 text: save it with the UTF-8 encoding",
    ),
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("template, expected", TEMPLATE_ERRORS.values(), ids=TEMPLATE_ERRORS.keys())
def test_template_errors_are_reported_at_their_line(
    site_factory: SiteFactory,
    cli: CLI,
    tmp_path: Path,
    command: str,
    template: str | bytes,
    expected: str,
) -> None:
    site = site_factory({**TEXT, "templates/history.html": template})
    out = tmp_path / "out"
    run = cli(command, str(site), *(["-o", str(out)] if command == "build" else []))
    assert run.code == 1
    assert errors(run) == [expected]
    assert "Traceback" not in run.err
    assert not out.exists()


def test_a_template_in_a_subfolder_is_named_by_its_path(
    site_factory: SiteFactory, cli: CLI
) -> None:
    site = site_factory(
        {
            **TEXT,
            "templates/history.html": history_template("{% include 'parts/note.html' %}"),
            "templates/parts/note.html": "<p>\n{{ note.missing }}</p>\n",
        }
    )
    run = cli("check", str(site))
    assert errors(run) == [
        "templates/parts/note.html:2: error: template error: 'note' is undefined"
    ]
