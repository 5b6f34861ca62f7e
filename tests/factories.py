"""What the tests build their inputs from: hand-made work-order frames in the loader's output
shape, export rows and files as the platform writes them, edits of the sample settings, the
published March 2023 tables (tests/golden), and how many examples a property test draws."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import yaml

from hotline import config
from hotline.names import EXPORT_COLUMNS, PERSONAL_COLUMNS

TIME_COLUMNS = ["dispatched_at", "signed_at", "first_contact_at", "deadline", "closed_at", "visited_at"]
COUNTS = ["extensions", "rejections", "repeat_assignments", "send_backs"]


GOLDEN = Path(__file__).parent / "golden" / "2023-03"


def golden(name: str) -> pd.DataFrame:
    """The published March 2023 table `name` (tests/golden/2023-03/<name>.csv), every cell as text."""
    return pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)


def order(order_id: str, unit: str = "东岸街道办事处", **fields) -> dict:
    """One row; times as strings ('2023-03-02 09:00'), defaults: dispatched 03-02 09:00, signed 30 min later,
    contacted an hour after signing, deadline 03-10, not closed, not visited."""
    row = {
        "order_id": order_id, "unit": unit, "channel": "12345热线", "category": "小区卫生", "business_env": None,
        "dispatched_at": "2023-03-02 09:00", "signed_at": "2023-03-02 09:30", "first_contact_at": "2023-03-02 10:30",
        "deadline": "2023-03-10 18:00", "closed_at": None, "visited_at": None,
        "extensions": 0, "rejections": 0, "repeat_assignments": 0, "send_backs": 0, "supervised": False,
        "resolved": None, "satisfaction": None,
    }
    row.update(fields)
    return row


def frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(EXPORT_COLUMNS.values()))
    for c in TIME_COLUMNS:
        df[c] = pd.to_datetime(df[c])
    for c in COUNTS:
        df[c] = df[c].astype("int64")
    df["supervised"] = df["supervised"].astype(bool)
    df["resolved"] = df["resolved"].astype("boolean")
    return df


# --------------------------------------------------------------------------- export files


HEADER = [
    "工单编号", "承办单位", "来源渠道", "诉求类型", "营商环境类别", "派单时间", "签收时间", "首次联系时间",
    "办理时限", "办结时间", "延期次数", "驳回次数", "重复交办次数", "发回重办次数", "重点督办", "回访时间",
    "是否解决", "满意度", "诉求人", "联系电话", "诉求内容", "事发地址",
]
PERSONAL_VALUES = ["张小明", "13800138000", "楼道垃圾无人清理", "东岸小区3栋"]


def row(order_id="GD001", unit="东岸街道办事处", **cells) -> dict:
    """One export row with sensible defaults; keyword names are the Chinese column names."""
    base = {
        "工单编号": order_id, "承办单位": unit, "来源渠道": "12345热线", "诉求类型": "小区卫生",
        "营商环境类别": "", "派单时间": "2023-03-01 08:30:00", "签收时间": "2023-03-01 09:00:00",
        "首次联系时间": "2023-03-01 10:00:00", "办理时限": "2023-03-08 08:30:00", "办结时间": "2023-03-03 17:00:00",
        "延期次数": "0", "驳回次数": "0", "重复交办次数": "0", "发回重办次数": "0", "重点督办": "否",
        "回访时间": "2023-03-05 15:00:00", "是否解决": "解决", "满意度": "满意",
        **dict(zip(PERSONAL_COLUMNS, PERSONAL_VALUES)),
    }
    base.update(cells)
    return base


def csv_text(rows: list[dict], header=None) -> str:
    """Rows as CSV text under `header` (default: the first row's keys); missing cells empty."""
    header = header or list(rows[0])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(c, "") for c in header])
    return buf.getvalue()


def write_csv(path: Path, rows: list[dict], encoding="utf-8", header=None) -> Path:
    path.write_bytes(csv_text(rows, header).encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[dict], header=None) -> Path:
    """XLSX with real datetime cells for the datetime columns and numbers for the counts."""
    header = header or list(rows[0])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        cells = []
        for c in header:
            value = r.get(c, "")
            if c.endswith("时间") or c == "办理时限":
                value = pd.Timestamp(value.replace("/", "-")).to_pydatetime() if value else None
            elif c.endswith("次数"):
                value = int(value) if value else None
            cells.append(value if value != "" else None)
        sheet.append(cells)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    book.save(path)
    return path


def edit_sheet_xml(path: Path, edit: Callable[[bytes], bytes], part: str = "xl/worksheets/sheet1.xml") -> None:
    """Rewrite one part of a saved workbook, as other writers would have saved it; the part must change."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    edited = edit(parts[part])
    assert edited != parts[part], f"the edit changed nothing in {part}"
    parts[part] = edited
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def compound_file(streams: list[str]) -> bytes:
    """A minimal compound file (OLE2, the container of an old .xls and of an encrypted .xlsx) holding
    empty streams of these names (at most 3): header, one FAT sector, one directory sector."""
    assert len(streams) <= 3
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *[free] * 126)

    def entry(name: str, kind: int, child: int, right: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, no_stream, right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", end, 0))

    entries = [entry("Root Entry", 5, 1 if streams else no_stream, no_stream)]
    entries += [entry(name, 2, no_stream, i + 2 if i + 1 < len(streams) else no_stream) for i, name in enumerate(streams)]
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat + directory


UNITS_CSV = (
    "全称,简称,类别,别名\n"
    "东岸街道办事处,东岸街道,街道,芙蓉区东岸街道办事处\n"
    "韭菜园街道办事处,韭菜园街道,街道,\n"
    "市场监督管理局,市场监管局,区直部门,芙蓉区市场监督管理局;区市场监管局\n"
    "财政局,财政局,区直部门,芙蓉区财政局\n"
)


# --------------------------------------------------------------------------- settings


SAMPLE = yaml.safe_load((config.DEFAULT_WORKSPACE / "district.yaml").read_text(encoding="utf-8"))


def changed(edit):
    data = copy.deepcopy(SAMPLE)
    edit(data)
    return data


# (edit of the sample settings, message fragment, key path): also run through `hotline validate` in test_corpus.py
BAD_SETTINGS = [
    (lambda d: d.update(colour="red"), "未知的设置项", "colour"),
    (lambda d: d["scoring"]["groups"][0]["items"][0].update(amout=0.1), "未知的设置项", "scoring.groups[0].items[0].amout"),
    (lambda d: d["scoring"]["groups"][0]["items"][0].update(amount=-0.1), "不能为负数", "scoring.groups[0].items[0].amount"),
    (lambda d: (d["scoring"]["groups"][3].update(weight=20), d["scoring"]["groups"][3]["items"][0].update(weight=20)),
     "各组满分之和为 105", "scoring"),
    (lambda d: d["scoring"]["groups"][0]["items"][0].update(weight=6), "各项满分之和为 31", "scoring.groups[0]"),
    (lambda d: d.pop("issuer"), "缺少必填设置项", "issuer"),
    (lambda d: d["scoring"]["groups"][0]["items"][0].update(event="late_sign"), "", "scoring.groups[0].items[0].event"),
    (lambda d: d["scoring"]["groups"][0]["items"][0].update(amount="a lot"), "", "scoring.groups[0].items[0].amount"),
    (lambda d: d["scoring"]["groups"][0]["items"][0].pop("limit_hours"), "需要 limit_hours", "scoring.groups[0].items[0]"),
    (lambda d: d.update(fonts={"body": []}), "不能为空", "fonts.body"),
    (lambda d: d.update(fonts={"boby": ["仿宋"]}), "未知的设置项", "fonts.boby"),
]


# --------------------------------------------------------------------------- property tests

# `make check` (HOTLINE_QUICK=1) draws a fifth of the examples of each property test.
QUICK = os.environ.get("HOTLINE_QUICK") == "1"


def examples(n: int) -> int:
    """How many examples a property test draws: n, or a fifth of it in the fast tier."""
    return max(10, n // 5) if QUICK else n


def stop_jupyter(server, base: str, token: str) -> None:
    """Shut a Jupyter server down through its API (its kernels too), then by signal to its process group."""
    import os
    import signal
    import subprocess
    import urllib.request

    try:
        req = urllib.request.Request(f"{base}/api/shutdown", method="POST", headers={"Authorization": f"token {token}"})
        urllib.request.urlopen(req, timeout=5).close()
        server.wait(timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        pass
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def renamed_font(source: Path, target: Path, family: str, chinese: str, text: str) -> Path:
    """A stand-in for an office's licensed face: `source` subset to `text`, named `family` in English
    and `chinese` in Simplified Chinese (name IDs 1, 4, 6 and 16, as a 公文 font names itself)."""
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = []
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + "".join(chr(c) for c in range(0x20, 0x7F)))
    subsetter.subset(font)
    names = font["name"]
    names.names = []
    postscript = family.replace(" ", "")
    for name_id, value in ((1, family), (2, "Regular"), (4, family), (6, postscript), (16, family)):
        names.setName(value, name_id, 3, 1, 0x409)
    for name_id, value in ((1, chinese), (4, chinese), (16, chinese)):
        names.setName(value, name_id, 3, 1, 0x804)
    if "CFF " in font:  # an OpenType/CFF face names itself in its CFF table too
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        cff[postscript].FamilyName = family
        cff[postscript].FullName = family
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target
