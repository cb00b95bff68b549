"""Statements of account: they reconcile, are immutable, and closing twice is a no-op."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from ledger import statements
from ledger.models import AppendOnlyError, DailyNotice, LedgerEntry, Statement

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


@pytest.mark.parametrize("history_scan_from", [0, 1000])
def test_the_set_based_close_of_postgresql_issues_the_same_statements(rm0001, maple, monkeypatch, history_scan_from):
    """Large closes on PostgreSQL run as one aggregate with the content built from its text; forced
    here for two accounts, it must give what the Python path gives (figures, content, checksum):
    RM0001 opens from its previous statement, RM0002 (not closed then) from its history, summed per
    account or in one scan; a credit not yet applied and one applied to a debit not yet due count
    in what is overdue."""
    from django.db import connection

    from ledger import offsetting

    if connection.vendor != "postgresql":
        pytest.skip("the set-based close is PostgreSQL's")
    monkeypatch.setattr(statements, "HISTORY_SCAN_FROM", history_scan_from)
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        post(account, amount="300.10", day=dt.date(2025, 3, 1), due_date=dt.date(2025, 3, 31))
    statements.close_period(dt.date(2025, 3, 17), accounts=[rm0001])
    for account in (rm0001, rm0002):
        post(account, amount="1234.56", day=dt.date(2025, 3, 20))
    post(rm0001, "payment", "-100.00", day=dt.date(2025, 4, 2))
    post(rm0002, "payment", "-500.01", day=dt.date(2025, 4, 2))
    offsetting.set_preference(rm0002, "oldest_first", user=None)
    offsetting.clear_account(rm0002, dt.date(2025, 4, 2))  # 300.10 overdue, then 199.91 not yet due
    post(rm0002, "interest", "3.21", day=dt.date(2025, 4, 18), due_date=dt.date(2025, 4, 18))
    python_path = {s.program_account_id: s for s in statements.close_period(END)}
    assert python_path[rm0001.pk].opening_balance == python_path[rm0002.pk].opening_balance == Decimal("300.10")
    assert (python_path[rm0001.pk].overdue, python_path[rm0002.pk].overdue) == (Decimal("200.10"), Decimal(0))
    monkeypatch.setattr(statements, "SQL_CLOSE_FROM", 0)
    sql_path = {s.program_account_id: s for s in statements.close_period(END, reissue=True)}
    assert set(sql_path) == set(python_path) == {rm0001.pk, rm0002.pk}
    for account, statement in sql_path.items():
        expected = python_path[account]
        assert statement.version == expected.version + 1
        assert statement.content == expected.content and statement.checksum == expected.checksum
        assert statement.checksum == statements.checksum(statement.content)
        assert (statement.opening_balance, statement.closing_balance, statement.overdue) == (
            expected.opening_balance,
            expected.closing_balance,
            expected.overdue,
        )
    assert statements.close_period(END) == []
