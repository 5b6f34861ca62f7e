"""The bulletin's tables as display text (golden CSV layout), summary.json, and `hotline tables`.

A score table (the 附件's unit tables, the city's table) is a :class:`ScoreTable`: its head's
structure — lead columns, the scoring groups over their columns, the tail — made here once,
from the scoring settings, beside its cells. The bulletin (hotline.render.sections), the workbook
(hotline.render.excel) and the CSV files (hotline.run.outputs) all read it; none infers the
head from the columns' names. The other tables are frames with one head row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from hotline.compute.district import DistrictFigures
from hotline.compute.selections import BelowRow
from hotline.inputs.settings import Group as ScoringGroup
from hotline.inputs.settings import Settings
from hotline.names import (
    BELOW_DISTRICT_COLUMNS,
    BONUS,
    HOT_TOPIC_COLUMNS,
    SUBTOTAL,
    TOTAL,
    UNIT_TABLE_LEAD,
    UNIT_TABLE_TAIL,
)
from hotline.numfmt import fixed, percent, trim
from hotline.render.wording import Labels

# What a score table's column holds (Column.kind); all but BONUS_KIND are its body cells' class
# in the bulletin (hotline.render.layout.CLASSES).
UNIT, NUM, SUB, TOTAL_KIND, BONUS_KIND = "unit", "num", "sub", "total", "bonus"


@dataclass(frozen=True)
class Column:
    """A score table's column: `key` its head in the frame and the CSV ('诉求响应率小计', the city's
    '区'), `label` its head in the bulletin and the workbook ('责任单位'; a group's 小计 and the 总分
    are worded by the label set: column_head), `kind` what its cells hold: UNIT (a unit's name), NUM,
    SUB (a group's 小计), TOTAL_KIND (总分) or BONUS_KIND (加分, which the bulletin prints in the 总分 cell)."""

    key: str
    label: str
    kind: str = NUM


@dataclass(frozen=True)
class Group:
    """A scoring group's head over its columns: its items, then its 小计 when it has two or more."""

    name: str
    points: str  # the group's weight as printed: '30'
    columns: tuple[Column, ...]


def points_head(group: Group, label: Labels) -> str:
    """A group's points as its head prints them after its name: '（30分）' (`label`: the official
    bulletin's label set, its block score_points)."""
    return label("score_points", points=group.points)


def column_head(column: Column, label: Labels) -> str:
    """A column's head as the bulletin and the workbook print it: a group's 小计 and the 总分 as
    `label` (the official bulletin's label set) words them (score_subtotal, score_total), any
    other column its own label."""
    if column.kind == SUB:
        return label("score_subtotal")
    if column.kind == TOTAL_KIND:
        return label("score_total")
    return column.label


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """A score table with the seed's two-level head: the lead columns (责任单位, 签收总量), the
    scoring groups over their columns, the tail (总分, 加分, 排名); `frame` its cells as display
    text, one column a Column.key (tables/*.csv)."""

    lead: tuple[Column, ...]
    groups: tuple[Group, ...]
    tail: tuple[Column, ...]
    frame: pd.DataFrame

    @property
    def columns(self) -> tuple[Column, ...]:
        """Every column, in the head's order: lead, each group's, tail."""
        return self.lead + tuple(c for g in self.groups for c in g.columns) + self.tail

    @property
    def bonus(self) -> Column | None:
        """The 加分 column, if the table has one."""
        return next((c for c in self.tail if c.kind == BONUS_KIND), None)

    def __len__(self) -> int:
        """Its number of rows."""
        return len(self.frame)


def frame_of(table: pd.DataFrame | ScoreTable) -> pd.DataFrame:
    """A bulletin table's cells as display text, as tables/*.csv has them."""
    return table.frame if isinstance(table, ScoreTable) else table


def _group_columns(group: ScoringGroup) -> list[tuple[Column, str]]:
    """A scoring group's columns, each with the score it shows (its column in
    hotline.compute.scoring's scores): the items, then '<group>小计' for a group of 2+ items."""
    cols = [(Column(i.name, i.name), i.name) for i in group.items]
    if len(group.items) > 1:
        cols.append((Column(group.name + SUBTOTAL, SUBTOTAL, SUB), group.name))
    return cols


def _group(group: ScoringGroup, columns: list[Column]) -> Group:
    return Group(group.name, trim(Decimal(group.weight)), tuple(columns))


def _other_column(key: str) -> Column:
    """A column outside the groups by its head: 总分, 加分 or a figure."""
    return Column(key, key, {TOTAL: TOTAL_KIND, BONUS: BONUS_KIND}.get(key, NUM))


def total_text(total: Decimal, category: str, settings: Settings) -> str:
    """A 总分 as the district prints its category's (display.total_format): 96.8 (trim) or 99.30 (fixed)."""
    return (fixed if settings.display.total_format.get(category) == "fixed" else trim)(total)


def unit_table(category: str, ranked: pd.DataFrame, scores: pd.DataFrame, settings: Settings) -> ScoreTable:
    """附件 table for one 类别: display text, sorted by key descending (registry order among equals)."""
    mine = ranked[ranked["category"] == category]
    mine = mine.iloc[sorted(range(len(mine)), key=lambda i: -mine["key"].iloc[i])]
    made = [(g, _group_columns(g)) for g in settings.scoring.groups]
    sources = [source for _, cols in made for _, source in cols]
    unit_scores = scores.loc[mine.index, sources].to_dict("index")
    rows = []
    for unit, r in mine.to_dict("index").items():
        row = [unit, str(int(r["signed"]))]
        row += [trim(unit_scores[unit][source]) for source in sources]
        row += [total_text(r["total"], category, settings), trim(r["bonus"]) if r["bonus"] else "", str(int(r["rank"]))]
        rows.append(row)
    lead = (Column(UNIT_TABLE_LEAD[0], UNIT_TABLE_LEAD[0], UNIT), *map(_other_column, UNIT_TABLE_LEAD[1:]))
    groups = tuple(_group(g, [c for c, _ in cols]) for g, cols in made)
    keys = UNIT_TABLE_LEAD + [c.key for g in groups for c in g.columns] + UNIT_TABLE_TAIL
    return ScoreTable(lead, groups, tuple(map(_other_column, UNIT_TABLE_TAIL)), pd.DataFrame(rows, columns=keys, dtype=str))


def city_table(city: pd.DataFrame, settings: Settings) -> ScoreTable:
    """The city's peer-district table (the input as given) as a score table: the scoring groups'
    columns it has under their groups; the columns before the first of them lead (the first, its
    区, headed 责任单位 as the seed), the others follow (总分, 排名)."""
    keys = list(city.columns)
    groups = []
    for g in settings.scoring.groups:
        cols = [c for c, _ in _group_columns(g) if c.key in keys]
        if cols:
            groups.append(_group(g, cols))
    grouped = {c.key for g in groups for c in g.columns}
    first = min((keys.index(k) for k in grouped), default=len(keys))
    lead = tuple(Column(k, UNIT_TABLE_LEAD[0], UNIT) if i == 0 else _other_column(k) for i, k in enumerate(keys[:first]))
    tail = tuple(_other_column(k) for k in keys[first:] if k not in grouped)
    return ScoreTable(lead, tuple(groups), tail, city)


def below_table(below: list[BelowRow], figures: DistrictFigures) -> pd.DataFrame:
    rows = [[b.unit, str(b.visited), percent(Fraction(b.visited, figures.visited)), str(b.unresolved),
             percent(Fraction(b.unresolved, figures.unresolved)), percent(b.rate)] for b in below]
    return pd.DataFrame(rows, columns=BELOW_DISTRICT_COLUMNS, dtype=str)


def hot_topic_table(topics: list[tuple[str, int]]) -> pd.DataFrame:
    return pd.DataFrame([[c, str(n)] for c, n in topics], columns=HOT_TOPIC_COLUMNS, dtype=str)
