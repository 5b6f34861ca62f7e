"""Per-unit drill-down: every point a unit lost, item by item, with the 工单编号 behind it.

Works on the row flags of scoring.row_flags, so it lists exactly the rows the score counted.
No personal data: the orders frame never holds it. Figures only, in the orders frame's English
columns with raw values (times, bools, counts, Decimal points): the rule in words and the
Chinese headers are hotline.render.analysis's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
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


EMPTY = np.array([], dtype=np.intp)


@dataclass(frozen=True)
class _Flagged:
    """The month's rows flagged with one event (order_id, category and the event's columns), each
    unit's together in 工单编号 order, with each row's count of the event and, given an amount, the
    points it cost; `span`: each unit's rows (start, stop). Selected and sorted once for all
    units, each unit's rows then a slice: a selection per unit and item took seconds for a city."""

    with_count: pd.DataFrame  # the columns shown where no column of the event shows the count
    without_count: pd.DataFrame  # … where one does (驳回次数, 延期次数), or nothing is counted
    in_column: list[np.ndarray]  # per integer column of the event: whether a row's count is its value
    span: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, m: MonthFigures, mine: pd.Series, event: str, counted: bool, amount: Decimal | None) -> _Flagged:
        """The rows of `mine` (a mask of the month's rows: the units asked for) flagged with `event`."""
        flagged = mine & (m.flags[event] > 0)
        columns = ["order_id", "category", *EVENT_COLUMNS[event]]
        rows = m.orders.loc[flagged, columns]
        by_id = np.argsort(rows["order_id"].to_numpy(), kind="stable")
        codes, names = pd.factorize(m.orders.loc[flagged, "unit"].to_numpy()[by_id])
        order = by_id[np.argsort(codes, kind="stable")]  # by unit, each unit's rows still by 工单编号
        rows, codes = rows.iloc[order], np.sort(codes, kind="stable")
        starts = np.searchsorted(codes, np.arange(len(names)))
        span = {str(u): (int(a), int(b)) for u, a, b in zip(names, starts, [*starts[1:], len(codes)])}
        if not counted:
            return cls(rows, rows, [], span)
        events = m.flags.loc[flagged, event].to_numpy()[order].astype(int)
        in_column = [rows[c].to_numpy() == events for c in columns[2:] if pd.api.types.is_integer_dtype(rows[c])]
        rows = rows.assign(**{EVENTS_COUNTED: pd.Series(events, index=rows.index)})
        points = []
        if amount is not None:
            rows = rows.assign(**{POINTS: pd.Series([amount * int(n) for n in events], index=rows.index, dtype=object)})
            points = [POINTS]
        return cls(rows[[*columns, EVENTS_COUNTED, *points]], rows[[*columns, *points]], in_column, span)

    def of_unit(self, unit: str) -> pd.DataFrame:
        """The unit's flagged rows with their times, the count of events where no column of
        the event shows it for all of them, and the points each row cost."""
        start, stop = self.span.get(unit, (0, 0))
        shown = any(equal[start:stop].all() for equal in self.in_column)
        picked = (self.without_count if shown else self.with_count).iloc[start:stop]
        picked.index = pd.RangeIndex(stop - start)
        return picked


class _FlaggedRows(dict[tuple[str, bool, Decimal | None], _Flagged]):
    """_Flagged rows of the month `m`'s rows `mine` by (event, counted, amount), selected when first asked for."""

    def __init__(self, m: MonthFigures, mine: pd.Series) -> None:
        super().__init__()
        self.m, self.mine = m, mine

    def __missing__(self, key: tuple[str, bool, Decimal | None]) -> _Flagged:
        self[key] = _Flagged.of(self.m, self.mine, *key)
        return self[key]

    def of_unit(self, unit: str, event: str, counted: bool = True, amount: Decimal | None = None) -> pd.DataFrame:
        return self[event, counted, amount].of_unit(unit)


def unit_drilldown(m: MonthFigures, unit: str) -> UnitDrilldown:
    """Break a unit's score in the month `m` down item by item, listing the rows behind each deduction."""
    return unit_drilldowns(m, [unit])[0]


def unit_drilldowns(m: MonthFigures, units: list[str]) -> list[UnitDrilldown]:
    """unit_drilldown of each of `units`, the month's flagged rows selected once for them all."""
    mine = m.orders["unit"].isin(units)  # all rows for all units; one unit's rows alone for unit_drilldown
    flagged = _FlaggedRows(m, mine)
    unresolved = m.orders.loc[mine & (m.flags["unresolved"] > 0), ["unit", "category"]]  # in the orders' own order
    unresolved_at = unresolved.groupby("unit", sort=False).indices
    return [_unit_drilldown(m, unit, flagged, unresolved["category"].iloc[unresolved_at.get(unit, EMPTY)])
            for unit in units]


def _item_rows(item: PerEventRule | RateRule | ThresholdRule | ManualRule, unit: str,
               flagged: _FlaggedRows) -> pd.DataFrame:
    """The rows behind one item's deduction for `unit`."""
    if isinstance(item, PerEventRule):
        return flagged.of_unit(unit, item.event, amount=item.amount)
    if isinstance(item, RateRule):
        return flagged.of_unit(unit, "unresolved", counted=False)
    if isinstance(item, ThresholdRule):
        parts = [flagged.of_unit(unit, e, amount=item.deductions[e]) for e in ("dissatisfied", "basically_satisfied")
                 if e in item.deductions]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return pd.DataFrame()


def _unit_drilldown(m: MonthFigures, unit: str, flagged: _FlaggedRows, unresolved: pd.Series) -> UnitDrilldown:
    """One unit's drill-down from the month's flagged rows; `unresolved`: the categories of its unresolved rows."""
    scores = m.scores.loc[unit]
    items = []
    for group in m.scoring.groups:
        for item in group.items:
            score = scores[item.name]
            rows = _item_rows(item, unit, flagged)
            zeroed = isinstance(item, ThresholdRule) and bool(score == 0 and item.weight > 0 and len(rows))
            items.append(ItemBreakdown(group.name, item.name, item.weight, score, item, rows, zeroed))
    counts = unresolved.value_counts()
    by_category = pd.DataFrame({"category": counts.index, "unresolved": counts.values.astype(int)})
    ranked = m.ranked
    in_rank = unit in ranked.index
    return UnitDrilldown(unit, m.registry.units.at[unit, "category"],
                         int(ranked.at[unit, "rank"]) if in_rank else None,
                         scores["总分"], ranked.at[unit, "bonus"] if in_rank else Decimal(0), items,
                         int(m.counts.at[unit, "visited"]), by_category)
