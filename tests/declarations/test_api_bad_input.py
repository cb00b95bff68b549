"""Bad input to the CAD API: a structured error naming the field (a JSON pointer), never a 500,
nothing partially saved, nothing posted twice."""

import datetime as dt
from unittest.mock import ANY

import pytest

from declarations.models import Declaration, DeclarationLine, DeclarationVersion
from ledger.models import LedgerEntry

from .conftest import cad, line


@pytest.fixture
def call(api, broker, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    return api(broker)


def nothing_saved():
    return not (
        Declaration.objects.exists()
        or DeclarationVersion.objects.exists()
        or DeclarationLine.objects.exists()
        or LedgerEntry.objects.exists()
    )


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        (cad(transaction_number="12345"), "/transaction_number", "malformed_transaction_number"),
        (cad(transaction_number="10207003502333"), "/transaction_number", "bad_check_digit"),
        (cad(importer="999999999RM0001"), "/importer", "unknown_importer"),
        (cad(line(), line(classification="0101999999")), "/lines/1/classification", "unknown_classification"),
        (cad(line(unit="TNE")), "/lines/0/unit", "unit_mismatch"),
        (
            cad(
                invoices=[
                    {
                        "number": "INV-1",
                        "amount": "30000.00",
                        "currency": "ZZZ",
                        "vendor_name": "V",
                        "vendor_country": "FR",
                    }
                ]
            ),
            "/invoices/0/currency",
            "unknown_currency",
        ),
        (cad(line(quantity="1e400")), "/lines/0/quantity", "invalid_amount"),
        (cad(line(value=True)), "/lines/0/value", "invalid_amount"),
        (cad(line(classification=["2201900000"])), "/lines/0/classification", "invalid"),
        (cad() | {"lines": {"0": line()}}, "/lines", "required"),
        (cad() | {"lines": [line()] * 1000}, "/lines", "too_many_lines"),
    ],
)
def test_a_bad_submission_is_a_41_with_a_pointer_and_saves_nothing(call, payload, field, code):
    response = call("post", "declarations", payload)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["carm_status"] == 41
    assert {"field": field, "code": code} in [{k: e[k] for k in ("field", "code")} for e in body["errors"]]
    assert nothing_saved()


def test_a_body_that_is_not_an_object(call, client):
    assert call("post", "declarations", ["x"]).json()["errors"][0]["code"] == "invalid"
    assert nothing_saved()


def test_malformed_json_is_a_400(call, api, broker):
    from accounts import services as account_services

    key = account_services.create_api_token(broker, name="raw", days=1)[1]
    from django.test import Client

    response = Client().post(
        "/api/v1/declarations", "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 400 and "errors" in response.json()


@pytest.mark.parametrize(
    ("number", "status", "code"),
    [
        ("12345", 400, "malformed_transaction_number"),
        ("10207003502333", 400, "bad_check_digit"),
        ("10207003502332", 404, "not_found"),
    ],
)
def test_a_bad_transaction_number_in_the_path(call, number, status, code):
    for method, path in (
        ("get", f"declarations/{number}"),
        ("post", f"declarations/{number}/versions"),
        ("post", f"declarations/{number}/withdraw"),
    ):
        response = call(
            method, path, {"expected_version": 1, "declaration": cad(), "reason": "x"} if method == "post" else None
        )
        assert response.status_code == status, (path, response.content)
        assert response.json()["errors"][0]["code"] == code


def test_an_unknown_version_is_a_404(call):
    number = call("post", "declarations", cad()).json()["transaction_number"]
    assert call("get", f"declarations/{number}", {"version": "7"}).status_code == 404
    assert call("get", f"declarations/{number}", {"version": "x"}).status_code == 404


def test_a_correction_of_a_withdrawn_cad_is_refused(call):
    number = call("post", "declarations", cad()).json()["transaction_number"]
    assert (
        call("post", f"declarations/{number}/withdraw", {"expected_version": 1, "reason": "Returned"}).status_code
        == 200
    )
    response = call("post", f"declarations/{number}/versions", {"expected_version": 2, "declaration": cad()})
    assert (response.status_code, response.json()["errors"][0]["code"]) == (400, "withdrawn")
    assert sum(e.amount for e in LedgerEntry.objects.all()) == 0 and LedgerEntry.objects.count() == 2


def test_an_adjustment_without_a_reason_is_refused(call, on_day):
    number = call("post", "declarations", cad()).json()["transaction_number"]
    on_day(dt.date(2025, 2, 10))
    response = call(
        "post", f"declarations/{number}/versions", {"expected_version": 1, "declaration": cad(line(value="1.00"))}
    )
    assert (response.status_code, response.json()["errors"][0]) == (
        400,
        {
            "field": "/reason",
            "code": "reason_required",
            "message": "An adjustment after the payment due date needs a reason.",
        },
    )
    assert DeclarationVersion.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_a_version_without_expected_version_or_declaration(call):
    number = call("post", "declarations", cad()).json()["transaction_number"]
    response = call("post", f"declarations/{number}/versions", {"declaration": cad()})
    assert response.json()["errors"][0]["field"] == "/expected_version"
    response = call("post", f"declarations/{number}/versions", {"expected_version": 1})
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "invalid"
    response = call(
        "post",
        f"declarations/{number}/versions",
        {"expected_version": 1, "declaration": cad(importer="123456782RM0002")},
    )
    assert response.json()["errors"][0]["code"] == "importer_changed"


@pytest.mark.parametrize("query", [{"status": "lost"}, {"released_from": "yesterday"}, {"released_to": "2025-13-01"}])
def test_bad_list_filters_are_400(call, query):
    response = call("get", "declarations", query)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] in query


def test_the_list_filters(call, api, alice):
    call("post", "declarations", cad())
    api(alice)("post", "declarations", cad(importer="123456782RM0002"))
    mine = api(alice)
    assert len(mine("get", "declarations").json()["results"]) == 2
    assert len(mine("get", "declarations", {"submitted_by": "123026635"}).json()["results"]) == 1
    assert len(mine("get", "declarations", {"program_account": "123456782RM0002"}).json()["results"]) == 1
    same_day = {"status": "accepted", "released_from": "2025-01-03", "released_to": "2025-01-03"}
    assert len(mine("get", "declarations", same_day).json()["results"]) == 2
    assert mine("get", "declarations", {"released_from": "2025-01-04"}).json()["results"] == []


@pytest.mark.parametrize(
    ("version", "code"),
    [
        (2**63, "max_value"),  # beyond PostgreSQL's bigint: never sent to the database
        (2**31, "max_value"),  # beyond the version column (integer)
        ("2" * 30, "max_value"),
        (0, "min_value"),
        (-(2**63) - 1, "min_value"),
        (1.5, "invalid"),
        (True, "invalid"),
    ],
)
@pytest.mark.parametrize("action", ["versions", "withdraw"])
def test_an_expected_version_no_version_can_have_is_a_400_on_the_field(call, action, version, code):
    number = call("post", "declarations", cad()).json()["transaction_number"]
    body = {"expected_version": version, "declaration": cad(), "reason": "Returned"}
    response = call("post", f"declarations/{number}/{action}", body)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["errors"] == [{"field": "/expected_version", "code": code, "message": ANY}]
    assert DeclarationVersion.objects.count() == 1 and Declaration.objects.get().status != "withdrawn"
