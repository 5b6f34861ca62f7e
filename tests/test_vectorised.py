"""The vectorised counting (order codes, bincount, sorted ranks) gives what the plain pandas definitions give."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline import config
from hotline.compute.district import district_figures
from hotline.compute.scoring import rank, row_flags
from hotline.compute.selections import hot_topics, top_counts
from hotline.inputs.workspace import load_workspace
from hotline.months import window as parse_month
from hotline.names import REPORTED_CHANNELS


@pytest.fixture(scope="module")
def sample():
    ws = load_workspace(config.DEFAULT_WORKSPACE)
    start, end = parse_month("2023-03")
    return ws.orders, row_flags(ws.orders, start, end, ws.settings.scoring)


def _reference_figures(orders, flags):
    """spec §3 written plainly: distinct 工单编号 per event, per channel."""
    ids = orders["order_id"]
    by_channel = orders.loc[flags["signed"] == 1].groupby("channel")["order_id"].nunique()
    return (ids[flags["signed"] == 1].nunique(), ids[flags["closed"] == 1].nunique(),
            ids[flags["visited"] == 1].nunique(), ids[flags["unresolved"] == 1].nunique(),
            {c: int(by_channel.get(c, 0)) for c in REPORTED_CHANNELS})


@pytest.mark.parametrize("shuffled", [False, True])
def test_district_figures_and_hot_topics_match_the_plain_definitions(sample, shuffled):
    orders, flags = sample
    if shuffled:  # not in the loader's order: the factorize path
        order = orders.sample(frac=1, random_state=7).index
        orders, flags = orders.loc[order].reset_index(drop=True), flags.loc[order].reset_index(drop=True)
    fig = district_figures(orders, flags, Decimal(20))
    assert (fig.signed, fig.closed, fig.visited, fig.unresolved, fig.channels) == _reference_figures(orders, flags)
    signed = orders.loc[flags["signed"] == 1, ["order_id", "category"]].drop_duplicates()
    assert hot_topics(orders, flags, 6) == top_counts(signed["category"], 6)


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), max_size=60))
def test_rank_is_one_plus_the_number_of_greater_keys(values):
    keys = pd.Series(values, dtype=object)
    expected = [1 + sum(other > k for other in values) for k in values]
    assert rank(keys).tolist() == expected


@pytest.mark.parametrize("month", ["2022-10", "2023-03"])
def test_drilldowns_of_all_units_at_once_match_the_plain_selection_per_unit(month):
    """unit_drilldowns selects the month's flagged rows once for every unit; each unit's rows behind
    each item are still its own flagged rows in 工单编号 order, with the events and points they cost."""
    from hotline.bulletin import build_bulletin
    from hotline.compute.drilldown import EVENT_COLUMNS, EVENTS_COUNTED, POINTS, unit_drilldowns
    from hotline.inputs.settings import PerEventRule, RateRule

    m = build_bulletin(month, load_workspace(config.DEFAULT_WORKSPACE)).figures
    units = list(m.registry.units.index)
    for d in unit_drilldowns(m, units):
        mine = m.orders["unit"] == d.unit
        for item in d.items:
            event = item.rule.event if isinstance(item.rule, PerEventRule) else "unresolved" if isinstance(item.rule, RateRule) else None
            if event is None:
                continue
            flagged = mine & (m.flags[event] > 0)
            plain = m.orders.loc[flagged, ["order_id", "category", *EVENT_COLUMNS[event]]].sort_values("order_id", kind="stable")
            assert item.orders[list(plain.columns)].values.tolist() == plain.values.tolist(), (d.unit, item.item)
            if isinstance(item.rule, PerEventRule):
                counts = m.flags.loc[plain.index, event].astype(int).tolist()
                assert item.orders[POINTS].tolist() == [item.rule.amount * n for n in counts]
                if EVENTS_COUNTED in item.orders:
                    assert item.orders[EVENTS_COUNTED].tolist() == counts
        unresolved = m.orders.loc[mine & (m.flags["unresolved"] > 0), "category"].value_counts()
        assert dict(zip(d.unresolved_by_category["category"], d.unresolved_by_category["unresolved"])) == unresolved.to_dict()
