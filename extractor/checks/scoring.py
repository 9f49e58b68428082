"""The platform's scoring rules on the 自评表 (domain.md §7), rules and thresholds as data
in patterns/scoring.toml.

Thresholds compare written values exactly (the platform does): 130% of the target IS
指标偏离; 70.00% falls in the 70%–80% bracket. Consistency rules (execution score, total
sum) compare rounding intervals: they fail only when no correctly rounded inputs could
give the reported figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import CheckResult, Extraction, Fact, Interval, Reach, Status
from .intervals import exact, fact_interval, meet
from .registry import register
from .scoring_facts import (
    IndicatorRow,
    execution_rate,
    fmt,
    fmt_percent,
    free_text_cells,
    indicator_rows,
    narrative_texts,
    pick,
    pick_table_then_text,
    recomputed_total,
    self_eval_facts,
)
from .scoring_rules import ScoringRule, absent, bracket, rules_for, run_table_rules, skip, to_decimal
from .select import is_text

if TYPE_CHECKING:
    from ..patterns import Patterns

RATE = "budget.execution_rate"
TOTAL = "evaluation.total_score"
TOTAL_POINTS = "evaluation.total_points"
BUDGET_SCORE = "budget.score"


# ---- 指标偏离 -------------------------------------------------------------------------


def _deviation_ratio(rule: ScoringRule, row: IndicatorRow) -> tuple[Decimal, Decimal, bool] | None:
    """(actual / target, threshold, deviated) for a numeric row whose operator has a direction."""
    target, actual = row.value("indicator.target"), row.value("indicator.actual")
    if target is None or actual is None:
        return None
    if target.unit and actual.unit and target.unit != actual.unit:
        return None  # a bare number takes its unit from the other cell or the header
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
    ids = (score.id, *(i for i in row.fact_ids if i != score.id))  # the reported figure first
    return rule.result(
        Status.FAIL, message, fact_ids=ids, subject=row.name,
        reported=fact_interval(score), computed=Interval(Decimal(0), allowed),
        difference=score.value - allowed,
    )


@register("score.indicator_deviation", reads="extraction", required={"up_ratio": "number", "down_ratio": "number", "up_operators": "strings", "down_operators": "strings", "penalty": "number"},
          placeholders=frozenset({"subject", "target", "actual", "ratio", "threshold", "penalty", "points", "score"}))
def check_indicator_deviation(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    rows = indicator_rows(self_eval_facts(extraction))
    results = [r for r in (_deviation_row(rule, row) for row in rows) if r is not None]
    return results or skip(rule, "indicator.target", "indicator.actual")


# ---- caps and thresholds on the 执行率 --------------------------------------------------


def _band_name(band: dict[str, object]) -> str:
    """"70%–80%" for a bracket row; "≥70%" when it has no upper bound."""
    lo = fmt(to_decimal(band["lo"])) + "%"
    return f"{lo}–{fmt(to_decimal(band['hi']))}%" if "hi" in band else f"≥{lo}"


def total_cap(rule: ScoringRule, rate: Decimal) -> Decimal | None:
    """The highest total the 执行率 allows, None when uncapped."""
    band = bracket(rule.params["brackets"], rate)
    return to_decimal(band["cap"]) if band is not None else None


def _reach(rule: ScoringRule, *facts: Fact) -> Reach:
    """文表 when a narrative figure stood in for a missing table cell, else the rule's own."""
    return Reach.TEXT_TABLE if any(is_text(f) for f in facts) else rule.reach


@register("score.total_cap", reads="extraction", required={"brackets": "brackets"},
          placeholders=frozenset({"rate", "bracket", "cap", "total"}))
def check_total_cap(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    rate, total = execution_rate(extraction), pick_table_then_text(extraction, TOTAL)
    if rate is None or total is None or total.value is None:
        return skip(rule, *absent(budget__execution_rate=rate, evaluation__total_score=total))
    fact_ids, cap = (total.id, *rate.fact_ids), total_cap(rule, rate.value)  # the reported figure first
    reach = _reach(rule, total)
    if cap is None or total.value <= cap:
        return [rule.result(Status.PASS, fact_ids=fact_ids, reach=reach)]
    band = bracket(rule.params["brackets"], rate.value)
    assert band is not None
    message = rule.render(rate=rate.shown, bracket=_band_name(band), cap=fmt(cap), total=fmt(total.value))
    return [rule.result(
        Status.FAIL, message, fact_ids=fact_ids, reported=fact_interval(total),
        computed=Interval(Decimal(0), cap), difference=total.value - cap, reach=reach,
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


@register("score.low_execution_unexplained", reads="extraction", required={"threshold": "number", "topic_words": "strings", "explanation_words": "strings", "window": "number"},
          placeholders=frozenset({"rate", "threshold"}))
def check_low_execution_unexplained(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    rate = execution_rate(extraction, allow_text=True)
    if rate is None:
        return skip(rule, RATE)
    threshold = rule.number("threshold")
    if rate.value >= threshold:
        return [rule.result(Status.PASS, fact_ids=rate.fact_ids)]
    narrative, params = narrative_texts(extraction) + list(extraction.remarks), rule.params
    texts = narrative + free_text_cells(extraction)
    if _explained(texts, params["topic_words"], params["explanation_words"], int(rule.number("window"))):
        return [rule.result(Status.PASS, fact_ids=rate.fact_ids)]
    if not narrative:
        return skip(rule, "report_text")
    message = rule.render(rate=rate.shown, threshold=fmt(threshold) + "%")
    return [rule.result(Status.FAIL, message, fact_ids=rate.fact_ids, reported=rate.interval)]


# ---- points: 10 for budget execution, 90 for indicators ---------------------------------


@register("score.execution_points", reads="extraction", required={"expected": "number", "indicator_expected": "number"},
          placeholders=frozenset({"points", "expected"}))
def check_execution_points(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    points = pick(self_eval_facts(extraction), "budget.points")
    if points is None or points.value is None:
        return skip(rule, "budget.points")
    expected = rule.number("expected")
    if points.value == expected:
        return [rule.result(Status.PASS, fact_ids=(points.id,))]
    message = rule.render(points=fmt(points.value), expected=fmt(expected))
    return [rule.result(
        Status.FAIL, message, fact_ids=(points.id,), reported=exact(points.value),
        computed=exact(expected), difference=points.value - expected,
    )]


def _execution_score(rate: Decimal, points: Decimal) -> Decimal:
    """执行率 × 分值, the rate capped at 100%."""
    return min(rate, Decimal(100)) * points / 100


def _execution_points(rule: ScoringRule, facts: list[Fact]) -> Decimal:
    stated = pick(facts, "budget.points")
    return stated.value if stated is not None and stated.value else rule.number("points")


@register("score.execution_score", reads="extraction", required={"points": "number"},
          placeholders=frozenset({"rate", "score", "computed", "points"}))
def check_execution_score(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    facts = self_eval_facts(extraction)
    rate, score = execution_rate(extraction), pick(facts, BUDGET_SCORE)
    if rate is None or score is None or score.value is None:
        return skip(rule, *absent(budget__execution_rate=rate, budget__score=score))
    points = _execution_points(rule, facts)
    computed = Interval(_execution_score(rate.interval.lo, points), _execution_score(rate.interval.hi, points))
    reported, ids = fact_interval(score), (score.id, *rate.fact_ids)
    if meet(reported, computed):
        return [rule.result(Status.PASS, fact_ids=ids, reported=reported, computed=computed)]
    expected = _execution_score(rate.value, points)
    message = rule.render(rate=rate.shown, score=fmt(score.value), points=fmt(points), computed=fmt(expected))
    return [rule.result(
        Status.FAIL, message, fact_ids=ids, reported=reported, computed=computed,
        difference=score.value - expected, computed_decimals=2,
    )]


@register("score.total_sum", reads="extraction", required={},
          placeholders=frozenset({"total", "computed", "budget_score", "indicator_score"}))
def check_total_sum(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    recomputed = recomputed_total(extraction)
    total = pick_table_then_text(extraction, TOTAL)
    if recomputed is None:
        return skip(rule, *((TOTAL,) if total is None else ()), BUDGET_SCORE, "indicator.score")
    computed, ids, budget_score, indicator_sum = recomputed
    if total is None or total.value is None:
        return [rule.result(Status.SKIPPED, missing=(TOTAL,), fact_ids=ids, computed=computed)]
    reported, ids, reach = fact_interval(total), (total.id, *ids), _reach(rule, total)
    if meet(reported, computed):
        return [rule.result(Status.PASS, fact_ids=ids, reported=reported, computed=computed, reach=reach)]
    message = rule.render(
        total=fmt(total.value), computed=fmt(budget_score + indicator_sum),
        budget_score=fmt(budget_score), indicator_score=fmt(indicator_sum),
    )
    return [rule.result(
        Status.FAIL, message, fact_ids=ids, reported=reported, computed=computed,
        difference=total.value - budget_score - indicator_sum, reach=reach,
    )]


def run_scoring_checks(
    extraction: Extraction, province: str | None = None, patterns: Patterns | None = None
) -> list[CheckResult]:
    """Every enabled scoring rule on one submission; province from the argument or metadata."""
    return run_table_rules(extraction, rules_for(extraction, province, patterns), "extraction")


def _deducted_indicator_sum(rule: ScoringRule, rows: list[IndicatorRow]) -> Decimal:
    """Σ 指标得分, each at most its 分值, with the −2 of every 指标偏离 the unit did not take
    (never below 0)."""
    total = Decimal(0)
    for row in rows:
        score, points = row.value("indicator.score"), row.value("indicator.points")
        if score is None or score.value is None:
            continue
        value, found = score.value, _deviation_ratio(rule, row) if rule.enabled else None
        if points is not None and points.value is not None:
            value = min(value, points.value)  # a row never scores above its 分值
        if found is not None and found[2] and points is not None and points.value is not None:
            value = min(value, max(points.value - rule.number("penalty"), Decimal(0)))
        total += value
    return total


def platform_score(
    extraction: Extraction, province: str | None = None, patterns: Patterns | None = None
) -> Decimal | None:
    """The total the platform's rules give: Σ 指标得分 after 指标偏离 deductions + 执行率 × 分值
    (capped at the 分值), then capped by the 执行率 bracket; None without a rate or scores."""
    rules = rules_for(extraction, province, patterns)
    facts = self_eval_facts(extraction)
    rows, rate = indicator_rows(facts), execution_rate(extraction)
    if rate is None or not any(r.value("indicator.score") for r in rows) or any(r.reading_errors for r in rows):
        return None
    indicators = _deducted_indicator_sum(rules["score.indicator_deviation"], rows)
    points = _execution_points(rules["score.execution_score"], facts)
    total = indicators + _execution_score(rate.value, points)
    cap_rule = rules["score.total_cap"]
    cap = total_cap(cap_rule, rate.value) if cap_rule.enabled else None
    total = min(total, cap) if cap is not None else total
    most = _total_points(facts, rows, points)
    return (min(total, most) if most is not None else total).quantize(Decimal("0.01"))


def _total_points(facts: list[Fact], rows: list[IndicatorRow], execution_points: Decimal) -> Decimal | None:
    """The most the submission can score: its 总分值 as stated, else Σ 分值 of the indicators and
    the 预算执行 分值 when every indicator states one; None when neither is known."""
    stated = pick(facts, TOTAL_POINTS)
    if stated is not None and stated.value:
        return stated.value
    points = [r.value("indicator.points") for r in rows if r.value("indicator.score")]
    if points and all(p is not None and p.value is not None for p in points):
        return sum((p.value for p in points if p is not None and p.value is not None), execution_points)
    return None


def recomputed_score(extraction: Extraction, patterns: Patterns | None = None) -> Decimal | None:
    """重新计算得分 for the reviewer's 汇总 sheet: the platform's score (platform_score) under
    the extraction's province, None when the 自评表 gives no 执行率 or no indicator scores."""
    return platform_score(extraction, None, patterns)
