"""Narrative accuracy: precision, recall and coverage of labelled facts.

Then the checks' accuracy (bench/accuracy_checks.py): recall of the planted
discrepancies and false findings per report on samples/batch/truth.json.

Then the real report texts (bench/real_accuracy.py): recall, own-subject recall, false
error findings and cited inconsistencies on the hand keys of tests/reference/real/.

On the hand-written Yiyang reference (tests/reference/yiyang_facts.csv), reading
samples/yiyang_hpf_2024/yiyang_hpf_2024.docx when it exists, else a DOCX built from the
corpus text; and on samples/batch/truth.json (narrative figures only) when it exists.

    .venv/bin/python bench/accuracy.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reference import Score, corpus_docx, load_reference_csv, raw_key, score

from extractor.narrative.facts import NarrativeExtractor
from extractor.readers import read_document

REFERENCE = ROOT / "tests" / "reference" / "yiyang_facts.csv"
CORPUS = ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.txt"
SAMPLE = ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx"
BATCH_TRUTH = ROOT / "samples" / "batch" / "truth.json"
SAMPLE_TRUTH = SAMPLE.parent / "truth.json"


def yiyang_score(extractor: NarrativeExtractor) -> tuple[str, Score]:
    if SAMPLE.exists():
        doc, where = read_document(SAMPLE, SAMPLE.parent), str(SAMPLE.relative_to(ROOT))
    else:
        tmp = Path(tempfile.mkdtemp()) / "yiyang_hpf_2024.docx"
        doc, where = read_document(corpus_docx(CORPUS.read_text(encoding="utf-8"), tmp), tmp.parent), "语料生成的 DOCX"
    result = extractor.extract(doc)
    return where, score(result.facts, load_reference_csv(REFERENCE), result.digit_runs, len(result.unaccounted))


def is_narrative(figure: dict) -> bool:
    return figure.get("where", {}).get("part") == "narrative"


def narrative_facts(extractor: NarrativeExtractor, doc, rows: list[dict]) -> tuple[list, int, int]:
    """The text's facts; for a report written inside a big table (truth rows with a `table`), the
    facts of that table's prose cells too, as the tool reads them (extractor.read_cells), scored
    as text (reference.score counts text facts only)."""
    result = extractor.extract(doc)
    tables = {r["where"]["table"] for r in rows if "table" in r["where"]}
    if not tables:
        return list(result.facts), result.digit_runs, len(result.unaccounted)
    from dataclasses import replace

    from extractor.annex import annex_facts_and_issues

    cells = extractor.read_cells(doc, annex_facts_and_issues(doc, None)[0])
    in_table = [replace(f, locator=replace(f.locator, table=None)) for f in cells.facts if f.locator.table in tables]
    return ([*result.facts, *in_table], result.digit_runs + cells.digit_runs,
            len(result.unaccounted) + len(cells.unaccounted))


def truth_scores(extractor: NarrativeExtractor, truth_path: Path) -> list[tuple[str, Score]]:
    """One Score per report file (DOCX/PDF) named in a samples truth.json, narrative figures only.

    Strict, as on the hand-written reference: the truths use the labels.toml ids and the
    role conventions of tests/reference/README.md. Precision there is over the facts whose
    raw text the truth lists (it may list a subset)."""
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    out = []
    for submission in truth.get("submissions", []):
        by_file: dict[str, list[dict]] = {}
        for figure in submission.get("figures", []):
            if is_narrative(figure) and figure.get("file", "").endswith((".docx", ".pdf")):
                by_file.setdefault(figure["file"], []).append(figure)
        for name, rows in sorted(by_file.items()):
            path = next(truth_path.parent.rglob(Path(name).name), None)
            if path is None:
                continue
            facts, runs, unaccounted = narrative_facts(extractor, read_document(path, truth_path.parent), rows)
            listed = {raw_key(r["raw"]) for r in rows}  # a truth may list only some figures
            facts = [f for f in facts if raw_key(f.raw) in listed]
            out.append((name, score(facts, rows, runs, unaccounted)))
    return out


def total(scores: list[Score]) -> tuple[float, float, float, float]:
    labelled = sum(s.labelled for s in scores)
    correct = sum(s.precision * s.labelled for s in scores)
    reference = sum(s.reference for s in scores)
    matched = sum(s.matched for s in scores)
    same_role = sum(s.role_agreement * s.matched for s in scores)
    return (correct / labelled if labelled else 1.0, matched / reference if reference else 1.0,
            sum(s.coverage for s in scores) / len(scores) if scores else 1.0,
            same_role / matched if matched else 1.0)


def show(name: str, s: Score, verbose: bool) -> None:
    print(f"{name}: 参考 {s.reference} 条, 标注事实 {s.labelled} 条, 命中 {s.matched} 条; "
          f"precision {s.precision:.4f}  recall {s.recall:.4f}  coverage {s.coverage:.4f}  "
          f"role {s.role_agreement:.4f}")
    if verbose:
        for key in s.missed:
            print(f"  漏: {key}")
        for key in s.wrong:
            print(f"  错: {key}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    extractor = NarrativeExtractor()
    where, yiyang = yiyang_score(extractor)
    show(f"Yiyang ({where})", yiyang, args.verbose)
    if SAMPLE_TRUTH.exists():
        for name, s in truth_scores(extractor, SAMPLE_TRUTH):
            show(f"Yiyang 样本真值 {name}", s, args.verbose)
    print("\n真实报告（tests/reference/real/ 手写答案，dev 与 heldout 分开）：")
    from real_accuracy import report as real_report

    real_report(args.verbose)
    print()
    if BATCH_TRUTH.exists():
        scores = truth_scores(extractor, BATCH_TRUTH)
        for name, s in scores:
            if args.verbose or s.recall < 0.98 or s.precision < 0.98:
                show(name, s, args.verbose)
        p, r, c, role = total([s for _, s in scores])
        print(f"batch ({len(scores)} 份叙述文件): precision {p:.4f}  recall {r:.4f}  coverage {c:.4f}  role {role:.4f}")
    else:
        print("batch: samples/batch/truth.json 不存在（未生成样本），跳过")
        return 0
    print("\n核查准确率（埋设问题的召回与每份报告的误报）：")
    from accuracy_checks import main as checks_main

    return checks_main()


if __name__ == "__main__":
    raise SystemExit(main())
