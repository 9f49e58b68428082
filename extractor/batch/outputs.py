"""What a batch leaves in OUT besides the database: the reports, facts per submission, batch.json.

Everything is regenerated from the database at the end of every run and written
atomically, so the bytes depend only on the input (never on worker count or order).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import regex

from ..model import Extraction, Issue, SubmissionResult
from ..serialize import dumps, write_atomic
from . import db

UNASSIGNED_UNIT = "（未归属文件）"
# Shown as is in the 汇总 sheet (the report writers translate only ok/partial/failed); this
# pseudo-row exists only in the reports, never in the database or batch.json.
UNASSIGNED_STATUS = "未归属，未核查"
RGX_UNSAFE = regex.compile(r'[\\/:*?"<>|\s]+')


def facts_name(result: SubmissionResult) -> str:
    unit = RGX_UNSAFE.sub("_", result.unit) or "未知单位"
    year = result.year if result.year is not None else "未知年度"
    return f"{unit}_{year}.json"


def write_facts_file(result: SubmissionResult, out: Path) -> Path:
    path = out / "facts" / facts_name(result)
    write_atomic(path, dumps(result.extraction, "extractor.facts", "1.0"))
    return path


def encode_and_write_facts(out: Path, result: SubmissionResult) -> db.EncodedSubmission:
    """In the worker, to keep the parent's serial work small: the submission's facts file and
    its database rows."""
    write_facts_file(result, out)
    return db.encode_submission(result)


def write_facts(results: Sequence[SubmissionResult], out: Path) -> list[Path]:
    """OUT/facts/<unit>_<year>.json per submission (the workers wrote those they processed; the
    missing ones are written here); files of submissions no longer present are removed."""
    folder = out / "facts"
    written = []
    for result in results:
        path = folder / facts_name(result)
        if not path.is_file():
            write_facts_file(result, out)
        written.append(path)
    if folder.is_dir():
        for stale in set(folder.glob("*.json")) - set(written):
            stale.unlink()
    return written


def unassigned_result(paths: Sequence[str]) -> SubmissionResult:
    """A pseudo-submission so the reports' 汇总 lists the files that belong to no unit."""
    issues = tuple(
        Issue(code="W390", message=f"{path}: 无法从文件夹或文件名判断所属单位和年度，未核查", source=path)
        for path in paths
    )
    extraction = Extraction(sources=(), metadata={"unit": UNASSIGNED_UNIT}, facts=())
    return SubmissionResult(
        unit=UNASSIGNED_UNIT, year=None, files=tuple(paths), extraction=extraction, status=UNASSIGNED_STATUS,
        issues=issues,
    )


def batch_summary(results: Sequence[SubmissionResult], unassigned: Sequence[str]) -> dict[str, object]:
    """Deterministic overview: no times, no run ids."""
    return {
        "submissions": [
            {
                "unit": r.unit, "year": r.year, "files": list(r.files), "status": r.status,
                "findings": len(r.findings), "issues": [i.message for i in r.issues],
            }
            for r in results
        ],
        "unassigned": list(unassigned),
    }


def write_outputs(results: Sequence[SubmissionResult], unassigned: Sequence[str], out: Path) -> list[Path]:
    """Reports (F's writers), facts per submission and batch.json; the report paths come first."""
    rows = list(results) + ([unassigned_result(unassigned)] if unassigned else [])
    reports = write_report_files(rows, out)
    write_facts(results, out)
    summary = out / "batch.json"
    write_atomic(summary, dumps(batch_summary(results, unassigned), "extractor.batch", "1.0"))
    return [*reports, summary]


def write_report_files(rows: Sequence[SubmissionResult], out: Path) -> list[Path]:
    try:
        from ..report import write_reports
    except ImportError:  # F's writers not installed: at least the JSON list
        path = out / "discrepancies.json"
        findings = [f for r in rows for f in r.findings]
        write_atomic(path, dumps({"findings": findings}, "extractor.findings", "1.0"))
        return [path]
    return list(write_reports(list(rows), out))
