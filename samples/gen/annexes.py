"""The two Hunan annexes as grids: 附件1 部门整体支出绩效评价基础数据表 and 附件2 部门整体支出
绩效自评表. Specs hold the values AS WRITTEN (a planted error is just a different value)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import fmt
from .grid import Grid
from .record import figure

NULL = "—"
FOOTNOTE = (
    "说明：项目支出需要填报基本支出以外的所有项目支出情况，公用经费填报基本支出中的一般商品和服务支出。"
)


@dataclass
class MoneyRow:
    text: str  # row label as written
    label: str
    subject: str
    prior: Decimal | None = None  # yuan
    budget: Decimal | None = None
    final: Decimal | None = None


@dataclass
class Building:
    approved_area: Decimal
    actual_area: Decimal
    budget_investment: Decimal  # yuan
    actual_investment: Decimal


@dataclass
class Annex1Spec:
    unit: str
    year: int
    authorized: int
    active: int
    control_rate: Decimal
    rows: list[MoneyRow]
    building: Building | None = None
    thrift: str = "严格执行中央八项规定精神，厉行节约，压缩一般性支出。"
    caption_style: int = 0


@dataclass
class Indicator:
    level1: str  # 产出指标（50分）
    level2: str
    name: str
    target: str
    actual: str
    points: Decimal
    score: Decimal
    reason: str = ""


@dataclass
class Annex2Spec:
    unit: str
    year: int
    initial: Decimal  # yuan
    adjusted: Decimal
    executed: Decimal
    points: Decimal
    rate: Decimal  # percent as written
    score: Decimal
    income_total: Decimal
    income: dict[str, Decimal]  # general, gov_fund, non_tax, other
    expense_total: Decimal
    expense: dict[str, Decimal]  # basic, project
    expected: str
    achieved: str
    indicators: list[Indicator]
    total_points: Decimal
    total_score: Decimal
    grade: str
    caption_style: int = 0
    variant: str = "hunan"  # hunan | sichuan | chongqing | national (domain.md §4)
    national: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # measure -> source -> yuan


FUNDING_HEADS = {  # variant -> block label, column heads, whether 执行率 carries its % sign
    "hunan": (
        "年度预算申请（万元）",
        ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"),
        True,
    ),
    "sichuan": (
        "预算执行情况（10分）（万元）",
        ("", "年初预算数", "调整后预算数", "预算执行数", "权重", "预算执行率", "得分"),
        True,
    ),
    "national": (
        "项目资金（万元）",
        ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        True,
    ),
    "chongqing": (
        "项目资金（万元）",
        ("", "年初预算数", "全年预算数", "全年执行数", "执行率权重", "执行率(%)", "执行率得分(分)"),
        False,
    ),
}


def money_fig(label: str, subject: str, yuan: Decimal, role: str, measure: str, year: int) -> dict:
    raw, value, dec = fmt.money(yuan, "bare")
    return figure(label, subject, raw, value, dec, "元", "amount", role, measure, year=year)


def annex1_captions(year: int, style: int) -> list[str]:
    if style == 1:
        return ["附件一", f"{year}年度部门整体支出绩效评价基础数据表", "单位：万元"]
    return ["附件1", "部门整体支出绩效评价基础数据表", "单位：万元"]


def build_annex1(spec: Annex1Spec) -> Grid:
    y = spec.year
    grid = Grid("annex1", 7, annex1_captions(y, spec.caption_style), widths=[34, 11, 11, 11, 11, 11, 11])
    grid.put(0, 0, "财政供养人员情况（人）", rs=2, bold=True)
    for i, head in enumerate(("编制数", f"{y}年实际在职人数", "控制率")):
        grid.put(0, 1 + 2 * i, head, cs=2)
    staff = (("staff.authorized", "编制数", spec.authorized), ("staff.active", "实际在职人数", spec.active))
    for i, (label, subject, count) in enumerate(staff):
        raw, value, dec = fmt.integer(count)
        grid.put(
            1, 1 + 2 * i, raw, cs=2, fig=figure(label, subject, raw, value, dec, "人", "headcount", year=y)
        )
    raw, value, dec = fmt.percent(spec.control_rate)
    grid.put(
        1,
        5,
        raw,
        cs=2,
        fig=figure("staff.control_rate", "控制率", raw, value, dec, "%", "percent", "rate", year=y),
    )
    grid.put(2, 0, "经费控制情况（万元）", bold=True)
    for i, head in enumerate((f"{y - 1}年决算数", f"{y}年预算数", f"{y}年决算数")):
        grid.put(2, 1 + 2 * i, head, cs=2)
    row = 3
    for money in spec.rows:
        grid.put(row, 0, money.text)
        columns = (
            (money.prior, "prior", "final", y - 1),
            (money.budget, "value", "budget", y),
            (money.final, "value", "final", y),
        )
        for i, (yuan, role, measure, year) in enumerate(columns):
            if yuan is None:
                grid.put(row, 1 + 2 * i, NULL, cs=2)
                continue
            record = money_fig(money.label, money.subject, yuan, role, measure, year)
            grid.put(row, 1 + 2 * i, record["raw"], cs=2, fig=record)
        row += 1
    row = _building_block(grid, row, spec)
    grid.put(row, 0, "厉行节约保障措施", bold=True)
    grid.put(row, 1, spec.thrift, cs=6)
    grid.put(row + 1, 0, FOOTNOTE, cs=7)
    return grid


def _building_block(grid: Grid, row: int, spec: Annex1Spec) -> int:
    heads = (
        "批复规模（㎡）",
        "实际规模（㎡）",
        "规模控制率",
        "预算投资（万元）",
        "实际投资（万元）",
        "投资概算控制率",
    )
    grid.put(row, 0, f"楼堂馆所控制情况（{spec.year}年完工项目）", rs=2, bold=True)
    for i, head in enumerate(heads):
        grid.put(row, 1 + i, head)
    b = spec.building
    if b is None:
        for i in range(6):
            grid.put(row + 1, 1 + i, NULL)
        return row + 2
    y = spec.year
    for i, (label, subject, area) in enumerate(
        (
            ("building.approved_area", "批复规模", b.approved_area),
            ("building.actual_area", "实际规模", b.actual_area),
        )
    ):
        raw, value, dec = fmt.percent(area, sign=False)
        grid.put(row + 1, 1 + i, raw, fig=figure(label, subject, raw, value, dec, "㎡", "area", year=y))
    rates = (
        (3, "building.area_control_rate", "规模控制率", fmt.ratio_percent(b.actual_area, b.approved_area)),
        (
            6,
            "building.investment_control_rate",
            "投资概算控制率",
            fmt.ratio_percent(b.actual_investment, b.budget_investment),
        ),
    )
    for col, label, subject, rate in rates:
        raw, value, dec = fmt.percent(rate)
        grid.put(
            row + 1, col, raw, fig=figure(label, subject, raw, value, dec, "%", "percent", "rate", year=y)
        )
    for col, label, subject, yuan in (
        (4, "building.budget_investment", "预算投资", b.budget_investment),
        (5, "building.actual_investment", "实际投资", b.actual_investment),
    ):
        record = money_fig(label, subject, yuan, "value", "budget" if col == 4 else "final", y)
        grid.put(row + 1, col, record["raw"], fig=record)
    return row + 2


def annex2_captions(year: int, style: int) -> list[str]:
    if style == 1:
        return ["附件二", f"{year}年度部门整体支出绩效自评表", ""]
    return ["附件2", "部门整体支出绩效自评表", f"（{year}年度）"]


INCOME_NAMES = (
    ("general", "funding.general_budget", "一般公共预算"),
    ("gov_fund", "funding.gov_fund", "政府性基金拨款"),
    ("non_tax", "funding.non_tax", "纳入专户管理的非税收入拨款"),
    ("other", "funding.other", "其他资金"),
)
EXPENSE_NAMES = (("basic", "funding.basic", "基本支出"), ("project", "funding.project", "项目支出"))


def build_annex2(spec: Annex2Spec) -> Grid:
    y = spec.year
    grid = Grid("annex2", 8, annex2_captions(y, spec.caption_style), widths=[12, 12, 22, 12, 12, 8, 8, 22])
    grid.put(0, 0, "预算部门、单位名称", cs=2, bold=True)
    grid.put(0, 2, spec.unit, cs=6)
    if spec.variant == "national":
        row = _national_funding(grid, spec)
    else:
        row = _funding_block(grid, spec)
    return _goals_and_indicators(grid, spec, row)


def _funding_heads(grid: Grid, spec: Annex2Spec, rows: int) -> bool:
    block, heads, with_sign = FUNDING_HEADS[spec.variant]
    grid.put(1, 0, block, rs=rows, bold=True)
    for i, head in enumerate(heads):
        grid.put(1, 1 + i, head)
    return with_sign


def _total_row(grid: Grid, spec: Annex2Spec, with_sign: bool) -> None:
    y = spec.year
    grid.put(2, 1, "年度资金总额")
    for col, yuan, measure in (
        (2, spec.initial, "initial_budget"),
        (3, spec.adjusted, "adjusted_budget"),
        (4, spec.executed, "executed"),
    ):
        record = money_fig("funding.total", "年度资金总额", yuan, "value", measure, y)
        grid.put(2, col, record["raw"], fig=record)
    for col, label, value, kind, role, subject in (
        (5, "budget.points", spec.points, "score", "value", "分值"),
        (6, "budget.execution_rate", spec.rate, "percent", "rate", "执行率"),
        (7, "budget.score", spec.score, "score", "value", "得分"),
    ):
        raw, val, dec = fmt.percent(value, strip=kind == "score", sign=kind == "percent" and with_sign)
        unit = "%" if kind == "percent" else "分"
        grid.put(2, col, raw, fig=figure(label, subject, raw, val, dec, unit, kind, role, year=y))


def _funding_block(grid: Grid, spec: Annex2Spec) -> int:
    """Hunan/Sichuan/Chongqing: the total row, then the two side-by-side split cells."""
    y = spec.year
    _total_row(grid, spec, _funding_heads(grid, spec, 3))
    _split_cell(
        grid, 3, 1, 3, "按收入性质分", "funding.income_total", spec.income_total, INCOME_NAMES, spec.income, y
    )
    _split_cell(
        grid,
        3,
        4,
        4,
        "按支出性质分",
        "funding.expense_total",
        spec.expense_total,
        EXPENSE_NAMES,
        spec.expense,
        y,
    )
    return 4


NATIONAL_ROWS = (
    ("general", "其中：本年财政拨款", "funding.general_budget"),
    ("carryover", "上年结转资金", "funding.carryover"),
    ("other", "其他资金", "funding.other"),
)


def _national_funding(grid: Grid, spec: Annex2Spec) -> int:
    """National 项目支出绩效自评表: one row per funding source, values in every budget column."""
    _total_row(grid, spec, _funding_heads(grid, spec, 1 + 1 + len(NATIONAL_ROWS)))
    for i, (key, text, label) in enumerate(NATIONAL_ROWS):
        row = 3 + i
        grid.put(row, 1, text)
        for col, measure in ((2, "initial_budget"), (3, "adjusted_budget"), (4, "executed")):
            record = money_fig(
                label, text.removeprefix("其中："), spec.national[measure][key], "value", measure, spec.year
            )
            grid.put(row, col, record["raw"], fig=record)
        for col in (5, 6, 7):
            grid.put(row, col, NULL)
    return 3 + len(NATIONAL_ROWS)


def _goals_and_indicators(grid: Grid, spec: Annex2Spec, row: int) -> Grid:
    y = spec.year
    grid.put(row, 0, "年度总体目标", rs=2, bold=True)
    grid.put(row, 1, "预期目标", cs=3)
    grid.put(row, 4, "实际完成情况", cs=4)
    expected = figure("goal.expected", "预期目标", spec.expected, None, None, "", "text")
    grid.put(row + 1, 1, spec.expected, cs=3, fig=expected)
    achieved = figure("goal.achieved", "实际完成情况", spec.achieved, None, None, "", "text")
    grid.put(row + 1, 4, spec.achieved, cs=4, fig=achieved)
    row = _indicator_rows(grid, row + 2, spec)
    grid.put(row, 0, "总分", cs=5, bold=True)
    raw, val, dec = fmt.percent(spec.total_points, strip=True, sign=False)
    grid.put(row, 5, raw, fig=figure("evaluation.total_points", "总分", raw, val, dec, "分", "score", year=y))
    raw, val, dec = fmt.percent(spec.total_score, strip=True, sign=False)
    grid.put(
        row, 6, raw, fig=figure("evaluation.total_score", "自评得分", raw, val, dec, "分", "score", year=y)
    )
    text = f"自评等级：{spec.grade}"
    grid.put(row, 7, text, fig=figure("evaluation.grade", "自评等级", spec.grade, None, None, "", "text"))
    return grid


def _split_cell(
    grid: Grid,
    row: int,
    col: int,
    cs: int,
    head: str,
    label: str,
    total: Decimal,
    names: tuple,
    parts: dict[str, Decimal],
    year: int,
) -> None:
    records = [money_fig(label, head, total, "value", "executed", year)]
    lines = [f"{head}：{records[0]['raw']}"]
    for i, (key, part_label, subject) in enumerate(names):
        record = money_fig(part_label, subject, parts[key], "value", "executed", year)
        records.append(record)
        lines.append(f"{'其中：' if i == 0 else ''}{subject}：{record['raw']}")
    grid.put(row, col, "\n".join(lines), cs=cs, figs=records)


def _indicator_rows(grid: Grid, row: int, spec: Annex2Spec) -> int:
    heads = (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )
    for i, head in enumerate(heads):
        grid.put(row, i, head, bold=True)
    row += 1
    items = spec.indicators
    for i, ind in enumerate(items):
        if i == 0 or items[i - 1].level1 != ind.level1:
            grid.put(row, 0, ind.level1, rs=sum(1 for x in items if x.level1 == ind.level1))
        if i == 0 or (items[i - 1].level1, items[i - 1].level2) != (ind.level1, ind.level2):
            grid.put(
                row,
                1,
                ind.level2,
                rs=sum(1 for x in items if (x.level1, x.level2) == (ind.level1, ind.level2)),
            )
        path = f"{ind.level1}/{ind.level2}/{ind.name}"
        grid.put(row, 2, ind.name)
        if ind.name == "……":  # template filler row left as is
            for col in range(3, 8):
                grid.put(row, col, "")
            row += 1
            continue
        for col, label, text, role in (
            (3, "indicator.target", ind.target, "target"),
            (4, "indicator.actual", ind.actual, "actual"),
        ):
            grid.put(
                row,
                col,
                text,
                fig=figure(label, ind.name, text, None, None, "", "text", role, row_label=path),
            )
        for col, label, value in ((5, "indicator.points", ind.points), (6, "indicator.score", ind.score)):
            raw, val, dec = fmt.percent(value, strip=True, sign=False)
            grid.put(row, col, raw, fig=figure(label, ind.name, raw, val, dec, "分", "score", row_label=path))
        grid.put(row, 7, ind.reason or NULL)
        row += 1
    return row
