"""Threshold crossings (issue 19 item 4): when an account's unpaid RPP activity reaches 80 % or 100 %
of what its security covers, the importer and its delegated broker (one the importer lets pay) get a
notice of their own, once per crossing; falling back below and crossing again is told again. The watch
runs once the posting's transaction has committed (security.checks.usage_moved): each step here commits."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from security import services
from security.models import SecurityEvent

from .conftest import duties, secured

D = dt.date
TODAY = D(2025, 6, 10)


def committed(change, *args, **kwargs):
    """`change(*args, **kwargs)` as its own committed transaction: the callbacks queued to run on commit run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return change(*args, **kwargs)


def _told(person):
    """The usage levels `person` was told of, in order (read from each notice's own context)."""
    notices = Notification.objects.filter(kind="security.usage", recipient=person).order_by("pk")
    return [int(notice.context["percent"]) for notice in notices]


def test_reaching_80_then_100_percent_of_the_security_is_told_to_the_importer_and_its_broker(
    maple, rm0001, alice, sam, sureco, relate, brenda, on_day
):
    on_day(TODAY)
    # the broker hears of its client's money where the importer lets it pay (notifications.recipients.account_money)
    relate("business", role="editor", person=brenda, sees_importer=True, sees_others=True, allows_payments=True)
    secured(rm0001, alice, sam, sureco, amount="5000.00")  # stands for a $10,000 month
    committed(duties, rm0001, D(2025, 6, 2), "7999.99", number="A")
    assert _told(alice) == []
    committed(duties, rm0001, D(2025, 6, 3), "0.01", number="B")
    assert _told(alice) == [80] and _told(brenda) == [80]
    committed(duties, rm0001, D(2025, 6, 4), "500.00", number="C")  # still 80 %: nothing new
    assert _told(alice) == [80]
    committed(duties, rm0001, D(2025, 6, 5), "1500.00", number="D")
    assert _told(alice) == [80, 100] and _told(brenda) == [80, 100]
    notice = Notification.objects.filter(kind="security.usage", recipient=alice).order_by("pk").last()
    assert "100 %" in notice.message and rm0001.number in notice.message


def test_falling_back_below_is_recorded_without_a_notice_and_crossing_again_is_told_again(
    maple, rm0001, alice, sam, sureco, on_day
):
    on_day(TODAY)
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    committed(duties, rm0001, D(2025, 6, 2), "8000.00", number="A")
    committed(duties, rm0001, D(2025, 6, 3), "-7000.00", number="PAID")  # paid down (a credit)
    levels = list(
        SecurityEvent.objects.filter(kind="usage", program_account=rm0001).values_list("after__percent", flat=True)
    )
    assert levels == [80, 0] and _told(alice) == [80]
    committed(duties, rm0001, D(2025, 6, 4), "7000.00", number="B")
    assert _told(alice) == [80, 80]


def test_more_security_brings_the_usage_back_below_and_is_recorded_without_a_notice(
    maple, rm0001, alice, sam, sureco, on_day
):
    on_day(TODAY)
    bond = secured(rm0001, alice, sam, sureco, amount="5000.00")  # stands for $10,000
    committed(duties, rm0001, D(2025, 6, 2), "8000.00", number="A")
    assert _told(alice) == [80]
    committed(services.amend, sam, bond, amount="10000.00")
    committed(services.allocate, sam, bond, rm0001, "10000.00")  # now stands for $20,000: 40 %
    usage = SecurityEvent.objects.filter(kind="usage", program_account=rm0001).order_by("pk").last()
    assert usage.after["percent"] == 0 and _told(alice) == [80]


def test_the_usage_watch_reads_as_many_queries_for_many_accounts_as_for_one(
    maple, rm0001, rm0002, alice, sam, sureco, on_day
):
    on_day(TODAY)
    for account in (rm0001, rm0002):
        secured(account, alice, sam, sureco, amount="5000.00")
        committed(
            duties, account, D(2025, 6, 2), "8000.00", number=f"A-{account.number}"
        )  # 80 %, recorded by the watch

    def reads(accounts):
        with CaptureQueriesContext(connection) as captured:
            assert services.watch_usage([a.pk for a in accounts]) == []  # nothing moved since: only reads
        return len(captured)

    assert reads([rm0001]) == reads([rm0001, rm0002]) == 1  # the accounts, their security and balance at once
    assert _told(alice) == [80, 80]  # each account's crossing told once


def test_the_watch_runs_once_the_posting_has_committed_and_never_for_a_posting_rolled_back(
    maple, rm0001, alice, sam, sureco, on_day
):
    on_day(TODAY)
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    usage = SecurityEvent.objects.filter(kind="usage", program_account=rm0001)
    with TestCase.captureOnCommitCallbacks() as queued:
        with transaction.atomic():
            duties(rm0001, D(2025, 6, 2), "8000.00", number="A")
        assert not usage.exists()  # the posting's own transaction records nothing of the watch
    for watch in queued:
        watch()
    assert list(usage.values_list("after__percent", flat=True)) == [80] and _told(alice) == [80]
    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            duties(rm0001, D(2025, 6, 3), "2000.00", number="B")  # 100 %, had it stayed
            raise ZeroDivisionError
    assert list(usage.values_list("after__percent", flat=True)) == [80] and _told(alice) == [80]
