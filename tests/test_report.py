"""The reviewer's outputs: XLSX sheets and print setup, CSV BOM, JSON schema, offline HTML,
byte-identical reruns, decisions read back."""

import csv
import json

from openpyxl import load_workbook
from test_findings import broken_facts, extraction

from extractor.checks import run_checks
from extractor.model import SubmissionResult
from extractor.report import read_decisions, write_reports
from extractor.report.findings import results_to_findings


def submission(facts, unit="测试单位", decisions=None):
    ext = extraction(facts)
    ext = type(ext)(
        sources=ext.sources, metadata={**ext.metadata, "unit": unit}, facts=ext.facts, outline=ext.outline
    )
    checks = run_checks(ext)
    return SubmissionResult(
        unit=unit,
        year=2024,
        files=("报告.docx",),
        extraction=ext,
        checks=tuple(checks),
        findings=tuple(results_to_findings(ext, checks, decisions or {})),
    )


def consistent_facts():
    from dataclasses import replace
    from decimal import Decimal as D

    fixed = {"bp": D(19396200), "tv": D(58100)}
    return [
        replace(
            f, value=fixed.get(f.id, f.value), raw=f.raw.replace("1939.64", "1939.62").replace("5.91", "5.81")
        )
        for f in broken_facts()
    ]


def test_writes_four_files_deterministically(tmp_path):
    results = [submission(broken_facts(), "乙单位"), submission(consistent_facts(), "甲单位")]
    first = write_reports(results, tmp_path / "a")
    second = write_reports(list(reversed(results)), tmp_path / "b")
    assert [p.name for p in first] == [
        "discrepancies.xlsx",
        "discrepancies.csv",
        "discrepancies.json",
        "report.html",
    ]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_xlsx_sheets_ready_to_filter_and_print(tmp_path):
    write_reports([submission(consistent_facts(), "甲单位"), submission(broken_facts(), "乙单位")], tmp_path)
    wb = load_workbook(tmp_path / "discrepancies.xlsx")
    assert wb.sheetnames == ["问题清单", "汇总", "图表"]
    sheet = wb["问题清单"]
    header = [c.value for c in sheet[1]]
    assert header[:8] == ["编号", "单位", "年度", "检查项", "类别", "级别", "严重程度", "说明"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    assert sheet.cell(2, 1).alignment.wrap_text
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    basic = next(r for r in rows if "sum.basic" in r[3])
    assert basic[1] == "乙单位" and basic[4] == "文表" and basic[5] == "强制" and basic[6] == "错误"
    assert basic[8:11] == ("2348.75万元", "2348.77万元", "-0.02万元")
    assert "报告.docx 第2页 第12段" in basic[11]
    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert summary[0][:7] == ("排名", "单位", "年度", "文件", "状态", "强制", "提示")
    assert [r[1] for r in summary[1:]] == ["乙单位", "甲单位"]  # most 强制 first


def test_csv_has_bom_and_same_rows(tmp_path):
    write_reports([submission(broken_facts())], tmp_path)
    raw = (tmp_path / "discrepancies.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "编号" and any("sum.basic" in r[3] for r in rows[1:])


def test_json_schema_findings_and_summary(tmp_path):
    write_reports([submission(broken_facts())], tmp_path)
    data = json.loads((tmp_path / "discrepancies.json").read_text(encoding="utf-8"))
    assert data["schema"] == "extractor.discrepancies" and data["version"] == "1.0"
    finding = next(f for f in data["findings"] if f["rule"] == "sum.basic")
    for key in (
        "id",
        "unit",
        "year",
        "rule",
        "family",
        "severity",
        "reach",
        "level",
        "message",
        "reported",
        "expected",
        "difference",
        "locations",
        "excerpts",
        "decision",
    ):
        assert key in finding
    assert finding["locations"][0]["place"] == "报告.docx 第2页 第12段"
    [sub] = data["submissions"]
    checks = sub["checks"]
    assert checks["run"] == checks["passed"] + checks["failed"] and checks["failed"] >= 2
    assert sub["coverage"]["figures_found"] == 6


def test_html_is_offline_filterable_and_marks_figures(tmp_path):
    write_reports([submission(broken_facts())], tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<link" not in html and "src=" not in html
    for select in ("f-unit", "f-severity", "f-reach", "f-level"):
        assert f'id="{select}"' in html
    assert "<mark>1939.64万元</mark>" in html and 'data-level="强制"' in html


def test_decisions_from_csv_and_from_edited_xlsx(tmp_path):
    results = [submission(broken_facts())]
    write_reports(results, tmp_path)
    wb = load_workbook(tmp_path / "discrepancies.xlsx")
    sheet = wb["问题清单"]
    first_id = sheet.cell(2, 1).value
    column = {c.value: c.column for c in sheet[1]}
    sheet.cell(2, column["处理意见"]).value = "确认"
    sheet.cell(2, column["备注"]).value = "单位已更正"
    wb.save(tmp_path / "discrepancies.xlsx")
    second_id = sheet.cell(3, 1).value
    (tmp_path / "decisions.csv").write_text(
        f"id,处理意见,备注\n{second_id},误报,舍入\n", encoding="utf-8-sig"
    )
    decisions = read_decisions(tmp_path)
    assert decisions == {first_id: ("确认", "单位已更正"), second_id: ("误报", "舍入")}
    rerun = submission(broken_facts(), decisions=decisions)
    shown = {f.id: f.decision for f in rerun.findings}
    assert shown[first_id] == "确认" and shown[second_id] == "误报"
    write_reports([rerun], tmp_path)
    assert read_decisions(tmp_path)[first_id] == ("确认", "单位已更正")


def test_units_with_equal_counts_rank_by_largest_difference(tmp_path):
    from dataclasses import replace
    from decimal import Decimal as D

    small = [
        replace(f, value=D(19396400), raw="1939.64万元") if f.id == "bp" else f for f in consistent_facts()
    ]
    large = [
        replace(f, value=D(19496200), raw="1949.62万元") if f.id == "bp" else f for f in consistent_facts()
    ]
    write_reports([submission(small, "甲单位"), submission(large, "乙单位")], tmp_path)
    rows = list(load_workbook(tmp_path / "discrepancies.xlsx")["汇总"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[5], r[10]) for r in rows] == [("乙单位", 1, "10.00万元"), ("甲单位", 1, "0.02万元")]


def test_stored_summary_gives_the_same_reports_as_the_whole_results(tmp_path):
    """What a batch stores per submission (a summary as JSON, no facts) writes the same bytes."""
    from extractor.batch.codec import from_jsonable
    from extractor.batch.encode import compact
    from extractor.report import SubmissionSummary, raws_by_place, summarize_submission, write_summary_reports
    from extractor.serialize import to_jsonable

    results = [submission(broken_facts(), "乙单位"), submission(consistent_facts(), "甲单位")]
    write_reports(results, tmp_path / "whole")
    stored = []
    for result in results:
        text = compact(to_jsonable(summarize_submission(result)))
        stored.append(from_jsonable(SubmissionSummary, json.loads(text)))
    write_summary_reports(stored, raws_by_place(results), tmp_path / "stored")
    for name in ("discrepancies.xlsx", "discrepancies.csv", "discrepancies.json", "report.html"):
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "stored" / name).read_bytes(), name


def test_checks_added_later_give_the_summary_of_the_merged_result():
    """Batch checks (cross-year, boilerplate) merged into a stored summary = summary of the merged result."""
    from dataclasses import replace

    from extractor.report import summarize_submission, with_more_checks

    whole = submission(broken_facts())
    checks, findings = whole.checks, whole.findings
    assert any(c.status.value == "fail" for c in checks[2:]) and findings
    early = replace(whole, checks=checks[:2], findings=())
    merged = with_more_checks(summarize_submission(early), checks[2:], findings, whole.extraction)
    assert merged == summarize_submission(whole)
    assert merged.checked == summarize_submission(whole).checked > 0


def test_unassigned_status_is_a_code_shown_in_chinese(tmp_path):
    from extractor.batch.outputs import unassigned_result

    pseudo = unassigned_result(["其他/说明.docx"])
    assert pseudo.status == "unassigned"
    write_reports([pseudo], tmp_path)
    data = json.loads((tmp_path / "discrepancies.json").read_text(encoding="utf-8"))
    assert data["submissions"][0]["status"] == "unassigned"
    rows = list(load_workbook(tmp_path / "discrepancies.xlsx")["汇总"].iter_rows(min_row=2, values_only=True))
    assert rows[0][4] == "未归属，未核查"
