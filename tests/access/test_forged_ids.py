"""Never trust an id from the client: a program account of another business in a form or an API
call gets 404 and an audit entry, and nothing changes."""

from access.models import AccessRequest, RoleGrant
from audit.models import AuditEntry


def _pending(maple, charlie):
    return AccessRequest.objects.create(user=charlie, business=maple, note="Hello")


def test_a_forged_program_account_in_a_form_is_not_found_and_audited(client, bam, charlie, maple):
    pending = _pending(maple, charlie)
    client.force_login(bam)
    response = client.post(
        f"/en/access/123456782/requests/{pending.pk}/",
        {
            "decision": "approve",
            "account_123456782RM0001": "reader",
            "account_123026635RM0001": "pam",
        },
    )
    assert response.status_code == 404
    assert not RoleGrant.objects.filter(user=charlie).exists()
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor == bam and entry.after["number"] == "123026635RM0001"


def test_a_forged_program_account_in_the_api_is_not_found_and_audited(client, bam, charlie, maple):
    pending = _pending(maple, charlie)
    client.force_login(bam)
    response = client.post(
        f"/api/v1/access-requests/{pending.pk}/approve",
        {"roles": [{"program_account": "123026635RM0001", "role": "pam"}]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert AuditEntry.objects.filter(action="access.denied", after__number="123026635RM0001").exists()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_role_grant_on_another_business_is_refused(client, bam, reader, maple):
    client.force_login(bam)
    response = client.post(
        "/api/v1/role-grants",
        {
            "business": "123026635",
            "user": "rita@maple.example",
            "role": "reader",
            "program_account": "123026635RM0001",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/role-grants",
        {
            "business": "123456782",
            "user": "rita@maple.example",
            "role": "editor",
            "program_account": "123026635RM0001",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="access.denied").count() == 2


def test_the_api_grants_roles_to_people_of_the_business_only(client, bam, reader, charlie, maple):
    client.force_login(bam)
    granted = client.post(
        "/api/v1/role-grants",
        {
            "business": "123456782",
            "user": "rita@maple.example",
            "role": "editor",
            "program_account": "123456782RM0002",
        },
        content_type="application/json",
    )
    assert granted.status_code == 201 and granted.json()["role"] == "editor"
    stranger = client.post(
        "/api/v1/role-grants",
        {
            "business": "123456782",
            "user": "charlie@outside.example",
            "role": "reader",
            "program_account": "123456782RM0001",
        },
        content_type="application/json",
    )
    assert stranger.json()["errors"][0]["code"] == "not_a_member"


def test_a_business_of_another_is_not_found_on_pages(client, other_business_user, maple):
    client.force_login(other_business_user)
    assert client.get("/en/businesses/123456782/").status_code == 404
    assert client.get("/en/access/123456782/employees/").status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor=other_business_user).count() == 2
