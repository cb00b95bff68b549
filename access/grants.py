"""Where rights come from, on the importer's side: role grants (personal or through an employee
group) and employee groups. Registered with the rights kernel from AccessConfig.ready.

A BAM may do every action on its business and all its program accounts; the program roles give
the actions in ROLE_ACTIONS on their one account, whether held personally or through a group.
"""

from django.db.models import Exists, Q

import rights
from businesses.models import Business, ProgramAccount
from rights import Action, Actor

from .models import AccessRequest, EmployeeGroup, Role, RoleGrant

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


def roles_for(action: Action) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def grants_of(actor: Actor):
    return RoleGrant.objects.filter(Q(user=actor.user) | Q(group__members=actor.user))


def employment(user):
    """Where `user` (a user or an OuterRef) works now: role grants, personal or through a group (an
    Expired User's aside), and places in employee groups. Someone whose access was removed (an
    Orphan) has neither."""
    grants = RoleGrant.objects.filter(Q(user=user) | Q(group__members=user)).exclude(role=Role.EXPIRED)
    return grants, EmployeeGroup.objects.filter(members=user)


def works_for(user, business) -> Q:
    """Whether `user` works for `business` now (either may be an OuterRef)."""
    grants, groups = employment(user)
    return Q(Exists(grants.filter(business=business))) | Q(Exists(groups.filter(business=business)))


def own_accounts(actor: Actor, action: Action):
    """The accounts of the person's own businesses: as BAM, or through a program role."""
    grants = grants_of(actor)
    if actor.only_business:
        grants = grants.filter(business__bn9=actor.only_business)
    return ProgramAccount.objects.filter(
        Q(business__in=grants.filter(role=Role.BAM).values("business"))
        | Q(pk__in=grants.filter(role__in=roles_for(action)).values("program_account"))
    )


class Grants(rights.Source):
    def accounts(self, actor, action):
        return own_accounts(actor, action)

    def businesses(self, actor, action):
        return Business.objects.filter(pk__in=grants_of(actor).filter(role=Role.BAM).values("business"))

    def employers(self, actor):
        return set(grants_of(actor).values_list("business__bn9", flat=True))


def _managed_by(actor: Actor, action: Action) -> Q:
    """A person's own rows, and those of the businesses whose people they manage."""
    managed = rights.restrict(Business.objects.all(), actor, Action.MANAGE_PEOPLE)
    return (Q(user=actor.user) | Q(business__in=managed)) & actor.narrowing("business__bn9")


def register() -> None:
    rights.register_source(Grants())
    rights.register_rows(AccessRequest, _managed_by)
    rights.register_rows(RoleGrant, _managed_by)
