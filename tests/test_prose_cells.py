"""Prose cells of a known annex table (附件2 自评表: 实际完成情况, 偏差原因分析及改进措施) are read
like paragraphs: each figure once, at its table/row/col and its offsets in the cell, with a
subject; the annotated DOCX and PDF mark it in that cell, not at the same figure of an
indicator row.

The report is built in code (tests/fixtures/prose_cells/build.py: python-docx); its PDF is
that DOCX exported by LibreOffice, committed beside the builder (the test checks that its
cells are the DOCX's).
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from extractor.annotate.docx_marks import mark_docx
from extractor.annotate.marks import Mark
from extractor.annotate.pdf_marks import mark_pdf
from extractor.annotate.readback import docx_comments, pdf_highlights
from extractor.extract import extract_documents
from extractor.model import Finding, Level, Reach, Role, Severity
from extractor.readers import read_document
from extractor.report.findings import excerpt_of

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "prose_cells"
sys.path.insert(0, str(FIXTURES))
import build  # the fixture's builder: PARTS, ACTUAL, REASON

SAMPLE_PDF = (Path(__file__).resolve().parent.parent / "samples" / "batch" / "清溪县财政局"
              / "清溪县财政局2024年度部门整体支出绩效自评报告.pdf")
ACTUAL_CELL = (0, 4, 4)  # table, row, col of 实际完成情况
REASON_CELL = (0, 8, 7)  # 资金支付及时率's 偏差原因分析及改进措施
# the figures of the 实际完成情况 cell as a reader reads them: raw, value in the base unit, subject
ACTUAL_FIGURES = [
    ("6次", Decimal(6), "开展业务培训"),
    ("320人次", Decimal(320), "培训干部职工"),
    ("1182件", Decimal(1182), "办理业务事项"),
    ("98.5%", Decimal("98.5"), "按时办结率"),
    ("97.71%", Decimal("97.71"), "资金支付及时率"),
    ("2.3个百分点", Decimal("2.3"), "资金支付及时率"),
]


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory) -> Path:
    return build.build(tmp_path_factory.mktemp("prose_cells"))


@pytest.fixture(scope="module")
def report_pdf() -> Path:
    return FIXTURES / f"{build.NAME}.pdf"


def extracted(path: Path):
    doc = read_document(path, path.parent)
    return doc, extract_documents([doc])


def place(fact) -> tuple[int, int, int]:
    loc = fact.locator
    return loc.table, loc.row, loc.col


def figures_in(extraction, cell: tuple[int, int, int]):
    return [f for f in extraction.facts if place(f) == cell and f.text_value is None]


@pytest.mark.parametrize("which", ["docx", "pdf"])
def test_each_figure_of_a_completion_cell_is_read_once_at_its_offset(which, report_docx, report_pdf) -> None:
    doc, extraction = extracted(report_docx if which == "docx" else report_pdf)
    cell_text = next(c.text for c in doc.tables[0].cells if (c.row, c.col) == ACTUAL_CELL[1:])
    figures = figures_in(extraction, ACTUAL_CELL)
    assert sorted(f.raw for f in figures) == sorted(raw for raw, _, _ in ACTUAL_FIGURES)
    for raw, value, subject in ACTUAL_FIGURES:
        [fact] = [f for f in figures if f.raw == raw]
        start = cell_text.index(raw)
        assert (fact.locator.char_start, fact.locator.char_end) == (start, start + len(raw))
        assert fact.value == value and fact.subject == subject, fact
        assert fact.sentence and raw in fact.sentence and fact.sentence in cell_text
    # the annex reader's text fact keeps its role; its figures are not read a second time
    assert [f.label for f in extraction.facts if place(f) == ACTUAL_CELL and f.text_value] == ["goal.achieved"]
    assert not [u for u in extraction.unaccounted if (u.locator.table, u.locator.row, u.locator.col) == ACTUAL_CELL]


def test_a_figure_the_annex_reader_took_is_not_read_again(report_docx) -> None:
    """Indicator rows (实际完成值 6次, 1182件, 97.71%) hold the same figures as the prose cell:
    each place gives one fact, and no cell has two facts over the same characters."""
    _, extraction = extracted(report_docx)
    spans: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    for fact in extraction.facts:
        if fact.locator.table is None or fact.text_value is not None:
            continue
        start, end = fact.locator.char_start, fact.locator.char_end
        assert not any(start < b and a < end for a, b in spans.get(place(fact), [])), fact
        spans.setdefault(place(fact), []).append((start, end))
    for row, raw in ((6, "6次"), (7, "1182件"), (8, "97.71%")):
        [fact] = figures_in(extraction, (0, row, 4))
        assert fact.raw == raw and fact.label == "indicator.actual"


def test_the_figures_of_a_goal_cell_are_targets(report_docx) -> None:
    """预期目标 writes what was planned (不少于4次): its figures are targets, as 年度指标值's are,
    so no check takes them for what was done; 实际完成情况's stay values."""
    _, extraction = extracted(report_docx)
    goal = {f.raw: f.role for f in figures_in(extraction, (0, 4, 1))}
    assert goal == {"4次": Role.TARGET, "1100件": Role.TARGET, "94%": Role.TARGET}
    assert {f.role for f in figures_in(extraction, ACTUAL_CELL) if f.raw != "2.3个百分点"} == {Role.VALUE}


def test_a_deviation_reason_cell_is_read_like_a_paragraph(report_docx) -> None:
    _, extraction = extracted(report_docx)
    found = {f.raw: f for f in figures_in(extraction, REASON_CELL)}
    assert set(found) == {"2笔", "12.5万元"}
    amount = found["12.5万元"]
    assert amount.value == Decimal(125000) and amount.decimals == -3 and amount.subject == "涉及金额"
    start = build.REASON.index("12.5万元")
    assert (amount.locator.char_start, amount.locator.char_end) == (start, start + len("12.5万元"))


def test_the_committed_pdf_is_the_docx_exported(report_docx, report_pdf) -> None:
    cells = [[(c.row, c.col, re.sub(r"\s+", "", c.text)) for c in read_document(p, p.parent).tables[0].cells]
             for p in (report_docx, report_pdf)]
    assert cells[0] == cells[1]


def finding(i: int) -> Finding:
    return Finding(id=f"id{i}", unit="清溪县测试局", year=2024, rule_id="r", family="sum", severity=Severity.ERROR,
                   reach=Reach.TEXT_TABLE, level=Level.MANDATORY, message=f"问题{i}")


def marks_for(extraction, cells: set[tuple[int, int, int]]) -> list[Mark]:
    """One mark per figure of these cells, with the excerpt a finding would carry."""
    facts = [f for f in extraction.facts if place(f) in cells and f.text_value is None]
    return [Mark(finding(i), f.locator, f.raw, excerpt_of(f)) for i, f in enumerate(facts)]


CELLS = {ACTUAL_CELL, REASON_CELL, (0, 6, 4), (0, 7, 4), (0, 8, 4)}


def text_before_comment(tc, comment_id: str) -> str | None:
    """The cell's text before the comment's range starts, or None when it starts elsewhere."""
    seen = []
    for element in tc.iter():
        if element.tag == qn("w:commentRangeStart") and element.get(qn("w:id")) == comment_id:
            return "".join(seen)
        if element.tag == qn("w:t"):
            seen.append(element.text or "")
    return None


def test_the_annotated_docx_marks_each_figure_in_its_cell(report_docx, tmp_path) -> None:
    _, extraction = extracted(report_docx)
    marks = marks_for(extraction, CELLS)
    target = tmp_path / report_docx.name
    placed = mark_docx(report_docx, target, marks)
    assert len(marks) == 6 + 2 + 3 and all(p.exact for p in placed)
    comments, problems = docx_comments(target)
    assert problems == []
    table = docx.Document(str(target)).tables[0]
    by_tag = {c.text.rsplit("编号 ", 1)[-1]: c for c in comments}
    for mark in marks:
        comment, loc = by_tag[mark.finding.id], mark.locator
        assert comment.anchor == mark.figure
        before = text_before_comment(table.cell(loc.row, loc.col)._tc, comment.id)
        assert before is not None and len(before) == loc.char_start, (mark.figure, before)


def cell_box_text(page, middle: tuple[float, float]) -> str:
    """The text of the ruled cell (pdfplumber's own table finder) the point lies in."""
    box = next(b for t in page.find_tables() for b in t.cells
               if b and b[0] <= middle[0] <= b[2] and b[1] <= middle[1] <= b[3])
    return re.sub(r"\s+", "", page.within_bbox(box).extract_text())


def assert_pdf_marks_in_their_cells(path: Path, doc, marks: list[Mark], target: Path) -> None:
    placed = mark_pdf(path, target, marks)
    assert all(p.exact for p in placed), [p.mark.figure for p in placed if not p.exact]
    highlights = {h.note.rsplit("编号 ", 1)[-1]: h for h in pdf_highlights(target)}
    cells = {(t.index, c.row, c.col): c.text for t in doc.tables for c in t.cells}
    with pdfplumber.open(target) as pdf:
        for mark in marks:
            highlight, loc = highlights[mark.finding.id], mark.locator
            assert highlight.inside == re.sub(r"\s+", "", mark.figure) and highlight.page == loc.page
            x0, top, x1, bottom = highlight.quads[0]
            text = cell_box_text(pdf.pages[loc.page - 1], ((x0 + x1) / 2, (top + bottom) / 2))
            assert text == re.sub(r"\s+", "", cells[place(mark)]), (mark.figure, text)


def test_the_annotated_pdf_marks_each_figure_in_its_cell(report_pdf, tmp_path) -> None:
    doc, extraction = extracted(report_pdf)
    marks = marks_for(extraction, CELLS)
    assert len(marks) == 6 + 2 + 3
    assert_pdf_marks_in_their_cells(report_pdf, doc, marks, tmp_path / report_pdf.name)


def test_the_same_sentence_in_the_goal_and_the_completion_cell_is_told_apart(tmp_path) -> None:
    """清溪县财政局's 预期目标 and 实际完成情况 both write "3.资金使用合规率100%；", and every
    figure of those cells is also an indicator row's: each mark lands in its own cell."""
    doc, extraction = extracted(SAMPLE_PDF)
    goal_cells = {place(f) for f in extraction.facts if f.label in ("goal.expected", "goal.achieved")}
    marks = marks_for(extraction, goal_cells)
    assert len(marks) == 8
    assert_pdf_marks_in_their_cells(SAMPLE_PDF, doc, marks, tmp_path / SAMPLE_PDF.name)
