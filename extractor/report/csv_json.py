"""discrepancies.csv (utf-8-sig, so Excel on Chinese Windows opens it) and
discrepancies.json (schema "extractor.discrepancies" 1.0, with the checks summary)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Finding, SubmissionSummary
from ..serialize import to_jsonable
from .findings import describe_locator
from .index import as_index
from .ordered import ordered_findings, ranked_heads
from .rows import FINDING_COLUMNS, finding_row
from .safe_cells import guard_row

SCHEMA = "extractor.discrepancies"
VERSION = "1.0"


def csv_text(results: Iterable[SubmissionSummary]) -> str:
    return "".join(csv_chunks(results))


def csv_chunks(results: Iterable[SubmissionSummary]) -> Iterator[str]:
    """discrepancies.csv a row at a time, the findings read one unit and year at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FINDING_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for finding in ordered_findings(as_index(results)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(guard_row(finding_row(finding)))
        yield buffer.getvalue()


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


def json_chunks(results: Iterable[SubmissionSummary]) -> Iterator[str]:
    """discrepancies.json piece by piece, one finding or submission encoded at a time: the same
    text as serialize.dumps gives for the whole body (sorted keys, indent 2), never held whole."""
    summaries = as_index(results)
    parts: dict[str, Iterable[Any]] = {
        "findings": (finding_json(f) for f in ordered_findings(summaries)),
        "schema": [SCHEMA],
        "submissions": (submission_json(rank, s) for rank, s in enumerate(ranked_heads(summaries), start=1)),
        "version": [VERSION],
    }
    yield from object_chunks(parts, single=("schema", "version"))


def object_chunks(parts: dict[str, Iterable[Any]], single: Iterable[str] = ()) -> Iterator[str]:
    """A JSON object piece by piece, as json.dumps(indent=2, sort_keys=True) writes it: `parts`
    in sorted key order, each a list given as its items (encoded one at a time), or, for the
    keys in `single`, a one-item iterable holding the value."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
    yield "{"
    for number, (key, items) in enumerate(parts.items()):
        yield ("," if number else "") + f"\n  {encoder.encode(key)}: "
        if key in single:
            yield encoder.encode(to_jsonable(next(iter(items))))
            continue
        opened = False
        for item in items:
            yield ("," if opened else "[") + "\n    " + encoder.encode(to_jsonable(item)).replace("\n", "\n    ")
            opened = True
        yield "\n  ]" if opened else "[]"
    yield "\n}\n"
