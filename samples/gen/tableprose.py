"""A report written inside one big Word table, as the 岳阳 form and many county units send it:
the title above, then one table whose left column holds the section headings and whose right
column holds the prose of the section (several paragraphs in one cell), the annexes after it.

The prose is the same narrative the other reports have (sections2.report_blocks), so every
narrative plant and every relation of the batch applies; a figure's `where` is
{"part": "narrative", "table", "row", "col", "paragraph" (index among the cell's paragraphs),
"char"}."""

from __future__ import annotations

import random
from pathlib import Path

from docx.shared import Pt

from . import fmt
from .grid import TEXT_WIDTH_CM, Grid, render_docx
from .ooxml import BODY_FONT, HEAD_FONT, new_document, save_docx, set_run_font
from .record import Paragraph, figure
from .report import BODY, add_block, place_grid

DEPARTMENTS = ["办公室", "财务股", "综合业务股", "政策法规股", "人事股", "规划股", "督查股", "审批服务股"]
ORG = [
    "本单位内设{n}，即{names}。",
    "单位机关内设职能股室{n}，分别为{names}。",
    "内设机构{n}，包括{names}。",
]
COUNT_FORMS = ("{k}个股室", "{k}个", "{k}个")
LEFT_HEADS = {  # the left column as the 岳阳 form words it; otherwise the report's own heading
    "单位基本情况": ("部门（单位）基本概况", "职能职责概述"),
    "下一步改进措施": ("下一步改进措施", "整改措施及建议"),
}


def org_paragraph(w, names: list[str]) -> Paragraph:
    """"内设机构N个，即 A、B、C。": the count written (u.w("narr.org_count")) against the names."""
    form = w.rng.randrange(len(ORG))
    count = int(w.u.w("narr.org_count", len(names)))
    raw = w._raw(COUNT_FORMS[form].format(k=count))
    number = raw.removesuffix("股室")
    record = figure("org.departments", "内设机构", number, fmt.written(str(count))[0], 0, "个", "count",
                    year=w.u.year)
    before, after = ORG[form].split("{n}")
    p = Paragraph().text(before).fig(record)
    return p.text(raw[len(number):] + after.format(names="、".join(names)))


def sections(blocks) -> tuple[list, list[tuple[str, list]]]:
    """Blocks before the first heading (cover, title), then (heading, body blocks) per section;
    the annex list at the end is dropped (the annexes follow the table)."""
    head, rows = [], []
    for kind, block in blocks:
        if kind == "heading" and str(block).startswith("附件"):
            break
        if kind == "heading" and str(block).endswith("：无。"):
            rows.append((str(block).removesuffix("：无。"), [("body", "无。")]))
        elif kind == "heading":
            rows.append((str(block), []))
        elif rows:
            rows[-1][1].append((kind, block))
        else:
            head.append((kind, block))
    return head, rows


def left_text(heading: str, rng: random.Random) -> str:
    bare = heading.split("、", 1)[-1]
    for key, forms in LEFT_HEADS.items():
        if bare == key and rng.random() < 0.6:
            return rng.choice(forms)
    return heading if rng.random() < 0.5 else bare


def write_table_prose_docx(path: Path, file: str, blocks, grids: list[Grid], rng: random.Random,
                           org: Paragraph) -> list[dict]:
    """Title lines, the one big table (heading | prose), then each annex grid after its captions."""
    doc = new_document(BODY)
    head, rows = sections(blocks)
    for kind, block in head:
        add_block(doc, kind, block if isinstance(block, str) else block.content)
    rows[0][1].insert(1 if len(rows[0][1]) > 1 else 0, ("body", org))
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    widths = (TEXT_WIDTH_CM * 0.22, TEXT_WIDTH_CM * 0.78)
    placed = []
    for r, (heading, body) in enumerate(rows):
        left, right = table.cell(r, 0), table.cell(r, 1)
        left.width, right.width = (Pt(w * 28.35) for w in widths)
        set_run_font(left.paragraphs[0].add_run(left_text(heading, rng)), HEAD_FONT, 12, True)
        for k, (kind, block) in enumerate(body):
            para = right.paragraphs[0] if k == 0 else right.add_paragraph()
            para.paragraph_format.space_after = Pt(0)
            p = block if isinstance(block, Paragraph) else Paragraph([block])
            set_run_font(para.add_run(p.content), BODY_FONT, 12, kind == "subheading" or None)
            for record in p.figures:
                clean = {key: v for key, v in record.items() if key != "char"}
                where = {"part": "narrative", "table": 0, "row": r, "col": 1, "paragraph": k,
                         "char": record["char"]}
                placed.append({**clean, "file": file, "where": where})
    for grid in grids:
        doc.add_page_break()
        index = render_docx(doc, grid)
        placed += place_grid(grid, file, table=index)
    save_docx(doc, path)
    return placed
