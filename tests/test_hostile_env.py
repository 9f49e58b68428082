"""Hostile environments: every fault of the machine or of OUT is one coded line (exit 2), one
bad name never ends a batch, a full disk keeps the last complete outputs and the next run on
a freed disk re-tries what failed for that reason. A small tmpfs is used where the test may
mount one (root, as in CI); ENOSPC is otherwise injected at the one write function."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_batch_pool import make_report  # noqa: E402

import extractor.batch.outputs as outputs  # noqa: E402
from extractor.batch.outdir import OutLock  # noqa: E402
from extractor.cli import main  # noqa: E402

SKIP_IN_OUT = ("results.sqlite", ".input", ".converted")


def one_line(capsys: pytest.CaptureFixture[str], code: str) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"[{code}] "), err
    assert "Traceback" not in err
    return lines[0]


def output_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).as_posix().startswith(SKIP_IN_OUT)}


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return make_report(tmp_path / "in" / "甲局" / "甲局2024年度自评报告.docx", "年末实有人数10人。在职人员12人。")


def unit(root: Path, name: str, staff: int) -> None:
    make_report(root / name / f"{name}2024年度自评报告.docx", f"年末实有人数{staff}人。在职人员{staff + 2}人。")


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A 4 MiB tmpfs mounted for the test, or None where mounting is not allowed."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True)
    if done.returncode != 0:
        yield None
        return
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


# --- OUT ----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "batch"])
def test_out_that_is_a_file_or_under_a_file(report: Path, tmp_path: Path, command: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    source = str(report) if command == "check" else str(report.parent.parent)
    assert main([command, source, "-o", str(a_file), *(["-q"] if command == "batch" else [])]) == 2
    assert "是一个已有的文件" in one_line(capsys, "E112")
    assert main([command, source, "-o", str(a_file / "sub"), *(["-q"] if command == "batch" else [])]) == 2
    assert "位于一个文件之下" in one_line(capsys, "E112")


def test_out_not_writable(report: Path, tmp_path: Path, tmpfs: Path | None,
                          capsys: pytest.CaptureFixture[str]) -> None:
    if tmpfs is not None:
        subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
        out = tmpfs / "out"
    else:  # not root: a folder without write permission
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        out = locked / "out"
    assert main(["check", str(report), "-o", str(out)]) == 2
    assert "没有写入权限" in one_line(capsys, "E113")


def test_check_into_a_batch_out_and_batch_into_a_check_out_are_refused(
        report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch_out, check_out = tmp_path / "batch_out", tmp_path / "check_out"
    assert main(["batch", str(report.parent.parent), "-o", str(batch_out), "-q", "-j", "1"]) in (0, 1)
    before = output_bytes(batch_out)
    capsys.readouterr()
    assert main(["check", str(report), "-o", str(batch_out)]) == 2
    assert "results.sqlite" in one_line(capsys, "E119")
    assert output_bytes(batch_out) == before
    assert main(["check", str(report), "-o", str(check_out)]) in (0, 1)
    capsys.readouterr()
    assert main(["batch", str(report.parent.parent), "-o", str(check_out), "-q"]) == 2
    one_line(capsys, "E119")


def test_a_second_run_on_a_locked_out_is_refused_naming_the_holder(
        report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with OutLock(out):
        assert main(["check", str(report), "-o", str(out)]) == 2
        line = one_line(capsys, "E118")
        assert f"pid {os.getpid()}" in line
        assert not (out / "discrepancies.json").exists()
    assert main(["check", str(report), "-o", str(out)]) in (0, 1)  # released: the next run goes on
    assert (out / ".extractor.lock").read_text() == ""


# --- the input ----------------------------------------------------------------------------

def test_bad_names_and_symlink_loops_are_one_entry_each(report: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = report.parent.parent
    bad = os.fsencode(root / "乙局") + b"/\xff\xfe\xe4.docx"
    os.makedirs(os.path.dirname(bad), exist_ok=True)
    Path(os.fsdecode(bad)).write_bytes(report.read_bytes())
    os.makedirs(os.fsencode(root) + b"/\xff\xfe", exist_ok=True)
    (root / "loop_a.docx").symlink_to(root / "loop_b.docx")
    (root / "loop_b.docx").symlink_to(root / "loop_a.docx")
    out = tmp_path / "out"
    assert main(["batch", str(root), "-o", str(out), "-q", "-j", "1"]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert sorted(line[:6] for line in lines) == ["[E115]", "[E115]", "[E116]", "[E116]"], err
    assert "乙局/\\xff\\xfe\\xe4.docx" in err
    assert (out / "discrepancies.json").is_file() and (out / "facts" / "甲局_2024.json").is_file()


def test_zip_member_that_is_a_file_and_a_folder_is_e117(report: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "clash.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("甲局/报告", b"a file")
        z.writestr("甲局/报告/甲局2024年度自评报告.docx", report.read_bytes())
    assert main(["batch", str(archive), "-o", str(tmp_path / "out"), "-q"]) == 2
    assert "甲局/报告" in one_line(capsys, "E117")


# --- a full disk --------------------------------------------------------------------------

def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_full_disk_keeps_the_last_outputs_and_a_freed_disk_resumes(
        report: Path, tmp_path: Path, tmpfs: Path | None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = report.parent.parent
    out = (tmpfs or tmp_path) / "out"
    assert main(["batch", str(root), "-o", str(out), "-q", "-j", "1"]) in (0, 1)
    first = output_bytes(out)
    unit(root, "乙局", 30)
    capsys.readouterr()
    if tmpfs is not None:
        filler = fill(tmpfs)
    else:  # no mount allowed: the one write function fails as a full disk does
        def no_space(path: Path, text: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        monkeypatch.setattr(outputs, "write_atomic", no_space)
    assert main(["batch", str(root), "-o", str(out), "-q", "-j", "1"]) == 2
    assert "磁盘空间不足" in one_line(capsys, "E114")
    assert output_bytes(out) == first  # the last complete outputs, untouched
    if tmpfs is not None:
        filler.unlink()
    monkeypatch.undo()
    assert main(["batch", str(root), "-o", str(out), "-q", "-j", "1"]) in (0, 1)
    clean = tmp_path / "clean"
    assert main(["batch", str(root), "-o", str(clean), "-q", "-j", "1"]) in (0, 1)
    assert output_bytes(out) == output_bytes(clean)


def test_a_submission_failed_by_the_machine_is_never_reused(
        report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker cannot write a facts file (ENOSPC; the disk freed before the parent writes): the
    submission is stored as failed (E110 from the worker); the next run processes it again
    instead of reusing the failure."""
    import sqlite3

    root, out = report.parent.parent, tmp_path / "out"
    real, parent = outputs.write_atomic, os.getpid()

    def facts_fail(path: Path, text: object) -> None:
        if path.parent.name == "facts" and os.getpid() != parent:  # in the worker only
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, text)  # type: ignore[arg-type]

    monkeypatch.setattr(outputs, "write_atomic", facts_fail)
    main(["batch", str(root), "-o", str(out), "-q", "-j", "1"])
    with sqlite3.connect(out / "results.sqlite") as conn:
        assert conn.execute("SELECT status FROM submissions").fetchall() == [("failed",)]
    monkeypatch.undo()
    assert main(["batch", str(root), "-o", str(out), "-q", "-j", "1"]) in (0, 1)
    with sqlite3.connect(out / "results.sqlite") as conn:
        assert conn.execute("SELECT status FROM submissions").fetchall() == [("ok",)]
        assert conn.execute("SELECT processed, reused FROM runs ORDER BY id DESC LIMIT 1").fetchone() == (1, 0)
