"""Synthetic city-sized workspaces for the benchmark: a registry of ~500 units and N rows a month.

Everything is drawn with numpy in whole columns (no per-row Python), written as CSV with
pyarrow's writer; XLSX (openpyxl, row by row) only for small sizes — at a million rows it
would take far longer than the benchmark itself. Deterministic for a given seed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
CHANNELS = ["12345热线", "网络留言", "市长信箱", "省交办件", "政企通", "省转办件"]
CHANNEL_P = [0.62, 0.2, 0.08, 0.04, 0.04, 0.02]
CATEGORIES = [f"诉求类型{i:02d}" for i in range(40)]
SECOND = np.timedelta64(1, "s")


def registry(units: int) -> pd.DataFrame:
    """units.csv: one street office in eight, the rest departments; short names and one alias each."""
    rows = []
    for i in range(units):
        if i % 8 == 0:
            full, short, cat = f"第{i:03d}街道办事处", f"第{i:03d}街道", "街道"
        else:
            full, short, cat = f"第{i:03d}号局", f"{i:03d}局", "区直部门"
        rows.append({"全称": full, "简称": short, "类别": cat, "别名": f"城区{full}"})
    return pd.DataFrame(rows)


def _times(start: np.datetime64, seconds: np.ndarray) -> np.ndarray:
    return start + seconds.astype("int64") * SECOND


def month_orders(month: str, rows: int, units: list[str], seed: int) -> pd.DataFrame:
    """One month's export rows (Chinese headers, typed columns; NaT/None where a cell is empty)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64(f"{month}-01T00:00:00", "s")
    days = (np.datetime64(pd.Timestamp(f"{month}-01") + pd.offsets.MonthBegin(1), "s") - start) / SECOND
    ids = np.arange(rows)
    co = rng.random(rows) < 0.03  # co-handled: the previous row's order, another unit
    co[0] = False
    ids[co] -= 1
    weights = 1 / np.arange(1, len(units) + 1) ** 0.8
    unit = rng.choice(len(units), rows, p=weights / weights.sum())
    unit[co] = (unit[np.flatnonzero(co) - 1] + 1) % len(units)
    dispatched = _times(start, rng.uniform(0, days, rows))
    signed = dispatched + (rng.exponential(1.2 * 3600, rows)).astype("int64") * SECOND
    contact = signed + (rng.exponential(10 * 3600, rows)).astype("int64") * SECOND
    closed = signed + (rng.exponential(3 * 86400, rows)).astype("int64") * SECOND
    visited = closed + (rng.exponential(86400, rows)).astype("int64") * SECOND
    nat = np.datetime64("NaT")
    signed[rng.random(rows) < 0.02] = nat
    contact[(rng.random(rows) < 0.03) | np.isnat(signed)] = nat
    closed[(rng.random(rows) < 0.1) | np.isnat(signed)] = nat
    is_visited = ~np.isnat(closed) & (rng.random(rows) < 0.8)
    visited[~is_visited] = nat
    env = rng.random(rows)
    satisfaction = np.array(["满意", "基本满意", "不满意"])[rng.choice(3, rows, p=[0.85, 0.1, 0.05])]
    return pd.DataFrame({
        "工单编号": np.char.add(f"GD{month.replace('-', '')}", np.char.zfill(ids.astype("U8"), 8)).astype(object),
        "承办单位": np.asarray(units, dtype=object)[unit],
        "来源渠道": np.asarray(CHANNELS, dtype=object)[rng.choice(len(CHANNELS), rows, p=CHANNEL_P)],
        "诉求类型": np.asarray(CATEGORIES, dtype=object)[rng.zipf(1.6, rows) % len(CATEGORIES)],
        "营商环境类别": np.where(env < 0.01, "表扬", np.where(env < 0.02, "投诉", None)),
        "派单时间": dispatched, "签收时间": signed, "首次联系时间": contact,
        "办理时限": dispatched + np.timedelta64(7, "D"), "办结时间": closed,
        "延期次数": rng.poisson(0.05, rows), "驳回次数": rng.poisson(0.1, rows),
        "重复交办次数": rng.poisson(0.03, rows), "发回重办次数": rng.poisson(0.02, rows),
        "重点督办": np.where(rng.random(rows) < 0.01, "是", "否"),
        "回访时间": visited,
        "是否解决": np.where(is_visited, np.where(rng.random(rows) < 0.88, "解决", "未解决"), None),
        "满意度": np.where(is_visited, satisfaction, None),
    })


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV as the platform exports it (UTF-8 with BOM, '2023-03-01 08:30:00'), through pyarrow's writer."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(frame, preserve_index=False)
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            table = table.set_column(i, field.name, pc.strftime(table.column(i), format="%Y-%m-%d %H:%M:%S"))
    with path.open("wb") as f:
        f.write("\ufeff".encode())
        pacsv.write_csv(table, f, pacsv.WriteOptions(quoting_style="needed"))


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """XLSX with real date cells (openpyxl write-only mode; slow: small sizes only)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("工单明细")
    sheet.append(list(frame.columns))
    cells = frame.astype(object).where(frame.notna(), None)
    for row in cells.itertuples(index=False):
        sheet.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row])
    book.save(path)


def month_names(first: str, count: int) -> list[str]:
    start = pd.Period(first, "M")
    return [str(start + i) for i in range(count)]


def make_workspace(root: Path, rows: int, months: list[str], units: int = 500, xlsx: bool = False,
                   seed: int = 12345) -> Path:
    """A workspace folder: the sample's district.yaml and a month folder per month, a generated registry
    and one export per month (CSV, or XLSX with `xlsx`)."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    (root / "exports").mkdir(parents=True)
    shutil.copy(SAMPLE / "district.yaml", root / "district.yaml")
    reg = registry(units)
    reg.to_csv(root / "units.csv", index=False, encoding="utf-8")
    for i, month in enumerate(months):
        frame = month_orders(month, rows, list(reg["全称"]), seed + i)
        name = f"{month}_工单明细"
        if xlsx:
            write_xlsx(frame, root / "exports" / f"{name}.xlsx")
        else:
            write_csv(frame, root / "exports" / f"{name}.csv")
        folder = root / "months" / month
        folder.mkdir(parents=True)
        year, mon = month.split("-")
        (folder / "month.yaml").write_text(
            f"issue: 〔{year}〕第 {int(mon) + 1} 期\npublish_date: {month}-28\nbonus: []\nmanual_scores: []\n",
            encoding="utf-8")
        shutil.copy(SAMPLE / "months" / "2023-03" / "city_ranking.csv", folder / "city_ranking.csv")
    return root
