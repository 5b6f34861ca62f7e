"""The two sides of the bulletin HTML agree: what the sections write (a hotline.render.doctree
Table of Cells, a Masthead) is what the parser reads back, for generated tables and heads
(hypothesis); and the official page is read once for both the PDF and the Word document."""

from __future__ import annotations

import string
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.render import columns, doctree, fonts, markup, sections, typeset
from hotline.render.doctree import Masthead, Row, Table, text_cell

# Chinese, Latin, figures and the marks the bulletin's tables hold, markup's own characters too.
_CHARS = st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                   st.sampled_from(string.ascii_letters + string.digits + "<>&\"'%.+-()/（）、，。：—“”"))
_WORD = st.text(_CHARS, min_size=1, max_size=6)
# A line as a browser shows it: words one space apart (white space at its ends or doubled collapses).
LINE = st.lists(_WORD, max_size=3).map(" ".join)
CLASSES = st.sampled_from(["", "unit", "num", "sub", "total", "group", "item", "unit num"])


@st.composite
def cells(draw, header: bool) -> doctree.Cell:
    """A cell of one to three lines (any of them empty), spanning up to three rows and columns."""
    return text_cell(draw(st.lists(LINE, min_size=1, max_size=3)), header or draw(st.booleans()),
                     draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(CLASSES))


@st.composite
def tables(draw) -> Table:
    """Head rows (up to two, th cells) over body rows (td cells, a th now and then)."""
    head = draw(st.lists(st.lists(cells(True), min_size=1, max_size=4), max_size=2))
    body = draw(st.lists(st.lists(cells(False), min_size=1, max_size=4), min_size=1, max_size=4))
    return Table([Row(c, header=True) for c in head] + [Row(c) for c in body], draw(st.sampled_from(["grid", "grid scores units"])))


@given(tables())
def test_a_rendered_table_parses_back_to_the_same_tree(table):
    """Spans, head rows, line breaks, Chinese and Latin text: table.html.j2 writes the tree the parser reads."""
    page = markup.render("table.html.j2", table=table)
    assert doctree.parse(str(page)).blocks == [table]


@given(st.lists(st.integers(0, 4), max_size=5))
def test_a_table_spanning_nothing_has_each_rows_cells_in_order_in_its_grid(lengths):
    """Short rows end in None, as where a spanning table's row is short."""
    table = Table([Row([text_cell([f"{r}.{i}"]) for i in range(n)]) for r, n in enumerate(lengths)])
    width = max(lengths, default=0)
    assert table.grid() == [[(r, i) if i < n else None for i in range(width)] for r, n in enumerate(lengths)]


@given(st.builds(Masthead, remarks=LINE, title=LINE, issue=LINE, issuer=LINE, date=LINE),
       st.dates().map(lambda d: d.isoformat()))
def test_a_rendered_masthead_parses_back_to_the_same_masthead(masthead, day):
    doc = doctree.parse(str(sections.masthead_html(masthead, day)))
    assert doc.blocks == [masthead] and doc.date == day


def test_the_sample_months_sections_parse_to_the_cells_they_were_made_of(bulletin):
    """The 附件 table of the sample month: two head rows (the groups, then their items), 加分 in the
    总分 cell; the city table's head under the seed's 责任单位."""
    [table] = doctree.parse(str(sections.score_table_html(bulletin.text.tables["units_streets"], sections.labels(bulletin),
                                                                 "总分（含加分）"))).blocks
    assert table.header_rows == 2
    assert [c.text for c in table.rows[0].cells][:3] == ["责任单位", "签收\n总量", "诉求响应率（30分）"]
    assert table.rows[0].cells[2].colspan == 6 and all(run.bold for run in table.rows[0].cells[2].runs)
    assert [c.text for c in table.rows[1].cells][:2] == ["按时\n签收", "及时\n联系"]
    dongtundu = next(row for row in table.rows if row.cells[0].text == "东屯渡街道办事处")
    assert [c.text for c in dongtundu.cells][-2:] == ["98.34+0.5", "5"]
    city = doctree.parse(str(sections.section_city(bulletin))).blocks
    assert next(b for b in city if isinstance(b, Table)).rows[0].cells[0].text == "责任单位"


@pytest.mark.parametrize("svg, size", [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="432pt" height="288pt" viewBox="0 0 432 288">', (432, 288)),
    ('<svg width="640" height="480">', (480, 360)),  # CSS pixels
    ('<svg width = " 10 mm " height="1in">', (10 * 72 / 25.4, 72)),
    ('<svg\n  stroke-width="3" viewBox="0 0 400 300">', (300, 225)),  # no size: the viewBox's pixels
    ('<svg width="200pt" viewBox="-5 -5 400 300">', (200, 150)),  # one side: the other by the viewBox's shape
    ('<svg height="90pt" viewBox="0,0,400,300">', (120, 90)),
    ('<svg width="100%" height="100%">', None),
    ('<svg width="200pt">', None),
])
def test_an_svgs_natural_size(svg, size):
    image = doctree.Image(f'<?xml version="1.0"?>\n{svg}<rect/></svg>'.encode(), "image/svg+xml")
    assert image.natural_size_pt == (pytest.approx(size) if size else None)


def test_a_bitmaps_natural_size_is_its_pixels_at_a_css_pixel_each():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + struct.pack(">II", 640, 480) + b"\x08\x06\x00\x00\x00"
    gif = b"GIF89a" + struct.pack("<HH", 40, 20) + b"\x00" * 8
    assert doctree.Image(png, "image/png").natural_size_pt == (480, 360)
    assert doctree.Image(gif, "image/gif").natural_size_pt == (30, 15)
    assert doctree.Image(b"\xff\xd8\xff\xe0", "image/jpeg").natural_size_pt is None
    assert doctree.Image(b"GIF89a", "image/gif").natural_size_pt is None  # cut short


@pytest.mark.parametrize("text, narrow, expected", [
    ("按时签收", 0.6, 4), ("98.34+0.5", 0.5, 4.5), ("“网络”—…", 0.56, 6), ("芙蓉区 3月", 0.5, 5), ("𠀀A", 0.5, 1.5), ("", 0.6, 0),
])
def test_a_lines_width_in_ems_counts_wide_characters_one_em(text, narrow, expected):
    assert columns.ems(text, narrow) == pytest.approx(expected)


@given(st.text(st.one_of(_CHARS, st.sampled_from(" …‘’\n𠀀"))), st.sampled_from([0.5, 0.56, 0.6]))
def test_a_lines_width_in_ems_is_its_characters_widths_added_in_order(text, narrow):
    """To the last bit, as a loop over the characters adds them (the columns' widths, so the PDF's
    and the Word document's bytes, depend on it)."""
    one_by_one = sum(1.0 if ch >= "\u2e80" or ch in columns.WIDE_MARKS else narrow for ch in text)
    assert columns.ems(text, narrow) == one_by_one
    assert columns.has_wide(text) == any(ch >= "\u2e80" or ch in columns.WIDE_MARKS for ch in text)
    assert columns.widest_unbroken(text, narrow) == max((columns.ems(w, narrow) for w in columns.unbroken(text)), default=0)


def test_figures_and_latin_stay_unbroken_between_chinese_and_spaces():
    assert columns.unbroken("湘江新区(岳麓区) 97.60分 Noto Sans“SC”") == ["(", ")", "97.60", "Noto", "Sans", "SC"]


@pytest.mark.parametrize("text, most", [
    ("GD2023030000344", 2 + 13 * 0.65), ("2023-03-01 10:37", 16 * 0.65), ("诉求类型01", 4 + 2 * 0.65),
    ("WM", 2), ("“网络”—…", 6), ("", 0), ("①Ⅲ↑×é", 5), ("a⸺b", None), ("♥", None), ("🙂", None),
])
def test_a_lines_widest_in_any_chinese_face(text, most):
    """Figures and their marks at most 0.65 em, any other ASCII, CJK or Latin-1 character, arrow or
    number form an em; a character that may be wider (a two-em dash, a symbol a fallback face
    draws) leaves no bound."""
    assert columns.ems_at_most(text) == (None if most is None else pytest.approx(most))


def test_a_lines_widest_in_the_stand_in_face():
    """By Noto Sans SC's own widths: figures 0.555 em, W 0.878 (tests/test_fonts.py checks them against the font)."""
    ascii = fonts.ascii_ems(fonts.default_setup())
    assert columns.ems_at_most("第488街道办事处", ascii) == pytest.approx(6 + 3 * 0.555)
    assert columns.ems_at_most("W9.9", ascii) == pytest.approx(0.878 + 2 * 0.555 + 0.278)


def test_rows_sure_to_be_one_line_high():
    """A row is one line high for sure when its cells are plain text, each in its own column
    (no span from the row or from above), one not empty, each within its column whatever the face."""
    table = doctree.parse(
        '<table class="grid orders"><thead><tr><th>编号</th><th>类型</th></tr></thead><tbody>'
        '<tr><td>GD2023030000344</td><td>城乡建设</td></tr>'  # fits
        f'<tr><td>GD2023030000345</td><td>{"城乡建设" * 20}</td></tr>'  # wraps
        '<tr><td>GD2023030000346</td><td><b>城乡建设</b></td></tr>'  # bold: a run with a style
        '<tr><td></td><td></td></tr>'  # empty: Typst sets it without a line
        '<tr><td rowspan="2">GD2023030000347</td><td>城乡</td></tr>'  # spans down
        '<tr><td>城乡</td></tr>'  # its first column is the cell above's
        '<tr><td colspan="2">合计</td></tr>'
        '<tr><td>GD2023030000348</td><td>♥</td></tr>'  # no bound on ♥'s width
        '</tbody></table>').blocks[0]
    body = [[typeset._cell(cell, False) for cell in row.cells] for row in table.rows[1:]]
    widths = [150, 100]  # pt: 7.5 pt type (table.orders) padded 2 pt a side, 12.7 ems in the second column
    assert typeset._one_line_rows(table, table.grid(), 1, body, widths, columns.ANY_FACE_ASCII) == [True] + [False] * 7
    assert typeset._one_line_rows(table, table.grid(), 1, body, [150, 20], columns.ANY_FACE_ASCII) == []  # 城乡建设 too wide: no row
    orders = doctree.parse('<table class="grid orders"><thead><tr><th>编号</th></tr></thead><tbody><tr><td>GD2023030000344</td></tr></tbody></table>')
    assert typeset._table(orders.blocks[0], 442)["lines"] == [True]  # a page's width: the column widened past its text


def test_the_official_page_is_read_once_for_its_pdf_and_word_document(out, tmp_path, monkeypatch):
    """Exporting a flavour parses its page into a tree once, the cyclic garbage collector paused
    meanwhile and on again after; the PDF and the Word document made from that one tree are
    those of `hotline run`."""
    import gc

    import nbformat

    from hotline.run.month import export_flavour

    parsed, collecting = [], []

    def parse(page: str) -> doctree.Document:
        parsed.append(page)
        collecting.append(gc.isenabled())
        return real_parse(page)

    real_parse = doctree.parse
    monkeypatch.setattr(doctree, "parse", parse)
    export_flavour(nbformat.read(out / "bulletin.ipynb", as_version=4), "official", tmp_path, {})
    assert parsed == [(tmp_path / "bulletin.html").read_text(encoding="utf-8")]
    assert collecting == [False] and gc.isenabled()
    for name in ("bulletin.pdf", "bulletin.docx"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
