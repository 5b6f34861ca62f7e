"""Paths and file names, in one place: the project checkout, a district workspace, a month's output."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from hotline import periods
from hotline.errors import InputError, Problem

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the checkout (an installed wheel has none)
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_WORKSPACE = DATA_DIR / "sample"
# Relative to the folder a command runs in when installed as a wheel; the checkout's output/ otherwise.
OUTPUT_DIR = Path(os.environ.get("HOTLINE_OUTPUT") or (PROJECT_ROOT / "output" if DATA_DIR.is_dir() else "output"))
# The notebook's source, a jupytext percent-format file (no outputs, readable diffs); installed
# with the package (hotline.notebooks maps to the checkout's notebooks/ folder). JupyterLab
# pairs it with a local, untracked bulletin.ipynb that holds the outputs.
NOTEBOOKS_DIR = "notebooks"  # in a checkout: the notebooks an analyst opens in JupyterLab
NOTEBOOK = Path(str(resources.files("hotline.notebooks") / "bulletin.py"))

# Inside a district workspace (data/<district>/).
SETTINGS_FILE = "district.yaml"
UNITS_FILE = "units.csv"
EXPORTS_DIR = "exports"
MONTHS_DIR = "months"
CACHE_DIR = ".cache"  # parsed exports (Parquet) and file digests; safe to delete
WORDING_DIR = "wording"  # the district's wording templates, and a month's (months/<M>/wording/)
FONTS_DIR = "fonts"  # the office's own font files
PERIODS_DIR = "periods"  # a quarter's or a year's inputs: periods/<2023Q1>/, periods/<2022>/
# Inside months/<YYYY-MM>/.
MONTH_FILE = "month.yaml"
CITY_RANKING_FILE = "city_ranking.csv"
STORIES_DIR = "stories"
# Inside periods/<2023Q1>/ (beside it city_ranking.csv, stories/ and wording/, as a month's).
PERIOD_FILE = "period.yaml"

# A month's output folder, output/<district folder>/<MONTH>/.
NOTEBOOK_FILE = "bulletin.ipynb"  # the executed notebook, a record of the run
FLAVOUR_FILES = {  # flavour → (HTML, PDF)
    "official": ("bulletin.html", "bulletin.pdf"),
    "analysis": ("analysis.html", "analysis.pdf"),
}
# flavour → Word document (hotline.render.docx), each flavour's charts as PNG that every word processor shows.
DOCX_FILES = {"official": "bulletin.docx", "analysis": "analysis.docx"}
WORKBOOK_FILE = "bulletin.xlsx"
TABLES_DIR = "tables"
UNITS_DIR = "units"  # one drill-down page per ranked unit, <全称>.html
UNIT_CSS_FILE = "style.css"  # shared by the unit pages
REPORT_FILE = "validation.txt"  # the input checks' report
FINGERPRINT_FILE = "fingerprint.json"  # what the month was made from (skips unchanged reruns)
# Inside tables/ (names as in the golden folder).
TABLE_FILES = {
    "units_streets": "units_streets.csv",
    "units_departments": "units_departments.csv",
    "below_district": "below_district.csv",
    "hot_topics": "hot_topics.csv",
    "city_ranking": "city_ranking.csv",
}
SUMMARY_FILE = "summary.json"
# Beside the month folders, output/<district folder>/.
INDEX_FILE = "index.html"


def flavour_files(flavour: str) -> list[str]:
    """The files a month's folder holds for one flavour: HTML, PDF and, if it has one, Word."""
    return [*FLAVOUR_FILES[flavour], *([DOCX_FILES[flavour]] if flavour in DOCX_FILES else [])]


def input_folder(workspace: Path, name: str) -> Path:
    """Where the inputs of a month or period are: months/<YYYY-MM>/ or periods/<2023Q1>/ (the name checked)."""
    return Path(workspace) / (MONTHS_DIR if periods.kind(name) == periods.MONTH else PERIODS_DIR) / name


def month_output_dir(workspace: Path, month: str, output_root: Path | None = None) -> Path:
    """output/<district folder>/<MONTH>/ for a workspace folder and a month 'YYYY-MM' (or a
    period, '2023Q1' or '2022': hotline.periods).

    The name is checked first (2023-13 or ../x is an InputError), so the folder always lies
    inside the output root.
    """
    periods.kind(month)
    root = Path(output_root or OUTPUT_DIR)
    target = root / Path(workspace).resolve().name / month
    if target.resolve().parent.parent != root.resolve():
        raise InputError(Problem(workspace, "无法从工作区目录得出输出目录名", fix="用 --data 指定一个具体的区县目录"))
    return target


def cache_root() -> Path:
    """Where commands keep files they make for themselves (the lab's settings and stylesheet):
    $HOTLINE_CACHE, else <output root>/.cache."""
    return Path(os.environ.get("HOTLINE_CACHE") or OUTPUT_DIR / ".cache")


def months_without_folder(workspace: Path, name: str) -> list[str]:
    """The months of a quarter or a year without their month folder (months/<YYYY-MM>/month.yaml)."""
    return [m for m in periods.months_of(name) if not (Path(workspace) / MONTHS_DIR / m / MONTH_FILE).is_file()]


def check_month_folders(workspace: Path, name: str) -> None:
    """For a quarter or a year, an InputError naming its months without a month folder, found
    before anything is read or a kernel started; nothing for a month. (Months whose exports are
    missing are found once the orders are loaded: build_period_bulletin.)"""
    if not periods.is_period(name):
        return
    missing = months_without_folder(workspace, name)
    if missing:
        raise InputError(periods.incomplete(name, Path(workspace), missing))
