"""One PDF page through pypdfium2: its chars, ruling edges (readers.pdf_paths) and
whether it holds images or drawings.

The shapes are the ones pdfplumber gave the reader before (so pdf_text and pdf_tables
did not change): a char is a dict with text, fontname, size, x0, x1, top, bottom in
points from the top-left of the page as seen (its /Rotate applied, as pdfminer does).

A char's box follows pdfminer's rule, so the Documents stay byte-identical: along the
advance, from the font descriptor's Descent below the baseline to one font size above
that (pdfium's own boxes use the font program's metrics or the glyph's ink). pdfium hands
out single-precision numbers; each is taken back to the shortest decimal that gives the
same float32, which is the number the file wrote in almost every file.
"""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

from .pdf_numbers import box_numbers, exact, float32, font_descents
from .pdf_paths import IDENTITY, Edge, Matrix, collect_paths

FONT_NAME_BYTES = 256
Style = tuple[str, float, float, Matrix]  # font name, font size, descent per unit of size, char matrix


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    chars: list[dict[str, Any]]
    edges: list[Edge]
    has_images: bool
    has_paths: bool


class PageReader:
    """Reads the pages of one open pypdfium2 document."""

    def __init__(self, pdf: pypdfium2.PdfDocument, data: bytes) -> None:
        self.pdf = pdf
        self.descents = font_descents(data)
        self.box_numbers = box_numbers(data)
        self._styles: dict[int, Style] = {}

    def page_count(self) -> int:
        return len(self.pdf)

    def read(self, index: int) -> RawPage:
        page = self.pdf[index]
        try:
            left, bottom, right, top = (self._number(v) for v in _media_box(page))
            rotation = page.get_rotation() % 360
            width, height = right - left, top - bottom
            device = IDENTITY
            if rotation:
                device = device_matrix(rotation, (left, bottom, right, top))
                if rotation in (90, 270):
                    width, height = height, width
            textpage = page.get_textpage()
            try:
                chars = self._chars(textpage, height, 0.0 if rotation else bottom, device)
            finally:
                textpage.close()
            edges: list[Edge] = []
            kinds = collect_paths(page, device, height, 0.0 if rotation else bottom, edges)
            return RawPage(index + 1, width, height, chars, edges, kinds["image"], kinds["path"])
        finally:
            page.close()

    def _number(self, value: float) -> float:
        return self.box_numbers.get(float32(value), exact(value))

    def _style(self, raw: Any, index: int) -> Style:
        """The char's text object's font name, font size, descent per unit of size and
        matrix (text space to user space); looked up once per text object."""
        text_object = _text_object(raw, index)
        if text_object not in self._styles:
            m = pdfium_c.FS_MATRIX()
            pdfium_c.FPDFText_GetMatrix(raw, index, m)
            name, descent = self._font(pdfium_c.FPDFTextObj_GetFont(_as_text_object(text_object)))
            self._styles[text_object] = (name, pdfium_c.FPDFText_GetFontSize(raw, index), descent,
                                         (m.a, m.b, m.c, m.d, m.e, m.f))
        return self._styles[text_object]

    def _font(self, font: Any) -> tuple[str, float]:
        """(font name, descent per unit of font size): the descriptor's descent as the file
        wrote it when it could be found, else pdfium's."""
        buffer = ctypes.create_string_buffer(FONT_NAME_BYTES)
        length = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, FONT_NAME_BYTES)
        name = buffer.value.decode("utf-8", "replace") if length else ""
        bare = name.split("+", 1)[-1]
        if bare in self.descents:
            return name, self.descents[bare] / 1000
        value = ctypes.c_float()
        ok = pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(value))
        return name, (-abs(value.value) if ok else 0.0)

    def _chars(self, textpage: pypdfium2.PdfTextPage, height: float, bottom: float,
               device: Matrix) -> list[dict[str, Any]]:
        raw = textpage.raw
        self._styles = {}
        chars: list[dict[str, Any]] = []
        box = pdfium_c.FS_RECTF()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        previous: tuple[float, float, float] | None = None
        for index in range(pdfium_c.FPDFText_CountChars(raw)):
            code = pdfium_c.FPDFText_GetUnicode(raw, index)
            text = chr(code)
            if not code or text.isspace():  # pdfium's generated spaces and line breaks too
                continue
            pdfium_c.FPDFText_GetCharOrigin(raw, index, origin_x, origin_y)
            pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
            key = (origin_x.value, origin_y.value, box.right)
            if key == previous and chars:
                # one glyph mapped to several characters (a "fi" ligature): one char, as
                # pdfminer gives it
                chars[-1]["text"] += text
                continue
            previous = key
            name, font_size, descent, (a, b, c, d, _, _) = self._style(raw, index)
            if device is IDENTITY and a > 0 and d > 0 and b == 0 and c == 0:
                size = font_size * d
                x0 = exact(origin_x.value)
                x1 = exact(_advance_end(raw, index, box, text, size, origin_x.value))
                lower = height - (exact(origin_y.value) - bottom) - descent * size
                chars.append({"text": text, "fontname": name, "size": size, "x0": min(x0, x1),
                              "x1": max(x0, x1), "top": lower - size, "bottom": lower})
            else:
                origin = (exact(origin_x.value), exact(origin_y.value))
                advance = _advance(box, origin, (a, b), text, font_size)
                chars.append(turned_char(text, name, origin, (a, b, c, d), advance, font_size, descent,
                                         device, height))
        return chars


def _media_box(page: pypdfium2.PdfPage) -> tuple[float, float, float, float]:
    """The page's MediaBox, inherited from its /Pages parents when the page has none (as
    fpdf2 and PHP's FPDF write it): pdfium's own look-up does not inherit and answers US
    Letter, while its bounding box (the CropBox within the MediaBox) does."""
    return page.get_mediabox(fallback_ok=False) or page.get_bbox()


# the text object of a char as a plain address, to key the per-object cache
_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value)


def device_matrix(rotation: int, box: tuple[float, float, float, float]) -> Matrix:
    """pdfminer's user-to-device matrix of a page shown turned by `rotation` degrees."""
    left, bottom, right, top = box
    return {90: (0.0, -1.0, 1.0, 0.0, -bottom, right), 180: (-1.0, 0.0, 0.0, -1.0, right, top),
            270: (0.0, 1.0, -1.0, 0.0, top, -left)}.get(rotation, (1.0, 0.0, 0.0, 1.0, -left, -bottom))


def turned_char(text: str, name: str, origin: tuple[float, float], linear: tuple[float, float, float, float],
                advance: float, font_size: float, descent: float, device: Matrix, height: float) -> dict[str, Any]:
    """A char drawn turned, or on a turned page: its text-space box (advance by one font
    size, from the descent) through the char's matrix and the page's, as pdfminer does;
    its size is the box's height on the page, as pdfminer gives it."""
    a, b, c, d = linear
    low, high = descent * font_size, (descent + 1) * font_size
    ox, oy = origin
    da, db, dc, dd, de, df = device
    xs, ys = [], []
    for u, v in ((0.0, low), (advance, low), (0.0, high), (advance, high)):
        x, y = ox + a * u + c * v, oy + b * u + d * v
        xs.append(da * x + dc * y + de)
        ys.append(db * x + dd * y + df)
    return {"text": text, "fontname": name, "size": max(ys) - min(ys), "x0": min(xs), "x1": max(xs),
            "top": height - max(ys), "bottom": height - min(ys)}


def _advance(box: Any, origin: tuple[float, float], direction: tuple[float, float], text: str,
             font_size: float) -> float:
    """The advance in text space, from pdfium's loose box along the writing direction; a
    full-width char longer than one em is one em (see _advance_end)."""
    a, b = direction
    if abs(a) >= abs(b):
        advance = (exact(box.right if a > 0 else box.left) - origin[0]) / a
    else:
        advance = (exact(box.top if b > 0 else box.bottom) - origin[1]) / b
    if advance > font_size * 1.001 and unicodedata.east_asian_width(text[0]) in "WF":
        return font_size
    return advance


def _as_text_object(address: int) -> Any:
    return ctypes.cast(ctypes.c_void_p(address), pdfium_c.FPDF_PAGEOBJECT)


def _advance_end(raw: Any, index: int, box: Any, text: str, size: float, x0: float) -> float:
    """Where the char's advance ends. pdfium's loose box is the advance box, but for a font
    whose descriptor has no ascent and descent it is the union of the advance box and the
    ink: a full-width char whose box is wider than one em has ink sticking out on the
    right, and its advance is one em."""
    if box.right - x0 > size * 1.001 and unicodedata.east_asian_width(text[0]) in "WF":
        left, right, low, high = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        pdfium_c.FPDFText_GetCharBox(raw, index, left, right, low, high)
        if right.value == box.right:
            return x0 + size
    return box.right
