"""Who may submit, see and change a CAD: TRANSACT on the importer's RM account (a broker through a
relationship in force, with an Editor assignment), and for existing CADs the importer's
visibility rules (declarations submitted by the broker / by the importer / by others)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.models import AuditEntry
from declarations import services
from declarations.models import Declaration
from ledger.models import LedgerEntry
from tests.delegation.conftest import expire

from .conftest import RM2, cad, line


@pytest.fixture
def today(on_day):
    on_day(dt.date(2025, 1, 6))


def test_a_broker_without_delegation_cannot_submit_see_or_correct(maple, alice, bob, brenda, tariff_rows, today, api):
    mine = services.submit(alice, cad()).declaration
    for person in (bob, brenda):
        refused = services.submit(person, cad())
        assert [e.code for e in refused.errors] == ["importer_not_permitted"]
        assert not services.visible_declarations(person).exists()
        with pytest.raises(Http404):
            services.amend(person, mine.transaction_number, cad(), expected_version=1)
    assert api(brenda)("get", f"declarations/{mine.transaction_number}").status_code == 404
    assert api(brenda)("get", "declarations").json()["results"] == []
    assert Declaration.objects.count() == 1 and LedgerEntry.objects.count() == 1
    assert AuditEntry.objects.filter(action="declarations.rejected").count() == 2
    assert AuditEntry.objects.filter(action="access.denied").exists()


def test_an_expired_relationship_cannot_submit_or_correct_and_sees_only_its_own_past_cads(
    maple, alice, relate, brenda, tariff_rows, today
):
    relationship = relate("business", role="editor", person=brenda)
    own = services.submit(brenda, cad()).declaration
    importers = services.submit(alice, cad()).declaration
    expire(relationship)
    assert [e.code for e in services.submit(brenda, cad()).errors] == ["importer_not_permitted"]
    assert list(services.visible_declarations(brenda)) == [own]
    with pytest.raises(PermissionDenied):  # it may still see it, not change it
        services.amend(brenda, own.transaction_number, cad(line(value="1.00")), expected_version=1)
    with pytest.raises(Http404):
        services.withdraw(brenda, importers.transaction_number, expected_version=1, reason="x")


def test_a_broker_sees_and_corrects_only_what_the_importer_lets_it_see(
    maple, alice, relate, brenda, tariff_rows, today
):
    relate("business", role="editor", person=brenda, sees_provider=True, sees_importer=False, sees_others=False)
    own = services.submit(brenda, cad()).declaration
    importers = services.submit(alice, cad()).declaration
    assert list(services.visible_declarations(brenda)) == [own]
    with pytest.raises(Http404):
        services.amend(brenda, importers.transaction_number, cad(), expected_version=1)
    assert services.amend(brenda, own.transaction_number, cad(line(value="20000.00")), expected_version=1).code == 39
    assert set(services.visible_declarations(alice)) == {own, importers}  # the importer sees everything


def test_a_program_relationship_covers_only_its_accounts(maple, relate, brenda, tariff_rows, today):
    relate("program", accounts=[RM2], role="editor", person=brenda)
    assert [e.code for e in services.submit(brenda, cad()).errors] == ["importer_not_permitted"]
    assert services.submit(brenda, cad(importer=RM2)).code == 39


def test_a_reader_may_see_but_not_submit_or_change(maple, alice, reader, tariff_rows, today):
    mine = services.submit(alice, cad()).declaration
    assert [e.code for e in services.submit(reader, cad()).errors] == ["importer_not_permitted"]
    assert list(services.visible_declarations(reader)) == [mine]
    with pytest.raises(PermissionDenied):
        services.amend(reader, mine.transaction_number, cad(), expected_version=1)


def test_a_broker_reader_assignment_cannot_submit(maple, relate, brenda, tariff_rows, today):
    relate("business", role="reader", person=brenda)
    assert [e.code for e in services.submit(brenda, cad()).errors] == ["importer_not_permitted"]


def test_a_token_narrowed_to_another_business_cannot_submit(maple, alice, client, tariff_rows, today):
    from accounts import services as account_services

    key = account_services.create_api_token(alice, name="narrow", days=30, business_number="123026635")[1]
    response = client.post(
        "/api/v1/declarations", cad(), content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "importer_not_permitted"


def test_anonymous_callers_are_asked_to_authenticate(client, db):
    # 401 with a challenge (not 403): the caller has not said who it is, so it is told how to.
    for response in (
        client.post("/api/v1/declarations", {}, content_type="application/json"),
        client.get("/api/v1/declarations"),
    ):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Token")
        assert response.json()["errors"][0]["code"] == "not_authenticated"
