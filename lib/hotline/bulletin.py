"""One month's bulletin, assembled: the workspace's inputs (hotline.inputs), the figures
computed from them (hotline.compute) and their display text (hotline.render.tables and
.sentences), in one typed :class:`Bulletin`. Also the earlier months behind the trends, and the
check of a whole workspace that `hotline validate` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hotline import config, months
from hotline.compute.district import DistrictFigures, district_figures
from hotline.compute.scoring import rank_units, row_flags, score_units, unit_counts, unit_rate
from hotline.compute.selections import (
    below_district,
    business_environment,
    check_city_table,
    city_rank,
    commentary,
    good_units,
    hot_topics,
)
from hotline.errors import InputError, Problem
from hotline.inputs.exports import load_exports
from hotline.inputs.month import MonthInfo, Story, load_month_info
from hotline.inputs.registry import Registry, load_registry
from hotline.inputs.settings import ManualRule, Settings, load_settings
from hotline.inputs.workspace import Workspace, load_workspace
from hotline.names import DEPARTMENT, STREET
from hotline.numfmt import percent
from hotline.render import sentences
from hotline.render.tables import ScoreTable, below_table, city_table, hot_topic_table, unit_table
from hotline.render.wording import Wording


@dataclass
class Bulletin:
    month: str
    settings: Settings
    info: MonthInfo
    figures: DistrictFigures
    counts: pd.DataFrame   # per-unit event counts (registry order)
    scores: pd.DataFrame   # per-unit item, group and total scores (Decimal)
    ranked: pd.DataFrame   # ranked units: category, signed, total, bonus, key, rank
    rates: pd.Series       # per-unit resolution rate (Decimal), units with visits only (scoring.unit_rate)
    tables: dict[str, pd.DataFrame | ScoreTable]  # score tables (units_*, city_ranking) with their head
    summary: dict
    sentences: dict[str, str]
    rules_text: list[str]
    context: dict          # the figures the wording templates see (hotline.render.wording.FIGURES)
    warnings: list[Problem]
    registry: Registry
    orders: pd.DataFrame   # the workspace's rows (no personal data), aligned with flags
    flags: pd.DataFrame    # per-row month membership and event counts (scoring.row_flags)
    wording: Wording       # the month's wording templates (the analysis flavour's sentences use them too)

    @property
    def stories(self) -> list[Story]:
        return self.info.stories


def build_bulletin(month: str, workspace: Path | Workspace = config.DEFAULT_WORKSPACE) -> Bulletin:
    """Compute the bulletin of `month` ('YYYY-MM') from a workspace folder (or one already loaded)."""
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    settings, registry, orders = ws.settings, ws.registry, ws.orders
    start, end = months.window(month)
    manual_items = {i.name: i.weight for i in settings.scoring.items if isinstance(i, ManualRule)}
    info = load_month_info(ws.path, month, registry, manual_items, settings.checks.max_bonus)

    flags = row_flags(orders, start, end, settings.scoring)
    resolution_weight = settings.scoring.resolution_item().weight
    figures = district_figures(orders, flags, resolution_weight, settings.scoring.rate_decimals)
    if figures.signed == 0:
        raise InputError(no_orders_signed(month, ws.path / config.EXPORTS_DIR, figures))
    counts = unit_counts(orders, flags, registry)
    scores = score_units(counts, settings.scoring, info)
    ranked = rank_units(counts, scores, info, registry)
    rates = unit_rate(counts, settings.scoring.rate_decimals)
    good = good_units(ranked, rates, figures.rate, settings)
    below = below_district(counts, rates, figures.rate, registry)
    comment = commentary(orders, flags, below, figures, registry, settings)
    topics = hot_topics(orders, flags, settings.selections.hot_topics)
    business = business_environment(orders, flags, registry)
    rank = city_rank(info.city_ranking, settings)
    city_source = str(Path(config.MONTHS_DIR) / month / config.CITY_RANKING_FILE)
    warnings = ws.warnings + info.warnings + check_city_table(info.city_ranking, figures, resolution_weight, settings, city_source)

    tables = {
        "units_streets": unit_table(STREET, ranked, scores, settings),
        "units_departments": unit_table(DEPARTMENT, ranked, scores, settings),
        "below_district": below_table(below, figures),
        "hot_topics": hot_topic_table(topics),
    }
    if info.city_ranking is not None:
        tables["city_ranking"] = city_table(info.city_ranking, settings)
    wording = Wording(ws.path, month)
    figs = sentences.figures(month, settings, info, figures, rank, good, int((ranked["total"] == 100).sum()),
                             len(rates), len(below), comment, business)
    text = sentences.sentences(wording, figs)
    summary = {
        "district": settings.district,
        "month": month,
        "issue": info.issue,
        "issuer": settings.issuer,
        "publish_date": info.publish_date.isoformat(),
        "signed": figures.signed,
        "closed": figures.closed,
        "visited": figures.visited,
        "channels": figures.channels,
        "city_rank": rank,
        "peer_group": settings.peer_group,
        "district_unresolved": figures.unresolved,
        "district_resolution_rate": percent(figures.rate),
        "district_resolution_deduction": float(figures.deduction),
        "units_with_visits": len(rates),
        "units_below_district": len(below),
        "good_units": good,
        "worst_unit_commentary": None if comment is None else {
            "unit": comment.unit,
            "unit_short": comment.unit_short,
            "visited_share": percent(comment.visited_share, trim_zeros=True),
            "unresolved_share": percent(comment.unresolved_share, trim_zeros=True),
            "resolution_rate": percent(comment.rate, trim_zeros=True),
            "top_unresolved_categories": [list(t) for t in comment.top_categories],
        },
        "hot_topics": [list(t) for t in topics],
        "business_environment": business,
        "bonus": {b.unit: float(b.points) for b in info.bonus},
        "stories": [f"{s.unit}: {s.title}" for s in info.stories],
        "sentences": {k: text[k] for k in sentences.SENTENCES if text[k] or k not in sentences.SLOTS},
    }
    return Bulletin(month, settings, info, figures, counts, scores, ranked, rates, tables, summary, text,
                    wording.paragraphs("rules", figs), figs, warnings, registry, orders, flags, wording)


def no_orders_signed(month: str, exports: Path, figures: DistrictFigures) -> Problem:
    """The error for a month without any order signed in it: its export is missing (a month folder
    copied ahead of its data), or the month is mistyped. Orders signed earlier and closed or visited
    in the month do not make a bulletin: its figures, rates and rankings all start from the signed."""
    earlier = (f"（导出中只有此前签收、本月办结 {figures.closed} 件或回访 {figures.visited} 件的工单，不足以出通报）"
               if figures.closed or figures.visited else "")
    return Problem(exports, f"{month} 没有签收的工单: {config.EXPORTS_DIR} 文件夹中没有 {month} 的工单明细{earlier}",
                   fix=f"把 {month} 的工单明细导出放进 {config.EXPORTS_DIR} 文件夹；月份写错了就改正月份")


def validate_workspace(path: Path) -> tuple[list[Problem], list[Problem], list[str]]:
    """(errors, warnings, months checked) for a workspace: settings, registry, exports, every month folder."""
    path = Path(path)
    errors: list[Problem] = []
    settings = registry = None
    try:
        settings = load_settings(path / config.SETTINGS_FILE)
    except InputError as exc:
        errors += exc.problems
    try:
        registry = load_registry(path / config.UNITS_FILE)
    except InputError as exc:
        errors += exc.problems
    if registry is None:
        return errors, [], []
    try:
        # Through the workspace's cache like a run: unchanged files are not parsed again.
        loaded = load_exports(path / config.EXPORTS_DIR, registry, cache=path / config.CACHE_DIR)
    except InputError as exc:
        return errors + exc.problems, [], []
    if settings is None:
        return errors, list(loaded.warnings), []
    ws = Workspace(path, settings, registry, loaded.orders)  # the export's warnings are counted once, here
    warnings = list(loaded.warnings) + months.ignored_in_months(path / config.MONTHS_DIR)
    checked = months.month_folders(path / config.MONTHS_DIR)
    for month in checked:
        try:
            warnings += build_bulletin(month, ws).warnings
        except InputError as exc:
            errors += exc.problems
    # a workspace's template or setting fails every month the same way: said once
    return list(dict.fromkeys(errors)), list(dict.fromkeys(warnings)), checked


def load_history(ws: Workspace, current: Bulletin, n: int = months.HISTORY_MONTHS) -> list[Bulletin]:
    """Bulletins of the workspace's months up to `current`'s (at most `n`), oldest first.

    `current` is reused; the earlier months are built from the loaded `ws` (no export is read again).
    """
    wanted = months.history_window(months.month_folders(ws.path / config.MONTHS_DIR) + [current.month], current.month, n)
    return [current if m == current.month else build_bulletin(m, ws) for m in dict.fromkeys(wanted)]
