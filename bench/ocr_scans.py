"""Scanned copies of text PDFs, built in code: the page rendered to an image, a red 公章
stamped over chosen figures, the image degraded (blur, noise, a slight turn, JPEG) and put
back into a PDF with no text layer. The text PDF's own figures are the answer key.

Shared by tests/test_ocr*.py and bench/ocr_speed.py (conftest puts bench/ on sys.path).
No CJK font is needed: the seal's lettering is print cut from the page itself, tinted red.
"""

from __future__ import annotations

import io
import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

SEAL_RED = (215, 35, 40)


@dataclass(frozen=True)
class Degrade:
    blur: float = 0.6
    noise: float = 10.0  # standard deviation of grey noise
    angle: float = 0.6  # degrees
    jpeg: int = 75


def render(pdf_path: Path, pages: Sequence[int], dpi: int) -> list[Image.Image]:
    """1-based pages of a PDF as RGB images."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[p - 1].render(scale=dpi / 72).to_pil().convert("RGB") for p in pages]
    finally:
        pdf.close()


def figure_spots(pdf_path: Path, page: int, figures: Iterable[str], dpi: int) -> list[tuple[int, int]]:
    """Pixel centre of the first occurrence of each figure on a page (for a seal over it)."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        pg = pdf[page - 1]
        text = pg.get_textpage()
        height = pg.get_height()
        spots = []
        for figure in figures:
            found = text.search(figure).get_next()
            if found is None:
                raise ValueError(f"{figure} not on page {page} of {pdf_path.name}")
            first, count = found
            left, bottom, _, top = text.get_charbox(first)
            _, _, right, _ = text.get_charbox(first + count - 1)
            k = dpi / 72
            spots.append((round((left + right) / 2 * k), round((height - (top + bottom) / 2) * k)))
        return spots
    finally:
        pdf.close()


def stamp_seal(image: Image.Image, centre: tuple[int, int], radius: int, lettering: Image.Image | None,
               rng: random.Random) -> None:
    """A red seal: a ring, a star, red lettering along the top and a red serial number, printed
    over the page (multiply: the print under it stays black)."""
    layer = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    x, y = centre
    width = max(3, radius // 14)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=SEAL_RED, width=width)
    star = [(x + radius * 0.3 * (1 if i % 2 == 0 else 0.45) * math.cos(math.radians(90 + 36 * i)),
             y - radius * 0.3 * (1 if i % 2 == 0 else 0.45) * math.sin(math.radians(90 + 36 * i)))
            for i in range(10)]
    draw.polygon(star, fill=SEAL_RED)
    serial = "".join(str(rng.randrange(10)) for _ in range(13))
    font = ImageFont.load_default(size=max(10, radius // 7))
    draw.text((x, y + radius * 0.55), serial, fill=SEAL_RED, font=font, anchor="mm")
    if lettering is not None:
        strip = lettering.convert("L").resize((int(radius * 1.4), max(8, radius // 4)))
        mask = strip.point(lambda v: 255 if v < 128 else 0)
        layer.paste(Image.new("RGB", strip.size, SEAL_RED), (x - strip.width // 2, y - int(radius * 0.75)), mask)
    image.paste(ImageChops.multiply(image, layer))


def degrade(image: Image.Image, rng: random.Random, how: Degrade) -> Image.Image:
    out = image.filter(ImageFilter.GaussianBlur(how.blur)) if how.blur else image
    if how.angle:
        out = out.rotate(how.angle * rng.choice((-1, 1)), resample=Image.BILINEAR, fillcolor=(255, 255, 255))
    if how.noise:  # seeded (Image.effect_noise is not): the same seed gives the same scan
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, how.noise, (out.height, out.width, 1))
        out = Image.fromarray(np.clip(np.asarray(out, dtype=np.float32) + noise, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    out.save(buffer, format="JPEG", quality=how.jpeg)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def image_pdf(images: Sequence[Image.Image], path: Path, dpi: int) -> Path:
    images[0].save(path, format="PDF", save_all=True, append_images=list(images[1:]), resolution=dpi)
    return path


def scanned_copy(src: Path, pages: Sequence[int], out: Path, seed: int, dpi: int = 150,
                 seals: dict[int, Sequence[str]] | None = None, how: Degrade = Degrade()) -> Path:
    """An image-only copy of `pages` of src, with a seal over each figure in seals[page]."""
    rng = random.Random(seed)
    images = render(src, pages, dpi)
    lettering = images[0].crop((images[0].width // 4, images[0].height // 6,
                                images[0].width * 3 // 4, images[0].height // 6 + dpi // 4))
    for page, image in zip(pages, images):
        for spot in figure_spots(src, page, (seals or {}).get(page, ()), dpi):
            stamp_seal(image, spot, dpi * 2 // 3, lettering, rng)
    return image_pdf([degrade(image, rng, how) for image in images], out, dpi)


def ruled_table_page(rows: Sequence[Sequence[str]], widths: Sequence[int], dpi: int = 150,
                     line_height: int = 30) -> Image.Image:
    """An A4 page holding one ruled table; a cell's text wraps at its width (a narrow cell
    puts 1234.56 on two lines). Latin font only: the cells hold figures."""
    page = Image.new("RGB", (int(8.27 * dpi), int(11.69 * dpi)), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=line_height * 2 // 3)
    x0, y = dpi, dpi
    for row in rows:
        wrapped = [_wrap(text, width - 12, font) for text, width in zip(row, widths)]
        height = line_height * max(len(lines) for lines in wrapped) + 12
        x = x0
        for lines, width in zip(wrapped, widths):
            for i, line in enumerate(lines):
                draw.text((x + 6, y + 6 + i * line_height), line, fill=(0, 0, 0), font=font)
            draw.rectangle((x, y, x + width, y + height), outline=(0, 0, 0), width=2)
            x += width
        y += height
    return page


def _wrap(text: str, width: int, font: ImageFont.FreeTypeFont) -> list[str]:
    lines, current = [], ""
    for ch in text:
        if current and font.getlength(current + ch) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    return [*lines, current] if current else lines or [""]


def seal_only_page(dpi: int = 150, seed: int = 0) -> Image.Image:
    page = Image.new("RGB", (int(8.27 * dpi), int(11.69 * dpi)), (255, 255, 255))
    stamp_seal(page, (page.width // 2, page.height // 2), dpi * 2 // 3, None, random.Random(seed))
    return page


@dataclass(frozen=True)
class Score:
    exact: int
    flagged: int  # not in the key, but marked uncertain
    wrong: int  # not in the key and not marked: the failure that must not happen
    missing: int  # in the key, not read
    unmarked: int  # read from a scan but without an ocr mark

    @property
    def read(self) -> int:
        return self.exact + self.flagged + self.wrong


def score(key_facts: Iterable[object], ocr_facts: Iterable[object]) -> tuple[Score, list[str]]:
    """Each OCR figure against the key (the text PDF's figures, by kind, value and unit):
    exact, flagged (uncertain) or wrong; and the key's figures never read. Returns the score
    and a line per wrong figure."""
    key = Counter(_key(f) for f in key_facts if getattr(f, "value", None) is not None)
    exact = flagged = wrong = unmarked = 0
    wrongs = []
    for fact in ocr_facts:
        if getattr(fact, "value", None) is None:
            continue
        mark = fact.ocr  # type: ignore[attr-defined]
        unmarked += mark is None
        if key[_key(fact)] > 0:
            key[_key(fact)] -= 1
            exact += 1
        elif mark is not None and mark.uncertain:
            flagged += 1
        else:
            wrong += 1
            wrongs.append(f"{fact.raw} ({fact.kind.value}, {fact.value}{fact.unit})")  # type: ignore[attr-defined]
    return Score(exact, flagged, wrong, sum(key.values()), unmarked), wrongs


def _key(fact: object) -> tuple[str, str, str]:
    return (fact.kind.value, format(fact.value, "f"), fact.unit)  # type: ignore[attr-defined]
