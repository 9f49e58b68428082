"""Paragraph and cell line joining on PDFs typeset in code with two fonts and sizes,
justified and ragged (issue 12 item 7): a paragraph ends only at a line short against the
text width, and a break between two figures never glues them into one."""

from __future__ import annotations

from pathlib import Path

from pdf_builder import justified, text_width, write_pdf

from extractor.readers.pdf import read_pdf

LEFT, RIGHT = 72.0, 523.0
FILLER = [
    "Budget execution was reviewed for every unit of the county office this year and",
    "the review covered income, spending, the three public costs and all projects that",
    "were funded from the general budget, with each figure checked against the annex.",
]


def _ragged(x, y, pt, text, font="F1"):
    return (x, y, pt, text.encode("latin-1"), font)


def _read(tmp_path: Path, lines, boxes=()):
    path = write_pdf(tmp_path / "lines.pdf", lines, boxes)
    return read_pdf(path, path.name)


def test_line_ending_short_of_a_word_does_not_end_the_paragraph(tmp_path):
    """Helvetica 12 pt, justified filler, then a line that an exporter ended 50 pt short
    although the next word would have fitted: still one paragraph ("127" / "items")."""
    lines = [justified(LEFT, 700 - 14 * i, 12, text, RIGHT) for i, text in enumerate(FILLER)]
    short = "In the year under review the office of the county handled 127"
    gap = 50.0
    assert 12 + text_width("items,", 12) < gap < 0.2 * (RIGHT - LEFT)  # the old rule split here
    assert text_width(short, 12) < RIGHT - gap - LEFT
    lines += [justified(LEFT, 658, 12, short, RIGHT - gap), _ragged(LEFT, 644, 12, "items, worth 4406 yuan.")]
    texts = [b.text for b in _read(tmp_path, lines).blocks]
    assert texts[-1].endswith(short + " items, worth 4406 yuan.")
    assert not any(text.endswith("127") for text in texts)


def test_short_last_line_ends_the_paragraph_in_a_second_font(tmp_path):
    """Times 10.5 pt justified; a last line well short of the width ends its paragraph even
    when the next one is not indented."""
    lines = [justified(LEFT, 700 - 13 * i, 10.5, text, RIGHT, "F2") for i, text in enumerate(FILLER)]
    lines += [_ragged(LEFT, 661, 10.5, "All of it was paid.", "F2"),
              justified(LEFT, 648, 10.5, FILLER[0], RIGHT, "F2"),
              _ragged(LEFT, 635, 10.5, "Second paragraph ends here.", "F2")]
    doc = _read(tmp_path, lines)
    texts = [b.text for b in doc.blocks]
    assert texts[0].endswith("against the annex. All of it was paid.")
    assert texts[1] == FILLER[0] + " Second paragraph ends here."


def test_two_figures_either_side_of_a_break_stay_apart(tmp_path):
    """A line ending in a figure, 40 pt short, and the next opening with another figure:
    joined with a space, never "612.40540.00"; a line cut inside a number (full to the
    margin) is still joined without one."""
    lines = [justified(LEFT, 700 - 14 * i, 12, text, RIGHT) for i, text in enumerate(FILLER)]
    head = "In the same year the spending on the building project was 612.40"
    assert 0.6 * 12 < 40 < 12 + text_width("540.00", 12)  # the old rule glued the two
    lines += [justified(LEFT, 658, 12, "Income and spending of the office were as follows: income 1,", RIGHT),
              _ragged(LEFT, 644, 12, "234.56 thousand yuan in all."),
              justified(LEFT, 616, 12, head, RIGHT - 40), _ragged(LEFT, 602, 12, "540.00 of it from the budget.")]
    texts = [b.text for b in _read(tmp_path, lines).blocks]
    assert texts[-2].endswith("as follows: income 1,234.56 thousand yuan in all.")
    assert texts[-1] == head + " 540.00 of it from the budget."


def test_two_figures_stacked_in_a_cell_are_two_lines(tmp_path):
    """A narrow cell (Helvetica 9 pt) holding two amounts on two lines: a hard break between
    them, as between any lines that stopped short; a wrapped label is joined."""
    boxes = [(72, 600, 70, 40), (142, 600, 70, 40), (72, 560, 70, 40), (142, 560, 70, 40)]
    lines = [_ragged(76, 626, 9, "Budget"), _ragged(146, 626, 9, "Spent"),
             _ragged(76, 586, 9, "Office"), _ragged(76, 576, 9, "running"),
             _ragged(146, 586, 9, "612.40"), _ragged(146, 576, 9, "540.00")]
    doc = _read(tmp_path, lines, boxes)
    cells = {(c.row, c.col): c.text for c in doc.tables[0].cells}
    assert cells[(1, 1)] == "612.40\n540.00"
    assert cells[(1, 0)] == "Office running"
