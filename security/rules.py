"""Every figure of RPP security in one place, each with its source (issue 19 item 2).

Checked in this session: the annual review's day and period, the January deadline and "only the
accounts whose requirement rose are notified" (CBSA bulletin 5404 as reported by brokers; Customs
Notice 25-22 for the end of the RPP transition on 20 May 2025). The 50 %, $5,000, 100 % and
$10,000,000 figures are from the domain brief §7 citing D17-5-2 and the Financial Security (Electronic
Means) Regulations: their text was not found in the stored sources, so they are settings to correct.
Checked again (5 Dec 2026): 50 % with a $5,000 minimum per RM account and 100 % cash, GST included, as
the Surety Association of Canada summarizes CBSA's page (suretycanada.com, "CBSA/CARM - RPP Bonds");
the $10,000,000 maximum still not found. The end of the transition is Customs Notice 25-22 ("End of
Release Prior to Payment (RPP) Transition Period", updated 23 May 2025, as C.H. Robinson's advisory
quotes it), not 25-23 as the brief has it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

BOND_RATE = Decimal("0.50")  # D17-5-2; brief §7; suretycanada.com: a surety bond is 50 % of the highest month
BOND_MINIMUM = Decimal("5000.00")  # D17-5-2; brief §7: minimum $5,000 (bond only)
CASH_RATE = Decimal("1.00")  # D17-5-2; brief §7: a cash deposit is 100 %, no minimum, no interest paid
MAXIMUM = Decimal("10000000.00")  # D17-5-2; brief §7: at most $10,000,000 per RM account
RPP_SECURITY_FROM = dt.date(2025, 5, 20)  # Customs Notice 25-22 (updated 22 May 2025): transition ended 20 May 2025
REVIEW_DAY = (10, 20)  # CBSA bulletin 5404: the annual review runs on 20 October ...
REVIEW_DEADLINE = (1, 15)  # ... and the increase is due by 15 January (first: 15 Jan 2026)
MODIFICATION_DAYS = 30  # [DESIGN] officers' service standard for a modification request: not a CBSA figure


@dataclass(frozen=True)
class Figures:
    highest: Decimal
    bond: Decimal
    cash: Decimal


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def required(highest_month) -> Figures:
    """The bond and the cash deposit required for a highest month of duties and taxes (GST included).
    A month with nothing payable requires nothing: importers of goods free of duties and taxes keep RPP
    without security (Customs Notice 25-22, as summarized by brokers)."""
    highest = max(cents(highest_month), ZERO)
    if highest == ZERO:
        return Figures(ZERO, ZERO, ZERO)
    bond = min(max(cents(highest * BOND_RATE), BOND_MINIMUM), MAXIMUM)
    cash = min(cents(highest * CASH_RATE), MAXIMUM)
    return Figures(highest, bond, cash)


def required_sql(cents: str) -> tuple[str, str, str]:
    """`required` as SQL (the annual review computes every account's figures in the database): the
    highest month, bond and cash in whole cents, for `cents`, an SQL expression of the highest month
    in whole cents. Integer arithmetic, so exact on every database as Decimal is here;
    tests/security/test_rpp_rules.py holds the two to the same figures."""

    def share(rate):  # cents × rate rounded half up, in integers: (2·cents·rate·100 + 100) div 200
        assert rate * 200 == int(rate * 200), "a rate in half-cents per dollar"
        return f"(({cents}) * {int(rate * 200)} + 100) / 200"

    def capped(value, floor=None):  # nothing for a month of nothing, else `value` within [floor, MAXIMUM]
        low = "" if floor is None else f"WHEN {value} < {int(floor * 100)} THEN {int(floor * 100)} "
        top = int(MAXIMUM * 100)
        return f"CASE WHEN ({cents}) <= 0 THEN 0 {low}WHEN {value} > {top} THEN {top} ELSE {value} END"

    highest = f"CASE WHEN ({cents}) <= 0 THEN 0 ELSE ({cents}) END"
    return highest, capped(share(BOND_RATE), BOND_MINIMUM), capped(share(CASH_RATE))


def new_importer_month() -> Decimal:
    """The highest month assumed of an importer with no history (configurable)."""
    return cents(settings.CARM_RPP_NEW_IMPORTER_MONTH)


def thresholds() -> list[Decimal]:
    """Usage of the posted security at which importers and brokers are warned, e.g. 80 % and 100 %."""
    return sorted(Decimal(str(t)) for t in settings.CARM_RPP_WARNING_THRESHOLDS)


def review_period(day: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months a review on `day` looks at: 20 Oct of the year before to 19 Oct (bulletin 5404)."""
    start = day.replace(year=day.year - 1)
    return start, day - dt.timedelta(days=1)


def review_deadline(day: dt.date) -> dt.date:
    """The 15 January after the review day (configurable: settings.CARM_RPP_REVIEW_DEADLINE)."""
    month, dom = settings.CARM_RPP_REVIEW_DEADLINE
    deadline = dt.date(day.year, month, dom)
    return deadline if deadline > day else deadline.replace(year=day.year + 1)


def enforced_on(day: dt.date) -> bool:
    """Whether an RPP release on `day` needs enrolment and security (None in settings: never)."""
    since = settings.CARM_RPP_SECURITY_FROM
    return since is not None and day >= since
