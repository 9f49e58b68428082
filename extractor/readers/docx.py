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
from docx.oxml.ns import nsmap, qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from ..errors import InputError
from ..model import Block, Cell, Document, Format, Table
from . import sha256_of
from .safety import check_package, parser_errors
from .structure import RawItem, assign_sections, looks_like_caption, normalize_text, table_context, table_unit_hint

W_P, W_TBL, W_SDT, W_TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tc")
HEADER_ROWS_FOR_UNIT = 2
# Every run of the paragraph, also inside w:ins, w:smartTag, inline w:sdt and fields
# (python-docx's Paragraph.text sees only direct w:r and w:hyperlink); text boxes and
# the mc:Fallback copy of drawings are left out, moved-away text too.
PARAGRAPH_RUNS = etree.XPath(
    ".//w:r[not(ancestor::w:txbxContent) and not(ancestor::w:moveFrom)"
    " and not(ancestor::*[local-name()='Fallback'])]",
    namespaces={"w": nsmap["w"]},
)
# Rows and cells may sit inside content controls or custom XML wrappers.
TABLE_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr", namespaces={"w": nsmap["w"]})
ROW_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces={"w": nsmap["w"]})


@dataclass
class _PendingTable:
    """A table seen in the body, before blocks (and so sections) exist."""

    tbl: object  # CT_Tbl
    after_item: int  # index of the last paragraph item before it, -1 if none
    above: list[str]  # the paragraphs between the previous table and this one


@dataclass
class _Body:
    items: list[RawItem] = field(default_factory=list)
    tables: list[_PendingTable] = field(default_factory=list)
    since_table: list[str] = field(default_factory=list)


def read_docx(path: Path, source: str) -> Document:
    """Read a .docx into the document model; InputError E104/E107/E108 when it cannot."""
    check_package(path, "docx")
    with parser_errors(path, "docx"):
        document = docx.Document(str(path))
        body = _walk_body(document.element.body, document)
        blocks = assign_sections(body.items)
        tables = _build_tables(body.tables, blocks)
        title = (document.core_properties.title or "").strip()
    if not any(b.text for b in blocks) and not any(c.text for t in tables for c in t.cells):
        raise InputError("E107", path=path)
    return Document(
        source=source, format=Format.DOCX, sha256=sha256_of(path), blocks=tuple(blocks),
        tables=tuple(tables), metadata={"title": title} if title else {},
    )


def _walk_body(container: object, document: object, body: _Body | None = None) -> _Body:
    """Paragraph items and table positions in document order (content controls opened)."""
    body = body or _Body()
    for child in container.iterchildren():  # type: ignore[attr-defined]
        if child.tag == W_P:
            _add_paragraph(body, Paragraph(child, document))
        elif child.tag == W_TBL:
            body.tables.append(_PendingTable(child, len(body.items) - 1, body.since_table))
            body.since_table = []
        elif child.tag == W_SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk_body(content, document, body)
    return body


def _add_paragraph(body: _Body, paragraph: Paragraph) -> None:
    runs = PARAGRAPH_RUNS(paragraph._p)
    text = normalize_text("".join(r.text for r in runs))
    if not text:
        return
    body.items.append(RawItem(text, _style_name(paragraph), _is_bold(paragraph, runs)))
    body.since_table.append(text)


def _style_name(paragraph: Paragraph) -> str | None:
    """The paragraph style, or "Heading N" from a direct w:outlineLvl."""
    p_pr = paragraph._p.pPr
    outline = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
    if outline is not None and (val := outline.get(qn("w:val"), "")).isdigit() and int(val) < 9:
        return f"Heading {int(val) + 1}"
    try:
        return paragraph.style.name if paragraph.style is not None else None
    except (KeyError, ValueError, AttributeError):
        return None


def _style_bold(style: object) -> bool:
    """Bold inherited through the style chain (w:b in a style or its bases)."""
    for _ in range(10):  # base_style chains are short; a cycle must not hang us
        if style is None:
            return False
        bold = style.font.bold  # type: ignore[attr-defined]
        if bold is not None:
            return bool(bold)
        style = style.base_style  # type: ignore[attr-defined]
    return False


def _is_bold(paragraph: Paragraph, elements: list) -> bool:
    runs = [Run(r, paragraph) for r in elements if r.text.strip()]
    if not runs:
        return False
    try:
        para_bold = _style_bold(paragraph.style)
    except (KeyError, ValueError, AttributeError):
        para_bold = False
    return all(run.bold if run.bold is not None else para_bold for run in runs)


def _build_tables(pending: list[_PendingTable], blocks: list[Block]) -> list[Table]:
    tables: list[Table] = []
    for table in pending:
        section, annex = table_context(blocks, table.after_item)
        caption = _caption(table.above)
        _append_table(tables, table.tbl, caption, table.above, section, annex, table.after_item, None)
    return tables


def _append_table(tables: list[Table], tbl: object, caption: str | None, above: list[str],
                  section: tuple[str, ...], annex: bool, after: int,
                  parent: tuple[int, int, int] | None) -> None:
    """Append this table, then its nested tables (depth first) with parent set."""
    cells, nested, n_rows, n_cols = table_grid(tbl)
    index = len(tables)
    tables.append(Table(
        index=index, n_rows=n_rows, n_cols=n_cols, cells=tuple(cells), caption=caption,
        section=section, unit_hint=_unit_hint(caption, above, cells), annex=annex,
        after_block=after, parent=parent,
    ))
    for (row, col), inner in nested:
        _append_table(tables, inner, None, [], section, annex, after, (index, row, col))


def _caption(above: list[str]) -> str | None:
    """The 1-2 paragraphs just above the table that look like its title."""
    lines: list[str] = []
    for line in reversed(above[-2:]):
        if not looks_like_caption(line):
            break
        lines.insert(0, line)
    return " ".join(lines) if lines else None


def _unit_hint(caption: str | None, above: list[str], cells: list[Cell]) -> str | None:
    for text in [caption, *reversed(above[-2:])]:
        if hint := table_unit_hint(text):
            return hint
    for cell in cells:
        if cell.row < HEADER_ROWS_FOR_UNIT and (hint := table_unit_hint(cell.text)):
            return hint
    return None


def table_grid(tbl: object) -> tuple[list[Cell], list[tuple[tuple[int, int], object]], int, int]:
    """(origin cells row-major, nested tables with their (row, col), n_rows, n_cols).

    Walks w:tr/w:tc: gridBefore shifts the first cell, gridSpan widens a cell, and a
    vMerge="continue" cell extends the open cell above it instead of starting one."""
    cells: list[dict] = []
    nested: list[tuple[tuple[int, int], object]] = []
    open_v: dict[int, dict] = {}  # grid column -> origin cell of an open vertical merge
    n_cols = len(tbl.tblGrid.gridCol_lst) if tbl.tblGrid is not None else 0  # type: ignore[attr-defined]
    rows = TABLE_ROWS(tbl)
    for r, tr in enumerate(rows):
        col, continued = tr.grid_before, set()
        for tc in ROW_CELLS(tr):
            span = tc.grid_span
            if tc.vMerge == "continue" and col in open_v:
                open_v[col]["row_span"] += 1
                continued.add(col)
            else:
                cell = {"row": r, "col": col, "row_span": 1, "col_span": span, "text": _tc_text(tc)}
                cells.append(cell)
                nested.extend(((r, col), inner) for inner in tc.iterchildren(W_TBL))
                if tc.vMerge == "restart":
                    open_v[col] = cell
                    continued.add(col)
            col += span
        open_v = {c: cell for c, cell in open_v.items() if c in continued}
        n_cols = max(n_cols, col + tr.grid_after)
    return [Cell(**c) for c in cells], nested, len(rows), n_cols


def _tc_text(tc: object) -> str:
    """The cell's own paragraphs (a nested table's text stays in the nested table)."""
    paragraphs = tc.iterchildren(W_P)  # type: ignore[attr-defined]
    return normalize_text("\n".join("".join(r.text for r in PARAGRAPH_RUNS(p)) for p in paragraphs))
