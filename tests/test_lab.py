"""``make lab`` as an analyst starts it: JupyterLab's file browser at the repository root, opening
notebooks/bulletin.ipynb, so the workspace's files (data/<district>/…) and output/ are in reach.

The Makefile runs in a copy of the checkout's layout (Makefile, pyproject.toml, the notebook's
source, a month folder) with this environment as its VENV, so the checkout is left as it was; the
server answers on 127.0.0.1 with a token and is shut down through its API. No browser, no kernel.
Skips without make or JupyterLab.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from factories import stop_jupyter
from hotline import config

pytestmark = pytest.mark.slow  # starts JupyterLab

if shutil.which("make") is None:
    pytest.skip("make is not installed", allow_module_level=True)
pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (pip install -e '.[test,lab]')")

SERVER_START = 90  # seconds for JupyterLab to answer
VENV = Path(sys.prefix)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture
def checkout(tmp_path) -> Path:
    """The files `make lab` reads, laid out as in the repository."""
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(config.PROJECT_ROOT / "Makefile", repo)
    shutil.copy(config.PROJECT_ROOT / "pyproject.toml", repo)
    os.utime(repo / "pyproject.toml", (0, 0))  # older than VENV/.installed: make does not reinstall
    shutil.copy(config.PROJECT_ROOT / "notebooks" / "bulletin.py", repo / "notebooks")
    month = repo / "data" / "sample" / "months" / "2023-03"
    month.mkdir(parents=True)
    shutil.copy(config.PROJECT_ROOT / "data" / "sample" / "months" / "2023-03" / "month.yaml", month)
    return repo


def test_make_lab_roots_the_file_browser_at_the_repository(checkout, tmp_path):
    if not (VENV / ".installed").exists():
        pytest.skip(f"{VENV} was not set up by make (no .installed)")
    port, token = _free_port(), secrets.token_hex(16)
    runtime = tmp_path / "jupyter-runtime"
    lab_args = ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.news_url=None"]
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), JUPYTER_RUNTIME_DIR=str(runtime),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"))
    log = (tmp_path / "lab.log").open("wb")
    server = subprocess.Popen(["make", "--no-print-directory", "lab", f"VENV={VENV}", f"LAB_ARGS={' '.join(lab_args)}"],
                              cwd=checkout, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START
        while True:
            assert server.poll() is None, f"make lab exited ({server.returncode}):\n{(tmp_path / 'lab.log').read_text(errors='replace')}"
            try:
                _get(f"{base}/api/status", token)
                break
            except OSError:
                assert time.monotonic() < deadline, f"make lab did not answer in {SERVER_START} s"
                time.sleep(0.5)

        top = {item["name"] for item in _get(f"{base}/api/contents", token)["content"]}
        assert {"Makefile", "data", "notebooks"} <= top, top
        month = _get(f"{base}/api/contents/data/sample/months/2023-03", token)
        assert "month.yaml" in {item["name"] for item in month["content"]}
        assert _get(f"{base}/api/contents/notebooks/bulletin.ipynb?content=0", token)["type"] == "notebook"
        # The page the browser is sent to opens the notebook, by its path from the root.
        opened = [p.read_text(encoding="utf-8") for p in runtime.glob("jpserver-*-open.html")]
        assert any("/lab/tree/notebooks/bulletin.ipynb" in page for page in opened), opened
    finally:
        stop_jupyter(server, base, token)
        log.close()
