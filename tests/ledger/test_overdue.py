"""What is overdue: debits past their due date, less the credits offsetting must apply to them first
(whatever the preference), so it never depends on whether the clearing has run yet."""

import datetime as dt
from decimal import Decimal

from ledger import balances, offsetting, statements

from .factories import post

DUE = dt.date(2025, 1, 31)
AFTER = DUE + dt.timedelta(days=1)


def _overdue(account, day=AFTER):
    return balances.overdue([account.pk], day)[account.pk]


def test_a_credit_not_yet_applied_counts_against_what_is_overdue(rm0001):
    post(rm0001, amount="1000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    post(rm0001, "payment", "-400.00", day=dt.date(2025, 1, 26))
    assert _overdue(rm0001) == Decimal("600.00")
    offsetting.clear_account(rm0001, AFTER)
    assert _overdue(rm0001) == Decimal("600.00")  # the clearing changes nothing


def test_overdue_never_exceeds_what_is_owed(rm0001):
    post(rm0001, amount="1000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    post(rm0001, amount="700.00", day=dt.date(2025, 1, 20), due_date=dt.date(2025, 2, 28))
    post(rm0001, "payment", "-1500.00", day=dt.date(2025, 1, 26))
    assert balances.balances([rm0001.pk], AFTER)[rm0001.pk] == Decimal("200.00")
    assert _overdue(rm0001) == Decimal("0.00")  # the payment covers the overdue debit first


def test_a_credit_already_applied_to_a_debit_not_yet_due_is_not_counted_twice(rm0001):
    post(rm0001, amount="1000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    post(rm0001, amount="700.00", day=dt.date(2025, 1, 20), due_date=dt.date(2025, 2, 28))
    post(rm0001, "payment", "-1500.00", day=dt.date(2025, 1, 26))
    ledger = rm0001.ledger
    ledger.offsetting_preference = "oldest_first"
    ledger.save()
    offsetting.clear_account(rm0001, dt.date(2025, 1, 26))  # clears 1000 then 500 of the 700
    assert _overdue(rm0001) == Decimal("0.00")
    assert _overdue(rm0001, dt.date(2025, 3, 1)) == Decimal("200.00")


def test_the_statement_shows_the_same_overdue_amount(rm0001):
    post(rm0001, amount="1000.00", day=dt.date(2025, 3, 1), due_date=dt.date(2025, 3, 31))
    post(rm0001, amount="700.00", day=dt.date(2025, 3, 20))  # due with this statement
    post(rm0001, "payment", "-400.00", day=dt.date(2025, 4, 10))  # not applied yet
    [statement] = statements.close_period(dt.date(2025, 4, 17))
    assert statement.overdue == _overdue(rm0001, dt.date(2025, 4, 18)) == Decimal("600.00")
