"""Per submission: read -> extract -> check -> findings. The library raises; this records.

process_submission is the one way a submission is assembled, for `extractor check` and for
each batch worker; the batch reaches readers, extraction, checks and findings only through
this module (and the model). The checks across submissions the batch runs at the end are
here too (cross_year_findings, boilerplate_findings), so the batch never imports checks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from .errors import ExtractorError, InputError
from .model import (
    CheckResult,
    Document,
    Extraction,
    Finding,
    Issue,
    SubmissionResult,
    SubmissionStatus,
    Year,
    parse_year,
)
from .patterns import Patterns
from .readers import READERS, read_document, sha256_of, source_name
from .readers.ocr_mode import ocr_mode, ocr_worker_cap, set_ocr_mode

__all__ = [
    "READERS", "analyse_documents", "boilerplate_checks", "boilerplate_input", "check_extraction", "coded_issue",
    "cross_year_checks", "findings_of", "ocr_mode", "ocr_worker_cap", "process_submission", "read_document",
    "set_ocr_mode", "sha256_of", "shared_narrative", "source_name",
]

Decisions = Mapping[str, tuple[str, str]]
FileReader = Callable[[Path], Document]
Analysis = Callable[[list[Document]], SubmissionResult]
ANALYSIS_STAGE = "抽取或核查阶段 "  # how an E110 of the extraction or checks names the stage


def process_submission(
    paths: Sequence[Path],
    root: Path | None = None,
    decisions: Decisions | None = None,
    narrative: object | None = None,
    patterns: Patterns | None = None,
    *,
    names: Sequence[str] | None = None,
    read: FileReader | None = None,
    announce: Callable[[str], None] | None = None,
    skipped: Sequence[Issue] = (),
    filed_under: tuple[str, Year | None] | None = None,
    analyse: Analysis | None = None,
    contain_crashes: bool = False,
) -> SubmissionResult:
    """Read each file (announce(name) first; files named by `skipped` issues are not read again),
    then extract and check what was read. A file that cannot be read becomes an Issue; with
    nothing read the result is SubmissionResult.failed. `filed_under` (unit, year): the
    batch's, from folder and file names, under which findings are filed. `contain_crashes`
    (the batch): a parser or pipeline bug becomes an E110 Issue instead of propagating.
    `names`: how the result names the files (default: relative to `root`). `patterns`: the
    run's Patterns bundle (None: the process's, extractor.patterns.active).
    `analyse` replaces extraction and checks (tests of the batch machinery)."""
    files = tuple(names) if names is not None else tuple(source_name(Path(p), root) for p in paths)
    headings = patterns.headings if patterns is not None else None
    reader = read or (lambda path: read_document(path, root, headings))
    docs, issues = _read_files(paths, files, reader, announce, skipped, contain_crashes)
    unit, year = filed_under or ("", None)
    if not docs:
        return SubmissionResult.failed(files, order_issues(files, issues), unit, year)
    run = analyse or (lambda read_docs: analyse_documents(read_docs, decisions, narrative, patterns, filed_under))
    try:
        result = run(docs)
    except Exception as exc:
        if not contain_crashes:
            raise
        issues.append(internal_issue(docs[0].source, exc, ANALYSIS_STAGE))
        return SubmissionResult.failed(files, order_issues(files, issues), unit, year)
    return dataclasses.replace(
        result,
        unit=unit or result.unit,
        year=year if year is not None else result.year,
        files=files,
        status=SubmissionStatus.PARTIAL if issues else SubmissionStatus.OK,
        issues=order_issues(files, [*issues, *result.issues]),
    )


def _read_files(
    paths: Sequence[Path], files: Sequence[str], read: FileReader, announce: Callable[[str], None] | None,
    skipped: Sequence[Issue], contain_crashes: bool,
) -> tuple[list[Document], list[Issue]]:
    done = {issue.source for issue in skipped}
    docs: list[Document] = []
    issues: list[Issue] = list(skipped)
    for path, name in zip(paths, files):
        if name in done:
            continue
        if announce is not None:
            announce(name)
        try:
            docs.append(read(Path(path)))
        except InputError as exc:
            issues.append(Issue(code=exc.code, message=str(exc), source=name))
        except Exception as exc:
            if not contain_crashes:
                raise
            issues.append(internal_issue(name, exc))
    return docs, issues


def shared_narrative(patterns: Patterns | None = None) -> object:
    """The spaCy-based narrative extractor of `patterns` (None: the process's bundle): built
    once per process and pattern set (a forked batch worker inherits the parent's, so it is
    built once per batch on Linux), never per file."""
    from .narrative.facts import NarrativeExtractor

    key = patterns.hash if patterns is not None else ""
    if key not in _NARRATIVES:
        _NARRATIVES[key] = NarrativeExtractor(patterns)
    return _NARRATIVES[key]


_NARRATIVES: dict[str, object] = {}  # pattern set's hash ("" for the process's) -> extractor


def analyse_documents(
    docs: Sequence[Document], decisions: Decisions | None = None, narrative: object | None = None,
    patterns: Patterns | None = None, filed_under: tuple[str, Year | None] | None = None,
) -> SubmissionResult:
    """Extraction and checks of what was read (status and issues of the reading are added by
    process_submission)."""
    from .extract import extract_documents

    extraction = extract_documents(docs, narrative, patterns)
    if filed_under is not None:
        extraction = filed_as(extraction, *filed_under)
    return check_extraction(extraction, decisions, patterns)


def check_extraction(
    extraction: Extraction, decisions: Decisions | None = None, patterns: Patterns | None = None
) -> SubmissionResult:
    """Every check on one extraction, the platform score recomputed once, and the findings."""
    from .checks import run_checks
    from .checks.scoring import recomputed_score
    from .report.findings import results_to_findings

    checks = run_checks(extraction, patterns)
    findings = results_to_findings(extraction, checks, decisions or {})
    return SubmissionResult(
        unit=extraction.metadata.get("unit", ""),
        year=parse_year(extraction.metadata.get("year")),
        files=extraction.sources,
        extraction=extraction,
        checks=tuple(checks),
        findings=tuple(findings),
        issues=extraction.issues,
        platform_score=recomputed_score(extraction, patterns),
    )


def filed_as(extraction: Extraction, unit: str, year: Year | None) -> Extraction:
    """The batch's unit and year in the metadata (findings are filed under them); the
    document's own, when different, kept beside them."""
    meta = dict(extraction.metadata)
    for key, value in (("unit", unit), ("year", str(year) if year is not None else "")):
        if value and meta.get(key) and meta[key] != value:
            meta[f"{key}_in_document"] = meta[key]
        if value:
            meta[key] = value
    return dataclasses.replace(extraction, metadata=meta)


def order_issues(files: Sequence[str], issues: Sequence[Issue]) -> tuple[Issue, ...]:
    """Issues in file order, then by code: the same whatever happened in which attempt."""
    rank = {name: i for i, name in enumerate(files)}
    return tuple(sorted(issues, key=lambda x: (rank.get(x.source, len(rank)), x.source, x.code, x.message)))


def coded_issue(code: str, source: str, **fields: object) -> Issue:
    """An Issue with the coded message of errors.MESSAGES, as the reviewer reads it ("[E110] …")."""
    return Issue(code=code, message=str(ExtractorError(code, **fields)), source=source)


def internal_issue(source: str, exc: Exception, stage: str = "") -> Issue:
    return coded_issue("E110", source, path=source, detail=f"{stage}{type(exc).__name__}: {exc}")


# Checks across submissions, run by the batch on what it stored.


def findings_of(extraction: Extraction, checks: Sequence[CheckResult], unit: str, year: Year | None) -> list[Finding]:
    """The findings of checks run outside process_submission, filed under this unit and year."""
    from .report.findings import results_to_findings

    meta = {**extraction.metadata, "unit": unit, "year": str(year or "")}
    return list(results_to_findings(dataclasses.replace(extraction, metadata=meta), list(checks), {}))


def cross_year_checks(this: Extraction, year: Year, prior: Extraction) -> list[CheckResult]:
    from .checks.crossyear import cross_year_checks as run

    return run(this, year, prior)


def boilerplate_checks(
    read: Callable[[], Iterator[Extraction]], patterns: Patterns | None = None
) -> Iterator[tuple[Extraction, list[CheckResult]]]:
    """The boilerplate check across units: (extraction, its results) in read()'s order, each
    with its unit in the metadata; read() is called twice, so the extractions are never all
    in memory."""
    from .checks.boilerplate import boilerplate_in_two_passes

    return boilerplate_in_two_passes(read, patterns)


def boilerplate_input(extraction: Extraction, patterns: Patterns | None = None) -> Extraction:
    """All the boilerplate check across units reads of one submission (stored by the batch)."""
    from .checks.crossunit import boilerplate_input as reduce

    return reduce(extraction, patterns)
