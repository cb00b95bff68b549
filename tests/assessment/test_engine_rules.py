"""The assessment engine's rules its other tests left open (mutation testing, issue #26): each amount's
explanation in full, the checks on a line's and a charge's inputs, the GST rate given."""

import dataclasses
from decimal import Decimal

import pytest

from assessment_engine import (
    AmountType,
    Charge,
    InvalidValueError,
    Line,
    MissingValueError,
    NegativeValueError,
    UnknownUnitError,
    assess_line,
)

D = Decimal
T = AmountType
VFD_RULE = "Customs Act ss.47-55; foreign currency at the Bank of Canada rate of the date of direct shipment"


def _usd_line(**fields):
    return Line(rate="5%", price="100.00", currency="USD", exchange_rate="1.35", **fields)


def test_every_amount_is_explained_with_its_formula_rate_base_quantity_reference_and_rule():
    line = _usd_line(
        additions="10.00",
        quantity="3",
        unit="KGM",
        sima=Charge(amount="7.00", code="SIMA-1"),
        surtax={"rate": "$2/kg", "code": "S1"},
    )
    explained = assess_line(line).explain()
    # VFD (100 + 10) × 1.35 = 148.50; CUD 5 % of it = 7.425, half up 7.43; VFT 168.93; GST 8.4465, half up 8.45.
    assert explained[T.VFD] == (
        f"148.50 = (price 100.00 + additions 10.00 − deductions 0.00) × exchange rate; rate 1.35; base 110.00; USD [{VFD_RULE}]"
    )
    assert explained[T.CUD] == (
        "7.43 = 5 % × VFD; rate 5 %; base 148.50; quantity 3 KGM [Customs Tariff s.20 and schedule: rate of the tariff treatment]"
    )
    assert explained[T.SIMA] == (
        "7.00 = amount as declared; SIMA-1 [Special Import Measures Act: anti-dumping or countervailing duty]"
    )
    assert explained[T.SURTAX] == (
        "6.00 = $2/kg × quantity; rate $2/kg; base 148.50; quantity 3 KGM; S1 [Customs Tariff: surtax order]"
    )
    assert explained[T.EXCISE_DUTY] == "0.00 = none declared [Excise Act, 2001; Customs Tariff ss.21.1-21.2]"
    assert explained[T.VFT] == (
        "168.93 = VFD + CUD + SIMA + surtax + excise duty + excise tax [Excise Tax Act s.215: value for tax]"
    )
    assert (
        explained[T.GST]
        == "8.45 = VFT × GST rate; rate 0.05; base 168.93 [Excise Tax Act ss.212, 215: GST on imported goods]"
    )
    assert explained[T.TOT].startswith("28.88 = CUD + SIMA + surtax + excise duty + excise tax + GST [")


def test_a_price_without_additions_or_deductions_is_explained_as_price_times_exchange_rate():
    assert assess_line(_usd_line()).explain()[T.VFD] == (
        f"135.00 = price × exchange rate; rate 1.35; base 100.00; USD [{VFD_RULE}]"
    )


def test_a_declared_vfd_is_explained_as_declared_and_has_no_adjusted_price():
    line = Line(rate="Free", vfd="10.00")
    assert assess_line(line).explain()[T.VFD] == f"10.00 = VFD as declared [{VFD_RULE}]"
    assert line.adjusted_price is None


def test_a_line_cannot_be_changed_once_checked():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Line(rate="Free", vfd="10.00").vfd = D("20.00")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Charge(amount="1.00").amount = D("2.00")


def test_a_charge_s_unit_needs_a_quantity_and_must_be_known():
    with pytest.raises(InvalidValueError) as no_quantity:
        Charge(rate="$2/kg", unit="KGM")
    assert no_quantity.value.field == "quantity"
    with pytest.raises(UnknownUnitError):
        Charge(rate="$2/kg", quantity="3", unit="XYZ")


def test_a_declared_vfd_takes_no_exchange_rate_and_a_cad_price_none_but_1():
    with pytest.raises(InvalidValueError) as converted:
        Line(rate="Free", vfd="10.00", exchange_rate="1.35")
    assert converted.value.field == "exchange_rate"
    with pytest.raises(InvalidValueError) as cad:
        Line(rate="Free", price="10.00", exchange_rate="1.35")
    assert cad.value.field == "exchange_rate"
    assert assess_line(Line(rate="Free", price="10.00", exchange_rate="1")).vfd == D("10.00")


def test_a_price_in_another_currency_needs_its_exchange_rate():
    with pytest.raises(MissingValueError) as missing:
        Line(rate="Free", price="10.00", currency="USD")
    assert missing.value.field == "exchange_rate"


def test_a_gst_rate_given_is_checked_like_any_input_and_applied():
    line = Line(rate="Free", vfd="100.00")
    assert assess_line(line, gst_rate="0.13").gst == D("13.00")
    with pytest.raises(NegativeValueError):
        assess_line(line, gst_rate="-0.05")
