"""Per submission: read -> extract -> check -> findings. The library raises; this records."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import InputError
from .extract import extract_documents
from .model import Document, Extraction, Issue, SubmissionResult


def read_all(paths: Sequence[Path], root: Path | None) -> tuple[list[Document], list[Issue]]:
    """Read what can be read; a file that cannot becomes a recorded Issue, not a crash."""
    from .readers import read_document, source_name

    docs, issues = [], []
    for path in paths:
        try:
            docs.append(read_document(path, root))
        except InputError as exc:
            issues.append(Issue(code=exc.code, message=str(exc), source=source_name(path, root)))
    return docs, issues


def check_extraction(
    extraction: Extraction, decisions: Mapping[str, tuple[str, str]] | None = None
) -> SubmissionResult:
    from .checks import run_checks
    from .report.findings import results_to_findings

    checks = run_checks(extraction)
    findings = results_to_findings(extraction, checks, decisions or {})
    meta = extraction.metadata
    year = int(meta["year"]) if meta.get("year", "").isdigit() else None
    return SubmissionResult(
        unit=meta.get("unit", ""),
        year=year,
        files=extraction.sources,
        extraction=extraction,
        checks=tuple(checks),
        findings=tuple(findings),
        issues=extraction.issues,
    )


def process_submission(
    paths: Sequence[Path],
    root: Path | None = None,
    decisions: Mapping[str, tuple[str, str]] | None = None,
    narrative: object | None = None,
) -> SubmissionResult:
    from .readers import source_name

    docs, read_issues = read_all(paths, root)
    extraction = extract_documents(docs, narrative)
    result = check_extraction(extraction, decisions)
    return dataclasses.replace(
        result,
        files=tuple(source_name(Path(p), root) for p in paths),
        status="ok" if not read_issues else ("partial" if docs else "failed"),
        issues=tuple(read_issues) + result.issues,
    )
