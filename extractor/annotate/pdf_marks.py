"""A PDF copy with a highlight annotation over each cited figure, the message as its note.

The figure's characters are found on the locator's page with pdfium's text page (a few
milliseconds a page, where re-reading the layout would cost what the whole check did), and
the annotations are written with pdfium too (the copy is saved whole; its second file /ID,
which pdfium draws at random, is made a hash of the content so the same input gives the
same bytes).
When the figure occurs more than once on the page, the finding's excerpt decides: the
sentence it was read from, or for a table cell the row label's line and the column
label's column. A figure that stays ambiguous or is not found is marked as not exact
(a note at the top of its page) and counted.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..readers.structure import FULLWIDTH_ALNUM
from .marks import AUTHOR, Mark, Placed, note_for

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points
PAD = 1.0  # pt around the figure, so the highlight covers the glyphs' full boxes
YELLOW = (255, 255, 0, 255)
PRINT_FLAG = 4  # the annotation prints with the page


@dataclass
class _PageText:
    """A page's characters, whitespace runs as one space (so adjacent cells' figures stay
    apart), each with its pdfium char index (-1 for a space); boxes are asked of pdfium only
    for the characters a mark needs. `squeezed` is the text without the spaces (for labels
    and sentences, which the reader joined across lines)."""

    text: str
    index: list[int]
    page: pdfium.PdfPage
    textpage: pdfium.PdfTextPage
    height: float

    def boxes(self, start: int, end: int) -> list[Box]:
        return [self.textpage.get_charbox(i, loose=True) for i in self.index[start:end] if i >= 0]

    @cached_property
    def squeezed(self) -> tuple[str, list[int]]:
        keep = [i for i, ch in enumerate(self.text) if ch != " "]
        return "".join(self.text[i] for i in keep), keep

    def close(self) -> None:
        self.textpage.close()
        self.page.close()


def mark_pdf(source: Path, target: Path, marks: list[Mark]) -> list[Placed]:
    """Write `target`: `source` with one annotation per mark, saved as an incremental update
    (the original bytes come first, unchanged); the source is only read."""
    original = source.read_bytes()
    pdf = pdfium.PdfDocument(original)
    pages: dict[int, _PageText] = {}
    try:
        placed = [_mark_one(pdf, pages, mark) for mark in marks]
        for page in pages.values():
            page.close()
        buffer = io.BytesIO()
        pdf.save(buffer, flags=pdfium_c.FPDF_NO_INCREMENTAL)
    finally:
        pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(stable_id(buffer.getvalue(), original))
    return placed


FILE_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def stable_id(data: bytes, original: bytes) -> bytes:
    """The last trailer's /ID made from a hash of what precedes it, each part its own length:
    the second always (pdfium draws it at random), the first unless the original file had it."""
    found = None
    for found in FILE_ID.finditer(data):
        pass
    if found is None:
        return data
    digest = hashlib.sha256(data[:found.start()]).hexdigest().upper().encode() * 4
    first, second = found.group(1), found.group(2)
    if first.upper() not in original.upper():
        first = digest[:len(first)]
    second = digest[-len(second):]
    return data[:found.start(1)] + first + data[found.end(1):found.start(2)] + second + data[found.end(2):]


def _mark_one(pdf: pdfium.PdfDocument, pages: dict[int, _PageText], mark: Mark) -> Placed:
    loc = mark.locator
    first = loc.page if loc is not None and loc.page is not None and 1 <= loc.page <= len(pdf) else 1
    # A paragraph's page is where it starts: its figure may sit on the next one.
    for page in ([first, first + 1] if loc is not None and loc.table is None and first < len(pdf) else [first]):
        if page not in pages:
            pages[page] = page_text(pdf, page)
        spans = figure_spans(pages[page], mark) if mark.exact_locator else []
        if len(spans) == 1:
            lines = _line_boxes(pages[page].boxes(*spans[0]))
            _add_highlight(pages[page].page, lines, note_for(mark, True))
            return Placed(mark, True)
        if spans:
            break  # on this page, but more than once: not exact
    _add_note(pages[first].page, pages[first].height, note_for(mark, False))
    return Placed(mark, False)


def page_text(pdf: pdfium.PdfDocument, number: int) -> _PageText:
    """Visible characters in pdfium's order, full-width digits as ASCII, fake-bold copies dropped."""
    page = pdf[number - 1]
    textpage = page.get_textpage()
    raw = textpage.get_text_range()
    if len(raw) != textpage.count_chars():  # characters beyond the BMP: one index each, asked singly
        raw = "".join(textpage.get_text_range(i, 1) or " " for i in range(textpage.count_chars()))
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(raw):
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                index.append(-1)
            continue
        ch = ch.translate(FULLWIDTH_ALNUM)
        if chars and ch == chars[-1] and _same_place(textpage.get_charbox(i, loose=True),
                                                     textpage.get_charbox(index[-1], loose=True)):
            continue  # a fake-bold copy drawn over the glyph before it
        chars.append(ch)
        index.append(i)
    height = page.get_height()
    return _PageText("".join(chars), index, page, textpage, height)


def _same_place(a: Box, b: Box) -> bool:
    size = max(a[3] - a[1], 1.0)
    return abs(a[0] - b[0]) <= 0.12 * size and abs(a[1] - b[1]) <= 0.12 * size


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(FULLWIDTH_ALNUM))


def figure_spans(page: _PageText, mark: Mark) -> list[tuple[int, int]]:
    """Where on the page the cited figure may be: one span when the place is certain."""
    figure = _squeeze(mark.figure)
    loose = r" ?".join(re.escape(ch) for ch in figure)  # a figure wrapped inside its cell
    pattern = re.compile(r"(?<![\d.])" + loose + r"(?![\d]|\.\d)")
    spans = [m.span() for m in pattern.finditer(page.text)]
    return _by_context(page, spans, mark) if len(spans) > 1 else spans


def _by_context(page: _PageText, spans: list[tuple[int, int]], mark: Mark) -> list[tuple[int, int]]:
    """Keep the occurrences the place's excerpt puts there: inside its sentence, or in the
    row label's line and the column label's column; a figure of a prose cell ("行 / 列：句子"),
    inside its sentence, then in its rows and columns. No excerpt: all stay (not exact)."""
    loc = mark.locator
    assert loc is not None
    if not mark.context:
        return spans
    if loc.table is None:
        return _in_sentence(page, spans, mark.context) or spans
    labels, _, shown = mark.context.rpartition("：")
    if _squeeze(shown) != _squeeze(mark.figure):  # the sentence of a prose cell
        spans = _in_sentence(page, spans, shown) or spans
        if len(spans) == 1 or not labels:
            return spans
        return (_in_row_and_column(page, spans, f"{labels}：{mark.figure}", mark.figure)
                or _under_nearest_header(page, spans, labels.partition(" / ")[2]) or spans)
    return _in_row_and_column(page, spans, mark.context, mark.figure) or spans


def _in_sentence(page: _PageText, spans: list[tuple[int, int]], sentence: str) -> list[tuple[int, int]]:
    squeezed = _squeeze(sentence)
    return [s for s in spans if _within_sentence(page, s, squeezed)] if squeezed else []


def _within_sentence(page: _PageText, span: tuple[int, int], sentence: str) -> bool:
    text, where = page.squeezed
    start = 0
    while (found := text.find(sentence, start)) >= 0:
        if where[found] <= span[0] and span[1] - 1 <= where[found + len(sentence) - 1]:
            return True
        start = found + 1
    return False


def _in_row_and_column(page: _PageText, spans: list[tuple[int, int]], excerpt: str, figure: str) -> list[tuple[int, int]]:
    """Cell excerpts read "行标签 / 列标签：数字" (readers' row and column labels)."""
    labels, _, value = excerpt.rpartition("：")
    if _squeeze(value) != _squeeze(figure) or not labels:
        return []
    row_label, _, col_label = labels.partition(" / ")
    rows = _label_boxes(page, row_label.rpartition("/")[2])  # a path "产出指标/数量指标/x": its own line
    cols = _label_boxes(page, col_label.rpartition("/")[2])
    kept = []
    for span in spans:
        box = _union(page.boxes(*span))
        middle_y, middle_x = (box[1] + box[3]) / 2, (box[0] + box[2]) / 2
        in_row = not rows or any(r[1] - PAD <= middle_y <= r[3] + PAD for r in rows)
        in_col = not cols or any(c[0] - PAD <= middle_x <= c[2] + PAD for c in cols)
        if in_row and in_col:
            kept.append(span)
    return kept if (rows or cols) else []


def _under_nearest_header(page: _PageText, spans: list[tuple[int, int]], header: str) -> list[tuple[int, int]]:
    """The one occurrence below the column header and horizontally nearest to it (a prose cell's
    lines run wider than its header: 预期目标 and 实际完成情况 side by side with the same sentence)."""
    heads = _label_boxes(page, header.rpartition("/")[2])
    if not heads:
        return []
    distance = {}
    for span in spans:
        box = _union(page.boxes(*span))
        below = [h for h in heads if box[3] <= h[1] + PAD]
        if below:
            distance[span] = min(max(0.0, h[0] - box[2], box[0] - h[2]) for h in below)
    ranked = sorted(distance, key=distance.__getitem__)
    if not ranked or (len(ranked) > 1 and distance[ranked[1]] - distance[ranked[0]] < 2 * PAD):
        return []
    return ranked[:1]


def _label_boxes(page: _PageText, label: str) -> list[Box]:
    label = _squeeze(label)
    if not label:
        return []
    text, where = page.squeezed
    found, start = [], 0
    while (index := text.find(label, start)) >= 0:
        found.append(_union(page.boxes(where[index], where[index + len(label) - 1] + 1)))
        start = index + 1
    return found


def _union(boxes: list[Box | None]) -> Box:
    real = [b for b in boxes if b is not None]
    return (min(b[0] for b in real), min(b[1] for b in real), max(b[2] for b in real), max(b[3] for b in real))


def _line_boxes(boxes: list[Box | None]) -> list[Box]:
    """One box per line the figure's characters sit on (a figure may wrap)."""
    lines: list[list[Box]] = []
    for box in boxes:
        if box is None:
            continue
        if lines and _overlaps(lines[-1][-1], box):
            lines[-1].append(box)
        else:
            lines.append([box])
    return [_union(line) for line in lines]  # type: ignore[arg-type]


def _overlaps(a: Box, b: Box) -> bool:
    middle = (b[1] + b[3]) / 2
    return a[1] <= middle <= a[3] and b[0] >= a[0]


def _add_highlight(page: pdfium.PdfPage, lines: list[Box], note: str) -> None:
    """One highlight: a quadrilateral per line (so only the figure is covered), the note."""
    padded = [(b[0] - PAD, b[1] - PAD, b[2] + PAD, b[3] + PAD) for b in lines]
    with _NewAnnotation(page, pdfium_c.FPDF_ANNOT_HIGHLIGHT, _union(padded), note) as annot:  # type: ignore[arg-type]
        for left, bottom, right, top in padded:
            quad = pdfium_c.FS_QUADPOINTSF(left, top, right, top, left, bottom, right, bottom)
            pdfium_c.FPDFAnnot_AppendAttachmentPoints(annot, ctypes.byref(quad))


def _add_note(page: pdfium.PdfPage, height: float, note: str) -> None:
    """A sticky note at the page's top-left corner: the figure could not be found exactly."""
    with _NewAnnotation(page, pdfium_c.FPDF_ANNOT_TEXT, (20, height - 40, 40, height - 20), note):
        pass


class _NewAnnotation:
    """A new annotation on the page with its rectangle, colour, note and author; closed on exit."""

    def __init__(self, page: pdfium.PdfPage, subtype: int, rect: Box, note: str) -> None:
        self.annot = pdfium_c.FPDFPage_CreateAnnot(page.raw, subtype)
        left, bottom, right, top = rect
        pdfium_c.FPDFAnnot_SetRect(self.annot, ctypes.byref(pdfium_c.FS_RECTF(left, top, right, bottom)))
        pdfium_c.FPDFAnnot_SetColor(self.annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, *YELLOW)
        pdfium_c.FPDFAnnot_SetFlags(self.annot, PRINT_FLAG)
        _set_string(self.annot, "Contents", note)
        _set_string(self.annot, "T", AUTHOR)

    def __enter__(self) -> object:
        return self.annot

    def __exit__(self, *exc: object) -> None:
        pdfium_c.FPDFPage_CloseAnnot(self.annot)


def _set_string(annot: object, key: str, text: str) -> None:
    data = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
    pdfium_c.FPDFAnnot_SetStringValue(annot, key.encode("ascii"), ctypes.cast(data, pdfium_c.FPDF_WIDESTRING))
