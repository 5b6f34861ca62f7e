"""Invariants of the scoring engine and the export loader, checked on generated work orders (hypothesis)."""

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import UNITS_CSV, examples, frame, order, row, write_csv, write_xlsx
from hotline import config
from hotline.compute.scoring import item_score, row_flags, score_units, unit_counts
from hotline.inputs.exports import load_exports
from hotline.inputs.month import MonthInfo
from hotline.inputs.registry import load_registry
from hotline.inputs.settings import load_settings
from hotline.months import window as parse_month

SETTINGS = load_settings(config.DEFAULT_WORKSPACE / "district.yaml")
REGISTRY = load_registry(config.DEFAULT_WORKSPACE / "units.csv")
MARCH = parse_month("2023-03")
INFO = MonthInfo("2023-03", "x", pd.Timestamp("2023-05-17").date())
UNITS = list(REGISTRY.units.index[:4])
BASE = pd.Timestamp("2023-02-20")


@st.composite
def work_order(draw, i):
    """A consistent row: dispatched ≤ signed ≤ closed ≤ visited, times spread over Feb–Apr 2023."""
    minutes = st.integers(0, 60 * 24 * 5)
    dispatched = BASE + pd.Timedelta(minutes=draw(st.integers(0, 60 * 24 * 45)))
    signed = dispatched + pd.Timedelta(minutes=draw(st.integers(0, 300)))
    contact = draw(st.one_of(st.none(), st.just(signed + pd.Timedelta(minutes=draw(minutes)))))
    deadline = signed + pd.Timedelta(days=draw(st.integers(1, 15)))
    closed = draw(st.one_of(st.none(), st.just(signed + pd.Timedelta(minutes=draw(st.integers(0, 60 * 24 * 20))))))
    visited = None if closed is None else draw(st.one_of(st.none(), st.just(closed + pd.Timedelta(minutes=draw(minutes)))))
    fmt = lambda t: None if t is None else str(t)
    return order(
        f"W{i:04d}", unit=draw(st.sampled_from(UNITS)), dispatched_at=fmt(dispatched), signed_at=fmt(signed),
        first_contact_at=fmt(contact), deadline=fmt(deadline), closed_at=fmt(closed), visited_at=fmt(visited),
        extensions=draw(st.integers(0, 3)), rejections=draw(st.integers(0, 3)),
        repeat_assignments=draw(st.integers(0, 2)), send_backs=draw(st.integers(0, 2)),
        supervised=draw(st.booleans()),
        resolved=None if visited is None else draw(st.booleans()),
        satisfaction=None if visited is None else draw(st.sampled_from(["满意", "基本满意", "不满意"])),
    )


@st.composite
def work_orders(draw):
    n = draw(st.integers(1, 40))
    return [draw(work_order(i)) for i in range(n)]


def scores_of(rows):
    orders = frame(rows)
    flags = row_flags(orders, *MARCH, SETTINGS.scoring)
    return score_units(unit_counts(orders, flags, REGISTRY), SETTINGS.scoring, INFO)


@settings(max_examples=examples(150), deadline=None)
@given(work_orders())
def test_every_item_lies_between_zero_and_its_weight(rows):
    scores = scores_of(rows)
    for item in SETTINGS.scoring.items:
        assert ((scores[item.name] >= 0) & (scores[item.name] <= item.weight)).all(), item.name
    assert ((scores["总分"] >= 0) & (scores["总分"] <= 100)).all()


@settings(max_examples=examples(150), deadline=None)
@given(work_orders(), st.randoms(use_true_random=False))
def test_row_order_does_not_change_any_score(rows, rnd):
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    pd.testing.assert_frame_equal(scores_of(rows), scores_of(shuffled))


COUNT_NAMES = ["late_signing", "late_contact", "late_closure", "extensions", "rejections", "supervised",
               "repeat_assignments", "send_backs", "visited", "unresolved", "satisfied", "basically_satisfied",
               "dissatisfied"]


@st.composite
def unit_counts_strategy(draw):
    c = {k: draw(st.integers(0, 80)) for k in COUNT_NAMES[:8]}
    satisfied, basic, dissatisfied = (draw(st.integers(0, 60)) for _ in range(3))
    visited = satisfied + basic + dissatisfied
    c.update(visited=visited, unresolved=draw(st.integers(0, visited)), satisfied=satisfied,
             basically_satisfied=basic, dissatisfied=dissatisfied)
    return pd.Series(c)


@settings(max_examples=examples(300), deadline=None)
@given(unit_counts_strategy(), st.sampled_from(COUNT_NAMES[:8] + ["unresolved", "dissatisfied"]))
def test_one_more_late_event_never_raises_a_score(c, event):
    worse = c.copy()
    if event == "unresolved":
        if c["unresolved"] >= c["visited"]:
            return
        worse["unresolved"] += 1
    elif event == "dissatisfied":
        if c["satisfied"] == 0:
            return
        worse["satisfied"] -= 1  # one satisfied visit turns dissatisfied
        worse["dissatisfied"] += 1
    else:
        worse[event] += 1
    for item in SETTINGS.scoring.items:
        assert item_score(item, worse, 3) <= item_score(item, c, 3), (item.name, event)


# --------------------------------------------------------------------------- through the real loader
FILE_EXAMPLES = 30  # each example writes and reads 1–3 files: kept modest for the suite's time
SPELLINGS = ["东岸街道办事处", "东岸街道", "芙蓉区东岸街道办事处", "韭菜园街道", "市场监督管理局", "市场监管局",
             "区市场监管局", "财政局"]
FORMS = ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M"]


@st.composite
def export_row(draw, i):
    """One export row (Chinese columns, text cells) in time order, times in whole minutes, any accepted form."""
    minutes = lambda hi: pd.Timedelta(minutes=draw(st.integers(0, hi)))
    dispatched = BASE + minutes(60 * 24 * 45)
    signed = draw(st.one_of(st.none(), st.just(dispatched + minutes(300))))
    closed = None if signed is None else draw(st.one_of(st.none(), st.just(signed + minutes(60 * 24 * 20))))
    visited = None if closed is None else draw(st.one_of(st.none(), st.just(closed + minutes(60 * 24 * 5))))
    form = draw(st.sampled_from(FORMS))
    text = lambda t: "" if t is None else t.strftime(form)
    return row(
        f"GD{i:04d}", draw(st.sampled_from(SPELLINGS)),
        派单时间=text(dispatched), 签收时间=text(signed), 首次联系时间=text(signed and signed + minutes(60 * 48)),
        办理时限=text(dispatched + pd.Timedelta(days=draw(st.integers(1, 15)))), 办结时间=text(closed),
        回访时间=text(visited), 是否解决="" if visited is None else draw(st.sampled_from(["解决", "未解决"])),
        满意度="" if visited is None else draw(st.sampled_from(["满意", "基本满意", "不满意"])),
        延期次数=str(draw(st.integers(0, 3))), 驳回次数=draw(st.sampled_from(["", "0", "2"])),
        重点督办=draw(st.sampled_from(["", "是", "否"])),
    )


@st.composite
def export_rows(draw):
    return [draw(export_row(i)) for i in range(draw(st.integers(1, 25)))]


def results_of(write) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(orders without their source, unit scores) of the export files `write(folder)` puts in a folder."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "exports"
        folder.mkdir()
        (Path(tmp) / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
        registry = load_registry(Path(tmp) / "units.csv")
        write(folder)
        orders = load_exports(folder, registry).orders.drop(columns=["source_file", "source_row"])
    flags = row_flags(orders, *MARCH, SETTINGS.scoring)
    return orders, score_units(unit_counts(orders, flags, registry), SETTINGS.scoring, INFO)


def assert_same_results(a, b) -> None:
    for x, y in zip(a, b):
        pd.testing.assert_frame_equal(x, y)


@settings(max_examples=examples(FILE_EXAMPLES), deadline=None)
@given(export_rows(), st.data())
def test_split_of_rows_across_files_does_not_change_any_result(rows, data):
    n = data.draw(st.integers(1, 3))
    part = [data.draw(st.integers(0, n - 1)) for _ in rows]

    def split(folder: Path) -> None:
        for f in range(n):
            mine = [r for r, p in zip(rows, part) if p == f]
            if mine:
                write_csv(folder / f"2023-03_{f}.csv", mine)

    assert_same_results(results_of(lambda folder: write_csv(folder / "all.csv", rows)), results_of(split))


@settings(max_examples=examples(FILE_EXAMPLES), deadline=None)
@given(export_rows())
def test_csv_gb18030_and_xlsx_of_the_same_rows_give_identical_results(rows):
    utf8 = results_of(lambda folder: write_csv(folder / "a.csv", rows))
    assert_same_results(utf8, results_of(lambda folder: write_csv(folder / "a.csv", rows, "gb18030")))
    assert_same_results(utf8, results_of(lambda folder: write_xlsx(folder / "a.xlsx", rows)))
