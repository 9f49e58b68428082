from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.checks import intervals as iv
from extractor.model import Fact, Interval, Kind, Locator


def _fact(value: str, decimals: int | None) -> Fact:
    return Fact(
        id="f",
        label="",
        subject="",
        kind=Kind.AMOUNT,
        value=D(value),
        unit="元",
        raw=value,
        decimals=decimals,
        locator=Locator(source="r.docx", block=0),
    )


def test_fact_interval_from_written_precision():
    # 2348.75万元 = 23487500 元, known to the 100 元 -> ±50 元
    assert iv.fact_interval(_fact("23487500", -2)) == Interval(D(23487450), D(23487550))
    assert iv.fact_interval(_fact("22.26", 2)) == Interval(D("22.255"), D("22.265"))
    assert iv.fact_interval(_fact("108", None)) == Interval(D(108), D(108))
    people = Fact(
        id="p",
        label="",
        subject="",
        kind=Kind.HEADCOUNT,
        value=D(108),
        unit="人",
        raw="108人",
        decimals=0,
        locator=Locator(source="r.docx"),
    )
    assert iv.fact_interval(people) == Interval(D(108), D(108))  # people are counted, not rounded
    many = Fact(
        id="m",
        label="",
        subject="",
        kind=Kind.HEADCOUNT,
        value=D(23500),
        unit="人",
        raw="2.35万人",
        decimals=-2,
        locator=Locator(source="r.docx"),
    )
    assert iv.fact_interval(many) == Interval(D(23450), D(23550))


def test_add_sub_mul_div():
    a, b = Interval(D(1), D(2)), Interval(D(3), D(5))
    assert iv.add(a, b) == Interval(D(4), D(7))
    assert iv.sub(a, b) == Interval(D(-4), D(-1))
    assert iv.mul(a, Interval(D(-1), D(2))) == Interval(D(-2), D(4))
    assert iv.div(Interval(D(6), D(10)), Interval(D(2), D(3))) == Interval(D(2), D(5))
    with pytest.raises(ZeroDivisionError):
        iv.div(a, Interval(D(-1), D(1)))


def test_share_of_yiyang_project_item_meets_its_printed_share():
    # 23.57万元 of 1441.77万元 = 1.6348%: rounds to 1.63, printed 1.64 — the intervals still meet
    share = iv.share(iv.around(D(235700), -2), iv.around(D(14417700), -2))
    assert iv.meet(share, iv.around(D("1.64"), 2))
    assert not iv.meet(share, iv.around(D("1.66"), 2))


def test_meet_and_distance():
    a, b = Interval(D(1), D(2)), Interval(D(2), D(3))
    assert iv.meet(a, b) and iv.distance(a, b) == 0
    c = Interval(D("2.5"), D(4))
    assert not iv.meet(a, c)
    assert iv.distance(a, c) == D("0.5") == iv.distance(c, a)


def test_change_rate():
    rate = iv.change_rate(iv.exact(D(110)), iv.exact(D(100)))
    assert rate == Interval(D(10), D(10))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=2, max_size=8), st.integers(0, 4))
def test_correctly_rounded_parts_meet_their_rounded_total(cents, places):
    """Round each part and the exact total at `places`: the intervals always meet."""
    exact = [D(c).scaleb(-6) for c in cents]
    q = D(1).scaleb(-places)
    parts = [iv.around(x.quantize(q), places) for x in exact]
    total = iv.around(sum(exact).quantize(q), places)
    assert iv.meet(iv.total(parts), total)
