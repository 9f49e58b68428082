"""A subject for every figure (issue 12 item 2), on the real sentences of tests/reference/real/
(held-out texts: the file named in each test) and the shapes of the generated samples, read
from real DOCX files: an amount named by its use (N万元用于X), a count whose names are
listed in brackets before its noun, the 项目支出绩效自评表's 分值/执行率/得分 cells named by
their row, the vocabulary for 内设机构 / 年初批复预算 / 资金执行率 / 到位率, and the sections
of a report written in the left column of one big table."""

import sys
from pathlib import Path

from extractor.checks import run_checks
from extractor.extract import extract_documents
from extractor.model import Kind, Status
from extractor.readers import read_document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from real_docs import build_real_docx

# anhui_guichi_tangxi_wtyw_xmzc_2022, line 1 (预期目标 and 实际完成情况 of its 自评表)
GUICHI = ("本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
          "30万元用于基建工程项目设计、规划、测绘。")
# guangdong_suixi_swj_skcx_xmzc_2022, line 11 (a mirror's 繁体 with pinyin in brackets)
SUIXI = ("本項(xiàng)目以遂溪縣13宗(東坑、湖仔洋、邁往、新市、新壇、城盤(pán)、大灣、六垌坑、南儂、山內(nèi)、"
         "司馬塘、溪沙六、上灣塘)水庫(kù)除險(xiǎn)加固工程為主")
# yunnan_shidian_lcj_2022, line 22 (dev)
SHIDIAN = ("机构情况:2022年共有行政机关一个,下设6个内设机构:办公室、政策法规和行政审批股、生态修复股、资源管理股、"
           "改革与产业发展股、森林和草原防火股。事业机构6个:施甸县林业和草原有害生物防治检疫局、施甸县生态工作修复站。")
# the generated samples (samples/batch u33, u35, u37)
SAMPLE_DEPARTMENTS = "内设机构5个，包括政策法规股、规划股、财务股、办公室。"
SAMPLE_FUNDS = ("项目年初批复预算55.91万元，调整后全年预算数59.16万元，截至12月31日全年执行数58.39万元，资金执行率达98.70%。"
                "上级下达补助资金38.51万元，已到位30.88万元，到位率为80.19%。")


def fact(extraction, raw, nth=0):
    return [f for f in extraction.facts if f.raw == raw][nth]


def test_an_amount_is_named_by_its_use(read_parts):
    ex = read_parts(GUICHI)
    assert [f.subject for f in ex.facts if f.raw == "30万元"] == \
        ["基建工程项目预算编制", "基建工程项目审计", "基建工程项目设计、规划、测绘"]
    assert fact(ex, "90万元").subject.endswith("申请预算资金")  # its own words first


def test_a_count_with_its_names_in_brackets_takes_the_noun_after_them(read_parts):
    ex = read_parts(SUIXI)
    assert fact(ex, "13宗").subject == "水庫"


def test_the_project_form_scores_and_rate_are_named_by_their_row(tmp_path, narrative):
    """anhui_xiaoxian_yanglou_zybt_xmzc_2023 line 16: 年度资金总额: 8.408 8.408 10 100.00% 10."""
    path, _ = build_real_docx("anhui_xiaoxian_yanglou_zybt_xmzc_2023", tmp_path / "yanglou.docx")
    ex = extract_documents([read_document(path, tmp_path)], narrative)
    named = {f.label: f.subject for f in ex.facts if f.label.startswith("budget.")}
    assert named == {"budget.points": "年度资金总额分值", "budget.execution_rate": "年度资金总额执行率(B/A)",
                     "budget.score": "年度资金总额得分"}


def test_internal_departments_are_labelled_before_and_after_the_count(read_parts):
    ex = read_parts(SHIDIAN, SAMPLE_DEPARTMENTS)
    six = [f for f in ex.facts if f.raw == "6个"]
    assert [(f.label, f.subject) for f in six] == [("org.departments", "内设机构"), ("", "事业机构")]
    assert (fact(ex, "5个").label, fact(ex, "5个").subject) == ("org.departments", "内设机构")


def test_initial_budget_execution_and_arrival_rates_have_labels(read_parts):
    ex = read_parts(SAMPLE_FUNDS)
    initial = fact(ex, "55.91万元")
    assert (initial.label, initial.measure, initial.subject) == ("funding.total", "initial_budget", "年初批复预算")
    assert fact(ex, "98.70%").label == "budget.execution_rate"
    assert fact(ex, "80.19%").label == "funding.arrival_rate"
    assert fact(ex, "80.19%").kind is Kind.PERCENT


BIG_TABLE = {"table": [
    ["一、部门基本情况", "本单位核定编制39人，2024年末在职人员38人，内设机构5个。"],
    ["二、部门支出情况", "（一）基本支出情况：2024年基本支出625.55万元，其中人员经费472.65万元。"],
    ["（一）项目支出", "2024年项目支出520.79万元，共安排项目8个。"],
    ["三、存在的问题", "预算编制的精细化程度有待提高。"],
    ["四、下一步改进措施", "加强预算编制管理。"],
]}


def test_sections_written_in_the_left_column_of_a_big_table(read_parts):
    ex = read_parts("清溪县某中心2024年度部门整体支出绩效自评报告", BIG_TABLE)
    assert fact(ex, "39人").locator.section == ("一、部门基本情况",)
    assert fact(ex, "625.55万元").locator.section == ("二、部门支出情况",)
    assert fact(ex, "520.79万元").locator.section == ("二、部门支出情况", "（一）项目支出")
    assert {"三、存在的问题", "四、下一步改进措施"} <= set(ex.outline)
    missing = [r.rule_id for r in run_checks(ex) if r.rule_id.startswith("section.") and r.status is Status.FAIL]
    assert missing == []


def test_an_annex_table_with_numbered_row_labels_is_no_section_table(read_parts):
    ex = read_parts({"table": [["项目", "金额"], ["1、公务用车购置和维护经费", "3.20"], ["2、公务接待费", "1.10"],
                               ["3、因公出国（境）费", "0"]]})
    assert all(f.locator.section == () for f in ex.facts)
    assert "1、公务用车购置和维护经费" not in ex.outline


def test_a_labelled_rate_no_rule_checks_is_still_recomputed_from_its_amounts(read_parts):
    """u35's plant: 到位率83.20% beside 已到位30.88万元 and 下达38.51万元 (80.19%)."""
    ex = read_parts("上级下达补助资金38.51万元，已到位30.88万元，到位率为83.20%。")
    assert fact(ex, "83.20%").label == "funding.arrival_rate"
    failed = [r for r in run_checks(ex) if r.rule_id == "generic.rate_beside_amounts" and r.status is Status.FAIL]
    assert len(failed) == 1 and "80.19%" in failed[0].message


def test_a_score_alone_in_brackets_is_named_by_the_words_before_them(read_parts):
    """ningxia_yuanzhou_njzx_mlszs_xmzc_2022 line 4: a flattened 自评表 header, then 产出指标(40分)."""
    ex = read_parts("绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及改进措施产出指标(40分)数量指标")
    forty = fact(ex, "40分")
    assert forty.label == "" and forty.subject.endswith("产出指标")
    assert fact(read_parts("预算执行率（95%），较上年提高。"), "95%").label == "budget.execution_rate"


# ningxia_yuanzhou_njzx_mlszs_xmzc_2022 lines 2-4: the funding row of a 自评表 copied as lines
NINGXIA = ["资金情况(万元)年度资金总额全年预算数(A)300全年执行数(B)执行率(B/A)其中中央补助自治区补助300万元",
           "259.45万元", "86.5%市县资金年度总体目标一是通过政府招标采购方式,采购马铃薯原原种425万粒"]


def test_a_row_split_into_lines_keeps_the_subject_of_the_line_before(read_parts):
    ex = read_parts(*NINGXIA)
    assert fact(ex, "259.45万元").subject == fact(ex, "86.5%").subject == fact(ex, "300万元").subject
    assert "自治区补助" in fact(ex, "259.45万元").subject
    ended = read_parts("自治区补助300万元。", "86.5%的农户参加了培训。")
    assert "自治区补助" not in fact(ended, "86.5%").subject  # the line before ended its sentence


def test_a_line_that_names_its_own_figure_keeps_it(read_parts):
    ex = read_parts("自治区补助300万元", "30万元用于基建工程项目审计", "5所完全小学均已完工")
    assert fact(ex, "30万元").subject == "基建工程项目审计"
    assert fact(ex, "5所").subject == "完全小学"
