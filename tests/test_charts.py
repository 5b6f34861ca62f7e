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

