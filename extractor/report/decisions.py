"""The reviewer's decisions, read back so a finding is never judged twice.

Sources in out_dir, later ones winning: the 处理意见/备注 columns of a discrepancies.xlsx the
reviewer edited, then decisions.csv (columns id or 编号, 处理意见 (确认/误报/已更正), 备注).
"""

from __future__ import annotations

import csv
from pathlib import Path

DECISIONS_FILE = "decisions.csv"
ID_COLUMNS = ("id", "编号")


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
