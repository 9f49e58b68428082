"""The real Yiyang 2024 report, verbatim, with constructed annexes (see samples/README.md)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from . import fmt
from .annexes import Annex1Spec, Annex2Spec, Indicator, MoneyRow, build_annex1, build_annex2
from .parse import FIGURE_RE, read_figure
from .record import Paragraph, figure
from .report import write_annex_xlsx, write_report_docx

UNIT = "益阳市住房公积金管理中心"
W = D(10000)
HEADINGS = {
    "单位基本情况",
    "二、一般公共预算支出情况",
    "项目支出情况",
    "政府性基金预算支出情况",
    "国有资本经营预算支出情况",
    "社会保险基金预算支出情况",
    "部门整体支出绩效情况",
    "七、存在的问题及原因分析",
    "下一步改进措施",
    "附件：",
}
SUBHEADINGS = {"（一）基本支出情况", "（一）全年绩效目标完成情况", "（二）主要绩效及评价结论"}
# (paragraph starts with, [(raw, label, subject, role, direction)]) in reading order, with the
# conventions of tests/reference/README.md: a change or a rate keeps the label of what it modifies
ANNOTATIONS = {
    "益阳市住房公积金管理中心属一级": [
        ("4个", "org.departments", "职能科室", "value", None),
        ("9个", "org.subordinate_units", "非独立核算的正科级事业单位", "value", None),
    ],
    "2024年年末实有人数": [
        ("108人", "staff.total", "年末实有人数", "value", None),
        ("3人", "staff.total", "年末实有人数", "change", "decrease"),
        ("86人", "staff.active", "在职人员", "value", None),
        ("5人", "staff.active", "在职人员", "change", "decrease"),
        ("3人", "staff.active", "退休", "change", "decrease"),
        ("2人", "staff.active", "离职", "change", "decrease"),
        ("22人", "staff.retired", "退休人员", "value", None),
        ("2人", "staff.retired", "退休人员", "change", "increase"),
    ],
    "2024年基本支出": [
        ("2348.75万元", "expenditure.basic", "基本支出", "value", None),
        ("1939.62万元", "expenditure.personnel", "人员经费支出", "value", None),
        ("290.49万元", "expenditure.personnel", "人员经费支出", "change", "decrease"),
        ("5人", "staff.active", "在职人数", "change", "decrease"),
        ("409.13万元", "expenditure.public", "公用经费支出", "value", None),
        ("31.05万元", "expenditure.public", "公用经费支出", "change", "increase"),
        ("23.13万元", "", "招投标等咨询费", "change", "increase"),
        ("4.98万元", "", "清查固定资产委托业务费", "change", "increase"),
        ("10.64万元", "", "机关中央空调部件维修（护）费", "change", "increase"),
        ("1.82万元", "", "会议费", "change", "increase"),
        ("6.75万元", "", "物业管理费", "change", "increase"),
    ],
    "2024年度“三公”经费": [
        ("6.35万元", "three_public.total", "“三公”经费", "value", None),
        ("5.81万元", "three_public.vehicle", "公务用车购置及运行维护费", "value", None),
        ("0.54万元", "three_public.reception", "公务接待费", "value", None),
        ("5.46万元", "three_public.total", "三公”经费", "change", "decrease"),
        ("0.94万元", "three_public.vehicle", "公务用车购置及运行维护费", "change", "decrease"),
        ("4.52万元", "three_public.reception", "公务接待费", "change", "decrease"),
    ],
}
ANNOTATIONS.update({
    "1.归集缴存": [
        ("38.35亿元", "hpf.collection", "归集住房公积金", "value", None),
        ("385.51亿元", "hpf.collection_cumulative", "累计归集住房公积金", "value", None),
        ("134.68亿元", "hpf.balance", "期末住房公积金余额", "value", None),
        ("6.77%", "hpf.balance", "期末住房公积金余额", "rate", "increase"),
        ("170个", "hpf.new_employers", "新增住房公积金缴存单位", "value", None),
        ("2.35万人", "hpf.new_depositors", "新增住房公积金缴存职工", "value", None),
    ],
    "2.提取使用": [
        ("29.81亿元", "hpf.withdrawal", "各类住房公积金提取合计", "value", None),
        ("2.38%", "hpf.withdrawal", "各类住房公积金提取合计", "rate", "decrease"),
        ("77.73%", "hpf.withdrawal_rate", "提取率", "rate", None),
        ("18.36亿元", "hpf.withdrawal_housing", "住房消费类提取", "value", None),
        ("61.58%", "hpf.withdrawal_housing", "住房消费类提取", "share", None),
        ("11.45亿元", "hpf.withdrawal_other", "退休、调出等其它类提取", "value", None),
        ("38.42%", "hpf.withdrawal_other", "退休、调出等其它类提取", "share", None),
    ],
    "3.贷款发放": [
        ("2413户", "hpf.loan_households", "家庭", "value", None),
        ("6.23亿元", "hpf.loans", "个人住房贷款", "value", None),
        ("4.90亿元", "hpf.combination_loans", "组合贷款", "value", None),
        ("78.73%", "hpf.combination_loans", "组合贷款", "share", None),
        ("126906户", "hpf.loan_households_cumulative", "累计向家庭", "value", None),
        ("244.43亿元", "hpf.loans_cumulative", "累计发放个人住房贷款", "value", None),
        ("110.30亿元", "hpf.loan_balance", "期末个贷余额", "value", None),
        ("2.76%", "hpf.loan_balance", "期末个贷余额", "rate", "decrease"),
        ("81.90%", "hpf.loan_deposit_ratio", "贷存比", "rate", None),
        ("8.03个百分点", "hpf.loan_deposit_ratio", "贷存比", "change", "decrease"),
    ],
    "4.资金风险": [
        ("0.02%", "hpf.overdue_rate", "个贷逾期率", "rate", None),
        ("22059.48万元", "hpf.risk_reserve", "风险准备金余额", "value", None),
    ],
    "5.增值收益": [
        ("39386.54万元", "hpf.business_income", "业务收入", "value", None),
        ("20423.70万元", "hpf.business_expense", "业务支出", "value", None),
        ("18962.84万元", "hpf.value_added_income", "增值收益", "value", None),
        ("0.97%", "hpf.value_added_income", "增值收益", "rate", "increase"),
    ],
    "1.政策调整惠民成效显著": [
        ("127笔", "hpf.quick_loans.count", "“快贷”", "value", None),
        ("4406万元", "hpf.quick_loans", "“快贷”", "value", None),
        ("406名", "hpf.down_payment_withdrawal.headcount", "提取住房公积金支付购房首付款", "value", None),
        ("5070万元", "hpf.down_payment_withdrawal", "提取住房公积金支付购房首付款", "value", None),
        ("184笔", "hpf.commercial_to_hpf_loans.count", "“商转公”贷款", "value", None),
        ("4483.8万元", "hpf.commercial_to_hpf_loans", "“商转公”贷款", "value", None),
        ("950万元", "hpf.interest_saved", "节约利息支出", "value", None),
    ],
    "2.资金管理优化多措并举": [
        ("5.5亿元", "hpf.financing_repaid", "归还融资贷款", "value", None),
        ("475.48万元", "hpf.hpf_to_commercial_interest", "公转商贷款利息支出", "value", None),
        ("56.46%", "hpf.hpf_to_commercial_interest", "公转商贷款利息支出", "rate", "decrease"),
    ],
})
PROJECTS = [  # name as written, 2024 final (narrative), 2024 budget, 2023 final (constructed)
    ("贷款资产管理服务支出", "320.93", "330.00", "305.46"),
    ("系统及信息化建设专项支出", "244.05", "260.00", "198.72"),
    ("营业部营业用房室内装修支出", "151.1", "160.00", "0.00"),
    ("归集和贷款宣传支出", "134.82", "140.00", "126.35"),
    ("驻政务中心人员劳务派遣支出", "96", "96.00", "92.40"),
    ("食堂管理支出", "85.6", "90.00", "83.17"),
    ("12329声讯服务系统运行管理支出", "78.37", "80.00", "76.90"),
    ("乡村振兴专项经费支出", "64.98", "65.00", "70.00"),
    ("县市区公积金专项工作经费支出", "62.01", "65.00", "60.55"),
    ("市直营业部租赁支出", "55.11", "56.00", "110.22"),
    ("集中培训支出", "39.89", "45.00", "36.48"),
    ("人事招聘专项支出", "27.67", "30.00", "12.80"),
    ("档案服务外包支出", "24.01", "25.00", "23.65"),
    ("工作服支出", "17.29", "18.00", "16.84"),
    ("固定资产购置支出", "16.37", "20.00", "41.26"),
    ("其他项目费用合计支出", "23.57", "25.00", "30.18"),
]
PROJECT_2023 = D("3376.18")


def classify(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("部门（单位）名称"):
        return "cover"
    if stripped.endswith("日") and stripped.startswith("2025年"):
        return "date"
    if stripped in ("2024年度益阳市住房公积金管理中心", "整体支出绩效自评报告"):
        return "title"
    if stripped in HEADINGS:
        return "heading"
    if stripped in SUBHEADINGS:
        return "subheading"
    if stripped.startswith(("1、部门", "2、部门")):
        return "plain"
    return "body"


def annotate(line: str) -> Paragraph:
    """Split a verbatim line into text and figure parts, in reading order."""
    para, pos = Paragraph(), 0
    for key, marks in ANNOTATIONS.items():
        if line.strip().startswith(key):
            for raw, label, subject, role, direction in marks:
                at = line.index(raw, pos)
                para.text(line[pos:at]).fig(_fig(raw, label, subject, role, direction))
                pos = at + len(raw)
            return para.text(line[pos:])
    if line.startswith("项目经费支出"):
        return _project_paragraph(line)
    return _unlabelled(line)


def _unlabelled(line: str) -> Paragraph:
    """A line with no annotation must hold no figure: the truth records every figure, labelled."""
    found = FIGURE_RE.search(line)
    if found is not None:
        raise ValueError(f"Yiyang line with an unannotated figure {found[0]!r}: {line[:30]}")
    return Paragraph().text(line)


def _fig(raw: str, label: str, subject: str, role: str = "value", direction: str | None = None) -> dict:
    value, dec, unit, kind = read_figure(raw)
    return figure(label, subject, raw, value, dec, unit, kind, role, direction=direction, year=2024)


def _project_paragraph(line: str) -> Paragraph:
    para, pos = Paragraph(), 0
    marks = [("1441.77万元", "expenditure.project", "项目经费支出", "value", None)]
    for name, amount, _, _ in PROJECTS:
        marks += [(f"{amount}万元", "expenditure.project.item", name, "value", None)]
        share = FIGURE_RE.search(line, line.index(f"{name}{amount}万元") + len(name) + len(amount) + 2)[0]
        marks += [(share, "expenditure.project.item", name, "share", None)]
    marks.append(("1934.41万元", "expenditure.project", "项目经费", "change", "decrease"))
    for raw, label, subject, role, direction in marks:
        at = line.index(raw, pos)
        para.text(line[pos:at]).fig(_fig(raw, label, subject, role, direction))
        pos = at + len(raw)
    return para.text(line[pos:])


def narrative_blocks(corpus: Path) -> list[tuple[str, Paragraph]]:
    lines = [line for line in corpus.read_text(encoding="utf-8").split("\n") if line.strip()]
    return [(classify(line), annotate(line)) for line in lines]


def wan(text: str) -> D:
    return D(text) * W


def annex1_spec() -> Annex1Spec:
    rows = [
        MoneyRow("三公经费:", "three_public.total", "三公经费", wan("11.81"), wan("12.00"), wan("6.35")),
        MoneyRow(
            "1、公务用车购置和维护经费",
            "three_public.vehicle",
            "公务用车购置和维护经费",
            wan("6.75"),
            wan("7.00"),
            wan("5.81"),
        ),
        MoneyRow("其中：公车购置", "three_public.vehicle_purchase", "公车购置", D(0), D(0), D(0)),
        MoneyRow(
            "公车运行维护",
            "three_public.vehicle_operation",
            "公车运行维护",
            wan("6.75"),
            wan("7.00"),
            wan("5.81"),
        ),
        MoneyRow("2、出国经费", "three_public.overseas", "出国经费", D(0), D(0), D(0)),
        MoneyRow("3、公务接待", "three_public.reception", "公务接待", wan("5.06"), wan("5.00"), wan("0.54")),
        MoneyRow(
            "项目支出:",
            "expenditure.project",
            "项目支出",
            wan("3376.18"),
            sum(wan(b) for _, _, b, _ in PROJECTS),
            wan("1441.77"),
        ),
    ]
    for i, (name, amount, budget, prior) in enumerate(PROJECTS, 1):
        rows.append(
            MoneyRow(f"{i}、{name}", "expenditure.project.item", name, wan(prior), wan(budget), wan(amount))
        )
    purchase = PROJECT_2023 - sum(D(p) for *_, p in PROJECTS)
    rows.append(
        MoneyRow(
            f"{len(PROJECTS) + 1}、营业用房购置支出",
            "expenditure.project.item",
            "营业用房购置支出",
            purchase * W,
            D(0),
            D(0),
        )
    )
    rows += [
        MoneyRow("公用经费", "expenditure.public", "公用经费", wan("378.08"), wan("415.00"), wan("409.13")),
        MoneyRow("其中：办公经费", "public.office", "办公经费", wan("52.36"), wan("55.00"), wan("57.92")),
        MoneyRow(
            "水费、电费、差旅费",
            "public.utilities_travel",
            "水费、电费、差旅费",
            wan("61.40"),
            wan("62.00"),
            wan("58.77"),
        ),
        MoneyRow(
            "会议费、培训费",
            "public.meeting_training",
            "会议费、培训费",
            wan("8.40"),
            wan("12.00"),
            wan("10.22"),
        ),
        MoneyRow(
            "政府采购金额", "procurement.total", "政府采购金额", wan("2210.35"), wan("420.00"), wan("398.64")
        ),
        MoneyRow("部门基本支出预算调整", "budget.basic_adjustment", "部门基本支出预算调整", None, None, D(0)),
    ]
    thrift = (
        "严格落实过紧日子要求，修订经费管理制度，从严控制“三公”经费、会议费和培训费，"
        "公务接待实行公函制度和清单制度。"
    )
    return Annex1Spec(UNIT, 2024, 95, 86, fmt.ratio_percent(D(86), D(95)), rows, None, thrift)


def indicators() -> list[Indicator]:
    out, p1, p2, p3 = [], "产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"
    rows = [
        (p1, "数量指标", "住房公积金归集额", "≥36亿元", "38.35亿元", "10", "10", ""),
        (p1, "数量指标", "新增缴存职工人数", "≥2万人", "2.35万人", "10", "10", ""),
        (p1, "数量指标", "个人住房贷款发放额", "≥6亿元", "6.23亿元", "10", "10", ""),
        (p1, "数量指标", "……", "", "", "0", "0", ""),
        (p1, "质量指标", "个贷逾期率", "≤0.1%", "0.02%", "10", "10", ""),
        (p1, "时效指标", "业务按时办结率", "100%", "100%", "5", "5", ""),
        (p1, "成本指标", "“三公”经费控制", "≤12万元", "6.35万元", "5", "5", ""),
        (p2, "经济效益指标", "增值收益", "≥1.8亿元", "18962.84万元", "10", "10", ""),
        (p2, "社会效益指标", "住房公积金提取率", "≥70%", "77.73%", "10", "10", ""),
        (p2, "可持续影响指标", "风险准备金余额", "充足", "22059.48万元", "10", "10", ""),
        (
            p3,
            "服务对象满意度指标",
            "缴存职工满意度",
            "≥90%",
            "96%",
            "10",
            "9.5",
            "部分职工对线上业务办理便捷度仍有意见，将持续优化线上服务功能。",
        ),
    ]
    for l1, l2, name, target, actual, points, score, reason in rows:
        out.append(Indicator(l1, l2, name, target, actual, D(points), D(score), reason))
    return out


def annex2_spec() -> Annex2Spec:
    executed, adjusted = wan("3790.52"), wan("3885.00")
    rate = fmt.ratio_percent(executed, adjusted)
    score = fmt.q2(rate / 10)
    inds = indicators()
    total_score = score + sum(i.score for i in inds)
    return Annex2Spec(
        UNIT,
        2024,
        wan("3650.00"),
        adjusted,
        executed,
        D(10),
        rate,
        score,
        executed,
        {"general": executed, "gov_fund": D(0), "non_tax": D(0), "other": D(0)},
        executed,
        {"basic": wan("2348.75"), "project": wan("1441.77")},
        "1.全年归集住房公积金不低于36亿元；2.发放个人住房贷款不低于6亿元；3.个贷逾期率控制在0.1%以内；"
        "4.实现增值收益不低于1.8亿元；5.缴存职工满意度不低于90%。",
        "1.全年归集住房公积金38.35亿元；2.发放个人住房贷款6.23亿元；3.个贷逾期率0.02%；"
        "4.实现增值收益18962.84万元；5.缴存职工满意度96%。",
        inds,
        D(100),
        total_score,
        "优",
    )


def generate(corpus: Path, out_dir: Path) -> dict:
    """Write the DOCX and the XLSX; returns the truth (figures) for both."""
    grids = [build_annex1(annex1_spec()), build_annex2(annex2_spec())]
    docx_name, xlsx_name = "yiyang_hpf_2024.docx", "yiyang_hpf_2024_附件.xlsx"
    figures = write_report_docx(out_dir / docx_name, docx_name, narrative_blocks(corpus), grids)
    figures += write_annex_xlsx(out_dir / xlsx_name, xlsx_name, grids, ["附件1 基础数据表", "附件2 自评表"])
    return {
        "unit": UNIT,
        "year": 2024,
        "files": [
            {"path": docx_name, "role": "report"},
            {"path": "yiyang_hpf_2024.pdf", "role": "report"},
            {"path": xlsx_name, "role": "annex1"},
            {"path": xlsx_name, "role": "annex2"},
        ],
        "figures": figures,
    }
