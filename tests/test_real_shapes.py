"""The shapes real reports of other units write (issue 12), each on a sentence copied from
../shared/corpus/real/ (the dev texts; the file named in each test), read from a real DOCX."""

from decimal import Decimal

import pytest

from extractor.checks import run_checks
from extractor.model import Kind, Role, Status

HENGYANG = ("2、部门机构设置及人员情况。机关现有干部职工128人(编制169人)。内设办公室、组织人事股、规划财务股、"
            "造林绿化股、森林资源管理股、行政审批服务等6个股室;辖4个全额拨款事业单位(岣嵝峰林场、陈坪林场、三阳林场、"
            "九峰林场)、1个差额拨款事业单位(县苗圃)。下属国有林场现有干部职工163人(编制219),局机关现有退休64人,"
            "国有林场退休246人。")
HENGYANG_CARS = "3、公务车辆情况。局机关公车二辆小车(执法大队公车一辆和森林防火办公车一辆)。"
HENGYANG_WORKS = ("(一)生态提质持续推进。重点推进生态廊道、油茶产业、生态修复、通道绿化和美丽乡村建设五大生态提质工程,"
                  "已完成人工造林3.0万亩、封山育林4.5万亩、退化林修复3.5万亩,森林抚育6万亩,全民")
NANXIAN_UNITS = ("内设副科级事业单位2个,财政事务中心和南县国库集中支付中心。下设办公室、预算股、人事教育股、国库股、"
                 "科教文化股、乡镇财政等16个股室;直属事业单位10个,即县国库集中支付中心、县财政信息中心、县工资统发中心、"
                 "县财政投资评审中心、县政府债务研究评估中心、县财政预算编审中心、县国有资产服务中心、县会计服务中心、"
                 "县经济开发区财政所。")
NANXIAN_STAFF = "现有编制人员205人。其中,局机关在职113人、离休2人、退休75人、财政事务中心10人,国库集中支付中心5人。"
NANXIAN_BUDGET_UNITS = "2020年,纳入南县财政局部门预算编制范围的单位有3个,分别为南县财政局机关本级、南县财政事务中心和南县国库集中支付中心。"
ZHENGXIE_INCOME = "1、收入:792.22万元。同比上年度增加189.25万元,增加31.39%。其中:财政拨款收入792.22万元,同比上年度增加209.28万元,增加35.9%。"
HONGHE_TITLE = "红河州数据发展中心2024年度项目支出绩效单位自评报告"
HONGHE = ("2024年,红河州数据发展中心(以下简称“州数据发展中心”)实施项目共15个(含2023年转列暂付性款项项目5个),"
          "年初批复预算8个项目985万元(含1个年初结转结余项目50万元),调整预算后项目预算861.46万元,"
          "年中增加8个项目(含2023年转列暂付性款项项目5个),实际到位资金334.67万元。")
SHIDIAN = "减少原因:行政在职新招录1人,调出3人,行政工勤退休2人,事业退休1,2021年漏填公司留任人员1人,辞职1人。"
SHIERZHONG_LIKE = "内设一个办学机构，八个内部机构。"  # the 开远市第十二中学 form, as in the corpus README's list of shapes
CHONGQING = "财政供养人员控制率%定量指标100%92%100%22否“三公经费变动率%100%22否"
TAOJIANG = ("2019年度“三公”经费财政拨款支出预算为44.52万元,2019年实际支出“三公经费”决算为22.62万元。其中公务接待费为20.10万元,"
            "占88.86%;公务用车运行维护费为2.52万元,占11.14%。本年度“三公经费”决算数未超过2019年预算数。")


@pytest.fixture
def read(read_parts):
    return read_parts


def fact(extraction, raw, nth=0):
    return [f for f in extraction.facts if f.raw == raw][nth]


def test_subjects_before_and_after_the_figure(read):
    ex = read(HENGYANG)
    assert fact(ex, "128人").subject == "干部职工"
    assert fact(ex, "6个").subject == "股室"
    assert fact(ex, "4个").subject == "全额拨款事业单位"
    assert fact(ex, "163人").subject == "干部职工"
    assert fact(ex, "64人").subject == "退休"
    works = read(HENGYANG_WORKS)
    assert [fact(works, r).subject for r in ("3.0万亩", "4.5万亩", "3.5万亩", "6万亩")] == \
        ["完成人工造林", "封山育林", "退化林修复", "森林抚育"]


def test_a_bracket_naming_another_measure_is_no_breakdown(read):
    ex = read(HENGYANG)
    staff, authorized = fact(ex, "128人"), fact(ex, "169人")
    assert authorized.subject == "编制" and authorized.part_of is None
    bare = fact(ex, "219")  # 编制219: the 人 dropped
    assert (bare.kind, bare.value, bare.unit, bare.subject, bare.part_of) == (Kind.HEADCOUNT, Decimal(219), "人", "编制", None)
    assert not [r for r in run_checks(ex) if r.status is Status.FAIL and staff.id in r.fact_ids]


def test_a_breakdown_keeps_its_parts_and_subjects(read):
    ex = read(NANXIAN_STAFF)
    total = fact(ex, "205人")
    parts = [f for f in ex.facts if f.part_of == total.id]
    assert [p.raw for p in parts] == ["113人", "2人", "75人", "10人", "5人"]
    assert [p.subject for p in parts] == ["在职", "离休", "退休", "财政事务中心", "国库集中支付中心"]
    assert fact(ex, "2人").label == ""  # 离休2人、退休75人: 退休 belongs to the next item


def test_a_qizhong_list_ends_at_its_sentence(read):
    ex = read(TAOJIANG)
    total = fact(ex, "22.62万元")
    assert [f.raw for f in ex.facts if f.part_of == total.id and f.kind is Kind.AMOUNT] == ["20.10万元", "2.52万元"]


def test_chinese_numeral_counts(read):
    ex = read(HENGYANG_CARS, HENGYANG_WORKS, SHIERZHONG_LIKE)
    cars = [(f.raw, f.value, f.unit, f.subject) for f in ex.facts if f.unit == "辆"]
    assert cars == [("二辆", 2, "辆", "小车"), ("一辆", 1, "辆", "执法大队公车"), ("一辆", 1, "辆", "森林防火办公车")]
    five = fact(ex, "五")
    assert (five.kind, five.value, five.subject) == (Kind.COUNT, 5, "生态提质工程")
    assert [(f.raw, f.value, f.subject) for f in ex.facts if f.raw in ("一个", "八个")] == \
        [("一个", 1, "办学机构"), ("八个", 8, "内部机构")]


def test_no_count_in_ordinals_slogans_or_articles(read):
    ex = read("坚持两个确立，做到两个维护，打造一个集便捷性、实用性于一体的平台，第一个项目一次性完成。")
    assert not [f for f in ex.facts if f.locator.table is None]


def test_a_space_after_the_point_is_one_number(read):
    ex = read("收入12. 5万元")  # the issue's example: "12. 5万元" is 12.5万元, not 5万元
    money = [f for f in ex.facts if f.kind is Kind.AMOUNT]
    assert [(f.value, f.decimals) for f in money] == [(Decimal(125000), -3)]


def test_a_number_after_its_noun_without_a_unit(read):
    ex = read(SHIDIAN)
    retired = [f for f in ex.facts if f.raw == "1" and f.kind is Kind.HEADCOUNT]
    assert len(retired) == 1 and retired[0].subject == "事业退休"


def test_a_colon_gives_the_subject_and_changes_keep_it(read):
    ex = read(ZHENGXIE_INCOME)
    income = fact(ex, "792.22万元")
    assert income.subject == "收入"
    change = fact(ex, "189.25万元")
    assert (change.role, change.subject) == (Role.CHANGE, "收入")


def test_years_in_a_bracket_do_not_date_the_figures(read):
    ex = read(HONGHE)
    budget = fact(ex, "985万元")
    assert (budget.subject, budget.role) == ("年初批复预算", Role.VALUE)
    assert budget.year != 2023
    assert fact(ex, "50万元").subject == "年初结转结余项目"


def test_count_against_the_names_listed(read):
    ex = read(NANXIAN_UNITS, NANXIAN_BUDGET_UNITS)
    results = {r.fact_ids[0]: r for r in run_checks(ex) if r.rule_id == "generic.count_vs_names"}
    units = results[fact(ex, "10个").id]  # 直属事业单位10个,即 … nine names
    assert units.status is Status.FAIL and "9个" in units.message and "县经济开发区财政所" in units.message
    assert results[fact(ex, "3个").id].status is Status.PASS  # 3个, 分别为 three names
    assert fact(ex, "16个").id not in results  # 等16个股室: a partial list is not checked


def test_a_project_report_is_not_told_it_lacks_the_department_annexes(read):
    ex = read(HONGHE_TITLE, HONGHE)
    assert ex.metadata["report_type"] == "project" and ex.metadata["unit"] == "红河州数据发展中心"
    ids = {r.rule_id for r in run_checks(ex) if r.status is Status.FAIL}
    assert "annex.basic_data" not in ids and "annex.self_eval" not in ids
    assert "annex.project_self_eval" in ids


def test_a_flattened_row_shares_its_subject(read):
    ex = read(CHONGQING)
    scores = [f for f in ex.facts if f.kind is Kind.SCORE]
    assert [f.value for f in scores] == [2, 2, 2, 2]  # 22否 = 权重 2, 得分 2
    assert all("人员控制率" in f.subject for f in scores[:2])
    assert "三公经费变动率" in scores[2].subject


def test_a_table_of_unknown_layout_is_read_as_a_grid(read):
    # hunan_yueyanglou_zfb_2019: the cover table of the 岳阳楼区 form, one cell per line
    table = {"table": [["联系人", "李玉霞", "联络电话", "8245327"], ["人员编制", "42", "实有人数", "42"],
                       ["年度主要 工作内容", "任务1:确保各类文件的印发制作和区政府系统的会务工作; 任务2:确保民生、实事工作的督查落实", "", ""]]}
    ex = read("岳阳楼区2019年度部门(单位)整体支出", table)
    cells = [(f.raw, f.kind, f.subject, f.label, f.locator.row, f.locator.col) for f in ex.facts if f.locator.table == 0]
    assert cells == [("42", Kind.HEADCOUNT, "人员编制", "", 1, 1), ("42", Kind.HEADCOUNT, "实有人数", "staff.total", 1, 3)]
    assert ex.coverage is not None and ex.coverage.unaccounted == 0


def test_unaccounted_digits_are_said(read):
    table = {"table": [["项目", "说明"], ["专项", "较上年增长7"]]}
    ex = read("报告", table)
    issues = [i for i in ex.issues if i.code == "W320"]
    assert ex.coverage.unaccounted == len(ex.unaccounted) >= 1
    assert issues and "表1第2行第2列" in issues[0].message


def failed(extraction, rule_id):
    return [r for r in run_checks(extraction) if r.rule_id == rule_id and r.status is Status.FAIL]


def test_income_less_expense_against_the_balance_of_a_funding_table(read):
    table = {"table": [["项目", "金额（万元）"], ["收入合计", "120.00"], ["上年结转", "10.00"],
                       ["支出合计", "100.00"], ["结余", "25.00"]]}
    ex = read("三、项目资金收支情况", table)
    balance = [f for f in ex.facts if f.label == "project.balance"]
    assert [(f.value, f.unit, f.locator.row) for f in balance] == [(Decimal(250000), "元", 4)]
    found = failed(ex, "sum.project_balance")  # 10 + 120 − 100 = 30, not 25
    assert len(found) == 1 and "差额" in found[0].message
    fixed = read("三、项目资金收支情况", {"table": [row if row[0] != "结余" else ["结余", "30.00"] for row in table["table"]]})
    assert not failed(fixed, "sum.project_balance")


def test_a_rate_beside_its_two_amounts_is_recomputed_without_a_label(read):
    # the issue's case: 完成率100% next to 收入612.40万元 and 预算540.00万元
    ex = read("2024年项目收入612.40万元，预算540.00万元，完成率100%。")
    found = failed(ex, "generic.rate_beside_amounts")
    assert len(found) == 1 and found[0].level.value == "advisory"
    assert not failed(read("2024年项目收入612.40万元，预算540.00万元，完成率113.41%。"), "generic.rate_beside_amounts")


def test_all_paid_against_a_smaller_paid_amount(read):
    ex = read("下达专项资金50.00万元，已完成拨付40.00万元，资金已全部拨付到位。")
    found = failed(ex, "generic.all_paid_vs_paid")
    assert len(found) == 1 and found[0].severity.value == "warning"
    assert not failed(read("下达专项资金50.00万元，已完成拨付50.00万元，资金已全部拨付到位。"), "generic.all_paid_vs_paid")


def test_the_yunnan_project_self_evaluation_form_is_read(read):
    # rows 总额 / 财政资金 / 财政专户管理资金 / 单位资金 x 年初预算数 / 全年预算数 / 全年执行数 / 执行率
    table = {"table": [["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率"],
                       ["总额", "100.00", "120.00", "96.00", "100%"],
                       ["财政资金", "80.00", "100.00", "80.00", "80%"],
                       ["财政专户管理资金", "", "", "", ""],
                       ["单位资金", "20.00", "20.00", "16.00", "80%"]]}
    ex = read("2024年度项目支出绩效自评表", table)
    assert ex.metadata.get("report_type") == "project"
    rows = {(f.label, f.measure): f.value for f in ex.facts if f.locator.table == 0 and f.value is not None}
    assert rows[("funding.total", "executed")] == Decimal(960000)
    assert rows[("funding.general_budget", "adjusted_budget")] == Decimal(1000000)
    assert rows[("funding.other", "initial_budget")] == Decimal(200000)
    assert [r.rule_id for r in run_checks(ex) if r.status is Status.FAIL and r.rule_id == "rate.execution"]  # 96/120 ≠ 100%
    assert not failed(ex, "annex.basic_data") and not failed(ex, "annex.self_eval")


SHIDIAN_STAFF = ("人员情况:2021年年末在职职工108人,2022年年末在职人员103人。与上年对比减少5人。" + SHIDIAN)


def test_reasons_that_do_not_add_up_cite_both_headcounts(read):
    """yunnan_shidian_lcj_2022: the reasons net −7 (as read) against −5; the finding names 108人 and 103人."""
    ex = read(SHIDIAN_STAFF)
    [result] = failed(ex, "generic.change_reasons")
    cited = {f.raw for f in ex.facts if f.id in result.fact_ids}
    assert {"5人", "108人", "103人", "3人"} <= cited


YUHUA = ("三级指标分值评价标准指标说明得分投入13预算配置13在职人员控制率5以100%为标准。在职人员控制率W100%,计5分;"
         "每超过一个百分点扣0.5分,扣完为止。")


def test_a_scoring_rule_figure_belongs_to_its_indicator(read):
    """hunan_yuhua_fgj_2022 (评价指标表 flattened): 计5分, 一个百分点, 扣0.5分 score 在职人员控制率."""
    ex = read(YUHUA)
    assert [fact(ex, raw).subject for raw in ("5分", "一个百分点", "0.5分")] == ["在职人员控制率"] * 3


def test_a_glued_indicator_score_is_read(read):
    """hunan_yuhua_fgj_2022: 预算配置13 / 在职人员控制率5 are the 分值 glued to their indicator names."""
    ex = read(YUHUA)
    scores = [(f.raw, f.value, f.unit) for f in ex.facts if f.rule_id.endswith("SCORE_AFTER_INDICATOR")]
    assert scores == [("13", Decimal(13), "分"), ("13", Decimal(13), "分"), ("5", Decimal(5), "分")]
    assert not [f for f in read("预算执行率5年内达到95%").facts if f.rule_id.endswith("SCORE_AFTER_INDICATOR")]
