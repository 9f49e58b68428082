"""The subject a reader names for a figure the vocabulary does not label, read off its own clause.

Rules over the clause (measured against jieba POS on the real corpus texts: same subjects
on the shapes below, at a tenth of the cost):
- after the number, for counts and people: the noun right behind it ("1260名在校生",
  "5所完全小学", "二辆小车", "等6个股室");
- else before it: the words since the clause start or the previous figure, less the
  framing words around them ("机关现有干部职工128人" -> 干部职工, "核定行政编制18名",
  "直属事业单位10个，即", "X为/达/共/计/合计 N"); bracketed asides and years are cut off;
- when the words before it are only the previous figure's noun ("年初批复预算8个项目985万元"),
  the words before that figure.
A figure with neither says why (Fact.subject_reason).
"""

from __future__ import annotations

import regex

from ..model import Kind

MAX_SUBJECT = 20
# the noun right after a count: Han characters up to a break, a function word or a figure
AFTER = regex.compile(r"[\p{Han}A-Za-z]{1,12}")
AFTER_STOP = regex.compile(r"以及|或者|及|和|与|或|等|的|、|分别|均|共|其中|进行|，|,")
AFTER_NOT_NOUN = regex.compile(r"^(?:[一二两三四五六七八九十百千零〇]|以上|以下|左右|之间|之多|多|余|次|的|是|为|在|已|被|用于|进行|开展|共|合计|累计)")
# framing words before a figure: copulas and quantifiers at its end, existence verbs before the noun
TRAILING = regex.compile(r"(?:不低于|不少于|不高于|不超过|不小于|不大于|分别为|分别是|分别|共计|合计|总计|累计为|共有|现有|拥有|设有|约为|"
                         r"增加|减少|增长|下降|上升|提高|降低|新增|达到|达|为|是|共|计|有|(?<![节制签预合公契条违履集简缔])约|了|的|均)$")
HOLDERS = regex.compile(r"(?:现有|共有|拥有|设有|下设|内设|下辖|辖有|辖|包括|包含|其中|含有|含)")
LEADING = regex.compile(r"^(?:(?:主要)?原因(?:是|为|主要是|有)?|[一二三四五六七八九十]是(?=\p{Han}{2})|因为|其中|以及|及|和|与|并|且|另有|另|此外|同时|同比|与上年对比|较上年度|较上年|比上年度|比上年|"
                        r"[是否](?=\p{Han}{3})|[xX×]{2}年度?|全年度|本年度|当年度|全年|本年|当年|对|向|将|把|由|截至[^，,]*?|已|共|合计|总计)+")
# the writer and its verb before what it got: "我镇获得衔接资金" names 衔接资金 (kept when nothing else is left)
ACTOR = regex.compile(r"^(?:我|本)(?:局|镇|乡|街道|单位|部门|中心|校|院|所|站|馆|委|办|队)")
ACTOR_VERB = regex.compile(r"^(?:共|累计|全年)?(?:获得|收到|争取到?|落实|下达|安排|投入)")
CLOSED_BRACKET = regex.compile(r"[（(][^（()）]*[)）]|[“”\"'‘’《》〈〉【】]")
NUMBERING = regex.compile(r"^[(（]?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．)）]|^[①-⑳]")
UNIT_COLUMN = regex.compile(r"(?<=\p{Han})[%％](?=\p{Han}|$)|定量指标|定性指标|性标定指")
# a figure, a percent sign or a cell separator before the words: what follows them is the subject
LAST_FIGURE = regex.compile(r"^.*[\d%|｜]")
EDGE = "，,：:；;、。 \t（()）-—·•①②③④⑤⑥⑦⑧⑨⑩≥≤＞＜><="  # an operator before a figure (≥1080件) is no part of its subject
AFTER_KINDS = frozenset({Kind.COUNT, Kind.HEADCOUNT})
# measures glued to the one before ("20米100吨水塔"), the verbs and dimensions after a measure
MEASURE_CHAIN = regex.compile(r"(?:\s?\d+(?:\.\d+)?\s?(?:万立方米|立方米|m³|米|m(?![²2³a-zA-Z])|公里|千米|km|万吨|吨|公斤|千克|kg))*")
MEASURE_NOT_NOUN = regex.compile(r"达|完成|实现|建成|全部|以内|以外|长|范围|标准|规模")
DIMENSION = regex.compile(r"[长宽高深厚]")
COUNTED = regex.compile(r"\s?(?:\d|[一二两三四五六七八九十](?:[个座台条处间口眼栋套]))")
# a scoring rule of an 评价指标表 flattened into prose: words that name no measure ("扣", "每超过",
# "大于", none), or a formula ("预算完成率=X"); the figure belongs to the indicator before it
RULE_KINDS = frozenset({Kind.SCORE, Kind.PERCENT, Kind.PERCENT_POINT})
RULE_FRAME = regex.compile(r"(?:每?(?:超过|超出|低于|高于|减少|增加)|扣|计|大于|小于|不超过|不低于|以|至|)|.*=.*")
INDICATOR = regex.compile(r"[\p{Han}“”\"]{1,12}率")
# "其中:30万元用于基建工程项目审计": an amount with no words of its own is named by its use
PURPOSE = regex.compile(r"\s*(?:用于|用作|用在)(?P<use>[^，,；;。：:（(\d]{2,30})")
# figures glued to one stray character before a figure: "8工5%工" (工 an OCR'd ≥)
STRAY_CHAIN = regex.compile(r"(?:\d[\d.]*+[%％]?\p{Han})+$")  # possessive: linear on long digit runs
STRAY_WINDOW = 60  # how far back a glued chain is looked for (a long flattened row stays linear)
# "13宗(东坑、湖仔洋…)水库": a count whose names are listed in brackets before its noun
NAMES_BRACKET = regex.compile(r"[（(](?:[^（()）]++|[（(][^（()）]*[)）])*[)）]")  # 城盤(pán): one nested level


def after_subject(text: str, end: int) -> str:
    """The noun right after a figure ("5所完全小学" -> 完全小学, "五大生态提质工程" -> 生态提质工程), or ""."""
    names = NAMES_BRACKET.match(text, end)
    if names is not None and "、" in names.group():
        end = names.end()
    bare = end > 0 and (text[end - 1].isdigit() or text[end - 1] in "一二两三四五六七八九十百千")
    match = AFTER.match(text, end + 1 if bare and text.startswith("大", end) else end)  # 17个大队 keeps 大
    if match is None or AFTER_NOT_NOUN.match(match.group()):
        return ""
    words = match.group()
    stop = AFTER_STOP.search(words)
    return words[: stop.start()] if stop else words


def measured_noun(text: str, end: int) -> str:
    """The noun a measure is an attribute of: right after it (and any measure glued to it) and
    counted there ("新建300米深机井1座", "20米100吨水塔1座"); two characters at least (宽4.5米 is
    a dimension), not a verb (达到, 完成); "" otherwise ("亩产2500公斤" + the next cell's words)."""
    end = MEASURE_CHAIN.match(text, end).end()
    words = after_subject(text, end)
    if len(words) < 2 or MEASURE_NOT_NOUN.match(words) or (DIMENSION.match(words) and len(words) < 3):
        return ""
    return words if COUNTED.match(text, end + len(words)) else ""


def before_subject(text: str, start: int, position: int) -> str:
    """The noun phrase that a figure at `position` measures, from text[start:position]."""
    words = regex.sub(r"\s+", "", CLOSED_BRACKET.sub("", text[start:position]))
    inner = regex.sub(r"^.*[（(]", "", words)  # inside an open bracket: its own words only,
    words = inner if inner.strip(EDGE) else regex.sub(r"[（(][^（(]*$", "", words)  # 产出指标（50分）: the words before it
    words = UNIT_COLUMN.sub("", words)  # "财政供养人员控制率%定量指标": a flattened table row
    words = NUMBERING.sub("", LAST_FIGURE.sub("", words.strip(EDGE)))
    for _ in range(3):
        words = words.strip(EDGE)
        trimmed = TRAILING.sub("", words)
        if trimmed == words:
            break
        words = trimmed
    holder = None
    for holder in HOLDERS.finditer(words):
        pass
    if holder is not None:
        words = words[holder.end():]
    words = LEADING.sub("", words.strip(EDGE)).strip(EDGE)
    words = without_actor(words)
    if len(words) > MAX_SUBJECT and "的" in words[:-1]:
        words = words[words.rindex("的", 0, len(words) - 1) + 1:]
    return words[-MAX_SUBJECT:] if len(words) > MAX_SUBJECT else words


def without_actor(words: str) -> str:
    for pattern in (ACTOR, ACTOR_VERB):
        rest = pattern.sub("", words)
        if len(rest) >= 2:
            words = rest
    return words


def clause_subject(text: str, kind: Kind, clause: int, lead: int, start: int, end: int,
                   previous: tuple[int, int, str] | None, carried: str = "") -> tuple[str, str]:
    """(subject, reason) for the figure text[start:end] (read_clause_subject); a threshold or
    score of a scoring rule whose words name nothing (计5分, 每超过一个百分点扣0.5分, 大于30%)
    takes the indicator the rule scores (在职人员控制率W100%，计5分: 在职人员控制率), or the
    `carried` one of the block before when the rule's row was split into two blocks."""
    subject, reason = read_clause_subject(text, kind, clause, lead, start, end, previous)
    if kind in RULE_KINDS and RULE_FRAME.fullmatch(subject):
        indicator = last_indicator(text, start) or carried
        if indicator:
            return indicator, ""
    return subject, reason


def last_indicator(text: str, position: int) -> str:
    """The last indicator name (…率) written before `position` in the block, or ""."""
    found = ""
    for found_match in INDICATOR.finditer(text, 0, position):
        found = found_match.group()
    return found.strip(EDGE)


def read_clause_subject(text: str, kind: Kind, clause: int, lead: int, start: int, end: int,
                        previous: tuple[int, int, str] | None) -> tuple[str, str]:
    """(subject, reason) for the figure text[start:end]: reason is "" when a subject was found.

    `clause` is where its clause starts, `lead` where the words before it start (after the
    previous figure of the clause); `previous` is that figure's (start, end, after-noun)."""
    if kind in AFTER_KINDS:
        after = after_subject(text, end)
        if after:
            return after, ""
    if kind is Kind.MEASURE:
        after = measured_noun(text, end)
        if after:
            return after, ""
    before = before_subject(text, lead, start)
    stray = STRAY_CHAIN.search(text, max(clause, start - STRAY_WINDOW), start) if len(before) == 1 else None
    if stray is not None:  # "收入8工5%工5%": one character between glued figures (an OCR'd ≥) names nothing
        before = before_subject(text, clause, stray.start()) or before
    elif kind is Kind.AMOUNT and previous is not None and (not before or before == previous[2]) \
            and previous[0] > clause:  # "年初批复预算8个项目985万元"
        opened = max(text.rfind("(", clause, previous[0]), text.rfind("（", clause, previous[0]))
        before = before_subject(text, max(clause, opened + 1), previous[0]) or before
    if before:
        return before, ""
    purpose = PURPOSE.match(text, end) if kind is Kind.AMOUNT else None
    if purpose is not None:
        return purpose.group("use").strip(EDGE), ""
    if kind not in AFTER_KINDS:
        after = after_subject(text, end)
        if after:
            return after, ""
    return "", "no_words_in_clause"
