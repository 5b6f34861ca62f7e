"""Work-order export loading: formats, datetimes, snapshot precedence, validation messages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from factories import HEADER, PERSONAL_VALUES, UNITS_CSV, csv_text, edit_sheet_xml, row, write_csv, write_xlsx
from hotline.errors import InputError
from hotline.inputs.exports import LoadResult, load_exports, read_export
from hotline.inputs.registry import load_registry
from hotline.names import EXPORT_COLUMNS, PERSONAL_COLUMNS


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(UNITS_CSV, encoding="utf-8")
    return load_registry(path)


@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def load_error(folder, registry) -> InputError:
    with pytest.raises(InputError) as info:
        load_exports(folder, registry)
    return info.value


# ----------------------------------------------------------------------------- datetimes


@pytest.mark.parametrize("text, expected", [
    ("2023-03-01 08:30:00", "2023-03-01 08:30:00"),
    ("2023-03-01 08:30", "2023-03-01 08:30:00"),
    ("2023/3/1 8:30", "2023-03-01 08:30:00"),
    ("2023/3/1 8:30:15", "2023-03-01 08:30:15"),
    ("2023/03/01 18:05", "2023-03-01 18:05:00"),
    ("2023-03-01", "2023-03-01 00:00:00"),
    ("2023/3/1", "2023-03-01 00:00:00"),
    (" 2023-03-01 08:30 ", "2023-03-01 08:30:00"),
    ("2023-03-01 08:30:00.0", "2023-03-01 08:30:00"),
    ("2023-03-01 08:30:00.000", "2023-03-01 08:30:00"),
    ("2023-03-01 08:30:15.25", "2023-03-01 08:30:15.25"),
    ("2023/3/1 8:30:15.0", "2023-03-01 08:30:15"),
    ("2023年3月1日 9时5分", "2023-03-01 09:05:00"),
    ("2023年3月1日 18:05", "2023-03-01 18:05:00"),
    ("2023年3月1日18时05分30秒", "2023-03-01 18:05:30"),
    ("2023年03月01日 18:05:30", "2023-03-01 18:05:30"),
    ("2023年03月01日", "2023-03-01 00:00:00"),
    (" 2023年3月1日 ", "2023-03-01 00:00:00"),
])
def test_each_datetime_form(exports, registry, text, expected):
    write_csv(exports / "a.csv", [row(签收时间=text)])
    orders = load_exports(exports, registry).orders
    assert orders.loc[0, "signed_at"] == pd.Timestamp(expected)


def test_mixed_forms_in_one_column_whichever_comes_first(exports, registry):
    forms = ["2023年3月1日 9时0分", "2023-03-01 09:00:00.0", "2023/3/1 9:00", "2023-03-01 09:00:00"]
    write_csv(exports / "a.csv", [row(f"GD00{i}", 签收时间=form) for i, form in enumerate(forms)])
    orders = load_exports(exports, registry).orders
    assert list(orders["signed_at"]) == [pd.Timestamp("2023-03-01 09:00")] * len(forms)


def test_excel_datetime_cells(exports, registry):
    write_xlsx(exports / "a.xlsx", [row(签收时间="2023-03-01 08:30:00", 首次联系时间="")])
    orders = load_exports(exports, registry).orders
    assert orders.loc[0, "signed_at"] == pd.Timestamp("2023-03-01 08:30")
    assert pd.isna(orders.loc[0, "first_contact_at"])


def test_excel_datetime_rounded_to_the_second(exports, registry):
    book = openpyxl.Workbook()
    sheet = book.active
    header = [c for c in HEADER if c not in PERSONAL_COLUMNS]
    sheet.append(header)
    values = row(签收时间="")
    sheet.append([values[c] or None for c in header])
    # 2023-03-01 08:30 as an Excel serial with float noise just below the minute
    sheet.cell(row=2, column=header.index("签收时间") + 1).value = dt.datetime(2023, 3, 1, 8, 29, 59, 999_600)
    book.save(exports / "a.xlsx")
    orders = load_exports(exports, registry).orders
    assert orders.loc[0, "signed_at"] == pd.Timestamp("2023-03-01 08:30:00")


@pytest.mark.parametrize("bad", ["2023.3.1", "01/03/2023", "2023-02-30", "明天", "2023-03-01T08:30:00", "8:30",
                                 "2023-03-01 08:30.5", "3月1日 8时30分", "2023年2月30日", "2023年3月1日 24时00分",
                                 "2023年3月1日 8时", "2023年3月1日 8时30分.0", "2023年3月1日 08:30:00.0"])
def test_bad_datetime_names_file_row_column_value(exports, registry, bad):
    write_csv(exports / "2023-03.csv", [row("GD001"), row("GD002", 办结时间=bad)])
    error = load_error(exports, registry)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (Path(problem.file).name, problem.row, problem.column) == ("2023-03.csv", 3, "办结时间")
    message = str(error)
    for part in ["2023-03.csv", "第 3 行", "办结时间", f"「{bad}」", "2023/3/1 8:30", "2023-03-01 08:30:00",
                 "2023-03-01 08:30:00.0", "2023年3月1日 8时30分", "2023年3月1日 08:30"]:
        assert part in message


# ----------------------------------------------------------------------------- formats


def test_same_rows_in_each_format_give_identical_frames(tmp_path, registry):
    rows = [
        row("GD002", "市场监管局", 营商环境类别="投诉", 延期次数="2", 重点督办="是", 满意度="不满意", 是否解决="未解决"),
        row("GD001", "东岸街道办事处", 签收时间="", 首次联系时间="", 办结时间="", 回访时间="", 是否解决="", 满意度=""),
        row("GD001", "财政局", 营商环境类别="表扬", 驳回次数="1", 满意度="基本满意"),
    ]
    frames = {}
    for kind, write in {
        "utf8": lambda p: write_csv(p.with_suffix(".csv"), rows, "utf-8"),
        "bom": lambda p: write_csv(p.with_suffix(".csv"), rows, "utf-8-sig"),
        "gb18030": lambda p: write_csv(p.with_suffix(".csv"), rows, "gb18030"),
        "xlsx": lambda p: write_xlsx(p.with_suffix(".xlsx"), rows),
    }.items():
        folder = tmp_path / kind
        folder.mkdir()
        write(folder / "export")
        result = load_exports(folder, registry)
        assert [p.name for p in result.files] == [f"export.{'xlsx' if kind == 'xlsx' else 'csv'}"]
        assert result.warnings == []
        frames[kind] = result.orders.drop(columns="source_file")
    for kind in ["bom", "gb18030", "xlsx"]:
        pd.testing.assert_frame_equal(frames[kind], frames["utf8"], check_like=False)
    orders = frames["utf8"]
    assert list(orders["order_id"]) == ["GD001", "GD001", "GD002"]
    assert list(orders["unit"]) == ["东岸街道办事处", "财政局", "市场监督管理局"]  # registry order within an order
    assert list(orders["source_row"]) == [3, 4, 2]


def test_gb18030_csv_with_slash_dates(exports, registry):
    rows = [row(派单时间="2023/3/1 8:30", 签收时间="2023/3/1 9:05", 首次联系时间="2023/3/1 10:00",
                办理时限="2023/3/8 8:30", 办结时间="2023/3/3 17:00", 回访时间="2023/3/5 15:00")]
    write_csv(exports / "a.csv", rows, "gb18030")
    orders = load_exports(exports, registry).orders
    assert orders.loc[0, "dispatched_at"] == pd.Timestamp("2023-03-01 08:30")
    assert orders.loc[0, "visited_at"] == pd.Timestamp("2023-03-05 15:00")
    assert orders.loc[0, "unit"] == "东岸街道办事处"


def test_undecodable_csv_names_the_file(exports, registry):
    (exports / "broken.csv").write_bytes(b"\xff\xfe\xff\xff\x80\x80,\xff\n")
    error = load_error(exports, registry)
    assert "broken.csv" in str(error)
    assert "编码" in str(error)


def test_damaged_row_named_by_row_text_line_and_byte(exports, registry):
    header = HEADER + ["备注"]
    text = csv_text([row("GD001", 备注="第一行\n第二行"), row("GD002")], header)  # row 2 spans text lines 2-3
    pasted = csv_text([row("GD003", "财政局")], header).split("\n", 1)[1].encode("gb18030")  # row 4, line 5
    data = text.encode("utf-8-sig") + pasted
    (exports / "a.csv").write_bytes(data)
    error = load_error(exports, registry)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (Path(problem.file).name, problem.row, problem.column) == ("a.csv", 4, None)
    offset = len(text.encode("utf-8-sig")) + len("GD003,")
    assert problem.message == (f"文件是 UTF-8 编码（表头按 UTF-8 可读），但从文本第 5 行第 7 个字节（全文件第 {offset + 1} 个字节，"
                               f"0x{data[offset]:02X}）起不是有效的 UTF-8")
    assert "第 5 行" in problem.fix and "另存为 UTF-8" in problem.fix
    for value in PERSONAL_VALUES + ["第一行", "第二行"]:
        assert value not in str(error)


def test_file_in_neither_encoding_names_where_each_stops(exports, registry):
    data = "工单编号".encode("gb18030")[:3] + b",x\n" + "工单编号".encode()  # fits neither from the start
    (exports / "a.csv").write_bytes(data)
    problem = load_error(exports, registry).problems[0]
    assert problem.row == 1
    assert problem.message.startswith("无法识别文件编码（既不是 UTF-8 也不是 GB18030）: 按 GB18030 读取，从文本第 1 行第 3 个字节")
    assert "按 UTF-8 读取，从文本第 1 行第 1 个字节起无效" in problem.message and "UTF-16" in problem.fix


def test_column_types_and_defaults(exports, registry):
    header = [c for c in HEADER if c not in ["营商环境类别", "延期次数", "驳回次数", "重复交办次数", "发回重办次数", "重点督办"]]
    write_csv(exports / "a.csv", [row(回访时间="", 是否解决="", 满意度="")], header=header)
    orders = load_exports(exports, registry).orders
    assert list(orders.columns) == list(EXPORT_COLUMNS.values()) + ["source_file", "source_row"]
    first = orders.iloc[0]
    assert (first.extensions, first.rejections, first.repeat_assignments, first.send_backs) == (0, 0, 0, 0)
    assert first.supervised is False or first.supervised == False  # noqa: E712  (numpy bool)
    assert pd.isna(first.resolved) and pd.isna(first.satisfaction) and pd.isna(first.business_env)
    assert pd.isna(first.visited_at)
    for c in ["dispatched_at", "signed_at", "first_contact_at", "deadline", "closed_at", "visited_at"]:
        assert pd.api.types.is_datetime64_dtype(orders[c]), c
    for c in ["extensions", "rejections", "repeat_assignments", "send_backs", "source_row"]:
        assert orders[c].dtype == "int64", c
    assert orders["supervised"].dtype == bool
    assert orders["resolved"].dtype == "boolean"


def test_values_typed(exports, registry):
    write_csv(exports / "a.csv", [
        row("GD001", 重点督办="是", 营商环境类别="表扬", 是否解决="未解决", 满意度="基本满意", 延期次数="3"),
        row("GD002", 重点督办="", 发回重办次数=""),
    ])
    orders = load_exports(exports, registry).orders
    assert list(orders["supervised"]) == [True, False]
    assert list(orders["resolved"]) == [False, True]
    assert list(orders["satisfaction"]) == ["基本满意", "满意"]
    assert orders.loc[0, "business_env"] == "表扬" and pd.isna(orders.loc[1, "business_env"])
    assert list(orders["extensions"]) == [3, 0]
    assert list(orders["send_backs"]) == [0, 0]


def test_personal_columns_never_kept(exports, registry):
    write_csv(exports / "a.csv", [row()])
    raw = read_export(exports / "a.csv")
    orders = load_exports(exports, registry).orders
    for frame in (raw, orders):
        assert not set(PERSONAL_COLUMNS) & set(frame.columns)
        assert not frame.astype(str).isin(PERSONAL_VALUES).any().any()


def test_personal_data_not_in_error_messages(exports, registry):
    write_csv(exports / "a.csv", [row("GD001", 满意度="很好"), row("GD001", 满意度="一般")])
    error = load_error(exports, registry)
    for value in PERSONAL_VALUES + PERSONAL_COLUMNS:
        assert value not in str(error)


def test_read_export_numbers_rows_like_a_spreadsheet(exports):
    path = exports / "a.csv"
    path.write_text(
        ",".join(HEADER[:4]) + "\n" + "GD001,东岸街道,12345热线,小区卫生\n\n" + "GD002,东岸街道,12345热线,小区卫生\n,,,\n",
        encoding="utf-8",
    )
    raw = read_export(path)
    assert list(raw["工单编号"]) == ["GD001", "GD002"]
    assert list(raw["source_row"]) == [2, 4]


@pytest.mark.parametrize("label", ["合计", "合　计", "总 计", " 合\u3000\u3000计 ", "合 计：", "总\t计"])
def test_total_row_skipped_however_its_label_is_spaced(exports, label):
    path = exports / "a.csv"
    write_csv(path, [row("GD001"), row("GD002"), {"工单编号": label, "承办单位": "共 2 条"}], header=HEADER)
    warnings = []
    raw = read_export(path, warnings)
    assert list(raw["工单编号"]) == ["GD001", "GD002"]
    assert [(w.kind, w.row, w.column) for w in warnings] == [("total_row", 4, "工单编号")]


def test_order_id_that_merely_starts_like_a_total_is_kept(exports):
    path = exports / "a.csv"
    write_csv(path, [row("合计1"), row("总 计 2"), row("总3", 诉求类型="合 计")], header=HEADER)
    warnings = []
    assert list(read_export(path, warnings)["工单编号"]) == ["合计1", "总 计 2", "总3"] and warnings == []


def test_temporary_hidden_and_other_files_skipped(exports, registry):
    write_csv(exports / "a.csv", [row()])
    (exports / "~$a.xlsx").write_bytes(b"lock")
    (exports / ".hidden.csv").write_bytes(b"junk")
    (exports / "notes.txt").write_text("x", encoding="utf-8")
    result = load_exports(exports, registry)
    assert [p.name for p in result.files] == ["a.csv"]


def test_no_export_files_is_an_error(exports, registry):
    error = load_error(exports, registry)
    assert "没有工单明细文件" in str(error)


# ----------------------------------------------------------------------------- precedence and duplicates


def test_snapshot_precedence_last_file_name_wins(exports, registry):
    write_csv(exports / "2023-03_b.csv", [
        row("GD001", 办结时间="", 回访时间="", 是否解决="", 满意度=""),
        row("GD002", "韭菜园街道"),
    ])
    write_xlsx(exports / "2023-03_a.xlsx", [row("GD001", 办结时间="2023-03-02 10:00:00"), row("GD003")])
    write_csv(exports / "2023-03_c.csv", [row("GD001", "东岸街道", 办结时间="2023-03-04 11:00:00", 满意度="不满意")])
    result = load_exports(exports, registry)
    assert [p.name for p in result.files] == ["2023-03_a.xlsx", "2023-03_b.csv", "2023-03_c.csv"]
    orders = result.orders.set_index(["order_id", "unit"])
    assert len(orders) == 3
    gd1 = orders.loc[("GD001", "东岸街道办事处")]
    assert (gd1.source_file, gd1.source_row) == ("2023-03_c.csv", 2)
    assert gd1.closed_at == pd.Timestamp("2023-03-04 11:00") and gd1.satisfaction == "不满意"
    assert orders.loc[("GD002", "韭菜园街道办事处"), "source_file"] == "2023-03_b.csv"
    assert orders.loc[("GD003", "东岸街道办事处"), "source_file"] == "2023-03_a.xlsx"
    assert result.warnings == []


def test_exact_duplicate_dropped_with_warning(exports, registry):
    # Same key and the same values, even when the unit is spelled by alias and dates differently.
    write_csv(exports / "a.csv", [
        row("GD001"), row("GD002"), row("GD001", "东岸街道", 派单时间="2023/3/1 8:30"),
    ])
    result = load_exports(exports, registry)
    assert list(result.orders["order_id"]) == ["GD001", "GD002"]
    assert result.orders.loc[0, "source_row"] == 2
    assert len(result.warnings) == 1
    warning = str(result.warnings[0])
    for part in ["a.csv", "GD001", "东岸街道办事处", "第 2、4 行", "只保留第 2 行"]:
        assert part in warning


def test_conflicting_duplicate_is_an_error_naming_rows_and_columns(exports, registry):
    write_csv(exports / "2023-03.csv", [
        row("GD001"), row("GD002"), row("GD001", 满意度="不满意", 延期次数="1"),
    ])
    error = load_error(exports, registry)
    assert len(error.problems) == 1
    message = str(error)
    for part in ["2023-03.csv", "GD001", "第 2、4 行", "满意度", "延期次数"]:
        assert part in message
    assert "签收时间" not in message


def test_same_key_in_different_files_is_not_a_duplicate(exports, registry):
    write_csv(exports / "a.csv", [row("GD001", 满意度="满意")])
    write_csv(exports / "b.csv", [row("GD001", 满意度="不满意")])
    result = load_exports(exports, registry)
    assert len(result.orders) == 1 and result.orders.loc[0, "satisfaction"] == "不满意"
    assert result.warnings == []


# ----------------------------------------------------------------------------- units


def test_alias_and_short_name_resolved_to_full_name(exports, registry):
    write_csv(exports / "a.csv", [
        row("GD001", "芙蓉区市场监督管理局"), row("GD002", "市场监管局"), row("GD003", "市场监督管理局"),
        row("GD004", "东岸街道"),
    ])
    orders = load_exports(exports, registry).orders
    assert list(orders["unit"]) == ["市场监督管理局"] * 3 + ["东岸街道办事处"]


def test_unknown_unit_names_closest_registered_units(exports, registry):
    write_csv(exports / "2023-03.csv", [row("GD001"), row("GD002", "市场监督局"), row("GD003", "市场监督局")])
    error = load_error(exports, registry)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (problem.row, problem.column) == (3, "承办单位")
    message = str(error)
    for part in ["2023-03.csv", "「市场监督局」", "第 3、4 行", "市场监督管理局", "最接近"]:
        assert part in message


# ----------------------------------------------------------------------------- columns


def test_missing_required_column_names_file_missing_and_found(exports, registry):
    header = [c for c in HEADER if c not in ["办理时限", "满意度"]]
    write_csv(exports / "2023-03.csv", [row()], header=header)
    error = load_error(exports, registry)
    message = str(error)
    assert "2023-03.csv" in message
    assert "缺少必需的列: 办理时限、满意度" in message
    assert "文件中的列为: 工单编号、承办单位" in message
    for personal in PERSONAL_COLUMNS:
        assert personal not in message


def test_extra_columns_accepted(exports, registry):
    write_csv(exports / "a.csv", [row(备注="加急", 所属区域="芙蓉区")], header=HEADER + ["备注", "所属区域"])
    result = load_exports(exports, registry)
    assert len(result.orders) == 1
    assert "备注" not in result.orders.columns
    assert "备注" in read_export(exports / "a.csv").columns


def test_xlsx_read_in_full_whatever_its_dimension_says(exports, registry):
    """Streaming writers leave <dimension ref="A1"/>; each row then ends at its last filled cell."""
    header = [c for c in HEADER if c not in PERSONAL_COLUMNS]  # 满意度 last: empty in the second row
    path = write_xlsx(exports / "a.xlsx", [row("GD001"), row("GD002", 回访时间="", 是否解决="", 满意度="")], header)
    edit_sheet_xml(path, lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', xml))
    result = load_exports(exports, registry)
    assert result.warnings == []
    orders = result.orders
    assert list(orders["order_id"]) == ["GD001", "GD002"]
    assert orders.loc[0, "satisfaction"] == "满意" and pd.isna(orders.loc[1, "satisfaction"])
    assert orders.loc[1, "closed_at"] == pd.Timestamp("2023-03-03 17:00")


def test_workbook_without_an_export_sheet_names_every_sheet_and_its_header(exports, registry):
    path = write_xlsx(exports / "a.xlsx", [row()], header=[c for c in HEADER if c != "办理时限"])
    book = openpyxl.load_workbook(path)
    book.active.title = "明细"
    notes = book.create_sheet("填表说明", 0)
    notes.append(["填表说明"])
    notes.append(["工单编号", "平台生成，勿改"])
    book.create_sheet("空表")
    book.save(path)
    error = load_error(exports, registry)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (Path(problem.file).name, problem.row, problem.column) == ("a.xlsx", None, None)
    message = str(error)
    assert "没有一个工作表的表头包含全部必需的列" in message
    assert "「填表说明」第 2 行为 工单编号、平台生成，勿改（缺少: 承办单位、来源渠道" in message
    assert "「明细」第 1 行为 工单编号、承办单位、来源渠道" in message and "满意度（缺少: 办理时限）" in message
    assert "「空表」前 10 行为空" in message
    assert "表头须包含: 工单编号、承办单位" in message
    for personal in PERSONAL_COLUMNS:
        assert personal not in message


def test_sheet_without_an_order_id_column_is_named_so(exports, registry):
    path = write_xlsx(exports / "a.xlsx", [row()], header=[c for c in HEADER if c != "满意度"])
    book = openpyxl.load_workbook(path)
    book.create_sheet("字段说明", 0).append(["字段名", "说明"])
    book.save(path)
    message = str(load_error(exports, registry))
    assert "「字段说明」第 1 行为 字段名、说明（没有工单编号列）" in message and "（缺少: 满意度）" in message


def test_export_sheet_chosen_by_its_complete_header_without_warning(exports, registry):
    path = write_xlsx(exports / "a.xlsx", [row("GD001"), row("GD002")])
    book = openpyxl.load_workbook(path)
    book.active.title = "明细"
    notes = book.create_sheet("字段说明", 0)
    for name in HEADER:  # a field dictionary: every column name in A, near the top too
        notes.append([name, "说明"])
    book.save(path)
    result = load_exports(exports, registry)
    assert result.warnings == []
    assert list(result.orders["order_id"]) == ["GD001", "GD002"] and list(result.orders["source_row"]) == [2, 3]


def test_header_below_a_title_row(exports, registry):
    path = exports / "a.xlsx"
    write_xlsx(path, [row("GD001"), row("GD002")])
    book = openpyxl.load_workbook(path)
    book.active.insert_rows(1)
    book.active["A1"] = "工单明细导出（2023年3月）"
    book.save(path)
    orders = load_exports(exports, registry).orders
    assert list(orders["source_row"]) == [3, 4]


# ----------------------------------------------------------------------------- values


def test_visited_without_resolved_is_an_error(exports, registry):
    write_csv(exports / "a.csv", [row("GD001"), row("GD002", 是否解决="")])
    error = load_error(exports, registry)
    assert [(p.row, p.column) for p in error.problems] == [(3, "是否解决")]
    assert "a.csv" in str(error) and "有回访时间但是否解决为空" in str(error)


def test_visited_without_satisfaction_is_an_error(exports, registry):
    write_csv(exports / "a.csv", [row("GD001", 满意度="")])
    error = load_error(exports, registry)
    assert [(p.row, p.column) for p in error.problems] == [(2, "满意度")]


def test_invalid_satisfaction(exports, registry):
    write_csv(exports / "a.csv", [row("GD001", 满意度="非常满意")])
    error = load_error(exports, registry)
    assert [(p.row, p.column) for p in error.problems] == [(2, "满意度")]
    message = str(error)
    for part in ["a.csv", "第 2 行", "满意度", "「非常满意」", "基本满意", "不满意"]:
        assert part in message


@pytest.mark.parametrize("column, value", [
    ("是否解决", "已解决"), ("重点督办", "Y"), ("营商环境类别", "建议"),
])
def test_invalid_enumerations(exports, registry, column, value):
    write_csv(exports / "a.csv", [row("GD001", **{column: value})])
    error = load_error(exports, registry)
    assert [(p.row, p.column) for p in error.problems] == [(2, column)]
    assert f"「{value}」" in str(error)


@pytest.mark.parametrize("value", ["-1", "1.5", "两次", "1e3"])
def test_negative_or_non_integer_count(exports, registry, value):
    write_csv(exports / "a.csv", [row("GD001"), row("GD002", 驳回次数=value)])
    error = load_error(exports, registry)
    assert [(p.row, p.column) for p in error.problems] == [(3, "驳回次数")]
    assert f"「{value}」不是非负整数" in str(error) and "a.csv" in str(error)


def test_empty_order_id_and_unit(exports, registry):
    write_csv(exports / "a.csv", [row("", "东岸街道"), row("GD002", "")])
    error = load_error(exports, registry)
    assert sorted((p.row, p.column) for p in error.problems) == [(2, "工单编号"), (3, "承办单位")]


def test_all_problems_of_all_files_collected(exports, registry):
    write_csv(exports / "a.csv", [
        row("GD001", 满意度="很好"), row("GD002", 延期次数="-2"), row("GD003", 签收时间="昨天"),
        row("GD004", "不存在的单位"),
    ])
    write_csv(exports / "b.csv", [row("GD005", 是否解决="")])
    error = load_error(exports, registry)
    found = {(Path(p.file).name, p.row, p.column) for p in error.problems}
    assert found == {("a.csv", 2, "满意度"), ("a.csv", 3, "延期次数"), ("a.csv", 4, "签收时间"),
                     ("a.csv", 5, "承办单位"), ("b.csv", 2, "是否解决")}


def test_error_message_capped_but_all_problems_kept(exports, registry):
    write_csv(exports / "a.csv", [row(f"GD{i:03d}", 满意度="好") for i in range(70)])
    error = load_error(exports, registry)
    assert len(error.problems) == 70
    message = str(error)
    assert message.count("「好」") == 50
    assert "另有 20 个问题" in message


def test_warnings_for_missing_deadline_and_stray_visit_values(exports, registry):
    write_csv(exports / "a.csv", [row("GD001", 办理时限=""), row("GD002", 回访时间="", 满意度="", 是否解决="解决")])
    result = load_exports(exports, registry)
    assert len(result.orders) == 2
    assert [(p.row, p.column) for p in result.warnings] == [(2, "办理时限"), (3, "是否解决")]


def test_load_result_type(exports, registry):
    write_csv(exports / "a.csv", [row()])
    result = load_exports(exports, registry)
    assert isinstance(result, LoadResult)
    assert all(isinstance(p, Path) for p in result.files)


def test_duplicates_reported_alongside_other_problems(exports, registry):
    write_csv(exports / "a.csv", [row("GD001", 满意度="好"), row("GD002"), row("GD002", "东岸街道", 延期次数="")])
    write_csv(exports / "b.csv", [row("GD003"), row("GD003", 签收时间="2023/3/1 9:01")])
    error = load_error(exports, registry)
    assert [(Path(p.file).name, p.row, p.column) for p in error.problems] == [
        ("a.csv", 2, "满意度"), ("b.csv", 2, None)]
    assert "在第 2、3 行重复，且以下列的内容不同: 签收时间" in str(error.problems[1])


def test_whitespace_only_cells_are_empty(exports, registry):
    write_csv(exports / "a.csv", [row("GD001 ", " 东岸街道", 回访时间="  ", 是否解决=" ", 满意度="", 延期次数=" 2 ")])
    orders = load_exports(exports, registry).orders
    assert (orders.loc[0, "order_id"], orders.loc[0, "unit"]) == ("GD001", "东岸街道办事处")
    assert pd.isna(orders.loc[0, "visited_at"]) and pd.isna(orders.loc[0, "resolved"])
    assert orders.loc[0, "extensions"] == 2
