"""Checks that need more than one submission: cross-year figures and boilerplate across units.

They run in the parent after every submission is stored, on what the database holds, so a
resumed batch computes them exactly as an uninterrupted one. Only what each check reads is
decoded: the two years of a unit for cross-year, the 自评表 indicator facts for boilerplate.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from ..model import CheckResult, Extraction, Finding, Level, Reach, Severity, Status, SubmissionResult
from ..report.rows import SubmissionSummary, with_more_checks
from .crossyear import combined, cross_year_checks, pair_years, to_findings, with_unit

BOILERPLATE_RULE = "form.boilerplate_across_units"
BATCH_KEY = "*"  # checks that span the whole batch: the boilerplate check that could not run
# key -> (checks, findings, the submission's facts those checks cite)
PerKey = dict[str, tuple[list[CheckResult], list[Finding], Extraction]]
Entry = tuple[str, str, int | None]  # (key, unit, year) of a submission with facts


def cited(extraction: Extraction, checks: Sequence[CheckResult]) -> Extraction:
    """Only the facts the checks cite: what the report summary needs, kept small."""
    ids = {i for c in checks for i in c.fact_ids}
    return Extraction(sources=extraction.sources, metadata=extraction.metadata,
                      facts=tuple(f for f in extraction.facts if f.id in ids))


def run_cross_year(entries: Sequence[Entry], load: Callable[[str], SubmissionResult]) -> PerKey:
    """Each unit's consecutive years, two stored results decoded at a time (never the whole batch)."""
    pairs = pair_years((unit, key, year) for key, unit, year in entries)
    out: PerKey = {}
    for this_key, prior_key in pairs:
        this, prior = load(this_key), load(prior_key)
        assert this.year is not None
        checks = cross_year_checks(this.extraction, this.year, prior.extraction)
        if checks:
            merged = combined(this.extraction, prior.extraction)  # to_findings files it under this unit and year
            out[this_key] = (checks, to_findings(merged, checks, this.unit, this.year), cited(this.extraction, checks))
    return out


def run_boilerplate(entries: Sequence[Entry], load: Callable[[Sequence[str]], Mapping[str, Extraction]]) -> PerKey:
    """G's boilerplate check per year, each unit's failures filed under that unit; `load(keys)`
    gives those submissions' 自评表 indicator facts (db.boilerplate_input), all the check reads,
    one year at a time."""
    try:
        from ..checks.boilerplate import boilerplate_per_extraction
    except ImportError as exc:
        return {BATCH_KEY: ([_skipped_boilerplate(f"extractor.checks.boilerplate 不可用：{exc}")], [], Extraction((), {}, ()))}
    by_year: dict[int | None, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_year[entry[2]].append(entry)
    out: PerKey = {}
    for year in sorted(by_year, key=lambda y: y or 0):
        group = by_year[year]
        inputs = load([key for key, _, _ in group])
        extractions = [with_unit(inputs[key], unit, year) for key, unit, _ in group]
        for (key, unit, _), extraction, checks in zip(group, extractions, boilerplate_per_extraction(extractions)):
            if checks:
                out[key] = (checks, to_findings(extraction, checks, unit, year), cited(extraction, checks))
    return out


def _skipped_boilerplate(reason: str) -> CheckResult:
    return CheckResult(
        rule_id=BOILERPLATE_RULE, family="form", status=Status.SKIPPED, severity=Severity.WARNING,
        message=f"未核查：{reason}", missing=("extractor.checks.boilerplate",),
        reach=Reach.TEXT_TABLE, level=Level.ADVISORY,
    )


def merge_batch_checks(key: str, summary: SubmissionSummary, extra: Sequence[PerKey]) -> SubmissionSummary:
    """The summary with the batch-level checks and findings filed under its key added."""
    for per_key in extra:
        if key in per_key:
            summary = with_more_checks(summary, *per_key[key])
    return summary


def apply_decisions(result: SubmissionSummary, decisions: Mapping[str, tuple[str, str]]) -> SubmissionSummary:
    """The reviewer's latest 确认/误报/已更正 and remark on each finding they marked."""
    findings = tuple(
        dataclasses.replace(f, decision=decisions[f.id][0], remark=decisions[f.id][1]) if f.id in decisions else f
        for f in result.findings
    )
    return dataclasses.replace(result, findings=findings)
