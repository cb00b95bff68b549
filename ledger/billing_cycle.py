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
  Saturday or a holiday" (SOR/86-1062 s. 2), Sunday being a holiday. Release day is day 0; for a
  release on a Saturday, Sunday or holiday "the accounting period starts on the first business day
  after release", which is counted as day 1 (AMPS C288 guidelines). [CBSA]
  https://www.cbsa-asfc.gc.ca/trade-commerce/amps/contraventions-infractions/c288-eng.html
  C288 covers goods with an estimated value for duty over $3,300; goods of $3,300 or less are due by
  the 24th of the month after release, late accounting being C292 (same AMPS pages). [CBSA]
Accounting programs (AccountingProgram): courier low-value shipments (CLVS, D17-4-0) and
  continuous-transmission commodities account by the 24th of the month after release (AMPS C292,
  C330); a CSA importer by the payment due date of the goods' period (SOR/86-1062 s. 10.3(2)).
  Those programs bill by calendar month: due the 10th weekday after the 17th of the month after the
  month of release (s. 10.3(2), the CSA rule; the brief's "statement on the 25th of the next month"
  for CLVS and continuous transmission is [3P] and we apply the same rule to them). A CSA importer
  chooses its period (s. 10.3(1)): the calendar month, or the 18th-17th period, due the 10th weekday
  after its end (s. 10.3(3)), and keeps it (s. 10.3(4)); CsaPeriod, recorded with the account's program.
Prescribed day (when the amount of a CAD is payable, Customs Act s.33.4(1)(a), (2)(a)): the payment
  due date of the 18th-17th period that includes the earlier of the day the goods were accounted for
  and the last day they had to be. SOR/86-1062 s. 2.1 (SOR/2024-41 s. 13) words it "the 10th weekday
  after the 17th day of the month following the month that includes the earlier of" the two days;
  read literally for a day from the 1st to the 17th that is a month later than s.33.4(2)(b) allows
  (at the latest the 18th day after the end of the 18th-17th period), so the Act's period is used for
  the harmonized cycle and the regulation's calendar month for the calendar-month programs.
  https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-33.4.html
Cash CAD: goods not released prior to payment; their duties are payable on release (Customs Act
  s.32(1), s.33.4(1)(b): interest from the day after the person became liable), so due that day.

Holidays are an input (HolidayCalendar), so the Django layer can feed them from a table that
officers edit; federal_holidays() reads the shipped CSV, data/federal_holidays.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum
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
    """Last day to account for the goods: 5 business days from the release (day 0); a release on a
    non-business day makes the next business day day 1 (AMPS C288 guidelines): either way, the 5th
    business day after the release day."""
    return add_business_days(release_date, CAD_DUE_BUSINESS_DAYS, holidays)


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


def last_day_of_month(day: dt.date) -> dt.date:
    return _first_of_month(day, 1) - _ONE_DAY


def _first_of_month(day: dt.date, months_ahead: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return dt.date(index // 12, index % 12 + 1, 1)


# --- accounting programs, deadlines and the day a CAD is payable (issue 15, items 8-10) ----------


class AccountingProgram(StrEnum):
    """The accounting program an RM account is in: it sets the CAD deadline and the billing period."""

    REGULAR = "regular"  # goods released prior to payment, harmonized 18th-17th cycle (D17-1-5)
    CLVS = "clvs"  # Courier Low Value Shipment program (D17-4-0)
    CONTINUOUS = "continuous"  # continuous-transmission commodities (pipeline, electricity)
    CSA = "csa"  # Customs Self-Assessment (SOR/86-1062 s. 10.3)


CALENDAR_MONTH_PROGRAMS = frozenset({AccountingProgram.CLVS, AccountingProgram.CONTINUOUS, AccountingProgram.CSA})


class CsaPeriod(StrEnum):
    """The accounting period a CSA importer chose (values: businesses.models.CsaPeriod)."""

    MONTH = "month"  # SOR/86-1062 s.10.3(1)(a): the first to the last day of a month
    CYCLE = "cycle"  # SOR/86-1062 s.10.3(1)(b): the 18th of a month to the 17th of the next


def by_calendar_month(program: AccountingProgram, csa_period: CsaPeriod = CsaPeriod.MONTH) -> bool:
    """Whether the account's periods are calendar months: CLVS and continuous transmission always,
    a CSA importer unless it chose the 18th-17th period (SOR/86-1062 s.10.3(1))."""
    return program in CALENDAR_MONTH_PROGRAMS and not (
        program == AccountingProgram.CSA and csa_period == CsaPeriod.CYCLE
    )


LOW_VALUE_LIMIT = Decimal("3300.00")  # AMPS C288 (over) / C292 (not over): estimated value for duty
NEXT_MONTH_ACCOUNTING_DAY = 24  # AMPS C292, C330: "the twenty-fourth day of the month following"


@dataclass(frozen=True)
class Dated:
    """A computed date and why: `rule` (a code the pages put in words), its legal `source`, the
    `inputs` it was computed from and, for a deadline, the AMPS `penalty` when it is missed."""

    day: dt.date
    rule: str
    source: str
    inputs: dict = field(default_factory=dict)
    penalty: str = ""

    def as_dict(self) -> dict:
        inputs = {
            name: value.isoformat() if isinstance(value, dt.date) else str(value) for name, value in self.inputs.items()
        }
        return {
            "day": self.day.isoformat(),
            "rule": self.rule,
            "source": self.source,
            "inputs": inputs,
            "penalty": self.penalty,
        }


def accounting_deadline(
    release_date: dt.date,
    program: AccountingProgram,
    estimated_vfd: Decimal,
    holidays: HolidayCalendar,
    csa_period: CsaPeriod = CsaPeriod.MONTH,
) -> Dated:
    """The last day to account for goods released on `release_date`, by the account's program (and
    a CSA importer's chosen period)."""
    inputs = {"release_date": release_date, "program": program.value}
    # The AMPS code for a CSA importer's late accounting was not found: C292 [DESIGN]
    if program == AccountingProgram.CSA and csa_period == CsaPeriod.CYCLE:
        inputs["csa_period"] = csa_period.value
        due = payment_due_date(billing_period(release_date)[1], holidays)  # SOR/86-1062 s.10.3(3)
        return Dated(due, "csa_payment_due_date", "SOR/86-1062 s.10.3(3)", inputs, penalty="C292")
    if program == AccountingProgram.CSA:
        due = calendar_month_due_date(release_date, holidays)  # SOR/86-1062 s.10.3(2)
        return Dated(due, "csa_payment_due_date", "SOR/86-1062 s.10.3(2)", inputs, penalty="C292")
    if program in CALENDAR_MONTH_PROGRAMS:
        day = _first_of_month(release_date, 1).replace(day=NEXT_MONTH_ACCOUNTING_DAY)
        return Dated(day, "program_24th", "Customs Act s.32(5); D17-4-0; AMPS C292", inputs, penalty="C292")
    if estimated_vfd <= LOW_VALUE_LIMIT:
        day = _first_of_month(release_date, 1).replace(day=NEXT_MONTH_ACCOUNTING_DAY)
        inputs["estimated_vfd"] = estimated_vfd
        return Dated(day, "low_value_24th", "Customs Act s.32(3); AMPS C292", inputs, penalty="C292")
    inputs["estimated_vfd"] = estimated_vfd
    inputs["day_one"] = (
        release_date if is_business_day(release_date, holidays) else next_business_day(release_date, holidays)
    )
    # Customs Act s.32(3); SOR/86-1062 s.10; AMPS C288 guidelines (release day 0, weekend release: day 1)
    return Dated(
        cad_due_date(release_date, holidays),
        "five_business_days",
        "Customs Act s.32(3); AMPS C288",
        inputs,
        penalty="C288",
    )


def calendar_month_due_date(day: dt.date, holidays: HolidayCalendar) -> dt.date:
    """The 10th weekday after the 17th of the month following `day`'s month (SOR/86-1062 s.10.3(2))."""
    return payment_due_date(_first_of_month(day, 1).replace(day=PERIOD_END_DAY), holidays)


def payable_on(
    *,
    release_date: dt.date,
    accounted_on: dt.date,
    deadline: Dated,
    program: AccountingProgram,
    cash: bool,
    rpp_enrolled: bool,
    holidays: HolidayCalendar,
    csa_period: CsaPeriod = CsaPeriod.MONTH,
) -> Dated:
    """The day a CAD's duties are payable, and why. `inputs["billed_on"]` is the day it is billed
    on: the statement of the period including that day shows it."""
    if cash and release_date > accounted_on:
        # A cash CAD prepared before its goods arrive: payable now, the goods released once it is paid
        # (Customs Act s.32(1): accounted for and paid before release).
        inputs = {"release_date": release_date, "accounted_on": accounted_on, "billed_on": accounted_on}
        return Dated(accounted_on, "cash_before_release", "Customs Act s.32(1)", inputs)
    if cash or not rpp_enrolled:
        # Not released prior to payment: payable on release (Customs Act s.32(1), s.33.4(1)(b)).
        rule = "cash_at_release" if cash else "rpp_not_enrolled"
        inputs = {"release_date": release_date, "accounted_on": accounted_on, "billed_on": release_date}
        return Dated(release_date, rule, "Customs Act s.32(1), s.33.4(1)(b)", inputs)
    billed_on = min(accounted_on, deadline.day)  # Customs Act s.33.4(2)(a)(i), (ii)
    inputs = {"accounted_on": accounted_on, "deadline": deadline.day, "billed_on": billed_on}
    if by_calendar_month(program, csa_period):
        due = calendar_month_due_date(billed_on, holidays)
        return Dated(due, "calendar_month", "SOR/86-1062 s.2.1, s.10.3(2)", inputs)
    period_end = billing_period(billed_on)[1]
    inputs["period_end"] = period_end
    source = "Customs Act s.33.4(2)(a); SOR/86-1062 s.2.1"
    if program == AccountingProgram.CSA:
        source = "Customs Act s.33.4(2)(a); SOR/86-1062 s.10.3(3)"  # the 18th-17th period a CSA importer chose
    return Dated(payment_due_date(period_end, holidays), "prescribed_day", source, inputs)


def correction_due(
    filed_on: dt.date,
    billed_due: dt.date,
    closed_through: dt.date | None,
    holidays: HolidayCalendar,
    program: AccountingProgram = AccountingProgram.REGULAR,
    csa_period: CsaPeriod = CsaPeriod.MONTH,
) -> Dated:
    """When a correction's change in duties is due (brief §5 [3P GHY]): filed before the 25th for the
    period being billed (the CAD it corrects is due with that statement, not issued yet), it goes
    on that statement (billed on its period end) and is due with it; otherwise it is due in the
    current cycle. A calendar-month program's periods are calendar months (SOR/86-1062 s.10.3)."""
    if by_calendar_month(program, csa_period):
        end = _first_of_month(filed_on, 1) - _ONE_DAY
        last_end = filed_on.replace(day=1) - _ONE_DAY
        last_due, current_due = calendar_month_due_date(last_end, holidays), calendar_month_due_date(filed_on, holidays)
        after_end = True
    else:
        start, end = billing_period(filed_on)
        last_end = start - _ONE_DAY
        last_due, current_due = payment_due_date(last_end, holidays), payment_due_date(end, holidays)
        after_end = filed_on.day >= PERIOD_START_DAY
    statement_open = closed_through is None or closed_through < last_end
    if after_end and filed_on.day < STATEMENT_DAY and billed_due == last_due and statement_open:
        inputs = {"filed_on": filed_on, "period_end": last_end, "billed_on": last_end}
        return Dated(last_due, "correction_on_statement", "Customs Act s.32.2(3), s.33.4(2)(a)", inputs)
    inputs = {"filed_on": filed_on, "period_end": end, "billed_on": filed_on}
    return Dated(current_due, "correction_current_cycle", "Customs Act s.32.2(3), s.33.4(2)(a)", inputs)
