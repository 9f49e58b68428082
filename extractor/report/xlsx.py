"""discrepancies.xlsx: sheet 问题清单 (one row per finding) and sheet 汇总 (one row per unit,
ranked), ready to filter and print. Byte-identical for the same input."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Level, SubmissionSummary
from .render import text_width
from .rows import (
    FINDING_COLUMNS,
    FINDING_WIDTHS,
    LEVEL_ZH,
    SUMMARY_COLUMNS,
    SUMMARY_WIDTHS,
    all_findings,
    finding_row,
    summary_row,
    unit_summaries,
)

FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MANDATORY_FILL = PatternFill("solid", fgColor="FCE4D6")
LINE_HEIGHT = 15  # points per wrapped line at the default 11 pt font
MAX_LINES = 12


def xlsx_bytes(results: Sequence[SubmissionSummary]) -> bytes:
    wb = Workbook()
    findings_sheet = wb.active
    findings_sheet.title = "问题清单"
    rows = [finding_row(f) for f in all_findings(results)]
    _fill(findings_sheet, FINDING_COLUMNS, rows, FINDING_WIDTHS)
    for number, row in enumerate(rows, start=2):
        if row[5] == LEVEL_ZH[Level.MANDATORY]:
            findings_sheet.cell(row=number, column=6).fill = MANDATORY_FILL
    summary_sheet = wb.create_sheet("汇总")
    summary = [summary_row(s, rank) for rank, s in enumerate(unit_summaries(results), start=1)]
    _fill(summary_sheet, SUMMARY_COLUMNS, summary, SUMMARY_WIDTHS)
    wb.properties.creator = "extractor"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return _normalized_zip(buffer.getvalue())


def _fill(ws: Worksheet, columns: list[str], rows: Sequence[Sequence[object]], widths: list[int]) -> None:
    ws.append(columns)
    for row in rows:
        ws.append(row)
    wrap = Alignment(wrap_text=True, vertical="top")
    styled = None
    for row in ws.iter_rows():
        for cell in row:
            if styled is None:
                cell.alignment = wrap
                styled = copy(cell._style)
            else:  # the same style ids, without openpyxl hashing the Alignment again per cell
                cell._style = copy(styled)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # quoted text, never a formula
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for number, row in enumerate(rows, start=2):
        ws.row_dimensions[number].height = LINE_HEIGHT * _lines_needed(row, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3  # the list is wide: A3 keeps it readable when fitted to width
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _lines_needed(row: Sequence[object], widths: list[int]) -> int:
    """Wrapped lines of the tallest cell: Excel and LibreOffice do not grow rows written by openpyxl."""
    tallest = 1
    for value, width in zip(row, widths):
        parts = str(value if value is not None else "").split("\n")
        lines = sum(max(1, -(-text_width(part) // max(width - 1, 1))) for part in parts)
        tallest = max(tallest, lines)
    return min(tallest, MAX_LINES)


def _normalized_zip(data: bytes) -> bytes:
    """openpyxl stamps the save time into core.xml and the zip entries: pin both."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()
