"""Cash deposits paid online through the payments app (issue 19 item 3): by card, within the card limit
of $4,999.99 per billing cycle per account that counts deposits and debts alike (CARM Bulletin 5408),
or by pre-authorized debit; held as security once paid, never a ledger credit; a PAD returned NSF
leaves the deposit awaiting payment again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ledger.models import EntryType, LedgerEntry
from payments import services as payments
from payments.models import PaymentLine, Status
from security import services
from security.models import DepositStatus, SecurityEvent
from tests.ledger.factories import post
from tests.payments.conftest import DECLINE, N, agreement, card, rows


def tomorrow():
    """Read when a test runs (a run crossing midnight in Toronto must not debit "today")."""
    return timezone.localdate() + dt.timedelta(days=1)


def _pay(who, deposit, key="dep-1", number=None):
    return services.pay_deposit(who, deposit, key=key, card=card(number) if number else card())


def test_a_deposit_paid_by_card_is_held_and_posts_nothing_to_the_ledger(alice, rm0001):
    deposit = services.open_deposit(alice, rm0001, "3000.00")
    payment, created = _pay(alice, deposit)
    deposit.refresh_from_db()
    assert created and payment.status == Status.COMPLETED
    assert deposit.status == DepositStatus.HELD and deposit.reference == payment.reference
    assert services.posted(rm0001).cash == Decimal("3000.00")
    assert not LedgerEntry.objects.filter(program_account=rm0001).exists()
    assert payment.lines.get().kind == PaymentLine.Kind.DEPOSIT
    assert SecurityEvent.objects.filter(deposit=deposit, kind="deposit_held").exists()
    again, created = _pay(alice, deposit)  # the same key: the same payment, nothing charged twice
    assert again == payment and not created


def test_the_card_limit_counts_deposits(alice, rm0001):
    post(rm0001, EntryType.ASSESSMENT, "2000.00", day=dt.date(2025, 10, 20))
    _pay(alice, services.open_deposit(alice, rm0001, "4000.00"))
    assert payments.card_limit(rm0001).left == Decimal("999.99")
    with pytest.raises(ValidationError) as refused:  # a debt paid by card after the deposit
        payments.request_payment(alice, rows((N, "amount", Decimal("1000.00"))), key="debt", card=card())
    assert refused.value.code == "card_limit"
    with pytest.raises(ValidationError) as refused:  # and a second deposit
        _pay(alice, services.open_deposit(alice, rm0001, "1000.00"), key="dep-2")
    assert refused.value.code == "card_limit" and "$999.99 is left" in refused.value.messages[0]


def test_a_declined_card_leaves_the_deposit_awaiting_payment(alice, rm0001):
    deposit = services.open_deposit(alice, rm0001, "500.00")
    payment, _ = _pay(alice, deposit, number=DECLINE)
    deposit.refresh_from_db()
    assert payment.status == Status.DECLINED and deposit.status == DepositStatus.AWAITING_PAYMENT
    assert services.posted(rm0001).cash == 0
    _pay(alice, deposit, key="dep-retry")  # another card, another try
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.HELD


def test_a_deposit_by_pad_is_held_on_its_date_and_a_returned_debit_unholds_it(alice, rm0001):
    deposit = services.open_deposit(alice, rm0001, "8000.00")  # over the card limit: PAD has none
    pad = agreement(alice, rm0001)
    payment, _ = services.pay_deposit(alice, deposit, key="pad", agreement=pad, debit_date=tomorrow())
    deposit.refresh_from_db()
    assert payment.status == Status.SCHEDULED and deposit.status == DepositStatus.AWAITING_PAYMENT
    [paid] = payments.submit_due_pads(tomorrow())
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.HELD and services.posted(rm0001).cash == Decimal("8000.00")
    payments.settle_pad(paid, "nsf", tomorrow() + dt.timedelta(days=2))
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.AWAITING_PAYMENT and services.posted(rm0001).cash == 0
    assert SecurityEvent.objects.filter(deposit=deposit, kind="deposit_returned").exists()
    assert not LedgerEntry.objects.filter(program_account=rm0001).exists()


def test_a_held_deposit_is_not_paid_again_and_deposits_are_not_on_the_pay_page(alice, rm0001):
    deposit = services.open_deposit(alice, rm0001, "100.00")
    _pay(alice, deposit)
    deposit.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _pay(alice, deposit, key="dep-again")
    assert refused.value.code == "not_awaiting_payment"
    with pytest.raises(ValidationError) as refused:  # a payer cannot make a deposit line of its own
        payments.request_payment(alice, rows((N, "deposit", Decimal("100.00"))), key="forged", card=card())
    assert refused.value.code == "bad_kind"


def test_someone_who_may_not_pay_the_account_cannot_pay_its_deposit(alice, charlie, rm0001):
    deposit = services.open_deposit(alice, rm0001, "100.00")
    with pytest.raises(Exception) as refused:
        _pay(charlie, deposit)
    assert refused.type.__name__ == "PermissionDenied"


def test_the_portal_pays_a_deposit_by_card_in_both_languages_and_refuses_over_the_limit(client, alice, rm0001):
    client.force_login(alice)
    deposit = services.open_deposit(alice, rm0001, "6000.00")
    page = f"/en/security/{rm0001.number}/"
    assert f"/en/security/{rm0001.number}/deposits/{deposit.pk}/pay/" in client.get(page).content.decode()
    french = client.get(f"/fr/security/{rm0001.number}/deposits/{deposit.pk}/pay/").content.decode()
    assert "Payer un dépôt en espèces" in french and "dépôts de garantie compris" in french
    form = {
        "key": "page-1",
        "card-name": "Alice Tremblay",
        "card-number": "4242424242424242",
        "card-expiry": f"12/{(timezone.localdate().year + 2) % 100:02d}",
        "card-cvv": "123",
    }
    refused = client.post(f"/en/security/{rm0001.number}/deposits/{deposit.pk}/pay/", form)
    assert refused.status_code == 200 and "limited to $4,999.99" in refused.content.decode()
    smaller = services.open_deposit(alice, rm0001, "4000.00")
    paid = client.post(f"/en/security/{rm0001.number}/deposits/{smaller.pk}/pay/", {**form, "key": "page-2"})
    smaller.refresh_from_db()
    assert paid.status_code == 302 and smaller.status == DepositStatus.HELD
    assert paid["Location"] == f"/en/payments/{smaller.reference}/"


# The API: open a deposit, pay it with an Idempotency-Key, list it (issue 19 item 7) ---------------------

CARD = {"number": "4242424242424242", "expiry_month": 12, "expiry_year": timezone.localdate().year + 2, "cvv": "123"}


def _pay_by_api(client, pk, body, key="api-dep-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"/api/v1/security/deposits/{pk}/pay", body, content_type="application/json", **headers)


def test_the_api_opens_a_deposit_and_pays_it_once_per_idempotency_key(client, alice, rm0001):
    client.force_login(alice)
    opened = client.post(
        "/api/v1/security/deposits", {"account": N, "amount": "1500.00"}, content_type="application/json"
    )
    assert opened.status_code == 201 and opened.json()["status"] == DepositStatus.AWAITING_PAYMENT
    pk = opened.json()["id"]
    first, again = (
        _pay_by_api(client, pk, {"method": "card", "card": CARD}),
        _pay_by_api(client, pk, {"method": "card", "card": CARD}),
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"] and first.json()["status"] == "completed"
    [listed] = client.get("/api/v1/security/deposits").json()
    assert listed["status"] == DepositStatus.HELD and listed["reference"] == first.json()["reference"]
    assert services.posted(rm0001).cash == Decimal("1500.00")


@pytest.mark.parametrize(
    "body, key, field, code",
    [
        ({"method": "card", "card": CARD}, None, None, "no_key"),
        ({"method": "card"}, "k", "card", "required"),
        ({"method": "card", "card": {**CARD, "number": "4242424242424241"}}, "k", "card.number", "invalid_card"),
        ({"method": "cheque"}, "k", "method", "invalid_choice"),
    ],
)
def test_the_deposit_api_answers_bad_input_with_structured_errors(client, alice, rm0001, body, key, field, code):
    deposit = services.open_deposit(alice, rm0001, "500.00")
    client.force_login(alice)
    response = _pay_by_api(client, deposit.pk, body, key=key)
    [error] = response.json()["errors"]
    assert response.status_code == 400 and (error["field"], error["code"]) == (field, code)
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.AWAITING_PAYMENT


def test_a_deposit_out_of_reach_is_a_404_and_an_account_not_payable_opens_none(client, alice, rm0001, bob):
    deposit = services.open_deposit(alice, rm0001, "500.00")
    client.force_login(bob)
    assert _pay_by_api(client, deposit.pk, {"method": "card", "card": CARD}).status_code == 404
    opened = client.post(
        "/api/v1/security/deposits", {"account": N, "amount": "10.00"}, content_type="application/json"
    )
    assert opened.status_code == 404 and client.get("/api/v1/security/deposits").json() == []
