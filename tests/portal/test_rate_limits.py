"""Rate limits on every API endpoint: anonymous callers by the address the trusted proxy chain gives
(never a header the client writes), signed-in callers per token and per business; and caps on the
number of lines a call may carry."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from accounts.services import create_api_token

RATES = {"anon": "2/min", "user": "3/min", "business": "4/min"}


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", RATES)


def _get(client, path="/api/v1/tariff/chapters/22", **headers):
    """An anonymous call (a chapter unknown here: 404) or, with a token, a signed-in one."""
    return client.get(path, **headers).status_code


def test_the_anonymous_limit_ignores_a_forwarded_for_header_the_client_writes(client, db, low_rates):
    statuses = [_get(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(3)]
    assert statuses == [404, 404, 429]


def test_behind_a_trusted_proxy_each_client_address_has_its_own_allowance(client, db, low_rates, settings):
    settings.CARM_TRUSTED_PROXIES = 1
    first = [_get(client, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.1") for _ in range(3)]
    other = _get(client, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.2")
    assert (first, other) == ([404, 404, 429], 404)


def test_a_forwarded_for_shorter_than_the_proxy_chain_counts_as_the_connection(client, db, low_rates, settings):
    settings.CARM_TRUSTED_PROXIES = 2
    statuses = [_get(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(3)]
    assert statuses == [404, 404, 429]


def test_signed_in_calls_are_limited_per_token(client, alice, low_rates):
    _token, key = create_api_token(alice, name="busy", days=30)
    statuses = [_get(client, "/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}") for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.json()["errors"][0]["code"] == "throttled"


def test_signed_in_calls_are_limited_per_business_across_its_people(client, alice, reader, low_rates):
    keys = [create_api_token(person, name="busy", days=30)[1] for person in (alice, alice, reader)]
    statuses = [_get(client, "/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}") for key in keys + keys[:2]]
    assert statuses == [200, 200, 200, 200, 429]  # four calls of Maple's people in the minute


def test_a_public_estimate_takes_at_most_100_lines(client, db):
    line = {"classification": "2201900000", "origin": "US", "value": "10.00"}
    response = client.post(
        "/api/v1/estimates", {"shipment_date": "2025-06-02", "lines": [line] * 101}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "lines", "code": "too_many_lines", "message": "An estimate has at most 100 lines."}
    ]


def test_a_payment_covers_at_most_25_accounts(client, alice):
    _token, key = create_api_token(alice, name="pay", days=30)
    lines = [{"program_account": f"123456782RM{n:04d}", "pay": "balance"} for n in range(26)]
    response = client.post(
        "/api/v1/payments",
        {"method": "card", "lines": lines},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "lines"
