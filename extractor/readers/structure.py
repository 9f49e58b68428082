"""Heading detection, section paths and the annex part, shared by the DOCX and PDF readers.

Pure: no parser library is imported here. A reader turns its file into RawItems (text,
style, bold, page, bbox) in reading order and calls assign_sections; tables then take
their section and annex flag from the block just before them (table_context).

Levels: 一、 = 1, （一） = 2, 1. / 1、 = 3, （1） = 4. Numbering is often broken in real
reports, so an unnumbered line that equals a known heading (patterns/headings.toml)
takes the known level, and a short bold line becomes a heading one level below the
current numbered one (or a sibling of the previous bold heading).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..datafiles import load_toml, patterns_dir, require
from ..errors import PatternError
from ..model import BBox, Block, BlockKind, Cell

HEADINGS_FILE = "headings.toml"
HEADER_ROWS_FOR_UNIT = 2  # a table's unit may sit in its first rows (单位：万元 above the heads)

_CN_NUM = "一二三四五六七八九十"
NUMBERING: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^第[{_CN_NUM}]{{1,3}}[部章节分]\S?\s*"), 1),
    (re.compile(rf"^[{_CN_NUM}]{{1,3}}\s*[、.．]\s*"), 1),
    (re.compile(rf"^[（(]\s*[{_CN_NUM}]{{1,3}}\s*[）)]\s*[、.．]?\s*"), 2),
    (re.compile(r"^\d{1,2}\s*(?:[、]|[.．](?!\d))\s*"), 3),
    (re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*[、.．]?\s*"), 4),
)
STYLE_LEVEL = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
SENTENCE_PUNCT = re.compile(r"[。；;！!？?]")
MINOR_PUNCT = re.compile(r"[。；;！!？?，,]")
UNIT_HINTS = (
    re.compile(r"单位\s*[：:]\s*(?:人民币)?\s*(亿元|万元|元)"),
    re.compile(r"[（(]\s*(?:单位\s*[：:]?\s*)?(亿元|万元|元)\s*[）)]"),
)
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
SPACES = re.compile("[ \t\u00a0\u2002\u2003\u2009\u3000]+")
FULLWIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
                   for c in range(r[0], r[1] + 1)}


class RawItem(NamedTuple):
    """One line or paragraph as a reader found it, before structure is known."""

    text: str
    style: str | None = None
    bold: bool = False
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True)
class HeadingRules:
    major_max: int
    minor_max: int
    bold_max: int
    annex: re.Pattern[str]
    annex_max: int
    not_heading: tuple[re.Pattern[str], ...]
    known: dict[str, int]  # normalised heading text or alias -> level


def normalize_text(text: str) -> str:
    """Reader-level clean-up only: full-width digits/letters to ASCII, zero-width chars
    removed, runs of spaces collapsed, lines stripped. Chinese punctuation is kept as
    written (NFKC would turn ，into , and （ into ( )."""
    text = ZERO_WIDTH.sub("", text.translate(FULLWIDTH_ALNUM))
    lines = (SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _compile(path: str, key: str, pattern: object) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise PatternError("E201", path=path, key=key, detail="应为正则表达式字符串")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise PatternError("E201", path=path, key=key, detail=f"正则表达式无效：{exc}") from None


def load_heading_rules(directory: str | Path | None = None) -> HeadingRules:
    """patterns/headings.toml, validated: PatternError names the file and the key.
    Read once into the Patterns bundle (extractor.patterns.load_patterns)."""
    data = load_toml(HEADINGS_FILE, directory)
    path = str(patterns_dir(directory) / HEADINGS_FILE)
    limits = require(data, "limits", dict, path, "headings")
    annex = require(data, "annex", dict, path, "headings")
    skip = require(data, "not_heading", dict, path, "headings")
    known: dict[str, int] = {}
    for i, entry in enumerate(require(data, "known", list, path, "headings")):
        where = f"known[{i}]"
        level = require(entry, "level", int, path, where)
        if not 1 <= level <= 4:
            raise PatternError("E201", path=path, key=f"{where}.level", detail="应为 1 到 4")
        names = [require(entry, "text", str, path, where), *require(entry, "aliases", list, path, where)]
        for name in names:
            known[_heading_key(str(name))] = level
    return HeadingRules(
        major_max=require(limits, "major_max_chars", int, path, "limits"),
        minor_max=require(limits, "minor_max_chars", int, path, "limits"),
        bold_max=require(limits, "bold_max_chars", int, path, "limits"),
        annex=_compile(path, "annex.pattern", require(annex, "pattern", str, path, "annex")),
        annex_max=require(annex, "max_chars", int, path, "annex"),
        not_heading=tuple(_compile(path, f"not_heading.patterns[{i}]", p)
                          for i, p in enumerate(require(skip, "patterns", list, path, "not_heading"))),
        known=known,
    )


def default_headings() -> HeadingRules:
    """The heading rules of the process's Patterns bundle: the fallback of a reader called
    without `headings` (library callers and tests); the CLI and the batch pass Patterns.headings."""
    from ..patterns import active

    headings = active().headings
    assert headings is not None
    return headings


def _heading_key(text: str) -> str:
    """Text compared against the known list: no spaces, no quotes, no trailing colon."""
    return re.sub(r"[\s“”\"'‘’]", "", text).rstrip("：:。.")


def split_numbering(text: str) -> tuple[int | None, str]:
    """(level of the leading section number, the text after it); (None, text) if none."""
    for pattern, level in NUMBERING:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return level, text[match.end():]
    return None, text


def is_annex_heading(text: str, rules: HeadingRules | None = None) -> bool:
    rules = rules or default_headings()
    line = text.strip()
    return len(line) <= rules.annex_max and bool(rules.annex.match(line)) and not SENTENCE_PUNCT.search(line)


def style_level(style: str | None) -> int | None:
    """Heading 1 / 标题 2 / heading3 -> 1 / 2 / 3; Title and body styles -> None."""
    if not style:
        return None
    match = STYLE_LEVEL.match(style.strip())
    return int(match.group(1)) if match else None


def numbered_level(text: str, rules: HeadingRules) -> int | None:
    """Level from 一、/（一）/1./（1） when the rest is short and reads like a title."""
    level, rest = split_numbering(text)
    if level is None:
        return None
    rest = rest.strip()
    if level <= 2:
        ok = len(rest) <= rules.major_max and not SENTENCE_PUNCT.search(rest[:-1])
    else:
        ok = len(rest) <= rules.minor_max and not MINOR_PUNCT.search(rest)
    return level if ok and rest else None


def known_level(text: str, rules: HeadingRules) -> int | None:
    return rules.known.get(_heading_key(text))


def is_bold_heading(text: str, bold: bool, rules: HeadingRules) -> bool:
    line = text.strip()
    if not bold or not line or len(line) > rules.bold_max or "\n" in line:
        return False
    if MINOR_PUNCT.search(line) or re.fullmatch(r"[\d.,%\s]+", line):
        return False
    return not any(p.search(line) for p in rules.not_heading)


def _classify(text: str, style: str | None, bold: bool, rules: HeadingRules) -> tuple[int | None, str]:
    """(level, evidence) with evidence in style | number | known | annex | bold | ''."""
    if "\n" in text.strip():
        return None, ""
    if (level := style_level(style)) is not None:
        return level, "style"
    if is_annex_heading(text, rules):
        return 1, "annex"
    if (level := numbered_level(text, rules)) is not None:
        return level, "number"
    if (level := known_level(text, rules)) is not None:
        return level, "known"
    if is_bold_heading(text, bold, rules):
        return 1, "bold"
    return None, ""


def heading_level(text: str, style: str | None = None, bold: bool = False,
                  rules: HeadingRules | None = None) -> int | None:
    """The heading level of one line out of context, None for a body paragraph.

    A short bold line with no numbering gives 1 here; assign_sections places it below
    the current numbered heading instead."""
    return _classify(text, style, bold, rules or default_headings())[0]


class _SectionStack:
    """The open headings, top level first; bold-only headings nest under numbered ones."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str, str]] = []  # (level, text, evidence)

    def push(self, level: int, text: str, evidence: str) -> int:
        if evidence == "bold":
            level = self._bold_level()
        while self.open and self.open[-1][0] >= level:
            self.open.pop()
        self.open.append((level, text, evidence))
        return level

    def _bold_level(self) -> int:
        for level, _, evidence in reversed(self.open):
            if evidence == "bold":
                return level
        return self.open[-1][0] + 1 if self.open else 1

    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text, _ in self.open)


def assign_sections(items: Iterable[RawItem | Sequence[object]], rules: HeadingRules | None = None) -> list[Block]:
    """Blocks in reading order with kind, level, section path and the annex flag.

    items are RawItem or plain (text, style, bold, page, bbox) tuples; block index =
    position in items, so callers drop empty lines before calling."""
    rules = rules or default_headings()
    stack, annex, blocks = _SectionStack(), False, []
    for index, raw in enumerate(items):
        item = raw if isinstance(raw, RawItem) else RawItem(*raw)  # type: ignore[arg-type]
        text = item.text.strip()
        level, evidence = _classify(text, item.style, item.bold, rules)
        annex = annex or evidence == "annex"
        if level is None:
            blocks.append(Block(index, BlockKind.PARAGRAPH, text, stack.path(), None,
                                item.page, item.bbox, annex, item.bold))
            continue
        level = stack.push(level, text, evidence)
        blocks.append(Block(index, BlockKind.HEADING, text, stack.path(), level,
                            item.page, item.bbox, annex, item.bold))
    return blocks


def table_context(blocks: Sequence[Block], after_block: int) -> tuple[tuple[str, ...], bool]:
    """(section path, annex flag) for a table placed right after blocks[after_block]."""
    if after_block < 0 or after_block >= len(blocks):
        return (), False
    block = blocks[after_block]
    return block.section, block.annex


def table_unit_hint(text: str | None) -> str | None:
    """单位：万元 / （万元） / 单位:元 / 金额单位：亿元 -> 万元 / 万元 / 元 / 亿元; None if absent."""
    if not text:
        return None
    for pattern in UNIT_HINTS:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def table_unit_hint_of(texts: Iterable[str | None], cells: Iterable[Cell], header_rows: int) -> str | None:
    """The unit a table states: in the first of texts (its caption, the lines above it)
    that names one, else in a cell of its first header_rows rows."""
    for text in texts:
        if hint := table_unit_hint(text):
            return hint
    for cell in cells:
        if cell.row < header_rows and (hint := table_unit_hint(cell.text)):
            return hint
    return None


CAPTION_HINT = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*|表\s*[0-9一二三四五六七八九十]*$|表[（(].*[）)]$|单位\s*[：:]|^表\s*\d")


def is_title_line(text: str, max_chars: int = 20) -> bool:
    """A short line with no sentence punctuation, e.g. （2024年度） under a table title."""
    line = text.strip()
    return 0 < len(line) <= max_chars and "\n" not in line and not MINOR_PUNCT.search(line)


def looks_like_caption(text: str) -> bool:
    """A table title line: 附件1…, …基础数据表, 表1 …, 单位：万元 (short, no sentence)."""
    line = text.strip()
    if not line or len(line) > 60 or SENTENCE_PUNCT.search(line[:-1]):
        return False
    return bool(CAPTION_HINT.search(line))


MAX_CAPTION_LINES = 2  # as the DOCX reader: title and unit lines just above the table


def caption_blocks(blocks: Sequence[Block], after_block: int, floor: int, page: int) -> list[Block]:
    """The caption lines of a table on `page` (a PDF's or a scan's): up to MAX_CAPTION_LINES
    blocks just above it, after the previous table's (`floor`), on its page or the one before."""
    found: list[Block] = []
    index = after_block
    while index > floor and len(found) < MAX_CAPTION_LINES:
        block = blocks[index]
        if block.page not in (page, page - 1) or not looks_like_caption(block.text):
            break
        found.insert(0, block)
        index -= 1
    return found
