"""One reader per format; read_document picks it by suffix.

Each reader module is the only one that imports its parser library, so they are
imported lazily: reading a DOCX never loads pdfplumber.

read_document is the boundary between the parser libraries and the rest: whatever a
library raises on a broken file (zlib.error, KeyError on a missing part, struct.error,
TypeError deep in pdfminer, MemoryError/OverflowError from absurd values) leaves it as
a coded InputError naming the file; an exception raised in this package's own code is
E110 (a bug, "run with --debug and report it"); OSError is the machine's (E114 disk
full, E120 otherwise). The libraries' warnings and log records (pdfminer's "Data-loss
while decompressing corrupted data") are collected into one coded W109 issue of the
document instead of being printed on stderr.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import logging
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExtractorError, InputError, MalformedInput
from ..model import Document, Issue

if TYPE_CHECKING:
    from .structure import HeadingRules

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


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def reader_for(path: Path) -> Callable[..., Document]:
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


PACKAGE_DIR = str(Path(__file__).resolve().parent.parent) + "/"
LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "pypdf", "pypdfium2", "openpyxl", "docx", "PIL", "fontTools")
NOISE_ISSUE = "W109"
NOISE_MESSAGE = "{source}：读取时解析库报告了文件问题（{detail}），内容可能不完整，请人工核对"
IGNORED_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, ResourceWarning, ImportWarning)


def read_document(path: str | Path, root: str | Path | None = None, headings: HeadingRules | None = None) -> Document:
    """Read one file into the document model; InputError (one line, coded) when it cannot.
    `headings`: the run's heading rules (Patterns.headings; None: the process's bundle)."""
    path = Path(path)
    try:
        exists = path.is_file()
    except OSError as exc:  # a symlink loop, a name the file system refuses
        raise InputError("E116", path=path, detail=exc.strerror or type(exc).__name__) from None
    if not exists:
        if path.is_symlink():
            raise InputError("E116", path=path, detail="链接目标不存在或形成循环")
        raise InputError("E101", path=path)
    reader = reader_for(path)
    source = source_name(path, Path(root) if root else None)
    with library_noise() as noise:
        try:
            doc = reader(path, source, headings)
        except ExtractorError as exc:
            raise _reclassified(path, exc) from exc.__cause__
        except Exception as exc:  # noqa: BLE001 - every library failure becomes one coded line
            raise coded_failure(path, exc) from exc
    if noise:
        detail = "；".join(f"{text}（{n} 次）" if n > 1 else text for text, n in list(noise.items())[:3])
        issue = Issue(NOISE_ISSUE, NOISE_MESSAGE.format(source=source, detail=detail[:300]), source)
        doc = dataclasses.replace(doc, issues=(*doc.issues, issue))
    return doc


def coded_failure(path: Path, exc: BaseException) -> InputError:
    """The coded error for an exception a reader let through."""
    detail = f"{type(exc).__name__}: {str(exc)[:120]}".replace("\n", " ")
    if isinstance(exc, (MemoryError, OverflowError, RecursionError)):
        return InputError("E108", path=path, detail=f"读取时内存不足或数值溢出（{type(exc).__name__}）")
    if isinstance(exc, OSError) and exc.errno is not None and not isinstance(exc, (EOFError,)):
        if exc.errno == errno.ENOSPC:
            return InputError("E114", path=path, detail=detail)
        return InputError("E120", path=path, detail=detail)
    if raised_in_own_code(exc):
        return InputError("E110", path=path, detail=detail)
    return InputError("E104", path=path, fmt=path.suffix.lstrip(".").upper() or "文档", detail=detail)


def _reclassified(path: Path, exc: ExtractorError) -> ExtractorError:
    """A reader's own E110 whose cause was raised inside a library is the file's fault (E104)."""
    cause = exc.__cause__
    if exc.code == "E110" and cause is not None and not raised_in_own_code(cause):
        return coded_failure(path, cause)
    return exc


def raised_in_own_code(exc: BaseException) -> bool:
    """Whether the innermost frame of the exception is in this package (a bug of ours)
    rather than in a parser library (a broken file the library could not read)."""
    if isinstance(exc, MalformedInput):
        return False
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.startswith(PACKAGE_DIR)


class _Collect(logging.Handler):
    def __init__(self, counts: Counter[str]) -> None:
        super().__init__(logging.WARNING)
        self.counts = counts

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.getMessage().splitlines()[0][:120] if record.msg else record.name] += 1


@contextmanager
def library_noise() -> Iterator[Counter[str]]:
    """Warnings and WARNING+ log records of the parser libraries while a file is read,
    counted by text (first line); nothing reaches stderr. Not thread-safe (warnings never is)."""
    counts: Counter[str] = Counter()
    handler = _Collect(counts)
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    saved = [(lg.propagate, lg.handlers[:]) for lg in loggers]
    for lg in loggers:
        lg.handlers, lg.propagate = [handler], False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield counts
    finally:
        for lg, (propagate, handlers) in zip(loggers, saved):
            lg.handlers, lg.propagate = handlers, propagate
        for warning in caught:
            if not issubclass(warning.category, IGNORED_WARNINGS):
                counts[str(warning.message).splitlines()[0][:120] if str(warning.message) else
                       warning.category.__name__] += 1


def read_pdf_or_scan(path: Path, source: str, headings: HeadingRules | None = None) -> Document:
    """The PDF reader, or OCR (readers.ocr) where it finds no text layer or --ocr force says so."""
    from .ocr_mode import ocr_available, ocr_mode
    from .pdf import read_pdf

    mode = ocr_mode()
    if mode == "force" and ocr_available():
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(path, source, headings=headings)
    try:
        doc = read_pdf(path, source, headings)
    except InputError as exc:
        if exc.code != "E106" or mode == "off" or not ocr_available():
            raise
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(path, source, exc, headings)
    if mode == "off" or not any(i.code == "W106" for i in doc.issues) or not ocr_available():
        return doc
    from .ocr import add_scanned_pages

    return add_scanned_pages(doc, path, headings)
