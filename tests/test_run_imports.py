"""`hotline run` imports papermill and jupytext without the optional modules their libraries load
whenever installed and a run never uses (hotline.run.month.UNUSED_OPTIONAL): JupyterLab's
environment brings them, and they cost about 1.5 s a run."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from hotline.run import month


@pytest.mark.skipif(importlib.util.find_spec("jupyter_server") is None, reason="JupyterLab not installed")
def test_the_runner_loads_none_of_the_unused_optional_modules():
    code = ("import sys; from hotline.run.month import import_runner, UNUSED_OPTIONAL; r = import_runner(); "
            "r.jupytext.read; r.papermill.execute_notebook; "
            "print(sorted(n for n in UNUSED_OPTIONAL if sys.modules.get(n) is not None))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_module_left_out_imports_again_after_the_block():
    assert "tabnanny" not in sys.modules  # a standard module nothing here imports
    with month._left_out(("tabnanny",)), pytest.raises(ImportError):
        import tabnanny  # noqa: F401
    assert "tabnanny" not in sys.modules
    assert importlib.util.find_spec("tabnanny") is not None  # importable again
