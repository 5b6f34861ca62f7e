"""`hotline` command line: tables, validate, run. The commands' printing lives here; the work in
the pipeline's modules.

Modules are imported by the command that needs them: `hotline run` of an unchanged month
costs about a tenth of a second, and importing pandas or nbconvert would cost more.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

from hotline import config, periods
from hotline.errors import InputError, OutputError, Problem
from hotline.run.provenance import uncommitted_changes

FLAVOUR_CHOICES = ("official", "analysis", "both")
# Timings keys (hotline.run.month) and how `--timings` names them.
STAGES = [("kernel_start", "内核启动"), ("execution", "笔记本执行")]
EXPORTS = [("html", "HTML"), ("pdf", "PDF"), ("docx", "Word"), ("analysis_html", "分析版HTML"), ("analysis_pdf", "分析版PDF"),
           ("analysis_docx", "分析版Word")]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hotline", description="12345 政务热线月度通报")
    p.add_argument("--debug", action="store_true", help="出错时显示完整的 Python 调用栈")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("tables", help="计算某月的全部通报表格，写出 CSV 和 summary.json")
    t.add_argument("month", help="月份，如 2023-03；季度 2023Q1；年份 2022")
    t.add_argument("--data", type=Path, default=config.DEFAULT_WORKSPACE, help="区县工作区目录 (默认 data/sample)")
    t.add_argument("--out", type=Path, default=None, help="输出目录 (默认 output/<区县目录>/<月份>/tables)")

    v = sub.add_parser("validate", help="检查工作区的设置、名册、导出文件和各月输入")
    v.add_argument("--data", type=Path, default=config.DEFAULT_WORKSPACE)

    r = sub.add_parser("run", help="生成某月（或多个月）的完整通报: HTML、PDF、Excel、表格")
    r.add_argument("months", nargs="+", help="月份: 2023-03，范围 2023-01:2023-03，或多个月份；季度 2023Q1（范围 2022Q4:2023Q1）；年份 2022")
    r.add_argument("--data", type=Path, default=config.DEFAULT_WORKSPACE)
    r.add_argument("--out", type=Path, default=config.OUTPUT_DIR, help="输出根目录 (默认 output/)")
    r.add_argument("--workers", type=int, default=1, help="并行运行的月份数")
    r.add_argument("--kernel", default=None, help="执行笔记本的 Jupyter 内核 (默认: 本环境的 python3)")
    r.add_argument("--no-progress", action="store_true", help="不显示进度条")
    r.add_argument("--flavour", choices=FLAVOUR_CHOICES, default="both",
                   help="official: 通报 bulletin.html/.pdf；analysis: 分析版 analysis.html/.pdf（含环比、图表、各单位得分明细）；"
                        "both（默认）: 两种都生成，笔记本只执行一次")
    r.add_argument("--force", action="store_true", help="输入没有变化的月份也重新生成（默认跳过）")
    r.add_argument("--timings", action="store_true", help="显示每个月的用时分布（内核启动、笔记本各单元、HTML、PDF）")

    lab = sub.add_parser("lab", help="在 JupyterLab 里打开通报笔记本（整个页面用随附的中文字体）；其余参数交给 jupyter lab")
    lab.add_argument("--root", type=Path, default=config.PROJECT_ROOT,
                     help="文件浏览器的根目录，其下 notebooks/ 里的笔记本 (默认: 本仓库)")
    return p


def parse(argv: list[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """The command's arguments, and those `hotline lab` hands to JupyterLab (none for the others)."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args, extra


def main(argv: list[str] | None = None) -> int:
    """Run a command. Errors are printed without a Python traceback unless --debug is given."""
    args, extra = parse(argv)
    try:
        if args.command == "lab":
            return lab_command(args, extra)
        if not Path(args.data).is_dir():
            raise InputError(Problem(args.data, "找不到区县工作区目录", fix="用 --data 指定，如 --data data/sample"))
        check_output_folder(getattr(args, "out", None))
        return COMMANDS[args.command](args)
    except (InputError, OutputError) as exc:
        if args.debug:
            raise
        print(exc.report(), file=sys.stderr)
        return 2
    except OSError as exc:  # a file that cannot be written (or read): in words, naming it
        if args.debug:
            raise
        print(OutputError.from_os_error(exc).report(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # anything else: one line, the traceback only on request
        if args.debug:
            raise
        print(f"出错: {type(exc).__name__}: {exc}\n（加 --debug 可查看 Python 调用栈: hotline --debug {args.command} …）",
              file=sys.stderr)
        return 1


def check_output_folder(out: Path | None) -> None:
    """An output folder (--out, or HOTLINE_OUTPUT through its default) must be a folder or not exist yet."""
    if out is None:
        return
    for folder in (Path(out), *Path(out).parents):
        if folder.exists() and not folder.is_dir():
            source = "HOTLINE_OUTPUT" if Path(out) == config.OUTPUT_DIR and "HOTLINE_OUTPUT" in os.environ else "--out"
            raise OutputError(folder, f"是一个文件，不是文件夹（输出目录由 {source} 指定）",
                              fix=f"把 {source} 改为一个文件夹，或删除、改名这个文件")
        if folder.exists():
            return


def tables_command(args: argparse.Namespace) -> int:
    """`hotline tables MONTH`: compute and write the tables; the input report goes to stderr if it warns."""
    # pandas and the rest load here, not when the command line starts (the module's doc)
    from hotline.bulletin import build_bulletin
    from hotline.inputs.validation_report import format_report
    from hotline.inputs.workspace import load_workspace
    from hotline.run.outputs import write_tables

    bulletin = build_bulletin(args.month, load_workspace(args.data, progress=sys.stderr.isatty()))
    if bulletin.warnings:
        print(format_report(f"{args.data} {args.month}", [], bulletin.warnings, base=args.data), end="", file=sys.stderr)
    out_dir = args.out or config.month_output_dir(args.data, args.month) / config.TABLES_DIR
    for path in write_tables(bulletin, out_dir):
        print(path)
    return 0


def validate_command(args: argparse.Namespace) -> int:
    """`hotline validate`: print the report of the whole workspace; exit status 1 on errors."""
    # pandas and the rest load here, not when the command line starts (the module's doc)
    from hotline.bulletin import validate_workspace
    from hotline.inputs.validation_report import format_report

    errors, warnings, checked = validate_workspace(args.data)
    notes = None
    if not errors:  # the faces are looked up in settings that loaded
        # imported only now, as above
        from hotline.inputs.settings import load_settings
        from hotline.render import fonts

        try:
            setup = fonts.font_setup(load_settings(Path(args.data) / config.SETTINGS_FILE).fonts, Path(args.data))
            notes = {"字体": fonts.setup_report(setup)}
        except InputError as exc:
            errors = exc.problems
    title = f"{args.data}（{len(checked)} 期: {', '.join(checked) or '无'}）"
    print(format_report(title, errors, warnings, base=args.data, notes=notes), end="")
    return 1 if errors else 0


def run_command(args: argparse.Namespace) -> int:
    """`hotline run MONTH…`: render the months; print where each went, its time and its report."""
    from hotline.run.batch import run_months  # papermill and nbconvert load on demand there

    wanted = periods.expand(list(args.months))
    if uncommitted_changes(config.NOTEBOOK):
        print(f"注意: 笔记本 {config.NOTEBOOK} 有尚未提交 (git commit) 的修改，本次按修改后的笔记本生成通报。"
              "只为查看、试算而加的单元格请移到 notebooks/explore.ipynb（hotline run 不运行它），"
              "或加标签 analyst。", file=sys.stderr)
    flavours = ("official", "analysis") if args.flavour == "both" else (args.flavour,)
    results = run_months(wanted, Path(args.data), Path(args.out), workers=max(1, int(args.workers or 1)),
                         progress=not args.no_progress, kernel_name=args.kernel, force=args.force, flavours=flavours)
    for r in results:
        if not r.ok:
            continue
        if r.skipped:
            print(f"未变 {r.month} → {r.out_dir}（输入、笔记本和程序都与上次相同，已跳过；--force 可重新生成）")
            continue
        print(f"完成 {r.month} → {r.out_dir}  ({format_timings(r.timings)})")
        if args.timings:
            print(timings_breakdown(r.timings, r.cells))
        for line in r.report.splitlines()[1:]:  # the title repeats the month
            print(f"  {line}", file=sys.stderr)
    failed = [r for r in results if not r.ok]
    if failed:
        print(f"\n{len(failed)} 期通报失败（已有的通报保持不变）:", file=sys.stderr)
        for r in failed:
            print(f"- {r.month}: {r.error}", file=sys.stderr)
            if args.debug and r.detail:
                print(r.detail, file=sys.stderr)
            elif r.detail.startswith("出错的笔记本"):
                print("  " + r.detail.splitlines()[0], file=sys.stderr)
        return 1
    return 0


def format_timings(t: dict[str, float]) -> str:
    """One line: 内核启动 0.5s，执行 9.0s，HTML 2.1s，… 合计 21.8s."""
    names = [("kernel_start", "内核启动"), ("execution", "执行"), *EXPORTS, ("total", "合计")]
    return "，".join(f"{label} {t[key]:.1f}s" for key, label in names if key in t)


def timings_breakdown(t: dict[str, float], cells: list[tuple[str, float]]) -> str:
    """Where a month's time went, one stage a line, the notebook's cells indented under it."""
    lines = [f"  {label:<10}{t[key]:6.2f}s" for key, label in STAGES if key in t]
    lines += [f"    {sec:6.2f}s  {code}" for code, sec in cells]
    lines += [f"  {label:<10}{t[key]:6.2f}s" for key, label in [*EXPORTS, ("total", "合计")] if key in t]
    lines.append("  （各版本的 HTML、PDF 在其最后一个单元格运行完即开始，与其余单元格同时进行；"
                 "故各项之和可大于合计）")
    return "\n".join(lines)


def lab_command(args: argparse.Namespace, extra: list[str]) -> int:
    """`hotline lab [--root DIR] [jupyter lab options]`: JupyterLab until it is stopped."""
    from hotline.run.lab import launch  # the font subsets' tools load on demand there

    return launch(extra, root=args.root.resolve())


COMMANDS = {"tables": tables_command, "validate": validate_command, "run": run_command}


def script() -> NoReturn:
    """The `hotline` command (and `python -m hotline`): main() on the command line's arguments,
    then the process ends as soon as its threads and exit handlers (temporary folders, logging)
    are done, without the interpreter taking its 1,800 modules apart one by one: a third of a
    second after every `hotline run`, with nothing left to write."""
    code = main()
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    script()
