"""Counts of animals, lamps and seeds and physical measures (lengths, weights, volumes) as real
project reports write them: read as figures with their written unit, never as loose digits."""

from __future__ import annotations

from extractor.model import Kind

LINCHENG = ("主要建设内容为道路建设141330平方米,路缘石6200米,边沟1200米;修缮小桥2座,拆除圬工共计114立方米;"
            "7个乡镇58个村庄1510盏路灯。")
XIUYING = ("完成年度建设项目1个,主要建设内容为新建300米深机井1座,新建20米100吨水塔1座,设备房1间(3.0m×3.0m),"
           "潜水泵2台,配套Ф160PVC干管管长1100m、Ф110PVC分干管管长1100m及其他配套设施,并新增低压电线50m等。")
YUANZHOU = "采购马铃薯原原种425万粒,免费向全区农户发放;平均亩产马铃薯原种2500公斤"


def found(extraction):
    return {f.raw: (f.kind, f.value, f.unit) for f in extraction.facts}


def test_lengths_volumes_and_lamps(read_parts):
    got = found(read_parts(LINCHENG))
    assert got["6200米"] == (Kind.MEASURE, 6200, "米") and got["114立方米"][0] is Kind.MEASURE
    assert got["1510盏"] == (Kind.COUNT, 1510, "盏")
    assert got["141330平方米"][0] is Kind.AREA  # 平方米 stays an area


def test_metres_written_as_m_and_tonnes(read_parts):
    extraction = read_parts(XIUYING)
    raws = sorted(f.raw for f in extraction.facts if f.kind is Kind.MEASURE)
    assert raws == ["100吨", "1100m", "1100m", "20米", "3.0m", "3.0m", "300米", "50m"]
    [pipe] = [f for f in extraction.facts if f.raw == "3.0m"][:1]
    assert pipe.decimals == 1


def test_animals_and_seeds_are_counts(read_parts):
    got = found(read_parts("猪养殖数量 80头,牛养殖数量 3头,鸡养殖数量 500只", YUANZHOU))
    assert got["80头"] == (Kind.COUNT, 80, "头") and got["500只"] == (Kind.COUNT, 500, "只")
    assert got["425万粒"] == (Kind.COUNT, 4250000, "粒")
    assert got["2500公斤"] == (Kind.MEASURE, 2500, "公斤")
