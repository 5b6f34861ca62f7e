"""The package as users install it: a wheel in a fresh virtual environment renders a workspace
from any folder (the notebook and templates are package data, nothing is read from a checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import wheelhouse

from hotline import config

pytestmark = pytest.mark.slow  # builds and installs a wheel


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory) -> Path:
    """A fresh virtual environment with the project's wheel installed. Its dependencies come from
    this environment's site-packages (a .pth line), so the test needs no download but the build's."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = wheelhouse.build_project_wheel(tmp / "dist")
    env = tmp / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, capture_output=True)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # The dependencies, not the editable hotline (its finder is a .pth of that folder, not run from here).
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env


def _environment(**extra) -> dict[str, str]:
    """This process's environment without PYTHONPATH: a checkout on it would shadow the wheel."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return {**env, **extra}


def test_the_wheel_holds_the_notebook_and_templates(wheel_venv):
    code = ("import hotline, hotline.config as c, hotline.render.flavours as s; "
            "print(hotline.__file__); print(c.NOTEBOOK.is_file()); print((s.templates_dir() / 'bulletin' / 'index.html.j2').is_file())")
    out = subprocess.run([wheel_venv / "bin" / "python", "-c", code], check=True, capture_output=True, text=True,
                         cwd=wheel_venv, env=_environment()).stdout.split()
    assert out[0].startswith(str(wheel_venv)) and out[1:] == ["True", "True"]


def test_the_installed_command_renders_a_workspace_from_another_folder(wheel_venv, tmp_path):
    workspace = tmp_path / "furong"
    shutil.copytree(config.DEFAULT_WORKSPACE, workspace, ignore=shutil.ignore_patterns(".cache"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # nbconvert's own templates are data files of this environment, as its wheel installs them.
    env = _environment(JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))
    env.pop("HOTLINE_OUTPUT")  # the default: output/ in the folder the command runs in
    done = subprocess.run([wheel_venv / "bin" / "hotline", "run", "2023-03", "--data", str(workspace),
                           "--flavour", "official", "--no-progress"],
                          cwd=elsewhere, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    month = elsewhere / "output" / "furong" / "2023-03"
    assert (month / "bulletin.pdf").stat().st_size > 10_000
    assert "全区共签收工单" in (month / "bulletin.html").read_text(encoding="utf-8")
    # the exporters' entry points: `jupyter nbconvert --to bulletin_docx` makes the same document
    done = subprocess.run([wheel_venv / "bin" / "python", "-m", "nbconvert", "--to", "bulletin_docx",
                           "--output-dir", str(tmp_path / "by-hand"), str(month / config.NOTEBOOK_FILE)],
                          cwd=elsewhere, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "by-hand" / "bulletin.docx").read_bytes() == (month / "bulletin.docx").read_bytes()
