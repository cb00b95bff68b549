"""Date rules of the CARM harmonized billing cycle. Pure Python: no Django imports.

Billing period: goods released from the 18th of one month to the 17th of the next.
  [CBSA] https://www.cbsa-asfc.gc.ca/prog/arl-glcc/dnsa-aqrc-eng.html
Statement of account: the 25th of the month the period ends in (same page). CBSA publishes no
  rule moving it off a weekend or holiday, so it stays the 25th. [DESIGN]
Payment due date: the 10th weekday after the period end. Holidays are counted, not skipped:
  the Accounting for Imported Goods and Payment of Duties Regulations (SOR/86-1062, s. 2 as
  amended by SOR/2024-41 s. 12) define "weekday" as Monday to Friday "including any holiday
  that falls on one of those days". [LAW]
  https://laws-lois.justice.gc.ca/eng/regulations/SOR-86-1062/nifnev.html
  https://laws-lois.justice.gc.ca/eng/regulations/SOR-86-1062/section-10.3-20241021.html
  Brokers say the same ("10 weekdays ... Monday to Friday, inclusive of holidays"). [3P]
  https://www.universallogistics.ca/route-newsletter-articles/carm-importers-required-post-security-with-cbsa-on-october-21-2024-august-2024/
  https://www.ghy.com/carm/payments/
  The brief's example fits only this reading: the period ending Thu 17 Apr 2025 is due
  Thu 1 May 2025, counting Good Friday and Easter Monday.
  A due date landing on a holiday is deferred to the next business day, as CBSA's pre-CARM
  deferral tables did (2021-07-31 deferred to 2021-08-03, over the Civic Holiday):
  https://www.cbsa-asfc.gc.ca/prog/arl-glcc/pay-paie-eng.html . No CARM-era table was found,
  so the deferral is [DESIGN]; it bites every year the June period's 10th weekday is 1 July.
CAD accounting deadline: 5 business days after release; a business day is "a day other than
  Saturday or a holiday" (SOR/86-1062 s. 2), Sunday being a holiday. Release day is day 0 and a
  release on a non-business day counts from the next business day. [brief §5]

Holidays are an input (HolidayCalendar), so the Django layer can feed them from a table that
officers edit; federal_holidays() reads the shipped CSV, data/federal_holidays.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

PERIOD_START_DAY = 18
PERIOD_END_DAY = 17
STATEMENT_DAY = 25
PAYMENT_DUE_WEEKDAYS = 10
CAD_DUE_BUSINESS_DAYS = 5

FEDERAL_HOLIDAYS_CSV = Path(__file__).resolve().parent / "data" / "federal_holidays.csv"

_ONE_DAY = dt.timedelta(days=1)


class UncoveredDateError(LookupError):
    """A holiday lookup for a year the calendar has no data for."""


@dataclass(frozen=True)
class HolidayCalendar:
    """Holidays for the years in `years`.

    Asking about another year raises, so a year missing from the table cannot silently turn
    its holidays into business days.
    """

    dates: frozenset[dt.date]
    years: range

    def __post_init__(self) -> None:
        object.__setattr__(self, "dates", frozenset(self.dates))
        outside = sorted(day for day in self.dates if day.year not in self.years)
        if outside:
            raise ValueError(f"holidays outside the covered years {self.years}: {outside}")

    def is_holiday(self, day: dt.date) -> bool:
        if day.year not in self.years:
            raise UncoveredDateError(f"no holiday data for {day.year} (covered: {self.years})")
        return day in self.dates


@cache
def federal_holidays() -> HolidayCalendar:
    """The shipped CSV; it covers every year from its first row to its last."""
    with FEDERAL_HOLIDAYS_CSV.open(newline="", encoding="utf-8") as rows:
        dates = frozenset(dt.date.fromisoformat(row["date"]) for row in csv.DictReader(rows))
    years = range(min(dates).year, max(dates).year + 1)
    return HolidayCalendar(dates, years)


def is_business_day(day: dt.date, holidays: HolidayCalendar) -> bool:
    return day.weekday() < 5 and not holidays.is_holiday(day)


def next_business_day(day: dt.date, holidays: HolidayCalendar) -> dt.date:
    """The first business day strictly after `day`."""
    day += _ONE_DAY
    while not is_business_day(day, holidays):
        day += _ONE_DAY
    return day


def add_business_days(day: dt.date, count: int, holidays: HolidayCalendar) -> dt.date:
    """The `count`-th business day after `day` (`day` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    for _ in range(count):
        day = next_business_day(day, holidays)
    return day


def billing_period(release_date: dt.date) -> tuple[dt.date, dt.date]:
    """The (18th, 17th) billing period that contains the release date."""
    start_month = _first_of_month(release_date, 0 if release_date.day >= PERIOD_START_DAY else -1)
    end_month = _first_of_month(start_month, 1)
    return start_month.replace(day=PERIOD_START_DAY), end_month.replace(day=PERIOD_END_DAY)


def payment_due_date(period_end: dt.date, holidays: HolidayCalendar) -> dt.date:
    """The 10th weekday after the period end, deferred past any holiday it lands on."""
    if period_end.day != PERIOD_END_DAY:
        raise ValueError(f"a billing period ends on the {PERIOD_END_DAY}th, not {period_end}")
    due = period_end
    for _ in range(PAYMENT_DUE_WEEKDAYS):
        due += _ONE_DAY
        while due.weekday() >= 5:
            due += _ONE_DAY
    return _on_or_next_business_day(due, holidays)


def cad_due_date(release_date: dt.date, holidays: HolidayCalendar) -> dt.date:
    """Last day to account for the goods: 5 business days from the release (day 0)."""
    day_zero = _on_or_next_business_day(release_date, holidays)
    return add_business_days(day_zero, CAD_DUE_BUSINESS_DAYS, holidays)


@dataclass(frozen=True)
class BillingDates:
    release_date: dt.date
    billing_period_start: dt.date
    billing_period_end: dt.date
    statement_date: dt.date
    payment_due_date: dt.date
    cad_due_date: dt.date

    def as_dict(self) -> dict[str, str]:
        return {field.name: getattr(self, field.name).isoformat() for field in fields(self)}


def billing_dates(release_date: dt.date, holidays: HolidayCalendar) -> BillingDates:
    """Every billing-cycle date that follows from a release date."""
    # A release timestamp must be turned into a local date first: near midnight on the 17th
    # the UTC date would put the goods in the wrong billing period.
    if isinstance(release_date, dt.datetime):
        raise TypeError("pass the release date (local), not a datetime")
    start, end = billing_period(release_date)
    return BillingDates(
        release_date=release_date,
        billing_period_start=start,
        billing_period_end=end,
        statement_date=end.replace(day=STATEMENT_DAY),
        payment_due_date=payment_due_date(end, holidays),
        cad_due_date=cad_due_date(release_date, holidays),
    )


def _on_or_next_business_day(day: dt.date, holidays: HolidayCalendar) -> dt.date:
    return day if is_business_day(day, holidays) else next_business_day(day, holidays)


def _first_of_month(day: dt.date, months_ahead: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return dt.date(index // 12, index % 12 + 1, 1)
