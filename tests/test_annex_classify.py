"""Which table is which: titles (damaged ones too), header words, continuation, file names,
附件1/附件一 numbering; other tables stay "other" and give no facts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor.annex import classify_table, extract_annex_facts
from extractor.model import Block, BlockKind, Cell, Document, Format, Table

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "annex"))

import annex_layouts as L  # noqa: E402

PLAIN = [["序号", "项目", "金额"], ["1", "办公楼维修", "12.00"]]


def grid_table(rows: list[list[str]], index: int = 0, caption: str | None = None, after_block: int = -1) -> Table:
    cells = tuple(Cell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row))
    return Table(index=index, n_rows=len(rows), n_cols=len(rows[0]), cells=cells, caption=caption,
                 after_block=after_block)


def doc_of(*tables: Table, blocks: tuple[str, ...] = (), source: str = "report.docx") -> Document:
    made = tuple(Block(index=i, kind=BlockKind.PARAGRAPH, text=t) for i, t in enumerate(blocks))
    return Document(source=source, format=Format.DOCX, sha256="0" * 64, blocks=made, tables=tables)


@pytest.mark.parametrize("caption, kind", [
    ("附件1 部门整体支出绩效评价基础数据表", "basic_data"),
    ("附件一：部门整体支出绩效评价基 础 数 据 表", "basic_data"),
    ("部門整體支出績效評價基礎數據表", "basic_data"),
    ("附件2 部门整体支出绩效自评表（2024年度", "self_eval"),
    ("部門整體支出績效自評表", "self_eval"),
    ("附件3 项目支出绩效自评表", "project_self_eval"),
    ("项 目 支 出 绩 效 自 评 表(2024年度)", "project_self_eval"),
])
def test_titles_win_even_when_damaged(caption, kind):
    table = grid_table(PLAIN, caption=caption)
    assert classify_table(table, doc_of(table)) == kind


def test_title_row_inside_the_table_as_in_xlsx():
    table = L.to_table(L.Layout("t", "", "", 3, [[("部门整体支出绩效评价基础数据表", 3)], *PLAIN]))
    assert classify_table(table, doc_of(table)) == "basic_data"


def test_title_in_the_blocks_just_above_the_table():
    table = grid_table(PLAIN, after_block=2)
    doc = doc_of(table, blocks=("七、下一步改进措施", "附件2", "部门整体支出绩效自评表"))
    assert classify_table(table, doc) == "self_eval"


def test_a_line_naming_both_annexes_is_ambiguous_and_header_words_decide():
    basic = L.to_table(L.BASIC_DATA, index=0, after_block=0)
    doc = doc_of(basic, blocks=("附件：1.部门整体支出绩效评价基础数据表 2.部门整体支出绩效自评表",))
    assert classify_table(basic, doc) == "basic_data"


@pytest.mark.parametrize("layout, kind", [
    (L.BASIC_DATA, "basic_data"), (L.SELF_EVAL, "self_eval"), (L.NATIONAL, "project_self_eval"),
    (L.YUNNAN, "self_eval"), (L.SICHUAN, "self_eval"), (L.CHONGQING, "self_eval"), (L.TEMPLATE, "basic_data"),
])
def test_header_words_alone_recognise_every_layout(layout, kind):
    table = L.to_table(layout)  # no caption, no title anywhere
    assert classify_table(table, doc_of(table)) == kind


def test_traditional_header_words():
    rows = [["財政供養人員情況", "編制數", "2024年實際在職人數", "控制率"], ["", "10", "9", "90%"],
            ["經費控制情況（萬元）", "2023年決算數", "2024年預算數", "2024年決算數"]]
    table = grid_table(rows)
    doc = doc_of(table)
    assert classify_table(table, doc) == "basic_data"
    assert {f.label for f in extract_annex_facts(doc)} == {"staff.authorized", "staff.active", "staff.control_rate"}


def test_continuation_without_title_or_words_takes_the_previous_kind():
    first = L.to_table(L.NATIONAL, index=0, caption="项目支出绩效自评表", after_block=0)
    rest = grid_table([["效益指标", "社会效益指标", "林火发生率", "≤1‰", "0.5‰", "10", "10", "", ""]],
                      index=1, after_block=0)
    doc = doc_of(first, rest, blocks=("附件3",))
    assert classify_table(rest, doc) == "project_self_eval"
    indicator_only = grid_table([["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"]], index=1, after_block=0)
    assert classify_table(indicator_only, doc_of(first, indicator_only, blocks=("附件3",))) == "project_self_eval"


def test_file_name_and_annex_number_are_the_weakest_evidence():
    table = grid_table(PLAIN)
    assert classify_table(table, doc_of(table, source="清溪县林业局/附件2 自评表.xlsx")) == "self_eval"
    assert classify_table(table, doc_of(table, source="２０２４年附件１基础数据表.pdf")) == "basic_data"
    numbered = grid_table(PLAIN, caption="附件一")
    assert classify_table(numbered, doc_of(numbered)) == "basic_data"
    numbered = grid_table(PLAIN, caption="附件2")
    assert classify_table(numbered, doc_of(numbered)) == "self_eval"


def test_ordinary_tables_are_other_and_give_no_facts():
    table = grid_table([["项目", "2023年", "2024年"], ["基本支出", "2500.00", "2348.75"], ["项目支出", "3376.18", "1441.77"]])
    doc = doc_of(table, blocks=("二、一般公共预算支出情况",))
    assert classify_table(table, doc) == "other"
    assert extract_annex_facts(doc) == []


def test_header_words_alone_do_not_claim_a_narrative_table_before_the_annex_heading():
    words = [["项目", "2023年决算数", "2024年决算数"], ["三公经费", "11.81", "6.35"], ["公用经费", "420.55", "409.13"],
             ["政府采购金额", "80.00", "55.50"]]
    blocks = (Block(0, BlockKind.HEADING, "二、一般公共预算支出情况"), Block(1, BlockKind.HEADING, "附件", annex=True))
    narrative = Table(index=0, n_rows=4, n_cols=3, after_block=0,
                      cells=tuple(Cell(r, c, t) for r, row in enumerate(words) for c, t in enumerate(row)))
    annex = Table(**{**{name: getattr(narrative, name) for name in narrative.__slots__}, "index": 1,
                     "after_block": 1, "annex": True})
    doc = Document(source="r.docx", format=Format.DOCX, sha256="", blocks=blocks, tables=(narrative, annex))
    assert classify_table(narrative, doc) == "other"
    assert classify_table(annex, doc) == "basic_data"
