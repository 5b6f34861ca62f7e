"""The bulletin's tables as one Excel workbook (XlsxWriter), each on its own sheet, set up for printing.

Cells that are numbers in the bulletin become numbers in Excel, with a number format that
prints them as the bulletin does (99.30 stays 99.30, 8.7% stays 8.7%); '98.34+0.5' stays text.
Score tables get the bulletin's two-level header (merged group cells) repeated on every
printed page; wide sheets print landscape, fitted to the page width.

Written with XlsxWriter (quicker to import and to write than openpyxl, which the loader still
uses to read XLSX exports). The workbook is dated by the bulletin's publish date and packed in
memory (zip entries dated 1980-01-01), so the same bulletin always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from hotline.names import DEPARTMENT, STREET
from hotline.render import doctree
from hotline.render.model import Bulletin
from hotline.render.phrases import business_env_rows, has_business_env, month_label
from hotline.render.tables import ScoreTable, column_head, points_head
from hotline.render.wording import Labels

LABELS = "labels_workbook"  # the workbook's label set (hotline.render.wording): sheet titles

FONT_NAME = "宋体"  # what a Chinese office's Excel has; printing uses the printer's own fonts
_NUMBER = re.compile(r"^-?\d+(\.(\d+))?$")
_PERCENT = re.compile(r"^-?\d+(\.(\d+))?%$")
_BORDER = {"border": 1, "border_color": "#000000"}  # thin, black, all four sides
_HEAD = {"bold": True, "font_size": 10, "pattern": 1, "bg_color": "#F2F2F2", "align": "center",
         "valign": "vcenter", "text_wrap": True, **_BORDER}
_TITLE = {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
_NOTE = {"font_size": 10}
# XlsxWriter keeps column widths in pixels (7 px a digit of the default Calibri 11) and stores
# px * 256 // 7 / 256 characters, so w * 7 px stores exactly w (set_column(w) would add Excel's
# 5 px padding: 30 → 30.71). Row heights: pixels, stored as px * 0.75 points.
_DIGIT_PX = 7
_PT_PER_PX = 0.75


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


class _Styles:
    """One XlsxWriter Format per distinct look (all in 宋体), made on first use."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.made: dict[tuple, Format] = {}

    def __call__(self, props: dict) -> Format:
        key = tuple(sorted(props.items()))
        fmt = self.made.get(key)
        if fmt is None:
            fmt = self.made[key] = self.wb.add_format({"font_name": FONT_NAME, **props})
        return fmt


def _write(ws: Worksheet, row: int, col: int, value: object, fmt: Format) -> None:
    """A cell by its Python type (0-based row/col): numbers as numbers, text always as text."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def column_formats(df: pd.DataFrame) -> list[str | None]:
    """One number format per column: a column's figures all with the most decimal places any
    of them shows (97.70 beside 97.84), percentages likewise; None for a column of text."""
    formats: list[str | None] = []
    for col in df.columns:
        found = {fmt for fmt in (cell_value(v)[1] for v in df[col]) if fmt}
        formats.append(max(found, key=lambda f: (f.endswith("%"), len(f))) if found else None)
    return formats


def _write_body(ws: Worksheet, style: _Styles, df: pd.DataFrame, first_row: int, width: int) -> int:
    """Write `df`'s rows from 0-based `first_row`; return the 0-based row after the last."""
    formats = column_formats(df)
    for r, values in enumerate(df.itertuples(index=False, name=None), start=first_row):
        for c, text in enumerate(values[:width]):
            value, fmt = cell_value(text)
            props = {"font_size": 10, **_BORDER, "align": "left" if c == 0 else "center", "valign": "vcenter"}
            if c == 0:
                props["text_wrap"] = True
            if fmt:
                props["num_format"] = formats[c]
            _write(ws, r, c, value, style(props))
    return first_row + len(df)


def _title(ws: Worksheet, style: _Styles, title: str, width: int) -> None:
    if width > 1:
        ws.merge_range(0, 0, 0, width - 1, title, style(_TITLE))
    else:
        ws.write_string(0, 0, title, style(_TITLE))
    _row_height(ws, 0, 26)


def _row_height(ws: Worksheet, row: int, points: float) -> None:
    ws.set_row_pixels(row, points / _PT_PER_PX)


def _print_setup(ws: Worksheet, landscape: bool, header_rows: tuple[int, int] | None, footer_title: str) -> None:
    """A4, fitted to one page wide (any number tall), centred; `header_rows` (1-based) on every page."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header_rows:
        ws.repeat_rows(header_rows[0] - 1, header_rows[1] - 1)
    ws.set_footer("&C— &P —", {"margin": 0.5})
    ws.set_header("&C" + footer_title, {"margin": 0.5})


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for i, w in enumerate(widths):
        ws.set_column_pixels(i, i, w * _DIGIT_PX)


def _score_head(ws: Worksheet, table: ScoreTable, head: Format, label: Labels) -> None:
    """The two head rows (1 and 2, 0-based) of a score table: a column outside the groups over
    both, each group's name and points over its columns' heads, worded by `label` (the official
    bulletin's label set: hotline.render.tables.column_head)."""
    for r in (1, 2):  # every header cell styled; labels and merges below write over these
        for c in range(len(table.columns)):
            ws.write_blank(r, c, None, head)
    grouped = {c.key for g in table.groups for c in g.columns}
    for c, col in enumerate(table.columns):
        if col.key in grouped:
            ws.write_string(2, c, column_head(col, label), head)
        else:
            ws.merge_range(1, c, 2, c, column_head(col, label), head)
    first = len(table.lead)
    for g in table.groups:
        last = first + len(g.columns) - 1
        if last > first:
            ws.merge_range(1, first, 1, last, g.name + points_head(g, label), head)
        else:
            ws.write_string(1, first, g.name + points_head(g, label), head)
        first = last + 1


def _score_sheet(wb: Workbook, style: _Styles, name: str, title: str, table: ScoreTable,
                 label: Labels) -> tuple[Worksheet, int]:
    """A score table with the two-level header (hotline.render.tables.ScoreTable), its heads worded
    by `label` (the official bulletin's label set); 加分 keeps its own column (a number).

    Returns the sheet and the 0-based row after the table (the header's 3 when it has no rows).
    """
    ws = wb.add_worksheet(name)
    width = len(table.columns)
    _title(ws, style, title, width)
    _score_head(ws, table, style(_HEAD), label)
    end = _write_body(ws, style, table.frame[[c.key for c in table.columns]], 3, width)
    ws.freeze_panes(3, 1)
    _row_height(ws, 2, 30)
    _widths(ws, [30] + [7.5] * (width - 1))
    _print_setup(ws, landscape=True, header_rows=(2, 3), footer_title=title)
    return ws, end


def _simple_sheet(wb: Workbook, style: _Styles, name: str, title: str, df: pd.DataFrame, widths: list[float],
                  landscape: bool = False) -> None:
    ws = wb.add_worksheet(name)
    columns = list(df.columns)
    _title(ws, style, title, len(columns))
    for c, col in enumerate(columns):
        ws.write_string(1, c, str(col), style(_HEAD))
    _write_body(ws, style, df, 2, len(columns))
    ws.freeze_panes(2, 0)
    _widths(ws, widths)
    _print_setup(ws, landscape=landscape, header_rows=(2, 2), footer_title=title)


def _sentence_sheet(wb: Workbook, style: _Styles, name: str, title: str, text: str, widths: list[float]) -> None:
    """A sheet for a table the month does not have: its title and the sentence that says so."""
    ws = wb.add_worksheet(name)
    _title(ws, style, title, len(widths))
    ws.write_string(1, 0, text, style(_NOTE))
    _widths(ws, widths)
    _print_setup(ws, landscape=False, header_rows=None, footer_title=title)


# The sheet that holds each of the text's tables, by the table's class (hotline.render.layout).
_TABLE_SHEETS = {"city": "全市排名", "below": "低于全区解决率", "topics": "民生诉求热点", "business": "营商环境"}


def _labels(b: Bulletin) -> Labels:
    """The workbook's labels for bulletin `b` (its figures, and its month as 2023年3月)."""
    return b.wording.labels(LABELS, b.context | {"month_label": month_label(b.month)})


def text_lines(b: Bulletin) -> list[tuple[str, str]]:
    """The bulletin's text in reading order as (kind, text): the 版头 ("masthead", "head"), headings
    ("heading"), paragraphs and the 附件说明 ("text"), and for each table the sheet that holds it
    ("table"). Read from the official flavour's sections (hotline.render.sections), so the sheet
    says what the bulletin says, in the district's wording."""
    from hotline.render import sections  # the sections' templates, only when a workbook is written

    body = "".join(map(str, sections.text_sections(b)))
    label = _labels(b)
    lines: list[tuple[str, str]] = []
    for block in doctree.parse(f"<main>{body}</main>").blocks:
        if isinstance(block, doctree.Masthead):
            lines += [("text", block.remarks)] if block.remarks else []
            lines += [("masthead", block.title), ("head", block.issue), ("head", f"{block.issuer}  {block.date}"), ("head", "")]
        elif isinstance(block, doctree.Heading):
            lines.append(("title" if block.level == 1 else "heading", block.text))
        elif isinstance(block, doctree.Paragraph):
            lines.append(("text", block.marker + block.text))
        elif isinstance(block, doctree.Table):
            sheet = next((s for cls, s in _TABLE_SHEETS.items() if cls in block.cls.split()), None)
            if sheet:
                lines.append(("table", label("table_reference", sheet=sheet)))
    return lines


_LINE_STYLES: dict[str, dict[str, object]] = {"masthead": {"font_size": 14, "bold": True, "align": "center", "font_color": "#D40000"},
                "title": {"font_size": 14, "bold": True, "align": "center"}, "head": {"font_size": 11, "align": "center"},
                "heading": {"font_size": 12, "bold": True}, "text": {"font_size": 11},
                "table": {"font_size": 10, "font_color": "#555555"}}


def _summary_sheet(wb: Workbook, style: _Styles, b: Bulletin) -> None:
    ws = wb.add_worksheet("通报正文")
    _widths(ws, [110])
    for r, (kind, text) in enumerate(text_lines(b)):
        _write(ws, r, 0, text or None, style({"text_wrap": True, "valign": "top", "align": "left", **_LINE_STYLES[kind]}))
    _print_setup(ws, landscape=False, header_rows=None, footer_title=b.settings.bulletin_title)


def workbook(b: Bulletin) -> bytes:
    """Every table of bulletin `b` as an .xlsx file's bytes.

    Dated by the publish date (midnight UTC), so the same bulletin gives the same bytes.
    """
    from hotline.render import sections  # as in text_lines

    buf = io.BytesIO()
    # Text is text: merge_range writes with write(), which would take "=…" for a formula, "http…" for a link.
    wb = Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    style = _Styles(wb)
    _summary_sheet(wb, style, b)
    label, bulletin_label = _labels(b), sections.labels(b)
    t = b.text.tables
    if t.get("city_ranking") is not None:
        _score_sheet(wb, style, "全市排名", label("title_city"), t["city_ranking"], bulletin_label)
    if t.get("below_district") is not None:
        _simple_sheet(wb, style, "低于全区解决率", label("title_below"), t["below_district"],
                      [30, 12, 16, 12, 16, 12])
    if t.get("hot_topics") is not None:
        _simple_sheet(wb, style, "民生诉求热点", label("title_topics"), t["hot_topics"], [34, 12])
    be = b.selections.business
    be_title = label("title_business", heading=b.text.sentences["heading_business_env"])
    if has_business_env(be):
        heads = [bulletin_label(f"business_head_{h}") for h in ("kind", "count", "units")]
        be_df = pd.DataFrame(business_env_rows(be, bulletin_label), columns=heads)
        _simple_sheet(wb, style, "营商环境", be_title, be_df, [10, 12, 70])
    else:
        _sentence_sheet(wb, style, "营商环境", be_title, b.text.sentences["no_business_env"], [10, 12, 70])
    for name, category, key in (("街道排名", STREET, "units_streets"), ("区直部门排名", DEPARTMENT, "units_departments")):
        if t.get(key) is not None:
            title = label("title_units", title=b.text.sentences["appendix_title"], category=category)
            ws, end = _score_sheet(wb, style, name, title, t[key], bulletin_label)
            note_row = end + 1  # one empty row after the table
            ws.write_string(note_row, 0, b.text.sentences["note_unranked"], style(_NOTE))
            bonus = b.text.sentences["bonus_note"]
            if bonus:
                ws.write_string(note_row + 1, 0, bonus, style(_NOTE))
    rules = wb.add_worksheet("考核评分规则")  # sheet names stay fixed: a workbook's readers look them up
    _widths(rules, [120])
    for r, text in enumerate(b.text.rules):
        _write(rules, r, 0, text, style({"font_size": 10, "text_wrap": True, "valign": "top"}))
    _print_setup(rules, landscape=False, header_rows=None, footer_title=b.text.sentences["heading_rules"])
    created = dt.datetime.combine(b.info.publish_date, dt.time(), tzinfo=dt.UTC)
    wb.set_properties({"title": b.text.sentences["title"], "author": b.settings.issuer, "created": created})
    wb.close()
    return buf.getvalue()
