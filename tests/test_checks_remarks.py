"""Explanations without a figure: narrative.remarks.explanation_sentences and the rule
"执行率 below 90% without an explanation" reading Extraction.remarks."""

from __future__ import annotations

from dataclasses import replace

from scoring_builders import self_eval, self_eval_docx_parts, standard_rows, text_fact

from extractor.narrative.remarks import explanation_sentences, sentences
from extractor.checks.scoring import run_scoring_checks
from extractor.model import Kind, Status
from extractor.readers import read_document

RULE = "score.low_execution_unexplained"
STATED = text_fact("budget.execution_rate", "85.00%", "2024年预算执行率为85.00%。", kind=Kind.PERCENT, unit="%")


def status_of(extraction):
    return next(r for r in run_scoring_checks(extraction) if r.rule_id == RULE).status


def test_sentences_cut_after_chinese_stops():
    assert sentences("执行率85%。主要原因是资金晚到；已整改！\n下一句") == [
        "执行率85%。", "主要原因是资金晚到；", "已整改！", "下一句"]


def test_a_remark_without_a_figure_explains_the_low_rate():
    extraction = self_eval(rate="85.00%", narrative=[STATED])
    assert status_of(extraction) is Status.FAIL
    explained = replace(extraction, remarks=("预算执行率偏低，主要原因是部分项目资金年底才下达。",))
    assert status_of(explained) is Status.PASS


def test_a_remark_on_another_topic_does_not_explain_the_rate():
    extraction = replace(self_eval(rate="85.00%", narrative=[STATED]),
                         remarks=("由于疫情影响，培训改为线上开展。",))
    assert status_of(extraction) is Status.FAIL


def test_remarks_alone_count_as_report_text():
    bare = self_eval(rate="85.00%")
    assert status_of(bare) is Status.SKIPPED
    assert status_of(replace(bare, remarks=("本年度未开展培训，原因是场地改造。",))) is Status.FAIL
    assert status_of(replace(bare, remarks=("执行率偏低的原因是项目结转。",))) is Status.PASS


PARAGRAPHS = [
    "测试单位2024年度部门整体支出绩效自评报告",
    {"heading": "一、部门整体支出情况", "level": 1},
    "2024年全年预算执行率为85.00%。主要原因是部分项目资金年底才下达，未能在年内完成支付。",
    "全年共开展业务培训12次。",
    {"heading": "二、部门整体支出绩效情况", "level": 1},
    "全年预算执行进度偏慢，主要因部分政府采购项目跨年实施，合同款项按进度在次年支付。",
    "经综合评价，本单位2024年度部门整体支出绩效自评得分为98.5分。",
]


def test_explanation_sentences_from_a_real_docx(make_docx):
    parts = self_eval_docx_parts(standard_rows(), rate="85.00%", executed="85.00", budget_score="8.5",
                                 total="98.5", paragraphs=PARAGRAPHS)
    doc = read_document(make_docx(parts, name="报告.docx"))
    # the sentence that names the rate comes with its explanation; headings and the annex do not count
    assert explanation_sentences([doc]) == (
        "2024年全年预算执行率为85.00%。主要原因是部分项目资金年底才下达，未能在年内完成支付。",
        "全年预算执行进度偏慢，主要因部分政府采购项目跨年实施，合同款项按进度在次年支付。",
    )


def test_docx_explanation_in_a_sentence_without_a_figure_passes(make_docx):
    from extractor.extract import extract_files

    parts = self_eval_docx_parts(standard_rows(), rate="85.00%", executed="85.00", budget_score="8.5",
                                 total="98.5", paragraphs=PARAGRAPHS)
    path = make_docx(parts, name="报告.docx")
    extraction = replace(extract_files([path]), remarks=())
    assert status_of(extraction) is Status.FAIL  # fact sentences alone miss the explanation
    remarks = explanation_sentences([read_document(path)])
    assert status_of(replace(extraction, remarks=remarks)) is Status.PASS
