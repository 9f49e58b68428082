"""Findings that rest on figures read from a scan: an uncertain figure never carries a 强制
or error finding (it is a 提示 asking the reviewer to look at the page), nor does a figure
whose label rests on a low-scoring punctuation mark (OcrMark.label_uncertain); a finding on
certain OCR figures stays as it is, marked as read from a scan. All carry the figures' crops."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..model import Extraction, Fact, Family, Finding, Level, Locator, Severity

UNCERTAIN = "OCR 识别存疑，请核对原件第{pages}页（识别为 {figures}）："
# a certain figure whose clause has a low-scoring punctuation mark: its label may be another clause's
UNCERTAIN_LABEL = "OCR 识别存疑，请核对原件第{pages}页（{figures} 所在句的标点识别存疑，所属项目可能有误）："
SCANNED = "（数字取自扫描件 OCR 识别，第{pages}页）"
SCANNED_FORM = "表格取自扫描件 OCR 识别，表头或行名可能误读，请核对原件："
# findings on a table's form (rows, headings) rather than on figures: a misread header (级指标
# for 一级指标) would otherwise give a 强制 that no figure carries
FORM_FAMILIES = frozenset({Family.FORM, Family.COMPLETENESS})


def mark_ocr_findings(findings: Sequence[Finding], extraction: Extraction) -> list[Finding]:
    """Each finding as it is, or marked and (when a figure is uncertain) demoted to 提示."""
    scanned: dict[Locator, Fact] = {f.locator: f for f in extraction.facts if f.ocr is not None}
    if not scanned:
        return list(findings)
    sources = {loc.source for loc in scanned}
    return [_marked(finding, [scanned[loc] for loc in finding.locations if loc in scanned], sources)
            for finding in findings]


def _marked(finding: Finding, facts: list[Fact], scanned_sources: set[str]) -> Finding:
    if not facts:
        return _form_marked(finding, scanned_sources)
    crops = tuple(dict.fromkeys(f.ocr.crop for f in facts if f.ocr and f.ocr.crop))
    doubtful = [f for f in facts if f.ocr and f.ocr.uncertain]
    unsure_label = [f for f in facts if f.ocr and f.ocr.label_uncertain and not f.ocr.uncertain]
    if not doubtful and not unsure_label:
        message = finding.message + SCANNED.format(pages=_pages(facts))
        return dataclasses.replace(finding, message=message, ocr_crops=crops)
    if doubtful:
        figures = "、".join(dict.fromkeys(f.raw for f in doubtful))
        message = UNCERTAIN.format(pages=_pages(doubtful), figures=figures) + finding.message
    else:
        figures = "、".join(dict.fromkeys(f.raw for f in unsure_label))
        message = UNCERTAIN_LABEL.format(pages=_pages(unsure_label), figures=figures) + finding.message
    severity = Severity.WARNING if finding.severity is Severity.ERROR else finding.severity
    return dataclasses.replace(finding, message=message, level=Level.ADVISORY, severity=severity,
                               ocr_crops=crops)


def _form_marked(finding: Finding, scanned_sources: set[str]) -> Finding:
    """A form finding on a scanned file (or one that names no place) is a 提示, never a 强制."""
    on_scan = not finding.locations or any(loc.source in scanned_sources for loc in finding.locations)
    if finding.family not in FORM_FAMILIES or not on_scan:
        return finding
    severity = Severity.WARNING if finding.severity is Severity.ERROR else finding.severity
    return dataclasses.replace(finding, message=SCANNED_FORM + finding.message, level=Level.ADVISORY,
                               severity=severity)


def _pages(facts: list[Fact]) -> str:
    pages = sorted({f.ocr.page for f in facts if f.ocr and f.ocr.page is not None})
    return "、".join(str(p) for p in pages) or "?"
