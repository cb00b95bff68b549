"""Interest compounded daily on overdue amounts, and the C336 late-payment penalty."""

import datetime as dt
from decimal import Decimal

from ledger import interest, statements
from ledger.models import EntryType, LedgerEntry

from .factories import post, rate

DUE = dt.date(2025, 1, 31)


def _run(days):
    for n in range(1, days + 1):
        interest.nightly_run(DUE + dt.timedelta(days=n))


def test_interest_on_10000_overdue_30_days_at_7_percent_compounded_daily(rm0001):
    rate("7")
    post(rm0001, amount="10000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    _run(30)
    # By hand: 10,000 × ((1 + 0.07/365)^30 − 1) = 57.6945… → $57.69
    total = sum(e.amount for e in LedgerEntry.objects.filter(entry_type=EntryType.INTEREST))
    assert total == Decimal("57.69")
    first = LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).first()
    assert first.explanation["principal"] == "10000.00" and Decimal(first.explanation["rate"]) == 7


def test_the_nightly_run_is_idempotent_per_account_per_day(rm0001):
    rate("7")
    post(rm0001, amount="10000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    _run(1)
    _run(1)
    assert LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).count() == 1


def test_the_specified_rate_applies_after_a_demand(rm0001):
    rate("7")
    post(rm0001, amount="36500.00", day=dt.date(2025, 1, 10), due_date=DUE)
    ledger = rm0001.ledger
    ledger.demand_issued_on = DUE
    ledger.save()
    _run(1)
    entry = LedgerEntry.objects.get(entry_type=EntryType.INTEREST)
    assert entry.amount == Decimal("13.00")  # 36,500 × 13 % / 365
    assert entry.explanation["rate_kind"] == "specified"


def test_no_interest_before_the_due_date_or_once_paid(rm0001):
    rate("7")
    debit = post(rm0001, amount="500.00", day=dt.date(2025, 1, 10), due_date=DUE)
    interest.nightly_run(DUE)
    post(rm0001, "payment", "-500.00", day=DUE)
    from ledger.offsetting import clear_account

    assert clear_account(rm0001, DUE)[0].debit == debit
    _run(3)
    assert not LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).exists()


def test_an_unpaid_statement_draws_one_late_payment_penalty(rm0001, settings):
    rate("7")
    post(rm0001, amount="1000.00", day=dt.date(2025, 3, 20))
    [statement] = statements.close_period(dt.date(2025, 4, 17))
    assert statement.due_date == dt.date(2025, 5, 1)
    for n in (1, 2, 3):
        interest.nightly_run(statement.due_date + dt.timedelta(days=n))
    penalty = LedgerEntry.objects.get(entry_type=EntryType.PENALTY)
    assert penalty.amount == settings.CARM_LATE_PAYMENT_PENALTY == Decimal("200.00")
    assert penalty.explanation["contravention"] == "C336"
