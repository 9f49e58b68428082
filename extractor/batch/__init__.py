"""Batch ingestion: a folder or zip of many units' submissions, checked in parallel.

run_batch is what `extractor batch` calls. The parts: discover (find files), grouping
(files -> submissions), zipsafe (safe zip extraction), convert (old formats through
LibreOffice), pool (worker processes with per-file time limits), work (what a worker does
with one submission: pipeline.process_submission), db (OUT/results.sqlite: resume and
reuse), batchchecks (the checks across submissions, through pipeline), outputs (reports,
facts, batch.json), progress.

The runner, the pool, the database and report/ are imported on first use (__getattr__,
run_batch): loading the patterns reads batch/vocabulary.py, which imports this package,
and `check`, `read` and `extract` must not pay for multiprocessing and sqlite3.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..patterns import Patterns
    from .runner import BatchOutcome, BatchSettings, execute_batch

__all__ = ["BatchOutcome", "BatchSettings", "execute_batch", "run_batch"]
_FROM_RUNNER = frozenset({"BatchOutcome", "BatchSettings", "execute_batch"})


def __getattr__(name: str) -> Any:
    if name in _FROM_RUNNER:
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run_batch(
    input: Path,
    out: Path,
    workers: int | None = None,
    timeout: float = 120.0,
    fail_fast: bool = False,
    quiet: bool = False,
    patterns: Patterns | None = None,
    annotate: bool = False,
    scheduler: str | None = None,
) -> int:
    """Check every submission under `input` (folder or zip) into `out`; returns the exit code.

    Prints progress on stderr when it is a terminal (not with quiet) and the summary on stdout.
    `scheduler`: a Dask scheduler (tcp://HOST:8786) or local:N for a LocalCluster (batch/cluster.py).
    Exit code: 0 no error-severity finding, 1 error findings or unreadable files,
    2 stopped by fail_fast (bad input raises ExtractorError, which the CLI turns into 2),
    130 interrupted by Ctrl-C (what was committed is kept; the same command resumes).
    """
    from .runner import DB_NAME, BatchSettings, execute_batch
    from .work import pipeline_factory, warm_up

    settings = BatchSettings(Path(input), Path(out), workers, timeout, fail_fast, quiet, patterns=patterns,
                             annotate=annotate, scheduler=scheduler)
    if scheduler is None:  # forked workers inherit it; Dask workers build their own
        warm_up(patterns)
    try:
        outcome = execute_batch(settings, pipeline_factory(timeout, patterns), sys.stderr)
    except KeyboardInterrupt:
        sys.stderr.write(f"\n已中断：已完成的单位已保存在 {Path(out) / DB_NAME}，重新运行同一命令即可继续\n")
        return 130
    sys.stdout.write(outcome.summary)
    sys.stdout.flush()
    return outcome.exit_code
