"""The one document model that crosses every boundary.

Readers turn files into Document; extractors turn Documents into Facts; checks turn
Facts into CheckResults; reports turn failed results into Findings.

Indexing: pages are 1-based; blocks, tables, rows and columns are 0-based.
Money is Decimal, never float. Every value keeps its written precision in `decimals`
(XBRL style: the number of decimal places in the base unit; 2348.75万元 -> -2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


class Format(str, Enum):
    DOCX = "docx"
    PDF = "pdf"
    XLSX = "xlsx"


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"


BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in points, top-left origin


@dataclass(frozen=True, slots=True)
class Block:
    index: int  # position in reading order; the stable address "#/blocks/<index>"
    kind: BlockKind
    text: str  # normalised text; char offsets in Locators refer to this
    section: tuple[str, ...] = ()  # heading path, this block's own heading included
    level: int | None = None  # heading depth (1 = 一、), None for paragraphs
    page: int | None = None  # PDF only
    bbox: BBox | None = None  # PDF only
    annex: bool = False  # after a 附件 heading
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    col: int
    text: str = ""
    row_span: int = 1
    col_span: int = 1
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Table:
    index: int
    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]  # origin cells only, row-major
    caption: str | None = None  # title line(s) just above the table, e.g. 附件1 …基础数据表
    section: tuple[str, ...] = ()
    pages: tuple[int, ...] = ()  # PDF only
    unit_hint: str | None = None  # e.g. "万元" from 单位：万元 near the table
    annex: bool = False
    after_block: int = -1  # index of the last block before the table in reading order
    parent: tuple[int, int, int] | None = None  # (table, row, col) for a nested table
    sheet: str | None = None  # XLSX sheet name

    def grid(self) -> list[list[Cell | None]]:
        """Every grid position -> the cell that covers it (None where nothing does)."""
        rows: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.row_span, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.col_span, self.n_cols)):
                    rows[r][c] = cell
        return rows

    def text_grid(self) -> list[list[str | None]]:
        """Text at origin positions, None at covered ones (pdfplumber's convention)."""
        out: list[list[str | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row][cell.col] = cell.text
        return out


@dataclass(frozen=True, slots=True)
class Issue:
    """A recorded, not raised, problem: coded, one line, with a place when known."""

    code: str  # "W301"
    message: str  # Chinese, for the reviewer
    source: str = ""
    locator: Locator | None = None


@dataclass(frozen=True, slots=True)
class Document:
    source: str  # path relative to the input root, '/'-separated
    format: Format
    sha256: str
    blocks: tuple[Block, ...] = ()
    tables: tuple[Table, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)  # title, unit, year, author...
    pages: int | None = None
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True, slots=True)
class Locator:
    source: str
    block: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    char_start: int = 0
    char_end: int = 0
    page: int | None = None
    section: tuple[str, ...] = ()
    sheet: str | None = None  # XLSX sheet name of a table figure (Table.sheet)


class Kind(str, Enum):
    AMOUNT = "amount"
    PERCENT = "percent"
    PERCENT_POINT = "percent_point"
    HEADCOUNT = "headcount"
    COUNT = "count"
    SCORE = "score"
    AREA = "area"
    TEXT = "text"  # qualitative table values (显著, 达标) and free-text cells


class Role(str, Enum):
    VALUE = "value"
    CHANGE = "change"
    SHARE = "share"
    RATE = "rate"
    PRIOR = "prior"  # a figure stated for an earlier year
    TARGET = "target"  # 年度指标值
    ACTUAL = "actual"  # 实际完成值


class Direction(str, Enum):
    INCREASE = "increase"
    DECREASE = "decrease"


@dataclass(frozen=True, slots=True)
class Fact:
    id: str  # stable across runs: hash of (source, locator, label, raw)
    label: str  # canonical label from patterns/labels.toml, "" when unknown
    subject: str  # the label as written
    kind: Kind
    value: Decimal | None  # in the base unit; None for a null table cell
    unit: str  # base unit: 元, %, 个百分点, 人, 个, 分, 亩, ㎡
    raw: str  # as written
    decimals: int | None  # written precision in the base unit; None when exact/unknown
    locator: Locator
    role: Role = Role.VALUE
    measure: str = ""  # what the column measures: "" (as stated), budget, final, initial_budget, adjusted_budget, executed
    direction: Direction | None = None
    year: int | None = None
    sentence: str = ""
    rule_id: str = ""  # pattern id that produced the fact
    part_of: str | None = None  # id of the total this fact is a part of (其中)
    of: str | None = None  # id of the fact a change/share/rate modifies
    group: str | None = None  # id of an enumeration this fact belongs to
    order: int | None = None  # position within its group
    row_label: str = ""  # table facts: row and column labels as written
    col_label: str = ""
    operator: str | None = None  # ≥ ≤ = < > for indicator values
    text_value: str | None = None  # qualitative value (显著, 达标) or free text


@dataclass(frozen=True, slots=True)
class NonQuantity:
    raw: str
    reason: str  # year, date, document_number, hotline, code, section_number, ordinal, ...
    locator: Locator


@dataclass(frozen=True, slots=True)
class Coverage:
    digit_runs: int
    facts: int
    non_quantities: int
    unaccounted: int


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one submission (a report and its annex files)."""

    sources: tuple[str, ...]
    metadata: dict[str, str]  # unit, year, title
    facts: tuple[Fact, ...]
    non_quantities: tuple[NonQuantity, ...] = ()
    unaccounted: tuple[NonQuantity, ...] = ()  # digit runs neither fact nor classified
    coverage: Coverage | None = None
    issues: tuple[Issue, ...] = ()
    outline: tuple[str, ...] = ()  # headings and short standalone lines, in order (completeness checks)
    remarks: tuple[str, ...] = ()  # report sentences that explain (原因, 未执行...), for explanation rules


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Decimal
    hi: Decimal


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    SKIPPED = "skipped"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Reach(str, Enum):
    WITHIN_TABLE = "within_table"  # 表内
    BETWEEN_TABLES = "between_tables"  # 表间
    TEXT_TABLE = "text_table"  # 文表 (also text against text)
    CROSS_YEAR = "cross_year"  # 跨年


class Level(str, Enum):
    MANDATORY = "mandatory"  # 强制
    ADVISORY = "advisory"  # 提示


@dataclass(frozen=True, slots=True)
class CheckResult:
    rule_id: str
    family: str  # sum, share, change, text_vs_annex, annex_internal, count, completeness, score, cross_year
    status: Status
    severity: Severity
    message: str  # Chinese, rendered from the rule's template
    fact_ids: tuple[str, ...] = ()
    reported: Interval | None = None
    computed: Interval | None = None
    difference: Decimal | None = None
    missing: tuple[str, ...] = ()  # inputs that were not found, when skipped
    reach: Reach = Reach.TEXT_TABLE
    level: Level = Level.MANDATORY
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One row of the reviewer's discrepancy list."""

    id: str  # stable: hash of (unit, year, rule_id, sorted fact ids/places)
    unit: str
    year: int | None
    rule_id: str
    family: str
    severity: Severity
    reach: Reach
    level: Level
    message: str
    reported: str = ""  # as the reviewer reads it, e.g. "2348.75万元"
    expected: str = ""
    difference: str = ""
    locations: tuple[Locator, ...] = ()
    excerpts: tuple[str, ...] = ()
    decision: str = ""  # 确认 / 误报 / 已更正, read back from the reviewer's file
    remark: str = ""


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    """One unit-year: its files, what was extracted, what was checked, what was found."""

    unit: str
    year: int | None
    files: tuple[str, ...]
    extraction: Extraction
    checks: tuple[CheckResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    status: str = "ok"  # ok | partial (some file failed) | failed
    issues: tuple[Issue, ...] = ()
