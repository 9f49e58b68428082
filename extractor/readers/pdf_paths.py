"""Ruling edges of one PDF page from its painted path objects (pypdfium2), the way
pdfplumber derived them from pdfminer: a painted path is cut into subpaths at each move; a
two-point subpath is a line, a closed axis-aligned four-corner one a rectangle (four
edges), anything else a curve whose consecutive points give the horizontal and vertical
edges. Lines come first, then rectangles, then curves, each in content order.

Coordinates are pdfminer's device space (the page's /Rotate applied), in points from the
page's top-left as seen.
"""

from __future__ import annotations

import ctypes
from itertools import pairwise
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

from .pdf_numbers import exact

Edge = tuple[str, float, float, float, float]  # orientation "h"/"v", x0, top, x1, bottom
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner`, then `outer`."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def collect_paths(page: pypdfium2.PdfPage, device: Matrix, height: float, bottom: float,
                  edges: list[Edge]) -> dict[str, bool]:
    """Edges of every painted path (in forms too) into `edges`; and whether the page has
    images or painted paths. `device` turns user space into device space; an unturned page
    passes the identity and its MediaBox bottom instead (the same numbers as pdfminer's)."""
    lines: list[Edge] = []
    rects: list[Edge] = []
    curves: list[Edge] = []
    kinds = {"image": False, "path": False}
    _walk_objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, device,
                  height, bottom, (lines, rects, curves), kinds)
    edges.extend(lines + rects + curves)
    return kinds


def _walk_objects(parent: Any, count_fn: Any, get_fn: Any, outer: Matrix, height: float,
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
                _path_edges(obj, compose(own, outer), height, bottom, out)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            _walk_objects(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                          compose(own, outer), height, bottom, out, kinds)


def _painted(obj: Any) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    return fill.value != pdfium_c.FPDF_FILLMODE_NONE or bool(stroke.value)


def _subpaths(obj: Any, matrix: Matrix) -> list[tuple[str, list[tuple[float, float]]]]:
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


def _path_edges(obj: Any, matrix: Matrix, height: float, bottom: float,
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
