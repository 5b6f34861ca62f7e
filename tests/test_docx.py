"""bulletin.docx: the bulletin HTML through its document tree (hotline.render.doctree) written by
python-docx as a 公文 (hotline.render.docx). Read back with python-docx and as XML."""

import base64
import io
import os
import re
import shutil
import subprocess
import tomllib
import zipfile
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image as PILImage

from hotline import config
from hotline.render import doctree
from hotline.render.docx import CHARS, FANGSONG, HEITI, KAITI, LINES, SONGTI, XBS, grid_figures, html_to_docx
from hotline.render.flavours import visible_text


def _png() -> str:
    buf = io.BytesIO()
    PILImage.new("RGB", (40, 20), "red").save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="144pt" height="72pt" viewBox="0 0 144 72">'
       '<rect width="144" height="72" fill="#b22222"/></svg>')

# The structure of the bulletin page (hotline.render.sections, exporters' template), small.
PAGE = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>x</title>
<style>.bulletin {{ color: red }}</style></head>
<body lang="zh-CN"><main class="page bulletin">
<div class="bulletin"><header class="doc-head">
<meta name="dcterms.created" content="2023-05-17">
<div class="remarks">领导批示：</div>
<div class="red-title">芙蓉区12345政务热线情况通报</div>
<div class="issue">〔2023〕第 4 期</div>
<div class="issuer-line"><span class="issuer">芙蓉区行政审批服务局</span><span class="date">2023年5月17日</span></div>
<hr class="red-rule">
</header>
<h1 class="doc-title">芙蓉区12345政务热线三月份情况通报</h1>
<p>3月份，全区共签收工单5804件，<b>办结工单5231件</b>。</p></div>
<div class="bulletin"><h2>一、全市排名情况</h2>
<h3>（一）民生诉求热点</h3>
<div class="table-wrap"><table class="grid scores city"><thead>
<tr><th rowspan="2" class="unit">区</th><th colspan="2" class="group">诉求响应率（30分）</th><th rowspan="2">总分<br>（100分）</th></tr>
<tr><th class="item">按时<br>签收</th><th class="item">小计</th></tr></thead>
<tbody><tr><td class="unit">芙蓉区</td><td class="num">5</td><td class="sub">30</td><td class="total">97.7</td></tr>
<tr><td class="unit">雨花区</td><td class="num">5</td><td class="sub">30</td><td class="total">97.84</td></tr></tbody></table></div>
<figure class="chart"><img src="data:image/png;base64,{_png()}" alt="图1 红色"><figcaption>图1 红色</figcaption></figure>
<figure class="chart">{SVG}</figure>
<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th><th>单位</th><th>件数</th></tr></thead>
<tbody><tr><th>0</th><td>分析员加的表</td><td>17</td></tr></tbody></table>
<p class="attachment-ref"><span class="marker">附件：1.</span>成员单位综合得分排行榜</p>
<p class="attachment-ref continued"><span class="marker">2.</span>考核评分规则</p></div>
<div class="bulletin"><section class="appendix-part">
<p class="appendix-label">附件</p>
<h2 class="appendix-title">成员单位综合得分排行榜</h2>
<h3 class="appendix-category">一、街道（2023年3月）</h3>
<div class="table-wrap"><table class="grid scores units"><thead>
<tr><th rowspan="2">责任单位</th><th colspan="2">问题解决率（35分）</th></tr>
<tr><th>问题<br>解决</th><th>小计</th></tr></thead>
<tbody><tr><td class="unit">东湖街道办事处</td><td>17.6</td><td>32.6</td></tr></tbody></table></div>
</section>
<section class="appendix-part"><h3 class="appendix-category">二、区直部门（2023年3月）</h3>
<div class="table-wrap"><table class="grid scores units"><thead><tr><th>责任单位</th></tr></thead>
<tbody><tr><td class="unit">市场监督管理局</td></tr></tbody></table></div>
<div class="notes"><p class="note">备注：当月无办结工单的不纳入考核排名。</p></div></section></div>
<div class="bulletin"><section class="rules"><h2 class="rules-title">考核评分规则</h2>
<ol><li>按时签收（5分）：每件扣0.1分。</li><li>及时联系（10分）。</li></ol></section></div>
<div class="bulletin"><p>分析员在最后加的一句话。</p></div>
</main></body></html>
"""


@pytest.fixture(scope="module")
def page_docx() -> bytes:
    return html_to_docx(PAGE)


@pytest.fixture(scope="module")
def doc(page_docx):
    return Document(io.BytesIO(page_docx))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(document) -> str:
    """Every paragraph's and every table cell's text, whitespace removed."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return _squash("".join(parts))


def missing_tokens(html: str, document) -> list[str]:
    """The HTML's visible text pieces (between tags) that the document does not have."""
    text = docx_text(document)
    tokens = {_squash(t) for t in re.split(r"\s{2,}|\n", visible_text(html))}
    return sorted(t for t in tokens if t and t not in text)


# --------------------------------------------------------------------------- the tree


@pytest.mark.parametrize("date, day", [("2023-05-17", (2023, 5, 17)), ("", (2000, 1, 1)), ("17/05/2023", (2000, 1, 1))])
def test_the_date_a_documents_files_record(date, day):
    """The PDF's and the Word file's date: the page's publish date at midnight UTC, a fixed day
    when it has none or one that does not parse."""
    assert doctree.Document([], date=date).created() == datetime(*day, tzinfo=UTC)


def test_tree_has_the_pages_parts():
    tree = doctree.parse(PAGE)
    assert [(p.kind, p.landscape) for p in tree.parts] == [
        ("body", False), ("appendix-part", True), ("appendix-part", True), ("rules", False), ("body", False)]
    assert tree.title == "芙蓉区12345政务热线三月份情况通报" and tree.date == "2023-05-17"
    head = tree.parts[0].blocks[0]
    assert isinstance(head, doctree.Masthead)
    assert (head.title, head.issue, head.issuer, head.date) == (
        "芙蓉区12345政务热线情况通报", "〔2023〕第 4 期", "芙蓉区行政审批服务局", "2023年5月17日")
    table = next(b for b in tree.blocks if isinstance(b, doctree.Table))
    assert table.header_rows == 2 and len(table.grid()[0]) == 4
    assert table.rows[0].cells[0].rowspan == 2 and table.rows[0].cells[1].colspan == 2
    assert table.rows[0].cells[2].text == "总分\n（100分）"
    assert table.grid()[1] == [(0, 0), (1, 0), (1, 1), (0, 2)]
    images = [b for b in tree.blocks if isinstance(b, doctree.Image)]
    assert [i.mime for i in images] == ["image/png", "image/svg+xml"]
    para = next(b for b in tree.blocks if isinstance(b, doctree.Paragraph) and "5804" in b.text)
    assert [r.bold for r in para.runs] == [False, True, False]
    items = [b for b in tree.parts[3].blocks if isinstance(b, doctree.Paragraph)]
    assert [i.marker for i in items] == ["1.", "2."]


def test_tree_of_a_fragment_keeps_loose_text():
    tree = doctree.parse("<div>一段<span>话</span></div><table><tr><td>格</td></tr></table>尾")
    assert [doctree.text_of(b) for b in tree.blocks] == [["一段话"], ["格"], ["尾"]]


# --------------------------------------------------------------------------- the document


def test_document_has_every_text_of_the_page(doc):
    assert not missing_tokens(PAGE, doc)


def test_page_set_up_is_gbt9704(doc):
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)] == [
        37, 35, 28, 26]
    grid = first._sectPr.find(qn("w:docGrid"))
    pitch, _ = grid_figures()
    # lines only: LibreOffice spreads a justified line's characters over a character grid
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:charSpace")) is None
    assert int(grid.get(qn("w:linePitch"))) == pitch
    # 22 lines of the grid fill the 225 mm text block; 28 characters, and not 29, the 156 mm line
    assert abs(pitch / 20 * LINES - 225 / 25.4 * 72) < 1.5
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    squeeze = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert (16 + squeeze) * CHARS <= 156 / 25.4 * 72 < (16 + squeeze) * (CHARS + 1)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_package_carries_nothing_of_the_template(page_docx):
    parts = _parts(page_docx)
    assert not [n for n in parts if "stylesWithEffects" in n or "thumbnail" in n or n.startswith("customXml/")]
    app = parts["docProps/app.xml"].decode()
    assert "<Application>hotline-bulletin</Application>" in app and "Macintosh" not in app and "<Pages>" not in app
    core = parts["docProps/core.xml"].decode()
    assert "<dc:creator>芙蓉区行政审批服务局</dc:creator>" in core
    settings = parts["word/settings.xml"].decode()
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings) and "ja-JP" not in settings
    fonts = parts["word/fontTable.xml"].decode()
    for name, alt in ((XBS, "FZXiaoBiaoSong-B05S"), (FANGSONG, "FangSong_GB2312"), (KAITI, "KaiTi_GB2312"),
                      (HEITI, "SimHei"), (SONGTI, "SimSun")):
        assert f'w:name="{name}"><w:altName w:val="{alt}"/>' in fonts
    assert "ＭＳ" not in fonts


def test_spacing_is_in_twips_and_each_table_has_one_layout(page_docx):
    parts = _parts(page_docx)
    for name in ("word/document.xml", "word/styles.xml"):
        assert "Lines=" not in parts[name].decode(), name  # w:beforeLines / w:afterLines: LibreOffice ignores them
    body = parts["word/document.xml"].decode()
    for tblpr in re.findall(r"<w:tblPr>.*?</w:tblPr>", body, re.S):
        assert tblpr.count("<w:tblLayout") == 1


def _audit(path) -> list[str]:
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(path))
    return [str(e) for e in result.errors]


def test_an_ooxml_validator_finds_no_error(page_docx, tmp_path):
    path = tmp_path / "page.docx"
    path.write_bytes(page_docx)
    assert _audit(path) == []


def test_styles_set_east_asian_fonts(doc):
    want = {"Normal": FANGSONG, "Title": XBS, "Heading 1": HEITI, "Heading 2": KAITI, "版头": XBS, "Footer": SONGTI}
    for name, font in want.items():
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:ascii")) == font and fonts.get(qn("w:hAnsi")) == font, name
        assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")], name
    assert doc.styles["Title"].font.size.pt == 22
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == FANGSONG
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    # headings by their numbering: "一、" in 黑体, "（一）" in 楷体
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["一、全市排名情况"] == "Heading 1" and styles["（一）民生诉求热点"] == "Heading 2"
    assert styles["芙蓉区12345政务热线三月份情况通报"] == "Title"


def test_the_attachment_line_hangs_under_the_names(doc):
    """附件：1. two characters in after a blank line, a tab to the name, which hangs from there; 2. under 1."""
    first, second = [p for p in doc.paragraphs if p.style.name == "附件说明"]
    assert first.text == "附件：1.\t成员单位综合得分排行榜" and second.text == "2.\t考核评分规则"
    ind = [p._p.pPr.find(qn("w:ind")) for p in (first, second)]
    chars = [(int(i.get(qn("w:leftChars"))), int(i.get(qn("w:hangingChars")))) for i in ind]
    assert chars == [(625, 425), (625, 125)]  # both names start 6¼ characters in; 附件： 2, 2. 5 characters in
    assert first.style.paragraph_format.space_before.pt == 29 and second.paragraph_format.space_before.pt == 0


def test_masthead_is_red_with_its_rule(doc):
    title = next(p for p in doc.paragraphs if p.text == "芙蓉区12345政务热线情况通报")
    assert title.style.name == "版头" and str(title.style.font.color.rgb) == "FF0000"
    line = next(p for p in doc.paragraphs if "芙蓉区行政审批服务局" in p.text)
    assert "2023年5月17日" in line.text
    rule = line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"


def test_page_numbers_outside_on_odd_and_even_pages(doc):
    assert doc.settings.odd_and_even_pages_header_footer
    first = doc.sections[0]
    for footer, align in ((first.footer, "right"), (first.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.text == "— 1 —" and p.alignment.name.lower() == align
        assert " PAGE " in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert p.style.font.size.pt == 14
    assert all(s.footer.is_linked_to_previous for s in doc.sections[1:])  # numbered on throughout


def test_appendix_on_landscape_pages(doc):
    kinds = [(s.orientation.name, s.page_width > s.page_height) for s in doc.sections]
    assert kinds == [("PORTRAIT", False), ("LANDSCAPE", True), ("LANDSCAPE", True), ("PORTRAIT", False),
                     ("PORTRAIT", False)]
    assert all(s.start_type.name == "NEW_PAGE" for s in doc.sections[1:])


def test_tables_repeat_their_heads_and_merge_grouped_cells(doc):
    table = doc.tables[0]
    head = [r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table.rows]
    assert head == [True, True, False, False]
    tcs = table.rows[0]._tr.tc_lst
    assert [tc.grid_span for tc in tcs] == [1, 2, 1]
    assert tcs[0].vMerge == "restart" and table.rows[1]._tr.tc_lst[0].vMerge == "continue"
    assert table.cell(0, 1).text == "诉求响应率（30分）" and table.cell(1, 0).text == "区"
    assert table.cell(0, 3).text == "总分\n（100分）"
    # the analyst's DataFrame too
    assert doc.tables[1].cell(1, 1).text == "分析员加的表"


def test_pictures_png_and_svg(page_docx):
    parts = _parts(page_docx)
    media = sorted(n for n in parts if n.startswith("word/media/"))
    assert sorted(n.rsplit(".", 1)[1] for n in media) == ["png", "png", "svg"]
    assert "svgBlip" in parts["word/document.xml"].decode() and "image/svg+xml" in parts["[Content_Types].xml"].decode()
    # the SVG's PNG is the chart itself at 300 dpi (144 pt wide: 600 px), its red drawn, not a blank
    chart = PILImage.open(io.BytesIO(next(parts[n] for n in media if n.endswith(".png") and parts[n] != base64.b64decode(_png()))))
    assert chart.size == (600, 300)
    assert chart.convert("RGB").getpixel((300, 150)) == (0xB2, 0x22, 0x22)


def test_same_bytes_every_time(page_docx):
    assert html_to_docx(PAGE) == page_docx
    with zipfile.ZipFile(io.BytesIO(page_docx)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2023-05-17T00:00:00Z" in core


def test_exporter_is_registered():
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    entry = project["entry-points"]["nbconvert.exporters"]["bulletin_docx"]
    from hotline.render.exporters import BulletinDocxExporter

    assert entry == "hotline.render.exporters:BulletinDocxExporter"
    assert BulletinDocxExporter().file_extension == ".docx"


# --------------------------------------------------------------------------- the month (slow)


@pytest.fixture(scope="module")
def month_doc(out):
    return Document(out / config.DOCX_FILES["official"])


def test_month_docx_has_every_text_of_the_html(out, month_doc):
    html = (out / "bulletin.html").read_text(encoding="utf-8")
    assert not missing_tokens(html, month_doc)
    # every table cell, cell by cell
    tree = doctree.parse(html)
    tables = [b for b in tree.blocks if isinstance(b, doctree.Table)]
    assert len(month_doc.tables) == len(tables)
    for table, word in zip(tables, month_doc.tables):
        have = {cell.text for row in word.rows for cell in row.cells}
        assert {c.text for row in table.rows for c in row.cells} <= have


def test_month_docx_has_the_seed_figures(month_doc):
    from test_render import seed_figures

    text = docx_text(month_doc)
    assert not [s for s in seed_figures() if _squash(s) not in text]


@pytest.mark.parametrize("flavour", ["official", "analysis"])
def test_month_docx_passes_the_ooxml_validator(out, flavour):
    assert _audit(out / config.DOCX_FILES[flavour]) == []


def test_analysis_docx_has_the_analysis_and_its_charts(out):
    analysis = Document(out / config.DOCX_FILES["analysis"])
    html = (out / "analysis.html").read_text(encoding="utf-8")
    assert not missing_tokens(html, analysis)
    parts = _parts((out / config.DOCX_FILES["analysis"]).read_bytes())
    pngs = [n for n in parts if n.startswith("word/media/") and n.endswith(".png")]
    assert len(pngs) == html.count("data:image/svg+xml") >= 4


def test_month_docx_landscape_appendix_and_heads(month_doc):
    landscape = [s for s in month_doc.sections if s.page_width > s.page_height]
    assert len(landscape) == 2
    units = [t for t in month_doc.tables if t.cell(0, 0).text == "责任单位"]
    assert len(units) == 3  # the city's (责任单位 as the seed's) and the two 附件
    for t in units:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert t.rows[1]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert t.rows[2]._tr.trPr.find(qn("w:tblHeader")) is None
        assert [tc.grid_span for tc in t.rows[0]._tr.tc_lst][:4] == [1, 1, 6, 5]


def test_month_docx_is_the_exporters_and_the_same_bytes(out):
    """The file `hotline run` wrote is what `jupyter nbconvert --to bulletin_docx` makes of the
    executed notebook, byte for byte."""
    import nbformat

    from hotline.render.exporters import BulletinDocxExporter

    nb = nbformat.read(out / config.NOTEBOOK_FILE, as_version=4)
    data, resources = BulletinDocxExporter().from_notebook_node(nb)
    assert resources["output_extension"] == ".docx"
    assert data == (out / "bulletin.docx").read_bytes()


LETTER_SPACED = re.compile(r"(?:[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef] ){6,}")


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_month_docx_converts_in_libreoffice(out, tmp_path):
    """LibreOffice headless opens it without a repair prompt (which would hang headless) and
    without errors, and its PDF has the seed's figures."""
    soffice = _soffice()
    if soffice is None:
        pytest.skip("no LibreOffice (soffice) on PATH: apt-get install libreoffice-writer-nogui")
    from pypdf import PdfReader

    profile = tmp_path / "profile"
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "bulletin.docx")],
                          capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower().replace("failed to launch javaldx", ""), done.stderr
    pdf = PdfReader(tmp_path / "bulletin.pdf")
    # as many pages as our PDF, or one more; no line set letter-spaced ("管 理 局 、 东 屯 渡 …"),
    # which LibreOffice does to justified lines on a character grid
    assert 6 <= len(pdf.pages) <= len(PdfReader(out / "bulletin.pdf").pages) + 1
    lines = [line for p in pdf.pages for line in (p.extract_text() or "").splitlines()]
    assert not [line for line in lines if LETTER_SPACED.search(line)]
    text = _squash("".join(p.extract_text() or "" for p in pdf.pages))
    assert all(n in text for n in ("5804", "5231", "5150", "97.84", "98.34+0.5"))
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    assert sizes == {(595, 842), (842, 595)}  # A4 portrait and landscape


def test_charts_drawn_while_the_kernel_works_are_the_pictures_word_uses():
    """hotline run draws a cell's SVG pictures as PNGs when the cell has run (docx.pre_rasterize),
    on the export thread while the kernel goes on; the Word document then finds them made."""
    from hotline.render.charts import channel_chart
    from hotline.render.docx import pre_rasterize, svg_png, tree_to_docx
    from hotline.render.sections import figure_html
    from hotline.render.wording import Wording

    svg = channel_chart({"12345热线": 3600, "网络留言": 1200}, Wording().labels("labels_charts", {}))
    html = str(figure_html(svg, "图1  各来源渠道工单数量"))
    svg_png.cache_clear()
    pre_rasterize([{"data": {"text/html": html}}, {"data": {"image/svg+xml": svg.decode("utf-8")}}])
    assert svg_png.cache_info().currsize == 1  # the same chart, in HTML and as an SVG output: one PNG
    tree_to_docx(doctree.parse(html))
    assert svg_png.cache_info().hits >= 2  # the second output, and the Word document
