"""Personal API tokens: shown once, stored hashed, expiring, revocable, audited."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import create_api_token
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _me(client, key):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_is_stored_only_as_a_hash(alice):
    token, key = create_api_token(alice, name="broker system", days=30)
    assert key not in {token.key_hash, token.prefix}
    assert token.key_hash == ApiToken.hash_key(key)


def test_a_token_calls_the_api_with_its_owners_identity_and_is_audited(client, alice):
    _token, key = create_api_token(alice, name="script", days=30, business_number="123456782")
    response = _me(client, key)
    assert response.status_code == 200
    assert response.json()["email"] == alice.email
    assert response.json()["token_business_number"] == "123456782"
    entry = AuditEntry.objects.get(action="api.call")
    assert (entry.actor, entry.channel, entry.after["path"]) == (alice, "api", "/api/v1/me")


def test_the_api_refuses_anonymous_callers_with_a_structured_error(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token not-a-real-token", "Token caf\xe9"])
def test_a_malformed_or_unknown_token_is_refused(client, alice, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_an_expired_token_is_refused(client, alice):
    token, key = create_api_token(alice, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _me(client, key).status_code == 401


def test_a_revoked_token_is_refused_on_the_next_call(client, signed_in_client, alice):
    token, key = create_api_token(alice, name="soon revoked", days=30)
    assert _me(client, key).status_code == 200
    response = signed_in_client.post(f"/en/profile/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert _me(client, key).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()


def test_nobody_can_revoke_another_persons_token(client, alice, charlie):
    from tests.conftest import sign_in

    token, _key = create_api_token(alice, name="alice's", days=30)
    sign_in(client, charlie)
    assert client.post(f"/en/profile/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_shows_a_new_token_once(signed_in_client, alice):
    response = signed_in_client.post("/en/profile/api-tokens/", {"name": "my system", "days": "30"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    again = signed_in_client.get("/en/profile/api-tokens/")
    assert key not in again.content.decode()
    assert "my system" in again.content.decode()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"name": "x", "days": "0"}, "days"),
        ({"name": "x", "days": "9999"}, "days"),
        ({"name": "x", "days": "30", "business_number": "123456789"}, "business_number"),
    ],
)
def test_bad_token_requests_get_a_clear_error_on_the_field(signed_in_client, form, field):
    response = signed_in_client.post("/fr/profile/api-tokens/", form)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_create_api_token_command_prints_a_working_token(client, alice, capsys):
    call_command("create_api_token", alice.email, "--days", "7")
    key = capsys.readouterr().out.strip()
    assert _me(client, key).status_code == 200
