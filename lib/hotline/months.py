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
HISTORY_MONTHS = 12  # the months the analysis flavour's trends look back over, the month included


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


def history_window(months: list[str], month: str, n: int = HISTORY_MONTHS) -> list[str]:
    """The last `n` of `months` up to and including `month`, oldest first."""
    return [m for m in sorted(months) if m <= month][-n:]


def month_folders(folder: Path) -> list[str]:
    """The months of the <YYYY-MM>/ folders in a workspace's months/ `folder`, oldest first.

    Anything else there is left out, the same for `hotline validate`, a run and the trends;
    :func:`ignored_in_months` names it as a warning.
    """
    folder = Path(folder)
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and is_month(p.name)) if folder.is_dir() else []


def ignored_in_months(folder: Path) -> list[Problem]:
    """A warning for each entry of months/ that is not a month folder (a Windows copy "2023-03 - 副本",
    2023-13, a loose file). Hidden ones (.ipynb_checkpoints) are the only ones left out."""
    folder = Path(folder)
    warnings = []
    for p in sorted(folder.iterdir(), key=lambda p: p.name) if folder.is_dir() else []:
        if p.name.startswith(".") or (p.is_dir() and is_month(p.name)):
            continue
        if not p.is_dir():
            why, fix = "不是月份文件夹，已忽略", "months 文件夹中只放 YYYY-MM 月份文件夹；这个文件请移走"
        elif is_month(p.name[:7]):
            why, fix = f"像是 {p.name[:7]} 的副本，不是月份文件夹，已忽略", f"确认 {p.name[:7]} 中的是要用的内容后删除或移走这个副本"
        else:
            why, fix = "文件夹名不是月份（YYYY-MM，月份 01–12），已忽略", "改名为月份（如 2023-03）或移出 months 文件夹"
        warnings.append(Problem(p, why, fix=fix, kind="ignored_folder"))
    return warnings
