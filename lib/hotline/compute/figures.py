"""One month's figures as the compute layer knows them: the scoring's results for every unit and the
district, in one typed :class:`MonthFigures` that the drill-downs (hotline.compute.drilldown) and
the trends (hotline.compute.trends) read, and that the bulletin carries (hotline.render.model).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hotline import months
from hotline.compute.district import DistrictFigures, district_figures
from hotline.compute.scoring import rank_units, row_flags, score_units, unit_counts, unit_rate
from hotline.inputs.month import MonthInfo
from hotline.inputs.registry import Registry
from hotline.inputs.settings import Scoring


@dataclass(frozen=True, kw_only=True)
class MonthFigures:
    month: str             # 'YYYY-MM'
    scoring: Scoring       # the rules the scores were computed with (district.yaml → scoring)
    registry: Registry
    orders: pd.DataFrame   # the workspace's rows (no personal data), aligned with flags
    flags: pd.DataFrame    # per-row month membership and event counts (scoring.row_flags)
    counts: pd.DataFrame   # per-unit event counts (registry order)
    scores: pd.DataFrame   # per-unit item, group and total scores (Decimal)
    ranked: pd.DataFrame   # ranked units: category, signed, total, bonus, key, rank
    rates: pd.Series       # per-unit resolution rate (Decimal), units with visits only (scoring.unit_rate)
    district: DistrictFigures


def month_figures(month: str, orders: pd.DataFrame, scoring: Scoring, registry: Registry,
                  info: MonthInfo) -> MonthFigures:
    """Score `month` ('YYYY-MM') from the workspace's orders, its rules, registry and the month's
    hand-given scores and bonus (`info`): row flags, unit counts, scores, ranks, rates, district."""
    start, end = months.window(month)
    flags = row_flags(orders, start, end, scoring)
    district = district_figures(orders, flags, scoring.resolution_item().weight, scoring.rate_decimals)
    counts = unit_counts(orders, flags, registry)
    scores = score_units(counts, scoring, info)
    return MonthFigures(month=month, scoring=scoring, registry=registry, orders=orders, flags=flags, counts=counts,
                        scores=scores, ranked=rank_units(counts, scores, info, registry),
                        rates=unit_rate(counts, scoring.rate_decimals), district=district)
