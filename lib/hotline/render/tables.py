"""The bulletin's tables as display text (golden CSV layout), summary.json, and `hotline tables`."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd

from hotline.compute.district import DistrictFigures
from hotline.compute.selections import BelowRow
from hotline.inputs.settings import Scoring, Settings
from hotline.names import BELOW_DISTRICT_COLUMNS, HOT_TOPIC_COLUMNS, UNIT_TABLE_LEAD, UNIT_TABLE_TAIL
from hotline.numfmt import fixed, percent, trim


def item_columns(scoring: Scoring) -> list[tuple[str, str]]:
    """(column header, score column) in table order: items, then '<group>小计' for groups of 2+ items."""
    cols = []
    for g in scoring.groups:
        cols += [(i.name, i.name) for i in g.items]
        if len(g.items) > 1:
            cols.append((f"{g.name}小计", g.name))
    return cols


def total_text(total: Decimal, category: str, settings: Settings) -> str:
    """A 总分 as the district prints its category's (display.total_format): 96.8 (trim) or 99.30 (fixed)."""
    return (fixed if settings.display.total_format.get(category) == "fixed" else trim)(total)


def unit_table(category: str, ranked: pd.DataFrame, scores: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """附件 table for one 类别: display text, sorted by key descending (registry order among equals)."""
    mine = ranked[ranked["category"] == category]
    mine = mine.iloc[sorted(range(len(mine)), key=lambda i: -mine["key"].iloc[i])]
    columns = [col for _, col in item_columns(settings.scoring)]
    unit_scores = scores.loc[mine.index, columns].to_dict("index")
    rows = []
    for unit, r in mine.to_dict("index").items():
        row = [unit, str(int(r["signed"]))]
        row += [trim(unit_scores[unit][col]) for col in columns]
        row += [total_text(r["total"], category, settings), trim(r["bonus"]) if r["bonus"] else "", str(int(r["rank"]))]
        rows.append(row)
    headers = UNIT_TABLE_LEAD + [h for h, _ in item_columns(settings.scoring)] + UNIT_TABLE_TAIL
    return pd.DataFrame(rows, columns=headers, dtype=str)


def city_table_shown(city: pd.DataFrame) -> pd.DataFrame:
    """The city table as the bulletin shows it: its first head 责任单位, as the seed's (the
    input's and tables/city_ranking.csv's 区)."""
    return city.rename(columns={city.columns[0]: UNIT_TABLE_LEAD[0]})


def below_table(below: list[BelowRow], figures: DistrictFigures) -> pd.DataFrame:
    rows = [[b.unit, str(b.visited), percent(Fraction(b.visited, figures.visited)), str(b.unresolved),
             percent(Fraction(b.unresolved, figures.unresolved)), percent(b.rate)] for b in below]
    return pd.DataFrame(rows, columns=BELOW_DISTRICT_COLUMNS, dtype=str)


def hot_topic_table(topics: list[tuple[str, int]]) -> pd.DataFrame:
    return pd.DataFrame([[c, str(n)] for c, n in topics], columns=HOT_TOPIC_COLUMNS, dtype=str)
