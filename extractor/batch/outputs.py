"""What a batch leaves in OUT besides the database: the reports, facts per submission, batch.json.

Everything is regenerated from the database at the end of every run and written
atomically, so the bytes depend only on the input (never on worker count or order).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import regex

from ..model import Issue, SubmissionResult, SubmissionStatus, SubmissionSummary
from ..patterns import Patterns
from ..report import Chained, Keys, Raws, RawsAt, as_index, object_chunks, summarize_submission
from ..serialize import write_atomic
from . import codec
from .encode import EncodedSubmission, encode_submission

UNASSIGNED_UNIT = "（未归属文件）"  # the pseudo-row (status unassigned) exists only in the reports
RGX_UNSAFE = regex.compile(r'[\\/:*?"<>|\s]+')


def facts_name(result: SubmissionResult | SubmissionSummary | Keys) -> str:
    unit = RGX_UNSAFE.sub("_", result.unit) or "未知单位"
    year = result.year if result.year is not None else "未知年度"
    return f"{unit}_{year}.json"


def facts_text(result: SubmissionResult, plain_extraction: dict[str, Any] | None = None) -> str:
    """The facts file's text, the bytes serialize.dumps would write; `plain_extraction`:
    codec.plain(result.extraction) when the caller has it already."""
    body = plain_extraction if plain_extraction is not None else codec.plain(result.extraction)
    payload = {"schema": "extractor.facts", "version": "1.0", **body}
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_facts_file(result: SubmissionResult, out: Path, plain_extraction: dict[str, Any] | None = None) -> Path:
    """OUT/facts/<unit>_<year>.json."""
    path = out / "facts" / facts_name(result)
    write_atomic(path, facts_text(result, plain_extraction))
    return path


def encode_and_write_facts(out: Path, result: SubmissionResult, patterns: Patterns | None = None) -> EncodedSubmission:
    """In the worker, to keep the parent's serial work small: the submission's facts file and
    its database rows, from one conversion to plain JSON values."""
    plain = codec.plain(result)
    write_facts_file(result, out, plain["extraction"])
    return encode_submission(result, plain, patterns)


def encode_with_facts(result: SubmissionResult) -> tuple[str, str, EncodedSubmission]:
    """On a worker with no share of OUT: (facts file name, its text, the database rows); the
    parent writes the text, so the file has the bytes the local pool's workers write."""
    plain = codec.plain(result)
    return facts_name(result), facts_text(result, plain["extraction"]), encode_submission(result, plain)


def write_facts(
    summaries: Iterable[SubmissionSummary], out: Path, load: Callable[[int], SubmissionResult]
) -> list[Path]:
    """OUT/facts/<unit>_<year>.json per submission (the workers wrote those they processed; the
    missing ones are written here from load(index)); files of submissions no longer present are removed."""
    folder = out / "facts"
    written = []
    for index, keys in enumerate(as_index(summaries).keys):
        path = folder / facts_name(keys)
        if not path.is_file():
            write_facts_file(load(index), out)
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
    return SubmissionResult.failed(tuple(paths), issues, UNASSIGNED_UNIT, status=SubmissionStatus.UNASSIGNED)


def batch_summary(results: Iterable[SubmissionSummary], unassigned: Sequence[str]) -> Iterator[str]:
    """batch.json piece by piece (serialize.dumps' bytes, one submission's head encoded at a
    time, its findings counted, never decoded): a deterministic overview, no times, no run ids."""
    parts: dict[str, Iterable[Any]] = {
        "schema": ["extractor.batch"],
        "submissions": (
            {
                "unit": r.unit, "year": r.year, "files": list(r.files), "status": r.status,
                "findings": r.finding_count, "issues": [i.message for i in r.issues],
            }
            for r in as_index(results).heads()
        ),
        "unassigned": unassigned,
        "version": ["1.0"],
    }
    return object_chunks(parts, single=("schema", "version"))


def write_outputs(
    summaries: Iterable[SubmissionSummary], raws: Raws | RawsAt, unassigned: Sequence[str], out: Path,
    load: Callable[[int], SubmissionResult], returned: bool = False, source_root: Path | None = None,
) -> list[Path]:
    """Reports, facts per submission and batch.json; the report paths come first. `summaries`
    is read through its index (a list is indexed in memory; a batch's spool keeps it on disk);
    `raws`: the figures the reports mark, or a lookup of them; `load(i)` decodes the i-th
    submission whole, only when its facts file must be rewritten; `returned`: report.html
    links to OUT/返回修改/ (--annotate)."""
    from ..report import write_chunks_atomic, write_summary_reports

    summaries = as_index(summaries)
    extra = [summarize_submission(unassigned_result(unassigned))] if unassigned else []
    reports = write_summary_reports(Chained(summaries, extra), raws, out, returned, source_root=source_root)
    write_facts(summaries, out, load)
    summary = out / "batch.json"
    write_chunks_atomic(summary, batch_summary(summaries, unassigned))
    return [*reports, summary]
