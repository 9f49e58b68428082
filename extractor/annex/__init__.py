"""Annex tables (附件1 基础数据表, 附件2 自评表, 项目支出绩效自评表, provincial variants) -> Facts.

Public API:
- classify_table(table, doc) -> "basic_data" | "self_eval" | "project_self_eval" | "other"
- extract_annex_facts(doc) -> list[Fact], in table, row, column order (deterministic)
- annex_issues(doc) -> list[Issue]: recognised tables that gave no header or no figures (W310, W311)
- annex_facts_and_issues(doc) -> (facts, issues) from one walk

Layouts and vocabulary live in patterns/annex.toml (validated by spec.py). A table split
in two (a page break, or an author's two tables) is read as one: the second part keeps
the first part's columns and block when it has no header of its own.

Facts: label from labels.toml, measure from the column (budget/final for 基础数据表,
initial_budget/adjusted_budget/executed for 自评表), year from the header (2023年决算数) or
the table's title year, role prior for earlier years and rate for rate labels, value in
the base unit (元, %, 人 ...) with the written precision, raw = the cell text (or the value
after a label's colon), locator = (source, table, row, col, page, char span of raw),
rule_id "annex.<layout>.<label>" (layout: basic_data, self_eval, project_self_eval,
self_eval_yunnan / _sichuan / _chongqing), id = sha1(source, table, row, col, label, raw).

Nulls ("—", "/", "*", "……", "-", empty): value None, never zero. A known row or column
always yields its fact (value None when blank) so completeness checks can see the gap;
a filler "……" row, a blank project row and an empty indicator row yield no fact at all.
Text in a number cell stays text (text_value), never a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Document, Fact, Issue, Locator, Table, parse_year
from .basic_data import HANDLERS as BASIC_HANDLERS
from .basic_data import HEADER_HANDLERS
from .classify import OTHER, classify_table, nearby_blocks, title_kind, title_rows
from .context import Context, first_page, header_unit, years_in
from .headers import continues_header, header_block, header_years, open_header
from .self_eval import HANDLERS as SELF_EVAL_HANDLERS
from .spec import AnnexSpec, default_spec, load_annex_spec
from .template import FILLER_LABEL, template_row
from .variants import layout_name

__all__ = ["annex_facts_and_issues", "annex_issues", "classify_table", "extract_annex_facts", "load_annex_spec"]

HANDLERS = {**BASIC_HANDLERS, **SELF_EVAL_HANDLERS}


def extract_annex_facts(doc: Document, spec: AnnexSpec | None = None) -> list[Fact]:
    """Facts from every recognised annex table of the document; other tables give none."""
    return [fact for walked in walk_annex_tables(doc, spec) for fact in walked.ctx.facts]


@dataclass
class WalkedTable:
    """One recognised annex table (its parts when split) after the walk."""

    ctx: Context
    parts: list[Table] = field(default_factory=list)


def walk_annex_tables(doc: Document, spec: AnnexSpec | None = None) -> list[WalkedTable]:
    """Every recognised annex table, read; a headerless next part continues the one before."""
    spec = spec or default_spec()  # the run's bundle's, else the process's
    walked: list[WalkedTable] = []
    previous: Table | None = None
    for table in doc.tables:
        kind = classify_table(table, doc, spec)
        if kind == OTHER:
            previous = None
            continue
        if previous is None or not _continues(walked[-1].ctx, previous, table, doc, spec, kind):
            walked.append(WalkedTable(_new_context(doc, table, kind, spec)))
        else:
            walked[-1].ctx.start_part(table)
        walked[-1].parts.append(table)
        walk_table(walked[-1].ctx)
        previous = table
    return walked


KIND_NAMES = {"basic_data": "基础数据表", "self_eval": "部门整体支出绩效自评表", "project_self_eval": "项目支出绩效自评表"}
NO_HEADER = "W310"
NO_FACTS = "W311"


def annex_issues(doc: Document) -> list[Issue]:
    """A trace for every recognised annex table that could not be read: no header row the
    layouts know (W310), or a header but not one figure or text cell (W311)."""
    return annex_facts_and_issues(doc)[1]


def annex_facts_and_issues(doc: Document, spec: AnnexSpec | None = None) -> tuple[list[Fact], list[Issue]]:
    """extract_annex_facts and annex_issues from one walk over the tables."""
    walked_tables = walk_annex_tables(doc, spec)
    facts = [fact for walked in walked_tables for fact in walked.ctx.facts]
    return facts, _issues(doc, walked_tables)


def _issues(doc: Document, walked_tables: list[WalkedTable]) -> list[Issue]:
    issues = []
    for walked in walked_tables:
        ctx, table = walked.ctx, walked.parts[0]
        where = f"{doc.source} " + (f"工作表“{table.sheet}”" if table.sheet else f"表{table.index + 1}")
        name = KIND_NAMES.get(ctx.kind, ctx.kind)
        locator = Locator(source=doc.source, table=table.index, page=first_page(table), sheet=table.sheet)
        if not any(block is not None for block in ctx.headers.values()):
            message = f"{where}：识别为{name}，但未找到可识别的表头，表中数字未读取，请人工核对"
            issues.append(Issue(NO_HEADER, message, doc.source, locator))
        elif not any(f.label != FILLER_LABEL for f in ctx.facts):
            message = f"{where}：识别为{name}，但未读出任何数据，请人工核对表格内容"
            issues.append(Issue(NO_FACTS, message, doc.source, locator))
    return issues


def _continues(ctx: Context, previous: Table, table: Table, doc: Document, spec: AnnexSpec, kind: str) -> bool:
    return (ctx.kind == kind and table.index == previous.index + 1
            and title_kind(table, doc, spec) is None and not table.caption)


def _new_context(doc: Document, table: Table, kind: str, spec: AnnexSpec) -> Context:
    blocks = next(k.blocks for k in spec.kinds if k.name == kind)
    titles = [table.caption or "", *title_rows(table), *nearby_blocks(table, doc)]
    ctx = Context(doc=doc, spec=spec, kind=kind, layout=layout_name(kind, table, spec), blocks=blocks,
                  report_year=None, table_unit=table.unit_hint or header_unit(titles, spec))
    ctx.start_part(table)
    ctx.report_year = _report_year(ctx, titles)
    return ctx


def _report_year(ctx: Context, titles: list[str]) -> int | None:
    """The year the table reports on: its header years, its title (（2024年度）), the document's."""
    assert ctx.table is not None
    found = header_years(ctx, range(ctx.table.n_rows))
    if not found:
        found = [y for text in titles for y in years_in(ctx.spec.key(text))]
    if not found:
        stated = map(parse_year, (_narrative_year(ctx.doc), ctx.doc.metadata.get("year")))
        found = [year for year in stated if year is not None][:1]
    if not found:
        found = years_in(ctx.spec.key(ctx.doc.source.rsplit("/", 1)[-1]))
    return max(found) if found else None


def _narrative_year(doc: Document) -> str:
    """The report year stated on the cover or title (2024年度…自评报告), when the annex is inside it."""
    from ..narrative.metadata import document_metadata

    return document_metadata(doc).get("year", "") if doc.blocks else ""


def walk_table(ctx: Context) -> None:
    """Row by row: header rows open a block, data rows go to the block's handler."""
    assert ctx.table is not None
    for row in range(ctx.table.n_rows):
        block = header_block(ctx, row)
        if block is None and continues_header(ctx, row):
            block = ctx.block
        if block is not None:
            open_header(ctx, row, block)
            if block in HEADER_HANDLERS:
                HEADER_HANDLERS[block](ctx, row)
        elif template_row(ctx, row):
            continue
        elif ctx.block is not None:
            HANDLERS[ctx.block](ctx, row)
