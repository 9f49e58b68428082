"""Regenerate every sample: python samples/generate.py [--seed N] [--no-pdf] [--only yiyang|batch].

Writes samples/yiyang_hpf_2024/ (DOCX, PDF via LibreOffice, XLSX, truth.json) and
samples/batch/ (the submissions and truth.json). DOCX/XLSX bytes depend only on the seed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen import batch, yiyang
from gen.pdf import export_pdf
from gen.truthfile import write_truth

CORPUS = HERE / "yiyang_hpf_2024" / "yiyang_hpf_2024.txt"  # verbatim copy of shared/corpus
DEFAULT_SEED = 20250415


def generate_yiyang(out: Path, corpus: Path, pdf: bool) -> None:
    truth = yiyang.generate(corpus, out)
    docx_figures = [f for f in truth["figures"] if f["file"].endswith(".docx")]
    if pdf:
        export_pdf(out / "yiyang_hpf_2024.docx", out / "yiyang_hpf_2024.pdf")
    truth["figures"] += [
        {**f, "file": "yiyang_hpf_2024.pdf", "where": {k: v for k, v in f["where"].items() if k != "table"}}
        for f in docx_figures
    ]
    write_truth(out / "truth.json", {"submissions": [truth]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-pdf", action="store_true", help="skip LibreOffice (PDFs keep their old bytes)")
    parser.add_argument("--only", choices=("yiyang", "batch"))
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    if args.only in (None, "yiyang"):
        generate_yiyang(HERE / "yiyang_hpf_2024", args.corpus, not args.no_pdf)
    if args.only in (None, "batch"):
        batch.generate(HERE / "batch", seed=args.seed, pdf=not args.no_pdf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
