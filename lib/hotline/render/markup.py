"""The one Jinja environment that writes the bulletin's HTML: fragments and standalone pages.

Templates live in templates/markup/. Autoescape is on, so any text handed to a template (a
unit's name, a story's title, a warning) is escaped; markup made by another template stays a
`Fragment`, which Jinja knows not to escape again. Undefined names are errors, not blanks;
None prints as nothing.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from hotline.numfmt import chinese_number, percent, trim
from hotline.render.flavours import templates_dir
from hotline.render.layout import PAGE_SECTIONS

FOLDER = "markup"


class Fragment(Markup):
    """Rendered HTML that Jupyter displays as HTML, inside the bulletin's style scope."""

    def _repr_html_(self) -> str:
        return str(render("display.html.j2", fragment=self))


def _environment() -> Environment:
    """Autoescaping, strict, with the bulletin's number formats as filters and the shared
    class names of page-starting sections as the global `sections`."""
    env = Environment(loader=FileSystemLoader(templates_dir() / FOLDER), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=lambda value: "" if value is None else value)  # a missing value prints blank
    env.filters.update(chinese_number=chinese_number, percent=percent, trim=trim)
    env.globals["sections"] = PAGE_SECTIONS
    return env


ENV = _environment()


def render(name: str, **context: Any) -> Fragment:
    """The template `name` (in templates/markup/) rendered with `context`."""
    return Fragment(ENV.get_template(name).render(**context))


def macro(name: str, *args: Any, **kwargs: Any) -> Fragment:
    """One of the small building blocks in macros.html.j2 (a paragraph, lines broken with <br>), called from Python."""
    return Fragment(getattr(ENV.get_template("macros.html.j2").module, name)(*args, **kwargs))
