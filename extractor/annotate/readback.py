"""Read the marks back from a returned file with the ordinary libraries (the tests and
bench/annotate.py check with these what was written, independently of how).

docx_comments: every w:comment with the text its range covers and a check that each id
has one commentRangeStart, one commentRangeEnd (after it) and one commentReference.
pdf_highlights: every highlight with the page characters inside its rectangle (pdfplumber).
xlsx_comments: every cell comment (openpyxl).
"""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from ..readers.docx import SKIPPED_RUN_PARENTS, W_P, W_R, run_text
from ..readers.structure import normalize_text

MARKERS = {qn("w:commentRangeStart"): "start", qn("w:commentRangeEnd"): "end", qn("w:commentReference"): "ref"}


@dataclass(frozen=True)
class DocxComment:
    id: str
    author: str
    text: str
    anchor: str  # the covered text, normalised as the reader normalises


def docx_comments(path: Path) -> tuple[list[DocxComment], list[str]]:
    """(comments in id order, problems with the range markers; [] when all pair up)."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        comments = etree.fromstring(archive.read("word/comments.xml"))
    anchors, problems = _anchors(body)
    out = []
    for comment in comments.iterfind(qn("w:comment")):
        comment_id = comment.get(qn("w:id"), "")
        text = "".join(t.text or "" for t in comment.iter(qn("w:t")))
        out.append(DocxComment(comment_id, comment.get(qn("w:author"), ""), text,
                               normalize_text(anchors.get(comment_id, ""))))
        if comment_id not in anchors:
            problems.append(f"comment {comment_id}: no range in the document")
    return out, problems


def _anchors(body: etree._Element) -> tuple[dict[str, str], list[str]]:
    """Covered text per comment id, walking the document in order."""
    seen: Counter[tuple[str, str]] = Counter()
    open_ids: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    problems: list[str] = []
    for element in body.iter():
        kind = MARKERS.get(element.tag)
        if kind is not None:
            comment_id = element.get(qn("w:id"), "")
            seen[(comment_id, kind)] += 1
            if kind == "start":
                open_ids[comment_id] = []
            elif kind == "end":
                if comment_id not in open_ids:
                    problems.append(f"comment {comment_id}: commentRangeEnd before its start")
                done[comment_id] = "".join(open_ids.pop(comment_id, []))
        elif element.tag == W_R and not _skipped(element):
            for parts in open_ids.values():
                parts.append(run_text(element))
        elif element.tag == W_P:
            for parts in open_ids.values():
                if parts:
                    parts.append("\n")
    for comment_id in {i for i, _ in seen}:
        counts = [seen[(comment_id, kind)] for kind in ("start", "end", "ref")]
        if counts != [1, 1, 1]:
            problems.append(f"comment {comment_id}: start/end/reference counts {counts}")
    return done, problems


def _skipped(run: etree._Element) -> bool:
    node = run.getparent()
    while node is not None:
        if node.tag in SKIPPED_RUN_PARENTS:
            return True
        node = node.getparent()
    return False


Rect = tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber's, top-left origin)


@dataclass(frozen=True)
class PdfHighlight:
    page: int
    quads: tuple[Rect, ...]  # one per line the highlight covers
    note: str
    inside: str  # the characters whose centre lies in a quad, line by line, whitespace dropped


def pdf_highlights(path: Path) -> list[PdfHighlight]:
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.annots:
                data = annot.get("data", {})
                if "Highlight" not in str(data.get("Subtype", "")):
                    continue
                quads = _quads(data.get("QuadPoints", []), float(page.height))
                inside = "".join(_chars_inside(page.chars, quad) for quad in quads)
                out.append(PdfHighlight(number, quads, annot.get("contents") or "", inside))
    return out


def _quads(points: list[float], height: float) -> tuple[Rect, ...]:
    """QuadPoints (8 numbers a quad, PDF space) -> rectangles in pdfplumber's space."""
    out = []
    for i in range(0, len(points) - 7, 8):
        xs, ys = [float(v) for v in points[i:i + 8:2]], [float(v) for v in points[i + 1:i + 8:2]]
        out.append((min(xs), height - max(ys), max(xs), height - min(ys)))
    return tuple(out)


def _chars_inside(chars: list[dict], rect: Rect) -> str:
    """Text of the chars centred in the rectangle, left to right, fake-bold copies dropped."""
    x0, top, x1, bottom = rect
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
              and not c["text"].isspace()]
    inside.sort(key=lambda c: c["x0"])
    kept: list[dict] = []
    for ch in inside:
        if kept and ch["text"] == kept[-1]["text"] and abs(ch["x0"] - kept[-1]["x0"]) <= 0.12 * ch["size"]:
            continue
        kept.append(ch)
    return normalize_text("".join(c["text"] for c in kept))


@dataclass(frozen=True)
class XlsxComment:
    sheet: str
    coordinate: str
    author: str
    text: str
    fill: str  # the cell's fill colour (ARGB)


def xlsx_comments(path: Path) -> list[XlsxComment]:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    out = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    out.append(XlsxComment(sheet.title, cell.coordinate, cell.comment.author or "",
                                           cell.comment.text, str(cell.fill.fgColor.rgb)))
    return out
