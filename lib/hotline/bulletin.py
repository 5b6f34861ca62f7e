"""One month's bulletin, assembled: the workspace's inputs (hotline.inputs), the figures
computed from them (hotline.compute) and their display text (hotline.render.tables and
.sentences), in one typed :class:`~hotline.render.model.Bulletin`. Also the earlier months'
figures behind the trends, and the check of a whole workspace that `hotline validate` prints.
"""

from __future__ import annotations

from pathlib import Path

from hotline import config, months, periods
from hotline.compute.district import DistrictFigures
from hotline.compute.figures import MonthFigures, month_figures
from hotline.compute.periods import PeriodFigures, period_figures, pooled_district
from hotline.compute.scoring import in_month
from hotline.compute.selections import check_city_table, month_selections
from hotline.errors import InputError, Problem
from hotline.inputs.exports import load_exports
from hotline.inputs.month import MonthInfo, load_month_info
from hotline.inputs.registry import load_registry
from hotline.inputs.settings import ManualRule, Settings, load_settings
from hotline.inputs.workspace import Workspace, load_workspace
from hotline.names import DEPARTMENT, STREET
from hotline.render import sentences
from hotline.render.model import Bulletin, BulletinText
from hotline.render.period_tables import period_unit_table
from hotline.render.tables import below_table, city_table, hot_topic_table, unit_table
from hotline.render.wording import Wording

__all__ = ["Bulletin", "build_bulletin", "build_period_bulletin", "load_history", "validate_workspace"]


def build_bulletin(month: str, workspace: Path | Workspace = config.DEFAULT_WORKSPACE) -> Bulletin:
    """Compute the bulletin of `month` ('YYYY-MM') from a workspace folder (or one already loaded);
    of a quarter or a year ('2023Q1', '2022') by build_period_bulletin."""
    if periods.kind(month) != periods.MONTH:  # a malformed name (2023-13, ../x) is refused before any folder is read
        return build_period_bulletin(month, workspace)
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


def build_period_bulletin(period: str, workspace: Path | Workspace = config.DEFAULT_WORKSPACE) -> Bulletin:
    """Compute the bulletin of a quarter or a year (`period`: '2023Q1', '2022') from a workspace:
    every month of it scored as its own bulletin scores it (each needs its month folder and its
    orders, else an InputError naming the months missing), the period's inputs from periods/<period>/,
    its figures by hotline.compute.periods and the comparisons with the period before and a year before."""
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    info, made = scored_period(period, ws)
    figures = made.figures
    settings = per_period(ws.settings, len(periods.months_of(period)))
    picked = month_selections(figures, settings, info.city_ranking)
    warnings = ws.warnings + info.warnings
    if info.city_ranking is not None:  # optional for a period: the city publishes few period tables
        warnings += check_city_table(info.city_ranking, figures.district, settings.scoring.resolution_item().weight,
                                     settings, str(Path(config.PERIODS_DIR) / period / config.CITY_RANKING_FILE))
    totals = made.totals
    tables = {
        "units_streets": period_unit_table(STREET, figures.ranked, figures.scores, totals, settings),
        "units_departments": period_unit_table(DEPARTMENT, figures.ranked, figures.scores, totals, settings),
        "below_district": below_table(picked.below, figures.district),
        "hot_topics": hot_topic_table(picked.hot_topics),
    }
    if info.city_ranking is not None:
        tables["city_ranking"] = city_table(info.city_ranking, settings)
    wording = Wording(ws.path, period)
    compared = {which: pooled_district(name, ws.orders, settings.scoring) if not missing_months(name, ws, folders=False)
                else None for which, name in (("previous", periods.previous(period)),
                                              ("year_before", periods.year_before(period)))}
    context = sentences.figures(settings, info, figures, picked) | sentences.period_figures(
        period, settings.periods.scores, figures.district, compared["previous"], compared["year_before"])
    text = BulletinText(sentences=sentences.sentences(wording, context, period=True),
                        rules=wording.paragraphs("rules", context), tables=tables)
    return Bulletin(month=period, settings=settings, info=info, figures=figures, selections=picked, text=text,
                    wording=wording, context=context, warnings=warnings)


def scored_period(period: str, ws: Workspace) -> tuple[MonthInfo, PeriodFigures]:
    """The period folder's inputs and the period's scores from its months', from the loaded
    workspace `ws`; an InputError naming the months it cannot score."""
    settings = ws.settings
    missing = missing_months(period, ws)
    if missing:
        raise InputError(periods.incomplete(period, ws.path, missing))
    monthly = [scored_month(m, ws)[1] for m in periods.months_of(period)]
    info = load_month_info(ws.path, period, ws.registry, {}, settings.checks.max_bonus)  # no hand-given scores
    return info, period_figures(period, monthly, ws.orders, settings.scoring, ws.registry, info, settings.periods.scores)


def per_period(settings: Settings, n: int) -> Settings:
    """The district's settings for a period of `n` months: a good unit's signed orders
    (selections.good_units.min_signed, a month's) n times as many."""
    good = settings.selections.good_units
    good = good.model_copy(update={"min_signed": good.min_signed * n})
    return settings.model_copy(update={"selections": settings.selections.model_copy(update={"good_units": good})})


def missing_months(period: str, ws: Workspace, folders: bool = True) -> list[str]:
    """The months of `period` the workspace cannot score: without any order signed in them, or
    (`folders`) without their month folder (months/<YYYY-MM>/month.yaml)."""
    signed = ws.orders["signed_at"]
    without_folder = set(config.months_without_folder(ws.path, period)) if folders else set()
    return [m for m in periods.months_of(period)
            if m in without_folder or not bool(in_month(signed, *months.window(m)).any())]


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
    checked = months.month_folders(path / config.MONTHS_DIR) + periods.period_folders(path / config.PERIODS_DIR)
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
    if periods.is_period(current.month):
        return period_history(ws, current)
    wanted = months.history_window(months.month_folders(ws.path / config.MONTHS_DIR) + [current.month], current.month, n)
    return [current.figures if m == current.month else scored_month(m, ws)[1] for m in dict.fromkeys(wanted)]


def period_history(ws: Workspace, current: Bulletin) -> list[MonthFigures]:
    """load_history of a period: the figures of the earlier periods of its kind with a folder in
    periods/ and every month scored (periods.history_length of them at most, the current included)."""
    folders = periods.period_folders(ws.path / config.PERIODS_DIR)
    wanted = months.history_window(folders + [current.month], current.month, periods.history_length(current.month))
    earlier = [p for p in dict.fromkeys(wanted) if p != current.month and periods.kind(p) == periods.kind(current.month)
               and not missing_months(p, ws)]
    return [scored_period(p, ws)[1].figures for p in earlier] + [current.figures]
