"""The excise duty on imported goods by the dated rates of data/excise/excise_duty_rates.csv (each with
its source): the rate of the goods' classification heading and, for alcohol, of their strength
(D17-1-10 fields 64, 65, 96). The arithmetic is the engine's, like any specific rate."""

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

RATES_FILE = Path(__file__).resolve().parent / "data" / "excise" / "excise_duty_rates.csv"


@dataclass(frozen=True)
class ExciseRate:
    heading: str
    alcohol_over: Decimal | None
    alcohol_to: Decimal | None
    rate: str
    valid_from: dt.date
    valid_to: dt.date | None
    goods_en: str
    goods_fr: str
    source: str

    @property
    def by_strength(self) -> bool:
        return self.alcohol_over is not None or self.alcohol_to is not None

    def holds(self, day: dt.date, alcohol: Decimal | None) -> bool:
        if not self.valid_from <= day <= (self.valid_to or day):
            return False
        if not self.by_strength:
            return True
        low, high = self.alcohol_over, self.alcohol_to
        return (low is None or alcohol > low) and (high is None or alcohol <= high)


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


@cache
def rates() -> tuple[ExciseRate, ...]:
    with RATES_FILE.open(encoding="utf-8") as handle:
        return tuple(
            ExciseRate(
                row["heading"],
                _decimal(row["alcohol_over"]),
                _decimal(row["alcohol_to"]),
                row["rate"],
                dt.date.fromisoformat(row["valid_from"]),
                dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                row["goods_en"],
                row["goods_fr"],
                row["source"],
            )
            for row in csv.DictReader(handle)
        )


def rated(classification: str) -> list[ExciseRate]:
    """The rows of the goods classified under `classification` (its digits)."""
    return [row for row in rates() if classification.startswith(row.heading)]


def duty_rate(classification: str, day: dt.date, alcohol: Decimal | None) -> ExciseRate | None:
    """The excise duty rate of the goods on `day`: of the rows holding, the one in force last. A row
    by strength holds only for a given `alcohol` (callers ask for it: needs_strength)."""
    holding = [row for row in rated(classification) if (alcohol is not None or not row.by_strength)]
    holding = [row for row in holding if row.holds(day, alcohol)]
    return max(holding, key=lambda row: row.valid_from, default=None)


def needs_strength(classification: str, day: dt.date) -> bool:
    """Whether the goods' excise duty on `day` depends on their alcohol content."""
    return any(row.by_strength and row.valid_from <= day <= (row.valid_to or day) for row in rated(classification))
