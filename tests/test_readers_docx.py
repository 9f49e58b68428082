"""DOCX reader and the shared structure module, on DOCX files built with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.errors import PatternError
from extractor.model import BlockKind
from extractor.readers import read_document
from extractor.readers.docx import read_docx
from extractor.readers.structure import (
    assign_sections,
    heading_level,
    load_heading_rules,
    normalize_text,
    table_unit_hint,
)
from extractor.serialize import dumps

# The first lines of samples/yiyang_hpf_2024/yiyang_hpf_2024.txt, long paragraphs cut short:
# 一 is missing, 三..六 and 八 lost their numbers, 七 keeps its number.
YIYANG_LINES = [
    "部门（单位）名称： 益阳市住房公积金管理中心",
    "2025年 4月15日",
    "2024年度益阳市住房公积金管理中心",
    "整体支出绩效自评报告",
    "单位基本情况",
    "益阳市住房公积金管理中心属一级预算单位，单位性质为自收自支事业单位，内设办公室、财务科。",
    "2024年年末实有人数108人，较2023年度减少3人。其中：在职人员86人,比2023年减少5人。",
    "二、一般公共预算支出情况",
    "（一）基本支出情况",
    "2024年基本支出2348.75万元，其中人员经费支出1939.62万元，减少290.49万元。",
    "2024年度“三公”经费支出6.35万元，其中：公务用车购置及运行维护费支出5.81万元。",
    "项目支出情况",
    "项目经费支出1441.77万元，本年度无市级专项资金分配安排，其中：贷款资产管理服务支出320.93万元。",
    "政府性基金预算支出情况",
    "无",
    "国有资本经营预算支出情况",
    "无",
    "社会保险基金预算支出情况",
    "无",
    "部门整体支出绩效情况",
    "（一）全年绩效目标完成情况",
    "1.归集缴存。2024年，全市归集住房公积金38.35亿元，累计归集住房公积金385.51亿元。",
    "2.提取使用。2024年，各类住房公积金提取合计29.81亿元，同比减少2.38%。",
    "（二）主要绩效及评价结论",
    "市公积金中心部门整体支出绩效情况自评如下：",
    "1.政策调整惠民成效显著。一是政策支持房地产市场更有力。",
    "七、存在的问题及原因分析",
    "归集扩面推进制约因素较多。",
    "下一步改进措施",
    "1.大力推进归集扩面，广拓制度覆盖之域。一是依靠多方合力，发挥部门联动作用。",
    "附件：",
    "1、部门整体支出绩效评价基础数据表",
    "2、部门整体支出绩效自评表",
]


def _by_text(doc):
    return {block.text: block for block in doc.blocks}


def test_headings_by_style(make_docx):
    doc = read_docx(make_docx([{"heading": "总体情况", "level": 1}, "正文。",
                               {"heading": "支出明细", "level": 2}, "明细正文。"]), "r.docx")
    blocks = _by_text(doc)
    assert blocks["总体情况"].kind is BlockKind.HEADING and blocks["总体情况"].level == 1
    assert blocks["支出明细"].level == 2
    assert blocks["明细正文。"].section == ("总体情况", "支出明细")
    assert blocks["明细正文。"].kind is BlockKind.PARAGRAPH


def test_headings_by_numbering_and_long_numbered_lines_stay_paragraphs(make_docx):
    path = make_docx(["一、单位基本情况", "（一）机构设置", "1.内设机构", "（1）办公室",
                      "1.归集缴存。2024年，全市归集住房公积金38.35亿元，累计归集住房公积金385.51亿元。",
                      "(二)人员情况"])
    doc = read_docx(path, "r.docx")
    assert [b.level for b in doc.blocks] == [1, 2, 3, 4, None, 2]
    assert doc.blocks[4].section == ("一、单位基本情况", "（一）机构设置", "1.内设机构", "（1）办公室")
    assert doc.blocks[5].section == ("一、单位基本情况", "(二)人员情况")


def test_short_bold_lines_nest_under_numbered_headings(make_docx):
    path = make_docx(["一、部门整体支出绩效情况", {"text": "产出情况", "bold": True}, "完成了目标。",
                      {"text": "效益情况", "bold": True},
                      {"text": "这是一段加粗的正文，较长，包含逗号和句号。", "bold": True},
                      "二、存在的问题"])
    blocks = _by_text(read_docx(path, "r.docx"))
    assert blocks["产出情况"].level == 2 and blocks["效益情况"].level == 2
    assert blocks["完成了目标。"].section == ("一、部门整体支出绩效情况", "产出情况")
    assert blocks["这是一段加粗的正文，较长，包含逗号和句号。"].kind is BlockKind.PARAGRAPH
    assert blocks["二、存在的问题"].section == ("二、存在的问题",)


def test_yiyang_broken_numbering_gives_right_sections(make_docx):
    doc = read_docx(make_docx(YIYANG_LINES), "yiyang.docx")
    blocks = _by_text(doc)
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == [
        "单位基本情况", "二、一般公共预算支出情况", "（一）基本支出情况", "项目支出情况",
        "政府性基金预算支出情况", "国有资本经营预算支出情况", "社会保险基金预算支出情况",
        "部门整体支出绩效情况", "（一）全年绩效目标完成情况", "（二）主要绩效及评价结论",
        "七、存在的问题及原因分析", "下一步改进措施", "附件：",
        "1、部门整体支出绩效评价基础数据表", "2、部门整体支出绩效自评表",
    ]
    assert blocks[YIYANG_LINES[6]].section == ("单位基本情况",)
    assert blocks[YIYANG_LINES[9]].section == ("二、一般公共预算支出情况", "（一）基本支出情况")
    assert blocks[YIYANG_LINES[12]].section == ("项目支出情况",)
    assert blocks[YIYANG_LINES[21]].section == ("部门整体支出绩效情况", "（一）全年绩效目标完成情况")
    assert blocks[YIYANG_LINES[21]].kind is BlockKind.PARAGRAPH
    assert blocks[YIYANG_LINES[27]].section == ("七、存在的问题及原因分析",)
    assert blocks[YIYANG_LINES[29]].section == ("下一步改进措施",)
    assert blocks["整体支出绩效自评报告"].kind is BlockKind.PARAGRAPH
    assert [b.annex for b in doc.blocks].index(True) == YIYANG_LINES.index("附件：")
    assert blocks["2、部门整体支出绩效自评表"].section == ("附件：", "2、部门整体支出绩效自评表")


MERGED_TABLE = {
    "table": [["序号", "项目", "", "本年支出"],
              ["1", "基本支出", "人员经费", "1939.62"],
              ["", "", "公用经费", "409.13"],
              ["", "合计", "", "2348.75"]],
    "merge": [(0, 1, 0, 2), (1, 0, 2, 0), (1, 1, 2, 1), (3, 1, 3, 2)],
    "grid_before": {3: 1},
}


def test_table_grid_with_gridspan_vmerge_and_gridbefore(make_docx):
    doc = read_docx(make_docx(["表1 基本支出明细表", "单位：万元", MERGED_TABLE, "表后说明。"]), "r.docx")
    (table,) = doc.tables
    assert (table.n_rows, table.n_cols) == (4, 4)
    spans = [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]
    assert spans == [
        (0, 0, 1, 1, "序号"), (0, 1, 1, 2, "项目"), (0, 3, 1, 1, "本年支出"),
        (1, 0, 2, 1, "1"), (1, 1, 2, 1, "基本支出"), (1, 2, 1, 1, "人员经费"), (1, 3, 1, 1, "1939.62"),
        (2, 2, 1, 1, "公用经费"), (2, 3, 1, 1, "409.13"),
        (3, 1, 1, 2, "合计"), (3, 3, 1, 1, "2348.75"),
    ]
    assert table.text_grid()[3] == [None, "合计", None, "2348.75"]
    assert table.caption == "表1 基本支出明细表 单位：万元" and table.unit_hint == "万元"
    assert table.after_block == 1 and doc.blocks[2].text == "表后说明。"


def test_nested_table_is_an_extra_table_with_parent(make_docx):
    outer = {"table": [["指标", "明细"], ["产出", ""]],
             "nested": {(1, 1): {"table": [["数量", "10个"], ["质量", "≥95%"]]}}}
    doc = read_docx(make_docx(["正文。", outer]), "r.docx")
    assert len(doc.tables) == 2
    assert doc.tables[0].parent is None and doc.tables[1].parent == (0, 1, 1)
    assert doc.tables[1].text_grid() == [["数量", "10个"], ["质量", "≥95%"]]
    assert doc.tables[0].text_grid()[1] == ["产出", ""]


def test_annex_flag_on_blocks_and_tables_after_the_annex_heading(make_docx):
    path = make_docx(["一、单位基本情况", {"table": [["a", "b"]]}, "附件1 部门整体支出绩效评价基础数据表",
                      "（万元）", {"table": [["项目", "决算数"], ["基本支出", "2348.75"]]}])
    doc = read_docx(path, "r.docx")
    assert [b.annex for b in doc.blocks] == [False, True, True]
    assert [t.annex for t in doc.tables] == [False, True]
    assert doc.tables[1].section == ("附件1 部门整体支出绩效评价基础数据表",)
    assert doc.tables[1].unit_hint == "万元" and doc.tables[0].caption is None


def test_text_normalised_and_title_metadata(make_docx):
    doc = read_docx(make_docx(["　公用经费支出４０９．１３万元\u200b，  增加ＡＢ。"], title="自评报告"), "r.docx")
    assert doc.blocks[0].text == "公用经费支出409．13万元， 增加AB。"
    assert doc.metadata == {"title": "自评报告"}


def test_read_document_dispatch_and_deterministic_json(make_docx):
    path = make_docx(["一、单位基本情况", MERGED_TABLE])
    first = dumps(read_document(path, path.parent), "extractor.document", "1.0")
    assert first == dumps(read_document(path, path.parent), "extractor.document", "1.0")
    assert '"source": "report.docx"' in first


def test_structure_helpers():
    assert heading_level("一、单位基本情况") == 1
    assert heading_level("下一步改进措施") == 1
    assert heading_level("总结", bold=True) == 1 and heading_level("总结") is None
    assert heading_level("5.5亿元", bold=True) is None
    assert heading_level("其他", style="Heading 3") == 3 and heading_level("其他", style="标题 2") == 2
    assert table_unit_hint("单位：万元") == "万元" and table_unit_hint("（亿元）") == "亿元"
    assert table_unit_hint("单位:元") == "元" and table_unit_hint("说明") is None
    assert normalize_text(" a \u3000 b\n\n c ") == "a b\nc"
    blocks = assign_sections([("附件2",), ("自评表",)])
    assert blocks[1].annex and blocks[1].section == ("附件2",)


def test_bad_headings_file_names_file_and_key(tmp_path: Path):
    (tmp_path / "headings.toml").write_text(
        "[limits]\nmajor_max_chars = 40\nminor_max_chars = 30\nbold_max_chars = 25\n"
        "[annex]\npattern = '(unclosed'\nmax_chars = 40\n[not_heading]\npatterns = []\n"
        "[[known]]\ntext = '附件'\nlevel = 1\naliases = []\n", encoding="utf-8")
    with pytest.raises(PatternError) as info:
        load_heading_rules(str(tmp_path))
    assert "headings.toml" in str(info.value) and "annex.pattern" in str(info.value)


def test_grid_after_keeps_the_table_width(make_docx):
    spec = {"table": [["项目", "预算", "决算"], ["合计", "5", "6"], ["说明", "", ""]], "grid_after": {2: 2}}
    table = read_docx(make_docx([spec]), "r.docx").tables[0]
    assert (table.n_rows, table.n_cols) == (3, 3)
    assert table.text_grid()[2] == ["说明", None, None]
    assert table.grid()[2][1] is None


def test_tracked_insertions_and_smart_tags_are_read(tmp_path: Path):
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("基本支出")
    inserted, tagged = paragraph.add_run("2348.75"), paragraph.add_run("万元")
    for run, tag in ((inserted, "w:ins"), (tagged, "w:smartTag")):
        wrapper = OxmlElement(tag)
        run._r.addprevious(wrapper)
        wrapper.append(run._r)
    document.save(str(tmp_path / "tracked.docx"))
    assert read_docx(tmp_path / "tracked.docx", "t.docx").blocks[0].text == "基本支出2348.75万元"


@st.composite
def merge_layouts(draw):
    """A small grid and non-overlapping rectangles to merge in it."""
    n_rows, n_cols = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    taken: set[tuple[int, int]] = set()
    rects = []
    for _ in range(draw(st.integers(0, 4))):
        r0, c0 = draw(st.integers(0, n_rows - 1)), draw(st.integers(0, n_cols - 1))
        r1, c1 = draw(st.integers(r0, n_rows - 1)), draw(st.integers(c0, n_cols - 1))
        area = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if len(area) > 1 and not area & taken:
            taken |= area
            rects.append((r0, c0, r1, c1))
    return n_rows, n_cols, rects


@settings(max_examples=25, deadline=None)
@given(merge_layouts())
def test_grid_matches_the_merges_made(tmp_path_factory, docx_builder, layout):
    """Every grid position is covered by the origin cell of the rectangle merged over it."""
    n_rows, n_cols, rects = layout
    rows = [[f"{r}-{c}" for c in range(n_cols)] for r in range(n_rows)]
    path = docx_builder(tmp_path_factory.mktemp("grid") / "g.docx", [{"table": rows, "merge": rects}])
    table = read_docx(path, "g.docx").tables[0]
    origin = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}
    for r0, c0, r1, c1 in rects:
        origin.update({(r, c): (r0, c0) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)})
    grid = table.grid()
    assert (table.n_rows, table.n_cols) == (n_rows, n_cols)
    for (r, c), (r0, c0) in origin.items():
        assert (grid[r][c].row, grid[r][c].col, grid[r][c].text) == (r0, c0, f"{r0}-{c0}")


def test_bold_inherited_from_styles_and_switched_off_by_runs(tmp_path: Path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    strong = document.styles.add_style("小标题样式", WD_STYLE_TYPE.PARAGRAPH)
    strong.font.bold = True
    document.add_paragraph("一、部门整体支出绩效情况")
    document.add_paragraph("产出情况", style="小标题样式")
    document.add_paragraph("正文。")
    plain = document.add_paragraph("效益情况", style="小标题样式")
    plain.runs[0].bold = False
    document.save(str(tmp_path / "styles.docx"))
    blocks = _by_text(read_docx(tmp_path / "styles.docx", "s.docx"))
    assert blocks["产出情况"].bold and blocks["产出情况"].level == 2
    assert not blocks["效益情况"].bold and blocks["效益情况"].kind is BlockKind.PARAGRAPH


def test_caption_takes_a_short_line_under_the_title_and_skips_body_text(make_docx):
    doc = read_docx(make_docx([
        {"text": "2024年度益阳市住房公积金管理中心", "bold": True}, "附件2", "部门整体支出绩效自评表", "（2024年度）",
        {"table": [["项目", "分值"]]}, "这是一段正文，说明下表的口径。", {"table": [["a", "b"]]},
    ]), "r.docx")
    assert doc.blocks[0].kind is BlockKind.PARAGRAPH  # a bold report title is not a section
    assert doc.tables[0].caption == "部门整体支出绩效自评表 （2024年度）"
    assert doc.tables[1].caption is None


def test_outline_level_from_paragraph_or_style_makes_a_heading(tmp_path: Path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def outline(p_pr, level):
        element = OxmlElement("w:outlineLvl")
        element.set(qn("w:val"), str(level))
        p_pr.append(element)

    document = docx.Document()
    wps_heading = document.styles.add_style("WPS二级标题", WD_STYLE_TYPE.PARAGRAPH)
    outline(wps_heading.element.get_or_add_pPr(), 1)
    document.add_paragraph("部门职责")
    document.add_paragraph("人员构成", style="WPS二级标题")
    outline(document.add_paragraph("支出概况")._p.get_or_add_pPr(), 0)
    document.save(str(tmp_path / "outline.docx"))
    blocks = _by_text(read_docx(tmp_path / "outline.docx", "o.docx"))
    assert blocks["部门职责"].kind is BlockKind.PARAGRAPH
    assert blocks["人员构成"].level == 2 and blocks["支出概况"].level == 1


def test_cell_text_inside_content_controls_is_read(make_docx, tmp_path: Path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(str(make_docx([{"table": [["项目", "金额"]]}])))
    tc = document.tables[0].rows[0].cells[1]._tc
    paragraph = tc.find(qn("w:p"))
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    paragraph.addprevious(sdt)
    sdt.append(content)
    content.append(paragraph)
    document.save(str(tmp_path / "sdt.docx"))
    assert read_docx(tmp_path / "sdt.docx", "s.docx").tables[0].text_grid() == [["项目", "金额"]]


def test_word_auto_numbering_gives_heading_levels(tmp_path: Path):
    """一、/（一） drawn by Word's numbering (not in the text) still make headings."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.part_related_by(RT.NUMBERING).element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, ilvl: int) -> None:
        p_pr = document.add_paragraph(text)._p.get_or_add_pPr()
        p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("部门职责", 0)
    numbered("人员构成", 1)
    document.add_paragraph("正文。")
    numbered("这是一个很长的自动编号正文段落，包含逗号，也包含句号。后面还有内容。", 1)
    document.add_paragraph("机构设置", style="List Number")  # the template's decimal "%1." list
    document.save(str(tmp_path / "numbering.docx"))
    blocks = _by_text(read_docx(tmp_path / "numbering.docx", "n.docx"))
    assert blocks["部门职责"].level == 1 and blocks["人员构成"].level == 2
    assert blocks["正文。"].section == ("部门职责", "人员构成")
    assert blocks["这是一个很长的自动编号正文段落，包含逗号，也包含句号。后面还有内容。"].kind is BlockKind.PARAGRAPH
    assert blocks["机构设置"].level == 3


def test_missing_core_properties_give_no_invented_title(make_docx, tmp_path: Path):
    import re
    import zipfile

    source, target = make_docx(["一、单位基本情况"], title="原标题"), tmp_path / "no_core.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "docProps/core.xml":
                data = src.read(info)
                dst.writestr(info, re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data))
    assert read_docx(source, "a.docx").metadata == {"title": "原标题"}
    assert read_docx(target, "b.docx").metadata == {}
