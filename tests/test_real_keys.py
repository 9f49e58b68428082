"""The hand-written keys of the real report texts (tests/reference/real/) are well formed.

Each key row names a line of the verbatim text on which its raw figure occurs, a value
that parses as a Decimal and agrees with the raw's digits, a known kind and unit, a
subject and a year; each inconsistency row cites raws of its text's key. The split names
every text once, with the 9 keyed texts added on 2026-12-03 held out (the earlier 6
held-out texts became dev when they were used for development).
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from real_docs import REAL, load_text, stems
from reference import INCONSISTENCY_COLUMNS, KEY_COLUMNS, KEY_KINDS, raw_key

from extractor.numbers import normalize_digits

KEYED = sorted(p.name.removesuffix(".key.csv") for p in REAL.glob("*.key.csv"))
CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def rows_of(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def chinese_value(raw: str) -> Decimal | None:
    """二辆 -> 2, 十二人 -> 12, 二十一 -> 21 (the small numerals counts use)."""
    chars = re.match(r"[零一二两三四五六七八九十]+", raw)
    if not chars:
        return None
    text = chars.group(0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return Decimal((CHINESE_DIGITS.get(tens, 1) if tens else 1) * 10 + (CHINESE_DIGITS.get(ones, 0) if ones else 0))
    return Decimal(CHINESE_DIGITS[text]) if len(text) == 1 else None


def written_value(raw: str) -> Decimal | None:
    digits = re.search(r"\d+(?:\.\d+)?", "".join(normalize_digits(raw).split()))
    return Decimal(digits.group(0)) if digits else chinese_value(raw)


def test_at_least_twelve_texts_are_keyed():
    assert len(KEYED) >= 12


@pytest.mark.parametrize("stem", KEYED)
def test_key_rows_are_well_formed(stem):
    text = load_text(stem)
    columns, rows = rows_of(REAL / f"{stem}.key.csv")
    assert tuple(columns) == KEY_COLUMNS
    assert rows, f"{stem}: empty key"
    for n, row in enumerate(rows, 2):
        where = f"{stem}.key.csv:{n}"
        line = int(row["line"])
        assert 1 <= line <= len(text.lines), where
        assert row["raw"] and row["raw"] in text.line(line), f"{where}: {row['raw']!r} not on line {line}"
        try:
            value = Decimal(row["value"])
        except InvalidOperation:
            pytest.fail(f"{where}: value {row['value']!r}")
        assert written_value(row["raw"]) == value, f"{where}: {row['raw']!r} is not {value}"
        assert row["kind"] in KEY_KINDS, where
        assert row["unit"], where
        assert row["subject"].strip(), where
        assert row["year"] == "this" or row["year"] == "prior" or re.fullmatch(r"\d{4}", row["year"]), where


@pytest.mark.parametrize("stem", KEYED)
def test_inconsistencies_cite_raws_of_the_key(stem):
    columns, rows = rows_of(REAL / f"{stem}.inconsistencies.csv")
    assert tuple(columns) == INCONSISTENCY_COLUMNS
    _, key = rows_of(REAL / f"{stem}.key.csv")
    keyed = {raw_key(r["raw"]) for r in key}
    for row in rows:
        assert row["severity_expected"] in ("error", "warning"), row["id"]
        assert row["arithmetic"].strip(), row["id"]
        raws = [r for r in row["raws"].split("|") if r]
        assert raws and all(raw_key(r) in keyed for r in raws), row["id"]


def test_split_names_every_text_once_and_holds_out_nine_keyed_texts():
    _, rows = rows_of(REAL / "split.csv")
    assert sorted(r["stem"] for r in rows) == stems()
    assert {r["split"] for r in rows} <= {"dev", "heldout"}
    heldout = [r["stem"] for r in rows if r["split"] == "heldout"]
    assert len(heldout) == 9
    assert all((REAL / f"{stem}.key.csv").exists() for stem in heldout)


@pytest.mark.parametrize("stem", KEYED)
def test_layout_specs_cover_content_lines(stem):
    from real_docs import load_layout

    text = load_text(stem)
    content = set(text.content_lines())
    for spec in load_layout(stem):
        first, last = spec["lines"]
        assert 1 <= first <= last <= len(text.lines)
        assert spec.get("split") or int(spec["cols"]) >= 1
        assert any(first <= n <= last for n in content)


@pytest.mark.parametrize("stem", KEYED)
def test_every_key_line_has_a_place_in_the_built_docx(stem, tmp_path):
    """The builder and the DOCX reader (not the extractor) give each keyed line a block or cell."""
    from real_docs import build_real_docx, resolve_places

    from extractor.readers import read_document

    path, places = build_real_docx(stem, tmp_path / f"{stem}.docx")
    where = resolve_places(places, load_text(stem), read_document(path, tmp_path).blocks)
    _, rows = rows_of(REAL / f"{stem}.key.csv")
    assert not [r["line"] for r in rows if not where.get(int(r["line"]))]
