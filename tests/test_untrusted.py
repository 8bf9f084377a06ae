"""A site folder is untrusted input: its templates run sandboxed, and nothing outside it is read."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.support import NullTranslations

from policygen import pipeline, sandbox, templates
from policygen.errors import BuildFailed
from policygen.serving import Preview
from policygen.sources import read_theme
from policygen.templates import SCHEMAS, THEME

from .conftest import ROOT, Run, SiteFactory

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
    "a format string after one that was allowed": (
        "{{ '{0}'.format(1) }}{{ 'x'.upper() }}{{ '{0.__class__}'.format(1) }}",
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
    "a repetition too large for a page": (
        history_template('{{ "x" * 10 ** 9 }}'),
        "templates/history.html:2: error: template error: the template makes a value too large for a page (a repetition of more than 1,000,000 characters or items)",
    ),
    "a power too large for a page": (
        history_template("{{ 2 ** 1000000 }}"),
        "templates/history.html:2: error: template error: the template makes a value too large for a page (a power of more than 10,000 digits)",
    ),
    "expressions nested too deeply to be read": (
        history_template("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}"),
        "templates/history.html: error: template error: its expressions or blocks nest too deeply to be read",
    ),
    "blocks nested too deeply to be read": (
        history_template("{% if 1 %}" * 3000 + "{% endif %}" * 3000),
        "templates/history.html: error: template error: its expressions or blocks nest too deeply to be read",
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


SECRET = "The build machine's secret."
LINKS_OUT = {
    "site.yaml": "site.yaml",
    "policies.lock": "policies.lock",
    "the content folder": "content",
    "a policy folder": "content/terms",
    "policy.yaml": "content/privacy/policy.yaml",
    "a revision folder": "content/privacy/2025-01-01",
    "a text": "content/privacy/2024-01-01/fr.md",
    "the templates folder": "templates",
    "a template": "templates/history.html",
    "a folder of templates": "templates/parts",
    "the locales folder": "locales",
    "a language's catalogs": "locales/fr",
    "LC_MESSAGES": "locales/fr/LC_MESSAGES",
    "a catalog": "locales/fr/LC_MESSAGES/messages.po",
}


@pytest.fixture
def read_files(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file read with Path.read_bytes or Path.read_text while the test runs, resolved."""
    read: list[Path] = []
    read_bytes, read_text = Path.read_bytes, Path.read_text

    def recording_bytes(self: Path) -> bytes:
        read.append(self.resolve())
        return read_bytes(self)

    def recording_text(self: Path, *args: object, **kwargs: object) -> str:
        read.append(self.resolve())
        return read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", recording_bytes)
    monkeypatch.setattr(Path, "read_text", recording_text)
    return read


CATALOG = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Version"\nmsgstr "Version"\n'
EVERY_PLACE = {
    **TEXT,
    "policies.lock": "# " + SECRET + "\n",
    "content/privacy/policy.yaml": "title: " + SECRET + "\n",
    "content/privacy/2024-01-01/fr.md": "---\ntitle: " + SECRET + "\n---\nTexte.\n",
    "content/privacy/2025-01-01/en.md": "---\neffective: 2025-01-01\n---\n" + SECRET + "\n",
    "content/terms/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\n" + SECRET + "\n",
    "templates/history.html": history_template("{% include 'parts/note.html' %}"),
    "templates/parts/note.html": "<p>" + SECRET + "</p>\n",
    "locales/fr/LC_MESSAGES/messages.po": CATALOG,
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("link", LINKS_OUT.values(), ids=LINKS_OUT.keys())
def test_a_link_out_of_the_site_is_an_error_and_is_never_read(
    site_factory: SiteFactory,
    cli: CLI,
    tmp_path: Path,
    read_files: list[Path],
    command: str,
    link: str,
) -> None:
    site = site_factory(EVERY_PLACE)
    # The link leads to what was there: what policygen would read if it followed it.
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / link).rename(outside / "target")
    (site / link).symlink_to(outside / "target")
    out = tmp_path / "out"
    run = cli(command, str(site), *(["-o", str(out)] if command == "build" else []))
    assert run.code == 1
    assert errors(run) == [
        f"{link}: error: this links to a place outside the site folder, which policygen never reads"
    ]
    assert not [path for path in read_files if path.is_relative_to(outside)]
    assert not out.exists()


def test_the_site_of_these_tests_builds_without_links(site_factory: SiteFactory, cli: CLI) -> None:
    assert cli("check", str(site_factory(EVERY_PLACE))).code == 0


def test_links_that_stay_inside_the_site_are_followed(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    site = site_factory(
        {
            **TEXT,
            "content/privacy/2024-01-01/fr.md": "---\ntitle: Confidentialité\n---\nTexte.\n",
            "content/privacy/2025-01-01/en.md": "---\neffective: 2025-01-01\n---\nNew text.\n",
            "shared/history.html": history_template("<p>Shared history</p>"),
            "shared/fr/LC_MESSAGES/messages.po": CATALOG.replace(
                'msgstr "Version"', 'msgstr "Révision"'
            ),
        }
    )
    (site / "content/privacy/2025-01-01/fr.md").symlink_to("../2024-01-01/fr.md")
    (site / "templates").mkdir()
    (site / "templates/history.html").symlink_to("../shared/history.html")
    (site / "locales").mkdir()
    (site / "locales/fr").symlink_to("../shared/fr", target_is_directory=True)
    out = tmp_path / "out"
    assert cli("build", str(site), "-o", str(out), "--as-of", "2025-06-01").code == 0
    assert "Texte." in (out / "fr/global/privacy/2025-01-01/index.html").read_text()
    assert "Shared history" in (out / "en/global/privacy/history/index.html").read_text()
    assert "Révision" in (out / "fr/global/privacy/index.html").read_text()


def test_a_link_in_a_circle_is_an_error(site_factory: SiteFactory, cli: CLI) -> None:
    site = site_factory({**TEXT, "templates/parts/note.html": "<p>Note</p>\n"})
    (site / "templates/parts/again").symlink_to("..", target_is_directory=True)
    (site / "content/privacy/2024-01-01/fr.md").symlink_to("fr.md")
    assert errors(cli("check", str(site))) == [
        "content/privacy/2024-01-01/fr.md: error: this link leads back to itself: it leads to no file",
        "templates/parts/again: error: this is a link to a folder that contains it: policygen would read it without end",
    ]


def test_a_text_that_is_no_file_is_an_error_that_says_so(
    site_factory: SiteFactory, cli: CLI
) -> None:
    site = site_factory(TEXT)
    folder = site / "content/privacy/2024-01-01"
    (folder / "fr.md").symlink_to("fr-old.md")  # a link to a file since renamed
    os.mkfifo(folder / "de.md")  # which a reader would wait on for ever
    why = "this is not a file that can be read (a link that leads to no file, a pipe or a device): a revision folder holds only Markdown files"
    assert errors(cli("check", str(site))) == [
        f"content/privacy/2024-01-01/de.md: error: unexpected file: {why}",
        f"content/privacy/2024-01-01/fr.md: error: unexpected file: {why}",
    ]


def test_an_output_folder_linked_out_of_the_site_is_not_written(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    site = site_factory(TEXT)
    elsewhere = tmp_path / "elsewhere"
    (site / "public").symlink_to(elsewhere, target_is_directory=True)
    run = cli("build", str(site))
    assert run.code == 1
    assert run.err.splitlines() == [
        f"policygen: {site / 'public'} is a link to a place outside the site folder: policygen does not write through it (name the folder itself with -o)"
    ]
    assert not elsewhere.exists()
    assert cli("build", str(site), "-o", str(elsewhere)).code == 0
    assert (elsewhere / "index.html").is_file()


def test_a_link_out_of_the_theme_is_refused(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(THEME, theme)
    (tmp_path / "secret.css").write_text(SECRET)
    (theme / "static/extra.css").symlink_to(tmp_path / "secret.css")
    with pytest.raises(BuildFailed) as failed:
        read_theme(theme, SCHEMAS)
    assert [str(p) for p in failed.value.problems] == [
        "(theme) static/extra.css: error: this links to a place outside policygen's theme, which policygen never reads"
    ]


def test_the_trust_model_is_written_down_and_quotes_policygen_as_it_speaks(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    assert "[docs/security.md](docs/security.md)" in (ROOT / "README.md").read_text()
    security = (ROOT / "docs/security.md").read_text()
    quoted = [line.strip() for line in security.splitlines() if line.startswith("  templates/")]
    site = site_factory({**TEXT, "templates/history.html": history_template("{{ ''.__class__ }}")})
    escaping = errors(cli("check", str(site)))
    nested = UNBOUNDED_WORK["nested loops"][0]
    (site / "templates/history.html").write_text(history_template(nested))
    over_budget = errors(cli("check", str(site)))
    (tmp_path / "elsewhere.html").write_text("secret")
    (site / "templates/history.html").unlink()
    (site / "templates/history.html").symlink_to(tmp_path / "elsewhere.html")
    linking = errors(cli("check", str(site)))
    assert quoted == [*escaping, *over_budget, *linking]


ADVERSARIAL_LINES = {
    # Each found taking a time that grew with the square of the line: a search for a pattern
    # tried from every character of it (a Liquid placeholder, a heading's attribute list).
    "a line of '{%'": "x " + "{%" * 100_000 + " y\n",
    "a heading with a run of spaces": "## a" + " " * 200_000 + "b\n",
    "a heading with a run of ideographic spaces": "## a" + "\u3000" * 200_000 + "b\n",
}


@pytest.mark.parametrize("text", ADVERSARIAL_LINES.values(), ids=list(ADVERSARIAL_LINES))
def test_a_long_line_takes_a_time_in_proportion_to_its_length(
    text: str, site_factory: SiteFactory, cli: CLI
) -> None:
    """Not a speed check: a text of 200 KB is made in a fraction of a second, where a time
    growing with the square of the line took minutes. A pull request must not be able to
    hold a build up for hours."""
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": TEXT["content/privacy/2024-01-01/en.md"] + "\n" + text}
    )
    started = time.perf_counter()
    run = cli("check", str(site))
    assert time.perf_counter() - started < 30, "a long line took a time growing faster than it"
    assert ": error: " not in run.err


STEPS = (
    "the page takes too much to render: more than 100,000 steps: turns of loops, calls, "
    "templates included, values written, items and characters filters go through"
)
WRITTEN = "the page takes too much to render: more than 1,000,000 characters written"
UNBOUNDED_WORK = {
    # Each would run for hours or fill the memory, though no value it makes is large.
    "nested loops": (
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        STEPS,
    ),
    "loops over a repeated list": (
        "{% set items = [1] * 1000000 %}{% for a in items %}{% for b in items %}{% endfor %}{% endfor %}",
        STEPS,
    ),
    "a recursive macro that branches": (
        "{% macro fib(n) %}{% if n > 1 %}{{ fib(n - 1) }}{{ fib(n - 2) }}{% endif %}{% endmacro %}{{ fib(40) }}",
        STEPS,
    ),
    "a recursive loop": (
        "{% set items = [1] * 30 %}{% for a in items recursive %}{% if loop.depth < 10 %}{{ loop(items) }}{% endif %}{% endfor %}",
        STEPS,
    ),
    "a little text written a billion times": (
        "{% for a in range(100000) %}{% for b in range(10000) %}A sentence, written again. {% endfor %}{% endfor %}",
        WRITTEN,
    ),
    "a little text written a billion times in a macro": (
        "{% macro many() %}{% for a in range(100000) %}{% for b in range(10000) %}word {% endfor %}{% endfor %}{% endmacro %}{{ many() }}",
        STEPS,
    ),
    "values written where autoescaping is off": (
        "{% autoescape false %}{% macro many() %}{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{{ b }}{% endfor %}{% endfor %}{% endmacro %}{{ many() }}{% endautoescape %}",
        STEPS,
    ),
    "a long value written again and again": (
        "{% set long = '<' * 1000000 %}{% for a in range(100000) %}{% set copy %}{{ long }}{% endset %}{% endfor %}",
        WRITTEN,
    ),
}


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounds on a page's rendering a thousandth of policygen's, for tests that reach them
    in a fraction of a second (the bounds are the same code whatever their values)."""
    monkeypatch.setattr(sandbox, "MAX_STEPS", 100_000)
    monkeypatch.setattr(sandbox, "MAX_CHARACTERS", 1_000_000)


@pytest.mark.usefixtures("small_budget")
@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("body, expected", UNBOUNDED_WORK.values(), ids=UNBOUNDED_WORK.keys())
def test_a_template_whose_work_has_no_end_is_stopped_at_its_line(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, command: str, body: str, expected: str
) -> None:
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    out = tmp_path / "out"
    started = time.perf_counter()
    run = cli(command, str(site), *(["-o", str(out)] if command == "build" else []))
    assert time.perf_counter() - started < 30
    assert run.code == 1
    assert errors(run) == [f"templates/history.html:2: error: template error: {expected}"]
    assert "Traceback" not in run.err
    assert not out.exists()


SLOW_FILTERS = {
    # Each went through what it was given in Python, or in a time that grows faster than it,
    # in one step: each took seconds to hours, and a loop of a few turns as many times that
    # (the clock is read every few hundred steps).
    "a long word wrapped at one letter": '{{ ("x" * 60000)|wordwrap(1) }}',
    "a word of closing brackets to find links in": '{{ (")" * 5000 ~ "a)")|urlize }}',
    "filters over the items of filters": (
        '{{ ("x" * 30000)|list|map("upper")|map("lower")|map("upper")|map("lower")|list }}'
    ),
    "a list sorted again and again": (
        '{% for a in range(3) %}{{ ("x" * 40000)|list|sort|length }}{% endfor %}'
    ),
    "the words of a long text titled": '{{ ("x " * 60000)|title }}',
    "tags stripped from a long text": '{{ ("<a>" * 40000)|striptags }}',
    "a long list printed": '{{ ("x" * 60000)|list|pprint }}',
}


@pytest.mark.usefixtures("small_budget")
@pytest.mark.parametrize("body", SLOW_FILTERS.values(), ids=SLOW_FILTERS.keys())
def test_what_a_filter_goes_through_is_steps(
    site_factory: SiteFactory, cli: CLI, body: str
) -> None:
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    assert errors(cli("check", str(site))) == [
        f"templates/history.html:2: error: template error: {STEPS}"
    ]


@pytest.mark.usefixtures("small_budget")
def test_includes_of_includes_are_steps(site_factory: SiteFactory, cli: CLI) -> None:
    """Ten levels of a template that includes the next ten times: ten billion includes, and no
    loop, call or large value."""
    levels = {
        f"templates/parts/level{n}.html": f"{{% include 'parts/level{n + 1}.html' %}}" * 10
        for n in range(10)
    }
    site = site_factory(
        {
            **TEXT,
            **levels,
            "templates/parts/level10.html": "x",
            "templates/history.html": history_template("{% include 'parts/level0.html' %}"),
        }
    )
    run = cli("check", str(site))
    assert run.code == 1
    assert len(errors(run)) == 1
    assert errors(run)[0].endswith(f"error: template error: {STEPS}")
    assert errors(run)[0].startswith("templates/parts/level")


def test_a_page_whose_every_step_is_slow_is_stopped_by_the_clock(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loop of few turns, each searching a long text, writes nothing and takes few steps:
    the time of the processor bounds it."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    body = "{% set long = 'x' * 1000000 %}{% for a in range(100000) %}{% if long|upper %}{% endif %}{% endfor %}"
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    started = time.perf_counter()
    run = cli("check", str(site))
    assert time.perf_counter() - started < 30
    assert errors(run) == [
        "templates/history.html:2: error: template error: the page takes too much to render: more than 0.5 seconds"
    ]


@pytest.mark.usefixtures("small_budget")
def test_the_build_stops_at_the_first_page_over_its_budget(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page of the theme extends base.html: the others would each take as long to fail."""
    rendered: list[str] = []
    render = templates.Templates.render

    def counted(self: templates.Templates, template: str, *args: Any) -> str:
        rendered.append(template)
        return render(self, template, *args)

    monkeypatch.setattr(templates.Templates, "render", counted)
    slow = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    base = "{% extends 'theme/base.html' %}{% block footer %}" + slow + "{% endblock %}\n"
    site = site_factory({**TEXT, "templates/base.html": base})
    run = cli("check", str(site))
    assert errors(run) == [f"templates/base.html:1: error: template error: {STEPS}"]
    assert len(rendered) == 1


@pytest.mark.parametrize("turns, code", [(9_000, 0), (11_000, 1)])
def test_each_page_has_a_budget_of_its_own(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch, turns: int, code: int
) -> None:
    """Pages that each take most of the bound build: it is a bound on one page, not on the site."""
    monkeypatch.setattr(sandbox, "MAX_STEPS", 10_000)
    loop = f"{{% for a in range({turns}) %}}{{% endfor %}}"
    base = "{% extends 'theme/base.html' %}{% block footer %}" + loop + "{% endblock %}\n"
    site = site_factory({**TEXT, "templates/base.html": base})
    assert cli("check", str(site)).code == code


@pytest.mark.usefixtures("small_budget")
def test_serve_keeps_the_last_good_build_and_shows_a_page_over_its_budget(
    site_factory: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """serve builds in a thread of its own (no signal can reach it): the budget is counted
    there as in a build's own process."""
    site = site_factory(TEXT)
    preview = Preview(site, site / "public", dt.date(2026, 1, 1))
    preview.rebuild()
    assert not preview.failed
    good = (site / "public/en/global/privacy/history/index.html").read_bytes()
    (site / "templates").mkdir()
    (site / "templates/history.html").write_text(
        history_template(UNBOUNDED_WORK["nested loops"][0])
    )
    rebuilding = threading.Thread(target=preview.rebuild)
    rebuilding.start()
    rebuilding.join(timeout=30)
    assert not rebuilding.is_alive()
    assert preview.failed
    assert [str(p) for p in preview.problems] == [
        f"templates/history.html:2: error: template error: {STEPS}"
    ]
    assert STEPS in preview.error_page().decode()
    assert (site / "public/en/global/privacy/history/index.html").read_bytes() == good


TOO_LONG = "a text or list of more than 50,000,000 characters or items"
TOO_WIDE = "a width or precision of more than 1,000,000, or given by a value"
LARGE_VALUES = {
    # Each made a text or list of gigabytes from a few characters, in one step.
    "a width in % formatting": ('{{ "%1500000000s" % "x" }}', TOO_WIDE),
    "a width given by a value": ('{{ "%*s" % (1500000000, "x") }}', TOO_WIDE),
    "the format filter": ('{{ "%1500000000s"|format("x") }}', TOO_WIDE),
    "a width in str.format": ('{{ "{:>1500000000}".format(1) }}', TOO_WIDE),
    "a width of str.format given by a value": ('{{ "{:>{}}".format(1, 1500000000) }}', TOO_WIDE),
    "a message of the template's own": ('{{ _("%(x)1500000000s", x=1) }}', TOO_WIDE),
    "the center filter": ('{{ "x"|center(1500000000) }}', TOO_LONG),
    "the center method": ('{{ "x".center(1500000000) }}', TOO_LONG),
    "the zfill method": ('{{ "1".zfill(1500000000) }}', TOO_LONG),
    "tabs expanded": ('{{ ("\t" * 1000).expandtabs(1500000) }}', TOO_LONG),
    "the indent filter": ('{{ ("x\\n" * 1000)|indent(1000000) }}', TOO_LONG),
    "a replacement of nothing": ('{{ ("x" * 1000000)|replace("", "y" * 1000) }}', TOO_LONG),
    "the replace method": ('{{ ("x" * 1000000).replace("x", "y" * 1000) }}', TOO_LONG),
    "a long separator": ('{{ ([1] * 2000)|join("x" * 1000000) }}', TOO_LONG),
    "a long separator's join method": ('{{ ("x" * 1000000).join(["a"] * 2000) }}', TOO_LONG),
    "a join of an attribute": (
        "{% set d = {'a': 'x' * 1000000} %}{{ [" + "d, " * 60 + "]|join(attribute='a') }}",
        TOO_LONG,
    ),
    "a long text listed a million times": (
        "{% set long = 'x' * 1000 %}{{ [long] * 1000000 }}",
        "a repetition of more than 1,000,000 characters or items",
    ),
    "a long text as the value of many keys": (
        "{{ {}.fromkeys(range(100000), 'x' * 1000000) }}",
        TOO_LONG,
    ),
    "batches filled with a long text": ("{{ [1]|batch(100000, 'x' * 1000000)|list }}", TOO_LONG),
    "batches filled": ("{{ [1]|batch(1500000000, 0)|list }}", TOO_LONG),
    "slices without end": ("{{ range(10)|slice(1500000000)|list }}", TOO_LONG),
    "lists summed": ("{{ ([[1]] * 400000)|sum(start=[]) }}", TOO_LONG),
    "whole numbers multiplied": (
        # Squared again and again, each product took three times as long as the last: the
        # sixteenth, minutes of a single step.
        "{% set n = 10 ** 8000 %}{{ n * n > 1 }}",
        "a product of more than 10,000 digits",
    ),
    "a long text in punycode": (
        # Its time grows faster than the square of the letters: 4,000 took 10 seconds.
        '{% set s %}{% for i in range(2000) %}{{ "%c" % (i + 256) }}{% endfor %}{% endset %}'
        '{{ s.encode("Punycode") }}',
        "a text of more than 1,000 characters in punycode",
    ),
    "a long name in IDNA": (
        '{% set s %}{% for i in range(2000) %}{{ "%c" % (i + 256) }}{% endfor %}{% endset %}'
        '{{ s.encode(encoding="idna") }}',
        "a text of more than 1,000 characters in idna",
    ),
    "a long text decoded from punycode": (
        '{{ ("a" * 2000).encode().decode("punycode") }}',
        "a text of more than 1,000 characters in punycode",
    ),
    # A value shown a thousand times by a format of a few thousand characters: a gigabyte.
    "a value named again and again by %": (
        '{{ ("%(a)s" * 1000) % {"a": "x" * 1000000} }}',
        TOO_LONG,
    ),
    "a value named again and again by the format filter": (
        '{{ ("%(a)s" * 1000)|format(a="x" * 1000000) }}',
        TOO_LONG,
    ),
    "a message of the template's own naming a value again and again": (
        '{{ _("%(a)s" * 1000, a="x" * 1000000) }}',
        TOO_LONG,
    ),
    "widths again and again": ('{{ ("%1000000s" * 1000) % ((1,) * 1000) }}', TOO_LONG),
    "letters translated into long texts": (
        '{{ ("x" * 1000000).translate({120: "y" * 1000}) }}',
        TOO_LONG,
    ),
    "links given a long target": (
        '{{ ("www.example.org " * 1000)|urlize(target="x" * 1000000) }}',
        TOO_LONG,
    ),
    "links given a long rel": (
        '{{ ("www.example.org " * 1000)|urlize(rel="x" * 1000000) }}',
        TOO_LONG,
    ),
    "a wide indent of JSON": ("{{ [1, 2]|tojson(indent=1500000000) }}", TOO_LONG),
    "paragraphs of lorem ipsum": ("{{ lipsum(100000000) }}", TOO_LONG),
    "a line wrapped with a long text": (
        '{{ ("x " * 1000)|wordwrap(1, wrapstring="y" * 1000000) }}',
        TOO_LONG,
    ),
}


@pytest.mark.parametrize("body, refused", LARGE_VALUES.values(), ids=LARGE_VALUES.keys())
def test_a_filter_method_or_format_is_refused_a_value_too_large_before_it_makes_it(
    site_factory: SiteFactory, cli: CLI, body: str, refused: str
) -> None:
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    run = cli("check", str(site))
    assert errors(run) == [
        "templates/history.html:2: error: template error: "
        f"the template makes a value too large for a page ({refused})"
    ]


DOUBLED = "{% set ns = namespace(a=[1]) %}{% for i in range(30) %}{% set ns.a = NEW %}{% endfor %}{{ ns.a|length }}"
"""A list made of two copies of the last, thirty times over: a billion items, held in thirty
lists, which writing it, comparing it or looking it up in a mapping goes through one by one
in a single step of hours (or, laid end to end, eight gigabytes)."""
HELD = (
    "a value holding more than 1,000,000 items however deep (a list held by another many "
    "times over counts each time)"
)
HELD_VALUES = {
    "a list of two copies of the last": DOUBLED.replace("NEW", "[ns.a, ns.a]"),
    "a tuple": DOUBLED.replace("NEW", "(ns.a, ns.a)"),
    "a mapping": DOUBLED.replace("NEW", "{'a': ns.a, 'b': ns.a}"),
    "a list added to itself": DOUBLED.replace("[1]", "['']").replace("NEW", "ns.a + ns.a"),
    "a list repeated": DOUBLED.replace("[1]", "['']").replace("NEW", "ns.a * 2"),
    "batches filled with the last": DOUBLED.replace("NEW", "[ns.a]|batch(2, ns.a)|first"),
    "batches gone through": (
        "{% set ns = namespace(a=[1]) %}{% for i in range(30) %}"
        "{% for row in [ns.a]|batch(2, ns.a) %}{% set ns.a = row %}{% endfor %}"
        "{% endfor %}{{ ns.a|length }}"
    ),
    "a cycler's items": DOUBLED.replace("NEW", "cycler(ns.a, ns.a).items"),
    "keys given the same value": DOUBLED.replace("NEW", "{}.fromkeys([1, 2], ns.a)"),
    "a macro given two copies": (
        "{% macro f(x, n) %}{% if n %}{{ f([x, x], n - 1) }}{% else %}{{ x|length }}"
        "{% endif %}{% endmacro %}{{ f(1, 30) }}"
    ),
    "a macro's varargs": (
        "{% macro f(n) %}{% if n %}{{ f(n - 1, varargs, varargs) }}{% else %}"
        "{{ varargs|length }}{% endif %}{% endmacro %}{{ f(30) }}"
    ),
    "namespaces of two copies": (
        "{% macro f(x, n) %}{% if n %}{{ f(namespace(p=x, q=x), n - 1) }}{% else %}"
        "{{ x.p is defined }}{% endif %}{% endmacro %}{{ f(1, 30) }}"
    ),
}


@pytest.mark.parametrize("body", HELD_VALUES.values(), ids=HELD_VALUES.keys())
def test_a_value_made_of_copies_of_copies_is_refused_as_it_grows(
    site_factory: SiteFactory, cli: CLI, body: str
) -> None:
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    started = time.perf_counter()
    run = cli("check", str(site))
    assert time.perf_counter() - started < 30
    assert errors(run) == [
        "templates/history.html:2: error: template error: "
        f"the template makes a value too large for a page ({HELD})"
    ]


def test_a_value_nested_too_deep_is_refused(site_factory: SiteFactory, cli: CLI) -> None:
    body = (
        "{% set ns = namespace(a=[1]) %}{% for i in range(300) %}{% set ns.a = [ns.a] %}"
        "{% endfor %}{{ ns.a|length }}"
    )
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    run = cli("check", str(site))
    assert errors(run) == [
        "templates/history.html:2: error: template error: "
        "the template makes a value too large for a page (a value nested more than 200 deep)"
    ]


def test_values_made_of_copies_within_bounds_are_made(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path
) -> None:
    body = (
        "{% set ns = namespace(a=[1]) %}{% for i in range(15) %}{% set ns.a = [ns.a, ns.a] %}"
        "{% endfor %}{% set ns.b = ns %}{{ [ns, ns]|length }}{{ ([[1]] * 400000)|length }}"
        "{{ (ns.a == ns.a) }}{{ dict(a=ns.a).a|length }}"
    )
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    run = cli("build", str(site), "-o", str(tmp_path / "out"))
    assert run.code == 0, run.err
    assert "2400000True2" in (tmp_path / "out/en/global/privacy/history/index.html").read_text()


FIELDS_AGAIN_AND_AGAIN = {
    "str.format": '{{ ("{0}" * 1000).format("x" * 1000000) }}',
    "str.format_map": '{{ ("{a}" * 1000).format_map({"a": "x" * 1000000}) }}',
    "Markup.format": '{{ (("{0}" * 1000)|safe).format("x" * 1000000) }}',
}


@pytest.mark.parametrize("body", FIELDS_AGAIN_AND_AGAIN.values(), ids=FIELDS_AGAIN_AND_AGAIN.keys())
def test_each_field_of_a_format_is_counted_as_it_is_formatted(
    site_factory: SiteFactory, cli: CLI, body: str
) -> None:
    """A field may name a value again and again: the gigabyte these made is stopped at the
    field that goes past what a page may write."""
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    assert errors(cli("check", str(site))) == [
        "templates/history.html:2: error: template error: "
        "the page takes too much to render: more than 50,000,000 characters written"
    ]


def test_a_plural_is_chosen_only_for_a_number_that_counts_something(
    site_factory: SiteFactory, cli: CLI
) -> None:
    """A catalog's plural rule multiplies its number as often as it says: a rule of 300
    products took a second for each call given a number of 2,500 digits, which the
    page's budget, counting calls, could not stop; a loop of them, hours."""
    rule = "(" + "*".join(["n"] * 300) + ")%2"
    catalog = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: nplurals=2; plural={rule};\\n"\n\n'
        'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "%(num)s jour"\n'
        'msgstr[1] "%(num)s jours"\n'
    )
    body = '{% for i in range(100) %}{{ ngettext("%(num)s day", "%(num)s days", 10 ** 2500) }}{% endfor %}'
    site = site_factory(
        {
            **TEXT,
            "locales/fr/LC_MESSAGES/messages.po": catalog,
            "templates/history.html": history_template(body),
        }
    )
    started = time.perf_counter()
    run = cli("check", str(site))
    assert time.perf_counter() - started < 30
    assert errors(run) == [
        "templates/history.html:2: error: template error: the template makes a value too large "
        "for a page (a number of more than 18 digits to choose a plural form for)"
    ]


@pytest.mark.usefixtures("small_budget")
def test_markup_written_again_and_again_is_counted_where_it_is_written(
    site_factory: SiteFactory, cli: CLI
) -> None:
    """Markup is written as it is, but it makes the page longer: written at the end of a
    page, past what a page may write, it ended the build as a bug in policygen."""
    body = '{% set a %}{{ "x" * 100000 }}{% endset %}' + "{{ a }}" * 15
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    assert errors(cli("check", str(site))) == [
        f"templates/history.html:2: error: template error: {WRITTEN}"
    ]


@pytest.mark.usefixtures("small_budget")
def test_a_template_whose_last_words_go_past_the_budget_is_named(
    site_factory: SiteFactory, cli: CLI
) -> None:
    """The words of a template itself are counted as the page is joined: when its last ones
    go past what a page may write, no line of it runs any more, and the template is named
    alone (it ended the build as a bug in policygen)."""
    body = "{% for i in range(10) %}" + "x" * 110_000 + "{% endfor %}\n"
    site = site_factory({**TEXT, "templates/history.html": body})
    run = cli("check", str(site))
    assert run.code == 1
    assert errors(run) == [f"templates/history.html: error: template error: {WRITTEN}"]


@pytest.mark.usefixtures("small_budget")
@pytest.mark.parametrize("method", ["split", "rsplit", "splitlines"])
def test_a_text_split_counts_its_items_as_made(
    site_factory: SiteFactory, cli: CLI, method: str
) -> None:
    """A text of half the characters a page may write, split into words: some fifty bytes
    a word, a gigabyte from a text of 50 million."""
    body = f'{{% set s = "x\\n" * 300000 %}}{{{{ s }}}}{{{{ s.{method}()|length }}}}'
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    assert errors(cli("check", str(site))) == [
        f"templates/history.html:2: error: template error: {WRITTEN}"
    ]


GROWING = {
    "texts joined with ~": "{% set s = 'x' * 100000 %}"
    + "{% set s = s ~ s %}" * 12
    + "{{ s|length }}",
    "texts added": "{% set s = 'x' * 100000 %}" + "{% set s = s + s %}" * 12 + "{{ s|length }}",
    "lists of a long text added": "{% set s = ['x' * 100000] %}"
    + "{% set s = s + s %}" * 12
    + "{{ s }}",
}


@pytest.mark.usefixtures("small_budget")
@pytest.mark.parametrize("body", GROWING.values(), ids=GROWING.keys())
def test_texts_joined_again_and_again_count_as_written(
    site_factory: SiteFactory, cli: CLI, body: str
) -> None:
    """A text doubled twelve times: four hundred million characters, in twelve steps."""
    site = site_factory({**TEXT, "templates/history.html": history_template(body)})
    assert errors(cli("check", str(site))) == [
        f"templates/history.html:2: error: template error: {WRITTEN}"
    ]


@pytest.mark.parametrize("own", [True, False], ids=["a site's template", "the theme's"])
def test_values_made_as_pages_need_them_are_made(own: bool) -> None:
    """The measures refuse only what no page makes: what the theme's pages do is done alike,
    with a budget (a site's own templates) or without."""
    page = {
        "page.html": (
            "{{ 'a' ~ 'b' }}|{{ 'a' + 'b' }}|{{ [1] + [2] }}|{{ '%05.1f' % 3.14159 }}|"
            "{{ '{:>4}'.format('x') }}|{{ 'x'|center(5) }}|{{ 'a\nb'|indent(2) }}|"
            "{{ 'aXa'|replace('X', 'y') }}|{{ [1, 2]|join(', ') }}|{{ [[1], [2]]|sum(start=[]) }}|"
            "{{ [1, 2, 3]|batch(2, 0)|list }}|{{ 'a\tb'.expandtabs(2) }}|{{ '7'.zfill(3) }}|"
            "{{ [{'n': 'a'}, {'n': 'b'}]|join(attribute='n') }}|{{ '%s' % 'x' }}|"
            "{{ 'bücher'.encode('idna') }}|{{ ('é' * 1000).encode('punycode')|length }}|"
            "{{ ('é' * 2000).encode('utf-8')|length }}|"
            "{{ 'see www.a.org (a@b.org)'|urlize(target='_blank') }}|{{ 'ab-cd efg'|wordwrap(2) }}|"
            "{{ [2, 1]|sort|map('string')|join(',') }}|{{ ['a', 'b']|select('ne', 'a')|map('upper')|list }}|"
            "{{ 'a <b>b</b>'|striptags|title }}|{{ {'b': 1, 'a': [2]}|dictsort|pprint }}|"
            "{{ 'x&y'|urlencode }}|{{ (range(5)|list)[:2] }}"
        )
    }
    templates_ = templates.make_templates(
        page if own else {}, {} if own else page, {"en": NullTranslations()}
    )
    assert templates_.render("page.html", "en", {}) == (
        "ab|ab|[1, 2]|003.1|   x|  x  |a\n  b|aya|1, 2|[1, 2]|[[1, 2], [3, 0]]|a b|007|ab|x|"
        "b&#39;xn--bcher-kva&#39;|1002|4000|"
        'see <a href="https://www.a.org" rel="noopener" target="_blank">www.a.org</a> '
        '(<a href="mailto:a@b.org">a@b.org</a>)|ab\n-\ncd\nef\ng|1,2|[&#39;B&#39;]|A B|'
        "[(&#39;a&#39;, [2]), (&#39;b&#39;, 1)]|x%26y|[0, 1]"
    )


def test_a_site_that_would_publish_too_many_pages_is_an_error_at_its_languages(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each revision is a page in every language and region: three hundred languages and two
    hundred regions listed in site.yaml, a few lines, made each revision 120,000 pages. The
    build says so before it makes any, and the machine that builds may allow more."""
    monkeypatch.setattr(pipeline, "MAX_PAGES", 8)
    site = site_factory(
        {
            **TEXT,
            "content/privacy/2025-01-01/en.md": "---\neffective: 2025-01-01\n---\nText 2.\n",
        }
    )
    run = cli("check", str(site))
    assert run.code == 1
    assert errors(run) == [
        "site.yaml:4:13: error: this site would publish 24 pages (each revision of each "
        "policy in each of 2 languages and 2 regions), more than the 8 policygen builds: list "
        "fewer languages or regions, or, if the site is meant to be that large, set "
        "POLICYGEN_MAX_PAGES where it is built"
    ]
    monkeypatch.setenv("POLICYGEN_MAX_PAGES", "24")
    assert cli("check", str(site)).code == 0
