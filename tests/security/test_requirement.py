import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from security import rules, services
from security.models import Basis

from .conftest import duties

D = dt.date


@pytest.mark.parametrize(
    ("month", "bond", "cash"),
    [
        ("40000.00", "20000.00", "40000.00"),  # 50 % / 100 %
        ("6000.00", "5000.00", "6000.00"),  # the bond's $5,000 minimum; cash has none
        ("0.01", "5000.00", "0.01"),
        ("30000000.00", "10000000.00", "10000000.00"),  # $10,000,000 maximum for both
        ("12345.67", "6172.84", "12345.67"),  # half a cent rounds up
        ("0.00", "0.00", "0.00"),  # nothing payable: nothing required
    ],
)
def test_requirement_is_half_the_highest_month_for_a_bond_with_5000_minimum_and_all_of_it_in_cash_up_to_10_million(
    month, bond, cash
):
    figures = rules.required(Decimal(month))
    assert (figures.bond, figures.cash) == (Decimal(bond), Decimal(cash))


def test_requirement_is_the_single_highest_month_of_the_previous_12_months_from_the_ledger(rm0001):
    duties(rm0001, D(2024, 5, 31), "90000.00", "OLD")  # more than 12 months before: not counted
    duties(rm0001, D(2025, 1, 10), "7000.00", "JAN1")
    duties(rm0001, D(2025, 1, 20), "5000.00", "JAN2")  # January: 12,000
    duties(rm0001, D(2025, 3, 3), "11000.00", "MAR")
    duties(rm0001, D(2025, 3, 4), "-1000.00", "MAR")  # a correction's credit: March 10,000
    row = services.calculate(rm0001, today=D(2025, 6, 1))
    assert (row.highest_month, row.highest_amount) == (D(2025, 1, 1), Decimal("12000.00"))
    assert (row.bond_amount, row.cash_amount) == (Decimal("6000.00"), Decimal("12000.00"))
    assert [w["transaction_number"] for w in services.working(row)] == ["JAN1", "JAN2"]


@override_settings(CARM_RPP_NEW_IMPORTER_MONTH=Decimal("24000.00"))
def test_a_new_importer_s_requirement_is_the_configured_estimate(rm0001):
    row = services.calculate(rm0001, today=D(2025, 6, 1))
    assert row.basis == Basis.NEW_IMPORTER
    assert (row.bond_amount, row.cash_amount) == (Decimal("12000.00"), Decimal("24000.00"))
