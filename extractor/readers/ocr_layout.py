"""OCR'd pages -> blocks and tables of the document model, with per-character scores.

Lines become paragraphs as a reader sees them: a new paragraph after a wide gap, at an
indented line, after a short line, and at a table; a paragraph whose last line fills the
page width goes on at the top of the next page. Tables are the ruled grids of ocr_tables; a
table that opens a page and continues the one closing the previous page is stitched to it
(ocr_stitch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Block, Cell, Issue, OcrText, Table
from .ocr_image import PageImage, crop_data_uri
from .ocr_repair import (
    header_issue,
    header_words,
    looks_like_annex,
    misread_points,
    point_issue,
    snap_header,
    snap_short_header,
)
from .ocr_stitch import TableDraft, continues, new_draft, stitch
from .ocr_tables import GridTable
from .structure import (
    HEADER_ROWS_FOR_UNIT,
    HeadingRules,
    RawItem,
    assign_sections,
    caption_blocks,
    normalize_text,
    table_context,
    table_unit_hint_of,
)

DIGIT_RUN = re.compile(r"[0-9][0-9.,，]*")
DIGIT_GROUP_COMMA = re.compile(r"(?<=[0-9])，(?=[0-9]{3}(?![0-9]))")
CROP_PAD = 3  # characters either side of a digit run kept in its crop (the unit, a sign)
PAGE_NUMBER = re.compile(r"^[-—－\s第]*[0-9]+[-—－\s页]*$|^[-—－\s]*[0-9]+\s*/\s*[0-9]+[-—－\s]*$")
FOOTER_ZONE = 0.08  # share of the page height at the top and bottom where page numbers sit
CONTINUED = re.compile(r"^[（(]?续(?:表|上表)?\s*\d*[）)]?$")
SHORT_LINE = 8  # character heights short of the right margin that still continue (a figure did not fit)


@dataclass(slots=True)
class OChar:
    text: str
    box: tuple[float, float, float, float]  # pixels
    score: float
    line: int  # which recognised text box it came from
    page: int
    misread: str = ""  # the character the recogniser gave, where the reader put another (ocr_repair)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2


@dataclass(slots=True)
class Piece:
    """Characters in reading order."""

    chars: list[OChar] = field(default_factory=list)
    unread_ink: bool = False  # a cell with ink no recognised text covers

    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    def box(self) -> tuple[float, float, float, float]:
        return (min(c.box[0] for c in self.chars), min(c.box[1] for c in self.chars),
                max(c.box[2] for c in self.chars), max(c.box[3] for c in self.chars))


@dataclass(slots=True)
class OcrPage:
    number: int
    image: PageImage
    lines: list[Piece]
    tables: list[tuple[GridTable, dict[tuple[int, int], Piece]]]
    issues: list[Issue]


class Assembled(NamedTuple):
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...]
    issues: tuple[Issue, ...]
    ocr_text: tuple[OcrText, ...]


def clean(chars: list[OChar]) -> tuple[str, list[OChar]]:
    """Reader-level normalisation character by character, so scores stay aligned with the text."""
    kept: list[OChar] = []
    for ch in chars:
        text = " " if ch.text == " " else normalize_text(ch.text)
        for piece in text:
            if piece == " " and (not kept or kept[-1].text == " "):
                continue
            kept.append(OChar(piece, ch.box, ch.score, ch.line, ch.page))
    while kept and kept[-1].text == " ":
        kept.pop()
    text = "".join(c.text for c in kept)
    for match in DIGIT_GROUP_COMMA.finditer(text):  # the recogniser reads 33,639.86 as 33，639.86
        kept[match.start()].text = ","
    for at in misread_points("".join(c.text for c in kept)):  # 99:44 -> 99.44, always uncertain
        kept[at].misread, kept[at].text, kept[at].score = kept[at].text, ".", 0.0
    return "".join(c.text for c in kept), kept


def assemble(pages: list[OcrPage], source: str, headings: HeadingRules | None = None) -> Assembled:
    paragraphs, drafts = _walk(pages)
    images = {page.number: page.image for page in pages}
    items: list[tuple[str, list[OChar]]] = []
    texts: list[OcrText] = []
    repairs: list[Issue] = []
    for para in paragraphs:
        text, chars = clean(para)
        if text:
            items.append((text, chars))
            repairs.extend(_point_issues(source, text, chars, images))
    blocks = tuple(assign_sections((
        RawItem(text, None, False, chars[0].page, _points(chars, images)) for text, chars in items
    ), headings))
    texts.extend(_ocr_text(chars, images, chars[0].page, block=i) for i, (_, chars) in enumerate(items))
    para_to_block = _paragraph_blocks(paragraphs)
    tables = []
    for t, draft in enumerate(drafts):
        after = para_to_block[draft.after_block] if draft.after_block >= 0 else -1
        floor = tables[-1].after_block if tables else -1
        table, cell_texts = _to_table(t, draft, blocks, after, floor, images, source, repairs)
        tables.append(table)
        texts.extend(cell_texts)
    issues = tuple(issue for page in pages for issue in page.issues) + tuple(repairs)
    return Assembled(blocks, tuple(tables), issues, tuple(texts))


def _paragraph_blocks(paragraphs: list[list[OChar]]) -> list[int]:
    """Paragraph index -> index of the last block at or before it (empty paragraphs make none)."""
    out, count = [], -1
    for para in paragraphs:
        if clean(para)[0]:
            count += 1
        out.append(count)
    return out


def _walk(pages: list[OcrPage]) -> tuple[list[list[OChar]], list[TableDraft]]:
    paragraphs: list[list[OChar]] = []
    drafts: list[TableDraft] = []
    previous: object = None  # the last line (Piece) or table draft, across pages
    for page in pages:
        height = page.image.gray.shape[0]
        lines = [line for line in page.lines if not _page_number(line, height)]
        left = min((line.box()[0] for line in lines), default=0.0)
        right = max((line.box()[2] for line in lines), default=0.0)
        items = sorted([(line.box()[1], 0, i) for i, line in enumerate(lines)]
                       + [(grid.box[1], 1, i) for i, (grid, _) in enumerate(page.tables)])
        first = True
        for _, is_table, i in items:
            if is_table:
                grid, cells = page.tables[i]
                part = new_draft(grid, cells, page.number, after_block=len(paragraphs) - 1)
                if first and isinstance(previous, TableDraft) and continues(previous, part):
                    stitch(previous, part)
                else:
                    previous = part
                    drafts.append(part)
            else:
                line = lines[i]
                if isinstance(previous, TableDraft) and CONTINUED.match(line.text().strip()):
                    continue
                if isinstance(previous, Piece) and _continues(previous, line, left, right, first):
                    paragraphs[-1].extend(line.chars)
                else:
                    paragraphs.append(list(line.chars))
                previous = line
            first = False
    return paragraphs, drafts


def _continues(before: Piece, line: Piece, left: float, right: float, new_page: bool) -> bool:
    _, by0, bx1, by1 = before.box()
    lx0, ly0, _, ly1 = line.box()
    height = max(1.0, min(by1 - by0, ly1 - ly0))
    full = bx1 >= right - SHORT_LINE * height  # the line before ran (nearly) to the right margin
    flush = lx0 <= left + 1.2 * height  # this one starts at the left margin (no indent)
    if new_page:
        return full and flush
    return full and flush and ly0 - by1 < 0.9 * height


def _page_number(line: Piece, page_height: int) -> bool:
    _, top, _, bottom = line.box()
    near_edge = bottom > page_height * (1 - FOOTER_ZONE) or top < page_height * FOOTER_ZONE
    return near_edge and bool(PAGE_NUMBER.match(line.text().strip()))


def _to_table(index: int, draft: TableDraft, blocks: tuple[Block, ...], after: int, floor: int,
              images: dict[int, PageImage], source: str, repairs: list[Issue]) -> tuple[Table, list[OcrText]]:
    cells, texts = [], []
    read = _snapped_headers(draft, [clean(cell.piece.chars) for cell in draft.cells], source, images, repairs)
    for cell, (text, chars) in zip(draft.cells, read):
        repairs.extend(_point_issues(source, text, chars, images))
        cells.append(Cell(cell.row, cell.col, text, cell.row_span, cell.col_span, cell.page))
        texts.append(_ocr_text(chars, images, cell.page, cell.piece.unread_ink, table=index, row=cell.row, col=cell.col))
    captions = caption_blocks(blocks, after, floor, draft.pages[0])
    hint = table_unit_hint_of((b.text for b in captions), cells, HEADER_ROWS_FOR_UNIT)
    section, annex = table_context(blocks, after)
    table = Table(index=index, n_rows=draft.n_rows, n_cols=draft.n_cols, cells=tuple(cells),
                  caption=" ".join(b.text for b in captions) or None, section=section,
                  pages=tuple(draft.pages), unit_hint=hint, annex=annex, after_block=after)
    return table, texts


def _snapped_headers(draft: TableDraft, read: list[tuple[str, list[OChar]]], source: str,
                     images: dict[int, PageImage], repairs: list[Issue]) -> list[tuple[str, list[OChar]]]:
    """The cells' texts with header cells misread under a seal snapped to the annex header
    word (ocr_repair.snap_header), each repair reported."""
    words = header_words()
    if not looks_like_annex([text for text, _ in read], words):
        return read
    out = []
    for cell, (text, chars) in zip(draft.cells, read):
        row = [t for other, (t, _) in zip(draft.cells, read) if other.row == cell.row and other is not cell]
        snap = snap_header(text, row, words)
        if snap is None:
            short = snap_short_header(text, [c.score for c in chars], row)
            snap = (short, len(text)) if short else None
        if snap is None:
            out.append((text, chars))
            continue
        word, length = snap
        gone = chars[:length]
        box = (min(c.box[0] for c in gone), min(c.box[1] for c in gone),
               max(c.box[2] for c in gone), max(c.box[3] for c in gone))
        score = min(c.score for c in gone)
        new = [OChar(ch, box, score, gone[0].line, gone[0].page, misread=text[:length]) for ch in word] + chars[length:]
        out.append(("".join(c.text for c in new), new))
        repairs.append(header_issue(source, gone[0].page, text, word, _region(images[gone[0].page], box)))
    return out


def _point_issues(source: str, text: str, chars: list[OChar], images: dict[int, PageImage]) -> list[Issue]:
    """A warning for each decimal point read as ':' or ',' (clean), with the figure as read."""
    issues = []
    for at, ch in enumerate(chars):
        if ch.misread and ch.text == ".":
            left = at
            while left > 0 and text[left - 1].isdigit():
                left -= 1
            read = text[left:at] + ch.misread + text[at + 1:at + 3]
            issues.append(point_issue(source, ch.page, read, _region(images[ch.page], ch.box)))
    return issues


def _region(image: PageImage, box: tuple[float, float, float, float]) -> str:
    k = image.points_per_pixel
    return f"({box[0] * k:.0f},{box[1] * k:.0f})-({box[2] * k:.0f},{box[3] * k:.0f})pt"



def _points(chars: list[OChar], images: dict[int, PageImage]) -> tuple[float, float, float, float]:
    """Bounding box in points of the characters on the first page they are on."""
    page = chars[0].page
    on_page = [c for c in chars if c.page == page]
    k = images[page].points_per_pixel
    return (round(min(c.box[0] for c in on_page) * k, 2), round(min(c.box[1] for c in on_page) * k, 2),
            round(max(c.box[2] for c in on_page) * k, 2), round(max(c.box[3] for c in on_page) * k, 2))


def _ocr_text(chars: list[OChar], images: dict[int, PageImage], page: int, unread_ink: bool = False,
              **where: int) -> OcrText:
    text = "".join(c.text for c in chars)
    crops = []
    for match in DIGIT_RUN.finditer(text):
        lo, hi = max(0, match.start() - CROP_PAD), min(len(chars), match.end() + CROP_PAD)
        on = chars[match.start()].page
        span = [c for c in chars[lo:hi] if c.page == on and c.text != " "]
        box = (int(min(c.box[0] for c in span)), int(min(c.box[1] for c in span)),
               int(max(c.box[2] for c in span)) + 1, int(max(c.box[3] for c in span)) + 1)
        crops.append((match.start(), match.end(), crop_data_uri(images[on].gray, box)))
    return OcrText(page=page, scores=tuple(round(c.score, 4) for c in chars), crops=tuple(crops),
                   unread_ink=unread_ink, **where)
