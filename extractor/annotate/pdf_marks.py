"""A PDF copy with a highlight annotation over each cited figure, the message as its note.

The figure's characters are found on the locator's page with pdfium's text page (a few
milliseconds a page, where re-reading the layout would cost what the whole check did).
When the figure occurs more than once on the page, the finding's excerpt decides: the
sentence it was read from, or for a table cell the row label's line and the column
label's column. A figure that stays ambiguous or is not found is marked as not exact
(a note at the top of its page) and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfWriter
from pypdf.annotations import Highlight, Text
from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

from ..readers.structure import FULLWIDTH_ALNUM
from .marks import AUTHOR, Mark, Placed, note_for

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points
PAD = 1.0  # pt around the figure, so the highlight covers the glyphs' full boxes
YELLOW = "ffff00"


@dataclass
class _PageText:
    """A page's characters, whitespace runs as one space (so adjacent cells' figures stay
    apart), each with its box; `squeezed` is the text without the spaces (for labels and
    sentences, which the reader joined across lines)."""

    text: str
    boxes: list[Box | None]
    height: float

    @property
    def squeezed(self) -> tuple[str, list[int]]:
        keep = [i for i, ch in enumerate(self.text) if ch != " "]
        return "".join(self.text[i] for i in keep), keep


def mark_pdf(source: Path, target: Path, marks: list[Mark]) -> list[Placed]:
    """Write `target`: `source` with one annotation per mark; the source is only read."""
    writer = PdfWriter(clone_from=str(source))
    pdf = pdfium.PdfDocument(str(source))
    try:
        pages: dict[int, _PageText] = {}
        placed = [_mark_one(writer, pdf, pages, mark) for mark in marks]
    finally:
        pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as fh:
        writer.write(fh)
    return placed


def _mark_one(writer: PdfWriter, pdf: pdfium.PdfDocument, pages: dict[int, _PageText], mark: Mark) -> Placed:
    loc = mark.locator
    first = loc.page if loc is not None and loc.page is not None and 1 <= loc.page <= len(pdf) else 1
    # A paragraph's page is where it starts: its figure may sit on the next one.
    for page in ([first, first + 1] if loc is not None and loc.table is None and first < len(pdf) else [first]):
        if page not in pages:
            pages[page] = page_text(pdf, page)
        spans = figure_spans(pages[page], mark) if mark.exact_locator else []
        if len(spans) == 1:
            lines = _line_boxes(pages[page].boxes[spans[0][0]:spans[0][1]])
            _add_highlight(writer, page - 1, lines, note_for(mark, True))
            return Placed(mark, True)
        if spans:
            break  # on this page, but more than once: not exact
    _add_note(writer, first - 1, pages[first].height, note_for(mark, False))
    return Placed(mark, False)


def page_text(pdf: pdfium.PdfDocument, number: int) -> _PageText:
    """Visible characters in pdfium's order, full-width digits as ASCII, fake-bold copies dropped."""
    page = pdf[number - 1]
    textpage = page.get_textpage()
    chars: list[str] = []
    boxes: list[Box | None] = []
    last: Box | None = None
    for index in range(textpage.count_chars()):
        ch = textpage.get_text_range(index, 1)
        if not ch or ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                boxes.append(None)
            continue
        box = textpage.get_charbox(index, loose=True)
        if last is not None and ch == chars[-1] and _same_place(box, last):
            continue
        chars.append(ch.translate(FULLWIDTH_ALNUM))
        boxes.append(box)
        last = box
    height = page.get_height()
    textpage.close()
    page.close()
    return _PageText("".join(chars), boxes, height)


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
    row label's line and the column label's column. No excerpt: all stay (not exact)."""
    loc = mark.locator
    assert loc is not None
    if not mark.context:
        return spans
    if loc.table is None:
        sentence = _squeeze(mark.context)
        inside = [s for s in spans if _within_sentence(page, s, sentence)]
        return inside or spans
    return _in_row_and_column(page, spans, mark.context, mark.figure) or spans


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
        box = _union(page.boxes[span[0]:span[1]])
        middle_y, middle_x = (box[1] + box[3]) / 2, (box[0] + box[2]) / 2
        in_row = not rows or any(r[1] - PAD <= middle_y <= r[3] + PAD for r in rows)
        in_col = not cols or any(c[0] - PAD <= middle_x <= c[2] + PAD for c in cols)
        if in_row and in_col:
            kept.append(span)
    return kept if (rows or cols) else []


def _label_boxes(page: _PageText, label: str) -> list[Box]:
    label = _squeeze(label)
    if not label:
        return []
    text, where = page.squeezed
    found, start = [], 0
    while (index := text.find(label, start)) >= 0:
        found.append(_union(page.boxes[where[index]:where[index + len(label) - 1] + 1]))
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


def _add_highlight(writer: PdfWriter, page_index: int, lines: list[Box], note: str) -> None:
    """One highlight: a quadrilateral per line (so only the figure is covered), the note."""
    padded = [(b[0] - PAD, b[1] - PAD, b[2] + PAD, b[3] + PAD) for b in lines]
    quad = ArrayObject([FloatObject(v) for left, bottom, right, top in padded
                        for v in (left, top, right, top, left, bottom, right, bottom)])
    rect = _union(padded)  # type: ignore[arg-type]
    annotation = Highlight(rect=rect, quad_points=quad, highlight_color=YELLOW, printing=True)
    _describe(annotation, note)
    writer.add_annotation(page_number=page_index, annotation=annotation)


def _add_note(writer: PdfWriter, page_index: int, height: float, note: str) -> None:
    """A sticky note at the page's top-left corner: the figure could not be found exactly."""
    annotation = Text(rect=(20, height - 40, 40, height - 20), text=note, open=False)
    _describe(annotation, note)
    writer.add_annotation(page_number=page_index, annotation=annotation)


def _describe(annotation: dict, note: str) -> None:
    annotation[NameObject("/Contents")] = TextStringObject(note)
    annotation[NameObject("/T")] = TextStringObject(AUTHOR)
