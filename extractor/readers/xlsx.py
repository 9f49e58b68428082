"""XLSX reader: every sheet's used range as one Table, numbers as the text the cell shows.

openpyxl never computes formulas, so the workbook is read with data_only=True (the
values Excel cached when it last saved). A formula without a cached value is recorded
as an Issue and left empty: a value is never invented. Numbers are rendered through the
cell's number_format ('0.00' -> two places, '0.00%' -> percent, General -> the stored
value with float noise trimmed at 15 significant digits): 2348.75 stays "2348.75".
The workbook is opened read_only and each sheet streamed once (xlsx_sheet): the full load's
MergedCell binding was 80% of the time, for the same cells, values and merged ranges.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from ..errors import InputError
from ..numbers import MAX_DIGITS
from ..model import Block, BlockKind, Cell, Document, Format, Issue, Locator, Table
from . import sha256_of
from .safety import MACRO_ISSUE, MACRO_MESSAGE, check_package, macro_part, parser_errors
from .structure import (
    HeadingRules,
    is_annex_heading,
    is_title_line,
    looks_like_caption,
    normalize_text,
    table_unit_hint_of,
)
from .xlsx_sheet import SheetCells, read_sheet_cells

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
FORMULA_ISSUE = "W101"
FORMULA_MESSAGE = "{source} 工作表“{sheet}”{coord}：公式未计算，请在 Excel 中打开并保存后重新提交"
TITLE_ROWS = 3  # a sheet title sits in its first rows
UNIT_ROWS = 3  # the unit line and header rows under the title rows
# Bounds before a grid is built: a used range past MAX_AREA positions (a stray value at
# XFD1048576) and sheets past MAX_SHEETS, or a second sheet on the same part, are skipped
# with a W108 issue instead of looping over 10^10 empty positions or re-reading one part.
MAX_AREA = 2_000_000
MAX_SHEETS = 255
LIMIT_ISSUE = "W108"
LIMIT_MESSAGE = "{source} 工作表“{sheet}”{detail}，超出可读上限，该表未读取，请人工核对"

_BRACKETS = re.compile(r"\[[^\]]*\]")
_QUOTED = re.compile(r'"([^"]*)"')
_PADDING = re.compile(r"[_*].")
_ESCAPED = re.compile(r"\\(.)")
_UNIT_LINE = re.compile(r"^(?:金额)?单位\s*[：:]")
_NUMBER_PART = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?")


def read_xlsx(path: Path, source: str, headings: HeadingRules | None = None) -> Document:
    """Read a .xlsx into the document model; InputError E104/E107/E108 when it cannot."""
    check_package(path, "xlsx")
    with parser_errors(path, "xlsx"):
        formulas = _uncached_formulas(path)
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
        blocks: list[Block] = []
        tables: list[Table] = []
        issues: list[Issue] = []
        try:
            for sheet in _readable_sheets(workbook.worksheets, source, issues):
                cells = read_sheet_cells(sheet)
                _read_sheet(cells, source, formulas.get(sheet.title, set()), blocks, tables, issues, headings)
            title = (workbook.properties.title or "").strip()
        finally:
            workbook.close()
    if not any(cell.text for table in tables for cell in table.cells) and not issues:
        raise InputError("E107", path=path)
    if part := macro_part(path):
        issues.append(Issue(MACRO_ISSUE, MACRO_MESSAGE.format(source=source, part=part), source))
    return Document(
        source=source, format=Format.XLSX, sha256=sha256_of(path), blocks=tuple(blocks),
        tables=tuple(tables), metadata={"title": title} if title else {}, issues=tuple(issues),
    )


def _readable_sheets(sheets: list, source: str, issues: list[Issue]) -> list:
    """The sheets to read: the first MAX_SHEETS, each part once."""
    readable, parts = [], set()
    for n, sheet in enumerate(sheets):
        part = getattr(sheet, "_worksheet_path", None)
        detail = (f"是第 {n + 1} 个工作表（上限 {MAX_SHEETS} 个）" if n >= MAX_SHEETS
                  else f"与前面的工作表指向同一数据（{part}）" if part in parts else "")
        if detail:
            issues.append(_limit_issue(source, sheet.title, detail))
            continue
        parts.add(part)
        readable.append(sheet)
    return readable


def _limit_issue(source: str, sheet: str, detail: str) -> Issue:
    message = LIMIT_MESSAGE.format(source=source, sheet=sheet, detail=detail)
    return Issue(LIMIT_ISSUE, message, source, Locator(source=source))


def _uncached_formulas(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Sheet name -> (row, col) of every formula cell with no cached value (<c><f/></c>
    without <v>), read straight from the sheet XML, and only from sheets that contain a
    formula tag at all: a second openpyxl load just to see formulas doubled the time."""
    found: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as archive:
        members = set(archive.namelist())
        for name, part in _sheet_parts(archive).items():
            if part not in members:
                continue
            cells = found.setdefault(name, set())
            data = archive.read(part)
            if not FORMULA_TAG.search(data):  # most annex sheets hold no formula at all
                continue
            for _, element in etree.iterparse(io.BytesIO(data), tag=SHEET_NS + "c", resolve_entities=False):
                if element.find(SHEET_NS + "f") is not None and not element.findtext(SHEET_NS + "v"):
                    cells.add(coordinate_to_tuple(element.get("r", "A1")))
                element.clear()
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part, from xl/workbook.xml and its relationships."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), etree.XMLParser(resolve_entities=False))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), etree.XMLParser(resolve_entities=False))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in workbook.iter(SHEET_NS + "sheet"):
        target = targets.get(sheet.get(REL_ID), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _has_value(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _used_range(sheet: SheetCells, formulas: set[tuple[int, int]]) -> tuple[int, int, int, int] | None:
    """(min_row, min_col, max_row, max_col) over cells with values or formulas, widened by
    the merged ranges that start on one of them. Only cells present in the file are
    visited: a sheet declaring a huge dimension costs nothing."""
    filled = {key for key, (value, _) in sheet.cells.items() if _has_value(value)} | formulas
    if not filled:
        return None
    rows, cols = [r for r, _ in filled], [c for _, c in filled]
    for rng in sheet.ranges:
        if (rng.min_row, rng.min_col) in filled:
            rows.append(rng.max_row)
            cols.append(rng.max_col)
    return min(rows), min(cols), max(rows), max(cols)


def _read_sheet(sheet: SheetCells, source: str, formulas: set[tuple[int, int]],
                blocks: list[Block], tables: list[Table], issues: list[Issue], headings: HeadingRules | None) -> None:
    bounds = _used_range(sheet, formulas)
    if bounds is None:
        return
    top, left, bottom, right = bounds
    if (area := (bottom - top + 1) * (right - left + 1)) > MAX_AREA:
        detail = f"的已用区域有 {bottom - top + 1} 行 × {right - left + 1} 列（{area} 格）"
        issues.append(_limit_issue(source, sheet.title, detail))
        return
    index = len(tables)
    origins, covered = _merge_map(sheet, bounds)
    cells: list[Cell] = []
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            if (r, c) in covered:
                continue
            value = sheet.value((r, c))
            text = cell_text(value, sheet.number_format((r, c)))
            if (r, c) in formulas and value is None:
                issues.append(_formula_issue(source, sheet.title, f"{get_column_letter(c)}{r}", index,
                                             r - top, c - left))
            row_span, col_span = origins.get((r, c), (1, 1))
            cells.append(Cell(r - top, c - left, text, row_span, col_span))
    n_rows, n_cols = bottom - top + 1, right - left + 1
    caption, title_rows = _caption(cells, n_cols)
    after, annex = -1, bool(caption and is_annex_heading(caption, headings))
    if caption:
        after = len(blocks)
        blocks.append(Block(after, BlockKind.HEADING, caption, (caption,), 1, annex=annex))
    unit_hint = table_unit_hint_of([caption], cells, title_rows + UNIT_ROWS)
    tables.append(Table(
        index=index, n_rows=n_rows, n_cols=n_cols, cells=tuple(cells), caption=caption,
        section=(caption,) if caption else (), unit_hint=unit_hint,
        annex=annex, after_block=after, sheet=sheet.title,
    ))


def _merge_map(sheet: SheetCells, bounds: tuple[int, int, int, int]
               ) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """Origin (row, col) -> (row_span, col_span), and every covered (row, col), with each
    merged range clipped to the used range."""
    top, left, bottom, right = bounds
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in sheet.ranges:
        r0, c0 = max(rng.min_row, top), max(rng.min_col, left)
        r1, c1 = min(rng.max_row, bottom), min(rng.max_col, right)
        if r0 > r1 or c0 > c1:
            continue
        origins[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    return origins, covered


def _formula_issue(source: str, sheet: str, coord: str, table: int, row: int, col: int) -> Issue:
    message = FORMULA_MESSAGE.format(source=source, sheet=sheet, coord=coord)
    return Issue(FORMULA_ISSUE, message, source, Locator(source=source, table=table, row=row, col=col))


def _caption(cells: list[Cell], n_cols: int) -> tuple[str | None, int]:
    """The title rows at the top of the sheet, joined: rows whose only text is a merged
    cell across most of the width or looks like a table title (附件1, …表), plus short
    lines such as （2024年度） right after them. A 单位：万元 row ends the title. Returns (caption, title rows)."""
    lines: list[str] = []
    for row in range(TITLE_ROWS):
        texts = [cell for cell in cells if cell.row == row and cell.text]
        if len(texts) != 1 or _UNIT_LINE.match(texts[0].text):
            break
        cell = texts[0]
        wide = cell.col_span >= 2 and cell.col_span * 2 >= n_cols
        if wide or looks_like_caption(cell.text) or (lines and is_title_line(cell.text)):
            lines.append(cell.text.replace("\n", " "))
        else:
            break
    return " ".join(lines) or None, len(lines)


def cell_text(value: object, number_format: str | None = "General") -> str:
    """The text a cell shows: numbers through their format, dates as ISO, text normalised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return format_number(value, number_format or "General")
    return normalize_text(str(value))


def stored_decimal(value: int | float | Decimal) -> Decimal:
    """The stored number as Decimal, float noise trimmed: 2348.7499999999995 -> 2348.75.

    Rounds to 15 significant digits, Excel's own precision: float noise sits in the
    16th-17th digit, while 10 digits (the first idea) would cut real 元 amounts such as
    123456789.12."""
    if isinstance(value, float):
        return Decimal(f"{value:.15g}")
    return Decimal(value)


def format_number(value: int | float | Decimal, number_format: str) -> str:
    """Render like Excel for the common numeric formats; General shows the stored value."""
    number = stored_decimal(value)
    if not number.is_finite() or number.adjusted() >= MAX_DIGITS:
        return str(number)  # 1E+300, Infinity: shown as stored, never a figure (numbers.MAX_DIGITS)
    sections = number_format.split(";")
    section = sections[1] if number < 0 and len(sections) > 1 else sections[0]
    sign = "-" if number < 0 and len(sections) == 1 else ""
    pattern = _ESCAPED.sub(r"\1", _PADDING.sub("", _BRACKETS.sub("", section)))
    literal = _QUOTED.sub(lambda m: m.group(1), pattern)
    match = _NUMBER_PART.search(literal)
    if match is None or pattern.strip().lower() in ("general", "@") or re.search(r"[eE][+-]|/", literal):
        return _plain(number)
    spec = match.group(0)
    amount = abs(number) * 100 if "%" in literal else abs(number)
    places = len(spec.split(".", 1)[1]) if "." in spec else 0
    text = _fixed(amount, places, "," in spec.split(".")[0])
    return sign + literal[: match.start()] + text + literal[match.end():]


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _fixed(amount: Decimal, places: int, thousands: bool) -> str:
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}" if thousands else f"{rounded:.{places}f}"
