"""A DOCX copy with each finding as a Word comment anchored on the runs of its figures.

Paragraphs and tables are found the way readers/docx.py numbers them (body paragraphs with
text, in order, inside content controls too; tables in order, each followed by its nested
tables), so a Locator's block or (table, row, col) is the same element. Runs are split at
the figure's first and last character; the split halves keep the run's properties.
The comments are written as python-docx 1.2 writes them (w:commentRangeStart before the
first run, w:commentRangeEnd and a w:commentReference run after the last, a w:comment in
word/comments.xml), but on the XML parts alone: loading and saving the package through
python-docx cost twice as much (ooxml.py).
"""

from __future__ import annotations

import copy
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import nsmap, qn
from lxml import etree
from lxml.etree import _Element as Element

from ..readers.docx import (
    CELL_PARAGRAPHS,
    ROW_CELLS,
    RUN_TEXT,
    TABLE_ROWS,
    W_BR,
    W_P,
    W_R,
    W_SDT,
    W_T,
    W_TBL,
    _int_prop,
    _tc_props,
    paragraph_runs,
    paragraph_text,
    run_text,
)
from ..readers.structure import normalize_text
from .marks import AUTHOR, INITIALS, Mark, Placed, note_for
from .ooxml import (
    CONTENT_TYPES,
    add_relationship,
    empty_rels,
    ensure_override,
    read_part,
    relationship_target,
    write_package,
    xml_bytes,
)
from .textmap import raw_span

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DOCUMENT, DOCUMENT_RELS = "word/document.xml", "word/_rels/document.xml.rels"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENT_DATE = "2000-01-01T00:00:00Z"  # fixed: the same input gives the same bytes


@dataclass
class _Places:
    """Body paragraphs (as blocks) and table cells (by table index and origin)."""

    paragraphs: list[Element] = field(default_factory=list)
    cells: list[dict[tuple[int, int], Element]] = field(default_factory=list)


@dataclass
class _Comments:
    """word/comments.xml (existing comments kept) and the next free comment id."""

    root: Element
    name: str
    next_id: int

    def add(self, text: str) -> str:
        comment_id = str(self.next_id)
        self.next_id += 1
        comment = etree.SubElement(self.root, qn("w:comment"), {
            qn("w:id"): comment_id, qn("w:author"): AUTHOR, qn("w:date"): COMMENT_DATE, qn("w:initials"): INITIALS})
        paragraph = etree.SubElement(comment, qn("w:p"))
        reference = etree.SubElement(paragraph, W_R)
        reference.append(_run_style("CommentReference"))
        etree.SubElement(reference, qn("w:annotationRef"))
        t = etree.SubElement(etree.SubElement(paragraph, W_R), W_T, {XML_SPACE: "preserve"})
        t.text = text
        return comment_id


def mark_docx(source: Path, target: Path, marks: list[Mark]) -> list[Placed]:
    """Write `target`: `source` with one comment per mark; the source is only read."""
    with zipfile.ZipFile(source) as archive:
        document = etree.fromstring(archive.read(DOCUMENT))
        rels = read_part(archive, DOCUMENT_RELS)
        rels = rels if rels is not None else empty_rels()
        comments = _comments_part(archive, rels)
        places = _find_places(document.find(qn("w:body")))
        placed = [_mark_one(comments, places, mark) for mark in marks]
        types = etree.fromstring(archive.read(CONTENT_TYPES))
        ensure_override(types, "/" + comments.name, COMMENTS_TYPE)
        write_package(archive, target, {
            DOCUMENT: xml_bytes(document), DOCUMENT_RELS: xml_bytes(rels),
            comments.name: xml_bytes(comments.root), CONTENT_TYPES: xml_bytes(types)})
    return placed


def _comments_part(archive: zipfile.ZipFile, rels: Element) -> _Comments:
    """The document's comments part, or a new word/comments.xml related to the document."""
    target = relationship_target(rels, COMMENTS_REL)
    if target is None:
        add_relationship(rels, COMMENTS_REL, "comments.xml")
        target = "comments.xml"
    name = target.lstrip("/") if target.startswith("/") else f"word/{target}"
    root = read_part(archive, name)
    if root is None:
        root = etree.Element(qn("w:comments"), nsmap={"w": nsmap["w"]})
    ids = [int(c.get(qn("w:id"), "-1")) for c in root.iterfind(qn("w:comment")) if c.get(qn("w:id"), "").isdigit()]
    return _Comments(root, name, max(ids, default=-1) + 1)


def _run_style(style: str) -> Element:
    r_pr = etree.Element(qn("w:rPr"))
    etree.SubElement(r_pr, qn("w:rStyle"), {qn("w:val"): style})
    return r_pr


def anchor(comments: _Comments, first: Element, last: Element, text: str) -> None:
    """Comment range around first..last, then the reference run (python-docx's layout)."""
    comment_id = comments.add(text)
    first.addprevious(etree.Element(qn("w:commentRangeStart"), {qn("w:id"): comment_id}))
    end = etree.Element(qn("w:commentRangeEnd"), {qn("w:id"): comment_id})
    last.addnext(end)
    reference = etree.Element(W_R)
    reference.append(_run_style("CommentReference"))
    etree.SubElement(reference, qn("w:commentReference"), {qn("w:id"): comment_id})
    end.addnext(reference)


def _find_places(body: Element) -> _Places:
    places = _Places()
    _walk(body, places)
    return places


def _walk(container: Element, places: _Places) -> None:
    for child in container.iterchildren():
        if child.tag == W_P and normalize_text(paragraph_text(child)):
            places.paragraphs.append(child)
        elif child.tag == W_TBL:
            _add_table(child, places)
        elif child.tag == W_SDT and (content := child.find(qn("w:sdtContent"))) is not None:
            _walk(content, places)


def _add_table(tbl: Element, places: _Places) -> None:
    """The table's origin cells, then its nested tables depth first (readers/docx order)."""
    origins = _origin_cells(tbl)
    places.cells.append(origins)
    for (_, _), tc in sorted(origins.items()):
        for inner in tc.iterchildren(W_TBL):
            _add_table(inner, places)


def _origin_cells(tbl: Element) -> dict[tuple[int, int], Element]:
    """(row, col) -> w:tc of every origin cell, as readers.docx.table_grid places them."""
    origins: dict[tuple[int, int], Element] = {}
    open_v: set[int] = set()
    for r, tr in enumerate(TABLE_ROWS(tbl)):
        col, continued = _int_prop(tr.find(qn("w:trPr")), "w:gridBefore", 0), set()
        for tc in ROW_CELLS(tr):
            span, v_merge = _tc_props(tc)
            if v_merge == "continue" and col in open_v:
                continued.add(col)
            else:
                origins[(r, col)] = tc
                if v_merge == "restart":
                    continued.add(col)
            col += span
        open_v = continued
    return origins


def _mark_one(comments: _Comments, places: _Places, mark: Mark) -> Placed:
    span = _exact_span(places, mark) if mark.exact_locator else None
    first, last = span if span is not None else _nearest_runs(places, mark)
    anchor(comments, first, last, note_for(mark, span is not None))
    return Placed(mark, span is not None)


def _exact_span(places: _Places, mark: Mark) -> tuple[Element, Element] | None:
    """(first, last) run holding exactly the figure's characters, runs split as needed."""
    loc = mark.locator
    assert loc is not None
    paragraphs = _located_paragraphs(places, mark)
    if not paragraphs:
        return None
    texts = [paragraph_raw(p) for p in paragraphs]
    span = raw_span("\n".join(texts), loc.char_start, loc.char_end, mark.figure)
    if span is None:
        return None
    (p_first, a), (p_last, b) = _split_offset(texts, span[0], False), _split_offset(texts, span[1], True)
    first = _run_starting_at(paragraphs[p_first], a)
    last = _run_ending_at(paragraphs[p_last], b)
    return (first, last) if first is not None and last is not None else None


def _located_paragraphs(places: _Places, mark: Mark) -> list[Element]:
    loc = mark.locator
    assert loc is not None
    if loc.table is None:
        ok = loc.block is not None and 0 <= loc.block < len(places.paragraphs)
        return [places.paragraphs[loc.block]] if ok else []  # type: ignore[index]
    if not 0 <= loc.table < len(places.cells):
        return []
    tc = places.cells[loc.table].get((loc.row, loc.col))  # type: ignore[arg-type]
    return list(CELL_PARAGRAPHS(tc)) if tc is not None else []


def paragraph_raw(p: Element) -> str:
    return "".join(run_text(r) for r in paragraph_runs(p))


def _split_offset(texts: list[str], offset: int, is_end: bool) -> tuple[int, int]:
    """Offset in the '\\n'-joined texts -> (paragraph index, offset in that paragraph)."""
    start = 0
    for index, text in enumerate(texts):
        end = start + len(text)
        if offset < end or (is_end and offset == end):
            return index, offset - start
        start = end + 1
    return len(texts) - 1, len(texts[-1])


def _run_starting_at(p: Element, offset: int) -> Element | None:
    """The run that starts at `offset` of the paragraph's text, splitting one if needed."""
    start = 0
    for r in paragraph_runs(p):
        length = len(run_text(r))
        if length and start == offset:
            return r
        if start < offset < start + length:
            return split_run(r, offset - start)[1]
        start += length
    return None


def _run_ending_at(p: Element, offset: int) -> Element | None:
    start = 0
    for r in paragraph_runs(p):
        length = len(run_text(r))
        if length and start + length == offset:
            return r
        if start < offset < start + length:
            return split_run(r, offset - start)[0]
        start += length
    return None


def _atom_length(child: Element) -> int:
    if child.tag == W_T:
        return len(child.text or "")
    if child.tag == W_BR:
        return 1 if child.get(qn("w:type"), "textWrapping") == "textWrapping" else 0
    return 1 if child.tag in RUN_TEXT else 0


def split_run(r: Element, k: int) -> tuple[Element, Element]:
    """Split w:r at its k-th text character into two runs with the same w:rPr."""
    right = copy.deepcopy(r)
    r.addnext(right)
    position = 0
    for left_child, right_child in zip(list(r), list(right)):
        if left_child.tag == qn("w:rPr"):
            continue
        length = _atom_length(left_child)
        if position + length <= k:
            right.remove(right_child)
        elif position >= k:
            r.remove(left_child)
        else:
            cut = k - position
            left_child.text, right_child.text = left_child.text[:cut], left_child.text[cut:]
            left_child.set(XML_SPACE, "preserve")
            right_child.set(XML_SPACE, "preserve")
        position += length
    return r, right


def _nearest_runs(places: _Places, mark: Mark) -> tuple[Element, Element]:
    """The whole paragraph (or cell) the mark points at, else the first paragraph with text."""
    candidates = _located_paragraphs(places, mark) if mark.locator is not None else []
    for p in [*candidates, *places.paragraphs]:
        runs = [r for r in paragraph_runs(p) if run_text(r)]
        if runs:
            return runs[0], runs[-1]
    raise ValueError("no paragraph with text")  # readers reject such files (E107)
