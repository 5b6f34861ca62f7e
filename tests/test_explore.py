"""The scratch notebook (notebooks/explore.py, never executed by `hotline run`, which runs
config.NOTEBOOK) runs top to bottom; a run from a bulletin notebook with uncommitted changes says so."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import papermill
import pytest

from hotline import cli, config
from hotline.run import batch
from hotline.run.kernel import ensure_kernel
from hotline.run.month import read_notebook
from hotline.run.provenance import uncommitted_changes

pytestmark = pytest.mark.slow  # runs the notebooks

EXPLORE = Path(__file__).resolve().parents[1] / "notebooks" / "explore.py"


def test_the_scratch_notebook_runs_top_to_bottom(tmp_path):
    nb = papermill.execute_notebook(read_notebook(EXPLORE), str(tmp_path / "explore.ipynb"), kernel_name=ensure_kernel(),
                                    parameters={"month": "2023-03", "workspace": str(config.DEFAULT_WORKSPACE)},
                                    cwd=str(EXPLORE.parent), progress_bar=False, language="python")
    shown = "".join(o.get("data", {}).get("text/plain", "") for c in nb.cells if c.cell_type == "code"
                    for o in c.get("outputs", []))
    assert "signed=5804" in shown and "市场监督管理局" in shown
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git work tree holding a committed copy of the bulletin notebook."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(tmp_path, "init", "-q")
    shutil.copy(config.NOTEBOOK, tmp_path / "bulletin.py")
    _git(tmp_path, "add", "bulletin.py")
    _git(tmp_path, "commit", "-qm", "notebook")
    return tmp_path


def test_uncommitted_changes_of_the_notebook(repo, tmp_path_factory):
    notebook = repo / "bulletin.py"
    assert uncommitted_changes(notebook) is None
    with notebook.open("a", encoding="utf-8") as f:
        f.write("\n# %%\nb.orders.head()\n")  # what JupyterLab's autosave writes for a scratch cell
    assert uncommitted_changes(notebook) == "M bulletin.py"
    outside = tmp_path_factory.mktemp("no-git") / "bulletin.py"  # an installed package: no work tree
    shutil.copy(config.NOTEBOOK, outside)
    assert uncommitted_changes(outside) is None


def test_hotline_run_says_when_the_notebook_has_uncommitted_changes(repo, monkeypatch, capsys):
    notebook = repo / "bulletin.py"
    monkeypatch.setattr(config, "NOTEBOOK", notebook)
    monkeypatch.setattr(batch, "run_months", lambda *a, **k: [])  # the warning, not a render
    args = ["run", "2023-03", "--data", str(config.DEFAULT_WORKSPACE), "--no-progress"]
    assert cli.main(args) == 0
    assert "尚未提交" not in capsys.readouterr().err
    notebook.write_text(notebook.read_text(encoding="utf-8") + "\n# %%\n1 + 1\n", encoding="utf-8")
    assert cli.main(args) == 0
    err = capsys.readouterr().err
    assert f"笔记本 {notebook} 有尚未提交" in err and "notebooks/explore.ipynb" in err


def test_the_lab_settings_serve_the_bundled_fonts_for_the_whole_page(tmp_path):
    """hotline lab's config file turns on JupyterLab's custom.css and serves it from our folder:
    the bundled faces for all of GB2312 and the lab-wide font variables."""
    import json

    from hotline.run.lab import write_settings

    settings = json.loads(write_settings(tmp_path).read_text(encoding="utf-8"))
    assert settings["LabApp"] == {"custom_css": True}
    (folder,) = settings["ServerApp"]["tornado_settings"]["static_custom_path"]
    css = (Path(folder) / "custom.css").read_text(encoding="utf-8")
    assert css.count("@font-face") >= 2 and 'font-family: "Hotline Sans SC"' in css
    assert '--jp-ui-font-family: -apple-system, "Segoe UI", Helvetica, Arial, "Hotline Sans SC"' in css
