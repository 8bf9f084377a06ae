"""The sandbox a site's templates render in: Jinja2's, forbidding changes to values too, with
each page's rendering under a budget when the site brings templates of its own (see
docs/security.md); and how a value is written into a page."""

from __future__ import annotations

import codecs
import functools
import itertools
import json
import re
import string
import time
from collections.abc import (
    Callable,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sized,
)
from types import BuiltinMethodType, CodeType, FunctionType, GeneratorType, MethodType
from typing import Any, cast

import jinja2
import jinja2.sandbox
from jinja2 import nodes
from jinja2.runtime import Context, LoopContext, Macro, markup_join, str_join
from jinja2.utils import Namespace, generate_lorem_ipsum
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

MAX_REPEATED = 1_000_000
"""The longest text or list `*` may make in a template."""
MAX_HELD = 1_000_000
"""The most items a value a template makes may hold, however deep, each list counted as
often as it is held: a list of two copies of a list of two copies of… a list, forty deep, is
forty lists that hold a million million items, which writing or comparing goes through."""
MAX_NESTING = 200
"""How deep a value a template makes may be nested (Python's own `repr` stops a little
deeper, at a limit of the machine)."""
MAX_POWER_BITS = 33_000
"""The largest power `**` may make in a template: about 10,000 digits."""
MAX_STEPS = 5_000_000
"""The most steps one page's rendering may take: turns of loops, calls (of macros, methods,
functions), templates included or imported, and values written. A page of the theme takes a
few hundred."""
MAX_CHARACTERS = 50_000_000
"""The most characters one page's rendering may write: the page itself, and any text it joins
on the way (a macro's, a block's), and all the texts it escapes, or makes with `~`, `+` and
filters, together. The page of a long policy's redline has some hundred thousand."""
MAX_SECONDS = 10.0
"""The most seconds of the processor one page's rendering may take (a page takes milliseconds):
what no count of steps bounds, such as a loop whose every turn searches a long text."""
_PIECES_AT_ONCE = 256
"""Pieces of a page joined at once, between two checks of its length."""
_CHECK_TIME_EVERY = 256
"""Steps between two readings of the clock (a reading takes about as long as ten steps)."""
_METHODS = (MethodType, BuiltinMethodType)
"""Values the sandbox may have to wrap when a template reads them (`str.format`)."""


def escape_output(value: object) -> str:
    """What a template writes of `{{ value }}`: markupsafe's `escape`, but as text rather than
    a new `Markup` copy of it, which only the page the text goes into reads (`Markup` is
    built by a Python method, and a page writes some 150 values: a tenth of a build's time).
    Markup (a text's HTML, a translation) is written as it is, without copying it."""
    if type(value) is str:
        return _escaped(value)
    if isinstance(value, Markup):
        return value
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escaped(str(value))


def _escaped(text: str) -> str:
    """The characters markupsafe escapes, as it escapes them."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    return (
        text.replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    )


class _Template(jinja2.Template):
    """A template whose output is escaped by `escape_output`."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],  # noqa: A002 (Jinja's name)
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # Each `{{ … }}` calls the `escape` its compiled module imported from Jinja's runtime:
        # the module's functions (the template's, its blocks' and macros') share these globals.
        namespace = template.root_render_func.__globals__
        if not isinstance(environment, BudgetedSandbox):
            namespace["escape"] = escape_output
            return template
        # Each value written is counted against the page's budget too; in the compiled
        # module, `str` is only called on values written where autoescaping is turned off.
        namespace["escape"] = environment.write
        namespace["str"] = environment.write_unescaped
        namespace["markup_join"] = environment.join_markup
        namespace["str_join"] = environment.join_text
        return template


class Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja2's sandbox that forbids changing values too, its verdict on each attribute
    remembered: pages read thousands of attributes of a few kinds of objects."""

    template_class = _Template
    intercepted_binops = frozenset({"*", "**"})
    """Checked when a page renders, and so never computed while a template compiles: Jinja
    would otherwise fold `"x" * 1000000000` into a constant there."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.verdicts: dict[tuple[type, str], bool] = {}

    def start_page(self) -> None:
        """A page starts rendering."""

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "*" and _repeated_size(left, right) > MAX_REPEATED:
            raise TooLarge(f"a repetition of more than {MAX_REPEATED:,} characters or items")
        if operator == "**" and _power_bits(left, right) > MAX_POWER_BITS:
            raise TooLarge("a power of more than 10,000 digits")
        if operator == "*" and _product_bits(left, right) > MAX_POWER_BITS:
            # Each product of two such numbers takes three times as long as the last.
            raise TooLarge("a product of more than 10,000 digits")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Jinja's verdict depends only on the object's type and the attribute's name.
        key = (type(obj), attr)
        verdict = self.verdicts.get(key)
        if verdict is None:
            verdict = self.verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Pages read hundreds of attributes each: one judged safe on this type before, whose
        # value is not a method (so not a `str.format` the sandbox wraps), is the sandbox's
        # answer as it is.
        if self.verdicts.get((type(obj), attribute)):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if not isinstance(value, _METHODS):
                    return value
        return super().getattr(obj, attribute)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # Macros, methods of built-in types and functions with no attributes of their own
        # can be neither unsafe (`unsafe_callable`, `alters_data`) nor take the context
        # (`pass_context`): such a call is what Jinja would make, without asking. A bound
        # `str.format` always goes to Jinja, which formats it in its sandbox.
        kind = type(__obj)
        if (
            kind is Macro
            or (kind is BuiltinMethodType and __obj.__name__ not in ("format", "format_map"))
            or (kind is FunctionType and not __obj.__dict__)
            or (
                kind is MethodType
                and type(__obj.__func__) is FunctionType
                and not __obj.__func__.__dict__
            )
        ):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__context, __obj, *args, **kwargs)


class BudgetedSandbox(Sandbox):
    """The sandbox of a site that brings templates of its own: each page's rendering has a
    budget (steps, characters written, time), and what a filter, method or operator would
    make is measured before it makes it. A site's template could otherwise hold a build up
    for hours, or fill the memory, without making any single large value."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.budget = _Budget()
        self.filters[_COUNTED] = _counted
        self.write = _writer(self.budget)
        """What a template writes of `{{ value }}`, counted against the page's budget."""
        self.write_unescaped = _unescaped_writer(self.budget)
        """The same where the template turned autoescaping off."""
        # What a filter or function would make is measured before it makes it.
        for name, measure in _FILTER_SIZES.items():
            self.filters[name] = self._measured(self.filters[name], measure)
        self.globals["lipsum"] = self._measured(generate_lorem_ipsum, _lipsum_size)
        # What a filter goes through in Python, an item or a character at a time, is steps.
        for name, steps in _FILTER_STEPS.items():
            self.filters[name] = self._stepped(self.filters[name], steps)
        # What a filter makes is weighed once made (see `MAX_HELD`), and so is each list,
        # tuple and mapping the template writes out (`[a, a]`).
        for name, function in list(self.filters.items()):
            self.filters[name] = _weighing(function)
        self.filters[_MADE] = _made

    def start_page(self) -> None:
        self.budget.start()

    def _stepped(self, function: Callable[..., Any], steps: _Steps) -> Callable[..., Any]:
        """`function`, the items or characters it goes through taken as steps of the page's
        budget before it starts (or, from a filter that makes them one at a time, as it
        goes), which it may not take past the page's."""
        first = 1 if hasattr(function, "jinja_pass_arg") else 0
        budget = self.budget

        @functools.wraps(function)
        def stepped(*args: Any, **kwargs: Any) -> Any:
            if len(args) > first:
                rest = args[first + 1 :]
                args = (*args[:first], steps(budget, args[first], rest, kwargs), *rest)
            return function(*args, **kwargs)

        return stepped

    def _measured(self, function: Callable[..., Any], measure: _Measure) -> Callable[..., Any]:
        """`function`, refused when what `measure` says it would make is longer than a page."""
        # A filter given the context or the environment takes it first: the value comes next.
        first = 1 if hasattr(function, "jinja_pass_arg") else 0

        @functools.wraps(function)
        def measured(*args: Any, **kwargs: Any) -> Any:
            head, rest = list(args[:first]), list(args[first:])
            self.make(measure(self, rest, kwargs))
            return function(*head, *rest, **kwargs)

        return measured

    def make(self, size: int) -> None:
        """Counts a text or list of `size` characters or items the page is about to make,
        refused when it is longer than a page may be."""
        if size > MAX_CHARACTERS:
            raise TooLarge(f"a text or list of more than {MAX_CHARACTERS:,} characters or items")
        self.budget.wrote(size)

    def join_markup(self, values: Iterable[Any]) -> str:
        """`~` where autoescaping is on, measured."""
        texts = [str(value) if not isinstance(value, str) else value for value in values]
        self.make(sum(map(len, texts)))
        return markup_join(texts)

    def join_text(self, values: Iterable[Any]) -> str:
        """`~` where autoescaping is off, measured."""
        texts = [str(value) for value in values]
        self.make(sum(map(len, texts)))
        return str_join(texts)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # Jinja's, but each field formatted is measured before the next: `"{0}" * 1000`
        # formatted with a long text was a gigabyte. `"{:>1000000000}".format(1)`: a width
        # is refused before anything is formatted.
        if (
            not isinstance(value, _METHODS)
            or value.__name__ not in ("format", "format_map")
            or not isinstance(value.__self__, str)
        ):
            return None
        text: str = value.__self__
        _check_format_widths(text)
        formatter: jinja2.sandbox.SandboxedFormatter = (
            _MeasuredEscapeFormatter(self, escape=text.escape)
            if isinstance(text, Markup)
            else _MeasuredFormatter(self)
        )
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if not is_format_map:
                return type(text)(formatter.vformat(text, args, kwargs))
            if kwargs or len(args) != 1:
                raise TypeError("format_map() takes exactly one argument")
            return type(text)(formatter.vformat(text, (), args[0]))

        return functools.update_wrapper(wrapper, value)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every turn of every loop is a step: the loop goes over its items through `_counted`.
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _COUNTED, [], [], None, None, lineno=loop.lineno)
        # Each list, tuple and mapping written out is weighed as it is made: `[a, a]` in a
        # loop doubles a value at each turn.
        return cast(nodes.Template, _WeighLiterals().visit(tree))

    def concat(self, pieces: Iterable[str]) -> str:
        """A text of the page (the page itself, a macro's output, a block's) joined, unless it
        would be longer than a page may be: counted as it is made when it is made a piece at
        a time (the page's), before it is joined when its pieces are held already."""
        if isinstance(pieces, list):
            if sum(map(len, pieces)) > MAX_CHARACTERS:
                raise _too_long()
            return "".join(pieces)
        # The page's pieces are joined a few hundred at a time, each run by Python's own join.
        chunks, length = [], 0
        while run := list(itertools.islice(pieces, _PIECES_AT_ONCE)):
            chunks.append("".join(run))
            length += len(chunks[-1])
            if length > MAX_CHARACTERS:
                too_long = _too_long()
                if not isinstance(pieces, GeneratorType):
                    raise too_long
                if pieces.gi_frame is not None:
                    # Raised where the template wrote the piece: its line is the problem's.
                    pieces.throw(too_long)
                # The template has ended (its last pieces went past the limit): no line of it
                # runs, so the problem names the template alone.
                too_long.template = pieces.gi_code.co_filename
                raise too_long
        return "".join(chunks)

    def _load_template(
        self, name: str, globals: MutableMapping[str, Any] | None
    ) -> jinja2.Template:
        # A template included or imported is a step: includes of includes multiply.
        self.budget.step()
        return super()._load_template(name, globals)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "+" and isinstance(left, str | list | tuple):
            self.make(
                _weight(left) + _weight(right) if isinstance(right, str | list | tuple) else 0
            )
        if operator == "%" and isinstance(left, str):
            self.make(percent_size(left, right))
        return weigh(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # Each call is a step; what a method of a text would make is measured first.
        __self.budget.step()
        kind = type(__obj)
        if kind is LoopContext and args:
            # A recursive loop's turns over the items it is called with are steps too.
            args = (_counted(__context, args[0]), *args[1:])
        elif kind is BuiltinMethodType and __obj.__name__ == "fromkeys" and args:
            # `{}.fromkeys(keys, long)`: the value once for each key.
            keys = list(args[0])
            __self.make(len(keys) * _weight(args[1] if len(args) > 1 else None))
            args = (keys, *args[1:])
        elif kind is BuiltinMethodType and __obj.__name__ in ("encode", "decode"):
            _check_coding(__obj.__self__, args, kwargs)
        elif kind is BuiltinMethodType and isinstance(__obj.__self__, str):
            measure = _STR_METHOD_SIZES.get(__obj.__name__)
            if measure is not None:
                rest = list(args)
                __self.make(measure(__self, [__obj.__self__, *rest], kwargs))
                args = tuple(rest)
        # What is called may hold what it is given (a macro its `varargs`, a cycler its
        # `items`): `cycler(a, a).items`. Jinja gives a call the variables of the block or
        # loop it is in, which are not given to what it calls.
        if any(isinstance(value, _HOLDERS) for value in args) or any(
            isinstance(value, _HOLDERS) and name not in _JINJA_VARIABLES
            for name, value in kwargs.items()
        ):
            weigh((args, {k: v for k, v in kwargs.items() if k not in _JINJA_VARIABLES}))
        return weigh(super().call(__context, __obj, *args, **kwargs))


MAX_PUNYCODE = 1_000
"""The longest text a template may encode or decode as punycode (or IDNA, which encodes
each label of a name so): their time grows with the square of its length and more."""
_SLOW_CODECS = frozenset({"punycode", "idna"})


def _check_coding(value: object, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuses `text.encode("punycode")` (or a decode) of a text longer than MAX_PUNYCODE:
    4,000 different letters took 10 seconds, a million would take years, in one step."""
    if not isinstance(value, str | bytes | bytearray) or len(value) <= MAX_PUNYCODE:
        return
    encoding = args[0] if args else kwargs.get("encoding", "utf-8")
    try:
        name = codecs.lookup(encoding).name if isinstance(encoding, str) else ""
    except LookupError:
        return  # the method itself says the encoding is unknown
    if name in _SLOW_CODECS:
        raise TooLarge(f"a text of more than {MAX_PUNYCODE:,} characters in {name}")


class _MeasuredFormatter(jinja2.sandbox.SandboxedFormatter):
    """Jinja's formatter of `str.format`, each field counted as made once formatted."""

    def format_field(self, value: Any, format_spec: str) -> str:
        text = str(super().format_field(value, format_spec))
        cast(BudgetedSandbox, self._env).make(len(text))
        return text


class _MeasuredEscapeFormatter(_MeasuredFormatter, jinja2.sandbox.SandboxedEscapeFormatter):
    """The same for `Markup.format`, which escapes each field."""


_COUNTED = "_policygen_counted"
"""The filter each loop goes over its items through."""


def _writer(budget: _Budget) -> Callable[[object], str]:
    """`escape_output`, each value a step, each text it writes counted as characters
    written, markup too: written as it is, it makes no text, but it makes the page longer,
    and a page of a few values of markup, each of a million characters, went past what a
    page may write only when it was joined, where no line of the template was running."""

    def write(value: object) -> str:
        budget.step()
        if isinstance(value, str):
            budget.wrote(len(value))
        return escape_output(value)

    return write


def _unescaped_writer(budget: _Budget) -> Callable[[object], str]:
    """`str`, where a template turned autoescaping off, counted as `_writer` counts."""

    def write(value: object) -> str:
        budget.step()
        text = str(value)
        budget.wrote(len(text))
        return text

    return write


@jinja2.pass_context  # not a constant, even over a constant list: never run while compiling
def _counted(context: Context, items: Iterable[Any]) -> Iterator[Any]:
    """The items, each a step of the page's budget, and weighed (a filter such as `batch`
    makes its lists as they are asked for)."""
    budget = context.environment.budget  # type: ignore[attr-defined]
    for item in items:
        budget.step()
        yield weigh(item)


_JINJA_VARIABLES = frozenset({"_block_vars", "_loop_vars"})
"""What Jinja passes to each call made in a block or loop: the variables set there."""

_MADE = "_policygen_made"
"""The filter each list, tuple and mapping a template writes out goes through."""


@jinja2.pass_context  # never run while compiling: a constant list is made when it is used
def _made(context: Context, value: Any) -> Any:
    """The value, weighed."""
    return weigh(value)


class _WeighLiterals(NodeTransformer):
    """Puts each list, tuple and mapping a template writes out through `_MADE`."""

    def _weighed(self, node: nodes.Node) -> nodes.Node:
        node = self.generic_visit(node)
        return nodes.Filter(node, _MADE, [], [], None, None, lineno=node.lineno)

    def visit_List(self, node: nodes.List) -> nodes.Node:  # noqa: N802 (Jinja's names)
        return self._weighed(node)

    def visit_Dict(self, node: nodes.Dict) -> nodes.Node:  # noqa: N802
        return self._weighed(node)

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:  # noqa: N802
        # A tuple that names what a loop or `set` assigns is no value.
        return self._weighed(node) if node.ctx == "load" else self.generic_visit(node)


def _weighing(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose result is weighed."""

    @functools.wraps(function)
    def weighed(*args: Any, **kwargs: Any) -> Any:
        return weigh(function(*args, **kwargs))

    return weighed


_VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))
_HOLDERS = (list, tuple, dict, set, frozenset, Namespace, *_VIEWS)


def weigh(value: Any) -> Any:
    """`value`, refused when it holds more than `MAX_HELD` items however deep (each list
    counted as often as it is held, once computed), or more than `MAX_CHARACTERS` characters,
    or is nested more than `MAX_NESTING` deep."""
    if isinstance(value, _HOLDERS):
        _held(value, {}, 0)
    return value


def _held(value: Any, known: dict[int, tuple[int, int]], depth: int) -> tuple[int, int]:
    """The items and characters `value` holds, however deep; `known` are the values weighed
    already (a list held many times over is gone through once)."""
    if isinstance(value, str):
        return 0, len(value)
    if not isinstance(value, _HOLDERS):
        return 0, 0
    if id(value) in known:
        return known[id(value)]
    if depth > MAX_NESTING:
        raise TooLarge(f"a value nested more than {MAX_NESTING:,} deep")
    # A namespace may hold a list that holds it: it holds nothing more for it.
    known[id(value)] = (0, 0)
    contents: list[Any] | tuple[Any, ...]
    if isinstance(value, Namespace):
        attributes = object.__getattribute__(value, "_Namespace__attrs")
        contents = [*attributes.keys(), *attributes.values()]
    elif isinstance(value, dict):
        contents = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        contents = value
    else:
        # Held while it is gone through: the pairs of `items()` are made anew each time, and
        # one gone may leave its `id` to the next.
        contents = list(cast(Iterable[Any], value))
    kinds = set(map(type, contents))
    if all(kind is str or kind is Markup for kind in kinds):
        items, characters = len(contents), sum(map(len, contents))
    elif not any(issubclass(kind, (str, *_HOLDERS)) for kind in kinds):
        items, characters = len(contents), 0
    else:
        items, characters = len(contents), 0
        for item in contents:
            inner, written = _held(item, known, depth + 1)
            items, characters = items + inner, characters + written
            if items > MAX_HELD or characters > MAX_CHARACTERS:
                break
    if items > MAX_HELD:
        raise TooLarge(
            f"a value holding more than {MAX_HELD:,} items however deep (a list held by another "
            "many times over counts each time)"
        )
    if characters > MAX_CHARACTERS:
        raise TooLarge(f"a text or list of more than {MAX_CHARACTERS:,} characters or items")
    known[id(value)] = (items, characters)
    return items, characters


def _stepping(budget: _Budget, items: Iterator[Any]) -> Iterator[Any]:
    """The items, each a step of the page's budget as it is taken."""
    for item in items:
        budget.step()
        yield item


def _too_long() -> OverBudget:
    return OverBudget(f"more than {MAX_CHARACTERS:,} characters written")


class _Budget:
    """What one page's rendering has taken so far: steps, characters written, time."""

    __slots__ = ("check_at", "deadline", "steps", "written")

    def __init__(self) -> None:
        self.start()
        self.deadline = float("inf")  # no page has started yet: no clock runs

    def start(self) -> None:
        """A new page starts."""
        self.steps = self.written = 0
        self.check_at = _CHECK_TIME_EVERY
        self.deadline = time.thread_time() + MAX_SECONDS

    def step(self) -> None:
        """One step more: a turn of a loop, a call, a template loaded, a value written."""
        self.steps += 1
        if self.steps >= self.check_at:
            self.check()

    def steps_of(self, count: int) -> None:
        """`count` steps more at once: the items or characters a filter goes through."""
        self.steps += count
        if self.steps >= self.check_at:
            self.check()

    def wrote(self, size: int) -> None:
        """`size` characters more written or made, refused past what a page may write."""
        self.written += size
        if self.written > MAX_CHARACTERS:
            raise _too_long()

    def check(self) -> None:
        """Raises `OverBudget` if the page has taken too many steps or too long."""
        if self.steps > MAX_STEPS:
            raise OverBudget(
                f"more than {MAX_STEPS:,} steps: turns of loops, calls, templates included, values written, items and characters filters go through"
            )
        if time.thread_time() > self.deadline:
            raise OverBudget(f"more than {MAX_SECONDS:g} seconds")
        self.check_at = self.steps + _CHECK_TIME_EVERY


_Measure = Callable[[jinja2.Environment, list[Any], dict[str, Any]], int]
"""How long the text or list a filter or method would make is, from its arguments (the
value first); it may replace an iterable argument by a list of its items, read once."""


def _argument(args: list[Any], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _attributes(environment: jinja2.Environment, items: list[Any], attribute: Any) -> list[Any]:
    """The items, or the attribute of each a filter is told to take."""
    if attribute is None:
        return items
    return list(map(jinja2.filters.make_attrgetter(environment, attribute), items))


def _width(value: Any) -> int:
    """A width given as a number, or as the text to repeat."""
    return value if isinstance(value, int) else len(str(value))


def _centered_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    return max(len(str(args[0])), _width(_argument(args, kwargs, 1, "width", 80)))


def _indented_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    text = str(args[0])
    return len(text) + (text.count("\n") + 1) * _width(_argument(args, kwargs, 1, "width", 4))


def _replaced_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    text, old, new = (
        str(_argument(args, kwargs, i, name, "")) for i, name in enumerate(("s", "old", "new"))
    )
    times = text.count(old) if old else len(text) + 1
    count = _argument(args, kwargs, 3, "count", None)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * len(new)


def _joined_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    items = args[0] = list(args[0])
    separator = str(_argument(args, kwargs, 1, "d", ""))
    values = _attributes(environment, items, _argument(args, kwargs, 2, "attribute", None))
    return sum(len(str(value)) for value in values) + len(separator) * max(0, len(items) - 1)


def _filled_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    """`batch` and `slice`: as many items or lists as asked for, when told to fill them."""
    count = _argument(args, kwargs, 1, "linecount", _argument(args, kwargs, 1, "slices", 0))
    fill = _argument(args, kwargs, 2, "fill_with", None)
    return int(count) * _weight(fill) if isinstance(count, int) else 0


def _wrapped_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    text = str(args[0])
    wrapstring = _argument(args, kwargs, 3, "wrapstring", None)
    return len(text) + (len(text) + 1) * len(str(wrapstring or "\n"))


def _linked_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    """`urlize`: its text escaped and each link's address written twice, with `rel` and
    `target` given to each link (a long `target` given to a thousand links was a gigabyte).
    Each link's address holds a `.`, `@` or `:`."""
    text = str(args[0])
    attributes = sum(
        len(str(_argument(args, kwargs, index, name, None) or ""))
        for index, name in ((3, "target"), (4, "rel"))
    )
    links = text.count(".") + text.count("@") + text.count(":")
    return 2 * len(escape_output(text)) + links * (attributes + 64)


def _summed_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    args[0] = list(args[0])
    items = _attributes(environment, args[0], _argument(args, kwargs, 1, "attribute", None))
    start = _argument(args, kwargs, 2, "start", 0)
    if not isinstance(start, list | tuple) and not any(isinstance(i, list | tuple) for i in items):
        return 0
    # Lists added one to the next take a time that grows with the square of their number.
    return len(items) * sum(len(i) for i in [start, *items] if isinstance(i, list | tuple))


def _formatted_size(
    environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]
) -> int:
    return percent_size(str(args[0]), kwargs or tuple(args[1:]))


def _json_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    indent = _argument(args, kwargs, 1, "indent", None)
    if indent is None:
        return 0
    return len(json.dumps(args[0], default=str)) * (_width(indent) + 1)


def _lipsum_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    paragraphs = _argument(args, kwargs, 0, "n", 5)
    most = _argument(args, kwargs, 3, "max", 100)
    return (
        paragraphs * max(most, 1) * 12
        if isinstance(paragraphs, int) and isinstance(most, int)
        else 0
    )


_Steps = Callable[["_Budget", Any, tuple[Any, ...], dict[str, Any]], Any]
"""Takes the steps a filter's work on a value will be (given its other arguments), and
gives the value back to go on with."""


def _item_steps(budget: _Budget, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """An item of a list (a character of a text) a step; the items another filter makes one
    at a time (`map`, `select`) a step each as they come."""
    if isinstance(value, Sized):
        budget.steps_of(len(value))
    elif isinstance(value, Iterator):
        return _stepping(budget, value)
    return value


def _weight_steps(
    budget: _Budget, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Each value a list holds, however deep, a step (`pprint`)."""
    budget.steps_of(_weight(value))
    return value


def _character_steps(
    budget: _Budget, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Each character of the text a step."""
    budget.steps_of(len(value if isinstance(value, str) else str(value)))
    return value


LONG_WORD = 100
"""A word longer than this is one `urlize` takes more than a step a character to read."""


def _linked_steps(
    budget: _Budget, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """`urlize`: each character a step, for each scheme it looks for, and a long word more
    (a word of ten thousand `)` before a letter took it two seconds, one of forty thousand
    thirty: each word's trailing punctuation is searched for in a time that grows with the
    square of the word's length)."""
    text = value if isinstance(value, str) else str(value)
    schemes = _argument(list(args), kwargs, 4, "extra_schemes", None)
    count = len(text) * (1 + (len(schemes) if isinstance(schemes, Sized) else 0))
    words = text.split()
    if max(map(len, words), default=0) > LONG_WORD:
        count += sum(n * n for n in map(len, words) if n > LONG_WORD) // LONG_WORD
    budget.steps_of(count)
    return value


COPIES_A_STEP = 10_000
"""Characters a filter copies in the time of a step (copying is a thousand times faster
than going through them in Python)."""


def _wrapped_steps(
    budget: _Budget, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """`wordwrap`: each character a step, and what it copies of a long word. Python's
    textwrap breaks a word longer than a line a line at a time, copying what is left of it
    each time: a word of a million letters, wrapped at one, took 16 seconds (500 billion
    letters copied), in one step."""
    text = value if isinstance(value, str) else str(value)
    width = _argument(list(args), kwargs, 0, "width", 79)
    count = len(text)
    if _argument(list(args), kwargs, 1, "break_long_words", True) and isinstance(width, int):
        width = max(width, 1)
        words = text.split()
        if max(map(len, words), default=0) > width:
            copied = sum(n * n for n in map(len, words) if n > width) // (2 * width)
            count += copied // COPIES_A_STEP
    budget.steps_of(count)
    return value


_FILTER_STEPS: dict[str, _Steps] = {
    **dict.fromkeys(
        (
            "batch",
            "dictsort",
            "groupby",
            "items",
            "join",
            "list",
            "map",
            "max",
            "min",
            "reject",
            "rejectattr",
            "select",
            "selectattr",
            "slice",
            "sort",
            "sum",
            "unique",
            "xmlattr",
        ),
        _item_steps,
    ),
    "pprint": _weight_steps,
    **dict.fromkeys(("striptags", "title", "urlencode"), _character_steps),
    "wordwrap": _wrapped_steps,
    "urlize": _linked_steps,
}
"""The filters that go through a list or text in Python, an item, word or character at a
time (a thousand times slower than copying it), and what they take as steps."""


_FILTER_SIZES: dict[str, _Measure] = {
    "center": _centered_size,
    "indent": _indented_size,
    "replace": _replaced_size,
    "join": _joined_size,
    "batch": _filled_size,
    "slice": _filled_size,
    "wordwrap": _wrapped_size,
    "urlize": _linked_size,
    "sum": _summed_size,
    "format": _formatted_size,
    "tojson": _json_size,
}
"""The filters that can make a text or list much longer than what they are given."""


def _padded_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    return max(len(args[0]), _width(args[1]) if len(args) > 1 else 0)


def _expanded_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    tabsize = _argument(args, kwargs, 1, "tabsize", 8)
    return len(args[0]) + int(args[0].count("\t")) * (tabsize if isinstance(tabsize, int) else 0)


def _method_joined_size(
    environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]
) -> int:
    # `separator.join(items)`: the separator is the method's own text.
    items = args[1] = list(args[1]) if len(args) > 1 else []
    return sum(len(str(item)) for item in items) + len(args[0]) * max(0, len(items) - 1)


def _translated_size(
    environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]
) -> int:
    # `text.translate({120: long})`: each letter may become the longest text of the table.
    table = _argument(args, kwargs, 1, "table", None)
    items = table.values() if isinstance(table, Mapping) else table
    if not isinstance(items, Iterable) or isinstance(items, str):
        return len(args[0])
    longest = max((len(item) for item in items if isinstance(item, str)), default=1)
    return len(args[0]) * max(longest, 1)


def _split_size(environment: jinja2.Environment, args: list[Any], kwargs: dict[str, Any]) -> int:
    # A list of as many texts as the text has separators, each a Python object of some
    # fifty bytes: a text of 50 million letters and spaces, split, filled a gigabyte.
    return len(args[0]) + 1


_STR_METHOD_SIZES: dict[str, _Measure] = {
    "split": _split_size,
    "rsplit": _split_size,
    "splitlines": _split_size,
    "translate": _translated_size,
    "center": _padded_size,
    "ljust": _padded_size,
    "rjust": _padded_size,
    "zfill": _padded_size,
    "expandtabs": _expanded_size,
    "replace": _replaced_size,
    "join": _method_joined_size,
}
"""The methods of texts that can make one much longer than itself (the text first)."""

_PERCENT_FIELD = re.compile(
    r"%%|%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<conversion>[a-zA-Z])?"
)
"""A conversion of `%` formatting, with its key, width, precision and type."""


def check_percent_widths(text: str, values: Any) -> None:
    """Refuses `"%1000000000s" % x`, and a width or precision read from the values (`%*s`)
    that large."""
    percent_size(text, values)


def repeats_a_key(text: str) -> bool:
    """Whether `text`, a format of `%`, names a value by its key more than once."""
    keys = [field["key"] for field in _PERCENT_FIELD.finditer(text) if field["key"] is not None]
    return len(set(keys)) < len(keys)


def check_percent_size(text: str, values: Any) -> None:
    """Refuses `text % values` when it would be longer than a page may be."""
    if percent_size(text, values) > MAX_CHARACTERS:
        raise TooLarge(f"a text or list of more than {MAX_CHARACTERS:,} characters or items")


def percent_size(text: str, values: Any) -> int:
    """About how long `text % values` is, at most (refused, as `check_percent_widths`
    says, when a width or precision is too large): a value named by its key in the text is
    counted each time it is named (`"%(a)s" * 1000 % {"a": long}`); each value given in
    order is shown once, and is counted by what made it."""
    size = len(text)
    numbers = values if isinstance(values, tuple) else (values,)
    shown: dict[tuple[str, bool], int] = {}
    for field in _PERCENT_FIELD.finditer(text):
        if field[0] == "%%":
            continue
        widest = 0
        for number in (field["width"], field["precision"]):
            if number == "*":
                given = [n for n in numbers if isinstance(n, int)]
                if any(n > MAX_REPEATED for n in given):
                    raise _too_wide()
                widest = max(widest, *given, 0)
            elif number is not None:
                if len(number) > 7 or int(number) > MAX_REPEATED:
                    raise _too_wide()
                widest = max(widest, int(number))
        key = field["key"]
        if key is not None and isinstance(values, Mapping) and key in values:
            spelled = (key, field["conversion"] in ("r", "a"))
            if spelled not in shown:
                value = values[key]
                shown[spelled] = len(ascii(value) if spelled[1] else str(value))
            widest = max(widest, shown[spelled])
        size += widest
    return size


def _check_format_widths(text: str) -> None:
    """Refuses `"{:>1000000000}".format(x)`, and a width given by a value (`{:{}}`)."""
    for _, _, spec, _ in string.Formatter().parse(text):
        if spec and (
            "{" in spec
            or any(len(n) > 7 or int(n) > MAX_REPEATED for n in re.findall(r"\d+", spec))
        ):
            raise _too_wide()


def _too_wide() -> TooLarge:
    return TooLarge(f"a width or precision of more than {MAX_REPEATED:,}, or given by a value")


def _repeated_size(left: Any, right: Any) -> int:
    """The size of `left * right` when it repeats a text or list (else 0): a list of texts
    weighs their characters, which writing it writes (`[long] * 1000000`)."""
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(times, int):
            return _weight(sequence) * times
    return 0


def _weight(value: Any, known: dict[int, int] | None = None) -> int:
    """The characters of a text, or of the texts a list, tuple or mapping holds, however
    deep (each other value counts as one): what writing it would write, about. A list held
    many times over is weighed once."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, list | tuple | dict):
        return 1
    known = {} if known is None else known
    if id(value) not in known:
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        known[id(value)] = max(1, sum(_weight(item, known) for item in items))
    return known[id(value)]


def _power_bits(left: Any, right: Any) -> int:
    """About how many bits `left ** right` takes when both are whole numbers (else 0)."""
    if isinstance(left, int) and isinstance(right, int) and right > 0:
        return abs(left).bit_length() * right if abs(left) > 1 else 0
    return 0


def _product_bits(left: Any, right: Any) -> int:
    """About how many bits `left * right` takes when both are whole numbers (else 0)."""
    if isinstance(left, int) and isinstance(right, int):
        return left.bit_length() + right.bit_length()
    return 0


class TooLarge(jinja2.exceptions.SecurityError):
    """A value a template would make that is too large for any page."""


class OverBudget(jinja2.exceptions.SecurityError):
    """A page whose rendering takes more work, or writes more, than any page may: the build
    stops there, rather than try every other page that uses the same template."""

    template: str | None = None
    """The file of the template that went past the budget, when no line of it was running
    (see `BudgetedSandbox.concat`)."""
