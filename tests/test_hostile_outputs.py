"""Outputs a hostile submission cannot subvert: the HTML report escapes every submitted text
(unit folder names, paragraphs), and no CSV/XLSX cell from a submission starts a formula."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).parent))
from test_batch_pool import make_report  # noqa: E402

from extractor.cli import main  # noqa: E402
from extractor.report.safe_cells import guard_formula  # noqa: E402

FOLDER = '=cmd|\' -C calc\'!A0<svg onload=alert(1)>"onerror=alert(2)'
UNIT = "甲局"
ATTACK = '<img src=x onerror=alert(3)>"\'&'


def test_submitted_text_is_escaped_in_html_and_never_a_formula_in_csv_xlsx(tmp_path: Path) -> None:
    root = tmp_path / "in" / FOLDER / UNIT
    make_report(root / f"{UNIT}2023年度自评报告.docx", "年末实有人数20人。在职人员18人。")
    make_report(root / f"{UNIT}2024年度自评报告.docx", f"=HYPERLINK(\"http://x\"){ATTACK}年末实有人数20人，较2023年度减少2人。")
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "-q", "-j", "1"]) in (0, 1)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "alert(1)" in html and "alert(3)" in html  # the texts are there...
    for raw in ("<svg onload", "<img src=x", '"onerror=', " onerror=alert(3)>"):
        assert raw not in html  # ...but only escaped
    assert "&lt;svg onload=alert(1)&gt;&quot;onerror=alert(2)" in html and "&lt;img src=x onerror=alert(3)&gt;" in html
    rows = list(csv.reader((out / "discrepancies.csv").open(encoding="utf-8-sig")))
    cells = [cell for row in rows[1:] for cell in row]
    assert any("HYPERLINK" in cell for cell in cells)  # the submitted paragraph is in 原文摘录
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@")) or
                (cell.startswith("-") and guard_formula(cell) != cell)]
    workbook = openpyxl.load_workbook(out / "discrepancies.xlsx")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "@")))


def test_guard_keeps_the_tools_signed_figures_and_quotes_the_rest() -> None:
    assert [guard_formula(t) for t in ("-0.02万元", "-2人", "-3.99%", "+1.5分")] == ["-0.02万元", "-2人", "-3.99%", "+1.5分"]
    assert [guard_formula(t) for t in ("=1+1", "-1+1", "+cmd|x", "@SUM(A1)", "\t=x", "-2)")] == [
        "'=1+1", "'-1+1", "'+cmd|x", "'@SUM(A1)", "'\t=x", "'-2)"]
    assert guard_formula("普通文字=1") == "普通文字=1"
