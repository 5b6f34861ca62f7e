"""End to end: `hotline run` renders the sample month into HTML, PDF, Excel and tables.

The sample month is rendered once per test session, both flavours from one execution
(fixture `rendered` in conftest.py); every test below reads that one output folder.
The analysis flavour's own tests are in test_analysis.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hotline import config
from hotline.cli import main
from hotline.render import fonts
from hotline.render.flavours import visible_text

pytestmark = pytest.mark.slow  # renders months

MONTH = "2023-03"
GOLDEN = Path(__file__).parent / "golden" / MONTH
SAMPLE = config.DEFAULT_WORKSPACE



@pytest.fixture(scope="session")
def html(out) -> str:
    return (out / "bulletin.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pdf(out) -> PdfReader:
    return PdfReader(out / "bulletin.pdf")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def pdf_text(pdf) -> str:
    """The PDF's extracted text with all whitespace removed (extraction splits lines and cells)."""
    return _squash("".join(page.extract_text() or "" for page in pdf.pages))


# --------------------------------------------------------------------------- files


def test_month_folder_has_every_output(out):
    assert out.name == MONTH and out.parent.name == SAMPLE.name  # output/<district folder>/<MONTH>
    for name in ("bulletin.ipynb", "bulletin.html", "bulletin.pdf", "bulletin.docx", "bulletin.xlsx"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert (out / config.REPORT_FILE).is_file()
    for name in config.TABLE_FILES.values():
        assert (out / "tables" / name).is_file(), name
    assert (out / "tables" / config.SUMMARY_FILE).is_file()
    # nothing left over from staging
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


def test_published_tables_equal_golden(out):
    for name in config.TABLE_FILES.values():
        got = pd.read_csv(out / "tables" / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        want = pd.read_csv(GOLDEN / name, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(got, want)


def test_executed_notebook_keeps_its_parameters(out):
    nb = nbformat.read(out / "bulletin.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and f'month = "{MONTH}"' in injected[0].source
    assert nb.metadata["papermill"]["parameters"]["month"] == MONTH
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # no warnings from the kernel (matplotlib's "Glyph … missing from font", pandas, …)
    assert not [o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]


def test_each_flavour_shows_the_cells_up_to_its_last(out):
    from hotline.render.flavours import in_flavour, last_cell_of

    nb = nbformat.read(out / "bulletin.ipynb", as_version=4)
    shown = {f: [i for i, c in enumerate(nb.cells) if in_flavour(c, f)] for f in ("official", "analysis")}
    # the official flavour ends with the rules, the analysis flavour with the drill-downs
    assert "section_rules" in nb.cells[last_cell_of(nb.cells, "official")].source
    assert "section_drilldowns" in nb.cells[last_cell_of(nb.cells, "analysis")].source
    assert set(shown["official"]) < set(shown["analysis"])
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code" or "analyst" in tags or "injected-parameters" in tags:
            assert i not in shown["analysis"], cell.source[:40]


def test_exports_made_while_the_kernel_ran_equal_exports_of_the_finished_notebook(out):
    """`hotline run` exports each flavour as soon as its last cell has run (hotline.run.month.Exports),
    from a copy of the notebook at that moment; the kernel's later cells must not change it."""
    from hotline.render.exporters import BulletinHTMLExporter

    nb = nbformat.read(out / "bulletin.ipynb", as_version=4)
    for flavour, name in (("official", "bulletin.html"), ("analysis", "analysis.html")):
        html, _ = BulletinHTMLExporter(flavour=flavour).from_notebook_node(nb)
        assert html == (out / name).read_text(encoding="utf-8"), flavour


def test_timings_are_reported(rendered):
    for key in ("kernel_start", "execution", "html", "pdf", "total"):
        assert rendered.timings[key] >= 0, key


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained(html):
    assert '<html lang="zh-CN">' in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "@font-face" in html and "data:font/woff;base64," in html
    assert "data:image" not in html  # the official flavour has no chart, as the seed
    size = len(html.encode("utf-8"))
    assert size < 3_000_000, f"HTML is {size} bytes"


def test_html_hides_code_and_analyst_cells(html):
    assert "build_bulletin" not in html and "import " not in html
    assert "输入检查" not in html  # the analyst-only warnings cell
    assert "jp-OutputArea" not in html  # the lab-only style output's rules (lab.css)
    assert "injected-parameters" not in html and "hotline run" not in html


def test_html_is_readable_on_a_phone(html):
    assert 'name="viewport"' in html and "max-width: 720px" in html and "overflow-x: auto" in html


def test_every_visible_character_has_a_glyph(html):
    text = visible_text(html)
    assert fonts.missing_glyphs(text, fonts.sans()) == set()
    assert fonts.missing_glyphs(text, fonts.serif()) == set()


SECTION_TEXTS = [
    "领导批示：", "芙蓉区12345政务热线情况通报", "〔2023〕第4期", "芙蓉区行政审批服务局", "2023年5月17日",
    "芙蓉区12345政务热线三月份情况通报",
    "一、全市排名情况", "二、区内情况统计", "（一）本月扣分情况", "（二）我区12345政务热线工作完成度较好单位",
    "（三）问题解决率低于88.5%（我区解决率）的单位", "三、本月热线特点", "（一）民生诉求热点",
    "（二）营商环境、行政效能类工单情况", "四、“接诉即办、未诉先办”专栏",
    "附件：1.芙蓉区12345政务热线工作主要考核指标综合得分排行榜（根据我区考核标准执行）",
    "2.芙蓉区12345政务热线工作考核评分规则",
    "芙蓉区12345政务热线成员单位工单办理主要考核指标综合得分排行榜",
    "（诉求响应率、问题解决率、在线办结率、回访满意率）",
    "一、街道（2023年3月）", "二、区直部门（2023年3月）",
    "备注：当月无办结工单、无回访工单的不纳入考核排名。",
    "东屯渡街道办事处加0.5分，市场监督管理局加0.5分。",
    "附件2芙蓉区12345政务热线工作考核评分规则",
]


def test_html_has_every_section_in_order(html):
    text = _squash(visible_text(html))
    positions = [text.find(_squash(s)) for s in SECTION_TEXTS]
    assert all(p >= 0 for p in positions), [s for s, p in zip(SECTION_TEXTS, positions) if p < 0]
    assert positions == sorted(positions)


# --------------------------------------------------------------------------- PDF


def test_pdf_has_every_section(pdf_text):
    missing = [s for s in SECTION_TEXTS if _squash(s) not in pdf_text]
    assert not missing


def seed_figures() -> list[str]:
    """The seed bulletin's figures, sentences and units that every rendering of it shows
    (the PDF here, the Word document in test_docx)."""
    summary = json.loads((GOLDEN / "summary.json").read_text(encoding="utf-8"))
    expected = [
        "3月份，全区共签收工单5804件，办结工单5231件（含上月流转工单），回访工单5150件。",
        "“市长信箱”52件、“省交办件”1件、“政企通”211件、“省转办件”62件。",
        "我区12345政务热线工作总分内五区排名第三",
        "全区593个工单问题未解决被扣2.3分",
        "其中市场监管局回访工单占全区比重为23.8%，未解决工单占全区比重为43%，其问题解决率为79.2%",
        "98.34+0.5", "94.17+0.5", "99.30", "湘江新区(岳麓区)", "97.60",
        *summary["good_units"],
        "为民服务效率高热情公正暖人心", "持续优化营商环境贴心服务辖区企业",
    ]
    for name in ("units_streets", "units_departments", "below_district", "hot_topics"):
        expected += pd.read_csv(GOLDEN / f"{name}.csv", dtype=str).iloc[:, 0].tolist()
    return expected


def test_pdf_has_the_seed_figures_and_units(pdf_text):
    missing = [s for s in seed_figures() if _squash(s) not in pdf_text]
    assert not missing


def test_pdf_renders_without_warnings(html, caplog):
    import logging

    from hotline.render.exporters import html_to_pdf

    with caplog.at_level(logging.WARNING, logger="hotline.render.typeset"):
        assert html_to_pdf(html).startswith(b"%PDF")
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("hotline.render.typeset")]


def test_pdf_layout(pdf):
    first = pdf.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)  # A4 portrait
    landscape = [p for p in pdf.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert len(landscape) >= 2  # the appendix tables
    footers = [_squash(p.extract_text() or "") for p in pdf.pages]
    for n, text in enumerate(footers, start=1):
        assert f"—{n}—" in text, f"page {n} lacks its page number"
    # the 区直部门 table runs over a page: its header rows repeat
    assert sum("诉求响应率（30分）" in t and "区直部门" not in t and "责任单位" in t for t in footers) >= 1


def test_pdf_embeds_its_fonts(pdf):
    seen = set()
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            assert desc is not None
            desc = desc.get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
            seen.add(str(font.get("/BaseFont")))
    assert any("NotoSansSC" in f for f in seen) and any("NotoSerifSC" in f for f in seen)


# --------------------------------------------------------------------------- Excel


def test_workbook_has_every_table_on_its_own_sheet(out):
    wb = load_workbook(out / "bulletin.xlsx")
    assert {"全市排名", "低于全区解决率", "民生诉求热点", "营商环境", "街道排名", "区直部门排名", "考核评分规则"} <= set(wb.sheetnames)
    ws = wb["街道排名"]
    assert ws.print_title_rows == "$2:$3"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert "诉求响应率（30分）" in [c.value for c in ws[2]]
    names = [ws.cell(row=r, column=1).value for r in range(4, 4 + 13)]
    assert names == pd.read_csv(GOLDEN / "units_streets.csv", dtype=str)["责任单位"].tolist()
    totals = {ws.cell(row=r, column=1).value: (ws.cell(row=r, column=18).value, ws.cell(row=r, column=18).number_format)
              for r in range(4, 17)}
    assert totals["韭菜园街道办事处"] == (99.3, "0.00")


# --------------------------------------------------------------------------- personal data


def _output_texts(out: Path) -> dict[str, str]:
    texts = {}
    blob = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+|\"image/png\": \"[A-Za-z0-9+/=\\n]+\"")
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            texts[str(path)] = "".join(p.extract_text() or "" for p in PdfReader(path).pages)
        elif path.suffix in {".xlsx", ".docx"}:
            with zipfile.ZipFile(path) as z:
                texts[str(path)] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                                           if n.endswith(".xml"))
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".ipynb":  # JSON may escape non-ASCII
                text += json.dumps(json.loads(text), ensure_ascii=False)
            texts[str(path)] = blob.sub("", text)
    return texts


def test_no_personal_data_in_any_output_file(out, personal_values):
    values = personal_values
    assert len(values) > 1000  # the sample has personal data to leak
    texts = _output_texts(out)
    assert len(texts) >= 10
    leaks = {name: _occurring(values, text)[:3] for name, text in texts.items()}
    assert not {k: v for k, v in leaks.items() if v}


def _occurring(values: set[str], text: str) -> list[str]:
    """The values that occur in text. A value can only occur where its first (up to) six
    characters do, so an index of the text's short substrings rules most out at once."""
    grams = {n: {text[i:i + n] for i in range(len(text) - n + 1)} for n in range(3, 7)}
    return [v for v in values if v[:6] in grams[min(len(v), 6)] and v in text]


# --------------------------------------------------------------------------- safe publishing


def _tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_rerun_leaves_the_last_good_bulletin(out, tmp_path, capsys):
    # A workspace like the sample (same folder name → same output folder) whose month is broken.
    workspace = tmp_path / "ws" / "sample"
    shutil.copytree(SAMPLE, workspace)
    (workspace / config.MONTHS_DIR / MONTH / config.MONTH_FILE).write_text("issue: [unclosed\n", encoding="utf-8")
    out_root = tmp_path / "output"
    previous = out_root / "sample" / MONTH
    shutil.copytree(out, previous)
    before = _tree_digest(previous)

    code = main(["run", MONTH, "--data", str(workspace), "--out", str(out_root), "--no-progress"])

    assert code == 1
    err = capsys.readouterr().err
    assert MONTH in err and "month.yaml" in err
    assert _tree_digest(previous) == before
    leftovers = sorted(p.name for p in previous.parent.iterdir())
    # no staging folder left behind; the months' index is rebuilt (listing the bulletin kept)
    assert leftovers == sorted([f"{MONTH}.failed.ipynb", MONTH, "index.html"])
