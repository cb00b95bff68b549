"""The ledger's part of the demo (ledger.demo): its days replayed around the documents posted each
day (here one assessment a month; in seed_demo the declarations demo's CADs). Statements close in
date order, each is paid on the 28th but RM0001's September one (short), which leaves an overdue
amount with interest and the C336 penalty, never more than the balance; replaying again changes nothing."""

import datetime as dt
from decimal import Decimal

from django.core.management import call_command

from ledger import balances, demo
from ledger.models import EntryType, LedgerEntry, Statement
from tests.ledger.factories import post

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 10, 31)


def _story(maple):
    accounts = list(maple.program_accounts.order_by("number")[:2])

    def events(day):
        if day.day == 5:
            for n, account in enumerate(accounts):
                amount = Decimal(6000 + 250 * day.month + 1000 * n)
                post(account, amount=amount, day=day, source_key=f"CAD:{day:%m}:{n}", transaction_number=f"{n}{day:%m}")

    demo.seed()
    demo.replay(accounts, FIRST, LAST, events)
    return accounts


def test_the_replay_is_idempotent_and_balances(maple):
    accounts = _story(maple)
    counts = LedgerEntry.objects.count(), Statement.objects.count()
    _story(maple)
    assert (LedgerEntry.objects.count(), Statement.objects.count()) == counts
    periods = [dt.date(2025, month, 17) for month in range(1, 11)]
    for account in accounts:
        issued = Statement.objects.filter(program_account=account).order_by("issued_at", "pk")
        assert [s.period_end for s in issued] == periods
    call_command("check_ledger")


def test_statements_are_paid_but_one_left_overdue_never_more_than_the_balance(maple):
    rm0001, rm0002 = _story(maple)
    paid = LedgerEntry.objects.filter(program_account=rm0002, entry_type=EntryType.PAYMENT).order_by("effective_date")
    due = Statement.objects.filter(program_account=rm0002, period_end__lte=demo.LAST_PAID_PERIOD).order_by("period_end")
    assert [-p.amount for p in paid] == [s.amount_due for s in due]
    ids = [rm0001.pk, rm0002.pk]
    owed, late = balances.balances(ids, LAST), balances.overdue(ids, LAST)
    assert 0 < late[rm0001.pk] <= owed[rm0001.pk] and late[rm0002.pk] == 0
    assert LedgerEntry.objects.filter(program_account=rm0001, reference="C336").count() == 1
    assert LedgerEntry.objects.filter(program_account=rm0001, entry_type=EntryType.INTEREST).exists()
