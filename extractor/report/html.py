"""report.html: one self-contained page (inline CSS, JS and SVG, no external URL) that works
offline. The batch as a chart and the units ranked as in 汇总; then each unit's findings under
its header (unit, year, folder), each finding beside its source excerpts with the figures
marked and every place a link to its excerpt; filters on unit, severity, reach (类别) and level
(级别); a 打印 view (print CSS) that puts one unit on a page with its header."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from ..model import Finding, SubmissionSummary
from .chart import chart_parts
from .findings import sort_findings
from .index import FindingKinds, SummaryIndex, as_index
from .ordered import Raws, RawsAt, places_of, ranked_indexes, raws_at
from .returned import LETTER_NAME, returned_folder, returned_names
from .rows import (
    FINDING_COLUMNS,
    LEVEL_ZH,
    REACH_ZH,
    SEVERITY_ZH,
    check_name,
    cut_excerpt,
    folder_of,
    largest_shown,
    place_groups,
    short_file,
    status_name,
)

Links = Mapping[tuple[str, int | None], tuple[str, ...]]  # (unit, year) -> its 返回修改 folder and files

PAGE_EXCERPT = 60  # characters of an excerpt the page shows around its figure (the whole in a tooltip)
ROW_COLUMNS = [c for c in FINDING_COLUMNS if c not in ("编号", "单位", "年度")]  # the unit's header says those
NARROW = {"类别", "级别", "严重程度", "报告值", "应为/附表值", "差额", "处理意见", "备注"}

STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","Noto Sans SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}h3{font-size:1.05em;margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#ddebf7}
td.unit,td.nowrap,th.nowrap{white-space:nowrap}
tr.mandatory td.level{background:#fce4d6;font-weight:bold}
td.excerpt{background:#fafafa;width:30%}td.excerpt:target{outline:3px solid #f0ad4e;background:#fff7e0}
td.message{width:24%}td.place{width:16%}td.reported{min-width:6em}
a.place{color:#0563c1;display:block}
mark{background:#ffe066;padding:0 1px}
.filters{margin:1em 0;display:flex;gap:1em;flex-wrap:wrap;align-items:center}
.filters label{font-size:13px}.hidden{display:none}
.count,.folder{font-size:13px;color:#555}.folder{font-weight:normal;margin-left:1em}
svg.chart text{font-size:12px;fill:#222}svg.chart text.axis{font-weight:bold}
@page{size:A3 landscape;margin:12mm}
@media print{
  body{margin:0}.filters,.count,.noprint{display:none}
  section.unit{break-before:page}thead{display:table-header-group}tr{break-inside:avoid}
  td.excerpt:target{outline:none}a.place{color:#222;text-decoration:none}
}
"""

SCRIPT = """
function applyFilters(){
  var keys=['unit','severity','reach','level'],chosen={};
  keys.forEach(function(k){chosen[k]=document.getElementById('f-'+k).value;});
  var shown=0;
  document.querySelectorAll('section.unit').forEach(function(sec){
    var inUnit=0;
    sec.querySelectorAll('tr.finding').forEach(function(r){
      var ok=keys.every(function(k){return !chosen[k]||r.dataset[k]===chosen[k];});
      r.classList.toggle('hidden',!ok);if(ok){inUnit++;}
    });
    sec.classList.toggle('hidden',inUnit===0);shown+=inUnit;
  });
  document.getElementById('shown').textContent=shown;
}
document.querySelectorAll('.filters select').forEach(function(s){s.addEventListener('change',applyFilters);});
document.getElementById('print').addEventListener('click',function(){window.print();});
"""


def write_html(path: Path, results: Iterable[SubmissionSummary], raws: Raws | RawsAt, returned: bool = False) -> None:
    """report.html at `path`, written atomically piece by piece (one unit's section at a time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with part.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(html_parts(results, raws, returned))
    part.replace(path)


def html_text(results: Iterable[SubmissionSummary], raws: Raws | RawsAt, returned: bool = False) -> str:
    return "".join(html_parts(results, raws, returned))


def html_parts(results: Iterable[SubmissionSummary], raws: Raws | RawsAt, returned: bool = False) -> Iterator[str]:
    """The page in pieces. `raws`: the written figures at (at least) every place the findings
    cite, to mark them, or a lookup of them. `returned`: OUT/返回修改/ was written (--annotate):
    each finding links to its unit's files there."""
    summaries = as_index(results)
    order = ranked_indexes(summaries)
    keys = [summaries.keys[index] for index in order]
    anchors = [f"u-{rank}" if k.findings else "" for rank, k in enumerate(keys, start=1)]
    shown = summaries.kinds
    yield "\n".join((
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>绩效自评报告核查问题清单</title>",
        f"<style>{STYLE}</style></head><body>",
        ('<h1>绩效自评报告核查问题清单</h1><p class="noprint"><button id="print" type="button">打印</button>'
        " 每个单位一页，页首为单位名称和表头（A3 横向）</p>"),
        "<h2>批次概览（按强制、提示问题数和最大差额排序）</h2>",
    ))
    yield "\n"  # the chart and the summary table have a row per unit: streamed, never joined
    yield from chart_parts(keys, anchors)
    yield "\n<h2>单位汇总</h2>\n"
    yield from _summary_table((summaries.head(index) for index in order), anchors)
    yield "\n".join(("", "<h2>问题清单</h2>", _filters(shown),
                     f'<p class="count">显示 <span id="shown">{shown.count}</span> / {shown.count} 条</p>'))
    links = _returned_links(summaries) if returned else {}
    for section in _unit_sections(summaries, order, anchors, raws_at(raws), links):
        yield "\n" + section
    yield f"\n<script>{SCRIPT}</script></body></html>\n"


def _filters(shown: FindingKinds) -> str:
    """The page's filters: the units, severities, reaches and levels found."""
    options = {
        "unit": ("单位", sorted(shown.units)),
        "severity": ("严重程度", [s for s in SEVERITY_ZH.values() if ("severity", s) in shown.kinds]),
        "reach": ("类别", [r for r in REACH_ZH.values() if ("reach", r) in shown.kinds]),
        "level": ("级别", [lv for lv in LEVEL_ZH.values() if ("level", lv) in shown.kinds]),
    }
    selects = []
    for key, (title, values) in options.items():
        opts = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        selects.append(f'<label>{title} <select id="f-{key}"><option value="">全部</option>{opts}</select></label>')
    return f'<div class="filters">{"".join(selects)}</div>'


def _summary_table(ranked: Iterable[SubmissionSummary], anchors: Sequence[str]) -> Iterator[str]:
    heads = ("排名", "单位", "年度", "状态", *LEVEL_ZH.values(), "最大差额", "自评得分", "重新计算得分",
             "识别数字", "已核查数字", "跳过检查", "说明")
    head = "".join(f"<th>{h}</th>" for h in heads)
    yield f'<table class="summary"><thead><tr>{head}</tr></thead><tbody>'
    for rank, (s, anchor) in enumerate(zip(ranked, anchors), start=1):
        unit = f'<a class="unit" href="#{anchor}">{escape(s.unit)}</a>' if anchor else escape(s.unit)
        cells = [str(rank), unit] + [
            escape(str(c))
            for c in (s.year or "", status_name(s.status), s.mandatory, s.advisory, largest_shown(s),
                      s.self_score, s.recomputed, s.figures, s.checked, s.counts["skipped"], s.note)
        ]
        yield "<tr>" + "".join(
            f'<td class="unit">{c}</td>' if i == 1 else f"<td>{c}</td>" for i, c in enumerate(cells)
        ) + "</tr>"
    yield "</tbody></table>"


def _unit_sections(
    summaries: SummaryIndex, order: Sequence[int], anchors: Sequence[str], raws: RawsAt, links: Links,
) -> Iterator[str]:
    """One section per unit with findings, in the triage order: its header, then its findings."""
    head = "".join(f'<th class="nowrap">{h}</th>' if h in NARROW else f"<th>{h}</th>" for h in ROW_COLUMNS)
    for index, anchor in zip(order, anchors):
        if not summaries.keys[index].findings:
            continue
        summary = summaries.head(index)
        title = escape(f"{summary.unit} {summary.year}年度" if summary.year else summary.unit)
        folder = folder_of(summary.files)
        where = f'<span class="folder">文件夹：{escape(folder)}/</span>' if folder else ""
        counts = f'<span class="folder">{"，".join(_level_counts(summary))}</span>'
        findings = sort_findings(list(summaries.findings(index)))
        found = raws(places_of(findings))
        rows = "".join(_finding_row(f, found, _links_cell(f, links)) for f in findings)
        yield (
            f'<section class="unit" id="{anchor}" data-unit="{escape(summary.unit)}"><h3>{title}{where}{counts}</h3>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>"
        )


def _level_counts(summary: SubmissionSummary) -> list[str]:
    mandatory, advisory = LEVEL_ZH.values()
    return [f"{mandatory} {summary.mandatory} 条", f"{advisory} {summary.advisory} 条"]


def _returned_links(summaries: SummaryIndex) -> Links:
    """Each unit's folder in OUT/返回修改/ and its files, by (unit, year)."""
    return {(s.unit, s.year): (returned_folder(s.unit, s.year), *s.files) for s in summaries.heads() if s.files}


def _links_cell(f: Finding, links: Links) -> str:
    """Relative links to the unit's letter and to the returned copies of the files the finding cites."""
    if (f.unit, f.year) not in links:
        return ""
    folder, *files = links[(f.unit, f.year)]
    names = returned_names(files)
    cited = [names[s] for s in dict.fromkeys(loc.source for loc in f.locations) if s in names]
    anchors = [f'<a href="{escape(quote(f"{folder}/{name}"))}">{escape(name)}</a>' for name in [LETTER_NAME, *cited]]
    return '<br><span class="returned">返回修改：' + "，".join(anchors) + "</span>"


def _finding_row(f: Finding, raws: Raws, links: str = "") -> str:
    level = LEVEL_ZH[f.level]
    data = {"unit": f.unit, "severity": SEVERITY_ZH[f.severity], "reach": REACH_ZH[f.reach], "level": level}
    attrs = " ".join(f'data-{k}="{escape(v)}"' for k, v in data.items())
    marked = [raw for loc in f.locations for raw in sorted(raws.get(loc, ()))]
    excerpts = "<br>".join(
        f'<span title="{escape(text)}">{_highlight(cut_excerpt(text, marked, PAGE_EXCERPT), marked)}</span>'
        for text in f.excerpts
    )
    excerpts += "".join(f'<br><img class="scan" alt="扫描原件" src="{escape(uri)}">' for uri in f.ocr_crops)
    cells = [
        escape(check_name(f)),
        f'<td class="nowrap">{data["reach"]}',
        f'<td class="level nowrap">{level}',
        f'<td class="nowrap">{data["severity"]}',
        f'<td class="message">{escape(f.message)}',
        f'<td class="reported">{escape(f.reported)}',
        f'<td class="nowrap">{escape(f.expected)}',
        f'<td class="nowrap">{escape(f.difference)}',
        f'<td class="place">{_place_links(f)}{links}',
        f'<td class="excerpt" id="x-{f.id}">{excerpts}',
        escape(f.decision),
        escape(f.remark),
    ]
    body = "".join(c + "</td>" if c.startswith("<td") else f"<td>{c}</td>" for c in cells)
    css = "finding mandatory" if level == "强制" else "finding"
    return f'<tr class="{css}" id="f-{f.id}" {attrs}>{body}</tr>'


def _place_links(f: Finding) -> str:
    """Each file's places as one link to the finding's excerpts (the full path in a tooltip)."""
    links = []
    for source, where in place_groups(f):
        text = f"{short_file(source, f.unit)} {'、'.join(where)}".strip()
        links.append(f'<a class="place" href="#x-{f.id}" title="{escape(source)}">{escape(text)}</a>')
    return "".join(links)


def _highlight(text: str, raws: list[str]) -> str:
    """Escape the excerpt, then <mark> each figure the finding used: one pass, longest first,
    never inside a longer number (the "5" of a score is not marked inside "50分")."""
    tokens = sorted({escape(r) for r in raws if r.strip()}, key=len, reverse=True)
    html = escape(text)
    if not tokens:
        return html
    pattern = re.compile(r"(?<![0-9.])(?:" + "|".join(re.escape(t) for t in tokens) + r")(?![0-9.])")
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
