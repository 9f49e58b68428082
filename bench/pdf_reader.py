"""PDF reader speed, in one run: bare pdfplumber, the pdfplumber reader it replaced, and
read_pdf (pypdfium2) on the same files; and whether the two readers give the same Documents.

bare:     pdfplumber.open, then for each page extract_text() + extract_tables()
baseline: extractor.readers.pdf.read_pdf as of BASELINE_REF (the pdfplumber reader),
          loaded from `git archive` into a temporary package
reader:   extractor.readers.pdf.read_pdf of this tree

Files: every readable PDF in tests/fixtures and samples/. The three alternate per file and
the median per file over the rounds is reported. Times are process CPU time
(time.process_time), so other jobs on a shared machine do not inflate one side; the
1-minute load average before and after is printed. Targets: reader >= 4x faster than
the baseline, with byte-identical Document JSON.

Run: .venv/bin/python bench/pdf_reader.py [--rounds N] [--baseline-ref REF]
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.errors import InputError
from extractor.readers.pdf import read_pdf
from extractor.serialize import dumps

BASELINE_REF = "4c37d2e"  # main before the pypdfium2 reader
TARGET_SPEEDUP = 4.0


def load_baseline(ref: str, into: Path):
    """read_pdf and dumps of the tree at `ref`, as the package `extractor_baseline`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "extractor", "patterns"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "extractor").rename(into / "extractor_baseline")
    sys.path.insert(0, str(into))
    reader = importlib.import_module("extractor_baseline.readers.pdf")
    return reader.read_pdf, importlib.import_module("extractor_baseline.serialize").dumps


def readable_pdfs() -> list[tuple[Path, int]]:
    """(path, pages) of every PDF the reader accepts; bad-input fixtures are left out."""
    found = []
    paths = sorted((ROOT / "tests" / "fixtures").rglob("*.pdf")) + sorted((ROOT / "samples").rglob("*.pdf"))
    for path in paths:
        try:
            found.append((path, read_pdf(path, path.name).pages or 0))
        except (InputError, OSError):
            continue
    return found


def run_bare(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def timed(run, path: Path) -> float:
    start = time.process_time()
    run(path)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        base_read, base_dumps = load_baseline(args.baseline_ref, Path(tmp))
        files = readable_pdfs()
        runs = {"bare": run_bare, "baseline": lambda p: base_read(p, p.name), "reader": lambda p: read_pdf(p, p.name)}
        times: dict[str, dict[Path, list[float]]] = {name: {p: [] for p, _ in files} for name in runs}
        for _ in range(args.rounds):
            for path, _ in files:
                for name, run in runs.items():
                    times[name][path].append(timed(run, path))
        different = [path for path, _ in files
                     if dumps(read_pdf(path, path.name), "d", "1") != base_dumps(base_read(path, path.name), "d", "1")]
    pages = sum(n for _, n in files)
    print(f"{len(files)} PDFs, {pages} pages, {args.rounds} rounds (median per file), baseline {args.baseline_ref}")
    print(f"{'file':40} {'pages':>5} {'bare ms':>8} {'base ms':>8} {'new ms':>7} {'base/new':>8} {'bare/new':>8}")
    totals = dict.fromkeys(runs, 0.0)
    for path, n in files:
        median = {name: statistics.median(times[name][path]) for name in runs}
        for name in runs:
            totals[name] += median[name]
        print(f"{path.relative_to(ROOT).as_posix()[-40:]:40} {n:5d} {median['bare'] * 1000:8.1f} "
              f"{median['baseline'] * 1000:8.1f} {median['reader'] * 1000:7.1f} "
              f"{median['baseline'] / median['reader']:8.2f} {median['bare'] / median['reader']:8.2f}")
    for name in runs:
        print(f"{name:9} {pages / totals[name]:7.1f} pages/s")
    speedup = totals["baseline"] / totals["reader"]
    print(f"reader vs baseline reader: {speedup:.2f}x faster (target >= {TARGET_SPEEDUP}x)")
    print(f"reader vs bare pdfplumber: {totals['bare'] / totals['reader']:.2f}x faster")
    print(f"Documents differing from the baseline's: {len(different)} of {len(files)}"
          + "".join(f"\n  {p.relative_to(ROOT)}" for p in different))
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    return 0 if speedup >= TARGET_SPEEDUP else 1


if __name__ == "__main__":
    raise SystemExit(main())
