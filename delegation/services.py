"""Relationship workflows between service providers and importers. Each service checks the actor's
rights through the rights kernel, owns its transaction and writes the audit trail. Nothing here grants
rights by itself: the rights kernel derives them from the rows on every request."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

import rights
from access.grants import works_for
from access.services import members_of
from audit.services import record
from businesses.models import Business, ProgramAccount
from core import transitions
from registry.bn import parse_bn9, parse_bn15
from rights import Action

from .models import (
    CLIENT_ROLES,
    PROVIDER_KINDS,
    ClientAssignment,
    ClientGroup,
    Notification,
    Relationship,
    default_expiry,
)

Status = Relationship.Status


def _audit(action, who, request, business, obj, before=None, after=None, acting_for_business=None):
    actor = rights.actor_of(who)
    record(
        action,
        actor=actor.user,
        request=request,
        obj=obj,
        actor_business=business.bn9 if business else actor.only_business,
        acting_for_business=acting_for_business,
        before=before,
        after=after,
    )


def _locked(relationship) -> Relationship:
    return Relationship.objects.select_for_update().select_related("provider", "importer").get(pk=relationship.pk)


def _request_lapses_on() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=settings.CARM_RELATIONSHIP_REQUEST_DAYS)


def _cannot_relate(bn9) -> ValidationError:
    """One answer, whatever is wrong with the other party's number (not registered, not an importer, not a
    broker or consultant): the sender has no relationship with it yet, so it learns nothing of the number."""
    return ValidationError(
        _("No request can be sent to business number %(bn)s: check the number with that business.") % {"bn": bn9},
        code="cannot_relate",
    )


def _registered(bn9) -> Business:
    business = Business.objects.filter(bn9=bn9).first()
    if business is None:
        raise _cannot_relate(bn9)
    return business


def _accounts_of(importer, numbers) -> list[ProgramAccount]:
    accounts = []
    for number in numbers:
        number = parse_bn15(number)
        account = importer.program_accounts.filter(number=number).first()
        if account is None:
            raise ValidationError(  # naming no business: the sender may have no relationship with it yet
                _("%(number)s cannot be named in this request: check the number.") % {"number": number},
                code="unknown_account",
            )
        accounts.append(account)
    return accounts


def _check_parties(provider, importer, side):
    """The sender's own business is named in its errors; the other party only through _cannot_relate."""
    if provider.pk == importer.pk:
        raise ValidationError(_("A business cannot have a relationship with itself."), code="self")
    sender_is_provider = side == Relationship.Side.PROVIDER
    if provider.kind not in PROVIDER_KINDS:
        if not sender_is_provider:
            raise _cannot_relate(provider.bn9)
        raise ValidationError(
            _("%(name)s is not a customs broker or a trade consultant.") % {"name": provider.legal_name},
            code="not_a_provider",
        )
    if importer.kind != Business.Kind.IMPORTER:
        if sender_is_provider:
            raise _cannot_relate(importer.bn9)
        raise ValidationError(_("%(name)s is not an importer.") % {"name": importer.legal_name}, code="not_an_importer")
    if Relationship.objects.in_force().filter(provider=provider, importer=importer).exists():
        raise ValidationError(_("These businesses already have a relationship."), code="already_related")
    # A request or relationship past its date that the nightly run has not reached yet blocks nothing.
    today = timezone.localdate()
    between = Relationship.objects.select_for_update().filter(provider=provider, importer=importer)
    for stale in between.filter(status=Status.ACTIVE, expires_on__lt=today):
        _expire(stale)
    pending = Relationship.objects.pending().filter(provider=provider, importer=importer)
    for stale in between.filter(status=Status.PENDING, request_expires_on__lt=today):
        _lapse(stale)
    if pending.exists():
        raise ValidationError(_("A request between these businesses is already pending."), code="duplicate")


@transaction.atomic  # _check_parties locks and ends the stale rows between the two businesses
def _create(who, provider, importer, *, side, scope, accounts, note, request, allows_payments=False):
    _check_parties(provider, importer, side)
    if scope not in Relationship.Scope.values:
        raise ValidationError(_("Choose business or program management."), code="invalid_scope")
    if scope == Relationship.Scope.PROGRAM and not accounts:
        raise ValidationError(_("Name at least one program account."), code="no_account")
    try:
        with transaction.atomic():
            relationship = Relationship.objects.create(
                provider=provider,
                importer=importer,
                initiated_by=side,
                scope=scope,
                note=note.strip(),
                allows_payments=allows_payments,
                request_expires_on=_request_lapses_on(),
                created_by=rights.actor_of(who).user,
            )
    except IntegrityError:  # a race with another request
        raise ValidationError(_("A request between these businesses is already pending."), code="duplicate") from None
    if scope == Relationship.Scope.PROGRAM:
        relationship.program_accounts.set(accounts)
    own = provider if side == Relationship.Side.PROVIDER else importer
    _audit("relationship.requested", who, request, own, relationship, after=relationship.describe())
    return relationship


def request_relationship(who, provider, importer_bn9, *, scope, accounts=(), note="", request=None) -> Relationship:
    """A provider's BAM asks an importer (by BN9) for business or program (BN15s) access."""
    rights.require(who, Action.ADMINISTER, provider, request)  # outside the transaction: the refusal stays audited
    importer = _registered(parse_bn9(importer_bn9))
    numbers = _accounts_of(importer, accounts) if scope == Relationship.Scope.PROGRAM else []
    return _create(
        who,
        provider,
        importer,
        side=Relationship.Side.PROVIDER,
        scope=scope,
        accounts=numbers,
        note=note,
        request=request,
    )


def invite_provider(
    who, importer, provider_bn9, *, scope, accounts=(), note="", allows_payments=False, request=None
) -> Relationship:
    """An importer's BAM invites a provider (by BN9), saying whether it may pay amounts owing; the
    provider's BAM accepts or declines."""
    rights.require(who, Action.ADMINISTER, importer, request)
    provider = _registered(parse_bn9(provider_bn9))
    numbers = _accounts_of(importer, accounts) if scope == Relationship.Scope.PROGRAM else []
    return _create(
        who,
        provider,
        importer,
        side=Relationship.Side.IMPORTER,
        scope=scope,
        accounts=numbers,
        note=note,
        allows_payments=allows_payments,
        request=request,
    )


def _deciding_side(relationship) -> Business:
    return relationship.importer if relationship.initiated_by == Relationship.Side.PROVIDER else relationship.provider


def _require_decider(who, relationship, request):
    """The importer decides a provider's request (its BAM, or a PAM of every named account);
    the provider's BAM decides an importer's invitation."""
    if relationship.initiated_by == Relationship.Side.IMPORTER:
        rights.require(who, Action.ADMINISTER, relationship.provider, request)
    else:
        _require_importer_manager(who, relationship, request)


def _require_importer_manager(who, relationship, request, terms=None):
    """The importer's side changes a relationship: its BAM, or a PAM of every program account the
    change touches, those named now and those the terms would name, whatever the terms leave out
    (scope, accounts and the payment term reach every one of them). A business scope is the BAM's."""
    if rights.may(who, Action.ADMINISTER, relationship.importer):
        return
    touched = _touched_accounts(relationship, terms or {})
    if touched is None:
        rights.deny(who, relationship.importer, Action.MANAGE_RELATIONSHIPS, request)
    for account in touched:
        rights.require(who, Action.MANAGE_RELATIONSHIPS, account, request)


def _touched_accounts(relationship, terms) -> set | None:
    """The program accounts a change of `terms` reaches, or None when it reaches the whole business."""
    scope = terms.get("scope", relationship.scope)
    current = set(relationship.program_accounts.all())
    wanted = set(terms.get("accounts", current)) if scope == Relationship.Scope.PROGRAM else set()
    if Relationship.Scope.BUSINESS in (scope, relationship.scope) or not (current or wanted):
        return None
    return current | wanted


def _still_manages(who, relationship, terms):
    """Inside the lock: the accounts may have changed since the (audited) check; check again."""
    if not _manages(who, relationship, terms):
        raise PermissionDenied


def _require_pending(relationship):
    if relationship.status == Status.PENDING and relationship.request_expires_on < timezone.localdate():
        raise ValidationError(_("This request has lapsed: the sender can send a new one."), code="lapsed")
    if relationship.status != Status.PENDING:
        raise ValidationError(_("This request was already decided."), code="not_pending")


def _apply_terms(
    relationship, *, scope, accounts, expires_on, sees_provider, sees_importer, sees_others, allows_payments
):
    if expires_on is None:
        raise ValidationError(_("Give an expiry date."), code="expiry_required")
    if expires_on < timezone.localdate():
        raise ValidationError(_("The expiry date cannot be in the past."), code="expiry_in_past")
    if scope not in Relationship.Scope.values:
        raise ValidationError(_("Choose business or program management."), code="invalid_scope")
    accounts = list(accounts)
    if any(account.business_id != relationship.importer_id for account in accounts):
        raise ValidationError(_("Choose program accounts of the importer."), code="unknown_account")
    if scope == Relationship.Scope.PROGRAM and not accounts:
        raise ValidationError(_("Name at least one program account."), code="no_account")
    relationship.scope = scope
    relationship.expires_on = expires_on
    relationship.sees_provider_records = sees_provider
    relationship.sees_importer_records = sees_importer
    relationship.sees_other_records = sees_others
    relationship.allows_payments = allows_payments
    relationship.save()
    relationship.program_accounts.set(accounts if scope == Relationship.Scope.PROGRAM else [])


def default_terms(relationship) -> dict:
    """What the approval form offers: the requested scope, one year, and the visibility a relationship
    of that kind starts with (program: the provider's own records only; business: all three), and no
    payments unless the importer's invitation offered them."""
    business = relationship.scope == Relationship.Scope.BUSINESS
    return {
        "scope": relationship.scope,
        "accounts": list(relationship.program_accounts.all()),
        "expires_on": default_expiry(),
        "sees_provider": True,
        "sees_importer": business,
        "sees_others": business,
        "allows_payments": relationship.allows_payments,
    }


def approve(who, relationship, *, request=None, **terms) -> Relationship:
    """The importer approves a provider's request with terms (scope, accounts, expires_on,
    sees_provider/importer/others, allows_payments; defaults from default_terms). A provider accepting an importer's
    invitation takes the default terms for the scope offered; the importer changes them afterwards."""
    if relationship.initiated_by == Relationship.Side.IMPORTER:
        rights.require(who, Action.ADMINISTER, relationship.provider, request)
        terms = {}  # the provider accepts the invitation as offered; the importer changes the terms later
    else:  # refusals are checked (and audited) before the transaction
        _require_importer_manager(who, relationship, request, terms)
    return _approve(who, relationship, request, terms)


@transaction.atomic
def _approve(who, relationship, request, terms):
    relationship = _locked(relationship)
    _require_pending(relationship)
    if relationship.initiated_by == Relationship.Side.PROVIDER:
        _still_manages(who, relationship, terms)
    _apply_terms(relationship, **{**default_terms(relationship), **terms})
    transitions.move(relationship, Status.ACTIVE, decided_by=rights.actor_of(who).user, decided_at=timezone.now())
    _audit(
        "relationship.approved", who, request, _deciding_side(relationship), relationship, after=relationship.describe()
    )
    return relationship


def reject(who, relationship, *, reason, request=None) -> Relationship:
    _require_decider(who, relationship, request)
    with transaction.atomic():
        return _reject(who, _locked(relationship), reason, request)


def _reject(who, relationship, reason, request):
    _require_pending(relationship)
    if not reason.strip():
        raise ValidationError(_("Say why the request is rejected."), code="reason_required")
    transitions.move(
        relationship,
        Status.REJECTED,
        reason=reason.strip(),
        decided_by=rights.actor_of(who).user,
        decided_at=timezone.now(),
    )
    _audit(
        "relationship.rejected",
        who,
        request,
        _deciding_side(relationship),
        relationship,
        after={"reason": relationship.reason},
    )
    return relationship


def change_terms(who, relationship, *, request=None, **terms) -> Relationship:
    """The importer narrows or widens the scope, changes visibility, allows or stops payments,
    extends or shortens the expiry."""
    _require_importer_manager(who, relationship, request, terms)
    with transaction.atomic():
        return _change_terms(who, _locked(relationship), request, terms)


def _change_terms(who, relationship, request, terms):
    _still_manages(who, relationship, terms)
    if not relationship.is_in_force:
        raise ValidationError(_("Only a relationship in force can be changed."), code="not_active")
    current = {
        "scope": relationship.scope,
        "accounts": list(relationship.program_accounts.all()),
        "expires_on": relationship.expires_on,
        "sees_provider": relationship.sees_provider_records,
        "sees_importer": relationship.sees_importer_records,
        "sees_others": relationship.sees_other_records,
        "allows_payments": relationship.allows_payments,
    }
    chosen = {**current, **terms}
    before = relationship.describe()
    _apply_terms(relationship, **chosen)
    _audit(
        "relationship.changed",
        who,
        request,
        relationship.importer,
        relationship,
        before=before,
        after=relationship.describe(),
    )
    return relationship


def revoke(who, relationship, *, reason="", request=None) -> Relationship:
    """The importer ends it at once (a pending request the importer sent is withdrawn)."""
    _require_importer_manager(who, relationship, request)
    return _end(who, relationship, Status.REVOKED, reason, relationship.importer, request)


def end_by_provider(who, relationship, *, reason="", request=None) -> Relationship:
    """The provider's BAM ends it from its side (or withdraws its pending request)."""
    rights.require(who, Action.ADMINISTER, relationship.provider, request)
    return _end(who, relationship, Status.ENDED, reason, relationship.provider, request)


@transaction.atomic
def _end(who, relationship, status, reason, side, request):
    relationship = _locked(relationship)
    sender = relationship.provider if relationship.initiated_by == Relationship.Side.PROVIDER else relationship.importer
    if relationship.status == Status.PENDING and side != sender:
        raise ValidationError(_("Approve or reject a request you received."), code="not_the_sender")
    if relationship.status == Status.PENDING:
        status = Status.WITHDRAWN
    elif not relationship.is_in_force:
        raise ValidationError(_("This relationship has already ended."), code="not_active")
    before = relationship.describe()
    transitions.move(relationship, status, reason=reason.strip(), ended_at=timezone.now())
    _audit(f"relationship.{status}", who, request, side, relationship, before=before, after=relationship.describe())
    return relationship


def assign(who, relationship, role, *, user=None, group=None, request=None):
    """The provider's BAM puts an employee (or group) on a client as Editor or Reader (None removes)."""
    rights.require(who, Action.ADMINISTER, relationship.provider, request)
    with transaction.atomic():
        relationship = _locked(relationship)
        if not relationship.is_in_force:
            raise ValidationError(_("Only a relationship in force can be staffed."), code="not_active")
        return _put_assignment(
            who,
            request,
            relationship.provider,
            {"relationship": relationship},
            role,
            user,
            group,
            acting_for_business=relationship.importer.bn9,
        )


def _put_assignment(who, request, provider, target: dict, role, user, group, acting_for_business=None):
    """Create, change or (role None) remove the assignment of `user` or `group` to `target`, a
    relationship or a client group: Editor or Reader, people and groups of the provider only. Audited."""
    if role is not None and role not in CLIENT_ROLES:
        raise ValidationError(_("Choose Editor or Reader."), code="invalid_role")
    if group is not None and group.business_id != provider.pk:
        raise ValidationError(_("Choose a group of your business."), code="not_a_member")
    if user is not None:
        if user.pk not in {m.user.pk for m in members_of(provider)}:
            raise ValidationError(_("Only people of your business can work on a client."), code="not_a_member")
    [(kind, obj)] = target.items()
    assignment = ClientAssignment.objects.filter(**target, user=user, group=group).first()
    before = assignment.describe() if assignment else None
    if role is None:
        if assignment is not None:
            assignment.delete()
            _audit(f"{kind}.unassigned", who, request, provider, obj, before, acting_for_business=acting_for_business)
        return None
    if assignment is None:
        assignment = ClientAssignment.objects.create(
            **target, user=user, group=group, role=role, assigned_by=rights.actor_of(who).user
        )
    elif assignment.role != role:
        assignment.role = role
        assignment.save(update_fields=["role"])
    else:
        return assignment
    _audit(
        f"{kind}.assigned",
        who,
        request,
        provider,
        obj,
        before=before,
        after=assignment.describe(),
        acting_for_business=acting_for_business,
    )
    return assignment


# --- client groups ------------------------------------------------------------------------------


def save_client_group(who, provider, *, name, relationships, client_group=None, request=None) -> ClientGroup:
    """The provider's BAM creates or changes a client group: its name and its clients (relationships
    of the provider). Whoever is assigned to the group works on its clients from now on."""
    rights.require(who, Action.ADMINISTER, provider, request)
    relationships = list(relationships)
    if not name.strip():
        raise ValidationError(_("Give the client group a name."), code="name_required")
    if any(relationship.provider_id != provider.pk for relationship in relationships):
        raise ValidationError(_("Choose clients of your business."), code="not_a_client")
    with transaction.atomic():
        before = _client_group_state(client_group) if client_group else None
        try:
            with transaction.atomic():
                if client_group is None:
                    client_group = ClientGroup.objects.create(provider=provider, name=name.strip())
                else:
                    client_group.name = name.strip()
                    client_group.save(update_fields=["name"])
        except IntegrityError:
            raise ValidationError(
                _("Your business already has a client group with that name."), code="duplicate_group"
            ) from None
        client_group.relationships.set(relationships)
        action = "client_group.changed" if before else "client_group.created"
        _audit(action, who, request, provider, client_group, before=before, after=_client_group_state(client_group))
    return client_group


def delete_client_group(who, client_group, request=None):
    """Its assignments go with it: its clients keep only their own assignments."""
    rights.require(who, Action.ADMINISTER, client_group.provider, request)
    with transaction.atomic():
        before = _client_group_state(client_group)
        client_group.delete()
        _audit("client_group.deleted", who, request, client_group.provider, None, before=before)


def assign_client_group(who, client_group, role, *, user=None, group=None, request=None):
    """The provider's BAM puts an employee (or group) on every client of a client group (None removes)."""
    provider = client_group.provider
    rights.require(who, Action.ADMINISTER, provider, request)
    with transaction.atomic():
        client_group = ClientGroup.objects.select_for_update().get(pk=client_group.pk)
        return _put_assignment(who, request, provider, {"client_group": client_group}, role, user, group)


def _client_group_state(client_group) -> dict:
    return {
        "name": client_group.name,
        "clients": sorted(client_group.relationships.values_list("importer__bn9", flat=True)),
    }


# --- scheduled ----------------------------------------------------------------------------------


def _lapse(relationship):
    transitions.move(relationship, Status.LAPSED)
    record("relationship.lapsed", obj=relationship, after={"request_expires_on": str(relationship.request_expires_on)})


def _expire(relationship):
    """Past its expiry date: its people become Expired Users of the client."""
    transitions.move(relationship, Status.EXPIRED, ended_at=timezone.now())
    record("relationship.expired", obj=relationship, after={"expires_on": str(relationship.expires_on)})


def drop_departed_assignments() -> int:
    """Delete (audited) the personal assignments of people who no longer work for the provider (access
    removed, Orphan or Expired User there). The rights kernel already ignores them: this is the tidying."""
    departed = (
        ClientAssignment.objects.filter(user__isnull=False)
        .annotate(provider=Coalesce("relationship__provider", "client_group__provider"))
        .filter(~works_for(OuterRef("user"), OuterRef("provider")))
        .select_related("user", "relationship__importer", "client_group")
    )
    count = 0
    for assignment in departed:
        relationship, before = assignment.relationship, assignment.describe()
        assignment.delete()
        record(
            "relationship.unassigned" if relationship else "client_group.unassigned",
            obj=relationship or assignment.client_group,
            acting_for_business=relationship.importer.bn9 if relationship else "",
            before=before,
            after={"reason": "no longer works for the service provider"},
        )
        count += 1
    return count


NOTICE_DAYS = {30: Notification.Kind.EXPIRES_IN_30_DAYS, 7: Notification.Kind.EXPIRES_IN_7_DAYS}


@transaction.atomic
def expire_relationships(today=None) -> dict:
    """The nightly run: lapse pending requests past their date, expire relationships past theirs
    (their people become Expired Users), take off clients the people who left the provider, and warn
    both sides 30 and 7 days ahead. Idempotent."""
    today = today or timezone.localdate()
    counts = {"lapsed": 0, "expired": 0, "unassigned": drop_departed_assignments(), "notified": 0}
    for relationship in Relationship.objects.select_for_update().filter(
        status=Status.PENDING, request_expires_on__lt=today
    ):
        _lapse(relationship)
        counts["lapsed"] += 1
    for relationship in Relationship.objects.select_for_update().filter(status=Status.ACTIVE, expires_on__lt=today):
        _expire(relationship)
        counts["expired"] += 1
    for days, kind in NOTICE_DAYS.items():
        later = max((d for d in NOTICE_DAYS if d < days), default=-1)  # the next, shorter notice's window
        due = (
            Relationship.objects.in_force(today)
            .filter(
                expires_on__gt=today + datetime.timedelta(days=later),
                expires_on__lte=today + datetime.timedelta(days=days),
            )
            .select_related("provider", "importer")
        )
        for relationship in due:
            for business in (relationship.importer, relationship.provider):
                _, created = Notification.objects.get_or_create(
                    recipient=business,
                    relationship=relationship,
                    kind=kind,
                    defaults={"text_key": f"delegation.{kind}"},
                )
                counts["notified"] += created
    return counts


# --- pages --------------------------------------------------------------------------------------


def may_decide(who, relationship) -> bool:
    """Whether `who` decides this pending request (no audit: for showing buttons and lists)."""
    if relationship.initiated_by == Relationship.Side.IMPORTER:
        return rights.may(who, Action.ADMINISTER, relationship.provider)
    return may_manage_as_importer(who, relationship)


def may_manage_as_importer(who, relationship) -> bool:
    return _manages(who, relationship, {})


def _manages(who, relationship, terms) -> bool:
    if rights.may(who, Action.ADMINISTER, relationship.importer):
        return True
    touched = _touched_accounts(relationship, terms)
    return touched is not None and all(rights.may(who, Action.MANAGE_RELATIONSHIPS, a) for a in touched)


def awaiting_decision(who) -> list[Relationship]:
    """Pending requests `who` decides (the dashboard's pending actions)."""
    pending = Relationship.objects.visible_to(who).pending().filter(request_expires_on__gte=timezone.localdate())
    return [r for r in pending.select_related("provider", "importer") if may_decide(who, r)]
