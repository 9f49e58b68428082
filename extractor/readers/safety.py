"""Checks on a zip-based office file before python-docx or openpyxl may open it.

A DOCX/XLSX is a zip of XML parts. A hostile or broken one must fail fast with a coded
one-line error instead of exhausting memory: not a zip or a part missing -> E104;
too large once decompressed, too highly compressed, too many members, or an XML part
declaring a DOCTYPE/ENTITY (entity expansion, "billion laughs") -> E108. The central
directory is checked first (sizes, ratios, member count, the encryption flag and the
compression method of every member), so a bomb is refused before anything is
decompressed; then every member is read once in chunks, which checks its stream and
CRC (a corrupt member -> E104 naming it) and the XML parts' prologs. zipfile itself
never yields more than a member's declared size. An encrypted OOXML file is not a zip
but a CFB (OLE) container holding an EncryptionInfo stream: said as such, with how to
save it unencrypted. A macro-enabled package (vbaProject.bin) is read, never run, and named.
"""

from __future__ import annotations

import re
import zlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ExtractorError, InputError

MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all members, declared uncompressed size
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 4 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_PROLOG_BYTES = 64 * 1024  # the XML prolog (before the root element) is tiny in real files

REQUIRED_PARTS: dict[str, tuple[str, ...]] = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
}
XML_SUFFIXES = (".xml", ".rels", ".vml")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .doc/.xls, or a password-protected docx/xlsx
OLE_DETAIL = {
    "docx": "实为旧版 .doc 或已加密的文件：请去除密码后在 Word/WPS 中另存为 .docx",
    "xlsx": "实为旧版 .xls 或已加密的文件：请去除密码后在 Excel/WPS 中另存为 .xlsx",
}
ENCRYPTED_DETAIL = {
    "docx": "文件已用密码加密（实为加密容器，不是 zip）：请在 Word/WPS 中打开，"
            "在“文件→信息→保护文档→用密码进行加密”中清空密码，再另存为 .docx 后提交",
    "xlsx": "文件已用密码加密（实为加密容器，不是 zip）：请在 Excel/WPS 中打开，"
            "在“文件→信息→保护工作簿→用密码进行加密”中清空密码，再另存为 .xlsx 后提交",
}
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")  # a CFB directory entry's name
CFB_SCAN_BYTES = 64 * 1024 * 1024
SUPPORTED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
MACRO_PARTS = ("word/vbaProject.bin", "xl/vbaProject.bin")
MACRO_ISSUE = "W107"
MACRO_MESSAGE = "{source}：文件含宏（{part}，通常是另存为 .xlsm/.docm 的文件改了扩展名），宏未运行也未读取，只读取了其中的文字和表格"
CHUNK = 1 << 20
ROOT_START = re.compile(rb"<[A-Za-z_]")
DTD_MARK = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_package(path: Path, fmt: str, max_total: int = MAX_TOTAL_BYTES,
                  max_ratio: int = MAX_RATIO) -> None:
    """Raise InputError E104/E108 unless path is a sane `fmt` (docx|xlsx) package."""
    with path.open("rb") as fh:
        head = fh.read(CFB_SCAN_BYTES)
    if head.startswith(OLE_MAGIC):
        encrypted = ENCRYPTION_STREAM in head
        raise InputError("E104", path=path, fmt=fmt, detail=(ENCRYPTED_DETAIL if encrypted else OLE_DETAIL)[fmt])
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_parts(path, fmt, {info.filename for info in infos})
            _check_sizes(path, infos, max_total, max_ratio)
            _check_members(path, fmt, infos)
            for info in infos:
                _check_stream(path, fmt, archive, info)
    except zipfile.BadZipFile as exc:
        raise InputError("E104", path=path, fmt=fmt, detail=f"不是有效的 zip 包：{exc}") from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise InputError("E104", path=path, fmt=fmt, detail=f"zip 包无法读取：{exc}") from None


def macro_part(path: Path) -> str | None:
    """The macro part of a package that passed check_package, None when there is none."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    return next((part for part in MACRO_PARTS if part in names), None)


def _check_members(path: Path, fmt: str, infos: list[zipfile.ZipInfo]) -> None:
    """Flags and methods from the central directory, before any member is decompressed."""
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError("E104", path=path, fmt=fmt, detail=f"成员 {info.filename} 带加密标志（zip 加密），"
                             "请去除密码后重新保存")
        if info.compress_type not in SUPPORTED_METHODS:
            raise InputError("E104", path=path, fmt=fmt, detail=f"成员 {info.filename} 使用不支持的压缩方式 "
                             f"{info.compress_type}，请在 Office/WPS 中重新保存")


def _check_stream(path: Path, fmt: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read the member once in chunks: a corrupt stream or a wrong CRC is found here, not in
    the middle of python-docx or openpyxl. XML parts' prologs are checked on the way."""
    is_xml = info.filename.lower().endswith(XML_SUFFIXES)
    head = b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK if not is_xml or len(head) >= MAX_PROLOG_BYTES else 4096):
                if is_xml and len(head) < MAX_PROLOG_BYTES:
                    head += chunk
    except (zlib.error, zipfile.BadZipFile, EOFError) as exc:
        raise InputError("E104", path=path, fmt=fmt, detail=f"成员 {info.filename} 数据损坏（{exc}）") from None
    if is_xml:
        _check_prolog(path, info, head)


def _check_parts(path: Path, fmt: str, names: set[str]) -> None:
    for part in REQUIRED_PARTS[fmt]:
        if part not in names:
            raise InputError("E104", path=path, fmt=fmt, detail=f"缺少 {part}")


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo], max_total: int, max_ratio: int) -> None:
    if len(infos) > MAX_MEMBERS:
        raise InputError("E108", path=path, detail=f"包含 {len(infos)} 个成员，超过 {MAX_MEMBERS}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > max_total:
            raise InputError("E108", path=path, detail=f"{info.filename} 解压后超过 {_mb(max_total)}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_MIN_BYTES and ratio > max_ratio:
            raise InputError("E108", path=path, detail=f"{info.filename} 压缩比 {ratio:.0f}:1 超过 {max_ratio}:1")


def _check_prolog(path: Path, info: zipfile.ZipInfo, head: bytes) -> None:
    """A DOCTYPE can only appear before the root element, in the part's first bytes."""
    prolog = _as_ascii(head)
    root = ROOT_START.search(prolog)
    if DTD_MARK.search(prolog[: root.start()] if root else prolog):
        raise InputError("E108", path=path, detail=f"{info.filename} 含 DOCTYPE/ENTITY 声明（XML 实体炸弹）")
    if root is None and len(head) >= MAX_PROLOG_BYTES:
        raise InputError("E108", path=path, detail=f"{info.filename} 的 XML 开头超过 {MAX_PROLOG_BYTES} 字节仍无根元素")


def _as_ascii(data: bytes) -> bytes:
    """UTF-16 parts (BOM or NUL-interleaved) narrowed to their ASCII bytes for the scan."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[1:2] == b"\x00" or data[:1] == b"\x00":
        return data.replace(b"\x00", b"")
    return data


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


@contextmanager
def parser_errors(path: Path, fmt: str) -> Iterator[None]:
    """Turn any parser-library failure into a coded InputError (E104, or E108 for memory);
    an exception raised in this package's own code is E110 (a bug, not the file's fault)."""
    try:
        yield
    except ExtractorError:
        raise
    except (MemoryError, OverflowError, RecursionError) as exc:
        raise InputError("E108", path=path, detail=f"读取时内存不足或数值溢出（{type(exc).__name__}）") from None
    except Exception as exc:  # python-docx/openpyxl raise many unrelated types
        from . import raised_in_own_code

        detail = f"{type(exc).__name__}: {str(exc)[:120]}".replace("\n", " ")
        if raised_in_own_code(exc):  # a bug of ours, not a broken file
            raise InputError("E110", path=path, detail=detail) from exc
        raise InputError("E104", path=path, fmt=fmt, detail=detail) from exc
