"""The reviewer's discrepancy list: discrepancies.xlsx, .csv, .json and report.html.

Public API: write_reports(results, out_dir) -> list[Path] (whole results, for one
submission or a few); write_summary_reports(summaries, raws, out_dir) (what a batch
passes: per-submission summaries with their findings, and the written figures at the
places the findings cite, so no extraction needs to be held); read_decisions(out_dir).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..model import Locator, SubmissionResult, SubmissionSummary
from ..serialize import write_atomic
from .csv_json import csv_text, json_chunks
from .decisions import apply_decision, files_print, read_decisions, read_seen, resubmitted, write_seen
from .findings import sort_findings
from .html import Raws, html_text
from .rows import summarize_submission, with_more_checks
from .xlsx import xlsx_bytes

__all__ = [
    "Raws",
    "SubmissionSummary",
    "apply_decision",
    "files_print",
    "raws_by_place",
    "read_decisions",
    "read_seen",
    "resubmitted",
    "sort_findings",
    "summarize_submission",
    "with_more_checks",
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
    summaries: Iterable[SubmissionSummary], raws: Raws | Callable[[], Raws], out_dir: Path, returned: bool = False,
    source_root: Path | None = None,
) -> list[Path]:
    """`summaries`: a list, or anything walked afresh by each iteration (a batch passes summaries
    spooled on disk, so each writer holds only what its own file needs); `raws`: the mapping, or
    a function loading it once the summaries are written out; `source_root`: the folder the
    findings' sources are relative to (the XLSX links to them)."""
    out_dir = Path(out_dir)
    figures = raws() if callable(raws) else raws
    writers: list[tuple[str, Callable[[], str | bytes]]] = [
        ("discrepancies.xlsx", lambda: xlsx_bytes(summaries, figures, out_dir, source_root)),
        ("discrepancies.csv", lambda: csv_text(summaries).encode("utf-8")),
        ("report.html", lambda: html_text(summaries, figures, returned)),
    ]
    paths = []
    for name, render in writers:  # one output in memory at a time
        path = out_dir / name
        write_atomic(path, render())
        paths.append(path)
    json_path = out_dir / "discrepancies.json"
    write_chunks_atomic(json_path, json_chunks(summaries))
    paths.insert(2, json_path)
    return paths


def write_chunks_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Like serialize.write_atomic, for text that comes in pieces."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(chunks)
    tmp.replace(path)

