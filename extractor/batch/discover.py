"""Find the input files of a batch: every report or annex file under a folder, recursively."""

from __future__ import annotations

from pathlib import Path

from ..pipeline import READERS
from .convert import TARGETS

SUPPORTED = frozenset(READERS)  # read as they are
LEGACY = frozenset(TARGETS)  # converted first (LibreOffice)
CANDIDATES = SUPPORTED | LEGACY


def is_ignored(relative: Path) -> bool:
    """Office lock files (~$报告.docx) and hidden files or folders (.DS_Store, .git/, __MACOSX/)."""
    for part in relative.parts:
        if part.startswith((".", "~$")) or part == "__MACOSX":
            return True
    return False


def discover_files(root: Path, exclude: Path | None = None) -> list[str]:
    """Every candidate file under root as a '/'-separated path relative to root, sorted.

    `exclude` is a folder to skip (the output folder when it lies inside the input).
    """
    found: list[str] = []
    excluded = exclude.resolve() if exclude is not None else None
    for path in root.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        relative = path.relative_to(root)
        if is_ignored(relative):
            continue
        if excluded is not None and path.resolve().is_relative_to(excluded):
            continue
        if path.suffix.lower() in CANDIDATES:
            found.append(relative.as_posix())
    return sorted(found)
