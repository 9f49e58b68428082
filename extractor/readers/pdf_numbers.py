"""Numbers as the PDF wrote them, from pypdfium2's single-precision ones, and the font
descents pdfminer took from the font descriptors (pdfium gives neither)."""

from __future__ import annotations

import re
import struct
from functools import lru_cache

DESCRIPTOR = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")
DESCENT = re.compile(rb"/Descent\s+(-?[\d.]+)")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[([^\]]*)\]")
# pdfminer takes a standard font's descent from its AFM metrics, whatever the file says
STANDARD_DESCENTS = {
    **dict.fromkeys(("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
                     "Arial", "Arial,Bold", "Arial,Italic", "Arial,BoldItalic"), -207.0),
    **dict.fromkeys(("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "TimesNewRoman",
                     "TimesNewRoman,Bold", "TimesNewRoman,Italic", "TimesNewRoman,BoldItalic"), -217.0),
    **dict.fromkeys(("Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "CourierNew",
                     "CourierNew,Bold", "CourierNew,Italic", "CourierNew,BoldItalic"), -194.0),
    "Symbol": 0.0, "ZapfDingbats": 0.0,
}


def float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


@lru_cache(maxsize=65536)
def exact(value: float) -> float:
    """The shortest decimal that rounds to the same float32 as `value`."""
    target = float32(value)
    for digits in range(9):
        candidate = round(value, digits)
        if float32(candidate) == target:
            return candidate
    return value


def font_descents(data: bytes) -> dict[str, float]:
    """Descent of each font descriptor written as a plain object, by font name without the
    subset prefix, the standard fonts' from their metrics. Descriptors inside compressed object streams are not seen; their fonts
    take pdfium's descent, which is the descriptor's whenever that is not zero."""
    found: dict[str, float] = dict(STANDARD_DESCENTS)
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
            numbers.setdefault(float32(value), value)
    return numbers
