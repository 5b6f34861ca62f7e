"""District figures (spec §3): distinct orders signed, closed and visited, channels, resolution rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from hotline.names import REPORTED_CHANNELS
from hotline.numfmt import ratio, round_half_up


@dataclass(frozen=True)
class DistrictFigures:
    signed: int       # 签收: distinct orders with a row signed in the month
    closed: int       # 办结
    visited: int      # 回访 (V)
    unresolved: int   # U: visited orders with any visited-in-month row 未解决
    channels: dict[str, int]
    rate: Decimal     # round_half_up((V - U) / V)
    deduction: Decimal  # weight − weight × rate of the resolution item


def order_codes(orders: pd.DataFrame) -> np.ndarray:
    """工单编号 as integer codes 0..k-1, so that counting distinct orders is bincount work.

    The loader sorts rows by 工单编号: then equal ids are neighbours and the codes come from one
    comparison of each id with the next (hashing millions of ids costs ten times more).
    Any other order is factorized.
    """
    # pyarrow loads only where a frame goes through Arrow
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pa.array(orders["order_id"])
    if len(ids) > 1 and ids.null_count == 0:
        before, after = ids.slice(0, len(ids) - 1), ids.slice(1)
        if pc.all(pc.less_equal(before, after)).as_py():
            changes = pc.not_equal(before, after).to_numpy(zero_copy_only=False)
            return np.concatenate([[0], np.cumsum(changes)])
    return pd.factorize(orders["order_id"], use_na_sentinel=False)[0]


def distinct(codes: np.ndarray, mask: np.ndarray) -> int:
    """How many distinct codes the rows under `mask` hold."""
    picked = codes[mask]
    return int(np.count_nonzero(np.bincount(picked))) if picked.size else 0


def district_figures(orders: pd.DataFrame, flags: pd.DataFrame, resolution_weight: Decimal,
                     rate_decimals: int = 3) -> DistrictFigures:
    """Count distinct 工单编号 per event; a co-handled order counts once."""
    codes = order_codes(orders)
    signed = flags["signed"].to_numpy() == 1
    v = distinct(codes, flags["visited"].to_numpy() == 1)
    u = distinct(codes, flags["unresolved"].to_numpy() == 1)
    channel = orders["channel"]
    rate = Decimal(1) if v == 0 else ratio(v - u, v, rate_decimals)
    return DistrictFigures(
        signed=distinct(codes, signed),
        closed=distinct(codes, flags["closed"].to_numpy() == 1),
        visited=v,
        unresolved=u,
        channels={c: distinct(codes, signed & (channel == c).to_numpy(dtype=bool, na_value=False))
                  for c in REPORTED_CHANNELS},
        rate=rate,
        deduction=round_half_up(resolution_weight - resolution_weight * rate, 2),
    )
