"""The assessment engine's rules its other tests left open (mutation testing, issue #26): each amount's
explanation in full, the checks on a line's and a charge's inputs, the GST rate given, and how rates
are built, printed and refused."""

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
    Rate,
    RateKind,
    RateNotAssessableError,
    RateParseError,
    UnitMismatchError,
    UnknownUnitError,
    as_rate,
    assess_declaration,
    assess_line,
    parse_rate,
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
        "148.50 = (price 100.00 + additions 10.00 − deductions 0.00) × exchange rate; rate 1.35; base 110.00; "
        f"USD [{VFD_RULE}]"
    )
    assert explained[T.CUD] == (
        "7.43 = 5 % × VFD; rate 5 %; base 148.50; quantity 3 KGM "
        "[Customs Tariff s.20 and schedule: rate of the tariff treatment]"
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


def test_a_line_holds_the_amounts_given_as_text_as_the_decimals_it_checked():
    line = _usd_line(additions="10.00", deductions="2.50", quantity="3", unit="KGM")
    held = (line.price, line.additions, line.deductions, line.exchange_rate, line.quantity, line.adjusted_price)
    assert held == (D("100.00"), D("10.00"), D("2.50"), D("1.35"), D("3"), D("107.50"))
    assert all(type(amount) is Decimal for amount in held)


def test_a_declared_vfd_is_explained_as_declared_and_has_no_adjusted_price():
    line = Line(rate="Free", vfd="10.00")
    assert assess_line(line).explain()[T.VFD] == f"10.00 = VFD as declared [{VFD_RULE}]"
    assert line.adjusted_price is None


def test_a_line_its_rate_and_its_assessment_cannot_be_changed_once_checked():
    line = Line(rate="Free", vfd="10.00")
    assessed = assess_line(line)
    changes = [
        (line, "vfd"),
        (Charge(amount="1.00"), "amount"),
        (Rate.ad_valorem("5"), "percent"),
        (assessed, "values"),
        (assessed.explanation(T.VFD), "formula"),
        (assess_declaration([line]), "lines"),
    ]
    for obj, name in changes:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, None)


def test_a_charge_s_own_quantity_is_read_as_a_decimal():
    assert Charge(rate="$2/kg", quantity="3", unit="KGM").quantity == D("3")


def test_a_unit_mismatch_says_which_units_and_why_only_when_there_is_a_why():
    assert str(UnitMismatchError("KGM", "LTR")) == "a rate per KGM cannot be applied to a quantity in LTR"
    assert str(UnitMismatchError("KGM", "LTR", reason="no density")).endswith("in LTR (no density)")


def test_a_charge_s_unit_needs_a_quantity_and_must_be_known():
    with pytest.raises(InvalidValueError) as no_quantity:
        Charge(rate="$2/kg", unit="KGM")
    assert no_quantity.value.field == "quantity"
    with pytest.raises(UnknownUnitError):
        Charge(rate="$2/kg", quantity="3", unit="XYZ")
    with pytest.raises(UnknownUnitError):  # a charge given as an amount too
        Charge(amount="5.00", quantity="3", unit="XYZ")


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


# --- rates: what is built, what is refused --------------------------------------------------------


def test_a_combined_rate_s_formula_names_each_part_and_how_they_combine():
    rate = parse_rate("7.5 % but not less than $1.23/kg plus 2 %")
    assert rate.formula == "max(7.5 % × VFD, $1.23/kg × quantity) + 2 % × VFD"


def test_rates_print_in_french_with_a_decimal_comma_and_below_a_dollar_in_cents():
    assert Rate.ad_valorem("6.5").to_text("fr") == "6,5 %"
    assert Rate.specific("0.5", "KGM").to_text("fr") == "50 ¢/kg"
    assert Rate.specific("1", "KGM").to_text() == "$1/kg"  # a dollar itself prints in dollars


def test_a_rate_that_is_not_assessable_gives_no_amount():
    with pytest.raises(RateNotAssessableError):
        Rate(RateKind.NOT_APPLICABLE).evaluate(D("100.00"), {})


def test_the_higher_or_lower_of_two_equal_parts_is_either_of_them():
    equal = {"KGM": D("10")}
    for combined in (Rate.max_of, Rate.min_of):
        assert combined(Rate.ad_valorem("10"), Rate.specific("1", "KGM")).evaluate(D("100"), equal) == D("10")


def test_a_rate_names_what_its_kind_needs_or_takes_no():
    with pytest.raises(InvalidValueError, match="a ad_valorem rate needs percent"):
        Rate(RateKind.AD_VALOREM)
    with pytest.raises(InvalidValueError, match="a free rate takes no percent"):
        Rate(RateKind.FREE, percent=D("1"))


def test_a_combined_rate_given_its_terms_as_a_list_equals_the_same_built_from_a_tuple():
    a, b = Rate.ad_valorem("5"), Rate.specific("1", "KGM")
    as_list = Rate(RateKind.PLUS, terms=[a, b])
    assert as_list == Rate.plus(a, b) and hash(as_list) == hash(Rate.plus(a, b))


def test_a_stored_rate_is_read_back_and_its_terms_must_be_a_list():
    assert as_rate({"kind": "free"}) == Rate.free()
    with pytest.raises(InvalidValueError, match="rate terms must be a list"):
        Rate.from_dict({"kind": "plus", "terms": "ab"})


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        (5, 0, "a rate text must be a string"),
        ("", 0, "empty rate text"),
        ("$5", 2, "the rate ends after a number: '%', '¢' or '$' and a unit are missing"),
        ("5 x", 2, "expected '%', '¢' or '$' after the number"),
        ("5 /xyz", 3, "unknown unit of measure"),
        ("5 ¢ x", 4, "expected '/' and a unit of measure (such as '/kg') or 'each'"),
        ("(5 %", 4, "expected ')'"),
        ("(((((5 %)))))", 4, "more than 4 levels of parentheses"),
        ("(1 %) plus (((((5 %)))))", 15, "more than 4 levels of parentheses"),  # a closed group gives its level back
        ("5 %" + " " * 253, 255, "longer than 255 characters"),
    ],
)
def test_a_rate_text_not_understood_is_refused_with_where_and_why(text, position, reason):
    with pytest.raises(RateParseError) as refused:
        parse_rate(text)
    assert (refused.value.position, refused.value.reason) == (position, reason)
    assert str(refused.value) == refused.value.message  # the message is the error's text


def test_a_rate_of_255_characters_and_four_levels_of_parentheses_is_read():
    assert parse_rate("5 %" + " " * 252) == Rate.ad_valorem("5")
    assert parse_rate("((((5 %))))") == Rate.ad_valorem("5")
    groups = " plus ".join(["(1 %)"] * 5)  # five groups one after the other: one level each
    assert parse_rate(groups).evaluate(D("100"), {}) == D("5")
    assert parse_rate("(5 %) plus 1 %") == Rate.plus(Rate.ad_valorem("5"), Rate.ad_valorem("1"))
