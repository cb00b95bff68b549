"""How each line of a CAD found its value for duty, for the CAD page's "why": the price in the
invoice's currency, its additions (Customs Act s.48(5)(a)) and deductions (s.48(5)(b)) as declared,
and the exchange rate of the invoice's date of direct shipment (D13-2-3). The amounts themselves
were computed by the assessment engine when the CAD was checked (declarations.validation)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .fields import BY_PART, Group, Part
from .models import DeclarationLine, DeclarationVersion

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Valuation:
    line: DeclarationLine
    shipment_date: dt.date | None  # of the line's invoice: the exchange rate's date
    additions: Decimal
    deductions: Decimal

    @property
    def adjusted_price(self) -> Decimal:
        return self.line.value + self.additions - self.deductions


def _sum(adjustments: dict, group: Group) -> Decimal:
    rows = BY_PART[Part.LINE]
    return sum((Decimal(amount) for name, amount in adjustments.items() if rows[name].group is group), ZERO)


def valuations(version: DeclarationVersion) -> list[Valuation]:
    shipped = dict(version.invoices.values_list("number", "shipment_date"))
    return [
        Valuation(
            line,
            shipped.get(line.invoice_number),
            _sum(line.adjustments, Group.ADDITION),
            _sum(line.adjustments, Group.DEDUCTION),
        )
        for line in version.lines.all()
    ]
