"""Cross-checks: rules from patterns/checks.toml, generic checks, and the platform's scoring
and form rules (checks.scoring / checks.form), all as CheckResults.

Public API: run_checks, summarize, load_rules.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import import_module
from pathlib import Path

from ..model import CheckResult, Extraction, Level, Reach, Severity, Status
from .base import CheckContext
from .rules import RuleSet, load_rules
from .select import FactIndex

__all__ = ["load_rules", "run_checks", "summarize"]

EXTERNAL = (
    ("extractor.checks.scoring", "run_scoring_checks", "score.platform_rules", "score"),
    ("extractor.checks.form", "run_form_checks", "form.template_rules", "completeness"),
)


@lru_cache(maxsize=4)
def _rules(directory: str | None) -> RuleSet:
    return load_rules(directory)


def run_checks(extraction: Extraction, patterns: str | Path | None = None) -> list[CheckResult]:
    """Every rule and generic check on one submission; label rules first, so generic
    checks skip the totals and pairs those already covered."""
    from .kinds import KINDS

    ruleset = _rules(str(patterns) if patterns else None)
    ctx = CheckContext(FactIndex(extraction), ruleset)
    ordered = sorted(ruleset.rules, key=lambda r: KINDS[r.kind].generic)
    results: list[CheckResult] = []
    for rule in ordered:
        results.extend(KINDS[rule.kind].fn(ctx, rule))
    for module, function, rule_id, family in EXTERNAL:
        results.extend(_external(extraction, module, function, rule_id, family))
    return results


def _external(
    extraction: Extraction, module: str, function: str, rule_id: str, family: str
) -> list[CheckResult]:
    """Helper G's rule sets, imported lazily; when absent the gap is recorded, not hidden."""
    try:
        fn: Callable[[Extraction], list[CheckResult]] = getattr(import_module(module), function)
    except (ImportError, AttributeError):
        return [_not_run(rule_id, family, module, f"未核查：缺少规则模块 {module}")]
    try:
        return list(fn(extraction))
    except Exception as exc:  # noqa: BLE001 - one broken rule set must not lose every other check
        message = f"未核查：规则模块 {module} 出错（{type(exc).__name__}: {exc}）"
        return [_not_run(rule_id, family, module, message)]


def _not_run(rule_id: str, family: str, module: str, message: str) -> CheckResult:
    return CheckResult(
        rule_id=rule_id,
        family=family,
        status=Status.SKIPPED,
        severity=Severity.INFO,
        message=message,
        missing=(module,),
        reach=Reach.WITHIN_TABLE,
        level=Level.ADVISORY,
    )


def summarize(results: list[CheckResult] | tuple[CheckResult, ...]) -> dict[str, int]:
    """Counts per document: run (passed + failed), passed, failed, skipped."""
    passed = sum(1 for r in results if r.status is Status.PASS)
    failed = sum(1 for r in results if r.status is Status.FAIL)
    skipped = sum(1 for r in results if r.status is Status.SKIPPED)
    return {"run": passed + failed, "passed": passed, "failed": failed, "skipped": skipped}
