"""Narrative of a generated report: several templates per statement, synonyms, orders and
number forms varied; every figure recorded as it is written (plants via UnitYear.w)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from . import fmt
from .record import Paragraph, figure
from .unitdata import UnitYear

INC, DEC = ("增加", "增长", "上升"), ("减少", "下降", "节约")
PEOPLE_INC, PEOPLE_DEC = ("增加", "增加", "增长"), ("减少", "减少", "下降")
NUMERALS = "一二三四五六七八九十"


@dataclass
class Style:
    money: str  # wan | wan_strip | yuan
    three_money: str
    fullwidth: bool
    base: str
    personnel_word: str
    three_word: str
    share_word: str
    templates: dict[str, int]
    count_form: int
    broken_headings: set[int]
    title_form: int


def choose_style(rng: random.Random, year: int, fullwidth: bool, money: str | None = None) -> Style:
    money = money or rng.choice(["wan", "wan", "wan", "wan_strip", "yuan"])
    templates = {k: rng.randrange(3) for k in ("staff", "basic", "three", "project", "exec", "score")}
    broken = set(rng.sample(range(1, 9), rng.choice([0, 1, 2, 4])))
    return Style(
        money,
        "yuan" if money == "yuan" or rng.random() < 0.2 else money,
        fullwidth,
        rng.choice(["较上年", "比上年", "同比", f"较{year - 1}年", f"比{year - 1}年度"]),
        rng.choice(["人员经费", "人员支出", "人员经费支出"]),
        rng.choice(["三公经费", "“三公”经费", "“三公”经费"]),
        rng.choice(["占比", "占", "占项目支出的"]),
        templates,
        rng.choice([0, 1, 2]),
        broken,
        rng.randrange(2),
    )


class Writer:
    def __init__(self, u: UnitYear, style: Style, rng: random.Random):
        self.u, self.s, self.rng = u, style, rng

    def _raw(self, raw: str) -> str:
        return fmt.fullwidth(raw) if self.s.fullwidth else raw

    def money(
        self,
        key: str,
        yuan: Decimal,
        label: str,
        subject: str,
        role: str = "value",
        direction: str | None = None,
        form: str | None = None,
    ) -> dict:
        raw, value, dec = fmt.money(self.u.w(key, yuan), form or self.s.money)
        return figure(
            label,
            subject,
            self._raw(raw),
            value,
            dec,
            "元",
            "amount",
            role,
            direction=direction,
            year=self.u.year,
        )

    def people(
        self,
        key: str,
        count: int,
        label: str,
        subject: str,
        role: str = "value",
        direction: str | None = None,
        suffix: str = "人",
    ) -> dict:
        value = int(self.u.w(key, count))
        return figure(
            label,
            subject,
            self._raw(f"{value}{suffix}"),
            Decimal(value),
            0,
            "人",
            "headcount",
            role,
            direction=direction,
            year=self.u.year,
        )

    def percent(
        self, key: str, value: Decimal, label: str, subject: str, role: str, strip: bool = False
    ) -> dict:
        raw, val, dec = fmt.percent(self.u.w(key, value), strip=strip)
        return figure(label, subject, self._raw(raw), val, dec, "%", "percent", role, year=self.u.year)

    def direction(self, key: str, delta: Decimal, people: bool = False) -> tuple[str, str]:
        up = delta > 0
        if key in self.u.flips:
            up = not up
        words = PEOPLE_INC if people and up else PEOPLE_DEC if people else INC if up else DEC
        return self.rng.choice(words), "increase" if up else "decrease"

    def change(
        self,
        para: Paragraph,
        key: str,
        now: Decimal,
        before: Decimal | None,
        label: str,
        subject: str,
        people: bool = False,
        form: str | None = None,
        base: str | None = None,
    ) -> Paragraph:
        """'较上年减少290.49万元' or '与上年持平'; nothing when there is no prior year."""
        if before is None:
            return para
        delta = now - before
        if delta == 0 and key not in self.u.overrides:
            return para.text("与上年持平")
        word, direction = self.direction(key, delta, people)
        para.text(f"{self.s.base if base is None else base}{word}")
        if people:
            return para.fig(self.people(key, abs(int(delta)), label, subject, "change", direction))
        return para.fig(self.money(key, abs(delta), label, subject, "change", direction, form))

    def heading(self, number: int, text: str) -> tuple[str, str]:
        if number in self.s.broken_headings:
            return "heading", text
        return "heading", f"{NUMERALS[number - 1]}、{text}"
