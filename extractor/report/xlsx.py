"""discrepancies.xlsx: sheet 问题清单 (one row per finding, each place a link to its file), sheet
汇总 (one row per unit, ranked) and sheet 图表 (the units as bars, in the triage order), ready to
filter and print on A3 landscape. Byte-identical for the same input."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from copy import copy
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Finding, Level, Locator, SubmissionSummary
from .render import text_width
from .safe_cells import guard_row
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
LINK_FONT = Font(color="0563C1", underline="single", size=10)
FONT_SIZE = 10  # points: at A3 landscape fitted to width it prints at about 7.5 pt
LINE_HEIGHT = 14.5  # points per wrapped line at FONT_SIZE (a CJK font's line is 1.4 em)
FIT = 1.0  # characters per column-width unit (measured at 11 pt; the 10 pt text leaves room for word wraps)
MAX_LINES = 6  # a finding is written to fit in four; a longer cell is cut off in print, never the row
UNITS_PER_PAGE = 40  # the 汇总 prints this many units to a page, shrunk to fit if it must
PLACE_COLUMN = FINDING_COLUMNS.index("位置") + 1
LINK_COLUMN = PLACE_COLUMN + 1  # its own cell: LibreOffice does not wrap a cell that is a link
LINK_HEAD, LINK_TEXT, LINK_WIDTH = "原文件", "打开", 7
Raws = Mapping[Locator, AbstractSet[str]]


def xlsx_bytes(
    results: Sequence[SubmissionSummary], raws: Raws | None = None, links_from: Path | None = None,
    source_root: Path | None = None,
) -> bytes:
    """`raws`: the figures as written at the places cited (excerpts are cut around them);
    `links_from`/`source_root`: the folder the workbook is written to and the one the sources
    are relative to, so each 位置 links to its file by a relative path."""
    wb = Workbook()
    findings_sheet = wb.active
    findings_sheet.title = "问题清单"
    findings = all_findings(results)
    rows = [_with_link(finding_row(f, _marks(f, raws or {})), f) for f in findings]
    _fill(findings_sheet, _with_link(FINDING_COLUMNS, None), rows, _with_link(FINDING_WIDTHS, None))
    for number, (row, finding) in enumerate(zip(rows, findings), start=2):
        if row[5] == LEVEL_ZH[Level.MANDATORY]:  # 级别
            findings_sheet.cell(row=number, column=6).fill = MANDATORY_FILL
        _link(findings_sheet.cell(row=number, column=LINK_COLUMN), finding, links_from, source_root)
    summary_sheet = wb.create_sheet("汇总")
    ranked = unit_summaries(results)
    summary = [summary_row(s, rank) for rank, s in enumerate(ranked, start=1)]
    _fill(summary_sheet, SUMMARY_COLUMNS, summary, SUMMARY_WIDTHS)
    summary_sheet.page_setup.fitToHeight = -(-len(summary) // UNITS_PER_PAGE) or 1
    _chart_sheet(wb.create_sheet("图表"), ranked)
    wb.properties.creator = "extractor"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return _normalized_zip(buffer.getvalue())


def _marks(finding: Finding, raws: Raws) -> list[str]:
    return [raw for loc in finding.locations for raw in sorted(raws.get(loc, ()))]


def _with_link(row: list, finding: Finding | None) -> list:
    """The row with the 原文件 cell after 位置 (the head, the width, or the link's text)."""
    if finding is None:
        extra = LINK_HEAD if isinstance(row[0], str) else LINK_WIDTH
    else:
        extra = LINK_TEXT if finding.locations else ""
    return [*row[:PLACE_COLUMN], extra, *row[PLACE_COLUMN:]]


def _link(cell, finding: Finding, links_from: Path | None, source_root: Path | None) -> None:
    """The 原文件 cell links to the first file 位置 names, relative to the workbook's folder."""
    if not finding.locations:
        return
    source = finding.locations[0].source
    target = source
    if links_from is not None and source_root is not None:
        target = os.path.relpath(Path(source_root) / source, Path(links_from))
    cell.hyperlink = Path(target).as_posix()
    cell.font = LINK_FONT


def _chart_sheet(ws: Worksheet, ranked: Sequence[SubmissionSummary]) -> None:
    """图表: the units in the triage order, a stacked bar of 强制/提示 and a bar of 最大差额 (元)."""
    ws.append(["单位", *LEVEL_ZH.values(), "最大差额（元）"])
    for s in ranked:
        ws.append([_unit_label(s), s.mandatory, s.advisory, s.largest])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    ws.column_dimensions["A"].width = 30
    for letter in "BCD":
        ws.column_dimensions[letter].width = 12
    count = len(ranked)
    if not count:
        return
    units = Reference(ws, min_col=1, min_row=2, max_row=count + 1)
    ws.add_chart(_bar_chart("各单位问题数（强制、提示）", "问题数", ws, units, 2, 3, count, "stacked"), "F2")
    ws.add_chart(_bar_chart("各单位最大差额", "元", ws, units, 4, 4, count, None), f"F{4 + _chart_rows(count)}")
    ws.print_area = f"A1:T{8 + 2 * _chart_rows(count)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _chart_height(count: int) -> float:
    return max(7.5, 0.6 * count + 3)  # centimetres: one bar per unit and its name


def _chart_rows(count: int) -> int:
    return int(_chart_height(count) / 0.5) + 2  # worksheet rows (15 pt, about 0.53 cm) a chart covers


def _bar_chart(
    title: str, axis: str, ws: Worksheet, units: Reference, first: int, last: int, count: int, grouping: str | None
) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal: one bar per unit, names readable
    chart.title = title
    chart.x_axis.title = "单位"
    chart.y_axis.title = axis
    chart.x_axis.scaling.orientation = "maxMin"  # the first in the triage on top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if grouping:
        chart.grouping = grouping
        chart.overlap = 100
    data = Reference(ws, min_col=first, max_col=last, min_row=1, max_row=count + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(units)
    chart.width = 30
    chart.height = _chart_height(count)
    return chart


def _unit_label(summary: SubmissionSummary) -> str:
    return f"{summary.unit} {summary.year}" if summary.year else summary.unit


def _fill(ws: Worksheet, columns: list[str], rows: Sequence[Sequence[object]], widths: list[int]) -> None:
    ws.append(columns)
    for row in rows:
        ws.append(guard_row(list(row)))
    wrap = Alignment(wrap_text=True, vertical="top")
    styled = None
    for row in ws.iter_rows():
        for cell in row:
            if styled is None:
                cell.alignment = wrap
                cell.font = Font(size=FONT_SIZE)
                styled = copy(cell._style)
            else:  # the same style ids, without openpyxl hashing the Alignment again per cell
                cell._style = copy(styled)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # quoted text, never a formula
    for cell in ws[1]:
        cell.font = Font(bold=True, size=FONT_SIZE)
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
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _lines_needed(row: Sequence[object], widths: list[int]) -> int:
    """Wrapped lines of the tallest cell: Excel and LibreOffice do not grow rows written by openpyxl."""
    tallest = 1
    for value, width in zip(row, widths):
        parts = str(value if value is not None else "").split("\n")
        room = max(int((width - 1) * FIT), 1)
        tallest = max(tallest, sum(_wrapped_lines(part, room) for part in parts))
    return min(tallest, MAX_LINES)


RGX_WORD = re.compile(r"[A-Za-z0-9._%+\-]+|.", re.DOTALL)  # a Latin word or number is never split


def _wrapped_lines(text: str, room: int) -> int:
    """Lines `text` takes in a column `room` wide, wrapped as a spreadsheet does: between
    characters of Chinese, between words of Latin text and numbers."""
    lines, used = 1, 0
    for token in RGX_WORD.findall(text):
        width = text_width(token)
        if used + width > room and used:
            lines, used = lines + 1, 0
        used += width
        while used > room:  # a word longer than the line is split after all
            lines, used = lines + 1, used - room
    return lines


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
