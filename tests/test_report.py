"""The small pure pieces of rendering: HTML fragments, fonts, Excel cells, months, publishing."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import warnings
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import jupytext
import pandas as pd
import pytest

from hotline import config
from hotline.errors import InputError
from hotline.inputs.settings import load_settings
from hotline.periods import expand as expand_months
from hotline.render import doctree, fonts, markup, phrases, sections, tables
from hotline.render.excel import cell_value
from hotline.render.flavours import content_stylesheet, templates_dir, visible_text
from hotline.render.index_page import index_html
from hotline.render.layout import PAGE_SECTIONS
from hotline.render.model import summary
from hotline.render.wording import Wording
from hotline.run.publish import publishing, replace_dir

GOLDEN = Path(__file__).parent / "golden" / "2023-03"


@pytest.fixture(scope="module")
def settings():
    return load_settings(config.DEFAULT_WORKSPACE / config.SETTINGS_FILE)


def _golden(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)


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


def test_month_and_date_labels():
    import datetime as dt

    assert phrases.month_label("2023-03") == "2023年3月"
    assert phrases.chinese_date(dt.date(2023, 5, 17)) == "2023年5月17日"
    assert sections.numbered(3, "本月热线特点") == "三、本月热线特点"
    assert sections.sub_numbered(2, "营商环境") == "（二）营商环境"


# --------------------------------------------------------------------------- tables


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", html)


def test_unit_table_has_the_seeds_two_level_header(bulletin):
    html = sections.score_table_html(bulletin.text.tables["units_streets"], cls="scores units")
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


def test_city_table_keeps_the_citys_columns_under_the_units_head(settings):
    """The city's table as given (its first column 区) in the score tables' layout: its 区 headed
    责任单位 as the seed, the groups over the columns it has, its text as the city wrote it."""
    city = _golden("city_ranking")
    table = tables.city_table(city, settings)
    assert [c.key for c in table.columns] == list(city.columns)  # every column, in the city's order
    assert [(c.key, c.label, c.kind) for c in table.lead] == [("区", "责任单位", "unit"), ("签收总量", "签收总量", "num")]
    assert [(c.key, c.kind) for c in table.tail] == [("总分", "total"), ("排名", "num")] and table.bonus is None
    assert [(g.label, [c.label for c in g.columns]) for g in table.groups][2:] == [
        ("在线办结率（20分）", ["即问即答", "知识库建设", "小计"]), ("回访满意率（15分）", ["回访评价"])]
    html = sections.score_table_html(table, cls="scores city")
    assert '<th rowspan="2" class="unit">责任单位</th>' in html
    assert "湘江新区(岳麓区)" in html and "<td class=\"total\">97.60</td>" in html


def test_city_table_without_a_group_leaves_it_out(settings):
    """A city table lacking a group's columns has no head for that group; columns the scoring
    does not know follow in the tail."""
    city = _golden("city_ranking").drop(columns=["即问即答", "知识库建设", "在线办结率小计"]).assign(备注="")
    table = tables.city_table(city, settings)
    assert [g.name for g in table.groups] == ["诉求响应率", "问题解决率", "回访满意率"]
    assert [c.key for c in table.tail] == ["总分", "排名", "备注"]
    html = sections.score_table_html(table, cls="scores city")
    assert "在线办结率" not in html and '<th rowspan="2" class="tail">备注</th>' in html


def test_hot_topics_two_per_row():
    html = sections.hot_topics_html(_golden("hot_topics"))
    head, *rows = _rows(html)
    assert head.count("类型") == 2 and head.count("工单数量") == 2
    assert len(rows) == 3
    assert re.sub(r"<[^>]+>", "|", rows[0]).strip("|").split("||") == ["小区卫生", "395", "小区绿化与公共设施", "340"]
    odd = sections.hot_topics_html(_golden("hot_topics").head(5))
    assert len(_rows(odd)) == 1 + 3 and _rows(odd)[-1].count("<td") == 4


def test_business_environment_rows():
    business = {"表扬": {"total": 2, "units": {"城市管理局": 1, "马王堆街道办事处": 1}},
                "投诉": {"total": 1, "units": {"市场监督管理局": 1}}}
    assert phrases.business_env_rows(business, Wording().labels(sections.LABELS, {})) == [
        ("表扬", "2", "城市管理局1件、马王堆街道办事处1件。"),
        ("投诉", "1", "市场监督管理局1件。"),
    ]


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


def test_documents_part_at_the_sections_the_templates_and_stylesheet_name(settings, bulletin):
    """The classes of page-starting sections are named once (layout.PAGE_SECTIONS): the templates
    write them from there, the print stylesheet starts a page at each, and the document tree the
    PDF and Word document are made from parts there (the 附件 landscape)."""
    css = content_stylesheet()
    for key, cls in PAGE_SECTIONS.items():
        assert re.search(rf"\.{cls}(?![\w-])[^{{}}]*\{{[^}}]*break-before: page", css), key
    for template in (templates_dir() / markup.FOLDER).glob("*.j2"):
        written = set(re.findall(r'class="([^"{]+)"', template.read_text(encoding="utf-8")))
        assert not written & set(PAGE_SECTIONS.values()), template.name  # {{ sections.… }}, not spelt out
    part = sections.appendix_table_html(1, "街道", bulletin.text.tables["units_streets"], "2023-03", _phrases(settings))
    [appendix] = [p for p in doctree.parse(f"<main>{part}</main>").parts if p.kind != doctree.BODY]
    assert appendix.kind == PAGE_SECTIONS["appendix"] and appendix.landscape


def test_bonus_line():
    bonus = [{"unit": "东屯渡街道办事处", "points": Decimal("0.5")}, {"unit": "市场监督管理局", "points": Decimal("0.50")}]
    assert Wording().text("bonus_note", {"bonus": bonus}) == "东屯渡街道办事处加0.5分，市场监督管理局加0.5分。"


def _phrases(settings) -> dict:
    """The default wording templates' headings and phrases for the sample district."""
    groups = [g.name for g in settings.scoring.groups]
    return {name: Wording().text(name, {"district": settings.district, "groups": groups})
            for name in ("appendix_title", "appendix_subtitle", "appendix_total_street", "appendix_total_department")}


def test_appendix_total_headers_as_the_seed(settings, bulletin):
    s = _phrases(settings)
    streets = sections.appendix_table_html(1, "街道", bulletin.text.tables["units_streets"], "2023-03", s)
    departments = sections.appendix_table_html(2, "区直部门", bulletin.text.tables["units_departments"], "2023-03", s)
    assert "总分<br>（含加分）" in streets and "100分" not in streets.split("回访满意率")[-1]
    assert "总分<br>（100分）" in departments and "含加分" not in departments


def test_appendix_titles_come_from_the_settings(settings):
    s = _phrases(settings)
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


def test_fonts_cover_gb2312_and_bulletin_punctuation():
    chars = fonts.gb2312()
    text = chars + "〔〕（）“”—：；，。、％0123456789.+%"
    assert len(chars) == 7445  # GB2312's 682 symbols and 6,763 hanzi
    for font in fonts.fonts():
        assert fonts.missing_glyphs(text, font) == set(), font.name


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


def test_font_subset_is_small_and_woff_and_holds_the_text():
    from fontTools.ttLib import TTFont

    text = "芙蓉区12345政务热线情况通报"
    data = fonts.subset_woff(fonts.sans().path, text)
    assert data[:4] == b"wOFF" and len(data) < 60_000
    font = TTFont(io.BytesIO(data))
    cmap = set(font.getBestCmap())
    assert {ord(ch) for ch in text + "（）、。"} <= cmap and ord("龘") not in cmap and ord("鑫") not in cmap
    features = {rec.FeatureTag for rec in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"locl", "vert"} <= features  # the layout features survive the subset
    assert font["name"].getDebugName(0) and font["name"].getDebugName(13)  # copyright and licence kept
    assert fonts.subset_woff(fonts.sans().path, text) == data  # the same bytes again
    css = fonts.font_face_css("芙蓉区")
    assert css.count("@font-face") == 2 and fonts.SANS_FAMILY in css and fonts.SERIF_FAMILY in css


def test_matplotlib_draws_chinese_without_missing_glyph_warnings():
    from hotline.render.charts import topic_change_chart

    topics = pd.DataFrame({"category": ["小区卫生", "垃圾清理(含乱堆物堆料)"], "current": [395, 195], "previous": [297, 162],
                           "change": [98, 33]})
    label = Wording().labels("labels_charts", {})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would raise
        svg = topic_change_chart(topics, label)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert b"<text" not in svg  # text drawn as paths: no font needed where the chart is shown
    assert topic_change_chart(topics, label) == svg  # the same bytes on a rerun
    import matplotlib

    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"


# --------------------------------------------------------------------------- Excel


@pytest.mark.parametrize("text, value, fmt", [
    ("99.30", 99.3, "0.00"),
    ("96.8", 96.8, "0.0"),
    ("100", 100, "0"),
    ("8.7%", 0.087, "0.0%"),
    ("43%", 0.43, "0%"),
    ("98.34+0.5", "98.34+0.5", None),
    ("", None, None),
    ("市场监督管理局", "市场监督管理局", None),
])
def test_excel_cell_values(text, value, fmt):
    got, got_fmt = cell_value(text)
    assert got == pytest.approx(value) if isinstance(value, float) else got == value
    assert got_fmt == fmt


# --------------------------------------------------------------------------- months


def test_expand_months():
    assert expand_months(["2023-03"]) == ["2023-03"]
    assert expand_months(["2022-11:2023-02"]) == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert expand_months(["2023-01,2023-03", "2023-01"]) == ["2023-01", "2023-03"]
    with pytest.raises(InputError) as err:
        expand_months(["2023-13", "2023-03:2023-01"])
    assert len(err.value.problems) == 2


# --------------------------------------------------------------------------- publishing


def test_publishing_replaces_the_folder_only_on_success(tmp_path):
    target = tmp_path / "sample" / "2023-03"
    target.mkdir(parents=True)
    (target / "bulletin.pdf").write_text("old")

    with pytest.raises(RuntimeError), publishing(target) as tmp:
        (tmp / "bulletin.pdf").write_text("half")
        raise RuntimeError("notebook failed")
    assert (target / "bulletin.pdf").read_text() == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2023-03"]

    with publishing(target) as tmp:
        (tmp / "bulletin.pdf").write_text("new")
    assert (target / "bulletin.pdf").read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2023-03"]
    assert oct(target.stat().st_mode & 0o777) == "0o755"


def test_replace_dir_into_a_new_place(tmp_path):
    new = tmp_path / "new"
    new.mkdir()
    (new / "a").write_text("x")
    replace_dir(new, tmp_path / "target")
    assert (tmp_path / "target" / "a").read_text() == "x" and not new.exists()


# --------------------------------------------------------------------------- the notebook pair


def test_the_notebook_source_is_the_jupytext_file_alone():
    """bulletin.py is what the repository holds and runs read; the paired .ipynb (outputs and all)
    is the analyst's local copy, never committed."""
    nb = jupytext.read(config.NOTEBOOK)
    assert config.NOTEBOOK.suffix == ".py"
    assert ["parameters"] in [c.metadata.get("tags", []) for c in nb.cells]
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=config.PROJECT_ROOT, capture_output=True, text=True)
    if tracked.returncode == 0:  # a checkout (not an unpacked sdist)
        assert not [f for f in tracked.stdout.split() if f.endswith(".ipynb")]
    ignored = subprocess.run(["git", "check-ignore", "-q", "notebooks/bulletin.ipynb"], cwd=config.PROJECT_ROOT)
    assert tracked.returncode != 0 or ignored.returncode == 0


def test_kernel_is_this_environments_python():
    import sys

    from jupyter_client.kernelspec import KernelSpecManager

    from hotline.run.kernel import ensure_kernel

    name = ensure_kernel()
    argv0 = KernelSpecManager().get_kernel_spec(name).argv[0]
    assert argv0 in ("python", "python3") or Path(argv0).resolve() == Path(sys.executable).resolve()


def test_story_images_are_not_rendered():
    """A story cannot pull a local file into the PDF through a Markdown image."""
    from hotline.render.sections import markdown_html

    html = markdown_html("看图 ![x](file:///etc/passwd) 与 **加粗**")
    assert "<img" not in html and "<strong>加粗</strong>" in html
