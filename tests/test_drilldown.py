"""Each unit's drill-down accounts for every point it lost."""

from decimal import Decimal

from hotline.compute.drilldown import EVENTS_COUNTED, POINTS, unit_drilldown
from hotline.inputs.settings import PerEventRule, RateRule, ThresholdRule
from hotline.names import EXPORT_COLUMNS, PERSONAL_COLUMNS


def test_listed_deductions_add_up_to_lost_points_for_every_ranked_unit(bulletin):
    rules = {i.name: i for i in bulletin.settings.scoring.items}
    for unit in bulletin.figures.ranked.index:
        d = unit_drilldown(bulletin.figures, unit)
        for item in d.items:
            rule = rules[item.item]
            if isinstance(rule, PerEventRule):
                listed = sum(item.orders[POINTS], Decimal(0)) if len(item.orders) else Decimal(0)
                assert min(listed, item.weight) == item.lost, (unit, item.item)
            elif isinstance(rule, RateRule):
                visited = int(bulletin.figures.counts.at[unit, "visited"])
                unresolved = len(item.orders)
                assert unresolved == int(bulletin.figures.counts.at[unit, "unresolved"]), (unit, item.item)
                if visited:
                    from hotline.numfmt import ratio
                    assert item.score == item.weight * ratio(visited - unresolved, visited, 3)
            elif isinstance(rule, ThresholdRule) and item.score > 0:
                listed = sum(item.orders[POINTS], Decimal(0)) if len(item.orders) else Decimal(0)
                assert min(listed, item.weight) == item.lost, (unit, item.item)
        assert sum(i.score for i in d.items) == d.total


def test_market_supervision_unresolved_by_category(bulletin):
    d = unit_drilldown(bulletin.figures, "市场监督管理局")
    top = d.unresolved_by_category.head(2).values.tolist()
    assert top == [["退费纠纷", 69], ["其他网络消费纠纷", 59]]
    assert int(d.unresolved_by_category["unresolved"].sum()) == 255
    assert d.rank == 31 and d.bonus == Decimal("0.5")


def test_rows_show_times_and_no_personal_data(bulletin):
    d = unit_drilldown(bulletin.figures, "人力资源和社会保障局")
    late = next(i for i in d.items if i.item == "按时办结")
    assert late.lost == Decimal("0.6") and len(late.orders) == 6
    assert {"order_id", "deadline", "closed_at", POINTS} <= set(late.orders.columns)
    assert str(late.orders["closed_at"].dtype).startswith("datetime") and all(p == Decimal("0.1") for p in late.orders[POINTS])
    personal = set(PERSONAL_COLUMNS) | {EXPORT_COLUMNS.get(c) for c in PERSONAL_COLUMNS} - {None}
    for item in d.items:
        assert not personal & set(item.orders.columns)


def test_rows_hold_raw_values(bulletin):
    d = unit_drilldown(bulletin.figures, "市场监督管理局")
    unresolved = next(i for i in d.items if i.item == "问题解决")
    assert set(unresolved.orders["resolved"]) == {False} and len(unresolved.orders) == 255
    assert d.visited == int(bulletin.figures.counts.at["市场监督管理局", "visited"])


def test_a_count_the_export_holds_is_listed_once(bulletin):
    """工单驳回 is counted by the export's 驳回次数: its rows show that column and no second count of
    the same events, each row costing 0.01 a rejection; 按时签收, counted from two times, keeps its count."""
    d = unit_drilldown(bulletin.figures, "医疗保障局")
    rejected = next(i for i in d.items if i.item == "工单驳回")
    assert len(rejected.orders) == 21 and rejected.lost == Decimal("0.21")
    assert "rejections" in rejected.orders and EVENTS_COUNTED not in rejected.orders
    assert list(rejected.orders[POINTS]) == [Decimal("0.01") * n for n in rejected.orders["rejections"]]
    late = next(i for i in d.items if i.item == "按时签收")
    assert len(late.orders) and EVENTS_COUNTED in late.orders
