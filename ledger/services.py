"""The billing calendar, fed from the holiday table that officers maintain; and demands (officers)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import rights
from audit.services import record
from rights import Action

from . import billing_cycle as calendar
from .models import Holiday


def holiday_calendar() -> calendar.HolidayCalendar:
    """Holidays from the table; the years covered run from its first row's year to its last's."""
    dates = frozenset(Holiday.objects.values_list("date", flat=True))
    if not dates:
        return calendar.HolidayCalendar(frozenset(), range(0))
    return calendar.HolidayCalendar(dates, range(min(dates).year, max(dates).year + 1))


def billing_dates(release_date: dt.date) -> calendar.BillingDates:
    return calendar.billing_dates(release_date, holiday_calendar())


def set_demand(program_account, issued_on: dt.date, *, officer, request=None):
    """Record that CBSA issued a demand for the account's debt on `issued_on` (for collections; it
    does not change the rate: overdue amounts draw the specified rate from the day after they were
    payable, Customs Act s.33.4(1)). Officers only; audited. An earlier demand stands (recording
    it again is refused)."""
    from .posting import ledger_of  # posting reads the holiday calendar from this module

    rights.require(request or officer, Action.ISSUE_DEMANDS, request=request)
    if issued_on > timezone.localdate():
        raise ValidationError(_("A demand cannot be dated in the future."), code="future")
    with transaction.atomic():
        ledger = ledger_of(program_account, lock=True)
        if ledger.demand_issued_on is not None and ledger.demand_issued_on <= issued_on:
            raise ValidationError(
                _("A demand was already recorded on %(date)s.") % {"date": ledger.demand_issued_on.isoformat()},
                code="already_demanded",
            )
        before = ledger.demand_issued_on
        ledger.demand_issued_on = issued_on
        ledger.save(update_fields=["demand_issued_on"])
        record(
            "ledger.demand_issued",
            actor=officer,
            request=request,
            obj=ledger,
            before={"demand_issued_on": before.isoformat() if before else None},
            after={"account": program_account.number, "demand_issued_on": issued_on.isoformat()},
        )
    return ledger
