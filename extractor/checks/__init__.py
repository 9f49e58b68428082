"""Cross-checks: the rules of patterns/checks.toml (label and generic kinds) and of
patterns/scoring.toml (the platform's scoring and form kinds), all kinds of one registry
(registry.py), all results CheckResults.

Public API: run_checks, summarize, load_rules, load_scoring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import CheckResult, Extraction, Status
from . import (
    blocks,
    boilerplate,
    completeness,
    counts,
    form,
    generic,
    indicators,
    items,
    kinds,
    real_checks,
    row_rates,
    scoring,
    scoring_warnings,
)
from .base import CheckContext
from .registry import KINDS
from .rules import load_rules
from .scoring_rules import load_scoring, rules_for, run_table_rules
from .select import FactIndex

if TYPE_CHECKING:
    from ..patterns import Patterns

__all__ = ["load_rules", "load_scoring", "run_checks", "summarize"]
# the modules that register rule kinds (extractor.checks.registry), imported once, here
PLUGINS = (kinds, completeness, generic, indicators, items, scoring, blocks, scoring_warnings, form, boilerplate,
           real_checks, counts, row_rates)  # real_checks, counts: issue 12 (count_vs_names, opening_plus_added ...)


def run_checks(extraction: Extraction, patterns: Patterns | None = None) -> list[CheckResult]:
    """Every rule on one submission: the label and generic rules of checks.toml (label rules
    first, so generic checks skip the totals and pairs those already covered), then the
    scoring and form rules of scoring.toml under the submission's province. `patterns`: the
    run's bundle (default: the process's, extractor.patterns.active)."""
    from ..patterns import active

    patterns = patterns or active()
    ruleset = patterns.checks
    assert ruleset is not None
    ctx = CheckContext(FactIndex(extraction), ruleset)
    results: list[CheckResult] = []
    for rule in sorted(ruleset.rules, key=lambda r: KINDS[r.kind].generic):
        results.extend(KINDS[rule.kind].fn(ctx, rule))
    results.extend(run_table_rules(extraction, rules_for(extraction, None, patterns), "extraction", "form"))
    return results


def summarize(results: list[CheckResult] | tuple[CheckResult, ...]) -> dict[str, int]:
    """Counts per document: run (passed + failed), passed, failed, skipped."""
    passed = sum(1 for r in results if r.status is Status.PASS)
    failed = sum(1 for r in results if r.status is Status.FAIL)
    skipped = sum(1 for r in results if r.status is Status.SKIPPED)
    return {"run": passed + failed, "passed": passed, "failed": failed, "skipped": skipped}
