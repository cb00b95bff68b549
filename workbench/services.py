"""The officer's work: appointments, client search and notes, support requests, queue assignment and
job runs. Each service checks the officer action itself (views, API and tasks call the same ones)
and audits what it did with the officer's reason."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from businesses.models import Business
from core.transitions import transition
from rights import Action, OfficerRole
from rights.models import OfficerAppointment

from . import extensions
from .models import Assignment, OfficerNote, Run, SupportRequest

SEARCH_LIMIT = 50
BN15 = re.compile(r"\d{9}[A-Z]{2}\d{4}")  # a program account number: BN9, program identifier, reference


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason: every officer action is recorded with one."), code="reason")
    return reason


# --- appointments ----------------------------------------------------------------------------------


def appoint(user, role: str, *, by, reason: str, request=None) -> OfficerAppointment:
    """Appoint a CBSA employee to an officer role (a staff user: the appointment makes them one)."""
    rights.require(by, Action.APPOINT_OFFICERS, request=request)
    reason = _reason(reason)
    if role not in OfficerRole.values:
        raise ValidationError(_("Choose an officer role."), code="role")
    try:
        with transaction.atomic():
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            appointment = OfficerAppointment.objects.create(user=user, role=role, reason=reason, appointed_by=by)
    except IntegrityError:
        raise ValidationError(_("This person already holds this officer role."), code="duplicate") from None
    record(
        "officer.appointed",
        actor=by,
        request=request,
        obj=appointment,
        after={"user": user.email, "role": role, "reason": reason},
    )
    return appointment


def end_appointment(appointment: OfficerAppointment, *, by, reason: str, request=None) -> None:
    """End an appointment (kept, never deleted). A supervisor cannot end their own supervisor role:
    someone else must, so the workbench never loses its last supervisor by a slip."""
    rights.require(by, Action.APPOINT_OFFICERS, request=request)
    reason = _reason(reason)
    if appointment.user_id == by.pk and appointment.role == OfficerRole.SUPERVISOR:
        raise ValidationError(_("Another supervisor must end your supervisor role."), code="own_role")
    changed = OfficerAppointment.objects.filter(pk=appointment.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=by
    )
    if not changed:
        raise ValidationError(_("This appointment has already ended."), code="ended")
    record(
        "officer.appointment_ended",
        actor=by,
        request=request,
        obj=appointment,
        after={"user": appointment.user.email, "role": appointment.role, "reason": reason},
    )


# --- client 360 ------------------------------------------------------------------------------------


def search_clients(who, query: str):
    """Businesses by BN9 (or its first digits), BN15 (its BN9: 123456782RM0001) or name."""
    rights.require(who, Action.VIEW_CLIENTS)
    compact, businesses = "".join(query.split()), Business.objects.visible_to(who)
    if not compact:
        return businesses.none()
    if BN15.fullmatch(compact.upper()):
        return businesses.filter(bn9=compact[:9])
    if compact.isdigit():
        return businesses.filter(bn9__startswith=compact)
    name = query.strip()
    return businesses.filter(Q(legal_name__icontains=name) | Q(operating_name__icontains=name))[:SEARCH_LIMIT]


def add_note(business, text: str, *, by, request=None) -> OfficerNote:
    rights.require(by, Action.VIEW_CLIENTS, request=request)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note."), code="empty")
    note = OfficerNote.objects.create(business=business, text=text, written_by=by)
    record(
        "officer.note_added", actor=by, request=request, obj=note, actor_business="", after={"business": business.bn9}
    )
    return note


def viewed_client(business, *, request) -> None:
    """An officer opening a client's 360 is recorded: who looked at whose data, and when."""
    record("officer.client_viewed", actor=request.user, request=request, obj=business, actor_business="")


# --- support requests ------------------------------------------------------------------------------


def ask(*, user, subject: str, question: str, kind=SupportRequest.Kind.QUESTION, bn9: str = "", request=None):
    business = Business.objects.filter(bn9=bn9).first() if bn9 else None
    if business is not None and not rights.held(Business.objects.filter(pk=business.pk), user).exists():
        business = None  # a business the person does not belong to is named by its number only
    support = SupportRequest.objects.create(
        kind=kind, business=business, bn9=bn9, subject=subject, question=question, asked_by=user
    )
    record("support.asked", actor=user, request=request, obj=support, after={"kind": kind, "bn9": bn9})
    return support


def answer(support: SupportRequest, text: str, *, by, request=None) -> None:
    rights.require(by, Action.ANSWER_SUPPORT, request=request)
    text = _reason(text)
    transition(
        SupportRequest,
        support.pk,
        SupportRequest.Status.OPEN,
        SupportRequest.Status.ANSWERED,
        answer=text,
        answered_by=by,
        answered_at=timezone.now(),
    )
    record("support.answered", actor=by, request=request, obj=support, after={"answer": text})


# --- queues ----------------------------------------------------------------------------------------


def queue_items(key: str, who, today: dt.date | None = None) -> list[dict]:
    """The open items of a queue with their deadline, days left and assigned officer."""
    rights.require(who, Action.VIEW_CLIENTS)
    queue = extensions.queues[key]
    today = today or timezone.localdate()
    items = list(queue.items())
    assigned = {
        a.item: a.officer for a in Assignment.objects.filter(queue=key, ended_at__isnull=True).select_related("officer")
    }
    rows = []
    for item in items:
        deadline, opened = _day(queue.deadline(item)), _day(queue.opened(item))
        item_key = queue.key_of(item)
        rows.append(
            {
                "key": item_key,
                "title": queue.title(item),
                "link": queue.link(item),
                "opened": opened,
                "age": (today - opened).days if opened else None,
                "deadline": deadline,
                "days_left": (deadline - today).days if deadline else None,
                "officer": assigned.get(item_key),
            }
        )
    return sorted(rows, key=lambda row: (row["deadline"] is None, row["deadline"] or today, row["key"]))


def _day(value) -> dt.date | None:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def queue_summary(who, today: dt.date | None = None) -> list[dict]:
    """Each queue the officer may see: open items, overdue ones, and the share within the standard."""
    summary = []
    for key, queue in extensions.queues.items():
        rows = queue_items(key, who, today)
        overdue = sum(1 for row in rows if row["days_left"] is not None and row["days_left"] < 0)
        summary.append({"queue": queue, "open": len(rows), "overdue": overdue, "mine": _mine(rows, who)})
    return summary


def _mine(rows, who) -> int:
    user = rights.actor_of(who).user
    return sum(1 for row in rows if row["officer"] == user)


def assign(key: str, items: list[str], officer, *, by, reason: str, request=None) -> int:
    """Assign (or re-assign) items of a queue to an officer, in bulk; returns how many changed hands.
    The officer must hold the queue's action: work goes to someone who may do it."""
    rights.require(by, Action.ASSIGN_WORK, request=request)
    reason = _reason(reason)
    queue = extensions.queues[key]
    if not rights.may(officer, queue.action):
        raise ValidationError(_("This officer's roles do not include this queue's work."), code="officer_role")
    open_keys = {queue.key_of(item) for item in queue.items()}
    unknown = set(items) - open_keys
    if unknown or not items:
        raise ValidationError(_("Choose items that are still open in this queue."), code="items")
    now = timezone.now()
    changed = []
    with transaction.atomic():
        current = Assignment.objects.select_for_update().filter(queue=key, item__in=items, ended_at__isnull=True)
        kept = set(current.filter(officer=officer).values_list("item", flat=True))
        current.exclude(officer=officer).update(ended_at=now)
        for item in sorted(set(items) - kept):
            changed.append(Assignment(queue=key, item=item, officer=officer, reason=reason, assigned_by=by))
        Assignment.objects.bulk_create(changed)
    if changed:
        record(
            "officer.work_assigned",
            actor=by,
            request=request,
            actor_business="",
            after={"queue": key, "items": [a.item for a in changed], "officer": officer.email, "reason": reason},
        )
    return len(changed)


def decide_many(key: str, items: list[str], approve: bool, *, by, reason: str, request=None) -> list[dict]:
    """One decision (approve or reject, one reason) on the selected items of a queue whose decision is
    uniform. Each item goes through the queue's own single-decision service, which checks, posts and
    audits it in its own transaction: an item it refuses (decided meanwhile, a debt remaining...) is
    reported with its reason and does not stop the others. Returns one row per item."""
    queue = extensions.queues[key]
    if queue.decide is None:
        raise ValidationError(_("The items of this queue are decided one at a time."), code="no_bulk")
    rights.require(by, queue.action, request=request)
    reason = _reason(reason)
    if not items:
        raise ValidationError(_("Choose items that are still open in this queue."), code="items")
    still_open = {queue.key_of(item): item for item in queue.items()}
    results = []
    for item_key in dict.fromkeys(items):  # each once, in the order chosen
        item = still_open.get(item_key)
        row = {"key": item_key, "title": queue.title(item) if item is not None else item_key, "error": ""}
        try:
            if item is None:
                raise ValidationError(_("This item is no longer open in this queue."), code="not_open")
            queue.decide(item, approve, by, reason, request)
        except ValidationError as error:
            row["error"] = " ".join(str(message) for message in error.messages)
        results.append(row)
    record(
        "officer.bulk_decided",
        actor=by,
        request=request,
        actor_business="",
        after={
            "queue": key,
            "decision": "approve" if approve else "reject",
            "reason": reason,
            "decided": [row["key"] for row in results if not row["error"]],
            "refused": {row["key"]: row["error"] for row in results if row["error"]},
        },
    )
    return results


def officers_for(queue) -> list:
    """Officers who may work a queue (for the assignment form)."""
    appointed = OfficerAppointment.objects.filter(ended_at__isnull=True, user__is_staff=True, user__is_active=True)
    users = {a.user for a in appointed.select_related("user")}
    return sorted((u for u in users if rights.may(u, queue.action)), key=lambda u: u.email)


# --- runs ------------------------------------------------------------------------------------------


def launch(job_key: str, day: dt.date, *, by, reason: str, request=None) -> Run:
    """A run of a registered job, executed by the Celery task once the launch is committed."""
    from .tasks import execute  # the task module imports this one

    rights.require(by, Action.RUN_JOBS, request=request)
    reason = _reason(reason)
    if job_key not in extensions.jobs:
        raise ValidationError(_("Choose a job."), code="job")
    run = Run.objects.create(job=job_key, day=day, reason=reason, launched_by=by)
    record(
        "run.launched",
        actor=by,
        request=request,
        obj=run,
        actor_business="",
        after={"job": job_key, "day": day.isoformat(), "reason": reason},
    )
    transaction.on_commit(lambda: execute.delay(run.pk))
    return run


def scheduled_run(job_key: str, today: dt.date | None = None) -> Run:
    """The beat's run of a job: a Run row like an officer's launch, launched by no one, for the day the
    job works for when run on `today`; executed by the caller (the beat's task) at once."""
    job = extensions.jobs[job_key]
    day = job.day_of(today or timezone.localdate())
    run = Run.objects.create(job=job_key, day=day, reason="")
    record(
        "run.scheduled",
        obj=run,
        actor_label="Celery beat",
        actor_business="",
        after={"job": job_key, "day": day.isoformat()},
    )
    return run


def execute_run(run_pk: int) -> Run:
    """Run a job, feeding its progress into the Run row (each update committed on its own, so the
    progress bar sees it) and keeping its result or error."""
    run = Run.objects.get(pk=run_pk)
    transition(Run, run.pk, Run.Status.QUEUED, Run.Status.RUNNING)
    job = extensions.jobs[run.job]

    def progress(done: int, total: int) -> None:
        Run.objects.filter(pk=run.pk).update(done=done, total=total)

    try:
        count = extensions.counted(job.run(run.day, progress=progress))
    except Exception as error:  # a job's failure is the run's outcome: shown to the officer, not lost
        message = f"{type(error).__name__}: {error}"
        transition(Run, run.pk, Run.Status.RUNNING, Run.Status.FAILED, error=message, finished_at=timezone.now())
        record("run.failed", actor=run.launched_by, obj=run, after={"job": run.job, "error": message[:500]})
    else:
        transition(Run, run.pk, Run.Status.RUNNING, Run.Status.DONE, count=count, finished_at=timezone.now())
        record("run.finished", actor=run.launched_by, obj=run, after={"job": run.job, "count": count})
    run.refresh_from_db()
    return run
