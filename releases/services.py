"""The one record of goods released: recorded by a border services officer or the release system
(page, API, EDI), or by the release of a paid cash CAD; the releases awaiting accounting, with their
deadlines, overdue first."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from businesses import account_programs
from businesses.models import ProgramAccount
from core import formats
from declarations import transaction_numbers
from declarations.models import CadType, Declaration, DeclarationVersion, SecurityNumber, Status
from ledger import billing_cycle
from ledger.billing_cycle import AccountingProgram, CsaPeriod, Dated
from ledger.models import LedgerEntry
from ledger.offsetting import open_debits
from ledger.services import holiday_calendar
from registry.bn import Program
from rights import Action

from .models import Mode, Release

_OFFICE = re.compile(r"\d{4}")  # a CBSA office: 4 digits (D17-1-10 field 13)
# What a release is: the same transaction number recorded again with these is the same release.
KEPT = ("program_account", "submitted_by_business", "release_date", "release_office", "mode", "estimated_vfd")


@dataclass(frozen=True)
class Awaiting:
    release: Release
    deadline: Dated | None  # None: the holiday calendar does not cover the release's days yet

    def overdue(self, today: dt.date) -> bool:
        return self.deadline is not None and today > self.deadline.day


@dataclass(frozen=True)
class Recorded:
    release: Release
    created: bool  # False: the same release was recorded before (natural-key idempotency)


def record_release(
    who,
    *,
    transaction_number,
    account_number,
    release_date: dt.date,
    release_office,
    estimated_vfd: Decimal,
    mode=Mode.RMD,
    cargo_control_number="",
    request=None,
    today: dt.date | None = None,
) -> Recorded:
    """Goods of the importer's RM account released under `transaction_number`, recorded by a border
    services officer or the release system (RELEASE_GOODS). Who must account for them is the business
    whose account security number starts the number (the importer, or the broker that asked for the
    release). The same release recorded again is the first one; another under the same number is
    refused (code release_conflict). ValidationError by field, bilingual; audited."""
    actor = rights.actor_of(request or who)
    rights.require(actor, Action.RELEASE_GOODS, request=request)
    values = _checked(
        transaction_number=transaction_number,
        account_number=account_number,
        release_date=release_date,
        release_office=release_office,
        estimated_vfd=estimated_vfd,
        mode=mode,
        cargo_control_number=cargo_control_number,
        today=today or timezone.localdate(),
    )
    found = Release.objects.filter(transaction_number=values["transaction_number"]).first()
    if found is not None:
        return Recorded(_same(found, values), created=False)
    try:
        with transaction.atomic():
            release = Release.objects.create(**values)
            _audit(actor, release, request)
    except IntegrityError:  # recorded at the same moment by another request: the same rule
        return Recorded(_same(Release.objects.get(transaction_number=values["transaction_number"]), values), False)
    return Recorded(release, created=True)


def _error(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _checked(*, transaction_number, account_number, release_date, release_office, estimated_vfd, mode, today, **rest):
    """The release's columns, or ValidationError by field (every field's first error)."""
    errors = {}

    def refuse(field, message, code):
        errors.setdefault(field, [ValidationError(message, code=code)])

    try:
        number = transaction_numbers.validate(transaction_number)
        security = SecurityNumber.objects.select_related("business").filter(number=number[:5]).first()
        if security is None:
            refuse(
                "transaction_number",
                _("No business submits under the account security number %(number)s: check the transaction number.")
                % {"number": number[:5]},
                "unknown_security_number",
            )
    except transaction_numbers.TransactionNumberError as error:
        number, security = "", None
        refuse("transaction_number", error.message, error.code)
    account = ProgramAccount.objects.filter(number=str(account_number or "").strip().upper()).first()
    if account is None or account.program != Program.IMPORT_EXPORT:
        refuse(
            "account_number",
            _("No importer RM account has this number (15 characters, e.g. 123456782RM0001)."),
            "unknown_account",
        )
    cad = Declaration.objects.filter(transaction_number=number).first() if number else None
    if cad is not None and account is not None and cad.program_account_id != account.pk:
        refuse(
            "transaction_number", _("A CAD of another importer account has this transaction number."), "other_account"
        )
    elif cad is not None and cad.version().cad_type == CadType.CASH:
        refuse(
            "transaction_number",
            _("A cash CAD has this transaction number: its goods are released from the CAD once it is paid."),
            "cash_cad",
        )
    if not isinstance(release_date, dt.date):
        refuse("release_date", _("Enter the release date as YYYY-MM-DD."), "invalid_date")
    elif release_date > today:
        refuse("release_date", _("Goods cannot be released on a day still to come."), "future_date")
    if not _OFFICE.fullmatch(str(release_office or "")):
        refuse("release_office", _("A CBSA office is 4 digits, e.g. 0453."), "invalid_office")
    if not isinstance(estimated_vfd, Decimal) or not estimated_vfd.is_finite():
        refuse("estimated_vfd", _("Enter the estimated value for duty in dollars, e.g. 12840.00."), "invalid_amount")
    elif estimated_vfd < 0 or estimated_vfd.as_tuple().exponent < -2 or estimated_vfd >= Decimal(10) ** 13:
        refuse(
            "estimated_vfd",
            _("The estimated value for duty is an amount of dollars and cents, not negative."),
            "invalid_amount",
        )
    if mode not in (Mode.RMD, Mode.CLVS):
        # a cash CAD's goods are released from the CAD, once paid (release_paid_cash_cad)
        refuse("mode", _("Choose release on minimum documentation or courier low value shipment."), "invalid_mode")
    cargo = str(rest["cargo_control_number"] or "").strip()
    if len(cargo) > 25:
        refuse("cargo_control_number", _("A cargo control number has at most 25 characters."), "too_long")
    if errors:
        raise ValidationError(errors)
    return {
        "transaction_number": number,
        "program_account": account,
        "submitted_by_business": security.business,
        "release_date": release_date,
        "release_office": release_office,
        "estimated_vfd": estimated_vfd,
        "mode": mode,
        "cargo_control_number": cargo,
    }


def _same(found: Release, values: dict) -> Release:
    if any(getattr(found, name) != values[name] for name in KEPT):
        raise _error(
            "transaction_number",
            _("Transaction number %(number)s was released on %(day)s with other details: it names one release.")
            % {"number": found.transaction_number, "day": found.release_date.isoformat()},
            "release_conflict",
        )
    return found


def _audit(actor, release: Release, request) -> None:
    record(
        "release.recorded",
        actor=actor.user,
        request=request,
        obj=release,
        after={
            "transaction_number": release.transaction_number,
            "account": release.program_account.number,
            "release_date": release.release_date.isoformat(),
            "release_office": release.release_office,
            "mode": release.mode,
            "estimated_vfd": str(release.estimated_vfd),
        },
    )


# --- cash CADs: paid, then released -------------------------------------------------------------------


def cash_cads_awaiting_release():
    """Accepted cash CADs whose goods are not released yet (the officer's queue), oldest first."""
    cash = DeclarationVersion.objects.filter(
        declaration=OuterRef("pk"), number=OuterRef("current_version"), cad_type=CadType.CASH
    )
    return (
        Declaration.objects.filter(Exists(cash), status=Status.ACCEPTED, release__isnull=True)
        .select_related("program_account__business")
        .order_by("release_date", "transaction_number")
    )


def left_to_pay(declaration: Declaration) -> Decimal:
    entries = LedgerEntry.objects.filter(transaction_number=declaration.transaction_number)
    return sum((debit.left for debit in open_debits(declaration.program_account, entries)), Decimal(0))


def release_paid_cash_cad(officer, declaration, *, day: dt.date | None = None, request=None) -> Release:
    """Release the goods of a cash CAD prepared and paid before they arrived (issue 19 item 6): only
    once its duties and taxes are paid. Idempotent: goods released stay released (the first release)."""
    # Customs Act s.32(1): goods are not released before they are accounted for and paid (no RPP security)
    rights.require(officer, Action.RELEASE_GOODS, request=request)
    day = day or timezone.localdate()
    version = declaration.version()
    if declaration.status != Status.ACCEPTED or version.cad_type != CadType.CASH:
        raise ValidationError(_("Only an accepted cash CAD is released this way."), code="not_cash_cad")
    found = Release.objects.filter(declaration=declaration).first()
    if found is not None:
        return found
    left = left_to_pay(declaration)
    if left > 0:
        raise ValidationError(
            _("CAD %(number)s still has %(left)s to pay: its goods are released once it is paid.")
            % {"number": declaration.transaction_number, "left": formats.money(left)},
            code="cash_cad_unpaid",
        )
    try:
        with transaction.atomic():
            release = Release.objects.create(
                transaction_number=declaration.transaction_number,
                program_account=declaration.program_account,
                submitted_by_business=declaration.submitted_by_business,
                release_date=day,
                release_office=version.release_office,
                cargo_control_number=version.cargo_control_number,
                estimated_vfd=version.vfd,
                mode=Mode.CASH,
                declaration=declaration,
            )
            _audit(rights.actor_of(officer), release, request)
    except IntegrityError:  # released at the same moment by another officer
        return Release.objects.get(transaction_number=declaration.transaction_number)
    return release


# --- awaiting accounting ------------------------------------------------------------------------------


def awaiting_accounting(who, today: dt.date | None = None) -> list[Awaiting]:
    """The releases `who` may see with no CAD submitted under their number, overdue ones first,
    then by deadline."""
    today = today or timezone.localdate()
    accounted = Declaration.objects.exclude(status=Status.DRAFT).values("transaction_number")
    releases = (
        Release.objects.visible_to(who)
        .exclude(transaction_number__in=accounted)
        .select_related("program_account__business", "submitted_by_business")
    )
    calendar = holiday_calendar()
    found = [Awaiting(release, deadline(release, calendar)) for release in releases]
    far = dt.date.max
    return sorted(found, key=lambda item: (not item.overdue(today), item.deadline.day if item.deadline else far))


def deadline(release: Release, calendar) -> Dated | None:
    """The last day to account for the goods: by the account's accounting program on the release day,
    a courier low value shipment by the 24th of the next month as the CLVS program's."""
    status = account_programs.on(release.program_account, release.release_date)
    program = AccountingProgram(status.accounting_program)
    if release.mode == Mode.CLVS:
        program = AccountingProgram.CLVS  # D17-4-0: CLVS goods are accounted for by the 24th of the next month
    try:
        return billing_cycle.accounting_deadline(
            release.release_date, program, release.estimated_vfd, calendar, CsaPeriod(status.csa_period)
        )
    except billing_cycle.UncoveredDateError:
        return None
