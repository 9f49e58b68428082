"""Which annex a table is: basic_data, self_eval, project_self_eval or other.

Evidence, strongest first: a title (the table's caption, its own title rows, the blocks
just above it); the header and row words inside it; being the continuation of the
previous table (a table split in two); the file name; 附件1 / 附件2 numbering.
All text is compared by key (spec.make_key): spaces, traditional characters and lost
brackets do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Document, Table
from .spec import AnnexSpec, TableKind, default_spec

OTHER = "other"
_ANNEX_NUMBER = re.compile(r"附件([0-9一二三四五六七八九十])")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
NEARBY_BLOCKS = 4
TITLE_ROWS = 5


def classify_table(table: Table, doc: Document, spec: AnnexSpec | None = None) -> str:
    """"basic_data", "self_eval", "project_self_eval" or "other"."""
    return _classify(table, doc, spec or default_spec(), depth=0)


def _classify(table: Table, doc: Document, spec: AnnexSpec, depth: int) -> str:
    titled = title_kind(table, doc, spec)
    if titled:
        return titled
    worded = word_kind(table, spec)
    previous = _previous_kind(table, doc, spec, depth)
    if worded and _annex_part(table, doc):
        if previous and previous != worded and _blocks_within(spec, worded, previous):
            return previous
        return worded
    if previous:
        return previous
    return _file_kind(doc, spec) or _annex_number_kind(table, doc, spec) or OTHER


def title_kind(table: Table, doc: Document, spec: AnnexSpec) -> str | None:
    """The kind named by a title near the table; None when no unambiguous title is found."""
    for text in _title_texts(table, doc):
        kinds = _kinds_in(spec.key(text), spec)
        if len(kinds) == 1:
            return kinds[0]
    return None


def _kinds_in(key: str, spec: AnnexSpec) -> list[str]:
    """Kinds whose title occurs in key; a more specific kind hides the generic 自评表."""
    found: list[str] = []
    rest = key
    for kind in spec.kinds:
        hit = next((t for t in kind.titles if t and t in rest), None)
        if hit:
            found.append(kind.name)
            rest = rest.replace(hit, "")
    return found


def _title_texts(table: Table, doc: Document) -> Iterator[str]:
    if table.caption:
        yield table.caption
    yield from title_rows(table)
    yield from reversed(nearby_blocks(table, doc))
    if table.sheet:
        yield table.sheet


def title_rows(table: Table) -> list[str]:
    """Texts of the leading rows that hold one text only (XLSX title rows: 附件2, the title,
    （2024年度）, 单位：万元), up to the first row with two or more texts."""
    texts = []
    for row in range(min(TITLE_ROWS, table.n_rows)):
        cells = [c for c in table.cells if c.row == row and c.text.strip()]
        if len(cells) != 1 or table.n_cols < 2:
            break
        texts.append(cells[0].text)
    return texts


def nearby_blocks(table: Table, doc: Document) -> list[str]:
    """Texts of the blocks between the previous table and this one (at most a few)."""
    if table.after_block < 0:
        return []
    previous = [t.after_block for t in doc.tables if t.index < table.index and t.parent is None]
    start = max([p + 1 for p in previous] + [table.after_block - NEARBY_BLOCKS + 1, 0])
    return [b.text for b in doc.blocks[start:table.after_block + 1]]


def word_kind(table: Table, spec: AnnexSpec) -> str | None:
    """The first kind (in annex.toml order) with enough of its words in the table's cells."""
    keys = [spec.key(c.text) for c in table.cells if c.text.strip()]
    for kind in spec.kinds:
        hits = sum(1 for word in kind.words if any(word in key for key in keys))
        if hits >= kind.min_words:
            return kind.name
    return None


def _previous_kind(table: Table, doc: Document, spec: AnnexSpec, depth: int) -> str | None:
    """The kind of the table this one continues, when nothing titled separates them."""
    if depth > 3 or table.index == 0 or table.parent is not None:
        return None
    before = [t for t in doc.tables if t.index == table.index - 1 and t.parent is None]
    if not before or before[0].after_block != table.after_block or table.caption:
        return None
    kind = _classify(before[0], doc, spec, depth + 1)
    return None if kind == OTHER else kind


def _annex_part(table: Table, doc: Document) -> bool:
    """Header words alone count only after the 附件 heading, or in a file with no such heading
    (a separate annex file): a narrative table listing 三公经费 and 公用经费 is not 附件1."""
    return table.annex or not any(block.annex for block in doc.blocks)


def _blocks_within(spec: AnnexSpec, inner: str, outer: str) -> bool:
    kinds = {k.name: k for k in spec.kinds}
    return set(kinds[inner].blocks) <= set(kinds[outer].blocks)


def _file_kind(doc: Document, spec: AnnexSpec) -> str | None:
    name = doc.source.rsplit("/", 1)[-1]
    kinds = _kinds_in(spec.key(name), spec)
    return kinds[0] if len(kinds) == 1 else None


def _annex_number_kind(table: Table, doc: Document, spec: AnnexSpec) -> str | None:
    """附件1 / 附件一 alone (no title): the Hunan numbering, the weakest evidence."""
    texts = [table.caption or "", *nearby_blocks(table, doc), doc.source.rsplit("/", 1)[-1]]
    for text in texts:
        match = _ANNEX_NUMBER.search(spec.key(text))
        if match:
            number = _CN.get(match.group(1)) or int(match.group(1))
            return _kind_numbered(spec.kinds, number)
    return None


def _kind_numbered(kinds: tuple[TableKind, ...], number: int) -> str | None:
    return next((k.name for k in kinds if k.annex_number == number), None)
