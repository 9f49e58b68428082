"""Form checks (extractor.checks.form): 三级指标 under 产出/效益, placeholder targets,
template rows and (参考提纲) left in, the same 偏差原因 repeated across rows."""

from __future__ import annotations

import pytest
from scoring_builders import (
    Row,
    extraction_from_docx,
    self_eval,
    self_eval_docx_parts,
    standard_rows,
    text_fact,
)

from extractor.checks.form import normalize_text, run_form_checks
from extractor.model import Kind, Level, Status


def form_results(extraction, rule_id):
    return [r for r in run_form_checks(extraction) if r.rule_id == rule_id]


def failures(extraction, rule_id):
    return [r for r in form_results(extraction, rule_id) if r.status is Status.FAIL]


# ---- 三级指标 under 产出指标 and 效益指标 ----------------------------------------------------


def test_both_required_first_levels_have_third_level_indicators():
    found = form_results(self_eval(), "form.indicator_levels")
    assert [(r.subject, r.status) for r in found] == [("产出指标", Status.PASS), ("效益指标", Status.PASS)]


def test_missing_benefit_indicators_fail():
    rows = [r for r in standard_rows() if not r.path.startswith("效益")]
    failed = failures(self_eval(rows=rows), "form.indicator_levels")
    assert [r.subject for r in failed] == ["效益指标"]
    assert failed[0].message == "效益指标下没有填写任何三级指标" and failed[0].level is Level.MANDATORY


def test_first_level_with_points_in_its_name_and_only_filler_rows():
    rows = [
        Row("产出指标（50分）/数量指标/新增缴存单位", "≥150个", "170个", "50", "50"),
        Row("效益指标（30分）/社会效益指标/……", "", "", "", ""),
    ]
    failed = failures(self_eval(rows=rows), "form.indicator_levels")
    assert [r.subject for r in failed] == ["效益指标"]


def test_no_indicator_rows_is_skipped():
    found = form_results(self_eval(rows=[]), "form.indicator_levels")
    assert [r.status for r in found] == [Status.SKIPPED]


# ---- empty or placeholder targets ---------------------------------------------------


@pytest.mark.parametrize("target", ["", "……", "xx", "XX", "待定", "≥xx%", "XX万元", " 待 定 "])
def test_placeholder_targets_fail(target):
    row = Row("产出指标/数量指标/新增缴存单位", target, "170个", "20", "20")
    failed = failures(self_eval(rows=[row, *standard_rows()[1:]]), "form.placeholder_target")
    assert [r.subject for r in failed] == ["新增缴存单位"]
    assert "新增缴存单位：年度指标值为空或为占位内容" in failed[0].message
    assert len(failed[0].fact_ids) == 4


@pytest.mark.parametrize("target", ["≥150个", "显著", "有效提升", "100%", "达标", "Xi品牌"])
def test_real_targets_pass(target):
    row = Row("产出指标/数量指标/新增缴存单位", target, "170个", "20", "20")
    found = form_results(self_eval(rows=[row, *standard_rows()[1:]]), "form.placeholder_target")
    assert [r.status for r in found] == [Status.PASS]


def test_row_without_any_target_fact_counts_as_empty():
    extraction = self_eval()
    first_target = next(f for f in extraction.facts if f.label == "indicator.target")
    pruned = type(extraction)(extraction.sources, extraction.metadata,
                              tuple(f for f in extraction.facts if f is not first_target))
    failed = failures(pruned, "form.placeholder_target")
    assert [r.subject for r in failed] == ["新增缴存单位"] and "（空）" in failed[0].message


# ---- template rows and (参考提纲) ---------------------------------------------------------


def test_filler_rows_are_reported_once_as_advisory():
    rows = [*standard_rows(), Row("产出指标/数量指标/……", "", "", "", ""),
            Row("效益指标/社会效益指标/……", "", "", "", "")]
    failed = failures(self_eval(rows=rows), "form.template_left")
    assert len(failed) == 1 and failed[0].level is Level.ADVISORY
    assert "（共2行）" in failed[0].message
    # filler rows are not themselves flagged as empty targets
    assert not failures(self_eval(rows=rows), "form.placeholder_target")


def test_reference_outline_marker_left_in_the_text():
    sentence = "一、部门基本情况（参考提纲）：本单位共有在职人员86人。"
    fact = text_fact("staff.active", "86人", sentence, kind=Kind.HEADCOUNT, unit="人")
    failed = failures(self_eval(narrative=[fact]), "form.template_left")
    assert len(failed) == 1 and "（参考提纲）" in failed[0].message and failed[0].fact_ids == (fact.id,)


def test_clean_report_has_no_template_left():
    assert [r.status for r in form_results(self_eval(), "form.template_left")] == [Status.PASS]


# ---- the same 偏差原因 in many rows ------------------------------------------------------


def rows_with_reasons(reasons):
    rows = standard_rows()
    return [Row(r.path, r.target, r.actual, r.points, r.score, reason) for r, reason in zip(rows, reasons)]


def test_same_reason_in_three_rows_is_advisory():
    reasons = ["已核实修正数据。", "已核实修正数据", " 已核实 修正数据；", "因疫情影响部分活动延期", None]
    failed = failures(self_eval(rows=rows_with_reasons(reasons)), "form.repeated_reason")
    assert len(failed) == 1 and failed[0].level is Level.ADVISORY
    assert "3项指标" in failed[0].message and "已核实修正数据" in failed[0].message
    assert "新增缴存单位、新增缴存职工、资金安全率" in failed[0].message
    assert len(failed[0].fact_ids) == 3


def test_same_reason_in_two_rows_or_a_harmless_word_passes():
    two = ["已核实修正数据", "已核实修正数据", "另一个原因说明"]
    harmless = ["无", "无", "无", "无", "已完成", "已完成", "已完成"]
    for reasons in (two, harmless):
        found = form_results(self_eval(rows=rows_with_reasons(reasons)), "form.repeated_reason")
        assert [r.status for r in found] == [Status.PASS]


def test_no_reason_column_is_skipped():
    found = form_results(self_eval(), "form.repeated_reason")
    assert [r.status for r in found] == [Status.SKIPPED] and found[0].missing == ("indicator.reason",)


def test_normalize_text_ignores_spacing_and_end_punctuation():
    assert normalize_text(" 已核实 修正数据；\n") == normalize_text("已核实修正数据。") == "已核实修正数据"


# ---- end to end: a real DOCX through the reader and the annex extractor ------------------


def test_docx_self_eval_trips_the_form_checks(make_docx):
    boiler = "已核实修正数据"
    rows = [
        Row("产出指标/数量指标/新增缴存单位", "xx", "170个", "30", "30", boiler),
        Row("产出指标/数量指标/新增缴存职工", "≥2万人", "2.35万人", "30", "30", boiler),
        Row("产出指标/质量指标/资金安全率", "100%", "100%", "20", "20", boiler),
        Row("产出指标/质量指标/……", "", "", "", ""),
        Row("满意度指标/服务对象满意度指标/缴存职工满意度", "≥90%", "96%", "10", "10"),
    ]
    parts = self_eval_docx_parts(rows, paragraphs=["一、部门基本情况（参考提纲）", "本单位负责住房公积金管理。"])
    extraction = extraction_from_docx(make_docx(parts, name="自评表.docx"))
    failed = [(r.rule_id, r.subject) for r in run_form_checks(extraction) if r.status is Status.FAIL]
    assert ("form.indicator_levels", "效益指标") in failed
    assert ("form.placeholder_target", "新增缴存单位") in failed
    assert ("form.repeated_reason", boiler) in failed
    assert ("form.indicator_levels", "产出指标") not in failed
    template = [r for r in run_form_checks(extraction) if r.rule_id == "form.template_left"]
    # the "……" row through the annex's template.filler fact, the marker through the outline
    assert [(r.status, r.subject) for r in template] == [(Status.FAIL, "绩效指标"), (Status.FAIL, "一、部门基本情况")]
    assert template[0].message == "绩效指标：模板内容“……”未删除"
    assert template[0].level is Level.ADVISORY and template[0].severity.value == "warning"
    assert template[1].message == "一、部门基本情况：模板内容“（参考提纲）”未删除"
    assert ("form.placeholder_target", "……") not in failed
