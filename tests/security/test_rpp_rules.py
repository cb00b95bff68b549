"""The RPP security rules of security/rules.py as pure functions, at their boundaries (issue 19 item 2;
CBSA bulletin 5404 for the review, Customs Notice 25-22 for the end of the transition)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from security import rules

D = dt.date


def test_a_highest_month_is_rounded_half_up_to_the_cent_before_the_rates_apply():
    figures = rules.required("12345.675")
    assert (figures.highest, figures.cash) == (Decimal("12345.68"), Decimal("12345.68"))
    assert rules.cents("0.005") == Decimal("0.01")  # half a cent rounds up, not to the even cent


def test_a_credit_month_requires_nothing_like_a_month_with_nothing_payable():
    assert rules.required(Decimal("-500.00")) == rules.Figures(rules.ZERO, rules.ZERO, rules.ZERO)


@pytest.mark.parametrize(
    ("month", "bond"),
    [
        ("10000.00", "5000.00"),  # half of it is the minimum itself
        ("10000.02", "5000.01"),  # a cent over the minimum's month: the bond is half of it
        ("20000000.00", "10000000.00"),  # half of it is the maximum itself
        ("20000000.02", "10000000.00"),
    ],
)
def test_the_bond_s_5000_minimum_and_10_million_maximum_meet_half_the_highest_month_at_their_boundaries(month, bond):
    assert rules.required(Decimal(month)).bond == Decimal(bond)


def test_the_cash_deposit_is_all_of_the_highest_month_up_to_exactly_10_million():
    assert rules.required(Decimal("10000000.00")).cash == Decimal("10000000.00")
    assert rules.required(Decimal("9999999.99")).cash == Decimal("9999999.99")


def test_a_new_importer_is_assumed_the_configured_month_to_the_cent(settings):
    settings.CARM_RPP_NEW_IMPORTER_MONTH = "24000.005"
    assert rules.new_importer_month() == Decimal("24000.01")


def test_usage_warnings_are_the_configured_thresholds_lowest_first(settings):
    settings.CARM_RPP_WARNING_THRESHOLDS = ["1.00", 0.8]
    assert rules.thresholds() == [Decimal("0.8"), Decimal("1.00")]


def test_a_review_on_20_october_looks_at_20_october_of_the_year_before_to_19_october_bulletin_5404():
    assert rules.review_period(D(2025, 10, 20)) == (D(2024, 10, 20), D(2025, 10, 19))


def test_the_increase_is_due_by_the_15_january_after_the_review_bulletin_5404(settings):
    settings.CARM_RPP_REVIEW_DEADLINE = (1, 15)
    assert rules.review_deadline(D(2025, 10, 20)) == D(2026, 1, 15)
    assert rules.review_deadline(D(2026, 1, 14)) == D(2026, 1, 15)  # a day before: this year's
    assert rules.review_deadline(D(2026, 1, 15)) == D(2027, 1, 15)  # on the day: the next year's


def test_rpp_security_is_checked_from_the_end_of_the_transition_on_20_may_2025_customs_notice_25_22(settings):
    settings.CARM_RPP_SECURITY_FROM = D(2025, 5, 20)
    assert not rules.enforced_on(D(2025, 5, 19))
    assert rules.enforced_on(D(2025, 5, 20))
    settings.CARM_RPP_SECURITY_FROM = None
    assert not rules.enforced_on(D(2030, 1, 1))


def test_the_highest_months_are_each_account_s_own_and_only_of_the_accounts_asked_for(rm0001, rm0002):
    from security import services

    from .conftest import duties

    duties(rm0001, D(2025, 1, 10), "7000.00", "A")
    duties(rm0002, D(2025, 2, 10), "9000.00", "B")
    period = (D(2024, 10, 20), D(2025, 10, 19))
    assert services.highest_months(*period, [rm0001.pk]) == {rm0001.pk: (D(2025, 1, 1), Decimal("7000.00"))}
    assert services.highest_months(*period) == {
        rm0001.pk: (D(2025, 1, 1), Decimal("7000.00")),
        rm0002.pk: (D(2025, 2, 1), Decimal("9000.00")),
    }


def test_a_review_or_an_officer_s_basis_is_kept_for_an_account_with_no_history(settings):
    from security import services
    from security.models import Basis

    settings.CARM_RPP_NEW_IMPORTER_MONTH = Decimal("24000.00")
    values = services.requirement_values(1, D(2025, 10, 20), Basis.REVIEW, D(2024, 10, 20), D(2025, 10, 19), None)
    assert (values["basis"], values["highest_month"], values["bond_amount"]) == (
        Basis.REVIEW,
        None,
        Decimal("12000.00"),
    )
    calculated = services.requirement_values(
        1, D(2025, 10, 20), Basis.CALCULATED, D(2024, 10, 20), D(2025, 10, 19), None
    )
    assert calculated["basis"] == Basis.NEW_IMPORTER


CENTS = [-1, 0, 1, 2, 3, 999_999, 1_000_000, 1_000_001, 1_000_002, 1_234_567, 999_999_999, 1_000_000_000]
CENTS += [1_999_999_999, 2_000_000_000, 2_000_000_001, 2_000_000_002, 5_000_000_000_00]


@pytest.mark.django_db
def test_the_database_computes_the_same_figures_as_the_rules_at_every_boundary():
    """rules.required_sql (the annual review in the database) against rules.required, to the cent:
    half-cents rounding up, the $5,000 minimum, the $10,000,000 maximum, nothing for nothing."""
    values = ", ".join(["(%s)"] * len(CENTS))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(rules.required_sql('column1'))} FROM (VALUES {values}) AS v", CENTS)
        computed = cursor.fetchall()
    expected = [rules.required(Decimal(cents) / 100) for cents in CENTS]
    assert [tuple(Decimal(c) / 100 for c in row) for row in computed] == [(f.highest, f.bond, f.cash) for f in expected]
