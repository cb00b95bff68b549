"""The one authorization layer: who may do what on which business or program account.

Every page, API endpoint and queryset asks here (`Business.objects.visible_to(who, action)`,
`ProgramAccount.objects.visible_to(who, action)`, `may`, `get_visible_or_404`); no view checks
roles itself. `who` is a user or a request: a request made with a personal API token that names
a business (ApiToken.business_number) is narrowed to that business.

Actions:
  VIEW                  see a business or program account and its records
  TRANSACT              create and edit transactions (declarations) of a program account
  PAY                   pay what a program account owes (a provider's employee: only when the
                        relationship allows payments)
  MANAGE_BANKING        set up and cancel pre-authorized debit agreements of a program account
  MANAGE_PEOPLE         decide employees' access requests and grant program roles
  MANAGE_RELATIONSHIPS  approve and manage service providers (delegation)
  ADMINISTER            business-wide: appoint or remove BAMs, employee groups

A BAM may do every action on its business and all its program accounts; the program roles give
the actions in ROLE_ACTIONS on their one account, whether held personally or through a group.
Everything reduces to `program_accounts_for(who, action)`.

Delegation (delegation.models.Relationship): a service provider's employee assigned to a client
(personally or through an employee group, on the client itself or on a client group holding it) gets
the actions of the assigned role (Editor or Reader; PAY only where the importer allows payments) on the
relationship's program accounts (every account of the importer for business scope) while it is in
force: approved and not past its expiry date, and only while the person still works for the provider.
Nothing is cached, so a revocation (or a departure) applies on the very next request. Which *records*
of those accounts they see is `records_visible_to`: the importer's visibility rules. After expiry they
are Expired Users of that client: no account, no action, only the records their business submitted for
it (VIEW).

Acting for a client: a request carries the client a provider's employee works for (the
`X-Acting-For: BN9` header on the API, the session's client switcher on pages); everything is then
narrowed to that client, and a client the person is not related to is refused (403, audited).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from audit.services import record
from businesses.models import Business, ProgramAccount

from .models import AccessRequest, Role, RoleGrant


class Action(models.TextChoices):
    VIEW = "view"
    TRANSACT = "transact"
    PAY = "pay"
    MANAGE_BANKING = "manage_banking"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_RELATIONSHIPS = "manage_relationships"
    ADMINISTER = "administer"


ROLE_ACTIONS = {
    Role.PAM: {
        Action.VIEW,
        Action.TRANSACT,
        Action.PAY,
        Action.MANAGE_BANKING,
        Action.MANAGE_PEOPLE,
        Action.MANAGE_RELATIONSHIPS,
    },
    Role.EDITOR: {Action.VIEW, Action.TRANSACT, Action.PAY},
    Role.READER: {Action.VIEW},
}


ACTING_FOR_HEADER = "HTTP_X_ACTING_FOR"
ACTING_FOR_SESSION_KEY = "carm_acting_for"


@dataclass(frozen=True)
class Actor:
    user: object  # a signed-in User, or None
    only_business: str = ""  # BN9 an API token is narrowed to
    acting_for: str = ""  # BN9 of the client a service provider's employee acts for


def actor_of(who) -> Actor:
    """The acting person of a user, a Django or DRF request, or an Actor."""
    if isinstance(who, Actor):
        return who
    if hasattr(who, "META"):  # a request (DRF's proxies META to Django's)
        django_request = getattr(who, "_request", who)
        token = getattr(django_request, "api_token", None)
        user = who.user if who.user.is_authenticated else None
        actor = Actor(user, token.business_number if token is not None else "")
        if not hasattr(django_request, "_carm_acting_for"):  # checked once per request, never across requests
            django_request._carm_acting_for = _acting_for(django_request, actor)
        return Actor(actor.user, actor.only_business, django_request._carm_acting_for)
    return Actor(who if who is not None and who.is_authenticated and who.is_active else None)


def _acting_for(request, actor: Actor) -> str:
    """The client named by the request, checked against the person's relationships on every call.
    A forged header is refused and audited; a switcher choice that no longer holds (revoked) is dropped."""
    header = request.META.get(ACTING_FOR_HEADER, "").strip()
    session = getattr(request, "session", None)
    chosen = header or (session.get(ACTING_FOR_SESSION_KEY, "") if session is not None else "")
    if not chosen or actor.user is None:
        return ""
    if chosen in clients_of(actor):
        return chosen
    if header:
        record(
            "access.denied",
            actor=actor.user,
            request=request,
            acting_for_business=header[:9],
            after={"object": "delegation.Relationship", "acting_for": header[:20]},
        )
        raise PermissionDenied
    session.pop(ACTING_FOR_SESSION_KEY, None)
    return ""


def clients_of(who) -> set[str]:
    """BN9s of the importers `who` works for as a provider's employee (in force or expired)."""
    actor = actor_of(who)
    if actor.user is None:
        return set()
    from delegation.models import Relationship

    relationships = Relationship.objects.in_force() | Relationship.objects.expired()
    return set(relationships.filter(_assigned(actor)).values_list("importer__bn9", flat=True))


def _grants(actor: Actor):
    return RoleGrant.objects.filter(Q(user=actor.user) | Q(group__members=actor.user))


def _narrowed(queryset, actor: Actor, bn9_field: str):
    """Narrowed to the client acted for (checked against the relationships of the token's business,
    see `_assigned`), else to the business an API token names."""
    if actor.acting_for:
        return queryset.filter(**{bn9_field: actor.acting_for})
    if actor.only_business:
        return queryset.filter(**{bn9_field: actor.only_business})
    return queryset


def _roles_for(action: Action):
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def _employment(user):
    """Where `user` (a user or an OuterRef) works now: role grants, personal or through a group (an
    Expired User's aside), and places in employee groups. Someone whose access was removed (an
    Orphan) has neither."""
    from .models import EmployeeGroup

    grants = RoleGrant.objects.filter(Q(user=user) | Q(group__members=user)).exclude(role=Role.EXPIRED)
    return grants, EmployeeGroup.objects.filter(members=user)


def works_for(user, business) -> Q:
    """Whether `user` works for `business` now (either may be an OuterRef)."""
    grants, groups = _employment(user)
    return Q(Exists(grants.filter(business=business))) | Q(Exists(groups.filter(business=business)))


def _assigned(actor: Actor, action: Action | None = None, prefix: str = "") -> Q:
    """Relationships (or, with a prefix, rows joined to one) `actor` is assigned to, with `action`:
    personally or through an employee group, on the client or on a client group holding it, and
    only while still working for the provider. Uncorrelated subqueries: each runs once a query."""
    from delegation.models import ClientAssignment

    assignments = ClientAssignment.objects.filter(Q(user=actor.user) | Q(group__members=actor.user))
    if action is not None:
        assignments = assignments.filter(role__in=_roles_for(action))
    grants, groups = _employment(actor.user)
    q = (
        Q(**{f"{prefix}pk__in": assignments.values("relationship")})
        | Q(**{f"{prefix}pk__in": assignments.values("client_group__relationships")})
    ) & (
        Q(**{f"{prefix}provider__in": grants.values("business")})
        | Q(**{f"{prefix}provider__in": groups.values("business")})
    )
    if action == Action.PAY:  # paying for a client is a term the importer grants separately
        q &= Q(**{f"{prefix}allows_payments": True})
    if actor.only_business:  # a broker's token reaches the clients of the business it names
        q &= Q(**{f"{prefix}provider__bn9": actor.only_business})
    return q


def _own_accounts(actor: Actor, action: Action):
    """The accounts of the person's own businesses: as BAM, or through a program role."""
    grants = _grants(actor)
    if actor.only_business:
        grants = grants.filter(business__bn9=actor.only_business)
    return ProgramAccount.objects.filter(
        Q(business__in=grants.filter(role=Role.BAM).values("business"))
        | Q(pk__in=grants.filter(role__in=_roles_for(action)).values("program_account"))
    )


def _covers(prefix: str = "") -> Q:
    """Relationships covering the program account at OuterRef(prefix + 'pk')."""
    return Q(scope="business", importer=OuterRef(f"{prefix}business")) | Q(program_accounts=OuterRef(f"{prefix}pk"))


def _delegated_accounts(actor: Actor, action: Action):
    """The clients' accounts the person works on, through relationships in force."""
    from delegation.models import Relationship

    relationships = Relationship.objects.in_force().filter(_assigned(actor, action))
    return ProgramAccount.objects.filter(  # what _covers() says, as two subqueries that each run once
        Q(business__in=relationships.filter(scope="business").values("importer"))
        | Q(pk__in=relationships.values("program_accounts"))
    )


def program_accounts_for(who, action: Action):
    """The program accounts `who` may do `action` on. The single place rights are derived:
    their own businesses' accounts, and their clients' accounts (delegation)."""
    actor = actor_of(who)
    if actor.user is None:
        return ProgramAccount.objects.none()
    accounts = ProgramAccount.objects.filter(
        Q(pk__in=_own_accounts(actor, action).values("pk")) | Q(pk__in=_delegated_accounts(actor, action).values("pk"))
    )
    return _narrowed(accounts, actor, "business__bn9")


def records_visible_to(who, queryset, action: Action = Action.VIEW, account_field: str = "program_account"):
    """The rows of a transaction-like `queryset` (with `account_field` and `submitted_by_business`)
    `who` may see (or do `action` on). People of the account's own business: every row of their
    accounts. A provider's employee: on a client's account, only the categories the importer ticked
    (submitted by this provider / by the importer — or by nobody, i.e. CBSA — / by other businesses).
    An Expired User (relationship past its expiry): VIEW only, exactly the rows its business
    submitted for that client."""
    from delegation.models import Relationship

    actor = actor_of(who)
    if actor.user is None:
        return queryset.none()
    own = _narrowed(_own_accounts(actor, action), actor, "business__bn9")
    submitted_by = OuterRef("submitted_by_business")
    delegated = Relationship.objects.in_force().filter(_assigned(actor, action), _covers(f"{account_field}__"))
    categories = (
        Q(sees_provider_records=True, provider=submitted_by)
        | Q(sees_importer_records=True, importer=submitted_by)
        | (Q(sees_other_records=True) & ~Q(provider=submitted_by) & ~Q(importer=submitted_by))
    )
    visible = (
        Q(**{f"{account_field}__in": own.values("pk")})
        | Q(submitted_by_business__isnull=True) & Q(Exists(delegated.filter(sees_importer_records=True)))
        | Q(submitted_by_business__isnull=False) & Q(Exists(delegated.filter(categories)))
    )
    if action == Action.VIEW:
        expired = Relationship.objects.expired().filter(
            _assigned(actor), importer=OuterRef(f"{account_field}__business"), provider=submitted_by
        )
        visible |= Q(Exists(expired))
    narrowing = _narrowed(ProgramAccount.objects.all(), actor, "business__bn9")
    if actor.only_business or actor.acting_for:
        return queryset.filter(visible, **{f"{account_field}__in": narrowing.values("pk")})
    return queryset.filter(visible)


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


def relationships_for(who):
    """Relationships of the businesses whose relationships `who` manages (importer or provider side;
    a PAM sees those naming one of their accounts), and the ones `who` is assigned to."""
    from delegation.models import Relationship

    actor = actor_of(who)
    if actor.user is None:
        return Relationship.objects.none()
    managed = businesses_for(Actor(actor.user, actor.only_business), Action.ADMINISTER)
    pam_accounts = _own_accounts(actor, Action.MANAGE_RELATIONSHIPS)
    relationships = Relationship.objects.filter(
        Q(importer__in=managed)
        | Q(provider__in=managed)
        | Q(scope="program", program_accounts__in=pam_accounts)
        | _assigned(actor)
    ).distinct()
    return relationships


def client_relationships_for(who):
    """A provider's side: relationships of the providers `who` is BAM of, and those `who` is assigned to."""
    from delegation.models import Relationship

    actor = actor_of(who)
    if actor.user is None:
        return Relationship.objects.none()
    bam_of = _grants(actor).filter(role=Role.BAM).values("business")
    relationships = Relationship.objects.filter(Q(provider__in=bam_of) | _assigned(actor)).distinct()
    return _narrowed(relationships, Actor(actor.user, actor.only_business), "provider__bn9")


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
    actor = actor_of(who) if not hasattr(who, "META") else _actor_unchecked(who)
    record(
        "access.denied",
        actor=actor.user,
        request=request,
        **{"acting_for_business": "", **audit_context(actor)},  # named, so record does not check the request again
        after={"object": label, **{key: str(value) for key, value in details.items()}},
    )


def _actor_unchecked(request) -> Actor:
    """The actor of a request whose acting-for context is being refused (no second check)."""
    try:
        return actor_of(request)
    except PermissionDenied:
        return Actor(request.user if request.user.is_authenticated else None)


def audit_context(who, business=None) -> dict:
    """actor_business / acting_for_business for audit.record: "user X of broker B acting for importer I"."""
    actor = actor_of(who)
    acting_for = actor.acting_for
    if business is not None and not acting_for and actor.user is not None:
        own = set(_grants(actor).values_list("business__bn9", flat=True))
        if business.bn9 not in own and business.bn9 in clients_of(actor):
            acting_for = business.bn9
    if acting_for:
        from delegation.models import Relationship

        provider = (
            Relationship.objects.filter(_assigned(actor), importer__bn9=acting_for)
            .values_list("provider__bn9", flat=True)
            .first()
        )
        return {"actor_business": provider or actor.only_business, "acting_for_business": acting_for}
    return {"actor_business": actor.only_business or (business.bn9 if business is not None else "")}
