"""Shared fixtures: real DOCX and XLSX files built in code under tmp_path.

Fixtures: make_docx / make_xlsx (write under tmp_path, return the Path) and the
session-scoped docx_builder / xlsx_builder (the bare build_docx / build_xlsx functions,
for hypothesis tests or session fixtures).

make_docx(parts, name="report.docx", title=None) -> Path, where each part is
  "text"                                    a body paragraph
  {"text": "...", "bold": True, "style": "Heading 2"}   a paragraph with options
  {"heading": "一、单位基本情况", "level": 1} a paragraph in Word's Heading N style
  {"table": [["a", "b"], ["c", "d"]],       a table (text per grid position)
   "merge": [(r0, c0, r1, c1)],             rectangles merged by python-docx (gridSpan/vMerge)
   "grid_before": {row: n},                 drop the first n cells of a row, write w:gridBefore
   "grid_after": {row: n},                  drop the last n cells of a row, write w:gridAfter
   "nested": {(r, c): {"table": [...]}}}    a table inside cell (r, c)
  {"page_break": True}
Fonts are set to Noto CJK so LibreOffice exports (helper B) keep bold and glyphs.

make_xlsx(sheets, name="annex.xlsx", title=None) -> Path, sheets = {name: spec}:
  {"rows": [[value, ...], ...],             written from A1 (None leaves a cell empty)
   "merge": ["A1:C1"], "formats": {"B2": "0.00"}}   values starting with "=" are formulas
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# bench/ holds the hand-key scorer (reference.py) that tests and bench/accuracy.py share
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

CJK_FONT = "Noto Serif CJK SC"


def _set_fonts(document: Any) -> None:
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = document.styles[name]
        style.font.name = CJK_FONT
        r_pr = style.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.append(fonts)
        fonts.set(qn("w:eastAsia"), CJK_FONT)


def _add_grid_skip(table: Any, row: int, count: int, tag: str = "w:gridBefore") -> None:
    """Remove the row's first (gridBefore) or last (gridAfter) `count` cells and declare them."""
    tr = table.rows[row]._tr
    cells = tr.tc_lst[:count] if tag == "w:gridBefore" else tr.tc_lst[-count:]
    for tc in cells:
        tr.remove(tc)
    tr_pr = tr.get_or_add_trPr()
    skip = OxmlElement(tag)
    skip.set(qn("w:val"), str(count))
    tr_pr.insert(0, skip)


def fill_table(table: Any, spec: dict[str, Any]) -> None:
    rows = spec["table"]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = str(text)
    for r0, c0, r1, c1 in spec.get("merge", []):
        origin = table.cell(r0, c0)
        text = origin.text
        merged = origin.merge(table.cell(r1, c1))
        merged.text = text
    for (r, c), inner in spec.get("nested", {}).items():
        cell = table.cell(r, c)
        nested = cell.add_table(rows=len(inner["table"]), cols=len(inner["table"][0]))
        fill_table(nested, inner)
    for row, count in spec.get("grid_before", {}).items():
        _add_grid_skip(table, row, count, "w:gridBefore")
    for row, count in spec.get("grid_after", {}).items():
        _add_grid_skip(table, row, count, "w:gridAfter")


def _add_part(document: Any, part: Any) -> None:
    if isinstance(part, str):
        document.add_paragraph(part)
    elif "heading" in part:
        document.add_heading(part["heading"], level=part.get("level", 1))
    elif "table" in part:
        rows = part["table"]
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = "Table Grid"
        fill_table(table, part)
    elif part.get("page_break"):
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:
        paragraph = document.add_paragraph(style=part.get("style"))
        run = paragraph.add_run(part["text"])
        run.bold = part.get("bold") or None


def build_docx(path: Path, parts: list[Any], title: str | None = None) -> Path:
    document = docx.Document()
    _set_fonts(document)
    for part in parts:
        _add_part(document, part)
    if title:
        document.core_properties.title = title
    document.save(str(path))
    return path


def build_xlsx(path: Path, sheets: dict[str, dict[str, Any]], title: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, spec in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(spec.get("rows", []), start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for coord, number_format in spec.get("formats", {}).items():
            sheet[coord].number_format = number_format
        for rng in spec.get("merge", []):
            sheet.merge_cells(rng)
    if title:
        workbook.properties.title = title
    workbook.save(str(path))
    return path


@pytest.fixture(scope="session")
def docx_builder():
    """build_docx(path, parts, title=None) for session-scoped or hypothesis tests."""
    return build_docx


@pytest.fixture(scope="session")
def xlsx_builder():
    """build_xlsx(path, sheets, title=None) for session-scoped or hypothesis tests."""
    return build_xlsx


@pytest.fixture
def make_docx(tmp_path: Path):
    def make(parts: list[Any], name: str = "report.docx", title: str | None = None) -> Path:
        return build_docx(tmp_path / name, parts, title)

    return make


@pytest.fixture(scope="session")
def narrative():
    """One NarrativeExtractor (spaCy pipeline and patterns) for the whole session."""
    from extractor.narrative.facts import NarrativeExtractor

    return NarrativeExtractor()


@pytest.fixture
def read_parts(make_docx, narrative):
    """read_parts(*parts): the Extraction of a real DOCX built from those paragraphs/tables."""
    from extractor.extract import extract_documents
    from extractor.readers import read_document

    def run(*parts: Any):
        path = make_docx(list(parts))
        return extract_documents([read_document(path, path.parent)], narrative)

    return run


@pytest.fixture
def make_xlsx(tmp_path: Path):
    def make(sheets: dict[str, dict[str, Any]], name: str = "annex.xlsx", title: str | None = None) -> Path:
        return build_xlsx(tmp_path / name, sheets, title)

    return make
