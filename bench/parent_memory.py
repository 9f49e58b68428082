"""The batch parent's memory and report step, this tree against a baseline tree, in one run
(`bench/throughput.py --parent-memory --baseline TREE`).

For each size (the batch copied N times) and each of --repeat turns, the baseline's code and
this tree's each run the batch with the local pool of 2 into a fresh OUT, interleaved, so a
busy spell of the shared machine hits both alike. Quoted per run: the parent's peak RSS
(VmHWM), the report step's wall time (BatchRun._finish), the whole batch's wall time, and the
1-minute load at the start; then per size the ratios branch / baseline of the same turn.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from throughput import REPO, copy_batch, run_child

SKIP = ("results.sqlite", ".input", ".converted")


def outputs_digest(out: Path) -> str:
    """One sha256 over every output but the database and the XLSX (its links name OUT's path)."""
    digest = hashlib.sha256()
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if path.is_file() and not name.startswith(SKIP) and not name.endswith(".xlsx"):
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def commit_of(tree: Path) -> str:
    done = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def measure_parent_memory(source: Path, baseline: Path, sizes: list[int], repeat: int) -> dict:
    trees = {"baseline": baseline.resolve(), "branch": REPO}
    found: dict = {"load_before": os.getloadavg(), "runs": [], "commits": {k: commit_of(v) for k, v in trees.items()}}
    with tempfile.TemporaryDirectory(prefix="extractor-bench-parent-") as work:
        work_dir = Path(work)
        roots = {}
        for size in sizes:
            roots[size] = source if size == 1 else work_dir / f"x{size}"
            if size != 1:
                copy_batch(source, roots[size], size)
        for turn in range(repeat):
            for size in sizes:
                digests = {}
                for name, tree in trees.items():
                    out = work_dir / f"out-{name}-{size}-{turn}"
                    row = run_child("--batch-child", str(roots[size]), str(out), "2", tree=tree)
                    digests[name] = outputs_digest(out)
                    found["runs"].append({"tree": name, "size": size, "turn": turn, **row})
                found.setdefault("identical", []).append(digests["baseline"] == digests["branch"])
    found["load_after"] = os.getloadavg()
    return found


def parent_memory_report(r: dict, sizes: list[int]) -> str:
    runs = r["runs"]
    pick = {(x["tree"], x["size"], x["turn"]): x for x in runs}
    turns = sorted({x["turn"] for x in runs})
    lines = [
        f"Code: baseline {r['commits']['baseline']}, branch {r['commits']['branch']}; local pool of 2.",
        "",
        ("| size | submissions | turn | baseline parent MiB | branch parent MiB | baseline report step (s) | "
         "branch report step (s) | branch / baseline report step | load at start (baseline, branch) |"),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size in sizes:
        for turn in turns:
            b, m = pick[("baseline", size, turn)], pick[("branch", size, turn)]
            lines.append(
                f"| ×{size} | {int(m['submissions'])} | {turn + 1} | {b['rss_self']:.0f} | {m['rss_self']:.0f} | "
                f"{b['report_step']:.2f} | {m['report_step']:.2f} | {m['report_step'] / b['report_step']:.2f}x | "
                f"{b['load']:.1f}, {m['load']:.1f} |"
            )
    lines.append("")
    first, last = sizes[0], sizes[-1]
    for name in ("baseline", "branch"):
        grow = [pick[(name, last, t)]["rss_self"] / pick[(name, first, t)]["rss_self"] - 1 for t in turns]
        lines.append(f"- {name}: parent peak ×{first} → ×{last} " + ", ".join(f"{100 * g:+.0f} %" for g in grow)
                     + " (per turn; target within +10 %).")
    lines += [
        ("- Output bytes (all but results.sqlite and the XLSX) the same from both trees: "
         f"{'yes' if all(r['identical']) else 'NO'}."),
        "- 1-minute load before {:.1f}, after {:.1f}.".format(r["load_before"][0], r["load_after"][0]),
    ]
    return "\n".join(lines) + "\n"
