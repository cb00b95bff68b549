"""The accounting program of an RM account on a day (issue 15 items 9-10), and whether it was in RPP.

`on(account, day)` reads the history (`AccountProgramRecord`); `record` adds a change: officers only,
audited, never an edit of a past row. An account with no row is in the regular program.

RPP enrolment has one truth, security's `Enrolment` with its dated history (issue 19): `rpp_enrolled`
asks it through the source security registers (the layers let businesses not import security)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import rights
from audit.services import record as audit
from rights import Action

from .models import AccountingProgram, AccountProgramRecord, CsaPeriod, ProgramAccount


@dataclass(frozen=True)
class ProgramStatus:
    accounting_program: str
    effective_from: dt.date | None = None
    csa_period: str = CsaPeriod.MONTH


DEFAULT = ProgramStatus(AccountingProgram.REGULAR)

_rpp_sources: list = []  # security.services.rpp_enrolled, registered by security.checks.connect


def register_rpp(source) -> None:
    """`source(account, day, lookups)` tells whether goods of the account released on `day` were
    released prior to payment (`lookups`: a batch's store, or None)."""
    if source not in _rpp_sources:
        _rpp_sources.append(source)


def rpp_enrolled(account: ProgramAccount, day: dt.date, lookups=None) -> bool:
    """`lookups`: a batch's store (declarations.validation.Lookups), the source's reading kept on it."""
    (source,) = _rpp_sources  # exactly one truth
    return source(account, day, lookups)


def history(account: ProgramAccount) -> list[ProgramStatus]:
    """The account's changes, newest first (one query)."""
    rows = AccountProgramRecord.objects.filter(program_account=account).order_by("-effective_from")
    return [_status(row) for row in rows]


def _status(row: AccountProgramRecord) -> ProgramStatus:
    return ProgramStatus(row.accounting_program, row.effective_from, row.csa_period)


def on(account: ProgramAccount, day: dt.date, changes: list[ProgramStatus] | None = None) -> ProgramStatus:
    """The status in force on `day`: the newest change from that day or before (`changes`: the
    account's `history`, when the caller already read it)."""
    changes = history(account) if changes is None else changes
    return next((change for change in changes if change.effective_from <= day), DEFAULT)


def statuses_on(day: dt.date) -> dict[int, ProgramStatus]:
    """Program account id → its status on `day`, for the accounts with a change recorded by then
    (the others are in the regular program: DEFAULT)."""
    rows = AccountProgramRecord.objects.filter(effective_from__lte=day).order_by("program_account", "-effective_from")
    latest = {}
    for row in rows:
        latest.setdefault(row.program_account_id, _status(row))
    return latest


def accounts_in_sql(day: dt.date, statuses, params: dict) -> str:
    """`statuses_on`'s rule in SQL, for a statement that wants it without a round trip of its own
    (the statement close leaves out the calendar-month accounts in the same query as its lock): a
    subquery of the program accounts whose status on `day` is one of `statuses`, pairs of
    (accounting program, CSA period). `day` and the pairs go into `params` (%(name)s style)."""
    params["status_day"] = day
    pairs = []
    for n, (program, period) in enumerate(statuses):
        params[f"status_program{n}"], params[f"status_period{n}"] = program, period
        pairs.append(f"(accounting_program = %(status_program{n})s AND csa_period = %(status_period{n})s)")
    return (
        "SELECT program_account_id FROM (SELECT program_account_id, accounting_program, csa_period, "
        "ROW_NUMBER() OVER (PARTITION BY program_account_id ORDER BY effective_from DESC) AS latest "
        f"FROM {AccountProgramRecord._meta.db_table} WHERE effective_from <= %(status_day)s) statuses "
        f"WHERE latest = 1 AND ({' OR '.join(pairs) or 'FALSE'})"
    )


def record(
    officer,
    account: ProgramAccount,
    *,
    effective_from,
    accounting_program,
    reason,
    csa_period=CsaPeriod.MONTH,
    request=None,
):
    """A change of accounting program from `effective_from`, by a CBSA officer, audited. A CSA
    importer's period, once recorded, stays the same (SOR/86-1062 s.10.3(4): after accounting with
    one period it uses that period [DESIGN: the first record with CSA is taken as that accounting])."""
    rights.require(officer, Action.SET_ACCOUNT_PROGRAMS, request=request)
    if accounting_program not in AccountingProgram.values or csa_period not in CsaPeriod.values:
        raise ValidationError(_("Unknown accounting program or CSA period."), code="invalid_choice")
    if not str(reason or "").strip():
        raise ValidationError(_("Give the reason for the change."), code="reason_required")
    if accounting_program == AccountingProgram.CSA:
        chosen = AccountProgramRecord.objects.filter(program_account=account, accounting_program=AccountingProgram.CSA)
        if chosen.exclude(csa_period=csa_period).exists():
            raise ValidationError(
                _("A CSA importer keeps the accounting period it chose (SOR/86-1062 s.10.3(4))."),
                code="csa_period_fixed",
            )
    try:
        with transaction.atomic():
            row = AccountProgramRecord.objects.create(
                program_account=account,
                effective_from=effective_from,
                accounting_program=accounting_program,
                csa_period=csa_period,
                reason=str(reason).strip(),
                recorded_by=officer,
            )
            audit(
                "businesses.account_program_changed",
                actor=officer,
                request=request,
                obj=row,
                after={
                    "account": account.number,
                    "effective_from": effective_from.isoformat(),
                    "accounting_program": accounting_program,
                    "csa_period": csa_period,
                    "reason": row.reason,
                },
            )
    except IntegrityError as error:
        raise ValidationError(
            _("A change is already recorded for this account on %(day)s.") % {"day": effective_from.isoformat()},
            code="duplicate_day",
        ) from error
    return row
