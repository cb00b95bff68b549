"""Statements of account: they reconcile, are immutable, and closing twice is a no-op."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from ledger import statements
from ledger.models import AppendOnlyError, DailyNotice, EntryType, LedgerAccount, LedgerEntry, Statement

from .factories import post

END = dt.date(2025, 4, 17)


def test_a_statement_reconciles_to_the_cent(rm0001):
    post(rm0001, amount="300.10", day=dt.date(2025, 3, 1))
    post(rm0001, amount="1234.56", day=dt.date(2025, 3, 20))
    post(rm0001, "payment", "-500.01", day=dt.date(2025, 4, 2))
    post(rm0001, amount="10.00", day=dt.date(2025, 4, 20))  # next period
    [statement] = statements.close_period(END)
    lines = list(statements.statement_entries(statement))
    assert statement.opening_balance == Decimal("300.10")
    assert statement.opening_balance + sum(e.amount for e in lines) == statement.closing_balance == Decimal("1034.65")
    assert statement.due_date == dt.date(2025, 5, 1) and statement.statement_date == dt.date(2025, 4, 25)
    assert statement.checksum == statements.checksum(statement.content)
    with pytest.raises(AppendOnlyError):
        statement.save()


def test_closing_a_period_twice_is_a_no_op_and_reissue_makes_a_new_version(rm0001):
    post(rm0001, day=dt.date(2025, 3, 20))
    call_command("close_billing_period", "--period-end", "2025-04-17")
    call_command("close_billing_period", "--period-end", "2025-04-17")
    assert Statement.objects.count() == 1
    [again] = statements.close_period(END, reissue=True)
    assert again.version == 2


def test_an_entry_dated_in_a_closed_period_shows_on_the_coming_statement(rm0001):
    post(rm0001, day=dt.date(2025, 3, 20))
    [first] = statements.close_period(END)
    late = post(rm0001, amount="5.00", day=dt.date(2025, 4, 1))
    assert late.effective_date == dt.date(2025, 4, 18) and late.explanation["document_date"] == "2025-04-01"
    assert list(statements.statement_entries(first)) != [] and late not in statements.statement_entries(first)
    [second] = statements.close_period(dt.date(2025, 5, 17))
    assert second.opening_balance == first.closing_balance and second.closing_balance == Decimal("105.00")


def test_a_statement_renders_as_csv_and_pdf(rm0001):
    post(rm0001, day=dt.date(2025, 3, 20), transaction_number="12345678901234")
    [statement] = statements.close_period(END)
    assert "12345678901234" in statements.statement_csv(statement)
    assert statements.statement_pdf(statement).startswith(b"%PDF")


def test_a_daily_notice_is_made_only_when_there_was_activity(rm0001):
    from django.utils import timezone

    today = timezone.localdate()
    assert statements.daily_notices(today) == 0
    post(rm0001, day=today)
    assert statements.daily_notices(today) == 1 and statements.daily_notices(today) == 0
    assert DailyNotice.objects.get().entry_count == 1


def test_check_ledger_agrees_with_the_entries(rm0001, capsys):
    post(rm0001)
    call_command("check_ledger")
    assert "1 accounts balance" in capsys.readouterr().out
    assert LedgerEntry.objects.count() == 1


def _reference(account, start, end) -> dict:
    """A statement's figures summed straight from the entries (and balances.overdue), independently
    of the close's one aggregate."""
    from ledger import balances

    entries = LedgerEntry.objects.filter(program_account=account)
    period = entries.filter(effective_date__range=(start, end))

    def total(rows):
        return balances.cents(rows.aggregate(t=Sum("amount"))["t"])

    closing = total(entries.filter(effective_date__lte=end))
    return {
        "opening_balance": str(total(entries.filter(effective_date__lt=start))),
        "closing_balance": str(closing),
        "amount_due": str(max(closing, Decimal("0.00"))),
        "entries": period.count(),
        "credits_applied": str(total(period.filter(amount__lt=0))),
        "overdue": str(balances.overdue([account], end + dt.timedelta(days=1))[account]),
        "totals": {kind: str(total(period.filter(entry_type=kind))) for kind in EntryType.values},
    }


def _agrees_with_the_entries(issued):
    for statement in issued:
        reference = _reference(statement.program_account_id, statement.period_start, statement.period_end)
        assert {key: statement.content[key] for key in reference} == reference, statement.program_account_id
        assert statement.checksum == statements.checksum(statement.content)
        assert str(statement.overdue) == statement.content["overdue"]


@pytest.mark.parametrize("history_scan_from", [0, 1000])
def test_the_close_gives_what_the_entries_give(rm0001, maple, alice, monkeypatch, history_scan_from):
    """One set-based close on every database: RM0001 opens from its previous statement, RM0002
    (not closed then) from its history, summed per account or in one scan; a credit not yet applied
    and one applied to a debit not yet due count in what is overdue; a reissue is a new version."""
    from ledger import offsetting

    monkeypatch.setattr(statements, "HISTORY_SCAN_FROM", history_scan_from)
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        post(account, amount="300.10", day=dt.date(2025, 3, 1), due_date=dt.date(2025, 3, 31))
    statements.close_period(dt.date(2025, 3, 17), accounts=[rm0001])
    for account in (rm0001, rm0002):
        post(account, amount="1234.56", day=dt.date(2025, 3, 20))
    post(rm0001, "payment", "-100.00", day=dt.date(2025, 4, 2))
    post(rm0002, "payment", "-500.01", day=dt.date(2025, 4, 2))
    offsetting.set_preference(rm0002, "oldest_first", user=alice)
    offsetting.clear_account(rm0002, dt.date(2025, 4, 2))  # 300.10 overdue, then 199.91 not yet due
    post(rm0002, "interest", "3.21", day=dt.date(2025, 4, 18), due_date=dt.date(2025, 4, 18))
    issued = {s.program_account_id: s for s in statements.close_period(END)}
    assert issued[rm0001.pk].opening_balance == issued[rm0002.pk].opening_balance == Decimal("300.10")
    assert (issued[rm0001.pk].overdue, issued[rm0002.pk].overdue) == (Decimal("200.10"), Decimal(0))
    _agrees_with_the_entries(issued.values())
    reissued = {s.program_account_id: s for s in statements.close_period(END, reissue=True)}
    for account, statement in reissued.items():
        assert statement.version == issued[account].version + 1 and statement.content == issued[account].content
    assert statements.close_period(END) == []


def test_the_close_gives_what_the_entries_give_on_the_bench_data(db):
    """bench/ledger_bench.py's data (skewed accounts, payments, a year of periods), small: every
    period closed in turn agrees with the entries."""
    from bench.ledger_bench import build

    build(40, 3000, months=4)
    period_end = dt.date(2025, 1, 17)
    while period_end <= dt.date(2025, 4, 17):
        _agrees_with_the_entries(statements.close_period(period_end))
        period_end = (period_end.replace(day=1) + dt.timedelta(days=32)).replace(day=17)
    assert Statement.objects.count() > 100


# The round trips of a close (issue #14: the close no slower than 1f25da0's): what each statement it
# sends is, savepoints left out. COPY (the statements on PostgreSQL) goes past Django's query log.
CLOSE_QUERIES = {
    'SELECT "ledger_holiday"': "holidays",
    "SELECT l.id, l.program_account_id": "lock",
    "SET LOCAL work_mem": "figures",  # PostgreSQL: with the closed_through update, one round trip
    "WITH period AS": "figures",
    "UPDATE ledger_ledgeraccount AS l": "closed through",
    'INSERT INTO "ledger_statement"': "statements",
    'INSERT INTO "audit_auditentry"': "audit",
}


def _close_queries(*accounts) -> tuple[list, list[str]]:
    """The statements of END for `accounts` (each with a statement of the period before) and what the
    close sent the database, by CLOSE_QUERIES (anything else as its SQL)."""
    for account in accounts:
        post(account, day=dt.date(2025, 3, 1))
    statements.close_period(dt.date(2025, 3, 17))
    for account in accounts:
        post(account, day=dt.date(2025, 3, 20))
    with CaptureQueriesContext(connection) as queries:
        issued = statements.close_period(END)
    sent = [" ".join(q["sql"].split()) for q in queries if "SAVEPOINT" not in q["sql"]]
    return list(issued), [next((k for start, k in CLOSE_QUERIES.items() if sql.startswith(start)), sql) for sql in sent]


def _expected(*between):
    """The close's round trips: the holidays, the lock, the figures, what `between`, the audit entry."""
    on_sqlite = connection.vendor == "sqlite"  # one statement an execute; no COPY
    return ["holidays", "lock", "figures", *(["closed through", "statements"] if on_sqlite else []), *between, "audit"]


def test_the_close_leaves_the_calendar_month_accounts_out_in_its_lock_not_with_a_query_before(rm0001, maple, olivia):
    from businesses import account_programs

    clvs = maple.program_accounts.get(number="123456782RM0002")
    account_programs.record(
        olivia, clvs, effective_from=dt.date(2025, 1, 1), accounting_program="clvs", reason="D17-4-0"
    )
    issued, sent = _close_queries(rm0001, clvs)
    assert [statement.program_account for statement in issued] == [rm0001]
    assert sent == _expected()  # no read of the accounts' programs first


def test_the_close_asks_which_accounts_have_a_previous_statement_in_its_lock(rm0001):
    [statement], sent = _close_queries(rm0001)
    assert statement.opening_balance == Decimal("100.00")  # the previous statement's closing balance
    assert sent == _expected()  # no read of the previous statements between the lock and the figures


def test_the_close_reads_back_no_statement_it_wrote(rm0001, maple):
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    issued, sent = _close_queries(rm0001, rm0002)
    # the ids the lock reserved are those of the statements written
    assert issued == list(Statement.objects.filter(period_end=END).order_by("pk")) and len(issued) == 2
    assert sent == _expected()  # nothing after the statements but the audit entry


def test_the_close_sends_work_mem_its_figures_and_the_closed_through_update_in_one_round_trip(rm0001):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's client-side binding sends several statements at once; SQLite one an execute")
    _, sent = _close_queries(rm0001)
    assert sent == _expected()  # no SET LOCAL and no UPDATE of their own
    assert LedgerAccount.objects.get(program_account=rm0001).closed_through == END


def test_a_reissue_of_an_earlier_period_leaves_the_later_period_closed(rm0001):
    """closed_through only moves forward: a reissued April must not open May again for entries."""
    post(rm0001, day=dt.date(2025, 3, 20))
    statements.close_period(END)
    statements.close_period(dt.date(2025, 5, 17))
    [reissued] = statements.close_period(END, reissue=True)
    assert reissued.version == 2
    assert LedgerAccount.objects.get(program_account=rm0001).closed_through == dt.date(2025, 5, 17)
    late = post(rm0001, amount="5.00", day=dt.date(2025, 5, 1))
    assert late.effective_date == dt.date(2025, 5, 18)  # after the May statement, not on it
