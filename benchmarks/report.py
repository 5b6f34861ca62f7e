"""BENCHMARKS.md from the figures of benchmarks/bench.py: every stage with its floor and the targets."""

from __future__ import annotations

import statistics
from pathlib import Path

GIB = 1024


def _s(x: float) -> str:
    if x < 0.1:
        return f"{x * 1000:.1f} ms"
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def _ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def _ok(met: bool) -> str:
    return "met" if met else "**not met**"


def targets(fig: dict) -> list[tuple[str, str, str, bool]]:
    """(target, measured, limit, met) for each target of issue #6 that this run measured."""
    floors = fig["floors"]
    floor = floors["notebook"]["seconds"] + floors["pdf"]["seconds"]
    rows = []
    for kind in ("cold", "warm"):
        e2e = fig["sample"][kind]["seconds"]
        label = "cold" if kind == "cold" else f"warm, median of {len(fig['sample'][kind].get('runs', [1]))}"
        rows.append((f"sample month, official HTML + PDF, end to end ({label})", f"{_s(e2e)} = {e2e / floor:.2f} × floor",
                     f"≤ 2 × ({_s(floors['notebook']['seconds'])} + {_s(floors['pdf']['seconds'])}) = {_s(2 * floor)}",
                     e2e <= 2 * floor))
    for size, limit in (("1M", 1.5), ("5M", 8.0)):
        if size in fig["sizes"]:
            score = fig["sizes"][size]["score"]
            mem_ok = size != "5M" or score["peak_mib"] < 4 * GIB
            rows.append((f"scoring and tables, {size} rows", f"{_s(score['seconds'])}, peak {score['peak_mib']:.0f} MiB",
                         f"≤ {limit} s" + (", < 4096 MiB" if size == "5M" else ""),
                         score["seconds"] <= limit and mem_ok))
    for size, f in fig["sizes"].items():
        cached, floor_read = f["load_cache"]["seconds"], f["parquet"]["seconds"]
        rows.append((f"load from cache, {size} rows", f"{_s(cached)} = {cached / floor_read:.2f} × pyarrow",
                     f"≤ 1.5 × {_s(floor_read)}", cached <= 1.5 * floor_read))
    one, two = fig["batch"][1]["seconds"], fig["batch"][2]["seconds"]
    rows.append(("12 months, 2 workers vs 1", f"{_s(two)} / {_s(one)} = {two / one:.2f}", "≤ 0.65", two <= 0.65 * one))
    rows += issue12_targets(fig)
    skip = fig["sample"]["skip"]["seconds"]
    rows.append(("skipped unchanged month (Python API)", _s(skip), "< 0.5 s", skip < 0.5))
    cli = fig["sample"]["skip_cli"]
    rows.append(("skipped unchanged month (`hotline run` command, interpreter start included)", _s(cli), "< 0.5 s",
                 cli < 0.5))
    return rows


def _command_floor(fig: dict) -> list[str]:
    """The official command's floor as a line of the floors, and each pair's seconds."""
    command = fig["sample"].get("command")
    if not command:
        return []
    pairs = ", ".join(f"{c:.2f} / {f:.2f}" for c, f in command["runs"])
    return [f"- a fresh process: papermill imported, a kernel started and a one-cell notebook run, one A4 page "
            f"set by Typst, a one-paragraph Word file: {_s(command['floor'])} (best of {len(command['runs'])}; "
            f"command / floor pairs: {pairs})"]


def pdf_a_page(r: dict) -> float:
    """A run's PDF seconds a page: its flavours' PDF exports (--timings) over their pages."""
    return (r.get("pdf", 0) + r.get("analysis_pdf", 0)) / sum(r["pages"].values())


def issue12_targets(fig: dict) -> list[tuple[str, str, str, bool]]:
    """The Word-and-Typst issue's targets: a city's month against the sample's, PDF seconds a page,
    the sample's exports against the floors, a first run against a warm one."""
    rows = []
    floors = fig["floors"]
    floor = floors["notebook"]["seconds"] + floors["pdf"]["seconds"]
    warm = fig["sample"]["warm"]["seconds"]
    rows.append(("sample month, official HTML + PDF + DOCX, warm", f"{_s(warm)} = {warm / floor:.2f} × floors",
                 f"≤ 1.5 × {_s(floor)} = {_s(1.5 * floor)}", warm <= 1.5 * floor))
    command = fig["sample"].get("command")
    if command:
        ratio = command["command"] / command["floor"]
        rows.append(("sample month, official HTML + PDF + Word from the command line (best of "
                     f"{len(command['runs'])}), against its floor in a fresh process",
                     f"{_s(command['command'])} = {ratio:.2f} × {_s(command['floor'])}",
                     "≤ 1.5 ×", ratio <= 1.5))
    both, city = fig["sample"].get("both"), fig.get("city")
    if both and city:
        ratio = city["seconds"] / both["seconds"]
        rows.append(("city month (500 units, 70,000 rows), both flavours, end to end"
                     + (f" (median of {len(city['runs'])} each)" if "runs" in city else ""),
                     f"{_s(city['seconds'])} = {ratio:.1f} × the sample's {_s(both['seconds'])}; peak {city['peak_mib']:.0f} MiB",
                     "≤ 5 ×, < 2048 MiB", ratio <= 5 and city["peak_mib"] < 2 * GIB))
        per_page = {name: statistics.median(r.get("pdf_a_page_runs") or [pdf_a_page(r)])
                    for name, r in (("sample", both), ("city", city))}
        rows.append(("PDF seconds a page, city against sample"
                     + (f" (median of {len(city['pdf_a_page_runs'])} runs each)" if "pdf_a_page_runs" in city else ""),
                     f"{_ms(per_page['city'])} / {_ms(per_page['sample'])} = {per_page['city'] / per_page['sample']:.2f}",
                     "≤ 1.5", per_page["city"] <= 1.5 * per_page["sample"]))
    cold = fig["sample"].get("both_cold")
    if cold and both:
        ratio = cold["seconds"] / both["seconds"]
        rows.append(("first run with empty caches (both flavours) against a warm one", f"{_s(cold['seconds'])} = {ratio:.2f} × {_s(both['seconds'])}",
                     "≤ 3 ×", ratio <= 3))
    return rows


def _runs(figures: dict) -> str:
    runs = figures.get("runs")
    return f" (median; runs: {', '.join(f'{x:.2f}' for x in runs)})" if runs else ""


def size_table(fig: dict) -> list[str]:
    lines = ["| rows a month | stage | seconds | peak MiB | floor | ratio to floor |", "|---|---|---|---|---|---|"]
    labels = [("generate", "generate CSV (numpy + pyarrow writer)"), ("generate_xlsx", "generate XLSX (openpyxl)"),
              ("load_csv", "load CSV (parse + checks)"), ("load_xlsx", "load XLSX (parse + checks)"),
              ("load_build_cache", "load CSV, first time with cache (parse + write Parquet)"),
              ("load_cache", "load from cache"), ("parquet", "pyarrow reads the cache's Parquet (floor)"),
              ("validate", "`hotline validate` (exports through the cache, every month built)"),
              ("score", "scoring and tables (build_bulletin from loaded data)")]
    for size, f in fig["sizes"].items():
        for key, label in labels:
            if key not in f:
                continue
            s = f[key]
            floor, ratio = "", ""
            if key == "load_cache":
                floor = _s(f["parquet"]["seconds"])
                ratio = f"{s['seconds'] / f['parquet']['seconds']:.2f}"
            extra = (f" (through pq.ParquetFile, as the cache reads it: {_ms(s['parquet_file'])}; "
                     f"pq.read_table and to pandas: {_ms(s['to_pandas'])})" if key == "parquet" and "parquet_file" in s
                     else "")
            lines.append(f"| {size} | {label}{extra} | {_s(s['seconds'])} | {s['peak_mib']:.0f} | {floor} | {ratio} |")
        if "render" in f:
            lines += _render_rows(size, f["render"], fig["floors"])
    return lines


def _render_rows(size: str, r: dict, floors: dict) -> list[str]:
    nb_floor, pdf_floor = floors["notebook"]["seconds"], floors["pdf"]["seconds"]
    return [
        f"| {size} | notebook run (kernel start {_s(r.get('kernel_start', 0))}) | {_s(r['notebook'])} | "
        f"{r['peak_mib']:.0f} | {_s(nb_floor)} | {r['notebook'] / nb_floor:.1f} |",
        f"| {size} | HTML (nbconvert + font subsets) | {_s(r['html'])} | | | |",
        f"| {size} | PDF (Typst) | {_s(r['pdf'])} | | {_s(pdf_floor)} | {r['pdf'] / pdf_floor:.1f} |",
    ]


def write_report(fig: dict, path: Path) -> None:
    floors = fig["floors"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `benchmarks/bench.py`; do not edit by hand. Every stage runs in a fresh subprocess;",
        "seconds are the timed call only (imports and setup excluded; for the quick stages the best of 3",
        "after a warm-up call, of 20 when a call takes under 50 ms), peak",
        "memory is the max RSS of that process and the processes it waited for (the notebook's kernel).",
        "The floors and the sample month's warm run are each the median of five fresh processes: on this",
        "shared 2-core machine one run of a few seconds varies by ±20 %.",
        "",
        f"- machine: {fig['machine']}",
        f"- command: `{fig['command']}` (took {fig['wall_seconds'] / 60:.1f} min)",
        "- the full run: `.venv/bin/python benchmarks/bench.py` (all four sizes; about 9–10 minutes, ~6 GiB at peak);"
        " `--quick` does 10k and 100k rows and finishes in under 10 minutes",
        "",
        "## Targets",
        "",
        "| target | measured | limit | |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t} | {m} | {lim} | {_ok(ok)} |" for t, m, lim, ok in targets(fig)]
    lines += [
        "",
        "## Floors (same run)",
        "",
        f"- kernel start + empty notebook through papermill: {_s(floors['notebook']['seconds'])}{_runs(floors['notebook'])}",
        f"- Typst loaded + one-page HTML to PDF (bulletin template and fonts): {_s(floors['pdf']['seconds'])}"
        f"{_runs(floors['pdf'])}",
        "- pyarrow reading the cache's Parquet file: per size below",
        *_command_floor(fig),
        "",
        "## The sample month end to end (Python API, `render_month`)",
        "",
        "| run | total | kernel start | notebook | HTML | PDF (+ analysis HTML / PDF) | peak MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, label in (("cold", "official, first run: no parsed-export cache"),
                        ("warm", "official, rerun (--force): caches warm"),
                        ("both", "official + analysis flavours (`hotline run` default), caches warm")):
        r = fig["sample"][kind]
        extra = (f" + analysis {_s(r['analysis_html'])} / {_s(r['analysis_pdf'])}" if "analysis_pdf" in r else "")
        lines.append(f"| {label}{_runs(r)} | {_s(r['seconds'])} | {_s(r.get('kernel_start', 0))} | {_s(r['notebook'])} | "
                     f"{_s(r['html'])} | {_s(r['pdf'])}{extra} | {r['peak_mib']:.0f} |")
    one, two = fig["batch"][1], fig["batch"][2]
    lines += [
        "",
        "## City scale (synthetic: 500 units, one month)",
        "",
        *size_table(fig),
        "",
        "## Batch",
        "",
        "12 synthetic months of 6,000 rows (47 units; the sample has only six months, so the benchmark",
        f"generates a year), exports parsed once beforehand: 1 worker {_s(one['seconds'])},",
        f"2 workers {_s(two['seconds'])} (ratio {two['seconds'] / one['seconds']:.2f}).",
        "",
    ]
    notes = HERE_NOTES.read_text(encoding="utf-8") if HERE_NOTES.is_file() else ""
    path.write_text("\n".join(lines) + ("\n" + notes if notes else ""), encoding="utf-8")


HERE_NOTES = Path(__file__).resolve().parent / "NOTES.md"
