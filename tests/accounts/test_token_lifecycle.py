"""API tokens: made only after a fresh sign-in, revoked with the credentials they were made under
(password change, second factor removed), at most CARM_API_TOKEN_MAX_DAYS (under a year by default),
their last use written at most every CARM_API_TOKEN_LAST_USE_SECONDS."""

import datetime as dt

import pytest
from allauth.account.signals import password_changed
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import authenticate_api_token, create_api_token


def test_creating_a_token_needs_a_recent_authentication(signed_in_client, alice):
    session = signed_in_client.session
    for entry in session["account_authentication_methods"]:
        entry["at"] -= 3600  # signed in an hour ago
    session.save()
    response = signed_in_client.post("/en/profile/api-tokens/", {"name": "my system", "days": "30"})
    assert response.status_code == 302 and "/account/reauthenticate/" in response["Location"]
    assert not ApiToken.objects.filter(user=alice).exists()


def test_a_fresh_sign_in_creates_a_token(signed_in_client, alice):
    response = signed_in_client.post("/en/profile/api-tokens/", {"name": "my system", "days": "30"})
    assert response.status_code == 200 and ApiToken.objects.filter(user=alice).count() == 1


def test_a_password_change_revokes_every_token(alice, rf):
    token, _key = create_api_token(alice, name="system", days=30)
    password_changed.send(sender=type(alice), request=rf.get("/"), user=alice)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_removing_a_second_factor_revokes_every_token(alice, rf):
    token, key = create_api_token(alice, name="system", days=30)
    authenticator = Authenticator.objects.get(user=alice, type=Authenticator.Type.TOTP)
    authenticator_removed.send(sender=Authenticator, request=rf.get("/"), user=alice, authenticator=authenticator)
    assert authenticate_api_token(key) is None


def test_a_token_lives_less_than_a_year_by_default(alice):
    assert settings.CARM_API_TOKEN_MAX_DAYS < 365
    with pytest.raises(ValidationError):
        create_api_token(alice, name="long", days=365)


def test_the_last_use_is_written_at_most_every_minute(alice):
    token, key = create_api_token(alice, name="busy", days=30)
    authenticate_api_token(key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    authenticate_api_token(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(seconds=61))
    authenticate_api_token(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
