"""Per-unit drill-down: every point a unit lost, item by item, with the 工单编号 behind it.

Works on the row flags of scoring.row_flags, so it lists exactly the rows the score counted.
No personal data: the orders frame never holds it. Figures only, in the orders frame's English
columns with raw values (times, bools, counts, Decimal points): the rule in words and the
Chinese headers are hotline.render.analysis's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from hotline.compute.figures import MonthFigures
from hotline.inputs.settings import ManualRule, PerEventRule, RateRule, ThresholdRule

# Columns shown for each event, besides order_id and category.
EVENT_COLUMNS = {
    "late_signing": ["dispatched_at", "signed_at"],
    "late_contact": ["signed_at", "first_contact_at"],
    "late_closure": ["deadline", "closed_at"],
    "extensions": ["signed_at", "extensions"],
    "rejections": ["signed_at", "rejections"],
    "supervised": ["signed_at", "supervised"],
    "repeat_assignments": ["signed_at", "repeat_assignments"],
    "send_backs": ["closed_at", "send_backs"],
    "unresolved": ["closed_at", "visited_at", "resolved"],
    "dissatisfied": ["visited_at", "satisfaction"],
    "basically_satisfied": ["visited_at", "satisfaction"],
}
EVENTS_COUNTED = "events"
POINTS = "points"


@dataclass(frozen=True)
class ItemBreakdown:
    group: str
    item: str
    weight: Decimal
    score: Decimal
    rule: PerEventRule | RateRule | ThresholdRule | ManualRule  # the item's rule in the settings
    orders: pd.DataFrame    # the rows behind the deduction (order_id, category, times…); empty when none
    zeroed: bool = False    # a threshold item scored 0 for a satisfaction rate below its minimum

    @property
    def lost(self) -> Decimal:
        return self.weight - self.score


@dataclass(frozen=True)
class UnitDrilldown:
    unit: str
    category: str
    rank: int | None
    total: Decimal
    bonus: Decimal
    items: list[ItemBreakdown]
    visited: int
    unresolved_by_category: pd.DataFrame  # category, unresolved (orders), most first


def _rows(orders: pd.DataFrame, mask: pd.Series, columns: list[str], counts: pd.Series | None,
          amount: Decimal | None) -> pd.DataFrame:
    """The flagged rows of one unit with their times; with an amount, the points each row cost."""
    picked = orders.loc[mask, ["order_id", "category", *columns]].copy()
    if counts is not None:
        events = counts[mask].astype(int)
        # an event that is a column's count (驳回次数, 延期次数) is already shown by that column
        if not any((picked[c] == events).all() for c in columns if pd.api.types.is_integer_dtype(picked[c])):
            picked[EVENTS_COUNTED] = events
        if amount is not None:
            picked[POINTS] = [amount * int(n) for n in events]
    return picked.sort_values("order_id", kind="stable").reset_index(drop=True)


def unit_drilldown(m: MonthFigures, unit: str) -> UnitDrilldown:
    """Break a unit's score in the month `m` down item by item, listing the rows behind each deduction."""
    mine = m.orders["unit"] == unit
    orders, flags = m.orders[mine], m.flags[mine]  # the unit's rows once, not a mask over all of them per item
    scores = m.scores.loc[unit]
    items = []
    for group in m.scoring.groups:
        for item in group.items:
            score = scores[item.name]
            zeroed = False
            if isinstance(item, PerEventRule):
                rows = _rows(orders, flags[item.event] > 0, EVENT_COLUMNS[item.event], flags[item.event],
                             item.amount)
            elif isinstance(item, RateRule):
                rows = _rows(orders, flags["unresolved"] > 0, EVENT_COLUMNS["unresolved"], None, None)
            elif isinstance(item, ThresholdRule):
                events = [e for e in ("dissatisfied", "basically_satisfied") if e in item.deductions]
                parts = [_rows(orders, flags[e] > 0, EVENT_COLUMNS[e], flags[e], item.deductions[e])
                         for e in events]
                rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
                zeroed = bool(score == 0 and item.weight > 0 and len(rows))
            elif isinstance(item, ManualRule):
                rows = pd.DataFrame()
            items.append(ItemBreakdown(group.name, item.name, item.weight, score, item, rows, zeroed))
    unresolved = orders.loc[flags["unresolved"] > 0, "category"].value_counts()
    by_category = pd.DataFrame({"category": unresolved.index, "unresolved": unresolved.values.astype(int)})
    ranked = m.ranked
    in_rank = unit in ranked.index
    return UnitDrilldown(unit, m.registry.units.at[unit, "category"],
                         int(ranked.at[unit, "rank"]) if in_rank else None,
                         scores["总分"], ranked.at[unit, "bonus"] if in_rank else Decimal(0), items,
                         int(m.counts.at[unit, "visited"]), by_category)
