"""Header rows: which block a row opens, and which column means what."""

from __future__ import annotations

from ..model import Cell
from .context import Column, Context, clean, header_unit, years_in
from .spec import ColumnSpec

MAX_HEADER_CHARS = 24  # longer cells are text (年度总体目标), never column headers


def match_column(ctx: Context, block: str, text: str) -> ColumnSpec | None:
    key = ctx.spec.key(text)
    if not key:
        return None
    for spec in ctx.spec.columns:
        if spec.block == block and spec.pattern.search(key):
            return spec
    return None


def header_block(ctx: Context, row: int) -> str | None:
    """The block whose header this row is (most matching cells, at least the block minimum)."""
    assert ctx.table is not None
    place = (ctx.table.index, row)
    if place not in ctx.headers:
        ctx.headers[place] = _header_block(ctx, row)
    return ctx.headers[place]


def _header_block(ctx: Context, row: int) -> str | None:
    cells = [c for c in ctx.row_cells(row)
             if c.row == row and c.text.strip() and len(ctx.spec.key(c.text)) <= MAX_HEADER_CHARS]
    best, best_hits = None, 0
    for block in ctx.blocks:
        hits = sum(1 for c in cells if match_column(ctx, block, c.text) is not None)
        if hits >= ctx.spec.block_min[block] and hits > best_hits:
            best, best_hits = block, hits
    return best


MAX_HEADER_ROWS = 8  # a header is read from at most this many rows: 10^4 repeated header rows stay linear


def open_header(ctx: Context, row: int, block: str) -> None:
    """Make `row` (with the header rows just above it of the same block) the current header."""
    if not (ctx.block == block and ctx.header_end == row - 1 and ctx.header_start >= 0):
        ctx.header_start = row
        if ctx.block != block:
            ctx.state = {}
    ctx.block = block
    ctx.header_end = row
    ctx.columns = build_columns(ctx, block, max(ctx.header_start, row - MAX_HEADER_ROWS + 1), row)
    ctx.block_unit = block_label_unit(ctx, row)


def build_columns(ctx: Context, block: str, top: int, bottom: int) -> dict[int, Column]:
    """Grid column -> Column, reading each column's header cells from the bottom up."""
    columns: dict[int, Column] = {}
    for col in range(len(ctx.grid[bottom])):
        stack = _header_stack(ctx, col, top, bottom)
        for cell in stack:
            spec = match_column(ctx, block, cell.text)
            if spec is not None:
                texts = [c.text for c in stack]
                year = _column_year(ctx, spec, texts)
                columns[col] = Column(spec, clean(cell.text), header_unit(texts, ctx.spec), year)
                break
    return columns


def _header_stack(ctx: Context, col: int, top: int, bottom: int) -> list[Cell]:
    stack: list[Cell] = []
    for row in range(bottom, top - 1, -1):
        cell = ctx.grid[row][col]
        if cell is not None and all(c is not cell for c in stack) and cell.text.strip():
            stack.append(cell)
    return stack


def _column_year(ctx: Context, spec: ColumnSpec, texts: list[str]) -> int | None:
    for text in texts:
        match = spec.pattern.search(ctx.spec.key(text))
        if match and "year" in match.groupdict() and match.group("year"):
            return int(match.group("year"))
    if spec.relative_year is not None and ctx.report_year is not None:
        return ctx.report_year + spec.relative_year
    return None


def block_label_unit(ctx: Context, row: int) -> str | None:
    """（万元） written in the header row's unmapped cells: 经费控制情况（万元）, 年度预算申请（万元）."""
    texts = [c.text for c in ctx.row_cells(row) if ctx.column_of(c) is None]
    return header_unit(texts, ctx.spec)


def header_years(ctx: Context, rows: range) -> list[int]:
    """Years written in the header cells of any block (2023年决算数, 2024年实际在职人数)."""
    found: list[int] = []
    for row in rows:
        if header_block(ctx, row) is None:
            continue
        for cell in ctx.row_cells(row):
            found.extend(years_in(ctx.spec.key(cell.text)))
    return found


def continues_header(ctx: Context, row: int) -> bool:
    """A second header row under the first (Yunnan: 指标性质 | 指标值 | 度量单位)."""
    if ctx.block is None or row != ctx.header_end + 1:
        return False
    cells = [c for c in ctx.row_cells(row) if c.row == row and c.text.strip()]
    return bool(cells) and all(match_column(ctx, ctx.block, c.text) is not None for c in cells)
