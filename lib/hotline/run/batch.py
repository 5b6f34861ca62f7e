"""Many months: skip those unchanged since their last run, render the rest, in worker processes.

A failing month does not stop the others; every failure is reported at the end.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from hotline import config
from hotline.errors import InputError
from hotline.render.flavours import FLAVOURS
from hotline.run.fingerprint import month_fingerprint, unchanged
from hotline.run.kernel import ensure_kernel
from hotline.run.month import MonthResult, describe, render_month


def skipped_months(months: list[str], workspace: Path, out_root: Path,
                   flavours: tuple[str, ...] = FLAVOURS) -> dict[str, MonthResult]:
    """The months whose output folder was made from exactly the current inputs (hotline.run.fingerprint)
    and holds the files of every flavour asked for."""
    skipped = {}
    for month in months:
        t = time.perf_counter()
        target = config.month_output_dir(Path(workspace).resolve(), month, Path(out_root).resolve())
        outputs = [config.NOTEBOOK_FILE, *(name for f in flavours for name in config.flavour_files(f))]
        try:
            fingerprint = month_fingerprint(workspace, month)
        except InputError:  # bad inputs: rendering the month reports them
            continue
        if unchanged(target, fingerprint, outputs):
            skipped[month] = MonthResult(month, True, target, skipped=True, timings={"total": time.perf_counter() - t})
    return skipped


def _render_month_args(args: tuple) -> MonthResult:
    return render_month(*args)


def run_months(months: list[str], workspace: Path, out_root: Path, workers: int = 1,
               progress: bool = True, kernel_name: str | None = None, force: bool = False,
               flavours: tuple[str, ...] = FLAVOURS) -> list[MonthResult]:
    """Render the months, in `workers` processes; months unchanged since their last run are skipped
    unless `force`. When any month was rendered, the district's index page is rebuilt."""
    results = {} if force else skipped_months(months, workspace, out_root, flavours)
    todo = [m for m in months if m not in results]
    if not todo:
        return [results[m] for m in months]
    kernel = kernel_name or ensure_kernel()
    jobs = [(m, Path(workspace), Path(out_root), config.NOTEBOOK, kernel, flavours) for m in todo]
    bar = tqdm(total=len(jobs), desc="通报", unit="期", disable=not progress, file=sys.stderr)
    try:
        if workers <= 1 or len(jobs) == 1:
            for job in jobs:
                bar.set_postfix_str(job[0])
                r = render_month(*job)
                results[r.month] = r
                bar.update(1)
        else:
            ctx = multiprocessing.get_context("spawn")  # no forked zmq/kernel state
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
                futures = {pool.submit(_render_month_args, job): job[0] for job in jobs}
                for fut in as_completed(futures):
                    month = futures[fut]
                    try:
                        r = fut.result()
                    except Exception as exc:  # a worker died
                        r = MonthResult(month, False, config.month_output_dir(workspace, month, out_root),
                                        error=describe(exc), detail=traceback.format_exc())
                    results[month] = r
                    bar.set_postfix_str(month)
                    bar.update(1)
    finally:
        bar.close()
    # the index page's markup (Jinja, pandas) only when a month was rendered
    from hotline.render.index_page import write_index
    from hotline.render.wording import Wording

    write_index(config.month_output_dir(workspace, months[0], out_root).parent, Wording(Path(workspace)))
    return [results[m] for m in months]
