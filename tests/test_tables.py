"""Tables as the bulletin prints them (hotline.render.tables): the city's ranking in the score tables' layout."""

from __future__ import annotations

from factories import golden
from hotline.render import sections, tables
from hotline.render.wording import Wording

LABEL = Wording().labels(sections.LABELS, {})  # the default label set of the heads


def test_city_table_keeps_the_citys_columns_under_the_units_head(sample_settings):
    """The city's table as given (its first column 区) in the score tables' layout: its 区 headed
    责任单位 as the seed, the groups over the columns it has, its text as the city wrote it."""
    city = golden("city_ranking")
    table = tables.city_table(city, sample_settings)
    assert [c.key for c in table.columns] == list(city.columns)  # every column, in the city's order
    assert [(c.key, c.label, c.kind) for c in table.lead] == [("区", "责任单位", "unit"), ("签收总量", "签收总量", "num")]
    assert [(c.key, c.kind) for c in table.tail] == [("总分", "total"), ("排名", "num")] and table.bonus is None
    assert [(g.name + tables.points_head(g, LABEL), [tables.column_head(c, LABEL) for c in g.columns])
            for g in table.groups][2:] == [
        ("在线办结率（20分）", ["即问即答", "知识库建设", "小计"]), ("回访满意率（15分）", ["回访评价"])]
    html = sections.score_table_html(table, LABEL, cls="scores city")
    assert '<th rowspan="2" class="unit">责任单位</th>' in html
    assert "湘江新区(岳麓区)" in html and "<td class=\"total\">97.60</td>" in html


def test_city_table_without_a_group_leaves_it_out(sample_settings):
    """A city table lacking a group's columns has no head for that group; columns the scoring
    does not know follow in the tail."""
    city = golden("city_ranking").drop(columns=["即问即答", "知识库建设", "在线办结率小计"]).assign(备注="")
    table = tables.city_table(city, sample_settings)
    assert [g.name for g in table.groups] == ["诉求响应率", "问题解决率", "回访满意率"]
    assert [c.key for c in table.tail] == ["总分", "排名", "备注"]
    html = sections.score_table_html(table, LABEL, cls="scores city")
    assert "在线办结率" not in html and '<th rowspan="2" class="tail">备注</th>' in html

