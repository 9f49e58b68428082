"""The Dask configurations: `bench/cluster_bench.py` (or `bench/throughput.py --cluster`).

In one run, each configuration in its own child process, interleaved --repeat times:
  speed   on the batch copied --copies times: the local pool with 2 workers (`-j 2`), a
          LocalCluster of 1 and of 2 worker processes (`--scheduler local:N`; the cluster's
          start and its workers' pipelines inside the timed part: what a user waits for)
  memory  the parent's memory at ×1, ×copies (from the speed runs) and ×memory-copies:
          `local:2` and the local pool at ×1, `local:2` at ×memory-copies; and once each, at
          ×1 and ×copies, `local:2` keeping Dask's message logs (the behaviour before
          batch/cluster_settings.py), for the before/after figure
  --speed only the local pool and `local:2` on ×copies, per turn; with --baseline TREE also
          `local:2` with that worktree's code (before/after in one run)
The pool's warm-up (the parent builds the pipeline its forked workers inherit, as `extractor
batch` does) is inside the timed part, as the cluster's start and its workers' builds are.
The parent's memory is read from /proc/self/status twice: VmHWM when the scheduler's run
returns (the dispatch phase: discovery, hashing, submitting, storing results; for `local:N`
also the in-process Dask scheduler) and VmHWM at the end (the whole run, the report writers
included, which are not this bench's subject). Output bytes of the cluster runs are compared
with the pool's of the same turn (sha256). Every figure carries the 1-minute load average
when its child started; the machine's free capacity is measured before and after.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from throughput import TREE_VARIABLE, copy_batch, median_run, parallel_capacity  # noqa: E402

SKIP = ("results.sqlite", ".input", ".converted")
SPEED = (("pool_2", ("2",)), ("cluster_1", ("1", "local:1")), ("cluster_2", ("2", "local:2")))


def status_mib(field: str) -> float:
    """VmHWM (peak) or VmRSS of this process, MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(root: Path, out: Path, workers: int, scheduler: str | None, keep_dask_logs: bool) -> dict[str, float]:
    """One batch with the real pipeline; the parent's memory at the end of the dispatch phase and of the run."""
    import resource

    from extractor.batch import BatchSettings, execute_batch, runner
    from extractor.batch.work import pipeline_factory, warm_up

    if keep_dask_logs:  # Dask's defaults in the parent, as before cluster_settings.py: the before/after figure
        import extractor.batch.cluster as cluster

        cluster.DASK_SETTINGS = {}
        cluster.quiet_scheduler = lambda _: None  # the in-process scheduler of local:N
    dispatch: dict[str, float] = {}
    make_scheduler = runner.scheduler_for

    def measured_scheduler(settings: Any, factory: Any) -> Any:
        scheduler_ = make_scheduler(settings, factory)
        run = scheduler_.run

        def run_and_measure(*args: Any, **kwargs: Any) -> bool:
            finished = run(*args, **kwargs)
            dispatch.update(peak=status_mib("VmHWM"), rss=status_mib("VmRSS"), at=time.perf_counter())
            return finished

        scheduler_.run = run_and_measure
        return scheduler_

    runner.scheduler_for = measured_scheduler
    started = time.perf_counter()  # the pool's warm-up timed as the cluster's start is: what a user waits for
    if scheduler is None:
        warm_up()  # as `extractor batch` does: the forked workers inherit it (`local:N` does it in DaskPool)
    settings = BatchSettings(root, out, workers=workers, timeout=600, quiet=True, scheduler=scheduler)
    outcome = execute_batch(settings, pipeline_factory(600), sys.stderr)
    elapsed = time.perf_counter() - started
    usage, workers_ = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "elapsed": elapsed, "submissions": float(len(outcome.results)), "processed": float(outcome.processed),
        "dispatch_peak": dispatch["peak"], "dispatch_rss": dispatch["rss"],
        "dispatch_elapsed": dispatch["at"] - started, "peak": status_mib("VmHWM"),
        "cpu_self": usage.ru_utime + usage.ru_stime, "cpu_workers": workers_.ru_utime + workers_.ru_stime,
    }


def run_child(
    root: Path, out: Path, workers: str, scheduler: str = "", keep_logs: bool = False, tree: Path | None = None,
) -> dict[str, float]:
    """One configuration in its own process; `tree`: with that worktree's extractor (--baseline)."""
    import subprocess

    load = os.getloadavg()[0]
    args = [sys.executable, __file__, "--child", str(root), str(out), workers, scheduler or "-"]
    env = {**os.environ, TREE_VARIABLE: str(tree)} if tree is not None else None
    done = subprocess.run([*args, *(["--keep-dask-logs"] if keep_logs else [])], capture_output=True, text=True,
                          check=True, env=env)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = load
    name = f"{scheduler or 'pool'}{' logs' if keep_logs else ''}{' baseline' if tree else ''} {root.name}"
    print(f"# {name}: {json.dumps(result)}", file=sys.stderr, flush=True)  # kept should a later run fail
    return result


def output_digests(out: Path) -> dict[str, str]:
    """sha256 of every output file (digests, not bytes: the bench process stays small)."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).as_posix().startswith(SKIP)
    }


def measure_cluster(
    source: Path, copies: int, memory_copies: int, repeat: int, memory_only: bool = False, memory_repeat: int = 2,
    speed_only: bool = False, baseline: Path | None = None,
) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": {"capacity": parallel_capacity(), "cores": os.cpu_count() or 0,
                                           "load_before": os.getloadavg()[0]}}
    runs: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="extractor-bench-cluster-") as work:
        work_dir = Path(work)
        big, huge = work_dir / f"x{copies}", work_dir / f"x{memory_copies}"
        copy_batch(source, big, copies)
        same = True
        for turn in range(0 if memory_only else repeat):
            outs = {}
            for name, extra in SPEED:
                if speed_only and name == "cluster_1":
                    continue
                outs[name] = work_dir / f"{name}-{turn}"
                runs.setdefault(name, []).append(run_child(big, outs[name], *extra))
            if speed_only and baseline is not None:
                outs["cluster_2_base"] = work_dir / f"cluster_2_base-{turn}"
                runs.setdefault("cluster_2_base", []).append(
                    run_child(big, outs["cluster_2_base"], "2", "local:2", tree=baseline))
            pool = output_digests(outs["pool_2"])
            same = same and all(output_digests(outs[n]) == pool for n in outs if n != "pool_2")
        if speed_only:
            results["all"] = runs
            results.update({name: median_run(found) for name, found in runs.items()})
            results["machine"].update(identical=float(same), capacity_after=parallel_capacity(),
                                      load_after=os.getloadavg()[0])
            return results
        for turn in range(repeat):
            for name, extra in (("pool_2_x1", ("2",)), ("cluster_2_x1", ("2", "local:2"))):
                runs.setdefault(name, []).append(run_child(source, work_dir / f"{name}-{turn}", *extra))
        runs["logs_x1"] = [run_child(source, work_dir / "logs-x1", "2", "local:2", keep_logs=True)]
        if not memory_only:
            runs["logs_xc"] = [run_child(big, work_dir / "logs-xc", "2", "local:2", keep_logs=True)]
        copy_batch(source, huge, memory_copies)
        for turn in range(memory_repeat):
            runs.setdefault("cluster_2_xm", []).append(run_child(huge, work_dir / f"xm-{turn}", "2", "local:2"))
        results["all"] = runs
        results.update({name: median_run(found) for name, found in runs.items()})
        results["machine"]["identical"] = float(same)
    results["machine"]["capacity_after"] = parallel_capacity()
    results["machine"]["load_after"] = os.getloadavg()[0]
    return results


def cluster_report(r: dict[str, Any], copies: int, memory_copies: int) -> str:
    machine = r["machine"]
    lines = _speed_lines(r, copies) if "cluster_2" in r else []
    lines += ["", f"Parent memory (MiB): dispatch-phase peak / whole-run peak (VmHWM), runs: {_ranges(r)}.", "",
              "| configuration | ×1 | ×%d | ×%d |" % (copies, memory_copies), "| --- | --- | --- | --- |"]
    for label, keys in (
        ("LocalCluster, 2 workers (`local:2`)", ("cluster_2_x1", "cluster_2", "cluster_2_xm")),
        ("`local:2` keeping Dask's message logs (before)", ("logs_x1", "logs_xc", None)),
        ("local pool, 2 workers (`-j 2`)", ("pool_2_x1", "pool_2", None)),
    ):
        cells = [f"{r[k]['dispatch_peak']:.0f} / {r[k]['peak']:.0f}" if k in r else "–" for k in keys]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    one, many = r["cluster_2_x1"], r["cluster_2_xm"]
    lines += [
        "",
        (f"- `local:2` ×1 → ×{memory_copies} ({int(one['submissions'])} → {int(many['submissions'])} submissions): "
         f"dispatch peak {100 * (many['dispatch_peak'] / one['dispatch_peak'] - 1):+.0f} %, "
         f"whole run {100 * (many['peak'] / one['peak'] - 1):+.0f} % (target +20 %)."),
        (f"- Machine: {int(machine['cores'])} cores; load {machine['load_before']:.1f} before, "
         f"{machine['load_after']:.1f} after; two equal CPU loops in 2 processes ran "
         f"{machine['capacity']:.2f}x / {machine['capacity_after']:.2f}x (before / after) as fast as in 1."),
    ]
    return "\n".join(lines) + "\n"


def speed_report(r: dict[str, Any], copies: int) -> str:
    """--speed: the local pool and `local:2`, per turn, with the machine's load."""
    m = r["machine"]
    lines = [f"Batch copied ×{copies}: {int(r['pool_2']['submissions'])} submissions; turns interleaved.", "",
             ("| turn | pool -j 2 (s) | local:2 (s) | local:2 / pool | CPU parent pool / local:2 (s) | "
              "CPU workers pool / local:2 (s) | load at start |"), "| --- | --- | --- | --- | --- | --- | --- |"]
    base = r["all"].get("cluster_2_base", [])
    for turn, (p, c) in enumerate(zip(r["all"]["pool_2"], r["all"]["cluster_2"]), 1):
        lines.append(f"| {turn} | {p['elapsed']:.1f} | {c['elapsed']:.1f} | {p['elapsed'] / c['elapsed']:.2f}x | "
                     f"{p['cpu_self']:.1f} / {c['cpu_self']:.1f} | {p['cpu_workers']:.1f} / {c['cpu_workers']:.1f} | "
                     f"{p['load']:.1f} / {c['load']:.1f} |")
        if turn <= len(base):
            b = base[turn - 1]
            lines.append(f"| {turn}, --baseline | | {b['elapsed']:.1f} | {p['elapsed'] / b['elapsed']:.2f}x | "
                         f"– / {b['cpu_self']:.1f} | – / {b['cpu_workers']:.1f} | {b['load']:.1f} |")
    lines += ["", f"- Output bytes identical to the pool's: {'yes' if m['identical'] else 'NO'}.",
              (f"- Machine: load {m['load_before']:.1f} before, {m['load_after']:.1f} after; two equal CPU loops in "
               f"2 processes ran {m['capacity']:.2f}x / {m['capacity_after']:.2f}x as fast as in 1.")]
    return "\n".join(lines) + "\n"


def _ranges(r: dict[str, Any]) -> str:
    return "; ".join(
        f"{name} " + ", ".join(f"{run['dispatch_peak']:.0f}/{run['peak']:.0f}" for run in found)
        for name, found in r["all"].items()
    )


def _speed_lines(r: dict[str, Any], copies: int) -> list[str]:
    pool, one, two = r["pool_2"], r["cluster_1"], r["cluster_2"]
    subs = pool["submissions"]
    lines = [
        f"Batch copied ×{copies}: {int(subs)} submissions; median of {len(r['all']['pool_2'])} runs each, interleaved.",
        "",
        "| configuration | time (s) | submissions/s | vs local pool, 2 workers | CPU parent / workers (s) | load at start |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in (("local pool, 2 workers", pool), ("LocalCluster, 1 worker", one), ("LocalCluster, 2 workers", two)):
        lines.append(
            f"| {name} | {row['elapsed']:.1f} | {subs / row['elapsed']:.2f} | {pool['elapsed'] / row['elapsed']:.2f}x | "
            f"{row['cpu_self']:.1f} / {row.get('cpu_workers', 0):.1f} | {row['load']:.1f} |"
        )
    pairs = [p["elapsed"] / c["elapsed"] for p, c in zip(r["all"]["pool_2"], r["all"]["cluster_2"])]
    return lines + [
        "",
        (f"- LocalCluster 2 workers / local pool 2 workers: {pool['elapsed'] / two['elapsed']:.2f}x (target ≥ 0.9x); "
         f"per turn: {', '.join(f'{x:.2f}x' for x in pairs)}; 2 / 1 cluster workers: {one['elapsed'] / two['elapsed']:.2f}x."),
        f"- Output bytes of every cluster run identical to the pool's: {'yes' if r['machine']['identical'] else 'NO'}.",
        "- Fastest–slowest (s): " + ", ".join(
            f"{name} {r[name]['fastest']:.1f}–{r[name]['slowest']:.1f}" for name in ("pool_2", "cluster_1", "cluster_2")
        ) + ".",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=Path, default=BENCH.parent / "samples" / "batch")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--memory-copies", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration (median quoted)")
    parser.add_argument("--memory-repeat", type=int, default=2, help="runs at ×memory-copies")
    parser.add_argument("--memory", action="store_true", help="only the memory configurations")
    parser.add_argument("--speed", action="store_true", help="only the local pool and `local:2` on ×copies")
    parser.add_argument("--baseline", type=Path, help="with --speed: `local:2` also with this worktree's code")
    parser.add_argument("--child", nargs=4, metavar=("ROOT", "OUT", "WORKERS", "SCHEDULER"))
    parser.add_argument("--keep-dask-logs", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        root, out, workers, scheduler = args.child
        found = child(Path(root), Path(out), int(workers), None if scheduler == "-" else scheduler, args.keep_dask_logs)
        print(json.dumps(found))
        return 0
    found = measure_cluster(args.input, args.copies, args.memory_copies, args.repeat, args.memory, args.memory_repeat,
                            args.speed, args.baseline)
    print(json.dumps(found), file=sys.stderr)
    sys.stdout.write(speed_report(found, args.copies) if args.speed else cluster_report(found, args.copies, args.memory_copies))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
