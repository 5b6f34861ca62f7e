"""The command line as users type it: ``python -m hotline …`` is the ``hotline`` command."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

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


def test_the_command_ends_with_mains_code_after_its_output_and_exit_handlers(tmp_path):
    """hotline.cli.script ends the process without the interpreter's teardown (os._exit): what
    main printed (piped, so buffered), its exit code and the exit handlers must all survive that."""
    marker = tmp_path / "handler-ran"
    code = textwrap.dedent(f"""
        import atexit, pathlib
        from hotline import cli
        atexit.register(pathlib.Path({str(marker)!r}).touch)
        cli.main = lambda: (print("通报" * 50_000), 3)[1]
        cli.script()
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout buffered, as usual
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 3, done.stderr
    assert done.stdout == "通报" * 50_000 + "\n"
    assert marker.exists()
