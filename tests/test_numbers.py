from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Kind
from extractor.numbers import (
    format_amount,
    interval,
    normalize_digits,
    parse_number,
    parse_quantity,
    scale,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "decimals", "kind"),
    [
        ("2348.75万元", "23487500", "元", -2, Kind.AMOUNT),
        ("1,234.56元", "1234.56", "元", 2, Kind.AMOUNT),
        ("38.35亿元", "3835000000", "元", -6, Kind.AMOUNT),
        ("5070万元", "50700000", "元", -4, Kind.AMOUNT),
        ("７７．７３％", "77.73", "%", 2, Kind.PERCENT),
        ("22.26%", "22.26", "%", 2, Kind.PERCENT),
        ("8.03个百分点", "8.03", "个百分点", 2, Kind.PERCENT_POINT),
        ("2.35万人", "23500", "人", -2, Kind.HEADCOUNT),
        ("108人", "108", "人", 0, Kind.HEADCOUNT),
        ("86名", "86", "人", 0, Kind.HEADCOUNT),
        ("31 人", "31", "人", 0, Kind.HEADCOUNT),
        ("170个", "170", "个", 0, Kind.COUNT),
        ("2413户", "2413", "户", 0, Kind.COUNT),
        ("127笔", "127", "笔", 0, Kind.COUNT),
        ("10分", "10", "分", 0, Kind.SCORE),
        ("1.2万亩", "12000", "亩", -3, Kind.AREA),
        ("300㎡", "300", "㎡", 0, Kind.AREA),
        ("—178.27", "-178.27", "", 2, Kind.AMOUNT),
        ("百分之五", "5", "%", 0, Kind.PERCENT),
        ("百分之二十五点五", "25.5", "%", 1, Kind.PERCENT),
    ],
)
def test_parse_quantity_examples(text, value, unit, decimals, kind):
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.unit, q.decimals, q.kind, q.raw) == (Decimal(value), unit, decimals, kind, text)


def test_bare_number_takes_the_default_unit():
    q = parse_quantity("—178.27", default_unit="万元")
    assert (q.value, q.unit, q.decimals) == (Decimal(-1782700), "元", -2)


@pytest.mark.parametrize("text", ["—", "-", "/", "*", "……", "", "  ", "显著", "2024年"])
def test_nulls_and_non_numbers(text):
    assert parse_number(text) is None
    assert parse_quantity(text) is None


def test_parse_number_keeps_places():
    assert parse_number("2,348.75") == (Decimal("2348.75"), 2)
    assert parse_number("２，３４８．７５") == (Decimal("2348.75"), 2)
    assert parse_number("96") == (Decimal(96), 0)
    assert parse_number("151.10") == (Decimal("151.10"), 2)


def test_normalize_digits_keeps_length():
    text = "提取率为７７．７３％，共２，４１３户－"
    out = normalize_digits(text)
    assert len(out) == len(text)
    assert out == "提取率为77.73%,共2,413户-"


def test_interval_and_format():
    assert interval(Decimal(23487500), -2) == (Decimal(23487450), Decimal(23487550))
    assert interval(Decimal("77.73"), 2) == (Decimal("77.725"), Decimal("77.735"))
    assert interval(Decimal(5), None) == (Decimal(5), Decimal(5))
    assert format_amount(Decimal(23487500), -2) == "2348.75万元"
    assert format_amount(Decimal(3835000000), -6) == "38.35亿元"
    assert format_amount(Decimal(50700000), -4) == "5070万元"
    assert format_amount(Decimal("1234.56"), 2) == "1234.56元"
    assert format_amount(Decimal(72890), 0) == "72890元"


def test_scale_rejects_unknown_unit():
    assert scale(Decimal(1), 0, "斤") is None


_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _written(cents: int, places: int, grouped: bool) -> str:
    digits = str(cents).rjust(places + 1, "0")
    whole, frac = (digits[:-places], digits[-places:]) if places else (digits, "")
    if grouped:
        whole = f"{int(whole):,}"
    return whole + ("." + frac if frac else "")


@settings(max_examples=150, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**12),
    places=st.integers(min_value=0, max_value=4),
    unit=st.sampled_from([("元", 0), ("万元", 4), ("亿元", 8)]),
    grouped=st.booleans(),
    full_width=st.booleans(),
)
def test_amount_round_trip(cents, places, unit, grouped, full_width):
    number = _written(cents, places, grouped)
    text = number + unit[0]
    if full_width:
        text = text.translate(_FULL)
    q = parse_quantity(text)
    assert q is not None and q.kind is Kind.AMOUNT and q.unit == "元"
    assert q.decimals == places - unit[1]
    assert q.value == Decimal(cents).scaleb(-places).scaleb(unit[1])
    if unit[0] != "元" and places <= unit[1]:
        assert parse_quantity(format_amount(q.value, q.decimals)).value == q.value
