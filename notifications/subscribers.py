"""Events from what the domain apps already record: notifications sits above them and listens,
so no service imports it. The audit trail (audit.services.recorded) carries most events; the
delegation's expiry notices (delegation.Notification rows) and new tariff versions (tariff.DataLoad)
are watched as rows saved. A notification that fails is logged, never allowed to undo the action
that caused it (each handler runs in its own savepoint)."""

import logging
from collections import defaultdict
from contextlib import nullcontext
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, DateField, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEntry
from audit.services import recorded
from businesses.models import Business, ProgramAccount
from core.after_commit import queue_after_commit
from declarations.models import Declaration, DeclarationVersion
from ledger.models import LedgerEntry, Statement
from rulings.models import RulingEvent, RulingRequest
from security import services as security
from security.models import Bond, Enrolment

from .catalogue import kind_of
from .recipients import account_money_each, businesses_with_people, people_around_each, viewers_of
from .services import emit, emit_each

logger = logging.getLogger(__name__)


def _subject(entry):
    model = apps.get_model(entry.object_type)
    return model._default_manager.get(pk=entry.object_id)


def _access_request(entries, decided=False):
    for entry in entries:
        request = _subject(entry)
        context = {
            "requester": request.user.get_full_name() or request.user.email,
            "business": request.business.legal_name,
        }
        if decided:
            emit(
                "access_request.decided",
                business=request.business,
                subject=request,
                actor=entry.actor,
                people=[request.user],
                context={**context, "decision": request.status},
            )
        else:
            emit(
                "access_request.received",
                business=request.business,
                subject=request,
                actor=entry.actor,
                context=context,
                link=reverse("access:decide", args=[request.business.bn9, request.pk]),
            )


def _relationship_context(relationship) -> dict:
    return {
        "provider": relationship.provider.legal_name,
        "importer": relationship.importer.legal_name,
        "expires_on": relationship.expires_on.isoformat() if relationship.expires_on else "",
    }


def _relationship(kind):
    def handle(entries):
        for entry in entries:
            relationship = _subject(entry)
            context = _relationship_context(relationship)
            requester, other = (
                (relationship.provider, relationship.importer)
                if relationship.initiated_by == "provider"
                else (relationship.importer, relationship.provider)
            )
            context.update(requester=requester.legal_name, other=other.legal_name)
            link = reverse("delegation:manage", args=[relationship.importer.bn9])
            emit(
                kind,
                business=relationship.importer,
                subject=relationship,
                actor=entry.actor,
                context=context,
                link=link,
            )

    return handle


def _declarations_accepted(entries):
    """One notice per account and submitter per batch (a batch of 500 CADs is one notice). The
    versions are read as plain values: 500 model instances with their declarations cost more than
    the notice itself. Who is around the accounts' businesses is asked first, once for the batch:
    when only the submitter is (never told), nothing more is read. The audit entries (a queryset) are
    not read apart: the versions they name and the first one's actor are subqueries of that query."""
    versions = DeclarationVersion.objects.filter(pk__in=entries.values(version=Cast("object_id", BigIntegerField())))
    versions = versions.annotate(actor=Subquery(entries.values("actor")[:1])).order_by("pk")
    rows = list(
        versions.values_list(
            "pk",
            "declaration",
            "declaration__program_account",
            "declaration__program_account__business",
            "declaration__submitted_by_business",
            "declaration__transaction_number",
            "actor",
        )
    )
    if not rows:  # the versions gone (or the entries)
        return
    groups = defaultdict(list)
    for version, declaration, account, business, submitter, number, _actor in rows:
        groups[(account, business, submitter)].append((version, declaration, number))
    actor = rows[0][-1]
    unheard = {actor} if actor is not None and not kind_of("declaration.accepted").tells_actor else ()
    around = people_around_each({business for _account, business, _submitter in groups}, unheard)
    groups = {group: batch for group, batch in groups.items() if around[group[1]]}
    if not groups:
        return
    accounts = ProgramAccount.objects.select_related("business").in_bulk({account for account, *_ in groups})
    actor = User.objects.get(pk=actor) if actor is not None else None
    for (account, business, _submitter), batch in groups.items():
        (version, declaration, _number), numbers = batch[0], [number for *_ids, number in batch]
        emit(
            "declaration.accepted",
            program_account=accounts[account],
            key=f"declarations.declarationversion:{version}",
            actor=actor,
            audience=viewers_of(Declaration.objects.filter(pk=declaration), business, around=around[business]),
            context={"count": len(batch), "account": accounts[account].number, "transaction_numbers": _listed(numbers)},
            link=reverse("declarations:detail", args=[numbers[0]]),
        )


def _listed(numbers, most=10) -> str:
    return ", ".join(numbers[:most]) + (" …" if len(numbers) > most else "")


def _declarations_rejected(entries):
    """Told to the person who submitted (an EDI or API batch may have been left unattended)."""
    by_actor = defaultdict(list)
    for entry in entries:
        if entry.actor is not None:
            by_actor[entry.actor].append(entry)
    for person, rejected in by_actor.items():
        numbers = [e.after.get("transaction_number") or "—" for e in rejected]
        errors = rejected[0].after.get("errors") or [{}]
        emit(
            "declaration.rejected",
            actor=person,
            people=[person],
            context={
                "count": len(rejected),
                "transaction_numbers": _listed(numbers),
                "error": errors[0].get("message", ""),
            },
        )


def _adjustment_decided(entries):
    for entry in entries:
        version = _subject(entry)
        declaration = version.declaration
        emit(
            "declaration.adjustment_decided",
            program_account=declaration.program_account,
            subject=declaration,
            key=f"declarations.declarationversion:{version.pk}",
            actor=entry.actor,
            link=reverse("declarations:detail", args=[declaration.transaction_number]),
            context={
                "transaction_number": declaration.transaction_number,
                "version": version.label,
                "decision": "approved" if entry.action.endswith("approved") else "rejected",
            },
        )


def _statements_issued(entries):
    """Each statement of the closed periods not told yet, to its account's money people: asked once
    for all the periods' accounts (recipients.account_money_each), told in one batch (services.emit_each).
    `entries` is the queryset of the audit entries (tell_recorded): the periods are read inside the
    query of the statements among businesses with people, one round trip when nobody is to be told."""
    from .models import Notification

    periods = entries.annotate(period_end=Cast(KT("after__period_end"), DateField())).values("period_end")
    issued = Statement.objects.filter(period_end__in=periods, program_account__business__in=businesses_with_people())
    keys = {f"ledger.statement:{pk}": pk for pk in issued.values_list("pk", flat=True)}
    if not keys:
        return
    told = set(Notification.objects.filter(kind="statement.issued", key__in=keys).values_list("key", flat=True))
    pending = list(
        Statement.objects.filter(pk__in=[pk for key, pk in keys.items() if key not in told])
        .select_related("program_account__business")
        .defer("content")  # the statement's document, parsed for nothing
    )
    if not pending:
        return
    audiences = account_money_each([statement.program_account for statement in pending])
    emit_each(
        "statement.issued",
        [
            {
                "program_account": statement.program_account,
                "subject": statement,
                "audience": audiences[statement.program_account_id],
                "link": reverse("ledger:statement", args=[statement.program_account.number, statement.pk]),
                "context": {
                    "account": statement.program_account.number,
                    "period_end": statement.period_end.isoformat(),
                    "amount_due": statement.amount_due,
                    "due_date": statement.due_date.isoformat(),
                },
            }
            for statement in pending
        ],
    )


def _payment(kind):
    def handle(entries):
        for entry in entries:
            payment = _subject(entry)
            emit(
                kind,
                subject=payment,
                actor=entry.actor,
                key=f"payments.payment:{payment.pk}:{entry.action}",
                link=reverse("payments:receipt", args=[payment.reference]),
                context={"reference": payment.reference, "amount": payment.amount},
            )

    return handle


def _posted_penalties(entries):
    """A penalty posted with a record (C288, a late CAD): ledger.posted of type penalty (WANTED)."""
    ids = [e.object_id for e in entries]
    for penalty in LedgerEntry.objects.filter(pk__in=ids).select_related("program_account__business"):
        _penalty(penalty)


def _penalty(penalty):
    emit(
        "penalty.issued",
        program_account=penalty.program_account,
        subject=penalty,
        link=reverse("ledger:history", args=[penalty.program_account.number]),
        context={
            "amount": penalty.amount,
            "contravention": penalty.reference,
            "account": penalty.program_account.number,
        },
    )


def _penalty_run(entries):
    """The nightly C336 run: each account penalized has an amount overdue since its due date."""
    for entry in entries:
        penalties = LedgerEntry.objects.filter(
            program_account__in=entry.after.get("accounts", []),
            reference=entry.after.get("contravention"),
            effective_date=entry.after.get("day"),
            entry_type="penalty",
        ).select_related("program_account__business")
        for penalty in penalties:
            _penalty(penalty)
            emit(
                "amount.overdue",
                program_account=penalty.program_account,
                key=f"ledger.overdue:{penalty.program_account_id}:{penalty.explanation.get('statement_due_date')}",
                link=reverse("ledger:account", args=[penalty.program_account.number]),
                context={
                    "overdue": penalty.explanation.get("overdue", ""),
                    "account": penalty.program_account.number,
                    "since": penalty.effective_date.isoformat(),
                },
            )


def _ruling_status(entries):
    """A ruling request changed status (rulings audits each step as `ruling.<event>`): told to the
    people who may see the request, the importer's visibility rules applying to its brokers."""
    for entry in entries:
        if "status" not in (entry.after or {}):
            continue
        ruling = _subject(entry)
        emit(
            "ruling.status_changed",
            program_account=ruling.program_account,
            subject=ruling,
            key=f"audit.auditentry:{entry.pk}",
            actor=entry.actor,
            people=viewers_of(RulingRequest.objects.filter(pk=ruling.pk), ruling.program_account.business),
            context={"reference": ruling.case_number, "status": ruling.get_status_display()},
            link=reverse("rulings:detail", args=[ruling.case_number]),
        )


def _recourse(kind, context):
    """Statements of adjustment and appeal steps (recourse): told to who may see the row."""

    def handler(entries):
        for entry in entries:
            subject = _subject(entry)
            emit(
                kind,
                program_account=subject.program_account,
                subject=subject,
                key=f"{entry.action}:{subject.pk}",
                actor=entry.actor,
                link=reverse("recourse:overview"),
                context=context(entry.after),
            )

    return handler


def _security_review_increase(entries):
    """The annual review raised an account's requirement: told to those who handle its money (only
    accounts someone could be told of are looked at: a review raises thousands at once)."""
    accounts = ProgramAccount.objects.select_related("business").in_bulk([e.after["account"] for e in entries])
    heard = set(  # asked of these businesses only: the whole subquery per chunk of a review cost more
        Business.objects.filter(pk__in=businesses_with_people())
        .filter(pk__in={account.business_id for account in accounts.values()})
        .values_list("pk", flat=True)
    )
    accounts = {pk: account for pk, account in accounts.items() if account.business_id in heard}
    for entry in (e for e in entries if e.after["account"] in accounts):
        account = accounts[entry.after["account"]]
        _security_notice(
            "security.review_increase",
            account,
            f"security.review:{account.pk}:{entry.after['due_by']}",
            required=entry.after["bond_amount"],
            due_date=entry.after["due_by"],
        )


def _security_notice(kind, account, key, /, **context):
    """A security notice about one RM account: to its people, linking to its security page."""
    link = reverse("security:account", args=[account.number])
    context = {"business": account.business.legal_name, **context}
    emit(kind, program_account=account, key=key, link=link, context=context)


def _security_shortfall(accounts, key):
    for account in accounts:
        held = security.position(account)
        if held.requirement is None or held.sufficient:
            continue
        _security_notice(
            "security.shortfall", account, f"security.shortfall:{account.pk}:{key}", shortfall=held.shortfall
        )


def _security_usage(entries):
    """An account's unpaid RPP activity reached a warning threshold of its security (security.watch_usage)."""
    accounts = ProgramAccount.objects.select_related("business").in_bulk([int(e.object_id) for e in entries])
    for entry in entries:
        account = accounts[int(entry.object_id)]
        _security_notice(
            "security.usage",
            account,
            f"security.usage:{entry.pk}",
            account=account.number,
            percent=entry.after["percent"],
            amount=Decimal(entry.after["unpaid"]),
            covered=Decimal(entry.after["covered"]),
        )


def _security_bond_changed(entries):
    """A bond cancelled or cut: the accounts it covered that fall short are told."""
    for entry in entries:
        bond = Bond.objects.get(pk=entry.object_id)
        accounts = [a.program_account for a in bond.allocations.select_related("program_account__business")]
        _security_shortfall(accounts, f"audit:{entry.pk}")


def _security_suspended(entries):
    for entry in entries:
        enrolment = Enrolment.objects.select_related("program_account__business").get(pk=entry.object_id)
        _security_shortfall([enrolment.program_account], f"suspended:{enrolment.pk}")


HANDLERS = {
    "access_request.created": _access_request,
    "access_request.approved": lambda entries: _access_request(entries, decided=True),
    "access_request.rejected": lambda entries: _access_request(entries, decided=True),
    "relationship.requested": _relationship("relationship.requested"),
    "relationship.approved": _relationship("relationship.approved"),
    "relationship.expired": _relationship("relationship.expired"),
    "declarations.submitted": _declarations_accepted,
    "declarations.corrected": _declarations_accepted,
    "declarations.rejected": _declarations_rejected,
    "declarations.adjustment_approved": _adjustment_decided,
    "declarations.adjustment_rejected": _adjustment_decided,
    "ledger.period_closed": _statements_issued,
    "ledger.posted": _posted_penalties,
    "ledger.penalty_run": _penalty_run,
    "recourse.statement_issued": _recourse(
        "adjustment_statement.issued",
        lambda after: {
            "number": after["number"],
            "transaction_number": after["transaction_number"],
            "delta": Decimal(after["delta"]),
            "deadline": after["deadline"],
        },
    ),
    "recourse.rationale_shared": _recourse(
        "appeal.rationale_shared", lambda after: {"number": after["number"], "until": after["documents_until"]}
    ),
    "recourse.appeal_decided": _recourse(
        "appeal.decided",
        lambda after: {"number": after["number"], "decision": after["decision"], "relief": Decimal(after["relief"])},
    ),
    "payments.completed": _payment("payment.received"),
    "payments.failed": _payment("payment.failed"),
    "payments.declined": _payment("payment.failed"),
    "payments.pad_returned": _payment("payment.returned"),
    "security.review_increase": _security_review_increase,
    "security.threshold_reached": _security_usage,
    "security.bond_cancelled": _security_bond_changed,
    "security.bond_amended": _security_bond_changed,
    "security.rpp_suspended": _security_suspended,
    **{f"ruling.{event}": _ruling_status for event in RulingEvent.Kind.values if event not in {"message", "publish"}},
}


def _guarded(handler, *args):
    """Run a handler in its own savepoint; its failure is logged and leaves the caller's work alone.
    After commit (notifications.tasks.tell) there is no caller's work to protect: no transaction of
    its own (two round trips), each notice being written with its deliveries atomically (emit)."""
    try:
        with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
            handler(*args)
    except Exception:
        if settings.CARM_NOTIFY_RAISE:  # the test suite: a broken handler fails the test that triggered it
            raise
        logger.exception("notification handler %s failed", getattr(handler, "__name__", handler))


# The money path's events: a CAD batch and a statement close are told once their transaction has
# committed, by a Celery task, so that they do not hold their locks while audiences are asked of the
# rights kernel (who may know is asked when told: a person revoked meanwhile is not told; a
# transaction rolled back tells nothing).
AFTER_COMMIT = {"declarations.submitted", "declarations.corrected", "ledger.period_closed"}


# Entries of an action told only when they say so: a CAD batch posts an assessment per CAD, and its
# handler's savepoint cost two round trips in the batch's transaction to find no penalty among them.
WANTED = {"ledger.posted": lambda entry: entry.after.get("type") == "penalty"}


@receiver(recorded)
def _on_recorded(sender, entries, **kwargs):
    by_action = defaultdict(list)
    for entry in entries:
        wanted = WANTED.get(entry.action)
        if entry.action in HANDLERS and (wanted is None or wanted(entry)):
            by_action[entry.action].append(entry)
    for action, batch in by_action.items():
        if action in AFTER_COMMIT:
            _tell_after_commit(action, [entry.pk for entry in batch])
        else:
            _guarded(HANDLERS[action], batch)


def _tell_after_commit(action, entry_ids):
    from .tasks import tell  # tasks imports this module

    queue_after_commit(tell, action, entry_ids)


def tell_recorded(action, entry_ids):
    """The notices of audit entries recorded by a committed transaction (notifications.tasks.tell).
    The handler gets them as a queryset, read when it asks (the close's inside its first query)."""
    _guarded(HANDLERS[action], AuditEntry.objects.filter(pk__in=entry_ids).order_by("pk"))


@receiver(post_save, sender="delegation.Notification")
def _relationship_expiring(sender, instance, created, **kwargs):
    """delegation's nightly run records a 30- or 7-day notice for each side of a relationship."""
    if not created:
        return
    relationship = instance.relationship
    kind = {"expiry_30": "relationship.expiring_30", "expiry_7": "relationship.expiring_7"}[instance.kind]
    _guarded(
        lambda: emit(
            kind,
            business=instance.recipient,
            subject=relationship,
            side=instance.recipient,
            context=_relationship_context(relationship),
            link=reverse("delegation:manage", args=[instance.recipient.bn9]),
        )
    )


@receiver(post_save, sender="tariff.DataLoad")
def _tariff_version_loaded(sender, instance, created, **kwargs):
    """A new schedule version: its changes are recorded later in the loader's transaction, so the
    watchers are told once it commits (and the hourly scan catches any missed)."""
    if created and instance.kind == "schedule":
        from .tasks import scan_tariff_versions

        transaction.on_commit(scan_tariff_versions.delay)
