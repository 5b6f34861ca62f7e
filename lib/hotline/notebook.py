"""The bulletin notebook's IPython extension: ``%load_ext hotline.notebook``, its first cell.

Loaded, the kernel

- draws matplotlib figures with the bundled Chinese fonts, as SVG, from the moment matplotlib is
  imported (an analyst's chart needs no setup call, and a restarted kernel gets them again from
  the first cell), the same chart as the same bytes on every run (no date, fixed ids);
- shows an InputError as the command line does (hotline.errors.InputError._render_traceback_);
- has the ``%%bulletin`` cell magic: the cell is a wording template (hotline.render.wording),
  rendered with the bulletin's figures and the notebook's variables, and shown as paragraphs,
  so it appears in place in the lab, the HTML, the PDF and every other export::

      %%bulletin
      本月{{ below_count }}个单位问题解决率低于全区，请{{ commentary.unit_short }}于下月10日前报送整改情况。

  ``%%bulletin name`` takes the figures of the Bulletin in the variable ``name`` (default ``b``).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from IPython.display import HTML, display

from hotline.render import fonts
from hotline.render.sections import markdown_html
from hotline.render.wording import Wording

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

PARAGRAPH_CLASS = "analyst-text"
# Salt of the SVG ids of an analyst's charts (matplotlib's svg.hashsalt; hotline.render.charts uses the same).
SVG_SALT = "hotline"


def paragraphs_html(paragraphs: list[str]) -> str:
    """An analyst's paragraphs as bulletin markup; Markdown emphasis works, raw HTML shows as text."""
    return "".join(f'<div class="{PARAGRAPH_CLASS}">{markdown_html(p)}</div>' for p in paragraphs)


def bulletin_cell(ipython: InteractiveShell, line: str, cell: str) -> None:
    """The ``%%bulletin`` magic: render the cell with the figures of the Bulletin named on its line."""
    name = line.strip() or "b"
    if name not in ipython.user_ns:
        raise NameError(f"%%bulletin 需要先算出通报（变量 {name}）：先运行上面计算通报的单元格")
    variables = {k: v for k, v in ipython.user_ns.items() if not k.startswith("_")}
    figures = {**variables, **ipython.user_ns[name].context}  # the documented figures mean the same everywhere
    display(HTML(paragraphs_html(Wording().paragraphs_of(cell, figures, "%%bulletin 单元格"))))


def setup_charts() -> None:
    """The bundled Chinese fonts for matplotlib, and charts as SVG, their text drawn as paths:
    sharp in the PDF, and no font needed to show them. The same chart is the same bytes on every
    run: the SVG's ids (clip paths, hatches) are hashed with a fixed salt, not a random one, and
    its metadata carries no date, so a rerun of a month stays byte-identical with charts added."""
    # matplotlib_inline imports matplotlib: only once the notebook imports it (when_imported)
    import matplotlib
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    fonts.setup_matplotlib()
    matplotlib.rcParams["svg.hashsalt"] = SVG_SALT
    set_matplotlib_formats("svg", metadata={"Date": None})  # SVG only: JPEG takes no metadata


class _WhenImported(importlib.abc.MetaPathFinder):
    """Runs `then` right after module `name` is first imported, before the importer goes on."""

    def __init__(self, name: str, then: Callable[[], None]):
        self.name, self.then = name, then

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)  # once, and so that the search below finds the real module
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:  # not importable: the import fails as it would have
            return spec
        loader = spec.loader
        run_module = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run_module(module)
            self.then()

        loader.exec_module = exec_module  # type: ignore[method-assign]  # this spec's own loader object
        return spec


def when_imported(name: str, then: Callable[[], None]) -> None:
    """Run `then` now if module `name` is loaded, else right after it is first imported."""
    if name in sys.modules:
        then()
    elif not any(isinstance(f, _WhenImported) and f.name == name for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenImported(name, then))


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Called by ``%load_ext hotline.notebook``. The chart set-up waits for matplotlib's import:
    an official bulletin, which draws none, does not pay for loading it (about 0.3 s)."""
    when_imported("matplotlib", setup_charts)
    # IPython's decorator on register_magic_function hides its signature from the type checker
    ipython.register_magic_function(lambda line, cell: bulletin_cell(ipython, line, cell),  # type: ignore[call-arg, arg-type]
                                    magic_kind="cell", magic_name="bulletin")
