"""The officers' exchange-rate page: officers only; a rate saved from it applies at once; a bad
entry is refused beside its field, in the page's language."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment import exchange
from assessment.models import ExchangeRate

from ..conftest import sign_in


def test_only_officers_reach_the_exchange_rate_page(signed_in_client):
    assert signed_in_client.get("/en/assessment/exchange-rates/").status_code == 403


def test_an_officer_enters_a_missing_rate_from_the_page(client, olivia):
    sign_in(client, olivia)
    day = timezone.localdate() - timedelta(days=1)
    response = client.post(
        "/en/assessment/exchange-rates/", {"currency": "twd", "date": day.isoformat(), "cad_per_unit": "0.04315"}
    )
    assert response.status_code == 302
    assert exchange.rate_on("TWD", day).cad_per_unit == Decimal("0.04315")
    page = client.get("/en/assessment/exchange-rates/").content.decode()
    assert "TWD" in page and "CBSA officer" in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "is not replaced"), ("fr", "n’est pas remplacé")],
)
def test_a_published_rate_is_refused_in_the_pages_language(client, olivia, language, expected):
    ExchangeRate.objects.create(currency="USD", date=date(2025, 12, 30), cad_per_unit=Decimal("1.3693"))
    sign_in(client, olivia, language=language)
    response = client.post(
        f"/{language}/assessment/exchange-rates/", {"currency": "USD", "date": "2025-12-30", "cad_per_unit": "1.5"}
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert ExchangeRate.objects.get(currency="USD").cad_per_unit == Decimal("1.3693")
