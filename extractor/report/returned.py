"""Where a unit's returned files go: OUT/返回修改/<单位>_<年度>/ (extractor.annotate writes
them; report.html links to them, so the names live here, below both)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

RETURNED_DIR = "返回修改"
LETTER_NAME = "审核意见.docx"
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # as batch/outputs.py names facts files


def returned_folder(unit: str, year: int | None) -> str:
    """'返回修改/<单位>_<年度>' relative to OUT, '/'-separated."""
    name = f"{UNSAFE.sub('_', unit) or '未知单位'}_{year if year is not None else '未知年度'}"
    return f"{RETURNED_DIR}/{name}"


def returned_names(files: Sequence[str]) -> dict[str, str]:
    """Each submitted file's name in the returned folder: its own name, or, where two files of
    the submission share a name (in different subfolders), its path with '/' as '_'."""
    names = [PurePosixPath(source).name for source in files]
    return {source: name if names.count(name) == 1 and name != LETTER_NAME else UNSAFE.sub("_", source)
            for source, name in zip(files, names)}
