"""Regression tests for every class of input fault the fuzzing found, each a minimal file built
in code: a coded InputError or a coded issue, bounded time and memory, never E110."""

from __future__ import annotations

import io
import re
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from fuzzlib import corrupt_member_stream, set_flags  # noqa: E402

from extractor.errors import InputError  # noqa: E402
from extractor.numbers import parse_number, parse_quantity  # noqa: E402
from extractor.readers import library_noise, read_document  # noqa: E402
from extractor.readers.xlsx import cell_text  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rezip(path: Path, change: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> Path:
    """A copy of the package with members replaced (bytes) or deleted (None), others added."""
    with zipfile.ZipFile(path) as archive:
        members = [(i.filename, archive.read(i)) for i in archive.infolist()]
    out = path.with_name("changed" + path.suffix)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in members:
            if name in change:
                if change[name] is None:
                    continue
                body = change[name]
            target.writestr(name, body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def coded(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.code != "E110", str(caught.value)
    assert str(path) in str(caught.value)
    return caught.value


@pytest.fixture
def docx_file(make_docx) -> Path:
    return make_docx(["单位基本情况", {"table": [["项目", "金额"], ["基本支出", "12.5"]]}])


@pytest.fixture
def xlsx_file(make_xlsx) -> Path:
    return make_xlsx({"表1": {"rows": [["项目", "金额"], ["基本支出", 12.5]], "merge": ["A1:B1"]}})


# --- zip members --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["word/document.xml", "word/styles.xml", "_rels/.rels"])
def test_corrupt_member_stream_is_e104_naming_the_member(docx_file: Path, name: str) -> None:
    data = docx_file.read_bytes()
    index = [i.filename for i in zipfile.ZipFile(io.BytesIO(data)).infolist()].index(name)
    import random

    bad = docx_file.with_name("bad.docx")
    bad.write_bytes(corrupt_member_stream(data, index, random.Random(3)))
    error = coded(bad)
    assert error.code == "E104" and name in str(error)


@pytest.mark.parametrize(("flag", "method", "crc", "said"), [
    (1, None, 0, "加密"), (0, 99, 0, "压缩方式"), (0, 14, 0, "压缩方式"), (0, None, 0x5A5A, "CRC"),
])
def test_member_flags_method_and_crc_checked_up_front(xlsx_file: Path, flag: int, method: int | None,
                                                      crc: int, said: str) -> None:
    names = [i.filename for i in zipfile.ZipFile(xlsx_file).infolist()]
    bad = xlsx_file.with_name("bad.xlsx")
    bad.write_bytes(set_flags(xlsx_file.read_bytes(), names.index("xl/workbook.xml"), flag, method, crc))
    error = coded(bad)
    assert error.code == "E104" and said in str(error)


def test_encrypted_ooxml_is_named_with_how_to_save_it_unencrypted(tmp_path: Path) -> None:
    """Word's password encryption writes a CFB container with an EncryptionInfo stream."""
    cfb = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    cfb[600:600 + 28] = "EncryptionInfo".encode("utf-16-le")
    path = tmp_path / "加密.docx"
    path.write_bytes(bytes(cfb))
    error = coded(path)
    assert "加密" in str(error) and "清空密码" in str(error) and "另存为 .docx" in str(error)


def test_missing_part_is_e104(docx_file: Path) -> None:
    error = coded(rezip(docx_file, {"word/document.xml": None}))
    assert error.code == "E104" and "word/document.xml" in str(error)


def test_xlsx_without_its_styles_is_e104_not_e110(make_xlsx) -> None:
    """Found by fuzzing (seed 20261203, 3 of 1,500): styles.xml deleted -> IndexError in our
    style check, shown as a bug; it is the file's fault."""
    styled = make_xlsx({"表1": {"rows": [["项目", "金额"], ["基本支出", 12.5]], "formats": {"B2": "0.00"}}})
    error = coded(rezip(styled, {"xl/styles.xml": None}))
    assert error.code == "E104" and "样式" in str(error)


def test_xxe_system_entity_refused(docx_file: Path) -> None:
    body = member(docx_file, "word/document.xml").replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    assert coded(rezip(docx_file, {"word/document.xml": body})).code == "E108"


def test_macro_enabled_package_is_named(xlsx_file: Path, docx_file: Path) -> None:
    for path, part in ((xlsx_file, "xl/vbaProject.bin"), (docx_file, "word/vbaProject.bin")):
        doc = read_document(rezip(path, {}, {part: b"\x00" * 64}))
        assert [i.code for i in doc.issues if part in i.message] == ["W107"]


# --- grids --------------------------------------------------------------------------------

def _with_first_row(docx_file: Path, tr_pr: bytes = b"", tc_pr: bytes = b"", copies: int = 1) -> Path:
    body = member(docx_file, "word/document.xml")
    row = re.search(rb"<w:tr[ >].*?</w:tr>", body, re.S)
    assert row is not None
    text = row.group(0)
    if tr_pr:
        text = re.sub(rb"(<w:tr[^>]*>)", rb"\1<w:trPr>" + tr_pr + b"</w:trPr>", text, count=1)
    if tc_pr:
        text = text.replace(b"<w:tcPr>", b"<w:tcPr>" + tc_pr, 1)
    return rezip(docx_file, {"word/document.xml": body[: row.start()] + text * copies + body[row.end():]})


@pytest.mark.parametrize(("tr_pr", "tc_pr"), [
    (b'<w:gridBefore w:val="1000000"/>', b""),
    (b'<w:gridAfter w:val="99999999999999999999"/>', b""),
    (b"", b'<w:gridSpan w:val="1000000"/>'),
    (b"", b'<w:gridSpan w:val="2147483648"/>'),
])
def test_absurd_grid_attributes_skip_the_table_with_w108(docx_file: Path, tr_pr: bytes, tc_pr: bytes) -> None:
    doc = read_document(_with_first_row(docx_file, tr_pr, tc_pr))
    assert doc.tables == () and [i.code for i in doc.issues] == ["W108"]
    assert "超出可读上限" in doc.issues[0].message
    assert any("单位基本情况" in b.text for b in doc.blocks)  # the rest of the document is read


def test_too_many_rows_skip_the_table(docx_file: Path) -> None:
    body = member(docx_file, "word/document.xml")
    row = re.search(rb"<w:tr[ >].*?</w:tr>", body, re.S)
    assert row is not None
    rows = b"".join(b"<w:tr><w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc></w:tr>" % (n * 7919 % 100003)
                    for n in range(20_001))
    doc = read_document(rezip(docx_file, {"word/document.xml": body[: row.start()] + rows + body[row.end():]}))
    assert doc.tables == () and "20002 行（上限 20000）" in doc.issues[0].message


def test_repeated_header_rows_are_linear_in_the_annex_walk(make_docx) -> None:
    """3,000 copies of a header row: the header stack was rebuilt over all rows above (cubic, minutes);
    the time is measured in bench/, this test holds what the walk gives."""
    from extractor.extract import extract_documents

    header = ["项目", "年初预算数", "全年预算数", "全年执行数", "执行率"]
    path = make_docx(["附件1 部门整体支出绩效评价基础数据表", {"table": [header, ["合计", "1", "2", "3", "4"]]}])
    body = member(path, "word/document.xml")
    row = re.search(rb"<w:tr[ >].*?</w:tr>", body, re.S)
    assert row is not None
    doc = read_document(rezip(path, {"word/document.xml": body[: row.start()] + row.group(0) * 3000 + body[row.end():]}))
    assert doc.tables[0].n_rows == 3001
    extraction = extract_documents([doc], None)
    assert extraction.sources == (doc.source,)


def test_merged_range_over_the_whole_sheet_costs_nothing(xlsx_file: Path) -> None:
    sheet = member(xlsx_file, "xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'<mergeCell ref="[^"]*"', b'<mergeCell ref="A1:XFD1048576"', sheet)
    sheet = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    doc = read_document(rezip(xlsx_file, {"xl/worksheets/sheet1.xml": sheet}))
    (table,) = doc.tables
    assert (table.n_rows, table.n_cols) == (2, 2) and table.cells[0].text == "项目"


def test_a_stray_cell_at_the_far_corner_skips_the_sheet_with_w108(xlsx_file: Path) -> None:
    sheet = member(xlsx_file, "xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    doc = read_document(rezip(xlsx_file, {"xl/worksheets/sheet1.xml": sheet}))
    assert doc.tables == () and [i.code for i in doc.issues] == ["W108"]


def test_many_sheets_on_one_part_are_read_once(xlsx_file: Path) -> None:
    workbook = member(xlsx_file, "xl/workbook.xml")
    first = re.search(rb"<sheet [^>]*/>", workbook)
    assert first is not None
    copies = b"".join(re.sub(rb'name="[^"]*"', b'name="S%d"' % n, re.sub(rb'sheetId="\d+"', b'sheetId="%d"' % (n + 9),
                      first.group(0))) for n in range(2000))
    workbook = workbook.replace(first.group(0), first.group(0) + copies)
    doc = read_document(rezip(xlsx_file, {"xl/workbook.xml": workbook}))
    assert len(doc.tables) == 1 and {i.code for i in doc.issues} == {"W108"}


# --- numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["9" * 5000, "1." + "0" * 4000 + "万元", "123456789012345678901234亿元",
                                  "9" * 40 + "万元", "1" * 30 + "%"])
def test_absurd_lengths_are_refused_as_figures(text: str) -> None:
    assert parse_quantity(text) is None


def test_long_but_real_amounts_still_parse() -> None:
    assert parse_number("1234567890123456") is not None
    assert str(parse_quantity("2348.75万元").value) == "23487500"  # type: ignore[union-attr]


@pytest.mark.parametrize(("value", "shown"), [(1e300, "1E+300"), (float("inf"), "Infinity"), (-1e20, "-1E+20")])
def test_absurd_xlsx_numbers_are_shown_as_stored(value: float, shown: str) -> None:
    assert cell_text(value, "#,##0.00") == shown
    assert parse_quantity(shown) is None


# --- library noise ------------------------------------------------------------------------

def test_library_warnings_and_log_records_become_counts_not_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    with library_noise() as noise:
        for _ in range(3):
            logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing corrupted data")
        warnings.warn("Data Validation extension is not supported", UserWarning, stacklevel=1)
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
    assert noise == {"Data-loss while decompressing corrupted data": 3, "Data Validation extension is not supported": 1}
    assert capsys.readouterr().err == ""


def test_a_library_exception_is_e104_and_our_own_is_e110(docx_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relationship to a part the zip lacks: python-docx raises KeyError -> the file's fault."""
    error = coded(rezip(docx_file, {"word/styles.xml": None}))
    assert error.code == "E104" and "KeyError" in str(error)

    import extractor.readers.docx as reader

    # a bug planted in our own code: run_text(None) fails inside extractor/readers/docx.py
    monkeypatch.setattr(reader, "_walk_body", lambda container, body: reader.run_text(None))
    with pytest.raises(InputError) as caught:
        read_document(docx_file)
    assert caught.value.code == "E110" and "--debug" in str(caught.value) and "反馈" in str(caught.value)
