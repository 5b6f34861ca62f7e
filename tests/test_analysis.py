"""The analysis flavour, rendered once with the official one (fixture `rendered` in conftest.py):
charts, 环比, a drill-down page per ranked unit, one HTML file per unit; and the months' index."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from hotline import config
from hotline.compute import trends
from hotline.compute.drilldown import unit_drilldown
from hotline.config import INDEX_FILE, UNIT_CSS_FILE
from hotline.inputs.exports import NO, YES
from hotline.names import RESOLVED, UNRESOLVED
from hotline.render import analysis, sentences
from hotline.render.analysis import unit_file_name
from hotline.render.flavours import visible_text
from hotline.render.index_page import write_index
from hotline.render.wording import Wording

GOLDEN = Path(__file__).parent / "golden" / "2023-03"



@pytest.fixture(scope="session")
def analysis_html(out) -> str:
    return (out / "analysis.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def analysis_pages(out) -> list[str]:
    """The analysis PDF's page texts, whitespace removed."""
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(out / "analysis.pdf").pages]



# --------------------------------------------------------------------------- 环比 in words


@pytest.mark.parametrize("current, previous, expected", [
    (5, 7, "↑2"), (4, 3, "↓1"), (6, 6, "—"), (1, None, "新"),
])
def test_rank_change(current, previous, expected):
    assert analysis.rank_change(current, previous, "新") == expected


def test_district_change_table():
    now = {"signed": 5804, "closed": 5231, "visited": 5150, "rate": Decimal("0.885")}
    before = {"signed": 5186, "closed": 5511, "visited": 4792, "rate": Decimal("0.867")}
    label = Wording().labels(analysis.LABELS, {"this_period": "本月", "last_period": "上月"})
    got = analysis.district_change_table(trends.district_changes(now, before), label)
    assert got.values.tolist() == [
        ["签收工单", "5804件", "5186件", "+618件"],
        ["办结工单", "5231件", "5511件", "-280件"],
        ["回访工单", "5150件", "4792件", "+358件"],
        ["问题解决率", "88.5%", "86.7%", "+1.8个百分点"],
    ]
    assert analysis.district_change_table(trends.district_changes(now, None), label)["上月"].tolist() == ["", "", "", ""]


def _trend_paragraph(now: dict, before: dict, ranks: pd.DataFrame, rising: list) -> str:
    t = trends.Trends("2023-03", "2023-02", None, trends.district_changes(now, before), ranks, None, {}, rising)
    return Wording().text("trend_paragraph", {"month_number": 3, "trend": sentences.trend_figures(t)})


def test_change_paragraph_in_the_bulletins_style():
    now = {"signed": 5804, "closed": 5231, "visited": 4792, "rate": Decimal("0.885")}
    before = {"signed": 5186, "closed": 5511, "visited": 4792, "rate": Decimal("0.867")}
    ranks = pd.DataFrame({"previous_rank": [3, 4, None], "rise": [2, -7, 0]},
                         index=["东岸街道办事处", "朝阳街道办事处", "新单位"])
    text = _trend_paragraph(now, before, ranks, [("退费纠纷", 99), ("小区卫生", 98)])
    assert text == ("与2月份相比，3月份全区签收工单5804件，增加618件（增长11.9%），办结工单5231件，减少280件（下降5.1%），"
                    "回访工单4792件，与上月持平；问题解决率由86.7%升至88.5%，上升1.8个百分点。"
                    "排名上升最多的是东岸街道办事处（上升2位），下降最多的是朝阳街道办事处（下降7位）。"
                    "诉求增加最多的类型是“退费纠纷”（增加99件）、“小区卫生”（增加98件）。")


def test_change_paragraph_when_little_moved():
    now = {"signed": 10, "closed": 8, "visited": 0, "rate": Decimal("0.800")}
    before = {"signed": 0, "closed": 9, "visited": 0, "rate": Decimal("0.800")}
    ranks = pd.DataFrame({"previous_rank": [2, None], "rise": [-1, 0]}, index=["甲街道", "乙街道"])
    assert _trend_paragraph(now, before, ranks, []) == (
        "与2月份相比，3月份全区签收工单10件，增加10件，办结工单8件，减少1件（下降11.1%），回访工单0件，与上月持平；"
        "问题解决率80.0%，与上月持平。下降最多的是甲街道（下降1位）。")


# --------------------------------------------------------------------------- drill-down cells


@given(st.lists(st.none() | st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)), max_size=5))
def test_order_times_show_to_the_minute(times):
    """A column of times formatted whole is each time as strftime prints it to the minute, an empty one blank."""
    column = pd.Series(times, dtype="datetime64[us]")
    assert analysis._column_text(column) == ["" if t is None else t.strftime("%Y-%m-%d %H:%M") for t in times]


def test_order_columns_show_their_words_and_empty_values_blank():
    """解决/未解决 and 是/否 for the flags, points and text as written, an empty value of any kind blank."""
    orders = pd.DataFrame({"resolved": pd.array([True, False, None], dtype="boolean"), "supervised": [True, False, True],
                           "points": [Decimal("0.10"), None, Decimal("2")], "category": pd.array(["类型", None, "c"], dtype="str"),
                           "events": [1, 2, 3]})
    assert [analysis._column_text(orders[c]) for c in orders.columns] == [
        [RESOLVED, UNRESOLVED, ""], [YES, NO, YES], ["0.10", "", "2"], ["类型", "", "c"], ["1", "2", "3"]]


def _units() -> list[str]:
    return [u for name in ("units_streets", "units_departments")
            for u in pd.read_csv(GOLDEN / f"{name}.csv", dtype=str)["责任单位"]]


def test_both_flavours_and_unit_pages_are_published(out, rendered):
    for name in ("bulletin.html", "bulletin.pdf", "analysis.html", "analysis.pdf"):
        assert (out / name).stat().st_size > 0, name
    pages = sorted(p.name for p in (out / "units").iterdir())
    names = [unit_file_name(u) for u in _units()]
    assert pages == sorted(names + [Path(n).with_suffix(".pdf").name for n in names] + [UNIT_CSS_FILE])
    assert len(pages) == 95  # each ranked unit's page as HTML and as PDF, to send to the unit
    for key in ("html", "pdf", "analysis_html", "analysis_pdf"):
        assert rendered.timings[key] > 0, key


def test_official_flavour_leaves_the_analysis_out(out):
    official = visible_text((out / "bulletin.html").read_text(encoding="utf-8"))
    assert "数据分析" not in official and "得分明细" not in official and "环比" not in official


def test_analysis_html_is_the_official_bulletin_plus_the_analysis(out, analysis_html):
    official = re.sub(r"\s+", "", visible_text((out / "bulletin.html").read_text(encoding="utf-8")))
    text = re.sub(r"\s+", "", visible_text(analysis_html))
    assert text.startswith(official)  # the official content, unchanged, comes first
    rest = text[len(official):]
    for heading in ("一、环比变化", "二、各单位得分和排名", "三、问题解决率", "四、诉求类型和来源渠道", "五、各单位得分明细"):
        assert heading in rest, heading
    assert analysis_html.count("data:image/svg+xml;base64,") == 6  # the five charts, scores in one per group
    assert "<script" not in analysis_html.lower() and not re.search(r"(src|href)\s*=\s*[\"']?https?:", analysis_html)


def test_analysis_pdf_has_the_charts_the_changes_an_overview_and_the_focus_units_pages(analysis_pages, bulletin):
    text = "".join(analysis_pages)
    for n in range(1, 7):
        assert f"图{n}" in text, n
    assert "与2月份相比，3月份全区签收工单5804件，增加618件" in text
    overview = text[text.index("五、各单位得分明细"):]
    assert all(u in overview for u in _units())  # every ranked unit in the overview
    focus = analysis.focus_units(bulletin)
    assert focus == [u for u, _ in sorted(((u, r) for u, r in bulletin.figures.rates.items() if r < bulletin.figures.district.rate),
                                          key=lambda ur: ur[1])][:analysis.FOCUS_LIMIT]
    assert 0 < len(focus) <= analysis.FOCUS_LIMIT and "市场监督管理局" in focus  # the unit the commentary names
    pages = [next(i for i, p in enumerate(analysis_pages) if f"{u}得分明细（2023年3月）" in p) for u in focus]
    assert len(set(pages)) == len(focus)  # a page of its own each
    others = [u for u in _units() if u not in focus]
    assert not [u for u in others if f"{u}得分明细（2023年3月）" in text]  # linked, not printed


def test_each_unit_has_a_pdf_of_its_own(out):
    for unit in _units()[:5]:
        reader = PdfReader(out / "units" / Path(unit_file_name(unit)).with_suffix(".pdf"))
        first = re.sub(r"\s+", "", reader.pages[0].extract_text())
        assert first.startswith(f"{unit}得分明细（2023年3月）") and "返回分析版" not in first


def _tables(page: str, cls: str) -> list[list[list[str]]]:
    """The body rows (cell texts) of each <table class="grid {cls}"> in a page of our own markup."""
    tables = re.findall(rf'<table class="grid {cls}">.*?<tbody>(.*?)</tbody>', page, re.S)
    return [[[html_lib.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
             for row in re.findall(r"<tr>(.*?)</tr>", body)] for body in tables]


def test_unit_pages_list_deductions_that_add_up_to_the_lost_points(out, bulletin):
    """Per unit page: each listed deduction table sums to its item's 失分 (per-event items are capped at
    their weight); the unresolved order ids number the unit's unresolved orders."""
    for unit in _units():
        page = (out / "units" / unit_file_name(unit)).read_text(encoding="utf-8")
        items = {row[0].split("·")[1]: row for row in _tables(page, "items")[0]}
        headings = re.findall(r'<h4 class="deduction">(.+?)：失([\d.]+)分', page)
        for (item, lost), rows in zip(headings, _tables(page, "orders")):
            listed = sum(Decimal(r[-1]) for r in rows)
            weight, score = Decimal(items[item][1]), Decimal(items[item][2])
            assert weight - score == Decimal(lost), (unit, item)
            if "本项得 0 分" not in items[item][4]:  # below the satisfaction threshold: all points lost at once
                assert min(listed, weight) == Decimal(lost), (unit, item)
        ids = re.findall(r'<span class="id">(GD\d+)<small>', page)
        assert len(ids) == len(set(ids)) == int(bulletin.figures.counts.at[unit, "unresolved"]), unit
        assert f'href="{UNIT_CSS_FILE}"' in page and "<script" not in page


def test_market_supervision_page_is_compact(analysis_pages):
    """255 unresolved orders fit on the unit's page and one more."""
    first = next(i for i, p in enumerate(analysis_pages) if p.startswith("市场监督管理局得分明细"))
    following = next(i for i in range(first + 1, len(analysis_pages)) if "得分明细（2023年3月）" in analysis_pages[i][:40])
    assert following - first <= 2


def test_every_total_is_printed_as_its_appendix_prints_it(bulletin, analysis_html):
    """The overview, the unit pages' lead and the score charts' labels print a 总分 as the 附件 does
    (streets 99.30, departments 96.8 in the sample's district.yaml), the bonus after it."""
    appendix = {}
    for key in ("units_streets", "units_departments"):
        for unit, total, bonus in bulletin.text.tables[key].frame[["责任单位", "总分", "加分"]].itertuples(index=False):
            appendix[unit] = total + (f"+{bonus}" if bonus else "")
    assert appendix["韭菜园街道办事处"] == "99.30" and appendix["住房和城乡建设局"] == "96.8"
    overview = analysis_html[analysis_html.index('<table class="grid overview">'):]
    rows = re.findall(r'<td class="unit"><a [^>]+>(.+?)</a></td>.*?<td class="total">(.+?)</td>', overview)
    assert dict(rows) == appendix
    for category in ("街道", "区直部门"):
        frame = analysis.score_frame(bulletin, category)
        units = [u for u in analysis.ranked_units(bulletin) if bulletin.figures.ranked.at[u, "category"] == category]
        assert list(frame["标注"]) == [appendix[u] for u in units]
    page = analysis.unit_page(bulletin, unit_drilldown(bulletin.figures, "韭菜园街道办事处"), "—", analysis.labels(bulletin))
    assert "总分99.30；" in page


# --------------------------------------------------------------------------- index


def _month_folder(root: Path, month: str, files: list[str], **summary) -> None:
    folder = root / month / "tables"
    folder.mkdir(parents=True)
    (folder / config.SUMMARY_FILE).write_text(json.dumps({"district": "芙蓉区", "month": month, **summary},
                                                         ensure_ascii=False), encoding="utf-8")
    for name in files:
        (root / month / name).write_text("x", encoding="utf-8")


def test_index_lists_every_rendered_month_from_disk(tmp_path):
    _month_folder(tmp_path, "2023-02", ["bulletin.html", "bulletin.pdf", "bulletin.xlsx"], signed=5186,
                  district_resolution_rate="86.7%", city_rank=4, issue="〔2023〕第3期")
    _month_folder(tmp_path, "2023-03", ["bulletin.html", "bulletin.pdf", "bulletin.xlsx", "analysis.html", "analysis.pdf"],
                  signed=5804, district_resolution_rate="88.5%", city_rank=3, issue="〔2023〕第4期")
    (tmp_path / "2023-04.failed.ipynb").write_text("{}", encoding="utf-8")  # not a month folder
    page = write_index(tmp_path, Wording()).read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1])
    assert [re.search(r"(\d{4})年(\d+)月", r).group(0) for r in rows] == ["2023年3月", "2023年2月"]
    assert "5804" in rows[0] and "88.5%" in rows[0] and "第3名" in rows[0]
    assert 'href="2023-03/analysis.pdf"' in rows[0] and 'href="2023-02/bulletin.xlsx"' in rows[1]
    assert "analysis" not in rows[1]  # a month rendered without the analysis flavour
    assert "@font-face" in page and "<script" not in page and (tmp_path / INDEX_FILE).is_file()


def test_index_of_the_rendered_month(out):
    page = write_index(out.parent, Wording()).read_text(encoding="utf-8")
    assert "芙蓉区12345政务热线月度通报" in visible_text(page)
    for name in ("bulletin.html", "bulletin.pdf", "bulletin.xlsx", "analysis.html", "analysis.pdf"):
        assert f'href="2023-03/{name}"' in page, name
