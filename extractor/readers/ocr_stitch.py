"""A ruled table that goes on over a page break in a scan, stitched into one, as the
text-PDF reader does (readers.pdf_tables): the part on the next page continues the table
when its outer edges are the previous part's and one part's column lines are a subset of
the other's (a page may lack the rows that split a column); both are then put on the union
of the column lines, header rows the next page repeats are dropped, and a row cut by the
break (text on the next page only below cells of the last row that have text, and not below
all of them) is joined into the last row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .ocr_tables import GridTable

if TYPE_CHECKING:
    from .ocr_layout import Piece

EDGE_TOLERANCE = 12  # pixels (2 mm at 150 dpi): the same column line on two scanned pages


@dataclass(slots=True)
class DraftCell:
    row: int
    col: int
    row_span: int
    col_span: int
    page: int
    piece: Piece  # its characters in reading order, from every page it is on


@dataclass(slots=True)
class TableDraft:
    col_x: list[int]  # the column lines, pixels, left edge first, right edge last
    pages: list[int]
    cells: list[DraftCell] = field(default_factory=list)
    n_rows: int = 0
    after_block: int = -1

    @property
    def n_cols(self) -> int:
        return len(self.col_x) - 1

    def owner(self, row: int, col: int) -> DraftCell | None:
        """The cell that covers grid position (row, col)."""
        return next((c for c in self.cells if c.col <= col < c.col + c.col_span
                     and c.row <= row < c.row + c.row_span), None)

    def row_texts(self, row: int) -> dict[int, str]:
        return {c.col: _text(c.piece) for c in self.cells if c.row == row}


def new_draft(grid: GridTable, pieces: dict[tuple[int, int], Piece], page: int, after_block: int = -1) -> TableDraft:
    col_x = [0] * (grid.n_cols + 1)
    for cell in grid.cells:
        col_x[cell.col], col_x[cell.col + cell.col_span] = cell.box[0], cell.box[2]
    cells = [DraftCell(c.row, c.col, c.row_span, c.col_span, page, pieces[(c.row, c.col)]) for c in grid.cells]
    return TableDraft(col_x, [page], cells, grid.n_rows, after_block)


def continues(draft: TableDraft, part: TableDraft) -> bool:
    if part.pages[0] != draft.pages[-1] + 1:
        return False
    same_edges = all(abs(a - b) <= EDGE_TOLERANCE for a, b in ((draft.col_x[0], part.col_x[0]),
                                                               (draft.col_x[-1], part.col_x[-1])))
    small, big = sorted((draft.col_x, part.col_x), key=len)
    return same_edges and all(_near(x, big) for x in small)


def stitch(draft: TableDraft, part: TableDraft) -> None:
    """Append `part` (the table continued on the next page) to `draft` in place."""
    if len(draft.col_x) != len(part.col_x):
        union = sorted([*draft.col_x, *(x for x in part.col_x if not _near(x, draft.col_x))])
        _remap(draft, union)
        _remap(part, union)
    header = _repeated_header_rows(draft, part)
    joined = _is_split_row(draft, part, header)
    offset = draft.n_rows - header - (1 if joined else 0)
    last = draft.n_rows - 1
    for cell in sorted(part.cells, key=lambda c: (c.row, c.col)):
        if cell.row < header:
            continue
        owner = draft.owner(last, cell.col) if cell.row == header else None
        if owner is not None and (joined or _continues_merge(owner, cell, last)):
            owner.piece.chars.extend(cell.piece.chars)
            owner.piece.unread_ink |= cell.piece.unread_ink
            owner.row_span += cell.row_span - 1 if joined else cell.row_span
            continue
        cell.row += offset
        draft.cells.append(cell)
    draft.n_rows = part.n_rows + offset
    draft.pages.append(part.pages[0])
    draft.cells.sort(key=lambda c: (c.row, c.col))


def _near(x: int, edges: list[int]) -> bool:
    return any(abs(x - edge) <= EDGE_TOLERANCE for edge in edges)


def _remap(draft: TableDraft, col_x: list[int]) -> None:
    """Re-index the draft's cells onto a finer set of column lines."""
    def nearest(x: int) -> int:
        return min(range(len(col_x)), key=lambda i: abs(col_x[i] - x))

    for cell in draft.cells:
        start, end = nearest(draft.col_x[cell.col]), nearest(draft.col_x[cell.col + cell.col_span])
        cell.col, cell.col_span = start, max(1, end - start)
    draft.col_x = list(col_x)


def _repeated_header_rows(draft: TableDraft, part: TableDraft) -> int:
    count = 0
    while count < min(draft.n_rows, part.n_rows - 1) and draft.row_texts(count) == part.row_texts(count):
        count += 1
    return count


def _is_split_row(draft: TableDraft, part: TableDraft, row: int) -> bool:
    if row >= part.n_rows:
        return False
    above = draft.row_texts(draft.n_rows - 1)
    below = part.row_texts(row)
    if not any(below.values()) or any(text and not above.get(col) for col, text in below.items()):
        return False
    return any(text and not below.get(col) for col, text in above.items())


def _continues_merge(owner: DraftCell, cell: DraftCell, last: int) -> bool:
    """An empty box under a vertically merged cell that ran to the page end is its rest."""
    return not _text(cell.piece) and owner.row < last and (owner.col, owner.col_span) == (cell.col, cell.col_span)


def _text(piece: Piece) -> str:
    return piece.text().replace(" ", "")
