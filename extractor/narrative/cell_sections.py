"""Sections written in the left column of a big table: a report written inside one Word table
has rows "一、部门基本情况 | <the section's prose>", so the prose of a row belongs to the heading
of its first cell (and of the headings above it: "（一）基本支出" under "二、支出情况").

A table is such a report when at least two rows have a heading (numbered or known, as the
readers tell a heading line) in their first cell and prose (≥ 12 characters) beside it; an
annex table's row labels (1、公务用车购置和维护经费 | 3.2) are not.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Cell, Document, Table
from ..readers.structure import HeadingRules, heading_level

MIN_PROSE = 12
MAX_HEADING = 30
MIN_HEADED_ROWS = 2
_CACHE: dict[int, tuple[Table, dict[int, tuple[str, ...]]]] = {}
_CACHE_SIZE = 512  # tables of the documents being extracted (read_cells fills it)


def headed_rows(table: Table, rules: HeadingRules | None = None) -> dict[int, tuple[int, str]]:
    """row -> (level, heading) for the rows whose first cell is a heading with text beside it."""
    beside: dict[int, list[str]] = {}
    firsts: dict[int, str] = {}
    for cell in table.cells:
        text = cell.text.strip()
        if cell.col == 0:
            firsts[cell.row] = text
        elif text:
            beside.setdefault(cell.row, []).append(text)
    headed, prose = {}, 0
    for row, text in firsts.items():
        if not text or "\n" in text or len(text) > MAX_HEADING or row not in beside:
            continue
        level = heading_level(text, rules=rules)
        if level is None:
            continue
        headed[row] = (level, text)
        prose += any(len(t) >= MIN_PROSE for t in beside[row])
    return headed if prose >= MIN_HEADED_ROWS else {}


def index_sections(tables: Iterable[Table], rules: HeadingRules | None) -> None:
    """Read the left-column headings of each table once (the run's heading rules), for
    cell_section and table_headings."""
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    for table in tables:
        _CACHE[id(table)] = (table, headed_rows(table, rules))


def _headed(table: Table) -> dict[int, tuple[int, str]]:
    cached = _CACHE.get(id(table))
    return cached[1] if cached is not None and cached[0] is table else {}


def row_sections(table: Table) -> dict[int, tuple[str, ...]]:
    """row -> its section path (the table's, then the open left-column headings); only the
    rows from the first heading on, and nothing for a table that is no such report."""
    headed = _headed(table)
    out: dict[int, tuple[str, ...]] = {}
    stack: list[tuple[int, str]] = []
    for row in range(min(headed), table.n_rows) if headed else ():
        if row in headed:
            level, text = headed[row]
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text))
        out[row] = tuple(table.section) + tuple(text for _, text in stack)
    return out


def cell_section(table: Table, cell: Cell) -> tuple[str, ...]:
    """The section of a cell: its row's left-column heading path, else the table's."""
    headed = _headed(table)
    return row_sections(table).get(cell.row, tuple(table.section)) if headed else tuple(table.section)


def table_headings(doc: Document) -> list[str]:
    """The left-column headings of the document's table-written reports (the outline's lines)."""
    return [text for table in doc.tables for _, (_, text) in sorted(_headed(table).items())]
