"""The analysis flavour's sections as HTML fragments: 环比, charts, and a drill-down page per unit.

The analysis flavour is the official bulletin followed by these sections; the notebook tags
their cells ``analysis`` and the official exporter leaves them out. Figures come from
:mod:`hotline.compute.trends` and :mod:`hotline.compute.drilldown`, charts from :mod:`hotline.render.charts`.
No personal data: drill-downs list 工单编号, 诉求类型 and times only.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pandas as pd

from hotline import config
from hotline.compute.drilldown import EVENTS_COUNTED, POINTS
from hotline.inputs.settings import ManualRule, PerEventRule, RateRule, ThresholdRule
from hotline.names import BASICALLY_SATISFIED, DEPARTMENT, DISSATISFIED, EXPORT_COLUMNS, STREET
from hotline.numfmt import percent, trim
from hotline.render import charts, fonts, sentences
from hotline.render.markup import Fragment, render
from hotline.render.phrases import month_label
from hotline.render.report import figure_html, simple_table_html, wrapped_table_html
from hotline.render.styles import stylesheet, visible_text
from hotline.render.tables import total_text

FOCUS_LIMIT = 20  # full drill-down pages in the analysis document (every unit's is in units/)
RESOLVED_COLUMN = "resolved"  # only the 问题解决 item's rows (the unresolved orders) have it
RANK_NEW = "新"
RANK_SAME = "—"
COUNT_NAMES = {"signed": "签收", "closed": "办结", "visited": "回访"}
# The drill-down's order columns as the pages head them.
ORDER_HEADERS = {v: k for k, v in EXPORT_COLUMNS.items()} | {EVENTS_COUNTED: "次数", POINTS: "扣分"}
RESOLVED = {True: "解决", False: "未解决"}
YES_NO = {True: "是", False: "否"}
TIME_FORMAT = "%Y-%m-%d %H:%M"


# --------------------------------------------------------------------------- 环比 in words


def rank_change(current: int, previous: int | None) -> str:
    """A rank's change as the analysis shows it: 5 after 7 → '↑2', 4 after 3 → '↓1', same → '—', new → '新'."""
    if previous is None:
        return RANK_NEW
    if current == previous:
        return RANK_SAME
    return f"↑{previous - current}" if current < previous else f"↓{current - previous}"


def signed_change(delta: int | Decimal, unit: str = "") -> str:
    """+12 → '+12', −3 → '-3', 0 → '0' (with an optional unit: '+0.6个百分点')."""
    sign = "+" if delta > 0 else ""
    return f"{sign}{trim(delta) if isinstance(delta, Decimal) else delta}{unit}"


def district_change_table(district: pd.DataFrame) -> pd.DataFrame:
    """指标, 本月, 上月, 环比 of trends.district_changes: 签收, 办结, 回访 (件) and 问题解决率 (个百分点);
    上月 and 环比 blank without last month."""
    rows = []
    for key, now, before, change in zip(district.index, district["current"], district["previous"], district["change"]):
        missing = before is None or pd.isna(before)
        if key == "rate":
            rows.append(["问题解决率", percent(now), "" if missing else percent(before),
                         "" if missing else signed_change(change, "个百分点")])
        else:
            rows.append([f"{COUNT_NAMES[key]}工单", f"{now}件", "" if missing else f"{before}件",
                         "" if missing else signed_change(change, "件")])
    return pd.DataFrame(rows, columns=["指标", "本月", "上月", "环比"])


def change_paragraph(b, t) -> str:
    """一、环比变化's paragraph: the wording template trend_paragraph ('' without last month)."""
    trend = sentences.trend_figures(t)
    return "" if trend is None else b.wording.text("trend_paragraph", b.context | {"trend": trend})


# --------------------------------------------------------------------------- chart data


def ranked_units(b) -> list[str]:
    """The ranked units in the 附件's order: 街道 then 区直部门, each by rank."""
    return [u for key in ("units_streets", "units_departments") for u in b.tables[key].frame["责任单位"]]


def score_frame(b, category: str) -> pd.DataFrame:
    """单位 (short name), 总分, 加分 of one group's ranked units, highest key first, and 标注, the
    bar's label as the 附件 prints the score ('99.30', '94.17+0.5')."""
    units = [u for u in ranked_units(b) if b.ranked.at[u, "category"] == category]
    return pd.DataFrame({"单位": [b.registry.short(u) for u in units],
                         "总分": [b.ranked.at[u, "total"] for u in units],
                         "加分": [b.ranked.at[u, "bonus"] for u in units],
                         "标注": [_total_label(b, u) for u in units]})


def _total_label(b, unit: str) -> str:
    """A unit's 总分 as its category's 附件 prints it, the bonus after it: '94.17+0.5'."""
    bonus = b.ranked.at[unit, "bonus"]
    total = total_text(b.ranked.at[unit, "total"], b.ranked.at[unit, "category"], b.settings)
    return total + (f"+{trim(bonus)}" if bonus else "")


def rate_frame(b) -> pd.DataFrame:
    """单位 (short name), 解决率, 回访 of every unit with visits, highest rate first (more visits first on ties)."""
    rates = b.rates
    visited = b.counts.loc[rates.index, "visited"]
    order = sorted(rates.index, key=lambda u: (-rates[u], -int(visited[u]), int(b.registry.order[u])))
    return pd.DataFrame({"单位": [b.registry.short(u) for u in order], "解决率": [rates[u] for u in order],
                         "回访": [int(visited[u]) for u in order]})


# --------------------------------------------------------------------------- sections


def _figures(b, t) -> list[tuple[bytes, str]]:
    """The five charts (the scores chart in one figure per group) with their captions."""
    label = month_label(b.month)
    first, last = t.series.index[0], t.series.index[-1]
    return [
        (charts.district_trend_chart(t.series), f"全区签收、办结、回访工单和问题解决率（{month_label(first)}至{month_label(last)}）"),
        (charts.unit_scores_chart(score_frame(b, STREET)), f"{STREET}综合得分（{label}，斜线为加分）"),
        (charts.unit_scores_chart(score_frame(b, DEPARTMENT)), f"{DEPARTMENT}综合得分（{label}，斜线为加分）"),
        (charts.resolution_chart(rate_frame(b), b.figures.rate), f"各单位问题解决率与全区解决率（{label}）"),
        (charts.topic_change_chart(t.topics), f"工单数量前{len(t.topics)}位的诉求类型及环比（{label}）"),
        (charts.channel_chart(t.channels), f"各来源渠道工单数量（{label}）"),
    ]


def rank_table(t, category: str) -> Fragment:
    """One group's units with '排名（变化）', three units to a table row: '5（↑2）'."""
    mine = t.ranks[t.ranks["category"] == category]
    df = pd.DataFrame({"单位": mine.index, "排名（环比）": [f"{r}（{rank_change(r, p)}）"
                                                        for r, p in zip(mine["rank"], mine["previous_rank"])]})
    return wrapped_table_html(df, 3, "ranks")


def section_analysis(b, t) -> Fragment:
    """数据分析: 环比 (paragraph, district table, rank changes) and the charts, numbered 图1…"""
    figures = [figure_html(svg, f"图{i}  {caption}") for i, (svg, caption) in enumerate(_figures(b, t), start=1)]
    return render("analysis.html.j2", s=b.sentences, changes_text=change_paragraph(b, t) or b.sentences["no_previous"],
                  changes=simple_table_html(district_change_table(t.district), cls="changes"),
                  street=STREET, street_ranks=rank_table(t, STREET),
                  department=DEPARTMENT, department_ranks=rank_table(t, DEPARTMENT), figures=figures)


# --------------------------------------------------------------------------- drill-down


def unit_anchor(b, unit: str) -> str:
    """The drill-down page's id within the analysis HTML: 'unit-7' (the unit's registry order)."""
    return f"unit-{int(b.registry.order[unit])}"


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


def _counts(b, d) -> dict:
    """The unit's signed, visited and unresolved orders and its 问题解决率 (None without visits)."""
    counts = b.counts.loc[d.unit]
    return {"signed": int(counts["signed"]), "visited": int(counts["visited"]),
            "unresolved": int(counts["unresolved"]), "rate": b.rates.get(d.unit)}


def rule_text(i, d) -> str:
    """An item's scoring rule in words, as its drill-down row shows it (i: an ItemBreakdown of `d`)."""
    rule = i.rule
    if isinstance(rule, PerEventRule):
        return f"每件（次）扣 {rule.amount} 分，扣完为止"
    if isinstance(rule, RateRule):
        return f"{rule.weight} × 问题解决率（本月回访 {d.visited} 件，未解决 {len(i.orders)} 件）"
    if isinstance(rule, ThresholdRule):
        if i.zeroed:
            return f"满意和基本满意的比例低于 {rule.min_rate:%}，本项得 0 分"
        return "、".join(f"每件{n}扣 {rule.deductions[e]} 分" for e, n in
                        (("dissatisfied", DISSATISFIED), ("basically_satisfied", BASICALLY_SATISFIED))
                        if e in rule.deductions)
    if isinstance(rule, ManualRule):
        return "人工评分"
    raise TypeError(f"unknown rule {rule!r}")


def orders_table(orders: pd.DataFrame) -> pd.DataFrame:
    """A drill-down's orders as the page shows them: Chinese headers, times to the minute,
    解决/未解决 and 是/否."""
    shown = orders.copy()
    for col in shown.columns:
        if str(shown[col].dtype).startswith("datetime"):
            shown[col] = shown[col].dt.strftime(TIME_FORMAT).fillna("")
    if "resolved" in shown:
        shown["resolved"] = shown["resolved"].map(RESOLVED)
    if "supervised" in shown:
        shown["supervised"] = shown["supervised"].map(YES_NO)
    return shown.rename(columns=ORDER_HEADERS)


def items_table(d) -> Fragment:
    """考核项目, 满分, 得分, 失分, 计分规则, 相关工单 — one row per item."""
    rows = [[f"{i.group}·{i.item}", trim(i.weight), trim(i.score), trim(i.lost) if i.lost else "",
             rule_text(i, d), f"{len(i.orders)}件" if len(i.orders) else ""] for i in d.items]
    return simple_table_html(pd.DataFrame(rows, columns=["考核项目", "满分", "得分", "失分", "计分规则", "相关工单"]),
                             cls="items")


def deduction_tables(d) -> list[tuple]:
    """(item, points of the listed orders when they differ from the item's loss, table) of the orders
    behind each deduction with their times, one small table per item (unresolved orders aside)."""
    parts = []
    for item in d.items:
        if not len(item.orders) or RESOLVED_COLUMN in item.orders.columns:
            continue
        total = sum(item.orders[POINTS]) if POINTS in item.orders else None
        once = EVENTS_COUNTED in item.orders and (item.orders[EVENTS_COUNTED] == 1).all()
        shown = item.orders.drop(columns=[EVENTS_COUNTED]) if once else item.orders  # 次数 only when it tells
        parts.append((item, total if total != item.lost else None,
                      simple_table_html(orders_table(shown).astype(str), cls="orders")))
    return parts


def unresolved_lists(d) -> Fragment:
    """The unit's unresolved orders by 诉求类型: each type with its count and its 工单编号 (回访日期)."""
    unresolved = next((i.orders for i in d.items if RESOLVED_COLUMN in i.orders.columns), None)
    if unresolved is None or not len(unresolved):
        return render("unresolved.html.j2", total=0, groups=[])
    groups = []
    for category, n in zip(d.unresolved_by_category["category"], d.unresolved_by_category["unresolved"]):
        mine = orders_table(unresolved[unresolved["category"] == category])
        groups.append((category, n, [(o, str(v)[5:10]) for o, v in zip(mine["工单编号"], mine["回访时间"])]))
    return render("unresolved.html.j2", total=len(unresolved), groups=groups)


def unit_page(b, d, change: str) -> Fragment:
    """One unit's drill-down page: facts, every item's score, the orders behind each deduction."""
    return render("unit_page.html.j2", anchor=unit_anchor(b, d.unit), month=month_label(b.month),
                  d=d, total=total_text(d.total, d.category, b.settings), change=change, counts=_counts(b, d),
                  items=items_table(d), deductions=deduction_tables(d),
                  unresolved=unresolved_lists(d))


def _rank_change_of(t, d) -> str:
    """The unit's rank change since last month: '↑2'."""
    return rank_change(int(t.ranks.at[d.unit, "rank"]), t.ranks.at[d.unit, "previous_rank"])


def focus_units(b, limit: int = FOCUS_LIMIT) -> list[str]:
    """The units whose drill-down the analysis document prints in full: those below the district's
    resolution rate (the bulletin's 二（三）), lowest rate first, at most `limit`. Every unit's
    page is in units/ (hotline.render.analysis.unit_pages), linked from the overview."""
    below = [(rate, u) for u, rate in b.rates.items() if rate < b.figures.rate and u in b.ranked.index]
    order = {u: i for i, u in enumerate(b.ranked.index)}
    return [u for _, u in sorted(below, key=lambda ru: (ru[0], order[ru[1]]))[:limit]]


def overview_rows(b, drilldowns: list, t) -> list[dict]:
    """One row per ranked unit, in the 附件's order: rank, change, total, the points lost in each
    group of items, unresolved orders, and where its page is."""
    rows = []
    for d in drilldowns:
        lost = {g.name: Decimal(0) for g in b.settings.scoring.groups}
        for item in d.items:
            lost[item.group] += item.lost
        rows.append({"unit": d.unit, "category": d.category, "rank": d.rank, "change": _rank_change_of(t, d),
                     "total": _total_label(b, d.unit),
                     "lost": [trim(v) for v in lost.values()], "unresolved": int(d.unresolved_by_category["unresolved"].sum()),
                     "anchor": unit_anchor(b, d.unit), "file": f"{config.UNITS_DIR}/{unit_file_name(d.unit)}"})
    return rows


def section_drilldowns(b, drilldowns: list, t) -> Fragment:
    """五、各单位得分明细: an overview of every ranked unit, in the 附件's order, each linked to its
    own page in units/; the full pages of the focus units (focus_units) follow. The document stays
    readable however many units a city ranks, and the notebook holds no copy of every page."""
    focus = set(focus_units(b))
    return render("drilldowns.html.j2", heading=b.sentences["heading_analysis_drilldowns"],
                  groups=[g.name for g in b.settings.scoring.groups], rows=overview_rows(b, drilldowns, t),
                  focus_count=len(focus), pages=[unit_page(b, d, _rank_change_of(t, d)) for d in drilldowns if d.unit in focus])


def unit_pages(b, drilldowns: list, t) -> dict[str, str]:
    """One HTML page per ranked unit, by file name under units/, and the style.css they share
    (fonts subset to all of them)."""
    files = {unit_file_name(d.unit): str(render(
        "unit_file.html.j2", title=f"{d.unit}得分明细（{month_label(b.month)}）", css_file=config.UNIT_CSS_FILE,
        anchor=unit_anchor(b, d.unit), page=unit_page(b, d, _rank_change_of(t, d)))) for d in drilldowns}
    text = visible_text("".join(files.values()))
    return {config.UNIT_CSS_FILE: fonts.font_face_css(text) + "\n" + stylesheet(), **files}
