"""Every change of accounts, scope or payment permission on a relationship checks the caller's right
over every program account it touches (those named now and those it would name), whatever the body
leaves out: on the API, the pages and in the service itself. A PAM of RM0002 only is the attacker."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from businesses.models import ProgramAccount
from delegation import services
from delegation.models import Relationship
from tests.conftest import _with_role, sign_in

RM0001, RM0002 = "123456782RM0001", "123456782RM0002"


@pytest.fixture
def pam2(maple):
    return _with_role("pat@maple.example", "Pat Manager", maple.program_accounts.get(number=RM0002), "pam")


@pytest.fixture
def request_rm0002(bob, northern, maple):
    return services.request_relationship(bob, northern, maple.bn9, scope="program", accounts=[RM0002])


def account(number):
    return ProgramAccount.objects.get(number=number)


def test_a_pam_cannot_approve_with_accounts_it_does_not_manage_when_the_body_omits_the_scope(api, pam2, request_rm0002):
    response = api(pam2)("post", f"relationships/{request_rm0002.pk}/approve", {"program_accounts": [RM0001]})
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    request_rm0002.refresh_from_db()
    assert request_rm0002.status == Relationship.Status.PENDING
    assert list(request_rm0002.program_accounts.values_list("number", flat=True)) == [RM0002]
    assert AuditEntry.objects.filter(action="access.denied", after__pk=str(account(RM0001).pk)).exists()


def test_a_pam_approves_with_the_accounts_it_manages(api, pam2, request_rm0002):
    response = api(pam2)("post", f"relationships/{request_rm0002.pk}/approve", {"program_accounts": [RM0002]})
    assert response.status_code == 200
    assert response.json()["program_accounts"] == [RM0002]


@pytest.mark.parametrize(
    "terms",
    [
        {"accounts": [RM0001]},
        {"scope": "business"},
        {"scope": "program", "accounts": [RM0001, RM0002]},
    ],
)
def test_the_approve_service_checks_every_account_the_terms_touch(pam2, request_rm0002, terms):
    if "accounts" in terms:
        terms = {**terms, "accounts": [account(n) for n in terms["accounts"]]}
    with pytest.raises(PermissionDenied):
        services.approve(pam2, request_rm0002, **terms)
    request_rm0002.refresh_from_db()
    assert request_rm0002.status == Relationship.Status.PENDING


@pytest.mark.parametrize("terms", [{"program_accounts": [RM0001]}, {"scope": "business"}])
def test_a_pam_cannot_widen_a_relationship_in_force_to_accounts_it_does_not_manage(
    api, pam2, alice, request_rm0002, terms
):
    services.approve(alice, request_rm0002)
    response = api(pam2)("post", f"relationships/{request_rm0002.pk}/terms", terms)
    assert response.status_code == 403
    request_rm0002.refresh_from_db()
    assert request_rm0002.scope == "program"
    assert list(request_rm0002.program_accounts.values_list("number", flat=True)) == [RM0002]


def test_a_pam_cannot_allow_payments_on_a_relationship_naming_an_account_it_does_not_manage(
    pam2, alice, bob, northern, maple
):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="program", accounts=[RM0001, RM0002])
    relationship = services.approve(alice, pending)
    with pytest.raises(PermissionDenied):
        services.change_terms(pam2, relationship, allows_payments=True)
    relationship.refresh_from_db()
    assert relationship.allows_payments is False


def test_the_terms_page_refuses_a_pam_the_accounts_it_does_not_manage(client, pam2, alice, request_rm0002):
    relationship = services.approve(alice, request_rm0002)
    sign_in(client, pam2)
    url = f"/en/relationships/123456782/{request_rm0002.pk}/"
    response = client.post(
        url,
        {
            "scope": "program",
            "account_123456782RM0001": "on",
            "account_123456782RM0002": "on",
            "expires_on": relationship.expires_on.isoformat(),
            "sees_provider": "on",
        },
    )
    assert response.status_code == 403
    assert list(request_rm0002.program_accounts.values_list("number", flat=True)) == [RM0002]
