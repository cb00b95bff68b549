"""Credit card payments: at most $4,999.99 per billing cycle (18th-17th) per program account
(CARM Bulletin 5408, effective 28 Sep 2025), refused beyond with a clear message on the page and a
structured error in the API; what is left shows on the pay page, in English and French."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ledger.models import EntryType
from payments import services
from payments.models import Payment
from tests.ledger.factories import post

from .conftest import DECLINE, N2, N, card, rows
from .test_pages_and_api import CARD, _post, card_form


@pytest.fixture
def owes_6000(rm0001):
    return post(rm0001, EntryType.ASSESSMENT, "6000.00", day=dt.date(2025, 10, 20))


def _pay(who, amount, number=N, card_number=None):
    given = card(card_number) if card_number else card()
    return services.request_payment(who, rows((number, "amount", amount)), key=f"k-{amount}-{number}", card=given)[0]


def test_credit_card_payments_are_limited_to_4999_99_per_billing_cycle_per_account(bam, owes_6000, rm0001, rm0002):
    assert services.card_limit(rm0001).left == Decimal("4999.99")
    assert _pay(bam, "3000.00").status == "completed"
    with pytest.raises(ValidationError) as refused:
        _pay(bam, "2000.00")
    assert refused.value.code == "card_limit" and "$1,999.99 is left" in refused.value.messages[0]
    assert _pay(bam, "1999.99").status == "completed"
    assert services.card_limit(rm0001).left == Decimal("0.00")
    assert services.card_limit(rm0002).left == Decimal("4999.99")  # each program account has its own


def test_card_limit_starts_on_28_september_2025_and_runs_18th_to_17th(rm0001):
    assert services.card_limit(rm0001, dt.date(2025, 9, 27)) is None
    assert services.card_limit(rm0001, dt.date(2025, 9, 28)).left == Decimal("4999.99")  # its first day
    limit = services.card_limit(rm0001, dt.date(2025, 10, 17))
    assert (limit.cycle_start, limit.cycle_end) == (dt.date(2025, 9, 18), dt.date(2025, 10, 17))


def test_a_declined_card_does_not_use_the_limit(bam, owes_6000, rm0001):
    assert _pay(bam, "1000.00", card_number=DECLINE).status == "declined"
    assert services.card_limit(rm0001).left == Decimal("4999.99")


def test_pay_page_shows_the_card_limit_left_in_both_languages_and_refuses_more(client, bam, owes_6000):
    client.force_login(bam)
    _pay(bam, "4000.00")
    english = client.get(f"/en/payments/pay/?account={N}").content.decode()
    assert "Credit card limit left until" in english and "$999.99" in english
    french = client.get(f"/fr/payments/pay/?account={N}").content.decode()
    assert "Limite de carte de crédit restante jusqu’au" in french
    page = client.post(f"/en/payments/pay/?account={N}", card_form(**{f"{N}-kind": "amount", f"{N}-amount": "1000.00"}))
    assert page.status_code == 200 and "limited to $4,999.99 per billing cycle" in page.content.decode()
    assert Payment.objects.count() == 1


def test_api_refuses_a_card_payment_over_the_limit_with_a_structured_error(client, bam, owes_6000):
    client.force_login(bam)
    _pay(bam, "4999.00")
    body = {"method": "card", "lines": [{"program_account": N, "pay": "amount", "amount": "1.00"}], "card": CARD}
    response = _post(client, body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["code"] == "card_limit" and N in error["message"] and N2 not in error["message"]


def test_the_card_limit_message_writes_amounts_as_french_does(bam, owes_6000):
    _pay(bam, "3000.00")
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        _pay(bam, "2000.00")
    message = refused.value.messages[0]
    assert "1\u00a0999,99\u00a0$ jusqu" in message and "$1" not in message
