"""The environment wording templates run in: text, never code.

A wording template sits in a shared workspace folder, so it may be written by anyone who can
write there. It is rendered in Jinja's immutable sandbox, with less than even the sandbox allows:

- it reads only the figures it is given: plain values (text, numbers, dates), lists, dicts and
  the fields of the figure records, and only the methods listed in ``_METHODS``; nothing else
  (``cycler``, ``lipsum``, ``self``, a figure's Python internals) is reachable;
- it has only the filters listed in ``FILTERS`` and no global but a bounded ``range``;
- its work is bounded: at most ``MAX_STEPS`` loop steps over ``range``, values and output of at
  most ``MAX_CHARS`` characters, and ``TIME_LIMIT`` seconds in all.

Whatever it does beyond that is a :class:`Refused`, which hotline.render.wording reports as an
InputError naming the file and line.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import datetime as dt
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any, NoReturn, TypeVar

import jinja2
from jinja2 import filters as builtin_filters
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_STEPS = 10_000
MAX_CHARS = 100_000
T = TypeVar("T")
TIME_LIMIT = 2.0  # seconds for one template; the longest default takes about a millisecond

# Jinja's own filters a template may use, beside ours (hotline.render.wording adds cn, pct, …).
BUILTIN_FILTERS = ("abs", "default", "d", "first", "float", "int", "last", "length", "count", "list",
                   "lower", "upper", "max", "min", "round", "sum", "sort", "unique", "reverse", "string",
                   "trim", "truncate", "select", "reject", "selectattr", "rejectattr", "map")
# Methods of plain values a template may call (none changes anything or makes text bigger).
_METHODS = {
    str: {"startswith", "endswith", "strip", "lstrip", "rstrip", "split", "upper", "lower", "isdigit"},
    dict: {"items", "keys", "values", "get"},
    dt.date: {"year", "month", "day", "isoweekday"},
    dt.datetime: {"year", "month", "day", "hour", "minute"},
    Decimal: set(), Fraction: {"numerator", "denominator"}, int: set(), float: set(),
    list: set(), tuple: set(), bool: set(), type(None): set(),
    LoopContext: {"index", "index0", "revindex", "revindex0", "first", "last", "length", "previtem",
                  "nextitem", "cycle", "depth", "depth0"},
}


class Refused(Exception):
    """A template went beyond what wording may do (message in Chinese, for the analyst)."""


class TimedOut(Refused):
    """A template ran longer than TIME_LIMIT."""


def _bounded(value: T) -> T:
    """`value` itself, unless it is text or a list longer than MAX_CHARS."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_CHARS:
        raise Refused(f"模板生成的文字超过 {MAX_CHARS} 个字")
    return value


def _join(value: Iterable[Any], separator: str = "", attribute: str | int | None = None) -> str:
    items = list(value)
    if sum(len(str(i)) for i in items) + len(separator) * len(items) > MAX_CHARS:
        raise Refused(f"模板生成的文字超过 {MAX_CHARS} 个字")
    return separator.join(str(i if attribute is None else i[attribute]) for i in items)


def _replace(value: str, old: str, new: str, count: int | None = None) -> str:
    times = value.count(old) if count is None else min(count, value.count(old))
    if len(value) + times * (len(new) - len(old)) > MAX_CHARS:
        raise Refused(f"模板生成的文字超过 {MAX_CHARS} 个字")
    return value.replace(old, new, -1 if count is None else count)


class _Steps:
    """The loop steps a render has taken over `range` (all ranges of one render together)."""

    def __init__(self) -> None:
        self.taken = 0

    def range(self, *args: int) -> Iterator[int]:
        for i in range(*args):
            self.taken += 1
            if self.taken > MAX_STEPS:
                raise Refused(f"模板的循环超过 {MAX_STEPS} 步")
            yield i


class _BoundedConcat(CodeGenerator):
    """Jinja's code generator with ``a ~ b`` bounded like the other operators."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_bounded((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class WordingSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to what a bulletin's wording needs (module docstring)."""

    code_generator_class = _BoundedConcat
    intercepted_binops = frozenset({"+", "*", "**", "%", "//"})

    def __init__(self, filters: dict[str, Callable[..., Any]], **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: builtin_filters.FILTERS[name] for name in BUILTIN_FILTERS}
        self.filters |= {"join": _join, "replace": _replace, **filters}
        self.globals = {}
        self.tests = dict(self.tests)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return attr in {f.name for f in dataclasses.fields(obj)}
        return any(isinstance(obj, kind) and attr in allowed for kind, allowed in _METHODS.items())

    def unsafe_undefined(self, obj: Any, attribute: str) -> NoReturn:
        raise Refused(f"模板不能使用「{type(obj).__name__}」的「{attribute}」")

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise Refused("模板不能用 % 排版文字，请直接写出或用过滤器")
        if operator == "**" and (not isinstance(right, int) or abs(right) > 64):
            raise Refused("模板里的乘方太大")
        if operator == "*" and isinstance(left, int) and isinstance(right, str | list | tuple):
            left, right = right, left
        if operator == "*" and isinstance(left, str | list | tuple) and isinstance(right, int) \
                and len(left) * right > MAX_CHARS:
            raise Refused(f"模板生成的文字超过 {MAX_CHARS} 个字")
        return _bounded(super().call_binop(context, operator, left, right))

    @staticmethod
    def concat_bounded(values: Iterable[Any]) -> str:
        return _bounded("".join(str(v) for v in values))

    def render(self, template: jinja2.Template, figures: dict[str, Any], block: str | None = None) -> str:
        """`template` (only its `block`, if given) with `figures`, its loops, size and time bounded
        (Refused or TimedOut)."""
        steps = _Steps()
        out: list[str] = []
        size = 0
        with _deadline(TIME_LIMIT) as clock:
            try:
                for chunk in _generate(template, {**figures, "range": steps.range}, block):
                    size += len(chunk)
                    if size > MAX_CHARS:
                        raise Refused(f"模板生成的文字超过 {MAX_CHARS} 个字")
                    out.append(chunk)
            except Exception:
                # the time-out may land where Jinja, rewriting the traceback, fails on its own
                if clock["expired"]:
                    raise TimedOut from None
                raise
        return "".join(out)


def _generate(template: jinja2.Template, values: dict, block: str | None) -> Iterator[str]:
    """Template.generate, of one block of the template when `block` is given (Jinja renders a
    block alone from its render function; its errors then carry the template's lines as well)."""
    if block is None:
        yield from template.generate(values)
        return
    try:
        yield from template.blocks[block](template.new_context(values))
    except Exception:
        yield template.environment.handle_exception()


class _Watchdog:
    """One daemon thread, started on first use, that raises TimedOut into each rendering thread
    whose deadline has passed (_deadline). A timer thread started for each render, as before,
    cost more than the render itself: a city's unit pages render thousands of labels.

    The thread sleeps until the earliest deadline; it is woken only when a render is due before
    that (mostly it is not: deadlines come in the order the renders start)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._due: dict[object, tuple[float, int, dict[str, bool]]] = {}  # (deadline, thread, state) by render
        self._wake = math.inf  # when the thread next looks (inf: when woken)
        self._thread: threading.Thread | None = None

    def watch(self, render: object, seconds: float, state: dict[str, bool]) -> None:
        """Raise TimedOut into this thread `seconds` from now, unless `render` is released first."""
        due = time.monotonic() + seconds
        with self._changed:
            self._due[render] = (due, threading.get_ident(), state)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="hotline-wording-deadline", daemon=True)
                self._thread.start()
            elif due < self._wake:
                self._changed.notify()

    def release(self, render: object) -> None:
        """`render` is done: its deadline no longer fires (it cannot fire while this waits for the lock)."""
        with self._changed:
            self._due.pop(render, None)

    def _run(self) -> None:
        """The thread: fire the deadlines that have passed, then sleep until the next (or until woken)."""
        with self._changed:
            while True:
                now = time.monotonic()
                for render, (due, target, state) in list(self._due.items()):
                    if due <= now:
                        del self._due[render]
                        state["expired"] = True
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(TimedOut))
                self._wake = min((due for due, _, _ in self._due.values()), default=math.inf)
                self._changed.wait(None if self._wake == math.inf else self._wake - now)


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[dict[str, bool]]:
    """Raise TimedOut in this thread if the block runs longer than `seconds` (the state it yields
    says whether it did).

    A template can loop without calling anything we could check from, so the watchdog raises the
    exception into the rendering thread asynchronously (CPython's PyThreadState_SetAsyncExc),
    which works in any thread, the kernel's and the batch's alike.
    """
    render, state = object(), {"expired": False}
    _WATCHDOG.watch(render, seconds, state)
    try:
        yield state
    finally:
        _WATCHDOG.release(render)


__all__ = ["MAX_CHARS", "MAX_STEPS", "TIME_LIMIT", "Refused", "SecurityError", "TimedOut", "WordingSandbox"]
