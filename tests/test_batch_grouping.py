"""Files -> submissions on messy real-world names (a table of names -> expected groups)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.batch.discover import discover_files
from extractor.batch.grouping import ANNEX1, ANNEX2, REPORT, group_files, parse_name


@pytest.mark.parametrize(
    ("name", "unit", "year", "part"),
    [
        ("益阳市住房公积金中心2024年度部门整体支出绩效自评报告.docx", "益阳市住房公积金中心", 2024, REPORT),
        ("附件1_２０２４_益阳市住房公积金中心_基础数据表.xlsx", "益阳市住房公积金中心", 2024, ANNEX1),
        ("（２０２４）某县财政局—附件一.pdf", "某县财政局", 2024, ANNEX1),
        ("附件2 某县财政局 2024年 部门整体支出绩效自评表.pdf", "某县财政局", 2024, ANNEX2),
        ("2024年度某县财政局部门整体支出绩效自评报告（定稿）.docx", "某县财政局", 2024, REPORT),
        ("某县财政局-2024-附件二.xlsx", "某县财政局", 2024, ANNEX2),
        ("01_某县教育局_2023.pdf", "某县教育局", 2023, REPORT),
        ("二〇二四年某县教育局自评报告.wps", "某县教育局", 2024, REPORT),
        ("自评报告.docx", "", None, REPORT),
        ("附件1.xlsx", "", None, ANNEX1),
    ],
)
def test_parse_name(name: str, unit: str, year: int | None, part: str) -> None:
    info = parse_name(name)
    assert (info.unit, info.year, info.part) == (unit, year, part)


def groups(paths: list[str]) -> dict[str, tuple[str, ...]]:
    grouping = group_files(paths)
    return {s.key: s.files for s in grouping.submissions} | {"unassigned": grouping.unassigned}


def test_shared_folder_groups_by_unit_and_year_in_any_order() -> None:
    paths = [
        "全部/某县财政局2024年度部门整体支出绩效自评报告.docx",
        "全部/附件1_２０２４_某县财政局_基础数据表.xlsx",
        "全部/2024—某县财政局—附件二.pdf",
        "全部/附件一（某县教育局）2024.xlsx",
        "全部/2024年某县教育局部门整体支出绩效自评报告.pdf",
        "全部/某县教育局2023年度部门整体支出绩效自评报告.docx",
        "全部/填报说明.docx",
        "全部/附件2.xlsx",
    ]
    assert groups(paths) == {
        "某县教育局|2023": ("全部/某县教育局2023年度部门整体支出绩效自评报告.docx",),
        "某县教育局|2024": ("全部/2024年某县教育局部门整体支出绩效自评报告.pdf", "全部/附件一（某县教育局）2024.xlsx"),
        "某县财政局|2024": (
            "全部/某县财政局2024年度部门整体支出绩效自评报告.docx",
            "全部/附件1_２０２４_某县财政局_基础数据表.xlsx",
            "全部/2024—某县财政局—附件二.pdf",
        ),
        "unassigned": ("全部/填报说明.docx", "全部/附件2.xlsx"),
    }


def test_unit_folder_is_one_submission_and_supplies_unit_and_year() -> None:
    paths = [
        "某县水利局/2024/自评报告.docx",
        "某县水利局/2024/附件1.xlsx",
        "某县水利局/2024/附件2 自评表.pdf",
        "某县林业局2024/报告.docx",
        "某县林业局2024/基础数据表.xlsx",
    ]
    result = group_files(paths)
    assert [(s.unit, s.year, s.report) for s in result.submissions] == [
        ("某县林业局", 2024, "某县林业局2024/报告.docx"),
        ("某县水利局", 2024, "某县水利局/2024/自评报告.docx"),
    ]
    assert result.submissions[1].files[1:] == ("某县水利局/2024/附件1.xlsx", "某县水利局/2024/附件2 自评表.pdf")
    assert result.unassigned == ()


def test_unit_folder_with_two_years_splits_by_year_and_prefix_variants_merge() -> None:
    paths = [
        "交通局/益阳市交通运输局2023年度自评报告.docx",
        "交通局/交通运输局2024年度自评报告.docx",
        "交通局/附件1 2024.xlsx",
        "交通局/附件1.xlsx",  # no year, two years in the folder: nobody's
    ]
    assert groups(paths) == {
        "益阳市交通运输局|2023": ("交通局/益阳市交通运输局2023年度自评报告.docx",),
        "益阳市交通运输局|2024": ("交通局/交通运输局2024年度自评报告.docx", "交通局/附件1 2024.xlsx"),
        "unassigned": ("交通局/附件1.xlsx",),
    }


def test_grouping_does_not_depend_on_input_order() -> None:
    paths = [f"a/某县{n}局2024年度自评报告.docx" for n in "甲乙丙丁"] + ["a/附件1_某县乙局_2024.xlsx"]
    assert group_files(paths) == group_files(list(reversed(paths)))


def test_discover_skips_lock_hidden_and_unknown_files(tmp_path: Path) -> None:
    for name in ["a/报告.docx", "a/~$报告.docx", "a/.hidden.pdf", ".git/x.docx", "a/b/附件1.XLSX", "a/notes.txt",
                 "a/old.doc", "__MACOSX/a/报告.docx"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert discover_files(tmp_path) == ["a/b/附件1.XLSX", "a/old.doc", "a/报告.docx"]


SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "batch"


def test_sample_batch_groups_as_its_truth_file_says() -> None:
    """samples/batch (helper C's generated submissions, messy names by design) against truth.json."""
    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
    present = set(discover_files(SAMPLES))
    expected = {
        (s["unit"], s["year"]): sorted({f["path"] for f in s["files"]} & present)
        for s in truth["submissions"]
    }
    expected = {key: files for key, files in expected.items() if files}
    result = group_files(sorted(present), SAMPLES.name)
    assert {(s.unit, s.year): sorted(s.files) for s in result.submissions} == expected
    assert result.unassigned == ()
    for submission in result.submissions:
        assert submission.report is not None and parse_name(Path(submission.report).name).part == REPORT


MESSY = [
    "全部/某县财政局2024年度部门整体支出绩效自评报告.docx", "全部/附件1_２０２４_某县财政局_基础数据表.xlsx",
    "全部/2024—某县财政局—附件二.pdf", "全部/附件一（某县教育局）2024.xlsx", "全部/填报说明.docx",
    "全部/2024年某县教育局部门整体支出绩效自评报告.pdf", "某县水利局/2024/自评报告.docx", "某县水利局/2024/附件1.xlsx",
    "交通局/益阳市交通运输局2023年度自评报告.docx", "交通局/交通运输局2024年度自评报告.docx", "交通局/附件1.xlsx",
]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@settings(max_examples=40, deadline=None)
@given(st.permutations(MESSY))
def test_grouping_is_the_same_for_any_input_order(paths: list[str]) -> None:
    assert group_files(paths) == group_files(MESSY)


@settings(max_examples=40, deadline=None)
@given(st.integers(1990, 2099), st.sampled_from(["_", "-", "—", " ", "（", "、"]), st.booleans())
def test_year_and_unit_survive_separators_full_width_digits_and_order(year: int, sep: str, unit_first: bool) -> None:
    parts = ["清溪县档案馆", f"{year}年度", "附件2"]
    name = sep.join(parts if unit_first else reversed(parts))
    for variant in (name, name.translate(FULL_WIDTH)):
        info = parse_name(variant + ".xlsx")
        assert (info.unit, info.year, info.part) == ("清溪县档案馆", year, ANNEX2)


def _patterns_with_grouping(tmp_path, old: str, new: str):
    import shutil

    from extractor.datafiles import DEFAULT_PATTERNS_DIR

    folder = tmp_path / "patterns"
    shutil.copytree(DEFAULT_PATTERNS_DIR, folder)
    text = (folder / "grouping.toml").read_text(encoding="utf-8")
    assert old in text
    (folder / "grouping.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_grouping_vocabulary_is_data_and_a_bad_entry_names_file_and_key(tmp_path):
    import pytest

    from extractor.batch.vocabulary import load_vocabulary
    from extractor.errors import PatternError

    words = load_vocabulary()
    assert "自评表" in words.titles and words.year.search("2024年度").group(1) == "2024"
    cases = [
        ("annex1 = '''附件", "annex1 = '''(附件", "patterns.annex1"),  # unbalanced bracket
        ("year = '''(?<!\\d)((?:19|20)\\d{2})", "year = '''(?<!\\d)(?:19|20)\\d{2}(", "patterns.year"),
        ('ascii = "00123456789"', 'ascii = "0012345678"', "digits.ascii"),
        ('annex = ["附件"]', "annex = []", "words.annex"),
        ("han = ", "hans = ", "patterns.han"),
    ]
    for old, new, key in cases:
        with pytest.raises(PatternError) as caught:
            load_vocabulary(_patterns_with_grouping(tmp_path / key, old, new))
        assert "grouping.toml" in str(caught.value) and key in str(caught.value), (key, str(caught.value))
