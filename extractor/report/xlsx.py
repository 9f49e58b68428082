"""discrepancies.xlsx: sheet 问题清单 (one row per finding, each place a link to its file), sheet
汇总 (one row per unit, ranked) and sheet 图表 (the units as bars, in the triage order), ready to
filter and print on A3 landscape. Byte-identical for the same input; written as a stream (write-only mode)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Finding, Level, SubmissionSummary
from .index import Keys, SummaryIndex, as_index
from .ordered import Raws, RawsAt, finding_groups, places_of, ranked_heads, ranked_keys, raws_at
from .render import text_width
from .rows import (
    FINDING_COLUMNS,
    FINDING_WIDTHS,
    LEVEL_ZH,
    SUMMARY_COLUMNS,
    SUMMARY_WIDTHS,
    finding_row,
    summary_row,
)
from .safe_cells import guard_row

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
COPY_CHUNK = 1 << 16


def write_xlsx(
    path: Path, results: Iterable[SubmissionSummary], raws: Raws | RawsAt | None = None,
    links_from: Path | None = None, source_root: Path | None = None,
) -> None:
    """discrepancies.xlsx at `path`, written atomically as a stream (openpyxl's write-only mode:
    each row goes to disk as it is made, so a batch's findings are never all in memory).
    `raws`: the figures as written at the places cited (excerpts are cut around them), or a
    lookup of them; `links_from`/`source_root`: the folder the workbook is written to and the
    one the sources are relative to, so each 位置 links to its file by a relative path."""
    summaries = as_index(results)
    wb = Workbook(write_only=True)
    _findings_sheet(wb.create_sheet("问题清单"), summaries, raws_at(raws), links_from, source_root)
    _summary_sheet(wb.create_sheet("汇总"), summaries)
    _chart_sheet(wb.create_sheet("图表"), summaries)
    wb.properties.creator = "extractor"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="extractor-xlsx-") as folder:
        raw = Path(folder) / path.name
        wb.save(raw)
        part = path.with_name(path.name + ".part")
        _normalize_zip(raw, part)
        part.replace(path)


def xlsx_bytes(
    results: Iterable[SubmissionSummary], raws: Raws | RawsAt | None = None, links_from: Path | None = None,
    source_root: Path | None = None,
) -> bytes:
    """The bytes write_xlsx writes (for callers that want them in memory: one submission)."""
    with tempfile.TemporaryDirectory(prefix="extractor-xlsx-") as folder:
        path = Path(folder) / "discrepancies.xlsx"
        write_xlsx(path, results, raws, links_from, source_root)
        return path.read_bytes()


class _Styles:
    """The sheet's few cell styles, made once; each cell gets a copy of one (openpyxl would
    otherwise hash the Alignment and Font again for every cell)."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.body = self._make(ws, alignment=Alignment(wrap_text=True, vertical="top"), font=Font(size=FONT_SIZE))
        self.head = self._make(ws, self.body, font=Font(bold=True, size=FONT_SIZE), fill=HEADER_FILL)
        self.mandatory = self._make(ws, self.body, fill=MANDATORY_FILL)
        self.link = self._make(ws, self.body, font=LINK_FONT)

    @staticmethod
    def _make(ws: WriteOnlyWorksheet, base: StyleArray | None = None, **attrs: object) -> StyleArray:
        cell = WriteOnlyCell(ws)
        if base is not None:
            cell._style = copy(base)
        for name, value in attrs.items():
            setattr(cell, name, value)
        return copy(cell._style)

    def row(self, values: Sequence[object], style: StyleArray) -> list[WriteOnlyCell]:
        return [_cell(self.ws, value, style) for value in guard_row(list(values))]


def _cell(ws: WriteOnlyWorksheet, value: object, style: StyleArray) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell._style = copy(style)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # quoted text, never a formula
    return cell


def _findings_sheet(
    ws: WriteOnlyWorksheet, summaries: SummaryIndex, raws: RawsAt, links_from: Path | None, source_root: Path | None
) -> None:
    """问题清单: one row per finding in the list's order, read one unit and year at a time."""
    widths = _with_link(FINDING_WIDTHS, None)
    styles = _prepare(ws, widths)
    ws.append(styles.row(_with_link(FINDING_COLUMNS, None), styles.head))
    number = 1
    for group in finding_groups(summaries):
        found = raws(places_of(group))
        for finding in group:
            number += 1
            values = _with_link(finding_row(finding, _marks(finding, found)), finding)
            cells = styles.row(values, styles.body)
            if values[5] == LEVEL_ZH[Level.MANDATORY]:  # 级别
                cells[5]._style = copy(styles.mandatory)
            if finding.locations:
                cells[LINK_COLUMN - 1]._style = copy(styles.link)
                cells[LINK_COLUMN - 1].hyperlink = _link_target(finding, links_from, source_root)
            _append_row(ws, number, cells, values, widths)
    _finish(ws, len(widths), number)


def _summary_sheet(ws: WriteOnlyWorksheet, summaries: SummaryIndex) -> None:
    """汇总: one row per unit, ranked."""
    styles = _prepare(ws, SUMMARY_WIDTHS)
    ws.append(styles.row(SUMMARY_COLUMNS, styles.head))
    number = 1
    for rank, summary in enumerate(ranked_heads(summaries), start=1):
        number += 1
        values = summary_row(summary, rank)
        _append_row(ws, number, styles.row(values, styles.body), values, SUMMARY_WIDTHS)
    _finish(ws, len(SUMMARY_WIDTHS), number)
    ws.page_setup.fitToHeight = -(-(number - 1) // UNITS_PER_PAGE) or 1


def _append_row(ws: WriteOnlyWorksheet, number: int, cells: list[WriteOnlyCell], values: Sequence[object],
                widths: list[int]) -> None:
    """The row with its height (written with the row, then let go: the sheet keeps no row)."""
    ws.row_dimensions[number].height = LINE_HEIGHT * _lines_needed(values, widths)
    ws.append(cells)
    del ws.row_dimensions[number]


def _marks(finding: Finding, raws: Raws) -> list[str]:
    return [raw for loc in finding.locations for raw in sorted(raws.get(loc, ()))]


def _with_link(row: list, finding: Finding | None) -> list:
    """The row with the 原文件 cell after 位置 (the head, the width, or the link's text)."""
    if finding is None:
        extra = LINK_HEAD if isinstance(row[0], str) else LINK_WIDTH
    else:
        extra = LINK_TEXT if finding.locations else ""
    return [*row[:PLACE_COLUMN], extra, *row[PLACE_COLUMN:]]


def _link_target(finding: Finding, links_from: Path | None, source_root: Path | None) -> str:
    """Where the 原文件 cell links: the first file 位置 names, relative to the workbook's folder."""
    source = finding.locations[0].source
    target = source
    if links_from is not None and source_root is not None:
        target = os.path.relpath(Path(source_root) / source, Path(links_from))
    return Path(target).as_posix()


def _chart_sheet(ws: WriteOnlyWorksheet, summaries: SummaryIndex) -> None:
    """图表: the units in the triage order, a stacked bar of 强制/提示 and a bar of 最大差额 (元)."""
    ws.column_dimensions["A"].width = 30
    for letter in "BCD":
        ws.column_dimensions[letter].width = 12
    count = len(summaries)
    if count:
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # written with the sheet's top, before any row
    head = _Styles._make(ws, font=Font(bold=True), fill=HEADER_FILL)
    ws.append([_cell(ws, value, head) for value in ["单位", *LEVEL_ZH.values(), "最大差额（元）"]])
    for s in ranked_keys(summaries):
        ws.append([_unit_label(s), s.mandatory, s.advisory, s.largest])
    if not count:
        return
    units = Reference(ws, min_col=1, min_row=2, max_row=count + 1)
    ws.add_chart(_bar_chart("各单位问题数（强制、提示）", "问题数", ws, units, 2, 3, count, "stacked"), "F2")
    ws.add_chart(_bar_chart("各单位最大差额", "元", ws, units, 4, 4, count, None), f"F{4 + _chart_rows(count)}")
    ws.print_area = f"A1:T{8 + 2 * _chart_rows(count)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3


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


def _unit_label(summary: SubmissionSummary | Keys) -> str:
    return f"{summary.unit} {summary.year}" if summary.year else summary.unit


def _prepare(ws: WriteOnlyWorksheet, widths: list[int]) -> _Styles:
    """What a write-only sheet writes before its first row: column widths, the frozen head,
    fit to page; and the sheet's cell styles."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return _Styles(ws)


def _finish(ws: WriteOnlyWorksheet, columns: int, rows: int) -> None:
    """What a write-only sheet writes after its rows: the filter over them, the print set-up."""
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows, 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3  # the list is wide: A3 keeps it readable when fitted to width
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
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


def _normalize_zip(raw: Path, target: Path) -> None:
    """openpyxl stamps the save time into core.xml and the zip entries: pin both, copying each
    entry through (a sheet is never read whole into memory)."""
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), source.read(info))
                out.writestr(entry, content)
                continue
            with source.open(info) as src, out.open(entry, "w") as dst:
                shutil.copyfileobj(src, dst, COPY_CHUNK)
