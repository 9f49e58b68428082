"""Sections 三 to 八 and the annex list: execution rate, performance, self-score, problems."""

from __future__ import annotations

from . import fmt
from .narrative import Writer
from .record import Paragraph, figure
from .sections import Blocks, basic, cover, grade_of, projects, staff, three_public

KIND_UNITS = {
    "人次": ("人次", "count", 0),
    "万人": ("人", "headcount", 4),
    "万亩": ("亩", "area", 4),
    "人": ("人", "headcount", 0),
    "户": ("户", "count", 0),
    "个": ("个", "count", 0),
    "件": ("件", "count", 0),
    "次": ("次", "count", 0),
    "场": ("场", "count", 0),
    "%": ("%", "percent", 0),
}
PROBLEMS = [
    "预算编制的精细化程度有待提高，部分项目年中调整较多。",
    "绩效目标设置不够细化，个别指标难以量化考核。",
    "项目资金支付进度前松后紧，年底集中支付现象仍然存在。",
]
MEASURES = [
    "1.加强预算编制管理，提高预算编制的科学性和准确性。",
    "2.强化绩效目标管理，细化量化绩效指标。",
    "3.加快项目实施和资金支付进度，提高资金使用效益。",
]


def execution(w: Writer) -> Blocks:
    u, p, t = w.u, Paragraph(), w.s.templates["exec"]
    form = "yi" if u.executed >= 100000000 and w.rng.random() < 0.7 else None
    adjusted = w.money("narr.adjusted", u.adjusted, "funding.total", "全年预算数", form=form)
    adjusted["measure"] = "adjusted_budget"
    executed = w.money("narr.executed", u.executed, "funding.total", "全年执行数", form=form)
    executed["measure"] = "executed"
    rate = w.percent("narr.rate", u.rate, "budget.execution_rate", "预算执行率", "rate")
    if t == 0:
        p.text(f"{u.year}年全年预算数").fig(adjusted).text("，全年执行数").fig(executed).text(
            "，预算执行率为"
        ).fig(rate)
    elif t == 1:
        p.text("全年部门预算执行率").fig(rate).text("（执行数").fig(executed).text("/全年预算数").fig(
            adjusted
        ).text("）")
    else:
        p.text("本年度调整后预算").fig(adjusted).text("，实际支出").fig(executed).text("，执行率").fig(rate)
    if u.prior and u.prior.adjusted:
        delta = u.rate - u.prior.rate
        if delta:
            word, direction = ("提高", "increase") if delta > 0 else ("下降", "decrease")
            raw, value, dec = fmt.percent(abs(delta), sign=False)
            p.text(f"，{w.s.base}{word}").fig(
                figure(
                    "budget.execution_rate",
                    "预算执行率",
                    w._raw(raw) + "个百分点",
                    value,
                    dec,
                    "个百分点",
                    "percent_point",
                    "change",
                    direction=direction,
                    year=u.year,
                )
            )
    return [("body", p.text("。"))]


def performance(w: Writer) -> Blocks:
    blocks: Blocks = []
    for i, ind in enumerate(w.u.indicators):
        if ind.level2 != "数量指标" and ind.suffix == "%":
            continue
        unit, kind, power = KIND_UNITS[ind.suffix]
        number = f"{ind.actual:f}"
        value, dec = fmt.written(number)
        record = figure(
            "",
            ind.name,
            w._raw(number) + ind.suffix,
            value.scaleb(power),
            dec - power,
            unit,
            kind,
            year=w.u.year,
        )
        p = Paragraph().text(f"{len(blocks) + 1}.{ind.name}。全年{ind.name}").fig(record)
        target = "，完成年度目标。" if not ind.reason else "，未完成年度目标，" + ind.reason
        blocks.append(("body", p.text(target)))
    return blocks


def score(w: Writer) -> Blocks:
    u, t = w.u, w.s.templates["score"]
    raw, value, dec = fmt.percent(u.w("narr.score", u.total_score), strip=True, sign=False)
    total = figure(
        "evaluation.total_score", "自评得分", w._raw(raw) + "分", value, dec, "分", "score", year=u.year
    )
    grade = figure("evaluation.grade", "等级", grade_of(u.total_score), None, None, "", "text", year=u.year)
    p = Paragraph()
    if t == 0:
        p.text(f"经自评，{u.unit}{u.year}年度部门整体支出绩效自评得分").fig(total).text("，评价等级为“").fig(
            grade
        ).text("”。")
    elif t == 1:
        p.text("综合以上情况，本单位部门整体支出绩效自评总分").fig(total).text("，等级为").fig(grade).text(
            "。"
        )
    else:
        p.text("根据部门整体支出绩效评价指标体系，自评得分").fig(total).text("，自评等级“").fig(grade).text(
            "”。"
        )
    return [("body", p)]


def kind_text(kind: str) -> str:
    if kind.endswith("人民政府"):
        return "县辖乡镇一级人民政府"
    if kind in ("卫生院", "中学"):
        return "县属公益一类事业单位"
    return "县人民政府工作部门" if kind.endswith("局") else "县直预算单位"


def report_blocks(w: Writer, annex_list: bool) -> Blocks:
    u = w.u
    blocks = cover(w)
    blocks.append(w.heading(1, "单位基本情况"))
    blocks.append(
        ("body", f"{u.unit}是{kind_text(u.kind)}，内设若干职能股室，主要负责本领域的行政管理和公共服务工作。")
    )
    blocks += staff(w)
    blocks.append(w.heading(2, "一般公共预算支出情况"))
    blocks.append(("subheading", "（一）基本支出情况"))
    blocks += basic(w) + three_public(w)
    blocks.append(("subheading", "（二）项目支出情况"))
    blocks += projects(w)
    for n, name in (
        (3, "政府性基金预算支出情况"),
        (4, "国有资本经营预算支出情况"),
        (5, "社会保险基金预算支出情况"),
    ):
        if w.rng.random() < 0.5:
            blocks += [w.heading(n, name), ("body", "无")]
        else:
            kind, text = w.heading(n, name)
            blocks.append((kind, f"{text}：无。"))
    blocks.append(w.heading(6, "部门整体支出绩效情况"))
    blocks += execution(w)
    blocks.append(("subheading", "（一）全年绩效目标完成情况"))
    blocks += performance(w)
    blocks.append(("subheading", "（二）评价结论"))
    blocks += score(w)
    blocks += [w.heading(7, "存在的问题及原因分析")] + [
        ("body", text) for text in PROBLEMS[: w.rng.randint(1, 3)]
    ]
    blocks += [w.heading(8, "下一步改进措施")] + [("body", text) for text in MEASURES]
    if annex_list:
        blocks += [
            ("heading", "附件："),
            ("plain", "1.部门整体支出绩效评价基础数据表"),
            ("plain", "2.部门整体支出绩效自评表"),
        ]
    return blocks
