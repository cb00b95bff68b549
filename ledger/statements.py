"""Statements of account (closing a billing period) and daily notices.

A statement covers the entries dated in its billing period. post_entry never dates an entry inside
a closed period, so an issued statement's lines can always be listed again from the entries
(`statement_entries`); the stored content holds the figures and its SHA-256 seals them."""

import csv
import datetime as dt
import hashlib
import io
import json

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import record

from . import balances, billing_cycle
from .balances import ZERO, cents
from .models import DailyNotice, EntryType, LedgerAccount, LedgerEntry, Statement
from .services import holiday_calendar


def checksum(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


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
    ledgers = LedgerAccount.objects.select_for_update()
    if accounts is not None:
        ledgers = ledgers.filter(program_account__in=accounts)
    if not reissue:
        ledgers = ledgers.filter(Q(closed_through__isnull=True) | Q(closed_through__lt=end))
    with transaction.atomic():  # the row locks make a concurrent close wait, then find nothing left
        ids = list(ledgers.values_list("program_account_id", flat=True))
        if not ids:
            return []
        in_period = {"effective_date__gte": start}
        totals = (
            LedgerEntry.objects.filter(program_account__in=ids, effective_date__lte=end)
            .values("program_account")
            .annotate(
                opening=_sum(effective_date__lt=start),
                count=Count("id", filter=Q(**in_period)),
                credits=_sum(amount__lt=0, **in_period),
                **{kind: _sum(entry_type=kind, **in_period) for kind in EntryType.values},
            )
            .order_by()
        )
        overdue = balances.overdue(ids, end + dt.timedelta(days=1))
        versions = dict(
            Statement.objects.filter(program_account__in=ids, period_end=end)
            .values_list("program_account")
            .annotate(Max("version"))
            .order_by()
        )
        issued_at = timezone.now()
        statements = []
        for row in totals:
            account = row["program_account"]
            row.update({key: cents(row[key]) for key in ["opening", "credits", *EntryType.values]})
            closing = row["opening"] + sum(row[kind] for kind in EntryType.values)
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
                "totals": {kind: str(row[kind]) for kind in EntryType.values},
                "amount_due": str(max(closing, ZERO)),
                "overdue": str(overdue[account]),
            }
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
                    checksum=checksum(content),
                    issued_at=issued_at,
                )
            )
        Statement.objects.bulk_create(statements, batch_size=2000)
        LedgerAccount.objects.filter(program_account__in=ids).update(closed_through=end)
        record(
            "ledger.period_closed",
            after={"period_end": end.isoformat(), "statements": len(statements), "reissue": reissue},
        )
    return statements


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
