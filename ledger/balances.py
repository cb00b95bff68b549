"""Balances derived from the entries (the running LedgerAccount.balance is a cache of the first)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import Allocation, LedgerAccount, LedgerEntry

ZERO = Decimal("0.00")


def cents(value) -> Decimal:
    """An aggregate back to exact cents (SQLite sums decimals as floats; PostgreSQL is exact)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def balances(accounts, on_day: dt.date | None = None) -> dict[int, Decimal]:
    """Sum of the entries per program account id (dated on or before `on_day`)."""
    entries = LedgerEntry.objects.filter(program_account__in=accounts)
    if on_day is not None:
        entries = entries.filter(effective_date__lte=on_day)
    rows = entries.values_list("program_account").annotate(total=Sum("amount")).order_by()
    return defaultdict(lambda: ZERO, {account: cents(total) for account, total in rows})


def running(accounts, on_day: dt.date | None = None) -> dict[int, Decimal]:
    """What balances() gives, from the running balance (LedgerAccount.balance, which ledger.posting
    moves with every entry and check_ledger verifies) less the entries dated after `on_day`: one
    query reading only those later entries (index ledger_entry_account_date), so it costs the same
    however long the account's history (a sum of every entry took 7.3 ms at 6,900 entries)."""
    rows = LedgerAccount.objects.filter(program_account__in=accounts)
    if on_day is None:
        return defaultdict(lambda: ZERO, rows.values_list("program_account", "balance"))
    rows = rows.annotate(later=_later(on_day, "program_account")).values_list("program_account", "balance", "later")
    return defaultdict(lambda: ZERO, {account: balance - cents(later) for account, balance, later in rows})


def running_on(on_day: dt.date, account: str = "pk"):
    """running()'s figure as an expression to annotate a query of program accounts with (`account`:
    the program account id's path in it), for a caller reading more per account in the same query;
    pass the value through cents()."""
    balance = LedgerAccount.objects.filter(program_account=OuterRef(account)).values("balance")
    output = DecimalField(max_digits=15, decimal_places=2)
    return Coalesce(Subquery(balance), ZERO, output_field=output) - Coalesce(
        _later(on_day, account), ZERO, output_field=output
    )


def _later(on_day: dt.date, account: str) -> Subquery:
    """The sum of the entries dated after `on_day` of the program account `account` names (None: none)."""
    later = LedgerEntry.objects.filter(program_account=OuterRef(account), effective_date__gt=on_day)
    return Subquery(later.values("program_account").annotate(total=Sum("amount")).values("total"))


def overdue(
    accounts, on_day: dt.date, floor: Decimal | None = ZERO, paid_by: dt.date | None = None
) -> dict[int, Decimal]:
    """Per program account id: what fell due before `on_day` and is still owed at its end.

    Offsetting applies a credit to what is overdue first, whatever the account's preference, so a
    credit not yet applied (the clearing has not run yet, or not since the debit fell due) still
    counts against it: overdue = debits due and not cleared − credits not applied, never below zero
    and never above what is owed. In sums over the entries dated up to `on_day`: the balance − the
    debits not yet due + what was cleared from those (credits they took that were not left for the
    overdue debits). statements.close_period applies the same rule. With `floor=None` the figure
    is not clamped at zero (interest.recalculate_for adds its corrections to it). With `paid_by` (the
    day before `on_day`) only the entries and clearings dated up to it count: what fell due by a due
    date and was still owed at the end of that date (interest's C336; the nightly interest with the day
    before: what was owed at the day's start)."""
    paid_by = on_day if paid_by is None else paid_by
    rows = (
        LedgerEntry.objects.filter(program_account__in=accounts, effective_date__lte=paid_by)
        .values_list("program_account")
        .annotate(
            balance=Sum("amount"),
            not_due=Sum("amount", filter=Q(amount__gt=0, due_date__gte=on_day), default=ZERO),
        )
        .order_by()
    )
    cleared = (
        Allocation.objects.filter(
            debit__program_account__in=accounts,
            debit__due_date__gte=on_day,
            debit__effective_date__lte=paid_by,
            cleared_on__lte=paid_by,
        )
        .values_list("debit__program_account")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    rows, cleared = _read_together(rows, cleared)
    cleared = dict(cleared)
    result = defaultdict(lambda: ZERO)
    for account, balance, not_due in rows:
        left = cents(balance) - cents(not_due) + cents(cleared.get(account))
        if floor is None or left > floor:
            result[account] = left
    return result


def _read_together(*queries) -> list[list[tuple]]:
    """The rows of each values_list query: on PostgreSQL in one round trip (psycopg's client-side
    binding sends the statements together, as statements.close_period's figures go), elsewhere one
    query each. A query that can match nothing (`__in` an empty list) is not sent."""
    if connection.vendor != "postgresql":
        return [list(query) for query in queries]
    compiled = []
    for query in queries:
        try:
            compiled.append(query.query.sql_with_params())
        except EmptyResultSet:
            compiled.append(None)
    sent = [sql for sql in compiled if sql is not None]
    results = []
    if sent:
        with connection.cursor() as cursor:
            cursor.execute("; ".join(sql for sql, _params in sent), [p for _sql, params in sent for p in params])
            results.append(cursor.fetchall())
            while cursor.nextset():
                results.append(cursor.fetchall())
    found = iter(results)
    return [[] if sql is None else next(found) for sql in compiled]
