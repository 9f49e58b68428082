"""Small PDFs written byte by byte for reader tests: Helvetica text lines, optional ruled
boxes, and a ToUnicode map so one glyph can stand for several characters (a ligature).
No PDF library is needed; the file is what a producer writes, xref table included."""

from __future__ import annotations

from pathlib import Path

FI = 0xAE  # the "fi" ligature's code in Helvetica's standard encoding
FONTS = {"F1": "Helvetica", "F2": "Times-Roman"}
TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Lig def 1 begincodespacerange <00> <FF> endcodespacerange
2 beginbfrange <20> <7E> <0020> <AE> <AE> <00660069> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _escape(text: bytes) -> bytes:
    return text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _text_object(x: float, y: float, pt: float, text: bytes, font: str = "F1", word_spacing: float = 0.0) -> bytes:
    return b"BT /%s %g Tf %g Tw %g %g Td (%s) Tj ET\n" % (font.encode(), pt, word_spacing, x, y, _escape(text))


def text_width(text: str, pt: float, font: str = "F1") -> float:
    """Width of `text` in points, from the standard fonts' metrics (as readers compute it)."""
    from pdfminer.fontmetrics import FONT_METRICS

    widths = FONT_METRICS[FONTS[font]][1]
    return sum(widths.get(ch, 500) for ch in text) * pt / 1000


def justified(x: float, y: float, pt: float, text: str, right: float, font: str = "F1") -> tuple:
    """A line set from x to `right` by widening its spaces (Tw), as a justifying exporter does."""
    spaces = text.count(" ")
    spacing = (right - x - text_width(text, pt, font)) / spaces if spaces else 0.0
    return (x, y, pt, text.encode("latin-1"), font, spacing)


def write_pdf(path: Path, lines: list[tuple[float, float, float, bytes]],
              boxes: list[tuple[float, float, float, float]] = (), size: tuple[float, float] = (595, 842),
              rotate: int = 0) -> Path:
    """lines: (x, y, font size, bytes in the standard encoding[, font F1/F2[, word spacing]])
    with y from the page bottom (F1 Helvetica, F2 Times-Roman);
    boxes: stroked rectangles (x, y, width, height). rotate=90 makes a landscape page the
    way Word does: a portrait MediaBox shown turned (/Rotate 90), the content drawn turned
    back, so x and y above are on the page as seen (landscape)."""
    content = b"0 1 -1 0 %g 0 cm\n" % size[0] if rotate == 90 else b""
    content += b"".join(_text_object(*line) for line in lines)
    content += b"".join(b"%g %g %g %g re S\n" % box for box in boxes)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Rotate %d /Resources << /Font << /F1 4 0 R /F2 7 0 R >> >> "
        b"/Contents 5 0 R >>" % (*size, rotate),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(TO_UNICODE), TO_UNICODE),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
