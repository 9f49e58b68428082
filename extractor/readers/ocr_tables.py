"""Tables of a page image rebuilt from its ruling lines: grid lines, then cells with spans.

A ruling line is a run of ink much longer than any glyph. The horizontal and vertical
lines that cross each other form one table; its grid is every line position, and two
neighbouring grid cells belong to one (merged) cell when no ruling separates them.
Reading figures per cell, not per detected text line, keeps a figure that wraps inside a
narrow cell whole ("1234." over "56" is 1234.56, not two numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RULE_LEVEL = 200  # grey below which a pixel may belong to a ruling line (lines blur to grey)
CLOSE_GAP = 2  # pixels of break along a line that still count as one line
MIN_LINE = 60  # pixels (~10 mm at 150 dpi): longer than any glyph stroke
ROW_RULE_SHARE = 0.25  # a row rule spans this share of the table at least (a run of text strokes never does)
MERGE_GAP = 6  # pixels: rows/columns of a thick or doubled line
RULE_WIDTH = 3  # pixels: how far a ruling line may wander along one cell side
COVER = 0.8  # share of a table side that must be ink (in one straight pixel line) for a frame
SEPARATOR_COVER = 0.96  # share of a separator segment, rule to rule, that must be ink to part two cells
SEPARATOR_MARGIN = 2  # pixels of the segment next to the crossing rules left out (a rule's own thickness)


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels


@dataclass(frozen=True, slots=True)
class GridTable:
    box: tuple[int, int, int, int]
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]  # row-major, origin cells only


def long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """Pixels on a horizontal run of ink at least `length` long."""
    height, width = ink.shape
    if width < length:
        return np.zeros_like(ink)
    sums = np.concatenate([np.zeros((height, 1), np.int32), np.cumsum(ink, axis=1, dtype=np.int32)], axis=1)
    full = (sums[:, length:] - sums[:, :-length]) == length  # window starting at x is all ink
    starts = np.concatenate([full, np.zeros((height, length - 1), bool)], axis=1).astype(np.int32)
    cover = np.cumsum(starts, axis=1)
    shifted = np.concatenate([np.zeros((height, length), np.int32), cover[:, :-length]], axis=1)
    return (cover - shifted) > 0


def close_gaps(ink: np.ndarray, axis: int, gap: int = CLOSE_GAP) -> np.ndarray:
    """Ink widened by `gap` pixels along one axis: a ruling line broken by scan noise is whole again."""
    out = ink.copy()
    for shift in range(1, gap + 1):
        if axis == 1:
            out[:, shift:] |= ink[:, :-shift]
            out[:, :-shift] |= ink[:, shift:]
        else:
            out[shift:, :] |= ink[:-shift, :]
            out[:-shift, :] |= ink[shift:, :]
    return out


def ruling_masks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pixels on horizontal and vertical ruling lines, and the gap-closed ink they were found in."""
    along_x, along_y = close_gaps(ink, 1), close_gaps(ink, 0)
    return long_runs(along_x, MIN_LINE), long_runs(along_y.T, MIN_LINE).T, along_x, along_y


def _positions(profile: np.ndarray, minimum: int) -> list[int]:
    """Centres of the bands where the profile reaches `minimum` (a thick line counts once)."""
    hits = np.flatnonzero(profile >= minimum)
    bands: list[list[int]] = []
    for i in hits:
        if bands and i - bands[-1][-1] <= MERGE_GAP:
            bands[-1].append(int(i))
        else:
            bands.append([int(i)])
    return [round(sum(b) / len(b)) for b in bands]


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of the connected groups of ruling pixels (coarse, on 8-pixel tiles)."""
    tile = 8
    h, w = mask.shape
    grid = mask[: h - h % tile or h, : w - w % tile or w]
    gh, gw = grid.shape[0] // tile, grid.shape[1] // tile
    if gh == 0 or gw == 0:
        return []
    coarse = grid[: gh * tile, : gw * tile].reshape(gh, tile, gw, tile).any(axis=(1, 3))
    seen = np.zeros_like(coarse)
    boxes = []
    for y, x in zip(*np.nonzero(coarse)):
        if seen[y, x]:
            continue
        stack, ys, xs = [(y, x)], [], []
        seen[y, x] = True
        while stack:
            cy, cx = stack.pop()
            ys.append(cy)
            xs.append(cx)
            for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                if 0 <= ny < gh and 0 <= nx < gw and coarse[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        boxes.append((min(xs) * tile, min(ys) * tile, (max(xs) + 1) * tile, (max(ys) + 1) * tile))
    return boxes


def find_tables(gray: np.ndarray) -> tuple[list[GridTable], np.ndarray, np.ndarray]:
    """The page's ruled tables; the pixels of their grid lines, widened a little (erased before
    recognition); and every long run of ink (never counted as unread ink). Runs that are not
    grid lines (a bold line of text, an underline) are not erased."""
    horizontal, vertical, along_x, along_y = ruling_masks(gray < RULE_LEVEL)
    runs = horizontal | vertical
    grid_lines = np.zeros_like(runs)
    tables = []
    for x0, y0, x1, y1 in _components(runs):
        window = (slice(y0, y1), slice(x0, x1))
        table = _grid_table(along_x[window], along_y[window], horizontal[window], vertical[window], (x0, y0))
        if table is not None:
            tables.append(table)
            _mark_grid(grid_lines, table, horizontal, vertical)
    tables.sort(key=lambda t: (t.box[1], t.box[0]))
    return tables, close_gaps(close_gaps(grid_lines, 0), 1), close_gaps(close_gaps(runs, 0), 1)


def _mark_grid(out: np.ndarray, table: GridTable, horizontal: np.ndarray, vertical: np.ndarray) -> None:
    x0, y0, x1, y1 = table.box
    lo_y, lo_x = max(0, y0 - MERGE_GAP), max(0, x0 - MERGE_GAP)
    for y in {c.box[1] for c in table.cells} | {c.box[3] for c in table.cells}:
        band = (slice(max(0, y - MERGE_GAP), y + MERGE_GAP + 1), slice(lo_x, x1 + MERGE_GAP + 1))
        out[band] |= horizontal[band]
    for x in {c.box[0] for c in table.cells} | {c.box[2] for c in table.cells}:
        band = (slice(lo_y, y1 + MERGE_GAP + 1), slice(max(0, x - MERGE_GAP), x + MERGE_GAP + 1))
        out[band] |= vertical[band]


def _grid_table(along_x: np.ndarray, along_y: np.ndarray, horizontal: np.ndarray, vertical: np.ndarray,
                origin: tuple[int, int]) -> GridTable | None:
    ys = _positions(horizontal.sum(axis=1), max(MIN_LINE, int(ROW_RULE_SHARE * horizontal.shape[1])))
    xs = _positions(vertical.sum(axis=0), MIN_LINE)
    if len(ys) < 2 or len(xs) < 2 or not _framed(along_x, along_y, ys, xs):
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]

    def find(rc: tuple[int, int]) -> tuple[int, int]:
        while owner[rc[0]][rc[1]] != rc:
            rc = owner[rc[0]][rc[1]]
        return rc

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            keep, drop = min(ra, rb), max(ra, rb)
            owner[drop[0]][drop[1]] = keep

    for r in range(n_rows):
        for c in range(n_cols - 1):  # the vertical rule between (r, c) and (r, c+1)
            if not _ruled(along_y[ys[r] + SEPARATOR_MARGIN:ys[r + 1] - SEPARATOR_MARGIN, :], xs[c + 1], 1,
                          SEPARATOR_COVER):
                union((r, c), (r, c + 1))
    for r in range(n_rows - 1):
        for c in range(n_cols):
            if not _ruled(along_x[:, xs[c] + SEPARATOR_MARGIN:xs[c + 1] - SEPARATOR_MARGIN], ys[r + 1], 0,
                          SEPARATOR_COVER):
                union((r, c), (r + 1, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find((r, c)), []).append((r, c))
    ox, oy = origin
    cells = []
    for members in groups.values():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        box = (ox + xs[c0], oy + ys[r0], ox + xs[c1 + 1], oy + ys[r1 + 1])
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    if len(cells) < 2:
        return None
    return GridTable((ox + xs[0], oy + ys[0], ox + xs[-1], oy + ys[-1]), n_rows, n_cols, tuple(cells))


def _framed(along_x: np.ndarray, along_y: np.ndarray, ys: list[int], xs: list[int]) -> bool:
    """A ruled table has its four sides drawn (large glyph strokes meeting by chance do not)."""
    inner_x, inner_y = along_x[:, xs[0]:xs[-1]], along_y[ys[0]:ys[-1], :]
    return all((_ruled(inner_x, ys[0], axis=0), _ruled(inner_x, ys[-1], axis=0),
                _ruled(inner_y, xs[0], axis=1), _ruled(inner_y, xs[-1], axis=1)))


def _ruled(band: np.ndarray, at: int, axis: int, cover: float = COVER) -> bool:
    """Whether a ruling line crosses `band` near position `at` (a column when axis=1, a row
    when 0): a strip RULE_WIDTH pixels wide, near `at`, with ink across `cover` of the band
    (a line slightly slanted or split over two pixel rows still counts). Between two cells the
    band runs from rule to rule and must be nearly all ink: a line of text that happens to sit
    where a column line is elsewhere in the table fills its height but never the cell padding."""
    lo, hi = max(0, at - MERGE_GAP), at + MERGE_GAP + 1
    strip = band[:, lo:hi] if axis == 1 else band[lo:hi, :].T
    if strip.shape[0] == 0 or strip.shape[1] == 0:
        return True
    best = 0.0
    for start in range(max(1, strip.shape[1] - RULE_WIDTH + 1)):
        best = max(best, float(strip[:, start:start + RULE_WIDTH].any(axis=1).mean()))
    return best >= cover
