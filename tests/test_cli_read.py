"""`extractor read FILE`: the developer/reviewer view of what the tool sees."""

from __future__ import annotations

import json

from extractor.cli import main
from extractor.model import Cell, Document, Format, Table
from extractor.report.render import draw_grid, render_document, text_width

PARTS = [
    "二、一般公共预算支出情况",
    "（一）基本支出情况",
    "2024年基本支出2348.75万元。",
    "表1 基本支出明细表（万元）",
    {"table": [["项目", "", "金额"], ["基本支出", "人员经费", "1939.62"], ["", "公用经费", "409.13"]],
     "merge": [(0, 0, 0, 1), (1, 0, 2, 0)]},
]


def test_read_shows_heading_path_and_grid(make_docx, capsys):
    path = make_docx(PARTS)
    assert main(["read", str(path)]) == 0
    out = capsys.readouterr().out
    assert "report.docx" in out and "格式 docx" in out
    assert "H2 （一）基本支出情况    § 二、一般公共预算支出情况 > （一）基本支出情况" in out
    assert "[表 0] 3行×3列 | 标题 表1 基本支出明细表（万元） | 单位 万元" in out
    rows = [line for line in out.splitlines() if line.lstrip().startswith(("0 |", "1 |", "2 |"))]
    assert rows[0].split("|")[1].strip() == "项目"  # spans columns 0-1: one segment
    assert len(rows[0].split("|")) == len(rows[1].split("|")) - 1
    assert rows[2].split("|")[1].strip() == "↑"  # covered by 基本支出 above


def test_read_json_is_the_document_model(make_docx, capsys):
    assert main(["read", "--json", str(make_docx(PARTS))]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "extractor.document" and data["format"] == "docx"
    assert data["tables"][0]["cells"][0] == {"row": 0, "col": 0, "text": "项目", "row_span": 1,
                                             "col_span": 2, "page": None}


def test_grid_aligns_wide_chinese_characters():
    table = Table(index=0, n_rows=2, n_cols=2, cells=(
        Cell(0, 0, "项目"), Cell(0, 1, "amount"), Cell(1, 0, "ab"), Cell(1, 1, "金额合计"),
    ))
    lines = draw_grid(table)
    assert len({text_width(line) for line in lines}) == 1  # every line equally wide on screen
    assert any("·" in line for line in draw_grid(Table(1, 1, 2, (Cell(0, 1, "x"),))))


def test_render_marks_pages_and_annex():
    from extractor.model import Block, BlockKind

    doc = Document(source="a.pdf", format=Format.PDF, sha256="ab" * 32, pages=3, blocks=(
        Block(0, BlockKind.HEADING, "附件1", ("附件1",), 1, page=2, annex=True),
        Block(1, BlockKind.PARAGRAPH, "正文", ("附件1",), None, page=3, annex=True),
    ))
    text = render_document(doc)
    assert "页数 3" in text and "sha256 abababababab" in text
    assert "#1 [p.3] [附件] 正文" in text


def test_every_table_is_drawn_even_after_a_missing_block():
    doc = Document(source="a.xlsx", format=Format.XLSX, sha256="0" * 64, tables=(
        Table(0, 1, 1, (Cell(0, 0, "甲"),), after_block=-1),
        Table(1, 1, 1, (Cell(0, 0, "乙"),), after_block=7),
    ))
    text = render_document(doc)
    assert "[表 0]" in text and "[表 1]" in text and text.index("甲") < text.index("乙")
    assert all(line == line.rstrip() for line in text.splitlines())
