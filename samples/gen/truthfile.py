"""truth.json: sorted keys, UTF-8, Decimals already strings, ids assigned in file order."""

from __future__ import annotations

import json
from pathlib import Path


def write_truth(path: Path, truth: dict) -> None:
    for sub in truth["submissions"]:
        prefix = f"{sub.get('code', 'yiyang')}-{sub['year']}"
        for i, record in enumerate(sub["figures"]):
            record["id"] = f"{prefix}-f{i:03d}"
    text = json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
