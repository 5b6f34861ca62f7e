"""A corpus of bad inputs, each with the outcome a user should get.

Every case starts from a tiny but complete workspace (district.yaml of the sample, four units,
one export file with three good rows, one month folder) and breaks one thing. The outcome is
what `hotline validate` finds, asserted exactly:

- ERROR:    one error naming (file, row, column) and saying what was expected;
- WARNING:  no error, and exactly the warnings listed, by kind, file, row and column;
- ACCEPTED: no error and no warning.

Helpers for writing exports and the settings edits come from test_exports.py and
test_settings.py, whose unit tests cover the same checks in more detail.
"""

from __future__ import annotations

import copy
import errno
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from factories import (
    BAD_SETTINGS,
    HEADER,
    SAMPLE,
    UNITS_CSV,
    compound_file,
    csv_text,
    edit_sheet_xml,
    row,
    write_csv,
    write_xlsx,
)
from hotline import config
from hotline.bulletin import validate_workspace
from hotline.cli import main
from hotline.errors import InputError
from hotline.inputs.exports import load_exports
from hotline.inputs.registry import load_registry
from hotline.names import DATETIME_COLUMNS, PERSONAL_COLUMNS

MONTH = "2023-03"
EXPORT = "2023-03.csv"
GOOD = [row("GD001"), row("GD002", "市场监管局"), row("GD003", "财政局", 满意度="基本满意")]


@dataclass(frozen=True)
class Error:
    file: str
    row: int | None
    column: str | None
    says: str  # part of the message


@dataclass(frozen=True)
class Warning:
    kind: str
    file: str
    row: int | None = None
    column: str | None = None


ACCEPTED = ()


def make_workspace(root: Path) -> Path:
    """The tiny good workspace every case starts from."""
    ws = root / "tiny"
    (ws / config.EXPORTS_DIR).mkdir(parents=True)
    (ws / config.SETTINGS_FILE).write_text(yaml.safe_dump(SAMPLE, allow_unicode=True), encoding="utf-8")
    (ws / config.UNITS_FILE).write_text(UNITS_CSV, encoding="utf-8")
    write_csv(ws / config.EXPORTS_DIR / EXPORT, GOOD)
    month = ws / config.MONTHS_DIR / MONTH
    month.mkdir(parents=True)
    (month / config.MONTH_FILE).write_text("issue: 〔2023〕第 4 期\npublish_date: 2023-05-17\n", encoding="utf-8")
    (month / config.CITY_RANKING_FILE).write_text("区,排名\n芙蓉区,1\n", encoding="utf-8")
    return ws


# --------------------------------------------------------------------------- builders


def export(ws: Path, name: str = EXPORT) -> Path:
    return ws / config.EXPORTS_DIR / name


def replace_export(rows: list[dict], header: list[str] | None = None, encoding: str = "utf-8"):
    """A builder: the export file holds `rows` instead of the good ones."""
    def build(ws: Path) -> None:
        write_csv(export(ws), rows, encoding, header)
    return build


def replace_with_bytes(data: bytes, name: str = EXPORT):
    def build(ws: Path) -> None:
        export(ws).unlink()
        export(ws, name).write_bytes(data)
    return build


def add_file(name: str, data: bytes):
    def build(ws: Path) -> None:
        export(ws, name).write_bytes(data)
    return build


def with_lines(before: str = "", after: str = ""):
    """A builder: the good export with text lines above the header and/or below the rows."""
    def build(ws: Path) -> None:
        export(ws).write_text(before + csv_text(GOOD) + after, encoding="utf-8")
    return build


def xlsx(edit: Callable[[openpyxl.Workbook], None], rows: list[dict] = GOOD):
    """A builder: the good rows as XLSX (real date cells), then `edit` applied to the workbook."""
    def build(ws: Path) -> None:
        export(ws).unlink()
        path = write_xlsx(export(ws, "2023-03.xlsx"), rows)
        book = openpyxl.load_workbook(path)
        edit(book)
        book.save(path)
    return build


def several_sheets(book: openpyxl.Workbook) -> None:
    book.active.title = "明细"
    notes = book.create_sheet("说明", 0)
    notes["A1"] = "本文件由平台导出"
    copy_ = book.copy_worksheet(book["明细"])
    copy_.title = "明细(2)"


def export_on_second_sheet(book: openpyxl.Workbook) -> None:
    book.active.title = "明细"
    book.create_sheet("说明", 0)["A1"] = "本文件由平台导出"


def field_dictionary_first(book: openpyxl.Workbook) -> None:
    """A 字段说明 sheet before the export: one line per column, the column's name in A."""
    book.active.title = "工单明细"
    notes = book.create_sheet("字段说明", 0)
    notes.append(["字段名", "说明"])
    for name in HEADER:
        notes.append([name, f"平台的{name}字段"])


def no_sheet_with_every_column(book: openpyxl.Workbook) -> None:
    """The 字段说明 sheet first, and the export sheet without its 办理时限 column."""
    field_dictionary_first(book)
    book["工单明细"].delete_cols(HEADER.index("办理时限") + 1)


def merged_title(book: openpyxl.Workbook) -> None:
    sheet = book.active
    sheet.insert_rows(1)
    sheet["A1"] = "芙蓉区 12345 工单明细（2023年3月）"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))


def two_row_merged_header(book: openpyxl.Workbook) -> None:
    """派单时间 and 签收时间 under one merged 时间 cell, the other headers merged over two rows."""
    sheet = book.active
    sheet.insert_rows(2)
    first = HEADER.index("派单时间") + 1
    for col in range(1, len(HEADER) + 1):
        if col in (first, first + 1):
            sheet.cell(row=2, column=col).value = sheet.cell(row=1, column=col).value
        else:
            sheet.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    sheet.cell(row=1, column=first).value = "时间"
    sheet.cell(row=1, column=first + 1).value = None
    sheet.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + 1)


def dates_as_text(book: openpyxl.Workbook) -> None:
    sheet = book.active
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if hasattr(cell.value, "strftime"):
                cell.value = f"{cell.value.year}/{cell.value.month}/{cell.value.day} {cell.value:%H:%M}"


def formulas(book: openpyxl.Workbook) -> None:
    sheet = book.active
    column = HEADER.index("延期次数") + 1
    for r in range(2, sheet.max_row + 1):
        sheet.cell(row=r, column=column).value = "=1+1"


def with_cached_values(path: Path, value: str) -> None:
    """Give every formula the value Excel would have saved with it (openpyxl writes none)."""
    # openpyxl writes an empty value as <v></v> or <v />, by version.
    edit_sheet_xml(path, lambda xml: re.sub(rb"<v\s*/>|<v></v>", f"<v>{value}</v>".encode(), xml))


def xlsx_formulas_with_cached_values(ws: Path) -> None:
    xlsx(formulas)(ws)
    with_cached_values(export(ws, "2023-03.xlsx"), "2")


def xlsx_with_form_feed(ws: Path) -> None:
    """Every 诉求类型 cell holds a form feed, as Excel saves one (escaped as _x000C_: XML cannot hold it)."""
    xlsx(lambda book: None)(ws)
    def escaped(text: str) -> bytes:
        return "".join(f"&#{ord(c)};" for c in text).encode()
    edit_sheet_xml(export(ws, XLSX), lambda xml: xml.replace(escaped("小区卫生"), escaped("小区") + b"_x000C_" + escaped("卫生")))


def xlsx_with_dimension_a1(ws: Path) -> None:
    """The good rows as XLSX whose <dimension> says the sheet is the one cell A1, as streaming writers leave it."""
    xlsx(lambda book: None)(ws)
    edit_sheet_xml(export(ws, XLSX), lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', xml))


def units(text: str):
    def build(ws: Path) -> None:
        (ws / config.UNITS_FILE).write_text(text, encoding="utf-8")
    return build


def month_file(text: str, month: str = MONTH):
    def build(ws: Path) -> None:
        folder = ws / config.MONTHS_DIR / month
        folder.mkdir(parents=True, exist_ok=True)
        (folder / config.MONTH_FILE).write_text(text, encoding="utf-8")
    return build


def empty_month_folder(ws: Path) -> None:
    (ws / config.MONTHS_DIR / "2023-02").mkdir()


def story(text: str, name: str = "01.md", month: str = MONTH):
    def build(ws: Path) -> None:
        folder = ws / config.MONTHS_DIR / month / config.STORIES_DIR
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return build


def in_month(month: str, order_id: str) -> dict:
    """A good row whose every date is moved from March 2023 to `month`."""
    return row(order_id, **{k: v.replace("2023-03-", f"{month}-") for k, v in row().items() if k.endswith(("时间", "时限"))})


def previous_month(city: bool = False, stories: dict[str, str] | None = None):
    """A builder: February 2023 with its own export, a city table of its own (or, with `city`, the
    same bytes as March's) and `stories` (file name → text)."""
    def build(ws: Path) -> None:
        add_file("2023-02.csv", csv_text([in_month("2023-02", "GD201")]).encode())(ws)
        month_file("issue: 〔2023〕第 3 期\npublish_date: 2023-03-15\n", "2023-02")(ws)
        folder = ws / config.MONTHS_DIR / "2023-02"
        march = (ws / config.MONTHS_DIR / MONTH / config.CITY_RANKING_FILE).read_bytes()
        (folder / config.CITY_RANKING_FILE).write_bytes(march if city else march.replace(b",1", b",2"))
        for name, text in (stories or {}).items():
            story(text, name, "2023-02")(ws)
    return build


def month_copied_ahead_of_its_exports(ws: Path) -> None:
    """April started as the docs say (March's folder copied), before April's export came: the export
    holds only March orders closed or visited in April."""
    shutil.copytree(ws / config.MONTHS_DIR / MONTH, ws / config.MONTHS_DIR / "2023-04")
    replace_export(good_with(row("GD004", 办结时间="2023-04-03 17:00:00", 回访时间="2023-04-05 15:00:00")))(ws)


def settings(edit):
    def build(ws: Path) -> None:
        data = copy.deepcopy(SAMPLE)
        edit(data)
        (ws / config.SETTINGS_FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return build


def two(*builders):
    def build(ws: Path) -> None:
        for b in builders:
            b(ws)
    return build


def retimed(form: Callable[[int, pd.Timestamp], str]) -> list[dict]:
    """GOOD with each datetime written as form(i, time) gives, i the column's place in DATETIME_COLUMNS."""
    return [{**r, **{c: form(i, pd.Timestamp(r[c])) for i, c in enumerate(DATETIME_COLUMNS) if r[c]}} for r in GOOD]


def java_time(i: int, t: pd.Timestamp) -> str:
    """How Java and SQL exports print a timestamp: 2023-03-01 08:30:00.0 (or .000)."""
    return f"{t:%Y-%m-%d %H:%M:%S}" + (".0" if i % 2 else ".000")


def chinese_time(i: int, t: pd.Timestamp) -> str:
    """年月日 forms, a different one per column: 2023年3月1日 8时30分, 2023年3月1日 08:30, 2023年03月01日08时30分00秒."""
    forms = [f"{t.year}年{t.month}月{t.day}日 {t.hour}时{t.minute}分", f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}",
             f"{t:%Y年%m月%d日%H时%M分%S秒}"]
    return forms[i % len(forms)]


def renamed(old: str, new: str) -> list[str]:
    return [new if c == old else c for c in HEADER]


def good_with(*extra: dict) -> list[dict]:
    return GOOD + list(extra)


def workspace_file(relative: str, data: bytes | str, encoding: str = "utf-8"):
    """A builder: a hand-edited file of the workspace (units.csv, months/2023-03/month.yaml …) holds `data`."""
    def build(ws: Path) -> None:
        path = ws / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return build


def in_month_folder(name: str, data: bytes | str, encoding: str = "utf-8", month: str = MONTH):
    return workspace_file(f"{config.MONTHS_DIR}/{month}/{name}", data, encoding)


def wording_slot(text: str, month: str = MONTH, name: str = "after_commentary.j2"):
    return in_month_folder(f"wording/{name}", text, month=month)


def settings_text() -> str:
    return yaml.safe_dump(SAMPLE, allow_unicode=True)


def settings_line(key: str) -> int:
    """The line of district.yaml (as settings_text writes it) that sets the top-level `key`."""
    return next(i for i, line in enumerate(settings_text().splitlines(), 1) if line.startswith(f"{key}:"))


def gbk_export_with_utf8_cells(ws: Path) -> None:
    """A GB18030 export in which rows 3 and 4 have their 来源渠道 written as UTF-8 bytes (a merged file)."""
    lines = csv_text(GOOD).split("\n")
    gbk = [line.encode("gb18030") for line in lines]
    for i in (2, 3):
        gbk[i] = gbk[i].replace("12345热线".encode("gb18030"), "12345热线".encode())
    export(ws).write_bytes(b"\n".join(gbk))


ALIAS_BOMB = "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
                     for p, c in zip([None, *"abcdefgh"], "abcdefghi")) + "issue: *i\npublish_date: 2023-05-17\n"


def truncated_xlsx(ws: Path) -> None:
    """The good rows as XLSX, cut off half-way (a copy or download broken off)."""
    export(ws).unlink()
    path = write_xlsx(export(ws, XLSX), GOOD)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def exports_entry(name: str, kind: str = "file"):
    """A builder: something in exports/ that is not an export: a file, a folder or a broken link."""
    def build(ws: Path) -> None:
        path = export(ws, name)
        if kind == "folder":
            path.mkdir()
            write_csv(path / EXPORT, GOOD)
        elif kind == "broken link":
            path.symlink_to(export(ws, "gone.csv"))
        else:
            path.write_bytes(b"PK\x03\x04")
    return build


XLSX = "2023-03.xlsx"
STORY = "---\nunit: 财政局\ntitle: 标题\n---\n正文\n"
MONTH_YAML = f"{config.MONTHS_DIR}/{MONTH}/{config.MONTH_FILE}"

# --------------------------------------------------------------------------- the corpus
# id -> (builder, outcome). Rows: the header is row 1, GOOD fills rows 2-4, an extra row is row 5.

CASES: dict[str, tuple[Callable[[Path], None], object]] = {
    # columns
    "missing required column": (
        replace_export(GOOD, [c for c in HEADER if c != "办理时限"]), Error(EXPORT, 1, None, "缺少必需的列: 办理时限")),
    "renamed column, unknown name": (
        replace_export([{**r, "承办部门": r["承办单位"]} for r in GOOD], renamed("承办单位", "承办部门")),
        Error(EXPORT, 1, None, "缺少必需的列: 承办单位")),
    "renamed column, known synonym": (
        replace_export([{**r, "受理单位": r["承办单位"]} for r in GOOD], renamed("承办单位", "受理单位")),
        [Warning("column_synonym", EXPORT, 1, "受理单位")]),
    "old and new name of one column": (
        replace_export([{**r, "受理单位": r["承办单位"]} for r in GOOD], HEADER + ["受理单位"]),
        Error(EXPORT, 1, "受理单位", "同一列的新旧名称")),
    "same column twice": (replace_export(GOOD, HEADER + ["满意度"]), Error(EXPORT, 1, "满意度", "出现了不止一次")),
    "extra unknown columns": (
        replace_export([{**r, "备注": "加急", "所属区域": "芙蓉区"} for r in GOOD], HEADER + ["备注", "所属区域"]), ACCEPTED),
    "only the columns required": (
        replace_export(GOOD, [c for c in HEADER if c not in PERSONAL_COLUMNS][:4] + [
            "派单时间", "签收时间", "首次联系时间", "办理时限", "办结时间", "回访时间", "是否解决", "满意度"]), ACCEPTED),
    # file layout
    "title row above the header": (with_lines(before="工单明细导出（2023年3月）\n"), ACCEPTED),
    "合计 row at the bottom": (with_lines(after="合计,,,,,,,,,,0,0,0,0,,,,,,,,\n"), [Warning("total_row", EXPORT, 5, "工单编号")]),
    "总计 row in a 序号 column": (
        replace_export([{"序号": str(i), **r} for i, r in enumerate(GOOD, 1)] + [{"序号": "总计"}], ["序号"] + HEADER),
        [Warning("total_row", EXPORT, 5, "工单编号")]),
    "合　计 row (full-width space) at the bottom": (
        with_lines(after="合　计,共 3 条,,,,,,,,,0,0,0,0,,,,,,,,\n"), [Warning("total_row", EXPORT, 5, "工单编号")]),
    "总 计 row (ASCII space) in a 序号 column": (
        replace_export([{"序号": str(i), **r} for i, r in enumerate(GOOD, 1)] + [{"序号": "总 计", "承办单位": "共 3 条"}],
                       ["序号"] + HEADER),
        [Warning("total_row", EXPORT, 5, "工单编号")]),
    "empty file": (replace_with_bytes(b""), Error(EXPORT, None, None, "文件为空")),
    "headers only, next to a good file": (
        add_file("2023-03_第2批.csv", (",".join(HEADER) + "\n").encode()), [Warning("header_only", "2023-03_第2批.csv")]),
    "headers only, the one file": (
        replace_with_bytes((",".join(HEADER) + "\n").encode()), Error(config.EXPORTS_DIR, None, None, "没有任何工单行")),
    "blank lines between rows": (with_lines(after="\n,,,\n\n"), ACCEPTED),
    "no export file at all": (replace_with_bytes(b"x", "readme.txt"), Error(config.EXPORTS_DIR, None, None, "没有工单明细文件")),
    "old .xls next to a good file": (add_file("2023-02.xls", b"\xd0\xcf\x11\xe0"), [Warning("xls_skipped", "2023-02.xls")]),
    "CSV with unbalanced quotes": (with_lines(after='GD009,"东岸街道\n'), Error(EXPORT, 5, None, "双引号没有结束")),
    # encodings
    "GB18030 (GBK) CSV": (replace_export(GOOD, encoding="gb18030"), ACCEPTED),
    "UTF-8 with BOM": (replace_export(GOOD, encoding="utf-8-sig"), ACCEPTED),
    "UTF-16 CSV": (replace_export(GOOD, encoding="utf-16"), Error(EXPORT, 1, None, "无法识别文件编码")),
    "undecodable bytes": (replace_with_bytes(b"\xff\xfe\xff\xff\x80\x80,\xff\n"), Error(EXPORT, 1, None, "都从文本第 1 行第 1 个字节")),
    "UTF-8 CSV with a row pasted in from a GBK file": (
        replace_with_bytes(csv_text(GOOD[:2]).encode() + csv_text(GOOD[2:]).split("\n", 1)[1].encode("gb18030")),
        Error(EXPORT, 4, None, "文件是 UTF-8 编码（表头按 UTF-8 可读），但从文本第 4 行第 7 个字节")),
    "GB18030 CSV with a damaged byte": (
        replace_with_bytes(csv_text(GOOD).encode("gb18030").replace(b"GD002,", b"GD002,\xff")),
        Error(EXPORT, 3, None, "文件是 GB18030 编码（表头按 GB18030 可读），但从文本第 3 行第 7 个字节")),
    # datetimes
    "mixed datetime forms in a column": (
        replace_export([row("GD001", 签收时间="2023/3/1 9:00"), row("GD002", 签收时间="2023-03-01 09:00"),
                        row("GD003", 签收时间=" 2023/03/01 09:00:00 ")]), ACCEPTED),
    "unparseable datetime": (replace_export(good_with(row("GD004", 办结时间="3月3日"))), Error(EXPORT, 5, "办结时间", "「3月3日」不是可识别的日期时间")),
    "Excel serial number typed as a datetime": (
        replace_export(good_with(row("GD004", 回访时间="44991.625"))), Error(EXPORT, 5, "回访时间", "不是可识别的日期时间")),
    "impossible date": (replace_export(good_with(row("GD004", 派单时间="2023-02-30 08:00"))), Error(EXPORT, 5, "派单时间", "2023-02-30")),
    "签收时间 before 派单时间": (
        replace_export(good_with(row("GD004", 签收时间="2023-03-01 08:00:00"))), Error(EXPORT, 5, "签收时间", "早于派单时间")),
    "办结时间 before 签收时间": (
        replace_export(good_with(row("GD004", 办结时间="2023-02-28 17:00:00"))), Error(EXPORT, 5, "办结时间", "早于签收时间")),
    "签收 typed as a date on the day of 派单": (replace_export(good_with(row("GD004", 签收时间="2023/3/1"))), ACCEPTED),
    "fractional seconds (Java/SQL export)": (replace_export(retimed(java_time)), ACCEPTED),
    "年月日 datetimes": (replace_export(retimed(chinese_time)), ACCEPTED),
    "签收 as a 年月日 date on the day of 派单": (replace_export(good_with(row("GD004", 签收时间="2023年03月01日"))), ACCEPTED),
    "impossible 年月日 date": (
        replace_export(good_with(row("GD004", 派单时间="2023年2月30日 8时30分"))),
        Error(EXPORT, 5, "派单时间", "「2023年2月30日 8时30分」不是可识别的日期时间")),
    "empty 办理时限": (replace_export(good_with(row("GD004", 办理时限=""))), [Warning("empty_datetime", EXPORT, 5, "办理时限")]),
    # visits
    "visited without 是否解决": (replace_export(good_with(row("GD004", 是否解决=""))), Error(EXPORT, 5, "是否解决", "有回访时间但是否解决为空")),
    "visited without 满意度": (replace_export(good_with(row("GD004", 满意度=""))), Error(EXPORT, 5, "满意度", "有回访时间但满意度为空")),
    "invalid 满意度 word": (replace_export(good_with(row("GD004", 满意度="非常满意"))), Error(EXPORT, 5, "满意度", "「非常满意」不是有效的满意度")),
    "invalid 是否解决 word": (replace_export(good_with(row("GD004", 是否解决="已解决"))), Error(EXPORT, 5, "是否解决", "「已解决」")),
    "是否解决 without a visit": (
        replace_export(good_with(row("GD004", 回访时间="", 满意度=""))), [Warning("stray_visit_value", EXPORT, 5, "是否解决")]),
    # counts
    "negative count": (replace_export(good_with(row("GD004", 驳回次数="-1"))), Error(EXPORT, 5, "驳回次数", "「-1」不是非负整数")),
    "fractional count": (replace_export(good_with(row("GD004", 延期次数="1.5"))), Error(EXPORT, 5, "延期次数", "「1.5」不是非负整数")),
    "count in words": (replace_export(good_with(row("GD004", 发回重办次数="两次"))), Error(EXPORT, 5, "发回重办次数", "不是非负整数")),
    # units
    "one unit spelled three ways": (
        replace_export([row("GD001", "市场监督管理局"), row("GD002", "市场监管局"), row("GD003", "芙蓉区市场监督管理局")]), ACCEPTED),
    "unknown unit": (replace_export(good_with(row("GD004", "市场监督局"))), Error(EXPORT, 5, "承办单位", "最接近的登记名称: 市场监督管理局")),
    "alias registered for two units": (
        units(UNITS_CSV + "城市管理局,城管局,区直部门,财政局\n"), Error(config.UNITS_FILE, 6, "别名", "同时指向「财政局」和「城市管理局」")),
    "empty 工单编号": (replace_export(good_with(row(""))), Error(EXPORT, 5, "工单编号", "为空")),
    # duplicates
    "exact duplicate within a file": (
        replace_export(good_with(row("GD001", "东岸街道"))), [Warning("exact_duplicate", EXPORT, 2)]),
    "conflicting duplicates within a file": (
        replace_export(good_with(row("GD001", 满意度="不满意"))), Error(EXPORT, 2, None, "以下列的内容不同: 满意度")),
    "same order in two snapshot files": (
        add_file("2023-03_第2批.csv", csv_text([row("GD001", 满意度="不满意")]).encode()), ACCEPTED),
    # XLSX
    "XLSX with real date cells": (xlsx(lambda book: None), ACCEPTED),
    "XLSX with several export sheets": (xlsx(several_sheets), [Warning("several_sheets", XLSX)]),
    "XLSX with the export on its second sheet": (xlsx(export_on_second_sheet), ACCEPTED),
    "XLSX with a 字段说明 sheet before the export": (xlsx(field_dictionary_first), ACCEPTED),
    "XLSX with no sheet holding every required column": (
        xlsx(no_sheet_with_every_column), Error(XLSX, None, None, "没有一个工作表的表头包含全部必需的列")),
    "XLSX with a merged title above the header": (xlsx(merged_title), ACCEPTED),
    "XLSX with a two-row merged header": (xlsx(two_row_merged_header), Error(XLSX, 1, None, "缺少必需的列: 派单时间、签收时间")),
    "XLSX with formulas (cached values)": (xlsx_formulas_with_cached_values, ACCEPTED),
    "XLSX with dates stored as text": (xlsx(dates_as_text), ACCEPTED),
    "XLSX whose <dimension> says A1": (xlsx_with_dimension_a1, ACCEPTED),
    "XLSX that is not a workbook": (replace_with_bytes(b"PK\x03\x04 not really", XLSX), Error(XLSX, None, None, "无法打开 Excel 文件")),
    # months
    "a month with no data": (
        month_file("issue: x\npublish_date: 2024-02-10\n", "2024-01"), Error(config.EXPORTS_DIR, None, None, "2024-01 没有签收的工单")),
    "a month copied ahead of its exports": (
        month_copied_ahead_of_its_exports, Error(config.EXPORTS_DIR, None, None, "2023-04 没有签收的工单")),
    "city table the same as last month's": (
        previous_month(city=True), [Warning("copied_from_previous", config.CITY_RANKING_FILE)]),
    "city table of its own, last month's beside it": (previous_month(), ACCEPTED),
    "a month folder missing its inputs": (empty_month_folder, Error(config.MONTH_FILE, None, None, "缺少 2023-02 的月度输入文件")),
    "a month folder with a bad name": (month_file("issue: x\n", "2023-13"), [Warning("ignored_folder", "2023-13")]),
    "a stray folder among the months": (month_file("issue: x\n", "notes"), [Warning("ignored_folder", "notes")]),
    "month.yaml with an unknown key": (
        month_file("issue: x\npublish_date: 2023-05-17\nbonus_points: 1\n"), Error(config.MONTH_FILE, None, "bonus_points", "未知的设置项")),
    "month.yaml with a negative bonus": (
        month_file("issue: x\npublish_date: 2023-05-17\nbonus: [{unit: 财政局, points: -1, reason: x}]\n"),
        Error(config.MONTH_FILE, None, "bonus[0].points", "应为非负数")),
    "month.yaml that is not YAML": (month_file("issue: [unclosed\n"), Error(config.MONTH_FILE, 1, None, "YAML 格式错误")),
    # stories
    "story with <script>": (
        story("---\nunit: 财政局\ntitle: 好<script>alert(1)</script>\n---\n正文<script>alert(2)</script>\n"),
        [Warning("story_markup", "01.md")]),
    "story with an onerror attribute": (
        story("---\nunit: 财政局\ntitle: 标题\n---\n<img src=x onerror=\"alert(1)\">\n"), [Warning("story_markup", "01.md")]),
    "story in plain Markdown": (story("---\nunit: 财政局\ntitle: 标题\n---\n**加粗** 与 [链接](javascript:alert(1))\n"), ACCEPTED),
    "story without a title": (story("---\nunit: 财政局\n---\n正文\n"), Error("01.md", None, None, "缺少 unit 或 title")),
    "story with broken front matter": (story("---\nunit: [财政局\n---\n正文\n"), Error("01.md", 2, None, "YAML 格式错误")),
    "story without its front matter": (story("财政局: 标题\n\n正文\n"), Error("01.md", None, None, "缺少 unit 或 title")),
    "story naming an unregistered unit": (
        story("---\nunit: 市场监督局\ntitle: 标题\n---\n正文\n"), [Warning("story_unit", "01.md", None, "unit")]),
    "story the same as one of last month's": (
        two(story(STORY, "01.md"), previous_month(stories={"02.md": STORY})), [Warning("copied_from_previous", "01.md")]),
    "story of last month's unit, retold": (
        two(story(STORY, "01.md"), previous_month(stories={"01.md": STORY.replace("正文", "上月的正文")})), ACCEPTED),
    # encodings of the hand-edited files: UTF-8, UTF-8 with BOM and GB18030 (GBK) for every one
    "units.csv in GBK (Excel's CSV)": (workspace_file(config.UNITS_FILE, UNITS_CSV, "gb18030"), ACCEPTED),
    "district.yaml in GBK": (workspace_file(config.SETTINGS_FILE, settings_text(), "gb18030"), ACCEPTED),
    "district.yaml with a BOM": (workspace_file(config.SETTINGS_FILE, settings_text(), "utf-8-sig"), ACCEPTED),
    "month.yaml in GBK (Notepad's ANSI)": (
        in_month_folder(config.MONTH_FILE, "issue: 〔2023〕第 4 期\npublish_date: 2023-05-17\n", "gb18030"), ACCEPTED),
    "city table in GBK": (in_month_folder(config.CITY_RANKING_FILE, "区,排名\n芙蓉区,1\n", "gb18030"), ACCEPTED),
    "story in GBK": (in_month_folder("stories/01.md", STORY, "gb18030"), ACCEPTED),
    "story with a BOM": (in_month_folder("stories/01.md", STORY, "utf-8-sig"), ACCEPTED),
    "wording slot in GBK": (in_month_folder("wording/after_commentary.j2", "本月另有说明。\n", "gb18030"), ACCEPTED),
    "month.yaml in UTF-16": (
        in_month_folder(config.MONTH_FILE, "issue: 〔2023〕第 4 期\npublish_date: 2023-05-17\n", "utf-16"),
        Error(config.MONTH_FILE, 1, None, "既不是 UTF-8 也不是 GB18030 编码: 从文本第 1 行第 1 个字节")),
    "units.csv with a damaged byte": (
        workspace_file(config.UNITS_FILE, UNITS_CSV.encode().replace("韭菜园".encode(), b"\xff")),
        Error(config.UNITS_FILE, 3, None, "从文本第 3 行第 1 个字节（0xFF）起无法读取")),
    "wording slot with a damaged byte": (
        in_month_folder("wording/after_commentary.j2", "本月".encode() + b"\xff\n"),
        Error("after_commentary.j2", 1, None, "第 1 行第 7 个字节")),
    "story in UTF-8 with a BOM and a GBK line": (
        in_month_folder("stories/01.md", STORY.encode("utf-8-sig") + "第二段".encode("gb18030")),
        Error("01.md", 6, None, "带 UTF-8 的 BOM 标记")),
    # a file in two encodings
    "GB18030 export with cells written as UTF-8": (gbk_export_with_utf8_cells, Error(EXPORT, 3, None, "文本第 3、4 行有 UTF-8")),
    "GBK month.yaml with a line in UTF-8": (
        in_month_folder(config.MONTH_FILE, "issue: 〔2023〕第 4 期\npublish_date: 2023-05-17\n".encode("gb18030")
                        + "bonus: [{unit: 财政局, points: 0.5, reason: 群众来信表扬}]\n".encode()),
        Error(config.MONTH_FILE, 3, None, "文本第 3 行有 UTF-8")),
    # YAML
    "month.yaml with a duplicate key": (
        month_file("issue: 〔2023〕第 4 期\nissue: 〔2023〕第 5 期\npublish_date: 2023-05-17\n"),
        Error(config.MONTH_FILE, 2, "issue", "重复: 第 1 行和第 2 行")),
    "district.yaml with a duplicate key": (
        workspace_file(config.SETTINGS_FILE, settings_text() + "district: 雨花区\n"),
        Error(config.SETTINGS_FILE, len(settings_text().splitlines()) + 1, "district", f"第 {settings_line('district')} 行和第 {len(settings_text().splitlines()) + 1} 行")),
    "story front matter with a duplicate key": (
        story("---\nunit: 财政局\ntitle: 标题\ntitle: 另一个标题\n---\n正文\n"), Error("01.md", 4, "title", "第 3 行和第 4 行")),
    "month.yaml alias bomb": (month_file(ALIAS_BOMB), Error(config.MONTH_FILE, 1, None, "别名（& 和 *）展开后超过 10000 个值")),
    "month.yaml with a harmless alias": (
        month_file("issue: &i 〔2023〕第 4 期\npublish_date: 2023-05-17\nbonus: [{unit: 财政局, points: 0.5, reason: *i}]\n"), ACCEPTED),
    # hand-edited CSV
    "city table with a ragged row": (
        in_month_folder(config.CITY_RANKING_FILE, "区,排名\n芙蓉区,1\n雨花区,2,97.6\n"),
        Error(config.CITY_RANKING_FILE, 3, None, "这一行有 3 个值，表头只有 2 列")),
    "city table with an unclosed quote": (
        in_month_folder(config.CITY_RANKING_FILE, '区,排名\n"芙蓉区,1\n'), Error(config.CITY_RANKING_FILE, 2, None, "引号不成对")),
    "city table with trailing commas (Excel)": (in_month_folder(config.CITY_RANKING_FILE, "区,排名\n芙蓉区,1,,\n"), ACCEPTED),
    "units.csv with a ragged row": (
        units(UNITS_CSV + "城市管理局,城管局,区直部门,,多余\n"), Error(config.UNITS_FILE, 6, None, "表头只有 4 列")),
    # control characters: removed with a warning where the text is only shown; refused where it must match
    "诉求类型 with a vertical tab": (
        replace_export(good_with(row("GD004", 诉求类型="小区\x0b卫生"))), [Warning("control_characters", EXPORT, 5, "诉求类型")]),
    "承办单位 with ESC and NUL": (
        replace_export(good_with(row("GD004", "财\x1b政\x00局"))), [Warning("control_characters", EXPORT, 5, "承办单位")]),
    "XLSX cells with a form feed (Excel's _x000C_)": (xlsx_with_form_feed, [Warning("control_characters", XLSX, 2, "诉求类型")]),
    "story with a form feed and a vertical tab": (
        story("---\nunit: 财政局\ntitle: 标\x0c题\n---\n正文\x0b第二行\n"),
        [Warning("control_characters", "01.md", 3), Warning("control_characters", "01.md", 5)]),
    "month.yaml with ESC": (
        month_file("issue: 〔2023〕第 4 期\x1b\npublish_date: 2023-05-17\n"), [Warning("control_characters", config.MONTH_FILE, 1)]),
    "city table with a C1 control": (
        in_month_folder(config.CITY_RANKING_FILE, "区,排名\n芙蓉区\x85,1\n"), [Warning("control_characters", config.CITY_RANKING_FILE, 2)]),
    "units.csv with a vertical tab (refused)": (
        units(UNITS_CSV.replace("韭菜园街道办事处", "韭菜园\x0b街道办事处")), Error(config.UNITS_FILE, 3, None, "控制字符（U+000B 垂直制表符）")),
    "district.yaml with a form feed (refused)": (
        workspace_file(config.SETTINGS_FILE, settings_text().replace("district: 芙蓉区", "district: 芙蓉\x0c区")),
        Error(config.SETTINGS_FILE, settings_line("district"), None, "控制字符（U+000C 换页符）")),
    "wording slot with NUL (refused)": (wording_slot("本月\x00说明。\n"), Error("after_commentary.j2", 1, None, "控制字符（U+0000 NUL 空字符）")),
    # stories
    "story title with --- in it": (story("---\nunit: 财政局\ntitle: 接诉即办---未诉先办\n---\n正文\n"), ACCEPTED),
    "story whose front matter never ends": (story("---\nunit: 财政局\ntitle: 标题\n正文\n"), Error("01.md", 1, None, "没有单独一行的 ---")),
    # bonuses
    "one unit's bonus listed twice": (
        month_file("issue: x\npublish_date: 2023-05-17\nbonus:\n  - {unit: 财政局, points: 0.5, reason: a}\n"
                   "  - {unit: 芙蓉区财政局, points: 0.5, reason: b}\n"),
        [Warning("bonus_repeated", config.MONTH_FILE, 4, "bonus[0]")]),
    "a 100-point bonus": (
        month_file("issue: x\npublish_date: 2023-05-17\nbonus:\n  - {unit: 财政局, points: 100, reason: a}\n"),
        [Warning("bonus_limit", config.MONTH_FILE, 4, "bonus[0]")]),
    "a 100-point bonus under a district's raised limit": (
        two(settings(lambda d: d.update(checks={"max_bonus": 100})),
            month_file("issue: x\npublish_date: 2023-05-17\nbonus:\n  - {unit: 财政局, points: 100, reason: a}\n")), ACCEPTED),
    "settings: checks.max_bonus (不能为负数)": (
        settings(lambda d: d.update(checks={"max_bonus": -1})), Error(config.SETTINGS_FILE, None, "checks.max_bonus", "不能为负数")),
    # unreadable workbooks
    "XLSX with a password (encrypted)": (
        replace_with_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]), XLSX), Error(XLSX, None, None, "设置了打开密码（已加密）")),
    "old .xls renamed .xlsx": (replace_with_bytes(compound_file(["Workbook"]), XLSX), Error(XLSX, None, None, "旧版 Excel（.xls）")),
    "XLSX cut off half-way": (truncated_xlsx, Error(XLSX, None, None, "文件已损坏")),
    "XLSX that is a CSV renamed": (replace_with_bytes(csv_text(GOOD).encode(), XLSX), Error(XLSX, None, None, "不是 Excel 工作簿")),
    # nothing passed over silently
    "broken link in exports": (exports_entry("2023-04.csv", "broken link"), [Warning("ignored_file", "2023-04.csv")]),
    "subfolder in exports": (exports_entry("旧导出", "folder"), [Warning("ignored_file", "旧导出")]),
    ".xlsm in exports": (exports_entry("2023-03_宏.xlsm"), [Warning("ignored_file", "2023-03_宏.xlsm")]),
    ".zip in exports": (exports_entry("导出.zip"), [Warning("ignored_file", "导出.zip")]),
    "Excel lock file in exports": (exports_entry("~$2023-03.xlsx"), [Warning("ignored_file", "~$2023-03.xlsx")]),
    "a Windows copy of a month folder": (
        lambda ws: shutil.copytree(ws / config.MONTHS_DIR / MONTH, ws / config.MONTHS_DIR / "2023-03 - 副本"),
        [Warning("ignored_folder", "2023-03 - 副本")]),
    "a loose file among the months": (workspace_file(f"{config.MONTHS_DIR}/说明.txt", "x"), [Warning("ignored_folder", "说明.txt")]),
    # copied month
    "wording slot the same as last month's": (
        two(previous_month(), wording_slot("上月的话。\n", "2023-02"), wording_slot("上月的话。\n")),
        [Warning("copied_from_previous", "after_commentary.j2")]),
    "wording slot of its own, last month's beside it": (
        two(previous_month(), wording_slot("上月的话。\n", "2023-02"), wording_slot("本月的话。\n")), ACCEPTED),
    # implausible times
    "首次联系时间 a century before 签收时间": (
        replace_export(good_with(row("GD004", 首次联系时间="1923-03-01 10:00:00"))),
        [Warning("implausible_time", EXPORT, 5, "首次联系时间")]),
    "首次联系时间 before 派单时间": (
        replace_export(good_with(row("GD004", 首次联系时间="2023-03-01 08:00:00"))),
        [Warning("implausible_time", EXPORT, 5, "首次联系时间")]),
    "回访时间 in another year": (
        replace_export(good_with(row("GD004", 回访时间="2024-03-05 15:00:00"))), [Warning("implausible_time", EXPORT, 5, "回访时间")]),
    "回访时间 before 办结时间": (
        replace_export(good_with(row("GD004", 回访时间="2023-03-02 15:00:00"))), [Warning("implausible_time", EXPORT, 5, "回访时间")]),
    "首次联系 typed as a date on the day of 派单": (replace_export(good_with(row("GD004", 首次联系时间="2023/3/1"))), ACCEPTED),
    # settings (the edits of test_settings.py)
    **{f"settings: {key} ({message or 'wrong type'})": (settings(edit), Error(config.SETTINGS_FILE, None, key, message))
       for edit, message, key in BAD_SETTINGS},
    "settings that are not YAML": (
        lambda ws: (ws / config.SETTINGS_FILE).write_text("district: 芙蓉区\nscoring: [\n", encoding="utf-8"),
        Error(config.SETTINGS_FILE, 2, None, "YAML 格式错误")),
}


def outcome_kind(outcome) -> str:
    return "error" if isinstance(outcome, Error) else "warning" if outcome else "accepted"


def check(ws: Path):
    """validate_workspace(ws) → (errors, warnings)."""
    errors, warnings, _ = validate_workspace(ws)
    return errors, warnings


@pytest.fixture
def workspace(tmp_path) -> Path:
    return make_workspace(tmp_path)


def test_the_tiny_workspace_is_clean(workspace):
    assert check(workspace) == ([], [])


def test_corpus_size():
    kinds = [outcome_kind(o) for _, o in CASES.values()]
    assert len(CASES) >= 40
    assert {k: kinds.count(k) for k in ("error", "warning", "accepted")} == {"error": 75, "warning": 38, "accepted": 37}


@pytest.mark.parametrize("case", list(CASES))
def test_outcome(workspace, case):
    build, expected = CASES[case]
    build(workspace)
    errors, warnings = check(workspace)
    if isinstance(expected, Error):
        assert len(errors) == 1, errors
        problem = errors[0]
        assert (_name(problem.file), problem.row, problem.column) == (expected.file, expected.row, expected.column), problem
        assert expected.says in problem.message
        assert problem.fix or expected.file == config.SETTINGS_FILE  # pydantic type errors say what is expected
    else:
        assert errors == []
        assert [(w.kind, _name(w.file), w.row, w.column) for w in warnings] == [
            (w.kind, w.file, w.row, w.column) for w in expected]
        assert all(w.fix for w in warnings)


def _name(file) -> str:
    return "" if file is None else Path(file).name


# Accepted cases that are the good export written another way: they must give its orders exactly.
SAME_ORDERS_AS_GOOD = [
    "fractional seconds (Java/SQL export)",
    "年月日 datetimes",
    "合　计 row (full-width space) at the bottom",
    "总 计 row (ASCII space) in a 序号 column",
    "XLSX whose <dimension> says A1",
    "XLSX with a 字段说明 sheet before the export",
]


@pytest.mark.parametrize("case", SAME_ORDERS_AS_GOOD)
def test_same_orders_as_the_good_export(workspace, case):
    good = _orders(workspace)
    CASES[case][0](workspace)
    pd.testing.assert_frame_equal(_orders(workspace), good)


def _orders(ws: Path) -> pd.DataFrame:
    """The workspace's orders as loaded (no cache), without the file name they came from."""
    registry = load_registry(ws / config.UNITS_FILE)
    return load_exports(ws / config.EXPORTS_DIR, registry).orders.drop(columns="source_file")


# --------------------------------------------------------------------------- the command line


ERROR_CASES = [c for c, (_, o) in CASES.items() if isinstance(o, Error)]


@pytest.mark.parametrize("case", ERROR_CASES)
def test_validate_command_reports_every_error_without_traceback(workspace, case, capsys):
    CASES[case][0](workspace)
    code = main(["validate", "--data", str(workspace)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "1 个错误" in out and CASES[case][1].says in out
    assert "Traceback" not in out + err


@pytest.mark.parametrize("command", [["tables", MONTH], ["run", MONTH, "--no-progress"]])
def test_commands_print_input_errors_without_traceback(workspace, tmp_path, command, capsys):
    CASES["unparseable datetime"][0](workspace)
    code = main(command + ["--data", str(workspace), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    assert all(part in err for part in [EXPORT, "第 5 行", "办结时间", "「3月3日」"])


@pytest.mark.slow
def test_run_of_a_month_copied_ahead_of_its_exports_says_what_is_missing(workspace, tmp_path, capsys):
    """The error comes from the notebook (build_bulletin): it reaches the terminal as the input error it is."""
    month_copied_ahead_of_its_exports(workspace)
    code = main(["run", "2023-04", "--flavour", "official", "--no-progress", "--data", str(workspace), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "输入有误" in err and "2023-04 没有签收的工单" in err and f"把 2023-04 的工单明细导出放进 {config.EXPORTS_DIR}" in err
    assert "Traceback" not in err and "\x1b[" not in err
    assert not (tmp_path / "out" / workspace.name / "2023-04" / "bulletin.html").exists()


def test_debug_shows_the_traceback(workspace, tmp_path):
    CASES["unparseable datetime"][0](workspace)
    with pytest.raises(InputError):
        main(["--debug", "tables", MONTH, "--data", str(workspace), "--out", str(tmp_path / "out")])


def test_unexpected_errors_are_one_line_without_debug(workspace, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("hotline.run.outputs.write_tables", lambda *a: (_ for _ in ()).throw(RuntimeError("意外")))
    code = main(["tables", MONTH, "--data", str(workspace), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "RuntimeError: 意外" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["--debug", "tables", MONTH, "--data", str(workspace), "--out", str(tmp_path / "out")])


def test_a_file_that_cannot_be_written_is_said_in_words(workspace, tmp_path, capsys, monkeypatch):
    denied = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "out" / "汇总.csv"))
    monkeypatch.setattr("hotline.run.outputs.write_tables", lambda *a: (_ for _ in ()).throw(denied))
    code = main(["tables", MONTH, "--data", str(workspace), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "没有写入权限" in err and "汇总.csv" in err and "--out" in err
    assert "Traceback" not in err and "Permission denied" not in err


@pytest.mark.parametrize("month", ["2023-13", "../x", "2023-3", "2023-03/../../x"])
def test_bad_month_rejected_before_anything_is_written(workspace, tmp_path, month, capsys):
    for command in (["tables", month], ["run", month, "--no-progress"]):
        code = main(command + ["--data", str(workspace), "--out", str(tmp_path / "out")])
        err = capsys.readouterr().err
        assert code == 2 and "格式不对" in err and "YYYY-MM" in err
    assert not (tmp_path / "out").exists()


def test_missing_workspace_is_a_clear_error(tmp_path, capsys):
    for command in (["validate"], ["tables", MONTH], ["run", MONTH]):
        assert main(command + ["--data", str(tmp_path / "nowhere")]) == 2
        assert "找不到区县工作区目录" in capsys.readouterr().err


def test_output_folder_stays_inside_the_output_root(tmp_path):
    assert config.month_output_dir(tmp_path / "ws", MONTH, tmp_path / "out") == tmp_path / "out" / "ws" / MONTH
    for month in ("../x", "2023-03/..", "..", "/etc"):
        with pytest.raises(InputError):
            config.month_output_dir(tmp_path / "ws", month, tmp_path / "out")


# --------------------------------------------------------------------------- the report


def test_report_counts_each_kind_and_lists_the_first_rows(workspace, capsys):
    rows = GOOD + [row(f"GD1{i:02d}", 办理时限="") for i in range(8)]
    replace_export(rows)(workspace)
    story("---\nunit: 财政局\ntitle: 标题\n---\n<b>加粗</b>\n")(workspace)
    assert main(["validate", "--data", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "0 个错误，2 个警告。" in out
    assert "警告 · 空的派单时间或办理时限（1 条）" in out and "8 行的办理时限为空" in out
    assert "警告 · 专栏稿件中的 HTML 标记（按文字显示）（1 条）" in out
    assert f"{config.EXPORTS_DIR}/{EXPORT}, 第 5 行" in out  # relative to the workspace
    assert str(workspace) + "/" not in out.split("\n", 1)[1]


def test_report_names_last_months_file_and_the_registered_names(workspace, capsys):
    previous_month(city=True, stories={"01.md": STORY})(workspace)
    story(STORY)(workspace)
    story("---\nunit: 市场监督局\ntitle: 标题\n---\n正文\n", "02.md")(workspace)
    assert main(["validate", "--data", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "警告 · 与上月文件完全相同的排名表、稿件或本月文字（复制后未替换？）（2 条）" in out
    assert f"与上月的 {config.MONTHS_DIR}/2023-02/{config.CITY_RANKING_FILE} 完全相同" in out
    assert f"与上月的稿件 {config.MONTHS_DIR}/2023-02/{config.STORIES_DIR}/01.md 完全相同" in out
    assert "警告 · 专栏稿件中未登记的单位（按原文显示）（1 条）" in out and "最接近的登记名称: 市场监督管理局" in out
    assert "\\n" not in out


def test_report_shows_the_first_five_of_a_kind(workspace, capsys):
    for i in range(7):
        add_file(f"2023-03_{i}.csv", (",".join(HEADER) + "\n").encode())(workspace)
    main(["validate", "--data", str(workspace)])
    out = capsys.readouterr().out
    assert "只有表头、没有工单行的文件（7 条）" in out
    assert out.count("只有表头，没有工单行") == 5 and "另有 2 条" in out


def test_no_traceback_or_personal_data_in_reports(workspace, capsys):
    replace_export(good_with(row("GD004", 满意度="很好")))(workspace)
    main(["validate", "--data", str(workspace)])
    out, err = capsys.readouterr()
    for value in [*PERSONAL_COLUMNS, "张小明", "13800138000", "楼道垃圾无人清理", "东岸小区3栋"]:
        assert value not in out + err


def test_escaped_story_in_the_bulletin_html(workspace):
    """What a story or a setting says is shown as text: no element or attribute of its own."""
    from html.parser import HTMLParser

    from hotline.bulletin import build_bulletin
    from hotline.render import sections

    CASES["story with <script>"][0](workspace)
    story("---\nunit: 财政局\ntitle: 标题\n---\n<img src=x onerror=\"alert(1)\"> [x](javascript:alert(3))\n", "02.md")(workspace)
    settings(lambda d: d.update(issuer='<img src=x onerror="alert(4)">'))(workspace)
    b = build_bulletin(MONTH, workspace)
    page = "".join(str(f) for f in (sections.section_head(b), sections.section_stories(b)))

    tags: list[tuple[str, list]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Tags().feed(page)
    assert "script" not in {t for t, _ in tags} and "img" not in {t for t, _ in tags}
    assert not [a for _, attrs in tags for a, v in attrs if a.startswith("on") or "javascript:" in (v or "")]
    assert "&lt;script&gt;" in page and "onerror" in page  # shown as the text the analyst typed
    assert re.search(r"alert\(4\)", page)



def test_an_input_error_in_the_notebook_reads_as_the_command_line_prints_it(workspace):
    """In JupyterLab (IPython) an InputError shows the CLI's message, not 25 frames of traceback."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    CASES["missing required column"][0](workspace)
    with pytest.raises(InputError) as caught:
        load_exports(workspace / config.EXPORTS_DIR, load_registry(workspace / config.UNITS_FILE))
    shell = InteractiveShell.instance()
    shell.user_ns["error"] = caught.value
    with capture_output() as shown:
        shell.run_cell("raise error")
    assert shown.stdout == caught.value.report() + "\n"
    assert shown.stdout.startswith("输入有误:\n") and "Traceback" not in shown.stdout + shown.stderr
