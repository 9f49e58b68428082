"""Where a batch's time goes, local pool against `local:N`: per task, inside the workers.

    .venv/bin/python bench/cluster_where.py ROOT OUT [--scheduler local:2] [--workers 2]

One batch with the real pipeline (the pool's warm-up timed, as the cluster's start is). Each
worker records, per submission: the wall and thread CPU of Work.process, of the whole task
(the Dask task, or the pool's process + encode) and, on a Dask worker, the time blocked in
the synchronous scheduler events. The parent records its CPU, its children's, and the time
it spends storing results (db.save_submission). Printed: the totals, the workers' busy share
between their first and last task, the gaps between two tasks of a worker. How the table
"Where `local:2` lost to `-j 2`" in docs/cluster.md was measured.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import distributed

from extractor.batch import BatchSettings, db, execute_batch, runner
from extractor.batch import cluster as cluster_module
from extractor.batch.work import PipelineWork, warm_up

LOG = os.environ.setdefault("EXTRACTOR_WHERE_LOG", str(Path(tempfile.gettempdir(), f"where-{os.getpid()}.jsonl")))
EVENTS = [0.0, 0]  # this process's time blocked in Client.log_event, and how many


def record(kind: str, **fields: Any) -> None:
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps({"kind": kind, "pid": os.getpid(), **fields}) + "\n")


class TimedWork(PipelineWork):
    def process(self, task: Any, notify: Any) -> Any:
        wall, cpu = time.time(), time.thread_time()
        result = super().process(task, notify)
        record("process", t0=wall, t1=time.time(), cpu=time.thread_time() - cpu, key=task.key)
        return result


def timed_factory() -> TimedWork:
    return TimedWork(600)


_log_event, _run_on_worker, _encode = distributed.Client.log_event, cluster_module.run_on_worker, runner.encode_and_write_facts


def timed_log_event(self: Any, topic: Any, msg: Any) -> Any:
    started = time.perf_counter()
    try:
        return _log_event(self, topic, msg)
    finally:
        EVENTS[0] += time.perf_counter() - started
        EVENTS[1] += 1


def timed_task(task: Any, token: str, files: Any) -> Any:
    counters = sys.modules["__mp_main__"].EVENTS  # the worker's own (this function travels by value)
    wall, cpu, blocked, events = time.time(), time.thread_time(), counters[0], counters[1]
    result = _run_on_worker(task, token, files)
    record("task", t0=wall, t1=time.time(), cpu=time.thread_time() - cpu, key=task.key,
           blocked=counters[0] - blocked, events=counters[1] - events)
    return result


def timed_encode(*args: Any, **kwargs: Any) -> Any:
    wall, cpu = time.time(), time.thread_time()
    result = _encode(*args, **kwargs)
    record("encode", t0=wall, t1=time.time(), cpu=time.thread_time() - cpu)
    return result


distributed.Client.log_event = timed_log_event
cluster_module.run_on_worker = timed_task
runner.encode_and_write_facts = timed_encode


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    end = next(r for r in rows if r["kind"] == "end")
    out: dict[str, Any] = {k: round(v, 2) for k, v in end.items() if isinstance(v, float)}
    for kind in ("process", "task", "encode"):
        found = [r for r in rows if r["kind"] == kind]
        if found:
            out[kind] = {"n": len(found), "cpu_ms": round(1000 * statistics.mean(r["cpu"] for r in found), 1),
                         "wall_ms": round(1000 * statistics.mean(r["t1"] - r["t0"] for r in found), 1)}
    busy_kind = "task" if "task" in out else "process"
    spans = [(r["t0"], r["t1"]) for r in rows if r["kind"] in (busy_kind, "encode" if busy_kind == "process" else "")]
    first, last = min(s[0] for s in spans), max(s[1] for s in spans)
    out["busy_share"] = round(sum(b - a for a, b in spans) / (end["workers"] * (last - first)), 3)
    tasks = [r for r in rows if r["kind"] == "task"]
    if tasks:
        out["events_per_task"] = round(statistics.mean(r["events"] for r in tasks), 2)
        out["blocked_ms_per_task"] = round(1000 * statistics.mean(r["blocked"] for r in tasks), 1)
        by_worker = collections.defaultdict(list)
        for r in tasks:
            by_worker[r["pid"]].append((r["t0"], r["t1"]))
        gaps = [b[0] - a[1] for spans_ in by_worker.values() for a, b in zip(sorted(spans_), sorted(spans_)[1:])]
        out["gap_ms_median"] = round(1000 * statistics.median(gaps), 1) if gaps else 0.0
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scheduler", help="local:N or tcp://HOST:PORT; none: the local pool")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    Path(LOG).unlink(missing_ok=True)
    saving = [0.0]

    def timed_save(*a: Any, **k: Any) -> None:
        started = time.perf_counter()
        save(*a, **k)
        saving[0] += time.perf_counter() - started

    save, db.save_submission = db.save_submission, timed_save
    started = time.perf_counter()
    if args.scheduler is None:
        warm_up()  # as `extractor batch` does before forking its workers
    settings = BatchSettings(args.root, args.out, workers=args.workers, timeout=600, quiet=True, scheduler=args.scheduler)
    execute_batch(settings, timed_factory, sys.stderr)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    record("end", elapsed=time.perf_counter() - started, cpu_parent=own.ru_utime + own.ru_stime,
           cpu_children=children.ru_utime + children.ru_stime, store=saving[0], load=os.getloadavg()[0],
           workers=float(args.workers))
    with open(LOG, encoding="utf-8") as log:
        print(json.dumps(summary([json.loads(line) for line in log])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
