"""Month over month (环比) and the history behind the analysis flavour's charts.

Bulletins of earlier months are built from the same loaded Workspace (the exports are
parsed once). Everything else here is a small pure function of figures, rankings and
counts, so it can be checked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from hotline import months
from hotline.compute.selections import top_counts
from hotline.numfmt import percent, trim

HISTORY_MONTHS = 12
TOP_TOPICS = 10
NEW = "新"
SAME = "—"
SERIES_COLUMNS = ["签收", "办结", "回访", "解决率"]


# --------------------------------------------------------------------------- history


def history_window(months: list[str], month: str, n: int = HISTORY_MONTHS) -> list[str]:
    """The last `n` of `months` up to and including `month`, oldest first."""
    return [m for m in sorted(months) if m <= month][-n:]


# --------------------------------------------------------------------------- counts of one month


def district_row(figures) -> dict:
    """签收, 办结, 回访 and the resolution rate (Decimal) of one month's DistrictFigures."""
    return {"签收": figures.signed, "办结": figures.closed, "回访": figures.visited, "解决率": figures.rate}


def district_series(bulletins: list) -> pd.DataFrame:
    """One row per month (index 'YYYY-MM', oldest first): 签收, 办结, 回访, 解决率."""
    frame = pd.DataFrame([district_row(b.figures) for b in bulletins], index=[b.month for b in bulletins],
                         columns=SERIES_COLUMNS)
    frame.index.name = "月份"
    return frame


def signed_counts(orders: pd.DataFrame, flags: pd.DataFrame, column: str) -> dict[str, int]:
    """Distinct orders signed in the month per value of `column` (诉求类型 or 来源渠道), most first."""
    signed = orders.loc[flags["signed"] == 1, ["order_id", column]].drop_duplicates()
    return dict(top_counts(signed[column], len(signed)))


# --------------------------------------------------------------------------- changes


def signed_change(delta: int | Decimal, unit: str = "") -> str:
    """+12 → '+12', −3 → '-3', 0 → '0' (with an optional unit: '+0.6个百分点')."""
    sign = "+" if delta > 0 else ""
    return f"{sign}{trim(delta) if isinstance(delta, Decimal) else delta}{unit}"


def points_change(current: Decimal, previous: Decimal) -> Decimal:
    """The change of a rate in percentage points: 0.885, 0.867 → Decimal('1.8')."""
    return (Decimal(current) - Decimal(previous)) * 100


def district_changes(current: dict, previous: dict | None) -> pd.DataFrame:
    """指标, 本月, 上月, 环比 for 签收, 办结, 回访 (件) and 问题解决率 (个百分点); 上月 blank without one."""
    rows = []
    for key in SERIES_COLUMNS:
        now, before = current[key], None if previous is None else previous[key]
        if key == "解决率":
            rows.append(["问题解决率", percent(now), "" if before is None else percent(before),
                         "" if before is None else signed_change(points_change(now, before), "个百分点")])
        else:
            rows.append([f"{key}工单", f"{now}件", "" if before is None else f"{before}件",
                         "" if before is None else signed_change(now - before, "件")])
    return pd.DataFrame(rows, columns=["指标", "本月", "上月", "环比"])


def rank_change(current: int, previous: int | None) -> str:
    """A rank's change as the analysis shows it: 5 after 7 → '↑2', 4 after 3 → '↓1', same → '—', new → '新'."""
    if previous is None:
        return NEW
    if current == previous:
        return SAME
    return f"↑{previous - current}" if current < previous else f"↓{current - previous}"


def rank_changes(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Per ranked unit (current order): 类别, 本月排名, 上月排名 (None if unranked then), 变化, 升降 (int)."""
    before = {} if previous is None else {u: int(r) for u, r in previous["rank"].items()}
    rows = []
    for unit, r in current.iterrows():
        prev = before.get(unit)
        rows.append([unit, r["category"], int(r["rank"]), prev, rank_change(int(r["rank"]), prev),
                     0 if prev is None else prev - int(r["rank"])])
    return pd.DataFrame(rows, columns=["单位", "类别", "本月排名", "上月排名", "变化", "升降"]).set_index("单位")


def topic_changes(current: dict[str, int], previous: dict[str, int] | None, n: int = TOP_TOPICS) -> pd.DataFrame:
    """The top `n` 诉求类型 of this month (most first) with last month's count and the change."""
    rows = []
    for category, count in list(current.items())[:n]:
        before = None if previous is None else previous.get(category, 0)
        rows.append([category, count, before, None if before is None else count - before])
    return pd.DataFrame(rows, columns=["诉求类型", "本月", "上月", "增减"])


def rising_topics(current: dict[str, int], previous: dict[str, int], n: int = 3) -> list[tuple[str, int]]:
    """The `n` 诉求类型 whose count rose most since last month (rises only; equal rises in name order)."""
    rises = {c: k - previous.get(c, 0) for c, k in current.items() if k > previous.get(c, 0)}
    return sorted(rises.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


# --------------------------------------------------------------------------- the paragraph


def _count_clause(name: str, now: int, before: int) -> str:
    """'签收工单增加618件（增长11.9%）' / '减少…（下降…）' / '与上月持平'."""
    delta = now - before
    if delta == 0:
        return f"{name}{now}件，与上月持平"
    word, pct_word = ("增加", "增长") if delta > 0 else ("减少", "下降")
    share = f"（{pct_word}{percent(Decimal(abs(delta)) / before)}）" if before else ""
    return f"{name}{now}件，{word}{abs(delta)}件{share}"


def _rate_clause(now: Decimal, before: Decimal) -> str:
    """'问题解决率由86.7%升至88.5%，上升1.8个百分点' (or 降至 / 与上月持平)."""
    diff = points_change(now, before)
    if diff == 0:
        return f"问题解决率{percent(now)}，与上月持平"
    verb, word = ("升至", "上升") if diff > 0 else ("降至", "下降")
    return f"问题解决率由{percent(before)}{verb}{percent(now)}，{word}{trim(abs(diff))}个百分点"


def _rank_sentence(ranks: pd.DataFrame) -> str:
    """'排名上升最多的是东岸街道办事处（上升5位），下降最多的是…（下降3位）。' ('' when no rank moved)."""
    moved = ranks[ranks["上月排名"].notna()]
    parts = []
    if len(moved) and moved["升降"].max() > 0:
        unit = moved["升降"].idxmax()
        parts.append(f"排名上升最多的是{unit}（上升{moved.at[unit, '升降']}位）")
    if len(moved) and moved["升降"].min() < 0:
        unit = moved["升降"].idxmin()
        parts.append(f"下降最多的是{unit}（下降{-moved.at[unit, '升降']}位）")
    return "，".join(parts) + "。" if parts else ""


def change_paragraph(month: str, current: dict, previous: dict, ranks: pd.DataFrame,
                     rising: list[tuple[str, int]]) -> str:
    """What changed most since last month, in the bulletin's own style (three sentences at most)."""
    this, last = months.number(month), months.number(months.previous(month))
    counts = "，".join(_count_clause(f"{k}工单", current[k], previous[k]) for k in ("签收", "办结", "回访"))
    text = f"与{last}月份相比，{this}月份全区{counts}；{_rate_clause(current['解决率'], previous['解决率'])}。"
    text += _rank_sentence(ranks)
    if rising:
        text += "诉求增加最多的类型是" + "、".join(f"“{c}”（增加{d}件）" for c, d in rising) + "。"
    return text


# --------------------------------------------------------------------------- everything the analysis shows


@dataclass(frozen=True)
class Trends:
    month: str
    previous: str | None          # last month, when the workspace has it
    series: pd.DataFrame          # district_series of the months shown
    district: pd.DataFrame        # district_changes
    ranks: pd.DataFrame           # rank_changes
    topics: pd.DataFrame          # topic_changes (top 10)
    channels: dict[str, int]      # distinct orders signed per 来源渠道, most first
    paragraph: str                # change_paragraph ('' without last month)


def build_trends(history: list) -> Trends:
    """Trends of the last bulletin in `history` (oldest first, as load_history returns it)."""
    b = history[-1]
    last = history[-2] if len(history) > 1 and history[-2].month == months.previous(b.month) else None
    now = district_row(b.figures)
    before = None if last is None else district_row(last.figures)
    topics_now = signed_counts(b.orders, b.flags, "category")
    topics_before = None if last is None else signed_counts(last.orders, last.flags, "category")
    ranks = rank_changes(b.ranked, None if last is None else last.ranked)
    paragraph = "" if last is None else change_paragraph(b.month, now, before, ranks,
                                                         rising_topics(topics_now, topics_before))
    return Trends(b.month, None if last is None else last.month, district_series(history),
                  district_changes(now, before), ranks, topic_changes(topics_now, topics_before),
                  signed_counts(b.orders, b.flags, "channel"), paragraph)
