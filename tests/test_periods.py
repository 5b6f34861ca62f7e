"""Quarterly and annual bulletins (hotline.periods, hotline.compute.periods, build_period_bulletin).

The sample's 2023Q1 and 2022Q4 are worked out here from the three monthly bulletins (their 附件
totals and scores) and from the orders themselves (distinct orders over the quarter's window),
without the period code; 2022 lacks nine months and is refused, naming them.
"""

from __future__ import annotations

import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from hotline import config, periods
from hotline.bulletin import build_bulletin
from hotline.cli import main
from hotline.errors import InputError
from hotline.inputs.settings import load_settings
from hotline.inputs.workspace import load_workspace
from hotline.names import DEPARTMENT, STREET

SAMPLE = config.DEFAULT_WORKSPACE
QUARTERS = ["2022Q4", "2023Q1"]


@pytest.fixture(scope="module")
def ws():
    return load_workspace(SAMPLE)


@pytest.fixture(scope="module")
def built(ws):
    """Each sample quarter's bulletin and those of its three months."""
    return {q: (build_bulletin(q, ws), [build_bulletin(m, ws) for m in periods.months_of(q)]) for q in QUARTERS}


# --------------------------------------------------------------------------- names


def test_period_names_and_their_months():
    assert periods.months_of("2023Q1") == ["2023-01", "2023-02", "2023-03"]
    assert periods.months_of("2022Q4") == ["2022-10", "2022-11", "2022-12"]
    assert periods.months_of("2022") == [f"2022-{m:02d}" for m in range(1, 13)]
    assert [periods.previous(n) for n in ("2023Q1", "2022", "2023-01")] == ["2022Q4", "2021", "2022-12"]
    assert [periods.year_before(n) for n in ("2023Q1", "2022", "2023-03")] == ["2022Q1", "2021", "2022-03"]
    assert [periods.label(n) for n in ("2023Q1", "2022", "2023-03")] == ["2023年一季度", "2022年度", "2023年3月"]
    assert [periods.short_label(n) for n in ("2023Q3", "2022", "2023-03")] == ["三季度", "2022年度", "3月份"]


def test_ranges_and_lists_of_periods():
    assert periods.expand(["2022Q4:2023Q1"]) == ["2022Q4", "2023Q1"]
    assert periods.expand(["2022Q3:2023Q2,2021:2022", "2023-03"]) == [
        "2022Q3", "2022Q4", "2023Q1", "2023Q2", "2021", "2022", "2023-03"]
    with pytest.raises(InputError) as err:
        periods.expand(["2023Q5", "2022Q4:2023-01", "2023Q1:2022Q4", "2023-13"])
    assert len(err.value.problems) == 4
    assert "同一种" in str(err.value.problems[1].message)


@pytest.mark.parametrize("name", ["2023Q0", "2023q1", "23Q1", "../2023Q1", "2023Q1/.."])
def test_a_bad_period_name_is_refused_before_anything_is_written(tmp_path, name, capsys):
    assert main(["run", name, "--data", str(SAMPLE), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert "格式不对" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- figures worked out by hand


def _cent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("quarter", QUARTERS)
def test_a_units_period_score_is_the_mean_of_its_published_monthly_totals(built, quarter):
    period, monthly = built[quarter]
    bonus = {b.unit: b.points for b in period.info.bonus}
    for category, key in ((STREET, "units_streets"), (DEPARTMENT, "units_departments")):
        printed = {m.month: m.text.tables[key].frame.set_index("责任单位")["总分"] for m in monthly}
        table = period.text.tables[key].frame.set_index("责任单位")
        expected = {}
        for unit in table.index:
            totals = [Decimal(printed[m][unit]) for m in printed if unit in printed[m].index]
            assert totals, unit
            expected[unit] = _cent(sum(totals) / len(totals))
            for m, column in zip(printed, [f"{int(m[5:])}月" for m in printed]):
                assert table.at[unit, column] == (printed[m][unit] if unit in printed[m].index else "—")
            assert Decimal(table.at[unit, "总分"]) == expected[unit], unit
        keys = {u: expected[u] + bonus.get(u, Decimal(0)) for u in expected}
        for unit in table.index:  # competition ranks on mean + bonus within the category
            assert int(table.at[unit, "排名"]) == 1 + sum(k > keys[unit] for k in keys.values()), unit
        assert list(table.index) == sorted(table.index, key=lambda u: -keys[u])
        shown_bonus = {u: Decimal(b) for u, b in table["加分"].items() if b}
        assert shown_bonus == {u: p for u, p in bonus.items() if u in table.index}, category


@pytest.mark.parametrize("quarter", QUARTERS)
def test_each_item_is_the_mean_over_the_months_the_unit_was_ranked(built, quarter):
    period, monthly = built[quarter]
    for unit in period.figures.ranked.index:
        ranked = [m for m in monthly if unit in m.figures.ranked.index]
        for item in [i.name for i in period.settings.scoring.items] + ["总分"]:
            values = [m.figures.scores.at[unit, item] for m in ranked]
            assert period.figures.scores.at[unit, item] == _cent(sum(values) / len(values)), (unit, item)


@pytest.mark.parametrize("quarter", QUARTERS)
def test_district_totals_are_distinct_orders_over_the_quarter(ws, built, quarter):
    period, monthly = built[quarter]
    orders = ws.orders
    start = pd.Timestamp(periods.months_of(quarter)[0] + "-01")
    end = start + pd.offsets.MonthBegin(3)

    def within(column: str) -> pd.Series:
        return (orders[column] >= start) & (orders[column] < end)

    signed, closed, visited = (orders.loc[within(c), "order_id"].nunique() for c in ("signed_at", "closed_at", "visited_at"))
    unresolved = orders.loc[within("visited_at") & orders["resolved"].eq(False).fillna(False), "order_id"].nunique()
    d = period.figures.district
    assert (d.signed, d.closed, d.visited, d.unresolved) == (signed, closed, visited, unresolved)
    rate = (Decimal(visited - unresolved) / visited).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    assert d.rate == rate
    assert d.deduction == _cent(20 - 20 * rate)
    # an order signed in one month and visited in the next counts once: the quarter's are at most the months' sum
    assert d.signed <= sum(m.figures.district.signed for m in monthly)
    assert d.visited <= sum(m.figures.district.visited for m in monthly)
    channels = orders.loc[within("signed_at")].groupby("channel")["order_id"].nunique()
    assert d.channels == {c: int(channels.get(c, 0)) for c in d.channels}


@pytest.mark.parametrize("quarter", QUARTERS)
def test_units_below_the_district_are_pooled_over_the_quarter(ws, built, quarter):
    period, _ = built[quarter]
    counts = period.figures.counts
    rate = period.figures.district.rate
    below = {u for u in counts.index if counts.at[u, "visited"] > 0 and (
        Decimal(int(counts.at[u, "visited"] - counts.at[u, "unresolved"])) / int(counts.at[u, "visited"])
    ).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) < rate}
    assert set(period.text.tables["below_district"]["单位"]) == below


def test_the_comparisons_say_what_the_workspace_has(built):
    q1, _ = built["2023Q1"]
    q4, _ = built["2022Q4"]
    opening = q1.text.sentences["opening"]
    change = q1.figures.district.signed - q4.figures.district.signed
    assert f"与2022年四季度相比，签收工单环比{'增加' if change > 0 else '减少'}{abs(change)}件" in opening
    assert "工作区中没有2022年一季度的完整数据，不作同比" in opening
    assert "工作区中没有2022年三季度的完整数据，不作环比" in q4.text.sentences["opening"]


def test_period_wording(built):
    q1, _ = built["2023Q1"]
    s = q1.text.sentences
    assert s["title"] == "芙蓉区12345政务热线2023年一季度情况通报"
    assert s["opening"].startswith(f"一季度，全区共签收工单{q1.figures.district.signed}件")
    assert s["heading_features"] == "一季度热线特点"
    assert s["deduction"].startswith("（一）一季度扣分情况")
    assert "本月" not in "".join(s.values()).replace("本月签收", "")  # the rules' own words are the months'
    # the month's good-unit threshold counts the quarter's three months
    assert "一季度签收工单300件以上" in s["good_units"]


def test_a_period_folders_wording_and_the_district_month_wording(tmp_path):
    ws_path = shutil.copytree(SAMPLE, tmp_path / "ws", ignore=shutil.ignore_patterns(".cache"))
    (ws_path / "wording").mkdir(exist_ok=True)
    (ws_path / "wording" / "title.j2").write_text("{{ month_number }}月通报", encoding="utf-8")  # a month's only
    slot = ws_path / "periods" / "2023Q1" / "wording"
    slot.mkdir()
    (slot / "after_opening.j2").write_text("{{ period_name }}共{{ period_months | length }}个月。", encoding="utf-8")
    b = build_bulletin("2023Q1", ws_path)
    assert b.text.sentences["title"] == "芙蓉区12345政务热线2023年一季度情况通报"
    assert b.text.sentences["after_opening"] == "2023年一季度共3个月。"
    assert build_bulletin("2023-03", ws_path).text.sentences["title"] == "3月通报"
    # a month's folder may not use a period's figures
    month_slot = ws_path / "months" / "2023-03" / "wording"
    month_slot.mkdir(exist_ok=True)
    (month_slot / "after_opening.j2").write_text("{{ period_label }}", encoding="utf-8")
    with pytest.raises(InputError, match="period_label"):
        build_bulletin("2023-03", ws_path)


def test_a_year_with_missing_months_is_refused_naming_them(ws):
    with pytest.raises(InputError) as err:
        build_bulletin("2022", ws)
    message = err.value.problems[0].message
    assert "2022-01、2022-02、2022-03、2022-04、2022-05、2022-06、2022-07、2022-08、2022-09" in message
    assert "2022-10" not in message


def test_a_year_without_its_month_folders_fails_before_any_kernel(tmp_path):
    """`hotline run 2022` on the sample: the missing months named at once, no notebook run or left behind."""
    from hotline.run.month import render_month

    result = render_month("2022", SAMPLE, tmp_path / "out", kernel_name="no-such-kernel")  # no kernel is started
    assert not result.ok and result.error.startswith("输入有误")
    assert "缺少 2022-01、2022-02、2022-03、2022-04、2022-05、2022-06、2022-07、2022-08、2022-09 的数据" in result.error
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.ipynb"))


def test_a_quarter_without_its_folder_or_with_manual_scores_is_an_error(tmp_path):
    ws_path = shutil.copytree(SAMPLE, tmp_path / "ws", ignore=shutil.ignore_patterns(".cache"))
    shutil.rmtree(ws_path / "periods" / "2022Q4")
    with pytest.raises(InputError, match="缺少 2022Q4 的输入文件"):
        build_bulletin("2022Q4", ws_path)
    period_file = ws_path / "periods" / "2023Q1" / "period.yaml"
    period_file.write_text(period_file.read_text(encoding="utf-8") + "manual_scores: []\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        build_bulletin("2023Q1", ws_path)
    assert err.value.problems[0].column == "manual_scores"


def test_the_period_score_rule_is_a_validated_setting(tmp_path):
    ws_path = shutil.copytree(SAMPLE, tmp_path / "ws", ignore=shutil.ignore_patterns(".cache"))
    settings = ws_path / "district.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("scores: mean", "scores: median"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_settings(settings)
    assert err.value.problems[0].column == "periods.scores"
    settings.write_text(text.replace("scores: mean", "scores: signed_weighted"), encoding="utf-8")
    ws = load_workspace(ws_path)
    b = build_bulletin("2023Q1", ws)
    monthly = [build_bulletin(m, ws) for m in periods.months_of("2023Q1")]
    for unit in b.figures.ranked.index:
        ranked = [m for m in monthly if unit in m.figures.ranked.index]
        weights = [int(m.figures.counts.at[unit, "signed"]) for m in ranked]
        totals = [m.figures.scores.at[unit, "总分"] for m in ranked]
        expected = (_cent(sum(w * t for w, t in zip(weights, totals)) / sum(weights)) if sum(weights)
                    else _cent(sum(totals) / len(totals)))
        assert b.figures.scores.at[unit, "总分"] == expected, unit
    assert "加权平均值" in b.text.sentences["note_unranked"]


def test_validate_checks_the_period_folders(capsys):
    assert main(["validate", "--data", str(SAMPLE)]) == 0
    assert "2022Q4, 2023Q1" in capsys.readouterr().out


# --------------------------------------------------------------------------- rendering


@pytest.mark.slow
def test_a_quarter_renders_the_same_bytes_twice_and_the_index_lists_it(tmp_path):
    from hotline.run.month import render_month

    assert main(["run", "2023Q1", "--data", str(SAMPLE), "--out", str(tmp_path / "a"), "--no-progress",
                 "--flavour", "official"]) == 0
    first = config.month_output_dir(SAMPLE, "2023Q1", tmp_path / "a")
    second = render_month("2023Q1", SAMPLE, tmp_path / "b", flavours=("official",))
    assert second.ok, second.error + "\n" + second.detail
    for name in ["bulletin.html", "bulletin.pdf", "bulletin.docx", *(f"tables/{f}" for f in
                                                                     ["units_streets.csv", "units_departments.csv",
                                                                      config.SUMMARY_FILE])]:
        assert (first / name).read_bytes() == (Path(second.out_dir) / name).read_bytes(), name
    index = (first.parent / config.INDEX_FILE).read_text(encoding="utf-8")
    assert "2023年一季度" in index and "2023Q1/bulletin.pdf" in index


@pytest.mark.parametrize(("name", "now", "before"), [("2023-03", "本月", "上月"), ("2023Q1", "本季度", "上季度")])
def test_the_analysis_heads_say_the_kind_of_period(name, now, before):
    from hotline.render import analysis, charts

    b = build_bulletin(name, SAMPLE)
    label, chart = analysis.labels(b), b.wording.labels(charts.LABELS, b.context)
    assert (label("changes_head_now"), label("changes_head_before")) == (now, before)
    assert (chart("topics_now"), chart("topics_before")) == (now, before)
    assert f"与{before}相比" in label("ranks_note") and label("no_unresolved") == f"{now}无未解决工单。"
