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
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from audit.services import record, record_many
from businesses.models import ProgramAccount
from core import bulk
from registry.bn import Program

from . import rules, services
from .models import Basis, Enrolment, Requirement, ReviewResult, ReviewRun, RppStatus

CHUNK = 5000


def _reviewed_accounts():
    """Importer RM accounts enrolled (or suspended) in RPP: the review is theirs."""
    latest = Enrolment.objects.filter(program_account=OuterRef("pk")).order_by("-effective_from", "-id")
    return (
        ProgramAccount.objects.filter(program=Program.IMPORT_EXPORT)
        .annotate(rpp=Subquery(latest.values("status")[:1]))
        .filter(rpp__in=[RppStatus.ENROLLED, RppStatus.SUSPENDED])
    )


def _previous_bonds(day):
    latest = Requirement.objects.filter(program_account=OuterRef("pk"), effective_from__lt=day).order_by(
        "-effective_from", "-id"
    )
    return ProgramAccount.objects.annotate(bond=Subquery(latest.values("bond_amount")[:1]))


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
    accounts = _reviewed_accounts()
    done_ids = set(run.results.values_list("program_account", flat=True))
    todo = [pk for pk in accounts.values_list("pk", flat=True).order_by("pk") if pk not in done_ids]
    total = len(done_ids) + len(todo)
    ReviewRun.objects.filter(pk=run.pk).update(total=total)
    highest = services.highest_months(start, end)  # one GROUP BY over the ledger for every account
    done = len(done_ids)
    for index in range(0, len(todo), CHUNK):
        chunk = todo[index : index + CHUNK]
        _review_chunk(run, chunk, highest, day, start, end)
        done += len(chunk)
        ReviewRun.objects.filter(pk=run.pk).update(done=done)
        if progress:
            progress(done, total)
    ReviewRun.objects.filter(pk=run.pk).update(done=done, finished_at=timezone.now())
    record("security.review_run", after={"day": day.isoformat(), "accounts": total}, actor_label="annual review")
    run.refresh_from_db()
    return run


def _review_chunk(run, chunk, highest, day, start, end):
    previous = dict(_previous_bonds(day).filter(pk__in=chunk).values_list("pk", "bond"))
    requirements, results, told = [], [], []
    for pk in chunk:
        # An account with nothing dutiable in the period owes no security (it is no new importer).
        row = services.requirement_row(pk, day, Basis.REVIEW, start, end, highest.get(pk, (None, rules.ZERO)))
        before = previous.get(pk)
        rose = before is not None and row.bond_amount > before or before is None and row.bond_amount > 0
        requirements.append(row)
        results.append(
            ReviewResult(run=run, program_account_id=pk, previous_bond=before, bond_amount=row.bond_amount, rose=rose)
        )
        if rose:
            told.append(
                {
                    "action": "security.review_increase",
                    "actor_label": "annual review",
                    "after": {
                        "account": pk,
                        "bond_amount": str(row.bond_amount),
                        "cash_amount": str(row.cash_amount),
                        "previous": str(before) if before is not None else None,
                        "due_by": run.due_by.isoformat(),
                    },
                }
            )
    with transaction.atomic():
        bulk.insert(Requirement, requirements)
        bulk.insert(ReviewResult, results)
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
