"""Offsetting under concurrency (PostgreSQL): runs on one account at the same moment, each in its own
connection, never spend one credit twice, never clear one debit beyond its amount and never ask back more
than the credit. The ledger row lock that every offsetting step takes first orders them; SQLite locks
the whole database, so these run on PostgreSQL only (test_offsetting.py observes the lock on any database)."""

import datetime as dt
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from accounts.demo import ensure_person
from ledger import offsetting
from ledger.models import Allocation, EntryType, LedgerEntry, RefundRequest
from rights import OfficerRole

from .factories import post

D = dt.date
MEETING_SECONDS = 2

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account(request):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite locks the whole database)")
    return request.getfixturevalue("rm0001")


def _at_once(*runs):
    """Start `runs` together, each in a thread with its own connection; return their results and errors."""
    start = threading.Barrier(len(runs))
    results, errors = [], []

    def run(step):
        try:
            start.wait()
            results.append(step())
        except Exception as error:  # noqa: BLE001  (returned to the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(step,)) for step in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _meeting_at_the_audit(parties=2):
    """Each run waits for the others where it audits what it wrote, just before it commits, for at most
    MEETING_SECONDS: runs the row lock lets through together have then all read the same money; a run
    waiting on the lock never arrives, and the one holding it goes on alone."""
    meeting, audit = threading.Barrier(parties), offsetting.record

    def record_after_the_others(*args, **kwargs):
        try:
            meeting.wait(timeout=MEETING_SECONDS)
        except threading.BrokenBarrierError:
            pass
        return audit(*args, **kwargs)

    return mock.patch.object(offsetting, "record", record_after_the_others)


def _spent(**entry):
    return Allocation.objects.filter(**entry).aggregate(total=Sum("amount"))["total"]


def test_two_daily_runs_at_once_spend_a_credit_once(account):
    first = post(account, amount="100.00", day=D(2025, 1, 10), due_date=D(2025, 1, 31))
    post(account, amount="100.00", day=D(2025, 1, 11), due_date=D(2025, 1, 31))
    credit = post(account, EntryType.PAYMENT, "-100.00", day=D(2025, 1, 20))
    clear = lambda: offsetting.clear_account(account, D(2025, 2, 1))  # noqa: E731
    with _meeting_at_the_audit():
        results, errors = _at_once(clear, clear)
    assert errors == []
    assert sorted(len(allocations) for allocations in results) == [0, 1]
    assert _spent(credit=credit) == Decimal("100.00")
    assert _spent(debit=first) == Decimal("100.00")


def test_a_payment_applied_while_the_daily_run_clears_never_clears_a_debit_twice(account):
    debit = post(account, amount="100.00", day=D(2025, 1, 10), due_date=D(2025, 1, 31))
    older = post(account, EntryType.PAYMENT, "-100.00", day=D(2025, 1, 15))
    payment = post(account, EntryType.PAYMENT, "-100.00", day=D(2025, 1, 20))
    with _meeting_at_the_audit():
        results, errors = _at_once(
            lambda: offsetting.clear_account(account, D(2025, 2, 1)),
            lambda: offsetting.allocate_credit(payment, D(2025, 2, 1)),
        )
    assert errors == []
    assert _spent(debit=debit) == Decimal("100.00")  # by the older credit or by the payment, not both
    assert _spent(credit__in=[older, payment]) == Decimal("100.00")


def test_two_refund_requests_at_once_never_ask_back_more_than_the_credit(account, alice):
    post(account, EntryType.PAYMENT, "-100.00", day=D(2025, 1, 20))
    ask = lambda: offsetting.request_refund(account, "100.00", user=alice)  # noqa: E731
    with _meeting_at_the_audit():
        results, errors = _at_once(ask, ask)
    assert len(results) == 1
    assert [(type(error), error.code) for error in errors] == [(ValidationError, "debt_remains")]
    assert RefundRequest.objects.get().amount == Decimal("100.00")


def test_a_refund_approved_while_a_debt_is_posted_is_paid_before_the_debt_never_after(account, alice):
    post(account, EntryType.PAYMENT, "-100.00", day=D(2025, 1, 20))
    refund = offsetting.request_refund(account, "100.00", user=alice)
    officer = ensure_person("rex.revenue@cbsa.example", "Rex Revenue", officer_roles=[OfficerRole.REVENUE])
    checked, debt_posted = threading.Event(), threading.Event()
    pay_back = offsetting.post_entry

    def pay_back_once_the_debt_is_posted(*args, **kwargs):  # the approval has found no debt
        checked.set()
        debt_posted.wait(timeout=MEETING_SECONDS)  # the debt cannot come while the approval holds the lock
        return pay_back(*args, **kwargs)

    def post_a_debt():
        checked.wait(timeout=MEETING_SECONDS)
        debt = post(account, amount="0.01", day=D(2025, 1, 22), due_date=D(2025, 1, 31))
        debt_posted.set()
        return debt

    with mock.patch.object(offsetting, "post_entry", pay_back_once_the_debt_is_posted):
        _results, errors = _at_once(
            lambda: offsetting.decide_refund(refund, approve=True, officer=officer), post_a_debt
        )
    assert errors == []
    refund.refresh_from_db()
    debt = LedgerEntry.objects.get(entry_type=EntryType.ASSESSMENT)
    assert refund.entry.pk < debt.pk  # paid back while no debt was there
