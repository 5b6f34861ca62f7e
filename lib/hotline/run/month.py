"""One month's run: execute the bulletin notebook once and publish HTML, PDF, Excel and tables.

For each month, into output/<district folder>/<MONTH>/:

    bulletin.ipynb   the executed notebook, with its parameters (papermill)
    bulletin.html    self-contained HTML (hotline.render.exporters.BulletinHTMLExporter), the official flavour
    bulletin.pdf     A4 PDF set as a 公文 by Typst (hotline.render.typeset)
    bulletin.docx    the same as a Word document set up as a 公文 (hotline.render.docx)
    analysis.html    the analysis flavour: the bulletin plus 环比, charts and a drill-down per unit
    analysis.pdf     (--flavour official leaves these three out, and units/)
    analysis.docx
    units/           one drill-down page per ranked unit (<全称>.html, sharing style.css)
    bulletin.xlsx    every table on its own sheet, set up for printing (hotline.render.excel)
    tables/          the CSV tables and summary.json of `hotline tables`
    validation.txt   the input checks' report: what was accepted with a warning (hotline.inputs.validation_report)

Both flavours come from one execution of the notebook: the official exporter leaves out
the cells tagged `analysis`.

Everything is written to a temporary sibling folder that replaces the month's folder only
when all of it succeeded (hotline.run.publish), so a failed rerun keeps the last good bulletin.
Many months: hotline.run.batch.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import re
import sys
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from hotline import config
from hotline.errors import HEADING, OUTPUT_HEADING, InputError, OutputError
from hotline.render.flavours import ANALYSIS, FLAVOURS, OFFICIAL, last_cell_of  # not exporters: nbconvert costs seconds to import
from hotline.run.fingerprint import month_fingerprint, write_fingerprint
from hotline.run.kernel import Kernel, ensure_kernel
from hotline.run.publish import publishing

if TYPE_CHECKING:  # nbformat is imported where a notebook is read
    from nbformat import NotebookNode

TIMING_PREFIX = {OFFICIAL: "", ANALYSIS: "analysis_"}  # timings keys: html, pdf, docx, analysis_html, …


# --------------------------------------------------------------------------- one month


@dataclass
class MonthResult:
    month: str
    ok: bool
    out_dir: Path
    error: str = ""
    detail: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    cells: list[tuple[str, float]] = field(default_factory=list)  # (first line, seconds) per code cell
    skipped: bool = False  # made from the same inputs as the last run (hotline.run.fingerprint)
    report: str = ""  # the month's validation.txt


def _notebook_timings(nb: NotebookNode, begin: datetime | None = None) -> dict[str, float]:
    """Kernel start and execution seconds from papermill's metadata of an executed notebook
    (kernel start counted from `begin`, when the kernel was started before papermill)."""
    def ts(value: object) -> datetime | None:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None

    meta = nb.metadata.get("papermill", {})
    starts = [t for c in nb.cells if (t := ts(c.metadata.get("papermill", {}).get("start_time")))]
    ends = [t for c in nb.cells if (t := ts(c.metadata.get("papermill", {}).get("end_time")))]
    begin = begin or ts(meta.get("start_time"))
    out = {}
    if begin and starts:
        out["kernel_start"] = (min(starts) - begin).total_seconds()
    if starts and ends:
        out["execution"] = (max(ends) - min(starts)).total_seconds()
    return out


def _cell_timings(nb: NotebookNode) -> list[tuple[str, float]]:
    """(first line of code, seconds) for each executed code cell, from papermill's metadata."""
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("papermill", {})
        if cell.cell_type == "code" and meta.get("duration") is not None:
            lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
            out.append(((lines[0] if lines else "").strip()[:60], float(meta["duration"])))
    return out


def export_flavour(nb: NotebookNode, flavour: str, folder: Path, timings: dict[str, float]) -> None:
    """Write one flavour's HTML, PDF (hotline.render.typeset) and Word document (config.DOCX_FILES)
    of an executed notebook into folder, timing each. The page is read into its document tree
    once (timed with the PDF); the PDF and the Word document are both made from that tree.

    Python's cyclic garbage collector is paused meanwhile: the page's tree and the template's
    data make no cyclic garbage, and its passes over all the runner holds (the executed
    notebook, nbclient) more than doubled the PDF data's time for a city (0.12 → 0.3 s)."""
    # nbconvert (seconds to import) only when a flavour is exported
    from hotline.render import doctree  # as above
    from hotline.render.docx import tree_to_docx  # as above
    from hotline.render.exporters import BulletinHTMLExporter
    from hotline.render.fonts import notebook_setup  # as above
    from hotline.render.typeset import tree_to_pdf  # as above
    from hotline.run.outputs import (  # as above: pandas and the workbook writer load with it
        cycle_collection_paused,
        write_flavour,
    )

    setup = notebook_setup(nb)
    with cycle_collection_paused():
        t = time.perf_counter()
        html, _ = BulletinHTMLExporter(flavour=flavour).from_notebook_node(nb)
        write_flavour(folder, flavour, html=html)
        timings[TIMING_PREFIX[flavour] + "html"] = time.perf_counter() - t
        t = time.perf_counter()
        tree = doctree.parse(html)
        write_flavour(folder, flavour, pdf=tree_to_pdf(tree, setup))
        timings[TIMING_PREFIX[flavour] + "pdf"] = time.perf_counter() - t
        if flavour in config.DOCX_FILES:
            t = time.perf_counter()
            write_flavour(folder, flavour, docx=tree_to_docx(tree, setup))
            timings[TIMING_PREFIX[flavour] + "docx"] = time.perf_counter() - t


class Exports:
    """Each flavour's HTML and PDF, made on a background thread as soon as the last cell that
    flavour shows has run (hotline.render.flavours.last_cell_of), while the kernel goes on with the
    rest: the analysis cells, the analyst cell writing tables and Excel.

    The thread first loads and warms up the exporters (nbconvert, the Typst compiler and the
    fonts), on the core the kernel leaves idle. Exports run one at a time, in the order their
    cells finish. Pass `notebook_started` and `cell_executed` to papermill as nbclient hooks;
    then `finish` exports what is left and re-raises an export's error; `close` always.
    """

    def __init__(self, flavours: tuple[str, ...], folder: Path, timings: dict[str, float]):
        self.flavours, self.folder, self.timings = flavours, folder, timings
        self.nb: NotebookNode | None = None
        self.last: dict[str, int | None] = {}
        self.started: dict[str, Future] = {}
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotline-export")
        self.warm = self.pool.submit(_warm_exporters, flavours)

    def notebook_started(self, notebook: NotebookNode, **_: Any) -> None:
        self.nb = notebook
        self.last = {f: last_cell_of(notebook.cells, f) for f in self.flavours}

    def cell_executed(self, cell: NotebookNode, cell_index: int, execute_reply: dict[str, Any], **_: Any) -> None:
        if execute_reply.get("content", {}).get("status") != "ok":
            return  # papermill stops at this cell and the run fails
        # its SVG charts' PNGs for Word (seconds of resvg) while the kernel goes on; a copy, as a
        # later cell may update a display of this one
        self.pool.submit(_pre_rasterize, copy.deepcopy(cell.get("outputs", [])))
        for flavour, last in self.last.items():
            if last == cell_index:
                # A copy: the kernel's later cells keep changing the notebook meanwhile.
                assert self.nb is not None  # papermill calls notebook_started first
                self._start(flavour, copy.deepcopy(self.nb))

    def _start(self, flavour: str, nb: NotebookNode) -> None:
        if flavour not in self.started:
            self.started[flavour] = self.pool.submit(export_flavour, nb, flavour, self.folder, self.timings)

    def finish(self, nb: NotebookNode) -> None:
        for flavour in self.flavours:
            self._start(flavour, nb)
        for future in [self.warm, *self.started.values()]:  # a warm-up that fails is a bug to see
            future.result()

    def close(self) -> None:
        """Wait for a running export: nothing may write into the folder once it is published or dropped."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def read_notebook(path: Path) -> NotebookNode:
    """The bulletin notebook from its jupytext source (notebooks/bulletin.py), or an .ipynb."""
    return import_runner().jupytext.read(path)


# Optional modules that the runner's libraries import whenever they are installed, and that a run
# never uses; JupyterLab's environment (make lab) brings both. jsonschema, through nbformat,
# compiles rfc3987-syntax's 39 grammars (about a second) for string formats that nbformat's
# schema never asks for; jupytext loads jupyter_server's contents managers (0.4 s), which only
# the lab uses.
UNUSED_OPTIONAL = ("rfc3987_syntax", "jupyter_server")


@contextlib.contextmanager
def _left_out(names: tuple[str, ...]) -> Iterator[None]:
    """Imports inside the block find the modules `names` not installed (an optional import
    gives up on them); afterwards they import as before. Modules already loaded stay."""
    added = [name for name in names if name not in sys.modules]
    for name in added:
        sys.modules[name] = None  # type: ignore[assignment]  # the import system's "not installed"
    try:
        yield
    finally:
        for name in added:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


@functools.cache
def import_runner() -> SimpleNamespace:
    """papermill and jupytext, imported without the optional modules a run never uses
    (UNUSED_OPTIONAL); only when a month is rendered (`hotline run` of an unchanged month stays quick)."""
    with _left_out(UNUSED_OPTIONAL):
        # here, not at the top: an unchanged month is skipped without them (a second to import)
        import jupytext
        import papermill
    return SimpleNamespace(papermill=papermill, jupytext=jupytext)

def render_month(month: str, workspace: Path, out_root: Path, notebook: Path = config.NOTEBOOK,
                 kernel_name: str | None = None, flavours: tuple[str, ...] = FLAVOURS) -> MonthResult:
    """Execute the notebook for `month` once and publish its folder with the `flavours` asked for
    (official, analysis or both); never raises for a failing month."""
    workspace = Path(workspace).resolve()
    target = config.month_output_dir(workspace, month, Path(out_root).resolve())
    result = MonthResult(month, False, target)
    t_all = time.perf_counter()
    try:
        config.check_month_folders(workspace, month)  # a quarter's or a year's missing months: no kernel started
        fingerprint = month_fingerprint(workspace, month, Path(notebook))  # before reading any input
        t, begin = time.perf_counter(), datetime.now(UTC)
        # Started before anything else: the kernel boots while papermill reads the notebook.
        kernel = Kernel.started(kernel_name or ensure_kernel(), cwd=Path(notebook).parent)
        papermill = import_runner().papermill  # while the kernel boots; only when a month is rendered
        with kernel, publishing(target) as tmp:
            nb_path = tmp / config.NOTEBOOK_FILE
            exports = Exports(flavours, tmp, result.timings)
            try:
                try:
                    nb = papermill.execute_notebook(
                        read_notebook(notebook), str(nb_path),
                        parameters={"month": month, "workspace": str(workspace), "output_dir": str(tmp),
                                    "flavour": ANALYSIS if ANALYSIS in flavours else OFFICIAL},
                        kernel_name=kernel.kernel_name, km=kernel, language="python",
                        progress_bar=False, log_output=False, report_mode=False,
                        # One write at the end (or of the failed notebook) instead of two per cell.
                        request_save_on_cell_execute=False,
                        on_notebook_start=exports.notebook_started, on_cell_executed=exports.cell_executed,
                    )
                except Exception:
                    if nb_path.exists():  # keep the failed run's notebook for the analyst
                        failed = target.parent / f"{month}.failed.ipynb"
                        failed.write_bytes(nb_path.read_bytes())
                        result.detail = f"出错的笔记本: {failed}"
                    raise
                result.timings["notebook"] = time.perf_counter() - t
                result.timings.update(_notebook_timings(nb, begin))
                result.cells = _cell_timings(nb)
                kernel.stop()  # its tenth of a second of waiting for the process to end, while the exports go on
                exports.finish(nb)
            finally:
                exports.close()
            write_fingerprint(tmp, fingerprint)
        report_file = target / config.REPORT_FILE
        if report_file.is_file():
            result.report = report_file.read_text(encoding="utf-8")
        stale = target.parent / f"{month}.failed.ipynb"
        stale.unlink(missing_ok=True)
        result.ok = True
    except Exception as exc:  # one month's failure is reported, the others go on
        result.error = describe(exc)
        result.detail = (result.detail + "\n" if result.detail else "") + traceback.format_exc()
    result.timings["total"] = time.perf_counter() - t_all
    return result


def _pre_rasterize(outputs: list[dict[str, Any]]) -> None:
    """hotline.render.docx.pre_rasterize, imported on the export thread."""
    from hotline.render.docx import pre_rasterize  # as _warm_exporters

    pre_rasterize(outputs)


@functools.cache  # once a process: a batch's later months (run_months) find them warm; a failure is retried
def _warm_exporters(flavours: tuple[str, ...]) -> None:
    """Import nbconvert, Typst and python-docx (about a second) and warm them up (hotline.render.exporters.warm_up)."""
    # nbconvert (seconds to import) only when a flavour is exported
    from hotline.render.exporters import warm_up

    warm_up(flavours)


# The notebook's OSError, as papermill passes it on: "[Errno 28] No space left on device: '/out/x.pdf'".
_OS_ERROR_TEXT = re.compile(r"^\[Errno (\d+)\] (.*?)(?:: '(.*)')?$", re.S)
_OS_ERRORS = {"OSError", "PermissionError", "FileNotFoundError", "FileExistsError", "IsADirectoryError",
              "NotADirectoryError"}


def describe(exc: BaseException) -> str:
    """A month's failure in the analyst's words: an input's or an output's problem as `hotline`
    reports it, else the notebook's exception in one line."""
    ename = getattr(exc, "ename", None)
    if ename:  # papermill.PapermillExecutionError: the notebook's own exception
        evalue = str(getattr(exc, "evalue", "")).strip()
        if ename == "InputError":
            return f"{HEADING}\n{evalue}"
        if ename == "OutputError":
            return f"{OUTPUT_HEADING}\n{evalue}"
        if ename in _OS_ERRORS and (m := _OS_ERROR_TEXT.match(evalue)):
            return OutputError.from_os_error(OSError(int(m.group(1)), m.group(2), m.group(3))).report()
        return f"笔记本执行出错 {ename}: {evalue}"
    if isinstance(exc, InputError | OutputError):  # found in this process, before the notebook ran
        return exc.report()
    if isinstance(exc, OSError):
        return OutputError.from_os_error(exc).report()
    return f"{type(exc).__name__}: {exc}"




