"""附件1 基础数据表: the headcount and 楼堂馆所 blocks (the column is the label) and the
经费控制情况 block (the row is the label; the column says {Y-1}年决算数 / {Y}年预算数 /
{Y}年决算数).

Nulls: a known row or column always gives its facts, value None where the cell is
"—", "/", "*" or empty, so completeness checks see the gap. A filler row "……" and a
project row left blank give no facts at all: nothing is invented.
"""

from __future__ import annotations

import re

from ..model import Cell, Kind, Role
from .cells import CellValue, inline_value, is_filler, is_null, parse_amount
from .context import Column, Context, clean

DEFAULT_UNITS = {Kind.HEADCOUNT: "人", Kind.PERCENT: "%", Kind.AREA: "㎡", Kind.SCORE: "分", Kind.COUNT: ""}


def unit_for(ctx: Context, label: str, column: Column | None) -> tuple[str, Kind]:
    """(unit of a bare number, kind) for a label: the column's, block's or table's unit."""
    kind = ctx.spec.label_kinds.get(label, Kind.AMOUNT) if label else Kind.AMOUNT
    if kind == Kind.AMOUNT:
        return ctx.money_unit(column), kind
    own = column.unit if column and column.unit not in ("元", "万元", "亿元") else None
    return own or DEFAULT_UNITS.get(kind, ""), kind


def parse_for(ctx: Context, label: str, text: str, column: Column | None) -> CellValue:
    """A cell parsed for a label of known kind, in the unit its column, block or table states."""
    unit, kind = unit_for(ctx, label, column)
    return parse_amount(text, unit, kind, ctx.spec)


def header_pairs(ctx: Context, row: int) -> None:
    """Values in the header row itself: 编制数 | 25 | 实际在职人数 | 27 …, or 编制数：25."""
    cells = [c for c in ctx.row_cells(row) if c.row == row]
    for index, cell in enumerate(cells):
        column = ctx.column_of(cell)
        if column is None or not column.spec.field:
            continue
        unit, kind = unit_for(ctx, column.spec.field, column)
        colon = _VALUE_AFTER_COLON.search(cell.text)
        if colon is not None:
            value = inline_value(cell.text, colon.end(), unit, kind, ctx.spec)
            _pair_fact(ctx, cell, column, value, clean(cell.text[:colon.start()]))
        elif index + 1 < len(cells) and ctx.column_of(cells[index + 1]) is None:
            value = parse_amount(cells[index + 1].text, unit, kind, ctx.spec)
            if value.value is not None:
                _pair_fact(ctx, cells[index + 1], column, value, column.header)


def _fact_year(ctx: Context, column: Column) -> int | None:
    """The year the column's header states, else the year the table reports on."""
    return column.year if column.year is not None else ctx.report_year


_VALUE_AFTER_COLON = re.compile(r"[:：](?=\s*[-—－]?\s*[0-9０-９])")


def _pair_fact(ctx: Context, cell: Cell, column: Column, value: CellValue, header: str) -> None:
    ctx.state["reported"] = True
    year = _fact_year(ctx, column)
    ctx.add_fact(column.spec.field, cell, value, subject=header, row_label="", col_label=header,
                 measure=column.spec.measure, year=year)


def field_row(ctx: Context, row: int) -> None:
    """staff / building: every mapped column is a label; the first data row always reports."""
    cells = [(cell, column) for cell, column in ctx.value_cells(row) if column.spec.field]
    if not cells:
        return
    first = not ctx.state.get("reported")
    values = [(cell, column, parse_for(ctx, column.spec.field, cell.text, column)) for cell, column in cells]
    if not first and all(v.value is None and v.text_value is None for _, _, v in values):
        return
    ctx.state["reported"] = True
    row_label = ctx.row_label(row)
    for cell, column, value in values:
        year = _fact_year(ctx, column)
        ctx.add_fact(column.spec.field, cell, value, subject=column.header, row_label=row_label,
                     col_label=column.header, measure=column.spec.measure, year=year)


def measure_row(ctx: Context, row: int) -> None:
    """经费控制情况: the row label names the label; items after 项目支出 are its projects."""
    written = ctx.row_label(row)
    cells = [(cell, column) for cell, column in ctx.value_cells(row) if column.spec.measure]
    if not cells or not written or is_filler(written, ctx.spec):
        return
    label = ctx.row_lookup("spending", written)
    group, order = None, None
    if label is not None:
        ctx.state["items_of"] = ctx.spec.items.get(label)
        ctx.state["item_count"] = 0
    elif ctx.state.get("items_of"):
        if all(is_null(cell.text, ctx.spec) for cell, _ in cells):
            return  # a template project row left blank
        label = str(ctx.state["items_of"])
        order = ctx.next_count("item_count")
    elif all(is_null(cell.text, ctx.spec) for cell, _ in cells):
        return
    _emit_measures(ctx, label or "", written, cells, group, order)


def _emit_measures(ctx: Context, label: str, written: str, cells: list[tuple[Cell, Column]], group: str | None,
                   order: int | None) -> None:
    years = [c.year for _, c in cells if c.year is not None]
    latest = max(years) if years else ctx.report_year
    for cell, column in cells:
        value = parse_for(ctx, label, cell.text, column)
        year = _fact_year(ctx, column)
        earlier = year is not None and latest is not None and year < latest
        role = Role.PRIOR if earlier or (column.spec.relative_year or 0) < 0 else Role.VALUE
        item_group = f"items:{ctx.table.index}:{cell.col}" if order is not None and ctx.table else group
        ctx.add_fact(label, cell, value, subject=written, row_label=written, col_label=column.header,
                     measure=column.spec.measure, year=year, role=role, group=item_group, order=order)


HANDLERS = {"staff": field_row, "building": field_row, "spending": measure_row}
HEADER_HANDLERS = {"staff": header_pairs, "building": header_pairs}
