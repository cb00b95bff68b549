"""Worked examples of the harmonized billing cycle rules in ledger.billing_cycle."""

import datetime as dt

import pytest

from ledger.billing_cycle import (
    HolidayCalendar,
    UncoveredDateError,
    add_business_days,
    billing_dates,
    billing_period,
    cad_due_date,
    federal_holidays,
    is_business_day,
    last_day_of_month,
    next_business_day,
    payment_due_date,
)

D = dt.date
FEDERAL = federal_holidays()


# The brief's examples (domain README §6).


def test_release_20_mar_2025_is_billed_18_mar_to_17_apr_and_due_thu_1_may():
    dates = billing_dates(D(2025, 3, 20), FEDERAL)
    assert (dates.billing_period_start, dates.billing_period_end) == (D(2025, 3, 18), D(2025, 4, 17))
    assert dates.statement_date == D(2025, 4, 25)
    assert dates.payment_due_date == D(2025, 5, 1)


def test_release_10_jan_2025_is_due_fri_31_jan():
    assert billing_dates(D(2025, 1, 10), FEDERAL).payment_due_date == D(2025, 1, 31)


# Payment due date: 10 weekdays, holidays counted; deferred only when it lands on one.


def test_holidays_inside_the_ten_weekdays_are_counted_not_skipped():
    # Good Friday 18 Apr and Easter Monday 21 Apr 2025 count as weekdays 1 and 2.
    assert payment_due_date(D(2025, 4, 17), FEDERAL) == D(2025, 5, 1)
    # Christmas and Boxing Day 2025 count too: due Wed 31 Dec, not Fri 2 Jan 2026.
    assert payment_due_date(D(2025, 12, 17), FEDERAL) == D(2025, 12, 31)


def test_due_date_landing_on_canada_day_is_deferred_to_the_next_business_day():
    dates = billing_dates(D(2025, 6, 10), FEDERAL)
    assert dates.billing_period_end == D(2025, 6, 17)
    assert dates.payment_due_date == D(2025, 7, 2)  # 10th weekday is Tue 1 Jul


def test_deferral_also_skips_the_weekend_after_the_holiday():
    # 2022: the period ends Sat 17 Sep; the 10th weekday is Fri 30 Sep (Truth and Reconciliation).
    calendar = HolidayCalendar(frozenset({D(2022, 9, 30)}), range(2022, 2023))
    assert payment_due_date(D(2022, 9, 17), calendar) == D(2022, 10, 3)


def test_deferral_runs_past_consecutive_holidays():
    calendar = HolidayCalendar(FEDERAL.dates | {D(2025, 7, 2)}, FEDERAL.years)
    assert payment_due_date(D(2025, 6, 17), calendar) == D(2025, 7, 3)


def test_payment_due_date_needs_a_period_end():
    with pytest.raises(ValueError):
        payment_due_date(D(2025, 6, 18), FEDERAL)


# Billing period boundaries.


def test_the_17th_closes_a_period_and_the_18th_opens_the_next():
    assert billing_period(D(2025, 3, 17)) == (D(2025, 2, 18), D(2025, 3, 17))
    assert billing_period(D(2025, 3, 18)) == (D(2025, 3, 18), D(2025, 4, 17))


def test_period_opened_in_december_closes_in_january_of_the_next_year():
    dates = billing_dates(D(2025, 12, 18), FEDERAL)
    assert (dates.billing_period_start, dates.billing_period_end) == (D(2025, 12, 18), D(2026, 1, 17))
    assert dates.statement_date == D(2026, 1, 25)
    assert dates.payment_due_date == D(2026, 1, 30)
    assert billing_period(D(2026, 1, 1)) == (D(2025, 12, 18), D(2026, 1, 17))
    assert billing_period(D(2025, 12, 17)) == (D(2025, 11, 18), D(2025, 12, 17))


def test_statement_stays_on_the_25th_on_weekends_and_holidays():
    assert billing_dates(D(2025, 1, 10), FEDERAL).statement_date == D(2025, 1, 25)  # Saturday
    assert billing_dates(D(2025, 12, 1), FEDERAL).statement_date == D(2025, 12, 25)  # Christmas


# CAD accounting deadline: 5 business days, release day is day 0
# (released on a non-business day: the next business day is day 1).


def test_cad_due_5_business_days_after_a_weekday_release():
    assert cad_due_date(D(2025, 3, 20), FEDERAL) == D(2025, 3, 27)


def test_cad_due_counts_the_monday_after_a_weekend_release_as_day_1():
    # AMPS C288 guidelines: released Sat 22 Mar 2025, Mon 24 Mar is day 1, day 5 is Fri 28 Mar.
    assert cad_due_date(D(2025, 3, 22), FEDERAL) == D(2025, 3, 28)


def test_cad_due_skips_holidays():
    # Released Thu 17 Apr 2025: Good Friday and Easter Monday are not business days.
    assert cad_due_date(D(2025, 4, 17), FEDERAL) == D(2025, 4, 28)
    # Released on Good Friday: Tue 22 Apr (after Easter Monday) is day 1, day 5 is Mon 28 Apr.
    assert cad_due_date(D(2025, 4, 18), FEDERAL) == D(2025, 4, 28)


# Business-day helpers and the holiday calendar.


def test_weekends_and_holidays_are_not_business_days():
    assert is_business_day(D(2025, 7, 2), FEDERAL)
    assert not is_business_day(D(2025, 7, 1), FEDERAL)
    assert not is_business_day(D(2025, 7, 5), FEDERAL)


def test_next_business_day_is_strictly_after():
    assert next_business_day(D(2025, 6, 30), FEDERAL) == D(2025, 7, 2)
    assert next_business_day(D(2025, 7, 2), FEDERAL) == D(2025, 7, 3)


def test_add_business_days():
    assert add_business_days(D(2025, 6, 27), 0, FEDERAL) == D(2025, 6, 27)
    assert add_business_days(D(2025, 6, 27), 2, FEDERAL) == D(2025, 7, 2)
    with pytest.raises(ValueError):
        add_business_days(D(2025, 6, 27), -1, FEDERAL)


def test_a_year_without_holiday_data_is_an_error_not_a_year_without_holidays():
    with pytest.raises(UncoveredDateError):
        billing_dates(D(2027, 12, 20), FEDERAL)  # due in January 2028


def test_holiday_calendar_rejects_dates_outside_its_years():
    with pytest.raises(ValueError):
        HolidayCalendar(frozenset({D(2028, 1, 3)}), range(2024, 2028))


def test_release_must_be_a_date_not_a_datetime():
    with pytest.raises(TypeError):
        billing_dates(dt.datetime(2025, 3, 20, 23, 30), FEDERAL)


def test_as_dict_gives_iso_strings():
    assert billing_dates(D(2025, 3, 20), FEDERAL).as_dict() == {
        "release_date": "2025-03-20",
        "billing_period_start": "2025-03-18",
        "billing_period_end": "2025-04-17",
        "statement_date": "2025-04-25",
        "payment_due_date": "2025-05-01",
        "cad_due_date": "2025-03-27",
    }


def test_a_holiday_calendar_keeps_its_own_frozen_copy_of_the_dates_given():
    given = {dt.date(2025, 7, 1)}
    calendar = HolidayCalendar(given, range(2025, 2026))
    given.add(dt.date(2025, 7, 2))
    assert not calendar.is_holiday(dt.date(2025, 7, 2))
    assert isinstance(calendar.dates, frozenset) and hash(calendar)  # the cached rules take it as a key


def test_the_last_day_of_a_month_counts_leap_februaries_and_december():
    assert last_day_of_month(dt.date(2024, 2, 10)) == dt.date(2024, 2, 29)
    assert last_day_of_month(dt.date(2025, 2, 1)) == dt.date(2025, 2, 28)
    assert last_day_of_month(dt.date(2025, 12, 31)) == dt.date(2025, 12, 31)
