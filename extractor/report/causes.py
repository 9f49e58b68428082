"""One finding per cause: failed results that rest on the same cells become one finding.

Two ways one cause shows up more than once:
- several results off by the same amount rest on a shared cell (split.expense_vs_total and
  sum.funding_expense both find 按支出性质分 30.00万元 short; the table's 三公经费 9.10 is 2.00
  above its parts and the text's 7.10 is 2.00 below it): one finding listing every rule and
  every excerpt;
- one rule fails in several columns of one table row (年度资金总额 0 above its 其中 rows in
  年初预算数, 全年预算数 and 全年执行数): one finding naming the columns.

A finding of one result keeps its id; a merged one takes an id derived from its cells (the
places of every fact it cites) and lists the ids it replaces, so a decision recorded against
any of them carries over (decisions.apply_decision).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..model import CheckResult, Fact, Finding, Level, Locator, Severity

SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def merge_causes(failed: Sequence[CheckResult], by_id: Mapping[str, Fact]) -> list[list[CheckResult]]:
    """The failed results grouped by cause, in their first result's order."""
    same_row: dict[tuple[object, ...], list[CheckResult]] = {}
    for group in _same_gap_groups(failed, by_id):
        same_row.setdefault(_row_key(group, by_id), []).extend(group)
    return list(same_row.values())


def _same_gap_groups(failed: Sequence[CheckResult], by_id: Mapping[str, Fact]) -> list[list[CheckResult]]:
    """Numeric results off by the same amount (same unit) that share a cell, chained: the
    table's 9.10 against its parts and the text's 7.10 against that 9.10 are one cause."""
    groups: list[list[CheckResult]] = []
    cells: list[set[str]] = []
    gaps: list[tuple[object, ...]] = []
    for result in failed:
        gap = _gap_key(result, by_id)
        touching = [i for i, g in enumerate(gaps) if gap is not None and g == gap and cells[i] & set(result.fact_ids)]
        if not touching:
            groups.append([result])
            cells.append(set(result.fact_ids))
            gaps.append(gap if gap is not None else ("alone", id(result)))
            continue
        first = touching[0]
        groups[first].append(result)
        cells[first] |= set(result.fact_ids)
        for i in reversed(touching[1:]):  # the result links groups that were apart so far
            groups[first] += groups.pop(i)
            cells[first] |= cells.pop(i)
            gaps.pop(i)
    return groups


def _gap_key(result: CheckResult, by_id: Mapping[str, Fact]) -> tuple[object, ...] | None:
    """How far a numeric result is off, in its reported figure's unit; None otherwise."""
    if not result.fact_ids or result.reported is None or result.difference is None or not result.difference:
        return None
    fact = by_id.get(result.fact_ids[0])
    return ("gap", fact.unit if fact is not None else "", abs(result.difference))


def _row_key(group: list[CheckResult], by_id: Mapping[str, Fact]) -> tuple[object, ...]:
    """The rules and the table row of a numeric group's reported cell; unique otherwise."""
    first = group[0]
    fact = by_id.get(first.fact_ids[0]) if first.fact_ids else None
    if fact is None or fact.locator.table is None or first.reported is None or not fact.col_label:
        return ("alone", id(first))
    loc = fact.locator
    return ("row", tuple(sorted({r.rule_id for r in group})), loc.source, loc.table, loc.row, fact.label)


def merged_finding(findings: list[Finding], facts: list[list[Fact]], unit: str, year: int | None) -> Finding:
    """The one finding of a cause (the findings of its results, in result order)."""
    if len(findings) == 1:
        return findings[0]
    order = sorted(range(len(findings)), key=lambda i: (_rank(findings[i]), i))
    lead = findings[order[0]]
    columns = _columns(facts)
    rules = tuple(dict.fromkeys(findings[i].rule_id for i in order))
    return replace(
        lead,
        id=merged_id(unit, year, [loc for f in findings for loc in f.locations]),
        rule_id="、".join(rules),
        severity=min((f.severity for f in findings), key=SEVERITY_RANK.__getitem__),
        level=Level.MANDATORY if any(f.level is Level.MANDATORY for f in findings) else Level.ADVISORY,
        message=_merged_message([findings[i] for i in order], [columns[i] for i in order]),
        locations=tuple(dict.fromkeys(loc for f in findings for loc in f.locations)),
        excerpts=tuple(dict.fromkeys(x for f in findings for x in f.excerpts)),
        rules=rules,
        replaces=tuple(sorted({f.id for f in findings})),
    )


def _rank(finding: Finding) -> tuple[int, int]:
    return (0 if finding.level is Level.MANDATORY else 1, SEVERITY_RANK[finding.severity])


def _columns(facts: list[list[Fact]]) -> list[str]:
    """The column header of each result's reported cell ("" for text or no header)."""
    return [(used[0].col_label.strip() if used and used[0].locator.table is not None else "") for used in facts]


def _merged_message(findings: list[Finding], columns: list[str]) -> str:
    lead = findings[0]
    if len({f.rule_id for f in findings}) == 1:  # one rule, several columns of one row
        parts = [lead.message] + [
            f"{column}列同样不符：{_figures(finding)}" if column else finding.message
            for finding, column in zip(findings[1:], columns[1:])
        ]
        return "；".join(dict.fromkeys(parts))
    parts = [lead.message] + [f.message for f in findings[1:]]  # several rules, one cause
    return "；".join(dict.fromkeys(parts)) + f"（同一原因，{len(findings)}项核查均指出）"


def _figures(finding: Finding) -> str:
    shown = f"{finding.reported}，应为{finding.expected}" if finding.expected else finding.reported
    return f"{shown}，差额{finding.difference}" if finding.difference else shown


def merged_id(unit: str, year: int | None, locations: Sequence[Locator]) -> str:
    """A merged finding's id: the unit, the year and the sorted places of its cells."""
    places = sorted({_place(loc) for loc in locations})
    text = "\x1f".join(["merged", unit, str(year or ""), *places])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _place(loc: Locator) -> str:
    return f"{loc.source}#{loc.block}/{loc.table}/{loc.row}/{loc.col}/{loc.char_start}"
