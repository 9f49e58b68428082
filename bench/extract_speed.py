"""Narrative extraction speed, in chars per CPU second on one core (Documents built in memory,
no file reading): the Yiyang narrative and the batch narratives (denser in figures).

Quoted beside the bare parts measured in the same run: the stock spacy.blank("zh") char
segmenter alone and the quantity regex scan alone, so the figure is comparable across
machines (and across load: the ratios move less than the chars/s).

    .venv/bin/python bench/extract_speed.py [--copies N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy

from extractor.model import Block, BlockKind, Document, Format
from extractor.narrative.facts import NarrativeExtractor, scan_text
from extractor.narrative.scan import scan
from extractor.readers import read_document

CORPUS = ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.txt"
BATCH = ROOT / "samples" / "batch"


def documents(copies: int) -> list[Document]:
    lines = [line.strip() for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    blocks = tuple(Block(i, BlockKind.PARAGRAPH, text) for i, text in enumerate(lines))
    return [Document(f"copy{n}.docx", Format.DOCX, "0" * 64, blocks=blocks) for n in range(copies)]


def median_of(repeat: int, work) -> float:
    """Median CPU seconds of this process over `repeat` runs: chars per CPU second is chars/s
    per core, and unlike wall time it does not count the time other processes take the core."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def extract_each(extractor: NarrativeExtractor, docs: list[Document]) -> None:
    """One document at a time, its result dropped as the pipeline drops it once written:
    keeping hundreds of results alive makes the garbage collector, not extraction, the cost."""
    for doc in docs:
        extractor.extract(doc)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def rate(chars: int, seconds: float) -> str:
    return f"{seconds:.3f} s  {chars / seconds / 1000:.0f}k chars/s"


def yiyang_lines(extractor: NarrativeExtractor, stock, copies: int, repeat: int) -> list[str]:
    docs = documents(copies)
    texts = [b.text for d in docs for b in d.blocks]
    chars = sum(len(t) for t in texts)
    full = median_of(repeat, lambda: extract_each(extractor, docs))
    tokenizer = median_of(repeat, lambda: [stock.make_doc(t) for t in texts])
    regex_only = median_of(repeat, lambda: [scan(scan_text(t), t, extractor.patterns) for t in texts])
    facts = len(extractor.extract(docs[0]).facts)
    return [
        f"Yiyang: {len(docs)} 份文档, {chars} 字符, 每份 {facts} 个事实",
        f"Yiyang 叙述抽取（全流程）: {rate(chars, full)}",
        f"  spacy.blank('zh') 字符分词（裸）: {rate(chars, tokenizer)}  抽取/分词 = {full / tokenizer:.1f}x",
        f"  正则扫描（裸）: {rate(chars, regex_only)}  抽取/正则 = {full / regex_only:.1f}x",
    ]


def batch_lines(extractor: NarrativeExtractor, stock, copies: int, repeat: int) -> list[str]:
    paths = sorted(BATCH.rglob("*.docx")) if BATCH.exists() else []
    if not paths:
        return ["batch: samples/batch 不存在（未生成样本），跳过"]
    docs = [read_document(path, BATCH) for path in paths] * copies  # 40k chars once is too short to time
    texts = [b.text for d in docs for b in d.blocks]
    chars = sum(len(t) for t in texts)
    full = median_of(repeat, lambda: extract_each(extractor, docs))
    tokenizer = median_of(repeat, lambda: [stock.make_doc(t) for t in texts])
    line = (f"batch 叙述抽取: samples/batch 的 {len(paths)} 份 DOCX ×{copies}（{chars} 字符，已读入）: "
            f"{rate(chars, full)}  抽取/分词 = {full / tokenizer:.1f}x")
    return [line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40, help="documents (copies of the Yiyang narrative)")
    parser.add_argument("--batch-copies", type=int, default=5, help="passes over the batch DOCX per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is quoted")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    start_load = load_average()
    extractor = NarrativeExtractor()
    stock = spacy.blank("zh")  # the stock char segmenter, the bare parser to compare with
    lines = yiyang_lines(extractor, stock, args.copies, args.repeat)
    lines += batch_lines(extractor, stock, args.batch_copies, args.repeat)
    print(f"负载（1/5/15 分钟平均）: 开始 {start_load}, 结束 {load_average()}; 核数 {os.cpu_count()}")
    print(f"CPU 时间（本进程），{args.repeat} 次的中位数")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
