"""The analysis flavour's charts (hotline.render.charts): Chinese drawn with the bundled fonts, as paths, the same bytes each run."""

from __future__ import annotations

import warnings

import pandas as pd

from hotline.render.wording import Wording


def test_matplotlib_draws_chinese_without_missing_glyph_warnings():
    from hotline.render.charts import topic_change_chart

    topics = pd.DataFrame({"category": ["小区卫生", "垃圾清理(含乱堆物堆料)"], "current": [395, 195], "previous": [297, 162],
                           "change": [98, 33]})
    label = Wording().labels("labels_charts", {"this_period": "本月", "last_period": "上月"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would raise
        svg = topic_change_chart(topics, label)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert b"<text" not in svg  # text drawn as paths: no font needed where the chart is shown
    assert topic_change_chart(topics, label) == svg  # the same bytes on a rerun
    import matplotlib

    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"



def _page_room_pt() -> float:
    """A portrait page's text height less a caption's line: what a chart may take."""
    from hotline.render import layout

    return layout.PAGES["portrait"].text_height_pt - 30


def test_a_chart_of_a_citys_units_shows_the_lowest_and_fits_a_page():
    """437 departments drew a bar chart 70 inches tall, cut off after its first page in the PDF:
    a units' chart shows at most a page of bars, the lowest, still highest first."""
    from decimal import Decimal

    from hotline.render import charts
    from hotline.render.analysis import lowest
    from hotline.render.doctree import Image

    label = Wording().labels("labels_charts", {"this_period": "本月", "last_period": "上月"})
    n = 437
    scores = pd.DataFrame({"单位": [f"{i:03d}局" for i in range(n)], "总分": [99.9 - i * 0.02 for i in range(n)],
                           "加分": [0] * n, "标注": [f"{99.9 - i * 0.02:.2f}" for i in range(n)]})
    shown = lowest(scores, charts.SCORES_ROWS)
    assert list(shown["单位"]) == [f"{i:03d}局" for i in range(n - charts.SCORES_ROWS, n)]
    rates = pd.DataFrame({"单位": list(scores["单位"]), "解决率": [Decimal(1) - Decimal(i) / 1000 for i in range(n)],
                          "回访": [20] * n})
    for svg in (charts.unit_scores_chart(shown, label),
                charts.resolution_chart(lowest(rates, charts.RATES_ROWS), Decimal("0.9"), label)):
        size = Image(mime="image/svg+xml", data=svg).natural_size_pt
        assert size is not None and size[1] <= _page_room_pt(), size
    assert lowest(scores.head(12), charts.SCORES_ROWS).equals(scores.head(12))  # a district's: all of them


def test_a_shortened_charts_caption_says_how_many_of_how_many():
    label = Wording().labels("labels_analysis", {"month_label": "3月份"})
    assert label("caption_scores", category="区直部门", shown=40, unit_count=437) == \
        "区直部门综合得分（3月份，斜线为加分；得分最低的40个，共437个单位）"
    assert label("caption_scores", category="街道", shown=13, unit_count=13) == "街道综合得分（3月份，斜线为加分）"
    assert label("caption_rates", shown=50, unit_count=500) == \
        "各单位问题解决率与全区解决率（3月份；解决率最低的50个，共500个单位）"
