"""The declarations list filters (declarations.filters.DeclarationFilter): the page and the API take
the same names, filter identically and refuse the same bad input."""

import datetime as dt

import pytest

from declarations import services

from .conftest import RM2, cad


@pytest.fixture
def cads(maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    withdrawn = services.submit(alice, cad()).declaration  # RM1, released 3 Jan 2025
    services.withdraw(alice, withdrawn.transaction_number, expected_version=1, reason="Entered twice")
    other = services.submit(alice, cad(importer=RM2, release_date=dt.date(2025, 1, 2))).declaration
    return {"withdrawn": withdrawn.transaction_number, "other": other.transaction_number}


def page(client, query):
    response = client.get(f"/en/declarations/?{query}")
    assert response.status_code == 200
    return {declaration.transaction_number for declaration in response.context["page"]}


def api(client, query):
    response = client.get(f"/api/v1/declarations?{query}")
    assert response.status_code == 200, response.json()
    return {declaration["transaction_number"] for declaration in response.json()["results"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"withdrawn", "other"}),
        ("status=withdrawn", {"withdrawn"}),
        ("status=accepted", {"other"}),
        (f"program_account={RM2}", {"other"}),
        ("released_from=2025-01-03", {"withdrawn"}),
        ("released_to=2025-01-02", {"other"}),
        ("submitted_by=123456782", {"withdrawn", "other"}),
        ("submitted_by=123026635", set()),
        ("status=&program_account=", {"withdrawn", "other"}),
    ],
)
def test_the_page_and_the_api_filter_identically(client, alice, cads, query, expected):
    client.force_login(alice)
    wanted = {cads[name] for name in expected}
    assert page(client, query) == api(client, query) == wanted


def test_the_transaction_number_filter_takes_the_number_as_printed(client, alice, cads):
    client.force_login(alice)
    number = cads["other"]
    spaced = f"{number[:5]} {number[5:]}"
    assert page(client, f"transaction_number={spaced}") == api(client, f"transaction_number={spaced}") == {number}


@pytest.mark.parametrize(
    "query, field, code",
    [
        ("status=lost", "status", "invalid_choice"),
        ("program_account=123026635RM0001", "program_account", "invalid_choice"),  # not Alice's to see
        ("released_from=2025-13-01", "released_from", "invalid"),
        ("released_from=2025-02-01&released_to=2025-01-01", None, "bad_range"),
    ],
)
def test_the_page_and_the_api_refuse_the_same_bad_filters(client, alice, cads, query, field, code):
    client.force_login(alice)
    response = client.get(f"/en/declarations/?{query}")
    assert response.status_code == 200 and not list(response.context["page"])
    assert response.context["form"].has_error(field or "__all__", code)
    errors = client.get(f"/api/v1/declarations?{query}").json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [(field, code)]
