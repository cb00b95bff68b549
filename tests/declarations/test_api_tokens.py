"""A broker's software on the API: a personal token (optionally narrowed to a business) and the
client named with X-Acting-For."""

import datetime as dt

import pytest

from accounts import services as account_services
from businesses.models import ProgramAccount

from .conftest import cad


@pytest.fixture
def post(client, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))

    def call(person, payload, business="", **headers):
        key = account_services.create_api_token(person, name="broker software", days=30, business_number=business)[1]
        return client.post("/api/v1/declarations", payload, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {key}", **headers)  # fmt: skip

    return call


def test_a_broker_token_acting_for_its_client_submits_for_it(post, broker):
    response = post(broker, cad(declarant="123026635RM0001"), HTTP_X_ACTING_FOR="123456782")
    assert response.status_code == 201, response.content
    assert response.json()["submitted_by"] == "123026635"


def test_acting_for_a_business_one_has_no_relationship_with_is_refused(post, broker):
    response = post(broker, cad(), HTTP_X_ACTING_FOR="876543216")
    assert response.status_code == 403


def test_a_token_narrowed_to_the_importer_submits_as_the_importer(post, maple, alice):
    response = post(alice, cad(), business="123456782")
    assert (response.status_code, response.json()["submitted_by"]) == (201, "123456782")


def test_a_broker_token_narrowed_to_its_own_business_acts_for_its_client(post, broker):
    response = post(broker, cad(), business="123026635", HTTP_X_ACTING_FOR="123456782")
    assert response.status_code == 201, response.content
    assert response.json()["submitted_by"] == "123026635"


def test_a_broker_token_without_a_named_client_reaches_only_its_own_business(broker, rm0001):
    """A token names one business: its clients are reached by naming them (X-Acting-For), never implicitly."""
    import rights

    narrowed = ProgramAccount.objects.visible_to(
        rights.Actor(broker, only_business="123026635"), rights.Action.TRANSACT
    )
    acting = ProgramAccount.objects.visible_to(
        rights.Actor(broker, only_business="123026635", acting_for="123456782"), rights.Action.TRANSACT
    )
    elsewhere = ProgramAccount.objects.visible_to(
        rights.Actor(broker, only_business="876543216"), rights.Action.TRANSACT
    )
    assert rm0001 not in narrowed and rm0001 in acting and not elsewhere.exists()


def test_a_token_naming_another_business_does_not_carry_the_broker_s_delegation(broker, rm0001):
    import rights

    actor = rights.Actor(broker, only_business="876543216", acting_for="123456782")
    assert not ProgramAccount.objects.visible_to(actor, rights.Action.TRANSACT).exists()
    assert "123456782" not in rights.clients_of(rights.Actor(broker, only_business="876543216"))
