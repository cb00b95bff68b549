"""Interest compounded daily on overdue amounts, and the C336 late-payment penalty."""

import datetime as dt
import re
from decimal import Decimal

from ledger import interest, statements
from ledger.models import EntryType, LedgerEntry

from .factories import post, rate

DUE = dt.date(2025, 1, 31)


def _run(days):
    for n in range(1, days + 1):
        interest.nightly_run(DUE + dt.timedelta(days=n))


def test_interest_on_10000_overdue_30_days_at_the_specified_rate_compounded_daily(rm0001):
    rate("7")  # prescribed 7 %: specified 13 % (Customs Act s.33.4(1); D11-6-5 para. 2)
    post(rm0001, amount="10000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    _run(30)
    # By hand: 10,000 × ((1 + 0.13/365)^30 − 1) = 107.4030… → $107.40
    total = sum(e.amount for e in LedgerEntry.objects.filter(entry_type=EntryType.INTEREST))
    assert total == Decimal("107.40")
    first = LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).first()
    assert first.explanation["principal"] == "10000.00" and Decimal(first.explanation["rate"]) == 13
    assert interest.interest_owed(Decimal("10000.00"), DUE, DUE + dt.timedelta(days=30)) == total


def test_the_nightly_run_is_idempotent_per_account_per_day(rm0001):
    rate("7")
    post(rm0001, amount="10000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    _run(1)
    _run(1)
    assert LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).count() == 1


def test_the_specified_rate_applies_without_a_demand(rm0001):
    rate("7")
    post(rm0001, amount="36500.00", day=dt.date(2025, 1, 10), due_date=DUE)
    assert rm0001.ledger.demand_issued_on is None
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


def test_the_nightly_run_posts_every_account_in_bulk_and_audits_the_run_once(rm0001, maple):
    from audit.models import AuditEntry
    from ledger.posting import ledger_of

    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    post(rm0001, amount="36500.00", day=dt.date(2025, 1, 10), due_date=DUE)
    post(rm0002, amount="73000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    posted_before = AuditEntry.objects.filter(action="ledger.posted").count()
    assert interest.nightly_run(DUE + dt.timedelta(days=1)) == 2
    assert interest.nightly_run(DUE + dt.timedelta(days=1)) == 0  # idempotent per account per day
    entries = LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).order_by("amount")
    assert [e.amount for e in entries] == [Decimal("13.00"), Decimal("26.00")]  # 13 % / 365
    assert all(e.explanation["principal"] and e.explanation["rate_kind"] == "specified" for e in entries)
    assert ledger_of(rm0002).balance == Decimal("73026.00")
    [run] = AuditEntry.objects.filter(action="ledger.interest_run")
    assert run.after["entries"] == 2 and run.after["total"] == "39.00"
    assert sorted(run.after["entry_ids"]) == sorted(e.pk for e in entries)  # one audit entry, with the ids
    assert AuditEntry.objects.filter(action="ledger.posted").count() == posted_before


def test_one_account_at_a_time_and_the_bulk_run_agree_and_do_not_double_post(rm0001):
    rate("7")
    post(rm0001, amount="10000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    day = DUE + dt.timedelta(days=1)
    overdue = interest.balances.overdue([rm0001.pk], day)[rm0001.pk]
    [single] = interest.accrue_all({rm0001.pk: overdue}, day)
    assert interest.nightly_run(day) == 0
    assert single.amount == Decimal("3.56")  # 10,000 × 13 % / 365
    _run(30)
    total = sum(e.amount for e in LedgerEntry.objects.filter(entry_type=EntryType.INTEREST))
    assert total == Decimal("107.40")


def test_late_payment_penalties_post_in_bulk_once_per_unpaid_statement(rm0001, maple):
    from django.core.management import call_command

    from audit.models import AuditEntry
    from ledger.posting import ledger_of

    rate("7")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    paid = maple.program_accounts.create(number="123456782RM0003", account_type="importer")
    for account in (rm0001, rm0002, paid):
        post(account, amount="1000.00", day=dt.date(2025, 3, 20))
    post(paid, "payment", "-1000.00", day=dt.date(2025, 4, 1))
    statements.close_period(dt.date(2025, 4, 17))
    from ledger.offsetting import clear_account

    clear_account(paid, dt.date(2025, 5, 1))
    posted_one_at_a_time = post(  # e.g. by an earlier run: its source key is not posted twice
        rm0001, "penalty", "200.00", day=dt.date(2025, 5, 2), source_key="C336:2025-04-17"
    )
    day = dt.date(2025, 5, 2)  # the statements were due on 1 May
    assert interest.late_payment_penalties(day) == 1
    assert interest.late_payment_penalties(day) == 0
    penalties = LedgerEntry.objects.filter(entry_type=EntryType.PENALTY).order_by("pk")
    assert [(e.program_account, e.source_key) for e in penalties] == [
        (rm0001, "C336:2025-04-17"),
        (rm0002, "C336:2025-04-17"),
    ]
    assert penalties[0] == posted_one_at_a_time
    bulk = penalties[1]
    assert (bulk.amount, bulk.effective_date, bulk.due_date) == (Decimal("200.00"), day, day)
    assert bulk.explanation == {"contravention": "C336", "statement_due_date": "2025-05-01", "overdue": "1000.00"}
    assert ledger_of(rm0002).balance == Decimal("1200.00")
    [run] = AuditEntry.objects.filter(action="ledger.penalty_run")
    assert run.after["entries"] == 1 and run.after["accounts"] == [rm0002.pk]
    call_command("check_ledger")


def test_a_closed_account_draws_no_penalty(rm0001):
    rate("7")
    post(rm0001, amount="1000.00", day=dt.date(2025, 3, 20))
    statements.close_period(dt.date(2025, 4, 17))
    rm0001.is_active = False
    rm0001.save()
    assert interest.late_payment_penalties(dt.date(2025, 5, 2)) == 0


def test_c336_is_charged_the_day_after_the_due_date_not_on_a_later_night(rm0001):
    rate("7")
    post(rm0001, amount="1000.00", day=dt.date(2025, 3, 20))
    statements.close_period(dt.date(2025, 4, 17))  # due on 1 May, unpaid
    assert interest.late_payment_penalties(dt.date(2025, 5, 3)) == 0  # no statement fell due on 2 May
    assert not LedgerEntry.objects.filter(entry_type=EntryType.PENALTY).exists()
    assert interest.late_payment_penalties(dt.date(2025, 5, 2)) == 1


def test_a_nightly_run_over_6_accounts_asks_the_same_queries_with_as_many_parameters_as_over_3(maple):
    """Issue #14: the run is one batch whatever the number of accounts. On PostgreSQL the accounts
    go as one array parameter (core.bulk.among): IN lists of thousands of ids cost the nightly run
    more to build, parse and plan than to run."""
    from django.db import connection

    rate("7")
    accounts = [
        maple.program_accounts.create(number=f"123456782RM{n:04d}", account_type="importer") for n in range(11, 17)
    ]

    def night(day, overdue):
        for account in overdue:
            post(account, amount="1000.00", day=dt.date(2025, 1, 10), due_date=day - dt.timedelta(days=2))
        queries = []

        def capture(execute, sql, params, many, context):
            queries.append((sql, len(params or ()) if connection.vendor == "postgresql" else None))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            posted = interest.nightly_run(day)
        # The statements' shapes: savepoint names and lists of placeholders (SQLite's IN and VALUES) aside.
        shapes = [re.sub(r"\(\)(, \(\))+", "()", re.sub(r"_x\d+|%s(, %s)*", "", sql)) for sql, _count in queries]
        return posted, list(zip(shapes, [count for _sql, count in queries], strict=True))

    three = night(dt.date(2025, 2, 10), accounts[:3])
    six = night(dt.date(2025, 2, 11), accounts[3:])  # the first three are still overdue
    assert three[0] == 3 and six[0] == 6
    assert six[1] == three[1]
