"""The annual review (issue 19 item 5; CBSA bulletin 5404): on 20 October every importer RM account's
requirement is recalculated over 20 Oct–19 Oct; those whose requirement rose are told (audit
`security.review_increase`, which notifications turns into a notice) and have until 15 January
(settings.CARM_RPP_REVIEW_DEADLINE); RPP is suspended for those who miss it and reinstated when their
security is posted (services.reinstate_if_secured).

Set-based, in the database: one statement computes every reviewed account's figures (its status on
the day, its highest month from one GROUP BY over the ledger, the rules as rules.required_sql, its
previous requirement) into a temporary table; then, chunk by chunk, one INSERT … SELECT writes the
requirements that changed (an account whose figures stand keeps its requirement), and only those that
rose come back to Python, for their results and notices. Resumable and idempotent: a run is keyed by
its day and accounts are taken in id order; a chunk's writes and the run's `reached` (the last account
id done) commit together, and a run goes on after `reached`."""

import datetime as dt
from bisect import bisect_right
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from audit.services import record, record_many
from core import bulk

from . import rules, services
from .models import Basis, Enrolment, Requirement, ReviewResult, ReviewRun, RppStatus

CHUNK = 20000  # accounts a transaction: fewer commits (and notices batches) over 200,000 accounts
FIGURES = "security_review_figures"  # the temporary table of one run
COLUMNS = [
    "program_account_id", "effective_from", "basis", "period_start", "period_end", "highest_month",
    "highest_amount", "bond_amount", "cash_amount", "note", "recorded_at",
]  # fmt: skip


def _latest_sql(model, columns, day, inclusive):
    """SQL and parameters of each account's latest `model` row before (or on) `day`: its `columns`
    (program_account first), one row per account (a window)."""
    rows = model.objects.filter(**{"effective_from__lte" if inclusive else "effective_from__lt": day}).annotate(
        rank=Window(
            RowNumber(), partition_by=[F("program_account")], order_by=[F("effective_from").desc(), F("id").desc()]
        )
    )
    return rows.filter(rank=1).order_by().values_list("program_account", *columns).query.sql_with_params()


def _in_cents(column):
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def _compute_figures(cursor, day, start, end):
    """The temporary table FIGURES: per account enrolled (or suspended) in RPP on `day`, its highest
    month, the figures required for it and the previous requirement's, in whole cents."""
    status, status_params = _latest_sql(Enrolment, ["status"], day, inclusive=True)
    highest, highest_params = services.highest_months_sql(start, end)
    before, before_params = _latest_sql(Requirement, ["highest_amount", "bond_amount", "cash_amount"], day, False)
    # An account with nothing dutiable in the period owes no security (it is no new importer): 0 cents.
    highest_sql, bond_sql, cash_sql = rules.required_sql(f"COALESCE({_in_cents('h.total')}, 0)")
    cursor.execute(f"DROP TABLE IF EXISTS {FIGURES}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {FIGURES} AS SELECT e.program_account AS account, h.month AS month, "
        f"{highest_sql} AS highest, {bond_sql} AS bond, {cash_sql} AS cash, "
        f"{_in_cents('p.highest_amount')} AS was_highest, {_in_cents('p.bond_amount')} AS was_bond, "
        f"{_in_cents('p.cash_amount')} AS was_cash "
        f"FROM ({status}) AS e LEFT JOIN ({highest}) AS h ON h.program_account = e.program_account "
        f"LEFT JOIN ({before}) AS p ON p.program_account = e.program_account WHERE e.status IN (%s, %s)",
        [*status_params, *highest_params, *before_params, RppStatus.ENROLLED, RppStatus.SUSPENDED],
    )
    cursor.execute(f"CREATE INDEX {FIGURES}_account ON {FIGURES} (account)")  # a chunk's range
    cursor.execute(f"SELECT account FROM {FIGURES} ORDER BY account")
    return [account for (account,) in cursor.fetchall()]


def _risen(cursor) -> dict[int, tuple]:
    """{account: (bond, cash, previous bond)} of the accounts whose bond rose, in cents."""
    cursor.execute(f"SELECT account, bond, cash, was_bond FROM {FIGURES} WHERE bond > COALESCE(was_bond, 0)")
    return {account: figures for account, *figures in cursor.fetchall()}


def annual_review(day: dt.date, progress=None) -> ReviewRun:
    """Review every enrolled account on `day`; `progress(done, total)` is called after each chunk."""
    start, end = rules.review_period(day)
    run, _created = ReviewRun.objects.get_or_create(
        day=day, defaults={"period_start": start, "period_end": end, "due_by": rules.review_deadline(day)}
    )
    if run.finished_at is not None:
        if progress:
            progress(run.done, run.total)
        return run
    with connection.cursor() as cursor:
        try:
            accounts = _compute_figures(cursor, day, start, end)
            risen = _risen(cursor)
            done = bisect_right(accounts, run.reached)  # accounts a stopped run already reviewed
            ReviewRun.objects.filter(pk=run.pk).update(total=len(accounts))
            for index in range(done, len(accounts), CHUNK):
                chunk = accounts[index : index + CHUNK]
                done += len(chunk)
                with transaction.atomic():
                    rose = [(account, *risen[account]) for account in chunk if account in risen]
                    _review_chunk(cursor, run, chunk[0], chunk[-1], rose, day, start, end)
                    ReviewRun.objects.filter(pk=run.pk).update(done=done, reached=chunk[-1])
                if progress:
                    progress(done, len(accounts))
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {FIGURES}")
    ReviewRun.objects.filter(pk=run.pk).update(done=done, finished_at=timezone.now())
    after = {"day": day.isoformat(), "accounts": len(accounts)}
    record("security.review_run", after=after, actor_label="annual review")
    run.refresh_from_db()
    return run


def _dollars(cents) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _review_chunk(cursor, run, first, last, rose, day, start, end):
    """The requirements that changed among accounts `first`..`last`, written by the database; the
    results and notices of those that `rose` ((account, bond, cash, previous bond) in cents)."""
    cursor.execute(
        f"INSERT INTO {Requirement._meta.db_table} ({', '.join(COLUMNS)}) "
        f"SELECT account, %s, %s, %s, %s, month, highest / 100.0, bond / 100.0, cash / 100.0, '', %s FROM {FIGURES} "
        "WHERE account BETWEEN %s AND %s "
        "AND (was_bond IS NULL OR highest <> was_highest OR bond <> was_bond OR cash <> was_cash)",
        [day, Basis.REVIEW, start, end, timezone.now(), first, last],
    )
    bulk.insert_rows(
        ReviewResult,
        [
            {
                "run_id": run.pk,
                "program_account_id": account,
                "previous_bond": None if before is None else _dollars(before),
                "bond_amount": _dollars(bond),
                "rose": True,
            }
            for account, bond, _cash, before in rose
        ],
    )
    if rose:
        record_many(
            [
                {
                    "action": "security.review_increase",
                    "actor_label": "annual review",
                    "after": {
                        "account": account,
                        "bond_amount": str(_dollars(bond)),
                        "cash_amount": str(_dollars(cash)),
                        "previous": None if before is None else str(_dollars(before)),
                        "due_by": run.due_by.isoformat(),
                    },
                }
                for account, bond, cash, before in rose
            ]
        )


def enforce_deadlines(day: dt.date) -> int:
    """Suspend RPP of the accounts whose requirement rose at a review whose deadline passed before
    `day`, and whose security still falls short; idempotent (a suspended account is not suspended
    again). The number suspended."""
    suspended = 0
    due = ReviewResult.objects.filter(run__due_by__lt=day, rose=True, suspended_on__isnull=True).select_related(
        "program_account", "run"
    )
    for result in due.iterator():
        account = result.program_account
        if services.status_of(account, day) != RppStatus.ENROLLED:
            continue
        if services.covered(services.requirement_of(account, day), services.posted(account, day)) >= 1:
            ReviewResult.objects.filter(pk=result.pk).update(suspended_on=None)
            continue
        services._set_status(
            account,
            RppStatus.SUSPENDED,
            f"security not posted by the review deadline of {result.run.due_by.isoformat()}",
            day=day,
        )
        ReviewResult.objects.filter(pk=result.pk).update(suspended_on=day)
        suspended += 1
    return suspended
