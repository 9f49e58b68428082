"""One finding per cause: failed results that rest on the same cells become one finding.

Two ways one cause shows up more than once:
- several rules see the same figure off by the same amount (split.expense_vs_total and
  sum.funding_expense both find 按支出性质分 30.00万元 short): one finding listing every rule
  and every excerpt;
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
    same_figure: dict[tuple[object, ...], list[CheckResult]] = {}
    for result in failed:
        same_figure.setdefault(_figure_key(result), []).append(result)
    same_row: dict[tuple[object, ...], list[CheckResult]] = {}
    for group in same_figure.values():
        key = _row_key(group, by_id)
        same_row.setdefault(key, []).extend(group)
    return list(same_row.values())


def _figure_key(result: CheckResult) -> tuple[object, ...]:
    """The cell a numeric result reports on and how far it is off; unique otherwise."""
    if result.fact_ids and result.reported is not None and result.difference is not None:
        return ("figure", result.fact_ids[0], abs(result.difference))
    return ("alone", id(result))


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
    lead, lead_column = findings[0], columns[0]
    other_columns = [c for c in dict.fromkeys(columns) if c and c != lead_column]
    parts = [lead.message]
    if other_columns:  # one rule, several columns of one row
        for finding, column in zip(findings[1:], columns[1:]):
            if column in other_columns:
                parts.append(f"{column}列同样不符：{_figures(finding)}")
        return "；".join(dict.fromkeys(parts))
    parts += [f.message for f in findings[1:]]  # several rules on one figure
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
