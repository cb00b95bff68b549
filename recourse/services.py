"""Compliance actions and recourse: statements of adjustment from an officer's re-determination
(Customs Act s.59), requests for re-determination (s.60), penalty appeals (s.129, s.129.1 for a late
one), the officer's rationale and the client's 30 days for documents, decisions and their ledger
effect, and the CITT step (s.67). Every act audited; money through ledger.posting."""

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from businesses.models import ProgramAccount
from core import attachments, formats
from core.queues import QueueItem
from core.transitions import move
from declarations import services as declarations
from declarations.models import Declaration
from declarations.validation import acting
from ledger import offsetting, posting
from ledger.balances import cents
from ledger.interest import RateKind, interest_owed
from ledger.models import Allocation, EntryType, LedgerEntry
from penalties import catalogue
from penalties import services as penalties
from penalties.models import NoticeStatus, PenaltyNotice
from rights import Action
from security import services as security

from .models import (
    DOCUMENT_DAYS,
    LATE_LIMIT_DAYS,
    REQUEST_DAYS,
    Appeal,
    AppealDocument,
    Decision,
    Issue,
    Kind,
    StatementOfAdjustment,
    Status,
)


class RecourseError(ValidationError):
    """A refusal naming its field and code; the message is translated (pages and API)."""

    def __init__(self, field: str, code: str, message):
        super().__init__(message, code=code)
        self.field = field

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": str(self.messages[0])}


def _number(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(5).upper()}"


def _user(who):
    return rights.actor_of(who).user


# --- compliance actions (s.59) ---------------------------------------------------------------------


def redetermine(
    officer, declaration: Declaration, payload, *, issue: str, subject: str, reasons: str, request=None, today=None
):
    """An officer's verification outcome: the CAD re-determined (a new version in force, its delta
    posted: declarations.redetermine) and the importer given a Statement of Adjustment with the
    reasons (s.59(2) notice). Officers holding VERIFY_DECLARATIONS."""
    rights.require(request or officer, Action.VERIFY_DECLARATIONS, request=request)
    today = today or timezone.localdate()
    if issue not in Issue.values:
        raise RecourseError("issue", "invalid_issue", _("Choose origin, tariff classification or value for duty."))
    if not str(subject or "").strip():
        raise RecourseError("subject", "required", _("Name what the issue is about (a tariff item, an origin)."))
    if not str(reasons or "").strip():
        raise RecourseError("reasons", "required", _("Give the reasons for the re-determination."))
    with transaction.atomic():
        outcome = declarations.redetermine(officer, declaration, payload, reason=reasons, request=request, today=today)
        if outcome.errors:
            first = outcome.errors[0]
            raise RecourseError(f"payload{first.pointer}", first.code, first.message)
        version = outcome.version
        entry = LedgerEntry.objects.filter(
            transaction_number=declaration.transaction_number,
            document_version=version.label,
            entry_type=EntryType.ASSESSMENT,
        ).first()
        statement = StatementOfAdjustment.objects.create(
            number=_number("SOA"),
            program_account=declaration.program_account,
            submitted_by_business=declaration.submitted_by_business,
            declaration=declaration,
            version=version,
            issue=issue,
            subject=str(subject).strip(),
            reasons=str(reasons).strip(),
            delta=version.delta,
            ledger_entry=entry,
            issued_on=today,
            issued_by=_user(officer),
        )
        record(
            "recourse.statement_issued",
            actor=_user(officer),
            request=request,
            obj=statement,
            after={
                "number": statement.number,
                "account": statement.program_account.number,
                "transaction_number": declaration.transaction_number,
                "version": version.label,
                "issue": statement.issue_key,
                "delta": str(statement.delta),
                "deadline": statement.request_deadline.isoformat(),
            },
        )
    return statement


# --- filing ----------------------------------------------------------------------------------------


def _deadline_check(issued_on: dt.date, today: dt.date, late_reason: str, *, late_allowed: bool) -> str:
    """The request's deadline is 90 days after the notice; a penalty appeal may come later with a
    reason, within a year after those 90 days (s.129.1(2), (5)(a)). Returns the late reason kept."""
    deadline = issued_on + dt.timedelta(days=REQUEST_DAYS)
    late_reason = str(late_reason or "").strip()
    if today <= deadline:
        return ""
    if not late_allowed:
        raise RecourseError(
            "filed_on",
            "past_deadline",
            _("The 90 days to ask for a re-determination ended on %(day)s (Customs Act s.60(1)).")
            % {"day": deadline.isoformat()},
        )
    if today > deadline + dt.timedelta(days=LATE_LIMIT_DAYS):
        raise RecourseError(
            "filed_on",
            "past_late_limit",
            _("A late appeal may be asked only within one year after the 90 days, which ended on %(day)s (s.129.1).")
            % {"day": deadline.isoformat()},
        )
    if not late_reason:
        raise RecourseError(
            "late_reason",
            "late_reason_required",
            _("The 90 days ended on %(day)s: say why the appeal could not be made on time (s.129.1(2)).")
            % {"day": deadline.isoformat()},
        )
    return late_reason


def unpaid(entries: list[LedgerEntry]) -> Decimal:
    """What is still owed of these debits: what offsetting has not cleared, less the account's
    credits not yet applied (a payment received counts before the clearing runs)."""
    entries = [entry for entry in entries if entry is not None and entry.amount > 0]
    if not entries:
        return Decimal("0.00")
    account = entries[0].program_account
    left = sum(
        (
            cents(debit.left)
            for debit in offsetting.open_debits(account, LedgerEntry.objects.filter(pk__in=[e.pk for e in entries]))
        ),
        Decimal("0.00"),
    )
    credits = -cents(LedgerEntry.objects.filter(program_account=account, amount__lt=0).aggregate(t=Sum("amount"))["t"])
    applied = cents(Allocation.objects.filter(credit__program_account=account).aggregate(t=Sum("amount"))["t"])
    return max(left - max(credits - applied, Decimal("0.00")), Decimal("0.00"))


def _interest_on(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """The interest entries of the declarations the statements changed (duties and interest, s.60(1))."""
    numbers = {entry.transaction_number for entry in entries if entry is not None and entry.transaction_number}
    return list(LedgerEntry.objects.filter(transaction_number__in=numbers, entry_type=EntryType.INTEREST, amount__gt=0))


def security_relied_on(account) -> Decimal:
    """How much of the account's security for appeals its open requests were accepted on."""
    open_requests = Appeal.objects.filter(program_account=account).exclude(status=Status.DECIDED)
    return cents(open_requests.aggregate(t=Sum("secured"))["t"])


def free_security(account, today=None) -> Decimal:
    """The account's security for appeals that no open request relies on yet."""
    return max(security.appeal_security(account, today) - security_relied_on(account), Decimal("0.00"))


def _secure(account, owing: Decimal, today) -> Decimal:
    """The security a request still owing `owing` is accepted on: the account's security for
    appeals (security.appeal_security) not already relied on by its open requests must cover it all.
    Returns `owing` (0 when paid); refuses naming what is owed and what is free."""
    if owing <= 0:
        return Decimal("0.00")
    # One request at a time takes from the account's security: two at once would count it twice.
    ProgramAccount.objects.select_for_update().get(pk=account.pk)
    free = free_security(account, today)
    if free >= owing:
        return owing
    raise RecourseError(
        "statement",
        "not_paid",
        _(
            "%(amount)s of the duties and interest is still owed: pay it or give security for appeals "
            "(%(free)s free now) first (Customs Act s.60(1))."
        )
        % {"amount": formats.money(owing), "free": formats.money(free)},
    )


def request_redetermination(who, statement: StatementOfAdjustment, *, grounds: str, request=None, today=None) -> Appeal:
    """A request for re-determination (s.60(1)) of `statement`, which `who` must see and may act on
    for the account, within 90 days of it, once the duties and interest are paid or security is
    given for them (s.60(1): "only after all amounts owing as duties and interest ... are paid or
    security satisfactory to the Minister is given"): the security is the account's security for
    appeals (a deposit or bond given for the "Importation [Appeals]" program, form BSF259), not its
    RPP security, and each request takes what it needs of it until decided. Every statement of the
    account on the same issue still open to a request is grouped in it (CBSA: "all statements on the
    same issue grouped in one appeal"); an open request on that issue takes no second one. Audited."""
    today = today or timezone.localdate()
    _may_file(who, statement.program_account, statement, request)
    if not str(grounds or "").strip():
        raise RecourseError("grounds", "required", _("Say why the decision should be changed."))
    _deadline_check(statement.issued_on, today, "", late_allowed=False)
    with transaction.atomic():
        open_on_issue = Appeal.objects.select_for_update().filter(
            program_account=statement.program_account, kind=Kind.REDETERMINATION, issue_key=statement.issue_key
        )
        if open_on_issue.exclude(status=Status.DECIDED).exists():
            raise RecourseError(
                "statement",
                "already_requested",
                _("A request on this issue is already open: the statements are in it."),
            )
        group = [
            s
            for s in StatementOfAdjustment.objects.filter(
                program_account=statement.program_account, appeals__isnull=True
            )
            if s.issue_key == statement.issue_key and s.request_deadline >= today
        ]
        if statement not in group:
            raise RecourseError(
                "statement", "already_requested", _("This statement was already the subject of a request.")
            )
        debits = [s.ledger_entry for s in group]
        secured = _secure(statement.program_account, unpaid(debits + _interest_on(debits)), today)
        appeal = _file(
            who,
            Kind.REDETERMINATION,
            statement.program_account,
            deadline=min(s.request_deadline for s in group),
            grounds=grounds,
            issue_key=statement.issue_key,
            disputed=sum((s.delta for s in group if s.delta > 0), Decimal("0.00")),
            secured=secured,
            request=request,
            today=today,
        )
        appeal.statements.set(group)
        _audit_filed(appeal, who, request, [s.number for s in group])
    return appeal


def appeal_penalty(
    who, notice: PenaltyNotice, *, grounds: str, late_reason: str = "", request=None, today=None
) -> Appeal:
    """A request for a decision of the Minister on a penalty notice (s.129(1)): within 90 days of
    the notice, or later with the reason (s.129.1), one per notice. Audited."""
    today = today or timezone.localdate()
    _may_file(who, notice.program_account, notice, request)
    if notice.status not in (NoticeStatus.ISSUED, NoticeStatus.REDUCED):
        raise RecourseError("notice", "not_charged", _("This notice charges nothing to appeal."))
    if not str(grounds or "").strip():
        raise RecourseError("grounds", "required", _("Say why the penalty should be cancelled or reduced."))
    late = _deadline_check(notice.issued_on, today, late_reason, late_allowed=True)
    if Appeal.objects.filter(notice=notice).exists():
        raise RecourseError("notice", "already_appealed", _("This notice was already appealed: one appeal per notice."))
    try:
        with transaction.atomic():
            appeal = _file(
                who,
                Kind.PENALTY,
                notice.program_account,
                deadline=penalties.appeal_deadline(notice),
                grounds=grounds,
                late_reason=late,
                notice=notice,
                disputed=notice.amount - Decimal(notice.details.get("relieved", "0")),
                request=request,
                today=today,
            )
            _audit_filed(appeal, who, request, [notice.number])
    except IntegrityError:  # the same notice appealed at the same moment: the other one won
        raise RecourseError(
            "notice", "already_appealed", _("This notice was already appealed: one appeal per notice.")
        ) from None
    return appeal


def _may_file(who, program_account, obj, request):
    """Filing is a transaction on the importer's account (its people and the brokers it allows)."""
    if not rights.may(who, Action.TRANSACT, program_account):
        rights.deny(who, obj, Action.TRANSACT, request)


def _file(who, kind, program_account, *, deadline, grounds, disputed, request, today, **fields) -> Appeal:
    """The request row: filed by the business `who` acts through (a broker for its client, or the
    importer itself; declarations.validation.acting)."""
    filer, _context = acting(request or who, program_account)
    return Appeal.objects.create(
        number=_number("APL"),
        kind=kind,
        program_account=program_account,
        submitted_by_business=filer,
        filed_by=_user(request or who),
        filed_on=today,
        deadline=deadline,
        grounds=str(grounds).strip(),
        disputed=disputed,
        **fields,
    )


def _audit_filed(appeal: Appeal, who, request, subjects: list[str]) -> None:
    record(
        "recourse.appeal_filed",
        actor=_user(request or who),
        request=request,
        obj=appeal,
        after={
            "number": appeal.number,
            "kind": appeal.kind,
            "account": appeal.program_account.number,
            "subjects": subjects,
            "deadline": appeal.deadline.isoformat(),
            "late_reason": appeal.late_reason,
            "disputed": str(appeal.disputed),
            "secured": str(appeal.secured),
        },
    )


def add_document(who, appeal: Appeal, upload, *, request=None, today=None) -> AppealDocument:
    """A document for the appeal: while it is open, and after the rationale only within the 30
    days given; type by content and size (core.attachments). Audited."""
    today = today or timezone.localdate()
    _may_file(who, appeal.program_account, appeal, request)
    if appeal.status == Status.DECIDED:
        raise RecourseError("file", "decided", _("This appeal was decided: it takes no more documents."))
    if appeal.documents_until and today > appeal.documents_until:
        raise RecourseError(
            "file",
            "documents_closed",
            _("Documents were accepted until %(day)s.") % {"day": appeal.documents_until.isoformat()},
        )
    try:
        content, content_type = attachments.check_file(upload)
    except attachments.Refused as refused:
        raise RecourseError("file", refused.code, refused.message) from None
    document = AppealDocument.objects.create(
        appeal=appeal,
        name=str(getattr(upload, "name", "") or "document")[:200],
        content_type=content_type,
        content=content,
        size=len(content),
        uploaded_by=_user(request or who),
    )
    record(
        "recourse.document_added",
        actor=_user(request or who),
        request=request,
        obj=appeal,
        after={"document": document.pk, "name": document.name, "type": content_type, "size": document.size},
    )
    return document


# --- the officer's side ----------------------------------------------------------------------------


def share_rationale(officer, appeal: Appeal, rationale: str, *, request=None, today=None) -> Appeal:
    """The officer's rationale, shared with the client, who then has 30 days to add documents."""
    rights.require(request or officer, Action.DECIDE_APPEALS, request=request)
    today = today or timezone.localdate()
    if not str(rationale or "").strip():
        raise RecourseError("rationale", "required", _("Write the rationale to share."))
    with transaction.atomic():
        move(
            appeal,
            Status.RATIONALE,
            rationale=str(rationale).strip(),
            rationale_on=today,
            documents_until=today + dt.timedelta(days=DOCUMENT_DAYS),
        )
        record(
            "recourse.rationale_shared",
            actor=_user(officer),
            request=request,
            obj=appeal,
            after={"number": appeal.number, "documents_until": appeal.documents_until.isoformat()},
        )
    return appeal


def decide(officer, appeal: Appeal, decision: str, *, reasons: str, relief=None, request=None, today=None) -> Appeal:
    """The decision (s.60(4) re-determination; s.131 for a penalty) and its ledger effect. Allowed:
    the whole amount disputed relieved; partly allowed: `relief` (more than 0, less than disputed);
    denied: nothing. A penalty relieved is credited on its notice (penalties.relieve). Duties
    relieved are credited with interest at the prescribed rate from the day they were due to the
    decision (D11-6-5 para. 1: CBSA pays refund interest at the prescribed rate). Not before the
    client's 30 days for documents have passed, unless the appeal is allowed in full."""
    rights.require(request or officer, Action.DECIDE_APPEALS, request=request)
    today = today or timezone.localdate()
    if decision not in Decision.values:
        raise RecourseError("decision", "invalid", _("Choose allowed, partly allowed or denied."))
    if not str(reasons or "").strip():
        raise RecourseError("reasons", "required", _("Give the reasons for the decision."))
    amount = {Decision.ALLOWED: appeal.disputed, Decision.DENIED: Decimal("0.00")}.get(decision)
    if decision == Decision.PARTLY:
        try:
            amount = posting.as_amount(str(relief))
        except (ValidationError, ArithmeticError, ValueError, TypeError):
            raise RecourseError(
                "relief", "invalid_amount", _("Give the amount relieved in dollars and cents.")
            ) from None
        if not 0 < amount < appeal.disputed:
            raise RecourseError(
                "relief", "out_of_range", _("A partial relief is more than 0 and less than the amount disputed.")
            )
    if decision != Decision.ALLOWED and appeal.documents_until and today <= appeal.documents_until:
        raise RecourseError(
            "decision",
            "documents_open",
            _("The client may add documents until %(day)s.") % {"day": appeal.documents_until.isoformat()},
        )
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        interest = Decimal("0.00")
        if amount:
            interest = _relieve(appeal, amount, officer, reasons, request, today)
        move(
            appeal,
            Status.DECIDED,
            decision=decision,
            decision_reasons=str(reasons).strip(),
            relief=amount,
            interest=interest,
            decided_on=today,
            decided_by=_user(officer),
        )
        record(
            "recourse.appeal_decided",
            actor=_user(officer),
            request=request,
            obj=appeal,
            after={
                "number": appeal.number,
                "decision": decision,
                "relief": str(amount),
                "interest": str(interest),
                "further_recourse_by": appeal.further_recourse_deadline.isoformat(),
            },
        )
    return appeal


def _relieve(appeal: Appeal, amount: Decimal, officer, reasons, request, today) -> Decimal:
    """Post the relief (and refund interest); returns the interest paid."""
    if appeal.kind == Kind.PENALTY:
        penalties.relieve(
            appeal.notice, amount, officer=officer, reason=f"Appeal {appeal.number}", request=request, today=today
        )
        return Decimal("0.00")  # no interest on a penalty relieved: none found in the Act for s.131 (report)
    paid_since = min(s.ledger_entry.due_date for s in appeal.statements.all() if s.ledger_entry)
    interest = interest_owed(amount, paid_since, today, RateKind.PRESCRIBED)
    base = {
        "program_account": appeal.program_account,
        "effective_date": today,
        "reference": appeal.number,
        "submitted_by_business": appeal.submitted_by_business,
        "posted_by": _user(officer),
    }
    postings = [
        base
        | {
            "entry_type": EntryType.REVERSAL,
            "amount": -amount,
            "source_key": f"APL:{appeal.number}",
            "description": f"Re-determination {appeal.number}: duties relieved",
            "explanation": {"appeal": appeal.number, "decision_reasons": str(reasons), "rule": "Customs Act s.60(4)"},
        }
    ]
    if interest:
        postings.append(
            base
            | {
                "entry_type": EntryType.INTEREST,
                "amount": -interest,
                "source_key": f"APLINT:{appeal.number}",
                "description": f"Interest on duties relieved, {appeal.number}",
                "explanation": {
                    "principal": str(amount),
                    "from": paid_since.isoformat(),
                    "to": today.isoformat(),
                    "rate_kind": RateKind.PRESCRIBED.value,
                    "rule": "D11-6-5 para. 1",
                },
            }
        )
    posting.post_entries(postings, request=request)
    return interest


def record_further_recourse(
    who, appeal: Appeal, *, filed_on: dt.date, reference: str, request=None, today=None
) -> Appeal:
    """The client's appeal to the Canadian International Trade Tribunal (s.67(1)), within 90 days
    after a re-determination decision: recorded here, filed with the Tribunal."""
    today = today or timezone.localdate()
    _may_file(who, appeal.program_account, appeal, request)
    if appeal.kind != Kind.REDETERMINATION or appeal.status != Status.DECIDED:
        raise RecourseError("appeal", "not_decided", _("Only a decided re-determination can go to the Tribunal."))
    if filed_on > today:
        raise RecourseError("filed_on", "future_date", _("This day is still to come."))
    if filed_on > appeal.further_recourse_deadline:
        raise RecourseError(
            "filed_on",
            "past_deadline",
            _("The 90 days to appeal to the Tribunal ended on %(day)s (Customs Act s.67(1)).")
            % {"day": appeal.further_recourse_deadline.isoformat()},
        )
    if not str(reference or "").strip():
        raise RecourseError("reference", "required", _("Give the Tribunal's file number."))
    Appeal.objects.filter(pk=appeal.pk).update(
        further_recourse_filed_on=filed_on, further_recourse_reference=reference.strip()[:40]
    )
    appeal.refresh_from_db()
    record(
        "recourse.further_recourse",
        actor=_user(request or who),
        request=request,
        obj=appeal,
        after={
            "number": appeal.number,
            "filed_on": filed_on.isoformat(),
            "reference": appeal.further_recourse_reference,
        },
    )
    return appeal


# --- for the client's page and the officer workbench -----------------------------------------------


def appealed(appeal: Appeal) -> dict:
    """What the request is about, for its pages: the penalty notice with its contravention, or the
    statements of adjustment grouped in it with their CADs."""
    if appeal.notice_id:
        notice = appeal.notice
        return {"notice": notice, "contravention": catalogue.contraventions().get(notice.contravention)}
    return {"statements": list(appeal.statements.select_related("declaration", "version").order_by("issued_on"))}


def officer_queue(today=None) -> list[QueueItem]:
    """Requests awaiting an officer, by the day their next step is due: an acknowledged one needs
    the rationale; one with the rationale shared is decided once the client's 30 days end."""
    items = []
    for appeal in Appeal.objects.exclude(status=Status.DECIDED).select_related("program_account"):
        due = appeal.documents_until if appeal.status == Status.RATIONALE else appeal.filed_on + dt.timedelta(days=30)
        items.append(QueueItem(appeal.kind, appeal, due, f"{appeal.number} {appeal.program_account.number}"))
    return sorted(items, key=lambda item: item.deadline)


def client_overview(who, today=None) -> dict:
    """Every penalty notice, statement of adjustment and request `who` may see through their own grants,
    with deadlines (a client-side list: not an officer's view of every client)."""
    today = today or timezone.localdate()
    notices = rights.held(PenaltyNotice.objects.all(), who).select_related("program_account")
    appealed = set(Appeal.objects.filter(notice__in=notices).values_list("notice", flat=True))
    statements = rights.held(StatementOfAdjustment.objects.all(), who).select_related("declaration", "program_account")
    grouped = set(Appeal.statements.through.objects.values_list("statementofadjustment", flat=True))
    appeals = rights.held(Appeal.objects.all(), who).select_related("program_account", "notice")
    return {
        "notices": [
            {
                "notice": n,
                "deadline": penalties.appeal_deadline(n),
                "may_appeal": n.pk not in appealed
                and n.status in (NoticeStatus.ISSUED, NoticeStatus.REDUCED)
                and today <= penalties.appeal_deadline(n) + dt.timedelta(days=LATE_LIMIT_DAYS),
            }
            for n in notices
        ],
        "statements": [
            {
                "statement": s,
                "deadline": s.request_deadline,
                "may_appeal": s.pk not in grouped and today <= s.request_deadline,
            }
            for s in statements
        ],
        "appeals": list(appeals),
    }
