"""Recall, own-subject recall, false errors and cited inconsistencies on the real texts.

Each keyed text of tests/reference/real/ (<stem>.key.csv) is built into a DOCX
(real_docs.py), run through `extractor check`'s pipeline (process_submission) and scored
against its key (reference.real_score). The split (dev / heldout) is in
tests/reference/real/split.csv. `--dir DIR` scores another folder of the same layout
(its own split.csv; every split named there is reported).

    PYTHONPATH=. .venv/bin/python bench/real_accuracy.py [--verbose] [--dir DIR] [stem ...]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_docs import REAL, build_real_docx, fact_place, load_text, resolve_places
from reference import RealScore, load_csv, raw_key, real_score


def split(root: Path = REAL) -> dict[str, str]:
    """stem -> its split (dev | heldout | ...), for the keyed texts (those with a <stem>.key.csv)."""
    return {r["stem"]: r["split"] for r in load_csv(root / "split.csv") if (root / f"{r['stem']}.key.csv").exists()}


def split_names(parts: dict[str, str], root: Path = REAL) -> list[str]:
    """The splits to report: dev and heldout first (always for tests/reference/real, as before),
    then every other split named in the folder's split.csv."""
    found = set(parts.values())
    first = [p for p in ("dev", "heldout") if root == REAL or p in found]
    return first + sorted(found - {"dev", "heldout"})


def header_year(header: str) -> int | None:
    found = re.search(r"YEAR:\s*(\d{4})", header)
    return int(found.group(1)) if found else None


def score_text(stem: str, workdir: Path | None = None, root: Path = REAL) -> RealScore:
    from extractor.model import Severity, Status
    from extractor.patterns import load_patterns
    from extractor.pipeline import process_submission
    from extractor.readers import read_document

    workdir = workdir or Path(tempfile.mkdtemp(prefix="realkeys_"))
    path, places = build_real_docx(stem, workdir / f"{stem}.docx", root)
    text = load_text(stem, root)
    result = process_submission([path], workdir)
    doc = read_document(path, workdir)
    facts = list(result.extraction.facts)
    by_id = {f.id: f for f in facts}
    cited_raws = [(check.family, {raw_key(by_id[i].raw) for i in check.fact_ids if i in by_id})
                  for check in result.checks
                  if check.status is Status.FAIL and check.severity in (Severity.ERROR, Severity.WARNING)]
    errors = [f.message for f in result.findings if f.severity is Severity.ERROR]
    inconsistencies = root / f"{stem}.inconsistencies.csv"
    return real_score(
        stem, load_csv(root / f"{stem}.key.csv"),
        load_csv(inconsistencies) if inconsistencies.exists() else [],
        facts, resolve_places(places, text, doc.blocks), fact_place,
        load_patterns().labels, header_year(text.header), errors, cited_raws)


def totals(scores: list[RealScore]) -> dict[str, float | int]:
    rows = sum(s.rows for s in scores)
    clean = [s for s in scores if s.inconsistencies == 0]
    incons = sum(s.inconsistencies for s in scores)
    return {
        "texts": len(scores), "rows": rows,
        "recall": sum(s.matched for s in scores) / rows if rows else 1.0,
        "own_subject_recall": sum(s.own_subject for s in scores) / rows if rows else 1.0,
        "label_precision": (sum(s.label_ok for s in scores) / sum(s.labelled for s in scores)
                            if any(s.labelled for s in scores) else 1.0),
        "prior_kept": (sum(s.prior_ok for s in scores) / sum(s.prior_rows for s in scores)
                       if any(s.prior_rows for s in scores) else 1.0),
        "false_errors": sum(s.errors for s in clean),
        "clean_texts": len(clean),
        "inconsistencies": incons,
        "cited": sum(s.cited for s in scores),
    }


def show(s: RealScore, verbose: bool) -> None:
    print(f"  {s.stem}: 参考 {s.rows} 条, 命中 {s.matched} (recall {s.recall:.3f}), "
          f"主语命中 {s.own_subject} ({s.subject_recall:.3f}), 标签 {s.label_ok}/{s.labelled}, "
          f"上年 {s.prior_ok}/{s.prior_rows}, 错误级发现 {s.errors}, 真实不一致 {s.cited}/{s.inconsistencies} 被指出")
    if verbose:
        for line, raw, subject in s.missed:
            print(f"    漏: 第{line}行 {raw} ({subject})")
        for line, raw, subject, got in s.unowned:
            print(f"    主语: 第{line}行 {raw} 应为 {subject}, 得到 {got!r}")
        for message in s.error_messages:
            print(f"    错误级发现: {message}")


def show_totals(name: str, t: dict) -> None:
    print(f"{name} ({t['texts']} 份, {t['rows']} 条): recall {t['recall']:.4f}  "
          f"own-subject recall {t['own_subject_recall']:.4f}  label precision {t['label_precision']:.4f}  "
          f"prior kept {t['prior_kept']:.4f}  false errors {t['false_errors']} (on {t['clean_texts']} clean texts)  "
          f"inconsistencies cited {t['cited']}/{t['inconsistencies']}")


def report(verbose: bool = False, only: list[str] | None = None, root: Path = REAL) -> dict[str, dict]:
    parts = split(root)
    out = {}
    workdir = Path(tempfile.mkdtemp(prefix="realkeys_"))
    for part in split_names(parts, root):
        chosen = [s for s, p in sorted(parts.items()) if p == part and (not only or s in only)]
        scores = [score_text(stem, workdir, root) for stem in chosen]
        print(f"真实报告 {part}:")
        for s in scores:
            show(s, verbose)
        out[part] = totals(scores)
        show_totals(f"真实报告 {part}", out[part])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--dir", type=Path, default=REAL,
                        help="folder of texts and keys of the same layout (default tests/reference/real)")
    parser.add_argument("stems", nargs="*")
    args = parser.parse_args(argv)
    report(args.verbose, args.stems or None, args.dir.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
