"""The engine's value for duty with Customs Act s.48(5) adjustments: (price + additions − deductions)
× exchange rate, rounded half up to the cent; the adjustments are in the price's currency; deductions
can never make it negative; a VFD declared directly takes no adjustment."""

from decimal import Decimal

import pytest

from assessment_engine import AmountType, InvalidValueError, Line, NegativeValueError, assess_line

D = Decimal


def test_additions_and_deductions_adjust_the_price_before_conversion():
    # CBSA's worked example (US$100.00 at 1.15, 4 %), with US$12.00 of packing added and US$7.00 of
    # freight from the place of direct shipment deducted: (100 + 12 − 7) × 1.15 = 120.75.
    line = Line(rate="4%", price=D("100.00"), currency="USD", exchange_rate=D("1.15"), additions=D("12.00"),
                deductions=D("7.00"))  # fmt: skip
    assessed = assess_line(line)
    assert (assessed.vfd, assessed.cud, assessed.gst, assessed.tot) == (D("120.75"), D("4.83"), D("6.28"), D("11.11"))
    assert str(assessed.explanation(AmountType.VFD)).startswith(
        "(price 100.00 + additions 12.00 − deductions 7.00) × exchange rate; rate 1.15; base 105.00"
    )


def test_without_adjustments_the_vfd_is_the_converted_price():
    assessed = assess_line(Line(rate="4%", price=D("100.00"), currency="USD", exchange_rate=D("1.15")))
    assert assessed.vfd == D("115.00")
    assert str(assessed.explanation(AmountType.VFD)).startswith("price × exchange rate")


def test_deductions_larger_than_the_price_are_refused():
    with pytest.raises(InvalidValueError) as refused:
        Line(rate="4%", price=D("100.00"), additions=D("10.00"), deductions=D("110.01"))
    assert refused.value.field == "deductions"
    assert Line(rate="4%", price=D("100.00"), additions=D("10.00"), deductions=D("110.00")).adjusted_price == 0


def test_a_negative_adjustment_is_refused():
    with pytest.raises(NegativeValueError):
        Line(rate="4%", price=D("100.00"), additions=D("-1.00"))


def test_a_declared_vfd_takes_no_adjustment():
    with pytest.raises(InvalidValueError):
        Line(rate="4%", vfd=D("115.00"), deductions=D("5.00"))
