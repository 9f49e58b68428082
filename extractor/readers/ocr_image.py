"""Page images for OCR: render at about 150 dpi, keep the red channel, deskew, find ink.

A red 公章 is bright in the red channel, so keeping only that channel removes most of the
seal while black print (and black print under the seal) stays dark. A scan embedded at a
low resolution is rendered at twice its own resolution instead: the recogniser reads
100 dpi print poorly and 200 dpi well.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from PIL import Image

TARGET_DPI = 150
LOW_DPI = 120  # an embedded scan below this is rendered at twice its resolution
MAX_DPI = 300
FAINT = 150  # red-channel values below this are print and kept as they are
WHITE_LEVEL = 200  # red-channel value from which a pixel is paper (a seal's red is ~215)
INK_LEVEL = 150  # red-channel value below which a pixel is print
MAX_SKEW = 3.0  # degrees tried either way
SKEW_STEP = 0.25
SKEW_GAIN = 1.02  # a turn must sharpen the row profile this much to be applied
CROP_HEIGHT = 28  # pixels of a finding's crop in the HTML


@dataclass(frozen=True, slots=True)
class PageImage:
    number: int  # 1-based
    gray: np.ndarray  # uint8, the red channel, deskewed
    dpi: float
    skew: float  # degrees the page was turned back

    @property
    def points_per_pixel(self) -> float:
        return 72.0 / self.dpi


def render_dpi(page: Any) -> float:
    """150 dpi, or twice the resolution of a low-resolution scan filling the page."""
    import pypdfium2.raw as pdfium_c

    native = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        px_w, _ = obj.get_px_size()
        left, _, right, _ = obj.get_bounds()
        if right - left > 0.5 * page.get_width():
            native = max(native, px_w / ((right - left) / 72.0))
    if 0 < native < LOW_DPI:
        return min(MAX_DPI, 2 * native)
    return TARGET_DPI


def render_page(page: Any, number: int) -> PageImage:
    dpi = render_dpi(page)
    rgb = page.render(scale=dpi / 72.0).to_pil().convert("RGB")
    gray = whiten(np.asarray(rgb, dtype=np.uint8)[:, :, 0])
    angle = estimate_skew(gray)
    if angle:
        gray = rotate(gray, angle)
    return PageImage(number, gray, dpi, angle)


def whiten(red: np.ndarray) -> np.ndarray:
    """The red channel with a seal's red (light there, ~215, yet still legible to the
    recogniser: it reads a seal's serial number) turned white; print up to FAINT kept as it is,
    fainter grey stretched towards white."""
    return _whiten_table()[red]


@cache
def _whiten_table() -> np.ndarray:
    levels = np.arange(256, dtype=np.float32)
    ramp = FAINT + (levels - FAINT) * (255 - FAINT) / (WHITE_LEVEL - FAINT)
    return np.where(levels < FAINT, levels, np.minimum(255, ramp)).astype(np.uint8)


def estimate_skew(gray: np.ndarray) -> float:
    """The small rotation that makes text rows sharpest (largest variance of the row profile);
    0 unless it beats the page as it is clearly (a straight page is never turned)."""
    small = Image.fromarray(gray).reduce(2) if min(gray.shape) > 400 else Image.fromarray(gray)
    ink = Image.fromarray(((np.asarray(small) < INK_LEVEL) * 255).astype(np.uint8))
    if not np.asarray(ink).any():
        return 0.0

    def sharpness(angle: float) -> float:
        turned = ink.rotate(angle, resample=Image.NEAREST, fillcolor=0) if angle else ink
        return float(np.asarray(turned, dtype=np.float32).sum(axis=1).var())

    straight = sharpness(0.0)
    steps = range(int(-MAX_SKEW / SKEW_STEP), int(MAX_SKEW / SKEW_STEP) + 1)
    best_score, best = max((sharpness(step * SKEW_STEP), -abs(step), step * SKEW_STEP) for step in steps if step)[::2]
    return best if best_score > straight * SKEW_GAIN else 0.0


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    turned = Image.fromarray(gray).rotate(angle, resample=Image.BILINEAR, fillcolor=255)
    return np.asarray(turned, dtype=np.uint8).copy()


def ink_mask(gray: np.ndarray) -> np.ndarray:
    return gray < INK_LEVEL


def for_engine(gray: np.ndarray) -> np.ndarray:
    """The recogniser wants three channels."""
    return np.repeat(gray[:, :, None], 3, axis=2)


def crop_data_uri(gray: np.ndarray, box: tuple[int, int, int, int], pad: int = 4) -> str:
    """A small grey PNG of one region (pixels), as a data: URI for the HTML report."""
    x0, y0, x1, y1 = box
    height, width = gray.shape
    x0, y0, x1, y1 = max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad)
    if x1 <= x0 or y1 <= y0:
        return ""
    region = Image.fromarray(gray[y0:y1, x0:x1])
    scale = CROP_HEIGHT / region.height
    if scale < 1:
        region = region.resize((max(1, round(region.width * scale)), CROP_HEIGHT), Image.LANCZOS)
    buffer = io.BytesIO()
    region.quantize(16).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
