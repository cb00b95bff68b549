"""balances.running (the running balance less the entries dated after the day) equals the sum of the
entries dated up to the day (balances.balances) for any history: entries posted out of date order,
dated after the day asked about, redated into the open period after a close, reversed."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import balances, statements
from ledger.models import LedgerEntry
from ledger.posting import reverse_entry

from .factories import post


@pytest.fixture
def rm0002(maple):
    return maple.program_accounts.get(number="123456782RM0002")


START = dt.date(2025, 1, 18)
CLOSE = dt.date(2025, 2, 17)
cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
step = st.tuples(
    st.sampled_from(["assessment", "payment", "correction", "close"]),
    st.integers(min_value=0, max_value=89),
    cents,
    st.booleans(),  # which of the two accounts
)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=30), asked=st.lists(st.integers(-5, 95), min_size=1, max_size=6))
def test_the_running_balance_as_of_a_day_is_the_sum_of_the_entries_up_to_it(rm0001, rm0002, steps, asked):
    for kind, offset, amount, second in steps:  # in the order drawn: later days before earlier ones
        account, day = (rm0002 if second else rm0001), START + dt.timedelta(days=offset)
        if kind == "assessment":
            post(account, amount=amount, day=day)
        elif kind == "payment":
            post(account, "payment", -amount, day=day)
        elif kind == "correction" and (last := LedgerEntry.objects.filter(program_account=account).last()):
            reverse_entry(last, effective_date=day)
        elif kind == "close":
            statements.close_period(CLOSE)  # later entries dated before it are redated after it
    accounts = [rm0001.pk, rm0002.pk]
    for day in [None, *(START + dt.timedelta(days=offset) for offset in asked)]:
        expected, running = balances.balances(accounts, day), balances.running(accounts, day)
        assert [running[account] for account in accounts] == [expected[account] for account in accounts]


def test_an_account_without_entries_has_a_zero_balance(rm0001, rm0002):
    post(rm0001, amount="10.00", day=START)
    result = balances.running([rm0001.pk, rm0002.pk], START - dt.timedelta(days=1))
    assert result[rm0001.pk] == result[rm0002.pk] == Decimal("0.00")
