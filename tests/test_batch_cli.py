"""`extractor batch` end to end through the real readers, extractors, checks and report writers."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_batch_pool import make_report

from extractor.cli import main

REPORT_2023 = ["某县测试局2023年度部门整体支出绩效自评报告", "一、单位基本情况", "2023年末实有人数112人，其中在职人员84人，退休人员28人。"]
REPORT_2024 = ["某县测试局2024年度部门整体支出绩效自评报告", "一、单位基本情况",
               "2024年末实有人数108人，较2023年度减少3人，其中在职人员80人，退休人员28人。"]


def docx_bytes(tmp_path: Path, paragraphs: list[str]) -> bytes:
    return make_report(tmp_path / "tmp.docx", *paragraphs).read_bytes()


@pytest.fixture
def submissions_zip(tmp_path: Path) -> Path:
    """Two years of one unit with GBK-encoded names, as Windows zip tools write them."""

    class GbkInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # type: ignore[no-untyped-def]
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    archive = tmp_path / "报送.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(GbkInfo("某县测试局/某县测试局2023年度自评报告.docx"), docx_bytes(tmp_path, REPORT_2023))
        out.writestr(GbkInfo("某县测试局/某县测试局2024年度自评报告.docx"), docx_bytes(tmp_path, REPORT_2024))
        out.writestr(GbkInfo("某县测试局/~$某县测试局2024年度自评报告.docx"), b"lock")
        out.writestr(GbkInfo("其他/填报说明.docx"), docx_bytes(tmp_path, ["填报说明"]))
    return archive


def test_batch_of_a_zip_writes_reports_database_and_cross_year_finding(
    submissions_zip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["batch", str(submissions_zip), "-o", str(out), "-j", "2", "-q"])
    printed = capsys.readouterr()
    assert code == 1  # an error-severity finding
    assert "单位 1 个，报送 2 份，文件 2 个" in printed.out and "未归属文件 1 个" in printed.out
    assert f"问题清单（Excel）：{out / 'discrepancies.xlsx'}" in printed.out
    assert f"核查报告（网页）：{out / 'report.html'}" in printed.out
    assert printed.err == ""  # quiet: no progress
    for name in ["discrepancies.xlsx", "discrepancies.csv", "discrepancies.json", "report.html", "batch.json",
                 "facts/某县测试局_2023.json", "facts/某县测试局_2024.json", "results.sqlite"]:
        assert (out / name).is_file(), name
    facts = json.loads((out / "facts" / "某县测试局_2024.json").read_text(encoding="utf-8"))
    assert facts["schema"] == "extractor.facts" and any(f["label"] == "staff.total" for f in facts["facts"])
    with sqlite3.connect(out / "results.sqlite") as conn:
        cross = list(conn.execute("SELECT submission, message FROM findings WHERE origin='cross_year'"))
        unassigned = [p for (p,) in conn.execute("SELECT path FROM unassigned")]
    assert cross == [("某县测试局|2024", "年末实有人数：2024年报告所述2023年数 111人 与2023年报告 112人 不一致（差额 -1人）")]
    assert unassigned == ["其他/填报说明.docx"]
    summary = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert summary["unassigned"] == ["其他/填报说明.docx"]
    listed = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))
    assert "年末实有人数：2024年报告所述2023年数 111人" in json.dumps(listed, ensure_ascii=False)

    workbook = openpyxl.load_workbook(out / "discrepancies.xlsx", read_only=True)
    rows = [[str(v) for v in r if v is not None] for ws in workbook.worksheets for r in ws.iter_rows(values_only=True)]
    row = next(r for r in rows if "（未归属文件）" in r)  # the 汇总 sheet lists the files that belong to no unit
    assert "其他/填报说明.docx" in row and "未归属，未核查" in row

    first = (out / "discrepancies.json").read_bytes()
    assert main(["batch", str(submissions_zip), "-o", str(out), "-j", "1", "-q"]) == 1
    assert (out / "discrepancies.json").read_bytes() == first  # reused from the database, same bytes


def test_zip_with_escaping_path_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("../../evil.docx", b"x")
    assert main(["batch", str(archive), "-o", str(tmp_path / "out")]) == 2
    assert "[E111]" in capsys.readouterr().err
    assert not (tmp_path / "evil.docx").exists()


def test_legacy_file_without_libreoffice_gets_e103(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "in" / "某县测试局"
    root.mkdir(parents=True)
    (root / "某县测试局2024年度自评报告.docx").write_bytes(docx_bytes(tmp_path, REPORT_2024))
    (root / "附件1 2024.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no soffice on PATH
    out = tmp_path / "out"
    main(["batch", str(tmp_path / "in"), "-o", str(out), "-j", "1", "-q"])
    with sqlite3.connect(out / "results.sqlite") as conn:
        row = conn.execute("SELECT status, error_code, error_message FROM documents WHERE path LIKE '%.xls'").fetchone()
    assert row[0] == "failed" and row[1] == "E103" and "soffice --headless --convert-to xlsx" in row[2]
    assert row[2].startswith("[E103] 某县测试局/附件1 2024.xls: ")  # named as in the input, not by absolute path


FIXTURES = Path(__file__).parent / "fixtures" / "batch"


def legacy_batch(tmp_path: Path) -> Path:
    root = tmp_path / "in" / "某县测试局"
    root.mkdir(parents=True)
    (root / "某县测试局2024年度自评报告.doc").write_bytes((FIXTURES / "legacy_report.doc").read_bytes())
    return tmp_path / "in"


def legacy_figures(out: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(out / "results.sqlite") as conn:
        return list(conn.execute("SELECT source, label, value FROM facts WHERE label='staff.total'"))


def test_doc_file_is_read_through_its_conversion_keeping_its_own_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.readers import sha256_of

    root, out = legacy_batch(tmp_path), tmp_path / "out"
    sha = sha256_of(root / "某县测试局" / "某县测试局2024年度自评报告.doc")
    cache = out / ".converted" / f"{sha}.docx"  # what LibreOffice made of it, as a previous run left it
    cache.parent.mkdir(parents=True)
    cache.write_bytes((FIXTURES / "legacy_report.doc.converted.docx").read_bytes())
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    main(["batch", str(root), "-o", str(out), "-j", "1", "-q"])
    assert legacy_figures(out) == [("某县测试局/某县测试局2024年度自评报告.doc", "staff.total", "108")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (the cached path is tested above)")
def test_doc_file_is_converted_by_libreoffice(tmp_path: Path) -> None:
    root, out = legacy_batch(tmp_path), tmp_path / "out"
    main(["batch", str(root), "-o", str(out), "-j", "1", "-q"])
    assert legacy_figures(out) == [("某县测试局/某县测试局2024年度自评报告.doc", "staff.total", "108")]
    assert len(list((out / ".converted").glob("*.docx"))) == 1


def test_ctrl_c_stops_the_batch_quietly_and_says_how_to_resume(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    root = tmp_path / "in" / "某县测试局"
    root.mkdir(parents=True)
    (root / "某县测试局2024年度自评报告_hang.docx").write_bytes(docx_bytes(tmp_path, REPORT_2024))
    out = tmp_path / "out"
    env = {**os.environ, "EXTRACTOR_TEST_HANG_SUFFIX": "_hang.docx"}
    process = subprocess.Popen(
        [sys.executable, "-m", "extractor", "batch", str(tmp_path / "in"), "-o", str(out), "-j", "1", "-q"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not (out / "results.sqlite").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # the worker is now asleep on the hanging file
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "已中断" in stderr and "重新运行同一命令即可继续" in stderr
    assert "Traceback" not in stderr and stdout == ""



SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "batch"
SAMPLE_FOLDERS = ["清溪县林业局（2023年）", "清溪县林业局（2024年）", "２０２４年度-清溪县第一中学"]


def test_real_pipeline_outputs_are_the_same_bytes_with_one_or_two_workers(tmp_path: Path) -> None:
    """Three sample submissions (DOCX and XLSX annexes, a unit in two years) through everything."""
    root = tmp_path / "in"
    for folder in SAMPLE_FOLDERS:
        shutil.copytree(SAMPLES / folder, root / folder)
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        main(["batch", str(root), "-o", str(out), "-j", workers, "-q"])
        outputs[workers] = {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and p.suffix in (".json", ".csv", ".html", ".xlsx")
        }
    assert outputs["1"] == outputs["2"]
    assert {"discrepancies.xlsx", "report.html", "facts/清溪县林业局_2023.json", "facts/清溪县第一中学_2024.json"} <= set(outputs["1"])
    with sqlite3.connect(tmp_path / "out2" / "results.sqlite") as conn:
        cross = conn.execute("SELECT COUNT(*) FROM checks WHERE origin='cross_year' AND status='pass'").fetchone()[0]
    assert cross > 10  # 林业局 2024 quotes its 2023 figures, and they agree


def test_bad_arguments_are_one_line_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "out"), "--timeout", "0"]) == 2
    assert "[E301]" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "out")]) == 2
    assert "[E101]" in capsys.readouterr().err
