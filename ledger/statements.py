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
from carm import bulk

from . import billing_cycle
from .balances import ZERO, cents
from .models import Allocation, DailyNotice, EntryType, LedgerAccount, LedgerEntry, LedgerRun, Statement
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
        # The opening balance is the previous statement's closing balance (entries are never dated
        # inside a closed period, so it cannot have changed); only accounts without one sum their
        # history. The rest reads the period's entries and the debits not yet due the day after it
        # (balances.overdue's rule), so the close costs about one aggregate over one period's rows.
        on_day = end + dt.timedelta(days=1)
        scope = ids if accounts is not None or len(ids) <= 1000 else None
        openings = _openings(scope, ids, start)
        in_period = {"effective_date__gte": start, "effective_date__lte": end}
        entries = LedgerEntry.objects.filter(
            Q(effective_date__gte=start, effective_date__lte=on_day)
            | Q(effective_date__lt=start, amount__gt=0, due_date__gte=on_day)
        )
        cleared = Allocation.objects.filter(
            debit__due_date__gte=on_day, debit__effective_date__lte=on_day, cleared_on__lte=on_day
        )
        if scope is not None:
            entries = entries.filter(program_account__in=scope)
            cleared = cleared.filter(debit__program_account__in=scope)
        rows = (
            entries.values("program_account")
            .annotate(
                count=Count("id", filter=Q(**in_period)),
                credits=_sum(amount__lt=0, **in_period),
                next_day=_sum(effective_date=on_day),
                not_due=_sum(amount__gt=0, due_date__gte=on_day),
                **{kind: _sum(entry_type=kind, **in_period) for kind in kinds},
            )
            .order_by()
        )
        rows = {row["program_account"]: row for row in rows}
        cleared = dict(cleared.values_list("debit__program_account").annotate(total=Sum("amount")).order_by())
        previous = Statement.objects.filter(period_end=end)
        if accounts is not None:
            previous = previous.filter(program_account__in=ids)
        versions = dict(previous.values_list("program_account").annotate(Max("version")).order_by())
        issued_at = timezone.now()
        statements = []
        for account in ids:
            row = rows.get(account, {})
            if account not in openings and not row.get("count"):
                continue  # nothing dated up to the period's end
            sums = {key: cents(row.get(key)) for key in ["credits", "next_day", "not_due", *kinds]}
            opening = openings.get(account, ZERO)
            closing = opening + sum(sums[kind] for kind in kinds)
            overdue = max(closing + sums["next_day"] - sums["not_due"] + cents(cleared.get(account)), ZERO)
            content = {
                "program_account": account,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "statement_date": statement_date.isoformat(),
                "due_date": due_date.isoformat(),
                "opening_balance": str(opening),
                "closing_balance": str(closing),
                "entries": row.get("count", 0),
                "credits_applied": str(sums["credits"]),
                "totals": {kind: str(sums[kind]) for kind in kinds},
                "amount_due": str(max(closing, ZERO)),
                "overdue": str(overdue),
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
                    opening_balance=opening,
                    closing_balance=closing,
                    amount_due=max(closing, ZERO),
                    overdue=overdue,
                    content=content,
                    checksum=hashlib.sha256(document.encode()).hexdigest(),
                    issued_at=issued_at,
                )
            )
        bulk.insert(Statement, statements)
        _mark_closed(ledgers, locked, accounts, end)
        record(
            "ledger.period_closed",
            after={"period_end": end.isoformat(), "statements": len(statements), "reissue": reissue},
        )
    return statements


def catch_up(today: dt.date) -> int:
    """Close every billing period whose statement day (the 25th) has come since the last close run
    (the latest one only, the first time), in date order, each with its run marker: a missed close
    is caught up and closing again issues nothing twice. Returns the statements issued."""
    latest = billing_cycle.billing_period(today.replace(day=1))[1]
    if today.day < billing_cycle.STATEMENT_DAY:
        latest = billing_cycle.billing_period((latest.replace(day=1) - dt.timedelta(days=1)).replace(day=1))[1]
    last = LedgerRun.objects.filter(job=LedgerRun.Job.STATEMENTS).order_by("-day").first()
    period_end = billing_cycle.billing_period(last.day + dt.timedelta(days=1))[1] if last else latest
    issued = 0
    while period_end <= latest:
        with transaction.atomic():
            issued += len(close_period(period_end))
            LedgerRun.objects.create(job=LedgerRun.Job.STATEMENTS, day=period_end)
        period_end = billing_cycle.billing_period(period_end + dt.timedelta(days=1))[1]
    return issued


def _openings(scope, ids, start: dt.date) -> dict:
    """Program account id → opening balance of the period starting `start`, for the accounts that
    had entries before it: the previous statement's closing balance, else the sum of the history."""
    previous = Statement.objects.filter(period_end=start - dt.timedelta(days=1))
    if scope is not None:
        previous = previous.filter(program_account__in=scope)
    openings = dict(previous.order_by("version").values_list("program_account", "closing_balance"))
    missing = [account for account in ids if account not in openings]
    for first in range(0, len(missing), 900):  # SQLite takes at most so many parameters
        history = LedgerEntry.objects.filter(program_account__in=missing[first : first + 900], effective_date__lt=start)
        rows = history.values_list("program_account").annotate(total=Sum("amount")).order_by()
        openings.update((account, cents(total)) for account, total in rows)
    return openings


def _mark_closed(ledgers, locked, accounts, end):
    if accounts is None:  # the rows locked (a ledger account created since has a higher pk)
        ledgers.filter(pk__lte=max(pk for pk, _account in locked)).update(closed_through=end)
    else:
        ledgers.update(closed_through=end)


# On PostgreSQL a large close runs in SQL: the figures come back as text (no Decimal round trip),
# the content and its SHA-256 are built from them (the same canonical JSON as `canonical`: keys
# sorted, no spaces) and the statements go in with COPY. (An INSERT … SELECT building the JSON in SQL
# was slower: an INSERT gets no parallel plan, and the concatenation costs more than Python's.) The
# figures follow the Python path: the opening balance from the previous statement (else the
# history), the period's entries, the debits not yet due the day after it. Below this many
# accounts the Python path is as quick.
SQL_CLOSE_FROM = 500
HISTORY_SCAN_FROM = 1000  # accounts without a previous statement
IN_PERIOD = "e.effective_date >= %(start)s::date AND e.effective_date <= %(end)s::date"
KIND_SUMS = ",\n".join(
    f"COALESCE(SUM(e.amount) FILTER (WHERE e.entry_type = '{kind}' AND {IN_PERIOD}), 0) AS k_{kind}"
    for kind in EntryType.values
)
CLOSE_SQL = """
WITH period AS (
    SELECT e.program_account_id AS account,
        COUNT(*) FILTER (WHERE {in_period}) AS entries,
        COALESCE(SUM(e.amount) FILTER (WHERE e.amount < 0 AND {in_period}), 0) AS credits,
        COALESCE(SUM(e.amount) FILTER (WHERE e.effective_date = %(on_day)s::date), 0) AS next_day,
        COALESCE(SUM(e.amount) FILTER (WHERE e.amount > 0 AND e.due_date >= %(on_day)s::date), 0) AS not_due,
        {kind_sums}
    FROM ledger_ledgerentry e
    WHERE (e.effective_date >= %(start)s::date AND e.effective_date <= %(on_day)s::date)
        OR (e.effective_date < %(start)s::date AND e.amount > 0 AND e.due_date >= %(on_day)s::date)
    GROUP BY e.program_account_id
), openings AS (
    SELECT DISTINCT ON (program_account_id) program_account_id AS account, closing_balance AS opening
    FROM ledger_statement WHERE period_end = %(previous_end)s::date
    ORDER BY program_account_id, version DESC
), history AS (
    SELECT program_account_id AS account, SUM(amount) AS opening FROM ledger_ledgerentry
    WHERE {{history_of}} AND effective_date < %(start)s::date
    GROUP BY program_account_id
), cleared AS (
    SELECT d.program_account_id AS account, SUM(a.amount) AS total
    FROM ledger_allocation a JOIN ledger_ledgerentry d ON d.id = a.debit_id
    WHERE d.due_date >= %(on_day)s::date AND d.effective_date <= %(on_day)s::date AND a.cleared_on <= %(on_day)s::date
    GROUP BY d.program_account_id
), versions AS (
    SELECT program_account_id AS account, MAX(version) AS version
    FROM ledger_statement WHERE period_end = %(end)s::date GROUP BY program_account_id
), figures AS (
    SELECT l.program_account_id AS account, COALESCE(v.version, 0) + 1 AS version,
        COALESCE(p.entries, 0) AS entries,
        COALESCE(o.opening, h.opening, 0)::numeric(15, 2) AS opening,
        ({closing})::numeric(15, 2) AS closing,
        COALESCE(p.credits, 0)::numeric(15, 2) AS credits,
        COALESCE(p.next_day, 0) AS next_day, COALESCE(p.not_due, 0) AS not_due, COALESCE(c.total, 0) AS cleared,
        {kind_columns}
    FROM ledger_ledgeraccount l
    LEFT JOIN period p ON p.account = l.program_account_id
    LEFT JOIN openings o ON o.account = l.program_account_id
    LEFT JOIN history h ON h.account = l.program_account_id
    LEFT JOIN cleared c ON c.account = l.program_account_id
    LEFT JOIN versions v ON v.account = l.program_account_id
    WHERE {{wanted}} AND (p.entries > 0 OR o.account IS NOT NULL OR h.account IS NOT NULL)
)
SELECT account, version, opening::text, closing::text, GREATEST(closing, 0)::numeric(15, 2)::text,
    GREATEST(closing + next_day - not_due + cleared, 0)::numeric(15, 2)::text, entries, credits::text, {kind_texts}
FROM figures
"""
CLOSE_SQL = CLOSE_SQL.format(
    in_period=IN_PERIOD,
    kind_sums=KIND_SUMS,
    closing=" + ".join(["COALESCE(o.opening, h.opening, 0)", *(f"COALESCE(p.k_{k}, 0)" for k in EntryType.values)]),
    kind_columns=", ".join(f"COALESCE(p.k_{kind}, 0)::numeric(15, 2) AS k_{kind}" for kind in EntryType.values),
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
    ids = [account for _pk, account in locked]
    previous_end = start - dt.timedelta(days=1)
    with_previous = set(
        Statement.objects.filter(period_end=previous_end).values_list("program_account", flat=True).distinct()
    )
    params = {
        "max_pk": max(pk for pk, _account in locked),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "on_day": (end + dt.timedelta(days=1)).isoformat(),
        "previous_end": previous_end.isoformat(),
        "accounts": ids,
        "missing": [account for account in ids if account not in with_previous],
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
    issued, fixed_dates = issued_at.isoformat(), [statement_date.isoformat(), due_date.isoformat()]
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the wide aggregate stays an in-memory hash
        # A few accounts without a previous statement sum their history through the account index;
        # many (a first close) in one parallel scan of the history (the join keeps those missing).
        many = len(params["missing"]) > HISTORY_SCAN_FROM
        history_of = "TRUE" if many else "program_account_id = ANY(%(missing)s::bigint[])"
        cursor.execute(CLOSE_SQL.replace("{wanted}", " AND ".join(wanted)).replace("{history_of}", history_of), params)
        rows = cursor.fetchall()
        # COPY's text format written out: no value holds a tab, a newline or a backslash.
        line = "\t".join(["{}", start.isoformat(), end.isoformat(), "{}", *fixed_dates, *["{}"] * 6, issued]) + "\n"
        lines = []
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
            checksum = hashlib.sha256(document.encode()).hexdigest()
            lines.append(line.format(account, version, opening, closing, amount_due, overdue, document, checksum))
        bulk.copy_text(Statement, STATEMENT_COLUMNS, "".join(lines))
        cursor.execute(f"SELECT id FROM {table} WHERE period_end = %s AND issued_at = %s", [end, issued_at])
        return IssuedStatements([row[0] for row in cursor.fetchall()])


STATEMENT_COLUMNS = [
    "program_account_id", "period_start", "period_end", "version", "statement_date", "due_date",
    "opening_balance", "closing_balance", "amount_due", "overdue", "content", "checksum", "issued_at",
]  # fmt: skip


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
