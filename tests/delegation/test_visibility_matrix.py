"""The authorization matrix of account-level documents and payments for every visibility setting of a
relationship (the importer's visibility rules), on pages (HTML, CSV, PDF) and the API. The rule
(README, delegation): statements, daily notices and balances add up every record of the account, so a
provider sees them only when it sees every category of records; a payment is a record of the business
that made it, seen when the importer shows the provider that category."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from ledger import statements
from ledger.models import DailyNotice, Statement
from payments.models import Payment
from tests.ledger.factories import post
from tests.payments.conftest import pay

from .conftest import days

N = "123456782RM0001"
SETTINGS = list(itertools.product([True, False], repeat=3))


@pytest.fixture
def documents(rm0001):
    """RM0001: a statement for the period ending 17 March 2025, and today's daily notice."""
    post(rm0001, amount="700.00", day=dt.date(2025, 3, 10))
    statements.close_period(dt.date(2025, 3, 17), accounts=[rm0001])
    post(rm0001, amount="300.00", day=dt.date(2025, 3, 20))
    statements.daily_notices(timezone.localdate())
    return Statement.objects.get(program_account=rm0001), DailyNotice.objects.get(program_account=rm0001)


@pytest.fixture
def payments_by_each(documents, relate, brenda, alice, bob, tidewater, tina):
    """A payment of the importer (Alice), of another provider (Tidewater's Tina), and of Northern's
    Brenda, who works on Maple under a relationship allowing payments and seeing every record (the
    tests then narrow it)."""
    from delegation import services

    relationship = relate("business", person=brenda, allows_payments=True)
    other = services.approve(
        alice, services.request_relationship(tina, tidewater, "123456782", scope="business"), allows_payments=True
    )
    services.assign(tina, other, "editor", user=tina)
    made = {
        "importer": pay(alice, (N, "amount", "10.00"), key="alice"),
        "provider": pay(brenda, (N, "amount", "20.00"), key="brenda"),
        "others": pay(tina, (N, "amount", "30.00"), key="tina"),
    }
    return relationship, made


@pytest.mark.parametrize("sees_provider, sees_importer, sees_others", SETTINGS)
def test_a_provider_sees_account_documents_only_when_it_sees_every_record_and_payments_by_category(
    sees_provider, sees_importer, sees_others, payments_by_each, documents, client, api, brenda, alice
):
    from delegation import services
    from tests.conftest import sign_in

    relationship, made = payments_by_each
    services.change_terms(
        alice,
        relationship,
        sees_provider=sees_provider,
        sees_importer=sees_importer,
        sees_others=sees_others,
        expires_on=days(300),
    )
    statement, notice = documents
    whole = sees_provider and sees_importer and sees_others
    shown = {"provider": sees_provider, "importer": sees_importer, "others": sees_others}
    call = api(brenda)
    sign_in(client, brenda)
    ok_or_404 = 200 if whole else 404

    # statements and daily notices: pages (HTML, CSV, PDF) and API
    base = f"/en/ledger/{N}"
    listing = client.get(f"{base}/statements/").content.decode()
    assert (f"/statements/{statement.pk}/" in listing) is whole
    assert client.get(f"{base}/statements/{statement.pk}/").status_code == ok_or_404
    assert client.get(f"{base}/statements/{statement.pk}/", {"format": "csv"}).status_code == ok_or_404
    if not whole:  # rendering the PDF once (the allowed case, below) is enough
        assert client.get(f"{base}/statements/{statement.pk}/", {"format": "pdf"}).status_code == 404
    notices = client.get(f"{base}/notices/").content.decode()
    assert (f"/notices/{notice.day.isoformat()}/" in notices) is whole
    assert client.get(f"{base}/notices/{notice.day.isoformat()}/").status_code == ok_or_404
    assert client.get(f"{base}/notices/{notice.day.isoformat()}/", {"format": "csv"}).status_code == ok_or_404
    assert len(call("get", "ledger/statements").json()["results"]) == (1 if whole else 0)
    assert call("get", f"ledger/statements/{statement.pk}").status_code == ok_or_404
    balances = [row["program_account"] for row in call("get", "ledger/balances").json()["results"]]
    assert (N in balances) is whole
    assert ("Balance (positive: you owe)" in client.get(f"{base}/").content.decode()) is whole

    # payments: list, detail and receipt (page, PDF), on pages and the API
    listed = {row["reference"] for row in call("get", "payments").json()["results"]}
    page = client.get("/en/payments/").content.decode()
    for category, payment in made.items():
        expected = shown[category]
        assert (payment.reference in listed) is expected, category
        assert (payment.reference in page) is expected, category
        status = 200 if expected else 404
        assert call("get", f"payments/{payment.reference}").status_code == status, category
        assert client.get(f"/en/payments/{payment.reference}/").status_code == status, category
    assert client.get(f"/en/payments/{made['importer'].reference}/", {"format": "pdf"}).status_code == (
        200 if sees_importer else 404
    )


def test_the_statement_pdf_is_served_to_a_provider_seeing_every_record(documents, relate, brenda, client):
    from tests.conftest import sign_in

    relate("business", person=brenda)
    statement, _notice = documents
    sign_in(client, brenda)
    response = client.get(f"/en/ledger/{N}/statements/{statement.pk}/", {"format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_provider_payment_is_a_record_of_its_business_in_the_ledger(payments_by_each, northern):
    _relationship, made = payments_by_each
    payment = Payment.objects.get(pk=made["provider"].pk)
    assert payment.submitted_by_business == northern
    assert payment.lines.get().entry.submitted_by_business == northern


def test_a_limited_provider_cannot_pay_by_the_hidden_balance(payments_by_each, alice, brenda):
    from django.core.exceptions import ValidationError

    from delegation import services

    relationship, _made = payments_by_each
    services.change_terms(alice, relationship, sees_importer=False)
    with pytest.raises(ValidationError) as refused:
        pay(brenda, (N, "balance"), key="brenda-2")
    assert refused.value.code == "totals_hidden"
    with pytest.raises(ValidationError) as refused:
        pay(brenda, (N, "amount", "99999.00"), key="brenda-3")
    assert refused.value.code == "over_limit" and "99999" not in refused.value.messages[0]
    assert "1000" not in refused.value.messages[0]


def test_a_payment_shows_a_provider_only_its_lines_on_the_accounts_the_provider_may_see(
    documents, relate, brenda, alice, client, api
):
    """Alice pays RM0001 and RM0002 at once; Brenda's relationship covers RM0001 only: the receipt, the
    list and the API show her the RM0001 line, never what was paid on RM0002."""
    from tests.conftest import sign_in

    relate("program", accounts=[N], person=brenda, sees_importer=True)
    payment = pay(alice, (N, "amount", "10.00"), ("123456782RM0002", "amount", "25.00"), key="both")
    sign_in(client, brenda)
    receipt = client.get(f"/en/payments/{payment.reference}/").content.decode()
    listed = client.get("/en/payments/").content.decode()
    body = api(brenda)("get", f"payments/{payment.reference}").json()

    assert N in receipt and "123456782RM0002" not in receipt
    assert payment.reference in listed and "123456782RM0002" not in listed
    assert [line["program_account"] for line in body["lines"]] == [N]
