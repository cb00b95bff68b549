"""The rights kernel: who may do what on which rows. It imports no domain app: the apps register
with it from their own `AppConfig.ready()`.

- The action vocabulary (`Action`) and the acting person (`Actor`: user, API token scope, client
  acted for, officer role), built once per request (`actor_of`, `rights.middleware`).
- Where rights come from (`register_source`): access registers role grants and employee groups,
  delegation its relationships (scope, expiry, visibility rules, acting for a client).
- How rows relate to program accounts: businesses registers the owners (`register_owners`:
  Business, ProgramAccount); a transaction-like model is `register_records` (rows of an account,
  seen by a provider's employee only in the categories the importer ticked); a model reached from
  a program account is `register_path`; anything else `register_rows` (a rule giving a Q).
- One entry point, like NetBox's RestrictedQuerySet.restrict(): `restrict(queryset, who, action)`;
  and `may`, `require`, `deny`, `get_visible_or_404`, `audit_context` on top of it.
- Officer rights are rules of the same kind: an officer role gives officer actions (a staff user
  holds the officer role); VIEW_CLIENTS reads every client's rows (VIEW only, never TRANSACT, PAY...).

`who` is an Actor, a user, or a Django/DRF request. No row and no right is cached across requests, so
a revocation applies on the very next request: what is kept across calls is only the rules (their Q,
or the compiled SQL of the accounts and businesses held), a pure function of the actor, the action
and the day (`_kept`), which every query runs again.
"""

import dataclasses
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Expression, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # On a business or program account (derived from role grants and relationships)
    VIEW = "view"
    TRANSACT = "transact"
    PAY = "pay"
    MANAGE_BANKING = "manage_banking"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_RELATIONSHIPS = "manage_relationships"
    ADMINISTER = "administer"
    # CBSA officers' (derived from officer roles; need no object)
    VIEW_CLIENTS = "view_clients"  # read any client's business, accounts, ledger and CADs (client 360)
    VIEW_DASHBOARDS = "view_dashboards"
    DECIDE_ADJUSTMENTS = "decide_adjustments"
    DECIDE_REFUNDS = "decide_refunds"
    ISSUE_DEMANDS = "issue_demands"
    IMPORT_REMITTANCES = "import_remittances"
    ENTER_EXCHANGE_RATES = "enter_exchange_rates"
    SET_ACCOUNT_PROGRAMS = "set_account_programs"
    MANAGE_SECURITY = "manage_security"  # RPP enrolment, paper bonds, requirement modifications
    DECIDE_RULINGS = "decide_rulings"
    VERIFY_DECLARATIONS = "verify_declarations"  # compliance verifications and s.59 re-determinations
    ASSESS_PENALTIES = "assess_penalties"  # AMPS notices and their cancellation
    DECIDE_APPEALS = "decide_appeals"  # s.60 re-determination requests and s.129 penalty appeals
    DECLARE_OUTAGES = "declare_outages"
    RUN_JOBS = "run_jobs"  # billing close, interest, offsetting, penalties, reviews
    ASSIGN_WORK = "assign_work"  # queue assignment
    APPOINT_OFFICERS = "appoint_officers"
    ANSWER_SUPPORT = "answer_support"  # clients' support requests and registrations needing a manual check
    RELEASE_GOODS = "release_goods"  # record a release (RMD, CLVS) and release a paid cash CAD


class OfficerRole(models.TextChoices):
    REVENUE = "revenue", _("Revenue officer")
    TRADE = "trade", _("Trade officer")
    RECOURSE = "recourse", _("Recourse officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    AUDITOR = "auditor", _("Auditor (read only)")
    BORDER = "border", _("Border services officer (release)")
    # Not a person: the account the release systems record releases with (by API, token only).
    RELEASE_SYSTEM = "release_system", _("Release system (service account)")


# A service account's roles: it works through the API with its token, never in a signed-in session.
TOKEN_ONLY_ROLES = frozenset({OfficerRole.RELEASE_SYSTEM})

_READ = {Action.VIEW_CLIENTS, Action.VIEW_DASHBOARDS}
_WORK = _READ | {Action.ANSWER_SUPPORT}  # every officer but the read-only auditor answers clients
_REVENUE = {
    Action.DECIDE_ADJUSTMENTS,
    Action.DECIDE_REFUNDS,
    Action.ISSUE_DEMANDS,
    Action.IMPORT_REMITTANCES,
    Action.ENTER_EXCHANGE_RATES,
    Action.SET_ACCOUNT_PROGRAMS,
    Action.MANAGE_SECURITY,
}
_TRADE = {Action.DECIDE_RULINGS, Action.VERIFY_DECLARATIONS, Action.ASSESS_PENALTIES}
_RECOURSE = {Action.DECIDE_APPEALS}
_BORDER = {Action.RELEASE_GOODS}  # the border: a border services officer, or the release system that records for them
# Least privilege: each role its own work; a supervisor also assigns, runs jobs, declares outages, appoints.
OFFICER_ROLE_ACTIONS = {
    OfficerRole.REVENUE: _WORK | _REVENUE,
    OfficerRole.TRADE: _WORK | _TRADE,
    OfficerRole.RECOURSE: _WORK | _RECOURSE,
    OfficerRole.SUPERVISOR: _WORK
    | _REVENUE
    | _TRADE
    | _RECOURSE
    | _BORDER
    | {Action.ASSIGN_WORK, Action.RUN_JOBS, Action.DECLARE_OUTAGES, Action.APPOINT_OFFICERS},
    OfficerRole.AUDITOR: _READ,
    OfficerRole.BORDER: _WORK | _BORDER,
    OfficerRole.RELEASE_SYSTEM: _BORDER,
}
OFFICER_ACTIONS = set().union(*OFFICER_ROLE_ACTIONS.values())

ACTING_FOR_HEADER = "HTTP_X_ACTING_FOR"
ACTING_FOR_SESSION_KEY = "carm_acting_for"


@dataclass(frozen=True)
class Actor:
    user: object = None  # a signed-in, active User, or None
    only_business: str = ""  # BN9 an API token is narrowed to
    acting_for: str = ""  # BN9 of the client a service provider's employee acts for

    @cached_property
    def officer_roles(self) -> frozenset:
        """The officer roles a CBSA employee (a staff user) holds by an open appointment."""
        if self.user is None or not self.user.is_staff:
            return frozenset()
        from .models import OfficerAppointment  # the kernel module loads before the app registry

        open_roles = OfficerAppointment.objects.filter(user=self.user, ended_at__isnull=True)
        return frozenset(open_roles.values_list("role", flat=True))

    @property
    def is_officer(self) -> bool:
        return bool(self.officer_roles)

    @property
    def token_only(self) -> bool:
        """A service account (it holds a role of TOKEN_ONLY_ROLES): no session, no pages."""
        return bool(self.officer_roles & TOKEN_ONLY_ROLES)

    @cached_property
    def is_client_user(self) -> bool:
        """Works in the client portal: anyone but an officer, and an officer who also holds a grant of a
        business or works for a client (one User can hold both kinds of role)."""
        if not self.is_officer:
            return True
        return any(source.employers(self) or source.clients(self) for source in _sources)

    def narrowing(self, bn9_field: str) -> Q:
        """Rows of the client acted for, else of the business an API token names, else all."""
        if self.acting_for:
            return Q(**{bn9_field: self.acting_for})
        if self.only_business:
            return Q(**{bn9_field: self.only_business})
        return Q()


class Source:
    """Where rights come from. access registers role grants, delegation relationships; each
    overrides what applies to it. Its methods giving rows (`accounts`, `businesses`, `records`)
    build lazy querysets and Qs and never read the database: the kernel keeps what they give per
    actor and day (`_kept`), and runs it again in every query."""

    def accounts(self, actor: Actor, action: Action):
        """The program accounts (a queryset) `actor` may do `action` on through this source."""
        return None

    def businesses(self, actor: Actor, action: Action):
        """Businesses (a queryset) `actor` may do `action` on as a whole, beyond their accounts."""
        return None

    def records(self, actor: Actor, action: Action, account_field: str) -> Q | None:
        """Transaction-like rows (with `account_field` and `submitted_by_business`) `actor` may
        do `action` on: by default every row of `accounts`."""
        accounts = self.accounts(actor, action)
        return None if accounts is None else Q(**{f"{account_field}__in": accounts.values("pk")})

    def employers(self, actor: Actor) -> set[str]:
        """BN9s of the businesses the person holds a grant of."""
        return set()

    def clients(self, actor: Actor) -> set[str]:
        """BN9s of the clients the person works for as a provider's employee."""
        return set()

    def provider_for(self, actor: Actor, client: str) -> str | None:
        """BN9 of the provider through which the person acts for `client`."""
        return None


_sources: list[Source] = []
_rules: dict = {}  # model -> rule(actor, action) -> Q over its rows
_owners: dict = {}  # "business", "account", "account_business"
_recorders: list = []


def register_source(source: Source) -> None:
    _sources.append(source)


def register_rows(model, rule) -> None:
    """`rule(actor, action)` gives the Q of the rows of `model` a signed-in actor may do `action` on."""
    _rules[model] = rule


def register_owners(business, account, account_business: str = "business") -> None:
    """The rows rights are held on: businesses (by BN9) and their program accounts."""
    _owners.update(business=business, account=account, account_business=account_business)
    register_rows(account, _account_rule)
    register_rows(business, _business_rule)


def register_path(model, path: str) -> None:
    """Rows of `model` reached from a program account through `path` (e.g. "program_account")."""
    register_rows(model, lambda actor, action: Q(**{f"{path}__in": _account_ids(actor, action)}))


def register_records(model, account_field: str = "program_account") -> None:
    """A transaction-like model (with `account_field` and `submitted_by_business`): the rights
    sources' records rules (a provider's employee sees the categories the importer ticked)."""

    def build(actor, action):
        records = _records_rule(actor, action, account_field)
        # Across a to-many relation (a payment's lines) a join would repeat rows: a subquery instead.
        return Q(pk__in=model._default_manager.filter(records).values("pk")) if "__" in account_field else records

    # Correlated with each row (who submitted it), it cannot be compiled apart: its Q is kept instead.
    register_rows(model, lambda actor, action: _kept(actor, (model, action), lambda: build(actor, action)))


def register_recorder(record) -> None:
    """Audit's `record`, called on every refused attempt (kept below audit in the layers)."""
    _recorders.append(record)


def _any(parts, none=None):
    """`parts` OR-ed (Qs, or querysets of one model: one query OR-ing their conditions), those that are
    None left out; when none is left, `none` (default: a Q of no row)."""
    parts = [part for part in parts if part is not None]
    if parts:
        return reduce(or_, parts)
    return Q(pk__in=[]) if none is None else none


class _CompiledSubquery(Expression):
    """An uncorrelated subquery whose SQL is compiled once per database vendor and then reused: the
    rows it selects are read again by every query that embeds it. Its aliases (U0, V0...) may repeat
    an enclosing query's: uncorrelated, it never refers to them, so SQL's scoping keeps them apart."""

    def __init__(self, queryset):
        super().__init__()
        self.query = queryset.order_by().query
        self.sql = {}  # vendor -> (sql, params)

    def as_sql(self, compiler, connection):
        compiled = self.sql.get(connection.vendor)
        if compiled is None:
            # a clone: compiling sets up the query's aliases, and two threads may compile it at once
            sql, params = self.query.clone().get_compiler(connection=connection).as_sql()
            compiled = self.sql[connection.vendor] = (f"({sql})", tuple(params))
        return compiled

    def resolve_expression(self, *args, **kwargs):
        return self  # nothing to resolve, and its compiled SQL is shared, not copied


_kept_rules = {}  # (what, actor key, day) -> a rule's Q or _CompiledSubquery
_KEPT = 10_000  # emptied when full: a day's actors of a busy portal, a few KB each


def _kept(actor: Actor, what: tuple, build):
    """What `build()` gives for `actor` and `what` (a rule's Q, or the compiled SQL of the rows held),
    built once per actor and day instead of on every call (the accounts' rule cost 9 ms of CPU a call
    to build and compile). The sources never read the database while building rules, so a rule depends
    on nothing but the key: the user, the API token's business, the client acted for, the officer roles
    and the day relationships are in force on (`in_force`'s timezone.localdate()). No row is kept:
    every query runs the rule again, so a grant or relationship changed shows on the next call."""
    key = (*what, actor.user.pk, actor.only_business, actor.acting_for, actor.officer_roles, timezone.localdate())
    kept = _kept_rules.get(key)
    if kept is None:
        if len(_kept_rules) >= _KEPT:
            _kept_rules.clear()
        kept = _kept_rules[key] = build()
    return kept


def _held_ids(kind: str, actor: Actor, action: Action, held) -> _CompiledSubquery:
    """The pks of the `kind` rows ("account", "business") `actor` holds for `action`: the queryset
    `held()`, compiled once (uncorrelated, its SQL stands alone)."""
    return _kept(actor, (kind, action), lambda: _CompiledSubquery(held().values("pk")))


def _account_ids(actor: Actor, action: Action) -> _CompiledSubquery:
    """The accounts of every source, narrowed to the client acted for (or the token's business): one
    uncorrelated subquery, whose inner subqueries each run once a query."""

    def held():
        # one query OR-ing the sources' conditions: a level of subquery fewer than a pk IN (...) of each
        account = _owners["account"]
        accounts = _any((source.accounts(actor, action) for source in _sources), account.objects.none())
        return accounts.filter(actor.narrowing(f"{_owners['account_business']}__bn9"))

    return _held_ids("account", actor, action, held)


def _account_rule(actor: Actor, action: Action) -> Q:
    return Q(pk__in=_account_ids(actor, action))


def _accounts(actor: Actor, action: Action):
    return _owners["account"].objects.filter(_account_rule(actor, action))


def _business_rule(actor: Actor, action: Action) -> Q:
    """As a whole (a BAM), or through one of its program accounts."""

    def held():
        business = _owners["business"]
        whole = (source.businesses(actor, action) for source in _sources)
        through_accounts = business.objects.filter(pk__in=_accounts(actor, action).values(_owners["account_business"]))
        return _any([*whole, through_accounts], business.objects.none()).filter(actor.narrowing("bn9"))

    return Q(pk__in=_held_ids("business", actor, action, held))


def _records_rule(actor: Actor, action: Action, account_field: str) -> Q:
    visible = _any(source.records(actor, action, account_field) for source in _sources)
    if actor.only_business or actor.acting_for:
        narrowing = _owners["account"].objects.filter(actor.narrowing(f"{_owners['account_business']}__bn9"))
        return visible & Q(**{f"{account_field}__in": narrowing.values("pk")})
    return visible


def actor_of(who) -> Actor:
    """The acting person of a user, a Django or DRF request, or an Actor. A request's actor is
    built once (rights.middleware, or again after API token authentication changed the user)."""
    if isinstance(who, Actor):
        return who
    if hasattr(who, "META"):  # a request (DRF's proxies META to Django's)
        django_request = getattr(who, "_request", who)
        user = who.user if who.user.is_authenticated else None
        token = getattr(django_request, "api_token", None)
        key = (user, token)
        cached = django_request.__dict__.get("_rights_actor")
        if cached is None or cached[0] != key:  # checked once per request, never across requests
            actor = Actor(user, token.business_number if token is not None else "")
            actor = dataclasses.replace(actor, acting_for=_acting_for(django_request, actor))
            django_request._rights_actor = (key, actor)
        return django_request._rights_actor[1]
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
        _record(
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
    return set().union(*(source.clients(actor) for source in _sources))


def restrict(queryset, who, action: Action = Action.VIEW):
    """The rows of `queryset` `who` may do `action` on. An officer holding VIEW_CLIENTS may VIEW
    every client's rows (the client 360, a CAD she decided, an importer's ledger), never more."""
    actor = actor_of(who)
    if action == Action.VIEW and may(actor, Action.VIEW_CLIENTS):
        _rule_of(queryset)  # a model without a rule is refused for officers too
        return queryset.all()
    return held(queryset, actor, action)


def held(queryset, who, action: Action = Action.VIEW):
    """The rows `who` may do `action` on through their own grants and relationships, without an
    officer's view of every client: the client-side lists ("my businesses", the dashboard)."""
    rule = _rule_of(queryset)
    actor = actor_of(who)
    if actor.user is None:
        return queryset.none()
    return queryset.filter(rule(actor, action))


def _rule_of(queryset):
    rule = _rules.get(queryset.model._meta.concrete_model)
    if rule is None:
        raise TypeError(f"no rights rule for {queryset.model.__name__}")
    return rule


class RestrictedQuerySet(models.QuerySet):
    """`Model.objects.visible_to(who, action)`: the one signature of every app's querysets."""

    def visible_to(self, who, action: Action = Action.VIEW):
        return restrict(self, who, action)


def may(who, action: Action, obj=None) -> bool:
    """Whether `who` may do `action` on `obj` (an officer action needs no object)."""
    actor = actor_of(who)
    if action in OFFICER_ACTIONS:
        return any(action in OFFICER_ROLE_ACTIONS[role] for role in actor.officer_roles)
    if obj is None:
        raise TypeError(f"{action} is an action on a business, a program account or their rows")
    return restrict(type(obj)._default_manager.all(), actor, action).filter(pk=obj.pk).exists()


def require(who, action: Action, obj=None, request=None) -> None:
    """PermissionDenied (and an audit entry) unless `who` may do `action` on `obj`."""
    if not may(who, action, obj):
        deny(who, obj, action, request)


def deny(who, obj, action: Action, request=None):
    """Audit a refused action on `obj` (None: an officer action) and raise PermissionDenied."""
    label, pk = (obj._meta.label, obj.pk) if obj is not None else ("officer", "")
    _record_denial(who, request, label, {"pk": pk, "action": action})
    raise PermissionDenied


def get_visible_or_404(queryset, request, **lookup):
    """The object of `queryset` (already restricted) matching `lookup`, or 404. An id that
    exists but is out of reach was forged or guessed: the attempt is audited."""
    if any(isinstance(value, str) and "\x00" in value for value in lookup.values()):
        raise Http404  # no stored text holds a NUL (PostgreSQL refuses the query with one: it was a 500)
    obj = queryset.filter(**lookup).first()
    if obj is None:
        if queryset.model._default_manager.filter(**lookup).exists():
            _record_denial(request, request, queryset.model._meta.label, lookup)
        raise Http404
    return obj


def _record(**kwargs):
    for record in _recorders:
        record("access.denied", **kwargs)


def _record_denial(who, request, label, details):
    actor = actor_of(who) if not hasattr(who, "META") else _actor_unchecked(who)
    _record(
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
        own = set().union(*(source.employers(actor) for source in _sources))
        if business.bn9 not in own and business.bn9 in clients_of(actor):
            acting_for = business.bn9
    if acting_for:
        providers = (source.provider_for(actor, acting_for) for source in _sources)
        provider = next((bn9 for bn9 in providers if bn9), None)
        return {"actor_business": provider or actor.only_business, "acting_for_business": acting_for}
    return {"actor_business": actor.only_business or (business.bn9 if business is not None else "")}
