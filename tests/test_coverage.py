import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Block, BlockKind, Document, Format
from extractor.narrative.coverage import coverage_ratio, digit_runs
from extractor.narrative.facts import NarrativeExtractor, scan_text

EXTRACTOR = NarrativeExtractor()


@pytest.fixture(scope="module")
def extractor() -> NarrativeExtractor:
    return EXTRACTOR


def run(extractor, *texts: str):
    blocks = tuple(Block(i, BlockKind.PARAGRAPH, t) for i, t in enumerate(texts))
    return extractor.extract(Document("c.docx", Format.DOCX, "0" * 64, blocks=blocks))


def test_digit_runs_count_written_numbers():
    assert digit_runs("2,348.75万元，2024年12月") == [(0, 8), (11, 15), (16, 18)]
    assert digit_runs("２０２４年") == [(0, 4)]  # full-width digits are digits too
    assert coverage_ratio(0, 0) == 1.0 and coverage_ratio(10, 1) == 0.9


@pytest.mark.parametrize(
    ("text", "raw", "reason"),
    [
        ("根据益财绩〔2024〕5号文件要求", "〔2024〕5号", "document_number"),
        ("2025年4月15日", "2025年4月15日", "date"),
        ("2024年7月，中心调整相关政策", "2024年7月", "date"),
        ("无需补缴2021年-2023年基础绩效奖", "2021年-2023年", "year"),
        ("2024年度部门整体支出", "2024年度", "year"),
        ("开通12329服务热线", "12329", "hotline"),
        ("1.归集缴存。", "1.", "section_number"),
        ("1-12月，住房公积金业务收入", "1-12月", "range"),
        ("第3季度", "第3", "ordinal"),
        ("咨询电话0737-4221234", "0737-4221234", "phone"),
        ("统一社会信用代码430900123456", "430900123456", "code"),
    ],
)
def test_non_quantities_are_classified(extractor, text, raw, reason):
    result = run(extractor, text)
    assert [(n.raw, n.reason) for n in result.non_quantities] == [(raw, reason)]
    assert result.facts == () and result.unaccounted == ()


def test_every_run_is_accounted_or_reported(extractor):
    result = run(extractor, "基本支出2348.75万元，完成率百分之九十五，编号A7，2024年度共开展3次检查。")
    assert result.digit_runs == 4
    assert [f.raw for f in result.facts] == ["2348.75万元", "百分之九十五", "3次"]
    assert [(u.raw, u.reason) for u in result.unaccounted] == [("7", "unaccounted")]
    assert result.unaccounted[0].locator.char_start == 27


def test_yiyang_like_paragraph_is_fully_covered(extractor):
    result = run(extractor, "4.资金风险。至2024年12月底，住房公积金个贷逾期率为0.02%。风险准备金余额22059.48万元。")
    assert result.digit_runs == 5 and result.unaccounted == ()
    assert len(result.facts) == 2 and len(result.non_quantities) == 2


def test_signs_and_spaced_years(extractor):
    result = run(extractor, "变动率为-5.6%，20 21年度支出总额100万元。")
    assert [(f.raw, str(f.value)) for f in result.facts] == [("-5.6%", "-5.6"), ("100万元", "1000000")]
    assert [(n.raw, n.reason) for n in result.non_quantities] == [("20 21年度", "year")]
    assert result.facts[1].year == 2021 and result.unaccounted == ()


ALPHABET = list("0123456789０１２３.,，．%％-—（）()：:；。、年月日万亿元人名个户笔分亩其中占比较上年减少增加同比共第号〔〕 ") + [
    "基本支出", "人员经费", "“三公”经费", "百分之五", "个百分点", "原因是", "退休", "合计", "如下：", "\n"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=40).map("".join))
def test_any_text_is_read_without_error_and_fully_accounted(text):
    result = run(EXTRACTOR, text)
    for fact in result.facts:
        assert text[fact.locator.char_start:fact.locator.char_end] == fact.raw
    for item in result.non_quantities + result.unaccounted:
        assert item.locator.char_start < item.locator.char_end
    covered = [(f.locator.char_start, f.locator.char_end) for f in result.facts]
    covered += [(n.locator.char_start, n.locator.char_end) for n in result.non_quantities + result.unaccounted]
    norm = scan_text(text)
    for start, end in digit_runs(norm):
        assert any(s <= start and end <= e for s, e in covered) or any(
            s < end and start < e for s, e in covered), (text, norm[start:end])
