"""Ink that no recognised text box covers: a digit the recogniser skipped (under a seal,
faint, touching a ruling line) must not let a shortened figure pass as read."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

TILE = 8  # pixels
TILE_INK = 8  # uncovered ink pixels that make a tile count (noise specks do not)
MIN_TILES = 2  # a blob of fewer tiles is a speck or a stray stroke of punctuation
MIN_PIXELS = 40
MARGIN = 3  # pixels around each character box that count as covered


def unread_ink(ink: np.ndarray, boxes: Sequence[tuple[float, float, float, float]],
               margins: float = 0.0) -> list[tuple[int, int, int, int]]:
    """Pixel boxes of the blobs of ink outside every text box, specks left out, and outside the
    top and bottom `margins` (share of the height: page numbers, running heads)."""
    covered = np.zeros(ink.shape, dtype=bool)
    height, width = ink.shape
    edge = int(height * margins)
    covered[:edge] = True
    covered[height - edge:] = True
    for x0, y0, x1, y1 in boxes:
        covered[max(0, int(y0) - MARGIN):min(height, int(y1) + MARGIN + 1),
                max(0, int(x0) - MARGIN):min(width, int(x1) + MARGIN + 1)] = True
    loose = ink & ~covered
    gh, gw = height // TILE, width // TILE
    if gh == 0 or gw == 0 or not loose.any():
        return []
    counts = loose[: gh * TILE, : gw * TILE].reshape(gh, TILE, gw, TILE).sum(axis=(1, 3))
    tiles = counts >= TILE_INK
    return [box for box, pixels, n in _blobs(tiles, counts) if n >= MIN_TILES and pixels >= MIN_PIXELS]


def _blobs(tiles: np.ndarray, counts: np.ndarray) -> list[tuple[tuple[int, int, int, int], int, int]]:
    """(pixel box, ink pixels, tiles) of each 8-connected group of inked tiles."""
    seen = np.zeros_like(tiles)
    out = []
    gh, gw = tiles.shape
    for y, x in zip(*np.nonzero(tiles)):
        if seen[y, x]:
            continue
        seen[y, x] = True
        stack, members = [(int(y), int(x))], []
        while stack:
            cy, cx = stack.pop()
            members.append((cy, cx))
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    ny, nx = cy + dy, cx + dx
                    if 0 <= ny < gh and 0 <= nx < gw and tiles[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        ys = [m[0] for m in members]
        xs = [m[1] for m in members]
        pixels = int(sum(counts[m] for m in members))
        box = (min(xs) * TILE, min(ys) * TILE, (max(xs) + 1) * TILE, (max(ys) + 1) * TILE)
        out.append((box, pixels, len(members)))
    return out
