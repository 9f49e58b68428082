"""The picture of the batch for report.html: one inline SVG (no script, no external reference), a row per
unit in the triage order (汇总's ranking), a stacked bar of its 强制 and 提示 findings and a bar
of its largest money difference, each unit's name a link to its findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from html import escape

from ..model import SubmissionSummary
from .rows import LEVEL_ZH, largest_shown

ROW = 22  # px per unit
LABEL = 260  # px for the unit's name
COUNT_BAR = 300  # px for the largest finding count
MONEY_BAR = 300  # px for the largest difference
GAP = 40
TOP = 40
COLOURS = {"mandatory": "#d9534f", "advisory": "#f0ad4e", "money": "#4a7fb5"}


def batch_chart(ranked: Sequence[SubmissionSummary], anchors: Sequence[str]) -> str:
    """`ranked`: the units as 汇总 orders them; `anchors`: the page id of each unit's findings."""
    return "".join(chart_parts(ranked, anchors))


def chart_parts(ranked: Iterable[SubmissionSummary], anchors: Sequence[str]) -> Iterator[str]:
    """batch_chart in pieces; `ranked` is walked twice (a list, or summaries read from disk)."""
    most, largest = 0, Decimal(0)
    for s in ranked:
        most, largest = max(most, s.mandatory + s.advisory), max(largest, s.largest)
    most, largest = most or 1, largest or Decimal(1)
    width = LABEL + COUNT_BAR + GAP + MONEY_BAR + 120
    height = TOP + ROW * len(anchors) + 10
    yield (f'<svg class="chart" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" aria-label="各单位问题数与最大差额">')
    yield _legend()
    for index, (summary, anchor) in enumerate(zip(ranked, anchors)):
        yield _unit_row(index, summary, anchor, most, largest)
    yield "</svg>"


def _legend() -> str:
    mandatory, advisory = LEVEL_ZH.values()
    x_money = LABEL + COUNT_BAR + GAP
    return (
        f'<text x="{LABEL}" y="16" class="axis">问题数：</text>'
        f'<rect x="{LABEL + 56}" y="6" width="12" height="12" fill="{COLOURS["mandatory"]}"/>'
        f'<text x="{LABEL + 72}" y="16" class="axis">{mandatory}</text>'
        f'<rect x="{LABEL + 110}" y="6" width="12" height="12" fill="{COLOURS["advisory"]}"/>'
        f'<text x="{LABEL + 126}" y="16" class="axis">{advisory}</text>'
        f'<rect x="{x_money}" y="6" width="12" height="12" fill="{COLOURS["money"]}"/>'
        f'<text x="{x_money + 16}" y="16" class="axis">最大差额（元）</text>'
    )


def _unit_row(index: int, s: SubmissionSummary, anchor: str, most: int, largest: Decimal) -> str:
    y = TOP + index * ROW
    name = f"{s.unit} {s.year}" if s.year else s.unit
    red = round(COUNT_BAR * s.mandatory / most)
    orange = round(COUNT_BAR * s.advisory / most)
    money = round(MONEY_BAR * float(s.largest / largest)) if s.largest else 0  # pixels only, never a figure
    x_money = LABEL + COUNT_BAR + GAP
    label = f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" class="unit">{escape(name)}</text>'
    if anchor:
        label = f'<a class="unit" href="#{anchor}">{label}</a>'
    return (
        f'<g class="bar" data-unit="{escape(s.unit)}" data-mandatory="{s.mandatory}" data-advisory="{s.advisory}">'
        f"<title>{escape(name)}：{level_counts(s)}，最大差额 {escape(largest_shown(s) or '0')}</title>{label}"
        f'<rect x="{LABEL}" y="{y + 4}" width="{red}" height="14" fill="{COLOURS["mandatory"]}"/>'
        f'<rect x="{LABEL + red}" y="{y + 4}" width="{orange}" height="14" fill="{COLOURS["advisory"]}"/>'
        f'<text x="{LABEL + red + orange + 4}" y="{y + 15}" class="value">{s.mandatory}/{s.advisory}</text>'
        f'<rect x="{x_money}" y="{y + 4}" width="{money}" height="14" fill="{COLOURS["money"]}"/>'
        f'<text x="{x_money + money + 4}" y="{y + 15}" class="value">{escape(largest_shown(s))}</text></g>'
    )


def level_counts(s: SubmissionSummary) -> str:
    mandatory, advisory = LEVEL_ZH.values()
    return f"{mandatory} {s.mandatory}，{advisory} {s.advisory}"
