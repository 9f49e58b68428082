"""The provincial system's rules (domain.md §7): the grade the total implies against the
grade the report claims, the red warning (indicator score rate above the execution score
rate by more than 5%) and the yellow warnings (预算数 0, more than 20% unspent).
"""

from __future__ import annotations

import re

from ..intervals import exact, fact_interval
from ..model import CheckResult, Extraction, Status
from .scoring_facts import (
    budget_amounts,
    execution_rate,
    fmt,
    fmt_percent,
    pick,
    pick_table_then_text,
    recomputed_total,
    self_eval_facts,
)
from .scoring_rules import ScoringRule, absent, bracket, over_limit, skip

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


def check_grade(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    claimed = _claimed_grade(rule, extraction)
    text_total = pick((f for f in extraction.facts if f.locator.table is None), TOTAL)
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


def check_red_warning(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    recomputed = recomputed_total(extraction)
    if recomputed is None:
        return skip(rule, BUDGET_SCORE, "indicator.score")
    _, ids, budget_score, indicator_sum = recomputed
    indicator_rate = indicator_sum / rule.number("indicator_points")
    exec_rate = budget_score / rule.number("execution_points")
    if indicator_rate <= 0:
        return [rule.result(Status.PASS, fact_ids=ids)]
    excess, threshold = (indicator_rate - exec_rate) / indicator_rate, rule.number("threshold")
    if excess <= threshold:
        return [rule.result(Status.PASS, fact_ids=ids)]
    message = rule.render(
        indicator_rate=fmt_percent(indicator_rate), execution_rate=fmt_percent(exec_rate),
        excess=fmt_percent(excess), threshold=fmt_percent(threshold),
    )
    return over_limit(rule, message, ids, excess, threshold)


def check_yellow_zero_budget(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    budget, _ = budget_amounts(self_eval_facts(extraction))
    if budget is None or budget.value is None:
        return skip(rule, "funding.total")
    if budget.value != 0:
        return [rule.result(Status.PASS, fact_ids=(budget.id,))]
    message = rule.render(budget=budget.raw.strip() or "0")
    return [rule.result(Status.FAIL, message, fact_ids=(budget.id,), reported=exact(budget.value))]


def check_yellow_unspent(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    budget, executed = budget_amounts(self_eval_facts(extraction))
    threshold = rule.number("threshold")
    if budget is not None and executed is not None and budget.value:
        assert executed.value is not None
        unspent, ids = (budget.value - executed.value) / budget.value, (budget.id, executed.id)
        shown = (budget.raw.strip(), executed.raw.strip())
    else:
        rate = execution_rate(extraction)
        if rate is None:
            return skip(rule, "funding.total", RATE)
        unspent, ids, shown = 1 - rate.value / 100, rate.fact_ids, ("—", rate.shown)
    if unspent <= threshold:
        return [rule.result(Status.PASS, fact_ids=ids)]
    message = rule.render(budget=shown[0], executed=shown[1], unspent=fmt_percent(unspent),
                          threshold=fmt_percent(threshold))
    return over_limit(rule, message, ids, unspent, threshold)
