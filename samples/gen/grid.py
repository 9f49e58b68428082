"""An annex table as a grid of origin cells (row, col, spans, text, figures), rendered
identically into a DOCX table and an XLSX sheet, so the truth addresses both."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .ooxml import BODY_FONT, add_text, set_run_font

XLSX_FIRST_ROW = 4  # rows 1-3 hold the caption lines
TEXT_WIDTH_CM = 15.4


@dataclass
class GridCell:
    row: int
    col: int
    text: str
    rs: int = 1
    cs: int = 1
    figures: list[dict] = field(default_factory=list)
    bold: bool = False
    numeric: bool = False  # the whole text is one number (XLSX writes it as a number)


@dataclass
class Grid:
    part: str  # annex1 / annex2
    n_cols: int
    captions: list[str]
    cells: list[GridCell] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return max(c.row + c.rs for c in self.cells)

    def put(
        self,
        row: int,
        col: int,
        text: str,
        rs: int = 1,
        cs: int = 1,
        *,
        fig: dict | None = None,
        figs: list[dict] | None = None,
        bold: bool = False,
    ) -> GridCell:
        figures = ([fig] if fig else []) + (figs or [])
        for record in figures:
            assert record["raw"] in text, (record["raw"], text)
        numeric = bool(fig) and not figs and fig["raw"] == text and fig["value"] is not None
        cell = GridCell(row, col, text, rs, cs, figures, bold, numeric)
        self.cells.append(cell)
        return cell

    def label_of(self, row: int, col: int) -> str:
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.rs and cell.col <= col < cell.col + cell.cs:
                return cell.text
        return ""


def render_docx(doc, grid: Grid, size: float = 9) -> int:
    """Caption paragraphs then the table; returns the table's index in doc.tables."""
    for i, line in enumerate(grid.captions):
        align = "right" if line.startswith("单位") else ("center" if i else None)
        add_text(doc, line, size=12 if i == 1 else 11, bold=i == 1, indent=False, align=align)
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    weights = grid.widths or [1] * grid.n_cols
    for row in table.rows:
        for cell, weight in zip(row.cells, weights):
            cell.width = Cm(TEXT_WIDTH_CM * weight / sum(weights))
    for cell in grid.cells:
        target = table.cell(cell.row, cell.col)
        if cell.rs > 1 or cell.cs > 1:
            target = target.merge(table.cell(cell.row + cell.rs - 1, cell.col + cell.cs - 1))
        para = target.paragraphs[0]
        run = para.add_run(cell.text)
        set_run_font(run, BODY_FONT, size, cell.bold or None)
        para.paragraph_format.space_after = Pt(0)
    return len(doc.tables) - 1


def xlsx_number(record: dict) -> tuple[Decimal, str]:
    value = Decimal(record["raw"].replace(",", "").rstrip("%"))
    places = record["raw"].split(".")[1].rstrip("%") if "." in record["raw"] else ""
    fmt = "0." + "0" * len(places) if places else "0"
    if record["raw"].endswith("%"):
        return value / 100, fmt + "%"
    return value, fmt


def render_sheet(ws, grid: Grid) -> None:
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for i, line in enumerate(grid.captions):
        ws.cell(i + 1, 1, line).font = Font(name=BODY_FONT, bold=i == 1, size=12 if i == 1 else 10)
        if i == 1:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=grid.n_cols)
            ws.cell(2, 1).alignment = Alignment(horizontal="center")
    for cell in grid.cells:
        row, col = cell.row + XLSX_FIRST_ROW, cell.col + 1
        target = ws.cell(row, col)
        if cell.numeric:
            target.value, target.number_format = xlsx_number(cell.figures[0])
        else:
            target.value = cell.text
        target.font = Font(name=BODY_FONT, size=10, bold=cell.bold)
        target.alignment = Alignment(wrap_text=True, vertical="center")
        if cell.rs > 1 or cell.cs > 1:
            ws.merge_cells(
                start_row=row, start_column=col, end_row=row + cell.rs - 1, end_column=col + cell.cs - 1
            )
    for r in range(grid.n_rows):
        for c in range(grid.n_cols):
            ws.cell(r + XLSX_FIRST_ROW, c + 1).border = border
    for c, width in enumerate(grid.widths or [14] * grid.n_cols):
        ws.column_dimensions[get_column_letter(c + 1)].width = width


def xlsx_address(cell: GridCell) -> str:
    return f"{get_column_letter(cell.col + 1)}{cell.row + XLSX_FIRST_ROW}"
