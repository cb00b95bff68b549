"""The transaction history filters (ledger.filters.EntryFilter): the account's page and the API take
the same names, filter identically and refuse the same bad input."""

import datetime as dt

import pytest

from .factories import post

N = "123456782RM0001"


@pytest.fixture
def entries(rm0001):
    post(rm0001, amount="100.00", day=dt.date(2025, 3, 3), transaction_number="12345000000017")
    post(rm0001, "payment", "-40.00", day=dt.date(2025, 3, 20))
    post(rm0001, "interest", "1.25", day=dt.date(2025, 4, 2))
    return {"assessment": "100.00", "payment": "-40.00", "interest": "1.25"}


def page(client, query):
    response = client.get(f"/en/ledger/{N}/transactions/?{query}")
    assert response.status_code == 200
    return {str(entry.amount) for entry in response.context["page"].object_list}


def api(client, query):
    response = client.get(f"/api/v1/ledger/entries?{query}")
    assert response.status_code == 200, response.json()
    return {entry["amount"] for entry in response.json()["results"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"assessment", "payment", "interest"}),
        ("entry_type=payment", {"payment"}),
        ("date_from=2025-03-15&date_to=2025-03-31", {"payment"}),
        ("date_from=2025-03-15", {"payment", "interest"}),
        ("transaction_number=12345000000017", {"assessment"}),
        ("entry_type=&date_from=", {"assessment", "payment", "interest"}),
    ],
)
def test_the_page_and_the_api_filter_identically(client, bam, entries, query, expected):
    client.force_login(bam)
    assert page(client, query) == api(client, query) == {entries[kind] for kind in expected}


@pytest.mark.parametrize(
    "query, field, code",
    [
        ("entry_type=gift", "entry_type", "invalid_choice"),
        ("date_from=2025-13-01", "date_from", "invalid"),
        ("date_from=2025-05-01&date_to=2025-04-01", None, "bad_range"),
    ],
)
def test_the_page_and_the_api_refuse_the_same_bad_filters(client, bam, entries, query, field, code):
    client.force_login(bam)
    response = client.get(f"/en/ledger/{N}/transactions/?{query}")
    assert response.status_code == 200 and not response.context["page"].object_list
    assert response.context["form"].has_error(field or "__all__", code)
    errors = client.get(f"/api/v1/ledger/entries?{query}").json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [(field, code)]
