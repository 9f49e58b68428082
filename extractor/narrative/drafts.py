"""A block's figures while they are linked: a Draft per quantity, the 其中 Scope it may open,
and the BlockState one block's reading carries from figure to figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Direction, Kind, Role
from ..numbers import Quantity
from .scan import Match


@dataclass
class Draft:
    match: Match
    quantity: Quantity
    label: str = ""
    subject: str = ""
    measure: str = ""
    role: Role = Role.VALUE
    direction: Direction | None = None
    year: int | None = None
    of: Draft | None = None
    part_of: Draft | None = None
    group: str | None = None
    order: int | None = None
    reason: bool = False
    weak: bool = False  # labelled by a bare measure phrase (全年执行数), not by a subject
    id: str = ""
    noun_after: str = ""  # the noun right behind the figure ("8个项目"), when it names it
    subject_reason: str = ""

    @property
    def kind(self) -> Kind:
        return self.quantity.kind


@dataclass
class Scope:
    total: Draft
    group: str
    opened: int  # where its 其中 stands; -1 for an enumeration continued from an earlier block
    count: int = 0
    summed: Decimal = Decimal(0)  # the parts so far: a list that has reached its total is closed


@dataclass
class BlockState:
    drafts: list[Draft] = field(default_factory=list)
    last_qizhong: int = -1
    pending: int | None = None  # position of a 其中 waiting for its first part
    scope: Scope | None = None
    children: dict[str, int] = field(default_factory=dict)  # parent id -> sub-parts so far
    others: list[Match] = field(default_factory=list)  # the block's non-quantities (years, dates, numbers)
    quantities: list[Match] = field(default_factory=list)  # the block's quantities
