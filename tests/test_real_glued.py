"""Table rows a PDF or web copy ran together (issue 12), on lines copied from the real texts of
tests/reference/real/ (the file named in each test), read from a real DOCX: a glued run is split
only where one reading is certain, says so (rule_id glued.<how>), and otherwise stays counted."""

from decimal import Decimal

import pytest

from extractor.model import Kind

# hunan_xintian_jyj_2021 (traditional characters, pinyin reading aids, cells run together)
XINTIAN_STAFF = ["2021年實際在職人", "編制數控制率", "財政供養人員情況數", "877383.91%"]
XINTIAN_HEADER = "經(jīng)費控制情況2020年決算數2021年預算數2021年決算數"
XINTIAN_ROWS = ["三公經(jīng)費3.816343.7640", "1、公務用車購置和維護經(jīng)賽000", "學校圖書采購款128.33",
                "農(nóng)村義教學校企業(yè)供餐營養(yǎng)餐", "872.60", "政府采購金額479.8838.5414.65",
                "(高考獎)222.48820"]
# chongqing_liangping_lyj_2022_2023 (a flattened 部门整体绩效自评表)
LIANGPING = ("自评总分(分)97.93年初预算数全年(调整)预算数全年执行数执行率执行率权重执行率得分年度总金额.32.06.5"
             "其中财政拨款.32.06.579.27107.93年初绩效目标全年(调整)绩效目标全年目标实际完成情况维护林业、林区安全稳定,疫情发生面积和病死松树株树树实现双下降,森林火灾发生率为0;"
             "绩效指标指标名称计量单位指标性质指标值指标权重(分)全年完成值指标得分(分)说明天然林和公益林管护当期任务完成率"
             "%901010010国家级公益林管护面积万亩2810810")
# chongqing_kexuecheng_rmtzx_2021
KEXUECHENG = "全年执行数执行率(%)执行率权重执行率得分(分)O76%107.6当年绩效目标"
# hunan_yuhua_fgj_2022 (a flattened 部门整体支出绩效评价指标表)
YUHUA = ("部门整体支出绩效评价指标表级指标分值二级指标分值三级指标分值评价标准指标说明得分投入13预算配置13"
         "在职人员控制率5以100%为标准。编制数:机构编制部门核定批复的部门(单位)的人员编制数。5“三公经费”变动率8"
         "预算执行20预算完成率5100%计满分,每低于5%扣2分,扣完为止。预算控制率5预算控制率=0,计5分;10-20%(含),计3分")


@pytest.fixture
def read(read_parts):
    return read_parts


def glued(extraction, how):
    return [f for f in extraction.facts if f.rule_id == f"glued.{how}"]


def test_a_rate_and_its_two_counts_split_by_the_rate(read):
    facts = glued(read(*XINTIAN_STAFF), "ratio")
    assert [(f.raw, f.value, f.unit) for f in facts] == [
        ("87", Decimal("87"), "人"), ("73", Decimal("73"), "人"), ("83.91%", Decimal("83.91"), "%")]
    assert [f.subject for f in facts] == ["编制数", "在职人", "控制率"]  # 73 / 87 = 83.91 %: the base is 编制


def test_zero_cells_two_place_cells_and_lone_cells_under_a_column_header(read):
    ex = read(XINTIAN_HEADER, *XINTIAN_ROWS)
    zeros = glued(ex, "zeros")
    assert [f.value for f in zeros] == [0, 0, 0]
    assert {f.subject for f in zeros} == {"公務用車購置和維護經賽"}  # numbering and pinyin aids dropped
    assert [f.year for f in zeros] == [2020, 2021, 2021]  # the year over each column
    split = glued(ex, "decimals")
    assert [f.raw for f in split] == ["479.88", "38.54", "14.65"]
    assert {f.subject for f in split} == {"政府采購金額"}
    cells = {f.raw: f.subject for f in glued(ex, "cell")}
    assert cells == {"128.33": "學校圖書采購款", "872.60": "農村義教學校企業供餐營養餐"}  # its label wrapped above
    assert all(f.kind is Kind.AMOUNT and f.unit == "" for f in split + glued(ex, "cell"))  # no unit written: none given


def test_a_run_with_no_certain_reading_is_counted_not_guessed(read):
    ex = read(XINTIAN_HEADER, *XINTIAN_ROWS)
    unread = {n.raw for n in ex.unaccounted}
    assert {"3.816343.7640", "222.48820"} <= unread  # 3.81|6343.76|40? 222.48|820? no unique reading
    assert not [f for f in ex.facts if f.raw in ("3.81", "6343.76", "222.48")]


def test_rate_weight_score_and_an_indicator_row_of_a_chongqing_form(read):
    ex = read(LIANGPING)
    weighted = glued(ex, "weighted")
    assert [(f.raw, f.unit, f.subject) for f in weighted] == [
        ("79.27", "%", "执行率"), ("10", "分", "执行率权重"), ("7.93", "分", "执行率得分")]  # 79.27 × 10 / 100
    row = glued(ex, "indicator")
    assert [f.value for f in row] == [90, 10, 100, 10]  # 指标值 90, 权重 10, 完成值 100, 得分 10 (met, full score)
    assert {f.subject for f in row} == {"天然林和公益林管护当期任务完成率"}
    assert "2810810" in {n.raw for n in ex.unaccounted}  # 28|10|8|10 scores no full weight: not read
    zero = [f for f in ex.facts if f.rule_id == "quantity.PERCENT_AFTER_RATE"]
    assert [(f.value, f.unit, f.subject) for f in zero] == [(0, "%", "森林火灾发生率")]


def test_weight_and_score_glued_after_their_rate(read):
    facts = glued(read(KEXUECHENG), "weighted")
    assert [(f.raw, f.subject) for f in facts] == [("10", "执行率权重"), ("7.6", "执行率得分")]  # 76 × 10 / 100


def test_a_scored_indicator_table_flattened_into_prose(read):
    ex = read(YUHUA)
    pair = glued(ex, "score_percent")
    assert [(f.raw, f.kind, f.subject) for f in pair] == [
        ("5", Kind.SCORE, "预算完成率"), ("100%", Kind.PERCENT, "预算完成率")]  # 5100%: 分值 5, 100%计满分
    closing = glued(ex, "row_score")
    assert [(f.raw, f.subject) for f in closing] == [("5", "在职人员控制率")]  # the 得分 closing its row
    low = [f for f in ex.facts if f.rule_id == "quantity.PERCENT_RANGE_LOW"]
    assert [(f.raw, f.unit) for f in low] == [("10", "%")]


def test_prose_and_codes_are_not_split(read):
    ex = read("长沙市雨花区发展和改革局预算编码302001报告日期:2023年5月10日。", "全年增长1200%,详见附件2。")
    assert not [f for f in ex.facts if f.rule_id.startswith("glued.")]
    assert [f.value for f in ex.facts if f.unit == "%"] == [1200]
