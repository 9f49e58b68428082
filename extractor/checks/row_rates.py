"""A part row's own rate in a funding table (其中：财政资金 … 执行率 81.82%) against that row's
executed amount over its budget (the block's budget.execution_rate is the total's, checked
by rate.execution). The rate is the annex reader's unlabelled rate of the row
(patterns/annex.toml [funding] row_rates); the amounts are the row's measured cells.
"""

from __future__ import annotations

from ..model import CheckResult, Fact, Role
from .base import CheckContext, Operand, compare_share
from .registry import NUMERIC, register
from .rules import Rule
from .select import is_text


def _row_key(fact: Fact) -> tuple[str, int | None, int | None]:
    return fact.locator.source, fact.locator.table, fact.locator.row


def _pick(facts: list[Fact], measures: list[str]) -> Fact | None:
    for measure in measures:
        for fact in facts:
            if fact.measure == measure and fact.value is not None:
                return fact
    return None


@register("row_rate", required={"numerator_measures": "strings", "denominator_measures": "strings"},
          placeholders=NUMERIC | {"numerator", "denominator"})
def check_row_rate(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    rows: dict[tuple[str, int | None, int | None], list[Fact]] = {}
    for fact in ctx.index.facts:
        if not is_text(fact) and fact.measure and fact.label:
            rows.setdefault(_row_key(fact), []).append(fact)
    out = []
    for rate in ctx.index.facts:
        if is_text(rate) or rate.label or rate.role is not Role.RATE or rate.value is None:
            continue
        cells = rows.get(_row_key(rate), [])
        num = _pick(cells, rule.params["numerator_measures"])
        den = _pick(cells, rule.params["denominator_measures"])
        if num is None or den is None or not den.value:
            continue
        out.append(compare_share(ctx, rule, rate, Operand("numerator", "执行数", num),
                                 Operand("denominator", "预算数", den)))
    return out
