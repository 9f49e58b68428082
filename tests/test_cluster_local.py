"""`--scheduler local:N`: the workers read the input where it is (this machine's), as local
pool workers do, instead of getting the bytes with the task. A dead worker and a hanging file
recorded as with the pool, and the same bytes and rows."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from standin_work import StandinWork
from test_batch_pool import MESSY_STATUSES, build_messy_batch, documents
from test_batch_resume import output_bytes, table_rows

from extractor.batch import BatchSettings, execute_batch
from extractor.batch.work import HANG_ENV


def test_a_local_cluster_records_a_dead_worker_and_a_hanging_file_as_the_pool_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HANG_ENV, "_hang.docx")  # the LocalCluster's workers inherit it
    root = build_messy_batch(tmp_path / "in")
    cluster, pool = tmp_path / "cluster", tmp_path / "pool"
    outcome = execute_batch(BatchSettings(root, cluster, timeout=4.5, quiet=True, scheduler="local:2"), StandinWork,
                            io.StringIO())
    assert documents(cluster) == MESSY_STATUSES
    assert outcome.exit_code == 1 and "读取失败 3 个" in outcome.summary
    execute_batch(BatchSettings(root, pool, workers=2, timeout=4.5, quiet=True), StandinWork, io.StringIO())
    assert output_bytes(cluster) == output_bytes(pool)
    assert table_rows(cluster / "results.sqlite") == table_rows(pool / "results.sqlite")

