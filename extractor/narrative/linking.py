"""Quantities of one block -> Facts: label, role, direction, year and the relations between them.

Reading rules (what a reviewer does with a sentence):
- the label is the label phrase right after a count ("4个职能科室"), else the nearest
  label phrase before the number in its sentence with no number of the same kind between;
- 占/占比 before a percent makes a share of the part just named;
- a direction word (增加/减少 ...) makes a change (a change rate for a percent) of the
  value it modifies: the latest value with the same label, else the one just before;
- after 因/原因是, numbers of the same kind explain the change before them (reasons);
- 其中 opens a scope of parts (parts.py says where it ends and what a bracket lists).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import regex

from ..model import Block, Direction, Fact, Kind, Role
from ..patterns import Patterns
from .context import BlockContext, Span
from .coverage import block_locator
from .drafts import BlockState, Draft, Scope
from .parts import apply_qizhong
from .scan import Match
from .subjects import AFTER_KINDS, PURPOSE, after_subject, before_subject, clause_subject, last_indicator
from .words import NUMBERED, label_of, last, measure_of, stable_id, trim_subject

BASE_YEAR = "non_quantity.BASE_YEAR"
GLUED = regex.compile(r"[^\p{Han}]*|[^\p{Han}]*[是否高好][^\p{Han}]*")  # only figures between: a flattened table row
COMPOUND = regex.compile(r"(?:经费|采购|资产|资金|项目|预算|结余|支出|收入)$")  # 公用经费|控制率
LISTING = regex.compile(r"(?:包括|包含|主要有|主要包括)[^，,。；;]*\p{Han}{2}$")  # 项目支出包括委员活动经费…


class Linker:
    """Links the facts of one document; remembers each label's latest value across blocks."""

    def __init__(self, patterns: Patterns, source: str, report_year: int | None) -> None:
        self.patterns = patterns
        self.source = source
        self.report_year = report_year
        self.latest: dict[str, Draft] = {}
        self.enumeration: Scope | None = None  # "具体如下：" then numbered blocks
        self.tail = ""  # the subject of the figure a paragraph ended with (a table row split into lines)
        self.indicator = ""  # the last indicator (…率) of the block before: a scoring rule split into two blocks

    def link_block(self, block: Block, matches: list[Match], ctx: BlockContext) -> list[Fact]:
        state = BlockState()
        numbered = NUMBERED.match(ctx.norm) is not None
        if self.enumeration is not None and numbered:
            state.scope = self.enumeration
        years = [m for m in matches if m.reason in ("year", "date")]
        state.others = [m for m in matches if m.quantity is None]
        state.quantities = [m for m in matches if m.quantity is not None]
        for match in matches:
            if match.quantity is None:
                continue
            draft = self.read_quantity(block, match, ctx, state, years)
            state.drafts.append(draft)
        self.enumeration = self.next_enumeration(block, ctx, state, numbered)
        ended = bool(state.drafts) and not ctx.norm[state.drafts[-1].match.end:].strip()
        self.tail = state.drafts[-1].subject if ended else ""
        self.indicator = last_indicator(block.text, len(block.text)) or self.indicator
        facts = [self.to_fact(block, d, ctx) for d in state.drafts]
        if self.patterns.text_rules:
            facts += self.text_facts(block, ctx.norm, ctx, years)
            facts.sort(key=lambda f: f.locator.char_start)
        return facts

    def pass_block(self) -> None:
        """A block with no figures: an enumeration of numbered blocks ends here."""
        self.enumeration = None
        self.tail = ""
        self.indicator = ""

    def next_enumeration(self, block: Block, ctx: BlockContext, state: BlockState, numbered: bool) -> Scope | None:
        """A block ending in 具体如下： opens an enumeration that numbered blocks continue."""
        if self.enumeration is not None and numbered:
            return self.enumeration
        marks = [s for s in ctx.of_kind("QIZHONG") if s.id == "enumeration"]
        if not marks or any(d.match.start > marks[-1].start for d in state.drafts):
            return None
        total = last(state.drafts, lambda p: p.role is Role.VALUE and p.kind is Kind.AMOUNT and bool(p.label))
        if total is None:
            return None
        return Scope(total, stable_id(self.source, block.index, "group", total.id), -1)

    def read_quantity(self, block: Block, m: Match, ctx: BlockContext, state: BlockState,
                      years: list[Match]) -> Draft:
        d = Draft(m, m.quantity)  # type: ignore[arg-type]
        s_start, _ = ctx.sentence(m.start)
        lead = max(ctx.clause_start(m.start), state.drafts[-1].match.end if state.drafts else 0)
        own = self.own_label(ctx, m, s_start, state.drafts)
        fitted = self.fit_label(label_of(own), d.kind, False) if own is not None else ""
        d.direction = self.direction(ctx, d, lead)
        d.year = self.stated_year(ctx, years, s_start, m.start)
        explained = self.explained_change(ctx, state.drafts, d, s_start, own, fitted)
        if d.kind is Kind.PERCENT and ctx.context_between("SHARE", lead, m.start):
            self.read_share(d, state.drafts, s_start)
        elif explained is not None:
            self.read_reason(d, explained, own, block, ctx, lead)
        elif d.direction is not None:
            self.read_change(d, own, block, state.drafts, s_start, ctx)
            if any(b.id == "base.budget" for b in ctx.context_between("BASE", lead, m.start)):
                d.label = ""  # 比预算节约1.50万元: a saving against budget, not a change on last year
            based = ctx.context_between("BASE", s_start, m.start) or any(
                y.rule == BASE_YEAR and s_start <= y.start < m.start for y in years)
            if d.year is None and based:
                d.year = self.report_year
        else:
            self.read_value(d, own, block, ctx, lead)
        apply_qizhong(d, ctx, state, block, lead, self.source)
        if not d.subject:
            self.own_subject(d, block, ctx, state, lead)
        d.id = stable_id(self.source, block.index, m.start, d.label, d.quantity.raw)
        if d.role is Role.VALUE and d.label in self.patterns.rate_labels:
            d.role = Role.RATE  # a named rate (预算执行率91.67%), as the annex tables have it
        if d.label and (d.role in (Role.VALUE, Role.PRIOR) or (d.role is Role.RATE and d.of is None)):
            self.latest[d.label] = d
        return d

    def direction(self, ctx: BlockContext, d: Draft, lead: int) -> Direction | None:
        """A direction word before the number; for people also right after it (3人退休).
        退休/离职 before a number name a group (退休22人), so for people they count only after it."""
        people = d.kind is Kind.HEADCOUNT  # 退休/调出 move people, not money ("调出等其它类提取")
        before = [s for s in ctx.context_between("DIRECTION", lead, d.match.start)
                  if (people and s.id != "decrease_people") or not s.id.endswith("_people")]
        if before:
            return Direction(before[-1].id.partition("_")[0])
        if people:
            for span in ctx.of_kind("DIRECTION"):
                if span.start == d.match.end:
                    return Direction(span.id.partition("_")[0])
        return None

    # ---- labels ---------------------------------------------------------------------
    def own_label(self, ctx: BlockContext, m: Match, s_start: int, drafts: list[Draft]) -> Span | None:
        after = ctx.label_after(m.end)
        if after is not None:
            return after
        floor = s_start
        for prior in reversed(drafts):  # in text order: only this sentence's tail is read
            if prior.match.start < s_start:
                break
            if prior.kind is m.quantity.kind:  # type: ignore[union-attr]
                floor = max(floor, prior.match.end)
        spans = ctx.labels_between(floor, m.start)
        if not spans or self.compound(ctx, spans[-1]) or ctx.bracket_named(spans[-1], m.start):
            return None
        if "#" in spans[-1].id:
            return self.measured_subject(ctx, spans[-1], m, s_start, drafts)
        return spans[-1]

    @staticmethod
    def compound(ctx: BlockContext, span: Span) -> bool:
        """A short synonym ending a longer term is not that label: 公用经费控制率, 政府采购执行率."""
        return (span.end - span.start <= 3 and span.kind == "LABEL" and "#" not in span.id
                and bool(COMPOUND.search(ctx.norm, 0, span.start)))

    def measured_subject(self, ctx: BlockContext, weak: Span, m: Match, s_start: int,
                         drafts: list[Draft]) -> Span:
        """A measure phrase (预算数, 实际支出) names what it measures only when nothing else
        does: "“三公”经费预算数12.00万元，实际支出10.50万元" are both “三公”经费."""
        measure = measure_of(weak)
        clause = ctx.clause_start(weak.start)
        strong = [s for s in ctx.labels_between(clause, weak.start)
                  if "#" not in s.id and self.fit_label(s.id, m.quantity.kind, False)]  # type: ignore[union-attr]
        if strong:
            return Span("LABEL", f"{strong[-1].id}#{measure}", strong[-1].start, weak.end)
        kind = m.quantity.kind  # type: ignore[union-attr]
        named = last(drafts, lambda p: p.match.start >= s_start and p.kind is kind and bool(p.label) and not p.weak)
        if named is not None:
            return Span("LABEL", f"{named.label}#{measure}", weak.start, weak.end)
        return weak

    def fit_label(self, label_id: str, kind: Kind, cumulative: bool) -> str:
        """The label for this kind: the _cumulative / .<kind> variant when one exists, else ""."""
        labels = self.patterns.labels
        if cumulative and f"{label_id}_cumulative" in labels:
            label_id = f"{label_id}_cumulative"
        label = labels.get(label_id)
        if label is None:
            return ""
        if label.kind is kind:
            return label_id
        variant = f"{label_id}.{kind.value}"
        return variant if variant in labels else ""

    # ---- roles ----------------------------------------------------------------------
    def read_value(self, d: Draft, own: Span | None, block: Block, ctx: BlockContext, lead: int) -> None:
        if own is not None and own.kind == "LABEL" and "#" not in own.id and own.end <= lead and d.kind is Kind.HEADCOUNT \
                and before_subject(block.text, lead, d.match.start):
            own = None  # "…在职338人,退休人员纳入社保…,离休3人": its own clause names it (离休), not 退休人员
        if own is not None and own.kind == "LABEL" and "#" not in own.id and self.names_another(d, own, block, ctx):
            own = None
        if own is not None:
            clause = ctx.clause_start(d.match.start)
            cumulative = bool(ctx.context_between("MODIFIER", clause, d.match.start))
            d.label = self.fit_label(label_of(own), d.kind, cumulative)
            d.subject = block.text[own.start:own.end] if d.label else ""
            d.measure = measure_of(own) if d.label else ""
            d.weak = "#" in own.id and own in ctx.label_set
        prior_words = ctx.context_between("PRIOR", ctx.clause_start(d.match.start), d.match.start)
        if prior_words or (d.year and self.report_year and d.year < self.report_year):
            d.role = Role.PRIOR
            if prior_words and self.report_year and (d.year is None or d.year == self.report_year):
                d.year = self.report_year - 1  # 上年 = the year before the report year

    @staticmethod
    def names_another(d: Draft, own: Span, block: Block, ctx: BlockContext) -> bool:
        """The label names a whole whose part the figure is: "项目支出包括委员活动经费36.3万元",
        or a count names its own noun after it: "由基本支出和项目支出两个部分构成"."""
        between = ctx.norm[own.end:d.match.start]
        if LISTING.match(between) and len(between) >= 4:
            return True
        after = after_subject(block.text, d.match.end) if d.kind is Kind.COUNT else ""
        return bool(after) and after[:2] not in block.text[own.start:own.end]  # 共15个项目 stays 项目支出's count

    def read_share(self, d: Draft, drafts: list[Draft], s_start: int) -> None:
        d.role, d.direction = Role.SHARE, None
        d.of = last(drafts, lambda p: p.match.start >= s_start and p.kind is not Kind.PERCENT
                    and p.role is Role.VALUE)
        if d.of is not None:
            d.label, d.subject, d.part_of = d.of.label, d.of.subject, d.of.part_of

    def read_change(self, d: Draft, own: Span | None, block: Block, drafts: list[Draft],
                    s_start: int, ctx: BlockContext) -> None:
        d.role = Role.RATE if d.kind is Kind.PERCENT else Role.CHANGE
        if own is not None and "#" in own.id and own.start < d.match.start - 12:
            own = None  # a bare measure phrase far back (实际支出10.50万元，…，下降17.97%) names nothing here
        if own is not None and own.kind == "LABEL_AFTER":  # "2人离职" with no stated change to explain
            d.label, d.subject = self.fit_label(label_of(own), d.kind, False), block.text[own.start:own.end]
            d.of = last(drafts, lambda p: p.match.start >= s_start and p.kind is d.kind and p.role is Role.VALUE)
            return
        if own is not None and own.kind == "LABEL":
            label_id = label_of(own)
            d.of = self.latest.get(label_id) or self.latest.get(self.fit_label(label_id, d.kind, False))
            d.label = label_id if d.role is Role.RATE or d.kind is Kind.PERCENT_POINT else \
                self.fit_label(label_id, d.kind, False)
            d.subject = block.text[own.start:own.end]
            return
        sibling = last(drafts, lambda p: p.match.start >= s_start and p.kind is d.kind and p.role is d.role)
        if sibling is not None and d.kind is Kind.HEADCOUNT:  # "2人离职，1人退休，新招录3人"
            d.label, d.subject, d.of = sibling.label, sibling.subject, sibling.of
            return
        if d.kind is Kind.PERCENT_POINT:
            wanted = lambda p: p.kind is Kind.PERCENT and p.of is None and p.role in (Role.VALUE, Role.RATE)
        elif d.kind is Kind.PERCENT:
            wanted = lambda p: p.kind is not Kind.PERCENT and p.role is Role.VALUE
        else:
            wanted = lambda p: p.kind is d.kind and p.role in (Role.VALUE, Role.PRIOR)
        d.of = last(drafts, lambda p: p.match.start >= s_start and wanted(p)) or last(drafts, wanted)
        noun = self.added_noun(block, ctx, d)
        if noun and not (d.of is not None and noun in d.of.subject):
            d.of, d.subject = None, noun  # "并新增低压电线50m": a new thing, not a change of the pipe before it
        elif d.of is not None:
            d.label, d.subject = d.of.label, d.of.subject

    @staticmethod
    def added_noun(block: Block, ctx: BlockContext, d: Draft) -> str:
        """The noun written between a direction word and an amount, count or measure
        ("新增低压电线50m", "减少公务用车2辆"), or "" (比上年增加10万元 names none)."""
        if d.kind in (Kind.PERCENT, Kind.PERCENT_POINT):
            return ""
        clause = ctx.clause_start(d.match.start)
        words = ctx.context_between("DIRECTION", clause, d.match.start)
        if not words or ctx.context_between("PRIOR", clause, d.match.start) or \
                ctx.context_between("BASE", clause, d.match.start):
            return ""
        noun = before_subject(block.text, words[-1].end, d.match.start)
        return noun if regex.fullmatch(r"\p{Han}[\p{Han}A-Za-z]+", noun) else ""

    def explained_change(self, ctx: BlockContext, drafts: list[Draft], d: Draft, s_start: int,
                         own: Span | None, fitted: str) -> Draft | None:
        """The change this number explains: after 因/原因是, or for people after 其中 or in
        brackets right behind the change ("减少5人（3人退休，2人离职）")."""
        position = d.match.start
        markers = [s.start for s in ctx.context_between("REASON", s_start, position)]
        if d.kind is Kind.HEADCOUNT and not (fitted and own is not None and own.kind == "LABEL"):
            markers += [s.start for s in ctx.context_between("QIZHONG", s_start, position) if s.id == "qizhong"]
            markers += [o for o, c in ctx.parens if s_start <= o < position < c]
        if not markers:
            return None
        marker = max(markers)
        if fitted and own is not None and own.kind == "LABEL" and own.start > marker \
                and not (d.kind is Kind.HEADCOUNT and d.direction is not None):  # "行政在职新招录1人" is a reason
            return None
        found = last(drafts, lambda p: s_start <= p.match.start < marker and p.role is Role.CHANGE
                     and not p.reason and p.kind is d.kind)
        reasons = ctx.context_between("REASON", s_start, position)
        if found is None and reasons and not ctx.norm[s_start:reasons[0].start].strip(" \t，,"):
            # "与上年对比减少5人。减少原因：新招录1人，调出3人…": the reasons open the next sentence
            before, _ = ctx.sentence(max(s_start - 1, 0))
            found = last(drafts, lambda p: before <= p.match.start < s_start and p.role is Role.CHANGE
                         and not p.reason and p.kind is d.kind)
        return found

    def read_reason(self, d: Draft, explained: Draft, own: Span | None, block: Block,
                    ctx: BlockContext, lead: int) -> None:
        d.role, d.reason, d.of = Role.CHANGE, True, explained
        d.direction = d.direction or explained.direction
        # 3人退休 is a change of the same staff; 咨询费23.13万元 is not 公用经费 itself
        d.label = explained.label if d.kind is Kind.HEADCOUNT else ""
        if own is not None and own.kind == "LABEL_AFTER":
            d.subject = block.text[own.start:own.end]
            return
        words = [s for s in ctx.context if lead <= s.start and s.end <= d.match.start]
        start = words[-1].end if words else lead
        d.subject = trim_subject(block.text[start:d.match.start])

    def stated_year(self, ctx: BlockContext, years: list[Match], s_start: int, position: int) -> int | None:
        """The last year stated before the number in its sentence, base years (较2023年) aside."""
        first = bisect_left(years, s_start, key=lambda y: y.start)  # years are in text order
        last_ = bisect_right(years, position, key=lambda y: y.start)
        stated = [y for y in years[first:last_] if y.end <= position and y.rule != BASE_YEAR
                  and not any(o < y.start < c for o, c in ctx.parens)]  # "（含2023年转列项目5个）" dates an aside
        if not stated:
            return None
        digits = "".join(ctx.norm[stated[-1].start:stated[-1].end].split())  # "20 21年" from PDFs
        return int(digits[:4]) if digits[:4].isdigit() else None

    def own_subject(self, d: Draft, block: Block, ctx: BlockContext, state: BlockState, lead: int) -> None:
        """No vocabulary label: the noun phrase of its own clause (narrative.subjects)."""
        m = d.match
        clause = ctx.clause_start(m.start)
        if clause > 0 and ctx.norm[clause - 1] in ":：" and not ctx.norm[clause:m.start].strip(" 　"):
            clause = ctx.clause_start(clause - 1)  # "1、收入：792.22万元": the clause before the colon
            lead = max(clause, state.drafts[-1].match.end if state.drafts else 0)
        start = max([lead] + [o.end for o in state.others if lead <= o.end <= m.start])
        previous = state.drafts[-1] if state.drafts and state.drafts[-1].match.end > clause else None
        before = (previous.match.start, previous.match.end, previous.noun_after) if previous else None
        if previous is not None and previous.subject and GLUED.fullmatch(ctx.norm, previous.match.end, m.start):
            d.subject = previous.subject  # "控制率%定量指标100%92%100%22否": one flattened row, one subject
            return
        if self.tail and block.index >= 0 and not ctx.norm[:m.start].strip() and d.kind not in AFTER_KINDS \
                and not PURPOSE.match(block.text, m.end):  # "5所完全小学", "30万元用于…" name themselves
            d.subject = self.tail  # "…自治区补助300万元" / "259.45万元" / "86.5%…": one row in lines (not a cell)
            return
        d.subject, d.subject_reason = clause_subject(block.text, d.kind, clause, start, m.start, m.end, before,
                                                     self.indicator)
        if d.subject and d.kind in AFTER_KINDS and block.text.startswith(d.subject, m.end):
            d.noun_after = d.subject

    def text_facts(self, block: Block, norm: str, ctx: BlockContext, years: list[Match]) -> list[Fact]:
        """Qualitative figures stated in words (自评等级“优”), from the text_value rules."""
        out = []
        for rule in self.patterns.text_rules:
            for m in rule.pattern.finditer(norm):
                start, end = m.span("value")
                raw = block.text[start:end]
                s_start, s_end = ctx.sentence(start)
                out.append(Fact(
                    id=stable_id(self.source, block.index, start, rule.label, raw), label=rule.label,
                    subject=self.patterns.labels[rule.label].display, kind=Kind.TEXT, value=None, unit="",
                    raw=raw, decimals=None, locator=block_locator(self.source, block, start, end),
                    year=self.stated_year(ctx, years, s_start, start),
                    sentence=block.text[s_start:s_end].strip(), rule_id=rule.name, text_value=raw))
        return out

    # ---- output ---------------------------------------------------------------------
    def to_fact(self, block: Block, d: Draft, ctx: BlockContext) -> Fact:
        s_start, s_end = ctx.sentence(d.match.start)
        q = d.quantity
        return Fact(
            id=d.id, label=d.label, subject=d.subject, kind=q.kind, value=q.value, unit=q.unit,
            raw=q.raw, decimals=q.decimals, locator=block_locator(self.source, block, d.match.start, d.match.end),
            role=d.role, measure=d.measure, direction=d.direction,
            year=d.year, sentence=block.text[s_start:s_end].strip(), rule_id=d.match.rule,
            part_of=d.part_of.id if d.part_of else None, of=d.of.id if d.of else None,
            group=d.group, order=d.order, subject_reason=d.subject_reason or None,
        )
