"""Checks that need more than one submission: cross-year figures and boilerplate across units.

They run in the parent after every submission is stored, on what the database holds, so a
resumed batch computes them exactly as an uninterrupted one. Only what each check reads is
decoded: the two years of a unit for cross-year, the 自评表 indicator facts for boilerplate.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from ..model import CheckResult, Extraction, Finding, SubmissionResult, SubmissionSummary, Year
from ..patterns import Patterns
from ..pipeline import boilerplate_checks, cross_year_checks, findings_of
from ..report import apply_decision, sort_findings, with_more_checks
from .grouping import canonical_units, normalize_unit
from .vocabulary import Vocabulary

# key -> (checks, findings, the submission's facts those checks cite)
PerKey = dict[str, tuple[list[CheckResult], list[Finding], Extraction]]
Entry = tuple[str, str, Year | None]  # (key, unit, year) of a submission with facts
INPUT_CHUNK = 50  # boilerplate inputs loaded at a time


def pair_years(
    units_years: Iterable[tuple[str, str, Year | None]], words: Vocabulary | None = None
) -> list[tuple[str, str]]:
    """(this key, last year's key) for every unit present in consecutive years; a unit named
    with and without its 市/县 prefix is one unit (`words`: the grouping vocabulary)."""
    items = list(units_years)
    mapping = canonical_units(normalize_unit(unit, words) for unit, _, _ in items)
    by_unit: dict[tuple[str, int], str] = {}
    for unit, key, year in items:
        if year is not None:
            by_unit[(mapping[normalize_unit(unit, words)], year)] = key
    return sorted(
        (key, by_unit[(unit, year - 1)]) for (unit, year), key in by_unit.items() if (unit, year - 1) in by_unit
    )


def cited(extraction: Extraction, checks: Sequence[CheckResult]) -> Extraction:
    """Only the facts the checks cite: what the report summary needs, kept small."""
    ids = {i for c in checks for i in c.fact_ids}
    return Extraction(sources=extraction.sources, metadata=extraction.metadata,
                      facts=tuple(f for f in extraction.facts if f.id in ids))


def combined(this: Extraction, prior: Extraction) -> Extraction:
    """This year's extraction with last year's facts added, so findings can cite both."""
    return Extraction(
        sources=(*this.sources, *prior.sources), metadata=this.metadata,
        facts=(*this.facts, *prior.facts), issues=this.issues,
    )


def with_unit(extraction: Extraction, unit: str, year: Year | None) -> Extraction:
    """The extraction with the batch's unit and year in its metadata (what the boilerplate check names)."""
    meta = {**extraction.metadata, "unit": unit, "year": str(year or "")}
    return dataclasses.replace(extraction, metadata=meta)


def run_cross_year(entries: Sequence[Entry], load: Callable[[str], SubmissionResult],
                   patterns: Patterns | None = None) -> PerKey:
    """Each unit's consecutive years, two stored results decoded at a time (never the whole batch)."""
    out: PerKey = {}
    for this_key, prior_key in cross_year_pairs(entries, patterns).items():
        found = cross_year_of(this_key, prior_key, load)
        if found is not None:
            out[this_key] = found
    return out


def cross_year_pairs(entries: Sequence[Entry], patterns: Patterns | None = None) -> dict[str, str]:
    """This year's key -> last year's key, for every unit present in consecutive years."""
    return dict(pair_years(((unit, key, year) for key, unit, year in entries), patterns.grouping if patterns else None))


def cross_year_of(
    this_key: str, prior_key: str, load: Callable[[str], SubmissionResult]
) -> tuple[list[CheckResult], list[Finding], Extraction] | None:
    """The cross-year checks of one unit's two years (None when none apply), their findings filed
    under this year, and this year's facts they cite."""
    this, prior = load(this_key), load(prior_key)
    assert this.year is not None
    checks = cross_year_checks(this.extraction, this.year, prior.extraction)
    if not checks:
        return None
    merged = combined(this.extraction, prior.extraction)  # findings filed under this unit and year
    return checks, findings_of(merged, checks, this.unit, this.year), cited(this.extraction, checks)


def run_boilerplate(entries: Sequence[Entry], load: Callable[[Sequence[str]], Mapping[str, Extraction]],
                    patterns: Patterns | None = None) -> PerKey:
    """The boilerplate check per year, each unit's failures filed under that unit; `load(keys)`
    gives those submissions' 自评表 indicator facts (pipeline.boilerplate_input), all the check
    reads, one year at a time."""
    by_year: dict[Year | None, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_year[entry[2]].append(entry)
    out: PerKey = {}
    for year in sorted(by_year, key=lambda y: y or 0):
        group = by_year[year]
        read = functools.partial(_read_inputs, group, year, load)
        for (key, unit, _), (extraction, checks) in zip(group, boilerplate_checks(read, patterns)):
            if checks:
                out[key] = (checks, findings_of(extraction, checks, unit, year), cited(extraction, checks))
    return out


def _read_inputs(group: Sequence[Entry], year: Year | None,
                 load: Callable[[Sequence[str]], Mapping[str, Extraction]]) -> Iterator[Extraction]:
    """The group's boilerplate inputs in order, loaded INPUT_CHUNK at a time."""
    for start in range(0, len(group), INPUT_CHUNK):
        part = group[start:start + INPUT_CHUNK]
        inputs = load([key for key, _, _ in part])
        for key, unit, _ in part:
            yield with_unit(inputs[key], unit, year)


def merge_batch_checks(key: str, summary: SubmissionSummary, extra: Sequence[PerKey]) -> SubmissionSummary:
    """The summary with the batch-level checks and findings filed under its key added."""
    for per_key in extra:
        if key in per_key:
            summary = with_more_checks(summary, *per_key[key])
    return summary


def apply_decisions(
    result: SubmissionSummary, decisions: Mapping[str, tuple[str, str]], resubmitted: bool = False
) -> SubmissionSummary:
    """The reviewer's latest 确认/误报/已更正 and remark on each finding they marked (已更正
    found again in a later submission: 未改正); 误报 sorted last."""
    findings = tuple(sort_findings([apply_decision(f, decisions, resubmitted) for f in result.findings]))
    return dataclasses.replace(result, findings=findings)
