"""Findings a reviewer can trust at a glance (issue 13), on real-shaped annex tables read
from DOCX and XLSX built here and from the PDF LibreOffice exported of the same DOCX
(tests/fixtures/findings/build.py): exact recomputed figures with both operands named, one
finding per cause, indicator tables judged by block, a bare integer among two-decimal parts,
and the reviewer's decisions (误报, 已更正 -> 未改正).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "findings"
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(FIXTURES.parent / "annex"))

import annex_layouts
import layouts

from extractor.cli import main
from extractor.model import Level, Severity
from extractor.pipeline import process_submission
from extractor.report.findings import result_to_finding, results_to_findings

FORMATS = ("docx", "xlsx", "pdf")


def table_file(layout: annex_layouts.Layout, kind: str, tmp_path: Path) -> Path:
    if kind == "pdf":
        return FIXTURES / f"{layout.name}.pdf"
    path = tmp_path / f"{layout.name}.{kind}"
    return annex_layouts.to_docx(layout, path) if kind == "docx" else annex_layouts.to_xlsx(layout, path)


def findings_of(layout: annex_layouts.Layout, kind: str, tmp_path: Path):
    path = table_file(layout, kind, tmp_path)
    return process_submission([path], path.parent)


def with_rule(findings, rule: str):
    return [f for f in findings if rule in f.rule_id.split("、")]


@pytest.mark.parametrize("kind", FORMATS)
def test_rate_shown_to_two_decimals_gap_in_points_operands_by_column(kind, tmp_path):
    result = findings_of(layouts.EXEC_RATE, kind, tmp_path)
    (rate,) = with_rule(result.findings, "rate.execution")
    assert rate.message == (
        "年度资金总额全年执行数1236.48万元÷全年预算数1537.02万元=80.45%，与预算执行率100%相差19.55个百分点"
    )
    assert (rate.reported, rate.expected, rate.difference) == ("100%", "80.45%", "19.55个百分点")
    assert rate.level is Level.MANDATORY


@pytest.mark.parametrize("kind", FORMATS)
def test_two_rules_on_one_cell_are_one_finding_listing_both(kind, tmp_path):
    result = findings_of(layouts.SAME_CELLS, kind, tmp_path)
    merged = [f for f in result.findings if f.severity is Severity.ERROR]
    assert len(merged) == 1
    (finding,) = merged
    assert finding.rules == ("sum.funding_expense", "split.expense_vs_total")
    assert finding.rule_id == "sum.funding_expense、split.expense_vs_total"
    assert "基本支出339.35万元＋项目支出819.84万元" in finding.message and "年度资金总额（" in finding.message
    assert (finding.reported, finding.expected, finding.difference) == ("1129.19万元", "1159.19万元", "-30.00万元")
    assert len(finding.replaces) == 2 and finding.id not in finding.replaces


@pytest.mark.parametrize("kind", FORMATS)
def test_one_check_in_three_columns_is_one_finding_naming_them(kind, tmp_path):
    result = findings_of(layouts.ZERO_TOTAL, kind, tmp_path)
    (finding,) = with_rule(result.findings, "generic.parts_within_total")
    assert finding.message.startswith("年度资金总额（年初预算数）0万元的其中各项合计119.968万元超过总数")
    assert "全年预算数列同样不符" in finding.message and "全年执行数列同样不符" in finding.message
    assert (finding.expected, finding.difference) == ("119.968万元", "-119.968万元")  # not rounded to "0"'s 万
    assert len(finding.locations) >= 6  # the three totals and the three parts


@pytest.mark.parametrize("kind", FORMATS)
def test_truncated_indicator_table_is_one_hint_not_a_wrong_total(kind, tmp_path):
    result = findings_of(layouts.TRUNCATED, kind, tmp_path)
    points = with_rule(result.findings, "score.indicator_points")
    assert [(f.level, f.severity) for f in points] == [(Level.ADVISORY, Severity.WARNING)]
    assert points[0].message.startswith("指标表不完整：4项三级指标的分值合计64分")
    assert "“效益指标”标明30分，所列各行仅14分" in points[0].message
    assert not [f for f in result.findings if f.level is Level.MANDATORY and f.family == "score"]


@pytest.mark.parametrize("kind", FORMATS)
def test_rows_stopping_before_the_closing_block_are_a_hint(kind, tmp_path):
    result = findings_of(layouts.CUT_AT_PAGE, kind, tmp_path)
    (points,) = with_rule(result.findings, "score.indicator_points")
    assert (points.level, points.severity) == (Level.ADVISORY, Severity.WARNING)
    assert points.message == (
        "指标表不完整：4项三级指标的分值合计64分，指标行止于一级指标“效益指标”，未见表末的“满意度指标”，未按总分值核对"
    )


@pytest.mark.parametrize("kind", FORMATS)
def test_joined_row_is_a_reading_error_not_a_figure(kind, tmp_path):
    result = findings_of(layouts.JOINED, kind, tmp_path)
    score_findings = [f for f in result.findings if str(f.family) in ("score", "Family.SCORE")]
    assert all(f.level is Level.ADVISORY for f in score_findings), [f.message for f in score_findings]
    (joined,) = with_rule(result.findings, "score.indicator_points")
    assert "读作“1510”" in joined.message and "疑为15与10两格相连" in joined.message
    assert not any("1510分" in f.message for f in result.findings)
    assert result.platform_score is None  # no score from a cell that could not be read


@pytest.mark.parametrize("kind", FORMATS)
def test_bare_integer_among_two_decimal_parts_is_a_hint_stating_the_assumption(kind, tmp_path):
    result = findings_of(layouts.BARE_INTEGER, kind, tmp_path)
    (finding,) = with_rule(result.findings, "sum.three_public")
    assert finding.level is Level.ADVISORY and finding.severity is Severity.WARNING
    assert "公务接待40万元按40.00万元计，各项合计119.99万元，与119.97万元相差0.02万元" in finding.message


def test_block_against_its_stated_points_is_mandatory_when_the_table_is_whole(tmp_path):
    rows = [list(r) for r in layouts.WHOLE_INDICATORS]
    rows[1] = ["培训人次", "≥300人次", "320人次", "5", "5", ""]  # 产出指标 now 45 of its 50
    rows[3] = [("效益指标（30分）", 1, 2), ("社会效益指标", 1, 2), "群众办事时间", "明显缩短", "明显缩短", "20", "20", ""]
    layout = layouts.self_eval("blocks", ["800.00", "800.00", "800.00", "10", "100.00%", "10"],
                               "800.00", "800.00", "300.00", "500.00", rows, ["100", "100"])
    result = findings_of(layout, "docx", tmp_path)
    messages = {f.message for f in with_rule(result.findings, "score.indicator_points")}
    assert messages == {
        "一级指标“产出指标”下3项三级指标的分值合计45分，与其标明的50分不一致",
        "一级指标“效益指标”下2项三级指标的分值合计35分，与其标明的30分不一致",
    }


def test_decision_on_an_old_id_carries_over_to_the_merged_finding(tmp_path):
    result = findings_of(layouts.SAME_CELLS, "docx", tmp_path)
    by_id = {f.id: f for f in result.extraction.facts}
    failed = [c for c in result.checks if c.rule_id in ("sum.funding_expense", "split.expense_vs_total")
              and c.status.value == "fail"]
    old_ids = [result_to_finding(c, [by_id[i] for i in c.fact_ids], "", None, {}).id for c in failed]
    decided = results_to_findings(result.extraction, result.checks, {old_ids[1]: ("确认", "已告知单位")})
    (merged,) = [f for f in decided if f.severity is Severity.ERROR]
    assert merged.id not in old_ids and set(old_ids) == set(merged.replaces)
    assert (merged.decision, merged.remark) == ("确认", "已告知单位")


def _check(table: Path, out: Path) -> tuple[int, dict]:
    code = main(["check", str(table), "-o", str(out)])
    return code, json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))


def _decide(out: Path, finding_id: str, decision: str) -> None:
    with (out / "decisions.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["id", "处理意见", "备注"], [finding_id, decision, "复核"]])


def test_false_positive_leaves_exit_code_counts_and_triage(tmp_path):
    table, out = annex_layouts.to_docx(layouts.SAME_CELLS, tmp_path / "自评表.docx"), tmp_path / "out"
    code, first = _check(table, out)
    (error,) = [f for f in first["findings"] if f["severity"] == "error"]
    assert code == 1 and first["submissions"][0]["findings"]["error"] == 1
    _decide(out, error["id"], "误报")
    code, second = _check(table, out)
    marked = next(f for f in second["findings"] if f["id"] == error["id"])
    assert marked["decision"] == "误报"  # still listed, marked
    assert code == 0 and second["submissions"][0]["findings"]["error"] == 0
    assert second["submissions"][0]["findings"]["mandatory"] == first["submissions"][0]["findings"]["mandatory"] - 1
    assert second["findings"][-1]["id"] == error["id"]  # listed after every finding still to triage


def test_corrected_finding_found_again_in_a_later_submission_is_not_corrected(tmp_path):
    table, out = annex_layouts.to_docx(layouts.SAME_CELLS, tmp_path / "自评表.docx"), tmp_path / "out"
    _, first = _check(table, out)
    (error,) = [f for f in first["findings"] if f["severity"] == "error"]
    _decide(out, error["id"], "已更正")
    _, same_files = _check(table, out)
    assert next(f for f in same_files["findings"] if f["id"] == error["id"])["decision"] == "已更正"
    resubmitted = dataclasses.replace(layouts.SAME_CELLS, title="部门整体支出绩效自评表（重报）")
    annex_layouts.to_docx(resubmitted, table)  # the unit sends the table again, the error still in it
    _, later = _check(table, out)
    assert next(f for f in later["findings"] if f["id"] == error["id"])["decision"] == "未改正"


def test_batch_decisions_carry_over_and_a_resubmission_reads_not_corrected(tmp_path):
    import shutil

    import docx

    folder = "清溪县交通运输局2024年度绩效自评"
    root, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(Path(__file__).parent.parent / "samples" / "batch" / folder, root / folder)
    assert main(["batch", str(root), "-o", str(out), "-q"]) == 1
    findings = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))["findings"]
    (merged,) = [f for f in findings if "split.expense_vs_total" in f["rule"]]
    assert merged["rule"] == "sum.funding_expense、split.expense_vs_total"  # the planted cause, once
    _decide(out, merged["id"], "已更正")
    main(["batch", str(root), "-o", str(out), "-q"])
    again = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))["findings"]
    assert next(f for f in again if f["id"] == merged["id"])["decision"] == "已更正"  # the same files
    report = next((root / folder).glob("*报告.docx"))
    document = docx.Document(str(report))
    document.add_paragraph("（重报稿）")
    document.save(str(report))
    assert main(["batch", str(root), "-o", str(out), "-q"]) == 1
    later = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))["findings"]
    assert next(f for f in later if f["id"] == merged["id"])["decision"] == "未改正"
    _decide(out, merged["id"], "误报")
    assert main(["batch", str(root), "-o", str(out), "-q"]) == 0  # its only error is dismissed


def test_table_total_and_the_text_against_it_off_by_the_same_amount_are_one_finding():
    folder = Path(__file__).parent.parent / "samples" / "batch" / "清溪县卫生健康局（2024年）"
    result = process_submission(sorted(folder.glob("*.docx")), folder.parent)
    (finding,) = [f for f in result.findings if "sum.three_public" in f.rule_id]
    assert finding.rules == ("sum.three_public", "text_annex.three_public")  # 9.10 is 2.00 above both
    assert finding.message.startswith("三公经费（2024年决算数）9.10万元与各分项之和7.10万元不一致")
    assert "报告中三公经费7.10万元与基础数据表决算数9.10万元不一致" in finding.message
    assert not [f for f in result.findings if f.rule_id == "text_annex.three_public"]


def test_a_text_operand_is_named_with_its_paragraph(make_docx, tmp_path):
    """Issue 13: every operand named by what it is and where: a text figure by its label and paragraph."""
    path = make_docx(["一、部门基本情况", "本年支出合计100万元。",
                      "基本支出90.00万元，其中人员经费60.00万元、公用经费20.00万元。"])
    result = process_submission([path], path.parent)
    (finding,) = [f for f in result.findings if "人员经费" in f.message]
    assert "基本支出（第3段）90.00万元" in finding.message and "差额" in finding.message
