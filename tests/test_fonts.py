"""The fonts (hotline.render.fonts): the district's typefaces by role (district.yaml → fonts,
<workspace>/fonts/): which face each role gets, that the PDF embeds it and the Word file names it,
and what happens without them; the bundled faces' coverage and the HTML's subsets.

The office's licensed faces are stood in for by the bundled Noto fonts, renamed as 公文 faces
name themselves (factories.renamed_font): 仿宋_GB2312 / FangSong_GB2312 and 黑体 / SimHei.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import nbformat
import pytest
from pypdf import PdfReader

from factories import renamed_font
from hotline import config
from hotline.cli import main
from hotline.errors import InputError
from hotline.inputs.settings import Fonts
from hotline.render import columns, doctree, fonts, typeset
from hotline.render.docx import html_to_docx
from hotline.render.exporters import BulletinDocxExporter, BulletinPDFExporter

TEXT = "关于全区政务热线工作情况的通报一、全市排名情况本月全区共签收工单件责任单位签收总量"
PAGE = ('<h1 class="doc-title">关于全区政务热线工作情况的通报</h1><h2>一、全市排名情况</h2>'
        "<p>本月全区共签收工单5804件。</p>"
        "<table><thead><tr><th>责任单位</th><th>签收总量</th></tr></thead>"
        "<tbody><tr><td>全区</td><td>5804</td></tr></tbody></table>")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A workspace folder whose fonts/ holds a 仿宋_GB2312 and a 黑体 (and nothing else)."""
    root = tmp_path_factory.mktemp("office")
    renamed_font(fonts.serif().path, root / config.FONTS_DIR / "fs_gb2312.otf", "FangSong_GB2312", "仿宋_GB2312", TEXT)
    renamed_font(fonts.sans().path, root / config.FONTS_DIR / "simhei.otf", "SimHei", "黑体", TEXT)
    return root


def _embedded(pdf: bytes) -> set[str]:
    """The PostScript names of the faces a PDF embeds (subset prefix and encoding dropped)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            name = str(font.get_object()["/BaseFont"])
            names.add(re.sub(r"-Identity-H$", "", re.sub(r"^/?[A-Z]{6}\+", "", name)))
    return names


def _style_fonts(docx: bytes) -> dict[str, str]:
    """{paragraph style name: its East-Asian face} of a Word file."""
    import docx as python_docx
    from docx.oxml.ns import qn

    styles = python_docx.Document(io.BytesIO(docx)).styles
    slots = {s.name: s.element.rPr.find(qn("w:rFonts")) for s in styles if s.element.rPr is not None}
    return {name: found.get(qn("w:eastAsia")) for name, found in slots.items()
            if found is not None and found.get(qn("w:eastAsia"))}


def test_without_office_fonts_every_role_has_its_stand_in():
    setup = fonts.default_setup()
    assert setup.stand_ins == list(fonts.ROLES)
    assert setup.family("body") == "Noto Serif SC" and setup.family("heading") == "Noto Sans SC"
    assert setup.word_family("body") == "仿宋_GB2312" and setup.word_family("title") == "方正小标宋简体"
    [line] = fonts.setup_report(setup)
    assert "内置" in line and "仿宋_GB2312" in line and f"{config.FONTS_DIR}/" in line


def test_the_office_faces_are_found_by_their_chinese_or_english_name(office):
    setup = fonts.font_setup(Fonts(), office)
    assert setup.roles["body"].stand_in is False and setup.family("body") == "FangSong_GB2312"
    assert setup.word_family("body") == "仿宋_GB2312"  # the first name the district lists that the face has
    assert setup.family("heading") == "SimHei" and setup.word_family("heading") == "黑体"
    assert setup.family("table") == "FangSong_GB2312"
    assert set(setup.stand_ins) == {"title", "subheading", "page_number"}
    english = fonts.font_setup(Fonts(body=("华文仿宋", "FangSong_GB2312")), office)
    assert english.word_family("body") == "FangSong_GB2312" and english.family("body") == "FangSong_GB2312"
    report = "\n".join(fonts.setup_report(setup))
    assert "正文：仿宋_GB2312（fs_gb2312.otf）" in report and "未找到 方正小标宋简体" in report


def test_the_pdf_embeds_the_office_faces(office):
    setup = fonts.font_setup(Fonts(), office)
    pdf = typeset.tree_to_pdf(doctree.parse(PAGE), setup)
    embedded = _embedded(pdf)
    assert {"FangSong_GB2312", "SimHei"} <= embedded  # body and table; 一、 heading and table head
    assert "NotoSerifSC-Regular" in embedded  # the title's stand-in: the office has no 小标宋
    assert "NotoSansSC-Regular" not in embedded  # the table's default stand-in, now the office's 仿宋
    assert typeset.tree_to_pdf(doctree.parse(PAGE), setup) == pdf  # the same bytes on every run


def test_the_word_file_names_the_faces_found(office):
    setup = fonts.font_setup(Fonts(body=("FangSong_GB2312", "仿宋_GB2312")), office)
    docx = html_to_docx(PAGE, setup)
    styles = _style_fonts(docx)
    assert styles["Normal"] == "FangSong_GB2312" and styles["Heading 1"] == "黑体" and styles["表格文字"] == "仿宋_GB2312"  # its own list
    font_table = zipfile.ZipFile(io.BytesIO(docx)).read("word/fontTable.xml").decode()
    assert set(re.findall(r'<w:font w:name="([^"]+)"', font_table)) == set(styles.values()) | {"Times New Roman"}
    assert '<w:font w:name="FangSong_GB2312"><w:charset w:val="86"/>' in font_table  # no hints of its own


def test_a_file_that_is_not_a_font_is_refused_by_name(tmp_path):
    bad = tmp_path / config.FONTS_DIR / "仿宋.ttf"
    bad.parent.mkdir()
    bad.write_bytes(b"not a font, a renamed document")
    with pytest.raises(InputError) as exc:
        fonts.font_setup(Fonts(), tmp_path)
    assert "仿宋.ttf" in str(exc.value.problems[0]) and exc.value.problems[0].fix


def test_the_exporters_take_the_faces_the_notebook_carries(office):
    meta = fonts.style_metadata(Fonts(), office)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", {"text/html": "<style></style>"}, metadata=meta),
        nbformat.v4.new_output("display_data", {"text/html": PAGE}),
    ])])
    assert fonts.notebook_setup(nb) == fonts.font_setup(Fonts(), office)
    pdf, _ = BulletinPDFExporter().from_notebook_node(nb)
    assert "FangSong_GB2312" in _embedded(pdf)
    docx, _ = BulletinDocxExporter().from_notebook_node(nb)
    assert _style_fonts(docx)["Normal"] == "仿宋_GB2312"
    moved = nbformat.from_dict(nb)  # a notebook from another machine: its font files are not here
    moved.cells[0].outputs[0].metadata[fonts.METADATA_KEY]["roles"]["body"]["path"] = str(office / "gone.otf")
    assert fonts.notebook_setup(moved) == fonts.default_setup()
    del nb.cells[0].outputs[0].metadata[fonts.METADATA_KEY]
    assert fonts.notebook_setup(nb) == fonts.default_setup()


@pytest.mark.slow
def test_a_run_sets_the_bulletin_in_the_workspaces_faces(office, tmp_path, capsys):
    workspace = shutil.copytree(config.DEFAULT_WORKSPACE, tmp_path / "ws", ignore=shutil.ignore_patterns(".cache"))
    shutil.copytree(office / config.FONTS_DIR, workspace / config.FONTS_DIR)
    assert main(["validate", "--data", str(workspace)]) == 0
    assert "正文：仿宋_GB2312（fs_gb2312.otf）" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["run", "2023-03", "--data", str(workspace), "--out", str(out), "--no-progress",
                 "--flavour", "official"]) == 0
    folder = config.month_output_dir(workspace, "2023-03", out)
    assert {"FangSong_GB2312", "SimHei"} <= _embedded((folder / "bulletin.pdf").read_bytes())
    assert _style_fonts((folder / "bulletin.docx").read_bytes())["Normal"] == "仿宋_GB2312"
    assert "正文：仿宋_GB2312" in (folder / config.REPORT_FILE).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the bundled fonts


def test_fonts_cover_gb2312_and_bulletin_punctuation():
    chars = fonts.gb2312()
    text = chars + "〔〕（）“”—：；，。、％0123456789.+%"
    assert len(chars) == 7445  # GB2312's 682 symbols and 6,763 hanzi
    for font in fonts.fonts():
        assert fonts.missing_glyphs(text, font) == set(), font.name


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
    # made anew (not the in-memory cache's copy), the same bytes: dated as the font itself, not now
    with TTFont(fonts.sans().path, lazy=True) as source:
        assert font["head"].modified == source["head"].modified
    assert fonts.subset_woff.__wrapped__(fonts.sans().path, text) == data
    css = fonts.font_face_css("芙蓉区")
    assert css.count("@font-face") == 2 and fonts.SANS_FAMILY in css and fonts.SERIF_FAMILY in css



def test_the_stand_in_tables_ascii_widths_are_the_fonts_own_rounded_up(office):
    """fonts.SANS_ASCII_EMS, what the PDF's one-line rows are judged by, against Noto Sans SC's
    advance widths; an office's face, whose widths are not known, gets columns.ANY_FACE_ASCII."""
    from fontTools.ttLib import TTFont

    face = TTFont(fonts.sans().path, lazy=True)
    cmap, hmtx, per_em = face.getBestCmap(), face["hmtx"], face["head"].unitsPerEm
    for code, width in zip(range(0x20, 0x7F), fonts.SANS_ASCII_EMS, strict=True):
        advance = hmtx[cmap[code]][0] / per_em
        assert advance <= width < advance + 0.001, chr(code)
    assert fonts.ascii_ems(fonts.default_setup())[ord("W")] == pytest.approx(0.878)
    setup = fonts.font_setup(Fonts(), office)
    assert not setup.roles["table"].stand_in and fonts.ascii_ems(setup) is columns.ANY_FACE_ASCII
