"""Ruling requests: drafts, filing, the officers' workflow, the service-standard clock, publication.

Pages, the API and tests call these functions; none of them trusts an id from the client: requests
come from `visible_requests` (the rights kernel for applicants and their brokers, every filed request for
officers). Every change of status goes through `transition` and its table `TRANSITIONS`, which says
from which statuses (and clock state) an event may happen, who may make it, and what follows; the
status move itself is `core.transitions` on `models.STATUS_TRANSITIONS`. Officers' steps need
`Action.DECIDE_RULINGS` (trade officers, supervisors); other officer roles only read.
"""

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from businesses.models import Business
from core import transitions
from rights import Action
from tariff import services as tariff
from tariff.codes import dotted

from .attachments import check_file
from .errors import Conflict, Error, RulingError
from .models import Attachment, Kind, Office, Outcome, Pause, RulingEvent, RulingRequest, Status

SERVICE_STANDARD_DAYS = 120  # D11-11-3: 120 calendar days, time waiting for the applicant or samples excluded
Event = RulingEvent.Kind
OPEN = (Status.SUBMITTED, Status.ASSIGNED)


# --- who sees what -------------------------------------------------------------------------------


def is_officer(who) -> bool:
    return rights.actor_of(who).is_officer


def may_decide(who) -> bool:
    """Officers who work ruling requests (assign, ask, decide, publish); other officers read them."""
    return rights.may(who, Action.DECIDE_RULINGS)


def visible_requests(who, action: Action = Action.VIEW):
    """Applicants and their brokers: the requests of their accounts under the importer's visibility
    rules. Officers: every filed request (drafts are the applicant's alone)."""
    if is_officer(who) and action == Action.VIEW:
        return RulingRequest.objects.exclude(status=Status.DRAFT)
    return RulingRequest.objects.visible_to(who, action)


def _audit(action: str, who, ruling, request, **changes):
    """An audit entry: who, for which business ("user X of broker B acting for importer I")."""
    context = rights.audit_context(request or who, ruling.program_account.business)
    record(action, actor=rights.actor_of(who).user, request=request, obj=ruling, **context, **changes)


def _acting_business(who, account) -> Business:
    """The business filing: the broker or consultant acting for the importer, else the importer."""
    bn9 = rights.audit_context(who, account.business)["actor_business"] or account.business.bn9
    return account.business if bn9 == account.business.bn9 else Business.objects.get(bn9=bn9)


# --- drafts ---------------------------------------------------------------------------------------

BOOLEAN_FIELDS = {"under_verification", "other_ruling", "imported_before", "consents_to_publication"}
CONTEXT_FIELDS = ["agreement", "under_verification", "other_ruling", "imported_before", "consents_to_publication"]
DETAIL_FIELDS = [
    "capacity",
    "contact_name",
    "contact_email",
    "contact_phone",
    "trade_names",
    "description",
    "composition",
    "manufacturing_process",
    "use",
    "proposed_classification",
    "proposed_reasons",
]


def new_draft(who, account, kind: str, *, request=None) -> RulingRequest:
    """A draft in the importer's account; `who` must be able to transact on it (the importer's
    people, or a broker's employee assigned to the importer as Editor)."""
    rights.require(who, Action.TRANSACT, account, request)
    if kind not in Kind.values:
        raise RulingError([Error("kind", "invalid_choice", _("Choose the kind of ruling."))])
    actor = rights.actor_of(who)
    with transaction.atomic():
        ruling = RulingRequest.objects.create(
            case_number=f"TMP-{uuid.uuid4().hex[:16]}",  # until the row has its number
            kind=kind,
            program_account=account,
            submitted_by_business=_acting_business(who, account),
            created_by=actor.user,
        )
        ruling.case_number = _case_number(ruling)
        ruling.save(update_fields=["case_number"])
        _audit("ruling.draft_created", who, ruling, request, after={"kind": kind})
    return ruling


def _case_number(ruling) -> str:
    """ARC (tariff classification), ARO (origin under an FTA) or NCR, the year, a sequence. [DESIGN]"""
    prefix = {Kind.CLASSIFICATION: "ARC", Kind.ORIGIN_FTA: "ARO"}.get(ruling.kind, "NCR")
    return f"{prefix}-{ruling.created_at:%Y}-{ruling.pk:06d}"


def require_applicant(who, ruling, request=None):
    """PermissionDenied (audited) unless `who` may act for the applicant: TRANSACT on the importer's
    account under the importer's visibility rules."""
    if not visible_requests(who, Action.TRANSACT).filter(pk=ruling.pk).exists():
        rights.deny(who, ruling.program_account, Action.TRANSACT, request)


def _editable(who, ruling, request=None) -> RulingRequest:
    require_applicant(who, ruling, request)
    if ruling.status != Status.DRAFT:
        raise Conflict([Error("status", "not_a_draft", _("Only a draft can be changed; this request was filed."))])
    return ruling


def update_draft(who, ruling, data: dict, *, request=None) -> list[Error]:
    """Keep what the applicant typed (a draft may be incomplete); report what cannot be kept or is
    already wrong: an unknown port, a classification not in the tariff. The rest is checked on
    submission."""
    _editable(who, ruling, request)
    errors = []
    for name in CONTEXT_FIELDS + DETAIL_FIELDS:
        if name in data:
            value = data[name]
            setattr(ruling, name, value if name in BOOLEAN_FIELDS else str(value or "").strip())
    ruling.proposed_classification = "".join(c for c in ruling.proposed_classification if c.isdigit())
    if ruling.proposed_classification:
        errors += _classification_errors(ruling.proposed_classification, timezone.localdate())
    with transaction.atomic():
        ruling.save()
        if "offices" in data:
            offices, unknown = offices_by_code(data["offices"])
            ruling.offices.set(offices)
            errors += [
                Error("offices", "unknown_office", _("%(code)s is not a CBSA office we know.") % {"code": code})
                for code in unknown
            ]
        _audit("ruling.draft_saved", who, ruling, request, after={"errors": [e.code for e in errors]})
    return errors


def offices_by_code(codes) -> tuple[list[Office], list[str]]:
    wanted = [str(code).strip() for code in codes if str(code).strip()]
    found = {office.code: office for office in Office.objects.filter(code__in=wanted)}
    return list(found.values()), [code for code in wanted if code not in found]


def search_offices(text: str, limit: int = 10):
    """Offices whose code starts with, or whose English or French name contains, the text."""
    text = (text or "").strip()
    if not text:
        return Office.objects.none()
    return Office.objects.filter(
        Q(code__startswith=text) | Q(name_en__icontains=text) | Q(name_fr__icontains=text)
    ).order_by("code")[:limit]


def _classification_errors(code: str, day: dt.date) -> list[Error]:
    """The proposed number must be a 10-digit classification number of the tariff in force on the day."""
    if len(code) != 10:
        return [Error("proposed_classification", "invalid_code", _("A classification number has 10 digits."))]
    try:
        tariff.classification(code, day)
    except tariff.TariffError:
        return [
            Error(
                "proposed_classification",
                "unknown_classification",
                _("%(code)s is not in the Customs Tariff in force on %(day)s.")
                % {"code": dotted(code), "day": day.isoformat()},
            )
        ]
    return []


def add_attachment(who, ruling, upload, *, request=None) -> Attachment:
    """A PDF or image of the goods; type read from the content, size limited, scanned for viruses.
    While a request is open the applicant may still add documents (an answer to an officer)."""
    require_applicant(who, ruling, request)
    if ruling.status not in (Status.DRAFT, *OPEN):
        raise Conflict([Error("file", "closed", _("Documents can no longer be added to this request."))])
    content, content_type = check_file(upload)
    attachment = Attachment.objects.create(
        request=ruling,
        name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=len(content),
        content=content,
        uploaded_by=rights.actor_of(who).user,
    )
    _audit("ruling.attachment_added", who, ruling, request, after={"name": attachment.name, "size": len(content)})
    return attachment


# --- filing ---------------------------------------------------------------------------------------

_REQUIRED = {
    "capacity": _("Say in what capacity you apply."),
    "contact_name": _("Give the name of the person to contact."),
    "contact_email": _("Give the contact's email address."),
    "description": _("Describe the goods in full."),
    "use": _("Say what the goods are used for."),
}
_REQUIRED_ANSWERS = {
    "under_verification": _("Say whether the goods are under verification, audit or appeal."),
    "other_ruling": _("Say whether the goods are the subject of another ruling or request."),
    "imported_before": _("Say whether the goods were imported before."),
}


def submission_errors(ruling: RulingRequest, day: dt.date) -> list[Error]:
    """Everything a request must answer before it is filed (D11-11-3 "information required";
    D11-4-16 for the agreement of an origin ruling)."""
    errors = [
        Error(name, "required", message) for name, message in _REQUIRED_ANSWERS.items() if getattr(ruling, name) is None
    ]
    if not ruling.offices.exists():
        errors.append(Error("offices", "required", _("Name at least one port of entry.")))
    if ruling.kind == Kind.ORIGIN_FTA and not ruling.agreement:
        errors.append(Error("agreement", "required", _("Name the free trade agreement.")))
    errors += [Error(name, "required", message) for name, message in _REQUIRED.items() if not getattr(ruling, name)]
    if ruling.kind == Kind.CLASSIFICATION:
        if not ruling.composition:
            errors.append(Error("composition", "required", _("Give the composition of the goods.")))
        if not ruling.proposed_classification:
            errors.append(Error("proposed_classification", "required", _("Propose a classification number.")))
        if not ruling.proposed_reasons:
            errors.append(
                Error("proposed_reasons", "required", _("Give the reasons for the classification you propose."))
            )
    if ruling.proposed_classification:
        errors += _classification_errors(ruling.proposed_classification, day)
    return errors


def submit(who, ruling, *, request=None, today: dt.date | None = None) -> RulingRequest:
    """File the draft: the clock starts today. A draft with errors stays a draft, unchanged."""
    _editable(who, ruling, request)
    today = today or timezone.localdate()
    errors = submission_errors(ruling, today)
    if errors:
        raise RulingError(errors)
    return transition(who, ruling, Event.SUBMITTED, request=request, today=today)


# --- the workflow ---------------------------------------------------------------------------------

APPLICANT, OFFICER, ASSIGNED_OFFICER = "applicant", "officer", "assigned officer"
ANY = object()  # any clock state
LIVE = (Status.ASSIGNED, Status.RENDERED)  # a request being examined, or a ruling whose modification is
SAME = None  # the status stays what it was


@dataclass(frozen=True)
class Transition:
    sources: tuple  # statuses it may start from
    target: str | None  # the status after it (SAME: unchanged)
    by: str  # APPLICANT, OFFICER (any) or ASSIGNED_OFFICER
    clock: object = Pause.NONE  # the clock state it needs: a Pause value or ANY
    pauses: str | None = None  # the clock state after it (None: unchanged)
    # A clock step that may also happen on a rendered ruling, while a request to modify it is open.
    during_modification: bool = False


TRANSITIONS = {
    Event.SUBMITTED: Transition((Status.DRAFT,), Status.SUBMITTED, APPLICANT),
    Event.ASSIGNED: Transition(OPEN, Status.ASSIGNED, OFFICER, clock=ANY),
    # D11-11-3: the clock stops while the CBSA waits for information, samples or lab analysis.
    Event.INFORMATION_REQUESTED: Transition(
        LIVE, SAME, ASSIGNED_OFFICER, pauses=Pause.INFORMATION, during_modification=True
    ),
    Event.ANSWERED: Transition(
        LIVE, SAME, APPLICANT, clock=Pause.INFORMATION, pauses=Pause.NONE, during_modification=True
    ),
    Event.SAMPLES_REQUESTED: Transition(LIVE, SAME, ASSIGNED_OFFICER, pauses=Pause.SAMPLES, during_modification=True),
    Event.SAMPLES_DONE: Transition(
        LIVE, SAME, ASSIGNED_OFFICER, clock=Pause.SAMPLES, pauses=Pause.NONE, during_modification=True
    ),
    Event.RENDERED: Transition((Status.ASSIGNED,), Status.RENDERED, ASSIGNED_OFFICER),
    Event.REFUSED: Transition((Status.ASSIGNED,), Status.RENDERED, ASSIGNED_OFFICER),
    # D11-11-3: a rendered ruling may be modified (clerical error, court decision, changed facts) or revoked.
    # A request to modify starts its own 120-day clock (paused time excluded), stopped by the decision.
    Event.MODIFICATION_REQUESTED: Transition((Status.RENDERED,), Status.RENDERED, APPLICANT),
    Event.MODIFIED: Transition((Status.RENDERED,), Status.RENDERED, OFFICER),
    Event.MODIFICATION_REFUSED: Transition((Status.RENDERED,), Status.RENDERED, OFFICER),
    Event.REVOKED: Transition((Status.RENDERED,), Status.RENDERED, OFFICER),
    Event.WITHDRAWN: Transition(OPEN, Status.WITHDRAWN, APPLICANT, clock=ANY, pauses=Pause.NONE),
}
MODIFICATION_GROUNDS = {
    "clerical": _("Clerical or typographical error"),
    "court": _("Decision of a court or the Canadian International Trade Tribunal"),
    "facts": _("Changed facts or circumstances"),
}


def _refuse(code: str, message) -> Conflict:
    return Conflict([Error("status", code, message)])


def _check_actor(who, ruling, step: Transition, request):
    if step.by == APPLICANT:
        require_applicant(who, ruling, request)
        return
    rights.require(who, Action.DECIDE_RULINGS, request=request)
    if step.by == ASSIGNED_OFFICER and ruling.officer_id != rights.actor_of(who).user.pk:
        raise PermissionDenied


def transition(who, ruling, event: str, *, message: str = "", request=None, today=None, **details) -> RulingRequest:
    """Apply one event of TRANSITIONS to the request as the caller read it. The update names the
    revision read: a second, concurrent or repeated event finds it changed and is refused (Conflict)."""
    step = TRANSITIONS[event]
    _check_actor(who, ruling, step, request)
    today = today or timezone.localdate()
    if ruling.status not in step.sources:
        raise _refuse(
            "invalid_transition",
            _("This step is not possible while the request is “%(status)s”.") % {"status": ruling.get_status_display()},
        )
    if step.during_modification and ruling.status == Status.RENDERED and not ruling.modification_open:
        raise _refuse(
            "no_modification", _("On a rendered ruling, this step is possible only while a modification is asked.")
        )
    if step.clock is not ANY and ruling.paused != step.clock:
        raise _refuse(
            "clock_state",
            _("This step is not possible while the clock is “%(clock)s”.") % {"clock": ruling.get_paused_display()},
        )
    target = ruling.status if step.target is SAME else step.target
    changes = {"status": target, **_effects(ruling, event, today, who, details)}
    if step.pauses is not None and step.pauses != ruling.paused:
        changes.update(_clock_change(ruling, step.pauses, today))
    user = rights.actor_of(who).user
    with transaction.atomic():
        # Conditional on the status and the revision read: a second, concurrent event is refused.
        fields = {name: value for name, value in changes.items() if name != "status"}
        try:
            transitions.transition(
                RulingRequest.objects.filter(revision=ruling.revision),
                ruling.pk,
                ruling.status,
                target,
                revision=F("revision") + 1,
                **fields,
            )
        except transitions.Conflict:
            raise _refuse("conflict", _("The request changed meanwhile: reload it and try again.")) from None
        before = {name: _plain(getattr(ruling, name)) for name in changes}
        for name, value in changes.items():
            setattr(ruling, name, value)
        ruling.revision += 1
        entry = RulingEvent.objects.create(
            request=ruling,
            kind=event,
            actor=user,
            by_officer=step.by != APPLICANT,
            status_after=ruling.status,
            message=message,
            details={key: _plain(value) for key, value in details.items()},
        )
        _audit(
            f"ruling.{event}",
            who,
            ruling,
            request,
            before=before,
            after={name: _plain(value) for name, value in changes.items()} | {"message": message},
        )
        if event == Event.RENDERED and ruling.consents_to_publication:
            publish(ruling, today)
        transaction.on_commit(lambda: _notify(ruling, entry))
    return ruling


def _plain(value):
    return (
        value.isoformat()
        if isinstance(value, dt.date)
        else value
        if value is None or isinstance(value, (bool, int))
        else str(value)
    )


def _effects(ruling, event, today, who, details) -> dict:
    """What an event writes besides the status and the clock; its required details checked."""
    if event == Event.SUBMITTED:
        return {"submitted_on": today}
    if event == Event.ASSIGNED:
        officer = details.get("officer") or rights.actor_of(who).user
        if not may_decide(officer):
            raise RulingError(
                [Error("officer", "not_a_rulings_officer", _("Assign the request to an officer who decides rulings."))]
            )
        details["officer"] = officer.email
        return {"officer": officer}
    if event in (Event.RENDERED, Event.MODIFIED):
        code = "".join(c for c in str(details.get("classification", "")) if c.isdigit())
        effective = details.get("effective_date") or today
        errors = _classification_errors(code, effective) if code else []
        if not code and (
            ruling.kind == Kind.CLASSIFICATION or event == Event.MODIFIED and ruling.ruling_classification
        ):
            errors.append(Error("classification", "required", _("Give the classification number ruled.")))
        if not details.get("reasons"):
            errors.append(Error("reasons", "required", _("Give the reasons for the decision.")))
        if errors:
            raise RulingError([Error(e.field.replace("proposed_", ""), e.code, e.message) for e in errors])
        changes = {"ruling_classification": code, "ruling_reasons": details["reasons"], "effective_date": effective}
        if event == Event.RENDERED:
            changes.update(rendered_on=today, outcome=Outcome.RULING)
        return changes | _modification_decided(ruling, today)
    if event == Event.REFUSED:
        if not details.get("reasons"):
            raise RulingError([Error("reasons", "required", _("Give the reasons for the refusal."))])
        return {"rendered_on": today, "outcome": Outcome.REFUSED, "ruling_reasons": details["reasons"]}
    if event == Event.REVOKED:
        if not ruling.in_force:
            raise _refuse("not_in_force", _("Only a ruling in force can be revoked."))
        return {"revoked_on": details.get("effective_date") or today} | _modification_decided(ruling, today)
    if event == Event.MODIFICATION_REQUESTED:
        if details.get("ground") not in MODIFICATION_GROUNDS:
            raise RulingError([Error("ground", "invalid_choice", _("Choose why the ruling should be modified."))])
        if ruling.modification_open:
            raise _refuse("modification_open", _("A modification of this ruling is already being considered."))
        return {"modification_requested_on": today, "modification_paused_days": 0, "modification_decided_on": None}
    if event == Event.MODIFICATION_REFUSED:
        if not ruling.modification_open:
            raise _refuse("no_modification", _("No modification of this ruling is being considered."))
        if not details.get("reasons"):
            raise RulingError([Error("reasons", "required", _("Give the reasons for the refusal."))])
        return _modification_decided(ruling, today)
    return {}


def _modification_decided(ruling, today) -> dict:
    """A modification, refusal or revocation answers the open request to modify: its clock stops."""
    return {"modification_decided_on": today} if ruling.modification_open else {}


def post_message(who, ruling, text: str, *, request=None) -> RulingEvent:
    """A message in the request's thread (applicant or officer); it changes nothing else."""
    text = (text or "").strip()
    if not text:
        raise RulingError([Error("message", "required", _("Write a message."))])
    officer = is_officer(who)
    if officer:
        rights.require(who, Action.DECIDE_RULINGS, request=request)
    else:
        require_applicant(who, ruling, request)
    if ruling.status not in (*OPEN, Status.RENDERED):
        raise _refuse("closed", _("This request takes no more messages."))
    entry = RulingEvent.objects.create(
        request=ruling,
        kind=Event.MESSAGE,
        actor=rights.actor_of(who).user,
        by_officer=officer,
        status_after=ruling.status,
        message=text,
    )
    _audit("ruling.message", who, ruling, request, after={"by_officer": officer})
    transaction.on_commit(lambda: _notify(ruling, entry))
    return entry


def _notify(ruling, entry: RulingEvent):
    """Tell the other side: the applicant's contact of an officer's step, the assigned officer of
    the applicant's. (E-mail through the configured backend.)"""
    to = ruling.contact_email if entry.by_officer else getattr(ruling.officer, "email", "")
    if to:
        send_mail(
            f"{ruling.case_number}: {entry.get_kind_display()}",
            entry.message or str(entry.get_kind_display()),
            settings.DEFAULT_FROM_EMAIL,
            [to],
        )


# --- the clock ------------------------------------------------------------------------------------


def _clock_change(ruling, pause: str, today: dt.date) -> dict:
    """Stop or restart the running clock: the request's, or after the decision the modification's."""
    if pause:  # stop the clock
        return {"paused": pause, "paused_on": today}
    counter = "modification_paused_days" if ruling.status == Status.RENDERED else "paused_days"
    return {
        "paused": Pause.NONE,
        "paused_on": None,
        counter: getattr(ruling, counter) + (today - ruling.paused_on).days,
    }


def _counted(start: dt.date, end: dt.date, paused_days: int, paused_on: dt.date | None) -> int:
    """Calendar days from start to end, the days paused (and the pause still running) excluded."""
    return (end - start).days - paused_days - ((end - paused_on).days if paused_on else 0)


def days_elapsed(ruling, today: dt.date | None = None) -> int | None:
    """Calendar days from filing to the decision (or today), paused days excluded (D11-11-3)."""
    if ruling.submitted_on is None:
        return None
    end = ruling.rendered_on or (today or timezone.localdate())
    if ruling.status == Status.WITHDRAWN:
        end = ruling.events.filter(kind=Event.WITHDRAWN).values_list("at", flat=True).last().date()
    running_pause = ruling.paused_on if ruling.status in OPEN else None  # later pauses are a modification's
    return _counted(ruling.submitted_on, end, ruling.paused_days, running_pause)


def days_left(ruling, today: dt.date | None = None) -> int | None:
    elapsed = days_elapsed(ruling, today)
    return None if elapsed is None or ruling.status not in OPEN else SERVICE_STANDARD_DAYS - elapsed


def modification_days_elapsed(ruling, today: dt.date | None = None) -> int | None:
    """The same count for the latest request to modify the ruling, from its filing to its decision."""
    if ruling.modification_requested_on is None:
        return None
    end = ruling.modification_decided_on or (today or timezone.localdate())
    running_pause = ruling.paused_on if ruling.modification_open else None
    return _counted(ruling.modification_requested_on, end, ruling.modification_paused_days, running_pause)


def modification_days_left(ruling, today: dt.date | None = None) -> int | None:
    if not ruling.modification_open:
        return None
    return SERVICE_STANDARD_DAYS - modification_days_elapsed(ruling, today)


def queue(today: dt.date | None = None) -> list[RulingRequest]:
    """Open requests and open requests to modify a ruling, those nearest to (or past) the standard
    first; a paused clock cannot run out, so paused ones come after running ones with the same days left."""
    today = today or timezone.localdate()
    waiting = Q(status__in=OPEN) | Q(
        status=Status.RENDERED, modification_requested_on__isnull=False, modification_decided_on__isnull=True
    )
    requests = list(RulingRequest.objects.filter(waiting).select_related("officer"))
    for ruling in requests:
        ruling.days_left = days_left(ruling, today)
        if ruling.days_left is None:
            ruling.days_left = modification_days_left(ruling, today)
    return sorted(requests, key=lambda r: (bool(r.paused), r.days_left, r.submitted_on, r.pk))


def standard_report() -> list[dict]:
    """Share of decisions rendered within the standard, by kind and month of the decision."""
    rows = {}
    for ruling in RulingRequest.objects.filter(status=Status.RENDERED).order_by("rendered_on"):
        row = rows.setdefault((ruling.rendered_on.strftime("%Y-%m"), ruling.kind), {"rendered": 0, "within": 0})
        row["rendered"] += 1
        row["within"] += days_elapsed(ruling) <= SERVICE_STANDARD_DAYS
    return [
        {"month": month, "kind": kind, **row, "share": round(100 * row["within"] / row["rendered"], 1)}
        for (month, kind), row in sorted(rows.items())
    ]


# --- publication ----------------------------------------------------------------------------------

_BN = re.compile(r"\b\d{9}(?:\s?[A-Z]{2}\s?\d{4})?\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{8,}\d")


def anonymise(text: str, ruling) -> str:
    """The text without who asked: business names, BNs, trade names, e-mail addresses, telephone
    numbers, the contact's name. (D11-11-3: published rulings do not name the applicant.)"""
    business = ruling.program_account.business
    names = [business.legal_name, getattr(business, "operating_name", ""), ruling.contact_name, ruling.trade_names]
    names += [name.strip() for name in ruling.trade_names.split(",")]
    for name in sorted({n for n in names if n and len(n) > 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), "[…]", text, flags=re.IGNORECASE)
    for pattern in (_EMAIL, _BN, _PHONE):
        text = pattern.sub("[…]", text)
    return text


def publish_ruling(who, ruling, *, request=None, today: dt.date | None = None) -> RulingRequest:
    """An officer publishes a rendered ruling (done already when the ruling was rendered with the
    applicant's consent: then nothing changes, so asking twice is harmless)."""
    rights.require(who, Action.DECIDE_RULINGS, request=request)
    if ruling.published_on is None:
        with transaction.atomic():
            publish(ruling, today or timezone.localdate())
            _audit(
                "ruling.publish_requested", who, ruling, request, after={"published_on": _plain(ruling.published_on)}
            )
    return ruling


def publish(ruling, day: dt.date):
    """Publish a rendered ruling in the public register, only with the applicant's consent."""
    if not (ruling.consents_to_publication and ruling.outcome == Outcome.RULING):
        raise _refuse("no_consent", _("Only rulings whose applicant consented are published."))
    RulingRequest.objects.filter(pk=ruling.pk).update(published_on=day)
    ruling.published_on = day
    RulingEvent.objects.create(request=ruling, kind=Event.PUBLISHED, status_after=ruling.status, by_officer=True)
    record("ruling.published", obj=ruling, after={"published_on": day.isoformat()})


def register():
    """The public register: published rulings, in force or revoked, newest first."""
    return (
        RulingRequest.objects.filter(published_on__isnull=False, outcome=Outcome.RULING)
        .select_related("program_account__business")
        .order_by("-rendered_on", "-pk")
    )


def search_register(q: str = "", code: str = "", kind: str = ""):
    rulings = register()
    if kind:
        rulings = rulings.filter(kind=kind)
    if code:
        rulings = rulings.filter(ruling_classification__startswith="".join(c for c in code if c.isdigit()))
    words = [w for w in re.findall(r"\w+", q.lower()) if len(w) > 2]
    return [r for r in rulings if all(w in public_text(r).lower() for w in words)]


def public_text(ruling) -> str:
    return anonymise(" ".join([ruling.description, ruling.composition, ruling.use]), ruling)


def public(ruling) -> dict:
    """What the register shows of a ruling: nothing that names the applicant."""
    return {
        "ruling_number": ruling.case_number,
        "kind": ruling.kind,
        "kind_label": str(ruling.get_kind_display()),
        "decision_date": ruling.rendered_on,
        "effective_date": ruling.effective_date,
        "revoked_on": ruling.revoked_on,
        "classification": ruling.ruling_classification,
        "printed_classification": dotted(ruling.ruling_classification) if ruling.ruling_classification else "",
        "goods": anonymise(ruling.description, ruling),
        "composition": anonymise(ruling.composition, ruling),
        "use": anonymise(ruling.use, ruling),
        "reasons": anonymise(ruling.ruling_reasons, ruling),
    }


# --- what rulings tell other apps -------------------------------------------------------------------


def evidence_for(query: str, day: dt.date) -> dict[str, str]:
    """tariff.search evidence: codes of published rulings in force whose goods match every word of
    the query (a ruling binds the CBSA on those goods: strong evidence for its code)."""
    words = [w for w in re.findall(r"\w+", (query or "").lower()) if len(w) > 2]
    if not words:
        return {}
    found = {}
    for ruling in register().filter(revoked_on__isnull=True, effective_date__lte=day).exclude(ruling_classification=""):
        if all(w in public_text(ruling).lower() for w in words):
            found.setdefault(
                ruling.ruling_classification, str(_("advance ruling %(number)s") % {"number": ruling.case_number})
            )
    return found


def rulings_held(account, day: dt.date):
    """The importer's rulings in force on the day (effective, not revoked)."""
    return RulingRequest.objects.filter(
        program_account__business=account.business,
        status=Status.RENDERED,
        outcome=Outcome.RULING,
        revoked_on__isnull=True,
        effective_date__lte=day,
    ).exclude(ruling_classification="")
