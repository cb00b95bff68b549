"""The one authorization layer: who may do what on which business or program account.

Every page, API endpoint and queryset asks here (`Business.objects.visible_to(who, action)`,
`ProgramAccount.objects.visible_to(who, action)`, `may`, `get_visible_or_404`); no view checks
roles itself. `who` is a user or a request: a request made with a personal API token that names
a business (ApiToken.business_number) is narrowed to that business.

Actions:
  VIEW                  see a business or program account and its records
  TRANSACT              create and edit transactions (declarations) of a program account
  PAY                   pay what a program account owes
  MANAGE_PEOPLE         decide employees' access requests and grant program roles
  MANAGE_RELATIONSHIPS  approve and manage service providers (delegation)
  ADMINISTER            business-wide: appoint or remove BAMs, employee groups

A BAM may do every action on its business and all its program accounts; the program roles give
the actions in ROLE_ACTIONS on their one account, whether held personally or through a group.
Everything reduces to `program_accounts_for(who, action)`: the delegation issue extends that one
function with the accounts a service provider's people act on for their clients.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from audit.services import record
from businesses.models import Business, ProgramAccount

from .models import AccessRequest, Role, RoleGrant


class Action(models.TextChoices):
    VIEW = "view"
    TRANSACT = "transact"
    PAY = "pay"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_RELATIONSHIPS = "manage_relationships"
    ADMINISTER = "administer"


ROLE_ACTIONS = {
    Role.PAM: {Action.VIEW, Action.TRANSACT, Action.PAY, Action.MANAGE_PEOPLE, Action.MANAGE_RELATIONSHIPS},
    Role.EDITOR: {Action.VIEW, Action.TRANSACT},
    Role.READER: {Action.VIEW},
}


@dataclass(frozen=True)
class Actor:
    user: object  # a signed-in User, or None
    only_business: str = ""  # BN9 an API token is narrowed to


def actor_of(who) -> Actor:
    """The acting person of a user, a Django or DRF request, or an Actor."""
    if isinstance(who, Actor):
        return who
    if hasattr(who, "META"):  # a request (DRF's proxies META to Django's)
        token = getattr(getattr(who, "_request", who), "api_token", None)
        user = who.user if who.user.is_authenticated else None
        return Actor(user, token.business_number if token is not None else "")
    return Actor(who if who is not None and who.is_authenticated and who.is_active else None)


def _grants(actor: Actor):
    return RoleGrant.objects.filter(Q(user=actor.user) | Q(group__members=actor.user))


def _narrowed(queryset, actor: Actor, bn9_field: str):
    return queryset.filter(**{bn9_field: actor.only_business}) if actor.only_business else queryset


def program_accounts_for(who, action: Action):
    """The program accounts `who` may do `action` on. The single place rights are derived."""
    actor = actor_of(who)
    if actor.user is None:
        return ProgramAccount.objects.none()
    grants = _grants(actor)
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    accounts = ProgramAccount.objects.filter(
        Q(business__in=grants.filter(role=Role.BAM).values("business"))
        | Q(pk__in=grants.filter(role__in=roles).values("program_account"))
    )
    return _narrowed(accounts, actor, "business__bn9")


def businesses_for(who, action: Action):
    """The businesses `who` may do `action` on: as a BAM, or through one of their program accounts."""
    actor = actor_of(who)
    if actor.user is None:
        return Business.objects.none()
    businesses = Business.objects.filter(
        Q(pk__in=_grants(actor).filter(role=Role.BAM).values("business"))
        | Q(pk__in=program_accounts_for(actor, action).values("business"))
    )
    return _narrowed(businesses, actor, "bn9")


def access_requests_for(who):
    """A person's own requests, and those addressed to businesses whose people they manage."""
    actor = actor_of(who)
    if actor.user is None:
        return AccessRequest.objects.none()
    requests = AccessRequest.objects.filter(
        Q(user=actor.user) | Q(business__in=businesses_for(actor, Action.MANAGE_PEOPLE))
    )
    return _narrowed(requests, actor, "business__bn9")


def role_grants_for(who):
    """A person's own grants, and every grant of the businesses whose people they manage."""
    actor = actor_of(who)
    if actor.user is None:
        return RoleGrant.objects.none()
    grants = RoleGrant.objects.filter(Q(user=actor.user) | Q(business__in=businesses_for(actor, Action.MANAGE_PEOPLE)))
    return _narrowed(grants, actor, "business__bn9")


def may(who, action: Action, obj) -> bool:
    if isinstance(obj, Business):
        return businesses_for(who, action).filter(pk=obj.pk).exists()
    if isinstance(obj, ProgramAccount):
        return program_accounts_for(who, action).filter(pk=obj.pk).exists()
    raise TypeError(f"no authorization rule for {type(obj).__name__}")


def require(who, action: Action, obj, request=None) -> None:
    """PermissionDenied (and an audit entry) unless `who` may do `action` on `obj`."""
    if not may(who, action, obj):
        deny(who, obj, action, request)


def deny(who, obj, action: Action, request=None):
    """Audit a refused action on `obj` and raise PermissionDenied."""
    _record_denial(who, request, obj._meta.label, {"pk": obj.pk, "action": action})
    raise PermissionDenied


def get_visible_or_404(queryset, request, **lookup):
    """The object of `queryset` (already scoped by this module) matching `lookup`, or 404.
    An id that exists but is out of reach was forged or guessed: the attempt is audited."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        if queryset.model._default_manager.filter(**lookup).exists():
            _record_denial(request, request, queryset.model._meta.label, lookup)
        raise Http404
    return obj


def _record_denial(who, request, label, details):
    actor = actor_of(who)
    record(
        "access.denied",
        actor=actor.user,
        request=request,
        actor_business=actor.only_business,
        after={"object": label, **{key: str(value) for key, value in details.items()}},
    )
