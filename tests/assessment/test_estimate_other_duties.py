"""SIMA, surtax, excise duty and excise tax in an estimate (domain brief §4.4-4.5): each is added
to the value for tax, GST is 5 % of that, and every bad input is a structured 400 naming its field."""

from decimal import Decimal

import pytest

from assessment.api import OTHER_DUTIES
from assessment.forms import EstimateForm
from assessment.services import CHARGE_INPUTS

from .test_estimate_api import amounts, line, post
from .test_estimate_fixtures import WATER, WINE, tariff_rows, usd_rates  # noqa: F401 (fixtures)

OTHERS = {"sima": "100.00", "surtax_code": "S1", "surtax_rate": "10%", "excise_duty": "50.00", "excise_tax": "25.25"}


def test_value_for_tax_includes_sima_surtax_and_excise(client, tariff_rows):
    result = post(client, line(tariff_treatment="MFN", **OTHERS)).json()["lines"][0]
    # VFD 30000.00, CUD 1950.00, SIMA 100.00, surtax 10 % of the VFD 3000.00, excise 50.00 + 25.25.
    assert amounts(result, "sima", "surtax", "excise_duty", "excise_tax", "value_for_tax") == (
        "100.00",
        "3000.00",
        "50.00",
        "25.25",
        "35125.25",
    )
    assert "amount as declared" in result["explanation"]["SIMA"]
    assert "S1" in result["explanation"]["SURTAX"] and "Excise Tax Act" in result["explanation"]["EXCISE_TAX"]


def test_gst_is_five_percent_of_the_value_for_tax_with_other_duties(client, tariff_rows):
    result = post(client, line(tariff_treatment="MFN", **OTHERS)).json()["lines"][0]
    vft = Decimal(result["value_for_tax"])
    assert Decimal(result["gst"]) == (vft * Decimal("0.05")).quantize(Decimal("0.01")) == Decimal("1756.26")
    duties = sum(Decimal(result[name]) for name in ("customs_duty", "sima", "surtax", "excise_duty", "excise_tax"))
    assert Decimal(result["total"]) == duties + Decimal(result["gst"])


def test_worked_example_with_a_sima_amount_matches_hand_arithmetic(client, tariff_rows, usd_rates):
    # US$100.00 at 1.15 -> VFD 115.00; duty 4 % -> 4.60; SIMA 20.00; VFT 139.60; GST 6.98; total 31.58.
    data = post(client, line(value="100.00", currency="USD", rate="4%", sima="20.00")).json()
    assert amounts(data["lines"][0], "vfd", "customs_duty", "sima", "value_for_tax", "gst", "total") == (
        "115.00",
        "4.60",
        "20.00",
        "139.60",
        "6.98",
        "31.58",
    )
    assert amounts(data["totals"], "sima", "value_for_tax", "total") == ("20.00", "139.60", "31.58")


def test_a_sima_margin_is_a_percent_of_the_vfd(client, tariff_rows):
    result = post(client, line(tariff_treatment="MFN", sima_margin="12.5")).json()["lines"][0]
    assert amounts(result, "sima", "value_for_tax") == ("3750.00", "35700.00")


def test_a_specific_excise_rate_is_charged_on_the_lines_quantity(client, tariff_rows):
    result = post(client, line(classification=WINE, origin="FR", quantity="1000", excise_duty_rate="$0.751/litre"))
    assert result.json()["lines"][0]["excise_duty"] == "751.00"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"sima": "-1.00"}, "sima", "negative"),
        ({"sima": "lots"}, "sima", "not_a_number"),
        ({"sima": "1.005"}, "sima", "invalid"),
        ({"sima": "10.00", "sima_margin": "5"}, "sima_margin", "conflict"),
        ({"sima_margin": "-5"}, "sima_margin", "negative"),
        ({"sima_margin": "five"}, "sima_margin", "not_a_number"),
        ({"surtax_rate": "10%"}, "surtax_code", "required"),
        ({"surtax_code": "S1"}, "surtax_rate", "required"),
        ({"surtax_code": "S1", "surtax_rate": "10%", "surtax_amount": "5.00"}, "surtax_rate", "conflict"),
        ({"surtax_code": "S1", "surtax_rate": "ten percent"}, "surtax_rate", "rate_unparseable"),
        ({"surtax_code": "S1", "surtax_amount": "-3"}, "surtax_amount", "negative"),
        ({"excise_duty": "x"}, "excise_duty", "not_a_number"),
        ({"excise_duty": "1", "excise_duty_rate": "1%"}, "excise_duty_rate", "conflict"),
        ({"excise_tax": "-0.01"}, "excise_tax", "negative"),
        ({"excise_tax_rate": "$1/kg", "quantity": "5", "unit": "LTR"}, "unit", "unit_mismatch"),
        ({"classification": WINE, "origin": "FR", "excise_duty_rate": "$0.751/litre"}, "quantity", "quantity_required"),
    ],
)
def test_each_bad_other_duty_is_a_structured_400(client, tariff_rows, changes, field, code):
    response = post(client, line(tariff_treatment="MFN", **changes))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [(f"lines[0].{field}", code)], errors
    assert errors[0]["message"]


def test_the_schema_documents_the_other_duties(client):
    assert set(OTHER_DUTIES) == set(CHARGE_INPUTS) == set(EstimateForm.OTHER)
    schema = client.get("/api/v1/schema/").content.decode()
    assert all(name in schema for name in ("sima_margin", "surtax_code", "excise_duty_rate", "With SIMA and a surtax"))


PAGE_QUERY = {
    "classification": WATER,
    "origin": "US",
    "value": "100.00",
    "currency": "USD",
    "shipment_date": "2025-01-03",
    "sima": "20.00",
    "surtax_code": "S1",
    "surtax_rate": "10%",
    "excise_tax": "2.00",
    "submitted": "1",
}


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "en",
            [
                "Other duties and taxes",
                "Anti-dumping or countervailing duty (SIMA)",
                "20.00",
                "11.50",
                "2.00",
                "as you gave them",
            ],
            "this estimate does not include them",
        ),
        (
            "fr",
            ["Autres droits et taxes", "20,00", "11,50", "2,00", "tels que vous les avez donnés"],
            "cette estimation ne les comprend pas",
        ),
    ],
)
def test_the_page_shows_the_breakdown_with_other_duties(client, tariff_rows, usd_rates, language, expected, absent):
    response = client.get(f"/{language}/assessment/estimate/", PAGE_QUERY)
    page = response.content.decode()
    assert response.status_code == 200
    for text in expected:
        assert text in page, text
    assert absent not in page
    # MFN 6.5 % of 115.00 = 7.48; VFT 115.00 + 7.48 + 20.00 + 11.50 + 2.00 = 155.98; GST 7.80; total 48.78.
    assert ("48.78" if language == "en" else "48,78") in page


def test_without_other_duties_the_page_says_they_are_not_included(client, tariff_rows, usd_rates):
    query = {key: PAGE_QUERY[key] for key in ("classification", "origin", "value", "currency", "shipment_date")}
    page = client.get("/en/assessment/estimate/", query).content.decode()
    assert "this estimate does not include them" in page and "as you gave them" not in page


def test_a_bad_other_duty_is_shown_beside_its_field_with_the_section_open(client, tariff_rows, usd_rates):
    page = client.get("/en/assessment/estimate/", {**PAGE_QUERY, "sima_margin": "5"}).content.decode()
    assert 'error-message="Give an amount or a rate, not both."' in page
    assert 'details-title="Other duties and taxes" open>' in page


def test_arriving_with_only_a_classification_shows_no_errors(client, tariff_rows):
    response = client.get("/en/assessment/estimate/", {"classification": WATER})
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-message" not in page and "There is a problem" not in page
    assert 'name="classification" label="Classification number"' in page and f'value="{WATER}"' in page
    assert 'name="submitted" value="1"' in page
    assert 'details-title="Other duties and taxes">' in page  # collapsed


def test_submitting_the_form_empty_shows_the_required_errors(client, db):
    page = client.get("/en/assessment/estimate/", {"classification": WATER, "submitted": "1"}).content.decode()
    assert "There is a problem" in page and "error-message" in page
