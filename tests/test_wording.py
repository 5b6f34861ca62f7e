"""Wording templates: the defaults' variants for cases the March issue never shows, a district's
and a month's overrides, and the checks that catch a mistyped override."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hotline import config
from hotline.bulletin import build_bulletin, validate_workspace
from hotline.compute.trends import build_trends
from hotline.errors import InputError
from hotline.inputs.workspace import load_workspace
from hotline.render import analysis, sections
from hotline.render.excel import workbook
from hotline.render.index_page import index_html
from hotline.render.model import summary
from hotline.render.wording import DEFAULTS, FOLDER, Wording, _check_template, names

MONTH = "2023-03"


@pytest.fixture(scope="module")
def ws():
    return load_workspace(config.DEFAULT_WORKSPACE)


@pytest.fixture
def copy(ws, tmp_path):
    """The loaded sample workspace, its month folders copied to a folder of this test's own."""
    shutil.copytree(config.DEFAULT_WORKSPACE / config.MONTHS_DIR, tmp_path / config.MONTHS_DIR)
    return dataclasses.replace(ws, path=tmp_path)


def text(bulletin, name, **changed) -> str:
    return Wording().text(name, bulletin.context | changed)


def test_every_sentence_has_a_default():
    assert {"title", "opening", "city_rank", "deduction", "good_units", "below_heading", "below_lead",
            "bonus_note", "rules", "after_commentary", "closing"} <= set(names())


# --------------------------------------------------------------------------- variants of the defaults


def test_the_district_first_in_the_city(bulletin):
    assert text(bulletin, "city_rank", city_rank=1) == "3月份，我区12345政务热线工作总分内五区排名第一，位居内五区首位。具体情况如下："


def test_no_city_table_yet(bulletin):
    assert text(bulletin, "city_rank", city_rank=None) == "3月份，全市排名情况暂未下发。"


def test_no_unit_below_the_district_rate(bulletin):
    assert text(bulletin, "below_lead", below_count=0, commentary=None) == (
        "3月份，我区有47个单位有回访工单，各单位问题解决率均不低于全区水平。")


def test_the_worst_unit_under_the_commentary_threshold(bulletin):
    assert text(bulletin, "below_lead", commentary=None) == "3月份，我区有47个单位有回访工单，解决率低于全区的单位有13个（详见下表）。"


def test_no_unit_qualifies_as_good(bulletin):
    assert text(bulletin, "good_units", good_units=[]).endswith("工单月签收数100件以上）：本月无单位达到上述标准。")


def test_many_good_units_are_counted_with_those_at_full_marks(bulletin):
    many = [f"单位{i}" for i in range(25)]
    assert text(bulletin, "good_units", good_units=many, full_marks=12).endswith(
        "工单月签收数100件以上）共25家（见附件），其中本月得满分的单位共12家。")


def test_nothing_unresolved(bulletin):
    assert text(bulletin, "deduction", unresolved=0) == "（一）本月扣分情况：全区回访工单问题均已解决，未被扣分。"


def test_no_bonus(bulletin):
    assert text(bulletin, "bonus_note", bonus=[]) == ""


def test_slots_are_empty_by_default(bulletin):
    assert all(bulletin.text.sentences[s] == "" for s in ("after_opening", "after_commentary", "closing"))
    assert "closing" not in summary(bulletin)["sentences"]


# --------------------------------------------------------------------------- overrides


def test_a_district_rewords_the_commentary(copy):
    (copy.path / FOLDER).mkdir()
    (copy.path / FOLDER / "below_lead.j2").write_text(
        "{{ month_number }}月份，{{ commentary.unit_short }}问题解决率为{{ commentary.rate | pct(trim=true) }}，\n"
        "请该单位认真分析原因、限期整改。\n", encoding="utf-8")
    b = build_bulletin(MONTH, copy)
    assert b.text.sentences["below_lead"] == "3月份，市场监管局问题解决率为79.2%，请该单位认真分析原因、限期整改。"
    assert b.text.sentences["opening"].startswith("3月份，全区共签收工单")  # the rest stays as it was


def test_an_edited_template_is_compiled_anew_in_the_same_process(copy):
    """Templates are compiled once a process (a shared bytecode cache); an edit, even one that keeps
    the file's size and time, is seen by the next Wording, as a rerun in the lab needs."""
    path = copy.path / FOLDER / "below_lead.j2"
    path.parent.mkdir()
    path.write_text("甲{{ month_number }}", encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    assert Wording(copy.path, MONTH).text("below_lead", {"month_number": 3}) == "甲3"
    path.write_text("乙{{ month_number }}", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert Wording(copy.path, MONTH).text("below_lead", {"month_number": 3}) == "乙3"


def test_a_month_adds_paragraphs_after_the_commentary(copy):
    folder = copy.path / config.MONTHS_DIR / MONTH / FOLDER
    folder.mkdir()
    (folder / "after_commentary.j2").write_text("区领导批示：请各单位对照检查。\n\n下月起每周通报一次{{ signed }}件工单的进度。",
                                                encoding="utf-8")
    b = build_bulletin(MONTH, copy)
    assert b.text.sentences["after_commentary"] == "区领导批示：请各单位对照检查。\n下月起每周通报一次5804件工单的进度。"
    assert build_bulletin("2023-02", copy).text.sentences["after_commentary"] == ""  # that month only


@pytest.mark.parametrize(("name", "source", "says", "row"), [
    ("below_leed.j2", "x", "不是通报的文字模板", None),
    ("opening.j2", "全区共签收{{ signed }}件，\n办结{{ closd }}件。", "「closd」不是可用的数字", 2),
    ("opening.j2", "全区共签收{{ signed 件。", "模板语法错误", 1),
    ("labels_charts.j2", "{# 图题 #}\n{% block caption %}图{% endblock %}", "「caption」不是 labels_charts.j2 里的文字", 2),
    ("labels_workbook.j2", "{% block title_city %}排名{% endblock %}\n全市排名", "文字写在了 {% block %} 之外", 2),
    ("labels_index.j2", "{% block title %}\n{{ district }}{{ signed }}件{% endblock %}", "「signed」不是可用的数字", 2),
])
def test_a_mistyped_override_is_a_clear_error(tmp_path, name, source, says, row):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / name).write_text(source, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Wording(tmp_path, MONTH)
    [problem] = caught.value.problems
    assert says in problem.message and problem.row == row and problem.file.name == name


def test_the_rules_read_one_paragraph_an_item(bulletin):
    """As the rules read before they became a template (one line per item, then the ranking rule)."""
    assert len(bulletin.text.rules) == 13
    assert bulletin.text.rules[1] == ("诉求响应率·及时联系（10分）：本月签收的工单中，首次联系晚于签收后24小时"
                                      "（或至月底已超时仍未联系）的，每件（次）扣0.01分，扣完为止。")
    assert bulletin.text.rules[5] == ("问题解决率·问题解决（20分）：按本月回访工单的问题解决率（保留3位小数）乘以20分计，"
                                      "当月无回访工单的得满分。")
    assert bulletin.text.rules[11] == ("回访满意率·回访评价（15分）：本月回访工单中满意和基本满意的比例低于60%的得0分；"
                                       "否则每件不满意扣0.2分、每件基本满意扣0.05分，扣完为止。")
    assert bulletin.text.rules[12] == "各项得分相加后四舍五入保留两位小数；总分加上加分后排名，同分并列。"


@pytest.mark.parametrize(("name", "source", "row", "says"), [
    ("closing.j2", "本月\n{{ signed | nosuch }}件。", 2, "「nosuch」"),
    ("labels_analysis.j2", "{% block lead %}本部分{% endblock %}\n{% block leed %}x{% endblock %}", 2, "「leed」"),
])
def test_a_district_template_error_is_said_once_for_all_months(tmp_path, name, source, row, says):
    """The district's template fails each of the sample's six months and two quarters the same way:
    hotline validate lists it once, with its file and line."""
    ws = tmp_path / "ws"
    shutil.copytree(config.DEFAULT_WORKSPACE, ws, ignore=shutil.ignore_patterns(config.CACHE_DIR))
    (ws / FOLDER).mkdir()
    (ws / FOLDER / name).write_text(source, encoding="utf-8")
    errors, _, months = validate_workspace(ws)
    assert len(months) == 8
    assert [(p.file.name, p.row) for p in errors] == [(name, row)] and says in errors[0].message


# --------------------------------------------------------------------------- label sets


def test_every_default_passes_the_checks_an_override_gets():
    env = Wording().env
    assert {path.name: _check_template(env, path) for path in DEFAULTS.glob("*.j2")} == {
        path.name: [] for path in DEFAULTS.glob("*.j2")}


def with_labels(bulletin, folder, month_folder=None, **sets):
    """`bulletin` with its wording read from `folder` (and a month folder), each label set of `sets`
    (name → source) written to the district's wording, or the month's where the name ends in _month."""
    for name, source in sets.items():
        target = month_folder if name.endswith("_month") else folder
        (target / FOLDER).mkdir(parents=True, exist_ok=True)
        (target / FOLDER / f"{name.removesuffix('_month')}.j2").write_text(source, encoding="utf-8")
    return dataclasses.replace(bulletin, wording=Wording(folder, MONTH))


def test_the_default_labels_read_as_before(bulletin):
    """The analysis section and the workbook in the default labels, as the seed's code wrote them."""
    html = str(analysis.section_analysis(bulletin, build_trends([bulletin.figures])))
    assert '<p class="analysis-lead">本部分为分析版附录，不属于通报正文，供各单位查找问题、改进工作参考。</p>' in html
    assert "图2  街道综合得分（2023年3月，斜线为加分）" in html and "图4  各单位问题解决率与全区解决率（2023年3月）" in html
    assert "<th>指标</th><th>本月</th><th>上月</th><th>环比</th>" in html.replace(' class="unit"', "")
    book = load_workbook(io.BytesIO(workbook(bulletin)))
    assert book["全市排名"]["A1"].value == "全市排名情况（2023年3月）"
    assert book["街道排名"]["A1"].value == "芙蓉区12345政务热线成员单位工单办理主要考核指标综合得分排行榜——街道（2023年3月）"
    assert ("text", "（表见「全市排名」工作表）") in [(c.value and "text", c.value) for c in book["通报正文"]["A"]]


def test_a_district_overrides_one_chart_caption_and_the_analysis_lead(bulletin, tmp_path):
    b = with_labels(bulletin, tmp_path, labels_analysis=(
        "{% block caption_rates %}\n各单位问题解决率排行\n（{{ month_label }}，全区{{ rate | pct }}）\n{% endblock %}\n"
        "{% block lead %}本部分供内部参考。{% endblock %}\n"))
    html = str(analysis.section_analysis(b, build_trends([b.figures])))
    assert "图4  各单位问题解决率排行（2023年3月，全区88.5%）" in html
    assert '<p class="analysis-lead">本部分供内部参考。</p>' in html
    assert "图2  街道综合得分（2023年3月，斜线为加分）" in html  # the blocks not overridden stay the default's


def test_a_month_block_goes_before_the_districts_and_the_default(bulletin, tmp_path):
    month = tmp_path / config.MONTHS_DIR / MONTH
    b = with_labels(bulletin, tmp_path, month,
                    labels_analysis="{% block lead %}区里的说明。{% endblock %}{% block back %}返回{% endblock %}",
                    labels_analysis_month="{% block lead %}本月的说明。{% endblock %}")
    label = analysis.labels(b)
    assert (label("lead"), label("back"), label("rank_new")) == ("本月的说明。", "返回", "新")


def test_a_district_overrides_one_sheet_title(bulletin, tmp_path):
    b = with_labels(bulletin, tmp_path, labels_workbook="{% block title_city %}{{ month_number }}月全市排名{% endblock %}")
    book = load_workbook(io.BytesIO(workbook(b)))
    assert book["全市排名"]["A1"].value == "3月全市排名"
    assert book["全市排名"].oddHeader.center.text == "3月全市排名"  # the printed page's head too
    assert book["民生诉求热点"]["A1"].value == "民生诉求热点（2023年3月）"


def test_a_district_rewords_the_score_tables_heads(bulletin, tmp_path):
    """总分, 小计 and a group's points are labels (labels_bulletin): the city's table and the 附件 in
    the bulletin, and the workbook's ranking sheets, print the district's words."""
    b = with_labels(bulletin, tmp_path, labels_bulletin="{% block score_total %}合计得分{% endblock %}"
                    "{% block score_subtotal %}分项合计{% endblock %}{% block score_points %}（满分{{ points }}）{% endblock %}")
    city = str(sections.section_city(b))
    assert "合计<br>得分" in city and "诉求响应率（满分30）" in city and "分项<br>合计" in city and "100分" not in city
    appendix = str(sections.section_appendix(b))
    assert "总分<br>（含加分）" in appendix and "合计得分" not in appendix  # the 附件's 总分 is its sentence's
    assert "在线办结率（满分20）" in appendix and "小计" not in appendix
    book = load_workbook(io.BytesIO(workbook(b)))
    sheet = book["街道排名"]
    heads = [c.value for row in sheet.iter_rows(min_row=2, max_row=3) for c in row if c.value]
    assert "合计得分" in heads and "诉求响应率（满分30）" in heads and "分项合计" in heads
    assert not [h for h in heads if "小计" in h or "100分" in h]


def test_a_district_renames_the_index_pages_links(tmp_path):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "labels_index.j2").write_text(
        "{% block head_analysis %}分析报告{% endblock %}{% block rank %}{{ rank }}{% endblock %}", encoding="utf-8")
    page = index_html("芙蓉区", [("2023-03", {"city_rank": 3}, {"analysis.html"})], Wording(tmp_path))
    assert "<th>分析报告</th>" in page and '<td class="num">3</td>' in page and "<th>通报</th>" in page


def test_a_label_that_fails_names_its_file_and_line(bulletin, tmp_path):
    b = with_labels(bulletin, tmp_path, labels_charts="{% block trend_axis %}\n工单（{{ signed // 0 }}件）{% endblock %}")
    with pytest.raises(InputError) as caught:
        analysis.section_analysis(b, build_trends([b.figures]))
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.row) == ("labels_charts.j2", 2) and "division" in problem.message


def test_bonus_line():
    bonus = [{"unit": "东屯渡街道办事处", "points": Decimal("0.5")}, {"unit": "市场监督管理局", "points": Decimal("0.50")}]
    assert Wording().text("bonus_note", {"bonus": bonus}) == "东屯渡街道办事处加0.5分，市场监督管理局加0.5分。"

