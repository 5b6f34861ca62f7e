"""The official bulletin's HTML sections (hotline.render.sections): cells, tables, headings and
phrases from the wording templates, escaping, the parts the PDF and Word document start pages at."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from types import SimpleNamespace

import pandas as pd
import pytest

from factories import golden
from hotline.render import doctree, fonts, markup, sections
from hotline.render.flavours import content_stylesheet, templates_dir, visible_text
from hotline.render.index_page import index_html
from hotline.render.layout import PAGE_SECTIONS
from hotline.render.model import summary
from hotline.render.wording import Wording

# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize("total, bonus, expected", [
    ("98.34", "0.5", "98.34+0.5"),
    ("94.17", Decimal("0.50"), "94.17+0.5"),
    ("99.30", "", "99.30"),
    ("100", None, "100"),
    ("97", "0", "97"),
])
def test_bonus_cell(total, bonus, expected):
    assert sections.bonus_cell(total, bonus) == expected


@pytest.mark.parametrize("label, expected", [
    ("按时签收", "按时<br>签收"),
    ("知识库建设", "知识库<br>建设"),
    ("总分（100分）", "总分<br>（100分）"),
    ("小计", "小计"),
    ("排名", "排名"),
])
def test_split_label(label, expected):
    assert sections.split_label(label) == expected


def test_numbered_headings():
    assert sections.numbered(3, "本月热线特点") == "三、本月热线特点"
    assert sections.sub_numbered(2, "营商环境") == "（二）营商环境"


# --------------------------------------------------------------------------- tables


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", html)


def test_unit_table_has_the_seeds_two_level_header(bulletin):
    html = sections.score_table_html(bulletin.text.tables["units_streets"], sections.labels(bulletin), cls="scores units")
    head = re.search(r"<thead>(.*)</thead>", html).group(1)
    top, second = _rows(head)
    assert '<th rowspan="2" class="unit">责任单位</th>' in top
    assert '<th colspan="6" class="group">诉求响应率（30分）</th>' in top
    assert '<th colspan="5" class="group">问题解决率（35分）</th>' in top
    assert '<th colspan="3" class="group">在线办结率（20分）</th>' in top
    assert '<th class="group">回访满意率<br>（15分）</th>' in top  # one item: no 小计
    assert "加分" not in head  # folded into 总分
    assert second.count("<th") == 6 + 5 + 3 + 1
    body = re.search(r"<tbody>(.*)</tbody>", html).group(1)
    rows = _rows(body)
    assert len(rows) == 13
    assert all(r.count("<td") == 19 for r in rows)
    assert '<td class="total">98.34+0.5</td>' in rows[4] and "东屯渡街道办事处" in rows[4]
    assert '<td class="total">99.30</td>' in rows[1]






def test_hot_topics_two_per_row():
    html = sections.hot_topics_html(golden("hot_topics"))
    head, *rows = _rows(html)
    assert head.count("类型") == 2 and head.count("工单数量") == 2
    assert len(rows) == 3
    assert re.sub(r"<[^>]+>", "|", rows[0]).strip("|").split("||") == ["小区卫生", "395", "小区绿化与公共设施", "340"]
    odd = sections.hot_topics_html(golden("hot_topics").head(5))
    assert len(_rows(odd)) == 1 + 3 and _rows(odd)[-1].count("<td") == 4




def test_text_is_escaped_and_story_markdown_has_no_raw_html():
    assert sections.paragraph("<b>x</b>") == "<p>&lt;b&gt;x&lt;/b&gt;</p>"
    html = sections.stories_html([SimpleNamespace(unit="市场监管局", title="标题", body="第一段<script>x</script>\n\n第二段")])
    assert "<script>" not in html and html.count("<p>") == 2 and "市场监管局：标题" in html


def test_names_and_titles_are_escaped_by_the_templates():
    """A story's unit and title, a name in a table cell, a warning, a district: text, never markup."""
    evil = "<script>alert(1)</script> & Co"
    pages = [
        sections.stories_html([SimpleNamespace(unit=evil, title=evil, body="正文")]),
        sections.simple_table_html(pd.DataFrame({"单位": [evil], "件数": ["1"]})),
        sections.warnings_html([evil]),
        sections.paragraph(evil)._repr_html_(),
        index_html(evil, [("2023-03", {"issue": evil}, {"bulletin.html"})], Wording()),
    ]
    for html in pages:
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html, html[:80]


def test_documents_part_at_the_sections_the_templates_and_stylesheet_name(sample_settings, bulletin):
    """The classes of page-starting sections are named once (layout.PAGE_SECTIONS): the templates
    write them from there, the print stylesheet starts a page at each, and the document tree the
    PDF and Word document are made from parts there (the 附件 landscape)."""
    css = content_stylesheet()
    for key, cls in PAGE_SECTIONS.items():
        assert re.search(rf"\.{cls}(?![\w-])[^{{}}]*\{{[^}}]*break-before: page", css), key
    for template in (templates_dir() / markup.FOLDER).glob("*.j2"):
        written = set(re.findall(r'class="([^"{]+)"', template.read_text(encoding="utf-8")))
        assert not written & set(PAGE_SECTIONS.values()), template.name  # {{ sections.… }}, not spelt out
    part = sections.appendix_table_html(1, "街道", bulletin.text.tables["units_streets"], "2023-03", _phrases(sample_settings),
                                        sections.labels(bulletin))
    [appendix] = [p for p in doctree.parse(f"<main>{part}</main>").parts if p.kind != doctree.BODY]
    assert appendix.kind == PAGE_SECTIONS["appendix"] and appendix.landscape




def _phrases(settings) -> dict:
    """The default wording templates' headings and phrases for the sample district."""
    groups = [g.name for g in settings.scoring.groups]
    return {name: Wording().text(name, {"district": settings.district, "groups": groups})
            for name in ("appendix_title", "appendix_subtitle", "appendix_total_street", "appendix_total_department")}


def test_appendix_total_headers_as_the_seed(sample_settings, bulletin):
    s = _phrases(sample_settings)
    label = sections.labels(bulletin)
    streets = sections.appendix_table_html(1, "街道", bulletin.text.tables["units_streets"], "2023-03", s, label)
    departments = sections.appendix_table_html(2, "区直部门", bulletin.text.tables["units_departments"], "2023-03", s, label)
    assert "总分<br>（含加分）" in streets and "100分" not in streets.split("回访满意率")[-1]
    assert "总分<br>（100分）" in departments and "含加分" not in departments


def test_appendix_titles_come_from_the_settings(sample_settings):
    s = _phrases(sample_settings)
    assert s["appendix_title"] == "芙蓉区12345政务热线成员单位工单办理主要考核指标综合得分排行榜"
    assert s["appendix_subtitle"] == "（诉求响应率、问题解决率、在线办结率、回访满意率）"


# --------------------------------------------------------------------------- sections for cases the March issue never shows


SECTIONS = (sections.section_head, sections.section_city, sections.section_district, sections.section_features,
            sections.section_stories, sections.section_appendix, sections.section_rules)


def _headings(b) -> list[str]:
    """The official flavour's section headings (h2, h3) in order, as text."""
    html = "".join(str(section(b)) for section in SECTIONS)
    return [visible_text(h).strip() for h in re.findall(r"<h[23][^>]*>.*?</h[23]>", html)]


def test_headings_and_phrases_come_from_the_wording_templates(bulletin):
    headings = _headings(bulletin)
    assert [h for h in headings if re.match("[一二三四五]、", h)][:4] == [
        "一、全市排名情况", "二、区内情况统计", "三、本月热线特点", "四、“接诉即办、未诉先办”专栏"]
    assert "（一）民生诉求热点" in headings and "（二）营商环境、行政效能类工单情况" in headings
    assert bulletin.text.sentences["note_unranked"] == "备注：当月无办结工单、无回访工单的不纳入考核排名。"
    assert bulletin.text.sentences["leader_remarks"] == "领导批示：" and bulletin.text.sentences["heading_rules"] == "芙蓉区12345政务热线工作考核评分规则"
    assert "closing" in bulletin.text.sentences and "heading_city" not in summary(bulletin)["sentences"]  # summary.json as before


def test_a_month_without_stories_leaves_the_column_out(bulletin):
    b = dataclasses.replace(bulletin, info=dataclasses.replace(bulletin.info, stories=[]),
                            context=bulletin.context | {"stories": 0})
    headings = _headings(b)
    assert [h for h in headings if re.match("[一二三四五]、", h)] == [
        "一、全市排名情况", "二、区内情况统计", "三、本月热线特点", "一、街道（2023年3月）", "二、区直部门（2023年3月）"]
    stories = visible_text(sections.section_stories(b))
    assert "专栏" not in stories and "稿件" not in stories
    assert "".join(stories.split()).startswith("附件：1.")  # the 附件说明 stays
    assert "专栏" in visible_text(sections.section_stories(bulletin))


def _without_rules(b):
    display = b.settings.display.model_copy(update={"rules_attachment": False})
    return dataclasses.replace(b, settings=b.settings.model_copy(update={"display": display}))


def test_the_attachment_line_names_every_attachment_and_each_is_marked(bulletin):
    ranking, rules = bulletin.text.sentences["appendix_reference"], bulletin.text.sentences["heading_rules"]
    assert ranking == "芙蓉区12345政务热线工作主要考核指标综合得分排行榜（根据我区考核标准执行）"
    line = doctree.parse(str(sections.section_stories(bulletin))).blocks[-2:]
    assert [(p.cls, p.marker, p.text) for p in line] == [
        ("attachment-ref", "附件：1.", ranking), ("attachment-ref continued", "2.", rules)]
    labels = [p.text for p in doctree.parse(str(sections.section_appendix(bulletin)) + str(sections.section_rules(bulletin))).blocks
              if isinstance(p, doctree.Paragraph) and p.cls == "appendix-label"]
    assert labels == ["附件1", "附件2"]

    alone = _without_rules(bulletin)
    [line] = doctree.parse(str(sections.section_stories(alone))).blocks[-1:]
    assert (line.marker, line.text) == ("附件：", ranking)  # one 附件: no number (GB/T 9704 7.3.4)
    assert str(sections.section_rules(alone)) == ""
    labels = [p.text for p in doctree.parse(str(sections.section_appendix(alone))).blocks
              if isinstance(p, doctree.Paragraph) and p.cls == "appendix-label"]
    assert labels == ["附件"]


def test_a_month_without_business_environment_orders_says_so(bulletin):
    none = {kind: {"total": 0, "units": {}} for kind in bulletin.selections.business}
    b = dataclasses.replace(bulletin, selections=dataclasses.replace(bulletin.selections, business=none))
    html = str(sections.section_features(b))
    assert 'class="grid business"' not in html
    text = re.sub(r"\s+", "", visible_text(html))
    assert text.endswith("（二）营商环境、行政效能类工单情况本月无营商环境、行政效能类工单。")
    assert 'class="grid business"' in str(sections.section_features(bulletin))


# --------------------------------------------------------------------------- fonts




def test_lab_style_puts_every_output_area_in_the_bundled_fonts(bulletin, monkeypatch):
    """Interactively (given the bulletin), the style output sets the bundled families first on JupyterLab's
    output areas and rendered Markdown, and keeps the lab's monospace first in code; the exporters' runs
    (no bulletin) carry none of it. tests/test_browser.py checks the fonts Chromium actually draws with."""
    seen = []
    monkeypatch.setattr(fonts, "lab_font_face_css", lambda text: seen.append(text) or "/* faces */")
    lab, plain = str(sections.style_html(bulletin)), str(sections.style_html())
    assert "¶" in seen[0]  # JupyterLab's heading anchor, in the embedded subset too
    css = re.sub(r"/\*.*?\*/", "", lab.removeprefix("<style>"), flags=re.S)
    rules = dict(re.findall(r"([^{}]+)\{\s*font-family:\s*([^;]+);", css))
    first = {sel.strip(): family.split(",")[0].strip() for sels, family in rules.items() for sel in sels.split(",")}
    for sel in (":root .jp-OutputArea-output", ":root .jp-OutputArea-output pre", ":root .jp-OutputArea-output table",
                ":root .jp-MarkdownOutput"):
        assert first.get(sel.strip()) == f'"{fonts.SANS_FAMILY}"', sel
    assert first[":root .jp-CodeMirrorEditor .cm-content"] == "var(--jp-code-font-family)"
    assert "jp-OutputArea" not in plain and "/* faces */" not in plain






# --------------------------------------------------------------------------- Excel




# --------------------------------------------------------------------------- months




# --------------------------------------------------------------------------- publishing






# --------------------------------------------------------------------------- the notebook pair






def test_story_images_are_not_rendered():
    """A story cannot pull a local file into the PDF through a Markdown image."""
    from hotline.render.sections import markdown_html

    html = markdown_html("看图 ![x](file:///etc/passwd) 与 **加粗**")
    assert "<img" not in html and "<strong>加粗</strong>" in html
