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


# Each unit's size in its dimension's base unit, as UN/ECE Recommendation 20 defines the code and the SI
# (BIPM SI Brochure, 9th ed.) its prefix: g = 10^-3 kg, t = 10^3 kg, metric carat = 200 mg, ml = 10^-3 l,
# hl = 10^2 l, m3 = 10^3 l, dozen = 12, gross = 144, kWh = 10^-3 MWh, GBq = 10^3 MBq.
LEGAL_FACTORS = [
    ("GRM", "KGM", "0.001"),
    ("TNE", "KGM", "1000"),
    ("CTM", "KGM", "0.0002"),
    ("MLT", "LTR", "0.001"),
    ("HLT", "LTR", "100"),
    ("MTQ", "LTR", "1000"),
    ("TMQ", "MTQ", "1000"),
    ("HPA", "LPA", "100"),
    ("DZN", "NMB", "12"),
    ("GRO", "NMB", "144"),
    ("MIL", "NMB", "1000"),
    ("PR", "PAR", "1"),
    ("KWH", "MWH", "0.001"),
    ("GBQ", "MBQ", "1000"),
    ("TSD", "KSD", "1000"),
]


@pytest.mark.parametrize(("code", "base", "factor"), LEGAL_FACTORS)
def test_each_unit_converts_to_its_base_unit_by_its_legal_factor_both_ways(code, base, factor):
    assert convert(D("1"), code, base) == D(factor)
    assert convert(D(factor), base, code) == D("1")


def test_units_alone_in_their_dimension_convert_only_to_themselves():
    for code in ("MTK", "MTR", "KNS"):
        assert convert(D("2.5"), code, code) == D("2.5")


def test_french_names_default_to_the_english_symbol_and_are_kept_when_given():
    from assessment_engine.units import get_unit

    assert get_unit("KGM").fr == "kg"
    assert get_unit("DZN").fr == "douzaine"


def test_units_are_immutable_so_the_shared_table_cannot_be_changed_by_a_caller():
    import dataclasses

    from assessment_engine.units import get_unit

    with pytest.raises(dataclasses.FrozenInstanceError):
        get_unit("KGM").factor = D("2")


def test_every_unit_code_is_its_own_alias_in_rate_texts_except_pr_written_pair():
    from assessment_engine.units import ALIASES, UNITS

    assert all(ALIASES[code.lower()] == code for code in UNITS if code != "PR")
    assert "pr" not in ALIASES and ALIASES["pair"] == "PAR"
