"""Accounting deadlines by program and the day a CAD is payable (issue 15 items 8-10), on the
2025 federal holidays: ledger.billing_cycle, pure rules."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from ledger.billing_cycle import (
    AccountingProgram,
    CsaPeriod,
    accounting_deadline,
    by_calendar_month,
    correction_due,
    federal_holidays,
    payable_on,
)

D = dt.date
FEDERAL = federal_holidays()
HIGH, LOW = Decimal("30000.00"), Decimal("3300.00")


def _payable(release, accounted, program=AccountingProgram.REGULAR, cash=False, rpp=True, vfd=HIGH):
    deadline = accounting_deadline(release, program, vfd, FEDERAL)
    return payable_on(
        release_date=release,
        accounted_on=accounted,
        deadline=deadline,
        program=program,
        cash=cash,
        rpp_enrolled=rpp,
        holidays=FEDERAL,
    )


def test_c288_release_on_canada_day_makes_the_next_business_day_day_1():
    # Released Tue 1 Jul 2025 (a holiday): Wed 2 Jul is day 1, day 5 is Tue 8 Jul.
    deadline = accounting_deadline(D(2025, 7, 1), AccountingProgram.REGULAR, HIGH, FEDERAL)
    assert (deadline.day, deadline.penalty, deadline.rule) == (D(2025, 7, 8), "C288", "five_business_days")
    assert deadline.inputs["day_one"] == D(2025, 7, 2)


def test_c288_release_on_a_saturday_is_due_the_friday_after():
    deadline = accounting_deadline(D(2025, 3, 22), AccountingProgram.REGULAR, HIGH, FEDERAL)
    assert deadline.day == D(2025, 3, 28)


def test_c292_goods_of_3300_or_less_are_accounted_by_the_24th_of_the_following_month():
    low = accounting_deadline(D(2025, 3, 20), AccountingProgram.REGULAR, LOW, FEDERAL)
    assert (low.day, low.penalty) == (D(2025, 4, 24), "C292")
    over = accounting_deadline(D(2025, 3, 20), AccountingProgram.REGULAR, Decimal("3300.01"), FEDERAL)
    assert (over.day, over.penalty) == (D(2025, 3, 27), "C288")


def test_clvs_and_continuous_transmission_account_by_the_24th_of_the_following_month_c292():
    for program in (AccountingProgram.CLVS, AccountingProgram.CONTINUOUS):
        deadline = accounting_deadline(D(2025, 12, 29), program, HIGH, FEDERAL)
        assert (deadline.day, deadline.penalty) == (D(2026, 1, 24), "C292")


def test_csa_accounts_by_the_payment_due_date_of_the_calendar_month():
    # Released 5 Mar 2025: the 10th weekday after 17 Apr 2025 (Good Friday counted) is Thu 1 May.
    deadline = accounting_deadline(D(2025, 3, 5), AccountingProgram.CSA, HIGH, FEDERAL)
    assert deadline.day == D(2025, 5, 1)


def test_prescribed_day_follows_the_day_accounted_when_before_the_deadline_s33_4_2_a():
    # Released Wed 16 Apr 2025 (deadline Fri 25 Apr over Easter), accounted Tue 22 Apr: the period
    # that includes 22 Apr ends 17 May; its 10th weekday (Victoria Day counted) is Fri 30 May.
    due = _payable(D(2025, 4, 16), D(2025, 4, 22))
    assert (due.day, due.rule, due.inputs["billed_on"]) == (D(2025, 5, 30), "prescribed_day", D(2025, 4, 22))


def test_prescribed_day_of_a_late_cad_follows_its_deadline_s33_4_2_a():
    # Released Mon 10 Mar 2025, deadline Mon 17 Mar, accounted 2 Apr: due with the period ending 17 Mar.
    due = _payable(D(2025, 3, 10), D(2025, 4, 2))
    assert (due.day, due.inputs["billed_on"]) == (D(2025, 3, 31), D(2025, 3, 17))


def test_calendar_month_program_is_due_the_10th_weekday_after_the_17th_of_the_next_month():
    due = _payable(D(2025, 3, 5), D(2025, 3, 6), program=AccountingProgram.CLVS)
    assert (due.day, due.rule) == (D(2025, 5, 1), "calendar_month")


def test_cash_cad_is_payable_on_release_not_on_a_statement():
    due = _payable(D(2025, 6, 2), D(2025, 6, 2), cash=True)
    assert (due.day, due.rule) == (D(2025, 6, 2), "cash_at_release")


def test_rpp_cad_without_rpp_enrolment_is_payable_on_release():
    due = _payable(D(2025, 6, 2), D(2025, 6, 3), rpp=False)
    assert (due.day, due.rule) == (D(2025, 6, 2), "rpp_not_enrolled")


def test_correction_filed_before_the_25th_is_due_with_the_statement_being_billed():
    # A CAD of the period 18 Mar-17 Apr 2025 (due Thu 1 May), corrected Tue 22 Apr, statement not issued.
    due = correction_due(D(2025, 4, 22), D(2025, 5, 1), D(2025, 3, 17), FEDERAL)
    assert (due.day, due.rule, due.inputs["billed_on"]) == (D(2025, 5, 1), "correction_on_statement", D(2025, 4, 17))


def test_correction_filed_after_the_statement_is_due_in_the_current_cycle():
    # The same CAD corrected Mon 28 Apr 2025, after the 25 Apr statement: due Fri 30 May.
    due = correction_due(D(2025, 4, 28), D(2025, 5, 1), D(2025, 4, 17), FEDERAL)
    assert (due.day, due.rule, due.inputs["billed_on"]) == (D(2025, 5, 30), "correction_current_cycle", D(2025, 4, 28))
    # Before the 25th but the statement already issued: the current cycle too.
    issued = correction_due(D(2025, 4, 24), D(2025, 5, 1), D(2025, 4, 17), FEDERAL)
    assert issued.rule == "correction_current_cycle"


def test_calendar_month_correction_before_the_25th_is_due_with_the_month_being_billed():
    # A CLVS CAD of March 2025 (due Thu 1 May), corrected Thu 10 Apr: on March's statement, due 1 May;
    # corrected Mon 28 Apr: due with April's, the 10th weekday after 17 May (Victoria Day counted), Fri 30 May.
    before = correction_due(D(2025, 4, 10), D(2025, 5, 1), D(2025, 3, 17), FEDERAL, AccountingProgram.CLVS)
    assert (before.day, before.rule, before.inputs["billed_on"]) == (
        D(2025, 5, 1),
        "correction_on_statement",
        D(2025, 3, 31),
    )
    after = correction_due(D(2025, 4, 28), D(2025, 5, 1), D(2025, 4, 17), FEDERAL, AccountingProgram.CLVS)
    assert (after.day, after.rule) == (D(2025, 5, 30), "correction_current_cycle")


def test_a_calendar_month_programs_correction_filed_before_the_25th_goes_on_last_months_statement():
    # SOR/86-1062 s.10.3: a calendar-month program's period is the calendar month (April for a 10 May filing).
    from ledger.billing_cycle import calendar_month_due_date

    april_due = calendar_month_due_date(D(2025, 4, 30), FEDERAL)
    due = correction_due(D(2025, 5, 10), april_due, D(2025, 3, 31), FEDERAL, AccountingProgram.CLVS)
    assert (due.rule, due.day, due.inputs["period_end"]) == ("correction_on_statement", april_due, D(2025, 4, 30))


def test_a_computed_date_is_written_with_iso_dates_and_its_other_inputs_as_text():
    from ledger.billing_cycle import Dated

    dated = Dated(D(2025, 5, 1), "rule", "source", {"filed_on": D(2025, 4, 22), "vfd": Decimal("3300.00")}, "C292")
    assert dated.as_dict() == {
        "day": "2025-05-01",
        "rule": "rule",
        "source": "source",
        "inputs": {"filed_on": "2025-04-22", "vfd": "3300.00"},
        "penalty": "C292",
    }


def test_billing_dates_cannot_be_changed_once_computed():
    import dataclasses

    import pytest

    from ledger.billing_cycle import billing_dates

    with pytest.raises(dataclasses.FrozenInstanceError):
        billing_dates(D(2025, 4, 22), FEDERAL).release_date = D(2025, 4, 23)


def test_a_calendar_month_programs_correction_filed_after_the_25th_is_due_in_the_month_it_is_filed():
    due = correction_due(D(2025, 5, 26), D(2025, 5, 1), D(2025, 4, 30), FEDERAL, AccountingProgram.CLVS)
    assert (due.rule, due.inputs["period_end"]) == ("correction_current_cycle", D(2025, 5, 31))


def test_csa_importer_that_chose_the_18th_to_17th_period_accounts_by_its_10th_weekday_s10_3_3():
    # Released 5 Mar 2025, in the period 18 Feb - 17 Mar: due the 10th weekday after Mon 17 Mar, Mon 31 Mar
    # (s.10.3(1)(b), (3)); the calendar-month choice (s.10.3(1)(a), (2)) gives Thu 1 May instead.
    cycle = accounting_deadline(D(2025, 3, 5), AccountingProgram.CSA, HIGH, FEDERAL, CsaPeriod.CYCLE)
    assert (cycle.day, cycle.source, cycle.inputs["csa_period"]) == (D(2025, 3, 31), "SOR/86-1062 s.10.3(3)", "cycle")
    month = accounting_deadline(D(2025, 3, 5), AccountingProgram.CSA, HIGH, FEDERAL, CsaPeriod.MONTH)
    assert month.day == D(2025, 5, 1)


def test_csa_importer_on_the_18th_to_17th_period_is_billed_by_that_period_s10_3_1_b():
    deadline = accounting_deadline(D(2025, 3, 5), AccountingProgram.CSA, HIGH, FEDERAL, CsaPeriod.CYCLE)
    due = payable_on(
        release_date=D(2025, 3, 5),
        accounted_on=D(2025, 3, 20),
        deadline=deadline,
        program=AccountingProgram.CSA,
        cash=False,
        rpp_enrolled=True,
        holidays=FEDERAL,
        csa_period=CsaPeriod.CYCLE,
    )
    # Accounted Thu 20 Mar: the period 18 Mar - 17 Apr, due Thu 1 May 2025 (Good Friday counted).
    assert (due.day, due.rule, due.inputs["period_end"]) == (D(2025, 5, 1), "prescribed_day", D(2025, 4, 17))
    assert due.source.endswith("SOR/86-1062 s.10.3(3)")
    assert not by_calendar_month(AccountingProgram.CSA, CsaPeriod.CYCLE)
    assert by_calendar_month(AccountingProgram.CSA, CsaPeriod.MONTH)
    assert by_calendar_month(AccountingProgram.CLVS, CsaPeriod.CYCLE)  # the choice is the CSA importer's only


def test_csa_correction_on_the_18th_to_17th_period_follows_the_harmonized_cycle():
    # Filed Thu 20 Mar 2025, before the 25th, for the CAD billed with the period ending 17 Mar (due 31 Mar).
    due = correction_due(D(2025, 3, 20), D(2025, 3, 31), None, FEDERAL, AccountingProgram.CSA, CsaPeriod.CYCLE)
    assert (due.day, due.rule) == (D(2025, 3, 31), "correction_on_statement")


def test_c288_release_on_a_business_day_is_day_0_and_day_5_five_business_days_later():
    # AMPS C288 guidelines (cbsa-asfc.gc.ca .../c288-eng.html): release day is day 0.
    # Released Wed 5 Mar 2025: due Wed 12 Mar.
    deadline = accounting_deadline(D(2025, 3, 5), AccountingProgram.REGULAR, HIGH, FEDERAL)
    assert (deadline.day, deadline.inputs["day_one"]) == (D(2025, 3, 12), D(2025, 3, 5))


def test_a_cash_cad_accounted_before_its_goods_arrive_is_payable_when_accounted():
    # Customs Act s.32(1): accounted for and paid before release.
    due = _payable(D(2025, 6, 5), D(2025, 6, 2), cash=True)
    assert (due.day, due.rule, due.source) == (D(2025, 6, 2), "cash_before_release", "Customs Act s.32(1)")


def test_an_rpp_cad_of_the_regular_program_is_due_on_its_statement_by_s_2_1():
    due = _payable(D(2025, 3, 20), D(2025, 3, 20))
    assert (due.rule, due.source) == ("prescribed_day", "Customs Act s.33.4(2)(a); SOR/86-1062 s.2.1")


def test_a_correction_filed_on_the_18th_goes_on_the_statement_of_the_period_just_ended():
    # The period 18 Mar-17 Apr 2025 ended the day before: its statement (due Thu 1 May) is not issued yet.
    due = correction_due(D(2025, 4, 18), D(2025, 5, 1), D(2025, 3, 17), FEDERAL)
    assert (due.day, due.rule, due.inputs["billed_on"]) == (D(2025, 5, 1), "correction_on_statement", D(2025, 4, 17))


def test_a_correction_filed_on_the_25th_is_not_before_the_25th_and_is_due_in_the_current_cycle():
    due = correction_due(D(2025, 4, 25), D(2025, 5, 1), D(2025, 3, 17), FEDERAL)
    assert (due.day, due.rule) == (D(2025, 5, 30), "correction_current_cycle")


def test_a_computed_date_cannot_be_changed():
    due = _payable(D(2025, 3, 20), D(2025, 3, 20))
    with pytest.raises(dataclasses.FrozenInstanceError):
        due.day = D(2025, 3, 21)
