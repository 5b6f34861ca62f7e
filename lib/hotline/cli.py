"""`hotline` command line: tables, validate, run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config
from .errors import InputError, Problem


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hotline", description="12345 政务热线月度通报")
    p.add_argument("--debug", action="store_true", help="出错时显示完整的 Python 调用栈")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("tables", help="计算某月的全部通报表格，写出 CSV 和 summary.json")
    t.add_argument("month", help="月份，如 2023-03")
    t.add_argument("--data", type=Path, default=config.DEFAULT_WORKSPACE, help="区县工作区目录 (默认 data/sample)")
    t.add_argument("--out", type=Path, default=None, help="输出目录 (默认 output/<区县目录>/<月份>/tables)")

    v = sub.add_parser("validate", help="检查工作区的设置、名册、导出文件和各月输入")
    v.add_argument("--data", type=Path, default=config.DEFAULT_WORKSPACE)

    r = sub.add_parser("run", help="生成某月（或多个月）的完整通报: HTML、PDF、Excel、表格")
    r.add_argument("months", nargs="+", help="月份: 2023-03，范围 2023-01:2023-03，或多个月份")
    r.add_argument("--data", type=Path, default=config.DEFAULT_WORKSPACE)
    r.add_argument("--out", type=Path, default=config.OUTPUT_DIR, help="输出根目录 (默认 output/)")
    r.add_argument("--workers", type=int, default=1, help="并行运行的月份数")
    r.add_argument("--kernel", default=None, help="执行笔记本的 Jupyter 内核 (默认: 本环境的 python3)")
    r.add_argument("--no-progress", action="store_true", help="不显示进度条")
    r.add_argument("--flavour", choices=["official", "analysis", "both"], default="both",
                   help="official: 通报 bulletin.html/.pdf；analysis: 分析版 analysis.html/.pdf（含环比、图表、各单位得分明细）；"
                        "both（默认）: 两种都生成，笔记本只执行一次")
    r.add_argument("--force", action="store_true", help="输入没有变化的月份也重新生成（默认跳过）")
    r.add_argument("--timings", action="store_true", help="显示每个月的用时分布（内核启动、笔记本各单元、HTML、PDF）")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run a command. Errors are printed without a Python traceback unless --debug is given."""
    args = _parser().parse_args(argv)
    try:
        _check_workspace(args.data)
        return _dispatch(args)
    except InputError as exc:
        if args.debug:
            raise
        print("输入有误:\n" + str(exc), file=sys.stderr)
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


def _check_workspace(path: Path) -> None:
    if not Path(path).is_dir():
        raise InputError(Problem(path, "找不到区县工作区目录", fix="用 --data 指定，如 --data data/sample"))


def _dispatch(args) -> int:
    if args.command == "tables":
        from .tables import tables_command
        return tables_command(args.month, args.data, args.out)
    if args.command == "validate":
        from .validate import validate_command
        return validate_command(args.data)
    from .run import run_command
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
