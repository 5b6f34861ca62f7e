"""The analysis flavour's charts, drawn with matplotlib in the bulletin's Chinese font.

Each function takes plain frames or dicts and the words to draw (`label`: the label set
labels_charts, hotline.render.wording.Labels) and returns an SVG document (bytes): vector
output stays crisp in the HTML and the PDF, and its text is drawn as paths, so it needs
no font where it is shown. Series are told apart by fill and hatching, not by colour
alone, so the charts read in greyscale print too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from hotline import months as hotline_months
from hotline import periods
from hotline.render import fonts

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INK = "#222222"
RED = "#b22222"
GREY = "#9a9a9a"
LIGHT = "#d9d9d9"
WIDTH_IN = 6.2  # the portrait text block, 156 mm
GOOD_LINE = 95
# The most bars a units' chart has, so that it and its caption fit a portrait page (a picture
# taller than the page is cut off in the PDF): with more units, the chart shows the lowest.
SCORES_ROWS = 40
RATES_ROWS = 50
Label = Callable[..., str]  # label("name", **figures) → the label's text
LABELS = "labels_charts"  # the charts' label set (hotline.render.wording)


def _figure(width_in: float, height_in: float) -> Figure:
    """A white matplotlib Figure (no pyplot: no global state, no inline double display)."""
    # matplotlib only when a chart is drawn
    import matplotlib

    fonts.setup_matplotlib()
    # matplotlib only when a chart is drawn
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({"font.size": 9, "hatch.linewidth": 0.6, "svg.hashsalt": "hotline"})
    return Figure(figsize=(width_in, height_in), facecolor="white")


def _svg(fig: Figure) -> bytes:
    """The figure as SVG, stripped of its timestamp so reruns give the same bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", facecolor="white", metadata={"Date": None})
    return buf.getvalue()


def _plain(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _month_ticks(months: list[str], label: Label) -> list[str]:
    """'2022-12', '2023-01' → '12月\\n2022年', '1月\\n2023年': the year under the first month and each January;
    periods as hotline.periods.label writes them ('2022年四季度')."""
    if not all(map(hotline_months.is_month, months)):
        return [periods.label(p) for p in months]
    return [label("tick_month", month_number=int(m[5:])) + ("\n" + label("tick_year", year=int(m[:4]))
                                                            if i == 0 or m.endswith("-01") else "")
            for i, m in enumerate(months)]


def district_trend_chart(series: pd.DataFrame, label: Label) -> bytes:
    """签收, 办结, 回访 per month as grouped bars; the resolution rate as a line on a second axis.

    `series` has columns signed, closed, visited and rate (0..1), a row per month ('YYYY-MM').
    """
    fig = _figure(WIDTH_IN, 3.4)
    ax = fig.add_subplot()
    x = range(len(series))
    styles = [("signed", INK, None), ("closed", "white", "////"), ("visited", LIGHT, "....")]
    width = 0.26
    for k, (column, face, hatch) in enumerate(styles):
        ax.bar([i + (k - 1) * width for i in x], series[column], width, label=label(f"trend_{column}"), color=face,
               edgecolor=INK, linewidth=0.6, hatch=hatch)
    ax.set_xticks(list(x), _month_ticks(list(series.index), label))
    ax.set_ylabel(label("trend_axis"))
    ax.set_ylim(0, series[["signed", "closed", "visited"]].to_numpy().max() * 1.6)  # bars low, the rate line above
    ax.spines[["top"]].set_visible(False)
    rate = ax.twinx()
    values = [float(v) * 100 for v in series["rate"]]
    rate.plot(list(x), values, color=RED, marker="o", markersize=5, linewidth=1.6, label=label("trend_rate"))
    for i, v in zip(x, values):
        rate.annotate(f"{v:.1f}%", (i, v), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8,
                      color=RED, bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    span = max(max(values) - min(values), 1.0)
    rate.set_ylim(min(values) - 4 * span, max(values) + 0.7 * span)  # the line in the top quarter
    rate.set_ylabel(label("trend_rate_axis"))
    rate.spines[["top"]].set_visible(False)
    handles = ax.get_legend_handles_labels()[0] + rate.get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc="upper center", ncol=4, frameon=False, bbox_to_anchor=(0.5, 1.04))
    return _svg(fig)


def unit_scores_chart(units: pd.DataFrame, label: Label, line: float = GOOD_LINE) -> bytes:
    """Horizontal bars of one group's 总分, highest on top, the bonus as a hatched segment, a line at 95.

    `units` has columns 单位 (short name), 总分 and 加分 (numbers) and 标注 (each bar's label, the
    score as the tables print it), already sorted highest first. The 95 line is in the legend,
    where no label can collide with it.
    """
    fig = _figure(WIDTH_IN, 0.21 * len(units) + 0.9)
    ax = fig.add_subplot()
    names = list(units["单位"])[::-1]
    totals = [float(v) for v in units["总分"]][::-1]
    bonus = [float(v) for v in units["加分"]][::-1]
    ax.barh(names, totals, height=0.62, color=GREY, edgecolor=INK, linewidth=0.5, label=label("scores_total"))
    if any(bonus):
        ax.barh(names, bonus, left=totals, height=0.62, color="white", edgecolor=RED, linewidth=0.6, hatch="////",
                label=label("scores_bonus"))
    for i, (t, b, text) in enumerate(zip(totals, bonus, list(units["标注"])[::-1])):
        ax.annotate(text, (t + b, i), textcoords="offset points", xytext=(3, 0), va="center", fontsize=7.5)
    low = min(totals + [line])
    ax.set_xlim(max(0.0, (low // 5) * 5 - 5), 102.5)
    ax.set_xticks([t for t in ax.get_xticks() if t <= 100])
    ax.axvline(line, color=RED, linestyle="--", linewidth=1, label=label("scores_line", line=line))
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlabel(label("scores_axis"))
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, frameon=False, fontsize=8)
    _plain(ax)
    return _svg(fig)


def resolution_chart(units: pd.DataFrame, district_rate: Decimal, label: Label) -> bytes:
    """Each unit's resolution rate (highest on top) against the district's; units below it dark and hatched.

    `units` has columns 单位 (short name), 解决率 (0..1) and 回访 (visited orders), sorted as shown;
    each bar is labelled with its rate and visited count.
    """
    fig = _figure(WIDTH_IN, 0.165 * len(units) + 0.9)
    ax = fig.add_subplot()
    names = list(units["单位"])[::-1]
    rates = [float(v) * 100 for v in units["解决率"]][::-1]
    visited = list(units["回访"])[::-1]
    district = float(district_rate) * 100
    below = [r < district for r in rates]
    ax.barh(names, rates, height=0.66, color=["white" if b else LIGHT for b in below], edgecolor=INK, linewidth=0.4,
            hatch=["//////" if b else None for b in below])
    for i, (r, v) in enumerate(zip(rates, visited)):  # in a column right of 100%, clear of the bars and the line
        ax.annotate(label("rates_bar", rate=f"{r:.1f}", visited=v), (101, i), va="center", fontsize=6.5)
    low = (min(rates + [district]) // 10) * 10 - 5
    ax.set_xlim(max(0.0, low), 121)
    ax.set_xticks([t for t in ax.get_xticks() if low <= t <= 100])
    ax.spines["bottom"].set_bounds(max(0.0, low), 100)
    ax.axvline(district, color=RED, linestyle="--", linewidth=1)
    ax.annotate(label("rates_district", rate=f"{district:.1f}"), (district, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2),
                textcoords="offset points", ha="center", va="bottom", color=RED, fontsize=8)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel(label("rates_axis"))
    _plain(ax)
    return _svg(fig)


def topic_change_chart(topics: pd.DataFrame, label: Label) -> bytes:
    """This month's top 诉求类型 (most on top) against last month, each labelled with the change.

    `topics` has columns category, current, previous and change (previous/change None without last month).
    """
    fig = _figure(WIDTH_IN, 0.42 * len(topics) + 0.9)
    ax = fig.add_subplot()
    rows = topics.iloc[::-1]
    y = range(len(rows))
    has_previous = rows["previous"].notna().all()
    height = 0.38 if has_previous else 0.6
    ax.barh([i + (height / 2 if has_previous else 0) for i in y], rows["current"], height, color=INK, label=label("topics_now"))
    if has_previous:
        ax.barh([i - height / 2 for i in y], rows["previous"].astype(int), height, color="white", edgecolor=INK,
                linewidth=0.5, hatch="////", label=label("topics_before"))
    for i, (now, delta) in enumerate(zip(rows["current"], rows["change"])):
        change = None if pd.isna(delta) else f"{'+' if delta > 0 else ''}{int(delta)}"
        ax.annotate(label("topics_bar", count=now, change=change), (now, i + (height / 2 if has_previous else 0)), textcoords="offset points",
                    xytext=(3, 0), va="center", fontsize=8)
    ax.set_yticks(list(y), rows["category"])
    ax.set_xlim(0, max(rows["current"].max(), rows["previous"].fillna(0).max()) * 1.22)
    ax.set_xlabel(label("topics_axis"))
    ax.legend(loc="lower right", frameon=False)
    _plain(ax)
    return _svg(fig)


def channel_chart(channels: dict[str, int], label: Label) -> bytes:
    """Orders signed this month per 来源渠道 (most on top), labelled with count and share."""
    fig = _figure(WIDTH_IN, 0.36 * len(channels) + 0.8)
    ax = fig.add_subplot()
    names, counts = list(channels)[::-1], list(channels.values())[::-1]
    total = sum(counts) or 1
    ax.barh(names, counts, height=0.6, color=GREY, edgecolor=INK, linewidth=0.5)
    for i, n in enumerate(counts):
        share = f"{n / total:.1%}" if n * 1000 >= total else "<0.1%"
        ax.annotate(label("channels_bar", count=n, share=share), (n, i), textcoords="offset points", xytext=(3, 0), va="center",
                    fontsize=8)
    ax.set_xlim(0, max(counts, default=1) * 1.25)
    ax.set_xlabel(label("channels_axis"))
    _plain(ax)
    return _svg(fig)
