"""PDF tables from ruling lines: grids with spans taken from the cell boxes, cell text
joined with the paragraph wrap rules, and a table continued on the next page stitched
into one (repeated header rows dropped, a row split by the page break joined).

A row cut by the page break is told from a new row under a merged cell that starts at the
page foot by the cells' last lines on the page before (TextEnds): only a cell whose text
ended in a full, wrapped line can run on; the empty boxes atop the next page under such a
merged cell are its rest.

pdfplumber marks both a merged-over position and a position with no cell at all
(gridBefore) as None, while a truly empty cell is a box with no text; so spans come from
each box's extent over the distinct column x0s and row tops, never from None patterns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import BBox, Cell
from .pdf_text import Char, Line, cell_text, chars_to_lines, ended_short, glues_figures, join_wrapped

DEFAULT_EDGE_TOLERANCE = 1.0  # pt: a box edge within this of a grid line ends there
DEFAULT_STITCH_TOLERANCE = 2.0  # pt: column positions that match across a page break
WRAP_INDENT_RATIO = 2.0  # a wrapped line starts within this many sizes of the cell's inner left


@dataclass(frozen=True, slots=True)
class TextEnds:
    """A cell's first and last line and its inner left and right edges (the padding off)."""

    first: Line
    last: Line
    left: float
    right: float

    def runs_on(self, below: TextEnds) -> bool:
        """Whether the text may run on into `below` (the same cell cut by a page break): its
        last line is a wrapped one, from the inner left to the inner right edge, not a short
        last line, a centred or a right-aligned one."""
        last = self.last
        return last.x0 - self.left <= WRAP_INDENT_RATIO * last.size and not ended_short(last, below.first, self.right)


@dataclass(slots=True)
class TableDraft:
    """One table, possibly stitched from parts on consecutive pages."""

    pages: list[int]
    bbox: BBox  # on the first page, for reading order
    last_bbox: BBox  # on the last page, for stitching
    col_x: list[float]
    n_rows: int
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # origin -> cell
    ends: dict[tuple[int, int], TextEnds] = field(default_factory=dict)  # origin -> its text's lines

    @property
    def n_cols(self) -> int:
        return len(self.col_x)

    def owner(self, row: int, col: int) -> Cell | None:
        """The origin cell covering a grid position."""
        for cell in self.cells.values():
            if cell.row <= row < cell.row + cell.row_span and cell.col <= col < cell.col + cell.col_span:
                return cell
        return None

    def row_texts(self, row: int) -> list[str | None]:
        return [self.cells[(row, col)].text if (row, col) in self.cells else None
                for col in range(self.n_cols)]

    def ordered_cells(self) -> tuple[Cell, ...]:
        return tuple(self.cells[key] for key in sorted(self.cells))


def _count_within(edges: Sequence[float], start: float, end: float) -> int:
    return sum(1 for edge in edges if start - DEFAULT_EDGE_TOLERANCE <= edge < end - DEFAULT_EDGE_TOLERANCE)


def outer_bbox(boxes: Sequence[BBox]) -> BBox:
    """The box around all of a table's cell boxes."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def boxes_to_draft(boxes: Sequence[BBox], chars: Iterable[Char], page: int, clean: Any) -> TableDraft:
    """One page's table from its cell boxes and the chars inside it; `clean` normalises text."""
    col_x = sorted({box[0] for box in boxes})
    row_top = sorted({box[1] for box in boxes})
    origins: dict[tuple[int, int], BBox] = {}
    spans: dict[tuple[int, int], tuple[int, int]] = {}  # origin -> (row_span, col_span)
    owner_of: dict[tuple[int, int], tuple[int, int]] = {}
    for box in boxes:
        key = (row_top.index(box[1]), col_x.index(box[0]))
        origins[key] = box
        rows = max(_count_within(row_top, box[1], box[3]), 1)
        cols = max(_count_within(col_x, box[0], box[2]), 1)
        spans[key] = rows, cols
        for r in range(key[0], key[0] + rows):
            for c in range(key[1], key[1] + cols):
                owner_of[(r, c)] = key
    lines = _cell_lines(chars, col_x, row_top, owner_of, page)
    cells = {key: Cell(key[0], key[1], clean(cell_text(lines.get(key, []), origins[key])), *spans[key], page)
             for key in origins}
    bbox = outer_bbox(boxes)
    return TableDraft([page], bbox, bbox, col_x, len(row_top), cells, _text_ends(lines, origins))


def _cell_lines(chars: Iterable[Char], col_x: list[float], row_top: list[float],
                owner_of: dict[tuple[int, int], tuple[int, int]], page: int) -> dict[tuple[int, int], list[Line]]:
    by_cell: dict[tuple[int, int], list[Char]] = {}
    for ch in chars:
        row = bisect_right(row_top, (ch["top"] + ch["bottom"]) / 2) - 1
        col = bisect_right(col_x, (ch["x0"] + ch["x1"]) / 2) - 1
        key = owner_of.get((row, col))
        if key is not None:
            by_cell.setdefault(key, []).append(ch)
    return {key: chars_to_lines(group, page) for key, group in by_cell.items()}


def _text_ends(lines: dict[tuple[int, int], list[Line]], origins: dict[tuple[int, int], BBox]
               ) -> dict[tuple[int, int], TextEnds]:
    """Each cell's TextEnds; the padding is the table's (the least gap between a cell's left
    edge and its text, at most one text size), as a centred line says nothing of it."""
    if not lines:
        return {}
    padding = min(min(line.x0 for line in group) - origins[key][0] for key, group in lines.items())
    ends = {}
    for key, group in lines.items():
        pad = max(0.0, min(padding, group[0].size))
        ends[key] = TextEnds(group[0], group[-1], origins[key][0] + pad, origins[key][2] - pad)
    return ends


def continues(draft: TableDraft, part: TableDraft) -> bool:
    """On the next page, with the same outer edges, and one part's column positions a
    subset of the other's (a page may lack the rows that split a column)."""
    if part.pages[0] != draft.pages[-1] + 1:
        return False
    same_edges = all(abs(a - b) <= DEFAULT_STITCH_TOLERANCE
                     for a, b in ((draft.last_bbox[0], part.bbox[0]), (draft.last_bbox[2], part.bbox[2])))
    small, big = sorted((draft.col_x, part.col_x), key=len)
    return same_edges and all(_near(x, big) for x in small)


def _near(x: float, edges: Sequence[float]) -> bool:
    return any(abs(x - edge) <= DEFAULT_STITCH_TOLERANCE for edge in edges)


def _column_union(a: Sequence[float], b: Sequence[float]) -> list[float]:
    return sorted([*a, *(x for x in b if not _near(x, a))])


def _remap_columns(draft: TableDraft, col_x: list[float], right: float) -> None:
    """Re-index the draft's cells onto a finer set of column positions."""
    edges = [*draft.col_x, right]
    cells = {}
    ends = {}
    for (row, col), cell in draft.cells.items():
        start, end = edges[col], edges[col + cell.col_span]
        new_col = min(range(len(col_x)), key=lambda i: abs(col_x[i] - start))
        cells[(row, new_col)] = replace(cell, col=new_col, col_span=max(_count_within(col_x, start, end), 1))
        if (row, col) in draft.ends:
            ends[(row, new_col)] = draft.ends[(row, col)]
    draft.cells, draft.col_x, draft.ends = cells, col_x, ends


def repeated_header_rows(draft: TableDraft, part: TableDraft) -> int:
    """How many leading rows of `part` repeat the draft's leading rows."""
    count = 0
    while count < min(draft.n_rows, part.n_rows - 1) and draft.row_texts(count) == part.row_texts(count):
        count += 1
    return count


def is_split_row(draft: TableDraft, part: TableDraft, row: int) -> bool:
    """The part's first body row continues the draft's last row (cut by the page break): it
    has text only below cells of that row that have text, at least one of those ran on
    (ended in a wrapped line, see TextEnds.runs_on), and either all did or some cell of the
    row that has text is empty below and is no merged cell's rest (a short value that fitted
    before the break). A new row atop the page has text only below cells that ended short
    ("1.20" over "0.80", "培训人次" over "新建服务站"), so it stays a row."""
    if row >= part.n_rows:
        return False
    last = draft.n_rows - 1
    above = {col: cell for (r, col), cell in draft.cells.items() if r == last and cell.text}
    below = {col: cell for (r, col), cell in part.cells.items() if r == row}
    written = [col for col, cell in below.items() if cell.text]
    if not written or any(col not in above for col in written):
        return False
    running = [col for col in written if _runs_on(draft, part, (last, col), (row, col))]
    if not running:
        return False
    if len(running) == len(written):
        return True
    return any(col not in below or (not below[col].text and not _continues_merge(draft, part, cell, below[col], last))
               for col, cell in above.items())


def _runs_on(draft: TableDraft, part: TableDraft, key: tuple[int, int], below: tuple[int, int]) -> bool:
    ends, more = draft.ends.get(key), part.ends.get(below)
    return ends is not None and more is not None and ends.runs_on(more)


def stitch(draft: TableDraft, part: TableDraft) -> None:
    """Append `part` (the same table continued on the next page) to `draft` in place."""
    if draft.col_x != part.col_x:
        union = _column_union(draft.col_x, part.col_x)
        _remap_columns(draft, union, draft.last_bbox[2])
        _remap_columns(part, union, part.bbox[2])
    header = repeated_header_rows(draft, part)
    joined = is_split_row(draft, part, header)
    offset = draft.n_rows - header - (1 if joined else 0)
    last = draft.n_rows - 1
    for (row, col), cell in sorted(part.cells.items()):
        if row < header:
            continue
        owner = draft.owner(last, col) if row == header else None
        if owner is not None and (joined or _continues_merge(draft, part, owner, cell, last)):
            _extend(draft, owner, cell, part.ends.get((row, col)), cell.row_span - 1 if joined else cell.row_span)
            continue
        draft.cells[(row + offset, col)] = replace(cell, row=row + offset)
        if (row, col) in part.ends:
            draft.ends[(row + offset, col)] = part.ends[(row, col)]
    draft.n_rows = part.n_rows + offset
    draft.pages.append(part.pages[0])
    draft.last_bbox = part.bbox


def _extend(draft: TableDraft, owner: Cell, cell: Cell, more: TextEnds | None, extra_rows: int) -> None:
    """The draft's cell `owner` run on into `cell` on the next page: texts joined as wrapped
    lines, or on two lines where the first stopped short or two figures would glue."""
    key = (owner.row, owner.col)
    ends = draft.ends.get(key)
    text = owner.text
    if cell.text and more is not None:
        hard = ends is not None and (glues_figures(ends.last, more.first, ends.right) or not ends.runs_on(more))
        text = f"{text}\n{cell.text}" if hard else join_wrapped(text, cell.text)
        draft.ends[key] = replace(ends, last=more.last) if ends is not None else more
    draft.cells[key] = replace(owner, text=text, row_span=owner.row_span + extra_rows)


def _continues_merge(draft: TableDraft, part: TableDraft, owner: Cell, cell: Cell, last: int) -> bool:
    """An empty box atop the next page under a vertically merged cell is its rest: one that
    ran to the page end over two rows or more; or one that starts in the last row, when the
    box spans rows or its column holds merged cells elsewhere (一级指标, 二级指标)."""
    if cell.text or (owner.col, owner.col_span) != (cell.col, cell.col_span):
        return False
    if owner.row < last:
        return True
    return bool(owner.text) and (cell.row_span > 1 or any(
        other.row_span > 1 and other.col == owner.col for other in (*draft.cells.values(), *part.cells.values())))
