"""An XLSX copy with a comment and a yellow fill on each cited cell.

readers/xlsx.py numbers a sheet's cells from the top-left of its used range (cells with a
value or a formula), so the same origin is found here from the sheet XML and the locator's
(row, col) is offset by it. The cell's shown text (its value through its number format, as
the reader renders it) must hold the figure at the locator's offsets for the mark to count
as exact. The parts are edited as XML (ooxml.py): openpyxl's full load and save cost
~150 ms a file, and would drop drawings and charts; here every other part is kept as it is.
Comments are written as Excel writes them: xl/comments/commentN.xml for the text, a VML
drawing for the note boxes, both related to the sheet, the sheet's <legacyDrawing>.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml.etree import _Element as Element
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from ..readers.xlsx import cell_text
from .marks import AUTHOR, Mark, Placed, note_for
from .ooxml import (
    CONTENT_TYPES,
    add_relationship,
    empty_rels,
    ensure_default,
    ensure_override,
    read_part,
    relationship_target,
    write_package,
    xml_bytes,
)
from .xlsx_vml import VML_TYPE, comments_root, note_shape, vml_root

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
S = f"{{{NS}}}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
YELLOW = "FFFFFF00"
# CT_Worksheet children that come after <legacyDrawing>: it goes before the first present.
AFTER_LEGACY = {S + t for t in ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                                 "webPublishItems", "tableParts", "extLst")}


@dataclass
class _Sheet:
    part: str
    root: Element
    cells: dict[tuple[int, int], Element]
    origin: tuple[int, int]
    notes: dict[str, list[str]] = field(default_factory=dict)  # cell ref -> comment texts, in order


@dataclass
class _Book:
    archive: zipfile.ZipFile
    sheet_parts: dict[str, str]  # sheet name -> part
    shared: list[str]
    styles: Element
    styles_part: str
    sheets: dict[str, _Sheet] = field(default_factory=dict)
    filled: dict[int, int] = field(default_factory=dict)  # style index -> its copy with the fill
    new_parts: set[str] = field(default_factory=set)  # part names taken by this run
    fill_id: int | None = None

    def sheet(self, name: str) -> _Sheet | None:
        if name not in self.sheets and name in self.sheet_parts:
            root = etree.fromstring(self.archive.read(self.sheet_parts[name]))
            cells = {coordinate_to_tuple(c.get("r", "A1")): c for c in root.iter(S + "c")}
            self.sheets[name] = _Sheet(self.sheet_parts[name], root, cells, self._origin(cells))
        return self.sheets.get(name)

    def _origin(self, cells: dict[tuple[int, int], Element]) -> tuple[int, int]:
        filled = [key for key, c in cells.items() if c.find(S + "f") is not None or shown_value(self, c)[0]]
        return (min(r for r, _ in filled), min(c for _, c in filled)) if filled else (1, 1)


def mark_xlsx(source: Path, target: Path, marks: list[Mark]) -> list[Placed]:
    """Write `target`: `source` with one comment per mark; the source is only read."""
    with zipfile.ZipFile(source) as archive:
        book = _open_book(archive)
        placed = [_mark_one(book, mark) for mark in marks]
        write_package(archive, target, _finish(book))
    return placed


def _open_book(archive: zipfile.ZipFile) -> _Book:
    workbook = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = read_part(archive, "xl/_rels/workbook.xml.rels")
    targets = {rel.get("Id"): rel for rel in (rels if rels is not None else [])}
    parts = {s.get("name", ""): _part_name(targets[s.get(R_ID)].get("Target", ""), "xl")
             for s in workbook.iter(S + "sheet") if s.get(R_ID) in targets}
    shared_target = relationship_target(rels, REL + "sharedStrings")
    shared = read_part(archive, _part_name(shared_target, "xl")) if shared_target else None
    styles_part = _part_name(relationship_target(rels, REL + "styles") or "styles.xml", "xl")
    styles = read_part(archive, styles_part)
    if styles is None:
        raise ValueError("workbook without styles part")  # openpyxl-less writers; the file is copied as it is
    strings = [_string_text(si) for si in shared.iterfind(S + "si")] if shared is not None else []
    return _Book(archive, parts, strings, styles, styles_part)


def _part_name(target: str, folder: str) -> str:
    """A relationship target -> the zip entry name ('/xl/x.xml' or 'x.xml' relative to folder)."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = f"{folder}/{target}".split("/")
    out: list[str] = []
    for piece in parts:
        if piece == "..":
            out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _string_text(si: Element) -> str:
    """A shared string's text without its phonetic (rPh) runs."""
    return "".join(t.text or "" for t in si.iter(S + "t") if t.getparent().tag != S + "rPh")


def shown_value(book: _Book, c: Element) -> tuple[object, bool]:
    """(value as openpyxl gives it, whether it is blank); dates come back as None, blank False."""
    kind, v = c.get("t", "n"), c.findtext(S + "v")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in c.iter(S + "t"))
        return text, bool(text.strip())
    if v is None or v == "":
        return None, False
    if kind == "s":
        text = book.shared[int(v)] if v.isdigit() and int(v) < len(book.shared) else ""
        return text, bool(text.strip())
    if kind in ("str", "e"):
        return v, bool(v.strip())
    if kind == "b":
        return v == "1", True
    if kind == "d":
        return None, True
    return (float(v) if any(ch in v for ch in ".Ee") else int(v)), True


def number_format(book: _Book, c: Element) -> str | None:
    """The cell's number format code; None for a date format (its text is not a figure)."""
    xfs = book.styles.find(S + "cellXfs")
    index = int(c.get("s", "0"))
    xf = xfs[index] if xfs is not None and index < len(xfs) else None
    fmt_id = int(xf.get("numFmtId", "0")) if xf is not None else 0
    custom = {int(n.get("numFmtId", "-1")): n.get("formatCode", "") for n in book.styles.iter(S + "numFmt")}
    code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General"))
    return None if is_date_format(code) else code


def _mark_one(book: _Book, mark: Mark) -> Placed:
    loc = mark.locator
    sheet = book.sheet(loc.sheet) if loc is not None and loc.sheet else None
    cell = None
    if sheet is not None and loc is not None and loc.row is not None and loc.col is not None:
        cell = sheet.cells.get((sheet.origin[0] + loc.row, sheet.origin[1] + loc.col))
    exact = cell is not None and mark.exact_locator and _shows_figure(book, cell, mark)
    if cell is None:
        sheet = sheet or book.sheet(next(iter(book.sheet_parts)))
        assert sheet is not None
        cell = sheet.cells.get(sheet.origin) or _new_cell(sheet, sheet.origin)
    _note(book, sheet, cell, note_for(mark, exact))
    return Placed(mark, exact)


def _shows_figure(book: _Book, c: Element, mark: Mark) -> bool:
    loc = mark.locator
    assert loc is not None
    code = number_format(book, c)
    value, _ = shown_value(book, c)
    if code is None or value is None:
        return False
    return cell_text(value, code)[loc.char_start:loc.char_end] == mark.figure


def _new_cell(sheet: _Sheet, coord: tuple[int, int]) -> Element:
    """An empty cell for a note when the sheet has none at its origin (an empty sheet)."""
    data = sheet.root.find(S + "sheetData")
    row = next((r for r in data.iterfind(S + "row") if r.get("r") == str(coord[0])), None)
    if row is None:
        row = etree.SubElement(data, S + "row", r=str(coord[0]))
    cell = etree.SubElement(row, S + "c", r=f"{get_column_letter(coord[1])}{coord[0]}")
    sheet.cells[coord] = cell
    return cell


def _note(book: _Book, sheet: _Sheet, c: Element, text: str) -> None:
    sheet.notes.setdefault(c.get("r", "A1"), []).append(text)
    style = int(c.get("s", "0"))
    if style not in book.filled:
        book.filled[style] = _filled_style(book, style)
    c.set("s", str(book.filled[style]))


def _filled_style(book: _Book, style: int) -> int:
    """A copy of cell style `style` with the yellow fill; returns its index."""
    import copy

    if book.fill_id is None:
        fills = book.styles.find(S + "fills")
        fill = etree.SubElement(etree.SubElement(fills, S + "fill"), S + "patternFill", patternType="solid")
        etree.SubElement(fill, S + "fgColor", rgb=YELLOW)
        etree.SubElement(fill, S + "bgColor", indexed="64")
        fills.set("count", str(len(fills)))
        book.fill_id = len(fills) - 1
    xfs = book.styles.find(S + "cellXfs")
    xf = copy.deepcopy(xfs[style]) if style < len(xfs) else etree.Element(S + "xf", numFmtId="0", fontId="0",
                                                                         borderId="0", xfId="0")
    xf.set("fillId", str(book.fill_id))
    xf.set("applyFill", "1")
    xfs.append(xf)
    xfs.set("count", str(len(xfs)))
    return len(xfs) - 1


def _finish(book: _Book) -> dict[str, bytes]:
    """The changed parts: sheets, their comments and VML drawings and rels, styles, content types."""
    types = etree.fromstring(book.archive.read(CONTENT_TYPES))
    ensure_default(types, "vml", VML_TYPE)
    parts: dict[str, bytes] = {}
    for sheet in book.sheets.values():
        if sheet.notes:
            parts.update(_sheet_notes(book, sheet, types))
    parts[book.styles_part] = xml_bytes(book.styles)
    parts[CONTENT_TYPES] = xml_bytes(types)
    return parts


def _sheet_notes(book: _Book, sheet: _Sheet, types: Element) -> dict[str, bytes]:
    folder, _, base = sheet.part.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels"
    rels = read_part(book.archive, rels_name)
    rels = rels if rels is not None else empty_rels()
    comments_name, comments = _related(book, rels, folder, REL + "comments", "xl/comments/comment{}.xml")
    vml_name, vml = _related(book, rels, folder, REL + "vmlDrawing", "xl/drawings/commentsDrawing{}.vml")
    comments = comments if comments is not None else comments_root()
    vml = vml if vml is not None else vml_root()
    _add_notes(comments, vml, sheet.notes)
    ensure_override(types, "/" + comments_name, COMMENTS_TYPE)
    if sheet.root.find(S + "legacyDrawing") is None:
        rel_id = next(r.get("Id") for r in rels if r.get("Type") == REL + "vmlDrawing")
        _insert_legacy_drawing(sheet.root, rel_id)
    return {sheet.part: xml_bytes(sheet.root), rels_name: xml_bytes(rels),
            comments_name: xml_bytes(comments), vml_name: xml_bytes(vml)}


def _related(book: _Book, rels: Element, folder: str, rel_type: str, pattern: str) -> tuple[str, Element | None]:
    """(part name, parsed part or None) of the sheet's related part, adding the relationship."""
    target = relationship_target(rels, rel_type)
    if target is not None:
        name = _part_name(target, folder)
        return name, read_part(book.archive, name)
    taken = set(book.archive.namelist()) | book.new_parts
    number = 1
    while pattern.format(number) in taken:
        number += 1
    name = pattern.format(number)
    book.new_parts.add(name)
    add_relationship(rels, rel_type, "/" + name)
    return name, None


def _add_notes(comments: Element, vml: Element, notes: dict[str, list[str]]) -> None:
    """One comment per cell (several findings joined), by our author; the VML note box too."""
    authors = comments.find(S + "authors")
    names = [a.text for a in authors]
    if AUTHOR not in names:
        etree.SubElement(authors, S + "author").text = AUTHOR
        names.append(AUTHOR)
    listing = comments.find(S + "commentList")
    existing = {c.get("ref"): c for c in listing}
    for ref, texts in notes.items():
        body = "\n\n".join(texts)
        if ref in existing:
            run = etree.SubElement(existing[ref].find(S + "text"), S + "r")
            etree.SubElement(run, S + "t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = "\n\n" + body
            continue
        comment = etree.SubElement(listing, S + "comment", ref=ref, authorId=str(names.index(AUTHOR)))
        etree.SubElement(etree.SubElement(comment, S + "text"), S + "t").text = body
        row, col = coordinate_to_tuple(ref)
        vml.append(note_shape(vml, row - 1, col - 1))


def _insert_legacy_drawing(root: Element, rel_id: str) -> None:
    element = etree.Element(S + "legacyDrawing", {R_ID: rel_id})
    later = next((child for child in root if child.tag in AFTER_LEGACY), None)
    if later is not None:
        later.addprevious(element)
    else:
        root.append(element)
