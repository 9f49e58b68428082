"""The reviewer's discrepancy list: discrepancies.xlsx, .csv, .json and report.html.

Public API: write_reports(results, out_dir) -> list[Path] (whole results, for one
submission or a few); write_summary_reports(summaries, raws, out_dir) (what a batch
passes: per-submission summaries with their findings, and the written figures at the
places the findings cite, so no extraction needs to be held); read_decisions(out_dir).
"""

from __future__ import annotations

import gc

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..model import Locator, SubmissionResult, SubmissionSummary
from .csv_json import csv_chunks, json_chunks, object_chunks
from .decisions import apply_decision, files_print, read_decisions, read_seen, resubmitted, write_seen
from .findings import sort_findings
from .html import write_html
from .index import Chained, Head, Keys, SummaryIndex, as_index, finding_tally
from .ordered import Raws, RawsAt
from .rows import checks_added, summarize_submission, with_added, with_more_checks
from .xlsx import write_xlsx

__all__ = [
    "Chained",
    "Head",
    "Keys",
    "Raws",
    "RawsAt",
    "SubmissionSummary",
    "SummaryIndex",
    "apply_decision",
    "as_index",
    "checks_added",
    "files_print",
    "finding_tally",
    "object_chunks",
    "raws_by_place",
    "read_decisions",
    "read_seen",
    "resubmitted",
    "sort_findings",
    "summarize_submission",
    "with_added",
    "with_more_checks",
    "write_chunks_atomic",
    "write_reports",
    "write_seen",
    "write_summary_reports",
]


def write_reports(
    results: Sequence[SubmissionResult], out_dir: Path, returned: bool = False, source_root: Path | None = None
) -> list[Path]:
    """Write the four outputs atomically; the same results give the same bytes.
    `returned`: the report links each finding to OUT/返回修改/ (extractor.annotate)."""
    summaries = [summarize_submission(r) for r in results]
    return write_summary_reports(summaries, raws_by_place(results), out_dir, returned, source_root=source_root)


def raws_by_place(results: Sequence[SubmissionResult]) -> dict[Locator, set[str]]:
    raws: dict[Locator, set[str]] = {}
    for result in results:
        for fact in result.extraction.facts:
            raws.setdefault(fact.locator, set()).add(fact.raw)
    return raws


def write_summary_reports(
    summaries: Iterable[SubmissionSummary], raws: Raws | RawsAt, out_dir: Path, returned: bool = False,
    source_root: Path | None = None,
) -> list[Path]:
    """`summaries`: a list, or an index (report/index.py: a batch passes its summaries spooled
    on disk), read through one index of small keys; each output is written as a stream, so no
    writer holds every finding; `raws`: the mapping, or a lookup of the figures
    at some places (a batch's database); `source_root`: the folder the findings' sources are
    relative to (the XLSX links to them)."""
    out_dir = Path(out_dir)
    summaries = as_index(summaries)
    names = ("discrepancies.xlsx", "discrepancies.csv", "discrepancies.json", "report.html")
    paths = [out_dir / name for name in names]
    write_xlsx(paths[0], summaries, raws, out_dir, source_root)
    gc.collect()  # openpyxl's workbook is a web of reference cycles: freed now, the next writers reuse its memory
    write_chunks_atomic(paths[1], csv_chunks(summaries))
    write_chunks_atomic(paths[2], json_chunks(summaries))
    write_html(paths[3], summaries, raws, returned)
    return paths


def write_chunks_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Like serialize.write_atomic, for text that comes in pieces."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(chunks)
    tmp.replace(path)

