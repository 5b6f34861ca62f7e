"""Charts for the bulletin, drawn with matplotlib in the bulletin's Chinese font, as PNG bytes."""

from __future__ import annotations

import io

import pandas as pd

from . import fonts


def _figure(width_in: float, height_in: float):
    import matplotlib

    fonts.setup_matplotlib()
    from matplotlib.figure import Figure  # no pyplot: no global state, no inline double display

    matplotlib.rcParams["font.size"] = 10
    return Figure(figsize=(width_in, height_in), dpi=200, facecolor="white")


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", facecolor="white", metadata={"Software": None})
    return buf.getvalue()


def hot_topics_chart(df: pd.DataFrame) -> bytes:
    """Horizontal bars: 工单数量 per 诉求类型, largest on top (the hot topics table)."""
    labels = [str(v) for v in df.iloc[:, 0]]
    values = [int(str(v)) for v in df.iloc[:, 1]]
    fig = _figure(6.0, 0.42 * max(len(labels), 1) + 0.8)
    ax = fig.add_subplot()
    bars = ax.barh(labels[::-1], values[::-1], color="#c0392b", height=0.6)
    ax.bar_label(bars, labels=[str(v) for v in values[::-1]], padding=3, fontsize=9)
    ax.set_xlabel("工单数量（件）")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max(values, default=1) * 1.15)
    ax.tick_params(axis="y", length=0)
    return _png(fig)
