"""POST /api/v1/estimates: the brief's worked examples to the cent, and every bad input as a
structured 400 naming its field (never a 500)."""

import pytest

from .test_estimate_fixtures import WATER, WINE, tariff_rows, usd_rates  # noqa: F401 (fixtures)

URL = "/api/v1/estimates"


def post(client, *lines, shipment_date="2025-01-03"):
    return client.post(URL, {"shipment_date": shipment_date, "lines": list(lines)}, content_type="application/json")


def line(**changes):
    return {"classification": WATER, "origin": "US", "value": "30000.00", "currency": "CAD", **changes}


def amounts(data, *names):
    return tuple(data[name] for name in names)


def test_mfn_six_and_a_half_percent_on_30000_is_3547_50_payable(client, tariff_rows):
    response = post(client, line(tariff_treatment="MFN", exchange_rate="1", quantity="300", unit="LTR", rate="6.5%"))
    assert response.status_code == 200, response.content
    result = response.json()["lines"][0]
    assert amounts(result, "vfd", "customs_duty", "value_for_tax", "gst", "total") == (
        "30000.00",
        "1950.00",
        "31950.00",
        "1597.50",
        "3547.50",
    )
    assert amounts(result, "sima", "surtax", "excise_duty", "excise_tax") == ("0.00",) * 4
    assert "Customs Tariff" in result["explanation"]["CUD"]


def test_mfn_taken_from_the_tariff_when_no_rate_is_given(client, tariff_rows):
    result = post(client, line(tariff_treatment="MFN")).json()["lines"][0]
    assert (result["rate"], result["customs_duty"], result["total"]) == ("6.5 %", "1950.00", "3547.50")


def test_us_100_at_the_bank_rate_of_1_15_with_4_percent_is_10_58(client, tariff_rows, usd_rates):
    result = post(client, line(value="100.00", currency="USD", rate="4%")).json()["lines"][0]
    assert amounts(result, "exchange_rate", "exchange_rate_date") == ("1.15", "2025-01-03")
    assert amounts(result, "vfd", "customs_duty", "value_for_tax", "gst", "total") == (
        "115.00",
        "4.60",
        "119.60",
        "5.98",
        "10.58",
    )


def test_weekend_shipment_converts_at_the_previous_business_day(client, tariff_rows, usd_rates):
    result = post(client, line(value="100.00", currency="USD", rate="4%"), shipment_date="2025-01-05").json()
    assert result["lines"][0]["exchange_rate_date"] == "2025-01-03"


def test_without_a_treatment_the_cheapest_eligible_one_is_used(client, tariff_rows):
    result = post(client, line()).json()["lines"][0]
    assert (result["tariff_treatment"], result["total"], result["proof_of_origin_required"]) == ("UST", "1500.00", True)
    assert "proof of origin" in result["explanation"]["tariff_treatment"]


def test_totals_sum_the_lines(client, tariff_rows):
    data = post(client, line(tariff_treatment="MFN"), line(tariff_treatment="UST")).json()
    assert amounts(data["totals"], "vfd", "customs_duty", "gst", "total") == (
        "60000.00",
        "1950.00",
        "3097.50",
        "5047.50",
    )


def test_a_specific_rate_is_charged_on_the_quantity(client, tariff_rows):
    result = post(client, line(classification=WINE, origin="FR", quantity="1000")).json()["lines"][0]
    assert (result["tariff_treatment"], result["customs_duty"]) == ("MFN", "46.80")


def test_json_numbers_are_accepted(client, tariff_rows):
    result = post(client, line(tariff_treatment="MFN", value=30000.00)).json()["lines"][0]
    assert result["customs_duty"] == "1950.00"


def test_the_api_is_public_and_documented(client):
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/estimates" in schema and "estimate_duties_and_taxes" in schema


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"classification": "9999999999"}, "lines[0].classification", "unknown_classification"),
        ({"classification": "22A"}, "lines[0].classification", "invalid_code"),
        ({"origin": "KP", "tariff_treatment": "MFN"}, "lines[0].tariff_treatment", "treatment_not_eligible"),
        ({"origin": "U"}, "lines[0].origin", "invalid"),
        ({"classification": WINE, "origin": "FR"}, "lines[0].quantity", "quantity_required"),
        ({"classification": WINE, "origin": "FR", "quantity": "10", "unit": "KGM"}, "lines[0].unit", "unit_mismatch"),
        ({"unit": "XYZ"}, "lines[0].unit", "unknown_unit"),
        ({"value": "-5"}, "lines[0].value", "negative"),
        ({"value": "a lot"}, "lines[0].value", "not_a_number"),
        ({"value": None}, "lines[0].value", "required"),
        ({"quantity": "-1"}, "lines[0].quantity", "negative"),
        ({"currency": "XYZ"}, "lines[0].currency", "unknown_currency"),
        ({"currency": "dollars"}, "lines[0].currency", "invalid"),
        ({"currency": "USD", "exchange_rate": "zero"}, "lines[0].exchange_rate", "not_a_number"),
        ({"rate": "6.5 percent"}, "lines[0].rate", "rate_unparseable"),
    ],
)
def test_bad_input_is_a_structured_400(client, tariff_rows, usd_rates, changes, field, code):
    response = post(client, line(**changes))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [(field, code)], errors
    assert errors[0]["message"]


def test_the_ineligible_treatment_error_lists_the_eligible_ones(client, tariff_rows):
    error = post(client, line(origin="KP", tariff_treatment="MFN")).json()["errors"][0]
    assert "eligible: GT" in error["message"]


def test_a_date_with_no_rate_is_a_structured_400(client, tariff_rows, usd_rates):
    response = post(client, line(value="100.00", currency="USD"), shipment_date="2025-03-01")
    assert response.json()["errors"][0]["code"] == "no_exchange_rate"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"shipment_date": "03/01/2025", "lines": [line()]}, "shipment_date", "invalid_date"),
        ({"lines": [line()]}, "shipment_date", "required"),
        ({"shipment_date": "2025-01-03", "lines": []}, "lines", "required"),
        ({"shipment_date": "2025-01-03", "lines": ["x"]}, "lines[0]", "invalid"),
        ([], None, "invalid"),
    ],
)
def test_a_malformed_request_is_a_structured_400(client, tariff_rows, body, field, code):
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (field, code)


def test_broken_json_is_a_structured_400(client):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "parse_error"


def test_errors_of_several_lines_are_all_reported(client, tariff_rows):
    response = post(client, line(value="-1"), line(), line(origin="1"))
    assert [e["field"] for e in response.json()["errors"]] == ["lines[0].value", "lines[2].origin"]
