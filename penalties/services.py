"""Notices of penalty assessment (AMPS), their escalation by the client's history, the automatic
late-accounting run with its outage relief, officers' manual assessments and cancellations, and
declared outages. Every penalty posts through ledger.posting; every act is audited."""

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from core.queues import QueueItem
from core.transitions import move
from declarations import timing
from declarations.models import DeclarationVersion, Status
from ledger import posting
from ledger.models import EntryType, LedgerEntry
from rights import Action

from . import catalogue
from .models import NoticeStatus, Outage, PenaltyNotice, PenaltyRun

# Outage relief: no late-accounting penalty for a deadline during a declared outage or within two
# hours after it ends (issue 24 item 6; CARM outage practice as the issue states it: not verified
# at a CBSA source, see the report).
OUTAGE_RELIEF = dt.timedelta(hours=2)
APPEAL_DAYS = 90  # Customs Act s.129(1): "within 90 days after ... the service of a notice"
LATE_ACCOUNTING = ("C288", "C292")


class PenaltyError(ValidationError):
    """A refusal with a field and a code (pages show the message; the API its JSON)."""

    def __init__(self, field: str, code: str, message):
        super().__init__(message, code=code)
        self.field = field


# --- escalation ------------------------------------------------------------------------------------


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return day.replace(year=year, month=month, day=min(day.day, last))


def level_for(program_account, code: str, occurred_on: dt.date) -> int:
    """The occurrence level of a new `code` contravention by the same business: one above the last
    notice of that code charged within the retention period before it (AMPS "Retention period"),
    up to the last level ("3rd and subsequent"); 1 when there is none. Level 1 does not become
    level 2 within the delay the contravention's footnote sets (C005: "will not escalate the
    penalty level to level two unless 30 days have transpired from when the first NPA was issued")."""
    contravention = catalogue.get(code)
    history = list(
        PenaltyNotice.objects.filter(
            program_account__business=program_account.business,
            contravention=code,
            occurred_on__gt=_months_before(occurred_on, contravention.retention_months),
            occurred_on__lte=occurred_on,
            status__in=(NoticeStatus.ISSUED, NoticeStatus.REDUCED),
        ).order_by("occurred_on", "pk")
    )
    if not history:
        return 1
    last = history[-1]
    if last.level == 1 and contravention.escalation_delay_days:
        first = next(notice for notice in history if notice.level == 1)
        if (occurred_on - first.issued_on).days < contravention.escalation_delay_days:
            return 1
    return min(last.level + 1, len(contravention.amounts))


# --- notices ---------------------------------------------------------------------------------------


def _number() -> str:
    return f"NPA-{secrets.token_hex(5).upper()}"


@dataclass
class Raise:
    """What a notice is raised for (automatic or manual)."""

    program_account: object
    submitted_by_business: object
    code: str
    occurred_on: dt.date
    source_key: str
    transaction_number: str = ""
    reason: str = ""
    details: dict | None = None
    outage: Outage | None = None


def _posting(notice: PenaltyNotice, officer) -> dict:
    contravention = catalogue.get(notice.contravention)
    return {
        "program_account": notice.program_account,
        "entry_type": EntryType.PENALTY,
        "amount": notice.amount,
        "effective_date": notice.issued_on,
        "source_key": notice.source_key,
        "transaction_number": notice.transaction_number,
        "reference": notice.contravention,
        "description": f"Penalty (AMPS {notice.contravention}), notice {notice.number}",
        "submitted_by_business": notice.submitted_by_business,
        "explanation": {
            "contravention": notice.contravention,
            "notice": notice.number,
            "level": notice.level,
            "occurred_on": notice.occurred_on.isoformat(),
            "rule": contravention.legal_reference,
            **(notice.details or {}),
        },
        "posted_by": officer,
    }


def issue(raises: list[Raise], *, issued_on: dt.date, officer=None, request=None) -> list[PenaltyNotice]:
    """Notices for `raises`, each at the level the client's history gives, posted to the ledger in
    one call (one audit entry per penalty, which notifies the client); one with an `outage` is
    recorded as waived and posts nothing. Idempotent: a source key already raised on the account
    returns its notice."""
    with transaction.atomic():
        existing = {
            (notice.program_account_id, notice.source_key): notice
            for notice in PenaltyNotice.objects.filter(
                program_account__in={r.program_account.pk for r in raises},
                source_key__in={r.source_key for r in raises},
            )
        }
        result, new = [], []
        for item in raises:
            key = (item.program_account.pk, item.source_key)
            if key not in existing:
                level = level_for(item.program_account, item.code, item.occurred_on)
                existing[key] = notice = PenaltyNotice(
                    number=_number(),
                    program_account=item.program_account,
                    submitted_by_business=item.submitted_by_business,
                    contravention=item.code,
                    level=level,
                    amount=catalogue.get(item.code).amount(level),
                    status=NoticeStatus.WAIVED if item.outage else NoticeStatus.ISSUED,
                    source_key=item.source_key,
                    transaction_number=item.transaction_number,
                    occurred_on=item.occurred_on,
                    issued_on=issued_on,
                    reason=item.reason,
                    details=item.details or {},
                    waived_by_outage=item.outage,
                    assessed_by=officer,
                )
                notice.save()  # saved one by one: the next one's level counts it
                new.append(notice)
            result.append(existing[key])
        charged = [notice for notice in new if notice.status == NoticeStatus.ISSUED]
        entries = posting.post_entries([_posting(notice, officer) for notice in charged], request=request)
        for notice, entry in zip(charged, entries, strict=True):
            notice.ledger_entry, notice.due_date = entry, entry.due_date
            notice.save(update_fields=["ledger_entry", "due_date"])
        for notice in new:
            record(
                "penalties.notice_waived" if notice.status == NoticeStatus.WAIVED else "penalties.notice_issued",
                actor=officer,
                request=request,
                obj=notice,
                after=_audited(notice),
            )
    return result


def _audited(notice: PenaltyNotice) -> dict:
    return {
        "number": notice.number,
        "account": notice.program_account.number,
        "contravention": notice.contravention,
        "level": notice.level,
        "amount": str(notice.amount),
        "status": notice.status,
        "source": notice.source_key,
        "outage": notice.waived_by_outage_id,
    }


def assess(
    officer, program_account, code: str, *, occurred_on: dt.date, reference: str, reason: str, request=None, today=None
):
    """An officer's manual assessment (Customs Act s.109.3(1): "may be assessed by an officer"):
    a contravention of the catalogue, a reference (the document it is for; one notice per
    contravention and reference) and the reason. Officers holding ASSESS_PENALTIES only."""
    rights.require(request or officer, Action.ASSESS_PENALTIES, request=request)
    officer, today = rights.actor_of(officer).user, today or timezone.localdate()  # `officer` may be a request
    if code not in catalogue.contraventions():
        raise PenaltyError("contravention", "unknown_contravention", _("Choose a contravention of the catalogue."))
    if not str(reason or "").strip():
        raise PenaltyError("reason", "reason_required", _("Give the reason for the penalty."))
    if not str(reference or "").strip():
        raise PenaltyError("reference", "reference_required", _("Name the document the penalty is for."))
    if occurred_on > today:
        raise PenaltyError("occurred_on", "future_date", _("This day is still to come."))
    item = Raise(
        program_account=program_account,
        submitted_by_business=program_account.business,
        code=code,
        occurred_on=occurred_on,
        source_key=f"{code}:{str(reference).strip()[:60]}",
        reason=str(reason).strip(),
    )
    [notice] = issue([item], issued_on=today, officer=officer, request=request)
    return notice


def relieve(notice: PenaltyNotice, amount: Decimal, *, officer, reason: str, request=None, today=None) -> PenaltyNotice:
    """Take back `amount` of a charged notice (the whole of it: cancelled; part: reduced), by a
    credit through the ledger. Officers who assess penalties or decide appeals (an appeal allowed)."""
    if not (
        rights.may(request or officer, Action.ASSESS_PENALTIES) or rights.may(request or officer, Action.DECIDE_APPEALS)
    ):
        rights.deny(request or officer, notice, Action.ASSESS_PENALTIES, request)
    officer, today = rights.actor_of(officer).user, today or timezone.localdate()  # `officer` may be a request
    amount = posting.as_amount(amount)
    with transaction.atomic():
        notice = PenaltyNotice.objects.select_for_update().get(pk=notice.pk)
        relieved = Decimal(notice.details.get("relieved", "0"))
        if notice.status not in (NoticeStatus.ISSUED, NoticeStatus.REDUCED) or amount > notice.amount - relieved:
            raise PenaltyError("amount", "too_much", _("More than what is left of the penalty."))
        posting.post_entry(
            notice.program_account,
            EntryType.REVERSAL,
            -amount,
            effective_date=today,
            source_key=f"NPAREL:{notice.number}:{relieved + amount}",
            transaction_number=notice.transaction_number,
            reference=notice.contravention,
            description=f"Penalty relieved, notice {notice.number}",
            submitted_by_business=notice.submitted_by_business,
            reverses=notice.ledger_entry if amount == notice.amount else None,
            explanation={"notice": notice.number, "reason": str(reason)},
            posted_by=officer,
            request=request,
        )
        relieved += amount
        status = NoticeStatus.CANCELLED if relieved == notice.amount else NoticeStatus.REDUCED
        before = notice.status
        details = notice.details | {"relieved": str(relieved)}
        if status != before:
            move(notice, status, details=details)
        else:
            PenaltyNotice.objects.filter(pk=notice.pk).update(details=details)
            notice.details = details
        record(
            "penalties.notice_relieved",
            actor=officer,
            request=request,
            obj=notice,
            before={"status": before},
            after=_audited(notice) | {"relieved": str(relieved), "reason": str(reason)},
        )
    return notice


def appeal_deadline(notice: PenaltyNotice) -> dt.date:
    return notice.issued_on + dt.timedelta(days=APPEAL_DAYS)


# --- outages ---------------------------------------------------------------------------------------


def declare_outage(
    officer, *, starts_at, ends_at, reason: str, message_en: str, message_fr: str, request=None
) -> Outage:
    """An officer holding DECLARE_OUTAGES declares a window. Late-accounting notices already raised
    for a deadline it relieves are cancelled (the run may have been first). Audited."""
    rights.require(request or officer, Action.DECLARE_OUTAGES, request=request)
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise PenaltyError("ends_at", "ends_before_start", _("The outage must end after it starts."))
    for field, value in (("reason", reason), ("message_en", message_en), ("message_fr", message_fr)):
        if not str(value or "").strip():
            raise PenaltyError(field, "required", _("This field is required."))
    with transaction.atomic():
        outage = Outage.objects.create(
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason.strip(),
            message_en=message_en.strip(),
            message_fr=message_fr.strip(),
            declared_by=rights.actor_of(officer).user,
        )
        record(
            "penalties.outage_declared",
            actor=rights.actor_of(officer).user,
            request=request,
            obj=outage,
            after={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "reason": outage.reason},
        )
        charged = PenaltyNotice.objects.filter(
            contravention__in=LATE_ACCOUNTING, status=NoticeStatus.ISSUED, details__cad_due_date__isnull=False
        )
        for notice in charged:
            if relieving_outage(dt.date.fromisoformat(notice.details["cad_due_date"]), [outage]):
                relieve(notice, notice.amount, officer=officer, reason=f"Outage {outage}", request=request)
    return outage


def deadline_moment(day: dt.date) -> dt.datetime:
    """A deadline day ends at midnight, local time."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def relieving_outage(deadline: dt.date, outages) -> Outage | None:
    """The declared outage during which, or within the relief after which, the deadline fell."""
    moment = deadline_moment(deadline)
    return next((o for o in outages if o.starts_at <= moment <= o.ends_at + OUTAGE_RELIEF), None)


def current_outages(now=None):
    now = now or timezone.now()
    return Outage.objects.filter(starts_at__lte=now, ends_at__gte=now)


# --- the automatic late-accounting run -------------------------------------------------------------


def late_cads(day: dt.date):
    """Originals accounted late on or before `day` (accepted; version 00001 keeps the lateness)."""
    return (
        DeclarationVersion.objects.filter(number=1, is_late=True, status=Status.ACCEPTED, cad_due_date__isnull=False)
        .select_related("declaration__program_account__business", "declaration__submitted_by_business")
        .order_by("pk")
    )


CHUNK = 500


def late_accounting_run(day: dt.date, progress=None) -> tuple[int, int]:
    """Late-accounting penalties (C288, or C292 for the 24th-of-the-month deadlines:
    declarations.timing.penalty_code) for every CAD accounted after its deadline with no notice
    yet, issued on `day`: waived when the deadline fell in a declared outage or within two hours
    after it. Idempotent by source key (<code>:<transaction number>, the one the portal used
    before); `progress(done, total)` after each chunk. Returns (raised, waived)."""
    outages = list(Outage.objects.all())
    versions = late_cads(day)
    done_keys = set(
        PenaltyNotice.objects.filter(contravention__in=LATE_ACCOUNTING).values_list("program_account", "source_key")
    )
    todo = [
        v
        for v in versions
        if (v.declaration.program_account_id, _late_key(v)) not in done_keys
        and v.declaration.program_account.is_active
        and timing.accounted_on(v) <= day
    ]
    raised = waived = 0
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        items = [_late_raise(version, outages) for version in chunk]
        notices = issue(items, issued_on=day)
        waived += sum(notice.status == NoticeStatus.WAIVED for notice in notices)
        raised += sum(notice.status == NoticeStatus.ISSUED for notice in notices)
        if progress:
            progress(start + len(chunk), len(todo))
    if progress and not todo:
        progress(0, 0)
    return raised, waived


def _late_key(version) -> str:
    return f"{timing.penalty_code(version)}:{version.declaration.transaction_number}"


def _late_raise(version, outages) -> Raise:
    declaration = version.declaration
    return Raise(
        program_account=declaration.program_account,
        submitted_by_business=declaration.submitted_by_business,
        code=timing.penalty_code(version),
        occurred_on=timing.accounted_on(version),
        source_key=_late_key(version),
        transaction_number=declaration.transaction_number,
        details={"cad_due_date": version.cad_due_date.isoformat()},
        outage=relieving_outage(version.cad_due_date, outages),
    )


def ledger_penalty_notices(day: dt.date) -> int:
    """A notice for each penalty the ledger charged itself up to `day` (the nightly C336, late
    payment: ledger.interest) that has none yet, so it shows and may be appealed like any other.
    The entry is the charge; the notice only records it. Idempotent by the entry's source key."""
    noticed = PenaltyNotice.objects.filter(ledger_entry__isnull=False).values("ledger_entry")
    entries = (
        LedgerEntry.objects.filter(entry_type=EntryType.PENALTY, reference="C336", effective_date__lte=day)
        .exclude(pk__in=noticed)
        .filter(reversals__isnull=True)
        .select_related("program_account__business")
    )
    notices = [
        PenaltyNotice(
            number=_number(),
            program_account=entry.program_account,
            submitted_by_business=entry.submitted_by_business or entry.program_account.business,
            contravention="C336",
            level=1,  # a flat rate (catalogue)
            amount=entry.amount,
            source_key=entry.source_key,
            occurred_on=entry.effective_date,
            issued_on=entry.effective_date,
            due_date=entry.due_date,
            details=dict(entry.explanation),
            ledger_entry=entry,
        )
        for entry in entries
    ]
    PenaltyNotice.objects.bulk_create(notices)
    for notice in notices:
        record("penalties.notice_issued", obj=notice, after=_audited(notice))
    return len(notices)


def last_run() -> dt.date | None:
    run = PenaltyRun.objects.first()
    return run.day if run else None


def catch_up(through: dt.date, progress=None) -> tuple[int, int]:
    """The run (late accounting, then notices for the ledger's own C336) for every day since the
    last one finished, up to `through` (just `through` the first time), each day marked when done:
    a missed night is caught up, a second run raises nothing twice."""
    last = last_run()
    day = last + dt.timedelta(days=1) if last else through
    raised = waived = 0
    while day <= through:
        with transaction.atomic():
            day_raised, day_waived = late_accounting_run(day, progress)
            ledger_penalty_notices(day)
            PenaltyRun.objects.get_or_create(day=day, defaults={"raised": day_raised, "waived": day_waived})
        raised, waived = raised + day_raised, waived + day_waived
        day += dt.timedelta(days=1)
    return raised, waived


# --- for the officer workbench ----------------------------------------------------------------------


def officer_queue(now=None) -> list[QueueItem]:
    """Outages in progress or to come: each awaits the officer who declared it to confirm its end
    (the end bounds the late-accounting relief), by its declared end."""
    now = now or timezone.now()
    return [
        QueueItem("outage", outage, outage.ends_at, outage.reason)
        for outage in Outage.objects.filter(ends_at__gte=now).order_by("ends_at")
    ]


def late_payment_amount() -> Decimal:
    """AMPS C336 from the catalogue: the ledger's nightly run reads it through its hook."""
    return catalogue.get("C336").amount(1)
