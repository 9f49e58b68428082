"""Resume and determinism: a batch killed with SIGKILL and restarted ends exactly like one that was not."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from standin_work import StandinWork
from test_batch_pool import make_report

from extractor.batch import BatchSettings, execute_batch

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for n, unit in enumerate(["甲局", "乙局", "丙局", "丁局"]):
        make_report(root / unit / f"{unit}2023年度自评报告.docx", f"年末实有人数{20 + n}人。在职人员{18 + n}人。")
        make_report(root / unit / f"{unit}2024年度自评报告.docx", f"年末实有人数{20 + n}人，较2023年度减少{n}人。在职人员{25}人。")
    (root / "填报说明.docx").write_bytes(b"x")
    return root


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but runs (which records the run's own times), sorted."""
    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'") if t != "runs"]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}


def output_bytes(out: Path) -> dict[str, bytes]:
    skip = ("results.sqlite", ".input", ".converted")
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).as_posix().startswith(skip)
    }


def run_quiet(root: Path, out: Path, workers: int) -> None:
    execute_batch(BatchSettings(root, out, workers=workers, timeout=30, quiet=True), StandinWork, io.StringIO())


def committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=0.1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def start_standin_batch(root: Path, out: Path, delay: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STANDIN_DELAY": delay, "PYTHONPATH": f"{FIXTURES}{os.pathsep}{REPO}"}
    script = FIXTURES / "standin_work.py"
    return subprocess.Popen([sys.executable, str(script), str(root), str(out), "1"], env=env, cwd=REPO)


def test_killed_batch_resumes_to_the_same_rows_and_bytes(batch: Path, tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    process = start_standin_batch(batch, killed, delay="0.3")
    deadline = time.monotonic() + 60
    while committed(killed / "results.sqlite") < 1 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done_before = committed(killed / "results.sqlite")
    assert 1 <= done_before < 8  # killed mid-run, after the first commit
    assert not (killed / "batch.json").exists()

    restart = start_standin_batch(batch, killed, delay="0")
    assert restart.wait(timeout=120) == 0
    run_quiet(batch, clean, workers=2)
    assert table_rows(killed / "results.sqlite") == table_rows(clean / "results.sqlite")
    assert output_bytes(killed) == output_bytes(clean)
    with sqlite3.connect(killed / "results.sqlite") as conn:
        runs = list(conn.execute("SELECT status, processed, reused FROM runs ORDER BY id"))
    assert runs[0][0] == "running"  # the killed run never finished
    assert runs[1] == ("done", 8 - done_before, done_before)  # the restart redid only what was lost


def test_outputs_do_not_depend_on_worker_count(batch: Path, tmp_path: Path) -> None:
    run_quiet(batch, tmp_path / "one", workers=1)
    run_quiet(batch, tmp_path / "two", workers=2)
    assert output_bytes(tmp_path / "one") == output_bytes(tmp_path / "two")
    assert table_rows(tmp_path / "one" / "results.sqlite") == table_rows(tmp_path / "two" / "results.sqlite")


def test_rerun_reuses_unchanged_submissions_and_redoes_changed_ones(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = execute_batch(BatchSettings(batch, out, workers=2, quiet=True), StandinWork, io.StringIO())
    assert (first.processed, first.reused) == (8, 0)
    again = execute_batch(BatchSettings(batch, out, workers=2, quiet=True), StandinWork, io.StringIO())
    assert (again.processed, again.reused) == (0, 8)
    make_report(batch / "乙局" / "乙局2024年度自评报告.docx", "年末实有人数99人。在职人员1人。")
    (batch / "丁局" / "丁局2023年度自评报告.docx").unlink()
    third = execute_batch(BatchSettings(batch, out, workers=2, quiet=True), StandinWork, io.StringIO())
    assert (third.processed, third.reused) == (1, 6)
    with sqlite3.connect(out / "results.sqlite") as conn:
        keys = [k for (k,) in conn.execute("SELECT key FROM submissions ORDER BY key")]
        facts = [v for (v,) in conn.execute("SELECT value FROM facts WHERE submission='乙局|2024' ORDER BY seq")]
    assert "丁局|2023" not in keys and len(keys) == 7
    assert facts == ["99", "1"]


def test_reviewer_decisions_are_kept_in_the_database_and_applied_on_rerun(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = execute_batch(BatchSettings(batch, out, workers=2, quiet=True), StandinWork, io.StringIO())
    finding = next(f for r in first.results for f in r.findings)
    (out / "decisions.csv").write_text(f"编号,处理意见,备注\n{finding.id},误报,已电话核实\n", encoding="utf-8-sig")
    second = execute_batch(BatchSettings(batch, out, workers=2, quiet=True), StandinWork, io.StringIO())
    marked = [f for r in second.results for f in r.findings if f.id == finding.id]
    assert [(f.decision, f.remark) for f in marked] == [("误报", "已电话核实")]
    (out / "decisions.csv").unlink()  # the regenerated reports and the database both remember it
    third = execute_batch(BatchSettings(batch, out, workers=2, quiet=True), StandinWork, io.StringIO())
    assert [(f.decision, f.remark) for r in third.results for f in r.findings if f.id == finding.id] == [("误报", "已电话核实")]
    with sqlite3.connect(out / "results.sqlite") as conn:
        assert list(conn.execute("SELECT * FROM decisions")) == [(finding.id, "误报", "已电话核实")]
    assert "已电话核实" in (out / "discrepancies.json").read_text(encoding="utf-8")


def test_an_output_folder_inside_the_input_is_not_read_as_input(batch: Path) -> None:
    out = batch / "核查结果"
    first = execute_batch(BatchSettings(batch, out, workers=2, quiet=True), StandinWork, io.StringIO())
    again = execute_batch(BatchSettings(batch, out, workers=2, quiet=True), StandinWork, io.StringIO())
    assert (out / "discrepancies.json").is_file()
    assert [r.files for r in again.results] == [r.files for r in first.results]
    assert not any("核查结果" in f for r in again.results for f in r.files) and again.unassigned == first.unassigned
