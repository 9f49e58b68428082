"""The batch: 36 invented units of 清溪县, their years, layouts, styles and planted discrepancies."""

from __future__ import annotations

from dataclasses import dataclass, field

from .pools import COUNTY


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    years: tuple[int, ...]
    layout: str  # inside | docx_annexes | xlsx_one | xlsx_two | pdf_annexes | report_pdf | fake_bold
    #   | table_prose | project
    folder: str | None  # None: loose files in the shared folder
    plants: dict[int, tuple[str, ...]] = field(default_factory=dict)
    fullwidth: bool = False
    money: str | None = None
    options: dict = field(default_factory=dict)  # n_projects, rate, count_form, trap


LOOSE = "散报材料（乡镇及二级单位）"
Y2 = (2023, 2024)


def _u(code, name, kind, years, layout, folder="own", plants=None, **kw) -> UnitSpec:
    options = {k: kw.pop(k) for k in list(kw) if k not in ("fullwidth", "money")}
    return UnitSpec(code, f"{COUNTY}{name}", kind, years, layout, folder, plants or {}, options=options, **kw)


UNITS = [
    _u("u01", "教育局", "教育局", Y2, "inside", plants={2024: ("cross_staff",)}, trap="sum_off"),
    _u(
        "u02",
        "林业局",
        "林业局",
        Y2,
        "docx_annexes",
        plants={2024: ("count_short",)},
        n_projects=16,
        count_form=1,
    ),
    _u("u03", "青石镇人民政府", "乡镇人民政府", (2024,), "xlsx_one", plants={2024: ("sum_personnel",)}),
    _u("u04", "白沙镇卫生院", "卫生院", (2024,), "inside", None, trap="last_digit", building=True),
    _u("u05", "第一中学", "中学", (2024,), "xlsx_two", plants={2024: ("share_item",)}, fullwidth=True),
    _u("u06", "住房和城乡建设局", "住建局", Y2, "inside", trap="sum_far"),
    _u("u07", "政协办公室", "政协", (2024,), "pdf_annexes", plants={2024: ("tva_item",)}),
    _u("u08", "财政局", "财政局", (2024,), "report_pdf", plants={2024: ("score_rate100",)}, rate=0.8),
    _u("u09", "农业农村局", "农业农村局", Y2, "xlsx_one", plants={2024: ("funding_income",)}, money="yuan"),
    _u("u10", "文化旅游广电体育局", "文旅广体局", (2024,), "fake_bold", plants={2024: ("tva_public",)}),
    _u("u11", "卫生健康局", "卫生健康局", (2024,), "docx_annexes", plants={2024: ("sum_three_annex",)}),
    _u("u12", "民政局", "民政局", (2024,), "inside", None, plants={2024: ("change_public",)}),
    _u("u13", "水利局", "水利局", (2024,), "xlsx_two", plants={2024: ("tva_active",)}),
    _u(
        "u14",
        "自然资源局",
        "自然资源局",
        (2024,),
        "inside",
        plants={2024: ("share_control",)},
        fullwidth=True,
    ),
    _u("u15", "交通运输局", "交通运输局", (2024,), "docx_annexes", plants={2024: ("funding_expense_total",)}),
    _u("u16", "人力资源和社会保障局", "人社局", (2024,), "inside", plants={2024: ("sum_staff_total",)}),
    _u("u17", "市场监督管理局", "市场监管局", (2024,), "xlsx_one", plants={2024: ("change_direction",)}),
    _u("u18", "统计局", "统计局", (2024,), "inside", None, trap="sum_far", money="wan"),
    _u("u19", "审计局", "审计局", (2024,), "inside", None, variant="sichuan"),
    _u("u20", "司法局", "司法局", (2024,), "report_pdf", trap="last_digit"),
    _u("u21", "应急管理局", "应急管理局", (2024,), "docx_annexes", plants={2024: ("score_indicator",)}),
    _u(
        "u22",
        "城市管理和综合执法局",
        "城管局",
        (2024,),
        "inside",
        plants={2024: ("count_long",)},
        count_form=2,
    ),
    _u("u23", "龙潭乡人民政府", "乡镇人民政府", Y2, "inside", None, plants={2024: ("cross_prior_annex",)}),
    _u(
        "u24",
        "桃花镇人民政府",
        "乡镇人民政府",
        (2024,),
        "xlsx_two",
        trap="sum_off",
        fullwidth=True,
        building=True,
    ),
    _u("u25", "实验小学", "中学", (2024,), "docx_annexes", trap="last_digit"),
    _u("u26", "疾病预防控制中心", "卫生院", (2024,), "inside", None, variant="chongqing"),
    _u("u27", "档案馆", "档案馆", (2024,), "xlsx_one", money="yuan"),
    _u("u28", "机关事务服务中心", "机关事务中心", (2024,), "pdf_annexes", trap="sum_off"),
    _u("u29", "退役军人事务局", "退役军人事务局", (2024,), "inside", trap="last_digit", variant="national"),
    _u("u30", "发展和改革局", "发改局", (2024,), "docx_annexes", fullwidth=True),
    _u("u31", "商务局", "商务局", (2024,), "xlsx_one", variant="sichuan"),
    _u("u32", "科学技术协会", "科协", (2024,), "xlsx_two", None, money="wan_strip"),
    # issue 12's shapes: a report inside one big table (annexes after it), 项目支出 reports
    _u("u33", "城市管理监督指挥中心", "城管局", (2024,), "table_prose",
       plants={2024: ("org_count_long", "tva_public", "share_item", "sum_staff_total")}),
    _u("u34", "农业技术推广中心", "农业农村局", (2024,), "project", supervisor="清溪县农业农村局",
       plants={2024: ("project_rate", "project_balance", "project_part", "project_towns")}),
    _u("u35", "水利工程管理站", "水利局", (2024,), "project", None, supervisor="清溪县水利局", variant="yunnan",
       overview=1,
       plants={2024: ("project_text", "project_arrival")}),
    _u("u36", "融媒体中心", "文旅广体局", (2024,), "table_prose"),
    _u("u37", "乡村振兴服务中心", "农业农村局", (2024,), "project", supervisor="清溪县农业农村局", overview=2),
]
