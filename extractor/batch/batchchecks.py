"""Checks that need more than one submission: cross-year figures and boilerplate across units.

They run in the parent after every submission is stored, on the results read back from
the database, so a resumed batch computes them exactly as an uninterrupted one.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence

from ..model import CheckResult, Extraction, Finding, Level, Reach, Severity, Status, SubmissionResult
from .crossyear import combined, cross_year_checks, pair_years, to_findings

BOILERPLATE_RULE = "form.boilerplate_across_units"
PerKey = dict[str, tuple[list[CheckResult], list[Finding]]]


def result_key(result: SubmissionResult) -> str:
    return f"{result.unit}|{result.year if result.year is not None else ''}"


def with_unit(result: SubmissionResult) -> Extraction:
    """The extraction with the batch's unit and year in its metadata (what findings are filed under)."""
    meta = {**result.extraction.metadata, "unit": result.unit, "year": str(result.year or "")}
    return dataclasses.replace(result.extraction, metadata=meta)


def run_cross_year(results: Sequence[SubmissionResult]) -> PerKey:
    by_key = {result_key(r): r for r in results if r.extraction.facts}
    pairs = pair_years((r.unit, result_key(r), r.year) for r in by_key.values())
    out: PerKey = {}
    for this_key, prior_key in pairs:
        this, prior = by_key[this_key], by_key[prior_key]
        assert this.year is not None
        checks = cross_year_checks(this.extraction, this.year, prior.extraction)
        if checks:
            merged = combined(with_unit(this), prior.extraction)
            out[this_key] = (checks, to_findings(merged, checks, this.unit, this.year))
    return out


def run_boilerplate(results: Sequence[SubmissionResult]) -> PerKey:
    """G's boilerplate check per year, each unit's failures filed under that unit."""
    try:
        from ..checks.boilerplate import boilerplate_per_extraction
    except ImportError as exc:
        return {"*": ([_skipped_boilerplate(f"extractor.checks.boilerplate 不可用：{exc}")], [])}
    by_year: dict[int | None, list[SubmissionResult]] = defaultdict(list)
    for result in results:
        if result.extraction.facts:
            by_year[result.year].append(result)
    out: PerKey = {}
    for year in sorted(by_year, key=lambda y: y or 0):
        group = by_year[year]
        extractions = [with_unit(r) for r in group]
        for result, extraction, checks in zip(group, extractions, boilerplate_per_extraction(extractions)):
            if checks:
                out[result_key(result)] = (checks, to_findings(extraction, checks, result.unit, result.year))
    return out


def _skipped_boilerplate(reason: str) -> CheckResult:
    return CheckResult(
        rule_id=BOILERPLATE_RULE, family="form", status=Status.SKIPPED, severity=Severity.WARNING,
        message=f"未核查：{reason}", missing=("extractor.checks.boilerplate",),
        reach=Reach.TEXT_TABLE, level=Level.ADVISORY,
    )


def merge_batch_checks(results: Sequence[SubmissionResult], extra: Sequence[PerKey]) -> list[SubmissionResult]:
    """Each result with the batch-level checks and findings filed under it appended."""
    merged = []
    for result in results:
        checks, findings = list(result.checks), list(result.findings)
        for per_key in extra:
            more_checks, more_findings = per_key.get(result_key(result), ([], []))
            checks.extend(more_checks)
            findings.extend(more_findings)
        merged.append(dataclasses.replace(result, checks=tuple(checks), findings=tuple(findings)))
    return merged


def apply_decisions(result: SubmissionResult, decisions: dict[str, tuple[str, str]]) -> SubmissionResult:
    """The reviewer's latest 确认/误报/已更正 and remark on each finding they marked."""
    findings = tuple(
        dataclasses.replace(f, decision=decisions[f.id][0], remark=decisions[f.id][1]) if f.id in decisions else f
        for f in result.findings
    )
    return dataclasses.replace(result, findings=findings)
