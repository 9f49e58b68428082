"""`make fuzz`: FUZZ_EXAMPLES mutated copies of the sample DOCX/PDF/XLSX through `extractor check`.

Usage: python tests/fuzz_run.py [EXAMPLES] [SEED]  (defaults FUZZ_EXAMPLES=1500, FUZZ_SEED=1).
Prints counts of exit codes and of faults (killed past 60 s or 2 GiB, tracebacks, lines
that are not coded, E110) and every faulty case's mutation, so a class can be rebuilt.
"""

from __future__ import annotations

import collections
import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzzlib import Worker, mutate, sample_bytes  # noqa: E402

MEMORY_MESSAGE = "读取时内存不足"


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("FUZZ_EXAMPLES", 1500))
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("FUZZ_SEED", 1))
    rng = random.Random(seed)
    samples = {fmt: sample_bytes(fmt) for fmt in ("docx", "xlsx", "pdf")}
    codes: collections.Counter[str] = collections.Counter()
    faults: collections.Counter[str] = collections.Counter()
    slowest, biggest = 0.0, 0.0
    worker = Worker(timeout=60.0)
    with tempfile.TemporaryDirectory(prefix="extractor-fuzz-") as tmp:
        for n in range(examples):
            fmt = ("docx", "xlsx", "pdf")[n % 3]
            what, data = mutate(fmt, samples[fmt], rng)
            path = Path(tmp) / f"case.{fmt}"
            path.write_bytes(data)
            outcome = worker.run(path, Path(tmp) / "out")
            codes[str(outcome.code)] += 1
            found = outcome.faults()
            if MEMORY_MESSAGE in outcome.stderr or outcome.rss_mb > 2048:
                found.append("over 2 GiB")
            slowest, biggest = max(slowest, outcome.seconds), max(biggest, outcome.rss_mb)
            for fault in found:
                faults[fault] += 1
            if found:
                print(f"case {n} {fmt} {what}: {found} {outcome.stderr.strip()[:300]!r}", flush=True)
    worker.close()
    print(f"seed {seed}, {examples} cases; exit codes {dict(sorted(codes.items()))}")
    print(f"faults {dict(faults) or 0}; slowest {slowest:.1f} s; largest RSS growth {biggest:.0f} MiB")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
