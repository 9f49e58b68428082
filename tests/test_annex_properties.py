"""Properties over generated annex-like tables: the reader never crashes, never invents a
figure (every value comes from the digits at its locator), and is deterministic."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.annex import extract_annex_facts
from extractor.model import Cell, Document, Format, Table

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "annex"))

import annex_layouts as L  # noqa: E402

WORDS = ["部门整体支出绩效评价基础数据表", "部门整体支出绩效自评表", "经费控制情况（万元）", "2023年决算数",
         "2024年预算数", "2024年决算数", "编制数", "实际在职人数", "控制率", "三公经费：", "公车购置", "项目支出：",
         "公用经费", "……", "—", "/", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
         "年度资金总额", "按收入性质分：12.30", "其中：基本支出：4.5", "一级指标", "二级指标", "三级指标",
         "年度指标值", "实际完成值", "偏差原因分析及改进措施", "≥95%", "每亩300", "显著", "1.2万亩", "总分",
         "指标性质", "度量单位", "≤", "元", "预期目标", "实际完成情况", "自评等级：优"]
TEXTS = st.one_of(st.sampled_from(WORDS), st.decimals(min_value=-999, max_value=99999, places=2).map(str),
                  st.text(alphabet="０１２３４５６７８９.%万元亿—：:年 ", max_size=8))


@st.composite
def tables(draw) -> Table:  # type: ignore[no-untyped-def]
    n_rows, n_cols = draw(st.integers(1, 9)), draw(st.integers(1, 7))
    taken: set[tuple[int, int]] = set()
    cells = []
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in taken:
                continue
            row_span = draw(st.integers(1, max(1, min(3, n_rows - r))))
            col_span = 1
            while c + col_span < n_cols and (r, c + col_span) not in taken and draw(st.booleans()) and col_span < 3:
                col_span += 1
            if any((rr, cc) in taken for rr in range(r, r + row_span) for cc in range(c, c + col_span)):
                row_span = 1
            cells.append(Cell(r, c, draw(TEXTS), row_span=row_span, col_span=col_span))
            taken.update((rr, cc) for rr in range(r, r + row_span) for cc in range(c, c + col_span))
    caption = draw(st.sampled_from([None, "附件1 部门整体支出绩效评价基础数据表", "附件2 部门整体支出绩效自评表", "附件3"]))
    return Table(index=0, n_rows=n_rows, n_cols=n_cols, cells=tuple(cells), caption=caption)


@st.composite
def damaged_layouts(draw) -> Table:  # type: ignore[no-untyped-def]
    """A real layout with some cell texts replaced and its tail cut off."""
    layout = draw(st.sampled_from(L.ALL))
    table = L.to_table(layout, caption=draw(st.sampled_from([None, layout.title])))
    keep = draw(st.integers(1, table.n_rows))
    cells = []
    for cell in table.cells:
        if cell.row >= keep:
            continue
        text = draw(TEXTS) if draw(st.integers(0, 5)) == 0 else cell.text
        cells.append(Cell(cell.row, cell.col, text, min(cell.row_span, keep - cell.row), cell.col_span))
    return Table(index=0, n_rows=keep, n_cols=table.n_cols, cells=tuple(cells), caption=table.caption)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.one_of(tables(), damaged_layouts()), min_size=1, max_size=3))
def test_reader_never_crashes_never_invents_and_is_deterministic(parts):
    parts = [Table(**{**{n: getattr(t, n) for n in t.__slots__}, "index": i}) for i, t in enumerate(parts)]
    doc = Document(source="gen.docx", format=Format.DOCX, sha256="", tables=tuple(parts))
    facts = extract_annex_facts(doc)
    assert facts == extract_annex_facts(doc)
    for fact in facts:
        table = parts[fact.locator.table]
        cell = next(c for c in table.cells if (c.row, c.col) == (fact.locator.row, fact.locator.col))
        assert cell.text[fact.locator.char_start:fact.locator.char_end] == fact.raw
        if fact.value is not None:
            assert re.search(r"[0-9０-９]", fact.raw), fact
        assert fact.label == "" or fact.rule_id.endswith(fact.label)
    assert len({f.id for f in facts}) == len(facts)
