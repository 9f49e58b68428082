"""discrepancies.csv (utf-8-sig, so Excel on Chinese Windows opens it) and
discrepancies.json (schema "extractor.discrepancies" 1.0, with the checks summary)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from ..findings import describe_locator
from ..model import Finding
from ..serialize import dumps, to_jsonable
from .rows import FINDING_COLUMNS, SubmissionSummary, all_findings, finding_row, unit_summaries

SCHEMA = "extractor.discrepancies"
VERSION = "1.0"


def csv_text(results: Sequence[SubmissionSummary]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FINDING_COLUMNS)
    for finding in all_findings(results):
        writer.writerow(finding_row(finding))
    return "\ufeff" + buffer.getvalue()


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "unit": finding.unit,
        "year": finding.year,
        "rule": finding.rule_id,
        "family": finding.family,
        "severity": finding.severity.value,
        "reach": finding.reach.value,
        "level": finding.level.value,
        "message": finding.message,
        "reported": finding.reported,
        "expected": finding.expected,
        "difference": finding.difference,
        "locations": [{**to_jsonable(loc), "place": describe_locator(loc)} for loc in finding.locations],
        "excerpts": list(finding.excerpts),
        "decision": finding.decision,
        "remark": finding.remark,
    }


def submission_json(rank: int, summary: SubmissionSummary) -> dict[str, Any]:
    return {
        "rank": rank,
        "unit": summary.unit,
        "year": summary.year,
        "files": list(summary.files),
        "status": summary.status,
        "checks": summary.counts,
        "findings": {"mandatory": summary.mandatory, "advisory": summary.advisory, **summary.by_severity},
        "largest_difference": format(summary.largest, "f"),
        "self_score": summary.self_score,
        "recomputed_score": summary.recomputed,
        "note": summary.note,
        "coverage": {
            "figures_found": summary.figures,
            "figures_checked": summary.checked,
            "checks_skipped": summary.counts["skipped"],
        },
        "skipped": [{"rule": rule, "missing": missing} for rule, missing in summary.skipped],
        "issues": [{"code": i.code, "message": i.message, "source": i.source} for i in summary.issues],
    }


def json_text(results: Sequence[SubmissionSummary]) -> str:
    summaries = unit_summaries(results)
    body = {
        "findings": [finding_json(f) for f in all_findings(results)],
        "submissions": [submission_json(rank, s) for rank, s in enumerate(summaries, start=1)],
    }
    return dumps(body, SCHEMA, VERSION)
