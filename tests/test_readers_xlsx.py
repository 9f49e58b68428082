"""XLSX reader on workbooks built with openpyxl."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.readers.xlsx import cell_text, format_number, read_xlsx, stored_decimal

ANNEX1 = {
    "rows": [
        ["附件1 部门整体支出绩效评价基础数据表", None, None, None],
        ["单位：万元", None, None, None],
        ["经费控制情况", "2023年决算数", "2024年预算数", "2024年决算数"],
        ["三公经费", 11.81, 8.0, 6.35],
        ["其中：公车运行维护", 6.75, 5.0, 5.81],
        ["基本支出", 2348.7499999999995, 2400, 2348.75],
    ],
    "merge": ["A1:D1"],
}


def test_merged_ranges_become_spans(make_xlsx):
    sheet = {"rows": [["项目", "预算", None], [None, "年初", "全年"], ["基本支出", 1, 2]],
             "merge": ["A1:A2", "B1:C1"]}
    doc = read_xlsx(make_xlsx({"表1": sheet}), "a.xlsx")
    (table,) = doc.tables
    assert (table.n_rows, table.n_cols, table.sheet) == (3, 3, "表1")
    spans = [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]
    assert spans == [(0, 0, 2, 1, "项目"), (0, 1, 1, 2, "预算"), (1, 1, 1, 1, "年初"), (1, 2, 1, 1, "全年"),
                     (2, 0, 1, 1, "基本支出"), (2, 1, 1, 1, "1"), (2, 2, 1, 1, "2")]
    assert table.text_grid()[0] == ["项目", "预算", None]


def test_numbers_show_their_written_precision(make_xlsx):
    doc = read_xlsx(make_xlsx({"附件1": ANNEX1}), "a.xlsx")
    grid = doc.tables[0].text_grid()
    assert grid[5][1:] == ["2348.75", "2400", "2348.75"]
    assert grid[3][1:] == ["11.81", "8", "6.35"]


def test_number_format_decides_decimals(make_xlsx):
    sheet = {"rows": [["执行率", 0.7773], ["金额", 12.5], ["合计", 1234567.891], ["人数", 86]],
             "formats": {"B1": "0.00%", "B2": "0.00", "B3": "#,##0.00", "B4": "0"}}
    grid = read_xlsx(make_xlsx({"s": sheet}), "a.xlsx").tables[0].text_grid()
    assert [row[1] for row in grid] == ["77.73%", "12.50", "1,234,567.89", "86"]


def test_formula_without_cached_value_is_an_issue_not_a_number(make_xlsx):
    sheet = {"rows": [["人员经费", 1939.62], ["公用经费", 409.13], ["合计", "=SUM(B1:B2)"]]}
    doc = read_xlsx(make_xlsx({"基本支出": sheet}), "a.xlsx")
    assert doc.tables[0].text_grid()[2] == ["合计", ""]
    (issue,) = doc.issues
    assert issue.code.startswith("W") and "公式未计算" in issue.message and "B3" in issue.message
    assert (issue.locator.table, issue.locator.row, issue.locator.col) == (0, 2, 1)


def test_caption_heading_block_unit_and_annex(make_xlsx):
    doc = read_xlsx(make_xlsx({"附件1": ANNEX1, "空表": {"rows": []}}, title="基础数据"), "a.xlsx")
    assert len(doc.tables) == 1  # the empty sheet gives no table
    table = doc.tables[0]
    assert table.caption == "附件1 部门整体支出绩效评价基础数据表"
    assert table.unit_hint == "万元" and table.annex and table.after_block == 0
    assert doc.blocks[0].text == table.caption and doc.blocks[0].level == 1
    assert doc.metadata == {"title": "基础数据"}


def test_used_range_starts_at_first_value(make_xlsx):
    sheet = {"rows": [[None, None, None], [None, "项目", "金额"], [None, "合计", 5]]}
    table = read_xlsx(make_xlsx({"s": sheet}), "a.xlsx").tables[0]
    assert table.text_grid() == [["项目", "金额"], ["合计", "5"]]


def test_dates_and_text_cells():
    assert cell_text(dt.datetime(2025, 4, 15)) == "2025-04-15"
    assert cell_text(dt.datetime(2025, 4, 15, 9, 30)) == "2025-04-15 09:30:00"
    assert cell_text(dt.date(2024, 12, 31)) == "2024-12-31"
    assert cell_text("  ７７．７３％ ") == "77．73％"
    assert cell_text(None) == "" and cell_text(True) == "TRUE"
    assert format_number(-3.456, "0.00;(0.00)") == "(3.46)"
    assert format_number(5, '0"人"') == "5人"
    assert format_number(2.675, "0.00") == "2.68"


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("-1e11"), max_value=Decimal("1e11"), places=2, allow_nan=False))
def test_general_format_round_trips_two_decimal_amounts(amount):
    """Any amount typed with cents shows as written (trailing zeros aside), never float noise."""
    shown = format_number(float(amount), "General")
    assert Decimal(shown) == amount
    assert stored_decimal(float(amount)) == amount


def test_formatted_empty_cells_do_not_widen_the_table(make_xlsx):
    sheet = {"rows": [["项目", "金额"], ["合计", "=B1"]], "formats": {"Z500": "0.00", "C1": "0.00"}}
    doc = read_xlsx(make_xlsx({"s": sheet}), "a.xlsx")
    table = doc.tables[0]
    assert (table.n_rows, table.n_cols) == (2, 2)
    assert [i.locator.row for i in doc.issues] == [1]


def test_caption_joins_title_rows_and_unit_comes_from_header_under_them(make_xlsx):
    sheet = {"rows": [["附件2", None, None], ["部门整体支出绩效自评表", None, None], ["（2024年度）", None, None],
                      ["预算部门", "某单位", None], ["年度预算申请（万元）", "年初预算数", "全年预算数"]],
             "merge": ["A2:C2", "B4:C4"]}
    table = read_xlsx(make_xlsx({"自评表": sheet}), "a.xlsx").tables[0]
    assert table.caption == "附件2 部门整体支出绩效自评表 （2024年度）"
    assert table.unit_hint == "万元" and table.annex


def test_formula_with_a_cached_value_shows_it_without_an_issue(make_xlsx, tmp_path):
    """Excel stores the last computed value in <v>: that is what the reviewer sees."""
    import zipfile

    source = make_xlsx({"s": {"rows": [["人员经费", 1939.62], ["公用经费", 409.13], ["合计", "=SUM(B1:B2)"]]}})
    cached = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(cached, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>SUM(B1:B2)</f><v></v>", b"<f>SUM(B1:B2)</f><v>2348.7499999999995</v>")
            dst.writestr(info, data)
    doc = read_xlsx(cached, "cached.xlsx")
    assert doc.tables[0].text_grid()[2] == ["合计", "2348.75"]
    assert doc.issues == ()


def _patch_sheet_xml(source, target, *replacements):
    """Copy an .xlsx, applying (old, new) byte replacements to its first sheet's XML."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for old, new in replacements:
                    assert old in data
                    data = data.replace(old, new)
            dst.writestr(info, data)
    return target


def test_values_under_a_merged_range_are_hidden_like_excel(make_xlsx, tmp_path):
    """A covered cell that still holds a value in the XML shows nothing and does not
    widen the table; a merged range from an empty cell far below the data is clipped."""
    rows = [["项目", "被合并", "金额"], ["合计", 5, 6], [None, None, "残留"]]
    source = make_xlsx({"s": {"rows": rows}})
    merges = b'</sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="A3:A5000"/></mergeCells>'
    patched = _patch_sheet_xml(source, tmp_path / "covered.xlsx", (b"</sheetData>", merges))
    table = read_xlsx(patched, "covered.xlsx").tables[0]
    assert (table.n_rows, table.n_cols) == (3, 3)
    assert table.text_grid() == [["项目", None, "金额"], ["合计", "5", "6"], ["", "", "残留"]]
    assert [(c.row, c.col, c.row_span, c.col_span) for c in table.cells if c.col == 0] == [
        (0, 0, 1, 2), (1, 0, 1, 1), (2, 0, 1, 1)]


def test_cells_beyond_a_wrong_declared_dimension_are_read(make_xlsx, tmp_path):
    source = make_xlsx({"s": {"rows": [["项目", "金额"], ["合计", 12.5]], "formats": {"B2": "0.00"}}})
    patched = _patch_sheet_xml(source, tmp_path / "dim.xlsx", (b'<dimension ref="A1:B2"/>', b'<dimension ref="A1"/>'))
    assert read_xlsx(patched, "dim.xlsx").tables[0].text_grid() == [["项目", "金额"], ["合计", "12.50"]]
