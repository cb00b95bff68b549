"""Interest runs "from the day after the amount became payable until it is paid" (Customs Act
s.33.4(1); D11-6-5 para. 2): a payment credited late counts from its payment date, cent for cent as
one credited on time; a dishonoured payment is no payment, also when it was paid into a period
already closed; a late-payment C336 is owed on any amount left unpaid after the due date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from ledger import interest, offsetting, posting, statements
from ledger.models import EntryType, LedgerAccount, LedgerEntry

from .factories import post, rate
from .test_interest_law import _charged, _interest, _nights, _unpaid_statement


def _overdue_since_april(accounts):
    """1,000 assessed in February for each account: its statement (period to 17 March) is due on
    31 March, so interest runs from 1 April; the nights run to 20 April and April's period closes."""
    for account in accounts:
        post(account, amount="1000.00", day=dt.date(2025, 2, 20))
    [due] = {s.due_date for s in statements.close_period(dt.date(2025, 3, 17), accounts=accounts)}
    _nights(due + dt.timedelta(days=1), dt.date(2025, 4, 20))
    statements.close_period(dt.date(2025, 4, 17), accounts=accounts)
    return due


def test_a_payment_into_a_closed_period_then_dishonoured_leaves_the_interest_of_no_payment(rm0001, maple):
    # Paid on 10 April, credited on 21 April after April's period closed: its entry is dated 18 April
    # (the open period) and counted from 10 April; returned NSF on 24 April it never paid anything, so
    # RM0001 owes the interest of RM0002, which never paid.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    due = _overdue_since_april([rm0001, rm0002])
    assert due < dt.date(2025, 4, 10)
    payment = post(rm0001, EntryType.PAYMENT, "-1000.00", day=dt.date(2025, 4, 10), reference="PAD-CLOSED")
    assert payment.effective_date == dt.date(2025, 4, 18)
    assert payment.explanation["document_date"] == "2025-04-10"
    assert _interest(rm0001) < _interest(rm0002)  # counted from 10 April: those days' interest taken back
    _nights(dt.date(2025, 4, 21), dt.date(2025, 4, 23))
    post(
        rm0001, EntryType.REVERSAL, "1000.00", day=dt.date(2025, 4, 24), due_date=dt.date(2025, 4, 24), reverses=payment
    )
    assert _interest(rm0001) == _interest(rm0002) > 0
    fix = LedgerEntry.objects.filter(program_account=rm0001, source_key__startswith="INTFIX:").latest("pk")
    assert fix.explanation["from"] == "2025-04-10" and fix.explanation["to"] == "2025-04-23"


def test_a_c336_is_owed_on_an_unpaid_statement_of_less_than_a_dollar(rm0001):
    # AMPS C336 (CBSA's guidelines): assessed when the importer "fails to pay ... on the SOA, in full, by
    # the date specified": any amount left unpaid, cents included.
    post(rm0001, amount="0.50", day=dt.date(2025, 3, 20))
    [statement] = statements.close_period(dt.date(2025, 4, 17), accounts=[rm0001])
    assert statement.amount_due == Decimal("0.50")
    assert interest.late_payment_penalties(statement.due_date + dt.timedelta(days=1)) == 1
    assert _charged(rm0001, EntryType.PENALTY) == interest.late_payment_amount()


def test_a_dishonoured_payment_of_a_statement_of_less_than_a_dollar_draws_its_c336(rm0001):
    # The recalculation charges the C336 the nightly run would have charged had the payment never been made.
    rate("7")
    post(rm0001, amount="0.50", day=dt.date(2025, 3, 20))
    [statement] = statements.close_period(dt.date(2025, 4, 17), accounts=[rm0001])
    payment = post(rm0001, EntryType.PAYMENT, "-0.50", day=statement.due_date, reference="PAD-CENTS")
    _nights(statement.due_date + dt.timedelta(days=1), statement.due_date + dt.timedelta(days=4))
    assert _charged(rm0001, EntryType.PENALTY) == 0
    returned = statement.due_date + dt.timedelta(days=5)
    post(rm0001, EntryType.REVERSAL, "0.50", day=returned, due_date=returned, reverses=payment)
    assert _charged(rm0001, EntryType.PENALTY) == interest.late_payment_amount()
    fix = LedgerEntry.objects.get(program_account=rm0001, source_key__startswith="INTFIX:")
    assert Decimal(0) < fix.amount < 1 and fix.entry_type == EntryType.INTEREST  # the C336's interest, a debit


def test_a_payment_credited_late_that_leaves_cents_unpaid_keeps_the_c336(rm0001):
    # C336: the statement not paid "in full" by its due date.
    rate("7")
    statement = _unpaid_statement(rm0001)
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    post(rm0001, EntryType.PAYMENT, "-999.50", day=statement.due_date, reference="BNK-SHORT")
    [penalty] = LedgerEntry.objects.filter(program_account=rm0001, entry_type=EntryType.PENALTY)
    assert penalty.amount == interest.late_payment_amount() and not penalty.reversals.exists()


def test_a_c336_taken_back_for_a_payment_credited_late_is_charged_again_when_that_payment_is_dishonoured(rm0001, maple):
    # Its first key (C336:<period end>) is taken by the penalty reversed: charged again under a new one.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        statement = _unpaid_statement(account)
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    payment = post(rm0001, EntryType.PAYMENT, "-1000.00", day=statement.due_date, reference="PAD-LATE")
    assert _charged(rm0001, EntryType.PENALTY) + _charged(rm0001, EntryType.REVERSAL) < 0  # C336 taken back
    _nights(dt.date(2025, 5, 6), dt.date(2025, 5, 7))
    returned = post(
        rm0001, EntryType.REVERSAL, "1000.00", day=dt.date(2025, 5, 8), due_date=dt.date(2025, 5, 8), reverses=payment
    )
    penalties = LedgerEntry.objects.filter(program_account=rm0001, entry_type=EntryType.PENALTY).order_by("pk")
    assert [p.source_key for p in penalties] == ["C336:2025-04-17", f"C336:2025-04-17:{returned.source_key}"]
    assert _interest(rm0001) == _interest(rm0002) > 0


def _owing_100_from(account, due):
    post(account, amount="100.00", day=due - dt.timedelta(days=20), due_date=due)


def test_a_payment_credited_late_draws_the_interest_of_one_credited_on_time_the_carried_fraction_included(
    rm0001, maple
):
    # $100 at 13 % (7 + 6), rounded half up with the fraction carried: 0.0356… → 0.04, 0.0312… → 0.03,
    # 0.0369… → 0.04, 0.0325… → 0.03, and on the payment day, on what was owed at its start,
    # 0.0382… → 0.04 (−0.0018 carried); then $50.18 left: 0.0161… → 0.02, $0.20 in all. From no carry
    # on the payment day (a recalculation starting afresh) they would be 0.0357… → 0.04 and 0.0135… → 0.01.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    due = dt.date(2025, 1, 31)
    for account in (rm0001, rm0002):
        _owing_100_from(account, due)
    paid = due + dt.timedelta(days=5)
    post(rm0002, EntryType.PAYMENT, "-50.00", day=paid, reference="ON-TIME")
    _nights(due + dt.timedelta(days=1), paid + dt.timedelta(days=1))
    post(rm0001, EntryType.PAYMENT, "-50.00", day=paid, reference="CREDITED-LATE")
    assert _interest(rm0001) == _interest(rm0002) == Decimal("0.20")


def test_a_payment_counts_from_the_day_after_it_was_made_so_one_dated_the_last_night_run_changes_nothing(rm0001, maple):
    # The payment day draws interest on what was owed at its start (Customs Act s.33.4(1): the period
    # ends on, and includes, the day the amount is paid in full): a payment dated the last night run
    # changes none of the days run; one dated the night before changes the last night only.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    due = dt.date(2025, 1, 31)
    for account in (rm0001, rm0002):
        _owing_100_from(account, due)
    paid = due + dt.timedelta(days=3)
    post(rm0002, EntryType.PAYMENT, "-100.00", day=paid - dt.timedelta(days=1), reference="ON-TIME")
    _nights(due + dt.timedelta(days=1), paid)
    post(rm0001, EntryType.PAYMENT, "-1.00", day=paid, reference="CREDITED-AFTER-THE-NIGHT")
    assert not LedgerEntry.objects.filter(program_account=rm0001, source_key__startswith="INTFIX:").exists()
    post(rm0001, EntryType.PAYMENT, "-99.00", day=paid - dt.timedelta(days=1), reference="THE-NIGHT-BEFORE")
    assert _interest(rm0001) == _interest(rm0002)
    fix = LedgerEntry.objects.get(program_account=rm0001, source_key__startswith="INTFIX:")
    assert list(fix.explanation["days"]) == [paid.isoformat()]
    assert fix.effective_date == paid + dt.timedelta(days=1)  # tonight's: no entry dated into a day already run


def test_a_nights_interest_under_half_a_cent_posts_no_entry_and_carries_the_fraction(rm0001):
    # $1 at 13 % a year: 0.00035616… a day, no cent to post; the fraction waits for the next day.
    rate("7")
    due = dt.date(2025, 1, 31)
    post(rm0001, amount="1.00", day=dt.date(2025, 1, 10), due_date=due)
    assert interest.nightly_run(due + dt.timedelta(days=1)) == 0
    assert not LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).exists()
    assert LedgerAccount.objects.get(program_account=rm0001).interest_carry == Decimal("0.00035616")


def test_the_c336_amount_is_the_penalties_catalogue_s_else_the_setting(db, settings, monkeypatch):
    # C336 (CBSA's contravention page): "Flat rate $200, per instance", the catalogue's figure.
    settings.CARM_LATE_PAYMENT_PENALTY = Decimal("150.00")
    assert interest.late_payment_amount() == Decimal("200.00")
    monkeypatch.setattr(interest, "_late_payment_source", None)  # the ledger without the penalties app
    assert interest.late_payment_amount() == Decimal("150.00")


# C336 is owed when the statement is not paid "in full, by the date specified" (CBSA AMPS C336,
# cbsa-asfc.gc.ca/trade-commerce/amps/contraventions-infractions/c336-eng.html, Guidelines 1.1): the
# duties are paid "by the 10th weekday after the end of that period" (SOR/86-1062 s.10.1), so a
# payment made on the due date is on time and one made the day after is late.


def test_c336_is_owed_on_a_statement_paid_the_day_after_its_due_date_not_on_one_paid_on_it(rm0001, maple):
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        statement = _unpaid_statement(account)
    due = statement.due_date
    post(rm0001, EntryType.PAYMENT, "-1000.00", day=due, reference="ON-THE-DUE-DATE")
    post(rm0002, EntryType.PAYMENT, "-1000.00", day=due + dt.timedelta(days=1), reference="THE-DAY-AFTER")
    assert interest.late_payment_penalties(due + dt.timedelta(days=1)) == 1
    penalty = LedgerEntry.objects.get(entry_type=EntryType.PENALTY)
    assert penalty.program_account == rm0002
    assert penalty.explanation["overdue"] == "1000.00"  # what was unpaid at the end of the due date


def test_c336_stays_when_a_payment_made_the_day_after_the_due_date_is_credited_late(rm0001):
    rate("7")
    statement = _unpaid_statement(rm0001)
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    post(rm0001, EntryType.PAYMENT, "-1000.00", day=statement.due_date + dt.timedelta(days=1), reference="LATE")
    [penalty] = LedgerEntry.objects.filter(program_account=rm0001, entry_type=EntryType.PENALTY)
    assert not penalty.reversals.exists()
    fix = LedgerEntry.objects.get(program_account=rm0001, source_key__startswith="INTFIX:")
    assert min(fix.explanation["days"]) == "2025-05-03"  # the payment day keeps the interest of its start


def test_c336_stays_when_a_recalculation_from_before_the_due_date_meets_a_payment_made_the_day_after(rm0001):
    # Paid in full on 2 May, the day after the due date: charged. A small payment dated 30 April then
    # credited late recalculates from 30 April: the statement was still unpaid at the end of 1 May.
    rate("7")
    statement = _unpaid_statement(rm0001)
    post(rm0001, EntryType.PAYMENT, "-1000.00", day=statement.due_date + dt.timedelta(days=1), reference="LATE")
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    assert _charged(rm0001, EntryType.PENALTY) == interest.late_payment_amount()
    post(rm0001, EntryType.PAYMENT, "-10.00", day=dt.date(2025, 4, 30), reference="EARLY-PART")
    [penalty] = LedgerEntry.objects.filter(program_account=rm0001, entry_type=EntryType.PENALTY)
    assert not penalty.reversals.exists()
    assert LedgerEntry.objects.filter(program_account=rm0001, source_key__startswith="INTFIX:").exists()  # it ran


# A recalculation starts from the payment that triggered it, but every payment on the account counts
# on its days as it truly was: one dishonoured earlier is no payment (Customs Act s.33.4(1): interest
# until "the amount has been paid in full"; D11-6-5 para. 2, "until it is paid"), and one credited
# late into a closed period counts from the day it was paid.


def _compounded_daily(flows, first, last, annual="13"):
    """The interest, unrounded, of a balance compounding daily at `annual` % a year over each day
    from `first` to `last`, each of `flows` (day → amount) counted from its day on. The nightly cents
    stay within a cent of it: each day is rounded and its fraction carried to the next."""
    daily, balance, total, day = Decimal(annual) / 100 / 365, Decimal(0), Decimal(0), first
    while day <= last:
        balance += flows.get(day, 0)
        total, balance = total + balance * daily, balance * (1 + daily)
        day += dt.timedelta(days=1)
    return total


def test_interest_runs_until_paid_in_full_when_two_payments_of_a_statement_are_dishonoured(rm0001, maple):
    # 1,000 due 1 May at 13 % (7 + 6). Paid on 1 May, returned NSF on 6 May; paid again, dated 1 May
    # but credited on 9 May, returned NSF on 11 May: nothing was ever paid, so RM0001 owes what
    # RM0002, which never paid, owes: 1,000 from 2 May and the C336 of 200 (charged 2 May) from 3 May,
    # through 10 May, the last night run; and the C336 once, charged again after the second return.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        statement = _unpaid_statement(account)
    due = statement.due_date
    first = post(rm0001, EntryType.PAYMENT, "-1000.00", day=due, reference="PAD-1")
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    returned = dt.date(2025, 5, 6)
    post(rm0001, EntryType.REVERSAL, "1000.00", day=returned, due_date=returned, reverses=first)
    _nights(dt.date(2025, 5, 6), dt.date(2025, 5, 8))
    second = post(rm0001, EntryType.PAYMENT, "-1000.00", day=due, reference="PAD-2")
    assert _interest(rm0001) == 0  # paid on time after all, for now
    _nights(dt.date(2025, 5, 9), dt.date(2025, 5, 10))
    returned = dt.date(2025, 5, 11)
    post(rm0001, EntryType.REVERSAL, "1000.00", day=returned, due_date=returned, reverses=second)
    flows = {dt.date(2025, 5, 2): Decimal("1000"), dt.date(2025, 5, 3): interest.late_payment_amount()}
    owed = _compounded_daily(flows, dt.date(2025, 5, 2), dt.date(2025, 5, 10))
    assert abs(_interest(rm0002) - owed) < Decimal("0.01")
    assert _interest(rm0001) == _interest(rm0002)
    penalties = LedgerEntry.objects.filter(program_account=rm0001).filter(
        Q(entry_type=EntryType.PENALTY) | Q(reverses__entry_type=EntryType.PENALTY)
    )
    assert sum(p.amount for p in penalties) == interest.late_payment_amount()


def test_a_payment_credited_late_into_a_closed_period_still_counts_from_its_day_when_another_follows(rm0001, maple):
    # RM0002 paid 500 on 5 April and 500 on 10 April, credited on time. RM0001 made the same payments,
    # both credited after April's period closed (entries dated 18 April), the one of 10 April first:
    # the second recalculation, from 5 April, must still count the first from 10 April.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for day in (dt.date(2025, 4, 5), dt.date(2025, 4, 10)):
        post(rm0002, EntryType.PAYMENT, "-500.00", day=day, reference=f"ON-TIME-{day.day}")
    _overdue_since_april([rm0001, rm0002])
    post(rm0001, EntryType.PAYMENT, "-500.00", day=dt.date(2025, 4, 10), reference="LATE-10")
    post(rm0001, EntryType.PAYMENT, "-500.00", day=dt.date(2025, 4, 5), reference="LATE-5")
    # 1,000 due 31 March, its C336 (200, charged 1 April), each payment counted from the day after it.
    flows = {dt.date(2025, 4, 1): Decimal("1000"), dt.date(2025, 4, 2): interest.late_payment_amount()}
    flows |= {dt.date(2025, 4, 6): Decimal("-500"), dt.date(2025, 4, 11): Decimal("-500")}
    owed = _compounded_daily(flows, dt.date(2025, 4, 1), dt.date(2025, 4, 20))
    assert abs(_interest(rm0002) - owed) < Decimal("0.01")
    assert _interest(rm0001) == _interest(rm0002)


def test_a_c336_charged_after_a_dishonour_keeps_drawing_interest_from_the_day_after_the_due_date(rm0001, maple):
    # RM0001 paid 1,000 on its due date (1 May), returned NSF on 6 May: C336 charged then, owed since
    # 2 May. A payment of 10 made on 30 April, credited on 9 May, recalculates from 30 April: the C336
    # still draws interest from 3 May, as RM0002's, which paid only the 10 on 30 April, on time.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        statement = _unpaid_statement(account)
    post(rm0002, EntryType.PAYMENT, "-10.00", day=dt.date(2025, 4, 30), reference="ON-TIME")
    payment = post(rm0001, EntryType.PAYMENT, "-1000.00", day=statement.due_date, reference="PAD")
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    returned = dt.date(2025, 5, 6)
    post(rm0001, EntryType.REVERSAL, "1000.00", day=returned, due_date=returned, reverses=payment)
    _nights(dt.date(2025, 5, 6), dt.date(2025, 5, 8))
    post(rm0001, EntryType.PAYMENT, "-10.00", day=dt.date(2025, 4, 30), reference="CREDITED-LATE")
    flows = {dt.date(2025, 5, 2): Decimal("990"), dt.date(2025, 5, 3): interest.late_payment_amount()}
    owed = _compounded_daily(flows, dt.date(2025, 5, 2), dt.date(2025, 5, 8))
    assert abs(_interest(rm0002) - owed) < Decimal("0.01")
    assert _interest(rm0001) == _interest(rm0002)


def test_a_dishonoured_payment_that_cleared_a_debit_not_yet_due_leaves_the_interest_of_no_payment(rm0001, maple):
    # 1,000 overdue from 1 February and 300 due 10 February, for both accounts. RM0001 paid the 300 on
    # 3 February, applied to it (offsetting.allocate_credit), returned NSF on 13 February: as RM0002,
    # which never paid, it owes interest on 1,000 from 1 February and on the 300 from 11 February,
    # the days up to 10 February included (balances.overdue's `cleared` counts the payment for the 300).
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    due = dt.date(2025, 1, 31)
    for account in (rm0001, rm0002):
        post(account, amount="1000.00", day=dt.date(2025, 1, 10), due_date=due)
        post(account, amount="300.00", day=dt.date(2025, 2, 1), due_date=dt.date(2025, 2, 10))
    payment = post(rm0001, EntryType.PAYMENT, "-300.00", day=dt.date(2025, 2, 3), reference="PAD-300")
    later = LedgerEntry.objects.filter(program_account=rm0001, amount=Decimal("300.00"))
    offsetting.allocate_credit(payment, dt.date(2025, 2, 3), debits=later)
    _nights(dt.date(2025, 2, 1), dt.date(2025, 2, 12))
    returned = dt.date(2025, 2, 13)
    post(rm0001, EntryType.REVERSAL, "300.00", day=returned, due_date=returned, reverses=payment)
    flows = {dt.date(2025, 2, 1): Decimal("1000"), dt.date(2025, 2, 11): Decimal("300")}
    owed = _compounded_daily(flows, dt.date(2025, 2, 1), dt.date(2025, 2, 12))
    assert abs(_interest(rm0002) - owed) < Decimal("0.01")
    assert _interest(rm0001) == _interest(rm0002)


def test_the_night_of_a_recalculation_counts_what_it_posted_from_the_days_start(rm0001, maple):
    # Paid on the due date, credited after four nights: the recalculation takes back their interest and
    # the C336 on tonight's date. Owed as if always so, tonight draws nothing on them: RM0002, paid on
    # time, is the reference, night for night.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        statement = _unpaid_statement(account)
    post(rm0002, EntryType.PAYMENT, "-1000.00", day=statement.due_date, reference="ON-TIME")
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    post(rm0001, EntryType.PAYMENT, "-1000.00", day=statement.due_date, reference="BNK-LATE")
    _nights(dt.date(2025, 5, 6), dt.date(2025, 5, 8))
    assert _interest(rm0001) == _interest(rm0002) == 0
    penalties = LedgerEntry.objects.filter(program_account=rm0001).filter(
        Q(entry_type=EntryType.PENALTY) | Q(reverses__entry_type=EntryType.PENALTY)
    )
    assert sum(p.amount for p in penalties) == 0


@pytest.mark.parametrize("paid", [dt.date(2025, 5, 1), dt.date(2025, 5, 6)])
def test_a_payment_returned_before_its_days_night_draws_that_days_interest_as_no_payment(rm0001, maple, paid):
    # Paid on the due date (1 May) and applied, or on 6 May, returned NSF on 6 May before that night's
    # run: a recalculation covers 2-5 May, and the night of 6 May counts the return from the day's start
    # but not a payment of that day, which counts only from the next (payments.services.settle_pad posts
    # the same return). RM0002, which never paid, is the reference.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        _unpaid_statement(account)  # 1,000.00 due on 1 May
    payment = post(rm0001, EntryType.PAYMENT, "-1000.00", day=paid, reference="PAD-1")
    offsetting.clear_account(rm0001, paid)
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    returned = dt.date(2025, 5, 6)
    post(rm0001, EntryType.REVERSAL, "1000.00", day=returned, due_date=returned, reverses=payment)
    _nights(returned, dt.date(2025, 5, 8))
    flows = {dt.date(2025, 5, 2): Decimal("1000"), dt.date(2025, 5, 3): interest.late_payment_amount()}
    assert abs(_interest(rm0002) - _compounded_daily(flows, dt.date(2025, 5, 2), dt.date(2025, 5, 8))) < Decimal("0.01")
    assert _interest(rm0001) == _interest(rm0002)


def test_a_debit_reversed_on_a_nights_day_counts_from_the_next_day_as_any_credit_does(rm0001, maple):
    # An overdue assessment reversed on 6 May (a CAD adjusted down): from the start of 6 May the debt was
    # still owed, so that night draws interest on it, as on RM0002's, which nobody reversed; the reversal
    # is no payment returned, C336 or recalculation that owed_at_start counts from the day's start.
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        _unpaid_statement(account)  # 1,000.00 due on 1 May
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    night = dt.date(2025, 5, 6)
    assessed = LedgerEntry.objects.get(program_account=rm0001, entry_type=EntryType.ASSESSMENT)
    posting.reverse_entry(assessed, effective_date=night)
    owed = interest.owed_at_start([rm0001.pk, rm0002.pk], night)
    assert owed[rm0001.pk] == owed[rm0002.pk] > Decimal("1000.00")
