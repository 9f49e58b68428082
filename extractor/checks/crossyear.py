"""Checks across years: what this year's report says about last year agrees with last year's report.

A figure for year Y-1 quoted in the year-Y submission is
  - a narrative fact with role prior (上年 / 2023年 …),
  - a change relative to last year (较2023年度减少3人: this year's value minus the change),
  - an annex figure of the {Y-1}年决算数 column (measure final, year Y-1);
it is compared with the year-(Y-1) submission's own figures for Y-1 with the same label,
preferring the same annex row, then any annex final figure, then the narrative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import (
    CheckResult,
    Extraction,
    Fact,
    Family,
    Interval,
    Kind,
    Level,
    Measure,
    Reach,
    Role,
    Severity,
    Status,
)
from ..numbers import format_quantity
from .intervals import fact_interval, meet, midpoint, sub

RULE_ID = "cross_year.prior_figure"
FAMILY = Family.CROSS_YEAR
OPEN_MESSAGE = "{subject}：{year}年报告所述{prior}年数 {reported} 与{prior}年报告 {expected} 不一致（差额 {difference}）"
PASS_MESSAGE = "{subject}：{year}年报告所述{prior}年数 {reported} 与{prior}年报告一致"
PRIOR_WORDS = ("上年", "去年", "上一年", "同比", "上年度")
SKIP_MESSAGE = "未核查：{prior}年报告中没有“{subject}”"
AMBIGUOUS_MESSAGE = "未核查：{year}年报告对“{subject}”写有{count}个变化数（{raws}），无法判断哪一个是与上年相比的变化"
AMBIGUOUS_MISSING = "change.unambiguous"  # what a skipped check lacks: one stated change


@dataclass(frozen=True, slots=True)
class Quote:
    """A year-(Y-1) figure as this year's report gives it."""

    facts: tuple[Fact, ...]  # the fact(s) it is computed from, the written one first
    interval: Interval
    like: Fact  # unit and precision to show it in


def states_last_year(fact: Fact, year: int) -> bool:
    """上年/2023年 figures in the text (some extractors stamp them with the report year) and
    the {Y-1}年决算数 column of 附件1."""
    if fact.role is Role.PRIOR:
        return fact.year in (None, year - 1, year)
    in_last_year_column = fact.locator.table is not None and fact.measure == Measure.FINAL and fact.year == year - 1
    return fact.role is Role.VALUE and in_last_year_column


def quotes_of(extraction: Extraction, year: int) -> tuple[list[Quote], list[CheckResult]]:
    """Every figure for year-1 in this year's extraction, and a skipped check for each figure with
    several stated changes (持平（新招录1人，1人离职）: no single one is the change against last year)."""
    by_id = {f.id: f for f in extraction.facts}
    quotes: list[Quote] = []
    ambiguous: dict[str, list[Fact]] = {}
    for fact in extraction.facts:
        if fact.value is None or not fact.label:
            continue
        if states_last_year(fact, year):
            quotes.append(Quote((fact,), fact_interval(fact), fact))
        elif fact.role is Role.CHANGE and fact.of in by_id:
            if several_changes_stated(fact, extraction.facts, year) and against(fact, year):
                group = ambiguous.setdefault(fact.of, [])
                group += [f for f in stated_changes(fact, extraction.facts, year) if f not in group]
                continue
            quote = _change_quote(fact, by_id[fact.of], year)
            if quote is not None:
                quotes.append(quote)
    return quotes, [ambiguous_skip(by_id[of], changes, year) for of, changes in ambiguous.items()]


def stated_changes(change: Fact, facts: Sequence[Fact], year: int) -> list[Fact]:
    """The changes against last year stated for the same figure at the same place, as
    checks.select.FactIndex.ambiguous_change gathers them, plus the unlinked ones of the same
    sentence (the extractor may link only the first of 新招录1人，1人离职). A change against the
    budget in the same paragraph is no rival: it is not about last year."""
    def rival(f: Fact) -> bool:
        linked = f.of == change.of or (f.of is None and f.label == change.label and f.sentence == change.sentence)
        return linked and _same_place(f, change) and (not f.sentence or against_last_year(f.sentence, year))

    return [f for f in facts if f.role is Role.CHANGE and rival(f)]


def _same_place(fact: Fact, other: Fact) -> bool:
    if fact.locator.table is None:
        return fact.locator.block == other.locator.block
    return fact.locator.table == other.locator.table


def several_changes_stated(change: Fact, facts: Sequence[Fact], year: int) -> bool:
    """More than one distinct change stated: which one is against last year is unclear."""
    return len({(f.value, f.direction) for f in stated_changes(change, facts, year)}) > 1


DIRECTION_ZH = {"increase": "增加", "decrease": "减少"}


def ambiguous_skip(current: Fact, changes: list[Fact], year: int) -> CheckResult:
    subject = current.subject or current.label
    stated = dict.fromkeys(DIRECTION_ZH.get(c.direction.value if c.direction else "", "") + c.raw for c in changes)
    return CheckResult(
        rule_id=RULE_ID, family=FAMILY, status=Status.SKIPPED, severity=Severity.ERROR,
        message=AMBIGUOUS_MESSAGE.format(year=year, subject=subject, count=len(stated), raws="、".join(stated)),
        fact_ids=tuple(c.id for c in changes), missing=(AMBIGUOUS_MISSING,),
        reach=Reach.CROSS_YEAR, level=Level.MANDATORY, subject=subject,
    )


def _change_quote(change: Fact, current: Fact, year: int) -> Quote | None:
    """这年值 − 变化 = 上年值, when the change is in the value's own unit and against last year."""
    from .select import signed_interval

    if current.value is None or change.kind in (Kind.PERCENT, Kind.PERCENT_POINT) or change.unit != current.unit:
        return None
    if change.year not in (None, year - 1, year) or current.role is not Role.VALUE or not current.label:
        return None
    if change.sentence and not against_last_year(change.sentence, year):
        return None  # 较年初预算减少… is a change against the budget, not against last year
    return Quote((change, current), sub(fact_interval(current), signed_interval(change)), current)


def against(change: Fact, year: int) -> bool:
    return not change.sentence or against_last_year(change.sentence, year)


def against_last_year(sentence: str, year: int) -> bool:
    return any(word in sentence for word in (*PRIOR_WORDS, f"{year - 1}年"))


def own_figures(extraction: Extraction, year: int, quoted: Fact) -> list[Fact]:
    """Last year's report's figures for its own year, best match first (same row, annex, text)."""
    label, unit = quoted.label, quoted.unit
    found = [
        f for f in extraction.facts
        if f.label == label and f.unit == unit and f.value is not None and f.role is Role.VALUE
        and f.year in (None, year) and f.measure in (Measure.AS_STATED, Measure.FINAL)
    ]
    same_row = [f for f in found if f.locator.table is not None and quoted.row_label and f.row_label == quoted.row_label]
    annex = [f for f in found if f.locator.table is not None and f.measure == Measure.FINAL]
    text = [f for f in found if f.locator.table is None]
    if label.endswith(".item"):
        return same_row
    return same_row or annex or text


def check_quote(quote: Quote, prior: Extraction, year: int) -> CheckResult:
    subject = quote.like.subject or quote.like.label
    values = {"subject": subject, "year": year, "prior": year - 1}
    candidates = own_figures(prior, year - 1, quote.like)
    if not candidates:
        return CheckResult(
            rule_id=RULE_ID, family=FAMILY, status=Status.SKIPPED, severity=Severity.ERROR,
            message=SKIP_MESSAGE.format(**values), fact_ids=tuple(f.id for f in quote.facts),
            missing=(quote.like.label,), reach=Reach.CROSS_YEAR, level=Level.MANDATORY, subject=subject,
        )
    agreeing = [f for f in candidates if meet(quote.interval, fact_interval(f))]
    chosen = agreeing[0] if agreeing else candidates[0]
    computed = fact_interval(chosen)
    gap = midpoint(quote.interval) - midpoint(computed)
    shown = {
        "reported": format_quantity(midpoint(quote.interval), quote.like.unit, quote.like.decimals),
        "expected": format_quantity(midpoint(computed), chosen.unit, chosen.decimals),
        "difference": format_quantity(gap, quote.like.unit, quote.like.decimals),
    }
    failed = not agreeing
    return CheckResult(
        rule_id=RULE_ID, family=FAMILY, status=Status.FAIL if failed else Status.PASS, severity=Severity.ERROR,
        message=(OPEN_MESSAGE if failed else PASS_MESSAGE).format(**values, **shown),
        fact_ids=tuple(dict.fromkeys([*(f.id for f in quote.facts), chosen.id])),
        reported=quote.interval, computed=computed, difference=gap,
        reach=Reach.CROSS_YEAR, level=Level.MANDATORY, subject=subject,
    )


def cross_year_checks(this: Extraction, year: int, prior: Extraction) -> list[CheckResult]:
    """Every quoted year-(Y-1) figure of `this` against `prior` (the same unit's Y-1 extraction);
    figures with several stated changes are skipped, with the reason."""
    quotes, skipped = quotes_of(this, year)
    return [*(check_quote(quote, prior, year) for quote in quotes), *skipped]
