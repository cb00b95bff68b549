"""Never twice, never lost: the same idempotency key charges once (also two requests at the same moment,
on PostgreSQL), and every fault between the gateway and the ledger ends consistent after reconciliation:
money charged ⇔ ledger credited, exactly once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection

from ledger.models import LedgerEntry
from payments import services
from payments.gateways import GatewayError, SandboxGateway
from payments.models import Payment, SandboxCharge, Status

from .conftest import APPROVE, THREE_DS, TIMEOUT, N, balance, card, pay, rows


def assert_consistent():
    """Each payment: captured at the gateway exactly when its credits are in the ledger, once."""
    for payment in Payment.objects.all():
        charge = SandboxCharge.objects.filter(idempotency_key=payment.reference).first()
        credits = LedgerEntry.objects.filter(source_key=f"PAY:{payment.reference}")
        charged = charge is not None and charge.status == "captured"
        assert charged == (payment.status == Status.COMPLETED), (payment, charge)
        assert sum(-entry.amount for entry in credits) == (payment.amount if charged else 0)
        assert payment.status not in (Status.INITIATED, Status.PENDING)


def test_the_same_key_twice_is_one_charge_and_one_credit(bam, owed, rm0001):
    first = pay(bam, (N, "balance"), key="double-click")
    second, created = services.request_payment(bam, rows((N, "balance")), card=card(), key="double-click")
    assert not created and second.pk == first.pk
    assert SandboxCharge.objects.count() == 1 and LedgerEntry.objects.filter(entry_type="payment").count() == 1
    assert balance(rm0001) == 0


def test_a_key_reused_for_another_payment_is_refused(bam, owed):
    pay(bam, (N, "amount", "10.00"), key="k")
    with pytest.raises(ValidationError) as error:
        pay(bam, (N, "amount", "20.00"), key="k")
    assert error.value.code == "key_reused"
    assert Payment.objects.count() == 1


def test_the_same_key_from_two_people_is_two_payments(bam, pam, owed):
    pay(bam, (N, "amount", "10.00"), key="k")
    pay(pam, (N, "amount", "10.00"), key="k")
    assert SandboxCharge.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_charges_once(request):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite locks the whole database)")
    bam = request.getfixturevalue("bam")
    rm0001 = request.getfixturevalue("rm0001")
    request.getfixturevalue("owed")
    tokens = [card() for _ in range(4)]
    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit(index):
        try:
            barrier.wait()
            results.append(services.request_payment(bam, rows((N, "balance")), card=tokens[index], key="same-click"))
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({payment.pk for payment, _created in results}) == 1
    assert sum(created for _payment, created in results) == 1
    assert SandboxCharge.objects.count() == 1
    assert LedgerEntry.objects.filter(entry_type="payment").count() == 1
    assert balance(rm0001) == 0


def test_gateway_times_out_after_charging_then_reconciliation_posts(bam, owed, rm0001):
    payment = pay(bam, (N, "balance"), number=TIMEOUT)
    assert payment.status == Status.PENDING and balance(rm0001) == 350
    assert services.reconcile_pending() == 1
    assert balance(rm0001) == 0
    assert services.reconcile_pending() == 0  # again: nothing more
    assert_consistent()


def test_gateway_fails_before_charging_then_reconciliation_records_no_charge(bam, owed, rm0001, monkeypatch):
    def unreachable(self, token, amount, *, key):
        raise GatewayError("connection refused")

    monkeypatch.setattr(SandboxGateway, "authorize", unreachable)
    payment = pay(bam, (N, "balance"))
    assert payment.status == Status.PENDING
    monkeypatch.undo()
    services.reconcile_pending()
    payment.refresh_from_db()
    assert payment.status == Status.FAILED and payment.failure_code == "not_charged"
    assert balance(rm0001) == 350
    assert_consistent()


def test_gateway_fails_after_capturing_then_reconciliation_posts(bam, owed, rm0001, monkeypatch):
    capture = SandboxGateway.capture

    def lost_answer(self, charge_id):
        capture(self, charge_id)
        raise GatewayError("read time-out")

    monkeypatch.setattr(SandboxGateway, "capture", lost_answer)
    assert pay(bam, (N, "balance")).status == Status.PENDING
    monkeypatch.undo()
    services.reconcile_pending()
    assert balance(rm0001) == 0
    assert_consistent()


def test_database_fails_after_gateway_approval_then_reconciliation_posts_once(bam, owed, rm0001, monkeypatch):
    def database_down(*args, **kwargs):
        raise DatabaseError("server closed the connection")

    monkeypatch.setattr(services, "post_entry", database_down)
    payment = pay(bam, (N, "balance"))
    assert payment.status == Status.PENDING and payment.failure_code == "posting_failed"
    assert SandboxCharge.objects.get().status == "captured" and balance(rm0001) == 350
    monkeypatch.undo()
    services.reconcile_pending()
    assert balance(rm0001) == 0
    assert_consistent()


def test_a_crash_between_charge_and_posting_is_posted_by_reconciliation(bam, owed, rm0001, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "complete", crash)
    with pytest.raises(RuntimeError):
        pay(bam, (N, "balance"))
    assert Payment.objects.get().status == Status.INITIATED
    monkeypatch.undo()
    services.reconcile_pending()
    assert balance(rm0001) == 0
    assert_consistent()


def test_a_crash_before_the_gateway_is_called_is_closed_as_not_charged(bam, owed, rm0001, monkeypatch):
    monkeypatch.setattr(services, "_charge", lambda payment, request=None: None)
    assert pay(bam, (N, "balance")).status == Status.INITIATED
    monkeypatch.undo()
    services.reconcile_pending()
    assert Payment.objects.get().status == Status.FAILED and balance(rm0001) == 350
    assert_consistent()


def test_a_payment_still_in_flight_is_left_alone(bam, owed, settings, monkeypatch):
    monkeypatch.setattr(services, "_charge", lambda payment, request=None: None)
    pay(bam, (N, "balance"))
    settings.CARM_PAYMENT_RECONCILE_AFTER = 600
    assert services.reconcile_pending() == 0
    assert Payment.objects.get().status == Status.INITIATED


def test_reconciliation_waits_while_the_gateway_is_unreachable(bam, owed, rm0001, monkeypatch):
    pay(bam, (N, "balance"), number=TIMEOUT)

    def unreachable(self, key):
        raise GatewayError("down")

    monkeypatch.setattr(SandboxGateway, "look_up", unreachable)
    assert services.reconcile_pending() == 0
    assert Payment.objects.get().status == Status.PENDING
    monkeypatch.undo()
    services.reconcile_pending()
    assert_consistent()


def test_a_charge_that_cannot_be_posted_is_refunded(bam, owed, rm0001):
    payment = pay(bam, (N, "balance"), number=TIMEOUT)
    rm0001.is_active = False
    rm0001.save()
    services.reconcile(payment)
    payment.refresh_from_db()
    assert payment.status == Status.FAILED and payment.failure_code == "refunded"
    assert SandboxCharge.objects.get().status == "refunded"
    assert not LedgerEntry.objects.filter(entry_type="payment").exists()
    assert_consistent()


def test_the_reconcile_command_and_task_run(bam, owed, rm0001):
    from django.core.management import call_command

    from payments import tasks

    pay(bam, (N, "balance"), number=TIMEOUT)
    call_command("reconcile_payments")
    assert balance(rm0001) == 0
    assert tasks.reconcile_pending.delay().get() == 0


def test_a_completed_payment_is_never_posted_again(bam, owed, rm0001):
    payment = pay(bam, (N, "balance"), number=APPROVE)
    services.complete(payment)
    assert LedgerEntry.objects.filter(entry_type="payment").count() == 1


def test_an_unfinished_3d_secure_check_expires_as_not_charged(bam, owed, rm0001, settings):
    payment = pay(bam, (N, "balance"), number=THREE_DS)
    assert services.reconcile_pending() == 0  # the payer may still be at the issuer's page
    settings.CARM_PAYMENT_3DS_EXPIRY = 0
    assert services.reconcile_pending() == 1
    payment.refresh_from_db()
    assert payment.status == Status.FAILED and payment.failure_code == "authentication_expired"
    assert services.authenticate(payment).status == Status.FAILED  # too late: nothing is charged
    assert SandboxCharge.objects.get().status == "requires_action" and balance(rm0001) == 350
    assert_consistent()
