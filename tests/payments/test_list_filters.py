"""The payments list filters (payments.filters.PaymentFilter): the page and the API take the same
names, filter identically and refuse the same bad input, in English and French."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from payments.models import Method, Payment, PaymentLine, Status

from .conftest import N2, N


def made(reference, account, method, status, day, amount):
    payment = Payment.objects.create(
        reference=reference,
        method=method,
        status=status,
        amount=Decimal(amount),
        idempotency_key=reference,
        fingerprint="0" * 64,
        created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30))),
    )
    PaymentLine.objects.create(payment=payment, program_account=account, amount=payment.amount)
    return payment


@pytest.fixture
def payments(maple, rm0001, rm0002):
    made("P250320CARD0001", rm0001, Method.CARD, Status.COMPLETED, dt.date(2025, 3, 20), "100.00")
    made("P250421PAD00002", rm0001, Method.PAD, Status.SCHEDULED, dt.date(2025, 4, 21), "250.00")
    made("P250430CARD0003", rm0002, Method.CARD, Status.DECLINED, dt.date(2025, 4, 30), "75.25")
    made("P250515PAD00004", rm0002, Method.PAD, Status.COMPLETED, dt.date(2025, 5, 15), "1200.00")


def page(client, query):
    response = client.get(f"/en/payments/?{query}")
    assert response.status_code == 200
    return {payment.reference for payment in response.context["payments"]}


def api(client, query):
    response = client.get(f"/api/v1/payments?{query}")
    assert response.status_code == 200, response.json()
    return {payment["reference"] for payment in response.json()["results"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"P250320CARD0001", "P250421PAD00002", "P250430CARD0003", "P250515PAD00004"}),
        ("status=completed", {"P250320CARD0001", "P250515PAD00004"}),
        ("method=pad", {"P250421PAD00002", "P250515PAD00004"}),
        (f"account={N2}", {"P250430CARD0003", "P250515PAD00004"}),
        ("date_from=2025-04-01&date_to=2025-04-30", {"P250421PAD00002", "P250430CARD0003"}),
        (f"method=card&account={N}&status=completed", {"P250320CARD0001"}),
        ("status=&method=", {"P250320CARD0001", "P250421PAD00002", "P250430CARD0003", "P250515PAD00004"}),
    ],
)
def test_the_page_and_the_api_filter_identically(client, bam, payments, query, expected):
    client.force_login(bam)
    assert page(client, query) == api(client, query) == expected


@pytest.mark.parametrize(
    "query, field, code",
    [
        ("status=paid", "status", "invalid_choice"),
        ("method=bitcoin", "method", "invalid_choice"),
        ("account=123026635RM0001", "account", "invalid_choice"),  # Northern's: not Alice's to see
        ("date_from=2025-13-01", "date_from", "invalid"),
        ("date_from=2025-05-01&date_to=2025-04-01", None, "bad_range"),
    ],
)
def test_the_page_and_the_api_refuse_the_same_bad_filters(client, bam, payments, query, field, code):
    client.force_login(bam)
    response = client.get(f"/en/payments/?{query}")
    form = response.context["form"]
    assert response.status_code == 200 and not list(response.context["payments"])
    assert form.has_error(field or "__all__", code)
    errors = client.get(f"/api/v1/payments?{query}").json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [(field, code)]


def test_the_filters_are_labelled_and_refused_in_french(client, bam, payments):
    client.force_login(bam)
    html = client.get("/fr/payments/?date_from=2025-05-01&date_to=2025-04-01").content.decode()
    assert 'label="État"' in html and 'label="Mode"' in html and 'label="Compte de programme"' in html
    assert "La date de début doit être égale ou antérieure à la date de fin." in html
    errors = client.get("/api/v1/payments?date_from=2025-05-01&date_to=2025-04-01", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert errors["errors"][0]["message"] == "La date de début doit être égale ou antérieure à la date de fin."
