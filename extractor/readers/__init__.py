"""One reader per format; read_document picks it by suffix.

Each reader module is the only one that imports its parser library, so they are
imported lazily: reading a DOCX never loads pdfplumber.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from ..errors import InputError
from ..model import Document

READERS: dict[str, str] = {".docx": "docx", ".pdf": "pdf", ".xlsx": "xlsx"}
LEGACY: dict[str, str] = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}


def source_name(path: Path, root: Path | None) -> str:
    """Path relative to the input root, '/'-separated; the bare name without a root."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def reader_for(path: Path) -> Callable[[Path, str], Document]:
    suffix = path.suffix.lower()
    if suffix in LEGACY:
        target = LEGACY[suffix]
        raise InputError("E103", path=path, suffix=suffix, target=target, name=path.name)
    if suffix not in READERS:
        raise InputError("E102", path=path, suffix=suffix or "(无扩展名)")
    if suffix == ".pdf":
        return read_pdf_or_scan
    module = import_module(f".{READERS[suffix]}", __name__)
    return getattr(module, f"read_{READERS[suffix]}")  # type: ignore[no-any-return]


def read_document(path: str | Path, root: str | Path | None = None) -> Document:
    """Read one file into the document model; InputError (one line, coded) when it cannot."""
    path = Path(path)
    if not path.is_file():
        raise InputError("E101", path=path)
    reader = reader_for(path)
    return reader(path, source_name(path, Path(root) if root else None))


def read_pdf_or_scan(path: Path, source: str) -> Document:
    """The PDF reader, or OCR (readers.ocr) where it finds no text layer or --ocr force says so."""
    from .ocr_mode import ocr_available, ocr_mode
    from .pdf import read_pdf

    mode = ocr_mode()
    if mode == "force" and ocr_available():
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(path, source)
    try:
        doc = read_pdf(path, source)
    except InputError as exc:
        if exc.code != "E106" or mode == "off" or not ocr_available():
            raise
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(path, source, exc)
    if mode == "off" or not any(i.code == "W106" for i in doc.issues) or not ocr_available():
        return doc
    from .ocr import add_scanned_pages

    return add_scanned_pages(doc, path)
