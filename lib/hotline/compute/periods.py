"""A quarter's or a year's figures (hotline.periods) from its months'.

The district's totals and every rate are pooled over the period's window, from the orders
(an order signed in January and visited in February counts once in each); a unit's scores are
its monthly scores averaged (district.yaml → periods.scores), so the period ranks units on the
months' published scores. The result is a :class:`~hotline.compute.figures.MonthFigures` of the
period, which the selections (hotline.compute.selections) read as they read a month's, and the
monthly totals the 附件 prints beside the period's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from hotline import months, periods
from hotline.compute.district import DistrictFigures, district_figures
from hotline.compute.figures import MonthFigures
from hotline.compute.scoring import rank_units, row_flags, unit_counts, unit_rate
from hotline.inputs.month import MonthInfo
from hotline.inputs.registry import Registry
from hotline.inputs.settings import Scoring
from hotline.numfmt import round_half_up

SCORE_PLACES = 2  # a period's scores round as a month's do: half-up to 0.01


def window(name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """'2023Q1' → [2023-01-01, 2023-04-01): from its first month's start to its last month's end."""
    names = periods.months_of(name)
    return months.window(names[0])[0], months.window(names[-1])[1]


def mean(values: Sequence[Decimal], weights: Sequence[int] | None = None) -> Decimal:
    """The mean of `values` (weighted by `weights` when given and not all zero), exact, then half-up
    to 0.01: (99.30, 98.25, 97.00) → 98.18; weights (100, 300, 0) on (90, 98, 50) → 96."""
    if weights is None or sum(weights) == 0:
        weights = [1] * len(values)
    total = sum((Fraction(v) * w for v, w in zip(values, weights)), Fraction(0))
    return round_half_up(total / sum(weights), SCORE_PLACES)


def ranked_in(monthly: Sequence[MonthFigures]) -> pd.DataFrame:
    """Whether each unit (rows, registry order) was ranked in each month (columns 'YYYY-MM')."""
    units = monthly[0].registry.units.index
    return pd.DataFrame({m.month: units.isin(m.ranked.index) for m in monthly}, index=units)


def monthly_totals(monthly: Sequence[MonthFigures]) -> pd.DataFrame:
    """Each ranked unit's 总分 in each month (columns 'YYYY-MM'), None where it was not ranked."""
    units = monthly[0].registry.units.index
    return pd.DataFrame({m.month: [m.ranked.at[u, "total"] if u in m.ranked.index else None for u in units]
                         for m in monthly}, index=units, dtype=object)


def period_scores(monthly: Sequence[MonthFigures], rule: str) -> pd.DataFrame:
    """Every score column of the months' scores (items, groups, 总分), per unit, averaged over the
    months the unit was ranked in (all of them for a unit never ranked), by `rule`: 'mean' plain,
    'signed_weighted' weighted by the unit's orders signed in each month (plain when none)."""
    took = ranked_in(monthly)
    rows = {}
    for unit in took.index:
        mine = [m for m in monthly if took.at[unit, m.month]] or list(monthly)
        weights = [int(m.counts.at[unit, "signed"]) for m in mine] if rule == "signed_weighted" else None
        rows[unit] = {col: mean([m.scores.at[unit, col] for m in mine], weights) for col in monthly[0].scores.columns}
    return pd.DataFrame.from_dict(rows, orient="index")


@dataclass(frozen=True, kw_only=True)
class PeriodFigures:
    """A period's figures: the period as a MonthFigures (pooled counts, averaged scores, the
    period's ranks) and the months' own (oldest first)."""

    figures: MonthFigures
    monthly: list[MonthFigures]

    @property
    def totals(self) -> pd.DataFrame:
        """Each unit's monthly 总分 (monthly_totals)."""
        return monthly_totals(self.monthly)


def pooled_district(name: str, orders: pd.DataFrame, scoring: Scoring) -> DistrictFigures:
    """The district's distinct orders signed, closed and visited over the period `name`, its
    channels and its resolution rate over the period's visits (spec §3 over the period's window)."""
    start, end = window(name)
    flags = row_flags(orders, start, end, scoring)
    return district_figures(orders, flags, scoring.resolution_item().weight, scoring.rate_decimals)


def period_figures(name: str, monthly: Sequence[MonthFigures], orders: pd.DataFrame, scoring: Scoring,
                   registry: Registry, info: MonthInfo, rule: str) -> PeriodFigures:
    """The period `name` from its months' figures (`monthly`, oldest first) and the orders: flags and
    counts over its window, each unit's averaged scores (period_scores by `rule`), ranked with the
    period's bonus (`info`, periods/<name>/period.yaml) on the averaged 总分."""
    start, end = window(name)
    flags = row_flags(orders, start, end, scoring)
    counts = unit_counts(orders, flags, registry)
    scores = period_scores(monthly, rule)
    figures = MonthFigures(month=name, scoring=scoring, registry=registry, orders=orders, flags=flags, counts=counts,
                           scores=scores, ranked=rank_units(counts, scores, info, registry),
                           rates=unit_rate(counts, scoring.rate_decimals),
                           district=district_figures(orders, flags, scoring.resolution_item().weight,
                                                     scoring.rate_decimals))
    return PeriodFigures(figures=figures, monthly=list(monthly))
