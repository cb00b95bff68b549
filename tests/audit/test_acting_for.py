"""Every audit entry made for a request records who acts for whom: "user X of broker B acting for
importer I", whichever app's service writes it (audit.services.record takes it from the request)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from audit.models import AuditEntry
from audit.services import record
from tests.conftest import sign_in

MAPLE, NORTHERN, TIDEWATER = "123456782", "123026635", "876543216"


@pytest.fixture
def bob(maple):
    """Northern's BAM, Editor for Maple (the demo relationship, payments allowed)."""
    from accounts.models import User
    from delegation import demo

    demo.seed()
    return User.objects.get(email="bob@northern.example")


def api_request(user, acting_for=""):
    request = RequestFactory().get("/api/v1/program-accounts", HTTP_X_ACTING_FOR=acting_for)
    request.user = user
    return request


def test_a_ledger_change_made_for_a_client_through_the_switcher_names_the_broker_and_the_client(client, bob):
    sign_in(client, bob)
    client.post("/en/relationships/acting-for/", {"client": MAPLE})
    response = client.post("/en/ledger/123456782RM0001/", {"offsetting_preference": "hold_for_refund"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="ledger.preference_changed")
    assert (entry.actor, entry.actor_business, entry.acting_for_business) == (bob, NORTHERN, MAPLE)


def test_the_same_change_made_for_its_own_business_names_no_client(client, alice, maple):
    sign_in(client, alice)
    client.post("/en/ledger/123456782RM0001/", {"offsetting_preference": "hold_for_refund"})
    entry = AuditEntry.objects.get(action="ledger.preference_changed")
    assert (entry.actor, entry.acting_for_business) == (alice, "")


def test_the_client_given_as_actor_business_is_replaced_by_the_provider(bob):
    entry = record("test.done", request=api_request(bob, MAPLE), actor_business=MAPLE)
    assert (entry.actor, entry.actor_business, entry.acting_for_business) == (bob, NORTHERN, MAPLE)


def test_what_the_caller_names_is_kept(bob):
    entry = record("test.done", request=api_request(bob, MAPLE), actor_business="999999998", acting_for_business="")
    assert (entry.actor_business, entry.acting_for_business) == ("999999998", "")


def test_a_forged_client_is_refused_by_authz_and_the_entry_is_still_written(bob):
    request = api_request(bob, TIDEWATER)
    entry = record("test.done", request=request)
    assert entry.acting_for_business == ""
    denial = AuditEntry.objects.get(action="access.denied")
    assert (denial.actor, denial.acting_for_business) == (bob, TIDEWATER)


def test_an_anonymous_request_is_not_checked_before_its_person_is_known(bob):
    request = api_request(AnonymousUser(), MAPLE)
    record("api.call", actor=bob, request=request)
    assert not hasattr(request, "_carm_acting_for")
