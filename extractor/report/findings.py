"""Failed check results -> Findings: the rows of the reviewer's discrepancy list.

A finding's id is a hash of the unit, the year, the rule and the sorted (label, raw,
place) of the facts it used, so the same finding keeps its id across runs and input
orders, and a reviewer's decision on it is found again next time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal

from ..checks.base import finer, show, show_difference
from ..checks.intervals import contains, midpoint
from ..model import CheckResult, Extraction, Fact, Finding, Locator, Severity, Status, parse_year
from .causes import merge_causes, merged_finding
from .decisions import apply_decision
from .ocr_findings import mark_ocr_findings

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def results_to_findings(
    extraction: Extraction,
    results: list[CheckResult] | tuple[CheckResult, ...],
    decisions: Mapping[str, tuple[str, str]],
) -> list[Finding]:
    """One Finding per cause (merge_causes), sorted by unit, year, severity, rule and id;
    the reviewer's decisions applied (carried over from merged ids)."""
    by_id = {f.id: f for f in extraction.facts}
    unit = extraction.metadata.get("unit", "")
    year = parse_year(extraction.metadata.get("year"))
    failed = [r for r in results if r.status is Status.FAIL]
    groups = merge_causes(failed, by_id)
    findings = [
        merged_finding([result_to_finding(r, _facts(r, by_id), unit, year, {}) for r in group],
                       [_facts(r, by_id) for r in group], unit, year)
        for group in groups
    ]
    # post-passes over one submission's findings go here, before the decisions are applied
    findings = mark_ocr_findings(findings, extraction)
    return sort_findings([apply_decision(f, decisions) for f in findings])


def _facts(result: CheckResult, by_id: Mapping[str, Fact]) -> list[Fact]:
    return [by_id[i] for i in result.fact_ids if i in by_id]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """By unit and year; within them, findings marked 误报 last (listed, not triaged)."""
    return sorted(
        findings, key=lambda f: (f.unit, f.year or 0, f.dismissed, SEVERITY_ORDER[f.severity], f.rule_id, f.id)
    )


def result_to_finding(
    result: CheckResult,
    facts: list[Fact],
    unit: str,
    year: int | None,
    decisions: Mapping[str, tuple[str, str]],
) -> Finding:
    finding_id = finding_key(unit, year, result, facts)
    decision, remark = decisions.get(finding_id, ("", ""))
    reported, expected, difference = _figures(result, facts)
    return Finding(
        id=finding_id,
        unit=unit,
        year=year,
        rule_id=result.rule_id,
        family=result.family,
        severity=result.severity,
        reach=result.reach,
        level=result.level,
        message=result.message,
        reported=reported,
        expected=expected,
        difference=difference,
        locations=tuple(f.locator for f in facts),
        excerpts=tuple(dict.fromkeys(excerpt_of(f) for f in facts)),
        decision=decision,
        remark=remark,
    )


def finding_key(unit: str, year: int | None, result: CheckResult, facts: list[Fact]) -> str:
    """Stable id: independent of list positions and of the order facts came in."""
    used = sorted((f.label, f.raw, place_text(f.locator)) for f in facts)
    parts = [unit, str(year or ""), result.rule_id, result.subject if not facts else ""]
    parts += ["|".join(item) for item in used]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def place_text(loc: Locator) -> str:
    return f"{loc.source}#{loc.block}/{loc.table}/{loc.row}/{loc.col}/{loc.char_start}"


def reported_fact(result: CheckResult, facts: list[Fact]) -> Fact | None:
    """The fact the reported figure is (its unit and precision show all three figures):
    the first whose value, or negated value for a signed change, lies in `reported`."""
    if result.reported is not None:
        for fact in facts:
            if fact.value is not None and (
                contains(result.reported, fact.value) or contains(result.reported, -fact.value)
            ):
                return fact
    return facts[0] if facts else None


def _figures(result: CheckResult, facts: list[Fact]) -> tuple[str, str, str]:
    like = reported_fact(result, facts)
    if like is None:
        return "", "", ""
    if result.reported is None:
        return like.raw, "", ""
    reported = midpoint(result.reported)
    if result.computed is None:
        return show(reported, like), "", ""
    places = like.decimals if result.computed_decimals is None else result.computed_decimals
    if result.difference is None:
        return show(reported, like), show(midpoint(result.computed), like, decimals=places), ""
    gap = finer(like.decimals, places)
    expected = show(reported - result.difference, like, decimals=places)
    return show(reported, like), expected, show_difference(result.difference, like, gap)


def excerpt_of(fact: Fact) -> str:
    """The sentence around a narrative figure; row and column labels with the cell's figure for a
    table (with its sentence, for a figure read from a prose cell)."""
    if fact.locator.table is None:
        return fact.sentence or fact.raw
    labels = " / ".join(x for x in (fact.row_label or fact.subject, fact.col_label) if x)
    shown = fact.sentence if fact.raw in fact.sentence else fact.raw  # a prose cell: the sentence it is read from
    return f"{labels}：{shown}" if labels else shown


def describe_locator(loc: Locator) -> str:
    """Where a reviewer finds it, in Chinese: "报告.docx 第3页 第12段", "附件1.docx 表1 第5行第3列",
    "附件2.xlsx 工作表“自评表” 第6行第7列" (an XLSX table is named by its sheet)."""
    where = place_in_file(loc)
    return f"{loc.source} {where}" if where else loc.source


def place_in_file(loc: Locator) -> str:
    """The place inside its file: "第3页 第12段", "表1 第5行第3列", "" for the whole file."""
    parts = []
    if loc.page is not None:
        parts.append(f"第{loc.page}页")
    if loc.table is not None:
        parts.append(f"工作表“{loc.sheet}”" if loc.sheet else f"表{loc.table + 1}")
        cell = (f"第{loc.row + 1}行" if loc.row is not None else "") + (
            f"第{loc.col + 1}列" if loc.col is not None else ""
        )
        if cell:
            parts.append(cell)
    elif loc.block is not None:
        parts.append(f"第{loc.block + 1}段")
    return " ".join(parts)


def largest_difference(
    results: list[CheckResult] | tuple[CheckResult, ...], extraction: Extraction
) -> Decimal:
    """The largest failed money difference in 元 (for triage; shares and counts do not compare)."""
    by_id = {f.id: f for f in extraction.facts}
    gaps = []
    for result in results:
        if result.status is not Status.FAIL or result.difference is None:
            continue
        like = reported_fact(result, [by_id[i] for i in result.fact_ids if i in by_id])
        if like is not None and like.unit == "元":
            gaps.append(abs(result.difference))
    return max(gaps, default=Decimal(0))
