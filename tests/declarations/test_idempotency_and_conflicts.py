"""Submissions are idempotent (client reference + submitting business); concurrent changes of one
CAD are detected by the version they start from and refused, never merged."""

import datetime as dt

import pytest

from declarations import services
from declarations.models import Declaration, DeclarationVersion
from ledger.models import LedgerEntry

from .conftest import cad, line


@pytest.fixture
def today(on_day):
    on_day(dt.date(2025, 1, 6))


def test_the_same_client_reference_submits_once(maple, alice, tariff_rows, today):
    first = services.submit(alice, cad(), client_reference="PO-77")
    again = services.submit(alice, cad(), client_reference="PO-77")
    assert again.replayed and again.declaration == first.declaration and again.code == 39
    assert Declaration.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_a_client_reference_reused_for_another_declaration_is_refused(maple, alice, tariff_rows, today):
    services.submit(alice, cad(), client_reference="PO-77")
    other = services.submit(alice, cad(line(value="10.00")), client_reference="PO-77")
    assert [e.code for e in other.errors] == ["idempotency_key_reused"] and other.conflict
    assert Declaration.objects.count() == 1


def test_client_references_are_per_submitting_business(maple, alice, broker, tariff_rows, today):
    services.submit(alice, cad(), client_reference="REF-1")
    assert not services.submit(broker, cad(), client_reference="REF-1").replayed
    assert Declaration.objects.count() == 2


def test_the_api_replays_an_idempotency_key(api, broker, tariff_rows, today):
    call = api(broker)
    first = call("post", "declarations", cad(), Idempotency_Key="K-1")
    second = call("post", "declarations", cad(), Idempotency_Key="K-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["transaction_number"] == second.json()["transaction_number"]
    assert call("post", "declarations", cad(line(value="1.00")), Idempotency_Key="K-1").status_code == 409
    assert call("post", "declarations", cad(), Idempotency_Key="K" * 65).status_code == 400
    assert LedgerEntry.objects.count() == 1


def test_an_amendment_is_idempotent_too(maple, alice, tariff_rows, today):
    number = services.submit(alice, cad()).declaration.transaction_number
    first = services.amend(alice, number, cad(line(value="20000.00")), expected_version=1, client_reference="C-1")
    again = services.amend(alice, number, cad(line(value="20000.00")), expected_version=1, client_reference="C-1")
    assert again.replayed and again.version == first.version
    assert DeclarationVersion.objects.count() == 2 and LedgerEntry.objects.count() == 2


def test_two_people_correcting_the_same_version_the_second_is_refused(maple, alice, broker, tariff_rows, today):
    number = services.submit(alice, cad()).declaration.transaction_number
    mine = services.amend(alice, number, cad(line(value="20000.00")), expected_version=1)
    theirs = services.amend(broker, number, cad(line(value="25000.00")), expected_version=1)
    assert mine.code == 39
    assert [e.code for e in theirs.errors] == ["version_conflict"] and theirs.conflict
    assert Declaration.objects.get().latest_version == 2
    assert LedgerEntry.objects.filter(transaction_number=number).count() == 2


def test_the_api_answers_a_conflict_with_409(api, broker, tariff_rows, today):
    call = api(broker)
    number = call("post", "declarations", cad()).json()["transaction_number"]
    body = {"expected_version": 1, "declaration": cad(line(value="20000.00"))}
    assert call("post", f"declarations/{number}/versions", body).status_code == 201
    response = call("post", f"declarations/{number}/versions", body)
    assert response.status_code == 409
    assert response.json()["errors"][0] == {
        "field": "/expected_version",
        "code": "version_conflict",
        "message": "Version 00002 was made since you opened version 1: reopen the CAD and make your change again.",
    }
    assert call("post", f"declarations/{number}/withdraw", {"expected_version": 1, "reason": "x"}).status_code == 409


def test_a_pending_adjustment_blocks_other_changes(maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    number = services.submit(alice, cad()).declaration.transaction_number
    on_day(dt.date(2025, 2, 10))
    assert services.amend(alice, number, cad(line(value="20000.00")), expected_version=1, reason="r").code == 42
    blocked = services.amend(alice, number, cad(line(value="25000.00")), expected_version=2, reason="r")
    assert [e.code for e in blocked.errors] == ["pending_adjustment"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_corrections_one_wins_the_other_is_refused(maple, alice, broker, tariff_rows):
    """Two people send a correction of version 1 at the same moment (PostgreSQL: real row locks)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes whole transactions; the row lock is PostgreSQL's")
    day = dt.date(2025, 1, 6)
    number = services.submit(alice, cad(), today=day).declaration.transaction_number
    barrier, outcomes = threading.Barrier(2), {}

    def correct(person, value):
        try:
            barrier.wait()
            outcomes[person.email] = services.amend(
                person, number, cad(line(value=value)), expected_version=1, today=day
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=correct, args=args) for args in ((alice, "20000.00"), (broker, "25000.00"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(outcome.code for outcome in outcomes.values())
    assert codes == [39, 41]
    refused = next(outcome for outcome in outcomes.values() if outcome.errors)
    assert refused.errors[0].code == "version_conflict"
    assert DeclarationVersion.objects.filter(declaration__transaction_number=number).count() == 2
    assert LedgerEntry.objects.filter(transaction_number=number).count() == 2


def test_a_transaction_number_is_used_once(maple, alice, tariff_rows, today):
    from declarations import transaction_numbers

    number = transaction_numbers.make(transaction_numbers.security_number_of(maple).number, 500)
    assert services.submit(alice, cad(transaction_number=number)).code == 39
    again = services.submit(alice, cad(transaction_number=number))
    assert [e.code for e in again.errors] == ["duplicate_transaction_number"] and again.conflict
    assert Declaration.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_saving_a_new_draft_twice_under_one_client_reference_keeps_one(maple, alice, tariff_rows, today):
    first = services.save_draft(alice, {"importer": "123456782RM0001"}, client_reference="D-1")
    again = services.save_draft(alice, {"importer": "123456782RM0001"}, client_reference="D-1")
    assert again.replayed and again.declaration == first.declaration
    assert services.save_draft(alice, {"importer": "123456782RM0001"}, transaction_number="123").errors[0].code == (
        "malformed_transaction_number"
    )
    assert Declaration.objects.count() == 1
