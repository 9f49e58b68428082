"""A 项目支出绩效自评报告 of one project (the 红河/丽江 shapes): the narrative (project overview
with the towns it covers, funding with its 其中 sources and the execution rate, targets met,
the self-score), then 表1 项目资金收支情况表 (上年结转 / 收入合计 / 支出合计 / 年末结余) and
表2 项目支出绩效自评表 (项目名称/主管部门/实施单位, the national funding block, goals and
indicators). Plants are overrides on ProjectYear.overrides, as on a UnitYear."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from . import fmt
from .annexes import Annex2Spec, Indicator, build_annex2, money_fig
from .fmt import q2, ratio_percent
from .grid import Grid
from .record import Paragraph, figure
from .sections import grade_of
from .sections2 import KIND_UNITS, MEASURES, PROBLEMS
from .unitdata import IndicatorValue

TOWNS = ["青石镇", "白沙镇", "桃花镇", "龙潭乡", "柳溪乡", "石门镇", "云台乡"]
PURPOSE = ["用于保障{p}的实施", "主要用于{p}相关工作", "专项用于{p}"]


@dataclass
class ProjectYear:
    unit: str
    supervisor: str
    name: str
    year: int
    initial: Decimal
    adjusted: Decimal
    executed: Decimal
    carryover: Decimal  # 上年结转, part of the adjusted budget
    upper: Decimal  # 上级补助 part of 到位资金 (= adjusted)
    upper_plan: Decimal  # 上级补助 planned: 到位率 = upper / upper_plan
    towns: list[str]
    indicators: list[IndicatorValue]
    templates: dict[str, int]
    overrides: dict[str, Decimal] = field(default_factory=dict)

    def w(self, key: str, value):
        return self.overrides.get(key, value)

    @property
    def rate(self) -> Decimal:
        return ratio_percent(self.executed, self.adjusted)

    @property
    def budget_score(self) -> Decimal:
        return q2(self.rate / 10)

    @property
    def income(self) -> Decimal:
        return self.adjusted - self.carryover

    @property
    def balance(self) -> Decimal:
        return self.adjusted - self.executed

    @property
    def total_score(self) -> Decimal:
        return self.budget_score + sum((i.score for i in self.indicators), Decimal(0))


def make_project(rng: random.Random, u, supervisor: str) -> ProjectYear:
    """The unit's largest project as a project report: budget above its execution, a carry-over."""
    project = max(u.projects, key=lambda p: p.amount)
    executed = project.amount
    adjusted = q2(executed / Decimal(str(round(rng.uniform(0.86, 0.99), 3))))
    initial = q2(adjusted * Decimal(str(round(rng.uniform(0.8, 1.0), 3))))
    carryover = q2(adjusted * Decimal(str(round(rng.uniform(0.03, 0.12), 3))))
    upper = q2(adjusted * Decimal(str(round(rng.uniform(0.4, 0.7), 3))))
    upper_plan = q2(upper / Decimal(str(round(rng.uniform(0.8, 1.0), 3))))
    towns = rng.sample(TOWNS, rng.randint(3, 5))
    templates = {k: rng.randrange(3) for k in ("overview", "funding", "score")}
    return ProjectYear(u.unit, supervisor, project.name, u.year, initial, adjusted, executed, carryover,
                       upper, upper_plan, towns, u.indicators, templates)


class ProjectWriter:
    def __init__(self, p: ProjectYear, rng: random.Random):
        self.p, self.rng = p, rng

    def money(self, key: str, yuan: Decimal, label: str, subject: str, measure: str = "") -> dict:
        raw, value, dec = fmt.money(self.p.w(key, yuan), "wan")
        return figure(label, subject, raw, value, dec, "元", "amount", measure=measure, year=self.p.year)

    def blocks(self) -> list:
        p = self.p
        title = f"{p.unit}{p.year}年度{p.name}项目支出绩效自评报告"
        out = [("title", title), ("heading", "一、项目基本情况"), ("subheading", "（一）项目概况")]
        out += [("body", self.overview()), ("subheading", "（二）项目资金情况")]
        out += [("body", self.funding()), ("body", self.sources()), ("body", self.arrival())]
        out += [("heading", "二、项目绩效目标完成情况")] + self.targets()
        out += [("heading", "三、自评结论"), ("body", self.score())]
        out += [("heading", "四、存在的问题")] + [("body", t) for t in PROBLEMS[: self.rng.randint(1, 2)]]
        out += [("heading", "五、下一步改进措施")] + [("body", t) for t in MEASURES]
        return out

    def overview(self) -> Paragraph:
        p, t = self.p, self.p.templates["overview"]
        count = int(p.w("narr.town_count", len(p.towns)))
        record = figure("", "乡镇", f"{count}个", Decimal(count), 0, "个", "count", year=p.year)
        names = "、".join(p.towns)
        purpose = PURPOSE[t].format(p=p.name)
        para = Paragraph().text(f"{p.name}是{p.unit}{p.year}年度实施的专项项目，{purpose}。项目覆盖")
        if t == 0:
            return para.fig(record).text(f"乡镇，即{names}。")
        if t == 1:
            return para.text("全县乡镇").fig(record).text(f"，分别为{names}。")
        return para.text("乡镇").fig(record).text(f"，包括{names}，由{p.unit}统一组织实施。")

    def funding(self) -> Paragraph:
        p, t = self.p, self.p.templates["funding"]
        initial = self.money("narr.initial", p.initial, "funding.total", "年初预算数", "initial_budget")
        adjusted = self.money("narr.adjusted", p.adjusted, "funding.total", "全年预算数", "adjusted_budget")
        executed = self.money("narr.executed", p.executed, "funding.total", "全年执行数", "executed")
        raw, value, dec = fmt.percent(p.w("narr.rate", p.rate))
        rate = figure("budget.execution_rate", "预算执行率", raw, value, dec, "%", "percent", "rate", year=p.year)
        para = Paragraph()
        if t == 0:
            para.text(f"{p.year}年该项目年初预算数").fig(initial).text("，全年预算数").fig(adjusted)
            return para.text("，全年执行数").fig(executed).text("，预算执行率为").fig(rate).text("。")
        if t == 1:
            para.text("项目年初批复预算").fig(initial).text("，调整后全年预算数").fig(adjusted)
            return para.text("，截至12月31日全年执行数").fig(executed).text("，执行率").fig(rate).text("。")
        para.text("本年度项目年初预算数").fig(initial).text("，年中追加后全年预算数").fig(adjusted)
        return para.text("，全年执行数").fig(executed).text("，资金执行率达").fig(rate).text("。")

    def sources(self) -> Paragraph:
        p = self.p
        total = self.money("narr.arrived", p.adjusted, "", "到位资金")
        upper = self.money("narr.upper", p.upper, "", "上级补助资金")
        county = self.money("narr.county", p.adjusted - p.upper - p.carryover, "", "县级财政资金")
        carry = self.money("narr.carry", p.carryover, "funding.carryover", "上年结转资金")
        para = Paragraph().text("项目全年到位资金").fig(total).text("，其中：上级补助资金").fig(upper)
        return para.text("，县级财政资金").fig(county).text("，上年结转资金").fig(carry).text("。")

    def arrival(self) -> Paragraph:
        """The 到位率 beside its two amounts, a rate no label names (rate_beside_amounts)."""
        p = self.p
        plan = self.money("narr.plan", p.upper_plan, "", "上级补助资金下达计划")
        arrived = self.money("narr.arrived_upper", p.upper, "", "上级补助资金实际到位")
        raw, value, dec = fmt.percent(p.w("narr.arrival_rate", ratio_percent(p.upper, p.upper_plan)))
        rate = figure("", "资金到位率", raw, value, dec, "%", "percent", "rate", year=p.year)
        forms = (("上级补助资金下达计划", "，实际到位", "，资金到位率"), ("上级下达补助资金", "，已到位", "，到位率为"),
                 ("上级补助资金计划", "，截至年底到位", "，到位率"))
        a, b, c = forms[p.templates["funding"]]
        return Paragraph().text(a).fig(plan).text(b).fig(arrived).text(c).fig(rate).text("。")

    def targets(self) -> list:
        out = []
        for ind in self.p.indicators:
            if ind.level2 != "数量指标" and ind.suffix == "%":
                continue
            unit, kind, power = KIND_UNITS[ind.suffix]
            value, dec = fmt.written(f"{ind.actual:f}")
            record = figure("", ind.name, f"{ind.actual:f}{ind.suffix}", value.scaleb(power), dec - power,
                            unit, kind, year=self.p.year)
            para = Paragraph().text(f"{len(out) + 1}.{ind.name}：全年完成").fig(record)
            out.append(("body", para.text("，达到年度目标。" if not ind.reason else "，" + ind.reason)))
        return out

    def score(self) -> Paragraph:
        p, t = self.p, self.p.templates["score"]
        raw, value, dec = fmt.percent(p.w("narr.score", p.total_score), strip=True, sign=False)
        total = figure("evaluation.total_score", "自评得分", raw + "分", value, dec, "分", "score", year=p.year)
        grade = figure("evaluation.grade", "等级", grade_of(p.total_score), None, None, "", "text", year=p.year)
        forms = (("经自评，该项目绩效自评得分", "，评价等级为“", "”。"), ("综合评价，项目自评总分", "，等级", "。"),
                 ("按照项目支出绩效评价指标体系，自评得分", "，自评等级“", "”。"))
        a, b, c = forms[t]
        return Paragraph().text(a).fig(total).text(b).fig(grade).text(c)


def balance_grid(p: ProjectYear) -> Grid:
    """表1 项目资金收支情况表: 结余 = 上年结转 + 收入合计 − 支出合计."""
    grid = Grid("funding_table", 2, ["表1", f"{p.year}年度{p.name}资金收支情况表", "单位：万元"], widths=[3, 2])
    grid.put(0, 0, "项目", bold=True)
    grid.put(0, 1, "金额", bold=True)
    rows = (("上年结转", "funding.carryover", "t.carry", p.carryover),
            ("本年收入合计", "project.income_total", "t.income", p.income),
            ("本年支出合计", "project.expense_total", "t.expense", p.executed),
            ("年末结余", "project.balance", "t.balance", p.balance))
    for r, (text, label, key, yuan) in enumerate(rows, start=1):
        grid.put(r, 0, text)
        record = money_fig(label, text, p.w(key, yuan), "value", "", p.year)
        grid.put(r, 1, record["raw"], fig=record)
    return grid


def self_eval_grid(p: ProjectYear, variant: str = "national") -> Grid:
    """表2 项目支出绩效自评表: the national funding block (annexes.build_annex2, variant national)
    under the project's own head rows; `yunnan` rewrites the block's rows as 总额 / 财政资金 /
    财政专户管理资金 / 单位资金, each source with its own 执行率."""
    split = {}
    for measure, total in (("initial_budget", p.initial), ("adjusted_budget", p.adjusted), ("executed", p.executed)):
        other = q2(total * Decimal("0.1"))
        carry = p.carryover if measure != "initial_budget" else Decimal(0)
        split[measure] = {"general": total - other - carry, "carryover": carry, "other": other}
    indicators = [Indicator(i.level1, i.level2, i.name, f"{i.op}{i.target}{i.suffix}", f"{i.actual}{i.suffix}",
                            i.points, p.w(f"t.ind.{n}.score", i.score), i.reason)
                  for n, i in enumerate(p.indicators)]
    spec = Annex2Spec(p.unit, p.year, p.initial, p.adjusted, p.w("t.executed", p.executed), Decimal(10),
                      p.w("t.rate", p.rate), p.budget_score, Decimal(0), {}, Decimal(0), {},
                      f"按期完成{p.name}各项任务，资金使用规范。", f"{p.name}各项任务已按期完成。",
                      indicators, Decimal(100), p.total_score, grade_of(p.total_score), 0, "national", split)
    grid = build_annex2(spec)
    grid.part = "project_self_eval"
    grid.captions = ["表2", f"{p.year}年度项目支出绩效自评表", ""]
    grid.cells = [c for c in grid.cells if c.row != 0]
    grid.put(0, 0, "项目名称", cs=2, bold=True)
    grid.put(0, 2, p.name, cs=2)
    grid.put(0, 4, "主管部门", bold=True)
    grid.put(0, 5, p.supervisor)
    grid.put(0, 6, "实施单位", bold=True)
    grid.put(0, 7, p.unit)
    return yunnan_rows(grid, p, split) if variant == "yunnan" else grid


YUNNAN_ROWS = ((3, "财政资金", "funding.general_budget"), (4, "财政专户管理资金", ""), (5, "单位资金", "funding.other"))


def yunnan_rows(grid: Grid, p: ProjectYear, split: dict) -> Grid:
    """总额 keeps the national total row's figures; 财政资金 holds 本年财政拨款 and 上年结转."""
    grid.cells = [c for c in grid.cells if not (3 <= c.row <= 5 and c.col >= 1)]
    total = next(c for c in grid.cells if (c.row, c.col) == (2, 1))
    total.text = "总额"
    for cell in grid.cells:
        for record in cell.figures:
            if cell.row == 2 and record["subject"] == "年度资金总额":
                record["subject"] = "总额"
    for row, text, label in YUNNAN_ROWS:
        grid.put(row, 1, text)
        parts = {m: split[m]["general"] + split[m]["carryover"] if label == "funding.general_budget"
                 else split[m]["other"] for m in split}
        for col, measure in ((2, "initial_budget"), (3, "adjusted_budget"), (4, "executed")):
            record = money_fig(label, text, parts[measure], "value", measure, p.year) if label else None
            grid.put(row, col, record["raw"] if record else "", fig=record)
        grid.put(row, 5, "")
        if label:
            raw, value, dec = fmt.percent(ratio_percent(parts["executed"], parts["adjusted_budget"]))
            grid.put(row, 6, raw, fig=figure("budget.execution_rate", text, raw, value, dec, "%", "percent", "rate",
                                               year=p.year))
        else:
            grid.put(row, 6, "")
        grid.put(row, 7, "")
    return grid
