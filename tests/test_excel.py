"""The Excel workbook (hotline.render.excel, written with XlsxWriter) as openpyxl reads it back.

The sample month's bulletin is written to a temporary folder; sheets, cells, number formats,
merged headers, fonts and print setup are checked, and two writes must give the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from hotline.render.excel import FONT_NAME, cell_value, column_formats, workbook
from hotline.render.tables import frame_of

SHEETS = ["通报正文", "全市排名", "低于全区解决率", "民生诉求热点", "营商环境", "街道排名", "区直部门排名", "考核评分规则"]
TABLE_SHEETS = {"全市排名": "city_ranking", "低于全区解决率": "below_district", "民生诉求热点": "hot_topics",
                "街道排名": "units_streets", "区直部门排名": "units_departments"}
SCORE_SHEETS = {"全市排名", "街道排名", "区直部门排名"}
# The units' score tables: 责任单位, 签收总量, three groups (items + 小计), 回访评价 (a group of one), 总分, 加分, 排名.
UNIT_MERGES = {"A1:T1", "A2:A3", "B2:B3", "C2:H2", "I2:M2", "N2:P2", "R2:R3", "S2:S3", "T2:T3"}
UNIT_ROW2 = ["责任单位", "签收总量", "诉求响应率（30分）", None, None, None, None, None, "问题解决率（35分）", None, None,
             None, None, "在线办结率（20分）", None, None, "回访满意率（15分）", "总分（100分）", "加分", "排名"]
UNIT_ROW3 = [None, None, "按时签收", "及时联系", "按时办结", "延期办理", "工单驳回", "小计", "问题解决", "重点督办", "重复交办",
             "发回重办", "小计", "即问即答", "知识库建设", "小计", "回访评价", None, None, None]


@pytest.fixture(scope="module")
def path(bulletin, tmp_path_factory):
    path = tmp_path_factory.mktemp("excel") / "bulletin.xlsx"
    path.write_bytes(workbook(bulletin))
    return path


@pytest.fixture(scope="module")
def book(path):
    return load_workbook(path)


def _row(ws, r: int, width: int) -> list:
    return [ws.cell(row=r, column=c).value for c in range(1, width + 1)]


def _by_unit(ws, columns: list[str], first_row: int = 4) -> dict:
    """责任单位 -> {table column: (value, number format)} for a units' score sheet."""
    rows = {}
    for r in range(first_row, ws.max_row + 1):
        name = ws.cell(row=r, column=1).value
        if ws.cell(row=r, column=2).value is None:  # the notes under the table
            break
        rows[name] = {h: (ws.cell(row=r, column=c).value, ws.cell(row=r, column=c).number_format)
                      for c, h in enumerate(columns, start=1)}
    return rows


def test_sheets_in_order(book):
    assert book.sheetnames == SHEETS
    assert book.active.title == "通报正文"


def test_every_table_cell_is_its_display_text_as_a_number_or_text(book, bulletin):
    """Each body cell is cell_value() of the bulletin's display text: its value, number or text, and format.

    (A whole float such as 99.0 is stored as 99 and read back as an int, as openpyxl wrote it too.)
    """
    for sheet, key in TABLE_SHEETS.items():
        ws, df = book[sheet], frame_of(bulletin.text.tables[key])
        first = 4 if sheet in SCORE_SHEETS else 3
        formats = column_formats(df)
        for i, values in enumerate(df.itertuples(index=False, name=None)):
            for c, text in enumerate(values, start=1):
                cell = ws.cell(row=first + i, column=c)
                value, fmt = cell_value(text)
                kind = str if isinstance(value, str) else type(None) if value is None else (int, float)
                assert cell.value == value and isinstance(cell.value, kind), (sheet, cell.coordinate, text)
                assert cell.number_format == (formats[c - 1] if fmt else "General"), (sheet, cell.coordinate, text)


def test_one_number_format_per_column(book):
    """A column's figures share the format of the one with most places: 97.7 as 97.70 beside 97.84."""
    ws = book["全市排名"]
    totals = {ws.cell(row=r, column=18).value: ws.cell(row=r, column=18).number_format for r in range(4, 9)}
    assert totals[97.7] == totals[97.84] == "0.00"
    for sheet in TABLE_SHEETS:
        ws = book[sheet]
        for column in ws.iter_cols(min_row=4 if sheet in SCORE_SHEETS else 3):
            found = {c.number_format for c in column if isinstance(c.value, (int, float))}
            assert len(found) <= 1, (sheet, column[0].column_letter, found)


def test_the_text_sheet_holds_the_whole_bulletin_text(book, bulletin):
    """通报正文: the 版头, every heading and paragraph of 一 to 四 in order, where each table is, the 附件说明."""
    lines = [c.value or "" for c in book["通报正文"]["A"]]
    expected = ["领导批示：", "芙蓉区12345政务热线情况通报", "〔2023〕第 4 期", "芙蓉区12345政务热线三月份情况通报",
                "一、全市排名情况", "（表见「全市排名」工作表）", "二、区内情况统计", "（一）本月扣分情况：全区593个工单问题未解决被扣2.3分。",
                "三、本月热线特点", "（一）民生诉求热点", "四、“接诉即办、未诉先办”专栏", "市场监管局：为民服务效率高 热情公正暖人心",
                "东屯渡街道：持续优化营商环境 贴心服务辖区企业",
                "附件：1.芙蓉区12345政务热线工作主要考核指标综合得分排行榜（根据我区考核标准执行）",
                "2.芙蓉区12345政务热线工作考核评分规则"]
    at = [lines.index(text) for text in expected]
    assert at == sorted(at)
    assert any(line.startswith("3月份，全区共签收工单5804件，办结工单5231件") for line in lines)
    assert [c.value for c in book["全市排名"][2]][0] == "责任单位"  # as the seed's head


@pytest.mark.parametrize("sheet", ["街道排名", "区直部门排名"])
def test_units_sheets_have_the_two_level_header(book, bulletin, sheet):
    ws = book[sheet]
    assert {str(r) for r in ws.merged_cells.ranges} == UNIT_MERGES
    assert _row(ws, 2, 20) == UNIT_ROW2
    assert _row(ws, 3, 20) == UNIT_ROW3
    assert ws["A1"].value.startswith("芙蓉区12345政务热线成员单位工单办理主要考核指标综合得分排行榜——")
    assert ws.freeze_panes == "B4"
    assert ws.row_dimensions[1].height == 26 and ws.row_dimensions[3].height == 30
    assert ws.column_dimensions["A"].width == 30 and ws.column_dimensions["B"].width == 7.5
    # One <col> element may span B:T (XlsxWriter joins equal columns): every column B..T is 7.5 wide.
    spans = {(d.min, d.max): d.width for d in ws.column_dimensions.values() if d.min}
    assert all(any(lo <= c <= hi and w == 7.5 for (lo, hi), w in spans.items()) for c in range(2, 21))
    for c in range(1, 21):
        head = ws.cell(row=2, column=c)
        if head.value is not None:
            assert head.font.name == FONT_NAME and head.font.b and head.font.sz == 10
            assert head.fill.fill_type == "solid" and head.fill.fgColor.rgb.endswith("F2F2F2")
            assert head.border.left.style == head.border.bottom.style == "thin"
            assert head.alignment.horizontal == "center" and head.alignment.wrap_text


def test_streets_known_cells(book, bulletin):
    ws = book["街道排名"]
    rows = _by_unit(ws, list(bulletin.text.tables["units_streets"].frame.columns))
    assert len(rows) == 13
    assert rows["韭菜园街道办事处"]["总分"] == (99.3, "0.00")  # '99.30' prints as 99.30
    assert rows["东屯渡街道办事处"]["总分"] == (98.34, "0.00")
    assert rows["东屯渡街道办事处"]["加分"] == (0.5, "0.0")
    assert rows["东湖街道办事处"]["加分"] == (None, "General")
    assert rows["东屯渡街道办事处"]["签收总量"] == (215, "0") and isinstance(rows["东屯渡街道办事处"]["签收总量"][0], int)
    assert rows["湘湖管理局"]["按时签收"] == (4.9, "0.0")
    assert rows["东岸街道办事处"]["排名"] == (1, "0")
    # The notes: one empty row after the table, then the unranked note and the bonus line.
    assert ws["A17"].value is None
    assert ws["A18"].value == "备注：当月无办结工单、无回访工单的不纳入考核排名。"
    assert ws["A19"].value == "东屯渡街道办事处加0.5分，市场监督管理局加0.5分。"
    assert ws["A18"].font.name == FONT_NAME and ws["A18"].font.sz == 10


def test_departments_known_cells(book, bulletin):
    rows = _by_unit(book["区直部门排名"], list(bulletin.text.tables["units_departments"].frame.columns))
    assert len(rows) == 34
    assert rows["隆平水稻博物馆"]["总分"] == (100, "0.00")  # the column's one format
    assert rows["宣传部"]["总分"] == (99.9, "0.00")
    assert rows["市场监督管理局"]["总分"] == (94.17, "0.00") and rows["市场监督管理局"]["加分"] == (0.5, "0.0")
    assert rows["自然资源和规划分局"]["回访评价"] == (0, "0.00")  # beside 14.88 in the column


def test_percentages_and_text(book, bulletin):
    ws = book["低于全区解决率"]
    df = bulletin.text.tables["below_district"]
    text = df.iloc[0]["问题解决率"]
    assert text.endswith("%")
    cell = ws.cell(row=3, column=list(df.columns).index("问题解决率") + 1)
    assert cell.number_format == ("0.0%" if "." in text else "0%")
    assert cell.value == pytest.approx(float(text[:-1]) / 100)
    assert book["营商环境"]["C3"].value == "城市管理局1件、马王堆街道办事处1件。"


def test_a_total_with_its_bonus_stays_text(bulletin, tmp_path):
    """A table that shows 总分 as '98.34+0.5' (bonus added in the cell) keeps it as text."""
    table = bulletin.text.tables["units_streets"]
    df = table.frame.copy()
    df.loc[df["责任单位"] == "东屯渡街道办事处", "总分"] = "98.34+0.5"
    tables = {**bulletin.text.tables, "units_streets": dataclasses.replace(table, frame=df)}
    b = dataclasses.replace(bulletin, text=dataclasses.replace(bulletin.text, tables=tables))
    ws = load_workbook(io.BytesIO(workbook(b)))["街道排名"]
    cell = ws.cell(row=4 + int((df["责任单位"] == "东屯渡街道办事处").argmax()), column=18)
    assert (cell.value, cell.data_type, cell.number_format) == ("98.34+0.5", "s", "General")


def test_print_setup(book, bulletin):
    for ws in book.worksheets:
        ps = ws.page_setup
        assert str(ps.paperSize) == str(ws.PAPERSIZE_A4), ws.title
        assert ps.orientation == ("landscape" if ws.title in SCORE_SHEETS else "portrait"), ws.title
        # Fit to 1 page wide, any number tall. fitToWidth="1" is the OOXML default, which XlsxWriter leaves out.
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ps.fitToWidth in (None, 1) and ps.fitToHeight == 0, ws.title
        assert ws.print_options.horizontalCentered
        m = ws.page_margins
        assert (m.left, m.right, m.top, m.bottom, m.header, m.footer) == (0.4, 0.4, 0.6, 0.6, 0.5, 0.5)
        assert ws.oddFooter.center.text == "— &P —"
        titles = {"通报正文": None, "考核评分规则": None}
        assert ws.print_title_rows == titles.get(ws.title, "$2:$3" if ws.title in SCORE_SHEETS else "$2:$2"), ws.title
    assert book["通报正文"].oddHeader.center.text == bulletin.settings.bulletin_title
    assert book["考核评分规则"].oddHeader.center.text == bulletin.text.sentences["heading_rules"]
    assert book["街道排名"].oddHeader.center.text == book["街道排名"]["A1"].value
    assert book["民生诉求热点"].freeze_panes == "A3"


def test_fonts_and_the_summary_sheet(book, bulletin):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == FONT_NAME, (ws.title, cell.coordinate)
    ws = book["通报正文"]
    assert ws["A1"].value == bulletin.text.sentences["leader_remarks"]
    assert ws["A2"].value == bulletin.settings.bulletin_title
    assert ws["A2"].font.b and ws["A2"].font.sz == 14 and ws["A2"].font.color.rgb.endswith("D40000")
    assert ws["A6"].value == bulletin.text.sentences["title"] and ws["A6"].font.b and ws["A6"].font.sz == 14
    assert ws["A6"].font.color is None or ws["A6"].font.color.type == "theme"  # the default text colour, not red
    assert ws["A5"].value is None
    assert ws["A7"].font.sz == 11 and ws["A7"].alignment.horizontal == "left" and ws["A7"].alignment.wrap_text
    assert ws.column_dimensions["A"].width == 110
    rules = book["考核评分规则"]
    assert [rules.cell(row=r, column=1).value for r in range(1, len(bulletin.text.rules) + 1)] == bulletin.text.rules
    assert rules.column_dimensions["A"].width == 120
    title = book["全市排名"]["A1"]
    assert title.font.b and title.font.sz == 14 and title.alignment.horizontal == "center"


def test_document_properties(book, bulletin):
    p = book.properties
    assert p.title == bulletin.text.sentences["title"]
    assert p.creator == bulletin.settings.issuer
    assert p.created == p.modified == dt.datetime(2023, 5, 17)  # the publish date, not the time of writing


def test_two_writes_give_the_same_bytes(bulletin, path, tmp_path):
    again = tmp_path / "again.xlsx"
    again.write_bytes(workbook(bulletin))
    assert again.read_bytes() == path.read_bytes()
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2023-05-17T00:00:00Z" in z.read("docProps/core.xml").decode("utf-8")


def test_a_month_without_business_environment_orders_says_so(bulletin):
    none = {kind: {"total": 0, "units": {}} for kind in bulletin.selections.business}
    b = dataclasses.replace(bulletin, selections=dataclasses.replace(bulletin.selections, business=none))
    ws = load_workbook(io.BytesIO(workbook(b)))["营商环境"]
    assert ws["A1"].value == "营商环境、行政效能类工单情况（2023年3月）"
    assert ws["A2"].value == "本月无营商环境、行政效能类工单。" and ws.max_row == 2


# --------------------------------------------------------------------------- cells


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

