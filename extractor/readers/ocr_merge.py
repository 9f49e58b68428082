"""OCR'd image pages put in their place among a text PDF's pages, in reading order.

A PDF with a text layer may hold image-only pages anywhere (a signed page in the middle, a
scanned annex between typed ones). Their blocks and tables go where their page is: blocks
ordered by page, then renumbered; sections and the annex flag assigned again over the whole
sequence (a heading on a scanned page opens a section for the typed pages after it); every
table placed after the last block before it, and every index that names a block or a table
(Table.after_block, OcrText.block/table) moved with it.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Block, Document, OcrText, Table
from .ocr_layout import Assembled
from .structure import RawItem, assign_sections, table_context

TEXT, SCAN = 0, 1  # which part a block or table comes from


def interleave(doc: Document, part: Assembled) -> tuple[tuple[Block, ...], tuple[Table, ...], tuple[OcrText, ...]]:
    """doc's blocks and tables with the OCR'd `part` merged in by page."""
    order = sorted([((b.page or 0, TEXT, b.index), b) for b in doc.blocks]
                   + [((b.page or 0, SCAN, b.index), b) for b in part.blocks], key=lambda kb: kb[0])
    new_block = {(src, old): new for new, ((_, src, old), _) in enumerate(order)}
    blocks = tuple(assign_sections(RawItem(b.text, None, b.bold, b.page, b.bbox) for _, b in order))
    placed = sorted([((_first_page(t), src, t.index), t) for src, tables in ((TEXT, doc.tables), (SCAN, part.tables))
                     for t in tables], key=lambda kt: kt[0])
    new_table = {(src, old): new for new, ((_, src, old), _) in enumerate(placed)}
    tables = tuple(_moved(t, new, src, new_block, blocks) for new, ((_, src, _), t) in enumerate(placed))
    texts = tuple(replace(x, block=None if x.block is None else new_block[(SCAN, x.block)],
                          table=None if x.table is None else new_table[(SCAN, x.table)]) for x in part.ocr_text)
    return blocks, tables, texts


def _first_page(table: Table) -> int:
    return table.pages[0] if table.pages else 0


def _moved(table: Table, index: int, src: int, new_block: dict[tuple[int, int], int],
           blocks: tuple[Block, ...]) -> Table:
    if table.after_block >= 0:
        after = new_block[(src, table.after_block)]
    else:  # first thing of its part: after whatever the other part put on earlier pages
        after = sum(1 for b in blocks if (b.page or 0) < _first_page(table)) - 1
    section, annex = table_context(blocks, after)
    return replace(table, index=index, after_block=after, section=section, annex=annex or table.annex)
