"""Consistent figures for one unit-year, in 元 with fen, derived year to year so that a
unit's 2024 report quotes its 2023 report correctly. Plants are written-value overrides."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .fmt import CENT, WAN, q2, ratio_percent
from .pools import Profile


def yuan(rng: random.Random, low_wan: float, high_wan: float) -> Decimal:
    return q2(Decimal(str(round(rng.uniform(low_wan, high_wan), 6))) * WAN)


def scale(rng: random.Random, amount: Decimal, low: float, high: float) -> Decimal:
    return q2(amount * Decimal(str(round(rng.uniform(low, high), 4))))


@dataclass
class Project:
    name: str
    amount: Decimal
    budget: Decimal


@dataclass
class IndicatorValue:
    level1: str
    level2: str
    name: str
    op: str  # ≥ ≤ or ""
    target: Decimal
    actual: Decimal
    suffix: str  # 人次, %, 万亩 ...
    points: Decimal
    score: Decimal = Decimal(0)
    reason: str = ""


@dataclass
class UnitYear:
    unit: str
    kind: str
    year: int
    authorized: int
    active: int
    retired: int
    personnel: Decimal
    public: Decimal
    three: dict[str, Decimal]  # purchase, operation, reception, overseas
    three_budget: dict[str, Decimal]
    projects: list[Project]
    public_items: dict[str, Decimal]  # office, utilities_travel, meeting_training
    public_budget: Decimal
    procurement: Decimal
    procurement_budget: Decimal
    initial: Decimal = Decimal(0)
    adjusted: Decimal = Decimal(0)
    income: dict[str, Decimal] = field(default_factory=dict)
    indicators: list[IndicatorValue] = field(default_factory=list)
    moves: dict[str, int] = field(default_factory=dict)  # 退休, 离职, 调出, 新进 versus prior year
    prior: UnitYear | None = None
    overrides: dict[str, Decimal] = field(default_factory=dict)
    flips: set[str] = field(default_factory=set)  # direction words written the wrong way
    plant_of: dict[str, str] = field(default_factory=dict)  # override key -> plant id
    building: object | None = None  # annexes.Building completed this year (楼堂馆所)

    @property
    def basic(self) -> Decimal:
        return self.personnel + self.public

    @property
    def project_total(self) -> Decimal:
        return sum((p.amount for p in self.projects), Decimal(0))

    @property
    def executed(self) -> Decimal:
        return self.basic + self.project_total

    @property
    def three_total(self) -> Decimal:
        return sum(self.three.values(), Decimal(0))

    @property
    def vehicle(self) -> Decimal:
        return self.three["purchase"] + self.three["operation"]

    @property
    def rate(self) -> Decimal:
        return ratio_percent(self.executed, self.adjusted)

    @property
    def budget_score(self) -> Decimal:
        return q2(self.rate / 10) if self.rate < 100 else Decimal(10)

    @property
    def total_score(self) -> Decimal:
        return self.budget_score + sum((i.score for i in self.indicators), Decimal(0))

    def w(self, key: str, value):
        """The value as written: the true one unless a plant overrides it."""
        return self.overrides.get(key, value)


def make_base(rng: random.Random, unit: str, profile: Profile, year: int) -> UnitYear:
    active = rng.randint(*profile.staff)
    authorized = max(active + rng.randint(-3, 8), 5)
    personnel = q2(active * yuan(rng, 11, 17))
    public = scale(rng, personnel, 0.12, 0.3)
    three = {
        "purchase": Decimal(0),
        "operation": yuan(rng, 1.5, 9),
        "reception": yuan(rng, 0.3, 4.5),
        "overseas": Decimal(0),
    }
    projects_total = yuan(rng, *profile.projects)
    names = rng.sample(
        profile.project_names, min(rng.randint(*profile.n_projects), len(profile.project_names))
    )
    projects = split_projects(rng, names, projects_total)
    u = UnitYear(
        unit,
        profile.kind,
        year,
        authorized,
        active,
        rng.randint(*profile.retired),
        personnel,
        public,
        three,
        {},
        projects,
        {},
        Decimal(0),
        Decimal(0),
        Decimal(0),
    )
    fill_dependent(rng, u)
    return u


def split_projects(rng: random.Random, names: list[str], total: Decimal) -> list[Project]:
    weights = [rng.uniform(0.3, 3.0) ** 2 for _ in names]
    amounts = [q2(total * Decimal(str(round(w / sum(weights), 8)))) for w in weights]
    amounts[0] += total - sum(amounts)
    return [Project(n, a, Decimal(0)) for n, a in sorted(zip(names, amounts), key=lambda x: -x[1])]


def fill_dependent(rng: random.Random, u: UnitYear) -> None:
    """Budgets, sub-items, funding split and indicator scores from the executed figures."""
    u.three_budget = {k: (q2(v * Decimal("1.1")) if v else Decimal(0)) for k, v in u.three.items()}
    for p in u.projects:
        p.budget = max(p.amount, scale(rng, p.amount, 0.95, 1.15))
    u.public_items = {
        "office": scale(rng, u.public, 0.1, 0.2),
        "utilities_travel": scale(rng, u.public, 0.1, 0.2),
        "meeting_training": scale(rng, u.public, 0.02, 0.06),
    }
    u.public_budget = scale(rng, u.public, 1.0, 1.08)
    u.procurement = scale(rng, u.project_total, 0.1, 0.45)
    u.procurement_budget = scale(rng, u.procurement, 1.0, 1.2)
    rate = Decimal(1) if rng.random() < 0.3 else Decimal(str(round(rng.uniform(0.9, 0.995), 4)))
    u.adjusted = q2(u.executed / rate)
    u.initial = scale(rng, u.adjusted, 0.82, 1.0)
    general = scale(rng, u.executed, 0.8, 0.97) if rng.random() < 0.6 else u.executed
    gov_fund = scale(rng, u.executed - general, 0.0, 0.7)
    u.income = {
        "general": general,
        "gov_fund": gov_fund,
        "non_tax": Decimal(0),
        "other": u.executed - general - gov_fund,
    }


def derive(rng: random.Random, prev: UnitYear, profile: Profile) -> UnitYear:
    """Next year of the same unit: staff moves with reasons, amounts drift, same projects."""
    moves = {
        "退休": rng.randint(0, 3),
        "离职": rng.randint(0, 2),
        "调出": rng.randint(0, 1),
        "新进": rng.randint(0, 4),
    }
    active = prev.active - moves["退休"] - moves["离职"] - moves["调出"] + moves["新进"]
    three = {k: (scale(rng, v, 0.6, 1.2) if v else Decimal(0)) for k, v in prev.three.items()}
    if rng.random() < 0.15:
        three["purchase"] = yuan(rng, 15, 24)
    projects = [Project(p.name, scale(rng, p.amount, 0.7, 1.3), Decimal(0)) for p in prev.projects]
    u = replace(
        prev,
        year=prev.year + 1,
        active=active,
        retired=prev.retired + moves["退休"],
        personnel=scale(rng, prev.personnel, 0.9, 1.1),
        public=scale(rng, prev.public, 0.85, 1.15),
        three=three,
        projects=projects,
        moves=moves,
        prior=prev,
        indicators=[],
        overrides={},
        flips=set(),
        plant_of={},
        building=None,
    )
    fill_dependent(rng, u)
    return u


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


LEVEL1 = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
}
POINTS = {"产出指标": ("50", [15, 15, 10, 5, 5]), "效益指标": ("30", [15, 15]), "满意度指标": ("10", [10])}
ORDER2 = list(LEVEL1)


def make_indicators(rng: random.Random, profile: Profile, missed: bool) -> list[IndicatorValue]:
    """5 output, 2 outcome and 1 satisfaction indicators, 90 points; one missed target if asked."""
    chosen = {"产出指标": [], "效益指标": [], "满意度指标": []}
    for spec in profile.indicators:
        level1 = LEVEL1[spec[0]]
        if len(chosen[level1]) < len(POINTS[level1][1]):
            chosen[level1].append(spec)
    out = []
    for level1, specs in chosen.items():
        total, points = POINTS[level1]
        specs.sort(key=lambda s: ORDER2.index(s[0]))
        for spec, pts in zip(specs, points):
            out.append(_indicator(rng, f"{level1}（{total}分）", spec, Decimal(pts)))
    if missed:
        victim = out[rng.randrange(len(out) - 1)]
        if victim.suffix == "%":
            victim.actual = victim.target - 6
        elif victim.suffix in ("万亩", "万人"):
            victim.actual = q2(victim.target * Decimal("0.85"))
        else:
            victim.actual = Decimal(int(victim.target * Decimal("0.85")))
        victim.score = q2(victim.points * Decimal("0.8"))
        victim.reason = "受资金到位时间影响，部分任务延至次年完成，下一步将加快实施进度。"
    return out


def _indicator(rng: random.Random, level1: str, spec: tuple, points: Decimal) -> IndicatorValue:
    level2, name, op, suffix, low, high = spec
    if low == high:
        target = actual = Decimal(int(low))
    elif suffix in ("万亩", "万人"):
        target = Decimal(str(round(rng.uniform(low, high), 1)))
        actual = q2(target * Decimal(str(round(rng.uniform(1.0, 1.2), 3))))
    elif suffix == "%":
        target = Decimal(int(rng.uniform(low, high)))
        actual = q2(Decimal(str(round(rng.uniform(float(target) + 0.5, 99.5), 2))))
    else:
        target = Decimal(int(rng.uniform(low, high)) // 10 * 10 or int(low))
        actual = Decimal(int(target * Decimal(str(round(rng.uniform(1.0, 1.25), 3)))))
    if op == "≤":
        actual = min(actual, target)
    return IndicatorValue(level1, level2, name, op, target, actual, suffix, points, points)
