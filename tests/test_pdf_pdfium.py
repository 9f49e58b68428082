"""The pypdfium2 page reader against pdfplumber, which the reader used before: the same
chars, the same table cells; and the places where the two differ, with which is right."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from pdf_builder import FI, write_pdf

from extractor.readers.pdf import read_pdf
from extractor.readers.pdf_grid import merged_edges, table_cells
from extractor.readers.pdf_page import PageReader
from extractor.readers.pdf_text import chars_to_lines

FIXTURES = Path(__file__).parent / "fixtures"
COMPARED = [FIXTURES / "pdf" / "report.pdf", FIXTURES / "pdf" / "long_table.pdf",
            FIXTURES / "pdf" / "merged_table.pdf", FIXTURES / "annex" / "self_eval_split.pdf"]


def _pdfium_pages(path: Path):
    data = path.read_bytes()
    pdf = pypdfium2.PdfDocument(data)
    try:
        reader = PageReader(pdf, data)
        return [reader.read(i) for i in range(reader.page_count())]
    finally:
        pdf.close()


def _plumber_edges(page) -> list[tuple]:
    return [(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.edges
            if e["orientation"] in ("h", "v")]


def _key(ch: dict) -> tuple:
    return (ch["text"], ch["fontname"].split("+", 1)[-1], round(ch["size"], 6))


def _box(ch: dict) -> tuple:
    return tuple(ch[k] for k in ("x0", "x1", "top", "bottom"))


@pytest.mark.parametrize("path", COMPARED, ids=lambda p: p.name)
def test_chars_and_table_cells_equal_pdfplumbers(path):
    _assert_same_as_pdfplumber(path)


def test_turned_landscape_page_reads_as_seen(tmp_path):
    """A landscape page as Word writes it: portrait MediaBox, /Rotate 90, content turned
    back. pdfminer reads it upright, so must the reader (pdfium's own coordinates are the
    unturned page's)."""
    lines = [(72, 500, 12, b"Landscape page: the first line of a paragraph that goes on"),
             (72, 486, 12, b"and wraps onto a second line."), (72, 440, 12, b"Budget 1,234.56"),
             (80, 320, 10, b"Item"), (280, 320, 10, b"Amount"), (80, 280, 10, b"Rent"), (280, 280, 10, b"12.50")]
    boxes = [(72, 300, 200, 40), (272, 300, 200, 40), (72, 260, 200, 40), (272, 260, 200, 40)]
    path = write_pdf(tmp_path / "turned.pdf", lines, boxes, rotate=90)
    _assert_same_as_pdfplumber(path)
    doc = read_pdf(path, path.name)
    assert [b.text for b in doc.blocks] == [
        "Landscape page: the first line of a paragraph that goes on and wraps onto a second line.",
        "Budget 1,234.56"]
    assert [c.text for c in doc.tables[0].cells] == ["Item", "Amount", "Rent", "12.50"]


def _assert_same_as_pdfplumber(path: Path) -> None:
    ours = _pdfium_pages(path)
    with pdfplumber.open(path) as pdf:
        for page, raw in zip(pdf.pages, ours, strict=True):
            theirs = [c for c in page.chars if not c["text"].isspace()]
            assert [_key(c) for c in raw.chars] == [_key(c) for c in theirs]
            for ours, their in zip(raw.chars, theirs):  # pdfium's numbers are float32
                assert _box(ours) == pytest.approx(_box(their), abs=1e-4)
            expected = [table.cells for table in page.find_tables()]
            assert table_cells(_plumber_edges(page)) == expected  # the port, on pdfplumber's edges
            found = table_cells(raw.edges)  # and on pdfium's edges
            assert [[tuple(round(v, 3) for v in cell) for cell in t] for t in found] == \
                [[tuple(round(v, 3) for v in cell) for cell in t] for t in expected]


def test_merged_edges_snap_and_join_like_pdfplumber():
    from pdfplumber.table import merge_edges

    raw = [("h", 10.0, 100.0, 50.0, 100.0), ("h", 51.5, 101.2, 90.0, 101.2), ("h", 10.0, 200.0, 11.5, 200.0),
           ("v", 10.0, 100.0, 10.0, 150.0), ("v", 12.0, 149.0, 12.0, 200.0), ("v", 90.0, 100.0, 90.0, 100.5)]
    dicts = [{"orientation": o, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0,
              "height": bottom - top, "doctop": top, "object_type": "line"} for o, x0, top, x1, bottom in raw]
    kept = [d for d in dicts if (d["height"] if d["orientation"] == "v" else d["width"]) >= 1]
    theirs = [(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"])
              for e in merge_edges(kept, 3, 3, 3, 3) if (e["height"] if e["orientation"] == "v" else e["width"]) >= 3]
    assert merged_edges(raw) == theirs
    assert len(theirs) == 2  # one joined horizontal rule, one joined vertical rule


def test_line_starting_with_a_ligature_reads(tmp_path):
    """A glyph that stands for two characters ("fi") at the start of a line: pdfplumber gave
    it as one char with text "fi", on which the line-start measure raised TypeError (E110)."""
    path = write_pdf(tmp_path / "ligature.pdf", [
        (72, 700, 12, b"Short first line."),
        (72, 640, 12, bytes([FI]) + b"nal line opens with a ligature, then " + bytes([FI]) + b"ve more words."),
    ])
    doc = read_pdf(path, path.name)
    assert [b.text for b in doc.blocks] == ["Short first line.",
                                            "final line opens with a ligature, then five more words."]
    with pdfplumber.open(path) as pdf:  # the old char shape, through the line builder
        lines = chars_to_lines(pdf.pages[0].chars, 1)
    assert [line.text for line in lines][1].startswith("final line")


def test_fake_bold_keeps_the_first_drawn_copy():
    """fake_bold.pdf draws every text object twice: first a copy shifted +0.3 pt, then the
    original. pdfium's text page drops the later duplicate, pdfplumber kept both and the
    reader dropped the right-hand one; so the text, kinds and tables are the same as the
    original's (test_readers_pdf) and the boxes are those of the copy drawn first, 0.3 pt to
    the right. The ink spans both copies; either box is 0.3 pt short of it on one side."""
    original = read_pdf(FIXTURES / "pdf" / "report.pdf", "report.pdf")
    doubled = read_pdf(FIXTURES / "pdf" / "fake_bold.pdf", "fake_bold.pdf")
    assert [b.text for b in doubled.blocks] == [b.text for b in original.blocks]
    for ours, theirs in zip(doubled.blocks, original.blocks, strict=True):
        assert ours.bbox[0] == pytest.approx(theirs.bbox[0] + 0.3, abs=0.011)
        assert ours.bbox[2] == pytest.approx(theirs.bbox[2] + 0.3, abs=0.011)
        assert (ours.bbox[1], ours.bbox[3]) == (theirs.bbox[1], theirs.bbox[3])
