"""The reviewer's decisions, read back so a finding is never judged twice.

Sources in out_dir, later ones winning: the 处理意见/备注 columns of a discrepancies.xlsx the
reviewer edited, then decisions.csv (columns id or 编号, 处理意见 (确认/误报/已更正), 备注).

What a decision does (apply_decision): 误报 keeps the finding listed but out of the exit
code, the 汇总 counts and the triage order (Finding.dismissed); 已更正 on a finding that is
found again (the same id) in a later submission of the unit and year (other files than
those last checked into the folder, SEEN_FILE) reads 未改正.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from ..model import Finding
from ..serialize import write_atomic

DECISIONS_FILE = "decisions.csv"
ID_COLUMNS = ("id", "编号")
CORRECTED = "已更正"
NOT_CORRECTED = "未改正"


SEEN_FILE = "submissions_seen.json"  # in OUT: each unit-year's files (name -> sha256 digest) as last checked


def apply_decision(finding: Finding, decisions: Mapping[str, tuple[str, str]], resubmitted: bool = False) -> Finding:
    """The reviewer's decision on this finding, or on any finding merged into it; 已更正 on
    a finding found again in a later submission (`resubmitted`) reads 未改正."""
    key = next((k for k in (finding.id, *finding.replaces) if k in decisions), None)
    if key is None:
        return finding
    decision, remark = decisions[key]
    if decision == CORRECTED and resubmitted:
        decision = NOT_CORRECTED
    return replace(finding, decision=decision, remark=remark)


def not_corrected(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings of a later submission: those marked 已更正 are found again, 未改正."""
    return tuple(replace(f, decision=NOT_CORRECTED) if f.decision == CORRECTED else f for f in findings)


def seen_key(unit: str, year: int | None) -> str:
    return f"{unit}|{year if year is not None else ''}"


def files_print(hashes: Mapping[str, str]) -> str:
    """One digest of a submission's files (name -> sha256): changes when any file does."""
    text = "\n".join(f"{name}={digest}" for name, digest in sorted(hashes.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_seen(out_dir: Path) -> dict[str, str]:
    """unit|year -> files_print of the submission last checked into out_dir."""
    path = Path(out_dir) / SEEN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def resubmitted(seen: Mapping[str, str], key: str, now: str) -> bool:
    """A later submission of the unit and year: checked before, with other files."""
    return key in seen and seen[key] != now


def write_seen(out_dir: Path, seen: Mapping[str, str]) -> None:
    text = json.dumps(dict(sorted(seen.items())), ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(out_dir) / SEEN_FILE, text)


def read_decisions(out_dir: Path) -> dict[str, tuple[str, str]]:
    decisions: dict[str, tuple[str, str]] = {}
    decisions.update(_from_xlsx(Path(out_dir) / "discrepancies.xlsx"))
    decisions.update(_from_csv(Path(out_dir) / DECISIONS_FILE))
    return decisions


def _pick(row: dict[str, str]) -> tuple[str, tuple[str, str]] | None:
    finding_id = next((str(row[c]).strip() for c in ID_COLUMNS if row.get(c)), "")
    decision = str(row.get("处理意见") or "").strip()
    remark = str(row.get("备注") or "").strip()
    if not finding_id or not (decision or remark):
        return None
    return finding_id, (decision, remark)


def _from_csv(path: Path) -> dict[str, tuple[str, str]]:
    if not path.is_file():
        return {}
    found = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            picked = _pick({k.strip(): v for k, v in row.items() if k})
            if picked:
                found[picked[0]] = picked[1]
    return found


def _from_xlsx(path: Path) -> dict[str, tuple[str, str]]:
    if not path.is_file():
        return {}
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - a damaged earlier output must not stop the run
        return {}
    if "问题清单" not in wb.sheetnames:
        return {}
    rows = wb["问题清单"].iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, ())]
    found = {}
    for values in rows:
        picked = _pick({h: "" if v is None else str(v) for h, v in zip(header, values)})
        if picked:
            found[picked[0]] = picked[1]
    wb.close()
    return found
