"""Offsetting (ledger.offsetting): credits clear debits by the account's preference, oldest due first,
oldest credit first (CBSA, "Commercial import accounting: Offsetting and disbursements": "the oldest
due debt clearing first"); a payment is applied at once to the debits the payer chose or else to every
open one; a refund is only what is left once no debt remains (the same page: "If there is debt on your
account, no disbursement will be issued"; the Crown's set-off, Financial Administration Act s. 155(1))."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.demo import ensure_person
from audit.models import AuditEntry
from ledger import offsetting
from ledger.models import Allocation, EntryType, LedgerEntry, OffsettingPreference, RefundRequest
from ledger.posting import ledger_of
from rights import OfficerRole

from .factories import post

D = dt.date


def _debits(account):
    """Three debits: A 300 due 28 Feb, B 200 due 31 Jan, C 100 due 31 Mar."""
    return (
        post(account, amount="300.00", day=D(2025, 1, 10), due_date=D(2025, 2, 28)),
        post(account, amount="200.00", day=D(2025, 1, 20), due_date=D(2025, 1, 31)),
        post(account, amount="100.00", day=D(2025, 1, 21), due_date=D(2025, 3, 31)),
    )


def _prefer(account, preference):
    ledger = ledger_of(account)
    ledger.offsetting_preference = preference
    ledger.save()


def _cleared(allocations):
    return [(a.debit_id, a.amount) for a in allocations]


def test_current_statement_credits_clear_the_debits_due_on_or_before_the_day_oldest_due_first(rm0001):
    a, b, _c = _debits(rm0001)
    post(rm0001, EntryType.PAYMENT, "-400.00", day=D(2025, 1, 25))
    allocations = offsetting.clear_account(rm0001, D(2025, 2, 28))  # A falls due that day
    assert _cleared(allocations) == [(b.pk, Decimal("200.00")), (a.pk, Decimal("200.00"))]
    assert allocations[0].cleared_on == D(2025, 2, 28)
    assert offsetting.clear_account(rm0001, D(2025, 2, 28)) == []  # nothing left to clear
    cleared = AuditEntry.objects.filter(action="ledger.cleared").get()
    assert (cleared.after["allocations"], cleared.after["amount"]) == (2, "400.00")


def test_a_held_credit_clears_only_what_is_overdue(rm0001):
    a, b, _c = _debits(rm0001)
    _prefer(rm0001, OffsettingPreference.HOLD_FOR_REFUND)
    post(rm0001, EntryType.PAYMENT, "-400.00", day=D(2025, 1, 25))
    assert _cleared(offsetting.clear_account(rm0001, D(2025, 2, 28))) == [(b.pk, Decimal("200.00"))]
    assert _cleared(offsetting.clear_account(rm0001, D(2025, 3, 1))) == [(a.pk, Decimal("200.00"))]


def test_oldest_first_clears_every_open_debit_at_once_and_keeps_the_rest_as_a_credit(rm0001):
    a, b, c = _debits(rm0001)
    _prefer(rm0001, OffsettingPreference.OLDEST_FIRST)
    payment = post(rm0001, EntryType.PAYMENT, "-650.00", day=D(2025, 1, 25))
    allocations = offsetting.clear_account(rm0001, D(2025, 1, 25))
    assert _cleared(allocations) == [(b.pk, Decimal("200.00")), (a.pk, Decimal("300.00")), (c.pk, Decimal("100.00"))]
    assert {x.credit_id for x in allocations} == {payment.pk}
    assert offsetting.open_debits(rm0001).count() == 0


def test_the_oldest_credit_is_used_first_and_a_credit_dated_after_the_day_not_at_all(rm0001):
    debit = post(rm0001, amount="120.00", day=D(2025, 1, 10), due_date=D(2025, 1, 31))
    first = post(rm0001, EntryType.PAYMENT, "-50.00", day=D(2025, 1, 22))
    second = post(rm0001, EntryType.PAYMENT, "-100.00", day=D(2025, 1, 24))
    post(rm0001, EntryType.PAYMENT, "-30.00", day=D(2025, 2, 5))
    allocations = offsetting.clear_account(rm0001, D(2025, 2, 1))
    assert [(x.credit_id, x.debit_id, x.amount) for x in allocations] == [
        (first.pk, debit.pk, Decimal("50.00")),
        (second.pk, debit.pk, Decimal("70.00")),
    ]


def test_the_daily_run_clears_every_account_with_a_credit_once_and_reports_its_progress(rm0001, maple):
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        post(account, amount="100.00", day=D(2025, 1, 10), due_date=D(2025, 1, 31))
        post(account, EntryType.PAYMENT, "-60.00", day=D(2025, 1, 20))
    heard = []
    assert offsetting.clear_all(D(2025, 2, 1), lambda done, total: heard.append((done, total))) == 2
    assert heard == [(1, 2), (2, 2)]
    assert offsetting.clear_all(D(2025, 2, 1)) == 0


def test_the_daily_run_leaves_alone_an_account_that_holds_no_credit(rm0001, maple):
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    post(rm0001, amount="100.00", day=D(2025, 1, 10), due_date=D(2025, 1, 31))
    post(rm0001, EntryType.PAYMENT, "-60.00", day=D(2025, 1, 20))
    post(rm0002, amount="0.37", day=D(2025, 1, 10), due_date=D(2025, 1, 31))  # a debit of cents, no credit
    heard = []
    assert offsetting.clear_all(D(2025, 2, 1), lambda done, total: heard.append((done, total))) == 1
    assert heard == [(1, 1)]


def test_a_payment_goes_to_the_debits_the_payer_chose_and_what_is_left_stays_a_credit(rm0001):
    a, b, c = _debits(rm0001)
    payment = post(rm0001, EntryType.PAYMENT, "-350.00", day=D(2025, 1, 25))
    chosen = LedgerEntry.objects.filter(pk__in=[a.pk, c.pk])
    allocations = offsetting.allocate_credit(payment, D(2025, 1, 25), chosen)
    assert _cleared(allocations) == [(a.pk, Decimal("300.00")), (c.pk, Decimal("50.00"))]
    assert offsetting.allocate_credit(payment, D(2025, 1, 26)) == []  # all of it applied already
    assert AuditEntry.objects.filter(action="ledger.cleared").count() == 1  # nothing cleared: nothing audited


def test_a_payment_not_directed_clears_the_oldest_due_first_and_only_what_it_has_left(rm0001):
    a, b, _c = _debits(rm0001)
    payment = post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 25))
    offsetting.allocate_credit(payment, D(2025, 1, 25), LedgerEntry.objects.filter(pk=a.pk))  # all 250 to A
    later = post(rm0001, EntryType.PAYMENT, "-280.00", day=D(2025, 1, 26))
    allocations = offsetting.allocate_credit(later, D(2025, 1, 26))
    assert _cleared(allocations) == [(b.pk, Decimal("200.00")), (a.pk, Decimal("50.00")), (_c.pk, Decimal("30.00"))]


def test_a_payment_is_applied_to_its_last_cent(rm0001):
    a, b, _c = _debits(rm0001)
    payment = post(rm0001, EntryType.PAYMENT, "-200.40", day=D(2025, 1, 25))
    allocations = offsetting.allocate_credit(payment, D(2025, 1, 25))
    assert _cleared(allocations) == [(b.pk, Decimal("200.00")), (a.pk, Decimal("0.40"))]


@pytest.fixture
def refunds_officer(db):
    return ensure_person("rex.revenue@cbsa.example", "Rex Revenue", officer_roles=[OfficerRole.REVENUE])


def test_only_the_credit_left_once_no_debt_remains_may_be_refunded_less_what_is_already_asked(rm0001, alice):
    post(rm0001, amount="100.00", day=D(2025, 1, 10), due_date=D(2025, 1, 31))
    assert offsetting.refundable(rm0001) == Decimal("0.00")  # a debt, no credit: nothing
    post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 20))
    assert offsetting.refundable(rm0001) == Decimal("150.00")
    with pytest.raises(ValidationError) as refused:
        offsetting.request_refund(rm0001, "150.01", user=alice)
    assert refused.value.code == "debt_remains"
    offsetting.request_refund(rm0001, "100.05", user=alice)
    assert offsetting.refundable(rm0001) == Decimal("49.95")  # the pending request holds its amount, to the cent
    offsetting.request_refund(rm0001, "0.95", user=alice)  # less than a dollar is still a refund
    offsetting.request_refund(rm0001, "49.00", user=alice)  # exactly what is left
    assert offsetting.refundable(rm0001) == Decimal("0.00")
    asked = AuditEntry.objects.filter(action="ledger.refund_requested").order_by("id")
    assert [(a.actor, a.after) for a in asked][0] == (alice, {"account": rm0001.number, "amount": "100.05"})
    assert asked.count() == 3


@pytest.mark.parametrize("amount, code", [("0.00", "zero"), ("-1.00", "not_positive")])
def test_a_refund_of_zero_or_less_is_refused_for_what_it_is_even_with_a_credit(rm0001, alice, amount, code):
    post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 20))
    with pytest.raises(ValidationError) as refused:
        offsetting.request_refund(rm0001, amount, user=alice)
    assert refused.value.code == code
    assert not RefundRequest.objects.exists()


def test_an_approved_refund_posts_the_disbursement_once_and_not_when_a_debt_came_since(rm0001, alice, refunds_officer):
    post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 20))
    refund = offsetting.request_refund(rm0001, "250.00", user=alice)
    approved = offsetting.decide_refund(refund, approve=True, officer=refunds_officer, reason="Credit")
    assert approved.status == RefundRequest.Status.APPROVED
    assert (approved.entry.entry_type, approved.entry.amount) == (EntryType.REFUND, Decimal("250.00"))
    assert ledger_of(rm0001).balance == Decimal("0.00")
    with pytest.raises(ValidationError) as decided:
        offsetting.decide_refund(refund, approve=True, officer=refunds_officer)
    assert decided.value.code == "decided"

    post(rm0001, EntryType.PAYMENT, "-80.00", day=D(2025, 1, 21))
    late = offsetting.request_refund(rm0001, "80.00", user=alice)
    post(rm0001, amount="0.01", day=D(2025, 1, 22), due_date=D(2025, 1, 31))  # a cent of debt since
    with pytest.raises(ValidationError) as refused:
        offsetting.decide_refund(late, approve=True, officer=refunds_officer)
    assert refused.value.code == "debt_remains"


def test_a_rejected_refund_posts_nothing_and_keeps_the_officers_reason(rm0001, alice, refunds_officer):
    post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 20))
    refund = offsetting.request_refund(rm0001, "250.00", user=alice)
    rejected = offsetting.decide_refund(refund, approve=False, officer=refunds_officer, reason="Under review")
    refund.refresh_from_db()
    assert (refund.status, refund.entry, refund.decided_by, refund.reason) == (
        RefundRequest.Status.REJECTED,
        None,
        refunds_officer,
        "Under review",
    )
    assert rejected.status == RefundRequest.Status.REJECTED
    assert ledger_of(rm0001).balance == Decimal("-250.00")
    assert offsetting.refundable(rm0001) == Decimal("250.00")  # a rejected request holds nothing
    decided = AuditEntry.objects.filter(action="ledger.refund_decided").get()
    assert (decided.actor, decided.after) == (refunds_officer, {"status": "rejected", "reason": "Under review"})


def test_only_who_may_pay_asks_a_refund_or_sets_the_preference_and_only_an_officer_decides(rm0001, alice, reader):
    post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 20))
    with pytest.raises(PermissionDenied):  # Rita may read the account, not pay for it
        offsetting.request_refund(rm0001, "10.00", user=reader)
    with pytest.raises(PermissionDenied):
        offsetting.set_preference(rm0001, "hold_for_refund", user=reader)
    refund = offsetting.request_refund(rm0001, "10.00", user=alice)
    with pytest.raises(PermissionDenied):  # the importer's own BAM does not decide its refund
        offsetting.decide_refund(refund, approve=True, officer=alice)
    refund.refresh_from_db()
    assert refund.status == RefundRequest.Status.PENDING
    assert ledger_of(rm0001).offsetting_preference == OffsettingPreference.CURRENT_STATEMENT


def test_a_credit_preference_is_set_by_who_may_pay_and_audited(rm0001, alice):
    offsetting.set_preference(rm0001, "hold_for_refund", user=alice)
    assert ledger_of(rm0001).offsetting_preference == OffsettingPreference.HOLD_FOR_REFUND
    changed = AuditEntry.objects.filter(action="ledger.preference_changed").get()
    assert (changed.before, changed.after) == (
        {"offsetting_preference": "current_statement"},
        {"offsetting_preference": "hold_for_refund"},
    )


def test_a_credit_of_a_few_cents_clears_as_much_of_a_debit(rm0001):
    debit = post(rm0001, amount="100.00", day=D(2025, 1, 10), due_date=D(2025, 1, 31))
    post(rm0001, EntryType.PAYMENT, "-0.05", day=D(2025, 1, 20))
    assert _cleared(offsetting.clear_account(rm0001, D(2025, 2, 1))) == [(debit.pk, Decimal("0.05"))]


def test_a_debit_of_a_few_cents_is_cleared_like_any_other(rm0001):
    interest = post(rm0001, EntryType.INTEREST, "0.37", day=D(2025, 1, 10), due_date=D(2025, 1, 31))
    post(rm0001, EntryType.PAYMENT, "-0.50", day=D(2025, 1, 20))
    assert _cleared(offsetting.clear_account(rm0001, D(2025, 2, 1))) == [(interest.pk, Decimal("0.37"))]
    assert offsetting.open_debits(rm0001).count() == 0


def test_a_credit_used_to_the_cent_clears_nothing_more(rm0001):
    # 0.70 + 0.20 + 0.10 summed in binary floating point (SQLite) is a hair under 1.00: no rest to clear
    for amount, due in (("0.70", D(2025, 1, 29)), ("0.20", D(2025, 1, 30)), ("0.10", D(2025, 1, 31))):
        post(rm0001, amount=amount, day=D(2025, 1, 10), due_date=due)
    post(rm0001, EntryType.PAYMENT, "-1.00", day=D(2025, 1, 20))
    assert len(offsetting.clear_account(rm0001, D(2025, 2, 1))) == 3
    debit = post(rm0001, amount="5.00", day=D(2025, 2, 2), due_date=D(2025, 2, 28))
    assert offsetting.clear_account(rm0001, D(2025, 2, 28)) == []
    assert offsetting.open_debits(rm0001).get() == debit


# The ledger row lock (ledger_of(..., lock=True)) orders concurrent runs on one account: taken before
# the money is read, two runs never both see the same credit unspent (tests/ledger/test_offsetting_concurrent.py
# races them on PostgreSQL). SQLite takes no row locks, so these observe the lock being asked for, in order.
MONEY_TABLES = [f'"{model._meta.db_table}"' for model in (LedgerEntry, Allocation, RefundRequest)]


def _ledger_calls(run):
    """Run `run()`; for each call of ledger_of in ledger.offsetting: whether it locked, and the queries
    reading entries, allocations or refund requests made before it."""
    calls = []
    with CaptureQueriesContext(connection) as queries:

        def spy(account, lock=False):
            before = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in MONEY_TABLES)]
            calls.append((lock, before))
            return ledger_of(account, lock=lock)

        with mock.patch.object(offsetting, "ledger_of", wraps=spy):
            run()
    return calls


def test_clearing_an_account_locks_its_ledger_row_before_reading_its_open_entries(rm0001):
    _debits(rm0001)
    post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 25))
    assert _ledger_calls(lambda: offsetting.clear_account(rm0001, D(2025, 2, 28)))[:1] == [(True, [])]
    assert Allocation.objects.count() == 2  # it read the entries and cleared, after the lock


def test_applying_a_payment_locks_its_ledger_row_before_reading_what_is_left_of_it(rm0001):
    _debits(rm0001)
    payment = post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 25))
    assert _ledger_calls(lambda: offsetting.allocate_credit(payment, D(2025, 1, 25)))[:1] == [(True, [])]
    assert Allocation.objects.count() == 2


def test_asking_and_deciding_a_refund_lock_the_ledger_row_before_reading_the_credit(rm0001, alice, refunds_officer):
    post(rm0001, EntryType.PAYMENT, "-250.00", day=D(2025, 1, 20))
    asked = []
    calls = _ledger_calls(lambda: asked.append(offsetting.request_refund(rm0001, "250.00", user=alice)))
    assert calls[:1] == [(True, [])]
    calls = _ledger_calls(lambda: offsetting.decide_refund(asked[0], approve=True, officer=refunds_officer))
    assert calls[:1] == [(True, [])]
    assert ledger_of(rm0001).balance == Decimal("0.00")  # the credit was read and paid back, after the lock


def test_setting_the_preference_locks_the_ledger_row_it_changes(rm0001, alice):
    calls = _ledger_calls(lambda: offsetting.set_preference(rm0001, "hold_for_refund", user=alice))
    assert calls[:1] == [(True, [])]
    assert ledger_of(rm0001).offsetting_preference == OffsettingPreference.HOLD_FOR_REFUND
