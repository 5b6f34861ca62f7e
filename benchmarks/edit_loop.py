"""Benchmark: the analyst's editing loop on the sample month, as seconds.

    .venv/bin/python benchmarks/edit_loop.py      # about a minute; prints the figures, writes benchmarks/edit_loop.json

What an analyst waits for after changing a wording template (with characters the bulletin did
not use before, the costly case for fonts):

- the lab: the bulletin notebook run top to bottom in a kernel (as JupyterLab's Run All, with
  the notebook's defaults, output_dir empty), first in a new kernel, then again in the same
  kernel after the edit: until the edited sentence shows (its section's cell has run; the
  analysis flavour's cells follow) and until the last cell;
- the command: `render_month` (what `hotline run 2023-03 --flavour official --force` does) after
  the edit, each stage's seconds, the HTML's among them.

The floors, measured in the same run: a new kernel running a one-cell notebook, and the HTML
exporter on an unchanged month (its fonts cached). Caches (Parquet, font subsets) are warm
from a first run, as on an analyst's machine after the first day; each edit brings new
characters, so no font subset of it is cached.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MONTH = "2023-03"
# Characters the sample's text does not use: one edit within GB2312, one beyond it (a rare name).
EDITS = {"within GB2312": "鑫淼焱垚，请该单位认真分析原因、限期整改。", "beyond GB2312": "请𬭎𬭚二位同志跟进。"}


def _wording(ws: Path, text: str) -> None:
    """A district override of below_lead.j2: the default template with `text` after it."""
    default = ROOT / "lib/hotline/render/templates/wording/below_lead.j2"
    (ws / "wording").mkdir(exist_ok=True)
    (ws / "wording" / "below_lead.j2").write_text(default.read_text(encoding="utf-8") + text, encoding="utf-8")


def _notebook_cells(ws: Path):
    """The bulletin notebook with the workspace set, as the lab would run it."""
    import jupytext

    nb = jupytext.read(ROOT / "notebooks" / "bulletin.py")
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source += f"\nworkspace = {str(ws)!r}\n"
    return nb


def lab_loop(ws: Path) -> dict:
    """Seconds of Run All in a new kernel, then in the same kernel after each edit: until the edited
    sentence shows (the cell that displays it has run) and until the last cell has run."""
    from nbclient import NotebookClient

    nb = _notebook_cells(ws)
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}})
    figures = {}
    with client.setup_kernel():
        for label, edit in [("first Run All, new kernel", None), *EDITS.items()]:
            if edit:
                _wording(ws, edit)
            t, shown = time.perf_counter(), None
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
                if edit and shown is None and edit[:4] in json.dumps(cell.get("outputs", []), ensure_ascii=False):
                    shown = time.perf_counter() - t
            total = time.perf_counter() - t
            if edit is None:
                figures[label] = total
            else:
                assert shown is not None, f"the edit {edit!r} never showed"
                figures[f"edit {label}: shown"] = shown
                figures[f"edit {label}: Run All"] = total
    return figures


def command_loop(ws: Path, out: Path) -> dict:
    """render_month's stages after each edit (official flavour)."""
    from hotline.run.month import render_month

    figures = {}
    for label, edit in [("unchanged month", None), *EDITS.items()]:
        if edit:
            _wording(ws, edit)
        result = render_month(MONTH, ws, out, flavours=("official",))
        assert result.ok, result.error + result.detail
        figures[label] = {k: round(v, 3) for k, v in result.timings.items()}
    return figures


def floor_kernel() -> float:
    """A new kernel running a one-cell notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("month = ''")]
    t = time.perf_counter()
    NotebookClient(nb, kernel_name="python3").execute()
    return time.perf_counter() - t


def main() -> None:
    import os

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["HOTLINE_CACHE"] = str(work / "cache")
        ws = work / "sample"
        shutil.copytree(ROOT / "data" / "sample", ws, ignore=shutil.ignore_patterns(".cache"))
        from hotline.run.month import render_month

        render_month(MONTH, ws, work / "out", flavours=("official",))  # warm caches, as after a first day
        figures = {"floor: new kernel, one-cell notebook": floor_kernel(),
                   "lab": lab_loop(ws)}
        shutil.copy(ROOT / "lib/hotline/render/templates/wording/below_lead.j2", ws / "wording" / "below_lead.j2")
        figures["command (render_month, official)"] = command_loop(ws, work / "out")
    out = HERE / "edit_loop.json"
    out.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    json.dump(figures, sys.stdout, indent=1, ensure_ascii=False)
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
