from decimal import Decimal

import pytest

from assessment_engine import UnitMismatchError, UnknownUnitError, convert

D = Decimal


@pytest.mark.parametrize(
    ("quantity", "source", "target", "expected"),
    [
        (D("2"), "TNE", "KGM", D("2000")),
        (D("1500"), "KGM", "TNE", D("1.5")),
        (D("250"), "GRM", "KGM", D("0.25")),
        (D("3"), "HLT", "LTR", D("300")),
        (D("2"), "MTQ", "LTR", D("2000")),
        (D("30"), "NMB", "DZN", D("2.5")),
        (D("2"), "DZN", "NMB", D("24")),
        (D("1"), "GRO", "DZN", D("12")),
        (D("2"), "HPA", "LPA", D("200")),
        (D("7"), "KGM", "KGM", D("7")),
    ],
)
def test_quantity_converts_within_its_dimension(quantity, source, target, expected):
    assert convert(quantity, source, target) == expected


@pytest.mark.parametrize(
    ("source", "target"),
    [("LTR", "KGM"), ("KGM", "LTR"), ("LTR", "LPA"), ("NMB", "PAR"), ("KGM", "KSD")],
)
def test_units_of_different_dimensions_do_not_convert_and_the_error_names_both(source, target):
    with pytest.raises(UnitMismatchError) as raised:
        convert(D("1"), source, target)
    error = raised.value
    assert (error.rate_unit, error.quantity_unit) == (target, source)
    assert source in error.message and target in error.message
    assert error.code == "unit_mismatch"


def test_litres_of_a_drink_are_not_litres_of_pure_alcohol():
    # Converting needs the alcohol strength, which is a declaration input, not a unit factor.
    with pytest.raises(UnitMismatchError, match="pure alcohol vs volume"):
        convert(D("10"), "LTR", "LPA")


def test_unknown_unit_code_is_refused():
    with pytest.raises(UnknownUnitError) as raised:
        convert(D("1"), "FURLONG", "KGM")
    assert raised.value.as_dict() == {
        "field": "unit",
        "code": "unknown_unit",
        "message": "unknown unit of measure 'FURLONG'",
    }
