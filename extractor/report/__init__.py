"""The reviewer's discrepancy list: discrepancies.xlsx, .csv, .json and report.html.

Public API: write_reports(results, out_dir) -> list[Path]; read_decisions(out_dir).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import SubmissionResult
from ..serialize import write_atomic
from .csv_json import csv_text, json_text
from .decisions import read_decisions
from .html import html_text
from .xlsx import xlsx_bytes

__all__ = ["read_decisions", "write_reports"]


def write_reports(results: Sequence[SubmissionResult], out_dir: Path) -> list[Path]:
    """Write the four outputs atomically; the same results give the same bytes."""
    out_dir = Path(out_dir)
    outputs: list[tuple[str, str | bytes]] = [
        ("discrepancies.xlsx", xlsx_bytes(results)),
        ("discrepancies.csv", csv_text(results).encode("utf-8")),
        ("discrepancies.json", json_text(results)),
        ("report.html", html_text(results)),
    ]
    paths = []
    for name, content in outputs:
        path = out_dir / name
        write_atomic(path, content)
        paths.append(path)
    return paths
