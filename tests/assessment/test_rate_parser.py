from decimal import Decimal

import pytest

from assessment_engine import InvalidValueError, Rate, RateKind, RateParseError, parse_rate

D = Decimal
KG_282 = Rate.specific("2.82", "KGM")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Free", Rate.free()),
        ("En fr.", Rate.free()),
        ("6.5%", Rate.ad_valorem("6.5")),
        ("6.5 %", Rate.ad_valorem("6.5")),
        ("6,5 %", Rate.ad_valorem("6.5")),
        ("3.32¢/kg", Rate.specific("0.0332", "KGM")),
        ("3.32 ¢/kg", Rate.specific("0.0332", "KGM")),
        ("3,32 ¢/kg", Rate.specific("0.0332", "KGM")),
        ("$24.69/tonne", Rate.specific("24.69", "TNE")),
        ("$1.23/L", Rate.specific("1.23", "LTR")),
        ("2,82 $/kg", KG_282),
        ("$.99/tonne", Rate.specific("0.99", "TNE")),
        ("28.16 ¢/litre", Rate.specific("0.2816", "LTR")),
        ("$34.50/hl", Rate.specific("34.50", "HLT")),
        ("79.9 ¢/dozen", Rate.specific("0.799", "DZN")),
        ("30.8 ¢each", Rate.specific("0.308", "NMB")),
        ("$1.50/pair", Rate.specific("1.50", "PAR")),
        ("$2/m²", Rate.specific("2", "MTK")),
        ("12.28 ¢/litre of absolute ethyl alcohol", Rate.specific("0.1228", "LPA")),
        ("12,28 ¢/litre d'alcool éthylique absolu", Rate.specific("0.1228", "LPA")),
    ],
)
def test_single_rate_forms_parse_in_english_and_french(text, expected):
    assert parse_rate(text) == expected


def test_cents_are_stored_as_dollars_per_unit():
    assert parse_rate("3.32 ¢/kg").amount == D("0.0332")


def test_but_not_less_than_is_the_higher_of_the_two():
    expected = Rate.max_of(Rate.ad_valorem(243), KG_282)
    assert parse_rate("243% but not less than $2.82/kg") == expected
    assert parse_rate("243 % mais pas moins de 2,82 $/kg") == expected


def test_but_not_to_exceed_is_the_lower_of_the_two():
    expected = Rate.min_of(Rate.ad_valorem(14), Rate.specific("4.10", "KGM"))
    assert parse_rate("14% but not to exceed $4.10/kg") == expected
    assert parse_rate("14 % mais n'excédant pas 4,10 $/kg") == expected
    assert parse_rate("14 % mais au plus 4,10 $/kg") == expected


def test_plus_adds_the_two_parts():
    expected = Rate.plus(Rate.ad_valorem("6.5"), Rate.specific("0.50", "KGM"))
    assert parse_rate("6.5% plus $0.50/kg") == expected
    assert parse_rate("6,5 % plus 0,50 $/kg") == expected


def test_floor_and_ceiling_is_the_lower_of_the_ceiling_and_the_higher_of_the_floor():
    floor = Rate.max_of(Rate.ad_valorem(5), Rate.specific("0.0474", "KGM"))
    expected = Rate.min_of(floor, Rate.specific("0.0948", "KGM"))
    assert parse_rate("5 % but not less than 4.74 ¢/kg or more than 9.48 ¢/kg") == expected
    assert parse_rate("5 % mais pas moins de 4,74 ¢/kg ou plus de 9,48 ¢/kg") == expected


def test_qualifiers_apply_to_everything_on_their_left():
    # Tariff item 0704.10.11: the seasonal rate, plus 4 % for small packages.
    seasonal = Rate.max_of(Rate.specific("0.0188", "KGM"), Rate.ad_valorem(4))
    assert parse_rate("1.88 ¢/kg but not less than 4 % plus 4 %") == Rate.plus(seasonal, Rate.ad_valorem(4))


def test_parentheses_group_a_right_hand_combination():
    inner = Rate.plus(Rate.ad_valorem(4), Rate.specific("0.10", "KGM"))
    rate = Rate.max_of(Rate.ad_valorem(10), inner)
    assert rate.to_text() == "10 % but not less than (4 % plus 10 ¢/kg)"
    assert parse_rate(rate.to_text()) == rate


def test_not_applicable_and_see_note_parse_but_are_not_assessable():
    assert parse_rate("N/A") == Rate(RateKind.NOT_APPLICABLE)
    assert parse_rate("See Note 1") == Rate(RateKind.SEE_NOTE, note="1")
    assert not parse_rate("N/A").assessable
    assert parse_rate("Free").assessable


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("Fre", 0, "expected a rate"),
        ("1.9 ¢", 5, "expected '/' and a unit"),
        ("8.47 ¢/kg plus 8.", 16, "expected '%', '¢' or '$'"),
        ("3 ¢/furlong", 4, "unknown unit"),
        ("6 % 4 %", 4, "expected 'plus'"),
        ("2 % or more than 3 %", 4, "'or more than' must follow"),
        ("$/kg", 1, "expected an amount after '$'"),
        ("12", 2, "the rate ends after a number"),
        ("   ", 0, "empty"),
        ("$1,000/tonne", 2, "would group thousands"),
        ("1 % plus 10000000000000000 %", 9, "implausibly large"),
    ],
)
def test_unparseable_text_reports_position_and_reason(text, position, reason):
    with pytest.raises(RateParseError) as raised:
        parse_rate(text)
    error = raised.value
    assert (error.text, error.position) == (text, position)
    assert reason in error.reason
    assert error.as_dict()["field"] == "rate"
    assert error.as_dict()["code"] == "rate_unparseable"


def test_a_rate_that_is_not_text_is_a_parse_error():
    with pytest.raises(RateParseError):
        parse_rate(6.5)


@pytest.mark.parametrize(
    "text",
    [
        "Free",
        "6.5 %",
        "$24.69/tonne",
        "243 % but not less than $2.82/kg",
        "14 % but not to exceed $4.10/kg",
        "5 % but not less than 4.74 ¢/kg or more than 9.48 ¢/kg",
        "1.88 ¢/kg but not less than 4 % plus 4 %",
        "238 % but not less than 30.8 ¢ each",
        "See Note 1",
    ],
)
def test_to_text_and_to_dict_round_trip_in_both_languages(text):
    rate = parse_rate(text)
    assert rate.to_text() == text
    assert parse_rate(rate.to_text("fr")) == rate
    assert Rate.from_dict(rate.to_dict()) == rate


def test_stored_dict_is_json_compatible():
    assert parse_rate("243 % but not less than $2.82/kg").to_dict() == {
        "kind": "max",
        "terms": [
            {"kind": "ad_valorem", "percent": "243"},
            {"kind": "specific", "amount": "2.82", "unit": "KGM"},
        ],
    }


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "cubic"},
        {"kind": "ad_valorem"},
        {"kind": "ad_valorem", "percent": "-1"},
        {"kind": "ad_valorem", "percent": "6.5", "unit": "KGM"},
        {"kind": "specific", "amount": "1", "unit": "XYZ"},
        {"kind": "max", "terms": [{"kind": "free"}]},
        {"kind": "plus", "terms": [{"kind": "free"}, {"kind": "ad_valorem", "percent": "1"}]},
        {"kind": "plus", "terms": [{"kind": "not_applicable"}, {"kind": "free"}]},
        {"kind": "free", "colour": "red"},
        {"percent": "6.5"},  # a stored rate names its kind
        "6.5 %",
    ],
)
def test_malformed_stored_rates_are_refused(data):
    with pytest.raises(InvalidValueError):
        Rate.from_dict(data)


def test_formula_explains_a_compound_rate():
    assert parse_rate("243 % but not less than $2.82/kg").formula == ("max(243 % × VFD, $2.82/kg × quantity)")
