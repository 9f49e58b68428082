"""One worksheet's cells and merged ranges, read in a single streaming pass.

openpyxl's full load spends most of its time in bind_merged_cells: for every merged range
it creates a MergedCell per covered cell and recomputes their borders (80% of read_xlsx
on the batch annexes). The workbook is therefore opened read_only and each sheet's XML is
run through openpyxl's own WorkSheetParser (the same cell parsing, shared strings, dates
and styles as the full load), collecting the <mergeCell ref> list it parses on the way.
What the full load would show is kept exactly: a cell covered by a merged range (every
cell of it but the top-left) has no value, and the ranges come in the order of openpyxl's
MultiCellRange set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

from ..errors import MalformedInput

Coord = tuple[int, int]


@dataclass
class SheetCells:
    """The cells present in a sheet's XML, (row, col) -> (value, style id), covered cells
    dropped; the merged ranges; and the workbook's style tables for number formats."""

    title: str
    cells: dict[Coord, tuple[Any, int]]
    ranges: list[CellRange]  # clipped to the cells present: A1:XFD1048576 costs what they cost
    styles: Any
    custom_formats: Any
    _formats: dict[int, str] = field(default_factory=dict)

    def value(self, coord: Coord) -> Any:
        entry = self.cells.get(coord)
        return None if entry is None else entry[0]

    def number_format(self, coord: Coord) -> str:
        """The format a full-load Cell.number_format gives; General for an absent cell."""
        entry = self.cells.get(coord)
        if entry is None:
            return "General"
        style_id = entry[1]
        if style_id not in self._formats:
            fmt_id = self.styles[style_id].numFmtId
            if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
                self._formats[style_id] = BUILTIN_FORMATS.get(fmt_id, "General")
            else:
                self._formats[style_id] = self.custom_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
        return self._formats[style_id]


def read_sheet_cells(sheet: ReadOnlyWorksheet) -> SheetCells:
    """Every cell the sheet's XML holds and its merged ranges, from one parse."""
    workbook = sheet.parent
    cells: dict[Coord, tuple[Any, int]] = {}
    style_ids: set[int] = set()
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=workbook.data_only,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        for _, row in parser.parse():
            for cell in row:
                style_ids.add(cell["style_id"])
                cells[(cell["row"], cell["column"])] = (cell["value"], cell["style_id"])
    for style_id in style_ids:  # the full load looks every style up and fails on a bad one
        try:
            workbook._cell_styles[style_id]
        except IndexError:  # styles.xml missing or cut: a broken file, not a bug of ours
            raise MalformedInput(f"单元格样式 {style_id} 不在样式表中（共 {len(workbook._cell_styles)} 个）") from None
    ranges = _clipped(_merged_ranges(parser), cells)
    for coord in _covered_present(ranges, cells):
        del cells[coord]
    return SheetCells(sheet.title, cells, ranges, workbook._cell_styles, workbook._number_formats)


def _merged_ranges(parser: WorkSheetParser) -> list[CellRange]:
    if not parser.merged_cells:
        return []
    return list(MultiCellRange([CellRange(merge.ref) for merge in parser.merged_cells.mergeCell]).ranges)


def _clipped(ranges: list[CellRange], cells: dict[Coord, Any]) -> list[CellRange]:
    """Each merged range cut to the rows and columns that hold a present cell (a range
    past them covers nothing the sheet shows); ranges wholly past them dropped."""
    if not ranges or not cells:
        return []
    last_row = max(row for row, _ in cells)
    last_col = max(col for _, col in cells)
    clipped = []
    for rng in ranges:
        if rng.min_row > last_row or rng.min_col > last_col:
            continue
        if rng.max_row > last_row or rng.max_col > last_col:
            rng = CellRange(min_col=rng.min_col, min_row=rng.min_row,
                            max_col=min(rng.max_col, last_col), max_row=min(rng.max_row, last_row))
        clipped.append(rng)
    return clipped


def _covered_present(ranges: list[CellRange], cells: dict[Coord, Any]) -> set[Coord]:
    """The present cells that some merged range covers (all of it but its top-left): the
    full load replaces them with value-less MergedCells. A range as wide as a whole column
    costs no more than the cells present."""
    covered: set[Coord] = set()
    if not ranges or not cells:
        return covered
    last_row = max(row for row, _ in cells)
    last_col = max(col for _, col in cells)
    for rng in ranges:
        bottom, right = min(rng.max_row, last_row), min(rng.max_col, last_col)
        origin = (rng.min_row, rng.min_col)
        if (bottom - rng.min_row + 1) * (right - rng.min_col + 1) <= len(cells):
            covered.update(coord for r in range(rng.min_row, bottom + 1) for c in range(rng.min_col, right + 1)
                           if (coord := (r, c)) in cells and coord != origin)
        else:
            covered.update(coord for coord in cells if coord != origin and rng.min_row <= coord[0] <= rng.max_row
                           and rng.min_col <= coord[1] <= rng.max_col)
    return covered
