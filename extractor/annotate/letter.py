"""审核意见.docx: the letter that goes back with a unit's marked files.

Title, the unit, the year, the findings numbered (强制 first), each with where it is
(文件 第N段 / 表N 第R行 第C列 / 第N页), the figures that disagree, what to do, and the
closing lines. The wording is data: patterns/letter.toml, the Patterns bundle's `letter`
piece (extractor.patterns.LetterText), handed in by the caller. 误报 findings never reach here.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import docx
from docx.oxml.ns import qn
from lxml import etree
from lxml.etree import _Element as Element

from ..model import Finding, Level, Locator
from ..patterns import LetterText
from ..report.findings import describe_locator
from ..vocabulary import zh
from .marks import AUTHOR
from .ooxml import write_package, xml_bytes

TEMPLATE = Path(docx.__file__).parent / "templates" / "default.docx"  # python-docx's blank document
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DC = "{http://purl.org/dc/elements/1.1/}"

def letter_order(findings: Sequence[Finding]) -> list[Finding]:
    """强制 first, then 提示; within a level the discrepancy list's order."""
    return sorted(findings, key=lambda f: f.level is not Level.MANDATORY)


def place_in_letter(loc: Locator) -> str:
    """Where the unit finds it, named by the file's own name (the folder holds the files)."""
    return describe_locator(dataclasses.replace(loc, source=PurePosixPath(loc.source).name))


def finding_lines(finding: Finding, exact: bool, text: LetterText) -> list[str]:
    """The lines of one numbered item, after its heading line."""
    places = "；".join(dict.fromkeys(place_in_letter(loc) for loc in finding.locations)) or text.lines["no_place"]
    lines = [f"位置：{places}"]
    figures = [(name, value) for name, value in (("报告值", finding.reported), ("应为", finding.expected),
                                                   ("差额", finding.difference)) if value]
    if figures:
        lines.append("；".join(f"{name}：{value}" for name, value in figures))
    lines.append(f"处理意见：{text.action(finding.family)}")
    if finding.decision == "已更正":
        lines.append(text.lines["corrected"] + (f"（{finding.remark}）" if finding.remark else ""))
    if not exact:
        lines.append(text.lines["not_exact" if finding.locations else "no_place_marked"])
    lines.append(f"问题编号：{finding.id}")
    return lines


def letter_paragraphs(unit: str, year: int | None, findings: Sequence[Finding],
                      exact: dict[str, bool], text: LetterText) -> list[Paragraph]:
    """The letter's paragraphs; `exact[finding id]`: all its places were marked exactly."""
    ordered = letter_order(findings)
    fill = {"unit": unit, "year": year or "", "mandatory": sum(f.level is Level.MANDATORY for f in ordered),
            "advisory": sum(f.level is Level.ADVISORY for f in ordered)}
    out = [Paragraph([(text.lines["title"].format(**fill), True)], align="center", size=36),
           Paragraph([(f"{unit}：", False)]),
           Paragraph([(text.lines["intro" if ordered else "no_findings"].format(**fill), False)], indent=True)]
    for number, finding in enumerate(ordered, start=1):
        out.append(Paragraph([(f"{number}. 【{zh(finding.level)}】", True), (finding.message, False)]))
        out += [Paragraph([(line, False)], indent=True)
                for line in finding_lines(finding, exact.get(finding.id, False), text)]
    if ordered:
        out.append(Paragraph([(text.lines["marked"], False)], indent=True))
    out.append(Paragraph([(text.lines["closing"], False)], indent=True))
    out.append(Paragraph([(text.lines["signature"], False)], align="right"))
    return out


@dataclass(frozen=True)
class Paragraph:
    runs: list[tuple[str, bool]]  # (text, bold)
    align: str | None = None  # w:jc value
    indent: bool = False  # first line indented two characters
    size: int = 32  # half-points: 三号 (16 pt), as official letters are set


def write_letter(path: Path, unit: str, year: int | None, findings: Sequence[Finding], exact: dict[str, bool],
                 text: LetterText) -> None:
    """审核意见.docx from python-docx's blank template, with this letter (worded by `text`) as its body."""
    title = text.lines["title"].format(unit=unit, year=year or "")
    body = letter_paragraphs(unit, year, findings, exact, text)
    with zipfile.ZipFile(TEMPLATE) as template:
        document = etree.fromstring(template.read("word/document.xml"))
        core = etree.fromstring(template.read("docProps/core.xml"))
        _fill_body(document.find(qn("w:body")), body)
        _fill_core(core, title)
        write_package(template, path, {"word/document.xml": xml_bytes(document), "docProps/core.xml": xml_bytes(core)})


def _fill_body(body: Element, paragraphs: list[Paragraph]) -> None:
    section = body.find(qn("w:sectPr"))
    for paragraph in paragraphs:
        section.addprevious(_paragraph_xml(paragraph))
    size = section.find(qn("w:pgSz"))
    size.set(qn("w:w"), "11906")  # A4
    size.set(qn("w:h"), "16838")


def _paragraph_xml(paragraph: Paragraph) -> Element:
    p = etree.Element(qn("w:p"))
    p_pr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(p_pr, qn("w:spacing"), {qn("w:after"): "120", qn("w:line"): "400", qn("w:lineRule"): "exact"})
    if paragraph.indent:
        etree.SubElement(p_pr, qn("w:ind"), {qn("w:firstLineChars"): "200"})
    if paragraph.align:
        etree.SubElement(p_pr, qn("w:jc"), {qn("w:val"): paragraph.align})
    for text, bold in paragraph.runs:
        r = etree.SubElement(p, qn("w:r"))
        r_pr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(r_pr, qn("w:rFonts"), {qn("w:eastAsia"): "黑体" if bold else "仿宋"})
        if bold:
            etree.SubElement(r_pr, qn("w:b"))
        etree.SubElement(r_pr, qn("w:sz"), {qn("w:val"): str(paragraph.size)})
        t = etree.SubElement(r, qn("w:t"), {XML_SPACE: "preserve"})
        t.text = text
    return p


def _fill_core(core: Element, title: str) -> None:
    """Title and author; the template's fixed dates stay (no creation time: same bytes every run)."""
    for tag, value in ((DC + "title", title), (DC + "creator", AUTHOR), (DC + "description", "")):
        element = core.find(tag)
        if element is not None:
            element.text = value
