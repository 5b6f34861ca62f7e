"""Whether the notebook `hotline run` executes is the one in version control.

JupyterLab saves an analyst's exploration cells into the paired notebooks/bulletin.py within
minutes (autosave), and `hotline run` executes that file for every month; a run from a notebook
with changes not yet committed is said, so that no scratch cell reaches a bulletin unnoticed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

GIT_TIMEOUT = 10  # seconds; a hung git (a network file system) must not hold up a run


def uncommitted_changes(path: Path) -> str | None:
    """`git status --porcelain` of the file `path` (e.g. ' M notebooks/bulletin.py'), or None when
    it has no change to commit, is not in a git work tree, or git is not installed."""
    path = Path(path)
    try:
        done = subprocess.run(["git", "status", "--porcelain", "--", path.name], cwd=path.parent,
                              capture_output=True, text=True, encoding="utf-8", timeout=GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:  # not a work tree (an installed package)
        return None
    return done.stdout.strip() or None
