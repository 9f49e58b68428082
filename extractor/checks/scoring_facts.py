"""Views of an Extraction that the scoring and form rules read: the 自评表's figures,
its indicator rows, the budget execution rate, rounding intervals and text to search.

Table facts come from the annex reader (Fact.locator.table set); narrative facts are
the fallback only where a rule compares text with table (total score, grade, rate).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from ..model import Extraction, Fact, Interval
from .intervals import add, fact_interval, meet
from .select import is_text

INDICATOR_LABELS = (
    "indicator.target",
    "indicator.actual",
    "indicator.points",
    "indicator.score",
    "indicator.reason",
)


JOIN_LIMIT = Decimal(100)  # no single 分值 or 得分 cell of a 自评表 exceeds the 100-point total
SCORE_CELLS = ("indicator.points", "indicator.score")


def joined_cells(fact: Fact, limit: Decimal = JOIN_LIMIT) -> tuple[str, str] | None:
    """A 分值/得分 cell that reads as two cells run together (rows joined at a PDF page
    break: "10" + "10" -> 1010): the two numbers, or None when it reads as one figure."""
    if fact.value is None or fact.value <= limit:
        return None
    digits = "".join(fact.raw.split()).removesuffix("分")
    if not digits.isdigit() or not 3 <= len(digits) <= 4:
        return None
    for cut in range(1, len(digits)):
        first, second = digits[:cut], digits[cut:]
        if "0" not in (first[0], second[0]) and 0 < int(first) <= limit and 0 < int(second) <= limit:
            return first, second
    return None


def fmt(value: Decimal, places: int = 2) -> str:
    """A number as a reviewer reads it: at most `places` decimals, no trailing zeros."""
    quantum = Decimal(1).scaleb(-places)
    text = format(value.quantize(quantum), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_percent(fraction: Decimal) -> str:
    return fmt(fraction * 100) + "%"


def self_eval_facts(extraction: Extraction) -> list[Fact]:
    """Table facts of the department 自评表; project 自评表 facts only when nothing else."""
    table = [f for f in extraction.facts if not is_text(f)]
    department = [f for f in table if "project" not in f.rule_id]
    return department or table


def pick(facts: Iterable[Fact], label: str, measures: Sequence[str] = ()) -> Fact | None:
    """The first fact with this label and a value, trying the measures in order."""
    candidates = [f for f in facts if f.label == label and f.value is not None]
    if not measures:
        return candidates[0] if candidates else None
    for measure in measures:
        for fact in candidates:
            if fact.measure == measure:
                return fact
    return None


def pick_table_then_text(extraction: Extraction, label: str) -> Fact | None:
    table = pick(self_eval_facts(extraction), label)
    if table is not None:
        return table
    return pick((f for f in extraction.facts if is_text(f)), label)


@dataclass
class IndicatorRow:
    group: str
    order: int
    path: tuple[str, str, str]  # 一级, 二级, 三级 as written
    cells: dict[str, Fact] = field(default_factory=dict)  # label -> fact

    @property
    def name(self) -> str:
        return self.path[2]

    def value(self, label: str) -> Fact | None:
        """The cell's fact when it holds a figure (not one that reads as two joined cells)."""
        fact = self.cells.get(label)
        if fact is None or fact.value is None or (label in SCORE_CELLS and joined_cells(fact)):
            return None
        return fact

    @property
    def reading_errors(self) -> list[Fact]:
        """Its 分值/得分 cells that read as two joined cells."""
        return [f for label in SCORE_CELLS if (f := self.cells.get(label)) is not None and joined_cells(f)]

    @property
    def fact_ids(self) -> tuple[str, ...]:
        return tuple(self.cells[label].id for label in INDICATOR_LABELS if label in self.cells)


def _split_path(fact: Fact) -> tuple[str, str, str]:
    parts = fact.row_label.split("/", 2) if fact.row_label else []
    parts = [p.strip() for p in parts] + [""] * (3 - len(parts))
    third = parts[2] or fact.subject.strip()
    return parts[0], parts[1], third


def indicator_rows(facts: Iterable[Fact]) -> list[IndicatorRow]:
    """Indicator facts regrouped into their table rows (Fact.group), in table order."""
    rows: dict[str, IndicatorRow] = {}
    for fact in facts:
        if fact.label not in INDICATOR_LABELS:
            continue
        key = fact.group or f"{fact.locator.source}:{fact.locator.table}:{fact.locator.row}"
        row = rows.get(key)
        if row is None:
            order = fact.order if fact.order is not None else len(rows)
            row = rows[key] = IndicatorRow(key, order, _split_path(fact))
        row.cells.setdefault(fact.label, fact)
    return sorted(rows.values(), key=lambda r: (r.order, r.group))


@dataclass(frozen=True)
class Rate:
    """The budget execution rate in percent, with where it came from."""

    value: Decimal
    interval: Interval
    shown: str  # as the reviewer reads it: the written raw, or the computed figure
    fact_ids: tuple[str, ...]


BUDGET_MEASURES = ("adjusted_budget", "budget", "initial_budget")


def budget_amounts(facts: Sequence[Fact]) -> tuple[Fact | None, Fact | None]:
    """(全年预算数, 全年执行数) of 年度资金总额."""
    return pick(facts, "funding.total", BUDGET_MEASURES), pick(facts, "funding.total", ("executed",))


def execution_rate(extraction: Extraction, allow_text: bool = False) -> Rate | None:
    """The 执行率 the scoring rules apply (预算执行率 = 全年执行数 / 全年预算数):

    the 自评表's stated rate when it agrees with its amounts within rounding (or has no
    amounts beside it); the rate of the amounts, to two decimals as the platform shows
    it, when the stated one disagrees or is missing; else (allow_text) the report's.
    """
    facts = self_eval_facts(extraction)
    stated = pick(facts, "budget.execution_rate")
    budget, executed = budget_amounts(facts)
    computed = None
    if budget is not None and executed is not None and budget.value and budget.value > 0:
        computed = _computed_rate(budget, executed)
    if stated is not None and stated.value is not None:
        interval = fact_interval(stated)
        if computed is None or meet(interval, computed.interval):
            shown = stated.raw.strip() or fmt(stated.value) + "%"
            return Rate(stated.value, interval, shown, (stated.id,))
        return replace(computed, fact_ids=(stated.id, *computed.fact_ids))
    if computed is not None or not allow_text:
        return computed
    text = pick((f for f in extraction.facts if is_text(f)), "budget.execution_rate")
    if text is not None and text.value is not None:
        return Rate(text.value, fact_interval(text), text.raw.strip(), (text.id,))
    return None


def wan_text(fact: Fact) -> str:
    """An amount in 元 as the 自评表 writes it: 万元 with two decimals."""
    assert fact.value is not None
    return f"{(fact.value / 10000).quantize(Decimal('0.01'))}万元" if fact.unit == "元" else fact.raw


def _computed_rate(budget: Fact, executed: Fact) -> Rate:
    assert budget.value is not None and executed.value is not None
    value = (executed.value / budget.value * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    b, x = fact_interval(budget), fact_interval(executed)
    lo = x.lo / b.hi * 100 if b.hi > 0 else value
    hi = x.hi / b.lo * 100 if b.lo > 0 else value
    shown = f"{value}%（全年执行数{wan_text(executed)}/全年预算数{wan_text(budget)}）"
    return Rate(value, Interval(lo, hi), shown, (budget.id, executed.id))


FREE_TEXT_LABELS = ("indicator.reason", "goal.expected", "goal.achieved")


def narrative_texts(extraction: Extraction) -> list[str]:
    """The report's own text the extraction kept: fact sentences and outline lines."""
    seen: dict[str, None] = {}
    for fact in extraction.facts:
        if fact.sentence.strip():
            seen.setdefault(fact.sentence.strip(), None)
    for line in extraction.outline:
        seen.setdefault(line.strip(), None)
    return [t for t in seen if t]


def free_text_cells(extraction: Extraction) -> list[str]:
    """Free-text cells of the 自评表: 偏差原因, 年度总体目标."""
    cells = (f.text_value or f.raw for f in extraction.facts if f.label in FREE_TEXT_LABELS)
    return list(dict.fromkeys(t.strip() for t in cells if t and t.strip()))


def recomputed_total(extraction: Extraction) -> tuple[Interval, tuple[str, ...], Decimal, Decimal] | None:
    """预算执行得分 + Σ 指标得分: (interval, fact ids, budget score, indicator score sum).

    Indicator scores are awarded, not computed, so they count as exact; only the
    execution score (执行率 × 10) may have been rounded where it is written.
    """
    facts = self_eval_facts(extraction)
    budget = pick(facts, "budget.score")
    rows = indicator_rows(facts)
    if any(row.reading_errors for row in rows):
        return None  # a joined cell is a reading error, not a score: no total to recompute
    scores = [row.value("indicator.score") for row in rows]
    present = [f for f in scores if f is not None]
    if budget is None or budget.value is None or not present:
        return None
    indicator_sum = sum((f.value for f in present if f.value is not None), Decimal(0))
    interval = add(fact_interval(budget), Interval(indicator_sum, indicator_sum))
    return interval, (budget.id, *(f.id for f in present)), budget.value, indicator_sum
