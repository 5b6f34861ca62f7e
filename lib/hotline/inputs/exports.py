"""Read the 工单明细 exports of one folder into one frame of orders.

Every CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX file of the folder is read as text, so
that each problem can be pointed to its file, row (as a spreadsheet shows it, header = row 1)
and column. Personal-data columns are dropped the moment a file is read. Values are then
checked (pandera for the value sets and counts, pandas for datetimes and units), typed, made
unique per (工单编号, 承办单位) inside each file, and merged across files by snapshot
precedence: the row from the file whose name sorts last wins.

All problems of all files are collected and raised as one InputError.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from hotline.errors import InputError, Problem
from hotline.inputs.cache import ExportCache
from hotline.inputs.registry import Registry
from hotline.inputs.text import CONTROL, CONTROL_BYTES, control_name, invalid_at, line_and_byte, mixed_problem, utf8_lines
from hotline.names import (
    BASICALLY_SATISFIED,
    COLUMN_SYNONYMS,
    COMPLAINT,
    COUNT_COLUMNS,
    DATETIME_COLUMNS,
    DISSATISFIED,
    EXPORT_COLUMNS,
    PERSONAL_COLUMNS,
    PRAISE,
    REQUIRED_COLUMNS,
    RESOLVED,
    SATISFACTION_VALUES,
    SATISFIED,
    TOTAL_ROW_LABELS,
    UNRESOLVED,
)

SOURCE_FILE = "source_file"
SOURCE_ROW = "source_row"
KEY = ["order_id", "unit"]
EXPORT_SUFFIXES = {".csv", ".xlsx"}
CSV_ENCODINGS = ["utf-8-sig", "gb18030"]
CSV_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "gb18030": "GB18030"}  # as messages name them
HEADER_SEARCH_ROWS = 10  # a title line above the header is tolerated
MAX_PROBLEMS_IN_MESSAGE = 50
MAX_ROWS_LISTED = 10

YES, NO = "是", "否"
DATETIME_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S.%f",  # Java and SQL exports print fractional seconds: 2024-06-24 19:39:47.0
    "%Y/%m/%d %H:%M:%S.%f",
]
# 2023年3月1日 or 2023年03月01日, alone or followed by 8时30分[15秒] or 08:30[:15]. The year is required.
CHINESE_DATETIME = re.compile(
    r"^(?P<y>\d{4})年(?P<mo>\d{1,2})月(?P<d>\d{1,2})日\s*"
    r"(?:(?P<h>\d{1,2})时(?P<mi>\d{1,2})分(?:(?P<s>\d{1,2})秒)?"
    r"|(?P<hc>\d{1,2}):(?P<mic>\d{2})(?::(?P<sc>\d{2}))?)?\Z"
)
DATETIME_FORMS_TEXT = (
    "2023-03-01 08:30:00、2023-03-01 08:30、2023/3/1 8:30、2023/3/1 8:30:00、2023-03-01、2023/3/1、"
    "2023-03-01 08:30:00.0、2023年3月1日 8时30分、2023年3月1日 08:30、2023年3月1日 或 Excel 日期单元格"
)
# Columns that should always carry a datetime; empty cells are accepted with a warning.
EXPECTED_DATETIME_COLUMNS = ["派单时间", "办理时限"]
ORDER_COLUMNS = list(EXPORT_COLUMNS.values()) + [SOURCE_FILE, SOURCE_ROW]
# (later, earlier): a row where the later event's time comes before the earlier one's is an error.
TIME_ORDER = [("签收时间", "派单时间"), ("办结时间", "签收时间")]
# Accepted with a warning (docs/spec.md, "Plausibility"): a time this far from the order's 派单时间,
# and (later, earlier) pairs the rules do not forbid but no real order shows.
PLAUSIBLE_DAYS = 366
IMPLAUSIBLE_ORDER = [("首次联系时间", "派单时间"), ("回访时间", "办结时间")]


@dataclass
class LoadResult:
    orders: pd.DataFrame  # one row per (order_id, unit) after snapshot precedence
    warnings: list[Problem] = field(default_factory=list)  # accepted-with-warning items
    files: list[Path] = field(default_factory=list)  # files read, in precedence order


# --------------------------------------------------------------------------- reading


def export_files(folder: Path) -> list[Path]:
    """The export files of a folder in precedence order (name order: the last one wins)."""
    return sorted(
        (p for p in Path(folder).iterdir()
         if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES
         and not p.name.startswith((".", "~$"))),
        key=lambda p: p.name,
    )


def ignored_exports(folder: Path) -> list[Problem]:
    """A warning for each entry of the exports folder that is not read: nothing is passed over silently.

    Hidden files (a name starting with ".", as the system keeps them) are the only ones left out.
    """
    warnings = []
    for p in sorted(Path(folder).iterdir(), key=lambda p: p.name):
        suffix = p.suffix.lower()
        if p.name.startswith(".") or (p.is_file() and suffix in EXPORT_SUFFIXES and not p.name.startswith("~$")):
            continue
        if suffix == ".xls" and p.is_file():
            warnings.append(Problem(p, "不支持旧版 Excel（.xls）文件，已跳过", fix="请在 Excel 中另存为 .xlsx", kind="xls_skipped"))
            continue
        if p.is_symlink() and not p.exists():
            why, fix = "是指向不存在文件的链接（快捷方式），已忽略", "删除这个链接，把文件本身放进来"
        elif p.is_dir():
            why, fix = "是子文件夹，其中的文件不会读取", "把要用的导出文件直接放在 exports 文件夹中，不用的移走"
        elif p.name.startswith("~$"):
            why, fix = "是 Excel 打开文件时留下的临时文件，已忽略", "关闭 Excel 后它会消失；Excel 已关闭的话删除它"
        elif suffix == ".xlsm":
            why, fix = "是带宏的工作簿（.xlsm），不读取", "在 Excel 中另存为 .xlsx"
        elif suffix in (".zip", ".rar", ".7z"):
            why, fix = "是压缩包，不读取其中的文件", "解压后把导出文件放进 exports 文件夹，再删除压缩包"
        else:
            why, fix = "不是工单明细（只读 .csv 和 .xlsx），已忽略", "不用的文件请移出 exports 文件夹"
        warnings.append(Problem(p, why, fix=fix, kind="ignored_file"))
    return warnings


def read_export(path: Path, warnings: list[Problem] | None = None) -> pd.DataFrame:
    """One export file -> frame of text cells ("" when empty) with the file's headers.

    Cells of the known export columns are stripped, except datetime cells (checked later).
    Adds `source_row`, the 1-based row number a spreadsheet shows (header = row 1). Personal-data
    columns are dropped at once; fully empty rows, 合计 rows and columns without a header are
    left out; columns named as other platform versions name them are renamed. What was accepted
    that way is appended to `warnings`. Raises InputError for files that cannot be read.
    """
    path = Path(path)
    warnings = [] if warnings is None else warnings
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table, found = _read_csv_table(path)
        controls = CONTROL if found else None
    elif suffix == ".xlsx":
        table, controls = _read_xlsx_table(path, warnings), XLSX_CONTROL
    else:
        raise InputError(Problem(path, f"不支持的文件类型「{path.suffix}」", fix="请导出为 .csv 或 .xlsx"))
    return _frame_from_table(path, table, warnings, controls)


def _read_csv_table(path: Path) -> tuple[pd.DataFrame, bool]:
    """The file's cells, and whether they may hold control characters (a scan of the bytes says)."""
    data = path.read_bytes()
    controls = CONTROL_BYTES.search(data) is not None
    for encoding in CSV_ENCODINGS:
        try:
            table = pd.read_csv(io.BytesIO(data), encoding=encoding, header=None, dtype=object,
                                names=range(_csv_width(data, encoding)), na_filter=False, skip_blank_lines=False)
        except UnicodeDecodeError:
            if _header_reads_in(data, encoding):
                # The file is in this encoding and damaged further on: GB18030 accepts most byte
                # sequences, so reading on in it would only turn the header into mojibake.
                raise InputError(_encoding_problem(path, data, [encoding])) from None
            continue
        except pd.errors.EmptyDataError:
            return pd.DataFrame(), False
        except pd.errors.ParserError as exc:
            raise InputError(_parser_problem(path, str(exc))) from None
        if encoding == "gb18030":
            # Only GB18030 reads the file: text written as UTF-8 in it reads as mojibake, without a word.
            problem = mixed_problem(path, data, mixed) if (mixed := utf8_lines(data)) else None
            if problem is not None:
                raise InputError(problem)
        return table, controls
    raise InputError(_encoding_problem(path, data, CSV_ENCODINGS))


_PANDAS_LINE = re.compile(r"(?:line|row) (\d+)")


def _parser_problem(path: Path, message: str) -> Problem:
    """pandas' CSV parser error in words, with the line it names (pandas' own text is not shown)."""
    found = _PANDAS_LINE.search(message)
    line = int(found.group(1)) + (1 if "row" in found.group(0) else 0) if found else None  # "row" counts from 0
    if "EOF inside string" in message:
        what, fix = "有一个英文双引号没有结束，其后的内容都读成了一个单元格", "补上结束的英文双引号，或删除多余的引号"
    else:
        what, fix = "这一行的值比表头多", "删去多余的逗号；内容本身含逗号时用英文双引号把它括起来"
    return Problem(path, f"CSV 格式错误: {what}" + (f"（从文本第 {line} 行起）" if line else ""), row=line,
                   fix=fix + "；平台导出的文件请重新导出")


def _header_reads_in(data: bytes, encoding: str) -> bool:
    """Whether the text before the first byte `encoding` cannot decode holds an export column's name."""
    text = data[:invalid_at(data, encoding)].decode(encoding)
    return any(name in text for name in [*EXPORT_COLUMNS, *COLUMN_SYNONYMS])


def _encoding_problem(path: Path, data: bytes, encodings: list[str]) -> Problem:
    """Where the file stops being valid in `encodings` (the file's own, or every one tried).

    Of several, the encoding that reads further comes first: it is most likely the file's, and the place
    where it stops most likely a damaged row (or one pasted in from a file in another encoding). Only
    positions are named, never the text around them (it may be personal data).
    """
    stops = sorted(((invalid_at(data, e), CSV_ENCODING_NAMES[e], e) for e in encodings), key=lambda s: -s[0])
    offset, name, encoding = stops[0]
    if offset >= len(data):  # not expected: pandas found the file invalid
        return Problem(path, "无法识别文件编码（既不是 UTF-8 也不是 GB18030）",
                       fix="请用 UTF-8 或 GB18030 编码另存为 CSV，或另存为 .xlsx")
    line, byte = line_and_byte(data, offset)
    where = f"文本第 {line} 行第 {byte} 个字节（全文件第 {offset + 1} 个字节，0x{data[offset]:02X}）"
    fix = f"用文本编辑器打开，查看第 {line} 行的这个位置是否损坏或混入了其他编码的文字，改正或删除后另存为 {name}"
    row = _csv_row(data, offset, encoding)
    if len(stops) == 1:
        return Problem(path, f"文件是 {name} 编码（表头按 {name} 可读），但从{where}起不是有效的 {name}", row=row, fix=fix)
    other_offset, other_name, _ = stops[1]
    if other_offset == offset:
        read = f"按 {name} 或 {other_name} 读取，都从{where}起无效"
    else:
        other_line, other_byte = line_and_byte(data, other_offset)
        read = f"按 {name} 读取，从{where}起无效；按 {other_name} 读取，从文本第 {other_line} 行第 {other_byte} 个字节起无效"
    return Problem(path, f"无法识别文件编码（既不是 UTF-8 也不是 GB18030）: {read}", row=row,
                   fix=f"{fix}；如整个文件是其他编码（如 UTF-16），请用 UTF-8 或 GB18030 编码另存为 CSV，或另存为 .xlsx")


def _csv_row(data: bytes, offset: int, encoding: str) -> int | None:
    """The spreadsheet row (CSV record, 1-based) that byte `offset` is in; None if the text before it is no CSV.

    A record may span lines (a quoted cell with line breaks). A character put in place of the invalid
    byte lands in the record the byte belongs to, so the records of the valid text so far are counted with it.
    """
    try:
        return sum(1 for _ in csv.reader(io.StringIO(data[:offset].decode(encoding) + "x")))
    except csv.Error:
        return None


def _csv_width(data: bytes, encoding: str) -> int:
    """Fields in the widest of the top lines, so that a short title line above the header parses."""
    head = data[:65536].decode(encoding, errors="ignore").splitlines()[:HEADER_SEARCH_ROWS + 1]
    return max((len(fields) for fields in csv.reader(head)), default=1)


def _read_xlsx_table(path: Path, warnings: list[Problem]) -> pd.DataFrame:
    """The cells of the export sheet. Formulas are read as the values Excel saved with them."""
    # openpyxl only for XLSX exports
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException, ...
        raise InputError(_unreadable_workbook(path)) from None
    try:
        for sheet in book.worksheets:
            # The <dimension> tag is optional and streaming writers leave it wrong (ref="A1");
            # read-only mode would trust it and read only that range, so read every row as saved.
            sheet.reset_dimensions()
        sheet = _export_sheet(path, book, warnings)
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        return pd.DataFrame()
    raw = pd.DataFrame(_padded(rows), dtype=object)
    return pd.DataFrame({c: _cells_to_text(raw[c]) for c in raw.columns})


# In XLSX, whose XML cannot hold control characters, Excel writes them escaped (_x000B_; openpyxl keeps the
# escape as text): those escapes, and any control character another writer put in, are removed.
XLSX_CONTROL = re.compile(f"_x00(?:0[0-8BbCcEeFf]|1[0-9A-Fa-f]|7[Ff])_|{CONTROL.pattern}")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: old .xls, or an encrypted .xlsx


def _unreadable_workbook(path: Path) -> Problem:
    """Why openpyxl cannot open a .xlsx: encrypted, an old .xls renamed, damaged, or no workbook at all.

    An .xlsx is a zip package. Excel saves a password-protected one, and an old .xls, as a compound
    file (OLE) instead: the names of its streams, stored in UTF-16 in its directory, tell them apart
    (EncryptedPackage holds an encrypted workbook, Workbook or Book an .xls one).
    """
    data = path.read_bytes()
    if data.startswith(OLE_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return Problem(path, "无法打开 Excel 文件: 工作簿设置了打开密码（已加密）",
                           fix="在 Excel 中用密码打开，「文件 → 信息 → 保护工作簿 → 用密码进行加密」清除密码后保存，或另存为无密码的 .xlsx")
        if any(name.encode("utf-16-le") in data for name in ("Workbook", "Book")):
            return Problem(path, "无法打开 Excel 文件: 这是旧版 Excel（.xls）工作簿，只是扩展名改成了 .xlsx",
                           fix="在 Excel 中打开，「另存为 → Excel 工作簿（*.xlsx）」")
        return Problem(path, "无法打开 Excel 文件: 这是其他 Office 文档（如 .doc），不是工作簿", fix="放入平台导出的工单明细 .xlsx 或 .csv")
    if data.startswith(b"PK"):
        return Problem(path, "无法打开 Excel 文件: 文件已损坏（压缩包不完整或不是工作簿，如下载或复制时中断）",
                       fix="重新从平台导出或重新复制；在 Excel 中能打开的话另存为 .xlsx")
    return Problem(path, "无法打开 Excel 文件: 文件内容不是 Excel 工作簿（可能是改了扩展名的其他文件）",
                   fix="确认导出的是 .xlsx；CSV 文件请用 .csv 扩展名")


def _padded(rows: list[tuple]) -> list[tuple]:
    """Rows made one length: a sheet read without its dimension gives each row only as far as its last cell."""
    width = max(map(len, rows))
    return [r if len(r) == width else tuple(r) + (None,) * (width - len(r)) for r in rows]


def _export_sheet(path: Path, book: Any, warnings: list[Problem]) -> Any:
    """The first sheet whose header has every required column; warns if several have one.

    Other sheets (a 字段说明 or 填表说明 before the export) are passed over. A workbook of one sheet is
    read whatever its header, so that the column check says what it lacks; in a workbook of several
    where no sheet has a complete header, the error names every sheet and its header.
    """
    sheets = book.worksheets
    tops = [list(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)) for sheet in sheets]
    found = [sheet for sheet, top in zip(sheets, tops) if _complete_header(top) is not None]
    if len(found) > 1:
        names = "、".join(f"「{s.title}」" for s in found)
        warnings.append(Problem(path, f"有 {len(found)} 个工作表的表头包含全部必需的列（{names}），只读取了「{found[0].title}」",
                                fix="每个文件只放一个工单明细表；其他表请另存为单独的文件", kind="several_sheets"))
    if found:
        return found[0]
    if len(sheets) == 1:
        return sheets[0]
    described = "；".join(_sheet_header_text(sheet.title, top) for sheet, top in zip(sheets, tops))
    raise InputError(Problem(path, f"没有一个工作表的表头包含全部必需的列。各工作表: {described or '（无）'}",
                             fix=f"确认导出的是工单明细；其所在工作表的表头须包含: {'、'.join(REQUIRED_COLUMNS)}"))


def _sheet_header_text(title: str, top: list) -> str:
    """「title」第 N 行: its header names（what it lacks）, for the error naming every sheet's header."""
    pos = _header_index(top)
    if pos is None:  # no 工单编号 anywhere near the top: show the first row with anything in it
        pos = next((i for i, cells in enumerate(top) if any(_header_names(cells))), None)
    if pos is None:
        return f"「{title}」前 {HEADER_SEARCH_ROWS} 行为空"
    shown = [n for n in ("" if c is None else str(c).strip() for c in top[pos]) if n and n not in PERSONAL_COLUMNS]
    names = set(_header_names(top[pos]))
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    lacks = f"缺少: {'、'.join(missing)}" if "工单编号" in names else "没有工单编号列"
    return f"「{title}」第 {pos + 1} 行为 {'、'.join(shown)}（{lacks}）"


def _cells_to_text(cells: pd.Series) -> pd.Series:
    """openpyxl cell values -> text. Date cells -> 'YYYY-MM-DD HH:MM:SS' (rounded to the second)."""
    kinds = cells.map(type)
    out = pd.Series("", index=cells.index, dtype=object)
    is_str = kinds == str  # noqa: E721 - a Series of types, compared element-wise
    out[is_str] = cells[is_str]
    is_dt = kinds.isin([dt.datetime, pd.Timestamp])
    if is_dt.any():
        out[is_dt] = pd.to_datetime(cells[is_dt].tolist()).round("s").strftime("%Y-%m-%d %H:%M:%S")
    is_date = kinds == dt.date
    if is_date.any():
        out[is_date] = cells[is_date].map(lambda d: d.strftime("%Y-%m-%d"))
    other = ~(is_str | is_dt | is_date) & cells.notna()
    if other.any():
        out[other] = cells[other].map(_number_text)
    return out


def _number_text(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_names(cells: Iterable[object]) -> list[str]:
    """A row's cells as column names: text stripped, names other platform versions use read as ours."""
    names = ("" if cell is None else str(cell).strip() for cell in cells)
    return [COLUMN_SYNONYMS.get(name, name) for name in names]


def _complete_header(top: list) -> int | None:
    """Position among the `top` rows of the first row holding every required column, or None."""
    return next((i for i, cells in enumerate(top[:HEADER_SEARCH_ROWS])
                 if set(_header_names(cells)).issuperset(REQUIRED_COLUMNS)), None)


def _header_index(top: list) -> int | None:
    """Position among the `top` rows of the header: the first row with every required column, else the
    first with a 工单编号 cell (its missing columns are then reported); None when no row has either."""
    complete = _complete_header(top)
    if complete is not None:
        return complete
    return next((i for i, cells in enumerate(top[:HEADER_SEARCH_ROWS]) if "工单编号" in _header_names(cells)), None)


def _header_position(table: pd.DataFrame) -> int:
    """0-based position of the header row among the table's top rows (see _header_index); 0 if none."""
    pos = _header_index([table.iloc[i].tolist() for i in range(min(HEADER_SEARCH_ROWS, len(table)))])
    return 0 if pos is None else pos


def _column_names(path: Path, header: list[str], row: int, warnings: list[Problem]) -> dict[int, str]:
    """Header position -> column name kept: personal-data and unnamed columns left out, synonyms renamed."""
    keep: dict[int, str] = {}
    problems = []
    for pos, name in enumerate(header):
        if not name or name in PERSONAL_COLUMNS:
            continue  # personal data and unnamed columns are never kept
        if name in COLUMN_SYNONYMS:
            canonical = COLUMN_SYNONYMS[name]
            if canonical in header:
                problems.append(Problem(path, f"表头同时有「{name}」和「{canonical}」，它们是同一列的新旧名称", row=row,
                                        column=name, fix=f"只保留一列: 删除「{name}」或「{canonical}」"))
                continue
            warnings.append(Problem(path, f"列「{name}」按「{canonical}」读取（平台升级后的列名）", row=row, column=name,
                                    fix=f"无需处理；如有疑问，核对该列确是{canonical}", kind="column_synonym"))
            name = canonical
        if name in keep.values():
            if name in EXPORT_COLUMNS:
                problems.append(Problem(path, f"列「{name}」在表头中出现了不止一次", row=row,
                                        column=name, fix="删除多余的同名列"))
            continue
        keep[pos] = name
    if problems:
        raise InputError(problems)
    return keep


def _remove_controls(path: Path, frame: pd.DataFrame, warnings: list[Problem], pattern: re.Pattern) -> None:
    """Take control characters (`pattern`) out of the kept cells, before they are stripped (Python counts
    some as spaces), so that no writer sees them; a warning per column names the rows."""
    for name in [c for c in frame.columns if c != SOURCE_ROW]:
        cells = frame[name]
        hit = cells.str.contains(pattern).to_numpy(dtype=bool)
        if not hit.any():
            continue
        rows = frame[SOURCE_ROW].to_numpy()[hit]
        found = "、".join(sorted({control_name(_control_char(c)) for text in cells[hit] for c in pattern.findall(text)}))
        frame.loc[hit, name] = cells[hit].str.replace(pattern, "", regex=True)
        warnings.append(Problem(path, f"{len(rows)} 个单元格含控制字符（{found}），已删除（第 {_rows_text(rows)} 行）",
                                row=int(rows[0]), column=name, kind="control_characters",
                                fix="无需处理；这些看不见的字符会让 Word 等无法写出，已从读到的文字中去掉"))


def _control_char(found: str) -> str:
    """A control character as found: itself, or its XLSX escape _x000B_."""
    return chr(int(found[2:6], 16)) if len(found) > 1 else found


def _drop_total_rows(path: Path, frame: pd.DataFrame, warnings: list[Problem]) -> pd.DataFrame:
    """Leave out 合计/总计 lines: 工单编号 reads 合计, or is empty with 合计 in another cell (a 序号 column).

    Spaces between the characters (合　计, 总 计: how Chinese tables lay out a two-character label) do not count.
    """
    if "工单编号" not in frame.columns:
        return frame
    order_id = frame["工单编号"]  # already stripped
    total = pd.Series(False, index=frame.index)
    # Only the few rows that may be total rows are looked at closely (a million-row file has none).
    labelled = order_id.str.startswith(tuple({label[0] for label in TOTAL_ROW_LABELS}))
    total[labelled] = _is_total_label(order_id[labelled])
    empty = order_id == ""
    total[empty] = frame.loc[empty, [c for c in frame.columns if c != SOURCE_ROW]].apply(_is_total_label).any(axis=1)
    rows = frame.loc[total.index[total], SOURCE_ROW]
    for row in rows:
        warnings.append(Problem(path, f"第 {row} 行是合计行，不是工单，已跳过", row=int(row), column="工单编号",
                                fix="无需处理", kind="total_row"))
    return frame.drop(index=total.index[total])


def _is_total_label(cells: pd.Series) -> pd.Series:
    """Which text cells read 合计, 总计 … once the spaces inside them are taken out."""
    return cells.str.replace(r"\s+", "", regex=True).isin(TOTAL_ROW_LABELS)


def _frame_from_table(path: Path, table: pd.DataFrame, warnings: list[Problem],
                      controls: re.Pattern | None = CONTROL) -> pd.DataFrame:
    """Locate the header row, name the columns, drop personal data and 合计 rows, number the rows.

    With `controls` (the file may hold control characters: the pattern that finds them), they are
    removed from the kept cells, a warning per column naming the rows.
    """
    if table.empty:
        raise InputError(Problem(path, "文件为空", fix="请放入含表头和数据的工单明细导出文件"))
    header_pos = _header_position(table)
    header = [str(h).strip() for h in table.iloc[header_pos].tolist()]
    body = table.iloc[header_pos + 1:]
    keep = _column_names(path, header, header_pos + 1, warnings)
    frame = body[[table.columns[pos] for pos in keep]].set_axis(list(keep.values()), axis=1)
    frame[SOURCE_ROW] = (body.index.to_numpy() + 1).astype("int64")  # position 0 is spreadsheet row 1
    if controls is not None:
        _remove_controls(path, frame, warnings, controls)
    for name in frame.columns.intersection(list(EXPORT_COLUMNS)).difference(DATETIME_COLUMNS):
        frame[name] = frame[name].str.strip()  # datetimes: only text that fails to parse is stripped
    # Leave out fully empty rows (trailing rows of a sheet, blank lines of a CSV).
    values = [c for c in frame.columns if c != SOURCE_ROW]
    maybe_empty = pd.Series(True, index=frame.index)
    for name in [c for c in ("工单编号", "承办单位") if c in frame.columns] or values:
        maybe_empty &= frame[name] == ""
    if maybe_empty.any():
        candidates = frame.loc[maybe_empty, values]
        empty = (candidates == "").all(axis=1)
        frame = frame.drop(index=empty.index[empty])
    return _drop_total_rows(path, frame, warnings).reset_index(drop=True)


# --------------------------------------------------------------------------- checking

_CHECK_TEXT = {
    # check name -> (message with {value}, fix)
    "not_empty": ("为空", "每行都必须填写工单编号和承办单位"),
    "resolved_values": ("「{value}」不是有效的是否解决", f"应为「{RESOLVED}」「{UNRESOLVED}」或留空（未回访）"),
    "satisfaction_values": ("「{value}」不是有效的满意度",
                            f"应为「{SATISFIED}」「{BASICALLY_SATISFIED}」「{DISSATISFIED}」或留空（未回访）"),
    "supervised_values": ("「{value}」不是有效的重点督办标记", f"应为「{YES}」「{NO}」或留空（视为否）"),
    "business_env_values": ("「{value}」不是有效的营商环境类别", f"应为「{PRAISE}」「{COMPLAINT}」或留空"),
    "count": ("「{value}」不是非负整数", "次数应为 0、1、2 …… 这样的非负整数，留空视为 0"),
    "visited_needs_resolved": ("有回访时间但是否解决为空", f"已回访的工单须填写「{RESOLVED}」或「{UNRESOLVED}」"),
    "visited_needs_satisfaction": ("有回访时间但满意度为空",
                                   f"已回访的工单须填写「{SATISFIED}」「{BASICALLY_SATISFIED}」或「{DISSATISFIED}」"),
}
_DF_CHECK_COLUMN = {"visited_needs_resolved": "是否解决", "visited_needs_satisfaction": "满意度"}


@functools.cache
def _schemas() -> tuple:
    """The pandera schemas of the value checks: (per column, per visited row).

    Built on first use: pandera takes a tenth of a second to import, and a run whose
    exports all come from the cache never parses a file.
    """
    # pandera only when a file is parsed (a second to import; cached runs skip it)
    import pandera.pandas as pa

    def fullmatch(pattern: str, name: str) -> pa.Check:
        """Regex check evaluated once per distinct value (counts have few distinct values)."""
        regex = re.compile(pattern)

        def check(s: pd.Series) -> pd.Series:
            good = [v for v in pd.unique(s) if regex.fullmatch(v)]
            return s.isin(good)

        return pa.Check(check, name=name)

    def isin(values: list[str], name: str) -> pa.Check:
        allowed = set(values) | {""}
        return pa.Check(lambda s: s.isin(allowed), name=name)

    values = pa.DataFrameSchema(
        {
            "工单编号": pa.Column(nullable=True, checks=pa.Check(lambda s: s.astype(bool), name="not_empty")),
            "承办单位": pa.Column(nullable=True, checks=pa.Check(lambda s: s.astype(bool), name="not_empty")),
            "是否解决": pa.Column(nullable=True, checks=isin([RESOLVED, UNRESOLVED], "resolved_values")),
            "满意度": pa.Column(nullable=True, checks=isin(SATISFACTION_VALUES, "satisfaction_values")),
            "重点督办": pa.Column(nullable=True, checks=isin([YES, NO], "supervised_values")),
            "营商环境类别": pa.Column(nullable=True, checks=isin([PRAISE, COMPLAINT], "business_env_values")),
            **{c: pa.Column(nullable=True, checks=fullmatch(r"\d{0,9}", "count")) for c in COUNT_COLUMNS},
        },
        strict=False,
        coerce=False,
    )
    # Row-level rules, validated on just the columns they read (pandera scans the whole frame
    # it is given for each failing frame-level check).
    visits = pa.DataFrameSchema(
        {"回访时间": pa.Column(nullable=True), "是否解决": pa.Column(nullable=True), "满意度": pa.Column(nullable=True)},
        checks=[
            pa.Check(lambda d: (d["回访时间"] == "") | (d["是否解决"] != ""), name="visited_needs_resolved"),
            pa.Check(lambda d: (d["回访时间"] == "") | (d["满意度"] != ""), name="visited_needs_satisfaction"),
        ],
        strict=False,
        coerce=False,
    )
    return values, visits


def _value_problems(path: Path, text: pd.DataFrame) -> list[Problem]:
    """pandera value checks on the text frame (indexed by source row) -> Problems."""
    # pandera only when a file is parsed (a second to import; cached runs skip it)
    from pandera.errors import SchemaErrors

    cases = []
    for schema in _schemas():
        try:
            schema.validate(text[list(schema.columns)], lazy=True)
        except SchemaErrors as exc:
            cases.append(exc.failure_cases)
    if not cases:
        return []
    problems = []
    for case in pd.concat(cases, ignore_index=True).itertuples(index=False):
        name = case.check
        if name not in _CHECK_TEXT or pd.isna(case.index):
            problems.append(Problem(path, f"数据检查未通过: {name}", column=case.column))
            continue
        column = _DF_CHECK_COLUMN.get(name, case.column)
        if name in _DF_CHECK_COLUMN and case.column != column:
            continue  # a frame-level check reports every column of the failing row; keep one
        message, fix = _CHECK_TEXT[name]
        value = "" if pd.isna(case.failure_case) else str(case.failure_case)
        problems.append(Problem(path, message.format(value=value), row=int(case.index), column=column, fix=fix))
    return problems


def _blank(s: pd.Series) -> pd.Series:
    """Empty-text mask of a column of str cells (truthiness is a fast C loop, unlike == "")."""
    return pd.Series(~s.to_numpy(dtype=bool), index=s.index)


def _parse_datetimes(text: pd.Series, blank: pd.Series) -> pd.Series:
    """Text in any accepted form -> datetime64; NaT for empty and for unparseable text.

    Each parser is tried on the values the ones before it left, the parser that reads the first value
    going first: a column is normally in one form, and a parser that fails on a whole column costs
    about as much as one that reads it. No two forms fit the same text, so the order changes only the time.
    """
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    todo = ~blank.to_numpy()
    if not todo.any():
        return result
    for parse in _parsers_for(text.iloc[todo.argmax()]):
        if not todo.any():
            break
        parsed = parse(text[todo])
        ok = parsed.notna().to_numpy()
        positions = todo.nonzero()[0][ok]
        result.iloc[positions] = parsed[ok].astype("datetime64[us]").to_numpy()
        todo[positions] = False
    return result


def _parse_format(fmt: str) -> Callable[[pd.Series], pd.Series]:
    """A parser of one strptime format: text -> datetimes, NaT where the text is not in that form."""
    return functools.partial(pd.to_datetime, format=fmt, errors="coerce")


def _parse_chinese(text: pd.Series) -> pd.Series:
    """年月日 text (CHINESE_DATETIME) -> datetimes, NaT for other text.

    The text is rewritten to the dash form and parsed strictly, so 2023年2月30日 or 25时 stay unparsed.
    The rewrite is a Python call per value: it only ever sees values that the formats did not read
    (or a column written in this form).
    """
    dashed = text.str.replace(CHINESE_DATETIME, _dash_form, regex=True)
    return pd.to_datetime(dashed.where(dashed != text), format="%Y-%m-%d %H:%M:%S", errors="coerce")


def _dash_form(match: re.Match) -> str:
    """One CHINESE_DATETIME match -> 'Y-M-D H:M:S' (a missing time is midnight, missing seconds 0)."""
    hour, minute, second = match.group("h", "mi", "s") if match["h"] else match.group("hc", "mic", "sc")
    return f"{match['y']}-{match['mo']}-{match['d']} {hour or 0}:{minute or 0}:{second or 0}"


DATETIME_PARSERS = [_parse_format(fmt) for fmt in DATETIME_FORMATS] + [_parse_chinese]


def _parsers_for(sample: str) -> list:
    """DATETIME_PARSERS, the first one that reads `sample` moved to the front."""
    probe = pd.Series([sample], dtype=object)
    for i, parse in enumerate(DATETIME_PARSERS):
        if pd.notna(parse(probe).iloc[0]):
            return [parse] + DATETIME_PARSERS[:i] + DATETIME_PARSERS[i + 1:]
    return DATETIME_PARSERS


def _rows_text(rows: Iterable[object]) -> str:
    """Rows (their numbers) as the messages list them: the first MAX_ROWS_LISTED and how many in all."""
    rows = list(rows)
    shown = "、".join(str(r) for r in rows[:MAX_ROWS_LISTED])
    return shown + (f" 等 {len(rows)} 行" if len(rows) > MAX_ROWS_LISTED else "")


def _check_file(path: Path, raw: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame | None, list[Problem], list[Problem]]:
    """One file's text frame -> (typed orders, problems, warnings). Orders is None on problems."""
    found = [c for c in raw.columns if c != SOURCE_ROW]
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if missing:
        return None, [Problem(path, f"缺少必需的列: {'、'.join(missing)}；文件中的列为: {'、'.join(found) or '（无）'}",
                              row=1, fix=f"表头须包含: {'、'.join(REQUIRED_COLUMNS)}")], []
    if raw.empty:
        return None, [], [Problem(path, "文件只有表头，没有工单行", fix="如导出时漏选了数据，请重新导出", kind="header_only")]
    text = pd.DataFrame({c: raw[c] if c in raw.columns else "" for c in EXPORT_COLUMNS}, index=raw.index, dtype=object)
    text.index = raw[SOURCE_ROW].to_numpy()
    blank = {c: _blank(text[c]) for c in EXPORT_COLUMNS}
    stamps = _parse_stamps(text, blank)
    units = text["承办单位"].map(registry.lookup)  # full names, short names and aliases resolved
    drop, dup_problems, dup_warnings = _duplicate_keys(path, text, blank, units, stamps)
    problems = [*_value_problems(path, text), *_datetime_problems(path, text, blank, stamps),
                *_time_order_problems(path, text, stamps), *_unit_problems(path, text, blank, units, registry), *dup_problems]
    warnings = [*_implausible_times(path, stamps), *_empty_value_warnings(path, text, blank), *dup_warnings]
    order = {c: i for i, c in enumerate(EXPORT_COLUMNS)}
    problems.sort(key=lambda p: (p.row or 0, order.get(p.column or "", -1)))
    if problems:
        return None, problems, warnings
    orders = _typed(text, blank, units, stamps)[~drop.to_numpy()].reset_index(drop=True)
    orders[SOURCE_FILE] = path.name
    return orders, problems, warnings


def _parse_stamps(text: pd.DataFrame, blank: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """Each datetime column of a file's text frame -> datetimes in every accepted form, NaT where empty or unreadable.

    Datetime cells are not stripped on read (costly for a million rows): cells that fit no form
    are stripped in `text` (and `blank` updated) and tried again.
    """
    stamps = {}
    for c in DATETIME_COLUMNS:
        stamps[c] = parsed = _parse_datetimes(text[c], blank[c])
        rest = parsed.isna() & ~blank[c]
        if rest.any():
            text.loc[rest, c] = text.loc[rest, c].str.strip()
            blank[c] = _blank(text[c])
            parsed[rest] = _parse_datetimes(text.loc[rest, c], blank[c][rest])
    return stamps


def _datetime_problems(path: Path, text: pd.DataFrame, blank: dict[str, pd.Series], stamps: dict[str, pd.Series]) -> list[Problem]:
    """One problem per datetime cell that fits none of the accepted forms."""
    problems = []
    for c in DATETIME_COLUMNS:
        bad = stamps[c].isna() & ~blank[c]
        for row, value in text.loc[bad, c].items():
            problems.append(Problem(path, f"「{value}」不是可识别的日期时间", row=int(row), column=c,
                                    fix=f"可用的写法: {DATETIME_FORMS_TEXT}"))
    return problems


def _empty_value_warnings(path: Path, text: pd.DataFrame, blank: dict[str, pd.Series]) -> list[Problem]:
    """Warnings (a column's rows listed once) for empty times a score item needs (EXPECTED_DATETIME_COLUMNS),
    and for 是否解决 or 满意度 given with no 回访时间."""
    warnings = []
    for c in EXPECTED_DATETIME_COLUMNS:
        empty = text.index[blank[c] & ~blank["工单编号"]]
        if len(empty):
            warnings.append(Problem(path, f"{len(empty)} 行的{c}为空（第 {_rows_text(empty)} 行），相关评分项不计这些行",
                                    row=int(empty[0]), column=c, fix=f"如有遗漏，请在导出中补全{c}",
                                    kind="empty_datetime"))
    for c in ["是否解决", "满意度"]:
        stray = text.index[blank["回访时间"] & ~blank[c]]
        if len(stray):
            warnings.append(Problem(path, f"{len(stray)} 行没有回访时间却填写了{c}（第 {_rows_text(stray)} 行），"
                                          "这些行不计入回访统计", row=int(stray[0]), column=c,
                                    fix="如已回访，请补全回访时间", kind="stray_visit_value"))
    return warnings


def _unit_problems(path: Path, text: pd.DataFrame, blank: dict[str, pd.Series], units: pd.Series,
                   registry: Registry) -> list[Problem]:
    """One problem per 承办单位 name the registry does not know (`units`: the names resolved, NaN
    where unknown), its rows and the closest registered names listed."""
    problems = []
    unknown = units.isna() & ~blank["承办单位"]
    names = text.loc[unknown, "承办单位"]
    for name, rows in names.groupby(names, sort=False):
        close = registry.closest(name)
        hint = f"最接近的登记名称: {'、'.join(close)}" if close else "名册中没有相近的名称"
        where = f"（第 {_rows_text(rows.index)} 行）" if len(rows) > 1 else ""
        problems.append(Problem(path, f"承办单位「{name}」未在单位名册中登记{where}；{hint}",
                                row=int(rows.index[0]), column="承办单位",
                                fix="改为名册中的全称或简称，或在 units.csv 中为该单位登记别名"))
    return problems


def _duplicate_keys(path: Path, text: pd.DataFrame, blank: dict[str, pd.Series], units: pd.Series,
                    stamps: dict[str, pd.Series]) -> tuple[pd.Series, list[Problem], list[Problem]]:
    """Keys unique inside a file: (rows to drop as repeats, problems, warnings) of _unique_keys.

    Compared on values as understood (unit resolved, datetimes parsed, empty counts as 0), so that
    a file with other problems still gets this check too.
    """
    key = pd.DataFrame({"工单编号": text["工单编号"], "承办单位": units.fillna(text["承办单位"])})
    dup = key.duplicated(keep=False) & ~(blank["工单编号"] | blank["承办单位"])
    drop = pd.Series(False, index=text.index)
    if not dup.any():
        return drop, [], []
    compare = text[dup].copy()
    compare["承办单位"] = key.loc[dup, "承办单位"]
    for c in DATETIME_COLUMNS:
        compare[c] = stamps[c][dup].astype(object).where(stamps[c][dup].notna(), text.loc[dup, c])
    for c in COUNT_COLUMNS:
        compare[c] = text.loc[dup, c].mask(blank[c][dup], "0")
    compare["重点督办"] = text.loc[dup, "重点督办"].mask(blank["重点督办"][dup], NO)
    drop_rows, problems, warnings = _unique_keys(path, compare)
    drop[drop_rows] = True
    return drop, problems, warnings


def _time_order_problems(path: Path, text: pd.DataFrame, stamps: dict[str, pd.Series]) -> list[Problem]:
    """One problem per row whose later event (签收, 办结) is dated before the earlier one (派单, 签收).

    A later time of exactly 00:00 may be a date typed without its time: on the earlier one's day it passes.
    """
    problems = []
    for later, earlier in TIME_ORDER:
        a, b = stamps[later], stamps[earlier]
        date_only_same_day = (a == a.dt.normalize()) & (a == b.dt.normalize())
        for row in text.index[((a < b) & ~date_only_same_day).to_numpy()]:
            problems.append(Problem(path, f"{later}「{text.at[row, later]}」早于{earlier}「{text.at[row, earlier]}」",
                                    row=int(row), column=later, fix=f"核对这两列是否填反或录错；{later}不能早于{earlier}"))
    return problems


def _implausible_times(path: Path, stamps: dict[str, pd.Series]) -> list[Problem]:
    """Warnings (a column's rows listed once) for times that cannot be right yet are no error by the rules:

    - any time more than PLAUSIBLE_DAYS before or after the order's 派单时间 (a century typo, a visit a year on);
    - 首次联系时间 before 派单时间 (it would count as contacted on time);
    - 回访时间 before 办结时间.
    A time of exactly 00:00 on the earlier one's day (a date typed without its time) passes, as in the errors.
    """
    dispatched = stamps["派单时间"]
    span = pd.Timedelta(days=PLAUSIBLE_DAYS)
    checks = [(c, (stamps[c] - dispatched).abs() > span, f"与派单时间相差超过 {PLAUSIBLE_DAYS} 天")
              for c in DATETIME_COLUMNS if c != "派单时间"]
    for later, earlier in IMPLAUSIBLE_ORDER:
        a, b = stamps[later], stamps[earlier]
        checks.append((later, (a < b) & ~((a == a.dt.normalize()) & (a == b.dt.normalize())), f"早于{earlier}"))
    warnings: list[Problem] = []
    flagged: dict[str, Any] = {}  # column -> rows already warned of (one warning per cell)
    for column, bad, says in checks:
        bad = bad.to_numpy(dtype=bool, copy=True)
        if column in flagged:
            bad &= ~flagged[column]
        if not bad.any():
            continue
        flagged[column] = flagged[column] | bad if column in flagged else bad
        rows = dispatched.index[bad]
        warnings.append(Problem(path, f"{len(rows)} 行的{column}{says}（第 {_rows_text(rows)} 行），不像是真实的时间；"
                                      "仍按所填时间计算", row=int(rows[0]), column=column, kind="implausible_time",
                                fix=f"核对{column}是否录错（年份、月日颠倒）；平台导出有误的请平台改正后重新导出"))
    return warnings


def _typed(text: pd.DataFrame, blank: dict[str, pd.Series], units: pd.Series,
           stamps: dict[str, pd.Series]) -> pd.DataFrame:
    """Checked text columns -> the typed orders frame (English names)."""
    def optional_text(c: str) -> pd.Series:
        return text[c].mask(blank[c]).astype("str")

    out = pd.DataFrame(index=text.index)
    out["order_id"] = text["工单编号"].astype("str")
    out["unit"] = units.astype("str")
    out["channel"] = optional_text("来源渠道")
    out["category"] = optional_text("诉求类型")
    out["business_env"] = optional_text("营商环境类别")
    for c in DATETIME_COLUMNS:
        out[EXPORT_COLUMNS[c]] = stamps[c]
    for c in COUNT_COLUMNS:
        out[EXPORT_COLUMNS[c]] = text[c].mask(blank[c], "0").astype("int64")
    out["supervised"] = (text["重点督办"] == YES).astype(bool)
    out["resolved"] = text["是否解决"].map({RESOLVED: True, UNRESOLVED: False}).astype("boolean")
    out["satisfaction"] = optional_text("满意度")
    out[SOURCE_ROW] = text.index.to_numpy(dtype="int64")
    return out[list(EXPORT_COLUMNS.values()) + [SOURCE_ROW]].reset_index(drop=True)


def _unique_keys(path: Path, compare: pd.DataFrame) -> tuple[list[int], list[Problem], list[Problem]]:
    """Inside one file a key is unique: exact duplicates are dropped (warning), conflicting ones reported.

    `compare` holds the rows whose key occurs more than once (Chinese columns, values as
    understood, indexed by source row). Returns the source rows to drop: all but the first of
    each group of exact duplicates.
    """
    key = ["工单编号", "承办单位"]
    drop: list[int] = []
    problems, warnings = [], []
    values = [c for c in EXPORT_COLUMNS if c not in key]
    counts = compare.groupby(key, sort=False)[values].nunique(dropna=False)
    for (order_id, unit), group in compare.groupby(key, sort=False).groups.items():
        where = f"工单编号「{order_id}」、承办单位「{unit}」在第 {_rows_text(group)} 行重复"
        differing = [c for c in values if counts.at[(order_id, unit), c] > 1]
        if differing:
            problems.append(Problem(path, f"{where}，且以下列的内容不同: {'、'.join(differing)}",
                                    row=int(group[0]),
                                    fix="同一文件中每个工单编号与承办单位的组合只能有一行；请删除或更正多余的行"))
        else:
            warnings.append(Problem(path, f"{where}，内容完全相同，只保留第 {group[0]} 行", row=int(group[0]),
                                    fix="无需处理；同一工单同一单位的行在一个文件中只应出现一次", kind="exact_duplicate"))
            drop += list(group[1:])
    return drop, problems, warnings


# --------------------------------------------------------------------------- loading


def load_exports(folder: Path, registry: Registry, cache: Path | None = None, progress: bool = False) -> LoadResult:
    """Read, check and merge every export file of `folder`. Raises one InputError with all problems.

    With `cache` (a workspace's .cache folder), unchanged files and an unchanged folder are read
    back from Parquet instead of parsed again (hotline.inputs.cache); the frames are identical.
    `progress` shows a progress bar over the files on stderr.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(Problem(folder, "找不到工单明细文件夹", fix="把每月导出的 .csv / .xlsx 文件放进该文件夹"))
    files = export_files(folder)
    warnings = ignored_exports(folder)
    if not files:
        raise InputError(Problem(folder, "文件夹中没有工单明细文件（.csv 或 .xlsx）",
                                 fix="把平台导出的工单明细放进该文件夹"))
    store = ExportCache(cache, folder, files, registry.digest) if cache is not None else None
    hit = store.merged() if store is not None else None
    if hit is not None:
        return LoadResult(orders=hit[0], warnings=warnings + hit[1], files=files)
    problems: list[Problem] = []
    file_warnings: list[Problem] = []
    frames = []
    for path in tqdm(files, desc="读取导出", unit="个文件", disable=not progress, file=sys.stderr, leave=False):
        hit = store.file(path) if store is not None else None
        orders, found, seen = (hit[0], [], hit[1]) if hit is not None else _load_file(path, registry)
        if hit is None and store is not None and orders is not None:
            store.put_file(path, orders, seen)
        problems += found
        file_warnings += seen
        if orders is not None:
            frames.append(orders)
    if problems:
        raise _input_error(problems)
    if not frames:
        raise InputError(Problem(folder, "导出文件中没有任何工单行", fix="把含数据的工单明细导出放进该文件夹"))

    orders = pd.concat(frames, ignore_index=True)  # frames are in precedence order
    orders = orders.drop_duplicates(KEY, keep="last")
    rank = orders["unit"].map(registry.order)
    orders = (orders.assign(_rank=rank)
              .sort_values(["order_id", "_rank"], kind="stable")
              .drop(columns="_rank")
              .reset_index(drop=True))
    orders = orders[ORDER_COLUMNS]
    if store is not None:
        store.put_merged(orders, file_warnings)
    return LoadResult(orders=orders, warnings=warnings + file_warnings, files=files)


def _load_file(path: Path, registry: Registry) -> tuple[pd.DataFrame | None, list[Problem], list[Problem]]:
    """Read and check one export file -> (typed orders, or None on problems; problems; warnings)."""
    warnings: list[Problem] = []
    try:
        raw = read_export(path, warnings)
    except InputError as exc:
        return None, exc.problems, warnings
    orders, problems, file_warnings = _check_file(path, raw, registry)
    return orders, problems, warnings + file_warnings


def _input_error(problems: list[Problem]) -> InputError:
    """One InputError carrying every problem; its message lists the first ones and counts the rest."""
    error = InputError(problems[:MAX_PROBLEMS_IN_MESSAGE])
    if len(problems) > MAX_PROBLEMS_IN_MESSAGE:
        error.problems = list(problems)
        error.args = (f"{error.args[0]}\n…… 另有 {len(problems) - MAX_PROBLEMS_IN_MESSAGE} 个问题未列出"
                      f"（共 {len(problems)} 个）",)
    return error
