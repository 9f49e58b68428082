"""Narrative extraction speed, in chars/s on one core (Documents built in memory, no file reading).

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

from extractor.facts import NarrativeExtractor, scan_text
from extractor.model import Block, BlockKind, Document, Format
from extractor.narrative.scan import scan
from extractor.readers import read_document

CORPUS = ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.txt"
BATCH = ROOT / "samples" / "batch"


def documents(copies: int) -> list[Document]:
    lines = [line.strip() for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    blocks = tuple(Block(i, BlockKind.PARAGRAPH, text) for i, text in enumerate(lines))
    return [Document(f"copy{n}.docx", Format.DOCX, "0" * 64, blocks=blocks) for n in range(copies)]


def median_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40, help="documents (copies of the Yiyang narrative)")
    parser.add_argument("--batch-copies", type=int, default=5, help="passes over the batch DOCX per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is quoted")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    start_load = load_average()
    docs = documents(args.copies)
    texts = [b.text for d in docs for b in d.blocks]
    chars = sum(len(t) for t in texts)
    extractor = NarrativeExtractor()
    full = median_of(args.repeat, lambda: [extractor.extract(d) for d in docs])
    stock = spacy.blank("zh")  # the stock char segmenter, the bare parser to compare with
    tokenizer = median_of(args.repeat, lambda: [stock.make_doc(t) for t in texts])
    regex_only = median_of(args.repeat, lambda: [scan(scan_text(t), t, extractor.patterns) for t in texts])
    facts = sum(len(extractor.extract(d).facts) for d in docs[:1])
    batch = sorted(BATCH.rglob("*.docx")) if BATCH.exists() else []
    if batch:
        read = [read_document(path, BATCH) for path in batch]
        batch_chars = sum(len(b.text) for d in read for b in d.blocks)
        read = read * args.batch_copies  # 40k chars read once is too short a run to time
        batch_chars *= args.batch_copies
        batch_time = median_of(args.repeat, lambda: [extractor.extract(d) for d in read])
        batch_texts = [b.text for d in read for b in d.blocks]
        batch_tokenizer = median_of(args.repeat, lambda: [stock.make_doc(t) for t in batch_texts])
    print(f"负载（1/5/15 分钟平均）: 开始 {start_load}, 结束 {load_average()}; 核数 {os.cpu_count()}")
    print(f"{len(docs)} 份文档, {chars} 字符, 每份 {facts} 个事实; 取 {args.repeat} 次的中位数")
    print(f"Yiyang 叙述抽取（全流程）: {full:.3f} s  {chars / full / 1000:.0f}k chars/s")
    print(f"  spacy.blank('zh') 字符分词（裸）: {tokenizer:.3f} s  {chars / tokenizer / 1000:.0f}k chars/s  抽取/分词 = {full / tokenizer:.1f}x")
    print(f"  正则扫描（裸）: {regex_only:.3f} s  {chars / regex_only / 1000:.0f}k chars/s  抽取/正则 = {full / regex_only:.1f}x")
    if batch:
        print(f"batch 叙述抽取: samples/batch 的 {len(read) // args.batch_copies} 份 DOCX ×{args.batch_copies}（{batch_chars} 字符，已读入）: {batch_time:.3f} s  "
              f"{batch_chars / batch_time / 1000:.0f}k chars/s  抽取/分词 = {batch_time / batch_tokenizer:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
