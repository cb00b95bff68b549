"""Record a release; list the releases awaiting accounting, with their deadlines, overdue first."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

import rights
from audit.services import record
from businesses import account_programs
from declarations import transaction_numbers
from declarations.models import Declaration, Status
from declarations.validation import acting
from ledger import billing_cycle
from ledger.billing_cycle import AccountingProgram, Dated
from ledger.services import holiday_calendar

from .models import Release


@dataclass(frozen=True)
class Awaiting:
    release: Release
    deadline: Dated | None  # None: the holiday calendar does not cover the release's days yet

    def overdue(self, today: dt.date) -> bool:
        return self.deadline is not None and today > self.deadline.day


def record_release(
    who, account, *, release_date, release_office, estimated_vfd: Decimal, cargo_control_number="", request=None
) -> Release:
    """Goods of `account` released to `who`'s business (the importer or its broker, who may transact
    on the account): numbered from that business's account security number, audited."""
    actor = rights.actor_of(request or who)
    rights.require(actor, rights.Action.TRANSACT, account, request=request)
    submitter, context = acting(actor, account)  # as a CAD's: the broker acting for the importer, or the importer
    with transaction.atomic():
        release = Release.objects.create(
            transaction_number=transaction_numbers.next_number(submitter),
            program_account=account,
            submitted_by_business=submitter,
            release_date=release_date,
            release_office=release_office,
            cargo_control_number=cargo_control_number,
            estimated_vfd=estimated_vfd,
        )
        record(
            "release.recorded",
            actor=actor.user,
            request=request,
            obj=release,
            after={"transaction_number": release.transaction_number, "release_date": release_date.isoformat()},
            **context,
        )
    return release


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
    found = [Awaiting(release, _deadline(release, calendar)) for release in releases]
    far = dt.date.max
    return sorted(found, key=lambda item: (not item.overdue(today), item.deadline.day if item.deadline else far))


def _deadline(release: Release, calendar) -> Dated | None:
    program = AccountingProgram(account_programs.on(release.program_account, release.release_date).accounting_program)
    try:
        return billing_cycle.accounting_deadline(release.release_date, program, release.estimated_vfd, calendar)
    except billing_cycle.UncoveredDateError:
        return None
