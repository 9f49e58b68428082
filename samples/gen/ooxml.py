"""python-docx / openpyxl helpers: fonts, A4 page, first-line indent, PAGE footer, merged
tables, and byte-reproducible saving (fixed core-property dates and zip member dates)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "Noto Serif CJK SC"
HEAD_FONT = "Noto Sans CJK SC"
FIXED_TIME = dt.datetime(2025, 4, 15, 9, 0, 0)
ZIP_TIME = (2025, 4, 15, 9, 0, 0)


def set_run_font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def new_document(body_size: float = 16, landscape: bool = False):
    """A4 document whose Normal style names the Noto serif for Latin and East Asian text."""
    doc = new_docx()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(body_size)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.8 if not landscape else 2.0)
    add_page_number_footer(section)
    core = doc.core_properties
    core.author = core.last_modified_by = "清溪县财政局样本生成器"
    core.created = core.modified = core.last_printed = FIXED_TIME
    core.revision = 1
    return doc


def add_page_number_footer(section) -> None:
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(para.add_run("- "), BODY_FONT, 12)
    run = para.add_run()
    set_run_font(run, BODY_FONT, 12)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        else:
            el = OxmlElement("w:instrText" if text.strip() == "PAGE" else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._element.append(el)
    set_run_font(para.add_run(" -"), BODY_FONT, 12)


def first_line_indent(paragraph, size: float) -> None:
    """Two-character first-line indent, stated both in chars and in twips."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), str(int(size * 2 * 20)))
    ppr.append(ind)


def add_text(
    doc,
    text: str,
    *,
    size: float = 16,
    bold: bool = False,
    font: str = BODY_FONT,
    indent: bool = True,
    align: str | None = None,
):
    para = doc.add_paragraph()
    if indent:
        first_line_indent(para, size)
    if align == "center":
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if text:
        set_run_font(para.add_run(text), font, size, bold)
    return para


def normalize_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed member dates and fixed core-property dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = blob.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\2", text)
                blob = text.encode("utf-8")
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, blob)
    return out.getvalue()


def save_docx(doc, path: Path) -> None:
    buffer = io.BytesIO()
    doc.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalize_zip(buffer.getvalue()))


def save_xlsx(workbook, path: Path) -> None:
    workbook.properties.creator = "清溪县财政局样本生成器"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalize_zip(buffer.getvalue()))
