"""The Dask configurations of bench/throughput.py (`bench/throughput.py --cluster`).

In one run, interleaved --repeat times on the batch copied --copies times: the local pool
with 2 workers, a LocalCluster of 1 and of 2 worker processes (`--scheduler local:N`,
cluster start and the workers' pipelines included in the time). Then the parent's peak
memory (ru_maxrss of the batch process) with the local pool of 2 at ×1, ×copies and
×memory-copies, each once. Output bytes of the cluster runs compared with the pool's.
Every figure carries the 1-minute load average when its child started.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from throughput import copy_batch, median_run, parallel_capacity, run_child

SKIP = ("results.sqlite", ".input", ".converted")


def output_digests(out: Path) -> dict[str, str]:
    """sha256 of every output file (digests, not bytes: the bench process stays small)."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).as_posix().startswith(SKIP)
    }


def measure_cluster(
    source: Path, copies: int, memory_copies: int, repeat: int, memory_only: bool = False
) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {"machine": {"capacity": parallel_capacity(), "cores": os.cpu_count() or 0}}
    runs: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="extractor-bench-cluster-") as work:
        work_dir = Path(work)
        big = work_dir / "big"
        copy_batch(source, big, copies)
        same = True
        for turn in range(0 if memory_only else repeat):
            outs = {}
            for name, extra in (("pool_2", ("2",)), ("cluster_1", ("1", "local:1")), ("cluster_2", ("2", "local:2"))):
                outs[name] = work_dir / f"{name}-{turn}"
                runs.setdefault(name, []).append(run_child("--batch-child", str(big), str(outs[name]), *extra))
            pool = output_digests(outs["pool_2"])
            same = same and all(output_digests(outs[n]) == pool for n in ("cluster_1", "cluster_2"))
        results.update({name: median_run(found) for name, found in runs.items()})
        results["machine"]["identical"] = float(same)
        results["memory_1"] = run_child("--batch-child", str(source), str(work_dir / "mem1"), "2")
        results["memory_copies"] = results.get("pool_2") or run_child(
            "--batch-child", str(big), str(work_dir / "memcopies"), "2"
        )
        huge = work_dir / "huge"
        copy_batch(source, huge, memory_copies)
        results["memory_huge"] = run_child("--batch-child", str(huge), str(work_dir / "memhuge"), "2")
    results["machine"]["capacity_after"] = parallel_capacity()
    return results


def cluster_report(r: dict[str, dict[str, float]], copies: int, memory_copies: int) -> str:
    lines = _speed_lines(r, copies) if "cluster_2" in r else []
    m1, mc, mh = r["memory_1"], r["memory_copies"], r["memory_huge"]
    lines += [
        (f"- Parent peak RSS, local pool of 2: ×1 {m1['rss_self']:.0f} MiB ({int(m1['submissions'])} submissions, "
         f"load {m1['load']:.1f}), ×{copies} {mc['rss_self']:.0f} MiB (load {mc['load']:.1f}), ×{memory_copies} "
         f"{mh['rss_self']:.0f} MiB ({int(mh['submissions'])} submissions, load {mh['load']:.1f}, "
         f"{mh['elapsed']:.0f} s): ×1 → ×{memory_copies} {100 * (mh['rss_self'] / m1['rss_self'] - 1):+.0f} %."),
        (f"- Machine: {int(r['machine']['cores'])} cores; two equal CPU loops in 2 processes ran "
         f"{r['machine']['capacity']:.2f}x / {r['machine']['capacity_after']:.2f}x (before / after) as fast as in 1."),
    ]
    return "\n".join(lines) + "\n"


def _speed_lines(r: dict[str, dict[str, float]], copies: int) -> list[str]:
    pool, one, two = r["pool_2"], r["cluster_1"], r["cluster_2"]
    subs = pool["submissions"]
    lines = [
        f"Batch copied ×{copies}: {int(subs)} submissions.",
        "",
        "| configuration | time (s) | submissions/s | vs local pool, 2 workers | peak RSS parent (MiB) | load at start |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in (("local pool, 2 workers", pool), ("LocalCluster, 1 worker", one), ("LocalCluster, 2 workers", two)):
        lines.append(
            f"| {name} | {row['elapsed']:.1f} | {subs / row['elapsed']:.2f} | {pool['elapsed'] / row['elapsed']:.2f}x | "
            f"{row['rss_self']:.0f} | {row['load']:.1f} |"
        )
    return lines + [
        "",
        (f"- LocalCluster 2 workers / local pool 2 workers: {pool['elapsed'] / two['elapsed']:.2f}x (target ≥ 0.9x); "
         f"2 / 1 cluster workers: {one['elapsed'] / two['elapsed']:.2f}x."),
        f"- Output bytes of every cluster run identical to the pool's: {'yes' if r['machine']['identical'] else 'NO'}.",
        "- Median of the runs; fastest–slowest (s): " + ", ".join(
            f"{name} {r[name]['fastest']:.1f}–{r[name]['slowest']:.1f}" for name in ("pool_2", "cluster_1", "cluster_2")
        ) + ".",
    ]
