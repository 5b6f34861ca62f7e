"""Month over month (hotline.compute.trends): hand-worked cases of the small pure functions."""

from decimal import Decimal

import pandas as pd

from factories import frame, order
from hotline import config, months
from hotline.compute import trends
from hotline.compute.scoring import row_flags
from hotline.inputs.settings import load_settings


def _ranked(rows):
    return pd.DataFrame(rows, columns=["unit", "category", "rank"]).set_index("unit")


def test_rank_changes_within_the_current_ranking():
    now = _ranked([("甲街道", "街道", 1), ("乙街道", "街道", 2), ("丙局", "区直部门", 1)])
    before = _ranked([("甲街道", "街道", 2), ("乙街道", "街道", 1)])
    got = trends.rank_changes(now, before)
    assert got["previous_rank"].to_dict() == {"甲街道": 2, "乙街道": 1, "丙局": None}
    assert got["rise"].to_dict() == {"甲街道": 1, "乙街道": -1, "丙局": 0}
    assert got["rank"].tolist() == [1, 2, 1] and got["category"].tolist() == ["街道", "街道", "区直部门"]
    assert trends.rank_changes(now, None)["previous_rank"].tolist() == [None, None, None]


def test_biggest_moves_leave_new_units_out():
    ranks = pd.DataFrame({"previous_rank": [3, 4, None], "rise": [2, -7, 0]},
                         index=["东岸街道办事处", "朝阳街道办事处", "新单位"])
    assert trends.biggest_moves(ranks) == (("东岸街道办事处", 2), ("朝阳街道办事处", 7))
    assert trends.biggest_moves(ranks.iloc[2:]) == (None, None)


def test_topic_changes_and_rising_topics():
    now = {"小区卫生": 395, "退费纠纷": 333, "噪音扰民": 125, "新类型": 5}
    before = {"小区卫生": 297, "退费纠纷": 234, "噪音扰民": 132}
    got = trends.topic_changes(now, before, n=3)
    assert got.values.tolist() == [["小区卫生", 395, 297, 98], ["退费纠纷", 333, 234, 99], ["噪音扰民", 125, 132, -7]]
    assert trends.rising_topics(now, before, n=3) == [("退费纠纷", 99), ("小区卫生", 98), ("新类型", 5)]
    assert trends.topic_changes(now, None, n=1).values.tolist() == [["小区卫生", 395, None, None]]


def test_district_changes():
    now = {"signed": 5804, "closed": 5231, "visited": 5150, "rate": Decimal("0.885")}
    before = {"signed": 5186, "closed": 5511, "visited": 4792, "rate": Decimal("0.867")}
    got = trends.district_changes(now, before)
    assert got.index.tolist() == ["signed", "closed", "visited", "rate"]
    assert got.values.tolist() == [
        [5804, 5186, 618],
        [5231, 5511, -280],
        [5150, 4792, 358],
        [Decimal("0.885"), Decimal("0.867"), Decimal("1.800")],
    ]
    assert trends.district_changes(now, None)["previous"].tolist() == [None, None, None, None]
    assert trends.district_changes(now, None)["change"].tolist() == [None, None, None, None]


def test_months_of_the_history():
    assert months.previous("2023-01") == "2022-12" and months.previous("2023-03") == "2023-02"
    listed = [f"2022-{m:02d}" for m in range(1, 13)] + ["2023-01", "2023-02", "2023-04"]
    assert months.history_window(listed, "2023-02") == [f"2022-{m:02d}" for m in range(3, 13)] + ["2023-01", "2023-02"]
    assert months.history_window(listed, "2022-02", n=12) == ["2022-01", "2022-02"]
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
    assert t.previous == "2023-02" and t.series.loc["2023-03", "signed"] == 5804
    assert t.district.at["signed", "current"] == 5804 and len(t.rising) == 3
    assert len(t.ranks) == 47 and sum(t.channels.values()) == 5804
    first = trends.build_trends(history[:1])  # 2022-10: no month before it in the workspace
    assert first.previous is None and first.rising == [] and set(first.ranks["previous_rank"]) == {None}
