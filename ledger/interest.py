"""Interest on overdue amounts and the late-payment penalty, posted by the nightly run.

Interest: compounded daily at the prescribed rate (a dated table, InterestRate), or the specified
rate (prescribed + 6 %) after a demand. Each night posts one day of interest on what is overdue at
the end of that day; the interest entry is due at once, so it is itself overdue the next day:
that is the daily compounding. Fractions of a cent are carried to the next day, never lost.
Late payment (AMPS C336, settings.CARM_LATE_PAYMENT_PENALTY per instance): once per statement
whose amount due is still unpaid after its due date."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from . import balances
from .models import EntryType, InterestRate, LedgerAccount, Statement
from .posting import CENT, ledger_of, post_entry

SPECIFIED_RATE_PREMIUM = Decimal("6")
DAYS_IN_YEAR = 365


def prescribed_rate(day: dt.date) -> Decimal:
    rate = InterestRate.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rate is None:
        raise ImproperlyConfigured(f"no prescribed interest rate in effect on {day}")
    return rate.prescribed_rate


def accrue_interest(program_account, day: dt.date, overdue: Decimal):
    """One day of interest on `overdue`; idempotent (the account remembers the last day done)."""
    with transaction.atomic():
        ledger = ledger_of(program_account, lock=True)
        if ledger.interest_through and ledger.interest_through >= day:
            return None
        rate = prescribed_rate(day)
        specified = ledger.demand_issued_on is not None and day > ledger.demand_issued_on
        if specified:
            rate += SPECIFIED_RATE_PREMIUM
        exact = overdue * rate / 100 / DAYS_IN_YEAR + ledger.interest_carry
        posted = exact.quantize(CENT, rounding=ROUND_HALF_UP)
        entry = None
        if posted:
            entry = post_entry(
                program_account,
                EntryType.INTEREST,
                posted,
                effective_date=day,
                due_date=day,
                source_key=f"INT:{day.isoformat()}",
                description="Interest",
                explanation={
                    "principal": str(overdue),
                    "days": 1,
                    "rate": str(rate),
                    "rate_kind": "specified" if specified else "prescribed",
                    "exact": str(exact),
                    "carried_in": str(ledger.interest_carry),
                },
            )
        ledger.interest_through, ledger.interest_carry = day, (exact - posted).quantize(Decimal("1e-8"))
        ledger.save(update_fields=["interest_through", "interest_carry"])
    return entry


def late_payment_penalties(day: dt.date) -> int:
    """C336 for each statement due the day before `day` whose account still has it overdue."""
    statements = Statement.objects.filter(due_date=day - dt.timedelta(days=1), amount_due__gt=0, version=1)
    unpaid = balances.overdue(statements.values("program_account"), day)
    posted = 0
    for statement in statements.select_related("program_account"):
        if unpaid[statement.program_account_id] > 0:
            post_entry(
                statement.program_account,
                EntryType.PENALTY,
                settings.CARM_LATE_PAYMENT_PENALTY,
                effective_date=day,
                source_key=f"C336:{statement.period_end.isoformat()}",
                reference="C336",
                description="Late payment penalty (AMPS C336)",
                explanation={
                    "contravention": "C336",
                    "statement_due_date": statement.due_date.isoformat(),
                    "overdue": str(unpaid[statement.program_account_id]),
                },
            )
            posted += 1
    return posted


def nightly_run(day: dt.date) -> int:
    """Interest for `day` on every overdue account, then the penalties. Returns the interest entries."""
    overdue = balances.overdue(LedgerAccount.objects.values("program_account"), day)
    accounts = LedgerAccount.objects.filter(program_account__in=list(overdue)).select_related("program_account")
    posted = sum(
        accrue_interest(ledger.program_account, day, overdue[ledger.program_account_id]) is not None
        for ledger in accounts
    )
    late_payment_penalties(day)
    return posted
