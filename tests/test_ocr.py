"""Scanned PDFs read by OCR (readers.ocr): figures exact or flagged, seals, wrapped cells.

The scans are built in code (bench/ocr_scans.py): pages of a committed sample PDF rendered
at 150 dpi, a red seal stamped over a narrative figure and over a table cell, blurred,
noised, turned 0.6° and JPEG-compressed, put into a PDF without a text layer. The text PDF's
own figures are the answer key. Two small drawn pages: a figure wrapped in a narrow ruled
cell, and a page blank but for a seal.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import ocr_scans
import openpyxl
import pytest

from extractor.errors import InputError
from extractor.extract import extract_documents, extract_files
from extractor.model import CheckResult, Interval, Level, OcrMark, Severity, Status, SubmissionResult
from extractor.readers import read_document
from extractor.readers.ocr_marks import UNCERTAIN_BELOW, ocr_mark
from extractor.report import write_reports
from extractor.report.findings import results_to_findings
from extractor.serialize import dumps

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples/batch/清溪县司法局/清溪县司法局2024年度部门整体支出绩效自评报告.pdf"
PAGES = (2, 4)  # narrative figures; the annex basic-data table
SEALED = {2: ["51.29%"], 4: ["1071.35"]}
WRAPPED = "1234.56"


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    out = tmp_path_factory.mktemp("ocr") / "scan.pdf"
    ocr_scans.scanned_copy(SOURCE, PAGES, out, seed=1, seals=SEALED)
    doc = read_document(out)
    key = [f for f in extract_files([SOURCE]).facts if f.locator.page in PAGES]
    return doc, extract_documents([doc]), key


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """Page 1: a ruled table whose first column is too narrow for 1234.56; page 2: a seal only."""
    rows = [[WRAPPED, "45.67"], ["2348.75", "8.90"]]
    table = ocr_scans.ruled_table_page(rows, widths=[80, 320])
    path = ocr_scans.image_pdf([table, ocr_scans.seal_only_page()], tmp_path_factory.mktemp("ocr") / "drawn.pdf", 150)
    return read_document(path)


def test_every_figure_of_a_sealed_degraded_scan_is_exact_or_flagged(scan):
    doc, extraction, key = scan
    score, wrongs = ocr_scans.score(key, extraction.facts)
    assert doc.ocr_pages == (1, 2) and doc.pages == 2
    assert wrongs == [] and score.unmarked == 0
    assert score.exact >= 0.95 * len([f for f in key if f.value is not None])


def test_the_table_is_rebuilt_from_its_ruling_lines_with_spans(scan):
    doc, _, _ = scan
    table = max(doc.tables, key=lambda t: t.n_rows)
    assert table.n_cols == 7 and table.n_rows >= 20 and table.annex
    assert any(cell.row_span > 1 for cell in table.cells) and any(cell.col_span > 1 for cell in table.cells)
    assert table.unit_hint == "万元"


def test_the_figure_under_the_seal_is_read_or_flagged(scan):
    doc, extraction, key = scan
    place = next((f.locator.row, f.locator.col) for f in key if f.raw == "1071.35")  # the same grid
    sealed_cell = [f for f in extraction.facts if f.locator.table is not None
                   and (f.locator.row, f.locator.col) == place]
    block = next(b.index for b in doc.blocks if "宣传工作经费" in b.text)
    shares = sorted((f for f in extraction.facts if f.locator.block == block and f.kind.value == "percent"),
                    key=lambda f: f.locator.char_start)
    for facts, value in ((sealed_cell, Decimal(10713500)), (shares[:1], Decimal("51.29"))):
        assert facts, "the sealed figure was not read at all"
        assert all(f.value == value or f.ocr.uncertain for f in facts)


def test_every_ocr_figure_carries_confidence_and_a_crop_in_json(scan):
    doc, extraction, _ = scan
    facts = json.loads(dumps(extraction, "extractor.facts", "1.0"))["facts"]
    marks = [f["ocr"] for f in facts]
    assert all(set(m) >= {"confidence", "uncertain"} for m in marks)
    assert all(m["uncertain"] == (m["confidence"] < UNCERTAIN_BELOW) for m in marks)
    assert all(f["ocr"]["crop"].startswith("data:image/png;base64,") for f in facts if f["value"] is not None)
    assert json.loads(dumps(doc, "extractor.document", "1.0"))["ocr_pages"] == [1, 2]


def test_a_figure_wrapped_in_a_narrow_cell_is_one_figure(drawn):
    assert len(ocr_scans._wrap(WRAPPED, 80 - 12, ocr_scans.ImageFont.load_default(size=20))) == 2
    table = drawn.tables[0]
    assert (table.n_rows, table.n_cols) == (2, 2)
    cell = next(c for c in table.cells if (c.row, c.col) == (0, 0))
    scores = next(t for t in drawn.ocr_text if (t.table, t.row, t.col) == (0, 0, 0))
    assert cell.text == WRAPPED or ocr_mark(scores, 0, len(cell.text)).uncertain


def test_a_page_blank_but_for_a_seal_gives_no_text(drawn):
    assert drawn.ocr_pages == (1, 2)
    assert not [b for b in drawn.blocks if b.page == 2]
    assert all(t.pages == (1,) for t in drawn.tables)
    assert not [f for f in extract_documents([drawn]).facts if f.locator.page == 2]


def _failed(facts, level=Level.MANDATORY):
    return CheckResult("R1", "sum", Status.FAIL, Severity.ERROR, "合计不符", tuple(f.id for f in facts),
                       Interval(Decimal(1), Decimal(1)), Interval(Decimal(2), Decimal(2)), Decimal(-1), level=level)


def test_a_finding_on_an_uncertain_figure_is_a_hint_naming_the_page(scan):
    _, extraction, _ = scan
    first, second = [f for f in extraction.facts if f.value is not None][:2]
    doubtful = dataclasses.replace(first, ocr=OcrMark(0.5, True, 1, first.ocr.crop))
    certain = dataclasses.replace(second, ocr=OcrMark(0.999, False, 1, second.ocr.crop))
    marked = dataclasses.replace(extraction, facts=(doubtful, certain))
    (finding,) = results_to_findings(marked, [_failed([doubtful, certain])], {})
    assert finding.level is Level.ADVISORY and finding.severity is Severity.WARNING
    assert finding.message.startswith(f"OCR 识别存疑，请核对原件第1页（识别为 {doubtful.raw}）")
    assert finding.ocr_crops and finding.message.endswith("合计不符")


def test_a_finding_on_certain_ocr_figures_stays_and_says_it_was_scanned(scan):
    _, extraction, _ = scan
    facts = [f for f in extraction.facts if f.ocr and not f.ocr.uncertain and not f.ocr.label_uncertain][:2]
    (finding,) = results_to_findings(extraction, [_failed(facts)], {})
    assert finding.level is Level.MANDATORY and finding.severity is Severity.ERROR
    assert finding.message.startswith("合计不符（数字取自扫描件 OCR 识别，第")


def test_a_form_finding_on_a_scanned_table_is_a_hint_not_mandatory(scan):
    """A header read as 级指标 (for 一级指标) makes the form rules see no 三级指标 rows: the
    finding rests on the scan's reading of the table, so it is a 提示 asking for the original."""
    _, extraction, _ = scan
    source = next(f.locator.source for f in extraction.facts if f.ocr)
    form = CheckResult("form.level3_minimum", "form", Status.FAIL, Severity.ERROR, "产出指标下没有填写任何三级指标",
                       level=Level.MANDATORY)
    (finding,) = results_to_findings(extraction, [form], {})
    assert finding.level is Level.ADVISORY and finding.severity is Severity.WARNING
    assert finding.message == "表格取自扫描件 OCR 识别，表头或行名可能误读，请核对原件：产出指标下没有填写任何三级指标"
    other = dataclasses.replace(extraction, facts=tuple(f for f in extraction.facts if f.ocr is None))
    (plain,) = results_to_findings(other, [form], {})  # no scanned figure in the submission: as it was
    assert plain.level is Level.MANDATORY and source


def test_without_ocr_a_scan_stays_e106_and_says_how_to_enable_it(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_OCR", "off")
    with pytest.raises(InputError) as caught:
        read_document(ROOT / "tests/fixtures/pdf/scanned.pdf")
    assert caught.value.code == "E106" and "pip install -e '.[ocr]'" in str(caught.value)


def test_documents_read_without_ocr_have_no_ocr_keys():
    for path in (ROOT / "tests/fixtures/pdf/report.pdf", ROOT / "tests/fixtures/pdf/report.docx"):
        doc = read_document(path)
        assert '"ocr' not in dumps(doc, "extractor.document", "1.0")
        assert '"ocr' not in dumps(extract_documents([doc]), "extractor.facts", "1.0")


def test_every_report_shows_the_mark_and_the_html_the_scanned_figure(scan, tmp_path):
    _, extraction, _ = scan
    first, second = [f for f in extraction.facts if f.value is not None][:2]
    doubtful = dataclasses.replace(first, ocr=OcrMark(0.5, True, 1, first.ocr.crop))
    marked = dataclasses.replace(extraction, facts=(doubtful, second))
    findings = tuple(results_to_findings(marked, [_failed([doubtful, second])], {}))
    write_reports([SubmissionResult("单位", 2024, ("scan.pdf",), marked, findings=findings)], tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f'<img class="scan" alt="扫描原件" src="{first.ocr.crop}">' in html
    sheet = openpyxl.load_workbook(tmp_path / "discrepancies.xlsx").worksheets[0]
    texts = {
        "csv": (tmp_path / "discrepancies.csv").read_text(encoding="utf-8-sig"),
        "json": (tmp_path / "discrepancies.json").read_text(encoding="utf-8"),
        "html": html,
        "xlsx": " ".join(str(c.value) for row in sheet.iter_rows() for c in row),
    }
    assert [name for name, text in texts.items() if "OCR 识别存疑，请核对原件第1页" not in text] == []


def test_an_image_page_in_a_pdf_with_a_text_layer_is_read_after_the_text():
    doc = read_document(ROOT / "tests/fixtures/pdf/partly_scanned.pdf")
    assert doc.ocr_pages == (2,) and not [i for i in doc.issues if i.code == "W106"]
    assert [b.page for b in doc.blocks] == [1, 1, 2] and "2348.75万元" in doc.blocks[-1].text
    (fact,) = [f for f in extract_documents([doc]).facts if f.locator.page == 2]
    assert fact.value == Decimal(23487500) and fact.ocr is not None


@pytest.fixture(scope="module")
def scan_in_the_middle(tmp_path_factory):
    """A text page, an image-only page, then the text pages of report.pdf (tables among them)."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(str(ROOT / "tests/fixtures/pdf/partly_scanned.pdf")))
    out.import_pages(pdfium.PdfDocument(str(ROOT / "tests/fixtures/pdf/report.pdf")))
    path = tmp_path_factory.mktemp("ocr") / "middle.pdf"
    out.save(str(path))
    return read_document(path), read_document(ROOT / "tests/fixtures/pdf/report.pdf")


def test_an_image_page_between_text_pages_is_read_in_its_place(scan_in_the_middle):
    doc, typed = scan_in_the_middle
    assert doc.ocr_pages == (2,)
    pages = [b.page for b in doc.blocks]
    assert pages == sorted(pages) and 2 in pages and pages[-1] > 2
    assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
    scanned = next(b for b in doc.blocks if b.page == 2)
    assert "2348.75万元" in scanned.text
    (text,) = [t for t in doc.ocr_text if t.block is not None]
    assert doc.blocks[text.block] is scanned and len(text.scores) == len(scanned.text)
    assert len(doc.tables) == len(typed.tables) and [t.index for t in doc.tables] == list(range(len(doc.tables)))
    shift = len(doc.blocks) - len(typed.blocks)  # the typed report's blocks come after the first two pages
    for table, before in zip(doc.tables, typed.tables):
        assert table.after_block == before.after_block + shift
        assert doc.blocks[table.after_block].page <= table.pages[0]
        assert table.section == doc.blocks[table.after_block].section
    (fact,) = [f for f in extract_documents([doc]).facts if f.locator.page == 2]
    assert fact.value == Decimal(23487500) and fact.locator.block == scanned.index


def test_a_row_cut_by_the_page_break_is_stitched_across_a_column_split(tmp_path):
    """Page 1 ends with a row whose figure goes on over the break; page 2 splits the second
    column in two (its rows need it), so the column counts differ."""
    first = ocr_scans.ruled_table_page([["12.50", "45.67"], ["77.10", "1234."]], widths=[120, 320])
    second = ocr_scans.ruled_table_page([["", "56", ""], ["5.50", "6.60", "7.70"]], widths=[120, 160, 160])
    doc = read_document(ocr_scans.image_pdf([first, second], tmp_path / "split.pdf", 150))
    (table,) = doc.tables
    assert (table.n_rows, table.n_cols, table.pages) == (3, 3, (1, 2))
    cut = next(c for c in table.cells if (c.row, c.col) == (1, 1))
    scores = next(t for t in doc.ocr_text if (t.table, t.row, t.col) == (0, 1, 1))
    assert cut.col_span == 2 and cut.page == 1 and len(scores.scores) == len(cut.text)
    assert cut.text == WRAPPED or ocr_mark(scores, 0, len(cut.text)).uncertain
    assert [c.text for c in table.cells if c.row == 2] == ["5.50", "6.60", "7.70"]
