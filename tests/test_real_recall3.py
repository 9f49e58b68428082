"""More real figures found, each with the subject a reader names (issue 12), on the real
sentences of tests/reference/real/ (the text and line named at each constant), read from
real DOCX files: a flattened 自评表 row named by its indicator cell, the 分值/得分 of a 其中 row
of 资金情况 that no annex reader takes, a measure named by the noun it is an attribute of,
a noun written after a direction word, and 项目为一个."""

import sys
from pathlib import Path

from extractor.extract import extract_documents
from extractor.model import Kind
from extractor.readers import read_document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from real_docs import build_real_docx

# anhui_guichi_tangxi_wtyw_xmzc_2022, line 1 (its 自评表 flattened into one line, cells spaced)
TANGXI = ("绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 产出指标(50分) "
          "数量指标 基建工程委托业务项目数量 ≥50个 50 8 8 质量指标 委托业务报告合格率 ≥100百分比 100 8 8 "
          "经费支出合规性 严格执行相关制度规定 达成预期指标 8 8 时效指标 提交报告及时性 在项目计划完成时间内完成 "
          "达成预期指标 8 8 社会效益指标 对维护基建市场公平的影响程度 效果明显 达成预期指标 10 10")
# hainan_xiuying_swj_xjzj_2022, line 19
XIUYING = ("完成年度建设项目1个,主要建设内容为新建300米深机井1座,新建20米100吨水塔1座,设备房1间(3.0m×3.0m),"
           "潜水泵2台,配套Ф160PVC干管管长1100m、Ф110PVC分干管管长1100m及其他配套设施,并新增低压电线50m等。")
# ningxia_yuanzhou_njzx_mlszs_xmzc_2022, line 4 (a measure whose next words are the next cell's)
YUANZHOU = "共计建成原种繁育基地1250亩,平均亩产马铃薯原种2500公斤绩效指标一级指标二级指标"
# hunan_leiyang_sizhong_zxzj_2022, line 2
LEIYANG = "(一)项目基本概况我校2022年项目为一个:生均公用经费项目(二)资金及项目绩效目标"


def subjects(extraction, raw):
    return [f.subject for f in extraction.facts if f.raw == raw]


def test_a_spaced_indicator_row_is_named_by_its_indicator_cell(read_parts):
    facts = [f for f in read_parts(TANGXI).facts if f.rule_id.startswith("annex.flat_national.")]
    named = [(f.raw, f.subject) for f in facts]
    assert named[:4] == [("50个", "基建工程委托业务项目数量")] + [(r, "基建工程委托业务项目数量") for r in ("50", "8", "8")]
    assert {s for _, s in named} == {"基建工程委托业务项目数量", "委托业务报告合格率", "经费支出合规性",
                                     "提交报告及时性", "对维护基建市场公平的影响程度"}
    # the 年度指标值 / 实际完成值 written in words are not the name; the scores stay labelled
    assert [(f.label, f.subject) for f in facts if f.subject == "经费支出合规性"] == \
        [("indicator.points", "经费支出合规性"), ("indicator.score", "经费支出合规性")]


def test_a_glued_row_without_cell_spaces_keeps_the_narrative_subject(read_parts):
    """The Chongqing copy has no spaces between cells: no cell names the row, its subject stays."""
    text = ("指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标"
            "财政供养人员控制率%定量指标100%92%100%22否")
    facts = [f for f in read_parts(text).facts if f.rule_id.startswith("annex.flat_chongqing.")]
    assert len(facts) == 5 and len({f.subject for f in facts}) == 1
    assert facts[0].subject.endswith("人员控制率") and "定量指标" not in facts[0].subject


def test_the_scores_of_a_funding_part_row_are_read_by_the_grid(tmp_path, narrative):
    """anhui_xiaoxian_zhangzhuangzhai_zybt_xmzc_2023 line 8: 其中:本年财政拨款 | 9.48 | 9.48 | 10 | 100% | 10."""
    path, _ = build_real_docx("anhui_xiaoxian_zhangzhuangzhai_zybt_xmzc_2023", tmp_path / "zzz.docx")
    ex = extract_documents([read_document(path, tmp_path)], narrative)
    grid = [f for f in ex.facts if f.rule_id == "grid.generic" and f.row_label == "其中:本年财政拨款"]
    assert [(f.col_label, f.value, f.unit, f.kind) for f in grid] == [("分值", 10, "分", Kind.SCORE),
                                                                     ("得分", 10, "分", Kind.SCORE)]
    assert not [u for u in ex.unaccounted if u.locator.table == 0 and u.locator.row == 7]


def test_a_measure_is_named_by_the_counted_noun_after_it(read_parts):
    ex = read_parts(XIUYING)
    assert subjects(ex, "300米") == ["深机井"]
    assert subjects(ex, "20米") == subjects(ex, "100吨") == ["水塔"]
    assert subjects(ex, "1100m") == ["PVC干管管长", "PVC分干管管长"]  # no noun after: the words before


def test_a_noun_after_a_direction_word_names_the_figure(read_parts):
    ex = read_parts(XIUYING)
    added = [f for f in ex.facts if f.raw == "50m"][0]
    assert (added.subject, added.of) == ("低压电线", None)  # not a change of the pipe before it


def test_a_measure_before_the_next_cells_words_keeps_its_own(read_parts):
    assert subjects(read_parts(YUANZHOU), "2500公斤") == ["平均亩产马铃薯原种"]


def test_a_change_on_last_year_keeps_what_it_changes(read_parts):
    ex = read_parts("2023年一般公共预算支出120万元，比上年增加10万元。")
    increase = [f for f in ex.facts if f.raw == "10万元"][0]
    assert increase.of == [f for f in ex.facts if f.raw == "120万元"][0].id


def test_one_project_before_a_colon_is_a_count(read_parts):
    one = [f for f in read_parts(LEIYANG).facts if f.raw == "一个"]
    assert [(f.value, f.unit, f.kind) for f in one] == [(1, "个", Kind.COUNT)]
    assert "项目" in one[0].subject


# ningxia_yuanzhou_njzx_mlszs_xmzc_2022, line 4 (OCR: cells run together; 分值 before 年度指标值)
NINGXIA = ("绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及改进措施产出指标(40分)数量指标"
           "指标1免费发放原原种8550万粒550万粒8指标2企业自行采购8200万粒200万粒8")
# ningxia_yuanzhou_njzx_mlszs_xmzc_2022, line 5 (the table continues in the next paragraph)
NINGXIA_NEXT = ("社会效益指标指标1一级种薯推广面积占总面积比例880%^80%8指标2群众对脱毒种薯和主食化专用品种的认知度"
                "8250%5=50%8生态效益指标1病害减少,防治病虫害使用的化学农药量较上年减少82%2%8可持续影响指标")


def test_points_glued_to_a_target_the_next_cell_repeats_are_split(read_parts):
    facts = read_parts(NINGXIA, NINGXIA_NEXT).facts
    rows = [(f.raw, f.kind.value, f.value, f.subject) for f in facts if "免费发放" in f.subject]
    assert rows == [("8", "score", 8, "免费发放原原种"), ("550万粒", "count", 5500000, "免费发放原原种"),
                    ("550万粒", "count", 5500000, "免费发放原原种"), ("8", "score", 8, "免费发放原原种")]
    shares = [(f.raw, f.value, f.subject) for f in facts if f.subject == "一级种薯推广面积占总面积比例"]
    assert shares == [("8", 8, "一级种薯推广面积占总面积比例"), ("80%", 80, "一级种薯推广面积占总面积比例"),
                      ("80%", 80, "一级种薯推广面积占总面积比例"), ("8", 8, "一级种薯推广面积占总面积比例")]
    assert [f.raw for f in facts if "化学农药量" in f.subject] == ["8", "2%", "2%", "8"]
    # "8250%5=50%": no unique reading (a digit between the two), left as read
    assert "8250%" in [f.raw for f in facts]


def test_an_indicator_list_number_is_no_figure(read_parts):
    facts = read_parts(NINGXIA).facts
    assert not [f for f in facts if f.raw in ("1", "2")]


def test_points_are_not_split_outside_a_points_first_table(read_parts):
    """Without the 分值 年度指标值 全年实际值 得分 header, "8550万粒550万粒" stays as written."""
    facts = read_parts("免费发放原原种8550万粒550万粒。").facts
    assert [f.raw for f in facts] == ["8550万粒", "550万粒"]


def test_a_points_cell_of_its_own_in_a_known_form_is_read(tmp_path, narrative):
    """anhui_xiaoxian_yanglou_zybt_xmzc_2023 line 28: the 一级指标's "(50分)" in a cell of its own."""
    path, _ = build_real_docx("anhui_xiaoxian_yanglou_zybt_xmzc_2023", tmp_path / "yanglou.docx")
    ex = extract_documents([read_document(path, tmp_path)], narrative)
    fifty = [f for f in ex.facts if f.raw == "50分"]
    assert [(f.value, f.kind, f.locator.table) for f in fifty] == [(50, Kind.SCORE, 0)]
    assert not [u for u in ex.unaccounted if "50" in u.raw]


def test_a_total_score_before_the_next_cell_is_read(read_parts):
    """ningxia_yuanzhou_njzx_mlszs_xmzc_2022 line 2: 分 then 项目名称 (分项 is a sub-item only without 目)."""
    facts = read_parts("马铃薯冲薯繁育示范推广项目绩效目标自评表(2022年度)项目总得分99分项目名称碟令薯樽轴示施项目").facts
    assert [(f.raw, f.kind, f.subject) for f in facts] == [("99分", Kind.SCORE, "项目总得分")]


# anhui_guichi_tangxi_wtyw_xmzc_2022, line 1 (the 项目资金 rows of the same flattened form)
TANGXI_FUNDS = ("项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 "
                "其中:本年财政拨款 90 89.974 89.974 上年结转资金 其他资金 年度总体目标 预期目标 实际完成情况 "
                "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
                "30万元用于基建工程项目设计、规划、测绘。")


def test_flattened_funding_rows_fill_their_columns_in_order(read_parts):
    facts = read_parts(TANGXI_FUNDS).facts
    row = [(f.raw, f.value, f.unit, f.subject) for f in facts][:9]
    assert row == [("0", 0, "元", "年度资金总额"), ("0", 0, "元", "年度资金总额"), ("0", 0, "元", "年度资金总额"),
                   ("10", 10, "分", "年度资金总额分值"), ("0", 0, "%", "年度资金总额执行率"),
                   ("0", 0, "分", "年度资金总额得分"), ("90", 900000, "元", "本年财政拨款"),
                   ("89.974", 899740, "元", "本年财政拨款"), ("89.974", 899740, "元", "本年财政拨款")]


def test_a_funding_part_row_is_part_of_its_column_total_not_of_the_prose_after_it(read_parts):
    facts = read_parts(TANGXI_FUNDS).facts
    by_id = {f.id: f for f in facts}
    totals = [f for f in facts if f.subject == "年度资金总额"]
    grants = [f for f in facts if f.subject == "本年财政拨款"]
    assert [by_id[g.part_of].id for g in grants] == [t.id for t in totals]  # column by column
    applied = [f for f in facts if f.raw == "90万元"][0]
    assert applied.part_of is None  # the prose after the rows is no part of 年度资金总额
    assert [by_id[f.part_of].raw for f in facts if f.raw == "30万元"] == ["90万元"] * 3


# hunan_yuhua_fgj_2022, lines 3-4 (dev): a flattened 评价指标表 whose row broke into two paragraphs
YUHUA_3 = "5“三公经费”变动率8“三公经费”变动率至0,计8分;"
YUHUA_4 = ("2、“三公经费”0,每超过一个百分点扣0.8分,扣完为止。“在公经费”变动率=(本年度三公经费”预算数-上年度“三公经费”预算数)"
           "/上年度“三公经费”预算数X100%8过程61")


def test_a_scoring_rule_split_into_two_paragraphs_keeps_its_indicator(read_parts):
    ex = read_parts(YUHUA_3, YUHUA_4)
    assert subjects(ex, "一个百分点") == ["“三公经费”变动率"]
    assert subjects(ex, "0.8分") == ["“三公经费”变动率"]


def test_the_times_100_percent_of_a_formula_is_no_figure(read_parts):
    ex = read_parts(YUHUA_4, "在职人员控制率=(在职人员数/编制数)100%,在职人员数:部门实际在职人数。")
    assert "100%" not in [f.raw for f in ex.facts]
    assert sorted(n.reason for n in ex.non_quantities if "100" in n.raw) == ["formula", "formula"]
    kept = read_parts("预算执行率为100%，完成率(含追加)100%。").facts
    assert [f.raw for f in kept] == ["100%", "100%"]


# anhui_xiaoxian_yanglou_zybt_xmzc_2023, lines 14-18 and 20, as a PDF copy gives them: one paragraph a line
YANGLOU_LINES = ("(万元)", "全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分", "年度资金总额: 8.408 8.408 10 100.00% 10",
                 "其中:本年财政拨款 8.408 8.408 10 100.00% 10", "      其他资金 0 0",
                 "以产业补助的形式对64户脱贫户进行补助,鼓励发展特色产业,激发脱贫人口内生动力,增加脱贫户收入10.9304万元。")


def test_funding_rows_on_lines_of_their_own_take_the_header_lines_columns(read_parts):
    facts = read_parts(*YANGLOU_LINES).facts
    by_id = {f.id: f for f in facts}
    rows = [(f.raw, f.value, f.unit, f.subject) for f in facts][:5]
    assert rows == [("8.408", 84080, "元", "年度资金总额"), ("8.408", 84080, "元", "年度资金总额"),
                    ("10", 10, "分", "年度资金总额分值"), ("100.00%", 100, "%", "年度资金总额执行率"),
                    ("10", 10, "分", "年度资金总额得分")]
    assert not [f for f in facts if f.raw == "10" and f.unit == "元"]  # no 10万元 scores
    grant = [f for f in facts if f.subject == "本年财政拨款"]
    assert [by_id[f.part_of].subject for f in grant] == ["年度资金总额", "年度资金总额"]
    assert [f.subject for f in facts if f.raw == "64户"] == ["脱贫户"]  # the prose after the rows is prose


# anhui_xiaoxian_yanglou_zybt_xmzc_2023, lines 23, 29, 30 and 41, one paragraph a line (a PDF copy)
YANGLOU_INDICATORS = ("二级指标 三级指标 分值 年度指标值 全年实际值 得分 未完成原因及拟采取的改进措施",
                      "数量指标 ★补助各类粮食作物种植面积 10 10", "        红薯种植面积 5.5亩 5.5亩",
                      "质量指标 ★种植作物成活率 10 9")


def test_an_indicator_header_line_gives_its_points_to_the_rows_below(read_parts):
    facts = read_parts(*YANGLOU_INDICATORS).facts
    scores = [(f.raw, f.value, f.unit) for f in facts if f.kind is Kind.SCORE]
    assert scores == [("10", 10, "分"), ("10", 10, "分"), ("10", 10, "分"), ("9", 9, "分")]
    assert all(f.subject.endswith("种植作物成活率") for f in facts if f.raw == "9")


def test_the_header_lines_points_end_at_prose(read_parts):
    facts = read_parts(YANGLOU_INDICATORS[0], "本项目由镇政府组织实施，资金全部到位，预计明年扩大到8户。",
                       "明年计划扩大到 12 户以上的规模 8").facts
    assert not [f for f in facts if f.rule_id == "quantity.BARE"]


def test_an_enumerator_is_no_part_of_the_subject(read_parts):
    """ningxia_yuanzhou_njzx_mlszs_xmzc_2022 line 4: 一是…，二是企业自行采购马铃薯原原种200万粒."""
    ex = read_parts("一是通过政府招标采购方式,采购马铃薯原原种425万粒;二是企业自行采购马铃薯原原种200万粒,建成原种基地400亩。")
    assert subjects(ex, "200万粒") == ["企业自行采购马铃薯原原种"]
    assert subjects(ex, "425万粒") == ["采购马铃薯原原种"]


def test_a_short_prose_line_after_a_table_is_no_row(read_parts):
    """A sentence then more words ends the flattened table: its bare number is no 得分."""
    ex = read_parts(YANGLOU_INDICATORS[0], "本项目由镇政府组织实施，资金全部到位。预计明年扩大到8")
    assert not [f for f in ex.facts if f.raw == "8"]
    assert [u.raw for u in ex.unaccounted] == ["8"]  # said, not dropped
