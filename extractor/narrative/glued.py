"""Table rows flattened into one line by a PDF or web copy: the cells run together, no separator.

"877383.91%" is 编制数 87, 在职 73, 控制率 83.91%; "000" three empty columns; "79.27107.93" 执行率
79.27, 权重 10, 得分 7.93. A glued run is split only where one reading is certain, and every
piece says how it was split (rule_id glued.<how>):

- zeros: a run of 0s is that many cells of 0 (no other number starts with 0);
- ratio: a, b, c% with c = b/a (or a/b) to c's written places, the only split that holds;
- weighted: a rate, a weight and a score with score = rate × weight / 100 (the tail of a run
  whose money columns lost their digits: the head stays unaccounted);
- indicator: 指标值, 权重, 完成值, 得分 after a unit column, the target met and the full weight scored;
- score_percent: a 分值 glued to the 评价标准's percent after an indicator name ("预算完成率5100%");
- decimals: every cell written to two places and as many cells as the header names columns;
- cell: one number closing a row under a column header ("学校图书采购款128.33");
- row_score: the 得分 closing a row of a scored 评价指标表 ("…编制数。5“三公经费”变动率").
Anything else stays a digit run no fact covers, and coverage (W320) names it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal

import regex

from ..model import Fact, Kind
from ..numbers import Quantity
from .cuts import decimals, indicator, one_cell, ratio, score_percent, weight_score, weighted
from .scan import Match

RUN = regex.compile(r"(?<!\d)\d[\d.]*%?")  # ".32.06.579.27107.93": a head that lost its digits
COLUMN = regex.compile(r"执行率权重|执行率得分|指标权重|指标得分|预算数|决算数|执行数|指标值|完成值|分值|得分|权重|执行率|"
                       r"控制率|编制数|在职人|实有人|金额|预算投资|实际投资")
MONEY_COLUMNS = frozenset({"预算数", "决算数", "执行数", "金额", "预算投资", "实际投资"})
PEOPLE = regex.compile(r"编制|在职|实有|人数|人员")
ROW_END = regex.compile(r"[\s。；;，,]*$")
ROW_LEAD = regex.compile(r"[\p{Han}）)”:：—\-]$")
UNIT_CELL = regex.compile(r"(?:%|万亩|亩|万元|元|个|人|次|项|公顷)$")
INDICATOR_END = regex.compile(r"率[”\"]?$")
ROW_SCORE = regex.compile(r"(?:(?<=[。])|(?<=%[oO.]?))(?<!\d)(?<![^%]\.)[1-9]\d?(?![\d.%])"
                          r"(?=[“\"]|\p{Han}(?<![年月日个项次人名户家所元万亿分]))")
PROSE_BLOCK = 80  # a longer block with a sentence end is prose: the table it followed is over
SENTENCE_THEN_WORDS = regex.compile(r"\p{Han}{2}。\s*\p{Han}{2}")


def is_prose_block(norm: str) -> bool:
    """Prose, not a table row: a long block with a sentence end, or one with a sentence
    followed by more words ("项目完成。另有3"), and no column names."""
    if COLUMN.search(norm):
        return False
    return (len(norm) > PROSE_BLOCK and "。" in norm) or bool(SENTENCE_THEN_WORDS.search(norm))


class GluedRows:
    """Splits the glued runs of one document's blocks; remembers the column header they sit under."""

    def __init__(self) -> None:
        self.header = ""  # the column header: consecutive figure-less lines naming columns
        self.header_line = False  # the last block was a line of that header
        self.scored = False  # a block named the 分值 and 得分 columns of a scored 评价指标表
        self.label_line = ""  # the last block holding only words (a row label wrapped above its figure)
        self.indicator = ""  # the last indicator given its 分值 in a scored table: the row a 得分 closes
        self.above = ("", "")  # (header, label line) as they stood before the block just read

    def read(self, norm: str, raw: str, matches: list[Match]) -> list[Match]:
        """`matches` with the pieces of the block's glued runs in place of what they replace."""
        if is_prose_block(norm):
            self.header, self.scored = "", False  # prose: the table it followed is over
        self.scored = self.scored or ("分值" in norm and "得分" in norm)
        out = list(matches)
        header = self.header + norm + ("分值得分" if self.scored else "")
        ends = [m.end for m in out]  # scan's matches never overlap: sorted by start and by end
        for run in RUN.finditer(norm):
            start, end = run.span()
            first = bisect_right(ends, start)
            covering = [m for m in out[first:first + 3] if m.start < end and start < m.end]
            if len(covering) == 1 and covering[0].quantity is not None and norm[end - 1] != "%":
                continue  # one figure read whole ("12.50万元"): nothing glued
            pieces = self.split(norm, raw, start, end, covering, header, out)
            if pieces:
                out = sorted([m for m in out if m not in covering] + pieces, key=lambda m: m.start)
                ends = [m.end for m in out]
            elif any(m.reason == "code" for m in covering) and self.in_row(norm, start, end, header):
                out = [m for m in out if m not in covering]  # "2810810": a row no reading splits, not a code
                ends = [m.end for m in out]
        out += list(self.row_scores(norm, raw, out, header))
        out.sort(key=lambda m: m.start)
        self.above = (self.header, self.label_line)
        self.remember(norm, raw, out)
        return out

    def name(self, facts: list[Fact], raw: str, norm: str) -> list[Fact]:
        """The block's facts with its split cells named (name_glued); a 得分 closing a row takes
        the indicator whose 分值 opened it."""
        from dataclasses import replace

        header, label_line = self.above
        out = []
        for f in name_glued(facts, raw, norm, label_line, header):
            if f.rule_id in INDICATOR_SCORES and f.subject:
                self.indicator = f.subject
            elif f.rule_id == "glued.row_score" and self.indicator:
                f = replace(f, subject=self.indicator, label="", subject_reason=None)
            out.append(f)
        return out

    def remember(self, norm: str, raw: str, matches: list[Match]) -> None:
        """A figure-less line naming columns starts (or continues) the header; a word-only line
        right after it is its wrapped tail. The last word-only line since the last figures is
        the label of the row whose figures follow on a line of their own."""
        figureless = not any(m.quantity is not None for m in matches)
        words = norm.strip()
        wordy = figureless and not regex.search(r"\d", words)
        if figureless and COLUMN.search(norm):
            self.header = self.header + words if self.header_line else words
            self.header_line = True
        elif self.header_line and wordy:
            self.header += words
        else:
            self.header_line = False
        if not figureless:
            self.label_line = ""
        elif wordy and not COLUMN.search(norm):
            self.label_line = raw.strip()

    def split(self, norm: str, raw: str, start: int, end: int, covering: list[Match], header: str,
              matches: list[Match]) -> list[Match]:
        if len(covering) > 1 or any(m.quantity is None and m.reason != "code" for m in covering):
            return []
        text = norm[start:end]
        before = norm[max(0, start - 12):start]  # the cells just before the run
        covering = [m for m in covering if m.quantity is not None]  # a "code" (000000) may be cells
        if covering:
            m = covering[0]
            if (m.start, m.end) != (start, end) or not text.endswith("%"):
                return []
            if m.quantity.value >= 1000:
                found = ratio(text, start)
                if found:
                    return self.matches(found, raw, "ratio", header)
            if m.quantity.value > 100 and INDICATOR_END.search(before) and "分值" in header:
                return self.matches(score_percent(text, start), raw, "score_percent", header)
            return []
        if regex.fullmatch(r"0{2,}", text):
            return self.matches([(start + i, start + i + 1, "0", "") for i in range(len(text))], raw, "zeros", header)
        if text.endswith("%"):
            return self.matches(ratio(text, start), raw, "ratio", header)
        if "权重" in header and "得分" in header:
            rate = [m for m in matches if m.end == start and m.quantity is not None and m.quantity.unit == "%"]
            found = weight_score(text, start, rate[0].quantity.value) if rate else weighted(text, start)
            if found:
                return self.matches(found, raw, "weighted", header)
        if UNIT_CELL.search(before) and all(w in header for w in ("指标值", "完成值")):
            found = indicator(text, start, UNIT_CELL.search(before).group())
            if found:
                return self.matches(found, raw, "indicator", header)
        columns = len(COLUMN.findall(self.header))
        if not columns or not ROW_END.fullmatch(norm, end):
            return []
        found = decimals(text, start, columns)
        if found:
            return self.matches(found, raw, "decimals", header)
        if (ROW_LEAD.search(before) or not before.strip()) and one_cell(text):
            return self.matches([(start, end, text, "")], raw, "cell", header)
        return []

    def in_row(self, norm: str, start: int, end: int, header: str) -> bool:
        """The run sits where a flattened table keeps its figures: after a unit column under an
        indicator header, or closing a row under a column header."""
        if UNIT_CELL.search(norm[max(0, start - 3):start]) and "指标值" in header:
            return True
        return bool(self.header and COLUMN.search(self.header)) and ROW_END.fullmatch(norm, end) is not None

    def row_scores(self, norm: str, raw: str, matches: list[Match], header: str) -> Iterator[Match]:
        """The 得分 closing a row of a scored 评价指标表, where no rule read it."""
        if not ("分值" in header and "得分" in header):
            return
        for m in ROW_SCORE.finditer(norm):
            if not any(o.start < m.end() and m.start() < o.end for o in matches):
                yield from self.matches([(m.start(), m.end(), m.group(), "分")], raw, "row_score", header)

    def matches(self, pieces: list[tuple[int, int, str, str]], raw: str, how: str, header: str) -> list[Match]:
        first = first_column_unit(self.header or header)
        out = []
        for start, end, number, unit in pieces:
            value = Decimal(number.rstrip("%"))
            places = len(number.rstrip("%").partition(".")[2])
            unit = unit or ("%" if number.endswith("%") else first)
            kind = {"%": Kind.PERCENT, "分": Kind.SCORE, "人": Kind.HEADCOUNT}.get(unit, Kind.AMOUNT)
            out.append(Match(start, end, f"glued.{how}", "", Quantity(value, unit, places, kind, raw[start:end])))
        return out


def first_column_unit(header: str) -> str:
    """The unit of a lone cell under `header`: 人 for staff columns, 分 for scores, else unknown ("")."""
    first = COLUMN.search(header)
    if first is None or first.group() in MONEY_COLUMNS:
        return ""
    if PEOPLE.search(first.group()):
        return "人"
    return "分" if first.group() in ("分值", "得分", "权重", "指标权重", "指标得分") else ""


PINYIN = regex.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")  # "經(jīng)費": a mirror's reading aid
NUMBERING = regex.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．]")
LABEL_EDGE = " \t:：—-－（()）"
RATIO_BASES = ("编制", "预算", "计划", "目标", "批复")  # the denominator of a 控制率/执行率/完成率


def row_label(text: str) -> str:
    """The words of a flattened row before its figures, without numbering and reading aids."""
    return NUMBERING.sub("", PINYIN.sub("", text)).strip(LABEL_EDGE)


INDICATOR_SCORES = ("quantity.SCORE_AFTER_INDICATOR", "glued.score_percent")


def name_glued(facts: list[Fact], raw: str, norm: str, label_line: str, header: str) -> list[Fact]:
    """Split cells named as a reader names them: a rate's pieces, and a weighted score's, by
    their header columns (编制数 87, 在职 73, 控制率 83.91%; 执行率, 执行率权重, 执行率得分), an
    indicator row's by its indicator name, other cells by their row label (the block's words
    before the run, or the label line wrapped above it: "农村义教学校企业供餐营养餐" / "872.60");
    a vocabulary label survives only when it names the whole row label. Cells as many as the
    header's columns take the year written over their column (2020年决算数)."""
    from dataclasses import replace

    out: list[Fact] = []
    years = column_years(header)
    for f in facts:
        how = f.rule_id
        if not how.startswith("glued.") or how == "glued.row_score":
            out.append(f)
            continue
        group = chain(facts, f)
        position = group.index(f)
        above = header + norm[:group[0].locator.char_start]  # the columns named before the run
        names = {"glued.ratio": ratio_columns, "glued.weighted": weighted_columns}.get(how, lambda _: [])(above)
        if how == "glued.weighted" and len(group) == 2:
            names = names[1:]  # weight and score after a rate read on its own
        if len(names) == len(group):
            out.append(replace(f, subject=names[position], label="", subject_reason=None))
            continue
        first = group[0].locator.char_start
        words = indicator_name(raw[:first]) if how in NAMED_BY_INDICATOR else row_label(raw[:first])
        if not regex.search(r"\p{Han}", words):
            words = row_label(label_line + words)
        if not words:
            out.append(f)
            continue
        year = years[position] if len(years) == len(group) and years[position] else f.year
        out.append(replace(f, subject=words, label=f.label if f.subject == words else "", subject_reason=None,
                           year=year))
    return out


NAMED_BY_INDICATOR = ("glued.indicator", "glued.score_percent")


def chain(facts: list[Fact], fact: Fact) -> list[Fact]:
    """The pieces split from the same run as `fact` (same rule, each ending where the next starts)."""
    same = [o for o in facts if o.rule_id == fact.rule_id]
    k = same.index(fact)
    first = k
    while first and same[first - 1].locator.char_end == same[first].locator.char_start:
        first -= 1
    last_ = k
    while last_ + 1 < len(same) and same[last_].locator.char_end == same[last_ + 1].locator.char_start:
        last_ += 1
    return same[first:last_ + 1]


LAST_CELL = regex.compile(r"^.*(?:[\d%)）。，,；;]|说明|计量单位|指标性质|指标名称)")
YEARED_COLUMN = regex.compile(r"(?:(?P<year>(?:19|20)\d{2})年(?:度)?)?(?P<column>" + COLUMN.pattern + ")")


def indicator_name(text: str) -> str:
    """The indicator of a flattened 绩效指标 row: the words before its unit column."""
    words = UNIT_CELL.sub("", text.rstrip())
    return row_label(LAST_CELL.sub("", words))


def column_years(header: str) -> list[int | None]:
    """The year written over each column of the header ("2020年决算数2021年预算数"), None where none is."""
    return [int(m.group("year")) if m.group("year") else None for m in YEARED_COLUMN.finditer(header)]


def weighted_columns(header: str) -> list[str]:
    """[rate, weight, score] column names of a header (执行率, 执行率权重, 执行率得分), or []."""
    names = COLUMN.findall(header)
    rate = [n for n in names if n.endswith("率")]
    weight = [n for n in names if n.endswith("权重")]
    score = [n for n in names if n.endswith("得分")]
    return [rate[-1], weight[-1], score[-1]] if rate and weight and score else []


def ratio_columns(header: str) -> list[str]:
    """[base, part, rate] column names of a header naming a rate and its two counts, or []."""
    names = [n for n in COLUMN.findall(header)]
    rates = [n for n in names if n.endswith("率")]
    counts = [n for n in names if not n.endswith("率")]
    if len(rates) != 1 or len(counts) != 2:
        return []
    base = [n for n in counts if n.startswith(RATIO_BASES)]
    if len(base) != 1:
        return []
    part = [n for n in counts if n != base[0]][0]
    return [base[0], part, rates[0]]
