"""The platform's scoring rules on the 自评表 (domain.md §7), rules and thresholds as data
in patterns/scoring.toml.

Thresholds compare written values exactly (the platform does): 130% of the target IS
指标偏离; 70.00% falls in the 70%–80% bracket. Consistency rules (execution score, total
sum) compare rounding intervals: they fail only when no correctly rounded inputs could
give the reported figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ..intervals import add, exact, fact_interval, meet
from ..model import CheckResult, Extraction, Fact, Interval, Status
from .scoring_facts import (
    IndicatorRow,
    budget_amounts,
    execution_rate,
    fmt,
    fmt_percent,
    free_text_cells,
    indicator_rows,
    narrative_texts,
    pick,
    pick_table_then_text,
    self_eval_facts,
)
from .scoring_rules import ScoringRule, load_scoring_rules, to_decimal

RATE = "budget.execution_rate"
TOTAL = "evaluation.total_score"
BUDGET_SCORE = "budget.score"


def _skip(rule: ScoringRule, *missing: str) -> list[CheckResult]:
    return [rule.result(Status.SKIPPED, missing=tuple(missing))]


def _absent(**inputs: object) -> tuple[str, ...]:
    """The label ids (keyword names with '.' as '__') whose input is None."""
    return tuple(name.replace("__", ".") for name, value in inputs.items() if value is None)


def _over_limit(rule: ScoringRule, message: str, ids: tuple[str, ...], value: Decimal,
                limit: Decimal) -> list[CheckResult]:
    """A failed warning: a computed ratio above its limit."""
    return [rule.result(Status.FAIL, message, fact_ids=ids, reported=exact(value),
                        computed=Interval(Decimal(0), limit), difference=value - limit)]


# ---- 指标偏离 -------------------------------------------------------------------------


def _deviation_ratio(rule: ScoringRule, row: IndicatorRow) -> tuple[Decimal, Decimal, bool] | None:
    """(actual / target, threshold, deviated) for a numeric row whose operator has a direction."""
    target, actual = row.value("indicator.target"), row.value("indicator.actual")
    if target is None or actual is None or target.unit != actual.unit:
        return None
    assert target.value is not None and actual.value is not None
    if target.value <= 0:
        return None
    operator = target.operator or ""
    ratio = actual.value / target.value
    if operator in rule.params["up_operators"]:
        threshold = rule.number("up_ratio")
        return ratio, threshold, actual.value >= target.value * threshold
    if operator in rule.params["down_operators"]:
        threshold = rule.number("down_ratio")
        return ratio, threshold, actual.value <= target.value * threshold
    return None


def _deviation_row(rule: ScoringRule, row: IndicatorRow) -> CheckResult | None:
    found = _deviation_ratio(rule, row)
    if found is None:
        return None
    ratio, threshold, deviated = found
    if not deviated:
        return rule.result(Status.PASS, fact_ids=row.fact_ids, subject=row.name)
    points, score = row.value("indicator.points"), row.value("indicator.score")
    if points is None or score is None:
        missing = [lab for lab, f in (("indicator.points", points), ("indicator.score", score)) if f is None]
        return rule.result(Status.SKIPPED, missing=tuple(missing), fact_ids=row.fact_ids, subject=row.name)
    assert points.value is not None and score.value is not None
    penalty = rule.number("penalty")
    allowed = points.value - penalty
    if score.value <= allowed:
        return rule.result(Status.PASS, fact_ids=row.fact_ids, subject=row.name)
    message = rule.render(
        subject=row.name, target=row.cells["indicator.target"].raw.strip(),
        actual=row.cells["indicator.actual"].raw.strip(), ratio=fmt_percent(ratio),
        threshold=fmt_percent(threshold), penalty=fmt(penalty), points=fmt(points.value),
        score=fmt(score.value),
    )
    return rule.result(
        Status.FAIL, message, fact_ids=row.fact_ids, subject=row.name,
        reported=fact_interval(score), computed=Interval(Decimal(0), allowed),
        difference=score.value - allowed,
    )


def check_indicator_deviation(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    rows = indicator_rows(self_eval_facts(extraction))
    results = [r for r in (_deviation_row(rule, row) for row in rows) if r is not None]
    return results or _skip(rule, "indicator.target", "indicator.actual")


# ---- caps and thresholds on the 执行率 --------------------------------------------------


def _bracket(rows: list[dict[str, object]], value: Decimal) -> dict[str, object] | None:
    for row in rows:
        lo = to_decimal(row["lo"])
        hi = to_decimal(row["hi"]) if "hi" in row else None
        if lo <= value and (hi is None or value < hi):
            return row
    return None


def check_total_cap(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    rate, total = execution_rate(extraction), pick_table_then_text(extraction, TOTAL)
    if rate is None or total is None or total.value is None:
        return _skip(rule, *_absent(budget__execution_rate=rate, evaluation__total_score=total))
    fact_ids = rate.fact_ids + (total.id,)
    bracket = _bracket(rule.params["brackets"], rate.value)
    if bracket is None or total.value <= to_decimal(bracket["cap"]):
        return [rule.result(Status.PASS, fact_ids=fact_ids)]
    cap = to_decimal(bracket["cap"])
    hi = f"{fmt(to_decimal(bracket['hi']))}%" if "hi" in bracket else ""
    message = rule.render(
        rate=rate.shown, bracket=f"{fmt(to_decimal(bracket['lo']))}%–{hi}" if hi else f"≥{bracket['lo']}%",
        cap=fmt(cap), total=fmt(total.value),
    )
    return [rule.result(
        Status.FAIL, message, fact_ids=fact_ids, reported=fact_interval(total),
        computed=Interval(Decimal(0), cap), difference=total.value - cap,
    )]


def _explained(texts: list[str], topics: list[str], reasons: list[str], window: int) -> bool:
    """Some text names the rate (a topic word) with an explanation word within `window`."""
    for text in texts:
        for topic in topics:
            start = text.find(topic)
            while start >= 0:
                near = text[max(0, start - window): start + len(topic) + window]
                if any(word in near for word in reasons):
                    return True
                start = text.find(topic, start + 1)
    return False


def check_low_execution_unexplained(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    rate = execution_rate(extraction, allow_text=True)
    if rate is None:
        return _skip(rule, RATE)
    threshold = rule.number("threshold")
    if rate.value >= threshold:
        return [rule.result(Status.PASS, fact_ids=rate.fact_ids)]
    narrative, params = narrative_texts(extraction), rule.params
    texts = narrative + free_text_cells(extraction)
    if _explained(texts, params["topic_words"], params["explanation_words"], int(rule.number("window"))):
        return [rule.result(Status.PASS, fact_ids=rate.fact_ids)]
    if not narrative:
        return _skip(rule, "report_text")
    message = rule.render(rate=rate.shown, threshold=fmt(threshold) + "%")
    return [rule.result(Status.FAIL, message, fact_ids=rate.fact_ids, reported=rate.interval)]


# ---- points: 10 for budget execution, 90 for indicators ---------------------------------


def check_execution_points(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    points = pick(self_eval_facts(extraction), "budget.points")
    if points is None or points.value is None:
        return _skip(rule, "budget.points")
    expected = rule.number("expected")
    if points.value == expected:
        return [rule.result(Status.PASS, fact_ids=(points.id,))]
    message = rule.render(points=fmt(points.value), expected=fmt(expected))
    return [rule.result(
        Status.FAIL, message, fact_ids=(points.id,), reported=exact(points.value),
        computed=exact(expected), difference=points.value - expected,
    )]


def check_indicator_points(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    cells = [row.value("indicator.points") for row in indicator_rows(self_eval_facts(extraction))]
    points = [f for f in cells if f is not None]
    if not points:
        return _skip(rule, "indicator.points")
    total = sum((f.value for f in points if f.value is not None), Decimal(0))
    expected, ids = rule.number("expected"), tuple(f.id for f in points)
    if total == expected:
        return [rule.result(Status.PASS, fact_ids=ids)]
    message = rule.render(points=fmt(total), expected=fmt(expected), count=len(points))
    return [rule.result(
        Status.FAIL, message, fact_ids=ids, reported=exact(total),
        computed=exact(expected), difference=total - expected,
    )]


def _execution_points(rule: ScoringRule, facts: list[Fact]) -> Decimal:
    stated = pick(facts, "budget.points")
    return stated.value if stated is not None and stated.value else rule.number("points")


def check_execution_score(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    facts = self_eval_facts(extraction)
    rate, score = execution_rate(extraction), pick(facts, BUDGET_SCORE)
    if rate is None or score is None or score.value is None:
        return _skip(rule, *_absent(budget__execution_rate=rate, budget__score=score))
    points, cap = _execution_points(rule, facts), Decimal(100)
    computed = Interval(min(rate.interval.lo, cap) * points / 100, min(rate.interval.hi, cap) * points / 100)
    reported, ids = fact_interval(score), rate.fact_ids + (score.id,)
    if meet(reported, computed):
        return [rule.result(Status.PASS, fact_ids=ids, reported=reported, computed=computed)]
    expected = min(rate.value, cap) * points / 100
    message = rule.render(rate=rate.shown, score=fmt(score.value), points=fmt(points), computed=fmt(expected))
    return [rule.result(
        Status.FAIL, message, fact_ids=ids, reported=reported, computed=computed,
        difference=score.value - expected,
    )]


def recomputed_total(extraction: Extraction) -> tuple[Interval, tuple[str, ...], Decimal, Decimal] | None:
    """预算执行得分 + Σ 指标得分: (interval, fact ids, budget score, indicator score sum).

    Indicator scores are awarded, not computed, so they count as exact; only the
    execution score (执行率 × 10) may have been rounded where it is written.
    """
    facts = self_eval_facts(extraction)
    budget = pick(facts, BUDGET_SCORE)
    scores = [row.value("indicator.score") for row in indicator_rows(facts)]
    present = [f for f in scores if f is not None]
    if budget is None or budget.value is None or not present:
        return None
    indicator_sum = sum((f.value for f in present if f.value is not None), Decimal(0))
    interval = add(fact_interval(budget), exact(indicator_sum))
    return interval, (budget.id, *(f.id for f in present)), budget.value, indicator_sum


def check_total_sum(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    recomputed = recomputed_total(extraction)
    total = pick_table_then_text(extraction, TOTAL)
    if recomputed is None:
        return _skip(rule, *((TOTAL,) if total is None else ()), BUDGET_SCORE, "indicator.score")
    computed, ids, budget_score, indicator_sum = recomputed
    if total is None or total.value is None:
        return [rule.result(Status.SKIPPED, missing=(TOTAL,), fact_ids=ids, computed=computed)]
    reported, ids = fact_interval(total), (total.id, *ids)
    if meet(reported, computed):
        return [rule.result(Status.PASS, fact_ids=ids, reported=reported, computed=computed)]
    message = rule.render(
        total=fmt(total.value), computed=fmt(budget_score + indicator_sum),
        budget_score=fmt(budget_score), indicator_score=fmt(indicator_sum),
    )
    return [rule.result(
        Status.FAIL, message, fact_ids=ids, reported=reported, computed=computed,
        difference=total.value - budget_score - indicator_sum,
    )]


# ---- grade, red and yellow warnings ---------------------------------------------------


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
        return _skip(rule, *_absent(evaluation__grade=claimed, evaluation__total_score=total))
    grade, grade_ids = claimed
    interval, ids = fact_interval(total), tuple(dict.fromkeys((total.id, *grade_ids)))
    grades = rule.params["grades"]
    possible = {str(b["grade"]) for v in (interval.lo, interval.hi) if (b := _bracket(grades, v))}
    if grade in possible:
        return [rule.result(Status.PASS, fact_ids=ids)]
    implied = _bracket(grades, total.value)
    message = rule.render(total=fmt(total.value), grade=grade, implied=implied["grade"] if implied else "—")
    return [rule.result(Status.FAIL, message, fact_ids=ids, reported=interval)]


def check_red_warning(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    recomputed = recomputed_total(extraction)
    if recomputed is None:
        return _skip(rule, BUDGET_SCORE, "indicator.score")
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
    return _over_limit(rule, message, ids, excess, threshold)


def check_yellow_zero_budget(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    budget, _ = budget_amounts(self_eval_facts(extraction))
    if budget is None or budget.value is None:
        return _skip(rule, "funding.total")
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
            return _skip(rule, "funding.total", RATE)
        unspent, ids, shown = 1 - rate.value / 100, rate.fact_ids, ("—", rate.shown)
    if unspent <= threshold:
        return [rule.result(Status.PASS, fact_ids=ids)]
    message = rule.render(budget=shown[0], executed=shown[1], unspent=fmt_percent(unspent),
                          threshold=fmt_percent(threshold))
    return _over_limit(rule, message, ids, unspent, threshold)


SCORING_CHECKS: dict[str, Callable[[ScoringRule, Extraction], list[CheckResult]]] = {
    "score.indicator_deviation": check_indicator_deviation,
    "score.total_cap": check_total_cap,
    "score.low_execution_unexplained": check_low_execution_unexplained,
    "score.execution_points": check_execution_points,
    "score.indicator_points": check_indicator_points,
    "score.execution_score": check_execution_score,
    "score.total_sum": check_total_sum,
    "score.grade": check_grade,
    "score.red_warning": check_red_warning,
    "score.yellow_zero_budget": check_yellow_zero_budget,
    "score.yellow_unspent": check_yellow_unspent,
}


def run_scoring_checks(
    extraction: Extraction, province: str | None = None, patterns: str | Path | None = None
) -> list[CheckResult]:
    """Every enabled scoring rule on one submission; province from the argument or metadata."""
    rules = load_scoring_rules(patterns, province or extraction.metadata.get("province") or None)
    results: list[CheckResult] = []
    for rule_id, check in SCORING_CHECKS.items():
        rule = rules[rule_id]
        if rule.enabled:
            results.extend(check(rule, extraction))
    return results
