"""The annual review (issue 19 item 5; CBSA bulletin 5404): on 20 October every importer RM account's
requirement is recalculated over 20 Oct–19 Oct; those whose requirement rose are told (audit
`security.review_increase`, which notifications turns into a notice) and have until 15 January
(settings.CARM_RPP_REVIEW_DEADLINE); RPP is suspended for those who miss it and reinstated when their
security is posted (services.reinstate_if_secured).

Set-based: the highest months of all accounts come from one GROUP BY over the ledger; the accounts'
previous requirements from one query; results and requirements are written in bulk, in chunks.
Resumable and idempotent: a run is keyed by its day; accounts with a result are skipped."""

import datetime as dt

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from audit.services import record, record_many
from core import bulk

from . import rules, services
from .models import Basis, Enrolment, Requirement, ReviewResult, ReviewRun, RppStatus

CHUNK = 20000  # accounts a transaction: fewer commits (and notices batches) over 200,000 accounts
# A review requirement's columns (as services.requirement_values sets them, then recorded_at): written as
# COPY's text (core.bulk.insert_values), no value adapted: 200,000 rows in a third of insert_rows' time.
COLUMNS = [
    "program_account_id", "effective_from", "basis", "period_start", "period_end", "highest_month",
    "highest_amount", "bond_amount", "cash_amount", "note", "recorded_at",
]  # fmt: skip


def _latest(model, value, day, inclusive, convert=str):
    """{account id: `value` of its latest `model` row before (or on) `day`, as `convert` reads it}: one
    query, a window, its rows as the driver gives them (services.raw_rows)."""
    rows = model.objects.filter(**{"effective_from__lte" if inclusive else "effective_from__lt": day}).annotate(
        rank=Window(
            RowNumber(), partition_by=[F("program_account")], order_by=[F("effective_from").desc(), F("id").desc()]
        )
    )
    return {
        pk: convert(found) for pk, found in services.raw_rows(rows.filter(rank=1).values_list("program_account", value))
    }


def _reviewed_accounts(day) -> list[int]:
    """Importer RM accounts enrolled (or suspended) in RPP on `day`: the review is theirs."""
    status = _latest(Enrolment, "status", day, inclusive=True)
    return sorted(pk for pk, rpp in status.items() if rpp in (RppStatus.ENROLLED, RppStatus.SUSPENDED))


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
    reviewed = Requirement.objects.filter(effective_from=day, basis=Basis.REVIEW)
    done_ids = set(reviewed.values_list("program_account", flat=True))
    todo = [pk for pk in _reviewed_accounts(day) if pk not in done_ids]
    total = len(done_ids) + len(todo)
    ReviewRun.objects.filter(pk=run.pk).update(total=total)
    highest = services.highest_months(start, end)  # one GROUP BY over the ledger for every account
    previous = _latest(Requirement, "bond_amount", day, inclusive=False, convert=services.db_money)
    done = len(done_ids)
    for index in range(0, len(todo), CHUNK):
        chunk = todo[index : index + CHUNK]
        _review_chunk(run, chunk, highest, previous, day, start, end)
        done += len(chunk)
        ReviewRun.objects.filter(pk=run.pk).update(done=done)
        if progress:
            progress(done, total)
    ReviewRun.objects.filter(pk=run.pk).update(done=done, finished_at=timezone.now())
    record("security.review_run", after={"day": day.isoformat(), "accounts": total}, actor_label="annual review")
    run.refresh_from_db()
    return run


def _review_chunk(run, chunk, highest, previous, day, start, end):
    """Requirements of `chunk` (account ids), and results of those that rose, written with COPY
    (core.bulk), no model built. An account's review requirement marks it done (resuming skips it)."""
    now = timezone.now()
    requirements, results, told = [], [], []
    for pk in chunk:
        # An account with nothing dutiable in the period owes no security (it is no new importer).
        month, total = highest.get(pk, (None, rules.ZERO))
        figures = rules.required(total)
        before = previous.get(pk)
        rose = figures.bond > (before if before is not None else rules.ZERO)
        requirements.append(
            [pk, day, Basis.REVIEW, start, end, month, figures.highest, figures.bond, figures.cash, "", now]
        )
        if rose:
            results.append(
                {
                    "run_id": run.pk,
                    "program_account_id": pk,
                    "previous_bond": before,
                    "bond_amount": figures.bond,
                    "rose": True,
                }
            )
            told.append(
                {
                    "action": "security.review_increase",
                    "actor_label": "annual review",
                    "after": {
                        "account": pk,
                        "bond_amount": str(figures.bond),
                        "cash_amount": str(figures.cash),
                        "previous": str(before) if before is not None else None,
                        "due_by": run.due_by.isoformat(),
                    },
                }
            )
    with transaction.atomic():
        bulk.insert_values(Requirement, COLUMNS, requirements)
        bulk.insert_rows(ReviewResult, results)
        if told:
            record_many(told)


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
