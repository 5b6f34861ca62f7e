"""Unit scores (spec §4): events counted per unit with pandas, scored exactly with Decimal.

Which rows an event is counted on is part of its definition (row_flags; the bulletin says it in
render/templates/wording/rules.j2); the amounts,
time limits, weights and thresholds come from the settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from hotline.inputs.month import MonthInfo
from hotline.inputs.registry import Registry
from hotline.inputs.settings import ManualRule, PerEventRule, RateRule, Rule, Scoring, ThresholdRule
from hotline.names import BASICALLY_SATISFIED, DISSATISFIED, SATISFIED, UNIT_CATEGORIES
from hotline.numfmt import CENT, ratio, round_half_up


def in_month(times: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """True where a timestamp falls in [start, end); NaT is False."""
    return (times >= start) & (times < end)


def row_flags(orders: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, scoring: Scoring) -> pd.DataFrame:
    """Per-row month membership and event counts, one column per event plus signed/closed/visited flags.

    The frame is aligned with `orders`; drill-downs use it to list the orders behind a deduction.
    """
    signed = in_month(orders["signed_at"], start, end)
    limits = {i.event: pd.Timedelta(hours=float(i.limit_hours)) for i in scoring.items
              if isinstance(i, PerEventRule) and i.limit_hours is not None}
    flags = pd.DataFrame(index=orders.index)
    flags["signed"] = signed
    flags["closed"] = in_month(orders["closed_at"], start, end)
    flags["visited"] = in_month(orders["visited_at"], start, end)
    sign_limit = limits.get("late_signing", pd.Timedelta(0))
    flags["late_signing"] = signed & (orders["signed_at"] > orders["dispatched_at"] + sign_limit)
    contact_due = orders["signed_at"] + limits.get("late_contact", pd.Timedelta(0))
    contact = orders["first_contact_at"]
    flags["late_contact"] = signed & ((contact > contact_due) | (contact.isna() & (contact_due < end)))
    closed = orders["closed_at"]
    flags["late_closure"] = in_month(orders["deadline"], start, end) & (closed.isna() | (closed > orders["deadline"]))
    for event in ("extensions", "rejections", "repeat_assignments"):
        flags[event] = orders[event].where(signed, 0)
    flags["supervised"] = signed & orders["supervised"]
    flags["send_backs"] = orders["send_backs"].where(flags["closed"], 0)
    visited = flags["visited"]
    flags["unresolved"] = visited & orders["resolved"].eq(False).fillna(False)
    flags["satisfied"] = visited & orders["satisfaction"].eq(SATISFIED).fillna(False)
    flags["basically_satisfied"] = visited & orders["satisfaction"].eq(BASICALLY_SATISFIED).fillna(False)
    flags["dissatisfied"] = visited & orders["satisfaction"].eq(DISSATISFIED).fillna(False)
    return flags.astype("int64")


def unit_counts(orders: pd.DataFrame, flags: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Sum the row flags per unit; every registered unit gets a row, in registry order."""
    counts = flags.groupby(orders["unit"], sort=False).sum()
    counts = counts.reindex(registry.units.index, fill_value=0)
    counts.index.name = "unit"
    return counts


def score_units(counts: pd.DataFrame, scoring: Scoring, info: MonthInfo) -> pd.DataFrame:
    """Item scores (Decimal, exact) per unit: one column per item, then a subtotal per group and 总分.

    Columns are the items' and groups' names from the settings; 总分 is rounded half-up to 0.01.
    """
    rows = {}
    for unit, c in counts.to_dict("index").items():
        row: dict[str, Decimal] = {}
        total = Decimal(0)
        for group in scoring.groups:
            subtotal = Decimal(0)
            for item in group.items:
                value = item_score(item, c, scoring.rate_decimals, info.manual_scores.get((unit, item.name)))
                row[item.name] = value
                subtotal += value
            row[group.name] = subtotal.quantize(CENT)
            total += subtotal
        row["总分"] = round_half_up(total, 2)
        rows[unit] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def item_score(item: Rule, c: Mapping[str, int], rate_decimals: int, manual: Decimal | None = None) -> Decimal:
    """One item's score from a unit's counts `c` (event → count; §4 rule kinds), rounded half-up to 0.01."""
    if isinstance(item, PerEventRule):
        value = max(Decimal(0), item.weight - item.amount * int(c[item.event]))
    elif isinstance(item, RateRule):
        visited = int(c["visited"])
        rate = Decimal(1) if visited == 0 else ratio(visited - int(c["unresolved"]), visited, rate_decimals)
        value = item.weight * rate
    elif isinstance(item, ThresholdRule):
        visited = int(c["visited"])
        if visited == 0:
            value = item.weight
        elif Fraction(int(c["satisfied"]) + int(c["basically_satisfied"]), visited) < Fraction(item.min_rate):
            value = Decimal(0)
        else:
            lost = sum(amount * int(c[event]) for event, amount in item.deductions.items())
            value = max(Decimal(0), item.weight - lost)
    elif isinstance(item, ManualRule):
        value = item.default if manual is None else manual
    else:  # pragma: no cover - the settings model admits no other kind
        raise TypeError(item)
    return round_half_up(value, 2)


def unit_rate(counts: pd.DataFrame, decimals: int) -> pd.Series:
    """Each unit's resolution rate, rounded half-up; NaN-free: units without visits are omitted."""
    with_visits = counts[counts["visited"] > 0]
    return pd.Series({u: ratio(v - n, v, decimals) for u, v, n in
                      zip(with_visits.index, with_visits["visited"], with_visits["unresolved"])}, dtype=object)


def rank(keys: pd.Series) -> pd.Series:
    """Competition ranks, highest key first: (100, 100, 99) → (1, 1, 3). Index order breaks ties for display."""
    first: dict = {}
    for position, key in enumerate(sorted(keys, reverse=True), start=1):
        first.setdefault(key, position)  # 1 + how many keys are greater
    return keys.map(first).astype("int64")


def rank_units(counts: pd.DataFrame, scores: pd.DataFrame, info: MonthInfo, registry: Registry) -> pd.DataFrame:
    """Units ranked this month (≥1 row closed or visited), with signed, total, bonus, key, rank, category.

    Ranks are competition ranks within each 类别 on key = 总分 + 加分; rows stay in registry order.
    """
    ranked = counts[(counts["closed"] > 0) | (counts["visited"] > 0)].index
    bonus: dict[str, Decimal] = {}
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
