"""The command line as users type it: ``python -m hotline …`` is the ``hotline`` command."""

from __future__ import annotations

import os
import subprocess
import sys

from hotline import config


def test_python_m_hotline_validates_the_sample(tmp_path):
    # From another folder, as on a PC where the venv's scripts are not on PATH; the session's copy of data/sample.
    done = subprocess.run([sys.executable, "-m", "hotline", "validate", "--data", str(config.DEFAULT_WORKSPACE)],
                          cwd=tmp_path, capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_python_m_hotline_is_the_hotline_command():
    done = subprocess.run([sys.executable, "-m", "hotline", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("usage: hotline ")
