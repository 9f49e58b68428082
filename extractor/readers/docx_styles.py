"""Paragraph formatting from styles.xml and numbering.xml, read once per document.

python-docx resolves a paragraph's style by scanning every style (3 ms a paragraph on
a real template) and never exposes automatic numbering, so the DOCX reader reads both
parts here: style names, inherited bold and outline level, and the sample prefix
("一、", "（一）", "1.") a Word-numbered paragraph shows without having it in its text.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml.etree import _Element as Element

W_VAL = qn("w:val")
FALSE_VALUES = {"0", "false", "off"}
NUMBER_SAMPLES = {"decimal": "1", "decimalFullWidth": "1", "decimalHalfWidth": "1", "chineseCounting": "一",
                  "chineseCountingThousand": "一", "ideographTraditional": "一", "japaneseCounting": "一",
                  "taiwaneseCounting": "一", "taiwaneseCountingThousand": "一", "chineseLegalSimplified": "一"}


class StyleIndex:
    """Style names, inherited bold and outline level, read once from styles.xml
    (python-docx looks a paragraph's style up by scanning every style: 3 ms a paragraph)."""

    def __init__(self, styles_element: Element | None) -> None:
        self.names: dict[str, str] = {}
        self.based_on: dict[str, str] = {}
        self.own: dict[str, dict[str, object]] = {"bold": {}, "outline": {}, "num": {}}
        self.default_paragraph: str | None = None
        for style in styles_element.iterchildren(qn("w:style")) if styles_element is not None else ():
            self._add(style)
        self._cache: dict[tuple[str, str], object] = {}

    def _add(self, style: Element) -> None:
        style_id = style.get(qn("w:styleId"), "")
        name, based = style.find(qn("w:name")), style.find(qn("w:basedOn"))
        self.names[style_id] = name.get(W_VAL, style_id) if name is not None else style_id
        if based is not None:
            self.based_on[style_id] = based.get(W_VAL, "")
        self.own["bold"][style_id] = bold_of(style.find(qn("w:rPr")))
        self.own["outline"][style_id] = outline_of(style.find(qn("w:pPr")))
        self.own["num"][style_id] = num_pr(style.find(qn("w:pPr")))
        is_default = style.get(qn("w:default")) in ("1", "true")
        if style.get(qn("w:type")) == "paragraph" and is_default:
            self.default_paragraph = style_id

    def inherited(self, prop: str, style_id: str | None) -> object:
        """The property set in the style or the nearest style it is based on; None if nowhere."""
        if style_id is None:
            return None
        key = (prop, style_id)
        if key not in self._cache:
            own, current, seen, found = self.own[prop], style_id, set(), None
            while current in own and current not in seen:
                seen.add(current)
                if (found := own[current]) is not None:
                    break
                current = self.based_on.get(current, "")
            self._cache[key] = found
        return self._cache[key]

    def bold(self, style_id: str | None) -> bool | None:
        return self.inherited("bold", style_id)  # type: ignore[return-value]


def outline_of(p_pr: Element | None) -> int | None:
    """w:outlineLvl 0-8 (Word's heading levels 1-9); 9 means body text."""
    outline = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
    value = outline.get(W_VAL, "") if outline is not None else ""
    return int(value) if value.isdigit() and int(value) < 9 else None


class Numbering:
    """Word auto-numbering (numbering.xml): the number a paragraph shows is not in its
    text, so a sample prefix ("一、", "（一）", "1.") is built from the level's format to
    let structure.numbered_level judge the heading level."""

    def __init__(self, numbering_element: Element | None) -> None:
        self.levels: dict[str, dict[str, tuple[str, str]]] = {}  # abstractNumId -> ilvl -> (fmt, text)
        self.nums: dict[str, str] = {}  # numId -> abstractNumId
        if numbering_element is None:
            return
        for abstract in numbering_element.iterchildren(qn("w:abstractNum")):
            self.levels[abstract.get(qn("w:abstractNumId"), "")] = {
                lvl.get(qn("w:ilvl"), "0"): (child_val(lvl, "w:numFmt"), child_val(lvl, "w:lvlText"))
                for lvl in abstract.iterchildren(qn("w:lvl"))
            }
        for num in numbering_element.iterchildren(qn("w:num")):
            self.nums[num.get(qn("w:numId"), "")] = child_val(num, "w:abstractNumId")

    def prefix(self, num_id: str, ilvl: str) -> str | None:
        """The number as shown with sample digits: "%1、" in chineseCounting -> "一、"."""
        levels = self.levels.get(self.nums.get(num_id, ""), {})
        if ilvl not in levels:
            return None
        text = levels[ilvl][1]
        for level, (fmt, _) in levels.items():
            placeholder = f"%{int(level) + 1}" if level.isdigit() else None
            if placeholder and placeholder in text:
                if fmt not in NUMBER_SAMPLES:
                    return None
                text = text.replace(placeholder, NUMBER_SAMPLES[fmt])
        return text


def child_val(element: Element, tag: str) -> str:
    child = element.find(qn(tag))
    return child.get(W_VAL, "") if child is not None else ""


def num_pr(p_pr: Element | None) -> tuple[str, str] | None:
    """(numId, ilvl) of a w:pPr's automatic numbering; None when absent or switched off (0)."""
    element = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    num_id = child_val(element, "w:numId") if element is not None else ""
    if num_id in ("", "0"):
        return None
    return num_id, child_val(element, "w:ilvl") or "0"


def bold_of(r_pr: Element | None) -> bool | None:
    bold = r_pr.find(qn("w:b")) if r_pr is not None else None
    return None if bold is None else bold.get(W_VAL, "true").lower() not in FALSE_VALUES


def style_id_of(p_pr: Element | None, styles: StyleIndex) -> str | None:
    p_style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
    return p_style.get(W_VAL) if p_style is not None else styles.default_paragraph


def style_name_of(p_pr: Element | None, style_id: str | None, styles: StyleIndex) -> str | None:
    """The paragraph style name, or "Heading N" from an outline level set on the paragraph
    or inherited from its style (WPS headings often carry only that)."""
    outline = outline_of(p_pr)
    if outline is None:
        outline = styles.inherited("outline", style_id)  # type: ignore[assignment]
    if outline is not None:
        return f"Heading {outline + 1}"
    return styles.names.get(style_id, style_id) if style_id else None


def is_bold(runs: list[Element], style_id: str | None, styles: StyleIndex) -> bool:
    """Every visible run bold: directly (w:b), by its character style, or by the paragraph style."""
    if not runs:
        return False
    para_bold = bool(styles.bold(style_id))
    for r in runs:
        r_pr = r.find(qn("w:rPr"))
        bold = bold_of(r_pr)
        if bold is None and r_pr is not None and (r_style := r_pr.find(qn("w:rStyle"))) is not None:
            bold = styles.bold(r_style.get(W_VAL))
        if not (para_bold if bold is None else bold):
            return False
    return True
