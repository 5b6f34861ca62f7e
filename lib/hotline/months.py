"""Months, in one place: the name 'YYYY-MM', its arithmetic, and a workspace's month folders.

Free of pandas (`hotline run` checks month names before anything heavy is imported), except
:func:`window`, which returns pandas Timestamps.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from hotline.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def year_and_number(month: str) -> tuple[int, int]:
    """'2023-03' → (2023, 3); InputError for anything else ('2023-13', '../x')."""
    m = MONTH_PATTERN.fullmatch(str(month))
    if not m:
        raise InputError(Problem(None, f"月份「{month}」格式不对（应为年-月，月份 01–12）", fix="写成 YYYY-MM，例如 2023-03"))
    return int(m.group(1)), int(m.group(2))


def is_month(name: str) -> bool:
    return MONTH_PATTERN.fullmatch(name) is not None


def number(month: str) -> int:
    """'2023-03' → 3: the month of the year, as the bulletin writes it (3月份)."""
    return year_and_number(month)[1]


def index(month: str) -> int:
    """Months since year 0: consecutive months have consecutive indexes."""
    year, mon = year_and_number(month)
    return year * 12 + mon - 1


def from_index(i: int) -> str:
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def shift(month: str, by: int) -> str:
    """'2023-03', -1 → '2023-02'; '2023-01', -1 → '2022-12'."""
    return from_index(index(month) + by)


def previous(month: str) -> str:
    return shift(month, -1)


def window(month: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """'2023-03' → [2023-03-01 00:00, 2023-04-01 00:00): the window events of the month fall in."""
    import pandas as pd  # here only: the rest of this module is needed before pandas is loaded

    year, mon = year_and_number(month)
    start = pd.Timestamp(year, mon, 1)
    return start, start + pd.offsets.MonthBegin(1)


def expand(specs: list[str]) -> list[str]:
    """['2023-01:2023-03', '2023-05'] → ['2023-01', '2023-02', '2023-03', '2023-05'] (no duplicates).

    Items may also be separated by commas. Raises InputError naming every bad item.
    """
    months: list[str] = []
    problems: list[Problem] = []
    items = [part.strip() for spec in specs for part in str(spec).split(",") if part.strip()]
    for item in items:
        try:
            if ":" in item:
                first, last = (index(p.strip()) for p in item.split(":", 1))
                if last < first:
                    problems.append(Problem(None, f"月份范围「{item}」起点晚于终点", fix="写成 起始月:结束月，如 2023-01:2023-03"))
                    continue
                months += [from_index(i) for i in range(first, last + 1)]
            else:
                months.append(from_index(index(item)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    if not months:
        raise InputError(Problem(None, "没有给出月份", fix="例如 hotline run 2023-03"))
    return list(dict.fromkeys(months))


def month_folders(folder: Path) -> list[str]:
    """The months of the <YYYY-MM>/ folders in a workspace's months/ `folder`, oldest first.

    Hidden folders (.ipynb_checkpoints) are passed over; any other folder not named as a month
    is an error, so `hotline validate`, a run and the trends all see the same months.
    """
    folder = Path(folder)
    names = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []
    stray = [n for n in names if not is_month(n)]
    if stray:
        raise InputError([Problem(folder / n, "月份目录名不是 YYYY-MM 格式", fix="改名为月份（如 2023-03）或移出 months 目录")
                          for n in stray])
    return names
