"""附件2 自评表 (and the 项目支出绩效自评表): the funding block, 年度总体目标, indicators.

Funding rows come in two shapes. Column shape: a row label (年度资金总额, 其中：本年财政拨款)
and one value per 年初预算数 / 全年预算数 / 全年执行数 column (measure from the column), plus
分值 / 执行率 / 得分 on the total row. Inline shape (Hunan): the value sits inside the
label cell after the colon, "按收入性质分：3790.52", "其中：一般公共预算：3790.52", often
two such cells side by side. Such a cell spans several columns, so the template does
not say what its figure measures: it takes patterns/annex.toml [funding] inline_measure
(executed, the Hunan convention; the char span in the locator points at the figure).
"""

from __future__ import annotations

import re

from ..model import Cell, Kind, Role
from ..numbers import normalize_digits
from .basic_data import parse_for
from .cells import CellValue, inline_value, is_filler, is_null, parse_amount, parse_indicator, parse_text
from .context import Column, Context, clean


def _matchable(ctx: Context, text: str) -> str:
    """Same length as text: simplified characters and ASCII digits, so offsets survive."""
    return normalize_digits(text).translate(ctx.spec.traditional)


def funding_row(ctx: Context, row: int) -> None:
    inline = [cell for cell in ctx.row_cells(row) if cell.row == row and _is_inline(ctx, cell)]
    if inline:
        for cell in inline:
            _inline_facts(ctx, cell)
        return
    _column_facts(ctx, row)


def _is_inline(ctx: Context, cell: Cell) -> bool:
    """A label cell with values after colons: it covers value columns or shows a number."""
    matches = list(ctx.spec.funding_inline.finditer(_matchable(ctx, cell.text)))
    if not matches:
        return False
    if ctx.column_of(cell) is not None or len(matches) > 1:
        return True
    return bool(re.match(r"\s*[-—－]?\s*\d", _matchable(ctx, cell.text)[matches[0].end():]))


def _inline_facts(ctx: Context, cell: Cell) -> None:
    text = _matchable(ctx, cell.text)
    for match in ctx.spec.funding_inline.finditer(text):
        written = clean(cell.text[match.start(1):match.end(1)])
        label = ctx.row_lookup("funding", written)
        if label is None:
            continue
        value = inline_value(cell.text, match.end(), ctx.money_unit(None), Kind.AMOUNT, ctx.spec)
        ctx.add_fact(label, cell, value, subject=written, row_label=written, col_label="",
                     measure=ctx.spec.inline_measure, year=ctx.report_year)


def _column_facts(ctx: Context, row: int) -> None:
    written = ctx.row_label(row)
    cells = ctx.value_cells(row)
    if not cells or is_filler(written, ctx.spec):
        return
    label = ctx.row_lookup("funding", written) if written else None
    if label is None and not written and not ctx.state.get("funding_total_seen"):
        label = "funding.total"  # a funding block with one unlabelled data row (Sichuan)
    if label is None:
        return
    ctx.state["funding_total_seen"] = ctx.state.get("funding_total_seen") or label == "funding.total"
    for cell, column in cells:
        if column.spec.measure:
            _funding_measure(ctx, label, written, cell, column)
        elif column.spec.field and label in ctx.spec.funding_field_rows:
            value = parse_for(ctx, column.spec.field, cell.text, column)
            subject = f"{ctx.label_key(written)}{clean(column.header)}"  # 年度资金总额执行率(B/A), not 执行率 alone
            ctx.add_fact(column.spec.field, cell, value, subject=subject, row_label=written,
                         col_label=column.header, year=ctx.report_year)
        elif column.spec.field in ctx.spec.funding_row_rates and not is_null(cell.text, ctx.spec):
            _row_rate(ctx, written, cell, column)


def _row_rate(ctx: Context, written: str, cell: Cell, column: Column) -> None:
    """执行率 of a part row (其中：当年财政拨款 … 100%): the row's own rate, not the block's
    budget.execution_rate, so it stays unlabelled, named by its row (nothing dropped)."""
    value = parse_amount(cell.text, "%", Kind.PERCENT, ctx.spec)
    if value.value is None:
        return
    ctx.add_fact("", cell, value, subject=f"{ctx.label_key(written)}{clean(column.header)}", row_label=written,
                 col_label=column.header, year=ctx.report_year, role=Role.RATE)


def _funding_measure(ctx: Context, label: str, written: str, cell: Cell, column: Column) -> None:
    value = parse_amount(cell.text, ctx.money_unit(column), Kind.AMOUNT, ctx.spec)
    ctx.add_fact(label, cell, value, subject=written or column.header, row_label=written,
                 col_label=column.header, measure=column.spec.measure, year=ctx.report_year)


def goal_row(ctx: Context, row: int) -> None:
    """年度总体目标: the row under 预期目标 | 实际完成情况 (text facts)."""
    if ctx.state.get("goal_done"):
        return
    cells = [(cell, column) for cell, column in ctx.value_cells(row) if column.spec.field]
    if not cells:
        return
    ctx.state["goal_done"] = True
    for cell, column in cells:
        ctx.add_fact(column.spec.field, cell, parse_text(cell.text, ctx.spec), subject=column.header,
                     row_label=ctx.row_label(row), col_label=column.header, year=ctx.report_year)


def _role_text(ctx: Context, row: int, role: str) -> str:
    for col, column in sorted(ctx.columns.items()):
        if column.spec.role == role:
            cell = ctx.grid[row][col]
            return clean(cell.text) if cell is not None else ""
    return ""


def indicator_row(ctx: Context, row: int) -> None:
    first = next((c for c in ctx.row_cells(row) if c.row > ctx.header_end and c.text.strip()), None)
    if first is not None and ctx.label_key(first.text).split("(")[0] in ctx.spec.total_rows:
        _total_row(ctx, row, clean(first.text))
        return
    levels = [_filled(ctx, row, role) for role in ("level1", "level2", "level3")]
    cells = [(cell, column) for cell, column in ctx.value_cells(row) if column.spec.field]
    texts = [levels[2]] + [cell.text for cell, _ in cells]
    if all(is_null(t, ctx.spec) or is_filler(t, ctx.spec) for t in texts):
        return  # an empty or "……" template row
    order = ctx.next_count("indicator_order")
    assert ctx.table is not None
    group = f"ind:{ctx.table.index}:{row}"
    operator, unit = _role_text(ctx, row, "operator"), _role_text(ctx, row, "unit")
    for cell, column in cells:
        value = _indicator_value(ctx, column, cell.text, operator, unit)
        ctx.add_fact(column.spec.field, cell, value, subject=levels[2], row_label="/".join(levels),
                     col_label=column.header, year=ctx.report_year, role=_ROLES.get(column.spec.field, Role.VALUE),
                     group=group, order=order)


_ROLES = {"indicator.target": Role.TARGET, "indicator.actual": Role.ACTUAL}


def _filled(ctx: Context, row: int, role: str) -> str:
    """一级/二级 labels: the covering merged cell, or filled down from the row above when blank."""
    text = _role_text(ctx, row, role)
    if text and not is_filler(text, ctx.spec):
        ctx.state[f"fill_{role}"] = text
        return text
    if role == "level3":
        return text
    return str(ctx.state.get(f"fill_{role}", ""))


def _indicator_value(ctx: Context, column: Column, text: str, operator: str, unit: str) -> CellValue:
    field = column.spec.field
    if field == "indicator.target":
        return parse_indicator(text, ctx.spec, operator, unit)
    if field == "indicator.actual":
        return parse_indicator(text, ctx.spec, "", unit)  # 指标性质 states the target's operator
    if field == "indicator.reason":
        return parse_text(text, ctx.spec)
    if field == "indicator.score_rate":
        return parse_amount(text, column.unit or "%", Kind.PERCENT, ctx.spec)
    return parse_amount(text, "分", Kind.SCORE, ctx.spec)


def _total_row(ctx: Context, row: int, written: str) -> None:
    for cell, column in ctx.value_cells(row):
        label = ctx.spec.total_fields.get(column.spec.field)
        if label:
            value = parse_amount(cell.text, "分", Kind.SCORE, ctx.spec)
            ctx.add_fact(label, cell, value, subject=written, row_label=written, col_label=column.header,
                         year=ctx.report_year)
        elif column.spec.field == "indicator.reason":
            _grade(ctx, cell, written)


def _grade(ctx: Context, cell: Cell, written: str) -> None:
    """自评等级：优 (or a bare grade word) written in the total row."""
    alternation = "|".join(re.escape(g) for g in ctx.spec.grades)
    match = re.search(rf"(?:等级\s*[:：]?\s*)({alternation})|^\s*({alternation})\s*$", cell.text)
    if match is None:
        return
    group = 1 if match.group(1) else 2
    grade = match.group(group)
    value = CellValue(None, "", None, Kind.TEXT, grade, match.start(group), match.end(group), text_value=grade)
    ctx.add_fact("evaluation.grade", cell, value, subject="自评等级", row_label=written, col_label="",
                 year=ctx.report_year)


HANDLERS = {"funding": funding_row, "goal": goal_row, "indicator": indicator_row}
