"""report.html: one self-contained page (inline CSS and JS, no external URL) that works
offline. Units ranked as in 汇总; each finding beside its source excerpt with the figures
marked; filters on unit, severity, reach (类别) and level (级别)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from html import escape
from urllib.parse import quote

from ..model import Finding, Locator, SubmissionSummary
from .returned import LETTER_NAME, returned_folder, returned_names
from .rows import (
    FINDING_COLUMNS,
    LEVEL_ZH,
    REACH_ZH,
    SEVERITY_ZH,
    all_findings,
    check_name,
    largest_shown,
    places,
    status_name,
    unit_summaries,
)

Raws = Mapping[Locator, AbstractSet[str]]  # the figures (as written) at each place a finding cites

STYLE = """
body{font-family:"Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#ddebf7;position:sticky;top:0}
tr.mandatory td.level{background:#fce4d6;font-weight:bold}
td.excerpt{background:#fafafa;max-width:32em}
mark{background:#ffe066;padding:0 1px}
.filters{margin:1em 0;display:flex;gap:1em;flex-wrap:wrap}
.filters label{font-size:13px}.hidden{display:none}
.count{font-size:13px;color:#555}
"""

SCRIPT = """
function applyFilters(){
  var keys=['unit','severity','reach','level'],chosen={};
  keys.forEach(function(k){chosen[k]=document.getElementById('f-'+k).value;});
  var rows=document.querySelectorAll('tr.finding'),shown=0;
  rows.forEach(function(r){
    var ok=keys.every(function(k){return !chosen[k]||r.dataset[k]===chosen[k];});
    r.classList.toggle('hidden',!ok);if(ok){shown++;}
  });
  document.getElementById('shown').textContent=shown;
}
document.querySelectorAll('.filters select').forEach(function(s){s.addEventListener('change',applyFilters);});
"""


def html_text(results: Sequence[SubmissionSummary], raws: Raws, returned: bool = False) -> str:
    """`raws`: the written figures at (at least) every place the findings cite, to mark them.
    `returned`: OUT/返回修改/ was written (--annotate): each finding links to its unit's files there."""
    findings = all_findings(results)
    links = _returned_links(results) if returned else {}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>绩效自评报告核查问题清单</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>绩效自评报告核查问题清单</h1>",
        "<h2>单位汇总（按强制、提示问题数和最大差额排序）</h2>",
        _summary_table(results),
        "<h2>问题清单</h2>",
        _filters(findings),
        f'<p class="count">显示 <span id="shown">{len(findings)}</span> / {len(findings)} 条</p>',
        _findings_table(findings, raws, links),
        f"<script>{SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _summary_table(results: Sequence[SubmissionSummary]) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "排名",
            "单位",
            "年度",
            "状态",
            *LEVEL_ZH.values(),
            "最大差额",
            "自评得分",
            "重新计算得分",
            "识别数字",
            "已核查数字",
            "跳过检查",
        )
    )
    rows = []
    for rank, s in enumerate(unit_summaries(results), start=1):
        cells = [
            rank,
            s.unit,
            s.year or "",
            status_name(s.status),
            s.mandatory,
            s.advisory,
            largest_shown(s),
            s.self_score,
            s.recomputed or s.note,
            s.figures,
            s.checked,
            s.counts["skipped"],
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _filters(findings: list[Finding]) -> str:
    options = {
        "unit": ("单位", sorted({f.unit for f in findings})),
        "severity": (
            "严重程度",
            [s for s in SEVERITY_ZH.values() if any(SEVERITY_ZH[f.severity] == s for f in findings)],
        ),
        "reach": ("类别", [r for r in REACH_ZH.values() if any(REACH_ZH[f.reach] == r for f in findings)]),
        "level": ("级别", [lv for lv in LEVEL_ZH.values() if any(LEVEL_ZH[f.level] == lv for f in findings)]),
    }
    selects = []
    for key, (title, values) in options.items():
        opts = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        selects.append(
            f'<label>{title} <select id="f-{key}"><option value="">全部</option>{opts}</select></label>'
        )
    return f'<div class="filters">{"".join(selects)}</div>'


def _findings_table(findings: list[Finding], raws: Raws, links: Mapping[tuple[str, int | None], tuple[str, ...]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in FINDING_COLUMNS[1:])  # 编号 stays out of the page
    rows = [_finding_row(f, raws, _links_cell(f, links)) for f in findings]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _returned_links(results: Sequence[SubmissionSummary]) -> dict[tuple[str, int | None], tuple[str, ...]]:
    return {(s.unit, s.year): (returned_folder(s.unit, s.year), *s.files) for s in results if s.files}


def _links_cell(f: Finding, links: Mapping[tuple[str, int | None], tuple[str, ...]]) -> str:
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
    marked = [raw for loc in f.locations for raw in raws.get(loc, ())]
    excerpt = "<br>".join(_highlight(text, marked) for text in f.excerpts)
    excerpt += "".join(f'<br><img class="scan" alt="扫描原件" src="{escape(uri)}">' for uri in f.ocr_crops)
    cells = [
        escape(f.unit),
        escape(str(f.year or "")),
        escape(check_name(f)),
        data["reach"],
        f'<td class="level">{level}',
        data["severity"],
        escape(f.message),
        escape(f.reported),
        escape(f.expected),
        escape(f.difference),
        escape(places(f)) + links,
        f'<td class="excerpt">{excerpt}',
        escape(f.decision),
        escape(f.remark),
    ]
    body = "".join(c + "</td>" if c.startswith("<td") else f"<td>{c}</td>" for c in cells)
    css = "finding mandatory" if level == "强制" else "finding"
    return f'<tr class="{css}" id="f-{f.id}" {attrs}>{body}</tr>'


def _highlight(text: str, raws: list[str]) -> str:
    """Escape the excerpt, then <mark> each figure the finding used: one pass, longest first,
    never inside a longer number (the "5" of a score is not marked inside "50分")."""
    tokens = sorted({escape(r) for r in raws if r.strip()}, key=len, reverse=True)
    html = escape(text)
    if not tokens:
        return html
    pattern = re.compile(r"(?<![0-9.])(?:" + "|".join(re.escape(t) for t in tokens) + r")(?![0-9.])")
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
