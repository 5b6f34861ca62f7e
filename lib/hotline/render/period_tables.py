"""A period's 附件 table (hotline.periods): each ranked unit's monthly 总分 beside the period's.

The period's unit table is the month's (hotline.render.tables.unit_table: the same order,
签收总量, 总分 with its 加分, 排名) with the scoring groups' columns replaced by one group of
the months' totals, 月度得分 1月 2月 3月, a dash for a month the unit was not ranked in.
"""

from __future__ import annotations

import pandas as pd

from hotline import months
from hotline.inputs.settings import Settings
from hotline.names import MONTH_COLUMN, MONTHLY_SCORES, NOT_RANKED
from hotline.render.tables import Column, Group, ScoreTable, total_text, unit_table

FULL_MARKS = "100"  # a month's 总分 is out of 100: the group's head reads 月度得分（100分）


def month_cell(total: object, category: str, settings: Settings) -> str:
    """A month's 总分 as the category's 附件 prints a 总分 (display.total_format), NOT_RANKED when None."""
    return NOT_RANKED if total is None or pd.isna(total) else total_text(total, category, settings)  # type: ignore[arg-type]


def period_unit_table(category: str, ranked: pd.DataFrame, scores: pd.DataFrame, totals: pd.DataFrame,
                      settings: Settings) -> ScoreTable:
    """附件 table of one 类别 for a period: the period's `ranked` units and averaged `scores`
    (hotline.compute.periods), and `totals`, each unit's 总分 by month (columns 'YYYY-MM')."""
    base = unit_table(category, ranked, scores, settings)
    columns = tuple(Column(MONTH_COLUMN.format(months.number(m)), MONTH_COLUMN.format(months.number(m)))
                    for m in totals.columns)
    units = list(base.frame[base.lead[0].key])
    by_month = pd.DataFrame({c.key: [month_cell(totals.at[u, m], category, settings) for u in units]
                             for c, m in zip(columns, totals.columns)}, index=base.frame.index, dtype=str)
    frame = pd.concat([base.frame[[c.key for c in base.lead]], by_month, base.frame[[c.key for c in base.tail]]], axis=1)
    return ScoreTable(base.lead, (Group(MONTHLY_SCORES, FULL_MARKS, columns),), base.tail, frame)
