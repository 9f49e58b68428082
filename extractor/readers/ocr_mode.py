"""Whether scanned PDFs are read by OCR (--ocr): kept apart from readers.ocr so that asking
costs no import of the image libraries, which are there only with the `ocr` extra.

auto reads a PDF without a text layer by OCR when the extra is installed; force reads every
PDF page by OCR; off never does. The mode travels in the environment, so the batch's
worker processes (forked or spawned) follow the command line.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache

MODE_VARIABLE = "EXTRACTOR_OCR"
MODES = ("auto", "off", "force")
ENGINE_PACKAGE = "rapidocr_onnxruntime"
WORKER_MIB = 900  # peak RSS of one worker reading a scanned page (bench/ocr_speed.py)


def ocr_mode() -> str:
    mode = os.environ.get(MODE_VARIABLE, "auto")
    return mode if mode in MODES else "auto"


def set_ocr_mode(mode: str) -> None:
    os.environ[MODE_VARIABLE] = mode


def ocr_installed() -> bool:
    """The extra is installed (cheap: nothing imported)."""
    return importlib.util.find_spec(ENGINE_PACKAGE) is not None


@cache
def ocr_available() -> bool:
    """The extra is installed and loads (its opencv needs libGL and glib from the system)."""
    if not ocr_installed():
        return False
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # noqa: BLE001 - a missing system library shows as ImportError or OSError
        return False
    return True


def ocr_worker_cap(workers: int) -> int:
    """Batch workers that fit in memory when each may hold the OCR engine and a page image
    (peak RSS per worker measured by bench/ocr_speed.py), leaving 1 GiB to the rest."""
    if ocr_mode() == "off" or not ocr_installed():
        return workers
    available = _available_mib()
    if available is None:
        return workers
    return max(1, min(workers, int((available - 1024) // WORKER_MIB)))


def _available_mib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
