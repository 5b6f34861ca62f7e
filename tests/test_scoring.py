"""Hand-worked examples for each scoring rule, month boundaries, rounding and ranks."""

from decimal import Decimal as D

import pandas as pd
import pytest

from factories import frame, order
from hotline import config
from hotline.compute.district import district_figures
from hotline.compute.scoring import item_score, rank, row_flags, score_units, unit_counts
from hotline.inputs.month import MonthInfo
from hotline.inputs.registry import load_registry
from hotline.inputs.settings import load_settings
from hotline.months import window as parse_month

SETTINGS = load_settings(config.DEFAULT_WORKSPACE / "district.yaml")
REGISTRY = load_registry(config.DEFAULT_WORKSPACE / "units.csv")
MARCH = parse_month("2023-03")
ITEMS = {i.name: i for i in SETTINGS.scoring.items}


def flags_of(rows):
    orders = frame(rows)
    return orders, row_flags(orders, *MARCH, SETTINGS.scoring)


def test_month_window_is_half_open():
    start, end = MARCH
    assert (start, end) == (pd.Timestamp("2023-03-01"), pd.Timestamp("2023-04-01"))
    _, f = flags_of([
        order("a", signed_at="2023-03-01 00:00", dispatched_at="2023-03-01 00:00"),
        order("b", signed_at="2023-04-01 00:00", dispatched_at="2023-04-01 00:00"),
        order("c", signed_at="2023-02-28 23:59", dispatched_at="2023-02-28 23:00"),
    ])
    assert f["signed"].tolist() == [1, 0, 0]


def test_parse_month_rejects_bad_text():
    from hotline.errors import InputError
    with pytest.raises(InputError, match="YYYY-MM"):
        parse_month("2023-3")


def test_late_signing_limit_is_exclusive_and_only_for_rows_signed_in_month():
    _, f = flags_of([
        order("on-limit", dispatched_at="2023-03-02 09:00", signed_at="2023-03-02 11:00"),
        order("late", dispatched_at="2023-03-02 09:00", signed_at="2023-03-02 11:01"),
        order("feb-late", dispatched_at="2023-02-20 09:00", signed_at="2023-02-21 09:00"),
    ])
    assert f["late_signing"].tolist() == [0, 1, 0]


def test_late_contact_counts_late_and_overdue_missing_contacts():
    _, f = flags_of([
        order("24h", signed_at="2023-03-02 09:30", first_contact_at="2023-03-03 09:30"),
        order("late", signed_at="2023-03-02 09:30", first_contact_at="2023-03-03 09:31"),
        order("missing-overdue", signed_at="2023-03-30 23:00", first_contact_at=None),
        order("missing-not-due", signed_at="2023-03-31 12:00", first_contact_at=None),
        order("late-in-april", signed_at="2023-03-31 12:00", first_contact_at="2023-04-02 12:00"),
    ])
    assert f["late_contact"].tolist() == [0, 1, 1, 0, 1]


def test_late_closure_by_deadline_in_month():
    _, f = flags_of([
        order("on-time", deadline="2023-03-10 18:00", closed_at="2023-03-10 18:00"),
        order("late", deadline="2023-03-10 18:00", closed_at="2023-03-11 09:00"),
        order("open", deadline="2023-03-31 18:00", closed_at=None),
        order("april-deadline", deadline="2023-04-03 18:00", closed_at=None),
        order("feb-deadline", signed_at="2023-02-10 09:00", dispatched_at="2023-02-10 09:00",
              deadline="2023-02-20 18:00", closed_at="2023-03-02 09:00"),
    ])
    assert f["late_closure"].tolist() == [0, 1, 1, 0, 0]


def test_counts_follow_their_scope():
    orders, f = flags_of([
        order("a", extensions=2, rejections=3, repeat_assignments=1, send_backs=1, supervised=True,
              closed_at="2023-03-05 10:00"),
        order("feb", signed_at="2023-02-10 09:00", dispatched_at="2023-02-10 09:00", extensions=5,
              send_backs=2, closed_at="2023-03-03 10:00"),
    ])
    c = unit_counts(orders, f, REGISTRY).loc["东岸街道办事处"]
    assert (c["extensions"], c["rejections"], c["repeat_assignments"], c["supervised"]) == (2, 3, 1, 1)
    assert c["send_backs"] == 3  # both rows were closed in March
    assert c["signed"] == 1 and c["closed"] == 2


def counts(**kw):
    base = dict.fromkeys(["late_signing", "late_contact", "late_closure", "extensions", "rejections", "supervised",
                          "repeat_assignments", "send_backs", "visited", "unresolved", "satisfied",
                          "basically_satisfied", "dissatisfied", "signed", "closed"], 0)
    base.update(kw)
    return pd.Series(base)


@pytest.mark.parametrize("item,events,expected", [
    ("按时签收", 1, "4.9"), ("按时签收", 2, "4.8"), ("按时签收", 60, "0"),
    ("及时联系", 14, "9.86"), ("按时办结", 6, "4.4"), ("延期办理", 18, "1.4"), ("工单驳回", 21, "4.79"),
])
def test_per_event_deduction_with_floor(item, events, expected):
    rule = ITEMS[item]
    assert item_score(rule, counts(**{rule.event: events}), 3) == D(expected)


@pytest.mark.parametrize("visited,unresolved,expected", [
    (42, 1, "19.52"),     # 41/42 = 0.97619 → 0.976
    (3, 1, "13.34"),      # 2/3 → 0.667
    (7, 2, "14.28"),      # 5/7 → 0.714
    (2000, 229, "17.72"),  # 1771/2000 = 0.8855 exactly → half-up 0.886
    (0, 0, "20"),         # no visits: full marks
])
def test_resolution_rate_times_weight(visited, unresolved, expected):
    assert item_score(ITEMS["问题解决"], counts(visited=visited, unresolved=unresolved), 3) == D(expected)


def test_satisfaction_threshold_and_deductions():
    rule = ITEMS["回访评价"]
    # 4 不满意 and 1 基本满意 of 19 visited: 15 − 0.8 − 0.05
    assert item_score(rule, counts(visited=19, satisfied=14, basically_satisfied=1, dissatisfied=4), 3) == D("14.15")
    # 1 of 3 satisfied: below 60 % → 0
    assert item_score(rule, counts(visited=3, satisfied=1, dissatisfied=2), 3) == D("0")
    # exactly 60 % is not below the threshold: 15 − 2 × 0.2
    assert item_score(rule, counts(visited=5, satisfied=3, dissatisfied=2), 3) == D("14.6")
    assert item_score(rule, counts(visited=0), 3) == D("15")


def test_manual_score_default_and_given():
    info = MonthInfo("2023-03", "x", pd.Timestamp("2023-05-17").date(),
                     manual_scores={("东岸街道办事处", "即问即答"): D("8.5")})
    c = pd.DataFrame([counts(), counts()], index=["东岸街道办事处", "东湖街道办事处"])
    s = score_units(c, SETTINGS.scoring, info)
    assert s.at["东岸街道办事处", "即问即答"] == D("8.5") and s.at["东湖街道办事处", "即问即答"] == D("10")
    assert s.at["东岸街道办事处", "总分"] == D("98.5")


def test_totals_are_exact_decimals():
    info = MonthInfo("2023-03", "x", pd.Timestamp("2023-05-17").date())
    # 韭菜园: 及时联系 9.96 (4 late contacts), 问题解决 19.34 (rate 0.967: 29 of 30)
    c = pd.DataFrame([counts(late_contact=4, visited=30, unresolved=1, satisfied=30)], index=["韭菜园街道办事处"])
    s = score_units(c, SETTINGS.scoring, info).loc["韭菜园街道办事处"]
    assert (s["诉求响应率"], s["问题解决率"], s["在线办结率"], s["回访满意率"]) == (D("29.96"), D("34.34"), D(20), D(15))
    assert s["总分"] == D("99.30") and str(s["总分"]) == "99.30"


def test_competition_ranks():
    keys = pd.Series([D(100), D(100), D("99.99"), D("97.14"), D("97.14"), D("96.8")])
    assert rank(keys).tolist() == [1, 1, 3, 4, 4, 6]


def test_district_counts_distinct_orders_and_any_unresolved_row():
    rows = [
        order("co", unit="东岸街道办事处", closed_at="2023-03-05 10:00", visited_at="2023-03-06 10:00",
              resolved=True, satisfaction="满意", channel="政企通"),
        order("co", unit="东湖街道办事处", closed_at="2023-03-05 10:00", visited_at="2023-03-06 10:00",
              resolved=False, satisfaction="满意", channel="政企通"),
        order("solo", closed_at="2023-03-05 10:00", visited_at="2023-03-06 10:00", resolved=True,
              satisfaction="满意", channel="市长信箱"),
        order("feb", signed_at="2023-02-10 09:00", dispatched_at="2023-02-10 09:00",
              closed_at="2023-03-01 09:00", visited_at="2023-04-01 00:00", resolved=False, satisfaction="不满意"),
    ]
    orders, f = flags_of(rows)
    fig = district_figures(orders, f, D(20))
    assert (fig.signed, fig.closed, fig.visited, fig.unresolved) == (2, 3, 2, 1)
    assert fig.channels == {"市长信箱": 1, "省交办件": 0, "政企通": 1, "省转办件": 0}
    assert fig.rate == D("0.500") and fig.deduction == D("10.00")
