"""What a worker process does with one submission: pipeline.process_submission, with the
batch's file reader (legacy formats through LibreOffice, errors named relative to the input).

PipelineWork is the real thing; tests inject other Work objects (a real function that
sleeps or crashes on purpose) through the same two steps: read_file and analyse.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..model import Document, SubmissionResult
from ..patterns import Patterns, activate, active
from ..pipeline import (
    analyse_documents,
    process_submission,
    read_document,
    sha256_of,
    shared_narrative,
    source_name,
)
from .convert import TARGETS, convert_legacy
from .pool import ANALYSIS_STEP, Task

# Test-only hook: a worker sleeps for an hour on files whose name ends with this suffix,
# so the tests can prove a hanging file is killed and recorded. Never set it in production.
HANG_ENV = "EXTRACTOR_TEST_HANG_SUFFIX"


def hang_if_asked(path: Path) -> None:
    suffix = os.environ.get(HANG_ENV)
    if suffix and path.name.endswith(suffix):
        time.sleep(3600)


def read_one(path: Path, root: Path, cache: Path, timeout: float, patterns: Patterns | None = None) -> Document:
    """One file into the model; legacy formats through LibreOffice, keeping the original's name;
    the headings are `patterns`' (the parent's bundle)."""
    headings = patterns.headings if patterns is not None else None
    hang_if_asked(path)
    if path.suffix.lower() not in TARGETS:
        return read_document(path, root, headings)
    sha = sha256_of(path)
    converted = convert_legacy(path, sha, cache, timeout)
    doc = read_document(converted, converted.parent, headings)
    return dataclasses.replace(doc, source=source_name(path, root), sha256=sha)


def relative_error(exc: InputError, relative: str) -> InputError:
    """The coded error naming the file as the reviewer knows it (relative to the input), not
    where this machine keeps it: outputs stay the same wherever the batch is read from."""
    if "path" not in exc.fields:
        return exc
    return InputError(exc.code, **{**exc.fields, "path": relative})


class FileStepWork:
    """Read each file (announcing it first), then analyse what was read: process_submission
    with this object's read_file and analyse."""

    timeout: float = 120.0

    def read_file(self, path: Path, root: Path, task: Task) -> Document:
        raise NotImplementedError

    def analyse(self, docs: list[Document], task: Task) -> SubmissionResult:
        raise NotImplementedError

    def process(self, task: Task, notify: Callable[[str], None]) -> SubmissionResult:
        root = Path(task.root)

        def read(path: Path) -> Document:
            try:
                return self.read_file(path, root, task)
            except InputError as exc:
                raise relative_error(exc, path.relative_to(root).as_posix()) from None  # root / name: lexical

        def analyse(docs: list[Document]) -> SubmissionResult:
            notify(ANALYSIS_STEP)
            return self.analyse(docs, task)

        return process_submission(
            [root / name for name in task.files], root, names=task.files, read=read, announce=notify, skipped=task.skipped,
            filed_under=(task.unit, task.year), analyse=analyse, contain_crashes=True,
        )


class PipelineWork(FileStepWork):
    """The real pipeline: readers, narrative and annex facts, checks. Findings without decisions:
    the parent applies the reviewer's decisions when it writes the reports."""

    def __init__(self, timeout: float = 120.0, patterns: Patterns | None = None) -> None:
        self.timeout = timeout
        self.patterns = activate(patterns) if patterns is not None else active()  # the parent's bundle

    def read_file(self, path: Path, root: Path, task: Task) -> Document:
        return read_one(path, root, Path(task.cache), self.timeout, self.patterns)

    def analyse(self, docs: list[Document], task: Task) -> SubmissionResult:
        return analyse_documents(docs, {}, shared_narrative(self.patterns), self.patterns, filed_under=(task.unit, task.year))


WARM_MODULES = (
    "extractor.readers.docx", "extractor.readers.pdf", "extractor.readers.xlsx",
    "extractor.annex", "extractor.checks", "extractor.report.findings",
)


def warm_up(patterns: Patterns | None = None) -> None:
    """Import the parsers and build the narrative extractor in the parent before workers fork."""
    for name in WARM_MODULES:
        importlib.import_module(name)
    shared_narrative(patterns)


def pipeline_factory(timeout: float, patterns: Patterns | None = None) -> Callable[[], PipelineWork]:
    return functools.partial(PipelineWork, timeout, patterns)
