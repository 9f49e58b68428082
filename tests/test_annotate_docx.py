"""--annotate, DOCX: Word comments anchored on exactly the cited figures' runs.

Files are built in code (runs split inside figures, full-width digits, zero-width and
doubled spaces, a two-paragraph cell, a nested table) and read back with python-docx and
lxml: every anchor is the figure, the text without comments is the original's, the
comment markers pair up, the original file is untouched.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from extractor.annotate.docx_marks import mark_docx
from extractor.annotate.marks import AUTHOR, NOT_EXACT, Mark
from extractor.annotate.readback import docx_comments
from extractor.model import Finding, Level, Locator, Reach, Severity
from extractor.readers import read_document


def finding(message: str, fid: str = "f1", level: Level = Level.MANDATORY) -> Finding:
    return Finding(id=fid, unit="甲局", year=2024, rule_id="sum.x", family="sum", severity=Severity.ERROR,
                   reach=Reach.TEXT_TABLE, level=level, message=message)


def tricky_docx(path: Path) -> Path:
    """Figures cut across runs of different formatting, written the ways reports write them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("本年支出合计")
    p.add_run("23").bold = True
    p.add_run("48.7")
    p.add_run("5万元，  其中\u200b基本支出").italic = True
    p.add_run("１２００．５０万元。")
    document.add_paragraph("年末实有人数\t12人。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "金额"
    cell = table.cell(1, 1)
    cell.paragraphs[0].add_run("3")
    cell.paragraphs[0].add_run("4.5")
    cell.add_paragraph("其中：12.5")
    nested = table.cell(1, 0).add_table(rows=1, cols=1)
    nested.cell(0, 0).paragraphs[0].add_run("合计7").bold = True
    nested.cell(0, 0).paragraphs[0].add_run("7.0")
    document.save(str(path))
    return path


def locate(doc, figure: str, table: int | None = None, row: int = 0, col: int = 0) -> Locator:
    """The reader's own place for the figure: its offsets in Block.text or Cell.text."""
    if table is None:
        for block in doc.blocks:
            if figure in block.text:
                start = block.text.index(figure)
                return Locator(doc.source, block=block.index, char_start=start, char_end=start + len(figure))
        raise AssertionError(figure)
    text = next(c.text for c in doc.tables[table].cells if (c.row, c.col) == (row, col))
    start = text.index(figure)
    return Locator(doc.source, table=table, row=row, col=col, char_start=start, char_end=start + len(figure))


FIGURES = [("2348.75", None, 0, 0), ("1200．50万元", None, 0, 0), ("12人", None, 0, 0),
           ("34.5", 0, 1, 1), ("12.5", 0, 1, 1), ("77.0", 1, 0, 0)]


@pytest.fixture
def marked(tmp_path: Path) -> tuple[Path, Path, list]:
    source = tricky_docx(tmp_path / "in" / "报告.docx")
    doc = read_document(source, source.parent)
    marks = [Mark(finding(f"问题{i}", f"id{i}"), locate(doc, fig, t, r, c), fig) for i, (fig, t, r, c) in enumerate(FIGURES)]
    target = tmp_path / "out" / "报告.docx"
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    placed = mark_docx(source, target, marks)
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # the original is never modified
    return source, target, placed


def test_every_comment_is_anchored_on_exactly_its_figure(marked) -> None:
    _, target, placed = marked
    assert all(p.exact for p in placed)
    comments, problems = docx_comments(target)
    assert problems == []
    assert [c.anchor for c in comments] == [fig for fig, *_ in FIGURES]
    assert all(c.author == AUTHOR for c in comments)
    assert [c.text.split("；")[0] for c in comments] == [f"【强制】问题{i}" for i in range(len(FIGURES))]
    assert all(f"编号 id{i}" in c.text for i, c in enumerate(comments))


def test_text_without_comments_is_the_originals(marked) -> None:
    source, target, _ = marked
    before, after = read_document(source, source.parent), read_document(target, target.parent)
    assert [b.text for b in after.blocks] == [b.text for b in before.blocks]
    assert [[c.text for c in t.cells] for t in after.tables] == [[c.text for c in t.cells] for t in before.tables]
    old, new = docx.Document(str(source)), docx.Document(str(target))
    assert [p.text for p in new.paragraphs] == [p.text for p in old.paragraphs]
    assert [c.text for t in new.tables for r in t.rows for c in r.cells] == \
        [c.text for t in old.tables for r in t.rows for c in r.cells]
    assert len(new.comments) == len(FIGURES)  # python-docx sees the comments part


def test_split_runs_keep_their_formatting(marked) -> None:
    _, target, _ = marked
    runs = docx.Document(str(target)).paragraphs[0].runs
    texts = [(r.text, bool(r.bold), bool(r.italic)) for r in runs if r.text]
    assert ("23", True, False) in texts and ("48.7", False, False) in texts
    assert ("5", False, True) in texts and ("万元，  其中\u200b基本支出", False, True) in texts


def test_comments_part_is_declared_and_well_formed(marked) -> None:
    _, target, _ = marked
    with zipfile.ZipFile(target) as archive:
        assert "word/comments.xml" in archive.namelist()
        assert b"wordprocessingml.comments+xml" in archive.read("[Content_Types].xml")
        assert b"relationships/comments" in archive.read("word/_rels/document.xml.rels")
        assert archive.testzip() is None
        from lxml import etree

        comments = etree.fromstring(archive.read("word/comments.xml"))
    ids = [c.get(qn("w:id")) for c in comments.iterfind(qn("w:comment"))]
    assert ids == [str(i) for i in range(len(FIGURES))]


def test_marking_again_adds_to_existing_comments(marked, tmp_path: Path) -> None:
    _, target, _ = marked
    doc = read_document(target, target.parent)
    again = tmp_path / "again" / "报告.docx"
    mark_docx(target, again, [Mark(finding("再次"), locate(doc, "12人"), "12人")])
    comments, problems = docx_comments(again)
    assert problems == [] and len(comments) == len(FIGURES) + 1
    assert comments[-1].id == str(len(FIGURES)) and comments[-1].anchor == "12人"


def test_a_place_that_does_not_hold_the_figure_is_commented_on_its_paragraph(tmp_path: Path) -> None:
    source = tricky_docx(tmp_path / "报告.docx")
    doc = read_document(source, source.parent)
    wrong = Locator(doc.source, block=1, char_start=0, char_end=3)  # "年末实" is not "12人"
    nowhere = Mark(finding("缺少内容", "f2"), None, "")
    placed = mark_docx(source, tmp_path / "out.docx", [Mark(finding("错位"), wrong, "12人"), nowhere])
    assert [p.exact for p in placed] == [False, False]
    comments, problems = docx_comments(tmp_path / "out.docx")
    assert problems == []
    assert comments[0].anchor == doc.blocks[1].text and comments[0].text.startswith(NOT_EXACT)
    assert comments[1].anchor == doc.blocks[0].text  # no place at all: the first paragraph
