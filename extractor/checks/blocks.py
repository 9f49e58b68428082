"""The 分值 structure of a 自评表's indicator rows, judged block by block.

Each 一级指标 block is checked against the 分值 it states ("产出指标（50分）"); the rows'
分值 add to the expected total (90) only when the table is whole. A table that ends inside
a block (its last block short of its stated 分值, the blocks' stated 分值 short of the total,
or rows short of the total that stop before the closing 满意度指标: a page lost) gives one 提示 "指标表不完整" instead of a wrong total; a
分值 or 得分 cell that reads as two cells run together ("10" + "10" -> 1010, rows joined at
a PDF page break) is a reading error, said as such and left out; a 得分 below 0 is an error
(得分 above 分值 is score.indicator_within_points of checks.toml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import CheckResult, Extraction, Fact, Level, Severity, Status
from .intervals import exact
from .registry import register
from .scoring_facts import IndicatorRow, fmt, indicator_rows, joined_cells, self_eval_facts
from .scoring_rules import ScoringRule, skip

STATED_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


@dataclass
class Block:
    """The rows under one 一级指标, with the 分值 its name states (None: not stated)."""

    name: str
    stated: Decimal | None
    rows: list[IndicatorRow] = field(default_factory=list)

    @property
    def points(self) -> list[Fact]:
        return [f for r in self.rows if (f := r.value("indicator.points")) is not None]

    @property
    def total(self) -> Decimal:
        return sum((f.value for f in self.points if f.value is not None), Decimal(0))


def blocks_of(rows: list[IndicatorRow]) -> list[Block]:
    """Consecutive rows with the same 一级指标, in table order."""
    blocks: list[Block] = []
    for row in rows:
        written = "".join(row.path[0].split())
        name = STATED_POINTS.sub("", written) or written
        if not blocks or blocks[-1].name != name:
            found = STATED_POINTS.search(written)
            blocks.append(Block(name, Decimal(found.group(1)) if found else None))
        blocks[-1].rows.append(row)
    return blocks


def _advisory(rule: ScoringRule, message: str, **extra: object) -> CheckResult:
    return rule.result(Status.FAIL, message, severity=Severity.WARNING, level=Level.ADVISORY, **extra)


def _reading_errors(rule: ScoringRule, rows: list[IndicatorRow]) -> list[CheckResult]:
    """One 提示 per row whose 分值/得分 read as two joined cells (one cause: the joined row)."""
    out = []
    for row in rows:
        unread = row.reading_errors
        if not unread:
            continue
        first, second = joined_cells(unread[0]) or ("", "")
        message = rule.params["joined_message"].format(
            subject=row.name, column="、".join(f.col_label or f.subject for f in unread),
            raw="”、“".join(f.raw for f in unread), first=first, second=second)
        out.append(_advisory(rule, message, fact_ids=tuple(f.id for f in unread), subject=row.name))
    return out


def _negative_scores(rule: ScoringRule, rows: list[IndicatorRow]) -> list[CheckResult]:
    out = []
    for row in rows:
        score = row.value("indicator.score")
        if score is not None and score.value is not None and score.value < 0:
            message = rule.params["negative_message"].format(subject=row.name, score=score.raw)
            out.append(rule.result(Status.FAIL, message, fact_ids=(score.id,), subject=row.name,
                                   reported=exact(score.value), computed=exact(Decimal(0)),
                                   difference=score.value))
    return out


def _cut_short(blocks: list[Block], expected: Decimal, closing: str) -> str:
    """Why the table looks cut short (Chinese, for the message), or "" when it looks whole."""
    last = blocks[-1]
    total = sum((b.total for b in blocks), Decimal(0))
    if last.stated is not None and last.total < last.stated:
        return f"最后的一级指标“{last.name}”标明{fmt(last.stated)}分，所列各行仅{fmt(last.total)}分"
    if all(b.stated is not None for b in blocks):
        stated = sum((b.stated for b in blocks if b.stated is not None), Decimal(0))
        if stated < expected:
            return f"所列一级指标标明的分值合计仅{fmt(stated)}分，缺少其余一级指标"
    if total < expected and closing not in last.name:
        return f"指标行止于一级指标“{last.name}”，未见表末的“{closing}”"
    return ""


def _block_results(rule: ScoringRule, blocks: list[Block], cut: str) -> list[CheckResult]:
    out = []
    for index, block in enumerate(blocks):
        points = block.points
        if block.stated is None or not points:
            continue
        ids = tuple(f.id for f in points)
        if block.total == block.stated:
            out.append(rule.result(Status.PASS, fact_ids=ids, subject=block.name))
        elif not (cut and index == len(blocks) - 1):  # the truncated last block is said once, below
            message = rule.params["block_message"].format(
                block=block.name, count=len(points), points=fmt(block.total), stated=fmt(block.stated))
            out.append(rule.result(Status.FAIL, message, fact_ids=ids, subject=block.name,
                                   reported=exact(block.total), computed=exact(block.stated),
                                   difference=block.total - block.stated))
    return out


@register("score.indicator_points", reads="extraction",
          required={"expected": "number", "block_message": str, "incomplete_message": str,
                    "joined_message": str, "negative_message": str, "closing_level": str},
          placeholders=frozenset({"points", "expected", "count"}))
def check_indicator_points(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    facts = self_eval_facts(extraction)
    rows = indicator_rows(facts)
    results = _reading_errors(rule, rows) + _negative_scores(rule, rows)
    blocks = blocks_of([r for r in rows if r.value("indicator.points") is not None])
    if not blocks:
        return results or skip(rule, "indicator.points")
    if any(r.reading_errors for r in rows):
        return results  # the total rests on a cell that could not be read
    expected = rule.number("expected")
    points = [f for b in blocks for f in b.points]
    total, ids = sum((b.total for b in blocks), Decimal(0)), tuple(f.id for f in points)
    cut = "" if total == expected else _cut_short(blocks, expected, rule.params["closing_level"])
    results += _block_results(rule, blocks, cut)
    if total == expected:
        return [*results, rule.result(Status.PASS, fact_ids=ids)]
    if cut:
        message = rule.params["incomplete_message"].format(count=len(points), points=fmt(total), why=cut)
        return [*results, _advisory(rule, message, fact_ids=ids, reported=exact(total))]
    message = rule.render(points=fmt(total), expected=fmt(expected), count=len(points))
    return [*results, rule.result(
        Status.FAIL, message, fact_ids=ids, reported=exact(total),
        computed=exact(expected), difference=total - expected,
    )]
