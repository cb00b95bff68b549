"""The API and the pages: lists and look-ups per situation, acting for a client (X-Acting-For and the
switcher), forged client ids, and revocation on the very next request of a signed-in broker."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from businesses.models import ProgramAccount
from delegation import services
from delegation.models import default_expiry
from ledger.models import LedgerEntry
from tests.conftest import sign_in

from .conftest import days, expire


@pytest.fixture
def entries(maple, northern):
    account = ProgramAccount.objects.get(number="123456782RM0001")
    today = timezone.localdate()
    for name, business in [("provider", northern), ("importer", maple)]:
        LedgerEntry.objects.create(
            program_account=account,
            entry_type="assessment",
            amount=10,
            effective_date=today,
            due_date=today,
            billing_period_end=today + datetime.timedelta(days=10),
            source_key=f"test-{name}",
            submitted_by_business=business,
        )


def test_a_provider_bam_requests_and_the_importer_approves_through_the_api(api, bob, alice, northern, maple):
    response = api(bob)(
        "post",
        "relationships",
        {"provider": northern.bn9, "importer": maple.bn9, "scope": "program", "program_accounts": ["123456782RM0002"]},
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert [r["id"] for r in api(alice)("get", "relationships").json()["results"]] == [pk]
    response = api(alice)("post", f"relationships/{pk}/approve", {"expires_on": days(-1).isoformat()})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "expiry_in_past"
    response = api(alice)("post", f"relationships/{pk}/approve", {"expires_on": days(90).isoformat()})
    assert response.json()["status"] == "active"
    assert response.json()["visibility"] == {"provider": True, "importer": False, "others": False}
    assert api(bob)("get", "clients").json()["results"][0]["importer"] == maple.bn9


def test_bad_requests_get_a_structured_error(api, bob, northern, maple):
    call = api(bob)
    assert (
        call("post", "relationships", {"provider": northern.bn9, "importer": northern.bn9, "scope": "business"}).json()[
            "errors"
        ][0]["code"]
        == "self"
    )
    assert (
        call("post", "relationships", {"provider": northern.bn9, "importer": "123", "scope": "business"}).status_code
        == 400
    )
    call("post", "relationships", {"provider": northern.bn9, "importer": maple.bn9, "scope": "business"})
    assert (
        call("post", "relationships", {"provider": northern.bn9, "importer": maple.bn9, "scope": "business"}).json()[
            "errors"
        ][0]["code"]
        == "duplicate"
    )


def test_outsiders_cannot_see_or_decide_a_request(api, bob, northern, maple, tina, reader):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    for person in (tina, reader):
        assert api(person)("get", f"relationships/{pending.pk}").status_code == 404
        assert api(person)("post", f"relationships/{pending.pk}/approve").status_code == 404
    assert AuditEntry.objects.filter(action="access.denied").count() == 4


@pytest.mark.parametrize(
    "situation, expected",
    [
        ("business", {"test-provider", "test-importer"}),
        ("program-rm0002", set()),
        ("none", set()),
        ("expired", {"test-provider"}),
        ("revoked", set()),
    ],
)
def test_the_ledger_api_lists_what_the_relationship_allows(situation, expected, api, relate, brenda, alice, entries):
    if situation != "none":
        relationship = relate(
            "program" if situation.startswith("program") else "business",
            accounts=["123456782RM0002"] if situation.startswith("program") else (),
            person=brenda,
            sees_importer=True,
        )
        if situation == "expired":
            expire(relationship)
        if situation == "revoked":
            services.revoke(alice, relationship)
    rows = api(brenda)("get", "ledger/entries").json()["results"]
    assert {_key(row) for row in rows} == expected


def _key(row):
    return LedgerEntry.objects.get(pk=row["id"]).source_key


def test_x_acting_for_narrows_to_the_client_and_a_forged_client_is_refused_and_audited(
    api, relate, bob, brenda, entries, tidewater
):
    relate("business", person=brenda)
    call = api(brenda)
    assert call("get", "program-accounts", X_ACTING_FOR="123456782").status_code == 200
    response = call("get", "ledger/entries", X_ACTING_FOR=tidewater.bn9)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    denial = AuditEntry.objects.get(action="access.denied")
    assert denial.actor == brenda and denial.acting_for_business == tidewater.bn9


def test_revocation_applies_on_the_very_next_request_of_a_signed_in_broker(client, relate, brenda, alice):
    relationship = relate("business", person=brenda)
    sign_in(client, brenda)
    assert client.get("/en/ledger/123456782RM0001/").status_code == 200
    assert client.get("/api/v1/program-accounts/123456782RM0001").status_code == 200
    services.revoke(alice, relationship)
    assert client.get("/api/v1/program-accounts/123456782RM0001").status_code == 404
    assert client.get("/en/ledger/123456782RM0001/").status_code == 404


def test_the_client_switcher_sets_the_context_and_refuses_a_forged_client(client, relate, brenda, tidewater):
    relate("business", person=brenda)
    sign_in(client, brenda)
    assert client.post("/en/relationships/acting-for/", {"client": "123456782"}).status_code == 302
    assert client.session["carm_acting_for"] == "123456782"
    home = client.get("/en/")
    assert b"Acting for a client" in home.content
    assert client.post("/en/relationships/acting-for/", {"client": tidewater.bn9}).status_code == 404
    denial = AuditEntry.objects.filter(action="access.denied").latest("pk")
    assert denial.actor == brenda and denial.after["object"] == "businesses.Business"


def test_the_importer_bam_manages_relationships_on_the_pages(client, alice, bob, northern, maple, relate):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    sign_in(client, alice)
    home = client.get("/en/")
    assert b"asks for a business relationship" in home.content
    page = client.get(f"/en/relationships/{maple.bn9}/")
    assert page.status_code == 200 and b"Received requests" in page.content
    assert client.get(f"/fr/relationships/{maple.bn9}/{pending.pk}/").status_code == 200
    response = client.post(
        f"/en/relationships/{maple.bn9}/{pending.pk}/",
        {"decision": "approve", "scope": "business", "expires_on": days(100).isoformat(), "sees_provider": "on"},
    )
    assert response.status_code == 302, response.content[:2000]
    pending.refresh_from_db()
    assert pending.status == "active" and pending.expires_on == days(100)
    assert client.post(f"/en/relationships/{maple.bn9}/{pending.pk}/end/").status_code == 302
    pending.refresh_from_db()
    assert pending.status == "revoked"


def test_the_provider_bam_sends_a_request_and_staffs_the_client_on_the_pages(
    client, bob, brenda, alice, maple, northern
):
    sign_in(client, bob)
    response = client.post(f"/en/relationships/{northern.bn9}/send/", {"bn": maple.bn9, "scope": "business"})
    assert response.status_code == 302
    relationship = services.approve(alice, northern.client_relationships.get())
    assert b"Maple" in client.get(f"/en/relationships/{northern.bn9}/clients/").content
    from access.models import EmployeeGroup

    group = EmployeeGroup.objects.get(business=northern)
    response = client.post(
        f"/en/relationships/{northern.bn9}/clients/{relationship.pk}/",
        {"person": f"group-{group.pk}", "role": "reader"},
    )
    assert response.status_code == 302
    assert relationship.assignments.get().group == group


def test_pages_of_another_business_are_out_of_reach(client, tina, maple):
    sign_in(client, tina)
    assert client.get(f"/en/relationships/{maple.bn9}/").status_code == 404
    assert AuditEntry.objects.filter(action="access.denied").exists()


def test_a_refusal_while_acting_for_a_client_names_the_broker_and_the_client(api, relate, brenda, northern, maple):
    relate("program", accounts=["123456782RM0002"], person=brenda)
    response = api(brenda)("get", "program-accounts/123456782RM0001", X_ACTING_FOR=maple.bn9)
    assert response.status_code == 404
    denial = AuditEntry.objects.get(action="access.denied")
    assert (denial.actor, denial.actor_business, denial.acting_for_business) == (brenda, northern.bn9, maple.bn9)


def test_audit_context_says_who_acts_for_whom(relate, brenda, bob, northern, maple):
    import rights

    relate("business", person=brenda)
    assert rights.audit_context(brenda, maple) == {"actor_business": northern.bn9, "acting_for_business": maple.bn9}
    assert rights.audit_context(bob, northern) == {"actor_business": northern.bn9}


def test_the_provider_bam_accepts_an_invitation_on_the_pages(client, alice, bob, northern, maple):
    invitation = services.invite_provider(alice, maple, northern.bn9, scope="program", accounts=["123456782RM0001"])
    sign_in(client, bob)
    assert b"invites" in client.get("/en/").content
    response = client.post(f"/en/relationships/{northern.bn9}/{invitation.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "active" and invitation.sees_provider_records and not invitation.sees_other_records


@pytest.mark.parametrize(
    "situation, role, expected",
    [
        ("business", "editor", ["123456782RM0001", "123456782RM0002"]),
        ("business", "reader", ["123456782RM0001", "123456782RM0002"]),
        ("program", "editor", ["123456782RM0002"]),
        ("none", "editor", []),
        ("expired", "editor", []),
        ("revoked", "editor", []),
    ],
)
def test_the_program_account_list_shows_the_clients_accounts_in_scope(
    situation, role, expected, api, relate, brenda, alice
):
    if situation != "none":
        program = situation == "program"
        relationship = relate(
            "program" if program else "business",
            accounts=["123456782RM0002"] if program else (),
            person=brenda,
            role=role,
        )
        if situation == "expired":
            expire(relationship)
        if situation == "revoked":
            services.revoke(alice, relationship)
    rows = api(brenda)("get", "program-accounts").json()["results"]
    assert sorted(row["number"] for row in rows) == expected


def test_the_terms_form_shows_the_expiry_date_as_it_accepts_it(client, alice, bob, northern, maple):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    sign_in(client, alice)
    page = client.get(f"/en/relationships/{maple.bn9}/{pending.pk}/").content.decode()
    import re

    assert re.findall(r'name="expires_on"[^>]*value="([^"]*)"', page, re.S) == [default_expiry().isoformat()]
