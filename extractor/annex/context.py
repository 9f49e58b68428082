"""The walk over one recognised table (or a table split into parts): header rows, columns,
row labels, and the Fact builder every block handler uses.

A header row switches the current block (staff, spending, building, funding, goal,
indicator) and maps grid columns to ColumnSpecs; consecutive header rows (Yunnan's
年度指标值 over 指标性质 | 指标值 | 度量单位) are read together, bottom text first.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..model import Cell, Document, Fact, Locator, Role, Table
from .cells import CellValue, unit_in_text
from .spec import AnnexSpec, ColumnSpec

_YEAR = re.compile(r"(20\d{2})年")
_ROW_PREFIX = re.compile(r"^(?:[0-9]{1,2}[、.．]|[（(][0-9一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.．])")
_QITA = re.compile(r"^其中[:：]?")
_TRAILING_NOTE = re.compile(r"[（(][^()（）]*[)）]?$")


@dataclass
class Column:
    spec: ColumnSpec
    header: str  # the header text as written (bottom-most header cell)
    unit: str | None  # unit written in the header: （万元）, (%)
    year: int | None


@dataclass
class Context:
    doc: Document
    spec: AnnexSpec
    kind: str
    layout: str
    blocks: tuple[str, ...]
    report_year: int | None
    table_unit: str | None
    table: Table | None = None
    grid: list[list[Cell | None]] = field(default_factory=list)
    block: str | None = None
    columns: dict[int, Column] = field(default_factory=dict)
    block_unit: str | None = None
    header_start: int = -1
    header_end: int = -1
    facts: list[Fact] = field(default_factory=list)
    latest: dict[tuple[str, str, int | None], str] = field(default_factory=dict)
    state: dict[str, object] = field(default_factory=dict)  # per-block running state
    headers: dict[tuple[int, int], str | None] = field(default_factory=dict)  # (table, row) -> block

    def start_part(self, table: Table) -> None:
        """Move to the next part of a split table: columns and block carry over when the
        parts have the same grid width (otherwise the next part must bring its own header)."""
        if self.table is not None and self.table.n_cols != table.n_cols:
            self.block, self.columns, self.state = None, {}, {}
        self.table = table
        self.grid = table.grid()
        self.header_start = self.header_end = -1

    def next_count(self, name: str) -> int:
        """A running counter in the block state (item and indicator order): 0, 1, 2 ..."""
        value = self.state.get(name, 0)
        assert isinstance(value, int)
        self.state[name] = value + 1
        return value

    # ---- cells and rows ---------------------------------------------------------------
    def row_cells(self, row: int) -> list[Cell]:
        """Distinct cells covering the row, left to right."""
        seen: list[Cell] = []
        ids: set[int] = set()  # by identity: `cell not in seen` compared dataclasses, O(width^2) a row
        for cell in self.grid[row]:
            if cell is not None and id(cell) not in ids:
                ids.add(id(cell))
                seen.append(cell)
        return seen

    def value_cells(self, row: int) -> list[tuple[Cell, Column]]:
        """(cell, column) for every mapped column's cell that starts in this row."""
        found: list[tuple[Cell, Column]] = []
        for cell in self.row_cells(row):
            if cell.row != row:
                continue
            column = self.column_of(cell)
            if column is not None and len(self.columns_under(cell)) == 1:
                found.append((cell, column))
        return found

    def columns_under(self, cell: Cell) -> set[int]:
        """Distinct column specs a cell spans (a value cell spans one; a note row spans many)."""
        return {id(self.columns[c].spec) for c in range(cell.col, cell.col + cell.col_span) if c in self.columns}

    def column_of(self, cell: Cell) -> Column | None:
        for col in range(cell.col, cell.col + cell.col_span):
            if col in self.columns:
                return self.columns[col]
        return None

    def label_cells(self, row: int) -> list[Cell]:
        """Cells of the row outside the mapped columns, below the header (not a tall block label)."""
        return [c for c in self.row_cells(row)
                if self.column_of(c) is None and c.row > self.header_end and c.text.strip()]

    def row_label(self, row: int) -> str:
        cells = self.label_cells(row)
        return clean(cells[-1].text) if cells else ""

    def label_key(self, text: str) -> str:
        """A row label's lookup key: no numbering, 其中：, trailing colon or bracket note."""
        key = self.spec.key(text)
        key = _QITA.sub("", _ROW_PREFIX.sub("", key)).rstrip(":：")
        return key

    def row_lookup(self, block: str, text: str) -> str | None:
        rows = self.spec.rows.get(block, {})
        key = self.label_key(text)
        if key in rows:
            return rows[key]
        trimmed = _TRAILING_NOTE.sub("", key).rstrip(":：")
        found = rows.get(trimmed)
        if found is None and block in self.spec.synonym_blocks:
            found = self.spec.synonyms.get(key) or self.spec.synonyms.get(trimmed)
        return found

    # ---- units ------------------------------------------------------------------------
    def money_unit(self, column: Column | None) -> str:
        """The unit of a bare amount: column header, block label, table caption, block default."""
        for unit in (column.unit if column else None, self.block_unit, self.table_unit):
            if unit in ("元", "万元", "亿元"):
                return unit
        return self.spec.block_unit.get(self.block or "", "") or "万元"

    # ---- facts -------------------------------------------------------------------------
    def add_fact(self, label: str, cell: Cell, value: CellValue, *, subject: str, row_label: str,
                 col_label: str, measure: str = "", year: int | None = None, role: Role = Role.VALUE,
                 group: str | None = None, order: int | None = None) -> Fact:
        assert self.table is not None
        if role == Role.VALUE and label in self.spec.rate_labels:
            role = Role.RATE
        fact = Fact(
            id=fact_id(self.doc.source, self.table.index, cell.row, cell.col, label, value.raw),
            label=label,
            subject=self.spec.denoised(subject),
            kind=value.kind,
            value=value.value,
            unit=value.unit,
            raw=value.raw,
            decimals=value.decimals,
            locator=Locator(source=self.doc.source, table=self.table.index, row=cell.row, col=cell.col,
                            char_start=value.start, char_end=value.end, page=cell.page or first_page(self.table),
                            section=self.table.section, sheet=self.table.sheet),
            role=role,
            measure=measure,
            year=year,
            rule_id=f"annex.{self.layout}.{label or 'unlabelled'}",
            part_of=self._parent_id(label, measure, year),
            group=group,
            order=order,
            row_label=self.spec.denoised(row_label),
            col_label=self.spec.denoised(col_label),
            operator=value.operator,
            text_value=value.text_value,
        )
        self.facts.append(fact)
        if label:
            self.latest[(label, measure, year)] = fact.id
        return fact

    def _parent_id(self, label: str, measure: str, year: int | None) -> str | None:
        for parent in self.spec.parents.get(label, ()):
            found = self.latest.get((parent, measure, year))
            if found:
                return found
        return None


def fact_id(source: str, table: int, row: int, col: int, label: str, raw: str) -> str:
    """Stable across runs: sha1 of where the figure is and what it is (16 hex)."""
    text = "\x1f".join([source, str(table), str(row), str(col), label, raw])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def clean(text: str) -> str:
    """A label as written, on one line."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def first_page(table: Table) -> int | None:
    return table.pages[0] if table.pages else None


def years_in(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(text)]


def header_unit(texts: list[str], spec: AnnexSpec) -> str | None:
    """The first unit written in texts: a column's header cells, a block's label cells, a table's titles."""
    for text in texts:
        unit = unit_in_text(text, spec)
        if unit:
            return unit
    return None
