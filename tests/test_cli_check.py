"""`extractor check REPORT [ANNEX ...] -o DIR`: outputs and exit codes, through real files."""

import json
from pathlib import Path

import docx

from extractor.cli import main

YIYANG = Path(__file__).resolve().parent.parent / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx"
OUTPUTS = {"discrepancies.xlsx", "discrepancies.csv", "discrepancies.json", "report.html"}


def make_report(path: Path, basic_public: str) -> Path:
    document = docx.Document()
    document.add_paragraph("2024年度清溪县测试局整体支出绩效自评报告")
    document.add_paragraph("一、单位基本情况")
    document.add_paragraph("2024年年末实有人数30人，其中：在职人员25人，退休人员5人。")
    document.add_paragraph("二、一般公共预算支出情况")
    document.add_paragraph(
        f"2024年基本支出2348.75万元，其中人员经费支出1939.62万元，公用经费支出{basic_public}万元。"
    )
    document.add_paragraph("三、部门整体支出绩效情况")
    document.add_paragraph("全年目标基本完成。")
    document.add_paragraph("四、存在的问题及原因分析")
    document.add_paragraph("无。")
    document.add_paragraph("五、下一步改进措施")
    document.add_paragraph("加强管理。")
    document.save(path)
    return path


def test_yiyang_sample_has_no_error_finding(tmp_path):
    assert main(["check", str(YIYANG), "-o", str(tmp_path)]) == 0
    assert OUTPUTS <= {p.name for p in tmp_path.iterdir()}
    data = json.loads((tmp_path / "discrepancies.json").read_text(encoding="utf-8"))
    assert data["submissions"][0]["unit"] == "益阳市住房公积金管理中心"
    assert all(f["severity"] != "error" for f in data["findings"])


def test_planted_sum_error_exits_1_and_is_listed(tmp_path):
    report = make_report(tmp_path / "清溪县测试局2024年自评报告.docx", "409.23")
    out = tmp_path / "out"
    assert main(["check", str(report), "-o", str(out)]) == 1
    data = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))
    basic = [f for f in data["findings"] if f["rule"] == "sum.basic"]
    assert len(basic) == 1 and basic[0]["severity"] == "error" and basic[0]["level"] == "mandatory"
    assert basic[0]["difference"] == "-0.10万元"
    assert "409.23万元" in "".join(basic[0]["excerpts"])


def test_consistent_report_without_annexes_exits_0_with_warnings(tmp_path):
    report = make_report(tmp_path / "清溪县测试局2024年自评报告.docx", "409.13")
    out = tmp_path / "out"
    assert main(["check", str(report), "-o", str(out)]) == 0
    data = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))
    assert {f["rule"] for f in data["findings"]} >= {"annex.basic_data", "annex.self_eval"}


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "无此文件.docx"), "-o", str(tmp_path / "out")]) == 2
    assert "E101" in capsys.readouterr().err


def test_decision_file_is_read_back_on_the_next_run(tmp_path):
    report = make_report(tmp_path / "r.docx", "409.23")
    out = tmp_path / "out"
    main(["check", str(report), "-o", str(out)])
    first = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))
    target = next(f["id"] for f in first["findings"] if f["rule"] == "sum.basic")
    (out / "decisions.csv").write_text(
        f"id,处理意见,备注\n{target},已更正,单位已重报\n", encoding="utf-8-sig"
    )
    main(["check", str(report), "-o", str(out)])
    second = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))
    shown = next(f for f in second["findings"] if f["id"] == target)
    assert (shown["decision"], shown["remark"]) == ("已更正", "单位已重报")


def test_same_input_same_bytes(tmp_path):
    report = make_report(tmp_path / "r.docx", "409.23")
    for name in ("a", "b"):
        main(["check", str(report), "-o", str(tmp_path / name)])
    for output in sorted(OUTPUTS):
        assert (tmp_path / "a" / output).read_bytes() == (tmp_path / "b" / output).read_bytes(), output
