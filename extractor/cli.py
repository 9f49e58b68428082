"""Command line: the only module that prints or picks exit codes.

Exit codes: 0 done and no error-severity finding, 1 findings of error severity,
2 usage, input or pattern error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ExtractorError

if TYPE_CHECKING:
    from .model import SubmissionResult

EXAMPLES = {
    "read": "例：extractor read samples/yiyang_hpf_2024/yiyang_hpf_2024.docx",
    "extract": "例：extractor extract 报告.docx 附件1.xlsx -o output/",
    "check": "例：extractor check 报告.docx 附件1.xlsx 附件2.pdf -o output/单位",
    "batch": "例：extractor batch samples/batch -o output/",
}
ANNOTATE_HELP = "另存每个单位的文件副本并在问题处加批注，附审核意见，写入 OUT/返回修改/"
PATTERNS_HELP = "规则与词表文件夹（默认：安装的 patterns/，或环境变量 EXTRACTOR_PATTERNS）"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extractor", description="绩效自评报告核查")
    parser.add_argument("--debug", action="store_true", help="出错时显示完整的错误堆栈")
    parser.add_argument("--patterns", type=Path, default=None, metavar="DIR", help=PATTERNS_HELP)
    common = argparse.ArgumentParser(add_help=False)  # --patterns after the command too
    common.add_argument("--patterns", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=PATTERNS_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    read = sub.add_parser("read", parents=[common], help="显示工具读到的文档结构", epilog=EXAMPLES["read"])
    read.add_argument("files", nargs="+", type=Path)
    read.add_argument("--json", action="store_true", help="输出文档模型 JSON")

    extract = sub.add_parser("extract", parents=[common], help="抽取数字事实为 JSON", epilog=EXAMPLES["extract"])
    extract.add_argument("files", nargs="+", type=Path, help="报告及其附件文件")
    extract.add_argument("-o", "--out", type=Path, help="写入 DIR/<stem>.json，而不是标准输出")

    check = sub.add_parser("check", parents=[common], help="核查一份报告及其附件，输出问题清单", epilog=EXAMPLES["check"])
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("-o", "--out", type=Path, required=True)
    check.add_argument("--annotate", action="store_true", help=ANNOTATE_HELP)

    batch = sub.add_parser("batch", parents=[common], help="批量核查一个文件夹或 zip", epilog=EXAMPLES["batch"])
    batch.add_argument("input", type=Path)
    batch.add_argument("-o", "--out", type=Path, required=True)
    batch.add_argument("-j", "--workers", type=int, default=None, help="并行进程数，默认每核一个")
    batch.add_argument("--timeout", type=float, default=120.0, help="单个文件的读取时限（秒）")
    batch.add_argument("--fail-fast", action="store_true", help="遇到第一个出错文件即停止")
    batch.add_argument("-q", "--quiet", action="store_true", help="不显示进度，只输出汇总")
    batch.add_argument("--annotate", action="store_true", help=ANNOTATE_HELP)
    return parser


def cmd_read(args: argparse.Namespace) -> int:
    from .readers import read_document
    from .report.render import render_document
    from .serialize import dumps

    for path in args.files:
        doc = read_document(path, path.parent)
        out = dumps(doc, "extractor.document", "1.0") if args.json else render_document(doc)
        sys.stdout.write(out)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract import extract_files
    from .serialize import dumps, write_atomic

    root = args.files[0].parent
    text = dumps(extract_files(args.files, root), "extractor.facts", "1.0")
    if args.out:
        write_atomic(args.out / f"{args.files[0].stem}.json", text)
    else:
        sys.stdout.write(text)
    return 0


def import_openpyxl_without_numpy() -> None:
    """openpyxl imports numpy, when installed, only to accept numpy numbers in cells; the
    reports never write one, and numpy is a quarter of `check`'s start-up. Hide it while
    openpyxl loads; numpy stays importable for whatever needs it later."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


def cmd_check(args: argparse.Namespace) -> int:
    from .model import Severity
    from .pipeline import process_submission
    from .report import read_decisions, write_reports

    decisions = read_decisions(args.out)
    result = process_submission(args.files, args.files[0].parent, decisions, patterns=args.bundle)
    for issue in result.issues:
        print(issue.message, file=sys.stderr)
    paths = write_reports([result], args.out, returned=args.annotate)
    for path in paths:
        print(path)
    if args.annotate:
        print("\n".join(_annotate_check(result, args.files, args.out)))
    if not result.extraction.sources:
        return 2
    return 1 if any(f.severity is Severity.ERROR for f in result.findings) else 0


def _annotate_check(result: SubmissionResult, files: Sequence[Path], out: Path) -> list[str]:
    from .annotate import annotate_all
    from .readers import source_name
    from .report import raws_by_place

    root = files[0].parent
    paths = {source_name(path, root): path for path in files}
    counts = annotate_all([result], raws_by_place([result]), root, out, paths)
    return counts.summary_lines(out)


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    return run_batch(
        args.input,
        args.out,
        workers=args.workers,
        timeout=args.timeout,
        fail_fast=args.fail_fast,
        quiet=args.quiet,
        patterns=args.bundle,
        annotate=args.annotate,
    )


COMMANDS = {"read": cmd_read, "extract": cmd_extract, "check": cmd_check, "batch": cmd_batch}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import_openpyxl_without_numpy()  # before the patterns: loading them reaches report/ and openpyxl
    try:
        from .patterns import activated, load_patterns

        with activated(load_patterns(args.patterns)) as args.bundle:  # every file validated before any work
            return COMMANDS[args.command](args)
    except ExtractorError as exc:
        if args.debug:
            traceback.print_exc()
        print(str(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - last line of defence, one line unless --debug
        if args.debug:
            raise
        print(f"[E110] 内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）", file=sys.stderr)
        return 2
