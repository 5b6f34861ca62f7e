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
