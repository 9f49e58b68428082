"""Scanned PDF pages -> the same Document: blocks with page and bbox, tables with spans.

Each page is rendered at about 150 dpi, reduced to its red channel (the seal fades),
deskewed, and read once by RapidOCR (PP-OCRv4, models shipped in the wheel, nothing
downloaded). Ruled tables are rebuilt from the image's ruling lines (ocr_tables) and each
recognised character goes to the cell its centre falls in; the rest become lines and
paragraphs. Every character keeps its recognition score (Document.ocr_text), so a figure
can be marked uncertain when any of its characters is (ocr_marks).

When this reader is used: readers.ocr_mode (--ocr auto|off|force).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Document, Format, Issue, Locator
from . import sha256_of
from .ocr_image import PageImage, for_engine, ink_mask, render_page
from .ocr_ink import unread_ink
from .ocr_layout import FOOTER_ZONE, OChar, OcrPage, Piece, _region, assemble
from .ocr_merge import interleave
from .ocr_tables import GridTable, find_tables
from .structure import HeadingRules

SCANNED_PAGE = "W106"  # readers.pdf: an image-only page in a PDF with a text layer
LOW_SCORE = 0.9  # a text box scoring below this is reported (W108)
UNREAD_INK = "W107"
LOW_TEXT = "W108"


@cache
def engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR  # the `ocr` extra; readers.ocr_mode says whether it is there

    return RapidOCR()


def add_scanned_pages(doc: Document, path: Path, headings: HeadingRules | None = None) -> Document:
    """A PDF read from its text layer, with its image-only pages (W106) read by OCR and put in
    their place in reading order (ocr_merge); the W106 issues of those pages go."""
    import pypdfium2 as pdfium

    numbers = sorted({i.locator.page for i in doc.issues if i.code == SCANNED_PAGE and i.locator and i.locator.page})
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = [_read_page(pdf[n - 1], n, doc.source) for n in numbers]
    finally:
        pdf.close()
    part = assemble(pages, doc.source, headings)
    blocks, tables, texts = interleave(doc, part)
    kept = tuple(i for i in doc.issues if not (i.code == SCANNED_PAGE and i.locator and i.locator.page in numbers))
    return replace(doc, blocks=blocks, tables=tables, issues=kept + part.issues,
                   ocr_pages=tuple(numbers), ocr_text=texts)


def read_scanned_pdf(path: Path, source: str, error: InputError | None = None,
                     headings: HeadingRules | None = None) -> Document:
    """Read every page of a PDF by OCR; the E106 `error` (or a new one) when nothing is read."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = [_read_page(pdf[i], i + 1, source) for i in range(len(pdf))]
    finally:
        pdf.close()
    doc = assemble(pages, source, headings)
    if not doc.blocks and not doc.tables:
        raise error or InputError("E106", path=path)
    return Document(source=source, format=Format.PDF, sha256=sha256_of(path), blocks=doc.blocks,
                    tables=doc.tables, metadata={}, pages=len(pages), issues=doc.issues,
                    ocr_pages=tuple(p.number for p in pages), ocr_text=doc.ocr_text)


def _read_page(page: Any, number: int, source: str) -> OcrPage:
    image = render_page(page, number)
    page.close()
    ink = ink_mask(image.gray)
    grids, rules, runs = find_tables(image.gray)
    clean = image.gray.copy()
    clean[rules] = 255  # ruling lines out of the recogniser's way
    result, _ = engine()(for_engine(clean), use_cls=False, text_score=0, return_word_box=True)
    chars = list(_chars(result or [], number))
    issues = [_low_text_issue(source, number, image, box, score)
              for box, score in _line_scores(result or []) if score < LOW_SCORE]
    in_cells: list[dict[tuple[int, int], list[OChar]]] = [{} for _ in grids]
    free: list[OChar] = []
    for ch in chars:
        spot = _cell_of(grids, ch.centre)
        if spot is None:
            free.append(ch)
        else:
            in_cells[spot[0]].setdefault(spot[1], []).append(ch)
    inked: set[tuple[int, tuple[int, int]]] = set()
    line_boxes = [box for box, _ in _line_scores(result or [])]
    for box in unread_ink(ink & ~runs, line_boxes, margins=FOOTER_ZONE):
        inked |= _distrust_near(box, free, in_cells, grids)
        issues.append(_ink_issue(source, number, image, box))
    tables = [(grid, {(c.row, c.col): Piece(_reading_order(cells.get((c.row, c.col), [])),
                                            (t, (c.row, c.col)) in inked) for c in grid.cells})
              for t, (grid, cells) in enumerate(zip(grids, in_cells))]
    return OcrPage(number, image, _lines(free), tables, issues)


def _chars(result: list[Any], page: int) -> Iterator[OChar]:
    """One OChar per recognised character, with its own score where RapidOCR gives one
    (return_word_box); otherwise the line's box split evenly and its lowest score."""
    for line, item in enumerate(result):
        box, text, score = item[0], item[1], float(item[2])
        words = item[4] if len(item) > 5 else []
        word_boxes = item[3] if len(item) > 5 else []
        word_scores = item[5] if len(item) > 5 else []
        if words and "".join(words) == text.replace(" ", ""):
            for word, wbox, wscore in zip(words, word_boxes, word_scores):
                yield from _split(word, _rect(wbox), float(wscore), line, page)
        else:
            lowest = min([score, *map(float, word_scores)])
            yield from _split(text.replace(" ", ""), _rect(box), lowest, line, page)


def _split(text: str, rect: tuple[float, float, float, float], score: float, line: int,
           page: int) -> Iterator[OChar]:
    x0, y0, x1, y1 = rect
    step = (x1 - x0) / max(1, len(text))
    for i, ch in enumerate(text):
        yield OChar(ch, (x0 + i * step, y0, x0 + (i + 1) * step, y1), score, line, page)


def _rect(points: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _line_scores(result: list[Any]) -> Iterator[tuple[tuple[float, float, float, float], float]]:
    for item in result:
        yield _rect(item[0]), (float(item[2]) if item[1].strip() else 0.0)


def _cell_of(grids: list[GridTable], point: tuple[float, float]) -> tuple[int, tuple[int, int]] | None:
    x, y = point
    for t, grid in enumerate(grids):
        gx0, gy0, gx1, gy1 = grid.box
        if not (gx0 <= x < gx1 and gy0 <= y < gy1):
            continue
        for cell in grid.cells:
            cx0, cy0, cx1, cy1 = cell.box
            if cx0 <= x < cx1 and cy0 <= y < cy1:
                return t, (cell.row, cell.col)
    return None


def _reading_order(chars: list[OChar]) -> list[OChar]:
    """Rows of characters top to bottom (a character joins a row it overlaps by half its
    height), each row left to right; rows joined with nothing (a figure wrapped in a cell)."""
    rows: list[list[OChar]] = []
    for ch in sorted(chars, key=lambda c: c.centre[1]):
        height = ch.box[3] - ch.box[1]
        if rows and abs(ch.centre[1] - _mid(rows[-1])) < height / 2:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    return [ch for row in rows for ch in sorted(row, key=lambda c: c.box[0])]


def _mid(row: list[OChar]) -> float:
    return sum(c.centre[1] for c in row) / len(row)


def _lines(free: list[OChar]) -> list[Piece]:
    """Text lines outside tables: characters of one recognised box, boxes side by side on one
    baseline joined (a space where the gap is wider than two characters)."""
    boxes: dict[int, list[OChar]] = {}
    for ch in free:
        boxes.setdefault(ch.line, []).append(ch)
    pieces = sorted((Piece(sorted(cs, key=lambda c: c.box[0])) for cs in boxes.values()),
                    key=lambda p: (p.box()[1], p.box()[0]))
    lines: list[Piece] = []
    for piece in pieces:
        if lines and _same_line(lines[-1], piece):
            _join_line(lines[-1], piece)
        else:
            lines.append(piece)
    return lines


def _same_line(a: Piece, b: Piece) -> bool:
    _, ay0, _, ay1 = a.box()
    _, by0, _, by1 = b.box()
    overlap = min(ay1, by1) - max(ay0, by0)
    return overlap > 0.5 * min(ay1 - ay0, by1 - by0)


def _join_line(line: Piece, piece: Piece) -> None:
    merged = sorted([*line.chars, *piece.chars], key=lambda c: c.box[0])
    out: list[OChar] = []
    for ch in merged:
        if out and ch.line != out[-1].line:
            width = ch.box[3] - ch.box[1]
            if ch.box[0] - out[-1].box[2] > 2 * width:
                out.append(OChar(" ", (out[-1].box[2], ch.box[1], ch.box[0], ch.box[3]), 1.0, ch.line, ch.page))
        out.append(ch)
    line.chars = out


def _distrust_near(box: tuple[int, int, int, int], free: list[OChar],
                   in_cells: list[dict[tuple[int, int], list[OChar]]],
                   grids: list[GridTable]) -> set[tuple[int, tuple[int, int]]]:
    """Unread ink beside text: the characters of its line or cell may be missing some; their
    scores drop to 0 so a figure there is flagged, never taken as read. Returns the cell it is in."""
    x0, y0, x1, y1 = box
    for ch in free:
        cx0, cy0, cx1, cy1 = ch.box
        height = cy1 - cy0
        if min(cy1, y1) - max(cy0, y0) > 0 and (x0 - 3 * height) < cx1 and cx0 < (x1 + 3 * height):
            ch.score = 0.0
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    spot = _cell_of(grids, centre)
    if spot is None:
        return set()
    for ch in in_cells[spot[0]].get(spot[1], []):
        ch.score = 0.0
    return {spot}


def _ink_issue(source: str, page: int, image: PageImage, box: tuple[int, int, int, int]) -> Issue:
    message = f"{source} 第{page}页 区域{_region(image, box)} 有未识别出文字的笔迹，请核对原件"
    return Issue(UNREAD_INK, message, source, Locator(source=source, page=page))


def _low_text_issue(source: str, page: int, image: PageImage, box: tuple[float, float, float, float],
                    score: float) -> Issue:
    what = "识别结果为空" if score == 0 else f"识别置信度低（{score:.2f}）"
    message = f"{source} 第{page}页 区域{_region(image, box)} 的文字{what}，请核对原件"
    return Issue(LOW_TEXT, message, source, Locator(source=source, page=page))

