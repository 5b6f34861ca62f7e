#!/usr/bin/env python3
"""Independent check of the synthetic sample exports against golden/2023-03.

Reads data/sample/exports/ with plain pandas (its own minimal parsing; nothing from
lib/hotline), applies snapshot precedence (the row from the file whose name sorts
last wins), computes the March 2023 figures by the spec rules and asserts every
published number. It also checks the six months 2022-10 to 2023-03 as a whole: file
names sort chronologically, a key's versions across files only progress (no event
vanishes, nothing fixed changes), each file holds rows touched in its month (or
repeats), every month's signed volume is plausible with carry-over into the next,
and each months/<YYYY-MM>/city_ranking.csv agrees with the data for 芙蓉区 and with
itself. Exit status 0 and "OK" when everything matches.

Run: .venv/bin/python scripts/check_sample.py [golden_dir]
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "data" / "sample" / "exports"
UNITS = ROOT / "data" / "sample" / "units.csv"
GOLDEN = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/spec/golden/2023-03")

MONTHS_DIR = ROOT / "data" / "sample" / "months"
MONTH_START, MONTH_END = pd.Timestamp(2023, 3, 1), pd.Timestamp(2023, 4, 1)
MONTHS = ["2022-10", "2022-11", "2022-12", "2023-01", "2023-02", "2023-03"]
SIGNED_RANGE = (4800, 6200)          # plausible distinct orders signed in a month
MIN_CARRY_OVER = 100                 # rows signed in a month and closed / visited in the next
SNAPSHOT_GRACE = pd.Timedelta(days=7)   # a month's file is exported within a week of its end
EVENT_COLUMNS = ["签收时间", "首次联系时间", "办结时间", "回访时间"]
FIXED_COLUMNS = ["派单时间", "办理时限", "来源渠道", "诉求类型", "营商环境类别", "诉求人", "联系电话"]
KEY = ["工单编号", "unit"]
DATE_COLUMNS = ["派单时间", "签收时间", "首次联系时间", "办理时限", "办结时间", "回访时间"]
COUNT_COLUMNS = ["延期次数", "驳回次数", "重复交办次数", "发回重办次数"]
PERSONAL = ["诉求人", "联系电话", "诉求内容", "事发地址"]
DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"]

failures: list[str] = []


def expect(ok: bool, what: str) -> None:
    """Record a failed expectation (all are reported, not just the first)."""
    if not ok:
        failures.append(what)


def r_half(x: Decimal, places: str) -> Decimal:
    return x.quantize(Decimal(places), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------
# Loading


def read_units() -> pd.DataFrame:
    units = pd.read_csv(UNITS, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    units["order"] = range(len(units))
    return units


def spelling_lookup(units: pd.DataFrame) -> dict[str, str]:
    lookup = {}
    for rec in units.to_dict("records"):
        for s in [rec["全称"], rec["简称"], *rec["别名"].split(";")]:
            if s.strip():
                lookup[s.strip()] = rec["全称"]
    return lookup


def read_export(path: Path) -> pd.DataFrame:
    """One export file as text/datetime columns."""
    if path.suffix == ".xlsx":
        df = pd.read_excel(path, dtype=object)
    else:
        for enc in ("utf-8-sig", "gb18030"):
            try:
                df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc)
                break
            except UnicodeDecodeError:
                continue
    df = df.astype(object).where(pd.notna(df), "")
    for c in DATE_COLUMNS:
        df[c] = df[c].map(parse_time)
    for c in COUNT_COLUMNS:
        df[c] = df[c].map(lambda v: int(v) if str(v).strip() != "" else 0)
    for c in df.columns.difference(DATE_COLUMNS + COUNT_COLUMNS):
        df[c] = df[c].map(lambda v: str(v).strip())
    return df


def parse_time(v) -> pd.Timestamp | None:
    if isinstance(v, (datetime, pd.Timestamp)):
        return pd.Timestamp(v)
    s = str(v).strip()
    if not s:
        return None
    for f in DATE_FORMATS:
        try:
            return pd.Timestamp(datetime.strptime(s, f))
        except ValueError:
            pass
    raise ValueError(f"unparsed datetime {s!r}")


def load_rows(lookup: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every file's rows, the winning rows): unit names resolved, the last file by name
    winning per key."""
    frames = []
    for i, path in enumerate(sorted(EXPORTS.glob("*"))):
        if path.suffix not in (".csv", ".xlsx"):
            continue
        df = read_export(path)
        unknown = set(df["承办单位"]) - set(lookup)
        expect(not unknown, f"{path.name}: unknown units {unknown}")
        df["unit"] = df["承办单位"].map(lookup)
        dup = df.duplicated(["工单编号", "unit"]).sum()
        expect(dup == 0, f"{path.name}: {dup} repeated keys inside one file")
        df["file_rank"] = i
        df["file"] = path.name
        frames.append(df)
        print(f"read {path.name}: {len(df)} rows")
    versions = pd.concat(frames, ignore_index=True).sort_values("file_rank", kind="stable")
    for c in DATE_COLUMNS:   # concat turns None into NaT; keep None for "empty"
        versions[c] = versions[c].astype(object).where(versions[c].notna(), None)
    rows = versions.drop_duplicates(["工单编号", "unit"], keep="last").reset_index(drop=True)
    return versions.reset_index(drop=True), rows


# ---------------------------------------------------------------------------
# Figures


def in_month(s: pd.Series) -> pd.Series:
    return s.map(lambda t: t is not None and MONTH_START <= t < MONTH_END)


def add_flags(df: pd.DataFrame) -> pd.DataFrame:
    """Per-row March membership and rule events (spec §2, §4)."""
    df = df.copy()
    h = pd.Timedelta(hours=1)
    df["signed"] = in_month(df["签收时间"])
    df["closed"] = in_month(df["办结时间"])
    df["visited"] = in_month(df["回访时间"])
    df["late_sign"] = df["signed"] & df.apply(lambda r: r["签收时间"] is not None
                                              and r["签收时间"] > r["派单时间"] + 2 * h, axis=1)

    def late_contact(r) -> bool:
        if r["首次联系时间"] is not None:
            return r["首次联系时间"] > r["签收时间"] + 24 * h
        return r["签收时间"] + 24 * h < MONTH_END

    df["late_contact"] = df["signed"] & df.apply(lambda r: r["signed"] and late_contact(r), axis=1)
    df["late_close"] = in_month(df["办理时限"]) & df.apply(
        lambda r: r["办结时间"] is None or r["办结时间"] > r["办理时限"], axis=1)
    df["unresolved"] = df["visited"] & (df["是否解决"] == "未解决")
    return df


def unit_scores(df: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Every published column per unit, as Decimal."""
    out = []
    for u in units["全称"]:
        g = df[df["unit"] == u]
        s, cl, v = g[g["signed"]], g[g["closed"]], g[g["visited"]]
        ded = lambda w, amt, n: max(Decimal(0), Decimal(w) - Decimal(amt) * n)
        visited, resolved = len(v), int((v["是否解决"] == "解决").sum())
        rate = r_half(Decimal(resolved) / Decimal(visited), "0.001") if visited else Decimal(1)
        sat = int(v["满意度"].isin(["满意", "基本满意"]).sum())
        if visited and Decimal(sat) / Decimal(visited) < Decimal("0.6"):
            feedback = Decimal(0)
        else:
            feedback = ded(15, "0.2", int((v["满意度"] == "不满意").sum())) \
                - Decimal("0.05") * int((v["满意度"] == "基本满意").sum())
        rec = {
            "责任单位": u, "签收总量": len(s),
            "按时签收": ded(5, "0.1", int(s["late_sign"].sum())),
            "及时联系": ded(10, "0.01", int(s["late_contact"].sum())),
            "按时办结": ded(5, "0.1", int(g["late_close"].sum())),
            "延期办理": ded(5, "0.2", int(s["延期次数"].sum())),
            "工单驳回": ded(5, "0.01", int(s["驳回次数"].sum())),
            "问题解决": Decimal(20) * rate,
            "重点督办": ded(5, "0.2", int((s["重点督办"] == "是").sum())),
            "重复交办": ded(5, "0.2", int(s["重复交办次数"].sum())),
            "发回重办": ded(5, "0.2", int(cl["发回重办次数"].sum())),
            "即问即答": Decimal(10), "知识库建设": Decimal(10),
            "回访评价": max(Decimal(0), feedback),
            "visited": visited, "unresolved": visited - resolved, "rate": rate,
            "ranked": bool(len(cl) or len(v)),
        }
        rec["诉求响应率小计"] = sum(rec[k] for k in ["按时签收", "及时联系", "按时办结", "延期办理", "工单驳回"])
        rec["问题解决率小计"] = sum(rec[k] for k in ["问题解决", "重点督办", "重复交办", "发回重办"])
        rec["在线办结率小计"] = rec["即问即答"] + rec["知识库建设"]
        rec["总分"] = rec["诉求响应率小计"] + rec["问题解决率小计"] + rec["在线办结率小计"] + rec["回访评价"]
        out.append(rec)
    return pd.DataFrame(out).set_index("责任单位")


def ranks(table: pd.DataFrame, bonus: dict[str, float]) -> dict[str, int]:
    """Competition ranking by 总分 + 加分, descending (equal keys share a rank)."""
    keys = {u: table.loc[u, "总分"] + Decimal(str(bonus.get(u, 0))) for u in table.index}
    return {u: 1 + sum(k > keys[u] for k in keys.values()) for u in keys}


# ---------------------------------------------------------------------------
# Checks


def check_consistency(df: pd.DataFrame) -> None:
    """Every winning row is internally consistent and carries fake personal data."""
    for r in df.itertuples():
        chain = [t for t in (r.派单时间, r.签收时间, r.办结时间, r.回访时间) if t is not None]
        expect(chain == sorted(chain), f"{r.工单编号} {r.unit}: timestamps out of order")
        visited = r.回访时间 is not None
        expect(visited == (r.是否解决 in ("解决", "未解决")) == (r.满意度 in ("满意", "基本满意", "不满意")),
               f"{r.工单编号} {r.unit}: visit fields inconsistent")
        expect(r.办结时间 is None or r.签收时间 is not None, f"{r.工单编号}: closed but not signed")
        expect(all(getattr(r, c) for c in PERSONAL), f"{r.工单编号}: personal data missing")
        expect(re.fullmatch(r"1[3-9]\d{9}", r.联系电话) is not None, f"{r.工单编号}: bad phone {r.联系电话}")
    per_order = df.groupby("工单编号")[["来源渠道", "诉求类型", "营商环境类别", "诉求人"]].nunique()
    expect((per_order <= 1).all().all(), "order-level attributes differ between rows of one order")


def check_district(df: pd.DataFrame, summary: dict) -> Decimal:
    signed = df[df["signed"]]
    V = df.loc[df["visited"], "工单编号"].nunique()
    U = df.loc[df["unresolved"], "工单编号"].nunique()
    expect(signed["工单编号"].nunique() == summary["signed"], f"signed {signed['工单编号'].nunique()}")
    expect(df.loc[df["closed"], "工单编号"].nunique() == summary["closed"], "closed")
    expect(summary["visited"] == V, f"visited {V}")
    expect(summary["district_unresolved"] == U, f"unresolved {U}")
    orders = signed.drop_duplicates("工单编号")
    for ch, n in summary["channels"].items():
        expect(int((orders["来源渠道"] == ch).sum()) == n, f"channel {ch}")
    r = r_half(Decimal(V - U) / Decimal(V), "0.001")
    expect(f"{r * 100:.1f}%" == summary["district_resolution_rate"], f"district rate {r}")
    expect(float(20 - 20 * r) == summary["district_resolution_deduction"], "deduction")
    # February-only and carry-over rows must exist (含上月流转工单)
    carry = df[(df["closed"] | df["visited"]) & (df["签收时间"] < MONTH_START)]
    expect(len(carry) > 100, "too little February carry-over")
    return r


def check_units(table: pd.DataFrame, summary: dict) -> None:
    gold = pd.concat([pd.read_csv(GOLDEN / f, dtype=str, keep_default_na=False)
                      for f in ("units_streets.csv", "units_departments.csv")]).set_index("责任单位")
    expect(table["ranked"].all(), f"unranked units {list(table.index[~table['ranked']])}")
    for f in ("units_streets.csv", "units_departments.csv"):
        g = pd.read_csv(GOLDEN / f, dtype=str, keep_default_na=False)
        sub = table.loc[g["责任单位"]]
        got = ranks(sub, summary["bonus"])
        for rec in g.to_dict("records"):
            u = rec["责任单位"]
            expect(got[u] == int(rec["排名"]), f"{u}: rank {got[u]} != {rec['排名']}")
    for u, rec in gold.iterrows():
        for col, want in rec.items():
            if col in ("排名", "加分"):
                continue
            have = table.loc[u, col]
            ok = int(have) == int(want) if col == "签收总量" else Decimal(have) == Decimal(want)
            expect(ok, f"{u} {col}: {have} != {want}")


def check_below(table: pd.DataFrame, r: Decimal, V: int, U: int, summary: dict) -> None:
    gold = pd.read_csv(GOLDEN / "below_district.csv", dtype=str)
    units = read_units().set_index("全称")
    with_visits = table[table["visited"] > 0]
    below = with_visits[with_visits["rate"] < r].copy()
    below["order"] = units.loc[below.index, "order"]
    below = below.sort_values(["rate", "visited", "order"], ascending=[False, True, True])
    expect(len(with_visits) == summary["units_with_visits"], f"units with visits {len(with_visits)}")
    expect(len(below) == summary["units_below_district"], f"units below {len(below)}")
    expect(list(below.index) == list(gold["单位"]), f"below order {list(below.index)}")
    pct = lambda a, b: f"{r_half(Decimal(a) * 100 / Decimal(b), '0.1')}%"
    for (u, row), g in zip(below.iterrows(), gold.to_dict("records")):
        got = [int(row["visited"]), pct(row["visited"], V), int(row["unresolved"]), pct(row["unresolved"], U),
               f"{row['rate'] * 100:.1f}%"]
        want = [int(g["回访工单数"]), g["占全区回访工单比重"], int(g["未解决工单数"]), g["占全区未解决工单比重"], g["问题解决率"]]
        expect(got == want, f"below {u}: {got} != {want}")


def check_selections(df: pd.DataFrame, table: pd.DataFrame, r: Decimal, summary: dict) -> None:
    units = read_units().set_index("全称")
    # 二(二) good units, by key descending, registry order on ties
    good = table[(table["总分"] >= 95) & (table["签收总量"] >= 100) & (table["rate"] >= r)].copy()
    good["key"] = [good.loc[u, "总分"] + Decimal(str(summary["bonus"].get(u, 0))) for u in good.index]
    good["order"] = units.loc[good.index, "order"]
    good = good.sort_values(["key", "order"], ascending=[False, True])
    expect(list(good.index) == summary["good_units"], f"good units {list(good.index)}")
    # worst-unit commentary: the two most frequent types among its unresolved rows
    c = summary["worst_unit_commentary"]
    unres = df[df["unresolved"] & (df["unit"] == c["unit"])]["诉求类型"].value_counts()
    top = [[t, int(n)] for t, n in unres.head(2).items()]
    expect(top == c["top_unresolved_categories"], f"commentary categories {top}")
    expect(unres.iloc[2] < unres.iloc[1], "third unresolved type ties the second")
    # 三(一) hot topics
    orders = df[df["signed"]].drop_duplicates("工单编号")
    counts = orders["诉求类型"].value_counts()
    gold = pd.read_csv(GOLDEN / "hot_topics.csv")
    expect([[t, int(n)] for t, n in counts.head(6).items()] == gold.values.tolist(),
           f"hot topics {counts.head(7).to_dict()}")
    expect(counts.iloc[6] < counts.iloc[5], "7th topic ties the 6th")
    expect(len(counts) >= 30, "too few topic types")
    # 三(二) 营商环境
    for label, spec in summary["business_environment"].items():
        hit = df[df["signed"] & (df["营商环境类别"] == label)]
        per_unit = hit.groupby("unit")["工单编号"].nunique().to_dict()
        expect(hit["工单编号"].nunique() == spec["total"] and per_unit == spec["units"],
               f"营商环境 {label}: {per_unit}")
    expect(set(df.loc[df["signed"], "营商环境类别"]) <= {"", "表扬", "投诉"}, "unexpected 营商环境类别")


# ---------------------------------------------------------------------------
# Six months


def month_window(month: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(f"{month}-01")
    return start, start + pd.offsets.MonthBegin(1)


def stamps(df: pd.DataFrame, column: str) -> pd.Series:
    """A datetime column as datetime64 (NaT for empty)."""
    return pd.to_datetime(df[column].astype(object).where(df[column].notna(), None))


def check_files(versions: pd.DataFrame) -> None:
    """Every file is named after one of MONTHS, names sort chronologically, and each
    month has a file."""
    names = sorted(versions["file"].unique())
    prefixes = [n[:7] for n in names]
    expect(all(p in MONTHS for p in prefixes), f"file not named after a month: {names}")
    expect(prefixes == sorted(prefixes), f"file names do not sort chronologically: {names}")
    expect(set(prefixes) == set(MONTHS), f"months without a file: {set(MONTHS) - set(prefixes)}")


def check_versions(versions: pd.DataFrame) -> None:
    """A key seen in several files only progresses: fixed columns and the first contact
    and signing (once set) stay, closure and visit never vanish again. Each file holds
    rows touched in its month (an event or dispatch in it) or repeats of the previous
    version, and shows nothing later than a week after its month's end."""
    v = versions.sort_values(KEY + ["file_rank"], kind="stable").reset_index(drop=True)
    prev = v.groupby(KEY, sort=False).shift(1)
    has_prev = prev["file"].notna()
    same = lambda a, b: (a == b) | (a.isna() & b.isna())
    for c in FIXED_COLUMNS:
        changed = has_prev & ~same(v[c].astype(object), prev[c].astype(object))
        expect(not changed.any(), f"{c} changes between files for {changed.sum()} keys, "
                                  f"e.g. {v.loc[changed, '工单编号'].head(3).tolist()}")
    for c in ["签收时间", "首次联系时间"]:
        changed = has_prev & prev[c].notna() & ~same(v[c].astype(object), prev[c].astype(object))
        expect(not changed.any(), f"{c} changes once set for {changed.sum()} keys")
    for c in ["办结时间", "回访时间"]:
        vanished = has_prev & prev[c].notna() & v[c].isna()
        expect(not vanished.any(), f"{c} vanishes in a later file for {vanished.sum()} keys")
    repeat = has_prev.copy()
    for c in DATE_COLUMNS + COUNT_COLUMNS + ["是否解决", "满意度"]:
        repeat &= same(v[c].astype(object), prev[c].astype(object))
    start = pd.to_datetime(v["file"].str[:7] + "-01")
    end = start + pd.offsets.MonthBegin(1)
    touched = pd.Series(False, index=v.index)
    latest = pd.Series(pd.NaT, index=v.index, dtype="datetime64[ns]")
    for c in ["派单时间"] + EVENT_COLUMNS:
        t = stamps(v, c)
        touched |= (t >= start) & (t < end)
        latest = latest.where(latest.notna() & ~(t > latest), t)
    untouched = ~touched & ~repeat
    expect(not untouched.any(), f"{untouched.sum()} rows in a file of a month they were not touched in, "
                                f"e.g. {v.loc[untouched, ['file', '工单编号']].head(3).values.tolist()}")
    late = latest >= end + SNAPSHOT_GRACE
    expect(not late.any(), f"{late.sum()} rows show events after their file's snapshot")


def month_figures(rows: pd.DataFrame, month: str) -> dict:
    """District figures of `month` from the winning rows (spec §3)."""
    start, end = month_window(month)
    inside = lambda c: (stamps(rows, c) >= start) & (stamps(rows, c) < end)
    signed, visited = inside("签收时间"), inside("回访时间")
    V = rows.loc[visited, "工单编号"].nunique()
    U = rows.loc[visited & (rows["是否解决"] == "未解决"), "工单编号"].nunique()
    return {"signed": rows.loc[signed, "工单编号"].nunique(), "V": V, "U": U,
            "rate": r_half(Decimal(V - U) / Decimal(V), "0.001") if V else None,
            "signed_rows": signed, "closed_rows": inside("办结时间"), "visited_rows": visited}


def check_months(rows: pd.DataFrame) -> dict[str, dict]:
    """Each month's signed volume in SIGNED_RANGE, and carry-over from each month into
    the next (rows signed in one, closed and visited in the next)."""
    figures = {m: month_figures(rows, m) for m in MONTHS}
    lo, hi = SIGNED_RANGE
    for m, f in figures.items():
        expect(lo <= f["signed"] <= hi, f"{m}: {f['signed']} orders signed, outside {SIGNED_RANGE}")
        print(f"{m}: signed {f['signed']}, visited {f['V']}, unresolved {f['U']}, rate {f['rate']}")
    for m, n in zip(MONTHS, MONTHS[1:]):
        for what in ("closed_rows", "visited_rows"):
            carried = int((figures[m]["signed_rows"] & figures[n][what]).sum())
            expect(carried >= MIN_CARRY_OVER, f"{m} -> {n}: only {carried} rows carried over ({what})")
    return figures


def check_city_tables(figures: dict[str, dict]) -> None:
    """months/<M>/city_ranking.csv: 芙蓉区's 签收总量 and 问题解决 as the data give them,
    subtotals and totals adding up, 排名 by 总分 (equal totals share a rank)."""
    groups = {"诉求响应率小计": ["按时签收", "及时联系", "按时办结", "延期办理", "工单驳回"],
              "问题解决率小计": ["问题解决", "重点督办", "重复交办", "发回重办"],
              "在线办结率小计": ["即问即答", "知识库建设"]}
    for m in MONTHS:
        path = MONTHS_DIR / m / "city_ranking.csv"
        expect(path.is_file(), f"{m}: no city_ranking.csv")
        if not path.is_file():
            continue
        city = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").set_index("区")
        mine = city.loc["芙蓉区"]
        expect(int(mine["签收总量"]) == figures[m]["signed"], f"{m}: city 签收总量 {mine['签收总量']}")
        expect(Decimal(mine["问题解决"]) == 20 * figures[m]["rate"], f"{m}: city 问题解决 {mine['问题解决']}")
        totals = {}
        for district, rec in city.iterrows():
            num = {c: Decimal(v) for c, v in rec.items() if c not in ("签收总量", "排名")}
            for sub, items in groups.items():
                expect(sum(num[i] for i in items) == num[sub], f"{m} {district}: {sub}")
            expect(sum(num[k] for k in groups) + num["回访评价"] == num["总分"], f"{m} {district}: 总分")
            totals[district] = num["总分"]
        for district, rec in city.iterrows():
            want = 1 + sum(t > totals[district] for t in totals.values())
            expect(int(rec["排名"]) == want, f"{m} {district}: 排名 {rec['排名']} != {want}")


def main() -> int:
    units = read_units()
    versions, winning = load_rows(spelling_lookup(units))
    rows = add_flags(winning)
    summary = json.loads((GOLDEN / "summary.json").read_text(encoding="utf-8"))
    check_consistency(rows)
    r = check_district(rows, summary)
    table = unit_scores(rows, units)
    check_units(table, summary)
    V = rows.loc[rows["visited"], "工单编号"].nunique()
    U = rows.loc[rows["unresolved"], "工单编号"].nunique()
    check_below(table, r, V, U, summary)
    check_selections(rows, table, r, summary)
    check_files(versions)
    check_versions(versions)
    check_city_tables(check_months(rows))
    print(f"{len(rows)} winning rows; district signed {rows.loc[rows['signed'], '工单编号'].nunique()}, "
          f"visited {V}, unresolved {U}, rate {r}")
    if failures:
        print(f"FAILED: {len(failures)} expectation(s)")
        for f in failures[:60]:
            print("  -", f)
        return 1
    print(f"OK: every golden/2023-03 figure reproduced; {len(MONTHS)} months {MONTHS[0]}..{MONTHS[-1]} consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
