"""--annotate, PDF and XLSX: highlights over the figures' characters, comments on the cited cells.

Read back with pdfplumber and openpyxl, independently of how the marks were placed: a
highlight's quads hold exactly the figure's characters, inside the reader's paragraph box
or the table cell (found by pdfplumber's own table finder) whose text is the cited cell's;
an XLSX comment sits on the cell the locator names, whose value shows the figure.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from extractor.annotate.marks import AUTHOR, Mark
from extractor.annotate.pdf_marks import mark_pdf
from extractor.annotate.readback import pdf_highlights, xlsx_comments
from extractor.annotate.xlsx_marks import mark_xlsx
from extractor.extract import extract_documents
from extractor.model import Finding, Level, Reach, Severity
from extractor.readers import read_document
from extractor.readers.xlsx import cell_text
from extractor.report.findings import excerpt_of

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PDF = SAMPLES / "batch" / "清溪县财政局" / "清溪县财政局2024年度部门整体支出绩效自评报告.pdf"
XLSX = SAMPLES / "yiyang_hpf_2024" / "yiyang_hpf_2024_附件.xlsx"


def finding(i: int) -> Finding:
    return Finding(id=f"id{i}", unit="甲局", year=2024, rule_id="r", family="sum", severity=Severity.ERROR,
                   reach=Reach.TEXT_TABLE, level=Level.MANDATORY, message=f"问题{i}")


def marks_for_every_fact(path: Path):
    doc = read_document(path, path.parent)
    facts = [f for f in extract_documents([doc]).facts if f.raw.strip()]
    return doc, [Mark(finding(i), f.locator, f.raw, excerpt_of(f)) for i, f in enumerate(facts)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def marked_pdf(tmp_path_factory):
    doc, marks = marks_for_every_fact(PDF)
    target = tmp_path_factory.mktemp("pdf") / PDF.name
    before = hashlib.sha256(PDF.read_bytes()).hexdigest()
    placed = mark_pdf(PDF, target, marks)
    assert hashlib.sha256(PDF.read_bytes()).hexdigest() == before
    return doc, placed, target


def test_pdf_highlights_hold_exactly_the_figures(marked_pdf) -> None:
    _, placed, target = marked_pdf
    highlights = {h.note.rsplit("编号 ", 1)[-1]: h for h in pdf_highlights(target)}
    exact = [p for p in placed if p.exact]
    assert len(highlights) == len(exact)
    for p in exact:
        assert highlights[p.mark.finding.id].inside == squeeze(p.mark.figure), p.mark
    # measured: every figure but those whose cell and row label repeat on the page
    assert len(exact) >= 0.9 * len(placed), (len(exact), len(placed))


def test_pdf_highlights_sit_at_the_cited_place(marked_pdf) -> None:
    doc, placed, target = marked_pdf
    highlights = {h.note.rsplit("编号 ", 1)[-1]: h for h in pdf_highlights(target)}
    with pdfplumber.open(target) as pdf:
        tables = {n: [t for t in pdf.pages[n - 1].find_tables()] for n in range(1, len(pdf.pages) + 1)}
        for p in (p for p in placed if p.exact):
            loc, highlight = p.mark.locator, highlights[p.mark.finding.id]
            x0, top, x1, bottom = highlight.quads[0]
            middle = ((x0 + x1) / 2, (top + bottom) / 2)
            if loc.table is None:
                block = doc.blocks[loc.block]
                assert highlight.page in (block.page, block.page + 1)
                if highlight.page == block.page:
                    bx0, btop, bx1, bbottom = block.bbox
                    assert bx0 - 2 <= middle[0] <= bx1 + 2 and btop - 2 <= middle[1] <= bbottom + 2
                continue
            assert highlight.page == loc.page
            cell = next(c for c in doc.tables[loc.table].cells if (c.row, c.col) == (loc.row, loc.col))
            box = next(b for t in tables[loc.page] for b in t.cells
                       if b and b[0] <= middle[0] <= b[2] and b[1] <= middle[1] <= b[3])
            page = pdf.pages[loc.page - 1]
            assert squeeze(page.within_bbox(box).extract_text()) == squeeze(cell.text)


def test_pdf_notes_carry_the_message(marked_pdf) -> None:
    target = marked_pdf[2]
    notes = [h.note for h in pdf_highlights(target)]
    assert all(n.startswith("【强制】问题") for n in notes)


@pytest.fixture(scope="module")
def marked_xlsx(tmp_path_factory):
    doc, marks = marks_for_every_fact(XLSX)
    target = tmp_path_factory.mktemp("xlsx") / XLSX.name
    placed = mark_xlsx(XLSX, target, marks)
    return doc, placed, target


def origin(sheet) -> tuple[int, int]:
    filled = [(c.row, c.column) for row in sheet.iter_rows() for c in row
              if c.value is not None and str(c.value).strip()]
    return min(r for r, _ in filled), min(c for _, c in filled)


def test_xlsx_comments_sit_on_the_cited_cells(marked_xlsx) -> None:
    _, placed, target = marked_xlsx
    assert all(p.exact for p in placed)
    comments = {(c.sheet, c.coordinate): c for c in xlsx_comments(target)}
    workbook = openpyxl.load_workbook(target, data_only=True)
    for p in placed:
        loc = p.mark.locator
        sheet = workbook[loc.sheet]
        top, left = origin(sheet)
        cell = sheet.cell(top + loc.row, left + loc.col)
        comment = comments[(loc.sheet, cell.coordinate)]
        assert f"编号 {p.mark.finding.id}" in comment.text and comment.author == AUTHOR
        assert comment.fill == "FFFFFF00"
        assert cell_text(cell.value, cell.number_format)[loc.char_start:loc.char_end] == p.mark.figure
    assert len(comments) == len({(p.mark.locator.sheet, p.mark.locator.row, p.mark.locator.col) for p in placed})


def test_xlsx_copy_keeps_every_value_and_merge(marked_xlsx) -> None:
    _, _, target = marked_xlsx
    old, new = openpyxl.load_workbook(XLSX), openpyxl.load_workbook(target)
    assert old.sheetnames == new.sheetnames
    for a, b in zip(old.worksheets, new.worksheets):
        assert [[c.value for c in row] for row in a.iter_rows()] == [[c.value for c in row] for row in b.iter_rows()]
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        assert [[c.number_format for c in row] for row in a.iter_rows()] == \
            [[c.number_format for c in row] for row in b.iter_rows()]


def test_xlsx_offset_range_formula_and_existing_comment(make_xlsx, tmp_path: Path) -> None:
    """Data from B3 (the reader counts from there), a formula cell, a comment the unit wrote."""
    path = make_xlsx({"表": {"rows": [[None], [None], [None, "项目", "金额"], [None, "合计", 30.5],
                                      [None, "其中", "=C4-10"]], "formats": {"C4": "0.00"}}})
    workbook = openpyxl.load_workbook(path)
    workbook["表"]["B3"].comment = openpyxl.comments.Comment("单位自己的批注", "填报人")
    workbook.save(path)
    doc = read_document(path, path.parent)
    cell = next(c for c in doc.tables[0].cells if c.text == "30.50")
    loc = doc.tables[0].cells[0]
    from extractor.model import Locator

    marks = [Mark(finding(0), Locator(doc.source, table=0, row=cell.row, col=cell.col, char_start=0, char_end=5,
                                      sheet="表"), "30.50"),
             Mark(finding(1), Locator(doc.source, table=0, row=loc.row, col=loc.col, char_start=0, char_end=2,
                                      sheet="表"), "项目")]
    placed = mark_xlsx(path, tmp_path / "out.xlsx", marks)
    assert [p.exact for p in placed] == [True, True]
    comments = {c.coordinate: c for c in xlsx_comments(tmp_path / "out.xlsx")}
    assert set(comments) == {"C4", "B3"}
    assert comments["B3"].text.startswith("单位自己的批注") and "编号 id1" in comments["B3"].text
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["表"]["C5"].value == "=C4-10"
