"""Statements of account (closing a billing period) and daily notices.

A statement covers the entries dated in its billing period. post_entry never dates an entry inside
a closed period, so an issued statement's lines can always be listed again from the entries
(`statement_entries`); the stored content holds the figures and its SHA-256 seals them."""

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import record

from . import billing_cycle
from .balances import ZERO, cents
from .models import Allocation, DailyNotice, EntryType, LedgerAccount, LedgerEntry, Statement
from .services import holiday_calendar


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"))


def checksum(content: dict) -> str:
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def _sum(**condition):
    return Sum("amount", filter=Q(**condition), default=ZERO)


def close_period(period_end: dt.date, accounts=None, reissue: bool = False) -> list[Statement]:
    """Issue the statements of the billing period ending `period_end` (the 17th) for every ledger
    account (or those given). An account already closed for the period is skipped, so closing twice
    is a no-op; with `reissue` it gets a new version instead."""
    start, end = billing_cycle.billing_period(period_end)
    if end != period_end:
        raise ValueError(f"a billing period ends on the 17th, not {period_end}")
    statement_date = end.replace(day=billing_cycle.STATEMENT_DAY)
    due_date = billing_cycle.payment_due_date(end, holiday_calendar())
    ledgers = LedgerAccount.objects.all()
    if accounts is not None:
        ledgers = ledgers.filter(program_account__in=accounts)
    if not reissue:
        ledgers = ledgers.filter(Q(closed_through__isnull=True) | Q(closed_through__lt=end))
    kinds = EntryType.values
    with transaction.atomic():  # the row locks make a concurrent close wait, then find nothing left
        locked = list(ledgers.select_for_update().values_list("pk", "program_account_id"))
        if not locked:
            return []
        ids = [account for _pk, account in locked]
        if connection.vendor == "postgresql" and len(ids) >= SQL_CLOSE_FROM:
            issued = _close_in_sql(locked, accounts, reissue, start, end, statement_date, due_date)
            _mark_closed(ledgers, locked, accounts, end)
            record(
                "ledger.period_closed",
                after={"period_end": end.isoformat(), "statements": len(issued), "reissue": reissue},
            )
            return issued
        # One pass over the entries: the opening balance, the period's totals and what is overdue the
        # day after the period (balances.overdue's rule, its debits summed here and its allocations
        # below), so the close costs about one aggregate over the rows.
        on_day = end + dt.timedelta(days=1)
        in_period = {"effective_date__gte": start, "effective_date__lte": end}
        entries = LedgerEntry.objects.filter(effective_date__lte=on_day)
        cleared = Allocation.objects.filter(debit__due_date__lt=on_day, cleared_on__lte=on_day)
        if accounts is not None or len(ids) <= 1000:
            entries = entries.filter(program_account__in=ids)
            cleared = cleared.filter(debit__program_account__in=ids)
        totals = (
            entries.values("program_account")
            .annotate(
                present=Count("id", filter=Q(effective_date__lte=end)),
                opening=_sum(effective_date__lt=start),
                count=Count("id", filter=Q(**in_period)),
                credits=_sum(amount__lt=0, **in_period),
                due=_sum(amount__gt=0, due_date__lt=on_day),
                **{kind: _sum(entry_type=kind, **in_period) for kind in kinds},
            )
            .order_by()
        )
        cleared = dict(cleared.values_list("debit__program_account").annotate(total=Sum("amount")).order_by())
        wanted = set(ids)
        totals = [row for row in totals if row["program_account"] in wanted and row["present"]]
        overdue = {
            row["program_account"]: max(cents(row["due"]) - cents(cleared.get(row["program_account"])), ZERO)
            for row in totals
        }
        previous = Statement.objects.filter(period_end=end)
        if accounts is not None:
            previous = previous.filter(program_account__in=ids)
        versions = dict(previous.values_list("program_account").annotate(Max("version")).order_by())
        issued_at = timezone.now()
        statements = []
        for row in totals:
            account = row["program_account"]
            row.update({key: cents(row[key]) for key in ["opening", "credits", *kinds]})
            closing = row["opening"] + sum(row[kind] for kind in kinds)
            content = {
                "program_account": account,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "statement_date": statement_date.isoformat(),
                "due_date": due_date.isoformat(),
                "opening_balance": str(row["opening"]),
                "closing_balance": str(closing),
                "entries": row["count"],
                "credits_applied": str(row["credits"]),
                "totals": {kind: str(row[kind]) for kind in kinds},
                "amount_due": str(max(closing, ZERO)),
                "overdue": str(overdue[account]),
            }
            document = canonical(content)
            statements.append(
                Statement(
                    program_account_id=account,
                    period_start=start,
                    period_end=end,
                    version=versions.get(account, 0) + 1,
                    statement_date=statement_date,
                    due_date=due_date,
                    opening_balance=row["opening"],
                    closing_balance=closing,
                    amount_due=max(closing, ZERO),
                    overdue=overdue[account],
                    content=content,
                    checksum=hashlib.sha256(document.encode()).hexdigest(),
                    issued_at=issued_at,
                )
            )
            statements[-1].document = document  # the JSON once: the checksum's text is what COPY writes
        _write(statements)
        _mark_closed(ledgers, locked, accounts, end)
        record(
            "ledger.period_closed",
            after={"period_end": end.isoformat(), "statements": len(statements), "reissue": reissue},
        )
    return statements


def _mark_closed(ledgers, locked, accounts, end):
    if accounts is None:  # the rows locked (a ledger account created since has a higher pk)
        ledgers.filter(pk__lte=max(pk for pk, _account in locked)).update(closed_through=end)
    else:
        ledgers.update(closed_through=end)


# On PostgreSQL a large close runs as one INSERT … SELECT: the figures, the content and its SHA-256
# are computed where the rows are (the same canonical JSON as `canonical`: keys sorted, no spaces),
# so the close costs about the aggregate. Below this many accounts the Python path is as quick.
SQL_CLOSE_FROM = 500
KIND_SUMS = ",\n".join(
    f"COALESCE(SUM(e.amount) FILTER (WHERE e.entry_type = '{kind}' AND e.effective_date >= %(start)s::date "
    f"AND e.effective_date <= %(end)s::date), 0)::numeric(15, 2) AS k_{kind}"
    for kind in EntryType.values
)
CLOSE_SQL = """
WITH totals AS (
    SELECT e.program_account_id AS account,
        COUNT(*) FILTER (WHERE e.effective_date <= %(end)s::date) AS present,
        COALESCE(SUM(e.amount) FILTER (WHERE e.effective_date < %(start)s::date), 0)::numeric(15, 2) AS opening,
        COUNT(*) FILTER (WHERE e.effective_date >= %(start)s::date AND e.effective_date <= %(end)s::date) AS entries,
        COALESCE(SUM(e.amount) FILTER (WHERE e.amount < 0 AND e.effective_date >= %(start)s::date
            AND e.effective_date <= %(end)s::date), 0)::numeric(15, 2) AS credits,
        COALESCE(SUM(e.amount) FILTER (WHERE e.amount > 0 AND e.due_date < %(on_day)s::date), 0)::numeric(15, 2) AS due,
        {kind_sums}
    FROM ledger_ledgerentry e
    WHERE e.effective_date <= %(on_day)s::date
    GROUP BY e.program_account_id
), cleared AS (
    SELECT d.program_account_id AS account, SUM(a.amount) AS total
    FROM ledger_allocation a JOIN ledger_ledgerentry d ON d.id = a.debit_id
    WHERE d.due_date < %(on_day)s::date AND a.cleared_on <= %(on_day)s::date
    GROUP BY d.program_account_id
), versions AS (
    SELECT program_account_id AS account, MAX(version) AS version
    FROM ledger_statement WHERE period_end = %(end)s::date GROUP BY program_account_id
), figures AS (
    SELECT t.*, COALESCE(v.version, 0) + 1 AS version,
        ({closing})::numeric(15, 2) AS closing,
        GREATEST(t.due - COALESCE(c.total, 0), 0)::numeric(15, 2) AS overdue
    FROM totals t
    JOIN ledger_ledgeraccount l ON l.program_account_id = t.account AND {{wanted}}
    LEFT JOIN cleared c ON c.account = t.account
    LEFT JOIN versions v ON v.account = t.account
    WHERE t.present > 0
)
SELECT account, version, opening::text, closing::text, GREATEST(closing, 0)::numeric(15, 2)::text, overdue::text,
    entries, credits::text, {kind_texts}
FROM figures
"""
CLOSE_SQL = CLOSE_SQL.format(
    kind_sums=KIND_SUMS,
    closing=" + ".join(["t.opening", *(f"t.k_{kind}" for kind in EntryType.values)]),
    kind_texts=", ".join(f"k_{kind}::text" for kind in EntryType.values),
)


class IssuedStatements(Sequence):
    """The statements a close issued, loaded from the database only when looked at."""

    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return Statement.objects.get(pk=self.ids[index])

    def __iter__(self):
        for start in range(0, len(self.ids), 2000):
            yield from Statement.objects.filter(pk__in=self.ids[start : start + 2000]).order_by("pk")


def _close_in_sql(locked, accounts, reissue, start, end, statement_date, due_date) -> IssuedStatements:
    """The figures from one parallel aggregate (as text: no Decimal round trip), the content and its
    checksum built here, the statements written with COPY. The locked ledger accounts are those up to
    the highest locked pk matching the close's filter."""
    wanted = ["l.id <= %(max_pk)s"]
    if accounts is not None:
        wanted.append("l.program_account_id = ANY(%(accounts)s::bigint[])")
    if not reissue:
        wanted.append("(l.closed_through IS NULL OR l.closed_through < %(end)s::date)")
    params = {
        "max_pk": max(pk for pk, _account in locked),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "on_day": (end + dt.timedelta(days=1)).isoformat(),
        "accounts": [account for _pk, account in locked],
    }
    kinds = EntryType.values
    # `canonical(content)` written out: keys sorted, no spaces; every value is digits, a sign and a point.
    fixed = {"period_end": end.isoformat(), "period_start": start.isoformat()}
    fixed.update(statement_date=statement_date.isoformat(), due_date=due_date.isoformat())
    template = (
        '{{"amount_due":"{amount_due}","closing_balance":"{closing}","credits_applied":"{credits}",'
        f'"due_date":"{fixed["due_date"]}","entries":{{entries}},"opening_balance":"{{opening}}",'
        f'"overdue":"{{overdue}}","period_end":"{fixed["period_end"]}","period_start":"{fixed["period_start"]}",'
        f'"program_account":{{account}},"statement_date":"{fixed["statement_date"]}","totals":{{{{'
        + ",".join(f'"{kind}":"{{{kind}}}"' for kind in sorted(kinds))
        + "}}}}"
    )
    issued_at = timezone.now()
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the wide aggregate stays an in-memory hash
        cursor.execute(CLOSE_SQL.replace("{wanted}", " AND ".join(wanted)), params)
        rows = cursor.fetchall()
        with cursor.cursor.copy(f"COPY {table} ({', '.join(STATEMENT_COLUMNS)}) FROM STDIN") as copy:
            for account, version, opening, closing, amount_due, overdue, entries, credits, *sums in rows:
                document = template.format(
                    amount_due=amount_due,
                    closing=closing,
                    credits=credits,
                    entries=entries,
                    opening=opening,
                    overdue=overdue,
                    account=account,
                    **dict(zip(kinds, sums, strict=True)),
                )
                copy.write_row(
                    (
                        account, start, end, version, statement_date, due_date, opening, closing, amount_due,
                        overdue, document, hashlib.sha256(document.encode()).hexdigest(), issued_at,
                    )
                )  # fmt: skip
        cursor.execute(f"SELECT id FROM {table} WHERE period_end = %s AND issued_at = %s", [end, issued_at])
        return IssuedStatements([row[0] for row in cursor.fetchall()])


STATEMENT_COLUMNS = [
    "program_account_id", "period_start", "period_end", "version", "statement_date", "due_date",
    "opening_balance", "closing_balance", "amount_due", "overdue", "content", "checksum", "issued_at",
]  # fmt: skip


def _write(statements: list[Statement]) -> None:
    """Insert the statements. On PostgreSQL through COPY, then their ids read back (bulk_create's
    UNNEST arrays make psycopg quote every JSON document: 10 s for 20,000 statements, COPY 0.2 s)."""
    if connection.vendor != "postgresql" or len(statements) < 100:
        Statement.objects.bulk_create(statements, batch_size=2000)
        return
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(STATEMENT_COLUMNS)}) FROM STDIN") as copy:
            for st in statements:
                copy.write_row(
                    [
                        *(getattr(st, column) for column in STATEMENT_COLUMNS[:10]),
                        st.document,
                        st.checksum,
                        st.issued_at,
                    ]
                )
    first = statements[0]
    ids = {
        (account, version): pk
        for account, version, pk in Statement.objects.filter(
            period_end=first.period_end, issued_at=first.issued_at
        ).values_list("program_account_id", "version", "pk")
    }
    for st in statements:
        st.pk = ids[(st.program_account_id, st.version)]
        st._state.adding, st._state.db = False, connection.alias


def statement_entries(statement: Statement):
    return (
        LedgerEntry.objects.filter(
            program_account=statement.program_account_id,
            effective_date__range=(statement.period_start, statement.period_end),
        )
        .select_related("submitted_by_business")
        .order_by("effective_date", "id")
    )


CSV_HEADER = [
    "date",
    "type",
    "transaction_number",
    "version",
    "reference",
    "description",
    "due_date",
    "submitted_by",
    "amount",
]


def entries_csv(entries, preamble=()) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in preamble:
        writer.writerow(line)
    writer.writerow(CSV_HEADER)
    for e in entries:
        writer.writerow(
            [
                e.effective_date,
                e.entry_type,
                e.transaction_number,
                e.document_version,
                e.reference,
                e.description,
                e.due_date,
                e.submitted_by_business.bn9 if e.submitted_by_business else "",
                e.amount,
            ]
        )
    return out.getvalue()


def statement_csv(statement: Statement) -> str:
    preamble = [
        ["program_account", statement.program_account.number],
        ["period_start", statement.period_start],
        ["period_end", statement.period_end],
        ["version", statement.version],
        ["opening_balance", statement.opening_balance],
        ["closing_balance", statement.closing_balance],
        ["amount_due", statement.amount_due],
        ["due_date", statement.due_date],
        ["overdue", statement.overdue],
        ["sha256", statement.checksum],
    ]
    return entries_csv(statement_entries(statement), preamble)


def statement_pdf(statement: Statement) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "ledger/statement_pdf.html", {"statement": statement, "entries": statement_entries(statement)}
    )
    return HTML(string=html).write_pdf()


def _day_bounds(day: dt.date):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def posted_on(day: dt.date):
    return LedgerEntry.objects.filter(posted_at__gte=_day_bounds(day)[0], posted_at__lt=_day_bounds(day)[1])


def daily_notices(day: dt.date) -> int:
    """One notice per program account that had entries posted on `day` (none without activity)."""
    rows = posted_on(day).values("program_account").annotate(count=Count("id"), total=Sum("amount")).order_by()
    done = set(DailyNotice.objects.filter(day=day).values_list("program_account", flat=True))
    notices = [
        DailyNotice(program_account_id=r["program_account"], day=day, entry_count=r["count"], total=r["total"])
        for r in rows
        if r["program_account"] not in done
    ]
    return len(DailyNotice.objects.bulk_create(notices, ignore_conflicts=True))
