"""The deadline rules of declarations.timing at their boundaries, as pure functions: the 90 days of
Customs Act s.32.2 and the four years of s.74(3)(b)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

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


def _version(due_basis, **fields):
    return SimpleNamespace(due_basis=due_basis, **fields)


def test_a_version_is_billed_on_the_day_its_payment_rule_recorded_else_on_its_release():
    recorded = {"payment": {"inputs": {"billed_on": "2025-02-03"}}}
    assert timing.billed_on(_version(recorded, release_date=D(2025, 1, 3))) == D(2025, 2, 3)
    assert timing.billed_on(_version({}, release_date=D(2025, 1, 3))) == D(2025, 1, 3)


def test_goods_are_accounted_for_on_the_day_recorded_else_the_day_version_00001_was_submitted():
    recorded = {"payment": {"inputs": {"accounted_on": "2025-01-10"}}}
    submitted = dt.datetime(2025, 1, 12, 15, tzinfo=dt.UTC)
    assert timing.accounted_on(_version(recorded, submitted_at=submitted)) == D(2025, 1, 10)
    assert timing.accounted_on(_version({}, submitted_at=submitted)) == D(2025, 1, 12)


def test_late_accounting_is_c288_unless_the_deadline_recorded_another_contravention():
    assert timing.penalty_code(_version({"deadline": {"penalty": "C292"}})) == "C292"
    assert timing.penalty_code(_version({"deadline": {}})) == "C288"


def test_each_date_is_explained_by_its_rule_in_words_with_its_source_and_link_and_unknown_rules_are_left_out():
    due_basis = {
        "deadline": {
            "rule": "five_business_days",
            "day": "2025-01-10",
            "source": "Customs Act s.32(3), SOR/86-1062",
            "inputs": {"release_date": "2025-01-03", "day_one": "2025-01-06"},
            "penalty": "C288",
        },
        "payment": {"rule": "no_such_rule", "day": "2025-02-28"},
    }
    explained = timing.explain(_version(due_basis))
    assert list(explained) == ["deadline"]
    deadline = explained["deadline"]
    assert (deadline["day"], deadline["penalty"]) == ("2025-01-10", "C288")
    assert deadline["url"] == "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-32.html"
    assert "2025-01-03" in str(deadline["text"]) and "2025-01-06" in str(deadline["text"])
