"""The bulletin's tables as one Excel workbook (openpyxl), each on its own sheet, set up for printing.

Cells that are numbers in the bulletin become numbers in Excel, with a number format that
prints them as the bulletin does (99.30 stays 99.30, 8.7% stays 8.7%); '98.34+0.5' stays text.
Score tables get the bulletin's two-level header (merged group cells) repeated on every
printed page; wide sheets print landscape, fitted to the page width.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import report
from .names import DEPARTMENT, STREET

FONT_NAME = "宋体"  # what a Chinese office's Excel has; printing uses the printer's own fonts
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_NUMBER = re.compile(r"^-?\d+(\.(\d+))?$")
_PERCENT = re.compile(r"^-?\d+(\.(\d+))?%$")


def cell_value(text: object) -> tuple[object, str | None]:
    """A table's display text as (Excel value, number format): '99.30' → (99.3, '0.00')."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None, None
    s = str(text).strip()
    if not s:
        return None, None
    m = _NUMBER.match(s)
    if m:
        places = len(m.group(2) or "")
        if places == 0:
            return int(s), "0"
        return float(Decimal(s)), "0." + "0" * places
    m = _PERCENT.match(s)
    if m:
        places = len(m.group(2) or "")
        return float(Decimal(s[:-1]) / 100), "0" + ("." + "0" * places if places else "") + "%"
    return s, None


def _style_header(cell) -> None:
    cell.font = Font(name=FONT_NAME, bold=True, size=10)
    cell.fill = _HEAD_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = _BORDER


def _write_body(ws: Worksheet, df: pd.DataFrame, first_row: int, columns: list[str]) -> None:
    for r, (_, row) in enumerate(df.iterrows(), start=first_row):
        for c, col in enumerate(columns, start=1):
            value, fmt = cell_value(row[col]) if col in df.columns else (None, None)
            cell = ws.cell(row=r, column=c, value=value)
            if fmt:
                cell.number_format = fmt
            cell.font = Font(name=FONT_NAME, size=10)
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="left" if c == 1 else "center", vertical="center",
                                       wrap_text=(c == 1))


def _title(ws: Worksheet, title: str, width: int) -> None:
    ws.cell(row=1, column=1, value=title).font = Font(name=FONT_NAME, bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 26


def _print_setup(ws: Worksheet, landscape: bool, header_rows: str, footer_title: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.6
    ws.print_title_rows = header_rows
    ws.oddFooter.center.text = "— &P —"
    ws.oddHeader.center.text = footer_title


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _score_sheet(wb: Workbook, name: str, title: str, df: pd.DataFrame, settings) -> Worksheet:
    """A score table with the two-level header; 加分 keeps its own column (a number)."""
    ws = wb.create_sheet(name)
    columns = list(df.columns)
    groups = [(g.name, report.trim(Decimal(g.weight)), [i.name for i in g.items]) for g in settings.scoring.groups]
    spans = {}  # group label -> (first col, last col)
    labels2 = {}
    for gname, weight, items in groups:
        cols = [c for c in items if c in columns] + ([f"{gname}小计"] if f"{gname}小计" in columns else [])
        idx = [columns.index(c) + 1 for c in cols]
        if idx:
            spans[f"{gname}（{weight}分）"] = (min(idx), max(idx))
            for c in cols:
                labels2[c] = "小计" if c.endswith("小计") else c
    _title(ws, title, len(columns))
    grouped = set(labels2)
    for c, col in enumerate(columns, start=1):
        if col not in grouped:
            ws.cell(row=2, column=c, value="总分（100分）" if col == "总分" else col)
            ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
        else:
            ws.cell(row=3, column=c, value=labels2[col])
    for label, (a, z) in spans.items():
        ws.cell(row=2, column=a, value=label)
        if z > a:
            ws.merge_cells(start_row=2, start_column=a, end_row=2, end_column=z)
    for row in ws.iter_rows(min_row=2, max_row=3, max_col=len(columns)):
        for cell in row:
            _style_header(cell)
    _write_body(ws, df, 4, columns)
    ws.freeze_panes = "B4"
    ws.row_dimensions[3].height = 30
    _widths(ws, [30] + [7.5] * (len(columns) - 1))
    _print_setup(ws, landscape=True, header_rows="2:3", footer_title=title)
    return ws


def _simple_sheet(wb: Workbook, name: str, title: str, df: pd.DataFrame, widths: list[float],
                  landscape: bool = False) -> Worksheet:
    ws = wb.create_sheet(name)
    columns = list(df.columns)
    _title(ws, title, len(columns))
    for c, col in enumerate(columns, start=1):
        _style_header(ws.cell(row=2, column=c, value=col))
    _write_body(ws, df, 3, columns)
    ws.freeze_panes = "A3"
    _widths(ws, widths)
    _print_setup(ws, landscape=landscape, header_rows="2:2", footer_title=title)
    return ws


def _summary_sheet(wb: Workbook, b) -> Worksheet:
    ws = wb.create_sheet("通报正文", 0)
    ws.column_dimensions["A"].width = 110
    lines = [b.settings.bulletin_title, b.info.issue, f"{b.settings.issuer}  {report.chinese_date(b.info.publish_date)}",
             "", b.sentences["title"], b.sentences["opening"], b.sentences["city_rank"], b.sentences["deduction"],
             b.sentences["good_units"], b.sentences["below_heading"], b.sentences["below_lead"]]
    for r, text in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1, value=text or None)
        cell.font = Font(name=FONT_NAME, size=14 if r in (1, 5) else 11, bold=r in (1, 5),
                         color="D40000" if r == 1 else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center" if r <= 5 else "left")
    _print_setup(ws, landscape=False, header_rows=None, footer_title=b.settings.bulletin_title)
    return ws


def write_workbook(b, path: Path) -> Path:
    """Write every table of bulletin `b` to an .xlsx at `path`; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, b)
    label = report.month_label(b.month)
    t = b.tables
    if t.get("city_ranking") is not None:
        _score_sheet(wb, "全市排名", f"全市排名情况（{label}）", t["city_ranking"], b.settings)
    if t.get("below_district") is not None:
        _simple_sheet(wb, "低于全区解决率", f"问题解决率低于全区的单位（{label}）", t["below_district"],
                      [30, 12, 16, 12, 16, 12])
    if t.get("hot_topics") is not None:
        _simple_sheet(wb, "民生诉求热点", f"民生诉求热点（{label}）", t["hot_topics"], [34, 12])
    be = (b.summary or {}).get("business_environment") or {}
    be_df = pd.DataFrame(report.business_env_rows(be), columns=["类型", "工单数量", "涉及部门"])
    _simple_sheet(wb, "营商环境", f"营商环境、行政效能类工单情况（{label}）", be_df, [10, 12, 70])
    for name, category, key in (("街道排名", STREET, "units_streets"), ("区直部门排名", DEPARTMENT, "units_departments")):
        if t.get(key) is not None:
            ws = _score_sheet(wb, name, f"{report.appendix_title(b.settings)}——{category}（{label}）", t[key], b.settings)
            note_row = ws.max_row + 2
            ws.cell(row=note_row, column=1, value=report.NOTE_UNRANKED).font = Font(name=FONT_NAME, size=10)
            bonus = b.sentences.get("bonus_note") or report.bonus_line(b.info.bonus)
            if bonus:
                ws.cell(row=note_row + 1, column=1, value=bonus).font = Font(name=FONT_NAME, size=10)
    rules = wb.create_sheet("考核评分规则")
    rules.column_dimensions["A"].width = 120
    for r, text in enumerate(b.rules_text, start=1):
        cell = rules.cell(row=r, column=1, value=text)
        cell.font = Font(name=FONT_NAME, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _print_setup(rules, landscape=False, header_rows=None, footer_title=report.RULES_HEADING)
    wb.properties.title = b.sentences["title"]
    wb.properties.creator = b.settings.issuer
    wb.save(path)
    return path
