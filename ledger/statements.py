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
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record
from businesses import account_programs
from core import bulk

from . import billing_cycle, explain
from .models import DailyNotice, EntryType, LedgerEntry, LedgerRun, Statement
from .services import holiday_calendar


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"))


def checksum(content: dict) -> str:
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def close_period(period_end: dt.date, accounts=None, reissue: bool = False) -> "IssuedStatements":
    """Issue the statements of the billing period ending `period_end` (the 17th) for every ledger
    account (or those given) on the harmonized cycle: accounts in a calendar-month program that day
    close by `close_month` instead. An account already closed for the period is skipped, so closing
    twice is a no-op; with `reissue` it gets a new version instead.

    One set-based path on every database: one aggregate gives each account's figures as text (no
    Decimal round trip), the content and its SHA-256 are built from that text (the same canonical
    JSON as `canonical`: keys sorted, no spaces) and the statements written by core.bulk (COPY on
    PostgreSQL). The opening balance is the previous statement's closing balance (entries are never
    dated inside a closed period, so it cannot have changed); only accounts without one sum their
    history. The rest reads the period's entries and the debits not yet due the day after it
    (balances.overdue's rule), so the close costs about one aggregate over one period's rows."""
    start, end = billing_cycle.billing_period(period_end)
    if end != period_end:
        raise ValueError(f"a billing period ends on the 17th, not {period_end}")
    statement_date = end.replace(day=billing_cycle.STATEMENT_DAY)
    due_date = billing_cycle.payment_due_date(end, holiday_calendar())
    return _issue(accounts, reissue, start, end, statement_date, due_date, harmonized=True)


def close_month(month_end: dt.date, accounts=None, reissue: bool = False) -> "IssuedStatements":
    """The statements of a calendar month for the accounts in a calendar-month program (CLVS,
    continuous transmission, CSA) on its last day: the month's entries, due the 10th weekday after
    the 17th of the next month (SOR/86-1062 s.10.3(1)(a), (2); s.2.1 as amended by SOR/2024-41),
    the statement dated the 25th of the next month like the harmonized one [DESIGN: no CBSA date
    found for these programs' statements]. Same idempotence as `close_period`."""
    start = month_end.replace(day=1)
    if month_end != billing_cycle.last_day_of_month(start):
        raise ValueError(f"a calendar month ends on its last day, not {month_end}")
    statement_date = (month_end + dt.timedelta(days=1)).replace(day=billing_cycle.STATEMENT_DAY)
    due_date = billing_cycle.calendar_month_due_date(month_end, holiday_calendar())
    monthly = monthly_accounts(month_end)
    if accounts is not None:
        monthly &= {getattr(account, "pk", account) for account in accounts}
    return _issue(sorted(monthly), reissue, start, month_end, statement_date, due_date)


# The (accounting program, CSA period) pairs whose periods are calendar months
# (billing_cycle.by_calendar_month: a CSA importer that chose the 18th-17th period closes with the
# harmonized cycle, s.10.3(1)(b)).
CALENDAR_MONTH_STATUSES = [
    (program.value, period.value)
    for program in billing_cycle.AccountingProgram
    for period in billing_cycle.CsaPeriod
    if billing_cycle.by_calendar_month(program, period)
]


def monthly_accounts(day: dt.date) -> set[int]:
    """The accounts whose periods are calendar months on `day` (billing_cycle.by_calendar_month)."""
    return {
        account
        for account, status in account_programs.statuses_on(day).items()
        if billing_cycle.by_calendar_month(
            billing_cycle.AccountingProgram(status.accounting_program), billing_cycle.CsaPeriod(status.csa_period)
        )
    }


def _issue(accounts, reissue, start, end, statement_date, due_date, harmonized=False) -> "IssuedStatements":
    """The close of the ledgers given (or all), less those closed already for the period unless
    reissued and, `harmonized`, those in a calendar-month program on its last day: one WHERE clause
    (`l`, the ledger account) for the lock, which also reads which accounts have a previous
    statement and reserves the statements' ids; the figures and the closed_through update then
    cover the ledgers locked."""
    params = {
        "start": start,
        "end": end,
        "on_day": end + dt.timedelta(days=1),
        "previous_end": start - dt.timedelta(days=1),
    }
    wanted = []
    if accounts is not None:
        wanted.append(_in("l.program_account_id", "a", [getattr(a, "pk", a) for a in accounts], params))
    if harmonized:
        wanted.append(
            f"l.program_account_id NOT IN ({account_programs.accounts_in_sql(end, CALENDAR_MONTH_STATUSES, params)})"
        )
    if not reissue:
        wanted.append("(l.closed_through IS NULL OR l.closed_through < %(end)s)")
    where = " AND ".join(wanted) or "TRUE"
    with transaction.atomic(), connection.cursor() as cursor:
        # The row locks make a concurrent close wait, then find nothing left.
        cursor.execute(LOCK_SQL.format(where=where, **LOCK_DIALECT[connection.vendor]), params)
        locked = cursor.fetchall()
        if not locked:
            return IssuedStatements([])
        # The figures and the update cover the ledger accounts locked, not those matching now: on
        # PostgreSQL one committed since the lock (its id allotted before) would match, with no id
        # reserved. On SQLite nobody else has written since the transaction began (its write lock).
        if connection.vendor == "postgresql":
            params["locked"] = [pk for pk, *_rest in locked]
        issued = _close(
            cursor,
            locked,
            LOCK_DIALECT[connection.vendor]["locked"].format(where=where),
            params,
            statement_date,
            due_date,
        )
        record(
            "ledger.period_closed",
            after={"period_end": end.isoformat(), "statements": len(issued), "reissue": reissue},
        )
    return issued


def catch_up(today: dt.date, progress=None) -> int:
    """Close every billing period whose statement day (the 25th) has come since the last close run
    (the latest one only, the first time), in date order, each with its run marker: a missed close
    is caught up and closing again issues nothing twice. Returns the statements issued; `progress(done,
    total)` hears of each period closed."""
    latest = billing_cycle.billing_period(today.replace(day=1))[1]
    if today.day < billing_cycle.STATEMENT_DAY:
        latest = billing_cycle.billing_period((latest.replace(day=1) - dt.timedelta(days=1)).replace(day=1))[1]
    last = LedgerRun.objects.filter(job=LedgerRun.Job.STATEMENTS).order_by("-day").first()
    period_end = billing_cycle.billing_period(last.day + dt.timedelta(days=1))[1] if last else latest
    periods = []
    while period_end <= latest:
        periods.append(period_end)
        period_end = billing_cycle.billing_period(period_end + dt.timedelta(days=1))[1]
    issued = 0
    for done, period_end in enumerate(periods, 1):
        with transaction.atomic():
            issued += len(close_period(period_end))
            LedgerRun.objects.create(job=LedgerRun.Job.STATEMENTS, day=period_end)
        if progress:
            progress(done, len(periods))
    return issued


def catch_up_months(today: dt.date) -> int:
    """The same for calendar months: close every month whose statement day (the 25th of the next
    month) has come since the last run (the latest one only, the first time)."""
    this_month = today.replace(day=1)
    latest = this_month - dt.timedelta(days=1)  # last month's end, closed from the 25th
    if today.day < billing_cycle.STATEMENT_DAY:
        latest = latest.replace(day=1) - dt.timedelta(days=1)
    last = LedgerRun.objects.filter(job=LedgerRun.Job.MONTH_STATEMENTS).order_by("-day").first()
    month_end = billing_cycle.last_day_of_month(last.day + dt.timedelta(days=1)) if last else latest
    issued = 0
    while month_end <= latest:
        with transaction.atomic():
            issued += len(close_month(month_end))
            LedgerRun.objects.create(job=LedgerRun.Job.MONTH_STATEMENTS, day=month_end)
        month_end = billing_cycle.last_day_of_month(month_end + dt.timedelta(days=1))
    return issued


# The ledger accounts of a close (`where`), locked; whether each has a statement of the period before;
# the id its statement will take (an account without one leaves a gap in the ids, as a rolled-back
# insert does): the close reads back nothing it wrote.
LOCK_SQL = """
SELECT l.id, l.program_account_id,
    l.program_account_id IN (SELECT program_account_id FROM ledger_statement WHERE period_end = %(previous_end)s),
    {next_id}
FROM ledger_ledgeraccount l WHERE {where} {for_update}
"""
LOCK_DIALECT = {
    # the sequence looked up once (an InitPlan), not once per row
    "postgresql": {
        "next_id": "nextval((SELECT pg_get_serial_sequence('ledger_statement', 'id')::regclass))",
        "for_update": "FOR UPDATE OF l",
        "locked": "l.id = ANY(%(locked)s)",
    },
    # no row locks: the transaction holds the database's write lock from its start (settings'
    # IMMEDIATE mode), so no other writer takes an id between this and the insert
    "sqlite": {
        "next_id": "(SELECT COALESCE(MAX(id), 0) FROM ledger_statement) + ROW_NUMBER() OVER (ORDER BY l.id)",
        "for_update": "",
        "locked": "{where}",
    },
}
HISTORY_SCAN_FROM = 1000  # accounts without a previous statement: above this, one scan of the history
IN_PERIOD = "e.effective_date >= %(start)s AND e.effective_date <= %(end)s"
CLOSE_SQL = """
WITH period AS (
    SELECT e.program_account_id AS account,
        COUNT(*) FILTER (WHERE {in_period}) AS entries,
        COALESCE(SUM(e.amount) FILTER (WHERE e.amount < 0 AND {in_period}), 0) AS credits,
        COALESCE(SUM(e.amount) FILTER (WHERE e.effective_date = %(on_day)s), 0) AS next_day,
        COALESCE(SUM(e.amount) FILTER (WHERE e.amount > 0 AND e.due_date >= %(on_day)s), 0) AS not_due,
        {kind_sums}
    FROM ledger_ledgerentry e
    WHERE (e.effective_date >= %(start)s AND e.effective_date <= %(on_day)s)
        OR (e.effective_date < %(start)s AND e.amount > 0 AND e.due_date >= %(on_day)s)
    GROUP BY e.program_account_id
), openings AS (
    SELECT account, opening FROM (
        SELECT program_account_id AS account, closing_balance AS opening,
            ROW_NUMBER() OVER (PARTITION BY program_account_id ORDER BY version DESC) AS latest
        FROM ledger_statement WHERE period_end = %(previous_end)s
    ) previous WHERE latest = 1
), history AS (
    SELECT program_account_id AS account, SUM(amount) AS opening FROM ledger_ledgerentry
    WHERE {{history_of}} AND effective_date < %(start)s
    GROUP BY program_account_id
), cleared AS (
    SELECT d.program_account_id AS account, SUM(a.amount) AS total
    FROM ledger_allocation a JOIN ledger_ledgerentry d ON d.id = a.debit_id
    WHERE d.due_date >= %(on_day)s AND d.effective_date <= %(on_day)s AND a.cleared_on <= %(on_day)s
    GROUP BY d.program_account_id
), versions AS (
    SELECT program_account_id AS account, MAX(version) AS version
    FROM ledger_statement WHERE period_end = %(end)s GROUP BY program_account_id
), figures AS (
    SELECT l.program_account_id AS account, COALESCE(v.version, 0) + 1 AS version,
        COALESCE(p.entries, 0) AS entries,
        COALESCE(o.opening, h.opening, 0) AS opening,
        {closing} AS closing,
        COALESCE(p.credits, 0) AS credits,
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
SELECT account, version, {{money:opening}}, {{money:closing}}, {{money:{{greatest:closing, 0}}}},
    {{money:{{greatest:closing + next_day - not_due + cleared, 0}}}}, entries, {{money:credits}}, {kind_texts}
FROM figures
""".format(
    in_period=IN_PERIOD,
    kind_sums=",\n".join(
        f"COALESCE(SUM(e.amount) FILTER (WHERE e.entry_type = '{kind}' AND {IN_PERIOD}), 0) AS k_{kind}"
        for kind in EntryType.values
    ),
    closing=" + ".join(["COALESCE(o.opening, h.opening, 0)", *(f"COALESCE(p.k_{k}, 0)" for k in EntryType.values)]),
    kind_columns=", ".join(f"COALESCE(p.k_{kind}, 0) AS k_{kind}" for kind in EntryType.values),
    kind_texts=", ".join(f"{{money:k_{kind}}}" for kind in EntryType.values),
)
# An amount as text with two decimals, and the larger of two, in each database's dialect.
MONEY = {"postgresql": "({})::numeric(15, 2)::text", "sqlite": "printf('%%.2f', {})"}
GREATEST = {"postgresql": "GREATEST({})", "sqlite": "MAX({})"}


def _dialect(sql: str) -> str:
    """CLOSE_SQL's {{money:…}} and {{greatest:…}} written for the connection's database."""
    money, greatest = MONEY[connection.vendor], GREATEST[connection.vendor]
    for marker, form in (("{greatest:", greatest), ("{money:", money)):
        while marker in sql:
            begin = sql.rindex(marker)
            close = sql.index("}", begin)
            sql = sql[:begin] + form.format(sql[begin + len(marker) : close]) + sql[close + 1 :]
    return sql


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

    def __eq__(self, other):
        return list(self) == list(other)

    __hash__ = None

    def __iter__(self):
        for start in range(0, len(self.ids), 2000):
            yield from Statement.objects.filter(pk__in=self.ids[start : start + 2000]).order_by("pk")


def _close(cursor, locked, where, params, statement_date, due_date) -> IssuedStatements:
    """The figures from one aggregate (as text), the content and its checksum built here, the
    statements written in one bulk insert with the ids the lock reserved; the ledger accounts marked
    closed through the period's end."""
    start, end = params["start"], params["end"]
    missing = [account for _pk, account, previous, _id in locked if not previous]
    # A few accounts without a previous statement sum their history through the account index;
    # many (a first close) in one scan of the history (the join keeps those missing).
    history_of = "TRUE" if len(missing) > HISTORY_SCAN_FROM else _in("program_account_id", "m", missing, params)
    kinds = EntryType.values
    # `canonical(content)` written out: keys sorted, no spaces; every value is digits, a sign and a point.
    template = (
        '{{"amount_due":"{amount_due}","closing_balance":"{closing}","credits_applied":"{credits}",'
        f'"due_date":"{due_date.isoformat()}","entries":{{entries}},"opening_balance":"{{opening}}",'
        f'"overdue":"{{overdue}}","period_end":"{end.isoformat()}","period_start":"{start.isoformat()}",'
        f'"program_account":{{account}},"statement_date":"{statement_date.isoformat()}","totals":{{{{'
        + ",".join(f'"{kind}":"{{{kind}}}"' for kind in sorted(kinds))
        + "}}}}"
    )
    issued_at = timezone.now()
    figures = _dialect(CLOSE_SQL).replace("{wanted}", where).replace("{history_of}", history_of)
    # closed_through only moves forward: a reissue of an earlier period leaves the later ones closed
    mark_closed = (
        "UPDATE ledger_ledgeraccount AS l SET closed_through = %(end)s "
        f"WHERE {where} AND (l.closed_through IS NULL OR l.closed_through < %(end)s)"
    )
    if connection.vendor == "postgresql":
        # One round trip (psycopg's client-side binding sends them together): work_mem keeps the wide
        # aggregate an in-memory hash; the update runs after the figures have been read.
        cursor.execute(f"SET LOCAL work_mem = '64MB'; {figures}; {mark_closed}", params)
        cursor.nextset()
        rows = cursor.fetchall()
    else:
        cursor.execute(figures, params)
        # float sums there: a tiny negative prints as -0.00
        rows = [["0.00" if value == "-0.00" else value for value in row] for row in cursor.fetchall()]
        cursor.execute(mark_closed, params)
    reserved = {account: statement_id for _pk, account, _previous, statement_id in locked}
    statements = []
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
        statements.append(
            [reserved[account], account, version, opening, closing, amount_due, overdue, document, checksum]
        )
    same = {"period_start": start, "period_end": end, "statement_date": statement_date, "due_date": due_date}
    bulk.insert_values(Statement, STATEMENT_COLUMNS, statements, same={**same, "issued_at": issued_at})
    return IssuedStatements(sorted(statement[0] for statement in statements))


def _in(column: str, prefix: str, values: list, params: dict) -> str:
    """`column IN (…)` with one named parameter a value, added to `params`."""
    names = [f"{prefix}{n}" for n in range(len(values))]
    params.update(zip(names, values, strict=True))
    return f"{column} IN ({', '.join(f'%({name})s' for name in names)})" if names else "FALSE"


STATEMENT_COLUMNS = [  # each statement's own (the period, dates and time of issue: one value for the close)
    "id", "program_account_id", "version", "opening_balance", "closing_balance", "amount_due", "overdue", "content",
    "checksum",
]  # fmt: skip


# How the statement adds up, in its order: the opening balance, these totals of the period, the closing balance.
SUMMARY_LINES = [
    (EntryType.ASSESSMENT, _("New assessments")),
    (EntryType.REVERSAL, _("Corrections and reversals")),
    (EntryType.INTEREST, _("Interest")),
    (EntryType.PENALTY, _("Penalties")),
    (EntryType.PAYMENT, _("Payments")),
    (EntryType.REFUND, _("Refunds")),
    (EntryType.OFFSET, _("Offsets and transfers")),
]


def statement_number(statement: Statement) -> str:
    """[DESIGN] The statement's number: the program account (BN15) and the period end; the version
    is shown beside it (a reissue keeps the number)."""
    return f"{statement.program_account.number}-{statement.period_end:%Y%m%d}"


def summary_lines(statement: Statement) -> list[tuple[str, Decimal]]:
    """(label, total of the period) for each kind of charge or credit, as the stored (sealed)
    content has them: opening balance + these = closing balance."""
    totals = statement.content.get("totals", {})
    return [(label, Decimal(totals.get(kind, "0"))) for kind, label in SUMMARY_LINES]


@dataclass
class InterestRun:
    """Consecutive days of interest at one rate: one line of the statement instead of a line a day."""

    first: dt.date
    last: dt.date
    days: int
    rate: str  # % a year, as the nightly run recorded it (the specified rate)
    principal: Decimal  # the overdue amount on the last day
    total: Decimal
    entries: list = field(default_factory=list)  # the daily entries it sums (the pay page ticks them as one)


def interest_runs(entries) -> list[InterestRun]:
    """The interest entries of `entries` (dated order) grouped into runs of consecutive days at one
    rate (a rate change or a day without interest starts a new run)."""
    runs: list[InterestRun] = []
    for entry in entries:
        if not _nightly_interest(entry):
            continue
        rate = entry.explanation.get("rate", "")
        principal = Decimal(entry.explanation.get("principal", "0"))
        current = runs[-1] if runs else None
        if current and current.rate == rate and entry.effective_date == current.last + dt.timedelta(days=1):
            current.last, current.days = entry.effective_date, current.days + 1
            current.principal, current.total = principal, current.total + entry.amount
        else:
            runs.append(InterestRun(entry.effective_date, entry.effective_date, 1, rate, principal, entry.amount))
        runs[-1].entries.append(entry)
    return runs


def document(statement: Statement) -> dict:
    """What the statement's page and PDF show: the importer, the statement's number, the summary
    with its arithmetic, interest by run, the transactions other than the daily interest, each with
    how it was computed (`why`)."""
    entries = list(statement_entries(statement).select_related("reverses"))
    for entry in entries:
        entry.why = explain.why(entry)
    return {
        "statement": statement,
        "account": statement.program_account,
        "business": statement.program_account.business,
        "number": statement_number(statement),
        "summary": summary_lines(statement),
        "interest_runs": interest_runs(entries),
        "entries": [entry for entry in entries if not _nightly_interest(entry)],
    }


def _nightly_interest(entry: LedgerEntry) -> bool:
    """A day of the nightly run (it records its rate): summarised by run. Interest on an adjustment
    or a recalculation stays a transaction of its own, with its why."""
    return entry.entry_type == EntryType.INTEREST and "rate" in (entry.explanation or {})


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

    html = render_to_string("ledger/statement_pdf.html", document(statement))
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
