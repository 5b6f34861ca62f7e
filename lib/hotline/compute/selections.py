"""Selections of spec §5: good units, units below the district rate, hot topics, 营商环境, city check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypedDict

import numpy as np
import pandas as pd

from hotline.compute.district import DistrictFigures, order_codes
from hotline.compute.figures import MonthFigures
from hotline.errors import Problem
from hotline.inputs.registry import Registry
from hotline.inputs.settings import Settings
from hotline.names import COMPLAINT, PRAISE
from hotline.numfmt import trim


class BusinessKind(TypedDict):
    """营商环境 orders of one kind (表扬 or 投诉) signed in the month."""

    total: int              # distinct orders
    units: dict[str, int]   # rows per unit (全称), most first


def good_units(ranked: pd.DataFrame, rates: pd.Series, district_rate: Decimal, settings: Settings) -> list[str]:
    """二(二): 总分 ≥ min_total, 签收 ≥ min_signed and unit rate not below the district's, by key descending.

    `ranked` is the ranked-unit frame of tables.rank_units (columns total, key, signed; registry order).
    """
    rule = settings.selections.good_units
    ok = ranked[(ranked["total"] >= rule.min_total) & (ranked["signed"] >= rule.min_signed)]
    ok = ok[pd.Series([rates.get(u, Decimal(1)) >= district_rate for u in ok.index], index=ok.index, dtype=bool)]
    return list(_by_key(ok).index)


def _by_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by key descending, keeping registry order among equal keys (stable sort)."""
    return frame.sort_values("key", ascending=False, kind="stable", key=lambda s: s.map(float))


@dataclass(frozen=True)
class BelowRow:
    unit: str
    visited: int
    unresolved: int
    rate: Decimal


def below_district(counts: pd.DataFrame, rates: pd.Series, district_rate: Decimal, registry: Registry) -> list[BelowRow]:
    """二(三): units with visits whose rounded rate < the district's, by rate desc, visited asc, registry order."""
    rows = [BelowRow(u, int(counts.at[u, "visited"]), int(counts.at[u, "unresolved"]), r)
            for u, r in rates.items() if r < district_rate]
    return sorted(rows, key=lambda b: (-b.rate, b.visited, int(registry.order[b.unit])))


@dataclass(frozen=True)
class Commentary:
    """The unit that drags the district's rate down most, as the commentary names it."""

    unit: str
    unit_short: str
    visited_share: Fraction
    unresolved_share: Fraction
    rate: Decimal
    top_categories: list[tuple[str, int]]  # (诉求类型, unresolved orders), most first


def commentary(orders: pd.DataFrame, flags: pd.DataFrame, below: list[BelowRow], figures: DistrictFigures,
               registry: Registry, settings: Settings) -> Commentary | None:
    """The unit with most unresolved orders, when its share of the district's U reaches the threshold.

    Candidates are the units below the district rate; ties go to registry order.
    """
    if not below or figures.unresolved == 0:
        return None
    worst = max(below, key=lambda b: (b.unresolved, -int(registry.order[b.unit])))
    share = Fraction(worst.unresolved, figures.unresolved)
    if share < Fraction(settings.selections.commentary_min_unresolved_share):
        return None
    mine = (orders["unit"] == worst.unit) & (flags["unresolved"] == 1)
    top = top_counts(orders.loc[mine, "category"], settings.selections.commentary_top_categories)
    return Commentary(worst.unit, registry.short(worst.unit), Fraction(worst.visited, figures.visited),
                      share, worst.rate, top)


def top_counts(values: pd.Series, n: int) -> list[tuple[str, int]]:
    """The n most frequent values with their counts; equal counts in name order (deterministic)."""
    return _top(values.value_counts(), n)


def _top(counts: pd.Series, n: int) -> list[tuple[str, int]]:
    """The n largest counts (value → count, zeros left out); equal counts in name order."""
    ordered = sorted(((k, v) for k, v in counts.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))
    return [(str(k), int(v)) for k, v in ordered[:n]]


def hot_topics(orders: pd.DataFrame, flags: pd.DataFrame, n: int) -> list[tuple[str, int]]:
    """三(一): the top n 诉求类型 by distinct orders signed in the month (rows without one left out)."""
    signed = flags["signed"].to_numpy() == 1
    orders_signed = order_codes(orders)[signed]
    category, names = pd.factorize(orders["category"][signed])  # no 诉求类型: -1
    known = category >= 0
    pairs = pd.unique(orders_signed[known].astype(np.int64) * max(len(names), 1) + category[known])
    per_category = np.bincount(pairs % max(len(names), 1), minlength=len(names))
    return _top(pd.Series(per_category, index=names), n)


def business_environment(orders: pd.DataFrame, flags: pd.DataFrame, registry: Registry) -> dict[str, BusinessKind]:
    """三(二): 表扬 and 投诉 orders signed in the month: total distinct orders and rows per unit (全称).

    Units are listed by count, then by when their first such order was signed.
    """
    result: dict[str, BusinessKind] = {}
    for kind in (PRAISE, COMPLAINT):
        rows = orders[(flags["signed"] == 1) & orders["business_env"].eq(kind).fillna(False)]
        per_unit = rows.groupby("unit").agg(n=("order_id", "size"), first=("signed_at", "min"))
        per_unit = per_unit.sort_values(["n", "first"], ascending=[False, True], kind="stable")
        result[kind] = {"total": int(rows["order_id"].nunique()),
                        "units": {u: int(n) for u, n in per_unit["n"].items()}}
    return result


def city_rank(city: pd.DataFrame | None, settings: Settings) -> int | None:
    """The district's rank in the city's table, or None when no table was given."""
    if city is None:
        return None
    mine = city[city["区"] == settings.district]
    return int(mine["排名"].iloc[0]) if len(mine) else None


def check_city_table(city: pd.DataFrame | None, figures: DistrictFigures, resolution_weight: Decimal,
                     settings: Settings, source: str) -> list[Problem]:
    """Warn where the city's row for this district disagrees with the export (签收总量, 问题解决)."""
    if city is None:
        return [Problem(source, "没有全市排名表，通报第一部分将缺少排名", fix="放入市里下发的 city_ranking.csv",
                        kind="city_table")]
    mine = city[city["区"] == settings.district]
    if mine.empty:
        return [Problem(source, f"全市排名表中没有「{settings.district}」这一行", column="区", fix="检查区名写法",
                        kind="city_table")]
    row, line = mine.iloc[0], int(mine.index[0]) + 2
    warnings = []
    if "签收总量" in city.columns and str(row["签收总量"]).strip() != str(figures.signed):
        warnings.append(Problem(source, f"市里的签收总量 {row['签收总量']} 与工单导出计算的 {figures.signed} 不一致",
                                row=line, column="签收总量", fix="核对导出是否完整", kind="city_table"))
    expected = resolution_weight * figures.rate
    given = str(row["问题解决"]).strip() or "0" if "问题解决" in city.columns else None
    if given is not None and (not re.fullmatch(r"\d+(\.\d+)?", given) or Decimal(given) != expected):
        warnings.append(Problem(source, f"市里的问题解决得分 {row['问题解决']} 与导出计算的 {trim(expected)} 不一致",
                                row=line, column="问题解决", fix="核对回访数据是否完整", kind="city_table"))
    return warnings


@dataclass(frozen=True, kw_only=True)
class MonthSelections:
    """What the bulletin's sections pick out of a month's figures (spec §5)."""

    good_units: list[str]                    # 二(二), by key descending
    below: list[BelowRow]                    # 二(三): units below the district rate
    commentary: Commentary | None            # 二(三)'s unit, when its share of U reaches the threshold
    hot_topics: list[tuple[str, int]]        # 三(一): (诉求类型, orders signed), most first
    business: dict[str, BusinessKind]        # 三(二): 营商环境 by kind (表扬, 投诉)
    city_rank: int | None                    # 一: the district's rank in the city's table


def month_selections(m: MonthFigures, settings: Settings, city: pd.DataFrame | None) -> MonthSelections:
    """The selections of spec §5 for the month `m`, by the district's `settings`, with the city's table."""
    good = good_units(m.ranked, m.rates, m.district.rate, settings)
    below = below_district(m.counts, m.rates, m.district.rate, m.registry)
    return MonthSelections(
        good_units=good, below=below,
        commentary=commentary(m.orders, m.flags, below, m.district, m.registry, settings),
        hot_topics=hot_topics(m.orders, m.flags, settings.selections.hot_topics),
        business=business_environment(m.orders, m.flags, m.registry), city_rank=city_rank(city, settings))
