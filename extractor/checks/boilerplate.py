"""Batch level: the same 偏差原因 text in the 自评表 of several units (套话, domain.md §7).

One result per unit and shared text, citing only that unit's facts, so each unit's
finding list shows it; the message names the other units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..model import CheckResult, Extraction, Status
from .form import first_names, reason_texts
from .registry import register
from .scoring_facts import indicator_rows, self_eval_facts
from .scoring_rules import ScoringRule, scoring_of

if TYPE_CHECKING:
    from ..patterns import Patterns

RULE_ID = "form.boilerplate_across_units"


def unit_name(extraction: Extraction, index: int) -> str:
    """The unit as the batch names it: metadata unit, else the first file, else its position."""
    meta = extraction.metadata
    return meta.get("unit") or (extraction.sources[0] if extraction.sources else f"#{index + 1}")


def _texts_by_unit(rule: ScoringRule, extractions: Iterable[Extraction]) -> dict[str, dict[str, list[str]]]:
    """text -> unit -> the unit's reason fact ids with that text."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for index, extraction in enumerate(extractions):
        unit = unit_name(extraction, index)
        rows = indicator_rows(self_eval_facts(extraction))
        for text, same in reason_texts(rows, rule.params["ignore"], int(rule.number("min_length"))).items():
            found[text][unit].extend(r.cells["indicator.reason"].id for r in same)
    return found


def boilerplate_per_extraction(
    extractions: Sequence[Extraction], patterns: Patterns | None = None
) -> list[list[CheckResult]]:
    """For each extraction (same order), its results: one failure per text shared with others."""
    return [checks for _, checks in boilerplate_in_two_passes(lambda: iter(extractions), patterns)]


def boilerplate_in_two_passes(
    read: Callable[[], Iterator[Extraction]], patterns: Patterns | None = None
) -> Iterator[tuple[Extraction, list[CheckResult]]]:
    """(extraction, its results) in read()'s order; read() is called twice, so a batch streams
    its submissions from disk: the first pass keeps only the texts and ids, not the extractions."""
    rule = scoring_of(patterns).rules()[RULE_ID]
    found = _texts_by_unit(rule, read()) if rule.enabled else {}
    for index, extraction in enumerate(read()):
        yield extraction, _results_of(rule, found, unit_name(extraction, index)) if rule.enabled else []


def _per_extraction(rule: ScoringRule, extractions: Sequence[Extraction]) -> list[list[CheckResult]]:
    found = _texts_by_unit(rule, extractions)
    return [_results_of(rule, found, unit_name(e, index)) for index, e in enumerate(extractions)]


def _results_of(rule: ScoringRule, found: dict[str, dict[str, list[str]]], unit: str) -> list[CheckResult]:
    out = []
    for text in sorted(found):
        units = found[text]
        if unit not in units or len(units) < rule.number("min_units"):
            continue
        others = sorted(u for u in units if u != unit)
        message = rule.render(text=text, count=len(others), units=first_names(others))
        ids = tuple(dict.fromkeys(units[unit]))
        out.append(rule.result(Status.FAIL, message, fact_ids=ids, subject=text))
    return out


def boilerplate_across_units(
    extractions: Sequence[Extraction], patterns: Patterns | None = None
) -> list[CheckResult]:
    """Every failure of every unit in input order; one PASS when the check ran and found none,
    one SKIPPED when fewer than two units are in the batch."""
    rule = scoring_of(patterns).rules()[RULE_ID]
    return check_boilerplate(rule, extractions) if rule.enabled else []


@register(RULE_ID, reads="batch", required={"min_units": "number", "min_length": "number", "ignore": "strings"},
          placeholders=frozenset({"text", "count", "units"}))
def check_boilerplate(rule: ScoringRule, extractions: Sequence[Extraction]) -> list[CheckResult]:
    units = {unit_name(e, i) for i, e in enumerate(extractions)}
    if len(units) < 2:
        return [rule.result(Status.SKIPPED, missing=("other_units",))]
    results = [r for per_unit in _per_extraction(rule, extractions) for r in per_unit]
    return results or [rule.result(Status.PASS)]
