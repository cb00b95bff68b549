"""The deadline rules of declarations.timing at their boundaries, as pure functions: the 90 days of
Customs Act s.32.2 and the four years of s.74(3)(b)."""

import datetime as dt
from decimal import Decimal

import pytest

from declarations import timing

D = dt.date


def test_a_correction_made_90_days_after_the_reason_to_believe_is_on_time_and_91_days_is_late_s32_2():
    believed = D(2025, 1, 1)
    assert not timing.late_correction(believed, believed + dt.timedelta(days=90))
    assert timing.late_correction(believed, believed + dt.timedelta(days=91))
    assert not timing.late_correction(None, D(2030, 1, 1))  # no reason-to-believe day given: never late


def test_a_reason_to_believe_day_is_a_past_or_todays_date_written_yyyy_mm_dd():
    today = D(2025, 6, 1)
    assert timing.reason_to_believe(" 2025-06-01 ", today) == (D(2025, 6, 1), None)
    assert timing.reason_to_believe(D(2025, 5, 31), today) == (D(2025, 5, 31), None)
    assert timing.reason_to_believe("", today) == (None, None)
    assert timing.reason_to_believe(None, today) == (None, None)
    day, error = timing.reason_to_believe("2025-06-02", today)
    assert day is None and error.code == "future_date"
    day, error = timing.reason_to_believe("1 June 2025", today)
    assert day is None and error.code == "invalid_date"


def test_a_refund_asked_on_the_fourth_anniversary_is_in_time_and_the_day_after_is_time_barred_s74():
    accounted = D(2021, 3, 15)
    assert timing.refund_time_barred(accounted, D(2025, 3, 15), Decimal("-10.00")) is None
    barred = timing.refund_time_barred(accounted, D(2025, 3, 16), Decimal("-10.00"))
    assert (barred.day, barred.rule, barred.source) == (D(2025, 3, 15), "refund_four_years", "Customs Act s.74(3)(b)")


@pytest.mark.parametrize("delta", [Decimal("0.00"), Decimal("10.00")])
def test_only_a_decrease_is_a_refund_that_can_be_time_barred(delta):
    assert timing.refund_time_barred(D(2015, 1, 1), D(2025, 1, 1), delta) is None


def test_goods_accounted_for_on_29_february_count_their_four_years_to_28_february():
    # 2100 is no leap year: the anniversary of 29 February 2096 is 28 February 2100.
    assert timing.refund_time_barred(D(2096, 2, 29), D(2100, 2, 28), Decimal("-1.00")) is None
    assert timing.refund_time_barred(D(2096, 2, 29), D(2100, 3, 1), Decimal("-1.00")).day == D(2100, 2, 28)
