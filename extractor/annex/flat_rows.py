"""A 自评表 flattened into paragraphs (an OCR or a copy that lost the cell borders).

"指标名称…年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标
财政供养人员控制率%定量指标100%92%100%22否…": a paragraph whose text holds the header words
of a patterns/annex.toml [[flat_rows]] layout, in order, opens such a table; the next
paragraphs continue it while their first row reads alike. The narrative reader has already
found the figures and given each glued row one subject; here a row (a run of figures with
one subject) takes the layout's labels: its last figures the `tail` labels when their kinds
fit, a lead of exactly len(lead) figures the `lead` labels. Any other lead (one figure: the
target or the completion?) stays as the narrative read it. The labelled figures keep their
ids and places and get a row group, so the indicator checks read them like table rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby

import regex

from ..model import Document, Fact, Kind, Role
from ..narrative.scan import BARE
from ..numbers import parse_number, scale
from .spec import AnnexSpec, FlatLayout, default_spec, make_key

WRITTEN_UNIT = regex.compile(r"^[≥≤＞＜><=＝\s]*[-\d.,]+\s*(?P<unit>\S+)$")
CELL_BREAK = regex.compile(r"\s+")
CELL_EDGE = "≥≤＞＜><=＝:：()（）,，;；。、 "
ROLES = {"indicator.target": Role.TARGET, "indicator.actual": Role.ACTUAL, "indicator.score_rate": Role.RATE}


def label_flat_rows(doc: Document, facts: Sequence[Fact], spec: AnnexSpec | None = None) -> list[Fact]:
    """The narrative facts of `doc`, those of flattened 自评表 rows labelled as indicator cells."""
    spec = spec or default_spec()
    if not spec.flat_layouts:
        return list(facts)
    by_block: dict[int, list[Fact]] = {}
    for fact in facts:
        if fact.locator.table is None and fact.locator.block is not None:
            by_block.setdefault(fact.locator.block, []).append(fact)
    relabelled: dict[str, Fact] = {}
    layout: FlatLayout | None = None
    for block in doc.blocks:
        opened, start = _header(spec, block.text)
        rows = _rows([f for f in by_block.get(block.index, ()) if f.locator.char_start >= start])
        if opened is not None:
            layout = opened
        elif layout is not None and not (rows and _tail_fits(layout, rows[0])):
            layout = None
        if layout is None:
            continue
        block_facts = sorted(by_block.get(block.index, ()), key=lambda f: f.locator.char_start)
        for number, row in enumerate(rows):
            cells = _cells_before(block.text, block_facts, row[0], start)
            for fact in _labelled(layout, row, f"flat:{block.index}:{number}", number, cells):
                relabelled[fact.id] = fact
    out = [relabelled.get(f.id, f) for f in facts]
    return read_funding_rows(doc, out)


def _header(spec: AnnexSpec, text: str) -> tuple[FlatLayout | None, int]:
    """The layout whose header words the text holds in order, and where its rows start."""
    key = spec.key(text)
    for layout in spec.flat_layouts:
        at = 0
        for word in layout.header:
            found = key.find(word, at)
            if found < 0:
                break
            at = found + len(word)
        else:
            return layout, _offset_after(spec, text, layout.header[-1])
    return None, 0


def _offset_after(spec: AnnexSpec, text: str, word: str) -> int:
    """The shortest prefix of `text` whose key holds `word` (keys grow with the prefix)."""
    lo, hi = len(word), len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        if word in make_key(text[:mid], spec.traditional, spec.noise):
            hi = mid
        else:
            lo = mid + 1
    return hi


def _rows(facts: list[Fact]) -> list[list[Fact]]:
    ordered = sorted((f for f in facts if f.value is not None and f.subject), key=lambda f: f.locator.char_start)
    return [list(run) for _, run in groupby(ordered, key=lambda f: f.subject)]


def _tail_fits(layout: FlatLayout, row: list[Fact]) -> bool:
    if len(row) < len(layout.tail):
        return False
    return all(f.kind is kind for f, kind in zip(row[-len(layout.tail):], layout.tail_kinds))


def _cells_before(text: str, block_facts: list[Fact], first: Fact, start: int) -> list[str]:
    """The space-separated cells between the figure before `first` (or the header) and `first`:
    a copy that kept its cell borders as spaces ("质量指标 委托业务报告合格率 ≥"); [] when none."""
    since = max([start] + [f.locator.char_end for f in block_facts if f.locator.char_end <= first.locator.char_start])
    words = text[since:first.locator.char_start]
    if not CELL_BREAK.search(words.strip()):
        return []
    return [c for c in (w.strip(CELL_EDGE) for w in CELL_BREAK.split(words)) if regex.search(r"\p{Han}", c)]


def _labelled(layout: FlatLayout, row: list[Fact], group: str, order: int, cells: list[str] = ()) -> list[Fact]:
    if not _tail_fits(layout, row):
        return []
    lead = row[:-len(layout.tail)]
    pairs = list(zip(row[-len(layout.tail):], layout.tail))
    if len(lead) == 2 == len(layout.lead):
        lead = [lead[0], in_unit_of(lead[1], lead[0])]
    if len(lead) == len(layout.lead) and len({(f.kind, f.unit) for f in lead}) == 1:
        pairs = list(zip(lead, layout.lead)) + pairs
    subject = _without_unit(row[0].subject, lead[0].raw if lead else "")
    subject = _name_cell(cells, len(layout.lead), len(lead)) or subject
    return [replace(fact, label=label, role=ROLES.get(label, Role.VALUE), group=group, order=order,
                    subject=subject, rule_id=f"annex.{layout.rule_layout}.{label}", part_of=None, of=None)
            for fact, label in pairs]


def _name_cell(cells: list[str], columns: int, figures: int) -> str:
    """The indicator name among the cells before a row's first figure: the last one when the
    row's lead columns (年度指标值, 实际完成值) are figures, the one before those columns when
    they are written in words ("经费支出合规性 严格执行相关制度规定 达成预期指标 8 8"); "" when
    the cells do not say (one lead figure: which column holds words?)."""
    if figures not in (0, columns):
        return ""
    back = columns - figures + 1
    return cells[-back] if len(cells) >= back else ""


def in_unit_of(actual: Fact, target: Fact) -> Fact:
    """"≥50个 50": a bare 实际完成值, read in the header's 分, is in the unit its target is written in."""
    if actual.rule_id != BARE or (actual.kind, actual.unit) == (target.kind, target.unit):
        return actual
    written = WRITTEN_UNIT.match(target.raw)
    number = parse_number(actual.raw)
    quantity = scale(number[0], number[1], written.group("unit")) if written and number else None
    if quantity is None:
        return actual
    return replace(actual, value=quantity.value, unit=quantity.unit, kind=quantity.kind, decimals=quantity.decimals)


def _without_unit(subject: str, first_raw: str) -> str:
    """The 计量单位 cell glued to the name ("党性教育培训次数次" before "26次"): dropped."""
    unit = first_raw.lstrip("0123456789.%").strip()
    if unit and subject.endswith(unit) and len(subject) > len(unit) + 2:
        return subject[:-len(unit)]
    return subject



# ---- the 项目资金 rows of the national form, flattened with spaces for its cell borders ----
# "年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 其中:本年财政拨款
# 90 89.974 89.974": a row's figures fill the columns in order (the copy dropped the empty
# cells); 分值 and 得分 are points and 执行率 a percent, not amounts in the header's 万元; a
# 其中 row is a row of the form, not a breakdown of the figure before it.
COLUMN_MARK = r"(?:\s?[（(][A-Z/]{1,5}[)）])?"  # 全年预算数(A), 执行率(B/A)
FUNDING_COLUMNS = regex.compile(r"(?:(?:年初预算数|全年预算数|全年执行数|分值|执行率|得分)" + COLUMN_MARK + r"(?:\s+|$)){4,}")
FUNDING_LINE = regex.compile(r"\s*(?:其中\s?[:：]\s?)?\p{Han}[\p{Han}（）()]*\s*[:：]?(?:\s+[-\d.,%]+)+\s*")  # 年度资金总额: 8.408 8.408 10
FUNDING_END = regex.compile(r"年度总体目标|绩效指标|年度指标值")
COLUMN_WORD = regex.compile(r"年初预算数|全年预算数|全年执行数|分值|执行率|得分")
ROW_LABEL = regex.compile(r"(?:其中\s?[:：]\s?)?(?P<label>\p{Han}[\p{Han}（）()]*)\s*[:：]?\s*$")
COLUMN_UNITS = {"分值": ("分", Kind.SCORE, Role.VALUE), "得分": ("分", Kind.SCORE, Role.VALUE),
                "执行率": ("%", Kind.PERCENT, Role.RATE)}


def read_funding_rows(doc: Document, facts: list[Fact]) -> list[Fact]:
    """The figures of flattened 项目资金 rows, each in its column's unit, named by its row: in
    the header's paragraph, or in the paragraphs after a header line of its own (a PDF copy)."""
    changed: dict[str, Fact] = {}
    by_block: dict[int, list[Fact]] = {}
    for fact in facts:
        if fact.locator.table is None and fact.locator.block is not None and fact.value is not None:
            by_block.setdefault(fact.locator.block, []).append(fact)
    columns: list[str] = []
    total: dict[str, Fact] = {}
    for block in doc.blocks:
        header = FUNDING_COLUMNS.search(block.text)
        if header is not None and "执行率" in header.group():
            columns, total, start = COLUMN_WORD.findall(header.group()), {}, header.end()
        elif columns and FUNDING_LINE.fullmatch(block.text):
            start = 0  # a row on a line of its own under the header line
        else:
            columns = []
            continue
        end = FUNDING_END.search(block.text, start)
        stop = end.start() if end else len(block.text)
        inside = sorted((f for f in by_block.get(block.index, ()) if start <= f.locator.char_start < stop),
                        key=lambda f: f.locator.char_start)
        ids = {f.id for f in inside}
        for f in by_block.get(block.index, ()):  # a 其中 opened by a row label is the form's, not the prose's
            if f.part_of in ids:
                changed[f.id] = replace(f, part_of=None)
        for row in _spaced_rows(block.text, inside, start):
            read = _funding_row(block.text, row, columns)
            if not total:  # the first row (年度资金总额) holds the totals of its columns
                total = {c: f for c, f in read if c not in COLUMN_UNITS}
                read = [(c, replace(f, part_of=None)) for c, f in read]
            else:
                read = [(c, replace(f, part_of=total[c].id if c in total else None)) for c, f in read]
            changed.update((f.id, f) for _, f in read)
        if end is not None:
            columns = []
    return [changed.get(f.id, f) for f in facts]


def _spaced_rows(text: str, facts: list[Fact], start: int) -> list[list[Fact]]:
    """Runs of figures with only spaces between them, each after its row label."""
    rows: list[list[Fact]] = []
    end = start
    for fact in facts:
        if rows and not text[end:fact.locator.char_start].strip():
            rows[-1].append(fact)
        else:
            rows.append([fact])
        end = fact.locator.char_end
    return rows


def _funding_row(text: str, row: list[Fact], columns: list[str]) -> list[tuple[str, Fact]]:
    """(column, fact) of one row: money columns named by the row, the others in their own unit."""
    if len(row) > len(columns):
        return []
    before = text[:row[0].locator.char_start]
    label = ROW_LABEL.search(before)
    name = label.group("label") if label else ""
    if not name or COLUMN_WORD.fullmatch(name):
        return []
    out = []
    for fact, column in zip(row, columns):
        unit = COLUMN_UNITS.get(column)
        if unit is None:
            out.append((column, replace(fact, subject=name, subject_reason=None)))
            continue
        if fact.kind is unit[1]:  # 100.00% read as a percent already
            out.append((column, replace(fact, subject=f"{name}{column}", role=unit[2], label="", part_of=None)))
            continue
        number = parse_number(fact.raw)
        if number is None:
            continue
        out.append((column, replace(fact, subject=f"{name}{column}", value=number[0], unit=unit[0], kind=unit[1],
                                    role=unit[2], decimals=number[1], label="", part_of=None, subject_reason=None)))
    return out
