"""The ledger always balances: random sequences of assessments, payments, corrections, interest and
offsets keep every derived balance equal to the sum of the entries, never modify an entry, and
every statement reconciles (its opening from the previous statement) and shows what balances.overdue
says, never more than is owed."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import balances, interest, offsetting, statements
from ledger.models import Allocation, InterestRate, LedgerEntry
from ledger.posting import reverse_entry

from .factories import post

START = dt.date(2025, 1, 18)
cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
step = st.tuples(
    st.sampled_from(["assessment", "payment", "correction", "interest", "offset"]),
    st.integers(min_value=0, max_value=119),
    cents,
)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_the_ledger_always_balances(rm0001, steps):
    InterestRate.objects.get_or_create(effective_from=dt.date(2024, 1, 1), defaults={"prescribed_rate": 7})
    before = {}
    for kind, offset, amount in sorted(steps, key=lambda s: s[1]):
        day = START + dt.timedelta(days=offset)
        if kind == "assessment":
            post(rm0001, amount=amount, day=day)
        elif kind == "payment":
            post(rm0001, "payment", -amount, day=day)
        elif kind == "correction" and LedgerEntry.objects.filter(program_account=rm0001).exists():
            reverse_entry(LedgerEntry.objects.filter(program_account=rm0001).last(), effective_date=day)
        elif kind == "interest":
            interest.nightly_run(day)
        elif kind == "offset":
            offsetting.clear_account(rm0001, day)
        for entry in LedgerEntry.objects.all():
            assert before.setdefault(entry.pk, (entry.amount, entry.effective_date)) == (
                entry.amount,
                entry.effective_date,
            )
    total = sum(LedgerEntry.objects.filter(program_account=rm0001).values_list("amount", flat=True))
    rm0001.ledger.refresh_from_db()
    assert rm0001.ledger.balance == balances.balances([rm0001.pk])[rm0001.pk] == total
    for allocation in Allocation.objects.all():  # offsetting never clears more than there is
        assert allocation.debit.amount > 0 > allocation.credit.amount
    for period_end in (dt.date(2025, 2, 17), dt.date(2025, 3, 17), dt.date(2025, 4, 17), dt.date(2025, 5, 17)):
        for statement in statements.close_period(period_end):
            lines = sum(e.amount for e in statements.statement_entries(statement))
            assert statement.opening_balance + lines == statement.closing_balance
            assert statement.closing_balance == balances.balances([rm0001.pk], period_end)[rm0001.pk]
            next_day = period_end + dt.timedelta(days=1)
            late = balances.overdue([rm0001.pk], next_day)[rm0001.pk]
            assert statement.overdue == late <= max(balances.balances([rm0001.pk], next_day)[rm0001.pk], 0)
