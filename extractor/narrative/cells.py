"""Figures in table cells that the annex readers do not take: nothing in a table is dropped silently.

- a prose cell (a report written inside one big table; 自评表 cells 年度总体目标, 实际完成情况,
  偏差原因) is read like a paragraph, its facts located by table/row/col;
- every cell of a table whose layout the annex readers do not know is read the same way,
  and a bare number there is read as a generic grid: its row label (the text cell to its
  left) names it, its column header (the text cell above) says what the column measures,
  its unit comes from the cell, the header, the caption, or the label's words
  (人员编制 -> 人);
- every digit run of every cell is counted: taken by an annex fact, a cell fact or a
  non-quantity (a year in a header), or reported unaccounted with its cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import regex

from ..model import Block, BlockKind, Cell, Document, Fact, Locator, NonQuantity, Role, Table
from ..numbers import parse_number, scale
from .cell_sections import cell_section
from .coverage import digit_runs, unaccounted_runs
from .words import stable_id

PROSE = regex.compile(r"\p{Han}.*\d|\d.*\p{Han}{4}", regex.S)  # words and figures together
LABEL_FIGURE = regex.compile(r"\p{Han}{2}.*\d\s*(?:万元|亿元|元|%|分|人|名|个|次|项|户|亩)")
MIN_PROSE = 12  # shorter cells with a figure are labels or values, read by the grid
UNIT_IN_LABEL = regex.compile(r"[（(]\s*(?P<unit>万元|亿元|千元|元|人|个|%|分|亩|万亩|㎡|平方米)\s*[)）]")
UNIT_WORDS: tuple[tuple[regex.Pattern[str], str], ...] = (
    (regex.compile(r"率|比例|占比"), "%"),
    (regex.compile(r"编制|人数|人员|在职|实有|退休|离休|职工|教师|学生"), "人"),
    (regex.compile(r"分值|得分|权重|评分"), "分"),
    (regex.compile(r"个数|数量|机构|科室|股室|单位数"), "个"),
)
GRID_RULE = "grid.generic"
BARE_CELL = regex.compile(r"\s*[（(]?\s*\d+(?:\.\d+)?\s*(?:分|%|万元|元|个|人)?\s*[)）]?\s*")  # 10, (50分)


def cell_locator(source: str, table: Table, cell: Cell, start: int, end: int) -> Locator:
    return Locator(source=source, table=table.index, row=cell.row, col=cell.col, char_start=start,
                   char_end=end, page=cell.page or (table.pages[0] if table.pages else None),
                   section=cell_section(table, cell), sheet=table.sheet)


def is_prose(text: str) -> bool:
    """Words with figures (a paragraph in a cell), or a label carrying its own figure (产出指标（50分）)."""
    return (len(text.strip()) >= MIN_PROSE and bool(PROSE.search(text))) or bool(LABEL_FIGURE.search(text))


Spans = dict[tuple[int, int, int], list[tuple[int, int]]]  # (table, row, col) -> (char_start, char_end)s
GOAL_LABELS = frozenset({"goal.expected"})  # a 预期目标 cell's figures are targets, not values


@dataclass
class AnnexPlaces:
    """What the annex readers took, per cell of one source: `covered`, every fact's span;
    `figures`, the spans of their figures (a text fact, 年度总体目标 as written, holds its
    cell's words, not the figures inside them); `goals`, the cells of a 预期目标 text fact."""

    covered: Spans = field(default_factory=dict)
    figures: Spans = field(default_factory=dict)
    goals: set[tuple[int, int, int]] = field(default_factory=set)

    @classmethod
    def of(cls, annex_facts: Iterable[Fact], source: str) -> AnnexPlaces:
        places = cls()
        for fact in annex_facts:
            loc = fact.locator
            if loc.table is None or loc.source != source:
                continue
            key = (loc.table, loc.row or 0, loc.col or 0)
            places.covered.setdefault(key, []).append((loc.char_start, loc.char_end))
            if fact.text_value is None:
                places.figures.setdefault(key, []).append((loc.char_start, loc.char_end))
            elif fact.label in GOAL_LABELS:
                places.goals.add(key)
        return places

    def took(self, key: tuple[int, int, int], start: int, end: int) -> bool:
        return any(start < b and a < end for a, b in self.figures.get(key, []))

    def keep(self, key: tuple[int, int, int], facts: Iterable[Fact]) -> list[Fact]:
        """The cell's facts whose figure no annex fact took (an annex figure is not emitted
        twice); in a 预期目标 cell a plain figure is a target (年度指标值's role)."""
        kept = [f for f in facts if not self.took(key, f.locator.char_start, f.locator.char_end)]
        if key in self.goals:
            kept = [replace(f, role=Role.TARGET) if f.role is Role.VALUE else f for f in kept]
        return kept


def cells_to_read(doc: Document, known: Callable[[Table], bool], covered: Spans) -> list[tuple[Table, Cell]]:
    """Cells read like paragraphs: the prose cells of every table (a 自评表's 年度总体目标 /
    实际完成情况 / 偏差原因 too: the figures an annex reader took there are left to it, see
    AnnexPlaces.keep), and every cell with a digit of a table of unknown layout no annex fact took."""
    out = []
    for table in doc.tables:
        unknown = not known(table)
        for cell in table.cells:
            if not regex.search(r"\d", cell.text):
                continue
            untaken = (table.index, cell.row, cell.col) not in covered
            if is_prose(cell.text) or (untaken and (unknown or is_bare_cell(cell.text))):
                out.append((table, cell))
    return out


def is_bare_cell(text: str) -> bool:
    """A cell holding one number ("10", "(50分)"): in a known layout, a cell no annex reader took
    (the 分值 / 得分 of a 其中 row of 资金情况, a 一级指标's points in a cell of their own) is
    read like the cells of an unknown layout, not left unaccounted."""
    return BARE_CELL.fullmatch(text) is not None


def cell_block(table: Table, cell: Cell, number: int) -> Block:
    """A cell as a pseudo-paragraph; `number` keeps the ids of its facts apart from the blocks'."""
    return Block(index=number, kind=BlockKind.PARAGRAPH, text=cell.text, section=cell_section(table, cell),
                 page=cell.page, annex=table.annex)


def relocate(facts: Iterable[Fact], source: str, table: Table, cell: Cell, grid: Grid) -> list[Fact]:
    """Cell facts with the cell's place; a figure the words of its cell do not name takes the row label."""
    out = []
    for fact in facts:
        loc = cell_locator(source, table, cell, fact.locator.char_start, fact.locator.char_end)
        row_label, col_label = grid.row_label(cell), grid.col_label(cell)
        subject, reason = fact.subject, fact.subject_reason
        if not subject and (row_label or col_label):
            subject, reason = row_label or col_label, None
        out.append(replace(fact, locator=loc, subject=subject, subject_reason=reason,
                           row_label=row_label, col_label=col_label))
    return out


class Grid:
    """Row labels and column headers of one table, for cells of an unknown layout."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.rows = table.grid()

    def _text(self, row: int, col: int) -> str:
        cell = self.rows[row][col]
        return cell.text.strip() if cell is not None else ""

    def row_label(self, cell: Cell) -> str:
        for col in range(cell.col - 1, -1, -1):
            text = self._text(cell.row, col)
            if text and regex.search(r"\p{Han}", text) and not regex.search(r"\d", text):
                return text.strip("：: ")
        return ""

    def col_label(self, cell: Cell) -> str:
        for row in range(cell.row - 1, -1, -1):
            text = self._text(row, cell.col)
            if text and regex.search(r"\p{Han}", text) and not regex.search(r"\d{3,}", text):
                return text.strip("：: ")
        return ""

    def unit(self, cell: Cell, unit_hint: str | None) -> str:
        """The unit of a bare number: stated in its labels, the table's, else the labels' words."""
        labels = (self.row_label(cell), self.col_label(cell))
        for label in labels:
            found = UNIT_IN_LABEL.search(label)
            if found:
                return found.group("unit")
        for label in labels:
            for words, unit in UNIT_WORDS:
                if words.search(label):
                    return unit
        return unit_hint or ""


def grid_fact(source: str, table: Table, cell: Cell, grid: Grid, labels: dict[str, str]) -> Fact | None:
    """A bare number in a cell of an unknown layout, named by its row label (or column header)."""
    text = cell.text.strip()
    number = parse_number(text)
    if number is None:
        return None
    unit = grid.unit(cell, table.unit_hint)
    quantity = scale(*number, unit, text) if unit else None
    if quantity is None:
        return None
    row_label, col_label = grid.row_label(cell), grid.col_label(cell)
    subject = row_label or col_label
    label = labels.get(regex.sub(r"\s+", "", subject), "")
    start = cell.text.index(text)
    return Fact(
        id=stable_id(source, "cell", table.index, cell.row, cell.col, label, text), label=label,
        subject=subject, kind=quantity.kind, value=quantity.value, unit=quantity.unit, raw=text,
        decimals=quantity.decimals, locator=cell_locator(source, table, cell, start, start + len(text)),
        rule_id=GRID_RULE, row_label=row_label, col_label=col_label,
        subject_reason=None if subject else "no_label_in_row_or_column")


def cell_coverage(source: str, doc: Document, covered: dict[tuple[int, int, int], list[tuple[int, int]]],
                  read: set[tuple[int, int, int]], scan_cell: Callable[[str], list[tuple[int, int, str]]]
                  ) -> tuple[int, list[NonQuantity], list[NonQuantity]]:
    """(digit runs, non-quantities, unaccounted) of the cells that were not read like paragraphs."""
    runs, non_quantities, unaccounted = 0, [], []
    for table in doc.tables:
        for cell in table.cells:
            key = (table.index, cell.row, cell.col)
            if key in read or not regex.search(r"\d", cell.text):
                continue
            norm_runs = digit_runs(scan_text_of(cell.text))
            runs += len(norm_runs)
            spans = list(covered.get(key, []))
            locate = lambda s, e, t=table, c=cell: cell_locator(source, t, c, s, e)
            for start, end, reason in scan_cell(cell.text):
                if reason:
                    spans.append((start, end))
                    if not any(a <= start and end <= b for a, b in covered.get(key, [])):
                        non_quantities.append(NonQuantity(cell.text[start:end].strip(), reason, locate(start, end)))
            unaccounted += unaccounted_runs(cell.text, norm_runs, spans, locate)
    return runs, non_quantities, unaccounted


def scan_text_of(text: str) -> str:
    from .facts import scan_text

    return scan_text(text)


def label_names(patterns_labels: dict) -> dict[str, str]:
    """Display or synonym (spaces dropped) -> label id, for row labels of unknown layouts."""
    names = {regex.sub(r"\s+", "", label.display): label.id for label in patterns_labels.values()}
    names.update({regex.sub(r"\s+", "", s): label.id for label in patterns_labels.values() for s in label.synonyms})
    return names

