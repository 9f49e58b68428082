"""Quantities of one block -> Facts: label, role, direction, year and the relations between them.

Reading rules (what a reviewer does with a sentence):
- the label is the label phrase right after a count ("4个职能科室"), else the nearest
  label phrase before the number in its sentence with no number of the same kind between;
- 占/占比 before a percent makes a share of the part just named;
- a direction word (增加/减少 ...) makes a change (a change rate for a percent) of the
  value it modifies: the latest value with the same label, else the one just before;
- after 因/原因是, numbers of the same kind explain the change before them (reasons);
- 其中 opens a scope: later numbers of the same kind and role are parts of the total
  just before it, numbered as one enumeration; under 项目支出 they are project items.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..model import Block, Direction, Fact, Kind, Locator, Role
from ..numbers import Quantity
from ..patterns import Patterns
from .context import BlockContext, Span
from .scan import Match

PROJECT_TOTAL, PROJECT_ITEM = "expenditure.project", "expenditure.project.item"
SUBJECT_TRIM = "，,：:；;、。 "
LEADING_WORDS = ("其中", "及", "和", "以及")


def stable_id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


@dataclass
class Draft:
    match: Match
    quantity: Quantity
    label: str = ""
    subject: str = ""
    role: Role = Role.VALUE
    direction: Direction | None = None
    year: int | None = None
    of: Draft | None = None
    part_of: Draft | None = None
    group: str | None = None
    order: int | None = None
    reason: bool = False
    id: str = ""

    @property
    def kind(self) -> Kind:
        return self.quantity.kind


@dataclass
class Scope:
    total: Draft
    group: str
    opened: int  # where its 其中 stands
    count: int = 0


@dataclass
class BlockState:
    drafts: list[Draft] = field(default_factory=list)
    last_qizhong: int = -1
    pending: int | None = None  # position of a 其中 waiting for its first part
    scope: Scope | None = None


class Linker:
    """Links the facts of one document; remembers each label's latest value across blocks."""

    def __init__(self, patterns: Patterns, source: str, report_year: int | None) -> None:
        self.patterns = patterns
        self.source = source
        self.report_year = report_year
        self.latest: dict[str, Draft] = {}
        self.reason_labels = {lab.kind: lab.id for lab in patterns.labels.values()
                              if lab.id.endswith(".change_reason")}

    def link_block(self, block: Block, matches: list[Match], ctx: BlockContext) -> list[Fact]:
        state = BlockState()
        years = [m for m in matches if m.reason in ("year", "date")]
        for match in matches:
            if match.quantity is None:
                continue
            draft = self.read_quantity(block, match, ctx, state, years)
            state.drafts.append(draft)
        return [self.to_fact(block, d, ctx) for d in state.drafts]

    def read_quantity(self, block: Block, m: Match, ctx: BlockContext, state: BlockState,
                      years: list[Match]) -> Draft:
        d = Draft(m, m.quantity)  # type: ignore[arg-type]
        s_start, _ = ctx.sentence(m.start)
        lead = max(ctx.clause_start(m.start), state.drafts[-1].match.end if state.drafts else 0)
        own = self.own_label(ctx, m, s_start, state.drafts)
        directions = ctx.context_between("DIRECTION", lead, m.start)
        d.direction = Direction(directions[-1].id) if directions else None
        d.year = self.stated_year(ctx, years, s_start, m.start)
        explained = self.explained_change(ctx, state.drafts, m, s_start, own)
        if d.kind is Kind.PERCENT and ctx.context_between("SHARE", lead, m.start):
            self.read_share(d, state.drafts, s_start)
        elif explained is not None:
            self.read_reason(d, explained, own, block, ctx, lead)
        elif d.direction is not None:
            self.read_change(d, own, block, state.drafts, s_start)
            if d.year is None and ctx.context_between("BASE", s_start, m.start):
                d.year = self.report_year
        else:
            self.read_value(d, own, block, ctx, lead)
        self.apply_qizhong(d, ctx, state, block, lead)
        d.id = stable_id(self.source, block.index, m.start, d.label, d.quantity.raw)
        if d.role in (Role.VALUE, Role.PRIOR) and d.label:
            self.latest[d.label] = d
        return d

    # ---- labels ---------------------------------------------------------------------
    def own_label(self, ctx: BlockContext, m: Match, s_start: int, drafts: list[Draft]) -> Span | None:
        after = ctx.label_after(m.end)
        if after is not None:
            return after
        floor = s_start
        for prior in drafts:
            if prior.match.start >= s_start and prior.kind is m.quantity.kind:  # type: ignore[union-attr]
                floor = max(floor, prior.match.end)
        spans = ctx.labels_between(floor, m.start)
        return spans[-1] if spans else None

    def fit_label(self, label_id: str, kind: Kind, cumulative: bool) -> str:
        """The label for this kind: the _cumulative / .<kind> variant when one exists, else ""."""
        labels = self.patterns.labels
        if cumulative and f"{label_id}_cumulative" in labels:
            label_id = f"{label_id}_cumulative"
        label = labels.get(label_id)
        if label is None:
            return ""
        if label.kind in (kind, Kind.TEXT):
            return label_id
        variant = f"{label_id}.{kind.value}"
        return variant if variant in labels else ""

    # ---- roles ----------------------------------------------------------------------
    def read_value(self, d: Draft, own: Span | None, block: Block, ctx: BlockContext, lead: int) -> None:
        if own is not None:
            clause = ctx.clause_start(d.match.start)
            cumulative = bool(ctx.context_between("MODIFIER", clause, d.match.start))
            d.label = self.fit_label(own.id, d.kind, cumulative)
            d.subject = block.text[own.start:own.end] if d.label else ""
        prior_words = ctx.context_between("PRIOR", lead, d.match.start)
        if prior_words or (d.year and self.report_year and d.year < self.report_year):
            d.role = Role.PRIOR

    def read_share(self, d: Draft, drafts: list[Draft], s_start: int) -> None:
        d.role, d.direction = Role.SHARE, None
        d.of = last(drafts, lambda p: p.match.start >= s_start and p.kind is not Kind.PERCENT
                    and p.role is Role.VALUE)
        if d.of is not None:
            d.label, d.subject, d.part_of = d.of.label, d.of.subject, d.of.part_of

    def read_change(self, d: Draft, own: Span | None, block: Block, drafts: list[Draft],
                    s_start: int) -> None:
        d.role = Role.RATE if d.kind is Kind.PERCENT else Role.CHANGE
        if own is not None and own.kind == "LABEL":
            d.of = self.latest.get(own.id) or self.latest.get(self.fit_label(own.id, d.kind, False))
            d.label = own.id if d.role is Role.RATE or d.kind is Kind.PERCENT_POINT else \
                self.fit_label(own.id, d.kind, False)
            d.subject = block.text[own.start:own.end]
            return
        if d.kind is Kind.PERCENT_POINT:
            wanted = lambda p: p.kind is Kind.PERCENT and p.role is Role.VALUE  # noqa: E731
        elif d.kind is Kind.PERCENT:
            wanted = lambda p: p.kind is not Kind.PERCENT and p.role is Role.VALUE  # noqa: E731
        else:
            wanted = lambda p: p.kind is d.kind and p.role in (Role.VALUE, Role.PRIOR)  # noqa: E731
        d.of = last(drafts, lambda p: p.match.start >= s_start and wanted(p)) or last(drafts, wanted)
        if d.of is not None:
            d.label, d.subject = d.of.label, d.of.subject

    def explained_change(self, ctx: BlockContext, drafts: list[Draft], m: Match, s_start: int,
                         own: Span | None) -> Draft | None:
        """The change this number explains when it follows 因/原因是 in the same sentence."""
        reasons = ctx.context_between("REASON", s_start, m.start)
        if not reasons:
            return None
        reason = reasons[-1]
        if own is not None and own.start > reason.start and not own.id.endswith(".change_reason"):
            return None
        return last(drafts, lambda p: s_start <= p.match.start < reason.start and p.role is Role.CHANGE
                    and not p.reason and p.kind is m.quantity.kind)  # type: ignore[union-attr]

    def read_reason(self, d: Draft, explained: Draft, own: Span | None, block: Block,
                    ctx: BlockContext, lead: int) -> None:
        d.role, d.reason, d.of = Role.CHANGE, True, explained
        d.direction = d.direction or explained.direction
        d.label = self.reason_labels.get(d.kind, "")
        if own is not None and own.kind == "LABEL_AFTER":
            d.subject = block.text[own.start:own.end]
            return
        words = [s for s in ctx.context if lead <= s.start and s.end <= d.match.start]
        start = words[-1].end if words else lead
        d.subject = trim_subject(block.text[start:d.match.start])

    def stated_year(self, ctx: BlockContext, years: list[Match], s_start: int, position: int) -> int | None:
        bases = [s for s in ctx.context if s.kind == "BASE"]
        stated = [y for y in years if s_start <= y.start and y.end <= position
                  and not any(b.start <= y.start and y.end <= b.end for b in bases)]
        if not stated:
            return None
        digits = ctx.norm[stated[-1].start:stated[-1].end].strip()
        return int(digits[:4]) if digits[:4].isdigit() else None

    # ---- 其中 scopes ----------------------------------------------------------------
    def apply_qizhong(self, d: Draft, ctx: BlockContext, state: BlockState, block: Block, lead: int) -> None:
        marks = [s for s in ctx.context if s.kind == "QIZHONG" and state.last_qizhong < s.start < d.match.start]
        if marks:
            state.last_qizhong = marks[-1].start
            state.pending, state.scope = marks[-1].start, None
        if d.role not in (Role.VALUE, Role.CHANGE) or d.reason:
            return
        if state.pending is not None:
            opened = state.pending
            total = last(state.drafts, lambda p: p.match.end <= opened and p.kind is d.kind
                         and p.role is d.role and not p.reason)
            state.pending = None
            if total is not None:
                state.scope = Scope(total, stable_id(self.source, block.index, "group", total.id), opened)
        scope = state.scope
        if scope is None or scope.total.kind is not d.kind or scope.total.role is not d.role:
            return
        if (d.label and d.label == scope.total.label) or self.outgrows(d, scope, ctx):
            state.scope = None
            return
        d.part_of, d.group, d.order = scope.total, scope.group, scope.count
        scope.count += 1
        if scope.total.label == PROJECT_TOTAL and d.role is Role.VALUE:
            d.label = PROJECT_ITEM
            d.subject = project_name(block.text[lead:d.match.start])

    def outgrows(self, d: Draft, scope: Scope, ctx: BlockContext) -> bool:
        """Past the 其中 sentence, a number larger than the total is no longer one of its parts."""
        _, sentence_end = ctx.sentence(scope.opened)
        return d.match.start >= sentence_end and abs(d.quantity.value) > abs(scope.total.quantity.value)

    # ---- output ---------------------------------------------------------------------
    def to_fact(self, block: Block, d: Draft, ctx: BlockContext) -> Fact:
        s_start, s_end = ctx.sentence(d.match.start)
        q = d.quantity
        locator = Locator(source=self.source, block=block.index, char_start=d.match.start,
                          char_end=d.match.end, page=block.page, section=tuple(block.section))
        return Fact(
            id=d.id, label=d.label, subject=d.subject, kind=q.kind, value=q.value, unit=q.unit,
            raw=q.raw, decimals=q.decimals, locator=locator, role=d.role, direction=d.direction,
            year=d.year, sentence=block.text[s_start:s_end].strip(), rule_id=d.match.rule,
            part_of=d.part_of.id if d.part_of else None, of=d.of.id if d.of else None,
            group=d.group, order=d.order,
        )


def project_name(lead_text: str) -> str:
    """"其中：贷款资产管理服务支出" -> "贷款资产管理服务"."""
    name = trim_subject(lead_text)
    for suffix in ("支出", "经费支出"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name


def trim_subject(text: str) -> str:
    """Without edge punctuation and a leading 其中/及/和."""
    text = text.strip(SUBJECT_TRIM)
    for word in LEADING_WORDS:
        if text.startswith(word):
            return text[len(word):].strip(SUBJECT_TRIM)
    return text


def last(drafts: list[Draft], wanted) -> Draft | None:
    for draft in reversed(drafts):
        if wanted(draft):
            return draft
    return None
