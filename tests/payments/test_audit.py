"""Every payment, failure, PAD agreement and import is in the audit trail, with who acted for whom."""

from audit.models import AuditEntry
from tests.delegation.conftest import bob, northern, relate  # noqa: F401  (fixtures)

from .conftest import DECLINE, TIMEOUT, N, pay


def _actions():
    return list(AuditEntry.objects.filter(action__startswith="payments.").values_list("action", flat=True))


def test_a_payment_and_its_failures_are_audited(bam, owed):
    from payments import services

    pay(bam, (N, "amount", "10.00"), key="ok")
    pay(bam, (N, "amount", "10.00"), number=DECLINE, key="declined")
    pay(bam, (N, "amount", "10.00"), number=TIMEOUT, key="timeout")
    services.reconcile_pending()
    actions = _actions()
    assert actions.count("payments.requested") == 3
    assert actions.count("payments.completed") == 2  # the card approved, and the time-out once reconciled
    assert "payments.declined" in actions and "payments.pending" in actions and "payments.reconciled" in actions
    entry = AuditEntry.objects.filter(action="payments.completed").first()
    assert entry.actor == bam and entry.actor_business == "123456782" and entry.after["amount"] == "10.00"


def test_a_brokers_payment_names_the_broker_and_the_client(relate, bob, owed):  # noqa: F811
    relate(person=bob, allows_payments=True)
    pay(bob, (N, "amount", "10.00"))
    entry = AuditEntry.objects.get(action="payments.requested")
    assert (entry.actor, entry.actor_business, entry.acting_for_business) == (bob, "123026635", "123456782")


def test_officers_read_payments_in_the_admin_and_publish_agreement_texts(client, olivia, bam, owed):
    from django.contrib.auth.models import Permission

    from .conftest import agreement

    olivia.user_permissions.add(*Permission.objects.filter(content_type__app_label="payments"))
    client.force_login(olivia)
    payment = pay(bam, (N, "amount", "10.00"))
    pad = agreement(bam, owed[0].program_account, account_number="7654321")
    for model in ["payment", "padagreement", "remittanceimport"]:
        assert client.get(f"/en/admin/payments/{model}/").status_code == 200, model
        assert client.get(f"/en/admin/payments/{model}/add/").status_code == 403, model
    page = client.get(f"/en/admin/payments/payment/{payment.pk}/change/").content.decode()
    assert payment.reference in page and payment.card_token not in page
    assert "7654321" not in client.get(f"/en/admin/payments/padagreement/{pad.pk}/change/").content.decode()
    assert client.get("/en/admin/payments/padagreementtext/add/").status_code == 200
    text = pad.agreement_text
    assert client.post(f"/en/admin/payments/padagreementtext/{text.pk}/change/", {"version": 9}).status_code == 403
