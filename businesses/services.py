"""Registering a business: looking its number up at CRA, proving control (identity and affinity
questions, with a lockout), accepting the terms and becoming its first BAM."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit.services import record
from registry.adapters import BusinessRecord, registry
from registry.bn import CUSTOMS_PROGRAMS, AccountType, parse_bn9

from . import affinity, signals
from .matching import same_identity
from .models import Business, ProgramAccount, RegistrationAttempt, TermsAcceptance

LOCKOUT_FAILURES = 5
LOCKOUT_PERIOD = timedelta(hours=24)


def locked_until(user, bn9: str) -> datetime | None:
    """After 5 wrong answers within 24 hours the BN is locked for this person for 24 hours from the
    fifth. No attempt is recorded while locked, so the latest failure is the one that locked it."""
    failures = RegistrationAttempt.objects.filter(user=user, bn9=bn9, succeeded=False).order_by("-at")
    latest = failures.first()
    if latest is None or latest.at <= timezone.now() - LOCKOUT_PERIOD:
        return None
    if failures.filter(at__gt=latest.at - LOCKOUT_PERIOD).count() >= LOCKOUT_FAILURES:
        return latest.at + LOCKOUT_PERIOD
    return None


def _refuse_if_locked(user, bn9):
    until = locked_until(user, bn9)
    if until is not None:
        raise ValidationError(
            _("Too many wrong answers for this business number. Try again after %(time)s.")
            % {"time": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")},
            code="locked",
        )


def _already_registered():
    return ValidationError(
        _("This business is already registered in the portal. Request access from your employer instead."),
        code="already_registered",
    )


def find_for_registration(user, bn: str) -> BusinessRecord:
    """The registry's record of the business `user` wants to register, or a ValidationError."""
    bn9 = parse_bn9(bn)
    _refuse_if_locked(user, bn9)
    if Business.objects.filter(bn9=bn9).exists():
        raise _already_registered()
    found = registry().lookup(bn9)
    if found is None:
        raise ValidationError(
            _("The Canada Revenue Agency has no business with number %(bn)s. Check the number on your CRA letters.")
            % {"bn": bn9},
            code="unknown_bn",
        )
    return found


def _attempt(user, bn9, step, succeeded, request):
    RegistrationAttempt.objects.create(user=user, bn9=bn9, step=step, succeeded=succeeded)
    record(
        "registration.attempt",
        actor=user,
        request=request,
        acting_for_business=bn9,
        after={"step": step, "succeeded": succeeded},
    )
    if not succeeded:
        _refuse_if_locked(user, bn9)  # the fifth wrong answer says so at once
        raise ValidationError(
            _("The answers do not match the records for this business. Check them and try again."),
            code="no_match",
        )


def verify_identity(user, found: BusinessRecord, request=None, **typed) -> None:
    """Check the legal name and address typed (legal_name, address_line, city, province, postal_code)."""
    _refuse_if_locked(user, found.bn9)
    _attempt(user, found.bn9, "identity", same_identity(found, **typed), request)


def verify_affinity(user, bn9: str, answers: affinity.Answers, request=None) -> None:
    _refuse_if_locked(user, bn9)
    _attempt(user, bn9, "affinity", affinity.answers_are_right(affinity.import_history(bn9), answers), request)


@transaction.atomic
def register_business(user, bn9: str, *, kind: str, terms, request=None) -> Business:
    """Create the business and its customs program accounts from the registry, record the terms
    accepted and make `user` its first BAM (access hears `signals.registered`) — all or nothing.
    The caller has verified control."""
    found = registry().lookup(bn9)
    if found is None:
        raise ValidationError(_("The Canada Revenue Agency has no business with this number."), code="unknown_bn")
    try:
        with transaction.atomic():
            business = Business.objects.create(
                bn9=found.bn9,
                legal_name=found.legal_name,
                operating_name=found.operating_name,
                address_line=found.address_line,
                city=found.city,
                province=found.province,
                postal_code=found.postal_code,
                kind=kind,
                registered_by=user,
            )
    except IntegrityError:
        raise _already_registered() from None
    ProgramAccount.objects.bulk_create(
        ProgramAccount(
            business=business,
            number=account.number,
            program=account.program,
            account_type=account.account_type or AccountType.IMPORTER,
            is_active=account.status == "active",
        )
        for account in found.program_accounts
        if account.program in CUSTOMS_PROGRAMS
    )
    roles = [role for _receiver, role in signals.registered.send(Business, business=business, user=user) if role]
    TermsAcceptance.objects.create(user=user, business=business, terms=terms)
    record(
        "business.registered",
        actor=user,
        request=request,
        obj=business,
        actor_business=business.bn9,
        after={
            "bn9": business.bn9,
            "kind": kind,
            "terms": terms.version,
            "role": roles[0] if roles else "",
            "program_accounts": list(business.program_accounts.values_list("number", flat=True)),
        },
    )
    return business
