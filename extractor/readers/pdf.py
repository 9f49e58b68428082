"""PDF reader (pypdfium2): blocks with page and bbox, tables with spans, in reading order.

Per page (readers.pdf_page), the ruling edges give the table cell boxes (readers.pdf_grid):
chars inside a table box go to its cells, the rest become lines. Lines lose running headers,
footers and page numbers, then group into paragraphs; headings and sections come from
readers.structure like the DOCX reader's. Tables continued on the next page are stitched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2

from ..errors import InputError
from ..model import Block, Document, Format, Issue, Locator, Table
from . import sha256_of
from .pdf_grid import ruled_tables
from .pdf_page import PageReader, RawPage
from .pdf_tables import TableDraft, boxes_to_draft, continues, outer_bbox, stitch
from .pdf_text import (
    Char,
    Line,
    chars_to_lines,
    drop_running_lines,
    lines_to_paragraphs,
    measure_layouts,
    paragraph_bbox,
    paragraph_text,
)
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

HEADER_SCAN_BYTES = 1024
SCANNED_PAGE = "W106"
SCANNED_PAGE_MESSAGE = "{source} 第{page}页没有文字层（扫描页），该页内容未读取，需要 OCR 或提供原始文件"
CONTINUED = re.compile(r"^[（(]?续(?:表|上表)?\s*\d*[）)]?$")  # "续表" atop a continued table


@dataclass(slots=True)
class PageContent:
    number: int
    width: float
    height: float
    lines: list[Line]
    tables: list[TableDraft]
    has_graphics: bool  # drawings or images but no text
    image_only: bool


def read_pdf(path: Path, source: str, headings: HeadingRules | None = None) -> Document:
    """Read one PDF; InputError E104 (corrupt), E105 (encrypted), E106 (scanned), E107 (empty)."""
    _check_header(path)
    data = path.read_bytes()
    pdf = _open(path, data)
    try:
        reader = PageReader(pdf, data)
        pages = [_read_page(reader.read(index)) for index in range(reader.page_count())]
        metadata = _metadata(pdf.get_metadata_dict(skip_empty=True))
    except InputError:
        raise
    except Exception as exc:  # pdfium fails on broken files in many ways
        raise InputError("E110", path=path, detail=f"{type(exc).__name__}: {exc}") from exc
    finally:
        pdf.close()
    _check_has_text(path, pages)
    blocks, tables = _assemble(pages, headings)
    issues = tuple(Issue(SCANNED_PAGE, SCANNED_PAGE_MESSAGE.format(source=source, page=page.number), source,
                         Locator(source=source, page=page.number)) for page in pages if page.image_only)
    return Document(source=source, format=Format.PDF, sha256=sha256_of(path), blocks=blocks,
                    tables=tables, metadata=metadata, pages=len(pages), issues=issues)


def _check_header(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(HEADER_SCAN_BYTES)
    if not head:
        raise InputError("E107", path=path)
    if b"%PDF-" not in head:
        raise InputError("E104", path=path, fmt="PDF", detail="缺少 %PDF- 文件头")


def _open(path: Path, data: bytes) -> pypdfium2.PdfDocument:
    """The open document; E105 when it needs a password, E104 when pdfium cannot parse it."""
    try:
        pdf = pypdfium2.PdfDocument(data)
        if len(pdf) == 0:
            pdf.close()
            raise InputError("E104", path=path, fmt="PDF", detail="没有页面")
        return pdf
    except pypdfium2.PdfiumError as exc:
        if exc.err_code in (pypdfium2.raw.FPDF_ERR_PASSWORD, pypdfium2.raw.FPDF_ERR_SECURITY):
            raise InputError("E105", path=path) from None
        raise InputError("E104", path=path, fmt="PDF", detail=_pdfium_detail(exc)) from None


def _pdfium_detail(exc: Exception) -> str:
    message = str(exc)
    inner = re.search(r"\(PDFium: ([^)]*)\)", message)
    return f"PDFium: {inner.group(1)}" if inner else message or type(exc).__name__


def has_text_layer(page: PageContent) -> bool:
    """Whether the page gave any text (lines or table cells) to read."""
    return bool(page.lines or page.tables)


def _check_has_text(path: Path, pages: list[PageContent]) -> None:
    if any(has_text_layer(page) for page in pages):
        return
    if any(page.has_graphics for page in pages):
        raise InputError("E106", path=path)
    raise InputError("E107", path=path)


def _metadata(info: dict[str, Any]) -> dict[str, str]:
    wanted = {"Title": "title", "Author": "author"}
    return {key: value.strip() for name, key in wanted.items()
            if isinstance(value := info.get(name), str) and value.strip()}


def _read_page(raw: RawPage) -> PageContent:
    number = raw.number
    boxes = ruled_tables(raw.edges)
    bounds = [outer_bbox(cells) for cells in boxes]
    free: list[Char] = []
    inside: list[list[Char]] = [[] for _ in boxes]
    for ch in raw.chars:
        x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for i, (x0, top, x1, bottom) in enumerate(bounds):
            if x0 <= x < x1 and top <= y < bottom:
                inside[i].append(ch)
                break
        else:
            free.append(ch)
    tables = [boxes_to_draft(cells, chars, number, normalize_text) for cells, chars in zip(boxes, inside)]
    lines = chars_to_lines(free, number)
    images = not raw.chars and raw.has_images
    graphics = images or (not raw.chars and raw.has_paths)
    return PageContent(number, raw.width, raw.height, lines, tables, graphics, images)


def _assemble(pages: list[PageContent], headings: HeadingRules | None) -> tuple[tuple[Block, ...], tuple[Table, ...]]:
    kept = drop_running_lines([page.lines for page in pages], [page.height for page in pages])
    sequence = sorted(
        [(line.page, line.top, 0, i, line) for i, line in enumerate(x for lines in kept for x in lines)]
        + [(t.pages[0], t.bbox[1], 1, i, t) for i, t in enumerate(t for page in pages for t in page.tables)],
        key=lambda item: item[:4],
    )
    lines, breaks, drafts, lines_before = _walk(item[4] for item in sequence)
    layouts = measure_layouts(lines, {page.number: page.width for page in pages})
    paragraphs = lines_to_paragraphs(lines, layouts, breaks)
    line_to_block = [i for i, paragraph in enumerate(paragraphs) for _ in paragraph]
    blocks = tuple(assign_sections((
        RawItem(normalize_text(paragraph_text(p, layouts[p[0].page].right)), None, p[0].bold, p[0].page,
                paragraph_bbox(p))
        for p in paragraphs
    ), headings))
    after = [line_to_block[n - 1] if n else -1 for n in lines_before]
    floors = [-1, *after[:-1]]
    return blocks, tuple(_to_table(i, d, blocks, after[i], floors[i]) for i, d in enumerate(drafts))


def _walk(items: Any) -> tuple[list[Line], set[int], list[TableDraft], list[int]]:
    """Lines and tables in reading order: tables continued across a page break stitched,
    a paragraph break forced after each table, and the number of lines before each table."""
    lines: list[Line] = []
    breaks: set[int] = set()
    drafts: list[TableDraft] = []
    lines_before: list[int] = []
    previous: Any = None
    for item in items:
        if isinstance(item, Line):
            if isinstance(previous, TableDraft) and CONTINUED.match(item.text):
                continue
            if isinstance(previous, TableDraft):
                breaks.add(len(lines))
            lines.append(item)
        elif isinstance(previous, TableDraft) and continues(previous, item):
            stitch(previous, item)
            continue
        else:
            drafts.append(item)
            lines_before.append(len(lines))
        previous = item
    return lines, breaks, drafts, lines_before


def _to_table(index: int, draft: TableDraft, blocks: tuple[Block, ...], after_block: int,
              floor: int) -> Table:
    """A finished table with its caption lines (just above it, after the previous table's)."""
    captions = caption_blocks(blocks, after_block, floor, draft.pages[0])
    hint = table_unit_hint_of((b.text for b in captions), draft.cells.values(), HEADER_ROWS_FOR_UNIT)
    title = " ".join(b.text for b in captions) or None
    section, annex = table_context(blocks, after_block)
    return Table(index=index, n_rows=draft.n_rows, n_cols=draft.n_cols, cells=draft.ordered_cells(),
                 caption=title, section=section, pages=tuple(draft.pages), unit_hint=hint, annex=annex,
                 after_block=after_block)

