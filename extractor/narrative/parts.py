"""Part-of discipline: which figures are parts of which total.

- 其中 opens a scope: later numbers of the same kind and role are parts of the total just
  before it, numbered as one enumeration; under 项目支出 they are project items;
- the scope ends with its sentence (。, read on over ；) unless the next one goes on (另有…)
  while the parts so far fall short of the total (…18万元。此外，预拨资金53.15万元: outside it),
  with the bracket it opened in, at a heading run into the text (…运转二、项目资金…), at a
  new 合计, at the same measure again, or at a number larger than its total;
- a 如下 list never takes a part of the sentence before as its total;
- a bracket after a figure is its breakdown only when it lists two figures or opens with
  其中/含/包括 ("128人（编制169人）" is another measure beside it);
- 一级/二级/三级指标 counts nest: never parts of one another.
"""

from __future__ import annotations

import regex

from ..model import Block, Role
from .context import BlockContext
from .drafts import BlockState, Draft, Scope
from .words import last, project_name, stable_id

BREAKDOWN_WORDS = ("其中", "含", "包括", "包含")  # a bracket with one figure is a breakdown only after these
LEVEL_COUNT = regex.compile(r"[一二三四1-4]级指标[^，,。；;]{0,4}$")  # 一级/二级/三级指标 counts nest: never parts
CONTINUED = ("另", "此外", "还有", "以及", "同时")  # a sentence that goes on with the 其中 list
FULL_STOPS = frozenset("。！？!?\n")
INLINE_HEADING = regex.compile(r"(?<=\p{Han})[一二三四五六七八九十]{1,3}、(?![一二三四五六七八九十\d])")  # "…运转二、项目资金…"
PROJECT_TOTAL, PROJECT_ITEM = "expenditure.project", "expenditure.project.item"


def apply_qizhong(d: Draft, ctx: BlockContext, state: BlockState, block: Block, lead: int, source: str) -> None:
    """Make `d` a part of the total an open 其中 scope (or a bracket after a figure) gives it."""
    marks = [s for s in ctx.of_kind("QIZHONG") if state.last_qizhong < s.start < d.match.start]
    if marks:
        state.last_qizhong = marks[-1].start
        state.pending, state.scope = marks[-1].start, None
    if d.role not in (Role.VALUE, Role.CHANGE) or d.reason:
        return
    if bracketed_part(d, ctx, state, block, source):
        return
    if state.pending is not None:
        opened = state.pending
        total = last(state.drafts, lambda p: p.match.end <= opened and p.kind is d.kind
                     and p.role is d.role and not p.reason)
        state.pending = None
        if total is not None and not enumeration_of_earlier_sentence(total, opened, ctx):
            state.scope = Scope(total, stable_id(source, block.index, "group", total.id), opened)
    scope = state.scope
    if scope is None or scope.total.kind is not d.kind or scope.total.role is not d.role:
        return
    if past_sentence(d, scope, ctx) or LEVEL_COUNT.search(ctx.norm, 0, d.match.start) \
            or past_bracket(d, scope, ctx) or past_heading(d, scope, ctx):
        state.scope = None  # a 其中 list ends with its sentence, its bracket or at a heading run into the text
        return
    totals = [t for t in ctx.context_between("TOTAL", ctx.clause_start(d.match.start), d.match.start)
              if ctx.norm[t.end:d.match.start] in ("", "为")]  # "支出合计1,200万元", not "…合计支出23.57万元"
    if (d.label and d.label == scope.total.label) or totals or outgrows(d, scope, ctx):
        state.scope = None  # the same measure again, a new 合计, or larger than the total
        return
    d.part_of, d.group, d.order = scope.total, scope.group, scope.count
    scope.count += 1
    scope.summed += abs(d.quantity.value)
    if scope.total.label == PROJECT_TOTAL and d.role is Role.VALUE:
        d.label = PROJECT_ITEM
        d.subject = project_name(block.text, ctx, lead, d.match.start)


def enumeration_of_earlier_sentence(total: Draft, opened: int, ctx: BlockContext) -> bool:
    """"…其中…预拨资金53.15万元。项目资金具体到位情况如下：A 629.5万元": a part of the sentence before
    is not what a 如下 list lists ("项目支出834.80万元，比上年增加37.34万元。具体如下：" keeps its total)."""
    start, _ = ctx.sentence(opened)
    return total.match.start < start and total.part_of is not None \
        and any(s.start == opened and s.id == "enumeration" for s in ctx.of_kind("QIZHONG"))


def bracketed_part(d: Draft, ctx: BlockContext, state: BlockState, block: Block, source: str) -> bool:
    """"公务用车购置及运行维护费5.81万元（购置费P、运行维护费O）": P and O are parts of 5.81."""
    opener, closer = next(((o, c) for o, c in ctx.parens if o < d.match.start < c), (None, None))
    if opener is None or closer is None:
        return False
    parent = last(state.drafts, lambda p: p.match.end == opener and p.kind is d.kind and p.role is d.role)
    if parent is None:
        return False
    listed = sum(1 for m in state.quantities if opener < m.start < closer and m.quantity.kind is d.kind)
    if listed < 2 and not ctx.norm[opener + 1:closer].lstrip().startswith(BREAKDOWN_WORDS):
        return True  # "128人（编制169人）": another measure beside it, not a breakdown
    d.part_of, d.group = parent, stable_id(source, block.index, "group", parent.id)
    d.order = state.children.get(parent.id, 0)
    state.children[parent.id] = d.order + 1
    return True


def past_sentence(d: Draft, scope: Scope, ctx: BlockContext) -> bool:
    """After the 。 that ends the 其中 sentence, unless the next sentence says it goes on (另有…)."""
    if scope.opened < 0:
        return False
    end = full_stop_after(scope.opened, ctx)
    if d.match.start < end:
        return False
    start, _ = ctx.sentence(d.match.start)
    goes_on = ctx.norm[start:d.match.start].lstrip().startswith(CONTINUED)
    return not goes_on or scope.summed >= abs(scope.total.quantity.value)


def full_stop_after(position: int, ctx: BlockContext) -> int:
    """End of the sentence at `position`, read past ；: a 其中 list runs on over its semicolons."""
    while True:
        _, end = ctx.sentence(position)
        if end >= len(ctx.norm) or ctx.norm[end - 1] in FULL_STOPS:
            return end
        position = end


def past_bracket(d: Draft, scope: Scope, ctx: BlockContext) -> bool:
    """"778.59万元（其中建筑工程757.44万元），合计6222.4万元": a 其中 inside a bracket ends at its bracket."""
    return scope.opened >= 0 and any(o < scope.opened < c < d.match.start for o, c in ctx.parens)


def past_heading(d: Draft, scope: Scope, ctx: BlockContext) -> bool:
    """"其中上级资金179.25万元…二、项目资金使用…87.06万元": a section heading ends the list."""
    return scope.opened >= 0 and INLINE_HEADING.search(ctx.norm, scope.opened, d.match.start) is not None


def outgrows(d: Draft, scope: Scope, ctx: BlockContext) -> bool:
    """Past the 其中 sentence, a number larger than the total is no longer one of its parts."""
    if scope.opened < 0:
        return abs(d.quantity.value) > abs(scope.total.quantity.value)
    _, sentence_end = ctx.sentence(scope.opened)
    return d.match.start >= sentence_end and abs(d.quantity.value) > abs(scope.total.quantity.value)
