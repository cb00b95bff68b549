"""Hostile input gets a specific, structured answer, never a 500: every API status (404, 413, 500
included) in the structured error format; nesting bounded in JSON and in rate expressions; Unicode
digits refused before int(); CSV fields over the csv module's limit, unbounded amounts and card
expiry years, year-one dates, NUL characters and over-long text refused before the database."""

import csv
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import sign_in

JSON = "application/json"


def errors(response):
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_deeply_nested_json_is_a_parse_error_not_a_500(client, db):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/estimates", body, content_type=JSON)
    assert response.status_code == 400
    assert errors(response) == [(None, "parse_error")]


def test_json_nested_beyond_32_levels_is_refused(client, db):
    nested = {"lines": []}
    for _ in range(40):
        nested = {"x": nested}
    response = client.post("/api/v1/estimates", nested, content_type=JSON)
    assert response.status_code == 400 and errors(response) == [(None, "parse_error")]


def test_an_unknown_api_path_is_a_structured_404(client, db):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert errors(response) == [(None, "not_found")]


def test_a_body_over_the_upload_limit_is_a_structured_413(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/api/v1/estimates", {"lines": ["x" * 2000]}, content_type=JSON)
    assert response.status_code == 413
    assert errors(response) == [(None, "too_large")]


def test_an_unexpected_error_is_a_structured_500(client, db, monkeypatch):
    from assessment import services

    def broken(payload):
        raise RuntimeError("a defect")

    monkeypatch.setattr(services, "estimate", broken)
    response = client.post("/api/v1/estimates", {"lines": []}, content_type=JSON)
    assert response.status_code == 500
    assert errors(response) == [(None, "server_error")]


def test_a_rate_expression_nested_too_deeply_is_a_parse_error():
    from assessment_engine import RateParseError, parse_rate

    for text in ["(" * 5000 + "5%" + ")" * 5000, "5% plus " * 5000 + "5%", "(((((5%)))))"]:
        with pytest.raises(RateParseError):
            parse_rate(text)


@pytest.mark.parametrize("digits", ["²", "¹⁰", "٣"])
def test_unicode_digits_are_refused_as_numbers(client, digits, alice):
    from tariff.services import InvalidParameter, parse_limit

    with pytest.raises(InvalidParameter):
        parse_limit(digits)
    sign_in(client, alice)
    assert client.get("/en/declarations/classifications/", {"line": digits}).status_code == 400


def test_a_csv_field_over_the_csv_limit_is_reported_in_a_bulk_relationship_request(maple, other_business_user):
    from businesses.models import Business
    from delegation.bulk import bulk_request

    bob, northern = other_business_user, Business.objects.get(bn9="123026635")
    with pytest.raises(ValidationError) as refused:
        bulk_request(bob, northern, "bn\n123456782," + "x" * (csv.field_size_limit() + 1) + "\n")
    assert refused.value.code == "unreadable"


def test_a_remittance_line_over_the_csv_limit_or_with_an_unbounded_amount_is_reported(maple, olivia):
    from payments.remittance import import_remittance

    content = (
        "bn15,amount,payment_date,reference,method\n"
        "123456782RM0001,100000000000000000000.00,2025-05-01,BNK-1,bank\n"
        "123456782RM0001," + "9" * (csv.field_size_limit() + 1) + ",2025-05-01,BNK-2,bank\n"
    )
    remittance = import_remittance(content.encode(), "bank.csv", user=olivia)
    assert remittance.posted == 0
    assert [error["line"] for error in remittance.errors] == [2, 3]
    assert "at most 9999999999999.99" in remittance.errors[0]["error"]


def test_a_card_expiry_year_out_of_range_is_a_field_error(client, alice):
    from accounts.services import create_api_token

    _token, key = create_api_token(alice, name="pay", days=30)
    card = {"number": "4242424242424242", "expiry_month": 12, "expiry_year": 10**20, "cvv": "123"}
    response = client.post(
        "/api/v1/payments",
        {"method": "card", "lines": [{"program_account": "123456782RM0001", "pay": "balance"}], "card": card},
        content_type=JSON,
        HTTP_AUTHORIZATION=f"Token {key}",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert response.status_code == 400 and ("card.expiry_year", "max_value") in errors(response)


@pytest.mark.parametrize(
    "changes, pointer, code",
    [
        ({"release_date": dt.date(1, 1, 1)}, "/release_date", "date_out_of_range"),
        ({"cargo_control_number": "8000\x00ABC"}, "/cargo_control_number", "invalid_character"),
    ],
)
def test_a_cad_header_out_of_range_or_with_nul_is_a_field_error(maple, alice, changes, pointer, code):
    from declarations import validation
    from tests.declarations.conftest import cad

    _checked, found = validation.check(cad(**changes), who=alice, today=dt.date(2025, 1, 6))
    assert (pointer, code) in [(e.pointer, e.code) for e in found]


def test_an_over_long_state_of_origin_is_a_field_error(maple, alice):
    from declarations import validation
    from tests.declarations.conftest import cad, line

    _checked, found = validation.check(
        cad(line(origin="US", origin_state="NEWYORK")), who=alice, today=dt.date(2025, 1, 6)
    )
    assert ("/lines/0/origin_state", "too_long") in [(e.pointer, e.code) for e in found]


def test_sqlite_transactions_take_the_write_lock_when_they_begin(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["OPTIONS"] == {"timeout": 20, "transaction_mode": "IMMEDIATE"}


def test_a_nul_character_in_a_url_finds_nothing_and_a_payment_s_account_list_with_one_is_a_400_in_french(client, alice):
    # PostgreSQL refuses a query holding a NUL: each was a 500 there
    client.force_login(alice)
    assert client.get("/en/payments/%00/").status_code == 404
    response = client.get("/api/v1/payments/%00")
    assert response.status_code == 404 and errors(response) == [(None, "not_found")]
    page = client.get("/fr/payments/pay/?account=%00")
    assert page.status_code == 400 and "La demande n’a pas pu être comprise" in page.content.decode()
