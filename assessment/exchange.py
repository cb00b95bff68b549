"""Bank of Canada exchange rates: loading them, and the rate that applies to a shipment.

The rule (Customs Act s.53 and the Currency Exchange for Customs Valuation Regulations, domain
brief §4.2): a foreign price converts at the Bank of Canada rate of the date of direct shipment;
the Bank publishes on business days only, so a weekend or holiday takes the nearest previous
business day's rate. The look-back is bounded: a gap longer than LOOKBACK_DAYS means the table is
missing data, and guessing from an old rate would be wrong.
"""

import csv
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .models import ExchangeRate

LOOKBACK_DAYS = 10
CAD = "CAD"


class ExchangeRateError(LookupError):
    def __init__(self, code: str, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class AppliedRate:
    currency: str
    cad_per_unit: Decimal
    published_on: date  # the business day whose rate applies


def rate_on(currency: str, day: date) -> AppliedRate:
    """The rate of `currency` for a shipment on `day`: that day's, else the previous business day's."""
    currency = currency.upper()
    if currency == CAD:
        return AppliedRate(CAD, Decimal(1), day)
    found = (
        ExchangeRate.objects.filter(currency=currency, date__lte=day, date__gt=day - timedelta(days=LOOKBACK_DAYS))
        .order_by("-date")
        .first()
    )
    if found is not None:
        return AppliedRate(currency, _plain(found.cad_per_unit), found.date)
    if not ExchangeRate.objects.filter(currency=currency).exists():
        raise ExchangeRateError(
            "unknown_currency", _("There are no exchange rates for the currency %(currency)s.") % {"currency": currency}
        )
    raise ExchangeRateError(
        "no_exchange_rate",
        _("No Bank of Canada rate for %(currency)s is known on %(day)s or the %(days)s days before.")
        % {"currency": currency, "day": day.isoformat(), "days": LOOKBACK_DAYS},
    )


def _plain(rate: Decimal) -> Decimal:
    """1.15000000 as stored reads 1.15 (the table keeps 8 places for currencies like VND)."""
    return rate.normalize() if rate != rate.to_integral() else rate.quantize(Decimal(1))


# --- loading -----------------------------------------------------------------------------------

SERIES_PREFIX, SERIES_SUFFIX = "FX", "CAD"  # Bank of Canada series ids: FXUSDCAD = CAD per USD


def _currency_of(series: str) -> str | None:
    if len(series) == 8 and series.startswith(SERIES_PREFIX) and series.endswith(SERIES_SUFFIX):
        return series[2:5]
    return None


def read_csv(path: Path):
    """(currency, date, rate) from the Bank's CSV: `date,FXUSDCAD,FXEURCAD,...`; blanks skipped."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            day = date.fromisoformat(row.pop("date"))
            for series, value in row.items():
                if (currency := _currency_of(series)) and value and value.strip():
                    yield currency, day, Decimal(value.strip())


def read_valet_json(path: Path):
    """(currency, date, rate) from a Valet response: `observations: [{"d": ..., "FXUSDCAD": {"v": ...}}]`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for observation in data["observations"]:
        day = date.fromisoformat(observation["d"])
        for series, cell in observation.items():
            if (currency := _currency_of(series)) and isinstance(cell, dict) and cell.get("v"):
                yield currency, day, Decimal(str(cell["v"]))


def load(path: Path | str, batch_size: int = 2000) -> int:
    """Load a CSV or Valet JSON file; rates already in the table are kept (re-loading is a no-op).
    Returns how many rows the file holds."""
    path = Path(path)
    reader = read_valet_json if path.suffix == ".json" else read_csv
    try:
        rows = list(reader(path))
    except (KeyError, ValueError, InvalidOperation) as error:
        raise ValueError(f"{path.name}: not a Bank of Canada exchange rate file ({error})") from None
    if not rows:
        return 0
    # Reading what is there is much quicker than letting the database refuse 50,000 duplicates.
    days = [day for _currency, day, _value in rows]
    known = set(ExchangeRate.objects.filter(date__range=(min(days), max(days))).values_list("currency", "date"))
    ExchangeRate.objects.bulk_create(
        (ExchangeRate(currency=c, date=d, cad_per_unit=v) for c, d, v in rows if (c, d) not in known),
        batch_size=batch_size,
        ignore_conflicts=True,  # a rate an officer added meanwhile stays
    )
    return len(rows)
