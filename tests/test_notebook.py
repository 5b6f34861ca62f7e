"""The notebook: its source is the jupytext file alone; the notebook extension's chart set-up
(hotline.notebook.setup_charts) makes an analyst's chart the same bytes on every run, so reruns of a
month stay byte-identical with charts added."""

from __future__ import annotations

import re
import subprocess

import jupytext
import matplotlib
import pytest
from matplotlib.figure import Figure

from hotline import config, notebook


def _figure() -> Figure:
    fig = Figure(figsize=(4, 2.5))
    ax = fig.subplots()
    ax.bar(["签收", "办结", "回访"], [120, 110, 95], hatch="//")  # clip paths and a hatch: ids made by hashing
    ax.set_title("本月工单情况")
    return fig


@pytest.fixture
def shell():
    """IPython's shell with setup_charts applied; matplotlib's settings restored afterwards."""
    from IPython.core.interactiveshell import InteractiveShell

    with matplotlib.rc_context():
        notebook.setup_charts()
        yield InteractiveShell.instance()


def test_an_analysts_chart_is_the_same_svg_every_time(shell):
    svg = shell.display_formatter.formatters["image/svg+xml"]
    fig = _figure()
    first, again, fresh = svg(fig), svg(fig), svg(_figure())
    assert first and first.lstrip().startswith("<?xml")
    assert first == again == fresh
    assert "<dc:date>" not in first and "dc:date" not in first
    assert re.search(r'clip-path="url\(#\w+\)"', first)  # the ids that were random are there, fixed


def test_the_notebook_source_is_the_jupytext_file_alone():
    """bulletin.py is what the repository holds and runs read; the paired .ipynb (outputs and all)
    is the analyst's local copy, never committed."""
    nb = jupytext.read(config.NOTEBOOK)
    assert config.NOTEBOOK.suffix == ".py"
    assert ["parameters"] in [c.metadata.get("tags", []) for c in nb.cells]
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=config.PROJECT_ROOT, capture_output=True, text=True)
    if tracked.returncode == 0:  # a checkout (not an unpacked sdist)
        assert not [f for f in tracked.stdout.split() if f.endswith(".ipynb")]
    ignored = subprocess.run(["git", "check-ignore", "-q", "notebooks/bulletin.ipynb"], cwd=config.PROJECT_ROOT)
    assert tracked.returncode != 0 or ignored.returncode == 0

