"""District figures (spec §3): distinct orders signed, closed and visited, channels, resolution rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .names import REPORTED_CHANNELS
from .numfmt import ratio, round_half_up


@dataclass(frozen=True)
class DistrictFigures:
    signed: int       # 签收: distinct orders with a row signed in the month
    closed: int       # 办结
    visited: int      # 回访 (V)
    unresolved: int   # U: visited orders with any visited-in-month row 未解决
    channels: dict[str, int]
    rate: Decimal     # round_half_up((V - U) / V)
    deduction: Decimal  # weight − weight × rate of the resolution item


def district_figures(orders: pd.DataFrame, flags: pd.DataFrame, resolution_weight: Decimal,
                     rate_decimals: int = 3) -> DistrictFigures:
    """Count distinct 工单编号 per event; a co-handled order counts once."""
    ids = orders["order_id"]
    signed_ids = ids[flags["signed"] == 1]
    visited_ids = ids[flags["visited"] == 1]
    unresolved_ids = ids[flags["unresolved"] == 1]
    v, u = visited_ids.nunique(), unresolved_ids.nunique()
    by_channel = orders.loc[flags["signed"] == 1].groupby("channel")["order_id"].nunique()
    rate = Decimal(1) if v == 0 else ratio(v - u, v, rate_decimals)
    return DistrictFigures(
        signed=signed_ids.nunique(),
        closed=ids[flags["closed"] == 1].nunique(),
        visited=v,
        unresolved=u,
        channels={c: int(by_channel.get(c, 0)) for c in REPORTED_CHANNELS},
        rate=rate,
        deduction=round_half_up(resolution_weight - resolution_weight * rate, 2),
    )
