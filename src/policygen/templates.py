"""Jinja2 environments: the site's templates over the theme's, autoescaped, strict, localized."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from babel.support import NullTranslations
from markupsafe import Markup

from .errors import Problem, SourceLocation, error
from .markdown import MARKS

THEME = Path(__file__).parent / "themes" / "default"
SCHEMAS = Path(__file__).parent / "schemas"


@dataclass(frozen=True, slots=True)
class Templates:
    """One Jinja2 environment per language, sharing one loader."""

    environments: dict[str, jinja2.Environment]
    site_templates: Path | None

    def render(self, template: str, language: str, context: dict[str, object]) -> str:
        return self.environments[language].get_template(template).render(context)

    def compile(self, names: Iterable[str]) -> None:
        """Compile templates now, in every language (before worker processes are forked, so
        that they inherit them compiled)."""
        for environment in self.environments.values():
            for name in names:
                environment.get_template(name)


def make_templates(
    site_templates: Path | None, translations: dict[str, NullTranslations]
) -> Templates:
    """Environments whose loader looks in the site's templates/ first, then in the theme."""
    folders = [str(site_templates)] if site_templates else []
    theme = jinja2.FileSystemLoader(str(THEME / "templates"))
    # "theme/NAME" always names the theme's template, so that a site's NAME can extend it.
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(folders), theme, jinja2.PrefixLoader({"theme": theme})]
    )
    environments = {}
    # The languages' environments differ only in their translations: a template compiled
    # for one is loaded from its bytecode by the others.
    bytecode = _SharedBytecode()
    # One environment per language, not overlays: overlays share their globals, where
    # the i18n extension installs gettext, so the last language installed would win.
    for language, translation in translations.items():
        environment = jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=bytecode,
        )
        environment.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
        # Every page asks for dozens of the same strings: look each up once per language.
        gettext = _translate_once(translation)
        environment.globals.update(gettext=gettext, _=gettext)
        environment.globals["marks"] = MARKS
        environments[language] = environment
    return Templates(environments, site_templates)


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates in memory, shared by the environments of one build."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _translate_once(translation: NullTranslations) -> Callable[..., Markup]:
    """Jinja's new-style gettext (autoescaped: the translation is markup, the variables are
    escaped into it), with each translation looked up once."""
    translated: dict[str, Markup] = {}
    formatted: dict[str, Markup] = {}

    def gettext(message: str, /, **variables: object) -> Markup:
        if message not in translated:
            translated[message] = Markup(translation.gettext(message))
        if variables:
            return translated[message] % variables
        # Always a format string, as in Jinja's own: "%%" means "%" without variables too.
        if message not in formatted:
            formatted[message] = translated[message] % {}
        return formatted[message]

    return gettext


def template_problem(exc: Exception, templates: Templates, template: str) -> Problem:
    """A template error as a located problem, in the site's templates/ when it is one of them."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or template
    line = getattr(exc, "lineno", None)
    if line is None:
        # A runtime error (say, an undefined name): Jinja rewrites the traceback so that the
        # innermost template frame names the template file and its line.
        frame = exc.__traceback__
        while frame is not None:
            filename = frame.tb_frame.f_code.co_filename
            if filename.endswith((".html", ".xml")):
                name, line = filename, frame.tb_lineno
            frame = frame.tb_next
    path = Path(str(name))
    site = templates.site_templates
    if site is not None and path.is_absolute() and path.is_relative_to(site):
        shown = "templates/" + path.relative_to(site).as_posix()
    elif path.is_absolute() and path.is_relative_to(THEME):
        shown = "(theme) " + path.relative_to(THEME / "templates").as_posix()
    else:
        shown = (
            f"templates/{name}"
            if site is not None and (site / str(name)).exists()
            else f"(theme) {name}"
        )
    return error(SourceLocation(shown, line), "template", f"template error: {exc}")
