"""The figures the wording templates are rendered with (hotline.render.wording), in English keys.

Every sentence of the bulletin comes from a template; this module only gathers what they may
say, as plain numbers, names and lists.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pandas as pd

from hotline import months, periods
from hotline.compute.district import DistrictFigures
from hotline.compute.figures import MonthFigures
from hotline.compute.selections import MonthSelections
from hotline.compute.trends import Trends, biggest_moves, district_changes, district_row
from hotline.inputs.month import MonthInfo
from hotline.inputs.settings import ManualRule, PerEventRule, RateRule, Settings
from hotline.names import BASICALLY_SATISFIED, DISSATISFIED
from hotline.render.wording import LABELS, PERIOD_PREFIX, Wording, names

# Where a month may add text (empty by default).
SLOTS = ("after_opening", "after_city", "after_commentary", "after_district", "after_features", "closing")
# The sentences and slots summary.json records (headings and fixed phrases are in b.text.sentences too).
SENTENCES = ("title", "opening", "after_opening", "city_rank", "after_city", "deduction", "good_units",
             "below_heading", "below_lead", "after_commentary", "after_district", "after_features",
             "bonus_note", "closing")
# Templates that are not one line of the bulletin: a list (the rules), a paragraph of the analysis (its own figures).
NOT_SENTENCES = ("rules", "trend_paragraph")



def figures(settings: Settings, info: MonthInfo, m: MonthFigures, picked: MonthSelections) -> dict[str, Any]:
    """What a wording template may use (hotline.render.wording.FIGURES), for the month of `m`."""
    rule = settings.selections.good_units
    names = settings.display.category_in_sentences
    district, comment = m.district, picked.commentary
    return {
        "district": settings.district, "issuer": settings.issuer, "peer_group": settings.peer_group,
        "month": m.month, "issue": info.issue, "publish_date": info.publish_date,
        # a period has no month of its own: its templates (period_*) say period_label instead
        **({"month_number": months.number(m.month)} if months.is_month(m.month) else {}),
        "signed": district.signed, "closed": district.closed, "visited": district.visited,
        "channels": dict(district.channels), "unresolved": district.unresolved, "deduction": district.deduction,
        "rate": district.rate, "city_rank": picked.city_rank,
        # 本月/上月, 本季度/上季度, 本年度/上年度: the analysis flavour's heads and notes say the period's kind
        **dict(zip(("this_period", "last_period"), periods.relative_names(m.month))),
        "good_units": picked.good_units, "good_min_total": rule.min_total, "good_min_signed": rule.min_signed,
        "full_marks": int((m.ranked["total"] == 100).sum()), "units_with_visits": len(m.rates),
        "below_count": len(picked.below),
        # the categories as a sentence writes them (district.yaml → display.category_in_sentences)
        "commentary": None if comment is None else replace(
            comment, top_categories=[(names.get(cat, cat), n) for cat, n in comment.top_categories]),
        "bonus": [{"unit": b.unit, "points": b.points} for b in info.bonus],
        "stories": len(info.stories), "business_environment": picked.business,
        "rules": rules(settings), "rate_decimals": settings.scoring.rate_decimals,
        "groups": [g.name for g in settings.scoring.groups],
    }


def rules(settings: Settings) -> list[dict[str, Any]]:
    """The scoring items in force, each with what its rule sentence needs."""
    out = []
    for group in settings.scoring.groups:
        for item in group.items:
            rule: dict[str, Any] = {"group": group.name, "name": item.name, "weight": item.weight}
            if isinstance(item, PerEventRule):
                rule |= {"kind": "per_event", "event": item.event, "amount": item.amount,
                         "limit_hours": item.limit_hours or Decimal(0)}
            elif isinstance(item, RateRule):
                rule |= {"kind": "rate"}
            elif isinstance(item, ManualRule):
                rule |= {"kind": "manual", "default": item.default}
            else:
                rule |= {"kind": "threshold", "min_rate": item.min_rate,
                         "deductions": [(name, item.deductions[key]) for key, name in
                                        (("dissatisfied", DISSATISFIED), ("basically_satisfied", BASICALLY_SATISFIED))
                                        if key in item.deductions]}
            out.append(rule)
    return out


def sentences(wording: Wording, figs: dict[str, Any], period: bool = False) -> dict[str, str]:
    """Every sentence, slot, heading and fixed phrase of the bulletin, by template name ('' for an
    empty slot); the label sets (labels_*) are read a label at a time where they are shown. For a
    quarter's or a year's bulletin (`period`), a sentence that has a period version is that
    (period_title for title: template_name)."""
    return {name: wording.text(template_name(name, period), figs) for name in names()
            if name not in NOT_SENTENCES and not name.startswith((LABELS, PERIOD_PREFIX))}


def template_name(name: str, period: bool) -> str:
    """The template a sentence `name` is rendered from: its period version (period_<name>) for a
    period's bulletin when there is one, else `name`."""
    return PERIOD_PREFIX + name if period and PERIOD_PREFIX + name in names() else name


def period_figures(period: str, rule: str, now: DistrictFigures, previous: DistrictFigures | None,
                   year_before: DistrictFigures | None) -> dict[str, Any]:
    """What a period's templates may use beside FIGURES (hotline.render.wording.PERIOD_FIGURES): the
    period as a sentence and a title write it, its kind and months, the scoring rule (district.yaml
    → periods.scores), and the 环比 and 同比 (compared_figures; None where the workspace lacks the
    months of the period compared with)."""
    before, year_ago = periods.previous(period), periods.year_before(period)
    return {
        "period": period, "period_kind": periods.kind(period), "period_label": periods.short_label(period),
        "period_name": periods.label(period), "year": int(period[:4]),
        "period_months": [months.number(m) for m in periods.months_of(period)], "period_rule": rule,
        "previous": {"name": periods.label(before), "label": periods.short_label(before),
                     "figures": None if previous is None else compared_figures(now, previous)},
        "year_before": {"name": periods.label(year_ago), "label": periods.short_label(year_ago),
                        "figures": None if year_before is None else compared_figures(now, year_before)},
    }


def compared_figures(now: DistrictFigures, before: DistrictFigures) -> dict[str, Any]:
    """signed, closed, visited (now, before, change, share of before) and rate (now, before, change
    in percentage points) of the district now against `before`, as trend_paragraph has them."""
    return change_figures(district_changes(district_row(now), district_row(before)))


def change_figures(changes: pd.DataFrame) -> dict[str, Any]:
    """trends.district_changes as the templates say a change: per count now, before, change and
    share (of before; None when before is 0), the rate's now, before and change in points."""
    out: dict[str, Any] = {}
    for key, now, before, change in zip(changes.index, changes["current"], changes["previous"], changes["change"]):
        if key == "rate":
            out[key] = {"now": now, "before": before, "change": change}
        else:
            now, before, change = int(now), int(before), int(change)
            out[key] = {"now": now, "before": before, "change": change,
                        "share": Decimal(abs(change)) / before if before else None}
    return out


def trend_figures(t: Trends) -> dict[str, Any] | None:
    """What the template trend_paragraph may say of the month over month change (None without last
    month): signed, closed, visited (now, before, change, share of before) and rate (now, before,
    change in points), the units that rose and fell most (unit, places) and the rising categories."""
    if t.previous is None:
        return None
    out: dict[str, Any] = change_figures(t.district)
    if months.is_month(t.previous):
        out["previous_month_number"] = months.number(t.previous)
    out["previous_label"] = periods.short_label(t.previous)
    out["rank_up"], out["rank_down"] = biggest_moves(t.ranks)
    out["rising"] = list(t.rising)
    return out
