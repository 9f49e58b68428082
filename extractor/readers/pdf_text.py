"""PDF characters to lines to paragraphs: fake-bold de-duplication, spacing, wrapped lines,
running headers and footers. Works on pdfplumber-shaped char dicts (readers.pdf_page); imports
no parser itself.

Spaces are rebuilt from geometry instead of taken from the file: a gap becomes a space
only between two Latin characters, so the CJK<->digit gaps that autospacing and
justification leave ("2024 年") never appear, while "ISO 9001 quality" keeps its spaces.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import median
from typing import Any

from ..model import BBox

Char = dict[str, Any]

DEFAULT_DEDUPE_RATIO = 0.12  # a repeated glyph closer than this x size is a fake-bold copy
DEFAULT_SPACE_RATIO = 0.15  # a gap wider than this x size between Latin chars is a space
DEFAULT_MARGIN_ZONE = 0.12  # running headers/footers live in this share of the page height
BOLD_FONT = re.compile(r"bold|heavy|black|semibold|demi|,B$", re.IGNORECASE)
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~_·•\s]*\d+[-—–－~_·•\s]*"
    r"|第\s*\d+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，/、]?\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+"
    r"|page\s*\d+(?:\s*(?:of|/)\s*\d+)?)$",
    re.IGNORECASE,
)
# The page number inside a running line ("某某报告 第3页", "2024年报 - 3 -"); other digits
# stay, so "附件1" and "附件2" atop two pages are not mistaken for one repeated header.
PAGE_NUMBER_PART = re.compile(r"第\s*\d+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?|[-—–－]\s*\d+\s*[-—–－]|(?:^|\s)\d+(?:\s|$)")
NO_LINE_START = frozenset("，。、；：？！）》」』】”’%‰…,.;:?!)")
NO_LINE_END = frozenset("（《「『【“‘(")
DEFAULT_WIDE_GAP_RATIO = 0.9  # a gap this wide is a typed space even between CJK chars
# between a Latin char and a CJK one: a line set on Word's document grid leaves up to one
# grid cell (a little over one size) after a Latin run ("22.35%" / "，"); a column gap is wider
MIXED_WIDE_GAP_RATIO = 1.5
SHORT_LINE_RATIO = 0.2  # a paragraph's last line leaves at least this share of the text width
FIGURE_GAP_RATIO = 0.6  # a line ending a digit this far (x size) short of the edge did not split a number


@dataclass(slots=True)
class Line:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    text: str
    lead: float = 0.0  # width of the first unbreakable piece: would it have fit on the line above?
    font: str = ""  # the font of most of its CJK chars (subset prefix off); "" when it has none


@dataclass(frozen=True, slots=True)
class Layout:
    """The body's geometry, measured over all pages of one width."""

    left: float
    right: float
    size: float
    line_gap: float


def _is_latin(text: str) -> bool:
    """Whether a char's text is Latin; a glyph may stand for several characters (an "fi"
    ligature), and then its first one counts."""
    return ord(text[0]) < 0x2000


@lru_cache(maxsize=1024)
def _is_bold_font(fontname: str) -> bool:
    return bool(BOLD_FONT.search(fontname))


def _group_rows(chars: Iterable[Char]) -> list[list[Char]]:
    """Chars sorted top-down, grouped by vertical overlap into visual lines."""
    ordered = sorted((c for c in chars if not c["text"].isspace()), key=lambda c: (c["top"], c["x0"]))
    rows: list[list[Char]] = []
    bottom = -1.0
    for ch in ordered:
        middle = (ch["top"] + ch["bottom"]) / 2
        if rows and middle < bottom:
            rows[-1].append(ch)
            bottom = max(bottom, ch["bottom"])
        else:
            rows.append([ch])
            bottom = ch["bottom"]
    return rows


def dedupe_row(row: list[Char]) -> list[Char]:
    """Left to right, dropping a glyph drawn again at a tiny offset (WPS fake bold)."""
    kept: list[Char] = []
    for ch in sorted(row, key=lambda c: c["x0"]):
        if kept:
            last = kept[-1]
            tolerance = DEFAULT_DEDUPE_RATIO * ch["size"]
            if (ch["text"] == last["text"] and abs(ch["x0"] - last["x0"]) <= tolerance
                    and abs(ch["top"] - last["top"]) <= tolerance):
                continue
        kept.append(ch)
    return kept


def row_text(row: Sequence[Char]) -> str:
    parts: list[str] = []
    previous: Char | None = None
    for ch in row:
        if previous is not None:
            gap = ch["x0"] - previous["x1"]
            before, after = _is_latin(previous["text"][-1]), _is_latin(ch["text"][0])
            wide = DEFAULT_WIDE_GAP_RATIO if before == after else MIXED_WIDE_GAP_RATIO
            if gap > wide * ch["size"] or (before and after and gap > DEFAULT_SPACE_RATIO * ch["size"]):
                parts.append(" ")
        parts.append(ch["text"])
        previous = ch
    return "".join(parts)


def _row_to_line(row: list[Char], page: int) -> Line:
    bold = sum(1 for c in row if _is_bold_font(c["fontname"])) * 2 >= len(row)
    return Line(
        page=page,
        x0=min(c["x0"] for c in row),
        top=min(c["top"] for c in row),
        x1=max(c["x1"] for c in row),
        bottom=max(c["bottom"] for c in row),
        size=round(max(c["size"] for c in row), 1),
        bold=bold,
        text=row_text(row),
        lead=_lead_width(row),
        font=_cjk_font(row),
    )


def _cjk_font(row: Sequence[Char]) -> str:
    """The font most of the row's CJK chars are set in (figures and Latin words are often
    set in another one, Word's 西文字体), without the subset prefix."""
    fonts = Counter(ch["fontname"] for ch in row if not _is_latin(ch["text"]))
    return fonts.most_common(1)[0][0].split("+", 1)[-1] if fonts else ""


def _lead_width(row: Sequence[Char]) -> float:
    """Width of the line's first piece that a line break cannot split: a Latin word or
    number or one CJK char, with the opening punctuation before it that may not end a line
    and the closing punctuation after it that may not start one."""
    end = 0
    while end + 1 < len(row) and row[end]["text"] in NO_LINE_END:
        end += 1
    if _is_latin(row[end]["text"]):
        while end + 1 < len(row) and _is_latin(row[end + 1]["text"]) \
                and row[end + 1]["x0"] - row[end]["x1"] <= DEFAULT_SPACE_RATIO * row[end]["size"]:
            end += 1
    while end + 1 < len(row) and row[end + 1]["text"] in NO_LINE_START:
        end += 1
    return float(row[end]["x1"] - row[0]["x0"])


def ended_short(previous: Line, line: Line, right: float) -> bool:
    """The previous line stopped although the next line's first piece would have fit."""
    return right - previous.x1 > max(2 * line.size, line.lead + line.size)


def chars_to_lines(chars: Iterable[Char], page: int) -> list[Line]:
    return [_row_to_line(dedupe_row(row), page) for row in _group_rows(chars)]


def join_wrapped(left: str, right: str) -> str:
    """Join a line and the next one it wrapped into: no space inside numbers, units or CJK
    ("2.30万" + "元", "1,234." + "56"); one space between Latin words."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if not (_is_latin(a) and _is_latin(b)) or a.isspace() or b.isspace():
        return left + right
    if b.isdigit() and (a.isdigit() or (a in ".,，" and len(left) > 1 and left[-2].isdigit())):
        return left + right
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.isalpha():
        return left + right
    return f"{left} {right}"


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text.strip()))


def drop_running_lines(pages: Sequence[list[Line]], heights: Sequence[float]) -> list[list[Line]]:
    """Without page numbers and the header/footer lines repeated across pages."""
    zoned: Counter[tuple[str, str]] = Counter()
    for lines, height in zip(pages, heights):
        keys = {_running_key(line, height) for line in lines}
        zoned.update(key for key in keys if key is not None)
    needed = max(2, 0.4 * len(pages))
    kept = []
    for lines, height in zip(pages, heights):
        kept.append([line for line in lines if not _is_running(line, height, zoned, needed)])
    return kept


def _running_key(line: Line, height: float) -> tuple[str, str] | None:
    zone = DEFAULT_MARGIN_ZONE * height
    if line.bottom <= zone:
        return "top", PAGE_NUMBER_PART.sub("#", line.text)
    if line.top >= height - zone:
        return "bottom", PAGE_NUMBER_PART.sub("#", line.text)
    return None


def _is_running(line: Line, height: float, counts: Counter[tuple[str, str]], needed: float) -> bool:
    key = _running_key(line, height)
    if key is None:
        return False
    return is_page_number(line.text) or counts[key] >= needed


def measure_layout(lines: Sequence[Line]) -> Layout:
    if not lines:
        return Layout(0.0, 0.0, 0.0, 0.0)
    size = Counter(line.size for line in lines).most_common(1)[0][0]
    body = [line for line in lines if line.size == size]
    left = _left_margin([line.x0 for line in body])
    right = _right_margin([line.x1 for line in body])
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if a.page == b.page and a.size == b.size and 0 <= b.top - a.bottom < 2 * a.size]
    return Layout(left, right, size, median(gaps) if gaps else 0.5 * size)


def _left_margin(starts: list[float]) -> float:
    """The nearest line start shared by at least two lines: the margin, not the first-line
    indent that short paragraphs make the most common start."""
    starts = sorted(starts)
    for a, b in zip(starts, starts[1:]):
        if b - a <= 1.5:
            return a
    return starts[0] if starts else 0.0


def _right_margin(ends: list[float]) -> float:
    """The furthest line end reached by at least two lines (one overflowing line is no margin)."""
    ends = sorted(ends)
    for i in range(len(ends) - 1, 0, -1):
        if ends[i] - ends[i - 1] <= 1.5:
            return ends[i]
    return ends[-1] if ends else 0.0


def measure_layouts(lines: Sequence[Line], widths: Mapping[int, float]) -> dict[int, Layout]:
    """page -> the layout of all pages of its width (portrait and landscape pages differ)."""
    by_width: dict[int, list[Line]] = {}
    for line in lines:
        by_width.setdefault(round(widths[line.page]), []).append(line)
    layouts = {width: measure_layout(group) for width, group in by_width.items()}
    return {page: layouts.get(round(width), Layout(0.0, width, 0.0, 0.0)) for page, width in widths.items()}


def _centered(line: Line, layout: Layout) -> bool:
    return abs((line.x0 - layout.left) - (layout.right - line.x1)) < line.size


def starts_paragraph(previous: Line, line: Line, layout: Layout) -> bool:
    """Whether `line` opens a new paragraph rather than continuing `previous`."""
    if abs(line.size - previous.size) > 0.5 or line.bold != previous.bold:
        return True
    if line.font and previous.font and line.font != previous.font:
        return True  # a heading in 黑体 over body text in 仿宋, neither bold nor indented
    if line.page == previous.page and line.top - previous.bottom > layout.line_gap + 0.5 * line.size:
        return True
    full = previous.x1 - previous.x0 > (layout.right - layout.left) - 3 * line.size
    if full and _centered(previous, layout) and _centered(line, layout):
        return False  # a wrapped centred title
    if line.x0 > layout.left + 0.8 * line.size:
        return True  # first-line indent, centred or right-aligned line
    return short_of_width(previous, layout) and ended_short(previous, line, layout.right)


def short_of_width(line: Line, layout: Layout) -> bool:
    """The line stops short against the text width: a justifying or grid-snapping exporter
    (WPS, Word) leaves gaps wider than the next word at line ends inside a paragraph, so
    that alone ("127" / "笔、4406万元") does not end one."""
    return layout.right - line.x1 > SHORT_LINE_RATIO * (layout.right - layout.left)


def lines_to_paragraphs(lines: Sequence[Line], layouts: Mapping[int, Layout], breaks: set[int]) -> list[list[Line]]:
    """Consecutive lines grouped into paragraphs; an index in `breaks` always starts one.
    layouts: page -> Layout."""
    paragraphs: list[list[Line]] = []
    for index, line in enumerate(lines):
        if not paragraphs or index in breaks or starts_paragraph(paragraphs[-1][-1], line, layouts[line.page]):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def glues_figures(previous: Line, line: Line, right: float) -> bool:
    """Joining would glue two figures into one: the line ends in a digit and the next starts
    with one, and the line stopped short of `right` by more than a digit. A number is split
    by a wrap only when it fills the line; a whole number that did not fit moves down."""
    if not previous.text or not line.text or not previous.text[-1].isdigit() or not line.text[0].isdigit():
        return False
    return right - previous.x1 > FIGURE_GAP_RATIO * line.size


def paragraph_text(lines: Sequence[Line], right: float | None = None) -> str:
    """Lines of one paragraph joined; two figures on either side of a break keep a space
    between them (`right`: the text's right margin; the widest line when not given)."""
    edge = max(line.x1 for line in lines) if right is None else right
    text = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        text = f"{text} {line.text}" if glues_figures(previous, line, edge) else join_wrapped(text, line.text)
    return text


def paragraph_bbox(lines: Sequence[Line]) -> BBox:
    """The bbox on the paragraph's first page."""
    first = [line for line in lines if line.page == lines[0].page]
    return (
        round(min(line.x0 for line in first), 2),
        round(min(line.top for line in first), 2),
        round(max(line.x1 for line in first), 2),
        round(max(line.bottom for line in first), 2),
    )


def cell_text(lines: Sequence[Line], box: BBox) -> str:
    """Lines of one table cell: wrapped lines joined, a line that stopped short of the
    cell's inner right edge (the left padding mirrored) kept as a hard break, and so is a
    break between two figures (see glues_figures)."""
    if not lines:
        return ""
    padding = min(line.x0 for line in lines) - box[0]
    widest = max(max(line.x1 for line in lines), box[2] - padding)
    text = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        if ended_short(previous, line, widest) or glues_figures(previous, line, widest):
            text = f"{text}\n{line.text}"
        else:
            text = join_wrapped(text, line.text)
    return text

