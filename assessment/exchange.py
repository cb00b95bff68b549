"""Exchange rates: the rate that applies to a shipment, the Bank of Canada feed, and the rates
officers maintain.

The rule: a foreign value converts at the rate prevailing on the date of direct shipment (Customs
Act s.55; D13-2-3 para. 2). The Currency Exchange for Customs Valuation Regulations make the
prevailing rate the one the Minister communicates for that date, set from the latest rate the Bank
of Canada quoted, else a chartered bank's (the officers' table here). Which publication is "latest"
for a date: CBSA's Exchange Rates API dates each Bank rate with the business day the Bank published
it (16:30 ET; in CBSA's system by 17:00, served from 19:00 ET) and carries it over weekends and
holidays, so the rate of a date is the Bank's rate of that date, else of the latest business day
before it. (Ambiguous: before 16:30 on a business day the latest quote is the previous day's; we
follow the dates CBSA's service gives.) The look-back is bounded: a gap longer than LOOKBACK_DAYS
means the table is missing data, and guessing from an old rate would be wrong.
"""

import csv
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.request import Request, urlopen

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from rights import Action

from .models import ExchangeRate

Source = ExchangeRate.Source

LOOKBACK_DAYS = 10
CAD = "CAD"
# Where a currency code is looked up: declarations registers its CAD code list of currencies
# (D17-1-10 Appendix E), kept above this app (the layers), as its AppConfig.ready() runs.
_currency_lists = []


def register_currency_list(known) -> None:
    """`known(code) -> bool`: whether `code` is a currency of a code list."""
    _currency_lists.append(known)


def known_currency(code: str) -> bool:
    """A currency of a registered code list, or one whose rate is known (CAD: always)."""
    code = code.strip().upper()
    return (
        code == CAD
        or any(known(code) for known in _currency_lists)
        or ExchangeRate.objects.filter(currency=code).exists()
    )


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
    source: str = Source.BANK_OF_CANADA


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
        return AppliedRate(currency, _plain(found.cad_per_unit), found.date, found.source)
    if not ExchangeRate.objects.filter(currency=currency).exists():
        raise ExchangeRateError(
            "unknown_currency",
            _(
                "There is no exchange rate for %(currency)s: the Bank of Canada does not publish it and no CBSA "
                "officer has entered one. Ask CBSA (Border Information Service, 1-800-461-9999) for the rate of "
                "your date of direct shipment; an officer enters it and you can then file."
            )
            % {"currency": currency},
        )
    raise ExchangeRateError(
        "no_exchange_rate",
        _(
            "No exchange rate for %(currency)s is known for %(day)s yet. The Bank of Canada publishes its rates "
            "at 16:30 ET on business days and the portal loads them each evening: for today's date, try again "
            "after 19:00 ET. For an earlier date the rate is missing: ask CBSA to enter it."
        )
        % {"currency": currency, "day": day.isoformat()},
    )


def explain(applied: AppliedRate) -> str:
    """The why of a conversion: the rate, its date and where it comes from."""
    names = {
        "rate": applied.cad_per_unit,
        "currency": applied.currency,
        "day": applied.published_on.isoformat(),
    }
    if applied.source == Source.DEMO:
        text = _("%(rate)s CAD per %(currency)s, a demo-only rate for %(day)s (not published by the Bank of Canada)")
    elif applied.source == Source.OFFICER:
        text = _(
            "%(rate)s CAD per %(currency)s, the rate CBSA set for %(day)s "
            "(Currency Exchange for Customs Valuation Regulations)"
        )
    else:
        text = _("%(rate)s CAD per %(currency)s, the Bank of Canada rate of %(day)s (Customs Act s.55; D13-2-3)")
    return str(text % names)


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
    return parse_valet(json.loads(Path(path).read_text(encoding="utf-8")))


def parse_valet(data: dict):
    """(currency, date, rate) from a Valet response: `observations: [{"d": ..., "FXUSDCAD": {"v": ...}}]`."""
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
    _store(rows, Source.BANK_OF_CANADA, batch_size)
    return len(rows)


def _store(rows: list, source: str, batch_size: int = 2000) -> None:
    """Insert the (currency, date, rate) rows not in the table yet. A Bank of Canada rate replaces
    a demo one; a rate an officer entered stays."""
    if not rows:
        return
    days = [day for _currency, day, _value in rows]
    with transaction.atomic():
        stored = ExchangeRate.objects.filter(date__range=(min(days), max(days)))
        if source == Source.BANK_OF_CANADA:
            stored.filter(source=Source.DEMO, currency__in={c for c, _d, _v in rows}).delete()
        # Reading what is there is much quicker than letting the database refuse 50,000 duplicates.
        known = set(stored.values_list("currency", "date"))
        ExchangeRate.objects.bulk_create(
            (
                ExchangeRate(currency=c, date=d, cad_per_unit=v, source=source)
                for c, d, v in rows
                if (c, d) not in known
            ),
            batch_size=batch_size,
            ignore_conflicts=True,  # a rate an officer added meanwhile stays
        )


# --- the Bank of Canada feed (Valet) -------------------------------------------------------------

VALET_URL = "https://www.bankofcanada.ca/valet/observations/group/FX_RATES_DAILY/json"
FEED_DAYS = 366  # the longest gap a refresh fills (a feed down for a year is an incident, not a gap)


class FeedError(RuntimeError):
    pass


def fetch_valet(start: date, end: date, timeout: float = 30) -> dict:
    """The Bank's daily rates of every currency between `start` and `end` (Valet API, JSON)."""
    url = f"{VALET_URL}?start_date={start.isoformat()}&end_date={end.isoformat()}"
    with urlopen(Request(url, headers={"Accept": "application/json"}), timeout=timeout) as response:  # noqa: S310
        return json.load(response)


def refresh(today: date, fetch=fetch_valet) -> int:
    """Load the Bank of Canada rates published since the latest one known, up to `today` (the
    scheduled task; run again, it adds nothing). A missed evening is caught up by the next run.
    Returns how many rates the Bank sent; raises FeedError when the feed cannot be read."""
    latest = ExchangeRate.objects.filter(source=Source.BANK_OF_CANADA).aggregate(Max("date"))["date__max"]
    start = (
        max(latest + timedelta(days=1), today - timedelta(days=FEED_DAYS))
        if latest
        else today - timedelta(days=FEED_DAYS)
    )
    if start > today:
        return 0
    try:
        rows = list(parse_valet(fetch(start, today)))
    except (OSError, ValueError, KeyError, TypeError, InvalidOperation) as error:
        raise FeedError(f"Bank of Canada Valet: {error}") from None
    _store(rows, Source.BANK_OF_CANADA)
    return len(rows)


# --- demo-only rates ----------------------------------------------------------------------------


def seed_demo_rates(today: date) -> int:
    """Demo only (seed_demo): every weekday from the last shipped Bank of Canada rate to `today`
    gets that last rate, marked DEMO, so a newcomer without network can file a foreign-currency CAD
    dated today. The real feed replaces them as it loads (see _store)."""
    latest = ExchangeRate.objects.filter(source=Source.BANK_OF_CANADA).aggregate(Max("date"))["date__max"]
    if latest is None or latest >= today:
        return 0
    last = list(ExchangeRate.objects.filter(date=latest).values_list("currency", "cad_per_unit"))
    days = [latest + timedelta(days=n) for n in range(1, (today - latest).days + 1)]
    rows = [(currency, day, rate) for day in days if day.weekday() < 5 for currency, rate in last]
    _store(rows, Source.DEMO)
    return len(rows)


def latest_rates() -> list[ExchangeRate]:
    """The latest rate of each currency, by currency (the officers' page)."""
    latest = dict(ExchangeRate.objects.values_list("currency").annotate(Max("date")))
    rows = ExchangeRate.objects.filter(currency__in=latest, date__in=set(latest.values()))
    return sorted((rate for rate in rows if latest[rate.currency] == rate.date), key=lambda rate: rate.currency)


# --- rates officers enter -----------------------------------------------------------------------


class RateEntryError(ValueError):
    def __init__(self, field: str, code: str, message):
        super().__init__(str(message))
        self.field, self.code, self.message = field, code, message


def enter_rate(officer, currency: str, day: date, cad_per_unit: Decimal, *, today: date, request=None) -> ExchangeRate:
    """An officer's rate for a currency the Bank of Canada does not publish, or a Bank rate the feed
    missed (Currency Exchange for Customs Valuation Regulations: a chartered bank's quote when the
    Bank gives none). A published Bank of Canada rate is never overwritten. Audited."""
    rights.require(officer, Action.ENTER_EXCHANGE_RATES, request=request)
    currency = str(currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha() or currency == CAD:
        raise RateEntryError(
            "currency", "invalid", _("Give the currency as a three-letter ISO code, e.g. TWD (not CAD).")
        )
    if day > today:
        raise RateEntryError("date", "future_date", _("A rate can be entered for today or an earlier date only."))
    if cad_per_unit <= 0 or cad_per_unit != cad_per_unit.quantize(Decimal("1e-8")) or cad_per_unit >= Decimal("1e10"):
        raise RateEntryError(
            "cad_per_unit", "invalid", _("Give the Canadian dollars per unit, positive, at most 8 decimals.")
        )
    with transaction.atomic():
        existing = ExchangeRate.objects.select_for_update().filter(currency=currency, date=day).first()
        if existing is not None and existing.source == Source.BANK_OF_CANADA:
            raise RateEntryError(
                "date",
                "published_rate",
                _("The Bank of Canada published %(currency)s for %(day)s: its rate applies and is not replaced.")
                % {"currency": currency, "day": day.isoformat()},
            )
        before = {"cad_per_unit": str(existing.cad_per_unit), "source": existing.source} if existing else None
        rate, _created = ExchangeRate.objects.update_or_create(
            currency=currency, date=day, defaults={"cad_per_unit": cad_per_unit, "source": Source.OFFICER}
        )
        record(
            "assessment.exchange_rate_entered",
            actor=officer,
            request=request,
            obj=rate,
            before=before,
            after={
                "currency": currency,
                "date": day.isoformat(),
                "cad_per_unit": str(cad_per_unit),
                "source": Source.OFFICER,
            },
        )
    return rate
