"""Per-unit drill-down: every point a unit lost, item by item, with the 工单编号 behind it.

Works on the row flags of scoring.row_flags, so it lists exactly the rows the score counted.
No personal data: the orders frame never holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from hotline.inputs.settings import ManualRule, PerEventRule, RateRule, ThresholdRule
from hotline.names import BASICALLY_SATISFIED, DISSATISFIED, EXPORT_COLUMNS

CHINESE = {v: k for k, v in EXPORT_COLUMNS.items()}

# Columns shown for each event, besides 工单编号 and 诉求类型.
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
EVENTS_COUNTED = "次数"
POINTS = "扣分"


@dataclass(frozen=True)
class ItemBreakdown:
    group: str
    item: str
    weight: Decimal
    score: Decimal
    rule: str               # the rule in words
    orders: pd.DataFrame    # the rows behind the deduction, Chinese headers; empty when none

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
    unresolved_by_category: pd.DataFrame  # 诉求类型, 未解决工单数


def _rows(orders: pd.DataFrame, mask: pd.Series, columns: list[str], counts: pd.Series | None,
          amount: Decimal | None) -> pd.DataFrame:
    """The flagged rows of one unit with their times; with an amount, the points each row cost."""
    picked = orders.loc[mask, ["order_id", "category", *columns]].copy()
    for col in columns:
        if str(picked[col].dtype).startswith("datetime"):
            picked[col] = picked[col].dt.strftime("%Y-%m-%d %H:%M").fillna("")
    if "resolved" in picked:
        picked["resolved"] = picked["resolved"].map({True: "解决", False: "未解决"})
    if "supervised" in picked:
        picked["supervised"] = picked["supervised"].map({True: "是", False: "否"})
    if counts is not None:
        picked[EVENTS_COUNTED] = counts[mask].astype(int)
        if amount is not None:
            picked[POINTS] = [amount * int(n) for n in picked[EVENTS_COUNTED]]
    picked = picked.rename(columns=CHINESE)
    return picked.sort_values("工单编号", kind="stable").reset_index(drop=True)


def unit_drilldown(bulletin, unit: str) -> UnitDrilldown:
    """Break a unit's score down item by item, listing the rows behind each deduction."""
    orders, flags = bulletin.orders, bulletin.flags
    mine = orders["unit"] == unit
    scores = bulletin.scores.loc[unit]
    items = []
    for group in bulletin.settings.scoring.groups:
        for item in group.items:
            score = scores[item.name]
            if isinstance(item, PerEventRule):
                rows = _rows(orders, mine & (flags[item.event] > 0), EVENT_COLUMNS[item.event], flags[item.event],
                             item.amount)
                rule = f"每件（次）扣 {item.amount} 分，扣完为止"
            elif isinstance(item, RateRule):
                rows = _rows(orders, mine & (flags["unresolved"] > 0), EVENT_COLUMNS["unresolved"], None, None)
                visited = int(bulletin.counts.at[unit, "visited"])
                rule = f"{item.weight} × 问题解决率（本月回访 {visited} 件，未解决 {len(rows)} 件）"
            elif isinstance(item, ThresholdRule):
                events = [e for e in ("dissatisfied", "basically_satisfied") if e in item.deductions]
                parts = [_rows(orders, mine & (flags[e] > 0), EVENT_COLUMNS[e], flags[e], item.deductions[e])
                         for e in events]
                rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
                if score == 0 and item.weight > 0 and len(rows):
                    rule = f"满意和基本满意的比例低于 {item.min_rate:%}，本项得 0 分"
                else:
                    rule = "、".join(f"每件{n}扣 {item.deductions[e]} 分" for e, n in
                                    (("dissatisfied", DISSATISFIED), ("basically_satisfied", BASICALLY_SATISFIED))
                                    if e in item.deductions)
            elif isinstance(item, ManualRule):
                rows, rule = pd.DataFrame(), "人工评分"
            items.append(ItemBreakdown(group.name, item.name, item.weight, score, rule, rows))
    unresolved = orders.loc[mine & (flags["unresolved"] > 0), "category"].value_counts()
    by_category = pd.DataFrame({"诉求类型": unresolved.index, "未解决工单数": unresolved.values.astype(int)})
    ranked = bulletin.ranked
    in_rank = unit in ranked.index
    return UnitDrilldown(unit, bulletin.registry.units.at[unit, "category"],
                         int(ranked.at[unit, "rank"]) if in_rank else None,
                         scores["总分"], ranked.at[unit, "bonus"] if in_rank else Decimal(0), items, by_category)
