"""PDFs typeset in CJK fonts the way WPS and Word export them, for the PDF reader's tests
(issue 12 item 7): Noto Sans CJK SC and Noto Serif CJK SC embedded (subsets), figures in
Times as Word's 西文字体, body at 12 and 10.5 pt, titles at 16 pt; paragraphs justified
(the slack spread over the gaps between pieces, as Word does for Chinese) or ragged;
tables ruled cell by cell, continued over page breaks.

The content is data here (PARAGRAPHS, TABLES), so tests compare what the reader gives
with what was typeset. The PDFs are committed under tests/fixtures/pdf_cjk/; the suite
only reads them. To rebuild (needs fpdf2 and fonts-noto-cjk, about 10 s a file):

    pip install 'fpdf2==2.8.9' && python tests/cjk_pdf.py
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent / "fixtures" / "pdf_cjk"
NOTO = Path("/usr/share/fonts/opentype/noto")
SC = 2  # Noto CJK collections: JP, KR, SC, TC, HK
PAGE_W, PAGE_H = 595.0, 842.0
TOP, FOOT = 72.0, 770.0  # body area: from TOP down to FOOT
NO_LINE_START = set("，。、；：？！）》」』】”’%‰…")
NO_LINE_END = set("（《「『【“‘")
ASCII_RUN = re.compile(r"[0-9A-Za-z.,%‰:/\-]+")


@dataclass
class Style:
    font: str  # "sans" or "serif" (CJK); ASCII runs are set in Times
    size: float
    justify: bool
    indent: float = 2.0  # first-line indent in ems
    leading: float = 1.5  # baseline to baseline, in sizes
    bold: bool = False
    center: bool = False
    grid: bool = False  # Word's 文档网格: each CJK char on a grid cell, lines not stretched
    tracking: bool = False  # justified by spacing every char (Tc), figures' digits too


@dataclass
class Doc:
    name: str
    left: float
    right: float
    parts: list = field(default_factory=list)  # ("p", Style, text) | ("table", Table) | ("page",)


@dataclass
class Table:
    """Cells per page: rows of (col, col_span, row_span, text), spans within the page (a
    merged cell cut by the break is a box on each page, the later ones empty, as Word draws
    it); `open_top` / `open_bottom`: no rule atop the next page's part / under this page's."""
    widths: list[float]
    pages: list[list[list[tuple[int, int, int, str]]]]
    size: float = 10.5
    font: str = "serif"
    open_top: bool = False
    open_bottom: bool = False
    start: float = 0.0  # page-1 top; 0: just where the text before it ends


BODY_SANS = Style("sans", 12, True)
BODY_SERIF = Style("serif", 10.5, False)
TITLE = Style("sans", 16, False, indent=0, bold=True, center=True)
HEADING_SANS = Style("sans", 12, False, bold=True)

PARAGRAPHS_JUSTIFIED = [
    ("本单位为财政全额拨款的行政单位，内设股室7个，下属二级机构3个，核定行政编制18名，实有在职人员16人，退休人员9人。"
     "2024年度共办理国库集中支付业务127笔、4406万元，比上年增加386笔、1,234.56万元，增长率为38.52%。"),
    ("全年收入合计2,348.75万元，其中：财政拨款收入2,100.00万元，事业收入248.75万元；支出合计2,296.30万元，"
     "其中基本支出1,596.30万元，项目支出700.00万元，年末结转和结余52.45万元。"),
    "三公经费支出12.30万元，较上年减少3.20万元，下降20.65%，其中公务接待费1.10万元，公务用车运行维护费11.20万元。",
    "项目资金到位率100%，执行率98.60%，资金使用合规，未发现截留、挤占、挪用等情况，项目绩效目标基本完成。",
]
PARAGRAPHS_GRID = [
    ("本年度我局认真落实各项财政政策，全年共办理国库集中支付业务127笔、4406万元，"
     "其中直接支付业务36笔、1,580.20万元，授权支付业务91笔、2,825.80万元。"),
    ("全年预算执行进度总体平稳，第一季度执行率为22.35%，上半年执行率为51.60%，"
     "前三季度执行率为76.08%，全年执行率为98.60%，比上年提高2.15个百分点。"),
]
PARAGRAPHS_HEADED = [
    ("本局内设股室7个，下属二级机构3个，核定行政编制18名，实有在职人员16人，退休人员9人，"
     "年末实有车辆2辆，全年共召开专题会议12次，办结群众来信来访事项46件，办结率为百分之百，群众满意度测评为优秀等次。"),
    ("全年支出合计2,296.30万元，其中基本支出1,596.30万元，项目支出700.00万元，"
     "年末结转和结余52.45万元，预算执行率为98.60%，较上年提高2.15个百分点，三公经费支出控制在年初预算以内，未发生超标准支出。"),
]
PARAGRAPHS_TRACKED = [
    ("经审核，本年度部门决算收入合计为12,345,678.90元，支出合计为12,001,234.56元，年末结余344,444.34元，"
     "其中基本支出9,876,543.21元，项目支出2,124,691.35元，政府采购支出1,060,000.00元，占比为8.83%。"),
]
PARAGRAPHS_RAGGED = [
    ("年初预算数612.40万元，全年预算数540.00万元，全年执行数532.18万元，执行率98.55%，"
     "政府采购预算85.00万元，实际采购82.36万元，节约资金2.64万元，全部为货物类采购。"),
    "在职人员控制率为88.89%，较上年提高5.56个百分点；重点工作完成率100%，共完成年度重点工作12项、民生实事5件。",
    "固定资产总值1,836.27万元，其中房屋及构筑物1,205.00万元，通用设备318.66万元，车辆2辆、价值36.80万元。",
]

SPLIT_ROW = (  # a tall row cut by the page break: only the long cells run on
    "支付离退休人员公用经费补助，含上年度未拨付部分及本年度新增部分，资金按季度拨付到位，"
    "其中医疗补助1,234.56元，交通补助2,345.00元，因审批流程调整需分期拨付。"
)

OPEN_SPLIT = ("完成辖区内2,000户困难群众的走访慰问和补助发放工作", "全年实际完成1,860户，发放补助资金186.00万元",
              "部分申请人资格复核未通过，待下年度补发")

STACKED = ("612.40\n540.00", "1.未通过。\n2.待补发。")

TABLES = {
    # a repeated header row, a row split over the break (short cells end on page 1)
    "split_row": Table(
        widths=[40, 215, 80, 80],
        start=610,
        pages=[
            [[(0, 1, 1, "序号"), (1, 1, 1, "项目名称及说明"), (2, 1, 1, "预算数"), (3, 1, 1, "执行数")],
             [(0, 1, 1, "1"), (1, 1, 1, "办公设备购置"), (2, 1, 1, "12.00"), (3, 1, 1, "11.86")],
             [(0, 1, 1, "2"), (1, 1, 1, "业务培训"), (2, 1, 1, "8.50"), (3, 1, 1, "8.50")],
             [(0, 1, 1, "3"), (1, 1, 1, (SPLIT_ROW, 3)), (2, 1, 1, "216.00"), (3, 1, 1, "208.60")]],
            [[(0, 1, 1, "序号"), (1, 1, 1, "项目名称及说明"), (2, 1, 1, "预算数"), (3, 1, 1, "执行数")],
             [(0, 1, 1, ""), (1, 1, 1, (SPLIT_ROW, -3)), (2, 1, 1, ""), (3, 1, 1, "")],
             [(0, 1, 1, "4"), (1, 1, 1, "信息化运维"), (2, 1, 1, "30.00"), (3, 1, 1, "29.10")]],
        ]),
    # every cell of the split row runs on; no rule atop the part on page 2 nor under the one on page 1
    "open_split": Table(
        widths=[130, 145, 140],
        start=640,
        open_top=True,
        open_bottom=True,
        pages=[
            [[(0, 1, 1, "年度目标"), (1, 1, 1, "实际完成情况"), (2, 1, 1, "偏差原因")],
             [(0, 1, 1, (OPEN_SPLIT[0], 1)), (1, 1, 1, (OPEN_SPLIT[1], 1)), (2, 1, 1, (OPEN_SPLIT[2], 1))]],
            [[(0, 1, 1, (OPEN_SPLIT[0], -1)), (1, 1, 1, (OPEN_SPLIT[1], -1)), (2, 1, 1, (OPEN_SPLIT[2], -1))],
             [(0, 1, 1, "新建村级服务站3个"), (1, 1, 1, "已建成3个"), (2, 1, 1, "无")]],
        ]),
    # a cut row whose cells stopped short at the break: two figures stacked in one cell, two
    # paragraphs in another, one of each on either page; no header repeated
    "split_stacked": Table(
        widths=[40, 200, 75, 100],
        start=650,
        pages=[
            [[(0, 1, 1, "序号"), (1, 1, 1, "项目名称及说明"), (2, 1, 1, "预算数/执行数"), (3, 1, 1, "偏差原因")],
             [(0, 1, 1, "5"), (1, 1, 1, (SPLIT_ROW, 2)), (2, 1, 1, (STACKED[0], 1)), (3, 1, 1, (STACKED[1], 1))]],
            [[(0, 1, 1, ""), (1, 1, 1, (SPLIT_ROW, -2)), (2, 1, 1, (STACKED[0], -1)), (3, 1, 1, (STACKED[1], -1))],
             [(0, 1, 1, "6"), (1, 1, 1, "信息化运维"), (2, 1, 1, "30.00"), (3, 1, 1, "无")]],
        ]),
    # a new row atop page 2 with an empty cell under a filled one; a merge starting at the foot
    # in a column with no other merges, its rest a one-row box
    "new_row_at_top": Table(
        widths=[40, 150, 80, 70, 75],
        start=660,
        pages=[
            [[(0, 1, 1, "序号"), (1, 1, 1, "项目"), (2, 1, 1, "类别"), (3, 1, 1, "金额"), (4, 1, 1, "备注")],
             [(0, 1, 1, "2"), (1, 1, 1, "办公费"), (2, 1, 1, "公用经费"), (3, 1, 1, "2.30"), (4, 1, 1, "")],
             [(0, 1, 1, "3"), (1, 1, 1, "印刷费"), (2, 1, 1, "商品服务"), (3, 1, 1, "1.20"), (4, 1, 1, "已完成")]],
            [[(0, 1, 1, "4"), (1, 1, 1, "差旅费"), (2, 1, 1, "商品服务"), (3, 1, 1, "0.80"), (4, 1, 1, "")],
             [(0, 1, 1, "5"), (1, 1, 1, "会议费"), (2, 1, 1, "商品服务"), (3, 1, 1, "0.50"), (4, 1, 1, "无")]],
        ]),
    # 一级指标 merged cell starting in the last row of page 1, running 3 rows onto page 2
    "merge_at_foot": Table(
        widths=[70, 70, 185, 90],
        start=640,
        pages=[
            [[(0, 1, 1, "一级指标"), (1, 1, 1, "二级指标"), (2, 1, 1, "三级指标"), (3, 1, 1, "指标值")],
             [(0, 1, 1, "成本指标"), (1, 1, 1, "经济成本"), (2, 1, 1, "人均培训成本"), (3, 1, 1, "≤800元")],
             [(0, 1, 1, "产出指标"), (1, 1, 1, "数量指标"), (2, 1, 1, "培训人次"), (3, 1, 1, "1200人次")]],
            [[(0, 1, 2, ""), (1, 1, 2, ""), (2, 1, 1, "新建服务站"), (3, 1, 1, "3个")],
             [(2, 1, 1, "覆盖行政村"), (3, 1, 1, "45个")],
             [(0, 1, 1, "效益指标"), (1, 1, 1, "社会效益"), (2, 1, 1, "群众满意度"), (3, 1, 1, "≥90%")]],
        ]),
    # the same with the merge running one row onto page 2
    "merge_one_more": Table(
        widths=[70, 70, 185, 90],
        start=640,
        pages=[
            [[(0, 1, 1, "一级指标"), (1, 1, 1, "二级指标"), (2, 1, 1, "三级指标"), (3, 1, 1, "指标值")],
             [(0, 1, 2, "成本指标"), (1, 1, 2, "经济成本"), (2, 1, 1, "人均培训成本"), (3, 1, 1, "≤800元")],
             [(2, 1, 1, "办公成本"), (3, 1, 1, "≤12万元")],
             [(0, 1, 1, "产出指标"), (1, 1, 1, "数量指标"), (2, 1, 1, "培训人次"), (3, 1, 1, "1200人次")]],
            [[(0, 1, 1, ""), (1, 1, 1, ""), (2, 1, 1, "新建服务站"), (3, 1, 1, "3个")],
             [(0, 1, 2, "效益指标"), (1, 1, 2, "社会效益"), (2, 1, 1, "群众满意度"), (3, 1, 1, "≥90%")],
             [(2, 1, 1, "投诉办结率"), (3, 1, 1, "100%")]],
        ]),
}


def _pieces(text: str) -> list[str]:
    """Unbreakable pieces: an ASCII run or one CJK char, with the punctuation that may not
    start a line glued to the piece before and the one that may not end a line to the next."""
    raw: list[str] = []
    at = 0
    while at < len(text):
        match = ASCII_RUN.match(text, at)
        end = match.end() if match else at + 1
        raw.append(text[at:end])
        at = end
    pieces: list[str] = []
    carry = ""
    for piece in raw:
        if piece in NO_LINE_END:
            carry += piece
        elif piece[0] in NO_LINE_START and pieces:
            pieces[-1] += carry + piece
            carry = ""
        else:
            pieces.append(carry + piece)
            carry = ""
    if carry:
        pieces.append(carry)
    return pieces


class Typesetter:
    def __init__(self, pdf) -> None:
        self.pdf = pdf

    def _font(self, style_font: str, size: float, ascii_run: bool, bold: bool = False) -> None:
        if ascii_run:
            self.pdf.set_font("Times", "B" if bold else "", size)
        else:
            self.pdf.set_font(style_font + ("-bold" if bold else ""), size=size)

    def width(self, piece: str, font: str, size: float, bold: bool = False) -> float:
        total = 0.0
        for run in _runs(piece):
            self._font(font, size, bool(ASCII_RUN.fullmatch(run)), bold)
            total += self.pdf.get_string_width(run)
        return total

    def wrap(self, text: str, font: str, size: float, width: float, indent: float = 0.0,
             bold: bool = False) -> list[list[str]]:
        lines: list[list[str]] = [[]]
        used = indent
        for piece in _pieces(text):
            w = self.width(piece, font, size, bold)
            if lines[-1] and used + w > width + 0.01:
                lines.append([])
                used = 0.0
            lines[-1].append(piece)
            used += w
        return lines

    def draw_line(self, pieces: list[str], x: float, baseline: float, font: str, size: float,
                  spread: float = 0.0, bold: bool = False, track: float = 0.0) -> None:
        """One line from x; `spread` extra points between consecutive pieces (justification),
        `track` extra points after every char (Tc)."""
        for piece in pieces:
            for run in _runs(piece):
                self._font(font, size, bool(ASCII_RUN.fullmatch(run)), bold)
                self.pdf.char_spacing = 0
                width = self.pdf.get_string_width(run)
                self.pdf.char_spacing = track
                self.pdf.text(x, baseline, run)
                x += width + track * len(run)
            x += spread
        self.pdf.char_spacing = 0

    def grid_paragraph(self, style: Style, text: str, left: float, right: float, y: float) -> float:
        """Set on the document grid: a CJK char fills one cell of a fixed pitch, an ASCII run
        its own width rounded up to whole cells; a piece that does not fit moves down whole,
        so a line may stop a cell or two short ("127" / "笔、4406万元")."""
        cells = int((right - left) // style.size)
        pitch = (right - left) / cells
        lines: list[list[tuple[str, int]]] = [[]]
        used = int(style.indent)
        for piece in _pieces(text):
            need = sum(-(-self.width(run, style.font, style.size) // pitch) if ASCII_RUN.fullmatch(run)
                       else len(run) for run in _runs(piece))
            if lines[-1] and used + need > cells:
                lines.append([])
                used = 0
            lines[-1].append((piece, used))
            used += int(need)
        for pieces in lines:
            for piece, cell in pieces:
                x = left + cell * pitch
                for run in _runs(piece):
                    if ASCII_RUN.fullmatch(run):
                        self._font(style.font, style.size, True)
                        self.pdf.text(x, y + style.size, run)
                        x += -(-self.pdf.get_string_width(run) // pitch) * pitch
                    else:
                        self._font(style.font, style.size, False)
                        for ch in run:
                            self.pdf.text(x, y + style.size, ch)
                            x += pitch
            y += style.size * style.leading
        return y

    def paragraph(self, style: Style, text: str, left: float, right: float, y: float) -> float:
        """Set a paragraph from top y; returns the y under it."""
        if style.grid:
            return self.grid_paragraph(style, text, left, right, y)
        indent = style.indent * style.size
        lines = self.wrap(text, style.font, style.size, right - left, indent, style.bold)
        for n, pieces in enumerate(lines):
            if y + style.size * style.leading > FOOT:
                y = self.new_page()
            start = left + (indent if n == 0 else 0.0)
            used = sum(self.width(p, style.font, style.size, style.bold) for p in pieces)
            spread = 0.0
            if style.center:
                start = left + (right - left - used) / 2
            elif style.justify and n < len(lines) - 1 and len(pieces) > 1:
                spread = (right - start - used) / (len(pieces) - 1)
            if style.tracking and spread:
                track = (right - start - used) / (sum(len(p) for p in pieces) - 1)
                self.draw_line(pieces, start, y + style.size, style.font, style.size, 0.0, style.bold, track)
            else:
                self.draw_line(pieces, start, y + style.size, style.font, style.size, spread, style.bold)
            y += style.size * style.leading
        return y

    def cell_lines(self, spec, table: Table, width: float) -> list[list[str]]:
        """A cell's wrapped lines; (text, k): its first k lines, (text, -k): the lines after them."""
        text, cut = spec if isinstance(spec, tuple) else (spec, 0)
        lines = [line for paragraph in text.split("\n") if text
                 for line in self.wrap(paragraph, table.font, table.size, width)]
        return lines[:cut] if cut > 0 else lines[-cut:]

    def new_page(self) -> float:
        self.pdf.add_page()
        page = self.pdf.page_no()
        self.pdf.set_font("Times", "", 10.5)
        label = f"- {page} -"
        self.pdf.text((PAGE_W - self.pdf.get_string_width(label)) / 2, 800, label)
        return TOP

    def table(self, table: Table, left: float, y: float) -> float:
        pad = 4.0
        lead = table.size * 1.3
        xs = [left]
        for w in table.widths:
            xs.append(xs[-1] + w)
        for page_index, rows in enumerate(table.pages):
            if page_index:
                y = self.new_page()
            elif table.start:
                y = table.start
            heights = [max([len(self.cell_lines(spec, table, xs[c + cs] - xs[c] - 2 * pad))
                            for c, cs, rs, spec in row if rs == 1] or [1]) * lead + 2 * pad for row in rows]
            tops = [y]
            for h in heights:
                tops.append(tops[-1] + h)
            last = len(rows) - 1
            for r, row in enumerate(rows):
                for c, cs, rs, spec in row:
                    x0, x1, top, bottom = xs[c], xs[c + cs], tops[r], tops[r + rs]
                    self.pdf.line(x0, top, x0, bottom)
                    self.pdf.line(x1, top, x1, bottom)
                    if r or not (table.open_top and page_index):
                        self.pdf.line(x0, top, x1, top)
                    if r + rs - 1 < last or not (table.open_bottom and page_index < len(table.pages) - 1):
                        self.pdf.line(x0, bottom, x1, bottom)
                    for n, pieces in enumerate(self.cell_lines(spec, table, x1 - x0 - 2 * pad)):
                        self.draw_line(pieces, x0 + pad, top + pad + n * lead + table.size, table.font,
                                       table.size)
            y = tops[-1] + 12
        return y


def _runs(piece: str) -> list[str]:
    """A piece cut into its ASCII runs and its other text (set in two fonts)."""
    return [m.group(0) for m in re.finditer(r"[0-9A-Za-z.,%‰:/\-]+|[^0-9A-Za-z.,%‰:/\-]+", piece)]


DOCS = [
    Doc("justified_sans", 90.0, 505.0, [("p", TITLE, "某某县农业农村局2024年度部门整体支出绩效自评报告"),
                                       ("p", HEADING_SANS, "一、部门基本情况")]
        + [("p", BODY_SANS, text) for text in PARAGRAPHS_JUSTIFIED]),
    Doc("ragged_serif", 80.0, 515.0, [("p", Style("serif", 16, False, indent=0, center=True), "某某镇人民政府自评报告")]
        + [("p", BODY_SERIF, text) for text in PARAGRAPHS_RAGGED]
        + [("p", Style("serif", 10.5, True), text) for text in PARAGRAPHS_JUSTIFIED[:2]]),
    # headings in another font, same size, not bold, not indented, after a paragraph whose
    # last line runs nearly to the margin (WPS: 黑体 headings over 仿宋 body)
    Doc("heading_font", 90.0, 505.0, [
        ("p", Style("sans", 12, False, indent=0), "一、部门基本情况"),
        ("p", Style("serif", 12, True), PARAGRAPHS_HEADED[0]),
        ("p", Style("sans", 12, False, indent=0), "二、部门整体支出情况"),
        ("p", Style("serif", 12, True), PARAGRAPHS_HEADED[1]),
        ("p", Style("sans", 12, False, indent=0), "三、绩效目标完成情况"),
    ]),
    # justified by tracking (Tc), lines stretched by up to a long figure's width
    Doc("tracked_serif", 90.0, 505.0, [("p", Style("serif", 12, True, tracking=True), text) for text in PARAGRAPHS_TRACKED]),
    # 三号 (16 pt) body over two pages, a paragraph running on over the break
    Doc("two_pages", 90.0, 505.0, [("p", Style("serif", 16, True, leading=1.75), text)
                                   for text in PARAGRAPHS_JUSTIFIED + PARAGRAPHS_RAGGED + PARAGRAPHS_GRID]),
    Doc("grid_sans", 90.0, 505.0, [("p", Style("sans", 12, False, grid=True), text) for text in PARAGRAPHS_GRID]),
    *(Doc(name, 90.0, 505.0, [("p", BODY_SANS, PARAGRAPHS_JUSTIFIED[0]), ("table", table),
                              ("p", BODY_SANS, PARAGRAPHS_JUSTIFIED[3])])
      for name, table in TABLES.items()),
]


def build(doc: Doc, out: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_line_width(0.5)
    for name, file in (("sans", "NotoSansCJK-Regular.ttc"), ("serif", "NotoSerifCJK-Regular.ttc"),
                       ("sans-bold", "NotoSansCJK-Bold.ttc")):
        pdf.add_font(name, fname=str(NOTO / file), collection_font_number=SC)
    setter = Typesetter(pdf)
    y = setter.new_page()
    for part in doc.parts:
        if part[0] == "p":
            y = setter.paragraph(part[1], part[2], doc.left, doc.right, y)
        elif part[0] == "table":
            y = setter.table(part[1], doc.left, y)
    path = out / f"{doc.name}.pdf"
    pdf.output(str(path))
    return path


if __name__ == "__main__":
    import sys

    HERE.mkdir(parents=True, exist_ok=True)
    wanted = set(sys.argv[1:])
    for doc in DOCS:
        if not wanted or doc.name in wanted:
            print(build(doc, HERE))
