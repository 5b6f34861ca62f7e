"""The input checks as a report: `hotline validate` prints it, every run writes it next to the bulletin.

Errors stop a bulletin; warnings are what was accepted anyway (a 合计 row skipped, a renamed
column read, an exact duplicate dropped …). The report lists every error, and for each kind
of warning how many there are and the first few, each with file, row, column and the fix.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hotline.errors import Problem

# Problem.kind -> heading of its group in the report, in the report's order.
KINDS = {
    "column_synonym": "按平台新旧列名读取的列",
    "several_sheets": "含多个工单表的工作簿（只读第一个）",
    "header_only": "只有表头、没有工单行的文件",
    "total_row": "跳过的合计行",
    "exact_duplicate": "文件内完全相同的重复行（只保留一行）",
    "empty_datetime": "空的派单时间或办理时限",
    "stray_visit_value": "没有回访时间却填了回访结果",
    "xls_skipped": "跳过的旧版 Excel（.xls）文件",
    "ignored_file": "exports 文件夹中没有读取的文件和文件夹",
    "ignored_folder": "months 文件夹中不是月份的文件夹和文件（已忽略）",
    "control_characters": "删除的控制字符（看不见的字符，Word 等无法写出）",
    "implausible_time": "不合常理的时间（仍按所填计算）",
    "bonus_repeated": "同一单位多次加分（已相加）",
    "bonus_limit": "超过上限的加分",
    "copied_from_previous": "与上月文件完全相同的排名表、稿件或本月文字（复制后未替换？）",
    "city_table": "全市排名表",
    "story_unit": "专栏稿件中未登记的单位（按原文显示）",
    "story_markup": "专栏稿件中的 HTML 标记（按文字显示）",
}
OTHER_KIND = "其他警告"
FIRST_SHOWN = 5  # warnings listed per kind; the rest are counted


def format_report(title: str, errors: list[Problem], warnings: list[Problem], base: Path | None = None,
                  notes: dict[str, list[str]] | None = None) -> str:
    """The report as text: a count line, every error, each kind of warning with its first rows,
    then `notes`, each a heading and its lines (what the run used, e.g. the faces of the PDF).

    File names are shown relative to `base` (the workspace) when they lie inside it.
    """
    lines = [f"输入检查报告: {title}", f"{len(errors)} 个错误，{len(warnings)} 个警告。"]
    if errors:
        lines += ["", f"错误（{len(errors)} 条，须改正后才能生成通报）:"]
        lines += [f"  - {_relative(p, base)}" for p in errors]
    for kind, group in _grouped(warnings):
        lines += ["", f"警告 · {KINDS.get(kind or '', OTHER_KIND)}（{len(group)} 条）:"]
        lines += [f"  - {_relative(p, base)}" for p in group[:FIRST_SHOWN]]
        if len(group) > FIRST_SHOWN:
            lines.append(f"  …… 另有 {len(group) - FIRST_SHOWN} 条")
    for heading, items in (notes or {}).items():
        lines += ["", f"{heading}:"] + [f"  - {item}" for item in items]
    return "\n".join(lines) + "\n"


def _grouped(warnings: list[Problem]) -> list[tuple[str | None, list[Problem]]]:
    """Warnings by kind, in KINDS order (unknown kinds last), each group in input order."""
    order = list(KINDS)
    kinds = sorted({w.kind for w in warnings}, key=lambda k: order.index(k) if k in order else len(order))
    return [(k, [w for w in warnings if w.kind == k]) for k in kinds]


def _relative(problem: Problem, base: Path | None) -> Problem:
    if base is None or problem.file is None:
        return problem
    path, base = Path(problem.file), Path(base).resolve()
    if path.is_absolute() and path.resolve().is_relative_to(base):
        return dataclasses.replace(problem, file=path.resolve().relative_to(base))
    return problem
