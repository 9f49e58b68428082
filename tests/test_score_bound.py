"""重新计算得分 is bounded: no indicator above its 分值, no total above the 总分值 (or the sum of the
分值); the 汇总 says why a self-score and the recomputed score differ."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_builders import Row, cell_fact, self_eval, standard_rows

from extractor.checks.scoring import platform_score
from extractor.model import SubmissionResult
from extractor.pipeline import process_submission
from extractor.report import summarize_submission

SAMPLE = Path(__file__).parent.parent / "samples" / "batch"


def over_points(total: str = "98.71"):
    """The 应急管理局 case: one indicator scored 12 of its 10 points, one 4 of 5, 9.71 for a
    97.08% rate: Σ 指标得分 as written 91, plus 9.71 = 100.71."""
    rows = standard_rows()
    rows[2] = Row("产出指标/质量指标/资金安全率", "100%", "100%", "10", "12")
    rows[6] = Row("效益指标/可持续影响指标/服务水平", "有效提升", "基本提升", "5", "4")
    return self_eval(rows=rows, rate="97.08%", budget_score="9.71", total=total)


def test_an_indicator_above_its_points_counts_its_points_only():
    assert platform_score(over_points()) == Decimal("98.71")  # 79 + 10 (not 12) + 9.71; never 100.71


def test_the_stated_total_points_bound_a_row_without_points():
    rows = standard_rows()
    rows[0] = Row("产出指标/数量指标/新增缴存单位", "≥150个", "170个", "", "30")  # 分值 not written
    extraction = self_eval(rows=rows, rate="100.00%", budget_score="10")
    assert platform_score(extraction) == Decimal("110.00")  # nothing says the most it can score
    stated = cell_fact("evaluation.total_points", "100", 40, 5)
    assert platform_score(replace(extraction, facts=(*extraction.facts, stated))) == Decimal("100.00")


@settings(max_examples=40, deadline=None)
@given(scores=st.lists(st.integers(0, 30), min_size=9, max_size=9), rate=st.integers(0, 130))
def test_the_recomputed_score_never_exceeds_a_points_or_the_total(scores, rate):
    rows = [replace(r, score=str(s)) for r, s in zip(standard_rows(), scores)]
    score = platform_score(self_eval(rows=rows, rate=f"{rate}.00%", budget_score="5"))
    cap = sum(min(s, int(r.points)) for r, s in zip(rows, scores)) + Decimal(10)
    assert score is not None and score <= cap <= 100


def test_the_summary_explains_a_difference_and_is_quiet_when_none():
    agree = summarize_submission(SubmissionResult("单位", 2024, ("自评表.docx",), over_points(),
                                                  platform_score=platform_score(over_points())))
    assert agree.self_score == "98.71" and agree.recomputed == "98.71" and agree.note == ""
    high = over_points(total="99.50")
    differ = summarize_submission(SubmissionResult("单位", 2024, ("自评表.docx",), high,
                                                   platform_score=platform_score(high)))
    assert differ.recomputed == "98.71"
    assert differ.note.startswith("自评得分比重新计算得分高 0.79 分") and "各指标得分不超过其分值" in differ.note


def test_the_sample_unit_that_scored_100_71_now_scores_its_98_71():
    folder = SAMPLE / "2024年度-清溪县应急管理局"
    files = sorted(folder.iterdir())
    result = process_submission(files, SAMPLE, {})
    summary = summarize_submission(result)
    assert summary.self_score == "98.71" and summary.recomputed == "98.71"
    assert result.platform_score is not None and result.platform_score <= 100
