"""EDI personas on top of the declarations ones: Brenda of Northern (123026635), the broker acting for
Maple (123456782); `send(raw)` posts a message with her token narrowed to Northern and runs the
processing the commit triggers; `transport` records pushes instead of sending them."""

import datetime as dt

import pytest

from accounts import services as account_services
from edi import deliveries, wire
from tests.assessment.test_estimate_fixtures import tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import (  # noqa: F401 (fixtures)
    broker,
    cad,
    interest_rate,  # noqa: F401
    line,
    on_day,
)
from tests.delegation.conftest import bob, brenda, northern, relate, tidewater, tina  # noqa: F401 (fixtures)

NORTHERN = "123026635"
TODAY = dt.date(2025, 1, 6)


def message(payload=None, *, reference="ICR-1", function="original", sender=NORTHERN, **envelope):
    return wire.Message(function, reference, sender, wire.clean_payload(payload or cad()), **envelope)


@pytest.fixture
def today(on_day):  # noqa: F811
    on_day(TODAY)


@pytest.fixture
def send(client, broker, tariff_rows, today, django_capture_on_commit_callbacks):  # noqa: F811
    key = account_services.create_api_token(broker, name="broker system", days=30, business_number=NORTHERN)[1]

    def post(raw: bytes, token=key):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/edi/messages", raw, content_type="application/xml",
                                    HTTP_AUTHORIZATION=f"Token {token}")  # fmt: skip
        return response

    post.key = key
    return post


@pytest.fixture
def answer(client, send):
    def get(receipt):
        return client.get(receipt.json()["response_url"], HTTP_AUTHORIZATION=f"Token {send.key}")

    return get


@pytest.fixture
def transport(monkeypatch):
    """Pushes recorded, each answered with the next status in `transport.statuses` (200 when none)."""
    sent = []

    def post(url, body, headers, timeout=10):
        sent.append((url, body, headers))
        return sent_statuses.pop(0) if sent_statuses else 200

    sent_statuses = []
    monkeypatch.setattr(deliveries, "transport", post)
    post.sent, post.statuses = sent, sent_statuses
    return post
