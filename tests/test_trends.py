"""Month over month (hotline.compute.trends): hand-worked cases of the small pure functions."""

from decimal import Decimal

import pandas as pd
import pytest

from factories import frame, order
from hotline import config, months
from hotline.compute import trends
from hotline.compute.scoring import row_flags
from hotline.inputs.settings import load_settings


@pytest.mark.parametrize("current, previous, expected", [
    (5, 7, "↑2"), (4, 3, "↓1"), (6, 6, "—"), (1, None, "新"),
])
def test_rank_change(current, previous, expected):
    assert trends.rank_change(current, previous) == expected


def _ranked(rows):
    return pd.DataFrame(rows, columns=["unit", "category", "rank"]).set_index("unit")


def test_rank_changes_within_the_current_ranking():
    now = _ranked([("甲街道", "街道", 1), ("乙街道", "街道", 2), ("丙局", "区直部门", 1)])
    before = _ranked([("甲街道", "街道", 2), ("乙街道", "街道", 1)])
    got = trends.rank_changes(now, before)
    assert got["变化"].to_dict() == {"甲街道": "↑1", "乙街道": "↓1", "丙局": "新"}
    assert got["升降"].to_dict() == {"甲街道": 1, "乙街道": -1, "丙局": 0}
    assert trends.rank_changes(now, None)["变化"].tolist() == ["新", "新", "新"]


def test_topic_changes_and_rising_topics():
    now = {"小区卫生": 395, "退费纠纷": 333, "噪音扰民": 125, "新类型": 5}
    before = {"小区卫生": 297, "退费纠纷": 234, "噪音扰民": 132}
    got = trends.topic_changes(now, before, n=3)
    assert got.values.tolist() == [["小区卫生", 395, 297, 98], ["退费纠纷", 333, 234, 99], ["噪音扰民", 125, 132, -7]]
    assert trends.rising_topics(now, before, n=3) == [("退费纠纷", 99), ("小区卫生", 98), ("新类型", 5)]
    assert trends.topic_changes(now, None, n=1).values.tolist() == [["小区卫生", 395, None, None]]


def test_district_changes():
    now = {"签收": 5804, "办结": 5231, "回访": 5150, "解决率": Decimal("0.885")}
    before = {"签收": 5186, "办结": 5511, "回访": 4792, "解决率": Decimal("0.867")}
    got = trends.district_changes(now, before)
    assert got.values.tolist() == [
        ["签收工单", "5804件", "5186件", "+618件"],
        ["办结工单", "5231件", "5511件", "-280件"],
        ["回访工单", "5150件", "4792件", "+358件"],
        ["问题解决率", "88.5%", "86.7%", "+1.8个百分点"],
    ]
    assert trends.district_changes(now, None)["上月"].tolist() == ["", "", "", ""]


def test_change_paragraph_in_the_bulletins_style():
    now = {"签收": 5804, "办结": 5231, "回访": 4792, "解决率": Decimal("0.885")}
    before = {"签收": 5186, "办结": 5511, "回访": 4792, "解决率": Decimal("0.867")}
    ranks = pd.DataFrame({"上月排名": [3, 4, None], "升降": [2, -7, 0]}, index=["东岸街道办事处", "朝阳街道办事处", "新单位"])
    text = trends.change_paragraph("2023-03", now, before, ranks, [("退费纠纷", 99), ("小区卫生", 98)])
    assert text == ("与2月份相比，3月份全区签收工单5804件，增加618件（增长11.9%），办结工单5231件，减少280件（下降5.1%），"
                    "回访工单4792件，与上月持平；问题解决率由86.7%升至88.5%，上升1.8个百分点。"
                    "排名上升最多的是东岸街道办事处（上升2位），下降最多的是朝阳街道办事处（下降7位）。"
                    "诉求增加最多的类型是“退费纠纷”（增加99件）、“小区卫生”（增加98件）。")


def test_months_of_the_history():
    assert months.previous("2023-01") == "2022-12" and months.previous("2023-03") == "2023-02"
    listed = [f"2022-{m:02d}" for m in range(1, 13)] + ["2023-01", "2023-02", "2023-04"]
    assert trends.history_window(listed, "2023-02") == [f"2022-{m:02d}" for m in range(3, 13)] + ["2023-01", "2023-02"]
    assert trends.history_window(listed, "2022-02", n=12) == ["2022-01", "2022-02"]
    assert months.month_folders(config.DEFAULT_WORKSPACE / config.MONTHS_DIR) == ["2022-10", "2022-11", "2022-12", "2023-01",
                                                                 "2023-02", "2023-03"]


def test_signed_counts_count_distinct_orders_signed_in_the_month():
    scoring = load_settings(config.DEFAULT_WORKSPACE / config.SETTINGS_FILE).scoring
    orders = frame([
        order("A"), order("A", unit="韭菜园街道办事处"),  # one order, two units: counted once
        order("B", category="噪音扰民", channel="网络留言"),
        order("C", category="噪音扰民", signed_at="2023-02-27 09:00", dispatched_at="2023-02-27 08:00"),  # last month
    ])
    flags = row_flags(orders, pd.Timestamp(2023, 3, 1), pd.Timestamp(2023, 4, 1), scoring)
    assert trends.signed_counts(orders, flags, "category") == {"噪音扰民": 1, "小区卫生": 1}
    assert trends.signed_counts(orders, flags, "channel") == {"12345热线": 1, "网络留言": 1}


def test_trends_of_the_sample_month():
    from hotline.bulletin import build_bulletin, load_history
    from hotline.inputs.workspace import load_workspace

    ws = load_workspace(config.DEFAULT_WORKSPACE)
    history = load_history(ws, build_bulletin("2023-03", ws))
    assert [b.month for b in history] == ["2022-10", "2022-11", "2022-12", "2023-01", "2023-02", "2023-03"]
    t = trends.build_trends(history)
    assert t.previous == "2023-02" and t.series.loc["2023-03", "签收"] == 5804
    assert t.paragraph.startswith("与2月份相比，3月份全区签收工单5804件")
    assert len(t.ranks) == 47 and sum(t.channels.values()) == 5804
    first = trends.build_trends(history[:1])  # 2022-10: no month before it in the workspace
    assert first.previous is None and first.paragraph == "" and set(first.ranks["变化"]) == {"新"}
