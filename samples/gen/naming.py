"""File and folder names as units really send them: unit and year in either order, 附件1 or
附件一, 基础数据表 or 自评表 alone, full-width digits in some."""

from __future__ import annotations

import random

from .fmt import fullwidth

REPORT = [
    "{u}{y}年度部门整体支出绩效自评报告",
    "{y}年度{u}部门整体支出绩效自评报告",
    "{u}-{y}年部门整体支出绩效自评报告",
    "关于{u}{y}年度部门整体支出绩效自评的报告",
    "{y}年部门整体支出绩效自评报告（{u}）",
]
ANNEX1 = [
    "附件1 {u}{y}年度部门整体支出绩效评价基础数据表",
    "{u}附件一：基础数据表（{y}年度）",
    "基础数据表-{u}-{y}",
    "附件1：{y}年{u}部门整体支出绩效评价基础数据表",
]
ANNEX2 = [
    "附件2 {u}{y}年度部门整体支出绩效自评表",
    "{u}附件二：自评表（{y}年度）",
    "自评表-{u}-{y}",
    "附件2：{y}年{u}部门整体支出绩效自评表",
]
BOTH = ["{u}{y}年度附件1-2", "附件1、附件2（{u}{y}年）", "{y}年{u}绩效自评附表"]
FOLDER = ["{u}", "{y}年度-{u}", "{u}（{y}年）", "{u}{y}年度绩效自评"]


class Namer:
    def __init__(self, rng: random.Random, unit: str, year: int, wide_digits: bool):
        self.rng, self.unit = rng, unit
        self.year = fullwidth(str(year)) if wide_digits else str(year)
        self.variant = rng.randrange(4)

    def _pick(self, templates: list[str]) -> str:
        return templates[self.variant % len(templates)].format(u=self.unit, y=self.year)

    def report(self) -> str:
        return self._pick(REPORT)

    def annex1(self) -> str:
        return self._pick(ANNEX1)

    def annex2(self) -> str:
        return self._pick(ANNEX2)

    def both(self) -> str:
        return self._pick(BOTH)

    def folder(self, two_years: bool) -> str:
        templates = FOLDER[1:] if two_years else FOLDER
        return templates[self.rng.randrange(len(templates))].format(u=self.unit, y=self.year)
