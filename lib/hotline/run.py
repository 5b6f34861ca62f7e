"""`hotline run MONTH…`: execute the bulletin notebook and publish HTML, PDF, Excel and tables.

For each month, into output/<district folder>/<MONTH>/:

    bulletin.ipynb   the executed notebook, with its parameters (papermill)
    bulletin.html    self-contained HTML (hotline.pdf.BulletinHTMLExporter), the official flavour
    bulletin.pdf     A4 PDF through WeasyPrint, half laid out on each core (hotline.typeset)
    analysis.html    the analysis flavour: the bulletin plus 环比, charts and a drill-down per unit
    analysis.pdf     (--flavour official leaves both out, and units/)
    units/           one drill-down page per ranked unit (<全称>.html, sharing style.css)
    bulletin.xlsx    every table on its own sheet, set up for printing (hotline.excel)
    tables/          the CSV tables and summary.json of `hotline tables`
    validation.txt   the input checks' report: what was accepted with a warning (hotline.validate)

Both flavours come from one execution of the notebook: the official exporter leaves out
the cells tagged `analysis`. After the months, output/<district folder>/index.html is
rebuilt from every month folder there (hotline.index_page).

Everything is written to a temporary sibling folder that replaces the month's folder only
when all of it succeeded (hotline.publish), so a failed rerun keeps the last good bulletin.
Several months run in parallel worker processes (--workers); a failing month does not stop
the others, and every failure is reported at the end with exit status 1.
"""

from __future__ import annotations

import copy
import sys
import time
import traceback
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import config
from .errors import InputError, Problem
from .publish import publishing
from .styles import ANALYSIS, FLAVOURS, OFFICIAL, last_cell_of  # not from .pdf: nbconvert costs seconds to import

NOTEBOOK_NAME = "bulletin.ipynb"
HTML_NAME = "bulletin.html"
PDF_NAME = "bulletin.pdf"
FLAVOUR_FILES = {OFFICIAL: (HTML_NAME, PDF_NAME), ANALYSIS: ("analysis.html", "analysis.pdf")}
TIMING_PREFIX = {OFFICIAL: "", ANALYSIS: "analysis_"}  # timings keys: html, pdf, analysis_html, analysis_pdf
KERNEL_NAME = "python3"
FALLBACK_KERNEL_NAME = "hotline-python3"


# --------------------------------------------------------------------------- months


def _month_index(month: str) -> int:
    from .month import month_number

    year, number = month_number(month)
    return year * 12 + number - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def expand_months(specs: list[str]) -> list[str]:
    """['2023-01:2023-03', '2023-05'] → ['2023-01', '2023-02', '2023-03', '2023-05'] (no duplicates).

    Items may also be separated by commas. Raises InputError naming every bad item.
    """
    months: list[str] = []
    problems: list[Problem] = []
    items = [part.strip() for spec in specs for part in str(spec).split(",") if part.strip()]
    for item in items:
        try:
            if ":" in item:
                first, last = (_month_index(p.strip()) for p in item.split(":", 1))
                if last < first:
                    problems.append(Problem(None, f"月份范围「{item}」起点晚于终点", fix="写成 起始月:结束月，如 2023-01:2023-03"))
                    continue
                months += [_month_name(i) for i in range(first, last + 1)]
            else:
                months.append(_month_name(_month_index(item)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    if not months:
        raise InputError(Problem(None, "没有给出月份", fix="例如 hotline run 2023-03"))
    return list(dict.fromkeys(months))


# --------------------------------------------------------------------------- kernel


def ensure_kernel(preferred: str = KERNEL_NAME) -> str:
    """Name of a kernel spec that runs this very Python (the one with hotline installed).

    The notebook's own kernel metadata is not trusted (it may have been saved on another
    machine). `python3` is used when it resolves to this interpreter — ipykernel provides
    it inside this environment — otherwise a `hotline-python3` spec is installed into this
    environment's prefix and used.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    ours = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    for name in (preferred, FALLBACK_KERNEL_NAME):
        try:
            spec = ksm.get_kernel_spec(name)
        except NoSuchKernel:
            continue
        argv0 = spec.argv[0] if spec.argv else ""
        # jupyter_client runs a bare 'python' with sys.executable.
        if argv0 in ours or Path(argv0).resolve() == Path(sys.executable).resolve():
            return name
    from ipykernel.kernelspec import install

    install(kernel_name=FALLBACK_KERNEL_NAME, display_name="Python 3 (hotline)", prefix=sys.prefix)
    return FALLBACK_KERNEL_NAME


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
    skipped: bool = False  # made from the same inputs as the last run (hotline.fingerprint)
    report: str = ""  # the month's validation.txt


def _notebook_timings(nb, begin: datetime | None = None) -> dict[str, float]:
    """Kernel start and execution seconds from papermill's metadata of an executed notebook
    (kernel start counted from `begin`, when the kernel was started before papermill)."""
    def ts(value):
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None

    meta = nb.metadata.get("papermill", {})
    starts = [ts(c.metadata.get("papermill", {}).get("start_time")) for c in nb.cells]
    ends = [ts(c.metadata.get("papermill", {}).get("end_time")) for c in nb.cells]
    starts = [s for s in starts if s]
    ends = [e for e in ends if e]
    begin = begin or ts(meta.get("start_time"))
    out = {}
    if begin and starts:
        out["kernel_start"] = (min(starts) - begin).total_seconds()
    if starts and ends:
        out["execution"] = (max(ends) - min(starts)).total_seconds()
    return out


def _cell_timings(nb) -> list[tuple[str, float]]:
    """(first line of code, seconds) for each executed code cell, from papermill's metadata."""
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("papermill", {})
        if cell.cell_type == "code" and meta.get("duration") is not None:
            lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
            out.append(((lines[0] if lines else "").strip()[:60], float(meta["duration"])))
    return out


def skipped_months(months: list[str], workspace: Path, out_root: Path,
                   flavours: tuple[str, ...] = FLAVOURS) -> dict[str, MonthResult]:
    """The months whose output folder was made from exactly the current inputs (hotline.fingerprint)
    and holds the files of every flavour asked for."""
    from .fingerprint import month_fingerprint, unchanged

    skipped = {}
    for month in months:
        t = time.perf_counter()
        target = config.month_output_dir(Path(workspace).resolve(), month, Path(out_root).resolve())
        outputs = [NOTEBOOK_NAME, *(name for f in flavours for name in FLAVOUR_FILES[f])]
        if unchanged(target, month_fingerprint(workspace, month), outputs):
            skipped[month] = MonthResult(month, True, target, skipped=True, timings={"total": time.perf_counter() - t})
    return skipped


def export_flavour(nb, flavour: str, folder: Path, timings: dict[str, float], pool=None) -> None:
    """Write one flavour's HTML and PDF of an executed notebook into folder, timing each; with
    `pool`, half of the PDF is laid out in its process (hotline.typeset.html_to_pdf)."""
    from .pdf import BulletinHTMLExporter, html_to_pdf

    html_name, pdf_name = FLAVOUR_FILES[flavour]
    t = time.perf_counter()
    html, _ = BulletinHTMLExporter(flavour=flavour).from_notebook_node(nb)
    (folder / html_name).write_text(html, encoding="utf-8")
    timings[TIMING_PREFIX[flavour] + "html"] = time.perf_counter() - t
    t = time.perf_counter()
    (folder / pdf_name).write_bytes(html_to_pdf(html, base_url=str(folder), pool=pool))
    timings[TIMING_PREFIX[flavour] + "pdf"] = time.perf_counter() - t


class Exports:
    """Each flavour's HTML and PDF, made on a background thread as soon as the last cell that
    flavour shows has run (hotline.styles.last_cell_of), while the kernel goes on with the
    rest: the analysis cells, the analyst cell writing tables and Excel.

    The thread first loads and warms up the exporters (nbconvert, WeasyPrint), on the core the
    kernel leaves idle. Exports run one at a time, in the order their cells finish. With
    `pdf_worker`, a second process lays out half of each PDF (hotline.typeset): it is started
    and warmed up at once too. Pass `notebook_started` and `cell_executed` to papermill as
    nbclient hooks; then `finish` exports what is left and re-raises an export's error; `close`
    always.
    """

    def __init__(self, flavours: tuple[str, ...], folder: Path, timings: dict[str, float], pdf_worker: bool = True):
        self.flavours, self.folder, self.timings = flavours, folder, timings
        self.nb = None
        self.last: dict[str, int | None] = {}
        self.started: dict[str, Future] = {}
        self.worker = None
        if pdf_worker:
            import multiprocessing

            from . import typeset

            self.worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            self.worker.submit(typeset.warm_up)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotline-export")
        self.pool.submit(_warm_exporters)

    def notebook_started(self, notebook, **_) -> None:
        self.nb = notebook
        self.last = {f: last_cell_of(notebook.cells, f) for f in self.flavours}

    def cell_executed(self, cell, cell_index: int, execute_reply: dict, **_) -> None:
        if execute_reply.get("content", {}).get("status") != "ok":
            return  # papermill stops at this cell and the run fails
        for flavour, last in self.last.items():
            if last == cell_index:
                # A copy: the kernel's later cells keep changing the notebook meanwhile.
                self._start(flavour, copy.deepcopy(self.nb))

    def _start(self, flavour: str, nb) -> None:
        if flavour not in self.started:
            self.started[flavour] = self.pool.submit(export_flavour, nb, flavour, self.folder, self.timings, self.worker)

    def finish(self, nb) -> None:
        for flavour in self.flavours:
            self._start(flavour, nb)
        for future in self.started.values():
            future.result()

    def close(self) -> None:
        """Wait for a running export: nothing may write into the folder once it is published or dropped.
        (The PDF worker writes nothing; it ends on its own after the layout it may still be doing.)"""
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.worker is not None:
            self.worker.shutdown(wait=False, cancel_futures=True)


def render_month(month: str, workspace: Path, out_root: Path, notebook: Path = config.NOTEBOOK,
                 kernel_name: str | None = None, flavours: tuple[str, ...] = FLAVOURS,
                 pdf_worker: bool = True) -> MonthResult:
    """Execute the notebook for `month` once and publish its folder with the `flavours` asked for
    (official, analysis or both); never raises for a failing month. `pdf_worker`: lay out half
    of each PDF in a second process (leave it off when months already run in parallel)."""
    import papermill

    workspace = Path(workspace).resolve()
    target = config.month_output_dir(workspace, month, Path(out_root).resolve())
    result = MonthResult(month, False, target)
    t_all = time.perf_counter()
    try:
        from .fingerprint import month_fingerprint, write_fingerprint
        from .kernel import Kernel

        fingerprint = month_fingerprint(workspace, month, Path(notebook))  # before reading any input
        t, begin = time.perf_counter(), datetime.now(timezone.utc)
        # Started before anything else: the kernel boots while papermill reads the notebook.
        kernel = Kernel.started(kernel_name or ensure_kernel(), cwd=Path(notebook).parent)
        with kernel, publishing(target) as tmp:
            nb_path = tmp / NOTEBOOK_NAME
            exports = Exports(flavours, tmp, result.timings, pdf_worker)
            try:
                try:
                    nb = papermill.execute_notebook(
                        str(notebook), str(nb_path),
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
        result.error = _describe(exc)
        result.detail = (result.detail + "\n" if result.detail else "") + traceback.format_exc()
    result.timings["total"] = time.perf_counter() - t_all
    return result


def _warm_exporters() -> None:
    """Import nbconvert and WeasyPrint (about a second) and warm them up (hotline.pdf.warm_up)."""
    from .pdf import warm_up

    warm_up()


def _describe(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # papermill.PapermillExecutionError: the notebook's own exception
        evalue = str(getattr(exc, "evalue", "")).strip()
        return f"笔记本执行出错 {ename}: {evalue}" if ename != "InputError" else f"输入有误:\n{evalue}"
    return f"{type(exc).__name__}: {exc}"


def _render_month_args(args: tuple) -> MonthResult:
    return render_month(*args)


# --------------------------------------------------------------------------- command


EXPORT_TIMINGS = [("html", "HTML"), ("pdf", "PDF"), ("analysis_html", "分析版HTML"), ("analysis_pdf", "分析版PDF")]


def flavours_of(choice: str) -> tuple[str, ...]:
    """--flavour official|analysis|both → the flavours to export."""
    return FLAVOURS if choice == "both" else (choice,)


def timings_breakdown(r: MonthResult) -> str:
    """Where a month's time went, one stage a line, the notebook's cells indented under it."""
    lines = [f"  {label:<10}{r.timings[key]:6.2f}s" for key, label in
             [("kernel_start", "内核启动"), ("execution", "笔记本执行")] if key in r.timings]
    lines += [f"    {sec:6.2f}s  {code}" for code, sec in r.cells]
    lines += [f"  {label:<10}{r.timings[key]:6.2f}s" for key, label in
              EXPORT_TIMINGS + [("total", "合计")] if key in r.timings]
    lines.append("  （各版本的 HTML、PDF 在其最后一个单元格运行完即开始，与其余单元格同时进行，"
                 "PDF 分两半在两个核上排版；故各项之和可大于合计）")
    return "\n".join(lines)


def format_timings(t: dict[str, float]) -> str:
    names = [("kernel_start", "内核启动"), ("execution", "执行"), *EXPORT_TIMINGS, ("total", "合计")]
    return "，".join(f"{label} {t[key]:.1f}s" for key, label in names if key in t)


def run_months(months: list[str], workspace: Path, out_root: Path, workers: int = 1,
               progress: bool = True, kernel_name: str | None = None, force: bool = False,
               flavours: tuple[str, ...] = FLAVOURS) -> list[MonthResult]:
    """Render the months, in `workers` processes; months unchanged since their last run are skipped unless `force`."""
    from tqdm import tqdm

    results = {} if force else skipped_months(months, workspace, out_root, flavours)
    todo = [m for m in months if m not in results]
    if not todo:
        return [results[m] for m in months]
    kernel = kernel_name or ensure_kernel()
    # Months side by side already keep both cores busy: no second process per PDF then.
    pdf_worker = workers <= 1 or len(todo) == 1
    jobs = [(m, Path(workspace), Path(out_root), config.NOTEBOOK, kernel, flavours, pdf_worker) for m in todo]
    bar = tqdm(total=len(jobs), desc="通报", unit="月", disable=not progress, file=sys.stderr)
    try:
        if workers <= 1 or len(jobs) == 1:
            for job in jobs:
                bar.set_postfix_str(job[0])
                r = render_month(*job)
                results[r.month] = r
                bar.update(1)
        else:
            import multiprocessing

            ctx = multiprocessing.get_context("spawn")  # no forked zmq/kernel state
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
                futures = {pool.submit(_render_month_args, job): job[0] for job in jobs}
                for fut in as_completed(futures):
                    month = futures[fut]
                    try:
                        r = fut.result()
                    except Exception as exc:  # a worker died
                        r = MonthResult(month, False, config.month_output_dir(workspace, month, out_root),
                                        error=_describe(exc), detail=traceback.format_exc())
                    results[month] = r
                    bar.set_postfix_str(month)
                    bar.update(1)
    finally:
        bar.close()
    return [results[m] for m in months]


def run_command(args) -> int:
    """Entry of `hotline run`: args.months, args.data, args.out, args.workers, args.debug."""
    months = expand_months(list(args.months))
    workspace = Path(args.data)
    if not workspace.is_dir():
        raise InputError(Problem(workspace, "找不到区县工作区目录", fix="用 --data 指定，如 --data data/sample"))
    results = run_months(months, workspace, Path(args.out), workers=max(1, int(args.workers or 1)),
                         progress=not getattr(args, "no_progress", False), kernel_name=getattr(args, "kernel", None),
                         force=getattr(args, "force", False), flavours=flavours_of(getattr(args, "flavour", "both")))
    if not all(r.skipped for r in results):  # nothing new when every month was skipped
        from .index_page import write_index

        write_index(config.month_output_dir(workspace, months[0], Path(args.out)).parent)
    failed = [r for r in results if not r.ok]
    for r in results:
        if r.ok:
            if r.skipped:
                print(f"未变 {r.month} → {r.out_dir}（输入、笔记本和程序都与上次相同，已跳过；--force 可重新生成）")
                continue
            print(f"完成 {r.month} → {r.out_dir}  ({format_timings(r.timings)})")
            if getattr(args, "timings", False):
                print(timings_breakdown(r))
            for line in r.report.splitlines()[1:]:  # the title repeats the month
                print(f"  {line}", file=sys.stderr)
    if failed:
        print(f"\n{len(failed)} 个月份失败（已有的通报保持不变）:", file=sys.stderr)
        for r in failed:
            print(f"- {r.month}: {r.error}", file=sys.stderr)
            if getattr(args, "debug", False) and r.detail:
                print(r.detail, file=sys.stderr)
            elif r.detail.startswith("出错的笔记本"):
                print("  " + r.detail.splitlines()[0], file=sys.stderr)
        return 1
    return 0
