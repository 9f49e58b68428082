"""The real report texts (tests/reference/real/) as DOCX documents, with line -> place.

Each text: a header, the line `---- text as found (verbatim[; ...]) ----`, then the verbatim
text. Key rows name a 1-based line of that verbatim part. build_real_docx writes one
paragraph per non-empty line (python-docx), except line ranges that the optional
<stem>.layout.json declares as a table:

    {"tables": [{"lines": [first, last], "cols": 4, "note": "..."},
                {"lines": [first, last], "split": "|", "note": "..."}]}

With "cols", the range's non-empty lines fill a real Word table row-major, one line per
cell; with "split", each line is a row whose cells are the line cut at that separator
(empty pieces dropped), unless "cells": {"<line>": ["text", "", ...]} gives that line's row
by hand ("" an empty cell, [] leaves the line out: a header written over two lines, a
row whose first cell is merged from above). Lines made only of "|" (a rendering's empty merged cells) are
not built (they carry no figure), and "|" at the ends of a cell's text is dropped. The
returned places map each verbatim line to the set of what was built from it:
{("block", n)} (its n-th body paragraph) or {("cell", table, row, col), ...}; resolve_places turns paragraph numbers into the reader's
block indexes by text, so a key row is matched by place.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / "tests" / "reference" / "real"
MARKER = re.compile(r"^---- text as found \(verbatim[^)]*\) ----\n", re.MULTILINE)
EXCERPT_END = re.compile(r"^\[\.\.\. .* \.\.\.\]$")  # "[... excerpt ends here in the stored copy ...]"


@dataclass(frozen=True)
class RealText:
    stem: str
    header: str
    lines: tuple[str, ...]  # verbatim part; lines[0] is line 1

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def content_lines(self) -> list[int]:
        """Line numbers that carry text of the report (not blank, not the excerpt-end marker)."""
        return [i for i, text in enumerate(self.lines, 1) if text.strip() and not EXCERPT_END.match(text.strip())]


def stems() -> list[str]:
    return sorted(p.stem for p in REAL.glob("*.txt"))


def load_text(stem: str, root: Path = REAL) -> RealText:
    text = (root / f"{stem}.txt").read_text(encoding="utf-8")
    found = MARKER.search(text)
    if not found:
        raise ValueError(f"{stem}.txt: no line '---- text as found (verbatim) ----'")
    return RealText(stem, text[:found.start()], tuple(text[found.end():].splitlines()))


def load_layout(stem: str, root: Path = REAL) -> list[dict]:
    path = root / f"{stem}.layout.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("tables", [])


SEPARATOR_ONLY = re.compile(r"^[|\s]*$")


def cell_text(text: str) -> str:
    return text.strip().strip("|").strip()


def table_rows(text: RealText, spec: dict, lines: list[int]) -> list[list[tuple[int, str]]]:
    """[(line, cell text), ...] per row of a table spec."""
    lines = [n for n in lines if not SEPARATOR_ONLY.match(text.line(n))]
    if "split" in spec:
        cells = spec.get("cells", {})
        rows = [[(n, c) for c in cells[str(n)]] if str(n) in cells else
                [(n, piece.strip()) for piece in text.line(n).split(spec["split"]) if piece.strip()] for n in lines]
        return [row for row in rows if row]
    cols = int(spec["cols"])
    cells = [(n, cell_text(text.line(n))) for n in lines]
    return [cells[i:i + cols] for i in range(0, len(cells), cols)]


def plan(text: RealText, layout: list[dict]) -> list[tuple[str, object]]:
    """Document order: ("p", line) or ("table", [[(line, cell text), ...], ...])."""
    in_table = {}
    for spec in layout:
        first, last = spec["lines"]
        in_table.update({n: spec for n in range(first, last + 1)})
    content = text.content_lines()
    out: list[tuple[str, object]] = []
    done: set[int] = set()
    for n in content:
        spec = in_table.get(n)
        if spec is None:
            if not SEPARATOR_ONLY.match(text.line(n)):
                out.append(("p", n))
        elif id(spec) not in done:
            done.add(id(spec))
            first, last = spec["lines"]
            out.append(("table", table_rows(text, spec, [m for m in content if first <= m <= last])))
    return out


def build_real_docx(stem: str, path: str | Path, root: Path = REAL) -> tuple[Path, dict[int, set]]:
    import docx

    text = load_text(stem, root)
    document = docx.Document()
    places: dict[int, set] = {}
    paragraphs = tables = 0
    for what, item in plan(text, load_layout(stem, root)):
        if what == "p":
            document.add_paragraph(text.line(item).strip())
            places[item] = {("block", paragraphs)}
            paragraphs += 1
            continue
        rows = item
        cols = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=cols)
        for r, row in enumerate(rows):
            for c, (n, cell) in enumerate(row):
                table.cell(r, c).text = cell
                places.setdefault(n, set()).add(("cell", tables, r, c))
        tables += 1
    path = Path(path)
    document.save(str(path))
    return path, places


def _squash(text: str) -> str:
    from extractor.numbers import normalize_digits

    return "".join(normalize_digits(text).split())


def resolve_places(places: dict[int, set], text: RealText, blocks) -> dict[int, frozenset]:
    """Each line -> the reader's places built from it: ("block", index) found in order by
    text (equal after normalising digits and spaces; else the consecutive blocks that are
    parts of the line, as when a reader splits a paragraph), or the line's cells."""
    squashed = [_squash(b.text) for b in blocks]
    out: dict[int, frozenset] = {}
    cursor = 0
    for line in sorted(places):
        place = next(iter(places[line]))
        if place[0] != "block":
            out[line] = frozenset(places[line])
            continue
        want = _squash(text.line(line))
        equal = next((i for i in range(cursor, len(squashed)) if squashed[i] == want), None)
        if equal is not None:
            out[line], cursor = frozenset([("block", equal)]), equal + 1
            continue
        found: list[tuple] = []
        for i in range(cursor, len(squashed)):
            if len(squashed[i]) >= 2 and (squashed[i] in want or want in squashed[i]):
                found.append(("block", i))
            elif found:
                break
        if found:
            cursor = found[-1][1] + 1
        out[line] = frozenset(found)
    return out


def fact_place(fact) -> tuple:
    loc = fact.locator
    if loc.table is not None:
        return ("cell", loc.table, loc.row, loc.col)
    return ("block", loc.block)
