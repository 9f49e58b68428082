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

from ..model import Document, Fact, Role
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
    return [relabelled.get(f.id, f) for f in facts]


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

