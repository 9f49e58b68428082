"""Where patterns/ lives, how a data file is loaded, and the pattern-set hash.

Each consumer (labels, annex layouts, check rules, scoring rules) validates its own
file; they all load through here so errors name the file and the key the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from pathlib import Path
from typing import Any

from .errors import PatternError

DEFAULT_PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"


def patterns_dir(override: str | Path | None = None) -> Path:
    """The patterns folder: an explicit override, $EXTRACTOR_PATTERNS, or the repository's."""
    chosen = override or os.environ.get("EXTRACTOR_PATTERNS") or DEFAULT_PATTERNS_DIR
    return Path(chosen)


def load_toml(name: str, directory: str | Path | None = None) -> dict[str, Any]:
    path = patterns_dir(directory) / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise PatternError("E201", path=path, key="(file)", detail="文件不存在") from None
    except tomllib.TOMLDecodeError as exc:
        raise PatternError("E201", path=path, key="(syntax)", detail=str(exc)) from None


def load_jsonl(name: str, directory: str | Path | None = None) -> list[dict[str, Any]]:
    path = patterns_dir(directory) / name
    rows: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise PatternError("E201", path=path, key="(file)", detail="文件不存在") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise PatternError("E201", path=path, key=f"line {number}", detail=str(exc)) from None
    return rows


def require(table: dict[str, Any], key: str, kind: type, path: str, where: str) -> Any:
    """table[key] checked for presence and type; PatternError naming file and key otherwise."""
    if key not in table:
        raise PatternError("E201", path=path, key=f"{where}.{key}", detail="缺少此项")
    value = table[key]
    if not isinstance(value, kind):
        raise PatternError("E201", path=path, key=f"{where}.{key}", detail=f"应为 {kind.__name__}")
    return value


def patterns_hash(directory: str | Path | None = None) -> str:
    """sha256 over every file in patterns/ (names and bytes): the pattern set's identity."""
    digest = hashlib.sha256()
    root = patterns_dir(directory)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
