"""The bulletin notebook's IPython extension: ``%load_ext hotline.notebook``, its first cell.

Loaded, the kernel draws matplotlib figures with the bundled Chinese fonts (an analyst's chart
needs no setup call, and a restarted kernel gets them again from the first cell). An
InputError shows as the command line shows it (hotline.errors.InputError._render_traceback_).
"""

from __future__ import annotations

from hotline.render import fonts


def load_ipython_extension(ipython) -> None:
    """Called by ``%load_ext hotline.notebook``."""
    fonts.setup_matplotlib()
