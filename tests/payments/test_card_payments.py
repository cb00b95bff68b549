"""Paying by card through the sandbox gateway: the balance, the amount due or chosen transactions, for
one or several accounts; allocation oldest due first unless chosen; over-payment stays a credit."""

import pytest
from django.core.exceptions import ValidationError

from ledger.models import Allocation, LedgerEntry
from payments.models import Payment, SandboxCharge, Status

from .conftest import DECLINE, INSUFFICIENT, N2, THREE_DS, N, balance, card, lines, pay


def test_paying_the_full_balance_posts_one_credit_and_clears_the_debits(bam, owed, rm0001):
    payment = pay(bam, (N, "balance"))
    assert payment.status == Status.COMPLETED and payment.amount == 350
    line = payment.lines.get()
    assert line.entry.amount == -350 and line.entry.reference == payment.reference
    assert balance(rm0001) == 0
    assert sorted(a.amount for a in Allocation.objects.filter(credit=line.entry)) == [100, 250]
    assert SandboxCharge.objects.get().status == "captured"


def test_a_partial_payment_clears_the_oldest_due_first(bam, owed, rm0001):
    old, new = owed
    payment = pay(bam, (N, "amount", "120.00"))
    allocations = {a.debit_id: a.amount for a in Allocation.objects.filter(credit=payment.lines.get().entry)}
    assert allocations == {old.pk: 100, new.pk: 20}


def test_chosen_transactions_are_cleared_even_when_not_the_oldest(bam, owed, rm0001):
    old, new = owed
    payment = pay(bam, (N, "transactions", None, [new.pk]))
    assert payment.amount == 250
    assert [(a.debit_id, a.amount) for a in Allocation.objects.filter(credit=payment.lines.get().entry)] == [
        (new.pk, 250)
    ]
    assert balance(rm0001) == 100


def test_an_over_payment_stays_as_a_credit(bam, owed, rm0001):
    pay(bam, (N, "amount", "400.00"))
    assert balance(rm0001) == -50


def test_several_accounts_are_paid_with_one_charge(bam, owed, rm0001, rm0002):
    from tests.ledger.factories import post

    post(rm0002, amount="80.00")
    payment = pay(bam, (N, "balance"), (N2, "balance"))
    assert payment.amount == 430 and SandboxCharge.objects.count() == 1
    assert balance(rm0001) == 0 and balance(rm0002) == 0


def test_a_declined_card_posts_nothing(bam, owed, rm0001):
    for number, code in [(DECLINE, "card_declined"), (INSUFFICIENT, "insufficient_funds")]:
        payment = pay(bam, (N, "balance"), number=number, key=number)
        assert payment.status == Status.DECLINED and payment.failure_code == code
    assert not LedgerEntry.objects.filter(entry_type="payment").exists()


def test_3d_secure_waits_for_the_cardholder_then_posts(bam, owed, rm0001):
    from payments import services

    payment = pay(bam, (N, "balance"), number=THREE_DS)
    assert payment.status == Status.REQUIRES_ACTION and balance(rm0001) == 350
    assert services.authenticate(payment).status == Status.COMPLETED
    assert balance(rm0001) == 0


def test_the_amount_limits_of_the_gateway_decline(bam, owed, rm0001, settings):
    settings.CARM_SANDBOX_CARD_LIMIT = 300
    over = pay(bam, (N, "balance"), key="over")
    under = pay(bam, (N, "amount", "0.50"), key="under")  # the sandbox charges $1.00 at least
    assert [over.failure_code, under.failure_code] == ["amount_limit", "amount_limit"]
    assert over.status == under.status == Status.DECLINED and balance(rm0001) == 350


def test_only_token_brand_last4_and_expiry_are_stored(bam, owed):
    payment = pay(bam, (N, "balance"))
    assert payment.card_brand == "Visa" and payment.card_last4 == "4242" and payment.card_token.startswith("tok_")
    stored = Payment.objects.filter(pk=payment.pk).values().get()
    assert not any("4242424242424242" in str(value) for value in stored.values())
    # The security code (123) is no stored value; a random token or timestamp may contain those digits.
    assert "123" not in {str(value) for value in stored.values()}
    assert not [name for name in stored if "cvv" in name or "cvc" in name or "card_number" in name]


@pytest.mark.parametrize(
    "row, code",
    [
        ((N, "amount", "0.00"), "not_positive"),
        ((N, "amount", "-5.00"), "not_positive"),
        ((N, "amount", "1350.01"), "over_limit"),  # owed 350 + margin 1000
        ((N, "transactions", None, []), "no_choice"),
        ((N, "amount", "1.001"), "not_cents"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_error(bam, owed, row, code):
    with pytest.raises(ValidationError) as error:
        lines(bam, row)
    assert error.value.code == code
    assert not Payment.objects.exists()


def test_the_margin_is_configurable(bam, owed, settings):
    settings.CARM_PAYMENT_MARGIN = 0
    with pytest.raises(ValidationError):
        lines(bam, (N, "amount", "350.01"))
    assert lines(bam, (N, "amount", "350.00"))[0].amount == 350


def test_nothing_owing_cannot_be_paid_as_a_balance(bam, rm0001):
    with pytest.raises(ValidationError) as error:
        lines(bam, (N, "balance"))
    assert error.value.code == "not_positive"


@pytest.mark.parametrize(
    "number, month, year, code",
    [
        ("4242424242424241", 12, 2099, "invalid_card"),
        ("4242 4242", 12, 2099, "invalid_card"),
        ("4242424242424242", 1, 2020, "expired_card"),
        ("4242424242424242", 13, 2099, "expired_card"),
    ],
)
def test_bad_cards_are_refused_before_the_gateway_charges(number, month, year, code):
    from payments.gateways import gateway

    with pytest.raises(ValidationError) as error:
        gateway().tokenize(number, month, year, "123")
    assert error.value.code == code


def test_an_unknown_card_number_is_declined_by_the_sandbox(bam, owed):
    payment = pay(bam, (N, "balance"), number="4111111111111111")
    assert payment.status == Status.DECLINED and payment.failure_code == "unknown_test_card"
    assert card("4111111111111111").brand == "Visa"
