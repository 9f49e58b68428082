"""One long paragraph through the narrative extractor: time per size, to show it is linear.

Usage: python bench/long_paragraph.py [KiB ...]   (default 16 32 64 128 1024)
Prints seconds per size, the ratio to the smallest, and the bare parser (python-docx
reading the same file) measured in the same run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from extractor.batch.work import shared_narrative  # noqa: E402
from extractor.extract import extract_documents  # noqa: E402
from extractor.readers import read_document  # noqa: E402

SENTENCE = "2024年度部门整体支出预算数为2348.75万元，执行数为2300.12万元，执行率97.93%，在职人员25人。"


def main() -> None:
    sizes = [int(x) for x in sys.argv[1:]] or [16, 32, 64, 128, 1024]
    narrative = shared_narrative()
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for kib in sizes:
            path = Path(tmp) / f"p{kib}.docx"
            document = docx.Document()
            document.add_paragraph("一、部门基本情况")
            document.add_paragraph(SENTENCE * (kib * 1024 // len(SENTENCE.encode())))
            document.save(str(path))
            started = time.perf_counter()
            docx.Document(str(path))
            bare = time.perf_counter() - started
            doc = read_document(path)
            started = time.perf_counter()
            extract_documents([doc], narrative)
            took = time.perf_counter() - started
            first = first or (kib, took)
            print(f"{kib:5d} KiB  extract {took:6.2f} s  (x{took / first[1]:5.1f} for x{kib / first[0]:5.1f} size)"
                  f"  bare python-docx read {bare:5.2f} s")


if __name__ == "__main__":
    main()
