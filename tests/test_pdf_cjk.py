"""The PDF reader on PDFs typeset in CJK fonts (tests/cjk_pdf.py: Noto Sans and Serif CJK
SC embedded, Times for figures, 10.5 to 16 pt, justified, ragged and on Word's document
grid), issue 12 item 7: paragraphs end where they were typeset to end, a figure and its
unit split by a line break stay in one block, two figures never glue, a table row cut by
the page break is one row, a merged cell starting at the page foot stays one merged cell."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pypdfium2
import pytest
from cjk_pdf import DOCS, OPEN_SPLIT, PARAGRAPHS_JUSTIFIED, SPLIT_ROW, STACKED

from extractor.model import BlockKind
from extractor.readers.pdf import read_pdf
from extractor.readers.pdf_page import PageReader
from extractor.readers.pdf_text import Line, chars_to_lines

FIXTURES = Path(__file__).parent / "fixtures" / "pdf_cjk"
PROSE = ["justified_sans", "ragged_serif", "grid_sans", "heading_font", "tracked_serif", "two_pages"]
FIGURE_UNIT = re.compile(r"\d[\d,]*(?:\.\d+)?(?:万元|元|%|个百分点|个|人次|人|名|笔|项|件|辆|户)")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _read(name: str):
    return read_pdf(FIXTURES / f"{name}.pdf", f"{name}.pdf")


def _typeset(name: str) -> list[str]:
    doc = next(d for d in DOCS if d.name == name)
    return [part[2] for part in doc.parts if part[0] == "p"]


def _raw_lines(name: str) -> list[tuple[Line, str]]:
    """Each line as drawn, with its chars' font names."""
    data = (FIXTURES / f"{name}.pdf").read_bytes()
    pdf = pypdfium2.PdfDocument(data)
    try:
        reader = PageReader(pdf, data)
        found = []
        for index in range(len(pdf)):
            chars = reader.read(index).chars
            fonts = " ".join(sorted({c["fontname"].split("+")[-1] for c in chars}))
            found.extend((line, fonts) for line in chars_to_lines(chars, index + 1))
        return found
    finally:
        pdf.close()


def _cells(table) -> dict[tuple[int, int], tuple[int, str]]:
    return {(c.row, c.col): (c.row_span, c.text) for c in table.cells}


def test_fixtures_are_set_in_two_cjk_fonts_and_sizes():
    fonts, sizes = set(), set()
    for name in PROSE:
        for line, names in _raw_lines(name):
            fonts.update(names.split())
            sizes.add(line.size)
    assert {"NotoSansCJKSC", "NotoSerifCJKSC", "NotoSansCJKSCBold", "Times-Roman"} <= fonts
    assert {10.5, 12.0, 16.0} <= sizes


@pytest.mark.parametrize("name", PROSE)
def test_paragraphs_read_as_typeset(name):
    assert [b.text for b in _read(name).blocks] == _typeset(name)


def test_heading_in_another_font_after_a_long_last_line_is_its_own_paragraph():
    """Sans headings, as long as the body's size, neither bold nor indented, each after a
    paragraph whose last line stops within a fifth of the width: still headings."""
    doc = _read("heading_font")
    assert [(b.kind, b.text) for b in doc.blocks if b.kind is BlockKind.HEADING] == [
        (BlockKind.HEADING, text) for text in ("一、部门基本情况", "二、部门整体支出情况", "三、绩效目标完成情况")]
    assert doc.blocks[3].section == ("二、部门整体支出情况",)


def test_lines_broken_between_a_figure_and_its_unit_are_in_the_fixtures():
    """The shapes the next test reads: a line ending in a figure whose unit opens the next
    line, on the grid a line stopping two cells short ("127" / "笔、4406万元")."""
    breaks = []
    for name in PROSE:
        lines = [line for line, _ in _raw_lines(name) if not re.fullmatch(r"- \d+ -", line.text)]
        breaks += [(a.text[-5:], b.text[:2], b.page - a.page) for a, b in pairwise(lines)
                   if a.text[-1].isdigit() and re.match(r"[万元%个人名笔项件辆户]", b.text)]
    assert ("127", "笔、", 0) in [(a[-3:], b, turn) for a, b, turn in breaks]
    assert ("36.80", "万元", 1) in breaks  # over the page break, the page number between
    assert len(breaks) >= 4


@pytest.mark.parametrize("name", PROSE)
def test_every_figure_keeps_its_unit_and_no_two_figures_glue(name):
    texts = [b.text for b in _read(name).blocks]
    source = _typeset(name)
    for figure in (m.group(0) for text in source for m in FIGURE_UNIT.finditer(text)):
        assert any(figure in text for text in texts), figure
    assert Counter(NUMBER.findall(" ".join(texts))) == Counter(NUMBER.findall(" ".join(source)))


def test_row_cut_by_the_page_break_is_one_row():
    doc = _read("split_row")
    assert [b.text for b in doc.blocks] == [PARAGRAPHS_JUSTIFIED[0], PARAGRAPHS_JUSTIFIED[3]]
    [table] = doc.tables
    assert table.pages == (1, 2) and (table.n_rows, table.n_cols) == (5, 4)
    grid = table.text_grid()
    assert [row[0] for row in grid] == ["序号", "1", "2", "3", "4"]  # the repeated header dropped
    assert grid[3] == ["3", SPLIT_ROW, "216.00", "208.60"]
    assert grid[4] == ["4", "信息化运维", "30.00", "29.10"]


def test_row_cut_with_every_cell_running_on_and_no_rule_at_the_break():
    """The part on page 2 has no top rule and the one on page 1 no bottom rule: the rows at
    the break are still cells (not loose paragraphs), and the cut row is one row."""
    doc = _read("open_split")
    assert [b.text for b in doc.blocks] == [PARAGRAPHS_JUSTIFIED[0], PARAGRAPHS_JUSTIFIED[3]]
    [table] = doc.tables
    assert table.pages == (1, 2)
    assert table.text_grid() == [["年度目标", "实际完成情况", "偏差原因"], list(OPEN_SPLIT),
                                 ["新建村级服务站3个", "已建成3个", "无"]]


def test_merged_cell_starting_at_the_page_foot_stays_one_cell():
    """产出指标 / 数量指标 start in the last row of page 1 and run 2 rows onto page 2: one
    merged cell each, and the first row of page 2 a row of its own (never "1200人次3个")."""
    [table] = _read("merge_at_foot").tables
    assert (table.n_rows, table.n_cols) == (6, 4)
    cells = _cells(table)
    assert cells[(2, 0)] == (3, "产出指标") and cells[(2, 1)] == (3, "数量指标")
    assert [row[2:] for row in table.text_grid()[2:]] == [
        ["培训人次", "1200人次"], ["新建服务站", "3个"], ["覆盖行政村", "45个"], ["群众满意度", "≥90%"]]
    assert cells[(5, 0)] == (1, "效益指标")


def test_merged_cell_running_one_row_onto_the_next_page():
    """The merge's rest on page 2 is a one-row box; the column holds other merged cells
    (成本指标, 效益指标), so the empty box continues 产出指标."""
    [table] = _read("merge_one_more").tables
    assert (table.n_rows, table.n_cols) == (7, 4)
    cells = _cells(table)
    assert cells[(1, 0)] == (2, "成本指标") and cells[(3, 0)] == (2, "产出指标") and cells[(3, 1)] == (2, "数量指标")
    assert cells[(5, 0)] == (2, "效益指标")
    assert [row[2:] for row in table.text_grid()[3:5]] == [["培训人次", "1200人次"], ["新建服务站", "3个"]]


def test_page_size_inherited_from_the_page_tree():
    """fpdf2 (like PHP's FPDF) writes the MediaBox on the /Pages node only: the A4 height
    is inherited, not pdfium's US Letter fallback, so boxes are where they were drawn."""
    data = (FIXTURES / "justified_sans.pdf").read_bytes()
    assert data.count(b"/MediaBox") == 1 and re.search(rb"/Type /Pages[^>]*/MediaBox|/MediaBox[^>]*/Type /Pages",
                                                        data, re.DOTALL)
    title = _read("justified_sans").blocks[0]
    assert abs(title.bbox[1] - 72.0) < 4.0  # set from y = 72 pt below the top of the page


def test_row_cut_where_its_cells_stopped_short_keeps_their_line_breaks():
    """Two figures stacked in a cell and two paragraphs in another, one of each on either
    side of the break: one row, the figures and the paragraphs on two lines ("612.40\\n540.00",
    never "612.40540.00"), the wrapped 说明 joined."""
    [table] = _read("split_stacked").tables
    assert table.pages == (1, 2) and (table.n_rows, table.n_cols) == (3, 4)
    assert table.text_grid()[1:] == [["5", SPLIT_ROW, *STACKED], ["6", "信息化运维", "30.00", "无"]]


def test_new_row_atop_the_page_with_an_empty_cell_is_not_glued_to_the_row_before():
    """序号 4's 备注 is empty under 序号 3's 已完成, and no cell of row 3 ran on: two rows
    (main joined them into one: "34", "1.200.80")."""
    [table] = _read("new_row_at_top").tables
    assert table.pages == (1, 2)
    assert [row[0] for row in table.text_grid()] == ["序号", "2", "3", "4", "5"]
    assert [row[3] for row in table.text_grid()] == ["金额", "2.30", "1.20", "0.80", "0.50"]
    assert _cells(table)[(2, 4)] == (1, "已完成") and _cells(table)[(3, 4)] == (1, "")
