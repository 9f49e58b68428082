"""The platform's scoring rules (extractor.checks.scoring) on facts of a 自评表: each rule
tripped, each boundary (130% exactly, 执行率 70.00%, one last-digit unit either side)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_builders import (
    Row,
    extraction_from_docx,
    self_eval,
    self_eval_docx_parts,
    standard_rows,
    text_fact,
)

from extractor.checks.scoring import platform_score, run_scoring_checks
from extractor.checks.scoring_rules import load_scoring_rules, validate_scoring_file
from extractor.errors import PatternError
from extractor.model import Kind, Level, Reach, Severity, Status
from extractor.patterns import load_patterns
from extractor.serialize import dumps

PATTERNS = Path(__file__).resolve().parent.parent / "patterns"


def results(extraction, rule_id, **kwargs):
    return [r for r in run_scoring_checks(extraction, **kwargs) if r.rule_id == rule_id]


def only(extraction, rule_id, **kwargs):
    found = results(extraction, rule_id, **kwargs)
    assert len(found) == 1, found
    return found[0]


def with_row(row: Row, **kwargs):
    """The standard nine rows with the first replaced (its 20 points kept)."""
    return self_eval(rows=[row, *standard_rows()[1:]], **kwargs)


# ---- 指标偏离 -------------------------------------------------------------------------


def deviation_of(extraction, subject):
    found = [r for r in results(extraction, "score.indicator_deviation") if r.subject == subject]
    assert len(found) == 1, found
    return found[0]


def test_exactly_130_percent_is_deviation_and_must_lose_two_points():
    row = Row("产出指标/数量指标/新增缴存单位", "≥100个", "130个", "20", "20")
    result = deviation_of(with_row(row), "新增缴存单位")
    assert result.status is Status.FAIL
    assert result.level is Level.MANDATORY and result.reach is Reach.WITHIN_TABLE
    assert "130个" in result.message and "≥100个" in result.message and "130%" in result.message
    assert "应扣2分" in result.message and result.difference == Decimal(2)
    assert len(result.fact_ids) == 4


def test_one_last_digit_below_130_percent_is_no_deviation():
    row = Row("产出指标/数量指标/新增缴存单位", "≥100.0个", "129.9个", "20", "20")
    assert deviation_of(with_row(row), "新增缴存单位").status is Status.PASS


def test_deviation_with_the_two_points_taken_passes():
    row = Row("产出指标/数量指标/新增缴存单位", "≥100个", "150个", "20", "18")
    assert deviation_of(with_row(row, budget_score="9.5"), "新增缴存单位").status is Status.PASS


def test_deviation_with_one_point_taken_still_fails():
    row = Row("产出指标/数量指标/新增缴存单位", "≥100个", "150个", "20", "19")
    assert deviation_of(with_row(row), "新增缴存单位").status is Status.FAIL


def test_reverse_deviation_for_at_most_indicators_at_70_percent():
    at = Row("产出指标/成本指标/单位成本", "≤10万元", "7万元", "20", "20")
    above = Row("产出指标/成本指标/单位成本", "≤10.0万元", "7.1万元", "20", "20")
    assert deviation_of(with_row(at), "单位成本").status is Status.FAIL
    assert deviation_of(with_row(above), "单位成本").status is Status.PASS


def test_deviation_needs_same_unit_and_numbers():
    mixed = Row("产出指标/数量指标/新增缴存单位", "≥100个", "200户", "20", "20")
    words = Row("产出指标/数量指标/新增缴存单位", "显著", "显著", "20", "20")
    for row in (mixed, words):
        assert [r.subject for r in results(with_row(row), "score.indicator_deviation")].count("新增缴存单位") == 0


def test_deviation_with_a_bare_target_number_takes_the_actual_unit():
    row = Row("产出指标/数量指标/新增缴存单位", "≥100", "130个", "20", "20")
    assert deviation_of(with_row(row), "新增缴存单位").status is Status.FAIL


def test_deviation_skipped_when_no_numeric_row():
    rows = [Row("产出指标/质量指标/服务", "有效提升", "有效提升", "90", "90")]
    result = only(self_eval(rows=rows), "score.indicator_deviation")
    assert result.status is Status.SKIPPED and "indicator.target" in result.missing


@settings(max_examples=60, deadline=None)
@given(
    target=st.integers(min_value=1, max_value=10**6),
    actual=st.integers(min_value=0, max_value=2 * 10**6),
)
def test_deviation_fails_exactly_when_actual_reaches_130_percent(target, actual):
    row = Row("产出指标/数量指标/新增缴存单位", f"≥{target}个", f"{actual}个", "20", "20")
    result = deviation_of(with_row(row), "新增缴存单位")
    assert (result.status is Status.FAIL) == (actual * 10 >= target * 13)


# ---- total caps by 执行率 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "total", "status", "cap"),
    [
        ("70.00%", "90", Status.FAIL, "89"),
        ("70.00%", "89", Status.PASS, None),
        ("69.99%", "80", Status.FAIL, "79"),
        ("69.99%", "79", Status.PASS, None),
        ("80.00%", "95", Status.PASS, None),
        ("79.99%", "90", Status.FAIL, "89"),
        ("60.00%", "79", Status.PASS, None),
        ("59.99%", "70", Status.FAIL, "69"),
        ("50.00%", "69", Status.PASS, None),
        ("49.99%", "60", Status.FAIL, "59"),
    ],
)
def test_total_capped_by_execution_rate(rate, total, status, cap):
    result = only(self_eval(rate=rate, total=total), "score.total_cap")
    assert result.status is status
    if cap:
        assert f"最高{cap}分" in result.message and rate in result.message
        assert result.difference == Decimal(total) - Decimal(cap)


def test_cap_uses_amounts_when_no_rate_is_written():
    extraction = self_eval(rate=None, budget="100.00", executed="70.00", total="90")
    result = only(extraction, "score.total_cap")
    assert result.status is Status.FAIL and "最高89分" in result.message
    assert only(self_eval(rate=None, budget=None, executed=None), "score.total_cap").status is Status.SKIPPED


# ---- 执行率 below 90% without an explanation ---------------------------------------------


def narrative_rate(sentence: str, raw: str = "85.00%"):
    return text_fact("budget.execution_rate", raw, sentence, kind=Kind.PERCENT, unit="%")


def test_low_rate_without_explanation_fails_as_advisory():
    plain = narrative_rate("2024年预算执行率85.00%，较上年提高2个百分点。")
    result = only(self_eval(rate="85.00%", narrative=[plain]), "score.low_execution_unexplained")
    assert result.status is Status.FAIL and result.level is Level.ADVISORY
    assert result.reach is Reach.TEXT_TABLE and "85.00%" in result.message


def test_low_rate_explained_in_the_text_passes():
    explained = narrative_rate("预算执行率85.00%，主要原因是部分项目资金年底未拨付。")
    result = only(self_eval(rate="85.00%", narrative=[explained]), "score.low_execution_unexplained")
    assert result.status is Status.PASS


def test_low_rate_explained_in_a_reason_cell_passes():
    row = Row("产出指标/数量指标/新增缴存单位", "≥150个", "170个", "20", "20",
              reason="预算执行率偏低的原因是采购项目跨年结转")
    assert only(with_row(row, rate="85.00%"), "score.low_execution_unexplained").status is Status.PASS


@pytest.mark.parametrize(("rate", "status"), [("90.00%", Status.PASS), ("89.99%", Status.FAIL)])
def test_low_rate_boundary(rate, status):
    plain = narrative_rate("全年支出情况良好。", rate)
    assert only(self_eval(rate=rate, narrative=[plain]), "score.low_execution_unexplained").status is status


def test_low_rate_without_any_report_text_is_skipped():
    result = only(self_eval(rate="85.00%"), "score.low_execution_unexplained")
    assert result.status is Status.SKIPPED and result.missing == ("report_text",)
    assert "报告正文" in result.message


# ---- 10/90 split, execution score, total ----------------------------------------------


def test_points_split_ten_and_ninety():
    assert only(self_eval(), "score.execution_points").status is Status.PASS
    assert only(self_eval(), "score.indicator_points").status is Status.PASS
    wrong = only(self_eval(budget_points="20"), "score.execution_points")
    assert wrong.status is Status.FAIL and "应为10分" in wrong.message
    rows = standard_rows()
    rows[0] = Row(rows[0].path, rows[0].target, rows[0].actual, "15", "15")
    short = only(self_eval(rows=rows), "score.indicator_points")
    assert short.status is Status.FAIL and "合计85分" in short.message and short.difference == Decimal(-5)


@pytest.mark.parametrize(
    ("rate", "score", "status"),
    [
        ("95.00%", "9.5", Status.PASS),
        ("95.00%", "9.50", Status.PASS),
        ("95.00%", "10.00", Status.FAIL),
        ("95.00%", "9.6", Status.FAIL),
        ("80.00%", "10", Status.FAIL),
        ("105.00%", "10", Status.PASS),  # capped at the 10 points
        ("94.96%", "9.5", Status.PASS),  # 9.496 rounds to 9.5
    ],
)
def test_execution_score_is_rate_times_ten(rate, score, status):
    result = only(self_eval(rate=rate, budget_score=score), "score.execution_score")
    assert result.status is status
    if status is Status.FAIL:
        assert result.difference != 0 and rate in result.message


def test_total_sum_and_recomputed_score():
    good = only(self_eval(), "score.total_sum")
    assert good.status is Status.PASS and good.computed.lo <= Decimal("99.5") <= good.computed.hi
    assert only(self_eval(total="99"), "score.total_sum").status is Status.PASS  # 99.5 may be written 99
    bad = only(self_eval(total="98"), "score.total_sum")
    assert bad.status is Status.FAIL and "99.5" in bad.message and bad.difference == Decimal("-1.5")
    no_total = only(self_eval(total=""), "score.total_sum")
    assert no_total.status is Status.SKIPPED and no_total.missing == ("evaluation.total_score",)
    assert no_total.computed.lo <= Decimal("99.5") <= no_total.computed.hi  # the recomputed score
    assert only(self_eval(budget_score=None), "score.total_sum").status is Status.SKIPPED


# ---- grade, red and yellow warnings ---------------------------------------------------


def grade_facts(total: str, grade: str):
    sentence = f"自评得分{total}分，等级为{grade}。"
    return [
        text_fact("evaluation.total_score", f"{total}分", sentence),
        text_fact("evaluation.grade", grade, sentence, kind=Kind.TEXT, unit="", text_value=grade),
    ]


@pytest.mark.parametrize(
    ("total", "grade", "status"),
    [
        ("95", "优", Status.PASS),
        ("90", "优", Status.PASS),
        ("89.9", "优", Status.FAIL),
        ("89.9", "良好", Status.PASS),
        ("80", "良", Status.PASS),
        ("79", "良", Status.FAIL),
        ("59", "差", Status.PASS),
    ],
)
def test_grade_implied_by_the_total(total, grade, status):
    result = only(self_eval(narrative=grade_facts(total, grade)), "score.grade")
    assert result.status is status
    if status is Status.FAIL:
        assert result.reach is Reach.TEXT_TABLE and f"“{grade}”" in result.message


@pytest.mark.parametrize(("rate", "status"), [("95.00%", Status.PASS), ("94.99%", Status.FAIL)])
def test_red_warning_when_indicator_rate_exceeds_execution_rate_by_5_percent(rate, status):
    # indicators 90/90 = 100%; execution 95.00% × 10 / 10: exactly 5% is not "more than 5%"
    result = only(self_eval(rate=rate), "score.red_warning")
    assert result.status is status
    if status is Status.FAIL:
        assert result.level is Level.ADVISORY and "红色预警" in result.message and "5.01%" in result.message


def test_red_warning_uses_the_execution_rate_not_the_claimed_execution_score():
    # the unit claims the full 10 points at 80.00%: the provincial system computes 8
    result = only(self_eval(rate="100.00%", budget="2138.93", executed="1711.14", budget_score="10"),
                  "score.red_warning")
    assert result.status is Status.FAIL and "预算执行得分率80%" in result.message


@pytest.mark.parametrize(
    ("executed", "status"), [("80.00", Status.PASS), ("79.99", Status.FAIL), ("100.00", Status.PASS)]
)
def test_yellow_warning_when_more_than_20_percent_unspent(executed, status):
    result = only(self_eval(budget="100.00", executed=executed), "score.yellow_unspent")
    assert result.status is status
    if status is Status.FAIL:
        assert "20.01%" in result.message and result.severity is Severity.WARNING
        assert "全年预算数100.00万元、全年执行数79.99万元" in result.message


def test_yellow_warning_when_budget_is_zero():
    zero = only(self_eval(budget="0.00", executed="0.00"), "score.yellow_zero_budget")
    assert zero.status is Status.FAIL and "黄色预警" in zero.message
    assert only(self_eval(), "score.yellow_zero_budget").status is Status.PASS


# ---- data: provinces, validation, determinism ------------------------------------------


def patterns_copy(tmp_path: Path, extra: str = "", replace: tuple[str, str] | None = None) -> Path:
    folder = tmp_path / "patterns"
    shutil.copytree(PATTERNS, folder)
    text = (folder / "scoring.toml").read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    (folder / "scoring.toml").write_text(text + extra, encoding="utf-8")
    return folder


def test_province_switches_a_rule_off_and_reparameterises_another(tmp_path):
    folder = patterns_copy(tmp_path, """
[province.testland.rules."score.red_warning"]
enabled = false
[province.testland.rules."score.indicator_deviation".params]
up_ratio = "1.50"
""")
    row = Row("产出指标/数量指标/新增缴存单位", "≥100个", "130个", "20", "20")
    extraction = with_row(row, rate="90.00%", budget_score="9.0")
    bundle = load_patterns(folder)
    base = run_scoring_checks(extraction, patterns=bundle)
    local = run_scoring_checks(extraction, province="testland", patterns=bundle)
    assert [r.status for r in base if r.rule_id == "score.red_warning"] == [Status.FAIL]
    assert not [r for r in local if r.rule_id == "score.red_warning"]
    subject = [r for r in local if r.subject == "新增缴存单位" and r.rule_id == "score.indicator_deviation"]
    assert subject[0].status is Status.PASS
    from_metadata = run_scoring_checks(
        type(extraction)(extraction.sources, {"province": "testland"}, extraction.facts), patterns=bundle
    )
    assert not [r for r in from_metadata if r.rule_id == "score.red_warning"]


@pytest.mark.parametrize(
    ("extra", "replace", "key"),
    [
        ('\n[rules."score.nonsense"]\nenabled = true\n', None, "rules.score.nonsense"),
        ("", ('severity = "error"\nreach = "within_table"\nlevel = "mandatory"\nmessage = "预算执行率{rate}处于',
              'severity = "fatal"\nreach = "within_table"\nlevel = "mandatory"\nmessage = "预算执行率{rate}处于'),
         "rules.score.total_cap.severity"),
        ("", ("应为{expected}分（", "应为{expect}分（"), "rules.score.execution_points.message"),
        ("", ('threshold = "0.20"', 'threshold = "a fifth"'), "rules.score.yellow_unspent.params.threshold"),
        ("", ('patterns = ["^[xX×]{2,}"]', 'patterns = ["^[xX"]'),
         "rules.form.placeholder_target.params.patterns"),
        ("", ("penalty = 2\n", ""), "rules.score.indicator_deviation.params.penalty"),
        ('\n[province.sichuan.rules."score.nothing"]\nenabled = false\n', None,
         "province.sichuan.rules.score.nothing"),
        ('\n[province.x.rules."score.grade"]\nseverity = "loud"\n', None,
         "province.x.rules.score.grade.severity"),
        ('\n[province.x.rules]\n"score.grade" = "off"\n', None, "province.x.rules.score.grade"),
    ],
)
def test_bad_scoring_data_names_file_and_key(tmp_path, extra, replace, key):
    folder = patterns_copy(tmp_path, extra, replace)
    with pytest.raises(PatternError) as caught:
        validate_scoring_file(folder)
    assert "scoring.toml" in str(caught.value) and key in str(caught.value)


def test_repository_scoring_file_validates_with_every_province():
    assert {"sichuan", "chongqing"} <= set(validate_scoring_file())
    rules = load_scoring_rules()
    assert all(rule.enabled for rule in rules.values())
    assert rules["score.total_cap"].params["brackets"][0]["cap"] == 89


def test_results_are_deterministic_and_serialisable():
    extraction = with_row(Row("产出指标/数量指标/新增缴存单位", "≥100个", "130个", "20", "20"), rate="70.00%")
    first = dumps({"results": run_scoring_checks(extraction)}, "extractor.test", "1.0")
    second = dumps({"results": run_scoring_checks(extraction)}, "extractor.test", "1.0")
    assert first == second and '"family": "score"' in first


@pytest.mark.parametrize(("sentence", "status"), [
    ("经综合评价，本单位自评得分89分，自评等级为优。", Status.FAIL),
    ("经综合评价，本单位自评得分89分，等级：良好。", Status.PASS),
])
def test_grade_read_from_the_sentence_when_no_grade_fact(sentence, status):
    total = text_fact("evaluation.total_score", "89分", sentence)
    result = only(self_eval(narrative=[total]), "score.grade")
    assert result.status is status and result.fact_ids == (total.id,)
    if status is Status.FAIL:
        assert "对应等级为“良”" in result.message


# ---- end to end: a real DOCX through the reader and the annex extractor ------------------


def test_docx_self_eval_trips_the_scoring_rules(make_docx):
    deviated = Row("产出指标/数量指标/新增缴存单位", "≥100个", "130个", "20", "20")
    parts = self_eval_docx_parts([deviated, *standard_rows()[1:]], rate="70.00%", executed="70.00",
                                 budget_score="7", total="97")
    extraction = extraction_from_docx(make_docx(parts, name="自评表.docx"))
    found = run_scoring_checks(extraction)
    failed = {(r.rule_id, r.subject) for r in found if r.status is Status.FAIL}
    assert failed == {("score.indicator_deviation", "新增缴存单位"), ("score.total_cap", ""),
                      ("score.red_warning", ""), ("score.yellow_unspent", ""),
                      ("score.low_execution_unexplained", "")}
    cap = next(r for r in found if r.rule_id == "score.total_cap")
    assert "70.00%" in cap.message and "最高89分" in cap.message and "97分" in cap.message
    passed = {r.rule_id for r in found if r.status is Status.PASS}
    assert {"score.execution_points", "score.indicator_points", "score.execution_score",
            "score.total_sum", "score.yellow_zero_budget"} <= passed


def test_docx_self_eval_one_digit_below_each_boundary_passes(make_docx):
    near = Row("产出指标/数量指标/新增缴存单位", "≥100.0个", "129.9个", "20", "20")
    parts = self_eval_docx_parts([near, *standard_rows()[1:]], rate="80.00%", executed="80.00",
                                 budget_score="8", total="98",
                                 paragraphs=["执行率80.00%，主要原因是部分资金未拨付。"])
    found = run_scoring_checks(extraction_from_docx(make_docx(parts, name="自评表.docx")))
    failed = {r.rule_id for r in found if r.status is Status.FAIL}
    assert failed == {"score.red_warning"}  # (90/90 − 8/10) / (90/90) = 20% > 5%


# ---- the score the platform's rules give ------------------------------------------------


def test_platform_score_applies_deviation_execution_rate_and_cap():
    assert platform_score(self_eval()) == Decimal("99.50")  # 90 + 95.00% × 10
    deviated = Row("产出指标/数量指标/新增缴存单位", "≥100个", "130个", "20", "20")
    assert platform_score(with_row(deviated)) == Decimal("97.50")  # −2 for 指标偏离
    assert platform_score(with_row(deviated, rate="70.00%")) == Decimal("89.00")  # 88 + 7 capped at 89
    assert platform_score(self_eval(rate="105.00%")) == Decimal("100.00")  # execution capped at 10
    assert platform_score(self_eval(rate=None, budget=None, executed=None)) is None


def test_recomputed_score_is_the_platform_score_not_the_reported_sum():
    from extractor.checks.scoring import recomputed_score
    from extractor.checks.scoring_facts import recomputed_total

    deviated = Row("产出指标/数量指标/新增缴存单位", "≥100个", "130个", "20", "20")
    extraction = with_row(deviated, rate="70.00%", budget_score="7")
    _, _, budget, indicators = recomputed_total(extraction)
    assert budget + indicators == Decimal(97)  # what the unit wrote: 7 + 90
    assert recomputed_score(extraction) == Decimal("89.00")  # −2, then capped at 89 by 70.00%
    assert recomputed_score(self_eval(rate=None, budget=None, executed=None)) is None


def test_pass_results_name_their_subject():
    found = [r for r in run_scoring_checks(self_eval()) if r.rule_id == "score.indicator_deviation"]
    assert found[0].message == "新增缴存单位：指标偏离扣分：通过"


def test_a_stated_rate_that_disagrees_with_the_amounts_gives_way_to_them():
    # the sample batch's plant: 执行率 written 100.00% with 10 points, the amounts give 80.00%
    extraction = self_eval(rate="100.00%", budget="2138.93", executed="1711.14", budget_score="10")
    result = only(extraction, "score.execution_score")
    assert result.status is Status.FAIL
    assert "80.00%（全年执行数1711.14万元/全年预算数2138.93万元）" in result.message and "应为8分" in result.message
    assert len(result.fact_ids) == 4  # the stated rate, both amounts, the score
    assert only(extraction, "score.total_cap").status is Status.PASS  # 80.00% is not capped


def test_a_stated_rate_within_rounding_of_the_amounts_is_used_as_written():
    extraction = self_eval(rate="97.57%", budget="3885.00", executed="3790.52", budget_score="9.76")
    result = only(extraction, "score.execution_score")
    assert result.status is Status.PASS and len(result.fact_ids) == 2


# ---- end to end with the narrative: report text against the 自评表 ------------------------


@pytest.mark.parametrize(("explanation", "status"), [
    ("执行率偏低的主要原因是部分项目资金年底未拨付。", Status.PASS),
    ("全年共开展业务培训12次。", Status.FAIL),
])
def test_docx_report_text_against_the_self_eval(make_docx, explanation, status):
    from extractor.extract import extract_files

    paragraphs = ["测试单位2024年度部门整体支出绩效自评报告", "一、部门基本情况",
                  f"2024年全年预算执行率为85.00%，{explanation}",
                  "经综合评价，本单位2024年度部门整体支出绩效自评得分为98.5分，自评等级为良。"]
    parts = self_eval_docx_parts(standard_rows(), rate="85.00%", executed="85.00", budget_score="8.5",
                                 total="98.5", paragraphs=paragraphs)
    extraction = extract_files([make_docx(parts, name="报告.docx")])
    found = {r.rule_id: r for r in run_scoring_checks(extraction)}
    assert found["score.low_execution_unexplained"].status is status
    grade = found["score.grade"]
    assert grade.status is Status.FAIL and grade.message == "自评得分98.5分对应等级为“优”，报告自评等级为“良”"
    text_facts = [f for f in extraction.facts if f.id in grade.fact_ids]
    assert text_facts and all(f.locator.table is None for f in text_facts)


def test_warnings_report_figures_in_the_units_of_their_facts():
    red = only(self_eval(rate="94.00%"), "score.red_warning")
    assert red.reported.lo <= Decimal("94.00") <= red.reported.hi
    assert red.computed.lo == Decimal("95.00") and red.difference == Decimal("-1.00")
    yellow = only(self_eval(budget="100.00", executed="79.99"), "score.yellow_unspent")
    assert yellow.computed.lo == Decimal("800000.00") and yellow.difference == Decimal("-100.00")  # 元
    by_rate = only(self_eval(budget=None, rate="79.00%"), "score.yellow_unspent")
    assert by_rate.difference == Decimal("-1.00") and "79.00%" in by_rate.message


def test_unspent_share_compared_at_two_decimals_in_percent():
    # 1711.14 / 2138.93 = 79.99981%: the platform shows 80.00%, 20.00% unspent, not above 20%
    result = only(self_eval(budget="2138.93", executed="1711.14", rate="80.00%"), "score.yellow_unspent")
    assert result.status is Status.PASS


def test_a_narrative_total_standing_in_for_the_table_makes_the_cap_text_against_table():
    sentence = "经综合评价，本单位自评得分95分。"
    narrative = [text_fact("evaluation.total_score", "95分", sentence)]
    extraction = self_eval(rate="70.00%", total="", narrative=narrative)
    result = only(extraction, "score.total_cap")
    assert result.status is Status.FAIL and result.reach is Reach.TEXT_TABLE
    assert only(self_eval(rate="70.00%", total="95"), "score.total_cap").reach is Reach.WITHIN_TABLE


def reference_cap(rate: Decimal) -> Decimal | None:
    """domain.md §7 written out by hand: 70–80% ≤ 89, 60–70% ≤ 79, < 60% ≤ 69, < 50% ≤ 59."""
    if rate >= 80:
        return None
    if rate >= 70:
        return Decimal(89)
    if rate >= 60:
        return Decimal(79)
    return Decimal(69) if rate >= 50 else Decimal(59)


@settings(max_examples=60, deadline=None)
@given(rate=st.integers(min_value=0, max_value=12000), total=st.integers(min_value=0, max_value=100))
def test_total_cap_matches_the_brackets_for_any_rate(rate, total):
    rate_text = f"{Decimal(rate) / 100:.2f}%"
    result = only(self_eval(rate=rate_text, total=str(total)), "score.total_cap")
    cap = reference_cap(Decimal(rate) / 100)
    assert (result.status is Status.FAIL) == (cap is not None and total > cap)
