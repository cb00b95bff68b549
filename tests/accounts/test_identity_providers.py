"""External OpenID Connect identity providers (GCKey, Sign-In Partners) plug in through settings."""

import pytest
from allauth.socialaccount.adapter import get_adapter
from django.test import RequestFactory, override_settings
from django.urls import reverse

GCKEY = {
    "provider_id": "gckey",
    "name": "GCKey",
    "client_id": "carm-portal",
    "secret": "not-a-real-secret",
    "settings": {"server_url": "https://idp.example/.well-known/openid-configuration"},
}


@pytest.mark.django_db
def test_local_accounts_are_the_default_with_no_external_provider(client):
    assert "GCKey" not in client.get("/en/account/login/").content.decode()


@pytest.mark.django_db
@override_settings(SOCIALACCOUNT_PROVIDERS={"openid_connect": {"APPS": [GCKEY], "OAUTH_PKCE_ENABLED": True}})
def test_a_configured_oidc_provider_is_offered_on_the_sign_in_page(client):
    request = RequestFactory().get("/")
    providers = [p.name for p in get_adapter().list_providers(request)]
    assert providers == ["GCKey"]
    assert "GCKey" in client.get("/en/account/login/").content.decode()
    assert (
        reverse("openid_connect_callback", kwargs={"provider_id": "gckey"}) == "/en/account/oidc/gckey/login/callback/"
    )
