"""Two misreadings of a scan the reader repairs, always saying so:

- a decimal point read as ':' or ',' (99:44, 9,42): between digits, followed by exactly two
  digits and then the end of the text, a space or a unit, it is read as '.'; the character's
  score drops to 0, so the figure is always marked uncertain (ocr_marks) and never passes as read;
- a header cell of an annex table that lost or changed a character under a seal (预期目,
  金年预算：数点, 级指标): snapped to the annex column word it begins with, within an edit
  distance of 1 (2 for words of six characters or more), when exactly one word fits and the
  table already reads as an annex table. The word list is patterns/annex.toml (the table
  kinds' header words and the plain alternatives of its column patterns).

Each repair becomes a warning naming the page and what was read (W110).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ..datafiles import load_toml
from ..model import Issue, Locator
from .ocr_marks import UNCERTAIN_BELOW

ANNEX_FILE = "annex.toml"
REPAIRED = "W110"
MISREAD_POINT = re.compile(r"(?<=[0-9])[:,，：](?=[0-9]{2}(?:$|\s|万元|元|%|％))")
PLAIN_WORD = re.compile(r"^[\u4e00-\u9fff]{4,}$")
PLAIN_WORD_SHORT = re.compile(r"^[\u4e00-\u9fff]+$")
SHORT_WORD = 3  # characters: a header word this short is snapped only where its odd character scored low
HEADER_MAX = 14  # characters: a longer cell is prose, not a header
TAIL_MAX = 2  # characters after the snapped word that may stay as read (全年执行魏人)
ANNEX_LOOK = 2  # cells already holding a header word before a table counts as an annex table
DROPPED = re.compile(r"[\s：:，,。.、;；]")
LEAD_END = re.compile(r"[0-9：:]")  # a cell's leading label ends at its first figure or colon


def misread_points(text: str) -> list[int]:
    """Positions of ':' / ',' in `text` that stand for a decimal point."""
    return [m.start() for m in MISREAD_POINT.finditer(text)]


@cache
def header_words(directory: str | None = None) -> tuple[str, ...]:
    """The annex header words: the table kinds' words and the plain alternatives of the
    column patterns, four characters or more."""
    data = load_toml(ANNEX_FILE, directory)
    words: list[str] = []
    for kind in data.get("kinds", {}).values():
        words.extend(kind.get("words", ()))
    for column in data.get("columns", ()):
        words.extend(part for part in str(column.get("match", "")).split("|") if PLAIN_WORD.match(part))
    return tuple(dict.fromkeys(w for w in words if PLAIN_WORD.match(w)))


@cache
def column_patterns(directory: str | None = None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(c["match"])) for c in load_toml(ANNEX_FILE, directory).get("columns", ()) if "match" in c)


def looks_like_annex(texts: Sequence[str], words: Sequence[str]) -> bool:
    return sum(1 for t in texts if any(w in t for w in words)) >= ANNEX_LOOK


def snap_header(text: str, row_texts: Sequence[str], words: Sequence[str]) -> tuple[str, int] | None:
    """(word, how many characters of `text` it replaces) when `text` is a header cell, or
    the label that opens a cell before its first figure or colon (按支唐性质分：1302.81), read
    with one character (two for a long word) wrong or missing; None when it reads as it is
    (a header word or a column pattern of annex.toml is in it), is prose, or more than one
    word fits. Words another cell of the row already holds are not candidates (级指标
    beside 二级指标 and 三级指标 is 一级指标)."""
    head = LEAD_END.split(text, maxsplit=1)[0]
    bare = DROPPED.sub("", head)
    if not bare or len(head) > HEADER_MAX or _reads(bare, words):
        return None
    taken = {w for w in words for other in row_texts if w in DROPPED.sub("", other)}
    best: list[tuple[int, str, int]] = []
    for word in words:
        if word in taken:
            continue
        bound = 2 if len(word) >= 6 else 1
        for length in (len(word) - 1, len(word), len(word) + 1):
            if length > len(bare) or len(bare) - length > TAIL_MAX:
                continue
            distance = _edits(bare[:length], word)
            if distance <= bound:
                best.append((distance, word, length))
    if not best:
        return None
    least = min(d for d, _, _ in best)
    fits = {(w, n) for d, w, n in best if d == least}
    if len({w for w, _ in fits}) != 1:
        return None
    word, length = min(fits, key=lambda wn: abs(wn[1] - len(wn[0])))  # 年度资金总颖: all six, not five
    return word, _span_in(head, length)


def snap_short_header(text: str, scores: Sequence[float], row_texts: Sequence[str]) -> str | None:
    """The three-character column word (执行率) a header cell of three characters stands for
    when one of its characters differs and the recogniser was unsure of that one (执行馨, 馨
    under a seal): only in a header row (two other cells read as annex headers), and only
    when one word fits once the row's own words are set aside (全年执行数 holds 执行数)."""
    words = header_words()
    if len(text) != SHORT_WORD or DROPPED.search(text) or any(ch.isdigit() for ch in text) or _reads(text, words):
        return None
    if sum(1 for other in row_texts if other and _reads(DROPPED.sub("", other), words)) < ANNEX_LOOK:
        return None
    taken = {w for w in short_words() for other in row_texts if w in other}
    fits = {w for w in short_words() if w not in taken and _one_unsure_change(text, w, scores)}
    return fits.pop() if len(fits) == 1 else None


def _one_unsure_change(text: str, word: str, scores: Sequence[float]) -> bool:
    changed = [i for i, (a, b) in enumerate(zip(text, word)) if a != b]
    return len(changed) == 1 and changed[0] < len(scores) and scores[changed[0]] < UNCERTAIN_BELOW


@cache
def short_words(directory: str | None = None) -> tuple[str, ...]:
    """The column patterns' plain alternatives of three characters (执行率, 完成值)."""
    columns = load_toml(ANNEX_FILE, directory).get("columns", ())
    parts = (part for c in columns for part in str(c.get("match", "")).split("|"))
    return tuple(dict.fromkeys(p for p in parts if len(p) == SHORT_WORD and PLAIN_WORD_SHORT.match(p)))


def _reads(bare: str, words: Sequence[str]) -> bool:
    return any(w in bare for w in words) or any(p.search(bare) for p in column_patterns())


def _span_in(text: str, bare_length: int) -> int:
    """How many characters of `text` hold its first `bare_length` kept (not DROPPED) ones."""
    kept = 0
    for i, ch in enumerate(text):
        if kept == bare_length:
            return i
        if not DROPPED.match(ch):
            kept += 1
    return len(text)


def _edits(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def point_issue(source: str, page: int, read: str, region: str) -> Issue:
    message = (f"{source} 第{page}页 区域{region} 的数字识别为“{read}”，按小数点读作"
               f"“{_as_point(read)}”，已标为识别存疑，请核对原件")
    return Issue(REPAIRED, message, source, Locator(source=source, page=page))


def header_issue(source: str, page: int, read: str, word: str, region: str) -> Issue:
    message = (f"{source} 第{page}页 区域{region} 的表头识别为“{read}”，按附件表头“{word}”读，"
               "请核对原件")
    return Issue(REPAIRED, message, source, Locator(source=source, page=page))


def _as_point(text: str) -> str:
    return MISREAD_POINT.sub(".", text)
