"""Mandatory MFA holds for every way in: a signed-in session without a second factor gets no page
(RequireMFAMiddleware) and no API call either (a structured 403, code mfa_required); tokens, made by
enrolled people, keep working."""

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.services import create_api_token


@pytest.fixture
def password_only(db):
    user = User.objects.create_user(email="pat@password.example", password="Demo-pass-2026", legal_name="Pat Only")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/declarations"),
        ("post", "/api/v1/payments"),
        ("get", "/api/v1/ledger/balances"),
    ],
)
def test_a_session_without_mfa_is_refused_on_the_api_when_mfa_is_mandatory(client, password_only, method, path):
    client.force_login(password_only)
    response = getattr(client, method)(path, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "mfa_required"


def test_a_session_without_mfa_reaches_the_api_when_mfa_is_not_mandatory(client, password_only, settings):
    settings.CARM_MFA_REQUIRED = False
    client.force_login(password_only)
    assert client.get("/api/v1/me").json()["email"] == password_only.email


def test_an_enrolled_session_and_a_token_reach_the_api(client, signed_in_client, alice):
    assert signed_in_client.get("/api/v1/me").status_code == 200
    _token, key = create_api_token(alice, name="system", days=30)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
