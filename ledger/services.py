"""The billing calendar, fed from the holiday table that officers maintain."""

import datetime as dt

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
