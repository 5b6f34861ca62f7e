"""A month's inputs: month.yaml validated with messages that name the key, and a month without its export."""

import dataclasses
import shutil

import pytest

from hotline import config
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
