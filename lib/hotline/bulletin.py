"""One month's bulletin, assembled: the workspace's inputs (hotline.inputs), the figures
computed from them (hotline.compute) and their display text (hotline.render.tables and
.sentences), in one typed :class:`~hotline.render.model.Bulletin`. Also the earlier months'
figures behind the trends, and the check of a whole workspace that `hotline validate` prints.
"""

from __future__ import annotations

from pathlib import Path

from hotline import config, months
from hotline.compute.district import DistrictFigures
from hotline.compute.figures import MonthFigures, month_figures
from hotline.compute.selections import check_city_table, month_selections
from hotline.errors import InputError, Problem
from hotline.inputs.exports import load_exports
from hotline.inputs.month import MonthInfo, load_month_info
from hotline.inputs.registry import load_registry
from hotline.inputs.settings import ManualRule, load_settings
from hotline.inputs.workspace import Workspace, load_workspace
from hotline.names import DEPARTMENT, STREET
from hotline.render import sentences
from hotline.render.model import Bulletin, BulletinText
from hotline.render.tables import below_table, city_table, hot_topic_table, unit_table
from hotline.render.wording import Wording

__all__ = ["Bulletin", "build_bulletin", "load_history", "validate_workspace"]


def build_bulletin(month: str, workspace: Path | Workspace = config.DEFAULT_WORKSPACE) -> Bulletin:
    """Compute the bulletin of `month` ('YYYY-MM') from a workspace folder (or one already loaded)."""
    months.year_and_number(month)  # a malformed month (2023-13, ../x) is refused before a folder of that name is read
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    settings = ws.settings
    info, figures = scored_month(month, ws)
    picked = month_selections(figures, settings, info.city_ranking)
    city_source = str(Path(config.MONTHS_DIR) / month / config.CITY_RANKING_FILE)
    resolution_weight = settings.scoring.resolution_item().weight
    warnings = ws.warnings + info.warnings + check_city_table(info.city_ranking, figures.district, resolution_weight,
                                                              settings, city_source)
    tables = {
        "units_streets": unit_table(STREET, figures.ranked, figures.scores, settings),
        "units_departments": unit_table(DEPARTMENT, figures.ranked, figures.scores, settings),
        "below_district": below_table(picked.below, figures.district),
        "hot_topics": hot_topic_table(picked.hot_topics),
    }
    if info.city_ranking is not None:
        tables["city_ranking"] = city_table(info.city_ranking, settings)
    wording = Wording(ws.path, month)
    context = sentences.figures(settings, info, figures, picked)
    text = BulletinText(sentences=sentences.sentences(wording, context), rules=wording.paragraphs("rules", context),
                        tables=tables)
    return Bulletin(month=month, settings=settings, info=info, figures=figures, selections=picked, text=text,
                    wording=wording, context=context, warnings=warnings)


def scored_month(month: str, ws: Workspace) -> tuple[MonthInfo, MonthFigures]:
    """The month folder's inputs and the month's scores, from the loaded workspace `ws`; an
    InputError for a month folder in error or a month without any order signed in it."""
    settings = ws.settings
    manual_items = {i.name: i.weight for i in settings.scoring.items if isinstance(i, ManualRule)}
    info = load_month_info(ws.path, month, ws.registry, manual_items, settings.checks.max_bonus)
    figures = month_figures(month, ws.orders, settings.scoring, ws.registry, info)
    if figures.district.signed == 0:
        raise InputError(no_orders_signed(month, ws.path / config.EXPORTS_DIR, figures.district))
    return info, figures


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


def load_history(ws: Workspace, current: Bulletin, n: int = months.HISTORY_MONTHS) -> list[MonthFigures]:
    """The figures of the workspace's months up to `current`'s (at most `n`), oldest first, for
    hotline.compute.trends.build_trends.

    `current`'s are reused; the earlier months are scored from the loaded `ws` (no export is read
    again), with their month folders' inputs, so a month whose inputs are in error stops the trends
    as it would its own bulletin; their wording is not rendered (the trends use none of it).
    """
    wanted = months.history_window(months.month_folders(ws.path / config.MONTHS_DIR) + [current.month], current.month, n)
    return [current.figures if m == current.month else scored_month(m, ws)[1] for m in dict.fromkeys(wanted)]
