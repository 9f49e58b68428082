"""The command line as people expect it: every argument and option explained in Chinese with an
example, --version, usage errors in Chinese, the batch summary naming the output to open first."""

import argparse
from pathlib import Path

import pytest

from extractor import __version__
from extractor.batch.progress import summary_text
from extractor.cli import build_parser, main

CJK = range(0x4E00, 0xA000)


def chinese(text: str | None) -> bool:
    return bool(text) and any(ord(c) in CJK for c in text)


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_argument_and_option_is_explained_in_chinese_with_an_example():
    for name, parser in {"": build_parser(), **subparsers()}.items():
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert chinese(action.help), f"{name} {action.dest}"
        if name:
            assert "例：" in parser.epilog and f"extractor {name} " in parser.epilog


def test_batch_help_explains_input_and_out(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["batch", "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "文件夹或 zip" in text and "输出目录" in text and "extractor batch samples/batch -o output/" in text
    assert "show this help" not in text and "positional arguments" not in text and text.startswith("用法：")


def test_version_and_usage_errors(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"extractor {__version__}"
    with pytest.raises(SystemExit) as stop:
        main(["batch", "samples/batch"])
    assert stop.value.code == 2
    assert "缺少必填参数：-o/--out" in capsys.readouterr().err


def test_batch_summary_ends_with_the_output_to_open_first(tmp_path):
    reports = [tmp_path / n for n in ("discrepancies.xlsx", "discrepancies.csv", "report.html", "batch.json")]
    text = summary_text([], [], 1.0, reports)
    assert text.splitlines()[-1].startswith(f"请先打开：{tmp_path / 'report.html'}")
    assert summary_text([], [], 1.0, reports[:2]).splitlines()[-1].startswith(
        f"请先打开：{Path(tmp_path / 'discrepancies.xlsx')}"
    )
