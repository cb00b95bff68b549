"""Who is told of an event: each audience of the catalogue, resolved through the rights kernel's
vocabulary (`may`, `restrict`, `works_for`) so that a notification never tells a person
what the portal would not show them. A service provider's employee hears of a client's record only
when the importer's visibility rules let them see it, and of a client's money only when the
relationship lets them pay; an expired or revoked relationship tells nothing."""

import functools
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import OuterRef, Q
from django.db.models.expressions import RawSQL

import rights
from access.grants import works_for
from accounts.models import User
from businesses.models import Business, ProgramAccount
from declarations.models import Declaration
from delegation.models import Relationship
from delegation.services import may_decide, may_manage_as_importer
from ledger.models import LedgerEntry
from rights import Action


@dataclass
class Event:
    kind: str
    business: Business | None = None
    program_account: object = None
    subject: object = None  # the record the event is about
    context: dict = field(default_factory=dict)
    actor: object = None
    people: list = field(default_factory=list)  # named recipients (the requester, the watchers)
    side: Business | None = None  # the one business told (a relationship's expiry notice)
    unheard: frozenset = frozenset()  # people never told (the actor, for most kinds): not asked about


def people_around(business, unheard=()) -> list:
    """Everyone who could have a right on `business` but `unheard`: its people (role grants, employee
    groups) and the people of the service providers it has relationships with. Authz decides among them."""
    return people_around_each([business.pk], unheard)[business.pk]


def people_around_each(business_ids, unheard=()) -> dict:
    """people_around of each business (pk -> people by pk) in three queries, however many they are
    (two when nobody is around): a statement close asks once for all its accounts' businesses, not
    once per statement."""
    asked = set(business_ids)
    served = defaultdict(set)  # a business -> those of `asked` whose people it is among (itself, its clients)
    for business in asked:
        served[business].add(business)
    for importer, provider in Relationship.objects.filter(importer__in=asked).values_list("importer", "provider"):
        served[provider].add(importer)
    around = defaultdict(set)
    active = User.objects.filter(is_active=True).exclude(pk__in=unheard).order_by()
    grants, groups = (
        active.filter(**{f"{staff}__in": served}).values_list("pk", staff)
        for staff in ("role_grants__business", "employee_groups__business")
    )
    for user, business in grants.union(groups, all=True):  # one round trip for both kinds of staff
        for importer in served[business]:
            around[importer].add(user)
    people = User.objects.in_bulk(set().union(*around.values()))
    return {business: [people[user] for user in sorted(around[business])] for business in asked}


def businesses_with_people() -> RawSQL:
    """The businesses whose events someone could hear of (people_around is not empty), as a subquery
    of their ids (`business__in=`): a close of 200,000 statements looks only at accounts that have
    people. Its SQL is compiled once a process: it never changes, and compiling its four nested
    subqueries cost ~3 ms a time, most of a close's notices when nobody is to be told."""
    return RawSQL(*_businesses_with_people_sql(connection.vendor))


@functools.cache
def _businesses_with_people_sql(vendor: str) -> tuple[str, tuple]:
    active = User.objects.filter(is_active=True)
    staffed = Business.objects.filter(
        Q(pk__in=active.values("role_grants__business")) | Q(pk__in=active.values("employee_groups__business"))
    ).values("pk")
    providers_staffed = Relationship.objects.filter(provider__in=staffed).values("importer")
    with_people = Business.objects.filter(Q(pk__in=staffed) | Q(pk__in=providers_staffed))
    return with_people.values("pk").order_by().query.sql_with_params()


def business_managers(event):
    """Those who decide the business's access requests (BAMs, PAMs of one of its accounts)."""
    return [
        u for u in people_around(event.business, event.unheard) if rights.may(u, Action.MANAGE_PEOPLE, event.business)
    ]


def named_people(event):
    return list(event.people)


def _relationship_managers(relationship, sides, unheard):
    people = {u.pk: u for side in sides for u in people_around(side, unheard)}.values()
    told = []
    for user in people:
        if relationship.provider in sides and rights.may(user, Action.ADMINISTER, relationship.provider):
            told.append(user)
        elif relationship.importer in sides and may_manage_as_importer(user, relationship):
            told.append(user)
    return told


def relationship_deciders(event):
    """A request goes to those who decide it (delegation.services.may_decide)."""
    relationship = event.subject
    receiving = relationship.importer if relationship.initiated_by == "provider" else relationship.provider
    return [u for u in people_around(receiving, event.unheard) if may_decide(u, relationship)]


def relationship_managers(event):
    """Both sides' managers: the provider's BAMs, the importer's BAMs (and PAMs of its accounts)."""
    relationship = event.subject
    return _relationship_managers(relationship, [relationship.provider, relationship.importer], event.unheard)


def relationship_side_managers(event):
    return _relationship_managers(event.subject, [event.side], event.unheard)


def viewers_of(queryset, business, unheard=(), around=None):
    """The people around `business` who may see the rows of `queryset` (a registered model);
    `around`: those people, found already (people_around_each of a batch)."""
    around = people_around(business, unheard) if around is None else around
    return [u for u in around if rights.restrict(queryset, u).exists()]


def record_viewers(event):
    """People who may see the declaration (the importer's visibility rules apply to providers)."""
    declaration = event.subject
    return viewers_of(Declaration.objects.filter(pk=declaration.pk), event.business, event.unheard)


def penalty_viewers(event):
    """A penalty entry tied to a record (C288, a late CAD) goes to those who see that record; one
    tied to the account alone (C336, a late payment) to those who handle its money."""
    entry = event.subject
    if entry.submitted_by_business_id is not None:
        return viewers_of(LedgerEntry.objects.filter(pk=entry.pk), event.business, event.unheard)
    return account_money(event)


def row_viewers(event):
    """People who may see the subject row itself (a statement of adjustment, an appeal: records
    of the importer's account, whose visibility rules apply to providers)."""
    subject = event.subject
    return viewers_of(type(subject).objects.filter(pk=subject.pk), event.business, event.unheard)


def account_money(event):
    """Money of an account: its own business's people who may view it, and providers' employees
    only where the importer let them pay it (Action.PAY asks exactly that)."""
    account = event.program_account
    return account_money_each([account], event.unheard)[account.pk]


def account_money_each(accounts, unheard=()) -> dict:
    """account_money of each account (pk -> people): each person around them asked at most three
    queries for all their accounts at once (those they may pay, those they may view, the businesses
    they work for), not three per account."""
    around = people_around_each({account.business_id for account in accounts}, unheard)
    theirs, people = defaultdict(list), {}
    for account in accounts:
        for user in around[account.business_id]:
            theirs[user.pk].append(account)
            people[user.pk] = user
    told = {account.pk: [] for account in accounts}
    for pk in sorted(theirs):
        user, candidates = people[pk], theirs[pk]
        ids = [account.pk for account in candidates]
        paid = set(
            rights.restrict(ProgramAccount.objects.filter(pk__in=ids), user, Action.PAY).values_list("pk", flat=True)
        )
        unpaid = [pk for pk in ids if pk not in paid]
        seen = (
            set(rights.restrict(ProgramAccount.objects.filter(pk__in=unpaid), user).values_list("pk", flat=True))
            if unpaid
            else set()
        )
        employers = (
            set(
                Business.objects.filter(pk__in={a.business_id for a in candidates if a.pk in seen})
                .filter(works_for(user, OuterRef("pk")))
                .values_list("pk", flat=True)
            )
            if seen
            else set()
        )
        for account in candidates:
            if account.pk in paid or (account.pk in seen and account.business_id in employers):
                told[account.pk].append(user)
    return told


def payment_money(event):
    """A payment: the money people of each account it pays, and the person who made it."""
    payment = event.subject
    accounts = (
        ProgramAccount.objects.filter(pk__in=payment.lines.values("program_account")).select_related("business")
        if payment is not None
        else [event.program_account]
    )
    told = {}
    for account in accounts:
        told.update({u.pk: u for u in account_money(replace(event, program_account=account))})
    payer = payment.requested_by if payment is not None else None
    if payer is not None and payer.is_active:
        told[payer.pk] = payer
    return list(told.values())


AUDIENCES = {
    "business_managers": business_managers,
    "named_people": named_people,
    "relationship_deciders": relationship_deciders,
    "relationship_managers": relationship_managers,
    "relationship_side_managers": relationship_side_managers,
    "record_viewers": record_viewers,
    "penalty_viewers": penalty_viewers,
    "account_money": account_money,
    "row_viewers": row_viewers,
    "payment_money": payment_money,
}


def recipients_of(event, kind, found=None) -> list:
    """The people told of `event`, the actor left out unless the kind tells them too. `found`: the
    kind's audience already asked for a batch of events (account_money_each)."""
    actor = getattr(event.actor, "pk", None)
    if actor is not None and not kind.tells_actor:
        event = replace(event, unheard=frozenset({actor}))
    people = AUDIENCES[kind.audience](event) if found is None else found
    unique = {u.pk: u for u in people if kind.tells_actor or u.pk != actor}
    return [unique[pk] for pk in sorted(unique)]
