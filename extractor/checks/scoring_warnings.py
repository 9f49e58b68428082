"""The provincial system's rules (domain.md §7): the grade the total implies against the
grade the report claims, the red warning (indicator score rate above the execution score
rate by more than 5%) and the yellow warnings (预算数 0, more than 20% unspent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..model import CheckResult, Extraction, Fact, Interval, Status
from .intervals import exact, fact_interval
from .registry import register
from .scoring_facts import (
    budget_amounts,
    execution_rate,
    fmt,
    fmt_percent,
    indicator_rows,
    pick,
    pick_table_then_text,
    self_eval_facts,
    wan_text,
)
from .scoring_rules import ScoringRule, absent, bracket, skip
from .select import is_text

TOTAL = "evaluation.total_score"
RATE = "budget.execution_rate"
BUDGET_SCORE = "budget.score"


def _normal_grade(rule: ScoringRule, text: str) -> str | None:
    for word, grade in sorted(rule.params["synonyms"].items(), key=lambda kv: -len(kv[0])):
        text = text.replace(word, grade)
    names = [str(g["grade"]) for g in rule.params["grades"]]
    return next((ch for ch in text if ch in names), None)


def _claimed_grade(rule: ScoringRule, extraction: Extraction) -> tuple[str, tuple[str, ...]] | None:
    """The grade the report claims: an evaluation.grade fact, else "等级为优" in a sentence."""
    for fact in extraction.facts:
        if fact.label == "evaluation.grade":
            grade = _normal_grade(rule, (fact.text_value or fact.raw or "").strip())
            if grade:
                return grade, (fact.id,)
    for fact in extraction.facts:
        for pattern in rule.params["patterns"]:
            match = re.search(pattern, fact.sentence)
            grade = _normal_grade(rule, match.group(1)) if match else None
            if grade:
                return grade, (fact.id,)
    return None


@register("score.grade", reads="extraction", required={"grades": "grades", "synonyms": "mapping", "patterns": "regexes"},
          placeholders=frozenset({"total", "grade", "implied"}))
def check_grade(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    claimed = _claimed_grade(rule, extraction)
    text_total = pick((f for f in extraction.facts if is_text(f)), TOTAL)
    total = text_total or pick_table_then_text(extraction, TOTAL)
    if claimed is None or total is None or total.value is None:
        return skip(rule, *absent(evaluation__grade=claimed, evaluation__total_score=total))
    grade, grade_ids = claimed
    interval, ids = fact_interval(total), tuple(dict.fromkeys((total.id, *grade_ids)))
    grades = rule.params["grades"]
    possible = {str(b["grade"]) for v in (interval.lo, interval.hi) if (b := bracket(grades, v))}
    if grade in possible:
        return [rule.result(Status.PASS, fact_ids=ids)]
    implied = bracket(grades, total.value)
    message = rule.render(total=fmt(total.value), grade=grade, implied=implied["grade"] if implied else "—")
    return [rule.result(Status.FAIL, message, fact_ids=ids, reported=interval)]


def _indicator_scores(extraction: Extraction) -> list[Fact]:
    """The indicator scores; none when a score cell reads as two joined cells (its sum unknown)."""
    rows = indicator_rows(self_eval_facts(extraction))
    if any(row.reading_errors for row in rows):
        return []
    return [f for f in (row.value("indicator.score") for row in rows) if f is not None]


@register("score.red_warning", reads="extraction", required={"threshold": "number", "indicator_points": "number"},
          placeholders=frozenset({"indicator_rate", "execution_rate", "excess", "threshold"}))
def check_red_warning(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    """(指标得分/90 − 执行得分/10) / (指标得分/90) > 5%, with 执行得分 = 执行率 × 10 as the
    provincial system computes it. Reported as the 执行率 against the lowest one the
    indicator score allows, so the figures read in %."""
    rate, scores = execution_rate(extraction), _indicator_scores(extraction)
    if rate is None or not scores:
        return skip(rule, *absent(budget__execution_rate=rate), *(() if scores else ("indicator.score",)))
    indicator_sum = sum((f.value for f in scores if f.value is not None), Decimal(0))
    indicator_rate = indicator_sum / rule.number("indicator_points")
    exec_rate, ids = min(rate.value, Decimal(100)) / 100, (*rate.fact_ids, *(f.id for f in scores))
    if indicator_rate <= 0:
        return [rule.result(Status.PASS, fact_ids=ids)]
    excess, threshold = (indicator_rate - exec_rate) / indicator_rate, rule.number("threshold")
    if excess <= threshold:
        return [rule.result(Status.PASS, fact_ids=ids)]
    message = rule.render(
        indicator_rate=fmt_percent(indicator_rate), execution_rate=fmt_percent(exec_rate),
        excess=fmt_percent(excess), threshold=fmt_percent(threshold),
    )
    lowest = 100 * indicator_rate * (1 - threshold)
    return [rule.result(Status.FAIL, message, fact_ids=ids, reported=rate.interval,
                        computed=Interval(lowest, Decimal(100)), difference=rate.value - lowest)]


@register("score.yellow_zero_budget", reads="extraction", required={},
          placeholders=frozenset({"budget"}))
def check_yellow_zero_budget(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    budget, _ = budget_amounts(self_eval_facts(extraction))
    if budget is None or budget.value is None:
        return skip(rule, "funding.total")
    if budget.value != 0:
        return [rule.result(Status.PASS, fact_ids=(budget.id,))]
    message = rule.render(budget=wan_text(budget))
    return [rule.result(Status.FAIL, message, fact_ids=(budget.id,), reported=exact(budget.value))]


@dataclass(frozen=True)
class _Spending:
    spent: Decimal  # 全年执行数 (元), or the 执行率 (%) when no amounts are given
    whole: Decimal  # 全年预算数, or 100
    reported: Interval  # the written figure of `spent`
    shown: tuple[str, str]  # budget and executed as the message shows them
    fact_ids: tuple[str, ...]


def _spending(extraction: Extraction) -> _Spending | None:
    budget, executed = budget_amounts(self_eval_facts(extraction))
    if budget is not None and executed is not None and budget.value and executed.value is not None:
        return _Spending(executed.value, budget.value, fact_interval(executed),
                         (wan_text(budget), wan_text(executed)), (executed.id, budget.id))
    rate = execution_rate(extraction)
    if rate is None:
        return None
    return _Spending(rate.value, Decimal(100), rate.interval, ("—", rate.shown), rate.fact_ids)


@register("score.yellow_unspent", reads="extraction", required={"threshold": "number"},
          placeholders=frozenset({"budget", "executed", "unspent", "threshold"}))
def check_yellow_unspent(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    """More than 20% of 全年预算数 unspent. Reported as 全年执行数 against the least that keeps
    the unspent share within the limit (or the 执行率 against 80%, without amounts)."""
    spending, threshold = _spending(extraction), rule.number("threshold")
    if spending is None:
        return skip(rule, "funding.total", RATE)
    # compared as the platform shows it: a share in % to two decimals (20.0002% is 20.00%)
    unspent = ((spending.whole - spending.spent) / spending.whole).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    if unspent <= threshold:
        return [rule.result(Status.PASS, fact_ids=spending.fact_ids)]
    budget, executed = spending.shown
    message = rule.render(budget=budget, executed=executed, unspent=fmt_percent(unspent),
                          threshold=fmt_percent(threshold))
    least = spending.whole * (1 - threshold)
    return [rule.result(Status.FAIL, message, fact_ids=spending.fact_ids, reported=spending.reported,
                        computed=Interval(least, spending.whole), difference=spending.spent - least)]
