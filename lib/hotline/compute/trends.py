"""Month over month (环比) and the history behind the analysis flavour's charts.

The figures of earlier months (hotline.compute.figures.MonthFigures) are built from the same
loaded Workspace (the exports are parsed once). Everything else here is a small pure function
of figures, rankings and counts, so it can be checked by hand. Figures only, in English keys:
the words around them (the 环比 paragraph, rank arrows, the change table's text) are
hotline.render's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from hotline import periods
from hotline.compute.district import DistrictFigures
from hotline.compute.figures import MonthFigures
from hotline.compute.selections import top_counts

TOP_TOPICS = 10
SERIES_COLUMNS = ["signed", "closed", "visited", "rate"]


# --------------------------------------------------------------------------- counts of one month


def district_row(figures: DistrictFigures) -> dict[str, int | Decimal]:
    """signed, closed, visited and the resolution rate (Decimal) of one month's DistrictFigures."""
    return {"signed": figures.signed, "closed": figures.closed, "visited": figures.visited, "rate": figures.rate}


def district_series(history: list[MonthFigures]) -> pd.DataFrame:
    """One row per month (index 'YYYY-MM', oldest first): signed, closed, visited, rate."""
    frame = pd.DataFrame([district_row(m.district) for m in history], index=[m.month for m in history],
                         columns=SERIES_COLUMNS)
    frame.index.name = "month"
    return frame


def signed_counts(orders: pd.DataFrame, flags: pd.DataFrame, column: str) -> dict[str, int]:
    """Distinct orders signed in the month per value of `column` (category or channel), most first."""
    signed = orders.loc[flags["signed"] == 1, ["order_id", column]].drop_duplicates()
    return dict(top_counts(signed[column], len(signed)))


# --------------------------------------------------------------------------- changes


def points_change(current: Decimal | int, previous: Decimal | int) -> Decimal:
    """The change of a rate in percentage points: 0.885, 0.867 → Decimal('1.8')."""
    return (Decimal(current) - Decimal(previous)) * 100


def district_changes(current: dict[str, int | Decimal], previous: dict[str, int | Decimal] | None) -> pd.DataFrame:
    """Per figure (index: signed, closed, visited, rate): current, previous and change, None without
    last month; the rate's change is in percentage points (Decimal), the counts' in orders (int)."""
    rows = []
    for key in SERIES_COLUMNS:
        now, before = current[key], None if previous is None else previous[key]
        if before is None:
            change = None
        else:
            change = points_change(now, before) if key == "rate" else now - before
        rows.append([key, now, before, change])
    return pd.DataFrame(rows, columns=["figure", "current", "previous", "change"]).set_index("figure")


def rank_changes(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Per ranked unit (current order): category, rank, previous_rank (None if unranked then),
    rise (places gained, negative when fallen; 0 when new)."""
    before = {} if previous is None else {u: int(r) for u, r in previous["rank"].items()}
    ranks = [int(r) for r in current["rank"]]
    prevs = [before.get(u) for u in current.index]
    index = pd.Index(current.index, name="unit")
    return pd.DataFrame({"category": list(current["category"]), "rank": ranks,
                         "previous_rank": pd.Series(prevs, index=index, dtype=object),  # None stays None
                         "rise": [0 if p is None else p - r for r, p in zip(ranks, prevs)]}, index=index)


def topic_changes(current: dict[str, int], previous: dict[str, int] | None, n: int = TOP_TOPICS) -> pd.DataFrame:
    """The top `n` categories of this month (most first): current, previous count and change (None without last month)."""
    rows = []
    for category, count in list(current.items())[:n]:
        before = None if previous is None else previous.get(category, 0)
        rows.append([category, count, before, None if before is None else count - before])
    return pd.DataFrame(rows, columns=["category", "current", "previous", "change"])


def rising_topics(current: dict[str, int], previous: dict[str, int], n: int = 3) -> list[tuple[str, int]]:
    """The `n` categories whose count rose most since last month (rises only; equal rises in name order)."""
    rises = {c: k - previous.get(c, 0) for c, k in current.items() if k > previous.get(c, 0)}
    return sorted(rises.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def biggest_moves(ranks: pd.DataFrame) -> tuple[tuple[str, int] | None, tuple[str, int] | None]:
    """(unit, places) of the unit that rose most and of the one that fell most since last month
    (None when none rose / fell; units new to the ranking left out)."""
    moved = ranks[ranks["previous_rank"].notna()]
    up = down = None
    if len(moved) and moved["rise"].max() > 0:
        unit = moved["rise"].idxmax()
        up = (unit, int(moved.at[unit, "rise"]))
    if len(moved) and moved["rise"].min() < 0:
        unit = moved["rise"].idxmin()
        down = (unit, -int(moved.at[unit, "rise"]))
    return up, down


# --------------------------------------------------------------------------- everything the analysis shows


@dataclass(frozen=True)
class Trends:
    month: str
    previous: str | None          # last month, when the workspace has it
    series: pd.DataFrame          # district_series of the months shown
    district: pd.DataFrame        # district_changes
    ranks: pd.DataFrame           # rank_changes
    topics: pd.DataFrame          # topic_changes (top 10)
    channels: dict[str, int]      # distinct orders signed per channel, most first
    rising: list[tuple[str, int]]  # rising_topics ([] without last month)


def build_trends(history: list[MonthFigures]) -> Trends:
    """Trends of the last month in `history` (oldest first, as hotline.bulletin.load_history returns it)."""
    m = history[-1]
    last = history[-2] if len(history) > 1 and history[-2].month == periods.previous(m.month) else None
    now = district_row(m.district)
    before = None if last is None else district_row(last.district)
    topics_now = signed_counts(m.orders, m.flags, "category")
    topics_before = None if last is None else signed_counts(last.orders, last.flags, "category")
    ranks = rank_changes(m.ranked, None if last is None else last.ranked)
    rising = [] if topics_before is None else rising_topics(topics_now, topics_before)
    return Trends(m.month, None if last is None else last.month, district_series(history),
                  district_changes(now, before), ranks, topic_changes(topics_now, topics_before),
                  signed_counts(m.orders, m.flags, "channel"), rising)
