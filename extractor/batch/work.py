"""What a worker process does with one submission: read each file, extract, check.

PipelineWork is the real thing; tests inject other Work objects (a real function that
sleeps or crashes on purpose) through the same two steps: read_file and analyse.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import InputError
from ..model import Document, Extraction, Issue, SubmissionResult
from .convert import TARGETS, convert_legacy
from .pool import ANALYSIS_STEP, Task, coded_issue, failed_result

# Test-only hook: a worker sleeps for an hour on files whose name ends with this suffix,
# so the tests can prove a hanging file is killed and recorded. Never set it in production.
HANG_ENV = "EXTRACTOR_TEST_HANG_SUFFIX"


def hang_if_asked(path: Path) -> None:
    suffix = os.environ.get(HANG_ENV)
    if suffix and path.name.endswith(suffix):
        time.sleep(3600)


def internal_issue(source: str, exc: Exception, stage: str = "") -> Issue:
    return coded_issue("E110", source, path=source, detail=f"{stage}{type(exc).__name__}: {exc}")


def read_one(path: Path, root: Path, cache: Path, timeout: float) -> Document:
    """One file into the model; legacy formats through LibreOffice, keeping the original's name."""
    from ..readers import read_document, sha256_of, source_name

    hang_if_asked(path)
    if path.suffix.lower() not in TARGETS:
        return read_document(path, root)
    sha = sha256_of(path)
    converted = convert_legacy(path, sha, cache, timeout)
    doc = read_document(converted, converted.parent)
    return dataclasses.replace(doc, source=source_name(path, root), sha256=sha)


def relative_message(exc: InputError, relative: str) -> str:
    """The coded message naming the file as the reviewer knows it (relative to the input),
    not where this machine keeps it: outputs stay the same wherever the batch is read from."""
    if "path" not in exc.fields:
        return str(exc)
    return str(InputError(exc.code, **{**exc.fields, "path": relative}))


def order_issues(files: Sequence[str], issues: Sequence[Issue]) -> tuple[Issue, ...]:
    """Issues in file order, then by code: the same whatever happened in which attempt."""
    rank = {name: i for i, name in enumerate(files)}
    return tuple(sorted(issues, key=lambda x: (rank.get(x.source, len(rank)), x.source, x.code, x.message)))


class FileStepWork:
    """Read each file (announcing it first), then analyse what was read."""

    timeout: float = 120.0

    def read_file(self, path: Path, root: Path, task: Task) -> Document:
        raise NotImplementedError

    def analyse(self, docs: list[Document], task: Task) -> SubmissionResult:
        raise NotImplementedError

    def process(self, task: Task, notify: Callable[[str], None]) -> SubmissionResult:
        root = Path(task.root)
        skipped = {issue.source for issue in task.skipped}
        docs: list[Document] = []
        issues: list[Issue] = list(task.skipped)
        for relative in task.files:
            if relative in skipped:
                continue
            notify(relative)
            try:
                docs.append(self.read_file(root / relative, root, task))
            except InputError as exc:
                issues.append(Issue(code=exc.code, message=relative_message(exc, relative), source=relative))
            except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not stop the batch
                issues.append(internal_issue(relative, exc))
        notify(ANALYSIS_STEP)
        return self.finish(docs, issues, task)

    def finish(self, docs: list[Document], issues: list[Issue], task: Task) -> SubmissionResult:
        if not docs:
            return failed_result(task, order_issues(task.files, issues))
        try:
            result = self.analyse(docs, task)
        except Exception as exc:  # noqa: BLE001
            issues.append(internal_issue(docs[0].source, exc, "抽取或核查阶段 "))
            return failed_result(task, order_issues(task.files, issues))
        status = "partial" if issues else "ok"
        return dataclasses.replace(
            result,
            unit=task.unit or result.unit,
            year=task.year if task.year is not None else result.year,
            files=task.files,
            status=status,
            issues=order_issues(task.files, [*issues, *result.issues]),
        )


class PipelineWork(FileStepWork):
    """The real pipeline: readers, narrative and annex facts, checks. Findings without decisions:
    the parent applies the reviewer's decisions when it writes the reports."""

    def __init__(self, timeout: float = 120.0) -> None:
        self.timeout = timeout

    def read_file(self, path: Path, root: Path, task: Task) -> Document:
        return read_one(path, root, Path(task.cache), self.timeout)

    def analyse(self, docs: list[Document], task: Task) -> SubmissionResult:
        from ..extract import extract_documents
        from ..pipeline import check_extraction

        extraction = extract_documents(docs, shared_narrative())
        return check_extraction(filed_under(extraction, task), {})


def filed_under(extraction: Extraction, task: Task) -> Extraction:
    """The batch's unit and year in the metadata (findings are filed under them); the
    document's own, when different, kept beside them."""
    meta = dict(extraction.metadata)
    for key, value in (("unit", task.unit), ("year", str(task.year) if task.year is not None else "")):
        if value and meta.get(key) and meta[key] != value:
            meta[f"{key}_in_document"] = meta[key]
        if value:
            meta[key] = value
    return dataclasses.replace(extraction, metadata=meta)


WARM_MODULES = (
    "extractor.readers.docx", "extractor.readers.pdf", "extractor.readers.xlsx",
    "extractor.annex", "extractor.checks", "extractor.report.findings",
)


@functools.cache
def shared_narrative() -> object:
    """The spaCy-based narrative extractor: built once per process (a forked worker inherits
    the parent's, so it is built once per batch on Linux), never per file."""
    from ..narrative.facts import NarrativeExtractor

    return NarrativeExtractor()


def warm_up() -> None:
    """Import the parsers and build the narrative extractor in the parent before workers fork."""
    for name in WARM_MODULES:
        importlib.import_module(name)
    shared_narrative()


def pipeline_factory(timeout: float) -> Callable[[], PipelineWork]:
    return functools.partial(PipelineWork, timeout)
