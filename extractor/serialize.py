"""The one JSON serializer: deterministic, sorted keys, Decimals as strings, no timestamps."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

# Fields added for scanned documents: left out when empty, so documents read without OCR
# keep the same JSON bytes.
OMIT_WHEN_EMPTY = frozenset({"ocr", "ocr_pages", "ocr_text", "ocr_crops", "subject_reason"})


def to_jsonable(obj: Any) -> Any:
    """Turn model objects into plain JSON values (lists keep source order)."""
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(value) for f in dataclasses.fields(obj)
                if (value := getattr(obj, f.name)) not in ((), None) or f.name not in OMIT_WHEN_EMPTY}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Path):
        return obj.as_posix()
    return obj


def dumps(obj: Any, schema: str, version: str) -> str:
    """JSON text with the schema name and version at the top level."""
    body = to_jsonable(obj)
    if not isinstance(body, dict):
        body = {"items": body}
    payload = {"schema": schema, "version": version, **body}
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary sibling, then rename: a killed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    if isinstance(text, bytes):
        tmp.write_bytes(text)
    else:
        tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
