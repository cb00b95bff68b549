"""Properties of the billing cycle that hold for any release date and holiday table."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ledger.billing_cycle import HolidayCalendar, billing_dates, federal_holidays

DAY = dt.timedelta(days=1)
FEDERAL = federal_holidays()

# Releases whose every date (the latest is a CAD or payment deadline) stays inside the
# covered years, even with up to 20 extra holidays piled on.
releases = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 10, 31))
extra_holidays = st.frozensets(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)), max_size=20)
calendars = st.one_of(
    st.just(FEDERAL),
    extra_holidays.map(lambda extra: HolidayCalendar(FEDERAL.dates | extra, FEDERAL.years)),
)


def business(day: dt.date, calendar: HolidayCalendar) -> bool:
    return day.weekday() < 5 and day not in calendar.dates


@given(releases, calendars)
def test_payment_due_date_is_always_a_business_day(release, calendar):
    assert business(billing_dates(release, calendar).payment_due_date, calendar)


@given(releases, calendars)
def test_payment_due_date_is_after_the_statement_and_the_period_end(release, calendar):
    dates = billing_dates(release, calendar)
    assert dates.billing_period_end < dates.statement_date < dates.payment_due_date


@given(releases, calendars)
def test_payment_due_date_is_the_tenth_weekday_moved_only_past_holidays(release, calendar):
    dates = billing_dates(release, calendar)
    weekdays = []
    day = dates.billing_period_end
    while day < dates.payment_due_date:
        day += DAY
        if day.weekday() < 5:
            weekdays.append(day)
    assert len(weekdays) >= 10
    assert all(day in calendar.dates for day in weekdays[9:-1])


@given(releases)
def test_billing_period_runs_18th_to_17th_and_contains_the_release(release):
    dates = billing_dates(release, FEDERAL)
    start, end = dates.billing_period_start, dates.billing_period_end
    assert (start.day, end.day) == (18, 17)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 1
    assert start <= release <= end
    assert dates.statement_date == end.replace(day=25)


@given(releases, calendars)
def test_cad_due_is_the_5th_business_day_after_release_day_0(release, calendar):
    # AMPS C288: the release day is day 0; released on a non-business day, the next business day is day 1.
    due = billing_dates(release, calendar).cad_due_date
    assert business(due, calendar)
    between = [release + DAY * n for n in range(1, (due - release).days + 1)]
    assert sum(business(day, calendar) for day in between) == 5
