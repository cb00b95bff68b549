"""The shipped federal holiday list, checked against the rules that generate it."""

import csv
import datetime as dt

from ledger.billing_cycle import FEDERAL_HOLIDAYS_CSV, federal_holidays

D = dt.date
DAY = dt.timedelta(days=1)


def easter_sunday(year: int) -> dt.date:
    # Anonymous Gregorian computus (the 1961 New Scientist form).
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday_shift) // 433
    month = (h + weekday_shift - 7 * m + 90) // 25
    return D(year, month, (h + weekday_shift - 7 * m + 33 * month + 19) % 32)


def nth_monday(year: int, month: int, n: int) -> dt.date:
    first = D(year, month, 1)
    return first + DAY * ((7 - first.weekday()) % 7 + 7 * (n - 1))


def federal_rule_dates(year: int) -> dict[dt.date, str]:
    """Federal public-service holidays, weekend ones moved to the next free working day."""
    easter = easter_sunday(year)
    nominal = [
        (D(year, 1, 1), "New Year's Day"),
        (easter - 2 * DAY, "Good Friday"),
        (easter + DAY, "Easter Monday"),
        (D(year, 5, 24) - DAY * D(year, 5, 24).weekday(), "Victoria Day"),
        (D(year, 7, 1), "Canada Day"),
        (nth_monday(year, 8, 1), "Civic Holiday"),
        (nth_monday(year, 9, 1), "Labour Day"),
        (D(year, 9, 30), "National Day for Truth and Reconciliation"),
        (nth_monday(year, 10, 2), "Thanksgiving Day"),
        (D(year, 11, 11), "Remembrance Day"),
        (D(year, 12, 25), "Christmas Day"),
        (D(year, 12, 26), "Boxing Day"),
    ]
    observed: dict[dt.date, str] = {}
    for day, name in nominal:
        while day.weekday() >= 5 or day in observed:
            day += DAY
        observed[day] = name
    return observed


def test_easter_algorithm_matches_known_dates():
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [
        D(2024, 3, 31),
        D(2025, 4, 20),
        D(2026, 4, 5),
        D(2027, 3, 28),
    ]


def test_csv_lists_exactly_the_federal_holidays_of_each_covered_year():
    with FEDERAL_HOLIDAYS_CSV.open(newline="", encoding="utf-8") as rows:
        listed = {dt.date.fromisoformat(row["date"]): row["name"] for row in csv.DictReader(rows)}
    calendar = federal_holidays()
    assert calendar.years == range(2024, 2028)
    expected = {}
    for year in calendar.years:
        expected |= federal_rule_dates(year)
    assert listed == expected
    assert calendar.dates == frozenset(expected)


def test_weekend_holidays_are_observed_on_the_following_working_days():
    assert federal_rule_dates(2026)[D(2026, 12, 28)] == "Boxing Day"
    assert federal_rule_dates(2027)[D(2027, 12, 27)] == "Christmas Day"
    assert federal_rule_dates(2027)[D(2027, 12, 28)] == "Boxing Day"
