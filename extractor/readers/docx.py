"""DOCX reader: paragraphs and tables in document order, tables as true grids.

Tables are read by walking the w:tc elements (gridSpan, vMerge restart/continue,
gridBefore/gridAfter), never through python-docx's row.cells, which repeats a merged
cell in every grid position it covers. Nested tables become extra Table entries with
parent=(table, row, col). Headings and section paths come from structure.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap, qn
from lxml import etree
from lxml.etree import _Element as Element

from ..errors import InputError
from ..model import Block, Cell, Document, Format, Issue, Locator, Table
from . import sha256_of
from .docx_styles import Numbering, StyleIndex, is_bold, num_pr, style_id_of, style_name_of
from .safety import MACRO_ISSUE, MACRO_MESSAGE, check_package, macro_part, parser_errors
from .structure import (
    HEADER_ROWS_FOR_UNIT,
    HeadingRules,
    RawItem,
    assign_sections,
    default_headings,
    is_title_line,
    looks_like_caption,
    normalize_text,
    numbered_level,
    style_level,
    table_context,
    table_unit_hint_of,
)

W_P, W_TBL, W_SDT, W_R = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:r")
W_VAL = qn("w:val")
# Runs are read from every depth of a paragraph (w:ins, w:smartTag, inline w:sdt, fields:
# python-docx's Paragraph.text sees only direct w:r and w:hyperlink), except text boxes,
# moved-away text and the mc:Fallback copy of a drawing.
SKIPPED_RUN_PARENTS = {qn("w:txbxContent"), qn("w:moveFrom"),
                       "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
RUN_TEXT = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
W_T, W_BR = qn("w:t"), qn("w:br")
TAGS = {tag: qn(tag) for tag in ("w:tcPr", "w:vMerge", "w:gridSpan", "w:gridBefore", "w:gridAfter")}
# Rows and cells may sit inside content controls or custom XML wrappers.
W_NS = {"w": nsmap["w"]}
TABLE_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr", namespaces=W_NS)
ROW_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces=W_NS)
CELL_PARAGRAPHS = etree.XPath("./w:p | ./w:sdt/w:sdtContent/w:p | ./w:customXml/w:p", namespaces=W_NS)
# A table past these bounds is not built (Word itself stops at 63 columns): it is skipped
# with a W108 issue, checked on the XML attributes before any cell list exists.
MAX_COLS = 512
MAX_ROWS = 20_000
MAX_CELLS = 200_000
MAX_AREA = 2_000_000  # rows x columns: the annex walk builds the whole grid
TABLE_LIMIT_ISSUE = "W108"
TABLE_LIMIT_MESSAGE = "{source} 第{index}个表格{detail}，超出可读上限，该表未读取，请人工核对"


class TableTooLarge(Exception):
    """A table's XML declares more rows, columns or cells than a grid may hold."""


@dataclass
class _PendingTable:
    """A table seen in the body, before blocks (and so sections) exist."""

    tbl: Element  # w:tbl
    after_item: int  # index of the last paragraph item before it, -1 if none
    above: list[str]  # the paragraphs between the previous table and this one


@dataclass
class _Body:
    styles: StyleIndex
    numbering: Numbering
    headings: HeadingRules
    items: list[RawItem] = field(default_factory=list)
    tables: list[_PendingTable] = field(default_factory=list)
    since_table: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def read_docx(path: Path, source: str, headings: HeadingRules | None = None) -> Document:
    """Read a .docx into the document model; InputError E104/E107/E108 when it cannot."""
    check_package(path, "docx")
    with parser_errors(path, "docx"):
        document = docx.Document(str(path))
        styles = StyleIndex(document.part._styles_part.element)
        headings = headings or default_headings()
        body = _walk_body(document.element.body, _Body(styles, Numbering(_numbering_element(document)), headings))
        blocks = assign_sections(body.items, headings)
        tables = _build_tables(body.tables, blocks, source, body.issues)
        title = _core_title(document)
    if not any(b.text for b in blocks) and not any(c.text for t in tables for c in t.cells):
        raise InputError("E107", path=path)
    if part := macro_part(path):
        body.issues.append(Issue(MACRO_ISSUE, MACRO_MESSAGE.format(source=source, part=part), source))
    return Document(
        source=source, format=Format.DOCX, sha256=sha256_of(path), blocks=tuple(blocks),
        tables=tuple(tables), metadata={"title": title} if title else {}, issues=tuple(body.issues),
    )


def _core_title(document: object) -> str:
    """The core-properties title; python-docx invents "Word Document" when the part is absent."""
    package = document.part.package  # type: ignore[attr-defined]
    if not any(rel.reltype == RT.CORE_PROPERTIES for rel in package.rels.values()):
        return ""
    return (document.core_properties.title or "").strip()  # type: ignore[attr-defined]


def _numbering_element(document: object) -> Element | None:
    try:
        return document.part.part_related_by(RT.NUMBERING).element  # type: ignore[attr-defined]
    except KeyError:
        return None


def _walk_body(container: Element, body: _Body) -> _Body:
    """Paragraph items and table positions in document order (content controls opened)."""
    for child in container.iterchildren():
        if child.tag == W_P:
            _add_paragraph(body, child)
        elif child.tag == W_TBL:
            body.tables.append(_PendingTable(child, len(body.items) - 1, body.since_table))
            body.since_table = []
        elif child.tag == W_SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk_body(content, body)
    return body


def paragraph_runs(p: Element) -> list[Element]:
    """Every w:r of the paragraph at any depth, except those in SKIPPED_RUN_PARENTS."""
    runs = []
    for r in p.iter(W_R):
        node = r.getparent()
        while node is not None and node is not p and node.tag not in SKIPPED_RUN_PARENTS:
            node = node.getparent()
        if node is p:
            runs.append(r)
    return runs


def run_text(r: Element) -> str:
    parts = []
    for child in r.iterchildren():
        if child.tag == W_T:
            parts.append(child.text or "")
        elif child.tag == W_BR:
            parts.append("\n" if child.get(qn("w:type"), "textWrapping") == "textWrapping" else "")
        else:
            parts.append(RUN_TEXT.get(child.tag, ""))
    return "".join(parts)


def paragraph_text(p: Element) -> str:
    return "".join(run_text(r) for r in paragraph_runs(p))


def _add_paragraph(body: _Body, p: Element) -> None:
    runs = [(r, run_text(r)) for r in paragraph_runs(p)]
    text = normalize_text("".join(t for _, t in runs))
    if not text:
        return
    p_pr = p.find(qn("w:pPr"))
    style_id = style_id_of(p_pr, body.styles)
    bold = is_bold([r for r, t in runs if t.strip()], style_id, body.styles)
    style = style_name_of(p_pr, style_id, body.styles)
    if style_level(style) is None and (level := _auto_number_level(text, p_pr, style_id, body)):
        style = f"Heading {level}"
    body.items.append(RawItem(text, style, bold))
    body.since_table.append(text)


def _auto_number_level(text: str, p_pr: Element | None, style_id: str | None, body: _Body) -> int | None:
    """The heading level the paragraph's automatic number gives it (一、 -> 1 ...)."""
    num = num_pr(p_pr) or body.styles.inherited("num", style_id)
    prefix = body.numbering.prefix(*num) if num else None  # type: ignore[misc]
    return numbered_level(prefix + text, body.headings) if prefix else None


def _build_tables(pending: list[_PendingTable], blocks: list[Block], source: str,
                  issues: list[Issue]) -> list[Table]:
    tables: list[Table] = []
    for n, table in enumerate(pending, 1):
        section, annex = table_context(blocks, table.after_item)
        caption = _caption(table.above)
        try:
            _append_table(tables, table.tbl, caption, table.above, section, annex, table.after_item, None)
        except TableTooLarge as exc:
            message = TABLE_LIMIT_MESSAGE.format(source=source, index=n, detail=exc)
            issues.append(Issue(TABLE_LIMIT_ISSUE, message, source, Locator(source=source)))
    return tables


def _append_table(tables: list[Table], tbl: Element, caption: str | None, above: list[str],
                  section: tuple[str, ...], annex: bool, after: int,
                  parent: tuple[int, int, int] | None) -> None:
    """Append this table, then its nested tables (depth first) with parent set."""
    check_grid_bounds(tbl)
    cells, nested, n_rows, n_cols = table_grid(tbl)
    index = len(tables)
    unit_hint = table_unit_hint_of([caption, *reversed(above[-2:])], cells, HEADER_ROWS_FOR_UNIT)
    tables.append(Table(
        index=index, n_rows=n_rows, n_cols=n_cols, cells=tuple(cells), caption=caption,
        section=section, unit_hint=unit_hint, annex=annex, after_block=after, parent=parent,
    ))
    for (row, col), inner in nested:
        _append_table(tables, inner, None, [], section, annex, after, (index, row, col))


def _caption(above: list[str]) -> str | None:
    """The 1-2 paragraphs just above the table when they read as its title: one must look
    like a caption (附件1, …表, 单位：…), the other may be a short line such as （2024年度）."""
    lines = above[-2:]
    if not any(looks_like_caption(line) for line in lines):
        return None
    while lines and not (looks_like_caption(lines[0]) or is_title_line(lines[0])):
        lines = lines[1:]
    if not all(looks_like_caption(line) or is_title_line(line) for line in lines):
        return None
    return " ".join(lines) or None


def check_grid_bounds(tbl: Element) -> None:
    """TableTooLarge when the w:tr/w:tc attributes (gridBefore + gridSpan... + gridAfter per
    row, rows, cells) pass MAX_COLS/MAX_ROWS/MAX_CELLS; only attributes are read."""
    grid = tbl.find(qn("w:tblGrid"))
    if grid is not None and (n := len(grid.findall(qn("w:gridCol")))) > MAX_COLS:
        raise TableTooLarge(f"声明了 {n} 列（tblGrid，上限 {MAX_COLS}）")
    rows = TABLE_ROWS(tbl)
    if len(rows) > MAX_ROWS:
        raise TableTooLarge(f"有 {len(rows)} 行（上限 {MAX_ROWS}）")
    cells, widest = 0, 0
    for r, tr in enumerate(rows, 1):
        tr_pr = tr.find(qn("w:trPr"))
        width = _int_prop(tr_pr, "w:gridBefore", 0) + _int_prop(tr_pr, "w:gridAfter", 0)
        for tc in ROW_CELLS(tr):
            width += _tc_props(tc)[0]
            cells += 1
        if width > MAX_COLS:
            raise TableTooLarge(f"第{r}行宽 {width} 列（gridSpan/gridBefore/gridAfter，上限 {MAX_COLS}）")
        if cells > MAX_CELLS:
            raise TableTooLarge(f"单元格超过 {MAX_CELLS} 个")
        widest = max(widest, width)
    if len(rows) * widest > MAX_AREA:
        raise TableTooLarge(f"有 {len(rows)} 行 × {widest} 列（上限 {MAX_AREA} 格）")


def table_grid(tbl: Element) -> tuple[list[Cell], list[tuple[tuple[int, int], Element]], int, int]:
    """(origin cells row-major, nested tables with their (row, col), n_rows, n_cols).

    Walks w:tr/w:tc: gridBefore shifts the first cell, gridSpan widens a cell, and a
    vMerge="continue" cell extends the open cell above it instead of starting one."""
    cells: list[dict] = []
    nested: list[tuple[tuple[int, int], Element]] = []
    open_v: dict[int, dict] = {}  # grid column -> origin cell of an open vertical merge
    grid = tbl.find(qn("w:tblGrid"))
    n_cols = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    rows = TABLE_ROWS(tbl)
    for r, tr in enumerate(rows):
        tr_pr = tr.find(qn("w:trPr"))
        col, continued = _int_prop(tr_pr, "w:gridBefore", 0), set()
        for tc in ROW_CELLS(tr):
            span, v_merge = _tc_props(tc)
            if v_merge == "continue" and col in open_v:
                open_v[col]["row_span"] += 1
                continued.add(col)
            else:
                cell = {"row": r, "col": col, "row_span": 1, "col_span": span, "text": _tc_text(tc)}
                cells.append(cell)
                nested.extend(((r, col), inner) for inner in tc.iterchildren(W_TBL))
                if v_merge == "restart":
                    open_v[col] = cell
                    continued.add(col)
            col += span
        open_v = {c: cell for c, cell in open_v.items() if c in continued}
        n_cols = max(n_cols, col + _int_prop(tr_pr, "w:gridAfter", 0))
    return [Cell(**c) for c in cells], nested, len(rows), n_cols


def _int_prop(parent: Element | None, tag: str, default: int) -> int:
    element = parent.find(TAGS[tag]) if parent is not None else None
    value = element.get(W_VAL, "") if element is not None else ""
    # isdigit() also accepts other scripts' digits; a long one is absurd, and bounded later
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else (
        MAX_COLS + 1 if value.isascii() and value.isdigit() else default)


def _tc_props(tc: Element) -> tuple[int, str | None]:
    """(gridSpan, vMerge) of a w:tc; a bare <w:vMerge/> means "continue"."""
    tc_pr = tc.find(TAGS["w:tcPr"])
    v_merge = tc_pr.find(TAGS["w:vMerge"]) if tc_pr is not None else None
    state = None if v_merge is None else v_merge.get(W_VAL, "continue")
    return max(_int_prop(tc_pr, "w:gridSpan", 1), 1), state


def _tc_text(tc: Element) -> str:
    """The cell's own paragraphs (a nested table's text stays in the nested table)."""
    return normalize_text("\n".join(paragraph_text(p) for p in CELL_PARAGRAPHS(tc)))
