"""The public "Estimate duties and taxes" page, in English and French: a breakdown per eligible
treatment with the lowest flagged, and errors shown beside their field."""

import pytest

from .test_estimate_fixtures import WATER, WINE, tariff_rows, usd_rates  # noqa: F401 (fixtures)

QUERY = {"classification": WATER, "origin": "US", "value": "100.00", "currency": "USD", "shipment_date": "2025-01-04"}


def test_the_empty_form_is_public(client, db):
    response = client.get("/en/assessment/estimate/")
    assert response.status_code == 200
    assert "Estimate duties and taxes" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "United States Tariff",
                "Customs duty (CUD)",
                "Value for tax (VFT)",
                "lowest",
                "proof of origin",
                "Bank of Canada rate of 2025-01-03",
            ],
        ),
        (
            "fr",
            [
                "Estimer les droits et taxes",
                "Droits de douane (DD)",
                "Valeur imposable (VI)",
                "le moins élevé",
                "preuve d’origine",
                "taux de la Banque du Canada du 2025-01-03",
            ],
        ),
    ],
)
def test_the_page_shows_each_treatments_breakdown(client, tariff_rows, usd_rates, language, expected):
    response = client.get(f"/{language}/assessment/estimate/", QUERY)
    page = response.content.decode()
    assert response.status_code == 200
    for text in expected:
        assert text in page, text
    # US$100 at 1.15: MFN 6.5 % of 115.00 = 7.48, GST 6.12, total 13.60; UST free: GST 5.75.
    assert ("13.60" if language == "en" else "13,60") in page
    assert ("5.75" if language == "en" else "5,75") in page


def test_an_error_is_shown_beside_its_field(client, tariff_rows):
    page = client.get("/en/assessment/estimate/", {**QUERY, "classification": WINE, "currency": "CAD"}).content.decode()
    assert 'error-message="This rate is charged per unit of measure: enter a quantity."' in page


def test_an_unknown_classification_is_shown_in_french(client, tariff_rows):
    page = client.get("/fr/assessment/estimate/", {**QUERY, "classification": "9999999999"}).content.decode()
    assert "n’est pas dans le tarif" in page
