"""An analyst's additions reach the bulletin in place, as docs/editing.md tells them to make them:
the district's own wording of the commentary, a paragraph for one month, and in the notebook a
%%bulletin paragraph with live figures, an HTML object as a cell's last expression, a Markdown
display, a pandas table, a matplotlib chart with a Chinese title and printed text, through
`hotline run` and through `jupyter nbconvert --to bulletin_pdf` alike; a cell tagged analyst
stays out."""

from __future__ import annotations

import base64
import io
import re
import shutil

import docx
import jupytext
import nbformat
import pytest
from pypdf import PdfReader

from hotline import config
from hotline.render.exporters import BulletinPDFExporter
from hotline.render.flavours import visible_text
from hotline.run.month import render_month

pytestmark = pytest.mark.slow  # runs the notebook

MONTH = "2023-03"
AFTER = "display(sections.section_district(b))"  # the additions go right after section 二
ADDED = [
    ("code", "%%bulletin\n本月签收{{ signed }}件，新增段落甲：{{ commentary.unit_short }}须限期整改。", "新增段落甲"),
    ("code", 'from IPython.display import HTML\nHTML("<p>新增段落乙</p>")', "新增段落乙"),
    ("code", 'from IPython.display import Markdown\ndisplay(Markdown("**新增段落丙**，见下表。"))', "新增段落丙"),
    ("code", 'import pandas as pd\npd.DataFrame({"单位": ["新增表格丁"], "件数": [3]})', "新增表格丁"),
    ("code", 'import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(4, 2))\nax.bar(["东岸", "韭菜园"], [3, 5])\n'
             'ax.set_title("新增图表戊")\nplt.show()', None),
    ("code", 'print("新增打印己")', "新增打印己"),
]
LEFT_OUT = 'display(HTML("<p>核对用庚</p>"))'


def _with_additions(tmp_path):
    nb = jupytext.read(config.NOTEBOOK)
    at = next(i for i, c in enumerate(nb.cells) if c.source.strip() == AFTER) + 1
    cells = [nbformat.v4.new_code_cell(source) for _, source, _ in ADDED]
    cells.append(nbformat.v4.new_code_cell(LEFT_OUT, metadata={"tags": ["analyst"]}))
    nb.cells[at:at] = cells
    path = tmp_path / "notebooks" / "bulletin.py"
    path.parent.mkdir()
    jupytext.write(nb, path, fmt="py:percent")
    return path


DISTRICT_WORDING = "{{ month_number }}月份，{{ commentary.unit_short }}问题解决率仅为{{ commentary.rate | pct(trim=true) }}，请限期整改。"
MONTH_PARAGRAPH = "区领导批示：请各单位对照检查，于4月10日前报送整改情况。"


def _workspace(tmp):
    """The sample workspace with the district's commentary reworded and a paragraph for March."""
    ws = tmp / "sample"
    shutil.copytree(config.DEFAULT_WORKSPACE, ws)
    (ws / "wording").mkdir()
    (ws / "wording" / "below_lead.j2").write_text(DISTRICT_WORDING, encoding="utf-8")
    (ws / config.MONTHS_DIR / MONTH / "wording").mkdir()
    (ws / config.MONTHS_DIR / MONTH / "wording" / "after_commentary.j2").write_text(MONTH_PARAGRAPH, encoding="utf-8")
    return ws


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("authoring")
    result = render_month(MONTH, _workspace(tmp), tmp / "out", notebook=_with_additions(tmp), flavours=("official",))
    assert result.ok, result.error + "\n" + result.detail
    return result.out_dir


def _docx_text(path) -> str:
    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return re.sub(r"\s+", "", "".join([p.text for p in document.paragraphs] + cells))


def _pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def test_every_addition_is_in_the_html_and_pdf_in_place(run):
    html = (run / "bulletin.html").read_text(encoding="utf-8")
    text, pdf = re.sub(r"\s+", "", visible_text(html)), _pdf_text((run / "bulletin.pdf").read_bytes())
    marks = [mark for _, _, mark in ADDED if mark]
    word = _docx_text(run / "bulletin.docx")
    for mark in marks:
        assert mark in text and mark in pdf and mark in word, mark
    assert "本月签收5804件，新增段落甲：市场监管局须限期整改。" in pdf  # live figures
    # in place: after section 二's last table, before section 三, in the order written
    positions = [pdf.index(m) for m in marks]
    assert positions == sorted(positions) and pdf.index("三、本月热线特点") > positions[-1] > pdf.index("二、区内情况统计")
    assert "<strong>新增段落丙</strong>" in html and 'class="dataframe' in html
    charts = [base64.b64decode(m).decode("utf-8") for m in re.findall(r'data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)', html)]
    assert any("新增图表戊" in svg for svg in charts)  # the chart (its title drawn as paths, named in a comment)
    assert "核对用庚" not in text and "核对用庚" not in pdf and "核对用庚" not in word


def test_the_district_wording_and_the_months_paragraph_are_in_place(run):
    pdf = _pdf_text((run / "bulletin.pdf").read_bytes())
    for text in (pdf, _docx_text(run / "bulletin.docx")):
        assert "3月份，市场监管局问题解决率仅为79.2%，请限期整改。" + MONTH_PARAGRAPH in text
        assert "严重拉低了全区解决率" not in text  # the default wording is replaced, not added to


def test_nbconvert_makes_the_same_pdf_text(run):
    nb = nbformat.read(run / config.NOTEBOOK_FILE, as_version=4)
    pdf, _ = BulletinPDFExporter().from_notebook_node(nb)
    assert _pdf_text(pdf) == _pdf_text((run / "bulletin.pdf").read_bytes())


def test_an_output_a_page_cannot_hold_is_named_not_dropped(run, caplog, tmp_path):
    nb = nbformat.read(run / config.NOTEBOOK_FILE, as_version=4)
    cell = nbformat.v4.new_code_cell("import sys; print('x', file=sys.stderr)", execution_count=99)
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="x\n")]
    nb.cells.append(cell)
    with caplog.at_level("WARNING"):
        BulletinPDFExporter().from_notebook_node(nb)
    assert any("单元格 [99] 的 stderr 输出不能放进通报" in r.getMessage() for r in caplog.records)
    shutil.rmtree(tmp_path, ignore_errors=True)
