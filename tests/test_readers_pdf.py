"""PDF reader on LibreOffice exports of python-docx sources (tests/fixtures/pdf/build.py).

The committed PDFs are read with the real pdfplumber; their table grids must equal what
the DOCX reader finds in the source DOCX of the same file.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.errors import InputError
from extractor.model import BlockKind, Cell, Document, Format
from extractor.readers import read_document
from extractor.readers.docx import read_docx
from extractor.readers.pdf import _walk, read_pdf
from extractor.readers.pdf_tables import TableDraft
from extractor.readers.pdf_text import (
    Line,
    dedupe_row,
    drop_running_lines,
    is_page_number,
    join_wrapped,
    measure_layout,
    row_text,
)
from extractor.serialize import dumps

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
SAMPLE = Path(__file__).parent.parent / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024"
HEADER_TEXT = "某某县财政局2024年度部门整体支出绩效自评报告"
AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:亿元|万元|元)|\d+(?:\.\d+)?(?:亿元|万元|元|%)")


def _read(name: str) -> Document:
    return read_pdf(FIXTURES / name, name)


@pytest.fixture(scope="module")
def report() -> Document:
    return _read("report.pdf")


@pytest.fixture(scope="module")
def long_table() -> Document:
    return _read("long_table.pdf")


def _cells(table) -> list[tuple]:
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]


@pytest.mark.parametrize("stem", ["report", "long_table", "merged_table", "landscape"])
def test_table_grids_equal_the_docx_grids(stem):
    pdf = _read(f"{stem}.pdf")
    docx = read_docx(FIXTURES / f"{stem}.docx", f"{stem}.docx")
    assert len(pdf.tables) == len(docx.tables) == 1
    for ours, theirs in zip(pdf.tables, docx.tables):
        assert (ours.n_rows, ours.n_cols) == (theirs.n_rows, theirs.n_cols)
        assert _cells(ours) == _cells(theirs)
        assert (ours.caption, ours.unit_hint, ours.annex) == (theirs.caption, theirs.unit_hint, theirs.annex)


def test_merged_cells_become_spans(report):
    table = report.tables[0]
    spans = {(c.row, c.col): (c.row_span, c.col_span, c.text) for c in table.cells}
    assert spans[(0, 0)] == (2, 1, "序号")
    assert spans[(0, 1)] == (1, 2, "项目")
    assert spans[(0, 3)] == (1, 3, "本年支出")
    assert spans[(2, 1)] == (3, 1, "201")
    assert spans[(5, 1)] == (1, 2, "合计")
    assert spans[(6, 0)][:2] == (1, 6)
    assert spans[(3, 4)] == (1, 1, "")  # a truly empty cell is a cell, not a covered position
    assert table.grid()[5][0] is None  # gridBefore: no cell at all
    assert table.grid()[4][1].text == "201"
    assert table.pages == (1,) and table.unit_hint == "万元"
    assert table.caption == "表1 2024年度支出明细表 单位：万元"


def test_headings_and_paragraphs_carry_pages_and_sections(report):
    by_text = {block.text: block for block in report.blocks}
    first = by_text["一、单位基本情况"]
    assert (first.kind, first.level, first.page) == (BlockKind.HEADING, 1, 1)
    basic = by_text["（一）基本支出"]
    assert basic.level == 2 and basic.section == ("二、一般公共预算支出情况", "（一）基本支出")
    assert by_text["三、存在的问题及原因分析"].page == 3
    project = next(b for b in report.blocks if b.text.startswith("本年度共实施项目12个"))
    assert project.page == 2 and project.kind is BlockKind.PARAGRAPH
    assert project.section == ("二、一般公共预算支出情况", "（二）项目支出")
    for block in report.blocks:
        x0, top, x1, bottom = block.bbox
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842


def test_wrapped_paragraphs_are_whole_with_amounts_intact(report):
    texts = [block.text for block in report.blocks]
    assert ("2024年度本单位收入合计2348.75万元，支出合计2348.75万元，其中基本支出1939.62万元，"
            "项目支出409.13万元，基本支出占总支出的比重为82.58%，较上年下降8.03个百分点。") in texts
    assert any("公务用车运行维护费4.18万元" in text for text in texts)
    assert any("下属事业单位2个。2024年末实有人数86人" in text for text in texts)


def test_amounts_match_the_docx_paragraphs(report):
    docx = read_docx(FIXTURES / "report.docx", "report.docx")
    found = Counter(m for b in report.blocks for m in AMOUNT.findall(b.text))
    expected = Counter(m for b in docx.blocks for m in AMOUNT.findall(b.text))
    assert found == expected and sum(found.values()) == 17


def test_spaces_kept_between_latin_words_only(report):
    latin = next(b.text for b in report.blocks if b.text.startswith("The ISO"))
    assert latin == ("The ISO 9001 quality management system was audited in 2024, and the report "
                     "notes no major findings. Latin words keep their spaces.")
    assert not any(re.search("[\u4e00-\u9fff] \\d|\\d [\u4e00-\u9fff]", b.text) for b in report.blocks)


def test_running_headers_and_page_numbers_dropped(report, long_table):
    for doc in (report, long_table):
        for block in doc.blocks:
            assert not is_page_number(block.text), block.text
            assert "— " not in block.text and "第 " not in block.text
    titles = [b for b in report.blocks if b.text == HEADER_TEXT]
    assert len(titles) == 1 and titles[0].page == 1 and titles[0].bbox[1] > 70  # the title, not the header


def test_table_text_not_repeated_as_paragraphs(report, long_table):
    for needle in ("科目编码", "一般行政管理事务", "1,477.21"):
        assert not any(needle in b.text for b in report.blocks)
    assert not any("专项业务经费项目" in b.text or "序号" in b.text for b in long_table.blocks)


def test_fake_bold_pdf_reads_like_its_original(report):
    doubled = _read("fake_bold.pdf")
    assert [(b.text, b.kind, b.page, b.section) for b in doubled.blocks] == \
        [(b.text, b.kind, b.page, b.section) for b in report.blocks]
    assert [_cells(t) for t in doubled.tables] == [_cells(t) for t in report.tables]


def test_table_across_pages_is_stitched(long_table):
    assert len(long_table.tables) == 1
    table = long_table.tables[0]
    assert table.pages == (1, 2, 3, 4)
    assert (table.n_rows, table.n_cols) == (67, 6)
    first_column = [row[0] for row in table.text_grid()]
    assert first_column.count("序号") == 1
    assert first_column[1:] == [str(n) for n in range(1, 67)]
    split = table.text_grid()[16]
    assert split[0] == "16" and split[2:5] == ["216.00", "208.60", "96.57%"]
    assert "支付离退休人员公用经费补助" in split[1] and split[1].endswith("需分期拨付。")
    assert "医疗补助1,234.56元" in split[1]
    assert table.section == ("附件1", "部门整体支出绩效评价基础数据表") and table.annex
    assert long_table.blocks[table.after_block].text == "单位：万元"
    assert long_table.blocks[-1].page == 4 and long_table.blocks[-1].text.startswith("填表说明")


def test_vertical_merges_continue_over_the_page_break():
    doc = _read("merged_table.pdf")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.pages == (1, 2) and (table.n_rows, table.n_cols) == (45, 4)
    spans = {(c.row, c.col): (c.row_span, c.text) for c in table.cells}
    assert spans[(1, 0)] == (44, "产出指标（50分）")
    assert spans[(1, 1)] == (19, "数量指标") and spans[(20, 1)] == (25, "质量指标")
    assert [row[2] for row in table.text_grid()[1:]] == [f"三级指标第{n}项" for n in range(1, 45)]
    assert doc.blocks[-1].text == "部门整体支出绩效自评表" and table.caption == "附件2 部门整体支出绩效自评表"


def test_landscape_page_paragraphs_use_their_own_margins():
    pdf = _read("landscape.pdf")
    docx = read_docx(FIXTURES / "landscape.docx", "landscape.docx")
    assert [(b.kind, b.text, b.section) for b in pdf.blocks] == [(b.kind, b.text, b.section) for b in docx.blocks]
    assert [b.page for b in pdf.blocks] == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3]


def test_owner_password_only_pdf_opens_with_the_empty_password(report):
    doc = _read("owner_only.pdf")
    assert [b.text for b in doc.blocks] == [b.text for b in report.blocks]


@pytest.mark.parametrize("name, code", [
    ("not_a_pdf.pdf", "E104"),
    ("truncated.pdf", "E104"),
    ("encrypted.pdf", "E105"),
    ("scanned.pdf", "E106"),
    ("blank.pdf", "E107"),
])
def test_bad_inputs_give_their_code_and_name_the_file(name, code, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_OCR", "off")  # with OCR, scanned.pdf is read (tests/test_ocr.py)
    with pytest.raises(InputError) as caught:
        read_document(FIXTURES / name)
    assert caught.value.code == code
    message = str(caught.value)
    assert message.startswith(f"[{code}]") and name in message and "\n" not in message


def test_image_only_page_among_text_pages_is_an_issue(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_OCR", "off")  # with OCR, page 2 is read (tests/test_ocr.py)
    doc = _read("partly_scanned.pdf")
    assert doc.pages == 2 and [b.page for b in doc.blocks] == [1, 1]
    assert [(i.code, i.locator.page) for i in doc.issues] == [("W106", 2)]
    assert "partly_scanned.pdf 第2页" in doc.issues[0].message


def test_empty_file_is_e107(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="E107"):
        read_pdf(empty, "empty.pdf")


def test_reading_is_deterministic(report):
    again = _read("report.pdf")
    assert again.format is Format.PDF and again.pages == 3 and len(again.sha256) == 64
    assert again.issues == ()
    assert dumps(again, "extractor.document", "1.0") == dumps(report, "extractor.document", "1.0")


def test_sample_pdf_grids_equal_its_docx():
    """The LibreOffice export of the real Yiyang report: a table split over pages 10-11
    whose second part has more columns, and a row cut by the page break."""
    pdf = read_pdf(SAMPLE.with_suffix(".pdf"), "s.pdf")
    docx = read_docx(SAMPLE.with_suffix(".docx"), "s.docx")

    def flat(table):  # a hard line break after a cell's widest line cannot be seen in a PDF
        return [(c.row, c.col, c.row_span, c.col_span, c.text.replace("\n", "")) for c in table.cells]

    assert [flat(t) for t in pdf.tables] == [flat(t) for t in docx.tables]
    assert pdf.tables[0].pages == (10, 11)
    assert [b.kind for b in pdf.blocks] == [b.kind for b in docx.blocks]
    # paragraphs wrapped over lines and pages come out whole; only typed spaces differ
    assert [b.text.replace(" ", "") for b in pdf.blocks] == [b.text.replace(" ", "") for b in docx.blocks]
    assert [b.section for b in pdf.blocks] == [b.section for b in docx.blocks]
    assert {b.page for b in pdf.blocks} >= set(range(1, 10))


@pytest.mark.parametrize("left, right, joined", [
    ("公务接待费2.30万", "元", "公务接待费2.30万元"),
    ("金额1,234.", "56万元", "金额1,234.56万元"),
    ("合计1,", "234.56", "合计1,234.56"),
    ("keep", "their spaces", "keep their spaces"),
    ("audited in", "2024, and", "audited in 2024, and"),
    ("占比", "22.26%；", "占比22.26%；"),
    ("2024", "年", "2024年"),
])
def test_join_wrapped(left, right, joined):
    assert join_wrapped(left, right) == joined


@pytest.mark.parametrize("text", ["— 3 —", "- 3 -", "第3页", "第 3 页 共 9 页", "3", "Page 3 of 9", "3/9", "－12－"])
def test_page_number_shapes(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2024年度", "3.贷款发放", "第三章", "96.67%", "共3个科室"])
def test_not_page_numbers(text):
    assert not is_page_number(text)


def _line(page: int, top: float, text: str) -> Line:
    return Line(page=page, x0=80.0, top=top, x1=300.0, bottom=top + 10, size=10.0, bold=False, text=text)


def test_running_lines_need_the_margin_and_repetition():
    height = 842.0
    pages = [
        [_line(p, 30, "某局2024年度报告"), _line(p, 400, f"正文{p}"), _line(p, 400 + p, "7"),
         _line(p, 800, f"{p}")] + ([_line(p, 40, "只在首页的页眉区")] if p == 1 else [])
        for p in (1, 2, 3)
    ]
    kept = drop_running_lines(pages, [height] * 3)
    assert [[line.text for line in lines] for lines in kept] == [
        ["正文1", "7", "只在首页的页眉区"], ["正文2", "7"], ["正文3", "7"]]


def test_annex_titles_atop_pages_are_not_running_headers():
    pages = [[_line(p, 40, f"附件{p}"), _line(p, 300, "正文"), _line(p, 810, f"某局2024年度报告 第{p}页")]
             for p in (1, 2)]
    kept = drop_running_lines(pages, [842.0, 842.0])
    assert [[line.text for line in lines] for lines in kept] == [["附件1", "正文"], ["附件2", "正文"]]


def _char(text: str, x0: float, size: float = 10.0) -> dict:
    width = size if ord(text) > 0x2000 else size / 2
    return {"text": text, "x0": x0, "x1": x0 + width, "top": 100.0, "bottom": 100.0 + size,
            "size": size, "fontname": "Noto"}


def _layout(text: str) -> list[dict]:
    chars, x = [], 50.0
    for ch in text:
        chars.append(_char(ch, x))
        x = chars[-1]["x1"]
    return chars


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789.,%万元支出合计", min_size=1, max_size=30),
       st.floats(min_value=0.1, max_value=0.8))
def test_fake_bold_doubles_are_removed(text, offset):
    chars = _layout(text)
    doubled = chars + [dict(c, x0=c["x0"] + offset, x1=c["x1"] + offset) for c in chars]
    assert row_text(dedupe_row(doubled)) == text


def test_dedupe_keeps_real_repeats():
    chars = _layout("2233.44")
    assert row_text(dedupe_row(chars)) == "2233.44"
    assert row_text(dedupe_row([*chars, *[replace_char(c) for c in chars]])) == "2233.44"


def replace_char(char: dict) -> dict:
    return dict(char, x0=char["x0"] + 0.3, top=char["top"] + 0.3)



def _draft(page: int, texts: list[str]) -> TableDraft:
    cells = {(0, col): Cell(0, col, text, page=page) for col, text in enumerate(texts)}
    bbox = (80.0, 100.0, 500.0, 700.0)
    return TableDraft([page], bbox, bbox, [80.0, 200.0, 350.0], 1, cells)


def test_continued_marker_between_table_parts_is_dropped():
    lines, _, drafts, _ = _walk([_draft(1, ["序号", "项目", "金额"]), _line(2, 80, "续表"),
                                 _draft(2, ["1", "办公费", "2.30"])])
    assert lines == [] and len(drafts) == 1
    assert drafts[0].pages == [1, 2] and drafts[0].row_texts(1) == ["1", "办公费", "2.30"]


def test_left_margin_is_not_the_indent_of_many_short_paragraphs():
    lines = []
    for n in range(6):  # one-and-a-bit-line paragraphs: indented starts outnumber margin starts
        lines.append(Line(1, 111.5, 100.0 + 40 * n, 495.5, 116.0 + 40 * n, 16.0, False, "首行"))
        if n % 3 == 0:
            lines.append(Line(1, 79.5, 120.0 + 40 * n, 300.0, 136.0 + 40 * n, 16.0, False, "续行"))
    layout = measure_layout(lines)
    assert layout.left == 79.5 and layout.right == 495.5
