"""Where the parent's memory goes while it sends tasks to a Dask cluster (the dispatch phase).

    .venv/bin/python bench/cluster_trace.py [--marks 50,100,300,600] [--scheduler local:2|tcp://HOST:PORT]
                                            [--file-bytes 20000] [--trace] [--keep-dask-logs]

cluster.DaskPool runs --marks' last number of one-file tasks (each carries --file-bytes of
file, as a submission does) with a Work that reads nothing: the parent's own bookkeeping is
what is measured, not the pipeline. At each mark (tasks completed): the parent's RSS and,
with --trace, a tracemalloc snapshot; the allocations grown between the last two marks are
printed with their tracebacks, largest first. --keep-dask-logs: Dask's message logs kept as
before batch/cluster_settings.py. With tcp://, the scheduler is another process: the parent is
the client alone. How docs/cluster.md's "why the parent grew" was found.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.batch.pool import Task  # noqa: E402
from extractor.model import SubmissionResult  # noqa: E402


class NoReadWork:
    """Announces the file and the analysis step as the real Work does, reads nothing."""

    def process(self, task: Task, notify: object) -> SubmissionResult:
        for name in task.files:
            notify(name)  # type: ignore[operator]
        notify("")  # type: ignore[operator]
        return SubmissionResult.failed(task.files, (), task.unit, task.year)


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--marks", default="50,100,300,600")
    parser.add_argument("--scheduler", default="local:2")
    parser.add_argument("--file-bytes", type=int, default=20_000)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--keep-dask-logs", action="store_true")
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args(argv)
    import extractor.batch.cluster as cluster
    from extractor.patterns import active

    if args.keep_dask_logs:
        cluster.DASK_SETTINGS = {}
        cluster.quiet_scheduler = cluster.quiet_worker = lambda _: None
    marks = [int(m) for m in args.marks.split(",")]
    snapshots: dict[int, tracemalloc.Snapshot] = {}
    done = [0]

    def on_result(task: Task, encoded: object) -> None:
        done[0] += 1
        if done[0] in marks:
            gc.collect()
            if args.trace:
                snapshots[done[0]] = tracemalloc.take_snapshot()
            traced = tracemalloc.get_traced_memory()[0] / 2**20 if args.trace else 0.0
            print(f"{done[0]} tasks: RSS {rss_mib():.1f} MiB" + (f", traced {traced:.1f} MiB" if args.trace else ""),
                  flush=True)

    with tempfile.TemporaryDirectory(prefix="extractor-trace-") as work:
        root, out = Path(work, "in"), Path(work, "out")
        root.mkdir()
        (out / "facts").mkdir(parents=True)
        (root / "a.docx").write_bytes(b"x" * args.file_bytes)
        tasks = [Task(f"k{i}", f"u{i}", 2024, ("a.docx",), str(root), str(out / "cache")) for i in range(marks[-1])]
        if args.trace:
            tracemalloc.start(25)
        started = time.perf_counter()
        cluster.DaskPool(args.scheduler, NoReadWork, 60, out, active()).run(tasks, on_result)
        print(f"{marks[-1]} tasks in {time.perf_counter() - started:.1f} s")
    if args.trace and len(marks) > 1:
        _print_growth(snapshots[marks[-2]], snapshots[marks[-1]], args.top)
    return 0


def _print_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, top: int) -> None:
    own = [tracemalloc.Filter(False, tracemalloc.__file__)]
    for stat in after.filter_traces(own).compare_to(before.filter_traces(own), "traceback")[:top]:
        print(f"\n{stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+d} blocks")
        for line in stat.traceback.format()[-8:]:
            print(line)


if __name__ == "__main__":
    raise SystemExit(main())
