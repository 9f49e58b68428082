"""What the checks across units read of one submission, reduced where the submission is
(a batch worker), so the batch stores it small and never decodes whole extractions for them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Extraction, Fact
from .boilerplate import RULE_ID
from .form import reason_texts
from .scoring_facts import INDICATOR_LABELS, indicator_rows, self_eval_facts
from .scoring_rules import scoring_of

if TYPE_CHECKING:
    from ..patterns import Patterns


def boilerplate_input(extraction: Extraction, patterns: Patterns | None = None) -> Extraction:
    """Only what the boilerplate check across units reads: the 自评表 indicator rows whose 偏差原因
    it compares (every indicator row when some row has no table position: rows are then ordered
    by count, and leaving rows out would reorder them)."""
    facts = [f for f in self_eval_facts(extraction) if f.label in INDICATOR_LABELS]
    if all(f.order is not None for f in facts):
        keep = {row.group for row in compared_rows(indicator_rows(facts), patterns)}
        facts = [f for f in facts if _row_key(f) in keep]
    return Extraction(sources=extraction.sources, metadata=extraction.metadata, facts=tuple(facts))


def compared_rows(rows: list[Any], patterns: Patterns | None = None) -> list[Any]:
    """The rows whose 偏差原因 the boilerplate rule compares (its own length and ignore settings,
    from `patterns`' scoring rules)."""
    rule = scoring_of(patterns).rules()[RULE_ID]
    texts = reason_texts(rows, rule.params["ignore"], int(rule.number("min_length")))
    return [row for same in texts.values() for row in same]


def _row_key(fact: Fact) -> str:
    """The row an indicator fact belongs to, as checks.scoring_facts.indicator_rows keys it."""
    return fact.group or f"{fact.locator.source}:{fact.locator.table}:{fact.locator.row}"
