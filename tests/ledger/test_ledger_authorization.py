"""Reader sees and cannot act; other businesses see nothing (pages, API, lists); officers decide refunds."""

import datetime as dt

import pytest

from ledger import statements
from ledger.models import RefundRequest
from portal.templatetags.portal import money

from .factories import post

N = "123456782RM0001"


@pytest.fixture
def history(rm0001):
    post(rm0001, amount="100.00", day=dt.date(2025, 3, 20), transaction_number="12345678901234")
    post(rm0001, "payment", "-150.00", day=dt.date(2025, 3, 21))
    statement = statements.close_period(dt.date(2025, 4, 17))[0]
    statements.daily_notices(dt.date.today())
    return statement


def _pages(statement):
    return [
        f"/en/ledger/{N}/",
        f"/en/ledger/{N}/transactions/",
        f"/en/ledger/{N}/transactions/?format=csv",
        f"/en/ledger/{N}/statements/",
        f"/en/ledger/{N}/statements/{statement.pk}/",
        f"/en/ledger/{N}/statements/{statement.pk}/?format=csv",
        f"/en/ledger/{N}/notices/",
        f"/fr/ledger/{N}/transactions/",
    ]


@pytest.mark.parametrize(
    "persona, status", [("bam", 200), ("reader", 200), ("other_business_user", 404), ("orphan", 404)]
)
def test_pages_open_to_those_who_may_view_and_hide_from_others(client, request, history, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for url in _pages(history):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("persona, visible", [("reader", True), ("other_business_user", False), ("orphan", False)])
def test_the_api_lists_only_what_the_caller_may_view(client, request, history, persona, visible):
    client.force_login(request.getfixturevalue(persona))
    for url in ["/api/v1/ledger/entries", "/api/v1/ledger/balances", "/api/v1/ledger/statements"]:
        assert (len(client.get(url).json()["results"]) > 0) == visible, url
    assert client.get(f"/api/v1/ledger/statements/{history.pk}").status_code == (200 if visible else 404)


def test_the_api_filters_entries(client, bam, history):
    client.force_login(bam)
    rows = client.get("/api/v1/ledger/entries?entry_type=payment").json()["results"]
    assert [row["amount"] for row in rows] == ["-150.00"]
    assert client.get("/api/v1/ledger/entries?date_from=nope").status_code == 400


def test_a_reader_cannot_request_a_refund_or_change_the_preference(client, reader, history):
    client.force_login(reader)
    assert client.post(f"/en/ledger/{N}/", {"amount": "10.00"}).status_code == 404
    assert client.post(f"/en/ledger/{N}/", {"offsetting_preference": "hold_for_refund"}).status_code == 404
    assert not RefundRequest.objects.exists()


@pytest.mark.parametrize(
    "lang, amount, error",
    [
        ("en", "0.00", "The amount must not be zero."),
        ("en", "-5.00", "The amount of a refund must be positive."),
        ("fr", "-5,00", "Le montant d’un remboursement doit être positif."),
    ],
)
def test_a_refund_of_zero_or_less_is_refused_on_the_page_in_its_language(client, bam, history, lang, amount, error):
    client.force_login(bam)
    page = client.post(f"/{lang}/ledger/{N}/", {"amount": amount})
    assert page.status_code == 200
    assert error in page.content.decode()
    assert not RefundRequest.objects.exists()


def test_a_refund_is_requested_by_the_bam_and_approved_by_an_officer(client, bam, olivia, history):
    client.force_login(bam)
    assert client.post(f"/en/ledger/{N}/", {"amount": "60.00"}).status_code == 200  # more than the credit
    assert client.post(f"/en/ledger/{N}/", {"amount": "50.00"}).status_code == 302
    refund = RefundRequest.objects.get()
    assert client.get("/en/ledger/refunds/").status_code == 403
    client.force_login(olivia)
    page = client.get("/en/ledger/refunds/")
    assert page.status_code == 200
    # the officer decides seeing the account's balance and a way to its history
    balance = refund.program_account.ledger.balance
    html = page.content.decode()
    assert f"/en/ledger/{N}/transactions/" in html, html[html.find("<table") :][:1500]
    assert money(balance) in html
    client.post(f"/en/ledger/refunds/{refund.pk}/decide/", {"decision": "approve"})
    refund.refresh_from_db()
    assert refund.status == "approved" and refund.entry.amount == 50
    refund.program_account.ledger.refresh_from_db()
    assert refund.program_account.ledger.balance == 0


def test_the_api_pages_entries_by_keyset_newest_first_without_counting(client, bam, rm0001, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ledger.api import EntryCursor

    monkeypatch.setattr(EntryCursor, "page_size", 2)
    entries = [post(rm0001, day=dt.date(2025, 3, day)) for day in (20, 20, 21, 22, 22)]
    client.force_login(bam)
    url, seen = "/api/v1/ledger/entries", []
    while url:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).json()
        assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    newest_first = sorted(entries, key=lambda e: (e.effective_date, e.pk), reverse=True)
    assert seen == [e.pk for e in newest_first]
    post(rm0001, day=dt.date(2025, 3, 23))  # a new entry does not shift the pages after the first
    second = client.get(f"/api/v1/ledger/entries?cursor=2025-03-22.{newest_first[1].pk}").json()
    assert [row["id"] for row in second["results"]] == [e.pk for e in newest_first[2:4]]


def test_a_malformed_cursor_is_a_structured_400(client, bam, history):
    client.force_login(bam)
    response = client.get("/api/v1/ledger/entries?cursor=yesterday")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "cursor"
