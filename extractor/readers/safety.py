"""Checks on a zip-based office file before python-docx or openpyxl may open it.

A DOCX/XLSX is a zip of XML parts. A hostile or broken one must fail fast with a coded
one-line error instead of exhausting memory: not a zip or a part missing -> E104;
too large once decompressed, too highly compressed, too many members, or an XML part
declaring a DOCTYPE/ENTITY (entity expansion, "billion laughs") -> E108. Only the
central directory and each XML part's prolog are read: a bomb is refused without
decompressing it. zipfile itself never yields more than a member's declared size.
"""

from __future__ import annotations

import re
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
ROOT_START = re.compile(rb"<[A-Za-z_]")
DTD_MARK = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_package(path: Path, fmt: str, max_total: int = MAX_TOTAL_BYTES,
                  max_ratio: int = MAX_RATIO) -> None:
    """Raise InputError E104/E108 unless path is a sane `fmt` (docx|xlsx) package."""
    with path.open("rb") as fh:
        if fh.read(len(OLE_MAGIC)) == OLE_MAGIC:
            raise InputError("E104", path=path, fmt=fmt, detail=OLE_DETAIL[fmt])
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_parts(path, fmt, {info.filename for info in infos})
            _check_sizes(path, infos, max_total, max_ratio)
            for info in infos:
                if info.filename.lower().endswith(XML_SUFFIXES):
                    _check_prolog(path, archive, info)
    except zipfile.BadZipFile as exc:
        raise InputError("E104", path=path, fmt=fmt, detail=f"不是有效的 zip 包：{exc}") from None
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise InputError("E104", path=path, fmt=fmt, detail=f"zip 包无法读取：{exc}") from None


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


def _check_prolog(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read only up to the root element: a DOCTYPE can only appear before it."""
    head = b""
    with archive.open(info) as member:
        while len(head) < MAX_PROLOG_BYTES:
            chunk = member.read(4096)
            if not chunk:
                break
            head += chunk
            if ROOT_START.search(_as_ascii(head)):
                break
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
    """Turn any parser-library failure into a coded InputError (E104, or E108 for memory)."""
    try:
        yield
    except ExtractorError:
        raise
    except MemoryError:
        raise InputError("E108", path=path, detail="读取时内存不足") from None
    except Exception as exc:  # python-docx/openpyxl raise many unrelated types
        detail = f"{type(exc).__name__}: {str(exc)[:120]}".replace("\n", " ")
        raise InputError("E104", path=path, fmt=fmt, detail=detail) from exc
