"""The bulletin's stylesheets and the text a reader sees: light helpers, free of nbconvert.

The notebook's kernel needs these for its style output; importing them from hotline.render.exporters
would load nbconvert (about two seconds) in every run's kernel.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from collections.abc import Mapping, Sequence
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from hotline.render import layout

TEMPLATE_NAME = "bulletin"
OFFICIAL = "official"  # the bulletin as circulated
ANALYSIS = "analysis"  # also the cells tagged 'analysis'
FLAVOURS = (OFFICIAL, ANALYSIS)
TAG = re.compile(r"<[^>]*>")
_STYLE = re.compile(r"<style\b.*?</style>|<head\b.*?</head>", re.S | re.I)


def templates_dir() -> Path:
    return Path(str(importlib_resources.files("hotline.render") / "templates"))


def content_stylesheet() -> str:
    """The bulletin content's CSS (scoped to its classes; also shown in JupyterLab): the
    layout's page and table rules, then bulletin.css."""
    return layout_stylesheet() + "\n" + (templates_dir() / TEMPLATE_NAME / "bulletin.css").read_text(encoding="utf-8")


def lab_stylesheet() -> str:
    """JupyterLab's extra CSS (lab.css): the bundled fonts for every output area, not just the bulletin's."""
    return (templates_dir() / TEMPLATE_NAME / "lab.css").read_text(encoding="utf-8")


@functools.cache
def layout_stylesheet() -> str:
    """The @page and table rules of hotline.render.layout (templates/bulletin/layout.css.j2)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # only where a page is written

    env = Environment(loader=FileSystemLoader(templates_dir() / TEMPLATE_NAME), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["format_selector"] = lambda name, pattern: pattern % name
    return env.get_template("layout.css.j2").render(
        pages=layout.PAGES, grid=layout.GRID_TABLE, tables=layout.TABLES, nowrap_cells=layout.NOWRAP_CELLS,
        nowrap_unit_tables=layout.NOWRAP_UNIT_TABLES, keep_tables=layout.KEEP_TABLES)


def stylesheet() -> str:
    """The whole page's CSS: page.css (body, screen chrome, page numbers) + the content's."""
    page = (templates_dir() / TEMPLATE_NAME / "page.css").read_text(encoding="utf-8")
    return page + "\n" + content_stylesheet()


def in_flavour(cell: Mapping[str, Any], flavour: str) -> bool:
    """Whether a notebook cell's outputs go into the bulletin of `flavour`.

    Code cells do, except those tagged ``analyst`` (checks, file writing) and papermill's
    ``injected-parameters``; cells tagged ``analysis`` only in the analysis flavour. The
    exporters' template asks this function, and `hotline run` uses it to start a flavour's
    export as soon as its last cell has run.
    """
    tags = cell.get("metadata", {}).get("tags", [])
    if cell.get("cell_type") != "code" or "analyst" in tags or "injected-parameters" in tags:
        return False
    return ANALYSIS not in tags or flavour == ANALYSIS


def last_cell_of(cells: Sequence[Mapping[str, Any]], flavour: str) -> int | None:
    """Index of the last cell whose outputs go into `flavour`'s bulletin (None if there is none)."""
    return max((i for i, cell in enumerate(cells) if in_flavour(cell, flavour)), default=None)


def visible_text(html: str) -> str:
    """The text a reader sees in the page (head, styles, tags and attributes dropped, entities decoded)."""
    return html_lib.unescape(TAG.sub(" ", _STYLE.sub(" ", html)))
