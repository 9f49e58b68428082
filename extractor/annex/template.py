"""Template rows left in an annex table: a filler row ("……" where the template leaves room
for more lines) or a row still holding the template's instructions ("（参考提纲）").

Such a row carries no figure, so no block handler gives it a fact; the form check
(form.template_left) still has to see it. It gives one text fact, label template.filler,
value None, text_value the row's text, on its first template cell.
"""

from __future__ import annotations

from ..model import Cell, Kind
from .cells import CellValue, is_filler, is_null, stripped_span
from .context import Context, clean

FILLER_LABEL = "template.filler"
# what the reviewer reads as the fact's subject: the part of the table the row sits in
BLOCK_NAMES = {
    "staff": "财政供养人员情况", "spending": "经费控制情况", "building": "楼堂馆所控制情况",
    "funding": "年度预算申请", "goal": "年度总体目标", "indicator": "绩效指标",
}
STRUCTURAL_ROLES = ("level1", "level2")  # 一级/二级 labels written on a filler row are not data


def _row_cells(ctx: Context, row: int) -> list[Cell]:
    """Cells that start in the row and hold text, 一级/二级 label columns left out."""
    found = []
    for cell in ctx.row_cells(row):
        column = ctx.column_of(cell)
        if cell.row != row or not cell.text.strip():
            continue
        if column is not None and column.spec.role in STRUCTURAL_ROLES:
            continue
        found.append(cell)
    return found


def template_cell(ctx: Context, row: int) -> Cell | None:
    """The cell that makes the row a template row, None for any other row."""
    cells = _row_cells(ctx, row)
    for cell in cells:
        key = ctx.spec.key(cell.text)
        if any(marker in key for marker in ctx.spec.template_markers):
            return cell
    fillers = [c for c in cells if is_filler(c.text, ctx.spec)]
    if fillers and all(is_null(c.text, ctx.spec) or is_filler(c.text, ctx.spec) for c in cells):
        return fillers[0]
    return None


def template_row(ctx: Context, row: int) -> bool:
    """Give the template.filler fact when the row is a template row; True when it was one."""
    cell = template_cell(ctx, row)
    if cell is None:
        return False
    shown = [c for c in _row_cells(ctx, row) if is_filler(c.text, ctx.spec) or not is_null(c.text, ctx.spec)]
    text = " ".join(clean(c.text) for c in shown)  # the "—" of empty cells says nothing
    start, end = stripped_span(cell.text)
    value = CellValue(None, "", None, Kind.TEXT, cell.text[start:end], start, end, text_value=text)
    ctx.add_fact(FILLER_LABEL, cell, value, subject=BLOCK_NAMES.get(ctx.block or "", "附表"), row_label=text,
                 col_label="", year=ctx.report_year)
    return True
