"""Request access to my employer, and the managers' decision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from access import services
from access.models import AccessRequest, Role, RoleGrant
from audit.models import AuditEntry
from tests.conftest import sign_in


def _request_page(client, bn, note="I prepare the declarations."):
    return client.post("/en/access/request/", {"bn": bn, "note": note})


def test_an_employee_asks_and_a_bam_approves_with_a_role_per_account(client, charlie, bam, maple):
    sign_in(client, charlie)
    assert _request_page(client, "123 456 782").status_code == 302
    pending = AccessRequest.objects.get(user=charlie)
    client.logout()
    sign_in(client, bam)
    assert "Charlie Outsider asks for access to Maple Leaf Imports Inc." in client.get("/en/").content.decode()
    response = client.post(
        f"/en/access/123456782/requests/{pending.pk}/",
        {
            "decision": "approve",
            "account_123456782RM0001": "editor",
            "account_123456782RM0002": "reader",
            "reason": "",
        },
    )
    assert response.status_code == 302
    assert dict(RoleGrant.objects.filter(user=charlie).values_list("program_account__number", "role")) == {
        "123456782RM0001": "editor",
        "123456782RM0002": "reader",
    }
    entry = AuditEntry.objects.get(action="access_request.approved")
    assert entry.actor == bam and entry.actor_business == "123456782"
    assert AuditEntry.objects.filter(action="role.granted", after__user="charlie@outside.example").count() == 2


def test_a_rejection_needs_a_reason(bam, charlie, maple):
    pending = services.request_access(charlie, "123456782", "Hello")
    with pytest.raises(ValidationError, match="Say why"):
        services.decide_request(bam, pending, approve=False)
    services.decide_request(bam, pending, approve=False, reason="Not one of our employees")
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == ("rejected", "Not one of our employees")
    assert not RoleGrant.objects.filter(user=charlie).exists()


def test_an_approval_needs_a_role(bam, charlie, maple):
    pending = services.request_access(charlie, "123456782", "Hello")
    with pytest.raises(ValidationError, match="at least one program account"):
        services.decide_request(bam, pending, approve=True, roles={})


def test_a_pam_approves_on_their_own_account_only(pam, charlie, maple, rm0001):
    pending = services.request_access(charlie, "123456782", "Hello")
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    with pytest.raises(PermissionDenied):
        services.decide_request(pam, pending, approve=True, roles={rm0002: Role.READER})
    with pytest.raises(PermissionDenied):
        services.decide_request(pam, pending, approve=True, roles={rm0001: Role.READER}, make_bam=True)
    services.decide_request(pam, pending, approve=True, roles={rm0001: Role.READER})
    assert RoleGrant.objects.get(user=charlie).program_account == rm0001


@pytest.mark.parametrize(
    "bn, message",
    [
        ("123456789", "its check digit is wrong"),
        ("456789122", "No business with number 456789122 is registered in the portal"),
    ],
)
def test_a_bad_or_unregistered_number_is_refused(client, charlie, maple, bn, message):
    sign_in(client, charlie)
    assert message in _request_page(client, bn).content.decode()
    assert not AccessRequest.objects.exists()


def test_duplicates_and_existing_members_are_refused(charlie, reader, maple):
    services.request_access(charlie, "123456782", "Hello")
    with pytest.raises(ValidationError, match="already have a pending request"):
        services.request_access(charlie, "123456782", "Again")
    with pytest.raises(ValidationError, match="already have access"):
        services.request_access(reader, "123456782", "Me too")


def test_a_request_can_be_withdrawn_by_its_author_only(client, charlie, other_business_user, maple):
    pending = services.request_access(charlie, "123456782", "Hello")
    client.force_login(other_business_user)
    assert client.post(f"/en/access/request/{pending.pk}/withdraw/").status_code == 404
    client.force_login(charlie)
    client.post(f"/en/access/request/{pending.pk}/withdraw/")
    pending.refresh_from_db()
    assert pending.status == "withdrawn"
    services.request_access(charlie, "123456782", "Asking again is fine")


def test_the_api_creates_and_withdraws_requests_with_structured_errors(client, charlie, maple):
    client.force_login(charlie)
    created = client.post(
        "/api/v1/access-requests", {"business": "123456782", "note": "Hello"}, content_type="application/json"
    )
    assert created.status_code == 201
    again = client.post(
        "/api/v1/access-requests", {"business": "123456782", "note": "Hello"}, content_type="application/json"
    )
    assert again.status_code == 400
    assert again.json() == {
        "errors": [
            {
                "field": "business",
                "code": "duplicate_request",
                "message": "You already have a pending request for this business.",
            }
        ]
    }
    bad = client.post("/api/v1/access-requests", {"business": "12345", "note": "x"}, content_type="application/json")
    assert bad.json()["errors"][0]["code"] == "bn_length"
    withdrawn = client.post(f"/api/v1/access-requests/{created.json()['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"


def test_a_role_change_takes_effect_on_the_next_request(client, bam, reader, rm0001):
    client.force_login(reader)
    assert client.get("/en/businesses/123456782/").status_code == 200
    services.set_role(bam, rm0001, None, user=reader)
    assert client.get("/en/businesses/123456782/").status_code == 404
