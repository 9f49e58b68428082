"""A report written in 岳阳's table form: its left column 职能职责概述 is the 单位基本情况 part."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_left_column_of_the_table_form_names_the_basic_information_part(tmp_path):
    from extractor.model import Status
    from extractor.pipeline import process_submission

    [report] = sorted((ROOT / "samples" / "batch").rglob("*清溪县城市管理监督指挥中心*2024年度部门整体支出绩效自评报告.docx"))
    result = process_submission([report], tmp_path)
    [basic] = [c for c in result.checks if c.rule_id == "section.basic_info"]
    assert basic.status is Status.PASS
