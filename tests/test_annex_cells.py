"""Cell values (nulls, units, minus, operators, per-unit rates, inline label values) and
the validation of patterns/annex.toml."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.annex.cells import inline_value, parse_amount, parse_indicator, unit_in_text
from extractor.annex.spec import load_annex_spec
from extractor.errors import PatternError
from extractor.model import Kind

SPEC = load_annex_spec()
PATTERNS = Path(__file__).resolve().parent.parent / "patterns"


@pytest.mark.parametrize("text", ["", " ", "—", "-", "/", "*", "……", "－", "／"])
def test_null_markers_are_none_never_zero(text):
    value = parse_amount(text, "万元", Kind.AMOUNT, SPEC)
    assert value.value is None and value.decimals is None and value.unit == "元"


@pytest.mark.parametrize("text, value, decimals", [
    ("2348.75", "23487500", -2), ("4753.66万元", "47536600", -2), ("38.35亿元", "3835000000", -6),
    ("1,234.56", "12345600", -2), ("—178.27", "-1782700", -2), ("５０７０", "50700000", -4),
    (" 0.54 ", "5400", -2), ("72890元", "72890", 0),
])
def test_amounts_in_the_column_unit_or_their_own(text, value, decimals):
    parsed = parse_amount(text, "万元", Kind.AMOUNT, SPEC)
    assert (parsed.value, parsed.decimals, parsed.unit) == (Decimal(value), decimals, "元")
    assert parsed.raw == text.strip() and text[parsed.start:parsed.end] == parsed.raw


def test_text_in_a_number_column_is_kept_as_text_not_a_value():
    parsed = parse_amount("详见附表", "万元", Kind.AMOUNT, SPEC)
    assert (parsed.value, parsed.text_value) == (None, "详见附表")


@pytest.mark.parametrize("text, operator, value, unit, kind", [
    ("≥95%", "≥", "95", "%", Kind.PERCENT),
    ("≤ 1.5%", "≤", "1.5", "%", Kind.PERCENT),
    ("﹦100%", "=", "100", "%", Kind.PERCENT),
    ("＝100%", "=", "100", "%", Kind.PERCENT),
    ("＞3次", ">", "3", "次", Kind.COUNT),
    ("<5天", "<", "5", "天", Kind.COUNT),
    ("1.2万亩", None, "12000", "亩", Kind.AREA),
    ("≥36亿元", "≥", "3600000000", "元", Kind.AMOUNT),
    ("每亩300", None, "300", "元/亩", Kind.AMOUNT),
    ("每亩300元", None, "300", "元/亩", Kind.AMOUNT),
    ("300元/亩", None, "300", "元/亩", Kind.AMOUNT),
    ("170个", None, "170", "个", Kind.COUNT),
    ("95%以上", "≥", "95", "%", Kind.PERCENT),
    ("不低于90%", "≥", "90", "%", Kind.PERCENT),
    ("１２０家", None, "120", "家", Kind.COUNT),
])
def test_indicator_values_parse_operator_value_and_unit(text, operator, value, unit, kind):
    parsed = parse_indicator(text, SPEC)
    assert (parsed.operator, parsed.value, parsed.unit, parsed.kind) == (operator, Decimal(value), unit, kind)
    assert parsed.raw == text.strip()


@pytest.mark.parametrize("text", ["显著", "达标", "良好", "有效提升", "2024年12月底前", "按时完成", "1-12月"])
def test_qualitative_indicator_values_are_text(text):
    parsed = parse_indicator(text, SPEC)
    assert (parsed.value, parsed.kind, parsed.text_value, parsed.operator) == (None, Kind.TEXT, text, None)


def test_yunnan_hints_give_operator_and_unit_to_bare_numbers():
    parsed = parse_indicator("1500", SPEC, operator_hint="≤", unit_hint="元")
    assert (parsed.operator, parsed.value, parsed.unit, parsed.kind) == ("≤", Decimal("1500"), "元", Kind.AMOUNT)
    assert parse_indicator("90", SPEC, operator_hint="定性", unit_hint="%").operator is None


def test_inline_value_after_the_colon_with_offsets():
    text = "按收入性质分：3790.52\n其中：一般公共预算：３７９０．５２\n政府性基金拨款：\n其他资金：—"
    start = text.index("一般公共预算：") + len("一般公共预算：")
    parsed = inline_value(text, start, "万元", Kind.AMOUNT, SPEC)
    assert (parsed.value, parsed.decimals) == (Decimal("37905200"), -2)
    assert text[parsed.start:parsed.end] == "３７９０．５２"
    blank = inline_value(text, text.index("拨款：") + 3, "万元", Kind.AMOUNT, SPEC)
    assert (blank.value, blank.raw) == (None, "")
    dash = inline_value(text, text.index("其他资金：") + 5, "万元", Kind.AMOUNT, SPEC)
    assert (dash.value, dash.raw, dash.text_value) == (None, "—", None)


@pytest.mark.parametrize("text, unit", [
    ("经费控制情况（万元）", "万元"), ("经费控制情况(万元", "万元"), ("单位：万元", "万元"), ("执行率(%)", "%"),
    ("批复规模（㎡）", "㎡"), ("得分(分)", "分"), ("控制率", None), ("年度预算申请（万元）", "万元"),
])
def test_units_written_in_headers_and_captions(text, unit):
    assert unit_in_text(text, SPEC) == unit


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2),
       st.sampled_from(["元", "万元", "亿元"]))
def test_amounts_round_trip_with_written_precision(amount, unit):
    text = f"{amount:.2f}"
    parsed = parse_amount(text.replace("-", "—"), unit, Kind.AMOUNT, SPEC)
    scale = {"元": 0, "万元": 4, "亿元": 8}[unit]
    assert parsed.value == amount.scaleb(scale) and parsed.decimals == 2 - scale


# ---- patterns/annex.toml validation -----------------------------------------------------
def _patterns_copy(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "patterns"
    shutil.copytree(PATTERNS, target)
    path = target / "annex.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


@pytest.mark.parametrize("edit, key", [
    (lambda s: s.replace('"公车购置" = "three_public.vehicle_purchase"', '"公车购置" = "three_public.purchase"'),
     "rows.spending.公车购置"),
    (lambda s: s.replace('match = "一级指标"', 'match = "一级指标("'), "columns["),
    (lambda s: s.replace('measure = "initial_budget"', 'measure = "opening"'), "measure"),
    (lambda s: s.replace('field = "staff.authorized"', 'field = "staff.authorised"'), "field"),
    (lambda s: s.replace('blocks = ["staff", "spending", "building"]', 'blocks = ["staff", "people"]'), "kinds.basic_data.blocks"),
    (lambda s: s.replace('inline_measure = "executed"', 'inline_measure = "spent"'), "funding.inline_measure"),
])
def test_bad_annex_data_names_file_and_key(tmp_path, edit, key):
    directory = _patterns_copy(tmp_path, edit)
    with pytest.raises(PatternError) as caught:
        load_annex_spec(directory)
    message = str(caught.value)
    assert "annex.toml" in message and key in message and message.startswith("[E201]")


def test_shipped_annex_data_loads_and_every_label_exists():
    spec = load_annex_spec()
    labels = set(spec.label_kinds)
    assert {c.field for c in spec.columns if c.field} <= labels
    assert {label for rows in spec.rows.values() for label in rows.values()} <= labels
    assert [k.name for k in spec.kinds] == ["basic_data", "project_self_eval", "self_eval"]
