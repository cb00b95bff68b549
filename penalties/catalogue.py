"""The AMPS contravention catalogue: data (data/contraventions.json, with its README), read once.

`amount(code, level)`: the penalty at an occurrence level (1 = first); a flat rate has one level.
The level itself comes from the client's history (services.level_for)."""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "contraventions.json"


@dataclass(frozen=True)
class Contravention:
    code: str
    description_en: str
    description_fr: str
    legal_reference: str
    amounts: tuple[Decimal, ...]
    basis: str
    retention_months: int  # the look-back of the escalation (AMPS "Retention period")
    escalation_delay_days: int  # AMPS footnote: no escalation from level 1 to 2 within these days
    source: str
    verified: bool

    @property
    def description(self) -> str:
        return self.description_fr if (get_language() or "en").startswith("fr") else self.description_en

    def amount(self, level: int) -> Decimal:
        """Level 1, 2, 3 and subsequent: the last amount repeats (AMPS "3rd and subsequent")."""
        return self.amounts[min(level, len(self.amounts)) - 1]


@cache
def contraventions() -> dict[str, Contravention]:
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        row["code"]: Contravention(**(row | {"amounts": tuple(Decimal(value) for value in row["amounts"])}))
        for row in rows
    }


def get(code: str) -> Contravention:
    """The contravention, or KeyError for a code not in the catalogue."""
    return contraventions()[code]
