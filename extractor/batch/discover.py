"""Find the input files of a batch: every report or annex file under a folder, recursively.

A name the batch cannot carry (bytes that are not UTF-8: E115), a symbolic link that loops
or points nowhere (E116) and a folder that cannot be listed (E120) are one entry's coded
line each (Skipped), never the end of the batch. Links that resolve are skipped as before
(a batch reads what lies in its folder).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import MESSAGES
from ..pipeline import READERS
from .convert import TARGETS

SUPPORTED = frozenset(READERS)  # read as they are
LEGACY = frozenset(TARGETS)  # converted first (LibreOffice)
CANDIDATES = SUPPORTED | LEGACY


@dataclass(frozen=True)
class Skipped:
    """An entry under the input that is not read, with its coded line."""

    name: str  # relative, '/'-separated, bytes that are not UTF-8 shown as \xff
    code: str
    message: str  # "[E115] …"


def is_ignored(relative: Path) -> bool:
    """Office lock files (~$报告.docx) and hidden files or folders (.DS_Store, .git/, __MACOSX/)."""
    for part in relative.parts:
        if part.startswith((".", "~$")) or part == "__MACOSX":
            return True
    return False


def shown_name(name: str) -> str:
    """A file-system name as text that can be written anywhere (undecodable bytes as \\xff)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def is_valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _skip(relative: str, code: str, **fields: str) -> Skipped:
    name = shown_name(relative)
    return Skipped(name, code, f"[{code}] " + MESSAGES[code].format(path=name, **fields))


def discover(root: Path, exclude: Path | None = None) -> tuple[list[str], list[Skipped]]:
    """(every candidate file under root, '/'-separated and relative, sorted; the entries skipped).

    `exclude` is a folder to skip (the output folder when it lies inside the input).
    """
    found: list[str] = []
    skipped: list[Skipped] = []
    excluded = exclude.resolve() if exclude is not None else None

    def unlisted(exc: OSError) -> None:
        relative = Path(exc.filename or root).relative_to(root).as_posix() if exc.filename else "."
        skipped.append(_skip(relative, "E120", detail=exc.strerror or type(exc).__name__))

    for folder, dirs, files in os.walk(root, onerror=unlisted):
        base = Path(folder)
        rel_base = base.relative_to(root)
        for name in sorted(dirs):
            relative = rel_base / name
            if is_ignored(relative) or (excluded is not None and (base / name).resolve() == excluded):
                dirs.remove(name)
            elif not is_valid_name(name):
                dirs.remove(name)
                skipped.append(_skip(relative.as_posix(), "E115"))
        for name in files:
            relative, path = rel_base / name, base / name
            if is_ignored(relative) or path.suffix.lower() not in CANDIDATES:
                continue
            if not is_valid_name(name):
                skipped.append(_skip(relative.as_posix(), "E115"))
            elif path.is_symlink():
                if not path.exists():
                    skipped.append(_skip(relative.as_posix(), "E116", detail="链接目标不存在或形成循环"))
            elif path.is_file():
                found.append(relative.as_posix())
    return sorted(found), sorted(skipped, key=lambda s: s.name)


def discover_files(root: Path, exclude: Path | None = None) -> list[str]:
    """The candidate files of discover(), without the skipped entries."""
    return discover(root, exclude)[0]
