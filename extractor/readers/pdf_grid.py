"""Table cell boxes from a page's ruling edges: pdfplumber's "lines" table finder, ported
to plain tuples so the reader needs neither pdfplumber nor pdfminer.

The steps and tolerances are pdfplumber 0.11's defaults, float operations included (they
decide which edges meet): edges shorter than 1 pt dropped; edges within 3 pt snapped to
their mean position; collinear edges within 3 pt joined; edges shorter than 3 pt dropped;
intersections within 3 pt; the smallest cell at each intersection; cells sharing a corner
grouped into a table; tables of one cell dropped. tests/test_pdf_pdfium.py checks the port
against pdfplumber's own functions.

The reader adds one step of its own (ruled_tables): a table cut by a page break may be
drawn open there, its column rules running to the page's top or foot with no rule across
them; the missing rule is drawn in, so the rows at the break are cells, not loose text.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from ..model import BBox
from .pdf_paths import Edge

SNAP_TOLERANCE = 3.0
JOIN_TOLERANCE = 3.0
EDGE_MIN_LENGTH = 3.0
EDGE_MIN_LENGTH_PREFILTER = 1.0
INTERSECTION_TOLERANCE = 3.0

Point = tuple[float, float]


def _length(edge: Edge) -> float:
    return edge[4] - edge[2] if edge[0] == "v" else edge[3] - edge[1]


def _snap(edges: list[Edge], orientation: str) -> list[Edge]:
    """Edges of one orientation moved onto the mean position of their cluster."""
    at = 1 if orientation == "v" else 2  # x0 for vertical edges, top for horizontal ones
    values = sorted({edge[at] for edge in edges})
    cluster_of: dict[float, int] = {}
    cluster, last = 0, None
    for value in values:
        if last is not None and value > last + SNAP_TOLERANCE:
            cluster += 1
        cluster_of[value] = cluster
        last = value
    ordered = sorted(edges, key=lambda edge: cluster_of[edge[at]])
    snapped: list[Edge] = []
    for _, group in groupby(ordered, key=lambda edge: cluster_of[edge[at]]):
        members = list(group)
        mean = sum(edge[at] for edge in members) / len(members)
        for o, x0, top, x1, bottom in members:
            if orientation == "v":
                shift = mean - x0
                snapped.append((o, x0 + shift, top, x1 + shift, bottom))
            else:
                shift = mean - top
                snapped.append((o, x0, top + shift, x1, bottom + shift))
    return snapped


def _join(edges: list[Edge], orientation: str) -> list[Edge]:
    """Collinear edges that touch or nearly touch, joined into one."""
    start, end = (1, 3) if orientation == "h" else (2, 4)
    ordered = sorted(edges, key=lambda edge: edge[start])
    joined = [ordered[0]]
    for edge in ordered[1:]:
        last = joined[-1]
        if edge[start] <= last[end] + JOIN_TOLERANCE:
            if edge[end] > last[end]:
                joined[-1] = last[:end] + (edge[end],) + last[end + 1:]  # type: ignore[assignment]
        else:
            joined.append(edge)
    return joined


def merged_edges(edges: Sequence[Edge]) -> list[Edge]:
    vertical = [e for e in edges if e[0] == "v" and _length(e) >= EDGE_MIN_LENGTH_PREFILTER]
    horizontal = [e for e in edges if e[0] == "h" and _length(e) >= EDGE_MIN_LENGTH_PREFILTER]
    snapped = _snap(vertical, "v") + _snap(horizontal, "h")

    def group_key(edge: Edge) -> tuple[str, float]:
        return (edge[0], edge[2] if edge[0] == "h" else edge[1])

    merged: list[Edge] = []
    for key, group in groupby(sorted(snapped, key=group_key), key=group_key):
        merged.extend(_join(list(group), key[0]))
    return [edge for edge in merged if _length(edge) >= EDGE_MIN_LENGTH]


def _intersections(edges: list[Edge]) -> dict[Point, tuple[set[Edge], set[Edge]]]:
    tol = INTERSECTION_TOLERANCE
    vertical = sorted((e for e in edges if e[0] == "v"), key=lambda e: (e[1], e[2]))
    horizontal = sorted((e for e in edges if e[0] == "h"), key=lambda e: (e[2], e[1]))
    found: dict[Point, tuple[set[Edge], set[Edge]]] = {}
    for v in vertical:
        for h in horizontal:
            if v[2] <= h[2] + tol and v[4] >= h[2] - tol and v[1] >= h[1] - tol and v[1] <= h[3] + tol:
                vs, hs = found.setdefault((v[1], h[2]), (set(), set()))
                vs.add(v[1:])  # type: ignore[arg-type]
                hs.add(h[1:])  # type: ignore[arg-type]
    return found


def _cells(found: dict[Point, tuple[set[Edge], set[Edge]]]) -> list[BBox]:
    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and found[p1][0] & found[p2][0]:
            return True
        return p1[1] == p2[1] and bool(found[p1][1] & found[p2][1])

    points = sorted(found)
    cells: list[BBox] = []
    for i, point in enumerate(points[:-1]):
        rest = points[i + 1:]
        below = [p for p in rest if p[0] == point[0]]
        right = [p for p in rest if p[1] == point[1]]
        cell = _smallest_cell(point, below, right, found, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point: Point, below: list[Point], right: list[Point], found: dict, connects) -> BBox | None:
    for below_point in below:
        if not connects(point, below_point):
            continue
        for right_point in right:
            if not connects(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if corner in found and connects(corner, right_point) and connects(corner, below_point):
                return (point[0], point[1], corner[0], corner[1])
    return None


def _tables(cells: list[BBox]) -> list[list[BBox]]:
    remaining = list(cells)
    corners: set[Point] = set()
    current: list[BBox] = []
    tables: list[list[BBox]] = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            cell_corners = ((cell[0], cell[1]), (cell[0], cell[3]), (cell[2], cell[1]), (cell[2], cell[3]))
            if not current or any(c in corners for c in cell_corners):
                corners |= set(cell_corners)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(list(current))
            corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    tables.sort(key=lambda table: min((c[1], c[0]) for c in table))
    return [table for table in tables if len(table) > 1]


def table_cells(edges: Sequence[Edge]) -> list[list[BBox]]:
    """The cell boxes of each table on the page, tables top to bottom."""
    merged = merged_edges(edges)
    return _tables(_cells(_intersections(merged)))


def close_open_ends(edges: list[Edge]) -> list[Edge]:
    """With a rule across each open end of a table: two or more vertical rules ending at
    the same height with no horizontal rule there, under or over a horizontal rule that
    spans them all (a part of a table cut by the page break, drawn without its rule)."""
    vertical = [e for e in edges if e[0] == "v"]
    horizontal = [e for e in edges if e[0] == "h"]
    added: list[Edge] = []
    for at in (2, 4):  # the tops, then the bottoms
        loose = sorted((v for v in vertical if not _meets_rule(v[1], v[at], horizontal)), key=lambda v: v[at])
        for group in _same_height(loose, at):
            x0, x1, y = min(v[1] for v in group), max(v[1] for v in group), group[0][at]
            if len(group) > 1 and any(h[1] <= x0 + SNAP_TOLERANCE and h[3] >= x1 - SNAP_TOLERANCE
                                      for h in horizontal):
                added.append(("h", x0, y, x1, y))
    return edges + added if added else edges


def _meets_rule(x: float, y: float, horizontal: list[Edge]) -> bool:
    tol = INTERSECTION_TOLERANCE
    return any(abs(h[2] - y) <= tol and h[1] - tol <= x <= h[3] + tol for h in horizontal)


def _same_height(edges: list[Edge], at: int) -> list[list[Edge]]:
    groups: list[list[Edge]] = []
    for edge in edges:
        if groups and edge[at] - groups[-1][0][at] <= SNAP_TOLERANCE:
            groups[-1].append(edge)
        else:
            groups.append([edge])
    return groups


def ruled_tables(edges: Sequence[Edge]) -> list[list[BBox]]:
    """table_cells, with the open ends of tables cut by a page break closed."""
    merged = close_open_ends(merged_edges(edges))
    return _tables(_cells(_intersections(merged)))
