"""Truth records: every figure the generator writes, where it wrote it, and what it means."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


def figure(
    label: str,
    subject: str,
    raw: str,
    value: Decimal | None,
    decimals: int | None,
    unit: str,
    kind: str,
    role: str = "value",
    measure: str = "",
    **extra,
) -> dict:
    """One written figure, not yet placed. raw must appear verbatim where it is written."""
    record = {
        "label": label,
        "subject": subject,
        "raw": raw,
        "unit": unit,
        "kind": kind,
        "role": role,
        "measure": measure,
        "value": None if value is None else _plain(value),
        "decimals": decimals,
    }
    record.update({k: v for k, v in extra.items() if v is not None})
    return record


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    return text


@dataclass
class Paragraph:
    """A narrative paragraph assembled from text and figures, so every raw is known."""

    parts: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)

    def text(self, value: str) -> Paragraph:
        self.parts.append(value)
        return self

    def fig(self, record: dict) -> Paragraph:
        self.figures.append({**record, "char": len(self.content)})
        self.parts.append(record["raw"])
        return self

    @property
    def content(self) -> str:
        return "".join(self.parts)
