"""Access workflows: requests to join an employer, role grants, employee groups. Each service
checks the actor's rights through the rights kernel, owns its transaction and writes the audit trail."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

import rights
from accounts.models import User
from audit.services import record
from businesses.models import Business, ProgramAccount
from core import transitions
from registry.bn import parse_bn9
from rights import Action

from .models import PROGRAM_ROLES, AccessRequest, EmployeeGroup, Role, RoleGrant


def _audit(action, who, request, business, obj, before=None, after=None):
    record(
        action,
        actor=rights.actor_of(who).user,
        request=request,
        obj=obj,
        actor_business=business.bn9,
        before=before,
        after=after,
    )


# --- roles -------------------------------------------------------------------------------------


def set_role(who, program_account, role, *, user=None, group=None, request=None):
    """Give `user` or `group` `role` on `program_account` (None removes it). Caller holds a transaction."""
    rights.require(who, Action.MANAGE_PEOPLE, program_account, request)
    if role is not None and role not in PROGRAM_ROLES:
        raise ValidationError(_("Choose a program account role."), code="invalid_role")
    business = program_account.business
    grant = RoleGrant.objects.filter(program_account=program_account, user=user, group=group).first()
    if grant is not None and grant.role == role:
        return
    before = grant.describe() if grant else None
    if role is None:
        grant.delete()
        _audit("role.revoked", who, request, business, grant, before=before)
    elif grant is None:
        grant = RoleGrant.objects.create(
            business=business,
            program_account=program_account,
            user=user,
            group=group,
            role=role,
            granted_by=rights.actor_of(who).user,
        )
        _audit("role.granted", who, request, business, grant, after=grant.describe())
    else:
        grant.role = role
        grant.save(update_fields=["role"])
        _audit("role.changed", who, request, business, grant, before=before, after=grant.describe())


def set_roles(who, business, roles: dict, *, user=None, group=None, request=None):
    """Apply {program account: role or None} for a person or group on `business`'s accounts."""
    for program_account, role in roles.items():
        if program_account.business_id != business.pk:
            rights.deny(who, program_account, Action.MANAGE_PEOPLE, request)
        set_role(who, program_account, role, user=user, group=group, request=request)


@transaction.atomic
def appoint_bam(who, business, user, request=None):
    rights.require(who, Action.ADMINISTER, business, request)
    grant, created = RoleGrant.objects.get_or_create(
        business=business, user=user, role=Role.BAM, defaults={"granted_by": rights.actor_of(who).user}
    )
    if created:
        _audit("role.granted", who, request, business, grant, after=grant.describe())
    return grant


@transaction.atomic
def remove_bam(who, business, user, request=None):
    """A business always keeps at least one BAM: removing the last one is refused."""
    rights.require(who, Action.ADMINISTER, business, request)
    Business.objects.select_for_update().filter(pk=business.pk).first()  # serialize concurrent removals
    bams = RoleGrant.objects.filter(business=business, role=Role.BAM)
    grant = bams.filter(user=user).first()
    if grant is None:
        return
    if bams.count() == 1:
        raise ValidationError(
            _("%(name)s is the only business account manager: appoint another one first.") % {"name": user},
            code="last_bam",
        )
    before = grant.describe()
    grant.delete()
    _audit("role.revoked", who, request, business, grant, before=before)


@transaction.atomic
def remove_member(who, business, user, request=None):
    """Take every role and group place `user` holds in `business` (a BAM's decision)."""
    remove_bam(who, business, user, request)
    for grant in RoleGrant.objects.filter(business=business, user=user).select_related("program_account"):
        set_role(who, grant.program_account, None, user=user, request=request)
    for group in business.employee_groups.filter(members=user):
        group.members.remove(user)
        _audit("group.changed", who, request, business, group, before={"member": user.email}, after={"member": ""})


@dataclass
class Member:
    user: User
    is_bam: bool = False
    roles: dict = field(default_factory=dict)  # program account number → Role
    groups: list = field(default_factory=list)


def members_of(business) -> list[Member]:
    """Everyone with a role in `business`, personally or through a group (callers check MANAGE_PEOPLE)."""
    people: dict[int, Member] = {}
    for grant in business.role_grants.filter(user__isnull=False).select_related("user", "program_account"):
        member = people.setdefault(grant.user_id, Member(grant.user))
        if grant.role == Role.BAM:
            member.is_bam = True
        else:
            member.roles[grant.program_account.number] = Role(grant.role)
    for group in business.employee_groups.prefetch_related("members"):
        for user in group.members.all():
            people.setdefault(user.pk, Member(user)).groups.append(group)
    return sorted(people.values(), key=lambda m: (not m.is_bam, str(m.user).lower()))


def make_first_bam(sender, *, business, user, **kwargs) -> str:
    """The registrant of a business is its first BAM (businesses.signals.registered)."""
    RoleGrant.objects.create(business=business, user=user, role=Role.BAM, granted_by=user)
    return Role.BAM


def access_givers(who) -> list[tuple[Business, list]]:
    """For a person refused a page that changes things: each business they work for, with its
    business account managers, who give roles on its program accounts."""
    user = rights.actor_of(who).user
    if user is None:
        return []
    grants = RoleGrant.objects.filter(Q(user=user) | Q(group__members=user))
    result = []
    for business in Business.objects.filter(role_grants__in=grants).distinct().order_by("legal_name"):
        bams = User.objects.filter(role_grants__business=business, role_grants__role=Role.BAM).distinct()
        result.append((business, list(bams.order_by("email"))))
    return result


def bam_count(business) -> int:
    return business.role_grants.filter(role=Role.BAM).count()


# --- access requests ----------------------------------------------------------------------------


def request_access(user, bn9: str, note: str, request=None) -> AccessRequest:
    bn9 = parse_bn9(bn9)
    business = Business.objects.filter(bn9=bn9).first()
    if business is None:
        raise ValidationError(
            _("No business with number %(bn)s is registered in the portal. Ask your employer to register it first.")
            % {"bn": bn9},
            code="not_registered",
        )
    if RoleGrant.objects.filter(Q(user=user) | Q(group__members=user), business=business).exists():
        raise ValidationError(_("You already have access to this business."), code="already_member")
    try:
        with transaction.atomic():
            access_request = AccessRequest.objects.create(user=user, business=business, note=note.strip())
    except IntegrityError:
        raise ValidationError(
            _("You already have a pending request for this business."), code="duplicate_request"
        ) from None
    record(
        "access_request.created",
        actor=user,
        request=request,
        obj=access_request,
        acting_for_business=bn9,
        after={"business": bn9, "note": access_request.note},
    )
    return access_request


@transaction.atomic
def withdraw_request(user, access_request, request=None):
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if access_request.user_id != user.pk:
        raise PermissionDenied
    _require_pending(access_request)
    transitions.move(access_request, AccessRequest.Status.WITHDRAWN, decided_at=timezone.now())
    record(
        "access_request.withdrawn",
        actor=user,
        request=request,
        obj=access_request,
        acting_for_business=access_request.business.bn9,
    )


def _require_pending(access_request):
    if access_request.status != AccessRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided or withdrawn."), code="not_pending")


@transaction.atomic
def decide_request(who, access_request, *, approve: bool, reason: str = "", roles=None, make_bam=False, request=None):
    """Approve (with a role on one or more program accounts, or as BAM) or reject with a reason."""
    access_request = (
        AccessRequest.objects.select_for_update().select_related("business", "user").get(pk=access_request.pk)
    )
    business = access_request.business
    rights.require(who, Action.MANAGE_PEOPLE, business, request)
    _require_pending(access_request)
    roles = {account: role for account, role in (roles or {}).items() if role}
    if approve:
        if not roles and not make_bam:
            raise ValidationError(_("Give the person a role on at least one program account."), code="no_role")
        if make_bam:
            appoint_bam(who, business, access_request.user, request)
        set_roles(who, business, roles, user=access_request.user, request=request)
    elif not reason.strip():
        raise ValidationError(_("Say why the request is rejected."), code="reason_required")
    transitions.move(
        access_request,
        AccessRequest.Status.APPROVED if approve else AccessRequest.Status.REJECTED,
        reason=reason.strip(),
        decided_by=rights.actor_of(who).user,
        decided_at=timezone.now(),
    )
    _audit(
        f"access_request.{access_request.status}",
        who,
        request,
        business,
        access_request,
        after={
            "requester": access_request.user.email,
            "reason": access_request.reason,
            "roles": {account.number: role for account, role in roles.items()},
            "bam": make_bam,
        },
    )
    return access_request


# --- employee groups ----------------------------------------------------------------------------


@transaction.atomic
def save_group(who, business, *, name, members, roles, group=None, request=None) -> EmployeeGroup:
    """Create or change a group: its name, members (people of the business) and program roles."""
    rights.require(who, Action.ADMINISTER, business, request)
    allowed = {m.user.pk for m in members_of(business)}
    if any(user.pk not in allowed for user in members):
        raise ValidationError(_("Only people of this business can join its groups."), code="not_a_member")
    before = _group_state(group) if group else None
    try:
        with transaction.atomic():
            if group is None:
                group = EmployeeGroup.objects.create(business=business, name=name.strip())
            else:
                group.name = name.strip()
                group.save(update_fields=["name"])
    except IntegrityError:
        raise ValidationError(_("This business already has a group with that name."), code="duplicate_group") from None
    group.members.set(members)
    set_roles(who, business, roles, group=group, request=request)
    _audit(
        "group.changed" if before else "group.created",
        who,
        request,
        business,
        group,
        before=before,
        after=_group_state(group),
    )
    return group


@transaction.atomic
def delete_group(who, group, request=None):
    business = group.business
    rights.require(who, Action.ADMINISTER, business, request)
    before = _group_state(group)
    group.delete()
    _audit("group.deleted", who, request, business, None, before=before)


def _group_state(group) -> dict:
    return {
        "name": group.name,
        "members": sorted(group.members.values_list("email", flat=True)),
        "roles": dict(group.role_grants.values_list("program_account__number", "role")),
    }


# --- dashboard ----------------------------------------------------------------------------------


def dashboard(user) -> dict:
    """The signed-in person's businesses and what awaits their decision."""
    # The person's own businesses, not every client an officer may view
    businesses = rights.held(Business.objects.all(), user).annotate(
        bams=Count("role_grants", filter=Q(role_grants__role=Role.BAM))
    )
    administered = set(Business.objects.visible_to(user, Action.ADMINISTER).values_list("pk", flat=True))
    pending = (
        AccessRequest.objects.visible_to(user)
        .filter(
            status=AccessRequest.Status.PENDING, business__in=Business.objects.visible_to(user, Action.MANAGE_PEOPLE)
        )
        .select_related("user", "business")
    )
    return {
        "businesses": businesses,
        "pending_requests": pending,
        "lone_bam_businesses": [b for b in businesses if b.pk in administered and b.bams == 1],
        "my_requests": user.access_requests.filter(status=AccessRequest.Status.PENDING).select_related("business"),
    }


def program_roles_for(who, business) -> dict:
    """{program account: the person's role on it} for one business (BAM shown on every account)."""
    actor = rights.actor_of(who)
    accounts = ProgramAccount.objects.visible_to(actor).filter(business=business)
    if rights.may(actor, Action.ADMINISTER, business):
        return {account: Role.BAM for account in accounts}
    grants = RoleGrant.objects.filter(Q(user=actor.user) | Q(group__members=actor.user), program_account__in=accounts)
    ranked = {role: rank for rank, role in enumerate(PROGRAM_ROLES)}
    roles = {}
    for grant in grants.select_related("program_account"):
        current = roles.get(grant.program_account)
        if current is None or ranked[grant.role] < ranked[current]:
            roles[grant.program_account] = Role(grant.role)
    return roles
