"""Calendar-month programs (CLVS, continuous transmission, CSA) close their statements on calendar
months, due the 10th weekday after the 17th of the next month (SOR/86-1062 s.10.3(1)(a), (2));
the harmonized 18th-17th close leaves them out."""

import datetime as dt
from decimal import Decimal

import pytest

from businesses import account_programs
from ledger import statements
from ledger.models import LedgerRun

from .factories import post

D = dt.date


@pytest.fixture
def clvs(rm0001, olivia):
    account_programs.record(olivia, rm0001, effective_from=D(2025, 1, 1), accounting_program="clvs", reason="D17-4-0")
    return rm0001


def test_a_clvs_statement_covers_the_calendar_month_and_is_due_the_10th_weekday_after_the_17th_of_the_next(clvs):
    post(clvs, amount="100.00", day=D(2025, 2, 28))  # before the month: the opening balance
    post(clvs, amount="200.00", day=D(2025, 3, 1))
    post(clvs, amount="50.00", day=D(2025, 3, 20))  # after the 17th: same calendar month
    post(clvs, amount="7.00", day=D(2025, 4, 1))  # next month
    [statement] = statements.close_month(D(2025, 3, 31))
    assert (statement.period_start, statement.period_end) == (D(2025, 3, 1), D(2025, 3, 31))
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("100.00"), Decimal("350.00"))
    # Thu 17 Apr 2025 + 10 weekdays, Good Friday counted (SOR/86-1062 s.2 "weekday"): Thu 1 May 2025
    assert statement.due_date == D(2025, 5, 1) and statement.statement_date == D(2025, 4, 25)
    assert statement.checksum == statements.checksum(statement.content)


def test_the_harmonized_close_leaves_calendar_month_accounts_to_the_month_close(clvs):
    post(clvs, amount="200.00", day=D(2025, 3, 20))
    assert statements.close_period(D(2025, 4, 17)) == []
    assert statements.close_month(D(2025, 3, 31))[0].closing_balance == Decimal("200.00")


def test_a_regular_account_is_not_closed_by_the_month_close(rm0001):
    post(rm0001, amount="200.00", day=D(2025, 3, 20))
    assert statements.close_month(D(2025, 3, 31)) == []
    with pytest.raises(ValueError):
        statements.close_month(D(2025, 3, 30))


def test_missed_month_closes_are_caught_up_once_each(clvs):
    post(clvs, amount="5.00", day=D(2025, 4, 3))
    post(clvs, amount="10.00", day=D(2025, 5, 2))
    post(clvs, amount="20.00", day=D(2025, 6, 2))
    post(clvs, amount="30.00", day=D(2025, 7, 2))
    assert statements.catch_up_months(D(2025, 6, 24)) == 1  # the 25th not come: April is the latest
    assert statements.catch_up_months(D(2025, 8, 25)) == 3  # May, June and July
    assert statements.catch_up_months(D(2025, 8, 26)) == 0
    runs = LedgerRun.objects.filter(job=LedgerRun.Job.MONTH_STATEMENTS).values_list("day", flat=True)
    assert sorted(runs) == [D(2025, 4, 30), D(2025, 5, 31), D(2025, 6, 30), D(2025, 7, 31)]
    closings = [s.closing_balance for s in clvs.statements.order_by("period_end")]
    assert closings == [Decimal("5.00"), Decimal("15.00"), Decimal("35.00"), Decimal("65.00")]


def test_a_csa_importer_that_chose_the_18th_to_17th_period_closes_with_the_harmonized_cycle_s10_3_1_b(rm0001, olivia):
    account_programs.record(
        olivia,
        rm0001,
        effective_from=D(2025, 1, 1),
        accounting_program="csa",
        csa_period="cycle",
        reason="CSA importer's choice",
    )
    post(rm0001, amount="200.00", day=D(2025, 3, 20))
    assert statements.close_month(D(2025, 3, 31)) == []
    [statement] = statements.close_period(D(2025, 4, 17))
    # s.10.3(3): the 10th weekday after the end of the period, Thu 1 May 2025
    assert (statement.period_start, statement.due_date) == (D(2025, 3, 18), D(2025, 5, 1))
