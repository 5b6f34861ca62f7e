"""A month's inputs: month.yaml validated with messages that name the key, stories, files left from
the month before, and a month without its export."""

import dataclasses
import shutil

import pytest

from hotline import config, months
from hotline.bulletin import build_bulletin
from hotline.errors import InputError
from hotline.inputs.month import load_month_info
from hotline.inputs.registry import load_registry
from hotline.inputs.workspace import load_workspace

REGISTRY = load_registry(config.DEFAULT_WORKSPACE / "units.csv")
MANUAL = {"即问即答": 10, "知识库建设": 10}


def month_yaml(tmp_path, text):
    folder = tmp_path / "months" / "2023-03"
    folder.mkdir(parents=True)
    (folder / "month.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_sample_month_loads():
    info = load_month_info(config.DEFAULT_WORKSPACE, "2023-03", REGISTRY, MANUAL)
    assert info.issue == "〔2023〕第 4 期" and str(info.publish_date) == "2023-05-17"
    assert [(b.unit, str(b.points)) for b in info.bonus] == [("东屯渡街道办事处", "0.5"), ("市场监督管理局", "0.5")]
    assert [s.unit for s in info.stories] == ["市场监管局", "东屯渡街道"]


@pytest.mark.parametrize("text,column", [
    ("issue: x\npublish_date: 2023-05-17\nbonus: [东屯渡街道办事处]\n", "bonus[0]"),
    ("issue: x\npublish_date: 2023-05-17\nbonus: 0.5\n", "bonus"),
    ("issue: x\npublish_date: 2023-05-17\nmanual_scores: [3]\n", "manual_scores[0]"),
    ("issue: x\npublish_date: 2023-05-17\nbonus: [{unit: 东屯渡街道, points: -1}]\n", "bonus[0].points"),
    ("issue: x\npublish_date: 2023-05-17\nbonus: [{unit: 不存在局, points: 1}]\n", "bonus[0].unit"),
    ("issue: x\npublish_date: 2023-05-17\nmanual_scores: [{unit: 财政局, item: 即问即答, score: 11}]\n",
     "manual_scores[0].score"),
    ("issue: x\npublish_date: 2023-05-17\nmanual_scores: [{unit: 财政局, item: 问题解决, score: 1}]\n",
     "manual_scores[0].item"),
    ("issue: x\npublish_date: soon\n", "publish_date"),
    ("publish_date: 2023-05-17\n", "issue"),
    ("issue: x\npublish_date: 2023-05-17\ncolour: red\n", "colour"),
])
def test_bad_month_yaml_names_the_key(tmp_path, text, column):
    with pytest.raises(InputError) as exc:
        load_month_info(month_yaml(tmp_path, text), "2023-03", REGISTRY, MANUAL)
    assert [p.column for p in exc.value.problems] == [column]
    assert "month.yaml" in str(exc.value)


def test_month_yaml_must_be_a_mapping(tmp_path):
    with pytest.raises(InputError, match="键值对"):
        load_month_info(month_yaml(tmp_path, "- just a list\n"), "2023-03", REGISTRY, MANUAL)


# --------------------------------------------------------------------------- stories and a new month


def story_file(workspace, text, name="01.md", month="2023-03"):
    folder = workspace / "months" / month / "stories"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def test_story_naming_an_unregistered_unit_is_shown_with_a_warning(tmp_path):
    ws = month_yaml(tmp_path, "issue: x\npublish_date: 2023-05-17\n")
    story_file(ws, "---\nunit: 市场监督局\ntitle: 标题\n---\n正文\n")
    info = load_month_info(ws, "2023-03", REGISTRY, MANUAL)
    assert [s.unit for s in info.stories] == ["市场监督局"]  # shown as written
    [warning] = info.warnings
    assert (warning.kind, warning.column) == ("story_unit", "unit")
    assert "「市场监督局」" in warning.message and "市场监督管理局" in warning.fix


def test_story_without_front_matter_says_how_to_start_it_on_one_line(tmp_path):
    ws = month_yaml(tmp_path, "issue: x\npublish_date: 2023-05-17\n")
    story_file(ws, "标题\n\n正文\n")
    with pytest.raises(InputError) as exc:
        load_month_info(ws, "2023-03", REGISTRY, MANUAL)
    text = str(exc.value)
    assert "\\n" not in text and "\n" not in text
    assert all(part in text for part in ("---", "unit: 单位简称", "title: 标题"))


def test_files_the_same_as_last_months_are_named_with_last_months_file(tmp_path):
    ws = month_yaml(tmp_path, "issue: x\npublish_date: 2023-05-17\n")
    (ws / "months" / "2023-02").mkdir()
    for month in ("2023-02", "2023-03"):
        (ws / "months" / month / "city_ranking.csv").write_text("区,排名\n芙蓉区,1\n", encoding="utf-8")
    story_file(ws, "---\nunit: 财政局\ntitle: 上月的\n---\n正文\n", "05.md", "2023-02")
    story_file(ws, "---\nunit: 财政局\ntitle: 上月的\n---\n正文\n", "01.md")
    story_file(ws, "---\nunit: 财政局\ntitle: 本月的\n---\n正文\n", "02.md")
    warnings = load_month_info(ws, "2023-03", REGISTRY, MANUAL).warnings
    assert [(w.kind, w.file.name) for w in warnings] == [("copied_from_previous", "city_ranking.csv"),
                                                         ("copied_from_previous", "01.md")]
    assert "months/2023-02/city_ranking.csv" in warnings[0].message and "months/2023-02/stories/05.md" in warnings[1].message
    assert all(w.fix for w in warnings)


def test_a_january_compares_with_the_december_before(tmp_path):
    for month in ("2022-12", "2023-01"):
        folder = tmp_path / "months" / month
        folder.mkdir(parents=True)
        (folder / "month.yaml").write_text("issue: x\npublish_date: 2023-02-17\n", encoding="utf-8")
        (folder / "city_ranking.csv").write_text("区,排名\n芙蓉区,1\n", encoding="utf-8")
    [warning] = load_month_info(tmp_path, "2023-01", REGISTRY, MANUAL).warnings
    assert "months/2022-12/city_ranking.csv" in warning.message


def test_no_sample_month_repeats_the_month_before():
    for month in months.month_folders(config.DEFAULT_WORKSPACE / config.MONTHS_DIR):
        assert load_month_info(config.DEFAULT_WORKSPACE, month, REGISTRY, MANUAL).warnings == [], month


def test_a_month_without_orders_signed_is_an_error_naming_the_month_and_the_folder(tmp_path):
    """April copied from March before April's export came: the export holds only March's orders,
    some of them closed or visited in April. No bulletin of 0 orders signed."""
    sample = load_workspace(config.DEFAULT_WORKSPACE)
    shutil.copytree(sample.path / "months" / "2023-03", tmp_path / "months" / "2023-04")
    with pytest.raises(InputError) as exc:
        build_bulletin("2023-04", dataclasses.replace(sample, path=tmp_path))
    [problem] = exc.value.problems
    assert problem.file == tmp_path / config.EXPORTS_DIR
    assert "2023-04 没有签收的工单" in problem.message and "此前签收" in problem.message
    assert "2023-04" in problem.fix and config.EXPORTS_DIR in problem.fix
