"""--annotate: what it adds to a batch's time, and how many cited figures are marked exactly.

    .venv/bin/python bench/annotate.py [--input samples/batch] [--repeat 3] [--workers 2]

Timing: extractor.batch.execute_batch into a fresh OUT, without and with annotate, each run
in its own child process (imports outside the timed part, except what annotating imports
itself), interleaved --repeat times; the median run of each is quoted with the range and
the ratio annotate / plain of the medians.

Exactness, read back from the last annotated OUT with the ordinary libraries
(extractor.annotate.readback), independently of how the marks were placed: for every
finding (误报 left out) and every place it cites in its own submission's DOCX, PDF or XLSX
with an exact locator (a block or a cell, with character offsets), is there a mark carrying
the finding's id whose anchor is that figure: a Word comment whose range text is the figure,
a PDF highlight whose quads hold exactly the figure's characters, an XLSX comment on the
cell at the locator whose shown text holds the figure at its offsets.

Prose cells (issue 12): every figure read from a table cell like a paragraph (a 自评表's
预期目标 / 实际完成情况 / 偏差原因 cells, cells of unknown layouts) in the input's DOCX and
PDF files, cited or not, marked with the excerpt a finding would carry and read back: a
DOCX comment whose anchor is the figure and starts at its offset in that cell; a PDF
highlight holding exactly the figure inside the ruled cell (pdfplumber's table finder)
whose text is that cell's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def batch_child(root: Path, out: Path, workers: int, annotate: bool) -> dict[str, float]:
    from extractor.batch import BatchSettings, execute_batch
    from extractor.batch.work import pipeline_factory, warm_up

    warm_up()
    settings = BatchSettings(root, out, workers=workers, timeout=600, quiet=True, annotate=annotate)
    started = time.perf_counter()
    outcome = execute_batch(settings, pipeline_factory(600), sys.stderr)
    return {"elapsed": time.perf_counter() - started, "findings": sum(len(r.findings) for r in outcome.results)}


def run_child(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def figures_by_place(out: Path) -> dict[tuple, str]:
    """(source, block, table, row, col, start, end) -> the figure as written, from OUT/facts/."""
    figures = {}
    for path in (out / "facts").glob("*.json"):
        for fact in json.loads(path.read_text(encoding="utf-8"))["facts"]:
            figures[place_key(fact["locator"])] = fact["raw"]
    return figures


def place_key(loc: dict) -> tuple:
    return (loc["source"], loc.get("block"), loc.get("table"), loc.get("row"), loc.get("col"),
            loc["char_start"], loc["char_end"])


def verify(out: Path) -> Counter:
    """Per format: places with an exact locator, and those marked exactly (read back)."""
    data = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))
    files = {(s["unit"], s["year"]): s["files"] for s in data["submissions"]}
    figures = figures_by_place(out)
    readers = Readers(out)
    counts: Counter = Counter()
    for finding in data["findings"]:
        if finding["decision"] == "误报":
            continue
        own = files.get((finding["unit"], finding["year"]), [])
        for loc in dict.fromkeys(json.dumps(x, sort_keys=True) for x in finding["locations"]):
            loc = json.loads(loc)
            suffix = PurePosixPath(loc["source"]).suffix.lower()
            figure = figures.get(place_key(loc), "")
            located = loc.get("block") is not None or loc.get("table") is not None
            if loc["source"] not in own or suffix not in (".docx", ".pdf", ".xlsx") or not figure or not located \
                    or loc["char_end"] <= loc["char_start"]:
                continue
            counts[(suffix, "cited")] += 1
            counts[(suffix, "exact")] += readers.marked(finding, loc, figure, own)
    return counts


class Readers:
    """The returned files read back once each."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.cache: dict[Path, object] = {}

    def path(self, finding: dict, source: str, files: list[str]) -> Path:
        from extractor.report.returned import returned_folder, returned_names

        return self.out / returned_folder(finding["unit"], finding["year"]) / returned_names(files)[source]

    def marked(self, finding: dict, loc: dict, figure: str, files: list[str]) -> bool:
        from extractor.annotate import readback
        from extractor.readers.structure import normalize_text

        path = self.path(finding, loc["source"], files)
        tag = f"编号 {finding['id']}"
        if path.suffix.lower() == ".docx":
            comments, problems = self._read(path, readback.docx_comments)
            return not problems and any(tag in c.text and c.anchor == figure for c in comments)
        if path.suffix.lower() == ".pdf":
            squeezed = "".join(normalize_text(figure).split())
            return any(tag in h.note and h.inside == squeezed for h in self._read(path, readback.pdf_highlights))
        return self._xlsx_marked(path, loc, figure, tag)

    def _read(self, path: Path, reader):  # type: ignore[no-untyped-def]
        if path not in self.cache:
            self.cache[path] = reader(path)
        return self.cache[path]

    def _xlsx_marked(self, path: Path, loc: dict, figure: str, tag: str) -> bool:
        import openpyxl

        from extractor.readers.xlsx import cell_text

        if path not in self.cache:
            self.cache[path] = openpyxl.load_workbook(path, data_only=True)
        sheet = self.cache[path][loc["sheet"]]  # type: ignore[index]
        filled = [(c.row, c.column) for row in sheet.iter_rows() for c in row
                  if c.value is not None and str(c.value).strip()]
        cell = sheet.cell(min(r for r, _ in filled) + loc["row"], min(c for _, c in filled) + loc["col"])
        shown = cell_text(cell.value, cell.number_format)[loc["char_start"]:loc["char_end"]]
        return cell.comment is not None and tag in cell.comment.text and shown == figure


def prose_cell_placement(source: Path) -> Counter:
    """Per format: figures read from table cells like paragraphs, and those marked in their cell."""
    from extractor.extract import extract_documents
    from extractor.readers import read_document

    counts: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="extractor-prose-") as work:
        for number, path in enumerate(sorted(p for p in source.rglob("*") if p.suffix in (".docx", ".pdf"))):
            doc = read_document(path, path.parent)
            facts = [f for f in extract_documents([doc]).facts
                     if f.locator.table is not None and f.rule_id.startswith("quantity.") and f.raw.strip()]
            if facts:
                exact = place_cell_figures(path, doc, facts, Path(work) / f"{number}{path.suffix}")
                counts[(path.suffix, "cited")] += len(facts)
                counts[(path.suffix, "exact")] += exact
    return counts


def place_cell_figures(path: Path, doc, facts: list, target: Path) -> int:  # type: ignore[no-untyped-def]
    """Mark every fact, read the copy back: how many sit exactly on their figure in their cell."""
    from extractor.annotate.docx_marks import mark_docx
    from extractor.annotate.marks import Mark
    from extractor.annotate.pdf_marks import mark_pdf
    from extractor.model import Finding, Level, Reach, Severity
    from extractor.report.findings import excerpt_of

    marks = [Mark(Finding(id=f"p{i}", unit="", year=None, rule_id="r", family="sum", severity=Severity.ERROR,
                          reach=Reach.TEXT_TABLE, level=Level.MANDATORY, message="m"), f.locator, f.raw, excerpt_of(f))
             for i, f in enumerate(facts)]
    cells = {(t.index, c.row, c.col): c.text for t in doc.tables for c in t.cells}
    if path.suffix == ".docx":
        mark_docx(path, target, marks)
        return sum(docx_in_cell(target, marks, cells))
    mark_pdf(path, target, marks)
    return sum(pdf_in_cell(target, marks, cells))


def docx_in_cell(target: Path, marks: list, cells: dict) -> list[bool]:  # type: ignore[type-arg]
    """A comment on exactly the figure, starting where the figure starts in its cell's text."""
    import docx
    from docx.oxml.ns import qn

    from extractor.annotate.readback import docx_comments

    comments, problems = docx_comments(target)
    by_tag = {c.text.rsplit("编号 ", 1)[-1]: c for c in comments}
    tables = docx_tables(docx.Document(str(target)))
    out = []
    for mark in marks:
        loc, comment = mark.locator, by_tag.get(mark.finding.id)
        tc = cell_element(tables, loc.table, loc.row, loc.col)
        if problems or comment is None or comment.anchor != mark.figure or tc is None:
            out.append(False)
            continue
        before = []
        for element in tc.iter():
            if element.tag == qn("w:commentRangeStart") and element.get(qn("w:id")) == comment.id:
                break
            if element.tag == qn("w:t"):
                before.append(element.text or "")
        out.append(squeezed("".join(before)) == squeezed(cells[(loc.table, loc.row, loc.col)][:loc.char_start]))
    return out


def cell_element(tables: list, table: int, row: int, col: int):  # type: ignore[no-untyped-def,type-arg]
    try:
        return tables[table].cell(row, col)._tc
    except IndexError:
        return None


def squeezed(text: str) -> str:
    from extractor.readers.structure import normalize_text

    return "".join(normalize_text(text).split())


def docx_tables(document) -> list:  # type: ignore[no-untyped-def,type-arg]
    """python-docx's tables in order, nested ones after their table (the reader's numbering;
    a mismatch makes the check fail, never pass)."""
    out = []

    def add(table) -> None:  # type: ignore[no-untyped-def]
        out.append(table)
        seen = set()
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    for inner in cell.tables:
                        add(inner)

    for table in document.tables:
        add(table)
    return out


def pdf_in_cell(target: Path, marks: list, cells: dict) -> list[bool]:  # type: ignore[type-arg]
    import re

    import pdfplumber

    from extractor.annotate.readback import pdf_highlights

    highlights = {h.note.rsplit("编号 ", 1)[-1]: h for h in pdf_highlights(target)}
    out = []
    with pdfplumber.open(target) as pdf:
        found = {}
        for mark in marks:
            highlight, loc = highlights.get(mark.finding.id), mark.locator
            if highlight is None or highlight.inside != re.sub(r"\s+", "", mark.figure) or highlight.page != loc.page:
                out.append(False)
                continue
            page = pdf.pages[loc.page - 1]
            boxes = found.setdefault(loc.page, [b for t in page.find_tables() for b in t.cells if b])
            x0, top, x1, bottom = highlight.quads[0]
            middle = ((x0 + x1) / 2, (top + bottom) / 2)
            box = next((b for b in boxes if b[0] <= middle[0] <= b[2] and b[1] <= middle[1] <= b[3]), None)
            shown = re.sub(r"\s+", "", page.dedupe_chars().within_bbox(box).extract_text()) if box else ""
            out.append(shown == re.sub(r"\s+", "", cells[(loc.table, loc.row, loc.col)]))
    return out


def median(runs: list[dict[str, float]]) -> tuple[float, float, float]:
    times = sorted(r["elapsed"] for r in runs)
    return times[(len(times) - 1) // 2], times[0], times[-1]


def measure(source: Path, repeat: int, workers: int) -> tuple[dict[str, tuple[float, float, float]], Counter, float]:
    runs: dict[str, list[dict[str, float]]] = {"plain": [], "annotate": []}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="extractor-annotate-") as work:
        last = Path(work)
        for turn in range(repeat):
            for name in ("plain", "annotate"):
                out = Path(work) / f"{name}-{turn}"
                flag = ["--annotate"] if name == "annotate" else []
                runs[name].append(run_child("--child", str(source), str(out), str(workers), *flag))
                last = out
        counts = verify(last)
    return {name: median(found) for name, found in runs.items()}, counts, load


def report(times: dict[str, tuple[float, float, float]], counts: Counter, load: float, source: Path,
           repeat: int, workers: int) -> str:
    plain, annotated = times["plain"], times["annotate"]
    cited = sum(v for (_, kind), v in counts.items() if kind == "cited")
    exact = sum(v for (_, kind), v in counts.items() if kind == "exact")
    per_format = "，".join(f"{fmt} {counts[(fmt, 'exact')]}/{counts[(fmt, 'cited')]}"
                          for fmt in (".docx", ".pdf", ".xlsx") if counts[(fmt, "cited")])
    return "\n".join([
        f"Input `{source}`, {workers} workers, median of {repeat} interleaved runs (1-minute load {load:.1f} before).",
        "",
        "| configuration | time (s) | range (s) | vs plain |",
        "| --- | --- | --- | --- |",
        f"| batch | {plain[0]:.2f} | {plain[1]:.2f}–{plain[2]:.2f} | 1.00x |",
        (f"| batch --annotate | {annotated[0]:.2f} | {annotated[1]:.2f}–{annotated[2]:.2f} | "
         f"{annotated[0] / plain[0]:.2f}x |"),
        "",
        f"- Annotating adds {100 * (annotated[0] / plain[0] - 1):.0f} % to the batch (target ≤ 20 %).",
        (f"- Cited places with an exact locator marked exactly at their figures (read back): {exact}/{cited}"
         f" ({100 * exact / max(cited, 1):.1f} %): {per_format}."),
    ]) + "\n"


def prose_report(counts: Counter) -> str:
    cited = sum(v for (_, kind), v in counts.items() if kind == "cited")
    exact = sum(v for (_, kind), v in counts.items() if kind == "exact")
    per_format = "，".join(f"{fmt} {counts[(fmt, 'exact')]}/{counts[(fmt, 'cited')]}"
                          for fmt in (".docx", ".pdf") if counts[(fmt, "cited")])
    return (f"- Every figure read from a table cell like a paragraph (cited or not), marked in its own cell"
            f" (read back): {exact}/{cited} ({100 * exact / max(cited, 1):.1f} %): {per_format}.\n")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, root, out, workers, *flag = sys.argv
        print(json.dumps(batch_child(Path(root), Path(out), int(workers), bool(flag))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=REPO / "samples" / "batch")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    times, counts, load = measure(args.input, args.repeat, args.workers)
    sys.stdout.write(report(times, counts, load, args.input, args.repeat, args.workers))
    sys.stdout.write(prose_report(prose_cell_placement(args.input)))


if __name__ == "__main__":
    main()
