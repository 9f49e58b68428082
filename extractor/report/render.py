"""The text view printed by `extractor read FILE`: what the tool sees in a document.

Headings with level and section path, paragraphs with block index and [p.N] page
markers, tables drawn as grids: a cell spanning columns is drawn across them, a
position covered by a vertical span shows ↑, a grid position no cell covers shows ·.
Column widths count Chinese characters as two (unicodedata.east_asian_width).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ..model import Block, BlockKind, Cell, Document, Table

MAX_COL_WIDTH = 24
COVERED_V = "↑"
NO_CELL = "·"


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(width - text_width(text), 0)


def wrap(text: str, width: int) -> list[str]:
    """Split on newlines, then cut each line at `width` display columns."""
    lines: list[str] = []
    for raw in text.split("\n") or [""]:
        line, used = "", 0
        for char in raw:
            w = char_width(char)
            if used + w > width and line:
                lines.append(line)
                line, used = "", 0
            line, used = line + char, used + w
        lines.append(line)
    return lines or [""]


def render_document(doc: Document) -> str:
    """The whole document as text, blocks and tables in reading order."""
    out = [_header(doc)]
    out += [f"! [{issue.code}] {issue.message}" for issue in doc.issues]
    tables_after: dict[int, list[Table]] = {}
    for table in doc.tables:
        if table.parent is None:
            tables_after.setdefault(table.after_block, []).append(table)
    nested = [t for t in doc.tables if t.parent is not None]
    for table in tables_after.pop(-1, []):
        out += render_table(table, nested)
    for block in doc.blocks:
        out.append(render_block(block))
        for table in tables_after.pop(block.index, []):
            out += render_table(table, nested)
    for tables in tables_after.values():  # placed after a block that does not exist
        for table in tables:
            out += render_table(table, nested)
    return "\n".join(line.rstrip() for line in out) + "\n"


def _header(doc: Document) -> str:
    parts = [f"== {doc.source}", f"格式 {doc.format.value}", f"页数 {doc.pages if doc.pages else '-'}",
             f"sha256 {doc.sha256[:12]}", f"段落 {len(doc.blocks)}", f"表格 {len(doc.tables)}"]
    if title := doc.metadata.get("title"):
        parts.append(f"标题 {title}")
    return " | ".join(parts)


def render_block(block: Block) -> str:
    page = f"[p.{block.page}] " if block.page else ""
    annex = "[附件] " if block.annex else ""
    if block.kind is BlockKind.HEADING:
        marks, path = "#" * (block.level or 1), " > ".join(block.section)
        return f"\n#{block.index} {page}{annex}{marks} H{block.level} {block.text}    § {path}"
    return f"#{block.index} {page}{annex}{block.text}"


def render_table(table: Table, nested: Sequence[Table] = ()) -> list[str]:
    """Title line, then the grid; nested tables of this table follow, indented."""
    lines = ["", _table_title(table)]
    lines += draw_grid(table)
    for inner in nested:
        if inner.parent is not None and inner.parent[0] == table.index:
            lines += ["    " + line for line in render_table(inner, nested)]
    return lines


def _table_title(table: Table) -> str:
    parts = [f"[表 {table.index}] {table.n_rows}行×{table.n_cols}列"]
    if table.caption:
        parts.append(f"标题 {table.caption}")
    if table.sheet:
        parts.append(f"工作表 {table.sheet}")
    if table.unit_hint:
        parts.append(f"单位 {table.unit_hint}")
    if table.pages:
        parts.append("页 " + ",".join(str(p) for p in table.pages))
    if table.annex:
        parts.append("附件")
    if table.parent:
        parts.append("嵌套于 表{} 第{}行第{}列".format(*table.parent))
    if table.section:
        parts.append("§ " + " > ".join(table.section))
    return " | ".join(parts)


def _column_widths(table: Table) -> list[int]:
    widths = [1] * table.n_cols
    for cell in table.cells:
        if cell.col_span == 1 and cell.col < table.n_cols:
            widths[cell.col] = max(widths[cell.col], min(_longest_line(cell.text), MAX_COL_WIDTH))
    for cell in table.cells:  # a wide spanning cell widens the columns it spans, evenly
        stop = min(cell.col + cell.col_span, table.n_cols)
        if cell.col_span > 1 and stop > cell.col:
            have = _span_width(widths, cell.col, stop)
            need = min(_longest_line(cell.text), MAX_COL_WIDTH * cell.col_span)
            extra, span = max(need - have, 0), stop - cell.col
            for offset in range(span):
                widths[cell.col + offset] += extra // span + (1 if offset < extra % span else 0)
    return widths


def _longest_line(text: str) -> int:
    return max(text_width(line) for line in text.split("\n"))


def _span_width(widths: list[int], start: int, stop: int) -> int:
    return sum(widths[start:stop]) + 3 * (stop - start - 1)


def draw_grid(table: Table) -> list[str]:
    """The table as a text grid, one block of lines per row, row and column numbers shown."""
    if table.n_rows == 0 or table.n_cols == 0:
        return ["  (空表)"]
    widths = _column_widths(table)
    grid = table.grid()
    rule = "    +" + "+".join("-" * (w + 2) for w in widths) + "+"
    head = "    |" + "|".join(" " + pad(str(c), w) + " " for c, w in enumerate(widths)) + "|"
    lines = [rule, head, rule.replace("-", "=")]
    for r in range(table.n_rows):
        lines += _draw_row(r, grid[r], widths)
        lines.append(rule)
    return lines


def _draw_row(r: int, row: list[Cell | None], widths: list[int]) -> list[str]:
    """Segments for one grid row: origin cells (wrapped), ↑ for vertical cover, · for none."""
    segments: list[tuple[int, list[str]]] = []  # (display width, wrapped lines)
    c = 0
    while c < len(widths):
        cell = row[c]
        if cell is None:
            segments.append((widths[c], [NO_CELL]))
            c += 1
            continue
        stop = min(cell.col + cell.col_span, len(widths))
        width = _span_width(widths, c, stop)
        segments.append((width, wrap(cell.text, width) if cell.row == r else [COVERED_V]))
        c = stop
    height = max(len(lines) for _, lines in segments)
    out = []
    for i in range(height):
        label = f"{r:>3} " if i == 0 else "    "
        parts = [" " + pad(lines[i] if i < len(lines) else "", width) + " " for width, lines in segments]
        out.append(label + "|" + "|".join(parts) + "|")
    return out
