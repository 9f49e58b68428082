"""Batch throughput: end to end with 1 and 2 workers against the bare parse of the same files.

    .venv/bin/python bench/throughput.py [--input samples/batch] [--copies 10]

Measured in one run, each configuration in its own child process (so peak memory is per
configuration; interpreter start and imports are excluded from the timed part and shown
apart):
  bare parse   pdfplumber extract_text + extract_tables per page, python-docx Document() +
               every paragraph and table cell, openpyxl load_workbook + every cell;
               one process, the files in sorted order
  end to end   extractor.batch.execute_batch with the real pipeline into a fresh OUT
               (grouping, hashing, reading, extraction, checks, SQLite, cross-year, reports)
Pages: PDF pages as pdfplumber counts them; a DOCX or XLSX counts as one page.
Every configuration (the batch and the copied batch) runs --repeat times, interleaved, and
the run with the median time is quoted (the machine may be shared), with the range.
Peak memory: ru_maxrss of the batch process (RUSAGE_SELF) and of its largest worker
(RUSAGE_CHILDREN), on the batch and on the batch copied --copies times (units renamed so
each copy is its own set of submissions).

    .venv/bin/python bench/throughput.py --parent-memory --baseline /path/to/a/worktree/of/main

--parent-memory: only the batch parent's peak memory (VmHWM) and its report step (the final
phase: batch checks, reports, facts, batch.json) with the local pool of 2, at ×1, ×10 and
×30 (--sizes), each --repeat times (default 2), this tree and the --baseline tree's code
interleaved in the same run, the 1-minute load at each start.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TREE_VARIABLE = "EXTRACTOR_BENCH_TREE"  # a child imports extractor from this tree (--baseline) instead
sys.path.insert(0, os.environ.get(TREE_VARIABLE) or str(REPO))

from extractor.batch.discover import SUPPORTED, discover_files
from extractor.batch.grouping import group_files

COPY_TAGS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"


def copy_tag(k: int) -> str:
    """The k-th copy's suffix: one character, then two (甲甲, 甲乙, …) past the 20th."""
    n = len(COPY_TAGS)
    return COPY_TAGS[k] if k < n else COPY_TAGS[k // n - 1] + COPY_TAGS[k % n]


def parse_bare(path: Path) -> int:
    """Parse one file with the bare library; returns its page count."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
            return len(pdf.pages)
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        for paragraph in document.paragraphs:
            _ = paragraph.text
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    _ = cell.text
        return 1
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                _ = cell.value
    return 1


def bare_child(root: Path) -> dict[str, float]:
    import docx  # noqa: F401 - imports are not part of the parse
    import openpyxl  # noqa: F401
    import pdfplumber  # noqa: F401

    files = [root / f for f in discover_files(root) if Path(f).suffix.lower() in SUPPORTED]
    started = time.perf_counter()
    pages = sum(parse_bare(path) for path in files)
    elapsed = time.perf_counter() - started
    return {"elapsed": elapsed, "docs": len(files), "pages": pages, "rss_self": peak_rss()}


def batch_child(root: Path, out: Path, workers: int, scheduler: str | None = None) -> dict[str, float]:
    """The local pool of `workers`, or the Dask `scheduler` (local:N: a LocalCluster started,
    and its workers' pipelines built, inside the timed part: what a user waits for)."""
    from extractor.batch import BatchSettings, execute_batch
    from extractor.batch.work import pipeline_factory, warm_up

    if scheduler is None:
        warm_up()  # the forked workers inherit it; Dask workers build their own
    settings = BatchSettings(root, out, workers=workers, timeout=600, quiet=True, scheduler=scheduler)
    report_step = time_report_step()
    started = time.perf_counter()
    outcome = execute_batch(settings, pipeline_factory(600), sys.stderr)
    elapsed = time.perf_counter() - started
    kinds = getattr(outcome.results, "kinds", None)  # an index counts its findings; else they are decoded
    return {
        "elapsed": elapsed, "submissions": len(outcome.results), "processed": outcome.processed,
        "findings": kinds.count if kinds is not None else sum(len(r.findings) for r in outcome.results),
        "report_step": sum(report_step),
        "rss_self": peak_rss(), "rss_children": _rss(resource.RUSAGE_CHILDREN),
        "cpu_self": _cpu(resource.RUSAGE_SELF), "cpu_children": _cpu(resource.RUSAGE_CHILDREN),
    }


def time_report_step() -> list[float]:
    """The wall time of each BatchRun._finish (batch checks, spool, reports, facts, batch.json),
    measured by wrapping it: the same in every tree that has it (this one, --baseline's)."""
    from extractor.batch.runner import BatchRun

    spent: list[float] = []
    finish = BatchRun._finish

    def timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return finish(self, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    BatchRun._finish = timed  # type: ignore[method-assign]
    return spent


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def peak_rss() -> float:
    """This process's own peak RSS in MiB (VmHWM). Not ru_maxrss: Linux carries the peak of the
    process that started this one across exec, so a large bench parent would set every child's."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return _rss(resource.RUSAGE_SELF)


def _rss(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB -> MiB on Linux


def spin(n: int = 3_000_000) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - started


def parallel_capacity() -> float:
    """How much faster two processes finish two equal CPU loops than one process does one,
    times two: 2.0 on an idle 2-core machine, less when other work shares the cores."""
    import multiprocessing

    one = spin()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        pool.map(spin, [3_000_000, 3_000_000])
        two = time.perf_counter() - started
    return 2 * one / two


def run_child(*args: str, tree: Path | None = None) -> dict[str, float]:
    """One configuration in a fresh process; `tree`: the worktree whose extractor it imports."""
    load = os.getloadavg()[0]
    env = {**os.environ, TREE_VARIABLE: str(tree)} if tree is not None else None
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True, env=env)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    result["load"] = load  # 1-minute load average when the child started
    return result


def copy_batch(source: Path, target: Path, copies: int) -> int:
    """The batch `copies` times; copy k renames every unit U in paths to U+tag so units differ."""
    files = discover_files(source)
    units = sorted({s.unit for s in group_files(files, source.name).submissions}, key=len, reverse=True)
    for k in range(copies):
        for rel in files:
            new = rel
            for unit in units:
                new = new.replace(unit, unit + copy_tag(k)) if k else new
            dest = target / new
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / rel, dest)
    return len(group_files(discover_files(target), target.name).submissions)


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median time (the machine is shared: one busy spell must not decide)."""
    ordered = sorted(runs, key=lambda r: r["elapsed"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["fastest"], chosen["slowest"] = ordered[0]["elapsed"], ordered[-1]["elapsed"]
    return chosen


def measure(source: Path, copies: int, repeat: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {"machine": {"load_before": os.getloadavg()[0], "capacity": parallel_capacity()}}
    runs: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="extractor-bench-") as work:
        work_dir = Path(work)
        big = work_dir / "big"
        submissions = copy_batch(source, big, copies)
        for turn in range(repeat):  # interleaved, so a busy spell hits every configuration alike
            for name, args in (
                ("bare", ("--bare-child", str(source))),
                ("e2e_1", ("--batch-child", str(source), str(work_dir / f"out1-{turn}"), "1")),
                ("e2e_2", ("--batch-child", str(source), str(work_dir / f"out2-{turn}"), "2")),
                ("big_bare", ("--bare-child", str(big))),
                ("big_e2e_1", ("--batch-child", str(big), str(work_dir / f"outbig1-{turn}"), "1")),
                ("big_e2e_2", ("--batch-child", str(big), str(work_dir / f"outbig2-{turn}"), "2")),
            ):
                runs.setdefault(name, []).append(run_child(*args))
        results.update({name: median_run(found) for name, found in runs.items()})
        results["big_e2e_2"]["expected_submissions"] = submissions
    results["machine"]["load_after"] = os.getloadavg()[0]
    results["machine"]["capacity_after"] = parallel_capacity()
    return results


def report(r: dict[str, dict[str, float]], copies: int, source: Path) -> str:
    bare, one, two = r["bare"], r["e2e_1"], r["e2e_2"]
    docs, pages = bare["docs"], bare["pages"]

    def rate(n: float, t: float) -> str:
        return f"{n / t:.2f}"

    lines = [
        (f"Input: `{source}`: {int(docs)} files ({int(pages)} pages), {int(one['submissions'])} submissions; "
        f"copied ×{copies}: {int(r['big_bare']['docs'])} files, {int(r['big_e2e_2']['submissions'])} submissions."),
        "",
        "| configuration | time (s) | docs/s | pages/s | vs bare | peak RSS batch (MiB) | peak RSS worker (MiB) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        (f"| bare parse, 1 process | {bare['elapsed']:.2f} | {rate(docs, bare['elapsed'])} | "
        f"{rate(pages, bare['elapsed'])} | 1.00x | {bare['rss_self']:.0f} | – |"),
    ]
    for name, row in (("end to end, 1 worker", one), ("end to end, 2 workers", two)):
        lines.append(
            f"| {name} | {row['elapsed']:.2f} | {rate(docs, row['elapsed'])} | {rate(pages, row['elapsed'])} | "
            f"{bare['elapsed'] / row['elapsed']:.2f}x | {row['rss_self']:.0f} | {row['rss_children']:.0f} |"
        )
    big, big_one, big_bare = r["big_e2e_2"], r["big_e2e_1"], r["big_bare"]
    lines.append(
        f"| ×{copies}: bare parse | {big_bare['elapsed']:.2f} | {rate(big_bare['docs'], big_bare['elapsed'])} | "
        f"{rate(big_bare['pages'], big_bare['elapsed'])} | 1.00x | {big_bare['rss_self']:.0f} | – |"
    )
    lines.append(
        f"| ×{copies}: end to end, 1 worker | {big_one['elapsed']:.2f} | {rate(big_bare['docs'], big_one['elapsed'])} | "
        f"{rate(big_bare['pages'], big_one['elapsed'])} | {big_bare['elapsed'] / big_one['elapsed']:.2f}x | "
        f"{big_one['rss_self']:.0f} | {big_one['rss_children']:.0f} |"
    )
    lines.append(
        f"| ×{copies}: end to end, 2 workers | {big['elapsed']:.2f} | {rate(big_bare['docs'], big['elapsed'])} | "
        f"{rate(big_bare['pages'], big['elapsed'])} | {big_bare['elapsed'] / big['elapsed']:.2f}x | "
        f"{big['rss_self']:.0f} | {big['rss_children']:.0f} |"
    )
    lines += [
        "",
        (f"- 2 workers / 1 worker: {one['elapsed'] / two['elapsed']:.2f}x on the batch, "
        f"{big_one['elapsed'] / big['elapsed']:.2f}x on ×{copies} (target ≥ 1.8x)."),
        (f"- End to end (2 workers) / bare parse (1 process): {bare['elapsed'] / two['elapsed']:.2f}x; "
        f"1 worker: {bare['elapsed'] / one['elapsed']:.2f}x (target ≥ 0.75x)."),
        (f"- Peak RSS ×1 → ×{copies}: batch process {two['rss_self']:.0f} → {big['rss_self']:.0f} MiB, "
        f"largest worker {two['rss_children']:.0f} → {big['rss_children']:.0f} MiB."),
        (f"- Machine: {os.cpu_count()} cores, 1-minute load {r['machine']['load_before']:.1f} before and "
        f"{r['machine']['load_after']:.1f} after; two equal CPU loops in 2 processes ran "
        f"{r['machine']['capacity']:.2f}x / {r['machine']['capacity_after']:.2f}x (before / after) as fast as in 1 "
        "(2.00x = two idle cores): the ceiling for the 2-worker speed-up in this run."),
        (f"- Child wall times incl. interpreter start and imports: bare {bare['wall']:.2f} s, "
        f"1 worker {one['wall']:.2f} s, 2 workers {two['wall']:.2f} s."),
        "- Median of the runs; fastest–slowest (s): " + ", ".join(
            f"{name} {r[name]['fastest']:.2f}–{r[name]['slowest']:.2f}"
            for name in ("bare", "e2e_1", "e2e_2", "big_bare", "big_e2e_1", "big_e2e_2")
        ) + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=Path, default=REPO / "samples" / "batch")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration (median quoted)")
    parser.add_argument("--bare-child", type=Path)
    parser.add_argument("--batch-child", nargs="+", help="ROOT OUT WORKERS [SCHEDULER]")
    parser.add_argument("--cluster", action="store_true",
                        help="only the Dask configurations (bench/cluster_bench.py): LocalCluster 1 and 2 workers "
                        "against the local pool on the copied batch, and the parent's memory at ×1, ×copies, ×30")
    parser.add_argument("--memory-copies", type=int, default=30)
    parser.add_argument("--memory", action="store_true", help="with --cluster: only the parent's memory at ×1, ×copies, ×memory-copies")
    parser.add_argument("--parent-memory", action="store_true",
                        help="only the parent's peak memory and report step at --sizes, this tree against --baseline")
    parser.add_argument("--baseline", type=Path, help="with --parent-memory: a worktree of the code to compare with")
    parser.add_argument("--sizes", default="1,10,30", help="with --parent-memory: copies of the batch, comma-separated")
    args = parser.parse_args(argv)
    if args.bare_child:
        print(json.dumps(bare_child(args.bare_child)))
        return 0
    if args.batch_child:
        root, out, workers, *scheduler = args.batch_child
        print(json.dumps(batch_child(Path(root), Path(out), int(workers), *scheduler)))
        return 0
    if not args.input.is_dir():
        print(f"没有找到样例批次 {args.input}：先运行 make samples", file=sys.stderr)
        return 2
    if args.parent_memory:
        from parent_memory import measure_parent_memory, parent_memory_report

        sizes = [int(n) for n in args.sizes.split(",")]
        found = measure_parent_memory(args.input, args.baseline or REPO, sizes, args.repeat)
        print(json.dumps(found), file=sys.stderr)
        sys.stdout.write(parent_memory_report(found, sizes))
        return 0
    if args.cluster:
        from cluster_bench import cluster_report, measure_cluster

        found = measure_cluster(args.input, args.copies, args.memory_copies, args.repeat, args.memory)
        print(json.dumps(found), file=sys.stderr)  # the raw figures, should the table be wanted otherwise
        sys.stdout.write(cluster_report(found, args.copies, args.memory_copies))
        return 0
    sys.stdout.write(report(measure(args.input, args.copies, args.repeat), args.copies, args.input))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
