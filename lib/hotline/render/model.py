"""The bulletin of one month as the renderers read it: a typed :class:`Bulletin` that keeps the
inputs, the figures (hotline.compute), the selections and the display text apart.

hotline.bulletin.build_bulletin assembles it; everything in hotline.render that draws a bulletin,
and hotline.run.outputs, takes one. summary.json's content is derived from it by :func:`summary`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from hotline.compute.figures import MonthFigures
from hotline.compute.selections import MonthSelections
from hotline.errors import Problem
from hotline.inputs.month import MonthInfo, Story
from hotline.inputs.settings import Settings
from hotline.numfmt import percent
from hotline.render.sentences import SENTENCES, SLOTS
from hotline.render.tables import ScoreTable
from hotline.render.wording import Wording


@dataclass(frozen=True, kw_only=True)
class BulletinText:
    """What the bulletin prints, as display text (hotline.render.tables, .sentences and the wording)."""

    sentences: dict[str, str]           # every sentence, slot, heading and fixed phrase, by template name
    rules: list[str]                    # the scoring rules in force, one paragraph each (template rules)
    tables: dict[str, pd.DataFrame | ScoreTable]  # as printed, by hotline.config.TABLE_FILES' names (score tables with their head)


@dataclass(frozen=True, kw_only=True)
class Bulletin:
    month: str                          # 'YYYY-MM'
    settings: Settings
    info: MonthInfo                     # months/<MONTH>/: issue, date, bonus, city table, stories
    figures: MonthFigures               # the scoring's results (hotline.compute.figures)
    selections: MonthSelections         # what the sections pick out (hotline.compute.selections)
    text: BulletinText
    wording: Wording                    # the month's templates (the analysis flavour's paragraph uses them too)
    context: dict[str, Any]             # the figures the wording templates see (hotline.render.wording.FIGURES)
    warnings: list[Problem]

    @property
    def stories(self) -> list[Story]:
        return self.info.stories


def summary(b: Bulletin) -> dict[str, Any]:
    """summary.json: the month's key figures, selections and sentences, as JSON values."""
    district, picked, comment = b.figures.district, b.selections, b.selections.commentary
    return {
        "district": b.settings.district,
        "month": b.month,
        "issue": b.info.issue,
        "issuer": b.settings.issuer,
        "publish_date": b.info.publish_date.isoformat(),
        "signed": district.signed,
        "closed": district.closed,
        "visited": district.visited,
        "channels": district.channels,
        "city_rank": picked.city_rank,
        "peer_group": b.settings.peer_group,
        "district_unresolved": district.unresolved,
        "district_resolution_rate": percent(district.rate),
        "district_resolution_deduction": float(district.deduction),
        "units_with_visits": len(b.figures.rates),
        "units_below_district": len(picked.below),
        "good_units": picked.good_units,
        "worst_unit_commentary": None if comment is None else {
            "unit": comment.unit,
            "unit_short": comment.unit_short,
            "visited_share": percent(comment.visited_share, trim_zeros=True),
            "unresolved_share": percent(comment.unresolved_share, trim_zeros=True),
            "resolution_rate": percent(comment.rate, trim_zeros=True),
            "top_unresolved_categories": [list(t) for t in comment.top_categories],
        },
        "hot_topics": [list(t) for t in picked.hot_topics],
        "business_environment": picked.business,
        "bonus": {bonus.unit: float(bonus.points) for bonus in b.info.bonus},
        "stories": [f"{s.unit}: {s.title}" for s in b.info.stories],
        "sentences": {k: b.text.sentences[k] for k in SENTENCES if b.text.sentences[k] or k not in SLOTS},
    }
