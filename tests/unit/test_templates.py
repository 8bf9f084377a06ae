"""Jinja2 environments: one per language, sandboxed, sharing their compiled templates."""

from __future__ import annotations

from typing import Any

import jinja2
import pytest
from babel.support import NullTranslations
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from policygen.markdown import MARKS
from policygen.sandbox import TooLarge, escape_output
from policygen.templates import make_templates, put_words


class French(NullTranslations):
    def gettext(self, message: str) -> str:
        return {"Hello": "Bonjour"}.get(message, message)


def counted_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the templates Jinja compiles from now on, as it compiles them."""
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name)
        return original(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_languages_share_compiled_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = counted_compiles(monkeypatch)
    templates = make_templates(
        {
            "page.html": "{% extends 'theme/page.html' %}{% block word %}{{ _('Hello') }}{% endblock %}"
        },
        {"page.html": "<p>{% block word %}{% endblock %}</p>"},
        {"en": NullTranslations(), "fr": French()},
    )
    pages = [templates.render("page.html", language, {}) for language in ("en", "fr", "en")]
    assert pages == ["<p>Hello</p>", "<p>Bonjour</p>", "<p>Hello</p>"]
    # The site's page.html and the theme's, each compiled once for all three renderings.
    assert compiled == ["page.html", "page.html"]


def test_a_site_template_comes_before_the_theme_s_and_can_extend_it() -> None:
    templates = make_templates(
        {"page.html": "site {% include 'theme/page.html' %}"},
        {"page.html": "theme", "other.html": "theme other"},
        {"en": NullTranslations()},
    )
    assert templates.render("page.html", "en", {}) == "site theme"
    assert templates.render("other.html", "en", {}) == "theme other"


@pytest.mark.parametrize("name", ["../page.html", "theme/../page.html", "/etc/passwd"])
def test_a_template_name_cannot_leave_the_templates(name: str) -> None:
    templates = make_templates({"page.html": "site"}, {}, {"en": NullTranslations()})
    with pytest.raises(jinja2.TemplateNotFound):
        templates.render(name, "en", {})


class Translated(NullTranslations):
    def gettext(self, message: str) -> str:
        return {"inserted": "eingefügt", "deleted": "<gelöscht>"}.get(message, message)


def test_the_stand_ins_filter_puts_each_named_word_in_escaped() -> None:
    templates = make_templates(
        {},
        {
            "page.html": "{{ html | stand_ins({marks.inserted: _('inserted'), "
            "marks.deleted: _('deleted'), '\ue000note\ue001': 'a & b'}) }}"
        },
        {"de": Translated()},
    )
    html = Markup(
        "<ins>\ue000inserted\ue001: x</ins><del>\ue000deleted\ue001: y</del>"
        "\ue000note\ue001 \ue000unknown\ue001 \ue000inserted\ue001"
    )
    assert templates.render("page.html", "de", {"html": html}) == (
        "<ins>eingefügt: x</ins><del>&lt;gelöscht&gt;: y</del>"
        "a &amp; b \ue000unknown\ue001 eingefügt"
    )
    # Text that is not markup is escaped, stand-ins or none.
    assert templates.render("page.html", "de", {"html": "<b>\ue000inserted\ue001"}) == (
        "&lt;b&gt;eingefügt"
    )


def test_the_stand_ins_filter_leaves_a_text_without_any_as_it_is() -> None:
    html = Markup("<p>" + "words " * 1000 + "</p>")
    assert put_words(html, {MARKS.inserted: "inserted"}) is html


def test_compiling_ahead_takes_the_templates_a_page_extends_imports_or_includes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    templates = make_templates(
        {
            "page.html": "{% extends 'theme/page.html' %}{% block word %}{{ _('Hello') }}{% endblock %}"
        },
        {
            "page.html": '{%- extends "base.html" %}{% from "marks.html" import mark %}',
            "base.html": "<p>{% block word %}{% endblock %}</p>{% include 'footer.html' %}",
            "marks.html": "{% macro mark() %}!{% endmacro %}",
            "footer.html": "<footer></footer>",
            "broken.html": "{% if %}",
        },
        {"en": NullTranslations(), "fr": French()},
    )
    templates.compile(["page.html", "broken.html"])  # the broken one is left to its page
    compiled = counted_compiles(monkeypatch)
    pages = [templates.render("page.html", language, {}) for language in ("en", "fr")]
    assert pages == ["<p>Hello</p><footer></footer>", "<p>Bonjour</p><footer></footer>"]
    assert compiled == []


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()))
def test_output_is_escaped_exactly_as_markupsafe_escapes_it(value: object) -> None:
    assert escape_output(value) == str(escape(value))
    assert escape_output(Markup("<b>x</b>")) == "<b>x</b>"


@pytest.mark.parametrize("is_the_sites", [False, True], ids=["theme", "site"])
def test_a_template_escapes_text_and_keeps_markup(is_the_sites: bool) -> None:
    class Html:
        def __html__(self) -> str:
            return "<i>own</i>"

    template = {"page.html": "{{ text }}|{{ html }}|{{ own }}|{{ number }}|{{ 'a\"b' }}"}
    templates = make_templates(
        template if is_the_sites else {},
        {} if is_the_sites else template,
        {"en": NullTranslations()},
    )
    page = templates.render(
        "page.html",
        "en",
        {"text": "<script>&'", "html": Markup("<b>bold</b>"), "own": Html(), "number": 3},
    )
    assert page == "&lt;script&gt;&amp;&#39;|<b>bold</b>|<i>own</i>|3|a&#34;b"
    environment = templates.environments["en"]
    written_by = environment.get_template("page.html").root_render_func.__globals__["escape"]
    # Written by `escape_output`; in a site that brings templates, each value is counted
    # against the page's budget too (the theme's own pages pay nothing for it).
    assert written_by == (environment.write if is_the_sites else escape_output)  # type: ignore[attr-defined]
    with pytest.raises(jinja2.UndefinedError):
        make_templates({}, {"p.html": "{{ missing }}"}, {"en": NullTranslations()}).render(
            "p.html", "en", {}
        )


@pytest.mark.parametrize(
    "call",
    [
        '_("%(x)1000000000s")',
        'ngettext("%(num)1000000000s day", "%(num)1000000000s days", 2)',
        'pgettext("label", "%(x)1000000000s")',
        'npgettext("label", "%(num)1000000000s day", "%(num)1000000000s days", 2)',
    ],
)
def test_no_gettext_function_fills_in_a_message_of_a_gigabyte(call: str) -> None:
    # Jinja's own ngettext made a text of a gigabyte from a template's message, before the
    # page's budget could count it.
    templates = make_templates({"page.html": "{{ " + call + " }}"}, {}, {"en": NullTranslations()})
    with pytest.raises(TooLarge, match="a width or precision of more than 1,000,000"):
        templates.render("page.html", "en", {})
