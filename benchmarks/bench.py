"""Benchmark: each stage of the bulletin at 10 thousand to 5 million rows a month, against its floor.

    .venv/bin/python benchmarks/bench.py --quick    # 10k and 100k rows, end to end, batch: ~5 minutes
    .venv/bin/python benchmarks/bench.py            # also 1M and 5M rows: ~9–10 minutes, ~6 GiB at peak

Every stage runs in a fresh Python subprocess that reports its seconds (the timed call only,
imports and setup left out, best of --repeat for the quick ones) and its peak memory
(max RSS of the process and the processes it waited for: the notebook's kernel). The floors
are measured in the same run the same way: a kernel started and an empty notebook run
through papermill, a one-page HTML set as PDF by Typst, and pyarrow reading the
same Parquet. Results go to BENCHMARKS.md (see --out) and, as JSON, next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

MONTH = "2023-03"
OFFICIAL = ["official"]  # the bulletin as circulated; the analysis flavour is timed once, for the sample
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}
QUICK_SIZES = ["10k", "100k"]
E2E_RUNS = 5  # the sample month's warm run and both floors: the median of this many fresh processes
BOTH_RUNS = 3  # the sample's and the city's both-flavour runs, whose ratios are targets: the median of this many
BATCH_MONTHS, BATCH_ROWS, BATCH_UNITS = 12, 6_000, 47  # a district's year, month by month
CITY_ROWS, CITY_UNITS = 70_000, 500  # a city's month (with the month before it, for the 环比)


# --------------------------------------------------------------------------- stages (run in a child)


def _peak_mib() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _timed(fn, repeat: int = 1) -> float:
    """Seconds of one call of fn; with repeat > 1, the best of `repeat` calls after an untimed
    warm-up call (the best of 20 when a call takes under 50 ms: one run of milliseconds is noise)."""
    if repeat > 1:
        t = time.perf_counter()
        fn()
        if time.perf_counter() - t < 0.05:
            repeat = max(repeat, 20)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def stage_load(ws: str, cache: bool, repeat: int) -> dict:
    """load_exports of the workspace's exports: a fresh parse, or (cache=True) from the Parquet cache."""
    from hotline import config
    from hotline.inputs.exports import load_exports
    from hotline.inputs.registry import load_registry

    registry = load_registry(Path(ws) / config.UNITS_FILE)
    kw = {"cache": Path(ws) / config.CACHE_DIR} if cache else {}
    return {"seconds": _timed(lambda: load_exports(Path(ws) / config.EXPORTS_DIR, registry, **kw), repeat)}


def stage_parquet(ws: str, repeat: int) -> dict:
    """Floor of the cache: pyarrow reading the cache's merged Parquet file with pq.read_table; for
    reference also through pq.ParquetFile (as the cache reads it) and on to pandas."""
    import pyarrow.parquet as pq

    [path] = (Path(ws) / ".cache" / "exports").glob("merged-*.parquet")

    def parquet_file():
        with pq.ParquetFile(path) as f:
            return f.read()

    return {"seconds": _timed(lambda: pq.read_table(path), repeat),
            "parquet_file": _timed(parquet_file, repeat),
            "to_pandas": _timed(lambda: pq.read_table(path).to_pandas(), repeat)}


def stage_validate(ws: str, repeat: int) -> dict:
    """hotline validate: settings, registry, every export (through the cache), every month."""
    from hotline.bulletin import validate_workspace

    return {"seconds": _timed(lambda: validate_workspace(Path(ws)), repeat)}


def stage_score(ws: str, repeat: int) -> dict:
    """build_bulletin from loaded data: flags, counts, scores, ranks, selections, tables, sentences."""
    from hotline.bulletin import build_bulletin
    from hotline.inputs.workspace import load_workspace

    loaded = load_workspace(Path(ws))
    rows = len(loaded.orders)
    return {"seconds": _timed(lambda: build_bulletin(MONTH, loaded), repeat), "rows": rows}


def stage_render(ws: str, out: str, month: str, flavours: list[str]) -> dict:
    """render_month through the Python API: notebook (kernel start, execution), HTML, PDF, publish."""
    from pypdf import PdfReader

    from hotline.run.month import render_month

    result = render_month(month, Path(ws), Path(out), flavours=tuple(flavours))
    if not result.ok:
        raise SystemExit(result.error + "\n" + result.detail)
    pages = {name: len(PdfReader(result.out_dir / name).pages) for name in ("bulletin.pdf", "analysis.pdf")
             if (result.out_dir / name).is_file()}
    return {"seconds": result.timings["total"], **result.timings, "pages": pages}


def stage_batch(ws: str, out: str, workers: int, flavours: list[str]) -> dict:
    """run_months over every month of the workspace with `workers` processes (forced: nothing skipped)."""
    from hotline.run.batch import run_months

    months = sorted(p.name for p in (Path(ws) / "months").iterdir())
    t = time.perf_counter()
    results = run_months(months, Path(ws), Path(out), workers=workers, progress=False, force=True,
                         flavours=tuple(flavours))
    seconds = time.perf_counter() - t
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(failed[0].error + "\n" + failed[0].detail)
    return {"seconds": seconds, "months": len(results)}


def stage_skip(ws: str, out: str, repeat: int) -> dict:
    """run_months of an already rendered, unchanged month (the fingerprint check alone)."""
    from hotline.run.batch import run_months

    def once():
        [r] = run_months([MONTH], Path(ws), Path(out), progress=False)
        assert r.skipped, "month was not skipped"

    return {"seconds": _timed(once, repeat)}


def stage_floor_notebook(tmp: str, papermill=None) -> dict:
    """Floor: start a kernel and run a one-cell notebook through papermill."""
    import nbformat

    if papermill is None:
        import papermill

    from hotline.run.kernel import ensure_kernel

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("month = ''", metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src, dst = Path(tmp) / "empty.ipynb", Path(tmp) / "empty.out.ipynb"
    nbformat.write(nb, src)
    kernel = ensure_kernel()
    t = time.perf_counter()
    # As render_month runs it: one save at the end, the kernel stopped at once (a graceful
    # shutdown now and then waits seconds for the kernel to exit).
    papermill.execute_notebook(str(src), str(dst), parameters={"month": MONTH}, kernel_name=kernel,
                               progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                               shutdown_kernel="immediate", extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    return {"seconds": time.perf_counter() - t}


def stage_floor_pdf() -> dict:
    """Floor: Typst loaded and one A4 page of the bulletin's text style set as PDF (fonts read)."""
    text = "芙蓉区12345政务热线情况通报。本月全区共签收工单，办结工单，回访工单。"
    html = (f"<html><body><main class='page bulletin'><h1 class='doc-title'>{text[:14]}</h1>"
            f"<p>{text * 8}</p></main></body></html>")
    t = time.perf_counter()
    from hotline.render.typeset import html_to_pdf

    html_to_pdf(html)
    return {"seconds": time.perf_counter() - t}


def stage_floor_command(tmp: str) -> dict:
    """Floor of the official bulletin from the command line, as a process of its own (timed from
    outside, Python's start included: fresh_seconds): papermill imported as `hotline run` imports it,
    a kernel started and a one-cell notebook run, one A4 page set by Typst, a one-paragraph Word file."""
    from hotline.run.month import import_runner

    stage_floor_notebook(tmp, import_runner().papermill)
    from hotline.render import doctree
    from hotline.render.docx import tree_to_docx
    from hotline.render.typeset import tree_to_pdf

    text = "芙蓉区12345政务热线情况通报。本月全区共签收工单，办结工单，回访工单。" * 8
    doc = doctree.Document(parts=[doctree.Part(blocks=[doctree.Paragraph([doctree.Run(text)])])])
    (Path(tmp) / "floor.pdf").write_bytes(tree_to_pdf(doc))
    (Path(tmp) / "floor.docx").write_bytes(tree_to_docx(doc))
    return {"seconds": 0.0}  # the parent times the process


def stage_generate(ws: str, rows: int, months: int, units: int, xlsx: bool, first: str | None = None) -> dict:
    """A synthetic workspace of `months` months from `first` (default: MONTH alone, or a year's batch)."""
    import synth

    names = synth.month_names(first or (MONTH if months == 1 else "2022-04"), months)
    t = time.perf_counter()
    synth.make_workspace(Path(ws), rows, names, units=units, xlsx=xlsx)
    return {"seconds": time.perf_counter() - t}


STAGES = {name[len("stage_"):]: fn for name, fn in globals().items() if name.startswith("stage_")}


def child_main(spec: str) -> None:
    """Run one stage (JSON {"stage": name, **kwargs}) and print its figures as the last line."""
    args = json.loads(spec)
    result = STAGES[args.pop("stage")](**args)
    result["peak_mib"] = _peak_mib()
    print(json.dumps(result))


# --------------------------------------------------------------------------- the parent


def run(stage: str, env: dict | None = None, **kwargs) -> dict:
    """Run a stage in a fresh interpreter; returns its figures (raises with its stderr on failure)."""
    spec = json.dumps({"stage": stage, **kwargs})
    proc = subprocess.run([sys.executable, __file__, "--child", spec], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT)
    if proc.returncode:
        raise RuntimeError(f"stage {stage} {kwargs} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"  {stage:<16} {json.dumps(kwargs, ensure_ascii=False)[:70]:<72} {figures['seconds']:8.2f}s "
          f"{figures['peak_mib']:8.0f} MiB", flush=True)
    return figures


def median_run(once, runs: int = E2E_RUNS) -> dict:
    """The figures of the median of `runs` calls of `once` (by seconds), with every run's seconds
    and, for a run that sets PDFs, every run's PDF seconds a page (report.pdf_a_page)."""
    from report import pdf_a_page

    results = sorted((once() for _ in range(runs)), key=lambda r: r["seconds"])
    median = {**results[len(results) // 2], "runs": [r["seconds"] for r in results]}
    if "pages" in median:
        median["pdf_a_page_runs"] = sorted(pdf_a_page(r) for r in results)
    return median


def cli_skip_seconds(ws: Path, out: Path) -> float:
    """Wall time of the `hotline run` command for an unchanged month (interpreter start included)."""
    hotline = Path(sys.executable).parent / "hotline"
    t = time.perf_counter()
    subprocess.run([str(hotline), "run", MONTH, "--data", str(ws), "--out", str(out), "--no-progress"],
                   check=True, capture_output=True)
    return time.perf_counter() - t


def fresh_seconds(argv: list[str]) -> float:
    """Wall seconds of a command as a whole process (the interpreter's start included)."""
    t = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def command_against_floor(sample: Path, out: Path, work: Path, runs: int = 3) -> dict:
    """The official bulletin from the command line (`hotline run MONTH --flavour official --force`:
    HTML, PDF, Word) and its floor (stage_floor_command), each a fresh process, in turn, `runs`
    times each: the best of each."""
    hotline = str(Path(sys.executable).parent / "hotline")
    command = [hotline, "run", MONTH, "--data", str(sample), "--out", str(out), "--flavour", "official",
               "--force", "--no-progress"]
    floor = [sys.executable, __file__, "--child", json.dumps({"stage": "floor_command", "tmp": str(work)})]
    fresh_seconds(command)  # warm: the fingerprint's and the exports' caches
    pairs = [(fresh_seconds(command), fresh_seconds(floor)) for _ in range(runs)]
    best = {"command": min(c for c, _ in pairs), "floor": min(f for _, f in pairs)}
    print(f"  official command {best['command']:.2f}s, its floor {best['floor']:.2f}s", flush=True)
    return {**best, "runs": pairs}


def measure(work: Path, sizes: list[str], repeat: int) -> dict:
    """Every figure of the report, in a dict (seconds and MiB)."""
    fig: dict = {"floors": {}, "sizes": {}, "sample": {}, "batch": {}}
    print("floors", flush=True)
    fig["floors"]["notebook"] = median_run(lambda: run("floor_notebook", tmp=str(work)))
    fig["floors"]["pdf"] = median_run(lambda: run("floor_pdf"))

    print("sample month (data/sample, 2023-03) end to end", flush=True)
    sample = work / "sample"
    shutil.rmtree(sample, ignore_errors=True)
    shutil.copytree(ROOT / "data" / "sample", sample, ignore=shutil.ignore_patterns(".cache"))
    out = work / "out"
    render = lambda: run("render", ws=str(sample), out=str(out),
                         month=MONTH, flavours=OFFICIAL)
    fig["sample"]["cold"] = render()
    fig["sample"]["warm"] = median_run(render)
    both = lambda: run("render", ws=str(sample), out=str(out),
                       month=MONTH, flavours=["official", "analysis"])
    both()  # the analysis flavour's page counts of its own: warm them
    fig["sample"]["both"] = median_run(both, BOTH_RUNS)
    # No cache of any kind: a new copy of the workspace and an output folder of its own.
    for leftover in (work / "sample-cold", work / "out-cold"):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(ROOT / "data" / "sample", work / "sample-cold", ignore=shutil.ignore_patterns(".cache"))
    fig["sample"]["both_cold"] = run("render", ws=str(work / "sample-cold"),
                                     out=str(work / "out-cold"), month=MONTH, flavours=["official", "analysis"])
    fig["sample"]["skip"] = run("skip", ws=str(sample), out=str(out), repeat=repeat)
    fig["sample"]["skip_cli"] = min(cli_skip_seconds(sample, out) for _ in range(repeat))
    fig["sample"]["command"] = command_against_floor(sample, out, work)

    for size in sizes:
        rows = SIZES[size]
        print(f"{size} rows a month, 500 units", flush=True)
        ws = work / f"city-{size}"
        f = fig["sizes"][size] = {"rows": rows}
        f["generate"] = run("generate", ws=str(ws), rows=rows, months=1, units=500, xlsx=False)
        f["csv_bytes"] = sum(p.stat().st_size for p in (ws / "exports").iterdir())
        f["load_csv"] = run("load", ws=str(ws), cache=False, repeat=1 if rows > 100_000 else repeat)
        f["load_build_cache"] = run("load", ws=str(ws), cache=True, repeat=1)
        f["load_cache"] = run("load", ws=str(ws), cache=True, repeat=repeat)
        f["parquet"] = run("parquet", ws=str(ws), repeat=repeat)
        f["validate"] = run("validate", ws=str(ws), repeat=1)
        f["score"] = run("score", ws=str(ws), repeat=1 if rows > 1_000_000 else repeat)
        if rows <= 10_000:
            xws = work / f"city-{size}-xlsx"
            f["generate_xlsx"] = run("generate", ws=str(xws), rows=rows, months=1, units=500, xlsx=True)
            f["load_xlsx"] = run("load", ws=str(xws), cache=False, repeat=1)
        if rows <= 1_000_000:
            f["render"] = run("render", ws=str(ws), out=str(work / "out"), month=MONTH,
                              flavours=OFFICIAL)
        shutil.rmtree(ws / ".cache", ignore_errors=True)

    print(f"city month: {CITY_ROWS} rows a month, {CITY_UNITS} units, both flavours", flush=True)
    cws = work / "city-month"
    run("generate", ws=str(cws), rows=CITY_ROWS, months=2, units=CITY_UNITS, xlsx=False, first="2023-02")
    city = lambda: run("render", ws=str(cws), out=str(work / "out"),
                       month=MONTH, flavours=["official", "analysis"])
    city()  # parses the exports into the cache, as any earlier run would have
    fig["city"] = median_run(city, BOTH_RUNS)
    shutil.rmtree(cws, ignore_errors=True)

    print(f"batch: {BATCH_MONTHS} months of {BATCH_ROWS} rows, {BATCH_UNITS} units", flush=True)
    bws = work / "district-year"
    run("generate", ws=str(bws), rows=BATCH_ROWS, months=BATCH_MONTHS, units=BATCH_UNITS, xlsx=False)
    run("load", ws=str(bws), cache=True, repeat=1)  # parsed once, as any earlier run would have
    for workers in (1, 2):
        fig["batch"][workers] = run("batch", ws=str(bws),
                                    out=str(work / "out"), workers=workers, flavours=OFFICIAL)
    return fig


def machine() -> str:
    import pandas
    import pyarrow

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), 0) / 2**20
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, pandas {pandas.__version__}, pyarrow {pyarrow.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k and 100k rows only (about 6 minutes)")
    parser.add_argument("--sizes", default=None, help="comma-separated subset of " + ",".join(SIZES))
    parser.add_argument("--repeat", type=int, default=3, help="best of N for the quick stages")
    parser.add_argument("--work", type=Path, default=Path("/tmp/hotline-bench"), help="scratch folder")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--report-only", action="store_true", help="rewrite --out from its .json (no measuring)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(args.child)
    from report import write_report

    if args.report_only:
        figures = json.loads(args.out.with_suffix(".json").read_text())
        figures["batch"] = {int(k): v for k, v in figures["batch"].items()}
        return write_report(figures, args.out)
    sizes = args.sizes.split(",") if args.sizes else (QUICK_SIZES if args.quick else list(SIZES))
    args.work.mkdir(parents=True, exist_ok=True)
    command = "benchmarks/bench.py " + " ".join(a for a in sys.argv[1:])
    t = time.perf_counter()
    figures = measure(args.work, sizes, args.repeat)
    figures["wall_seconds"] = time.perf_counter() - t
    figures["machine"] = machine()
    figures["command"] = f".venv/bin/python {command.strip()}"
    args.out.with_suffix(".json").write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n")
    write_report(figures, args.out)
    print(f"wrote {args.out} in {figures['wall_seconds']:.0f}s")


if __name__ == "__main__":
    main()
