"""RPP enrolment, the security requirement, instruments and sufficiency (issue 19 items 1-4).

The importer's side (enrol, enter a bond, name its provider, post cash, ask a modification) needs
MANAGE_BANKING on the account (its BAM or PAM); a provider's side needs the provider role
(`ProviderMember`) and the importer's nomination; CBSA's side needs Action.MANAGE_SECURITY. Every
change is audited (`security.*`) and written to the instrument's history (`SecurityEvent`).
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, JSONField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

import rights
from audit.services import record as audit
from businesses.models import ProgramAccount
from core.formats import money
from core.queues import QueueItem
from core.transitions import move
from ledger.balances import running, running_on
from ledger.models import EntryType, LedgerEntry, accounts_with_documents
from payments import services as payments
from payments.models import Payment
from registry.bn import Program
from rights import Action

from . import rules
from .models import (
    RPP_MOVES,
    Basis,
    Bond,
    BondAllocation,
    BondChannel,
    BondStatus,
    CashDeposit,
    DepositStatus,
    Enrolment,
    ModificationRequest,
    ProviderMember,
    ProviderNomination,
    RequestStatus,
    Requirement,
    RppStatus,
    SecurityEvent,
    SecurityProgram,
    SuretyProvider,
)

ZERO = rules.ZERO


def _error(message, code):
    return ValidationError(message, code=code)


def _amount(value, name="amount") -> Decimal:
    """A positive amount in whole cents; anything else a specific error (never a float)."""
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        raise _error(
            _("Enter the %(name)s as a number of dollars and cents.") % {"name": name}, "invalid_amount"
        ) from None
    if not amount.is_finite() or amount != amount.quantize(rules.CENT):
        raise _error(_("Enter the %(name)s in whole cents.") % {"name": name}, "invalid_amount")
    if amount <= 0:
        raise _error(_("The %(name)s must be more than zero.") % {"name": name}, "not_positive")
    if amount > rules.MAXIMUM * 100:
        raise _error(_("The %(name)s is too large.") % {"name": name}, "too_large")
    return amount


def _today(today=None) -> dt.date:
    return today or timezone.localdate()


def _event(kind, actor=None, *, bond=None, deposit=None, account=None, before=None, after=None):
    SecurityEvent.objects.create(
        kind=kind,
        bond=bond,
        deposit=deposit,
        program_account=account,
        before=before or {},
        after=after or {},
        actor=actor,
    )


# --- enrolment ----------------------------------------------------------------------------------


def _enrolments_in_force(day: dt.date):
    """The enrolment rows in force on `day`, the latest first: an account's first is its status."""
    return Enrolment.objects.filter(effective_from__lte=day).order_by("-effective_from", "-id")


def status_of(account, day: dt.date | None = None) -> str:
    row = _enrolments_in_force(_today(day)).filter(program_account=account).first()
    return row.status if row is not None else RppStatus.NOT_ENROLLED


def rpp_enrolled(account, day: dt.date, lookups=None) -> bool:
    """Whether goods of the account released on `day` were released prior to payment (billing's due
    date: declarations.timing, through businesses.account_programs.rpp_enrolled). The enrolment is
    the one truth: enrolled, yes; not enrolled, suspended or ended, no. With no decision yet (no row,
    or a request pending), only while security was not required (rules.enforced_on). `lookups`: a
    batch's store (declarations.validation.Lookups), the enrolment read with the rest of `standing`."""
    enrolment = standing(account, day, lookups).enrolment
    if enrolment is None or enrolment == RppStatus.REQUESTED:  # CN 24-27: enrolled to 20 May 2025 (CN 25-22)
        return not rules.enforced_on(day)
    return enrolment == RppStatus.ENROLLED


def _set_status(account, status, reason, *, actor=None, request=None, day=None) -> Enrolment:
    day = _today(day)
    with transaction.atomic():
        ProgramAccount.objects.select_for_update().filter(pk=account.pk).first()  # one change at a time
        current = status_of(account, day)
        if current == status:
            return Enrolment.objects.filter(program_account=account).first()
        if not RPP_MOVES.allows(current, status):
            raise _error(
                _("RPP cannot go from %(from)s to %(to)s.")
                % {"from": RppStatus(current).label, "to": RppStatus(status).label},
                "illegal_transition",
            )
        row = Enrolment.objects.create(
            program_account=account,
            status=status,
            effective_from=day,
            reason=str(reason)[:500],
            recorded_by=actor,
        )
        audit(
            f"security.rpp_{status}",
            actor=actor,
            request=request,
            obj=row,
            before={"status": current},
            after={"status": status, "effective_from": day.isoformat(), "reason": str(reason)[:500]},
            **({} if request is not None else rights.audit_context(actor, account.business) if actor else {}),
        )
        return row


def request_enrolment(who, account, *, request=None, today=None) -> Enrolment:
    """The importer asks to enrol the account in RPP: its requirement is calculated at once."""
    rights.require(who, Action.MANAGE_BANKING, account, request=request)
    user = rights.actor_of(who).user
    row = _set_status(account, RppStatus.REQUESTED, "requested by the importer", actor=user, request=request, day=today)
    if requirement_of(account, today) is None:
        calculate(account, today=today)
    return row


def decide_enrolment(officer, account, status, reason, *, request=None, today=None) -> Enrolment:
    """A CBSA officer enrols, suspends or ends an account's RPP (with a reason)."""
    rights.require(officer, Action.MANAGE_SECURITY, request=request)
    if not str(reason or "").strip():
        raise _error(_("Give the reason for the change."), "reason_required")
    row = _set_status(account, status, reason, actor=officer, request=request, day=today)
    if status == RppStatus.ENROLLED and requirement_of(account, today) is None:
        calculate(account, today=today)
    return row


# --- requirement --------------------------------------------------------------------------------


def monthly_totals(start: dt.date, end: dt.date, accounts=None):
    """Duties and taxes (GST included) per account and calendar month of release, from the ledger's
    CAD assessments (corrections' deltas included) dated `start`..`end`: one GROUP BY."""
    entries = LedgerEntry.objects.filter(entry_type=EntryType.ASSESSMENT, effective_date__range=(start, end))
    if accounts is not None:
        entries = entries.filter(program_account__in=accounts)
    return (
        entries.annotate(month=TruncMonth("effective_date"))
        .values_list("program_account", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )


def highest_months_sql(start: dt.date, end: dt.date, accounts=None) -> tuple[str, list]:
    """SQL and parameters of each account's highest month over `start`..`end` (the earliest of equal
    ones): rows (program_account, month, total). Streamed over the GROUP BY, which comes out in account
    order: the largest total of the account beside each month (a window without a sort), then the
    months that reach it."""
    monthly, params = monthly_totals(start, end, accounts).query.sql_with_params()
    return (
        "SELECT program_account, MIN(month) AS month, MAX(total) AS total FROM (SELECT program_account, month, "
        f"total, MAX(total) OVER (PARTITION BY program_account) AS top FROM ({monthly}) AS monthly) AS ranked "
        "WHERE total = top GROUP BY program_account",
        list(params),
    )


def highest_months(start: dt.date, end: dt.date, accounts=None) -> dict[int, tuple[dt.date, Decimal]]:
    """Per account id: (first day of its highest month, its total), over `start`..`end`."""
    with connection.cursor() as cursor:
        cursor.execute(*highest_months_sql(start, end, accounts))
        rows = cursor.fetchall()
    return {account: (_day(month), db_money(total)) for account, month, total in rows}


def _day(value) -> dt.date:
    """A month as PostgreSQL (a date or a timestamp) or SQLite (text) returns it."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def db_money(value) -> Decimal:
    """A sum as PostgreSQL (Decimal) or SQLite (a number: read through its text, as Django does) returns it."""
    return rules.cents(value if isinstance(value, Decimal) else Decimal(str(value)))


def requirement_values(account_id, day, basis, start, end, best, note="") -> dict:
    """The columns of the Requirement of a highest month `best` ((month, total), or None: a new importer)."""
    if best is None:
        figures = rules.required(rules.new_importer_month())
        basis, month = Basis.NEW_IMPORTER if basis == Basis.CALCULATED else basis, None
    else:
        month, total = best
        figures = rules.required(total)
    return {
        "program_account_id": account_id,
        "effective_from": day,
        "basis": basis,
        "period_start": start,
        "period_end": end,
        "highest_month": month,
        "highest_amount": figures.highest,
        "bond_amount": figures.bond,
        "cash_amount": figures.cash,
        "note": note,
    }


def requirement_row(*args, **kwargs) -> Requirement:
    """The Requirement (unsaved) of `requirement_values`' arguments."""
    return Requirement(**requirement_values(*args, **kwargs))


def calculate(account, *, today=None) -> Requirement:
    """The account's requirement from the previous 12 months of its ledger, from today."""
    day = _today(today)
    start, end = rules.review_period(day)
    best = highest_months(start, end, [account.pk]).get(account.pk)
    row = requirement_row(account.pk, day, Basis.CALCULATED, start, end, best)
    row.save()
    audit("security.requirement_set", obj=row, after=_requirement_dict(row))
    return row


def _requirement_dict(row) -> dict:
    return {
        "account": row.program_account_id,
        "basis": row.basis,
        "highest_month": row.highest_month.isoformat() if row.highest_month else None,
        "highest_amount": str(row.highest_amount),
        "bond_amount": str(row.bond_amount),
        "cash_amount": str(row.cash_amount),
        "effective_from": row.effective_from.isoformat(),
    }


def requirement_of(account, day=None) -> Requirement | None:
    return Requirement.objects.filter(program_account=account, effective_from__lte=_today(day)).first()


def working(requirement: Requirement) -> list[dict]:
    """The CADs of the highest month: transaction number and duties and taxes (the figure's working)."""
    if requirement is None or requirement.highest_month is None:
        return []
    month = requirement.highest_month
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    rows = (
        LedgerEntry.objects.filter(
            program_account=requirement.program_account_id,
            entry_type=EntryType.ASSESSMENT,
            effective_date__range=(max(month, requirement.period_start), min(end, requirement.period_end)),
        )
        .values("transaction_number")
        .annotate(total=Sum("amount"))
        .order_by("transaction_number")
    )
    return [{"transaction_number": r["transaction_number"], "amount": rules.cents(r["total"])} for r in rows]


def request_modification(who, account, proposed_amount, rationale, *, request=None, today=None) -> ModificationRequest:
    """The importer asks CBSA to use another highest month (`proposed_amount`), with its rationale."""
    rights.require(who, Action.MANAGE_BANKING, account, request=request)
    amount = _amount(proposed_amount, _("proposed amount"))
    if not str(rationale or "").strip():
        raise _error(_("Explain why the calculation should be modified."), "rationale_required")
    current = requirement_of(account, today)
    if current is None:
        raise _error(_("The account has no requirement yet: ask to enrol in RPP first."), "no_requirement")
    if ModificationRequest.objects.filter(program_account=account, status=RequestStatus.PENDING).exists():
        raise _error(_("A request for this account is already waiting for a CBSA officer."), "already_pending")
    user = rights.actor_of(who).user
    row = ModificationRequest.objects.create(
        program_account=account,
        requirement=current,
        proposed_amount=amount,
        rationale=str(rationale).strip(),
        requested_by=user,
        due_by=_today(today) + dt.timedelta(days=rules.MODIFICATION_DAYS),
    )
    audit(
        "security.modification_requested",
        actor=user,
        request=request,
        obj=row,
        after={"proposed_amount": str(amount), "rationale": row.rationale},
    )
    return row


def decide_modification(officer, modification, approve: bool, reason, *, request=None, today=None):
    rights.require(officer, Action.MANAGE_SECURITY, request=request)
    if not str(reason or "").strip():
        raise _error(_("Give the reason for the decision."), "reason_required")
    status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    with transaction.atomic():
        move(modification, status, decided_by=officer, decision_reason=str(reason).strip())
        if approve:
            base = modification.requirement
            best = (base.highest_month, modification.proposed_amount)
            row = requirement_row(
                modification.program_account_id,
                _today(today),
                Basis.MODIFIED,
                base.period_start,
                base.period_end,
                best,
                note=str(reason).strip()[:500],
            )
            row.save()
        audit(
            f"security.modification_{status}",
            actor=officer,
            request=request,
            obj=modification,
            after={"status": status, "reason": modification.decision_reason},
        )
    if approve:
        reinstate_if_secured(modification.program_account, today=today)
    return modification


# --- providers and bonds ------------------------------------------------------------------------


def provider_of(who) -> SuretyProvider | None:
    """The provider `who` holds the provider role of (an API token narrowed to another business: none)."""
    actor = rights.actor_of(who)
    if actor.user is None:
        return None
    members = ProviderMember.objects.filter(user=actor.user, provider__is_registered=True).select_related("provider")
    if actor.only_business:
        members = members.filter(provider__business__bn9=actor.only_business)
    member = members.first()
    return member.provider if member is not None else None


def _require_provider(who, request=None) -> SuretyProvider:
    provider = provider_of(who)
    if provider is None:
        rights.deny(who, None, Action.MANAGE_SECURITY, request)
    return provider


def named(provider, importer) -> bool:
    return ProviderNomination.objects.filter(provider=provider, importer=importer, ended_at__isnull=True).exists()


def nominate(who, importer, provider, *, request=None) -> ProviderNomination:
    """The importer names the provider that may post bonds for it (its BAM or PAM)."""
    if not rights.may(who, Action.MANAGE_BANKING, importer) and not any(
        rights.may(who, Action.MANAGE_BANKING, a) for a in importer.program_accounts.all()
    ):
        rights.deny(who, importer, Action.MANAGE_BANKING, request)
    if named(provider, importer):
        return ProviderNomination.objects.get(provider=provider, importer=importer, ended_at__isnull=True)
    user = rights.actor_of(who).user
    row = ProviderNomination.objects.create(importer=importer, provider=provider, named_by=user)
    audit("security.provider_named", actor=user, request=request, obj=row, after={"provider": provider.name})
    return row


def provider_bonds(who):
    """The bonds of the provider `who` acts for (none for anyone else)."""
    provider = provider_of(who)
    return Bond.objects.none() if provider is None else Bond.objects.filter(provider=provider)


def _validity(valid_from, valid_to):
    if valid_from is None:
        raise _error(_("Give the day the bond is valid from."), "valid_from_required")
    if valid_to is not None and valid_to < valid_from:
        raise _error(_("The bond cannot end before it starts."), "validity_reversed")


def _bond_dict(bond) -> dict:
    return {
        "number": bond.number,
        "status": bond.status,
        "amount": str(bond.amount),
        "allocated": str(bond.allocated),
        "valid_from": bond.valid_from.isoformat(),
        "valid_to": bond.valid_to.isoformat() if bond.valid_to else None,
    }


def post_bond(
    who,
    importer,
    *,
    number,
    amount,
    valid_from,
    valid_to=None,
    allocations=(),
    program=SecurityProgram.RPP,
    request=None,
) -> Bond:
    """A provider posts an electronic bond for an importer that named it (Bond API), in force at once,
    with its allocations ((account, amount), ...), for RPP or for appeals (`program`). Posting the
    same number again returns the bond."""
    provider = _require_provider(who, request)
    if not named(provider, importer):
        rights.deny(who, importer, Action.MANAGE_SECURITY, request)
    return _new_bond(
        who,
        provider,
        importer,
        BondChannel.API,
        BondStatus.ACTIVE,
        number,
        amount,
        valid_from,
        valid_to,
        allocations,
        program,
        request,
    )


def enter_bond(
    who,
    account,
    provider,
    *,
    number,
    amount,
    valid_from,
    valid_to=None,
    paper=False,
    program=SecurityProgram.RPP,
    request=None,
) -> Bond:
    """The importer enters a bond in the portal, allocated in full to `account`: its provider confirms
    it; a paper bond (form BSF259, by exception) waits for a CBSA officer to record it instead."""
    rights.require(who, Action.MANAGE_BANKING, account, request=request)
    if not provider.is_registered:
        raise _error(_("This provider is not registered with CBSA."), "provider_not_registered")
    nominate(who, account.business, provider, request=request)
    channel, status = (
        (BondChannel.PAPER, BondStatus.AWAITING_OFFICER)
        if paper
        else (BondChannel.PORTAL, BondStatus.AWAITING_PROVIDER)
    )
    return _new_bond(
        who,
        provider,
        account.business,
        channel,
        status,
        number,
        amount,
        valid_from,
        valid_to,
        [(account, amount)],
        program,
        request,
    )


def _new_bond(
    who, provider, importer, channel, status, number, amount, valid_from, valid_to, allocations, program, request
):
    number = str(number or "").strip()
    if not number:
        raise _error(_("Give the bond number."), "number_required")
    amount = _amount(amount, _("bond amount"))
    _validity(valid_from, valid_to)
    if program not in SecurityProgram.values:
        raise _error(_("Say what the bond secures: release prior to payment or appeals."), "invalid_program")
    existing = Bond.objects.filter(provider=provider, number=number).first()
    if existing is not None:  # idempotent: the same bond posted twice
        if existing.importer_id != importer.pk or existing.amount != amount or existing.program != program:
            raise _error(_("Bond %(number)s already exists with other terms.") % {"number": number}, "duplicate_number")
        return existing
    user = rights.actor_of(who).user
    try:
        with transaction.atomic():
            bond = Bond.objects.create(
                number=number,
                provider=provider,
                importer=importer,
                channel=channel,
                program=program,
                status=status,
                amount=amount,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            _event("posted", user, bond=bond, after=_bond_dict(bond))
            audit("security.bond_posted", actor=user, request=request, obj=bond, after=_bond_dict(bond))
            for account, share in allocations:
                _allocate(who, bond, account, share, request)
    except IntegrityError:
        raise _error(
            _("Bond %(number)s already exists with other terms.") % {"number": number}, "duplicate_number"
        ) from None
    if status == BondStatus.ACTIVE:
        for account, _share in allocations:
            reinstate_if_secured(account)
    return bond


def confirm_bond(who, bond, *, request=None) -> Bond:
    """The provider confirms a bond the importer entered (or an officer a paper one)."""
    if bond.status == BondStatus.AWAITING_OFFICER:
        rights.require(who, Action.MANAGE_SECURITY, request=request)
    else:
        _own(who, bond, request)
    before = _bond_dict(bond)
    with transaction.atomic():
        move(bond, BondStatus.ACTIVE)
        user = rights.actor_of(who).user
        _event("confirmed", user, bond=bond, before=before, after=_bond_dict(bond))
        audit("security.bond_confirmed", actor=user, request=request, obj=bond, before=before, after=_bond_dict(bond))
    for allocation in bond.allocations.all():
        reinstate_if_secured(allocation.program_account)
    return bond


def _own(who, bond, request=None) -> SuretyProvider:
    """The provider acting, if `bond` is its own and its importer still names it; else refused."""
    provider = _require_provider(who, request)
    if bond.provider_id != provider.pk or not named(provider, bond.importer):
        rights.deny(who, bond, Action.MANAGE_SECURITY, request)
    return provider


def allocate(who, bond, account, amount, *, request=None) -> BondAllocation:
    """Set the share of `bond` covering `account` (one of its importer's RM accounts)."""
    _own(who, bond, request)
    with transaction.atomic():
        allocation = _allocate(who, bond, account, amount, request)
    reinstate_if_secured(account)
    return allocation


def _allocate(who, bond, account, amount, request) -> BondAllocation:
    """Within the caller's transaction. The bond's `allocated` moves by one conditional UPDATE
    (allocated + delta <= amount): of two allocations at once, the second finds the first's total."""
    amount = ZERO if str(amount).strip() in ("0", "0.00") else _amount(amount, _("allocation"))  # 0 ends a share
    if account.business_id != bond.importer_id:
        raise _error(_("A bond covers only RM accounts of its importer."), "other_importer")
    if bond.status == BondStatus.CANCELLED:
        raise _error(_("This bond is cancelled."), "cancelled")
    current = BondAllocation.objects.filter(bond=bond, program_account=account).first()
    delta = amount - (current.amount if current else ZERO)
    if delta < 0:
        _refuse_if_uncovers_debt(account, -delta)
    changed = Bond.objects.filter(pk=bond.pk, allocated__lte=F("amount") - delta, allocated__gte=-delta).update(
        allocated=F("allocated") + delta
    )
    if not changed:
        bond.refresh_from_db()
        raise _error(
            _("The allocations would exceed the bond: %(left)s of %(amount)s is left to allocate.")
            % {"left": money(bond.amount - bond.allocated), "amount": money(bond.amount)},
            "over_allocated",
        )
    before = {"account": account.number, "amount": str(current.amount) if current else "0.00"}
    if current is None:
        current = BondAllocation.objects.create(bond=bond, program_account=account, amount=amount)
    else:
        BondAllocation.objects.filter(pk=current.pk).update(amount=amount)
        current.amount = amount
    bond.refresh_from_db()
    user = rights.actor_of(who).user
    after = {"account": account.number, "amount": str(amount)}
    _event("allocated", user, bond=bond, account=account, before=before, after=after)
    audit("security.bond_allocated", actor=user, request=request, obj=bond, before=before, after=after)
    return current


def amend(who, bond, *, amount=None, valid_to=None, request=None) -> Bond:
    """The provider changes the amount or the end of validity (a rider): never below what is allocated."""
    _own(who, bond, request)
    if bond.status == BondStatus.CANCELLED:
        raise _error(_("This bond is cancelled."), "cancelled")
    changes = {}
    if amount is not None:
        changes["amount"] = _amount(amount, _("bond amount"))
    if valid_to is not None:
        _validity(bond.valid_from, valid_to)
        changes["valid_to"] = valid_to
    if not changes:
        raise _error(_("Give a new amount or a new end of validity."), "nothing_to_change")
    before = _bond_dict(bond)
    with transaction.atomic():
        if "amount" in changes:
            changed = Bond.objects.filter(pk=bond.pk, allocated__lte=changes["amount"]).update(amount=changes["amount"])
            if not changed:
                raise _error(
                    _("The bond cannot be less than what it covers (%(allocated)s): reduce its allocations first.")
                    % {"allocated": money(bond.allocated)},
                    "below_allocated",
                )
        if "valid_to" in changes:
            Bond.objects.filter(pk=bond.pk).update(valid_to=changes["valid_to"])
        bond.refresh_from_db()
        user = rights.actor_of(who).user
        _event("amended", user, bond=bond, before=before, after=_bond_dict(bond))
        audit("security.bond_amended", actor=user, request=request, obj=bond, before=before, after=_bond_dict(bond))
    for allocation in bond.allocations.all():
        reinstate_if_secured(allocation.program_account)
    return bond


def cancel(who, bond, *, request=None, today=None) -> Bond:
    """The provider cancels its bond: refused while it covers RPP debt not yet paid, or (a bond for
    appeals) duties of an open appeal that relies on it (with the reason)."""
    _own(who, bond, request)
    refuse = _refuse_if_uncovers_appeals if bond.program == SecurityProgram.APPEALS else _refuse_if_uncovers_debt
    for allocation in bond.allocations.select_related("program_account").filter(amount__gt=0):
        refuse(allocation.program_account, allocation.amount, today)
    before = _bond_dict(bond)
    with transaction.atomic():
        move(bond, BondStatus.CANCELLED)
        user = rights.actor_of(who).user
        _event("cancelled", user, bond=bond, before=before, after=_bond_dict(bond))
        audit("security.bond_cancelled", actor=user, request=request, obj=bond, before=before, after=_bond_dict(bond))
    return bond


def _refuse_if_uncovers_debt(account, removed: Decimal, today=None):
    """Security may not be withdrawn below what the account still owes for goods released on RPP."""
    owed = unpaid(account, today)
    left = posted(account, today).total - removed
    if owed > 0 and left < owed:
        raise _error(
            _(
                "This would leave %(owed)s of RPP debt on account %(number)s with %(left)s of security: "
                "the debt must be paid first."
            )
            % {"owed": money(owed), "number": account.number, "left": money(max(left, ZERO))},
            "covers_open_debt",
        )


def _refuse_if_uncovers_appeals(account, removed: Decimal, today=None):
    """Security for appeals may not be withdrawn below what open appeals rely on (commitments)."""
    relied = committed(account)
    left = appeal_security(account, today) - removed
    if relied > 0 and left < relied:
        raise _error(
            _(
                "Open appeals on account %(number)s rely on %(relied)s of this security: it may be withdrawn "
                "once they are decided."
            )
            % {"relied": money(relied), "number": account.number},
            "covers_open_appeal",
        )


# --- cash deposits ------------------------------------------------------------------------------


def open_deposit(who, account, amount, *, program=SecurityProgram.RPP, request=None) -> CashDeposit:
    """A cash deposit the importer will pay (online: payments' card path, whose limit counts it), as
    RPP security or as security for appeals (`program`)."""
    rights.require(who, Action.PAY, account, request=request)
    amount = _amount(amount, _("deposit"))
    if program not in SecurityProgram.values:
        raise _error(_("Say what the deposit secures: release prior to payment or appeals."), "invalid_program")
    user = rights.actor_of(who).user
    deposit = CashDeposit.objects.create(
        program_account=account, amount=amount, program=program, status=DepositStatus.AWAITING_PAYMENT, created_by=user
    )
    after = {"amount": str(amount), "program": program}
    _event("deposit_opened", user, deposit=deposit, account=account, after=after)
    audit("security.deposit_opened", actor=user, request=request, obj=deposit, after=after)
    return deposit


DEPOSIT_PURPOSE = "security.deposit"


def pay_deposit(who, deposit, *, key, card=None, agreement=None, debit_date=None, request=None, channel="web"):
    """Pay a deposit online through the payments app, as debts are paid (CARM Bulletin 5408: the
    card limit of $4,999.99 a billing cycle counts deposits too); held once the payment completes
    (`deposit_line_paid`). (payment, created) as payments.services.request_payment."""
    purpose = f"{DEPOSIT_PURPOSE}:{deposit.pk}"
    if deposit.status != DepositStatus.AWAITING_PAYMENT:
        user = rights.actor_of(who).user
        earlier = Payment.objects.filter(requested_by=user, idempotency_key=key, lines__purpose=purpose).first()
        if earlier is not None:  # the same request again (a retry, a double click): its payment
            return earlier, False
        raise _error(_("This deposit is not awaiting payment."), "not_awaiting_payment")
    return payments.pay_for(
        who,
        deposit.program_account,
        deposit.amount,
        purpose,
        key=key,
        card=card,
        agreement=agreement,
        debit_date=debit_date,
        request=request,
        channel=channel,
    )


def _deposit_of(line) -> CashDeposit:
    deposit = CashDeposit.objects.select_for_update().get(pk=int(line.purpose.split(":", 1)[1]))
    if deposit.program_account_id != line.program_account_id or deposit.amount != line.amount:
        raise ValidationError(_("The payment does not match the deposit."), code="deposit_mismatch")
    return deposit


def deposit_line_paid(line):
    """payments completed a deposit's payment (in its transaction)."""
    deposit_paid(_deposit_of(line), line.payment.reference, actor=line.payment.requested_by)


def deposit_line_returned(line):
    """The PAD debit that paid a deposit came back NSF: the deposit is no longer held."""
    deposit = _deposit_of(line)
    if deposit.status != DepositStatus.HELD:
        return
    move(deposit, DepositStatus.AWAITING_PAYMENT, reference="")
    after = {"reference": line.payment.reference}
    _event("deposit_returned", None, deposit=deposit, account=deposit.program_account, after=after)
    audit(
        "security.deposit_returned",
        obj=deposit,
        after={**after, "amount": str(deposit.amount), "account": deposit.program_account.number},
    )


def deposit_paid(deposit, reference: str, actor=None, request=None) -> CashDeposit:
    """The deposit's payment went through: it is held as security from now on."""
    if deposit.status == DepositStatus.HELD:
        return deposit
    with transaction.atomic():
        move(deposit, DepositStatus.HELD, reference=reference)
        _event("deposit_held", actor, deposit=deposit, account=deposit.program_account, after={"reference": reference})
        audit(
            "security.deposit_held",
            actor=actor,
            request=request,
            obj=deposit,
            after={"reference": reference, "amount": str(deposit.amount), "account": deposit.program_account.number},
        )
    reinstate_if_secured(deposit.program_account)
    return deposit


# --- sufficiency --------------------------------------------------------------------------------


@dataclass
class Posted:
    bond: Decimal = ZERO
    cash: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.bond + self.cash

    @property
    def supports(self) -> Decimal:
        """The month of duties and taxes this security stands for (a bond for twice its amount)."""
        return rules.cents(self.bond / rules.BOND_RATE + self.cash / rules.CASH_RATE)


def _in_force(day, program=SecurityProgram.RPP):
    return Q(bond__program=program, bond__status=BondStatus.ACTIVE, bond__valid_from__lte=day) & (
        Q(bond__valid_to__isnull=True) | Q(bond__valid_to__gte=day)
    )


def _posted_sums(day, program=SecurityProgram.RPP) -> dict:
    """The security in force for `program` as `bond` and `cash` expressions to annotate a query of
    program accounts with (allocations of bonds in force, cash deposits held); `_held` reads them."""
    bonds = BondAllocation.objects.filter(_in_force(day, program), program_account=OuterRef("pk"))
    cash = CashDeposit.objects.filter(program_account=OuterRef("pk"), program=program, status=DepositStatus.HELD)
    return {
        name: Subquery(rows.values("program_account").annotate(total=Sum("amount")).values("total"))
        for name, rows in (("bond", bonds), ("cash", cash))
    }


def _held(account) -> Posted:
    """A program account annotated with _posted_sums, as Posted."""
    return Posted(rules.cents(account.bond or ZERO), rules.cents(account.cash or ZERO))


def _unpaid(account) -> Decimal:
    """A program account annotated with `owed` (ledger.balances.running_on): its unpaid activity."""
    return max(rules.cents(account.owed), ZERO)


def posted_many(accounts, day=None, program=SecurityProgram.RPP) -> dict[int, Posted]:
    """Security in force per account id for `program` (RPP unless said), in one query."""
    result = {a: Posted() for a in accounts}
    held = ProgramAccount.objects.filter(pk__in=accounts).annotate(**_posted_sums(_today(day), program))
    result.update((account.pk, _held(account)) for account in held.only("pk"))
    return result


def appeal_security(account, day=None) -> Decimal:
    """The security for appeals the account has given and CBSA holds: bonds for appeals in force
    allocated to it and deposits for appeals held (SOR/2024-42 s.3: a deposit or a written security
    agreement)."""
    return posted_many([account.pk], day, SecurityProgram.APPEALS)[account.pk].total


# Who relies on an account's security for appeals: recourse registers how much its open requests
# took (the layers let security not import it). Each callable: account -> Decimal.
_commitments: list = []


def register_commitments(relied_on) -> None:
    if relied_on not in _commitments:
        _commitments.append(relied_on)


def committed(account) -> Decimal:
    return sum((relied_on(account) for relied_on in _commitments), ZERO)


def posted(account, day=None) -> Posted:
    return posted_many([account.pk], day)[account.pk]


def unpaid(account, day=None) -> Decimal:
    """What the account owes now (its ledger balance, when positive): RPP activity not yet paid."""
    return max(running([account.pk], _today(day))[account.pk], ZERO)


def covered(requirement, held: Posted) -> Decimal:
    """The share of the requirement the posted security meets (1 = exactly): a bond counts against the
    bond figure, cash against the cash figure, so both together can meet it [DESIGN: the brief gives
    the two figures, not how a mix counts]."""
    if requirement is None:
        return ZERO
    if requirement.bond_amount == ZERO:
        return Decimal("1")
    share = held.bond / requirement.bond_amount
    if requirement.cash_amount:
        share += held.cash / requirement.cash_amount
    return share


@dataclass
class Position:
    account: ProgramAccount
    status: str
    requirement: Requirement | None
    posted: Posted
    unpaid: Decimal
    warnings: list = field(default_factory=list)
    figures_shown: bool = True  # False: the importer hides some records from this broker, so no totals

    @property
    def coverage(self) -> Decimal:
        return covered(self.requirement, self.posted)

    @property
    def sufficient(self) -> bool:
        return self.requirement is not None and self.coverage >= 1

    @property
    def supports(self) -> Decimal:
        return self.posted.supports

    @property
    def usage(self) -> Decimal | None:
        """Unpaid RPP activity as a share of what the security stands for (None: no security)."""
        return None if not self.supports else (self.unpaid / self.supports).quantize(Decimal("0.0001"))

    def plus(self, activity: Decimal) -> "Position":
        """This position with `activity` more unpaid (a CAD being filed), its warnings counted anew."""
        result = replace(self, unpaid=self.unpaid + activity, warnings=[])
        level = usage_level(result.unpaid, result.supports)
        if level:
            result.warnings.append(level)
        return result

    @property
    def rpp_ready(self) -> bool:
        """An RPP CAD would be accepted today: enrolled and sufficiently secured."""
        return self.status == RppStatus.ENROLLED and self.sufficient

    @property
    def shortfall(self) -> Decimal:
        if self.requirement is None or self.sufficient:
            return ZERO
        return rules.cents(
            max(self.requirement.bond_amount - self.posted.bond - self.posted.cash * rules.BOND_RATE, ZERO)
        )


@dataclass(frozen=True)
class Standing:
    enrolment: str | None  # the status of the enrolment row in force (None: no row)
    posted: Posted
    unpaid: Decimal


def standing(account, day: dt.date, lookups=None) -> Standing:
    """What an account's RPP position and billing read besides its requirement: the enrolment in
    force on `day` (status_of's row), the security in force (posted) and the unpaid activity
    (unpaid), in one query. `lookups` (a batch's store with `kept`) reads it once per account and
    day for the batch, shared by billing (rpp_enrolled) and the RPP acceptance rule (checks)."""
    if lookups is not None:
        return lookups.kept(("security.standing", account.pk, day), lambda: standing(account, day))
    enrolment = _enrolments_in_force(day).filter(program_account=OuterRef("pk"))
    row = (
        ProgramAccount.objects.filter(pk=account.pk)
        .annotate(
            enrolment=Subquery(enrolment.values("status")[:1]),
            owed=running_on(day),
            **_posted_sums(day),
        )
        .only("pk")
        .get()
    )
    return Standing(row.enrolment, _held(row), _unpaid(row))


def position(account, day=None, extra: Decimal = ZERO, lookups=None) -> Position:
    """The account's RPP status, requirement, security and unpaid activity (+ `extra`: a CAD being
    filed): two queries (`standing`, kept on `lookups` when given, and the requirement)."""
    day = _today(day)
    held = standing(account, day, lookups)
    status = held.enrolment or RppStatus.NOT_ENROLLED
    return Position(account, status, requirement_of(account, day), held.posted, ZERO).plus(held.unpaid + extra)


def usage_level(unpaid: Decimal, supports: Decimal) -> int:
    """The highest warning threshold (in percent) unpaid RPP activity has reached of what the
    security stands for, 0: none (or no security)."""
    reached = [t for t in rules.thresholds() if supports and unpaid >= t * supports]
    return int(reached[-1] * 100) if reached else 0


def _secured_with_last_level(account_ids):
    """The accounts among `account_ids` (ids or a query of them) ever given RPP security (a bond
    allocation, a deposit), each with `last_usage`: the "after" of its last usage event (None: none),
    in one query."""
    allocated = BondAllocation.objects.filter(program_account=OuterRef("pk"), amount__gt=0)
    deposited = CashDeposit.objects.filter(program_account=OuterRef("pk"))
    usage = SecurityEvent.objects.filter(kind="usage", program_account=OuterRef("pk")).order_by("-at", "-pk")
    return (
        ProgramAccount.objects.filter(Q(Exists(allocated)) | Q(Exists(deposited)), pk__in=account_ids)
        .annotate(last_usage=Subquery(usage.values("after")[:1], output_field=JSONField()))
        .select_related("business")
    )


def watch_usage(account_ids, day=None) -> list[int]:
    """Record each secured account's usage level when it moved (issue 19 item 4). A level reached
    (80 %, 100 %: settings.CARM_RPP_WARNING_THRESHOLDS) is audited as security.threshold_reached,
    which notifications turns into a notice to the importer and its brokers; falling back is recorded
    too, so crossing again is told again. `account_ids`: ids or a query of them. The ids of the
    accounts that reached a new level. The level needs only the security posted and the unpaid
    activity: one query however many accounts (a ledger posting of a batch of CADs calls it)."""
    day = _today(day)
    accounts = _secured_with_last_level(account_ids).annotate(**_posted_sums(day), owed=running_on(day))
    raised = []
    for account in accounts:
        unpaid, supports = _unpaid(account), _held(account).supports  # as position() reads them
        level, last = usage_level(unpaid, supports), (account.last_usage or {}).get("percent", 0)
        if level == last:
            continue
        after = {"account": account.number, "percent": level, "unpaid": str(unpaid), "covered": str(supports)}
        _event("usage", account=account, before={"percent": last}, after=after)
        if level > last:
            audit("security.threshold_reached", obj=account, after=after)
            raised.append(account.pk)
    return raised


def watch_moved(numbers, bonds) -> list[int]:
    """watch_usage of the accounts numbered `numbers` and of those the bonds `bonds` are allocated to."""
    moved = Q(number__in=numbers) | Q(pk__in=BondAllocation.objects.filter(bond__in=bonds).values("program_account"))
    return watch_usage(ProgramAccount.objects.filter(moved).values("pk"))


def positions(who, day=None) -> list[Position]:
    """The security position of every importer RM account `who` may view through their own grants
    (brokers: their clients', as delegation lets them see them): a client-side list, so not an officer's
    view of every client (the workbench's client 360 shows one importer's)."""
    accounts = rights.held(ProgramAccount.objects.all(), who).filter(program=Program.IMPORT_EXPORT)
    accounts = accounts.select_related("business").order_by("business__legal_name", "number")
    shown = set(accounts_with_documents(who).values_list("pk", flat=True))
    result = [position(account, day) for account in accounts]
    for item in result:
        item.figures_shown = item.account.pk in shown
    return result


def reinstate_if_secured(account, today=None) -> None:
    """Lift a suspension once the account's security meets its requirement (issue 19 item 5)."""
    day = _today(today)
    if status_of(account, day) != RppStatus.SUSPENDED:
        return
    if covered(requirement_of(account, day), posted(account, day)) >= 1:
        _set_status(account, RppStatus.ENROLLED, "security posted: suspension lifted", day=day)


# --- officers -----------------------------------------------------------------------------------


def officer_queue(who=None) -> list[QueueItem]:
    """Items awaiting a CBSA officer with their deadlines, earliest first: modification requests and
    paper bonds to record. `who` (if given) must hold MANAGE_SECURITY."""
    if who is not None and not rights.may(who, Action.MANAGE_SECURITY):
        raise PermissionDenied
    items = [
        QueueItem("modification", m, m.due_by, account=m.program_account)
        for m in ModificationRequest.objects.filter(status=RequestStatus.PENDING).select_related("program_account")
    ]
    for bond in Bond.objects.filter(status=BondStatus.AWAITING_OFFICER).prefetch_related(
        "allocations__program_account"
    ):
        first = next(iter(bond.allocations.all()), None)
        due = bond.created_at.date() + dt.timedelta(days=rules.MODIFICATION_DAYS)
        items.append(QueueItem("paper_bond", bond, due, account=first.program_account if first else None))
    return sorted(items, key=lambda item: (item.deadline or dt.date.max, item.kind))
