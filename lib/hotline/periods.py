"""Periods beside months: a quarter ('2023Q1') and a calendar year ('2022') are sets of months
('YYYY-MM', hotline.months). One name covers all three: what `hotline run` and the notebook take.

Here: parsing and checking a name, its months, the period before it (环比) and a year before
(同比), ranges of names, a name as the bulletin writes it, and a workspace's period folders.
Free of pandas, like hotline.months.
"""

from __future__ import annotations

import re
from pathlib import Path

from hotline import months
from hotline.errors import InputError, Problem

QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")
YEAR_PATTERN = re.compile(r"^(\d{4})$")
MONTH, QUARTER, YEAR = "month", "quarter", "year"
_FIX = "写成月份 2023-03、季度 2023Q1 或年份 2022"


def kind(name: str) -> str:
    """MONTH, QUARTER or YEAR for '2023-03', '2023Q1' or '2022'; InputError for anything else."""
    name = str(name)
    if months.is_month(name):
        return MONTH
    if QUARTER_PATTERN.fullmatch(name):
        return QUARTER
    if YEAR_PATTERN.fullmatch(name):
        return YEAR
    raise InputError(Problem(None, f"「{name}」格式不对（应为月份 YYYY-MM，月份 01–12；季度 2023Q1；或年份 2022）",
                             fix=_FIX))


def is_period(name: str) -> bool:
    """Whether `name` is a quarter or a year (a month is not: it has a bulletin of its own kind)."""
    try:
        return kind(name) != MONTH
    except InputError:
        return False


def months_of(name: str) -> list[str]:
    """'2023Q1' → ['2023-01', '2023-02', '2023-03']; '2022' → its twelve months; a month → itself."""
    k = kind(name)
    if k == MONTH:
        return [name]
    if k == QUARTER:
        year, quarter = int(name[:4]), int(name[5])
        return [f"{year:04d}-{m:02d}" for m in range(3 * quarter - 2, 3 * quarter + 1)]
    return [f"{int(name):04d}-{m:02d}" for m in range(1, 13)]


def _index(name: str) -> int:
    """Consecutive names of one kind have consecutive indexes."""
    k = kind(name)
    if k == MONTH:
        return months.index(name)
    if k == QUARTER:
        return int(name[:4]) * 4 + int(name[5]) - 1
    return int(name)


def _from_index(k: str, i: int) -> str:
    if k == MONTH:
        return months.from_index(i)
    if k == QUARTER:
        return f"{i // 4:04d}Q{i % 4 + 1}"
    return f"{i:04d}"


def shift(name: str, by: int) -> str:
    """The name `by` periods of its own kind later: '2023Q1', -1 → '2022Q4'; '2022', -1 → '2021'."""
    return _from_index(kind(name), _index(name) + by)


def previous(name: str) -> str:
    """The period just before (环比): '2023Q1' → '2022Q4', '2022' → '2021', '2023-01' → '2022-12'."""
    return shift(name, -1)


def year_before(name: str) -> str:
    """The same period a year earlier (同比): '2023Q1' → '2022Q1', '2022' → '2021', '2023-03' → '2022-03'."""
    return shift(name, {MONTH: -12, QUARTER: -4, YEAR: -1}[kind(name)])


def expand(specs: list[str]) -> list[str]:
    """['2022Q4:2023Q1', '2022', '2023-03'] → ['2022Q4', '2023Q1', '2022', '2023-03'] (no duplicates).

    Items may be separated by commas; a range joins two names of one kind. InputError names every bad item.
    """
    names: list[str] = []
    problems: list[Problem] = []
    items = [part.strip() for spec in specs for part in str(spec).split(",") if part.strip()]
    for item in items:
        try:
            if ":" in item:
                first, last = (p.strip() for p in item.split(":", 1))
                k = kind(first)
                if kind(last) != k:
                    problems.append(Problem(None, f"范围「{item}」两端不是同一种（月份、季度、年份）",
                                            fix="写成 2023-01:2023-03 或 2022Q4:2023Q1"))
                    continue
                if _index(last) < _index(first):
                    problems.append(Problem(None, f"范围「{item}」起点晚于终点", fix="写成 起点:终点，如 2023-01:2023-03"))
                    continue
                names += [_from_index(k, i) for i in range(_index(first), _index(last) + 1)]
            else:
                names.append(_from_index(kind(item), _index(item)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    if not names:
        raise InputError(Problem(None, "没有给出月份", fix="例如 hotline run 2023-03，或季度 hotline run 2023Q1"))
    return list(dict.fromkeys(names))


HISTORY = {MONTH: 12, QUARTER: 4, YEAR: 3}  # how far the analysis flavour's trends look back, the name included


def history_length(name: str) -> int:
    """How many names of its kind the trends of `name` look back over: 12 months, 4 quarters, 3 years."""
    return HISTORY[kind(name)]


def compared(name: str) -> list[str]:
    """The periods a period's bulletin compares itself with: the one before (环比), a year before (同比)."""
    return [previous(name), year_before(name)]


QUARTER_NAMES = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


def short_label(name: str) -> str:
    """The name as a sentence begins with it: '一季度', '2022年度', '3月份'."""
    k = kind(name)
    if k == QUARTER:
        return QUARTER_NAMES[int(name[5])]
    if k == YEAR:
        return f"{name}年度"
    return f"{months.number(name)}月份"


def label(name: str) -> str:
    """The name in full, as a table or caption writes it: '2023年一季度', '2022年度', '2023年3月'."""
    k = kind(name)
    if k == QUARTER:
        return f"{name[:4]}年{QUARTER_NAMES[int(name[5])]}"
    if k == YEAR:
        return f"{name}年度"
    year, mon = months.year_and_number(name)
    return f"{year}年{mon}月"


def period_folders(folder: Path) -> list[str]:
    """The periods (quarters, years) of the folders in a workspace's periods/ `folder`, in name order."""
    folder = Path(folder)
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and is_period(p.name)) if folder.is_dir() else []


def incomplete(period: str, workspace: Path, missing: list[str]) -> Problem:
    """The error for a quarter or a year whose months `missing` cannot be scored (no month folder,
    or no order signed in them)."""
    return Problem(workspace, f"{period} 的月份不全，缺少 {'、'.join(missing)} 的数据（月份文件夹或工单导出）",
                   fix="为每个月建好 months/<月份>/ 并把工单明细放进 exports；或改为生成已齐全的季度")



_RELATIVE = {MONTH: ("本月", "上月"), QUARTER: ("本季度", "上季度"), YEAR: ("本年度", "上年度")}


def relative_names(name: str) -> tuple[str, str]:
    """How the text calls `name` and the one before it, by its kind: ('本月', '上月'),
    ('本季度', '上季度') or ('本年度', '上年度')."""
    return _RELATIVE[kind(name)]
