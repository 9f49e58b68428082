"""A file that crashes the parser, one that hangs and one that kills its worker: the batch completes."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import sqlite3
import sys
from pathlib import Path

import docx
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from standin_work import StandinWork

from extractor.batch import BatchSettings, execute_batch
from extractor.batch.work import HANG_ENV


def make_report(path: Path, *paragraphs: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def documents(out: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(out / "results.sqlite") as conn:
        return {p: (s, c) for p, s, c in conn.execute("SELECT path, status, error_code FROM documents")}


@pytest.fixture
def messy_batch(tmp_path: Path) -> Path:
    return build_messy_batch(tmp_path / "in")


MESSY_STATUSES = {  # what build_messy_batch's files end as, whatever runs the batch
    "甲局/甲局2024年度自评报告.docx": ("ok", None),
    "甲局/附件1_甲局_2024.docx": ("failed", "E110"),
    "乙局/乙局2024年度自评报告.docx": ("ok", None),
    "乙局/附件1_乙局_2024_hang.docx": ("timeout", "E109"),
    "丙局/丙局2024年度自评报告.docx": ("ok", None),
    "丙局/附件2_丙局_2024_crash_worker.docx": ("failed", "E110"),  # its worker process died
}


def build_messy_batch(root: Path) -> Path:
    """Three units: a broken annex, a hanging annex, an annex that kills its worker."""
    make_report(root / "甲局" / "甲局2024年度自评报告.docx", "年末实有人数10人。在职人员12人。")
    (root / "甲局" / "附件1_甲局_2024.docx").write_bytes(b"PK\x03\x04 not really a docx")
    make_report(root / "乙局" / "乙局2024年度自评报告.docx", "年末实有人数20人。")
    make_report(root / "乙局" / "附件1_乙局_2024_hang.docx", "年末实有人数20人。")
    make_report(root / "丙局" / "丙局2024年度自评报告.docx", "在职人员5人。")
    make_report(root / "丙局" / "附件2_丙局_2024_crash_worker.docx", "x")
    return root


def test_crash_hang_and_dead_worker_are_recorded_and_the_batch_completes(
    messy_batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HANG_ENV, "_hang.docx")
    out = tmp_path / "out"
    outcome = execute_batch(BatchSettings(messy_batch, out, workers=2, timeout=4.5, quiet=True), StandinWork, io.StringIO())
    assert documents(out) == MESSY_STATUSES
    by_unit = {r.unit: r for r in outcome.results}
    assert {u: r.status for u, r in by_unit.items()} == {"甲局": "partial", "乙局": "partial", "丙局": "partial"}
    hang = next(i for i in by_unit["乙局"].issues if i.code == "E109")
    assert "附件1_乙局_2024_hang.docx" in hang.message and "4.5 秒" in hang.message
    assert by_unit["甲局"].findings and "多于" in by_unit["甲局"].findings[0].message  # the good file still checked
    assert outcome.exit_code == 1
    assert "读取失败 3 个" in outcome.summary and "outputs" not in outcome.summary
    summary = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert [s["status"] for s in summary["submissions"]] == ["partial", "partial", "partial"]

    monkeypatch.delenv(HANG_ENV)  # the re-run retries only the submission whose file timed out
    again = execute_batch(BatchSettings(messy_batch, out, workers=2, timeout=4.5, quiet=True), StandinWork, io.StringIO())
    assert (again.processed, again.reused) == (1, 2)
    assert documents(out)["乙局/附件1_乙局_2024_hang.docx"] == ("ok", None)


def test_fail_fast_stops_at_the_first_failure(messy_batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = BatchSettings(messy_batch, out, workers=1, timeout=30, fail_fast=True, quiet=True)
    outcome = execute_batch(settings, StandinWork, io.StringIO())
    assert outcome.stopped and outcome.exit_code == 2
    assert "已中止" in outcome.summary
    assert any(code for _, code in documents(out).values())
    assert len({p.split("/")[0] for p in documents(out)}) < 3  # not every submission was processed


def test_progress_is_drawn_on_a_terminal_and_a_line_per_unit_elsewhere(messy_batch: Path, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown, hidden = Terminal(), io.StringIO()
    execute_batch(BatchSettings(messy_batch, tmp_path / "a", workers=2, timeout=30), StandinWork, shown)
    drawn = shown.getvalue()
    assert "\r" in drawn and "已处理 6/6 个文件" in drawn and "预计剩余" in drawn and "个文件/秒" in drawn
    outcome = execute_batch(BatchSettings(messy_batch, tmp_path / "b", workers=2, timeout=30), StandinWork, hidden)
    lines = hidden.getvalue().splitlines()
    assert "\r" not in hidden.getvalue() and len(lines) == len(outcome.results)  # one plain line per unit
    assert lines[-1].startswith(f"[{len(lines)}/{len(lines)}] ") and "预计剩余 00:00" in lines[-1]
    quiet = Terminal()
    execute_batch(BatchSettings(messy_batch, tmp_path / "c", workers=2, timeout=30, quiet=True), StandinWork, quiet)
    assert quiet.getvalue() == ""


class PidWork(StandinWork):
    """Records which worker process handled each submission (in its issues, as a W-coded note)."""

    def analyse(self, docs, task):  # type: ignore[no-untyped-def]
        from extractor.model import Issue

        result = super().analyse(docs, task)
        return dataclasses.replace(result, issues=(Issue("W399", str(os.getpid()), task.files[0]),))


def test_workers_are_recycled_after_their_quota_and_every_task_still_completes(tmp_path: Path) -> None:
    from extractor.batch.pool import KillablePool, Task

    root = tmp_path / "in"
    tasks = []
    for n in range(5):
        make_report(root / f"{n}.docx", f"年末实有人数{n}人。")
        tasks.append(Task(f"u{n}|2024", f"u{n}", 2024, (f"{n}.docx",), str(root), str(tmp_path / "cache")))
    done: dict[str, str] = {}
    pool = KillablePool(PidWork, workers=1, timeout=30, tasks_per_worker=2)
    assert pool.run(tasks, lambda task, result: done.setdefault(task.key, result.issues[0].message))
    assert sorted(done) == [t.key for t in tasks]
    pids = [done[t.key] for t in tasks]  # one worker, in queue order: 2 + 2 + 1 tasks per process
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
