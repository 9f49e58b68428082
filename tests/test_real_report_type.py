"""Report type and 其中 lists on sentences of real reports of a held-out set (kept outside the
repository): project reports told by a traditional title with pinyin glosses, by a table-only
自评表, by their headings; a list that already adds up is not continued by 此外; a 如下 list
does not take the last figure of the sentence before as its total."""

from __future__ import annotations

from extractor.model import Severity

DANZHOU_FUNDS = ("20xx年我镇获得财政衔接资金共1077.56万元,其中:中央专项衔接资金630.2万元,"
                 "省级专项衔接资金429.36万元,市级资金18万元。此外,预拨资金53.15万元。")
DANZHOU_ARRIVED = ("1.项目资金到位情况分析。20xx年我镇项目资金共到位1130.71万元,其中:财政衔接资金1077.56万元,"
                   "预拨资金53.15万元。项目资金具体到位情况如下:儋州大皇岭休闲农庄建设项目到位资金629.5万元;")
SIXIA_TITLE = "關(guān)于2019年度高其坑通組道路工程績效評價報告"
SELF_EVAL_ONLY = [["绩效目标自评表", "", "", ""], ["项目名称", "河西村特色种养补贴到户项目", "主管部门", "县农业农村局"],
                  ["全年预算数(A)", "全年执行数(B)", "执行率(B/A)", "得分"], ["50", "50", "100%", "10"]]


def report_type(extraction) -> str:
    return extraction.metadata.get("report_type", "department")


def parts_of(extraction, raw):
    [total] = [f for f in extraction.facts if f.raw == raw]
    return sorted(f.raw for f in extraction.facts if f.part_of == total.id)


def test_a_list_that_adds_up_is_not_continued_by_ci_wai(read_parts):
    extraction = read_parts(DANZHOU_FUNDS)
    assert parts_of(extraction, "1077.56万元") == ["18万元", "429.36万元", "630.2万元"]


def test_a_list_short_of_its_total_is_continued_by_ling_you(read_parts):
    extraction = read_parts("全年支出100万元,其中:人员经费60万元。另有公用经费40万元。")
    assert parts_of(extraction, "100万元") == ["40万元", "60万元"]


def test_a_ru_xia_list_does_not_take_a_figure_of_the_sentence_before(read_parts):
    extraction = read_parts(DANZHOU_ARRIVED)
    assert parts_of(extraction, "53.15万元") == []
    assert parts_of(extraction, "1130.71万元") == ["1077.56万元", "53.15万元"]


def test_a_ru_xia_list_in_its_totals_sentence_is_a_breakdown(read_parts):
    extraction = read_parts("全年安排资金100万元，具体如下：人员经费60万元，公用经费40万元。")
    assert parts_of(extraction, "100万元") == ["40万元", "60万元"]


def test_no_error_finding_on_the_danzhou_sentences(make_docx, tmp_path):
    from extractor.pipeline import process_submission

    result = process_submission([make_docx([DANZHOU_FUNDS, DANZHOU_ARRIVED])], tmp_path)
    assert [f.message for f in result.findings if f.severity is Severity.ERROR] == []


def test_a_traditional_title_with_pinyin_glosses_is_a_project_report(read_parts):
    assert report_type(read_parts(SIXIA_TITLE, "一、項目基本情況", "道路長1.2公里。")) == "project"


def test_a_report_that_is_only_a_project_self_evaluation_table_is_a_project_report(read_parts):
    assert report_type(read_parts({"table": SELF_EVAL_ONLY})) == "project"


def test_project_headings_make_an_untitled_opening_a_project_report(read_parts):
    extraction = read_parts("绩效指标", "一、项目决策", "二、项目资金申报及使用情况", "到位资金50万元。")
    assert report_type(extraction) == "project"


def test_a_department_report_with_a_project_table_stays_a_department_report(read_parts):
    extraction = read_parts("清溪县档案馆2024年度绩效自评报告", "一、部门基本情况", "部门整体支出100万元。",
                            {"table": SELF_EVAL_ONLY})
    assert report_type(extraction) == "department"


def test_a_separate_project_table_does_not_make_the_submission_a_project_one(make_docx, narrative):
    from extractor.extract import extract_documents
    from extractor.readers import read_document

    report = make_docx(["清溪县档案馆2024年度绩效自评报告", "一、单位基本情况", "支出100万元。"], name="report.docx")
    annex = make_docx([{"table": SELF_EVAL_ONLY}], name="annex.docx")
    docs = [read_document(p, p.parent) for p in (report, annex)]
    assert report_type(extract_documents(docs, narrative)) == "department"
    assert report_type(extract_documents(docs[::-1], narrative)) == "project"  # the first file is the report


TONGNAN = ("本单位共有10个机构单位,其中3个行政部门(人大、政府和党委)和7个事业单位(农业服务中心、文化服务中心、"
           "劳动就业和社会保障服务所、综合行政执法大队、产业发展服务中心、村镇建设服务中心及退役军人服务站)组成。")


def test_a_conjunction_inside_a_listed_name_does_not_split_it(read_parts):
    from extractor.checks import run_checks
    from extractor.model import Status

    results = [r for r in run_checks(read_parts(TONGNAN)) if r.rule_id == "generic.count_vs_names"]
    assert len(results) == 2
    assert [r.status for r in results] == [Status.PASS, Status.PASS]


def test_wan_with_its_yuan_left_out_is_an_amount(read_parts):
    extraction = read_parts("2024年度收、支总计均为1523.26万。服务群众2.5万人。")
    [amount] = [f for f in extraction.facts if f.raw == "1523.26万"]
    assert (amount.kind.value, amount.value, amount.unit) == ("amount", __import__("decimal").Decimal("15232600"), "元")
    assert [f.raw for f in extraction.facts if f.kind.value == "headcount"] == ["2.5万人"]


def test_a_return_period_is_a_measure_not_a_year(read_parts):
    extraction = read_parts("工程设计洪水标准为 10 年一遇，校核洪水标准为 50 年一遇。")
    measures = [(f.value, f.kind.value, f.subject) for f in extraction.facts]
    assert measures == [(10, "measure", "工程设计洪水标准"), (50, "measure", "校核洪水标准")]


def test_the_writer_and_its_verb_are_no_part_of_the_subject(read_parts):
    extraction = read_parts("20xx年我镇获得财政衔接资金共1077.56万元。我局支出30万元。本年度收、支总计均为1523.26万元。")
    assert [f.subject for f in extraction.facts] == ["财政衔接资金", "支出", "收、支"]
