"""The analysis flavour's sections as HTML fragments: 环比, charts, and a drill-down page per unit.

The analysis flavour is the official bulletin followed by these sections; the notebook tags
their cells ``analysis`` and the official exporter leaves them out. Figures come from
:mod:`hotline.compute.trends` and :mod:`hotline.compute.drilldown`, charts from :mod:`hotline.render.charts`.
No personal data: drill-downs list 工单编号, 诉求类型 and times only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import numpy as np
import pandas as pd

from hotline import config, periods
from hotline.compute.drilldown import EVENTS_COUNTED, POINTS, ItemBreakdown, UnitDrilldown
from hotline.compute.trends import Trends
from hotline.inputs.exports import NO, YES
from hotline.inputs.settings import ManualRule, PerEventRule, RateRule, ThresholdRule
from hotline.names import BASICALLY_SATISFIED, DEPARTMENT, DISSATISFIED, EXPORT_COLUMNS, RESOLVED, STREET, UNRESOLVED
from hotline.numfmt import percent, trim
from hotline.render import charts, doctree, fonts, sentences
from hotline.render.doctree import PAGE_CLASSES, Heading, Paragraph, Part, Run, Table, read_back, read_back_table
from hotline.render.flavours import stylesheet
from hotline.render.layout import PAGE_SECTIONS
from hotline.render.markup import Fragment, render
from hotline.render.model import Bulletin
from hotline.render.phrases import month_label
from hotline.render.sections import figure_html, simple_table, simple_table_html, table_html, wrapped_table_html
from hotline.render.tables import total_text
from hotline.render.wording import Labels

FOCUS_LIMIT = 20  # full drill-down pages in the analysis document (every unit's is in units/)
RESOLVED_COLUMN = "resolved"  # only the 问题解决 item's rows (the unresolved orders) have it
RANK_SAME = "—"
# The drill-down's order columns as the pages head them (the export's own names; the two the
# drill-down adds are labels): the order's id and visit time are read back by these names.
EXPORT_HEADERS = {v: k for k, v in EXPORT_COLUMNS.items()}
RESOLVED_VALUES = {True: RESOLVED, False: UNRESOLVED}
YES_NO = {True: YES, False: NO}
TIME_UNIT: Final = "m"  # an order's times as the pages show them: to the minute, 2023-03-19 19:54
LABELS = "labels_analysis"  # the label set of these sections (hotline.render.wording)
UNIT_PAGE = PAGE_SECTIONS["unit_page"]  # the class of a unit page's section: a part of the document of its own


def labels(b: Bulletin) -> Labels:
    """The analysis sections' labels for bulletin `b` (its figures, and its month as 2023年3月),
    each rendered once for the same figures (RememberedLabels)."""
    return RememberedLabels(b.wording.labels(LABELS, b.context | {"month_label": month_label(b.month)}))


class RememberedLabels(Labels):
    """A label set that renders each label once for the same figures: a city's 500 unit pages ask
    for the same heads, item names and counts tens of thousands of times. Sound because a label
    is a function of its figures alone (the sandbox lets a template change nothing)."""

    def __init__(self, labels: Labels):
        super().__init__(labels.wording, labels.name, labels.figures)
        self._seen: dict[tuple[str, str], str] = {}

    def __call__(self, block: str, **figures: Any) -> str:
        key = (block, repr(sorted(figures.items())))  # repr tells 0.5 from 0.50, which print apart
        if key not in self._seen:
            self._seen[key] = super().__call__(block, **figures)
        return self._seen[key]


# --------------------------------------------------------------------------- 环比 in words


def rank_change(current: int, previous: int | None, new: str) -> str:
    """A rank's change as the analysis shows it: 5 after 7 → '↑2', 4 after 3 → '↓1', same → '—',
    not ranked last month → `new` (the label rank_new)."""
    if previous is None:
        return new
    if current == previous:
        return RANK_SAME
    return f"↑{previous - current}" if current < previous else f"↓{current - previous}"


def signed_change(delta: int | Decimal) -> str:
    """+12 → '+12', −3 → '-3', 0 → '0', 0.60 → '+0.6'."""
    sign = "+" if delta > 0 else ""
    return f"{sign}{trim(delta) if isinstance(delta, Decimal) else delta}"


def district_change_table(district: pd.DataFrame, label: Labels) -> pd.DataFrame:
    """指标, 本月, 上月, 环比 of trends.district_changes: 签收, 办结, 回访 (件) and 问题解决率 (个百分点);
    上月 and 环比 blank without last month. Heads, names and units are labels (`label`)."""
    rows = []
    for key, now, before, change in zip(district.index, district["current"], district["previous"], district["change"]):
        missing = before is None or pd.isna(before)
        if key == "rate":
            rows.append([label("changes_rate"), percent(now), "" if missing else percent(before),
                         "" if missing else label("changes_points", count=signed_change(change))])
        else:
            rows.append([label(f"changes_{key}"), label("count", count=now),
                         "" if missing else label("count", count=before),
                         "" if missing else label("count", count=signed_change(change))])
    heads = [label(f"changes_head_{h}") for h in ("item", "now", "before", "change")]
    return pd.DataFrame(rows, columns=heads)


def change_paragraph(b: Bulletin, t: Trends) -> str:
    """一、环比变化's paragraph: the wording template trend_paragraph ('' without last month)."""
    trend = sentences.trend_figures(t)
    name = sentences.template_name("trend_paragraph", periods.is_period(b.month))
    return "" if trend is None else b.wording.text(name, b.context | {"trend": trend})


# --------------------------------------------------------------------------- chart data


def ranked_units(b: Bulletin) -> list[str]:
    """The ranked units in the 附件's order: 街道 then 区直部门, each by rank."""
    return [u for key in ("units_streets", "units_departments") for u in b.text.tables[key].frame["责任单位"]]


def score_frame(b: Bulletin, category: str) -> pd.DataFrame:
    """单位 (short name), 总分, 加分 of one group's ranked units, highest key first, and 标注, the
    bar's label as the 附件 prints the score ('99.30', '94.17+0.5')."""
    units = [u for u in ranked_units(b) if b.figures.ranked.at[u, "category"] == category]
    return pd.DataFrame({"单位": [b.figures.registry.short(u) for u in units],
                         "总分": [b.figures.ranked.at[u, "total"] for u in units],
                         "加分": [b.figures.ranked.at[u, "bonus"] for u in units],
                         "标注": [_total_label(b, u) for u in units]})


def _total_label(b: Bulletin, unit: str) -> str:
    """A unit's 总分 as its category's 附件 prints it, the bonus after it: '94.17+0.5'."""
    bonus = b.figures.ranked.at[unit, "bonus"]
    total = total_text(b.figures.ranked.at[unit, "total"], b.figures.ranked.at[unit, "category"], b.settings)
    return total + (f"+{trim(bonus)}" if bonus else "")


def rate_frame(b: Bulletin) -> pd.DataFrame:
    """单位 (short name), 解决率, 回访 of every unit with visits, highest rate first (more visits first on ties)."""
    rates = b.figures.rates
    visited = b.figures.counts.loc[rates.index, "visited"]
    order = sorted(rates.index, key=lambda u: (-rates[u], -int(visited[u]), int(b.figures.registry.order[u])))
    return pd.DataFrame({"单位": [b.figures.registry.short(u) for u in order], "解决率": [rates[u] for u in order],
                         "回访": [int(visited[u]) for u in order]})


# --------------------------------------------------------------------------- sections


def lowest(frame: pd.DataFrame, rows: int) -> pd.DataFrame:
    """The last `rows` rows of a chart's units (sorted highest first): the lowest, still highest first."""
    return frame.iloc[-rows:] if len(frame) > rows else frame


def _figures(b: Bulletin, t: Trends) -> list[tuple[bytes, str]]:
    """The five charts (the scores chart in one figure per group) with their captions. A chart
    of more units than a page holds shows the lowest (charts.SCORES_ROWS, RATES_ROWS), and its
    caption says how many of how many (`shown`, `unit_count`)."""
    label, chart = labels(b), b.wording.labels(charts.LABELS, b.context)
    first, last = t.series.index[0], t.series.index[-1]
    streets, departments, rates = score_frame(b, STREET), score_frame(b, DEPARTMENT), rate_frame(b)

    def shown(frame: pd.DataFrame, rows: int) -> dict[str, int]:
        return {"shown": min(rows, len(frame)), "unit_count": len(frame)}

    return [
        (charts.district_trend_chart(t.series, chart),
         label("caption_trend", first_month=month_label(first), last_month=month_label(last))),
        (charts.unit_scores_chart(lowest(streets, charts.SCORES_ROWS), chart),
         label("caption_scores", category=STREET, **shown(streets, charts.SCORES_ROWS))),
        (charts.unit_scores_chart(lowest(departments, charts.SCORES_ROWS), chart),
         label("caption_scores", category=DEPARTMENT, **shown(departments, charts.SCORES_ROWS))),
        (charts.resolution_chart(lowest(rates, charts.RATES_ROWS), b.figures.district.rate, chart),
         label("caption_rates", **shown(rates, charts.RATES_ROWS))),
        (charts.topic_change_chart(t.topics, chart), label("caption_topics", topic_count=len(t.topics))),
        (charts.channel_chart(t.channels, chart), label("caption_channels")),
    ]


def rank_table(t: Trends, category: str, label: Labels) -> Fragment:
    """One group's units with '排名（变化）', three units to a table row: '5（↑2）'."""
    mine = t.ranks[t.ranks["category"] == category]
    new = label("rank_new")
    df = pd.DataFrame({label("ranks_head_unit"): mine.index,
                       label("ranks_head_rank"): [label("rank", rank=r, change=rank_change(r, p, new))
                                                  for r, p in zip(mine["rank"], mine["previous_rank"])]})
    return wrapped_table_html(df, 3, "ranks")


def section_analysis(b: Bulletin, t: Trends) -> Fragment:
    """数据分析: 环比 (paragraph, district table, rank changes) and the charts, numbered 图1…"""
    label = labels(b)
    figures = [figure_html(svg, label("figure", number=i, caption=caption))
               for i, (svg, caption) in enumerate(_figures(b, t), start=1)]
    return render("analysis.html.j2", s=b.text.sentences, changes_text=change_paragraph(b, t) or b.text.sentences["no_previous"],
                  lead=label("lead"), ranks_note=label("ranks_note"),
                  changes=simple_table_html(district_change_table(t.district, label), cls="changes"),
                  street=STREET, street_ranks=rank_table(t, STREET, label),
                  department=DEPARTMENT, department_ranks=rank_table(t, DEPARTMENT, label), figures=figures)


# --------------------------------------------------------------------------- drill-down


def unit_anchor(b: Bulletin, unit: str) -> str:
    """The drill-down page's id within the analysis HTML: 'unit-7' (the unit's registry order)."""
    return f"unit-{int(b.figures.registry.order[unit])}"


UNIT_NAME_BYTES = 120  # of a unit's file name before its suffix: file systems allow 255 (UTF-8: 3 a character)


def unit_file_name(unit: str) -> str:
    """units/<全称>.html, with characters unsafe in file names (Windows' too) replaced; a name too
    long for a file system cut, with a digest of the full name so that two long names stay apart
    (the page itself says the full name)."""
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]', "_", unit).lstrip(".") or "_"
    if len(name.encode("utf-8")) > UNIT_NAME_BYTES:
        digest = hashlib.sha256(unit.encode("utf-8")).hexdigest()[:10]
        while len(name.encode("utf-8")) > UNIT_NAME_BYTES - len(digest) - 1:
            name = name[:-1]
        name = f"{name}-{digest}"
    return name + ".html"


def _counts(b: Bulletin, d: UnitDrilldown) -> dict[str, Any]:
    """The unit's signed, visited and unresolved orders and its 问题解决率 (None without visits)."""
    counts = b.figures.counts.loc[d.unit]
    return {"signed": int(counts["signed"]), "visited": int(counts["visited"]),
            "unresolved": int(counts["unresolved"]), "rate": b.figures.rates.get(d.unit)}


def rule_text(i: ItemBreakdown, d: UnitDrilldown, label: Labels) -> str:
    """An item's scoring rule in words (its label), as its drill-down row shows it (i: an
    ItemBreakdown of `d`)."""
    rule = i.rule
    if isinstance(rule, PerEventRule):
        return label("rule_per_event", amount=str(rule.amount))
    if isinstance(rule, RateRule):
        return label("rule_rate", weight=str(rule.weight), visited=d.visited, count=len(i.orders))
    if isinstance(rule, ThresholdRule):
        if i.zeroed:
            return label("rule_threshold_zeroed", min_rate=f"{rule.min_rate:%}")
        return label("rule_threshold", deductions=[(n, str(rule.deductions[e])) for e, n in
                                                   (("dissatisfied", DISSATISFIED), ("basically_satisfied", BASICALLY_SATISFIED))
                                                   if e in rule.deductions])
    if isinstance(rule, ManualRule):
        return label("rule_manual")
    raise TypeError(f"unknown rule {rule!r}")


def _column_text(column: pd.Series) -> list[str]:
    """A drill-down's order column as the page shows it: times to the minute, 解决/未解决 and
    是/否, an empty value blank, anything else as its text. The column is formatted whole (its
    times by numpy, its empty values by one mask), not value by value: a city's pages show some
    50,000 of these cells."""
    if column.dtype.kind == "M":  # the exports' times, naive (datetime64[us])
        times = np.datetime_as_string(column.to_numpy(), unit=TIME_UNIT).tolist()  # '2023-03-19T19:54', 'NaT'
        return ["" if t == "NaT" else t.replace("T", " ") for t in times]
    values = column.to_numpy()  # empty values NaN, None or pd.NA
    shown = {"resolved": RESOLVED_VALUES, "supervised": YES_NO}.get(str(column.name))
    texts = values.tolist() if shown is None else [shown.get(v, "") for v in values.tolist()]
    return ["" if missing else str(v) for v, missing in zip(texts, pd.isna(values).tolist(), strict=True)]


def order_rows(orders: pd.DataFrame, columns: list[str], label: Labels) -> tuple[list[str], list[tuple[str, ...]]]:
    """A drill-down's orders as the page shows them in `columns` (of `orders`): the heads (the
    export's Chinese names, the labels of 次数 and 扣分) and each row's cells as text (_column_text)."""
    heads = EXPORT_HEADERS | {EVENTS_COUNTED: label("orders_head_events"), POINTS: label("orders_head_points")}
    return [heads.get(c, c) for c in columns], list(zip(*(_column_text(orders[c]) for c in columns), strict=True))


def items_table(d: UnitDrilldown, label: Labels) -> Table:
    """考核项目, 满分, 得分, 失分, 计分规则, 相关工单 — one row per item."""
    rows = [[label("item", group=i.group, item=i.item), trim(i.weight), trim(i.score), trim(i.lost) if i.lost else "",
             rule_text(i, d, label), label("count", count=len(i.orders)) if len(i.orders) else ""] for i in d.items]
    heads = [label(f"items_head_{h}") for h in ("item", "weight", "score", "lost", "rule", "orders")]
    return simple_table(heads, rows, cls="items")


def deduction_tables(d: UnitDrilldown, label: Labels) -> list[tuple[str, Table]]:
    """(heading, table) of the orders behind each deduction with their times, one small table per
    item (unresolved orders aside); the heading (label deduction) says the points of the listed
    orders when they differ from the item's loss."""
    parts = []
    for item in d.items:
        orders = item.orders
        if not len(orders) or RESOLVED_COLUMN in orders.columns:
            continue
        total = sum(orders[POINTS].tolist()) if POINTS in orders else None
        once = EVENTS_COUNTED in orders and bool((orders[EVENTS_COUNTED].to_numpy() == 1).all())
        shown = [c for c in orders.columns if not (once and c == EVENTS_COUNTED)]  # 次数 only when it tells
        listed = total if total != item.lost else None
        heading = label("deduction", item=item.item, lost=item.lost, listed=listed, orders=len(orders))
        parts.append((heading, simple_table(*order_rows(orders, shown, label), cls="orders")))
    return parts


def unresolved_groups(d: UnitDrilldown, label: Labels) -> tuple[str, list[tuple[str, list[tuple[str, str]]]]]:
    """The unit's unresolved orders by 诉求类型: the heading over them, and each type's line (its
    count) with its orders as (工单编号, 回访日期 MM-DD); without any, the note that says so and
    no groups."""
    unresolved = next((i.orders for i in d.items if RESOLVED_COLUMN in i.orders.columns), None)
    if unresolved is None or not len(unresolved):
        return label("no_unresolved"), []
    orders: dict[str, list[tuple[str, str]]] = {}  # by category, in the orders' order
    for category, order, visited in zip(unresolved["category"].tolist(), _column_text(unresolved["order_id"]),
                                        _column_text(unresolved["visited_at"]), strict=True):
        orders.setdefault(category, []).append((order, visited[5:10]))
    groups = [(label("unresolved_category", category=category, count=n), orders.get(category, []))
              for category, n in zip(d.unresolved_by_category["category"], d.unresolved_by_category["unresolved"])]
    return label("unresolved", count=len(unresolved)), groups


@dataclass(frozen=True)
class UnitPage:
    """One unit's drill-down page as text and tables: its HTML (unit_page_html) and its document
    tree (unit_page_tree) are both made from it, so the PDF needs no HTML parsed back."""

    unit: str
    anchor: str
    title: str
    facts: str
    items: Table
    deductions: list[tuple[str, Table]]  # (heading, the orders behind the deduction)
    unresolved: str  # the heading over the unresolved orders, or the note that there are none
    unresolved_groups: list[tuple[str, list[tuple[str, str]]]]  # unresolved_groups


def unit_page_of(b: Bulletin, d: UnitDrilldown, change: str, label: Labels) -> UnitPage:
    """The drill-down page of unit `d`: facts, every item's score, the orders behind each deduction."""
    facts = label("unit_facts", category=d.category, rank=d.rank, change=change, unit_bonus=d.bonus,
                  total=total_text(d.total, d.category, b.settings), counts=_counts(b, d))
    heading, groups = unresolved_groups(d, label)
    return UnitPage(d.unit, unit_anchor(b, d.unit), label("unit_title", unit=d.unit), facts, items_table(d, label),
                    deduction_tables(d, label), heading, groups)


def unit_page_html(page: UnitPage) -> Fragment:
    """A unit's drill-down page as markup (unit_page.html.j2)."""
    return render("unit_page.html.j2", anchor=page.anchor, title=page.title, facts=page.facts,
                  items=table_html(page.items), deductions=[(h, table_html(t)) for h, t in page.deductions],
                  unresolved=render("unresolved.html.j2", heading=page.unresolved, groups=page.unresolved_groups))


def unit_page(b: Bulletin, d: UnitDrilldown, change: str, label: Labels) -> Fragment:
    """One unit's drill-down page as markup: facts, every item's score, the orders behind each deduction."""
    return unit_page_html(unit_page_of(b, d, change, label))


def _line(text: str, small: bool = False) -> Run:
    """Text escaped in an element: a line break in it is white space, as in HTML."""
    return Run(text.replace("\n", " "), small=small)


def unit_page_tree(page: UnitPage) -> doctree.Document:
    """The document tree of a unit's own page (units/<全称>.html) for its PDF, built from the page
    itself: the same tree as the parser reads from the HTML (doctree.parse), without the parsing."""
    blocks: list[Heading | Paragraph | Table] = [Heading(2, read_back([_line(page.title)]), "unit-title"),
                                   Paragraph(read_back([_line(page.facts)]), "unit-facts"), read_back_table(page.items)]
    for heading, table in page.deductions:
        blocks += [Heading(4, read_back([_line(heading)]), "deduction"), read_back_table(table)]
    if page.unresolved_groups:
        blocks.append(Heading(4, read_back([_line(page.unresolved)]), "deduction"))
        for category, orders in page.unresolved_groups:
            blocks += [Paragraph(read_back([_line(category)]), "category"),
                       Paragraph(read_back([r for o, day in orders for r in (_line(o), _line(day, small=True))]), "ids")]
    else:
        blocks.append(Paragraph(read_back([_line(page.unresolved)]), "note"))
    kept: list[doctree.Block] = [b for b in blocks if (b.rows if isinstance(b, Table) else b.runs)]  # the parser keeps no empty block
    return doctree.Document(parts=[Part(), Part(UNIT_PAGE, PAGE_CLASSES[UNIT_PAGE], kept, new_page=False)])


def _rank_change_of(t: Trends, d: UnitDrilldown, label: Labels) -> str:
    """The unit's rank change since last month: '↑2'."""
    return rank_change(int(t.ranks.at[d.unit, "rank"]), t.ranks.at[d.unit, "previous_rank"], label("rank_new"))


def focus_units(b: Bulletin, limit: int = FOCUS_LIMIT) -> list[str]:
    """The units whose drill-down the analysis document prints in full: those below the district's
    resolution rate (the bulletin's 二（三）), lowest rate first, at most `limit`. Every unit's
    page is in units/ (hotline.render.analysis.unit_pages), linked from the overview."""
    below = [(rate, u) for u, rate in b.figures.rates.items() if rate < b.figures.district.rate and u in b.figures.ranked.index]
    order = {u: i for i, u in enumerate(b.figures.ranked.index)}
    return [u for _, u in sorted(below, key=lambda ru: (ru[0], order[ru[1]]))[:limit]]


def overview_rows(b: Bulletin, drilldowns: list[UnitDrilldown], t: Trends, label: Labels) -> list[dict[str, Any]]:
    """One row per ranked unit, in the 附件's order: rank, change, total, the points lost in each
    group of items, unresolved orders, and where its page is."""
    rows = []
    for d in drilldowns:
        lost = {g.name: Decimal(0) for g in b.settings.scoring.groups}
        for item in d.items:
            lost[item.group] += item.lost
        rows.append({"unit": d.unit, "category": d.category, "rank": d.rank, "change": _rank_change_of(t, d, label),
                     "total": _total_label(b, d.unit),
                     "lost": [trim(v) for v in lost.values()], "unresolved": int(d.unresolved_by_category["unresolved"].sum()),
                     "anchor": unit_anchor(b, d.unit), "file": f"{config.UNITS_DIR}/{unit_file_name(d.unit)}"})
    return rows


def section_drilldowns(b: Bulletin, drilldowns: list[UnitDrilldown], t: Trends) -> Fragment:
    """五、各单位得分明细: an overview of every ranked unit, in the 附件's order, each linked to its
    own page in units/; the full pages of the focus units (focus_units) follow. The document stays
    readable however many units a city ranks, and the notebook holds no copy of every page."""
    focus, label = set(focus_units(b)), labels(b)
    heads = [label(f"overview_head_{h}") for h in ("unit", "category", "rank", "change", "total")]
    heads += [label("overview_head_lost", group=g.name) for g in b.settings.scoring.groups]
    return render("drilldowns.html.j2", heading=b.text.sentences["heading_analysis_drilldowns"],
                  note=label("drilldowns_note", focus_count=len(focus)),
                  heads=heads + [label("overview_head_unresolved")], rows=overview_rows(b, drilldowns, t, label),
                  pages=[unit_page(b, d, _rank_change_of(t, d, label), label) for d in drilldowns if d.unit in focus])


@dataclass(frozen=True)
class UnitFile:
    """A unit's page for units/: its file name, its HTML, and its document tree for the PDF."""

    name: str
    html: str
    tree: doctree.Document


def unit_pages(b: Bulletin, drilldowns: list[UnitDrilldown], t: Trends) -> Iterator[UnitFile]:
    """One page per ranked unit for units/, made one at a time as they are read (a city's 500
    are never all held); their shared stylesheet is units_stylesheet's."""
    label = labels(b)
    for d in drilldowns:
        page = unit_page_of(b, d, _rank_change_of(t, d, label), label)
        html = render("unit_file.html.j2", title=page.title, css_file=config.UNIT_CSS_FILE, back=label("back"),
                      anchor=page.anchor, page=unit_page_html(page))
        yield UnitFile(unit_file_name(d.unit), str(html), unit_page_tree(page))


def units_stylesheet(text: str) -> str:
    """units/style.css: the bulletin stylesheet and the fonts subset to `text` (every page's visible text)."""
    return fonts.font_face_css(text) + "\n" + stylesheet()
