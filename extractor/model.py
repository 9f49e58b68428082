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
from enum import Enum, StrEnum

Year = int  # a report year, 2024: one parse (parse_year) for metadata, names and headers


def parse_year(text: str | int | None) -> Year | None:
    """The year a metadata value or a name states ("2024"), None when it states none."""
    if isinstance(text, int):
        return text
    return int(text) if text and text.isdigit() else None


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
class OcrText:
    """Recognition scores of one OCR'd block or table cell, one per character of its text."""

    page: int
    scores: tuple[float, ...]
    block: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    crops: tuple[tuple[int, int, str], ...] = ()  # (char_start, char_end, PNG data URI) per digit run
    unread_ink: bool = False  # ink in it that no recognised text covers (a figure may be missing)


@dataclass(frozen=True, slots=True)
class OcrMark:
    """A figure read from a page image: its lowest character score (digits and unit)."""

    confidence: float
    uncertain: bool
    page: int | None = None
    crop: str = ""  # PNG data URI of the figure as scanned, for the HTML report
    label_uncertain: bool = False  # a punctuation mark of its clause (which sets its label) scored low


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
    ocr_pages: tuple[int, ...] = ()  # pages read from their image (readers.ocr); omitted from JSON when ()
    ocr_text: tuple[OcrText, ...] = ()


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
    MEASURE = "measure"  # lengths, weights, volumes (6200米, 100吨, 3.0m): read and placed, not checked
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


class Measure(StrEnum):
    """What a table column measures (Fact.measure); AS_STATED for narrative figures."""

    AS_STATED = ""
    BUDGET = "budget"
    FINAL = "final"
    INITIAL_BUDGET = "initial_budget"
    ADJUSTED_BUDGET = "adjusted_budget"
    EXECUTED = "executed"


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
    measure: Measure | str = Measure.AS_STATED  # what the column measures; producers may pass the plain value
    direction: Direction | None = None
    year: Year | None = None
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
    ocr: OcrMark | None = None  # read from a scan; omitted from JSON when None
    subject_reason: str | None = None  # why a figure has no subject; omitted from JSON when None


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


class Family(StrEnum):
    """What kind of check a result is (CheckResult.family, the 检查项 column's name)."""

    SUM = "sum"
    SHARE = "share"
    CHANGE = "change"
    TEXT_VS_ANNEX = "text_vs_annex"
    ANNEX_INTERNAL = "annex_internal"
    COUNT = "count"
    COMPLETENESS = "completeness"
    SCORE = "score"
    CROSS_YEAR = "cross_year"
    FORM = "form"


class SubmissionStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"  # some file could not be read
    FAILED = "failed"  # nothing could be read, or the extraction or checks broke
    UNASSIGNED = "unassigned"  # the reports' pseudo-row of files that belong to no submission


@dataclass(frozen=True, slots=True)
class CheckResult:
    rule_id: str
    family: Family | str  # rule kinds may pass the plain value ("sum"); decoded results hold the Family
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
    computed_decimals: int | None = None  # precision the computed figure supports; None: the reported's


@dataclass(frozen=True, slots=True)
class Finding:
    """One row of the reviewer's discrepancy list."""

    id: str  # stable: hash of (unit, year, rule_id, sorted fact places); merged: of its cells (report/causes.py)
    unit: str
    year: Year | None
    rule_id: str
    family: Family | str
    severity: Severity
    reach: Reach
    level: Level
    message: str
    reported: str = ""  # as the reviewer reads it, e.g. "2348.75万元"
    expected: str = ""
    difference: str = ""
    locations: tuple[Locator, ...] = ()
    excerpts: tuple[str, ...] = ()
    decision: str = ""  # 确认 / 误报 / 已更正 / 未改正, read back from the reviewer's file
    remark: str = ""
    rules: tuple[str, ...] = ()  # every rule that saw this cause, when findings were merged
    replaces: tuple[str, ...] = ()  # ids of the findings merged into this one (decisions carry over)
    ocr_crops: tuple[str, ...] = ()  # PNG data URIs of the scanned figures it rests on (HTML)

    @property
    def dismissed(self) -> bool:
        """Marked 误报 by the reviewer: listed, but counted nowhere."""
        return self.decision == "误报"


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    """One unit-year: its files, what was extracted, what was checked, what was found."""

    unit: str
    year: Year | None
    files: tuple[str, ...]
    extraction: Extraction
    checks: tuple[CheckResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    status: SubmissionStatus = SubmissionStatus.OK
    issues: tuple[Issue, ...] = ()
    platform_score: Decimal | None = None  # 重新计算得分, computed once by the checks; None: not computable

    @classmethod
    def failed(
        cls, files: tuple[str, ...], issues: tuple[Issue, ...], unit: str = "", year: Year | None = None,
        status: SubmissionStatus = SubmissionStatus.FAILED,
    ) -> SubmissionResult:
        """The one way to build a submission nothing could be extracted from, with why."""
        extraction = Extraction(sources=(), metadata={"unit": unit}, facts=())
        return cls(unit=unit, year=year, files=files, extraction=extraction, status=status, issues=issues)


@dataclass(frozen=True)
class SubmissionSummary:
    """What the reports show of one submission, without its facts: computed where the result is
    (a batch worker) and stored, so the whole-batch reports never hold every extraction."""

    unit: str
    year: Year | None
    files: tuple[str, ...]
    status: SubmissionStatus
    issues: tuple[Issue, ...]
    largest: Decimal  # the largest money difference of a failed check, 0 when none
    self_score: str  # 自评得分 as written
    recomputed: str  # 重新计算得分 (SubmissionResult.platform_score), blank when not computable
    note: str
    figures: int
    checked: int  # own figures cited by a check that ran
    counts: dict[str, int]  # run, passed, failed, skipped
    skipped: tuple[tuple[str, str], ...]  # (rule, missing) of the skipped checks, sorted
    fact_count: int = 0
    checked_ids: tuple[str, ...] = ()  # the `checked` figures' ids (sorted), while checks may be added
    findings: tuple[Finding, ...] = ()

    @property
    def mandatory(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.MANDATORY and not f.dismissed)

    @property
    def advisory(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.ADVISORY and not f.dismissed)

    @property
    def by_severity(self) -> dict[str, int]:
        return {s.value: sum(1 for f in self.findings if f.severity is s and not f.dismissed) for s in Severity}
