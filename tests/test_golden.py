"""The sample month reproduces the published March 2023 bulletin (tests/golden/2023-03) exactly."""

import json
from pathlib import Path

import pandas as pd
import pytest

from hotline import config
from hotline.cli import main

GOLDEN = Path(__file__).parent / "golden" / "2023-03"



@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    assert main(["tables", "2023-03", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", list(config.TABLE_FILES.values()))
def test_tables_equal_golden_cell_for_cell(written, name):
    got = pd.read_csv(written / name, dtype=str, keep_default_na=False, encoding="utf-8")
    want = pd.read_csv(GOLDEN / name, dtype=str, keep_default_na=False)
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(got, want)


def test_tables_are_utf8_with_bom(written):
    assert (written / "units_streets.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_summary_has_golden_figures(written):
    got = json.loads((written / "summary.json").read_text(encoding="utf-8"))
    want = json.loads((GOLDEN / "summary.json").read_text(encoding="utf-8"))
    want["worst_unit_commentary"].pop("note")
    for key, value in want.items():
        assert got[key] == value, key
    # dicts compare without order; the seed lists 城市管理局 before 马王堆街道办事处
    assert list(got["business_environment"]["表扬"]["units"]) == ["城市管理局", "马王堆街道办事处"]


def test_sentences_match_seed(bulletin):
    s = bulletin.text.sentences
    assert s["title"] == "芙蓉区12345政务热线三月份情况通报"
    assert s["opening"] == ("3月份，全区共签收工单5804件，办结工单5231件（含上月流转工单），回访工单5150件。"
                            "其中，“市长信箱”52件、“省交办件”1件、“政企通”211件、“省转办件”62件。")
    assert s["city_rank"] == "3月份，我区12345政务热线工作总分内五区排名第三。具体情况如下："
    assert s["deduction"] == "（一）本月扣分情况：全区593个工单问题未解决被扣2.3分。"
    assert s["good_units"] == ("（二）我区12345政务热线工作完成度较好单位（总分95分以上、工单月签收数100件以上）："
                               "湘湖管理局、东屯渡街道办事处、火星街道办事处、城建投公司、马王堆街道办事处、"
                               "荷花园街道办事处、定王台街道办事处、医疗保障局。")
    assert s["below_heading"] == "（三）问题解决率低于88.5%（我区解决率）的单位"
    assert s["below_lead"] == ("3月份，我区有47个单位有回访工单，解决率低于全区的单位有13个（详见下表），"
                               "其中市场监管局回访工单占全区比重为23.8%，未解决工单占全区比重为43%，"
                               "其问题解决率为79.2%，未解决的工单类型主要为退费纠纷（69件）和网络消费纠纷（59件），"
                               "严重拉低了全区解决率，建议市场监管局采取措施提高问题解决率。")
    assert s["bonus_note"] == "东屯渡街道办事处加0.5分，市场监督管理局加0.5分。"


def test_units_sign_6001_rows_and_all_47_are_ranked(bulletin):
    assert int(bulletin.figures.counts["signed"].sum()) == 6001
    assert len(bulletin.figures.ranked) == 47


def test_city_table_agrees_with_export(bulletin):
    assert not [w for w in bulletin.warnings if "city_ranking" in str(w)]


def test_no_personal_data_in_computed_frames(bulletin):
    from hotline.inputs.workspace import load_workspace
    from hotline.names import PERSONAL_COLUMNS
    ws = load_workspace(config.DEFAULT_WORKSPACE)
    assert not set(PERSONAL_COLUMNS) & set(ws.orders.columns)
