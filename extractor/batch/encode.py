"""A SubmissionResult as database rows, built in the worker (the parent only inserts them):
the submission's row, its facts, checks and findings rows, the summary the reports read
and the boilerplate check's input. Schema and meaning: docs/database.md."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from ..model import SubmissionResult
from ..patterns import Patterns
from ..pipeline import boilerplate_input
from ..report import summarize_submission
from ..serialize import to_jsonable
from . import codec
from .progress import file_errors

RESULT_SCHEMA = "extractor.submission"


@dataclass(frozen=True)
class EncodedSubmission:
    """A SubmissionResult turned into database rows, in the worker (the parent only inserts)."""

    unit: str
    year: int | None
    files: tuple[str, ...]
    status: str
    findings: int
    failed_files: int
    result_json: str
    fact_rows: list[tuple[object, ...]]
    check_rows: list[tuple[object, ...]]
    finding_rows: list[tuple[object, ...]]
    errors: dict[str, tuple[str, str]]  # file -> (code, message) of its first coded error
    summary_json: str = "{}"  # what the reports show (report.SubmissionSummary without findings)
    boilerplate_json: str = "{}"  # the extraction reduced to what the boilerplate check reads


COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def compact(payload: object) -> str:
    return COMPACT.encode(payload)


def encode_submission(result: SubmissionResult, plain_result: dict[str, Any] | None = None,
                      patterns: Patterns | None = None) -> EncodedSubmission:
    """`plain_result`: codec.plain(result) when the caller has it already."""
    plain = plain_result if plain_result is not None else codec.plain(result)
    errors = {path: (issue.code, issue.message) for path, issue in file_errors(result).items()}
    return EncodedSubmission(
        unit=result.unit, year=result.year, files=result.files, status=result.status,
        findings=len(result.findings), failed_files=len(errors),
        result_json=compact({"schema": RESULT_SCHEMA, "version": "1.0", **plain}),
        fact_rows=[fact_row(f) for f in plain["extraction"]["facts"]],
        check_rows=[check_row(c) for c in plain["checks"]],
        finding_rows=[finding_row(f) for f in plain["findings"]],
        errors=errors,
        summary_json=compact(to_jsonable(dataclasses.replace(summarize_submission(result), findings=()))),
        boilerplate_json=compact(to_jsonable(boilerplate_input(result.extraction, patterns))),
    )


def fact_row(f: dict[str, Any]) -> tuple[object, ...]:
    return (
        f["id"], f["locator"]["source"], f["label"], f["subject"], f["kind"], f["value"], f["unit"], f["raw"],
        f["decimals"], f["role"], f["measure"], f["year"], f["row_label"], f["col_label"], compact(f["locator"]),
    )


def check_row(c: dict[str, Any]) -> tuple[object, ...]:
    return (
        c["rule_id"], c["family"], c["status"], c["severity"], c["reach"], c["level"], c["subject"], c["message"],
        compact(c["fact_ids"]), compact(c["missing"]), c["difference"],
    )


def finding_row(f: dict[str, Any]) -> tuple[object, ...]:
    return (
        f["id"], f["unit"], f["year"], f["rule_id"], f["family"], f["severity"], f["reach"], f["level"],
        f["message"], f["reported"], f["expected"], f["difference"], compact(f),
    )
