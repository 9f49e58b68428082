"""Bad input: every failure is one coded line naming the file, never a traceback."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.errors import InputError
from extractor.readers import read_document
from extractor.readers.safety import check_package

BAD = Path(__file__).parent / "fixtures" / "bad"


def _code_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_document(path)
    message = str(info.value)
    assert path.name in message and "\n" not in message
    return info.value.code


def _zip_bomb(template: Path, target: Path, megabytes: int) -> Path:
    """A copy of a valid DOCX plus one member of `megabytes` MB of zeros (~1000:1)."""
    shutil.copy(template, target)
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(zeros)
    return target


def test_missing_file_is_e101(tmp_path: Path):
    assert _code_of(tmp_path / "不存在的报告.docx") == "E101"


@pytest.mark.parametrize("suffix, target", [(".doc", "docx"), (".wps", "docx"), (".xls", "xlsx")])
def test_legacy_formats_say_how_to_convert(tmp_path: Path, suffix: str, target: str):
    path = tmp_path / f"报告{suffix}"
    path.write_bytes((BAD / "old_format.doc").read_bytes())
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.code == "E103"
    assert f"soffice --headless --convert-to {target} 报告{suffix}" in str(info.value)


def test_old_or_encrypted_file_named_docx_says_so(tmp_path: Path):
    path = tmp_path / "报告.docx"
    path.write_bytes((BAD / "old_format.doc").read_bytes())
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.code == "E104" and "另存为 .docx" in str(info.value)


def test_unsupported_type_is_e102():
    assert _code_of(BAD / "notes.txt") == "E102"


@pytest.mark.parametrize("name, detail", [
    ("random_bytes.docx", "zip"),
    ("no_document_xml.docx", "word/document.xml"),
    ("broken_xml.docx", "XMLSyntaxError"),
    ("truncated.xlsx", "zip"),
    ("no_workbook_xml.xlsx", "xl/workbook.xml"),
])
def test_corrupt_packages_are_e104_with_the_reason(name: str, detail: str):
    with pytest.raises(InputError) as info:
        read_document(BAD / name)
    assert info.value.code == "E104" and detail in str(info.value) and name in str(info.value)


@pytest.mark.parametrize("name", ["billion_laughs.docx", "billion_laughs.xlsx"])
def test_entity_bomb_is_refused_before_parsing(name: str):
    assert _code_of(BAD / name) == "E108"


def test_zip_bomb_is_refused_from_the_directory(tmp_path: Path, make_docx):
    bomb = _zip_bomb(make_docx(["一、单位基本情况", "正文"]), tmp_path / "bomb.docx", 24)
    assert bomb.stat().st_size < 200_000  # 24 MB of zeros squeezed ~1000:1
    assert _code_of(bomb) == "E108"
    with pytest.raises(InputError) as info:  # the size limit alone, ratio rule out of the way
        check_package(bomb, "docx", max_total=16 * 1024 * 1024, max_ratio=10**9)
    assert info.value.code == "E108" and "16 MB" in str(info.value)


def test_empty_docx_is_e107():
    assert _code_of(BAD / "empty.docx") == "E107"


def test_empty_xlsx_is_e107(make_xlsx):
    assert _code_of(make_xlsx({"Sheet1": {"rows": []}})) == "E107"


def test_cli_prints_one_line_and_returns_2(capsys):
    assert main(["read", str(BAD / "random_bytes.docx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("[E104]") and "random_bytes.docx" in err
    assert "Traceback" not in err


def test_cli_debug_shows_the_traceback(capsys):
    assert main(["--debug", "read", str(BAD / "broken_xml.docx")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "[E104]" in err
