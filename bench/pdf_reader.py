"""PDF reader speed next to bare pdfplumber on the same files, in one run.

bare:   pdfplumber.open, then for each page extract_text() + extract_tables()
reader: extractor.readers.pdf.read_pdf (blocks, tables, stitching, headings)

Files: every readable PDF in tests/fixtures/pdf and samples/. Each timing opens the file
afresh (pdfplumber caches parsed pages), bare and reader alternate per file, and the
median per file is reported. Times are process CPU time (time.process_time), so other
jobs on a shared machine do not inflate one side. Target: reader / bare <= 1.3.

Run: .venv/bin/python bench/pdf_reader.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.errors import InputError  # noqa: E402
from extractor.readers.pdf import read_pdf  # noqa: E402

TARGET_RATIO = 1.3


def readable_pdfs() -> list[tuple[Path, int]]:
    """(path, pages) of every PDF the reader accepts; bad-input fixtures are left out."""
    found = []
    paths = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")) + sorted((ROOT / "samples").rglob("*.pdf"))
    for path in paths:
        try:
            found.append((path, read_pdf(path, path.name).pages or 0))
        except (InputError, OSError):  # bad-input fixtures; samples being regenerated
            continue
    return found


def run_bare(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def run_reader(path: Path) -> None:
    read_pdf(path, path.name)


def timed(run, path: Path) -> float:
    start = time.process_time()
    run(path)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    files = readable_pdfs()
    pages = sum(n for _, n in files)
    bare_rounds: list[dict[Path, float]] = [{} for _ in range(args.rounds)]
    reader_rounds: list[dict[Path, float]] = [{} for _ in range(args.rounds)]
    for rounds in range(args.rounds):
        for path, _ in files:
            bare_rounds[rounds][path] = timed(run_bare, path)
            reader_rounds[rounds][path] = timed(run_reader, path)
    print(f"{len(files)} PDFs, {pages} pages, {args.rounds} rounds (median per file)")
    print(f"{'file':40} {'pages':>5} {'bare ms':>9} {'reader ms':>10} {'ratio':>6}")
    total_bare = total_reader = 0.0
    for path, n in files:
        bare = statistics.median(r[path] for r in bare_rounds)
        reader = statistics.median(r[path] for r in reader_rounds)
        total_bare, total_reader = total_bare + bare, total_reader + reader
        print(f"{path.relative_to(ROOT).as_posix()[-40:]:40} {n:5d} {bare * 1000:9.1f} {reader * 1000:10.1f} "
              f"{reader / bare:6.2f}")
    ratio = total_reader / total_bare
    print(f"bare pdfplumber: {pages / total_bare:7.1f} pages/s")
    print(f"read_pdf:        {pages / total_reader:7.1f} pages/s")
    print(f"ratio reader/bare: {ratio:.2f} (target <= {TARGET_RATIO})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
