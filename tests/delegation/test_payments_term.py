"""The payments term: a provider's Editor may pay for the importer only when the importer allows it.
The importer sets it when approving, inviting or changing the terms; it is audited and shown to both sides."""

import datetime

import pytest

import rights
from audit.models import AuditEntry
from businesses.models import ProgramAccount
from delegation import services
from rights import Action
from tests.conftest import sign_in

from .conftest import days


def may_pay(person, number="123456782RM0001"):
    return rights.may(person, Action.PAY, ProgramAccount.objects.get(number=number))


@pytest.mark.parametrize(
    "role, allows_payments, expected", [("editor", False, False), ("editor", True, True), ("reader", True, False)]
)
def test_a_provider_editor_pays_only_when_the_importer_allows_payments(role, allows_payments, expected, relate, brenda):
    relate("business", person=brenda, role=role, allows_payments=allows_payments)
    assert may_pay(brenda) is expected
    assert ProgramAccount.objects.visible_to(brenda, Action.PAY).exists() is expected


def test_a_provider_request_never_starts_with_payments(relate):
    assert relate("business").allows_payments is False


def test_allowing_and_stopping_payments_applies_at_once_and_is_audited(relate, brenda, alice):
    relationship = relate("business", person=brenda)
    services.change_terms(alice, relationship, allows_payments=True)
    assert may_pay(brenda)
    services.change_terms(alice, relationship, allows_payments=False)
    assert not may_pay(brenda)
    changes = AuditEntry.objects.filter(action="relationship.changed").order_by("pk")
    terms = [(e.before["allows_payments"], e.after["allows_payments"]) for e in changes]
    assert terms == [(False, True), (True, False)]


def test_an_expired_relationship_allows_no_payment(relate, brenda):
    relationship = relate("business", person=brenda, allows_payments=True)
    services.expire_relationships(today=relationship.expires_on + datetime.timedelta(days=1))
    assert not may_pay(brenda)


def test_an_invitation_offers_payments_and_the_provider_accepts_them(alice, maple, bob, northern, brenda):
    invitation = services.invite_provider(alice, maple, northern.bn9, scope="business", allows_payments=True)
    relationship = services.approve(bob, invitation)
    services.assign(bob, relationship, "editor", user=brenda)
    assert relationship.allows_payments and may_pay(brenda)


def test_the_api_sets_and_shows_the_payments_term(api, alice, bob, northern, maple):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    response = api(alice)("post", f"relationships/{pending.pk}/approve", {"allows_payments": True})
    assert response.status_code == 200 and response.json()["allows_payments"] is True
    assert api(bob)("get", f"relationships/{pending.pk}").json()["allows_payments"] is True
    response = api(alice)("post", f"relationships/{pending.pk}/terms", {"allows_payments": False})
    assert response.json()["allows_payments"] is False


def test_only_the_importer_grants_payments_through_the_api(api, alice, bob, northern, maple):
    asked = {"provider": northern.bn9, "importer": maple.bn9, "scope": "business", "allows_payments": True}
    response = api(bob)("post", "relationships", asked)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "allows_payments"
    response = api(alice)("post", "relationships", asked)
    assert response.status_code == 201 and response.json()["allows_payments"] is True


def test_both_sides_see_the_payments_term_and_the_importer_changes_it_on_the_page(client, relate, alice, bob, maple):
    relationship = relate("business")
    sign_in(client, bob)
    assert b"may not pay" in client.get(f"/en/relationships/{relationship.provider.bn9}/{relationship.pk}/").content
    client.logout()
    sign_in(client, alice)
    page = f"/en/relationships/{maple.bn9}/{relationship.pk}/"
    assert b'name="allows_payments"' in client.get(page).content
    terms = {"decision": "change", "scope": "business", "expires_on": days(90).isoformat(), "allows_payments": "on"}
    assert client.post(page, terms).status_code == 302
    relationship.refresh_from_db()
    assert relationship.allows_payments
    assert "peut payer" in client.get(page.replace("/en/", "/fr/")).content.decode()


def test_the_invitation_page_offers_payments_only_to_importers(client, alice, bob, maple, northern):
    sign_in(client, bob)
    assert b'name="allows_payments"' not in client.get(f"/en/relationships/{northern.bn9}/send/").content
    client.logout()
    sign_in(client, alice)
    assert b'name="allows_payments"' in client.get(f"/en/relationships/{maple.bn9}/send/").content
    sent = {"bn": northern.bn9, "scope": "business", "allows_payments": "on"}
    assert client.post(f"/en/relationships/{maple.bn9}/send/", sent).status_code == 302
    assert northern.client_relationships.get().allows_payments
