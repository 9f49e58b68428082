"""Command line: the only module that prints or picks exit codes.

Exit codes: 0 done and no error-severity finding, 1 findings of error severity (those the
reviewer marked 误报 do not count), 2 usage, input or pattern error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .errors import MESSAGES, ExtractorError, environment_fault

if TYPE_CHECKING:
    from .model import SubmissionResult
    from .patterns import Patterns

EXAMPLES = {
    "read": "例：\n  extractor read samples/yiyang_hpf_2024/yiyang_hpf_2024.docx\n  extractor read 附件1.xlsx --json > 附件1.json",
    "extract": "例：\n  extractor extract 报告.docx 附件1.xlsx -o output/\n  extractor extract 报告.docx > 报告.json",
    "check": "例：\n  extractor check 报告.docx 附件1.xlsx 附件2.pdf -o output/单位\n"
    "  （结果写入 output/单位/：discrepancies.xlsx、report.html 等；处理意见可填在 discrepancies.xlsx 中，下次运行保留）",
    "batch": "例：\n  extractor batch samples/batch -o output/\n  extractor batch 报送材料.zip -o output/ -j 4 --timeout 300\n"
    "  （每个单位一个文件夹，或文件名中含单位和年度；先打开 output/report.html；再次运行同一命令只核查有变动的单位）",
}
ANNOTATE_HELP = "另存每个单位的文件副本并在问题处加批注，附审核意见，写入 输出目录/返回修改/（例：--annotate）"
MAIN_EPILOG = "每个子命令的说明：extractor 子命令 --help，例：extractor batch --help"
HELP = "显示本说明后退出"


class ChineseHelp(argparse.RawDescriptionHelpFormatter):
    """argparse's own words (usage, the -h line, section titles) in Chinese."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


ARGPARSE_WORDS = (  # argparse's messages, in the reviewer's words
    ("the following arguments are required: ", "缺少必填参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid choice: ", "无效的选择："),
    ("invalid int value: ", "应为整数："),
    ("invalid float value: ", "应为数字："),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
)


class ChineseParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for english, chinese in ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{message}（查看说明：{self.prog} --help）\n")


def _chinese(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help=HELP)
    return parser


def _subparser(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, name: str, help_text: str
) -> argparse.ArgumentParser:
    return _chinese(sub.add_parser(
        name, parents=[common], help=help_text, description=help_text, epilog=EXAMPLES[name],
        formatter_class=ChineseHelp, add_help=False,
    ))

PATTERNS_HELP = "规则与词表文件夹（默认：安装的 patterns/，或环境变量 EXTRACTOR_PATTERNS；例：--patterns 我的规则/）"


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _chinese(ChineseParser(
        prog="extractor", description="绩效自评报告核查：读取部门整体支出绩效自评报告及其附表，核对每一个数字",
        epilog=MAIN_EPILOG, formatter_class=ChineseHelp, add_help=False,
    ))
    parser.add_argument("--version", action="version", version=f"extractor {__version__}", help="显示版本号后退出")
    parser.add_argument("--debug", action="store_true", help="出错时显示完整的错误堆栈（例：extractor --debug check 报告.docx -o out）")
    parser.add_argument("--patterns", type=Path, default=None, metavar="目录", help=PATTERNS_HELP)
    common = argparse.ArgumentParser(add_help=False)  # --patterns after the command too
    common.add_argument("--patterns", type=Path, default=argparse.SUPPRESS, metavar="目录", help=PATTERNS_HELP)
    sub = parser.add_subparsers(
        dest="command", required=True, title="子命令", metavar="子命令", parser_class=ChineseParser
    )

    read = _subparser(sub, common, "read", "显示工具读到的文档结构（段落、标题、表格）")
    read.add_argument("files", nargs="+", type=Path, metavar="文件", help="要查看的 DOCX、PDF 或 XLSX 文件，可多个")
    read.add_argument("--json", action="store_true", help="输出文档模型 JSON，而不是文本视图")

    extract = _subparser(sub, common, "extract", "抽取数字事实为 JSON")
    extract.add_argument("files", nargs="+", type=Path, metavar="文件", help="报告及其附件文件，报告在前")
    extract.add_argument("-o", "--out", type=Path, metavar="目录", help="写入 目录/<报告文件名>.json，而不是标准输出")

    check = _subparser(sub, common, "check", "核查一份报告及其附件，输出问题清单")
    check.add_argument("files", nargs="+", type=Path, metavar="文件", help="一个单位的报告及其附件（DOCX、PDF、XLSX），报告在前")
    check.add_argument("-o", "--out", type=Path, required=True, metavar="目录",
                       help="输出目录（必填）：写入 discrepancies.xlsx/.csv/.json 和 report.html")
    check.add_argument("--annotate", action="store_true", help=ANNOTATE_HELP)

    batch = _subparser(sub, common, "batch", "批量核查一个文件夹或 zip 中的所有单位")
    batch.add_argument("input", type=Path, metavar="输入",
                       help="报送材料所在的文件夹或 zip 文件；按子文件夹或文件名中的单位和年度分组")
    batch.add_argument("-o", "--out", type=Path, required=True, metavar="目录",
                       help="输出目录（必填）：问题清单、网页报告、facts/、batch.json 和 results.sqlite（用于续跑）")
    batch.add_argument("-j", "--workers", type=int, default=None, metavar="N", help="并行进程数，默认每个 CPU 核一个（例：-j 2）")
    batch.add_argument("--timeout", type=float, default=300.0, metavar="秒",  # a 10-page scan by OCR: ~70 s CPU
                       help="单个文件的读取时限，超时记为读取失败并继续（默认 300，可容 10 页扫描件 OCR；例：--timeout 600）")
    batch.add_argument("--fail-fast", action="store_true", help="遇到第一个读取失败的文件即停止（默认记录后继续）")
    batch.add_argument("-q", "--quiet", action="store_true", help="不显示进度，只输出最后的汇总")
    batch.add_argument("--annotate", action="store_true", help=ANNOTATE_HELP)
    batch.add_argument("--scheduler", default=None, metavar="地址",
                       help="在 Dask 集群上运行：tcp://主机:8786，或 local:N（本机 N 个进程）；需安装 .[cluster]"
                       "（例：--scheduler local:4；见 docs/cluster.md）")
    for command in (read, extract, check, batch):
        command.add_argument("--ocr", choices=("auto", "off", "force"), default="auto",
                             help="扫描件 PDF 的 OCR：auto 无文字层时识别（默认，需安装 .[ocr]），off 不识别，force 全部页面识别")
    return parser


def cmd_read(args: argparse.Namespace) -> int:
    from .readers import read_document
    from .report.render import render_document
    from .serialize import dumps

    for path in args.files:
        doc = read_document(path, path.parent, args.bundle.headings)
        out = dumps(doc, "extractor.document", "1.0") if args.json else render_document(doc)
        sys.stdout.write(out)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract import extract_files
    from .serialize import dumps, write_atomic

    root = args.files[0].parent
    text = dumps(extract_files(args.files, root, args.bundle), "extractor.facts", "1.0")
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
    from .batch.outdir import claim_out
    from .model import Severity
    from .pipeline import process_submission
    from .report import read_decisions, write_reports

    with claim_out(args.out, "check"):
        decisions = read_decisions(args.out)
        result = process_submission(args.files, args.files[0].parent, decisions, patterns=args.bundle)
        result = _later_submission(result, args.files, args.out)
        for issue in result.issues:
            print(coded(issue.code, issue.message), file=sys.stderr)
        paths = write_reports([result], args.out, returned=args.annotate, source_root=args.files[0].parent)
    for path in paths:
        print(path)
    if args.annotate:
        print("\n".join(_annotate_check(result, args.files, args.out, args.bundle)))
    if not result.extraction.sources:
        return 2
    return 1 if any(f.severity is Severity.ERROR and not f.dismissed for f in result.findings) else 0


def _later_submission(result, files: Sequence[Path], out: Path):  # type: ignore[no-untyped-def]
    """已更正 findings found again in other files than last checked into `out` read 未改正."""
    import dataclasses

    from .pipeline import sha256_of
    from .report.decisions import files_print, not_corrected, read_seen, resubmitted, seen_key, write_seen

    if not result.extraction.sources:
        return result
    seen, key = read_seen(out), seen_key(result.unit, result.year)
    now = files_print({name: sha256_of(path) for name, path in zip(result.files, files)})
    if resubmitted(seen, key, now):
        result = dataclasses.replace(result, findings=not_corrected(result.findings))
    write_seen(out, {**seen, key: now})
    return result


def _annotate_check(result: SubmissionResult, files: Sequence[Path], out: Path, patterns: Patterns) -> list[str]:
    from .annotate import annotate_all
    from .readers import source_name
    from .report import raws_by_place

    root = files[0].parent
    paths = {source_name(path, root): path for path in files}
    counts = annotate_all([result], raws_by_place([result]), root, out, paths, letter=patterns.letter)
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
        scheduler=args.scheduler,
    )


def coded(code: str, message: str) -> str:
    """The message as one coded line ("[W301] …"), whether or not it carries its code."""
    line = " ".join(message.split("\n"))
    return line if line.startswith("[") else f"[{code}] {line}"


COMMANDS = {"read": cmd_read, "extract": cmd_extract, "check": cmd_check, "batch": cmd_batch}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import_openpyxl_without_numpy()  # before the patterns: loading them reaches report/ and openpyxl
    from .readers.ocr_mode import set_ocr_mode

    set_ocr_mode(args.ocr)  # in the environment: batch workers read it too
    try:
        from .patterns import activated, load_patterns

        with activated(load_patterns(args.patterns)) as args.bundle:  # every file validated before any work
            return COMMANDS[args.command](args)
    except ExtractorError as exc:
        if args.debug:
            traceback.print_exc()
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:  # the machine: OUT not writable, a file, disk full
        if args.debug:
            traceback.print_exc()
        print(str(environment_fault(exc, getattr(args, "out", None) or "")), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - last line of defence, one line unless --debug
        if args.debug:
            raise
        detail = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:200]
        print(f"[E110] {MESSAGES['E110'].format(path=args.command, detail=detail)}", file=sys.stderr)
        return 2
