"""Write reports and annexes to DOCX/XLSX, and place every figure: file plus where."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from .grid import Grid, GridCell, render_docx, render_sheet, xlsx_address
from .ooxml import HEAD_FONT, add_text, new_document, save_docx, save_xlsx
from .record import Paragraph

BODY = 16


def add_block(doc, kind: str, text: str) -> None:
    if kind == "title":
        add_text(doc, text, size=22, bold=True, indent=False, align="center")
    elif kind == "heading":
        add_text(doc, text, size=BODY, bold=True, font=HEAD_FONT)
    elif kind == "subheading":
        add_text(doc, text, size=BODY, bold=True)
    elif kind in ("cover", "plain"):
        add_text(doc, text, size=BODY, indent=False)
    elif kind == "date":
        add_text(doc, text, size=BODY, indent=False, align="right")
    else:
        add_text(doc, text, size=BODY)


def write_blocks(doc, blocks: list[tuple[str, Paragraph | str]], file: str) -> list[dict]:
    placed = []
    for kind, block in blocks:
        index = len(doc.paragraphs)
        para = block if isinstance(block, Paragraph) else Paragraph([block])
        add_block(doc, kind, para.content)
        for record in para.figures:
            clean = {k: v for k, v in record.items() if k != "char"}
            where = {"part": "narrative", "paragraph": index, "char": record["char"]}
            placed.append({**clean, "file": file, "where": where})
    return placed


def column_label(grid: Grid, cell: GridCell) -> str:
    if len(cell.figures) > 1:
        return ""
    for row in range(cell.row - 1, -1, -1):
        for other in grid.cells:
            covers = other.row == row and other.col <= cell.col < other.col + other.cs
            if covers and other.text and not other.figures and other.text not in ("—", "……"):
                return other.text
    return ""


def row_label(grid: Grid, cell: GridCell) -> str:
    col = 0 if grid.part in ("annex1", "funding_table") else 1
    if cell.col <= col:
        return ""
    text = grid.label_of(cell.row, col)
    return text


def place_grid(grid: Grid, file: str, *, table: int | None = None, sheet: str | None = None) -> list[dict]:
    placed = []
    for cell in grid.cells:
        for record in cell.figures:
            where = {
                "part": grid.part,
                "row": cell.row,
                "col": cell.col,
                "row_label": record.get("row_label") or row_label(grid, cell),
                "col_label": column_label(grid, cell),
            }
            if table is not None:
                where["table"] = table
            if sheet is not None:
                where["sheet"], where["cell"] = sheet, xlsx_address(cell)
            clean = {k: v for k, v in record.items() if k != "row_label"}
            placed.append({**clean, "file": file, "where": where})
    return placed


def write_report_docx(path: Path, file: str, blocks, grids: list[Grid], annex_blocks=(),
                      page_breaks: bool = True) -> list[dict]:
    """Narrative blocks, then (annexes inside) each grid after its caption lines."""
    doc = new_document(BODY)
    placed = write_blocks(doc, blocks, file)
    for grid in grids:
        if page_breaks:
            doc.add_page_break()
        table = render_docx(doc, grid)
        placed += place_grid(grid, file, table=table)
    save_docx(doc, path)
    return placed


def write_annex_docx(path: Path, file: str, grids: list[Grid]) -> list[dict]:
    doc = new_document(12)
    placed = []
    for i, grid in enumerate(grids):
        if i:
            doc.add_page_break()
        table = render_docx(doc, grid)
        placed += place_grid(grid, file, table=table)
    save_docx(doc, path)
    return placed


def write_annex_xlsx(path: Path, file: str, grids: list[Grid], sheet_names: list[str]) -> list[dict]:
    workbook = Workbook()
    workbook.remove(workbook.active)
    placed = []
    for grid, name in zip(grids, sheet_names):
        ws = workbook.create_sheet(name)
        render_sheet(ws, grid)
        placed += place_grid(grid, file, sheet=name)
    save_xlsx(workbook, path)
    return placed


def relocate(placed: list[dict], file: str) -> list[dict]:
    """The same figures in a PDF exported from the DOCX: same where, without DOCX table/XLSX keys."""
    out = []
    for record in placed:
        where = {k: v for k, v in record["where"].items() if k not in ("table", "sheet", "cell")}
        out.append({**record, "file": file, "where": where})
    return out
