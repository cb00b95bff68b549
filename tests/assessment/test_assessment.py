from decimal import Decimal

import pytest

from assessment_engine import (
    AmountType,
    Charge,
    InvalidValueError,
    Line,
    MissingQuantityError,
    MissingValueError,
    NegativeValueError,
    NonNumericError,
    RateNotAssessableError,
    RateParseError,
    UnitMismatchError,
    UnknownUnitError,
    assess_declaration,
    assess_line,
    parse_rate,
)

D = Decimal
T = AmountType


def amounts(line: Line, **kwargs) -> dict[str, Decimal]:
    return {str(k): v for k, v in assess_line(line, **kwargs).amounts().items()}


# --- the worked examples of domain brief §4 ----------------------------------------------------


def test_cbsa_guide_example_us_100_at_1_15_duty_4_percent():
    result = amounts(Line(rate="4%", price=D("100.00"), currency="USD", exchange_rate=D("1.15")))
    assert result["VFD"] == D("115.00")
    assert result["CUD"] == D("4.60")
    assert result["VFT"] == D("119.60")
    assert result["GST"] == D("5.98")
    assert result["TOT"] == D("10.58")


def test_carm_response_example_30000_at_mfn_6_5_percent():
    result = amounts(Line(rate="6.5 %", vfd=D("30000.00"), treatment="MFN"))
    assert (result["CUD"], result["VFT"], result["GST"], result["TOT"]) == (
        D("1950.00"),
        D("31950.00"),
        D("1597.50"),
        D("3547.50"),
    )


def test_compound_rate_takes_the_higher_of_ad_valorem_and_specific():
    line = Line(rate="243% but not less than $2.82/kg", vfd=D("100.00"), quantity=D("100"), unit="KGM")
    assert assess_line(line).cud == D("282.00")  # 243 % would give only 243.00


def test_compound_rate_takes_the_lower_of_ad_valorem_and_a_ceiling():
    line = Line(rate="14% but not to exceed $4.10/kg", vfd=D("5000.00"), quantity=D("100"), unit="KGM")
    assert assess_line(line).cud == D("410.00")  # 14 % would give 700.00


# --- rounding and values ------------------------------------------------------------------------


def test_vfd_is_price_times_exchange_rate_rounded_half_up_to_the_cent():
    # 10.01 × 1.25 = 12.5125 -> 12.51; 10.02 × 1.25 = 12.525 -> 12.53 (half up, not half even)
    assert assess_line(Line(rate="Free", price="10.01", currency="EUR", exchange_rate="1.25")).vfd == D("12.51")
    assert assess_line(Line(rate="Free", price="10.02", currency="EUR", exchange_rate="1.25")).vfd == D("12.53")


def test_every_amount_is_rounded_half_up_to_the_cent():
    # 2.5 % of 0.50 = 0.0125 -> 0.01; GST on 0.51 = 0.0255 -> 0.03
    result = amounts(Line(rate="2.5 %", vfd="0.50"))
    assert (result["CUD"], result["VFT"], result["GST"]) == (D("0.01"), D("0.51"), D("0.03"))
    assert all(v == v.quantize(D("0.01")) for v in result.values())


def test_specific_rate_uses_the_quantity_converted_to_the_rate_unit():
    # $24.69/tonne on 2,500 kg = 61.725 -> 61.73
    line = Line(rate="$24.69/tonne", vfd="1000.00", quantity="2500", unit="KGM")
    assert assess_line(line).cud == D("61.73")
    # 3.32 ¢/kg on 1.5 tonnes = 49.80
    line = Line(rate="3.32 ¢/kg", vfd="1000.00", quantity="1.5", unit="TNE")
    assert assess_line(line).cud == D("49.80")


def test_free_rate_gives_no_duty_but_gst_on_the_vfd():
    result = amounts(Line(rate="En fr.", vfd="200.00"))
    assert (result["CUD"], result["GST"], result["TOT"]) == (D("0.00"), D("10.00"), D("10.00"))


def test_gst_rate_is_a_parameter():
    assert assess_line(Line(rate="Free", vfd="100.00"), gst_rate=D("0.13")).gst == D("13.00")


def test_prices_in_cad_need_no_exchange_rate():
    assert assess_line(Line(rate="Free", price="99.99")).vfd == D("99.99")


# --- other duties and taxes ---------------------------------------------------------------------


def test_sima_surtax_and_excise_enter_the_value_for_tax_and_the_total():
    line = Line(
        rate="6.5 %",
        vfd="1000.00",
        quantity="12",
        unit="LTR",
        sima=Charge.margin("10", code="AD-1"),
        surtax=Charge(amount="5.00", code="S25"),
        excise_duty={"rate": "$13.00/litre of absolute ethyl alcohol", "quantity": "4.8", "unit": "LPA"},
        excise_tax=Charge(rate="$100/each", quantity="2", unit="NMB"),
    )
    result = amounts(line)
    assert (result["CUD"], result["SIMA"], result["SURTAX"]) == (D("65.00"), D("100.00"), D("5.00"))
    assert (result["EXCISE_DUTY"], result["EXCISE_TAX"]) == (D("62.40"), D("200.00"))
    assert result["VFT"] == D("1432.40")
    assert result["GST"] == D("71.62")
    assert result["TOT"] == D("504.02")


def test_a_specific_charge_without_its_own_quantity_takes_the_lines():
    line = Line(rate="Free", vfd="100.00", quantity="3", unit="NMB", excise_tax=Charge(rate="$100 each"))
    assert assess_line(line).excise_tax == D("300.00")


def test_surtax_rate_applies_to_the_vfd():
    line = Line(rate="Free", vfd="400.00", surtax=Charge(rate=parse_rate("25 %"), code="CS25"))
    assert assess_line(line).surtax == D("100.00")


# --- declarations -------------------------------------------------------------------------------


def test_declaration_totals_are_sums_of_the_rounded_line_amounts():
    # Each line: CUD 0.0125 -> 0.01; unrounded sums would give 0.03 on three lines, not 0.04.
    lines = [Line(rate="2.5 %", vfd="0.50")] * 3
    declaration = assess_declaration(lines)
    assert declaration.totals[T.CUD] == D("0.03")
    assert declaration.totals[T.GST] == D("0.09")
    assert declaration.totals[T.TOT] == sum(a.tot for a in declaration.lines)
    assert len(declaration.lines) == 3


def test_an_empty_declaration_totals_zero():
    assert set(assess_declaration([]).totals.values()) == {D("0.00")}


# --- explanations -------------------------------------------------------------------------------


def test_each_amount_is_explained_with_its_rule_formula_base_and_rate():
    line = Line(
        rate="243% but not less than $2.82/kg",
        vfd="100.00",
        quantity="100",
        unit="KGM",
        classification="0406.10.20",
        treatment="MFN",
    )
    result = assess_line(line)
    cud = result.explanation(T.CUD)
    assert cud.formula == "max(243 % × VFD, $2.82/kg × quantity)"
    assert (cud.base, cud.quantity, cud.unit) == (D("100.00"), D("100"), "KGM")
    assert str(cud.rate) == "243 % but not less than $2.82/kg"
    assert "Customs Tariff s.20" in cud.rule
    assert cud.reference == "0406.10.20 MFN"
    assert "Excise Tax Act" in result.explanation(T.GST).rule
    assert result.explanation(T.GST).base == result.vft
    assert set(result.explain()) == set(AmountType)
    assert result.explain()[T.CUD].startswith("282.00 = max(")


# --- errors ---------------------------------------------------------------------------------------


def error_of(**inputs):
    with pytest.raises(Exception) as raised:
        Line(**inputs)
    return raised.value


@pytest.mark.parametrize(
    ("inputs", "error", "field"),
    [
        ({"rate": "3.32 ¢/kg", "vfd": "1.00"}, MissingQuantityError, "quantity"),
        ({"rate": "3.32 ¢/kg", "vfd": "1.00", "quantity": "2"}, MissingValueError, "unit"),
        ({"rate": "3.32 ¢/kg", "vfd": "1.00", "quantity": "2", "unit": "LTR"}, UnitMismatchError, "unit"),
        ({"rate": "Free", "vfd": "1.00", "unit": "BUSHEL"}, UnknownUnitError, "unit"),
        ({"rate": "Free", "vfd": "-1.00"}, NegativeValueError, "vfd"),
        ({"rate": "Free", "vfd": "ten"}, NonNumericError, "vfd"),
        ({"rate": "Free", "vfd": 1.5}, NonNumericError, "vfd"),
        ({"rate": "Free", "vfd": "NaN"}, NonNumericError, "vfd"),
        ({"rate": "Free", "vfd": "1.005"}, InvalidValueError, "vfd"),
        ({"rate": "Free", "vfd": "1e30"}, InvalidValueError, "vfd"),
        ({"rate": "Free"}, MissingValueError, "vfd"),
        ({"rate": "Free", "vfd": "1.00", "price": "1.00"}, InvalidValueError, "price"),
        ({"rate": "Free", "price": "1.00", "currency": "USD"}, MissingValueError, "exchange_rate"),
        (
            {"rate": "Free", "price": "1.00", "currency": "USD", "exchange_rate": "0"},
            InvalidValueError,
            "exchange_rate",
        ),
        ({"rate": "Free", "price": "1.00", "currency": "usd", "exchange_rate": "1.3"}, InvalidValueError, "currency"),
        ({"rate": "Free", "vfd": "1.00", "quantity": "-2", "unit": "KGM"}, NegativeValueError, "quantity"),
        ({"rate": "Fre", "vfd": "1.00"}, RateParseError, "rate"),
        ({"rate": "N/A", "vfd": "1.00"}, RateNotAssessableError, "rate"),
        ({"rate": "Free", "vfd": "1.00", "sima": {"amount": "-5.00"}}, NegativeValueError, "sima.amount"),
        (
            {"rate": "Free", "vfd": "1.00", "surtax": {"amount": "1.00", "rate": "5 %"}},
            InvalidValueError,
            "surtax.rate",
        ),
        ({"rate": "Free", "vfd": "1.00", "surtax": {"code": "S1"}}, MissingValueError, "surtax.amount"),
        (
            {"rate": "Free", "vfd": "1.00", "excise_tax": {"rate": "$100 each"}},
            MissingQuantityError,
            "excise_tax.quantity",
        ),
        (
            {
                "rate": "Free",
                "vfd": "1.00",
                "quantity": "1",
                "unit": "LTR",
                "excise_duty": {"rate": "$13/litre of absolute ethyl alcohol"},
            },
            UnitMismatchError,
            "excise_duty.unit",
        ),
        (
            {"rate": "Free", "vfd": "1.00", "excise_duty": {"amount": "1.00", "colour": "red"}},
            InvalidValueError,
            "excise_duty",
        ),
    ],
)
def test_bad_inputs_raise_a_specific_error_naming_the_field(inputs, error, field):
    raised = error_of(**inputs)
    assert type(raised) is error
    assert raised.field == field
    assert set(raised.as_dict()) == {"field", "code", "message"}


def test_unit_mismatch_names_both_units():
    raised = error_of(rate="3.32 ¢/kg", vfd="1.00", quantity="2", unit="LTR")
    assert (raised.rate_unit, raised.quantity_unit) == ("KGM", "LTR")
    assert "KGM" in raised.message and "LTR" in raised.message


# A half cent on an even cent: half-up gives the next cent where half-even (banker's) rounding would
# keep the even one, so each charge type shows which rule it follows.
HALF_CENT_ON_EVERY_CHARGE = [
    ("CUD", {"rate": "1 %", "vfd": "0.50"}),
    ("SIMA", {"rate": "Free", "vfd": "0.50", "sima": Charge.margin("1")}),
    ("SURTAX", {"rate": "Free", "vfd": "0.50", "surtax": Charge(rate="1 %")}),
    ("EXCISE_DUTY", {"rate": "Free", "vfd": "0.50", "excise_duty": Charge(rate="0.5 ¢/kg", quantity="1", unit="KGM")}),
    ("EXCISE_TAX", {"rate": "Free", "vfd": "0.50", "excise_tax": Charge(rate="1 %")}),
    ("GST", {"rate": "Free", "vfd": "0.10"}),
    ("VFD", {"rate": "Free", "price": "0.02", "currency": "USD", "exchange_rate": "0.25"}),
]


@pytest.mark.parametrize(("kind", "inputs"), HALF_CENT_ON_EVERY_CHARGE, ids=[k for k, _ in HALF_CENT_ON_EVERY_CHARGE])
def test_a_half_cent_of_every_charge_type_rounds_up_to_the_next_cent(kind, inputs):
    assert amounts(Line(**inputs))[kind] == D("0.01")


def test_an_amount_of_1e15_or_more_is_refused_and_one_cent_less_is_accepted():
    assert assess_line(Line(rate="Free", vfd="999999999999999.99")).vfd == D("999999999999999.99")
    with pytest.raises(InvalidValueError, match="implausibly large"):
        Line(rate="Free", vfd="1000000000000000")


def test_the_shared_cent_rounding_takes_a_half_cent_up():
    from assessment_engine.decimals import cents

    assert (cents(D("0.125")), cents(D("0.135")), cents(D("2.5049"))) == (D("0.13"), D("0.14"), D("2.50"))
