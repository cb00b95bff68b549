"""The interest rule at its source: the specified rate (prescribed + 6 points) from the day after an
amount was payable (Customs Act s.33.4(1); D11-6-5 para. 2), the prescribed rate for a voluntary
adjustment (D11-6-5 App. B item 1), the quarterly rates as CBSA published them; the nightly runs
catching up missed days; payments dated when paid, and dishonoured payments being no payment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db.models import Q

from ledger import interest, offsetting, statements
from ledger.interest import RateKind, interest_owed
from ledger.models import EntryType, InterestRate, LedgerAccount, LedgerEntry, LedgerRun, Statement

from .factories import post, rate

DUE = dt.date(2025, 1, 31)


def test_the_published_quarters_are_loaded_as_published_with_their_source(db):
    q3 = InterestRate.objects.get(effective_from=dt.date(2021, 7, 1))
    assert (q3.effective_to, q3.prescribed_rate) == (dt.date(2021, 9, 30), Decimal("0.1001"))
    assert "will be 0.1001" in q3.source
    assert InterestRate.objects.get(effective_from=dt.date(2018, 7, 1)).prescribed_rate == Decimal("1.1583")


def test_the_specified_rate_starts_the_day_after_the_amount_was_payable(db):
    # Due 15 July 2021: nothing that day; 16 July at 0.1001 % + 6 = 6.1001 %:
    # 100,000 × 6.1001 % / 365 = 16.7126… → $16.71
    assert interest_owed(Decimal("100000.00"), dt.date(2021, 7, 15), dt.date(2021, 7, 15)) == Decimal("0.00")
    assert interest_owed(Decimal("100000.00"), dt.date(2021, 7, 15), dt.date(2021, 7, 16)) == Decimal("16.71")


def test_interest_runs_through_the_day_the_amount_is_paid_in_full(rm0001):
    # Customs Act s.33.4(1)(a): interest "for the period beginning on the day after the prescribed day
    # and ending on the day on which the amount has been paid in full"; Interpretation Act s.27(3): a
    # time expressed to end on a day includes that day. Paid in full the day after the due date: one
    # day, on what was owed at its start. 36,500 at 13 % (7 + 6) / 365 = $13.00 a day.
    rate("7")
    post(rm0001, amount="36500.00", day=dt.date(2025, 1, 10), due_date=DUE)
    post(rm0001, EntryType.PAYMENT, "-36500.00", day=DUE + dt.timedelta(days=1), reference="THE-DAY-AFTER")
    assert interest.nightly_run(DUE + dt.timedelta(days=1)) == 1
    assert interest.nightly_run(DUE + dt.timedelta(days=2)) == 0  # paid: the period has ended
    assert LedgerEntry.objects.get(entry_type=EntryType.INTEREST).amount == Decimal("13.00")
    assert interest_owed(Decimal("36500.00"), DUE, DUE + dt.timedelta(days=1)) == Decimal("13.00")


def test_a_quarter_boundary_changes_the_rate_on_the_quarters_first_day(db):
    # 29–30 Sep 2021 at 6.1001 %, 1–3 Oct 2021 at 6.1696 % (0.1696 % + 6), compounded daily:
    # 10,000 × ((1 + 0.061001/365)² (1 + 0.061696/365)³ − 1) = 8.4163… → $8.42 (1.67+1.67+1.69+1.69+1.70)
    assert interest_owed(Decimal("10000.00"), dt.date(2021, 9, 28), dt.date(2021, 10, 3)) == Decimal("8.42")


def test_a_voluntary_adjustment_draws_the_prescribed_rate(db):
    # D11-6-5 App. B item 1: 100,000 × 0.1001 % / 365 = 0.2742… → $0.27 a day
    owed = interest_owed(Decimal("100000.00"), dt.date(2021, 7, 15), dt.date(2021, 7, 16), RateKind.PRESCRIBED)
    assert owed == Decimal("0.27")


def test_a_day_without_a_published_rate_stops_the_calculation(db):
    with pytest.raises(ImproperlyConfigured):  # 2018 Q3 ends on 30 September; Q4 was not found
        interest_owed(Decimal("1000.00"), dt.date(2018, 9, 30), dt.date(2018, 10, 1))


def test_add_interest_rate_adds_a_quarter_once_with_at_most_four_decimals(db):
    call_command("add_interest_rate", "2022", "1", "0.1234", source="CBSA message (test)")
    added = InterestRate.objects.get(effective_from=dt.date(2022, 1, 1))
    assert (added.effective_to, added.prescribed_rate) == (dt.date(2022, 3, 31), Decimal("0.1234"))
    with pytest.raises(CommandError):
        call_command("add_interest_rate", "2022", "1", "0.2000", source="again")
    with pytest.raises(CommandError):
        call_command("add_interest_rate", "2022", "2", "0.12345", source="five decimals")
    assert not InterestRate.objects.filter(effective_from=dt.date(2022, 4, 1)).exists()


def test_the_prescribed_rate_is_the_mean_of_the_3_month_bill_auctions_of_the_preceding_quarter_s_first_month(db):
    # SOR/86-1121: Q1 2023 from the auctions of October 2022; the mean (3.4749 / 3) to CBSA's 4 decimals.
    assert interest.auction_month(dt.date(2023, 1, 1)) == dt.date(2022, 10, 1)
    assert interest.auction_month(dt.date(2018, 7, 1)) == dt.date(2018, 4, 1)
    yields = ["1.1012", "1.1790", "1.1947"]
    assert interest.rate_from_auctions([Decimal(y) for y in yields]) == Decimal("1.1583")
    assert interest.rate_from_auctions([Decimal("1.0001"), Decimal("1.0000")]) == Decimal("1.0001")  # 1.00005, half up
    assert interest.rate_from_auctions([Decimal("0"), Decimal("0.5")]) == Decimal(
        "0.2500"
    )  # a yield of 0 is not negative
    call_command(
        "add_interest_rate", "2023", "1", auction_yields=yields, source="Bank of Canada auction results (test)"
    )
    added = InterestRate.objects.get(effective_from=dt.date(2023, 1, 1))
    assert (added.effective_to, added.prescribed_rate) == (dt.date(2023, 3, 31), Decimal("1.1583"))
    assert "mean of the auctions of 2022-10 (1.1012, 1.1790, 1.1947)" in added.source


@pytest.mark.parametrize(
    "args, options",
    [
        (["2023", "2"], {}),  # neither a rate nor yields
        (["2023", "2", "1.0000"], {"auction_yields": ["1.0"]}),  # both
        (["2023", "2"], {"auction_yields": ["-0.5", "1.0"]}),  # a negative yield
        (["2023", "2"], {"auction_yields": ["one"]}),
    ],
)
def test_add_interest_rate_from_auctions_refuses_what_the_formula_cannot_use(db, args, options):
    with pytest.raises(CommandError):
        call_command("add_interest_rate", *args, source="test", **options)
    assert not InterestRate.objects.filter(effective_from=dt.date(2023, 4, 1)).exists()


def test_a_missed_night_is_caught_up_and_running_again_posts_nothing_twice(rm0001):
    rate("7")
    post(rm0001, amount="36500.00", day=dt.date(2025, 1, 10), due_date=DUE)
    LedgerRun.objects.create(job=LedgerRun.Job.INTEREST, day=DUE)  # the last night that ran
    assert interest.catch_up(DUE + dt.timedelta(days=3)) == 3  # 1, 2 and 3 February
    assert interest.catch_up(DUE + dt.timedelta(days=3)) == 0
    days = LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).values_list("effective_date", flat=True)
    assert sorted(days) == [dt.date(2025, 2, 1), dt.date(2025, 2, 2), dt.date(2025, 2, 3)]


def test_missed_statement_closes_are_caught_up_in_period_order(rm0001):
    post(rm0001, amount="100.00", day=dt.date(2025, 2, 20))
    post(rm0001, amount="200.00", day=dt.date(2025, 3, 20))
    LedgerRun.objects.create(job=LedgerRun.Job.STATEMENTS, day=dt.date(2025, 2, 17))
    assert statements.catch_up(dt.date(2025, 4, 26)) == 2  # March's and April's closes were missed
    assert statements.catch_up(dt.date(2025, 4, 26)) == 0
    closed = Statement.objects.filter(program_account=rm0001).order_by("period_end")
    assert [(s.period_end, s.closing_balance) for s in closed] == [
        (dt.date(2025, 3, 17), Decimal("100.00")),
        (dt.date(2025, 4, 17), Decimal("300.00")),
    ]


def _unpaid_statement(account):
    post(account, amount="1000.00", day=dt.date(2025, 3, 20))
    [statement] = statements.close_period(dt.date(2025, 4, 17), accounts=[account])
    assert statement.due_date == dt.date(2025, 5, 1)
    return statement


def _nights(first, last):
    day = first
    while day <= last:
        interest.nightly_run(day)
        day += dt.timedelta(days=1)


def _charged(account, kind):
    return sum(e.amount for e in LedgerEntry.objects.filter(program_account=account, entry_type=kind))


def _interest(account):
    """Interest charged, recalculations included (one that adds is itself an interest entry: counted once)."""
    entries = LedgerEntry.objects.filter(program_account=account)
    return sum(e.amount for e in entries.filter(Q(entry_type=EntryType.INTEREST) | Q(source_key__startswith="INTFIX:")))


def test_a_payment_credited_late_with_its_earlier_payment_date_undoes_the_interest_and_c336(rm0001):
    rate("7")
    _unpaid_statement(rm0001)
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))  # the bank's file is late: the run charged
    assert _charged(rm0001, EntryType.PENALTY) == Decimal("200.00")
    assert _charged(rm0001, EntryType.INTEREST) > 0
    # Paid on the due date, 1 May 2025, credited on 6 May.
    post(rm0001, EntryType.PAYMENT, "-1000.00", day=dt.date(2025, 5, 1), reference="BNK-20250501-0001")
    interest_left = _charged(rm0001, EntryType.INTEREST) + sum(
        e.amount for e in LedgerEntry.objects.filter(source_key__startswith="INTFIX:")
    )
    assert interest_left == Decimal("0.00")
    fix = LedgerEntry.objects.get(source_key__startswith="INTFIX:")
    assert fix.description == "Interest recalculated: payment dated when paid"
    assert sorted(fix.explanation["days"]) == ["2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05"]  # the changed
    penalty = LedgerEntry.objects.get(entry_type=EntryType.PENALTY)
    assert penalty.reversals.get().amount == Decimal("-200.00")  # a new entry, the penalty unchanged
    assert rm0001.ledger.__class__.objects.get(pk=rm0001.ledger.pk).balance == Decimal("0.00")
    call_command("check_ledger")


def test_a_dishonoured_payment_is_no_payment(rm0001, maple):
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        _unpaid_statement(account)
    payment = post(rm0001, EntryType.PAYMENT, "-1000.00", day=dt.date(2025, 5, 1), reference="PAD-1")
    offsetting.clear_account(rm0001, dt.date(2025, 5, 1))
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))  # RM0001 paid: nothing charged; RM0002 did not
    assert _charged(rm0001, EntryType.INTEREST) == 0 and _charged(rm0001, EntryType.PENALTY) == 0
    post(  # the bank returns it NSF on 6 May (payments.services.settle_pad posts the same)
        rm0001, EntryType.REVERSAL, "1000.00", day=dt.date(2025, 5, 6), due_date=dt.date(2025, 5, 6), reverses=payment
    )
    # As if never made: the same interest and C336 as the account that never paid.
    assert _charged(rm0001, EntryType.PENALTY) == _charged(rm0002, EntryType.PENALTY) == Decimal("200.00")
    assert _charged(rm0001, EntryType.INTEREST) == _charged(rm0002, EntryType.INTEREST) > 0
    fix = LedgerEntry.objects.get(program_account=rm0001, source_key__startswith="INTFIX:")
    assert fix.explanation["from"] == "2025-05-01" and fix.explanation["to"] == "2025-05-05"
    assert fix.description == "Interest recalculated: payment dishonoured"
    # Charged once, under the statement's own key (C336:<period end>), as the nightly run would have.
    penalty = LedgerEntry.objects.get(program_account=rm0001, entry_type=EntryType.PENALTY)
    assert (
        penalty.source_key == LedgerEntry.objects.get(program_account=rm0002, entry_type=EntryType.PENALTY).source_key
    )


def test_a_remittance_dated_on_the_due_date_but_imported_late_undoes_the_interest_and_c336(rm0001):
    from payments.remittance import import_remittance

    rate("7")
    _unpaid_statement(rm0001)
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 4))
    content = b"bn15,amount,payment_date,reference,method\n123456782RM0001,1000.00,2025-05-01,BNK-20250501-0001,bank\n"
    assert import_remittance(content, "bank.csv").posted == 1
    assert _charged(rm0001, EntryType.INTEREST) + sum(
        e.amount for e in LedgerEntry.objects.filter(source_key__startswith="INTFIX:")
    ) == Decimal("0.00")
    assert LedgerEntry.objects.get(entry_type=EntryType.PENALTY).reversals.exists()


def test_a_days_interest_of_half_a_cent_is_rounded_up_and_the_rest_carried_to_the_next_day():
    # 36.50 × 5 % / 365 = 0.005 exactly: half up posts one cent and carries −0.005 (half-even would post none).
    assert interest.one_day(Decimal("36.50"), Decimal("5"), Decimal(0)) == (
        Decimal("0.01"),
        Decimal("-0.005"),
        Decimal("0.005"),
    )


def test_the_carried_fraction_joins_the_next_days_interest_and_is_kept_to_eight_decimals():
    # 100,000 × 6.1001 % / 365 = 16.71260273972… : $16.71 posted, 0.00260274 carried (the published
    # example above); the carry in is added before rounding.
    posted, carry, _exact = interest.one_day(Decimal("100000.00"), Decimal("6.1001"), Decimal(0))
    assert (posted, carry) == (Decimal("16.71"), Decimal("0.00260274"))
    posted, carry, exact = interest.one_day(Decimal("100000.00"), Decimal("6.1001"), Decimal("0.003"))
    assert (posted, carry) == (Decimal("16.72"), Decimal("-0.00439726"))


@pytest.mark.parametrize(
    ("first_day", "last_day"),
    [
        (dt.date(2022, 1, 1), dt.date(2022, 3, 31)),
        (dt.date(2022, 4, 1), dt.date(2022, 6, 30)),
        (dt.date(2022, 10, 1), dt.date(2022, 12, 31)),
    ],
)
def test_a_quarters_rate_runs_from_its_first_day_to_the_last_day_of_its_third_month(db, first_day, last_day):
    row = interest.add_quarter(first_day, Decimal("1.5"), "CBSA message (test)")
    assert (row.effective_from, row.effective_to) == (first_day, last_day)


@pytest.mark.parametrize("rate", ["0", "99.9999", "1.1583"])
def test_a_published_rate_from_0_to_under_100_with_four_decimals_is_accepted(db, rate):
    assert interest.add_quarter(dt.date(2023, 1, 1), Decimal(rate), "  CBSA message  ").prescribed_rate == Decimal(rate)


@pytest.mark.parametrize(("rate", "source"), [("100", "CBSA"), ("-0.0001", "CBSA"), ("1.00001", "CBSA"), ("1", "  ")])
def test_a_rate_of_100_or_more_below_0_with_five_decimals_or_without_a_source_is_refused(db, rate, source):
    with pytest.raises(ValueError):
        interest.add_quarter(dt.date(2023, 1, 1), Decimal(rate), source)
    assert not InterestRate.objects.filter(effective_from=dt.date(2023, 1, 1)).exists()


def test_a_day_after_the_last_published_quarter_has_no_rate_and_its_last_day_has_one(db):
    last = InterestRate.objects.order_by("-effective_to").first()
    rates = interest.Rates()
    assert rates.annual(last.effective_to, RateKind.PRESCRIBED) == last.prescribed_rate
    assert rates.annual(last.effective_to) == last.prescribed_rate + 6
    with pytest.raises(ImproperlyConfigured):
        rates.annual(last.effective_to + dt.timedelta(days=1))
    first = InterestRate.objects.order_by("effective_from").first()
    with pytest.raises(ImproperlyConfigured):
        rates.annual(first.effective_from - dt.timedelta(days=1))


def test_a_payment_dated_after_the_last_night_run_recalculates_nothing_already_run(rm0001):
    rate("7")
    _unpaid_statement(rm0001)
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 3))
    carry = LedgerAccount.objects.get(program_account=rm0001).interest_carry
    assert carry != 0  # 1,000 × 13 % / 365 a day leaves a fraction of a cent
    post(rm0001, EntryType.PAYMENT, "-1000.00", day=dt.date(2025, 5, 4), reference="BNK-20250504-0001")
    assert not LedgerEntry.objects.filter(source_key__startswith="INTFIX:").exists()
    assert LedgerAccount.objects.get(program_account=rm0001).interest_carry == carry


def test_a_recalculation_counts_a_credit_from_its_own_date_and_a_debit_from_the_day_after_it_is_due():
    # As balances.overdue counts them: D11-6-5 para. 2, interest from the day after the amount was payable.
    from types import SimpleNamespace

    credit = SimpleNamespace(
        amount=Decimal("-100.00"), effective_date=dt.date(2025, 5, 1), due_date=dt.date(2025, 5, 9)
    )
    debit = SimpleNamespace(amount=Decimal("100.00"), effective_date=dt.date(2025, 4, 1), due_date=dt.date(2025, 5, 1))
    may = dt.date(2025, 5, 1)
    assert interest._counted(credit, may, may) and not interest._counted(
        credit, dt.date(2025, 4, 30), dt.date(2025, 4, 30)
    )
    assert interest._counted(debit, dt.date(2025, 5, 2), dt.date(2025, 5, 2)) and not interest._counted(debit, may, may)
    # C336's view of 2 May counts the payments up to the due date, 1 May: the debit due then, not a credit of 2 May.
    late = SimpleNamespace(amount=Decimal("-100.00"), effective_date=dt.date(2025, 5, 2), due_date=dt.date(2025, 5, 9))
    assert interest._counted(debit, dt.date(2025, 5, 2), may) and not interest._counted(late, dt.date(2025, 5, 2), may)


def test_a_quarter_added_is_recorded_in_the_audit_trail_with_its_first_day_and_rate(db):
    from audit.models import AuditEntry

    row = interest.add_quarter(dt.date(2023, 1, 1), Decimal("1.1583"), "CBSA message (test)")
    [added] = AuditEntry.objects.filter(action="ledger.interest_rate_added")
    assert added.after == {"from": "2023-01-01", "rate": "1.1583"}
    assert added.object_id == str(row.pk)


def test_a_night_with_nothing_overdue_needs_no_published_rate(rm0001):
    # Interest is charged on overdue amounts only (s.33.4(1)): a day CBSA has published no rate for
    # stops the run only when there is something to charge interest on.
    post(rm0001, amount="100.00", day=dt.date(2099, 1, 1), due_date=dt.date(2099, 2, 1))
    assert interest.nightly_run(dt.date(2099, 1, 2)) == 0
    assert LedgerRun.objects.filter(job=LedgerRun.Job.INTEREST, day=dt.date(2099, 1, 2)).exists()


def test_a_part_payment_credited_late_with_its_earlier_date_counts_as_if_made_that_day(rm0001, maple):
    # D11-6-5 para. 2: interest runs on what is unpaid. 500 of 1,000 paid on the due date but credited
    # after the nights ran leaves the account as one that owed 500 all along: the same interest, the
    # same fraction carried, and its one C336 (charged once, not again).
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    _unpaid_statement(rm0001)
    post(rm0002, amount="500.00", day=dt.date(2025, 3, 20))
    statements.close_period(dt.date(2025, 4, 17), accounts=[rm0002])
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    post(rm0001, EntryType.PAYMENT, "-500.00", day=dt.date(2025, 5, 1), reference="BNK-20250501-0002")
    assert _interest(rm0001) == _interest(rm0002) > 0
    carry = {account: LedgerAccount.objects.get(program_account=account).interest_carry for account in (rm0001, rm0002)}
    assert carry[rm0001] == carry[rm0002] != 0
    [penalty] = LedgerEntry.objects.filter(program_account=rm0001, entry_type=EntryType.PENALTY)
    assert penalty.amount == Decimal("200.00") and not penalty.reversals.exists()


def test_payments_credited_late_one_after_the_other_leave_the_interest_of_payments_credited_on_time(rm0001, maple):
    # D11-6-5 para. 2: interest until the amount is paid, compounded daily. $1,000,000 makes a day's
    # interest on a day's interest show in the cents. RM0002 pays on time; RM0001 pays the same on the
    # same days, each payment credited after the nights ran (the second recalculation replaces the
    # first's days from its own date and counts the first's earlier days as owed all along).
    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        post(account, amount="1000000.00", day=dt.date(2025, 3, 20))
    statements.close_period(dt.date(2025, 4, 17), accounts=[rm0001, rm0002])
    payments = [(dt.date(2025, 5, 1), "-400000.00"), (dt.date(2025, 5, 4), "-300000.00")]
    for day, amount in payments:
        post(rm0002, EntryType.PAYMENT, amount, day=day, reference=f"ON-TIME-{day}")
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    post(rm0001, EntryType.PAYMENT, payments[0][1], day=payments[0][0], reference="LATE-1")
    _nights(dt.date(2025, 5, 6), dt.date(2025, 5, 8))
    post(rm0001, EntryType.PAYMENT, payments[1][1], day=payments[1][0], reference="LATE-2")
    # Within the cent: the second recalculation starts from the fraction the nightly run carried into
    # its first day (the first recalculation's carries are not kept day by day). Before the fix it
    # missed the first's days before its window: $0.20 more.
    assert abs(_interest(rm0001) - _interest(rm0002)) <= Decimal("0.01")
    assert _interest(rm0002) > Decimal("900")


def test_a_day_after_a_due_date_with_nothing_unpaid_charges_no_c336(rm0001):
    post(rm0001, amount="1000.00", day=dt.date(2025, 3, 20))
    statements.close_period(dt.date(2025, 4, 17), accounts=[rm0001])  # due 1 May
    post(rm0001, EntryType.PAYMENT, "-1000.00", day=dt.date(2025, 4, 30), reference="BNK-20250430-0001")
    assert interest.late_payment_penalties(dt.date(2025, 5, 2)) == 0
    assert not LedgerEntry.objects.filter(entry_type=EntryType.PENALTY).exists()


def test_a_quarter_s_source_is_kept_to_the_300_characters_its_field_holds(db):
    row = interest.add_quarter(dt.date(2023, 1, 1), Decimal("1.1583"), " " + "x" * 400)
    assert row.source == "x" * 300


def test_a_dishonoured_payment_the_account_did_not_need_leaves_it_paid_on_time_without_c336(rm0001):
    # Customs Act s.33.4(1): nothing unpaid, nothing charged; 1,000 paid on the due date, 50 more besides.
    rate("7")
    _unpaid_statement(rm0001)
    post(rm0001, EntryType.PAYMENT, "-1000.00", day=dt.date(2025, 5, 1), reference="PAD-1")
    extra = post(rm0001, EntryType.PAYMENT, "-50.00", day=dt.date(2025, 5, 1), reference="PAD-2")
    _nights(dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    post(rm0001, EntryType.REVERSAL, "50.00", day=dt.date(2025, 5, 6), due_date=dt.date(2025, 5, 6), reverses=extra)
    assert _charged(rm0001, EntryType.PENALTY) == _charged(rm0001, EntryType.INTEREST) == 0
