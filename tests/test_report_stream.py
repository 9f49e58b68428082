"""The reports written as streams (batch parent's memory flat as the batch grows, issues 16 and 17).

discrepancies.xlsx is written in openpyxl's write-only mode, row by row; read back, it must
hold what the whole workbook built in memory held (the reference below is that writer, as it
was before the streams): every sheet's cell values, number formats, fonts, fills, alignment,
column widths, row heights, hyperlinks, frozen panes, autofilter and print set-up. Checked on
a real batch output (real files of samples/batch, the real pipeline).
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import sqlite3
import sys
from copy import copy
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from extractor.batch import BatchSettings, db, execute_batch, outputs
from extractor.batch.codec import from_jsonable
from extractor.batch.encode import compact
from extractor.batch.runner import _finished_summaries
from extractor.batch.spool import Chained, SummarySpool
from extractor.batch.work import pipeline_factory
from extractor.model import Locator, SubmissionSummary
from extractor.report import finding_tally, ordered, write_summary_reports
from extractor.report import xlsx as stream
from extractor.report.rows import (
    FINDING_COLUMNS,
    FINDING_WIDTHS,
    LEVEL_ZH,
    SUMMARY_COLUMNS,
    SUMMARY_WIDTHS,
    all_findings,
    finding_row,
    summary_row,
    unit_summaries,
)
from extractor.report.safe_cells import guard_row
from extractor.serialize import to_jsonable

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "batch"
# two years of one unit (cross-year findings), a PDF, and units with 强制 and 提示 findings
FOLDERS = ("清溪县林业局（2023年）", "清溪县林业局（2024年）", "清溪县财政局", "清溪县教育局2023年度绩效自评",
           "清溪县教育局2024年度绩效自评", "清溪县水利局")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not SAMPLES.is_dir():
        pytest.fail(f"{SAMPLES} missing: run `make samples`")
    root = tmp_path_factory.mktemp("stream") / "in"
    for name in FOLDERS:
        shutil.copytree(SAMPLES / name, root / name)
    out = root.parent / "out"
    execute_batch(BatchSettings(root, out, workers=2, quiet=True), pipeline_factory(120), sys.stderr)
    return root, out


def finished(out: Path) -> tuple[SummarySpool, sqlite3.Connection]:
    conn = db.open_db(out / "results.sqlite")
    return _finished_summaries(conn, db.load_entries(conn), set()), conn


def whole_workbook(path: Path, summaries: list, raws: dict, links_from: Path, source_root: Path) -> None:
    """The reference: discrepancies.xlsx as the writer built it in memory before it streamed."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = "问题清单"
    findings = all_findings(summaries)
    rows = [stream._with_link(finding_row(f, stream._marks(f, raws)), f) for f in findings]
    _fill(sheet, stream._with_link(FINDING_COLUMNS, None), rows, stream._with_link(FINDING_WIDTHS, None))
    for number, (row, finding) in enumerate(zip(rows, findings), start=2):
        if row[5] == "强制":
            sheet.cell(row=number, column=6).fill = stream.MANDATORY_FILL
        if finding.locations:
            cell = sheet.cell(row=number, column=stream.LINK_COLUMN)
            target = os.path.relpath(source_root / finding.locations[0].source, links_from)
            cell.hyperlink = Path(target).as_posix()
            cell.font = stream.LINK_FONT
    ranked = unit_summaries(summaries)
    summary_sheet = wb.create_sheet("汇总")
    rows = [summary_row(s, rank) for rank, s in enumerate(ranked, start=1)]
    _fill(summary_sheet, SUMMARY_COLUMNS, rows, SUMMARY_WIDTHS)
    summary_sheet.page_setup.fitToHeight = -(-len(rows) // stream.UNITS_PER_PAGE) or 1
    chart = wb.create_sheet("图表")
    chart.append(["单位", *LEVEL_ZH.values(), "最大差额（元）"])
    for s in ranked:
        chart.append([stream._unit_label(s), s.mandatory, s.advisory, s.largest])
    for cell in chart[1]:
        cell.font = Font(bold=True)
        cell.fill = stream.HEADER_FILL
    chart.column_dimensions["A"].width = 30
    for letter in "BCD":
        chart.column_dimensions[letter].width = 12
    count = len(ranked)
    units = stream.Reference(chart, min_col=1, min_row=2, max_row=count + 1)
    chart.add_chart(stream._bar_chart("各单位问题数（强制、提示）", "问题数", chart, units, 2, 3, count, "stacked"), "F2")
    chart.add_chart(stream._bar_chart("各单位最大差额", "元", chart, units, 4, 4, count, None),
                    f"F{4 + stream._chart_rows(count)}")
    chart.print_area = f"A1:T{8 + 2 * stream._chart_rows(count)}"
    chart.page_setup.orientation = "landscape"
    chart.page_setup.paperSize = chart.PAPERSIZE_A3
    chart.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "extractor"
    wb.properties.created = stream.FIXED_TIME
    wb.save(path)


def _fill(ws, columns: list, rows: list, widths: list) -> None:
    ws.append(columns)
    for row in rows:
        ws.append(guard_row(list(row)))
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(size=stream.FONT_SIZE)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for cell in ws[1]:
        cell.font = Font(bold=True, size=stream.FONT_SIZE)
        cell.fill = stream.HEADER_FILL
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[stream.get_column_letter(index)].width = width
    for number, row in enumerate(rows, start=2):
        ws.row_dimensions[number].height = stream.LINE_HEIGHT * stream._lines_needed(row, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{stream.get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def described(path: Path) -> dict:
    """What a reader of the workbook sees, sheet by sheet."""
    wb = openpyxl.load_workbook(path)
    seen: dict = {"sheets": wb.sheetnames, "creator": wb.properties.creator, "created": wb.properties.created}
    for ws in wb.worksheets:
        cells = [
            (c.coordinate, c.value, c.data_type, c.number_format, c.font.name, c.font.sz, c.font.b, c.font.u,
             c.font.color.rgb if c.font.color is not None else None, c.fill.fill_type,
             c.fill.fgColor.rgb if c.fill.fill_type else None, c.alignment.wrap_text, c.alignment.vertical,
             c.hyperlink.target if c.hyperlink else None)
            for row in ws.iter_rows() for c in row
        ]
        setup = ws.page_setup
        seen[ws.title] = {
            "cells": cells, "dimensions": ws.dimensions,
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "heights": {k: v.height for k, v in ws.row_dimensions.items() if v.height is not None},
            "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "titles": ws.print_title_rows,
            "area": ws.print_area, "setup": (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight),
            "fit": ws.sheet_properties.pageSetUpPr.fitToPage,
            "margins": (ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom),
            "charts": [(type(c).__name__, c.anchor._from.row, c.width, c.height, len(c.series)) for c in ws._charts],
        }
    return seen


def test_streamed_xlsx_reads_back_as_the_whole_workbook(batch: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = batch
    spool, conn = finished(out)
    summaries = list(spool)
    raws = db.load_raws(conn, {loc for s in summaries for f in s.findings for loc in f.locations})
    conn.close()
    whole_workbook(tmp_path / "whole.xlsx", summaries, raws, out, root)
    expected, got = described(tmp_path / "whole.xlsx"), described(out / "discrepancies.xlsx")
    for name in ("问题清单", "汇总", "图表"):
        assert got[name] == expected[name], name
    assert got == expected
    sheet = expected["问题清单"]
    findings = sum(len(s.findings) for s in summaries)
    assert sheet["filter"] == f"A1:P{findings + 1}" and findings >= 10
    assert any(c[9] == "solid" and c[10] == "00FCE4D6" for c in sheet["cells"])  # a 强制 level cell
    assert sum(1 for c in sheet["cells"] if c[13]) >= findings // 2  # links to the source files
    assert len(expected["图表"]["charts"]) == 2 and expected["汇总"]["fit"]


def test_two_runs_give_the_same_xlsx_bytes(batch: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = batch
    first = (out / "discrepancies.xlsx").read_bytes()
    copy_out = tmp_path / "again"
    spool, conn = finished(out)
    for name in ("a.xlsx", "b.xlsx"):
        stream.write_xlsx(copy_out / name, spool, lambda places: db.load_raws(conn, places), out, root)
    conn.close()
    assert (copy_out / "a.xlsx").read_bytes() == (copy_out / "b.xlsx").read_bytes() == first


def test_list_and_spool_give_the_same_report_bytes(batch: tuple[Path, Path], tmp_path: Path) -> None:
    _, out = batch
    spool, conn = finished(out)
    summaries = list(spool)
    raws = db.load_raws(conn, {loc for s in summaries for f in s.findings for loc in f.locations})
    from_list = write_summary_reports(summaries, raws, tmp_path / "list")
    from_spool = write_summary_reports(Chained(spool, []), lambda places: db.load_raws(conn, places), tmp_path / "spool")
    conn.close()
    for a, b in zip(from_list, from_spool):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_findings_and_ranking_read_in_pieces_keep_the_whole_orders(batch: tuple[Path, Path]) -> None:
    """Shuffled summaries, several of one unit and year, findings filed under another unit's
    name: the orders read a unit and year at a time are those of sorting everything at once."""
    _, out = batch
    spool, conn = finished(out)
    conn.close()
    summaries = list(spool)
    with_findings = [s for s in summaries if s.findings]
    odd = dataclasses.replace(with_findings[0], unit=with_findings[-1].unit, year=with_findings[-1].year)
    moved = dataclasses.replace(with_findings[1], findings=tuple(
        dataclasses.replace(f, unit="另一单位", year=None) for f in with_findings[1].findings))
    mixed = [*summaries, odd, moved]
    random.Random(7).shuffle(mixed)
    assert list(ordered.ordered_findings(mixed)) == all_findings(mixed)
    assert list(ordered.ranked(mixed)) == unit_summaries(mixed)
    assert [copy(s) for s in spool] == summaries and spool[len(spool) - 1] == summaries[-1]


class CountingSpool(SummarySpool):
    """A spool that counts how often each submission's head and findings are decoded."""

    def __init__(self, summaries) -> None:
        self.decoded: dict[str, list[int]] = {"head": [], "findings": []}
        super().__init__(summaries)

    def head(self, index: int):
        self.decoded["head"].append(index)
        return super().head(index)

    def findings(self, index: int):
        self.decoded["findings"].append(index)
        return super().findings(index)


def test_every_writer_decodes_a_submissions_findings_once_at_most(batch: tuple[Path, Path], tmp_path: Path) -> None:
    """The four reports from one index: each submission's findings decoded once per report
    that lists findings (xlsx, csv, json, html), its head once per report that shows it; the
    facts files and batch.json read no finding."""
    _, out = batch
    spool, conn = finished(out)
    summaries = list(spool)
    counting = CountingSpool(summaries)
    written = write_summary_reports(counting, lambda places: db.load_raws(conn, places), tmp_path / "r")
    conn.close()
    with_findings = [i for i, s in enumerate(summaries) if s.findings]
    assert len(with_findings) >= 5
    per = {i: counting.decoded["findings"].count(i) for i in range(len(summaries))}
    assert all(per[i] == 4 for i in with_findings), per
    assert all(per[i] == 0 for i in range(len(summaries)) if i not in with_findings), per
    heads = {i: counting.decoded["head"].count(i) for i in range(len(summaries))}
    assert max(heads.values()) <= 4 and min(heads.values()) >= 3, heads  # 汇总, JSON, the page's table (and section)
    for path in written:
        assert path.read_bytes() == (out / path.name).read_bytes() or path.suffix == ".xlsx", path.name
    counting.decoded["findings"].clear()
    batch_json = "".join(outputs.batch_summary(counting, []))
    assert counting.decoded["findings"] == [] and batch_json == (out / "batch.json").read_text(encoding="utf-8")


def test_heads_keep_the_counts_of_the_findings_they_leave_out(batch: tuple[Path, Path]) -> None:
    _, out = batch
    spool, conn = finished(out)
    conn.close()
    summaries = list(spool)
    for index, summary in enumerate(summaries):
        head = spool.head(index)
        assert (head.mandatory, head.advisory, head.by_severity, head.finding_count) == (
            summary.mandatory, summary.advisory, summary.by_severity, len(summary.findings))
        assert sorted(finding_tally(head)) == sorted(finding_tally(summary))
        assert spool.keys[index].groups == tuple(dict.fromkeys((f.unit, f.year or 0) for f in summary.findings))
        assert spool[index] == summary and type(spool[index]) is SubmissionSummary
    assert spool.kinds.count == sum(len(s.findings) for s in summaries) >= 10


def test_a_places_key_is_the_stored_locator(batch: tuple[Path, Path]) -> None:
    """db.locator_key (the fast key the reports look places up by) is the text the facts store."""
    _, out = batch
    conn = db.open_db(out / "results.sqlite")
    stored = [text for (text,) in conn.execute("SELECT DISTINCT locator FROM facts")]
    conn.close()
    places = [from_jsonable(Locator, json.loads(text)) for text in stored]
    assert len(places) >= 100 and any(p.section for p in places) and any(p.sheet for p in places)
    assert [db.locator_key(p) for p in places] == stored == [compact(to_jsonable(p)) for p in places]
