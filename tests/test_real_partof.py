"""Part-of discipline on real sentences: a 其中 list ends with its bracket, its full stop or a
heading run into the text, and reads on over its semicolons."""

from __future__ import annotations

from extractor.model import Severity

LINCHENG = ("我局承担临城县2021年度财政衔接资金统筹整合使用道路建设项目实施任务,该项目分三批实施,"
            "一批项目县级批复总投资3374.3万元(其中建筑工程3292万元),二批项目县级批复总投资2069.51万元"
            "(其中建筑工程1975.775万元),三批项目县级批复投资778.59万元(其中建筑工程757.44万元),"
            "合计批复总投资6222.4万元(其中建筑工程6025.215万元)。")
LEIYANG = ("我校2022年按生均1000元安排,共计239万元,其中上级资金179.25万元,本级59.75万元,"
           "项目绩效目标是保证学校的正常运转二、项目资金使用及管理情况我校生均公用经费项目,资金严格按照"
           "上级有关文件的要求使用三、预算支出组织实施情况我校2022年财政安排支出共计87.06万元,余款安排下年支出")
TANGXI = ("本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
          "30万元用于基建工程项目设计、规划、测绘。 本项目共完成预算资金89.97万元。")


def parts_of(extraction, raw):
    [total] = [f for f in extraction.facts if f.raw == raw]
    return sorted(f.raw for f in extraction.facts if f.part_of == total.id)


def test_a_qizhong_in_a_bracket_ends_with_the_bracket(read_parts):
    extraction = read_parts(LINCHENG)
    assert parts_of(extraction, "778.59万元") == ["757.44万元"]
    assert parts_of(extraction, "3374.3万元") == ["3292万元"]
    assert all(f.part_of is None for f in extraction.facts if f.raw in ("6222.4万元", "三批"))


def test_a_heading_run_into_the_text_ends_the_list(read_parts):
    extraction = read_parts(LEIYANG)
    assert parts_of(extraction, "239万元") == ["179.25万元", "59.75万元"]


def test_a_list_reads_on_over_semicolons_and_ends_at_the_full_stop(read_parts):
    extraction = read_parts(TANGXI)
    assert parts_of(extraction, "90万元") == ["30万元", "30万元", "30万元"]
    [done] = [f for f in extraction.facts if f.raw == "89.97万元"]
    assert done.part_of is None


def test_no_error_finding_on_the_lincheng_and_leiyang_sentences(make_docx, tmp_path):
    from extractor.pipeline import process_submission

    for text in (LINCHENG, LEIYANG):
        path = make_docx([text])
        result = process_submission([path], tmp_path)
        assert [f.message for f in result.findings if f.severity is Severity.ERROR] == []
