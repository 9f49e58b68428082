"""Whether scanned PDFs are read by OCR (--ocr): kept apart from readers.ocr so that asking
costs no import of the image libraries, which are there only with the `ocr` extra.

auto reads a PDF without a text layer by OCR when the extra is installed; force reads every
PDF page by OCR; off never does. The mode travels in the environment, so the batch's
worker processes (forked or spawned) follow the command line.
"""

from __future__ import annotations

import importlib.util
import os

MODE_VARIABLE = "EXTRACTOR_OCR"
MODES = ("auto", "off", "force")
ENGINE_PACKAGE = "rapidocr_onnxruntime"


def ocr_mode() -> str:
    mode = os.environ.get(MODE_VARIABLE, "auto")
    return mode if mode in MODES else "auto"


def set_ocr_mode(mode: str) -> None:
    os.environ[MODE_VARIABLE] = mode


def ocr_available() -> bool:
    return importlib.util.find_spec(ENGINE_PACKAGE) is not None
