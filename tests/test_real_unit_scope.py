"""A unit header holds for the bare numbers after it until the next header; the indicator
columns of a 自评表 flattened into one paragraph (棠溪, a real 项目支出绩效自评表) end it."""

from __future__ import annotations

from decimal import Decimal

TANGXI = ("项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 "
          "其中:本年财政拨款 90 89.974 89.974 上年结转资金 其他资金 绩效指标 一级指标 二级指标 三级指标 "
          "年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 产出指标(50分) 数量指标 "
          "基建工程委托业务项目数量 ≥50个 50 8 8 质量指标 委托业务报告合格率 ≥100百分比 100 8 8")


def test_bare_numbers_take_the_unit_only_up_to_the_indicator_header(read_parts):
    facts = read_parts(TANGXI).facts
    grant = [f for f in facts if f.raw in ("90", "89.974")]
    assert [(f.value, f.unit) for f in grant] == [(Decimal(900000), "元"), (Decimal("899740"), "元"),
                                                  (Decimal("899740"), "元")]
    after = TANGXI.index("年度指标值")
    assert not [f.raw for f in facts if f.locator.char_start > after and f.unit == "元"]


def test_a_flattened_indicator_row_is_read_in_column_order(read_parts):
    """"≥50个 50 8 8": target, 实际完成值 in the target's unit, 分值, 得分."""
    facts = [f for f in read_parts(TANGXI).facts if f.rule_id.startswith("annex.flat_national.")]
    rows = [(f.raw, f.label.removeprefix("indicator."), f.value, f.unit) for f in facts]
    assert rows == [
        ("50个", "target", 50, "个"), ("50", "actual", 50, "个"), ("8", "points", 8, "分"), ("8", "score", 8, "分"),
        ("100百分比", "target", 100, "%"), ("100", "actual", 100, "%"), ("8", "points", 8, "分"),
        ("8", "score", 8, "分"),
    ]


def test_two_headers_in_one_paragraph_each_hold_until_the_next(read_parts):
    facts = read_parts("表一（单位：万元）收入 12.5 支出 10 表二（单位：元）结余 250").facts
    assert {f.raw: f.value for f in facts} == {"12.5": Decimal(125000), "10": Decimal(100000),
                                                 "250": Decimal(250)}
