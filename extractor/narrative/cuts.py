"""The readings of one glued run of digits: every cut into well-formed numbers, and the relations
that leave one of them certain (a rate and its counts, a weighted score, a met indicator, cells of
two places). Each reading is a list of (start, end, number as written, unit) pieces."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import regex

NUMBER = regex.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
CERTAIN_PLACES = 2

Piece = tuple[int, int, str, str]


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text) is not None


def one_cell(text: str) -> bool:
    """One number written as a money or count cell is: no more than two places."""
    return is_number(text) and len(text.partition(".")[2]) in (0, CERTAIN_PLACES)


def cuts(text: str, parts: int) -> Iterator[list[str]]:
    """Every way to cut `text` into `parts` non-empty pieces, each a well-formed number."""
    if parts == 1:
        if is_number(text):
            yield [text]
        return
    for i in range(1, len(text) - parts + 2):
        head = text[:i]
        if is_number(head):
            for rest in cuts(text[i:], parts - 1):
                yield [head, *rest]


def placed(pieces: list[str], start: int, units: list[str], tail: str = "") -> list[Piece]:
    out, position = [], start
    for k, (piece, unit) in enumerate(zip(pieces, units)):
        text = piece + (tail if k == len(pieces) - 1 else "")
        out.append((position, position + len(text), text, unit))
        position += len(text)
    return out


def agrees(expected: Decimal, written: str) -> bool:
    """`written` is `expected` rounded to its places (exactly, for an integer written bare)."""
    places = len(written.partition(".")[2])
    value = Decimal(written)
    if places == 0:
        return expected == value
    return abs(expected - value) <= Decimal(5).scaleb(-places - 1)


def unique(readings: list[list[Piece]]) -> list[Piece]:
    return readings[0] if len(readings) == 1 else []


def ratio(text: str, start: int) -> list[Piece]:
    """a b c% with c = b/a×100 (or a/b×100) to c's places, all three above zero."""
    body = text.rstrip("%")
    readings = []
    for a, b, c in cuts(body, 3):
        x, y, rate = Decimal(a), Decimal(b), Decimal(c)
        if not (x and y and rate) or "." not in c:
            continue
        if agrees(y / x * 100, c) or agrees(x / y * 100, c):
            readings.append(placed([a, b, c], start, ["", "", "%"], "%"))
    return unique(readings)


def weighted(text: str, start: int) -> list[Piece]:
    """The tail rate | weight | score of a run, score = rate × weight / 100 (written to places)."""
    readings = []
    for head in range(len(text)):
        for rate, weight, score in cuts(text[head:], 3):
            if "." in weight or not 1 <= int(weight) <= 100 or "." not in score or Decimal(score) > int(weight):
                continue
            if Decimal(rate) <= 200 and agrees(Decimal(rate) * int(weight) / 100, score):
                readings.append(placed([rate, weight, score], start + head, ["%", "分", "分"]))
    return unique(readings)


def weight_score(text: str, start: int, rate: Decimal) -> list[Piece]:
    """weight | score glued after their rate ("76%107.6"): score = rate × weight / 100."""
    readings = []
    for weight, score in cuts(text, 2):
        if "." not in weight and 1 <= int(weight) <= 100 and "." in score and Decimal(score) <= int(weight) \
                and agrees(rate * int(weight) / 100, score):
            readings.append(placed([weight, score], start, ["分", "分"]))
    return unique(readings)


def indicator(text: str, start: int, unit: str) -> list[Piece]:
    """指标值 | 权重 | 完成值 | 得分 with the target met and the full weight scored."""
    readings = []
    for target, weight, done, score in cuts(text, 4):
        if "." in weight or not 1 <= int(weight) <= 100 or score != weight:
            continue
        if Decimal(done) >= Decimal(target) > 0:
            own = unit if unit in ("%",) else ""
            readings.append(placed([target, weight, done, score], start, [own, "分", own, "分"]))
    return unique(readings)


def score_percent(text: str, start: int) -> list[Piece]:
    """分值 | percent: a whole score up to 100 then a percent up to 100."""
    body = text.rstrip("%")
    readings = []
    for score, rate in cuts(body, 2):
        if "." not in score and int(score) <= 100 and Decimal(rate) <= 100:
            readings.append(placed([score, rate], start, ["分", "%"], "%"))
    return unique(readings)


def decimals(text: str, start: int, columns: int) -> list[Piece]:
    """Cells each written to two places, as many as the header's columns: the cut is forced."""
    if columns < 2:
        return []
    pieces = regex.findall(r"\d+\.\d{2}", text)
    if len(pieces) != columns or "".join(pieces) != text or not all(is_number(p) for p in pieces):
        return []
    return placed(pieces, start, [""] * columns)


