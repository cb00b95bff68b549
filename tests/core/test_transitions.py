"""The transition tables: a move not in its model's table is refused, and of two writers moving a row
from the same state (a stale copy stands for the slower one) exactly one changes it; the other gets
Conflict. The database refuses a status the model does not know."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from access.models import AccessRequest
from accounts.models import User
from businesses.models import Business
from core import transitions
from declarations.models import DECLARATION_TRANSITIONS, VERSION_TRANSITIONS, Declaration, DeclarationVersion, Kind
from delegation.models import Relationship
from payments.models import Method, Payment

Status = Relationship.Status


def payment(maple, status):
    return Payment.objects.create(
        reference="P260315A1B2C3D4",
        method=Method.PAD,
        status=status,
        amount=Decimal("350.00"),
        idempotency_key="pad-2026-03-15",
        fingerprint="0" * 64,
    )


def relationship(maple, status):
    return Relationship.objects.create(
        provider=Business.objects.get(bn9="123026635"),  # Northern, the broker
        importer=maple,
        scope=Relationship.Scope.BUSINESS,
        status=status,
        request_expires_on=dt.date(2026, 4, 14),
    )


def access_request(maple, status):
    return AccessRequest.objects.create(
        user=User.objects.get(email="bob@northern.example"),
        business=maple,
        note="I clear our Calgary shipments",
        status=status,
    )


def declaration(maple, status):
    return Declaration.objects.create(
        transaction_number="12345000000017",
        program_account=maple.program_accounts.get(number="123456782RM0001"),
        submitted_by_business=maple,
        status=status,
        total=Decimal("1234.56"),
    )


def adjustment(maple, status):
    cad = declaration(maple, "accepted")
    return DeclarationVersion.objects.create(
        declaration=cad,
        number=2,
        kind=Kind.ADJUSTMENT,
        status=status,
        importer_number=cad.program_account.number,
        mode_of_transport="2",
        release_office="0453",
        submitted_by_business=maple,
    )


# (row maker, its table, an illegal move, a start and two moves from it that race)
CASES = {
    "payment": (payment, None, ("returned", "completed"), ("completed", "settled", "returned")),
    "relationship": (relationship, None, ("pending", "expired"), ("pending", "active", "rejected")),
    "access_request": (access_request, None, ("withdrawn", "approved"), ("pending", "approved", "withdrawn")),
    "declaration": (
        declaration,
        DECLARATION_TRANSITIONS,
        ("draft", "withdrawn"),
        ("accepted", "withdrawn", "withdrawn"),
    ),
    "declaration_version": (
        adjustment,
        VERSION_TRANSITIONS,
        ("rejected", "accepted"),
        ("pending", "accepted", "rejected"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_an_illegal_transition_is_refused(maple, case):
    make, table, (start, target), _race = CASES[case]
    row = make(maple, start)
    with pytest.raises(transitions.IllegalTransition) as error:
        transitions.move(row, target, table=table)
    assert error.value.code == "illegal_transition"
    row.refresh_from_db()
    assert row.status == start


@pytest.mark.parametrize("case", CASES)
def test_a_double_transition_from_the_same_state_changes_one_row(maple, case):
    make, table, _illegal, (start, first, second) = CASES[case]
    row = make(maple, start)
    stale = type(row).objects.get(pk=row.pk)
    transitions.move(row, first, table=table)
    with pytest.raises(transitions.Conflict) as error:
        transitions.move(stale, second, table=table)
    assert error.value.code == "conflict"
    stale.refresh_from_db()
    assert stale.status == first


MAKERS = {
    Payment: payment,
    Relationship: relationship,
    AccessRequest: access_request,
    Declaration: declaration,
    DeclarationVersion: adjustment,
}


@pytest.mark.parametrize("model", MAKERS)
def test_the_database_refuses_an_unknown_status(maple, model):
    row = MAKERS[model](maple, model.transitions.states[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(status="approved!")


def test_a_table_naming_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="not a status of RelationshipStatus"):
        transitions.Table(Status, {Status.PENDING: {"approved"}})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", ["relationship", "declaration", "declaration_version"])
def test_two_concurrent_decisions_on_one_request_change_it_once(request, case):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite locks the whole database)")
    make, table, _illegal, (start, first, second) = CASES[case]
    pending = make(request.getfixturevalue("maple"), start)
    model = type(pending)
    barrier = threading.Barrier(2)
    done, conflicts = [], []

    def decide(target):
        try:
            barrier.wait()
            with transaction.atomic():
                transitions.transition(model, pending.pk, start, target, table=table)
                time.sleep(0.3)  # hold the row: the other writer waits for this commit, then finds no pending row
            done.append(target)
        except transitions.Conflict:
            conflicts.append(target)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(target,)) for target in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(done) == 1 and len(conflicts) == 1
    pending.refresh_from_db()
    assert pending.status == done[0]


def test_a_conflict_is_told_in_french_on_french_pages():
    with translation.override("fr"):
        assert transitions.Conflict().messages == [
            "Quelqu’un d’autre a modifié ce dossier au même moment : rechargez-le et réessayez."
        ]
