"""`hotline lab`: JupyterLab on the bulletin notebook, in the bundled fonts from its first paint.

The notebook's first cell embeds the fonts in its outputs (sections.style_html); until it has run,
or when it fails, the lab's page has only the machine's fonts. So the lab is started with a
custom.css (JupyterLab's LabApp.custom_css, served from the path in the server's
tornado_settings, so no user's Jupyter configuration is touched) holding the bundled fonts for all
of GB2312 and lab-page.css; the jupytext pairs are synced first, and the file browser is rooted at
the checkout so the workspace's files and output/ are in reach.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hotline import config
from hotline.errors import InputError, Problem
from hotline.render import fonts
from hotline.render.flavours import TEMPLATE_NAME, templates_dir

NOTEBOOKS = ("bulletin.py", "explore.py")  # the jupytext sources, paired with .ipynb files in the lab


def page_css() -> str:
    """custom.css: the bundled faces for all of GB2312, and the lab-wide font rules."""
    return fonts.lab_font_face_css("") + "\n" + (templates_dir() / TEMPLATE_NAME / "lab-page.css").read_text(encoding="utf-8")


def write_settings(folder: Path) -> Path:
    """Write `folder`/custom/custom.css and a JupyterLab config file serving it; return the config file."""
    custom = Path(folder) / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    (custom / "custom.css").write_text(page_css(), encoding="utf-8")
    settings = Path(folder) / "jupyter_lab_config.json"
    settings.write_text(json.dumps({"LabApp": {"custom_css": True},
                                    "ServerApp": {"tornado_settings": {"static_custom_path": [str(custom)]}}}),
                        encoding="utf-8")
    return settings


def lab_command(root: Path, extra: list[str]) -> list[str]:
    """The jupyter lab command line: this Python's JupyterLab, rooted at `root`, opening its
    notebooks/bulletin.ipynb."""
    settings = write_settings(config.cache_root() / "lab")
    cmd = [sys.executable, "-m", "jupyterlab", f"--config={settings}", f"--ServerApp.root_dir={root}",
           f"{config.NOTEBOOKS_DIR}/bulletin.ipynb"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a container's root
        cmd.append("--allow-root")
    return cmd + extra


def sync_pairs(notebooks: Path) -> None:
    """Bring each notebook's .ipynb and its jupytext source in step (the newer one wins)."""
    sources = [str(notebooks / name) for name in NOTEBOOKS if (notebooks / name).exists()]
    subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", *sources], check=True)


def launch(extra: list[str], root: Path = config.PROJECT_ROOT) -> int:
    """Start JupyterLab (until it is stopped) on `root`'s notebooks; its exit status."""
    notebooks = root / config.NOTEBOOKS_DIR
    if not (notebooks / NOTEBOOKS[0]).is_file():
        raise InputError(Problem(notebooks / NOTEBOOKS[0], "找不到通报笔记本",
                                 fix="在仓库目录里运行，或用 --root 指定含 notebooks/ 的目录"))
    sync_pairs(notebooks)
    return subprocess.call(lab_command(root, extra), cwd=root)
