"""Paths and file names of a project checkout and of a district workspace, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_WORKSPACE = DATA_DIR / "sample"
OUTPUT_DIR = Path(os.environ.get("HOTLINE_OUTPUT", PROJECT_ROOT / "output"))
NOTEBOOK = PROJECT_ROOT / "notebooks" / "bulletin.ipynb"
DEFAULT_MONTH = "2023-03"

# Inside a district workspace (data/<district>/).
SETTINGS_FILE = "district.yaml"
UNITS_FILE = "units.csv"
EXPORTS_DIR = "exports"
MONTHS_DIR = "months"
CACHE_DIR = ".cache"  # parsed exports (Parquet) and file digests; safe to delete
# Inside months/<YYYY-MM>/.
MONTH_FILE = "month.yaml"
CITY_RANKING_FILE = "city_ranking.csv"
STORIES_DIR = "stories"

# Table files written by `hotline tables` (names as in the golden folder).
TABLE_FILES = {
    "units_streets": "units_streets.csv",
    "units_departments": "units_departments.csv",
    "below_district": "below_district.csv",
    "hot_topics": "hot_topics.csv",
    "city_ranking": "city_ranking.csv",
}
SUMMARY_FILE = "summary.json"
# The input checks' report, written next to the bulletin by every run.
REPORT_FILE = "validation.txt"


def month_output_dir(workspace: Path, month: str, output_root: Path | None = None) -> Path:
    """output/<district folder>/<MONTH>/ for a workspace folder and a month 'YYYY-MM'.

    The month is checked first (2023-13 or ../x is an InputError), so the folder always lies
    inside the output root.
    """
    from .errors import InputError, Problem
    from .month import month_number

    month_number(month)
    root = Path(output_root or OUTPUT_DIR)
    target = root / Path(workspace).resolve().name / month
    if target.resolve().parent.parent != root.resolve():
        raise InputError(Problem(workspace, "无法从工作区目录得出输出目录名", fix="用 --data 指定一个具体的区县目录"))
    return target
