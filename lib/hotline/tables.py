"""The bulletin's tables as display text (golden CSV layout), summary.json, and `hotline tables`."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import config
from .month import MonthInfo
from .names import BELOW_DISTRICT_COLUMNS, HOT_TOPIC_COLUMNS, UNIT_CATEGORIES, UNIT_TABLE_LEAD, UNIT_TABLE_TAIL
from .numfmt import fixed, percent, trim
from .registry import Registry
from .scoring import rank
from .settings import Scoring, Settings


def rank_units(counts: pd.DataFrame, scores: pd.DataFrame, info: MonthInfo, registry: Registry) -> pd.DataFrame:
    """Units ranked this month (≥1 row closed or visited), with signed, total, bonus, key, rank, category.

    Ranks are competition ranks within each 类别 on key = 总分 + 加分; rows stay in registry order.
    """
    ranked = counts[(counts["closed"] > 0) | (counts["visited"] > 0)].index
    bonus = {}
    for b in info.bonus:
        bonus[b.unit] = bonus.get(b.unit, Decimal(0)) + b.points
    frame = pd.DataFrame({
        "category": registry.units.loc[ranked, "category"],
        "signed": counts.loc[ranked, "signed"],
        "total": scores.loc[ranked, "总分"],
        "bonus": [bonus.get(u, Decimal(0)) for u in ranked],
    }, index=ranked)
    frame["key"] = frame["total"] + frame["bonus"]
    frame["rank"] = 0
    for cat in UNIT_CATEGORIES:
        mine = frame["category"] == cat
        frame.loc[mine, "rank"] = rank(frame.loc[mine, "key"])
    return frame


def item_columns(scoring: Scoring) -> list[tuple[str, str]]:
    """(column header, score column) in table order: items, then '<group>小计' for groups of 2+ items."""
    cols = []
    for g in scoring.groups:
        cols += [(i.name, i.name) for i in g.items]
        if len(g.items) > 1:
            cols.append((f"{g.name}小计", g.name))
    return cols


def unit_table(category: str, ranked: pd.DataFrame, scores: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """附件 table for one 类别: display text, sorted by key descending (registry order among equals)."""
    mine = ranked[ranked["category"] == category]
    mine = mine.iloc[sorted(range(len(mine)), key=lambda i: -mine["key"].iloc[i])]
    total_fmt = fixed if settings.display.total_format.get(category) == "fixed" else trim
    columns = [col for _, col in item_columns(settings.scoring)]
    unit_scores = scores.loc[mine.index, columns].to_dict("index")
    rows = []
    for unit, r in mine.to_dict("index").items():
        row = [unit, str(int(r["signed"]))]
        row += [trim(unit_scores[unit][col]) for col in columns]
        row += [total_fmt(r["total"]), trim(r["bonus"]) if r["bonus"] else "", str(int(r["rank"]))]
        rows.append(row)
    headers = UNIT_TABLE_LEAD + [h for h, _ in item_columns(settings.scoring)] + UNIT_TABLE_TAIL
    return pd.DataFrame(rows, columns=headers, dtype=str)


def below_table(below, figures) -> pd.DataFrame:
    from fractions import Fraction

    rows = [[b.unit, str(b.visited), percent(Fraction(b.visited, figures.visited)), str(b.unresolved),
             percent(Fraction(b.unresolved, figures.unresolved)), percent(b.rate)] for b in below]
    return pd.DataFrame(rows, columns=BELOW_DISTRICT_COLUMNS, dtype=str)


def hot_topic_table(topics: list[tuple[str, int]]) -> pd.DataFrame:
    return pd.DataFrame([[c, str(n)] for c, n in topics], columns=HOT_TOPIC_COLUMNS, dtype=str)


def write_tables(bulletin, out_dir: Path) -> list[Path]:
    """Write every table as CSV (UTF-8 with BOM, for Excel) and summary.json into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, file in config.TABLE_FILES.items():
        table = bulletin.tables.get(name)
        if table is None:
            continue
        path = out_dir / file
        table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        written.append(path)
    path = out_dir / config.SUMMARY_FILE
    path.write_text(json.dumps(bulletin.summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(path)
    return written


def tables_command(month: str, workspace: Path, out: Path | None) -> int:
    """`hotline tables MONTH`: compute and write the tables; the input report goes to stderr if it warns."""
    from .bulletin import build_bulletin, load_workspace
    from .validate import format_report

    bulletin = build_bulletin(month, load_workspace(workspace, progress=sys.stderr.isatty()))
    if bulletin.warnings:
        print(format_report(f"{workspace} {month}", [], bulletin.warnings, base=workspace), end="", file=sys.stderr)
    out_dir = out or config.month_output_dir(workspace, month) / "tables"
    for path in write_tables(bulletin, out_dir):
        print(path)
    return 0
