"""Where rights come from, on a service provider's side: relationships with their scope, expiry,
payments term and visibility rules. Registered with the rights kernel from DelegationConfig.ready.

A service provider's employee assigned to a client (personally or through an employee group, on
the client itself or on a client group holding it) gets the actions of the assigned role (Editor
or Reader; PAY only where the importer allows payments) on the relationship's program accounts
(every account of the importer for business scope) while it is in force: approved and not past
its expiry date, and only while the person still works for the provider. Which *records* of those
accounts they see is the importer's visibility rules. After expiry they are Expired Users of that
client: no account, no action, only the records their business submitted for it (VIEW).

Acting for a client: a request carries the client a provider's employee works for (the
`X-Acting-For: BN9` header on the API, the session's client switcher on pages); the kernel then
narrows everything to that client, and refuses (403, audited) a client the person is not related to.
"""

import dataclasses

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

import rights
from access.grants import employment, grants_of, own_accounts, roles_for
from access.models import Role
from businesses.models import Business, ProgramAccount
from rights import Action, Actor

from .models import ClientAssignment, ClientGroup, Relationship


def assigned(actor: Actor, action: Action | None = None, prefix: str = "") -> Q:
    """Relationships (or, with a prefix, rows joined to one) `actor` is assigned to, with `action`:
    personally or through an employee group, on the client or on a client group holding it, and
    only while still working for the provider. Uncorrelated subqueries: each runs once a query."""
    assignments = ClientAssignment.objects.filter(Q(user=actor.user) | Q(group__members=actor.user))
    if action is not None:
        assignments = assignments.filter(role__in=roles_for(action))
    # One subquery for both kinds: an assignment names a relationship or a client group, never both
    # (delegation_assignment_to_client_or_client_group), so the first that is set is the one it names.
    relationships = assignments.values(assigned_to=Coalesce("relationship", "client_group__relationships"))
    grants, groups = employment(actor.user)
    q = Q(**{f"{prefix}pk__in": relationships}) & (
        Q(**{f"{prefix}provider__in": grants.values("business")})
        | Q(**{f"{prefix}provider__in": groups.values("business")})
    )
    if action == Action.PAY:  # paying for a client is a term the importer grants separately
        q &= Q(**{f"{prefix}allows_payments": True})
    if actor.only_business:  # a broker's token reaches the clients of the business it names
        q &= Q(**{f"{prefix}provider__bn9": actor.only_business})
    return q


def _covers(prefix: str = "") -> Q:
    """Relationships covering the program account at OuterRef(prefix + 'pk')."""
    return Q(scope="business", importer=OuterRef(f"{prefix}business")) | Q(program_accounts=OuterRef(f"{prefix}pk"))


class Relationships(rights.Source):
    def accounts(self, actor, action):
        """The clients' accounts the person works on, through relationships in force."""
        relationships = Relationship.objects.in_force().filter(assigned(actor, action))
        return ProgramAccount.objects.filter(  # what _covers() says, as two subqueries that each run once
            Q(business__in=relationships.filter(scope="business").values("importer"))
            | Q(pk__in=relationships.values("program_accounts"))
        )

    def records(self, actor, action, account_field):
        """On a client's account, only the categories the importer ticked (submitted by this
        provider / by the importer — or by nobody, i.e. CBSA — / by other businesses). An Expired
        User: VIEW only, exactly the rows its business submitted for that client."""
        submitted_by = OuterRef("submitted_by_business")
        delegated = Relationship.objects.in_force().filter(assigned(actor, action), _covers(f"{account_field}__"))
        categories = (
            Q(sees_provider_records=True, provider=submitted_by)
            | Q(sees_importer_records=True, importer=submitted_by)
            | (Q(sees_other_records=True) & ~Q(provider=submitted_by) & ~Q(importer=submitted_by))
        )
        visible = Q(submitted_by_business__isnull=True) & Q(Exists(delegated.filter(sees_importer_records=True))) | Q(
            submitted_by_business__isnull=False
        ) & Q(Exists(delegated.filter(categories)))
        if action == Action.VIEW:
            expired = Relationship.objects.expired().filter(
                assigned(actor), importer=OuterRef(f"{account_field}__business"), provider=submitted_by
            )
            visible |= Q(Exists(expired))
        return visible

    def clients(self, actor):
        relationships = Relationship.objects.in_force() | Relationship.objects.expired()
        return set(relationships.filter(assigned(actor)).values_list("importer__bn9", flat=True))

    def provider_for(self, actor, client):
        relationships = Relationship.objects.filter(assigned(actor), importer__bn9=client)
        return relationships.values_list("provider__bn9", flat=True).first()


def _relationships_rule(actor: Actor, action: Action) -> Q:
    """Relationships of the businesses whose relationships `actor` manages (importer or provider side;
    a PAM sees those naming one of their accounts), and the ones `actor` is assigned to."""
    whole = dataclasses.replace(actor, acting_for="")
    managed = rights.restrict(Business.objects.all(), whole, Action.ADMINISTER)
    pam_accounts = own_accounts(actor, Action.MANAGE_RELATIONSHIPS)
    relationships = Relationship.objects.filter(
        Q(importer__in=managed)
        | Q(provider__in=managed)
        | Q(scope="program", program_accounts__in=pam_accounts)
        | assigned(actor)
    )
    return Q(pk__in=relationships.values("pk"))


def client_relationships(who):
    """A provider's side: relationships of the providers `who` is BAM of, and those `who` is assigned to."""
    actor = rights.actor_of(who)
    if actor.user is None:
        return Relationship.objects.none()
    bam_of = grants_of(actor).filter(role=Role.BAM).values("business")
    relationships = Relationship.objects.filter(Q(provider__in=bam_of) | assigned(actor)).distinct()
    return relationships.filter(dataclasses.replace(actor, acting_for="").narrowing("provider__bn9"))


def register() -> None:
    rights.register_source(Relationships())
    rights.register_rows(Relationship, _relationships_rule)
    rights.register_rows(  # the client groups of the providers `who` is BAM of (they staff their clients)
        ClientGroup,
        lambda actor, action: Q(provider__in=rights.restrict(Business.objects.all(), actor, Action.ADMINISTER)),
    )
