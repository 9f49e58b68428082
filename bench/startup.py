"""Start-up of `extractor check` on one report, in one run: wall time of the command as a
fresh process, against the bare parse of the same file (also a fresh process) and against
the command as of BASELINE_REF (loaded from `git archive` into a temporary folder).

bare DOCX: python -c "docx.Document(f)" + every paragraph and table cell
bare PDF:  python -c "pdfplumber.open(f)" + extract_text() and extract_tables() per page
check:     python -m extractor check FILE -o OUT (this tree; phrase-table cache warm,
           in a temporary XDG_CACHE_HOME; the cold first run is shown apart)
Bytecode is cached (an untimed first round writes it), as for an installed package.
baseline:  the same command run from the baseline tree

The commands alternate, each --rounds times; medians are quoted, with the 1-minute load
average before and after (the machine is shared). Target: check of one DOCX <= 0.35x the
baseline's wall time.

Run: .venv/bin/python bench/startup.py [--rounds N] [--baseline-ref REF]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE_REF = "4c37d2e"  # main before the phrase-table cache
FILES = [ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx",
         ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.pdf"]
BARE = {
    ".docx": "import sys, docx\nd = docx.Document(sys.argv[1])\n"
             "[p.text for p in d.paragraphs]\n[c.text for t in d.tables for r in t.rows for c in r.cells]",
    ".pdf": "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n"
            "    [(p.extract_text(), p.extract_tables()) for p in pdf.pages]",
}
TARGET = 0.35


def extract_baseline(ref: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "extractor", "patterns"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, check=False, env=env, capture_output=True, cwd=env["PYTHONPATH"])
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        base, cache, out = Path(tmp) / "base", Path(tmp) / "cache", Path(tmp) / "out"
        extract_baseline(args.baseline_ref, base)
        # bytecode cached as an installed package has it (this machine's sessions set
        # PYTHONDONTWRITEBYTECODE, which would recompile every module on every start)
        plain = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env_new = {**plain, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
        env_base = {**plain, "PYTHONPATH": str(base), "XDG_CACHE_HOME": str(cache)}
        check = [sys.executable, "-m", "extractor", "check"]
        cold = wall([*check, str(FILES[0]), "-o", str(out / "cold")], env_new)
        times: dict[tuple[str, str], list[float]] = {}
        for round_ in range(args.rounds + 1):  # round 0 writes the bytecode caches, untimed
            for path in FILES:
                runs = {
                    "bare": ([sys.executable, "-c", BARE[path.suffix], str(path)], env_new),
                    "check": ([*check, str(path), "-o", str(out / "new")], env_new),
                    "baseline": ([*check, str(path), "-o", str(out / "base")], env_base),
                }
                for name, (command, env) in runs.items():
                    elapsed = wall(command, env)
                    if round_:
                        times.setdefault((path.name, name), []).append(elapsed)
    print(f"{args.rounds} rounds, median wall time (s) of a fresh process; baseline {args.baseline_ref}")
    print(f"{'file':24} {'bare':>6} {'check':>6} {'base':>6} {'check/bare':>10} {'base/bare':>9} {'check/base':>10}")
    ratios = {}
    for path in FILES:
        m = {name: statistics.median(times[(path.name, name)]) for name in ("bare", "check", "baseline")}
        ratios[path.suffix] = m["check"] / m["baseline"]
        print(f"{path.name:24} {m['bare']:6.2f} {m['check']:6.2f} {m['baseline']:6.2f} "
              f"{m['check'] / m['bare']:10.2f} {m['baseline'] / m['bare']:9.2f} {ratios[path.suffix]:10.2f}")
    print(f"first run with an empty cache (DOCX): {cold:.2f} s")
    print(f"check of one DOCX vs baseline: {ratios['.docx']:.2f}x the wall time (target <= {TARGET}x)")
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    return 0 if ratios[".docx"] <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
