"""Template texts → Jinja2 environments: the site's templates over the theme's, sandboxed,
autoescaped, strict, localized."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import jinja2
import jinja2.sandbox
from babel.support import NullTranslations
from markupsafe import Markup, escape

from .errors import Problem, SourceLocation, error
from .markdown import MARKS
from .sandbox import (
    BudgetedSandbox,
    OverBudget,
    Sandbox,
    TooLarge,
    check_percent_size,
    check_percent_widths,
    repeats_a_key,
)

THEME = Path(__file__).parent / "themes" / "default"
SCHEMAS = Path(__file__).parent / "schemas"
SITE_PREFIX = "templates/"
"""How a site's template is named in problems: by its path in the site folder."""
THEME_PREFIX = "(theme) "
"""How a theme's template is named in problems."""
_NAMED_TEMPLATE = re.compile(
    r"""\{%[-+]?\s*(?:extends|import|from|include)\s+(["'])(?P<name>[^"']+)\1"""
)
"""A template another one names in a tag: found to compile it ahead, not to check it (a name
this misses is compiled where a page needs it)."""


@dataclass(frozen=True, slots=True)
class Templates:
    """One Jinja2 environment per language, sharing one loader."""

    environments: dict[str, jinja2.Environment]

    def render(self, template: str, language: str, context: dict[str, object]) -> str:
        environment = self.environments[language]
        environment.start_page()  # type: ignore[attr-defined]
        return environment.get_template(template).render(context)

    def compile(self, names: Iterable[str]) -> None:
        """Compile templates now, in every language, with those they extend, import or
        include by name (before worker processes are forked, so that they inherit them
        compiled, rather than each compiling `base.html` again). A template that cannot be
        compiled is left for the page that renders it to report."""
        first = next(iter(self.environments.values()))
        wanted, seen = list(names), set()
        while wanted:
            name = wanted.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                for environment in self.environments.values():
                    environment.get_template(name)
                source, _, _ = first.loader.get_source(first, name)  # type: ignore[union-attr]
            except jinja2.TemplateError:
                continue
            wanted.extend(match["name"] for match in _NAMED_TEMPLATE.finditer(source))


def make_templates(
    site_templates: Mapping[str, str],
    theme_templates: Mapping[str, str],
    translations: dict[str, NullTranslations],
) -> Templates:
    """Environments whose loader looks in the site's templates first, then in the theme's
    (both given as texts by name, as read from the site folder and the package)."""
    theme = _TextLoader(theme_templates, THEME_PREFIX)
    # "theme/NAME" always names the theme's template, so that a site's NAME can extend it:
    # looked up first, or a site's own templates/theme/NAME would answer for it.
    loader = jinja2.ChoiceLoader(
        [jinja2.PrefixLoader({"theme": theme}), _TextLoader(site_templates, SITE_PREFIX), theme]
    )
    environments: dict[str, jinja2.Environment] = {}
    # The theme's templates are policygen's own: only a site's own templates are given a
    # budget, which costs every page some time.
    sandbox = BudgetedSandbox if site_templates else Sandbox
    # The languages' environments differ only in their translations: a template compiled
    # for one is loaded from its bytecode by the others.
    bytecode = _SharedBytecode()
    # One environment per language, not overlays: overlays share their globals, where
    # the i18n extension installs gettext, so the last language installed would win.
    for language, translation in translations.items():
        # A site's templates may come from anyone who can open a pull request: in the
        # sandbox they reach only the values given to them, never Python's internals,
        # and cannot change those values either.
        environment = sandbox(
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
        # Jinja's own mark a translation as markup, whatever the catalog wrote in it.
        _translate_once(translation).install(environment)
        environment.globals["marks"] = MARKS
        environment.filters["stand_ins"] = put_words
        environments[language] = environment
    return Templates(environments)


_STAND_IN = re.compile("\ue000[^\ue000\ue001]*\ue001")
"""A stand-in for a word (see `LabelMarks`, and the labels of redlines)."""


def put_words(html: object, words: Mapping[str, object]) -> Markup:
    """The filter `stand_ins`: markup with each stand-in that `words` names replaced by its
    word, escaped (a translation is markup already). Most texts hold none: they are looked
    for all at once, rather than each in turn, and a text holding none is not copied."""
    markup = html if isinstance(html, Markup) else escape(html)
    if "\ue000" not in markup:
        return markup

    def word(match: re.Match[str]) -> str:
        return escape(words[match[0]]) if match[0] in words else match[0]

    return Markup(_STAND_IN.sub(word, markup))


class _TextLoader(jinja2.BaseLoader):
    """Templates from texts already read, each with the name problems give its file."""

    def __init__(self, texts: Mapping[str, str], prefix: str) -> None:
        self.texts = texts
        self.prefix = prefix

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        # The same normalization as Jinja's file loader: "a/./b.html" is "a/b.html", and
        # ".." is refused.
        name = "/".join(jinja2.loaders.split_template_path(template))
        if name not in self.texts:
            raise jinja2.TemplateNotFound(template)
        return self.texts[name], self.prefix + name, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.texts)


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates in memory, shared by the environments of one build."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@dataclass(frozen=True, slots=True)
class Translator:
    """A language's gettext functions for templates: Jinja's new-style ones (autoescaped: the
    translation is markup, the variables are escaped into it), with each translation looked
    up once, and a catalog's translation escaped as text whichever function asks for it."""

    gettext: Callable[..., Markup]
    ngettext: Callable[..., Markup]
    pgettext: Callable[..., Markup]
    npgettext: Callable[..., Markup]

    def install(self, environment: jinja2.Environment) -> None:
        """Make these the functions the environment's templates and `{% trans %}` call."""
        environment.globals.update(
            gettext=self.gettext,
            _=self.gettext,
            ngettext=self.ngettext,
            pgettext=self.pgettext,
            npgettext=self.npgettext,
        )


def _translate_once(translation: NullTranslations) -> Translator:
    """The gettext functions of one language's translations, each looking a translation up
    once."""
    translated: dict[tuple[str, ...], Markup] = {}
    formatted: dict[tuple[str, ...], Markup] = {}
    repeating: set[tuple[str, ...]] = set()
    """Messages that name a value more than once: `_("%(a)s" * 1000, a=long)` is measured."""

    def fill(
        key: tuple[str, ...], originals: tuple[str, ...], text: str, variables: dict[str, object]
    ) -> Markup:
        """`text`, the translation of `originals` (a message's forms), filled in with
        `variables`; `key` names the function that asked and all it was asked."""
        if key not in translated:
            check_percent_widths(text, ())  # a template's own message: "%(x)1000000000s"
            if repeats_a_key(text):
                repeating.add(key)
            # A catalog's translation is text, as the site's texts are: '&' or '<' in it must
            # not make a page or feed.xml ill-formed. A message written as markup (in a site's
            # own template) is translated as markup.
            is_markup = text in originals or any("<" in form or "&" in form for form in originals)
            translated[key] = Markup(text) if is_markup else escape(text)
        if variables:
            if key in repeating:
                check_percent_size(translated[key], variables)
            return translated[key] % variables
        # Always a format string, as in Jinja's own: "%%" means "%" without variables too.
        if key not in formatted:
            formatted[key] = translated[key] % {}
        return formatted[key]

    def gettext(message: str, /, **variables: object) -> Markup:
        return fill(("gettext", message), (message,), translation.gettext(message), variables)

    def ngettext(singular: str, plural: str, number: int, /, **variables: object) -> Markup:
        variables.setdefault("num", number)
        text = translation.ngettext(singular, plural, _counted(number))
        return fill(("ngettext", singular, plural, text), (singular, plural), text, variables)

    def pgettext(context: str, message: str, /, **variables: object) -> Markup:
        variables.setdefault("context", context)
        text = str(translation.pgettext(context, message))
        return fill(("pgettext", context, message), (message,), text, variables)

    def npgettext(
        context: str, singular: str, plural: str, number: int, /, **variables: object
    ) -> Markup:
        variables.setdefault("context", context)
        variables.setdefault("num", number)
        text = translation.npgettext(context, singular, plural, _counted(number))
        return fill(
            ("npgettext", context, singular, plural, text), (singular, plural), text, variables
        )

    return Translator(gettext, ngettext, pgettext, npgettext)


MOST_COUNTED = 10**18
"""Beyond the numbers a plural form is chosen for, which count things (versions, days)."""


def _counted(number: int) -> int:
    """The number a plural form is chosen for, unless it has more than 18 digits: a
    catalog's plural rule works a number out in a time that grows with its digits, as often
    as the rule multiplies it (a rule of 300 products took nine seconds for a number of
    9,000 digits, in one call that the page's budget cannot stop)."""
    if isinstance(number, int) and not -MOST_COUNTED < number < MOST_COUNTED:
        raise TooLarge("a number of more than 18 digits to choose a plural form for")
    return number


def template_problem(exc: Exception, template: str) -> Problem | None:
    """An error raised while rendering `template` as a located problem; None when no
    template was running when it was raised (then it is not the template's doing)."""
    name: str | None = None
    line: int | None = None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename, exc.lineno
    elif isinstance(exc, jinja2.TemplateNotFound):
        # The template that asked for it is the innermost one running.
        name, line = _innermost_template(exc.__traceback__)
        name = name or THEME_PREFIX + template
    else:
        # Jinja rewrites a runtime error's traceback so that the frames of templates name
        # the template's file and its line.
        name, line = _innermost_template(exc.__traceback__)
        if name is None and isinstance(exc, OverBudget):
            name = exc.template
        if name is None:
            name = _compiling(exc.__traceback__)
            if name is None:
                return None
            if isinstance(exc, RecursionError):
                message = "its expressions or blocks nest too deeply to be read"
                return error(SourceLocation(name), "template", f"template error: {message}")
    shown = name if name and name.startswith((SITE_PREFIX, THEME_PREFIX)) else template
    return error(SourceLocation(shown, line), "template", f"template error: {_describe(exc)}")


def _compiling(frame: TracebackType | None) -> str | None:
    """The innermost template the traceback was compiling, if it was."""
    compiling = None
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_name == "compile" and code.co_filename == jinja2.environment.__file__:
            filename = frame.tb_frame.f_locals.get("filename")
            compiling = filename if isinstance(filename, str) else compiling
        frame = frame.tb_next
    return compiling


def _innermost_template(frame: TracebackType | None) -> tuple[str | None, int | None]:
    """The innermost line of the site's templates the traceback passes through (what an
    editor can change), else the innermost line of the theme's."""
    found: dict[str, tuple[str, int]] = {}
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        for prefix in (SITE_PREFIX, THEME_PREFIX):
            if filename.startswith(prefix):
                found[prefix] = (filename, frame.tb_lineno)
        frame = frame.tb_next
    name, line = found.get(SITE_PREFIX) or found.get(THEME_PREFIX) or (None, None)
    return name, line


def _describe(exc: Exception) -> str:
    if isinstance(exc, TooLarge):
        return f"the template makes a value too large for a page ({exc})"
    if isinstance(exc, OverBudget):
        return f"the page takes too much to render: {exc}"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"templates may only show the values policygen gives them ({str(exc).rstrip('.')})"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"there is no template '{exc.name}'"
    if isinstance(exc, jinja2.TemplateError):
        return str(exc.message or exc)
    if isinstance(exc, KeyError):
        return f"no value named {exc}"
    if isinstance(exc, MemoryError):
        return "the template makes a text too large to hold in memory"
    if isinstance(exc, RecursionError):
        return "the template calls itself without end"
    return str(exc) or type(exc).__name__
