"""One PDF page through pypdfium2: its chars, ruling edges and whether it holds images.

The shapes are the ones pdfplumber gave the reader before (so pdf_text and pdf_tables
did not change): a char is a dict with text, fontname, size, x0, x1, top, bottom in
points from the page's top-left; an edge is (orientation, x0, top, x1, bottom).

The geometry follows pdfminer's rules, so the Documents stay byte-identical:
- a char's box runs from the font descriptor's Descent below the baseline to one font
  size above that (pdfium's own boxes use the glyph outlines instead);
- a painted path is cut into subpaths at each move; a two-point subpath is a line, a
  closed axis-aligned four-corner one a rectangle (four edges), anything else a curve
  whose consecutive points give the horizontal and vertical edges.
pdfium hands out single-precision numbers; each is taken back to the shortest decimal
that gives the same float32, which is the number the file wrote in almost every file.
"""

from __future__ import annotations

import ctypes
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

Edge = tuple[str, float, float, float, float]  # orientation "h"/"v", x0, top, x1, bottom

FONT_NAME_BYTES = 256
DESCRIPTOR = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")
DESCENT = re.compile(rb"/Descent\s+(-?[\d.]+)")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[([^\]]*)\]")


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    chars: list[dict[str, Any]]
    edges: list[Edge]
    has_images: bool
    has_paths: bool


@lru_cache(maxsize=65536)
def exact(value: float) -> float:
    """The shortest decimal that rounds to the same float32 as `value`."""
    target = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(9):
        candidate = round(value, digits)
        if struct.unpack("f", struct.pack("f", candidate))[0] == target:
            return candidate
    return value


def font_descents(data: bytes) -> dict[str, float]:
    """Descent of each font descriptor written as a plain object, by font name without the
    subset prefix. Descriptors inside compressed object streams are not seen; their fonts
    take pdfium's descent, which is the descriptor's whenever that is not zero."""
    found: dict[str, float] = {}
    for match in DESCRIPTOR.finditer(data):
        start = data.rfind(b"<<", 0, match.start())
        end = data.find(b">>", match.end())
        descent = DESCENT.search(data, start, end) if start >= 0 and end >= 0 else None
        if descent is None:
            continue
        name = match.group(1).decode("latin-1").split("+", 1)[-1]
        try:
            found.setdefault(name, -abs(float(descent.group(1))))
        except ValueError:
            continue
    return found


def box_numbers(data: bytes) -> dict[float, float]:
    """float32 -> the number as the file wrote it, for every MediaBox number."""
    numbers: dict[float, float] = {}
    for match in MEDIA_BOX.finditer(data):
        for token in match.group(1).split():
            try:
                value = float(token)
            except ValueError:
                continue
            numbers.setdefault(struct.unpack("f", struct.pack("f", value))[0], value)
    return numbers


class PageReader:
    """Reads the pages of one open pypdfium2 document."""

    def __init__(self, pdf: pypdfium2.PdfDocument, data: bytes) -> None:
        self.pdf = pdf
        self.descents = font_descents(data)
        self.box_numbers = box_numbers(data)
        self._styles: dict[int, tuple[str, float, float]] = {}

    def page_count(self) -> int:
        return len(self.pdf)

    def read(self, index: int) -> RawPage:
        page = self.pdf[index]
        try:
            left, bottom, right, top = (self._number(v) for v in page.get_mediabox())
            width, height = right - left, top - bottom
            textpage = page.get_textpage()
            try:
                chars = self._chars(textpage, height, bottom)
            finally:
                textpage.close()
            edges: list[Edge] = []
            kinds = _collect_paths(page, height, bottom, edges)
            return RawPage(index + 1, width, height, chars, edges, kinds["image"], kinds["path"])
        finally:
            page.close()

    def _number(self, value: float) -> float:
        return self.box_numbers.get(struct.unpack("f", struct.pack("f", value))[0], exact(value))

    def _style(self, raw: Any, index: int) -> tuple[str, float, float]:
        """(font name, font size on the page, descent per unit of size) of the char's text
        object; looked up once per text object."""
        text_object = _text_object(raw, index)
        if text_object not in self._styles:
            matrix = pdfium_c.FS_MATRIX()
            pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
            size = pdfium_c.FPDFText_GetFontSize(raw, index) * abs(matrix.d or matrix.b or 1.0)
            name, descent = self._font(pdfium_c.FPDFTextObj_GetFont(_as_text_object(text_object)))
            self._styles[text_object] = (name, size, descent)
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

    def _chars(self, textpage: pypdfium2.PdfTextPage, height: float, bottom: float) -> list[dict[str, Any]]:
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
            name, size, descent = self._style(raw, index)
            x0 = exact(origin_x.value)
            x1 = exact(_advance_end(raw, index, box, text, size, origin_x.value))
            lower = height - (exact(origin_y.value) - bottom) - descent * size
            chars.append({"text": text, "fontname": name, "size": size, "x0": min(x0, x1),
                          "x1": max(x0, x1), "top": lower - size, "bottom": lower})
        return chars


# the text object of a char as a plain address, to key the per-object cache
_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value)


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


def _collect_paths(page: pypdfium2.PdfPage, height: float, bottom: float, edges: list[Edge]) -> dict[str, bool]:
    """Edges of every painted path (in forms too), lines first, then rectangles, then curves,
    as pdfplumber ordered them; and whether the page has images or painted paths."""
    lines: list[Edge] = []
    rects: list[Edge] = []
    curves: list[Edge] = []
    kinds = {"image": False, "path": False}
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    _walk_objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, identity,
                  height, bottom, (lines, rects, curves), kinds)
    edges.extend(lines + rects + curves)
    return kinds


def _walk_objects(parent: Any, count_fn: Any, get_fn: Any, outer: tuple[float, ...], height: float,
                  bottom: float, out: tuple[list[Edge], list[Edge], list[Edge]], kinds: dict[str, bool]) -> None:
    matrix = pdfium_c.FS_MATRIX()
    for index in range(count_fn(parent)):
        obj = get_fn(parent, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            kinds["image"] = True
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            if _painted(obj):
                kinds["path"] = True
                _path_edges(obj, _compose(own, outer), height, bottom, out)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            _walk_objects(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                          _compose(own, outer), height, bottom, out, kinds)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _painted(obj: Any) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    return fill.value != pdfium_c.FPDF_FILLMODE_NONE or bool(stroke.value)


def _subpaths(obj: Any, matrix: tuple[float, ...]) -> list[tuple[str, list[tuple[float, float]]]]:
    """pdfminer's view of a path: per subpath its operator string (m, l, c, h) and the end
    point of each operator, in page space."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    pending_curve = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        px, py = exact(x.value), exact(y.value)
        point = (a * px + c * py + e, b * px + d * py + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append(("m", [point]))
            pending_curve = 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            pending_curve += 1
            if pending_curve == 3:  # two control points, then the end point
                shape, points = subpaths[-1]
                subpaths[-1] = (shape + "c", [*points, point])
                pending_curve = 0
        else:
            shape, points = subpaths[-1]
            subpaths[-1] = (shape + "l", [*points, point])
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            shape, points = subpaths[-1]
            subpaths[-1] = (shape + "h", [*points, points[0]])
    return subpaths


def _path_edges(obj: Any, matrix: tuple[float, ...], height: float, bottom: float,
                out: tuple[list[Edge], list[Edge], list[Edge]]) -> None:
    lines, rects, curves = out
    for shape, points in _subpaths(obj, matrix):
        if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
            shape = shape[:-2] + "h"
            points = points[:-2] + points[-1:]
        pts = [(px, height - (py - bottom)) for px, py in points]
        if shape in ("mlh", "ml"):
            (xa, ta), (xb, tb) = pts[0], pts[1]
            top, low = min(ta, tb), max(ta, tb)
            lines.append(("h" if top == low else "v", min(xa, xb), top, max(xa, xb), low))
        elif shape in ("mlllh", "mllll") and pts[0] == pts[4] and _square(points):
            x0, x1 = sorted((points[0][0], points[2][0]))
            y0, y1 = sorted((points[0][1], points[2][1]))
            top = height - (y1 - bottom)
            low = top + (y1 - y0)
            rects.extend((("h", x0, top, x1, top), ("h", x0, low, x1, height - (y0 - bottom)),
                          ("v", x0, top, x0, height - (y0 - bottom)), ("v", x1, top, x1, height - (y0 - bottom))))
        else:
            for (xa, ta), (xb, tb) in pairwise(pts):
                orientation = "v" if xa == xb else ("h" if ta == tb else "")
                if orientation:
                    curves.append((orientation, min(xa, xb), min(ta, tb), max(xa, xb), max(ta, tb)))


def _square(points: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
