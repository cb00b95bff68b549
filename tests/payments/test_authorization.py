"""Who may pay: BAM, PAM and Editor of the account; a broker's employee only when the relationship allows
payments; never a Reader, an outsider, or another business. Nobody pays into another business's view of
the ledger: accounts and chosen transactions come through the rights kernel, and receipts stay private."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from payments.models import PadAgreement, Payment
from tests.delegation.conftest import bob, northern, relate  # noqa: F401  (fixtures)

from .conftest import N, bank_details, pay

PAYERS = ["bam", "pam", "editor"]
NOT_PAYERS = ["reader", "orphan", "other_business_user"]


@pytest.mark.parametrize("persona", PAYERS)
def test_bam_pam_and_editor_pay(request, owed, persona):
    assert pay(request.getfixturevalue(persona), (N, "amount", "10.00")).status == "completed"


@pytest.mark.parametrize("persona", NOT_PAYERS)
def test_reader_outsider_and_other_business_cannot_pay(request, client, owed, persona):
    who = request.getfixturevalue(persona)
    with pytest.raises(ValidationError) as error:
        pay(who, (N, "balance"))
    assert error.value.code == "not_payable"
    assert AuditEntry.objects.filter(action="access.denied", after__action="pay").exists()
    client.force_login(who)
    assert client.get(f"/en/payments/pay/?account={N}").status_code == 403
    response = client.post(
        "/api/v1/payments",
        {
            "method": "card",
            "lines": [{"program_account": N, "pay": "balance"}],
            "card": {"number": "4242424242424242", "expiry_month": 12, "expiry_year": 2099, "cvv": "123"},
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="x",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "not_payable"
    assert not Payment.objects.exists()


def test_a_reader_sees_no_pay_button(client, reader, owed):
    client.force_login(reader)
    assert "/payments/pay/" not in client.get(f"/en/ledger/{N}/").content.decode()


def test_a_broker_pays_only_when_the_relationship_allows_payments(relate, bob, owed):  # noqa: F811
    relationship = relate(person=bob, allows_payments=False)
    with pytest.raises(ValidationError):
        pay(bob, (N, "balance"))
    relationship.allows_payments = True
    relationship.save()
    assert pay(bob, (N, "amount", "10.00")).status == "completed"


def test_a_broker_cannot_choose_transactions_outside_its_view(relate, bob, owed, maple):  # noqa: F811
    """The importer shows the broker only the records the broker submitted: the importer's own
    (submitted by nobody here) cannot be chosen."""
    relate(person=bob, allows_payments=True, sees_importer=False, sees_others=False)
    old, _new = owed
    with pytest.raises(ValidationError) as error:
        pay(bob, (N, "transactions", None, [old.pk]))
    assert error.value.code == "bad_transactions"


def test_transactions_of_another_account_cannot_be_chosen(bam, owed, maple):
    from tests.ledger.factories import post

    other = post(maple.program_accounts.get(number="123456782RM0002"), amount="40.00")
    with pytest.raises(ValidationError) as error:
        pay(bam, (N, "transactions", None, [other.pk]))
    assert error.value.code == "bad_transactions"


def test_receipts_are_private_to_those_who_may_view_the_account(client, bam, reader, other_business_user, owed):
    payment = pay(bam, (N, "balance"))
    client.force_login(reader)  # reads the account: sees its payments, may not pay
    assert client.get(f"/en/payments/{payment.reference}/").status_code == 200
    client.force_login(other_business_user)
    assert client.get(f"/en/payments/{payment.reference}/").status_code == 404
    assert client.get(f"/en/payments/{payment.reference}/?format=pdf").status_code == 404
    assert client.get(f"/api/v1/payments/{payment.reference}").status_code == 404
    assert client.get("/api/v1/payments").json()["count"] == 0


def test_only_the_payer_confirms_3d_secure(client, bam, pam, owed):
    payment = pay(bam, (N, "balance"), number="4000000000003220")
    client.force_login(pam)
    assert client.post(f"/en/payments/{payment.reference}/authenticate/").status_code == 404
    payment.refresh_from_db()
    assert payment.status == "requires_action"


@pytest.mark.parametrize("persona, status", [("editor", 403), ("reader", 404), ("other_business_user", 404)])
def test_only_bam_and_pam_set_up_pad_agreements(request, client, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/en/payments/pad/{N}/", bank_details(accept="on"))
    assert response.status_code == status
    api = client.post(
        "/api/v1/payments/pad-agreements",
        bank_details(program_account=N, accept=True),
        content_type="application/json",
    )
    assert api.status_code == 404
    assert not PadAgreement.objects.exists()
